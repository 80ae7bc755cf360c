//! clusterctl with the aws provider. Rendering is checked offline with the
//! real linters; everything that talks to moto runs in an isolated network
//! namespace (moto's instances have addresses that are not ours).

use std::path::Path;
use std::process::Command;

use aws_sdk_ec2::types::Filter;

use crate::common::{Run, TestStore, which};
use crate::isolated::{self, Moto, aws_env};
use crate::require_isolation;

macro_rules! isolate {
    ($name:literal) => {
        require_isolation!();
        if !isolated::enter(concat!("cluster_aws::", $name)) {
            return;
        }
    };
}

/// clusterctl on the test's store, with fake credentials and moto's endpoint.
fn clusterctl_command(store: &TestStore, moto: Option<&Moto>, args: &[&str]) -> Command {
    let mut command = store.command_for("clusterctl");
    command.args(args);
    aws_env(&mut command);
    if let Some(moto) = moto {
        command.env("AWS_ENDPOINT", &moto.endpoint);
    }
    command
}

fn clusterctl(store: &TestStore, moto: Option<&Moto>, args: &[&str]) -> Run {
    Run::from(clusterctl_command(store, moto, args).output().unwrap())
}

fn linter(name: &str) -> Option<std::path::PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(".venv/bin")
        .join(name);
    if venv.is_file() {
        Some(venv)
    } else {
        which(name)
    }
}

