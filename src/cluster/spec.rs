//! What a cluster should be: provider, node counts, orchestrator and
//! provider options, from flags or a YAML file (flags fill what the file
//! leaves out). Validation errors name the file's line where they can.

use std::path::PathBuf;

use machinectl_driver_api::checked::{HostAddress, SshUser};
use serde::{Deserialize, Serialize};

use crate::drivers::MachineDriver;
use machinectl_driver_aws::checked::{
    AmiId, AwsRegion, AwsZone, EndpointUrl, InstanceType, Ipv4Cidr, ProfileName, UserName,
};

pub const API_VERSION: &str = "clusterctl.machinectl.io/v1";
pub const KIND: &str = "Cluster";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    /// Namespace hosts on this machine
    Local,
    /// A CloudFormation stack
    Aws,
    /// Droplets of the digitalocean driver (its --digitalocean-* flags)
    Digitalocean,
    /// Instances of the gce driver (its --gce-* flags)
    Gce,
    /// VMs of the azure driver (its --azure-* flags)
    Azure,
    /// VMs of the virtualbox driver (its --virtualbox-* flags)
    Virtualbox,
    /// Existing SSH hosts (--hosts, --ssh-key)
    Generic,
}

impl ProviderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Local => "local",
            ProviderKind::Aws => "aws",
            ProviderKind::Digitalocean => "digitalocean",
            ProviderKind::Gce => "gce",
            ProviderKind::Azure => "azure",
            ProviderKind::Virtualbox => "virtualbox",
            ProviderKind::Generic => "generic",
        }
    }

    /// The machine driver whose flags `up`, `render` and `down` take and
    /// whose machines the nodes are: the cloud and VM providers.
    pub fn driver_flags_of(self) -> Option<&'static str> {
        match self {
            ProviderKind::Digitalocean
            | ProviderKind::Gce
            | ProviderKind::Azure
            | ProviderKind::Virtualbox => Some(self.as_str()),
            ProviderKind::Local | ProviderKind::Aws | ProviderKind::Generic => None,
        }
    }
}

/// One existing host of a generic cluster: `user@host[:port]` (an IPv6
/// address in brackets when a port follows), checked where it enters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct GenericHost {
    pub user: SshUser,
    pub host: HostAddress,
    pub port: u16,
}

impl TryFrom<String> for GenericHost {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        let bad = |why: &str| {
            format!("invalid host {value:?} in --hosts: {why}; write user@address[:port]")
        };
        let (user, rest) = value.split_once('@').ok_or_else(|| bad("no user@"))?;
        let user = SshUser::try_from(user).map_err(|e| bad(&e))?;
        let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
            let (host, after) = v6.split_once(']').ok_or_else(|| bad("no closing ]"))?;
            (host, after.strip_prefix(':'))
        } else if rest.matches(':').count() == 1 {
            let (host, port) = rest.split_once(':').expect("one colon");
            (host, Some(port))
        } else {
            (rest, None)
        };
        let port = match port {
            None => 22,
            Some(p) => p
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| bad("the port is not 1-65535"))?,
        };
        let host = HostAddress::try_from(host).map_err(|e| bad(&e))?;
        Ok(GenericHost { user, host, port })
    }
}

impl std::str::FromStr for GenericHost {
    type Err = String;
    fn from_str(value: &str) -> Result<Self, String> {
        GenericHost::try_from(value.to_string())
    }
}

impl From<GenericHost> for String {
    fn from(h: GenericHost) -> String {
        let host = h.host.to_string();
        let host = if host.contains(':') {
            format!("[{host}]")
        } else {
            host
        };
        format!("{}@{host}:{}", h.user, h.port)
    }
}

/// Options of the generic provider: the hosts, in node order, and the key
/// SSH logs in with.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct GenericSpec {
    pub hosts: Vec<GenericHost>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ssh_key: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum OrchestratorKind {
    /// Docker Swarm over the Engine API
    Swarm,
    /// Kubernetes by kubeadm
    Kubernetes,
    /// Amazon ECS (aws only)
    Ecs,
    /// Consul servers and clients over TLS, with Registrator on every node
    Consul,
    /// Apache Mesos with ZooKeeper and Marathon: legacy (Mesos moved to the
    /// Apache Attic in October 2025, Marathon is archived), kept for users who run it
    Mesos,
}

impl OrchestratorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrchestratorKind::Swarm => "swarm",
            OrchestratorKind::Kubernetes => "kubernetes",
            OrchestratorKind::Ecs => "ecs",
            OrchestratorKind::Consul => "consul",
            OrchestratorKind::Mesos => "mesos",
        }
    }
}

