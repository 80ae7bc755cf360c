//! The command surface as a user meets it first.

use crate::common::TestStore;

#[test]
fn help_lists_every_core_verb() {
    let store = TestStore::new();
    let help = store.ok(["--help"]).stdout;
    for verb in [
        "create", "ls", "env", "config", "ip", "url", "inspect", "status", "ssh", "rm", "version",
    ] {
        assert!(
            help.lines().any(|l| l.trim_start().starts_with(verb)),
            "{verb} missing from:\n{help}"
        );
    }
    let create = store.ok(["create", "--help"]).stdout;
    for flag in [
        "--driver",
        "--engine-opt",
        "--engine-label",
        "--engine-env",
        "--engine-storage-driver",
        "--engine-registry-mirror",
        "--engine-insecure-registry",
        "--engine-install-url",
        "--engine-port",
        "--tls-san",
        "--ssh-timeout",
        "--keep-on-error",
        // The default driver's own flags.
        "--local-subnet",
    ] {
        assert!(create.contains(flag), "{flag} missing from create --help");
    }
    for other in ["--generic-", "--aws-", "--amazonec2-"] {
        assert!(!create.contains(other), "{other} flags in local's help");
    }
}

/// Each driver owns its flags: `create --driver X --help` shows the common
/// flags and X's alone, docker-machine's names work as aliases, and another
/// driver's flag is refused by name.
#[test]
fn create_help_and_flags_belong_to_the_chosen_driver() {
    let store = TestStore::new();
    let generic = store.ok(["create", "--driver", "generic", "--help"]).stdout;
    for flag in [
        "--engine-opt",
        "--generic-ip-address",
        "--generic-ssh-key",
        "--generic-ssh-user",
        "--generic-ssh-port",
        "--generic-engine-port",
    ] {
        assert!(generic.contains(flag), "{flag} missing from:\n{generic}");
    }
    for other in ["--aws-", "--amazonec2-", "--local-subnet"] {
        assert!(
            !generic.contains(other),
            "{other} in generic's help:\n{generic}"
        );
    }
    let aws = store.ok(["create", "-d", "amazonec2", "--help"]).stdout;
    assert!(aws.contains("--aws-instance-type") && aws.contains("--amazonec2-instance-type"));
    assert!(!aws.contains("--generic-"), "{aws}");

    // docker-machine's flag name reaches the same checked value.
    let alias = store.run([
        "create",
        "--driver",
        "amazonec2",
        "--amazonec2-instance-type",
        "t3.small\"x",
        "x",
    ]);
    assert!(
        alias.stderr.contains("invalid instance type"),
        "{}",
        alias.stderr
    );
    // Another driver's flag is refused, naming it: --generic-engine-port
    // no longer changes the port of every driver.
    let foreign = store.run([
        "create",
        "--driver",
        "aws",
        "--generic-engine-port",
        "3000",
        "x",
    ]);
    assert!(
        !foreign.success && foreign.stderr.contains("--generic-engine-port"),
        "{}",
        foreign.stderr
    );
    let foreign = store.run(["create", "-d", "generic", "--aws-region", "us-east-1", "x"]);
    assert!(
        !foreign.success && foreign.stderr.contains("--aws-region"),
        "{}",
        foreign.stderr
    );
    assert!(!store.root().exists(), "bad flags wrote to the store");
}

#[test]
fn version_prints_the_package_version() {
    let store = TestStore::new();
    let out = store.ok(["version"]).stdout;
    assert_eq!(
        out.trim(),
        format!("machinectl version {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn env_unset_needs_no_machine_and_prints_every_shell() {
    let store = TestStore::new();
    let bash = store.ok(["env", "--unset", "--shell", "bash"]).stdout;
    assert!(
        bash.starts_with("unset DOCKER_TLS_VERIFY\nunset DOCKER_HOST\n"),
        "{bash}"
    );
    let fish = store.ok(["env", "-u", "--shell", "fish"]).stdout;
    assert!(fish.contains("set -e DOCKER_HOST;"), "{fish}");
    let bad = store.run(["env", "--shell", "nushell", "x"]);
    assert!(bad.one_line_error().contains("unknown shell"));
}
