//! Bad input and damaged state, one table. Each case runs machinectl or
//! clusterctl against a store that already holds a working machine, and
//! must: exit non-zero; print one line on stderr besides step lines (the
//! error, naming the fix: the case's fragment); write nothing in the store
//! (a listing of every path, size and modification time, before and after;
//! lock files, which only mark who works on a machine, aside); and leave the
//! other machine usable (`ls` shows it Running, `env` prints it).
//!
//! tests/it/bad_input.rs and tests/it/inputs.rs keep their own cases (the
//! import value checks, shell quoting); this table holds the rest.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::common::{Run, TestStore, project_certs, ssh_keygen};
use crate::http_fake::{Resp, Server};
use crate::require_hosts;

/// What a case does before it runs; what it made is undone after.
enum Setup {
    None,
    /// machines/NAME/machine.json with this text.
    Record(&'static str, String),
    /// clusters/NAME/cluster.json with this text.
    Cluster(&'static str, String),
    /// A copy of the kept machine named NAME with FILE deleted.
    Without(&'static str, &'static str),
    /// A file beside the store (a cluster file, user data, a key).
    File(&'static str, Vec<u8>),
    /// A docker-machine store at `dm/` changed by the function.
    DmStore(fn(&Path)),
    /// The store as a read-only bind mount.
    ReadOnly,
    /// The store on a full tmpfs (the `full/` store, with the kept machine's record).
    FullDisk,
}

struct Case {
    what: &'static str,
    bin: &'static str,
    args: Vec<String>,
    env: Vec<(&'static str, String)>,
    setup: Setup,
    /// A fragment of the error line, naming the fix.
    expect: &'static str,
}

/// The fixture: a store with one working machine, `keep`, and the fakes.
struct Fixture {
    store: TestStore,
    /// A DigitalOcean API that refuses every token.
    do_401: Server,
    /// An EC2 API that refuses every signature.
    aws_401: Server,
    keep_ip: String,
}

/// `{dir}` in a case's arguments is the test's directory; `{keep_ip}` the kept machine's address.
fn expand(fixture: &Fixture, arg: &str) -> String {
    arg.replace("{dir}", &fixture.store.dir.path().display().to_string())
        .replace("{keep_ip}", &fixture.keep_ip)
        .replace("{do}", &fixture.do_401.url)
        .replace("{aws}", &fixture.aws_401.url)
}

fn case(what: &'static str, args: &[&str], expect: &'static str) -> Case {
    Case {
        what,
        bin: "machinectl",
        args: args.iter().map(|s| s.to_string()).collect(),
        env: Vec::new(),
        setup: Setup::None,
        expect,
    }
}

impl Case {
    fn setup(mut self, setup: Setup) -> Case {
        self.setup = setup;
        self
    }
    fn env(mut self, key: &'static str, value: &str) -> Case {
        self.env.push((key, value.to_string()));
        self
    }
    fn clusterctl(mut self) -> Case {
        self.bin = "clusterctl";
        self
    }
}

/// Every path under `root` with its size and modification time. The kept
/// machine's host/ (its live dockerd writes there) and lock files aside.
fn listing(root: &Path) -> BTreeMap<PathBuf, (u64, i64, i64)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            if rel.starts_with("machines/keep/host") || rel.ends_with(".lock") {
                continue;
            }
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                out.insert(rel, (0, 0, 0));
                stack.push(path);
            } else {
                out.insert(rel, (meta.len(), meta.mtime(), meta.mtime_nsec()));
            }
        }
    }
    out
}

fn record_text(fixture: &Fixture, edit: impl FnOnce(&mut Value)) -> String {
    let path = fixture.store.machine_dir("keep").join("machine.json");
    let mut record: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    edit(&mut record);
    serde_json::to_string_pretty(&record).unwrap()
}

