//! The one provisioning service: [`provision_machine`] makes sure the
//! store's CA and client certificate exist (under the store lock, taken off
//! the async runtime), copies them beside the machine, runs provisioning
//! over one SSH session in one of a few modes (full, certificates only,
//! engine start, upgrade), checks the engine over mutual TLS, and records
//! what it found. create, provision, regenerate-certs, upgrade, start after
//! an address change, and cluster nodes all go through it.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow, bail};
use machinectl_driver_api::SshTarget;

use crate::commands::Context;
use crate::engine::EngineClient;
use crate::pki::{self, ClientCerts};
use crate::provision::{self, Plan};
use crate::render::Renderer;
use crate::ssh::{ConnectOptions, SshClient};
use crate::store::{EngineOptions, MachineRecord, RecordState, Store};
use crate::ui::Printer;

/// How long the engine gets to answer after it was (re)started.
const ENGINE_READY_LIMIT: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Install if missing, configure, restart (create, provision).
    Full,
    /// New server certificate and configuration, restart (regenerate-certs).
    Certs,
    /// Start the engine as configured (start on hosts without an init system).
    StartEngine,
    /// Upgrade the engine package, restart.
    Upgrade,
}

/// Provision `record`'s host in `mode`, writing `files` over the same
/// session, and save what the host reported (engine version, OS) into the
/// record. On failure the record is left as it was; the caller decides
/// what the failure means for it.
pub async fn provision_machine(
    ctx: &Context,
    record: &mut MachineRecord,
    mode: Mode,
    ssh_timeout: Duration,
    files: Vec<provision::NodeFile>,
) -> Result<()> {
    let certs = if mode == Mode::StartEngine {
        // The engine starts with the certificates it already has.
        ClientCerts::in_dir(&ctx.store.certs_dir())
    } else {
        let store = ctx.store.clone();
        tokio::task::spawn_blocking(move || {
            let _lock = store.lock()?;
            pki::ensure_client_certs(&store).context("make the CA and client certificate")
        })
        .await
        .map_err(|e| anyhow!("certificate task failed: {e}"))??
    };
    if matches!(mode, Mode::Full | Mode::Certs) {
        pki::copy_client_certs(&certs, &ctx.store.machine_dir(&record.name))?;
    }
    let mut job = ProvisionJob::for_record(&ctx.store, record, certs, mode, ssh_timeout)?;
    job.files = files;
    let outcome = job.run(ctx.printer.clone()).await?;
    record.state = RecordState::Running;
    record.error = None;
    record.engine_version = Some(outcome.engine_version);
    record.os = Some(outcome.os_pretty);
    ctx.store.save(record)?;
    Ok(())
}

/// Everything the blocking provisioning task needs, owned.
pub struct ProvisionJob {
    pub name: String,
    pub driver_name: &'static str,
    pub engine: EngineOptions,
    pub addresses: Vec<IpAddr>,
    /// Where the engine answers (may differ from where SSH does).
    pub engine_host: String,
    pub target: SshTarget,
    pub machine_dir: PathBuf,
    pub certs: ClientCerts,
    pub mode: Mode,
    pub ssh_timeout: Duration,
    /// Keep retrying SSH authentication until the timeout (cloud hosts).
    pub retry_auth: bool,
    pub override_dir: PathBuf,
    /// Files written on the host over the same session once the engine
    /// answers (a cluster node's secrets).
    pub files: Vec<provision::NodeFile>,
}

pub struct ProvisionOutcome {
    pub engine_version: String,
    pub os_pretty: String,
}

impl ProvisionJob {
    pub fn for_record(
        store: &Store,
        record: &MachineRecord,
        certs: ClientCerts,
        mode: Mode,
        ssh_timeout: Duration,
    ) -> Result<ProvisionJob> {
        // A host key the driver made is pinned before the first contact.
        if let Some(key) = record.driver.host_key() {
            let known_host = store.machine_dir(&record.name).join("known_host");
            crate::ssh::pin_host_key(&known_host, &record.name, &key)?;
        }
        Ok(ProvisionJob {
            name: record.name.clone(),
            driver_name: record.driver.name(),
            engine: record.engine.clone(),
            addresses: record.driver.addresses(),
            engine_host: record
                .driver
                .engine_host()
                .ok_or_else(|| anyhow!("machine {} has no address", record.name))?,
            target: record
                .driver
                .ssh_target()
                .ok_or_else(|| anyhow!("machine {} has no SSH address", record.name))?,
            machine_dir: store.machine_dir(&record.name),
            certs,
            mode,
            ssh_timeout,
            retry_auth: record.driver.ssh_auth_may_lag(),
            override_dir: store.root().join("templates"),
            files: Vec::new(),
        })
    }

