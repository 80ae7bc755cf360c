//! Orchestrators: what a cluster runs on its nodes. One trait,
//! [`Orchestrator`], says everything that differs between them: the node
//! roles, the ports nodes open to each other, the scripts each role boots
//! with, the secrets made on the client and the files they become on a
//! node, and how the cluster is bootstrapped, scaled, asked for its health
//! and used (`env`). Providers and commands call only this trait; [`of`] is
//! the one place the closed set is matched.

pub mod consul;
pub mod ecs;
pub mod kubernetes;
pub mod mesos;
pub mod swarm;

use anyhow::Result;
use futures::future::BoxFuture;

use crate::cluster::kube::KubeSecrets;
use crate::cluster::render::BootPlan;
use crate::cluster::role::Role;
use crate::cluster::spec::{ClusterSpec, OrchestratorKind};
use crate::cluster::{ClusterRecord, NodeRef};
use crate::commands::Context;
use crate::provision::NodeFile;

/// The secrets a cluster's orchestrator made on the client (stored under
/// clusters/NAME, delivered to nodes over SSH, never in user-data).
#[derive(Default)]
pub struct ClusterSecrets {
    pub kube: Option<KubeSecrets>,
    pub consul: Option<consul::ConsulSecrets>,
}

/// What an aws node's instance role may do (none: no role).
#[derive(Debug, Default, serde::Serialize)]
pub struct NodePermissions {
    /// AWS managed policies, by ARN.
    pub managed: Vec<&'static str>,
    /// API actions allowed on every resource (read-only lookups).
    pub actions: Vec<&'static str>,
}

impl NodePermissions {
    pub fn is_empty(&self) -> bool {
        self.managed.is_empty() && self.actions.is_empty()
    }
}

/// How the orchestrator sees one node: the names and addresses it knows the
/// node by, its state and its role there.
pub struct NodeHealth {
    pub known_as: Vec<String>,
    pub status: String,
    pub role: String,
}

/// What an orchestrator learnt before a scale changed the nodes, for after.
#[derive(Default)]
pub struct ScaleNotes {
    /// Names the orchestrator keeps for nodes that are going (to forget them).
    pub leaving: Vec<String>,
}

/// A port range nodes open to each other: (protocol, from, to).
pub type PortRange = (&'static str, u16, u16);

/// Brings nodes into the cluster one by one, each as soon as it is
/// provisioned, while the others are still being made: the cluster forms
/// during the creates instead of after the last one. A provider that makes
/// its nodes itself calls it; one that does not (a stack) leaves it unused
/// and `up` bootstraps as usual.
pub trait NodeFormer: Send + Sync {
    /// `node` is provisioned (its boot files written): bring it in. A node that needs
    /// the cluster to exist first waits for it here.
    fn ready<'a>(&'a self, ctx: &'a Context, node: &'a NodeRef) -> BoxFuture<'a, Result<()>>;

    /// `node` will never be ready (its create failed): nothing waits for it.
    fn failed(&self, node: &NodeRef);

    /// Whether every one of `nodes` was brought in.
    fn formed_all(&self, nodes: &[NodeRef]) -> bool;
}

pub trait Orchestrator: Sync {
    /// The role of the first `managers` nodes; none when every node has the
    /// same role ([`Orchestrator::worker_role`]).
    fn manager_role(&self) -> Option<Role>;

    /// The role of every other node.
    fn worker_role(&self) -> Role {
        Role::Worker
    }

    /// Ports nodes open to each other.
    fn ports_between_nodes(&self) -> Vec<PortRange>;

    /// Ports opened to the allowed network beyond SSH and the engine's.
    fn public_ports(&self) -> Vec<u16> {
        Vec::new()
    }

    /// Scripts a node of `role` runs at boot, in order: (template, file name).
    fn boot_scripts(&self, role: Role) -> Vec<(&'static str, &'static str)>;

    /// Values the boot scripts read beyond the common ones (name, plan).
    fn boot_values(&self, _plan: &BootPlan) -> Vec<(&'static str, serde_json::Value)> {
        Vec::new()
    }

    /// What an aws node's instance role must allow (the ECS agent's
    /// policy, Consul's cloud auto-join lookups).
    fn node_permissions(&self) -> NodePermissions {
        NodePermissions::default()
    }

