//! Docker Machine parity (issue 17, items 2–7): what its users and scripts
//! type works the way they expect, through the built binary.
//! Machines that need no host are imported from a docker-machine store
//! fixture on loopback addresses; the rest are local namespace hosts.

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use crate::common::TestStore;
use crate::require_hosts;

/// A store holding `dm1`, imported from docker-machine, at 127.0.0.2 (nothing
/// listens there: no verb here may need the network).
fn imported() -> TestStore {
    TestStore::with_imported(&[("dm1", "127.0.0.2")]).0
}

/// Set the state machinectl recorded for `name` (as `stop` would).
fn set_recorded_state(store: &TestStore, name: &str, state: &str) {
    let path = store.machine_dir(name).join("machine.json");
    let mut record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    record["state"] = state.into();
    std::fs::write(&path, serde_json::to_vec_pretty(&record).unwrap()).unwrap();
}

// ---------------------------------------------------------------- item 2: ssh

/// `machinectl ssh NAME CMD ARGS…` needs no `--` (docker-machine documents
/// `docker-machine ssh dev free`); a word that is not an ssh option is
/// refused by name, not as a usage error.
#[test]
fn ssh_takes_a_command_without_dashes() {
    let store = TestStore::new();
    let run = store.run(["ssh", "ghost", "free", "-m"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.one_line_error().contains("\"ghost\" does not exist"),
        "{}",
        run.stderr
    );
    let run = store.run(["ssh", "ghost", "-L", "8080:localhost:80", "-C"]);
    assert!(
        run.one_line_error().contains("\"ghost\" does not exist"),
        "{}",
        run.stderr
    );
    let run = store.run(["ssh", "ghost", "-Z", "uptime"]);
    assert!(
        run.one_line_error().contains("\"-Z\" is not an ssh option"),
        "{}",
        run.stderr
    );
}

/// On a real host: the command without `--`, with `--`, and ssh options
/// (`-C`, `-o`, a `-L` forward) through the system ssh client.
#[test]
fn ssh_runs_commands_without_dashes_and_forwards_ports() {
    require_hosts!();
    let store = TestStore::new();
    store.ok(["create", "sshp"]);

    let plain = store.ok(["ssh", "sshp", "echo", "hello", "world"]);
    assert_eq!(plain.stdout, "hello world\n");
    let dashed = store.ok(["ssh", "sshp", "--", "echo", "-n", "x"]);
    assert_eq!(dashed.stdout, "x");
    let status = store.run(["ssh", "sshp", "exit", "7"]);
    assert_eq!(status.code, Some(7), "{}", status.stderr);

    // Options before the command go to the system ssh; the pinned key still holds.
    let via_ssh = store.ok(["ssh", "sshp", "-C", "-o", "BatchMode=yes", "hostname"]);
    assert_eq!(via_ssh.stdout.trim(), "sshp");
    let via_ssh = store.run(["ssh", "sshp", "-T", "--", "exit 5"]);
    assert_eq!(via_ssh.code, Some(5), "{}", via_ssh.stderr);

    // -L forwards a local port to the host: its sshd answers through it
    // (at the host's address: a local host's loopback is down).
    let ip = store.ok(["ip", "sshp"]).stdout.trim().to_string();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut forward = store
        .command()
        .args([
            "ssh",
            "sshp",
            "-L",
            &format!("127.0.0.1:{port}:{ip}:22"),
            "-o",
            "ExitOnForwardFailure=yes",
            "sleep",
            "20",
        ])
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    let banner = loop {
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) {
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut buf = [0u8; 8];
            if stream.read_exact(&mut buf).is_ok() {
                break String::from_utf8_lossy(&buf).into_owned();
            }
        }
        assert!(Instant::now() < deadline, "the -L forward never answered");
        std::thread::sleep(Duration::from_millis(200));
    };
    let _ = forward.kill();
    let _ = forward.wait();
    assert!(banner.starts_with("SSH-2.0"), "{banner:?}");
}

// ---------------------------------------------------------------- item 3: scp