/// A cluster record as `up` writes it (the local provider, one node).
const CLUSTER_RECORD: &str = r#"{"version": 1, "id": "x", "created_at": 0, "state": "Running",
"spec": {"name": "bc", "provider": "local", "orchestrator": "swarm", "nodes": 1, "managers": 1}}"#;

fn cluster_file(body: &str) -> Vec<u8> {
    format!(
        "apiVersion: clusterctl.machinectl.io/v1\nkind: Cluster\nmetadata:\n  name: demo\nspec:\n  provider: local\n{body}"
    )
    .into_bytes()
}

/// A docker-machine store with one machine `dm1` whose files are in place.
fn dm_store(dir: &Path) -> PathBuf {
    let dm = dir.join("dm");
    let certs = project_certs(&dm);
    let key = ssh_keygen(&dm, "id_rsa");
    crate::common::docker_machine_store(
        &dm,
        &[crate::common::DmMachine {
            name: "dm1",
            ip: "127.0.0.2",
            ssh_port: 22,
            engine_port: 2376,
            ssh_key: &key,
            certs_dir: &certs,
        }],
    );
    dm
}

fn dm_config(dm: &Path, edit: impl FnOnce(&mut Value)) {
    let path = dm.join("machines/dm1/config.json");
    let mut config: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    edit(&mut config);
    std::fs::write(&path, serde_json::to_vec(&config).unwrap()).unwrap();
}

#[rustfmt::skip]
fn names() -> Vec<Case> {
    let long = "x".repeat(300);
    let long: &'static str = Box::leak(long.into_boxed_str());
    let mut cases = vec![
        case("empty name", &["create", ""], "invalid machine name \"\": use letters"),
        case("300-character name", &["create", long], "(at most 63)"),
        case("name ../x", &["create", "../x"], "invalid machine name \"../x\""),
        case("name a/b", &["create", "a/b"], "invalid machine name \"a/b\""),
        case("unicode name", &["create", "mächine"], "use letters, digits"),
        case("leading dash", &["create", "--", "-lead"], "starting with a letter or digit"),
        case("name .", &["create", "."], "invalid machine name \".\""),
        case("name with a space", &["env", "a b"], "invalid machine name"),
        case("--prefix that makes bad names", &["create", "--count", "2", "--prefix", "a/b"], "made from --prefix"),
        case("a name given twice", &["create", "n1", "n1"], "given twice"),
        case("a name that exists", &["create", "keep"], "already exists: pick another name"),
        case("one of several names exists", &["create", "new1", "keep"], "\"keep\" already exists"),
        case("--count over 1000", &["create", "--count", "1001"], "1001 is not in 1..=1000"),
        case("rm of ../x", &["rm", "-y", "../x"], "invalid machine name"),
        case("ssh to a name that is a path", &["ssh", "..", "true"], "invalid machine name"),
        case("cluster name ../x", &["up", "--provider", "local", "../x"], "invalid cluster name").clusterctl(),
    ];
    cases.push(case("empty driver name", &["create", "-d", "", "x"], "unknown driver"));
    cases
}

