//! `machinectl env`: the shell commands that point the docker client at a
//! machine, in docker-machine's variable names and layout. Reads only the
//! store; never touches the network. As with docker-machine, a machine its
//! record says is stopped is refused (`--force` prints it anyway), and
//! `--unset` takes no machine name.

use anyhow::{Result, anyhow, bail};

use crate::cli::EnvArgs;
use crate::commands::Context;
use crate::store::{MachineRecord, RecordState};

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

    /// The line that sets `key` to exactly `value` in this shell. Ordinary
    /// values keep docker-machine's look (double quotes; bare for cmd); any
    /// other value is quoted so the shell reads it back byte for byte, or
    /// refused where the shell has no safe form for it.
    pub fn set(self, key: &str, value: &str) -> std::result::Result<String, String> {
        if value.contains('\0') {
            return Err("it holds a NUL byte, which no environment variable can carry".into());
        }
        let plain = |special: &[char]| {
            !value
                .chars()
                .any(|c| c.is_control() || special.contains(&c))
        };
        Ok(match self {
            Shell::Posix if plain(&['"', '$', '`', '\\', '!']) => {
                format!("export {key}=\"{value}\"\n")
            }
            // Single quotes take everything literally but themselves.
            Shell::Posix => format!("export {key}='{}'\n", value.replace('\'', r"'\''")),
            Shell::Fish if plain(&['"', '$', '\\']) => format!("set -gx {key} \"{value}\";\n"),
            Shell::Fish => format!(
                "set -gx {key} '{}';\n",
                value.replace('\\', r"\\").replace('\'', r"\'")
            ),
            Shell::PowerShell | Shell::Tcsh | Shell::Cmd if value.chars().any(char::is_control) => {
                return Err(format!(
                    "it holds a line break or control character, which {} cannot read back safely",
                    self.name()
                ));
            }
            Shell::PowerShell if plain(&['"', '$', '`', '\u{201c}', '\u{201d}', '\u{201e}']) => {
                format!("$Env:{key} = \"{value}\"\n")
            }
            // PowerShell reads each of these as a single quote; doubled, as one of itself.
            Shell::PowerShell => {
                let mut quoted = String::with_capacity(value.len() + 2);
                for c in value.chars() {
                    if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}') {
                        quoted.push(c);
                    }
                    quoted.push(c);
                }
                format!("$Env:{key} = '{quoted}'\n")
            }
            Shell::Tcsh if plain(&['"', '$', '`', '\\', '!']) => {
                format!("setenv {key} \"{value}\";\n")
            }
            Shell::Tcsh => format!("setenv {key} {};\n", tcsh_quote(value)),
            Shell::Cmd => {
                if let Some(c) = value
                    .chars()
                    .find(|c| matches!(c, '"' | '%' | '!' | '^' | '&' | '|' | '<' | '>'))
                {
                    return Err(format!(
                        "it holds {c:?}, which cmd would interpret instead of keeping"
                    ));
                }
                format!("SET {key}={value}\n")
            }
            Shell::Emacs => format!("(setenv \"{key}\" {})\n", elisp_string(value)),
        })
    }

    fn name(self) -> &'static str {
        match self {
            Shell::Posix => "sh",
            Shell::Fish => "fish",
            Shell::PowerShell => "PowerShell",
            Shell::Cmd => "cmd",
            Shell::Tcsh => "tcsh",
            Shell::Emacs => "emacs",
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

    /// The trailing comment that says how to use the output. It echoes the
    /// command as typed, so every argument is made inert first: quoted where
    /// it is not plain, and never with a line break that would end the comment.
    fn usage_hint(self, args: &[String]) -> String {
        let command = args
            .iter()
            .map(|a| display_arg(a))
            .collect::<Vec<_>>()
            .join(" ");
        let (comment, how) = match self {
            Shell::Posix => ("#", format!("eval \"$({command})\"")),
            Shell::Fish => ("#", format!("{command} | source")),
            Shell::PowerShell => ("#", format!("& {command} | Invoke-Expression")),
            Shell::Cmd => (
                "REM",
                format!("\t@FOR /f \"tokens=*\" %i IN ('{command}') DO @%i"),
            ),
            // tcsh evaluates these lines (`:` ignores its arguments, but only
            // after expanding them): the command goes in single quotes.
            Shell::Tcsh => (":", tcsh_quote(&format!("eval \"`{command}`\""))),
            Shell::Emacs => (
                ";;",
                format!(
                    "(with-temp-buffer (shell-command {} (current-buffer)) (eval-buffer))",
                    elisp_string(&command)
                ),
            ),
        };
        format!("{comment} Run this command to configure your shell: \n{comment} {how}\n")
    }
}

