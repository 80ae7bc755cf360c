//! `machinectl scp`: copy files to, from and between machines with the
//! system scp (or rsync with --delta), using each machine's key and pinned
//! host key. `[user@]machine:path` names a machine's file; anything else
//! (and `localhost:path`) is local.
//!
//! Host keys are checked strictly against what the store pinned: with one
//! machine, by its name (`-o HostKeyAlias=NAME`), so a changed address does
//! not matter; between two machines (`scp -3`, whose options apply to both
//! hosts alike), through a throw-away known_hosts file that lists each
//! machine's pinned key under its current address.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Result, anyhow, bail};

use crate::cli::ScpArgs;
use crate::commands::Context;
use crate::commands::ssh::RemoteExit;

/// One side of a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Local(String),
    Remote {
        user: Option<String>,
        machine: String,
        path: String,
    },
}

impl Location {
    pub fn parse(spec: &str) -> Location {
        // A colon after a slash belongs to a local path ("./a:b").
        let Some((host, path)) = spec.split_once(':') else {
            return Location::Local(spec.into());
        };
        if host.is_empty() || host.contains('/') || host == "localhost" {
            return Location::Local(if host == "localhost" { path } else { spec }.into());
        }
        let (user, machine) = match host.split_once('@') {
            Some((user, machine)) => (Some(user.to_string()), machine.to_string()),
            None => (None, host.to_string()),
        };
        Location::Remote {
            user,
            machine,
            path: path.into(),
        }
    }
}

/// What scp needs to reach one machine.
struct Endpoint {
    machine: String,
    target: machinectl_driver_api::SshTarget,
    user: String,
    host: String,
    port: u16,
    key: PathBuf,
    known_host: PathBuf,
    path: String,
}

fn endpoint(ctx: &Context, user: &Option<String>, machine: &str, path: &str) -> Result<Endpoint> {
    let record = ctx.load(machine)?;
    let target = record
        .driver
        .ssh_target()
        .ok_or_else(|| anyhow!("machine {machine:?} has no SSH address yet"))?;
    let known_host = crate::commands::ssh::known_host_for(&ctx.store, &record)?;
    Ok(Endpoint {
        machine: record.name.clone(),
        user: user.clone().unwrap_or(target.user.clone()),
        host: target.host.clone(),
        port: target.port,
        key: target.key_path.clone(),
        target,
        known_host,
        path: path.into(),
    })
}

/// A known_hosts file that lives as long as one scp between two machines.
struct TempKnownHosts(PathBuf);

impl Drop for TempKnownHosts {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Each machine's pinned key under its current address, for `scp -3`.
/// A machine never contacted yet is contacted (and pinned) first.
fn known_hosts_of(endpoints: &[&Endpoint]) -> Result<TempKnownHosts> {
    let mut lines = String::new();
    for e in endpoints {
        if !e.known_host.exists() {
            pin_by_contact(e)?;
        }
        let pinned = std::fs::read_to_string(&e.known_host)?;
        let key: Vec<&str> = pinned.split_whitespace().skip(1).take(2).collect();
        if key.len() != 2 {
            bail!(
                "{} holds no host key: delete it and try again",
                e.known_host.display()
            );
        }
        lines.push_str(&format!(
            "{} {}\n",
            crate::ssh::host_pattern(&e.host, e.port),
            key.join(" ")
        ));
    }
    let path = std::env::temp_dir().join(format!(
        "machinectl-scp-{}-{:08x}",
        std::process::id(),
        rand::random::<u32>()
    ));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)?;
    let temp = TempKnownHosts(path);
    file.write_all(lines.as_bytes())?;
    Ok(temp)
}

/// Connect once with machinectl's own client, which pins the host key.
fn pin_by_contact(e: &Endpoint) -> Result<()> {
    connect_pinned(e, &e.target)?;
    Ok(())
}

/// A session with `e`'s machine at `target`, its host key pinned by the
/// machine's name.
fn connect_pinned(
    e: &Endpoint,
    target: &machinectl_driver_api::SshTarget,
) -> Result<crate::ssh::SshClient> {
    let options = crate::ssh::ConnectOptions {
        timeout: Duration::from_secs(30),
        retry_auth: false,
        host_key_alias: e.machine.clone(),
    };
    Ok(crate::ssh::SshClient::connect(
        target,
        &e.known_host,
        &options,
    )?)
}

