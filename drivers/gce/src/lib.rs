//! The `gce` driver (docker-machine's `google`): Docker hosts on Compute
//! Engine instances, over the Compute API v1 with reqwest.
//!
//! Create resolves the image (`images.getFromFamily` for a family), makes
//! or reuses the firewall rule `machinectl` (for the default network;
//! `machinectl-NETWORK` for others) that opens SSH and the engine port from
//! `--gce-allowed-cidr` to instances with the network tag `machinectl`
//! (widening an existing rule that opens less), then inserts the instance:
//! labelled `machinectl-managed=true` and `machinectl-machine=NAME`, the
//! SSH key in metadata `ssh-keys`, user data in `user-data`, a boot disk
//! that is deleted with it. Every mutating call waits on its operation.
//! What exists is recorded the moment it does (the instance's name before
//! it is asked for), so a failed or crashed create leaves a record `rm`
//! can finish.
//!
//! rm deletes the instance (its boot disk goes with it; a disk left by an
//! insert that never made the instance is deleted by name), then the
//! firewall rule once no labelled instance is left in the project, when
//! this machine made the rule or had an instance; anything already gone
//! (404) counts as removed. `ls` lists once per project and zone, page by
//! page. start/stop wait for their operations; kill stops without the
//! graceful shutdown. Auth: see [`auth`]. Cluster nodes (`clusterctl up
//! --provider gce`): labels, network tag, user-data and the cluster's
//! firewall rules, found and removed by label: see [`cluster`].

mod api;
pub mod auth;
mod body;
pub mod checked;
pub mod cluster;
mod flags;

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use machinectl_driver_api::checked::SshUser;
use machinectl_driver_api::cluster::ClusterName;
use machinectl_driver_api::retry::Backoff;
use machinectl_driver_api::states;
use machinectl_driver_api::user_data::{Refusal, read_bounded};
use machinectl_driver_api::{
    Checkpoint, Cluster, CreateContext, Driver, DriverError, Found, MachineState, RemoveReport,
    Result, Secret, SshTarget, snapshot,
};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use api::{Answer, Api};
pub use api::{PAGE_SIZE, api_calls};
use auth::{CredentialSource, Credentials, TokenSource};
use checked::{
    Cidr, Endpoint, Image, ImageRef, Label, NetworkTag, Project, ResourceName, Scope,
    ServiceAccount, Zone,
};
pub use flags::GceFlags;

pub const DEFAULT_ENDPOINT: &str = "https://compute.googleapis.com/compute/v1/";
/// The network tag every instance carries and the firewall rule targets.
pub const NETWORK_TAG: &str = "machinectl";
/// The label `ls` and rm find machinectl's instances by.
pub const MANAGED_LABEL: &str = "machinectl-managed";
pub const MACHINE_LABEL: &str = "machinectl-machine";
/// GCE's limits on metadata: one value, and all keys and values together.
pub const METADATA_VALUE_LIMIT: usize = 256 * 1024;
pub const METADATA_TOTAL_LIMIT: usize = 512 * 1024;
/// Room kept for the `ssh-keys` entry when user data is checked before the key exists.
const SSH_KEYS_ROOM: usize = 2048;
const RUNNING_LIMIT: Duration = Duration::from_secs(300);

/// What the user asked for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Options {
    /// None until resolved from the credentials (at create, before any change).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<Project>,
    pub zone: Zone,
    pub machine_type: ResourceName,
    pub image: Image,
    pub disk_size: u32,
    pub disk_type: ResourceName,
    pub network: ResourceName,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnetwork: Option<ResourceName>,
    #[serde(default)]
    pub tags: Vec<NetworkTag>,
    #[serde(default)]
    pub labels: Vec<Label>,
    pub use_internal_ip: bool,
    pub use_internal_ip_only: bool,
    pub preemptible: bool,
    pub spot: bool,
    pub username: SshUser,
    pub scopes: Vec<Scope>,
    pub service_account: ServiceAccount,
    pub allowed: Vec<Cidr>,
    /// The user-data file (read at create, not recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_data: Option<PathBuf>,
}

