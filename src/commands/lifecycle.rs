//! start, stop, restart and kill: power a machine's host on and off through
//! its driver. Hosts without an init system (local) get their engine
//! started again over SSH after start.

use std::time::Duration;

use anyhow::{Result, bail};

use crate::commands::Context;
use crate::commands::provisioner::{Mode, ProvisionJob};
use crate::pki::ClientCerts;
use crate::store::RecordState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Start,
    Stop,
    Restart,
    Kill,
}

impl Verb {
    fn progress(self) -> &'static str {
        match self {
            Verb::Start => "Starting",
            Verb::Stop => "Stopping",
            Verb::Restart => "Restarting",
            Verb::Kill => "Killing",
        }
    }

    fn done(self) -> &'static str {
        match self {
            Verb::Start => "Started",
            Verb::Stop => "Stopped",
            Verb::Restart => "Restarted",
            Verb::Kill => "Killed",
        }
    }
}

/// Apply `verb` to each machine; every machine is tried, failures are summed up.
pub async fn run(ctx: &Context, verb: Verb, names: &[String]) -> Result<()> {
    let mut failed = Vec::new();
    for name in names {
        if let Err(e) = one(ctx, verb, name).await {
            ctx.printer
                .warn(format!("{name}: {}", crate::commands::one_line(&e)));
            failed.push(name.as_str());
        }
    }
    match failed.as_slice() {
        [] => Ok(()),
        [one] if names.len() == 1 => {
            bail!("could not {} {one}", format!("{verb:?}").to_lowercase())
        }
        _ => bail!(
            "could not {} {}",
            format!("{verb:?}").to_lowercase(),
            failed.join(", ")
        ),
    }
}

async fn one(ctx: &Context, verb: Verb, name: &str) -> Result<()> {
    let _guard = ctx.store.open(name)?;
    let mut record = ctx.store.load(name)?;
    let step = ctx.printer.step(format!("{} {name}", verb.progress()));
    if matches!(verb, Verb::Stop | Verb::Restart) {
        record.driver.stop().await?;
        record.state = RecordState::Stopped;
        ctx.store.save(&record)?;
    }
    if verb == Verb::Kill {
        record.driver.kill().await?;
        record.state = RecordState::Stopped;
        ctx.store.save(&record)?;
    }
    let addresses_before = record.driver.addresses();
    if matches!(verb, Verb::Start | Verb::Restart) {
        record.driver.start().await?;
        ctx.store.save(&record)?;
    }
    step.done();
    if matches!(verb, Verb::Start | Verb::Restart) {
        // A cloud host may come back with new addresses: its server
        // certificate must name them, so it is made again at once.
        let moved = record.driver.addresses() != addresses_before;
        if moved {
            ctx.printer.info(format!(
                "{name} has new addresses: making its server certificate again"
            ));
        }
        if record.driver.engine_needs_start_after_boot() || moved {
            let mode = if moved {
                Mode::Certs
            } else {
                Mode::StartEngine
            };
            let certs = if moved {
                let _lock = ctx.store.lock()?;
                crate::pki::ensure_client_certs(&ctx.store)?
            } else {
                ClientCerts::in_dir(&ctx.store.certs_dir())
            };
            let job = ProvisionJob::for_record(
                &ctx.store,
                &record,
                certs,
                mode,
                Duration::from_secs(120),
            )?;
            let outcome = job.run(ctx.printer.clone()).await?;
            record.engine_version = Some(outcome.engine_version);
        }
        record.state = RecordState::Running;
        record.error = None;
        ctx.store.save(&record)?;
    }
    ctx.printer.info(format!("{} {name}", verb.done()));
    Ok(())
}
