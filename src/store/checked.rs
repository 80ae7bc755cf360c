//! Checked machine inputs: every value that describes a machine's engine
//! (and, from the driver API, its address and SSH user) is one of these
//! types, validated where it enters — a flag of `create`, a docker-machine
//! config.json being imported, a machine.json being loaded.
//!
//! Each serializes as the plain string it was made from
//! (`#[serde(try_from = "String", into = "String")]`), so machine.json keeps
//! its layout, while a record edited to hold a value that does not pass
//! fails to load and shows as an error row in `ls`.
//!
//! The rules are about what a value is, not where it goes: templates still
//! escape every interpolation for its context (`render::escape`), so these
//! checks are the first wall and the filters the second.

use std::net::IpAddr;

use serde::{Deserialize, Deserializer};

pub use machinectl_driver_api::checked::{HostAddress, SshUser, is_dns_name};

// The one checked-newtype macro, shared with the drivers.
use machinectl_driver_api::checked_string;

checked_string!(
    /// `KEY=VALUE` in the engine's environment (`--engine-env`): a shell
    /// variable name, and a value on one line without quotes or backslashes.
    EnvVar,
    check_env_var
);

checked_string!(
    /// `key=value` (or a bare `key`, meaning true) for daemon.json
    /// (`--engine-opt`). The keys that make the engine's TLS and listeners
    /// are machinectl's and cannot be overridden.
    EngineOpt,
    check_engine_opt
);

checked_string!(
    /// An engine label, `key=value`, without control characters.
    Label,
    check_label
);

checked_string!(
    /// An http(s) URL of an install script, or `none` (never install).
    InstallUrl,
    check_install_url
);

checked_string!(
    /// A storage driver name: lowercase letters, digits, '_' and '-'.
    StorageDriver,
    check_storage_driver
);

checked_string!(
    /// A registry mirror: an http(s) URL.
    RegistryMirror,
    check_registry_mirror
);

checked_string!(
    /// A registry reached without TLS: host[:port] or a CIDR.
    InsecureRegistry,
    check_insecure_registry
);

checked_string!(
    /// An extra name of the server certificate: an IP or a DNS name
    /// (a leading `*.` makes a wildcard).
    TlsSan,
    check_tls_san
);

impl EnvVar {
    pub fn key(&self) -> &str {
        self.0.split_once('=').map_or("", |(k, _)| k)
    }
    pub fn value(&self) -> &str {
        self.0.split_once('=').map_or("", |(_, v)| v)
    }
}

impl EngineOpt {
    /// The daemon.json key (leading dashes of a flag-style `--key` dropped).
    pub fn key(&self) -> &str {
        split_opt(&self.0).0
    }
    /// The value as typed; `None` for a bare key.
    pub fn value(&self) -> Option<&str> {
        split_opt(&self.0).1
    }
}

impl Label {
    pub fn key(&self) -> &str {
        self.0.split_once('=').map_or("", |(k, _)| k)
    }
}

impl InstallUrl {
    /// `none`: never install the engine.
    pub fn is_none(&self) -> bool {
        self.0 == "none"
    }
}

fn has_control(value: &str) -> bool {
    value.chars().any(char::is_control)
}

fn check_env_var(value: &str) -> Result<(), String> {
    let (key, val) = value.split_once('=').unwrap_or((value, ""));
    let key_ok = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !value.contains('=') || !key_ok || val.contains(['\'', '"', '\\']) || has_control(val) {
        return Err(format!(
            "{value:?} is not a valid KEY=VALUE: the name must be letters, digits and '_' (not starting with a digit), and the value must not contain quotes, backslashes, line breaks or control characters"
        ));
    }
    Ok(())
}

fn split_opt(value: &str) -> (&str, Option<&str>) {
    let (key, val) = match value.split_once('=') {
        Some((k, v)) => (k, Some(v)),
        None => (value, None),
    };
    (key.trim_start_matches('-'), val)
}

/// The daemon.json keys machinectl sets for TLS and listeners, each with the
/// way to change what it controls instead.
const RESERVED_ENGINE_KEYS: &[(&str, &str)] = &[
    ("tls", TLS_FIX),
    ("tlsverify", TLS_FIX),
    ("tlscacert", TLS_FIX),
    ("tlscert", TLS_FIX),
    ("tlskey", TLS_FIX),
    (
        "hosts",
        "the engine listens on its unix socket and, with TLS, on the port set by --engine-port",
    ),
    (
        "host",
        "the engine listens on its unix socket and, with TLS, on the port set by --engine-port",
    ),
    (
        "h",
        "the engine listens on its unix socket and, with TLS, on the port set by --engine-port",
    ),
];

const TLS_FIX: &str = "machinectl always serves the engine over mutual TLS with certificates from its own CA; add names to the server certificate with --tls-san, and renew the certificates with `machinectl regenerate-certs`";

