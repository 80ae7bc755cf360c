//! `machinectl ls`: every machine with its live state, probed in parallel
//! with a deadline per host. A corrupt record or an unreachable host shows
//! as such in its own row and never stalls or breaks the list. Filters on
//! what the record says are applied before probing; state filters are
//! applied to each probe's own answer, so nothing is probed twice or serially.

use std::time::{Duration, Instant};

use anyhow::{Result, anyhow, bail};
use machinectl_driver_api::MachineState;
use regex::Regex;
use serde::Serialize;

use crate::cli::{LsArgs, OutputFormat};
use crate::commands::Context;
use crate::engine::EngineClient;
use crate::store::{MachineRecord, RecordState, Store};
use crate::ui::template::Template;

/// One row of the listing (field names are what --format and JSON see).
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub name: String,
    pub active: String,
    pub driver_name: String,
    pub state: String,
    pub url: String,
    pub cluster: String,
    pub docker_version: String,
    pub error: String,
    pub response_time_ms: u64,
}

impl Row {
    /// What `--format` sees: the row plus docker-machine's derived fields
    /// (`.ActiveHost`, `.ActiveSwarm`, `.ResponseTime`), so its templates work.
    fn template_value(&self) -> Result<serde_json::Value> {
        let mut value = serde_json::to_value(self)?;
        if let Some(map) = value.as_object_mut() {
            map.insert("active_host".into(), (self.active == "*").into());
            map.insert("active_swarm".into(), false.into());
            map.insert(
                "response_time".into(),
                format!("{}ms", self.response_time_ms).into(),
            );
        }
        Ok(value)
    }
}

/// Parsed --filter values: the same key ORs, different keys AND.
#[derive(Debug, Default)]
pub struct Filters {
    driver: Vec<String>,
    state: Vec<String>,
    name: Vec<Regex>,
    label: Vec<String>,
    cluster: Vec<String>,
}

impl Filters {
    pub fn parse(filters: &[String]) -> Result<Filters> {
        let mut parsed = Filters::default();
        for filter in filters {
            let (key, value) = filter
                .split_once('=')
                .ok_or_else(|| anyhow!("invalid --filter {filter:?}: expected KEY=VALUE"))?;
            match key.to_lowercase().as_str() {
                "driver" => parsed
                    .driver
                    .push(crate::drivers::canonical_name(value).to_string()),
                "state" => parsed.state.push(value.to_lowercase()),
                "name" => parsed.name.push(
                    Regex::new(value)
                        .map_err(|e| anyhow!("invalid --filter name regex {value:?}: {e}"))?,
                ),
                "label" => parsed.label.push(value.to_string()),
                "cluster" | "swarm" => parsed.cluster.push(value.to_string()),
                other => bail!(
                    "unknown --filter key {other:?}: use driver, state, name, label or cluster"
                ),
            }
        }
        Ok(parsed)
    }

    /// Everything but state, which needs the probe.
    fn keeps_record(&self, name: &str, record: Option<&MachineRecord>) -> bool {
        let any = |values: &[String], f: &dyn Fn(&str) -> bool| {
            values.is_empty() || values.iter().any(|v| f(v))
        };
        let driver = record.map(|r| r.driver.name()).unwrap_or("unknown");
        let labels = record.map(|r| r.engine.labels.as_slice()).unwrap_or(&[]);
        let cluster = record.and_then(|r| r.cluster.as_deref()).unwrap_or("");
        (self.name.is_empty() || self.name.iter().any(|r| r.is_match(name)))
            && any(&self.driver, &|v| v == driver)
            && any(&self.cluster, &|v| v == cluster)
            && any(&self.label, &|v| {
                labels
                    .iter()
                    .any(|l| l == v || l.split_once('=').is_some_and(|(k, _)| k == v))
            })
    }

    fn keeps_state(&self, state: &str) -> bool {
        keeps_state(&self.state, state)
    }
}

/// Whether `state` passes the state filter `wanted` (empty: every state).
fn keeps_state(wanted: &[String], state: &str) -> bool {
    wanted.is_empty() || wanted.iter().any(|s| *s == state.to_lowercase())
}

/// What one probe learnt: (state, docker version, error).
type Probe = (String, String, String);

