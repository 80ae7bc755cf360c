//! Checked values of the gce driver: each is validated where it enters (a
//! flag, an environment variable, a stored machine.json), so a value that
//! reaches a request path, a body or a record is one Compute Engine accepts
//! and cannot carry path or query syntax.

pub use machinectl_driver_api::checked::Cidr;
use machinectl_driver_api::checked::{has_shape, is_lower_alnum_dash, require};
use machinectl_driver_api::checked_string;

checked_string!(
    /// A project id: 6–30 lowercase letters, digits and '-', starting with a letter.
    Project,
    check_project
);

checked_string!(
    /// A zone (us-central1-a): region and zone letter.
    Zone,
    check_zone
);

checked_string!(
    /// A Compute Engine resource name (instance, firewall, network, machine
    /// type, disk type, image family): RFC 1035, at most 63.
    ResourceName,
    check_name
);

checked_string!(
    /// A network tag (RFC 1035 name, at most 63).
    NetworkTag,
    check_name
);

checked_string!(
    /// An image: `PROJECT/FAMILY_OR_IMAGE`, `projects/P/global/images/[family/]N`,
    /// or the same under `https://…/compute/v1/`.
    Image,
    check_image
);

checked_string!(
    /// A label `key=value`: lowercase letters, digits, '_' and '-'; the key starts with a letter.
    Label,
    check_label
);

checked_string!(
    /// An OAuth scope: a short name (`cloud-platform`) or a full scope URL.
    Scope,
    check_scope
);

checked_string!(
    /// A service account's e-mail, or `default`.
    ServiceAccount,
    check_service_account
);

checked_string!(
    /// The Compute API's base URL (rootUrl + servicePath): http(s), no query, no credentials.
    Endpoint,
    check_endpoint
);

/// RFC 1035 as Compute Engine spells it: `[a-z]([-a-z0-9]*[a-z0-9])?`.
pub fn is_gce_name(value: &str) -> bool {
    has_shape(value, 1..=63, u8::is_ascii_lowercase, is_lower_alnum_dash) && !value.ends_with('-')
}

fn check_name(value: &str) -> Result<(), String> {
    if is_gce_name(value) {
        Ok(())
    } else {
        Err(format!(
            "{value:?} is not a Compute Engine name: use lowercase letters, digits and '-', starting with a letter, not ending with '-' (at most 63)"
        ))
    }
}

fn check_project(value: &str) -> Result<(), String> {
    // Legacy domain-scoped projects (example.com:proj) are not supported.
    if (6..=30).contains(&value.len()) && is_gce_name(value) {
        Ok(())
    } else {
        Err(format!(
            "{value:?} is not a project id: 6 to 30 lowercase letters, digits and '-', starting with a letter (`gcloud projects list`)"
        ))
    }
}

fn check_zone(value: &str) -> Result<(), String> {
    let ok = is_gce_name(value)
        && value.matches('-').count() == 2
        && value.rsplit('-').next().is_some_and(|z| z.len() == 1);
    require(ok, || {
        format!(
            "{value:?} is not a zone: give one such as us-central1-a or europe-west1-b (`gcloud compute zones list`)"
        )
    })
}

impl Zone {
    /// The zone's region (us-central1-a → us-central1).
    pub fn region(&self) -> &str {
        self.as_str()
            .rsplit_once('-')
            .map_or(self.as_str(), |(r, _)| r)
    }
}

/// The parts of an image reference: its project, and either a family or an image name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageRef {
    Family { project: String, family: String },
    Named { project: String, image: String },
}

fn parse_image(value: &str) -> Option<ImageRef> {
    let rest = match value.find("/compute/v1/") {
        Some(at) if value.starts_with("https://") => &value[at + "/compute/v1/".len()..],
        _ => value,
    };
    let parts: Vec<&str> = rest.split('/').collect();
    let named = |p: &str, n: &str| {
        (is_gce_name(p) && is_gce_name(n)).then(|| (p.to_string(), n.to_string()))
    };
    match parts.as_slice() {
        ["projects", p, "global", "images", "family", f] | [p, "global", "images", "family", f] => {
            named(p, f).map(|(project, family)| ImageRef::Family { project, family })
        }
        ["projects", p, "global", "images", i] | [p, "global", "images", i] | [p, i] => {
            named(p, i).map(|(project, image)| ImageRef::Named { project, image })
        }
        _ => None,
    }
}

fn check_image(value: &str) -> Result<(), String> {
    parse_image(value).map(drop).ok_or_else(|| {
        format!(
            "{value:?} is not an image: give PROJECT/global/images/family/FAMILY, PROJECT/global/images/IMAGE or PROJECT/IMAGE (e.g. ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64)"
        )
    })
}

impl Image {
    pub fn parts(&self) -> ImageRef {
        parse_image(self.as_str()).expect("checked when made")
    }
}

