//! The `aws` driver: Docker hosts on EC2 instances.
//!
//! Create finds (or takes) an AMI, VPC, subnet and security group, imports
//! the machine's SSH key as a key pair unless one is named, and runs one
//! instance. Every resource it makes carries `machinectl:machine=NAME`,
//! `machinectl:managed=true` and `Name=NAME`, and its id is checkpointed the
//! moment it exists, so rm (or a rollback) can always find it. rm terminates
//! and waits, then deletes the key pair it imported and the machinectl
//! security group once no instance uses it.
//!
//! Credentials come from aws-config's default chain (environment, shared
//! files, `--aws-profile`); `--aws-endpoint` points every call at an
//! emulator or compatible cloud. Throttling and transient errors are retried
//! by the SDK's standard retry policy; every wait is bounded and says what
//! it waits for.

pub mod checked;
mod ec2;
mod flags;
pub mod stack;

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use machinectl_driver_api::{
    Checkpoint, CreateContext, Driver, DriverError, MachineState, RemoveReport, Result, SshTarget,
    snapshot,
};
use serde::{Deserialize, Serialize};

pub use ec2::{Ec2, api_calls};
pub use flags::AwsFlags;

/// Canonical's public SSM parameter for the current Ubuntu 24.04 LTS AMI.
pub const UBUNTU_AMI_PARAMETER: &str =
    "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id";

/// Name of the security group machinectl makes (or reuses) per VPC.
pub const DEFAULT_SECURITY_GROUP: &str = "machinectl";

/// Where the API is: region, credentials profile and endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Location {
    pub region: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
}

/// What the user asked for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AwsOptions {
    pub zone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ami: Option<String>,
    pub instance_type: String,
    pub root_size: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_group: Option<String>,
    pub allowed_cidr: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keypair_name: Option<String>,
    /// Private key of `keypair_name` (required with it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_key: Option<PathBuf>,
    pub ssh_user: String,
    pub use_private_address: bool,
    #[serde(default)]
    pub tags: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iam_instance_profile: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spot_price: Option<String>,
}

/// What create made and found; each id is recorded as soon as it exists.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AwsResources {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ami: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_group_id: Option<String>,
    /// The group is machinectl's (made by this or another machine): rm deletes it once unused.
    #[serde(default)]
    pub security_group_managed: bool,
    /// The key pair this machine imported (never a user's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported_key_pair: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_ip: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AwsDriver {
    pub location: Location,
    pub options: AwsOptions,
    #[serde(default)]
    pub resources: AwsResources,
    /// The machine's name (for tags and the key pair's name).
    pub machine: String,
    /// The engine port to open in the security group.
    pub engine_port: u16,
    /// The key SSH uses: the machine's generated key, or `options.ssh_key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_key: Option<PathBuf>,
}

/// `k=v,k2=v2` as pairs (or docker-machine's `k1,v1,k2,v2`); errors name
/// the flag.
pub fn parse_tags(text: &str) -> Result<Vec<(String, String)>> {
    let entries: Vec<&str> = text.split(',').filter(|t| !t.trim().is_empty()).collect();
    let docker_machine_style = !entries.is_empty()
        && entries.len().is_multiple_of(2)
        && entries.iter().all(|e| !e.contains('='));
    let pairs: Vec<String> = if docker_machine_style {
        entries
            .chunks(2)
            .map(|kv| format!("{}={}", kv[0], kv[1]))
            .collect()
    } else {
        entries.iter().map(|e| e.to_string()).collect()
    };
    pairs
        .iter()
        .map(|pair| {
            let (key, value) = pair
                .split_once('=')
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .filter(|(k, _)| !k.is_empty())
                .ok_or_else(|| {
                    DriverError::InvalidOption(format!(
                        "invalid --aws-tags entry {pair:?}: expected key=value[,key=value…]"
                    ))
                })?;
            // AWS's limits, and the prefixes only AWS and machinectl may set
            // (a tag of ours could otherwise claim another machine's resources).
            let reserved = ["aws:", "machinectl:"]
                .iter()
                .find(|p| key.to_ascii_lowercase().starts_with(*p));
            if let Some(prefix) = reserved {
                return Err(DriverError::InvalidOption(format!(
                    "invalid --aws-tags key {key:?}: the prefix {prefix} is reserved"
                )));
            }
            if key.chars().count() > 128
                || value.chars().count() > 256
                || key.chars().chain(value.chars()).any(char::is_control)
            {
                return Err(DriverError::InvalidOption(format!(
                    "invalid --aws-tags entry {pair:?}: keys are at most 128 characters, values 256, without control characters"
                )));
            }
            Ok((key, value))
        })
        .collect()
}

