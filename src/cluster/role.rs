//! What a node is in its cluster. Persisted as the names users see in node
//! names (`NAME-<role>-<index>`) and engine labels.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// A Swarm manager (and the role of the first nodes of orchestrators
    /// whose managers have no other name).
    Manager,
    /// A Kubernetes control-plane node.
    ControlPlane,
    Worker,
    /// An ECS container instance: every node of an ECS cluster.
    Instance,
    /// A Consul server (3 or 5 of them hold the raft quorum).
    Server,
    /// A Consul client agent: every node that is not a server.
    Client,
    /// A Mesos master: ZooKeeper, mesos-master and Marathon.
    Master,
    /// A Mesos agent: runs tasks with the docker and mesos containerizers.
    Agent,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Manager => "manager",
            Role::ControlPlane => "control-plane",
            Role::Worker => "worker",
            Role::Instance => "instance",
            Role::Server => "server",
            Role::Client => "client",
            Role::Master => "master",
            Role::Agent => "agent",
        }
    }

    /// Whether the node runs the cluster's control (its first one bootstraps it).
    pub fn is_manager(self) -> bool {
        matches!(
            self,
            Role::Manager | Role::ControlPlane | Role::Server | Role::Master
        )
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_persist_as_their_names() {
        for role in [
            Role::Manager,
            Role::ControlPlane,
            Role::Worker,
            Role::Instance,
            Role::Server,
            Role::Client,
            Role::Master,
            Role::Agent,
        ] {
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{role}\""));
            assert_eq!(serde_json::from_str::<Role>(&json).unwrap(), role);
        }
    }
}
