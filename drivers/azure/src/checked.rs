//! Checked values of the azure driver: each is validated where it enters (a
//! flag, an environment variable, a stored machine.json) against the naming
//! rules Azure documents for it, so a value that reaches a request path, a
//! body or a record is one Azure takes, and none can change a URL path
//! around it (no '/', '?', '#', '%' or spaces anywhere).

use std::net::Ipv4Addr;

use machinectl_driver_api::checked::{has_shape, is_lower_alnum, is_lower_alnum_dash, require};
use machinectl_driver_api::checked_string;

checked_string!(
    /// A VM name (also its computer name and the stem of its resources'
    /// names): lowercase letters, digits and '-', 1–64, starting with a
    /// letter or digit, not ending with '-', not all digits.
    VmName,
    check_vm_name
);

checked_string!(
    /// A region name as ARM spells it (westus, eastus2, westeurope).
    Location,
    check_location
);

checked_string!(
    /// A VM size (Standard_B2s, Standard_D2s_v5).
    VmSize,
    check_vm_size
);

checked_string!(
    /// A marketplace image as publisher:offer:sku:version.
    Image,
    check_image
);

checked_string!(
    /// A resource group name: letters, digits, '_', '-', '.', '(' and ')',
    /// 1–90, not ending with '.'.
    ResourceGroup,
    check_resource_group
);

checked_string!(
    /// A network resource name (virtual network, subnet, security group):
    /// letters, digits, '_', '-' and '.', 1–80, starting with a letter or
    /// digit, ending with a letter, digit or '_'.
    NetworkName,
    check_network_name
);

checked_string!(
    /// An IPv4 network in CIDR form (192.168.0.0/16), written as its network.
    Ipv4Cidr,
    check_ipv4_cidr
);

checked_string!(
    /// A source an NSG rule admits: an IPv4 address or CIDR block, `*`, or
    /// one of Azure's service tags `Internet` and `VirtualNetwork`.
    SourcePrefix,
    check_source_prefix
);

checked_string!(
    /// A GUID (subscription, tenant or client id): 8-4-4-4-12 hex digits.
    Guid,
    check_guid
);

checked_string!(
    /// A tenant: its GUID or one of its domain names (contoso.onmicrosoft.com).
    Tenant,
    check_tenant
);

checked_string!(
    /// A public IP's DNS label (LABEL.LOCATION.cloudapp.azure.com):
    /// lowercase letters, digits and '-', 3–63, starting with a letter and
    /// ending with a letter or digit.
    DnsLabel,
    check_dns_label
);

checked_string!(
    /// An https (or, for tests, http) endpoint URL without credentials,
    /// query or fragment.
    Endpoint,
    check_endpoint
);

checked_string!(
    /// A tag's name or value as ARM takes it: at most 512 (name) or 256
    /// (value) characters, none of `<>%&\?/` or control characters.
    TagText,
    check_tag_text
);

checked_string!(
    /// The VM's admin user: a Linux user name Azure accepts as
    /// adminUsername (not root or the other names Azure reserves).
    AdminUser,
    check_admin_user
);

fn check_vm_name(value: &str) -> Result<(), String> {
    let ok = has_shape(
        value,
        1..=64,
        u8::is_ascii_alphanumeric,
        is_lower_alnum_dash,
    ) && !value.ends_with('-')
        && !value.bytes().all(|b| b.is_ascii_digit());
    require(ok, || {
        format!(
            "{value:?} cannot name an Azure VM: use lowercase letters, digits and '-' (no capitals, '.' or '_'), at most 64, not all digits and not ending with '-'"
        )
    })
}

fn check_location(value: &str) -> Result<(), String> {
    let ok = has_shape(value, 2..=40, u8::is_ascii_lowercase, is_lower_alnum);
    require(ok, || {
        format!(
            "{value:?} is not an Azure location: give one such as westus, eastus2 or westeurope (`az account list-locations -o table`)"
        )
    })
}

fn check_vm_size(value: &str) -> Result<(), String> {
    let ok = (3..=64).contains(&value.len())
        && value.as_bytes()[0].is_ascii_alphabetic()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'));
    require(ok, || {
        format!(
            "{value:?} is not a VM size: give one such as Standard_B2s (`az vm list-sizes -l LOCATION -o table`)"
        )
    })
}

fn image_part_ok(part: &str) -> bool {
    !part.is_empty()
        && part.len() <= 128
        && part
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

fn check_image(value: &str) -> Result<(), String> {
    let parts: Vec<&str> = value.split(':').collect();
    if parts.len() == 4 && parts.iter().all(|p| image_part_ok(p)) {
        Ok(())
    } else {
        Err(format!(
            "{value:?} is not an image: give publisher:offer:sku:version, such as Canonical:ubuntu-24_04-lts:server:latest"
        ))
    }
}

fn check_resource_group(value: &str) -> Result<(), String> {
    let ok = !value.is_empty()
        && value.len() <= 90
        && !value.ends_with('.')
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'(' | b')'));
    require(ok, || {
        format!(
            "{value:?} is not a resource group name: use letters, digits, '_', '-', '.', '(' and ')', at most 90, not ending with '.'"
        )
    })
}

