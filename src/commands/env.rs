//! `machinectl env`: the shell commands that point the docker client at a
//! machine, in docker-machine's variable names and layout. Reads only the
//! store; never touches the network.

use anyhow::{Result, anyhow, bail};

use crate::cli::EnvArgs;
use crate::commands::Context;
use crate::store::RecordState;

/// Shells env can print for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    Posix,
    Fish,
    PowerShell,
    Cmd,
    Tcsh,
    Emacs,
}

pub const SHELL_NAMES: &str = "bash, zsh, sh, fish, powershell, cmd, tcsh, emacs";

impl Shell {
    pub fn from_name(name: &str) -> Option<Shell> {
        let base = name
            .rsplit('/')
            .next()
            .unwrap_or(name)
            .trim_start_matches('-');
        let base = base.strip_suffix(".exe").unwrap_or(base);
        Some(match base {
            "bash" | "zsh" | "sh" | "dash" | "ksh" | "ash" | "mksh" => Shell::Posix,
            "fish" => Shell::Fish,
            "powershell" | "pwsh" => Shell::PowerShell,
            "cmd" => Shell::Cmd,
            "tcsh" | "csh" => Shell::Tcsh,
            "emacs" => Shell::Emacs,
            _ => return None,
        })
    }

    fn set(self, key: &str, value: &str) -> String {
        match self {
            Shell::Posix => format!("export {key}=\"{value}\"\n"),
            Shell::Fish => format!("set -gx {key} \"{value}\";\n"),
            Shell::PowerShell => format!("$Env:{key} = \"{value}\"\n"),
            Shell::Cmd => format!("SET {key}={value}\n"),
            Shell::Tcsh => format!("setenv {key} \"{value}\";\n"),
            Shell::Emacs => format!("(setenv \"{key}\" \"{value}\")\n"),
        }
    }

    fn unset(self, key: &str) -> String {
        match self {
            Shell::Posix => format!("unset {key}\n"),
            Shell::Fish => format!("set -e {key};\n"),
            Shell::PowerShell => format!("Remove-Item Env:\\\\{key}\n"),
            Shell::Cmd => format!("SET {key}=\n"),
            Shell::Tcsh => format!("unsetenv {key};\n"),
            Shell::Emacs => format!("(setenv \"{key}\" nil)\n"),
        }
    }

    /// The trailing comment that says how to use the output.
    fn usage_hint(self, command: &str) -> String {
        let (comment, how) = match self {
            Shell::Posix => ("#", format!("eval $({command})")),
            Shell::Fish => ("#", format!("eval ({command})")),
            Shell::PowerShell => ("#", format!("& {command} | Invoke-Expression")),
            Shell::Cmd => (
                "REM",
                format!("\t@FOR /f \"tokens=*\" %i IN ('{command}') DO @%i"),
            ),
            Shell::Tcsh => (":", format!("eval `{command}`")),
            Shell::Emacs => (
                ";;",
                format!(
                    "(with-temp-buffer (shell-command \"{command}\" (current-buffer)) (eval-buffer))"
                ),
            ),
        };
        format!("{comment} Run this command to configure your shell: \n{comment} {how}\n")
    }
}

/// A shell named by --shell.
fn requested_shell(name: &str) -> Result<Shell> {
    Shell::from_name(name)
        .ok_or_else(|| anyhow!("unknown shell {name:?}: choose one of {SHELL_NAMES}"))
}

/// The shell to print for when --shell is absent: the parent process, else $SHELL.
fn detect_shell(ctx: &Context) -> Result<Shell> {
    let parent = std::fs::read_to_string(format!(
        "/proc/{}/comm",
        std::os::unix::process::parent_id()
    ))
    .ok()
    .and_then(|comm| Shell::from_name(comm.trim()));
    if let Some(shell) = parent {
        return Ok(shell);
    }
    match ctx.env.get("SHELL").filter(|s| !s.is_empty()) {
        Some(shell) => Shell::from_name(shell).ok_or_else(|| {
            anyhow!("cannot tell how to print for shell {shell:?}: pass --shell ({SHELL_NAMES})")
        }),
        None => bail!("cannot tell your shell: pass --shell ({SHELL_NAMES})"),
    }
}

