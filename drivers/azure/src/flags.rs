//! `machinectl create --driver azure` flags: docker-machine's names and
//! `AZURE_*` environment variables (with Rancher's additions: tenant, NSG,
//! disk size, zone, tags), plus the endpoint overrides, allowed sources and
//! deallocate-on-stop. Everything is checked here, before any call.

use std::net::Ipv4Addr;
use std::path::PathBuf;

use clap::Args;
use machinectl_driver_api::{DriverError, DriverFlags, Result, Secret, absolute};

use crate::auth::{Cloud, Credentials, Environment};
use crate::checked::{
    AdminUser, DnsLabel, Endpoint, Guid, Image, Ipv4Cidr, Location, NetworkName, ResourceGroup,
    SourcePrefix, TagText, Tenant, VmName, VmSize,
};
use crate::{AzureDriver, DEFAULT_IMAGE, Options, Resources, StorageType, read_custom_data};

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "azure driver")]
pub struct AzureFlags {
    /// Subscription id [default: the Azure CLI's current subscription]
    #[arg(long, env = "AZURE_SUBSCRIPTION_ID", value_name = "GUID")]
    pub azure_subscription_id: Option<Guid>,
    /// Service principal's tenant (id or domain)
    #[arg(long, env = "AZURE_TENANT_ID", value_name = "TENANT")]
    pub azure_tenant_id: Option<Tenant>,
    /// Service principal's application (client) id [default: sign in with the Azure CLI]
    #[arg(long, env = "AZURE_CLIENT_ID", value_name = "GUID")]
    pub azure_client_id: Option<Guid>,
    /// Service principal's client secret
    #[arg(
        long,
        env = "AZURE_CLIENT_SECRET",
        hide_env_values = true,
        value_name = "SECRET"
    )]
    pub azure_client_secret: Option<String>,
    /// Service principal's certificate: a PEM file with its RSA private key and certificate
    #[arg(long, env = "AZURE_CLIENT_CERTIFICATE_PATH", value_name = "FILE")]
    pub azure_client_certificate_path: Option<PathBuf>,
    /// Azure cloud
    #[arg(
        long,
        env = "AZURE_ENVIRONMENT",
        value_enum,
        default_value = "AzurePublicCloud"
    )]
    pub azure_environment: Environment,
    /// Resource Manager endpoint [default: the environment's]
    #[arg(long, env = "AZURE_ENDPOINT", value_name = "URL")]
    pub azure_endpoint: Option<Endpoint>,
    /// Microsoft Entra login endpoint [default: the environment's]
    #[arg(long, env = "AZURE_LOGIN_ENDPOINT", value_name = "URL")]
    pub azure_login_endpoint: Option<Endpoint>,
    /// Location (region)
    #[arg(long, env = "AZURE_LOCATION", default_value = "westus")]
    pub azure_location: Location,
    /// VM size
    #[arg(long, env = "AZURE_SIZE", default_value = "Standard_B2s")]
    pub azure_size: VmSize,
    /// Image as publisher:offer:sku:version
    #[arg(long, env = "AZURE_IMAGE", default_value = DEFAULT_IMAGE)]
    pub azure_image: Image,
    /// Resource group (made when missing, and then removed with its last machine)
    #[arg(long, env = "AZURE_RESOURCE_GROUP", default_value = "machinectl")]
    pub azure_resource_group: ResourceGroup,
    /// Virtual network, as [resource-group:]name (made when missing)
    #[arg(long, env = "AZURE_VNET", default_value = "machinectl-vnet")]
    pub azure_vnet: String,
    /// Subnet of the virtual network (made when missing)
    #[arg(long, env = "AZURE_SUBNET", default_value = "machinectl")]
    pub azure_subnet: NetworkName,
    /// Address range of a subnet (and network) machinectl makes
    #[arg(long, env = "AZURE_SUBNET_PREFIX", default_value = "192.168.0.0/16")]
    pub azure_subnet_prefix: Ipv4Cidr,
    /// Network security group to use (made when missing) [default: NAME-firewall, the machine's own]
    #[arg(long, env = "AZURE_NSG", value_name = "NAME")]
    pub azure_nsg: Option<NetworkName>,
    /// Static public IP (Azure's Standard addresses always are)
    #[arg(long, env = "AZURE_STATIC_PUBLIC_IP")]
    pub azure_static_public_ip: bool,
    /// A DNS label for the public IP (LABEL.LOCATION.cloudapp.azure.com), which the engine URL then names
    #[arg(long, env = "AZURE_DNS_LABEL", value_name = "LABEL")]
    pub azure_dns: Option<DnsLabel>,
    /// No public IP (needs --azure-use-private-ip)
    #[arg(long, env = "AZURE_NO_PUBLIC_IP")]
    pub azure_no_public_ip: bool,
    /// Reach the VM at its private address
    #[arg(long, env = "AZURE_USE_PRIVATE_IP")]
    pub azure_use_private_ip: bool,
    /// A static private address in the subnet
    #[arg(long, env = "AZURE_PRIVATE_IP_ADDRESS", value_name = "IPV4")]
    pub azure_private_ip_address: Option<Ipv4Addr>,
    /// Admin user SSH logs in as (Azure refuses root)
    #[arg(long, env = "AZURE_SSH_USER", default_value = "docker-user")]
    pub azure_ssh_user: AdminUser,
    /// Engine port (docker-machine's name for --engine-port)
    #[arg(long, env = "AZURE_DOCKER_PORT", value_name = "PORT")]
    pub azure_docker_port: Option<u16>,
    /// OS disk size in GB [default: the image's]
    #[arg(long, env = "AZURE_DISK_SIZE", value_name = "GB",
          value_parser = clap::value_parser!(u32).range(30..=4095))]
    pub azure_disk_size: Option<u32>,
    /// OS disk storage type
    #[arg(
        long,
        env = "AZURE_STORAGE_TYPE",
        value_enum,
        default_value = "Standard_LRS"
    )]
    pub azure_storage_type: StorageType,
    /// Availability zone (1, 2 or 3) [default: none]
    #[arg(long, env = "AZURE_AVAILABILITY_ZONE", value_name = "ZONE",
          value_parser = clap::value_parser!(u8).range(1..=3))]
    pub azure_availability_zone: Option<u8>,
    /// Extra tags: key=value[,key=value…] (key1,value1,key2,value2 also works)
    #[arg(long, env = "AZURE_TAGS", default_value = "")]
    pub azure_tags: String,
    /// A cloud-init custom-data file (at most 64 KB)
    #[arg(long, env = "AZURE_CUSTOM_DATA_FILE", value_name = "FILE")]
    pub azure_custom_data: Option<PathBuf>,
    /// Who may reach SSH and the engine port (comma-separated IPv4 addresses or networks, '*' or Internet)
    #[arg(
        long,
        env = "AZURE_ALLOWED_CIDR",
        default_value = "0.0.0.0/0",
        value_delimiter = ','
    )]
    pub azure_allowed_cidr: Vec<SourcePrefix>,
    /// Another TCP port to open (repeatable)
    #[arg(
        long,
        env = "AZURE_OPEN_PORT",
        value_name = "PORT",
        value_delimiter = ','
    )]
    pub azure_open_port: Vec<u16>,
    /// stop also deallocates the VM (no compute charges while stopped)
    #[arg(long, env = "AZURE_DEALLOCATE_ON_STOP")]
    pub azure_deallocate_on_stop: bool,
}

