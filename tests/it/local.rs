//! The user story on the local driver, end to end, with the real docker client.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use crate::common::{TestStore, alive, busybox_rootfs};
use crate::require_hosts;

#[test]
fn local_machine_lifecycle_with_real_docker_client() {
    require_hosts!();
    let store = TestStore::new();
    let create = store.ok([
        "create",
        "--driver",
        "local",
        "--tls-san",
        "dev.example.test",
        "--engine-label",
        "team=it",
        "dev",
    ]);
    // Steps are shown with their elapsed time (plain lines without a terminal).
    assert!(
        create.stderr.contains("✓ Waiting for SSH"),
        "{}",
        create.stderr
    );
    assert!(create.stderr.contains("s)\n"), "{}", create.stderr);

    // The whole provisioning run used one SSH connection (sshd logs each login).
    let anchor_log =
        std::fs::read_to_string(store.machine_dir("dev").join("host/anchor.log")).unwrap();
    assert_eq!(
        anchor_log.matches("Accepted publickey").count(),
        1,
        "{anchor_log}"
    );

    let record = store.inspect("dev");
    let ip = record["driver"]["host"]["ip"].as_str().unwrap().to_string();
    assert!(ip.starts_with("10.231.0."), "{ip}");
    assert_eq!(store.ok(["ip", "dev"]).stdout.trim(), ip);
    assert_eq!(
        store.ok(["url", "dev"]).stdout.trim(),
        format!("tcp://{ip}:2376")
    );
    assert_eq!(store.ok(["status", "dev"]).stdout.trim(), "Running");

    // env prints docker-machine's variables; the stock client talks mutual TLS.
    let env = store.docker_env("dev");
    let keys: Vec<&str> = env.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "DOCKER_TLS_VERIFY",
            "DOCKER_HOST",
            "DOCKER_CERT_PATH",
            "DOCKER_MACHINE_NAME"
        ]
    );
    let version = store.docker("dev", &["version", "--format", "{{.Server.Version}}"]);
    assert!(version.success, "{}", version.stderr);
    assert!(!version.stdout.trim().is_empty());
    // `version NAME` asks the machine's engine.
    assert_eq!(
        store.ok(["version", "dev"]).stdout.trim(),
        version.stdout.trim()
    );
    let json: serde_json::Value =
        serde_json::from_str(&store.ok(["version", "-o", "json", "dev"]).stdout).unwrap();
    assert_eq!(json["machine"], "dev");
    assert_eq!(json["engine"]["version"], version.stdout.trim());

    // The engine got our label and the provider label.
    let labels = store.docker("dev", &["info", "--format", "{{json .Labels}}"]);
    assert!(
        labels.stdout.contains("provider=local"),
        "{}",
        labels.stdout
    );
    assert!(labels.stdout.contains("team=it"), "{}", labels.stdout);

    // Containers run on it.
    let imported = store.docker(
        "dev",
        &["import", busybox_rootfs().to_str().unwrap(), "busybox:it"],
    );
    assert!(imported.success, "{}", imported.stderr);
    let hi = store.docker("dev", &["run", "--rm", "busybox:it", "echo", "hi"]);
    assert!(hi.success, "{}", hi.stderr);
    assert_eq!(hi.stdout.trim(), "hi");

    // `docker $(machinectl config dev) …` works too.
    let config = store.ok(["config", "dev"]).stdout;
    let args: Vec<&str> = config.split_whitespace().collect();
    let via_config = std::process::Command::new("docker")
        .args(&args)
        .args(["version", "--format", "{{.Server.Version}}"])
        .env("DOCKER_CONFIG", store.dir.path().join("docker-config"))
        .output()
        .unwrap();
    assert!(
        via_config.status.success(),
        "{}",
        String::from_utf8_lossy(&via_config.stderr)
    );

    // ls shows it running with its engine version.
    let ls = store.ok(["ls"]).stdout;
    let row = ls.lines().find(|l| l.starts_with("dev ")).expect("dev row");
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cells[..4], ["dev", "-", "local", "Running"], "{ls}");
    assert_eq!(cells[4], format!("tcp://{ip}:2376"));
    assert!(cells[5].starts_with('v'), "{ls}");

    // A second create of the same name fails and leaves the first untouched.
    let record_path = store.machine_dir("dev").join("machine.json");
    let before = std::fs::read(&record_path).unwrap();
    let dup = store.run(["create", "dev"]);
    assert!(
        dup.one_line_error().contains("already exists"),
        "{}",
        dup.stderr
    );
    assert_eq!(before, std::fs::read(&record_path).unwrap());

    check_server_certificate(&store.machine_dir("dev"), &ip);
    check_plain_http_refused(&ip);
    check_key_modes(&store);

    // ssh runs commands over the pinned session and returns their status.
    let hostname = store.ok(["ssh", "dev", "--", "hostname"]);
    assert_eq!(hostname.stdout.trim(), "dev");
    let failing = store.run(["ssh", "dev", "--", "exit 7"]);
    assert_eq!(failing.code, Some(7));

    // rm takes everything away.
    let host = &record["driver"]["host"];
    let netns = host["netns"].as_str().unwrap().to_string();
    let veth = host["veth"].as_str().unwrap().to_string();
    let anchor = host["anchor_pid"].as_u64().unwrap();
    let dockerd: u64 = store
        .ok(["ssh", "dev", "--", "cat /run/machinectl/dockerd.pid"])
        .stdout
        .trim()
        .parse()
        .unwrap();
    assert!(alive(anchor) && alive(dockerd));
    let no_tty = store.run(["rm", "dev"]);
    assert!(no_tty.one_line_error().contains("-y"), "{}", no_tty.stderr);
    store.ok(["rm", "-y", "dev"]);
    assert!(!alive(anchor), "sshd {anchor} still runs");
    assert!(!alive(dockerd), "dockerd {dockerd} still runs");
    assert!(
        !Path::new("/var/run/netns").join(&netns).exists(),
        "{netns} left"
    );
    assert!(
        !Path::new("/sys/class/net").join(&veth).exists(),
        "{veth} left"
    );
    assert!(!store.machine_dir("dev").exists());
    assert_eq!(store.ok(["ls", "-q"]).stdout, "");
}

