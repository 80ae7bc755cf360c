//! `clusterctl up/down --provider gce` against the gce driver's fake
//! Compute Engine (`gce/fake.rs`), every request held to Google's
//! discovery document: the nodes' labels, network tags, per-role
//! user-data and scopes, the cluster's firewall rules, `down` by label with
//! the local cluster record gone, and the rollback of a failed up.
//!
//! Most of these give every instance 127.0.0.1 and stop where a node would
//! be reached over SSH (`--ssh-timeout 1`); `--keep-on-error` keeps what an
//! up made so it can be inspected and then found by `down`. In the
//! whole-path test the fake hands out the addresses of the test's own
//! namespace hosts (on the local subnet), so the nodes are provisioned
//! over SSH and the Swarm forms for real. Nothing here connects to an
//! address that is not the test's own.

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::cluster_generic::BareHosts;
use crate::common::{Run, TestStore, files_in, ssh_keygen};
use crate::gce::fake::{Fake, PROJECT};
use crate::gce::{all_gone, assert_no_secrets, closed_port, setup, summary};
use crate::require_hosts;

/// clusterctl with the fake's endpoint and the test's service-account key.
fn clusterctl(store: &TestStore, fake: &Fake, creds: &Path, args: &[&str]) -> Run {
    let run = Run::from(command(store, fake, creds, args).output().unwrap());
    assert_no_secrets(&run, args);
    run
}

fn command(store: &TestStore, fake: &Fake, creds: &Path, args: &[&str]) -> std::process::Command {
    let mut command = store.command_for("clusterctl");
    command
        .env("GOOGLE_COMPUTE_ENDPOINT", fake.endpoint())
        .env("GCE_METADATA_HOST", format!("127.0.0.1:{}", closed_port()))
        .env("GOOGLE_APPLICATION_CREDENTIALS", creds)
        .env_remove("GOOGLE_PROJECT")
        .env_remove("CLOUDSDK_CONFIG")
        .args(args);
    command
}

/// `up web --provider gce --nodes 3` and `extra`.
fn up_web(store: &TestStore, fake: &Fake, creds: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["up", "web", "--provider", "gce", "--nodes", "3"];
    args.extend_from_slice(extra);
    clusterctl(store, fake, creds, &args)
}

/// `up NAME --provider gce` kept on error: every node made, none reached.
fn up_kept(store: &TestStore, fake: &Fake, creds: &Path, name: &str, extra: &[&str]) -> String {
    let mut args = vec!["up", name, "--provider", "gce", "--ssh-timeout", "1"];
    args.extend_from_slice(extra);
    args.push("--keep-on-error");
    let up = clusterctl(store, fake, creds, &args);
    assert!(
        !up.success,
        "the fake's nodes cannot be reached:\n{}",
        up.stderr
    );
    assert!(up.stderr.contains("Kept cluster"), "{}", up.stderr);
    fake.assert_no_violations();
    store.cluster_id(name)
}

/// The instances of the fake by name.
fn instances(fake: &Fake) -> Vec<(String, Value)> {
    let cloud = fake.cloud.lock().unwrap();
    cloud
        .instances
        .iter()
        .map(|((_, name), i)| (name.clone(), i.clone()))
        .collect()
}

fn rule(fake: &Fake, name: &str) -> Value {
    let cloud = fake.cloud.lock().unwrap();
    cloud
        .firewalls
        .get(name)
        .cloned()
        .unwrap_or_else(|| panic!("no rule {name}: {:?}", cloud.firewalls.keys()))
}

/// An instance's metadata value of `key`.
fn metadata<'a>(instance: &'a Value, key: &str) -> Option<&'a str> {
    instance["metadata"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == key)
        .map(|i| i["value"].as_str().unwrap())
}

/// Every node carries the cluster's labels and network tag beside the machine's.
fn check_node_labels(fake: &Fake, cluster: &str, id: &str, names: &[&str]) {
    let made = instances(fake);
    let made_names: Vec<&str> = made.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(made_names, names);
    for (name, instance) in &made {
        assert_eq!(
            instance["labels"],
            json!({"machinectl-managed": "true", "machinectl-machine": name,
                   "machinectl-cluster": cluster, "machinectl-cluster-id": id}),
            "{name}"
        );
        let tag = format!("machinectl-cluster-{id}");
        assert_eq!(
            instance["tags"]["items"],
            json!(["machinectl", tag]),
            "{name}"
        );
    }
}

