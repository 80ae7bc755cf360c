//! clusterctl on the digitalocean provider against the scripted stateful
//! DigitalOcean fake of `digitalocean.rs`, every request also sent to
//! Prism serving DigitalOcean's published OpenAPI description and held to
//! it. The fake hands its droplets the addresses of the test's own bare
//! namespace hosts (and appends each added SSH key to their
//! authorized_keys, as a droplet gets its keys at boot), so `up` provisions
//! them and forms a real Swarm; nothing is ever sent to an address that is
//! not the test's own. Then the local state is deleted and `down` finds the
//! cluster by its tags and removes everything it made.

use serde_json::{Value, json};

use crate::cluster_generic::BareHosts;
use crate::common::{Run, TestStore, ssh_keygen};
use crate::digitalocean::{
    Fake, Prism, TOKEN, assert_no_violations, fake_judged, prism_bin, spec, summary,
};
use crate::http_fake::{Logged, Req};
use crate::require_hosts;

/// Why Prism cannot judge here, if it cannot.
fn prism_unavailable() -> Option<String> {
    if prism_bin().is_none() {
        return Some("Prism is not installed: run .ci/setup (npm ci in .ci/node)".into());
    }
    if !spec().is_file() {
        return Some(format!("no OpenAPI description at {}", spec().display()));
    }
    None
}

/// clusterctl with the fake's URL and the token from the environment.
fn clusterctl(store: &TestStore, fake: &Fake, args: &[&str]) -> Run {
    let run = Run::from(
        store
            .command_for("clusterctl")
            .env("DIGITALOCEAN_ACCESS_TOKEN", TOKEN)
            .env("DIGITALOCEAN_API_URL", &fake.server.url)
            .args(args)
            .output()
            .unwrap(),
    );
    assert!(
        !run.stdout.contains(TOKEN) && !run.stderr.contains(TOKEN),
        "the token was printed by {args:?}:\n{}\n{}",
        run.stdout,
        run.stderr
    );
    run
}

fn bodies(log: &[Logged], method: &str, path: &str) -> Vec<Value> {
    log.iter()
        .filter(|l| l.req.method == method && l.req.path() == path)
        .map(|l| l.req.json())
        .collect()
}

/// The one cluster firewall: the id tag's, SSH and the engine from the
/// allowed sources, Swarm's ports between droplets of the id tag.
fn check_firewall(log: &[Logged], id_tag: &str, cluster_id: &str) {
    let firewalls = bodies(log, "POST", "/v2/firewalls");
    assert_eq!(firewalls.len(), 1, "one firewall per cluster");
    let firewall = &firewalls[0];
    assert_eq!(
        firewall["name"],
        format!("machinectl-cluster-do1-{cluster_id}")
    );
    assert_eq!(firewall["tags"], json!([id_tag]));
    let rules = firewall["inbound_rules"].as_array().unwrap();
    let rule = |protocol: &str, ports: &str| {
        rules
            .iter()
            .find(|r| r["protocol"] == protocol && r["ports"] == ports)
            .unwrap_or_else(|| panic!("no {protocol} {ports} rule in {firewall}"))
    };
    let everywhere = json!({"addresses": ["0.0.0.0/0", "::/0"]});
    assert_eq!(rule("tcp", "22")["sources"], everywhere);
    assert_eq!(rule("tcp", "2376")["sources"], everywhere);
    for (protocol, ports) in [
        ("tcp", "2377"),
        ("tcp", "7946"),
        ("udp", "7946"),
        ("udp", "4789"),
    ] {
        assert_eq!(
            rule(protocol, ports)["sources"],
            json!({"tags": [id_tag]}),
            "{protocol} {ports}"
        );
    }
    // The tags existed before the firewall named them.
    let tags_made = log
        .iter()
        .position(|l| l.req.method == "POST" && l.req.path() == "/v2/firewalls")
        .unwrap();
    let made: Vec<Value> = log[..tags_made]
        .iter()
        .filter(|l| l.req.method == "POST" && l.req.path() == "/v2/tags")
        .map(|l| l.req.json()["name"].clone())
        .collect();
    assert_eq!(made, [json!("machinectl-cluster-do1"), json!(id_tag)]);
}

