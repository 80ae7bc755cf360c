//! Crash safety: `machinectl create` and `rm`, and `clusterctl up`, `scale`
//! and `down`, stopped at each of their named steps. The run's stderr is
//! read line by line (every step prints `• STEP …` as it starts and
//! `✓ STEP` as it ends) and the process gets a signal the moment the
//! chosen line appears.
//!
//! After SIGKILL, `ls` still works and shows the machine, with the step its
//! create died in, and `rm -y` (clusters: `down -y`) removes everything: no
//! record, directory, network namespace, veth, process or mount is left.
//! SIGINT and SIGTERM roll back by themselves: the run exits non-zero and
//! leaves nothing, or (signalled as its last step ended) it finished, and
//! what it made works and is removed the ordinary way.
//!
//! The aws driver (against moto, isolated) and the digitalocean driver
//! (against its scripted fake) get the same treatment in `aws.rs`-style
//! isolated tests at the end of this file; the gce, azure and virtualbox
//! drivers in `crash_drivers.rs`, which uses the helpers here.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::{Run, TestStore, alive};
use crate::require_hosts;

/// A step line: `• NAME …` when a step starts, `✓ NAME` or `✗ NAME` when it ends.
fn is_step(line: &str) -> bool {
    line.starts_with("• ") || line.starts_with("✓ ") || line.starts_with("✗ ")
}

/// What a signalled run gave: its output, and whether the signal was sent
/// (false: the run ended before the chosen step line).
pub struct Signalled {
    pub run: Run,
    pub sent: bool,
    /// The step lines seen before the signal.
    pub steps: Vec<String>,
}

/// Run `command` with --debug and send `signal` when its `point`-th step
/// line (counted from 1) appears on stderr.
pub fn signal_at_step(mut command: Command, point: usize, signal: i32) -> Signalled {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let pid = child.id() as libc::pid_t;
    let mut stdout = child.stdout.take().unwrap();
    let out_thread = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let (tx, rx) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let (mut stderr_text, mut steps, mut sent, mut seen) = (String::new(), Vec::new(), false, 0);
    let deadline = Instant::now() + Duration::from_secs(300);
    let mut exited_at = None;
    loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(line) => {
                if is_step(&line) && !sent {
                    seen += 1;
                    steps.push(line.clone());
                    if seen == point {
                        // SAFETY: kill sends a signal to our own child.
                        unsafe { libc::kill(pid, signal) };
                        sent = true;
                    }
                }
                stderr_text.push_str(&line);
                stderr_text.push('\n');
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                // A daemon the run started may hold stderr open: stop
                // reading shortly after the process itself ended.
                if child.try_wait().unwrap().is_some() {
                    let at = *exited_at.get_or_insert_with(Instant::now);
                    if at.elapsed() > Duration::from_millis(500) {
                        break;
                    }
                }
            }
        }
        assert!(
            Instant::now() < deadline,
            "the run did not end:\n{stderr_text}"
        );
    }
    let status = child.wait().unwrap();
    let run = Run {
        success: status.success(),
        code: status.code(),
        stdout: out_thread.join().unwrap(),
        stderr: stderr_text,
    };
    Signalled { run, sent, steps }
}

/// What a local machine has on this computer, read from its record: its
/// network namespace, veth and the processes in the namespace.
#[derive(Debug, Default)]
pub struct Traces {
    netns: Vec<String>,
    veths: Vec<String>,
    pids: Vec<u64>,
    dirs: Vec<PathBuf>,
}

impl Traces {
    /// Add machine `name`'s traces (whatever its record names so far).
    pub fn add(&mut self, store: &TestStore, name: &str) {
        let dir = store.machine_dir(name);
        self.dirs.push(dir.clone());
        let Ok(text) = std::fs::read_to_string(dir.join("machine.json")) else {
            return;
        };
        let record: serde_json::Value = serde_json::from_str(&text).unwrap();
        let host = &record["driver"]["host"];
        if let Some(ns) = host["netns"].as_str() {
            let pids = Command::new("ip").args(["netns", "pids", ns]).output();
            if let Ok(out) = pids {
                let text = String::from_utf8_lossy(&out.stdout);
                self.pids.extend(
                    text.split_whitespace()
                        .filter_map(|p| p.parse::<u64>().ok()),
                );
            }
            self.netns.push(ns.to_string());
        }
        if let Some(veth) = host["veth"].as_str() {
            self.veths.push(veth.to_string());
        }
        if let Some(pid) = host["anchor_pid"].as_u64() {
            self.pids.push(pid);
        }
    }

