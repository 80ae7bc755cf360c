//! The azure driver against a fake Azure Resource Manager and token
//! endpoint ([`fake`]) that binds 127.0.0.1 only and holds every request to
//! Azure's published resource schemas ([`schema`]): paths, `api-version`,
//! the bearer token of a client-credentials grant, and every PUT body key
//! by key. It plays the long-running-operation protocol, 429 with
//! `Retry-After`, Azure's error bodies, references and `InUse` refusals.
//!
//! The whole-path test runs in a network namespace of its own with only
//! loopback, where the fake hands out a public address and the test stands
//! one of its namespace hosts up there: create → env → docker over TLS →
//! power verbs → rm. The other tests hand out loopback addresses (nothing
//! listens on port 22 there, so SSH fails at once) and need no isolation.

pub(crate) mod fake;
pub(crate) mod schema;

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{Run, TestStore};
use crate::isolated;
use fake::{CLIENT, Failure, Fake, SECRET, SUBSCRIPTION, TENANT, TOKEN};
use schema::{Kind, Specs};

pub(crate) fn specs() -> Arc<Specs> {
    static SPECS: OnceLock<Arc<Specs>> = OnceLock::new();
    SPECS.get_or_init(|| Arc::new(Specs::load())).clone()
}

pub(crate) use crate::http_fake::summary;

/// machinectl with the fake's endpoints and the service principal in the
/// environment; neither the secret nor the token may ever be printed.
fn machinectl(store: &TestStore, fake: &Fake, args: &[&str]) -> Run {
    let mut command = store.command();
    azure_env(&mut command, fake);
    command.args(args);
    checked_run(command, args)
}

pub(crate) fn azure_env(command: &mut Command, fake: &Fake) {
    command
        .env("AZURE_TENANT_ID", TENANT)
        .env("AZURE_CLIENT_ID", CLIENT)
        .env("AZURE_CLIENT_SECRET", SECRET)
        .env("AZURE_SUBSCRIPTION_ID", SUBSCRIPTION)
        .env("AZURE_ENDPOINT", &fake.server.url)
        .env("AZURE_LOGIN_ENDPOINT", &fake.server.url)
        .env_remove("AZURE_CLIENT_CERTIFICATE_PATH")
        .env_remove("AZURE_ENVIRONMENT");
}

pub(crate) fn checked_run(mut command: Command, args: &[&str]) -> Run {
    let run = Run::from(command.output().unwrap());
    run.assert_hides(&[SECRET, TOKEN], args);
    run
}

fn record(store: &TestStore, name: &str) -> Value {
    store.record_hiding(name, &[SECRET, TOKEN])
}

/// Create against the fake, keeping the machine when SSH fails (nothing
/// listens on port 22 at the loopback address the fake hands out).
fn create_kept(store: &TestStore, fake: &Fake, name: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "create",
        "-d",
        "azure",
        "--ssh-timeout",
        "1",
        "--keep-on-error",
    ];
    args.extend_from_slice(extra);
    args.push(name);
    machinectl(store, fake, &args)
}

pub(crate) fn assert_clean(fake: &Fake) {
    let violations = fake.violations();
    assert!(
        violations.is_empty(),
        "requests that break Azure's published API:\n{}\n\nall requests:\n{}",
        violations.join("\n"),
        summary(&fake.server.requests())
    );
}

/// The PUT bodies sent for a resource type, in order.
pub(crate) fn puts(fake: &Fake, kind: &str) -> Vec<Value> {
    fake.server
        .requests()
        .iter()
        .filter(|l| l.req.method == "PUT" && l.req.path().contains(&format!("/{kind}/")))
        .map(|l| l.req.json())
        .collect()
}

/// `METHOD short-id` of every Resource Manager request from `from` on.
pub(crate) fn calls(fake: &Fake, from: usize) -> Vec<String> {
    fake.server.requests()[from..]
        .iter()
        .filter(|l| l.req.path().starts_with("/subscriptions/"))
        .map(|l| format!("{} {}", l.req.method, fake::short_id(l.req.path())))
        .collect()
}

#[test]
fn the_schema_check_is_strict() {
    let specs = specs();
    let good = json!({"location": "westus", "tags": {"a": "b"}, "properties": {
        "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}});
    assert_eq!(
        specs.check_body(Kind::VirtualNetwork, &good),
        Vec::<String>::new()
    );
    let vm = json!({"location": "westus", "properties": {
        "hardwareProfile": {"vmSize": "Standard_B2s"},
        "osProfile": {"computerName": "x", "adminUserName": "docker-user"}}});
    let errors = specs.check_body(Kind::Vm, &vm);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("adminUserName: not a property")),
        "{errors:?}"
    );
    let bad_enum = json!({"location": "westus", "properties": {"securityRules": [
        {"name": "r", "properties": {"protocol": "TCP", "access": "Allow", "direction": "Inbound", "priority": 100}}]}});
    let errors = specs.check_body(Kind::Nsg, &bad_enum);
    assert!(!errors.is_empty(), "TCP is not Tcp");
    let missing = json!({"location": "westus", "properties": {"securityRules": [
        {"name": "r", "properties": {"protocol": "Tcp", "access": "Allow", "priority": 100}}]}});
    let errors = specs.check_body(Kind::Nsg, &missing);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("\"direction\" is missing")),
        "{errors:?}"
    );
    let envelope = json!({"location": "westus", "type": "Microsoft.Network/virtualNetworks", "properties": {}});
    assert!(!specs.check_body(Kind::VirtualNetwork, &envelope).is_empty());
    assert_eq!(specs.api_version(Kind::Vm), "2024-07-01");
    assert_eq!(specs.api_version(Kind::Nic), "2024-05-01");
    assert_eq!(specs.api_version(Kind::ResourceGroup), "2024-03-01");
}