#[rustfmt::skip]
fn drivers_and_flags() -> Vec<Case> {
    vec![
        case("unknown driver", &["create", "-d", "nosuch", "x"], "unknown driver \"nosuch\""),
        case("unknown flag", &["create", "--no-such-flag", "x"], "'--no-such-flag'"),
        case("generic flag on local", &["create", "-d", "local", "--generic-ip-address", "1.2.3.4", "x"], "'--generic-ip-address'"),
        case("docker-machine aws flag on local", &["create", "--amazonec2-region", "us-east-1", "x"], "'--amazonec2-region'"),
        case("digitalocean flag on generic", &["create", "-d", "generic", "--digitalocean-size", "s", "x"], "'--digitalocean-size'"),
        case("virtualbox flag on aws", &["create", "-d", "aws", "--virtualbox-memory", "1024", "x"], "'--virtualbox-memory'"),
        case("engine port 0", &["create", "--engine-port", "0", "x"], "give a port between 1 and 65535"),
        case("engine port on the SSH port", &["create", "--engine-port", "22", "x"], "give the engine another port"),
        case("subnet /33", &["create", "--local-subnet", "10.231.0.0/33", "x"], "expected IPv4 CIDR"),
        case("unknown ls filter", &["ls", "--filter", "colour=red"], "use driver, state, name, label or cluster"),
        case("unclosed ls template", &["ls", "--format", "{{.Name"], "is not closed with }}"),
        case("unknown shell", &["env", "--shell", "nosuch", "keep"], "choose one of bash"),
        case("env --unset with a name", &["env", "--unset", "keep"], "--unset"),
        case("rm without -y off a terminal", &["rm", "keep"], "rm needs -y"),
        case("regenerate-certs without -f", &["regenerate-certs", "keep"], "needs -f"),
        case("generic without address", &["create", "-d", "generic", "x"], "--generic-ip-address is required"),
        case("generic address not an address", &["create", "-d", "generic", "--generic-ip-address", "999.1.1.1", "--generic-ssh-key", "{dir}/id_any", "x"], "--generic-ip-address"),
        case("generic key missing", &["create", "-d", "generic", "--generic-ip-address", "127.0.0.1", "--generic-ssh-key", "{dir}/nope", "x"], "cannot read SSH key"),
        case("aws reserved tag", &["create", "-d", "aws", "--aws-tags", "aws:x=y", "x"], "reserved"),
        case("aws bad region", &["create", "-d", "aws", "--aws-region", "mars-1;", "x"], "invalid AWS region"),
        case("cluster provider unknown", &["up", "--provider", "nosuch"], "[possible values: local, aws").clusterctl(),
        case("cluster managers even", &["up", "--provider", "local", "--nodes", "4", "--managers", "2"], "managers must be odd").clusterctl(),
        case("cluster zero nodes", &["up", "--provider", "local", "--nodes", "0"], "cannot exceed nodes").clusterctl(),
        case("scale of no cluster", &["scale", "ghost", "--nodes", "3"], "see `clusterctl ls`").clusterctl(),
    ]
}

#[rustfmt::skip]
fn credentials_and_hosts() -> Vec<Case> {
    vec![
        case("digitalocean without token", &["create", "-d", "digitalocean", "x"], "set DIGITALOCEAN_ACCESS_TOKEN"),
        case("digitalocean refused token", &["create", "-d", "digitalocean", "--digitalocean-api-url", "{do}", "x"], "DIGITALOCEAN_ACCESS_TOKEN")
        .env("DIGITALOCEAN_ACCESS_TOKEN", "dop_v1_wrong"),
        case("digitalocean user data over 64 KiB", &["create", "-d", "digitalocean", "--digitalocean-api-url", "{do}", "--digitalocean-userdata", "{dir}/case-file", "x"], "64 KiB")
        .env("DIGITALOCEAN_ACCESS_TOKEN", "dop_v1_wrong")
        .setup(Setup::File("case-file", vec![b'#'; 64 * 1024 + 1])),
        case("digitalocean user data missing", &["create", "-d", "digitalocean", "--digitalocean-userdata", "{dir}/nope", "x"], "--digitalocean-userdata")
        .env("DIGITALOCEAN_ACCESS_TOKEN", "dop_v1_wrong"),
        case("aws without credentials", &["create", "-d", "aws", "--aws-endpoint", "http://127.0.0.1:9", "--aws-ami", "ami-12345678", "x"], "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"),
        case("aws refused credentials", &["create", "-d", "aws", "--aws-endpoint", "{aws}", "--aws-ami", "ami-12345678", "x"], "check AWS_ACCESS_KEY_ID")
        .env("AWS_ACCESS_KEY_ID", "AKIAWRONGWRONGWRONG0")
        .env("AWS_SECRET_ACCESS_KEY", "wrong"),
        case("unreachable host", &["create", "-d", "generic", "--generic-ip-address", "127.0.0.1", "--generic-ssh-port", "9", "--generic-ssh-key", "{dir}/id_any", "--ssh-timeout", "2", "x"], "--ssh-timeout"),
        case("wrong SSH key", &["create", "-d", "generic", "--generic-ip-address", "{keep_ip}", "--generic-ssh-key", "{dir}/id_any", "x"], "id_any"),
    ]
}

