//! The generic driver against a namespace host the test brings up itself:
//! a bare host with sshd and this machine's dockerd, nothing provisioned.

use std::time::{Duration, Instant};

use machinectl_driver_local::host::{self, HostSpec, HostState};

use crate::common::{TestStore, alive, busybox_rootfs, ssh_keygen};
use crate::require_hosts;

/// A bare SSH host, torn down on drop.
struct BareHost {
    state: HostState,
}

impl BareHost {
    fn new(dir: &std::path::Path, authorized_key: &std::path::Path) -> BareHost {
        let key = std::fs::read_to_string(format!("{}.pub", authorized_key.display())).unwrap();
        let spec = HostSpec {
            hostname: "bare".into(),
            root_dir: dir.join("bare-host"),
            subnet: Default::default(),
            authorized_key: key,
            ip: None,
        };
        BareHost {
            state: host::bring_up(&spec).expect("bring up a bare host"),
        }
    }
}

impl Drop for BareHost {
    fn drop(&mut self) {
        let _ = host::teardown(&self.state);
    }
}

#[test]
fn generic_provisions_an_existing_ssh_host_and_rm_leaves_it_running() {
    require_hosts!();
    let store = TestStore::new();
    // Named like the TLS client key beside the machine's copy: the copy must not clobber it.
    let key = ssh_keygen(store.dir.path(), "key.pem");
    let bare = BareHost::new(store.dir.path(), &key);
    let ip = bare.state.ip.to_string();

    store.ok([
        "create",
        "-d",
        "generic",
        "--generic-ip-address",
        &ip,
        "--generic-ssh-key",
        key.to_str().unwrap(),
        "--generic-ssh-user",
        "root",
        "--engine-opt",
        "max-concurrent-uploads=3",
        "g1",
    ]);
    let version = store.docker("g1", &["version", "--format", "{{.Server.Version}}"]);
    assert!(version.success, "{}", version.stderr);
    let imported = store.docker(
        "g1",
        &["import", busybox_rootfs().to_str().unwrap(), "bb:g"],
    );
    assert!(imported.success, "{}", imported.stderr);
    let hi = store.docker("g1", &["run", "--rm", "bb:g", "echo", "generic"]);
    assert_eq!(hi.stdout.trim(), "generic", "{}", hi.stderr);

    // The key was copied into the machine (0600) and the engine option reached daemon.json.
    let record = store.inspect("g1");
    let copied = record["driver"]["ssh_key"].as_str().unwrap();
    assert!(
        copied.starts_with(store.machine_dir("g1").to_str().unwrap()),
        "{copied}"
    );
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(copied).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            mode, 0o600,
            "the machine's copy of the SSH key is mode {mode:o}"
        );
    }
    let daemon = store
        .ok(["ssh", "g1", "--", "cat /etc/docker/daemon.json"])
        .stdout;
    assert!(daemon.contains("\"max-concurrent-uploads\": 3"), "{daemon}");
    assert!(daemon.contains("\"provider=generic\""), "{daemon}");
    assert_eq!(
        store.ok(["ssh", "g1", "--", "hostname"]).stdout.trim(),
        "g1"
    );

    let dockerd: u64 = store
        .ok(["ssh", "g1", "--", "cat /run/machinectl/dockerd.pid"])
        .stdout
        .trim()
        .parse()
        .unwrap();

    // A host key that changes is refused, naming the file to delete if the change was wanted.
    let known_host = store.machine_dir("g1").join("known_host");
    let pinned = std::fs::read_to_string(&known_host).unwrap();
    let other = ssh_keygen(store.dir.path(), "other_host");
    let other_pub = std::fs::read_to_string(other.with_extension("pub")).unwrap();
    let other_key: Vec<&str> = other_pub.split_whitespace().take(2).collect();
    std::fs::write(&known_host, format!("{ip} {}\n", other_key.join(" "))).unwrap();
    let refused = store.run(["provision", "g1"]);
    assert!(!refused.success);
    assert!(
        refused.stderr.contains("host key") && refused.stderr.contains("known_host"),
        "{}",
        refused.stderr
    );
    std::fs::write(&known_host, pinned).unwrap();

    // Powering a generic host on and off is not machinectl's to do, and it
    // says so; `start` of a host that answers is docker-machine's "already running".
    for verb in ["stop", "kill"] {
        let run = store.run([verb, "g1"]);
        assert!(
            run.stderr.contains("not supported by the generic driver"),
            "{verb}: {}",
            run.stderr
        );
        assert!(!run.success);
    }
    let start = store.run(["start", "g1"]);
    assert_eq!(
        start.one_line_error(),
        "error: Machine \"g1\" is already running."
    );

    // rm removes only local state and says so; the host and its engine keep running.
    let rm = store.ok(["rm", "-y", "g1"]);
    assert!(
        rm.stderr.contains("only local state was removed"),
        "{}",
        rm.stderr
    );
    assert!(!store.machine_dir("g1").exists());
    assert!(
        bare.state.live_anchor().is_some(),
        "the host's sshd was stopped"
    );
    assert!(alive(dockerd), "the host's dockerd was stopped");
}

#[test]
fn generic_with_a_key_the_host_refuses_fails_at_once_and_leaves_nothing() {
    require_hosts!();
    let store = TestStore::new();
    let accepted = ssh_keygen(store.dir.path(), "id_accepted");
    let wrong = ssh_keygen(store.dir.path(), "id_wrong");
    let bare = BareHost::new(store.dir.path(), &accepted);
    let started = Instant::now();
    let run = store.run([
        "create",
        "-d",
        "generic",
        "--generic-ip-address",
        &bare.state.ip.to_string(),
        "--generic-ssh-key",
        wrong.to_str().unwrap(),
        "--ssh-timeout",
        "60",
        "g2",
    ]);
    let error = run.one_line_error();
    assert!(error.contains("authentication"), "{error}");
    assert!(error.contains("id_wrong"), "{error}");
    // Authentication failures are final for generic hosts: no waiting out the timeout.
    assert!(
        started.elapsed() < Duration::from_secs(50),
        "{:?}",
        started.elapsed()
    );
    assert!(!store.machine_dir("g2").exists());
}

#[test]
fn generic_host_that_never_answers_fails_within_ssh_timeout() {
    // Loopback only: a port nothing listens on.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let store = TestStore::new();
    let key = ssh_keygen(store.dir.path(), "id_any");
    let started = Instant::now();
    let run = store.run([
        "create",
        "-d",
        "generic",
        "--generic-ip-address",
        "127.0.0.1",
        "--generic-ssh-port",
        &port.to_string(),
        "--generic-ssh-key",
        key.to_str().unwrap(),
        "--ssh-timeout",
        "3",
        "g3",
    ]);
    let error = run.one_line_error();
    assert!(error.contains("did not answer within 3 s"), "{error}");
    assert!(error.contains("--ssh-timeout"), "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    assert!(!store.machine_dir("g3").exists());
    assert_eq!(store.ok(["ls", "-q"]).stdout, "");
}