fn check_engine_opt(value: &str) -> Result<(), String> {
    let (key, val) = split_opt(value);
    let key_ok = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !key_ok || val.is_some_and(has_control) {
        return Err(format!(
            "{value:?} is not a valid daemon.json setting: use key=value with a key of letters, digits, '-', '_' and '.', and a value on one line"
        ));
    }
    // dockerd reads daemon.json with Go's case-insensitive field matching.
    let lower = key.to_ascii_lowercase();
    if let Some((reserved, fix)) = RESERVED_ENGINE_KEYS.iter().find(|(k, _)| *k == lower) {
        return Err(format!(
            "{value:?} would override the engine's {reserved:?} setting, which machinectl owns: {fix}"
        ));
    }
    Ok(())
}

fn check_label(value: &str) -> Result<(), String> {
    match value.split_once('=') {
        Some((key, _)) if !key.is_empty() && !has_control(value) => Ok(()),
        _ => Err(format!(
            "{value:?} is not a valid label: use key=value on one line, without control characters"
        )),
    }
}

/// An http(s) URL with a host and nothing a shell or a quoted string would read.
fn check_http_url(value: &str) -> Result<(), &'static str> {
    if value
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '\'' | '"' | '`' | '\\'))
    {
        return Err("it holds whitespace, quotes, backslashes or control characters");
    }
    let url = reqwest::Url::parse(value).map_err(|_| "it is not a URL")?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("only http and https URLs are accepted");
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("it names no host");
    }
    Ok(())
}

fn check_install_url(value: &str) -> Result<(), String> {
    if value == "none" {
        return Ok(());
    }
    check_http_url(value).map_err(|why| {
        format!(
            "{value:?} is not an install script URL ({why}): give an http(s) URL of an install script, or `none`"
        )
    })
}

fn check_registry_mirror(value: &str) -> Result<(), String> {
    check_http_url(value).map_err(|why| {
        format!("{value:?} is not a registry mirror URL ({why}): give an http(s) URL")
    })
}

fn check_storage_driver(value: &str) -> Result<(), String> {
    let ok = !value.is_empty()
        && value.len() <= 64
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{value:?} is not a storage driver name: use lowercase letters, digits, '_' and '-' (overlay2, vfs, btrfs, …)"
        ))
    }
}

fn valid_port(port: &str) -> bool {
    !port.is_empty()
        && port.len() <= 5
        && port.bytes().all(|b| b.is_ascii_digit())
        && port.parse::<u32>().is_ok_and(|p| (1..=65535).contains(&p))
}

fn check_insecure_registry(value: &str) -> Result<(), String> {
    let ok = if value.parse::<ipnet::IpNet>().is_ok() || value.parse::<IpAddr>().is_ok() {
        true
    } else if let Some(rest) = value.strip_prefix('[') {
        // [v6] or [v6]:port
        match rest.split_once(']') {
            Some((ip, tail)) => {
                ip.parse::<std::net::Ipv6Addr>().is_ok()
                    && (tail.is_empty() || tail.strip_prefix(':').is_some_and(valid_port))
            }
            None => false,
        }
    } else {
        let (host, port) = match value.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (value, None),
        };
        (host.parse::<std::net::Ipv4Addr>().is_ok() || is_dns_name(host))
            && port.is_none_or(valid_port)
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{value:?} is not an insecure registry: give host[:port] (no scheme) or a CIDR such as 10.0.0.0/8"
        ))
    }
}

fn check_tls_san(value: &str) -> Result<(), String> {
    let name = value.strip_prefix("*.").unwrap_or(value);
    if value.parse::<IpAddr>().is_ok() || is_dns_name(name) {
        Ok(())
    } else {
        Err(format!(
            "{value:?} is not a certificate name: give an IP address or a DNS name (letters, digits, '-' and '.')"
        ))
    }
}

/// `deserialize_with` for a list of labels kept as strings: each must pass
/// [`Label`], so a tampered record fails to load.
pub fn labels<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    let labels = Vec::<String>::deserialize(deserializer)?;
    for label in &labels {
        check_label(label).map_err(serde::de::Error::custom)?;
    }
    Ok(labels)
}

