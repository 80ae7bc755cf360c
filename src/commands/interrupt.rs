//! Ctrl-C as an error. Long work races it, so an interrupted run settles
//! through the same rollback as a failed one.

use std::future::Future;

use anyhow::{Context as _, Result, anyhow};
use tokio::signal::unix::{Signal, SignalKind, signal};

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
    pub async fn race<T>(mut self, work: impl Future<Output = Result<T>>) -> Result<T> {
        tokio::select! {
            biased;
            _ = self.0.recv() => Err(anyhow!("interrupted")),
            outcome = work => outcome,
        }
    }
}
