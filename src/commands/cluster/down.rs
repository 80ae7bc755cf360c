//! `clusterctl down`: remove every node and everything the cluster made,
//! then its record. Without local state, `--provider` searches by tag.

use anyhow::{Result, bail};

use crate::cli::cluster::DownArgs;
use crate::commands::Context;
use crate::commands::cluster::pick;
use crate::store::StoreError;

/// Remove one machine of a cluster, its host included. Returns what was left.
async fn remove_node(ctx: &Context, name: &str) -> Result<Option<String>> {
    let guard = match ctx.store.open(name) {
        Ok(guard) => guard,
        Err(StoreError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let mut record = match ctx.store.load(name) {
        Ok(record) => record,
        Err(_) => {
            ctx.store.delete(guard)?;
            return Ok(None);
        }
    };
    match record.driver.remove().await {
        Ok(report) if report.is_complete() => {
            ctx.store.delete(guard)?;
            Ok(None)
        }
        Ok(report) => Ok(Some(format!("{name}: {}", report.left.join(", ")))),
        Err(e) => Ok(Some(format!("{name}: {e}"))),
    }
}

/// Remove machines (their hosts included) that belong to a cluster, in parallel.
pub async fn remove_nodes(ctx: &Context, names: &[String]) -> Result<()> {
    let removals = names.iter().map(|name| remove_node(ctx, name));
    let mut left = Vec::new();
    for result in futures::future::join_all(removals).await {
        if let Some(what) = result? {
            left.push(what);
        }
    }
    if left.is_empty() {
        Ok(())
    } else {
        bail!("could not remove {}", left.join("; "))
    }
}

pub async fn run(ctx: &Context, args: DownArgs) -> Result<()> {
    let record = pick(ctx, args.name.clone())?;
    let name = record.name().to_string();
    if !args.yes {
        if !ctx.printer.interactive() {
            bail!("down needs -y (or --yes) when not run from a terminal");
        }
        let confirmed = dialoguer::Confirm::new()
            .with_prompt(format!("Remove cluster {name} and all its nodes?"))
            .default(false)
            .interact()?;
        if !confirmed {
            bail!("nothing removed");
        }
    }
    let step = ctx.printer.step(format!(
        "Removing cluster {name} ({} node(s))",
        record.nodes.len()
    ));
    let names: Vec<String> = record.nodes.iter().map(|n| n.machine.clone()).collect();
    remove_nodes(ctx, &names).await?;
    ctx.store.delete_cluster(&name)?;
    step.done();
    ctx.printer.out(format!("Removed cluster {name}"));
    Ok(())
}
