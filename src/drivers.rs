//! The closed set of drivers, persisted as a serde-tagged enum and
//! dispatched without trait objects.

use std::net::IpAddr;
use std::time::Duration;

use machinectl_driver_api::{
    Checkpoint, CreateContext, Driver, MachineState, RemoveReport, Result, SshTarget,
};
use machinectl_driver_aws::AwsDriver;
use machinectl_driver_generic::GenericDriver;
use machinectl_driver_local::LocalDriver;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "name", rename_all = "lowercase")]
pub enum MachineDriver {
    Local(LocalDriver),
    Generic(GenericDriver),
    /// Boxed: it is much larger than the others.
    Aws(Box<AwsDriver>),
}

/// Names accepted by `--driver`.
pub const DRIVER_NAMES: &[&str] = &["local", "generic", "aws"];

/// Drivers on the roadmap (DESIGN.md) but not in this build: named in the
/// error so a docker-machine user knows the name was understood.
pub const PLANNED_DRIVERS: &[&str] = &["virtualbox", "digitalocean", "gce", "azure"];

/// docker-machine's driver names mapped to ours.
pub fn canonical_name(name: &str) -> &str {
    match name {
        "amazonec2" => "aws",
        "google" => "gce",
        other => other,
    }
}

macro_rules! dispatch {
    ($self:expr, $d:ident => $body:expr) => {
        match $self {
            MachineDriver::Local($d) => $body,
            MachineDriver::Generic($d) => $body,
            MachineDriver::Aws($d) => $body,
        }
    };
}

impl MachineDriver {
    pub fn name(&self) -> &'static str {
        match self {
            MachineDriver::Local(_) => LocalDriver::NAME,
            MachineDriver::Generic(_) => GenericDriver::NAME,
            MachineDriver::Aws(_) => AwsDriver::NAME,
        }
    }

    pub fn pre_create_check(&self) -> Result<()> {
        dispatch!(self, d => d.pre_create_check())
    }

    pub fn wants_generated_key(&self) -> bool {
        dispatch!(self, d => d.wants_generated_key())
    }

    pub async fn create(
        &mut self,
        ctx: &CreateContext,
        checkpoint: &mut dyn Checkpoint,
    ) -> Result<()> {
        dispatch!(self, d => d.create(ctx, checkpoint).await)
    }

    /// Rebuild the driver from a checkpointed snapshot of itself.
    pub fn restore(&mut self, state: serde_json::Value) -> Result<()> {
        let restored = match self {
            MachineDriver::Local(_) => serde_json::from_value(state).map(MachineDriver::Local),
            MachineDriver::Generic(_) => serde_json::from_value(state).map(MachineDriver::Generic),
            MachineDriver::Aws(_) => {
                serde_json::from_value(state).map(|d| MachineDriver::Aws(Box::new(d)))
            }
        };
        *self = restored.map_err(|e| {
            machinectl_driver_api::DriverError::Other(format!("driver snapshot: {e}"))
        })?;
        Ok(())
    }

    pub fn ssh_target(&self) -> Option<SshTarget> {
        dispatch!(self, d => d.ssh_target())
    }

    pub fn ip(&self) -> Option<IpAddr> {
        dispatch!(self, d => d.ip())
    }

    pub fn engine_host(&self) -> Option<String> {
        dispatch!(self, d => d.engine_host())
    }

    pub fn peer_address(&self) -> Option<IpAddr> {
        dispatch!(self, d => d.peer_address())
    }

    pub fn addresses(&self) -> Vec<IpAddr> {
        dispatch!(self, d => d.addresses())
    }

    pub async fn state(&self, timeout: Duration) -> Result<MachineState> {
        dispatch!(self, d => d.state(timeout).await)
    }

    pub async fn start(&mut self) -> Result<()> {
        dispatch!(self, d => d.start().await)
    }

    pub async fn stop(&mut self) -> Result<()> {
        dispatch!(self, d => d.stop().await)
    }

    pub async fn kill(&mut self) -> Result<()> {
        dispatch!(self, d => d.kill().await)
    }

    pub async fn remove(&mut self) -> Result<RemoveReport> {
        dispatch!(self, d => d.remove().await)
    }

    pub fn host_key(&self) -> Option<String> {
        dispatch!(self, d => d.host_key())
    }

    pub fn ssh_auth_may_lag(&self) -> bool {
        dispatch!(self, d => d.ssh_auth_may_lag())
    }

    pub fn check_engine_upgrade(&self) -> Result<()> {
        dispatch!(self, d => d.check_engine_upgrade())
    }

    pub fn engine_needs_start_after_boot(&self) -> bool {
        dispatch!(self, d => d.engine_needs_start_after_boot())
    }
}
