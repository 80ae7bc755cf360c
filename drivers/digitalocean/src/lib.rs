//! The `digitalocean` driver: Docker hosts on DigitalOcean droplets, over
//! the API v2 with reqwest.
//!
//! Create adds the machine's SSH key to the account (unless
//! `--digitalocean-ssh-key-fingerprint` names one of the account's keys),
//! creates the droplet tagged `machinectl`, `machinectl:machine:NAME` and the
//! tag of its firewall, then makes or reuses the Cloud Firewall named by that
//! tag (SSH and the engine port open to `--digitalocean-allowed-cidr`, all
//! outbound traffic allowed), and waits for the droplet to be active with
//! its address. Each id is checkpointed the moment it exists, so a failed or
//! crashed create leaves a record `rm` can finish.
//!
//! The firewall's tag (and name) says what it opens: `machinectl-PORT` for
//! the default "everywhere", `machinectl-PORT-HASH` for other sources. Tags
//! are how DigitalOcean applies firewalls and firewalls only add rules, so
//! machines with different sources never share one.
//!
//! rm deletes the droplet, the key it added (never an account key given by
//! fingerprint), the machine's tag, and the firewall once no droplet carries
//! its tag; anything already gone (404) counts as removed. Power actions
//! wait for their action to complete; stop asks for a clean shutdown and
//! powers off when that has not finished after [`SHUTDOWN_GRACE`]. `ls`
//! lists the account's `machinectl` droplets once (page by page) instead of
//! asking for each machine. (`MACHINECTL_DIGITALOCEAN_SHUTDOWN_GRACE=SECONDS`
//! shortens the grace; the tests use it.)

mod api;
pub mod checked;
mod cluster;
mod flags;

use std::collections::HashMap;
use std::fs;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use machinectl_driver_api::checked::SshUser;
use machinectl_driver_api::cluster::{ClusterName, user_data_conflict};
use machinectl_driver_api::retry::Backoff;
use machinectl_driver_api::states;
use machinectl_driver_api::user_data::{Refusal, read_bounded};
use machinectl_driver_api::{
    Checkpoint, Cluster, CreateContext, Driver, DriverError, Found, MachineState, RemoveReport,
    Result, Secret, SshTarget, snapshot,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use api::Api;
pub use api::{PAGE_SIZE, api_calls};
use checked::{ApiUrl, Cidr, FirewallId, Image, KeyFingerprint, Region, Size, TagName, VpcUuid};
pub use flags::DigitalOceanFlags;

pub const DEFAULT_API_URL: &str = "https://api.digitalocean.com";
/// The tag every droplet machinectl makes carries (what `ls` lists by).
pub const MANAGED_TAG: &str = "machinectl";
/// DigitalOcean's limit on user data.
pub const USER_DATA_LIMIT: u64 = 64 * 1024;
/// How long stop waits for a clean shutdown before it powers the droplet off.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(90);
/// How long a droplet gets to become active, and an action to complete.
const ACTIVE_LIMIT: Duration = Duration::from_secs(600);
const ACTION_LIMIT: Duration = Duration::from_secs(300);
const POLL: Duration = Duration::from_secs(3);

/// What the user asked for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Options {
    pub region: Region,
    pub size: Size,
    pub image: Image,
    pub ipv6: bool,
    pub private_networking: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_uuid: Option<VpcUuid>,
    pub backups: bool,
    pub monitoring: bool,
    pub ssh_user: SshUser,
    pub ssh_port: u16,
    /// An account key to use instead of adding one (never deleted by rm).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_key_fingerprint: Option<KeyFingerprint>,
    /// The private key of `ssh_key_fingerprint`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_key_path: Option<PathBuf>,
    #[serde(default)]
    pub tags: Vec<TagName>,
    /// The user-data file (its contents are read at create, not recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_data: Option<PathBuf>,
    pub allowed: Vec<Cidr>,
    pub use_private_address: bool,
}