/// Two local hosts share this computer's /tmp, so `a:F b:F` names one file
/// twice: refused as cp refuses it, and the file keeps its bytes. So are a
/// local path and a host's path to the same file, and a directory that
/// holds the source under its name.
#[test]
fn scp_refuses_to_copy_a_file_onto_itself() {
    require_hosts!();
    let store = TestStore::new();
    store.ok(["create", "scpa"]);
    store.ok(["create", "scpb"]);
    let file = store.dir.path().join("shared.txt");
    std::fs::write(&file, "keep me\n").unwrap();
    let path = file.display().to_string();
    let dir = store.dir.path().display().to_string();

    for (from, to) in [
        (format!("scpa:{path}"), format!("scpb:{path}")),
        (format!("scpa:{path}"), format!("scpa:{path}")),
        (path.clone(), format!("scpa:{path}")),
        (format!("scpb:{path}"), path.clone()),
        (format!("scpa:{path}"), format!("scpb:{dir}")),
    ] {
        let run = store.run(["scp", &from, &to]);
        let error = run.one_line_error();
        assert!(error.contains("are the same file"), "{from} {to}: {error}");
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            "keep me\n",
            "{from} {to} touched the file"
        );
    }

    // Different files still copy, between machines and from one.
    let copy = store.dir.path().join("copy.txt");
    store.ok([
        "scp".to_string(),
        format!("scpa:{path}"),
        format!("scpb:{}", copy.display()),
    ]);
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), "keep me\n");
    let back = store.dir.path().join("back.txt");
    store.ok([
        "scp".to_string(),
        format!("scpb:{}", copy.display()),
        back.display().to_string(),
    ]);
    assert_eq!(std::fs::read_to_string(&back).unwrap(), "keep me\n");
    // A file in the host's own /run is not this computer's.
    store.ok(["ssh", "scpa", "echo", "in-run", ">", "/run/p.txt"]);
    let from_run = store.dir.path().join("p.txt");
    store.ok([
        "scp".to_string(),
        "scpa:/run/p.txt".into(),
        from_run.display().to_string(),
    ]);
    assert_eq!(std::fs::read_to_string(&from_run).unwrap(), "in-run\n");
}

// ---------------------------------------------------------------- item 4: stopped machines

/// url, env, config and version NAME refuse a machine its record says is
/// stopped, from the record alone (the address answers nothing anyway);
/// --force prints the recorded values.
#[test]
fn verbs_refuse_a_stopped_machine_unless_forced() {
    let store = imported();
    store.ok(["url", "dm1"]);
    set_recorded_state(&store, "dm1", "Stopped");
    for verb in [
        vec!["url", "dm1"],
        vec!["env", "--shell", "bash", "dm1"],
        vec!["config", "dm1"],
        vec!["version", "dm1"],
    ] {
        let started = Instant::now();
        let run = store.run(&verb);
        assert_eq!(run.code, Some(1), "{verb:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{verb:?} printed {}", run.stdout);
        let error = run.one_line_error();
        assert!(
            error.contains("\"dm1\" is not running"),
            "{verb:?}: {error}"
        );
        assert!(error.contains("--force"), "{verb:?}: {error}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{verb:?} waited"
        );
    }
    let url = store.ok(["url", "--force", "dm1"]).stdout;
    assert_eq!(url, "tcp://127.0.0.2:2376\n");
    let env = store.ok(["env", "--shell", "bash", "-f", "dm1"]).stdout;
    assert!(
        env.contains("export DOCKER_HOST=\"tcp://127.0.0.2:2376\""),
        "{env}"
    );
    let config = store.ok(["config", "--force", "dm1"]).stdout;
    assert!(config.ends_with("-H=tcp://127.0.0.2:2376\n"), "{config}");
    // --force asks the engine, which is not there: a connection error, not the record's.
    let version = store.run(["version", "--force", "dm1"]);
    assert!(!version.success);
    assert!(
        !version.stderr.contains("is not running"),
        "{}",
        version.stderr
    );

    set_recorded_state(&store, "dm1", "Running");
    store.ok(["url", "dm1"]);
}

// ---------------------------------------------------------------- item 5: env -u NAME

#[test]
fn env_unset_refuses_a_machine_name() {
    let store = imported();
    for args in [
        ["env", "-u", "--shell", "bash", "dm1"],
        ["env", "--shell", "bash", "--unset", "dm1"],
    ] {
        let run = store.run(args);
        assert_eq!(run.code, Some(1), "{args:?}");
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        assert!(
            run.one_line_error()
                .contains("--unset takes no machine name"),
            "{}",
            run.stderr
        );
    }
    let unset = store.ok(["env", "-u", "--shell", "bash"]).stdout;
    assert!(unset.starts_with("unset DOCKER_TLS_VERIFY\n"), "{unset}");
}

// ---------------------------------------------------------------- item 6: templates

