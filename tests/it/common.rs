//! Helpers shared by the integration tests: a private store per test, the
//! built binary, the real docker client, and an importable busybox image.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

pub const BIN: &str = env!("CARGO_BIN_EXE_machinectl");
pub const CLUSTERCTL: &str = env!("CARGO_BIN_EXE_clusterctl");

/// Why the namespace-host tests cannot run here, if they cannot.
pub fn host_tests_unavailable() -> Option<String> {
    let missing = machinectl_driver_local::missing_requirements();
    if !missing.is_empty() {
        return Some(missing.join("; "));
    }
    if which("docker").is_none() {
        return Some("the docker client is not installed (apt-get install -y docker.io)".into());
    }
    None
}

/// Return from the test with a printed reason when `$unavailable` (an
/// `Option` of why not) says it cannot run here; in CI, where a skip would
/// hide a broken setup, panic with "CI must WHAT: why" instead.
#[macro_export]
macro_rules! require {
    ($unavailable:expr, $what:literal) => {
        if let Some(why) = $unavailable {
            if std::env::var_os("CI").is_some() {
                panic!(concat!("CI must ", $what, ": {}"), why);
            }
            eprintln!("skipped: {why}");
            return;
        }
    };
}

/// Skip unless namespace hosts can run here (never in CI).
#[macro_export]
macro_rules! require_hosts {
    () => {
        $crate::require!(
            $crate::common::host_tests_unavailable(),
            "be able to run namespace hosts"
        )
    };
}

