//! `clusterctl down`: remove every node and everything the cluster made,
//! then its record. Without local state, `--provider` searches by tag.

use anyhow::{Result, bail};

use crate::cli::cluster::DownArgs;
use crate::cluster::Provider;
use crate::commands::Context;
use crate::commands::cluster::{aws, pick};
use crate::store::StoreError;
use machinectl_driver_aws::Location;

fn confirm(ctx: &Context, args: &DownArgs, name: &str) -> Result<()> {
    if args.yes {
        return Ok(());
    }
    if !ctx.printer.interactive() {
        bail!("down needs -y (or --yes) when not run from a terminal");
    }
    let confirmed = dialoguer::Confirm::new()
        .with_prompt(format!("Remove cluster {name} and all its nodes?"))
        .default(false)
        .interact()?;
    if confirmed {
        Ok(())
    } else {
        bail!("nothing removed")
    }
}

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
    let record = match (pick(ctx, args.name.clone()), &args.name, args.provider) {
        (Ok(record), _, _) => record,
        // No local state: find what the cluster made by its tags.
        (Err(_), Some(name), Some(Provider::Aws)) => {
            let location = Location {
                region: args
                    .aws_region
                    .clone()
                    .unwrap_or_else(|| "us-east-1".into()),
                profile: args.aws_profile.clone(),
                endpoint: args.aws_endpoint.clone(),
            };
            confirm(ctx, &args, name)?;
            aws::teardown(ctx, name, &location, args.wait).await?;
            ctx.printer
                .out(format!("Removed cluster {name} (found by its tags)"));
            return Ok(());
        }
        (Err(e), Some(name), None) => {
            return Err(e.context(format!(
                "to find {name} by its tags without local state, add --provider aws and its region"
            )));
        }
        (Err(e), _, _) => return Err(e),
    };
    let name = record.name().to_string();
    if record.spec.provider == Provider::Aws {
        confirm(ctx, &args, &name)?;
        aws::teardown(ctx, &name, &aws::location(&record.spec), args.wait).await?;
        ctx.printer.out(format!("Removed cluster {name}"));
        return Ok(());
    }
    confirm(ctx, &args, &name)?;
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
