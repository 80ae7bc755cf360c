//! The aws driver against moto's server, every test inside its own network
//! namespace with only loopback: moto hands out addresses that are not ours.

use std::time::{Duration, Instant};

use aws_sdk_ec2::types::Filter;

use crate::common::{Run, TestStore};
use crate::isolated::{self, Moto, aws_env};
use crate::require_isolation;

/// `isolated::enter` for a test of this module by its function name.
macro_rules! isolate {
    ($name:literal) => {
        require_isolation!();
        if !isolated::enter(concat!("aws::", $name)) {
            return;
        }
    };
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap()
}

/// What most tests here start from: a runtime, moto (with `env`), a client
/// for the test's own checks, an AMI moto knows, and a store of its own.
struct Fixture {
    rt: tokio::runtime::Runtime,
    moto: Moto,
    ec2: aws_sdk_ec2::Client,
    ami: String,
    store: TestStore,
}

fn fixture(env: &[(&str, &str)]) -> Fixture {
    let rt = runtime();
    let moto = Moto::start(env);
    let ec2 = moto.ec2();
    let ami = rt.block_on(some_ami(&ec2));
    Fixture {
        rt,
        moto,
        ec2,
        ami,
        store: TestStore::new(),
    }
}

fn machinectl(store: &TestStore, moto: &Moto, args: &[&str]) -> Run {
    let mut command = store.command();
    aws_env(&mut command);
    command.args(args);
    if args.contains(&"create") {
        command.args(["--aws-endpoint", &moto.endpoint]);
    }
    Run::from(command.output().unwrap())
}

/// A create on moto kept when it stops at the SSH wait (moto's instances
/// never boot): `extra` adds flags and names the machine(s).
fn create_kept(store: &TestStore, moto: &Moto, ami: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "create",
        "-d",
        "aws",
        "--aws-ami",
        ami,
        "--ssh-timeout",
        "3",
        "--keep-on-error",
    ];
    args.extend_from_slice(extra);
    machinectl(store, moto, &args)
}

/// An AMI moto knows.
pub(crate) async fn some_ami(ec2: &aws_sdk_ec2::Client) -> String {
    let images = ec2.describe_images().send().await.unwrap();
    images.images()[0].image_id().unwrap().to_string()
}

fn tag_map(tags: &[aws_sdk_ec2::types::Tag]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = tags
        .iter()
        .map(|t| {
            (
                t.key().unwrap_or_default().into(),
                t.value().unwrap_or_default().into(),
            )
        })
        .collect();
    pairs.sort();
    pairs
}

fn assert_machine_tags(tags: &[aws_sdk_ec2::types::Tag], name: &str, what: &str) {
    let tags = tag_map(tags);
    for (k, v) in [("machinectl:machine", name), ("machinectl:managed", "true")] {
        assert!(
            tags.contains(&(k.to_string(), v.to_string())),
            "{what} tags {tags:?}"
        );
    }
}

/// Live instances, key pairs and security groups machinectl made.
/// The instance's user-data, decoded.
async fn user_data(ec2: &aws_sdk_ec2::Client, instance_id: &str) -> Option<String> {
    let out = ec2
        .describe_instance_attribute()
        .instance_id(instance_id)
        .attribute(aws_sdk_ec2::types::InstanceAttributeName::UserData)
        .send()
        .await
        .expect("DescribeInstanceAttribute userData");
    let encoded = out.user_data()?.value()?;
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .expect("user-data is base64");
    Some(String::from_utf8(bytes).expect("user-data is text"))
}

pub(crate) async fn leftovers(ec2: &aws_sdk_ec2::Client) -> (usize, usize, usize) {
    let instances = ec2.describe_instances().send().await.unwrap();
    let live = instances
        .reservations()
        .iter()
        .flat_map(|r| r.instances())
        .filter(|i| i.state().and_then(|s| s.name()).map(|n| n.as_str()) != Some("terminated"))
        .count();
    let keys = ec2.describe_key_pairs().send().await.unwrap();
    let keys = keys
        .key_pairs()
        .iter()
        .filter(|k| k.key_name().unwrap_or_default().starts_with("machinectl-"))
        .count();
    let groups = ec2
        .describe_security_groups()
        .filters(
            Filter::builder()
                .name("group-name")
                .values("machinectl")
                .build(),
        )
        .send()
        .await
        .unwrap();
    (live, keys, groups.security_groups().len())
}