/// Options of the aws provider (as machinectl's aws driver names them).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct AwsSpec {
    pub region: Option<AwsRegion>,
    pub zone: Option<AwsZone>,
    pub instance_type: Option<InstanceType>,
    pub ami: Option<AmiId>,
    pub allowed_cidr: Option<Ipv4Cidr>,
    pub ssh_user: Option<UserName>,
    pub endpoint: Option<EndpointUrl>,
    pub profile: Option<ProfileName>,
}

impl AwsSpec {
    /// Where an aws cluster's resources live.
    pub fn location(&self) -> machinectl_driver_aws::Location {
        machinectl_driver_aws::Location {
            region: self.region_or_default(),
            profile: self.profile.as_ref().map(String::from),
            endpoint: self.endpoint.as_ref().map(String::from),
        }
    }

    /// The region, us-east-1 when none is given.
    pub fn region_or_default(&self) -> String {
        self.region
            .as_ref()
            .map_or_else(|| "us-east-1".to_string(), |r| r.to_string())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct LocalSpec {
    pub subnet: Option<String>,
}

/// The `spec:` of a cluster file; every field optional so flags can fill gaps.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct SpecFields {
    pub provider: Option<ProviderKind>,
    pub nodes: Option<u32>,
    pub managers: Option<u32>,
    pub orchestrator: Option<OrchestratorKind>,
    pub aws: AwsSpec,
    pub local: LocalSpec,
    pub generic: GenericSpec,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Metadata {
    name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ClusterFile {
    api_version: String,
    kind: String,
    #[serde(default)]
    metadata: Metadata,
    #[serde(default)]
    spec: SpecFields,
}

/// A complete, validated cluster specification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterSpec {
    pub name: String,
    pub provider: ProviderKind,
    pub nodes: u32,
    pub managers: u32,
    pub orchestrator: OrchestratorKind,
    #[serde(default)]
    pub aws: AwsSpec,
    #[serde(default)]
    pub local: LocalSpec,
    #[serde(default, skip_serializing_if = "is_default")]
    pub generic: GenericSpec,
    /// The machine driver every node is made from (the provider's driver
    /// flags given to `up`; secrets sealed as in machine.json): what
    /// `scale` makes new nodes with and `down` finds and removes through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver: Option<DriverTemplate>,
}

/// A node driver as the flags described it, before any node is made.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DriverTemplate(pub Box<MachineDriver>);

/// Two templates are the same when they print the same (secrets print as
/// `[redacted]`; sealing differs each time, so serializing cannot tell).
impl PartialEq for DriverTemplate {
    fn eq(&self, other: &Self) -> bool {
        format!("{:?}", self.0) == format!("{:?}", other.0)
    }
}

fn is_default(spec: &GenericSpec) -> bool {
    *spec == GenericSpec::default()
}

/// The line (1-based) where `key:` first appears in `text`, for messages.
fn line_of(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.trim_start().starts_with(&format!("{key}:")))
        .map(|i| i + 1)
}

/// A parsed file: its name (if any) and fields, or an error naming the line.
pub fn parse_file(path: &str, text: &str) -> Result<(Option<String>, SpecFields), String> {
    let file: ClusterFile = serde_yaml_ng::from_str(text).map_err(|e| format!("{path}: {e}"))?;
    if file.api_version != API_VERSION {
        let line = line_of(text, "apiVersion").unwrap_or(1);
        return Err(format!(
            "{path}:{line}: apiVersion {:?} is not supported: use {API_VERSION}",
            file.api_version
        ));
    }
    if file.kind != KIND {
        let line = line_of(text, "kind").unwrap_or(1);
        return Err(format!(
            "{path}:{line}: kind {:?} is not supported: use {KIND}",
            file.kind
        ));
    }
    let fields = file.spec;
    validate_counts(fields.nodes, fields.managers).map_err(|(key, message)| {
        let line = line_of(text, key).unwrap_or(1);
        format!("{path}:{line}: {message}")
    })?;
    Ok((file.metadata.name, fields))
}

/// Counts that make no cluster: (field, message).
fn validate_counts(
    nodes: Option<u32>,
    managers: Option<u32>,
) -> Result<(), (&'static str, String)> {
    if let Some(managers) = managers {
        if managers == 0 || managers % 2 == 0 {
            return Err((
                "managers",
                format!(
                    "managers must be odd (1, 3, 5…) so a majority can always be formed; got {managers}"
                ),
            ));
        }
        if let Some(nodes) = nodes
            && managers > nodes
        {
            return Err((
                "managers",
                format!(
                    "managers ({managers}) cannot exceed nodes ({nodes}): nodes counts every node, managers included"
                ),
            ));
        }
    }
    if nodes == Some(0) {
        return Err(("nodes", "nodes must be at least 1".into()));
    }
    if nodes.is_some_and(|n| n > 100) {
        return Err(("nodes", "nodes must be at most 100".into()));
    }
    Ok(())
}

impl ClusterSpec {
    /// Combine file fields (which win) with flag fields, then defaults; validate.
    pub fn resolve(
        name: Option<String>,
        file: SpecFields,
        flags: SpecFields,
    ) -> Result<ClusterSpec, String> {
        let name = name.unwrap_or_else(|| "default".into());
        crate::store::validate_name(&name)
            .map_err(|e| e.replace("machine name", "cluster name"))?;
        let provider = file
            .provider
            .or(flags.provider)
            .ok_or("no provider: pass --provider local|aws|digitalocean|gce|azure|virtualbox|generic or set spec.provider in the file")?;
        let nodes = file.nodes.or(flags.nodes).unwrap_or(1);
        let managers = file.managers.or(flags.managers).unwrap_or(1);
        validate_counts(Some(nodes), Some(managers)).map_err(|(_, m)| m)?;
        let orchestrator = file
            .orchestrator
            .or(flags.orchestrator)
            .unwrap_or(OrchestratorKind::Swarm);
        fn merge<T: Clone>(a: &Option<T>, b: &Option<T>) -> Option<T> {
            a.clone().or_else(|| b.clone())
        }
        let aws = AwsSpec {
            region: merge(&file.aws.region, &flags.aws.region),
            zone: merge(&file.aws.zone, &flags.aws.zone),
            instance_type: merge(&file.aws.instance_type, &flags.aws.instance_type),
            ami: merge(&file.aws.ami, &flags.aws.ami),
            allowed_cidr: merge(&file.aws.allowed_cidr, &flags.aws.allowed_cidr),
            ssh_user: merge(&file.aws.ssh_user, &flags.aws.ssh_user),
            endpoint: merge(&file.aws.endpoint, &flags.aws.endpoint),
            profile: merge(&file.aws.profile, &flags.aws.profile),
        };
        let local = LocalSpec {
            subnet: merge(&file.local.subnet, &flags.local.subnet),
        };
        let generic = GenericSpec {
            hosts: if file.generic.hosts.is_empty() {
                flags.generic.hosts.clone()
            } else {
                file.generic.hosts.clone()
            },
            ssh_key: merge(&file.generic.ssh_key, &flags.generic.ssh_key),
        };
        let nodes = check_generic(provider, &generic, file.nodes.or(flags.nodes), nodes)?;
        validate_counts(Some(nodes), Some(managers)).map_err(|(_, m)| m)?;
        if orchestrator == OrchestratorKind::Ecs && provider != ProviderKind::Aws {
            return Err("ecs clusters need --provider aws".into());
        }
        if orchestrator == OrchestratorKind::Consul && !matches!(managers, 3 | 5) {
            return Err(format!(
                "consul needs 3 or 5 servers (its bootstrap_expect): pass --managers 3 or --managers 5, not {managers}"
            ));
        }
        Ok(ClusterSpec {
            name,
            provider,
            nodes,
            managers,
            orchestrator,
            aws,
            local,
            generic,
            driver: None,
        })
    }
}

/// A generic cluster has one node per host: --nodes, if given, must say
/// as many; hosts and a key are required there and refused elsewhere.
fn check_generic(
    provider: ProviderKind,
    generic: &GenericSpec,
    asked: Option<u32>,
    nodes: u32,
) -> Result<u32, String> {
    if provider != ProviderKind::Generic {
        if !generic.hosts.is_empty() || generic.ssh_key.is_some() {
            return Err("--hosts and --ssh-key go with --provider generic".into());
        }
        return Ok(nodes);
    }
    if generic.hosts.is_empty() {
        return Err("--provider generic needs --hosts user@address[:port],… (one per node)".into());
    }
    if generic.ssh_key.is_none() {
        return Err(
            "--provider generic needs --ssh-key FILE, the private key the hosts accept".into(),
        );
    }
    let count = generic.hosts.len() as u32;
    if asked.is_some_and(|n| n != count) {
        return Err(format!(
            "--nodes {} but --hosts names {count} host(s): a generic cluster has one node per host",
            asked.unwrap_or_default()
        ));
    }
    for (i, host) in generic.hosts.iter().enumerate() {
        if generic.hosts[..i]
            .iter()
            .any(|h| h.host == host.host && h.port == host.port)
        {
            return Err(format!(
                "--hosts names {}:{} twice: each node needs its own host",
                host.host, host.port
            ));
        }
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_values_win_and_flags_fill_gaps() {
        let text = "apiVersion: clusterctl.machinectl.io/v1\nkind: Cluster\nmetadata:\n  name: demo\nspec:\n  nodes: 3\n  aws:\n    region: eu-west-1\n";
        let (name, file) = parse_file("c.yaml", text).unwrap();
        let flags = SpecFields {
            provider: Some(ProviderKind::Aws),
            nodes: Some(5),
            aws: AwsSpec {
                region: Some("us-east-1".parse().unwrap()),
                instance_type: Some("t3.large".parse().unwrap()),
                ..Default::default()
            },
            ..Default::default()
        };
        let spec = ClusterSpec::resolve(name, file, flags).unwrap();
        assert_eq!(spec.name, "demo");
        assert_eq!(spec.nodes, 3);
        assert_eq!(spec.aws.region_or_default(), "eu-west-1");
        assert_eq!(
            spec.aws.instance_type.as_ref().map(|t| t.as_str()),
            Some("t3.large")
        );
        assert_eq!(spec.orchestrator, OrchestratorKind::Swarm);
    }

    #[test]
    fn errors_name_the_line() {
        let text = "apiVersion: clusterctl.machinectl.io/v1\nkind: Cluster\nspec:\n  nodes: 4\n  managers: 2\n";
        let err = parse_file("c.yaml", text).unwrap_err();
        assert!(err.starts_with("c.yaml:5: managers must be odd"), "{err}");
        let err = parse_file("c.yaml", "apiVersion: v9\nkind: Cluster\n").unwrap_err();
        assert!(err.starts_with("c.yaml:1: apiVersion"), "{err}");
        let err = parse_file(
            "c.yaml",
            "apiVersion: clusterctl.machinectl.io/v1\nkind: Cluster\nspec:\n  nodez: 3\n",
        )
        .unwrap_err();
        assert!(err.contains("line 4") && err.contains("nodez"), "{err}");
    }

    #[test]
    fn injected_values_are_refused_with_their_line() {
        let text = "apiVersion: clusterctl.machinectl.io/v1\nkind: Cluster\nspec:\n  aws:\n    instanceType: \"t3.small\\\"\\n      IamInstanceProfile: \\\"AdminProfile\"\n";
        let err = parse_file("c.yaml", text).unwrap_err();
        assert!(
            err.contains("invalid instance type") && err.contains("line 5"),
            "{err}"
        );
    }

    #[test]
    fn nodes_are_named_by_role_and_index() {
        let spec = ClusterSpec::resolve(
            None,
            SpecFields::default(),
            SpecFields {
                provider: Some(ProviderKind::Local),
                nodes: Some(3),
                ..Default::default()
            },
        )
        .unwrap();
        let names: Vec<String> = spec.node_names().into_iter().map(|n| n.0).collect();
        assert_eq!(
            names,
            ["default-manager-0", "default-worker-0", "default-worker-1"]
        );
        assert!(
            ClusterSpec::resolve(
                None,
                SpecFields::default(),
                SpecFields {
                    provider: Some(ProviderKind::Local),
                    orchestrator: Some(OrchestratorKind::Ecs),
                    ..Default::default()
                }
            )
            .is_err()
        );
    }

    #[test]
    fn consul_takes_three_or_five_servers_and_names_its_roles() {
        let spec = |nodes: u32, managers: u32| {
            ClusterSpec::resolve(
                Some("c".into()),
                SpecFields::default(),
                SpecFields {
                    provider: Some(ProviderKind::Local),
                    orchestrator: Some(OrchestratorKind::Consul),
                    nodes: Some(nodes),
                    managers: Some(managers),
                    ..Default::default()
                },
            )
        };
        for bad in [1, 7] {
            let err = spec(8, bad).unwrap_err();
            assert!(err.contains("--managers 3 or --managers 5"), "{err}");
        }
        let names: Vec<String> = spec(6, 5)
            .unwrap()
            .node_names()
            .into_iter()
            .map(|n| n.0)
            .collect();
        assert_eq!(
            names,
            [
                "c-server-0",
                "c-server-1",
                "c-server-2",
                "c-server-3",
                "c-server-4",
                "c-client-0"
            ]
        );
    }
}
