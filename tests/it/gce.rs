//! The gce driver against a fake Compute Engine held to Google's discovery
//! document (`gce/discovery.rs` judges, `gce/fake.rs` plays the cloud):
//! every request must be one of the document's methods with its own query
//! parameters and body fields, or the test fails. The service-account key
//! is made at test time with openssl; the fake's token endpoint checks
//! the JWT it signs.
//!
//! The whole-path test re-runs itself in a network namespace with only
//! loopback and stands a namespace host up at the address the fake gives
//! the instance, so SSH provisioning and the TLS engine check run for real.
//! The others give instances 127.0.0.1 and keep the machine when SSH fails
//! (`--keep-on-error`), to test operations, pages, rollback, rm after a
//! crash, auth errors and bad flags without isolation.

mod discovery;
pub(crate) mod fake;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{Run, TestStore};
use crate::isolated;
use fake::{CLIENT_SECRET, Cloud, EMAIL, Fake, PROJECT, REFRESH_TOKEN};

/// The test's service-account key (PKCS#8 PEM) and its public half, made
/// once per run in a private temporary directory and kept in memory only.
struct Keys {
    private_pem: String,
    public_pem: String,
}

/// A fresh RSA key by openssl: its private (PKCS#8) and public PEM.
fn openssl_key() -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let (key, public) = (dir.path().join("key.pem"), dir.path().join("pub.pem"));
    let made = Command::new("openssl")
        .args([
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
        ])
        .arg(&key)
        .output()
        .expect("openssl is installed");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let out = Command::new("openssl")
        .args(["pkey", "-pubout", "-in"])
        .arg(&key)
        .arg("-out")
        .arg(&public)
        .output()
        .unwrap();
    assert!(out.status.success());
    let read = |p: &Path| std::fs::read_to_string(p).unwrap();
    (read(&key), read(&public))
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let (private_pem, public_pem) = openssl_key();
        Keys {
            private_pem,
            public_pem,
        }
    })
}

fn start_fake(setup: impl FnOnce(&mut Cloud)) -> Fake {
    Fake::start(keys().public_pem.clone(), setup)
}

/// A fake, a store and a service-account key file for that fake.
pub(crate) fn setup(configure: impl FnOnce(&mut Cloud)) -> (Fake, TestStore, PathBuf) {
    let fake = start_fake(configure);
    let store = TestStore::new();
    let creds = service_account_file(&store, &fake, &keys().private_pem);
    (fake, store, creds)
}

/// Nothing left in the cloud or the store of `name`, and no request broke the document.
pub(crate) fn all_gone(fake: &Fake, store: &TestStore, name: &str) {
    assert_eq!(
        fake.cloud.lock().unwrap().leftovers(),
        (0, 0, 0),
        "{}",
        summary(fake)
    );
    assert!(!store.machine_dir(name).exists());
    fake.assert_no_violations();
}

/// A service-account key file whose token_uri is the fake's.
fn service_account_file(store: &TestStore, fake: &Fake, pem: &str) -> PathBuf {
    let path = store.dir.path().join(format!(
        "sa-{}.json",
        fake.server.url.rsplit(':').next().unwrap()
    ));
    let key = json!({
        "type": "service_account", "project_id": PROJECT, "private_key_id": "5d2f1c0e9b",
        "private_key": pem, "client_email": EMAIL, "client_id": "104553234567",
        "token_uri": format!("{}/token", fake.server.url),
    });
    std::fs::write(&path, key.to_string()).unwrap();
    path
}

/// A loopback port nothing listens on.
pub(crate) fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// machinectl with the fake's endpoint and metadata server, and
/// `credentials`; nothing secret may show in what it prints.
fn machinectl(store: &TestStore, fake: &Fake, credentials: Option<&Path>, args: &[&str]) -> Run {
    let mut command = store.command();
    command
        .env("GOOGLE_COMPUTE_ENDPOINT", fake.endpoint())
        .env(
            "GCE_METADATA_HOST",
            fake.server.url.trim_start_matches("http://"),
        )
        .env_remove("GOOGLE_APPLICATION_CREDENTIALS")
        .env_remove("GOOGLE_PROJECT")
        .env_remove("CLOUDSDK_CONFIG")
        .args(args);
    if let Some(path) = credentials {
        command.env("GOOGLE_APPLICATION_CREDENTIALS", path);
    }
    let run = Run::from(command.output().unwrap());
    assert_no_secrets(&run, args);
    run
}

pub(crate) fn assert_no_secrets(run: &Run, args: &[&str]) {
    let key_line = keys().private_pem.lines().nth(1).unwrap();
    run.assert_hides(&[key_line, CLIENT_SECRET, REFRESH_TOKEN, "ya29."], args);
}

fn record(store: &TestStore, name: &str) -> Value {
    store.record_hiding(name, &["PRIVATE KEY", "ya29."])
}

