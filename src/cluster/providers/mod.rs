//! Cluster providers: where a cluster's nodes come from. One trait,
//! [`ClusterProvider`], carries what differs: the checks before anything is
//! made, the provider's state in the record, making the nodes with each
//! role's boot data (registered as machines and provisioned, their node
//! files delivered over SSH), resizing, rendering the cloud artifacts and
//! tearing down what the record names. [`of`] is the one place the closed
//! set is matched; commands call only the trait.

pub mod aws;
pub mod generic;
pub mod machines;

use std::time::Duration;

use anyhow::Result;
use futures::future::BoxFuture;

use crate::cluster::orchestrators::{ClusterSecrets, NodeFormer};
use crate::cluster::record::ProviderState;
use crate::cluster::render::Artifacts;
use crate::cluster::role::Role;
use crate::cluster::spec::ProviderKind;
use crate::cluster::{ClusterRecord, ClusterSpec, NodeRef};
use crate::commands::Context;
use crate::commands::interrupt::Interrupt;
use crate::render::Renderer;
use crate::store::EngineOptions;

/// How patient node creation is, whether a failure keeps what it made, and
/// who brings each node into the cluster as soon as it is ready.
pub struct NodeOptions {
    pub ssh_timeout: Duration,
    pub keep_on_error: bool,
    /// A provider that makes each node itself hands it here once it is
    /// provisioned and booted; one that cannot leaves it to `bootstrap`.
    pub former: Option<Box<dyn NodeFormer>>,
}

/// What scaling a cluster to a node count changes: its spec and node list,
/// the nodes to make, and the nodes to take away (always the last workers).
pub struct ScalePlan {
    pub spec: ClusterSpec,
    pub wanted: Vec<NodeRef>,
    pub adding: Vec<NodeRef>,
    pub removing: Vec<NodeRef>,
}

impl ScalePlan {
    pub fn new(record: &ClusterRecord, nodes: u32) -> ScalePlan {
        let mut spec = record.spec.clone();
        spec.nodes = nodes;
        let wanted = spec.node_refs();
        let adding = wanted
            .iter()
            .filter(|n| !record.nodes.contains(n))
            .cloned()
            .collect();
        let removing = record
            .nodes
            .iter()
            .filter(|n| !wanted.contains(n))
            .cloned()
            .collect();
        ScalePlan {
            spec,
            wanted,
            adding,
            removing,
        }
    }
}

/// The engine port of every cluster node.
pub const NODE_ENGINE_PORT: u16 = 2376;

/// Engine settings of a cluster node: labels that say whose and what it is.
pub fn node_engine(cluster: &str, role: Role) -> EngineOptions {
    EngineOptions {
        port: NODE_ENGINE_PORT,
        labels: vec![
            format!("machinectl.cluster={cluster}"),
            format!("machinectl.role={role}"),
        ],
        ..EngineOptions::default()
    }
}

pub trait ClusterProvider: Sync {
    /// Whether the provider can bring up this spec at all, decided from the
    /// spec alone before anything is locked or written (render may still
    /// show what it would be).
    fn supports(&self, _spec: &ClusterSpec) -> Result<()> {
        Ok(())
    }

    /// Before anything is made: the provider can run here, and the name is
    /// free where the provider looks (an account, for a cloud).
    fn check<'a>(&'a self, ctx: &'a Context, spec: &'a ClusterSpec) -> BoxFuture<'a, Result<()>>;

    /// The provider's slot in a new record.
    fn new_state(&self, spec: &ClusterSpec) -> ProviderState;

    /// Make the record's nodes with their roles' boot data, register each
    /// as a machine and provision it (its node files included), recording
    /// what exists as it comes. `interrupt` is raced where stopping half-way
    /// is safe.
    fn create<'a>(
        &'a self,
        ctx: &'a Context,
        record: &'a mut ClusterRecord,
        secrets: &'a ClusterSecrets,
        options: &'a NodeOptions,
        interrupt: &'a mut Interrupt,
    ) -> BoxFuture<'a, Result<()>>;

    /// Remove what the record says this cluster made, then its machines and
    /// record here. With `discover`, also what the provider finds carrying
    /// the cluster's id (down); a rollback removes the recorded only.
    fn teardown<'a>(
        &'a self,
        ctx: &'a Context,
        record: &'a ClusterRecord,
        wait: bool,
        discover: bool,
    ) -> BoxFuture<'a, Result<()>>;

    /// Bring the cluster to the plan's shape, joining new nodes through its
    /// orchestrator; record the new shape.
    fn scale<'a>(
        &'a self,
        ctx: &'a Context,
        record: &'a mut ClusterRecord,
        plan: ScalePlan,
        options: &'a NodeOptions,
    ) -> BoxFuture<'a, Result<()>>;

    /// The cloud artifacts `up` submits, for `clusterctl render`.
    fn render(
        &self,
        ctx: &Context,
        renderer: &Renderer,
        spec: &ClusterSpec,
        cluster_id: &str,
        secrets: &ClusterSecrets,
    ) -> Result<Artifacts>;

    /// Flags that reach the same cluster again, for cleanup hints.
    fn location_flags(&self, _spec: &ClusterSpec) -> String {
        String::new()
    }
}

impl ProviderKind {
    /// The provider itself: how nodes are made, resized and removed.
    pub fn get(self) -> &'static dyn ClusterProvider {
        of(self)
    }
}

/// The provider of a kind.
pub fn of(kind: ProviderKind) -> &'static dyn ClusterProvider {
    match kind {
        ProviderKind::Aws => &aws::Aws,
        ProviderKind::Local
        | ProviderKind::Digitalocean
        | ProviderKind::Gce
        | ProviderKind::Azure
        | ProviderKind::Virtualbox
        | ProviderKind::Generic => &machines::Machines,
    }
}