/// What create made; each is recorded as soon as it exists (or is asked for).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Resources {
    /// The firewall rule this machine relies on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firewall: Option<ResourceName>,
    /// Whether this machine's create inserted the rule, or asked to
    /// (rollback deletes only what it made).
    #[serde(default)]
    pub firewall_made: bool,
    /// The instance's name, recorded before the insert is sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<ResourceName>,
    /// Whether the insert's operation finished without error.
    #[serde(default)]
    pub instance_made: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_ip: Option<IpAddr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_ip: Option<IpAddr>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GceDriver {
    pub endpoint: Endpoint,
    /// Where the credentials come from (a path, never their contents).
    pub credentials: CredentialSource,
    pub machine: String,
    pub engine_port: u16,
    pub options: Options,
    #[serde(default)]
    pub resources: Resources,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_key: Option<PathBuf>,
    /// User data read (and size-checked) before anything was made.
    #[serde(skip)]
    pub user_data: Option<String>,
}

/// The user-data file's contents, refused over GCE's metadata limits before anything is sent.
pub fn read_user_data(path: &Path) -> Result<String> {
    let bad = |why: String| {
        DriverError::InvalidOption(format!("--gce-userdata {}: {why}", path.display()))
    };
    let bytes = read_bounded(path, METADATA_VALUE_LIMIT as u64).map_err(|refusal| match refusal {
        Refusal::Unreadable(e) => bad(format!("cannot read it: {e}")),
        Refusal::TooBig(size) => bad(format!(
            "it is {size} bytes: a Compute Engine metadata value takes at most 256 KiB ({METADATA_VALUE_LIMIT} bytes); shorten it or fetch the rest from the script"
        )),
    })?;
    check_metadata_total(bytes.len() + "user-data".len() + SSH_KEYS_ROOM)?;
    String::from_utf8(bytes)
        .map_err(|_| bad("it is not UTF-8 text: metadata values are text".into()))
}

fn check_metadata_total(total: usize) -> Result<()> {
    if total > METADATA_TOTAL_LIMIT {
        return Err(DriverError::InvalidOption(format!(
            "the instance metadata would be {total} bytes: Compute Engine takes at most 512 KB ({METADATA_TOTAL_LIMIT} bytes) of keys and values in all; shorten --gce-userdata"
        )));
    }
    Ok(())
}

/// The instance name of a machine: lowercased, '.' as '-'; refused when
/// Compute Engine would not take it.
pub fn instance_name(machine: &str) -> Result<ResourceName> {
    ResourceName::try_from(machine.to_ascii_lowercase().replace('.', "-")).map_err(|_| {
        DriverError::InvalidOption(format!(
            "machine name {machine:?} cannot name a Compute Engine instance: start it with a letter and end it with a letter or digit"
        ))
    })
}

/// The `ssh-keys` metadata entry: `USER:TYPE KEY USER` (the key's own comment left out).
fn ssh_keys_entry(user: &SshUser, public_key: &str) -> String {
    let key: Vec<&str> = public_key.split_whitespace().take(2).collect();
    format!("{user}:{} {user}", key.join(" "))
}

fn gce_state(status: &str) -> MachineState {
    match status {
        "PROVISIONING" | "STAGING" => MachineState::Starting,
        "RUNNING" => MachineState::Running,
        "STOPPING" | "SUSPENDING" => MachineState::Stopping,
        "STOPPED" | "TERMINATED" | "SUSPENDED" => MachineState::Stopped,
        _ => MachineState::Error,
    }
}

impl GceDriver {
    fn api(&self) -> Result<Api> {
        let tokens = TokenSource::new(Credentials::load(&self.credentials)?)?;
        Api::new(&self.endpoint, tokens)
    }

    fn project(&self) -> Result<&Project> {
        self.options.project.as_ref().ok_or_else(|| {
            DriverError::InvalidOption(
                "no Google project: give --gce-project (GOOGLE_PROJECT), or credentials that name one".into(),
            )
        })
    }

