//! `machinectl create --driver digitalocean` flags: docker-machine's names
//! and environment variables, plus the VPC, firewall and API URL flags
//! docker-machine did not have.

use std::path::PathBuf;

use clap::Args;
use machinectl_driver_api::checked::SshUser;
use machinectl_driver_api::{DriverError, DriverFlags, Result, Secret, absolute};

use crate::checked::{ApiUrl, Cidr, Image, KeyFingerprint, Region, Size, TagName, VpcUuid};
use crate::{DEFAULT_API_URL, DigitalOceanDriver, Options, Resources, read_user_data};

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "digitalocean driver")]
pub struct DigitalOceanFlags {
    /// API token with read and write scope (required)
    #[arg(
        long,
        env = "DIGITALOCEAN_ACCESS_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub digitalocean_access_token: Option<String>,
    /// Region slug
    #[arg(long, env = "DIGITALOCEAN_REGION", default_value = "nyc3")]
    pub digitalocean_region: Region,
    /// Size slug
    #[arg(long, env = "DIGITALOCEAN_SIZE", default_value = "s-1vcpu-1gb")]
    pub digitalocean_size: Size,
    /// Image slug or id
    #[arg(long, env = "DIGITALOCEAN_IMAGE", default_value = "ubuntu-24-04-x64")]
    pub digitalocean_image: Image,
    /// Give the droplet an IPv6 address
    #[arg(long, env = "DIGITALOCEAN_IPV6")]
    pub digitalocean_ipv6: bool,
    /// Private networking (deprecated by DigitalOcean: every droplet is in a VPC; see --digitalocean-vpc-uuid)
    #[arg(long, env = "DIGITALOCEAN_PRIVATE_NETWORKING")]
    pub digitalocean_private_networking: bool,
    /// VPC to place the droplet in [default: the region's default VPC]
    #[arg(long, env = "DIGITALOCEAN_VPC_UUID", value_name = "UUID")]
    pub digitalocean_vpc_uuid: Option<VpcUuid>,
    /// Enable backups
    #[arg(long, env = "DIGITALOCEAN_BACKUPS")]
    pub digitalocean_backups: bool,
    /// Install the monitoring agent
    #[arg(long, env = "DIGITALOCEAN_MONITORING")]
    pub digitalocean_monitoring: bool,
    /// SSH user
    #[arg(long, env = "DIGITALOCEAN_SSH_USER", default_value = "root")]
    pub digitalocean_ssh_user: SshUser,
    /// SSH port
    #[arg(long, env = "DIGITALOCEAN_SSH_PORT", default_value_t = 22)]
    pub digitalocean_ssh_port: u16,
    /// Use this account SSH key (with --digitalocean-ssh-key-path) instead of adding one per machine; rm leaves it
    #[arg(
        long,
        env = "DIGITALOCEAN_SSH_KEY_FINGERPRINT",
        value_name = "FINGERPRINT"
    )]
    pub digitalocean_ssh_key_fingerprint: Option<KeyFingerprint>,
    /// Private key of --digitalocean-ssh-key-fingerprint
    #[arg(long, env = "DIGITALOCEAN_SSH_KEY_PATH", value_name = "FILE")]
    pub digitalocean_ssh_key_path: Option<PathBuf>,
    /// Extra droplet tags, comma-separated
    #[arg(long, env = "DIGITALOCEAN_TAGS", default_value = "")]
    pub digitalocean_tags: String,
    /// A cloud-init user-data file (at most 64 KiB)
    #[arg(long, env = "DIGITALOCEAN_USERDATA", value_name = "FILE")]
    pub digitalocean_userdata: Option<PathBuf>,
    /// Who may reach SSH and the engine port (comma-separated addresses or CIDRs)
    #[arg(
        long,
        env = "DIGITALOCEAN_ALLOWED_CIDR",
        default_value = "0.0.0.0/0,::/0",
        value_delimiter = ','
    )]
    pub digitalocean_allowed_cidr: Vec<Cidr>,
    /// Reach the droplet at its private (VPC) address
    #[arg(long, env = "DIGITALOCEAN_USE_PRIVATE_ADDRESS")]
    pub digitalocean_use_private_address: bool,
    /// API base URL
    #[arg(
        long,
        env = "DIGITALOCEAN_API_URL",
        default_value = DEFAULT_API_URL,
        value_name = "URL"
    )]
    pub digitalocean_api_url: ApiUrl,
}

/// A token as it may go in an `Authorization` header: printable ASCII
/// without spaces. The message never repeats it.
fn check_token(token: &str) -> Result<()> {
    if token.is_empty() {
        return Err(DriverError::InvalidOption(
            "--digitalocean-access-token is required with --driver digitalocean: give an API token with read and write scope, or set DIGITALOCEAN_ACCESS_TOKEN".into(),
        ));
    }
    if token.len() > 512 || !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(DriverError::InvalidOption(
            "--digitalocean-access-token is not a token (it holds spaces or other characters a token has not): copy it again from API → Tokens".into(),
        ));
    }
    Ok(())
}

impl DriverFlags for DigitalOceanFlags {
    type Driver = DigitalOceanDriver;

    fn build(self, machine: &str, engine_port: u16) -> Result<DigitalOceanDriver> {
        let token = self.digitalocean_access_token.unwrap_or_default();
        check_token(&token)?;
        if self.digitalocean_ssh_port == 0 {
            return Err(DriverError::InvalidOption(
                "--digitalocean-ssh-port must be between 1 and 65535".into(),
            ));
        }
        let tags = self
            .digitalocean_tags
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| {
                TagName::try_from(t).map_err(|why| {
                    DriverError::InvalidOption(format!("invalid --digitalocean-tags: {why}"))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        if self.digitalocean_allowed_cidr.is_empty() {
            return Err(DriverError::InvalidOption(
                "--digitalocean-allowed-cidr is empty: give at least one address or CIDR (0.0.0.0/0,::/0 for everywhere)".into(),
            ));
        }
        let ssh_key_path = self.digitalocean_ssh_key_path.map(absolute);
        let user_data_path = self.digitalocean_userdata.map(absolute);
        // Read and size-checked now, before anything is written or sent.
        let user_data = match &user_data_path {
            Some(path) => Some(read_user_data(path)?),
            None => None,
        };
        let driver = DigitalOceanDriver {
            api_url: self.digitalocean_api_url,
            token: Secret::new(token),
            machine: machine.to_string(),
            engine_port,
            options: Options {
                region: self.digitalocean_region,
                size: self.digitalocean_size,
                image: self.digitalocean_image,
                ipv6: self.digitalocean_ipv6,
                private_networking: self.digitalocean_private_networking,
                vpc_uuid: self.digitalocean_vpc_uuid,
                backups: self.digitalocean_backups,
                monitoring: self.digitalocean_monitoring,
                ssh_user: self.digitalocean_ssh_user,
                ssh_port: self.digitalocean_ssh_port,
                ssh_key_fingerprint: self.digitalocean_ssh_key_fingerprint,
                ssh_key_path,
                tags,
                user_data: user_data_path,
                allowed: self.digitalocean_allowed_cidr,
                use_private_address: self.digitalocean_use_private_address,
            },
            resources: Resources::default(),
            ssh_key: None,
            user_data,
            cluster_tags: Vec::new(),
        };
        machinectl_driver_api::Driver::pre_create_check(&driver)?;
        Ok(driver)
    }
}