fn invalid(message: impl Into<String>) -> DriverError {
    DriverError::InvalidOption(message.into())
}

/// `k=v,k2=v2`, or docker-machine's `k1,v1,k2,v2`; machinectl's own keys refused.
pub fn parse_tags(text: &str) -> Result<Vec<(TagText, TagText)>> {
    let words: Vec<&str> = text
        .split(',')
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .collect();
    let pairs: Vec<(&str, &str)> = if words.iter().all(|w| w.contains('=')) {
        words.iter().filter_map(|w| w.split_once('=')).collect()
    } else if words.len().is_multiple_of(2) && !words.iter().any(|w| w.contains('=')) {
        words.chunks(2).map(|c| (c[0], c[1])).collect()
    } else {
        return Err(invalid(
            "invalid --azure-tags: give key=value[,key=value…] or key1,value1,key2,value2",
        ));
    };
    pairs
        .into_iter()
        .map(|(k, v)| {
            if k.to_ascii_lowercase().starts_with("machinectl:") {
                return Err(invalid(format!(
                    "invalid --azure-tags: {k:?} is machinectl's own tag; choose another key"
                )));
            }
            let check = |t: &str| {
                TagText::try_from(t).map_err(|why| invalid(format!("invalid --azure-tags: {why}")))
            };
            Ok((check(k)?, check(v)?))
        })
        .collect()
}