    /// Every machine of the store.
    pub fn of_store(store: &TestStore) -> Traces {
        let mut traces = Traces::default();
        if let Ok(entries) = std::fs::read_dir(store.root().join("machines")) {
            for entry in entries.flatten() {
                traces.add(store, &entry.file_name().to_string_lossy());
            }
        }
        traces
    }

    /// Nothing of them is left: no namespace, veth, process, mount or directory.
    pub fn assert_gone(&self, store: &TestStore, when: &str) {
        for ns in &self.netns {
            assert!(
                !Path::new("/var/run/netns").join(ns).exists(),
                "{when}: namespace {ns} left"
            );
        }
        for veth in &self.veths {
            assert!(
                !Path::new("/sys/class/net").join(veth).exists(),
                "{when}: veth {veth} left"
            );
        }
        // rm waits for the host's processes: no sleep before looking.
        for pid in &self.pids {
            assert!(!alive(*pid), "{when}: process {pid} left");
        }
        for dir in &self.dirs {
            assert!(!dir.exists(), "{when}: {} left", dir.display());
        }
        let mounts = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
        let root = store.root().display().to_string();
        assert!(
            !mounts.contains(&root),
            "{when}: a mount under the store is left"
        );
    }
}

fn debug_command(store: &TestStore, bin: &str, args: &[&str]) -> Command {
    let mut command = store.command_for(bin);
    command.arg("--debug").args(args);
    command
}

/// Step lines of an undisturbed run (to know how many points there are).
fn count_steps(store: &TestStore, bin: &str, args: &[&str]) -> usize {
    let run = signal_at_step(debug_command(store, bin, args), usize::MAX, 0);
    assert!(run.run.success, "{}", run.run.stderr);
    eprintln!("{bin} {args:?}: {} step lines to stop at", run.steps.len());
    run.steps.len()
}

/// `ls` works and shows `name`; a create that died names its step.
fn assert_listed(store: &TestStore, name: &str, when: &str) {
    let ls = store.run(["ls"]);
    assert!(ls.success, "{when}: ls failed: {}", ls.stderr);
    let row = ls
        .stdout
        .lines()
        .find(|l| l.split_whitespace().next() == Some(name))
        .unwrap_or_else(|| panic!("{when}: ls does not show {name}:\n{}", ls.stdout));
    let state = row.split_whitespace().nth(3).unwrap_or_default();
    match state {
        "Running" | "Stopped" => {}
        "Error" => assert!(
            row.contains("stopped during \"") || row.contains("left behind"),
            "{when}: the error names no step: {row}"
        ),
        other => panic!("{when}: {name} shows as {other}, not as stopped: {row}"),
    }
}

pub(crate) const SIGNALS: [(i32, &str); 3] = [
    (libc::SIGKILL, "SIGKILL"),
    (libc::SIGINT, "SIGINT"),
    (libc::SIGTERM, "SIGTERM"),
];

/// After a signal: SIGKILL leaves the machine listed for `rm`; SIGINT and
/// SIGTERM leave nothing unless the create had already finished.
fn settle_create(store: &TestStore, name: &str, signal: i32, run: &Signalled, when: &str) {
    let mut traces = Traces::default();
    traces.add(store, name);
    if signal == libc::SIGKILL {
        assert!(!run.run.success, "{when}: a killed create succeeded");
        if store.machine_dir(name).exists() {
            assert_listed(store, name, when);
            store.ok(["rm", "-y", name]);
        }
    } else if run.run.success {
        // Signalled as it ended: the machine is whole.
        assert_eq!(store.inspect(name)["state"], "Running", "{when}");
        store.ok(["rm", "-y", name]);
    } else {
        assert!(
            run.run.stderr.contains("interrupted"),
            "{when}: not a rollback:\n{}",
            run.run.stderr
        );
        assert!(!store.machine_dir(name).exists(), "{when}: record left");
    }
    traces.assert_gone(store, when);
    assert_eq!(store.ok(["ls", "-q"]).stdout, "", "{when}");
}

