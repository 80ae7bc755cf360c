//! The digitalocean driver against two fakes that bind 127.0.0.1 only:
//!
//! - **Prism** serving DigitalOcean's published OpenAPI description
//!   (`../shared/specs/digitalocean/openapi.yaml`): every request create,
//!   ls, status, stop, start, restart, kill and rm make must pass its
//!   validation (no 422, no `sl-violations`). Prism answers with the spec's
//!   examples, whose addresses are not ours, so that test re-runs itself in
//!   a network namespace with only loopback and stands one of its own
//!   namespace hosts up at the droplet address Prism returns: SSH
//!   provisioning and the TLS engine check run for real. Prism is stateless,
//!   so a small recording proxy in front of it plays what the examples
//!   cannot (an action that completes, a droplet that is off after a
//!   shutdown) by changing one enum value of Prism's answer; the request
//!   itself always goes to Prism and is judged there.
//! - A **scripted fake** with state (keys, droplets, firewalls, tags,
//!   actions) for what Prism cannot play: a droplet going from `new` to
//!   `active`, actions in progress then completed, pagination, 429, a
//!   failure midway, and rm after a crash. Its droplets have loopback
//!   addresses, so those tests need no isolation.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{Run, TestStore};
use crate::http_fake::{Req, Resp, Server};
use crate::isolated;

pub(crate) const TOKEN: &str =
    "dop_v1_4c1e5e7e0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071829304";

// ---------------------------------------------------------------------------
// Prism.

pub(crate) fn spec() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/specs/digitalocean/openapi.yaml")
}

pub(crate) fn prism_bin() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PRISM") {
        return Some(PathBuf::from(path));
    }
    let local = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".ci/node/node_modules/.bin/prism");
    if local.is_file() {
        return Some(local);
    }
    crate::common::which("prism")
}

/// Why the Prism test cannot run here, if it cannot.
fn prism_unavailable() -> Option<String> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Some("isolated network namespaces need root".into());
    }
    if crate::common::which("unshare").is_none() {
        return Some("unshare (util-linux) is not installed".into());
    }
    if prism_bin().is_none() {
        return Some("Prism is not installed: run .ci/setup (npm ci in .ci/node)".into());
    }
    if !spec().is_file() {
        return Some(format!(
            "DigitalOcean's OpenAPI description is not at {}",
            spec().display()
        ));
    }
    crate::common::host_tests_unavailable()
}

/// A Prism mock server on loopback, stopped on drop.
pub(crate) struct Prism {
    child: Child,
    pub(crate) port: u16,
}

impl Prism {
    pub(crate) fn start() -> Prism {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(prism_bin().unwrap())
            .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
            .arg(spec())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start prism");
        let deadline = Instant::now() + Duration::from_secs(120);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "prism did not start");
            std::thread::sleep(Duration::from_millis(200));
        }
        Prism { child, port }
    }
}