/// Create, keeping the machine when SSH fails (the fake's instances are at 127.0.0.1).
fn create_kept(
    store: &TestStore,
    fake: &Fake,
    creds: Option<&Path>,
    name: &str,
    extra: &[&str],
) -> Run {
    let mut args = vec![
        "create",
        "-d",
        "gce",
        "--ssh-timeout",
        "1",
        "--keep-on-error",
    ];
    args.extend_from_slice(extra);
    // No name: the extra flags name the machines (--count).
    if !name.is_empty() {
        args.push(name);
    }
    machinectl(store, fake, creds, &args)
}

/// `METHOD last-segment` of a call.
pub(crate) fn short(call: &str) -> String {
    let (method, path) = call.split_once(' ').unwrap();
    format!("{method} {}", path.rsplit('/').next().unwrap())
}

/// Create `name`, which must fail: its one error line.
fn failed_create(store: &TestStore, fake: &Fake, creds: Option<&Path>, name: &str) -> String {
    let run = machinectl(store, fake, creds, &["create", "-d", "gce", name]);
    run.one_line_error().to_string()
}

/// The Compute calls since request `from`, as `METHOD last-segment`.
pub(crate) fn short_calls(fake: &Fake, from: usize) -> Vec<String> {
    fake.compute_calls(from).iter().map(|c| short(c)).collect()
}

/// A rule `machinectl` that opens all a create needs, made by someone else before it.
fn rule_there_before(fake: &Fake) -> Value {
    let rule = json!({"name": "machinectl", "network": "global/networks/default",
        "allowed": [{"IPProtocol": "tcp", "ports": ["22", "2376"]}],
        "sourceRanges": ["0.0.0.0/0"], "targetTags": ["machinectl"]});
    let mut cloud = fake.cloud.lock().unwrap();
    cloud.firewalls.insert("machinectl".into(), rule.clone());
    rule
}

pub(crate) fn summary(fake: &Fake) -> String {
    crate::http_fake::summary(&fake.server.requests())
}

/// The request body of the first call `METHOD path`.
pub(crate) fn body_of(fake: &Fake, method: &str, path_end: &str) -> Value {
    fake.server
        .requests()
        .iter()
        .find(|l| l.req.method == method && l.req.path().ends_with(path_end))
        .unwrap_or_else(|| panic!("no {method} …{path_end}:\n{}", summary(fake)))
        .req
        .json()
}