#[test]
fn ssh_timeout_rolls_back_everything_and_keep_on_error_keeps_it_for_rm() {
    isolate!("ssh_timeout_rolls_back_everything_and_keep_on_error_keeps_it_for_rm");
    let Fixture {
        rt,
        moto,
        ec2,
        ami,
        store,
    } = fixture(&[]);

    // moto's instances never boot: the SSH wait fails, and everything made is removed.
    let run = machinectl(
        &store,
        &moto,
        &[
            "create",
            "-d",
            "amazonec2",
            "--aws-ami",
            &ami,
            "--ssh-timeout",
            "5",
            "--aws-tags",
            "team=it",
            "web",
        ],
    );
    let error = run.one_line_error();
    assert!(error.contains("did not answer within 5 s"), "{error}");
    assert!(!store.machine_dir("web").exists());
    assert_eq!(
        rt.block_on(leftovers(&ec2)),
        (0, 0, 0),
        "create left resources behind"
    );

    // With --keep-on-error they stay, tagged and recorded.
    let run = machinectl(
        &store,
        &moto,
        &[
            "--debug",
            "create",
            "-d",
            "aws",
            "--aws-ami",
            &ami,
            "--ssh-timeout",
            "5",
            "--aws-tags",
            "team=it",
            "--aws-allowed-cidr",
            "203.0.113.0/24",
            "--keep-on-error",
            "web",
        ],
    );
    assert!(!run.success);
    let calls = run
        .stderr
        .lines()
        .find(|l| l.contains("EC2 API calls so far:"))
        .unwrap_or_else(|| panic!("no call count in:\n{}", run.stderr));
    // A figure for the notes (`cargo test -- --nocapture aws::`), not a limit.
    eprintln!("create (up to the SSH wait): {calls}");
    assert_eq!(rt.block_on(leftovers(&ec2)), (1, 1, 1));
    let record = store.inspect("web");
    assert_eq!(record["state"], "Error");
    let resources = &record["driver"]["resources"];
    let instance_id = resources["instance_id"].as_str().unwrap().to_string();
    let key_name = resources["imported_key_pair"].as_str().unwrap().to_string();
    let group_id = resources["security_group_id"].as_str().unwrap().to_string();

    rt.block_on(async {
        let out = ec2
            .describe_instances()
            .instance_ids(&instance_id)
            .send()
            .await
            .unwrap();
        let instance = &out.reservations()[0].instances()[0];
        assert_machine_tags(instance.tags(), "web", "instance");
        assert!(tag_map(instance.tags()).contains(&("team".into(), "it".into())));
        assert!(tag_map(instance.tags()).contains(&("Name".into(), "web".into())));
        assert_eq!(instance.key_name(), Some(key_name.as_str()));
        assert_eq!(
            instance.instance_type().map(|t| t.as_str()),
            Some("t3.small")
        );
        // IMDSv2 only, one hop: containers cannot reach the metadata service.
        let metadata = instance.metadata_options().expect("metadata options");
        assert_eq!(
            metadata.http_tokens(),
            Some(&aws_sdk_ec2::types::HttpTokensState::Required)
        );
        assert_eq!(metadata.http_put_response_hop_limit(), Some(1));

        let keys = ec2
            .describe_key_pairs()
            .key_names(&key_name)
            .include_public_key(true)
            .send()
            .await
            .unwrap();
        let key = &keys.key_pairs()[0];
        assert_machine_tags(key.tags(), "web", "key pair");
        // ImportKeyPair carried the machine's own public key.
        let ours =
            std::fs::read_to_string(store.machine_dir("web").join("id_ed25519.pub")).unwrap();
        let ours_body = ours.split_whitespace().nth(1).unwrap();
        if let Some(material) = key.public_key() {
            assert!(material.contains(ours_body), "{material} vs {ours}");
        }

        let groups = ec2
            .describe_security_groups()
            .group_ids(&group_id)
            .send()
            .await
            .unwrap();
        let group = &groups.security_groups()[0];
        assert_machine_tags(group.tags(), "web", "security group");
        let ports: Vec<i32> = group
            .ip_permissions()
            .iter()
            .filter_map(|p| p.from_port())
            .collect();
        assert!(ports.contains(&22) && ports.contains(&2376), "{ports:?}");
        // Open to --aws-allowed-cidr only.
        for permission in group.ip_permissions() {
            let cidrs: Vec<&str> = permission
                .ip_ranges()
                .iter()
                .filter_map(|r| r.cidr_ip())
                .collect();
            assert_eq!(cidrs, ["203.0.113.0/24"], "{permission:?}");
        }
    });

    // A second machine reuses the machinectl group; each boots installing
    // the engine from its install URL, quoted for the shell.
    let odd_url = "https://example.test/i.sh?a=1&b=2";
    let second = create_kept(
        &store,
        &moto,
        &ami,
        &["--engine-install-url", odd_url, "web2"],
    );
    assert!(!second.success);
    let second_id = store.inspect("web2")["driver"]["resources"]["instance_id"]
        .as_str()
        .unwrap()
        .to_string();
    for (id, url) in [
        (&instance_id, "https://get.docker.com"),
        (&second_id, odd_url),
    ] {
        let data = rt.block_on(user_data(&ec2, id));
        crate::common::assert_boot_install_script(data.as_deref(), url);
    }
    assert_eq!(
        store.inspect("web2")["driver"]["resources"]["security_group_id"],
        group_id.as_str()
    );
    assert_eq!(rt.block_on(leftovers(&ec2)), (2, 2, 1));
    // rm of one takes only its own instance and key pair, and keeps the
    // group the other instance still uses (on its network interface).
    let rm = machinectl(&store, &moto, &["rm", "-y", "web2"]);
    assert!(rm.success, "{}", rm.stderr);
    assert_eq!(
        rt.block_on(leftovers(&ec2)),
        (1, 1, 1),
        "rm of web2 took web's instance, key or security group"
    );

    let rm = machinectl(&store, &moto, &["--debug", "rm", "-y", "web"]);
    assert!(rm.success, "{}", rm.stderr);
    let calls = rm
        .stderr
        .lines()
        .find(|l| l.contains("EC2 API calls so far:"))
        .unwrap_or_else(|| panic!("no call count in:\n{}", rm.stderr));
    eprintln!("rm: {calls}");
    assert_eq!(
        rt.block_on(leftovers(&ec2)),
        (0, 0, 0),
        "rm left resources behind"
    );
    assert!(!store.machine_dir("web").exists());
}

