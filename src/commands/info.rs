//! Small read-only verbs: ip, url, inspect, status.

use std::time::Duration;

use anyhow::{Result, anyhow};

use crate::commands::Context;

pub fn ip(ctx: &Context, names: &[String]) -> Result<()> {
    for name in names {
        let record = ctx.load(name)?;
        let ip = record
            .driver
            .ip()
            .ok_or_else(|| anyhow!("machine {name:?} has no address yet: see `machinectl ls`"))?;
        ctx.printer.out(ip.to_string());
    }
    Ok(())
}

pub fn url(ctx: &Context, name: &str) -> Result<()> {
    let record = ctx.load(name)?;
    let url = record
        .url()
        .ok_or_else(|| anyhow!("machine {name:?} has no address yet: see `machinectl ls`"))?;
    ctx.printer.out(url);
    Ok(())
}

/// The record as JSON. Records hold paths and ids, never key material.
pub fn inspect(ctx: &Context, name: &str) -> Result<()> {
    let record = ctx.load(name)?;
    let mut value = serde_json::to_value(&record)?;
    if let Some(map) = value.as_object_mut() {
        map.insert("url".into(), serde_json::json!(record.url()));
        map.insert(
            "cert_path".into(),
            serde_json::json!(ctx.store.machine_dir(&record.name)),
        );
    }
    ctx.printer.out(serde_json::to_string_pretty(&value)?);
    Ok(())
}

pub async fn status(ctx: &Context, name: &str) -> Result<()> {
    let record = ctx.load(name)?;
    let state = record.driver.state(Duration::from_secs(10)).await?;
    ctx.printer.out(state.as_str());
    Ok(())
}
