//! The IPv4 subnet local hosts live in, and the bridge that serves it.

use std::fmt;
use std::net::Ipv4Addr;
use std::str::FromStr;

pub const DEFAULT_SUBNET: &str = "10.231.0.0/24";
pub const DEFAULT_BRIDGE: &str = "machinectl0";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subnet {
    network: u32,
    prefix: u8,
}

impl Subnet {
    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// The bridge's own address: the first in the subnet.
    pub fn gateway(&self) -> Ipv4Addr {
        Ipv4Addr::from(self.network + 1)
    }

    /// Addresses hosts may take: after the gateway, before broadcast.
    pub fn hosts(&self) -> impl Iterator<Item = Ipv4Addr> {
        let size = 1u32 << (32 - self.prefix);
        (self.network + 2..self.network + size - 1).map(Ipv4Addr::from)
    }

    /// `machinectl0` for the default subnet; a name derived from the subnet
    /// otherwise, so hosts on different subnets never share a bridge.
    pub fn bridge_name(&self) -> String {
        if self.to_string() == DEFAULT_SUBNET {
            DEFAULT_BRIDGE.to_string()
        } else {
            format!(
                "mctlbr{:08x}",
                self.network ^ u32::from(self.prefix).rotate_right(8)
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
        let bad = || format!("invalid subnet {s:?}: expected IPv4 CIDR like {DEFAULT_SUBNET}");
        let (addr, prefix) = s.split_once('/').ok_or_else(bad)?;
        let addr: Ipv4Addr = addr.parse().map_err(|_| bad())?;
        let prefix: u8 = prefix.parse().map_err(|_| bad())?;
        if !(16..=29).contains(&prefix) {
            return Err(format!(
                "invalid subnet {s:?}: the prefix must be between /16 and /29"
            ));
        }
        let mask = u32::MAX << (32 - prefix);
        let network = u32::from(addr);
        if network & !mask != 0 {
            return Err(format!(
                "invalid subnet {s:?}: host bits are set (did you mean {}/{prefix}?)",
                Ipv4Addr::from(network & mask)
            ));
        }
        Ok(Subnet { network, prefix })
    }
}

impl fmt::Display for Subnet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", Ipv4Addr::from(self.network), self.prefix)
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
    fn other_subnets_get_their_own_short_bridge() {
        let s: Subnet = "10.232.0.0/24".parse().unwrap();
        assert_ne!(s.bridge_name(), DEFAULT_BRIDGE);
        assert!(s.bridge_name().len() <= 15);
    }
}
