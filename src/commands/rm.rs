//! `machinectl rm`: remove machines and everything their drivers made.
//! Without -f a machine whose provider side cannot be cleaned keeps its
//! record (so nothing is orphaned silently); with -f the record goes and
//! what was left is reported.

use anyhow::{Result, bail};

use crate::cli::RmArgs;
use crate::commands::{Context, parallel};
use crate::store::{RecordState, StoreError};

pub async fn run(ctx: &Context, args: RmArgs) -> Result<()> {
    if !args.yes {
        if !ctx.printer.interactive() {
            bail!("rm needs -y (or --yes) when not run from a terminal");
        }
        let question = format!("Remove {}? This cannot be undone", args.names.join(", "));
        let confirmed = dialoguer::Confirm::new()
            .with_prompt(question)
            .default(false)
            .interact()?;
        if !confirmed {
            bail!("nothing removed");
        }
    }
    let force = args.force;
    parallel::each(ctx, &args.names, args.parallel, |ctx, name| async move {
        remove_one(&ctx, &name, force).await
    })
    .await
    .summary(ctx, "removed")
    .map(drop)
}

async fn remove_one(ctx: &Context, name: &str, force: bool) -> Result<()> {
    let guard = ctx.store.open(name)?;
    let mut record = match ctx.store.load(name) {
        Ok(record) => record,
        Err(StoreError::Corrupt { .. }) if force => {
            ctx.store.delete(guard)?;
            ctx.printer.out(format!(
                "Removed {name} (its unreadable record only; its host, if any, was not touched)"
            ));
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(cluster) = &record.cluster
        && !force
    {
        bail!(
            "{name} is a node of cluster {cluster}: remove the cluster with `clusterctl down {cluster}` (or this node anyway with -f)"
        );
    }
    let step = ctx.printer.step(format!("Removing {name}"));
    let report = match record.driver.remove().await {
        Ok(report) => report,
        Err(e) if force => {
            drop(step);
            ctx.printer.warn(format!(
                "{name}: the {} side was not removed: {e}",
                record.driver.name()
            ));
            ctx.store.delete(guard)?;
            ctx.printer
                .out(format!("Removed {name} (local record only)"));
            return Ok(());
        }
        Err(e) => {
            drop(step);
            record.state = RecordState::Error;
            record.error = Some(format!("rm failed: {e}"));
            let _ = ctx.store.save(&record);
            bail!(
                "{e}; the record was kept: retry, or use `machinectl rm -f {name}` to drop it anyway"
            );
        }
    };
    if !report.is_complete() && !force {
        drop(step);
        record.state = RecordState::Error;
        record.error = Some(format!("left behind: {}", report.left.join(", ")));
        let _ = ctx.store.save(&record);
        bail!(
            "could not remove {}; the record was kept: retry, or use `machinectl rm -f {name}`",
            report.left.join(", ")
        );
    }
    ctx.store.delete(guard)?;
    step.done();
    if let Err(e) = crate::commands::context::remove(ctx, name) {
        ctx.printer
            .warn(format!("{name}: its docker context was not removed: {e}"));
    }
    for item in &report.removed {
        ctx.printer.debug(format!("removed {item}"));
    }
    if let Some(counters) = record.driver.debug_counters() {
        ctx.printer.debug(counters);
    }
    if !report.left.is_empty() {
        ctx.printer
            .warn(format!("{name}: left behind: {}", report.left.join(", ")));
    }
    if let Some(note) = report.note {
        ctx.printer.info(format!("{name}: {note}"));
    }
    ctx.printer.out(format!("Removed {name}"));
    Ok(())
}
