//! The virtualbox driver against a scripted stand-in for VBoxManage
//! (`virtualbox_fixtures/VBoxManage`, first on PATH): it keeps VM state in
//! the test's directory, answers in VBoxManage's formats and logs every
//! call, so the tests assert what machinectl asks of VirtualBox. Images
//! come from a loopback HTTP server of this file (Range requests, a cut
//! connection). The stand-in's host-only addresses are not ours: the test
//! that reaches one runs in an isolated network namespace with a namespace
//! host standing in at it; the others only reach loopback (SSH goes through
//! the NAT forward on 127.0.0.1).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{Run, TestStore};
use crate::isolated;

pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/virtualbox_fixtures")
}

/// A store plus the stand-in's state directory (cluster_virtualbox.rs
/// drives clusterctl with it too).
pub(crate) struct VBoxFake {
    pub(crate) store: TestStore,
    pub(crate) env: Vec<(String, String)>,
}

impl VBoxFake {
    pub(crate) fn new() -> VBoxFake {
        VBoxFake {
            store: TestStore::new(),
            env: Vec::new(),
        }
    }

    pub(crate) fn home(&self) -> PathBuf {
        self.store.dir.path().join("vbox")
    }

    fn user_home(&self) -> PathBuf {
        self.store.dir.path().join("vbox-user")
    }

    /// A fake VMDK (VirtualBox's sparse magic) to boot.
    pub(crate) fn image(&self) -> PathBuf {
        let path = self.store.dir.path().join("image.vmdk");
        if !path.exists() {
            std::fs::write(&path, b"KDMV a stand-in disk").unwrap();
        }
        path
    }

    fn command(&self) -> Command {
        self.command_for("machinectl")
    }

    /// machinectl or clusterctl with the stand-in first on PATH.
    pub(crate) fn command_for(&self, bin: &str) -> Command {
        let mut command = self.store.command_for(bin);
        let path = std::env::var("PATH").unwrap_or_default();
        command
            .env("PATH", format!("{}:{path}", fixtures().display()))
            .env("FAKE_VBOX_HOME", self.home())
            .env("VBOX_USER_HOME", self.user_home())
            .env("MACHINECTL_VIRTUALBOX_SHUTDOWN_GRACE", "2")
            .env_remove("VBOX_INSTALL_PATH")
            .env_remove("VBOX_MSI_INSTALL_PATH");
        for (k, v) in &self.env {
            command.env(k, v);
        }
        command
    }

    fn run<S: AsRef<str>>(&self, args: &[S]) -> Run {
        self.run_with(&[], args)
    }

    /// A run with more environment (the stand-in's knobs).
    fn run_with<S: AsRef<str>>(&self, env: &[(&str, &str)], args: &[S]) -> Run {
        let args: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
        let started = Instant::now();
        let mut command = self.command();
        command.envs(env.iter().copied()).args(&args);
        let run = Run::from(command.output().unwrap());
        eprintln!(
            "[{:6.2} s] machinectl {args:?}",
            started.elapsed().as_secs_f64()
        );
        run
    }

    fn ok(&self, args: &[&str]) -> Run {
        let run = self.run(args);
        assert!(run.success, "{args:?}: {}", run.stderr);
        run
    }

    /// A create of the fake image that stops at the SSH wait (nothing
    /// forwards the port).
    fn create(&self, name: &str, extra: &[&str]) -> Run {
        let image = self.image();
        let mut args = create_args(image.to_str().unwrap(), &["--ssh-timeout", "1"]);
        args.extend(extra.iter().map(|a| a.to_string()));
        args.push(name.to_string());
        self.run(&args)
    }

    /// Every call the stand-in got since the last take.
    pub(crate) fn take_calls(&self) -> Vec<Vec<String>> {
        let log = self.home().join("calls.log");
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        let _ = std::fs::write(&log, "");
        text.lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    pub(crate) fn state(&self) -> Value {
        std::fs::read_to_string(self.home().join("state.json"))
            .map(|t| serde_json::from_str(&t).unwrap())
            .unwrap_or(Value::Null)
    }

    pub(crate) fn record(&self, name: &str) -> Value {
        let text =
            std::fs::read_to_string(self.store.machine_dir(name).join("machine.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }
}

/// `create -d virtualbox` without the VT-x check, booting `image` (a URL
/// to download or a local file), then `extra` (flags and names).
fn create_args(image: &str, extra: &[&str]) -> Vec<String> {
    let source = if image.starts_with("http") {
        "--virtualbox-image-url"
    } else {
        "--virtualbox-image-path"
    };
    let base = ["create", "-d", "virtualbox", "--virtualbox-no-vtx-check"];
    base.iter()
        .chain(&[source, image])
        .chain(extra)
        .map(|a| a.to_string())
        .collect()
}

/// A call's subcommand words (`list hostonlyifs`, `controlvm … poweroff`
/// as `controlvm poweroff`), without ids and paths.
pub(crate) fn verbs(calls: &[Vec<String>]) -> Vec<String> {
    calls
        .iter()
        .map(|c| match c[0].as_str() {
            "list" | "hostonlyif" | "dhcpserver" | "guestproperty" | "clonemedium"
            | "closemedium" | "modifymedium" => format!("{} {}", c[0], c[1]),
            "controlvm" => format!("controlvm {}", c[2]),
            _ => c[0].clone(),
        })
        .collect()
}

fn call<'a>(calls: &'a [Vec<String>], first: &str) -> &'a Vec<String> {
    calls
        .iter()
        .find(|c| c[0] == first)
        .unwrap_or_else(|| panic!("no {first} call in {calls:?}"))
}

/// `--flag value` of a call.
fn arg<'a>(call: &'a [String], flag: &str) -> &'a str {
    let at = call
        .iter()
        .position(|a| a == flag)
        .unwrap_or_else(|| panic!("no {flag} in {call:?}"));
    &call[at + 1]
}

