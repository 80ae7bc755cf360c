//! `machinectl create --driver local` flags.

use clap::Args;
use machinectl_driver_api::{DriverFlags, Result};

use crate::{LocalDriver, Subnet};

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "local driver")]
pub struct LocalFlags {
    /// Subnet of local hosts; its first address is the bridge's
    #[arg(long, env = "MACHINECTL_LOCAL_SUBNET", default_value = "10.231.0.0/24")]
    pub local_subnet: Subnet,
}

impl DriverFlags for LocalFlags {
    type Driver = LocalDriver;

    fn build(self, _machine: &str, _engine_port: u16) -> Result<LocalDriver> {
        Ok(LocalDriver::new(self.local_subnet))
    }
}
