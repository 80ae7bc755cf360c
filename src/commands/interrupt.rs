//! Ctrl-C as an error. Long work races it, so an interrupted run settles
//! through the same rollback as a failed one.

use std::future::Future;

use anyhow::{Context as _, Result, anyhow};
use tokio::signal::unix::{Signal, SignalKind, signal};

use crate::ui::Printer;

/// SIGINT, caught from the moment this is made.
pub struct Interrupt(Signal);

impl Interrupt {
    /// Catch SIGINT from now on. Made before the first state is written, so
    /// a Ctrl-C in the gap before the work is first polled neither kills
    /// the process half-way nor gets lost.
    pub fn watch() -> Result<Interrupt> {
        signal(SignalKind::interrupt())
            .map(Interrupt)
            .context("cannot watch for Ctrl-C")
    }

    /// The work's outcome, or an "interrupted" error if Ctrl-C comes first.
    pub async fn race<T>(&mut self, work: impl Future<Output = Result<T>>) -> Result<T> {
        tokio::select! {
            biased;
            _ = self.0.recv() => Err(anyhow!("interrupted")),
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
                _ = self.0.recv(), if !interrupted => {
                    interrupted = true;
                    printer.warn(format!("Ctrl-C: {what} cannot stop half-way; stopping once it ends"));
                }
            }
        }
    }
}