impl AwsDriver {
    /// Tags every resource of this machine carries.
    pub fn tags(&self) -> Vec<(String, String)> {
        let mut tags = vec![
            ("Name".to_string(), self.machine.clone()),
            ("machinectl:machine".to_string(), self.machine.clone()),
            ("machinectl:managed".to_string(), "true".to_string()),
        ];
        for (k, v) in &self.options.tags {
            if !tags.iter().any(|(existing, _)| existing == k) {
                tags.push((k.clone(), v.clone()));
            }
        }
        tags
    }

    fn address(&self) -> Option<&str> {
        if self.options.use_private_address {
            self.resources.private_ip.as_deref()
        } else {
            self.resources
                .public_ip
                .as_deref()
                .or(self.resources.private_ip.as_deref())
        }
    }

    /// The VPC and subnet to launch in, and the security group (made or
    /// reused) with SSH and the engine port open; each recorded as it exists.
    /// Returns the subnet and group ids.
    async fn network(
        &mut self,
        ec2: &Ec2,
        tags: &[(String, String)],
        checkpoint: &mut dyn Checkpoint,
    ) -> Result<(String, String)> {
        let (vpc, subnet) = ec2
            .network(
                &self.location.region,
                &self.options.zone,
                self.options.vpc_id.as_deref(),
                self.options.subnet_id.as_deref(),
            )
            .await?;
        self.resources.vpc_id = Some(vpc.clone());
        self.resources.subnet_id = Some(subnet.clone());
        let group_name = self
            .options
            .security_group
            .clone()
            .unwrap_or_else(|| DEFAULT_SECURITY_GROUP.to_string());
        let (group_id, managed) = ec2.security_group(&group_name, &vpc, tags).await?;
        self.resources.security_group_id = Some(group_id.clone());
        self.resources.security_group_managed = managed;
        checkpoint.save(snapshot(self)?)?;
        ec2.open_ports(&group_id, self.engine_port, &self.options.allowed_cidr)
            .await?;
        Ok((subnet, group_id))
    }

    /// The key pair named by the flags, or one imported for this machine
    /// (recorded the moment it exists, so rm deletes it).
    async fn key_pair(
        &mut self,
        ec2: &Ec2,
        ctx: &CreateContext,
        tags: &[(String, String)],
        checkpoint: &mut dyn Checkpoint,
    ) -> Result<String> {
        if let Some(name) = &self.options.keypair_name {
            return Ok(name.clone());
        }
        let name = format!("machinectl-{}-{:08x}", self.machine, random_u32());
        ec2.import_key_pair(&name, &ctx.ssh_public_key, tags)
            .await?;
        self.resources.imported_key_pair = Some(name.clone());
        checkpoint.save(snapshot(self)?)?;
        Ok(name)
    }

    async fn client(&self) -> Ec2 {
        Ec2::connect(&self.location).await
    }

    /// States of many AWS machines with one DescribeInstances per location,
    /// by instance id.
    async fn states(
        drivers: &[&AwsDriver],
        timeout: Duration,
    ) -> HashMap<String, Result<MachineState>> {
        let mut by_location: HashMap<&Location, Vec<String>> = HashMap::new();
        for d in drivers {
            if let Some(id) = &d.resources.instance_id {
                by_location.entry(&d.location).or_default().push(id.clone());
            }
        }
        let mut states = HashMap::new();
        for (location, ids) in by_location {
            let ec2 = Ec2::connect(location).await;
            match tokio::time::timeout(timeout, ec2.instance_states(&ids)).await {
                Ok(Ok(found)) => {
                    for id in ids {
                        let state = found.get(&id).copied().unwrap_or(MachineState::NotFound);
                        states.insert(id, Ok(state));
                    }
                }
                Ok(Err(e)) => {
                    for id in ids {
                        states.insert(id, Err(DriverError::Other(e.to_string())));
                    }
                }
                Err(_) => {
                    for id in ids {
                        states.insert(id, Ok(MachineState::Timeout));
                    }
                }
            }
        }
        states
    }
}

