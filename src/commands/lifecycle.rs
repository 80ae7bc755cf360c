//! start, stop, restart and kill: power a machine's host on and off through
//! its driver. Hosts without an init system (local) get their engine
//! started again over SSH after start.
//!
//! `start` of a machine that already runs changes nothing: it answers
//! docker-machine's `Machine "NAME" is already running.` and exits 1, as
//! docker-machine 0.16 does (its `runActionForState` returns
//! `ErrHostAlreadyInState`, which `runAction` turns into exit status 1).
//! "Running" is the driver's state and, for hosts whose engine the driver
//! starts (local), an engine that answers over mutual TLS as well: a host
//! whose dockerd died gets it started. Only `restart`, `provision`,
//! `regenerate-certs` and `upgrade` restart a running engine, and they say
//! so first.

use std::time::Duration;

use anyhow::Result;
use machinectl_driver_api::MachineState;

use crate::cli::ParallelNamesArgs;
use crate::commands::provisioner::{Mode, provision_machine};
use crate::commands::{Context, parallel};
use crate::engine::EngineClient;
use crate::store::{MachineRecord, RecordState};

/// How long the driver and the engine get to say a machine already runs.
const RUNNING_CHECK_LIMIT: Duration = Duration::from_secs(10);

/// `start` of a machine that already runs (docker-machine's wording).
#[derive(Debug, thiserror::Error)]
#[error("Machine \"{0}\" is already running.")]
pub struct AlreadyRunning(pub String);

/// The line every verb that restarts a running engine prints first.
pub fn engine_restart_notice(name: &str) -> String {
    format!(
        "Restarting the engine on {name}: its containers stop unless they have a restart policy"
    )
}

/// Whether `start` has nothing to do: the driver reports the host running
/// and, where the driver starts the engine itself, the engine answers.
async fn already_running(ctx: &Context, record: &MachineRecord) -> bool {
    match record.driver.state(RUNNING_CHECK_LIMIT).await {
        Ok(MachineState::Running) => {}
        _ => return false,
    }
    if !record.driver.engine_needs_start_after_boot() {
        return true;
    }
    let Some(host) = record.driver.engine_host() else {
        return false;
    };
    let machine_dir = ctx.store.machine_dir(&record.name);
    match EngineClient::new(&host, record.engine.port, &machine_dir, RUNNING_CHECK_LIMIT) {
        Ok(client) => client.ping().await.is_ok(),
        Err(_) => false,
    }
}

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

/// Apply `verb` to each machine, at most `parallel` at a time; every machine
/// is tried, failures are summed up (one machine: its own error).
pub async fn run(ctx: &Context, verb: Verb, args: &ParallelNamesArgs) -> Result<()> {
    let done = verb.done().to_lowercase();
    parallel::each(ctx, &args.names, args.parallel, |ctx, name| async move {
        one(&ctx, verb, &name).await
    })
    .await
    .summary(ctx, &done)
    .map(drop)
}

async fn one(ctx: &Context, verb: Verb, name: &str) -> Result<()> {
    let _guard = ctx.store.open(name)?;
    let mut record = ctx.store.load(name)?;
    if verb == Verb::Start && already_running(ctx, &record).await {
        return Err(AlreadyRunning(name.to_string()).into());
    }
    if verb == Verb::Restart {
        ctx.printer.info(engine_restart_notice(name));
    }
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
            provision_machine(ctx, &mut record, mode, Duration::from_secs(120), Vec::new()).await?;
        }
        record.state = RecordState::Running;
        record.error = None;
        ctx.store.save(&record)?;
    }
    ctx.printer.info(format!("{} {name}", verb.done()));
    Ok(())
}
