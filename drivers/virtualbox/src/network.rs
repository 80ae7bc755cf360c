//! The host-only network a VM's second NIC sits on: found by its host
//! address among `VBoxManage list hostonlyifs`, or made (`hostonlyif
//! create` + `ipconfig`) with a DHCP server; and the guest's address on it,
//! from the guest property VirtualBox's guest additions set or, without
//! them (cloud images have none), from the DHCP server's lease file.
//!
//! An interface this driver made and could not configure is removed at
//! once; a configured one is shared by every VM on that network and kept
//! by `rm`, as docker-machine does.
//!
//! VirtualBox 7 on macOS has no host-only adapters: there the driver uses
//! a host-only network (`hostonlynet add`, which brings its own DHCP
//! server) named `machinectl-NETWORK-PREFIX`, found again by its mask and
//! range.

use std::net::Ipv4Addr;
use std::path::PathBuf;

use machinectl_driver_api::{DriverError, Result};
use serde::{Deserialize, Serialize};

use crate::checked::{HostonlyCidr, VboxName};
use crate::vbox::{VBox, blocks, field};

/// The kind of host-only network VirtualBox offers on this computer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A host-only adapter (`vboxnetN`, `hostonlyif`).
    #[default]
    Adapter,
    /// A host-only network (`hostonlynet`): macOS with VirtualBox 7 and later.
    Network,
}

impl Kind {
    /// What VirtualBox `version` offers on operating system `os`.
    pub fn on(os: &str, version: (u32, u32, u32)) -> Kind {
        if os == "macos" && version.0 >= 7 {
            Kind::Network
        } else {
            Kind::Adapter
        }
    }

    /// `modifyvm` arguments that put NIC 2 on the network `name`.
    pub fn nic_args(self, name: &VboxName) -> [&str; 4] {
        match self {
            Kind::Adapter => ["--nic2", "hostonly", "--hostonlyadapter2", name.as_str()],
            Kind::Network => ["--nic2", "hostonlynet", "--host-only-net2", name.as_str()],
        }
    }
}

/// The host-only adapter or network for `cidr`: found, or made (an
/// adapter with a DHCP server).
pub async fn ensure(vbox: &VBox, kind: Kind, cidr: &HostonlyCidr) -> Result<VboxName> {
    match kind {
        Kind::Adapter => {
            let name = match find(vbox, cidr).await? {
                Some(name) => name,
                None => create(vbox, cidr).await?,
            };
            ensure_dhcp(vbox, &name, cidr).await?;
            Ok(name)
        }
        Kind::Network => match find_network(vbox, cidr).await? {
            Some(name) => Ok(name),
            None => create_network(vbox, cidr).await,
        },
    }
}

/// The name this driver gives a host-only network for `cidr`.
pub fn network_name(cidr: &HostonlyCidr) -> VboxName {
    let prefix = cidr.as_str().rsplit('/').next().unwrap_or("24");
    VboxName::try_from(format!("machinectl-{}-{prefix}", cidr.nth(0)))
        .expect("an address and a prefix make a valid name")
}

/// `hostonlynet add` arguments for `cidr`: DHCP from .100 to the last address.
pub fn network_add_args(cidr: &HostonlyCidr) -> Vec<String> {
    let name = network_name(cidr);
    [
        "hostonlynet",
        "add",
        "--name",
        name.as_str(),
        "--netmask",
        &cidr.netmask().to_string(),
        "--lower-ip",
        &cidr.nth(100).to_string(),
        "--upper-ip",
        &cidr.last().to_string(),
        "--enable",
    ]
    .map(String::from)
    .to_vec()
}

/// The host-only network (VirtualBox 7 on macOS) with `cidr`'s mask
/// whose DHCP range lies in it.
async fn find_network(vbox: &VBox, cidr: &HostonlyCidr) -> Result<Option<VboxName>> {
    let list = vbox.run(&["list", "hostonlynets"]).await?;
    let mask = cidr.netmask();
    let inside = |ip: Option<&str>| {
        ip.and_then(|ip| ip.parse::<Ipv4Addr>().ok())
            .is_some_and(|ip| u32::from(ip) & u32::from(mask) == u32::from(cidr.nth(0)))
    };
    Ok(blocks(&list)
        .iter()
        .find(|b| field(b, "NetworkMask") == Some(&mask.to_string()) && inside(field(b, "LowerIP")))
        .and_then(|b| VboxName::try_from(field(b, "Name")?).ok()))
}