/// Wait until the record of `name` names the instance's address; the create's run if it ended first.
fn wait_for_address(store: &TestStore, create: &mut std::process::Child, fake: &Fake) -> String {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        assert!(
            Instant::now() < deadline,
            "the instance never got an address:\n{}",
            summary(fake)
        );
        if create.try_wait().unwrap().is_some() {
            fake.assert_no_violations();
            panic!(
                "create ended before the instance had an address:\n{}",
                summary(fake)
            );
        }
        if let Ok(text) = std::fs::read_to_string(store.machine_dir("gce1").join("machine.json")) {
            let record: Value = serde_json::from_str(&text).unwrap_or_default();
            if let Some(ip) = record["driver"]["resources"]["external_ip"].as_str() {
                return ip.to_string();
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The whole path against the discovery document: flags → image, firewall
/// rule, instance (operations RUNNING, then DONE) → SSH provisioning of a
/// namespace host at the instance's address → the engine over mutual TLS →
/// ls, status, stop, start, kill → rm; no request outside the document.
#[test]
fn whole_path_held_to_the_discovery_document() {
    const TEST: &str = "gce::whole_path_held_to_the_discovery_document";
    crate::require_hosts!();
    crate::require!(isolated::unavailable(), "run the GCE whole-path test");
    if !isolated::enter(TEST) {
        return;
    }
    let (fake, store, creds) = setup(|c| {
        c.op_polls = 1;
        c.nat_ip = "10.77.0.2".into();
        c.internal_ip = "10.128.0.9".into();
    });
    let mut command = store.command();
    command
        .env("GOOGLE_APPLICATION_CREDENTIALS", &creds)
        .env("GCE_METADATA_HOST", format!("127.0.0.1:{}", closed_port()))
        .args([
            "--debug",
            "create",
            "-d",
            "google",
            "--gce-endpoint",
            &fake.endpoint(),
        ])
        .args([
            "--google-username",
            "root",
            "--gce-tags",
            "web",
            "--gce-labels",
            "team=it",
        ])
        .args(["--ssh-timeout", "120", "gce1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut create = command.spawn().unwrap();
    let ip: std::net::Ipv4Addr = wait_for_address(&store, &mut create, &fake)
        .parse()
        .unwrap();
    let public_key =
        std::fs::read_to_string(store.machine_dir("gce1").join("id_ed25519.pub")).unwrap();
    let spec = machinectl_driver_local::HostSpec {
        hostname: "instance".into(),
        root_dir: store.dir.path().join("instance-host"),
        subnet: "10.77.0.0/24".parse().unwrap(),
        authorized_key: public_key,
        ip: Some(ip),
    };
    let host =
        machinectl_driver_local::host::bring_up(&spec).expect("bring up the stand-in instance");
    let create_run = Run::from(create.wait_with_output().unwrap());
    let create_calls = fake.compute_calls(0);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        assert!(
            create_run.success,
            "create failed:\n{}\n{}",
            create_run.stderr,
            summary(&fake)
        );
        assert_no_secrets(&create_run, &["create"]);
        assert!(
            create_run.stderr.contains("Compute API calls so far"),
            "{}",
            create_run.stderr
        );
        whole_path_checks(&store, &fake, &creds, &create_calls);
    }));
    machinectl_driver_local::host::teardown(&host).unwrap();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

/// What create asked for: the calls in order, the instance and the rule.
fn check_create_requests(store: &TestStore, fake: &Fake, creds: &Path, create_calls: &[String]) {
    let shorts: Vec<String> = create_calls.iter().map(|c| short(c)).collect();
    let expected = [
        "GET ubuntu-2404-lts-amd64",
        "GET machinectl",
        "POST firewalls",
        "POST wait",
        "POST instances",
        "POST wait",
        "GET gce1",
    ];
    assert_eq!(shorts, expected, "create's calls: {create_calls:#?}");
    assert!(create_calls[3].contains(&format!("{PROJECT}/global/operations/")));
    assert!(create_calls[5].contains("/zones/us-central1-a/operations/"));
    let zone = format!("projects/{PROJECT}/zones/us-central1-a");
    let instance = body_of(fake, "POST", "/zones/us-central1-a/instances");
    assert_eq!(
        instance["labels"],
        json!({"machinectl-managed": "true", "machinectl-machine": "gce1", "team": "it"})
    );
    assert_eq!(instance["tags"]["items"], json!(["machinectl", "web"]));
    assert_eq!(instance["disks"][0]["initializeParams"]["diskSizeGb"], "20");
    assert_eq!(
        instance["machineType"],
        format!("{zone}/machineTypes/e2-small")
    );
    let ssh_keys = &instance["metadata"]["items"][0];
    assert_eq!(ssh_keys["key"], "ssh-keys");
    let value = ssh_keys["value"].as_str().unwrap();
    assert!(value.starts_with("root:ssh-ed25519 "), "{ssh_keys}");
    let boot = &instance["metadata"]["items"][1];
    assert_eq!(boot["key"], "user-data", "{instance}");
    crate::common::assert_boot_install_script(boot["value"].as_str(), "https://get.docker.com");
    let rule = body_of(fake, "POST", "/global/firewalls");
    assert_eq!(
        rule["allowed"],
        json!([{"IPProtocol": "tcp", "ports": ["22", "2376"]}])
    );
    assert_eq!(rule["targetTags"], json!(["machinectl"]));
    let rec = record(store, "gce1");
    assert_eq!(
        rec["driver"]["credentials"]["file"],
        creds.to_str().unwrap()
    );
}

fn whole_path_checks(store: &TestStore, fake: &Fake, creds: &Path, create_calls: &[String]) {
    check_create_requests(store, fake, creds, create_calls);
    let version = store.docker("gce1", &["version", "--format", "{{.Server.Version}}"]);
    assert!(version.success, "{}", version.stderr);
    assert_eq!(
        store.ok(["ssh", "gce1", "--", "hostname"]).stdout.trim(),
        "gce1"
    );

    let before = fake.server.count();
    let ls = machinectl(
        store,
        fake,
        None,
        &["ls", "--format", "{{.Name}} {{.State}}"],
    );
    assert_eq!(ls.stdout.trim(), "gce1 Running", "{}", ls.stderr);
    let ls_calls = fake.compute_calls(before);
    assert_eq!(ls_calls.len(), 1, "ls lists the zone once: {ls_calls:?}");
    for (verb, state) in [
        ("stop", "Stopped"),
        ("start", "Running"),
        ("kill", "Stopped"),
    ] {
        let run = machinectl(store, fake, None, &[verb, "gce1"]);
        assert!(run.success, "{verb}: {}", run.stderr);
        let status = machinectl(store, fake, None, &["status", "gce1"]);
        assert_eq!(
            status.stdout.trim(),
            state,
            "after {verb}: {}",
            status.stderr
        );
    }
    let before = fake.server.count();
    let rm = machinectl(store, fake, None, &["rm", "-y", "gce1"]);
    assert!(rm.success, "{}", rm.stderr);
    let rm_calls = fake.compute_calls(before);
    eprintln!(
        "Compute calls: create {}, ls {}, rm {}: {rm_calls:#?}",
        create_calls.len(),
        ls_calls.len(),
        rm_calls.len()
    );
    assert_eq!(rm_calls.len(), 5, "{rm_calls:?}");
    all_gone(fake, store, "gce1");
}

/// Operations that stay RUNNING for a while are waited on, and rate limits
/// waited out; ls asks once per project and zone, following nextPageToken;
/// docker-machine's names and variables work; the metadata server's
/// credentials and project are used.
#[test]
fn operations_pages_and_ls_once_per_zone() {
    let (fake, store, creds) = setup(|c| {
        c.op_polls = 3;
        c.page_size = 1;
        c.metadata = true;
        c.rate_limited = 2;
    });
    let mut command = store.command();
    command
        .env("GOOGLE_APPLICATION_CREDENTIALS", &creds)
        .env("GOOGLE_COMPUTE_ENDPOINT", fake.endpoint())
        .env("GOOGLE_MACHINE_TYPE", "e2-medium")
        .args([
            "create",
            "-d",
            "gce",
            "--google-zone",
            "europe-west1-b",
            "--google-disk-size",
            "30",
        ])
        .args(["--ssh-timeout", "1", "--keep-on-error", "alias"]);
    let run = Run::from(command.output().unwrap());
    assert!(!run.success, "SSH cannot succeed here");
    assert!(
        record(&store, "alias")["driver"]["resources"]["instance_made"] == true,
        "{}",
        run.stderr
    );
    let body = body_of(&fake, "POST", "/zones/europe-west1-b/instances");
    assert_eq!(
        body["machineType"],
        format!("projects/{PROJECT}/zones/europe-west1-b/machineTypes/e2-medium")
    );
    assert_eq!(body["disks"][0]["initializeParams"]["diskSizeGb"], "30");
    // Three RUNNING answers (the insert's and two waits'), then DONE, for each of the two operations.
    let waits = fake
        .compute_calls(0)
        .iter()
        .filter(|c| c.ends_with("/wait"))
        .count();
    assert_eq!(waits, 6, "{}", summary(&fake));
    // Two rate-limit answers were waited out (the image's lookup, sent again twice).
    let refused: Vec<String> = fake
        .server
        .requests()
        .iter()
        .filter(|l| l.status == 403)
        .map(|l| l.req.path().to_string())
        .collect();
    assert_eq!(refused.len(), 2, "{}", summary(&fake));
    assert!(
        refused
            .iter()
            .all(|p| p.ends_with("/family/ubuntu-2404-lts-amd64")),
        "{refused:?}"
    );
    // Each process fetches one token and uses it for every call.
    assert_eq!(fake.cloud.lock().unwrap().tokens_issued, 1);
    ls_lists_each_zone_once_page_by_page(&store, &fake, &creds);
}

/// Three machines and one of the metadata server's in us-central1-a, one in
/// europe-west1-b; one gone from the cloud. Pages of one instance each.
fn ls_lists_each_zone_once_page_by_page(store: &TestStore, fake: &Fake, creds: &Path) {
    for name in ["a1", "a2", "a3"] {
        assert!(!create_kept(store, fake, Some(creds), name, &[]).success);
    }
    // A machine of the metadata server's credentials and project (no file, no --gce-project).
    let run = create_kept(store, fake, None, "meta", &[]);
    assert!(!run.success);
    let meta = record(store, "meta");
    assert_eq!(meta["driver"]["credentials"], "metadata", "{meta}");
    assert_eq!(meta["driver"]["options"]["project"], PROJECT);
    fake.cloud
        .lock()
        .unwrap()
        .instances
        .retain(|(_, n), _| n != "a3");

    let before = fake.server.count();
    let ls = machinectl(
        store,
        fake,
        Some(creds),
        &["ls", "--format", "{{.Name}} {{.State}}"],
    );
    assert!(ls.success, "{}", ls.stderr);
    let lines: Vec<&str> = ls.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "a1 Running",
            "a2 Running",
            "a3 NotFound",
            "alias Running",
            "meta Running"
        ],
        "{}",
        ls.stderr
    );
    let calls = fake.compute_calls(before);
    // us-central1-a twice (two credential sources), a page per instance; europe-west1-b once.
    let pages = fake.server.requests()[before..]
        .iter()
        .filter(|l| l.req.query("pageToken").is_some())
        .count();
    assert!(
        calls
            .iter()
            .all(|c| c.starts_with("GET ") && c.contains("/instances")),
        "{calls:?}"
    );
    assert_eq!(calls.len(), 3 + 3 + 1, "{calls:#?}");
    assert_eq!(pages, 2 + 2, "{calls:#?}");
    let page = fake.server.requests()[before..]
        .iter()
        .find(|l| l.req.path().contains("/instances"))
        .unwrap()
        .req
        .clone();
    assert_eq!(
        page.query("filter").as_deref(),
        Some("labels.machinectl-managed%3Dtrue")
    );
    fake.assert_no_violations();
    rm_keeps_the_rule_while_it_is_needed(store, fake, creds);
}

fn rm_keeps_the_rule_while_it_is_needed(store: &TestStore, fake: &Fake, creds: &Path) {
    // The rule stays while another labelled instance (in any zone) needs it.
    let rm = machinectl(store, fake, Some(creds), &["rm", "-y", "a1"]);
    assert!(
        rm.success && rm.stderr.contains("still serves"),
        "{}",
        rm.stderr
    );
    assert!(
        fake.cloud
            .lock()
            .unwrap()
            .firewalls
            .contains_key("machinectl")
    );
    let rm = machinectl(
        store,
        fake,
        Some(creds),
        &["rm", "-y", "a2", "a3", "alias", "meta"],
    );
    assert!(rm.success, "{}", rm.stderr);
    assert_eq!(
        fake.cloud.lock().unwrap().leftovers(),
        (0, 0, 0),
        "{}",
        summary(fake)
    );
    fake.assert_no_violations();
}

/// An insert whose operation ends with an error is reported by its message,
/// and rollback removes what this create made: the disk the failed insert
/// left and the firewall rule it made.
#[test]
fn a_failed_operation_rolls_back_the_rule_and_disk_it_made() {
    let (fake, store, creds) = setup(|c| {
        c.fail_insert_op =
            Some("The zone 'us-central1-a' does not have enough resources available".into())
    });
    let line = failed_create(&store, &fake, Some(&creds), "roll");
    assert!(
        line.contains("does not have enough resources") && line.contains("--gce-zone"),
        "{line}"
    );
    let calls: Vec<String> = short_calls(&fake, 0);
    assert_eq!(
        calls,
        [
            "GET ubuntu-2404-lts-amd64",
            "GET machinectl",
            "POST firewalls",
            "POST instances",
            "DELETE roll",
            "DELETE roll",
            "GET instances",
            "DELETE machinectl"
        ],
        "{}",
        summary(&fake)
    );
    assert!(
        fake.compute_calls(0)
            .iter()
            .any(|c| c.ends_with("/disks/roll"))
    );
    all_gone(&fake, &store, "roll");
}

/// A 403 quota answer to the insert is one line naming the fix; rollback
/// deletes no rule that was there before the create (a user's own, opening
/// all the create needs, so it is not widened either).
#[test]
fn a_quota_refusal_keeps_the_rule_that_was_there() {
    let (fake, store, creds) = setup(|c| c.quota_on_insert = true);
    let rule = rule_there_before(&fake);
    let before = fake.server.count();
    let line = failed_create(&store, &fake, Some(&creds), "quota");
    assert!(
        line.contains("quota exceeded") && line.contains("Quotas"),
        "{line}"
    );
    let calls: Vec<String> = fake
        .compute_calls(before)
        .into_iter()
        .map(|c| c.split('/').next_back().unwrap().to_string())
        .collect();
    assert_eq!(
        calls,
        [
            "ubuntu-2404-lts-amd64",
            "machinectl",
            "instances",
            "quota",
            "quota"
        ],
        "{}",
        summary(&fake)
    );
    assert_eq!(
        fake.cloud.lock().unwrap().firewalls["machinectl"],
        rule,
        "the rule that was there is untouched"
    );
    assert!(!store.machine_dir("quota").exists());
    fake.assert_no_violations();
}

/// A rule named `machinectl` that opens less than the create needs is
/// widened with one patch (its other rules kept), never replaced; user data
/// goes into metadata `user-data`; with --gce-use-internal-ip-only the
/// instance has no external address and is reached at its internal one.
#[test]
fn a_narrow_rule_is_widened_and_user_data_and_internal_addresses_reach_the_instance() {
    let (fake, store, creds) = setup(|_| {});
    let narrow = json!({"name": "machinectl", "network": "global/networks/default",
        "allowed": [{"IPProtocol": "tcp", "ports": ["22"]}, {"IPProtocol": "icmp"}],
        "sourceRanges": ["10.0.0.0/8"], "targetTags": ["machinectl"]});
    fake.cloud
        .lock()
        .unwrap()
        .firewalls
        .insert("machinectl".into(), narrow);
    let user_data = store.dir.path().join("cloud-init.yaml");
    std::fs::write(&user_data, "#cloud-config\npackages: [jq]\n").unwrap();
    let flags = [
        "--gce-allowed-cidr",
        "203.0.113.0/24",
        "--gce-userdata",
        user_data.to_str().unwrap(),
        "--gce-use-internal-ip-only",
        "--gce-spot",
    ];
    assert!(!create_kept(&store, &fake, Some(&creds), "inner", &flags).success);
    let patch = body_of(&fake, "PATCH", "/global/firewalls/machinectl");
    assert_eq!(
        patch["sourceRanges"],
        json!(["10.0.0.0/8", "203.0.113.0/24"])
    );
    let rule = fake.cloud.lock().unwrap().firewalls["machinectl"].clone();
    assert_eq!(
        rule["allowed"],
        json!([{"IPProtocol": "icmp"}, {"IPProtocol": "tcp", "ports": ["22", "2376"]}])
    );
    let body = body_of(&fake, "POST", "/zones/us-central1-a/instances");
    assert_eq!(
        body["metadata"]["items"][1],
        json!({"key": "user-data", "value": "#cloud-config\npackages: [jq]\n"})
    );
    assert!(
        body["networkInterfaces"][0].get("accessConfigs").is_none(),
        "{body}"
    );
    assert_eq!(body["scheduling"]["provisioningModel"], "SPOT");
    let ip = machinectl(&store, &fake, Some(&creds), &["ip", "inner"]);
    assert_eq!(ip.stdout.trim(), "127.0.0.2", "{}", ip.stderr);
    // The rule was not made by this machine, but it had an instance: the last one out removes it.
    let rm = machinectl(&store, &fake, Some(&creds), &["rm", "-y", "inner"]);
    assert!(rm.success, "{}", rm.stderr);
    all_gone(&fake, &store, "inner");
}

/// A rule another create made between this one's look and its insert
/// (409) is used, and this machine's rollback leaves it to its maker.
#[test]
fn a_rule_made_meanwhile_is_used_and_not_rolled_back() {
    let (fake, store, creds) = setup(|c| {
        c.hide_firewall_once = true;
        c.quota_on_insert = true;
    });
    let theirs = rule_there_before(&fake);
    let line = failed_create(&store, &fake, Some(&creds), "race");
    assert!(line.contains("quota exceeded"), "{line}");
    let calls: Vec<String> = short_calls(&fake, 0);
    assert_eq!(
        calls,
        [
            "GET ubuntu-2404-lts-amd64",
            "GET machinectl",
            "POST firewalls",
            "POST instances",
            "DELETE race",
            "DELETE race"
        ],
        "{}",
        summary(&fake)
    );
    assert_eq!(fake.cloud.lock().unwrap().firewalls["machinectl"], theirs);
    fake.assert_no_violations();
}

/// Machines made together share one rule: however their looks and inserts
/// interleave, one insert makes it, the others use it (409), only its maker
/// records it as made, and rm of them all leaves nothing.
#[test]
fn parallel_creates_share_one_rule() {
    let (fake, store, creds) = setup(|c| c.op_polls = 2);
    let run = create_kept(
        &store,
        &fake,
        Some(&creds),
        "",
        &["--count", "3", "--prefix", "par"],
    );
    assert!(!run.success, "SSH cannot succeed here");
    let names = ["par-1", "par-2", "par-3"];
    let made: Vec<bool> = names
        .iter()
        .map(|n| record(&store, n)["driver"]["resources"]["firewall_made"] == true)
        .collect();
    let inserts = fake
        .server
        .requests()
        .iter()
        .filter(|l| l.req.method == "POST" && l.req.path().ends_with("/global/firewalls"))
        .map(|l| l.status)
        .collect::<Vec<_>>();
    eprintln!("firewall inserts: {inserts:?}");
    assert_eq!(
        inserts.iter().filter(|s| **s == 200).count(),
        1,
        "{inserts:?}"
    );
    assert_eq!(made.iter().filter(|m| **m).count(), 1, "{made:?}");
    assert!(
        inserts.iter().all(|s| *s == 200 || *s == 409),
        "{inserts:?}"
    );
    assert_eq!(fake.cloud.lock().unwrap().instances.len(), 3);
    let mut args = vec!["rm", "-y"];
    args.extend(names);
    let rm = machinectl(&store, &fake, Some(&creds), &args);
    assert!(rm.success, "{}", rm.stderr);
    all_gone(&fake, &store, "par-1");
}

/// A create killed while it waits for the instance's operation leaves a
/// record naming the rule and the instance; rm finishes the job.
#[test]
fn rm_after_a_crash_finishes_the_job() {
    let (fake, store, creds) = setup(|c| {
        c.op_polls = 1;
        c.hang = Some(("compute.zoneOperations.wait".into(), Duration::from_secs(3)));
    });
    let mut command = store.command();
    command
        .env("GOOGLE_APPLICATION_CREDENTIALS", &creds)
        .env("GOOGLE_COMPUTE_ENDPOINT", fake.endpoint())
        .args(["create", "-d", "gce", "crash"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut create = command.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !fake
        .compute_calls(0)
        .iter()
        .any(|c| c.ends_with("/instances"))
    {
        assert!(
            Instant::now() < deadline,
            "create never inserted the instance:\n{}",
            summary(&fake)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    create.kill().unwrap();
    create.wait().unwrap();
    let rec = record(&store, "crash");
    let resources = &rec["driver"]["resources"];
    assert!(
        resources["instance"] == "crash"
            && resources["instance_made"] == false
            && resources["firewall"] == "machinectl",
        "{rec}"
    );
    fake.cloud.lock().unwrap().hang = None;
    let before = fake.server.count();
    let rm = machinectl(&store, &fake, Some(&creds), &["rm", "-y", "crash"]);
    assert!(rm.success, "{}", rm.stderr);
    // (The killed create's own wait may be answered meanwhile.)
    let calls: Vec<String> = fake
        .compute_calls(before)
        .iter()
        .filter(|c| !c.ends_with("/wait"))
        .map(|c| short(c))
        .collect();
    assert_eq!(
        calls,
        ["DELETE crash", "GET instances", "DELETE machinectl"],
        "{}",
        summary(&fake)
    );
    all_gone(&fake, &store, "crash");
}

/// Missing, unusable and refused credentials are one line that names the
/// three ways to give one; nothing reaches the Compute API. The
/// authorized-user file's refresh-token grant works.
#[test]
fn auth_errors_are_one_line_naming_the_fix() {
    let fake = start_fake(|_| {});
    let store = TestStore::new();
    let three_ways = |line: &str| {
        assert!(
            line.contains("--gce-credentials")
                && line.contains("gcloud auth application-default login")
                && line.contains("Compute Engine instance"),
            "{line}"
        );
    };
    // None at all (no file, no gcloud login under HOME, no metadata server).
    let run = machinectl(
        &store,
        &fake,
        None,
        &["create", "-d", "gce", "--gce-project", PROJECT, "none"],
    );
    let line = run.one_line_error();
    assert!(line.contains("no Google credentials"), "{line}");
    three_ways(line);
    // Off Compute Engine without GCE_METADATA_HOST: refused at once, nothing sent or written.
    let on_gce = std::fs::read_to_string("/sys/class/dmi/id/product_name")
        .is_ok_and(|p| p.starts_with("Google"));
    if on_gce {
        eprintln!("this is a Compute Engine instance: its metadata server is not asked by a test");
    } else {
        let mut command = store.command();
        command
            .env_remove("GCE_METADATA_HOST")
            .env_remove("GOOGLE_APPLICATION_CREDENTIALS")
            .args([
                "create",
                "-d",
                "google",
                "--gce-endpoint",
                &fake.endpoint(),
                "offgce",
            ]);
        let run = Run::from(command.output().unwrap());
        let line = run.one_line_error();
        assert!(line.contains("not a Compute Engine instance"), "{line}");
        three_ways(line);
        assert!(!store.machine_dir("offgce").exists());
    }
    // A key the token endpoint does not know (signed by another key).
    let (other, _) = openssl_key();
    let wrong = service_account_file(&store, &fake, &other);
    let line = failed_create(&store, &fake, Some(&wrong), "wrong");
    assert!(
        line.contains("Google refused the credentials") && line.contains("Invalid JWT Signature"),
        "{line}"
    );
    three_ways(&line);
    // Not a credentials file.
    let junk = store.dir.path().join("junk.json");
    std::fs::write(&junk, r#"{"type": "external_account"}"#).unwrap();
    let run = machinectl(&store, &fake, Some(&junk), &["create", "-d", "gce", "junk"]);
    three_ways(run.one_line_error());
    assert_eq!(fake.compute_calls(0), Vec::<String>::new());
    fake.assert_no_violations();
}

/// gcloud's application-default login (an authorized user) is found under
/// HOME and its refresh token exchanged; a revoked one is one line. A token
/// that would expire within a minute is fetched again before the next call.
#[test]
fn an_authorized_user_login_is_used_and_tokens_are_fetched_before_expiry() {
    let fake = start_fake(|_| {});
    let store = TestStore::new();
    let user = |refresh: &str| {
        let path = store
            .home()
            .join(".config/gcloud/application_default_credentials.json");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let file = json!({"type": "authorized_user", "client_id": "764086051850-x.apps.googleusercontent.com",
            "client_secret": CLIENT_SECRET, "refresh_token": refresh, "quota_project_id": PROJECT,
            "token_uri": format!("{}/token", fake.server.url)});
        std::fs::write(&path, file.to_string()).unwrap();
    };
    user("1//0gRevoked");
    let run = machinectl(&store, &fake, None, &["create", "-d", "gce", "revoked"]);
    assert!(
        run.one_line_error()
            .contains("Token has been expired or revoked"),
        "{}",
        run.stderr
    );
    user(REFRESH_TOKEN);
    let run = create_kept(&store, &fake, None, "user", &[]);
    assert!(!run.success);
    let rec = record(&store, "user");
    assert!(
        rec["driver"]["credentials"]["file"]
            .as_str()
            .unwrap()
            .ends_with("application_default_credentials.json"),
        "{rec}"
    );
    assert_eq!(rec["driver"]["resources"]["instance_made"], true, "{rec}");
    // Tokens that live 30 s (less than the minute kept in hand): rm fetches one per call.
    fake.cloud.lock().unwrap().token_life = 30;
    let (calls, tokens) = (
        fake.compute_calls(0).len(),
        fake.cloud.lock().unwrap().tokens_issued,
    );
    let rm = machinectl(&store, &fake, None, &["rm", "-y", "user"]);
    assert!(rm.success, "{}", rm.stderr);
    let new_calls = fake.compute_calls(0).len() - calls;
    let new_tokens = fake.cloud.lock().unwrap().tokens_issued - tokens;
    assert!(new_calls >= 3, "{}", summary(&fake));
    assert_eq!(new_tokens, new_calls, "{}", summary(&fake));
    all_gone(&fake, &store, "user");
}

/// Bad values are one line naming the fix, before any call and before anything is written.
#[test]
fn bad_flags_are_refused_before_any_call() {
    let (fake, store, creds) = setup(|_| {});
    let big = store.dir.path().join("user-data");
    std::fs::write(&big, vec![b'#'; 256 * 1024 + 1]).unwrap();
    let big = big.to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["--gce-userdata", big], "at most 256 KiB"),
        (&["--gce-zone", "us-central1"], "not a zone"),
        (&["--gce-project", "Bad_Project"], "not a project id"),
        (&["--gce-machine-image", "ubuntu;reboot"], "not an image"),
        (
            &["--gce-machine-type", "E2-small"],
            "not a Compute Engine name",
        ),
        (&["--gce-tags", "a b"], "not a Compute Engine name"),
        (
            &["--gce-labels", "machinectl-managed=false"],
            "machinectl's own",
        ),
        (&["--gce-labels", "Team=x"], "not a label"),
        (
            &["--gce-allowed-cidr", "10.0.0.0/33"],
            "not an address or CIDR",
        ),
        (&["--gce-preemptible", "--gce-spot"], "give one"),
        (&["--gce-disk-size", "5"], "between 10 and 65536"),
        (&["--gce-scopes", "a b"], "not a scope"),
        (
            &["--gce-service-account", "nobody"],
            "not a service account",
        ),
        (&["--gce-username=-oProxyCommand=x"], "not a user name"),
        (
            &["--gce-endpoint", "https://u:p@compute.example/"],
            "not an API endpoint",
        ),
        (
            &["--gce-credentials", "/nonexistent/key.json"],
            "cannot use the Google credentials",
        ),
    ];
    for (flags, want) in cases {
        let mut args = vec!["create", "-d", "gce"];
        args.extend_from_slice(flags);
        args.push("bad");
        let run = machinectl(&store, &fake, Some(&creds), &args);
        assert!(
            run.one_line_error().contains(want),
            "{flags:?}: {}",
            run.stderr
        );
    }
    let run = machinectl(
        &store,
        &fake,
        Some(&creds),
        &["create", "-d", "gce", "9lives"],
    );
    assert!(
        run.one_line_error()
            .contains("cannot name a Compute Engine instance"),
        "{}",
        run.stderr
    );
    assert_eq!(fake.server.count(), 0, "{}", summary(&fake));
    assert!(!store.machine_dir("bad").exists() && !store.machine_dir("9lives").exists());
    let help = store.ok(["create", "--driver", "gce", "--help"]);
    for flag in [
        "--gce-credentials",
        "--google-project",
        "--gce-spot",
        "GOOGLE_APPLICATION_CREDENTIALS",
    ] {
        assert!(help.stdout.contains(flag), "{flag}: {}", help.stdout);
    }
    assert!(!help.stdout.contains("--digitalocean-"));
}

/// The judge itself: what the discovery document does not hold is refused
/// (so a green run of the other tests means something).
#[test]
fn the_discovery_judge_refuses_what_the_document_does_not_hold() {
    let doc = discovery::discovery();
    let zone = "/compute/v1/projects/p/zones/us-central1-a";
    let (insert, vars) = doc.method("POST", &format!("{zone}/instances")).unwrap();
    assert_eq!(
        (insert.id.as_str(), vars["zone"].as_str()),
        ("compute.instances.insert", "us-central1-a")
    );
    let (wait, _) = doc
        .method("POST", &format!("{zone}/operations/op-1/wait"))
        .unwrap();
    assert_eq!(wait.id, "compute.zoneOperations.wait");
    assert!(
        doc.method("POST", &format!("{zone}/instances/x/explode"))
            .is_err()
    );
    assert!(doc.method("PUT", &format!("{zone}/instances")).is_err());
    assert!(
        doc.method("GET", "/v1/projects/p/zones/z/instances")
            .is_err()
    );
    assert!(doc.check_query(insert, "requestId=abc").is_empty());
    assert_eq!(doc.check_query(insert, "force=true").len(), 1);
    let (list, _) = doc.method("GET", &format!("{zone}/instances")).unwrap();
    assert_eq!(doc.check_query(list, "maxResults=ten").len(), 1);
    let good = json!({"name": "a", "disks": [{"initializeParams": {"diskSizeGb": "20"}}],
                      "scheduling": {"provisioningModel": "SPOT"}});
    assert_eq!(
        doc.check_request(insert, good.to_string().as_bytes()),
        Vec::<String>::new()
    );
    let bad: &[(Value, &str)] = &[
        (json!({"name": "a", "sshKeys": "x"}), "no field"),
        (
            json!({"name": "a", "disks": [{"initializeParams": {"diskSizeGb": 20}}]}),
            "int64",
        ),
        (
            json!({"name": "a", "scheduling": {"provisioningModel": "CHEAP"}}),
            "enum",
        ),
        (json!({"name": "a", "status": "RUNNING"}), "output only"),
        (json!({"labels": {"a": "b"}}), "required"),
        (json!({"name": "a", "labels": {"a": 1}}), "not string"),
    ];
    for (body, want) in bad {
        let found = doc.check_request(insert, body.to_string().as_bytes());
        assert!(found.iter().any(|v| v.contains(want)), "{body}: {found:?}");
    }
    assert!(
        !doc.check_request(wait, b"{}").is_empty(),
        "wait takes no body"
    );
}

/// Against Compute Engine itself, only when asked: `MACHINECTL_LIVE_GCE=1
/// GOOGLE_APPLICATION_CREDENTIALS=key.json cargo test -p machinectl --test it
/// -- --ignored gce::live`. It creates a real instance (billed) and removes it.
#[test]
#[ignore = "creates a real instance: set MACHINECTL_LIVE_GCE=1 and GOOGLE_APPLICATION_CREDENTIALS, then run with --ignored"]
fn live_gce_create_and_rm() {
    if std::env::var("MACHINECTL_LIVE_GCE").as_deref() != Ok("1") {
        eprintln!("skipped: MACHINECTL_LIVE_GCE=1 is not set");
        return;
    }
    let store = TestStore::new();
    let name = format!("mctl-live-{}", std::process::id());
    store.live_round_trip(&["-d", "gce", "--ssh-timeout", "600"], &name);
}
