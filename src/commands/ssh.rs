//! `machinectl ssh NAME [SSH OPTIONS] [--] [CMD…]`: an interactive login
//! through the system ssh client, or a command run over machinectl's own SSH
//! session. Both use the machine's key and its pinned host key. The system
//! ssh looks the key up by the machine's name (`-o HostKeyAlias=NAME`), so a
//! host whose address changed is still recognised, and any other key is
//! refused.
//!
//! As with docker-machine (`docker-machine ssh dev free`), the command needs
//! no `--`: the words after the name are options for ssh (`-L 8080:localhost:80`,
//! `-C`, `-v`…) until the first word that is not one, which starts the
//! command. Options go to the system ssh client (docker-machine's external
//! SSH mode), after machinectl's own, which therefore win where ssh keeps the
//! first value (`-o StrictHostKeyChecking`, `UserKnownHostsFile`, …).

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

/// ssh's options that take no value, and those that take one (OpenSSH 9).
const SSH_FLAGS: &str = "46AaCfGgKkMNnqsTtVvXxYy";
const SSH_OPTIONS_WITH_VALUE: &str = "BbcDEeFIiJLlmOopQRSWw";

/// The words after the machine name, split into options for ssh and the
/// remote command: options run until `--` or the first word that is not
/// one; a value of an option (`-L 8080:localhost:80`) belongs to it.
pub fn split_ssh_args(args: &[String]) -> Result<(Vec<String>, Vec<String>)> {
    let mut options = Vec::new();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        if word == "--" {
            return Ok((options, words.cloned().collect()));
        }
        let Some(letters) = word.strip_prefix('-').filter(|l| !l.is_empty()) else {
            let mut command = vec![word.clone()];
            command.extend(words.cloned());
            return Ok((options, command));
        };
        options.push(word.clone());
        for (i, letter) in letters.char_indices() {
            if SSH_OPTIONS_WITH_VALUE.contains(letter) {
                // The value is the rest of this word, else the next word.
                if i + letter.len_utf8() == letters.len() {
                    let value = words
                        .next()
                        .ok_or_else(|| anyhow!("ssh option -{letter} needs a value"))?;
                    options.push(value.clone());
                }
                break;
            }
            if !SSH_FLAGS.contains(letter) {
                bail!(
                    "{word:?} is not an ssh option: put `--` before a command that starts with \"-\""
                );
            }
        }
    }
    Ok((options, Vec::new()))
}

/// Whether `--` came right after the machine name, so that every word
/// after it is the command (`ssh NAME -- -x`): clap keeps a `--` there for
/// itself (a later one stays among the words), so the command line tells.
fn dash_dash_after_name(words: &[String]) -> bool {
    let typed: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    typed
        .iter()
        .position(|a| a == "--")
        .is_some_and(|i| typed[i + 1..] == *words)
}

pub async fn run(ctx: &Context, args: SshArgs) -> Result<()> {
    let (ssh_options, command) = if dash_dash_after_name(&args.args) {
        (Vec::new(), args.args)
    } else {
        split_ssh_args(&args.args)?
    };
    let record = ctx.load(&args.name)?;
    let target = record
        .driver
        .ssh_target()
        .ok_or_else(|| anyhow!("machine {:?} has no SSH address yet", record.name))?;
    let known_host = known_host_for(&ctx.store, &record)?;
    if command.is_empty() || !ssh_options.is_empty() {
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
            .args(&ssh_options)
            .arg(format!("{}@{}", target.user, target.host))
            .args(&command)
            .exec();
        bail!("cannot run ssh ({error}): install it with `apt-get install -y openssh-client`");
    }
    let command = command.join(" ");
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

#[cfg(test)]
mod tests {
    use super::*;

    fn split(words: &[&str]) -> (Vec<String>, Vec<String>) {
        let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        split_ssh_args(&words).unwrap()
    }

    #[test]
    fn options_until_the_first_word() {
        let none: Vec<String> = Vec::new();
        assert_eq!(
            split(&["free", "-m"]),
            (none.clone(), vec!["free".into(), "-m".into()])
        );
        assert_eq!(
            split(&["-L", "8080:localhost:80", "-C"]),
            (
                vec!["-L".into(), "8080:localhost:80".into(), "-C".into()],
                none.clone()
            )
        );
        assert_eq!(
            split(&["-CL8080:localhost:80", "uptime"]),
            (vec!["-CL8080:localhost:80".into()], vec!["uptime".into()])
        );
        assert_eq!(
            split(&["-v", "--", "-x"]),
            (vec!["-v".into()], vec!["-x".into()])
        );
        assert!(split_ssh_args(&["-L".into()]).is_err());
        assert!(split_ssh_args(&["-Z".into()]).is_err());
    }
}