fn label_part_ok(part: &str) -> bool {
    part.len() <= 63
        && part
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

fn check_label(value: &str) -> Result<(), String> {
    let (key, val) = value.split_once('=').unwrap_or((value, ""));
    let ok = key.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
        && label_part_ok(key)
        && label_part_ok(val);
    if !ok {
        return Err(format!(
            "{value:?} is not a label: give key=value in lowercase letters, digits, '_' and '-', the key starting with a letter (at most 63 each)"
        ));
    }
    if key.starts_with("machinectl") {
        return Err(format!(
            "label {key:?} is machinectl's own: choose a key that does not start with \"machinectl\""
        ));
    }
    Ok(())
}

impl Label {
    pub fn key(&self) -> &str {
        self.as_str()
            .split_once('=')
            .map_or(self.as_str(), |(k, _)| k)
    }

    pub fn value(&self) -> &str {
        self.as_str().split_once('=').map_or("", |(_, v)| v)
    }
}

const SCOPE_PREFIX: &str = "https://www.googleapis.com/auth/";

fn check_scope(value: &str) -> Result<(), String> {
    let short = value.strip_prefix(SCOPE_PREFIX).unwrap_or(value);
    let ok = !short.is_empty()
        && short.len() <= 100
        && short
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    require(ok, || {
        format!(
            "{value:?} is not a scope: give a name such as cloud-platform or devstorage.read_only, or its {SCOPE_PREFIX}… URL"
        )
    })
}

impl Scope {
    /// The full scope URL.
    pub fn url(&self) -> String {
        if self.as_str().starts_with(SCOPE_PREFIX) {
            self.as_str().to_string()
        } else {
            format!("{SCOPE_PREFIX}{}", self.as_str())
        }
    }
}

fn check_service_account(value: &str) -> Result<(), String> {
    if value == "default" {
        return Ok(());
    }
    let ok = value.split_once('@').is_some_and(|(user, domain)| {
        !user.is_empty()
            && user.len() <= 64
            && user
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
            && machinectl_driver_api::checked::is_dns_name(domain)
    });
    require(ok, || {
        format!(
            "{value:?} is not a service account: give its e-mail (NAME@PROJECT.iam.gserviceaccount.com) or \"default\""
        )
    })
}

fn check_endpoint(value: &str) -> Result<(), String> {
    machinectl_driver_api::checked::check_api_endpoint(
        value,
        true,
        "http(s)://HOST[:PORT]/PATH/ without credentials or a query",
    )
}

impl Endpoint {
    /// `path` (relative, as the discovery document writes it) under this endpoint.
    pub fn join(&self, path: &str) -> String {
        format!(
            "{}/{}",
            self.as_str().trim_end_matches('/'),
            path.trim_start_matches('/')
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_and_bad_values() {
        assert!(Project::try_from("my-project-1").is_ok());
        for bad in ["short", "My-Project", "proj/../x", "a-project-", "1project"] {
            assert!(Project::try_from(bad).is_err(), "{bad:?}");
        }
        let zone = Zone::try_from("us-central1-a").unwrap();
        assert_eq!(zone.region(), "us-central1");
        for bad in ["us-central1", "US-central1-a", "us-central1-a/x", "a-b-cd"] {
            assert!(Zone::try_from(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            Image::try_from("ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64")
                .unwrap()
                .parts(),
            ImageRef::Family {
                project: "ubuntu-os-cloud".into(),
                family: "ubuntu-2404-lts-amd64".into()
            }
        );
        assert_eq!(
            Image::try_from("https://www.googleapis.com/compute/v1/projects/debian-cloud/global/images/debian-12-x")
                .unwrap()
                .parts(),
            ImageRef::Named {
                project: "debian-cloud".into(),
                image: "debian-12-x".into()
            }
        );
        for bad in [
            "ubuntu",
            "a/b/c",
            "x/global/images/A",
            "p/global/images/family/f?x=1",
        ] {
            assert!(Image::try_from(bad).is_err(), "{bad:?}");
        }
        let label = Label::try_from("team=web_1").unwrap();
        assert_eq!((label.key(), label.value()), ("team", "web_1"));
        for bad in ["Team=x", "a=b c", "machinectl-x=1", "=x", "1a=b"] {
            assert!(Label::try_from(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            Scope::try_from("compute").unwrap().url(),
            "https://www.googleapis.com/auth/compute"
        );
        assert!(Scope::try_from("a b").is_err());
        assert!(ServiceAccount::try_from("sa@p.iam.gserviceaccount.com").is_ok());
        assert!(ServiceAccount::try_from("sa@").is_err());
        assert!(Cidr::try_from("0.0.0.0/0").is_ok());
        assert!(Cidr::try_from("10.0.0.0/33").is_err());
        assert!(Endpoint::try_from("https://u:p@x/").is_err());
        assert_eq!(
            Endpoint::try_from("http://127.0.0.1:9/compute/v1/")
                .unwrap()
                .join("projects/p"),
            "http://127.0.0.1:9/compute/v1/projects/p"
        );
    }
}