#[test]
fn run_instances_failure_rolls_back_key_pair_and_group() {
    isolate!("run_instances_failure_rolls_back_key_pair_and_group");
    let Fixture {
        rt,
        moto,
        ec2,
        ami,
        store,
    } = fixture(&[("MOTO_EC2_ENABLE_INSTANCE_TYPE_VALIDATION", "1")]);
    let run = machinectl(
        &store,
        &moto,
        &[
            "create",
            "-d",
            "aws",
            "--aws-ami",
            &ami,
            "--aws-instance-type",
            "t9.nonexistent",
            "--ssh-timeout",
            "5",
            "bad",
        ],
    );
    let error = run.one_line_error();
    assert!(error.contains("RunInstances"), "{error}");
    assert_eq!(rt.block_on(leftovers(&ec2)), (0, 0, 0));
    assert!(!store.machine_dir("bad").exists());
}

#[test]
fn default_ami_comes_from_ssm_or_a_clear_error() {
    isolate!("default_ami_comes_from_ssm_or_a_clear_error");
    let rt = runtime();
    let moto = Moto::start(&[]);
    let store = TestStore::new();
    let run = machinectl(
        &store,
        &moto,
        &["create", "-d", "aws", "--ssh-timeout", "5", "noami"],
    );
    let error = run.one_line_error();
    // Either moto knows Canonical's parameter (then the SSH wait fails), or we say how to go on.
    assert!(
        error.contains("pass --aws-ami") || error.contains("did not answer within 5 s"),
        "{error}"
    );
    assert_eq!(rt.block_on(leftovers(&moto.ec2())), (0, 0, 0));
}