/// create, stopped by each signal at each step.
#[test]
fn local_create_stopped_at_every_step_leaves_nothing_after_rm() {
    require_hosts!();
    let store = TestStore::new();
    // The store's CA first, so every point is within the machine's own steps.
    let points = count_steps(&store, "machinectl", &["create", "warm"]);
    store.ok(["rm", "-y", "warm"]);
    assert!(points >= 10, "too few steps to aim at: {points}");
    let mut signalled = 0;
    for (signal, signal_name) in SIGNALS {
        for point in 1..=points {
            let name = format!("c{point}");
            let when = format!("create, {signal_name} at step line {point}");
            let run = signal_at_step(
                debug_command(&store, "machinectl", &["create", &name]),
                point,
                signal,
            );
            assert!(run.sent, "{when}: the run ended first:\n{}", run.run.stderr);
            signalled += 1;
            settle_create(&store, &name, signal, &run, &when);
        }
    }
    assert_eq!(signalled, points * 3);
}

/// rm, stopped by each signal at each of its steps: `ls` still works and
/// another `rm -y` finishes the job.
#[test]
fn local_rm_stopped_at_every_step_is_finished_by_rm() {
    require_hosts!();
    let store = TestStore::new();
    for (signal, signal_name) in SIGNALS {
        for point in 1..=2 {
            let name = format!("r{point}");
            let when = format!("rm, {signal_name} at step line {point}");
            store.ok(["create", &name]);
            let mut traces = Traces::default();
            traces.add(&store, &name);
            let run = signal_at_step(
                debug_command(&store, "machinectl", &["rm", "-y", &name]),
                point,
                signal,
            );
            assert!(run.sent, "{when}: the run ended first");
            let ls = store.run(["ls"]);
            assert!(ls.success, "{when}: {}", ls.stderr);
            if store.machine_dir(&name).exists() {
                store.ok(["rm", "-y", &name]);
            }
            traces.assert_gone(&store, &when);
        }
    }
}

fn clusterctl(store: &TestStore, args: &[&str]) -> Run {
    store.ok_bin("clusterctl", args)
}

fn run_bin(store: &TestStore, bin: &str, args: &[&str]) -> Run {
    Run::from(store.command_for(bin).args(args).output().unwrap())
}