/// The machine rule (SSH and the engine from the allowed CIDR) and the
/// cluster's peer rule (its ports from its own tag only).
fn check_peer_rule(fake: &Fake, id: &str, cluster: &str, allowed: Value, sources: &str) {
    let machine = rule(fake, "machinectl");
    assert_eq!(
        machine["allowed"],
        json!([{"IPProtocol": "tcp", "ports": ["22", "2376"]}])
    );
    assert_eq!(machine["sourceRanges"], json!([sources]));
    let tag = format!("machinectl-cluster-{id}");
    let peer = rule(fake, &tag);
    assert_eq!(peer["allowed"], allowed);
    assert_eq!(peer["sourceTags"], json!([tag]));
    assert_eq!(peer["targetTags"], json!([tag]));
    assert!(
        peer.get("sourceRanges").is_none(),
        "peer ports open to no address range: {peer}"
    );
    assert_eq!(peer["direction"], "INGRESS");
    assert_eq!(
        peer["network"],
        format!("projects/{PROJECT}/global/networks/default")
    );
    let description = peer["description"].as_str().unwrap();
    assert!(
        description.starts_with(&format!(
            "machinectl:cluster={cluster} machinectl:cluster-id={id}: "
        )),
        "{description}"
    );
}

/// What `render` of the kept cluster writes, by file name.
fn rendered(store: &TestStore, fake: &Fake, creds: &Path, name: &str) -> Vec<(String, String)> {
    let out = store.dir.path().join(format!("render-{name}"));
    let run = clusterctl(
        store,
        fake,
        creds,
        &["render", name, "--out", out.to_str().unwrap()],
    );
    assert!(run.success, "{}", run.stderr);
    files_in(&out)
}

/// Each node booted with its role's user-data, byte for byte what `render` shows.
fn check_swarm_user_data(store: &TestStore, fake: &Fake, creds: &Path) {
    let files = rendered(store, fake, creds, "web");
    let file = |role: &str| {
        files
            .iter()
            .find(|(n, _)| n == &format!("user-data-{role}.yaml"))
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| panic!("no user-data-{role}.yaml in {files:?}"))
    };
    let (manager, worker) = (file("manager"), file("worker"));
    assert!(manager.starts_with("#cloud-config"), "{manager}");
    for (name, instance) in instances(fake) {
        let role = if name.contains("-manager-") {
            &manager
        } else {
            &worker
        };
        assert_eq!(
            metadata(&instance, "user-data"),
            Some(role.as_str()),
            "{name}"
        );
        assert!(metadata(&instance, "ssh-keys").is_some(), "{name}");
    }
}