#[test]
fn stop_start_kill_and_rm_move_the_instance_through_its_states() {
    isolate!("stop_start_kill_and_rm_move_the_instance_through_its_states");
    let Fixture {
        rt,
        moto,
        ec2,
        ami,
        store,
    } = fixture(&[]);
    let run = create_kept(&store, &moto, &ami, &["--aws-use-private-address", "st"]);
    assert!(!run.success);
    let id = store.inspect("st")["driver"]["resources"]["instance_id"]
        .as_str()
        .unwrap()
        .to_string();
    let state = |rt: &tokio::runtime::Runtime| {
        rt.block_on(async {
            let out = ec2
                .describe_instances()
                .instance_ids(&id)
                .send()
                .await
                .unwrap();
            out.reservations()[0].instances()[0]
                .state()
                .unwrap()
                .name()
                .unwrap()
                .as_str()
                .to_string()
        })
    };
    let status = |store: &TestStore| {
        machinectl(store, &moto, &["status", "st"])
            .stdout
            .trim()
            .to_string()
    };
    assert_eq!(state(&rt), "running");
    assert_eq!(status(&store), "Running");
    let stop = machinectl(&store, &moto, &["stop", "st"]);
    assert!(stop.success, "{}", stop.stderr);
    assert_eq!(state(&rt), "stopped");
    assert_eq!(status(&store), "Stopped");
    let start = machinectl(&store, &moto, &["start", "st"]);
    assert!(start.success, "{}", start.stderr);
    assert_eq!(state(&rt), "running");
    let kill = machinectl(&store, &moto, &["kill", "st"]);
    assert!(kill.success, "{}", kill.stderr);
    assert_eq!(state(&rt), "stopped");
    let ls = machinectl(&store, &moto, &["ls", "--timeout", "5"]);
    assert!(
        ls.stdout
            .lines()
            .any(|l| l.starts_with("st ") && l.contains("Stopped")),
        "{}",
        ls.stdout
    );
    let rm = machinectl(&store, &moto, &["rm", "-y", "st"]);
    assert!(rm.success, "{}", rm.stderr);
    assert_eq!(state(&rt), "terminated");
    assert_eq!(rt.block_on(leftovers(&ec2)), (0, 0, 0));
}

/// When the provider cannot be reached, rm keeps the record (nothing is
/// orphaned silently) and says how to go on; rm -f then drops the record
/// and names what was left behind.
#[test]
fn rm_keeps_the_record_when_the_provider_fails_and_rm_f_drops_it() {
    isolate!("rm_keeps_the_record_when_the_provider_fails_and_rm_f_drops_it");
    let Fixture {
        moto, ami, store, ..
    } = fixture(&[]);
    let run = create_kept(&store, &moto, &ami, &["orphan"]);
    assert!(!run.success);
    assert!(store.machine_dir("orphan").exists());
    // The provider goes away: its endpoint now refuses connections.
    drop(moto);
    let rm = |args: &[&str]| {
        let mut command = store.command();
        aws_env(&mut command);
        Run::from(command.args(args).output().unwrap())
    };
    let kept = rm(&["rm", "-y", "orphan"]);
    assert!(!kept.success, "{}", kept.stderr);
    assert!(kept.stderr.contains("rm -f orphan"), "{}", kept.stderr);
    let record = store.inspect("orphan");
    assert_eq!(record["state"], "Error");
    assert!(
        record["driver"]["resources"]["instance_id"].is_string(),
        "{record}"
    );
    let forced = rm(&["rm", "-y", "-f", "orphan"]);
    assert!(forced.success, "{}", forced.stderr);
    assert!(
        forced.stderr.contains("left behind: instance i-"),
        "{}",
        forced.stderr
    );
    assert!(!store.machine_dir("orphan").exists());
}