/// `deserialize_with` for a machine's name in its record: the store's rule,
/// so a record can never name a path outside its own directory.
pub fn machine_name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let name = String::deserialize(deserializer)?;
    super::validate_name(&name).map_err(serde::de::Error::custom)?;
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok<T: TryFrom<String, Error = String>>(value: &str) -> bool {
        T::try_from(value.to_string()).is_ok()
    }

    #[test]
    fn env_vars() {
        assert!(ok::<EnvVar>("HTTP_PROXY=http://proxy:3128"));
        assert!(ok::<EnvVar>("_A1="));
        let v = EnvVar::try_from("A=b=c").unwrap();
        assert_eq!((v.key(), v.value()), ("A", "b=c"));
        for bad in [
            "X=1'; touch pwned; '",
            "X=a\nExecStartPre=/bin/evil",
            "X=a\rb",
            "X=a\0b",
            "1BAD=x",
            "A B=x",
            "=x",
            "NOVALUE",
            "A=it's",
            "A=\"x\"",
            "A=a\\b",
        ] {
            assert!(!ok::<EnvVar>(bad), "{bad:?}");
        }
    }

    #[test]
    fn engine_opts_refuse_tls_keys_and_name_the_flag() {
        assert!(ok::<EngineOpt>("max-concurrent-uploads=3"));
        assert!(ok::<EngineOpt>("experimental"));
        assert!(ok::<EngineOpt>("--dns=1.1.1.1"));
        assert!(ok::<EngineOpt>("log-opts={\"max-size\":\"10m\"}"));
        let o = EngineOpt::try_from("--dns=1.1.1.1").unwrap();
        assert_eq!((o.key(), o.value()), ("dns", Some("1.1.1.1")));
        for key in [
            "tls",
            "tlsverify",
            "tlscacert",
            "tlscert",
            "tlskey",
            "hosts",
            "host",
            "H",
            "TLSVerify",
            "--tlsverify",
            "-H",
        ] {
            let err = EngineOpt::try_from(format!("{key}=false")).unwrap_err();
            assert!(
                err.contains("--tls-san") || err.contains("--engine-port"),
                "{key}: {err}"
            );
        }
        for bad in ["=x", "a b=c", "k=v\nx", "ſ=1", "-=1", ""] {
            assert!(!ok::<EngineOpt>(bad), "{bad:?}");
        }
    }

    #[test]
    fn labels_and_storage_drivers() {
        assert!(ok::<Label>("team=a b"));
        assert!(ok::<Label>("k="));
        assert_eq!(Label::try_from("k=v").unwrap().key(), "k");
        for bad in ["nolabelvalue", "=v", "k=v\nx", "k=\u{1b}[31m"] {
            assert!(!ok::<Label>(bad), "{bad:?}");
        }
        assert!(ok::<StorageDriver>("overlay2"));
        assert!(ok::<StorageDriver>("fuse-overlayfs"));
        for bad in ["", "Overlay", "a b", "x;y", "a/b"] {
            assert!(!ok::<StorageDriver>(bad), "{bad:?}");
        }
    }

    #[test]
    fn urls() {
        assert!(ok::<InstallUrl>("https://get.docker.com"));
        assert!(ok::<InstallUrl>("http://10.0.0.1:8080/install.sh?x=1"));
        assert!(InstallUrl::try_from("none").unwrap().is_none());
        for bad in [
            "ftp://x",
            "https://x/' ; touch pwned; '",
            "https://x/a b",
            "https://x/\"",
            "https://x/`id`",
            "https://x/\n",
            "file:///etc/passwd",
            "get.docker.com",
            "",
        ] {
            assert!(!ok::<InstallUrl>(bad), "{bad:?}");
        }
        assert!(ok::<RegistryMirror>("https://mirror.gcr.io"));
        assert!(!ok::<RegistryMirror>("none"));
        assert!(!ok::<RegistryMirror>("mirror.gcr.io"));
    }

    #[test]
    fn insecure_registries() {
        for good in [
            "reg:5000",
            "reg.example.com",
            "10.0.0.1:5000",
            "10.0.0.0/8",
            "fd00::/8",
            "[::1]:5000",
            "[::1]",
            "::1",
        ] {
            assert!(ok::<InsecureRegistry>(good), "{good}");
        }
        for bad in [
            "http://reg:5000",
            "reg:0",
            "reg:70000",
            "reg:",
            "a b",
            "reg;x",
            "[::1",
            "10.0.0.0/33",
        ] {
            assert!(!ok::<InsecureRegistry>(bad), "{bad:?}");
        }
    }

    #[test]
    fn tls_sans() {
        for good in [
            "10.1.2.3",
            "::1",
            "docker.example.com",
            "*.example.com",
            "h",
        ] {
            assert!(ok::<TlsSan>(good), "{good}");
        }
        for bad in ["", "a b", "*", "a.*.b", "x\ny", "http://x"] {
            assert!(!ok::<TlsSan>(bad), "{bad:?}");
        }
    }

    #[test]
    fn serialize_as_plain_strings_and_refuse_tampered_values() {
        let v: EnvVar = serde_json::from_str("\"A=b\"").unwrap();
        assert_eq!(serde_json::to_string(&v).unwrap(), "\"A=b\"");
        let err = serde_json::from_str::<EnvVar>(r#""X=1'; touch pwned; '""#).unwrap_err();
        assert!(err.to_string().contains("KEY=VALUE"), "{err}");
    }
}