/// Each droplet: the cluster's tags and no machine firewall's, its role's
/// user-data (no secret in it), a key named for the cluster's id.
fn check_droplets(log: &[Logged], id_tag: &str) {
    let droplets = bodies(log, "POST", "/v2/droplets");
    assert_eq!(droplets.len(), 3);
    for body in &droplets {
        let tags: Vec<&str> = body["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert!(tags.contains(&"machinectl-cluster-do1"), "{tags:?}");
        assert!(tags.contains(&id_tag), "{tags:?}");
        assert!(!tags.contains(&"machinectl-2376"), "{tags:?}");
        assert_eq!(body["region"], "fra1");
        let user_data = body["user_data"].as_str().unwrap();
        assert!(user_data.starts_with("#cloud-config"), "{user_data}");
        assert!(user_data.contains("engine.sh"), "{user_data}");
        assert!(!user_data.contains(TOKEN) && !user_data.contains("PRIVATE KEY"));
    }
    let keys = bodies(log, "POST", "/v2/account/keys");
    assert_eq!(keys.len(), 3);
    for key in keys {
        let name = key["name"].as_str().unwrap();
        assert!(
            name.starts_with("machinectl-do1-") && name.ends_with(&format!(" {id_tag}")),
            "{name}"
        );
    }
}

#[test]
fn swarm_on_droplets_then_down_by_tag_without_local_state() {
    require_hosts!();
    if let Some(why) = prism_unavailable() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the DigitalOcean spec test: {why}"
        );
        eprintln!("skipped: {why}");
        return;
    }
    let store = TestStore::new();
    let boot_key = ssh_keygen(store.dir.path(), "boot-key");
    let droplets = BareHosts::new(store.dir.path(), &boot_key, 3);
    let prism = Prism::start();
    let fake = fake_judged(
        |a| {
            a.addresses = droplets.addresses();
            a.key_sinks = droplets.authorized_keys(store.dir.path());
        },
        Some(prism.port),
    );

    let up = clusterctl(
        &store,
        &fake,
        &[
            "up",
            "do1",
            "--provider",
            "digitalocean",
            "--nodes",
            "3",
            "--digitalocean-region",
            "fra1",
            "--ssh-timeout",
            "120",
        ],
    );
    assert!(
        up.success,
        "{}\n{}",
        up.stderr,
        summary(&fake.server.requests())
    );
    // Joined nodes report Ready within a heartbeat or two.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let nodes = store.docker("do1-manager-0", &["node", "ls", "--format", "{{.Status}}"]);
        if nodes.stdout == "Ready\nReady\nReady\n" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{}{}",
            nodes.stdout,
            nodes.stderr
        );
        std::thread::sleep(std::time::Duration::from_millis(500));
    }

    let text = std::fs::read_to_string(store.root().join("clusters/do1/cluster.json")).unwrap();
    assert!(
        !text.contains(TOKEN),
        "the token is in cluster.json in clear"
    );
    let record: Value = serde_json::from_str(&text).unwrap();
    assert!(
        record["spec"]["driver"]["token"]
            .as_str()
            .unwrap()
            .starts_with("sealed:v1:"),
        "{record}"
    );
    let cluster_id = record["id"].as_str().unwrap().to_string();
    let id_tag = format!("machinectl:cluster-id:{cluster_id}");
    let log = fake.server.requests();
    eprintln!("API calls of a 3-node up: {}", log.len());
    check_firewall(&log, &id_tag, &cluster_id);
    check_droplets(&log, &id_tag);
    assert_no_violations(&fake.server);

    down_by_tag_among_two_of_one_name(&store, &fake, &cluster_id);
}

/// Another store's cluster of the same name in the account: one droplet
/// carrying its tags.
fn seed_other_cluster(fake: &Fake, id: &str) {
    let body = json!({"name": "do1-manager-0", "region": "fra1", "size": "s-1vcpu-1gb",
        "image": "ubuntu-24-04-x64", "tags": ["machinectl", "machinectl-cluster-do1",
        format!("machinectl:cluster-id:{id}")]});
    let req = Req {
        method: "POST".into(),
        target: "/v2/droplets".into(),
        headers: Vec::new(),
        body: body.to_string().into_bytes(),
    };
    assert_eq!(fake.account.lock().unwrap().handle(&req).status, 202);
}