    fn zone_path(&self) -> Result<String> {
        Ok(format!(
            "projects/{}/zones/{}",
            self.project()?,
            self.options.zone
        ))
    }

    fn instance(&self) -> Result<&ResourceName> {
        self.resources
            .instance
            .as_ref()
            .ok_or_else(|| DriverError::Other("the machine has no instance".into()))
    }

    fn instance_path(&self) -> Result<String> {
        Ok(format!(
            "{}/instances/{}",
            self.zone_path()?,
            self.instance()?
        ))
    }

    /// The firewall rule for this machine's network.
    pub fn firewall_name(&self) -> ResourceName {
        let name = if self.options.network.as_str() == "default" {
            NETWORK_TAG.to_string()
        } else {
            let mut n = format!("{NETWORK_TAG}-{}", self.options.network);
            n.truncate(63);
            n.trim_end_matches('-').to_string()
        };
        ResourceName::try_from(name).expect("made of checked names")
    }

    fn address(&self) -> Option<IpAddr> {
        if self.options.use_internal_ip || self.options.use_internal_ip_only {
            self.resources.internal_ip
        } else {
            self.resources.external_ip
        }
    }

    /// The project from the credentials, when no flag named one.
    async fn resolve_project(&mut self, api: &Api) -> Result<()> {
        if self.options.project.is_none()
            && let Some(p) = api.tokens().metadata_project().await?
        {
            self.options.project = Some(Project::try_from(p).map_err(DriverError::Other)?);
        }
        self.project().map(drop)
    }

    /// The image's selfLink (a family resolved with images.getFromFamily).
    async fn image_link(&self, api: &Api) -> Result<String> {
        match self.options.image.parts() {
            ImageRef::Named { project, image } => {
                Ok(format!("projects/{project}/global/images/{image}"))
            }
            ImageRef::Family { project, family } => {
                let path = format!("projects/{project}/global/images/family/{family}");
                let image = api.get_if_exists(&path).await?.ok_or_else(|| {
                    DriverError::InvalidOption(format!(
                        "there is no image family {family} in project {project}: check --gce-machine-image (`gcloud compute images list`)"
                    ))
                })?;
                image["selfLink"]
                    .as_str()
                    .map(str::to_string)
                    .ok_or_else(|| {
                        DriverError::Other(format!("the image of family {family} has no selfLink"))
                    })
            }
        }
    }

    /// Make the rule, reuse it, or widen it to open what this machine needs.
    async fn ensure_firewall(&mut self, api: &Api, checkpoint: &mut dyn Checkpoint) -> Result<()> {
        let name = self.firewall_name();
        let path = format!("projects/{}/global/firewalls/{name}", self.project()?);
        let wanted = body::firewall(self, self.project()?);
        match api.get_if_exists(&path).await? {
            None => {
                // Recorded as asked for, so a crash during the insert leaves it to rm.
                self.resources.firewall = Some(name.clone());
                self.resources.firewall_made = true;
                checkpoint.save(snapshot(self)?)?;
                let insert = format!("projects/{}/global/firewalls", self.project()?);
                // false: another create made it meanwhile, and this one uses it.
                self.resources.firewall_made = api.insert(&insert, wanted).await?;
            }
            Some(existing) => {
                if let Some(patch) = body::widened_firewall(&existing, &wanted) {
                    api.mutate(Method::PATCH, &path, Some(patch)).await?;
                }
            }
        }
        self.resources.firewall = Some(name);
        checkpoint.save(snapshot(self)?)
    }

