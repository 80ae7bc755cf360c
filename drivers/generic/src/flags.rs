//! `machinectl create --driver generic` flags: docker-machine's names and
//! environment variables.

use std::path::PathBuf;

use clap::Args;
use machinectl_driver_api::{DriverError, DriverFlags, Result, absolute};

use crate::GenericDriver;

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "generic driver")]
pub struct GenericFlags {
    /// Address of the SSH host (required)
    #[arg(long, env = "GENERIC_IP_ADDRESS", value_name = "IP|NAME")]
    pub generic_ip_address: Option<String>,
    /// SSH user (root, or one with passwordless sudo)
    #[arg(long, env = "GENERIC_SSH_USER", default_value = "root")]
    pub generic_ssh_user: String,
    /// Private key the host accepts (required)
    #[arg(long, env = "GENERIC_SSH_KEY", value_name = "FILE")]
    pub generic_ssh_key: Option<PathBuf>,
    /// SSH port
    #[arg(long, env = "GENERIC_SSH_PORT", default_value_t = 22)]
    pub generic_ssh_port: u16,
    /// Engine port on the host [default: --engine-port]
    #[arg(long, env = "GENERIC_ENGINE_PORT")]
    pub generic_engine_port: Option<u16>,
}

/// A checked value from a flag; the error names the flag.
fn checked<T: TryFrom<String, Error = String>>(flag: &str, value: &str) -> Result<T> {
    T::try_from(value.to_string())
        .map_err(|why| DriverError::InvalidOption(format!("invalid {flag}: {why}")))
}

impl DriverFlags for GenericFlags {
    type Driver = GenericDriver;

    fn build(self, _machine: &str, _engine_port: u16) -> Result<GenericDriver> {
        // An empty variable (GENERIC_IP_ADDRESS=) counts as absent.
        let ip = self
            .generic_ip_address
            .filter(|ip| !ip.is_empty())
            .ok_or_else(|| {
                DriverError::InvalidOption(
                    "--generic-ip-address is required with --driver generic: give the SSH host's address"
                        .into(),
                )
            })?;
        let key = self.generic_ssh_key.ok_or_else(|| {
            DriverError::InvalidOption(
                "--generic-ssh-key is required with --driver generic: give a private key the host accepts"
                    .into(),
            )
        })?;
        Ok(GenericDriver {
            ip_address: checked("--generic-ip-address", &ip)?,
            ssh_user: checked("--generic-ssh-user", &self.generic_ssh_user)?,
            ssh_port: self.generic_ssh_port,
            ssh_key: absolute(key),
            ssh_key_origin: None,
        })
    }

    fn engine_port(&self) -> Option<u16> {
        self.generic_engine_port
    }
}