/// What create made; each id is recorded as soon as it exists.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Resources {
    /// The key this machine added to the account (never a user's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_key_id: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub droplet_id: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firewall_id: Option<FirewallId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ipv4: Option<IpAddr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_ipv4: Option<IpAddr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ipv6: Option<IpAddr>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DigitalOceanDriver {
    pub api_url: ApiUrl,
    /// Sealed in machine.json, `[redacted]` when printed.
    pub token: Secret,
    /// The machine's name (droplet name and tag).
    pub machine: String,
    /// The engine port the firewall opens.
    pub engine_port: u16,
    pub options: Options,
    #[serde(default)]
    pub resources: Resources,
    /// The key SSH uses: the machine's generated key or `options.ssh_key_path`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_key: Option<PathBuf>,
    /// User data read (and size-checked) from the flag's file before anything was made.
    #[serde(skip)]
    pub user_data: Option<String>,
    /// The cluster tags of a cluster node (clusterctl): its firewall is the
    /// cluster's, not a machine firewall (see `cluster`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cluster_tags: Vec<String>,
}

/// The user-data file's contents, refused over DigitalOcean's 64 KiB limit
/// before anything is sent.
pub fn read_user_data(path: &Path) -> Result<String> {
    let path_text = path.display();
    let bytes = read_bounded(path, USER_DATA_LIMIT).map_err(|refusal| {
        DriverError::InvalidOption(match refusal {
            Refusal::Unreadable(e) => format!("cannot read --digitalocean-userdata {path_text}: {e}"),
            Refusal::TooBig(size) => format!(
                "--digitalocean-userdata {path_text} is {size} bytes: DigitalOcean takes at most 64 KiB ({USER_DATA_LIMIT} bytes); shorten it or fetch the rest from the script"
            ),
        })
    })?;
    String::from_utf8(bytes).map_err(|_| {
        DriverError::InvalidOption(format!(
            "--digitalocean-userdata {} is not UTF-8 text: DigitalOcean takes user data as text",
            path.display()
        ))
    })
}

/// FNV-1a: a short, stable name for a set of firewall sources.
fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

impl DigitalOceanDriver {
    fn api(&self) -> Result<Api> {
        Api::new(&self.api_url, &self.token)
    }

    /// The tag naming this machine (`.` is not allowed in tags; `_` is not
    /// allowed in machine names, so the mapping is one to one).
    pub fn machine_tag(&self) -> String {
        format!("machinectl:machine:{}", self.machine.replace('.', "_"))
    }

    /// The firewall's name and the tag it targets: what it opens.
    pub fn firewall_tag(&self) -> String {
        let everywhere = self.options.allowed.len() == 2
            && self.options.allowed.iter().any(|c| c == "0.0.0.0/0")
            && self.options.allowed.iter().any(|c| c == "::/0");
        let mut name = format!("machinectl-{}", self.engine_port);
        if self.options.ssh_port != 22 {
            name = format!("{name}-{}", self.options.ssh_port);
        }
        if !everywhere {
            let mut sources: Vec<&str> = self.options.allowed.iter().map(|c| c.as_str()).collect();
            sources.sort_unstable();
            name = format!("{name}-{:08x}", fnv1a(&sources.join(",")));
        }
        name
    }

    /// Every tag the droplet carries: ours first, then the user's.
    pub fn droplet_tags(&self) -> Vec<String> {
        let mut tags = vec![MANAGED_TAG.to_string(), self.machine_tag()];
        if self.cluster_tags.is_empty() {
            tags.push(self.firewall_tag());
        } else {
            tags.extend(self.cluster_tags.iter().cloned());
        }
        for tag in &self.options.tags {
            if !tags.iter().any(|t| t == tag.as_str()) {
                tags.push(tag.to_string());
            }
        }
        tags
    }

    /// The droplet's name: the machine's, without a trailing '-' or '.'
    /// (DigitalOcean's pattern ends in a letter or digit).
    fn droplet_name(&self) -> String {
        self.machine.trim_end_matches(['-', '.']).to_string()
    }

    fn droplet_body(&self, key: Value, user_data: Option<&str>) -> Value {
        let image = match self.options.image.as_str().parse::<u64>() {
            Ok(id) => json!(id),
            Err(_) => json!(self.options.image.as_str()),
        };
        let mut body = json!({
            "name": self.droplet_name(),
            "region": self.options.region.as_str(),
            "size": self.options.size.as_str(),
            "image": image,
            "ssh_keys": [key],
            "backups": self.options.backups,
            "ipv6": self.options.ipv6,
            "monitoring": self.options.monitoring,
            "tags": self.droplet_tags(),
        });
        if let Some(data) = user_data {
            body["user_data"] = json!(data);
        }
        if let Some(vpc) = &self.options.vpc_uuid {
            body["vpc_uuid"] = json!(vpc.as_str());
        }
        if self.options.private_networking {
            body["private_networking"] = json!(true);
        }
        body
    }