/// With a second cluster of the name in the account, `up` of the name is
/// refused; with the local state gone, `down` by tag refuses to guess,
/// `--cluster-id` removes exactly that cluster, and the name tag stays
/// until the other's droplet is gone too.
fn down_by_tag_among_two_of_one_name(store: &TestStore, fake: &Fake, cluster_id: &str) {
    let other = "0000000000bb";
    seed_other_cluster(fake, other);
    let droplets_made = fake.server.calls("POST", "/v2/droplets");
    let again = clusterctl(
        &TestStore::new(),
        fake,
        &["up", "do1", "--provider", "digitalocean"],
    );
    assert!(
        again
            .one_line_error()
            .contains("a cluster named do1 exists there already"),
        "{}",
        again.stderr
    );
    assert_eq!(fake.server.calls("POST", "/v2/droplets"), droplets_made);

    std::fs::remove_dir_all(store.root().join("clusters")).unwrap();
    std::fs::remove_dir_all(store.root().join("machines")).unwrap();
    let down = |extra: &[&str]| {
        let args = [&["down", "do1", "--provider", "digitalocean", "-y"], extra].concat();
        clusterctl(store, fake, &args)
    };
    let two = down(&[]);
    assert!(
        two.one_line_error().contains("2 clusters are named do1")
            && two.stderr.contains(cluster_id)
            && two.stderr.contains(other),
        "{}",
        two.stderr
    );
    let before = fake.server.count();
    let ours = down(&["--cluster-id", cluster_id]);
    eprintln!(
        "API calls of a down by tag: {}",
        fake.server.count() - before
    );
    assert!(ours.success, "{}", ours.stderr);
    assert!(
        ours.stderr.contains(&format!("(id {cluster_id})")),
        "{}",
        ours.stderr
    );
    let name_tag = "machinectl-cluster-do1".to_string();
    assert_eq!(
        fake.account.lock().unwrap().leftovers(),
        (
            0,
            1,
            0,
            vec![name_tag, format!("machinectl:cluster-id:{other}")]
        ),
        "only the other cluster is left"
    );
    let theirs = down(&["--cluster-id", other]);
    assert!(theirs.success, "{}", theirs.stderr);
    assert_eq!(
        fake.account.lock().unwrap().leftovers(),
        (0, 0, 0, Vec::new()),
        "keys, droplets, firewalls and tags left"
    );
    assert_no_violations(&fake.server);
    let none = down(&[]);
    assert!(
        none.one_line_error()
            .contains("nothing there carries its tag"),
        "{}",
        none.stderr
    );
}

#[test]
fn a_user_data_flag_is_refused_for_cluster_nodes_before_any_call() {
    let store = TestStore::new();
    let fake = fake_judged(|_| {}, None);
    let file = store.dir.path().join("user-data");
    std::fs::write(&file, "#cloud-config\n").unwrap();
    let run = clusterctl(
        &store,
        &fake,
        &[
            "up",
            "--provider",
            "digitalocean",
            "--digitalocean-userdata",
            file.to_str().unwrap(),
        ],
    );
    assert!(
        run.one_line_error()
            .contains("--digitalocean-userdata cannot be used for a cluster's nodes"),
        "{}",
        run.stderr
    );
    assert_eq!(
        fake.server.count(),
        0,
        "{}",
        summary(&fake.server.requests())
    );
    assert!(
        !store.root().join("clusters").exists(),
        "something was written"
    );
    // Another provider's driver flags are refused by name.
    let run = clusterctl(
        &store,
        &fake,
        &["up", "--provider", "local", "--digitalocean-region", "fra1"],
    );
    assert!(
        run.stderr.contains("--digitalocean-region"),
        "{}",
        run.stderr
    );
    assert!(!run.success);
}