impl AzureFlags {
    fn credentials(&self) -> Result<Credentials> {
        let secret = self.azure_client_secret.clone().filter(|s| !s.is_empty());
        let certificate = self.azure_client_certificate_path.clone().map(absolute);
        let (tenant, client) = (&self.azure_tenant_id, &self.azure_client_id);
        let subscription = || match self.azure_subscription_id {
            Some(_) => Ok(()),
            None => Err(invalid(
                "--azure-subscription-id (AZURE_SUBSCRIPTION_ID) is required with a service principal",
            )),
        };
        match (tenant, client, secret, certificate) {
            (None, None, None, None) => Ok(Credentials::AzureCli),
            (Some(_), Some(_), Some(_), Some(_)) => Err(invalid(
                "give the service principal's secret or its certificate, not both",
            )),
            (Some(tenant), Some(client), Some(secret), None) => {
                if secret.len() > 1024 || !secret.bytes().all(|b| b.is_ascii_graphic()) {
                    return Err(invalid(
                        "--azure-client-secret is not a client secret (it holds spaces or other characters one has not): copy it again",
                    ));
                }
                subscription()?;
                Ok(Credentials::ServicePrincipal {
                    tenant_id: tenant.clone(),
                    client_id: client.clone(),
                    client_secret: Secret::new(secret),
                })
            }
            (Some(tenant), Some(client), None, Some(path)) => {
                subscription()?;
                // Checked now: a key that cannot sign is refused before any call.
                crate::cert::load(&path)?;
                Ok(Credentials::Certificate {
                    tenant_id: tenant.clone(),
                    client_id: client.clone(),
                    certificate_path: path,
                })
            }
            _ => Err(invalid(
                "a service principal needs all of --azure-tenant-id, --azure-client-id and --azure-client-secret or --azure-client-certificate-path (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH); give none of them to sign in with `az login`",
            )),
        }
    }

    /// `[resource-group:]name`.
    fn vnet(&self) -> Result<(ResourceGroup, NetworkName)> {
        let (group, name) = match self.azure_vnet.split_once(':') {
            Some((group, name)) => (
                ResourceGroup::try_from(group)
                    .map_err(|why| invalid(format!("invalid --azure-vnet: {why}")))?,
                name,
            ),
            None => (self.azure_resource_group.clone(), self.azure_vnet.as_str()),
        };
        let name = NetworkName::try_from(name)
            .map_err(|why| invalid(format!("invalid --azure-vnet: {why}")))?;
        Ok((group, name))
    }

