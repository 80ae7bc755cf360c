//! Trust: host keys, certificate names, secrets kept out of logs, SSH streams, and start that never restarts a running engine.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, TcpListener};
use std::path::Path;
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use machinectl::ssh::{ConnectOptions, SshClient};
use machinectl_driver_api::SshTarget;

use crate::common::{Run, TestStore, busybox_rootfs, certificate_sans, ssh_keygen};
use crate::require_hosts;

/// The notice every verb that restarts a running engine gives first.
fn restart_notice(name: &str) -> String {
    format!(
        "Restarting the engine on {name}: its containers stop unless they have a restart policy"
    )
}

/// `Running StartedAt` of a container, as the engine reports it.
fn container_state(store: &TestStore, machine: &str, container: &str) -> String {
    let run = store.docker(
        machine,
        &[
            "inspect",
            "--format",
            "{{.State.Running}} {{.State.StartedAt}}",
            container,
        ],
    );
    assert!(run.success, "{}", run.stderr);
    run.stdout.trim().to_string()
}

/// `start` of a running machine changes nothing (docker-machine's words and
/// exit status); `restart` says first that containers stop.
#[test]
fn start_of_a_running_machine_keeps_its_containers() {
    require_hosts!();
    let store = TestStore::new();
    store.ok(["create", "st"]);
    let imported = store.docker(
        "st",
        &["import", busybox_rootfs().to_str().unwrap(), "busybox:it"],
    );
    assert!(imported.success, "{}", imported.stderr);
    let run = store.docker(
        "st",
        &[
            "run",
            "-d",
            "--name",
            "sleeper",
            "busybox:it",
            "sleep",
            "1000",
        ],
    );
    assert!(run.success, "{}", run.stderr);
    let before = container_state(&store, "st", "sleeper");
    assert!(before.starts_with("true "), "{before}");
    let logins = || {
        std::fs::read_to_string(store.machine_dir("st").join("host/anchor.log"))
            .unwrap()
            .matches("Accepted publickey")
            .count()
    };
    let logins_before = logins();

    let start = store.run(["start", "st"]);
    assert_eq!(
        container_state(&store, "st", "sleeper"),
        before,
        "start touched the running container: {}",
        start.stderr
    );
    assert_eq!(logins(), logins_before, "start logged in to the host");
    assert_eq!(start.code, Some(1), "{}", start.stderr);
    assert_eq!(
        start.one_line_error(),
        "error: Machine \"st\" is already running."
    );
    assert!(!start.stderr.contains("Restarting"), "{}", start.stderr);
    assert_eq!(store.ok(["status", "st"]).stdout.trim(), "Running");

    // restart does stop the containers, and says so before it does.
    let restart = store.ok(["restart", "st"]);
    assert!(
        restart.stderr.contains(&restart_notice("st")),
        "{}",
        restart.stderr
    );
    let after = container_state(&store, "st", "sleeper");
    assert!(after.starts_with("false "), "{after}");

    // A local host whose engine died is not "running": start starts its engine.
    store.ok(["ssh", "st", "--", "kill $(cat /run/machinectl/dockerd.pid)"]);
    let engine_up = || {
        store
            .docker("st", &["version", "--format", "{{.Server.Version}}"])
            .success
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while engine_up() {
        assert!(std::time::Instant::now() < deadline, "dockerd did not stop");
        std::thread::sleep(Duration::from_millis(200));
    }
    store.ok(["start", "st"]);
    assert!(engine_up());
}

/// What the store knows to reach a machine with machinectl's own SSH client.
fn ssh_target(store: &TestStore, name: &str) -> SshTarget {
    let record = store.inspect(name);
    SshTarget {
        host: record["driver"]["host"]["ip"].as_str().unwrap().to_string(),
        port: 22,
        user: "root".into(),
        key_path: store.machine_dir(name).join("id_ed25519"),
        key_origin: None,
    }
}

/// Run `work` on a thread; a stall fails the test instead of hanging it.
fn within<T: Send + 'static>(
    limit: Duration,
    what: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(work());
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("{what} did not finish within {limit:?}: it stalled"))
}

const FOUR_MIB: usize = 4 * 1024 * 1024;

