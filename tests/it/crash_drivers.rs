//! Crash safety of the gce, azure and virtualbox drivers (issue 16), each
//! against its own stand-in: the fake Compute Engine of `gce/fake.rs`, the
//! fake Resource Manager of `azure/fake.rs` and the scripted VBoxManage of
//! `virtualbox_fixtures/`. `machinectl create` and `rm` are stopped by
//! SIGKILL, SIGINT and SIGTERM at every step line of `--debug` (the
//! helpers of `crash.rs` send the signal as the line appears), and, finer,
//! the moment the stand-in has seen each call of an undisturbed run (an
//! HTTP request is logged once the fake acted on it, before its answer is
//! written; a VBoxManage call as it starts): a create by each signal, an
//! rm by SIGKILL (rm catches no signal, so the others end it alike).
//!
//! Every create here fails at its SSH wait: the fakes hand out loopback
//! addresses where nothing answers SSH (gce and azure: 127.0.0.1 and
//! 127.0.0.4; virtualbox: the NAT forward on 127.0.0.1 that nothing
//! serves), so no packet leaves this machine and no fake address is ever
//! reached (DESIGN.md "Network safety"). The undisturbed create of each
//! driver is run first, to count its step lines (its rollback's included).
//!
//! After each stop: a killed create leaves its machine listed, dead at the
//! step it was in, and `rm -y` removes everything; SIGINT and SIGTERM of a
//! create roll it back by themselves (nothing is left before any `rm`). A
//! stopped `rm` leaves `ls` working and the next `rm -y` finishes the job.
//! Afterwards the stand-in holds nothing machinectl made: no instance, disk
//! or firewall rule (gce); no VM, NIC, public IP, NSG, network or group
//! (azure); no VM and no file of one (virtualbox).

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Run, TestStore};
use crate::crash::{SIGNALS, Signalled, settle_cloud, signal_at_step};

/// One driver's rounds: its create stopped at each step line by each
/// signal, then its rm.
struct Rounds<'a> {
    store: &'a TestStore,
    provider: &'a str,
    /// machinectl with the stand-in's environment.
    command: &'a dyn Fn(&[&str]) -> Command,
    /// `create -d DRIVER …` without the machine's name.
    create: Vec<String>,
    /// The stand-in holds nothing machinectl made (and saw nothing wrong).
    assert_clean: &'a dyn Fn(&str),
    /// Nothing secret in what a run printed.
    assert_quiet: &'a dyn Fn(&Run, &str),
    /// How far the stand-in got: the requests (or VBoxManage calls) it has
    /// seen so far.
    progress: &'a dyn Fn() -> usize,
}