/// How this command was typed, for the usage hint (program name without its path).
fn invocation() -> String {
    let mut args: Vec<String> = std::env::args().collect();
    if let Some(first) = args.first_mut()
        && let Some(base) = std::path::Path::new(first.as_str()).file_name()
    {
        *first = base.to_string_lossy().into_owned();
    }
    args.join(" ")
}

pub fn run(ctx: &Context, args: EnvArgs) -> Result<()> {
    let requested = args.shell.as_deref().map(requested_shell).transpose()?;
    // A missing machine is the error worth reporting before an undetectable shell.
    let record = if args.unset {
        None
    } else {
        Some(ctx.load(&args.name)?)
    };
    let shell = match requested {
        Some(shell) => shell,
        None => detect_shell(ctx)?,
    };
    let no_proxy_key = if ctx.env.get("no_proxy").is_some() && ctx.env.get("NO_PROXY").is_none() {
        "no_proxy"
    } else {
        "NO_PROXY"
    };
    let mut out = String::new();
    let Some(record) = record else {
        for key in [
            "DOCKER_TLS_VERIFY",
            "DOCKER_HOST",
            "DOCKER_CERT_PATH",
            "DOCKER_MACHINE_NAME",
        ] {
            out.push_str(&shell.unset(key));
        }
        if args.no_proxy {
            out.push_str(&shell.unset(no_proxy_key));
        }
        out.push_str(&shell.usage_hint(&invocation()));
        ctx.printer.out_raw(out);
        return Ok(());
    };
    let url = record.url().ok_or_else(|| {
        anyhow!(
            "machine {:?} has no address yet: see `machinectl ls` (it may still be being created)",
            record.name
        )
    })?;
    if record.state == RecordState::Error {
        ctx.printer.warn(format!(
            "machine {} is in error: {}",
            record.name,
            record.error.as_deref().unwrap_or("unknown")
        ));
    }
    let cert_path = ctx.store.machine_dir(&record.name);
    out.push_str(&shell.set("DOCKER_TLS_VERIFY", "1"));
    out.push_str(&shell.set("DOCKER_HOST", &url));
    out.push_str(&shell.set("DOCKER_CERT_PATH", &cert_path.to_string_lossy()));
    out.push_str(&shell.set("DOCKER_MACHINE_NAME", &record.name));
    if args.no_proxy {
        let host = record.driver.engine_host().unwrap_or_default();
        let current = ctx.env.get(no_proxy_key).unwrap_or_default();
        let mut entries: Vec<&str> = current.split(',').filter(|e| !e.is_empty()).collect();
        if !entries.contains(&host.as_str()) {
            entries.push(&host);
        }
        out.push_str(&shell.set(no_proxy_key, &entries.join(",")));
    }
    out.push_str(&shell.usage_hint(&invocation()));
    ctx.printer.out_raw(out);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shells_by_name_and_path() {
        assert_eq!(Shell::from_name("/bin/bash"), Some(Shell::Posix));
        assert_eq!(Shell::from_name("-zsh"), Some(Shell::Posix));
        assert_eq!(Shell::from_name("pwsh"), Some(Shell::PowerShell));
        assert_eq!(Shell::from_name("cmd.exe"), Some(Shell::Cmd));
        assert_eq!(Shell::from_name("nushell"), None);
    }

    #[test]
    fn formats_match_docker_machine() {
        assert_eq!(Shell::Posix.set("A", "b"), "export A=\"b\"\n");
        assert_eq!(Shell::Fish.set("A", "b"), "set -gx A \"b\";\n");
        assert_eq!(Shell::PowerShell.set("A", "b"), "$Env:A = \"b\"\n");
        assert_eq!(Shell::Cmd.set("A", "b"), "SET A=b\n");
        assert_eq!(Shell::Tcsh.set("A", "b"), "setenv A \"b\";\n");
        assert_eq!(Shell::Emacs.set("A", "b"), "(setenv \"A\" \"b\")\n");
        assert_eq!(
            Shell::Posix.usage_hint("machinectl env dev"),
            "# Run this command to configure your shell: \n# eval $(machinectl env dev)\n"
        );
    }
}