fn check_server_certificate(machine_dir: &Path, ip: &str) {
    let server = machine_dir.join("server.pem");
    let (ips, names) = crate::common::certificate_sans(&server);
    assert!(ips.contains(&ip.parse().unwrap()), "{ips:?}");
    assert!(names.contains(&"dev".to_string()), "{names:?}");
    assert!(names.contains(&"dev.example.test".to_string()), "{names:?}");
    // Signed by the store's CA.
    let pem = std::fs::read(&server).unwrap();
    let (_, pem) = x509_parser::pem::parse_x509_pem(&pem).unwrap();
    let cert = pem.parse_x509().unwrap();
    let ca = std::fs::read(machine_dir.join("ca.pem")).unwrap();
    let (_, ca) = x509_parser::pem::parse_x509_pem(&ca).unwrap();
    let ca = ca.parse_x509().unwrap();
    cert.verify_signature(Some(ca.public_key())).unwrap();
}

/// Without TLS, or with TLS but no client certificate, the engine says nothing useful.
fn check_plain_http_refused(ip: &str) {
    let mut stream = TcpStream::connect((ip, 2376)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(b"GET /version HTTP/1.0\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        !answer.contains("ApiVersion"),
        "plain HTTP got an answer: {answer}"
    );
    assert!(
        answer.starts_with("HTTP/1.0 400") || answer.is_empty(),
        "{answer}"
    );

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let no_client_cert = runtime.block_on(async {
        let client = reqwest::Client::builder()
            .tls_danger_accept_invalid_certs(true)
            .build()
            .unwrap();
        client
            .get(format!("https://{ip}:2376/version"))
            .send()
            .await
    });
    assert!(
        no_client_cert.is_err() || !no_client_cert.unwrap().status().is_success(),
        "the engine answered a client without a certificate"
    );
}

fn check_key_modes(store: &TestStore) {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let machine = store.machine_dir("dev");
    for key in [
        "id_ed25519",
        "key.pem",
        "server-key.pem",
        "known_host",
        "machine.json",
    ] {
        assert_eq!(mode(&machine.join(key)), 0o600, "{key}");
    }
    for key in ["ca-key.pem", "key.pem"] {
        assert_eq!(
            mode(&store.root().join("certs").join(key)),
            0o600,
            "certs/{key}"
        );
    }
    for dir in [
        store.root(),
        store.root().join("certs"),
        store.root().join("machines"),
        machine,
    ] {
        assert_eq!(mode(&dir), 0o700, "{}", dir.display());
    }
}

fn netns_named_in(stderr: &str) -> String {
    let start = stderr
        .find("\"netns\":\"")
        .expect("debug output names the namespace")
        + 9;
    stderr[start..start + 13].to_string()
}

#[test]
fn failed_create_rolls_back_and_keep_on_error_keeps_for_rm() {
    require_hosts!();
    let store = TestStore::new();
    // dockerd refuses a daemon.json key it does not know: provisioning fails after the host exists.
    let run = store.run([
        "--debug",
        "create",
        "--engine-opt",
        "no-such-directive=1",
        "broken",
    ]);
    let error = run.one_line_error();
    assert!(error.contains("dockerd exited"), "{error}");
    let netns = netns_named_in(&run.stderr);
    assert!(netns.starts_with("mctl-"), "{netns}");
    assert!(
        !Path::new("/var/run/netns").join(&netns).exists(),
        "{netns} left behind"
    );
    assert!(!store.machine_dir("broken").exists());
    assert_eq!(store.ok(["ls", "-q"]).stdout, "");

    // The name is free again, and --keep-on-error keeps the host with the error recorded.
    let kept = store.run([
        "--debug",
        "create",
        "--keep-on-error",
        "--engine-opt",
        "no-such-directive=1",
        "broken",
    ]);
    assert!(kept.one_line_error().contains("dockerd exited"));
    let netns = netns_named_in(&kept.stderr);
    assert!(Path::new("/var/run/netns").join(&netns).exists());
    let record = store.inspect("broken");
    assert_eq!(record["state"], "Error");
    assert!(record["error"].as_str().unwrap().contains("dockerd exited"));
    let ls = store.ok(["ls"]).stdout;
    assert!(ls.contains("dockerd exited"), "{ls}");
    store.ok(["rm", "-y", "broken"]);
    assert!(
        !Path::new("/var/run/netns").join(&netns).exists(),
        "{netns} left behind"
    );
    assert!(!store.machine_dir("broken").exists());
}

/// The DER of the first certificate in `pem`.
fn pem_der(pem: &[u8]) -> Vec<u8> {
    let (_, pem) = x509_parser::pem::parse_x509_pem(pem).expect("a PEM certificate");
    pem.contents
}

/// The certificate the engine at `ip`:2376 presents (seen before it asks
/// for a client certificate), as DER.
fn presented_certificate(ip: &str) -> Vec<u8> {
    let out = std::process::Command::new("openssl")
        .args(["s_client", "-connect", &format!("{ip}:2376")])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run openssl s_client");
    let text = String::from_utf8_lossy(&out.stdout);
    let end_marker = "-----END CERTIFICATE-----";
    let (Some(start), Some(end)) = (
        text.find("-----BEGIN CERTIFICATE-----"),
        text.find(end_marker),
    ) else {
        panic!(
            "no certificate from {ip}:2376: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    pem_der(text[start..end + end_marker.len()].as_bytes())
}

fn docker_version_via(store: &TestStore, name: &str) -> bool {
    store
        .docker(name, &["version", "--format", "{{.Server.Version}}"])
        .success
}

#[test]
fn lifecycle_certificates_contexts_and_import_on_a_local_machine() {
    require_hosts!();
    let store = TestStore::new();
    store.ok(["create", "web"]);

    // stop / start / kill / restart move the host through its states.
    let url = store.ok(["url", "web"]).stdout.trim().to_string();
    store.ok(["stop", "web"]);
    assert_eq!(store.ok(["status", "web"]).stdout.trim(), "Stopped");
    // env refuses a machine recorded stopped (docker-machine's "Host is not
    // running"), and its engine does not answer at the recorded address either.
    let env = store.run(["env", "--shell", "bash", "web"]);
    assert!(
        env.one_line_error().contains("is not running"),
        "{}",
        env.stderr
    );
    let mut docker = std::process::Command::new("docker");
    docker
        .args(["version", "--format", "{{.Server.Version}}"])
        .env("DOCKER_HOST", &url)
        .env("DOCKER_TLS_VERIFY", "1")
        .env("DOCKER_CERT_PATH", store.machine_dir("web"))
        .stdin(std::process::Stdio::null());
    store.isolate_env(&mut docker);
    assert!(!docker.output().unwrap().status.success());
    // The machine DOCKER_HOST points at is not active while it is stopped.
    let mut active = store.command();
    active.args(["active"]).env("DOCKER_HOST", &url);
    let active = crate::common::Run::from(active.output().unwrap());
    assert!(
        active.one_line_error().contains("machinectl start web"),
        "{}",
        active.stderr
    );
    store.ok(["start", "web"]);
    assert_eq!(store.ok(["status", "web"]).stdout.trim(), "Running");
    assert!(docker_version_via(&store, "web"));
    store.ok(["kill", "web"]);
    assert_eq!(store.ok(["status", "web"]).stdout.trim(), "Stopped");
    store.ok(["start", "web"]);
    // restart of a running host takes it down and brings it up again:
    // the host's sshd is a new process, and the old one is gone.
    let anchor = |store: &TestStore| {
        store.inspect("web")["driver"]["host"]["anchor_pid"]
            .as_u64()
            .unwrap()
    };
    let anchor_before = anchor(&store);
    store.ok(["restart", "web"]);
    assert_ne!(
        anchor(&store),
        anchor_before,
        "restart did not stop the host"
    );
    assert!(!alive(anchor_before), "sshd {anchor_before} still runs");
    assert_eq!(store.ok(["status", "web"]).stdout.trim(), "Running");
    assert!(docker_version_via(&store, "web"));

    // The engine of a local host is this machine's: upgrade says what to do instead.
    let upgrade = store.run(["upgrade", "web"]);
    assert!(
        upgrade
            .stderr
            .contains("upgrade the docker.io package here"),
        "{}",
        upgrade.stderr
    );

    // regenerate-certs: a new server certificate; with --client-certs a new CA too.
    let server_before = std::fs::read(store.machine_dir("web").join("server.pem")).unwrap();
    let no_tty = store.run(["regenerate-certs", "web"]);
    assert!(no_tty.one_line_error().contains("-f"));
    store.ok(["regenerate-certs", "-f", "web"]);
    let server_after = std::fs::read(store.machine_dir("web").join("server.pem")).unwrap();
    assert_ne!(server_before, server_after);
    // The engine serves the new certificate, not only the store.
    let ip = store.ok(["ip", "web"]).stdout.trim().to_string();
    assert!(
        presented_certificate(&ip) == pem_der(&server_after),
        "the engine still presents its old certificate"
    );
    assert!(docker_version_via(&store, "web"));
    let ca_before = std::fs::read(store.root().join("certs/ca.pem")).unwrap();
    store.ok(["regenerate-certs", "-f", "--client-certs", "web"]);
    assert_ne!(
        ca_before,
        std::fs::read(store.root().join("certs/ca.pem")).unwrap()
    );
    assert_eq!(
        std::fs::read(store.root().join("certs/ca.pem")).unwrap(),
        std::fs::read(store.machine_dir("web").join("ca.pem")).unwrap()
    );
    assert!(docker_version_via(&store, "web"));

    // provision runs everything again on the existing host: a lost
    // engine configuration is written again.
    store.ok(["ssh", "web", "--", "rm /etc/docker/daemon.json"]);
    store.ok(["provision", "web"]);
    let daemon = store
        .ok(["ssh", "web", "--", "cat /etc/docker/daemon.json"])
        .stdout;
    assert!(daemon.contains("\"tlsverify\": true"), "{daemon}");
    assert!(docker_version_via(&store, "web"));

    // A docker context for the machine, used by the real client.
    let docker_config = store.dir.path().join("docker-config");
    let with_config = |args: &[&str]| {
        let mut cmd = store.command();
        cmd.args(args).env("DOCKER_CONFIG", &docker_config);
        crate::common::Run::from(cmd.output().unwrap())
    };
    let used = with_config(&["use", "web"]);
    assert!(used.success, "{}", used.stderr);
    let docker = |args: &[&str]| {
        std::process::Command::new("docker")
            .args(args)
            .env("DOCKER_CONFIG", &docker_config)
            .env_remove("DOCKER_HOST")
            .output()
            .unwrap()
    };
    let by_name = docker(&[
        "--context",
        "web",
        "version",
        "--format",
        "{{.Server.Version}}",
    ]);
    assert!(
        by_name.status.success(),
        "{}",
        String::from_utf8_lossy(&by_name.stderr)
    );
    let selected = docker(&["version", "--format", "{{.Server.Version}}"]);
    assert!(
        selected.status.success(),
        "{}",
        String::from_utf8_lossy(&selected.stderr)
    );
    let config: serde_json::Value =
        serde_json::from_slice(&std::fs::read(docker_config.join("config.json")).unwrap()).unwrap();
    assert_eq!(config["currentContext"], "web");
    assert!(with_config(&["use", "--unset"]).success);
    let config: serde_json::Value =
        serde_json::from_slice(&std::fs::read(docker_config.join("config.json")).unwrap()).unwrap();
    assert!(config.get("currentContext").is_none());
    assert!(with_config(&["use", "web"]).success);

    // active names the machine DOCKER_HOST points at.
    let url = store.ok(["url", "web"]).stdout.trim().to_string();
    let active = store
        .command()
        .args(["active"])
        .env("DOCKER_HOST", &url)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&active.stdout).trim(), "web");

    // Import it into a second store as docker-machine would have kept it.
    let other = TestStore::new();
    let dm = other.dir.path().join("dm");
    let ip = store.ok(["ip", "web"]).stdout.trim().to_string();
    let key = store.machine_dir("web").join("id_ed25519");
    let certs = store.root().join("certs");
    let dm_machine = |name| crate::common::DmMachine {
        name,
        ip: &ip,
        ssh_port: 22,
        engine_port: 2376,
        ssh_key: &key,
        certs_dir: &certs,
    };
    crate::common::docker_machine_store(&dm, &[dm_machine("adopted"), dm_machine("not-asked")]);
    other.ok(["import", "--from", dm.to_str().unwrap(), "adopted"]);
    // Only the machine named is imported.
    assert_eq!(other.ok(["ls", "-q"]).stdout, "adopted\n");
    assert!(
        docker_version_via(&other, "adopted"),
        "imported machine does not answer"
    );
    assert_eq!(
        other.ok(["ssh", "adopted", "--", "hostname"]).stdout.trim(),
        "web"
    );
    let marker = other.dir.path().join("marker.txt");
    std::fs::write(&marker, "copied").unwrap();
    other.ok(["scp", marker.to_str().unwrap(), "adopted:/tmp/marker.txt"]);
    assert_eq!(
        store.ok(["ssh", "web", "--", "cat /tmp/marker.txt"]).stdout,
        "copied"
    );
    let back = other.dir.path().join("back.txt");
    other.ok(["scp", "adopted:/tmp/marker.txt", back.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&back).unwrap(), "copied");
    other.ok(["rm", "-y", "adopted"]);
    assert_eq!(store.ok(["status", "web"]).stdout.trim(), "Running");

    // rm removes the machine's docker context too.
    let meta_root = docker_config.join("contexts/meta");
    assert_eq!(std::fs::read_dir(&meta_root).unwrap().count(), 1);
    let mut rm = store.command();
    rm.args(["rm", "-y", "web"])
        .env("DOCKER_CONFIG", &docker_config);
    assert!(rm.output().unwrap().status.success());
    assert_eq!(std::fs::read_dir(&meta_root).unwrap().count(), 0);
}

/// Ctrl-C in the middle of a create is a failure like any other: the host
/// it had made is removed, and the name is free again. Interrupted twice:
/// while the host's namespace is being made, and once SSH has answered
/// (a blocking thread is provisioning, which the exit must not wait for).
#[test]
fn interrupted_create_removes_what_it_made() {
    require_hosts!();
    let store = TestStore::new();
    let dir = store.machine_dir("halted");
    let record_netns = || {
        std::fs::read(dir.join("machine.json"))
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .and_then(|v| v["driver"]["host"]["netns"].as_str().map(str::to_string))
    };
    let moments: [(&str, &dyn Fn() -> bool); 2] = [
        ("the host's namespace is recorded", &|| {
            record_netns().is_some()
        }),
        ("SSH has answered", &|| dir.join("known_host").exists()),
    ];
    for (moment, reached) in moments {
        let child = store
            .command()
            .args(["create", "halted"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while !reached() {
            assert!(
                std::time::Instant::now() < deadline,
                "never reached: {moment}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        let netns = record_netns().expect("the record names the namespace");
        // SAFETY: kill has no memory-safety preconditions; the pid is our child's.
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{moment}: {stderr}");
        assert!(stderr.contains("interrupted"), "{moment}: {stderr}");
        assert!(
            !Path::new("/var/run/netns").join(&netns).exists(),
            "{moment}: {netns} left behind"
        );
        assert!(!dir.exists(), "{moment}: {stderr}");
    }
    store.ok(["create", "halted"]);
    store.ok(["rm", "-y", "halted"]);
}

/// A subnet another interface already routes (a VPN, a leftover bridge) used
/// to make a host no packet could reach: create waited out the SSH timeout.
#[test]
fn a_subnet_routed_elsewhere_is_refused_before_anything_is_made() {
    require_hosts!();
    let other = "mctltestrt0";
    let _ = std::process::Command::new("ip")
        .args(["link", "del", other])
        .status();
    let sh = |args: &[&str]| {
        assert!(
            std::process::Command::new("ip")
                .args(args)
                .status()
                .unwrap()
                .success()
        );
    };
    sh(&["link", "add", other, "type", "bridge"]);
    sh(&["addr", "add", "10.231.78.1/29", "dev", other]);
    sh(&["link", "set", other, "up"]);
    let store = TestStore::new();
    let run = store.run([
        "create",
        "--local-subnet",
        "10.231.78.0/24",
        "--ssh-timeout",
        "5",
        "routed",
    ]);
    let _ = std::process::Command::new("ip")
        .args(["link", "del", other])
        .status();
    assert!(!run.success, "{}", run.stderr);
    let line = run.one_line_error();
    assert!(
        line.contains("10.231.78.0/29") && line.contains(other) && line.contains("--local-subnet"),
        "{line}"
    );
    assert!(!store.machine_dir("routed").exists());
}

/// A host re-created at a removed host's address gets the same MAC, so the
/// neighbour entries this machine and the other hosts keep for the address
/// stay right. With a random MAC the new host was unreachable for ~30 s
/// after `rm` and `create` of the same name (frames went to the old MAC
/// until the entry went stale), and `create` sat in "Waiting for SSH".
/// The bridge keeps the MAC fixed by its gateway address whatever hosts
/// join: one that took the lowest port MAC changed it as hosts came, and
/// hosts holding the old one lost their packets to this machine for up to
/// half a minute.
#[test]
fn the_bridge_keeps_its_own_mac_as_hosts_join() {
    require_hosts!();
    let store = TestStore::new();
    let names = ["b1", "b2", "b3", "b4"];
    for name in names {
        store.ok(["create", "--local-subnet", "10.231.82.0/28", name]);
        let bridge = store.inspect(name)["driver"]["host"]["bridge"]
            .as_str()
            .unwrap()
            .to_string();
        let mac = std::fs::read_to_string(format!("/sys/class/net/{bridge}/address")).unwrap();
        assert_eq!(
            mac.trim(),
            "02:6d:0a:e7:52:01",
            "after {name} joined {bridge}"
        );
    }
    store.ok(["rm", "-y", "b1", "b2", "b3", "b4"]);
}

#[test]
fn a_host_recreated_at_a_removed_hosts_address_keeps_its_mac() {
    require_hosts!();
    let store = TestStore::new();
    let create = ["create", "--local-subnet", "10.231.81.0/28", "again"];
    let address = |store: &TestStore| {
        let host = &store.inspect("again")["driver"]["host"];
        let netns = host["netns"].as_str().unwrap().to_string();
        let out = std::process::Command::new("ip")
            .args(["-n", &netns, "-o", "link", "show", "eth0"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let mac = text
            .split_whitespace()
            .skip_while(|w| *w != "link/ether")
            .nth(1)
            .unwrap_or_else(|| panic!("no MAC in {text:?}"))
            .to_string();
        (host["ip"].as_str().unwrap().to_string(), mac)
    };
    store.ok(create);
    let first = address(&store);
    store.ok(["rm", "-y", "again"]);
    store.ok(create);
    let second = address(&store);
    assert_eq!(first, second, "same address, same MAC");
    // This machine's neighbour entry for the address, if any, is that MAC.
    let neigh = std::process::Command::new("ip")
        .args(["neigh", "show", &second.0])
        .output()
        .unwrap();
    let neigh = String::from_utf8_lossy(&neigh.stdout);
    assert!(
        neigh.trim().is_empty() || neigh.contains(&second.1),
        "{neigh} vs {second:?}"
    );
    store.ok(["rm", "-y", "again"]);
}