/// What docker-machine's inspect and ls docs show, and the Go template
/// basics users copy from them.
#[test]
fn inspect_and_ls_formats_take_docker_machine_templates() {
    let store = imported();
    let whole: serde_json::Value =
        serde_json::from_str(&store.ok(["inspect", "dm1"]).stdout).unwrap();

    let pretty = store
        .ok(["inspect", "--format", "{{prettyjson .Driver}}", "dm1"])
        .stdout;
    let parsed: serde_json::Value = serde_json::from_str(&pretty).unwrap();
    assert_eq!(parsed, whole["driver"]);
    assert!(
        pretty.starts_with("{\n    \""),
        "four-space indent: {pretty}"
    );
    let compact = store
        .ok(["inspect", "--format", "{{json .Driver}}", "dm1"])
        .stdout;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&compact).unwrap(),
        whole["driver"]
    );

    let cases = [
        ("{{.Driver.IPAddress}}", "127.0.0.2"),
        ("{{index .Engine.Labels 0}}", "team=dm"),
        ("{{printf \"%s:%d\" .Name .Engine.Port}}", "dm1:2376"),
        ("{{.Name | printf \"%-5s|\"}}", "dm1  |"),
        (
            "{{if eq .DriverName \"generic\"}}generic{{else}}other{{end}}",
            "generic",
        ),
        (
            "{{if eq .DriverName \"local\"}}local{{else if .ImportedFrom}}imported{{end}}",
            "imported",
        ),
        ("{{range .Engine.Labels}}<{{.}}>{{end}}", "<team=dm>"),
        (
            "{{range $i, $l := .Engine.Labels}}{{$i}}:{{$l}} {{$.Name}}{{end}}",
            "0:team=dm dm1",
        ),
        ("{{len .Engine.Labels}} {{.Engine.Labels}}", "1 [team=dm]"),
        ("{{with .Driver}}{{.IPAddress}}{{end}}", "127.0.0.2"),
    ];
    for (format, expected) in cases {
        let out = store.ok(["inspect", "--format", format, "dm1"]).stdout;
        assert_eq!(out, format!("{expected}\n"), "{format}");
    }
    let bad = store.run(["inspect", "--format", "{{if .Name}}unclosed", "dm1"]);
    assert!(bad.one_line_error().contains("--format"), "{}", bad.stderr);

    // ls: docker-machine's documented forms, and a condition over a row.
    let ls = store
        .ok([
            "ls",
            "--timeout",
            "2",
            "--format",
            "{{.Name}}: {{.DriverName}}{{if ne .State \"Running\"}} (down){{end}}",
        ])
        .stdout;
    assert_eq!(ls, "dm1: generic (down)\n");
}

// ---------------------------------------------------------------- item 7: wording

/// The errors docker-machine users search for ("does not exist", "already
/// exists", "is not running") appear in ours, with the machine's name.
#[test]
fn errors_carry_the_words_docker_machine_users_search_for() {
    let store = imported();
    for verb in [
        vec!["env", "ghost"],
        vec!["config", "ghost"],
        vec!["url", "ghost"],
        vec!["ip", "ghost"],
        vec!["inspect", "ghost"],
        vec!["status", "ghost"],
        vec!["version", "ghost"],
        vec!["ssh", "ghost", "uptime"],
        vec!["scp", "ghost:/etc/hostname", "/nonexistent-dir/x"],
        vec!["start", "ghost"],
        vec!["stop", "ghost"],
        vec!["restart", "ghost"],
        vec!["kill", "ghost"],
        vec!["provision", "ghost"],
        vec!["upgrade", "ghost"],
        vec!["regenerate-certs", "-f", "ghost"],
        vec!["rm", "-y", "ghost"],
    ] {
        let run = store.run(&verb);
        // The error line itself carries the words, not a warning above it.
        let error = run.one_line_error();
        assert!(
            error.contains("machine \"ghost\" does not exist"),
            "{verb:?}: {}",
            run.stderr
        );
    }
    // Importing a name this store holds.
    let dm = store.dir.path().join("dm");
    let again = store.run(["import", "--from", dm.to_str().unwrap(), "dm1"]);
    assert!(
        again.one_line_error().contains("\"dm1\" already exists"),
        "{}",
        again.stderr
    );
    // active, for the machine DOCKER_HOST names whose host answers nothing.
    let active = store
        .command()
        .args(["active", "--timeout", "3"])
        .env("DOCKER_HOST", "tcp://127.0.0.2:2376")
        .output()
        .unwrap();
    let active = crate::common::Run::from(active);
    assert!(
        active
            .one_line_error()
            .contains("machine \"dm1\" is the active one but is not running"),
        "{}",
        active.stderr
    );
    set_recorded_state(&store, "dm1", "Stopped");
    let stopped = store.run(["env", "--shell", "bash", "dm1"]);
    assert!(
        stopped
            .one_line_error()
            .contains("machine \"dm1\" is not running"),
        "{}",
        stopped.stderr
    );
}
