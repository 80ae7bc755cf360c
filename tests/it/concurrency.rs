//! Many machinectl processes on one store at once (the local driver): what
//! scripts and CI jobs do. One CA for all, every record whole, the other
//! machines usable throughout, and one name made once.

use std::process::{Child, Stdio};

use crate::common::{Run, TestStore};
use crate::require_hosts;

fn spawn(store: &TestStore, args: &[&str]) -> Child {
    store
        .command()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn machinectl")
}

/// 20 `create` processes into an empty store at once: each makes its
/// machine, the store ends with one CA that every machine trusts (the first
/// to get there makes it, under the store lock), and `ls` and `env` of the
/// machines already made never fail while the others are still coming.
#[test]
fn twenty_creates_at_once_share_one_ca_and_leave_whole_records() {
    require_hosts!();
    let store = TestStore::new();
    let names: Vec<String> = (0..20).map(|i| format!("c{i}")).collect();
    let mut children: Vec<(String, Child)> = names
        .iter()
        .map(|n| (n.clone(), spawn(&store, &["create", n])))
        .collect();
    let mut reads = 0;
    while children
        .iter_mut()
        .any(|(_, c)| c.try_wait().unwrap().is_none())
    {
        store.ok(["ls", "-q"]);
        for (name, child) in children.iter_mut() {
            if child.try_wait().unwrap().is_some_and(|s| s.success()) {
                store.ok(["env", "--shell", "bash", name.as_str()]);
                reads += 1;
            }
        }
    }
    assert!(
        reads > 0,
        "no machine was ready while others were still being made"
    );
    for (name, child) in children {
        let run = Run::from(child.wait_with_output().unwrap());
        assert!(run.success, "create {name} failed:\n{}", run.stderr);
    }
    let ca = std::fs::read(store.root().join("certs/ca.pem")).unwrap();
    for name in &names {
        let record = store.inspect(name);
        assert_eq!(record["state"], "Running", "{name}: {record}");
        assert_eq!(
            std::fs::read(store.machine_dir(name).join("ca.pem")).unwrap(),
            ca,
            "{name} trusts another CA"
        );
    }
    // Engines answer the stock client over TLS with the one client certificate.
    for name in ["c0", "c10", "c19"] {
        let version = store.docker(name, &["version", "--format", "{{.Server.Version}}"]);
        assert!(version.success, "{name}: {}", version.stderr);
    }
    let mut rm = vec!["rm", "-y"];
    rm.extend(names.iter().map(String::as_str));
    store.ok(&rm);
    assert_eq!(store.ok(["ls", "-q"]).stdout, "");
}

/// Two creates of one name at once: one wins, the other fails saying the
/// name is taken (or busy) and leaves the winner's machine as it was.
#[test]
fn two_creates_of_one_name_make_one_machine() {
    require_hosts!();
    let store = TestStore::new();
    let first = spawn(&store, &["create", "dup"]);
    let second = spawn(&store, &["create", "dup"]);
    let runs = [first, second].map(|c| Run::from(c.wait_with_output().unwrap()));
    let won: Vec<&Run> = runs.iter().filter(|r| r.success).collect();
    assert_eq!(won.len(), 1, "{runs:#?}");
    let lost = runs.iter().find(|r| !r.success).unwrap();
    let error = lost.one_line_error();
    assert!(
        error.contains("already exists") || error.contains("busy"),
        "{error}"
    );
    assert_eq!(store.inspect("dup")["state"], "Running");
    let version = store.docker("dup", &["version", "--format", "{{.Server.Version}}"]);
    assert!(version.success, "{}", version.stderr);
    store.ok(["rm", "-y", "dup"]);
}