fn damaged_records(fixture: &Fixture) -> Vec<Case> {
    let whole = record_text(fixture, |r| r["name"] = json!("bad"));
    let truncated = whole[..whole.len() / 2].to_string();
    let future = record_text(fixture, |r| {
        r["name"] = json!("bad");
        r["version"] = json!(99);
    });
    let alien = record_text(fixture, |r| {
        r["name"] = json!("bad");
        r["driver"]["name"] = json!("nosuch");
    });
    let renamed = record_text(fixture, |r| r["name"] = json!("../x"));
    let mut cases = Vec::new();
    for verb in [
        "env",
        "config",
        "inspect",
        "ip",
        "url",
        "start",
        "ssh",
        "provision",
    ] {
        let what: &'static str =
            Box::leak(format!("{verb} of a truncated record").into_boxed_str());
        cases.push(
            case(what, &[verb, "bad"], "rm -f bad").setup(Setup::Record("bad", truncated.clone())),
        );
    }
    cases.extend([
        case("record that is not JSON", &["env", "bad"], "rm -f bad")
            .setup(Setup::Record("bad", "not json".into())),
        case("empty record", &["env", "bad"], "rm -f bad")
            .setup(Setup::Record("bad", String::new())),
        case(
            "future-version record",
            &["env", "bad"],
            "upgrade machinectl",
        )
        .setup(Setup::Record("bad", future)),
        case(
            "record of an unknown driver",
            &["inspect", "bad"],
            "rm -f bad",
        )
        .setup(Setup::Record("bad", alien)),
        case("record naming a path", &["env", "bad"], "rm -f bad")
            .setup(Setup::Record("bad", renamed)),
        case(
            "env with no ca.pem",
            &["env", "--shell", "bash", "nocert"],
            "regenerate-certs -f nocert",
        )
        .setup(Setup::Without("nocert", "ca.pem")),
        case(
            "config with no key.pem",
            &["config", "nocert"],
            "regenerate-certs -f nocert",
        )
        .setup(Setup::Without("nocert", "key.pem")),
    ]);
    cases
}

/// Damaged cluster records, and a store that cannot be written.
fn damaged_state() -> Vec<Case> {
    vec![
        case(
            "truncated cluster record",
            &["status", "bc"],
            "record of cluster \"bc\" is unreadable",
        )
        .clusterctl()
        .setup(Setup::Cluster("bc", CLUSTER_RECORD[..20].into())),
        case(
            "cluster record that is not JSON",
            &["env", "bc"],
            "machinectl ls --filter cluster=bc",
        )
        .clusterctl()
        .setup(Setup::Cluster("bc", "[]".into())),
        case(
            "future-version cluster record",
            &["status", "bc"],
            "upgrade clusterctl",
        )
        .clusterctl()
        .setup(Setup::Cluster(
            "bc",
            CLUSTER_RECORD.replace("\"version\": 1", "\"version\": 99"),
        )),
        case(
            "read-only store",
            &["create", "x"],
            "read-only file system: make it writable",
        )
        .setup(Setup::ReadOnly),
        case(
            "full disk",
            &["create", "x"],
            "the disk is full: free space",
        )
        .setup(Setup::FullDisk),
    ]
}

