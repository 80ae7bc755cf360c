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
        "--local-subnet",
        "--generic-ip-address",
        "--generic-ssh-key",
        "--generic-ssh-user",
        "--generic-ssh-port",
        "--generic-engine-port",
    ] {
        assert!(create.contains(flag), "{flag} missing from create --help");
    }
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