impl Rounds<'_> {
    fn create_command(&self, name: &str, extra: &[&str]) -> Command {
        let mut args = vec!["--debug"];
        args.extend(self.create.iter().map(String::as_str));
        args.extend_from_slice(extra);
        args.push(name);
        (self.command)(&args)
    }

    fn machinectl(&self, args: &[&str]) -> Run {
        let run = Run::from((self.command)(args).output().unwrap());
        (self.assert_quiet)(&run, &args.join(" "));
        run
    }

    /// Step lines of an undisturbed run of `command` (which fails at SSH).
    fn count(&self, command: Command, what: &str) -> usize {
        let run = signal_at_step(command, usize::MAX, 0);
        (self.assert_quiet)(&run.run, what);
        eprintln!(
            "{} {what}: {} step lines to stop at: {:?}",
            self.provider,
            run.steps.len(),
            run.steps
        );
        run.steps.len()
    }

    /// Run every round; returns the number of stops made.
    fn run(&self) -> usize {
        // The first create makes the store's CA (a step of its own).
        let warm = self.create_command("warm", &[]).output().unwrap();
        assert!(!Run::from(warm).success, "SSH cannot succeed here");
        (self.assert_clean)("after the first create");
        let points = self.count(self.create_command("count", &[]), "create");
        (self.assert_clean)("after the counted create");
        assert!(points >= 4, "too few step lines: {points}");
        let mut stops = 0;
        for (signal, signal_name) in SIGNALS {
            for point in 1..=points {
                let when = format!(
                    "{} create, {signal_name} at step line {point}",
                    self.provider
                );
                let name = format!("c{point}");
                let run = signal_at_step(self.create_command(&name, &[]), point, signal);
                assert!(run.sent, "{when}: the run ended first:\n{}", run.run.stderr);
                self.settle_create(&name, signal, &run, &when);
                (self.assert_clean)(&when);
                stops += 1;
            }
        }
        stops + self.rm_rounds() + self.call_rounds()
    }

    /// create stopped by each signal the moment the stand-in has seen each
    /// of its calls (the provider acted; its answer may not be read yet).
    fn call_rounds(&self) -> usize {
        let before = (self.progress)();
        let counted = self.create_command("calls", &[]).output().unwrap();
        assert!(!Run::from(counted).success, "SSH cannot succeed here");
        let calls = (self.progress)() - before;
        eprintln!("{} create: {calls} calls to stop at", self.provider);
        (self.assert_clean)("after the counted calls");
        let mut stops = 0;
        for (signal, signal_name) in SIGNALS {
            for call in 1..=calls {
                let when = format!("{} create, {signal_name} at call {call}", self.provider);
                let name = format!("k{call}");
                let at = (self.progress)() + call;
                let command = self.create_command(&name, &[]);
                let run = signal_at_progress(command, self.progress, at, signal);
                assert!(run.sent, "{when}: the run ended first:\n{}", run.run.stderr);
                self.settle_create(&name, signal, &run, &when);
                (self.assert_clean)(&when);
                stops += 1;
            }
        }
        stops
    }

    /// rm of a kept machine stopped at each of its step lines.
    fn rm_rounds(&self) -> usize {
        self.keep("kept");
        let points = self.count((self.command)(&["--debug", "rm", "-y", "kept"]), "rm");
        (self.assert_clean)("after the counted rm");
        let mut stops = 0;
        for (signal, signal_name) in SIGNALS {
            for point in 1..=points {
                let when = format!("{} rm, {signal_name} at step line {point}", self.provider);
                self.keep("kept");
                let command = (self.command)(&["--debug", "rm", "-y", "kept"]);
                let run = signal_at_step(command, point, signal);
                assert!(run.sent, "{when}: the run ended first:\n{}", run.run.stderr);
                (self.assert_quiet)(&run.run, &when);
                let machinectl = |args: &[&str]| self.machinectl(args);
                settle_cloud(self.store, &machinectl, "kept", signal, &run, &when);
                (self.assert_clean)(&when);
                stops += 1;
            }
        }
        stops + self.rm_call_rounds()
    }

    /// rm of a kept machine killed the moment the stand-in has seen each
    /// of its calls (rm catches no signal: SIGINT and SIGTERM end it the
    /// same way as SIGKILL).
    fn rm_call_rounds(&self) -> usize {
        self.keep("kept");
        let before = (self.progress)();
        let rm = self.machinectl(&["rm", "-y", "kept"]);
        assert!(rm.success, "{}", rm.stderr);
        let calls = (self.progress)() - before;
        eprintln!("{} rm: {calls} calls to stop at", self.provider);
        for call in 1..=calls {
            let when = format!("{} rm, SIGKILL at call {call}", self.provider);
            self.keep("kept");
            let at = (self.progress)() + call;
            let command = (self.command)(&["rm", "-y", "kept"]);
            let run = signal_at_progress(command, self.progress, at, libc::SIGKILL);
            assert!(run.sent, "{when}: the run ended first:\n{}", run.run.stderr);
            let machinectl = |args: &[&str]| self.machinectl(args);
            settle_cloud(self.store, &machinectl, "kept", libc::SIGKILL, &run, &when);
            (self.assert_clean)(&when);
        }
        calls
    }

    /// A machine kept as its create failed (at SSH).
    fn keep(&self, name: &str) {
        let kept = Run::from(
            self.create_command(name, &["--keep-on-error"])
                .output()
                .unwrap(),
        );
        assert!(self.store.machine_dir(name).exists(), "{}", kept.stderr);
    }

    /// After a stopped create: killed, the machine is listed as dead at its
    /// step and `rm -y` removes it; interrupted or terminated, the run
    /// rolled back by itself.
    fn settle_create(&self, name: &str, signal: i32, run: &Signalled, when: &str) {
        (self.assert_quiet)(&run.run, when);
        assert!(!run.run.success, "{when}: SSH cannot succeed here");
        let exists = self.store.machine_dir(name).exists();
        if signal != libc::SIGKILL {
            assert!(
                !exists,
                "{when}: not rolled back by itself:\n{}",
                run.run.stderr
            );
            return;
        }
        if !exists {
            return;
        }
        self.assert_died(name, when);
        let rm = self.machinectl(&["rm", "-y", name]);
        assert!(rm.success, "{when}: rm failed: {}", rm.stderr);
        assert!(
            !self.store.machine_dir(name).exists(),
            "{when}: record left"
        );
    }

    /// `ls` works and shows `name` as a create that died at a named step
    /// (or one whose rollback left something for `rm`).
    fn assert_died(&self, name: &str, when: &str) {
        let ls = self.machinectl(&["ls"]);
        assert!(ls.success, "{when}: ls failed: {}", ls.stderr);
        let row = ls
            .stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("{when}: ls does not show {name}:\n{}", ls.stdout));
        assert!(
            row.contains("create stopped during \"") || row.contains("left behind"),
            "{when}: ls does not say where the create died: {row}"
        );
    }
}