#[rustfmt::skip]
fn cluster_files() -> Vec<Case> {
    let up = &["up", "-f", "{dir}/case-file"];
    let file = |bytes: Vec<u8>| Setup::File("case-file", bytes);
    vec![
        case("cluster file with an unknown key", up, "unknown field `colour`").clusterctl().setup(file(cluster_file("  nodes: 2\n  colour: red\n"))),
        case("cluster file with a wrong type", up, "at line 7").clusterctl().setup(file(cluster_file("  nodes: three\n"))),
        case("cluster file of another apiVersion", up, "use clusterctl.machinectl.io/v1").clusterctl().setup(file(b"apiVersion: v2\nkind: Cluster\n".to_vec())),
        case("cluster file of another kind", up, "use Cluster").clusterctl().setup(file(b"apiVersion: clusterctl.machinectl.io/v1\nkind: Pod\n".to_vec())),
        case("cluster file that is not YAML", up, "case-file").clusterctl().setup(file(b"kind: [\n".to_vec())),
        case("empty cluster file", up, "missing field `apiVersion`").clusterctl().setup(file(Vec::new())),
        case("missing cluster file", &["up", "-f", "{dir}/nope.yaml"], "nope.yaml").clusterctl(),
        case("cluster file with managers over nodes", up, "case-file:8:").clusterctl().setup(file(cluster_file("  nodes: 1\n  managers: 3\n"))),
    ]
}

fn import_stores() -> Vec<Case> {
    let import = &["import", "--from", "{dir}/dm"];
    vec![
        case(
            "import of a name that is a path",
            &["import", "--from", "{dir}/dm", "../dm1"],
            "invalid machine name",
        )
        .setup(Setup::DmStore(|_| {})),
        case(
            "import config.json linked to a device",
            &["import", "--from", "{dir}/dm", "dm1"],
            "is not a regular file",
        )
        .setup(Setup::DmStore(|dm| {
            let config = dm.join("machines/dm1/config.json");
            std::fs::remove_file(&config).unwrap();
            std::os::unix::fs::symlink("/dev/zero", &config).unwrap();
        })),
        case("import of a huge config.json", import, "is larger than").setup(Setup::DmStore(
            |dm| {
                let config = dm.join("machines/dm1/config.json");
                let file = std::fs::OpenOptions::new()
                    .append(true)
                    .open(config)
                    .unwrap();
                file.set_len(3 << 30).unwrap();
            },
        )),
        case("import of a huge key", import, "is larger than").setup(Setup::DmStore(|dm| {
            let file = std::fs::OpenOptions::new()
                .append(true)
                .open(dm.join("id_rsa"))
                .unwrap();
            file.set_len(3 << 30).unwrap();
        })),
    ]
}

/// A docker-machine store whose config.json is damaged.
fn import_configs() -> Vec<Case> {
    let import = &["import", "--from", "{dir}/dm"];
    vec![
        case(
            "import of a key linked to a FIFO",
            import,
            "no SSH key for dm1",
        )
        .setup(Setup::DmStore(|dm| {
            std::fs::remove_file(dm.join("id_rsa")).unwrap();
            let status = Command::new("mkfifo")
                .arg(dm.join("id_rsa"))
                .status()
                .unwrap();
            assert!(status.success());
        })),
        case(
            "import of ConfigVersion 4",
            import,
            "run any docker-machine command once",
        )
        .setup(Setup::DmStore(|dm| {
            dm_config(dm, |c| c["ConfigVersion"] = json!(4));
        })),
        case(
            "import of a config.json that is not JSON",
            import,
            "is not valid JSON",
        )
        .setup(Setup::DmStore(|dm| {
            std::fs::write(dm.join("machines/dm1/config.json"), "{").unwrap();
        })),
        case(
            "import of a machine with no address",
            import,
            "Driver.IPAddress is empty",
        )
        .setup(Setup::DmStore(|dm| {
            dm_config(dm, |c| c["Driver"]["IPAddress"] = json!(""));
        })),
        case("import of a store with no CA", import, "no ca.pem for dm1").setup(Setup::DmStore(
            |dm| {
                std::fs::remove_file(dm.join("certs/ca.pem")).unwrap();
            },
        )),
        case(
            "import of no store",
            &["import", "--from", "{dir}/nowhere"],
            "use --from DIR",
        ),
    ]
}

