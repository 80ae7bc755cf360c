//! The `local` driver: Docker hosts made of Linux namespaces on this machine.
//!
//! Each host gets its own network namespace on a bridge (default subnet
//! 10.231.0.0/24, bridge `machinectl0`), private mount and UTS namespaces,
//! and runs this machine's own sshd and dockerd. It is the embedded default
//! driver and the test bed for everything above the driver seam: SSH,
//! provisioning and TLS run against it exactly as against a cloud VM.
//! See [`host`] for how a host is laid out.

pub mod flags;
pub mod host;
mod procs;
pub mod subnet;

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use machinectl_driver_api::{
    Checkpoint, CreateContext, Driver, DriverError, MachineState, RemoveReport, Result, SshTarget,
    snapshot,
};
use serde::{Deserialize, Serialize};

pub use flags::LocalFlags;
pub use host::{HostSpec, HostState};
pub use subnet::Subnet;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LocalDriver {
    pub subnet: Subnet,
    /// Set once the host exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<HostState>,
    /// Path of the SSH key that reaches the host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_key: Option<std::path::PathBuf>,
}

impl LocalDriver {
    pub fn new(subnet: Subnet) -> Self {
        LocalDriver {
            subnet,
            host: None,
            ssh_key: None,
        }
    }
}

/// What is missing for local hosts here, one line each (empty when ready).
pub fn missing_requirements() -> Vec<String> {
    let mut missing = Vec::new();
    if !cfg!(target_os = "linux") {
        missing.push("the local driver needs Linux (it makes network namespaces)".to_string());
        return missing;
    }
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        missing.push(
            "the local driver needs root to make network namespaces: run machinectl as root (e.g. with sudo)"
                .to_string(),
        );
    }
    let tools = [
        ("ip", "iproute2"),
        ("nsenter", "util-linux"),
        ("unshare", "util-linux"),
        ("mount", "mount"),
        ("ssh-keygen", "openssh-client"),
        ("sshd", "openssh-server"),
        ("dockerd", "docker.io"),
    ];
    for (tool, package) in tools {
        if find_program(tool).is_none() {
            missing.push(format!(
                "the local driver needs {tool}: install it with `apt-get install -y {package}`"
            ));
        }
    }
    if !Path::new("/usr/lib/openssh/sftp-server").exists() {
        missing.push(
            "the local driver needs /usr/lib/openssh/sftp-server: install it with `apt-get install -y openssh-sftp-server`"
                .to_string(),
        );
    }
    missing
}

