//! `machinectl ssh NAME [-- CMD…]`: an interactive login through the system
//! ssh client, or a command run over machinectl's own SSH session. Both use
//! the machine's key and its pinned host key.

use std::os::unix::process::CommandExt;
use std::time::Duration;

use anyhow::{Result, anyhow, bail};

use crate::cli::SshArgs;
use crate::commands::Context;
use crate::ssh::{ConnectOptions, SshClient};

/// Exit with the remote command's status (carried as an error to the binary).
#[derive(Debug, thiserror::Error)]
#[error("remote command exited with status {0}")]
pub struct RemoteExit(pub i32);

pub async fn run(ctx: &Context, args: SshArgs) -> Result<()> {
    let record = ctx.load(&args.name)?;
    let target = record
        .driver
        .ssh_target()
        .ok_or_else(|| anyhow!("machine {:?} has no SSH address yet", record.name))?;
    let known_host = ctx.store.machine_dir(&record.name).join("known_host");
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
            .arg(format!("{}@{}", target.user, target.host))
            .exec();
        bail!("cannot run ssh ({error}): install it with `apt-get install -y openssh-client`");
    }
    let command = args.command.join(" ");
    let status = tokio::task::spawn_blocking(move || -> Result<i32> {
        let client = SshClient::connect(
            &target,
            &known_host,
            &ConnectOptions {
                timeout: Duration::from_secs(30),
                retry_auth: false,
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