    fn firewall_body(&self) -> Value {
        let tag = self.firewall_tag();
        let sources: Vec<&str> = self.options.allowed.iter().map(|c| c.as_str()).collect();
        let everywhere = ["0.0.0.0/0", "::/0"];
        json!({
            "name": tag,
            "inbound_rules": [
                {"protocol": "tcp", "ports": self.options.ssh_port.to_string(), "sources": {"addresses": sources}},
                {"protocol": "tcp", "ports": self.engine_port.to_string(), "sources": {"addresses": sources}},
            ],
            "outbound_rules": [
                {"protocol": "tcp", "ports": "0", "destinations": {"addresses": everywhere}},
                {"protocol": "udp", "ports": "0", "destinations": {"addresses": everywhere}},
                {"protocol": "icmp", "ports": "0", "destinations": {"addresses": everywhere}},
            ],
            "tags": [tag],
        })
    }

    fn address(&self) -> Option<IpAddr> {
        if self.options.use_private_address {
            self.resources.private_ipv4
        } else {
            self.resources.public_ipv4
        }
    }

    fn droplet(&self) -> Result<u64> {
        self.resources
            .droplet_id
            .ok_or_else(|| DriverError::Other("the machine has no droplet".into()))
    }

    /// Record the droplet's addresses from its JSON.
    fn take_addresses(&mut self, droplet: &Value) {
        let find = |family: &str, kind: &str| {
            droplet["networks"][family]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|n| n["type"] == kind)
                .find_map(|n| n["ip_address"].as_str()?.parse::<IpAddr>().ok())
        };
        self.resources.public_ipv4 = find("v4", "public");
        self.resources.private_ipv4 = find("v4", "private");
        self.resources.public_ipv6 = find("v6", "public");
    }

    /// Wait for the droplet to be active with the address SSH needs.
    async fn wait_active(&mut self, api: &Api, id: u64) -> Result<()> {
        let mut backoff = Backoff::every(POLL, ACTIVE_LIMIT);
        loop {
            let body = api.get(&format!("/v2/droplets/{id}")).await?;
            let droplet = &body["droplet"];
            let status = droplet["status"].as_str().unwrap_or_default().to_string();
            if status == "active" {
                self.take_addresses(droplet);
                if self.address().is_some() {
                    return Ok(());
                }
            } else if status != "new" {
                return Err(DriverError::Other(format!(
                    "droplet {id} is {status:?} instead of becoming active: see it in the control panel, then `machinectl rm` it"
                )));
            }
            if !backoff.pause().await {
                let what = if status == "active" {
                    if self.options.use_private_address {
                        "a private address (is the droplet in a VPC?)"
                    } else {
                        "a public address"
                    }
                } else {
                    "active"
                };
                return Err(DriverError::Other(format!(
                    "droplet {id} did not become {what} within {} minutes",
                    ACTIVE_LIMIT.as_secs() / 60
                )));
            }
        }
    }

    /// Start a power action and wait for it within `limit`: true when it
    /// completed, false when it was still in progress at the limit.
    async fn action(&self, api: &Api, kind: &str, limit: Duration) -> Result<bool> {
        let id = self.droplet()?;
        let body = api
            .post(
                &format!("/v2/droplets/{id}/actions"),
                json!({ "type": kind }),
            )
            .await?;
        let action = body["action"]["id"].as_u64().ok_or_else(|| {
            DriverError::Other(format!(
                "DigitalOcean started {kind} on droplet {id} without an action id"
            ))
        })?;
        let mut status = body["action"]["status"]
            .as_str()
            .unwrap_or("in-progress")
            .to_string();
        let mut backoff = Backoff::every(POLL, limit);
        loop {
            match status.as_str() {
                "completed" => return Ok(true),
                "errored" => {
                    return Err(DriverError::Other(format!(
                        "DigitalOcean's {kind} of droplet {id} failed (action {action}): see the droplet's history in the control panel"
                    )));
                }
                _ => {}
            }
            if !backoff.pause().await {
                return Ok(false);
            }
            let body = api.get(&format!("/v2/actions/{action}")).await?;
            status = body["action"]["status"]
                .as_str()
                .unwrap_or_default()
                .to_string();
        }
    }

    async fn must_complete(&self, api: &Api, kind: &str) -> Result<()> {
        if self.action(api, kind, ACTION_LIMIT).await? {
            Ok(())
        } else {
            Err(DriverError::Other(format!(
                "DigitalOcean's {kind} of droplet {} did not complete within {} minutes",
                self.droplet()?,
                ACTION_LIMIT.as_secs() / 60
            )))
        }
    }

    /// The firewall of this machine's tag: reused when the account has one
    /// by that name, else made.
    async fn ensure_firewall(&self, api: &Api) -> Result<FirewallId> {
        let name = self.firewall_tag();
        let existing = api.list("/v2/firewalls", "firewalls").await?;
        let found = existing
            .iter()
            .find(|f| f["name"] == name.as_str())
            .and_then(|f| f["id"].as_str());
        let id = match found {
            Some(id) => id.to_string(),
            None => {
                let made = api.post("/v2/firewalls", self.firewall_body()).await?;
                made["firewall"]["id"]
                    .as_str()
                    .ok_or_else(|| {
                        DriverError::Other(format!(
                            "DigitalOcean made firewall {name} without an id"
                        ))
                    })?
                    .to_string()
            }
        };
        FirewallId::try_from(id).map_err(|why| {
            DriverError::Other(format!("DigitalOcean's firewall id for {name}: {why}"))
        })
    }

    fn state_of(status: &str) -> MachineState {
        match status {
            "new" => MachineState::Starting,
            "active" => MachineState::Running,
            "off" | "archive" => MachineState::Stopped,
            _ => MachineState::Error,
        }
    }
}

