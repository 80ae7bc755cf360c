//! Rendering a cluster's cloud artifacts: the CloudFormation template (aws),
//! the ARM template (azure: built by its driver from these user-data), one
//! cloud-init user-data per node role, and the shell scripts they embed.
//! `clusterctl up` submits exactly these; `clusterctl render` writes them.
//! A [`BootPlan`] says what differs between providers on a node: the nodes'
//! private addresses, how agents find each other (cloud auto-join or
//! addresses), where machinectl's files live, and whether the node can
//! install packages at all (local hosts reach no registry). Local nodes get
//! their role's files over SSH and run its scripts there ([`role_boot`]).

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde::Serialize;
use tera::Context;

use crate::cluster::kube::KUBERNETES_VERSION;
pub use crate::cluster::orchestrators::ClusterSecrets;
use crate::cluster::orchestrators::kubernetes::{CA_KEY, JOIN_ENV};
use crate::cluster::role::Role;
use crate::cluster::{ClusterSpec, OrchestratorKind};
use crate::render::Renderer;
use crate::store::Store;

/// Canonical's public SSM parameter for the current Ubuntu 24.04 AMI.
pub const UBUNTU_PARAMETER: &str =
    "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id";
/// AWS's public SSM parameter for the current ECS-optimized AMI.
pub const ECS_PARAMETER: &str =
    "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id";

/// The largest template body CloudFormation takes in a request.
pub const TEMPLATE_BODY_LIMIT: usize = 51_200;

/// The network of an aws cluster's nodes (the stack's subnet).
pub const AWS_NODE_CIDR: &str = "10.40.1.0/24";

/// What differs between providers on a node, for every boot file.
#[derive(Debug, Clone, Serialize)]
pub struct BootPlan {
    pub provider: &'static str,
    pub cluster_name: String,
    pub cluster_id: String,
    /// Every node's private address, in node order (managers first).
    pub addresses: Vec<String>,
    /// How many of the first nodes are managers (servers, masters).
    pub managers: usize,
    /// The network the nodes' private addresses are in (agents bind there).
    pub node_cidr: String,
    /// go-discover's cloud auto-join string, where the provider has one.
    pub auto_join: Option<String>,
    /// Configuration machinectl writes (private per host on local nodes).
    pub etc_dir: &'static str,
    /// State of the services machinectl starts.
    pub data_dir: &'static str,
    /// Where boot scripts are written.
    pub script_dir: &'static str,
    /// The node reaches no package registry (a local host): scripts install
    /// nothing and say what they could not start.
    pub offline: bool,
}

impl BootPlan {
    /// Nodes of an aws stack: fixed private addresses, auto-join by the
    /// cluster-id tag every instance carries.
    pub fn aws(spec: &ClusterSpec, cluster_id: &str) -> BootPlan {
        let nodes = spec.node_names();
        BootPlan {
            provider: "aws",
            cluster_name: spec.name.clone(),
            cluster_id: cluster_id.to_string(),
            addresses: (0..nodes.len()).map(node_private_ip).collect(),
            managers: manager_count(&nodes),
            node_cidr: AWS_NODE_CIDR.to_string(),
            auto_join: Some(format!(
                "provider=aws tag_key={} tag_value={cluster_id}",
                crate::cluster::record::ID_TAG
            )),
            etc_dir: "/etc/machinectl",
            data_dir: "/var/lib/machinectl",
            script_dir: "/usr/local/lib/machinectl",
            offline: false,
        }
    }

    /// Namespace hosts of this machine: addresses on the local subnet,
    /// joined by address; everything under the host's private /run (the
    /// rest of the filesystem is this machine's and every host's).
    pub fn local(
        spec: &ClusterSpec,
        cluster_id: &str,
        addresses: Vec<String>,
        cidr: &str,
    ) -> BootPlan {
        BootPlan {
            provider: "local",
            etc_dir: "/run/machinectl/etc",
            data_dir: "/run/machinectl/data",
            script_dir: "/run/machinectl/boot",
            offline: true,
            ..BootPlan::machines(spec, cluster_id, addresses, cidr)
        }
    }

