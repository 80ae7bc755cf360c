//! Many machines with one command: `create NAME…` and `create --count N
//! --prefix P`, and the verbs that take several names (rm, start, stop,
//! restart, kill, provision, upgrade, regenerate-certs), run in parallel
//! within `--parallel`, each machine's outcome reported, a summary at the
//! end, and a non-zero exit when any machine failed. Timings are never
//! assertions: where a test shows that work overlapped (or did not), it
//! reads the order of the progress lines.

use std::path::Path;

use crate::common::TestStore;
use crate::require_hosts;

/// Names of the machines the store holds.
fn machines(store: &TestStore) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(store.root().join("machines"))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Where `needle` first shows in `text` (the test fails if it does not).
fn position(text: &str, needle: &str) -> usize {
    text.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in:\n{text}"))
}

fn netns_of(store: &TestStore, name: &str) -> String {
    store.inspect(name)["driver"]["host"]["netns"]
        .as_str()
        .expect("a local machine records its namespace")
        .to_string()
}

#[test]
fn create_of_several_checks_every_name_before_making_anything() {
    let store = TestStore::new();
    // One bad name among good ones: refused, nothing written.
    for (args, words) in [
        (
            vec!["create", "a", "bad/name", "c"],
            "invalid machine name \"bad/name\"",
        ),
        (vec!["create", "a", "b", "a"], "\"a\" is given twice"),
        (
            vec!["create", "--count", "2", "--prefix", "bad_"],
            "invalid machine name \"bad_-1\"",
        ),
    ] {
        let run = store.run(&args);
        let error = run.one_line_error();
        assert!(error.contains(words), "{args:?}: {}", run.stderr);
        assert_eq!(run.code, Some(1), "{args:?}");
        assert!(
            machines(&store).is_empty(),
            "{args:?} wrote {:?}",
            machines(&store)
        );
    }
    // Usage errors: names and --count together, --prefix without --count,
    // no machine at all at once, none to make.
    for args in [
        vec!["create", "--count", "2", "a"],
        vec!["create", "--prefix", "w", "a"],
        vec!["create", "--parallel", "0", "a"],
        vec!["create", "--count", "0"],
        vec!["create"],
    ] {
        let run = store.run(&args);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert!(machines(&store).is_empty(), "{args:?}");
    }
}