/// A droplet DigitalOcean refuses: the node's create rolls back its key,
/// the up rolls back the cluster firewall and tags it made first; a
/// refused firewall takes its tags back. Nothing is left, no record stays.
#[test]
fn a_refused_droplet_or_firewall_rolls_back_what_was_made_before() {
    let store = TestStore::new();
    let fake = fake_judged(
        |a| a.fail_firewall = Some((422, "Firewall limit reached".into())),
        None,
    );
    let run = clusterctl(&store, &fake, &["up", "do2", "--provider", "digitalocean"]);
    assert!(
        run.one_line_error().contains("Firewall limit reached"),
        "{}",
        run.stderr
    );
    assert_eq!(fake.server.calls("POST", "/v2/tags"), 2);
    assert_eq!(
        fake.account.lock().unwrap().leftovers(),
        (0, 0, 0, Vec::new()),
        "{}",
        summary(&fake.server.requests())
    );
    assert!(!store.root().join("clusters/do2").exists());
    let fake = fake_judged(
        |a| a.fail_droplet = Some((422, "Region is not available".into())),
        None,
    );
    let run = clusterctl(
        &store,
        &fake,
        &["up", "do2", "--provider", "digitalocean", "--nodes", "2"],
    );
    assert!(
        run.one_line_error().contains("Region is not available"),
        "{}",
        run.stderr
    );
    assert_eq!(fake.server.calls("POST", "/v2/firewalls"), 1);
    assert_eq!(
        fake.account.lock().unwrap().leftovers(),
        (0, 0, 0, Vec::new()),
        "{}",
        summary(&fake.server.requests())
    );
    assert!(!store.root().join("clusters/do2").exists());
    assert_eq!(store.ok(["ls", "-q"]).stdout, "");
}

/// `scale` makes a droplet from the recorded driver (no flags: the token
/// is sealed in the record) with the cluster's tags and user-data, joined
/// to the swarm. `down` with the local state: each node's machine goes
/// (droplet, key, machine tag), then what they shared (the firewall, the
/// cluster's tags).
#[test]
fn scale_from_the_record_and_down_with_local_state_leave_nothing() {
    require_hosts!();
    let store = TestStore::new();
    let boot_key = ssh_keygen(store.dir.path(), "boot-key");
    let droplets = BareHosts::new(store.dir.path(), &boot_key, 2);
    let fake = fake_judged(
        |a| {
            a.addresses = droplets.addresses();
            a.key_sinks = droplets.authorized_keys(store.dir.path());
        },
        None,
    );
    let up = clusterctl(&store, &fake, &["up", "do3", "--provider", "digitalocean"]);
    assert!(up.success, "{}", up.stderr);
    let (keys, made, firewalls, _) = fake.account.lock().unwrap().leftovers();
    assert_eq!((keys, made, firewalls), (1, 1, 1));
    let scale = Run::from(
        store
            .command_for("clusterctl")
            .env_remove("DIGITALOCEAN_ACCESS_TOKEN")
            .args(["scale", "do3", "--nodes", "2"])
            .output()
            .unwrap(),
    );
    assert!(scale.success, "{}", scale.stderr);
    let nodes = store.docker("do3-manager-0", &["node", "ls", "-q"]);
    assert_eq!(nodes.stdout.lines().count(), 2, "{}", nodes.stderr);
    let log = fake.server.requests();
    let added = bodies(&log, "POST", "/v2/droplets").pop().unwrap();
    assert_eq!(added["name"], "do3-worker-0");
    assert!(
        added["tags"]
            .as_array()
            .unwrap()
            .contains(&json!("machinectl-cluster-do3"))
    );
    let user_data = added["user_data"].as_str().unwrap();
    assert!(user_data.starts_with("#cloud-config"), "{user_data}");
    assert_eq!(
        fake.server.calls("POST", "/v2/firewalls"),
        1,
        "the firewall is the cluster's"
    );
    let down = clusterctl(&store, &fake, &["down", "-y", "do3"]);
    assert!(down.success, "{}", down.stderr);
    assert_eq!(
        fake.account.lock().unwrap().leftovers(),
        (0, 0, 0, Vec::new()),
        "{}",
        summary(&fake.server.requests())
    );
    assert_eq!(store.ok(["ls", "-q"]).stdout, "");
}
