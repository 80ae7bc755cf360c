//! Read-only cluster verbs: ls, status (health as the orchestrator sees
//! it), env (what the orchestrator's clients need).

use anyhow::Result;

use crate::cli::cluster::EnvArgs;
use crate::cluster::machine_addresses;
use crate::commands::Context;
use crate::commands::cluster::pick;
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
    let orchestrator = record.spec.orchestrator.get();
    let (health, problem) = match orchestrator.health(ctx, &record).await {
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
                node.role.to_string(),
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
    for line in orchestrator.status_lines(ctx, &record).await {
        match line {
            Ok(line) => ctx.printer.out(line),
            Err(problem) => ctx.printer.warn(problem),
        }
    }
    Ok(())
}

pub fn env(ctx: &Context, args: EnvArgs) -> Result<()> {
    let record = pick(ctx, args.name)?;
    record.spec.orchestrator.get().env(ctx, &record, args.shell)
}