const CREATE_VERBS: &[&str] = &[
    "--version",
    "createvm",
    "modifyvm",
    "list hostonlyifs",
    "hostonlyif create",
    "hostonlyif ipconfig",
    "list dhcpservers",
    "dhcpserver add",
    "modifyvm",
    "showvminfo",
    "storagectl",
    "clonemedium disk",
    "closemedium disk",
    "modifymedium disk",
    "storageattach",
    "storageattach",
    "sharedfolder",
    "startvm",
    "guestproperty get",
];

/// The seed's files, read back by xorriso (a Debian tool) into `out`.
pub(crate) fn read_seed(seed: &Path, out: &Path) -> String {
    let label = Command::new("xorriso")
        .args(["-indev"])
        .arg(seed)
        .arg("-pvd_info")
        .output()
        .expect("xorriso is installed (apt-get install -y xorriso)");
    let extract = Command::new("xorriso")
        .args(["-osirrox", "on", "-indev"])
        .arg(seed)
        .args(["-extract", "/"])
        .arg(out)
        .output()
        .unwrap();
    assert!(
        extract.status.success(),
        "{}",
        String::from_utf8_lossy(&extract.stderr)
    );
    String::from_utf8_lossy(&label.stdout).into_owned()
}

/// The seed holds a cloud-config that cloud-init accepts, with the
/// machine's key and hostname, on a volume labelled CIDATA.
fn check_seed(fake: &VBoxFake, name: &str) {
    let dir = fake.store.machine_dir(name);
    let out = fake.store.dir.path().join("seed-files");
    let pvd = read_seed(&dir.join("seed.iso"), &out);
    assert!(pvd.contains("Volume Id    : CIDATA"), "{pvd}");
    let user_data = std::fs::read_to_string(out.join("user-data")).unwrap();
    let key = std::fs::read_to_string(dir.join("id_ed25519.pub")).unwrap();
    assert!(user_data.starts_with("#cloud-config\n"), "{user_data}");
    assert!(user_data.contains(key.trim()), "{user_data}");
    assert!(
        user_data.contains(&format!("hostname: {name}")),
        "{user_data}"
    );
    cloud_init_accepts(&out.join("user-data"), name);
    // The VM boots installing the engine, as cloud instances do.
    let parsed: serde_json::Value = serde_yaml_ng::from_str(&user_data).unwrap();
    assert_eq!(parsed["runcmd"][0][1], "-c", "{user_data}");
    crate::common::assert_boot_install_script(
        parsed["runcmd"][0][2].as_str(),
        "https://get.docker.com",
    );
    let meta = std::fs::read_to_string(out.join("meta-data")).unwrap();
    assert!(meta.contains(&format!("local-hostname: {name}")), "{meta}");
    // Each NIC is named by the MAC VirtualBox gave it; routes only through NAT.
    let network = std::fs::read_to_string(out.join("network-config")).unwrap();
    assert!(network.contains("use-routes: false"), "{network}");
    let record = fake.record(name);
    let mut interfaces = cloud_init_interfaces(&out.join("network-config"));
    interfaces.sort();
    assert_eq!(
        interfaces,
        [
            format!("hostonly {} dhcp4", nic_mac(&record, "mac")),
            format!("nat {} dhcp4", nic_mac(&record, "nat_mac")),
        ]
    );
    // blkid is what cloud-init finds the seed by (`LABEL=CIDATA`).
    let blkid = Command::new("blkid")
        .arg(dir.join("seed.iso"))
        .output()
        .expect("blkid (util-linux) is installed");
    let text = String::from_utf8_lossy(&blkid.stdout);
    assert!(text.contains("LABEL=\"CIDATA\""), "{text}");
    assert!(text.contains("TYPE=\"iso9660\""), "{text}");
}

/// `cloud-init schema` passes the user-data `file` (of machine `name`).
pub(crate) fn cloud_init_accepts(file: &Path, name: &str) {
    let schema = Command::new("cloud-init")
        .args(["schema", "--config-file"])
        .arg(file)
        .output()
        .expect("cloud-init is installed");
    assert!(
        schema.status.success(),
        "{name}: cloud-init schema refused the user-data:\n{}{}",
        String::from_utf8_lossy(&schema.stdout),
        String::from_utf8_lossy(&schema.stderr)
    );
}

/// A NIC's MAC from the record (`mac`, `nat_mac`) as network-config
/// names it (`08:00:27:…`).
fn nic_mac(record: &Value, key: &str) -> String {
    let mac = record["driver"]["resources"][key].as_str().unwrap();
    let pairs: Vec<String> = mac
        .as_bytes()
        .chunks(2)
        .map(|p| String::from_utf8_lossy(p).to_lowercase())
        .collect();
    pairs.join(":")
}

