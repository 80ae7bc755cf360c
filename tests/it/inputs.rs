//! Checked inputs and escaping: imported records, flags and env output that try to break out of their context.
//!
//! None of these needs a namespace host: import makes generic machines
//! without contacting them (their addresses are on loopback), and the
//! provisioning templates are rendered and run locally.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::common::{DmMachine, Run, TestStore, docker_machine_store, project_certs, ssh_keygen};

/// A docker-machine store under the test's directory with machines on
/// loopback; `edit` changes the config.json of each before it is written back.
fn dm_store(store: &TestStore, names: &[&str], edit: impl Fn(&str, &mut Value)) -> PathBuf {
    let dm = store.dir.path().join("dm");
    let certs = project_certs(&dm);
    let key = ssh_keygen(store.dir.path(), "id_rsa");
    let machines: Vec<DmMachine> = names
        .iter()
        .enumerate()
        .map(|(i, name)| DmMachine {
            name,
            ip: ["127.0.0.2", "127.0.0.3", "127.0.0.4"][i % 3],
            ssh_port: 1,
            engine_port: 2376,
            ssh_key: &key,
            certs_dir: &certs,
        })
        .collect();
    docker_machine_store(&dm, &machines);
    for name in names {
        let path = dm.join("machines").join(name).join("config.json");
        let mut config: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        edit(name, &mut config);
        std::fs::write(&path, serde_json::to_vec_pretty(&config).unwrap()).unwrap();
    }
    dm
}

fn error_lines(run: &Run) -> Vec<&str> {
    assert!(!run.success, "expected failure, got: {}", run.stdout);
    run.stderr
        .lines()
        .filter(|l| l.starts_with("error:"))
        .collect()
}

/// Nothing of machinectl's exists under the store: no machine, no record.
fn assert_nothing_imported(store: &TestStore) {
    let machines = store.root().join("machines");
    let left: Vec<_> = std::fs::read_dir(&machines)
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "written: {left:?}");
}

const EVIL_IP: &str = "1.2.3.4\"; touch pwned; echo \"";

#[test]
fn import_refuses_an_address_that_is_shell_code() {
    let store = TestStore::new();
    let dm = dm_store(&store, &["evil", "fine"], |name, c| {
        if name == "evil" {
            c["Driver"]["IPAddress"] = json!(EVIL_IP);
        }
    });
    let run = store.run(["import", "--from", dm.to_str().unwrap()]);
    let error = run.one_line_error();
    for part in [
        "machine evil",
        "Driver.IPAddress",
        "config.json",
        "not an IP address",
        "nothing was imported",
    ] {
        assert!(error.contains(part), "{part}: {error}");
    }
    // The good machine of the same batch was not imported either.
    assert_nothing_imported(&store);
    let env = store.run(["env", "--shell", "bash", "evil"]);
    assert!(!env.success && env.stdout.is_empty(), "{}", env.stdout);
}

#[test]
fn import_refuses_every_engine_value_that_could_break_out_and_says_each() {
    let store = TestStore::new();
    let bad: &[(&str, &str, Value)] = &[
        ("Driver", "SSHUser", json!("root -oProxyCommand=touch")),
        ("Driver", "SSHPort", json!(65536 + 22)),
        (
            "EngineOptions",
            "Env",
            json!(["OK=1", "X=1'; touch pwned; '"]),
        ),
        (
            "EngineOptions",
            "InstallURL",
            json!("https://x/' ; touch pwned; '"),
        ),
        (
            "EngineOptions",
            "Labels",
            json!(["team=dm\nExecStartPre=/bin/touch /pwned"]),
        ),
        (
            "EngineOptions",
            "ArbitraryFlags",
            json!(["tlsverify=false"]),
        ),
        (
            "EngineOptions",
            "StorageDriver",
            json!("overlay2; touch pwned"),
        ),
        ("EngineOptions", "RegistryMirror", json!(["https://m/ x"])),
        (
            "EngineOptions",
            "InsecureRegistry",
            json!(["http://reg:5000"]),
        ),
        ("AuthOptions", "ServerCertSANs", json!(["a b"])),
    ];
    let dm = dm_store(&store, &["evil", "fine"], |name, c| {
        if name != "evil" {
            return;
        }
        for (section, field, value) in bad {
            match *section {
                "Driver" => c["Driver"][*field] = value.clone(),
                other => c["HostOptions"][other][*field] = value.clone(),
            }
        }
    });
    let run = store.run(["import", "--from", dm.to_str().unwrap()]);
    let lines = error_lines(&run);
    assert_eq!(
        lines.len(),
        bad.len(),
        "one line per bad value:\n{}",
        run.stderr
    );
    for (_, field, _) in bad {
        let line = lines
            .iter()
            .find(|l| l.contains(&format!(".{field}")))
            .unwrap_or_else(|| panic!("no line names {field}:\n{}", run.stderr));
        assert!(
            line.contains("machine evil")
                && line.contains("config.json")
                && line.contains("correct it in"),
            "{line}"
        );
    }
    assert!(lines.iter().any(|l| l.contains("Env[1]")), "{}", run.stderr);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("ArbitraryFlags") && l.contains("--tls-san")),
        "{}",
        run.stderr
    );
    assert!(lines.last().unwrap().contains("nothing was imported"));
    assert_nothing_imported(&store);
}

