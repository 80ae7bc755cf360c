//! `machinectl create --driver gce` flags: `--gce-*`, with docker-machine's
//! `--google-*` names as aliases and its GOOGLE_* environment variables,
//! plus the credentials, labels, spot, user-data, allowed-CIDR and endpoint
//! flags docker-machine did not have.

use std::path::PathBuf;

use clap::Args;
use machinectl_driver_api::checked::SshUser;
use machinectl_driver_api::{DriverError, DriverFlags, Result, absolute};

use crate::auth::{CredentialSource, Credentials};
use crate::checked::{
    Cidr, Endpoint, Image, Label, NetworkTag, Project, ResourceName, Scope, ServiceAccount, Zone,
};
use crate::{DEFAULT_ENDPOINT, GceDriver, Options, Resources, read_user_data};

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "gce driver")]
pub struct GceFlags {
    /// Service-account key or authorized-user JSON file [default: gcloud's application-default login, then the metadata server]
    #[arg(
        long,
        visible_alias = "google-credentials",
        env = "GOOGLE_APPLICATION_CREDENTIALS",
        value_name = "FILE"
    )]
    pub gce_credentials: Option<PathBuf>,
    /// Project id [default: the credentials' project]
    #[arg(
        long,
        visible_alias = "google-project",
        env = "GOOGLE_PROJECT",
        value_name = "ID"
    )]
    pub gce_project: Option<Project>,
    /// Zone
    #[arg(
        long,
        visible_alias = "google-zone",
        env = "GOOGLE_ZONE",
        default_value = "us-central1-a"
    )]
    pub gce_zone: Zone,
    /// Machine type
    #[arg(
        long,
        visible_alias = "google-machine-type",
        env = "GOOGLE_MACHINE_TYPE",
        default_value = "e2-small"
    )]
    pub gce_machine_type: ResourceName,
    /// Image: PROJECT/global/images/family/FAMILY (resolved to its newest image), PROJECT/global/images/IMAGE or PROJECT/IMAGE
    #[arg(
        long,
        visible_alias = "google-machine-image",
        env = "GOOGLE_MACHINE_IMAGE",
        default_value = "ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64"
    )]
    pub gce_machine_image: Image,
    /// Boot disk size in GB
    #[arg(
        long,
        visible_alias = "google-disk-size",
        env = "GOOGLE_DISK_SIZE",
        default_value_t = 20
    )]
    pub gce_disk_size: u32,
    /// Boot disk type (pd-standard, pd-balanced, pd-ssd, hyperdisk-balanced)
    #[arg(
        long,
        visible_alias = "google-disk-type",
        env = "GOOGLE_DISK_TYPE",
        default_value = "pd-balanced"
    )]
    pub gce_disk_type: ResourceName,
    /// VPC network
    #[arg(
        long,
        visible_alias = "google-network",
        env = "GOOGLE_NETWORK",
        default_value = "default"
    )]
    pub gce_network: ResourceName,
    /// Subnetwork of the network in the zone's region
    #[arg(
        long,
        visible_alias = "google-subnetwork",
        env = "GOOGLE_SUBNETWORK",
        value_name = "NAME"
    )]
    pub gce_subnetwork: Option<ResourceName>,
    /// Extra network tags, comma-separated (`machinectl` is always there)
    #[arg(
        long,
        visible_alias = "google-tags",
        env = "GOOGLE_TAGS",
        value_delimiter = ','
    )]
    pub gce_tags: Vec<NetworkTag>,
    /// Extra labels, key=value comma-separated
    #[arg(
        long,
        visible_alias = "google-labels",
        env = "GOOGLE_LABELS",
        value_delimiter = ','
    )]
    pub gce_labels: Vec<Label>,
    /// Reach the instance at its internal address
    #[arg(
        long,
        visible_alias = "google-use-internal-ip",
        env = "GOOGLE_USE_INTERNAL_IP"
    )]
    pub gce_use_internal_ip: bool,
    /// Give the instance no external address (implies --gce-use-internal-ip)
    #[arg(
        long,
        visible_alias = "google-use-internal-ip-only",
        env = "GOOGLE_USE_INTERNAL_IP_ONLY"
    )]
    pub gce_use_internal_ip_only: bool,
    /// A preemptible instance
    #[arg(long, visible_alias = "google-preemptible", env = "GOOGLE_PREEMPTIBLE")]
    pub gce_preemptible: bool,
    /// A Spot instance (stopped, not deleted, when reclaimed)
    #[arg(long, visible_alias = "google-spot", env = "GOOGLE_SPOT")]
    pub gce_spot: bool,
    /// SSH user the key is installed for
    #[arg(
        long,
        visible_alias = "google-username",
        env = "GOOGLE_USERNAME",
        default_value = "docker-user"
    )]
    pub gce_username: SshUser,
    /// The instance's OAuth scopes, comma-separated (short names or URLs)
    #[arg(
        long,
        visible_alias = "google-scopes",
        env = "GOOGLE_SCOPES",
        value_delimiter = ',',
        default_value = "devstorage.read_only,logging.write"
    )]
    pub gce_scopes: Vec<Scope>,
    /// The instance's service account (e-mail, or default)
    #[arg(
        long,
        visible_alias = "google-service-account",
        env = "GOOGLE_SERVICE_ACCOUNT",
        default_value = "default"
    )]
    pub gce_service_account: ServiceAccount,
    /// A cloud-init user-data file (metadata user-data, at most 256 KiB)
    #[arg(
        long,
        visible_alias = "google-userdata",
        env = "GOOGLE_USERDATA",
        value_name = "FILE"
    )]
    pub gce_userdata: Option<PathBuf>,
    /// Who may reach SSH and the engine port (comma-separated addresses or CIDRs)
    #[arg(
        long,
        visible_alias = "google-allowed-cidr",
        env = "GOOGLE_ALLOWED_CIDR",
        default_value = "0.0.0.0/0",
        value_delimiter = ','
    )]
    pub gce_allowed_cidr: Vec<Cidr>,
    /// Compute API endpoint (rootUrl + servicePath)
    #[arg(long, visible_alias = "google-endpoint", env = "GOOGLE_COMPUTE_ENDPOINT", default_value = DEFAULT_ENDPOINT, value_name = "URL")]
    pub gce_endpoint: Endpoint,
}