/// Every artifact for every orchestrator passes cfn-lint, `cloud-init schema` and shellcheck.
#[test]
fn rendered_artifacts_pass_cfn_lint_cloud_init_schema_and_shellcheck() {
    let tools = [linter("cfn-lint"), which("cloud-init"), which("shellcheck")];
    if tools.iter().any(Option::is_none) {
        let why = "cfn-lint (.venv), cloud-init and shellcheck are needed: run .ci/setup";
        if std::env::var_os("CI").is_some() {
            panic!("{why}");
        }
        eprintln!("skipped: {why}");
        return;
    }
    let [cfn_lint, cloud_init, shellcheck] = tools.map(Option::unwrap);
    let store = TestStore::new();
    let token = regex::Regex::new(r"\b[a-z0-9]{6}\.[a-z0-9]{16}\b").unwrap();
    let hash = regex::Regex::new(r"sha256:[0-9a-f]{64}").unwrap();
    for (orchestrator, ami) in [
        ("swarm", Some("ami-12345678")),
        ("kubernetes", Some("ami-12345678")),
        ("ecs", None),
        ("swarm", None),
    ] {
        let out = store
            .dir
            .path()
            .join(format!("render-{orchestrator}-{}", ami.is_some()));
        let mut args = vec![
            "render",
            "demo",
            "--provider",
            "aws",
            "--nodes",
            "3",
            "--orchestrator",
            orchestrator,
            "--out",
            out.to_str().unwrap(),
        ];
        if let Some(ami) = ami {
            args.extend(["--aws-ami", ami]);
        }
        let run = clusterctl(&store, None, &args);
        assert!(run.success, "{}", run.stderr);
        let lint = Command::new(&cfn_lint)
            .arg("--format")
            .arg("parseable")
            .arg(out.join("stack.yaml"))
            .output()
            .unwrap();
        assert!(
            lint.status.success(),
            "cfn-lint {orchestrator}: {}",
            String::from_utf8_lossy(&lint.stdout)
        );
        let mut user_data = 0;
        let mut scripts = 0;
        for entry in std::fs::read_dir(&out).unwrap().flatten() {
            let path = entry.path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with("user-data-") {
                user_data += 1;
                let schema = Command::new(&cloud_init)
                    .args(["schema", "--config-file"])
                    .arg(&path)
                    .output()
                    .unwrap();
                assert!(
                    schema.status.success(),
                    "{name}: {}{}",
                    String::from_utf8_lossy(&schema.stdout),
                    String::from_utf8_lossy(&schema.stderr)
                );
            } else if name.ends_with(".sh") {
                scripts += 1;
                let check = Command::new(&shellcheck).arg(&path).output().unwrap();
                assert!(
                    check.status.success(),
                    "{name}: {}",
                    String::from_utf8_lossy(&check.stdout)
                );
                // Every script is embedded, byte for byte, in a user-data.
                let script = std::fs::read_to_string(&path).unwrap();
                let first = script.lines().nth(2).unwrap();
                let embedded = std::fs::read_dir(&out).unwrap().flatten().any(|e| {
                    e.file_name().to_string_lossy().starts_with("user-data-")
                        && std::fs::read_to_string(e.path()).unwrap().contains(first)
                });
                assert!(embedded, "{name} is in no user-data");
            }
        }
        let roles = match orchestrator {
            "ecs" => 1,
            _ => 2,
        };
        assert_eq!(user_data, roles, "{orchestrator}");
        assert!(scripts >= 1);
        // No secret in anything a node's metadata service serves: the CA key
        // and join token arrive over SSH; user-data has the CA certificate
        // and the discovery hash (both public) and scripts that wait.
        let stack = std::fs::read_to_string(out.join("stack.yaml")).unwrap();
        for entry in std::fs::read_dir(&out).unwrap().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            assert!(!text.contains("PRIVATE KEY"), "{name} holds a private key");
            assert!(!token.is_match(&text), "{name} holds a join token");
        }
        if orchestrator == "kubernetes" {
            let cp = std::fs::read_to_string(out.join("user-data-control-plane.yaml")).unwrap();
            assert!(cp.contains("/etc/kubernetes/pki/ca.crt") && cp.contains("BEGIN CERTIFICATE"));
            let worker = std::fs::read_to_string(out.join("worker.sh")).unwrap();
            assert!(worker.contains("/etc/machinectl/kube/join.env"), "{worker}");
            assert!(hash.is_match(&worker), "{worker}");
        }
        // Every instance requires IMDSv2 with one hop.
        let parsed: serde_yaml_ng::Value =
            serde_yaml_ng::from_str(&stack.replace('!', "")).unwrap();
        let instances: Vec<_> = parsed["Resources"]
            .as_mapping()
            .unwrap()
            .values()
            .filter(|r| r["Type"].as_str() == Some("AWS::EC2::Instance"))
            .collect();
        assert!(!instances.is_empty());
        for instance in instances {
            let options = &instance["Properties"]["MetadataOptions"];
            assert_eq!(options["HttpTokens"].as_str(), Some("required"), "{stack}");
            assert_eq!(
                options["HttpPutResponseHopLimit"].as_u64(),
                Some(1),
                "{stack}"
            );
        }
    }
    // Render never overwrites.
    let again = clusterctl(
        &store,
        None,
        &[
            "render",
            "demo",
            "--provider",
            "aws",
            "--out",
            store.dir.path().join("render-swarm-true").to_str().unwrap(),
        ],
    );
    assert!(again.one_line_error().contains("exists"));
    assert!(
        !store.root().join("clusters").exists(),
        "render of a new cluster stores nothing"
    );
}

async fn stack_names(moto: &Moto) -> Vec<String> {
    let cfn = aws_sdk_cloudformation::Client::new(&moto.sdk_config());
    let out = cfn.describe_stacks().send().await.unwrap();
    out.stacks()
        .iter()
        .filter(|s| s.stack_status().map(|st| st.as_str()) != Some("DELETE_COMPLETE"))
        .map(|s| s.stack_name().unwrap().to_string())
        .collect()
}

async fn tagged_vpcs(ec2: &aws_sdk_ec2::Client, cluster: &str) -> usize {
    ec2.describe_vpcs()
        .filters(
            Filter::builder()
                .name("tag:machinectl:cluster")
                .values(cluster)
                .build(),
        )
        .send()
        .await
        .unwrap()
        .vpcs()
        .len()
}