fn check_network_name(value: &str) -> Result<(), String> {
    let bytes = value.as_bytes();
    let ok = !value.is_empty()
        && value.len() <= 80
        && bytes[0].is_ascii_alphanumeric()
        && bytes
            .last()
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    require(ok, || {
        format!(
            "{value:?} is not a network resource name: use letters, digits, '_', '-' and '.', at most 80, starting with a letter or digit and ending with a letter, digit or '_'"
        )
    })
}

fn check_ipv4_cidr(value: &str) -> Result<(), String> {
    let bad = || {
        format!("{value:?} is not an IPv4 network: give one such as 192.168.0.0/16 or 10.0.0.0/24")
    };
    let (addr, prefix) = value.split_once('/').ok_or_else(bad)?;
    let addr: Ipv4Addr = addr.parse().map_err(|_| bad())?;
    let prefix_ok =
        !prefix.is_empty() && prefix.len() <= 2 && prefix.bytes().all(|b| b.is_ascii_digit());
    let prefix: u32 = prefix.parse().map_err(|_| bad())?;
    if !prefix_ok || prefix > 32 {
        return Err(bad());
    }
    let mask = if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - prefix)
    };
    let network = Ipv4Addr::from(u32::from(addr) & mask);
    if network != addr {
        return Err(format!(
            "{value:?}: write the network as {network}/{prefix}"
        ));
    }
    Ok(())
}

fn check_source_prefix(value: &str) -> Result<(), String> {
    if matches!(value, "*" | "Internet" | "VirtualNetwork") || value.parse::<Ipv4Addr>().is_ok() {
        return Ok(());
    }
    check_ipv4_cidr(value).map_err(|_| {
        format!(
            "{value:?} is not a source Azure admits: give an IPv4 address or network (203.0.113.0/24), '*' or Internet"
        )
    })
}

fn check_guid(value: &str) -> Result<(), String> {
    let groups: Vec<&str> = value.split('-').collect();
    let ok = groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()));
    require(ok, || {
        format!("{value:?} is not a GUID (8-4-4-4-12 hex digits, as `az account show` prints ids)")
    })
}

fn check_tenant(value: &str) -> Result<(), String> {
    if check_guid(value).is_ok() || machinectl_driver_api::checked::is_dns_name(value) {
        Ok(())
    } else {
        Err(format!(
            "{value:?} is not a tenant: give its id (a GUID) or a domain name such as contoso.onmicrosoft.com"
        ))
    }
}

fn check_dns_label(value: &str) -> Result<(), String> {
    let ok = has_shape(value, 3..=63, u8::is_ascii_lowercase, is_lower_alnum_dash)
        && !value.ends_with('-');
    require(ok, || {
        format!(
            "{value:?} is not a DNS label Azure takes: lowercase letters, digits and '-', 3 to 63, starting with a letter"
        )
    })
}

fn check_endpoint(value: &str) -> Result<(), String> {
    machinectl_driver_api::checked::check_api_endpoint(
        value,
        false,
        "https://HOST[:PORT] without a path, credentials or query",
    )
}

fn check_tag_text(value: &str) -> Result<(), String> {
    let ok = !value.is_empty()
        && value.chars().count() <= 512
        && !value
            .chars()
            .any(|c| c.is_control() || matches!(c, '<' | '>' | '%' | '&' | '\\' | '?' | '/'));
    require(ok, || {
        format!(
            "{value:?} is not a tag name or value Azure takes: at most 512 characters, none of < > % & \\ ? /"
        )
    })
}

/// Names Azure refuses as a Linux VM's adminUsername.
const RESERVED_USERS: &[&str] = &[
    "administrator",
    "admin",
    "user",
    "user1",
    "test",
    "user2",
    "test1",
    "user3",
    "admin1",
    "1",
    "123",
    "a",
    "actuser",
    "adm",
    "admin2",
    "aspnet",
    "backup",
    "console",
    "david",
    "guest",
    "john",
    "owner",
    "root",
    "server",
    "sql",
    "support",
    "support_388945a0",
    "sys",
    "test2",
    "test3",
    "user4",
    "user5",
];

fn check_admin_user(value: &str) -> Result<(), String> {
    machinectl_driver_api::checked::SshUser::try_from(value)?;
    if value.len() > 64 || value.ends_with('.') {
        return Err(format!(
            "{value:?} is not an admin user Azure takes: at most 64 characters, not ending with '.'"
        ));
    }
    if RESERVED_USERS.contains(&value.to_ascii_lowercase().as_str()) {
        return Err(format!(
            "{value:?} is a user name Azure reserves (root, admin, guest, …): choose another, such as the default docker-user"
        ));
    }
    Ok(())
}

impl Endpoint {
    /// `path` (starting with `/`) under this endpoint.
    pub fn join(&self, path: &str) -> String {
        format!("{}{path}", self.as_str().trim_end_matches('/'))
    }

