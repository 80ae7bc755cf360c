//! `clusterctl down`: remove every node and everything the cluster made,
//! then its record. Without local state, `--provider` searches by tag.

use anyhow::{Result, bail};

use crate::cli::cluster::DownArgs;
use crate::cluster::Provider;
use crate::commands::Context;
use crate::commands::cluster::{aws, pick};
use crate::store::StoreError;
use machinectl_driver_aws::Location;

fn confirm(ctx: &Context, args: &DownArgs, name: &str, what: &[String]) -> Result<()> {
    if args.yes {
        return Ok(());
    }
    if !ctx.printer.interactive() {
        bail!("down needs -y (or --yes) when not run from a terminal");
    }
    let prompt = if what.is_empty() {
        format!("Remove cluster {name} and all its nodes?")
    } else {
        format!("Remove cluster {name}: {}?", what.join(", "))
    };
    let confirmed = dialoguer::Confirm::new()
        .with_prompt(prompt)
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

/// `down NAME --provider aws` without local state: find the cluster by its
/// tags, name it and what will go, and remove exactly that cluster. Where
/// two clusters share the name (two stores, one account), refuse and show
/// their ids, unless --cluster-id picks one.
async fn down_by_tag(ctx: &Context, args: &DownArgs, name: &str) -> Result<()> {
    let location = Location {
        region: args
            .aws_region
            .as_ref()
            .map_or_else(|| "us-east-1".into(), String::from),
        profile: args.aws_profile.as_ref().map(String::from),
        endpoint: args.aws_endpoint.as_ref().map(String::from),
    };
    let found = aws::find(&location, name).await?;
    let mut groups = aws::by_cluster_id(&found);
    if let Some(wanted) = &args.cluster_id {
        groups.retain(|id, _| id.as_deref() == Some(wanted.as_str()));
    }
    let id_text = |id: &Option<String>| id.clone().unwrap_or_else(|| "none".into());
    let (id, items) = match groups.len() {
        0 => bail!(
            "no cluster {name}{} in {}: nothing there carries the tag machinectl:cluster={name}",
            args.cluster_id
                .as_ref()
                .map(|id| format!(" with id {id}"))
                .unwrap_or_default(),
            location.region
        ),
        1 => groups.into_iter().next().expect("one group"),
        _ => {
            let ids: Vec<String> = groups
                .iter()
                .map(|(id, items)| format!("{} ({})", id_text(id), aws::describe(items).join(", ")))
                .collect();
            bail!(
                "{} clusters are named {name} in {}: {}; pick one with --cluster-id ID",
                ids.len(),
                location.region,
                ids.join("; ")
            )
        }
    };
    let what = aws::describe(&items);
    ctx.printer.info(format!(
        "Cluster {name} (id {}) in {}: {}",
        id_text(&id),
        location.region,
        what.join(", ")
    ));
    confirm(ctx, args, name, &what)?;
    let mut target = aws::Target {
        name: name.to_string(),
        id,
        ..aws::Target::default()
    };
    target.add_found(&items);
    aws::teardown(ctx, &target, &location, args.wait).await?;
    ctx.printer
        .out(format!("Removed cluster {name} (found by its tags)"));
    Ok(())
}

pub async fn run(ctx: &Context, args: DownArgs) -> Result<()> {
    let record = match (pick(ctx, args.name.clone()), &args.name, args.provider) {
        (Ok(record), _, _) => record,
        // No local state: find what the cluster made by its tags.
        (Err(_), Some(name), Some(Provider::Aws)) => {
            let _lock = ctx.store.lock_cluster(name)?;
            return down_by_tag(ctx, &args, name).await;
        }
        (Err(e), Some(name), None) => {
            return Err(e.context(format!(
                "to find {name} by its tags without local state, add --provider aws and its region"
            )));
        }
        (Err(e), _, _) => return Err(e),
    };
    let name = record.name().to_string();
    let _lock = ctx.store.lock_cluster(&name)?;
    // Another process may have removed it while we waited for nothing.
    let record = ctx.store.load_cluster(&name)?;
    if record.spec.provider == Provider::Aws {
        confirm(ctx, &args, &name, &[])?;
        let location = aws::location(&record.spec);
        let mut target = aws::Target::recorded(&record);
        if target.id.is_some() {
            // What the record missed (a crash between a call and its record)
            // still carries this cluster's id.
            target.add_found(&aws::find(&location, &name).await?);
        } else {
            // Made before cluster ids: only the name can find it.
            let found = aws::find(&location, &name).await?;
            target.add_found(&found);
        }
        aws::teardown(ctx, &target, &location, args.wait).await?;
        ctx.printer.out(format!("Removed cluster {name}"));
        return Ok(());
    }
    confirm(ctx, &args, &name, &[])?;
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
