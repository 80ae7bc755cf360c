//! clusterctl on the local provider, for real: a Swarm of namespace hosts
//! formed over the Engine API, used through the stock docker client.

use std::collections::HashSet;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{Run, TestStore, busybox_rootfs};
use crate::require_hosts;

pub fn clusterctl(store: &TestStore, args: &[&str]) -> Run {
    Run::from(store.command_for("clusterctl").args(args).output().unwrap())
}

/// Run docker with the environment `clusterctl env` prints.
fn docker_via_cluster(store: &TestStore, args: &[&str]) -> Run {
    let env = clusterctl(store, &["env", "--shell", "bash"]);
    assert!(env.success, "{}", env.stderr);
    let mut command = Command::new("docker");
    command
        .args(args)
        .env("DOCKER_CONFIG", store.dir.path().join("docker-config"));
    for line in env.stdout.lines().filter_map(|l| l.strip_prefix("export ")) {
        let (k, v) = line.split_once('=').unwrap();
        command.env(k, v.trim_matches('"'));
    }
    Run::from(command.output().unwrap())
}

#[test]
fn local_swarm_of_three_runs_a_service_and_down_leaves_nothing() {
    require_hosts!();
    let store = TestStore::new();
    let up = clusterctl(&store, &["up", "--provider", "local", "--nodes", "3"]);
    assert!(up.success, "{}", up.stderr);
    // The swarm forms during the creates: the manager inits it and each
    // worker joins as soon as it is provisioned, before the last create
    // ends; no bootstrap is left for after.
    let line_of = |text: &str| {
        up.stderr
            .lines()
            .position(|l| l.starts_with(text))
            .unwrap_or_else(|| panic!("no line {text:?} in:\n{}", up.stderr))
    };
    let creates_done = line_of("✓ Creating 3 node(s) in parallel");
    for done in [
        "✓ [default-manager-0] Forming the swarm over the Engine API",
        "✓ [default-worker-0] Joining the swarm",
        "✓ [default-worker-1] Joining the swarm",
    ] {
        assert!(line_of(done) < creates_done, "{}", up.stderr);
    }
    assert!(
        !up.stderr.contains("• Forming the swarm"),
        "bootstrapped after the creates: {}",
        up.stderr
    );

    // Every node is a machine of the store.
    let machines = store.ok(["ls", "-q"]).stdout;
    assert_eq!(
        machines,
        "default-manager-0\ndefault-worker-0\ndefault-worker-1\n"
    );
    let in_cluster = store.ok(["ls", "-q", "--filter", "cluster=default"]).stdout;
    assert_eq!(in_cluster, machines);

    // docker node ls: 3 Ready nodes, one Leader.
    let nodes = docker_via_cluster(
        &store,
        &[
            "node",
            "ls",
            "--format",
            "{{.Hostname}} {{.Status}} {{.ManagerStatus}}",
        ],
    );
    assert!(nodes.success, "{}", nodes.stderr);
    let lines: Vec<&str> = nodes.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", nodes.stdout);
    assert!(
        lines.iter().all(|l| l.contains(" Ready")),
        "{}",
        nodes.stdout
    );
    assert_eq!(
        lines.iter().filter(|l| l.ends_with("Leader")).count(),
        1,
        "{}",
        nodes.stdout
    );

    // The image must be on every node: nothing can be pulled here.
    for node in ["default-manager-0", "default-worker-0", "default-worker-1"] {
        let imported = store.docker(
            node,
            &["import", busybox_rootfs().to_str().unwrap(), "busybox:it"],
        );
        assert!(imported.success, "{}", imported.stderr);
    }
    let service = docker_via_cluster(
        &store,
        &[
            "service",
            "create",
            "--detach",
            "--name",
            "sleepers",
            "--replicas",
            "6",
            "busybox:it",
            "sleep",
            "600",
        ],
    );
    assert!(service.success, "{}", service.stderr);
    let deadline = Instant::now() + Duration::from_secs(120);
    let running_nodes = loop {
        let ps = docker_via_cluster(
            &store,
            &[
                "service",
                "ps",
                "sleepers",
                "--filter",
                "desired-state=running",
                "--format",
                "{{.Node}} {{.CurrentState}}",
            ],
        );
        let running: Vec<&str> = ps
            .stdout
            .lines()
            .filter(|l| l.contains("Running"))
            .collect();
        if running.len() == 6 {
            break running
                .iter()
                .map(|l| l.split(' ').next().unwrap().to_string())
                .collect::<HashSet<_>>();
        }
        assert!(
            Instant::now() < deadline,
            "6 replicas never ran:\n{}",
            ps.stdout
        );
        std::thread::sleep(Duration::from_secs(1));
    };
    assert!(
        running_nodes.len() >= 2,
        "replicas ran on {running_nodes:?} only"
    );

    let status = clusterctl(&store, &["status"]);
    assert!(status.stdout.contains("Leader"), "{}", status.stdout);
    let ls = clusterctl(&store, &["ls"]);
    assert!(
        ls.stdout.contains("default") && ls.stdout.contains("Running"),
        "{}",
        ls.stdout
    );

    // A node of a cluster is not removed behind the cluster's back.
    let rm = store.run(["rm", "-y", "default-worker-1"]);
    assert!(!rm.success);
    assert!(
        rm.stderr.contains("clusterctl down default"),
        "{}",
        rm.stderr
    );

    // scale adds a node that joins the swarm, and takes it out again.
    let ready_nodes = || {
        docker_via_cluster(
            &store,
            &["node", "ls", "--format", "{{.Hostname}} {{.Status}}"],
        )
        .stdout
        .lines()
        .filter(|l| l.ends_with(" Ready"))
        .map(|l| l.split(' ').next().unwrap().to_string())
        .collect::<HashSet<_>>()
    };
    let grown = clusterctl(&store, &["scale", "default", "--nodes", "4"]);
    assert!(grown.success, "{}", grown.stderr);
    assert!(
        ready_nodes().contains("default-worker-2"),
        "{:?}",
        ready_nodes()
    );
    let shrunk = clusterctl(&store, &["scale", "default", "--nodes", "3"]);
    assert!(shrunk.success, "{}", shrunk.stderr);
    assert!(!ready_nodes().contains("default-worker-2"));
    assert!(!store.machine_dir("default-worker-2").exists());

    // Record what exists, then down: nothing stays.
    let netns: Vec<String> = ["default-manager-0", "default-worker-0", "default-worker-1"]
        .iter()
        .map(|n| {
            store.inspect(n)["driver"]["host"]["netns"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let no_tty = clusterctl(&store, &["down"]);
    assert!(!no_tty.success);
    let down = clusterctl(&store, &["down", "-y"]);
    assert!(down.success, "{}", down.stderr);
    for ns in netns {
        assert!(
            !std::path::Path::new("/var/run/netns").join(&ns).exists(),
            "{ns} left"
        );
    }
    assert_eq!(store.ok(["ls", "-q"]).stdout, "");
    let ls = clusterctl(&store, &["ls"]);
    assert_eq!(ls.stdout.lines().count(), 1, "{}", ls.stdout);
    assert!(!store.root().join("clusters/default").exists());
}

#[test]
fn cluster_spec_errors_name_the_fix_and_write_nothing() {
    let store = TestStore::new();
    let even = clusterctl(
        &store,
        &[
            "up",
            "--provider",
            "local",
            "--nodes",
            "4",
            "--managers",
            "2",
        ],
    );
    assert!(even.one_line_error().contains("managers must be odd"));
    let no_provider = clusterctl(&store, &["up", "--nodes", "2"]);
    assert!(no_provider.one_line_error().contains("--provider"));
    let file = store.dir.path().join("cluster.yaml");
    std::fs::write(
        &file,
        "apiVersion: clusterctl.machinectl.io/v1\nkind: Cluster\nmetadata:\n  name: demo\nspec:\n  provider: local\n  nodes: 2\n  managers: 3\n",
    )
    .unwrap();
    let from_file = clusterctl(&store, &["up", "-f", file.to_str().unwrap()]);
    let error = from_file.one_line_error();
    assert!(
        error.contains("cluster.yaml:8:") && error.contains("cannot exceed nodes"),
        "{error}"
    );
    let k8s_local = clusterctl(
        &store,
        &["up", "--provider", "local", "--orchestrator", "kubernetes"],
    );
    assert!(k8s_local.one_line_error().contains("--provider aws"));
    let none = clusterctl(&store, &["down", "-y"]);
    assert!(none.one_line_error().contains("no clusters"));
    assert!(!store.root().exists());
}

/// One up, scale or down of a cluster at a time: a second one is refused at
/// once (not queued, not interleaved), and makes nothing.
#[test]
fn a_cluster_busy_in_another_process_is_refused_at_once() {
    let store = TestStore::new();
    let locks = store.root().join("locks");
    std::fs::create_dir_all(&locks).unwrap();
    let held = std::fs::File::create(locks.join("cluster-busy.lock")).unwrap();
    held.lock().unwrap();
    let up = clusterctl(
        &store,
        &["up", "busy", "--provider", "local", "--nodes", "1"],
    );
    let error = up.one_line_error();
    assert!(error.contains("cluster \"busy\" is busy"), "{error}");
    assert!(!store.root().join("clusters/busy").exists());
    assert!(!store.root().join("machines").exists());
    drop(held);
    // A cluster that exists: its scale and down wait for no one either.
    require_hosts!();
    let up = clusterctl(
        &store,
        &["up", "busy", "--provider", "local", "--nodes", "1"],
    );
    assert!(up.success, "{}", up.stderr);
    let held = std::fs::File::create(locks.join("cluster-busy.lock")).unwrap();
    held.lock().unwrap();
    for args in [
        &["scale", "busy", "--nodes", "2"][..],
        &["down", "-y", "busy"][..],
    ] {
        let run = clusterctl(&store, args);
        assert!(
            run.one_line_error().contains("cluster \"busy\" is busy"),
            "{args:?}: {}",
            run.stderr
        );
    }
    assert_eq!(
        std::fs::read_dir(store.root().join("machines"))
            .unwrap()
            .count(),
        1,
        "a refused scale makes no node"
    );
    drop(held);
    let down = clusterctl(&store, &["down", "-y", "busy"]);
    assert!(down.success, "{}", down.stderr);
}

/// A cluster node's secrets (the Kubernetes CA key, the join token) travel
/// over the SSH session that provisions it, as root-owned 0600 files whose
/// directories are made on the way: never through user-data. Written under
/// the host's private /run here, so nothing lands in this machine's /etc.
#[test]
fn node_secrets_are_written_over_ssh_as_root_only_files() {
    use machinectl::provision::{self, NodeFile};
    use machinectl::ssh::{ConnectOptions, SshClient};
    require_hosts!();
    let store = TestStore::new();
    store.ok(["create", "sec"]);
    let record = store.inspect("sec");
    let target = machinectl_driver_api::SshTarget {
        host: record["driver"]["host"]["ip"].as_str().unwrap().to_string(),
        port: 22,
        user: "root".into(),
        key_path: store.machine_dir("sec").join("id_ed25519"),
        key_origin: None,
    };
    let ssh = SshClient::connect(
        &target,
        &store.machine_dir("sec").join("known_host"),
        &ConnectOptions {
            timeout: Duration::from_secs(30),
            retry_auth: false,
            host_key_alias: "sec".into(),
        },
    )
    .unwrap();
    let renderer = machinectl::render::Renderer::new(None).unwrap();
    let facts = provision::detect(&ssh, &renderer).unwrap();
    let token = "abcdef.0123456789abcdef";
    let path = "/run/machinectl-it/kube/join.env";
    let file = NodeFile::secret(path, format!("BOOTSTRAP_TOKEN={token}\n"));
    assert!(!format!("{file:?}").contains(token), "Debug shows a secret");
    provision::install_files(&ssh, &facts, &[file]).unwrap();
    let out = ssh
        .exec(&format!(
            "stat -c '%a %U' {path}; stat -c '%U' /run/machinectl-it/kube; . {path}; echo \"$BOOTSTRAP_TOKEN\""
        ))
        .unwrap();
    assert!(out.success(), "{}", out.stderr);
    assert_eq!(out.stdout, format!("600 root\nroot\n{token}\n"));
}
