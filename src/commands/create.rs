//! `machinectl create`: validate, reserve the name, make the host, provision
//! it over one SSH session, check the engine over mutual TLS. A failure
//! removes what this run made unless --keep-on-error.
//!
//! Several names (`create a b c`, or `--count N --prefix P` for P-1 … P-N)
//! are all checked first (valid, not given twice, not taken, not two on one
//! host), then made at most `--parallel` at a time through
//! [`crate::commands::parallel`]: each one's failure rolls back only itself.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, anyhow, bail};
use machinectl_driver_api::{Checkpoint, CreateContext, DriverError};

use crate::cli::CreateArgs;
use crate::commands::interrupt::Interrupt;
use crate::commands::provisioner::{Mode, provision_machine};
use crate::commands::{Context, parallel};
use crate::drivers::FromFlags;
use crate::pki;
use crate::store::checked::Label;
use crate::store::progress;
use crate::store::{EngineOptions, MachineGuard, MachineRecord, RecordState, Store, validate_name};

/// Each value of a repeatable flag as its checked type; the first bad one is
/// the error, naming the flag.
fn checked<T: TryFrom<String, Error = String>>(flag: &str, values: &[String]) -> Result<Vec<T>> {
    values.iter().map(|v| checked_one(flag, v)).collect()
}

fn checked_one<T: TryFrom<String, Error = String>>(flag: &str, value: &str) -> Result<T> {
    T::try_from(value.to_string()).map_err(|why| anyhow!("invalid {flag}: {why}"))
}

/// A single-valued flag; empty (e.g. from an empty environment variable) is absent.
fn checked_opt<T: TryFrom<String, Error = String>>(
    flag: &str,
    value: &Option<String>,
) -> Result<Option<T>> {
    value
        .as_deref()
        .filter(|v| !v.is_empty())
        .map(|v| checked_one(flag, v))
        .transpose()
}

/// Engine options from flags, each a checked type (see `store::checked`).
pub fn engine_options(args: &crate::cli::EngineArgs, port: u16) -> Result<EngineOptions> {
    if port == 0 {
        bail!("invalid engine port 0: give a port between 1 and 65535");
    }
    let labels: Vec<Label> = checked("--engine-label", &args.labels)?;
    Ok(EngineOptions {
        opts: checked("--engine-opt", &args.opts)?,
        labels: labels.into_iter().map(String::from).collect(),
        env: checked("--engine-env", &args.env)?,
        storage_driver: checked_opt("--engine-storage-driver", &args.storage_driver)?,
        registry_mirrors: checked("--engine-registry-mirror", &args.registry_mirrors)?,
        insecure_registries: checked("--engine-insecure-registry", &args.insecure_registries)?,
        install_url: checked_opt("--engine-install-url", &args.install_url)?,
        port,
        tls_san: checked("--tls-san", &args.tls_san)?,
    })
}

/// Saves the driver's snapshots into the record as resources come to exist.
struct RecordCheckpoint<'a> {
    store: &'a Store,
    record: &'a mut MachineRecord,
}

impl Checkpoint for RecordCheckpoint<'_> {
    fn save(&mut self, driver_state: serde_json::Value) -> machinectl_driver_api::Result<()> {
        self.record.driver.restore(driver_state)?;
        self.store
            .save(self.record)
            .map_err(|e| DriverError::Other(e.to_string()))
    }
}

/// The names one create makes: as given, or PREFIX-1 … PREFIX-N with
/// --count (the prefix defaults to the driver's name). All are checked, and
/// none may be given twice, before anything is made.
fn machine_names(args: &CreateArgs) -> Result<Vec<String>> {
    let names: Vec<String> = match args.count {
        Some(count) => {
            let prefix = args
                .prefix
                .clone()
                .unwrap_or_else(|| crate::drivers::canonical_name(&args.driver).to_string());
            (1..=count).map(|i| format!("{prefix}-{i}")).collect()
        }
        None => args.names.clone(),
    };
    for (i, name) in names.iter().enumerate() {
        validate_name(name).map_err(|e| match &args.prefix {
            Some(prefix) => anyhow!("{e} (made from --prefix {prefix:?})"),
            None => anyhow!(e),
        })?;
        if names[..i].contains(name) {
            bail!("machine name {name:?} is given twice: each machine needs its own name");
        }
    }
    Ok(names)
}

