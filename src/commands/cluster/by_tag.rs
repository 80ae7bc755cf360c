//! `clusterctl down NAME --provider P` without local state, for providers
//! whose nodes are a machine driver's (digitalocean, gce, azure,
//! virtualbox): the driver built from P's flags (credentials and location
//! only matter) lists what carries the cluster's name tag, grouped by
//! cluster id; exactly one id is removed (`--cluster-id` picks one when
//! several clusters share the name), nodes first, and any machine records
//! of the cluster left in this store are forgotten.

use std::collections::BTreeMap;

use anyhow::{Result, anyhow, bail};
use machinectl_driver_api::Found;
use machinectl_driver_api::cluster::ClusterName;

use crate::cli::cluster::DownArgs;
use crate::cluster::{ProviderKind, forget_machines};
use crate::commands::Context;
use crate::commands::cluster::driver_template;

/// Found things by the cluster id they carry ("none" for none).
fn by_cluster_id(found: Vec<Found>) -> BTreeMap<String, Vec<Found>> {
    let mut groups: BTreeMap<String, Vec<Found>> = BTreeMap::new();
    for f in found {
        let id = f
            .cluster_id
            .as_ref()
            .map_or_else(|| "none".to_string(), |id| id.to_string());
        groups.entry(id).or_default().push(f);
    }
    groups
}

/// The one group to remove, or the line that says why there is none.
fn pick_group(
    args: &DownArgs,
    name: &str,
    kind: ProviderKind,
    mut groups: BTreeMap<String, Vec<Found>>,
) -> Result<(String, Vec<Found>)> {
    if let Some(wanted) = &args.cluster_id {
        groups.retain(|id, _| id == wanted);
    }
    match groups.len() {
        0 => bail!(
            "no cluster {name}{} where the --{}-* flags point: nothing there carries its tag",
            args.cluster_id
                .as_ref()
                .map(|id| format!(" with id {id}"))
                .unwrap_or_default(),
            kind.as_str()
        ),
        1 => Ok(groups.into_iter().next().expect("one group")),
        n => {
            let ids: Vec<String> = groups
                .iter()
                .map(|(id, items)| format!("{id} ({} resource(s))", items.len()))
                .collect();
            bail!(
                "{n} clusters are named {name} there: {}; pick one with --cluster-id ID",
                ids.join("; ")
            )
        }
    }
}

pub async fn down(
    ctx: &Context,
    args: &DownArgs,
    name: &str,
    kind: ProviderKind,
    confirm: impl FnOnce(&[String]) -> Result<()>,
) -> Result<()> {
    let template = driver_template(kind, args.driver_flags.as_ref(), name)?
        .ok_or_else(|| anyhow!("--provider {} has no driver", kind.as_str()))?;
    let cluster = ClusterName::try_from(name).map_err(|e| anyhow!(e))?;
    let found = template.0.cluster_resources(&cluster).await?;
    let (id, items) = pick_group(args, name, kind, by_cluster_id(found))?;
    let what: Vec<String> = items.iter().map(Found::describe).collect();
    ctx.printer.info(format!(
        "Cluster {name} (id {id}) on {}: {}",
        kind.as_str(),
        what.join(", ")
    ));
    confirm(&what)?;
    let step = ctx.printer.step(format!(
        "Removing {} resource(s) of cluster {name}",
        items.len()
    ));
    let report = template.0.remove_cluster_resources(&items).await?;
    if !report.is_complete() {
        bail!(
            "could not remove {}; run the same down again",
            report.left.join(", ")
        );
    }
    step.done();
    forget_machines(ctx, name)?;
    if ctx.store.load_cluster(name).is_ok() {
        ctx.store.delete_cluster(name)?;
    }
    ctx.printer
        .out(format!("Removed cluster {name} (found by its tags)"));
    Ok(())
}
