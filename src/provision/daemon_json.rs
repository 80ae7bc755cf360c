//! /etc/docker/daemon.json: what machinectl sets, merged into what the host
//! already has so a user's own settings survive provisioning.

use serde_json::{Map, Value, json};

use crate::store::checked::{EngineOpt, InsecureRegistry, RegistryMirror, StorageDriver};

/// Where the engine finds its TLS files on the host.
pub const REMOTE_CA: &str = "/etc/docker/ca.pem";
pub const REMOTE_CERT: &str = "/etc/docker/server.pem";
pub const REMOTE_KEY: &str = "/etc/docker/server-key.pem";

/// The settings machinectl owns.
#[derive(Debug, Clone, Default)]
pub struct EngineSettings {
    pub port: u16,
    /// `key=value` labels, `provider=<driver>` included.
    pub labels: Vec<String>,
    pub storage_driver: Option<StorageDriver>,
    pub registry_mirrors: Vec<RegistryMirror>,
    pub insecure_registries: Vec<InsecureRegistry>,
    /// `--engine-opt key=value`; never a TLS or listener key (the type refuses them).
    pub opts: Vec<EngineOpt>,
}

/// A value from the command line as JSON: booleans and numbers as such,
/// JSON arrays/objects parsed, anything else a string.
fn typed(value: &str) -> Value {
    match value {
        "true" => return Value::Bool(true),
        "false" => return Value::Bool(false),
        _ => {}
    }
    if let Ok(n) = value.parse::<i64>() {
        return json!(n);
    }
    if (value.starts_with('[') || value.starts_with('{'))
        && let Ok(v) = serde_json::from_str(value)
    {
        return v;
    }
    Value::String(value.to_string())
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn union<T: AsRef<str>>(existing: Vec<String>, ours: &[T]) -> Value {
    let mut all = existing;
    for item in ours.iter().map(AsRef::as_ref) {
        if !all.iter().any(|a| a == item) {
            all.push(item.to_string());
        }
    }
    json!(all)
}

/// Merge `settings` into the existing daemon.json text (empty or absent: `{}`).
pub fn merge(existing: &str, settings: &EngineSettings) -> Result<Value, String> {
    let mut config = parse_existing(existing)?;
    let hosts = listeners(&config, settings.port);
    merge_labels(&mut config, &settings.labels);
    if let Some(driver) = &settings.storage_driver {
        config.insert("storage-driver".into(), json!(driver.as_str()));
    }
    add_to_list(&mut config, "registry-mirrors", &settings.registry_mirrors);
    add_to_list(
        &mut config,
        "insecure-registries",
        &settings.insecure_registries,
    );
    apply_opts(&mut config, &settings.opts);
    secure(&mut config, hosts);
    Ok(Value::Object(config))
}

/// Our values added to the host's list under `key` (untouched without ours).
fn add_to_list<T: AsRef<str>>(config: &mut Map<String, Value>, key: &str, ours: &[T]) {
    if !ours.is_empty() {
        let merged = union(strings(config.get(key)), ours);
        config.insert(key.into(), merged);
    }
}

/// The host's daemon.json as an object (empty when absent).
fn parse_existing(existing: &str) -> Result<Map<String, Value>, String> {
    if existing.trim().is_empty() {
        return Ok(Map::new());
    }
    match serde_json::from_str::<Value>(existing) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => {
            Err("the host's /etc/docker/daemon.json is not a JSON object: fix or remove it".into())
        }
        Err(e) => Err(format!(
            "the host's /etc/docker/daemon.json is not valid JSON ({e}): fix or remove it"
        )),
    }
}

/// The user's extra listeners, but not a TCP listener on another port
/// (ours replaces it) nor fd:// (it needs socket activation); then ours.
fn listeners(config: &Map<String, Value>, port: u16) -> Vec<String> {
    let mut hosts: Vec<String> = strings(config.get("hosts"))
        .into_iter()
        .filter(|h| !h.starts_with("tcp://0.0.0.0:") && !h.starts_with("fd://"))
        .collect();
    for ours in [
        "unix:///var/run/docker.sock".to_string(),
        format!("tcp://0.0.0.0:{port}"),
    ] {
        if !hosts.contains(&ours) {
            hosts.push(ours);
        }
    }
    hosts
}

/// Labels: ours replace an existing label with the same key.
fn merge_labels(config: &mut Map<String, Value>, ours: &[String]) {
    let key = |l: &str| l.split_once('=').map_or(l, |(k, _)| k).to_string();
    let keys: Vec<String> = ours.iter().map(|l| key(l)).collect();
    let labels: Vec<String> = strings(config.get("labels"))
        .into_iter()
        .filter(|l| !keys.contains(&key(l)))
        .chain(ours.iter().cloned())
        .collect();
    config.insert("labels".into(), json!(labels));
}