fn ssh_options(endpoints: &[&Endpoint], shared_known_hosts: Option<&Path>) -> Vec<String> {
    let mut options = vec![
        "-o".into(),
        "IdentitiesOnly=yes".into(),
        "-o".into(),
        "LogLevel=ERROR".into(),
    ];
    match (shared_known_hosts, endpoints) {
        (Some(file), _) => options.extend([
            "-o".into(),
            "StrictHostKeyChecking=yes".into(),
            "-o".into(),
            format!("UserKnownHostsFile={}", file.display()),
        ]),
        (None, [e]) => {
            let strict = if e.known_host.exists() {
                "yes"
            } else {
                "accept-new"
            };
            options.extend([
                "-o".into(),
                format!("StrictHostKeyChecking={strict}"),
                "-o".into(),
                format!("UserKnownHostsFile={}", e.known_host.display()),
                "-o".into(),
                format!("HostKeyAlias={}", e.machine),
            ]);
        }
        (None, _) => unreachable!("two machines share a throw-away known_hosts file"),
    }
    for e in endpoints {
        options.push("-i".into());
        options.push(e.key.display().to_string());
    }
    options
}

/// One side of a copy, resolved.
enum Side<'a> {
    Local(String),
    Remote(&'a Endpoint),
}

/// What names a file: the kernel it lives under (its boot id: namespaces,
/// local hosts included, share it; two computers do not) and its device and
/// inode there; `None` for a path that does not exist.
struct FileIds {
    boot: String,
    ids: Vec<Option<String>>,
}

/// A path as one shell word, `~/` still meaning the remote user's home.
fn shell_path(path: &str) -> String {
    let quote = |p: &str| format!("'{}'", p.replace('\'', r"'\''"));
    match path.strip_prefix("~/") {
        Some(rest) => format!("\"$HOME\"/{}", quote(rest)),
        None if path == "~" => "\"$HOME\"".into(),
        None if path.is_empty() => ".".into(),
        None => quote(path),
    }
}

/// The identities of `paths` on one side (symlinks followed, as scp does);
/// `None` when the side cannot tell (no `/proc`, no `stat -c`). A host that
/// cannot be reached is an error: scp could not copy either.
fn file_ids(side: &Side, paths: &[String]) -> Result<Option<FileIds>> {
    match side {
        Side::Local(_) => {
            use std::os::unix::fs::MetadataExt;
            let Ok(boot) = std::fs::read_to_string("/proc/sys/kernel/random/boot_id") else {
                return Ok(None);
            };
            let ids = paths
                .iter()
                .map(|p| {
                    std::fs::metadata(p)
                        .ok()
                        .map(|m| format!("{}:{}", m.dev(), m.ino()))
                })
                .collect();
            Ok(Some(FileIds {
                boot: boot.trim().to_string(),
                ids,
            }))
        }
        Side::Remote(e) => {
            let words: Vec<String> = paths.iter().map(|p| shell_path(p)).collect();
            let command = format!(
                "cat /proc/sys/kernel/random/boot_id && for p in {}; do stat -L -c %d:%i -- \"$p\" 2>/dev/null || echo -; done",
                words.join(" ")
            );
            let mut target = e.target.clone();
            target.user = e.user.clone();
            let client = connect_pinned(e, &target)?;
            let out = client.exec(&command)?;
            let lines: Vec<&str> = out.stdout.lines().map(str::trim).collect();
            let valid = |l: &&str| *l == "-" || l.split_once(':').is_some();
            if !out.success()
                || lines.len() != paths.len() + 1
                || lines[0].len() < 32
                || !lines[1..].iter().all(valid)
            {
                return Ok(None);
            }
            Ok(Some(FileIds {
                boot: lines[0].to_string(),
                ids: lines[1..]
                    .iter()
                    .map(|l| (*l != "-").then(|| l.to_string()))
                    .collect(),
            }))
        }
    }
}

/// The last component of a path (what scp names a copy inside a directory).
fn base_name(path: &str) -> Option<&str> {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|b| !b.is_empty() && *b != "." && *b != "..")
}

#[derive(Debug, PartialEq, Eq)]
enum Sameness {
    Different,
    /// The destination (or the file of the source's name inside it) is the source.
    Same(String),
    Unknown,
}