    /// Read the instance until it runs; record its addresses.
    async fn wait_running(&mut self, api: &Api) -> Result<()> {
        let path = self.instance_path()?;
        let mut backoff = Backoff::every(Duration::from_secs(2), RUNNING_LIMIT);
        loop {
            let instance = api.get(&path).await?;
            let status = instance["status"].as_str().unwrap_or_default().to_string();
            self.take_addresses(&instance);
            if status == "RUNNING" && self.address().is_some() {
                return Ok(());
            }
            if matches!(
                gce_state(&status),
                MachineState::Stopped | MachineState::Error
            ) {
                return Err(DriverError::Other(format!(
                    "instance {} is {status} instead of running: see it in the console, then `machinectl rm` it",
                    self.instance()?
                )));
            }
            if !backoff.pause().await {
                return Err(DriverError::Other(format!(
                    "instance {} did not run with an address within {} minutes",
                    self.instance()?,
                    RUNNING_LIMIT.as_secs() / 60
                )));
            }
        }
    }

    fn take_addresses(&mut self, instance: &Value) {
        let nic = &instance["networkInterfaces"][0];
        self.resources.internal_ip = nic["networkIP"].as_str().and_then(|s| s.parse().ok());
        self.resources.external_ip = nic["accessConfigs"][0]["natIP"]
            .as_str()
            .and_then(|s| s.parse().ok());
    }

    async fn power(&mut self, verb: &str, query: &str) -> Result<()> {
        let api = self.api()?;
        let path = format!("{}/{verb}{query}", self.instance_path()?);
        api.mutate(Method::POST, &path, None).await?;
        Ok(())
    }

    /// Delete the instance, or (when the insert never made one) its boot disk by name.
    async fn remove_instance(&self, api: &Api, report: &mut RemoveReport) -> Result<bool> {
        let name = self.instance()?;
        match api
            .mutate(Method::DELETE, &self.instance_path()?, None)
            .await
        {
            Ok(Answer::Found(_)) => report
                .removed
                .push(format!("instance {name} and its boot disk")),
            Ok(Answer::NotFound) => {
                report
                    .removed
                    .push(format!("instance {name} (already gone)"));
                let disk = format!("{}/disks/{name}", self.zone_path()?);
                match api.mutate(Method::DELETE, &disk, None).await {
                    Ok(Answer::Found(_)) => report.removed.push(format!("disk {name}")),
                    Ok(Answer::NotFound) => {}
                    Err(e) => report.left.push(format!("disk {name} ({e})")),
                }
                return Ok(false);
            }
            Err(e) => {
                // Its firewall may still be in use: keep it for the next rm.
                report.left.push(format!("instance {name} ({e})"));
                return Err(e);
            }
        }
        Ok(true)
    }

    /// Delete the firewall rule once no labelled instance is left in the project.
    async fn remove_firewall(&self, api: &Api, report: &mut RemoveReport) {
        let Some(name) = &self.resources.firewall else {
            return;
        };
        let project = match self.project() {
            Ok(p) => p,
            Err(e) => return report.left.push(format!("firewall rule {name} ({e})")),
        };
        let filter = api::encode("", &[("filter", &format!("labels.{MANAGED_LABEL}=true"))]);
        let ours = self.resources.instance.as_ref().map(|n| n.as_str());
        match api
            .aggregated(&format!("projects/{project}/aggregated/instances"), &filter)
            .await
        {
            Ok(instances) => {
                let others = instances
                    .iter()
                    .filter(|i| {
                        i["name"].as_str() != ours
                            || !i["zone"]
                                .as_str()
                                .unwrap_or_default()
                                .ends_with(self.options.zone.as_str())
                    })
                    .count();
                if others > 0 {
                    report.note = Some(format!(
                        "firewall rule {name} still serves {others} other machinectl instance(s) and was kept"
                    ));
                    return;
                }
                cluster::delete_rule(api, project, name, report).await;
            }
            Err(e) => report.left.push(format!("firewall rule {name} ({e})")),
        }
    }

    fn user_data(&self) -> Result<Option<String>> {
        match (&self.user_data, &self.options.user_data) {
            (Some(data), _) => Ok(Some(data.clone())),
            (None, Some(path)) => read_user_data(path).map(Some),
            (None, None) => Ok(None),
        }
    }

