//! Checked values of the virtualbox driver: each is validated where it
//! enters (a flag, an environment variable, a stored machine.json), so a
//! value that reaches a VBoxManage argument, a URL or the seed is one the
//! driver understands. VBoxManage is run without a shell, so arguments need
//! no quoting; the checks keep them to what VirtualBox documents.

use std::net::Ipv4Addr;

use machinectl_driver_api::checked::require;
use machinectl_driver_api::checked_string;

checked_string!(
    /// Where the cloud image is published: an http(s) URL whose last path
    /// segment is the file's name, beside the publisher's SHA256SUMS.
    ImageUrl,
    check_image_url
);

checked_string!(
    /// The host-only network's host address and prefix (192.168.56.1/24).
    HostonlyCidr,
    check_hostonly_cidr
);

checked_string!(
    /// A VirtualBox object name this driver makes or finds (a host-only
    /// interface such as vboxnet0): letters, digits, '-', '_' and '.'.
    VboxName,
    check_vbox_name
);

/// The range VirtualBox 6.1.28 and later allow host-only networks in when
/// /etc/vbox/networks.conf says nothing else.
pub const DEFAULT_ALLOWED_RANGE: (Ipv4Addr, u8) = (Ipv4Addr::new(192, 168, 56, 0), 21);

fn check_image_url(value: &str) -> Result<(), String> {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    let ok = rest.is_some_and(|rest| {
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        !host.is_empty()
            && !host.contains('@')
            && !path.is_empty()
            && !path.ends_with('/')
            && !value.contains(['?', '#'])
            && value.len() <= 2048
            && value.bytes().all(|b| b.is_ascii_graphic())
    });
    require(ok, || {
        format!(
            "{value:?} is not an image URL: give http(s)://HOST/PATH/FILE (no credentials, query or fragment), published beside a SHA256SUMS file"
        )
    })
}

impl ImageUrl {
    /// The image's file name (the last path segment).
    pub fn file_name(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or_default()
    }

    /// The publisher's SHA256SUMS beside the image.
    pub fn sums_url(&self) -> String {
        let dir = &self.0[..self.0.len() - self.file_name().len()];
        format!("{dir}SHA256SUMS")
    }
}

/// `a.b.c.d/n` split into its address and prefix length.
fn parse_cidr(value: &str) -> Option<(Ipv4Addr, u8)> {
    let (ip, prefix) = value.split_once('/')?;
    let ip: Ipv4Addr = ip.parse().ok()?;
    if prefix.is_empty() || prefix.len() > 2 || !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let prefix: u8 = prefix.parse().ok()?;
    (8..=30).contains(&prefix).then_some((ip, prefix))
}

fn mask(prefix: u8) -> u32 {
    u32::MAX << (32 - u32::from(prefix))
}

fn check_hostonly_cidr(value: &str) -> Result<(), String> {
    let bad = || {
        format!(
            "{value:?} is not a host-only network: give the host's address and prefix, such as 192.168.56.1/24 (prefix 8 to 30)"
        )
    };
    let (ip, prefix) = parse_cidr(value).ok_or_else(bad)?;
    let host = u32::from(ip) & !mask(prefix);
    if host == 0 || host == !mask(prefix) {
        return Err(format!(
            "{value:?} names the network or broadcast address: give the host's own address in it, such as 192.168.56.1/24"
        ));
    }
    Ok(())
}

impl HostonlyCidr {
    fn parts(&self) -> (Ipv4Addr, u8) {
        parse_cidr(&self.0).expect("checked on entry")
    }

    /// The host's address on the network (what `hostonlyif ipconfig` sets).
    pub fn host(&self) -> Ipv4Addr {
        self.parts().0
    }

    pub fn netmask(&self) -> Ipv4Addr {
        Ipv4Addr::from(mask(self.parts().1))
    }

    fn network(&self) -> u32 {
        u32::from(self.host()) & mask(self.parts().1)
    }

    /// The network's `offset`th address (the DHCP server and its range).
    pub fn nth(&self, offset: u32) -> Ipv4Addr {
        Ipv4Addr::from(self.network() + offset)
    }

    /// The last address a guest may lease (before the broadcast address).
    pub fn last(&self) -> Ipv4Addr {
        Ipv4Addr::from((self.network() | !mask(self.parts().1)) - 1)
    }

    /// Whether the whole network lies in 192.168.56.0/21, the only range
    /// VirtualBox 6.1.28 and later allow without /etc/vbox/networks.conf.
    pub fn in_default_range(&self) -> bool {
        let (range, range_prefix) = DEFAULT_ALLOWED_RANGE;
        let prefix = self.parts().1;
        prefix >= range_prefix && self.network() & mask(range_prefix) == u32::from(range)
    }
}

fn check_vbox_name(value: &str) -> Result<(), String> {
    let ok = !value.is_empty()
        && value.len() <= 64
        && !value.starts_with('-')
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    require(ok, || {
        format!(
            "{value:?} is not a VirtualBox name this driver uses (letters, digits, '-', '_', '.')"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_urls() {
        let url = ImageUrl::try_from(
            "https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.vmdk",
        )
        .unwrap();
        assert_eq!(url.file_name(), "noble-server-cloudimg-amd64.vmdk");
        assert_eq!(
            url.sums_url(),
            "https://cloud-images.ubuntu.com/noble/current/SHA256SUMS"
        );
        for bad in [
            "ftp://h/x.img",
            "https://h/",
            "https://h",
            "https://u:p@h/x.img",
            "https://h/x.img?a=1",
            "https://h/a b.img",
            "file:///x.img",
        ] {
            assert!(ImageUrl::try_from(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hostonly_networks() {
        let net = HostonlyCidr::try_from("192.168.56.1/24").unwrap();
        assert_eq!(net.host(), Ipv4Addr::new(192, 168, 56, 1));
        assert_eq!(net.netmask(), Ipv4Addr::new(255, 255, 255, 0));
        assert_eq!(net.nth(100), Ipv4Addr::new(192, 168, 56, 100));
        assert_eq!(net.last(), Ipv4Addr::new(192, 168, 56, 254));
        assert!(net.in_default_range());
        assert!(
            HostonlyCidr::try_from("192.168.63.1/24")
                .unwrap()
                .in_default_range()
        );
        assert!(
            !HostonlyCidr::try_from("192.168.99.1/24")
                .unwrap()
                .in_default_range()
        );
        assert!(
            !HostonlyCidr::try_from("192.168.56.1/16")
                .unwrap()
                .in_default_range()
        );
        for bad in [
            "192.168.56.0/24",
            "192.168.56.255/24",
            "192.168.56.1",
            "192.168.56.1/33",
            "192.168.56.1/+4",
            "x/24",
            "192.168.56.1/24; rm",
        ] {
            assert!(HostonlyCidr::try_from(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn vbox_names() {
        assert!(VboxName::try_from("vboxnet0").is_ok());
        assert!(VboxName::try_from("-x").is_err());
        assert!(VboxName::try_from("a b").is_err());
    }
}