pub fn which(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

/// A store of its own; every machine left in it is removed on drop, so a
/// failing test does not leak namespaces or processes.
pub struct TestStore {
    pub dir: tempfile::TempDir,
}

impl TestStore {
    pub fn new() -> TestStore {
        TestStore {
            dir: tempfile::Builder::new()
                .prefix("machinectl-it-")
                .tempdir()
                .expect("temp dir"),
        }
    }

    /// The store root (not created until machinectl writes to it).
    pub fn root(&self) -> PathBuf {
        self.dir.path().join("store")
    }

    pub fn machine_dir(&self, name: &str) -> PathBuf {
        self.root().join("machines").join(name)
    }

    pub fn command(&self) -> Command {
        self.command_for(BIN)
    }

    /// Either binary, with this store and the test environment.
    pub fn command_for(&self, bin: &str) -> Command {
        let bin = match bin {
            "machinectl" => BIN,
            "clusterctl" => CLUSTERCTL,
            path => path,
        };
        let mut cmd = Command::new(bin);
        self.isolate_env(&mut cmd);
        cmd.env("MACHINECTL_STORAGE_PATH", self.root())
            .env("MACHINECTL_NO_RETRY_DELAY", "1")
            .env_remove("DOCKER_HOST")
            .env_remove("MACHINECTL_DRIVER")
            // CI has no $SHELL and no shell as parent: tests see the same here.
            .env_remove("SHELL")
            .stdin(Stdio::null());
        cmd
    }

    /// The test's own HOME, docker config and kubeconfig: a run never
    /// reads or changes the developer's (`rm` deletes the docker context of
    /// its machine's name; cluster commands merge into the kubeconfig).
    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    pub fn docker_config(&self) -> PathBuf {
        self.dir.path().join("docker-config")
    }

    pub fn kubeconfig(&self) -> PathBuf {
        self.dir.path().join("kube/config")
    }

    /// Point HOME, DOCKER_CONFIG and KUBECONFIG of `cmd` at this test's
    /// directories (for commands built outside [`TestStore::command`]).
    pub fn isolate_env(&self, cmd: &mut Command) {
        let home = self.home();
        let _ = std::fs::create_dir_all(&home);
        cmd.env("HOME", home)
            .env("DOCKER_CONFIG", self.docker_config())
            .env("KUBECONFIG", self.kubeconfig())
            .env_remove("DOCKER_CONTEXT");
    }

    pub fn run<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let args: Vec<_> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
        timed("machinectl", &args, || self.command().args(&args).output())
    }

    /// Run `bin` (machinectl or clusterctl) and insist on success.
    pub fn ok_bin<I, S>(&self, bin: &str, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let args: Vec<_> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
        let run = timed(bin, &args, || self.command_for(bin).args(&args).output());
        assert!(run.success, "{bin} {args:?} failed:\n{}", run.stderr);
        run
    }

    /// Run and insist on success.
    pub fn ok<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let args: Vec<_> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
        let run = self.run(&args);
        assert!(run.success, "machinectl {args:?} failed:\n{}", run.stderr);
        run
    }

    /// The DOCKER_* variables `machinectl env NAME` prints, parsed.
    pub fn docker_env(&self, name: &str) -> Vec<(String, String)> {
        let out = self.ok(["env", "--shell", "bash", name]).stdout;
        out.lines()
            .filter_map(|l| l.strip_prefix("export "))
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.trim_matches('"').to_string()))
            .collect()
    }

    /// Run the real docker client against machine `name`.
    pub fn docker(&self, name: &str, args: &[&str]) -> Run {
        let mut cmd = Command::new("docker");
        cmd.args(args).stdin(Stdio::null());
        self.isolate_env(&mut cmd);
        for (k, v) in self.docker_env(name) {
            cmd.env(k, v);
        }
        Run::from(cmd.output().expect("run docker"))
    }

    pub fn inspect(&self, name: &str) -> serde_json::Value {
        serde_json::from_str(&self.ok(["inspect", name]).stdout).expect("inspect prints JSON")
    }

    /// A store holding `machines` (name, address), imported from a
    /// docker-machine store with SSH on port 1 (nothing answers: for verbs
    /// that need no network), and the SSH key they were given.
    pub fn with_imported(machines: &[(&str, &str)]) -> (TestStore, PathBuf) {
        let store = TestStore::new();
        let dm = store.dir.path().join("dm");
        let certs = project_certs(&dm);
        let key = ssh_keygen(store.dir.path(), "id_rsa");
        let machines: Vec<DmMachine> = machines
            .iter()
            .map(|&(name, ip)| DmMachine {
                name,
                ip,
                ssh_port: 1,
                engine_port: 2376,
                ssh_key: &key,
                certs_dir: &certs,
            })
            .collect();
        docker_machine_store(&dm, &machines);
        let import = store.ok(["import", "--from", dm.to_str().unwrap()]);
        for m in &machines {
            let said = format!("Imported {}", m.name);
            assert!(import.stdout.contains(&said), "{}", import.stdout);
        }
        (store, key)
    }

    /// A live cloud's round trip: `create ARGS… NAME`, the engine's
    /// version through the real docker client, then `rm -y NAME` whatever
    /// happened before; all three must succeed.
    pub fn live_round_trip(&self, create: &[&str], name: &str) {
        let created = self.run([&["create"], create, &[name]].concat());
        let version = self.docker(name, &["version", "--format", "{{.Server.Version}}"]);
        let removed = self.run(["rm", "-y", name]);
        assert!(created.success, "{}", created.stderr);
        assert!(version.success, "{}", version.stderr);
        assert!(removed.success, "{}", removed.stderr);
    }

    /// Machine `name`'s record (machine.json), which must hold none of
    /// `secrets` in clear.
    pub fn record_hiding(&self, name: &str, secrets: &[&str]) -> serde_json::Value {
        let text = std::fs::read_to_string(self.machine_dir(name).join("machine.json")).unwrap();
        for secret in secrets {
            assert!(
                !text.contains(secret),
                "machine.json of {name} holds {secret:?} in clear"
            );
        }
        serde_json::from_str(&text).unwrap()
    }

    /// The swarm's nodes as `manager`'s `docker node ls --format FORMAT`
    /// shows them, one line a node, sorted.
    pub fn swarm_nodes(&self, manager: &str, format: &str) -> Vec<String> {
        let ls = self.docker(manager, &["node", "ls", "--format", format]);
        assert!(ls.success, "{}", ls.stderr);
        let mut nodes: Vec<String> = ls.stdout.lines().map(str::to_string).collect();
        nodes.sort_unstable();
        nodes
    }

    /// Cluster `name`'s record (clusters/NAME/cluster.json) as JSON.
    pub fn cluster_record(&self, name: &str) -> serde_json::Value {
        let path = self.root().join("clusters").join(name).join("cluster.json");
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
    }

    /// The id `up` recorded for cluster `name`.
    pub fn cluster_id(&self, name: &str) -> String {
        let record = self.cluster_record(name);
        record["id"].as_str().unwrap().to_string()
    }
}

/// Every file of `dir` (a render's output) as (file name, text), by name.
pub fn files_in(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            (e.file_name().to_string_lossy().into_owned(), text)
        })
        .collect();
    files.sort();
    files
}

impl Drop for TestStore {
    fn drop(&mut self) {
        let machines = self.root().join("machines");
        if let Ok(entries) = std::fs::read_dir(&machines) {
            let names: Vec<String> = entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            if !names.is_empty() {
                let _ = self
                    .command()
                    .args(["rm", "-y", "-f"])
                    .args(&names)
                    .output();
            }
        }
    }
}

