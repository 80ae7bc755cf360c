//! Security checks kept as tests: file modes across the store, no secret
//! in any output or stored file in clear, pinned host keys, an engine that
//! takes only clients of the store's CA over TLS 1.2 or later, and
//! certificates that `ls` warns about a month before they expire.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::json;

use crate::common::{Run, TestStore, project_certs};
use crate::http_fake::{Resp, Server};
use crate::require_hosts;

/// Every file and directory under `root`.
fn walk(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                stack.push(path.clone());
            }
            out.push(path);
        }
    }
    out
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o777
}

/// Inside a machine's host/ (the host's own /etc/ssh, /var/lib/docker, …,
/// which keep the modes a real host has, behind host/ itself at 0700).
fn in_host_tree(root: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(root).unwrap();
    let parts: Vec<_> = rel.components().collect();
    parts.len() > 3 && parts[0].as_os_str() == "machines" && parts[2].as_os_str() == "host"
}

#[test]
fn keys_are_0600_and_directories_0700_across_the_store() {
    require_hosts!();
    let store = TestStore::new();
    store.ok(["create", "perm"]);
    let root = store.root();
    let mut checked = (0, 0);
    for path in walk(&root) {
        let meta = std::fs::symlink_metadata(&path).unwrap();
        let m = mode(&path);
        let shown = path.strip_prefix(&root).unwrap().display().to_string();
        assert_eq!(m & 0o002, 0, "{shown} is writable by anyone ({m:o})");
        if meta.is_dir() {
            if !in_host_tree(&root, &path) {
                assert_eq!(m, 0o700, "directory {shown} is {m:o}");
                checked.0 += 1;
            }
            continue;
        }
        if !meta.is_file() {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        let name = path.file_name().unwrap().to_string_lossy();
        let private = text.contains("PRIVATE KEY")
            || ["secrets.key", "machine.json", "known_host", "id_ed25519"].contains(&name.as_ref());
        if private {
            assert_eq!(m, 0o600, "{shown} is {m:o}");
            checked.1 += 1;
        }
    }
    assert_eq!(mode(&root), 0o700);
    assert_eq!(mode(&store.machine_dir("perm").join("host")), 0o700);
    // certs/, machines/, machines/perm, host/: at least these; keys: CA, client (twice), server, SSH, host key.
    assert!(checked.0 >= 4 && checked.1 >= 7, "checked {checked:?}");
}

const AWS_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzSECRETFAKE1";
const AWS_KEY_ID: &str = "AKIAFAKEFAKEFAKE0042";
const DO_TOKEN: &str = "dop_v1_0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
const DO_FLAG_TOKEN: &str = "dop_v1_aaaabbbbccccddddeeeeffff00001111222233334444555566667777888899";

/// The base64 lines of every private key in the store.
fn private_key_lines(root: &Path) -> Vec<String> {
    let mut lines = Vec::new();
    for path in walk(root) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if !text.contains("PRIVATE KEY") {
            continue;
        }
        lines.extend(
            text.lines()
                .filter(|l| !l.starts_with("-----") && l.len() >= 40)
                .map(str::to_string),
        );
    }
    lines
}