/// The whole path: moto makes the instance, a namespace host takes its
/// private address, and SSH provisioning and the TLS check run for real.
#[test]
fn whole_path_with_a_namespace_host_at_the_instance_address() {
    crate::require_hosts!();
    isolate!("whole_path_with_a_namespace_host_at_the_instance_address");
    let Fixture {
        rt,
        moto,
        ec2,
        ami,
        store,
    } = fixture(&[]);

    let mut command = store.command();
    aws_env(&mut command);
    command.args([
        "create",
        "-d",
        "aws",
        "--aws-ami",
        &ami,
        "--aws-use-private-address",
        "--aws-ssh-user",
        "root",
        "--ssh-timeout",
        "120",
        "--aws-endpoint",
        &moto.endpoint,
        "real",
    ]);
    let mut create = command.spawn().unwrap();

    // Wait for the record to name the instance's private address and the machine's key.
    let deadline = Instant::now() + Duration::from_secs(60);
    let (ip, subnet_id) = loop {
        assert!(
            Instant::now() < deadline,
            "the instance never got an address"
        );
        if let Ok(text) = std::fs::read_to_string(store.machine_dir("real").join("machine.json")) {
            let record: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
            let resources = &record["driver"]["resources"];
            if let (Some(ip), Some(subnet)) = (
                resources["private_ip"].as_str(),
                resources["subnet_id"].as_str(),
            ) {
                break (ip.to_string(), subnet.to_string());
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let cidr = rt.block_on(async {
        let out = ec2
            .describe_subnets()
            .subnet_ids(&subnet_id)
            .send()
            .await
            .unwrap();
        out.subnets()[0].cidr_block().unwrap().to_string()
    });
    let public_key =
        std::fs::read_to_string(store.machine_dir("real").join("id_ed25519.pub")).unwrap();
    let spec = machinectl_driver_local::HostSpec {
        hostname: "instance".into(),
        root_dir: store.dir.path().join("instance-host"),
        subnet: cidr.parse().unwrap(),
        authorized_key: public_key,
        ip: Some(ip.parse().unwrap()),
    };
    let host = machinectl_driver_local::host::bring_up(&spec).expect("bring up the stand-in host");

    let status = create.wait().unwrap();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        assert!(status.success(), "create failed");
        let version = store.docker("real", &["version", "--format", "{{.Server.Version}}"]);
        assert!(version.success, "{}", version.stderr);
        assert_eq!(
            store.ok(["ssh", "real", "--", "hostname"]).stdout.trim(),
            "real"
        );
        let rm = machinectl(&store, &moto, &["rm", "-y", "real"]);
        assert!(rm.success, "{}", rm.stderr);
        assert_eq!(rt.block_on(leftovers(&ec2)), (0, 0, 0));
    }));
    machinectl_driver_local::host::teardown(&host).unwrap();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

/// Against real AWS, only when asked: `MACHINECTL_LIVE_AWS=1 cargo test
/// -- --ignored live_aws` with credentials. Ignored, never a silent pass.
#[test]
#[ignore = "creates a real EC2 instance: set MACHINECTL_LIVE_AWS=1 with credentials and run with --ignored"]
fn live_aws_create_and_rm() {
    assert_eq!(
        std::env::var("MACHINECTL_LIVE_AWS").as_deref(),
        Ok("1"),
        "set MACHINECTL_LIVE_AWS=1 with AWS credentials to create a real instance"
    );
    let store = TestStore::new();
    let mut create = store.command();
    create.args(["create", "-d", "aws", "live-it"]);
    let run = Run::from(create.output().unwrap());
    let mut rm = store.command();
    rm.args(["rm", "-y", "live-it"]);
    let removed = Run::from(rm.output().unwrap());
    assert!(run.success, "{}", run.stderr);
    assert!(removed.success, "{}", removed.stderr);
}

/// Several machines with one create in a fresh VPC: every create finds no
/// machinectl group and makes one at the same moment; the one refused as a
/// duplicate takes the other's, so all share one group and none fails for it.
#[test]
fn machines_made_together_share_one_security_group() {
    isolate!("machines_made_together_share_one_security_group");
    let Fixture {
        rt,
        moto,
        ec2,
        ami,
        store,
    } = fixture(&[]);
    let run = create_kept(&store, &moto, &ami, &["--count", "3", "--prefix", "pair"]);
    // moto's instances never boot: every create stops at the SSH wait, kept.
    assert!(!run.success);
    assert!(!run.stderr.contains("Duplicate"), "{}", run.stderr);
    let groups: Vec<serde_json::Value> = (1..=3)
        .map(|i| {
            store.inspect(&format!("pair-{i}"))["driver"]["resources"]["security_group_id"].clone()
        })
        .collect();
    assert!(groups[0].is_string(), "{groups:?}");
    assert!(groups.iter().all(|g| *g == groups[0]), "{groups:?}");
    assert_eq!(rt.block_on(leftovers(&ec2)), (3, 3, 1));
    let rm = machinectl(&store, &moto, &["rm", "-y", "pair-1", "pair-2", "pair-3"]);
    assert!(rm.success, "{}", rm.stderr);
    assert_eq!(rt.block_on(leftovers(&ec2)), (0, 0, 0));
}
