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
    assert_nothing_written(&store);
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
    let run = store.run(["rm", "-y", "ghost"]);
    assert!(!run.success);
    assert_nothing_written(&store);
}
