//! Bounded mutation fuzzing of the parsers that read what users and other
//! tools hand machinectl: machine records, cluster records, cluster files,
//! docker-machine stores for `import`, and `--format` templates. A small
//! deterministic mutator (a fixed seed, so a failure reproduces) turns
//! seed inputs into a few thousand damaged ones; every parser must return,
//! never panic, and its error must be one line (what the binary prints).
//!
//! cargo-fuzz needs the cargo-fuzz tool, which is not installed here; this
//! runs in the ordinary test binary, in about a second, on every test run.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use machinectl::commands::{Context, Environment};
use machinectl::store::Store;
use machinectl::ui::Printer;

/// xorshift64*: deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Values that break parsers more often than random bytes do.
const INTERESTING: &[&str] = &[
    "",
    "null",
    "-1",
    "0",
    "4294967296",
    "1e999",
    "[]",
    "{}",
    "\"\"",
    "\"../x\"",
    "\"a/b\"",
    "\"\\u0000\"",
    "\"é\"",
    "true",
    "\"x\"",
    "99",
    ":",
    "\n",
    "- ",
    "{{",
    "}}",
    "\"$(id)\"",
    "\"\\n\"",
    "\u{202e}",
    "\"0.0.0.0/0\"",
    "65536",
    "\"-d\"",
];

/// One mutation of `input`: a byte changed, a range removed or repeated,
/// a cut, random bytes or an interesting token put in.
fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..=rng.below(3) {
        let len = out.len();
        let at = rng.below(len + 1);
        match rng.below(7) {
            0 if len > 0 => out[at.min(len - 1)] = rng.next() as u8,
            1 => {
                let end = (at + rng.below(16)).min(len);
                out.drain(at..end);
            }
            2 => {
                let end = (at + rng.below(32)).min(len);
                let copy = out[at..end].to_vec();
                out.splice(at..at, copy);
            }
            3 => out.truncate(at),
            4 => {
                let bytes: Vec<u8> = (0..rng.below(8)).map(|_| rng.next() as u8).collect();
                out.splice(at..at, bytes);
            }
            _ => {
                let token = INTERESTING[rng.below(INTERESTING.len())].as_bytes();
                let end = (at + rng.below(12)).min(len);
                out.splice(at..end, token.iter().copied());
            }
        }
    }
    out
}

/// Run `parse` on `cases` inputs mutated from `seeds`; a panic or an error
/// of more than one line fails, naming the input.
fn fuzz(
    what: &str,
    seeds: &[Vec<u8>],
    cases: usize,
    mut parse: impl FnMut(&[u8]) -> Option<String>,
) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ what.len() as u64);
    let (mut errors, mut accepted) = (0, 0);
    for i in 0..cases {
        let seed = &seeds[i % seeds.len()];
        let input = if i < seeds.len() {
            seed.clone()
        } else {
            mutate(&mut rng, seed)
        };
        let outcome = catch_unwind(AssertUnwindSafe(|| parse(&input)));
        let shown = String::from_utf8_lossy(&input);
        match outcome {
            Err(_) => panic!("{what}: the parser panicked on case {i}:\n{shown}"),
            Ok(Some(error)) => {
                assert!(
                    !error.trim_end().contains('\n') && !error.is_empty(),
                    "{what}: case {i} gave an error of {} lines:\n{error}\ninput:\n{shown}",
                    error.lines().count()
                );
                errors += 1;
            }
            Ok(None) => accepted += 1,
        }
    }
    eprintln!("{what}: {cases} cases, {errors} refused, {accepted} accepted");
    assert!(
        errors > cases / 4,
        "{what}: the mutations hardly reach the checks"
    );
}

fn record_seeds() -> Vec<Vec<u8>> {
    let local = r#"{"version":1,"name":"fz","driver":{"name":"local","subnet":"10.231.0.0/24",
"host":{"id":"91ec85fd","netns":"mctl-91ec85fd","veth":"mcv91ec85fd","bridge":"machinectl0","ip":"10.231.0.2",
"root_dir":"/tmp/x/machines/fz/host","anchor_pid":23913},"ssh_key":"/tmp/x/machines/fz/id_ed25519"},
"engine":{"opts":[],"labels":["a=b"],"env":["A=1"],"storage_driver":null,"registry_mirrors":[],
"insecure_registries":[],"install_url":null,"port":2376,"tls_san":["dev.example"]},
"state":"Running","engine_version":"20.10.24","created_at":1796050661}"#;
    let generic = r#"{"version":1,"name":"fz","driver":{"name":"generic","ip_address":"192.0.2.7",
"ssh_user":"root","ssh_port":22,"ssh_key":"/tmp/x/machines/fz/id_rsa"},
"engine":{"port":2376},"state":"Error","error":"left behind: x","created_at":1}"#;
    vec![local.as_bytes().to_vec(), generic.as_bytes().to_vec()]
}

