//! The `azure` driver: Docker hosts on Azure virtual machines, through
//! Azure Resource Manager's REST API over reqwest (Compute 2024-07-01,
//! Network 2024-05-01, Resources 2024-03-01).
//!
//! What each part owns:
//! - this file: the driver's record (options, what was made, addresses),
//!   resource paths, and the `Driver` verbs other than create and rm;
//! - [`create`]: the resources, in order, each recorded before its PUT;
//! - [`remove`]: deleting what the record says was made;
//! - [`bodies`]: the PUT bodies (held to Azure's published schemas by the
//!   tests);
//! - [`arm`]: the REST protocol (tokens, long-running operations, 429,
//!   errors); [`auth`]: clouds and credentials, with `cert` for a
//!   certificate's client assertion; [`checked`]: the checked
//!   values; [`flags`]: docker-machine's flags and `AZURE_*` variables;
//! - [`cluster`]: the cluster seam (clusterctl's nodes, what they share,
//!   finding and removing a cluster by its tags, Consul's auto-join);
//!   [`template`]: the ARM template of a whole cluster (`clusterctl render`).
//!
//! Ownership: the resource group and virtual network count as
//! machinectl's when this create made them or they carry
//! `machinectl:managed=true` (made by an earlier create); rm deletes the
//! network once no other NIC uses it and the group once it is empty. The
//! NSG, public IP, NIC and VM are the machine's own; an NSG `--azure-nsg`
//! names is made when missing and is then machinectl's like the network
//! (deleted by the rm that finds it unused), and one of the user's is used
//! and never deleted.

pub mod arm;
pub mod auth;
mod bodies;
mod cert;
pub mod checked;
mod cluster;
mod create;
mod flags;
mod remove;
pub mod template;

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use machinectl_driver_api::checked::HostAddress;
use machinectl_driver_api::cluster::{ClusterId, ClusterName, ClusterNode};
use machinectl_driver_api::states;
use machinectl_driver_api::user_data::{Refusal, read_bounded};
use machinectl_driver_api::{
    Checkpoint, Cluster, CreateContext, Driver, DriverError, Found, MachineState, RemoveReport,
    Result, Secret, SshTarget,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use arm::Arm;
pub use arm::api_calls;
use auth::{Cloud, Credentials};
use checked::{
    AdminUser, DnsLabel, Guid, Image, Ipv4Cidr, Location, NetworkName, ResourceGroup, SourcePrefix,
    TagText, VmName, VmSize,
};
pub use flags::AzureFlags;

pub const COMPUTE_API: &str = "2024-07-01";
pub const NETWORK_API: &str = "2024-05-01";
pub const RESOURCES_API: &str = "2024-03-01";
/// Canonical's Ubuntu 24.04 LTS.
pub const DEFAULT_IMAGE: &str = "Canonical:ubuntu-24_04-lts:server:latest";
/// Azure's limit on customData, decoded ("at most 65535 bytes").
pub const CUSTOM_DATA_LIMIT: u64 = 65535;
/// Tags every resource machinectl makes carries.
pub const MANAGED_TAG: &str = "machinectl:managed";
pub const MACHINE_TAG: &str = "machinectl:machine";

/// The OS disk's storage (docker-machine's `--azure-storage-type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
pub enum StorageType {
    #[value(name = "Standard_LRS")]
    #[serde(rename = "Standard_LRS")]
    StandardLrs,
    #[value(name = "StandardSSD_LRS")]
    #[serde(rename = "StandardSSD_LRS")]
    StandardSsdLrs,
    #[value(name = "Premium_LRS")]
    #[serde(rename = "Premium_LRS")]
    PremiumLrs,
}

impl StorageType {
    pub fn as_str(self) -> &'static str {
        match self {
            StorageType::StandardLrs => "Standard_LRS",
            StorageType::StandardSsdLrs => "StandardSSD_LRS",
            StorageType::PremiumLrs => "Premium_LRS",
        }
    }
}