/// A single-quoted tcsh word: `'` closes, is escaped and reopens; `!` is
/// escaped (history substitution happens even inside single quotes).
/// Line breaks are refused before this is called.
fn tcsh_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''").replace('!', r"\!"))
}

/// An Emacs Lisp string literal.
fn elisp_string(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', r"\\").replace('"', "\\\""))
}

/// One argument of the echoed command: as is when plain, else single-quoted
/// for a POSIX shell, with control characters shown as `?`.
fn display_arg(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c));
    if plain {
        return arg.to_string();
    }
    let shown: String = arg
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    format!("'{}'", shown.replace('\'', r"'\''"))
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
fn invocation() -> Vec<String> {
    let mut args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if let Some(first) = args.first_mut()
        && let Some(base) = std::path::Path::new(first.as_str()).file_name()
    {
        *first = base.to_string_lossy().into_owned();
    }
    args
}

pub fn run(ctx: &Context, args: EnvArgs) -> Result<()> {
    if args.unset
        && let Some(name) = &args.name
    {
        bail!(
            "env --unset takes no machine name (it undoes whichever machine's variables are set): run `machinectl env --unset`, or `machinectl env {name}` without --unset"
        );
    }
    let requested = args.shell.as_deref().map(requested_shell).transpose()?;
    // A missing machine is the error worth reporting before an undetectable shell.
    let record = if args.unset {
        None
    } else {
        let record = ctx.load(args.name.as_deref().unwrap_or("default"))?;
        crate::commands::info::require_running(&record, args.force, "env")?;
        Some(record)
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
    let mut out = match record {
        Some(record) => set_lines(ctx, &args, &record, shell, no_proxy_key)?,
        None => unset_lines(&args, shell, no_proxy_key),
    };
    out.push_str(&shell.usage_hint(&invocation()));
    ctx.printer.out_raw(out);
    Ok(())
}

/// `--unset`: the lines that remove every variable env sets.
fn unset_lines(args: &EnvArgs, shell: Shell, no_proxy_key: &str) -> String {
    let mut out = String::new();
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
    out
}

/// The lines that point the docker client at `record`, each quoted for
/// `shell` or refused where the shell cannot carry the value safely.
fn set_lines(
    ctx: &Context,
    args: &EnvArgs,
    record: &MachineRecord,
    shell: Shell,
    no_proxy_key: &str,
) -> Result<String> {
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
    crate::commands::info::require_tls_files(ctx, &record.name)?;
    let cert_path = ctx.store.machine_dir(&record.name);
    let cert_path = cert_path.to_str().ok_or_else(|| {
        anyhow!(
            "the store path {} is not valid UTF-8, so DOCKER_CERT_PATH cannot be printed exactly: use a store path (MACHINECTL_STORAGE_PATH) of UTF-8 characters",
            cert_path.display()
        )
    })?;
    let mut vars = vec![
        ("DOCKER_TLS_VERIFY", "1".to_string()),
        ("DOCKER_HOST", url),
        ("DOCKER_CERT_PATH", cert_path.to_string()),
        ("DOCKER_MACHINE_NAME", record.name.clone()),
    ];
    if args.no_proxy {
        let host = record.driver.engine_host().unwrap_or_default();
        let current = ctx.env.get(no_proxy_key).unwrap_or_default();
        let mut entries: Vec<&str> = current.split(',').filter(|e| !e.is_empty()).collect();
        if !entries.contains(&host.as_str()) {
            entries.push(&host);
        }
        vars.push((no_proxy_key, entries.join(",")));
    }
    let mut out = String::new();
    for (key, value) in &vars {
        let line = shell.set(key, value).map_err(|why| {
            let fix = if *key == "DOCKER_CERT_PATH" {
                "use another shell (--shell), or a store path (MACHINECTL_STORAGE_PATH) without it"
            } else {
                "use another shell (--shell)"
            };
            anyhow!(
                "cannot print {key} of machine {} for {}: its value {value:?} is unsafe there ({why}); {fix}",
                record.name,
                shell.name()
            )
        })?;
        out.push_str(&line);
    }
    Ok(out)
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
        let set = |shell: Shell, value: &str| shell.set("A", value).unwrap();
        assert_eq!(set(Shell::Posix, "b"), "export A=\"b\"\n");
        assert_eq!(set(Shell::Fish, "b"), "set -gx A \"b\";\n");
        assert_eq!(set(Shell::PowerShell, "b"), "$Env:A = \"b\"\n");
        assert_eq!(set(Shell::Cmd, "b"), "SET A=b\n");
        assert_eq!(set(Shell::Tcsh, "b"), "setenv A \"b\";\n");
        assert_eq!(set(Shell::Emacs, "b"), "(setenv \"A\" \"b\")\n");
        assert_eq!(
            Shell::Posix.usage_hint(&["machinectl".into(), "env".into(), "dev".into()]),
            "# Run this command to configure your shell: \n# eval \"$(machinectl env dev)\"\n"
        );
    }

    const EVIL: &str = "/tmp/a b\"$(touch pwned)`touch pwned`'\\x!y%z';touch pwned;'$HOME\u{2019}";

    #[test]
    fn unsafe_values_are_quoted() {
        assert_eq!(
            Shell::Posix.set("A", "it's $x").unwrap(),
            "export A='it'\\''s $x'\n"
        );
        assert_eq!(
            Shell::Fish.set("A", "a\\b'c$d").unwrap(),
            "set -gx A 'a\\\\b\\'c$d';\n"
        );
        assert_eq!(
            Shell::PowerShell.set("A", "it's $x\u{2019}").unwrap(),
            "$Env:A = 'it''s $x\u{2019}\u{2019}'\n"
        );
        assert_eq!(
            Shell::Tcsh.set("A", "it's !x").unwrap(),
            "setenv A 'it'\\''s \\!x';\n"
        );
        assert_eq!(
            Shell::Emacs.set("A", "a\"b\\c").unwrap(),
            "(setenv \"A\" \"a\\\"b\\\\c\")\n"
        );
    }

    #[test]
    fn values_a_shell_cannot_carry_are_refused() {
        for bad in [
            "a\"b", "100%", "a!b", "a^b", "a&b", "a|b", "a<b", "a>b", "a\nb", "a\rb",
        ] {
            assert!(Shell::Cmd.set("A", bad).is_err(), "{bad:?}");
        }
        for shell in [Shell::PowerShell, Shell::Tcsh] {
            assert!(shell.set("A", "a\nb").is_err());
        }
        for shell in [Shell::Posix, Shell::Fish, Shell::Emacs] {
            assert!(shell.set("A", "a\nb").is_ok());
            assert!(shell.set("A", "a\0b").is_err());
        }
    }

    /// What `shell` reads back from `line`, if that shell is installed.
    fn read_back(shell: &str, args: &[&str], line: &str) -> Option<String> {
        let dir = tempfile::tempdir().unwrap();
        let home = tempfile::tempdir().unwrap();
        let out = std::process::Command::new(shell)
            .args(args)
            .arg(line)
            .current_dir(dir.path())
            .env("HOME", home.path())
            .output()
            .ok()?;
        assert!(
            std::fs::read_dir(dir.path()).unwrap().next().is_none(),
            "{shell} ran something: {line}"
        );
        assert!(
            out.status.success(),
            "{shell}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Some(String::from_utf8(out.stdout).unwrap())
    }

    #[test]
    fn evil_values_round_trip_through_real_shells() {
        for value in [
            EVIL,
            "plain/value",
            "multi\nline",
            "  spaced  out  ",
            r"two \\ \\' \\",
        ] {
            let line = Shell::Posix.set("A", value).unwrap();
            for sh in ["sh", "bash", "zsh"] {
                let script = format!("{line}printf %s \"$A\"");
                if let Some(back) = read_back(sh, &["-c"], &script) {
                    assert_eq!(back, value, "{sh}: {line}");
                }
            }
            let line = Shell::Fish.set("A", value).unwrap();
            let script = format!("{line}printf %s \"$A\"");
            if let Some(back) = read_back("fish", &["--no-config", "-c"], &script) {
                assert_eq!(back, value, "fish: {line}");
            }
            if !value.contains('\n') {
                let line = Shell::Tcsh.set("A", value).unwrap();
                let script = format!("{line} printenv A");
                if let Some(back) = read_back("tcsh", &["-f", "-c"], &script) {
                    assert_eq!(back.strip_suffix('\n').unwrap(), value, "tcsh: {line}");
                }
            }
        }
    }
}