    /// The states of the zone's labelled instances by name, from one list
    /// (page by page).
    async fn list_states(&self) -> Result<HashMap<String, MachineState>> {
        let api = self.api()?;
        let filter = api::encode("", &[("filter", &format!("labels.{MANAGED_LABEL}=true"))]);
        let items = api
            .list(&format!("{}/instances", self.zone_path()?), &filter)
            .await?;
        Ok(items
            .iter()
            .filter_map(|i| {
                let status = i["status"].as_str().unwrap_or_default();
                Some((i["name"].as_str()?.to_string(), gce_state(status)))
            })
            .collect())
    }
}

impl Driver for GceDriver {
    const NAME: &'static str = "gce";

    fn pre_create_check(&self) -> Result<()> {
        // Read and checked (a file parsed, the metadata server found) without a call.
        Credentials::load(&self.credentials)?;
        if self.options.preemptible && self.options.spot {
            return Err(DriverError::InvalidOption(
                "--gce-preemptible and --gce-spot are two ways to ask for the same discount: give one".into(),
            ));
        }
        instance_name(&self.machine)?;
        if let (Some(path), None) = (&self.options.user_data, &self.user_data) {
            read_user_data(path)?;
        }
        Ok(())
    }

    fn ssh_auth_may_lag(&self) -> bool {
        true
    }

    fn debug_counters(&self) -> Option<String> {
        Some(format!("Compute API calls so far: {}", api_calls()))
    }

    fn cluster_check(&self) -> Result<()> {
        cluster::check(self)
    }

    fn takes_user_data(&self) -> bool {
        true
    }

    async fn prepare_cluster(&self, cluster: &Cluster) -> Result<Vec<Found>> {
        self.make_cluster_rules(cluster).await
    }

    async fn cluster_resources(&self, cluster: &ClusterName) -> Result<Vec<Found>> {
        self.find_cluster(cluster).await
    }

    async fn remove_cluster_resources(&self, found: &[Found]) -> Result<RemoveReport> {
        self.remove_cluster(found).await
    }

    fn cluster_auto_join(&self, cluster: &Cluster) -> Option<Secret> {
        cluster::auto_join(self, cluster)
    }

    async fn create(&mut self, ctx: &CreateContext, checkpoint: &mut dyn Checkpoint) -> Result<()> {
        let user_data = match &ctx.cluster {
            Some(node) => cluster::node_user_data(self, node)?,
            None => self.user_data()?.or_else(|| ctx.engine_boot_script.clone()),
        };
        let ssh_keys = ssh_keys_entry(&self.options.username, &ctx.ssh_public_key);
        check_metadata_total(
            ssh_keys.len()
                + "ssh-keys".len()
                + user_data
                    .as_ref()
                    .map_or(0, |d| d.len() + "user-data".len()),
        )?;
        let api = self.api()?;
        self.resolve_project(&api).await?;
        self.ssh_key = Some(ctx.ssh_private_key.clone());
        checkpoint.save(snapshot(self)?)?;
        let image = self.image_link(&api).await?;
        self.ensure_firewall(&api, checkpoint).await?;

        let name = instance_name(&self.machine)?;
        self.resources.instance = Some(name);
        checkpoint.save(snapshot(self)?)?;
        let parts = body::InstanceParts {
            image: &image,
            ssh_keys: &ssh_keys,
            user_data: user_data.as_deref(),
            node: ctx.cluster.as_ref(),
        };
        let instance = body::instance(self, self.project()?, parts);
        let insert = format!("{}/instances", self.zone_path()?);
        api.mutate(Method::POST, &insert, Some(instance)).await?;
        self.resources.instance_made = true;
        checkpoint.save(snapshot(self)?)?;

        self.wait_running(&api).await?;
        checkpoint.save(snapshot(self)?)
    }

    fn ssh_target(&self) -> Option<SshTarget> {
        let (host, key) = (self.address()?, self.ssh_key.clone()?);
        Some(SshTarget::new(host, 22, &self.options.username, key))
    }