/// What the user asked for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Options {
    pub location: Location,
    pub size: VmSize,
    pub image: Image,
    pub resource_group: ResourceGroup,
    /// The virtual network's group (docker-machine's `--azure-vnet rg:name`).
    pub vnet_group: ResourceGroup,
    pub vnet: NetworkName,
    pub subnet: NetworkName,
    pub subnet_prefix: Ipv4Cidr,
    /// An NSG to use (made when missing); none: `NAME-firewall`, the machine's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nsg: Option<NetworkName>,
    pub static_public_ip: bool,
    /// The public IP's DNS label (docker-machine's `--azure-dns`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_label: Option<DnsLabel>,
    pub no_public_ip: bool,
    pub use_private_ip: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_ip_address: Option<Ipv4Addr>,
    pub ssh_user: AdminUser,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disk_size: Option<u32>,
    pub storage_type: StorageType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<u8>,
    #[serde(default)]
    pub tags: Vec<(TagText, TagText)>,
    /// The custom-data file (its contents are read at create, not recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_data: Option<PathBuf>,
    pub allowed: Vec<SourcePrefix>,
    #[serde(default)]
    pub open_ports: Vec<u16>,
    pub deallocate_on_stop: bool,
}

/// What create made; each flag is set the moment Azure accepted the PUT.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Resources {
    /// The group is machinectl's (made now or tagged managed): rm deletes it once empty.
    #[serde(default)]
    pub group_managed: bool,
    /// The virtual network is machinectl's: rm deletes it once unused.
    #[serde(default)]
    pub vnet_managed: bool,
    /// The subnet was added to a network that is not machinectl's.
    #[serde(default)]
    pub subnet_made: bool,
    /// The NSG is machinectl's (the machine's own, or a shared one it made).
    #[serde(default)]
    pub nsg_made: bool,
    #[serde(default)]
    pub public_ip_made: bool,
    #[serde(default)]
    pub nic_made: bool,
    #[serde(default)]
    pub vm_made: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<IpAddr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_ip: Option<IpAddr>,
    /// The public IP's name, when it has a DNS label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fqdn: Option<HostAddress>,
}

/// The cluster a machine is a node of, or what a cluster's nodes share
/// (no role): its tags, and the cluster's NSG instead of the machine's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterMark {
    pub name: ClusterName,
    pub id: ClusterId,
    /// The node's role; none on what the nodes share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<TagText>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AzureDriver {
    /// The VM's name, and the stem of its resources' names.
    pub machine: VmName,
    /// The engine port the NSG opens.
    pub engine_port: u16,
    pub cloud: Cloud,
    pub credentials: Credentials,
    /// None until `az` names its default (when no subscription was given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<Guid>,
    pub options: Options,
    #[serde(default)]
    pub resources: Resources,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_key: Option<PathBuf>,
    /// Custom data read (and size-checked) before anything was made.
    #[serde(skip)]
    pub custom_data: Option<Vec<u8>>,
    /// The cluster this machine is a node of (`clusterctl up`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<ClusterMark>,
}

/// The custom-data file's bytes, refused over Azure's limit before
/// anything is sent.
pub fn read_custom_data(path: &Path) -> Result<Vec<u8>> {
    let path_text = path.display();
    read_bounded(path, CUSTOM_DATA_LIMIT).map_err(|refusal| {
        DriverError::InvalidOption(match refusal {
            Refusal::Unreadable(e) => format!("cannot read --azure-custom-data {path_text}: {e}"),
            Refusal::TooBig(size) => format!(
                "--azure-custom-data {path_text} is {size} bytes: Azure takes at most 64 KB ({CUSTOM_DATA_LIMIT} bytes) of custom data; shorten it or fetch the rest from the script"
            ),
        })
    })
}

impl AzureDriver {
    async fn arm(&self) -> Result<Arm> {
        Arm::connect(&self.cloud, &self.credentials).await
    }

    fn subscription(&self) -> Result<&Guid> {
        self.subscription_id.as_ref().ok_or_else(|| {
            DriverError::Other(
                "the machine's record names no Azure subscription: nothing was made".into(),
            )
        })
    }

    fn group_path(&self) -> Result<String> {
        Ok(format!(
            "/subscriptions/{}/resourceGroups/{}",
            self.subscription()?,
            self.options.resource_group
        ))
    }

    /// A resource's id (its path without the query).
    fn id(&self, provider: &str, name: &str) -> Result<String> {
        Ok(format!(
            "{}/providers/{provider}/{name}",
            self.group_path()?
        ))
    }

