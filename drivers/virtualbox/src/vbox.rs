//! VBoxManage: where it is, whether it is new enough, running it (no
//! shell: every value is one argument) and reading its machine-readable
//! answers (`showvminfo --machinereadable`, `list hostonlyifs`,
//! `guestproperty get`). Every call is counted for `--debug`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use machinectl_driver_api::{DriverError, Result};

/// The oldest VirtualBox this driver drives (host-only networks and
/// `modifymedium --resize` as documented from 6.1 on).
pub const MIN_VERSION: (u32, u32) = (6, 1);

static CALLS: AtomicU64 = AtomicU64::new(0);

/// The version this process found, once checked.
static VERSION: std::sync::OnceLock<(u32, u32, u32)> = std::sync::OnceLock::new();

/// VBoxManage, found, with its version checked (asked once per process).
pub fn checked() -> Result<(VBox, (u32, u32, u32))> {
    let vbox = find()?;
    let version = match VERSION.get() {
        Some(version) => *version,
        None => {
            let version = vbox.check_version()?;
            *VERSION.get_or_init(|| version)
        }
    };
    Ok((vbox, version))
}

/// VBoxManage calls this process made.
pub fn calls() -> u64 {
    CALLS.load(Ordering::Relaxed)
}

/// Where VirtualBox installs VBoxManage when it is not on PATH.
fn install_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = ["VBOX_MSI_INSTALL_PATH", "VBOX_INSTALL_PATH"]
        .iter()
        .filter_map(std::env::var_os)
        .flat_map(|v| std::env::split_paths(&v).collect::<Vec<_>>())
        .collect();
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    dirs.extend(
        [
            "/usr/bin",
            "/usr/local/bin",
            "/usr/lib/virtualbox",
            "/opt/VirtualBox",
            "/Applications/VirtualBox.app/Contents/MacOS",
            "C:\\Program Files\\Oracle\\VirtualBox",
        ]
        .map(PathBuf::from),
    );
    dirs
}

/// VBoxManage, found on VBOX_MSI_INSTALL_PATH/VBOX_INSTALL_PATH, PATH or
/// the usual install directories.
pub fn find() -> Result<VBox> {
    let names = ["VBoxManage", "VBoxManage.exe"];
    install_dirs()
        .into_iter()
        .flat_map(|dir| names.map(|n| dir.join(n)))
        .find(|p| p.is_file())
        .map(|path| VBox { path })
        .ok_or_else(|| {
            DriverError::Precondition(
                "VBoxManage was not found: install VirtualBox 6.1 or later (https://www.virtualbox.org/wiki/Downloads), or put VBoxManage on PATH (or set VBOX_INSTALL_PATH)".into(),
            )
        })
}

/// `7.0.20r163906` or `6.1.50_Ubuntur161033` as (major, minor, patch).
pub fn parse_version(text: &str) -> Option<(u32, u32, u32)> {
    let mut parts = text.trim().splitn(3, '.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    let patch: String = parts
        .next()
        .unwrap_or("0")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    Some((major, minor, patch.parse().unwrap_or(0)))
}

/// One VBoxManage binary.
#[derive(Debug, Clone)]
pub struct VBox {
    path: PathBuf,
}

/// The `VBoxManage: error:` lines of a failed call, joined (or its last
/// words when it printed none).
fn error_detail(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("VBoxManage: error: "))
        .filter(|l| !l.starts_with("Context:") && !l.starts_with("Details:"))
        .collect();
    if lines.is_empty() {
        stderr
            .trim()
            .lines()
            .last()
            .unwrap_or("no output")
            .to_string()
    } else {
        lines.join("; ")
    }
}

impl VBox {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `VBoxManage --version`, refused when older than [`MIN_VERSION`].
    pub fn check_version(&self) -> Result<(u32, u32, u32)> {
        CALLS.fetch_add(1, Ordering::Relaxed);
        let out = std::process::Command::new(&self.path)
            .arg("--version")
            .output()
            .map_err(|e| DriverError::io(format!("run {}", self.path.display()), e))?;
        let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let Some(version) = parse_version(&text).filter(|_| out.status.success()) else {
            return Err(DriverError::Precondition(format!(
                "{} --version answered {:?}, not a version: reinstall VirtualBox 6.1 or later",
                self.path.display(),
                text.lines().next().unwrap_or_default()
            )));
        };
        if (version.0, version.1) < MIN_VERSION {
            return Err(DriverError::Precondition(format!(
                "VirtualBox {text} is too old: machinectl needs 6.1 or later (https://www.virtualbox.org/wiki/Downloads)"
            )));
        }
        Ok(version)
    }

