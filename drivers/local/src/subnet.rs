//! The IPv4 subnet local hosts live in, and the bridge that serves it.

use std::fmt;
use std::net::Ipv4Addr;
use std::str::FromStr;

use ipnet::Ipv4Net;

pub const DEFAULT_SUBNET: &str = "10.231.0.0/24";
pub const DEFAULT_BRIDGE: &str = "machinectl0";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subnet {
    net: Ipv4Net,
}

impl Subnet {
    pub fn prefix(&self) -> u8 {
        self.net.prefix_len()
    }

    /// The bridge's own address: the first in the subnet.
    pub fn gateway(&self) -> Ipv4Addr {
        self.net.hosts().next().expect("a /16../29 has hosts")
    }

    /// Addresses hosts may take: after the gateway, before broadcast.
    pub fn hosts(&self) -> impl Iterator<Item = Ipv4Addr> {
        self.net.hosts().skip(1)
    }

    /// The first route of `ip -4 -o route show` output whose destination
    /// overlaps this subnet and that leaves by another device than `bridge`:
    /// packets to hosts would take it instead and never arrive.
    pub fn conflicting_route<'a>(
        &self,
        routes: &'a str,
        bridge: &str,
    ) -> Option<(&'a str, &'a str)> {
        routes.lines().find_map(|line| {
            let mut words = line.split_whitespace();
            let dst = words.next()?;
            let net: Ipv4Net = dst
                .parse()
                .ok()
                .or_else(|| dst.parse::<Ipv4Addr>().ok().map(Ipv4Net::from))?;
            let dev = line.split_whitespace().skip_while(|w| *w != "dev").nth(1)?;
            let overlaps = net.contains(&self.net.network()) || self.net.contains(&net.network());
            (overlaps && dev != bridge).then_some((dst, dev))
        })
    }

    /// `machinectl0` for the default subnet; a name derived from the subnet
    /// otherwise, so hosts on different subnets never share a bridge.
    pub fn bridge_name(&self) -> String {
        if self.to_string() == DEFAULT_SUBNET {
            DEFAULT_BRIDGE.to_string()
        } else {
            // Network and prefix both, so no two subnets share a name
            // (the old XOR of the two let 10.232.0.0/24 meet 2.232.0.0/16);
            // 14 characters, under the kernel's 15.
            format!(
                "mctlb{:08x}{}",
                u32::from(self.net.network()),
                char::from(b'a' + (self.prefix() - 16))
            )
        }
    }
}

impl Default for Subnet {
    fn default() -> Self {
        DEFAULT_SUBNET.parse().expect("default subnet parses")
    }
}

impl FromStr for Subnet {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let net: Ipv4Net = s.parse().map_err(|_| {
            format!("invalid subnet {s:?}: expected IPv4 CIDR like {DEFAULT_SUBNET}")
        })?;
        let prefix = net.prefix_len();
        if !(16..=29).contains(&prefix) {
            return Err(format!(
                "invalid subnet {s:?}: the prefix must be between /16 and /29"
            ));
        }
        if net.addr() != net.network() {
            return Err(format!(
                "invalid subnet {s:?}: host bits are set (did you mean {}?)",
                net.trunc()
            ));
        }
        Ok(Subnet { net })
    }
}

impl fmt::Display for Subnet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.net)
    }
}

impl serde::Serialize for Subnet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Subnet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_of_other_devices_into_the_subnet_conflict() {
        let s: Subnet = "10.231.77.0/24".parse().unwrap();
        let routes = "default via 10.0.0.1 dev eth0\n\
            10.231.77.0/24 dev mine proto kernel scope link src 10.231.77.1\n\
            10.231.0.0/24 dev machinectl0 proto kernel scope link src 10.231.0.1\n";
        assert_eq!(s.conflicting_route(routes, "mine"), None);
        let stale = format!("{routes}10.231.77.0/29 dev old proto kernel scope link linkdown\n");
        assert_eq!(
            s.conflicting_route(&stale, "mine"),
            Some(("10.231.77.0/29", "old"))
        );
        let wider = "10.0.0.0/8 dev vpn0 scope link\n";
        assert_eq!(
            s.conflicting_route(wider, "mine"),
            Some(("10.0.0.0/8", "vpn0"))
        );
        assert_eq!(
            s.conflicting_route("10.231.77.9 dev tun0\n", "mine"),
            Some(("10.231.77.9", "tun0"))
        );
    }

    #[test]
    fn default_subnet_hosts_start_after_gateway() {
        let s = Subnet::default();
        assert_eq!(s.gateway(), Ipv4Addr::new(10, 231, 0, 1));
        let hosts: Vec<_> = s.hosts().collect();
        assert_eq!(hosts.first(), Some(&Ipv4Addr::new(10, 231, 0, 2)));
        assert_eq!(hosts.last(), Some(&Ipv4Addr::new(10, 231, 0, 254)));
        assert_eq!(s.bridge_name(), "machinectl0");
    }

    #[test]
    fn rejects_host_bits_and_odd_prefixes() {
        assert!(
            "10.231.0.5/24"
                .parse::<Subnet>()
                .unwrap_err()
                .contains("10.231.0.0/24")
        );
        assert!("10.0.0.0/8".parse::<Subnet>().is_err());
        assert!("nonsense".parse::<Subnet>().is_err());
    }

    #[test]
    fn the_top_of_the_address_space_does_not_overflow() {
        let s: Subnet = "255.255.255.0/24".parse().unwrap();
        assert_eq!(s.gateway(), Ipv4Addr::new(255, 255, 255, 1));
        assert_eq!(s.hosts().last(), Some(Ipv4Addr::new(255, 255, 255, 254)));
        assert_eq!(s.hosts().count(), 253);
    }

    #[test]
    fn subnets_that_once_shared_a_bridge_name_no_longer_do() {
        let a: Subnet = "10.232.0.0/24".parse().unwrap();
        let b: Subnet = "2.232.0.0/16".parse().unwrap();
        assert_ne!(a.bridge_name(), b.bridge_name());
        let c: Subnet = "10.232.0.0/25".parse().unwrap();
        assert_ne!(a.bridge_name(), c.bridge_name());
    }

    #[test]
    fn other_subnets_get_their_own_short_bridge() {
        let s: Subnet = "10.232.0.0/24".parse().unwrap();
        assert_ne!(s.bridge_name(), DEFAULT_BRIDGE);
        assert!(s.bridge_name().len() <= 15);
        // Different subnets, even of one network address, never share a bridge.
        let names: Vec<String> = [
            "10.231.0.0/24",
            "10.231.0.0/16",
            "10.232.0.0/24",
            "10.232.0.0/16",
            "10.232.1.0/24",
            "192.168.0.0/29",
        ]
        .iter()
        .map(|s| s.parse::<Subnet>().unwrap().bridge_name())
        .collect();
        for (i, name) in names.iter().enumerate() {
            assert!(name.len() <= 15, "{name}");
            assert!(!names[..i].contains(name), "{name} twice in {names:?}");
        }
    }
}
