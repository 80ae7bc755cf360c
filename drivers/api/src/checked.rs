//! Checked values drivers hold: where a host is and who SSH logs in as.
//!
//! Each is validated where it enters (a flag, an imported docker-machine
//! record, a stored machine.json) and serializes as a plain string, so the
//! record's JSON layout is unchanged but a tampered value fails to load.
//! A value that passes cannot carry shell or quoting syntax, so it is safe
//! wherever it is printed (`env`, `config`, ssh arguments).

use std::net::IpAddr;

/// A string newtype checked by `$check` (which returns the whole message
/// on failure) wherever it is made: `TryFrom`, `FromStr` (so clap flags
/// take it) and serde (so a stored record is checked on load). It
/// serializes as the plain string.
#[macro_export]
macro_rules! checked_string {
    ($(#[$meta:meta])* $name:ident, $check:path) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(value: String) -> Result<Self, String> {
                $check(&value)?;
                Ok($name(value))
            }
        }

        impl TryFrom<&str> for $name {
            type Error = String;
            fn try_from(value: &str) -> Result<Self, String> {
                $name::try_from(value.to_string())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(value: &str) -> Result<Self, String> {
                $name::try_from(value.to_string())
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl From<&$name> for String {
            fn from(value: &$name) -> String {
                value.0.clone()
            }
        }

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }
    };
}

checked_string!(
    /// Where a host is reached: an IP address (v4 or v6) or a DNS host name.
    HostAddress,
    check_host_address
);

checked_string!(
    /// An SSH login name: a portable POSIX user name.
    SshUser,
    check_ssh_user
);

impl HostAddress {
    /// The address, when it is a literal IP (a name is never looked up here).
    pub fn ip(&self) -> Option<IpAddr> {
        self.0.parse().ok()
    }
}

/// A DNS host name: dot-separated labels of letters, digits and '-' (not at
/// either end of a label), at most 63 characters each and 253 in all; the
/// last label is not all digits (that would be a malformed IP address).
pub fn is_dns_name(value: &str) -> bool {
    if value.is_empty() || value.len() > 253 {
        return false;
    }
    let labels: Vec<&str> = value.split('.').collect();
    let labels_ok = labels.iter().all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    labels_ok
        && !labels
            .last()
            .is_some_and(|last| last.bytes().all(|b| b.is_ascii_digit()))
}

/// The shape most cloud names share: `len` bytes long, a first byte that
/// `first` takes and every byte one that `rest` takes. Each driver adds
/// its provider's own rules (not ending with '-', not all digits, …).
pub fn has_shape(
    value: &str,
    len: std::ops::RangeInclusive<usize>,
    first: impl Fn(&u8) -> bool,
    rest: impl Fn(&u8) -> bool,
) -> bool {
    len.contains(&value.len())
        && value.as_bytes().first().is_some_and(first)
        && value.bytes().all(|b| rest(&b))
}

/// A lowercase ASCII letter or a digit.
pub fn is_lower_alnum(b: &u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// A lowercase ASCII letter, a digit or '-'.
pub fn is_lower_alnum_dash(b: &u8) -> bool {
    is_lower_alnum(b) || *b == b'-'
}

/// `Ok` when `ok`, else the message `why` writes: how a check function
/// ends.
pub fn require(ok: bool, why: impl FnOnce() -> String) -> Result<(), String> {
    if ok { Ok(()) } else { Err(why()) }
}

checked_string!(
    /// An IPv4 or IPv6 address or CIDR block, as firewalls take sources.
    Cidr,
    check_cidr
);

fn check_cidr(value: &str) -> Result<(), String> {
    let (addr, prefix) = match value.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (value, None),
    };
    let bad = || {
        format!(
            "{value:?} is not an address or CIDR block: give one such as 203.0.113.0/24, 0.0.0.0/0 or 2001:db8::/32"
        )
    };
    let ip: IpAddr = addr.parse().map_err(|_| bad())?;
    if let Some(prefix) = prefix {
        let max = if ip.is_ipv4() { 32 } else { 128 };
        let ok = !prefix.is_empty()
            && prefix.len() <= 3
            && prefix.bytes().all(|b| b.is_ascii_digit())
            && prefix.parse::<u8>().is_ok_and(|p| p <= max);
        if !ok {
            return Err(bad());
        }
    }
    Ok(())
}

/// Whether a provider API's base URL (an `--*-endpoint` flag) is one the
/// driver may send its credentials to: http(s), a host, no credentials,
/// query or fragment of its own; with `path_allowed` false, no path either.
/// The error names `form`, the shape the flag wants.
pub fn check_api_endpoint(value: &str, path_allowed: bool, form: &str) -> Result<(), String> {
    let url = url::Url::parse(value).map_err(|e| format!("{value:?}: {e}: give {form}"))?;
    let ok = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some()
        && url.username().is_empty()
        && url.password().is_none()
        && url.query().is_none()
        && url.fragment().is_none()
        && (path_allowed || url.path() == "/");
    require(ok, || {
        format!("{value:?} is not an API endpoint: give {form}")
    })
}

fn check_host_address(value: &str) -> Result<(), String> {
    if value.parse::<IpAddr>().is_ok() || is_dns_name(value) {
        Ok(())
    } else {
        Err(format!(
            "{value:?} is not an IP address or a DNS host name (letters, digits, '-' and '.')"
        ))
    }
}

fn check_ssh_user(value: &str) -> Result<(), String> {
    let bytes = value.as_bytes();
    let ok = !bytes.is_empty()
        && bytes.len() <= 32
        && (bytes[0].is_ascii_alphabetic() || bytes[0] == b'_')
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    require(ok, || {
        format!(
            "{value:?} is not a user name: use letters, digits, '_', '.' and '-', starting with a letter or '_' (at most 32)"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_addresses() {
        for good in [
            "10.0.0.1",
            "::1",
            "fe80::1",
            "host",
            "a.example.com",
            "x-1.y",
        ] {
            assert!(HostAddress::try_from(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "1.2.3.4\"; touch pwned; echo \"",
            "a b",
            "-a.b",
            "a-.b",
            "a..b",
            "1.2.3.4.5",
            "999.1.1.1",
            "[::1]",
            "host\n",
            "a_b",
            &"a".repeat(64),
        ] {
            assert!(HostAddress::try_from(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            HostAddress::try_from("10.0.0.1").unwrap().ip(),
            Some("10.0.0.1".parse().unwrap())
        );
        assert_eq!(HostAddress::try_from("h.example").unwrap().ip(), None);
    }

    #[test]
    fn ssh_users() {
        for good in ["root", "ubuntu", "ec2-user", "_svc", "a.b"] {
            assert!(SshUser::try_from(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "-oProxyCommand=x",
            "root;id",
            "a b",
            "1user",
            "us'er",
            "a$",
        ] {
            assert!(SshUser::try_from(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn name_shapes() {
        let lower_name = |v: &str| has_shape(v, 2..=5, u8::is_ascii_lowercase, is_lower_alnum_dash);
        for good in ["ab", "a-1", "abcde"] {
            assert!(lower_name(good), "{good}");
        }
        for bad in ["", "a", "abcdef", "1ab", "Ab", "aB", "a_b", "-ab"] {
            assert!(!lower_name(bad), "{bad:?}");
        }
        assert!(is_lower_alnum(&b'7') && !is_lower_alnum(&b'-'));
        assert_eq!(require(true, || "no".into()), Ok(()));
        assert_eq!(require(false, || "no".into()), Err("no".to_string()));
    }

    #[test]
    fn tampered_json_fails_to_load() {
        let ok: HostAddress = serde_json::from_str("\"10.1.2.3\"").unwrap();
        assert_eq!(serde_json::to_string(&ok).unwrap(), "\"10.1.2.3\"");
        let bad = serde_json::from_str::<HostAddress>(r#""1.2.3.4\"; touch x""#).unwrap_err();
        assert!(bad.to_string().contains("not an IP address"), "{bad}");
    }
}