    /// Machines of a driver on real hosts (a cloud, VirtualBox, or the
    /// existing hosts of a generic cluster): the nodes' peer addresses once
    /// they exist (placeholders from [`node_private_ip`] before, for
    /// render), joined by address (Consul's cloud auto-join is delivered
    /// beside, over SSH: it carries credentials); machinectl's files where a
    /// real host keeps them.
    pub fn machines(
        spec: &ClusterSpec,
        cluster_id: &str,
        addresses: Vec<String>,
        cidr: &str,
    ) -> BootPlan {
        BootPlan {
            provider: spec.provider.as_str(),
            cluster_name: spec.name.clone(),
            cluster_id: cluster_id.to_string(),
            addresses,
            managers: manager_count(&spec.node_names()),
            node_cidr: cidr.to_string(),
            auto_join: None,
            etc_dir: "/etc/machinectl",
            data_dir: "/var/lib/machinectl",
            script_dir: "/usr/local/lib/machinectl",
            offline: false,
        }
    }

    /// The managers' private addresses, in order.
    pub fn manager_addresses(&self) -> &[String] {
        &self.addresses[..self.managers.min(self.addresses.len())]
    }
}

fn manager_count(nodes: &[(String, Role, u32)]) -> usize {
    nodes
        .iter()
        .filter(|(_, role, _)| role.is_manager())
        .count()
}

/// Everything `up` submits.
#[derive(Debug, Clone, PartialEq)]
pub struct Artifacts {
    /// The CloudFormation template (aws only).
    pub stack: Option<String>,
    /// The ARM template of the whole cluster (azure only).
    pub arm_template: Option<String>,
    /// (role, user-data), one per role.
    pub user_data: Vec<(String, String)>,
    /// (file name, script), every script embedded in a user-data.
    pub scripts: Vec<(String, String)>,
}

/// The fixed private address of node `i` (first node: the control plane).
pub fn node_private_ip(i: usize) -> String {
    format!("10.40.1.{}", 10 + i)
}

fn indent(text: &str, spaces: usize) -> String {
    let pad = " ".repeat(spaces);
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(Serialize)]
struct KeyValue {
    key: String,
    value: String,
}

#[derive(Serialize)]
struct PortRule {
    logical: String,
    protocol: &'static str,
    from: u16,
    to: u16,
}

#[derive(Serialize)]
struct NodeEntry {
    logical: String,
    machine: String,
    role: String,
    private_ip: String,
    /// Its role's key in the stack's `BootData` mapping.
    boot_key: String,
}

/// One role's user-data, held once in the stack's `BootData` mapping.
#[derive(Serialize)]
struct BootEntry {
    key: String,
    role: String,
    user_data_indented: String,
}

/// The mapping key of the `i`-th role's user-data (alphanumeric, as
/// CloudFormation wants mapping keys).
fn boot_key(i: usize) -> String {
    format!("Role{i}")
}

#[derive(Serialize)]
struct FileEntry {
    path: String,
    mode: &'static str,
    content_indented: String,
}

pub fn ecs_cluster_name(cluster: &str) -> String {
    format!("machinectl-{cluster}")
}

pub fn key_pair_name(cluster: &str) -> String {
    format!("machinectl-cluster-{cluster}")
}

pub fn stack_name(cluster: &str) -> String {
    format!("machinectl-{cluster}")
}

/// Render everything for the aws provider: per-role user-data, then the
/// stack that boots every node with its role's.
pub fn render_aws(
    renderer: &Renderer,
    spec: &ClusterSpec,
    cluster_id: &str,
    secrets: &ClusterSecrets,
) -> Result<Artifacts> {
    let plan = BootPlan::aws(spec, cluster_id);
    let base = boot_context(spec, secrets, &plan);
    let (user_data, scripts) = user_data_per_role(renderer, spec, &base, secrets, &plan)?;
    let mut context = base;
    stack_context(&mut context, spec, cluster_id, &user_data);
    let stack = renderer.render("aws/stack.yaml.tera", &context)?;
    if stack.len() > TEMPLATE_BODY_LIMIT {
        anyhow::bail!(
            "the stack of {} {} nodes is {} bytes, and CloudFormation takes at most {TEMPLATE_BODY_LIMIT} in a request: use fewer nodes",
            spec.nodes,
            spec.orchestrator.as_str(),
            stack.len()
        );
    }
    Ok(Artifacts {
        stack: Some(stack),
        arm_template: None,
        user_data,
        scripts,
    })
}

/// Render the boot data of nodes that are machines (no stack): per-role
/// user-data and scripts, as a driver that takes user-data would boot them.
pub fn render_machines(
    renderer: &Renderer,
    spec: &ClusterSpec,
    secrets: &ClusterSecrets,
    plan: &BootPlan,
) -> Result<Artifacts> {
    let base = boot_context(spec, secrets, plan);
    let (user_data, scripts) = user_data_per_role(renderer, spec, &base, secrets, plan)?;
    Ok(Artifacts {
        stack: None,
        arm_template: None,
        user_data,
        scripts,
    })
}