#[test]
fn up_makes_a_tagged_stack_rolls_back_or_keeps_and_down_finds_it_by_tag() {
    isolate!("up_makes_a_tagged_stack_rolls_back_or_keeps_and_down_finds_it_by_tag");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let moto = Moto::start(&[]);
    let ec2 = moto.ec2();
    let store = TestStore::new();

    // moto's instances never boot: up stops at the SSH wait and removes everything.
    let up = clusterctl(
        &store,
        Some(&moto),
        &[
            "up",
            "demo",
            "--provider",
            "aws",
            "--nodes",
            "2",
            "--aws-ami",
            "ami-12c6146b",
            "--ssh-timeout",
            "5",
        ],
    );
    let error = up.one_line_error();
    assert!(error.contains("did not answer within 5 s"), "{error}");
    assert!(
        up.stderr.contains("CREATE_COMPLETE"),
        "stack events are shown live:\n{}",
        up.stderr
    );
    assert!(rt.block_on(stack_names(&moto)).is_empty());
    assert_eq!(rt.block_on(tagged_vpcs(&ec2, "demo")), 0);
    assert!(!store.root().join("clusters/demo").exists());
    assert_eq!(store.ok(["ls", "-q"]).stdout, "");

    // With --keep-on-error the stack stays, every resource tagged.
    let up = clusterctl(
        &store,
        Some(&moto),
        &[
            "up",
            "demo",
            "--provider",
            "aws",
            "--nodes",
            "2",
            "--aws-ami",
            "ami-12c6146b",
            "--ssh-timeout",
            "5",
            "--keep-on-error",
        ],
    );
    assert!(!up.success);
    assert_eq!(rt.block_on(stack_names(&moto)), ["machinectl-demo"]);
    assert_eq!(rt.block_on(tagged_vpcs(&ec2, "demo")), 1);
    assert_eq!(rt.block_on(live_instances(&ec2, "demo")), 2);
    rt.block_on(async {
        let keys = ec2
            .describe_key_pairs()
            .filters(
                Filter::builder()
                    .name("tag:machinectl:cluster")
                    .values("demo")
                    .build(),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(keys.key_pairs().len(), 1);
    });
    // Nodes are machines of the store, part of the cluster.
    assert_eq!(
        store.ok(["ls", "-q", "--filter", "cluster=demo"]).stdout,
        "demo-manager-0\ndemo-worker-0\n"
    );
    let status = clusterctl(&store, Some(&moto), &["status", "demo"]);
    assert!(
        status.stdout.contains("demo-manager-0"),
        "{}",
        status.stdout
    );

    // render gives back, byte for byte, the template up submitted.
    let rendered = store.dir.path().join("rendered");
    let render = clusterctl(
        &store,
        Some(&moto),
        &["render", "demo", "--out", rendered.to_str().unwrap()],
    );
    assert!(render.success, "{}", render.stderr);
    let submitted = rt.block_on(async {
        let cfn = aws_sdk_cloudformation::Client::new(&moto.sdk_config());
        let out = cfn
            .get_template()
            .stack_name("machinectl-demo")
            .send()
            .await
            .unwrap();
        out.template_body().unwrap().to_string()
    });
    assert_eq!(
        std::fs::read_to_string(rendered.join("stack.yaml")).unwrap(),
        submitted
    );

    // scale updates the stack in place. A new node that never answers SSH
    // sends the stack back to its old size; with --keep-on-error it stays.
    let scale = |extra: &[&str]| {
        let mut args = vec!["scale", "demo", "--nodes", "3", "--ssh-timeout", "5"];
        args.extend_from_slice(extra);
        clusterctl(&store, Some(&moto), &args)
    };
    let two = ["demo-manager-0", "demo-worker-0"];
    // Ctrl-C once the stack has grown (the new node waits for SSH) is a
    // failure like any other: the stack goes back to its old size.
    let child = clusterctl_command(
        &store,
        Some(&moto),
        &["scale", "demo", "--nodes", "3", "--ssh-timeout", "120"],
    )
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while rt.block_on(stack_instances(&moto, "demo")) < 3 {
        assert!(std::time::Instant::now() < deadline, "the stack never grew");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // SAFETY: kill has no memory-safety preconditions; the pid is our child's.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("interrupted"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Returning the stack to its old size"),
        "{stderr}"
    );
    assert_nodes(&rt, &moto, &store, "demo", &two, &stderr);

    let failed = scale(&[]);
    assert!(
        failed
            .one_line_error()
            .contains("did not answer within 5 s"),
        "{}",
        failed.stderr
    );
    assert!(
        failed.stderr.contains("UPDATE_COMPLETE"),
        "{}",
        failed.stderr
    );
    assert_nodes(&rt, &moto, &store, "demo", &two, &failed.stderr);
    let kept = scale(&["--keep-on-error"]);
    assert!(!kept.success);
    let grown = ["demo-manager-0", "demo-worker-0", "demo-worker-1"];
    assert_nodes(&rt, &moto, &store, "demo", &grown, &kept.stderr);

    // Local state lost: down finds the stack and resources by tag.
    std::fs::remove_dir_all(store.root()).unwrap();
    let lost = clusterctl(&store, Some(&moto), &["down", "demo", "-y"]);
    assert!(
        lost.one_line_error().contains("--provider aws"),
        "{}",
        lost.stderr
    );
    let down = clusterctl(
        &store,
        Some(&moto),
        &[
            "down",
            "demo",
            "-y",
            "--wait",
            "--provider",
            "aws",
            "--aws-region",
            "us-east-1",
        ],
    );
    assert!(down.success, "{}", down.stderr);
    assert!(rt.block_on(stack_names(&moto)).is_empty());
    assert_eq!(rt.block_on(tagged_vpcs(&ec2, "demo")), 0);
    rt.block_on(async {
        let keys = ec2.describe_key_pairs().send().await.unwrap();
        assert!(keys.key_pairs().is_empty());
    });
}

/// Instances of the stack of `cluster`, as CloudFormation counts them:
/// what a stack update added or removed.
async fn stack_instances(moto: &Moto, cluster: &str) -> usize {
    let cfn = aws_sdk_cloudformation::Client::new(&moto.sdk_config());
    let out = cfn
        .describe_stack_resources()
        .stack_name(format!("machinectl-{cluster}"))
        .send()
        .await
        .unwrap();
    out.stack_resources()
        .iter()
        .filter(|r| r.resource_type() == Some("AWS::EC2::Instance"))
        .count()
}

/// The cluster's stack has one instance per node and the store lists
/// exactly `machines` as its nodes (`output` explains a failure).
fn assert_nodes(
    rt: &tokio::runtime::Runtime,
    moto: &Moto,
    store: &TestStore,
    cluster: &str,
    machines: &[&str],
    output: &str,
) {
    assert_eq!(
        rt.block_on(stack_instances(moto, cluster)),
        machines.len(),
        "{output}"
    );
    let listed = store
        .ok(["ls", "-q", "--filter", &format!("cluster={cluster}")])
        .stdout;
    assert_eq!(listed.lines().collect::<Vec<_>>(), machines, "{output}");
}

/// Instances tagged for `cluster` that are pending or running.
async fn live_instances(ec2: &aws_sdk_ec2::Client, cluster: &str) -> usize {
    let instances = ec2
        .describe_instances()
        .filters(
            Filter::builder()
                .name("tag:machinectl:cluster")
                .values(cluster)
                .build(),
        )
        .filters(
            Filter::builder()
                .name("tag:machinectl:managed")
                .values("true")
                .build(),
        )
        .filters(
            Filter::builder()
                .name("instance-state-name")
                .values("running")
                .values("pending")
                .build(),
        )
        .send()
        .await
        .unwrap();
    instances
        .reservations()
        .iter()
        .flat_map(|r| r.instances())
        .count()
}

/// A fresh moto and store holding a two-node cluster kept (--keep-on-error)
/// when its `up` stopped at the SSH wait, as it must: moto's instances never boot.
fn kept_cluster(name: &str, orchestrator: &str) -> (tokio::runtime::Runtime, Moto, TestStore) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let moto = Moto::start(&[]);
    let store = TestStore::new();
    let up = clusterctl(
        &store,
        Some(&moto),
        &[
            "up",
            name,
            "--provider",
            "aws",
            "--orchestrator",
            orchestrator,
            "--nodes",
            "2",
            "--aws-ami",
            "ami-12c6146b",
            "--ssh-timeout",
            "3",
            "--keep-on-error",
        ],
    );
    assert!(!up.success);
    assert!(up.stderr.contains("Kept"), "{}", up.stderr);
    (rt, moto, store)
}