/// Each listed droplet's state by its id.
fn droplets_by_id(droplets: &[Value]) -> HashMap<u64, MachineState> {
    droplets
        .iter()
        .filter_map(|d| {
            let status = d["status"].as_str().unwrap_or_default();
            Some((d["id"].as_u64()?, DigitalOceanDriver::state_of(status)))
        })
        .collect()
}

impl Driver for DigitalOceanDriver {
    const NAME: &'static str = "digitalocean";
    const SECRET_VARIABLES: &'static [&'static str] = &["DIGITALOCEAN_ACCESS_TOKEN"];

    fn pre_create_check(&self) -> Result<()> {
        if self.token.is_empty() {
            return Err(DriverError::InvalidOption(
                "--digitalocean-access-token is required with --driver digitalocean: give an API token with read and write scope, or set DIGITALOCEAN_ACCESS_TOKEN".into(),
            ));
        }
        match (&self.options.ssh_key_fingerprint, &self.options.ssh_key_path) {
            (Some(_), None) => Err(DriverError::InvalidOption(
                "--digitalocean-ssh-key-fingerprint needs --digitalocean-ssh-key-path, the private key of that account key".into(),
            )),
            (None, Some(_)) => Err(DriverError::InvalidOption(
                "--digitalocean-ssh-key-path goes with --digitalocean-ssh-key-fingerprint (without it a key is added to the account per machine)".into(),
            )),
            (Some(_), Some(path)) => fs::File::open(path).map(|_| ()).map_err(|e| {
                DriverError::InvalidOption(format!(
                    "cannot read --digitalocean-ssh-key-path {}: {e}",
                    path.display()
                ))
            }),
            (None, None) => Ok(()),
        }?;
        if let (Some(path), None) = (&self.options.user_data, &self.user_data) {
            read_user_data(path)?;
        }
        Ok(())
    }

    fn wants_generated_key(&self) -> bool {
        self.options.ssh_key_fingerprint.is_none()
    }

    fn ssh_auth_may_lag(&self) -> bool {
        true
    }

    fn debug_counters(&self) -> Option<String> {
        Some(format!("DigitalOcean API calls so far: {}", api_calls()))
    }

    fn takes_user_data(&self) -> bool {
        true
    }

    fn cluster_check(&self) -> Result<()> {
        match self.options.user_data {
            Some(_) => Err(user_data_conflict("--digitalocean-userdata")),
            None => Ok(()),
        }
    }

    async fn prepare_cluster(&self, cluster: &Cluster) -> Result<Vec<Found>> {
        self.make_cluster_firewall(cluster).await
    }

    async fn cluster_resources(&self, cluster: &ClusterName) -> Result<Vec<Found>> {
        self.find_cluster(cluster).await
    }

    async fn remove_cluster_resources(&self, found: &[Found]) -> Result<RemoveReport> {
        self.remove_cluster(found).await
    }

    fn cluster_auto_join(&self, cluster: &Cluster) -> Option<Secret> {
        Some(self.auto_join(cluster))
    }

    async fn create(&mut self, ctx: &CreateContext, checkpoint: &mut dyn Checkpoint) -> Result<()> {
        let user_data = match (&ctx.cluster, &self.user_data, &self.options.user_data) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                return Err(user_data_conflict("--digitalocean-userdata"));
            }
            (Some(node), None, None) => {
                self.cluster_tags = node.cluster.plain_tags().to_vec();
                node.user_data.clone()
            }
            (None, Some(data), _) => Some(data.clone()),
            (None, None, Some(path)) => Some(read_user_data(path)?),
            (None, None, None) => ctx.engine_boot_script.clone(),
        };
        if let Some(data) = &user_data
            && data.len() as u64 > USER_DATA_LIMIT
        {
            return Err(DriverError::InvalidOption(format!(
                "the node's user-data is {} bytes: DigitalOcean takes at most 64 KiB ({USER_DATA_LIMIT} bytes)",
                data.len()
            )));
        }
        let api = self.api()?;
        self.ssh_key = Some(
            self.options
                .ssh_key_path
                .clone()
                .unwrap_or_else(|| ctx.ssh_private_key.clone()),
        );

        let key = match &self.options.ssh_key_fingerprint {
            Some(fp) => match fp.as_str().parse::<u64>() {
                Ok(id) => json!(id),
                Err(_) => json!(fp.as_str()),
            },
            None => {
                let name = match self.cluster_tags.get(1) {
                    Some(id_tag) => cluster::key_name(&self.machine, id_tag),
                    None => format!("machinectl-{}", self.machine),
                };
                let added = api
                    .post(
                        "/v2/account/keys",
                        json!({ "name": name, "public_key": ctx.ssh_public_key.trim() }),
                    )
                    .await?;
                let id = added["ssh_key"]["id"].as_u64().ok_or_else(|| {
                    DriverError::Other("DigitalOcean added the SSH key without an id".into())
                })?;
                self.resources.ssh_key_id = Some(id);
                checkpoint.save(snapshot(self)?)?;
                json!(id)
            }
        };

        let made = api
            .post("/v2/droplets", self.droplet_body(key, user_data.as_deref()))
            .await?;
        let id = made["droplet"]["id"].as_u64().ok_or_else(|| {
            DriverError::Other("DigitalOcean created the droplet without an id".into())
        })?;
        self.resources.droplet_id = Some(id);
        checkpoint.save(snapshot(self)?)?;

        // A cluster node's firewall is the cluster's, made before the nodes.
        if self.cluster_tags.is_empty() {
            let firewall = self.ensure_firewall(&api).await?;
            self.resources.firewall_id = Some(firewall);
            checkpoint.save(snapshot(self)?)?;
        }

        self.wait_active(&api, id).await?;
        checkpoint.save(snapshot(self)?)
    }

    fn ssh_target(&self) -> Option<SshTarget> {
        let (host, key) = (self.address()?, self.ssh_key.clone()?);
        let port = self.options.ssh_port;
        Some(SshTarget::new(host, port, &self.options.ssh_user, key))
    }

    fn ip(&self) -> Option<IpAddr> {
        self.address()
    }

    /// Droplets of one VPC talk over their private addresses.
    fn peer_address(&self) -> Option<IpAddr> {
        self.resources.private_ipv4.or_else(|| self.ip())
    }

    fn addresses(&self) -> Vec<IpAddr> {
        [
            self.resources.public_ipv4,
            self.resources.private_ipv4,
            self.resources.public_ipv6,
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    async fn state(&self, timeout: Duration) -> Result<MachineState> {
        let Some(id) = self.resources.droplet_id else {
            return Ok(MachineState::NotFound);
        };
        let api = self.api()?;
        let path = format!("/v2/droplets/{id}");
        let asked = api.get_if_exists(&path);
        states::one(timeout, asked, |body| {
            Self::state_of(body["droplet"]["status"].as_str().unwrap_or_default())
        })
        .await
    }

    /// One list of the account's `machinectl` droplets (page by page) per
    /// API URL and token, instead of a call per machine.
    async fn states_of(drivers: &[&Self], timeout: Duration) -> Option<Vec<Result<MachineState>>> {
        let account = |d: &Self| {
            d.resources.droplet_id?;
            Some((d.api_url.to_string(), d.token.expose().to_string()))
        };
        let list = |indexes: Vec<usize>| {
            let first = drivers[indexes[0]];
            async move {
                let api = first.api()?;
                let droplets = api
                    .list(&format!("/v2/droplets?tag_name={MANAGED_TAG}"), "droplets")
                    .await?;
                Ok::<_, DriverError>(droplets_by_id(&droplets))
            }
        };
        let pick = |by_id: &HashMap<u64, MachineState>, i: usize| {
            let id = drivers[i].resources.droplet_id;
            id.and_then(|id| by_id.get(&id).copied())
                .unwrap_or(MachineState::NotFound)
        };
        Some(states::spread(drivers, timeout, account, list, pick).await)
    }

    async fn start(&mut self) -> Result<()> {
        let api = self.api()?;
        let id = self.droplet()?;
        self.must_complete(&api, "power_on").await?;
        let body = api.get(&format!("/v2/droplets/{id}")).await?;
        self.take_addresses(&body["droplet"]);
        Ok(())
    }

    /// A clean shutdown; power off when it has not finished in time.
    async fn stop(&mut self) -> Result<()> {
        let api = self.api()?;
        let grace = std::env::var("MACHINECTL_DIGITALOCEAN_SHUTDOWN_GRACE")
            .ok()
            .and_then(|s| s.parse().ok())
            .map(Duration::from_secs)
            .unwrap_or(SHUTDOWN_GRACE);
        match self.action(&api, "shutdown", grace).await {
            Ok(true) => Ok(()),
            Ok(false) | Err(_) => self.must_complete(&api, "power_off").await,
        }
    }

    async fn kill(&mut self) -> Result<()> {
        let api = self.api()?;
        self.must_complete(&api, "power_off").await
    }

    async fn remove(&mut self) -> Result<RemoveReport> {
        let api = self.api()?;
        let mut report = RemoveReport::default();
        let gone = |report: &mut RemoveReport, what: String, deleted: Result<bool>| match deleted {
            Ok(true) => report.removed.push(what),
            Ok(false) => report.removed.push(format!("{what} (already gone)")),
            Err(e) => report.left.push(format!("{what} ({e})")),
        };
        if let Some(id) = self.resources.droplet_id {
            let deleted = api.delete(&format!("/v2/droplets/{id}")).await;
            let failed = deleted.is_err();
            gone(&mut report, format!("droplet {id}"), deleted);
            if failed {
                // Its key and firewall may still be in use: keep them for the next rm.
                return Ok(report);
            }
        }
        if let Some(key) = self.resources.ssh_key_id {
            let deleted = api.delete(&format!("/v2/account/keys/{key}")).await;
            gone(&mut report, format!("SSH key {key}"), deleted);
        }
        if self.resources.droplet_id.is_some() {
            let tag = self.machine_tag();
            let deleted = api.delete(&format!("/v2/tags/{tag}")).await;
            gone(&mut report, format!("tag {tag}"), deleted);
        }
        // The firewall and its tag go once no droplet carries the tag (the
        // tag exists from the droplet's creation on, the firewall once
        // recorded); a cluster node's firewall goes with its cluster.
        if self.cluster_tags.is_empty()
            && (self.resources.droplet_id.is_some() || self.resources.firewall_id.is_some())
        {
            let tag = self.firewall_tag();
            let ours = self.resources.droplet_id;
            match api
                .list(&format!("/v2/droplets?tag_name={tag}"), "droplets")
                .await
            {
                Ok(droplets) => {
                    let others = droplets.iter().filter(|d| d["id"].as_u64() != ours).count();
                    if others > 0 {
                        report.note = Some(format!(
                            "firewall {tag} still guards {others} other droplet(s) and was kept"
                        ));
                    } else {
                        let mut kept = false;
                        if let Some(firewall) = self.resources.firewall_id.clone() {
                            let deleted = api.delete(&format!("/v2/firewalls/{firewall}")).await;
                            kept = deleted.is_err();
                            gone(&mut report, format!("firewall {tag} ({firewall})"), deleted);
                        }
                        if !kept {
                            let deleted = api.delete(&format!("/v2/tags/{tag}")).await;
                            gone(&mut report, format!("tag {tag}"), deleted);
                        }
                    }
                }
                Err(e) => report.left.push(format!("firewall {tag} ({e})")),
            }
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn driver(allowed: &[&str]) -> DigitalOceanDriver {
        DigitalOceanDriver {
            api_url: ApiUrl::try_from(DEFAULT_API_URL).unwrap(),
            token: Secret::new("dop_v1_x"),
            machine: "web.1".into(),
            engine_port: 2376,
            options: Options {
                region: Region::try_from("nyc3").unwrap(),
                size: Size::try_from("s-1vcpu-1gb").unwrap(),
                image: Image::try_from("ubuntu-24-04-x64").unwrap(),
                ipv6: false,
                private_networking: false,
                vpc_uuid: None,
                backups: false,
                monitoring: false,
                ssh_user: SshUser::try_from("root").unwrap(),
                ssh_port: 22,
                ssh_key_fingerprint: None,
                ssh_key_path: None,
                tags: vec![TagName::try_from("team:a").unwrap()],
                user_data: None,
                allowed: allowed
                    .iter()
                    .map(|c| Cidr::try_from(*c).unwrap())
                    .collect(),
                use_private_address: false,
            },
            resources: Resources::default(),
            ssh_key: None,
            user_data: None,
            cluster_tags: Vec::new(),
        }
    }

    #[test]
    fn firewalls_are_named_by_what_they_open() {
        let everywhere = driver(&["0.0.0.0/0", "::/0"]);
        assert_eq!(everywhere.firewall_tag(), "machinectl-2376");
        let office = driver(&["203.0.113.0/24"]);
        let other = driver(&["198.51.100.0/24"]);
        assert!(office.firewall_tag().starts_with("machinectl-2376-"));
        assert_ne!(office.firewall_tag(), other.firewall_tag());
        assert_ne!(office.firewall_tag(), everywhere.firewall_tag());
        assert_eq!(
            everywhere.droplet_tags(),
            [
                "machinectl",
                "machinectl:machine:web_1",
                "machinectl-2376",
                "team:a"
            ]
        );
        for tag in everywhere.droplet_tags() {
            TagName::try_from(tag).unwrap();
        }
    }

    #[test]
    fn droplet_body_sends_what_was_asked() {
        let mut d = driver(&["0.0.0.0/0", "::/0"]);
        d.machine = "dev-".into();
        d.options.image = Image::try_from("12345").unwrap();
        let body = d.droplet_body(json!(7), Some("#cloud-config\n"));
        assert_eq!(body["name"], "dev");
        assert_eq!(body["image"], 12345);
        assert_eq!(body["ssh_keys"], json!([7]));
        assert_eq!(body["user_data"], "#cloud-config\n");
        assert!(body.get("vpc_uuid").is_none());
        assert!(body.get("private_networking").is_none());
    }

    #[test]
    fn user_data_over_64_kib_is_refused() {
        let dir = std::env::temp_dir().join(format!("mctl-do-ud-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let ok = dir.join("ok");
        fs::write(&ok, vec![b'a'; USER_DATA_LIMIT as usize]).unwrap();
        assert_eq!(read_user_data(&ok).unwrap().len(), 65536);
        let big = dir.join("big");
        fs::write(&big, vec![b'a'; USER_DATA_LIMIT as usize + 1]).unwrap();
        let e = read_user_data(&big).unwrap_err().to_string();
        assert!(e.contains("at most 64 KiB"), "{e}");
        fs::remove_dir_all(&dir).unwrap();
    }
}