/// What every boot script may use: names, addresses, where secrets land.
pub fn boot_context(spec: &ClusterSpec, secrets: &ClusterSecrets, plan: &BootPlan) -> Context {
    let mut base = Context::new();
    base.insert("name", &spec.name);
    base.insert("orchestrator", spec.orchestrator.as_str());
    base.insert("kubernetes_version", KUBERNETES_VERSION);
    // The first node's address where the plan knows it (the aws stack's is fixed).
    let control_plane = plan.addresses.first().cloned();
    base.insert(
        "control_plane_ip",
        &control_plane.unwrap_or_else(|| node_private_ip(0)),
    );
    base.insert("ecs_cluster", &ecs_cluster_name(&spec.name));
    base.insert("join_env", JOIN_ENV);
    base.insert("ca_key_path", CA_KEY);
    if let Some(kube) = &secrets.kube {
        base.insert("discovery_hash", &kube.discovery_hash);
    }
    base.insert("plan", plan);
    for (key, value) in spec.orchestrator.get().boot_values(plan) {
        base.insert(key, &value);
    }
    base
}

/// One role's boot data: files to write (path, mode, content), then the
/// scripts to run, in order.
pub struct RoleBoot {
    pub files: Vec<(String, u32, String)>,
    pub run: Vec<String>,
}

/// The files and scripts a node of `role` boots with (public only: secrets
/// are the orchestrator's node files, delivered over SSH).
pub fn role_boot(
    renderer: &Renderer,
    spec: &ClusterSpec,
    base: &Context,
    secrets: &ClusterSecrets,
    plan: &BootPlan,
    role: Role,
) -> Result<RoleBoot> {
    let orchestrator = spec.orchestrator.get();
    let mut files = Vec::new();
    let mut run = Vec::new();
    for (path, content) in orchestrator.public_boot_files(role, secrets, plan)? {
        files.push((path, 0o644, content));
    }
    let mut context = base.clone();
    context.insert("role", role.as_str());
    for (template, file) in orchestrator.boot_scripts(role) {
        let script = renderer.render(template, &context)?;
        let path = format!("{}/{file}", plan.script_dir);
        files.push((path.clone(), 0o755, script));
        run.push(path);
    }
    Ok(RoleBoot { files, run })
}

/// Texts by name: (role, user-data) or (file name, script).
type Named = Vec<(String, String)>;

/// One cloud-init user-data per role (public files and boot scripts only:
/// secrets go over SSH), and every script once, by file name.
pub fn user_data_per_role(
    renderer: &Renderer,
    spec: &ClusterSpec,
    base: &Context,
    secrets: &ClusterSecrets,
    plan: &BootPlan,
) -> Result<(Named, Named)> {
    let mut scripts: Vec<(String, String)> = Vec::new();
    let mut user_data: Vec<(String, String)> = Vec::new();
    for role in spec.roles() {
        let boot = role_boot(renderer, spec, base, secrets, plan, role)?;
        let mut files = Vec::new();
        for (path, mode, content) in boot.files {
            if mode & 0o111 != 0 {
                let name = path.rsplit('/').next().unwrap_or(&path).to_string();
                if !scripts.iter().any(|(n, _)| *n == name) {
                    scripts.push((name, content.clone()));
                }
            }
            files.push(FileEntry {
                path,
                mode: if mode & 0o111 != 0 { "0755" } else { "0644" },
                content_indented: indent(&content, 6),
            });
        }
        let mut context = base.clone();
        context.insert("role", role.as_str());
        context.insert("files", &files);
        context.insert("run", &boot.run);
        user_data.push((
            role.to_string(),
            renderer.render("cloud-init/user-data.yaml.tera", &context)?,
        ));
    }
    Ok((user_data, scripts))
}

/// The stack's instances, each with its role's user-data and fixed address.
/// A role's user-data is in the stack once (`BootData`), whatever the
/// number of its nodes: CloudFormation takes a template of at most
/// 51,200 bytes in a request.
fn node_entries(spec: &ClusterSpec, user_data: &[(String, String)]) -> Vec<NodeEntry> {
    spec.node_names()
        .into_iter()
        .enumerate()
        .map(|(i, (machine, role, _))| {
            let place = user_data
                .iter()
                .position(|(r, _)| r == role.as_str())
                .expect("rendered per role");
            NodeEntry {
                logical: format!("Node{i}"),
                machine,
                role: role.to_string(),
                private_ip: node_private_ip(i),
                boot_key: boot_key(place),
            }
        })
        .collect()
}