/// One host's probe, within one deadline for both questions. A host the
/// state filter drops is not asked for its engine version.
async fn probe(
    store: Store,
    record: MachineRecord,
    timeout: Duration,
    known: Option<machinectl_driver_api::Result<MachineState>>,
    wanted_states: Vec<String>,
) -> Probe {
    let deadline = tokio::time::Instant::now() + timeout;
    if record.state == RecordState::Creating {
        return creating(&store, &record);
    }
    let asked = async {
        match known {
            Some(state) => state,
            None => record.driver.state(timeout).await,
        }
    };
    let state = match tokio::time::timeout_at(deadline, asked).await {
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
    if state != MachineState::Running || !keeps_state(&wanted_states, &state.to_string()) {
        return (state.to_string(), "Unknown".into(), String::new());
    }
    let Some(host) = record.driver.engine_host() else {
        return (state.to_string(), "Unknown".into(), String::new());
    };
    let dir = store.machine_dir(&record.name);
    let version = match EngineClient::new(&host, record.engine.port, &dir, timeout) {
        Ok(client) => tokio::time::timeout_at(deadline, client.version()).await,
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

/// A record still marked Creating: a create under way, or one whose
/// process died (killed, crashed) at the step it names.
fn creating(store: &Store, record: &MachineRecord) -> Probe {
    let name = &record.name;
    match crate::store::progress::died_at(&store.machine_dir(name)) {
        Some(step) => {
            let fix = match &record.cluster {
                Some(cluster) => format!("clusterctl down -y {cluster}"),
                None => format!("machinectl rm -y {name}"),
            };
            (
                "Error".into(),
                "Unknown".into(),
                format!(
                    "create stopped during \"{step}\" (its process is gone): remove it with `{fix}`"
                ),
            )
        }
        None => ("Creating".into(), "Unknown".into(), String::new()),
    }
}

/// Rows of the machines the filters keep, probed in parallel.
impl Row {
    /// What the record says, before the host is asked.
    fn recorded(name: &str, record: &MachineRecord, docker_host: &str) -> Row {
        let url = record.url().unwrap_or_default();
        Row {
            name: name.to_string(),
            active: if !url.is_empty() && url == docker_host {
                "*"
            } else {
                "-"
            }
            .into(),
            driver_name: record.driver.name().to_string(),
            state: String::new(),
            url,
            cluster: record.cluster.clone().unwrap_or_default(),
            docker_version: String::new(),
            error: String::new(),
            response_time_ms: 0,
        }
    }

    /// A machine whose record cannot be read: its own row says why.
    fn unreadable(name: String, error: &impl std::fmt::Display) -> Row {
        Row {
            name,
            active: "-".into(),
            driver_name: "unknown".into(),
            state: "Error".into(),
            url: String::new(),
            cluster: String::new(),
            docker_version: "Unknown".into(),
            error: error.to_string(),
            response_time_ms: 0,
        }
    }
}

pub async fn rows(ctx: &Context, filters: &Filters, timeout: Duration) -> Result<Vec<Row>> {
    let docker_host = ctx.env.get("DOCKER_HOST").unwrap_or_default().to_string();
    let started = Instant::now();
    let mut loaded_all = Vec::new();
    for name in ctx.store.names()? {
        let loaded = ctx.store.load(&name);
        if filters.keeps_record(&name, loaded.as_ref().ok()) {
            loaded_all.push((name, loaded));
        }
    }
    // Cloud drivers answer for all their machines at once: one call per region.
    let drivers: Vec<&crate::drivers::MachineDriver> = loaded_all
        .iter()
        .filter_map(|(_, l)| l.as_ref().ok().map(|r| &r.driver))
        .collect();
    let mut known_states = crate::drivers::states_of(&drivers, timeout)
        .await
        .into_iter();
    let mut tasks = Vec::new();
    for (name, loaded) in loaded_all {
        match loaded {
            Ok(record) => {
                let row = Row::recorded(&name, &record, &docker_host);
                let recorded_error = record.error.clone();
                let known = known_states.next().flatten();
                let handle = tokio::spawn(probe(
                    ctx.store.clone(),
                    record,
                    timeout,
                    known,
                    filters.state.clone(),
                ));
                tasks.push((row, Some((handle, recorded_error, started))));
            }
            Err(e) => tasks.push((Row::unreadable(name, &e), None)),
        }
    }
    let mut rows = Vec::new();
    for (mut row, probe) in tasks {
        if let Some((handle, recorded_error, started)) = probe {
            // Each probe has its own deadline; this bound only guards against a stuck task.
            match tokio::time::timeout(timeout + Duration::from_secs(1), handle).await {
                Ok(Ok((state, docker, error))) => {
                    row.state = state;
                    row.docker_version = docker;
                    // What failed when machinectl last worked on it explains more than a probe.
                    row.error = recorded_error.unwrap_or(error);
                }
                _ => {
                    row.state = "Timeout".into();
                    row.docker_version = "Unknown".into();
                }
            }
            row.response_time_ms = started.elapsed().as_millis() as u64;
        }
        if filters.keeps_state(&row.state) {
            rows.push(row);
        }
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

/// The header docker-machine prints for a field.
fn column_header(field: &str) -> String {
    match field.to_lowercase().replace('_', "").as_str() {
        "drivername" => "DRIVER".into(),
        "dockerversion" => "DOCKER".into(),
        "error" => "ERRORS".into(),
        "responsetimems" => "RESPONSE (ms)".into(),
        other => other.to_uppercase(),
    }
}

/// A `table` format: its columns' headers from the field names.
fn format_table(format: &str, rows: &[Row]) -> Result<String> {
    let template = Template::new(format)?;
    let headers: Vec<String> = Regex::new(r"\{\{\s*\.([A-Za-z0-9_]+)\s*\}\}")
        .expect("static regex")
        .captures_iter(format)
        .map(|c| column_header(&c[1]))
        .collect();
    let mut cells = Vec::new();
    for row in rows {
        let line = template.render(&row.template_value()?)?;
        cells.push(line.split('\t').map(str::to_string).collect::<Vec<_>>());
    }
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    if cells.iter().all(|c| c.len() == headers.len()) {
        Ok(table(&header_refs, &cells))
    } else {
        // Not tab-separated: headers cannot be aligned, print rows as rendered.
        Ok(cells.iter().map(|c| c.join("\t") + "\n").collect())
    }
}

/// Warn (stderr) about certificates that expire within 30 days: each
/// listed machine's server certificate, and the store's client certificate.
fn warn_expiring(ctx: &Context, rows: &[Row]) {
    use crate::pki::{EXPIRY_WARNING_DAYS, expires_within};
    let when = |days: i64| match days {
        ..0 => "has expired".to_string(),
        0 => "expires today".to_string(),
        1 => "expires in 1 day".to_string(),
        days => format!("expires in {days} days"),
    };
    for row in rows {
        let cert = ctx.store.machine_dir(&row.name).join("server.pem");
        if let Some(days) = expires_within(&cert, EXPIRY_WARNING_DAYS) {
            ctx.printer.warn(format!(
                "the TLS certificate of {} {}: renew it with `machinectl regenerate-certs -f {}`",
                row.name,
                when(days),
                row.name
            ));
        }
    }
    let client = ctx.store.certs_dir().join("cert.pem");
    if let Some(days) = expires_within(&client, EXPIRY_WARNING_DAYS) {
        ctx.printer.warn(format!(
            "the client certificate {} {}: renew it with `machinectl regenerate-certs -f --client-certs NAME…`",
            client.display(),
            when(days)
        ));
    }
}

pub async fn run(ctx: &Context, args: LsArgs, quiet: bool) -> Result<()> {
    let filters = Filters::parse(&args.filter)?;
    let probe_needed = !filters.state.is_empty();
    if (args.names_only || quiet) && !probe_needed {
        for name in ctx.store.names()? {
            let record = ctx.store.load(&name).ok();
            if filters.keeps_record(&name, record.as_ref()) {
                ctx.printer.out(name);
            }
        }
        return Ok(());
    }
    let mut rows = rows(ctx, &filters, Duration::from_secs(args.timeout.max(1))).await?;
    // An error may quote a provider's answer, which may echo a credential.
    for row in &mut rows {
        row.error = crate::ui::redact(&row.error);
    }
    warn_expiring(ctx, &rows);
    if args.names_only || quiet {
        for row in rows {
            ctx.printer.out(row.name);
        }
        return Ok(());
    }
    if args.output == OutputFormat::Json {
        ctx.printer.out(serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    if let Some(format) = &args.format {
        if let Some(table_format) = format.strip_prefix("table") {
            ctx.printer
                .out_raw(format_table(table_format.trim_start(), &rows)?);
        } else {
            let template = Template::new(format)?;
            for row in &rows {
                ctx.printer.out(template.render(&row.template_value()?)?);
            }
        }
        return Ok(());
    }
    let cells: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| {
            vec![
                r.name,
                r.active,
                r.driver_name,
                r.state,
                r.url,
                r.cluster,
                r.docker_version,
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
