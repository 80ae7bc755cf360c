//! Every provider × orchestrator clusterctl renders, held to real
//! validators (cfn-lint, `cloud-init schema`, shellcheck, the provider's
//! size limits) and to what each orchestrator's configuration must say
//! (Consul's bootstrap_expect and join, Kubernetes' discovery hash, Mesos'
//! ensemble and quorum). Then the parts that run here for real: a
//! ZooKeeper ensemble of three namespace hosts formed from the rendered
//! zoo.cfg, Consul's secrets and configuration on local nodes, and `up` /
//! `down` of consul and mesos on aws against moto (in an isolated network
//! namespace: moto's addresses are not ours).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::cluster::clusterctl;
use crate::common::{Run, TestStore, which};
use crate::isolated::{self, Moto, aws_env};
use crate::{require_hosts, require_isolation};

/// EC2 takes at most 16 KiB of user data (before base64).
const EC2_USER_DATA_LIMIT: usize = 16 * 1024;
/// CloudFormation takes a template body of at most 51,200 bytes.
const TEMPLATE_BODY_LIMIT: usize = 51_200;

/// cfn-lint (from .venv), cloud-init and shellcheck; none missing in CI.
fn validators() -> Option<[PathBuf; 3]> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/cfn-lint");
    let cfn_lint = Some(venv)
        .filter(|p| p.is_file())
        .or_else(|| which("cfn-lint"));
    match (cfn_lint, which("cloud-init"), which("shellcheck")) {
        (Some(a), Some(b), Some(c)) => Some([a, b, c]),
        _ => {
            let why = "cfn-lint (.venv), cloud-init and shellcheck are needed: run .ci/setup";
            assert!(std::env::var_os("CI").is_none(), "{why}");
            eprintln!("skipped: {why}");
            None
        }
    }
}

/// One rendered cluster: its files by name.
struct Rendered {
    label: String,
    files: BTreeMap<String, String>,
}

impl Rendered {
    fn get(&self, name: &str) -> &str {
        self.files
            .get(name)
            .unwrap_or_else(|| panic!("{}: no {name} in {:?}", self.label, self.files.keys()))
    }

    /// The files a user-data writes: path → content.
    fn written(&self, user_data: &str) -> BTreeMap<String, String> {
        let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(self.get(user_data)).unwrap();
        doc["write_files"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|f| {
                let path = f["path"].as_str().unwrap().to_string();
                (path, f["content"].as_str().unwrap().to_string())
            })
            .collect()
    }

    /// The one written file whose path ends with `suffix`.
    fn written_file(&self, user_data: &str, suffix: &str) -> String {
        let written = self.written(user_data);
        let found: Vec<_> = written
            .iter()
            .filter(|(p, _)| p.ends_with(suffix))
            .collect();
        assert_eq!(found.len(), 1, "{}: {suffix} in {user_data}", self.label);
        found[0].1.clone()
    }
}

fn render(store: &TestStore, provider: &str, orchestrator: &str) -> Rendered {
    render_with(store, provider, orchestrator, &[])
}

