//! Ctrl-C as an error. Long work races it, so an interrupted run settles
//! through the same rollback as a failed one. SIGTERM (what `kill`,
//! `timeout` and CI runners send) counts as Ctrl-C: without it a terminated
//! create died at once and left its half-made host behind.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context as _, Result, anyhow};
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::Notify;

use crate::ui::Printer;

/// Critical sections running in this process (see [`Critical`]).
static CRITICAL: AtomicUsize = AtomicUsize::new(0);
static CRITICAL_ENDED: Notify = Notify::const_new();

/// A section an interruption must not cut: a driver call that makes a
/// resource at the provider. Dropped half-way, the resource could exist with
/// nothing recorded (a DigitalOcean key added, its answer never read), and
/// rollback would leave it behind. While one is held, [`Interrupt::race`]
/// lets the work run on until the section ends, then interrupts.
pub struct Critical(());

impl Critical {
    pub fn enter() -> Critical {
        CRITICAL.fetch_add(1, Ordering::SeqCst);
        Critical(())
    }
}

impl Drop for Critical {
    fn drop(&mut self) {
        CRITICAL.fetch_sub(1, Ordering::SeqCst);
        CRITICAL_ENDED.notify_waiters();
    }
}

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
    /// Work inside a [`Critical`] section is not dropped half-way: the
    /// interruption waits for the section to end (or the work to fail).
    pub async fn race<T>(&mut self, work: impl Future<Output = Result<T>>) -> Result<T> {
        let mut work = std::pin::pin!(work);
        tokio::select! {
            biased;
            _ = self.recv() => {}
            outcome = &mut work => return outcome,
        }
        loop {
            let ended = CRITICAL_ENDED.notified();
            if CRITICAL.load(Ordering::SeqCst) == 0 {
                return Err(anyhow!("interrupted"));
            }
            tokio::select! {
                outcome = &mut work => return outcome.and(Err(anyhow!("interrupted"))),
                _ = ended => {}
            }
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