/// Send `req` to the Prism on `port` as it came; Prism's whole answer.
pub(crate) fn forward(port: u16, req: &Req) -> Resp {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut head = format!("{} {} HTTP/1.0\r\n", req.method, req.target);
    for (k, v) in &req.headers {
        if !k.eq_ignore_ascii_case("connection") && !k.eq_ignore_ascii_case("host") {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
    }
    head.push_str(&format!("Host: 127.0.0.1:{port}\r\n\r\n"));
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&req.body).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("an HTTP answer from prism");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Resp {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Prism behind a recording proxy that plays the state Prism's static
/// examples cannot: actions complete, and a droplet is off between a
/// shutdown/power_off and the next power_on. It holds only Prism's port:
/// the test owns Prism, whose drop stops it.
fn prism_proxy(port: u16) -> Server {
    let mut off = false;
    Server::start(move |req| {
        let mut resp = forward(port, req);
        if resp.status >= 300 {
            return resp;
        }
        let path = req.path();
        if req.method == "POST" && path.ends_with("/actions") {
            match req.json()["type"].as_str() {
                Some("shutdown" | "power_off") => off = true,
                Some("power_on" | "reboot" | "power_cycle") => off = false,
                _ => {}
            }
        }
        let mut text = String::from_utf8_lossy(&resp.body).into_owned();
        if path.starts_with("/v2/actions/") {
            text = text.replace("\"in-progress\"", "\"completed\"");
        }
        if off && req.method == "GET" && path.starts_with("/v2/droplets") {
            text = text.replace("\"status\":\"active\"", "\"status\":\"off\"");
        }
        resp.body = text.into_bytes();
        resp
    })
}

pub(crate) fn assert_no_violations(server: &Server) {
    let bad: Vec<String> = server
        .requests()
        .iter()
        .filter(|l| l.status == 422 || l.violations.is_some())
        .map(|l| {
            format!(
                "{} {} -> {} {}",
                l.req.method,
                l.req.target,
                l.status,
                l.violations.clone().unwrap_or_default()
            )
        })
        .collect();
    assert!(
        bad.is_empty(),
        "requests that break the published API:\n{}",
        bad.join("\n")
    );
    for l in server.requests() {
        assert_eq!(
            l.req.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str()),
            "{} {}",
            l.req.method,
            l.req.target
        );
    }
}

pub(crate) use crate::http_fake::summary;

fn machinectl(store: &TestStore, api: &str, args: &[&str]) -> Run {
    let mut command = store.command();
    command
        .env("DIGITALOCEAN_ACCESS_TOKEN", TOKEN)
        .env("DIGITALOCEAN_API_URL", api)
        .env("MACHINECTL_DIGITALOCEAN_SHUTDOWN_GRACE", "1")
        .args(args);
    let run = Run::from(command.output().unwrap());
    run.assert_hides(&[TOKEN], args);
    run
}

fn record(store: &TestStore, name: &str) -> Value {
    store.record_hiding(name, &[TOKEN])
}

/// The whole path against DigitalOcean's published API: flags → droplet →
/// SSH provisioning of a namespace host at the droplet's address → the
/// engine over mutual TLS → ls, status, stop, start, restart, kill → rm.
/// Every request must pass Prism's validation.
#[test]
fn whole_path_held_to_the_published_api() {
    const TEST: &str = "digitalocean::whole_path_held_to_the_published_api";
    crate::require!(prism_unavailable(), "run the DigitalOcean spec test");
    if !isolated::enter(TEST) {
        return;
    }
    let prism = Prism::start();
    let proxy = prism_proxy(prism.port);
    let store = TestStore::new();

    let mut command = store.command();
    command
        .env("DIGITALOCEAN_ACCESS_TOKEN", TOKEN)
        .args([
            "--debug",
            "create",
            "-d",
            "digitalocean",
            "--digitalocean-api-url",
            &proxy.url,
            "--digitalocean-ssh-user",
            "root",
            "--digitalocean-tags",
            "team:it",
            "--digitalocean-ipv6",
            "--digitalocean-monitoring",
            "--ssh-timeout",
            "120",
            "drop",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut create = command.spawn().unwrap();

    // Wait for the record to name the droplet's public address.
    let deadline = Instant::now() + Duration::from_secs(90);
    let ip = loop {
        assert!(
            Instant::now() < deadline,
            "the droplet never got an address:\n{}",
            summary(&proxy.requests())
        );
        if create.try_wait().unwrap().is_some() {
            let out = create.wait_with_output().unwrap();
            assert_no_violations(&proxy);
            panic!(
                "create ended before the droplet had an address:\n{}\n{}",
                String::from_utf8_lossy(&out.stderr),
                summary(&proxy.requests())
            );
        }
        if let Ok(text) = std::fs::read_to_string(store.machine_dir("drop").join("machine.json")) {
            let record: Value = serde_json::from_str(&text).unwrap_or_default();
            if let Some(ip) = record["driver"]["resources"]["public_ipv4"].as_str() {
                break ip.to_string();
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let ip: std::net::Ipv4Addr = ip.parse().unwrap();
    let octets = ip.octets();
    let public_key =
        std::fs::read_to_string(store.machine_dir("drop").join("id_ed25519.pub")).unwrap();
    let spec = machinectl_driver_local::HostSpec {
        hostname: "droplet".into(),
        root_dir: store.dir.path().join("droplet-host"),
        subnet: format!("{}.{}.{}.0/24", octets[0], octets[1], octets[2])
            .parse()
            .unwrap(),
        authorized_key: public_key,
        ip: Some(ip),
    };
    let host =
        machinectl_driver_local::host::bring_up(&spec).expect("bring up the stand-in droplet");

    let output = create.wait_with_output().unwrap();
    let create_run = Run::from(output);
    let create_calls = proxy.count();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        assert!(
            create_run.success,
            "create failed:\n{}\n{}",
            create_run.stderr,
            summary(&proxy.requests())
        );
        assert!(!create_run.stderr.contains(TOKEN) && !create_run.stdout.contains(TOKEN));
        assert!(
            create_run.stderr.contains("DigitalOcean API calls so far"),
            "{}",
            create_run.stderr
        );
        let rec = record(&store, "drop");
        assert!(
            rec["driver"]["token"]
                .as_str()
                .unwrap()
                .starts_with("sealed:v1:"),
            "{rec}"
        );
        let log = proxy.requests();
        let body = log
            .iter()
            .find(|l| l.req.method == "POST" && l.req.path() == "/v2/droplets")
            .expect("a droplet was created")
            .req
            .json();
        assert_eq!(body["region"], "nyc3");
        assert_eq!(body["size"], "s-1vcpu-1gb");
        assert_eq!(body["image"], "ubuntu-24-04-x64");
        assert_eq!(body["ipv6"], true);
        assert_eq!(body["monitoring"], true);
        assert_eq!(
            body["tags"],
            json!([
                "machinectl",
                "machinectl:machine:drop",
                "machinectl-2376",
                "team:it"
            ])
        );
        // With no user-data of its own the droplet boots installing the
        // engine (the namespace host has it already, as a droplet would by
        // the time SSH answers).
        crate::common::assert_boot_install_script(
            body["user_data"].as_str(),
            "https://get.docker.com",
        );
        let firewall = log
            .iter()
            .find(|l| l.req.method == "POST" && l.req.path() == "/v2/firewalls")
            .expect("a firewall was made")
            .req
            .json();
        assert_eq!(firewall["tags"], json!(["machinectl-2376"]));
        assert_eq!(firewall["inbound_rules"][1]["ports"], "2376");

        // The engine answers over mutual TLS, through the address Prism gave.
        let version = store.docker("drop", &["version", "--format", "{{.Server.Version}}"]);
        assert!(version.success, "{}", version.stderr);
        assert_eq!(
            store.ok(["ssh", "drop", "--", "hostname"]).stdout.trim(),
            "drop"
        );

        let before = proxy.count();
        let ls = machinectl(
            &store,
            &proxy.url,
            &["ls", "--format", "{{.Name}} {{.State}}"],
        );
        assert!(ls.success, "{}", ls.stderr);
        assert_eq!(ls.stdout.trim(), "drop Running");
        let ls_calls = proxy.count() - before;
        assert_eq!(
            ls_calls,
            1,
            "ls asks once per account:\n{}",
            summary(&proxy.requests()[before..])
        );

        let status = machinectl(&store, &proxy.url, &["status", "drop"]);
        assert_eq!(status.stdout.trim(), "Running", "{}", status.stderr);
        for verb in ["stop", "start", "restart", "kill"] {
            let run = machinectl(&store, &proxy.url, &[verb, "drop"]);
            assert!(run.success, "{verb}: {}", run.stderr);
        }
        let status = machinectl(&store, &proxy.url, &["status", "drop"]);
        assert_eq!(status.stdout.trim(), "Stopped", "{}", status.stderr);

        let before = proxy.count();
        let rm = machinectl(&store, &proxy.url, &["--debug", "rm", "-y", "drop"]);
        assert!(rm.success, "{}", rm.stderr);
        let rm_log = proxy.requests()[before..].to_vec();
        eprintln!(
            "API calls: create {create_calls}, ls {ls_calls}, rm {}:\n{}",
            rm_log.len(),
            summary(&rm_log)
        );
        assert!(
            rm_log
                .iter()
                .any(|l| l.req.method == "DELETE" && l.req.path() == "/v2/droplets/3164444")
        );
        assert!(
            rm_log
                .iter()
                .any(|l| l.req.method == "DELETE" && l.req.path() == "/v2/account/keys/512189")
        );
        assert!(!store.machine_dir("drop").exists());
        assert_no_violations(&proxy);
    }));
    machinectl_driver_local::host::teardown(&host).unwrap();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

// ---------------------------------------------------------------------------
// The scripted fake: DigitalOcean with state, for what Prism cannot play.

#[derive(Debug, Default)]
pub(crate) struct Account {
    next_id: u64,
    keys: BTreeMap<u64, String>,
    /// Key names by id (what `GET /v2/account/keys` lists).
    key_names: BTreeMap<u64, String>,
    /// authorized_keys files of the test's own hosts: each added key is
    /// appended there, as a droplet gets its keys at boot.
    pub(crate) key_sinks: Vec<PathBuf>,
    /// Addresses of the test's own hosts given to new droplets in turn
    /// (public and private alike); none: loopback.
    pub(crate) addresses: Vec<String>,
    /// id → (status, polls left before `new` turns `active`, tags, address)
    pub(crate) droplets: BTreeMap<u64, Droplet>,
    pub(crate) firewalls: BTreeMap<String, Value>,
    pub(crate) tags: Vec<String>,
    /// id → (polls left before completed, type)
    actions: BTreeMap<u64, (u32, String)>,
    /// Polls a new droplet and an action stay in progress.
    slow: u32,
    /// Action types that never complete.
    stuck: Vec<String>,
    /// Answer the next N requests with 429 and these headers.
    rate_limited: u32,
    rate_limit_headers: Vec<(String, String)>,
    /// Answer POST /v2/droplets with this status and message.
    pub(crate) fail_droplet: Option<(u16, String)>,
    /// Answer POST /v2/firewalls with this status and message.
    pub(crate) fail_firewall: Option<(u16, String)>,
    /// Answer every request with this status (401, 403).
    refuse_all: Option<u16>,
    /// Droplets per page of a list (pages regardless of per_page).
    page_size: usize,
    /// Hang (this long) before answering GET /v2/firewalls.
    hang_firewalls: Option<Duration>,
}

#[derive(Debug, Clone)]
pub(crate) struct Droplet {
    status: String,
    polls: u32,
    pub(crate) tags: Vec<String>,
    ip: String,
    private_ip: String,
    pub(crate) name: String,
}

impl Account {
    fn id(&mut self) -> u64 {
        self.next_id += 1;
        1000 + self.next_id
    }

    fn droplet_json(id: u64, d: &Droplet) -> Value {
        // Addresses show before the droplet is active: only its status says it is ready.
        let networks = json!({"v4": [
            {"ip_address": d.ip, "netmask": "255.0.0.0", "gateway": "127.0.0.1", "type": "public"},
            {"ip_address": d.private_ip, "netmask": "255.0.0.0", "gateway": "127.0.0.1", "type": "private"}
        ], "v6": []});
        json!({"id": id, "name": d.name, "status": d.status, "tags": d.tags, "networks": networks})
    }

    fn page(items: Vec<Value>, key: &str, req: &Req, size: usize) -> Resp {
        let page: usize = req.query("page").and_then(|p| p.parse().ok()).unwrap_or(1);
        let size = if size == 0 { 200 } else { size };
        let total = items.len();
        let these: Vec<Value> = items
            .into_iter()
            .skip((page - 1) * size)
            .take(size)
            .collect();
        let mut pages = json!({});
        if page * size < total {
            pages["next"] = json!(format!(
                "https://api.digitalocean.com{}?page={}",
                req.path(),
                page + 1
            ));
        }
        Resp::json(
            200,
            json!({ key: these, "links": {"pages": pages}, "meta": {"total": total} }),
        )
    }

    pub(crate) fn handle(&mut self, req: &Req) -> Resp {
        if let Some(status) = self.refuse_all {
            // A provider that echoes the credential back: machinectl must mask it.
            let token = req
                .header("authorization")
                .unwrap_or_default()
                .trim_start_matches("Bearer ");
            let message = if status == 401 {
                "Unable to authenticate you".to_string()
            } else {
                format!("token {token} is not authorized to perform this operation")
            };
            return Resp::json(status, json!({"id": "refused", "message": message}));
        }
        if self.rate_limited > 0 {
            self.rate_limited -= 1;
            let mut resp = Resp::json(
                429,
                json!({"id": "too_many_requests", "message": "API Rate limit exceeded."}),
            );
            resp.headers.extend(self.rate_limit_headers.clone());
            return resp;
        }
        let path = req.path().to_string();
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        match (req.method.as_str(), segments.as_slice()) {
            ("POST", ["v2", "account", "keys"]) => {
                let id = self.id();
                let public = req.json()["public_key"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                for sink in &self.key_sinks {
                    let mut file = std::fs::OpenOptions::new().append(true).open(sink).unwrap();
                    writeln!(file, "{public}").unwrap();
                }
                self.keys.insert(id, public);
                let name = req.json()["name"].as_str().unwrap_or_default().to_string();
                self.key_names.insert(id, name);
                Resp::json(
                    201,
                    json!({"ssh_key": {"id": id, "fingerprint": "3b:16:bf:e4:8b:00:8b:b8:59:8c:a9:d3:f0:19:45:fa", "name": req.json()["name"]}}),
                )
            }
            ("GET", ["v2", "account", "keys"]) => {
                let items = self
                    .keys
                    .keys()
                    .map(|id| json!({"id": id, "name": self.key_names.get(id), "fingerprint": "3b:16:bf:e4:8b:00:8b:b8:59:8c:a9:d3:f0:19:45:fa", "public_key": self.keys[id]}))
                    .collect();
                Self::page(items, "ssh_keys", req, self.page_size)
            }
            ("POST", ["v2", "tags"]) => {
                let name = req.json()["name"].as_str().unwrap_or_default().to_string();
                if !self.tags.contains(&name) {
                    self.tags.push(name.clone());
                }
                Resp::json(
                    201,
                    json!({"tag": {"name": name, "resources": {"count": 0}}}),
                )
            }
            ("DELETE", ["v2", "account", "keys", id]) => {
                match self.keys.remove(&id.parse().unwrap_or(0)) {
                    Some(_) => Resp::empty(204),
                    None => Resp::json(
                        404,
                        json!({"id": "not_found", "message": "The resource you were accessing could not be found."}),
                    ),
                }
            }
            ("POST", ["v2", "droplets"]) => {
                if let Some((status, message)) = self.fail_droplet.clone() {
                    return Resp::json(
                        status,
                        json!({"id": "unprocessable_entity", "message": message}),
                    );
                }
                let body = req.json();
                let id = self.id();
                let tags: Vec<String> =
                    serde_json::from_value(body["tags"].clone()).unwrap_or_default();
                for tag in &tags {
                    if !self.tags.contains(tag) {
                        self.tags.push(tag.clone());
                    }
                }
                let (ip, private_ip) = match self.addresses.pop() {
                    Some(ip) => (ip.clone(), ip),
                    None => ("127.0.0.1".into(), "127.0.0.2".into()),
                };
                let d = Droplet {
                    status: "new".into(),
                    polls: self.slow,
                    tags,
                    ip,
                    private_ip,
                    name: body["name"].as_str().unwrap_or_default().into(),
                };
                let json = Self::droplet_json(id, &d);
                self.droplets.insert(id, d);
                Resp::json(202, json!({"droplet": json, "links": {"actions": []}}))
            }
            ("GET", ["v2", "droplets"]) => {
                let tag = req.query("tag_name");
                let items = self
                    .droplets
                    .iter()
                    .filter(|(_, d)| tag.as_ref().is_none_or(|t| d.tags.contains(t)))
                    .map(|(id, d)| Self::droplet_json(*id, d))
                    .collect();
                Self::page(items, "droplets", req, self.page_size)
            }
            ("GET", ["v2", "droplets", id]) => {
                let Some(d) = self.droplets.get_mut(&id.parse().unwrap_or(0)) else {
                    return Resp::json(
                        404,
                        json!({"id": "not_found", "message": "The resource you were accessing could not be found."}),
                    );
                };
                if d.status == "new" {
                    if d.polls == 0 {
                        d.status = "active".into();
                    } else {
                        d.polls -= 1;
                    }
                }
                let d = d.clone();
                Resp::json(
                    200,
                    json!({"droplet": Self::droplet_json(id.parse().unwrap(), &d)}),
                )
            }
            ("DELETE", ["v2", "droplets", id]) => {
                match self.droplets.remove(&id.parse().unwrap_or(0)) {
                    Some(_) => Resp::empty(204),
                    None => Resp::json(404, json!({"id": "not_found", "message": "not found"})),
                }
            }
            ("POST", ["v2", "droplets", id, "actions"]) => {
                let kind = req.json()["type"].as_str().unwrap_or_default().to_string();
                let droplet_id: u64 = id.parse().unwrap_or(0);
                let Some(d) = self.droplets.get_mut(&droplet_id) else {
                    return Resp::json(404, json!({"id": "not_found", "message": "not found"}));
                };
                let stuck = self.stuck.contains(&kind);
                if !stuck {
                    d.status = if kind == "power_on" || kind == "reboot" {
                        "active".into()
                    } else {
                        "off".into()
                    };
                }
                let action = self.id();
                let polls = if stuck { u32::MAX } else { self.slow };
                self.actions.insert(action, (polls, kind.clone()));
                Resp::json(
                    201,
                    json!({"action": {"id": action, "status": "in-progress", "type": kind, "resource_id": droplet_id, "resource_type": "droplet"}}),
                )
            }
            ("GET", ["v2", "actions", id]) => {
                let Some((polls, kind)) = self.actions.get_mut(&id.parse().unwrap_or(0)) else {
                    return Resp::json(404, json!({"id": "not_found", "message": "not found"}));
                };
                let status = if *polls == 0 {
                    "completed"
                } else {
                    *polls =
                        polls
                            .saturating_sub(1)
                            .max(if *polls == u32::MAX { u32::MAX } else { 0 });
                    "in-progress"
                };
                Resp::json(
                    200,
                    json!({"action": {"id": id.parse::<u64>().unwrap(), "status": status, "type": kind}}),
                )
            }
            ("GET", ["v2", "firewalls"]) => {
                if let Some(pause) = self.hang_firewalls {
                    std::thread::sleep(pause);
                }
                let items = self.firewalls.values().cloned().collect();
                Self::page(items, "firewalls", req, self.page_size)
            }
            ("POST", ["v2", "firewalls"]) => {
                if let Some((status, message)) = self.fail_firewall.clone() {
                    return Resp::json(
                        status,
                        json!({"id": "unprocessable_entity", "message": message}),
                    );
                }
                let mut firewall = req.json();
                // A firewall may name only tags that exist (existing_tags_array).
                let named = firewall["tags"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .into_iter()
                    .chain(
                        firewall["inbound_rules"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .flat_map(|r| {
                                r["sources"]["tags"].as_array().cloned().unwrap_or_default()
                            }),
                    );
                for tag in named {
                    let tag = tag.as_str().unwrap_or_default().to_string();
                    if !self.tags.contains(&tag) {
                        return Resp::json(
                            422,
                            json!({"id": "unprocessable_entity", "message": format!("tag {tag} not found")}),
                        );
                    }
                }
                let id = format!("bb4b2611-3d72-467b-8602-{:012x}", self.id());
                firewall["id"] = json!(id);
                self.firewalls.insert(id, firewall.clone());
                Resp::json(202, json!({"firewall": firewall}))
            }
            ("DELETE", ["v2", "firewalls", id]) => match self.firewalls.remove(*id) {
                Some(_) => Resp::empty(204),
                None => Resp::json(404, json!({"id": "not_found", "message": "not found"})),
            },
            ("DELETE", ["v2", "tags", tag]) => {
                let before = self.tags.len();
                self.tags.retain(|t| t != tag);
                if self.tags.len() < before {
                    Resp::empty(204)
                } else {
                    Resp::json(404, json!({"id": "not_found", "message": "not found"}))
                }
            }
            _ => Resp::json(
                404,
                json!({"id": "not_found", "message": format!("the fake has no {} {}", req.method, req.target)}),
            ),
        }
    }

    /// What is left in the account that machinectl made (the `machinectl`
    /// tag itself stays, as it may carry other machines).
    pub(crate) fn leftovers(&self) -> (usize, usize, usize, Vec<String>) {
        let tags = self
            .tags
            .iter()
            .filter(|t| *t != "machinectl")
            .cloned()
            .collect();
        (
            self.keys.len(),
            self.droplets.len(),
            self.firewalls.len(),
            tags,
        )
    }
}

pub(crate) struct Fake {
    pub(crate) server: Server,
    pub(crate) account: Arc<Mutex<Account>>,
}

pub(crate) fn fake(setup: impl FnOnce(&mut Account)) -> Fake {
    fake_judged(setup, None)
}

/// The scripted fake; with `prism`, every request is also sent to that
/// Prism first and its verdict on the request (422 or `sl-violations`)
/// logged beside the fake's own answer, which is what the client gets.
pub(crate) fn fake_judged(setup: impl FnOnce(&mut Account), prism: Option<u16>) -> Fake {
    let mut account = Account::default();
    setup(&mut account);
    let account = Arc::new(Mutex::new(account));
    let shared = account.clone();
    // The account's lock is held only inside one request, never while one sleeps for a hang.
    let server = Server::start(move |req| {
        let hang = {
            let a = shared.lock().unwrap();
            (req.method == "GET" && req.path() == "/v2/firewalls")
                .then_some(a.hang_firewalls)
                .flatten()
        };
        if let Some(pause) = hang {
            std::thread::sleep(pause);
        }
        let verdict = prism.map(|port| forward(port, req));
        let mut a = shared.lock().unwrap();
        let saved = a.hang_firewalls.take();
        let mut resp = a.handle(req);
        a.hang_firewalls = saved;
        if let Some(verdict) = verdict {
            let violations = verdict
                .headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("sl-violations"))
                .map(|(_, v)| v.clone())
                .or_else(|| (verdict.status == 422).then(|| "422 from Prism".to_string()));
            if let Some(v) = violations {
                resp.headers.push(("sl-violations".into(), v));
            }
        }
        resp
    });
    Fake { server, account }
}

/// A loopback port nothing listens on: SSH to the fake's droplets fails at once.
fn closed_port() -> String {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string()
}

/// Create against the scripted fake, keeping the machine when SSH fails
/// (nothing listens at the droplet's loopback port).
fn create_kept(store: &TestStore, fake: &Fake, name: &str, extra: &[&str]) -> Run {
    let port = closed_port();
    let mut args = vec![
        "create",
        "-d",
        "digitalocean",
        "--digitalocean-ssh-port",
        &port,
        "--ssh-timeout",
        "1",
        "--keep-on-error",
    ];
    args.extend_from_slice(extra);
    args.push(name);
    machinectl(store, &fake.server.url, &args)
}

#[test]
fn droplet_goes_active_power_actions_wait_and_rm_leaves_nothing() {
    let fake = fake(|a| {
        a.slow = 2;
        a.stuck = vec!["shutdown".into()];
    });
    let store = TestStore::new();
    let run = create_kept(&store, &fake, "poll", &[]);
    assert!(!run.success, "SSH cannot succeed here");
    let rec = record(&store, "poll");
    let resources = &rec["driver"]["resources"];
    assert_eq!(resources["public_ipv4"], "127.0.0.1", "{rec}");
    assert!(
        resources["droplet_id"].is_u64()
            && resources["ssh_key_id"].is_u64()
            && resources["firewall_id"].is_string(),
        "{rec}"
    );
    // new, new, then active: the droplet was asked for until it was active.
    assert_eq!(
        fake.server.calls("GET", "/v2/droplets/"),
        3,
        "{}",
        summary(&fake.server.requests())
    );

    // stop: the shutdown never completes, so after the grace the droplet is powered off.
    let run = machinectl(&store, &fake.server.url, &["stop", "poll"]);
    assert!(run.success, "{}", run.stderr);
    let posted: Vec<String> = fake
        .server
        .requests()
        .iter()
        .filter(|l| l.req.method == "POST" && l.req.path().ends_with("/actions"))
        .map(|l| l.req.json()["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(posted, ["shutdown", "power_off"]);
    // The power_off action was polled until it completed (in progress twice, then done).
    let polls = fake.server.calls("GET", "/v2/actions/");
    assert!(polls >= 3, "{}", summary(&fake.server.requests()));
    let status = machinectl(&store, &fake.server.url, &["status", "poll"]);
    assert_eq!(status.stdout.trim(), "Stopped", "{}", status.stderr);

    let run = machinectl(&store, &fake.server.url, &["start", "poll"]);
    assert!(run.success, "{}", run.stderr);
    assert_eq!(
        machinectl(&store, &fake.server.url, &["status", "poll"])
            .stdout
            .trim(),
        "Running"
    );
    let run = machinectl(&store, &fake.server.url, &["kill", "poll"]);
    assert!(run.success, "{}", run.stderr);
    assert_eq!(
        machinectl(&store, &fake.server.url, &["status", "poll"])
            .stdout
            .trim(),
        "Stopped"
    );

    let before = fake.server.count();
    let rm = machinectl(&store, &fake.server.url, &["rm", "-y", "poll"]);
    assert!(rm.success, "{}", rm.stderr);
    eprintln!(
        "rm: {} calls\n{}",
        fake.server.count() - before,
        summary(&fake.server.requests()[before..])
    );
    assert_eq!(fake.account.lock().unwrap().leftovers(), (0, 0, 0, vec![]));
    assert!(!store.machine_dir("poll").exists());
}

#[test]
fn ls_lists_the_account_once_over_pages() {
    let fake = fake(|a| {
        a.page_size = 1;
        // Another store's machine in the same account: listed, never shown.
        a.droplets.insert(
            1,
            Droplet {
                status: "off".into(),
                polls: 0,
                tags: vec!["machinectl".into()],
                ip: "127.0.0.1".into(),
                private_ip: "127.0.0.2".into(),
                name: "theirs".into(),
            },
        );
    });
    let store = TestStore::new();
    for name in ["p1", "p2", "p3"] {
        create_kept(&store, &fake, name, &[]);
    }
    // One droplet of the account is someone else's: listed by tag, it is not shown.
    let before = fake.server.count();
    let ls = machinectl(
        &store,
        &fake.server.url,
        &["ls", "--format", "{{.Name}} {{.State}}"],
    );
    assert!(ls.success, "{}", ls.stderr);
    assert_eq!(ls.stdout.trim(), "p1 Running\np2 Running\np3 Running");
    let calls: Vec<String> = fake.server.requests()[before..]
        .iter()
        .map(|l| l.req.target.clone())
        .collect();
    assert_eq!(
        calls,
        [
            "/v2/droplets?tag_name=machinectl&page=1&per_page=200",
            "/v2/droplets?tag_name=machinectl&page=2&per_page=200",
            "/v2/droplets?tag_name=machinectl&page=3&per_page=200",
            "/v2/droplets?tag_name=machinectl&page=4&per_page=200",
        ]
    );
    // A droplet gone from the account shows as NotFound.
    let first = *fake.account.lock().unwrap().droplets.keys().nth(1).unwrap();
    fake.account.lock().unwrap().droplets.remove(&first);
    let ls = machinectl(
        &store,
        &fake.server.url,
        &["ls", "--format", "{{.Name}} {{.State}}"],
    );
    assert_eq!(
        ls.stdout.trim(),
        "p1 NotFound\np2 Running\np3 Running",
        "{}",
        ls.stderr
    );
    for name in ["p1", "p2", "p3"] {
        assert!(machinectl(&store, &fake.server.url, &["rm", "-y", name]).success);
    }
    assert_eq!(
        fake.account.lock().unwrap().leftovers(),
        (0, 1, 0, vec![]),
        "only the other store's droplet is left"
    );
}

#[test]
fn rate_limits_are_waited_out_until_the_reset() {
    let reset = (std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 2)
    .to_string();
    let fake = fake(|a| {
        a.rate_limited = 2;
        a.rate_limit_headers = vec![
            ("ratelimit-limit".into(), "5000".into()),
            ("ratelimit-remaining".into(), "0".into()),
            ("ratelimit-reset".into(), reset),
        ];
    });
    let store = TestStore::new();
    // Real pauses here (not the tests' shortened ones): the reset is waited for.
    let port = closed_port();
    let started = Instant::now();
    let mut command = store.command();
    command
        .env_remove("MACHINECTL_NO_RETRY_DELAY")
        .env("DIGITALOCEAN_ACCESS_TOKEN", TOKEN)
        .args([
            "create",
            "-d",
            "digitalocean",
            "--digitalocean-api-url",
            &fake.server.url,
        ])
        .args([
            "--digitalocean-ssh-port",
            &port,
            "--ssh-timeout",
            "1",
            "--keep-on-error",
            "limited",
        ]);
    let run = Run::from(command.output().unwrap());
    let log = fake.server.requests();
    let retried_at = log.iter().position(|l| l.status == 201).unwrap();
    assert!(retried_at == 2, "{}", summary(&log));
    assert!(
        started.elapsed() >= Duration::from_millis(1500),
        "the 429s were not waited out: {:?}",
        started.elapsed()
    );
    let log = fake.server.requests();
    assert_eq!(
        log.iter().filter(|l| l.status == 429).count(),
        2,
        "{}",
        summary(&log)
    );
    // The same call was made again after the 429s, and create went on.
    assert!(
        log[..3]
            .iter()
            .all(|l| l.req.method == "POST" && l.req.path() == "/v2/account/keys"),
        "{}",
        summary(&log)
    );
    assert_eq!(log[2].status, 201);
    assert!(
        record(&store, "limited")["driver"]["resources"]["droplet_id"].is_u64(),
        "{}",
        run.stderr
    );
    assert!(machinectl(&store, &fake.server.url, &["rm", "-y", "limited"]).success);

    // A limit that never lifts ends in one line, after a bounded number of tries.
    let fake = crate::digitalocean::fake(|a| {
        a.rate_limited = 100;
        a.rate_limit_headers = vec![("retry-after".into(), "1".into())];
    });
    let run = create_kept(&store, &fake, "never", &[]);
    let line = run.one_line_error();
    assert!(
        line.contains("429") && line.contains("rate limit"),
        "{line}"
    );
    assert_eq!(
        fake.server.count(),
        5,
        "{}",
        summary(&fake.server.requests())
    );
}

#[test]
fn a_droplet_refused_after_the_key_rolls_back_the_key_and_nothing_else() {
    let fake = fake(|a| a.fail_droplet = Some((422, "Region is not available".into())));
    let store = TestStore::new();
    let run = machinectl(
        &store,
        &fake.server.url,
        &[
            "create",
            "-d",
            "digitalocean",
            "--digitalocean-region",
            "ams2",
            "roll",
        ],
    );
    let line = run.one_line_error();
    assert!(
        line.contains("Region is not available") && line.contains("--digitalocean-"),
        "{line}"
    );
    let log = fake.server.requests();
    let calls: Vec<String> = log
        .iter()
        .map(|l| format!("{} {}", l.req.method, l.req.path()))
        .collect();
    assert_eq!(calls.len(), 3, "{calls:?}");
    assert_eq!(calls[0], "POST /v2/account/keys");
    assert_eq!(calls[1], "POST /v2/droplets");
    assert!(
        calls[2].starts_with("DELETE /v2/account/keys/"),
        "{calls:?}"
    );
    assert_eq!(fake.account.lock().unwrap().leftovers(), (0, 0, 0, vec![]));
    assert!(!store.machine_dir("roll").exists());
}

#[test]
fn rm_after_a_crash_removes_what_was_recorded() {
    // The create is killed while it looks for the firewall: the key and the droplet are recorded.
    let fake = fake(|a| a.hang_firewalls = Some(Duration::from_secs(3)));
    let store = TestStore::new();
    let mut command = store.command();
    command
        .env("DIGITALOCEAN_ACCESS_TOKEN", TOKEN)
        .args([
            "create",
            "-d",
            "digitalocean",
            "--digitalocean-api-url",
            &fake.server.url,
            "crash",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut create = command.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        assert!(
            Instant::now() < deadline,
            "create never reached the firewall"
        );
        let recorded = std::fs::read_to_string(store.machine_dir("crash").join("machine.json"))
            .ok()
            .and_then(|t| serde_json::from_str::<Value>(&t).ok())
            .is_some_and(|r| r["driver"]["resources"]["droplet_id"].is_u64());
        if recorded {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    create.kill().unwrap();
    create.wait().unwrap();
    let rec = record(&store, "crash");
    assert!(rec["driver"]["resources"]["firewall_id"].is_null(), "{rec}");
    fake.account.lock().unwrap().hang_firewalls = None;
    let before = fake.server.count();
    let rm = machinectl(&store, &fake.server.url, &["rm", "-y", "crash"]);
    assert!(rm.success, "{}", rm.stderr);
    // (The killed create's own firewall list may be answered meanwhile.)
    let calls: Vec<String> = fake.server.requests()[before..]
        .iter()
        .map(|l| format!("{} {}", l.req.method, l.req.path()))
        .filter(|c| c != "GET /v2/firewalls")
        .collect();
    // What was recorded goes; no firewall was recorded, so none is deleted,
    // but the firewall's tag the droplet brought is, as no droplet carries it.
    assert_eq!(
        calls,
        [
            "DELETE /v2/droplets/1002",
            "DELETE /v2/account/keys/1001",
            "DELETE /v2/tags/machinectl:machine:crash",
            "GET /v2/droplets",
            "DELETE /v2/tags/machinectl-2376",
        ]
    );
    assert_eq!(fake.account.lock().unwrap().leftovers(), (0, 0, 0, vec![]));
    assert!(!store.machine_dir("crash").exists());

    // Only the key recorded (the droplet was refused and rollback was kept from running): rm deletes the key.
    let fake = crate::digitalocean::fake(|a| a.fail_droplet = Some((500, "internal".into())));
    let run = machinectl(
        &store,
        &fake.server.url,
        &["create", "-d", "digitalocean", "--keep-on-error", "half"],
    );
    assert!(!run.success);
    let rec = record(&store, "half");
    assert!(
        rec["driver"]["resources"]["ssh_key_id"].is_u64()
            && rec["driver"]["resources"]["droplet_id"].is_null(),
        "{rec}"
    );
    let rm = machinectl(&store, &fake.server.url, &["rm", "-y", "half"]);
    assert!(rm.success, "{}", rm.stderr);
    assert_eq!(fake.account.lock().unwrap().leftovers(), (0, 0, 0, vec![]));
}

#[test]
fn refused_tokens_are_one_line_naming_the_fix() {
    let store = TestStore::new();
    let fake = fake(|a| a.refuse_all = Some(401));
    let run = machinectl(
        &store,
        &fake.server.url,
        &["create", "-d", "digitalocean", "t401"],
    );
    let line = run.one_line_error();
    assert!(
        line.contains("401") && line.contains("DIGITALOCEAN_ACCESS_TOKEN"),
        "{line}"
    );
    let fake = crate::digitalocean::fake(|a| a.refuse_all = Some(403));
    let run = machinectl(
        &store,
        &fake.server.url,
        &["create", "-d", "digitalocean", "t403"],
    );
    let line = run.one_line_error();
    assert!(line.contains("lacks write scope"), "{line}");
    // The token given as a flag (no variable to mask by value): still never printed.
    let mut command = store.command();
    command.env_remove("DIGITALOCEAN_ACCESS_TOKEN").args([
        "create",
        "-d",
        "digitalocean",
        "--digitalocean-api-url",
        &fake.server.url,
        "--digitalocean-access-token",
        TOKEN,
        "t403flag",
    ]);
    let run = Run::from(command.output().unwrap());
    assert!(
        run.one_line_error().contains("lacks write scope"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains(TOKEN) && !run.stdout.contains(TOKEN),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_flags_are_refused_before_any_call() {
    let fake = fake(|_| {});
    let store = TestStore::new();
    let big = store.dir.path().join("user-data");
    std::fs::write(&big, vec![b'#'; 64 * 1024 + 1]).unwrap();
    let big = big.to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["--digitalocean-userdata", big], "at most 64 KiB"),
        (&["--digitalocean-region", "NYC 3"], "not a region slug"),
        (&["--digitalocean-image", "ubuntu;reboot"], "not a slug"),
        (&["--digitalocean-tags", "a b"], "not a tag"),
        (
            &["--digitalocean-allowed-cidr", "10.0.0.0/33"],
            "not an address or CIDR",
        ),
        (&["--digitalocean-vpc-uuid", "nope"], "not a VPC UUID"),
        (
            &["--digitalocean-ssh-key-fingerprint", "3b:16"],
            "not an SSH key fingerprint",
        ),
        (
            &["--digitalocean-ssh-user=-oProxyCommand=x"],
            "not a user name",
        ),
        (
            &["--digitalocean-api-url", "https://u:p@api.example"],
            "not an API endpoint",
        ),
    ];
    for (flags, want) in cases {
        let mut args = vec!["create", "-d", "digitalocean"];
        args.extend_from_slice(flags);
        args.push("bad");
        let run = machinectl(&store, &fake.server.url, &args);
        assert!(!run.success, "{flags:?}");
        assert!(run.stderr.contains(want), "{flags:?}: {}", run.stderr);
    }
    // No token at all.
    let mut command = store.command();
    command.env_remove("DIGITALOCEAN_ACCESS_TOKEN").args([
        "create",
        "-d",
        "digitalocean",
        "--digitalocean-api-url",
        &fake.server.url,
        "bad",
    ]);
    let run = Run::from(command.output().unwrap());
    assert!(
        run.one_line_error()
            .contains("--digitalocean-access-token is required"),
        "{}",
        run.stderr
    );
    assert_eq!(
        fake.server.count(),
        0,
        "{}",
        summary(&fake.server.requests())
    );
    assert!(!store.machine_dir("bad").exists());
    // Another driver's flag is refused by name, and help lists ours.
    let help = store.ok(["create", "--driver", "digitalocean", "--help"]);
    assert!(
        help.stdout.contains("--digitalocean-access-token"),
        "{}",
        help.stdout
    );
    assert!(!help.stdout.contains("--aws-region"));
    assert!(!help.stdout.contains(TOKEN));
}

/// Against DigitalOcean itself, only when asked: `MACHINECTL_LIVE_DIGITALOCEAN=1
/// DIGITALOCEAN_ACCESS_TOKEN=… cargo test -p machinectl --test it -- --ignored
/// digitalocean::live`. It creates a real droplet (billed) and removes it.
#[test]
#[ignore = "creates a real droplet: set MACHINECTL_LIVE_DIGITALOCEAN=1 and DIGITALOCEAN_ACCESS_TOKEN, then run with --ignored"]
fn live_digitalocean_create_and_rm() {
    assert_eq!(
        std::env::var("MACHINECTL_LIVE_DIGITALOCEAN").as_deref(),
        Ok("1"),
        "set MACHINECTL_LIVE_DIGITALOCEAN=1 with DIGITALOCEAN_ACCESS_TOKEN to create a real droplet"
    );
    assert!(
        std::env::var_os("DIGITALOCEAN_ACCESS_TOKEN").is_some(),
        "set DIGITALOCEAN_ACCESS_TOKEN"
    );
    TestStore::new().live_round_trip(&["-d", "digitalocean"], "live-it");
}

#[test]
fn an_account_key_by_fingerprint_is_used_and_kept_and_private_addresses_work() {
    let fake = fake(|_| {});
    let store = TestStore::new();
    let key = crate::common::ssh_keygen(store.dir.path(), "account_key");
    let fingerprint = "3b:16:bf:e4:8b:00:8b:b8:59:8c:a9:d3:f0:19:45:fa";
    create_kept(
        &store,
        &fake,
        "own",
        &[
            "--digitalocean-ssh-key-fingerprint",
            fingerprint,
            "--digitalocean-ssh-key-path",
            key.to_str().unwrap(),
            "--digitalocean-use-private-address",
            "--digitalocean-vpc-uuid",
            "760e09ef-dc84-11e8-981e-3cfdfeaae000",
        ],
    );
    assert_eq!(fake.server.calls("POST", "/v2/account/keys"), 0);
    let body = fake
        .server
        .requests()
        .iter()
        .find(|l| l.req.method == "POST" && l.req.path() == "/v2/droplets")
        .unwrap()
        .req
        .json();
    assert_eq!(body["ssh_keys"], json!([fingerprint]));
    assert_eq!(body["vpc_uuid"], "760e09ef-dc84-11e8-981e-3cfdfeaae000");
    let ip = machinectl(&store, &fake.server.url, &["ip", "own"]);
    assert_eq!(ip.stdout.trim(), "127.0.0.2", "{}", ip.stderr);
    assert!(!store.machine_dir("own").join("id_ed25519").exists());
    let rm = machinectl(&store, &fake.server.url, &["rm", "-y", "own"]);
    assert!(rm.success, "{}", rm.stderr);
    assert_eq!(fake.server.calls("DELETE", "/v2/account/keys"), 0);
    assert_eq!(fake.account.lock().unwrap().leftovers(), (0, 0, 0, vec![]));
}