    fn vnet_id(&self) -> Result<String> {
        Ok(format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Network/virtualNetworks/{}",
            self.subscription()?,
            self.options.vnet_group,
            self.options.vnet
        ))
    }

    fn subnet_id(&self) -> Result<String> {
        Ok(format!(
            "{}/subnets/{}",
            self.vnet_id()?,
            self.options.subnet
        ))
    }

    /// A cluster's nodes share the cluster's NSG (`CLUSTER-firewall`).
    fn nsg_name(&self) -> String {
        match (&self.cluster, &self.options.nsg) {
            (Some(cluster), _) => format!("{}-firewall", cluster.name),
            (None, Some(name)) => name.to_string(),
            (None, None) => format!("{}-firewall", self.machine),
        }
    }

    fn nsg_id(&self) -> Result<String> {
        self.id(
            "Microsoft.Network",
            &format!("networkSecurityGroups/{}", self.nsg_name()),
        )
    }

    fn public_ip_id(&self) -> Result<String> {
        self.id(
            "Microsoft.Network",
            &format!("publicIPAddresses/{}-ip", self.machine),
        )
    }

    fn nic_id(&self) -> Result<String> {
        self.id(
            "Microsoft.Network",
            &format!("networkInterfaces/{}-nic", self.machine),
        )
    }

    fn vm_id(&self) -> Result<String> {
        self.id(
            "Microsoft.Compute",
            &format!("virtualMachines/{}", self.machine),
        )
    }

    fn address(&self) -> Option<IpAddr> {
        if self.options.use_private_ip || self.options.no_public_ip {
            self.resources.private_ip
        } else {
            self.resources.public_ip
        }
    }

    fn vm_made(&self) -> Result<String> {
        if !self.resources.vm_made {
            return Err(DriverError::Other("the machine has no Azure VM".into()));
        }
        self.vm_id()
    }

    /// Record the VM's addresses: its public IP's and its NIC's private one.
    async fn read_addresses(&mut self, arm: &Arm) -> Result<()> {
        if self.resources.public_ip_made {
            let path = format!("{}?api-version={NETWORK_API}", self.public_ip_id()?);
            if let Some(ip) = arm.get(&path).await? {
                let properties = &ip["properties"];
                self.resources.public_ip = properties["ipAddress"]
                    .as_str()
                    .and_then(|a| a.parse().ok());
                self.resources.fqdn = properties["dnsSettings"]["fqdn"]
                    .as_str()
                    .and_then(|name| HostAddress::try_from(name.trim_end_matches('.')).ok());
            }
        }
        let path = format!("{}?api-version={NETWORK_API}", self.nic_id()?);
        if let Some(nic) = arm.get(&path).await? {
            self.resources.private_ip =
                nic["properties"]["ipConfigurations"][0]["properties"]["privateIPAddress"]
                    .as_str()
                    .and_then(|a| a.parse().ok());
        }
        Ok(())
    }

    /// A power action on the VM, waited for.
    async fn power(&self, arm: &Arm, action: &str) -> Result<()> {
        let vm = self.vm_made()?;
        let sep = if action.contains('?') { '&' } else { '?' };
        arm.post(&format!("{vm}/{action}{sep}api-version={COMPUTE_API}"))
            .await
    }

    /// The state an instance view's statuses say (`PowerState/…`).
    pub fn state_of(statuses: &Value) -> MachineState {
        let power = statuses
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["code"].as_str())
            .find_map(|c| c.strip_prefix("PowerState/"));
        match power {
            Some("running") => MachineState::Running,
            Some("starting") => MachineState::Starting,
            Some("stopping" | "deallocating") => MachineState::Stopping,
            Some("stopped" | "deallocated") => MachineState::Stopped,
            // A VM still being made has no power state yet.
            None => MachineState::Starting,
            Some(_) => MachineState::Error,
        }
    }

    /// Who signs in, as a key that groups machines sharing one token.
    fn account_key(&self) -> String {
        let who = match &self.credentials {
            Credentials::ServicePrincipal {
                tenant_id,
                client_id,
                client_secret,
            } => format!("{tenant_id}/{client_id}/{}", client_secret.expose()),
            Credentials::Certificate {
                tenant_id,
                client_id,
                certificate_path,
            } => format!("{tenant_id}/{client_id}/{}", certificate_path.display()),
            Credentials::AzureCli => "az".into(),
        };
        format!(
            "{}|{}|{who}",
            self.cloud.endpoint, self.cloud.login_endpoint
        )
    }
}

