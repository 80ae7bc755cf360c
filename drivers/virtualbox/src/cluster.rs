//! The cluster seam for VirtualBox (see `machinectl_driver_api::cluster`):
//! what a cluster adds to a node's VM, and how `clusterctl down` finds and
//! removes a cluster's VMs with nothing but VBoxManage.
//!
//! - Tags: a node's VM carries the cluster's name, id and
//!   `machinectl:managed=true` as VM extradata (`setextradata`, keys
//!   [`NAME_TAG`], [`ID_TAG`], [`MANAGED_TAG`]), set right after
//!   `createvm`, so even a create that died midway leaves a VM `down` finds.
//!   Not a VM group: VirtualBox moves an auto-named VM's folder when its
//!   primary group changes, and the driver keeps the VM's files at fixed
//!   places in the machine's directory.
//! - User-data: the node's seed carries its role's cloud-init merged into
//!   the driver's own (SSH user, key, hostname): one `#cloud-config`.
//! - Firewall: none. The nodes share the host-only network, which is open
//!   between its VMs (VirtualBox filters nothing there), so the
//!   orchestrator's peer ports need no rule; NAT forwards only SSH.
//! - Shared resources: none beyond the host-only interface every VM of the
//!   driver shares (kept, as `rm` keeps it).
//! - Finding: `list vms`, then `getextradata VM enumerate` per VM.
//! - Removing: power off, `unregistervm --delete` (disk, settings, logs),
//!   then the seed beside the VM's folder; already gone counts as removed.
//! - Consul joins by the servers' addresses: VirtualBox has no cloud
//!   auto-join (go-discover has no provider for it).

use std::path::Path;

use machinectl_driver_api::cluster::{
    Cluster, ClusterId, ClusterName, ID_TAG, MANAGED_TAG, NAME_TAG,
};
use machinectl_driver_api::{DriverError, Found, RemoveReport, Result};
use serde_json::Value;

use crate::checked::VboxName;
use crate::vbox::{VBox, field};

/// What [`Found::kind`] says of a node's VM.
pub const VM_KIND: &str = "VirtualBox VM";
/// The seed's file name in the machine's directory.
pub const SEED_FILE: &str = "seed.iso";

/// Put the cluster's tags on the VM `vm` as extradata.
pub async fn tag(vbox: &VBox, vm: &str, cluster: &Cluster) -> Result<()> {
    for (key, value) in cluster.tags() {
        vbox.run(&["setextradata", vm, key, &value]).await?;
    }
    Ok(())
}

/// `(name, uuid)` of each VM `list vms` printed (`"NAME" {UUID}`).
pub fn listed_vms(text: &str) -> Vec<(String, VboxName)> {
    text.lines()
        .filter_map(|line| line.trim().rsplit_once(" {"))
        .filter_map(|(name, uuid)| {
            let uuid = VboxName::try_from(uuid.trim_end_matches('}')).ok()?;
            Some((name.trim_matches('"').to_string(), uuid))
        })
        .collect()
}

/// `Key: K, Value: V` lines of `getextradata VM enumerate`.
pub fn extradata(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| line.strip_prefix("Key: "))
        .filter_map(|rest| rest.split_once(", Value: "))
        .map(|(k, v)| (k.to_string(), v.trim_end().to_string()))
        .collect()
}

/// Whether a failed call says VirtualBox has no such VM.
pub fn is_gone(error: &DriverError) -> bool {
    matches!(error, DriverError::Command { detail, .. }
        if detail.contains("VBOX_E_OBJECT_NOT_FOUND")
            || detail.contains("Could not find a registered machine"))
}

/// The VM as a found resource of cluster `name`, when its extradata says
/// machinectl made it for that cluster.
fn as_found(
    vm: (String, VboxName),
    data: &[(String, String)],
    name: &ClusterName,
) -> Option<Found> {
    let carries = |key: &str, value: &str| field(data, key) == Some(value);
    if !(carries(NAME_TAG, name.as_str()) && carries(MANAGED_TAG, "true")) {
        return None;
    }
    Some(Found {
        kind: VM_KIND.to_string(),
        id: vm.1.to_string(),
        name: vm.0,
        cluster_id: field(data, ID_TAG).and_then(|id| ClusterId::try_from(id).ok()),
    })
}

/// Every VM whose extradata names cluster `name`, with the id it carries.
pub async fn find(vbox: &VBox, name: &ClusterName) -> Result<Vec<Found>> {
    let mut found = Vec::new();
    for vm in listed_vms(&vbox.run(&["list", "vms"]).await?) {
        let text = match vbox
            .run(&["getextradata", vm.1.as_str(), "enumerate"])
            .await
        {
            Ok(text) => text,
            // Removed since the list: not this cluster's any more.
            Err(e) if is_gone(&e) => continue,
            Err(e) => return Err(e),
        };
        found.extend(as_found(vm, &extradata(&text), name));
    }
    Ok(found)
}

/// Remove each found VM; anything but a VM is left with the reason.
pub async fn remove(vbox: &VBox, found: &[Found]) -> RemoveReport {
    let mut report = RemoveReport::default();
    for f in found {
        let what = f.describe();
        let uuid = match (f.kind.as_str(), VboxName::try_from(f.id.as_str())) {
            (VM_KIND, Ok(uuid)) => uuid,
            _ => {
                report.left.push(format!("{what} (not a VirtualBox VM)"));
                continue;
            }
        };
        match remove_vm(vbox, uuid.as_str()).await {
            Ok(true) => report.removed.push(what),
            Ok(false) => report.removed.push(format!("{what} (already gone)")),
            Err(e) => report.left.push(format!("{what} ({e})")),
        }
    }
    report
}