async fn create_network(vbox: &VBox, cidr: &HostonlyCidr) -> Result<VboxName> {
    let args = network_add_args(cidr);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    vbox.run(&args).await.map_err(|e| {
        DriverError::Other(format!(
            "host-only network {} refused: {e}{}",
            cidr.as_str(),
            range_note(cidr)
        ))
    })?;
    Ok(network_name(cidr))
}

/// The host-only interface whose host address and mask are `cidr`'s.
async fn find(vbox: &VBox, cidr: &HostonlyCidr) -> Result<Option<VboxName>> {
    let list = vbox.run(&["list", "hostonlyifs"]).await?;
    let ip = cidr.host().to_string();
    let mask = cidr.netmask().to_string();
    Ok(blocks(&list)
        .iter()
        .find(|b| field(b, "IPAddress") == Some(&ip) && field(b, "NetworkMask") == Some(&mask))
        .and_then(|b| VboxName::try_from(field(b, "Name")?).ok()))
}

/// The sentence that explains a refused host-only network outside the
/// default range.
fn range_note(cidr: &HostonlyCidr) -> String {
    if cidr.in_default_range() {
        String::new()
    } else {
        format!(
            ": VirtualBox 6.1.28 and later allow host-only networks only inside 192.168.56.0/21 unless /etc/vbox/networks.conf allows more (a line such as `* {}/{}`); pick --virtualbox-hostonly-cidr inside 192.168.56.0/21 (the default is 192.168.56.1/24) or add the range there",
            cidr.nth(0),
            cidr.as_str().rsplit('/').next().unwrap_or("24")
        )
    }
}

/// Make an interface for `cidr`: the new one's name, removed again when it
/// cannot be given the address.
async fn create(vbox: &VBox, cidr: &HostonlyCidr) -> Result<VboxName> {
    let made = vbox
        .run(&["hostonlyif", "create"])
        .await
        .map_err(|e| DriverError::Other(format!("{e}{}", range_note(cidr))))?;
    let name = made
        .split('\'')
        .nth(1)
        .and_then(|n| VboxName::try_from(n).ok())
        .ok_or_else(|| {
            DriverError::Other(format!(
                "VBoxManage hostonlyif create named no interface: {}",
                made.trim()
            ))
        })?;
    let ip = cidr.host().to_string();
    let mask = cidr.netmask().to_string();
    let configured = vbox
        .run(&[
            "hostonlyif",
            "ipconfig",
            name.as_str(),
            "--ip",
            &ip,
            "--netmask",
            &mask,
        ])
        .await;
    if let Err(e) = configured {
        let _ = vbox.run(&["hostonlyif", "remove", name.as_str()]).await;
        return Err(DriverError::Other(format!(
            "host-only network {} refused: {e}{}",
            cidr.as_str(),
            range_note(cidr)
        )));
    }
    Ok(name)
}

/// The DHCP server's network name for a host-only interface.
fn dhcp_network(ifname: &VboxName) -> String {
    format!("HostInterfaceNetworking-{ifname}")
}

/// A DHCP server on the interface's network (.2, leasing .100 to the last).
async fn ensure_dhcp(vbox: &VBox, ifname: &VboxName, cidr: &HostonlyCidr) -> Result<()> {
    let list = vbox.run(&["list", "dhcpservers"]).await?;
    let network = dhcp_network(ifname);
    if blocks(&list)
        .iter()
        .any(|b| field(b, "NetworkName") == Some(&network))
    {
        return Ok(());
    }
    let (ip, mask) = (cidr.nth(2).to_string(), cidr.netmask().to_string());
    let (lower, upper) = (cidr.nth(100).to_string(), cidr.last().to_string());
    vbox.run(&[
        "dhcpserver",
        "add",
        "--ifname",
        ifname.as_str(),
        "--ip",
        &ip,
        "--netmask",
        &mask,
        "--lowerip",
        &lower,
        "--upperip",
        &upper,
        "--enable",
    ])
    .await
    .map(|_| ())
}