#[test]
fn ecs_up_makes_the_cluster_visible_and_down_removes_it() {
    isolate!("ecs_up_makes_the_cluster_visible_and_down_removes_it");
    let (rt, moto, store) = kept_cluster("svc", "ecs");
    let ecs = aws_sdk_ecs::Client::new(&moto.sdk_config());
    let active = |rt: &tokio::runtime::Runtime| {
        rt.block_on(async {
            let out = ecs
                .describe_clusters()
                .clusters("machinectl-svc")
                .send()
                .await
                .unwrap();
            out.clusters()
                .iter()
                .filter(|c| c.status() == Some("ACTIVE"))
                .count()
        })
    };
    assert_eq!(active(&rt), 1);
    let status = clusterctl(&store, Some(&moto), &["status", "svc"]);
    assert!(
        status.stdout.contains("container instance(s) registered"),
        "{}{}",
        status.stdout,
        status.stderr
    );
    let down = clusterctl(&store, Some(&moto), &["down", "svc", "-y", "--wait"]);
    assert!(down.success, "{}", down.stderr);
    assert_eq!(active(&rt), 0);
    assert!(rt.block_on(stack_names(&moto)).is_empty());
}

/// A kept Kubernetes cluster whose nodes never booted: status asks the API
/// server of the first control plane (as cluster admin) and says why it has
/// no answer, scale changes nothing without it, and down removes the stack.
#[test]
fn kubernetes_status_and_scale_ask_the_api_server_and_say_why_they_cannot() {
    isolate!("kubernetes_status_and_scale_ask_the_api_server_and_say_why_they_cannot");
    let (rt, moto, store) = kept_cluster("kube", "kubernetes");
    let status = clusterctl(&store, Some(&moto), &["status", "kube"]);
    assert!(status.success, "{}", status.stderr);
    assert!(
        status.stdout.contains("KUBERNETES ROLE") && status.stdout.contains("kube-control-plane-0"),
        "{}",
        status.stdout
    );
    // The isolated namespace has no route to the instance's address, so the
    // API server cannot answer; status names where it asked.
    let warning = status
        .stderr
        .lines()
        .find(|l| l.contains("orchestrator health unknown"))
        .unwrap_or_else(|| panic!("no health warning: {}", status.stderr));
    assert!(warning.contains(":6443"), "{warning}");
    // scale needs the API server first (the join token is renewed before new
    // nodes boot; leaving nodes are looked up), so nothing changes without it.
    for (nodes, why) in [("3", "renew the bootstrap token"), ("1", "did not answer")] {
        let scale = clusterctl(&store, Some(&moto), &["scale", "kube", "--nodes", nodes]);
        let error = scale.one_line_error();
        assert!(error.contains(why) && error.contains(":6443"), "{error}");
        let nodes = ["kube-control-plane-0", "kube-worker-0"];
        assert_nodes(&rt, &moto, &store, "kube", &nodes, &scale.stderr);
    }
    let down = clusterctl(&store, Some(&moto), &["down", "kube", "-y", "--wait"]);
    assert!(down.success, "{}", down.stderr);
    assert!(rt.block_on(stack_names(&moto)).is_empty());
}