    fn ip(&self) -> Option<IpAddr> {
        self.address()
    }

    fn peer_address(&self) -> Option<IpAddr> {
        self.resources.internal_ip.or_else(|| self.ip())
    }

    fn addresses(&self) -> Vec<IpAddr> {
        [self.resources.external_ip, self.resources.internal_ip]
            .into_iter()
            .flatten()
            .collect()
    }

    async fn state(&self, timeout: Duration) -> Result<MachineState> {
        if self.resources.instance.is_none() {
            return Ok(MachineState::NotFound);
        }
        let asked = async { self.api()?.get_if_exists(&self.instance_path()?).await };
        states::one(timeout, asked, |i| {
            gce_state(i["status"].as_str().unwrap_or_default())
        })
        .await
    }

    async fn states_of(drivers: &[&Self], timeout: Duration) -> Option<Vec<Result<MachineState>>> {
        let zone = |d: &Self| {
            let zone = d
                .zone_path()
                .ok()
                .filter(|_| d.resources.instance.is_some())?;
            Some(format!("{}|{:?}|{zone}", d.endpoint, d.credentials))
        };
        let list = |indexes: Vec<usize>| drivers[indexes[0]].list_states();
        let pick = |by_name: &HashMap<String, MachineState>, i: usize| {
            let name = drivers[i].resources.instance.as_ref();
            name.and_then(|n| by_name.get(n.as_str()).copied())
                .unwrap_or(MachineState::NotFound)
        };
        Some(states::spread(drivers, timeout, zone, list, pick).await)
    }

    async fn start(&mut self) -> Result<()> {
        self.power("start", "").await?;
        let api = self.api()?;
        self.wait_running(&api).await
    }

    async fn stop(&mut self) -> Result<()> {
        self.power("stop", "").await
    }

    /// Stop at once, without the guest's graceful shutdown.
    async fn kill(&mut self) -> Result<()> {
        self.power("stop", "?noGracefulShutdown=true").await
    }

    async fn remove(&mut self) -> Result<RemoveReport> {
        let mut report = RemoveReport::default();
        if self.resources.instance.is_none() && self.resources.firewall.is_none() {
            return Ok(report);
        }
        let api = self.api()?;
        let mut had_instance = false;
        if self.resources.instance.is_some() {
            match self.remove_instance(&api, &mut report).await {
                Ok(existed) => had_instance = existed || self.resources.instance_made,
                Err(_) => return Ok(report),
            }
        }
        if self.resources.firewall_made || had_instance {
            self.remove_firewall(&api, &mut report).await;
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_names_and_states() {
        assert_eq!(instance_name("Web.1").unwrap().as_str(), "web-1");
        assert!(instance_name("1web").is_err());
        assert!(instance_name("web-").is_err());
        assert_eq!(gce_state("TERMINATED"), MachineState::Stopped);
        assert_eq!(gce_state("STAGING"), MachineState::Starting);
        let user = SshUser::try_from("docker-user").unwrap();
        assert_eq!(
            ssh_keys_entry(&user, "ssh-ed25519 AAAAC3Nz machinectl@host\n"),
            "docker-user:ssh-ed25519 AAAAC3Nz docker-user"
        );
    }

    #[test]
    fn user_data_over_the_limits_is_refused() {
        let dir = std::env::temp_dir().join(format!("mctl-gce-ud-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ok = dir.join("ok");
        std::fs::write(&ok, vec![b'a'; METADATA_VALUE_LIMIT]).unwrap();
        assert_eq!(read_user_data(&ok).unwrap().len(), METADATA_VALUE_LIMIT);
        let big = dir.join("big");
        std::fs::write(&big, vec![b'a'; METADATA_VALUE_LIMIT + 1]).unwrap();
        let e = read_user_data(&big).unwrap_err().to_string();
        assert!(e.contains("at most 256 KiB"), "{e}");
        assert!(check_metadata_total(METADATA_TOTAL_LIMIT + 1).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