/// The interfaces cloud-init's own network-config parser (Debian's
/// cloud-init, in the system Python) makes of `file`: `NAME MAC SUBNETS`.
fn cloud_init_interfaces(file: &Path) -> Vec<String> {
    const PARSE: &str = concat!(
        "import sys, yaml\n",
        "from cloudinit.net.network_state import parse_net_config_data\n",
        "state = parse_net_config_data(yaml.safe_load(open(sys.argv[1])))\n",
        "for i in state.iter_interfaces(): ",
        "print(i['name'], i.get('mac_address'), ','.join(s['type'] for s in i['subnets']))\n",
    );
    let out = Command::new("/usr/bin/python3")
        .args(["-c", PARSE])
        .arg(file)
        .output()
        .expect("Debian's python3 with cloud-init");
    assert!(
        out.status.success(),
        "cloud-init refused the network-config: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn create_stop_start_kill_rm_drive_vboxmanage_in_order() {
    let fake = VBoxFake::new();
    let shared = fake.store.dir.path().join("code");
    std::fs::create_dir(&shared).unwrap();
    let share = format!("{}:src", shared.display());
    let run = fake.create(
        "dev",
        &[
            "--keep-on-error",
            "--virtualbox-cpu-count",
            "2",
            "--virtualbox-memory",
            "2048",
            "--virtualbox-disk-size",
            "30000",
            "--virtualbox-share-folder",
            &share,
            "--virtualbox-nat-nictype",
            "82540EM",
            "--virtualbox-host-dns-resolver",
        ],
    );
    assert!(
        run.stderr.contains("SSH to 127.0.0.1:"),
        "create stops at the SSH wait: {}",
        run.stderr
    );
    let calls = fake.take_calls();
    assert_eq!(verbs(&calls), CREATE_VERBS, "{calls:?}");
    let record = fake.record("dev");
    let res = &record["driver"]["resources"];
    let uuid = res["vm_uuid"].as_str().unwrap().to_string();
    let port = res["ssh_port"].as_u64().unwrap();
    assert_eq!(res["ip"], "192.168.56.101");
    assert_eq!(res["hostonly_if"], "vboxnet0");

    let createvm = call(&calls, "createvm");
    assert_eq!(arg(createvm, "--name"), "dev");
    assert_eq!(
        Path::new(arg(createvm, "--basefolder")),
        fake.store.machine_dir("dev")
    );
    assert!(createvm.contains(&"--register".to_string()));
    let modifyvm = call(&calls, "modifyvm");
    assert_eq!(modifyvm[1], uuid);
    assert_eq!(arg(modifyvm, "--cpus"), "2");
    assert_eq!(arg(modifyvm, "--memory"), "2048");
    assert_eq!(arg(modifyvm, "--nic1"), "nat");
    assert_eq!(
        arg(modifyvm, "--natpf1"),
        format!("ssh,tcp,127.0.0.1,{port},,22")
    );
    assert_eq!(arg(modifyvm, "--uart1"), "0x3F8");
    assert_eq!(
        Path::new(&modifyvm[modifyvm.len() - 1]),
        fake.store.machine_dir("dev").join("dev/console.log"),
        "the serial console goes to a file: {modifyvm:?}"
    );
    let ipconfig = &calls[5];
    assert_eq!(arg(ipconfig, "--ip"), "192.168.56.1");
    assert_eq!(arg(ipconfig, "--netmask"), "255.255.255.0");
    assert_eq!(arg(&calls[8], "--nic2"), "hostonly");
    assert_eq!(arg(&calls[8], "--hostonlyadapter2"), "vboxnet0");
    assert_eq!(arg(call(&calls, "modifymedium"), "--resize"), "30000");
    let attached: Vec<&str> = calls
        .iter()
        .filter(|c| c[0] == "storageattach")
        .map(|c| arg(c, "--type"))
        .collect();
    assert_eq!(attached, ["hdd", "dvddrive"]);
    assert_eq!(arg(call(&calls, "startvm"), "--type"), "headless");
    assert_eq!(arg(modifyvm, "--nictype1"), "82540EM");
    assert_eq!(arg(modifyvm, "--natdnshostresolver1"), "on");
    assert_eq!(arg(modifyvm, "--natdnsproxy1"), "off");
    assert_eq!(arg(&calls[8], "--nictype2"), "virtio");
    assert_eq!(arg(&calls[8], "--nicpromisc2"), "deny");
    let sharing = call(&calls, "sharedfolder");
    assert_eq!(arg(sharing, "--name"), "src");
    assert_eq!(Path::new(arg(sharing, "--hostpath")), shared);
    check_seed(&fake, "dev");

    assert_eq!(fake.ok(&["status", "dev"]).stdout.trim(), "Running");
    fake.take_calls();
    let ls = fake.ok(&["ls", "--format", "{{.Name}} {{.State}}"]);
    assert_eq!(ls.stdout.trim(), "dev Running");
    assert_eq!(
        verbs(&fake.take_calls()),
        ["list vms", "list runningvms"],
        "ls asks VirtualBox twice for every machine"
    );

    fake.ok(&["stop", "dev"]);
    assert_eq!(
        verbs(&fake.take_calls()),
        ["controlvm acpipowerbutton", "showvminfo"]
    );
    assert_eq!(fake.ok(&["status", "dev"]).stdout.trim(), "Stopped");
    fake.take_calls();
    fake.ok(&["start", "dev"]);
    assert_eq!(
        verbs(&fake.take_calls()),
        ["showvminfo", "showvminfo", "startvm", "guestproperty get"]
    );
    fake.ok(&["kill", "dev"]);
    assert_eq!(verbs(&fake.take_calls()), ["controlvm poweroff"]);
    assert_eq!(fake.ok(&["status", "dev"]).stdout.trim(), "Stopped");
    // Off already: stop and kill have nothing to do, and say no error.
    fake.take_calls();
    fake.ok(&["stop", "dev"]);
    fake.ok(&["kill", "dev"]);
    assert_eq!(
        verbs(&fake.take_calls()),
        [
            "controlvm acpipowerbutton",
            "showvminfo",
            "controlvm poweroff",
            "showvminfo"
        ]
    );

    // Something took the SSH port while the VM was off: start moves the forward.
    let taken = std::net::TcpListener::bind(("127.0.0.1", port as u16)).unwrap();
    fake.ok(&["start", "dev"]);
    let calls = fake.take_calls();
    let moved = fake.record("dev")["driver"]["resources"]["ssh_port"]
        .as_u64()
        .unwrap();
    assert_ne!(moved, port);
    let natpf: Vec<&str> = calls
        .iter()
        .filter(|c| c[0] == "modifyvm")
        .map(|c| arg(c, "--natpf1"))
        .collect();
    assert_eq!(natpf, ["delete", &format!("ssh,tcp,127.0.0.1,{moved},,22")]);
    drop(taken);

    // A guest that ignores the power button is powered off after the grace.
    let stop = fake.run_with(&[("FAKE_VBOX_ACPI", "ignore")], &["stop", "dev"]);
    assert!(stop.success, "{}", stop.stderr);
    let calls = verbs(&fake.take_calls());
    assert_eq!(calls.first().unwrap(), "controlvm acpipowerbutton");
    assert_eq!(calls.last().unwrap(), "controlvm poweroff", "{calls:?}");

    fake.ok(&["start", "dev"]);
    fake.take_calls();
    let rm = fake.ok(&["--debug", "rm", "-y", "dev"]);
    let calls = fake.take_calls();
    assert_eq!(
        verbs(&calls),
        ["showvminfo", "controlvm poweroff", "unregistervm"],
        "{}",
        rm.stderr
    );
    assert_eq!(calls[2], ["unregistervm", &uuid, "--delete"]);
    assert!(!fake.store.machine_dir("dev").exists());
    assert_eq!(fake.state()["vms"], serde_json::json!({}));
    eprintln!(
        "VBoxManage calls: create {}, rm {}",
        CREATE_VERBS.len(),
        calls.len()
    );
}

#[test]
fn a_failed_create_removes_the_vm_and_every_file() {
    let fake = VBoxFake::new();
    // The SSH wait fails after everything exists: all of it goes.
    let run = fake.create("gone", &[]);
    assert!(!run.success);
    let calls = verbs(&fake.take_calls());
    let tail: Vec<&str> = calls
        .iter()
        .rev()
        .take(3)
        .rev()
        .map(|s| s.as_str())
        .collect();
    assert_eq!(
        tail,
        ["showvminfo", "controlvm poweroff", "unregistervm"],
        "{calls:?}"
    );
    assert!(!fake.store.machine_dir("gone").exists());
    assert_eq!(fake.state()["vms"], serde_json::json!({}));

    // A step in the middle fails (the disk is cloned, the controller is not made).
    let image = fake.image();
    let run = fake.run_with(
        &[("FAKE_VBOX_FAIL", "modifymedium")],
        &create_args(image.to_str().unwrap(), &["mid"]),
    );
    let error = run.one_line_error();
    assert!(
        error.contains("VBoxManage modifymedium disk failed"),
        "{error}"
    );
    let calls = verbs(&fake.take_calls());
    // The clone was never attached, so unregistering leaves it: closed and deleted.
    assert!(
        calls.ends_with(&[
            "showvminfo".to_string(),
            "unregistervm".to_string(),
            "closemedium disk".to_string()
        ]),
        "{calls:?}"
    );
    assert!(!fake.store.machine_dir("mid").exists());
    assert_eq!(fake.state()["vms"], serde_json::json!({}));
}

/// A VM deleted in VirtualBox's own tools: rm finishes the job.
#[test]
fn rm_after_the_vm_was_deleted_elsewhere_removes_the_rest() {
    let fake = VBoxFake::new();
    fake.create("lost", &["--keep-on-error"]);
    let uuid = fake.record("lost")["driver"]["resources"]["vm_uuid"]
        .as_str()
        .unwrap()
        .to_string();
    for args in [
        ["controlvm", &uuid, "poweroff"],
        ["unregistervm", &uuid, "--delete"],
    ] {
        let done = Command::new(fixtures().join("VBoxManage"))
            .env("FAKE_VBOX_HOME", fake.home())
            .args(args)
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(done.success(), "VBoxManage {args:?}");
    }
    fake.take_calls();
    let rm = fake.ok(&["--debug", "rm", "-y", "lost"]);
    assert!(rm.stderr.contains("(already gone)"), "{}", rm.stderr);
    assert_eq!(verbs(&fake.take_calls()), ["showvminfo"]);
    assert!(!fake.store.machine_dir("lost").exists());
}

#[test]
fn a_refused_hostonly_network_rolls_back_the_vm_and_says_why() {
    let fake = VBoxFake::new();
    let run = fake.create(
        "outside",
        &["--virtualbox-hostonly-cidr", "192.168.99.1/24"],
    );
    let error = run.one_line_error();
    for words in [
        "E_ACCESSDENIED",
        "192.168.56.0/21",
        "/etc/vbox/networks.conf",
        "* 192.168.99.0/24",
    ] {
        assert!(error.contains(words), "{words:?} missing from: {error}");
    }
    let calls = fake.take_calls();
    let verbs = verbs(&calls);
    assert_eq!(
        verbs[1..],
        [
            "createvm",
            "modifyvm",
            "list hostonlyifs",
            "hostonlyif create",
            "hostonlyif ipconfig",
            "hostonlyif remove",
            "showvminfo",
            "unregistervm",
        ],
        "{calls:?}"
    );
    assert_eq!(fake.state()["vms"], serde_json::json!({}));
    assert_eq!(fake.state()["hostonlyifs"], serde_json::json!([]));
    assert!(!fake.store.machine_dir("outside").exists());
}

#[test]
fn missing_old_or_wrongly_flagged_virtualbox_is_one_line_and_makes_nothing() {
    let fake = VBoxFake::new();
    let image = fake.image();
    let image = image.to_str().unwrap();
    let base = create_args(image, &[]);
    let named = |name: &str| create_args(image, &[name]);

    let run = fake.run_with(&[("PATH", "/nonexistent")], &named("m1"));
    let error = run.one_line_error();
    assert!(error.contains("VBoxManage was not found"), "{error}");
    assert!(error.contains("VirtualBox 6.1 or later"), "{error}");

    // Not on PATH but where the Windows installer says it is: found.
    let fixtures = fixtures();
    let elsewhere = [
        ("PATH", "/usr/bin:/bin"),
        ("VBOX_MSI_INSTALL_PATH", fixtures.to_str().unwrap()),
    ];
    let args = create_args(image, &["--ssh-timeout", "1", "found"]);
    let run = fake.run_with(&elsewhere, &args);
    assert!(run.stderr.contains("SSH to 127.0.0.1:"), "{}", run.stderr);
    fake.take_calls();

    let run = fake.run_with(&[("FAKE_VBOX_VERSION", "5.2.44r139111")], &named("m2"));
    let error = run.one_line_error();
    assert!(
        error.contains("VirtualBox 5.2.44r139111 is too old: machinectl needs 6.1 or later"),
        "{error}"
    );

    for (flag, value, words) in [
        (
            "--virtualbox-hostonly-cidr",
            "192.168.56.0/24",
            "network or broadcast",
        ),
        ("--virtualbox-memory", "100", "512"),
        (
            "--virtualbox-image-url",
            "ftp://x/y.img",
            "not an image URL",
        ),
        ("--virtualbox-share-folder", "/tmp:bad name", "share-folder"),
        ("--virtualbox-nat-nictype", "e1000", "possible values"),
        (
            "--virtualbox-boot2docker-url",
            "https://example.com/boot2docker.iso",
            "boot2docker is no longer maintained",
        ),
    ] {
        let mut args = base.clone();
        args.extend([flag, value, "m3"].map(String::from));
        let run = fake.run(&args);
        assert!(!run.success, "{flag} {value} was taken");
        assert!(run.stderr.contains(words), "{flag}: {}", run.stderr);
    }
    let error = fake.run(&create_args("/nonexistent/image.vmdk", &["m4"]));
    assert!(
        error
            .one_line_error()
            .contains("cannot read --virtualbox-image-path"),
        "{}",
        error.stderr
    );
    let made: Vec<_> = fake
        .take_calls()
        .into_iter()
        .filter(|c| c[0] != "--version")
        .collect();
    assert!(made.is_empty(), "nothing is asked of VirtualBox: {made:?}");
    let machines = fake.store.root().join("machines");
    let left = std::fs::read_dir(&machines).map(|d| d.count()).unwrap_or(0);
    assert_eq!(left, 0, "nothing is written");
}

#[test]
fn qcow2_images_go_through_qemu_img_and_leases_give_the_address() {
    let fake = VBoxFake::new();
    if crate::common::which("qemu-img").is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have qemu-img (qemu-utils)"
        );
        eprintln!("skipped: qemu-img is not installed");
        return;
    }
    let qcow2 = fake.store.dir.path().join("cloud.img");
    let made = Command::new("qemu-img")
        .args(["create", "-q", "-f", "qcow2"])
        .arg(&qcow2)
        .arg("8M")
        .status()
        .unwrap();
    assert!(made.success());
    let args = create_args(
        qcow2.to_str().unwrap(),
        &["--ssh-timeout", "1", "--keep-on-error", "q"],
    );
    let run = fake.run_with(&[("FAKE_VBOX_LEASE", "1")], &args);
    assert!(run.stderr.contains("SSH to 127.0.0.1:"), "{}", run.stderr);
    let calls = fake.take_calls();
    let raw = fake.store.machine_dir("q").join("image.raw");
    let convert = call(&calls, "convertfromraw");
    assert_eq!(Path::new(&convert[1]), raw);
    assert_eq!(convert[3..], ["--format", "VDI"]);
    assert!(!raw.exists(), "the raw scratch copy is deleted");
    assert!(!verbs(&calls).contains(&"clonemedium disk".to_string()));
    // No guest property: the address came from the DHCP server's lease.
    assert_eq!(
        fake.record("q")["driver"]["resources"]["ip"],
        "192.168.56.101"
    );
    fake.ok(&["rm", "-y", "q"]);
}

