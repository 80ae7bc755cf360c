//! `clusterctl up`, `scale` and `render`: the spec resolved and checked,
//! then the cluster's provider makes the nodes and its orchestrator brings
//! them together. A failed or interrupted up removes what it recorded
//! unless --keep-on-error.

use std::time::{Duration, Instant};

use anyhow::{Result, bail};

use crate::cli::cluster::{RenderArgs, ScaleArgs, UpArgs};
use crate::cluster::providers::{NodeOptions, ScalePlan};
use crate::cluster::{ClusterRecord, ClusterState};
use crate::commands::Context;
use crate::commands::cluster::resolve_spec;
use crate::commands::interrupt::Interrupt;
use crate::render::Renderer;

pub async fn run(ctx: &Context, args: UpArgs) -> Result<()> {
    let spec = resolve_spec(&args.spec)?;
    spec.provider.get().supports(&spec)?;
    // Held to the end: a second up, scale or down of this cluster is refused.
    let _lock = ctx.store.lock_cluster(&spec.name)?;
    if ctx.store.load_cluster(&spec.name).is_ok() {
        bail!(
            "cluster {:?} already exists: see `clusterctl status {}` or remove it with `clusterctl down {}`",
            spec.name,
            spec.name,
            spec.name
        );
    }
    for (machine, _, _) in spec.node_names() {
        if ctx.store.exists(&machine) {
            bail!("machine {machine:?} already exists: remove it or pick another cluster name");
        }
    }
    let provider = spec.provider.get();
    let orchestrator = spec.orchestrator.get();
    provider.check(ctx, &spec).await?;
    let started = Instant::now();
    // Ctrl-C is caught from before the first write and settles like a failure.
    let mut interrupt = Interrupt::watch()?;
    let mut record = ClusterRecord::new(spec.clone());
    record.provider_state = Some(provider.new_state(&spec));
    record.nodes = spec.node_refs();
    ctx.store.save_cluster(&record)?;
    let options = NodeOptions {
        ssh_timeout: Duration::from_secs(args.ssh_timeout),
        keep_on_error: args.keep_on_error,
        former: orchestrator.former(&record),
    };
    let outcome = async {
        let secrets = orchestrator.secrets(Some(&ctx.store.cluster_dir(&spec.name)))?;
        provider
            .create(ctx, &mut record, &secrets, &options, &mut interrupt)
            .await?;
        // Nodes the former brought in as they came need no bootstrap.
        let formed = (options.former.as_ref()).is_some_and(|f| f.formed_all(&record.nodes));
        interrupt
            .race(async {
                if formed {
                    return Ok(());
                }
                orchestrator.bootstrap(ctx, &mut record, &secrets).await
            })
            .await
    }
    .await;
    settle(ctx, &mut record, outcome, args.keep_on_error).await?;
    ctx.printer.info(format!(
        "Cluster {} is up: {} node(s), {} (took {:.1}s).",
        spec.name,
        spec.nodes,
        spec.orchestrator.as_str(),
        started.elapsed().as_secs_f64()
    ));
    ctx.printer.info(format!(
        "To use it, run: eval \"$(clusterctl env {})\"",
        spec.name
    ));
    Ok(())
}

/// Finish an up: record success, or keep what was made (--keep-on-error),
/// or remove what this up recorded; a rollback that fails leaves the record
/// with both errors.
async fn settle(
    ctx: &Context,
    record: &mut ClusterRecord,
    outcome: Result<()>,
    keep_on_error: bool,
) -> Result<()> {
    let name = record.name().to_string();
    let Err(error) = outcome else {
        record.state = ClusterState::Running;
        ctx.store.save_cluster(record)?;
        return Ok(());
    };
    let provider = record.spec.provider.get();
    let down_flags = provider.location_flags(&record.spec);
    let message = crate::commands::one_line(&error);
    if keep_on_error {
        record.state = ClusterState::Error;
        record.error = Some(message);
        ctx.store.save_cluster(record)?;
        ctx.printer.info(format!(
            "Kept cluster {name} as it is (--keep-on-error); remove it with `clusterctl down -y {name}{down_flags}`."
        ));
        return Err(error);
    }
    let step = ctx.printer.step("Removing what this up made");
    // Only what this run recorded goes: never what merely shares the name.
    match provider.teardown(ctx, record, true, false).await {
        Ok(()) => step.done(),
        Err(e) => {
            drop(step);
            record.state = ClusterState::Error;
            record.error = Some(format!("{message}; rollback failed: {e}"));
            ctx.store.save_cluster(record)?;
            ctx.printer.warn(format!(
                "rollback failed ({e}); finish with `clusterctl down {name} -y{down_flags}`"
            ));
        }
    }
    Err(error)
}

/// `clusterctl scale`: nodes added or removed through the cluster's provider.
pub async fn scale(ctx: &Context, args: ScaleArgs) -> Result<()> {
    // A cluster that does not exist is refused before its lock file is made.
    ctx.store.load_cluster(&args.name)?;
    let _lock = ctx.store.lock_cluster(&args.name)?;
    let mut record = ctx.store.load_cluster(&args.name)?;
    let managers = record.spec.managers;
    if args.nodes < managers.max(1) {
        bail!(
            "--nodes {} is fewer than the cluster's {managers} manager(s)",
            args.nodes
        );
    }
    let plan = ScalePlan::new(&record, args.nodes);
    if plan.adding.is_empty() && plan.removing.is_empty() {
        ctx.printer.info(format!(
            "Cluster {} already has {} node(s).",
            record.name(),
            args.nodes
        ));
        return Ok(());
    }
    let options = NodeOptions {
        ssh_timeout: Duration::from_secs(args.ssh_timeout),
        keep_on_error: args.keep_on_error,
        former: None,
    };
    let provider = record.spec.provider.get();
    provider.scale(ctx, &mut record, plan, &options).await?;
    ctx.printer.info(format!(
        "Cluster {} has {} node(s).",
        record.name(),
        record.nodes.len()
    ));
    Ok(())
}

/// `clusterctl render`: the artifacts `up` submits (for an existing cluster,
/// byte for byte what it submitted: the same secrets and id are read back).
pub fn render(ctx: &Context, args: RenderArgs) -> Result<()> {
    let existing = ctx
        .store
        .load_cluster(args.spec.name.as_deref().unwrap_or("default"))
        .ok()
        .filter(|_| args.spec.file.is_none() && args.spec.provider.is_none());
    let (spec, id, secrets) = match existing {
        Some(record) => {
            let secrets = record
                .spec
                .orchestrator
                .get()
                .secrets(Some(&ctx.store.cluster_dir(record.name())))?;
            (record.spec, record.id, secrets)
        }
        None => {
            // A cluster not made yet: nothing is stored; the id and secrets
            // are ones `up` would make.
            let spec = resolve_spec(&args.spec)?;
            let secrets = spec.orchestrator.get().secrets(None)?;
            (spec, crate::cluster::record::new_cluster_id(), secrets)
        }
    };
    let renderer = Renderer::new(Some(&ctx.store.root().join("templates")))?;
    let artifacts = spec
        .provider
        .get()
        .render(ctx, &renderer, &spec, &id, &secrets)?;
    for path in artifacts.write_to(&args.out)? {
        ctx.printer.out(path.display().to_string());
    }
    Ok(())
}
