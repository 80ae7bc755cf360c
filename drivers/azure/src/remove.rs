//! `rm` on Azure: delete what the record says this machine made, in the
//! order that frees each for the next: the VM (its managed OS disk goes
//! with it), the NIC, the public IP, the NSG; then the subnet it added, or
//! the virtual network when it is machinectl's, unless another NIC still
//! uses it (Azure's `InUse…` refusal keeps it, with a note); then the
//! resource group when it is machinectl's and nothing else is in it. A 404
//! counts as gone, so rm after a crash (or a second rm) finishes the job.

use machinectl_driver_api::{RemoveReport, Result};

use crate::arm::{Arm, Deleted};
use crate::{AzureDriver, COMPUTE_API, NETWORK_API, RESOURCES_API};

/// What became of one resource.
#[derive(PartialEq, Eq)]
pub(crate) enum Outcome {
    Gone,
    /// Still in use by something else: kept, with a note.
    Kept,
    /// Could not be deleted: rm stops (what follows may depend on it).
    Failed,
}

/// Delete one resource.
pub(crate) async fn delete(
    arm: &Arm,
    report: &mut RemoveReport,
    what: String,
    path: String,
) -> Outcome {
    match arm.delete(&path).await {
        Ok(Deleted::Done) => report.removed.push(what),
        Ok(Deleted::AlreadyGone) => report.removed.push(format!("{what} (already gone)")),
        Ok(Deleted::InUse(why)) => {
            let note = format!("{what} was kept: it is still in use ({why})");
            add_note(report, note);
            return Outcome::Kept;
        }
        Err(e) => {
            report.left.push(format!("{what} ({e})"));
            return Outcome::Failed;
        }
    }
    Outcome::Gone
}

pub(crate) fn add_note(report: &mut RemoveReport, note: String) {
    report.note = Some(match report.note.take() {
        Some(before) => format!("{before}; {note}"),
        None => note,
    });
}

pub(crate) async fn run(d: &mut AzureDriver) -> Result<RemoveReport> {
    let mut report = RemoveReport::default();
    let r = &d.resources;
    let anything = r.group_managed
        || r.vnet_managed
        || r.subnet_made
        || r.nsg_made
        || r.public_ip_made
        || r.nic_made
        || r.vm_made;
    if !anything || d.subscription_id.is_none() {
        return Ok(report);
    }
    let arm = d.arm().await?;
    let m = d.machine.clone();
    let own = [
        (
            r.vm_made,
            format!("VM {m} and its OS disk"),
            d.vm_id()?,
            COMPUTE_API,
        ),
        (r.nic_made, format!("NIC {m}-nic"), d.nic_id()?, NETWORK_API),
        (
            r.public_ip_made,
            format!("public IP {m}-ip"),
            d.public_ip_id()?,
            NETWORK_API,
        ),
        (
            r.nsg_made,
            format!("NSG {}", d.nsg_name()),
            d.nsg_id()?,
            NETWORK_API,
        ),
    ];
    let mut deleted_ids = Vec::new();
    for (made, what, id, version) in own {
        if !made {
            continue;
        }
        match delete(
            &arm,
            &mut report,
            what,
            format!("{id}?api-version={version}"),
        )
        .await
        {
            Outcome::Gone => deleted_ids.push(id),
            Outcome::Kept => {}
            Outcome::Failed => return Ok(report),
        }
    }
    deleted_ids.push(d.id("Microsoft.Compute", &format!("disks/{m}-os-disk"))?);
    if d.resources.vnet_managed {
        let what = format!("virtual network {}", d.options.vnet);
        let path = format!("{}?api-version={NETWORK_API}", d.vnet_id()?);
        if delete(&arm, &mut report, what, path).await == Outcome::Gone {
            deleted_ids.push(d.vnet_id()?);
        }
    } else if d.resources.subnet_made {
        let what = format!("subnet {} of {}", d.options.subnet, d.options.vnet);
        let path = format!("{}?api-version={NETWORK_API}", d.subnet_id()?);
        delete(&arm, &mut report, what, path).await;
    }
    if d.resources.group_managed {
        let group = d.group_path()?;
        let name = d.options.resource_group.as_str();
        remove_group(&arm, &mut report, &group, name, &deleted_ids).await;
    }
    Ok(report)
}

/// The group goes only when nothing but what rm just deleted is listed in
/// it (Azure's list may lag behind a delete).
pub(crate) async fn remove_group(
    arm: &Arm,
    report: &mut RemoveReport,
    group: &str,
    name: &str,
    deleted: &[String],
) {
    let listed = match arm
        .list(&format!("{group}/resources?api-version={RESOURCES_API}"))
        .await
    {
        Ok(listed) => listed,
        Err(e) => {
            // A group already deleted (a create or rm killed after asking)
            // cannot be listed: it counts as gone, as a 404 does elsewhere.
            let path = format!("{group}?api-version={RESOURCES_API}");
            match arm.get(&path).await {
                Ok(None) => report
                    .removed
                    .push(format!("resource group {name} (already gone)")),
                _ => report.left.push(format!("resource group {name} ({e})")),
            }
            return;
        }
    };
    let others = listed
        .iter()
        .filter_map(|r| r["id"].as_str())
        .filter(|id| !deleted.iter().any(|gone| gone.eq_ignore_ascii_case(id)))
        .count();
    let what = format!("resource group {name}");
    if others > 0 {
        let note = format!("{what} was kept: it holds {others} other resource(s)");
        add_note(report, note);
        return;
    }
    delete(
        arm,
        report,
        what,
        format!("{group}?api-version={RESOURCES_API}"),
    )
    .await;
}