/// A Swarm of three on gce: the nodes' labels, tag and user-data, the
/// rules; then the local cluster record is deleted and `down --provider
/// gce` finds the cluster by label alone, refuses while another cluster
/// of the same name is there, removes the one `--cluster-id` picks (its
/// nodes and its rule) and leaves the other, which a second down then
/// removes with the machine rule: nothing is left. Lists come one item a
/// page.
#[test]
fn swarm_of_three_and_down_by_label_without_local_state() {
    let (fake, store, creds) = setup(|c| c.op_polls = 1);
    let id = up_kept(&store, &fake, &creds, "web", &["--nodes", "3"]);
    fake.cloud.lock().unwrap().page_size = 1;
    check_node_labels(
        &fake,
        "web",
        &id,
        &["web-manager-0", "web-worker-0", "web-worker-1"],
    );
    let swarm = json!([{"IPProtocol": "tcp", "ports": ["2377", "7946"]},
                       {"IPProtocol": "udp", "ports": ["7946", "4789"]}]);
    check_peer_rule(&fake, &id, "web", swarm, "0.0.0.0/0");
    let public = format!("machinectl-cluster-{id}-public");
    assert!(
        !fake.cloud.lock().unwrap().firewalls.contains_key(&public),
        "swarm has no public ports"
    );
    check_swarm_user_data(&store, &fake, &creds);
    // Another store cannot make a cluster of that name there: found by label.
    let again = up_web(&TestStore::new(), &fake, &creds, &[]);
    let line = again.one_line_error();
    assert!(
        line.contains("a cluster named web exists there already") && line.contains(&id),
        "{line}"
    );

    // Local state lost; another cluster named web (another up) is in the project.
    std::fs::remove_dir_all(store.root().join("clusters/web")).unwrap();
    let other = another_cluster_named_web(&fake);
    let from = fake.server.requests().len();
    let down = clusterctl(
        &store,
        &fake,
        &creds,
        &["down", "web", "--provider", "gce", "-y"],
    );
    assert!(!down.success);
    let line = down.one_line_error();
    assert!(
        line.contains("2 clusters are named web")
            && line.contains(&id)
            && line.contains("--cluster-id"),
        "{line}"
    );
    assert_eq!(instances(&fake).len(), 4, "a refused down removes nothing");

    let down = clusterctl(
        &store,
        &fake,
        &creds,
        &[
            "down",
            "web",
            "--provider",
            "gce",
            "-y",
            "--cluster-id",
            &id,
        ],
    );
    assert!(down.success, "{}\n{}", down.stderr, summary(&fake));
    fake.assert_no_violations();
    let left: Vec<String> = instances(&fake).into_iter().map(|(n, _)| n).collect();
    assert_eq!(left, [other], "only the other cluster's node is left");
    let rules: Vec<String> = fake
        .cloud
        .lock()
        .unwrap()
        .firewalls
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        rules,
        ["machinectl"],
        "the rule still serves the other node"
    );
    assert!(
        !store.machine_dir("web-manager-0").exists(),
        "the nodes' machine records are forgotten"
    );
    check_down_calls(&fake, from, &id);
    // The other one is now the only web there: found and removed, the
    // machine rule with it; the project ends empty.
    let down = clusterctl(
        &store,
        &fake,
        &creds,
        &["down", "web", "--provider", "gce", "-y"],
    );
    assert!(down.success, "{}\n{}", down.stderr, summary(&fake));
    assert!(down.stderr.contains("0123456789ab"), "{}", down.stderr);
    all_gone(&fake, &store, "web-manager-9");
}

/// A node of another up of a cluster named web, as another store left it.
fn another_cluster_named_web(fake: &Fake) -> String {
    let mut cloud = fake.cloud.lock().unwrap();
    let ((zone, _), first) = cloud.instances.iter().next().unwrap();
    let (zone, mut other) = (zone.clone(), first.clone());
    let name = "web-manager-9".to_string();
    other["name"] = json!(name);
    other["labels"]["machinectl-machine"] = json!(name);
    other["labels"]["machinectl-cluster-id"] = json!("0123456789ab");
    cloud.instances.insert((zone, name.clone()), other);
    name
}

/// What the second down asked: found by label and by rule name (filters
/// the document allows), then the deletes, each operation waited on.
fn check_down_calls(fake: &Fake, from: usize, id: &str) {
    let requests = fake.server.requests();
    let targets: Vec<String> = requests[from..]
        .iter()
        .filter(|l| l.req.path().contains("/compute/v1/"))
        .map(|l| {
            let t = &l.req.target;
            format!("{} {}", l.req.method, &t[t.find("projects/").unwrap()..])
        })
        .collect();
    let list = format!(
        "GET projects/{PROJECT}/aggregated/instances?filter=labels.machinectl-cluster%3Dweb&maxResults=500"
    );
    assert!(targets.contains(&list), "{targets:#?}");
    let rules = format!(
        "GET projects/{PROJECT}/global/firewalls?filter=name+eq+machinectl-cluster-.*&maxResults=500"
    );
    assert!(targets.contains(&rules), "{targets:#?}");
    let next = format!("{list}&pageToken=page-3");
    assert!(
        targets.contains(&next),
        "four nodes, one a page: {targets:#?}"
    );
    let deletes: Vec<&String> = targets.iter().filter(|t| t.starts_with("DELETE")).collect();
    let zone = format!("projects/{PROJECT}/zones/us-central1-a/instances");
    assert_eq!(
        deletes,
        [
            &format!("DELETE {zone}/web-manager-0"),
            &format!("DELETE {zone}/web-worker-0"),
            &format!("DELETE {zone}/web-worker-1"),
            &format!("DELETE projects/{PROJECT}/global/firewalls/machinectl-cluster-{id}"),
        ],
        "nodes first, then the cluster's rule; the machine rule stays in use"
    );
}

