//! The persisted description of one cluster (clusters/NAME/cluster.json).

use serde::{Deserialize, Serialize};

use crate::cluster::spec::ClusterSpec;

pub const CLUSTER_RECORD_VERSION: u32 = 1;

/// One node: also a machine of the store, named NAME-<role>-<index>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeRef {
    pub machine: String,
    pub role: String,
    pub index: u32,
}

/// What an aws cluster made, each recorded the moment it exists: a failed
/// `up` removes exactly these, never what merely shares the cluster's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwsStack {
    pub stack_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecs_cluster: Option<String>,
    /// The key pair this cluster imported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_pair: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClusterState {
    Creating,
    Running,
    Error,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClusterRecord {
    pub version: u32,
    /// Unique per `up`; every resource carries it as `machinectl:cluster-id`,
    /// so two clusters of one name (two stores, one account) never mix.
    /// Empty only in records written before ids existed.
    #[serde(default)]
    pub id: String,
    pub spec: ClusterSpec,
    pub state: ClusterState,
    #[serde(default)]
    pub nodes: Vec<NodeRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws: Option<AwsStack>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Context name merged into ~/.kube/config (kubernetes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kube_context: Option<String>,
    pub created_at: u64,
}

impl ClusterRecord {
    pub fn new(spec: ClusterSpec) -> Self {
        ClusterRecord {
            version: CLUSTER_RECORD_VERSION,
            id: new_cluster_id(),
            spec,
            state: ClusterState::Creating,
            nodes: Vec::new(),
            aws: None,
            error: None,
            kube_context: None,
            created_at: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0),
        }
    }

    pub fn name(&self) -> &str {
        &self.spec.name
    }

    /// Tags every resource of the cluster carries; `down` finds them by these.
    pub fn tags(&self) -> Vec<(String, String)> {
        tags_for(self.name(), &self.id)
    }

    /// The first manager (swarm) or control-plane node.
    pub fn first_manager(&self) -> Option<&NodeRef> {
        self.nodes.iter().find(|n| n.role != "worker")
    }
}

/// The tag naming a cluster, and the one naming one `up` of it.
pub const NAME_TAG: &str = "machinectl:cluster";
pub const ID_TAG: &str = "machinectl:cluster-id";

pub fn tags_for(name: &str, id: &str) -> Vec<(String, String)> {
    let mut tags = vec![(NAME_TAG.to_string(), name.to_string())];
    if !id.is_empty() {
        tags.push((ID_TAG.to_string(), id.to_string()));
    }
    tags.push(("machinectl:managed".to_string(), "true".to_string()));
    tags
}

/// A fresh cluster id: 12 lower-case hex digits (48 random bits), short
/// enough to read out, unique enough for every cluster one account holds.
pub fn new_cluster_id() -> String {
    use rand::Rng;
    let bits: u64 = rand::rng().random::<u64>() & 0xffff_ffff_ffff;
    format!("{bits:012x}")
}