    /// Run `VBoxManage ARGS…`; its standard output, or an error naming the
    /// subcommand and VirtualBox's own message.
    pub async fn run(&self, args: &[&str]) -> Result<String> {
        CALLS.fetch_add(1, Ordering::Relaxed);
        let out = tokio::process::Command::new(&self.path)
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .await
            .map_err(|e| DriverError::io(format!("run {}", self.path.display()), e))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            let what = args.iter().take(2).copied().collect::<Vec<_>>().join(" ");
            Err(DriverError::Command {
                what: format!("VBoxManage {what}"),
                detail: error_detail(&String::from_utf8_lossy(&out.stderr)),
            })
        }
    }
}

/// `key="value"` lines of `--machinereadable` output, quotes removed.
pub fn machine_readable(text: &str) -> Vec<(String, String)> {
    let unquote = |s: &str| {
        let s = s.trim();
        s.strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .unwrap_or(s)
            .to_string()
    };
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (unquote(k), unquote(v)))
        .collect()
}

/// The value of `key` in machine-readable output.
pub fn field<'a>(fields: &'a [(String, String)], key: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Blocks of `Key:   value` lines separated by blank lines (`list
/// hostonlyifs`, `list dhcpservers`).
pub fn blocks(text: &str) -> Vec<Vec<(String, String)>> {
    let mut all = Vec::new();
    let mut block = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !block.is_empty() {
                all.push(std::mem::take(&mut block));
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            block.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    if !block.is_empty() {
        all.push(block);
    }
    all
}

/// The value `guestproperty get` printed (`Value: X`), none for `No value set!`.
pub fn guest_value(text: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.strip_prefix("Value: "))
        .map(|v| v.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(parse_version("7.0.20r163906\n"), Some((7, 0, 20)));
        assert_eq!(parse_version("6.1.50_Ubuntur161033"), Some((6, 1, 50)));
        assert_eq!(parse_version("7.1"), Some((7, 1, 0)));
        assert_eq!(parse_version("WARNING: no driver"), None);
        assert!((5, 2) < MIN_VERSION && (7, 0) >= MIN_VERSION);
    }

    #[test]
    fn machine_readable_output() {
        let text = "name=\"dev\"\nVMState=\"poweroff\"\n\"Forwarding(0)\"=\"ssh,tcp,127.0.0.1,40022,,22\"\ncpus=2\n";
        let fields = machine_readable(text);
        assert_eq!(field(&fields, "VMState"), Some("poweroff"));
        assert_eq!(
            field(&fields, "Forwarding(0)"),
            Some("ssh,tcp,127.0.0.1,40022,,22")
        );
        assert_eq!(field(&fields, "cpus"), Some("2"));
    }

    #[test]
    fn hostonly_blocks_and_guest_values() {
        let text = "Name:            vboxnet0\nIPAddress:       192.168.56.1\nNetworkMask:     255.255.255.0\n\nName:            vboxnet1\nIPAddress:       192.168.57.1\n";
        let b = blocks(text);
        assert_eq!(b.len(), 2);
        assert_eq!(field(&b[1], "IPAddress"), Some("192.168.57.1"));
        assert_eq!(
            guest_value("Value: 192.168.56.101\n").as_deref(),
            Some("192.168.56.101")
        );
        assert_eq!(guest_value("No value set!\n"), None);
    }

    #[test]
    fn errors_keep_virtualbox_words() {
        let stderr = "VBoxManage: error: Code E_ACCESSDENIED (0x80070005) - Access denied (extended info not available)\nVBoxManage: error: Context: \"EnableStaticIPConfig\" at line 242\n";
        assert_eq!(
            error_detail(stderr),
            "Code E_ACCESSDENIED (0x80070005) - Access denied (extended info not available)"
        );
    }
}
