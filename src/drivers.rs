//! The closed set of drivers, registered in one place ([`drivers!`] at the
//! bottom): each line names the enum variant a record persists (a
//! serde-tagged enum), the driver type, its flags type, the name users type
//! and docker-machine's names for it. Everything that differs between
//! drivers is behind the `Driver` and `DriverFlags` traits of drivers/api;
//! this module only dispatches. Adding a driver is a crate plus one line
//! here.

use std::net::IpAddr;
use std::time::Duration;

use anyhow::anyhow;
use clap::FromArgMatches;
use machinectl_driver_api::{
    Checkpoint, CreateContext, Driver, DriverFlags, MachineState, RemoveReport, Result, SshTarget,
};
use machinectl_driver_aws::{AwsDriver, AwsFlags};
use machinectl_driver_azure::{AzureDriver, AzureFlags};
use machinectl_driver_digitalocean::{DigitalOceanDriver, DigitalOceanFlags};
use machinectl_driver_gce::{GceDriver, GceFlags};
use machinectl_driver_generic::{GenericDriver, GenericFlags};
use machinectl_driver_local::{LocalDriver, LocalFlags};
use machinectl_driver_virtualbox::{VirtualBoxDriver, VirtualBoxFlags};
use serde::{Deserialize, Serialize};

/// docker-machine's drivers that machinectl does not have: named in the
/// error so a docker-machine user knows the name was understood, and
/// pointed at `generic`, which takes any host SSH reaches.
pub const OTHER_DOCKER_MACHINE_DRIVERS: &[&str] = &[
    "exoscale",
    "hyperv",
    "none",
    "openstack",
    "rackspace",
    "softlayer",
    "vmwarefusion",
    "vmwarevcloudair",
    "vmwarevsphere",
];

/// A driver built from `create`'s flags, and the engine port its flags set.
pub struct FromFlags {
    pub driver: MachineDriver,
    pub engine_port: Option<u16>,
}

macro_rules! drivers {
    ($( $variant:ident($stored:ty): $driver:ty, $flags:ty, $name:literal $(| $alias:literal)*; )*) => {
        #[derive(Debug, Clone, Serialize, Deserialize)]
        #[serde(tag = "name", rename_all = "lowercase")]
        pub enum MachineDriver {
            $( $variant($stored), )*
        }

        /// Names accepted by `--driver`.
        pub const DRIVER_NAMES: &[&str] = &[$($name),*];

        /// docker-machine's driver names mapped to ours (others left as
        /// they are, for the message that names them).
        pub fn canonical_name(name: &str) -> &str {
            match name {
                $( $( $alias => $name, )* )*
                other => other,
            }
        }

        /// `create`'s command with the flags of `driver` (all drivers' with
        /// none: for completions and the manual page).
        pub fn with_driver_flags(mut command: clap::Command, driver: Option<&str>) -> clap::Command {
            $(
                if driver.is_none_or(|d| canonical_name(d) == $name) {
                    command = <$flags as clap::Args>::augment_args(command);
                }
            )*
            command
        }

        /// The driver `create`'s flags describe, checked; nothing is made.
        pub fn from_flags(
            name: &str,
            matches: &clap::ArgMatches,
            machine: &str,
            engine_port: u16,
        ) -> anyhow::Result<FromFlags> {
            match canonical_name(name) {
                $(
                    $name => {
                        let flags = <$flags>::from_arg_matches(matches)?;
                        let engine_port_flag = flags.engine_port();
                        let driver = flags.build(machine, engine_port_flag.unwrap_or(engine_port))?;
                        Ok(FromFlags {
                            driver: MachineDriver::$variant(<$stored>::from(driver)),
                            engine_port: engine_port_flag,
                        })
                    }
                )*
                other if OTHER_DOCKER_MACHINE_DRIVERS.contains(&other) => Err(anyhow!(
                    "driver {other:?} is a docker-machine driver machinectl does not have: choose one of {} (generic takes any host SSH reaches)",
                    DRIVER_NAMES.join(", ")
                )),
                other => Err(anyhow!(
                    "unknown driver {other:?}: choose one of {}",
                    DRIVER_NAMES.join(", ")
                )),
            }
        }

        /// Variables whose values are credentials of some driver's provider.
        pub fn secret_variables() -> impl Iterator<Item = &'static str> {
            [$( <$driver as Driver>::SECRET_VARIABLES ),*].into_iter().flatten().copied()
        }

        /// The states of many machines, asked of each driver's provider in
        /// as few calls as it can; none where a machine must be asked itself.
        pub async fn states_of(
            drivers: &[&MachineDriver],
            timeout: Duration,
        ) -> Vec<Option<Result<MachineState>>> {
            let mut states: Vec<Option<Result<MachineState>>> =
                drivers.iter().map(|_| None).collect();
            $(
                let (at, these): (Vec<usize>, Vec<&$driver>) = drivers
                    .iter()
                    .enumerate()
                    .filter_map(|(i, d)| match d {
                        MachineDriver::$variant(inner) => {
                            Some((i, <$stored as std::borrow::Borrow<$driver>>::borrow(inner)))
                        }
                        #[allow(unreachable_patterns)]
                        _ => None,
                    })
                    .unzip();
                if !these.is_empty()
                    && let Some(found) = <$driver as Driver>::states_of(&these, timeout).await
                {
                    for (i, state) in at.into_iter().zip(found) {
                        states[i] = Some(state);
                    }
                }
            )*
            states
        }

        impl MachineDriver {
            pub fn name(&self) -> &'static str {
                match self {
                    $( MachineDriver::$variant(_) => <$driver as Driver>::NAME, )*
                }
            }

            /// Rebuild the driver from a checkpointed snapshot of itself.
            pub fn restore(&mut self, state: serde_json::Value) -> Result<()> {
                let restored = match self {
                    $(
                        MachineDriver::$variant(_) => {
                            serde_json::from_value::<$driver>(state)
                                .map(|d| MachineDriver::$variant(<$stored>::from(d)))
                        }
                    )*
                };
                *self = restored.map_err(|e| {
                    machinectl_driver_api::DriverError::Other(format!("driver snapshot: {e}"))
                })?;
                Ok(())
            }
        }

        macro_rules! dispatch {
            ($self_:expr, $d:ident => $body:expr) => {
                match $self_ {
                    $( MachineDriver::$variant($d) => $body, )*
                }
            };
        }
    };
}