fn boot_entries(user_data: &[(String, String)]) -> Vec<BootEntry> {
    user_data
        .iter()
        .enumerate()
        .map(|(i, (role, data))| BootEntry {
            key: boot_key(i),
            role: role.clone(),
            user_data_indented: indent(data, 8),
        })
        .collect()
}

/// Security group rules between nodes, one logical resource per range.
fn port_rules(spec: &ClusterSpec) -> Vec<PortRule> {
    spec.orchestrator
        .get()
        .ports_between_nodes()
        .into_iter()
        .map(|(protocol, from, to)| PortRule {
            logical: format!(
                "Intra{}{}{}",
                protocol.to_uppercase(),
                from,
                if from == to {
                    String::new()
                } else {
                    format!("To{to}")
                }
            ),
            protocol,
            from,
            to,
        })
        .collect()
}

/// Everything the stack template reads beyond the boot context.
fn stack_context(
    context: &mut Context,
    spec: &ClusterSpec,
    cluster_id: &str,
    user_data: &[(String, String)],
) {
    let aws = &spec.aws;
    let mut public_ports = vec![22u16, 2376];
    public_ports.extend(spec.orchestrator.get().public_ports());
    let tags: Vec<KeyValue> = crate::cluster::record::tags_for(&spec.name, cluster_id)
        .into_iter()
        .map(|(key, value)| KeyValue { key, value })
        .collect();
    let ecs = spec.orchestrator == OrchestratorKind::Ecs;
    context.insert("region", &aws.region_or_default());
    context.insert("zone", aws.zone.as_ref().map_or("a", |z| z.as_str()));
    context.insert(
        "instance_type",
        aws.instance_type
            .as_ref()
            .map_or("t3.small", |t| t.as_str()),
    );
    context.insert("ami", &aws.ami.as_ref().map(|a| a.as_str()));
    context.insert(
        "ami_parameter",
        if ecs { ECS_PARAMETER } else { UBUNTU_PARAMETER },
    );
    context.insert(
        "allowed_cidr",
        aws.allowed_cidr
            .as_ref()
            .map_or("0.0.0.0/0", |c| c.as_str()),
    );
    context.insert("key_name", &key_pair_name(&spec.name));
    let orchestrator = spec.orchestrator.as_str();
    context.insert(
        "description",
        &format!(
            "machinectl cluster {}: {orchestrator} on {} node(s)",
            spec.name, spec.nodes
        ),
    );
    context.insert(
        "group_description",
        &format!(
            "machinectl cluster {}: SSH, the engine TLS port and {orchestrator} between nodes",
            spec.name
        ),
    );
    context.insert("public_ports", &public_ports);
    context.insert("cluster_ports", &port_rules(spec));
    context.insert("cluster_tags", &tags);
    context.insert("nodes", &node_entries(spec, user_data));
    context.insert("boot_data", &boot_entries(user_data));
    let permissions = spec.orchestrator.get().node_permissions();
    context.insert("node_role", &!permissions.is_empty());
    context.insert("permissions", &permissions);
}

impl Artifacts {
    /// Write every artifact under `dir` (0700); refuses to overwrite a file.
    pub fn write_to(&self, dir: &Path) -> Result<Vec<PathBuf>> {
        Store::make_dir(dir)?;
        let mut files = Vec::new();
        if let Some(stack) = &self.stack {
            files.push((dir.join("stack.yaml"), stack));
        }
        if let Some(template) = &self.arm_template {
            files.push((dir.join("azuredeploy.json"), template));
        }
        for (role, data) in &self.user_data {
            files.push((dir.join(format!("user-data-{role}.yaml")), data));
        }
        for (name, script) in &self.scripts {
            files.push((dir.join(name), script));
        }
        for (path, _) in &files {
            if path.exists() {
                anyhow::bail!("{} exists: render into an empty directory", path.display());
            }
        }
        let mut written = Vec::new();
        for (path, content) in files {
            crate::store::atomic::write_new(&path, content.as_bytes(), 0o600)
                .with_context(|| format!("write {}", path.display()))?;
            written.push(path);
        }
        Ok(written)
    }
}