/// Run machinectl with the fake secrets in its environment.
fn with_secrets(store: &TestStore, args: &[&str]) -> Run {
    let mut command = store.command();
    crate::isolated::aws_env(&mut command);
    command
        .env("AWS_ACCESS_KEY_ID", AWS_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", AWS_SECRET)
        .env("DIGITALOCEAN_ACCESS_TOKEN", DO_TOKEN)
        .args(args);
    Run::from(command.output().unwrap())
}

/// A DigitalOcean and an EC2 that refuse every credential, each echoing
/// what it was sent (some APIs do): masking must hold even then.
fn echoing_refusals() -> (Server, Server) {
    // A DigitalOcean that refuses every token, echoing it back (as some APIs do).
    let digitalocean = Server::start(|req| {
        let auth = req.header("authorization").unwrap_or_default().to_string();
        Resp::json(
            403,
            json!({"id": "forbidden", "message": format!("{auth} may not do this")}),
        )
    });
    let ec2 = Server::start(|_| {
        Resp {
        status: 401,
        headers: vec![("Content-Type".into(), "text/xml".into())],
        body: format!("<?xml version=\"1.0\"?><Response><Errors><Error><Code>AuthFailure</Code><Message>key {AWS_KEY_ID} secret {AWS_SECRET} refused</Message></Error></Errors><RequestID>1</RequestID></Response>").into_bytes(),
    }
    });
    (digitalocean, ec2)
}

/// Every command that could show a secret, each run with the fake
/// secrets in its environment (and one token as a flag).
fn runs_with_secrets(store: &TestStore, do_url: &str, aws_url: &str) -> Vec<(String, Run)> {
    [
        vec!["--debug", "create", "sec"],
        vec!["--debug", "ls"],
        vec!["inspect", "sec"],
        vec!["--debug", "config", "sec"],
        vec!["--debug", "env", "--shell", "bash", "sec"],
        vec!["--debug", "ssh", "sec", "true"],
        vec![
            "--debug",
            "create",
            "-d",
            "digitalocean",
            "--digitalocean-api-url",
            do_url,
            "--keep-on-error",
            "dok",
        ],
        vec![
            "--debug",
            "create",
            "-d",
            "digitalocean",
            "--digitalocean-api-url",
            do_url,
            "--digitalocean-access-token",
            DO_FLAG_TOKEN,
            "--keep-on-error",
            "dof",
        ],
        vec![
            "--debug",
            "create",
            "-d",
            "aws",
            "--aws-endpoint",
            aws_url,
            "--aws-ami",
            "ami-12345678",
            "--keep-on-error",
            "awk",
        ],
        vec!["--debug", "ls"],
        vec!["--debug", "inspect", "dok"],
        vec!["inspect", "--format", "{{json .Driver}}", "dof"],
        vec!["--debug", "status", "dof"],
        vec!["--debug", "stop", "dok"],
        vec!["--debug", "rm", "-y", "dok"],
        vec!["--debug", "env", "ghost"],
        vec!["--debug", "rm", "-y", "-f", "dok", "dof", "awk"],
    ]
    .into_iter()
    .map(|args| (args.join(" "), with_secrets(store, &args)))
    .collect()
}

#[test]
fn no_token_secret_key_or_private_key_reaches_any_output_or_the_store_in_clear() {
    require_hosts!();
    let store = TestStore::new();
    let (digitalocean, ec2) = echoing_refusals();
    let runs = runs_with_secrets(&store, &digitalocean.url, &ec2.url);
    assert!(runs[0].1.success, "{}", runs[0].1.stderr);
    // The refusals did reach the output (masked), so masking was exercised.
    let dok = &runs[6].1;
    assert!(dok.stderr.contains("may not do this"), "{}", dok.stderr);
    let keys = private_key_lines(&store.root());
    assert!(keys.len() >= 4, "private keys found: {}", keys.len());
    let secrets = [AWS_SECRET, DO_TOKEN, DO_FLAG_TOKEN];
    for (args, run) in &runs {
        for text in [&run.stdout, &run.stderr] {
            for secret in secrets {
                assert!(!text.contains(secret), "{args}: {secret} in clear:\n{text}");
            }
            assert!(
                !text.contains("PRIVATE KEY"),
                "{args}: a private key in the output"
            );
            for line in &keys {
                assert!(
                    !text.contains(line.as_str()),
                    "{args}: private key material in the output"
                );
            }
        }
    }
    for path in walk(&store.root()) {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        for secret in secrets {
            assert!(
                !text.contains(secret),
                "{} holds {secret} in clear",
                path.display()
            );
        }
    }
}

/// Replace the key pinned for `name` with another one.
fn pin_another_key(store: &TestStore, name: &str) {
    let other = crate::common::ssh_keygen(store.dir.path(), &format!("other-{name}"));
    let public = std::fs::read_to_string(other.with_extension("pub")).unwrap();
    let mut fields = public.split_whitespace();
    let key = format!("{} {}", fields.next().unwrap(), fields.next().unwrap());
    let pinned = store.machine_dir(name).join("known_host");
    let text = std::fs::read_to_string(&pinned).unwrap();
    let alias = text.split_whitespace().next().unwrap().to_string();
    std::fs::write(&pinned, format!("{alias} {key}\n")).unwrap();
}

fn assert_host_key_refused(store: &TestStore, name: &str) {
    for args in [vec!["ssh", name, "true"], vec!["provision", name]] {
        let run = store.run(&args);
        assert!(!run.success, "{args:?} went on with a changed host key");
        assert!(run.stderr.contains("host key"), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("changed"), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn a_changed_host_key_is_refused_for_local_and_generic_machines() {
    require_hosts!();
    let store = TestStore::new();
    store.ok(["create", "hk"]);
    let ip = store.ok(["ip", "hk"]).stdout.trim().to_string();
    let key = store.machine_dir("hk").join("id_ed25519");
    store.ok([
        "create",
        "-d",
        "generic",
        "--generic-ip-address",
        &ip,
        "--generic-ssh-key",
        key.to_str().unwrap(),
        "gk",
    ]);
    store.ok(["ssh", "gk", "true"]);
    // The host really gets a new key: the generic machine's pin no longer matches.
    store.ok(["stop", "hk"]);
    let host_key = store
        .machine_dir("hk")
        .join("host/etc-ssh/ssh_host_ed25519_key");
    std::fs::remove_file(&host_key).unwrap();
    std::fs::remove_file(host_key.with_extension("pub")).unwrap();
    let made = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&host_key)
        .status()
        .unwrap();
    assert!(made.success());
    let _ = store.run(["start", "hk"]);
    assert_host_key_refused(&store, "gk");
    // The local machine's own pin, changed: refused too.
    pin_another_key(&store, "hk");
    assert_host_key_refused(&store, "hk");
    store.ok(["rm", "-y", "gk"]);
}

fn curl_ping(ip: &str, ca: &Path, client: Option<(&Path, &Path)>) -> Run {
    let mut command = Command::new("curl");
    command
        .args(["-sS", "--max-time", "10", "--cacert"])
        .arg(ca);
    if let Some((cert, key)) = client {
        command.arg("--cert").arg(cert).arg("--key").arg(key);
    }
    command.arg(format!("https://{ip}:2376/_ping"));
    Run::from(command.output().unwrap())
}

fn s_client(ip: &str, dir: &Path, version: &str) -> Run {
    let mut command = Command::new("openssl");
    command
        .args(["s_client", "-connect", &format!("{ip}:2376"), version])
        // Let the client offer old versions: a refusal is then the server's.
        .args(["-cipher", "DEFAULT:@SECLEVEL=0"])
        .arg("-CAfile")
        .arg(dir.join("ca.pem"))
        .arg("-cert")
        .arg(dir.join("cert.pem"))
        .arg("-key")
        .arg(dir.join("key.pem"))
        .stdin(std::process::Stdio::null());
    Run::from(command.output().unwrap())
}

#[test]
fn the_engine_takes_only_clients_of_the_store_ca_over_tls_1_2_or_later() {
    require_hosts!();
    let store = TestStore::new();
    store.ok(["create", "tl"]);
    let ip = store.ok(["ip", "tl"]).stdout.trim().to_string();
    let dir = store.machine_dir("tl");
    let ca = dir.join("ca.pem");
    let ours = curl_ping(
        &ip,
        &ca,
        Some((&dir.join("cert.pem"), &dir.join("key.pem"))),
    );
    assert!(ours.success && ours.stdout == "OK", "{}", ours.stderr);
    // A client certificate of another CA (machinectl's own PKI, another store).
    let other = project_certs(&store.dir.path().join("other"));
    let theirs = curl_ping(
        &ip,
        &ca,
        Some((&other.join("cert.pem"), &other.join("key.pem"))),
    );
    assert!(
        !theirs.success,
        "a client of another CA got in: {}",
        theirs.stdout
    );
    let anonymous = curl_ping(&ip, &ca, None);
    assert!(!anonymous.success, "a client without a certificate got in");
    let old = s_client(&ip, &dir, "-tls1_1");
    assert!(!old.success, "TLS 1.1 was accepted:\n{}", old.stdout);
    assert!(
        old.stderr.contains("alert protocol version"),
        "not refused by the server:\n{}",
        old.stderr
    );
    let good = s_client(&ip, &dir, "-tls1_2");
    assert!(good.success, "{}", good.stderr);
    assert!(
        good.stdout.contains("Protocol  : TLSv1.2"),
        "{}",
        good.stdout
    );
    assert!(
        good.stdout.contains("Verify return code: 0 (ok)"),
        "{}",
        good.stdout
    );
}

/// A certificate for `cn` signed by the store's CA that expires in `days` days.
fn short_lived_cert(store: &TestStore, cn: &str, days: u32, out: &Path) {
    let certs = store.root().join("certs");
    let csr = Command::new("openssl")
        .args([
            "req",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
        ])
        .arg("-keyout")
        .arg(store.dir.path().join(format!("{cn}-key.pem")))
        .args(["-subj", &format!("/CN={cn}")])
        .output()
        .unwrap();
    assert!(csr.status.success());
    let mut sign = Command::new("openssl")
        .args(["x509", "-req", "-days", &days.to_string(), "-CA"])
        .arg(certs.join("ca.pem"))
        .arg("-CAkey")
        .arg(certs.join("ca-key.pem"))
        .arg("-out")
        .arg(out)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    sign.stdin.take().unwrap().write_all(&csr.stdout).unwrap();
    assert!(sign.wait().unwrap().success());
}

#[test]
fn certificates_expiring_within_30_days_are_warned_by_ls_and_renewed_by_regenerate_certs() {
    require_hosts!();
    let store = TestStore::new();
    store.ok(["create", "ex"]);
    store.ok(["create", "fresh"]);
    let ls = store.ok(["ls"]);
    assert!(!ls.stderr.contains("warning"), "{}", ls.stderr);
    short_lived_cert(
        &store,
        "ex",
        10,
        &store.machine_dir("ex").join("server.pem"),
    );
    let ls = store.ok(["ls"]);
    assert!(
        ls.stderr
            .contains("warning: the TLS certificate of ex expires in")
            && ls.stderr.contains("`machinectl regenerate-certs -f ex`"),
        "{}",
        ls.stderr
    );
    assert!(!ls.stderr.contains("of fresh"), "{}", ls.stderr);
    store.ok(["regenerate-certs", "-f", "ex"]);
    let ls = store.ok(["ls"]);
    assert!(!ls.stderr.contains("warning"), "{}", ls.stderr);
    let version = store.docker("ex", &["version", "--format", "{{.Server.Version}}"]);
    assert!(version.success, "{}", version.stderr);
    // The store's client certificate, 5 days from its end: warned, and renewed.
    short_lived_cert(
        &store,
        "machinectl client",
        5,
        &store.root().join("certs/cert.pem"),
    );
    let ls = store.ok(["ls"]);
    assert!(
        ls.stderr.contains("the client certificate") && ls.stderr.contains("--client-certs"),
        "{}",
        ls.stderr
    );
    store.ok(["regenerate-certs", "-f", "--client-certs", "ex", "fresh"]);
    let ls = store.ok(["ls"]);
    assert!(!ls.stderr.contains("warning"), "{}", ls.stderr);
}