/// Whether copying `src` onto `dst` would write the file it reads: the same
/// kernel, device and inode for the source and the destination, or for the
/// source and the destination directory's entry of the source's name.
fn sameness(src: &Side, src_path: &str, dst: &Side, dst_path: &str) -> Result<Sameness> {
    let mut dst_paths = vec![dst_path.to_string()];
    if let Some(base) = base_name(src_path) {
        dst_paths.push(format!("{}/{base}", dst_path.trim_end_matches('/')));
    }
    let src_paths = [src_path.to_string()];
    // Both sides at once: each remote one is a short SSH session.
    let (a, b) = std::thread::scope(|scope| {
        let a = scope.spawn(|| file_ids(src, &src_paths));
        let b = file_ids(dst, &dst_paths);
        (a.join().unwrap_or_else(|_| Err(anyhow!("panicked"))), b)
    });
    let (Some(a), Some(b)) = (a?, b?) else {
        return Ok(Sameness::Unknown);
    };
    let Some(source) = &a.ids[0] else {
        // No source: scp fails on its own before writing anything.
        return Ok(Sameness::Different);
    };
    if a.boot != b.boot {
        return Ok(Sameness::Different);
    }
    Ok(
        match b.ids.iter().position(|id| id.as_ref() == Some(source)) {
            Some(i) => Sameness::Same(dst_paths[i].clone()),
            None => Sameness::Different,
        },
    )
}

/// The scp command that copies `from` to `to` (with the throw-away
/// known_hosts file it needs between two machines).
fn scp_command(
    from: &Side,
    to: &Side,
    recursive: bool,
    quiet: bool,
) -> Result<(Command, Option<TempKnownHosts>)> {
    let endpoints: Vec<&Endpoint> = [from, to]
        .into_iter()
        .filter_map(|s| match s {
            Side::Remote(e) => Some(*e),
            Side::Local(_) => None,
        })
        .collect();
    // Between two machines: both pinned keys in one throw-away file.
    let shared = if endpoints.len() > 1 {
        Some(known_hosts_of(&endpoints)?)
    } else {
        None
    };
    let arg = |side: &Side| match side {
        Side::Local(p) => p.clone(),
        Side::Remote(e) => format!("scp://{}@{}:{}/{}", e.user, e.host, e.port, e.path),
    };
    let mut cmd = Command::new("scp");
    cmd.args(ssh_options(
        &endpoints,
        shared.as_ref().map(|known| known.0.as_path()),
    ));
    if endpoints.len() == 2 {
        cmd.arg("-3");
    }
    if recursive {
        cmd.arg("-r");
    }
    if quiet {
        cmd.arg("-q");
    }
    cmd.arg(arg(from));
    cmd.arg(arg(to));
    Ok((cmd, shared))
}

fn run_to_end(command: &mut Command, program: &str) -> Result<()> {
    let status = command.status().map_err(|e| {
        anyhow!(
            "cannot run {program} ({e}): install it with `apt-get install -y {}`",
            if program == "rsync" {
                "rsync"
            } else {
                "openssh-client"
            }
        )
    })?;
    match status.code() {
        Some(0) => Ok(()),
        Some(code) => Err(RemoteExit(code).into()),
        None => bail!(
            "{program} was killed by signal {}",
            status.signal().unwrap_or(0)
        ),
    }
}

/// A directory of this process's own, removed with what it holds.
/// `--delta`: rsync between this computer and one machine. rsync writes a
/// temporary file and renames it: it never truncates its source.
fn copy_with_rsync(endpoints: &[&Endpoint], src: &Side, dst: &Side, quiet: bool) -> Result<()> {
    if endpoints.len() > 1 {
        bail!(
            "--delta copies between this computer and one machine: copy machine to machine without it"
        );
    }
    let e = endpoints[0];
    let ssh = format!(
        "ssh -p {} {}",
        e.port,
        ssh_options(endpoints, None).join(" ")
    );
    let spec = |side: &Side| match side {
        Side::Local(p) => p.clone(),
        Side::Remote(e) => format!("{}@{}:{}", e.user, e.host, e.path),
    };
    let mut cmd = Command::new("rsync");
    cmd.args(["-a", "--delete-delay", "-e", &ssh]);
    if !quiet {
        cmd.arg("--info=progress2");
    }
    cmd.arg(spec(src));
    cmd.arg(spec(dst));
    run_to_end(&mut cmd, "rsync")
}