#[test]
fn operations_are_polled_throttling_waited_and_power_follows_the_instance_view() {
    let fake = Fake::start(&specs(), |a| {
        a.polls = 2;
        a.retry_after = Some(1);
    });
    let store = TestStore::new();
    let data = store.dir.path().join("custom-data");
    std::fs::write(&data, "#cloud-config\nruncmd: [echo hi]\n").unwrap();
    let run = create_kept(
        &store,
        &fake,
        "poll",
        &[
            "--azure-custom-data",
            data.to_str().unwrap(),
            "--azure-tags",
            "team=it,env=test",
            "--azure-open-port",
            "8080",
            "--azure-availability-zone",
            "2",
            "--azure-disk-size",
            "64",
            "--azure-deallocate-on-stop",
            "--azure-dns",
            "poll-label",
        ],
    );
    assert!(!run.success);
    assert_clean(&fake);
    assert_recorded(&store, &fake);
    // Every accepted PUT but the group's was polled InProgress twice, then Succeeded.
    let polls = fake.server.calls("GET", "/fake/operations/");
    assert_eq!(polls, 5 * 3, "{}", summary(&fake.server.requests()));
    assert_create_bodies(&fake, &data);

    assert_power_verbs(&store, &fake);

    let before = fake.server.count();
    let rm = machinectl(&store, &fake, &["rm", "-y", "poll"]);
    assert!(rm.success, "{}", rm.stderr);
    assert_eq!(
        fake.left(),
        Vec::<String>::new(),
        "{}",
        summary(&fake.server.requests()[before..])
    );
    assert!(!store.machine_dir("poll").exists());
    assert_clean(&fake);
}

/// Everything made is recorded, with the addresses and the sealed secret.
fn assert_recorded(store: &TestStore, fake: &Fake) {
    let rec = record(store, "poll");
    let resources = &rec["driver"]["resources"];
    for made in [
        "group_managed",
        "vnet_managed",
        "nsg_made",
        "public_ip_made",
        "nic_made",
        "vm_made",
    ] {
        assert_eq!(resources[made], true, "{made}: {rec}");
    }
    assert_eq!(resources["public_ip"], "127.0.0.1", "{rec}");
    // The engine is named by the public IP's DNS name.
    assert_eq!(
        resources["fqdn"], "poll-label.westus.cloudapp.azure.com",
        "{rec}"
    );
    let url = machinectl(store, fake, &["url", "-f", "poll"]);
    assert_eq!(
        url.stdout.trim(),
        "tcp://poll-label.westus.cloudapp.azure.com:2376",
        "{}",
        url.stderr
    );
    assert!(
        rec["driver"]["credentials"]["client_secret"]
            .as_str()
            .unwrap()
            .starts_with("sealed:v1:")
    );
}

