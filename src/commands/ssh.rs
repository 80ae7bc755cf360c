//! `machinectl ssh NAME [-- CMD…]`: an interactive login through the system
//! ssh client, or a command run over machinectl's own SSH session. Both use
//! the machine's key and its pinned host key. The system ssh looks the key
//! up by the machine's name (`-o HostKeyAlias=NAME`), so a host whose
//! address changed is still recognised, and any other key is refused.

use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Result, anyhow, bail};

use crate::cli::SshArgs;
use crate::commands::Context;
use crate::ssh::{ConnectOptions, SshClient};
use crate::store::{MachineRecord, Store};

/// Exit with the remote command's status (carried as an error to the binary).
#[derive(Debug, thiserror::Error)]
#[error("remote command exited with status {0}")]
pub struct RemoteExit(pub i32);

/// The machine's known_host file, ready for the system ssh's HostKeyAlias:
/// the driver's host key pinned if nothing was pinned yet, and a key pinned
/// under an address (by older versions) renamed to the machine.
pub fn known_host_for(store: &Store, record: &MachineRecord) -> Result<PathBuf> {
    let known_host = store.machine_dir(&record.name).join("known_host");
    if let Some(key) = record.driver.host_key() {
        crate::ssh::pin_host_key(&known_host, &record.name, &key)?;
    }
    crate::ssh::use_alias(&known_host, &record.name)?;
    Ok(known_host)
}

pub async fn run(ctx: &Context, args: SshArgs) -> Result<()> {
    let record = ctx.load(&args.name)?;
    let target = record
        .driver
        .ssh_target()
        .ok_or_else(|| anyhow!("machine {:?} has no SSH address yet", record.name))?;
    let known_host = known_host_for(&ctx.store, &record)?;
    if args.command.is_empty() {
        let strict = if known_host.exists() {
            "yes"
        } else {
            "accept-new"
        };
        let error = std::process::Command::new("ssh")
            .arg("-i")
            .arg(&target.key_path)
            .args(["-p", &target.port.to_string()])
            .args(["-o", "IdentitiesOnly=yes", "-o", "LogLevel=ERROR"])
            .arg("-o")
            .arg(format!("UserKnownHostsFile={}", known_host.display()))
            .arg("-o")
            .arg(format!("StrictHostKeyChecking={strict}"))
            .arg("-o")
            .arg(format!("HostKeyAlias={}", record.name))
            .arg(format!("{}@{}", target.user, target.host))
            .exec();
        bail!("cannot run ssh ({error}): install it with `apt-get install -y openssh-client`");
    }
    let command = args.command.join(" ");
    let alias = record.name.clone();
    let status = tokio::task::spawn_blocking(move || -> Result<i32> {
        let client = SshClient::connect(
            &target,
            &known_host,
            &ConnectOptions {
                timeout: Duration::from_secs(30),
                retry_auth: false,
                host_key_alias: alias,
            },
        )?;
        Ok(client.exec_streaming(&command)?)
    })
    .await??;
    if status != 0 {
        return Err(RemoteExit(status).into());
    }
    Ok(())
}