pub async fn run(ctx: &Context, args: CreateArgs) -> Result<()> {
    let names = machine_names(&args)?;
    if let Some(name) = names.iter().find(|name| ctx.store.exists(name)) {
        bail!(crate::store::StoreError::Exists(name.clone()));
    }
    let matches = args
        .driver_flags
        .as_ref()
        .ok_or_else(|| anyhow!("create was not parsed with its driver's flags"))?;
    // Every machine's driver and options first: bad input writes nothing.
    let mut records = Vec::with_capacity(names.len());
    for name in &names {
        let FromFlags {
            driver,
            engine_port,
        } = crate::drivers::from_flags(&args.driver, matches, name, args.engine.port)?;
        let engine = engine_options(&args.engine, engine_port.unwrap_or(args.engine.port))?;
        driver.pre_create_check()?;
        records.push(MachineRecord::new(name, driver, engine));
    }
    refuse_shared_hosts(&records)?;
    records.iter().try_for_each(refuse_engine_on_ssh_port)?;
    let ssh_timeout = Duration::from_secs(args.ssh_timeout);
    let keep_on_error = args.keep_on_error;
    // Ctrl-C during a create of several: the creates under way roll back
    // (each watches for it), and the ones still waiting never start.
    let interrupted = Arc::new(AtomicBool::new(false));
    let watcher = (names.len() > 1)
        .then(|| watch_interrupt(interrupted.clone()))
        .transpose()?;
    let records = std::sync::Mutex::new(
        records
            .into_iter()
            .map(|r| (r.name.clone(), r))
            .collect::<std::collections::HashMap<_, _>>(),
    );
    let outcomes = parallel::each(ctx, &names, args.parallel, |ctx, name| {
        let record = records.lock().expect("records lock").remove(&name);
        let interrupted = interrupted.clone();
        async move {
            let record = record.ok_or_else(|| anyhow!("no record planned for {name}"))?;
            if interrupted.load(Ordering::SeqCst) {
                bail!("not started: interrupted");
            }
            let started = Instant::now();
            let record = create_machine(
                &ctx,
                NewMachine {
                    record,
                    ssh_timeout,
                    keep_on_error,
                    files: Vec::new(),
                    cluster: None,
                },
            )
            .await?;
            ctx.printer.info(format!(
                "Machine {} is running Docker {} at {} (created in {:.1}s).",
                record.name,
                record.engine_version.as_deref().unwrap_or("?"),
                record.url().unwrap_or_default(),
                started.elapsed().as_secs_f64()
            ));
            Ok(())
        }
    })
    .await;
    if let Some(watcher) = watcher {
        watcher.abort();
    }
    let made = outcomes.summary(ctx, "created")?;
    if let Some((name, ())) = made.first() {
        ctx.printer.info(format!(
            "To point your docker client at {}, run: eval \"$(machinectl env {name})\"",
            if made.len() == 1 { "it" } else { "one" }
        ));
    }
    Ok(())
}

/// Two machines of one create must not be one host (generic: the same
/// --generic-ip-address): they would provision it over each other.
fn refuse_shared_hosts(records: &[MachineRecord]) -> Result<()> {
    for (i, record) in records.iter().enumerate() {
        let Some(target) = record.driver.ssh_target() else {
            continue;
        };
        if let Some(other) = records[..i].iter().find(|other| {
            other
                .driver
                .ssh_target()
                .is_some_and(|t| t.host == target.host && t.port == target.port)
        }) {
            bail!(
                "{} and {} would be the same host ({}:{}): make one machine per host",
                other.name,
                record.name,
                target.host,
                target.port
            );
        }
    }
    Ok(())
}

/// The engine cannot listen where the host's sshd does: without this the
/// create waited a minute for an engine that had failed to bind at once.
fn refuse_engine_on_ssh_port(record: &MachineRecord) -> Result<()> {
    let ssh_port = record.driver.ssh_target().map_or(22, |t| t.port);
    if record.engine.port == ssh_port {
        bail!(
            "engine port {ssh_port} is the host's SSH port: give the engine another port (--engine-port, default 2376)"
        );
    }
    Ok(())
}

/// Set `flag` when Ctrl-C comes (until the task is aborted).
fn watch_interrupt(flag: Arc<AtomicBool>) -> Result<tokio::task::JoinHandle<()>> {
    let mut interrupt = Interrupt::watch()?;
    Ok(tokio::spawn(async move {
        let _ = interrupt.race(std::future::pending::<Result<()>>()).await;
        flag.store(true, Ordering::SeqCst);
    }))
}

/// A machine to make: its record as it starts, and how patient to be.
pub struct NewMachine {
    pub record: MachineRecord,
    pub ssh_timeout: Duration,
    pub keep_on_error: bool,
    /// Files written on the host over the provisioning session (a cluster
    /// node's secrets).
    pub files: Vec<crate::provision::NodeFile>,
    /// The cluster the machine is a node of (clusterctl), for its driver.
    pub cluster: Option<machinectl_driver_api::ClusterNode>,
}