/// An up whose nodes cannot be reached (no --keep-on-error) removes what
/// it made: the three instances and their disks, the cluster's rules and
/// the machine rule; its record and machines go too. So does one whose
/// instance inserts fail (their disks left behind are deleted by name).
#[test]
fn a_failed_up_rolls_back_what_it_made() {
    let (fake, store, creds) = setup(|c| c.op_polls = 1);
    let up = up_web(&store, &fake, &creds, &["--ssh-timeout", "1"]);
    assert!(!up.success);
    assert!(
        up.stderr.contains("Removing what this up made"),
        "{}",
        up.stderr
    );
    let calls = fake.compute_calls(0);
    let mut rules: Vec<String> = fake
        .server
        .requests()
        .iter()
        .filter(|l| l.req.method == "POST" && l.req.path().ends_with("/global/firewalls"))
        .map(|l| l.req.json()["name"].as_str().unwrap().to_string())
        .collect();
    rules.dedup();
    assert_eq!(
        rules.len(),
        2,
        "the cluster's rule, then the machine rule (asked for by each node until one made it): {rules:?}"
    );
    assert!(rules[0].starts_with("machinectl-cluster-"), "{rules:?}");
    assert_eq!(rules[1], "machinectl");
    let inserts = calls
        .iter()
        .filter(|c| c.starts_with("POST") && c.ends_with("/instances"))
        .count();
    assert_eq!(inserts, 3, "{calls:#?}");
    for node in ["web-manager-0", "web-worker-0", "web-worker-1"] {
        all_gone(&fake, &store, node);
    }
    assert!(!store.root().join("clusters/web").exists());

    // Inserts whose operations fail leave disks: those go too, with the rules.
    let (fake, store, creds) = setup(|c| {
        c.fail_insert_op = Some("The zone does not have enough resources".into());
    });
    let up = up_web(&store, &fake, &creds, &["--ssh-timeout", "1"]);
    assert!(
        up.one_line_error().contains("enough resources"),
        "{}",
        up.stderr
    );
    let disks = fake
        .compute_calls(0)
        .iter()
        .filter(|c| c.contains("/disks/"))
        .count();
    assert_eq!(disks, 3, "{}", summary(&fake));
    all_gone(&fake, &store, "web-manager-0");
    assert!(!store.root().join("clusters/web").exists());
}

/// Consul on gce: the peer rule opens Consul's ports between the nodes, a
/// second rule its HTTPS port from --gce-allowed-cidr only; the nodes get
/// the read-only compute scope their auto-join lists instances with, and
/// no user-data (their boot names the servers' addresses: it goes over
/// SSH). `down` of the kept cluster, record and all, leaves nothing.
#[test]
fn consul_nodes_get_their_rules_and_the_auto_join_scope() {
    let (fake, store, creds) = setup(|_| {});
    let cidr = "203.0.113.0/24";
    let extra = [
        "--orchestrator",
        "consul",
        "--nodes",
        "4",
        "--managers",
        "3",
        "--gce-allowed-cidr",
        cidr,
    ];
    let id = up_kept(&store, &fake, &creds, "kv", &extra);
    let names = ["kv-client-0", "kv-server-0", "kv-server-1", "kv-server-2"];
    check_node_labels(&fake, "kv", &id, &names);
    let consul = json!([{"IPProtocol": "tcp", "ports": ["8300-8302", "8501", "8600"]},
                        {"IPProtocol": "udp", "ports": ["8301-8302", "8600"]}]);
    check_peer_rule(&fake, &id, "kv", consul, cidr);
    let public = rule(&fake, &format!("machinectl-cluster-{id}-public"));
    assert_eq!(
        public["allowed"],
        json!([{"IPProtocol": "tcp", "ports": ["8501"]}])
    );
    assert_eq!(public["sourceRanges"], json!([cidr]));
    assert!(public.get("sourceTags").is_none(), "{public}");
    assert_eq!(
        public["targetTags"],
        json!([format!("machinectl-cluster-{id}")])
    );
    for (name, instance) in instances(&fake) {
        let scopes = &instance["serviceAccounts"][0]["scopes"];
        assert!(
            scopes
                .as_array()
                .unwrap()
                .contains(&json!("https://www.googleapis.com/auth/compute.readonly")),
            "{name}: {scopes}"
        );
        assert_eq!(metadata(&instance, "user-data"), None, "{name}");
    }
    let down = clusterctl(&store, &fake, &creds, &["down", "kv", "-y"]);
    assert!(down.success, "{}\n{}", down.stderr, summary(&fake));
    all_gone(&fake, &store, "kv-server-0");
    assert!(!store.root().join("clusters/kv").exists());
}