    /// The cluster's secrets: read back from `dir`, or made (and kept
    /// there); with no `dir`, made for this once (a render of a cluster
    /// that does not exist stores nothing).
    fn secrets(&self, _dir: Option<&std::path::Path>) -> Result<ClusterSecrets> {
        Ok(ClusterSecrets::default())
    }

    /// Public files a node of `role` boots with, in its user-data: (path, content).
    fn public_boot_files(
        &self,
        _role: Role,
        _secrets: &ClusterSecrets,
        _plan: &BootPlan,
    ) -> Result<Vec<(String, String)>> {
        Ok(Vec::new())
    }

    /// Files a node of `role` gets over its provisioning SSH session.
    fn node_files(
        &self,
        _role: Role,
        _secrets: &ClusterSecrets,
        _plan: &BootPlan,
    ) -> Result<Vec<NodeFile>> {
        Ok(Vec::new())
    }

    /// Bring the orchestrator up on the cluster's provisioned nodes (by
    /// default nothing: the nodes form the cluster by themselves).
    fn bootstrap<'a>(
        &'a self,
        _ctx: &'a Context,
        _record: &'a mut ClusterRecord,
        _secrets: &'a ClusterSecrets,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async { Ok(()) })
    }

    /// A former that brings `record`'s nodes in one by one as each is ready
    /// (none: [`Orchestrator::bootstrap`] once every node is). Only for an
    /// orchestrator whose boot data names no other node and whose boot
    /// scripts only install the engine: a node made by machinectl's create
    /// gets its boot files in its provisioning session, and the scripts are
    /// not run again (the create has installed the engine).
    fn former(&self, _record: &ClusterRecord) -> Option<Box<dyn NodeFormer>> {
        None
    }

    /// Before nodes come or go: anything that must happen while the
    /// cluster still has its old shape. Nothing has changed if it fails.
    fn before_scale<'a>(
        &'a self,
        _ctx: &'a Context,
        _record: &'a ClusterRecord,
        _adding: &'a [NodeRef],
        _removing: &'a [NodeRef],
    ) -> BoxFuture<'a, Result<ScaleNotes>> {
        Box::pin(async { Ok(ScaleNotes::default()) })
    }

    /// Once leaving nodes are gone: forget them (failures only warn).
    fn after_scale<'a>(
        &'a self,
        _ctx: &'a Context,
        _record: &'a ClusterRecord,
        _notes: ScaleNotes,
    ) -> BoxFuture<'a, ()> {
        Box::pin(async {})
    }

    /// Bring new, provisioned nodes into the cluster (`wanted`: every node).
    fn join<'a>(&'a self, _ctx: &'a Context, _wanted: &'a [NodeRef]) -> BoxFuture<'a, Result<()>> {
        Box::pin(async { Ok(()) })
    }

    /// How the orchestrator sees its nodes.
    fn health<'a>(
        &'a self,
        _ctx: &'a Context,
        _record: &'a ClusterRecord,
    ) -> BoxFuture<'a, Result<Vec<NodeHealth>>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    /// Lines `status` adds after the node table.
    fn status_lines<'a>(
        &'a self,
        _ctx: &'a Context,
        _record: &'a ClusterRecord,
    ) -> BoxFuture<'a, Vec<Result<String, String>>> {
        Box::pin(async { Vec::new() })
    }

    /// What `clusterctl env` prints for the cluster.
    fn env(&self, ctx: &Context, record: &ClusterRecord, shell: Option<String>) -> Result<()>;

    /// Remove what the orchestrator put on this machine (a kubeconfig context).
    fn forget(&self, _ctx: &Context, _name: &str, _record: Option<&ClusterRecord>) -> Result<()> {
        Ok(())
    }
}

impl OrchestratorKind {
    /// The orchestrator itself: its roles, ports, scripts and bootstrap.
    pub fn get(self) -> &'static dyn Orchestrator {
        of(self)
    }
}

/// A cluster's secrets of one kind: kept under `dir` (made there on first
/// use), or made for this once when there is no `dir` (a render).
pub fn kept_or_made<T>(
    dir: Option<&std::path::Path>,
    load_or_create: fn(&std::path::Path) -> Result<T>,
    generate: fn() -> Result<T>,
) -> Result<T> {
    match dir {
        Some(dir) => load_or_create(dir),
        None => generate(),
    }
}