/// A command that fills stderr past the channel window (~2 MiB) before it
/// writes stdout, or that echoes a large stdin to stderr, completes.
#[test]
fn ssh_commands_that_fill_stderr_do_not_stall() {
    require_hosts!();
    let store = TestStore::new();
    store.ok(["create", "big"]);
    let target = ssh_target(&store, "big");
    let known_host = store.machine_dir("big").join("known_host");
    let (stderr_first, echoed) = within(Duration::from_secs(120), "exec_with_input", move || {
        let client = SshClient::connect(
            &target,
            &known_host,
            &ConnectOptions {
                timeout: Duration::from_secs(30),
                retry_auth: false,
                host_key_alias: "big".into(),
            },
        )
        .unwrap();
        let stderr_first = client
            .exec(&format!(
                "head -c {FOUR_MIB} /dev/zero | tr '\\0' e >&2; echo out-done"
            ))
            .unwrap();
        let input = vec![b'i'; FOUR_MIB];
        let echoed = client
            .exec_with_input("cat >&2; echo read-all", Some(&input))
            .unwrap();
        (stderr_first, echoed)
    });
    assert!(stderr_first.success());
    assert_eq!(stderr_first.stdout, "out-done\n");
    assert_eq!(stderr_first.stderr.len(), FOUR_MIB);
    assert!(stderr_first.stderr.bytes().all(|b| b == b'e'));
    assert!(echoed.success());
    assert_eq!(echoed.stdout, "read-all\n");
    assert_eq!(echoed.stderr.len(), FOUR_MIB);

    // The same through the binary: `machinectl ssh NAME -- CMD` streams both.
    let mut child = store
        .command()
        .args([
            "ssh",
            "big",
            "--",
            &format!("head -c {FOUR_MIB} /dev/zero >&2; echo out-done"),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let err_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        stderr.read_to_end(&mut bytes).unwrap();
        bytes.len()
    });
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut out = String::new();
        stdout.read_to_string(&mut out).unwrap();
        let _ = tx.send((out, child.wait().unwrap()));
    });
    let Ok((out, status)) = rx.recv_timeout(Duration::from_secs(120)) else {
        // SAFETY: kill has no memory-safety preconditions; the pid is our child's.
        unsafe { libc::kill(pid as i32, libc::SIGKILL) };
        panic!("machinectl ssh stalled on a command that fills stderr");
    };
    assert!(status.success());
    assert_eq!(out, "out-done\n");
    assert!(err_reader.join().unwrap() >= FOUR_MIB);
}

