//! `machinectl use`: a docker context per machine, written straight into the
//! docker client's context store ($DOCKER_CONFIG, default ~/.docker), so the
//! stock client (`docker --context NAME …`, or the selected context) reaches
//! the machine without environment variables. rm removes the context again.
//!
//! Layout, as the docker CLI keeps it: contexts/meta/<sha256(name)>/meta.json,
//! contexts/tls/<sha256(name)>/docker/{ca,cert,key}.pem, and "currentContext"
//! in config.json.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::cli::UseArgs;
use crate::commands::Context;
use crate::store::atomic;

/// Marks contexts machinectl made, so rm never deletes a user's own.
const DESCRIPTION_PREFIX: &str = "machinectl machine ";

fn docker_config_dir(ctx: &Context) -> PathBuf {
    match ctx.env.get("DOCKER_CONFIG").filter(|d| !d.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(ctx.env.get("HOME").unwrap_or("/root")).join(".docker"),
    }
}

/// The context for machine `machine`: its own name, except `default`, which
/// the docker CLI reserves for its built-in context and would silently prefer.
pub fn context_name(machine: &str) -> String {
    if machine == "default" {
        "machinectl-default".to_string()
    } else {
        machine.to_string()
    }
}

fn digest(name: &str) -> String {
    format!("{:x}", Sha256::digest(name.as_bytes()))
}

fn meta_dir(config: &Path, name: &str) -> PathBuf {
    config.join("contexts/meta").join(digest(name))
}

fn tls_dir(config: &Path, name: &str) -> PathBuf {
    config.join("contexts/tls").join(digest(name))
}

fn make_dir(path: &Path) -> Result<()> {
    crate::store::Store::make_dir(path).map_err(Into::into)
}

/// Set or clear "currentContext" in config.json, keeping every other key.
fn select(config: &Path, name: Option<&str>) -> Result<()> {
    let path = config.join("config.json");
    let mut value: Value = match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .with_context(|| format!("{} is not valid JSON: fix it first", path.display()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => json!({}),
        Err(e) => return Err(e).with_context(|| format!("read {}", path.display())),
    };
    let map = value
        .as_object_mut()
        .ok_or_else(|| anyhow!("{} is not a JSON object: fix it first", path.display()))?;
    match name {
        Some(name) => map.insert("currentContext".into(), json!(name)),
        None => map.remove("currentContext"),
    };
    make_dir(config)?;
    atomic::write_atomic(
        &path,
        serde_json::to_string_pretty(&value)?.as_bytes(),
        0o600,
    )
    .with_context(|| format!("write {}", path.display()))
}

fn current(config: &Path) -> Option<String> {
    let bytes = std::fs::read(config.join("config.json")).ok()?;
    let value: Value = serde_json::from_slice(&bytes).ok()?;
    value.get("currentContext")?.as_str().map(str::to_string)
}

pub fn run(ctx: &Context, args: UseArgs) -> Result<()> {
    let config = docker_config_dir(ctx);
    let Some(name) = args.name else {
        select(&config, None)?;
        ctx.printer.info("Docker uses its default context again.");
        return Ok(());
    };
    let record = ctx.load(&name)?;
    let url = record
        .url()
        .ok_or_else(|| anyhow!("machine {name:?} has no address yet: see `machinectl ls`"))?;
    let machine = name;
    let name = context_name(&machine);
    let meta = meta_dir(&config, &name);
    if let Ok(existing) = std::fs::read(meta.join("meta.json")) {
        let existing: Value = serde_json::from_slice(&existing).unwrap_or_default();
        let description = existing["Metadata"]["Description"]
            .as_str()
            .unwrap_or_default();
        if !description.starts_with(DESCRIPTION_PREFIX) {
            anyhow::bail!(
                "a docker context named {name:?} exists and was not made by machinectl: remove it with `docker context rm {name}` first"
            );
        }
    }
    make_dir(&meta)?;
    let tls = tls_dir(&config, &name).join("docker");
    make_dir(&tls)?;
    let machine_dir = ctx.store.machine_dir(&machine);
    for (file, mode) in [("ca.pem", 0o644), ("cert.pem", 0o644), ("key.pem", 0o600)] {
        let bytes = std::fs::read(machine_dir.join(file))
            .with_context(|| format!("read {}", machine_dir.join(file).display()))?;
        atomic::write_atomic(&tls.join(file), &bytes, mode)?;
    }
    let meta_json = json!({
        "Name": name,
        "Metadata": { "Description": format!("{DESCRIPTION_PREFIX}{machine}") },
        "Endpoints": { "docker": { "Host": url, "SkipTLSVerify": false } }
    });
    atomic::write_atomic(
        &meta.join("meta.json"),
        serde_json::to_string(&meta_json)?.as_bytes(),
        0o644,
    )?;
    select(&config, Some(&name))?;
    ctx.printer.info(format!(
        "Docker now uses context {name} ({url}); `machinectl use --unset` returns to the default."
    ));
    Ok(())
}

/// Remove the context `use` made for a machine, if any; deselect it if selected.
pub fn remove(ctx: &Context, machine: &str) -> Result<()> {
    let config = docker_config_dir(ctx);
    let name = &context_name(machine);
    let meta = meta_dir(&config, name);
    let Ok(existing) = std::fs::read(meta.join("meta.json")) else {
        return Ok(());
    };
    let existing: Value = serde_json::from_slice(&existing).unwrap_or_default();
    if !existing["Metadata"]["Description"]
        .as_str()
        .unwrap_or_default()
        .starts_with(DESCRIPTION_PREFIX)
    {
        return Ok(());
    }
    std::fs::remove_dir_all(&meta).with_context(|| format!("remove {}", meta.display()))?;
    let tls = tls_dir(&config, name);
    if tls.exists() {
        std::fs::remove_dir_all(&tls).with_context(|| format!("remove {}", tls.display()))?;
    }
    if current(&config).as_deref() == Some(name) {
        select(&config, None)?;
    }
    Ok(())
}
