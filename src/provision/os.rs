//! What a host runs: its OS (from /etc/os-release), its init system, and
//! how the container engine is installed there.

use std::collections::HashMap;

/// Parsed /etc/os-release.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OsRelease {
    pub id: String,
    pub id_like: Vec<String>,
    pub version_id: String,
    pub pretty_name: String,
}

impl OsRelease {
    pub fn parse(text: &str) -> OsRelease {
        let mut fields: HashMap<&str, String> = HashMap::new();
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with('#') {
                continue;
            }
            if let Some((key, value)) = line.split_once('=') {
                let value = value.trim();
                let value = value
                    .strip_prefix('"')
                    .and_then(|v| v.strip_suffix('"'))
                    .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                    .unwrap_or(value);
                fields.insert(key.trim(), value.replace("\\\"", "\"").replace("\\$", "$"));
            }
        }
        let id = fields.remove("ID").unwrap_or_default().to_lowercase();
        OsRelease {
            id_like: fields
                .remove("ID_LIKE")
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_lowercase)
                .collect(),
            version_id: fields.remove("VERSION_ID").unwrap_or_default(),
            pretty_name: fields
                .remove("PRETTY_NAME")
                .or_else(|| fields.remove("NAME"))
                .unwrap_or_else(|| id.clone()),
            id,
        }
    }

    /// The family by ID, falling back to ID_LIKE (so derivatives work).
    pub fn family(&self) -> Option<Family> {
        std::iter::once(&self.id)
            .chain(self.id_like.iter())
            .find_map(|id| Family::from_id(id))
    }
}

/// Distribution families, by how they install packages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Debian,
    Ubuntu,
    Raspbian,
    Rhel,
    CentOs,
    Rocky,
    Alma,
    Fedora,
    Amazon,
    Suse,
    Alpine,
}

impl Family {
    fn from_id(id: &str) -> Option<Family> {
        Some(match id {
            "debian" => Family::Debian,
            "ubuntu" => Family::Ubuntu,
            "raspbian" => Family::Raspbian,
            "rhel" => Family::Rhel,
            "centos" => Family::CentOs,
            "rocky" => Family::Rocky,
            "almalinux" => Family::Alma,
            "fedora" => Family::Fedora,
            "amzn" => Family::Amazon,
            "sles" | "sled" | "opensuse" | "opensuse-leap" | "opensuse-tumbleweed" | "suse" => {
                Family::Suse
            }
            "alpine" => Family::Alpine,
            _ => return None,
        })
    }

    /// How the engine is installed when no --engine-install-url is given.
    pub fn default_install(self) -> InstallMethod {
        match self {
            // Docker's install script supports these directly.
            Family::Debian
            | Family::Ubuntu
            | Family::Raspbian
            | Family::Rhel
            | Family::CentOs
            | Family::Fedora => InstallMethod::Script(DOCKER_INSTALL_SCRIPT.into()),
            Family::Rocky | Family::Alma => InstallMethod::Command(
                "$SUDO dnf -y install dnf-plugins-core && \
                 $SUDO dnf config-manager --add-repo https://download.docker.com/linux/centos/docker-ce.repo && \
                 $SUDO dnf -y install docker-ce docker-ce-cli containerd.io"
                    .into(),
            ),
            Family::Amazon => InstallMethod::Command(
                "if command -v dnf >/dev/null 2>&1; then $SUDO dnf -y install docker; else $SUDO yum -y install docker; fi"
                    .into(),
            ),
            Family::Suse => {
                InstallMethod::Command("$SUDO zypper --non-interactive install docker".into())
            }
            Family::Alpine => InstallMethod::Command("$SUDO apk add --no-cache docker".into()),
        }
    }
}

pub const DOCKER_INSTALL_SCRIPT: &str = "https://get.docker.com";

/// How to install the engine on one host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstallMethod {
    /// Fetch a script and pipe it to sh.
    Script(String),
    /// A package-manager command; `$SUDO` is replaced by the privilege prefix.
    Command(String),
    /// --engine-install-url none.
    Skip,
}

/// Decide the install method: an explicit URL wins, `none` skips, otherwise the family's default.
pub fn install_method(os: &OsRelease, install_url: Option<&str>) -> Result<InstallMethod, String> {
    match install_url {
        Some("none") => Ok(InstallMethod::Skip),
        Some(url) => Ok(InstallMethod::Script(url.to_string())),
        None => os.family().map(Family::default_install).ok_or_else(|| {
            format!(
                "{} (ID={}) is not a system machinectl knows how to install Docker on: install it yourself and pass --engine-install-url none, or give an install script with --engine-install-url",
                os.pretty_name, os.id
            )
        }),
    }
}