drivers! {
    Local(LocalDriver): LocalDriver, LocalFlags, "local";
    Generic(GenericDriver): GenericDriver, GenericFlags, "generic";
    Aws(Box<AwsDriver>): AwsDriver, AwsFlags, "aws" | "amazonec2";
    DigitalOcean(Box<DigitalOceanDriver>): DigitalOceanDriver, DigitalOceanFlags, "digitalocean";
    VirtualBox(Box<VirtualBoxDriver>): VirtualBoxDriver, VirtualBoxFlags, "virtualbox";
    Gce(Box<GceDriver>): GceDriver, GceFlags, "gce" | "google";
    Azure(Box<AzureDriver>): AzureDriver, AzureFlags, "azure";
}

impl MachineDriver {
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

    pub fn debug_counters(&self) -> Option<String> {
        dispatch!(self, d => d.debug_counters())
    }

    // The cluster seam (drivers/api/src/cluster.rs).

    pub fn takes_user_data(&self) -> bool {
        dispatch!(self, d => d.takes_user_data())
    }

    pub fn cluster_check(&self) -> Result<()> {
        dispatch!(self, d => d.cluster_check())
    }

    pub async fn prepare_cluster(
        &self,
        cluster: &machinectl_driver_api::Cluster,
    ) -> Result<Vec<machinectl_driver_api::Found>> {
        dispatch!(self, d => d.prepare_cluster(cluster).await)
    }

    pub async fn cluster_resources(
        &self,
        cluster: &machinectl_driver_api::cluster::ClusterName,
    ) -> Result<Vec<machinectl_driver_api::Found>> {
        dispatch!(self, d => d.cluster_resources(cluster).await)
    }

    pub async fn remove_cluster_resources(
        &self,
        found: &[machinectl_driver_api::Found],
    ) -> Result<RemoveReport> {
        dispatch!(self, d => d.remove_cluster_resources(found).await)
    }

    pub fn cluster_auto_join(
        &self,
        cluster: &machinectl_driver_api::Cluster,
    ) -> Option<machinectl_driver_api::Secret> {
        dispatch!(self, d => d.cluster_auto_join(cluster))
    }
}
