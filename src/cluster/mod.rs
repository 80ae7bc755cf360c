//! Clusters: a spec, nodes that are machines of the store, and the
//! orchestrator bootstrapped on them. Two traits carry everything that
//! differs between clusters:
//! - [`ClusterProvider`] (`providers/`): where nodes come from. The
//!   machines provider makes them with a machine driver (local namespace
//!   hosts; digitalocean, gce, azure and virtualbox through the driver's
//!   cluster seam, drivers/api/src/cluster.rs; existing hosts as generic
//!   machines); the aws provider renders a CloudFormation stack
//!   (templates/aws) whose instances boot with per-role cloud-init
//!   (templates/cloud-init).
//! - [`Orchestrator`] (`orchestrators/`): what runs on them (swarm,
//!   kubernetes, ecs, consul, mesos): roles, ports, boot scripts
//!   (templates/bootstrap/<orchestrator>), secrets and their node files,
//!   bootstrap, scale, health, env.
//!
//! Nodes whose driver takes no user-data, or whose boot data names other
//! nodes' addresses, run their role's boot data over SSH (`boot`).
//!
//! Secrets that can be made ahead (Kubernetes CA and bootstrap token, the
//! Consul gossip key and CA) are
//! made on the client and delivered over SSH, never in user-data; Swarm
//! join tokens are read from the first manager's Engine API over mutual
//! TLS and never written to disk. Commands (`commands/cluster`) only
//! resolve the spec, lock the cluster and call the two traits.

pub mod boot;
pub mod kube;
pub mod orchestrators;
pub mod providers;
pub mod record;
pub mod render;
pub mod role;
pub mod spec;

pub use orchestrators::Orchestrator;
pub use providers::ClusterProvider;
pub use record::{ClusterRecord, ClusterState, NodeRef};
pub use role::Role;
pub use spec::{ClusterSpec, OrchestratorKind, ProviderKind};

use crate::commands::Context;

/// Drop the store's machine records of cluster `name`: their hosts went
/// with the cluster's resources (a record that does not load is left).
pub fn forget_machines(ctx: &Context, name: &str) -> anyhow::Result<()> {
    for machine in ctx.store.names()? {
        let Ok(record) = ctx.store.load(&machine) else {
            continue;
        };
        if record.cluster.as_deref() == Some(name) {
            let guard = ctx.store.open(&machine)?;
            ctx.store.delete(guard)?;
        }
    }
    Ok(())
}

/// Every address of a machine, as text, the one it is reached at first
/// (none when it has no record): what orchestrators match nodes by.
pub fn machine_addresses(ctx: &Context, machine: &str) -> Vec<String> {
    let Ok(record) = ctx.store.load(machine) else {
        return Vec::new();
    };
    let mut addresses: Vec<String> = Vec::new();
    for address in record
        .driver
        .ip()
        .into_iter()
        .chain(record.driver.addresses())
    {
        let address = address.to_string();
        if !addresses.contains(&address) {
            addresses.push(address);
        }
    }
    addresses
}
