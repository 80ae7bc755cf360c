//! `clusterctl down`: the cluster's provider removes every node and
//! everything the cluster made, then its record. Without local state,
//! `--provider aws` searches by tag and removes one cluster id; so do the
//! providers of machine drivers (`by_tag`).

use anyhow::{Result, bail};

use machinectl_driver_aws::Location;

use crate::cli::cluster::DownArgs;
use crate::cluster::ProviderKind;
use crate::cluster::providers::aws;
use crate::commands::Context;
use crate::commands::cluster::pick;

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
        (Err(_), Some(name), Some(ProviderKind::Aws)) => {
            let _lock = ctx.store.lock_cluster(name)?;
            return down_by_tag(ctx, &args, name).await;
        }
        (Err(_), Some(name), Some(kind)) if kind.driver_flags_of().is_some() => {
            let _lock = ctx.store.lock_cluster(name)?;
            let confirm = |what: &[String]| confirm(ctx, &args, name, what);
            return super::by_tag::down(ctx, &args, name, kind, confirm).await;
        }
        (Err(e), Some(name), None) => {
            return Err(e.context(format!(
                "to find {name} by its tags without local state, add --provider aws|digitalocean|gce|azure|virtualbox and its location and credential flags"
            )));
        }
        (Err(e), _, _) => return Err(e),
    };
    let name = record.name().to_string();
    let _lock = ctx.store.lock_cluster(&name)?;
    // Another process may have removed it while this one looked.
    let record = ctx.store.load_cluster(&name)?;
    confirm(ctx, &args, &name, &[])?;
    record
        .spec
        .provider
        .get()
        .teardown(ctx, &record, args.wait, true)
        .await?;
    remove_unrecorded_nodes(ctx, &name).await?;
    ctx.printer.out(format!("Removed cluster {name}"));
    Ok(())
}

/// Machines whose record names this cluster that its own record never got
/// to list (an up or scale killed while it made them) go too, as
/// `machinectl rm -y -f` removes them: a cluster's name is unique in its
/// store, so they are this cluster's.
async fn remove_unrecorded_nodes(ctx: &Context, name: &str) -> Result<()> {
    let names: Vec<String> = ctx
        .store
        .names()?
        .into_iter()
        .filter(|machine| {
            ctx.store
                .load(machine)
                .is_ok_and(|r| r.cluster.as_deref() == Some(name))
        })
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    let args = crate::cli::RmArgs {
        names,
        yes: true,
        force: true,
        parallel: crate::commands::parallel::DEFAULT_PARALLEL,
    };
    crate::commands::rm::run(ctx, args).await
}