/// `--engine-opt`: a key given once sets a value, a key given again makes a list.
fn apply_opts(config: &mut Map<String, Value>, opts: &[EngineOpt]) {
    let mut given: Vec<String> = Vec::new();
    for opt in opts {
        let key = opt.key();
        let value = opt.value().map_or(Value::Bool(true), typed);
        if given.iter().any(|g| g == key) {
            let slot = config.get_mut(key).expect("given keys are set");
            match slot {
                Value::Array(items) => items.push(value),
                other => *other = json!([other.clone(), value]),
            }
        } else {
            given.push(key.to_string());
            config.insert(key.to_string(), value);
        }
    }
}

/// TLS and listeners last, so nothing before can weaken them (EngineOpt
/// already refuses these keys; this is the second wall). dockerd matches
/// daemon.json keys case-insensitively: any other spelling goes too.
fn secure(config: &mut Map<String, Value>, hosts: Vec<String>) {
    const OURS: [&str; 6] = [
        "hosts",
        "tls",
        "tlsverify",
        "tlscacert",
        "tlscert",
        "tlskey",
    ];
    config.retain(|k, _| !OURS.contains(&k.to_ascii_lowercase().as_str()));
    config.insert("hosts".into(), json!(hosts));
    config.insert("tls".into(), json!(true));
    config.insert("tlsverify".into(), json!(true));
    config.insert("tlscacert".into(), json!(REMOTE_CA));
    config.insert("tlscert".into(), json!(REMOTE_CERT));
    config.insert("tlskey".into(), json!(REMOTE_KEY));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> EngineSettings {
        EngineSettings {
            port: 2376,
            labels: vec!["provider=local".into()],
            ..Default::default()
        }
    }

    #[test]
    fn empty_host_gets_tls_listeners() {
        let v = merge("", &settings()).unwrap();
        assert_eq!(
            v["hosts"],
            json!(["unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"])
        );
        assert_eq!(v["tlsverify"], json!(true));
        assert_eq!(v["tlscert"], json!(REMOTE_CERT));
        assert_eq!(v["labels"], json!(["provider=local"]));
    }

    #[test]
    fn user_settings_survive_and_lists_are_unioned() {
        let existing = r#"{"log-driver":"journald","hosts":["fd://","tcp://0.0.0.0:2375","unix:///run/other.sock"],
            "registry-mirrors":["https://m1"],"labels":["provider=old","team=a"]}"#;
        let mut s = settings();
        s.registry_mirrors = vec![
            "https://m1".try_into().unwrap(),
            "https://m2".try_into().unwrap(),
        ];
        s.insecure_registries = vec!["reg:5000".try_into().unwrap()];
        s.storage_driver = Some("overlay2".try_into().unwrap());
        let v = merge(existing, &s).unwrap();
        assert_eq!(v["log-driver"], json!("journald"));
        assert_eq!(
            v["hosts"],
            json!([
                "unix:///run/other.sock",
                "unix:///var/run/docker.sock",
                "tcp://0.0.0.0:2376"
            ])
        );
        assert_eq!(v["registry-mirrors"], json!(["https://m1", "https://m2"]));
        assert_eq!(v["insecure-registries"], json!(["reg:5000"]));
        assert_eq!(v["labels"], json!(["team=a", "provider=local"]));
        assert_eq!(v["storage-driver"], json!("overlay2"));
    }

    #[test]
    fn engine_opts_are_typed_and_repeat_into_lists() {
        let mut s = settings();
        s.opts = [
            "debug=true",
            "max-concurrent-downloads=5",
            "--dns=1.1.1.1",
            "dns=8.8.8.8",
            "log-opts={\"max-size\":\"10m\"}",
            "experimental",
        ]
        .into_iter()
        .map(|o| EngineOpt::try_from(o).unwrap())
        .collect();
        let v = merge("{}", &s).unwrap();
        assert_eq!(v["debug"], json!(true));
        assert_eq!(v["max-concurrent-downloads"], json!(5));
        assert_eq!(v["dns"], json!(["1.1.1.1", "8.8.8.8"]));
        assert_eq!(v["log-opts"], json!({"max-size": "10m"}));
        assert_eq!(v["experimental"], json!(true));
    }

    #[test]
    fn tls_and_listeners_always_win() {
        // A host file (or anything before us) that turns TLS off, in any spelling.
        let existing = r#"{"tlsverify": false, "TLSVerify": false, "Tls": false, "tlscert": "/x",
            "TLSCACERT": "/y", "tlskey": "/z"}"#;
        let v = merge(existing, &settings()).unwrap();
        assert_eq!(v["tlsverify"], json!(true));
        assert_eq!(v["tls"], json!(true));
        assert_eq!(v["tlscert"], json!(REMOTE_CERT));
        assert_eq!(v["tlscacert"], json!(REMOTE_CA));
        assert_eq!(v["tlskey"], json!(REMOTE_KEY));
        assert!(
            v.get("TLSVerify").is_none() && v.get("Tls").is_none() && v.get("TLSCACERT").is_none(),
            "{v}"
        );
    }

    #[test]
    fn broken_existing_file_is_an_error_naming_the_fix() {
        assert!(
            merge("{not json", &settings())
                .unwrap_err()
                .contains("fix or remove")
        );
        assert!(
            merge("[1]", &settings())
                .unwrap_err()
                .contains("not a JSON object")
        );
    }
}
