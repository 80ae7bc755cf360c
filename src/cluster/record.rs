//! The persisted description of one cluster (clusters/NAME/cluster.json).

use serde::{Deserialize, Serialize};

use machinectl_driver_api::Found;

use crate::cluster::role::Role;
use crate::cluster::spec::ClusterSpec;

pub const CLUSTER_RECORD_VERSION: u32 = 1;

/// One node: also a machine of the store, named NAME-<role>-<index>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeRef {
    pub machine: String,
    pub role: Role,
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

/// What the provider made for the cluster, recorded as it comes to exist.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ProviderState {
    /// Nodes that are machines of any driver, made one by one.
    Machines {
        /// The nodes this cluster made (a rollback removes these only).
        #[serde(default)]
        made: Vec<String>,
        /// What the nodes share, made once before them (a cluster firewall).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        shared: Vec<Found>,
    },
    /// A CloudFormation stack and what was made beside it.
    Aws(AwsStack),
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
    /// None only while a record written before provider states is migrated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_state: Option<ProviderState>,
    /// Records written before provider states kept the stack here; read
    /// once and moved into `provider_state`.
    #[serde(default, skip_serializing)]
    aws: Option<AwsStack>,
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
            provider_state: None,
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
        self.nodes.iter().find(|n| n.role.is_manager())
    }

    /// Move what older records kept elsewhere into today's fields.
    pub fn migrate(mut self) -> Self {
        if let Some(stack) = self.aws.take() {
            self.provider_state = Some(ProviderState::Aws(stack));
        }
        if self.provider_state.is_none() {
            // Local clusters recorded no state: every node was this cluster's.
            self.provider_state = Some(ProviderState::Machines {
                made: self.nodes.iter().map(|n| n.machine.clone()).collect(),
                shared: Vec::new(),
            });
        }
        self
    }

    /// The aws stack state, when this is an aws cluster.
    pub fn aws(&self) -> Option<&AwsStack> {
        match &self.provider_state {
            Some(ProviderState::Aws(stack)) => Some(stack),
            _ => None,
        }
    }

    pub fn aws_mut(&mut self) -> Option<&mut AwsStack> {
        match &mut self.provider_state {
            Some(ProviderState::Aws(stack)) => Some(stack),
            _ => None,
        }
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
