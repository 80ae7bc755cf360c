//! The docker-machine command surface over machines that need no host:
//! machines imported from a docker-machine store fixture whose addresses are
//! on loopback, so nothing leaves this machine.

use std::net::TcpListener;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::{DmMachine, TestStore, docker_machine_store, project_certs, ssh_keygen};

/// A store with two imported machines on loopback addresses.
fn store_with_imports() -> TestStore {
    TestStore::with_imported(&[("node-10", "127.0.0.3"), ("node-2", "127.0.0.2")]).0
}

fn settings(store: &TestStore) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(&regex_escape(store.dir.path().to_str().unwrap()), "[TMP]");
    settings.add_filter(r"machinectl(-it)?-[A-Za-z0-9]{6}", "[TMP]");
    settings.set_prepend_module_to_snapshot(false);
    settings
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if "\\.+*?()|[]{}^$".contains(c) {
                vec!['\\', c]
            } else {
                vec![c]
            }
        })
        .collect()
}

#[test]
fn help_snapshots() {
    let store = TestStore::new();
    let settings = settings(&store);
    // Help shows the values of environment variables it reads: start from none.
    let help = |args: &[&str]| {
        let out = std::process::Command::new(crate::common::BIN)
            .env_clear()
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    settings.bind(|| {
        insta::assert_snapshot!("help", help(&["--help"]));
        insta::assert_snapshot!("help_create", help(&["create", "--help"]));
        insta::assert_snapshot!("help_ls", help(&["ls", "--help"]));
        insta::assert_snapshot!("help_env", help(&["env", "--help"]));
    });
}

#[test]
fn env_for_every_shell_set_and_unset() {
    let store = store_with_imports();
    let settings = settings(&store);
    settings.bind(|| {
        for shell in ["bash", "zsh", "fish", "powershell", "cmd", "tcsh", "emacs"] {
            let set = store.ok(["env", "--shell", shell, "node-2"]).stdout;
            let unset = store.ok(["env", "--shell", shell, "--unset"]).stdout;
            // The usage hint echoes the command as typed; name the binary plainly.
            insta::assert_snapshot!(format!("env_{shell}"), normalize_bin(&set));
            insta::assert_snapshot!(format!("env_{shell}_unset"), normalize_bin(&unset));
        }
    });
    // --no-proxy adds the address once, keeping what NO_PROXY had.
    let no_proxy = |current: Option<&str>| {
        let mut command = store.command();
        command.args(["env", "--shell", "bash", "--no-proxy", "node-2"]);
        command.env_remove("NO_PROXY").env_remove("no_proxy");
        if let Some(current) = current {
            command.env("NO_PROXY", current);
        }
        let out = command.output().unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    for (current, expected) in [
        (None, "127.0.0.2"),
        (Some("example.org"), "example.org,127.0.0.2"),
        (Some("example.org,127.0.0.2"), "example.org,127.0.0.2"),
    ] {
        let out = no_proxy(current);
        assert!(
            out.contains(&format!("export NO_PROXY=\"{expected}\"\n")),
            "NO_PROXY={current:?}: {out}"
        );
    }
}

fn normalize_bin(text: &str) -> String {
    text.replace(crate::common::BIN, "machinectl")
}

#[test]
fn ls_formats_filters_and_natural_sort() {
    let store = store_with_imports();
    let names = store.ok(["ls", "-q"]).stdout;
    assert_eq!(names, "node-2\nnode-10\n");
    let quiet_global = store.ok(["--quiet", "ls"]).stdout;
    assert_eq!(quiet_global, names);

    // Nothing listens on port 1 of these loopback addresses: both are in error, fast.
    let table = store.ok(["ls", "--timeout", "3"]).stdout;
    let header = table.lines().next().unwrap();
    assert_eq!(
        header.split_whitespace().collect::<Vec<_>>(),
        [
            "NAME", "ACTIVE", "DRIVER", "STATE", "URL", "CLUSTER", "DOCKER", "ERRORS"
        ]
    );
    assert!(
        table.lines().nth(1).unwrap().starts_with("node-2 "),
        "{table}"
    );

    let formatted = store
        .ok(["ls", "--format", "{{.Name}}:{{.DriverName}}:{{.URL}}"])
        .stdout;
    assert_eq!(
        formatted,
        "node-2:generic:tcp://127.0.0.2:2376\nnode-10:generic:tcp://127.0.0.3:2376\n"
    );
    // docker-machine's derived fields work in formats too.
    let derived = store
        .ok([
            "ls",
            "--format",
            "{{.Name}} {{.ActiveHost}} {{.ActiveSwarm}} {{.ResponseTime}}",
            "--timeout",
            "3",
        ])
        .stdout;
    let first = derived.lines().next().unwrap();
    let fields: Vec<&str> = first.split(' ').collect();
    assert_eq!(fields[..3], ["node-2", "false", "false"], "{derived}");
    assert!(
        fields[3].ends_with("ms") && fields[3].trim_end_matches("ms").parse::<u64>().is_ok(),
        "{derived}"
    );
    let with_header = store
        .ok(["ls", "--format", "table {{.Name}}\\t{{.URL}}"])
        .stdout;
    assert_eq!(
        with_header
            .lines()
            .next()
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>(),
        ["NAME", "URL"]
    );

    // Same key ORs, different keys AND; name is a regex.
    let by_name = store.ok(["ls", "-q", "--filter", "name=^node-1"]).stdout;
    assert_eq!(by_name, "node-10\n");
    let either = store
        .ok(["ls", "-q", "--filter", "name=-2$", "--filter", "name=-10$"])
        .stdout;
    assert_eq!(either, "node-2\nnode-10\n");
    let both = store
        .ok([
            "ls",
            "-q",
            "--filter",
            "name=node",
            "--filter",
            "driver=local",
        ])
        .stdout;
    assert_eq!(both, "");
    let label = store
        .ok([
            "ls",
            "-q",
            "--filter",
            "label=team=dm",
            "--filter",
            "driver=generic",
        ])
        .stdout;
    assert_eq!(label, "node-2\nnode-10\n");
    let label_key = store.ok(["ls", "-q", "--filter", "label=team"]).stdout;
    assert_eq!(label_key, "node-2\nnode-10\n");
    let other_label = store
        .ok(["ls", "-q", "--filter", "label=team=other"])
        .stdout;
    assert_eq!(other_label, "");
    let state = store
        .ok(["ls", "-q", "--filter", "state=running", "--timeout", "3"])
        .stdout;
    assert_eq!(state, "");
    let error_state = store
        .ok(["ls", "-q", "--filter", "state=Error", "--timeout", "3"])
        .stdout;
    assert_eq!(error_state, "node-2\nnode-10\n");

    let json: serde_json::Value = serde_json::from_str(
        &store
            .ok(["ls", "--output", "json", "--timeout", "3"])
            .stdout,
    )
    .unwrap();
    assert_eq!(json[0]["name"], "node-2");
    assert_eq!(json[1]["driver_name"], "generic");

    // The machine DOCKER_HOST points at is the active one.
    let active = |args: &[&str]| {
        let out = store
            .command()
            .args(args)
            .env("DOCKER_HOST", "tcp://127.0.0.2:2376")
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let table = active(&["ls", "--timeout", "3"]);
    let actives: Vec<Vec<&str>> = table
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().take(2).collect())
        .collect();
    assert_eq!(actives, [["node-2", "*"], ["node-10", "-"]], "{table}");
    let formatted = active(&["ls", "--format", "{{.Name}} {{.ActiveHost}}"]);
    assert_eq!(formatted, "node-2 true\nnode-10 false\n");

    let bad = store.run(["ls", "--filter", "color=red"]);
    assert!(bad.one_line_error().contains("unknown --filter key"));
    let bad = store.run(["ls", "--filter", "name=("]);
    assert!(bad.one_line_error().contains("regex"));
}

#[test]
fn inspect_formats_and_json_outputs() {
    let store = store_with_imports();
    let ip = store.ok([
        "inspect",
        "--format",
        "{{.Driver.IPAddress}} {{.DriverName}} {{.ImportedFrom}}",
        "node-2",
    ]);
    assert_eq!(ip.stdout.trim(), "127.0.0.2 generic generic");
    let labels = store.ok(["inspect", "-f", "{{json .Engine.Labels}}", "node-2"]);
    assert_eq!(labels.stdout.trim(), r#"["team=dm"]"#);
    let bad = store.run(["inspect", "-f", "{{.NoSuchField}}", "node-2"]);
    assert!(bad.one_line_error().contains("--format"));
    let status: serde_json::Value =
        serde_json::from_str(&store.ok(["status", "-o", "json", "node-2"]).stdout).unwrap();
    assert_eq!(status["name"], "node-2");
    // Nothing answers on port 1: the JSON says what the text says.
    let text = store.ok(["status", "node-2"]).stdout;
    assert_eq!(status["state"], text.trim());
    assert_ne!(status["state"], "Running");
    let version: serde_json::Value =
        serde_json::from_str(&store.ok(["version", "-o", "json"]).stdout).unwrap();
    assert_eq!(version["machinectl"], env!("CARGO_PKG_VERSION"));
}

#[test]
fn ls_over_a_corrupt_record_and_a_silent_host_finishes_within_its_timeout() {
    let store = TestStore::new();
    let dm = store.dir.path().join("dm");
    let certs = project_certs(&dm);
    let key = ssh_keygen(store.dir.path(), "id_rsa");
    // Accepts connections and never says a word: a host that hangs.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    docker_machine_store(
        &dm,
        &[DmMachine {
            name: "hung",
            ip: "127.0.0.1",
            ssh_port: port,
            engine_port: port,
            ssh_key: &key,
            certs_dir: &certs,
        }],
    );
    store.ok(["import", "--from", dm.to_str().unwrap()]);
    let broken = store.machine_dir("broken");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(broken.join("machine.json"), b"{ not json").unwrap();

    let started = Instant::now();
    let ls = store.ok(["ls", "--timeout", "2"]);
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(10), "ls took {elapsed:?}");
    let broken_row = ls
        .stdout
        .lines()
        .find(|l| l.starts_with("broken "))
        .expect("broken row");
    assert!(
        broken_row.contains("Error") && broken_row.contains("unreadable"),
        "{broken_row}"
    );
    let hung_row = ls
        .stdout
        .lines()
        .find(|l| l.starts_with("hung "))
        .expect("hung row");
    assert!(
        hung_row.contains("timed out") || hung_row.contains("in time"),
        "{hung_row}"
    );
    drop(silent);

    // The corrupt one goes with rm -f; the other is untouched.
    let rm = store.run(["rm", "-y", "broken"]);
    assert!(!rm.success);
    store.ok(["rm", "-y", "-f", "broken"]);
    assert_eq!(store.ok(["ls", "-q"]).stdout, "hung\n");
}

#[test]
fn import_refuses_bad_input_without_writing() {
    let store = TestStore::new();
    let missing = store.run(["import", "--from", "/nonexistent/dm"]);
    assert!(missing.one_line_error().contains("--from"));
    let dm = store.dir.path().join("dm");
    std::fs::create_dir_all(dm.join("machines/old")).unwrap();
    std::fs::write(
        dm.join("machines/old/config.json"),
        br#"{"ConfigVersion": 1}"#,
    )
    .unwrap();
    let old = store.run(["import", "--from", dm.to_str().unwrap()]);
    assert!(old.one_line_error().contains("ConfigVersion 1"));
    assert!(!store.root().exists());
}

#[test]
fn completions_are_checked_in_and_current() {
    let store = TestStore::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let update = std::env::var_os("MACHINECTL_UPDATE_COMPLETIONS").is_some();
    for bin in ["machinectl", "clusterctl"] {
        for (shell, file) in [
            ("bash", format!("{bin}.bash")),
            ("zsh", format!("_{bin}")),
            ("fish", format!("{bin}.fish")),
            ("powershell", format!("_{bin}.ps1")),
            ("elvish", format!("{bin}.elv")),
        ] {
            let generated = store.ok_bin(bin, ["completion", shell]).stdout;
            assert!(generated.contains(bin), "{bin} {shell}");
            if update {
                std::fs::write(dir.join(&file), &generated).unwrap();
            }
            let checked_in = std::fs::read_to_string(dir.join(&file)).unwrap_or_default();
            assert!(
                checked_in == generated,
                "completions/{file} is stale: run MACHINECTL_UPDATE_COMPLETIONS=1 cargo test --test it completions"
            );
        }
        let man = store.ok_bin(bin, ["man"]).stdout;
        assert!(man.contains(&format!(".TH {bin}")), "{bin}: {man}");
    }
}

/// `default` is the docker CLI's own context name: a machine called
/// `default` gets `machinectl-default`, which the real client then selects.
#[test]
fn use_default_makes_a_context_docker_does_not_reserve() {
    let (store, _) = TestStore::with_imported(&[("default", "127.0.0.4")]);
    let config = store.dir.path().join("docker-config");
    let docker = |args: &[&str]| {
        crate::common::Run::from(
            std::process::Command::new("docker")
                .args(args)
                .env("DOCKER_CONFIG", &config)
                .env_remove("DOCKER_CONTEXT")
                .env_remove("DOCKER_HOST")
                .output()
                .unwrap(),
        )
    };
    let used = crate::common::Run::from(
        store
            .command()
            .env("DOCKER_CONFIG", &config)
            .args(["use", "default"])
            .output()
            .unwrap(),
    );
    assert!(used.success, "{}", used.stderr);
    assert!(
        used.stderr.contains("machinectl-default"),
        "{}",
        used.stderr
    );
    assert_eq!(
        docker(&["context", "show"]).stdout.trim(),
        "machinectl-default"
    );
    let host = docker(&[
        "context",
        "inspect",
        "machinectl-default",
        "--format",
        "{{.Endpoints.docker.Host}}",
    ]);
    assert_eq!(
        host.stdout.trim(),
        "tcp://127.0.0.4:2376",
        "{}",
        host.stderr
    );

    let removed = crate::common::Run::from(
        store
            .command()
            .env("DOCKER_CONFIG", &config)
            .args(["rm", "-y", "default"])
            .output()
            .unwrap(),
    );
    assert!(removed.success, "{}", removed.stderr);
    assert!(!docker(&["context", "inspect", "machinectl-default"]).success);
    assert_eq!(docker(&["context", "show"]).stdout.trim(), "default");
}

/// `clusterctl` has the same completion and man page commands as machinectl.
#[test]
fn clusterctl_has_completions_and_a_man_page() {
    let store = TestStore::new();
    let bash = store.ok_bin("clusterctl", ["completion", "bash"]).stdout;
    assert!(bash.contains("clusterctl,up)"), "{bash}");
    let man = store.ok_bin("clusterctl", ["man"]).stdout;
    assert!(man.contains("clusterctl\\-up"), "{man}");
}

/// A machine another machinectl process is working on is refused at once,
/// by name, and left as it was: here a `provision` that waits for an SSH
/// server that never answers holds it.
#[test]
fn a_machine_in_use_by_another_process_is_refused_and_left_alone() {
    use std::io::{BufRead, BufReader};
    let store = store_with_imports();
    let record = store.machine_dir("node-2").join("machine.json");
    let before = std::fs::read(&record).unwrap();
    let mut holder = store
        .command()
        .args(["provision", "node-2"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(holder.stderr.take().unwrap());
    let mut seen = String::new();
    while !seen.contains("Waiting for SSH") {
        let mut line = String::new();
        if stderr.read_line(&mut line).unwrap() == 0 {
            panic!("provision ended before it waited for SSH: {seen}");
        }
        seen.push_str(&line);
    }
    let attempts: [&[&str]; 5] = [
        &["rm", "-y", "node-2"],
        &["rm", "-y", "-f", "node-2"],
        &["stop", "node-2"],
        &["provision", "node-2"],
        &["regenerate-certs", "-f", "node-2"],
    ];
    let outcomes: Vec<(String, crate::common::Run)> = attempts
        .iter()
        .map(|args| (args.join(" "), store.run(*args)))
        .collect();
    let _ = holder.kill();
    let _ = holder.wait();
    for (args, run) in &outcomes {
        assert!(!run.success, "{args} went ahead");
        assert!(
            run.stderr.contains("\"node-2\" is busy"),
            "{args}: {}",
            run.stderr
        );
    }
    assert_eq!(before, std::fs::read(&record).unwrap());
    // Once the other process is gone, the machine is free again.
    store.ok(["rm", "-y", "node-2"]);
    assert_eq!(store.ok(["ls", "-q"]).stdout, "node-10\n");
}