    fn check_addresses(&self) -> Result<()> {
        if self.azure_no_public_ip && !self.azure_use_private_ip {
            return Err(invalid(
                "--azure-no-public-ip needs --azure-use-private-ip: without a public address machinectl reaches the VM at its private one",
            ));
        }
        if self.azure_no_public_ip && self.azure_dns.is_some() {
            return Err(invalid(
                "--azure-dns names the public IP: it does not go with --azure-no-public-ip",
            ));
        }
        if let Some(ip) = self.azure_private_ip_address {
            let (net, prefix) = self
                .azure_subnet_prefix
                .as_str()
                .split_once('/')
                .unwrap_or_default();
            let net: Ipv4Addr = net.parse().unwrap_or(Ipv4Addr::UNSPECIFIED);
            let prefix: u32 = prefix.parse().unwrap_or(32);
            let size = 1u64 << (32 - prefix);
            let offset = u64::from(u32::from(ip).wrapping_sub(u32::from(net)));
            // Azure keeps the first four addresses of a subnet and its last.
            if offset < 4 || offset + 1 >= size {
                return Err(invalid(format!(
                    "--azure-private-ip-address {ip} is not an address Azure gives out in {}: it must be inside it, past the first four and before the last",
                    self.azure_subnet_prefix
                )));
            }
        }
        if self.azure_allowed_cidr.is_empty() {
            return Err(invalid(
                "--azure-allowed-cidr is empty: give at least one source (0.0.0.0/0 for everywhere)",
            ));
        }
        if self.azure_open_port.contains(&0) {
            return Err(invalid("--azure-open-port must be between 1 and 65535"));
        }
        Ok(())
    }
}

impl DriverFlags for AzureFlags {
    type Driver = AzureDriver;

    fn build(self, machine: &str, engine_port: u16) -> Result<AzureDriver> {
        let machine = VmName::try_from(machine).map_err(invalid)?;
        let credentials = self.credentials()?;
        self.check_addresses()?;
        let (vnet_group, vnet) = self.vnet()?;
        let tags = parse_tags(&self.azure_tags)?;
        let env = self.azure_environment;
        let endpoint = |given: &Option<Endpoint>, default: &str| {
            given.clone().unwrap_or_else(|| {
                Endpoint::try_from(default).expect("built-in endpoints are valid")
            })
        };
        let custom_data_path = self.azure_custom_data.clone().map(absolute);
        // Read and size-checked now, before anything is written or sent.
        let custom_data = match &custom_data_path {
            Some(path) => Some(read_custom_data(path)?),
            None => None,
        };
        Ok(AzureDriver {
            machine,
            engine_port,
            cloud: Cloud {
                environment: env,
                endpoint: endpoint(&self.azure_endpoint, env.management()),
                login_endpoint: endpoint(&self.azure_login_endpoint, env.login()),
            },
            credentials,
            subscription_id: self.azure_subscription_id,
            options: Options {
                location: self.azure_location,
                size: self.azure_size,
                image: self.azure_image,
                resource_group: self.azure_resource_group,
                vnet_group,
                vnet,
                subnet: self.azure_subnet,
                subnet_prefix: self.azure_subnet_prefix,
                nsg: self.azure_nsg,
                static_public_ip: self.azure_static_public_ip,
                dns_label: self.azure_dns,
                no_public_ip: self.azure_no_public_ip,
                use_private_ip: self.azure_use_private_ip,
                private_ip_address: self.azure_private_ip_address,
                ssh_user: self.azure_ssh_user,
                disk_size: self.azure_disk_size,
                storage_type: self.azure_storage_type,
                availability_zone: self.azure_availability_zone,
                tags,
                custom_data: custom_data_path,
                allowed: self.azure_allowed_cidr,
                open_ports: self.azure_open_port,
                deallocate_on_stop: self.azure_deallocate_on_stop,
            },
            resources: Resources::default(),
            ssh_key: None,
            custom_data,
            cluster: None,
        })
    }

    fn engine_port(&self) -> Option<u16> {
        self.azure_docker_port
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_in_both_forms_and_ours_refused() {
        let tags = parse_tags("team=a,env=dev").unwrap();
        assert_eq!(tags[1].0.as_str(), "env");
        let tags = parse_tags("team,a,env,dev").unwrap();
        assert_eq!(tags[1].1.as_str(), "dev");
        assert!(parse_tags("").unwrap().is_empty());
        assert!(parse_tags("a,b,c").is_err());
        assert!(parse_tags("machinectl:machine=x").is_err());
        assert!(parse_tags("a=b/c").is_err());
    }
}
