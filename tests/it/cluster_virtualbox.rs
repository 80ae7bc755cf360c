//! `clusterctl up/down --provider virtualbox` against the virtualbox
//! driver's VBoxManage stand-in (`virtualbox_fixtures/VBoxManage`, first on
//! PATH; see virtualbox.rs): every VBoxManage call is logged and held to
//! what the stand-in (VBoxManage's formats and refusals) accepts.
//!
//! Without isolation the nodes' SSH is never reached (nothing forwards the
//! NAT port on 127.0.0.1), so those tests stop where a node's create waits
//! for SSH: the VMs, their extradata tags and their seeds are checked, and
//! `down` without local state finds the VMs by their extradata. The test
//! that forms a swarm runs in an isolated network namespace, with
//! namespace hosts standing in at the addresses the stand-in hands out
//! (192.168.56.101-103) and the stand-in's NAT forwards leading to them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::Run;
use crate::isolated;
use crate::virtualbox::{VBoxFake, cloud_init_accepts, read_seed, verbs};

const NAME_TAG: &str = "machinectl:cluster";
const ID_TAG: &str = "machinectl:cluster-id";
const MANAGED_TAG: &str = "machinectl:managed";

/// The virtualbox driver flags every run gives (the stand-in's image, no
/// VT-x check: this computer need not offer it).
fn driver_flags(fake: &VBoxFake) -> Vec<String> {
    let image = fake.image();
    [
        "--virtualbox-no-vtx-check",
        "--virtualbox-image-path",
        image.to_str().unwrap(),
    ]
    .map(String::from)
    .to_vec()
}

fn clusterctl(fake: &VBoxFake, args: &[String]) -> Run {
    let started = Instant::now();
    let run = Run::from(fake.command_for("clusterctl").args(args).output().unwrap());
    eprintln!(
        "[{:6.2} s] clusterctl {args:?}",
        started.elapsed().as_secs_f64()
    );
    run
}

/// `up NAME --provider virtualbox --nodes N` with the driver flags, then `extra`.
fn up_args(fake: &VBoxFake, name: &str, nodes: u32, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = ["up", name, "--provider", "virtualbox", "--nodes"]
        .map(String::from)
        .to_vec();
    args.push(nodes.to_string());
    args.extend(driver_flags(fake));
    args.extend(extra.iter().map(|a| a.to_string()));
    args
}

/// An up whose nodes are kept where they stop: at the SSH wait.
fn up_kept(fake: &VBoxFake, name: &str, nodes: u32) -> Run {
    let up = clusterctl(
        fake,
        &up_args(
            fake,
            name,
            nodes,
            &["--ssh-timeout", "1", "--keep-on-error"],
        ),
    );
    assert!(!up.success, "nothing answers SSH here: {}", up.stdout);
    up
}

/// `down NAME -y --provider virtualbox` (no local state needed), then `extra`.
fn down_by_tag(fake: &VBoxFake, name: &str, extra: &[&str]) -> Run {
    let mut args: Vec<String> = ["down", name, "-y", "--provider", "virtualbox"]
        .map(String::from)
        .to_vec();
    args.extend(extra.iter().map(|a| a.to_string()));
    clusterctl(fake, &args)
}

/// The stand-in's VMs.
fn vm_list(fake: &VBoxFake) -> Vec<Value> {
    let state = fake.state();
    state["vms"]
        .as_object()
        .map(|vms| vms.values().cloned().collect())
        .unwrap_or_default()
}

/// The stand-in's VMs by name (of one store: names are unique).
fn vms(fake: &VBoxFake) -> BTreeMap<String, Value> {
    vm_list(fake)
        .into_iter()
        .map(|vm| (vm["name"].as_str().unwrap().to_string(), vm))
        .collect()
}

