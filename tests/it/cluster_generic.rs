//! clusterctl on the generic provider, for real: three existing SSH hosts
//! (bare namespace hosts with sshd and this machine's dockerd, nothing
//! provisioned, one key for all) become a Swarm; `down` takes the swarm and
//! the boot files off them and forgets them, and the hosts still answer.

use std::path::{Path, PathBuf};

use machinectl_driver_local::host::{self, HostSpec, HostState};

use crate::cluster::clusterctl;
use crate::common::{Run, TestStore, ssh_keygen};
use crate::require_hosts;

/// Bare SSH hosts that accept `key` (namespace hosts with sshd and this
/// machine's dockerd, nothing provisioned), torn down on drop. They stand
/// in for existing hosts here and for cloud instances in the providers'
/// tests.
pub(crate) struct BareHosts(pub(crate) Vec<HostState>);

impl BareHosts {
    pub(crate) fn new(dir: &Path, key: &Path, count: usize) -> BareHosts {
        let public = std::fs::read_to_string(format!("{}.pub", key.display())).unwrap();
        let mut hosts = BareHosts(Vec::new());
        for i in 0..count {
            let spec = HostSpec {
                hostname: format!("existing{i}"),
                root_dir: dir.join(format!("existing-{i}")),
                subnet: Default::default(),
                authorized_key: public.clone(),
                ip: None,
            };
            hosts
                .0
                .push(host::bring_up(&spec).expect("bring up a bare host"));
        }
        hosts
    }

    /// `root@IP` of each, for --hosts.
    fn list(&self) -> String {
        let all: Vec<String> = self.0.iter().map(|h| format!("root@{}", h.ip)).collect();
        all.join(",")
    }

    pub(crate) fn addresses(&self) -> Vec<String> {
        self.0.iter().map(|h| h.ip.to_string()).collect()
    }

    /// Each host's root authorized_keys (under `dir`, as made by `new`).
    pub(crate) fn authorized_keys(&self, dir: &Path) -> Vec<PathBuf> {
        (0..self.0.len())
            .map(|i| dir.join(format!("existing-{i}/root-ssh/authorized_keys")))
            .collect()
    }
}

impl Drop for BareHosts {
    fn drop(&mut self) {
        for h in &self.0 {
            let _ = host::teardown(h);
        }
    }
}

/// Run `command` on an existing host over SSH with the test's key.
fn on_host(key: &Path, state: &HostState, command: &str) -> Run {
    Run::from(
        std::process::Command::new("ssh")
            .args(["-i", key.to_str().unwrap()])
            .args([
                "-o",
                "StrictHostKeyChecking=no",
                "-o",
                "UserKnownHostsFile=/dev/null",
            ])
            .args(["-o", "BatchMode=yes", "-o", "LogLevel=ERROR"])
            .arg(format!("root@{}", state.ip))
            .arg(command)
            .output()
            .unwrap(),
    )
}

#[test]
fn existing_hosts_become_a_swarm_and_down_leaves_them_answering() {
    require_hosts!();
    let store = TestStore::new();
    let key = ssh_keygen(store.dir.path(), "hosts-key");
    let hosts = BareHosts::new(store.dir.path(), &key, 3);

    let up = clusterctl(
        &store,
        &[
            "up",
            "gen",
            "--provider",
            "generic",
            "--hosts",
            &hosts.list(),
            "--ssh-key",
            key.to_str().unwrap(),
        ],
    );
    assert!(up.success, "{}", up.stderr);
    let nodes = store.swarm_nodes("gen-manager-0", "{{.Status}} {{.ManagerStatus}}");
    assert_eq!(nodes.len(), 3, "{nodes:?}");
    assert!(nodes.iter().all(|l| l.starts_with("Ready")), "{nodes:?}");
    let cluster: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(store.root().join("clusters/gen/cluster.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        cluster["spec"]["generic"]["hosts"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // The boot script ran from where a real host keeps it.
    let script = on_host(
        &key,
        &hosts.0[1],
        "test -x /usr/local/lib/machinectl/engine.sh",
    );
    assert!(
        script.success,
        "engine.sh was not written: {}",
        script.stderr
    );

    let down = clusterctl(&store, &["down", "-y", "gen"]);
    assert!(down.success, "{}", down.stderr);
    assert!(
        !store.root().join("clusters/gen").exists(),
        "the cluster record stays"
    );
    assert_eq!(
        store.ok(["ls", "-q"]).stdout,
        "",
        "the nodes were not forgotten"
    );
    for state in &hosts.0 {
        // The host answers SSH, its engine runs and is out of any swarm,
        // and the boot files are gone.
        let swarm = on_host(
            &key,
            state,
            "docker info --format '{{.Swarm.LocalNodeState}}'; test ! -e /usr/local/lib/machinectl && echo clean",
        );
        assert!(
            swarm.success,
            "{} does not answer: {}",
            state.ip, swarm.stderr
        );
        assert_eq!(swarm.stdout, "inactive\nclean\n", "{}", state.ip);
    }
}

#[test]
fn bad_host_lists_are_one_line_and_write_nothing() {
    let store = TestStore::new();
    let key = ssh_keygen(store.dir.path(), "k");
    let key = key.to_str().unwrap();
    for (hosts, expect) in [
        ("10.0.0.1", "no user@"),
        ("root@10.0.0.1:0", "the port is not 1-65535"),
        ("root@10.0.0.1;reboot", "invalid host"),
        ("root@10.0.0.1,root@10.0.0.1:22", "twice"),
        ("ro ot@10.0.0.1", "invalid host"),
    ] {
        let run = clusterctl(
            &store,
            &[
                "up",
                "--provider",
                "generic",
                "--hosts",
                hosts,
                "--ssh-key",
                key,
            ],
        );
        assert!(!run.success, "{hosts} was taken");
        assert!(run.stderr.contains(expect), "{hosts}: {}", run.stderr);
        assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    }
    let run = clusterctl(
        &store,
        &["up", "--provider", "generic", "--hosts", "root@10.0.0.1"],
    );
    assert!(run.stderr.contains("--ssh-key"), "{}", run.stderr);
    let run = clusterctl(
        &store,
        &[
            "up",
            "--provider",
            "local",
            "--hosts",
            "root@10.0.0.1",
            "--ssh-key",
            key,
        ],
    );
    assert!(
        run.stderr.contains("go with --provider generic"),
        "{}",
        run.stderr
    );
    assert!(
        !store.root().join("clusters").exists(),
        "something was written"
    );
    assert!(
        !store.root().join("machines").exists(),
        "something was written"
    );
}