/// The order of the PUTs and what the flags put in their bodies.
fn assert_create_bodies(fake: &Fake, data: &Path) {
    let order: Vec<String> = calls(fake, 0)
        .into_iter()
        .filter(|c| c.starts_with("PUT"))
        .collect();
    assert_eq!(
        order,
        [
            "PUT group/machinectl",
            "PUT virtualNetworks/machinectl-vnet",
            "PUT networkSecurityGroups/poll-firewall",
            "PUT publicIPAddresses/poll-ip",
            "PUT networkInterfaces/poll-nic",
            "PUT virtualMachines/poll",
        ]
    );
    let vm = &puts(fake, "virtualMachines")[0];
    let encoded = vm["properties"]["osProfile"]["customData"]
        .as_str()
        .unwrap();
    use base64::Engine;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap();
    assert_eq!(decoded, std::fs::read(data).unwrap());
    assert_eq!(vm["zones"], json!(["2"]));
    assert_eq!(
        vm["properties"]["storageProfile"]["osDisk"]["diskSizeGB"],
        64
    );
    assert_eq!(
        vm["properties"]["storageProfile"]["osDisk"]["deleteOption"],
        "Delete"
    );
    assert_eq!(
        vm["properties"]["osProfile"]["linuxConfiguration"]["disablePasswordAuthentication"],
        true
    );
    assert_eq!(
        vm["tags"],
        json!({"machinectl:managed": "true", "machinectl:machine": "poll", "team": "it", "env": "test"})
    );
    let nsg = &puts(fake, "networkSecurityGroups")[0];
    let ports: Vec<&str> = nsg["properties"]["securityRules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["properties"]["destinationPortRange"].as_str().unwrap())
        .collect();
    assert_eq!(ports, ["22", "2376", "8080"]);
    let ip = &puts(fake, "publicIPAddresses")[0];
    assert_eq!(
        ip["properties"]["dnsSettings"],
        json!({"domainNameLabel": "poll-label"})
    );
    let rule = &nsg["properties"]["securityRules"][0]["properties"];
    assert_eq!(rule["sourceAddressPrefix"], "0.0.0.0/0", "{rule}");
}

/// status, stop (powerOff then deallocate), status under 429s, kill.
fn assert_power_verbs(store: &TestStore, fake: &Fake) {
    // A 500 on a GET is tried again.
    fake.arm.lock().unwrap().server_errors = 2;
    let status = machinectl(store, fake, &["status", "poll"]);
    assert_eq!(
        fake.server
            .requests()
            .iter()
            .filter(|l| l.status == 500)
            .count(),
        2
    );
    assert_eq!(status.stdout.trim(), "Running", "{}", status.stderr);
    let stop = machinectl(store, fake, &["stop", "poll"]);
    assert!(stop.success, "{}", stop.stderr);
    assert_eq!(
        fake.server.calls("POST", "/subscriptions/"),
        2,
        "powerOff, then deallocate"
    );
    let status = machinectl(store, fake, &["status", "poll"]);
    assert_eq!(status.stdout.trim(), "Stopped", "{}", status.stderr);
    assert!(
        fake.arm
            .lock()
            .unwrap()
            .power
            .values()
            .all(|s| *s == "deallocated")
    );
    // Throttled: the 429s' Retry-After is waited for in real time.
    fake.arm.lock().unwrap().throttle = 2;
    fake.arm.lock().unwrap().throttle_after = 1;
    let started = Instant::now();
    let mut command = store.command();
    azure_env(&mut command, fake);
    command
        .env_remove("MACHINECTL_NO_RETRY_DELAY")
        .args(["status", "poll"]);
    let status = checked_run(command, &["status"]);
    assert_eq!(status.stdout.trim(), "Stopped", "{}", status.stderr);
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let kill = machinectl(store, fake, &["kill", "poll"]);
    assert!(kill.success, "{}", kill.stderr);
    assert!(fake.server.requests().iter().any(|l| {
        l.req
            .target
            .contains("/powerOff?skipShutdown=true&api-version=2024-07-01")
    }));
}

#[test]
fn a_failure_at_the_nic_removes_exactly_what_was_made() {
    let fake = Fake::start(&specs(), |a| {
        a.fail.insert(
            "networkInterfaces",
            Failure::Refused(400, "SubnetIsFull", "Subnet machinectl of virtual network machinectl-vnet has no free address.\nPick another."),
        );
    });
    let store = TestStore::new();
    let run = machinectl(&store, &fake, &["create", "-d", "azure", "nicfail"]);
    let line = run.one_line_error();
    assert!(
        line.contains("SubnetIsFull") && line.contains("no free address"),
        "{line}"
    );
    assert!(line.contains("--azure-subnet"), "{line}");
    assert_eq!(
        fake.left(),
        Vec::<String>::new(),
        "no orphaned NSG or public IP:\n{}",
        summary(&fake.server.requests())
    );
    let deleted: Vec<String> = calls(&fake, 0)
        .into_iter()
        .filter(|c| c.starts_with("DELETE"))
        .collect();
    assert_eq!(
        deleted,
        [
            "DELETE publicIPAddresses/nicfail-ip",
            "DELETE networkSecurityGroups/nicfail-firewall",
            "DELETE virtualNetworks/machinectl-vnet",
            "DELETE group/machinectl",
        ],
        "only what was made"
    );
    assert!(!store.machine_dir("nicfail").exists());
    assert_clean(&fake);
}

#[test]
fn a_failed_vm_operation_reports_azure_code_and_leaves_the_users_group_alone() {
    let fake = Fake::start(&specs(), |a| {
        a.polls = 1;
        // Azure keeps the NIC of a VM that failed for a while.
        a.nic_reserved = 2;
        a.fail.insert(
            "virtualMachines",
            Failure::Failed(
                "OSProvisioningClientError",
                "OS provisioning failed for VM 'vmfail'.",
            ),
        );
    });
    // The user's own group, with something of theirs in it.
    let theirs = format!("/subscriptions/{SUBSCRIPTION}/resourceGroups/prod");
    {
        let mut a = fake.arm.lock().unwrap();
        a.resources.insert(
            theirs.clone(),
            json!({"location": "westus", "properties": {}}),
        );
        a.resources.insert(
            format!("{theirs}/providers/Microsoft.Network/publicIPAddresses/their-ip"),
            json!({"properties": {}}),
        );
    }
    let store = TestStore::new();
    let run = machinectl(
        &store,
        &fake,
        &[
            "create",
            "-d",
            "azure",
            "--azure-resource-group",
            "prod",
            "vmfail",
        ],
    );
    let line = run.one_line_error();
    assert!(
        line.contains("OSProvisioningClientError: OS provisioning failed"),
        "{line}"
    );
    assert_eq!(
        fake.left(),
        ["group/prod", "publicIPAddresses/their-ip"],
        "the VM, NIC, public IP, NSG and the network it made are gone; the user's group and theirs stay:\n{}",
        summary(&fake.server.requests())
    );
    assert!(calls(&fake, 0).contains(&"DELETE virtualMachines/vmfail".to_string()));
    assert!(!calls(&fake, 0).iter().any(|c| c == "DELETE group/prod"));
    assert_clean(&fake);
}

#[test]
fn rm_after_a_crash_finishes_the_job() {
    // The create is killed while Azure takes its time answering the NIC's
    // PUT; Azure makes the NIC all the same.
    let fake = Fake::start(&specs(), |a| {
        a.hang = Some(("networkInterfaces", Duration::from_secs(2)))
    });
    let store = TestStore::new();
    let mut command = store.command();
    azure_env(&mut command, &fake);
    command
        .args(["create", "-d", "azure", "crash"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut create = command.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        assert!(Instant::now() < deadline, "create never reached the NIC");
        let recorded = std::fs::read_to_string(store.machine_dir("crash").join("machine.json"))
            .ok()
            .and_then(|t| serde_json::from_str::<Value>(&t).ok())
            .is_some_and(|r| r["driver"]["resources"]["nic_made"] == true);
        if recorded {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(500));
    create.kill().unwrap();
    create.wait().unwrap();
    let rec = record(&store, "crash");
    assert_eq!(rec["driver"]["resources"]["vm_made"], false, "{rec}");
    let before = fake.server.count();
    let rm = machinectl(&store, &fake, &["rm", "-y", "crash"]);
    assert!(rm.success, "{}", rm.stderr);
    assert!(
        fake.server.requests().iter().any(
            |l| l.req.method == "PUT" && l.req.path().ends_with("/networkInterfaces/crash-nic")
        ),
        "the NIC's PUT reached Azure before the kill"
    );
    let deleted: Vec<String> = calls(&fake, before)
        .into_iter()
        .filter(|c| c.starts_with("DELETE"))
        .collect();
    assert_eq!(
        deleted,
        [
            "DELETE networkInterfaces/crash-nic",
            "DELETE publicIPAddresses/crash-ip",
            "DELETE networkSecurityGroups/crash-firewall",
            "DELETE virtualNetworks/machinectl-vnet",
            "DELETE group/machinectl",
        ],
        "{}",
        summary(&fake.server.requests()[before..])
    );
    assert_eq!(fake.left(), Vec::<String>::new());
    assert!(!store.machine_dir("crash").exists());
    assert_clean(&fake);
}

#[test]
fn machines_share_the_group_and_network_until_the_last_rm() {
    let fake = Fake::start(&specs(), |_| {});
    let store = TestStore::new();
    // One NSG for both, made by the first (with two sources).
    let sources = "203.0.113.0/24,198.51.100.7";
    let shared = ["--azure-nsg", "shared-fw", "--azure-allowed-cidr", sources];
    create_kept(&store, &fake, "one", &shared);
    let second = fake.server.count();
    create_kept(
        &store,
        &fake,
        "two",
        &["--azure-nsg", "shared-fw", "--azure-use-private-ip"],
    );
    let rule = &puts(&fake, "networkSecurityGroups")[0]["properties"]["securityRules"][1];
    assert_eq!(
        rule["properties"]["sourceAddressPrefixes"],
        json!(["203.0.113.0/24", "198.51.100.7"]),
        "{rule}"
    );
    // The second create finds the group and network machinectl made.
    let made: Vec<String> = calls(&fake, second)
        .into_iter()
        .filter(|c| c.starts_with("PUT"))
        .collect();
    assert_eq!(
        made,
        [
            "PUT publicIPAddresses/two-ip",
            "PUT networkInterfaces/two-nic",
            "PUT virtualMachines/two",
        ]
    );
    let rec = record(&store, "two");
    assert_eq!(
        rec["driver"]["resources"]["nsg_made"], true,
        "machinectl's: {rec}"
    );
    assert_eq!(rec["driver"]["resources"]["vnet_managed"], true, "{rec}");
    assert_eq!(rec["driver"]["resources"]["group_managed"], true, "{rec}");
    let ip = machinectl(&store, &fake, &["ip", "two"]);
    assert_eq!(ip.stdout.trim(), "127.0.0.4", "{}", ip.stderr);

    // ls: one token and one list for the group, however many machines.
    let before = fake.server.count();
    let ls = machinectl(&store, &fake, &["ls", "--format", "{{.Name}} {{.State}}"]);
    assert_eq!(
        ls.stdout.trim(),
        "one Running\ntwo Running",
        "{}",
        ls.stderr
    );
    assert_eq!(
        calls(&fake, before),
        ["GET Microsoft.Compute/virtualMachines"],
        "{}",
        summary(&fake.server.requests()[before..])
    );
    rm_keeps_what_another_machine_uses(&store, &fake);
    let rm = machinectl(&store, &fake, &["rm", "-y", "two"]);
    assert!(rm.success, "{}", rm.stderr);
    assert_eq!(fake.left(), Vec::<String>::new());
    assert_clean(&fake);
}

/// rm of "one" while "two" uses the group, network and NSG: they stay.
fn rm_keeps_what_another_machine_uses(store: &TestStore, fake: &Fake) {
    let before = fake.server.count();
    let rm = machinectl(store, fake, &["rm", "-y", "one"]);
    assert!(rm.success, "{}", rm.stderr);
    assert!(
        rm.stdout.contains("still in use") || rm.stderr.contains("still in use"),
        "{}\n{}",
        rm.stdout,
        rm.stderr
    );
    let left = fake.left();
    assert!(
        left.contains(&"virtualNetworks/machinectl-vnet".to_string()),
        "{left:?}"
    );
    assert!(left.contains(&"group/machinectl".to_string()), "{left:?}");
    assert!(
        left.contains(&"networkSecurityGroups/shared-fw".to_string()),
        "{left:?}"
    );
    assert!(!left.iter().any(|r| r.contains("one")), "{left:?}");
    assert!(
        !calls(fake, before).contains(&"DELETE group/machinectl".to_string()),
        "a group that holds another machine is never deleted"
    );
}

#[test]
fn parallel_creates_share_the_network_and_parallel_rms_leave_nothing() {
    let fake = Fake::start(&specs(), |a| {
        // Azure refuses a change while another is under way on the same
        // group or network; the first two PUTs meet that and are retried.
        a.conflicts = 2;
        a.page_size = 2;
    });
    let store = TestStore::new();
    let args = ["create", "-d", "azure", "--count", "3", "--parallel", "3"];
    let run = machinectl(
        &store,
        &fake,
        &[&args[..], &["--ssh-timeout", "1", "--keep-on-error"]].concat(),
    );
    assert!(!run.success, "SSH fails at the loopback address");
    for name in ["azure-1", "azure-2", "azure-3"] {
        let rec = record(&store, name);
        assert_eq!(
            rec["driver"]["resources"]["vm_made"], true,
            "{name}: {}",
            run.stderr
        );
    }
    assert_eq!(
        fake.server
            .requests()
            .iter()
            .filter(|l| l.status == 409)
            .count(),
        2
    );
    // ls follows the list's nextLink: two pages for three VMs.
    let before = fake.server.count();
    let ls = machinectl(&store, &fake, &["ls", "--format", "{{.Name}} {{.State}}"]);
    assert_eq!(
        ls.stdout.trim(),
        "azure-1 Running\nazure-2 Running\nazure-3 Running",
        "{}",
        ls.stderr
    );
    assert_eq!(
        calls(&fake, before).len(),
        2,
        "{}",
        summary(&fake.server.requests()[before..])
    );
    let rm = machinectl(
        &store,
        &fake,
        &[
            "rm",
            "-y",
            "--parallel",
            "3",
            "azure-1",
            "azure-2",
            "azure-3",
        ],
    );
    assert!(rm.success, "{}", rm.stderr);
    assert_eq!(
        fake.left(),
        Vec::<String>::new(),
        "{}",
        summary(&fake.server.requests())
    );
    assert_clean(&fake);
}

#[test]
fn the_users_network_and_nsg_are_used_and_left_alone() {
    let fake = Fake::start(&specs(), |_| {});
    let group = format!("/subscriptions/{SUBSCRIPTION}/resourceGroups/team");
    let net = format!("{group}/providers/Microsoft.Network");
    {
        let mut a = fake.arm.lock().unwrap();
        a.resources.insert(
            group.clone(),
            json!({"location": "westus", "properties": {}}),
        );
        let untagged = json!({"location": "westus", "properties": {}});
        a.resources.insert(
            format!("{net}/virtualNetworks/their-vnet"),
            untagged.clone(),
        );
        a.resources
            .insert(format!("{net}/networkSecurityGroups/their-nsg"), untagged);
    }
    let store = TestStore::new();
    let flags = [
        "--azure-vnet",
        "team:their-vnet",
        "--azure-subnet",
        "docker",
    ];
    let flags = [
        &flags[..],
        &["--azure-nsg", "their-nsg", "--azure-resource-group", "team"],
    ]
    .concat();
    create_kept(&store, &fake, "guest", &flags);
    let made: Vec<String> = calls(&fake, 0)
        .into_iter()
        .filter(|c| c.starts_with("PUT"))
        .collect();
    assert_eq!(
        made,
        [
            "PUT subnets/docker",
            "PUT publicIPAddresses/guest-ip",
            "PUT networkInterfaces/guest-nic",
            "PUT virtualMachines/guest",
        ],
        "the group, network and NSG are theirs: used, not made"
    );
    let nic = &puts(&fake, "networkInterfaces")[0];
    assert_eq!(
        nic["properties"]["networkSecurityGroup"]["id"],
        format!("{net}/networkSecurityGroups/their-nsg")
    );
    let rm = machinectl(&store, &fake, &["rm", "-y", "guest"]);
    assert!(rm.success, "{}", rm.stderr);
    assert_eq!(
        fake.left(),
        [
            "group/team",
            "networkSecurityGroups/their-nsg",
            "virtualNetworks/their-vnet"
        ],
        "only the subnet it added goes with the machine"
    );
    assert_clean(&fake);
}

#[test]
fn auth_errors_are_one_line() {
    let fake = Fake::start(&specs(), |_| {});
    let store = TestStore::new();
    // A wrong secret: Entra's refusal, one line, the secret never shown.
    let wrong = "Wr0ng~secret.value";
    let mut command = store.command();
    azure_env(&mut command, &fake);
    // As a flag, so no variable's value masks it: the driver must.
    command.env_remove("AZURE_CLIENT_SECRET").args([
        "create",
        "-d",
        "azure",
        "--azure-client-secret",
        wrong,
        "denied",
    ]);
    let run = checked_run(command, &["create"]);
    let line = run.one_line_error();
    assert!(
        line.contains("AADSTS7000215") && line.contains("AZURE_CLIENT_SECRET"),
        "{line}"
    );
    assert!(
        !run.stderr.contains(wrong) && !run.stderr.contains("Trace ID"),
        "{}",
        run.stderr
    );
    assert!(!store.machine_dir("denied").exists());
    // Signed in, but without the role: Resource Manager's 403, one line.
    let forbidden = Fake::start(&specs(), |a| {
        a.refuse_all = Some((403, "AuthorizationFailed"))
    });
    let run = machinectl(&store, &forbidden, &["create", "-d", "azure", "norole"]);
    let line = run.one_line_error();
    assert!(
        line.contains("AuthorizationFailed") && line.contains("Contributor"),
        "{line}"
    );
    // No service principal and no `az`: one line naming both ways.
    let mut command = store.command();
    command
        .env("PATH", "/usr/bin:/bin")
        .env("AZURE_ENDPOINT", &fake.server.url)
        .env_remove("AZURE_TENANT_ID")
        .env_remove("AZURE_CLIENT_ID")
        .env_remove("AZURE_CLIENT_SECRET")
        .args(["create", "-d", "azure", "nobody"]);
    let run = checked_run(command, &["create"]);
    let line = run.one_line_error();
    assert!(
        line.contains("az login") && line.contains("AZURE_CLIENT_ID"),
        "{line}"
    );

    assert_clean(&forbidden);
}

#[test]
fn the_environment_picks_the_token_scope() {
    let fake = Fake::start(&specs(), |a| {
        a.scope = "https://management.usgovcloudapi.net/.default".into();
    });
    let store = TestStore::new();
    let gov = ["--azure-environment", "AzureUSGovernmentCloud"];
    create_kept(&store, &fake, "gov", &gov);
    assert_eq!(fake.arm.lock().unwrap().tokens_issued, 1);
    assert_eq!(
        record(&store, "gov")["driver"]["cloud"]["environment"],
        "AzureUSGovernmentCloud"
    );
    let rm = machinectl(&store, &fake, &["rm", "-y", "gov"]);
    assert!(rm.success, "{}", rm.stderr);
    assert_eq!(fake.left(), Vec::<String>::new());
    assert_clean(&fake);
}

#[test]
fn the_azure_cli_is_the_fallback() {
    let store = TestStore::new();
    // A logged-in Azure CLI: its token and its default subscription.
    let bin = store.dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let az = bin.join("az");
    std::fs::write(
        &az,
        format!(
            "#!/bin/sh\n[ \"$*\" = \"account get-access-token --resource https://management.azure.com/ --output json\" ] || {{ echo \"ERROR: unexpected $*\" >&2; exit 2; }}\necho '{{\"accessToken\": \"{TOKEN}\", \"expiresOn\": \"2030-01-01 00:00:00.000000\", \"subscription\": \"{SUBSCRIPTION}\", \"tenant\": \"{TENANT}\", \"tokenType\": \"Bearer\"}}'\n"
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&az, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let cli = Fake::start(&specs(), |_| {});
    let mut command = store.command();
    command
        .env("PATH", &path)
        .env("AZURE_ENDPOINT", &cli.server.url)
        .env_remove("AZURE_TENANT_ID")
        .env_remove("AZURE_CLIENT_ID")
        .env_remove("AZURE_CLIENT_SECRET")
        .env_remove("AZURE_SUBSCRIPTION_ID")
        .args([
            "create",
            "-d",
            "azure",
            "--ssh-timeout",
            "1",
            "--keep-on-error",
            "cli",
        ]);
    checked_run(command, &["create"]);
    let rec = record(&store, "cli");
    assert_eq!(rec["driver"]["credentials"]["kind"], "azure-cli", "{rec}");
    assert_eq!(rec["driver"]["subscription_id"], SUBSCRIPTION, "{rec}");
    assert_eq!(rec["driver"]["resources"]["vm_made"], true, "{rec}");
    assert_eq!(
        cli.arm.lock().unwrap().tokens_issued,
        0,
        "no token request to Entra"
    );
    let mut command = store.command();
    command.env("PATH", &path).args(["rm", "-y", "cli"]);
    let rm = checked_run(command, &["rm"]);
    assert!(rm.success, "{}", rm.stderr);
    assert_eq!(cli.left(), Vec::<String>::new());
    assert_clean(&cli);
}

/// A service principal's certificate: an RSA key and a self-signed
/// certificate in one PEM file, made by openssl; the fake's public key
/// file and thumbprint (base64url SHA-1 of the DER).
fn certificate(dir: &Path) -> (std::path::PathBuf, (std::path::PathBuf, String)) {
    let (key, cert) = (dir.join("key.pem"), dir.join("cert.pem"));
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl").args(args).output().unwrap();
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let (k, c) = (key.to_str().unwrap(), cert.to_str().unwrap());
    openssl(
        &[
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", k, "-out", c,
        ]
        .into_iter()
        .chain(["-subj", "/CN=machinectl-test", "-days", "1"])
        .collect::<Vec<_>>(),
    );
    let public = dir.join("public.pem");
    std::fs::write(&public, openssl(&["x509", "-in", c, "-pubkey", "-noout"])).unwrap();
    let fingerprint = openssl(&["x509", "-in", c, "-noout", "-fingerprint", "-sha1"]);
    let hex = fingerprint
        .trim()
        .rsplit('=')
        .next()
        .unwrap()
        .replace(':', "");
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    use base64::Engine;
    let thumbprint = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let both = dir.join("sp.pem");
    let pem = std::fs::read_to_string(&key).unwrap() + &std::fs::read_to_string(&cert).unwrap();
    std::fs::write(&both, pem).unwrap();
    (both, (public, thumbprint))
}

#[test]
fn a_certificate_signs_the_client_assertion() {
    let store = TestStore::new();
    let (pem, expected) = certificate(store.dir.path());
    let fake = Fake::start(&specs(), |a| a.certificate = Some(expected));
    let mut command = store.command();
    azure_env(&mut command, &fake);
    command
        .env_remove("AZURE_CLIENT_SECRET")
        .env("AZURE_CLIENT_CERTIFICATE_PATH", &pem)
        .args([
            "create",
            "-d",
            "azure",
            "--ssh-timeout",
            "1",
            "--keep-on-error",
            "cert",
        ]);
    let run = checked_run(command, &["create"]);
    assert_clean(&fake);
    let rec = record(&store, "cert");
    assert_eq!(rec["driver"]["credentials"]["kind"], "certificate", "{rec}");
    assert_eq!(
        rec["driver"]["resources"]["vm_made"], true,
        "{}",
        run.stderr
    );
    assert!(!rec.to_string().contains("PRIVATE KEY"));
    assert_eq!(fake.arm.lock().unwrap().tokens_issued, 1);
    let mut command = store.command();
    command.args(["rm", "-y", "cert"]);
    let rm = checked_run(command, &["rm"]);
    assert!(rm.success, "{}", rm.stderr);
    assert_eq!(fake.left(), Vec::<String>::new());
    assert_clean(&fake);
    // A file without a key is refused before any call.
    let only_cert = store.dir.path().join("cert.pem");
    let before = fake.server.count();
    let mut command = store.command();
    azure_env(&mut command, &fake);
    command
        .env_remove("AZURE_CLIENT_SECRET")
        .env("AZURE_CLIENT_CERTIFICATE_PATH", &only_cert)
        .args(["create", "-d", "azure", "nokey"]);
    let run = checked_run(command, &["create"]);
    assert!(
        run.one_line_error().contains("no unencrypted private key"),
        "{}",
        run.stderr
    );
    assert_eq!(fake.server.count(), before);
}

#[test]
fn bad_flags_and_names_are_refused_before_any_call() {
    let fake = Fake::start(&specs(), |_| {});
    let store = TestStore::new();
    let big = store.dir.path().join("custom-data");
    std::fs::write(&big, vec![b'#'; 65536]).unwrap();
    let big = big.to_str().unwrap();
    // Each case: flags…, the machine name, then what the error must say.
    #[rustfmt::skip]
    let cases: &[&[&str]] = &[
        &["Web", "cannot name an Azure VM"],
        &["web.1", "cannot name an Azure VM"],
        &["123", "cannot name an Azure VM"],
        &["--azure-custom-data", big, "bad", "at most 64 KB"],
        &["--azure-location", "West US", "bad", "not an Azure location"],
        &["--azure-size", "Standard B2s", "bad", "not a VM size"],
        &["--azure-image", "Canonical:ubuntu", "bad", "publisher:offer:sku:version"],
        &["--azure-ssh-user", "root", "bad", "Azure reserves"],
        &["--azure-resource-group", "rg/..", "bad", "not a resource group name"],
        &["--azure-vnet", "net?x", "bad", "not a network resource name"],
        &["--azure-subnet-prefix", "10.1.2.0/8", "bad", "10.0.0.0/8"],
        &["--azure-tags", "machinectl:machine=x", "bad", "machinectl's own tag"],
        &["--azure-allowed-cidr", "anywhere", "bad", "not a source Azure admits"],
        &["--azure-no-public-ip", "bad", "needs --azure-use-private-ip"],
        &["--azure-dns", "Bad_Label", "bad", "not a DNS label"],
        &["--azure-private-ip-address", "10.9.9.9", "bad", "not an address Azure gives out"],
        &["--azure-availability-zone", "4", "bad", "4"],
        &["--azure-endpoint", "https://u:p@management.azure.com", "bad", "not an API endpoint"],
        &["--azure-subscription-id", "my-sub", "bad", "not a GUID"],
        &["--azure-client-certificate-path", "/x.pem", "bad", "not both"],
    ];
    for case in cases {
        let [flags @ .., name, want] = case else {
            unreachable!()
        };
        let mut args = vec!["create", "-d", "azure"];
        args.extend_from_slice(flags);
        args.push(name);
        let run = machinectl(&store, &fake, &args);
        assert!(!run.success, "{flags:?} {name}");
        assert!(
            run.stderr.contains(want),
            "{flags:?} {name}: {}",
            run.stderr
        );
        assert!(!store.machine_dir(name).exists());
    }
    // Half a service principal.
    let mut command = store.command();
    azure_env(&mut command, &fake);
    command
        .env_remove("AZURE_CLIENT_SECRET")
        .args(["create", "-d", "azure", "half"]);
    let run = checked_run(command, &["create"]);
    assert!(
        run.one_line_error()
            .contains("needs all of --azure-tenant-id"),
        "{}",
        run.stderr
    );
    assert_eq!(
        fake.server.count(),
        0,
        "{}",
        summary(&fake.server.requests())
    );
}

#[test]
fn help_lists_the_azure_flags_and_another_drivers_flag_is_refused() {
    let fake = Fake::start(&specs(), |_| {});
    let store = TestStore::new();
    // Another driver's flag is refused by name, and help lists ours.
    let help = store.ok(["create", "--driver", "azure", "--help"]);
    assert!(
        help.stdout.contains("--azure-client-secret"),
        "{}",
        help.stdout
    );
    assert!(!help.stdout.contains("--aws-region"));
    let run = machinectl(
        &store,
        &fake,
        &["create", "-d", "azure", "--aws-region", "x", "bad"],
    );
    assert!(
        !run.success && run.stderr.contains("--aws-region"),
        "{}",
        run.stderr
    );
    assert_eq!(fake.server.count(), 0);
}

#[test]
fn a_polling_url_elsewhere_never_gets_the_token() {
    let elsewhere = crate::http_fake::Server::start(|_| crate::http_fake::Resp::empty(200));
    let fake = Fake::start(&specs(), |a| {
        a.foreign_poll_origin = Some(elsewhere.url.clone());
    });
    let store = TestStore::new();
    let run = machinectl(&store, &fake, &["create", "-d", "azure", "elsewhere"]);
    let line = run.one_line_error();
    assert!(
        line.contains("outside") && line.contains("refused to send the token"),
        "{line}"
    );
    assert_eq!(elsewhere.count(), 0, "a request went to the other origin");
    // The network whose operation pointed elsewhere was rolled back, with the group.
    assert_eq!(
        fake.left(),
        Vec::<String>::new(),
        "{}",
        summary(&fake.server.requests())
    );
    assert!(!store.machine_dir("elsewhere").exists());
    assert_clean(&fake);
}

/// Against Azure itself, only when asked: `MACHINECTL_LIVE_AZURE=1` with a
/// service principal (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET,
/// AZURE_SUBSCRIPTION_ID) or a logged-in `az`, then `cargo test -p
/// machinectl --test it -- --ignored azure::live`. It makes a real VM
/// (billed) in the resource group `machinectl-live` and removes it.
#[test]
#[ignore = "creates a real Azure VM: set MACHINECTL_LIVE_AZURE=1 and credentials, then run with --ignored"]
fn live_azure_create_and_rm() {
    assert_eq!(
        std::env::var("MACHINECTL_LIVE_AZURE").as_deref(),
        Ok("1"),
        "set MACHINECTL_LIVE_AZURE=1 with Azure credentials to create a real VM"
    );
    let args = ["-d", "azure", "--azure-resource-group", "machinectl-live"];
    TestStore::new().live_round_trip(&args, "live-it");
}

/// Why the whole-path test cannot run here, if it cannot.
fn whole_path_unavailable() -> Option<String> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Some("isolated network namespaces need root".into());
    }
    for tool in ["unshare", "nsenter", "mount"] {
        if crate::common::which(tool).is_none() {
            return Some(format!("{tool} (util-linux) is not installed"));
        }
    }
    crate::common::host_tests_unavailable()
}

/// Azure VMs are reached as their admin user, never root (Azure refuses
/// it). The stand-in host is made to know `docker-user` as a second name
/// for root (home /root, where its authorized key is): a copy of
/// /etc/passwd bind-mounted over the original inside the host's own mount
/// namespace only, so this machine's users are untouched.
pub(crate) fn admit_docker_user(host: &machinectl_driver_local::host::HostState, dir: &Path) {
    let pid = host.anchor_pid.expect("the stand-in host runs");
    let mut passwd = std::fs::read_to_string("/etc/passwd").unwrap();
    passwd.push_str("docker-user:x:0:0:Azure admin user stand-in:/root:/bin/sh\n");
    let copy = dir.join("passwd");
    std::fs::write(&copy, passwd).unwrap();
    let status = Command::new("nsenter")
        .args(["-t", &pid.to_string(), "-m", "mount", "--bind"])
        .arg(&copy)
        .arg("/etc/passwd")
        .status()
        .unwrap();
    assert!(status.success(), "bind the stand-in passwd");
}

/// Wait for the record to name the VM's public address.
fn public_address(create: &mut std::process::Child, store: &TestStore, fake: &Fake) -> String {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        assert!(
            Instant::now() < deadline,
            "the VM never got an address:\n{}",
            summary(&fake.server.requests())
        );
        if create.try_wait().unwrap().is_some() {
            assert_clean(fake);
            panic!(
                "create ended before the VM had an address:\n{}",
                summary(&fake.server.requests())
            );
        }
        let path = store.machine_dir("vm").join("machine.json");
        if let Ok(text) = std::fs::read_to_string(path) {
            let record: Value = serde_json::from_str(&text).unwrap_or_default();
            if let Some(ip) = record["driver"]["resources"]["public_ip"].as_str() {
                return ip.to_string();
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The whole path against the fake held to Azure's published schemas:
/// flags → group, network, NSG, public IP, NIC, VM → SSH provisioning of a
/// namespace host at the public address the fake reports, as docker-user →
/// the engine over mutual TLS → ls, status, stop, start, restart, kill → rm,
/// after which nothing is left. Zero violations.
#[test]
fn whole_path_held_to_the_published_schemas() {
    const TEST: &str = "azure::whole_path_held_to_the_published_schemas";
    crate::require!(whole_path_unavailable(), "run the Azure whole-path test");
    if !isolated::enter(TEST) {
        return;
    }
    // Inside the isolated namespace: an address of Azure's, ours here.
    let fake = Fake::start(&specs(), |a| {
        a.polls = 1;
        a.public_ip = "20.62.134.7".into();
    });
    let store = TestStore::new();
    let mut command = store.command();
    azure_env(&mut command, &fake);
    command
        .args([
            "--debug",
            "create",
            "-d",
            "azure",
            "--azure-location",
            "westeurope",
        ])
        .args(["--azure-tags", "team=it", "--ssh-timeout", "120", "vm"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut create = command.spawn().unwrap();
    let ip: std::net::Ipv4Addr = public_address(&mut create, &store, &fake).parse().unwrap();
    let octets = ip.octets();
    let spec = machinectl_driver_local::HostSpec {
        hostname: "azure-vm".into(),
        root_dir: store.dir.path().join("vm-host"),
        subnet: format!("{}.{}.{}.0/24", octets[0], octets[1], octets[2])
            .parse()
            .unwrap(),
        authorized_key: std::fs::read_to_string(store.machine_dir("vm").join("id_ed25519.pub"))
            .unwrap(),
        ip: Some(ip),
    };
    let host = machinectl_driver_local::host::bring_up(&spec).expect("bring up the stand-in VM");
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        admit_docker_user(&host, store.dir.path());
        let out = create.wait_with_output().unwrap();
        let run = Run::from(out);
        whole_path_after_create(&store, &fake, &run);
    }));
    machinectl_driver_local::host::teardown(&host).unwrap();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

fn whole_path_after_create(store: &TestStore, fake: &Fake, create: &Run) {
    let create_calls = fake.arm_calls();
    assert!(
        create.success,
        "create failed:\n{}\n{}",
        create.stderr,
        summary(&fake.server.requests())
    );
    assert!(!create.stderr.contains(SECRET) && !create.stderr.contains(TOKEN));
    assert!(
        create
            .stderr
            .contains("Azure Resource Manager calls so far"),
        "{}",
        create.stderr
    );
    let rec = record(store, "vm");
    assert_eq!(rec["driver"]["options"]["ssh_user"], "docker-user");
    let vm = &puts(fake, "virtualMachines")[0];
    assert_eq!(vm["location"], "westeurope");
    assert_eq!(
        vm["properties"]["osProfile"]["adminUsername"],
        "docker-user"
    );
    assert_eq!(
        vm["properties"]["storageProfile"]["imageReference"],
        json!({"publisher": "Canonical", "offer": "ubuntu-24_04-lts", "sku": "server", "version": "latest"})
    );
    assert_eq!(
        vm["properties"]["hardwareProfile"]["vmSize"],
        "Standard_B2s"
    );
    let custom = vm["properties"]["osProfile"]["customData"]
        .as_str()
        .expect("the VM boots with custom data");
    use base64::Engine;
    let custom = base64::engine::general_purpose::STANDARD
        .decode(custom)
        .unwrap();
    crate::common::assert_boot_install_script(
        Some(&String::from_utf8(custom).unwrap()),
        "https://get.docker.com",
    );

    // The engine answers over mutual TLS at the address Azure gave.
    let version = store.docker("vm", &["version", "--format", "{{.Server.Version}}"]);
    assert!(version.success, "{}", version.stderr);
    assert_eq!(
        store.ok(["ssh", "vm", "--", "hostname"]).stdout.trim(),
        "vm"
    );

    let before = fake.arm_calls();
    let ls = machinectl(
        store,
        fake,
        &["ls", "--format", "{{.Name}} {{.State}} {{.URL}}"],
    );
    assert_eq!(
        ls.stdout.trim(),
        "vm Running tcp://20.62.134.7:2376",
        "{}",
        ls.stderr
    );
    let ls_calls = fake.arm_calls() - before;
    assert_eq!(ls_calls, 1, "ls asks once per group");
    for verb in ["stop", "start", "restart", "kill"] {
        let run = machinectl(store, fake, &[verb, "vm"]);
        assert!(run.success, "{verb}: {}", run.stderr);
    }
    let status = machinectl(store, fake, &["status", "vm"]);
    assert_eq!(status.stdout.trim(), "Stopped", "{}", status.stderr);

    whole_path_rm(store, fake, create_calls, ls_calls);
}

/// rm leaves nothing, with the call counts the README gives.
fn whole_path_rm(store: &TestStore, fake: &Fake, create_calls: usize, ls_calls: usize) {
    let before = fake.arm_calls();
    let rm = machinectl(store, fake, &["--debug", "rm", "-y", "vm"]);
    assert!(rm.success, "{}", rm.stderr);
    let rm_calls = fake.arm_calls() - before;
    eprintln!(
        "Resource Manager calls: create {create_calls}, ls {ls_calls}, rm {rm_calls}; tokens {}",
        fake.arm.lock().unwrap().tokens_issued
    );
    assert_eq!(
        fake.left(),
        Vec::<String>::new(),
        "{}",
        summary(&fake.server.requests())
    );
    // The README's numbers: 15 calls per create and 13 per rm when every
    // operation ends at its first poll; the fake plays one InProgress
    // first, a poll more for each of the 5 PUTs and 6 DELETEs that wait.
    assert_eq!(create_calls, 15 + 5, "{}", summary(&fake.server.requests()));
    assert_eq!(rm_calls, 13 + 6, "{}", summary(&fake.server.requests()));
    assert!(!store.machine_dir("vm").exists());
    assert_clean(fake);
}
