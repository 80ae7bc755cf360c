//! Read-only cluster verbs: ls, status, env.

use anyhow::{Result, anyhow};

use crate::cli::EnvArgs as MachineEnvArgs;
use crate::cli::cluster::EnvArgs;
use crate::cluster::{Orchestrator, swarm};
use crate::commands::Context;
use crate::commands::cluster::{pick, up::swarm_nodes};
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

pub async fn status(ctx: &Context, name: Option<String>) -> Result<()> {
    let record = pick(ctx, name)?;
    ctx.printer.out(format!(
        "Cluster {}: {} on {}, {:?}",
        record.name(),
        record.spec.orchestrator.as_str(),
        record.spec.provider.as_str(),
        record.state
    ));
    let mut rows = Vec::new();
    for node in &record.nodes {
        let address = ctx
            .store
            .load(&node.machine)
            .ok()
            .and_then(|m| m.driver.ip())
            .map(|ip| ip.to_string())
            .unwrap_or_else(|| "-".into());
        rows.push((node.machine.clone(), node.role.clone(), address));
    }
    let mut health: Vec<swarm::NodeStatus> = Vec::new();
    let mut problem = None;
    if record.spec.orchestrator == Orchestrator::Swarm
        && let Some(first) = record.first_manager()
    {
        match swarm_nodes(ctx, std::slice::from_ref(first)) {
            Ok(mut nodes) => match swarm::node_statuses(&nodes.remove(0).client).await {
                Ok(statuses) => health = statuses,
                Err(e) => problem = Some(e.to_string()),
            },
            Err(e) => problem = Some(e.to_string()),
        }
    }
    let cells: Vec<Vec<String>> = rows
        .into_iter()
        .map(|(machine, role, address)| {
            let swarm = health.iter().find(|h| h.hostname == machine);
            vec![
                machine,
                role,
                address,
                swarm.map(|s| s.state.clone()).unwrap_or_else(|| "-".into()),
                swarm
                    .map(|s| {
                        if s.leader {
                            "Leader".to_string()
                        } else {
                            s.role.clone()
                        }
                    })
                    .unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    ctx.printer.out_raw(table(
        &["NODE", "ROLE", "ADDRESS", "STATUS", "SWARM ROLE"],
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