/// --gce-userdata cannot boot a cluster's nodes (their role's user-data
/// does): one line naming the flag, before any Compute call; nothing kept.
#[test]
fn a_user_data_flag_is_refused_before_any_call() {
    let (fake, store, creds) = setup(|_| {});
    let file = store.dir.path().join("user-data.yaml");
    std::fs::write(&file, "#cloud-config\n").unwrap();
    let up = up_web(
        &store,
        &fake,
        &creds,
        &["--gce-userdata", file.to_str().unwrap()],
    );
    assert!(!up.success);
    assert!(
        up.stderr
            .contains("--gce-userdata cannot be used for a cluster's nodes"),
        "{}",
        up.stderr
    );
    assert_eq!(fake.compute_calls(0), Vec::<String>::new());
    assert!(!store.root().join("clusters/web").exists());
    assert!(!store.machine_dir("web-manager-0").exists());
}

/// The whole path: the fake hands out the addresses of the test's own
/// namespace hosts, so `up` of a Swarm of three makes the rule and three
/// instances, provisions each node over SSH (its key put on the stand-in
/// at its address as soon as the node's record names both, as the guest
/// agent would from `ssh-keys`) and forms the Swarm through the Engine
/// API: three Ready nodes, one Leader. `scale --nodes 4` adds a node
/// labelled and tagged with the same cluster id, which joins; `down`
/// leaves nothing in the fake or the store.
#[test]
fn swarm_of_three_forms_on_stand_in_nodes() {
    require_hosts!();
    let (fake, store, creds) = setup(|c| c.op_polls = 1);
    // Each accepts only a throwaway key until its node's key is known.
    let throwaway = ssh_keygen(store.dir.path(), "throwaway");
    let stand_ins = BareHosts::new(store.dir.path(), &throwaway, 4);
    fake.cloud.lock().unwrap().address_pool = stand_ins
        .0
        .iter()
        .map(|h| (h.ip.to_string(), h.ip.to_string()))
        .collect();
    let nodes = ["web-manager-0", "web-worker-0", "web-worker-1"];
    let args = ["up", "web", "--provider", "gce", "--nodes", "3"];
    let up = with_keys(&store, &fake, &creds, &stand_ins, &args, &nodes);
    assert!(up.stderr.contains("Forming the swarm"), "{}", up.stderr);
    swarm_is(&store, &["Ready ", "Ready ", "Ready Leader"]);
    let record = store.root().join("clusters/web/cluster.json");
    let record: Value = serde_json::from_str(&std::fs::read_to_string(record).unwrap()).unwrap();
    let id = record["id"].as_str().unwrap();

    let scale = ["scale", "web", "--nodes", "4"];
    with_keys(&store, &fake, &creds, &stand_ins, &scale, &["web-worker-2"]);
    let all = [
        "web-manager-0",
        "web-worker-0",
        "web-worker-1",
        "web-worker-2",
    ];
    check_node_labels(&fake, "web", id, &all);
    swarm_is(&store, &["Ready ", "Ready ", "Ready ", "Ready Leader"]);

    let down = clusterctl(&store, &fake, &creds, &["down", "web", "-y"]);
    assert!(down.success, "{}\n{}", down.stderr, summary(&fake));
    all_gone(&fake, &store, "web-manager-0");
}