/// VirtualBox's per-user directory, where the DHCP server keeps leases.
fn vbox_user_homes() -> Vec<PathBuf> {
    if let Some(home) = std::env::var_os("VBOX_USER_HOME") {
        return vec![PathBuf::from(home)];
    }
    let Some(home) = std::env::var_os("HOME").map(PathBuf::from) else {
        return Vec::new();
    };
    vec![
        home.join(".config/VirtualBox"),
        home.join(".VirtualBox"),
        home.join("Library/VirtualBox"),
    ]
}

/// `080027AABBCC` (showvminfo) as `08:00:27:aa:bb:cc` (the lease file).
pub fn colon_mac(mac: &str) -> String {
    mac.as_bytes()
        .chunks(2)
        .map(|pair| String::from_utf8_lossy(pair).to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join(":")
}

/// The address leased to `mac` in a `…-Dhcpd.leases` XML file (the last
/// lease for it).
pub fn leased(xml: &str, mac: &str) -> Option<Ipv4Addr> {
    let wanted = colon_mac(mac);
    xml.split("<Lease ")
        .skip(1)
        .filter(|lease| {
            lease
                .split("mac=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .is_some_and(|m| m.eq_ignore_ascii_case(&wanted))
        })
        .filter_map(|lease| {
            let rest = lease.split("<Address value=\"").nth(1)?;
            rest.split('"').next()?.parse().ok()
        })
        .last()
}

/// The address a VirtualBox DHCP server leased to `mac`, if any: every
/// `*-Dhcpd.leases` file is read (a MAC address is one VM's, and the
/// file's network name differs between adapters and networks).
pub fn lease_of(mac: &str) -> Option<Ipv4Addr> {
    vbox_user_homes()
        .into_iter()
        .filter_map(|dir| std::fs::read_dir(dir).ok())
        .flatten()
        .flatten()
        .filter(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .ends_with("-Dhcpd.leases")
        })
        .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
        .find_map(|xml| leased(&xml, mac))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leases_by_mac() {
        let xml = r#"<?xml version="1.0"?>
<Leases version="1.0">
  <Lease mac="08:00:27:aa:bb:cc" id="01" network="0.0.0.0" state="expired">
    <Address value="192.168.56.100"/>
  </Lease>
  <Lease mac="08:00:27:11:22:33" id="02" network="0.0.0.0" state="acked">
    <Address value="192.168.56.102"/>
  </Lease>
  <Lease mac="08:00:27:aa:bb:cc" id="03" network="0.0.0.0" state="acked">
    <Address value="192.168.56.101"/>
  </Lease>
</Leases>"#;
        assert_eq!(colon_mac("080027AABBCC"), "08:00:27:aa:bb:cc");
        assert_eq!(
            leased(xml, "080027AABBCC"),
            Some(Ipv4Addr::new(192, 168, 56, 101))
        );
        assert_eq!(leased(xml, "080027FFFFFF"), None);
    }

    #[test]
    fn macos_with_virtualbox_7_uses_host_only_networks() {
        assert_eq!(Kind::on("macos", (7, 0, 20)), Kind::Network);
        assert_eq!(Kind::on("macos", (6, 1, 50)), Kind::Adapter);
        assert_eq!(Kind::on("linux", (7, 1, 0)), Kind::Adapter);
        assert_eq!(Kind::on("windows", (7, 0, 0)), Kind::Adapter);
        let cidr = HostonlyCidr::try_from("192.168.56.1/24").unwrap();
        let name = network_name(&cidr);
        assert_eq!(name.as_str(), "machinectl-192.168.56.0-24");
        assert_eq!(
            Kind::Network.nic_args(&name),
            [
                "--nic2",
                "hostonlynet",
                "--host-only-net2",
                "machinectl-192.168.56.0-24"
            ]
        );
        assert_eq!(
            network_add_args(&cidr).join(" "),
            "hostonlynet add --name machinectl-192.168.56.0-24 --netmask 255.255.255.0 --lower-ip 192.168.56.100 --upper-ip 192.168.56.254 --enable"
        );
    }

    #[test]
    fn refusals_outside_the_default_range_say_why() {
        let outside = HostonlyCidr::try_from("10.9.0.1/24").unwrap();
        let note = range_note(&outside);
        assert!(note.contains("192.168.56.0/21"), "{note}");
        assert!(note.contains("/etc/vbox/networks.conf"), "{note}");
        assert!(note.contains("* 10.9.0.0/24"), "{note}");
        let inside = HostonlyCidr::try_from("192.168.56.1/24").unwrap();
        assert_eq!(range_note(&inside), "");
    }
}