#[test]
fn machine_records_never_panic_the_loader() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path().to_path_buf());
    let machine = store.machine_dir("fz");
    std::fs::create_dir_all(&machine).unwrap();
    let seeds = record_seeds();
    // The seeds themselves load: the mutations start from good records.
    for seed in &seeds {
        std::fs::write(machine.join("machine.json"), seed).unwrap();
        store.load("fz").expect("a seed record loads");
    }
    fuzz("machine.json", &seeds, 3000, |input| {
        std::fs::write(machine.join("machine.json"), input).unwrap();
        store.load("fz").err().map(|e| e.to_string())
    });
}

fn cluster_file_seeds() -> Vec<Vec<u8>> {
    [
        "apiVersion: clusterctl.machinectl.io/v1\nkind: Cluster\nmetadata:\n  name: demo\nspec:\n  provider: local\n  nodes: 3\n  managers: 1\n  orchestrator: swarm\n",
        "apiVersion: clusterctl.machinectl.io/v1\nkind: Cluster\nmetadata:\n  name: k8s\nspec:\n  provider: aws\n  nodes: 2\n  orchestrator: kubernetes\n  aws:\n    region: eu-west-1\n    instanceType: t3.small\n",
    ]
    .map(|s| s.as_bytes().to_vec())
    .to_vec()
}

#[test]
fn cluster_files_never_panic_the_parser() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cluster.yaml");
    let seeds = cluster_file_seeds();
    fuzz("cluster file", &seeds, 3000, |input| {
        std::fs::write(&path, input).unwrap();
        let args = machinectl::cli::cluster::SpecArgs {
            file: Some(path.clone()),
            ..Default::default()
        };
        machinectl::commands::cluster::resolve_spec(&args)
            .err()
            .map(|e| format!("{e:#}"))
    });
}

#[test]
fn cluster_records_never_panic_the_loader() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path().to_path_buf());
    let cluster = store.cluster_dir("fz");
    std::fs::create_dir_all(&cluster).unwrap();
    let seed = br#"{"version":1,"id":"c0ffee","created_at":0,"state":"Running",
"spec":{"name":"fz","provider":"local","orchestrator":"swarm","nodes":2,"managers":1},
"nodes":[{"machine":"fz-manager-0","role":"manager","index":0}]}"#;
    fuzz("cluster.json", &[seed.to_vec()], 2000, |input| {
        std::fs::write(cluster.join("cluster.json"), input).unwrap();
        store.load_cluster("fz").err().map(|e| e.to_string())
    });
}

#[test]
fn docker_machine_stores_never_panic_import() {
    let dir = tempfile::tempdir().unwrap();
    let dm = dir.path().join("dm");
    let certs = crate::common::project_certs(&dm);
    let key = crate::common::ssh_keygen(dir.path(), "id_rsa");
    crate::common::docker_machine_store(
        &dm,
        &[crate::common::DmMachine {
            name: "fz",
            ip: "192.0.2.9",
            ssh_port: 22,
            engine_port: 2376,
            ssh_key: &key,
            certs_dir: &certs,
        }],
    );
    let config = dm.join("machines/fz/config.json");
    let seed = std::fs::read(&config).unwrap();
    let root = dir.path().join("store");
    let ctx = Context::new(
        Some(root.clone()),
        Printer::new(false, true),
        Environment::default(),
    );
    fuzz("docker-machine config.json", &[seed], 1000, |input| {
        std::fs::write(&config, input).unwrap();
        let args = machinectl::cli::ImportArgs {
            from: Some(dm.clone()),
            names: vec!["fz".into()],
        };
        let outcome = machinectl::commands::import::run(&ctx, args);
        let _ = std::fs::remove_dir_all(root.join("machines"));
        outcome.err().map(|e| format!("{e:#}"))
    });
    assert!(!Path::new(&root.join("machines/fz")).exists());
}

#[test]
fn format_templates_never_panic_the_interpreter() {
    use machinectl::ui::template::Template;
    let value = serde_json::json!({
        "Name": "dev", "State": "Running", "URL": "tcp://10.0.0.1:2376",
        "Driver": {"IPAddress": "10.0.0.1", "Tags": ["a", "b"], "Port": 22},
        "Labels": {"team": "x"}
    });
    let seeds: Vec<Vec<u8>> = [
        "{{.Name}} {{.URL}}",
        "{{if eq .State \"Running\"}}up{{else}}down{{end}}",
        "{{range $i, $t := .Driver.Tags}}{{$i}}={{$t}} {{end}}",
        "{{json .Driver}} {{prettyjson .Labels}} {{index .Labels \"team\"}}",
        "{{with .Driver}}{{printf \"%s:%d\" .IPAddress .Port}}{{end}} {{len .Driver.Tags}}",
        "{{and (ne .Name \"x\") (not (lt 1 2))}} {{.Name | printf \"%q\"}}",
    ]
    .map(|s| s.as_bytes().to_vec())
    .to_vec();
    fuzz("--format template", &seeds, 3000, |input| {
        let text = String::from_utf8_lossy(input);
        match Template::new(&text) {
            Err(e) => Some(e.to_string()),
            Ok(template) => template.render(&value).err().map(|e| e.to_string()),
        }
    });
}