fn find_program(name: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin"].map(Into::into))
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

impl Driver for LocalDriver {
    const NAME: &'static str = "local";

    fn pre_create_check(&self) -> Result<()> {
        let missing = missing_requirements();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(DriverError::Precondition(missing.join("\n")))
        }
    }

    async fn create(&mut self, ctx: &CreateContext, checkpoint: &mut dyn Checkpoint) -> Result<()> {
        let spec = HostSpec {
            hostname: ctx.name.clone(),
            root_dir: ctx.machine_dir.join("host"),
            subnet: self.subnet,
            authorized_key: ctx.ssh_public_key.clone(),
            ip: None,
        };
        self.ssh_key = Some(ctx.ssh_private_key.clone());
        let mut state = HostState::plan(&spec);
        // Record the names before anything exists, so rm finds a half-made host.
        self.host = Some(state.clone());
        checkpoint.save(snapshot(self)?)?;
        let netns = state.netns.clone();
        let made = on_host_thread(&netns, move || {
            let result = host::create_network(&mut state, &spec.subnet)
                .and_then(|_| host::prepare_root(&state, &spec))
                .and_then(|_| host::launch(&mut state, &spec.hostname).map(|_| ()));
            (state, result)
        })
        .await?;
        self.host = Some(made.0);
        checkpoint.save(snapshot(self)?)?;
        made.1
    }

    fn ssh_target(&self) -> Option<SshTarget> {
        let host = self.host.as_ref()?;
        Some(SshTarget::new(host.ip, 22, "root", self.ssh_key.clone()?))
    }

    fn ip(&self) -> Option<IpAddr> {
        let host = self.host.as_ref()?;
        (!host.ip.is_unspecified()).then_some(IpAddr::V4(host.ip))
    }

    async fn state(&self, _timeout: Duration) -> Result<MachineState> {
        let Some(host) = &self.host else {
            return Ok(MachineState::NotFound);
        };
        Ok(if !host.netns_exists() {
            MachineState::NotFound
        } else if host.live_anchor().is_some() {
            MachineState::Running
        } else {
            MachineState::Stopped
        })
    }

    async fn start(&mut self) -> Result<()> {
        let mut host = self
            .host
            .clone()
            .ok_or_else(|| DriverError::Other("the host was never created".into()))?;
        if !host.netns_exists() {
            return Err(DriverError::Other(format!(
                "network namespace {} is gone: remove the machine with `machinectl rm -f` and create it again",
                host.netns
            )));
        }
        if host.live_anchor().is_some() {
            return Ok(());
        }
        let hostname = std::fs::read_to_string(host.root_dir.join("hostname"))
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|_| "localhost".into());
        let netns = host.netns.clone();
        let host = on_host_thread(&netns, move || {
            // The anchor's old log would satisfy the readiness check at once.
            let _ = std::fs::remove_file(host.root_dir.join("anchor.log"));
            host::launch(&mut host, &hostname).map(|_| host)
        })
        .await??;
        self.host = Some(host);
        Ok(())
    }

    async fn stop(&mut self) -> Result<()> {
        self.halt(true).await
    }

    async fn kill(&mut self) -> Result<()> {
        self.halt(false).await
    }

    async fn remove(&mut self) -> Result<RemoveReport> {
        let Some(host) = self.host.clone() else {
            return Ok(RemoveReport::default());
        };
        let netns = host.netns.clone();
        let removed = on_host_thread(&netns, move || host::teardown(&host)).await??;
        Ok(RemoveReport {
            removed,
            ..RemoveReport::default()
        })
    }

    fn engine_needs_start_after_boot(&self) -> bool {
        true
    }

    /// The host key `prepare_root` made (the host's sshd serves its private half).
    fn host_key(&self) -> Option<String> {
        self.host.as_ref()?.host_key()
    }

    fn check_engine_upgrade(&self) -> Result<()> {
        Err(DriverError::Unsupported {
            driver: Self::NAME,
            verb: "upgrade",
            why: "local hosts run this machine's own dockerd; upgrade the docker.io package here (apt-get install --only-upgrade docker.io) and `machinectl restart` them",
        })
    }
}

impl LocalDriver {
    async fn halt(&mut self, graceful: bool) -> Result<()> {
        let Some(host) = self.host.clone() else {
            return Ok(());
        };
        let netns = host.netns.clone();
        on_host_thread(&netns, move || host::stop_processes(&host, graceful)).await?;
        if let Some(host) = &mut self.host {
            host.anchor_pid = None;
        }
        Ok(())
    }
}

/// Run blocking work on one host, one piece at a time per host.
///
/// A create cancelled by Ctrl-C drops its future, but the blocking thread
/// it started runs on; without this lock the rollback's teardown could run
/// before that thread makes the namespace, and the namespace would outlive
/// its record. The lock is taken before the thread starts and held until its
/// work ends, so teardown always waits for work begun before it.
async fn on_host_thread<T: Send + 'static>(
    netns: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    let held = host_lock(netns).lock_owned().await;
    tokio::task::spawn_blocking(move || {
        let result = work();
        drop(held);
        result
    })
    .await
    .map_err(|e| DriverError::Other(format!("local host task failed: {e}")))
}

fn host_lock(netns: &str) -> Arc<tokio::sync::Mutex<()>> {
    static LOCKS: OnceLock<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>> = OnceLock::new();
    let mut locks = LOCKS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    locks.entry(netns.to_string()).or_default().clone()
}
