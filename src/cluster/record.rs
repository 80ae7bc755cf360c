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

/// Where an aws cluster's stack lives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwsStack {
    pub stack_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecs_cluster: Option<String>,
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
        tags_for(self.name())
    }

    /// The first manager (swarm) or control-plane node.
    pub fn first_manager(&self) -> Option<&NodeRef> {
        self.nodes.iter().find(|n| n.role != "worker")
    }
}

pub fn tags_for(name: &str) -> Vec<(String, String)> {
    vec![
        ("machinectl:cluster".to_string(), name.to_string()),
        ("machinectl:managed".to_string(), "true".to_string()),
    ]
}