/// A stack that fails: moto refuses it at CreateStack (it creates
/// synchronously, so there are no CREATE_FAILED events to stream); up
/// reports the failing resource's reason, then rolls back: no stack, no
/// tagged resource, no key pair, no record.
#[test]
fn failed_stack_reports_why_and_rolls_back() {
    isolate!("failed_stack_reports_why_and_rolls_back");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let moto = Moto::start(&[("MOTO_EC2_ENABLE_INSTANCE_TYPE_VALIDATION", "1")]);
    let ec2 = moto.ec2();
    let store = TestStore::new();
    let up = clusterctl(
        &store,
        Some(&moto),
        &[
            "up",
            "bad",
            "--provider",
            "aws",
            "--aws-ami",
            "ami-12c6146b",
            "--aws-instance-type",
            "t9.bogus",
            "--ssh-timeout",
            "3",
        ],
    );
    let error = up.one_line_error();
    assert!(
        error.contains("CreateStack machinectl-bad") && error.contains("t9.bogus"),
        "{error}"
    );
    assert!(
        up.stderr.contains("Removing what this up made"),
        "{}",
        up.stderr
    );
    assert!(rt.block_on(stack_names(&moto)).is_empty());
    assert_eq!(rt.block_on(tagged_vpcs(&ec2, "bad")), 0);
    rt.block_on(async {
        assert!(
            ec2.describe_key_pairs()
                .send()
                .await
                .unwrap()
                .key_pairs()
                .is_empty()
        );
    });
    assert!(!store.root().join("clusters/bad").exists());
}

