//! Ctrl-C as an error. Long work races it, so an interrupted run settles
//! through the same rollback as a failed one. SIGTERM (what `kill`,
//! `timeout` and CI runners send) counts as Ctrl-C: without it a terminated
//! create died at once and left its half-made host behind.

use std::future::Future;

use anyhow::{Context as _, Result, anyhow};
use tokio::signal::unix::{Signal, SignalKind, signal};

use crate::ui::Printer;

/// SIGINT and SIGTERM, caught from the moment this is made.
pub struct Interrupt {
    int: Signal,
    term: Signal,
}

impl Interrupt {
    /// Catch SIGINT and SIGTERM from now on. Made before the first state is
    /// written, so a signal in the gap before the work is first polled
    /// neither kills the process half-way nor gets lost.
    pub fn watch() -> Result<Interrupt> {
        Ok(Interrupt {
            int: signal(SignalKind::interrupt()).context("cannot watch for Ctrl-C")?,
            term: signal(SignalKind::terminate()).context("cannot watch for SIGTERM")?,
        })
    }

    /// Either signal comes.
    async fn recv(&mut self) {
        tokio::select! {
            _ = self.int.recv() => {}
            _ = self.term.recv() => {}
        }
    }

    /// The work's outcome, or an "interrupted" error if Ctrl-C comes first.
    pub async fn race<T>(&mut self, work: impl Future<Output = Result<T>>) -> Result<T> {
        tokio::select! {
            biased;
            _ = self.recv() => Err(anyhow!("interrupted")),
            outcome = work => outcome,
        }
    }

    /// Run work that cannot stop half-way (a stack update CloudFormation is
    /// already making): a Ctrl-C during it is acknowledged and remembered,
    /// and the work goes on. Returns the outcome and whether Ctrl-C came.
    pub async fn shield<T>(
        &mut self,
        printer: &Printer,
        what: &str,
        work: impl Future<Output = T>,
    ) -> (T, bool) {
        let mut work = std::pin::pin!(work);
        let mut interrupted = false;
        loop {
            tokio::select! {
                biased;
                outcome = &mut work => return (outcome, interrupted),
                _ = self.recv(), if !interrupted => {
                    interrupted = true;
                    printer.warn(format!("Ctrl-C: {what} cannot stop half-way; stopping once it ends"));
                }
            }
        }
    }
}