impl Driver for AwsDriver {
    const NAME: &'static str = "aws";
    const SECRET_VARIABLES: &'static [&'static str] =
        &["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];

    /// One DescribeInstances per region and account.
    async fn states_of(drivers: &[&Self], timeout: Duration) -> Option<Vec<Result<MachineState>>> {
        let mut states = AwsDriver::states(drivers, timeout).await;
        Some(
            drivers
                .iter()
                .map(|d| match &d.resources.instance_id {
                    Some(id) => states.remove(id).unwrap_or(Ok(MachineState::NotFound)),
                    None => Ok(MachineState::NotFound),
                })
                .collect(),
        )
    }

    fn debug_counters(&self) -> Option<String> {
        Some(format!("EC2 API calls so far: {}", api_calls()))
    }

    fn pre_create_check(&self) -> Result<()> {
        if self.location.region.trim().is_empty() {
            return Err(DriverError::InvalidOption(
                "--aws-region is empty: give a region such as us-east-1".into(),
            ));
        }
        if self.options.root_size < 1 {
            return Err(DriverError::InvalidOption(
                "--aws-root-size must be at least 1 (GiB)".into(),
            ));
        }
        if self.options.zone.len() != 1
            || !self.options.zone.chars().all(|c| c.is_ascii_lowercase())
        {
            return Err(DriverError::InvalidOption(format!(
                "invalid --aws-zone {:?}: give the zone letter, e.g. a",
                self.options.zone
            )));
        }
        if !self.options.allowed_cidr.contains('/') {
            return Err(DriverError::InvalidOption(format!(
                "invalid --aws-allowed-cidr {:?}: give a CIDR such as 203.0.113.0/24",
                self.options.allowed_cidr
            )));
        }
        match (&self.options.keypair_name, &self.options.ssh_key) {
            (Some(_), None) => Err(DriverError::InvalidOption(
                "--aws-keypair-name needs --aws-ssh-key, the private key of that key pair".into(),
            )),
            (None, Some(_)) => Err(DriverError::InvalidOption(
                "--aws-ssh-key goes with --aws-keypair-name (without it a key pair is made for the machine)".into(),
            )),
            (Some(_), Some(key)) => std::fs::File::open(key).map(|_| ()).map_err(|e| {
                DriverError::InvalidOption(format!(
                    "cannot read --aws-ssh-key {}: {e}",
                    key.display()
                ))
            }),
            (None, None) => Ok(()),
        }
    }

    fn wants_generated_key(&self) -> bool {
        self.options.keypair_name.is_none()
    }

    fn ssh_auth_may_lag(&self) -> bool {
        true
    }

    async fn create(&mut self, ctx: &CreateContext, checkpoint: &mut dyn Checkpoint) -> Result<()> {
        let ec2 = self.client().await;
        self.ssh_key = Some(
            self.options
                .ssh_key
                .clone()
                .unwrap_or_else(|| ctx.ssh_private_key.clone()),
        );
        let tags = self.tags();

        let ami = match &self.options.ami {
            Some(ami) => ami.clone(),
            None => ec2.ubuntu_ami(&self.location).await?,
        };
        let root_device = ec2.root_device(&ami).await?;
        self.resources.ami = Some(ami.clone());

        let (subnet, group_id) = self.network(&ec2, &tags, checkpoint).await?;

        let key_name = self.key_pair(&ec2, ctx, &tags, checkpoint).await?;

        let instance = ec2
            .run_instance(ec2::Launch {
                ami: &ami,
                instance_type: &self.options.instance_type,
                key_name: &key_name,
                subnet: &subnet,
                security_group: &group_id,
                root_device: &root_device,
                root_size: self.options.root_size,
                public_ip: !self.options.use_private_address,
                iam_instance_profile: self.options.iam_instance_profile.as_deref(),
                spot_price: self.options.spot_price.as_deref(),
                user_data: ctx.engine_boot_script.as_deref(),
                tags: &tags,
            })
            .await?;
        self.resources.instance_id = Some(instance.clone());
        checkpoint.save(snapshot(self)?)?;

        let (public, private) = ec2.wait_running(&instance).await?;
        self.resources.public_ip = public;
        self.resources.private_ip = private;
        checkpoint.save(snapshot(self)?)?;
        if self.address().is_none() {
            return Err(DriverError::Other(format!(
                "instance {instance} has no {} address: use --aws-use-private-address or a subnet that gives public addresses",
                if self.options.use_private_address {
                    "private"
                } else {
                    "public"
                }
            )));
        }
        Ok(())
    }

    fn ssh_target(&self) -> Option<SshTarget> {
        let (host, key) = (self.address()?, self.ssh_key.clone()?);
        Some(SshTarget::new(host, 22, &self.options.ssh_user, key))
    }

    fn ip(&self) -> Option<IpAddr> {
        self.address()?.parse().ok()
    }

    /// Nodes of one VPC talk over their private addresses.
    fn peer_address(&self) -> Option<IpAddr> {
        match &self.resources.private_ip {
            Some(private) => private.parse().ok(),
            None => self.ip(),
        }
    }

    fn addresses(&self) -> Vec<IpAddr> {
        [&self.resources.public_ip, &self.resources.private_ip]
            .into_iter()
            .flatten()
            .filter_map(|a| a.parse().ok())
            .collect()
    }

    async fn state(&self, timeout: Duration) -> Result<MachineState> {
        let Some(id) = &self.resources.instance_id else {
            return Ok(MachineState::NotFound);
        };
        let ec2 = self.client().await;
        match tokio::time::timeout(timeout, ec2.instance_states(std::slice::from_ref(id))).await {
            Ok(found) => Ok(found?.get(id).copied().unwrap_or(MachineState::NotFound)),
            Err(_) => Ok(MachineState::Timeout),
        }
    }

    async fn start(&mut self) -> Result<()> {
        let id = self.instance()?;
        let ec2 = self.client().await;
        ec2.start(&id).await?;
        let (public, private) = ec2.wait_running(&id).await?;
        self.resources.public_ip = public;
        self.resources.private_ip = private;
        Ok(())
    }

    async fn stop(&mut self) -> Result<()> {
        let id = self.instance()?;
        let ec2 = self.client().await;
        ec2.stop(&id, false).await?;
        ec2.wait_state(&id, MachineState::Stopped).await
    }

    async fn kill(&mut self) -> Result<()> {
        let id = self.instance()?;
        let ec2 = self.client().await;
        ec2.stop(&id, true).await?;
        ec2.wait_state(&id, MachineState::Stopped).await
    }

    async fn remove(&mut self) -> Result<RemoveReport> {
        let ec2 = self.client().await;
        let mut report = RemoveReport::default();
        if let Some(id) = self.resources.instance_id.clone() {
            match ec2.terminate(&id).await {
                Ok(()) => report.removed.push(format!("instance {id}")),
                Err(e) => {
                    report.left.push(format!("instance {id} ({e})"));
                    // Its key pair and group may still be in use: keep them too.
                    return Ok(report);
                }
            }
        }
        if let Some(key) = self.resources.imported_key_pair.clone() {
            match ec2.delete_key_pair(&key).await {
                Ok(()) => report.removed.push(format!("key pair {key}")),
                Err(e) => report.left.push(format!("key pair {key} ({e})")),
            }
        }
        if let (Some(group), true) = (
            self.resources.security_group_id.clone(),
            self.resources.security_group_managed,
        ) {
            match ec2.delete_group_if_unused(&group).await {
                Ok(true) => report.removed.push(format!("security group {group}")),
                Ok(false) => {
                    report.note = Some(format!(
                        "security group {group} is still used by other instances and was kept"
                    ))
                }
                Err(e) => report.left.push(format!("security group {group} ({e})")),
            }
        }
        Ok(report)
    }
}

