//! Verbs on several machines at once (create, rm, start, stop, restart,
//! kill, provision, upgrade, regenerate-certs): at most `--parallel` machines
//! are worked on at a time, each reports through a printer marked with its
//! name, one failure never stops the others, and the run ends with a
//! summary ("3 created, 1 failed: d: …") that is the error when anything
//! failed, so the exit status says whether every machine made it.
//!
//! With ONE machine nothing changes: no marks, no summary, and its own error
//! is the error line (docker-machine's words stay findable).
//!
//! Parallel work on different machines is safe: each takes its own lock in
//! the store, and drivers serialise what they share (the local driver's
//! address allocation, per-host work).

use std::future::Future;

use anyhow::{Result, anyhow};
use futures::StreamExt as _;

use crate::commands::{Context, one_line};

/// `--parallel`'s default.
pub const DEFAULT_PARALLEL: usize = 8;

/// Each machine's outcome, in the order the user named them.
pub struct Outcomes<T> {
    pub results: Vec<(String, Result<T>)>,
}

/// Run `work` on every name (duplicates once), at most `parallel` at a
/// time. With several names each gets a printer marked with its name, and a
/// failure is reported as a warning the moment it happens.
pub async fn each<T, F, Fut>(
    ctx: &Context,
    names: &[String],
    parallel: usize,
    work: F,
) -> Outcomes<T>
where
    F: Fn(Context, String) -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let mut unique: Vec<&String> = Vec::with_capacity(names.len());
    for name in names {
        if !unique.contains(&name) {
            unique.push(name);
        }
    }
    let several = unique.len() > 1;
    let work = &work;
    let jobs = unique.into_iter().enumerate().map(|(index, name)| {
        let machine_ctx = if several {
            Context {
                printer: ctx.printer.prefixed(name),
                ..ctx.clone()
            }
        } else {
            ctx.clone()
        };
        async move {
            let outcome = work(machine_ctx.clone(), name.clone()).await;
            if several && let Err(e) = &outcome {
                machine_ctx.printer.warn(one_line(e));
            }
            (index, name.clone(), outcome)
        }
    });
    let mut done: Vec<(usize, String, Result<T>)> = futures::stream::iter(jobs)
        .buffer_unordered(parallel.max(1))
        .collect()
        .await;
    done.sort_by_key(|(index, _, _)| *index);
    Outcomes {
        results: done
            .into_iter()
            .map(|(_, name, outcome)| (name, outcome))
            .collect(),
    }
}

impl<T> Outcomes<T> {
    /// One machine: its own outcome. Several: "2 stopped: a, b" on success,
    /// else the error "1 stopped, 1 failed: b: machine \"b\" does not exist".
    /// `done` is the verb's past participle ("stopped").
    pub fn summary(self, ctx: &Context, done: &str) -> Result<Vec<(String, T)>> {
        let mut results = self.results;
        if results.len() == 1 {
            let (name, outcome) = results.remove(0);
            return outcome.map(|value| vec![(name, value)]);
        }
        let mut succeeded = Vec::new();
        let mut failed = Vec::new();
        for (name, outcome) in results {
            match outcome {
                Ok(value) => succeeded.push((name, value)),
                Err(e) => failed.push(format!("{name}: {}", one_line(&e))),
            }
        }
        let names: Vec<&str> = succeeded.iter().map(|(n, _)| n.as_str()).collect();
        if failed.is_empty() {
            ctx.printer
                .info(format!("{} {done}: {}", succeeded.len(), names.join(", ")));
            Ok(succeeded)
        } else {
            Err(anyhow!(
                "{} {done}, {} failed: {}",
                succeeded.len(),
                failed.len(),
                failed.join("; ")
            ))
        }
    }
}