/// The cases made ready to run: files and records in place.
fn prepare(fixture: &Fixture, setup: &Setup) -> (PathBuf, Vec<PathBuf>) {
    let store = &fixture.store;
    let root = store.root();
    match setup {
        Setup::None => (root, vec![]),
        Setup::Record(name, text) => {
            let dir = store.machine_dir(name);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("machine.json"), text).unwrap();
            (root, vec![dir])
        }
        Setup::Cluster(name, text) => {
            let dir = root.join("clusters").join(name);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("cluster.json"), text).unwrap();
            (root, vec![dir])
        }
        Setup::Without(name, file) => {
            let dir = store.machine_dir(name);
            std::fs::create_dir_all(&dir).unwrap();
            let text = record_text(fixture, |r| r["name"] = json!(name));
            std::fs::write(dir.join("machine.json"), text).unwrap();
            for copy in ["ca.pem", "cert.pem", "key.pem"] {
                if copy != *file {
                    std::fs::copy(store.machine_dir("keep").join(copy), dir.join(copy)).unwrap();
                }
            }
            (root, vec![dir])
        }
        Setup::File(name, bytes) => {
            let path = store.dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            (root, vec![path])
        }
        Setup::DmStore(edit) => {
            let dm = dm_store(store.dir.path());
            edit(&dm);
            (root, vec![dm])
        }
        Setup::ReadOnly => {
            mount(&["--bind", root.to_str().unwrap(), root.to_str().unwrap()]);
            mount(&["-o", "remount,ro,bind", root.to_str().unwrap()]);
            (root, vec![])
        }
        Setup::FullDisk => {
            let full = store.dir.path().join("full");
            std::fs::create_dir_all(&full).unwrap();
            mount(&[
                "-t",
                "tmpfs",
                "-o",
                "size=1m",
                "tmpfs",
                full.to_str().unwrap(),
            ]);
            let copy = full.join("store/machines/keep");
            std::fs::create_dir_all(&copy).unwrap();
            for file in ["machine.json", "ca.pem", "cert.pem", "key.pem"] {
                std::fs::copy(store.machine_dir("keep").join(file), copy.join(file)).unwrap();
            }
            std::fs::create_dir_all(full.join("store/certs")).unwrap();
            for file in std::fs::read_dir(root.join("certs")).unwrap().flatten() {
                std::fs::copy(file.path(), full.join("store/certs").join(file.file_name()))
                    .unwrap();
            }
            // Fill what is left.
            let _ = Command::new("dd")
                .args(["if=/dev/zero", "bs=64k"])
                .arg(format!("of={}", full.join("filler").display()))
                .output();
            (full.join("store"), vec![])
        }
    }
}

fn mount(args: &[&str]) {
    let status = Command::new("mount").args(args).status().unwrap();
    assert!(status.success(), "mount {args:?}");
}

fn unmount(fixture: &Fixture, setup: &Setup) {
    let path = match setup {
        Setup::ReadOnly => fixture.store.root(),
        Setup::FullDisk => fixture.store.dir.path().join("full"),
        _ => return,
    };
    let status = Command::new("umount").arg(&path).status().unwrap();
    assert!(status.success(), "umount {}", path.display());
}