    /// Run the job on a blocking thread (ssh2 is blocking).
    pub async fn run(self, printer: Printer) -> Result<ProvisionOutcome> {
        let handle = tokio::runtime::Handle::current();
        tokio::task::spawn_blocking(move || self.run_blocking(printer, handle))
            .await
            .map_err(|e| anyhow!("provisioning task failed: {e}"))?
    }

    fn run_blocking(
        self,
        printer: Printer,
        handle: tokio::runtime::Handle,
    ) -> Result<ProvisionOutcome> {
        let renderer = Renderer::new(Some(&self.override_dir))?;
        let ssh = self.connect(&printer)?;
        let step = printer.step("Detecting the operating system");
        let mut facts = provision::detect(&ssh, &renderer)?;
        step.done_with(&format!(
            "{}, init: {}",
            facts.os.pretty_name,
            facts.init.as_str()
        ));
        printer.debug(format!("dockerd {:?}", facts.dockerd));
        self.change_host(&ssh, &mut facts, &renderer, &printer)?;
        let engine_version = self.start_engine(&ssh, &facts, &renderer, &printer, &handle)?;
        if !self.files.is_empty() {
            let step = printer.step(format!("Writing {} file(s) on the node", self.files.len()));
            provision::install_files(&ssh, &facts, &self.files)?;
            step.done();
        }
        Ok(ProvisionOutcome {
            engine_version,
            os_pretty: facts.os.pretty_name,
        })
    }

    /// One SSH session for the whole job, the host key pinned by name.
    fn connect(&self, printer: &Printer) -> Result<SshClient> {
        let step = printer.step(format!(
            "Waiting for SSH on {}:{}",
            self.target.host, self.target.port
        ));
        let ssh = SshClient::connect(
            &self.target,
            &self.machine_dir.join("known_host"),
            &ConnectOptions {
                timeout: self.ssh_timeout,
                retry_auth: self.retry_auth,
                host_key_alias: self.name.clone(),
            },
        )?;
        step.done();
        Ok(ssh)
    }

    /// What the mode changes: install, upgrade, certificates and configuration.
    fn change_host(
        &self,
        ssh: &SshClient,
        facts: &mut provision::HostFacts,
        renderer: &Renderer,
        printer: &Printer,
    ) -> Result<()> {
        if self.mode == Mode::Full {
            let step = printer.step("Installing Docker");
            if provision::install(ssh, facts, &self.engine, renderer)? {
                step.done();
            } else {
                step.done_with("already installed");
            }
        }
        if self.mode == Mode::Upgrade {
            let step = printer.step("Upgrading Docker");
            provision::upgrade(ssh, facts, renderer)?;
            step.done();
        }
        if matches!(self.mode, Mode::Full | Mode::Certs) {
            let step = printer.step("Configuring the engine for mutual TLS");
            let plan = Plan {
                name: &self.name,
                driver_name: self.driver_name,
                engine: &self.engine,
                certs: &self.certs,
                addresses: self.addresses.clone(),
                engine_host: &self.engine_host,
                machine_dir: &self.machine_dir,
                renderer,
            };
            provision::configure(ssh, facts, &plan)?;
            step.done();
        }
        Ok(())
    }

    /// (Re)start the engine and wait until it answers over mutual TLS;
    /// returns its version, or fails with the engine's last log lines.
    fn start_engine(
        &self,
        ssh: &SshClient,
        facts: &provision::HostFacts,
        renderer: &Renderer,
        printer: &Printer,
        handle: &tokio::runtime::Handle,
    ) -> Result<String> {
        let step = printer.step("Starting the engine");
        provision::restart_engine(ssh, facts, renderer)?;
        let client = EngineClient::new(
            &self.engine_host,
            self.engine.port,
            &self.machine_dir,
            Duration::from_secs(5),
        )?;
        match handle.block_on(client.wait_ready(ENGINE_READY_LIMIT)) {
            Ok(version) => {
                step.done_with(&format!("Docker {} answers over TLS", version.version));
                Ok(version.version)
            }
            Err(e) => {
                let log = provision::engine_log_tail(ssh, facts);
                let log = if log.is_empty() {
                    String::new()
                } else {
                    format!("; engine log: {log}")
                };
                bail!("{e}{log}");
            }
        }
    }
}