impl AwsDriver {
    fn instance(&self) -> Result<String> {
        self.resources
            .instance_id
            .clone()
            .ok_or_else(|| DriverError::Other("the machine has no instance".into()))
    }
}

fn random_u32() -> u32 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    hasher.finish() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_parse_and_never_override_ours() {
        assert_eq!(
            parse_tags("team=a, env=prod").unwrap(),
            vec![("team".into(), "a".into()), ("env".into(), "prod".into())]
        );
        assert!(parse_tags("novalue").is_err());
        let driver = AwsDriver {
            location: Location {
                region: "us-east-1".into(),
                profile: None,
                endpoint: None,
            },
            options: AwsOptions {
                zone: "a".into(),
                ami: None,
                instance_type: "t3.small".into(),
                root_size: 16,
                vpc_id: None,
                subnet_id: None,
                security_group: None,
                allowed_cidr: "0.0.0.0/0".into(),
                keypair_name: None,
                ssh_key: None,
                ssh_user: "ubuntu".into(),
                use_private_address: false,
                tags: parse_tags("Name=other,team=a").unwrap(),
                iam_instance_profile: None,
                spot_price: None,
            },
            resources: AwsResources::default(),
            machine: "dev".into(),
            engine_port: 2376,
            ssh_key: None,
        };
        let tags = driver.tags();
        assert_eq!(tags[0], ("Name".into(), "dev".into()));
        assert!(tags.contains(&("machinectl:managed".into(), "true".into())));
        assert!(tags.contains(&("team".into(), "a".into())));
        assert_eq!(tags.iter().filter(|(k, _)| k == "Name").count(), 1);
    }
}