fn undo(made: Vec<PathBuf>) {
    for path in made {
        if path.is_dir() {
            std::fs::remove_dir_all(&path).unwrap();
        } else {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// The one line of stderr that is not a step line.
fn error_line(run: &Run) -> Option<&str> {
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| !(l.starts_with("• ") || l.starts_with("✓ ") || l.starts_with("✗ ")))
        .collect();
    match lines[..] {
        [line] => Some(line),
        _ => None,
    }
}

fn run_case(fixture: &Fixture, case: &Case) -> Result<(), String> {
    let (root, made) = prepare(fixture, &case.setup);
    let before = listing(&root);
    let mut command = fixture.store.command_for(case.bin);
    crate::isolated::aws_env(&mut command);
    command
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("DIGITALOCEAN_ACCESS_TOKEN")
        .env("MACHINECTL_STORAGE_PATH", &root)
        .args(case.args.iter().map(|a| expand(fixture, a)));
    for (key, value) in &case.env {
        command.env(key, value);
    }
    let run = Run::from(command.output().unwrap());
    let after = listing(&root);
    unmount(fixture, &case.setup);
    undo(made);
    let mut wrong = Vec::new();
    if run.success || run.code == Some(0) {
        wrong.push("exit 0".to_string());
    }
    match error_line(&run) {
        None => wrong.push(format!("not one line on stderr:\n{}", run.stderr)),
        Some(line) if !line.contains(case.expect) => {
            wrong.push(format!("{line:?} does not say {:?}", case.expect))
        }
        Some(_) => {}
    }
    if before != after {
        let changed: Vec<_> = after
            .iter()
            .filter(|(k, v)| before.get(*k) != Some(v))
            .map(|(k, _)| k.display().to_string())
            .chain(
                before
                    .keys()
                    .filter(|k| !after.contains_key(*k))
                    .map(|k| format!("-{}", k.display())),
            )
            .collect();
        wrong.push(format!("the store changed: {changed:?}"));
    }
    let ls = fixture.store.run(["ls"]);
    if !ls.success
        || !ls
            .stdout
            .lines()
            .any(|l| l.starts_with("keep ") && l.contains("Running"))
    {
        wrong.push(format!(
            "keep is not listed Running:\n{}{}",
            ls.stdout, ls.stderr
        ));
    }
    if !fixture
        .store
        .run(["env", "--shell", "bash", "keep"])
        .success
    {
        wrong.push("env keep fails".into());
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(wrong.join("; "))
    }
}

#[test]
fn every_bad_input_is_one_line_naming_the_fix_and_writes_nothing() {
    require_hosts!();
    let store = TestStore::new();
    store.ok(["create", "keep"]);
    ssh_keygen(store.dir.path(), "id_any");
    let do_401 = Server::start(|_| {
        Resp::json(
            401,
            json!({"id": "unauthorized", "message": "Unable to authenticate you"}),
        )
    });
    let aws_401 = Server::start(|_| {
        Resp {
        status: 401,
        headers: vec![("Content-Type".into(), "text/xml".into())],
        body: b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>AuthFailure</Code><Message>AWS was not able to validate the provided access credentials</Message></Error></Errors><RequestID>1</RequestID></Response>".to_vec(),
    }
    });
    let keep_ip = store.inspect("keep")["driver"]["host"]["ip"]
        .as_str()
        .unwrap()
        .to_string();
    let fixture = Fixture {
        store,
        do_401,
        aws_401,
        keep_ip,
    };
    // The store's secrets key is made once, by the first machine with a secret.
    let mut warm = fixture.store.command();
    warm.env("DIGITALOCEAN_ACCESS_TOKEN", "dop_v1_warm").args([
        "create",
        "-d",
        "digitalocean",
        "--digitalocean-api-url",
        &fixture.do_401.url,
        "warm",
    ]);
    assert!(!Run::from(warm.output().unwrap()).success);
    let mut cases = names();
    cases.extend(drivers_and_flags());
    cases.extend(credentials_and_hosts());
    cases.extend(damaged_records(&fixture));
    cases.extend(damaged_state());
    cases.extend(cluster_files());
    cases.extend(import_stores());
    cases.extend(import_configs());
    let mut failures = Vec::new();
    for case in &cases {
        if let Err(why) = run_case(&fixture, case) {
            failures.push(format!("{}: {why}", case.what));
        }
    }
    eprintln!("{} bad-input cases, {} failed", cases.len(), failures.len());
    assert!(cases.len() >= 60, "only {} cases", cases.len());
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
