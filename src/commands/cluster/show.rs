//! Read-only cluster verbs: ls, status, env.

use anyhow::{Result, anyhow};

use crate::cli::EnvArgs as MachineEnvArgs;
use crate::cli::cluster::EnvArgs;
use crate::cluster::{ClusterRecord, Orchestrator, swarm};
use crate::commands::Context;
use crate::commands::cluster::{kube_api, machine_addresses, pick, up::swarm_nodes};
use crate::commands::ls::table;

pub fn ls(ctx: &Context) -> Result<()> {
    let mut rows = Vec::new();
    for name in ctx.store.cluster_names()? {
        match ctx.store.load_cluster(&name) {
            Ok(c) => rows.push(vec![
                name,
                c.spec.provider.as_str().to_string(),
                c.spec.orchestrator.as_str().to_string(),
                c.nodes.len().to_string(),
                format!("{:?}", c.state),
                c.error.unwrap_or_default(),
            ]),
            Err(e) => rows.push(vec![
                name,
                "?".into(),
                "?".into(),
                "?".into(),
                "Error".into(),
                e.to_string(),
            ]),
        }
    }
    ctx.printer.out_raw(table(
        &[
            "NAME",
            "PROVIDER",
            "ORCHESTRATOR",
            "NODES",
            "STATE",
            "ERRORS",
        ],
        &rows,
    ));
    Ok(())
}

/// How the orchestrator sees one node: the names and addresses it knows
/// the node by, its state and its role there.
struct NodeHealth {
    known_as: Vec<String>,
    status: String,
    role: String,
}

/// Ask the orchestrator about its nodes: Swarm through the first manager's
/// Engine API, Kubernetes through the API server of the first control plane.
async fn orchestrator_health(ctx: &Context, record: &ClusterRecord) -> Result<Vec<NodeHealth>> {
    let Some(first) = record.first_manager() else {
        return Ok(Vec::new());
    };
    match record.spec.orchestrator {
        Orchestrator::Swarm => {
            let manager = swarm_nodes(ctx, std::slice::from_ref(first))?.remove(0);
            let statuses = swarm::node_statuses(&manager.client).await?;
            Ok(statuses
                .into_iter()
                .map(|s| NodeHealth {
                    known_as: vec![s.hostname],
                    status: s.state,
                    role: if s.leader { "Leader".into() } else { s.role },
                })
                .collect())
        }
        Orchestrator::Kubernetes => {
            let nodes = kube_api(ctx, record)?.nodes().await?;
            Ok(nodes
                .into_iter()
                .map(|n| NodeHealth {
                    role: if n.control_plane {
                        "control-plane"
                    } else {
                        "worker"
                    }
                    .into(),
                    status: n.status,
                    known_as: [vec![n.name], n.addresses].concat(),
                })
                .collect())
        }
        Orchestrator::Ecs => Ok(Vec::new()),
    }
}

pub async fn status(ctx: &Context, name: Option<String>) -> Result<()> {
    let record = pick(ctx, name)?;
    let id = if record.id.is_empty() {
        String::new()
    } else {
        format!(" (id {})", record.id)
    };
    ctx.printer.out(format!(
        "Cluster {}{id}: {} on {}, {:?}",
        record.name(),
        record.spec.orchestrator.as_str(),
        record.spec.provider.as_str(),
        record.state
    ));
    let (health, problem) = match orchestrator_health(ctx, &record).await {
        Ok(health) => (health, None),
        Err(e) => (Vec::new(), Some(crate::commands::one_line(&e))),
    };
    let cells: Vec<Vec<String>> = record
        .nodes
        .iter()
        .map(|node| {
            let addresses = machine_addresses(ctx, &node.machine);
            // Swarm knows a node by its hostname (the machine name), kubeadm
            // by the instance's own hostname: match on the addresses too.
            let seen = health.iter().find(|h| {
                h.known_as
                    .iter()
                    .any(|k| *k == node.machine || addresses.contains(k))
            });
            vec![
                node.machine.clone(),
                node.role.clone(),
                addresses.first().cloned().unwrap_or_else(|| "-".into()),
                seen.map_or_else(|| "-".into(), |h| h.status.clone()),
                seen.map_or_else(|| "-".into(), |h| h.role.clone()),
            ]
        })
        .collect();
    let role_header = format!("{} ROLE", record.spec.orchestrator.as_str().to_uppercase());
    ctx.printer.out_raw(table(
        &["NODE", "ROLE", "ADDRESS", "STATUS", &role_header],
        &cells,
    ));
    if let Some(problem) = problem {
        ctx.printer
            .warn(format!("orchestrator health unknown: {problem}"));
    }
    if let Some(arn) = record.aws.as_ref().and_then(|a| a.ecs_cluster.as_deref()) {
        let clouds =
            machinectl_driver_aws::stack::Clouds::connect(&super::aws::location(&record.spec))
                .await;
        match clouds.container_instances(arn).await {
            Ok(instances) => {
                ctx.printer.out(format!(
                    "ECS cluster {arn}: {} container instance(s) registered",
                    instances.len()
                ));
                for instance in instances {
                    ctx.printer.out(format!("  {instance}"));
                }
            }
            Err(e) => ctx
                .printer
                .warn(format!("ECS container instances unknown: {e}")),
        }
    }
    Ok(())
}

pub fn env(ctx: &Context, args: EnvArgs) -> Result<()> {
    let record = pick(ctx, args.name)?;
    if let Some(context) = &record.kube_context {
        // Kubernetes: kubectl reads the merged kubeconfig; name the context too.
        let path = crate::cluster::kube::kubeconfig_path(&ctx.env);
        ctx.printer
            .out(format!("export KUBECONFIG=\"{}\"", path.display()));
        ctx.printer
            .out(format!("# kubectl --context {context} get nodes"));
        return Ok(());
    }
    let manager = record
        .first_manager()
        .ok_or_else(|| anyhow!("cluster {} has no manager", record.name()))?;
    crate::commands::env::run(
        ctx,
        MachineEnvArgs {
            name: manager.machine.clone(),
            shell: args.shell,
            unset: false,
            no_proxy: false,
        },
    )
}