/// The clusters `clusterctl ls` shows.
fn cluster_names(store: &TestStore) -> Vec<String> {
    let ls = run_bin(store, "clusterctl", &["ls"]);
    assert!(ls.success, "clusterctl ls failed: {}", ls.stderr);
    ls.stdout
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

/// `clusterctl ls` and `machinectl ls` work; every node made so far is listed.
fn assert_cluster_listed(store: &TestStore, cluster: &str, when: &str) {
    let ls = run_bin(store, "clusterctl", &["ls"]);
    assert!(ls.success, "{when}: clusterctl ls failed: {}", ls.stderr);
    let machines = store.run(["ls", "-q"]);
    assert!(machines.success, "{when}: {}", machines.stderr);
    for name in machines.stdout.lines() {
        assert_listed(store, name, when);
    }
    if !machines.stdout.is_empty() {
        assert!(ls.stdout.contains(cluster), "{when}: {}", ls.stdout);
    }
}

/// `down -y` removes what is there (when there is a cluster), then nothing is left.
fn down_and_check(store: &TestStore, cluster: &str, traces: &Traces, when: &str) {
    if cluster_names(store).iter().any(|c| c == cluster) {
        clusterctl(store, &["down", "-y", cluster]);
    }
    assert_eq!(store.ok(["ls", "-q"]).stdout, "", "{when}: machines left");
    traces.assert_gone(store, when);
}

const UP: [&str; 6] = ["up", "--provider", "local", "--nodes", "2", "k"];

/// `clusterctl up` stopped at each step start by each signal: `down -y`
/// (SIGKILL) or the run itself (SIGINT, SIGTERM) leaves nothing.
#[test]
fn cluster_up_stopped_at_every_step_leaves_nothing_after_down() {
    require_hosts!();
    let store = TestStore::new();
    let points = count_steps(&store, "clusterctl", &UP);
    clusterctl(&store, &["down", "-y", "k"]);
    for (signal, signal_name) in SIGNALS {
        for point in 1..=points {
            let when = format!("up, {signal_name} at step line {point}");
            let run = signal_at_step(debug_command(&store, "clusterctl", &UP), point, signal);
            assert!(run.sent, "{when}: the run ended first");
            let traces = Traces::of_store(&store);
            if signal == libc::SIGKILL || run.run.success {
                assert_cluster_listed(&store, "k", &when);
            } else {
                assert!(
                    run.run.stderr.contains("interrupted"),
                    "{when}: {}",
                    run.run.stderr
                );
                assert_eq!(store.ok(["ls", "-q"]).stdout, "", "{when}: not rolled back");
                assert!(
                    cluster_names(&store).is_empty(),
                    "{when}: cluster record left"
                );
            }
            down_and_check(&store, "k", &traces, &when);
        }
    }
}

/// `clusterctl scale` (2 → 3) and `down`, stopped at each step: `down -y`
/// removes every node, those the stopped run made included.
#[test]
fn cluster_scale_and_down_stopped_at_every_step_leave_nothing_after_down() {
    require_hosts!();
    let store = TestStore::new();
    clusterctl(&store, &UP);
    let scale = ["scale", "k", "--nodes", "3"];
    let points = count_steps(&store, "clusterctl", &scale);
    clusterctl(&store, &["down", "-y", "k"]);
    for (verb, args, points) in [
        ("scale", &scale[..], points),
        ("down", &["down", "-y", "k"][..], 2),
    ] {
        for (signal, signal_name) in SIGNALS {
            for point in 1..=points {
                let when = format!("{verb}, {signal_name} at step line {point}");
                clusterctl(&store, &UP);
                let run = signal_at_step(debug_command(&store, "clusterctl", args), point, signal);
                assert!(run.sent, "{when}: the run ended first");
                let traces = Traces::of_store(&store);
                assert_cluster_listed(&store, "k", &when);
                down_and_check(&store, "k", &traces, &when);
            }
        }
    }
}

/// After a stopped create or rm of a cloud machine: SIGKILL leaves the
/// machine listed (with the step its create died in) for `rm -y`; SIGINT
/// and SIGTERM of a create roll it back by themselves. `machinectl` runs a
/// command with the provider's environment.
pub(crate) fn settle_cloud(
    store: &TestStore,
    machinectl: &dyn Fn(&[&str]) -> Run,
    name: &str,
    signal: i32,
    run: &Signalled,
    when: &str,
) {
    if signal != libc::SIGKILL && run.run.stderr.contains("error: interrupted") {
        assert!(!store.machine_dir(name).exists(), "{when}: not rolled back");
    }
    if store.machine_dir(name).exists() {
        let ls = machinectl(&["ls"]);
        assert!(ls.success, "{when}: ls failed: {}", ls.stderr);
        let row = ls
            .stdout
            .lines()
            .find(|l| l.starts_with(&format!("{name} ")));
        assert!(
            row.is_some(),
            "{when}: ls does not show {name}:\n{}",
            ls.stdout
        );
        let rm = machinectl(&["rm", "-y", name]);
        assert!(rm.success, "{when}: rm failed: {}", rm.stderr);
    }
    assert!(!store.machine_dir(name).exists(), "{when}: record left");
}

/// A cloud driver's create stopped at each of its steps (creating the
/// host: start and end; waiting for SSH) by each signal, and its rm
/// stopped at its step; `assert_clean` checks the provider after each.
struct CloudRounds<'a> {
    store: &'a TestStore,
    provider: &'a str,
    /// machinectl with the provider's environment.
    command: &'a dyn Fn(&[&str]) -> Command,
    /// `create -d DRIVER …` without the machine's name.
    create: Vec<&'a str>,
    assert_clean: &'a dyn Fn(&str),
}