/// Reserve, make, provision and check one machine; on failure roll back
/// (or keep, with --keep-on-error). Used by create and by clusterctl.
pub async fn create_machine(ctx: &Context, new: NewMachine) -> Result<MachineRecord> {
    let NewMachine {
        mut record,
        ssh_timeout,
        keep_on_error,
        files,
        cluster,
    } = new;
    // Ctrl-C is a failure like any other: what this run made is removed (or
    // kept with --keep-on-error), so an interrupted create never leaves a
    // half-made host or a name that blocks the next create.
    let mut interrupt = Interrupt::watch()?;
    let guard = ctx.store.reserve_async(&record).await?;
    let ctx = &noting_steps(ctx, &guard);
    let outcome = interrupt
        .race(build(ctx, ssh_timeout, &mut record, &guard, files, cluster))
        .await;
    if let Some(counters) = record.driver.debug_counters() {
        ctx.printer.debug(counters);
    }
    // The step note stays while the record says Creating (a rollback's
    // removal included), so a create killed at any point shows as died.
    match outcome {
        Ok(()) => {
            progress::clear(&guard.dir);
            Ok(record)
        }
        Err(error) => {
            let message = crate::commands::one_line(&error);
            if keep_on_error {
                record.state = RecordState::Error;
                record.error = Some(message);
                ctx.store.save(&record)?;
                progress::clear(&guard.dir);
                ctx.printer.info(format!(
                    "Kept machine {} as it is (--keep-on-error); remove it with `machinectl rm -y {}`.",
                    record.name, record.name
                ));
            } else {
                rollback(ctx, &mut record, guard, &message).await;
            }
            Err(error)
        }
    }
}

/// The context a create works in: each step it starts is noted beside the
/// record, so `ls` can tell where a create that died stopped.
fn noting_steps(ctx: &Context, guard: &MachineGuard) -> Context {
    let dir = guard.dir.clone();
    Context {
        printer: ctx
            .printer
            .noting_steps(Arc::new(move |step: &str| progress::note(&dir, step))),
        ..ctx.clone()
    }
}

/// Undo a failed create. If the driver cannot remove something, the record
/// stays with the error so `rm` can finish the job.
async fn rollback(ctx: &Context, record: &mut MachineRecord, guard: MachineGuard, message: &str) {
    let step = ctx.printer.step("Removing what this create made");
    match record.driver.remove().await {
        Ok(report) if report.is_complete() => match ctx.store.delete(guard) {
            Ok(()) => step.done(),
            Err(e) => {
                drop(step);
                ctx.printer
                    .warn(format!("could not remove the record: {e}"));
            }
        },
        Ok(report) => {
            drop(step);
            record.state = RecordState::Error;
            record.error = Some(format!(
                "{message}; left behind: {}",
                report.left.join(", ")
            ));
            let _ = ctx.store.save(record);
            ctx.printer.warn(format!(
                "could not remove {}; finish with `machinectl rm -f {}`",
                report.left.join(", "),
                record.name
            ));
        }
        Err(e) => {
            drop(step);
            record.state = RecordState::Error;
            record.error = Some(format!("{message}; rollback failed: {e}"));
            let _ = ctx.store.save(record);
            ctx.printer.warn(format!(
                "rollback failed ({e}); finish with `machinectl rm -f {}`",
                record.name
            ));
        }
    }
}

async fn build(
    ctx: &Context,
    ssh_timeout: Duration,
    record: &mut MachineRecord,
    guard: &MachineGuard,
    files: Vec<crate::provision::NodeFile>,
    cluster: Option<machinectl_driver_api::ClusterNode>,
) -> Result<()> {
    let store = &ctx.store;
    let printer = &ctx.printer;
    let (ssh_private_key, ssh_public_key) = if record.driver.wants_generated_key() {
        pki::ssh_key::generate(&guard.dir, &format!("machinectl-{}", record.name))
            .context("generate the machine's SSH key")?
    } else {
        (PathBuf::new(), String::new())
    };
    // Templates the user overrides in the store apply to the boot script too.
    let renderer = crate::render::Renderer::new(Some(&store.root().join("templates")))?;
    let engine_boot_script = crate::provision::boot_install_script(&renderer, &record.engine)
        .context("render the engine's boot install script")?;
    let create_ctx = CreateContext {
        name: record.name.clone(),
        machine_dir: guard.dir.clone(),
        ssh_public_key,
        ssh_private_key,
        engine_port: record.engine.port,
        cluster,
        engine_boot_script,
    };
    let step = printer.step(format!("Creating the {} host", record.driver.name()));
    let mut driver = record.driver.clone();
    // What the driver makes is recorded as it exists: let each call finish.
    let critical = crate::commands::interrupt::Critical::enter();
    driver
        .create(
            &create_ctx,
            &mut RecordCheckpoint {
                store,
                record: &mut *record,
            },
        )
        .await?;
    drop(critical);
    record.driver = driver;
    store.save(record)?;
    step.done();
    printer.debug(format!(
        "driver state: {}",
        serde_json::to_string(&record.driver).unwrap_or_default()
    ));

    provision_machine(ctx, record, Mode::Full, ssh_timeout, files).await
}