impl Driver for AzureDriver {
    const NAME: &'static str = "azure";
    const SECRET_VARIABLES: &'static [&'static str] = &["AZURE_CLIENT_SECRET"];

    fn pre_create_check(&self) -> Result<()> {
        if let (Some(path), None) = (&self.options.custom_data, &self.custom_data) {
            read_custom_data(path)?;
        }
        Ok(())
    }

    fn ssh_auth_may_lag(&self) -> bool {
        true
    }

    fn debug_counters(&self) -> Option<String> {
        Some(format!(
            "Azure Resource Manager calls so far: {}",
            api_calls()
        ))
    }

    async fn create(&mut self, ctx: &CreateContext, checkpoint: &mut dyn Checkpoint) -> Result<()> {
        create::run(self, ctx, checkpoint).await
    }

    fn ssh_target(&self) -> Option<SshTarget> {
        let (host, key) = (self.address()?, self.ssh_key.clone()?);
        Some(SshTarget::new(host, 22, &self.options.ssh_user, key))
    }

    fn ip(&self) -> Option<IpAddr> {
        self.address()
    }

    /// The public IP's DNS name when it has a label (`--azure-dns`).
    fn engine_host(&self) -> Option<String> {
        match &self.resources.fqdn {
            Some(name) if !self.options.use_private_ip => Some(name.to_string()),
            _ => self.address().map(|ip| ip.to_string()),
        }
    }

    /// VMs of one network talk over their private addresses.
    fn peer_address(&self) -> Option<IpAddr> {
        self.resources.private_ip.or_else(|| self.ip())
    }

    fn addresses(&self) -> Vec<IpAddr> {
        [self.resources.public_ip, self.resources.private_ip]
            .into_iter()
            .flatten()
            .collect()
    }

    async fn state(&self, timeout: Duration) -> Result<MachineState> {
        if !self.resources.vm_made {
            return Ok(MachineState::NotFound);
        }
        let asked = async {
            let arm = self.arm().await?;
            let path = format!("{}/instanceView?api-version={COMPUTE_API}", self.vm_id()?);
            arm.get(&path).await
        };
        states::one(timeout, asked, |view| Self::state_of(&view["statuses"])).await
    }

    /// One list per subscription and resource group (with every VM's
    /// power state), one token per set of credentials.
    async fn states_of(drivers: &[&Self], timeout: Duration) -> Option<Vec<Result<MachineState>>> {
        let account = |d: &Self| {
            let made = d.resources.vm_made && d.group_path().is_ok();
            made.then(|| d.account_key())
        };
        let list = |indexes: Vec<usize>| list_groups(drivers, indexes);
        let pick = |found: &HashMap<usize, MachineState>, i: usize| {
            found.get(&i).copied().unwrap_or(MachineState::NotFound)
        };
        Some(states::spread(drivers, timeout, account, list, pick).await)
    }

    async fn start(&mut self) -> Result<()> {
        let arm = self.arm().await?;
        self.power(&arm, "start").await?;
        // A deallocated VM may come back with other addresses.
        self.read_addresses(&arm).await
    }

    /// Power off; also deallocate (no compute billing) with
    /// `--azure-deallocate-on-stop`.
    async fn stop(&mut self) -> Result<()> {
        let arm = self.arm().await?;
        self.power(&arm, "powerOff").await?;
        if self.options.deallocate_on_stop {
            self.power(&arm, "deallocate").await?;
        }
        Ok(())
    }

    async fn kill(&mut self) -> Result<()> {
        let arm = self.arm().await?;
        self.power(&arm, "powerOff?skipShutdown=true").await
    }

    async fn remove(&mut self) -> Result<RemoveReport> {
        remove::run(self).await
    }

    /// The template's machine is the cluster's name.
    fn cluster_check(&self) -> Result<()> {
        refuse_cluster_flags(self, self.machine.as_str())
    }

    fn takes_user_data(&self) -> bool {
        true
    }

    async fn prepare_cluster(&self, cluster: &Cluster) -> Result<Vec<Found>> {
        cluster::prepare(self, cluster).await
    }

    async fn cluster_resources(&self, cluster: &ClusterName) -> Result<Vec<Found>> {
        cluster::resources(self, cluster).await
    }

    async fn remove_cluster_resources(&self, found: &[Found]) -> Result<RemoveReport> {
        cluster::remove(self, found).await
    }

    fn cluster_auto_join(&self, cluster: &Cluster) -> Option<Secret> {
        cluster::auto_join(self, cluster)
    }
}