// ---------------------------------------------------------------------------
// The image download, from a loopback server that honours Range requests.

/// The path and Range header of one request.
type Request = (String, Option<String>);

struct ImageServer {
    base: String,
    log: Arc<Mutex<Vec<Request>>>,
}

impl ImageServer {
    /// Serves `/img/test.vmdk` and `/img/SHA256SUMS`; the first image
    /// response is cut after `cut` bytes when given.
    fn start(image: Vec<u8>, sums: String, cut: Option<usize>) -> ImageServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}/img", listener.local_addr().unwrap());
        let log = Arc::new(Mutex::new(Vec::new()));
        let seen = log.clone();
        std::thread::spawn(move || {
            let mut cut = cut;
            for stream in listener.incoming().flatten() {
                let (path, range) = read_head(&stream);
                seen.lock().unwrap().push((path.clone(), range.clone()));
                let mut stream = stream;
                let reply = match path.as_str() {
                    "/img/SHA256SUMS" => head(200, sums.len(), None) + &sums,
                    "/img/test.vmdk" => {
                        serve_image(&mut stream, &image, range, cut.take());
                        continue;
                    }
                    _ => head(404, 0, None),
                };
                let _ = stream.write_all(reply.as_bytes());
            }
        });
        ImageServer { base, log }
    }

    fn requests(&self) -> Vec<Request> {
        std::mem::take(&mut *self.log.lock().unwrap())
    }
}