#[test]
fn create_of_several_refuses_a_name_that_exists_and_two_machines_on_one_host() {
    // A machine called generic-1 exists (adopted from docker-machine).
    let (store, key) = TestStore::with_imported(&[("generic-1", "127.0.0.2")]);
    let generic = |extra: &[&str]| {
        let mut args = vec![
            "create",
            "--driver",
            "generic",
            "--generic-ip-address",
            "127.0.0.3",
            "--generic-ssh-key",
            key.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        store.run(&args)
    };
    // --count without --prefix names the machines after the driver:
    // generic-1 is taken, so nothing is made, generic-2 neither.
    let run = generic(&["--count", "2"]);
    assert!(
        run.one_line_error()
            .contains("machine \"generic-1\" already exists"),
        "{}",
        run.stderr
    );
    assert_eq!(machines(&store), ["generic-1"]);
    // Two generic machines of one create would be one host.
    let run = generic(&["x", "y"]);
    assert!(
        run.one_line_error()
            .contains("x and y would be the same host (127.0.0.3:22)"),
        "{}",
        run.stderr
    );
    assert_eq!(machines(&store), ["generic-1"]);
}

#[test]
fn verbs_on_several_names_report_each_and_sum_up() {
    let store = TestStore::new();
    for verb in [
        vec!["start"],
        vec!["stop"],
        vec!["restart"],
        vec!["kill"],
        vec!["provision"],
        vec!["upgrade"],
        vec!["rm", "-y"],
    ] {
        // One name: that machine's own error, no summary around it.
        let mut args = verb.clone();
        args.push("ghost1");
        let run = store.run(&args);
        assert!(
            run.one_line_error()
                .starts_with("error: machine \"ghost1\" does not exist"),
            "{verb:?}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("warning:"), "{verb:?}: {}", run.stderr);
        let mut args = verb.clone();
        args.extend(["ghost1", "ghost2"]);
        let run = store.run(&args);
        let error = run.one_line_error();
        // Every machine was tried and is named with its own reason.
        assert!(
            error.contains(", 2 failed: ghost1: machine \"ghost1\" does not exist"),
            "{verb:?}: {error}"
        );
        assert!(
            error.contains("; ghost2: machine \"ghost2\" does not exist"),
            "{verb:?}: {error}"
        );
        assert!(error.starts_with("error: 0 "), "{verb:?}: {error}");
        // And each as it happened, marked with its name.
        assert!(
            run.stderr
                .contains("warning: [ghost2] machine \"ghost2\" does not exist"),
            "{verb:?}: {}",
            run.stderr
        );
        assert_eq!(run.code, Some(1), "{verb:?}");
    }
}

#[test]
fn regenerate_certs_of_several_checks_every_name_first() {
    let store = TestStore::new();
    // A typo fails before any certificate is made again.
    let run = store.run(["regenerate-certs", "-f", "ghost1", "ghost2"]);
    assert!(
        run.one_line_error()
            .contains("machine \"ghost1\" does not exist"),
        "{}",
        run.stderr
    );
}

#[test]
fn create_several_names_then_stop_start_and_rm_them_together() {
    require_hosts!();
    let store = TestStore::new();
    let create = store.ok(["create", "pa", "pb", "pc"]);
    assert!(
        create.stderr.contains("3 created: pa, pb, pc"),
        "{}",
        create.stderr
    );
    // Each machine's progress is marked with its name, and they were made at
    // once: the third began before the first was done.
    assert!(
        position(&create.stderr, "• [pc] Creating the local host")
            < position(&create.stderr, "[pa] Machine pa is running"),
        "{}",
        create.stderr
    );
    for name in ["pa", "pb", "pc"] {
        let version = store.docker(name, &["version", "--format", "{{.Server.Version}}"]);
        assert!(version.success, "{name}: {}", version.stderr);
    }
    // A name that exists is refused up front: the new one is not made.
    let again = store.run(["create", "pd", "pc"]);
    assert!(
        again
            .one_line_error()
            .contains("machine \"pc\" already exists"),
        "{}",
        again.stderr
    );
    assert!(!store.machine_dir("pd").exists());

    // --parallel 1: one machine at a time.
    let stop = store.ok(["stop", "--parallel", "1", "pa", "pb"]);
    assert!(stop.stderr.contains("2 stopped: pa, pb"), "{}", stop.stderr);
    assert!(
        position(&stop.stderr, "[pa] Stopped pa") < position(&stop.stderr, "• [pb] Stopping pb"),
        "{}",
        stop.stderr
    );
    for (name, state) in [("pa", "Stopped"), ("pb", "Stopped"), ("pc", "Running")] {
        assert_eq!(store.ok(["status", name]).stdout.trim(), state, "{name}");
    }
    let start = store.ok(["start", "pa", "pb"]);
    assert!(
        start.stderr.contains("2 started: pa, pb"),
        "{}",
        start.stderr
    );
    for name in ["pa", "pb"] {
        let version = store.docker(name, &["version", "--format", "{{.Server.Version}}"]);
        assert!(version.success, "{name}: {}", version.stderr);
    }

    let namespaces: Vec<String> = ["pa", "pb", "pc"]
        .iter()
        .map(|n| netns_of(&store, n))
        .collect();
    let rm = store.ok(["rm", "-y", "pa", "pb", "pc"]);
    assert!(rm.stderr.contains("3 removed: pa, pb, pc"), "{}", rm.stderr);
    // All three were removed at once (default --parallel 8).
    assert!(
        position(&rm.stderr, "• [pc] Removing pc") < position(&rm.stderr, "✓ [pa] Removing pa"),
        "{}",
        rm.stderr
    );
    assert!(machines(&store).is_empty(), "{:?}", machines(&store));
    for netns in namespaces {
        assert!(
            !Path::new("/var/run/netns").join(&netns).exists(),
            "{netns} left"
        );
    }
}

#[test]
fn one_failed_create_spares_the_others_and_the_exit_says_so() {
    require_hosts!();
    let store = TestStore::new();
    // A /29 holds the bridge and five hosts: the sixth machine finds no
    // address, fails and rolls back alone; the other five are made.
    let subnet = "10.231.77.0/29";
    let run = store.run([
        "create",
        "--local-subnet",
        subnet,
        "--count",
        "6",
        "--prefix",
        "w",
    ]);
    let error = run.one_line_error();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        error.starts_with("error: 5 created, 1 failed: w-"),
        "{}",
        run.stderr
    );
    assert!(
        error.contains(&format!("no free address left in {subnet}")),
        "{}",
        run.stderr
    );
    let made = machines(&store);
    assert_eq!(made.len(), 5, "{made:?}");
    let failed: Vec<String> = (1..=6)
        .map(|i| format!("w-{i}"))
        .filter(|n| !made.contains(n))
        .collect();
    assert_eq!(failed.len(), 1, "{made:?}");
    assert!(error.contains(&format!("{}: ", failed[0])), "{error}");
    for name in &made {
        let version = store.docker(name, &["version", "--format", "{{.Server.Version}}"]);
        assert!(version.success, "{name}: {}", version.stderr);
    }
    // A verb on several names where one fails: the others are done, the exit says so.
    let stop = store.run(["stop", &made[0], "ghost", &made[1]]);
    assert!(
        stop.one_line_error()
            .contains("2 stopped, 1 failed: ghost: machine \"ghost\" does not exist"),
        "{}",
        stop.stderr
    );
    for name in &made[..2] {
        assert_eq!(
            store.ok(["status", name]).stdout.trim(),
            "Stopped",
            "{name}"
        );
    }
    let mut rm = vec!["rm", "-y"];
    rm.extend(made.iter().map(String::as_str));
    store.ok(&rm);
    assert!(machines(&store).is_empty());
}

/// Ctrl-C during a create of several: the create under way rolls back, and
/// the ones still waiting for their turn never start.
#[test]
fn interrupted_create_of_several_starts_no_more() {
    require_hosts!();
    let store = TestStore::new();
    let child = store
        .command()
        .args(["create", "--parallel", "1", "ia", "ib", "ic"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // ia's host answered SSH: it is being provisioned; ib and ic wait.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !store.machine_dir("ia").join("known_host").exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "ia never answered SSH"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let netns = netns_of(&store, "ia");
    // SAFETY: kill has no memory-safety preconditions; the pid is our child's.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "0 created, 3 failed: ia: interrupted; ib: not started: interrupted; ic: not started: interrupted"
        ),
        "{stderr}"
    );
    assert!(machines(&store).is_empty(), "{:?}", machines(&store));
    assert!(
        !Path::new("/var/run/netns").join(&netns).exists(),
        "{netns} left"
    );
}