/// Run `command` and send it `signal` as soon as `progress()` reaches `at`
/// (polled every millisecond); the run, and whether the signal was sent.
fn signal_at_progress(
    mut command: Command,
    progress: &dyn Fn() -> usize,
    at: usize,
    signal: i32,
) -> Signalled {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = read(Box::new(child.stdout.take().unwrap()));
    let stderr = read(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut sent = false;
    while child.try_wait().unwrap().is_none() {
        if !sent && progress() >= at {
            // SAFETY: kill sends a signal to our own child.
            unsafe { libc::kill(child.id() as libc::pid_t, signal) };
            sent = true;
        }
        assert!(Instant::now() < deadline, "the run did not end");
        std::thread::sleep(Duration::from_millis(1));
    }
    let status = child.wait().unwrap();
    let run = Run {
        success: status.success(),
        code: status.code(),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    };
    Signalled {
        run,
        sent,
        steps: Vec::new(),
    }
}

/// The machines directory of the store holds nothing.
fn no_machine_files(store: &TestStore, when: &str) {
    let left: Vec<String> = std::fs::read_dir(store.root().join("machines"))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                // A delete killed half-way leaves its directory renamed out
                // of sight (swept by a later ls, rm or create), never a
                // machine ls cannot read.
                .filter(|name| !name.starts_with(".removing-"))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        left,
        Vec::<String>::new(),
        "{when}: files left in the store"
    );
}

/// gce against its fake Compute Engine (loopback; instances at 127.0.0.1,
/// where nothing answers SSH): afterwards no instance, disk or firewall
/// rule is left and no request broke the discovery document.
#[test]
fn gce_create_and_rm_stopped_at_every_step_leave_nothing_at_the_fake() {
    let (fake, store, creds) = crate::gce::setup(|c| c.op_polls = 1);
    let metadata = format!("127.0.0.1:{}", crate::gce::closed_port());
    let command = |args: &[&str]| {
        let mut command = store.command();
        command
            .env("GOOGLE_APPLICATION_CREDENTIALS", &creds)
            .env("GOOGLE_COMPUTE_ENDPOINT", fake.endpoint())
            .env("GCE_METADATA_HOST", &metadata)
            .env_remove("GOOGLE_PROJECT")
            .env_remove("CLOUDSDK_CONFIG")
            .args(args);
        command
    };
    let stops = Rounds {
        store: &store,
        provider: "gce",
        command: &command,
        create: words(&["create", "-d", "gce", "--ssh-timeout", "1"]),
        assert_clean: &|when| {
            let left = fake.cloud.lock().unwrap().leftovers();
            assert_eq!(left, (0, 0, 0), "{when}: {}", crate::gce::summary(&fake));
            fake.assert_no_violations();
            no_machine_files(&store, when);
        },
        assert_quiet: &|run, what| crate::gce::assert_no_secrets(run, &[what]),
        progress: &|| fake.server.count(),
    }
    .run();
    eprintln!("gce: {stops} stops");
}

/// azure against its fake Resource Manager (loopback; the public IP is
/// 127.0.0.1, where nothing answers SSH): afterwards no VM, NIC, public
/// IP, NSG, network or group is left and no request broke the schemas.
#[test]
fn azure_create_and_rm_stopped_at_every_step_leave_nothing_at_the_fake() {
    use crate::azure::fake::{Fake, SECRET, TOKEN};
    let fake = Fake::start(&crate::azure::specs(), |a| a.polls = 1);
    let store = TestStore::new();
    let command = |args: &[&str]| {
        let mut command = store.command();
        crate::azure::azure_env(&mut command, &fake);
        command.args(args);
        command
    };
    let stops = Rounds {
        store: &store,
        provider: "azure",
        command: &command,
        create: words(&["create", "-d", "azure", "--ssh-timeout", "1"]),
        assert_clean: &|when| {
            assert_eq!(fake.left(), Vec::<String>::new(), "{when}");
            crate::azure::assert_clean(&fake);
            no_machine_files(&store, when);
        },
        assert_quiet: &|run, what| {
            for secret in [SECRET, TOKEN] {
                assert!(
                    !run.stdout.contains(secret) && !run.stderr.contains(secret),
                    "{what} printed a credential"
                );
            }
        },
        progress: &|| fake.server.count(),
    }
    .run();
    eprintln!("azure: {stops} stops");
}

/// virtualbox against its VBoxManage stand-in (SSH goes to the NAT forward
/// on 127.0.0.1, which nothing serves): afterwards the stand-in has no VM
/// and no file of one is left.
#[test]
fn virtualbox_create_and_rm_stopped_at_every_step_leave_nothing() {
    let fake = crate::virtualbox::VBoxFake::new();
    let image = fake.image();
    let command = |args: &[&str]| {
        let mut command = fake.command_for("machinectl");
        command.args(args);
        command
    };
    let stops = Rounds {
        store: &fake.store,
        provider: "virtualbox",
        command: &command,
        create: words(&[
            "create",
            "-d",
            "virtualbox",
            "--virtualbox-no-vtx-check",
            "--virtualbox-image-path",
            image.to_str().unwrap(),
            "--ssh-timeout",
            "1",
        ]),
        assert_clean: &|when| {
            assert_eq!(fake.state()["vms"], serde_json::json!({}), "{when}");
            no_machine_files(&fake.store, when);
        },
        assert_quiet: &|_, _| {},
        progress: &|| {
            let log = std::fs::read_to_string(fake.home().join("calls.log"));
            log.map(|l| l.lines().count()).unwrap_or(0)
        },
    }
    .run();
    eprintln!("virtualbox: {stops} stops");
}

fn words(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| a.to_string()).collect()
}