/// The server certificate names what the driver knows and `--tls-san`,
/// never the addresses the host reports about itself (docker0 here).
#[test]
fn server_certificate_names_only_driver_addresses_and_tls_sans() {
    require_hosts!();
    let store = TestStore::new();
    store.ok([
        "create",
        "--tls-san",
        "extra.example.test",
        "--tls-san",
        "192.0.2.7",
        "sans",
    ]);
    let ip: IpAddr = store.inspect("sans")["driver"]["host"]["ip"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    // The host does report docker0's address (dockerd made it at create).
    let reported = store.ok(["ssh", "sans", "--", "hostname -I"]).stdout;
    assert!(reported.contains("172.17."), "{reported}");

    let regenerated = store.ok(["regenerate-certs", "-f", "sans"]);
    assert!(
        regenerated.stderr.contains(&restart_notice("sans")),
        "{}",
        regenerated.stderr
    );
    let (ips, names) = certificate_sans(&store.machine_dir("sans").join("server.pem"));
    let docker0: Vec<&IpAddr> = ips
        .iter()
        .filter(|ip| ip.to_string().starts_with("172.17."))
        .collect();
    assert!(
        docker0.is_empty(),
        "host-reported addresses in the certificate: {ips:?}"
    );
    let expected: Vec<IpAddr> = vec![
        ip,
        "127.0.0.1".parse().unwrap(),
        "192.0.2.7".parse().unwrap(),
    ];
    let mut sorted = ips.clone();
    sorted.sort();
    let mut want = expected.clone();
    want.sort();
    assert_eq!(sorted, want, "IP SANs");
    for name in ["sans", "localhost", "extra.example.test"] {
        assert!(names.contains(&name.to_string()), "{names:?}");
    }
    let version = store.docker("sans", &["version", "--format", "{{.Server.Version}}"]);
    assert!(version.success, "{}", version.stderr);
}

/// `TYPE BASE64` of an OpenSSH public key file.
fn public_key(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    text.split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The local driver makes the host key, so it is pinned before the first
/// contact, under the machine's name; the system ssh and scp find it by that
/// name; a host that shows any other key is refused.
#[test]
fn host_key_is_pinned_by_machine_name_before_first_contact() {
    require_hosts!();
    let store = TestStore::new();
    store.ok(["create", "hk"]);
    let dir = store.machine_dir("hk");
    let host_key = dir.join("host/etc-ssh/ssh_host_ed25519_key");
    let made = public_key(&host_key.with_extension("pub"));
    let known_host = dir.join("known_host");
    assert_eq!(
        std::fs::read_to_string(&known_host).unwrap(),
        format!("hk {made}\n")
    );

    // Our client, the system ssh (interactive: its shell reads an empty
    // stdin) and the system scp all accept the pinned key.
    store.ok(["ssh", "hk", "--", "true"]);
    store.ok(["ssh", "hk"]);
    let local = store.dir.path().join("local.txt");
    std::fs::write(&local, "copied\n").unwrap();
    let remote = store.dir.path().join("remote.txt");
    store.ok([
        "scp".to_string(),
        local.display().to_string(),
        format!("hk:{}", remote.display()),
    ]);
    assert_eq!(std::fs::read_to_string(&remote).unwrap(), "copied\n");

    // A key pinned under the address (older stores) is renamed to the machine.
    let ip = store.ok(["ip", "hk"]).stdout.trim().to_string();
    std::fs::write(&known_host, format!("{ip} {made}\n")).unwrap();
    store.ok(["ssh", "hk"]);
    assert_eq!(
        std::fs::read_to_string(&known_host).unwrap(),
        format!("hk {made}\n")
    );

    // The host's sshd now serves another key, while the driver still knows
    // the one it made: with nothing pinned, trust on first use would take
    // the new key; pinning the driver's key refuses it.
    store.ok(["stop", "hk"]);
    let original = std::fs::read(&host_key).unwrap();
    let other = ssh_keygen(store.dir.path(), "other_host_key");
    std::fs::copy(&other, &host_key).unwrap();
    std::fs::remove_file(&known_host).unwrap();
    let start = store.run(["start", "hk"]);
    assert!(!start.success);
    assert!(start.stderr.contains("host key"), "{}", start.stderr);
    assert_eq!(
        std::fs::read_to_string(&known_host).unwrap(),
        format!("hk {made}\n"),
        "the driver's key is pinned, not the one the host showed"
    );
    let ours = store.run(["ssh", "hk", "--", "true"]);
    assert!(!ours.success);
    assert!(ours.stderr.contains("host key"), "{}", ours.stderr);
    let system = store.run(["ssh", "hk"]);
    assert!(!system.success, "the system ssh accepted another key");
    assert!(
        system.stderr.contains("Host key verification failed"),
        "{}",
        system.stderr
    );

    // The host's own key again: accepted.
    store.ok(["stop", "hk"]);
    std::fs::write(&host_key, original).unwrap();
    store.ok(["start", "hk"]);
    store.ok(["ssh", "hk", "--", "true"]);
}

/// A loopback HTTP server that answers every request with EC2's error
/// document carrying `message`; returns its endpoint URL.
fn echoing_ec2(message: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let mut reader = BufReader::new(stream);
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                let lower = line.to_ascii_lowercase();
                if let Some(v) = lower.strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                if line == "\r\n" {
                    break;
                }
            }
            let mut body = vec![0u8; length];
            let _ = reader.read_exact(&mut body);
            let document = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>AuthFailure</Code><Message>{message}</Message></Error></Errors><RequestID>req-1</RequestID></Response>"
            );
            let mut stream = reader.into_inner();
            let _ = write!(
                stream,
                "HTTP/1.1 400 Bad Request\r\nContent-Type: text/xml;charset=UTF-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{document}",
                document.len()
            );
        }
    });
    endpoint
}