/// The id a store recorded for its cluster.
fn cluster_id(store: &TestStore, name: &str) -> String {
    let id = store.cluster_id(name);
    assert_eq!(id.len(), 12, "{id}");
    id
}

async fn tagged_instances(ec2: &aws_sdk_ec2::Client, key: &str, value: &str) -> usize {
    ec2.describe_instances()
        .filters(
            Filter::builder()
                .name(format!("tag:{key}"))
                .values(value)
                .build(),
        )
        .filters(
            Filter::builder()
                .name("instance-state-name")
                .values("running")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .reservations()
        .iter()
        .flat_map(|r| r.instances())
        .count()
}

/// The data-loss case: the same cluster name from a second store (another
/// laptop, CI). Its up is refused before it makes anything, so the first
/// cluster keeps its stack and instances. Without local state, down finds
/// clusters by tag, names what it will delete, refuses when two clusters
/// share the name, and removes only the one --cluster-id picks.
#[test]
fn a_second_store_cannot_take_a_cluster_name_and_down_removes_only_one_id() {
    isolate!("a_second_store_cannot_take_a_cluster_name_and_down_removes_only_one_id");
    let (rt, moto, first) = kept_cluster("dup", "swarm");
    let ec2 = moto.ec2();
    let id = cluster_id(&first, "dup");
    let status = clusterctl(&first, Some(&moto), &["status", "dup"]);
    assert!(
        status.stdout.contains(&format!("Cluster dup (id {id})")),
        "{}",
        status.stdout
    );
    // Every instance carries the cluster's id.
    assert_eq!(
        rt.block_on(tagged_instances(&ec2, "machinectl:cluster-id", &id)),
        2
    );

    let second = TestStore::new();
    let up = clusterctl(
        &second,
        Some(&moto),
        &[
            "up",
            "dup",
            "--provider",
            "aws",
            "--nodes",
            "2",
            "--aws-ami",
            "ami-12c6146b",
            "--ssh-timeout",
            "3",
        ],
    );
    let error = up.one_line_error();
    assert!(
        error.contains("already exists")
            && error.contains(&id)
            && error.contains("stack machinectl-dup"),
        "{error}"
    );
    assert_eq!(rt.block_on(stack_names(&moto)), ["machinectl-dup"]);
    assert_eq!(rt.block_on(live_instances(&ec2, "dup")), 2);
    assert!(!second.root().join("clusters/dup").exists());

    // Another cluster of the same name left a key pair behind (another
    // region's tooling, a crash): two ids now share the name.
    rt.block_on(async {
        let tag = |k: &str, v: &str| aws_sdk_ec2::types::Tag::builder().key(k).value(v).build();
        ec2.import_key_pair()
            .key_name("stray-dup")
            .public_key_material(aws_sdk_ec2::primitives::Blob::new(
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEuOBOJ3Ao5ZUChXsy8k7O76tsoYIjnFjsZ3zhzrtzgT stray",
            ))
            .tag_specifications(
                aws_sdk_ec2::types::TagSpecification::builder()
                    .resource_type(aws_sdk_ec2::types::ResourceType::KeyPair)
                    .tags(tag("machinectl:cluster", "dup"))
                    .tags(tag("machinectl:cluster-id", "0123456789ab"))
                    .build(),
            )
            .send()
            .await
            .unwrap();
    });
    let down = clusterctl(
        &second,
        Some(&moto),
        &["down", "dup", "-y", "--provider", "aws"],
    );
    let error = down.one_line_error();
    assert!(
        error.contains("2 clusters are named dup")
            && error.contains(&id)
            && error.contains("0123456789ab")
            && error.contains("--cluster-id"),
        "{error}"
    );
    assert_eq!(rt.block_on(stack_names(&moto)), ["machinectl-dup"]);

    let down = clusterctl(
        &second,
        Some(&moto),
        &[
            "down",
            "dup",
            "-y",
            "--provider",
            "aws",
            "--cluster-id",
            "0123456789ab",
        ],
    );
    assert!(down.success, "{}", down.stderr);
    assert!(
        down.stderr.contains("key pair stray-dup"),
        "{}",
        down.stderr
    );
    assert_eq!(rt.block_on(stack_names(&moto)), ["machinectl-dup"]);
    assert_eq!(rt.block_on(live_instances(&ec2, "dup")), 2);

    // One cluster left: without -y and a terminal, down lists what it would
    // delete and refuses; with -y it deletes exactly that.
    let listed = clusterctl(&second, Some(&moto), &["down", "dup", "--provider", "aws"]);
    assert!(listed.one_line_error().contains("-y"), "{}", listed.stderr);
    assert!(
        listed.stderr.contains(&format!("Cluster dup (id {id})"))
            && listed.stderr.contains("stack machinectl-dup")
            && listed.stderr.contains("key pair machinectl-cluster-dup")
            && listed.stderr.contains("2 instance(s)"),
        "{}",
        listed.stderr
    );
    assert_eq!(rt.block_on(stack_names(&moto)), ["machinectl-dup"]);
    let down = clusterctl(
        &second,
        Some(&moto),
        &["down", "dup", "-y", "--provider", "aws", "--wait"],
    );
    assert!(down.success, "{}", down.stderr);
    assert!(rt.block_on(stack_names(&moto)).is_empty());
    assert_eq!(rt.block_on(live_instances(&ec2, "dup")), 0);
}

/// Values from a cluster file or flags cannot change the stack's structure:
/// they are checked where they enter, and nothing is rendered.
#[test]
fn injected_spec_values_are_refused_before_anything_is_written() {
    let store = TestStore::new();
    let out = store.dir.path().join("out");
    let file = store.dir.path().join("cluster.yaml");
    std::fs::write(
        &file,
        "apiVersion: clusterctl.machinectl.io/v1\nkind: Cluster\nspec:\n  provider: aws\n  aws:\n    instanceType: \"t3.small\\\"\\n      IamInstanceProfile: \\\"AdminProfile\"\n",
    )
    .unwrap();
    let render = clusterctl(
        &store,
        None,
        &[
            "render",
            "evil",
            "-f",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let error = render.one_line_error();
    assert!(
        error.contains("invalid instance type") && error.contains("line 6"),
        "{error}"
    );
    assert!(!out.exists());
    for (flag, value, what) in [
        (
            "--allowed-cidr",
            "0.0.0.0/0\"\n        - IpProtocol: \"-1",
            "invalid CIDR",
        ),
        ("--aws-zone", "a\"\nEvil: x", "invalid zone"),
        ("--aws-ami", "ami-1\" }", "invalid AMI id"),
        ("--aws-region", "us-east-1\"", "invalid AWS region"),
    ] {
        let render = clusterctl(
            &store,
            None,
            &[
                "render",
                "evil",
                "--provider",
                "aws",
                flag,
                value,
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert!(!render.success, "{flag} accepted");
        assert!(render.stderr.contains(what), "{flag}: {}", render.stderr);
        assert!(!out.exists());
    }
}
