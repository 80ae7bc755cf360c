//! `create` on Azure: sign in, then PUT in order the resource group (if
//! missing), the virtual network with its subnet (or the subnet alone in a
//! network that exists), the network security group, the public IP, the
//! NIC and the VM. Each is recorded the moment Azure accepts its PUT
//! (before its long-running operation ends), so a failed or killed create
//! leaves a record that names everything that may exist, and `rm` (or the
//! rollback) deletes exactly that. Last, the VM's addresses are read.

use machinectl_driver_api::{
    Checkpoint, CreateContext, Driver as _, DriverError, Result, snapshot,
};
use serde_json::Value;

use crate::arm::Arm;
use crate::checked::Guid;
use crate::{AzureDriver, MANAGED_TAG, NETWORK_API, RESOURCES_API, read_custom_data};

/// Whether a resource Azure returned carries `machinectl:managed=true`.
fn managed(resource: &Value) -> bool {
    resource["tags"][MANAGED_TAG] == "true"
}

pub(crate) async fn run(
    d: &mut AzureDriver,
    ctx: &CreateContext,
    checkpoint: &mut dyn Checkpoint,
) -> Result<()> {
    let custom_data = match (&d.custom_data, &d.options.custom_data) {
        (Some(data), _) => Some(data.clone()),
        (None, Some(path)) => Some(read_custom_data(path)?),
        (None, None) => None,
    };
    d.ssh_key = Some(ctx.ssh_private_key.clone());
    let arm = d.arm().await?;
    if d.subscription_id.is_none() {
        let named = arm.cli_subscription.clone().ok_or_else(|| {
            DriverError::InvalidOption(
                "no Azure subscription: give --azure-subscription-id (AZURE_SUBSCRIPTION_ID), or pick one with `az account set`".into(),
            )
        })?;
        d.subscription_id = Some(Guid::try_from(named).map_err(DriverError::Other)?);
    }
    checkpoint.save(snapshot(d)?)?;

    ensure_group(d, &arm, checkpoint).await?;
    ensure_network(d, &arm, checkpoint).await?;
    ensure_nsg(d, &arm, checkpoint).await?;
    if !d.options.no_public_ip {
        let path = format!("{}?api-version={NETWORK_API}", d.public_ip_id()?);
        let pending = arm.put(&path, &d.public_ip_body()).await?;
        d.resources.public_ip_made = true;
        checkpoint.save(snapshot(d)?)?;
        arm.wait(pending).await?;
    }
    let path = format!("{}?api-version={NETWORK_API}", d.nic_id()?);
    let pending = arm.put(&path, &d.nic_body()?).await?;
    d.resources.nic_made = true;
    checkpoint.save(snapshot(d)?)?;
    arm.wait(pending).await?;

    let body = d.vm_body(&ctx.ssh_public_key, custom_data.as_deref())?;
    let path = format!("{}?api-version={}", d.vm_id()?, crate::COMPUTE_API);
    let pending = arm.put(&path, &body).await?;
    d.resources.vm_made = true;
    checkpoint.save(snapshot(d)?)?;
    arm.wait(pending).await?;

    d.read_addresses(&arm).await?;
    if d.ip().is_none() {
        return Err(DriverError::Other(format!(
            "Azure made VM {} without the address machinectl reaches it at: look at its NIC in the portal, then `machinectl rm` it",
            d.machine
        )));
    }
    checkpoint.save(snapshot(d)?)
}

async fn ensure_group(d: &mut AzureDriver, arm: &Arm, cp: &mut dyn Checkpoint) -> Result<()> {
    let path = format!("{}?api-version={RESOURCES_API}", d.group_path()?);
    match arm.get(&path).await? {
        Some(group) => d.resources.group_managed = managed(&group),
        None => {
            let pending = arm.put(&path, &d.group_body()).await?;
            d.resources.group_managed = true;
            cp.save(snapshot(d)?)?;
            arm.wait(pending).await?;
        }
    }
    Ok(())
}

async fn ensure_network(d: &mut AzureDriver, arm: &Arm, cp: &mut dyn Checkpoint) -> Result<()> {
    let vnet = format!("{}?api-version={NETWORK_API}", d.vnet_id()?);
    let Some(found) = arm.get(&vnet).await? else {
        let pending = arm.put(&vnet, &d.vnet_body()).await?;
        d.resources.vnet_managed = true;
        cp.save(snapshot(d)?)?;
        return arm.wait(pending).await;
    };
    d.resources.vnet_managed = managed(&found);
    let has_subnet = found["properties"]["subnets"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|s| s["name"] == d.options.subnet.as_str());
    if !has_subnet {
        let subnet = format!("{}?api-version={NETWORK_API}", d.subnet_id()?);
        let pending = arm.put(&subnet, &d.subnet_body()).await?;
        d.resources.subnet_made = true;
        cp.save(snapshot(d)?)?;
        arm.wait(pending).await?;
    }
    Ok(())
}

/// The machine's own NSG, or the one `--azure-nsg` names (made when missing).
async fn ensure_nsg(d: &mut AzureDriver, arm: &Arm, cp: &mut dyn Checkpoint) -> Result<()> {
    let path = format!("{}?api-version={NETWORK_API}", d.nsg_id()?);
    if d.options.nsg.is_some() && arm.get(&path).await?.is_some() {
        return Ok(());
    }
    let pending = arm.put(&path, &d.nsg_body()).await?;
    d.resources.nsg_made = true;
    cp.save(snapshot(d)?)?;
    arm.wait(pending).await
}