/// Whether the two sides are one file cannot be told (a host without /proc
/// or `stat -c`): read the source whole into a private directory here
/// first (tempfile, 0700, removed after), so the destination is opened
/// only after that.
fn copy_through_here(
    ctx: &Context,
    args: &ScpArgs,
    src_path: &str,
    src: &Side,
    dst: &Side,
    quiet: bool,
) -> Result<()> {
    let Some(base) = base_name(src_path) else {
        bail!(
            "cannot tell whether {:?} and {:?} are the same file, and {:?} names no file to copy through this computer",
            args.source,
            args.destination,
            args.source
        );
    };
    ctx.printer.info(format!(
        "Cannot tell whether {} and {} are one file: copying through this computer",
        args.source, args.destination
    ));
    let staging = tempfile::Builder::new()
        .prefix("machinectl-scp-")
        .tempdir()?;
    let staged = staging.path().join(base).display().to_string();
    match src {
        Side::Remote(_) => {
            let into = Side::Local(staging.path().display().to_string());
            let (mut first, _known) = scp_command(src, &into, args.recursive, quiet)?;
            run_to_end(&mut first, "scp")?;
        }
        Side::Local(p) => {
            let mut cp = Command::new("cp");
            cp.arg("-p");
            if args.recursive {
                cp.arg("-R");
            }
            run_to_end(cp.arg("--").arg(p).arg(&staged), "cp")?;
        }
    }
    let staged = Side::Local(staged);
    let (mut second, _known) = scp_command(&staged, dst, args.recursive, quiet)?;
    run_to_end(&mut second, "scp")
}

/// A location with its endpoint: its path and its side.
fn side<'a>(loc: &Location, e: &'a Option<Endpoint>) -> (String, Side<'a>) {
    match (loc, e) {
        (Location::Local(p), _) => (p.clone(), Side::Local(p.clone())),
        (Location::Remote { .. }, Some(e)) => (e.path.clone(), Side::Remote(e)),
        (Location::Remote { .. }, None) => unreachable!("remote locations have endpoints"),
    }
}

pub fn run(ctx: &Context, args: ScpArgs, quiet: bool) -> Result<()> {
    let source = Location::parse(&args.source);
    let destination = Location::parse(&args.destination);
    let resolve = |loc: &Location| -> Result<Option<Endpoint>> {
        match loc {
            Location::Local(_) => Ok(None),
            Location::Remote {
                user,
                machine,
                path,
            } => endpoint(ctx, user, machine, path).map(Some),
        }
    };
    let (src, dst) = (resolve(&source)?, resolve(&destination)?);
    let endpoints: Vec<&Endpoint> = src.iter().chain(dst.iter()).collect();
    if endpoints.is_empty() {
        bail!("neither side names a machine: use MACHINE:PATH for one of them (or plain cp)");
    }
    let (src_path, src_side) = side(&source, &src);
    let (dst_path, dst_side) = side(&destination, &dst);
    // A copy onto its own source would truncate it before reading it (local
    // hosts share this computer's /tmp, so two machines can name one file).
    let same = sameness(&src_side, &src_path, &dst_side, &dst_path)?;
    if let Sameness::Same(target) = &same {
        let shown = match &dst_side {
            Side::Remote(e) => format!("{}:{target}", e.machine),
            Side::Local(_) => target.clone(),
        };
        bail!(
            "{:?} and {shown:?} are the same file: nothing copied",
            args.source
        );
    }
    if args.delta {
        return copy_with_rsync(&endpoints, &src_side, &dst_side, quiet);
    }
    if same == Sameness::Unknown {
        return copy_through_here(ctx, &args, &src_path, &src_side, &dst_side, quiet);
    }
    let (mut command, _known) = scp_command(&src_side, &dst_side, args.recursive, quiet)?;
    run_to_end(&mut command, "scp")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_machine_and_local_locations() {
        assert_eq!(Location::parse("./a:b"), Location::Local("./a:b".into()));
        assert_eq!(Location::parse("file"), Location::Local("file".into()));
        assert_eq!(
            Location::parse("localhost:/tmp/x"),
            Location::Local("/tmp/x".into())
        );
        assert_eq!(
            Location::parse("ubuntu@dev:/etc/hosts"),
            Location::Remote {
                user: Some("ubuntu".into()),
                machine: "dev".into(),
                path: "/etc/hosts".into()
            }
        );
        assert_eq!(
            Location::parse("dev:rel"),
            Location::Remote {
                user: None,
                machine: "dev".into(),
                path: "rel".into()
            }
        );
    }
}