/// Run clusterctl (as root on the nodes, SSH waited for up to two
/// minutes) while giving `nodes` their keys; it must succeed.
fn with_keys(
    store: &TestStore,
    fake: &Fake,
    creds: &Path,
    stand_ins: &BareHosts,
    args: &[&str],
    nodes: &[&str],
) -> Run {
    let mut child = command(store, fake, creds, args);
    if args[0] == "up" {
        child.args(["--gce-username", "root"]);
    }
    let mut child = child
        .args(["--ssh-timeout", "120"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let keyed = give_keys(store, stand_ins, &mut child, nodes);
    let run = Run::from(child.wait_with_output().unwrap());
    keyed.unwrap_or_else(|e| panic!("{e}\n{}\n{}", run.stderr, summary(fake)));
    assert!(
        run.success,
        "{args:?} failed:\n{}\n{}",
        run.stderr,
        summary(fake)
    );
    assert_no_secrets(&run, args);
    fake.assert_no_violations();
    run
}

/// Put each node's key on the stand-in at the address its record names;
/// an error when up ends or two minutes pass first.
fn give_keys(
    store: &TestStore,
    stand_ins: &BareHosts,
    up: &mut Child,
    nodes: &[&str],
) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut waiting: Vec<&str> = nodes.to_vec();
    while !waiting.is_empty() {
        if Instant::now() > deadline || up.try_wait().unwrap().is_some() {
            return Err(format!("{waiting:?} never got an address"));
        }
        waiting.retain(|node| {
            let Some((ip, key)) = node_address(store, node) else {
                return true;
            };
            let host = stand_ins
                .0
                .iter()
                .find(|h| h.ip == ip)
                .expect("a stand-in's address");
            let keys = host.root_dir.join("root-ssh/authorized_keys");
            let mut text = std::fs::read_to_string(&keys).unwrap();
            text.push_str(&key);
            std::fs::write(&keys, text).unwrap();
            false
        });
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

/// A node's recorded external address and its public key, once both exist.
fn node_address(store: &TestStore, node: &str) -> Option<(std::net::Ipv4Addr, String)> {
    let dir = store.machine_dir(node);
    let text = std::fs::read_to_string(dir.join("machine.json")).ok()?;
    let record: Value = serde_json::from_str(&text).ok()?;
    let ip = record["driver"]["resources"]["external_ip"]
        .as_str()?
        .parse()
        .ok()?;
    let key = std::fs::read_to_string(dir.join("id_ed25519.pub")).ok()?;
    Some((ip, key))
}

/// The swarm's nodes as the manager's `docker node ls` shows them (sorted).
fn swarm_is(store: &TestStore, expected: &[&str]) {
    let format = "{{.Status}} {{.ManagerStatus}}";
    assert_eq!(store.swarm_nodes("web-manager-0", format), expected);
}

/// Against Compute Engine itself, only when asked: `MACHINECTL_LIVE_GCE=1
/// GOOGLE_APPLICATION_CREDENTIALS=key.json cargo test -p machinectl --test it
/// -- --ignored cluster_gce::live`. It makes a Swarm of three real
/// instances (billed), checks it, and removes it by label with the local
/// record gone.
#[test]
#[ignore = "creates real instances: set MACHINECTL_LIVE_GCE=1 and GOOGLE_APPLICATION_CREDENTIALS, then run with --ignored"]
fn live_gce_swarm_up_and_down_by_label() {
    if std::env::var("MACHINECTL_LIVE_GCE").as_deref() != Ok("1") {
        eprintln!("skipped: MACHINECTL_LIVE_GCE=1 is not set");
        return;
    }
    let store = TestStore::new();
    let name = format!("mctl-live-{}", std::process::id());
    let run = |args: &[&str]| {
        let out = store.command_for("clusterctl").args(args).output().unwrap();
        Run::from(out)
    };
    let up = run(&["up", &name, "--provider", "gce", "--nodes", "3"]);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        assert!(up.success, "{}", up.stderr);
        let manager = format!("{name}-manager-0");
        let nodes = store.docker(&manager, &["node", "ls", "-q"]);
        assert_eq!(nodes.stdout.lines().count(), 3, "{}", nodes.stderr);
    }));
    std::fs::remove_dir_all(store.root().join("clusters").join(&name)).ok();
    let down = run(&["down", &name, "--provider", "gce", "-y"]);
    assert!(down.success, "{}", down.stderr);
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}
