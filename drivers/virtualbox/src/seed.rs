//! The NoCloud seed: cloud-init's user-data (the SSH user and the
//! machine's key, the hostname; a cluster node's role cloud-init merged
//! in, see [`crate::cluster`]), meta-data (instance id, hostname) and
//! network-config (DHCP on the NAT and the host-only NIC), on an ISO 9660
//! volume labelled CIDATA that this module writes itself, so no mkisofs is
//! needed on the user's machine.
//!
//! The volume has a primary tree (8.3 names, as ISO 9660 level 1 wants)
//! and a Joliet tree with the real names (`user-data`, …), which Linux,
//! blkid and cloud-init read. One root directory, files only.

use std::time::{SystemTime, UNIX_EPOCH};

use machinectl_driver_api::checked::SshUser;
use machinectl_driver_api::{DriverError, Result};
use serde_json::json;

const SECTOR: usize = 2048;
/// The volume label cloud-init looks for.
pub const LABEL: &str = "CIDATA";

/// What the seed says about the machine.
pub struct SeedSpec<'a> {
    pub hostname: &'a str,
    pub user: &'a SshUser,
    pub public_key: &'a str,
    pub instance_id: &'a str,
    /// The NAT NIC's and the host-only NIC's MAC addresses (`08:00:27:…`).
    pub macs: [&'a str; 2],
    /// A cluster node's role cloud-init, merged into the user-data.
    pub role_data: Option<&'a str>,
    /// The engine install script, run while the VM boots
    /// ([`machinectl_driver_api::CreateContext::engine_boot_script`]); a
    /// cluster node's role cloud-init installs the engine itself.
    pub boot_script: Option<&'a str>,
}

/// `#cloud-config` user-data: the SSH user with the machine's key and
/// passwordless sudo (or root's key when the user is root), the hostname,
/// and a cluster node's role cloud-init merged in.
pub fn user_data(spec: &SeedSpec) -> Result<String> {
    let key = spec.public_key.trim();
    let mut config = json!({
        "hostname": spec.hostname,
        "preserve_hostname": false,
        "ssh_pwauth": false,
    });
    if spec.user.as_str() == "root" {
        config["disable_root"] = json!(false);
        config["users"] =
            json!([{"name": "root", "lock_passwd": true, "ssh_authorized_keys": [key]}]);
    } else {
        config["users"] = json!([{
            "name": spec.user.as_str(),
            "groups": ["sudo"],
            "shell": "/bin/bash",
            "sudo": "ALL=(ALL) NOPASSWD:ALL",
            "lock_passwd": true,
            "ssh_authorized_keys": [key],
        }]);
    }
    match (spec.role_data, spec.boot_script) {
        (Some(role), _) => crate::cluster::merge_role_data(&mut config, role)?,
        (None, Some(script)) => config["runcmd"] = json!([["sh", "-c", script]]),
        (None, None) => {}
    }
    let yaml = serde_yaml_ng::to_string(&config)
        .map_err(|e| DriverError::Other(format!("write the seed's user-data: {e}")))?;
    Ok(format!("#cloud-config\n{yaml}"))
}

pub fn meta_data(spec: &SeedSpec) -> Result<String> {
    serde_yaml_ng::to_string(&json!({
        "instance-id": spec.instance_id,
        "local-hostname": spec.hostname,
    }))
    .map_err(|e| DriverError::Other(format!("write the seed's meta-data: {e}")))
}

/// Network config v2: DHCP on both NICs, found by MAC address; the
/// default route only through NAT (a host-only network leads nowhere).
pub fn network_config(spec: &SeedSpec) -> Result<String> {
    let [nat, hostonly] = spec.macs;
    serde_yaml_ng::to_string(&json!({
        "version": 2,
        "ethernets": {
            "nat": {"match": {"macaddress": nat}, "dhcp4": true},
            "hostonly": {
                "match": {"macaddress": hostonly},
                "dhcp4": true,
                "dhcp4-overrides": {"use-routes": false, "use-dns": false},
            },
        },
    }))
    .map_err(|e| DriverError::Other(format!("write the seed's network-config: {e}")))
}

/// The seed volume's bytes.
pub fn seed_iso(spec: &SeedSpec) -> Result<Vec<u8>> {
    let user = user_data(spec)?;
    let meta = meta_data(spec)?;
    let network = network_config(spec)?;
    Ok(iso9660(&[
        ("meta-data", meta.as_bytes()),
        ("network-config", network.as_bytes()),
        ("user-data", user.as_bytes()),
    ]))
}

/// 8.3 name for the primary tree: `user-data` → `USER_DAT.;1`.
fn primary_name(name: &str) -> Vec<u8> {
    let base: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .take(8)
        .collect();
    format!("{base}.;1").into_bytes()
}

fn joliet_name(name: &str) -> Vec<u8> {
    name.encode_utf16().flat_map(u16::to_be_bytes).collect()
}

fn both16(v: u16) -> [u8; 4] {
    let [a, b] = v.to_le_bytes();
    let [c, d] = v.to_be_bytes();
    [a, b, c, d]
}