/// The first manager-role node of `record` (its machine name) and its
/// address; `role` names that role in the error when there is none.
pub fn first_manager_ip(
    ctx: &Context,
    record: &ClusterRecord,
    role: &str,
) -> Result<(std::net::IpAddr, String)> {
    let first = record
        .first_manager()
        .ok_or_else(|| anyhow::anyhow!("cluster {} has no {role}", record.name()))?;
    let ip = ctx
        .store
        .load(&first.machine)?
        .driver
        .ip()
        .ok_or_else(|| anyhow::anyhow!("{} has no address", first.machine))?;
    Ok((ip, first.machine.clone()))
}

/// GET `path` of an orchestrator's HTTP API (`who` names it in errors) as JSON.
pub async fn get_json(
    http: &reqwest::Client,
    base: &str,
    path: &str,
    who: &str,
) -> Result<serde_json::Value> {
    let response = http
        .get(format!("{base}{path}"))
        .send()
        .await
        .map_err(|e| {
            anyhow::anyhow!(
                "{who} did not answer: {}",
                crate::ui::error_chain(&e.without_url())
            )
        })?;
    let status = response.status();
    if !status.is_success() {
        anyhow::bail!("{who} answered {status} to {path}");
    }
    Ok(response.json().await?)
}

/// The shell `env` prints for: the one named, else POSIX sh.
pub fn env_shell(shell: Option<String>) -> Result<crate::commands::env::Shell> {
    use crate::commands::env::{SHELL_NAMES, Shell};
    match shell {
        Some(name) => Shell::from_name(&name)
            .ok_or_else(|| anyhow::anyhow!("unknown shell {name:?}: choose one of {SHELL_NAMES}")),
        None => Ok(Shell::Posix),
    }
}

/// Print `NAME=value` lines for `shell` (escaped for it), then a hint.
pub fn print_env(
    ctx: &Context,
    shell: Option<String>,
    vars: &[(&str, String)],
    hint: &str,
) -> Result<()> {
    let shell = env_shell(shell)?;
    for (name, value) in vars {
        let line = shell.set(name, value).map_err(|e| anyhow::anyhow!(e))?;
        ctx.printer.out_raw(line);
    }
    ctx.printer.out(format!("# {hint}"));
    Ok(())
}

/// The node layout follows from the orchestrator's roles.
impl ClusterSpec {
    /// The roles of the spec's nodes, each once, in node order.
    pub fn roles(&self) -> Vec<Role> {
        let mut roles: Vec<Role> = Vec::new();
        for (_, role, _) in self.node_names() {
            if !roles.contains(&role) {
                roles.push(role);
            }
        }
        roles
    }

    /// The nodes as the cluster record lists them.
    pub fn node_refs(&self) -> Vec<NodeRef> {
        self.node_names()
            .into_iter()
            .map(|(machine, role, index)| NodeRef {
                machine,
                role,
                index,
            })
            .collect()
    }

    /// Node names in order: managers first, then workers. An orchestrator
    /// without managers (ECS) gives every node its one role.
    pub fn node_names(&self) -> Vec<(String, Role, u32)> {
        let orchestrator = self.orchestrator.get();
        let name = |role: Role, i: u32| (format!("{}-{role}-{i}", self.name), role, i);
        let Some(manager_role) = orchestrator.manager_role() else {
            let role = orchestrator.worker_role();
            return (0..self.nodes).map(|i| name(role, i)).collect();
        };
        let managers = (0..self.managers).map(|i| name(manager_role, i));
        let worker = orchestrator.worker_role();
        let workers = (0..self.nodes - self.managers).map(|i| name(worker, i));
        managers.chain(workers).collect()
    }
}

/// The orchestrator of a kind.
pub fn of(kind: OrchestratorKind) -> &'static dyn Orchestrator {
    match kind {
        OrchestratorKind::Swarm => &swarm::Swarm,
        OrchestratorKind::Kubernetes => &kubernetes::Kubernetes,
        OrchestratorKind::Ecs => &ecs::Ecs,
        OrchestratorKind::Consul => &consul::Consul,
        OrchestratorKind::Mesos => &mesos::Mesos,
    }
}
