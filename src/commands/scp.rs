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
    crate::ssh::SshClient::connect(
        &e.target,
        &e.known_host,
        &crate::ssh::ConnectOptions {
            timeout: Duration::from_secs(30),
            retry_auth: false,
            host_key_alias: e.machine.clone(),
        },
    )?;
    Ok(())
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
    // Between two machines: both pinned keys in one throw-away file.
    let shared = if endpoints.len() > 1 && !args.delta {
        Some(known_hosts_of(&endpoints)?)
    } else {
        None
    };
    let local = |loc: &Location| match loc {
        Location::Local(p) => p.clone(),
        Location::Remote { .. } => unreachable!("remote locations have endpoints"),
    };
    let mut command = if args.delta {
        if endpoints.len() > 1 {
            bail!(
                "--delta copies between this computer and one machine: copy machine to machine without it"
            );
        }
        let e = endpoints[0];
        let ssh = format!(
            "ssh -p {} {}",
            e.port,
            ssh_options(&endpoints, None).join(" ")
        );
        let spec = |e: &Endpoint| format!("{}@{}:{}", e.user, e.host, e.path);
        let mut cmd = Command::new("rsync");
        cmd.args(["-a", "--delete-delay", "-e", &ssh]);
        if !quiet {
            cmd.arg("--info=progress2");
        }
        cmd.arg(src.as_ref().map(spec).unwrap_or_else(|| local(&source)));
        cmd.arg(
            dst.as_ref()
                .map(spec)
                .unwrap_or_else(|| local(&destination)),
        );
        cmd
    } else {
        let uri = |e: &Endpoint| format!("scp://{}@{}:{}/{}", e.user, e.host, e.port, e.path);
        let mut cmd = Command::new("scp");
        cmd.args(ssh_options(
            &endpoints,
            shared.as_ref().map(|known| known.0.as_path()),
        ));
        if endpoints.len() == 2 {
            cmd.arg("-3");
        }
        if args.recursive {
            cmd.arg("-r");
        }
        if quiet {
            cmd.arg("-q");
        }
        cmd.arg(src.as_ref().map(uri).unwrap_or_else(|| local(&source)));
        cmd.arg(dst.as_ref().map(uri).unwrap_or_else(|| local(&destination)));
        cmd
    };
    let program = if args.delta { "rsync" } else { "scp" };
    let status = command.status().map_err(|e| {
        anyhow!(
            "cannot run {program} ({e}): install it with `apt-get install -y {}`",
            if args.delta {
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
