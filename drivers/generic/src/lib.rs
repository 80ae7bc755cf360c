//! The `generic` driver: any host that answers SSH with a key we are given.
//!
//! Nothing is made or destroyed remotely: create copies the key into the
//! machine's directory, provisioning does the rest, and rm removes only
//! local state (and says so).

use std::fs;
use std::io::Write;
use std::net::IpAddr;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::time::Duration;

mod flags;

pub use flags::GenericFlags;
use machinectl_driver_api::checked::{HostAddress, SshUser};
use machinectl_driver_api::{
    Checkpoint, CreateContext, Driver, DriverError, MachineState, RemoveReport, Result, SshTarget,
    snapshot,
};
use serde::{Deserialize, Serialize};

/// The machine's copy of the user's key. A fixed name, never the user's
/// file name, so it cannot land on `key.pem` or `machine.json` beside it.
pub const KEY_COPY_NAME: &str = "id_generic";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GenericDriver {
    /// Checked where it enters (flag, import, machine.json): an IP or DNS name.
    pub ip_address: HostAddress,
    pub ssh_user: SshUser,
    pub ssh_port: u16,
    /// The key the user gave; after create, the machine's own copy of it.
    pub ssh_key: PathBuf,
    /// The key the user gave, once `ssh_key` is the copy (named in errors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_key_origin: Option<PathBuf>,
}

impl GenericDriver {
    fn unsupported(verb: &'static str) -> DriverError {
        DriverError::Unsupported {
            driver: Self::NAME,
            verb,
            why: "a generic host is not machinectl's to power on or off; use `machinectl ssh NAME` on the host instead",
        }
    }
}

impl Driver for GenericDriver {
    const NAME: &'static str = "generic";

    fn pre_create_check(&self) -> Result<()> {
        if self.ssh_port == 0 {
            return Err(DriverError::InvalidOption(
                "--generic-ssh-port must be between 1 and 65535".into(),
            ));
        }
        if let Err(e) = fs::File::open(&self.ssh_key) {
            return Err(DriverError::InvalidOption(format!(
                "cannot read SSH key {}: {e}; pass a private key with --generic-ssh-key",
                self.ssh_key.display()
            )));
        }
        Ok(())
    }

    fn wants_generated_key(&self) -> bool {
        false
    }

    async fn create(&mut self, ctx: &CreateContext, checkpoint: &mut dyn Checkpoint) -> Result<()> {
        let key = fs::read(&self.ssh_key)
            .map_err(|e| DriverError::io(format!("read {}", self.ssh_key.display()), e))?;
        let copy = ctx.machine_dir.join(KEY_COPY_NAME);
        let mut file = fs::OpenOptions::new()
            .create_new(true)
            .write(true)
            .mode(0o600)
            .open(&copy)
            .map_err(|e| DriverError::io(format!("create {}", copy.display()), e))?;
        file.write_all(&key)
            .map_err(|e| DriverError::io(format!("write {}", copy.display()), e))?;
        self.ssh_key_origin = Some(std::mem::replace(&mut self.ssh_key, copy));
        checkpoint.save(snapshot(self)?)
    }

    fn ssh_target(&self) -> Option<SshTarget> {
        Some(SshTarget {
            host: self.ip_address.to_string(),
            port: self.ssh_port,
            user: self.ssh_user.to_string(),
            key_path: self.ssh_key.clone(),
            key_origin: self.ssh_key_origin.clone(),
        })
    }

    /// Only a literal address: a DNS name is never looked up here, because
    /// env, config, url and ls must not touch the network.
    fn ip(&self) -> Option<IpAddr> {
        self.ip_address.ip()
    }

    fn engine_host(&self) -> Option<String> {
        Some(self.ip_address.to_string())
    }

    async fn state(&self, timeout: Duration) -> Result<MachineState> {
        let addr = (self.ip_address.as_str(), self.ssh_port);
        match tokio::time::timeout(timeout, tokio::net::TcpStream::connect(addr)).await {
            Ok(Ok(_)) => Ok(MachineState::Running),
            Ok(Err(_)) => Ok(MachineState::Error),
            Err(_) => Ok(MachineState::Timeout),
        }
    }

    async fn start(&mut self) -> Result<()> {
        Err(Self::unsupported("start"))
    }

    async fn stop(&mut self) -> Result<()> {
        Err(Self::unsupported("stop"))
    }

    async fn kill(&mut self) -> Result<()> {
        Err(Self::unsupported("kill"))
    }

    async fn remove(&mut self) -> Result<RemoveReport> {
        Ok(RemoveReport {
            note: Some(format!(
                "only local state was removed; the host at {} and its Docker engine were left as they are",
                self.ip_address
            )),
            ..RemoveReport::default()
        })
    }
}
