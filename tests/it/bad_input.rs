//! Bad input: one error line that names the fix, a non-zero exit, and
//! nothing written.

use std::process::Command;

use crate::common::{BIN, TestStore};

fn assert_nothing_written(store: &TestStore) {
    assert!(!store.root().exists(), "the store was created");
}

#[test]
fn invalid_name_is_refused_before_anything_is_written() {
    let store = TestStore::new();
    for name in ["bad_name", "-dash", "sp ace", "x".repeat(64).as_str()] {
        let run = store.run(["create", "--", name]);
        let error = run.one_line_error();
        assert!(error.contains("invalid machine name"), "{error}");
        assert_ne!(run.code, Some(0));
    }
    assert_nothing_written(&store);
}

#[test]
fn unknown_driver_lists_the_drivers() {
    let store = TestStore::new();
    let run = store.run(["create", "-d", "nosuch", "x"]);
    let error = run.one_line_error();
    assert!(error.contains("unknown driver \"nosuch\""), "{error}");
    assert!(
        error.contains("local") && error.contains("generic"),
        "{error}"
    );
    // A docker-machine driver machinectl lacks is understood, and said so.
    let run = store.run(["create", "-d", "hyperv", "x"]);
    let error = run.one_line_error();
    assert!(
        error.contains("\"hyperv\" is a docker-machine driver") && error.contains("generic"),
        "{error}"
    );
    assert_nothing_written(&store);
}

/// A name is never a path: `.` and `..` cannot reach the store or its parent.
#[test]
fn path_like_names_never_touch_the_store() {
    let store = TestStore::new();
    // Make the store (and its CA) exist, as any real one does.
    let certs = store.root().join("certs");
    std::fs::create_dir_all(&certs).unwrap();
    std::fs::write(certs.join("ca.pem"), "keep me").unwrap();
    for name in ["..", ".", "../certs", "a/b"] {
        for args in [
            vec!["rm", "-y", "-f", name],
            vec!["rm", "-y", name],
            vec!["inspect", name],
            vec!["provision", name],
        ] {
            let run = store.run(&args);
            assert!(!run.success, "{args:?}");
            assert!(
                run.stderr.contains("invalid machine name"),
                "{args:?}: {}",
                run.stderr
            );
        }
        let down = crate::cluster::clusterctl(&store, &["down", name, "-y"]);
        assert!(!down.success, "{name}");
    }
    assert_eq!(
        std::fs::read_to_string(certs.join("ca.pem")).unwrap(),
        "keep me"
    );
    assert!(store.root().is_dir());
}

#[test]
fn missing_required_flags_are_named() {
    let store = TestStore::new();
    let run = store.run(["create", "-d", "generic", "x"]);
    assert!(
        run.one_line_error()
            .contains("--generic-ip-address is required")
    );
    let run = store.run([
        "create",
        "-d",
        "generic",
        "--generic-ip-address",
        "127.0.0.1",
        "x",
    ]);
    assert!(
        run.one_line_error()
            .contains("--generic-ssh-key is required")
    );
    let run = store.run([
        "create",
        "-d",
        "generic",
        "--generic-ip-address",
        "127.0.0.1",
        "--generic-ssh-key",
        "/nonexistent/key",
        "x",
    ]);
    assert!(
        run.one_line_error()
            .contains("cannot read SSH key /nonexistent/key")
    );
    // A missing positional argument is one line too.
    let run = store.run(["create"]);
    let error = run.one_line_error();
    assert!(
        error.contains("<NAME>") && error.contains("--help"),
        "{error}"
    );
    assert_eq!(run.code, Some(2));
    assert_nothing_written(&store);
}

#[test]
fn malformed_engine_flags_are_refused() {
    let store = TestStore::new();
    for (flag, value) in [
        ("--engine-label", "nolabelvalue"),
        ("--engine-env", "1BAD=x"),
        ("--engine-env", "A=it's"),
        ("--engine-install-url", "ftp://x"),
        ("--local-subnet", "10.0.0.5/24"),
    ] {
        let run = store.run(["create", flag, value, "x"]);
        let error = run.one_line_error();
        assert!(error.contains(flag), "{flag}: {error}");
    }
    assert_nothing_written(&store);
}

#[test]
fn local_driver_without_root_says_so_in_one_line() {
    let Some(setpriv) = crate::common::which("setpriv") else {
        eprintln!("skipped: setpriv (util-linux) is not installed");
        return;
    };
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: needs root to drop to an unprivileged user");
        return;
    }
    let store = TestStore::new();
    let out = Command::new(setpriv)
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN])
        .args(["create", "-d", "local", "x"])
        .env("MACHINECTL_STORAGE_PATH", store.root())
        .output()
        .unwrap();
    let run = crate::common::Run::from(out);
    let error = run.one_line_error();
    assert!(error.contains("needs root"), "{error}");
    assert_eq!(run.code, Some(3), "pre-create failures exit 3");
    assert_nothing_written(&store);
}

#[test]
fn verbs_on_a_missing_machine_name_the_fix() {
    let store = TestStore::new();
    for verb in ["env", "config", "ip", "url", "inspect", "status"] {
        let run = store.run([verb, "ghost"]);
        let error = run.one_line_error();
        assert!(
            error.contains("\"ghost\" does not exist"),
            "{verb}: {error}"
        );
    }
    // ssh, like the other verbs, means the machine `default` when none is named.
    let run = store.run(["ssh"]);
    assert!(
        run.one_line_error().contains("\"default\" does not exist"),
        "{}",
        run.stderr
    );
    let run = store.run(["rm", "-y", "ghost"]);
    assert!(!run.success);
    assert_nothing_written(&store);
}

/// --debug shows the cause chain of a failed create, and no secret: not the
/// AWS secret key from the environment, not the machine's private SSH key.
/// The endpoint is a closed loopback port, so nothing leaves this machine.
/// Nothing on this path carries the secret, so this does not prove
/// redaction: trust::debug_output_of_a_failure_carrying_secrets_redacts_them
/// pushes secrets through a failing create and does.
#[test]
fn debug_output_shows_causes_but_no_secrets() {
    let store = TestStore::new();
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";
    let run = crate::common::debug_aws_create(&store, secret, "http://127.0.0.1:9");
    assert!(!run.success);
    assert!(run.stderr.contains("debug: "), "{}", run.stderr);
    assert!(run.stderr.contains("Connection refused"), "{}", run.stderr);
    for text in [&run.stderr, &run.stdout] {
        assert!(!text.contains(secret), "{text}");
        assert!(!text.contains("PRIVATE KEY"), "{text}");
    }
    // The failed create left nothing behind.
    assert!(!store.machine_dir("dbg").exists());
}

#[test]
fn malformed_aws_flags_are_refused_before_any_call() {
    let store = TestStore::new();
    for (flag, value, what) in [
        (
            "--aws-instance-type",
            "t3.small\"\nx: y",
            "invalid instance type",
        ),
        ("--aws-region", "us-east-1; rm", "invalid AWS region"),
        ("--aws-zone", "us-east-1a", "invalid zone"),
        ("--aws-ami", "ubuntu", "invalid AMI id"),
        ("--aws-allowed-cidr", "0.0.0.0", "invalid CIDR"),
        ("--aws-tags", "machinectl:cluster=theirs", "reserved"),
        ("--aws-ssh-user", "root\nx", "invalid user name"),
    ] {
        let run = store.run(["create", "--driver", "aws", flag, value, "x"]);
        assert!(!run.success, "{flag} {value:?} accepted");
        assert!(run.stderr.contains(what), "{flag}: {}", run.stderr);
    }
    assert_nothing_written(&store);
}
