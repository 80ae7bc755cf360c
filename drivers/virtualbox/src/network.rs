//! The host-only network a VM's second NIC sits on: found by its host
//! address among `VBoxManage list hostonlyifs`, or made (`hostonlyif
//! create` + `ipconfig`) with a DHCP server; and the guest's address on it,
//! from the guest property VirtualBox's guest additions set or, without
//! them (cloud images have none), from the DHCP server's lease file.
//!
//! An interface this driver made and could not configure is removed at
//! once; a configured one is shared by every VM on that network and kept
//! by `rm`, as docker-machine does.

use std::net::Ipv4Addr;
use std::path::PathBuf;

use machinectl_driver_api::{DriverError, Result};

use crate::checked::{HostonlyCidr, VboxName};
use crate::vbox::{VBox, blocks, field};

/// The host-only interface whose host address and mask are `cidr`'s.
pub async fn find(vbox: &VBox, cidr: &HostonlyCidr) -> Result<Option<VboxName>> {
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
pub async fn create(vbox: &VBox, cidr: &HostonlyCidr) -> Result<VboxName> {
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
pub async fn ensure_dhcp(vbox: &VBox, ifname: &VboxName, cidr: &HostonlyCidr) -> Result<()> {
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

/// The address the DHCP server of `ifname` leased to `mac`, if any.
pub fn lease_of(ifname: &VboxName, mac: &str) -> Option<Ipv4Addr> {
    let file = format!("{}-Dhcpd.leases", dhcp_network(ifname));
    vbox_user_homes()
        .into_iter()
        .filter_map(|dir| std::fs::read_to_string(dir.join(&file)).ok())
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