fn extradata(vm: &Value) -> BTreeMap<String, String> {
    vm["extradata"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// Each VM is tagged by the first calls that name it, before anything else
/// is done to it: a create that dies later still leaves a VM down finds.
fn tagged_first(calls: &[Vec<String>], uuid: &str, name: &str, id: &str) {
    // (createvm names the UUID machinectl chose: the VM is made with it.)
    let naming: Vec<&Vec<String>> = calls
        .iter()
        .filter(|c| c[0] != "createvm" && c.iter().any(|a| a == uuid))
        .collect();
    let tags: Vec<(&str, &str)> = naming
        .iter()
        .take(3)
        .map(|c| {
            assert_eq!(c[0], "setextradata", "{name}: {naming:?}");
            (c[2].as_str(), c[3].as_str())
        })
        .collect();
    assert_eq!(
        tags,
        [(NAME_TAG, "web"), (ID_TAG, id), (MANAGED_TAG, "true")],
        "{name}"
    );
}

/// The seed's user-data of `node`, checked by cloud-init's schema and
/// parsed.
fn seed_user_data(fake: &VBoxFake, node: &str) -> Value {
    let out = fake.store.dir.path().join(format!("seed-{node}"));
    read_seed(&fake.store.machine_dir(node).join("seed.iso"), &out);
    let file = out.join("user-data");
    cloud_init_accepts(&file, node);
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.starts_with("#cloud-config\n"), "{text}");
    serde_yaml_ng::from_str(&text).unwrap()
}

/// What `clusterctl render` gives each role: (write_files, runcmd).
fn rendered_roles(fake: &VBoxFake, nodes: u32) -> BTreeMap<String, (Value, Value)> {
    let out = fake.store.dir.path().join("rendered");
    let mut args: Vec<String> = ["render", "web", "--provider", "virtualbox", "--nodes"]
        .map(String::from)
        .to_vec();
    args.push(nodes.to_string());
    args.extend(driver_flags(fake));
    args.extend(["--out".to_string(), out.to_str().unwrap().to_string()]);
    let run = clusterctl(fake, &args);
    assert!(run.success, "{}", run.stderr);
    ["manager", "worker"]
        .iter()
        .map(|role| {
            let text = std::fs::read_to_string(out.join(format!("user-data-{role}.yaml"))).unwrap();
            let doc: Value = serde_yaml_ng::from_str(&text).unwrap();
            (
                role.to_string(),
                (doc["write_files"].clone(), doc["runcmd"].clone()),
            )
        })
        .collect()
}

/// Each node's seed: the driver's user with the node's key and name, and
/// its role's files and commands exactly as `render` shows them.
fn seeds_carry_their_roles(fake: &VBoxFake, nodes: &[&str]) {
    let roles = rendered_roles(fake, nodes.len() as u32);
    for node in nodes {
        let data = seed_user_data(fake, node);
        let key =
            std::fs::read_to_string(fake.store.machine_dir(node).join("id_ed25519.pub")).unwrap();
        assert_eq!(data["hostname"], *node);
        assert_eq!(
            data["users"][0]["ssh_authorized_keys"][0].as_str(),
            Some(key.trim())
        );
        let role = node.split('-').nth(1).unwrap();
        let (files, run) = &roles[role];
        assert!(files.as_array().is_some_and(|f| !f.is_empty()), "{role}");
        assert_eq!(&data["write_files"], files, "{node}");
        assert_eq!(&data["runcmd"], run, "{node}");
    }
}

/// No rule opens a port: NAT forwards SSH alone, and no call but a
/// machine's own create touches the network (the host-only one is open).
fn no_firewall(calls: &[Vec<String>]) {
    for call in calls.iter().filter(|c| c[0] == "modifyvm") {
        for (i, a) in call.iter().enumerate() {
            if a == "--natpf1" {
                assert!(call[i + 1].starts_with("ssh,tcp,127.0.0.1,"), "{call:?}");
            }
        }
    }
    let allowed = [
        "--version",
        "createvm",
        "setextradata",
        "modifyvm",
        "list hostonlyifs",
        "hostonlyif create",
        "hostonlyif ipconfig",
        "list dhcpservers",
        "dhcpserver add",
        "showvminfo",
        "storagectl",
        "clonemedium disk",
        "closemedium disk",
        "modifymedium disk",
        "storageattach",
        "startvm",
        "guestproperty get",
        // up's look for a cluster of the same name, before it makes any.
        "list vms",
        "getextradata",
    ];
    for verb in verbs(calls) {
        assert!(allowed.contains(&verb.as_str()), "unexpected call {verb}");
    }
}

/// A machine of no cluster, made beside the clusters: down must leave it.
fn bystander(fake: &VBoxFake) -> String {
    let image = fake.image();
    let run = Run::from(
        fake.command_for("machinectl")
            .args([
                "create",
                "-d",
                "virtualbox",
                "--virtualbox-no-vtx-check",
                "--virtualbox-image-path",
                image.to_str().unwrap(),
                "--ssh-timeout",
                "1",
                "--keep-on-error",
                "solo",
            ])
            .output()
            .unwrap(),
    );
    assert!(!run.success);
    assert!(fake.store.machine_dir("solo").join("seed.iso").exists());
    "solo".into()
}

#[test]
fn up_tags_each_vm_seeds_its_role_and_down_finds_them_by_extradata_alone() {
    let fake = VBoxFake::new();
    let solo = bystander(&fake);
    fake.take_calls();
    let up = up_kept(&fake, "web", 3);
    assert!(up.stderr.contains("SSH"), "{}", up.stderr);
    let calls = fake.take_calls();
    eprintln!("VBoxManage calls: up of 3 nodes {}", calls.len());
    let nodes = ["web-manager-0", "web-worker-0", "web-worker-1"];
    let id = fake.store.cluster_id("web");
    let made = vms(&fake);
    for node in nodes {
        let vm = &made[node];
        let data = extradata(vm);
        assert_eq!(
            data.get(NAME_TAG).map(String::as_str),
            Some("web"),
            "{node}"
        );
        assert_eq!(data.get(ID_TAG), Some(&id), "{node}");
        assert_eq!(data.get(MANAGED_TAG).map(String::as_str), Some("true"));
        tagged_first(&calls, vm["uuid"].as_str().unwrap(), node, &id);
    }
    assert!(
        extradata(&made[&solo]).is_empty(),
        "a plain machine is untagged"
    );
    no_firewall(&calls);
    seeds_carry_their_roles(&fake, &nodes);

    // The local record is lost: down finds the cluster by its extradata.
    std::fs::remove_dir_all(fake.store.root().join("clusters")).unwrap();
    let down = down_by_tag(&fake, "web", &[]);
    assert!(down.success, "{}", down.stderr);
    assert!(down.stdout.contains("found by its tags"), "{}", down.stdout);
    let calls = fake.take_calls();
    eprintln!("VBoxManage calls: down by tag of 3 nodes {}", calls.len());
    let mut counted: BTreeMap<String, usize> = BTreeMap::new();
    for verb in verbs(&calls) {
        *counted.entry(verb).or_default() += 1;
    }
    counted.remove("--version");
    let expected: BTreeMap<String, usize> = [
        ("list vms", 1),
        ("getextradata", 4),
        ("showvminfo", 3),
        ("controlvm poweroff", 3),
        ("unregistervm", 3),
    ]
    .map(|(v, n)| (v.to_string(), n))
    .into();
    assert_eq!(counted, expected, "{calls:?}");
    assert_eq!(vms(&fake).keys().collect::<Vec<_>>(), [&solo]);
    for node in nodes {
        assert!(!fake.store.machine_dir(node).exists(), "{node} left");
    }
    assert!(fake.store.machine_dir(&solo).join("seed.iso").exists());
    let again = down_by_tag(&fake, "web", &[]);
    assert!(
        again.one_line_error().contains("no cluster web"),
        "{}",
        again.stderr
    );
}

#[test]
fn a_second_cluster_of_one_name_is_refused_and_down_tells_two_apart_by_id() {
    // Three stores, one VirtualBox.
    let first = VBoxFake::new();
    let home = first.home().to_str().unwrap().to_string();
    let sharing = || {
        let mut fake = VBoxFake::new();
        fake.env.push(("FAKE_VBOX_HOME".into(), home.clone()));
        fake
    };
    let (second, third) = (sharing(), sharing());
    up_kept(&first, "web", 1);
    let id = first.store.cluster_id("web");
    // up finds the other store's cluster by its extradata before making anything.
    let refused = clusterctl(&second, &up_args(&second, "web", 1, &[]));
    let line = refused.one_line_error();
    assert!(line.contains("exists there already"), "{}", refused.stderr);
    assert!(line.contains(&id), "{line}");
    assert_eq!(vm_list(&first).len(), 1, "a refused up makes nothing");
    // Two ups that raced past that check: a second VM tagged with another id.
    bystander(&second);
    let other = "0123456789ab";
    let solo = vm_list(&first)
        .into_iter()
        .find(|vm| vm["name"] == "solo")
        .unwrap();
    let uuid = solo["uuid"].as_str().unwrap();
    for (key, value) in [(NAME_TAG, "web"), (ID_TAG, other), (MANAGED_TAG, "true")] {
        let status = Command::new(crate::virtualbox::fixtures().join("VBoxManage"))
            .args(["setextradata", uuid, key, value])
            .env("FAKE_VBOX_HOME", &home)
            .status()
            .unwrap();
        assert!(status.success());
    }
    let refused = down_by_tag(&third, "web", &[]);
    let line = refused.one_line_error();
    assert!(
        line.contains("2 clusters are named web"),
        "{}",
        refused.stderr
    );
    assert!(line.contains(&id) && line.contains(other), "{line}");
    assert_eq!(vm_list(&first).len(), 2, "a refused down removes nothing");
    let down = down_by_tag(&third, "web", &["--cluster-id", other]);
    assert!(down.success, "{}", down.stderr);
    let left: Vec<String> = vm_list(&first)
        .iter()
        .map(|vm| extradata(vm)[ID_TAG].clone())
        .collect();
    assert_eq!(left, [id]);
}

#[test]
fn an_up_that_fails_removes_every_vm_and_file_it_made() {
    let fake = VBoxFake::new();
    let solo = bystander(&fake);
    let args = up_args(&fake, "web", 3, &["--ssh-timeout", "1"]);
    let mut command = fake.command_for("clusterctl");
    let up = Run::from(
        command
            .args(&args)
            .env("FAKE_VBOX_FAIL", "modifymedium")
            .output()
            .unwrap(),
    );
    assert!(!up.success);
    assert!(up.stderr.contains("modifymedium"), "{}", up.stderr);
    assert_eq!(vms(&fake).keys().collect::<Vec<_>>(), [&solo]);
    for node in ["web-manager-0", "web-worker-0", "web-worker-1"] {
        assert!(!fake.store.machine_dir(node).exists(), "{node} left");
    }
    assert!(!fake.store.root().join("clusters/web/cluster.json").exists());
}

// ---------------------------------------------------------------------------
// A swarm formed for real, in an isolated namespace.

type Host = machinectl_driver_local::host::HostState;

/// Give this thread (and what it starts) a mount namespace of its own with
/// the isolated network namespace's sysfs: the local driver finds its
/// bridge in /sys/class/net, which `unshare --net` leaves showing the outer
/// namespace's links (so a second host's bring-up made the bridge again).
/// The cgroup mounts under /sys are moved over, for the hosts' dockerd.
fn sysfs_of_this_network_namespace(scratch: &Path) {
    // SAFETY: unshare has no memory preconditions; CLONE_NEWNS moves only
    // the calling thread, from which the test starts every process.
    let rc = unsafe { libc::unshare(libc::CLONE_NEWNS) };
    assert_eq!(rc, 0, "unshare: {}", std::io::Error::last_os_error());
    let cgroup = scratch.join("cgroup");
    std::fs::create_dir_all(&cgroup).unwrap();
    let cgroup = cgroup.to_str().unwrap();
    for args in [
        &["--make-rprivate", "/"][..],
        &["--rbind", "/sys/fs/cgroup", cgroup],
        &["-t", "sysfs", "sysfs", "/sys"],
        &["--move", cgroup, "/sys/fs/cgroup"],
    ] {
        let status = Command::new("mount").args(args).status().unwrap();
        assert!(status.success(), "mount {args:?}");
    }
}

/// A fake for an isolated test: real NAT forwards, each VM its own address
/// of `ips` (none the driver's own test uses: namespaces share one list of
/// taken addresses, even across isolated namespaces).
fn forwarding_fake(ips: &str) -> VBoxFake {
    let mut fake = VBoxFake::new();
    sysfs_of_this_network_namespace(fake.store.dir.path());
    fake.env.push(("FAKE_VBOX_FORWARD".into(), "1".into()));
    fake.env.push(("FAKE_VBOX_GUEST_IP".into(), ips.into()));
    fake
}

/// `up web` of three nodes (SSH as root, as the stand-in hosts take it)
/// while namespace hosts stand in for the VMs of `answering`; `check` gets
/// its outcome. The hosts are removed and `up` ended whatever happens.
fn up_with_stand_ins(
    fake: &VBoxFake,
    ssh_timeout: &str,
    answering: &[&str],
    check: impl FnOnce(&Run),
) {
    let args = up_args(
        fake,
        "web",
        3,
        &[
            "--virtualbox-ssh-user",
            "root",
            "--ssh-timeout",
            ssh_timeout,
        ],
    );
    let (out, err) = (
        fake.store.dir.path().join("up.out"),
        fake.store.dir.path().join("up.err"),
    );
    let mut up = fake
        .command_for("clusterctl")
        .args(&args)
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let mut hosts = Vec::new();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        stand_in_hosts(fake, &mut up, answering, &mut hosts);
        let status = up.wait().unwrap();
        check(&Run {
            success: status.success(),
            code: status.code(),
            stdout: std::fs::read_to_string(&out).unwrap(),
            stderr: std::fs::read_to_string(&err).unwrap(),
        });
    }));
    let _ = up.kill();
    let _ = up.wait();
    for host in &hosts {
        machinectl_driver_local::host::teardown(host).unwrap();
    }
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