/// Power off, unregister and delete one VM, then its seed; false when
/// VirtualBox had no such VM.
async fn remove_vm(vbox: &VBox, vm: &str) -> Result<bool> {
    let info = match vbox.run(&["showvminfo", vm, "--machinereadable"]).await {
        Ok(text) => crate::vbox::machine_readable(&text),
        Err(e) if is_gone(&e) => return Ok(false),
        Err(e) => return Err(e),
    };
    let state = field(&info, "VMState").unwrap_or("poweroff");
    crate::unregister_vm(vbox, vm, state).await?;
    if let Some(dir) = field(&info, "CfgFile").and_then(machine_dir) {
        delete_seed(&info, dir)?;
    }
    Ok(true)
}

/// The machine's directory: the one holding the VM's folder.
fn machine_dir(cfg_file: &str) -> Option<&Path> {
    Path::new(cfg_file).parent()?.parent()
}

/// The seed the VM had attached, when it is this driver's (`seed.iso` in
/// the machine's directory), and then that directory if nothing else is
/// left in it (a store that keeps the machine's record keeps it).
fn delete_seed(info: &[(String, String)], dir: &Path) -> Result<()> {
    let seed = dir.join(SEED_FILE);
    let attached = info.iter().any(|(_, v)| Path::new(v) == seed);
    if attached {
        match std::fs::remove_file(&seed) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(DriverError::io(format!("delete {}", seed.display()), e)),
        }
        let _ = std::fs::remove_dir(dir);
    }
    Ok(())
}

/// The seed's user-data: the driver's `config` with the role's
/// `#cloud-config` merged in (its lists appended; a key the driver sets
/// itself, such as `hostname`, is refused).
pub fn merge_role_data(config: &mut Value, role_data: &str) -> Result<()> {
    let refuse = |why: String| {
        DriverError::InvalidOption(format!(
            "the cluster node's user-data {why}: the virtualbox driver boots nodes with one #cloud-config (see `clusterctl render` and the templates under ~/.machinectl/templates)"
        ))
    };
    let first = role_data.lines().next().unwrap_or_default().trim_end();
    if first != "#cloud-config" {
        return Err(refuse("does not start with #cloud-config".into()));
    }
    let parsed: Value =
        serde_yaml_ng::from_str(role_data).map_err(|e| refuse(format!("is not YAML ({e})")))?;
    let map = match parsed {
        Value::Null => return Ok(()),
        Value::Object(map) => map,
        _ => return Err(refuse("is not a mapping".into())),
    };
    let mine = config
        .as_object_mut()
        .expect("the driver's cloud-config is a mapping");
    for (key, value) in map {
        match (mine.get_mut(&key), value) {
            (None, value) => {
                mine.insert(key, value);
            }
            (Some(Value::Array(list)), Value::Array(more)) => list.extend(more),
            (Some(_), _) => {
                return Err(refuse(format!(
                    "sets {key:?}, which the driver sets itself"
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn role_data_is_merged_into_the_drivers_config() {
        let mut config = json!({"hostname": "n0", "users": [{"name": "docker"}]});
        let role = "#cloud-config\n# a comment\nwrite_files:\n  - path: /a\n    content: |\n      x\nruncmd:\n  - [/bin/sh, /a]\nusers:\n  - name: extra\n";
        merge_role_data(&mut config, role).unwrap();
        assert_eq!(config["hostname"], "n0");
        assert_eq!(config["write_files"][0]["content"], "x\n");
        assert_eq!(config["runcmd"][0][1], "/a");
        assert_eq!(config["users"][1]["name"], "extra");
        for bad in [
            "#!/bin/sh\necho hi\n",
            "#cloud-config\nhostname: other\n",
            "#cloud-config\n- a\n",
            "#cloud-config\na: [\n",
        ] {
            let mut config = json!({"hostname": "n0"});
            let e = merge_role_data(&mut config, bad).unwrap_err().to_string();
            assert!(e.contains("cloud-config"), "{e}");
        }
    }

    #[test]
    fn vms_and_their_extradata_are_read() {
        let vms = listed_vms(
            "\"web-manager-0\" {6f1c0c4e-0d2a-4b8e-9a53-3c1d2e4f5a6b}\n\"a {b}\" {11111111-2222-3333-4444-555555555555}\n",
        );
        assert_eq!(vms.len(), 2);
        assert_eq!(vms[1].0, "a {b}");
        let data = extradata(
            "Key: machinectl:cluster, Value: web\nKey: machinectl:cluster-id, Value: 00aa11bb22cc\nKey: machinectl:managed, Value: true\n",
        );
        let name = ClusterName::try_from("web").unwrap();
        let found = as_found(vms[0].clone(), &data, &name).unwrap();
        assert_eq!(found.cluster_id.unwrap().as_str(), "00aa11bb22cc");
        let other = ClusterName::try_from("db").unwrap();
        assert!(as_found(vms[0].clone(), &data, &other).is_none());
        let unmanaged = &data[..2];
        assert!(as_found(vms[0].clone(), unmanaged, &name).is_none());
    }
}