    /// Whether `url` is on this endpoint's scheme, host and port (where
    /// the bearer token may go).
    pub fn owns(&self, url: &str) -> bool {
        match (url::Url::parse(self.as_str()), url::Url::parse(url)) {
            (Ok(ours), Ok(theirs)) => ours.origin() == theirs.origin(),
            _ => false,
        }
    }
}

impl Ipv4Cidr {
    /// Whether the network holds `ip`.
    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        let (addr, prefix) = self.0.split_once('/').expect("checked");
        let network: Ipv4Addr = addr.parse().expect("checked");
        let prefix: u32 = prefix.parse().expect("checked");
        let mask = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
        u32::from(ip) & mask == u32::from(network)
    }
}

impl Image {
    /// publisher, offer, sku and version.
    pub fn parts(&self) -> [&str; 4] {
        let mut parts = self.as_str().split(':');
        let mut next = || parts.next().unwrap_or_default();
        [next(), next(), next(), next()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vm_names_azure_refuses_are_refused() {
        for good in ["dev", "web-1", "a", "1a", &"a".repeat(64)] {
            assert!(VmName::try_from(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "Dev",
            "web.1",
            "a_b",
            "-a",
            "a-",
            "123",
            &"a".repeat(65),
        ] {
            let e = VmName::try_from(bad).unwrap_err();
            assert!(e.contains("cannot name an Azure VM"), "{bad:?}: {e}");
        }
    }

    #[test]
    fn values_follow_azure_rules() {
        assert!(Location::try_from("eastus2").is_ok());
        assert!(Location::try_from("East US").is_err());
        assert!(VmSize::try_from("Standard_B2s").is_ok());
        assert!(VmSize::try_from("Standard B2s").is_err());
        let image = Image::try_from("Canonical:ubuntu-24_04-lts:server:latest").unwrap();
        assert_eq!(
            image.parts(),
            ["Canonical", "ubuntu-24_04-lts", "server", "latest"]
        );
        for bad in ["Canonical:x:y", "a:b:c:d:e", "a:b/c:d:e", "a::c:d"] {
            assert!(Image::try_from(bad).is_err(), "{bad}");
        }
        assert!(ResourceGroup::try_from("my_rg-(1).x").is_ok());
        for bad in ["rg.", "r g", "a/b", ""] {
            assert!(ResourceGroup::try_from(bad).is_err(), "{bad:?}");
        }
        assert!(NetworkName::try_from("machinectl-vnet").is_ok());
        for bad in ["-v", "v-", "v/x", "v?x"] {
            assert!(NetworkName::try_from(bad).is_err(), "{bad:?}");
        }
        assert!(Ipv4Cidr::try_from("192.168.0.0/16").is_ok());
        let net = Ipv4Cidr::try_from("10.40.1.0/24").unwrap();
        assert!(net.contains("10.40.1.10".parse().unwrap()));
        assert!(!net.contains("10.40.2.10".parse().unwrap()));
        assert!(
            Ipv4Cidr::try_from("0.0.0.0/0")
                .unwrap()
                .contains("8.8.8.8".parse().unwrap())
        );
        let e = Ipv4Cidr::try_from("192.168.1.0/16").unwrap_err();
        assert!(e.contains("192.168.0.0/16"), "{e}");
        for bad in ["10.0.0.0/33", "10.0.0.0", "x/8", "10.0.0.0/+8"] {
            assert!(Ipv4Cidr::try_from(bad).is_err(), "{bad:?}");
        }
        for good in ["*", "Internet", "203.0.113.7", "0.0.0.0/0"] {
            assert!(SourcePrefix::try_from(good).is_ok(), "{good}");
        }
        assert!(SourcePrefix::try_from("any").is_err());
        assert!(Guid::try_from("00000000-1111-2222-3333-444444444444").is_ok());
        assert!(Guid::try_from("0000-1111").is_err());
        assert!(Tenant::try_from("contoso.onmicrosoft.com").is_ok());
        assert!(Tenant::try_from("a/b").is_err());
        assert!(DnsLabel::try_from("my-vm1").is_ok());
        for bad in ["ab", "1vm", "vm-", "My-vm", "a.b"] {
            assert!(DnsLabel::try_from(bad).is_err(), "{bad}");
        }
        assert!(TagText::try_from("team a").is_ok());
        assert!(TagText::try_from("a/b").is_err());
    }

    #[test]
    fn admin_users_azure_reserves_are_refused() {
        assert!(AdminUser::try_from("docker-user").is_ok());
        for bad in ["root", "Admin", "guest", "-oProxyCommand=x", "a b"] {
            assert!(AdminUser::try_from(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn endpoints_own_only_their_origin() {
        let e = Endpoint::try_from("https://management.azure.com").unwrap();
        assert!(e.owns("https://management.azure.com/subscriptions/x/operations/y"));
        assert!(!e.owns("https://evil.example/operations/y"));
        assert!(!e.owns("http://management.azure.com/x"));
        assert_eq!(
            e.join("/subscriptions"),
            "https://management.azure.com/subscriptions"
        );
        for bad in [
            "ftp://x",
            "https://u:p@h",
            "https://h/path",
            "https://h/?q=1",
        ] {
            assert!(Endpoint::try_from(bad).is_err(), "{bad}");
        }
    }
}