fn read_head(stream: &std::net::TcpStream) -> Request {
    let mut reader = BufReader::new(stream);
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    let mut range = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("range")
        {
            range = Some(v.trim().to_string());
        }
    }
    let path = first.split_whitespace().nth(1).unwrap_or("").to_string();
    (path, range)
}

fn head(status: u16, len: usize, range: Option<(usize, usize)>) -> String {
    let reason = match status {
        200 => "OK",
        206 => "Partial Content",
        _ => "Not Found",
    };
    let mut head =
        format!("HTTP/1.1 {status} {reason}\r\nContent-Length: {len}\r\nConnection: close\r\n");
    if let Some((from, total)) = range {
        head += &format!("Content-Range: bytes {from}-{}/{total}\r\n", total - 1);
    }
    head + "\r\n"
}

fn serve_image(
    stream: &mut std::net::TcpStream,
    image: &[u8],
    range: Option<String>,
    cut: Option<usize>,
) {
    let from = range
        .as_deref()
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.strip_suffix('-'))
        .and_then(|r| r.parse::<usize>().ok());
    let (status, body, range) = match from {
        Some(from) => (206, &image[from..], Some((from, image.len()))),
        None => (200, image, None),
    };
    let _ = stream.write_all(head(status, body.len(), range).as_bytes());
    let body = match cut {
        Some(cut) => &body[..cut],
        None => body,
    };
    let _ = stream.write_all(body);
    let _ = stream.flush();
}

fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A 3 MiB "image" with VirtualBox's VMDK magic.
fn image_bytes() -> Vec<u8> {
    let mut data = b"KDMV".to_vec();
    data.extend((0..3 * 1024 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    data
}

fn create_from_url(fake: &VBoxFake, server: &ImageServer, name: &str) -> Run {
    let url = format!("{}/test.vmdk", server.base);
    fake.run(&create_args(&url, &["--ssh-timeout", "1", name]))
}

#[test]
fn image_download_resumes_after_a_cut_is_reused_refetched_when_changed_and_used_offline() {
    let image = image_bytes();
    let sums = format!(
        "{}  other.img\n{} *test.vmdk\n",
        "0".repeat(64),
        sha256_hex(&image)
    );
    let server = ImageServer::start(image.clone(), sums, Some(1024 * 1024));
    let fake = VBoxFake::new();
    let cached = fake.store.root().join("cache/test.vmdk");

    let run = create_from_url(&fake, &server, "a");
    assert!(run.stderr.contains("SSH to 127.0.0.1:"), "{}", run.stderr);
    for line in [
        "Downloading test.vmdk (3 MiB)",
        "Resuming test.vmdk at 1 MiB of 3 MiB",
        "Downloading test.vmdk: 100%",
    ] {
        assert!(
            run.stderr.contains(line),
            "{line:?} missing:\n{}",
            run.stderr
        );
    }
    assert_eq!(
        server.requests(),
        [
            ("/img/SHA256SUMS".to_string(), None),
            ("/img/test.vmdk".to_string(), None),
            (
                "/img/test.vmdk".to_string(),
                Some("bytes=1048576-".to_string())
            ),
        ]
    );
    assert_eq!(std::fs::read(&cached).unwrap(), image);
    assert!(!fake.store.root().join("cache/test.vmdk.part").exists());
    let clone = fake
        .take_calls()
        .into_iter()
        .find(|c| c[0] == "clonemedium")
        .expect("the cached image was cloned");
    assert_eq!(Path::new(&clone[2]), cached);

    // Whole in the cache: only SHA256SUMS is asked for.
    create_from_url(&fake, &server, "b");
    assert_eq!(server.requests(), [("/img/SHA256SUMS".to_string(), None)]);

    // Corrupt in the cache: fetched again.
    std::fs::write(&cached, b"KDMV damaged").unwrap();
    let run = create_from_url(&fake, &server, "c");
    assert!(
        run.stderr
            .contains("The cached test.vmdk does not match SHA256SUMS (a newer image"),
        "{}",
        run.stderr
    );
    assert_eq!(server.requests().len(), 2);
    assert_eq!(std::fs::read(&cached).unwrap(), image);

    // Offline (nothing answers at the URL): the unchanged cached image is used.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let offline = format!("http://{}/img/test.vmdk", closed.local_addr().unwrap());
    drop(closed);
    let run = fake.run(&create_args(&offline, &["--ssh-timeout", "1", "d"]));
    assert!(
        run.stderr.contains(
            "SHA256SUMS could not be read: using the cached test.vmdk, which matched it when it was fetched"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("SSH to 127.0.0.1:"), "{}", run.stderr);
    // …but not once it changed.
    std::fs::write(&cached, b"KDMV damaged").unwrap();
    let run = fake.run(&create_args(&offline, &["--ssh-timeout", "1", "e"]));
    assert!(
        run.one_line_error()
            .contains("cannot read http://127.0.0.1:"),
        "{}",
        run.stderr
    );
}

/// Two creates at once fetch the image once and share one host-only
/// interface; docker-machine's VIRTUALBOX_* variables set the flags.
#[test]
fn creates_at_once_share_one_download_and_one_hostonly_interface() {
    let image = image_bytes();
    let sums = format!("{} *test.vmdk\n", sha256_hex(&image));
    let server = ImageServer::start(image, sums, None);
    let mut fake = VBoxFake::new();
    fake.env
        .push(("VIRTUALBOX_MEMORY_SIZE".into(), "1536".into()));
    fake.env.push(("VIRTUALBOX_CPU_COUNT".into(), "3".into()));
    let url = format!("{}/test.vmdk", server.base);
    let extra = [
        "--ssh-timeout",
        "1",
        "--keep-on-error",
        "--count",
        "2",
        "--prefix",
        "p",
    ];
    let run = fake.run(&create_args(&url, &extra));
    assert!(run.stderr.contains("2 failed"), "{}", run.stderr);
    let images = server
        .requests()
        .into_iter()
        .filter(|(path, _)| path == "/img/test.vmdk")
        .count();
    assert_eq!(images, 1, "one download for both");
    let calls = fake.take_calls();
    let made = calls
        .iter()
        .filter(|c| c.len() > 1 && c[..2] == ["hostonlyif", "create"])
        .count();
    assert_eq!(made, 1, "one interface for both: {calls:?}");
    let sized: Vec<_> = calls
        .iter()
        .filter(|c| c[0] == "modifyvm" && c.contains(&"--memory".to_string()))
        .map(|c| (arg(c, "--memory").to_string(), arg(c, "--cpus").to_string()))
        .collect();
    assert_eq!(
        sized,
        [("1536".into(), "3".into()), ("1536".into(), "3".into())]
    );
    for name in ["p-1", "p-2"] {
        assert_eq!(
            fake.record(name)["driver"]["resources"]["hostonly_if"],
            "vboxnet0"
        );
    }
    fake.ok(&["rm", "-y", "p-1", "p-2"]);
    assert_eq!(fake.state()["vms"], serde_json::json!({}));
    // The interface is VirtualBox's shared network: rm keeps it.
    assert_eq!(fake.state()["hostonlyifs"].as_array().unwrap().len(), 1);
}

#[test]
fn a_checksum_mismatch_is_refused_and_the_bad_file_not_kept() {
    let image = image_bytes();
    let sums = format!("{} *test.vmdk\n", "ab".repeat(32));
    let server = ImageServer::start(image, sums, None);
    let fake = VBoxFake::new();
    let run = create_from_url(&fake, &server, "bad");
    let error = run.one_line_error();
    assert!(
        error.contains("the downloaded test.vmdk does not match SHA256SUMS"),
        "{error}"
    );
    assert!(error.contains("the bad file was removed"), "{error}");
    let cache: Vec<_> = std::fs::read_dir(fake.store.root().join("cache"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".lock"))
        .collect();
    assert!(cache.is_empty(), "kept: {cache:?}");
    let made: Vec<_> = fake
        .take_calls()
        .into_iter()
        .filter(|c| c[0] != "--version")
        .collect();
    assert!(made.is_empty(), "no VM for a bad image: {made:?}");
    assert!(!fake.store.machine_dir("bad").exists());
}

// ---------------------------------------------------------------------------
// Through provisioning, in an isolated namespace.

/// Create → SSH through the NAT forward → provisioning → the engine over
/// mutual TLS at the host-only address → ls, stop, start, kill → rm. A
/// namespace host stands in at the address the stand-in reports.
#[test]
fn create_provisions_the_vm_through_the_nat_forward() {
    const TEST: &str = "virtualbox::create_provisions_the_vm_through_the_nat_forward";
    crate::require_hosts!();
    crate::require_isolation!();
    if !isolated::enter(TEST) {
        return;
    }
    let mut fake = VBoxFake::new();
    fake.env.push(("FAKE_VBOX_FORWARD".into(), "1".into()));
    let image = fake.image();
    let mut create = fake.command();
    let extra = [
        "--virtualbox-ssh-user",
        "root",
        "--ssh-timeout",
        "120",
        "vm",
    ];
    create
        .arg("--debug")
        .args(create_args(image.to_str().unwrap(), &extra))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut create = create.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let ip = loop {
        assert!(Instant::now() < deadline, "the VM never got an address");
        if create.try_wait().unwrap().is_some() {
            let out = create.wait_with_output().unwrap();
            panic!(
                "create ended before the VM had an address:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        if let Ok(text) = std::fs::read_to_string(fake.store.machine_dir("vm").join("machine.json"))
        {
            let record: Value = serde_json::from_str(&text).unwrap_or_default();
            if let Some(ip) = record["driver"]["resources"]["ip"].as_str() {
                break ip.parse::<std::net::Ipv4Addr>().unwrap();
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let key = std::fs::read_to_string(fake.store.machine_dir("vm").join("id_ed25519.pub")).unwrap();
    let spec = machinectl_driver_local::HostSpec {
        hostname: "vm".into(),
        root_dir: fake.store.dir.path().join("vm-host"),
        subnet: "192.168.56.0/24".parse().unwrap(),
        authorized_key: key,
        ip: Some(ip),
    };
    let host = machinectl_driver_local::host::bring_up(&spec).expect("bring up the stand-in VM");
    let created = Run::from(create.wait_with_output().unwrap());
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        provisioned_vm_lives_and_goes(&fake, &created)
    }));
    machinectl_driver_local::host::teardown(&host).unwrap();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

fn provisioned_vm_lives_and_goes(fake: &VBoxFake, created: &Run) {
    assert!(created.success, "create failed:\n{}", created.stderr);
    let create_calls = fake.take_calls().len();
    let env = fake.store.docker_env("vm");
    assert!(
        env.contains(&("DOCKER_HOST".into(), "tcp://192.168.56.101:2376".into())),
        "{env:?}"
    );
    let version = fake
        .store
        .docker("vm", &["version", "--format", "{{.Server.Version}}"]);
    assert!(version.success, "{}", version.stderr);
    let ssh = fake.ok(&["ssh", "vm", "--", "hostname"]);
    assert_eq!(ssh.stdout.trim(), "vm");
    let ls = fake.ok(&["ls", "--format", "{{.Name}} {{.State}} {{.URL}}"]);
    assert_eq!(ls.stdout.trim(), "vm Running tcp://192.168.56.101:2376");
    for verb in ["stop", "start", "restart"] {
        fake.ok(&[verb, "vm"]);
    }
    // Back through the NAT forward the stand-in made again on start.
    let ssh = fake.ok(&["ssh", "vm", "--", "hostname"]);
    assert_eq!(ssh.stdout.trim(), "vm");
    fake.ok(&["kill", "vm"]);
    assert_eq!(fake.ok(&["status", "vm"]).stdout.trim(), "Stopped");
    fake.take_calls();
    fake.ok(&["rm", "-y", "vm"]);
    let rm_calls = fake.take_calls();
    assert_eq!(verbs(&rm_calls), ["showvminfo", "unregistervm"]);
    assert!(!fake.store.machine_dir("vm").exists());
    eprintln!(
        "VBoxManage calls: create {create_calls}, rm {}",
        rm_calls.len()
    );
}

/// On a computer with VirtualBox, only when asked:
/// `MACHINECTL_LIVE_VIRTUALBOX=1 cargo test -p machinectl --test it -- --ignored
/// virtualbox::live`. It downloads Ubuntu's cloud image, boots a real VM and removes it.
#[test]
#[ignore = "boots a real VirtualBox VM: set MACHINECTL_LIVE_VIRTUALBOX=1 and run with --ignored"]
fn live_virtualbox_create_and_rm() {
    assert_eq!(
        std::env::var("MACHINECTL_LIVE_VIRTUALBOX").as_deref(),
        Ok("1"),
        "set MACHINECTL_LIVE_VIRTUALBOX=1 on a computer with VirtualBox to boot a real VM"
    );
    let store = TestStore::new();
    let create = store.run(["create", "-d", "virtualbox", "live-vbox"]);
    let version = store.docker("live-vbox", &["version", "--format", "{{.Server.Version}}"]);
    let stop = store.run(["stop", "live-vbox"]);
    let removed = store.run(["rm", "-y", "live-vbox"]);
    assert!(create.success, "{}", create.stderr);
    assert!(version.success, "{}", version.stderr);
    assert!(stop.success, "{}", stop.stderr);
    assert!(removed.success, "{}", removed.stderr);
}
