//! Small read-only verbs: ip, url, inspect, status, active, version.

use std::time::Duration;

use anyhow::{Result, anyhow, bail};
use serde_json::json;

use crate::cli::{ActiveArgs, InspectArgs, OutputFormat, StatusArgs, VersionArgs};
use crate::commands::Context;
use crate::engine::EngineClient;
use crate::store::{MachineRecord, RecordState};
use crate::ui::template::Template;

pub fn ip(ctx: &Context, names: &[String]) -> Result<()> {
    for name in names {
        let record = ctx.load(name)?;
        let host = record
            .driver
            .engine_host()
            .ok_or_else(|| anyhow!("machine {name:?} has no address yet: see `machinectl ls`"))?;
        ctx.printer.out(host);
    }
    Ok(())
}

/// docker-machine's "Host is not running", decided as it does from the
/// record alone (no network): a machine its record says is stopped has no
/// URL, environment or engine to give, unless the user insists (`--force`,
/// whose values then are the last ones recorded).
pub fn require_running(record: &MachineRecord, force: bool, verb: &str) -> Result<()> {
    if record.state == RecordState::Stopped && !force {
        let name = &record.name;
        bail!(
            "machine {name:?} is not running (its record says Stopped): start it with `machinectl start {name}`, or run `machinectl {verb} --force {name}` for the values it had"
        );
    }
    Ok(())
}

/// The client's TLS files that `env` and `config` point docker at are all
/// in the machine's directory: a missing one would fail later, inside
/// docker, with no hint of the fix.
pub fn require_tls_files(ctx: &Context, name: &str) -> Result<()> {
    let dir = ctx.store.machine_dir(name);
    for file in ["ca.pem", "cert.pem", "key.pem"] {
        if !dir.join(file).is_file() {
            bail!(
                "machine {name:?} is missing {} (the docker client needs it): run `machinectl regenerate-certs -f {name}`",
                dir.join(file).display()
            );
        }
    }
    Ok(())
}

pub fn url(ctx: &Context, name: &str, force: bool) -> Result<()> {
    let record = ctx.load(name)?;
    require_running(&record, force, "url")?;
    let url = record
        .url()
        .ok_or_else(|| anyhow!("machine {name:?} has no address yet: see `machinectl ls`"))?;
    ctx.printer.out(url);
    Ok(())
}

/// The record as JSON, or fields of it through --format. Records hold
/// paths and ids, never key material.
pub fn inspect(ctx: &Context, args: InspectArgs) -> Result<()> {
    let record = ctx.load(&args.name)?;
    let mut value = serde_json::to_value(&record)?;
    if let Some(map) = value.as_object_mut() {
        map.insert("url".into(), json!(record.url()));
        map.insert("ip_address".into(), json!(record.driver.ip()));
        map.insert("driver_name".into(), json!(record.driver.name()));
        map.insert(
            "cert_path".into(),
            json!(ctx.store.machine_dir(&record.name)),
        );
    }
    match (&args.format, args.output) {
        (Some(_), Some(OutputFormat::Json)) => {
            bail!("--format and --output json cannot be combined: choose one")
        }
        (Some(format), _) => ctx.printer.out(Template::new(format)?.render(&value)?),
        (None, _) => ctx.printer.out(serde_json::to_string_pretty(&value)?),
    }
    Ok(())
}

pub async fn status(ctx: &Context, args: StatusArgs) -> Result<()> {
    let record = ctx.load(&args.name)?;
    let state = record.driver.state(Duration::from_secs(10)).await?;
    match args.output {
        OutputFormat::Text => ctx.printer.out(state.as_str()),
        OutputFormat::Json => ctx.printer.out(serde_json::to_string_pretty(&json!({
            "name": record.name,
            "state": state.as_str(),
            "error": record.error,
        }))?),
    }
    Ok(())
}

/// The machine DOCKER_HOST points at, if it runs.
pub async fn active(ctx: &Context, args: ActiveArgs) -> Result<()> {
    let docker_host = ctx
        .env
        .get("DOCKER_HOST")
        .filter(|h| !h.is_empty())
        .ok_or_else(|| {
            anyhow!(
                "no active machine: DOCKER_HOST is not set (run `eval \"$(machinectl env NAME)\"`)"
            )
        })?
        .to_string();
    for name in ctx.store.names()? {
        let Ok(record) = ctx.store.load(&name) else {
            continue;
        };
        if record.url().as_deref() == Some(docker_host.as_str()) {
            let timeout = Duration::from_secs(args.timeout.max(1));
            let state = tokio::time::timeout(timeout, record.driver.state(timeout))
                .await
                .map_err(|_| {
                    anyhow!(
                        "machine {name} did not answer within {}s",
                        timeout.as_secs()
                    )
                })??;
            if state != machinectl_driver_api::MachineState::Running {
                bail!(
                    "machine {name:?} is the active one but is not running (its driver says {state}): start it with `machinectl start {name}`"
                );
            }
            ctx.printer.out(name);
            return Ok(());
        }
    }
    bail!("no active machine: DOCKER_HOST={docker_host} is not a machine of this store")
}

pub async fn version(ctx: &Context, args: VersionArgs) -> Result<()> {
    let client_version = env!("CARGO_PKG_VERSION");
    let Some(name) = args.name else {
        match args.output {
            OutputFormat::Text => ctx
                .printer
                .out(format!("machinectl version {client_version}")),
            OutputFormat::Json => ctx.printer.out(serde_json::to_string_pretty(
                &json!({ "machinectl": client_version }),
            )?),
        }
        return Ok(());
    };
    let record = ctx.load(&name)?;
    require_running(&record, args.force, "version")?;
    let host = record
        .driver
        .engine_host()
        .ok_or_else(|| anyhow!("machine {name:?} has no address yet"))?;
    let client = EngineClient::new(
        &host,
        record.engine.port,
        &ctx.store.machine_dir(&name),
        Duration::from_secs(10),
    )?;
    let version = client.version().await?;
    match args.output {
        OutputFormat::Text => ctx.printer.out(&version.version),
        OutputFormat::Json => ctx.printer.out(serde_json::to_string_pretty(&json!({
            "machinectl": client_version,
            "machine": name,
            "engine": {
                "version": version.version,
                "api_version": version.api_version,
                "os": version.os,
                "arch": version.arch,
            }
        }))?),
    }
    Ok(())
}