impl CloudRounds<'_> {
    fn create(&self, name: &str, extra: &[&str]) -> Command {
        let mut args = vec!["--debug"];
        args.extend_from_slice(&self.create);
        args.extend_from_slice(extra);
        args.push(name);
        (self.command)(&args)
    }

    fn run(&self) {
        let machinectl = |args: &[&str]| Run::from((self.command)(args).output().unwrap());
        for (signal, signal_name) in SIGNALS {
            for point in 1..=3 {
                let name = format!("c{point}");
                let when = format!(
                    "{} create, {signal_name} at step line {point}",
                    self.provider
                );
                let run = signal_at_step(self.create(&name, &[]), point, signal);
                assert!(run.sent, "{when}: the run ended first:\n{}", run.run.stderr);
                settle_cloud(self.store, &machinectl, &name, signal, &run, &when);
                (self.assert_clean)(&when);
            }
            let when = format!("{} rm, {signal_name} at its step", self.provider);
            let kept = Run::from(self.create("kept", &["--keep-on-error"]).output().unwrap());
            assert!(self.store.machine_dir("kept").exists(), "{}", kept.stderr);
            let run = signal_at_step((self.command)(&["--debug", "rm", "-y", "kept"]), 1, signal);
            assert!(run.sent, "{when}: the run ended first");
            settle_cloud(self.store, &machinectl, "kept", signal, &run, &when);
            (self.assert_clean)(&when);
        }
    }
}

/// aws against moto (isolated): afterwards moto holds no live instance,
/// key pair or machinectl security group.
#[test]
fn aws_create_and_rm_stopped_at_every_step_leave_nothing_at_moto() {
    crate::require_isolation!();
    if !crate::isolated::enter(
        "crash::aws_create_and_rm_stopped_at_every_step_leave_nothing_at_moto",
    ) {
        return;
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    let moto = crate::isolated::Moto::start(&[]);
    let ec2 = moto.ec2();
    let ami = rt.block_on(crate::aws::some_ami(&ec2));
    let store = TestStore::new();
    let command = |args: &[&str]| {
        let mut command = store.command();
        crate::isolated::aws_env(&mut command);
        command.args(args);
        command
    };
    CloudRounds {
        store: &store,
        provider: "aws",
        command: &command,
        create: vec![
            "create",
            "-d",
            "aws",
            "--aws-endpoint",
            &moto.endpoint,
            "--aws-ami",
            &ami,
            "--ssh-timeout",
            "2",
        ],
        assert_clean: &|when| {
            assert_eq!(
                rt.block_on(crate::aws::leftovers(&ec2)),
                (0, 0, 0),
                "{when}"
            );
        },
    }
    .run();
}

/// digitalocean against its scripted fake (loopback only; the droplets'
/// address is 127.0.0.1, where nothing answers SSH): afterwards the fake
/// account holds no key, droplet, firewall or machine tag.
#[test]
fn digitalocean_create_and_rm_stopped_at_every_step_leave_nothing_at_the_fake() {
    let fake = crate::digitalocean::fake(|_| {});
    let store = TestStore::new();
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string();
    let command = |args: &[&str]| {
        let mut command = store.command();
        command
            .env("DIGITALOCEAN_ACCESS_TOKEN", "dop_v1_crash")
            .env("DIGITALOCEAN_API_URL", &fake.server.url)
            .args(args);
        command
    };
    CloudRounds {
        store: &store,
        provider: "digitalocean",
        command: &command,
        create: vec![
            "create",
            "-d",
            "digitalocean",
            "--ssh-timeout",
            "2",
            "--digitalocean-ssh-port",
            &closed,
        ],
        assert_clean: &|when| {
            let left = fake.account.lock().unwrap().leftovers();
            assert_eq!(left, (0, 0, 0, Vec::new()), "{when}");
        },
    }
    .run();
}

/// A host's /root is its own: sshd runs every command through root's
/// shell, which reads ~/.bashrc, and this machine's (pyenv's rehash takes a
/// lock in ~/.pyenv) left that lock held when a host was killed mid-command,
/// so every later shell here waited a minute.
#[test]
fn a_host_runs_no_shell_start_up_of_this_machine() {
    require_hosts!();
    let store = TestStore::new();
    store.ok(["create", "home"]);
    let listing = store.ok(["ssh", "home", "--", "ls", "-A", "/root"]);
    assert_eq!(
        listing.stdout, ".ssh\n",
        "the host sees this machine's /root"
    );
}
