//! provision, upgrade and regenerate-certs: run provisioning again on
//! existing machines, in the mode each verb needs.

use std::time::Duration;

use anyhow::{Context as _, Result, bail};

use crate::cli::{ParallelNamesArgs, RegenerateCertsArgs};
use crate::commands::provisioner::{Mode, provision_machine};
use crate::commands::{Context, parallel};
use crate::pki::{self, ClientCerts};

const SSH_TIMEOUT: Duration = Duration::from_secs(120);

async fn reprovision(ctx: &Context, name: &str, mode: Mode) -> Result<()> {
    let _guard = ctx.store.open(name)?;
    let mut record = ctx.store.load(name)?;
    if mode == Mode::Upgrade {
        record.driver.check_engine_upgrade()?;
    }
    ctx.printer
        .info(crate::commands::lifecycle::engine_restart_notice(name));
    let outcome = provision_machine(ctx, &mut record, mode, SSH_TIMEOUT, Vec::new()).await;
    if let Err(e) = &outcome {
        record.error = Some(crate::commands::one_line(e));
        ctx.store.save(&record)?;
    }
    outcome
}

async fn each(
    ctx: &Context,
    names: &[String],
    parallel: usize,
    mode: Mode,
    verb: &str,
    done: &str,
) -> Result<()> {
    parallel::each(ctx, names, parallel, |ctx, name| async move {
        reprovision(&ctx, &name, mode).await?;
        ctx.printer.info(format!("{verb} {name}"));
        Ok(())
    })
    .await
    .summary(ctx, done)
    .map(drop)
}

pub async fn provision(ctx: &Context, args: &ParallelNamesArgs) -> Result<()> {
    each(
        ctx,
        &args.names,
        args.parallel,
        Mode::Full,
        "Provisioned",
        "provisioned",
    )
    .await
}

pub async fn upgrade(ctx: &Context, args: &ParallelNamesArgs) -> Result<()> {
    each(
        ctx,
        &args.names,
        args.parallel,
        Mode::Upgrade,
        "Upgraded",
        "upgraded",
    )
    .await
}

pub async fn regenerate_certs(ctx: &Context, args: RegenerateCertsArgs) -> Result<()> {
    for name in &args.names {
        // Fail on a typo before anything is regenerated.
        ctx.store.load(name)?;
    }
    if !args.force {
        if !ctx.printer.interactive() {
            bail!("regenerate-certs needs -f (or --force) when not run from a terminal");
        }
        let confirmed = dialoguer::Confirm::new()
            .with_prompt(
                "Regenerate TLS certificates? Running containers are restarted with the engine",
            )
            .default(false)
            .interact()?;
        if !confirmed {
            bail!("nothing regenerated");
        }
    }
    if args.client_certs {
        let _lock = ctx.store.lock()?;
        let paths = ClientCerts::in_dir(&ctx.store.certs_dir());
        for path in [&paths.ca_cert, &paths.ca_key, &paths.cert, &paths.key] {
            match std::fs::remove_file(path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e).with_context(|| format!("remove {}", path.display())),
            }
        }
        pki::ensure_client_certs(&ctx.store)?;
        ctx.printer.info("Made a new CA and client certificate.");
        let others: Vec<String> = ctx
            .store
            .names()?
            .into_iter()
            .filter(|n| !args.names.contains(n))
            .collect();
        if !others.is_empty() {
            ctx.printer.warn(format!(
                "{} still trust the old CA: run `machinectl regenerate-certs -f {}`",
                others.join(", "),
                others.join(" ")
            ));
        }
    }
    each(
        ctx,
        &args.names,
        args.parallel,
        Mode::Certs,
        "Regenerated certificates of",
        "given new certificates",
    )
    .await
}
