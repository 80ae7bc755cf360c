//! `machinectl ls`: every machine with its live state, probed in parallel
//! with a deadline per host. A corrupt record or an unreachable host shows
//! as such in its own row and never stalls or breaks the list.

use std::time::Duration;

use anyhow::Result;
use machinectl_driver_api::MachineState;

use crate::cli::LsArgs;
use crate::commands::Context;
use crate::engine::EngineClient;
use crate::store::{MachineRecord, RecordState, Store};

/// One row of the listing.
#[derive(Debug, Clone)]
pub struct Row {
    pub name: String,
    pub active: bool,
    pub driver: String,
    pub state: String,
    pub url: String,
    pub cluster: String,
    pub docker: String,
    pub error: String,
}

async fn probe(store: Store, record: MachineRecord, timeout: Duration) -> (String, String, String) {
    if record.state == RecordState::Creating {
        return ("Creating".into(), "Unknown".into(), String::new());
    }
    let state = match tokio::time::timeout(timeout, record.driver.state(timeout)).await {
        Ok(Ok(state)) => state,
        Ok(Err(e)) => return ("Error".into(), "Unknown".into(), e.to_string()),
        Err(_) => {
            return (
                "Timeout".into(),
                "Unknown".into(),
                "the provider did not answer in time".into(),
            );
        }
    };
    if state != MachineState::Running {
        return (state.to_string(), "Unknown".into(), String::new());
    }
    let Some(ip) = record.driver.ip() else {
        return (state.to_string(), "Unknown".into(), String::new());
    };
    let dir = store.machine_dir(&record.name);
    let version = match EngineClient::new(&ip.to_string(), record.engine.port, &dir, timeout) {
        Ok(client) => tokio::time::timeout(timeout, client.version()).await,
        Err(e) => return (state.to_string(), "Unknown".into(), e.to_string()),
    };
    match version {
        Ok(Ok(v)) => (state.to_string(), format!("v{}", v.version), String::new()),
        Ok(Err(e)) => (state.to_string(), "Unknown".into(), e.to_string()),
        Err(_) => (
            state.to_string(),
            "Unknown".into(),
            "the engine did not answer in time".into(),
        ),
    }
}

pub async fn rows(ctx: &Context, timeout: Duration) -> Result<Vec<Row>> {
    let docker_host = ctx.env.get("DOCKER_HOST").unwrap_or_default().to_string();
    let mut tasks = Vec::new();
    for name in ctx.store.names()? {
        match ctx.store.load(&name) {
            Ok(record) => {
                let url = record.url().unwrap_or_default();
                let base = Row {
                    name: name.clone(),
                    active: !url.is_empty() && url == docker_host,
                    driver: record.driver.name().to_string(),
                    state: String::new(),
                    url,
                    cluster: record.cluster.clone().unwrap_or_default(),
                    docker: String::new(),
                    error: String::new(),
                };
                let recorded_error = record.error.clone();
                let handle = tokio::spawn(probe(ctx.store.clone(), record, timeout));
                tasks.push((base, Some((handle, recorded_error))));
            }
            Err(e) => tasks.push((
                Row {
                    name,
                    active: false,
                    driver: "unknown".into(),
                    state: "Error".into(),
                    url: String::new(),
                    cluster: String::new(),
                    docker: "Unknown".into(),
                    error: e.to_string(),
                },
                None,
            )),
        }
    }
    let mut rows = Vec::new();
    for (mut row, handle) in tasks {
        if let Some((handle, recorded_error)) = handle {
            // Each probe has its own deadline; this bound only guards against a stuck task.
            match tokio::time::timeout(timeout + Duration::from_secs(1), handle).await {
                Ok(Ok((state, docker, error))) => {
                    row.state = state;
                    row.docker = docker;
                    // What failed when machinectl last worked on it explains more than a probe.
                    row.error = recorded_error.unwrap_or(error);
                }
                _ => {
                    row.state = "Timeout".into();
                    row.docker = "Unknown".into();
                }
            }
        }
        rows.push(row);
    }
    Ok(rows)
}

/// Columns padded like docker-machine's tabwriter (min width 5, padding 3).
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count().max(5)).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let all = std::iter::once(header.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        .chain(rows.iter().cloned());
    for row in all {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                line.push_str(&" ".repeat(widths[i] - cell.chars().count() + 3));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub async fn run(ctx: &Context, args: LsArgs) -> Result<()> {
    if args.quiet {
        for name in ctx.store.names()? {
            ctx.printer.out(name);
        }
        return Ok(());
    }
    let rows = rows(ctx, Duration::from_secs(args.timeout.max(1))).await?;
    let cells: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| {
            vec![
                r.name,
                if r.active { "*".into() } else { "-".into() },
                r.driver,
                r.state,
                r.url,
                r.cluster,
                r.docker,
                r.error,
            ]
        })
        .collect();
    ctx.printer.out_raw(table(
        &[
            "NAME", "ACTIVE", "DRIVER", "STATE", "URL", "CLUSTER", "DOCKER", "ERRORS",
        ],
        &cells,
    ));
    Ok(())
}