fn both32(v: u32) -> [u8; 8] {
    let mut out = [0u8; 8];
    out[..4].copy_from_slice(&v.to_le_bytes());
    out[4..].copy_from_slice(&v.to_be_bytes());
    out
}

/// Year, month, day, hour, minute, second (UTC) of now.
fn now_utc() -> [u32; 6] {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = (secs / 86_400) as i64;
    let rem = (secs % 86_400) as u32;
    // Civil date from days since 1970-01-01 (proleptic Gregorian).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as u32;
    [year, month, day, rem / 3600, rem / 60 % 60, rem % 60]
}

/// A directory record (ECMA-119 9.1).
fn dir_record(name: &[u8], extent: u32, size: u32, is_dir: bool, when: [u32; 6]) -> Vec<u8> {
    let len = 33 + name.len() + (name.len() + 1) % 2;
    let mut r = vec![0u8; len];
    r[0] = len as u8;
    r[2..10].copy_from_slice(&both32(extent));
    r[10..18].copy_from_slice(&both32(size));
    let [y, mo, d, h, mi, s] = when;
    r[18..24].copy_from_slice(&[
        (y - 1900) as u8,
        mo as u8,
        d as u8,
        h as u8,
        mi as u8,
        s as u8,
    ]);
    r[25] = if is_dir { 2 } else { 0 };
    r[28..32].copy_from_slice(&both16(1));
    r[32] = name.len() as u8;
    r[33..33 + name.len()].copy_from_slice(name);
    r
}

/// A root directory's sector: `.`, `..` and one record per file.
fn root_dir(root: u32, files: &[(Vec<u8>, u32, u32)], when: [u32; 6]) -> Vec<u8> {
    let mut sector = Vec::with_capacity(SECTOR);
    sector.extend(dir_record(&[0], root, SECTOR as u32, true, when));
    sector.extend(dir_record(&[1], root, SECTOR as u32, true, when));
    for (name, extent, size) in files {
        sector.extend(dir_record(name, *extent, *size, false, when));
    }
    assert!(
        sector.len() <= SECTOR,
        "a seed's root directory fits one sector"
    );
    sector.resize(SECTOR, 0);
    sector
}

/// A path table holding the root alone (`big` for the M table).
fn path_table(root: u32, big: bool) -> Vec<u8> {
    let mut t = vec![1u8, 0];
    t.extend(if big {
        root.to_be_bytes()
    } else {
        root.to_le_bytes()
    });
    t.extend(if big {
        1u16.to_be_bytes()
    } else {
        1u16.to_le_bytes()
    });
    t.extend([0, 0]);
    t.resize(SECTOR, 0);
    t
}

/// A text field: ASCII padded with spaces, or UCS-2 padded with UCS-2 spaces.
fn text(out: &mut [u8], value: &str, joliet: bool) {
    if joliet {
        for pair in out.chunks_mut(2) {
            pair.copy_from_slice(&[0, b' '][..pair.len()]);
        }
        let units = joliet_name(value);
        out[..units.len()].copy_from_slice(&units);
    } else {
        out.fill(b' ');
        out[..value.len()].copy_from_slice(value.as_bytes());
    }
}

/// A primary (type 1) or Joliet supplementary (type 2) volume descriptor.
fn descriptor(
    joliet: bool,
    sectors: u32,
    tables: (u32, u32),
    root: u32,
    when: [u32; 6],
) -> Vec<u8> {
    let mut d = vec![0u8; SECTOR];
    d[0] = if joliet { 2 } else { 1 };
    d[1..6].copy_from_slice(b"CD001");
    d[6] = 1;
    text(&mut d[8..40], "", joliet);
    text(&mut d[40..72], LABEL, joliet);
    d[80..88].copy_from_slice(&both32(sectors));
    if joliet {
        d[88..91].copy_from_slice(b"%/E");
    }
    d[120..124].copy_from_slice(&both16(1));
    d[124..128].copy_from_slice(&both16(1));
    d[128..132].copy_from_slice(&both16(SECTOR as u16));
    d[132..140].copy_from_slice(&both32(10));
    d[140..144].copy_from_slice(&tables.0.to_le_bytes());
    d[148..152].copy_from_slice(&tables.1.to_be_bytes());
    d[156..190].copy_from_slice(&dir_record(&[0], root, SECTOR as u32, true, when));
    for range in [
        190..318,
        318..446,
        446..574,
        574..702,
        702..739,
        739..776,
        776..813,
    ] {
        text(&mut d[range], "", joliet);
    }
    let [y, mo, day, h, mi, s] = when;
    let stamp = format!("{y:04}{mo:02}{day:02}{h:02}{mi:02}{s:02}00");
    for at in [813, 830] {
        d[at..at + 16].copy_from_slice(stamp.as_bytes());
    }
    for at in [847, 864] {
        d[at..at + 16].copy_from_slice(b"0000000000000000");
    }
    d[881] = 1;
    d
}