/// `render` with the provider's own flags (`extra`) after the common ones.
fn render_with(store: &TestStore, provider: &str, orchestrator: &str, extra: &[&str]) -> Rendered {
    let label = format!("{provider}-{orchestrator}");
    let out = store.dir.path().join(&label);
    let (nodes, managers) = if orchestrator == "ecs" {
        ("2", "1")
    } else {
        ("4", "3")
    };
    let mut args = vec![
        "render",
        "demo",
        "--provider",
        provider,
        "--orchestrator",
        orchestrator,
        "--nodes",
        nodes,
        "--managers",
        managers,
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let run = clusterctl(store, &args);
    assert!(run.success, "{label}: {}", run.stderr);
    let files = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect();
    Rendered { label, files }
}

/// A validator run on one file must succeed.
fn passes(tool: &Path, args: &[&str], file: &Path, label: &str) {
    let out = Command::new(tool).args(args).arg(file).output().unwrap();
    assert!(
        out.status.success(),
        "{label}: {} {}: {}{}",
        tool.display(),
        file.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every artifact of one render through its validator and size limit.
fn validate(store: &TestStore, rendered: &Rendered, tools: &[PathBuf; 3], aws: bool) {
    let [cfn_lint, cloud_init, shellcheck] = tools;
    let dir = store.dir.path().join(&rendered.label);
    assert_eq!(
        rendered.files.contains_key("stack.yaml"),
        aws,
        "{}",
        rendered.label
    );
    let mut user_data = 0;
    for (name, text) in &rendered.files {
        let path = dir.join(name);
        assert!(
            !text.contains("PRIVATE KEY"),
            "{}: {name} holds a key",
            rendered.label
        );
        if name == "stack.yaml" {
            passes(cfn_lint, &["--format", "parseable"], &path, &rendered.label);
            assert!(
                text.len() <= TEMPLATE_BODY_LIMIT,
                "{}: {} bytes",
                name,
                text.len()
            );
        } else if name.starts_with("user-data-") {
            user_data += 1;
            passes(
                cloud_init,
                &["schema", "--config-file"],
                &path,
                &rendered.label,
            );
            if aws {
                assert!(
                    text.len() <= EC2_USER_DATA_LIMIT,
                    "{name}: {} bytes",
                    text.len()
                );
            }
        } else if name == "azuredeploy.json" {
            check_arm_template(rendered, text);
        } else {
            assert!(name.ends_with(".sh"), "{name}");
            passes(shellcheck, &[], &path, &rendered.label);
            let third = text.lines().nth(2).unwrap();
            let embedded = rendered
                .files
                .iter()
                .any(|(n, t)| n.starts_with("user-data-") && t.contains(third));
            assert!(embedded, "{}: {name} is in no user-data", rendered.label);
        }
    }
    assert!(user_data >= 1, "{}", rendered.label);
}

/// Consul: servers expect their count, clients do not; agents join by
/// auto-join (aws, on the cluster-id tag the stack puts on every instance)
/// or by the servers' addresses (local); TLS everywhere; secrets not in it.
fn check_consul(rendered: &Rendered, aws: bool) {
    let config = |role: &str| -> serde_json::Value {
        let text = rendered.written_file(&format!("user-data-{role}.yaml"), "/consul/consul.json");
        serde_json::from_str(&text).unwrap()
    };
    let (server, client) = (config("server"), config("client"));
    assert_eq!(server["bootstrap_expect"], 3, "{server}");
    assert_eq!(server["server"], true);
    assert!(client.get("bootstrap_expect").is_none(), "{client}");
    assert_eq!(server["ports"]["http"], -1, "HTTP is off: HTTPS only");
    let tls = &server["tls"]["defaults"];
    assert_eq!(
        (
            tls["verify_incoming"].as_bool(),
            tls["verify_outgoing"].as_bool()
        ),
        (Some(true), Some(true))
    );
    assert_eq!(
        server["tls"]["internal_rpc"]["verify_server_hostname"],
        true
    );
    // The CA is in the user-data; the agent's key and the gossip key are not.
    let written = rendered.written("user-data-server.yaml");
    assert!(written.contains_key(tls["ca_file"].as_str().unwrap()));
    assert!(!written.contains_key(tls["key_file"].as_str().unwrap()));
    assert!(written.keys().all(|p| !p.ends_with("encrypt.json")));
    assert!(server.get("encrypt").is_none());
    let join = server["retry_join"].as_array().unwrap();
    if aws {
        let stack = rendered.get("stack.yaml");
        let id = regex::Regex::new(r#"Key: "machinectl:cluster-id"\n\s+Value: "([0-9a-f]{12})""#)
            .unwrap()
            .captures(stack)
            .unwrap()[1]
            .to_string();
        let expected = format!("provider=aws tag_key=machinectl:cluster-id tag_value={id}");
        assert_eq!(join, &[serde_json::json!(expected)], "go-discover's syntax");
        assert_eq!(client["retry_join"], server["retry_join"]);
        assert!(
            stack.contains("ec2:DescribeInstances"),
            "auto-join lists instances"
        );
        assert!(stack.contains("IamInstanceProfile: !Ref NodeProfile"));
    } else {
        assert_eq!(join.len(), 3, "{join:?}");
    }
}

/// Kubernetes: the discovery hash workers pin is the CA's, recomputed here.
fn check_kubernetes(rendered: &Rendered) {
    let ca = rendered.written_file("user-data-control-plane.yaml", "/pki/ca.crt");
    let (_, pem) = x509_parser::pem::parse_x509_pem(ca.as_bytes()).unwrap();
    let cert = pem.parse_x509().unwrap();
    let hash = format!("sha256:{:x}", Sha256::digest(cert.public_key().raw));
    assert!(rendered.get("worker.sh").contains(&hash), "{hash}");
    let token = regex::Regex::new(r"\b[a-z0-9]{6}\.[a-z0-9]{16}\b").unwrap();
    assert!(
        rendered.files.values().all(|t| !token.is_match(t)),
        "a join token leaked"
    );
}

/// Mesos: the ensemble is the three masters, quorum a majority, agents
/// with the docker containerizer.
fn check_mesos(rendered: &Rendered, aws: bool) {
    let cfg = rendered.written_file("user-data-master.yaml", "/zookeeper/zoo.cfg");
    let servers: Vec<&str> = cfg.lines().filter(|l| l.starts_with("server.")).collect();
    assert_eq!(servers.len(), 3, "{cfg}");
    if aws {
        assert_eq!(servers[0], "server.1=10.40.1.10:2888:3888");
    }
    assert!(cfg.contains("4lw.commands.whitelist=srvr"), "{cfg}");
    let master = rendered.get("mesos-master.sh");
    let agent = rendered.get("mesos-agent.sh");
    if aws {
        assert!(master.contains("--quorum=2"), "{master}");
        assert!(master.contains(":2181/mesos'"), "{master}");
        assert!(agent.contains("--containerizers=docker,mesos"), "{agent}");
    } else {
        assert!(master.contains("cannot be pulled here"), "{master}");
    }
    let agent_data = rendered.get("user-data-agent.yaml");
    assert!(!agent_data.contains("zookeeper"), "agents run no ZooKeeper");
}

#[test]
fn every_provider_and_orchestrator_renders_artifacts_that_pass_their_validators() {
    let Some(tools) = validators() else {
        return;
    };
    let store = TestStore::new();
    for provider in ["local", "aws"] {
        let aws = provider == "aws";
        let mut orchestrators = vec!["swarm", "kubernetes", "consul", "mesos"];
        if aws {
            orchestrators.push("ecs");
        }
        for orchestrator in orchestrators {
            let rendered = render(&store, provider, orchestrator);
            validate(&store, &rendered, &tools, aws);
            match orchestrator {
                "consul" => check_consul(&rendered, aws),
                "kubernetes" => check_kubernetes(&rendered),
                "mesos" => check_mesos(&rendered, aws),
                _ => {}
            }
        }
    }
    // ecs stays aws's; consul refuses a server count it cannot bootstrap;
    // a stack CloudFormation would refuse for its size is refused first.
    let render = ["render", "--out", "x", "--orchestrator"];
    for (args, why) in [
        (&["ecs", "--provider", "local"][..], "--provider aws"),
        (&["consul", "--provider", "aws"][..], "3 or 5 servers"),
        (
            &[
                "consul",
                "--provider",
                "aws",
                "--managers",
                "5",
                "--nodes",
                "60",
            ][..],
            "at most 51200",
        ),
    ] {
        let run = clusterctl(&store, &[&render[..], args].concat());
        assert!(run.one_line_error().contains(why), "{}", run.stderr);
    }
    let mut up = store.command_for("clusterctl");
    up.args([
        "up",
        "--provider",
        "aws",
        "--orchestrator",
        "consul",
        "--managers",
        "5",
    ])
    .args(["--nodes", "60", "--aws-endpoint", "http://127.0.0.1:9"]);
    aws_env(&mut up);
    let up = Run::from(up.output().unwrap());
    assert!(
        up.one_line_error().contains("at most 51200"),
        "{}",
        up.stderr
    );
    assert!(
        !store.root().exists(),
        "neither render nor a refused up writes anything"
    );
}

/// Compute Engine takes at most 256 KiB in one metadata value (`user-data`).
const GCE_METADATA_VALUE_LIMIT: usize = 256 * 1024;

/// The gce rows: each orchestrator rendered for Compute Engine nodes
/// passes its validators and fits one metadata value. The driver's flags
/// need credentials, which render reads but never uses (no call is made):
/// an authorized-user file that names no real account.
#[test]
fn gce_rows_render_artifacts_that_pass_their_validators() {
    let Some(tools) = validators() else {
        return;
    };
    let store = TestStore::new();
    let credentials = store.dir.path().join("gce-authorized-user.json");
    let login = serde_json::json!({"type": "authorized_user", "client_id": "1.apps.googleusercontent.com",
        "client_secret": "not-a-secret", "refresh_token": "not-a-token"});
    std::fs::write(&credentials, login.to_string()).unwrap();
    let gce = [
        "--gce-credentials",
        credentials.to_str().unwrap(),
        "--gce-project",
        "machinectl-test",
    ];
    for orchestrator in ["swarm", "kubernetes", "consul", "mesos"] {
        let rendered = render_with(&store, "gce", orchestrator, &gce);
        validate(&store, &rendered, &tools, false);
        user_data_within(&rendered, GCE_METADATA_VALUE_LIMIT);
        check_machines_row(&rendered, orchestrator);
    }
    stored_nothing(&store);
}

/// DigitalOcean takes at most 64 KiB of user data.
const DIGITALOCEAN_USER_DATA_LIMIT: usize = 64 * 1024;

/// Every user-data of a render fits the provider's limit.
fn user_data_within(rendered: &Rendered, limit: usize) {
    for (name, text) in rendered
        .files
        .iter()
        .filter(|(n, _)| n.starts_with("user-data-"))
    {
        assert!(
            text.len() <= limit,
            "{}: {name} is {} bytes",
            rendered.label,
            text.len()
        );
    }
}

/// The digitalocean rows: each orchestrator rendered for droplets passes
/// its validators and DigitalOcean's 64 KiB. Render reads the driver's
/// flags (a token is required) but makes no call; the token never shows
/// in what it writes (Consul's auto-join carries it over SSH only).
#[test]
fn digitalocean_rows_render_artifacts_that_pass_their_validators() {
    let Some(tools) = validators() else {
        return;
    };
    let store = TestStore::new();
    let token = "dop_v1_render0only";
    let flags = [
        "--digitalocean-access-token",
        token,
        "--digitalocean-region",
        "fra1",
    ];
    for orchestrator in ["swarm", "kubernetes", "consul", "mesos"] {
        let rendered = render_with(&store, "digitalocean", orchestrator, &flags);
        validate(&store, &rendered, &tools, false);
        user_data_within(&rendered, DIGITALOCEAN_USER_DATA_LIMIT);
        assert!(
            rendered.files.values().all(|t| !t.contains(token)),
            "{}: the token is in a rendered file",
            rendered.label
        );
        check_machines_row(&rendered, orchestrator);
    }
    stored_nothing(&store);
}

/// The orchestrator checks of a machines-provider row (gce, digitalocean,
/// azure, generic, virtualbox): Consul without aws's auto-join role, and
/// the Mesos ensemble at peer addresses planned before the nodes exist (a
/// cloud's private addresses, a VM's once it boots), as on aws.
fn check_machines_row(rendered: &Rendered, orchestrator: &str) {
    match orchestrator {
        "consul" => check_consul(rendered, false),
        "kubernetes" => check_kubernetes(rendered),
        "mesos" => check_mesos(rendered, true),
        _ => {}
    }
}

/// Render made no cluster record.
fn stored_nothing(store: &TestStore) {
    assert!(
        !store.root().join("clusters").exists(),
        "render stores nothing"
    );
}

/// Azure takes at most 64 KB of custom data, decoded.
const AZURE_CUSTOM_DATA_LIMIT: usize = 65_535;

/// An ARM template passes Azure's published schemas (the deploymentTemplate
/// envelope, each resource its type's definition), and every VM's custom
/// data is its role's rendered user-data, within Azure's limit.
fn check_arm_template(rendered: &Rendered, text: &str) {
    let template: serde_json::Value = serde_json::from_str(text).unwrap();
    let errors = crate::azure::specs().check_template(&template);
    assert!(errors.is_empty(), "{}: {errors:#?}", rendered.label);
    let vms = template["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["type"] == "Microsoft.Compute/virtualMachines");
    let mut count = 0;
    for vm in vms {
        count += 1;
        let role = vm["tags"]["machinectl:role"].as_str().unwrap();
        let encoded = vm["properties"]["osProfile"]["customData"]
            .as_str()
            .unwrap();
        let data = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap();
        assert!(
            data.len() <= AZURE_CUSTOM_DATA_LIMIT,
            "{}: {} bytes",
            rendered.label,
            data.len()
        );
        let want = rendered.get(&format!("user-data-{role}.yaml"));
        assert_eq!(String::from_utf8(data).unwrap(), want, "{}", rendered.label);
    }
    assert_eq!(count, 4, "{}: one VM a node", rendered.label);
}

/// The azure rows: each orchestrator rendered for Azure VMs passes its
/// validators, and the ARM template of the whole cluster passes Azure's
/// schemas. Render reads the driver's flags (with no credentials given,
/// the Azure CLI's, never asked) and makes no call.
#[test]
fn azure_rows_render_artifacts_that_pass_their_validators() {
    let Some(tools) = validators() else {
        return;
    };
    let store = TestStore::new();
    let flags = ["--azure-location", "westeurope"];
    for orchestrator in ["swarm", "kubernetes", "consul", "mesos"] {
        let rendered = render_with(&store, "azure", orchestrator, &flags);
        validate(&store, &rendered, &tools, false);
        user_data_within(&rendered, AZURE_CUSTOM_DATA_LIMIT);
        let template = rendered.get("azuredeploy.json");
        assert!(
            template.contains("\"location\": \"westeurope\""),
            "{}",
            rendered.label
        );
        check_machines_row(&rendered, orchestrator);
    }
    stored_nothing(&store);
}

/// The generic rows: existing hosts (addresses from `--hosts`, here the
/// ones aws nodes get, so the Mesos ensemble reads the same) render every
/// orchestrator's boot data, which passes its validators.
#[test]
fn generic_rows_render_artifacts_that_pass_their_validators() {
    let Some(tools) = validators() else {
        return;
    };
    let store = TestStore::new();
    let key = crate::common::ssh_keygen(store.dir.path(), "hosts-key");
    let hosts = "root@10.40.1.10,root@10.40.1.11,root@10.40.1.12,admin@10.40.1.13:2222";
    let flags = ["--hosts", hosts, "--ssh-key", key.to_str().unwrap()];
    for orchestrator in ["swarm", "kubernetes", "consul", "mesos"] {
        let rendered = render_with(&store, "generic", orchestrator, &flags);
        validate(&store, &rendered, &tools, false);
        check_machines_row(&rendered, orchestrator);
    }
    stored_nothing(&store);
}

/// `clusterctl up NAME` of four local nodes, three of them managers.
fn up_local(store: &TestStore, name: &str, orchestrator: &str) -> Run {
    let args = [
        "up",
        name,
        "--provider",
        "local",
        "--orchestrator",
        orchestrator,
    ];
    let counts = ["--nodes", "4", "--managers", "3"];
    clusterctl(store, &[&args[..], &counts[..]].concat())
}

/// A file on a namespace host, read over SSH.
fn on_node(store: &TestStore, node: &str, command: &str) -> String {
    store.ok(["ssh", node, "--", command]).stdout
}

fn zookeeper_installed() -> bool {
    if Path::new("/usr/share/zookeeper/bin/zkServer.sh").is_file() {
        return true;
    }
    let why = "zookeeperd is not installed: run .ci/setup";
    assert!(std::env::var_os("CI").is_none(), "{why}");
    eprintln!("skipped: {why}");
    false
}

/// What ZooKeeper at `ip` answers to `srvr` (empty when it does not).
fn srvr(ip: &str) -> String {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect_timeout(
        &format!("{ip}:2181").parse().unwrap(),
        Duration::from_secs(2),
    ) else {
        return String::new();
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reply = String::new();
    if stream.write_all(b"srvr").is_ok() {
        let _ = stream.read_to_string(&mut reply);
    }
    reply
}

/// The ensemble zoo.cfg lists, as `clusterctl render` gives it for a
/// cluster that exists: (its text, the servers' addresses by myid).
fn rendered_ensemble(store: &TestStore, name: &str) -> (String, Vec<String>) {
    let out = store.dir.path().join("rendered");
    let render = clusterctl(store, &["render", name, "--out", out.to_str().unwrap()]);
    assert!(render.success, "{}", render.stderr);
    let user_data = std::fs::read_to_string(out.join("user-data-master.yaml")).unwrap();
    let rendered = Rendered {
        label: name.into(),
        files: [("user-data-master.yaml".to_string(), user_data)].into(),
    };
    let cfg = rendered.written_file("user-data-master.yaml", "/zookeeper/zoo.cfg");
    let ensemble = cfg
        .lines()
        .filter_map(|l| l.strip_prefix("server."))
        .map(|l| l.split(['=', ':']).nth(1).unwrap().to_string())
        .collect();
    (cfg, ensemble)
}

/// Each master runs the rendered zoo.cfg with its place in it as myid;
/// returns their ZooKeeper pids.
fn masters_run_the_ensemble(store: &TestStore, cfg: &str, ensemble: &[String]) -> Vec<u64> {
    let mut pids = Vec::new();
    for node in ["zk-master-0", "zk-master-1", "zk-master-2"] {
        let zk = "/run/machinectl/data/zookeeper";
        let on_it = on_node(store, node, "cat /run/machinectl/etc/zookeeper/zoo.cfg");
        assert_eq!(on_it, cfg, "{node} runs the rendered zoo.cfg");
        let ip = store.ok(["ip", node]).stdout.trim().to_string();
        let myid: usize = on_node(store, node, &format!("cat {zk}/myid"))
            .trim()
            .parse()
            .unwrap();
        assert_eq!(
            ensemble[myid - 1],
            ip,
            "{node}'s myid is its place in zoo.cfg"
        );
        let pid = on_node(store, node, &format!("cat {zk}/zookeeper_server.pid"));
        pids.push(pid.trim().parse::<u64>().unwrap());
    }
    let agent_data = on_node(
        store,
        "zk-agent-0",
        "ls /run/machinectl/data 2>/dev/null || true",
    );
    assert_eq!(agent_data, "", "agents run no ZooKeeper");
    pids
}

/// The modes the ensemble settles in, asked with `srvr` (90 s at most).
fn settled_modes(ensemble: &[String]) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let mut modes: Vec<String> = ensemble
            .iter()
            .map(|ip| {
                let reply = srvr(ip);
                let mode = reply.lines().find_map(|l| l.strip_prefix("Mode: "));
                mode.unwrap_or("none").to_string()
            })
            .collect();
        modes.sort();
        if modes == ["follower", "follower", "leader"] || Instant::now() > deadline {
            return modes;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

#[test]
fn zookeeper_ensemble_of_three_local_masters_forms_from_the_rendered_configuration() {
    require_hosts!();
    if !zookeeper_installed() {
        return;
    }
    let store = TestStore::new();
    let up = up_local(&store, "zk", "mesos");
    assert!(up.success, "{}", up.stderr);
    // Where mesos-master, Marathon and the agent cannot be installed, up says why.
    for why in [
        "mesos-master.sh: mesos-master",
        "mesos-agent.sh: mesos-agent",
    ] {
        assert!(up.stderr.contains(why), "{}", up.stderr);
    }
    let (cfg, ensemble) = rendered_ensemble(&store, "zk");
    let pids = masters_run_the_ensemble(&store, &cfg, &ensemble);
    assert_eq!(settled_modes(&ensemble), ["follower", "follower", "leader"]);

    let status = clusterctl(&store, &["status", "zk"]);
    assert!(status.success, "{}", status.stderr);
    let zookeepers: Vec<&str> = status
        .stdout
        .lines()
        .filter(|l| l.starts_with("ZooKeeper on zk-master-"))
        .collect();
    assert_eq!(zookeepers.len(), 3, "{}", status.stdout);
    let leaders = zookeepers
        .iter()
        .filter(|l| l.ends_with(": leader"))
        .count();
    assert_eq!(leaders, 1, "{}", status.stdout);
    // The master's HTTP API does not run here, and status says where it asked.
    assert!(
        status.stderr.contains(":5050 did not answer"),
        "{}",
        status.stderr
    );
    let env = clusterctl(&store, &["env", "zk", "--shell", "bash"]).stdout;
    assert!(env.contains("export MESOS_MASTER_URL=\"http://"), "{env}");
    assert!(env.contains("export MARATHON_URL=\"http://"), "{env}");

    // down stops every ZooKeeper with its host.
    let down = clusterctl(&store, &["down", "zk", "-y"]);
    assert!(down.success, "{}", down.stderr);
    for pid in pids {
        assert!(
            !crate::common::alive(pid),
            "ZooKeeper {pid} outlived its host"
        );
    }
}

/// One local Consul node as its agent would read it: the configuration
/// (bootstrap_expect on servers alone), every TLS file it names present
/// (keys root's alone), the cluster's gossip key, and the server or client
/// certificate kept on this computer. Returns whom it joins.
fn check_consul_node(store: &TestStore, node: &str, server: bool, gossip: &str) -> Vec<String> {
    let kept = store.root().join("clusters/cs/consul");
    let read = |path: &str| on_node(store, node, &format!("cat {path}"));
    let config: serde_json::Value =
        serde_json::from_str(&read("/run/machinectl/etc/consul/consul.json")).unwrap();
    let expect = config["bootstrap_expect"].as_u64();
    assert_eq!(expect, server.then_some(3), "{node}");
    let defaults = &config["tls"]["defaults"];
    for key in ["ca_file", "cert_file", "key_file"] {
        let path = defaults[key].as_str().unwrap();
        let mode = on_node(store, node, &format!("stat -c %a {path}"));
        let wanted = if key == "ca_file" { "644" } else { "600" };
        assert_eq!(mode.trim(), wanted, "{node} {path}");
    }
    let encrypt: serde_json::Value =
        serde_json::from_str(&read("/run/machinectl/etc/consul/encrypt.json")).unwrap();
    assert_eq!(encrypt["encrypt"].as_str(), Some(gossip), "{node}");
    let cert = read(defaults["cert_file"].as_str().unwrap());
    let pair = if server { "server.pem" } else { "client.pem" };
    assert_eq!(
        cert,
        std::fs::read_to_string(kept.join(pair)).unwrap(),
        "{node}"
    );
    serde_json::from_value(config["retry_join"].clone()).unwrap()
}

/// `status` of cluster cs once a stand-in agent answers on its first server.
fn status_over_tls(store: &TestStore) -> Run {
    stand_in_agent(store, "cs-server-0");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let status = clusterctl(store, &["status", "cs"]);
        if !status.stderr.contains("did not answer") || Instant::now() > deadline {
            return status;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn consul_on_local_hosts_gets_its_configuration_and_secrets_over_ssh() {
    require_hosts!();
    let store = TestStore::new();
    let up = up_local(&store, "cs", "consul");
    assert!(up.success, "{}", up.stderr);
    for why in [
        "consul-agent.sh: consul is not installed and cannot be here",
        "registrator.sh: Registrator",
    ] {
        assert!(up.stderr.contains(why), "{}", up.stderr);
    }
    let kept = store.root().join("clusters/cs/consul");
    let gossip = std::fs::read_to_string(kept.join("gossip.key")).unwrap();
    let key = base64::engine::general_purpose::STANDARD.decode(gossip.trim());
    assert_eq!(key.unwrap().len(), 32, "the gossip key is 32 bytes");
    let nodes = [
        ("cs-server-0", true),
        ("cs-server-1", true),
        ("cs-server-2", true),
        ("cs-client-0", false),
    ];
    let addresses: Vec<String> = nodes
        .iter()
        .map(|(node, _)| store.ok(["ip", node]).stdout.trim().to_string())
        .collect();
    for (node, server) in nodes {
        // Servers and clients join the servers' addresses.
        let join = check_consul_node(&store, node, server, gossip.trim());
        assert_eq!(join, addresses[..3], "{node}");
    }
    let env = clusterctl(&store, &["env", "cs", "--shell", "fish"]).stdout;
    let first = &addresses[0];
    assert!(
        env.contains(&format!(
            "set -gx CONSUL_HTTP_ADDR \"https://{first}:8501\";"
        )),
        "{env}"
    );
    for var in ["CONSUL_CACERT", "CONSUL_CLIENT_CERT", "CONSUL_CLIENT_KEY"] {
        assert!(
            env.contains(&format!("set -gx {var} \"{}", kept.display())),
            "{var}: {env}"
        );
    }
    // No agent runs here: status asks the first server over TLS and says so.
    let status = clusterctl(&store, &["status", "cs"]);
    let silent = format!("Consul at {first}:8501 did not answer");
    assert!(status.stderr.contains(&silent), "{}", status.stderr);
    // A stand-in agent with that node's own TLS files, requiring client
    // certificates: status reads the members over mutual TLS.
    let status = status_over_tls(&store);
    assert!(status.success, "{}", status.stderr);
    let rows: Vec<&str> = status
        .stdout
        .lines()
        .filter(|l| l.starts_with("cs-"))
        .collect();
    assert_eq!(rows.len(), 4, "{}", status.stdout);
    for row in rows {
        let words: Vec<&str> = row.split_whitespace().collect();
        let expected = if words[1] == "server" {
            ["alive", "server"]
        } else {
            ["failed", "client"]
        };
        assert_eq!(words[3..], expected, "{}{}", status.stdout, status.stderr);
    }
    // Scaling down forces the removed client out of the member list.
    let scale = clusterctl(&store, &["scale", "cs", "--nodes", "3"]);
    assert!(scale.success, "{}", scale.stderr);
    let asked = on_node(&store, "cs-server-0", "cat /run/machinectl/agent.log");
    assert!(
        asked.contains("\"PUT /v1/agent/force-leave/cs-client-0?prune HTTP/1.1\" 200"),
        "{asked}"
    );
    let down = clusterctl(&store, &["down", "cs", "-y"]);
    assert!(down.success, "{}", down.stderr);
    assert_eq!(store.ok(["ls", "-q"]).stdout, "");
}

/// Serve `/v1/agent/members` on `node`'s port 8501 as its Consul agent
/// would: with the node's certificate, requiring a client certificate of
/// the cluster's CA. Servers are alive; clients failed.
fn stand_in_agent(store: &TestStore, node: &str) {
    let script = store.dir.path().join("agent.py");
    std::fs::write(
        &script,
        r#"import http.server, json, ssl
tls = "/run/machinectl/etc/consul/tls/"
members = [{"Name": n, "Addr": "", "Status": 1 if "server" in n else 4,
            "Tags": {"role": "consul" if "server" in n else "node"}}
           for n in ["cs-server-0", "cs-server-1", "cs-server-2", "cs-client-0"]]
class Members(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps(members).encode() if self.path == "/v1/agent/members" else b"[]"
        self.send_response(200 if self.path == "/v1/agent/members" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_PUT(self):
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(tls + "agent.pem", tls + "agent-key.pem")
context.load_verify_locations(tls + "ca.pem")
context.verify_mode = ssl.CERT_REQUIRED
server = http.server.HTTPServer(("0.0.0.0", 8501), Members)
server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
"#,
    )
    .unwrap();
    let start = format!(
        "setsid python3 {} >/run/machinectl/agent.log 2>&1 </dev/null &",
        script.display()
    );
    store.ok(["ssh", node, "--", &start]);
}

/// clusterctl talking to this test's moto.
fn clusterctl_moto(store: &TestStore, moto: &Moto, args: &[&str]) -> Run {
    let mut command = store.command_for("clusterctl");
    command.args(args);
    aws_env(&mut command);
    command.env("AWS_ENDPOINT", &moto.endpoint);
    Run::from(command.output().unwrap())
}

/// The stack's resources by logical id: (type, physical id).
async fn stack_resources(moto: &Moto, stack: &str) -> BTreeMap<String, (String, String)> {
    let cfn = aws_sdk_cloudformation::Client::new(&moto.sdk_config());
    let out = cfn
        .describe_stack_resources()
        .stack_name(stack)
        .send()
        .await
        .unwrap();
    out.stack_resources()
        .iter()
        .map(|r| {
            (
                r.logical_resource_id().unwrap_or_default().to_string(),
                (
                    r.resource_type().unwrap_or_default().to_string(),
                    r.physical_resource_id().unwrap_or_default().to_string(),
                ),
            )
        })
        .collect()
}

/// Instances carrying `tag=value`, pending or running.
async fn instances_tagged(
    moto: &Moto,
    tag: &str,
    value: &str,
) -> Vec<aws_sdk_ec2::types::Instance> {
    use aws_sdk_ec2::types::{Filter, InstanceStateName};
    let by_tag = Filter::builder().name(format!("tag:{tag}")).values(value);
    let out = moto.ec2().describe_instances().filters(by_tag.build());
    let live = [InstanceStateName::Running, InstanceStateName::Pending];
    let output = out.send().await.unwrap();
    output
        .reservations()
        .iter()
        .flat_map(|r| r.instances().to_vec())
        .filter(|i| {
            i.state()
                .and_then(|s| s.name())
                .is_some_and(|n| live.contains(n))
        })
        .collect()
}

/// The user-data an instance was launched with, decoded.
async fn user_data(moto: &Moto, instance: &str) -> String {
    let attribute = moto
        .ec2()
        .describe_instance_attribute()
        .instance_id(instance)
        .attribute(aws_sdk_ec2::types::InstanceAttributeName::UserData)
        .send()
        .await
        .unwrap();
    let encoded = attribute
        .user_data()
        .and_then(|u| u.value())
        .unwrap_or_default();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap();
    String::from_utf8(bytes).unwrap()
}

/// Ingress rules of the cluster's security group: (protocol, from, to).
async fn intra_rules(moto: &Moto, group: &str) -> Vec<(String, i32, i32)> {
    let out = moto
        .ec2()
        .describe_security_groups()
        .group_ids(group)
        .send()
        .await
        .unwrap();
    out.security_groups()[0]
        .ip_permissions()
        .iter()
        .filter(|p| !p.user_id_group_pairs().is_empty())
        .map(|p| {
            (
                p.ip_protocol().unwrap_or_default().to_string(),
                p.from_port().unwrap_or_default(),
                p.to_port().unwrap_or_default(),
            )
        })
        .collect()
}

/// The secrets an `up` made and kept (clusters/NAME): Consul's gossip key
/// is 32 bytes; Kubernetes' bootstrap token has kubeadm's form, and the
/// discovery hash the rendered workers pin is recomputed from the kept CA.
fn check_kept_secrets(store: &TestStore, moto: &Moto, name: &str, orchestrator: &str) {
    let kept = store.root().join("clusters").join(name);
    match orchestrator {
        "consul" => {
            let gossip = std::fs::read_to_string(kept.join("consul/gossip.key")).unwrap();
            let key = base64::engine::general_purpose::STANDARD
                .decode(gossip.trim())
                .unwrap();
            assert_eq!(key.len(), 32);
        }
        "kubernetes" => {
            let token = std::fs::read_to_string(kept.join("kube/bootstrap-token")).unwrap();
            let form = regex::Regex::new(r"^[a-z0-9]{6}\.[a-z0-9]{16}$").unwrap();
            assert!(form.is_match(token.trim()), "{token}");
            let out = store.dir.path().join("rendered-kube");
            let render = clusterctl_moto(
                store,
                moto,
                &["render", name, "--out", out.to_str().unwrap()],
            );
            assert!(render.success, "{}", render.stderr);
            let ca = std::fs::read_to_string(kept.join("kube/ca.crt")).unwrap();
            let (_, pem) = x509_parser::pem::parse_x509_pem(ca.as_bytes()).unwrap();
            let spki = pem.parse_x509().unwrap().public_key().raw.to_vec();
            let hash = format!("sha256:{:x}", Sha256::digest(&spki));
            let worker = std::fs::read_to_string(out.join("worker.sh")).unwrap();
            assert!(worker.contains(&hash), "{hash} not in {worker}");
            assert!(
                !worker.contains(token.trim()),
                "the token is in the user-data"
            );
        }
        _ => {}
    }
}

/// What one orchestrator's kept cluster holds: 4 instances in the stack
/// (and an instance role for consul's auto-join), each tagged with the
/// cluster id and its role, the orchestrator's ports open between nodes,
/// and the nodes as machines of the store. Returns the cluster id.
fn check_kept_stack(
    rt: &tokio::runtime::Runtime,
    moto: &Moto,
    store: &TestStore,
    (name, orchestrator, roles, intra): Kept,
) -> String {
    // moto's instances never boot: up stops at the SSH wait and keeps what it made.
    let up = clusterctl_moto(
        store,
        moto,
        &[
            "up",
            name,
            "--provider",
            "aws",
            "--orchestrator",
            orchestrator,
            "--nodes",
            "4",
            "--managers",
            "3",
            "--aws-ami",
            "ami-12c6146b",
            "--ssh-timeout",
            "3",
            "--keep-on-error",
        ],
    );
    assert!(up.stderr.contains("Kept"), "{}", up.stderr);
    let id = serde_json::from_str::<serde_json::Value>(
        &std::fs::read_to_string(store.root().join(format!("clusters/{name}/cluster.json")))
            .unwrap(),
    )
    .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let stack = format!("machinectl-{name}");
    let resources = rt.block_on(stack_resources(moto, &stack));
    let count = |kind: &str| resources.values().filter(|(t, _)| t == kind).count();
    assert_eq!(count("AWS::EC2::Instance"), 4, "{resources:?}");
    assert_eq!(
        count("AWS::IAM::Role"),
        usize::from(orchestrator == "consul"),
        "{resources:?}"
    );
    // Every instance carries the cluster's id: consul's auto-join finds its peers by it.
    let tagged = rt.block_on(instances_tagged(moto, "machinectl:cluster-id", &id));
    assert_eq!(tagged.len(), 4);
    let mut seen_roles: Vec<String> = tagged
        .iter()
        .flat_map(|i| i.tags().iter())
        .filter(|t| t.key() == Some("machinectl:role"))
        .map(|t| t.value().unwrap_or_default().to_string())
        .collect();
    seen_roles.sort();
    seen_roles.dedup();
    let mut expected: Vec<String> = roles.iter().map(|r| r.to_string()).collect();
    expected.sort();
    assert_eq!(seen_roles, expected);
    // Each instance boots with its role's user-data (held once in the stack).
    let first = tagged[0].instance_id().unwrap();
    let data = rt.block_on(user_data(moto, first));
    assert!(data.starts_with("#cloud-config\n"), "{data}");
    assert!(
        roles.iter().any(|r| data.contains(&format!("a {r} node"))),
        "{data}"
    );
    let group = &resources["SecurityGroup"].1;
    let rules = rt.block_on(intra_rules(moto, group));
    let (protocol, from, to) = intra;
    assert!(
        rules.contains(&(protocol.to_string(), from, to)),
        "{rules:?}"
    );
    // Nodes are machines of the store, named by their roles.
    let listed = store
        .ok(["ls", "-q", "--filter", &format!("cluster={name}")])
        .stdout;
    assert_eq!(
        listed.lines().filter(|l| l.contains(roles[0])).count(),
        3,
        "{listed}"
    );
    id
}

/// (cluster name, orchestrator, its two roles, one port range between nodes).
type Kept = (
    &'static str,
    &'static str,
    [&'static str; 2],
    (&'static str, i32, i32),
);

#[test]
fn consul_mesos_and_kubernetes_up_and_down_on_aws_against_moto() {
    require_isolation!();
    if !isolated::enter(
        "cluster_matrix::consul_mesos_and_kubernetes_up_and_down_on_aws_against_moto",
    ) {
        return;
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    let moto = Moto::start(&[]);
    let kept: [Kept; 3] = [
        ("cons", "consul", ["server", "client"], ("udp", 8301, 8302)),
        ("meso", "mesos", ["master", "agent"], ("tcp", 2888, 2888)),
        (
            "kube",
            "kubernetes",
            ["control-plane", "worker"],
            ("tcp", 6443, 6443),
        ),
    ];
    for cluster in kept {
        let (name, orchestrator, _, _) = cluster;
        let store = TestStore::new();
        let id = check_kept_stack(&rt, &moto, &store, cluster);
        check_kept_secrets(&store, &moto, name, orchestrator);
        let down = clusterctl_moto(&store, &moto, &["down", name, "-y", "--wait"]);
        assert!(down.success, "{}", down.stderr);
        assert!(
            rt.block_on(instances_tagged(&moto, "machinectl:cluster-id", &id))
                .is_empty()
        );
        let cfn = aws_sdk_cloudformation::Client::new(&moto.sdk_config());
        let live = rt.block_on(cfn.describe_stacks().send()).unwrap();
        assert!(
            live.stacks()
                .iter()
                .all(|s| s.stack_status().map(|x| x.as_str()) == Some("DELETE_COMPLETE")),
            "{name}: a stack is left"
        );
        let keys = rt.block_on(moto.ec2().describe_key_pairs().send()).unwrap();
        assert!(keys.key_pairs().is_empty(), "{name}: the key pair is left");
        assert!(!store.root().join(format!("clusters/{name}")).exists());
    }
}

/// The virtualbox rows: each orchestrator rendered for VirtualBox VMs
/// passes its validators, with no VirtualBox here (render asks it nothing).
/// A node's seed merges its role's user-data into the driver's own (user,
/// key, hostname): that merged cloud-config passes `cloud-init schema` too,
/// for every role. Consul joins by the servers' addresses: go-discover has
/// no VirtualBox provider. The NoCloud seed has no size limit of its own.
#[test]
fn virtualbox_rows_render_artifacts_that_pass_their_validators() {
    let Some(tools) = validators() else {
        return;
    };
    let store = TestStore::new();
    let flags = ["--virtualbox-memory", "2048"];
    for orchestrator in ["swarm", "kubernetes", "consul", "mesos"] {
        let rendered = render_with(&store, "virtualbox", orchestrator, &flags);
        validate(&store, &rendered, &tools, false);
        virtualbox_seeds_pass(&store, &rendered, &tools[1]);
        check_machines_row(&rendered, orchestrator);
        if orchestrator == "consul" {
            let auto_join = rendered.files.values().any(|t| t.contains("provider="));
            assert!(!auto_join, "{}: no cloud auto-join", rendered.label);
        }
    }
    stored_nothing(&store);
}

/// Each role's user-data as a node's seed carries it, through `cloud-init
/// schema`, and on the CIDATA volume the driver writes.
fn virtualbox_seeds_pass(store: &TestStore, rendered: &Rendered, cloud_init: &Path) {
    use machinectl_driver_virtualbox::seed;
    let user = machinectl_driver_api::checked::SshUser::try_from("docker").unwrap();
    for (name, text) in rendered
        .files
        .iter()
        .filter(|(n, _)| n.starts_with("user-data-"))
    {
        let spec = seed::SeedSpec {
            hostname: "demo-node-0",
            user: &user,
            public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKeyOfTheRenderTest render",
            instance_id: "machinectl-demo-node-0-1",
            macs: ["08:00:27:00:00:01", "08:00:27:00:00:02"],
            role_data: Some(text),
            boot_script: None,
        };
        let merged = seed::user_data(&spec).unwrap();
        let path = store
            .dir
            .path()
            .join(&rendered.label)
            .join(format!("seed-{name}"));
        std::fs::write(&path, &merged).unwrap();
        passes(
            cloud_init,
            &["schema", "--config-file"],
            &path,
            &rendered.label,
        );
        let iso = seed::seed_iso(&spec).unwrap();
        assert!(iso.windows(merged.len()).any(|w| w == merged.as_bytes()));
    }
}
