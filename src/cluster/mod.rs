//! Clusters: a spec, nodes that are machines of the store, and the
//! orchestrator bootstrapped on them. The local provider makes namespace
//! hosts through the local driver; the aws provider renders a
//! CloudFormation stack (templates/aws) whose instances boot with per-role
//! cloud-init (templates/cloud-init, templates/bootstrap/<orchestrator>).
//! Secrets that can be made ahead (Kubernetes CA and bootstrap token) are
//! made on the client; Swarm join tokens are read from the first manager's
//! Engine API over mutual TLS and never written to disk.

pub mod checked;
pub mod kube;
pub mod record;
pub mod render;
pub mod spec;
pub mod swarm;

pub use record::{ClusterRecord, ClusterState, NodeRef};
pub use spec::{ClusterSpec, Orchestrator, Provider};