fn invalid(line: &str) -> DriverError {
    DriverError::InvalidOption(line.to_string())
}

impl GceFlags {
    fn check(&self) -> Result<()> {
        if !(10..=65536).contains(&self.gce_disk_size) {
            return Err(invalid("--gce-disk-size must be between 10 and 65536 (GB)"));
        }
        if self.gce_allowed_cidr.is_empty() {
            return Err(invalid(
                "--gce-allowed-cidr is empty: give at least one address or CIDR (0.0.0.0/0 for everywhere)",
            ));
        }
        if self.gce_scopes.is_empty() {
            return Err(invalid(
                "--gce-scopes is empty: give at least one scope (e.g. cloud-platform)",
            ));
        }
        let mut keys: Vec<&str> = self.gce_labels.iter().map(|l| l.key()).collect();
        keys.sort_unstable();
        if keys.windows(2).any(|w| w[0] == w[1]) {
            return Err(invalid(
                "--gce-labels names one key twice: give each key once",
            ));
        }
        if keys.len() > 62 {
            return Err(invalid(
                "--gce-labels: an instance takes at most 64 labels, and machinectl sets 2",
            ));
        }
        Ok(())
    }
}

impl DriverFlags for GceFlags {
    type Driver = GceDriver;

    fn build(self, machine: &str, engine_port: u16) -> Result<GceDriver> {
        self.check()?;
        let credentials = CredentialSource::find(self.gce_credentials.clone().map(absolute));
        let project = match self.gce_project.clone() {
            Some(p) => Some(p),
            None => match &credentials {
                CredentialSource::File(_) => Credentials::load(&credentials)?
                    .project()
                    .map(|p| {
                        Project::try_from(p).map_err(|why| {
                            invalid(&format!(
                                "the credentials' project: {why}; give --gce-project"
                            ))
                        })
                    })
                    .transpose()?,
                CredentialSource::Metadata => None,
            },
        };
        let user_data_path = self.gce_userdata.map(absolute);
        // Read and size-checked now, before anything is written or sent.
        let user_data = user_data_path.as_deref().map(read_user_data).transpose()?;
        let driver = GceDriver {
            endpoint: self.gce_endpoint,
            credentials,
            machine: machine.to_string(),
            engine_port,
            options: Options {
                project,
                zone: self.gce_zone,
                machine_type: self.gce_machine_type,
                image: self.gce_machine_image,
                disk_size: self.gce_disk_size,
                disk_type: self.gce_disk_type,
                network: self.gce_network,
                subnetwork: self.gce_subnetwork,
                tags: self.gce_tags,
                labels: self.gce_labels,
                use_internal_ip: self.gce_use_internal_ip,
                use_internal_ip_only: self.gce_use_internal_ip_only,
                preemptible: self.gce_preemptible,
                spot: self.gce_spot,
                username: self.gce_username,
                scopes: self.gce_scopes,
                service_account: self.gce_service_account,
                allowed: self.gce_allowed_cidr,
                user_data: user_data_path,
            },
            resources: Resources::default(),
            ssh_key: None,
            user_data,
        };
        machinectl_driver_api::Driver::pre_create_check(&driver)?;
        Ok(driver)
    }
}
