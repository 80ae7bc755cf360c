//! Checked values of the digitalocean driver: each is validated where it
//! enters (a flag, an environment variable, a stored machine.json), so a
//! value that reaches a request or a record is one DigitalOcean documents.

pub use machinectl_driver_api::checked::Cidr;
use machinectl_driver_api::checked::{has_shape, is_lower_alnum, require};
use machinectl_driver_api::checked_string;

checked_string!(
    /// A region slug (nyc3, fra1, sgp1): lowercase letters and digits.
    Region,
    check_region
);

checked_string!(
    /// A size slug (s-1vcpu-1gb, c-2, gd-4vcpu-16gb).
    Size,
    check_slug
);

checked_string!(
    /// An image: a slug (ubuntu-24-04-x64) or a numeric image id.
    Image,
    check_slug
);

checked_string!(
    /// A VPC's UUID (8-4-4-4-12 hex digits).
    VpcUuid,
    check_uuid
);

checked_string!(
    /// A Cloud Firewall's id (a UUID).
    FirewallId,
    check_uuid
);

checked_string!(
    /// An account SSH key's MD5 fingerprint (`aa:bb:…`, 16 pairs) or its numeric id.
    KeyFingerprint,
    check_fingerprint
);

checked_string!(
    /// A tag name: letters, digits, ':', '-' and '_', at most 255.
    TagName,
    check_tag
);

checked_string!(
    /// The API's base URL: http(s), a host, no query, no credentials.
    ApiUrl,
    check_api_url
);

fn check_region(value: &str) -> Result<(), String> {
    let ok = has_shape(value, 2..=16, u8::is_ascii_lowercase, is_lower_alnum);
    require(ok, || {
        format!(
            "{value:?} is not a region slug: give one such as nyc3, fra1 or sgp1 (`doctl compute region list`)"
        )
    })
}

fn check_slug(value: &str) -> Result<(), String> {
    let ok = has_shape(value, 1..=64, u8::is_ascii_alphanumeric, |b| {
        is_lower_alnum(b) || matches!(b, b'-' | b'.')
    });
    require(ok, || {
        format!("{value:?} is not a slug: use lowercase letters, digits, '-' and '.' (at most 64)")
    })
}

fn check_uuid(value: &str) -> Result<(), String> {
    let groups: Vec<&str> = value.split('-').collect();
    let lengths = [8, 4, 4, 4, 12];
    let ok = groups.len() == 5
        && groups
            .iter()
            .zip(lengths)
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()));
    require(ok, || {
        format!("{value:?} is not a VPC UUID (8-4-4-4-12 hex digits, as `doctl vpcs list` shows)")
    })
}

fn check_fingerprint(value: &str) -> Result<(), String> {
    let pairs: Vec<&str> = value.split(':').collect();
    let md5 = pairs.len() == 16
        && pairs
            .iter()
            .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_hexdigit()));
    let id = !value.is_empty() && value.len() <= 20 && value.bytes().all(|b| b.is_ascii_digit());
    if md5 || id {
        Ok(())
    } else {
        Err(format!(
            "{value:?} is not an SSH key fingerprint (aa:bb:…, 16 hex pairs) or key id (`doctl compute ssh-key list`)"
        ))
    }
}

fn check_tag(value: &str) -> Result<(), String> {
    let ok = !value.is_empty()
        && value.len() <= 255
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'-' | b'_'));
    require(ok, || {
        format!("{value:?} is not a tag: use letters, digits, ':', '-' and '_' (at most 255)")
    })
}

fn check_api_url(value: &str) -> Result<(), String> {
    machinectl_driver_api::checked::check_api_endpoint(
        value,
        true,
        "http(s)://HOST[:PORT][/PATH] without credentials or a query",
    )
}

impl ApiUrl {
    /// `path` (starting with `/v2/`) under this base URL.
    pub fn join(&self, path: &str) -> String {
        format!("{}{path}", self.as_str().trim_end_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_and_bad_values() {
        for good in ["nyc3", "fra1", "sgp1"] {
            assert!(Region::try_from(good).is_ok(), "{good}");
        }
        for bad in ["", "NYC3", "ny c3", "nyc3;id", "3nyc"] {
            assert!(Region::try_from(bad).is_err(), "{bad:?}");
        }
        for good in ["s-1vcpu-1gb", "ubuntu-24-04-x64", "12345", "c-2"] {
            assert!(Size::try_from(good).is_ok() && Image::try_from(good).is_ok());
        }
        for bad in ["", "S-1", "a b", "a/b", "-x", "a\"b"] {
            assert!(Image::try_from(bad).is_err(), "{bad:?}");
        }
        assert!(VpcUuid::try_from("760e09ef-dc84-11e8-981e-3cfdfeaae000").is_ok());
        assert!(VpcUuid::try_from("760e09ef-dc84-11e8-981e").is_err());
        assert!(
            KeyFingerprint::try_from("3b:16:bf:e4:8b:00:8b:b8:59:8c:a9:d3:f0:19:45:fa").is_ok()
        );
        assert!(KeyFingerprint::try_from("512189").is_ok());
        assert!(KeyFingerprint::try_from("3b:16:bf").is_err());
        assert!(KeyFingerprint::try_from("../keys").is_err());
        for good in ["web", "env:prod", "a_b-c"] {
            assert!(TagName::try_from(good).is_ok(), "{good}");
        }
        for bad in ["", "a b", "a.b", "a/b", &"a".repeat(256)] {
            assert!(TagName::try_from(bad).is_err(), "{bad:?}");
        }
        for good in ["0.0.0.0/0", "::/0", "203.0.113.7", "2001:db8::/32"] {
            assert!(Cidr::try_from(good).is_ok(), "{good}");
        }
        for bad in [
            "0.0.0.0/33",
            "::/129",
            "1.2.3/8",
            "1.2.3.4/",
            "x/1",
            "1.2.3.4/+1",
        ] {
            assert!(Cidr::try_from(bad).is_err(), "{bad:?}");
        }
        assert!(ApiUrl::try_from("https://api.digitalocean.com").is_ok());
        assert!(ApiUrl::try_from("http://127.0.0.1:4010/").is_ok());
        for bad in [
            "ftp://x",
            "https://user:pw@api.digitalocean.com",
            "https://x/?a=1",
            "nope",
        ] {
            assert!(ApiUrl::try_from(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            ApiUrl::try_from("http://h:1/")
                .unwrap()
                .join("/v2/droplets"),
            "http://h:1/v2/droplets"
        );
    }
}