/// What one run of a command gave.
#[derive(Debug)]
pub struct Run {
    pub success: bool,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            success: o.status.success(),
            code: o.status.code(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// Run a command, noting how long it took (shown with a failing test's
/// output, to tell a slow step from a stuck one).
fn timed(
    bin: &str,
    args: &[std::ffi::OsString],
    run: impl FnOnce() -> std::io::Result<Output>,
) -> Run {
    let started = std::time::Instant::now();
    let output = run().unwrap_or_else(|e| panic!("run {bin}: {e}"));
    eprintln!("[{:6.2} s] {bin} {args:?}", started.elapsed().as_secs_f64());
    Run::from(output)
}

impl Run {
    /// Panics when any of `secrets` shows in the run's output (`args`
    /// names the run in the message).
    pub fn assert_hides(&self, secrets: &[&str], args: &[&str]) {
        for secret in secrets {
            assert!(
                !self.stdout.contains(secret) && !self.stderr.contains(secret),
                "{args:?} printed a secret ({secret}):\n{}\n{}",
                self.stdout,
                self.stderr
            );
        }
    }

    /// The error line of a failed run; asserts there is exactly one line.
    pub fn one_line_error(&self) -> &str {
        assert!(
            !self.success,
            "expected failure, got success: {}",
            self.stdout
        );
        let lines: Vec<&str> = self
            .stderr
            .lines()
            .filter(|l| l.starts_with("error:"))
            .collect();
        assert_eq!(
            lines.len(),
            1,
            "expected one error line in:\n{}",
            self.stderr
        );
        lines[0]
    }
}

/// A tarball with a busybox-static root filesystem, made once per test run.
pub fn busybox_rootfs() -> &'static Path {
    static TARBALL: OnceLock<PathBuf> = OnceLock::new();
    TARBALL.get_or_init(|| {
        let busybox = ["/bin/busybox", "/usr/bin/busybox"]
            .into_iter()
            .map(PathBuf::from)
            .find(|p| p.exists())
            .expect("busybox-static is installed (apt-get install -y busybox-static)");
        let dir =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("rootfs-{}", std::process::id()));
        let bin = dir.join("root/bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::copy(&busybox, bin.join("busybox")).unwrap();
        for applet in ["sh", "echo", "cat", "hostname", "sleep", "ls", "wget"] {
            let _ = std::os::unix::fs::symlink("busybox", bin.join(applet));
        }
        let tarball = dir.join("busybox.tar");
        let status = Command::new("tar")
            .arg("-C")
            .arg(dir.join("root"))
            .arg("-cf")
            .arg(&tarball)
            .arg(".")
            .status()
            .unwrap();
        assert!(status.success());
        tarball
    })
}

/// Processes still alive (zombies do not count: this sandbox's init may not reap them).
pub fn alive(pid: u64) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            let state = s[s.rfind(')')? + 1..]
                .split_whitespace()
                .next()?
                .to_string();
            Some(state != "Z" && state != "X")
        })
        .unwrap_or(false)
}

/// A fresh SSH key pair made with ssh-keygen; returns the private key path.
pub fn ssh_keygen(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&path)
        .status()
        .expect("ssh-keygen");
    assert!(status.success());
    path
}

/// One machine of a docker-machine store fixture.
pub struct DmMachine<'a> {
    pub name: &'a str,
    pub ip: &'a str,
    pub ssh_port: u16,
    pub engine_port: u16,
    pub ssh_key: &'a Path,
    /// Where its ca.pem, cert.pem, key.pem are (docker-machine's certs/).
    pub certs_dir: &'a Path,
}

/// Write a docker-machine store (config.json in its v3 shape) under `root`.
pub fn docker_machine_store(root: &Path, machines: &[DmMachine]) {
    for m in machines {
        let dir = root.join("machines").join(m.name);
        std::fs::create_dir_all(&dir).unwrap();
        let certs = m.certs_dir.display().to_string();
        let config = serde_json::json!({
            "ConfigVersion": 3,
            "Driver": {
                "IPAddress": m.ip,
                "MachineName": m.name,
                "SSHUser": "root",
                "SSHPort": m.ssh_port,
                "SSHKeyPath": m.ssh_key,
                "StorePath": root,
                "SwarmMaster": false,
                "SwarmHost": "",
                "SwarmDiscovery": "",
                "EnginePort": m.engine_port
            },
            "DriverName": "generic",
            "HostOptions": {
                "Driver": "",
                "Memory": 0,
                "Disk": 0,
                "EngineOptions": {
                    "ArbitraryFlags": [],
                    "Dns": null,
                    "GraphDir": "",
                    "Env": [],
                    "Ipv6": false,
                    "InsecureRegistry": [],
                    "Labels": ["team=dm"],
                    "LogLevel": "",
                    "StorageDriver": "",
                    "SelinuxEnabled": false,
                    "TlsVerify": true,
                    "RegistryMirror": [],
                    "InstallURL": "https://get.docker.com"
                },
                "SwarmOptions": {
                    "IsSwarm": false, "Address": "", "Discovery": "", "Agent": false,
                    "Master": false, "Host": "tcp://0.0.0.0:3376", "Image": "swarm:latest",
                    "Strategy": "spread", "Heartbeat": 0, "Overcommit": 0,
                    "ArbitraryFlags": [], "ArbitraryJoinFlags": [], "Env": null,
                    "IsExperimental": false
                },
                "AuthOptions": {
                    "CertDir": certs,
                    "CaCertPath": format!("{certs}/ca.pem"),
                    "CaPrivateKeyPath": format!("{certs}/ca-key.pem"),
                    "CaCertRemotePath": "",
                    "ServerCertPath": dir.join("server.pem"),
                    "ServerKeyPath": dir.join("server-key.pem"),
                    "ClientKeyPath": format!("{certs}/key.pem"),
                    "ServerCertRemotePath": "",
                    "ServerKeyRemotePath": "",
                    "ClientCertPath": format!("{certs}/cert.pem"),
                    "ServerCertSANs": [],
                    "StorePath": dir
                }
            },
            "Name": m.name
        });
        std::fs::write(
            dir.join("config.json"),
            serde_json::to_vec_pretty(&config).unwrap(),
        )
        .unwrap();
    }
}