/// Namespace hosts standing in for `nodes`' VMs, each brought up at the
/// address its VM got, with the key machinectl made for it, while `up` runs.
fn stand_in_hosts(fake: &VBoxFake, up: &mut Child, nodes: &[&str], hosts: &mut Vec<Host>) {
    let deadline = Instant::now() + Duration::from_secs(90);
    let mut waiting: Vec<&str> = nodes.to_vec();
    while !waiting.is_empty() {
        assert!(Instant::now() < deadline, "no address for {waiting:?}");
        assert!(
            up.try_wait().unwrap().is_none(),
            "up ended before its nodes had addresses"
        );
        for node in waiting.clone() {
            let dir = fake.store.machine_dir(node);
            if let Some(ip) = recorded_ip(&dir) {
                hosts.push(stand_in(fake, node, &dir, ip));
                waiting.retain(|n| *n != node);
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn recorded_ip(dir: &Path) -> Option<std::net::Ipv4Addr> {
    let text = std::fs::read_to_string(dir.join("machine.json")).ok()?;
    let record: Value = serde_json::from_str(&text).ok()?;
    record["driver"]["resources"]["ip"].as_str()?.parse().ok()
}

fn stand_in(fake: &VBoxFake, node: &str, dir: &Path, ip: std::net::Ipv4Addr) -> Host {
    let spec = machinectl_driver_local::HostSpec {
        hostname: node.into(),
        root_dir: fake.store.dir.path().join(format!("{node}-host")),
        subnet: "192.168.56.0/24".parse().unwrap(),
        authorized_key: std::fs::read_to_string(dir.join("id_ed25519.pub")).unwrap(),
        ip: Some(ip),
    };
    machinectl_driver_local::host::bring_up(&spec).expect("bring up a stand-in VM")
}

/// `docker` with the environment `clusterctl env` prints.
fn docker_via_cluster(fake: &VBoxFake, args: &[&str]) -> Run {
    let env = clusterctl(fake, &["env".into(), "--shell".into(), "bash".into()]);
    assert!(env.success, "{}", env.stderr);
    let mut command = Command::new("docker");
    command
        .args(args)
        .env("DOCKER_CONFIG", fake.store.docker_config());
    for line in env.stdout.lines().filter_map(|l| l.strip_prefix("export ")) {
        let (k, v) = line.split_once('=').unwrap();
        command.env(k, v.trim_matches('"'));
    }
    Run::from(command.output().unwrap())
}

fn swarm_formed_and_down_leaves_nothing(fake: &VBoxFake, up: &Run) {
    assert!(up.success, "{}", up.stderr);
    assert!(up.stderr.contains("Forming the swarm"), "{}", up.stderr);
    let nodes = docker_via_cluster(
        fake,
        &["node", "ls", "--format", "{{.Hostname}} {{.Status}}"],
    );
    assert!(nodes.success, "{}", nodes.stderr);
    let mut listed: Vec<&str> = nodes.stdout.lines().collect();
    listed.sort();
    assert_eq!(
        listed,
        [
            "web-manager-0 Ready",
            "web-worker-0 Ready",
            "web-worker-1 Ready"
        ]
    );
    let down = clusterctl(fake, &["down".into(), "web".into(), "-y".into()]);
    assert!(down.success, "{}", down.stderr);
    assert!(vm_list(fake).is_empty(), "{:?}", vms(fake).keys());
    assert!(!fake.store.root().join("machines/web-manager-0").exists());
}

/// up → each node's SSH through its NAT forward → provisioning → the swarm
/// formed over the Engine API at the host-only addresses → down.
#[test]
fn swarm_of_three_forms_through_the_nat_forwards_and_down_removes_every_vm() {
    const TEST: &str = "cluster_virtualbox::swarm_of_three_forms_through_the_nat_forwards_and_down_removes_every_vm";
    crate::require_hosts!();
    crate::require_isolation!();
    if !isolated::enter(TEST) {
        return;
    }
    let fake = forwarding_fake("192.168.56.111,192.168.56.112,192.168.56.113");
    let nodes = ["web-manager-0", "web-worker-0", "web-worker-1"];
    up_with_stand_ins(&fake, "120", &nodes, |up| {
        swarm_formed_and_down_leaves_nothing(&fake, up)
    });
}

/// Two nodes answer, the third never does: the up fails and removes the
/// two VMs it made as well as the third.
#[test]
fn a_node_that_never_answers_rolls_back_the_nodes_that_did() {
    const TEST: &str =
        "cluster_virtualbox::a_node_that_never_answers_rolls_back_the_nodes_that_did";
    crate::require_hosts!();
    crate::require_isolation!();
    if !isolated::enter(TEST) {
        return;
    }
    let fake = forwarding_fake("192.168.56.121,192.168.56.122,192.168.56.123");
    up_with_stand_ins(&fake, "20", &["web-manager-0", "web-worker-0"], |up| {
        assert!(!up.success);
        assert!(up.stderr.contains("web-worker-1"), "{}", up.stderr);
        assert!(vm_list(&fake).is_empty(), "{:?}", vms(&fake).keys());
        let machines: Vec<PathBuf> = std::fs::read_dir(fake.store.root().join("machines"))
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        assert!(machines.is_empty(), "{machines:?}");
        assert!(!fake.store.root().join("clusters/web/cluster.json").exists());
    });
}