/// An ISO 9660 image with a Joliet tree holding `files` (sorted by name,
/// each small) in its root directory.
pub fn iso9660(files: &[(&str, &[u8])]) -> Vec<u8> {
    const PVD: usize = 16;
    const FIRST_FILE: u32 = 25;
    let when = now_utc();
    let (primary_root, joliet_root) = (23u32, 24u32);
    let mut extents = Vec::new();
    let mut next = FIRST_FILE;
    for (_, data) in files {
        extents.push(next);
        next += data.len().div_ceil(SECTOR).max(1) as u32;
    }
    let sectors = next;
    let listing = |joliet: bool| -> Vec<(Vec<u8>, u32, u32)> {
        let mut entries: Vec<_> = files
            .iter()
            .zip(&extents)
            .map(|((name, data), extent)| {
                let id = if joliet {
                    joliet_name(name)
                } else {
                    primary_name(name)
                };
                (id, *extent, data.len() as u32)
            })
            .collect();
        entries.sort();
        entries
    };
    let mut image = vec![0u8; PVD * SECTOR];
    image.extend(descriptor(false, sectors, (19, 20), primary_root, when));
    image.extend(descriptor(true, sectors, (21, 22), joliet_root, when));
    let mut terminator = vec![0u8; SECTOR];
    terminator[0] = 255;
    terminator[1..6].copy_from_slice(b"CD001");
    terminator[6] = 1;
    image.extend(terminator);
    image.extend(path_table(primary_root, false));
    image.extend(path_table(primary_root, true));
    image.extend(path_table(joliet_root, false));
    image.extend(path_table(joliet_root, true));
    image.extend(root_dir(primary_root, &listing(false), when));
    image.extend(root_dir(joliet_root, &listing(true), when));
    for (_, data) in files {
        let start = image.len();
        image.extend_from_slice(data);
        let padded = start + data.len().div_ceil(SECTOR).max(1) * SECTOR;
        image.resize(padded, 0);
    }
    debug_assert_eq!(image.len(), sectors as usize * SECTOR);
    image
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_user(user: &str) -> SshUser {
        SshUser::try_from(user).unwrap()
    }

    #[test]
    fn user_data_names_the_user_key_and_host() {
        let user = spec_user("docker");
        let spec = SeedSpec {
            hostname: "dev",
            user: &user,
            public_key: "ssh-ed25519 AAAAC3Nza test\n",
            instance_id: "machinectl-dev-1",
            macs: ["08:00:27:00:00:01", "08:00:27:00:00:02"],
            role_data: None,
            boot_script: Some("#!/bin/sh\necho boot\n"),
        };
        let network: serde_json::Value =
            serde_yaml_ng::from_str(&network_config(&spec).unwrap()).unwrap();
        assert_eq!(
            network["ethernets"]["hostonly"]["match"]["macaddress"],
            "08:00:27:00:00:02"
        );
        assert_eq!(
            network["ethernets"]["hostonly"]["dhcp4-overrides"]["use-routes"],
            false
        );
        let text = user_data(&spec).unwrap();
        assert!(text.starts_with("#cloud-config\n"), "{text}");
        let parsed: serde_json::Value = serde_yaml_ng::from_str(&text).unwrap();
        assert_eq!(parsed["hostname"], "dev");
        assert_eq!(
            parsed["runcmd"],
            serde_json::json!([["sh", "-c", "#!/bin/sh\necho boot\n"]])
        );
        assert_eq!(parsed["users"][0]["name"], "docker");
        assert_eq!(
            parsed["users"][0]["ssh_authorized_keys"][0],
            "ssh-ed25519 AAAAC3Nza test"
        );
        let root = spec_user("root");
        let text = user_data(&SeedSpec {
            user: &root,
            ..spec
        })
        .unwrap();
        let parsed: serde_json::Value = serde_yaml_ng::from_str(&text).unwrap();
        assert_eq!(parsed["disable_root"], false);
    }

    #[test]
    fn the_volume_is_labelled_and_lists_its_files() {
        let iso = iso9660(&[("meta-data", b"a: 1\n"), ("user-data", &[b'x'; 3000])]);
        assert_eq!(iso.len() % SECTOR, 0);
        let pvd = &iso[16 * SECTOR..17 * SECTOR];
        assert_eq!(&pvd[1..6], b"CD001");
        assert_eq!(&pvd[40..46], b"CIDATA");
        let svd = &iso[17 * SECTOR..18 * SECTOR];
        assert_eq!(svd[0], 2);
        assert_eq!(&svd[88..91], b"%/E");
        assert_eq!(iso[18 * SECTOR], 255);
        let joliet_root = &iso[24 * SECTOR..25 * SECTOR];
        let name = joliet_name("user-data");
        assert!(
            joliet_root
                .windows(name.len())
                .any(|w| w == name.as_slice())
        );
        assert_eq!(&iso[25 * SECTOR..25 * SECTOR + 5], b"a: 1\n");
        assert_eq!(iso.len(), (26 + 2) * SECTOR);
    }

    #[test]
    fn dates_are_civil() {
        let [y, mo, d, h, mi, s] = now_utc();
        assert!(y >= 2024 && (1..=12).contains(&mo) && (1..=31).contains(&d));
        assert!(h < 24 && mi < 60 && s < 60);
    }
}