/// A failed aws create under --debug, with a provider that echoes `message`.
fn failed_aws_create(store: &TestStore, secret: &str, message: String) -> Run {
    crate::common::debug_aws_create(store, secret, &echoing_ec2(message))
}

/// Secrets that reach a failed command's error (here: a provider that
/// echoes the credential or a private key back in its error message) are
/// redacted from --debug output, while the rest of the message is shown.
/// Only loopback is contacted.
#[test]
fn debug_output_of_a_failure_carrying_secrets_redacts_them() {
    let store = TestStore::new();
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";
    let run = failed_aws_create(
        &store,
        secret,
        format!("echo-marker: the secret key {secret} was refused"),
    );
    assert!(!run.success);
    assert!(run.stderr.contains("debug: "), "{}", run.stderr);
    // The failing path was taken: the provider's message is in the output.
    assert!(run.stderr.contains("AuthFailure"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("echo-marker: the secret key [redacted] was refused"),
        "{}",
        run.stderr
    );
    for text in [&run.stderr, &run.stdout] {
        assert!(!text.contains(secret), "{text}");
    }
    assert!(!store.machine_dir("dbg").exists());

    let key_body = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2g";
    let run = failed_aws_create(
        &store,
        secret,
        format!(
            "echo-marker -----BEGIN OPENSSH PRIVATE KEY----- {key_body} -----END OPENSSH PRIVATE KEY-----"
        ),
    );
    assert!(!run.success);
    assert!(
        run.stderr.contains("[redacted private key]"),
        "{}",
        run.stderr
    );
    for text in [&run.stderr, &run.stdout] {
        assert!(!text.contains(key_body), "{text}");
    }
}

/// Every run of the binaries gets the test's own HOME, DOCKER_CONFIG and
/// KUBECONFIG, so a test's `rm` or `use` never touches the developer's
/// docker contexts or kubeconfig.
#[test]
fn test_runs_use_their_own_home_docker_config_and_kubeconfig() {
    let store = TestStore::new();
    let command = store.command();
    let envs: std::collections::HashMap<_, _> = command.get_envs().collect();
    for (key, want) in [
        ("HOME", store.home()),
        ("DOCKER_CONFIG", store.docker_config()),
        ("KUBECONFIG", store.kubeconfig()),
    ] {
        assert!(want.starts_with(store.dir.path()), "{key}: {want:?}");
        assert_eq!(
            envs.get(std::ffi::OsStr::new(key)),
            Some(&Some(want.as_os_str())),
            "{key}"
        );
    }
    // The binary sees it: import's default source is under the test's HOME.
    let import = store.run(["import"]);
    let error = import.one_line_error();
    assert!(
        error.contains(&store.home().join(".docker/machine").display().to_string()),
        "{error}"
    );
}

/// Between two machines (`scp -3`), each host's pinned key is checked.
#[test]
fn scp_between_two_machines_checks_both_pinned_keys() {
    require_hosts!();
    let store = TestStore::new();
    store.ok(["create", "from"]);
    store.ok(["create", "to"]);
    let source = store.dir.path().join("source.txt");
    std::fs::write(&source, "between machines\n").unwrap();
    let copy = store.dir.path().join("copy.txt");
    store.ok([
        "scp".to_string(),
        format!("from:{}", source.display()),
        format!("to:{}", copy.display()),
    ]);
    assert_eq!(
        std::fs::read_to_string(&copy).unwrap(),
        "between machines\n"
    );
    // A wrong pin for one of them stops the copy.
    let known_host = store.machine_dir("to").join("known_host");
    let other = ssh_keygen(store.dir.path(), "other_key");
    let other = public_key(&other.with_extension("pub"));
    std::fs::write(&known_host, format!("to {other}\n")).unwrap();
    std::fs::remove_file(&copy).unwrap();
    let refused = store.run([
        "scp".to_string(),
        format!("from:{}", source.display()),
        format!("to:{}", copy.display()),
    ]);
    assert!(!refused.success, "{}", refused.stderr);
    assert!(!copy.exists());
}