/// A cluster node's create: its mark, and its role's user-data as custom
/// data (refused over Azure's limit, or beside `--azure-custom-data` or
/// `--azure-nsg`, before any call).
pub(crate) fn node_of(
    d: &AzureDriver,
    node: &ClusterNode,
) -> Result<(ClusterMark, Option<Vec<u8>>)> {
    refuse_cluster_flags(d, node.cluster.name.as_str())?;
    let data = node.user_data.as_ref().map(|text| text.as_bytes().to_vec());
    if let Some(bytes) = &data {
        check_custom_data_size(bytes.len(), &format!("the {} role's cloud-init", node.role))?;
    }
    let role = TagText::try_from(node.role.as_str()).map_err(DriverError::InvalidOption)?;
    let mark = ClusterMark {
        name: node.cluster.name.clone(),
        id: node.cluster.id.clone(),
        role: Some(role),
    };
    Ok((mark, data))
}

/// Flags a cluster's nodes cannot take: their custom data and NSG are the
/// cluster's.
pub(crate) fn refuse_cluster_flags(d: &AzureDriver, cluster: &str) -> Result<()> {
    if d.options.custom_data.is_some() {
        return Err(machinectl_driver_api::cluster::user_data_conflict(
            "--azure-custom-data",
        ));
    }
    if d.options.nsg.is_some() {
        return Err(DriverError::InvalidOption(format!(
            "--azure-nsg cannot be used for a cluster's nodes: they share the cluster's own NSG {}-firewall, which holds the orchestrator's rules; drop --azure-nsg",
            cluster
        )));
    }
    Ok(())
}

/// Azure's custom-data limit (decoded), checked before anything is sent.
pub fn check_custom_data_size(size: usize, what: &str) -> Result<()> {
    if size as u64 > CUSTOM_DATA_LIMIT {
        return Err(DriverError::InvalidOption(format!(
            "{what} is {size} bytes: Azure takes at most 64 KB ({CUSTOM_DATA_LIMIT} bytes) of custom data; shorten it"
        )));
    }
    Ok(())
}

/// The power state of the VMs at `indexes` (of one account: a list per
/// resource group), by driver index.
async fn list_groups(
    drivers: &[&AzureDriver],
    indexes: Vec<usize>,
) -> Result<HashMap<usize, MachineState>> {
    let arm = drivers[indexes[0]].arm().await?;
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for i in indexes {
        groups.entry(drivers[i].group_path()?).or_default().push(i);
    }
    let mut by_name = HashMap::new();
    for (group, indexes) in &groups {
        let path = format!(
            "{group}/providers/Microsoft.Compute/virtualMachines?api-version={COMPUTE_API}&statusOnly=true"
        );
        let vms = arm.list(&path).await?;
        for vm in &vms {
            let name = vm["name"].as_str().unwrap_or_default();
            let state = AzureDriver::state_of(&vm["properties"]["instanceView"]["statuses"]);
            for &i in indexes.iter().filter(|&&i| drivers[i].machine == *name) {
                by_name.insert(i, state);
            }
        }
    }
    Ok(by_name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::fs;

    #[test]
    fn power_states_come_from_the_instance_view() {
        let view = |code: &str| json!([{"code": "ProvisioningState/succeeded"}, {"code": code}]);
        assert_eq!(
            AzureDriver::state_of(&view("PowerState/running")),
            MachineState::Running
        );
        assert_eq!(
            AzureDriver::state_of(&view("PowerState/deallocated")),
            MachineState::Stopped
        );
        assert_eq!(
            AzureDriver::state_of(&view("PowerState/stopping")),
            MachineState::Stopping
        );
        assert_eq!(
            AzureDriver::state_of(&json!([{"code": "ProvisioningState/creating"}])),
            MachineState::Starting
        );
    }

    #[test]
    fn custom_data_over_the_limit_is_refused() {
        let dir = std::env::temp_dir().join(format!("mctl-az-cd-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let ok = dir.join("ok");
        fs::write(&ok, vec![b'a'; CUSTOM_DATA_LIMIT as usize]).unwrap();
        assert_eq!(read_custom_data(&ok).unwrap().len(), 65535);
        let big = dir.join("big");
        fs::write(&big, vec![b'a'; CUSTOM_DATA_LIMIT as usize + 1]).unwrap();
        let e = read_custom_data(&big).unwrap_err().to_string();
        assert!(e.contains("at most 64 KB"), "{e}");
        fs::remove_dir_all(&dir).unwrap();
    }
}