#[test]
fn import_keeps_ordinary_values_as_they_were() {
    let store = TestStore::new();
    let dm = dm_store(&store, &["plain"], |_, c| {
        c["Driver"]["SSHUser"] = json!("");
        c["Driver"]["SSHPort"] = json!(0);
        let e = &mut c["HostOptions"]["EngineOptions"];
        e["Env"] = json!([
            "HTTP_PROXY=http://proxy:3128",
            "NO_PROXY=localhost,10.0.0.0/8"
        ]);
        e["Labels"] = json!(["team=dm", "note=two words"]);
        e["ArbitraryFlags"] = json!(["debug", "log-level=warn"]);
        e["StorageDriver"] = json!("overlay2");
        e["RegistryMirror"] = json!(["https://mirror.gcr.io"]);
        e["InsecureRegistry"] = json!(["reg.local:5000", "10.0.0.0/8"]);
        c["HostOptions"]["AuthOptions"]["ServerCertSANs"] = json!(["docker.example.com"]);
    });
    store.ok(["import", "--from", dm.to_str().unwrap()]);
    let record: Value = serde_json::from_slice(
        &std::fs::read(store.machine_dir("plain").join("machine.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(record["driver"]["ssh_user"], json!("root"));
    assert_eq!(record["driver"]["ssh_port"], json!(22));
    let e = &record["engine"];
    assert_eq!(e["env"][1], json!("NO_PROXY=localhost,10.0.0.0/8"));
    assert_eq!(e["labels"], json!(["team=dm", "note=two words"]));
    assert_eq!(e["opts"], json!(["debug", "log-level=warn"]));
    assert_eq!(e["storage_driver"], json!("overlay2"));
    assert_eq!(e["registry_mirrors"], json!(["https://mirror.gcr.io"]));
    assert_eq!(
        e["insecure_registries"],
        json!(["reg.local:5000", "10.0.0.0/8"])
    );
    assert_eq!(e["install_url"], json!("https://get.docker.com"));
    assert_eq!(e["tls_san"], json!(["docker.example.com"]));
    // And the record loads again, unchanged.
    assert_eq!(store.inspect("plain")["engine"], *e);
}

/// Run `script` with `shell`, the env output as its first argument, in an
/// empty directory; returns what it printed. No file may appear there.
fn eval_in(shell: &str, args: &[&str], output: &str) -> Option<String> {
    let cwd = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("env.out"), output).unwrap();
    let out = Command::new(shell)
        .args(args)
        .arg(output)
        .current_dir(cwd.path())
        .env("HOME", home.path())
        .env("ENV_OUT", home.path().join("env.out"))
        .output();
    let out = match out {
        Ok(out) => out,
        // CI installs every shell (.ci/setup): a missing one there is a broken setup.
        Err(e) if std::env::var_os("CI").is_some() => panic!("run {shell}: {e}"),
        Err(_) => {
            eprintln!("skipped: {shell} is not installed");
            return None;
        }
    };
    let made: Vec<_> = std::fs::read_dir(cwd.path()).unwrap().flatten().collect();
    assert!(
        made.is_empty(),
        "{shell} ran code from the env output: {made:?}\n{output}"
    );
    assert!(
        out.status.success(),
        "{shell}: {}\n{output}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

/// A store whose path (the user's MACHINECTL_STORAGE_PATH) is shell code
/// in every quoting style, holding one imported machine `m`.
fn evil_store(store: &TestStore, tail: &str) -> PathBuf {
    let root = store.dir.path().join(tail);
    let dm = store.dir.path().join("dm");
    if !dm.exists() {
        dm_store(store, &["m"], |_, _| {});
    }
    let run = Run::from(
        store
            .command()
            .env("MACHINECTL_STORAGE_PATH", &root)
            .args(["import", "--from", dm.to_str().unwrap()])
            .output()
            .unwrap(),
    );
    assert!(run.success, "{}", run.stderr);
    root
}

fn env_at(store: &TestStore, root: &Path, shell: &str) -> Run {
    Run::from(
        store
            .command()
            .env("MACHINECTL_STORAGE_PATH", root)
            .args(["env", "--shell", shell, "m"])
            .output()
            .unwrap(),
    )
}

const EVIL_PATH: &str =
    "st'o\"re $(touch pwned) `touch pwned` ${HOME} \\\\ !x %PATH% ^& | < > ;touch pwned; '\u{2019}";

#[test]
fn env_output_round_trips_an_evil_store_path_in_every_shell() {
    let store = TestStore::new();
    let root = evil_store(&store, EVIL_PATH);
    let cert_path = root.join("machines/m").to_str().unwrap().to_string();

    let posix = env_at(&store, &root, "bash");
    assert!(posix.success, "{}", posix.stderr);
    let print = r#"eval "$1"; printf %s "$DOCKER_CERT_PATH""#;
    for sh in ["sh", "bash", "zsh"] {
        if let Some(back) = eval_in(sh, &["-c", print, "sh"], &posix.stdout) {
            assert_eq!(back, cert_path, "{sh}:\n{}", posix.stdout);
        }
    }
    // The usage hint's own form (`eval "$(…)"`) is covered by eval "$1".
    let fish = env_at(&store, &root, "fish");
    assert!(fish.success, "{}", fish.stderr);
    if let Some(back) = eval_in(
        "fish",
        &[
            "--no-config",
            "-c",
            "cat $ENV_OUT | source; printf %s $DOCKER_CERT_PATH",
        ],
        &fish.stdout,
    ) {
        assert_eq!(back, cert_path, "fish:\n{}", fish.stdout);
    }
    let tcsh = env_at(&store, &root, "tcsh");
    assert!(tcsh.success, "{}", tcsh.stderr);
    // As the usage hint says (every line, the hint too, is evaluated), and by source.
    for script in [
        "eval \"`cat $ENV_OUT`\"; printenv DOCKER_CERT_PATH",
        "source $ENV_OUT; printenv DOCKER_CERT_PATH",
    ] {
        if let Some(back) = eval_in("tcsh", &["-f", "-c", script], &tcsh.stdout) {
            assert_eq!(
                back.strip_suffix('\n'),
                Some(cert_path.as_str()),
                "tcsh {script}:\n{}",
                tcsh.stdout
            );
        }
    }
    let ps = env_at(&store, &root, "powershell");
    assert!(ps.success, "{}", ps.stderr);
    let quoted = cert_path
        .replace('\'', "''")
        .replace('\u{2019}', "\u{2019}\u{2019}");
    assert!(
        ps.stdout
            .contains(&format!("$Env:DOCKER_CERT_PATH = '{quoted}'\n")),
        "{}",
        ps.stdout
    );
    let emacs = env_at(&store, &root, "emacs");
    assert!(emacs.success, "{}", emacs.stderr);
    let escaped = cert_path.replace('\\', "\\\\").replace('"', "\\\"");
    assert!(
        emacs
            .stdout
            .contains(&format!("(setenv \"DOCKER_CERT_PATH\" \"{escaped}\")\n")),
        "{}",
        emacs.stdout
    );
    // cmd has no safe form for % ! ^ & | < > ": refused, in one line that says what to do.
    let cmd = env_at(&store, &root, "cmd");
    let error = cmd.one_line_error();
    assert!(cmd.stdout.is_empty(), "{}", cmd.stdout);
    assert!(
        error.contains("DOCKER_CERT_PATH") && error.contains("cmd") && error.contains("--shell"),
        "{error}"
    );
}

#[test]
fn env_for_cmd_refuses_what_cmd_would_interpret() {
    let store = TestStore::new();
    for (i, special) in ["%PATH%", "&calc", "|x", "^x", "!x!", "<x", ">x"]
        .iter()
        .enumerate()
    {
        let root = evil_store(&store, &format!("s{i}{special}"));
        let cmd = env_at(&store, &root, "cmd");
        assert!(cmd.stdout.is_empty(), "{special}: {}", cmd.stdout);
        let error = cmd.one_line_error();
        assert!(
            error.contains("DOCKER_CERT_PATH") && error.contains("cmd"),
            "{error}"
        );
        // The same store prints for PowerShell, which can carry it.
        assert!(env_at(&store, &root, "powershell").success);
    }
}

#[test]
fn env_keeps_a_line_break_where_the_shell_can_and_refuses_it_elsewhere() {
    let store = TestStore::new();
    let root = evil_store(&store, "line\nbreak\ntouch pwned");
    let cert_path = root.join("machines/m").to_str().unwrap().to_string();
    let posix = env_at(&store, &root, "bash");
    let print = r#"eval "$1"; printf %s "$DOCKER_CERT_PATH""#;
    if let Some(back) = eval_in("bash", &["-c", print, "sh"], &posix.stdout) {
        assert_eq!(back, cert_path);
    }
    let fish = env_at(&store, &root, "fish");
    if let Some(back) = eval_in(
        "fish",
        &[
            "--no-config",
            "-c",
            "cat $ENV_OUT | source; printf %s $DOCKER_CERT_PATH",
        ],
        &fish.stdout,
    ) {
        assert_eq!(back, cert_path);
    }
    for shell in ["tcsh", "powershell", "cmd"] {
        let run = env_at(&store, &root, shell);
        assert!(run.stdout.is_empty(), "{shell}: {}", run.stdout);
        assert!(
            run.one_line_error().contains("line break"),
            "{shell}: {}",
            run.stderr
        );
    }
    // config cannot quote at all: a path that $(…) would split is refused.
    let config = Run::from(
        store
            .command()
            .env("MACHINECTL_STORAGE_PATH", &root)
            .args(["config", "m"])
            .output()
            .unwrap(),
    );
    assert!(config.stdout.is_empty(), "{}", config.stdout);
    assert!(
        config.one_line_error().contains("machinectl env m"),
        "{}",
        config.stderr
    );
}

#[test]
fn engine_opt_may_not_override_tls_or_listeners() {
    let store = TestStore::new();
    for (opt, names) in [
        ("tlsverify=false", "--tls-san"),
        ("tls=false", "--tls-san"),
        ("tlscacert=/tmp/ca.pem", "--tls-san"),
        ("tlscert=/tmp/c.pem", "--tls-san"),
        ("tlskey=/tmp/k.pem", "--tls-san"),
        ("TLSVerify=false", "--tls-san"),
        ("hosts=[\"tcp://0.0.0.0:2375\"]", "--engine-port"),
        ("host=tcp://0.0.0.0:2375", "--engine-port"),
    ] {
        let run = store.run(["create", "--engine-opt", opt, "x"]);
        let error = run.one_line_error();
        assert!(
            error.contains("--engine-opt") && error.contains(names),
            "{opt}: {error}"
        );
    }
    // Each other engine flag goes through its checked type the same way.
    for (flag, value) in [
        ("--engine-env", "X=a\nb"),
        ("--engine-label", "a=b\nc"),
        ("--engine-install-url", "https://x/' ; touch pwned; '"),
        ("--engine-storage-driver", "overlay2;id"),
        ("--engine-registry-mirror", "mirror"),
        ("--engine-insecure-registry", "http://r:5000"),
        ("--tls-san", "a b"),
    ] {
        let run = store.run(["create", flag, value, "x"]);
        let error = run.one_line_error();
        assert!(error.contains(flag), "{flag}: {error}");
    }
    let key = store.dir.path().join("key");
    std::fs::write(&key, "not used").unwrap();
    for (ip, user, flag) in [
        (EVIL_IP, "root", "--generic-ip-address"),
        ("127.0.0.9", "root -oProxyCommand=x", "--generic-ssh-user"),
    ] {
        let run = store.run([
            "create",
            "-d",
            "generic",
            "--generic-ip-address",
            ip,
            "--generic-ssh-user",
            user,
            "--generic-ssh-key",
            key.to_str().unwrap(),
            "--ssh-timeout",
            "1",
            "x",
        ]);
        let error = run.one_line_error();
        assert!(
            error.contains(flag) && error.contains("invalid"),
            "{flag}: {error}"
        );
    }
    assert!(!store.root().join("machines").exists());
}

/// An imported machine whose machine.json is then edited by hand.
fn tampered(edit: impl Fn(&mut Value)) -> TestStore {
    let store = TestStore::new();
    let dm = dm_store(&store, &["ok", "m"], |_, _| {});
    store.ok(["import", "--from", dm.to_str().unwrap()]);
    let path = store.machine_dir("m").join("machine.json");
    let mut record: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    edit(&mut record);
    std::fs::write(&path, serde_json::to_vec_pretty(&record).unwrap()).unwrap();
    store
}

#[test]
fn a_record_edited_to_hold_an_evil_value_does_not_load() {
    type Edit = fn(&mut Value);
    let edits: &[(&str, Edit)] = &[
        ("address", |r| r["driver"]["ip_address"] = json!(EVIL_IP)),
        ("ssh user", |r| {
            r["driver"]["ssh_user"] = json!("-oProxyCommand=touch")
        }),
        ("engine env", |r| {
            r["engine"]["env"] = json!(["X=1'; touch pwned; '"])
        }),
        ("install url", |r| {
            r["engine"]["install_url"] = json!("https://x/'$(id)'")
        }),
        ("engine opt", |r| {
            r["engine"]["opts"] = json!(["tlsverify=false"])
        }),
        ("label", |r| r["engine"]["labels"] = json!(["a=b\nc"])),
        ("storage driver", |r| {
            r["engine"]["storage_driver"] = json!("x y")
        }),
        ("tls san", |r| r["engine"]["tls_san"] = json!(["a\"b"])),
        ("name", |r| r["name"] = json!("../../x")),
    ];
    for (what, edit) in edits {
        let store = tampered(edit);
        let ls = store.ok(["ls"]);
        let row = ls
            .stdout
            .lines()
            .find(|l| l.starts_with("m "))
            .unwrap_or_else(|| panic!("{what}: no row for m:\n{}", ls.stdout));
        assert!(
            row.contains("Error") && row.contains("unreadable"),
            "{what}: {row}"
        );
        assert!(
            ls.stdout
                .lines()
                .any(|l| l.starts_with("ok ") && !l.contains("unreadable"))
        );
        for verb in [
            vec!["env", "--shell", "bash", "m"],
            vec!["config", "m"],
            vec!["inspect", "m"],
        ] {
            let run = store.run(&verb);
            assert!(run.stdout.is_empty(), "{what} {verb:?}: {}", run.stdout);
            assert!(
                run.one_line_error().contains("unreadable"),
                "{what} {verb:?}: {}",
                run.stderr
            );
        }
    }
}

// ---- provisioning templates, rendered with hostile values and run locally ----

fn renderer() -> machinectl::render::Renderer {
    machinectl::render::Renderer::new(None).unwrap()
}

const EVIL_VALUE: &str = "1'; touch pwned; ' \"$(touch pwned)\" `touch pwned` \\ %h $HOME";

fn context(dockerd: &str) -> tera::Context {
    let mut c = tera::Context::new();
    c.insert(
        "env",
        &json!([{"key": "X", "value": EVIL_VALUE}, {"key": "HTTP_PROXY", "value": "http://p:3128"}]),
    );
    c.insert("dockerd", dockerd);
    c.insert("sudo", "");
    c.insert("init", "none");
    c.insert("hostname", "node-1");
    c.insert("stage", "/tmp/stage dir'$(touch pwned)");
    c.insert("wait_cloud_init", &true);
    c.insert(
        "method_name",
        "script https://get.docker.com/'; touch pwned; '",
    );
    c.insert("script_url", "https://get.docker.com/'; touch pwned; '");
    c
}

/// shellcheck's verdict on a script, if shellcheck is installed.
fn shellcheck(name: &str, script: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("script.sh");
    std::fs::write(&path, script).unwrap();
    let Ok(out) = Command::new("shellcheck")
        .args(["-s", "sh", "-S", "warning"])
        .arg(&path)
        .output()
    else {
        eprintln!("shellcheck is not installed: {name} not linted");
        return;
    };
    assert!(
        out.status.success(),
        "{name}:\n{}\n{script}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn engine_env_script_keeps_each_value_one_word() {
    let script = renderer()
        .render("provision/engine-env.sh.tera", &context("/usr/bin/dockerd"))
        .unwrap();
    shellcheck("engine-env.sh", &script);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("machinectl.env"), &script).unwrap();
    let out = Command::new("sh")
        .args(["-c", ". ./machinectl.env; printf %s \"$X\""])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        EVIL_VALUE,
        "{script}"
    );
    assert!(!dir.path().join("pwned").exists(), "{script}");
}

#[test]
fn systemd_dropin_keeps_each_value_in_its_assignment() {
    let r = renderer();
    let dir = tempfile::tempdir().unwrap();
    // A dockerd whose path needs quoting and escaping, and exists, so
    // systemd-analyze can say whether it read the path back exactly.
    let bin = dir.path().join("my docker $x%i");
    std::fs::create_dir_all(&bin).unwrap();
    let dockerd = bin.join("dockerd");
    std::fs::copy("/bin/true", &dockerd).unwrap();
    let dropin = r
        .render(
            "provision/systemd-dropin.conf.tera",
            &context(dockerd.to_str().unwrap()),
        )
        .unwrap();
    let directives: Vec<&str> = dropin
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    assert_eq!(directives.len(), 5, "{dropin}");
    assert!(directives[3].starts_with("Environment=\"X=1'"), "{dropin}");
    let unit = dir.path().join("t.service");
    std::fs::write(&unit, format!("[Unit]\nDescription=t\n{dropin}")).unwrap();
    if let Ok(out) = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&unit)
        .output()
    {
        assert!(
            out.status.success(),
            "{}\n{dropin}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // A line break has no safe form in a unit: rendering refuses it.
    let mut c = context("/usr/bin/dockerd");
    c.insert(
        "env",
        &json!([{"key": "X", "value": "a\nExecStartPre=/bin/touch /pwned"}]),
    );
    assert!(r.render("provision/systemd-dropin.conf.tera", &c).is_err());
}

#[test]
fn every_provision_script_quotes_its_values() {
    let r = renderer();
    let dir = tempfile::tempdir().unwrap();
    let dockerd = dir.path().join("docker d'$(touch pwned)");
    for init in ["systemd", "openrc", "sysvinit", "none"] {
        let mut c = context(dockerd.to_str().unwrap());
        c.insert("init", init);
        for name in [
            "configure.sh.tera",
            "install.sh.tera",
            "restart-engine.sh.tera",
            "upgrade.sh.tera",
        ] {
            let script = r.render(&format!("provision/{name}"), &c).unwrap();
            shellcheck(&format!("{name} ({init})"), &script);
        }
        c.insert("sudo", "sudo -n");
        c.insert("script_url", "");
        c.insert("command", "$SUDO apk add --no-cache docker");
        let script = r.render("provision/install.sh.tera", &c).unwrap();
        shellcheck(&format!("install.sh ({init}, package manager)"), &script);
    }
    // The hostile values reach the scripts only as quoted words.
    let c = context(dockerd.to_str().unwrap());
    let word = |script: &str, before: &str, after: &str| -> Vec<String> {
        let start = script
            .find(before)
            .unwrap_or_else(|| panic!("{before}: {script}"))
            + before.len();
        let end = start
            + script[start..]
                .find(after)
                .unwrap_or_else(|| panic!("{after}: {script}"));
        shlex::split(&script[start..end]).unwrap()
    };
    let install = r.render("provision/install.sh.tera", &c).unwrap();
    assert_eq!(
        word(&install, "\nfetch ", " |"),
        ["https://get.docker.com/'; touch pwned; '"],
        "{install}"
    );
    let restart = r.render("provision/restart-engine.sh.tera", &c).unwrap();
    assert_eq!(
        word(&restart, "' machinectl-start-dockerd ", "\n"),
        [dockerd.to_str().unwrap()],
        "{restart}"
    );
    let configure = r.render("provision/configure.sh.tera", &c).unwrap();
    assert_eq!(
        word(&configure, "\nstage=", "\n"),
        ["/tmp/stage dir'$(touch pwned)"],
        "{configure}"
    );
}