/// CA and client certificates made by machinectl's own PKI in `dir`.
pub fn project_certs(dir: &Path) -> PathBuf {
    let store = machinectl::store::Store::new(dir.to_path_buf());
    machinectl::pki::ensure_client_certs(&store).unwrap();
    store.certs_dir()
}

/// The SAN entries of a PEM certificate: IPs and DNS names.
pub fn certificate_sans(pem_path: &Path) -> (Vec<std::net::IpAddr>, Vec<String>) {
    use x509_parser::extensions::GeneralName;
    let pem = std::fs::read(pem_path).unwrap();
    let (_, pem) = x509_parser::pem::parse_x509_pem(&pem).unwrap();
    let cert = pem.parse_x509().unwrap();
    let san = cert
        .subject_alternative_name()
        .unwrap()
        .expect("SAN extension");
    let mut ips = Vec::new();
    let mut names = Vec::new();
    for name in &san.value.general_names {
        match name {
            GeneralName::IPAddress(bytes) => match bytes.len() {
                4 => ips.push(std::net::IpAddr::from(<[u8; 4]>::try_from(*bytes).unwrap())),
                16 => ips.push(std::net::IpAddr::from(
                    <[u8; 16]>::try_from(*bytes).unwrap(),
                )),
                _ => panic!("odd IP SAN {bytes:?}"),
            },
            GeneralName::DNSName(dns) => names.push(dns.to_string()),
            other => panic!("unexpected SAN {other:?}"),
        }
    }
    (ips, names)
}

/// `machinectl --debug create -d aws dbg` against `endpoint` (loopback),
/// with `secret` as the AWS secret key: a create that fails, for what its
/// output shows and hides.
pub fn debug_aws_create(store: &TestStore, secret: &str, endpoint: &str) -> Run {
    let mut command = store.command();
    crate::isolated::aws_env(&mut command);
    command.env("AWS_SECRET_ACCESS_KEY", secret).args([
        "--debug",
        "create",
        "-d",
        "aws",
        "--aws-endpoint",
        endpoint,
        "--aws-ami",
        "ami-12345678",
        "dbg",
    ]);
    Run::from(command.output().unwrap())
}

/// A cloud instance with no user-data of its own boots with the engine
/// install script: a POSIX sh script whose `url=` line gives `url` back to
/// the shell exactly, and which shellcheck passes (shellcheck is required
/// in CI).
pub fn assert_boot_install_script(user_data: Option<&str>, url: &str) {
    let script = user_data.expect("the instance boots with the engine install script");
    assert!(script.starts_with("#!/bin/sh\n"), "{script}");
    let line = script
        .lines()
        .find(|l| l.starts_with("url="))
        .unwrap_or_else(|| panic!("no url= line in:\n{script}"));
    let out = std::process::Command::new("sh")
        .args(["-c", &format!("{line}\nprintf %s \"$url\"")])
        .output()
        .expect("run sh");
    assert_eq!(String::from_utf8_lossy(&out.stdout), url, "{script}");
    let Some(shellcheck) = which("shellcheck") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run shellcheck: install it (.ci/setup)"
        );
        return;
    };
    let file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(file.path(), script).expect("write the script");
    let check = std::process::Command::new(shellcheck)
        .arg(file.path())
        .output()
        .expect("run shellcheck");
    assert!(
        check.status.success(),
        "shellcheck:\n{}\n{script}",
        String::from_utf8_lossy(&check.stdout)
    );
}