/// The host's init system, which decides how the engine is (re)started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InitSystem {
    Systemd,
    OpenRc,
    SysVinit,
    /// Nothing manages services: machinectl starts dockerd itself.
    None,
}

impl InitSystem {
    pub fn parse(word: &str) -> InitSystem {
        match word.trim() {
            "systemd" => InitSystem::Systemd,
            "openrc" => InitSystem::OpenRc,
            "sysvinit" => InitSystem::SysVinit,
            _ => InitSystem::None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            InitSystem::Systemd => "systemd",
            InitSystem::OpenRc => "openrc",
            InitSystem::SysVinit => "sysvinit",
            InitSystem::None => "none",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn family_of(text: &str) -> Option<Family> {
        OsRelease::parse(text).family()
    }

    #[test]
    fn detects_every_supported_distribution() {
        let cases = [
            ("ID=debian\nVERSION_ID=\"12\"", Family::Debian),
            ("ID=ubuntu\nID_LIKE=debian", Family::Ubuntu),
            ("ID=raspbian\nID_LIKE=debian", Family::Raspbian),
            ("ID=\"rhel\"\nID_LIKE=\"fedora\"", Family::Rhel),
            ("ID=\"centos\"\nID_LIKE=\"rhel fedora\"", Family::CentOs),
            (
                "ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"",
                Family::Rocky,
            ),
            (
                "ID=\"almalinux\"\nID_LIKE=\"rhel centos fedora\"",
                Family::Alma,
            ),
            ("ID=fedora", Family::Fedora),
            ("ID=\"amzn\"\nID_LIKE=\"fedora\"", Family::Amazon),
            ("ID=\"sles\"\nID_LIKE=\"suse\"", Family::Suse),
            (
                "ID=\"opensuse-leap\"\nID_LIKE=\"suse opensuse\"",
                Family::Suse,
            ),
            ("ID=alpine", Family::Alpine),
        ];
        for (text, want) in cases {
            assert_eq!(family_of(text), Some(want), "{text}");
        }
    }

    #[test]
    fn derivatives_fall_back_to_id_like() {
        assert_eq!(
            family_of("ID=linuxmint\nID_LIKE=\"ubuntu debian\""),
            Some(Family::Ubuntu)
        );
        assert_eq!(family_of("ID=plan9"), None);
    }

    #[test]
    fn parses_quotes_comments_and_pretty_name() {
        let os = OsRelease::parse(
            "# comment\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID='12'\n",
        );
        assert_eq!(os.pretty_name, "Debian GNU/Linux 12 (bookworm)");
        assert_eq!(os.version_id, "12");
    }

    #[test]
    fn install_method_prefers_explicit_url_and_none() {
        let debian = OsRelease::parse("ID=debian");
        assert_eq!(
            install_method(&debian, None).unwrap(),
            InstallMethod::Script(DOCKER_INSTALL_SCRIPT.into())
        );
        assert_eq!(
            install_method(&debian, Some("none")).unwrap(),
            InstallMethod::Skip
        );
        assert_eq!(
            install_method(&debian, Some("https://example.test/i.sh")).unwrap(),
            InstallMethod::Script("https://example.test/i.sh".into())
        );
        let alpine = OsRelease::parse("ID=alpine");
        assert!(
            matches!(install_method(&alpine, None).unwrap(), InstallMethod::Command(c) if c.contains("apk add"))
        );
        let unknown = OsRelease::parse("ID=plan9\nPRETTY_NAME=Plan 9");
        assert!(
            install_method(&unknown, None)
                .unwrap_err()
                .contains("--engine-install-url none")
        );
    }

    #[test]
    fn init_words_map_to_systems() {
        assert_eq!(InitSystem::parse("systemd\n"), InitSystem::Systemd);
        assert_eq!(InitSystem::parse("openrc"), InitSystem::OpenRc);
        assert_eq!(InitSystem::parse("sysvinit"), InitSystem::SysVinit);
        assert_eq!(InitSystem::parse("none"), InitSystem::None);
        assert_eq!(InitSystem::parse(""), InitSystem::None);
    }
}
