//! `create` on Azure: sign in, then PUT in order the resource group (if
//! missing), the virtual network with its subnet (or the subnet alone in a
//! network that exists), the network security group, the public IP, the
//! NIC and the VM. Each is recorded *before* its PUT is sent, since Azure
//! may make it even when its answer never arrives (a killed create, a lost
//! connection); only Azure's refusal (a 4xx: nothing made) takes it off
//! the record again. So a failed or killed create leaves a record that
//! names everything that may exist, and `rm` (or the rollback) deletes
//! exactly that (a 404 counts as gone). Last, the VM's addresses are read.
//!
//! A cluster node (`ctx.cluster`) boots with its role's cloud-init as
//! custom data and carries the cluster's tags; the group, network and NSG
//! it finds carrying its cluster's id are the cluster's (made by
//! `prepare_cluster`, removed by `clusterctl down`), never the node's.

use machinectl_driver_api::{
    Checkpoint, CreateContext, Driver as _, DriverError, Result, snapshot,
};
use serde_json::Value;

use crate::arm::Arm;
use crate::checked::Guid;
use crate::{
    AzureDriver, MANAGED_TAG, NETWORK_API, RESOURCES_API, Resources, node_of, read_custom_data,
};

/// Whether a resource Azure returned is machinectl's to delete with this
/// machine: it carries `machinectl:managed=true` and is not this machine's
/// cluster's (which `clusterctl down` removes).
fn managed(d: &AzureDriver, resource: &Value) -> bool {
    resource["tags"][MANAGED_TAG] == "true" && !clusters(d, resource)
}

/// Whether a resource carries the id of the cluster this machine is a node of.
pub(crate) fn clusters(d: &AzureDriver, resource: &Value) -> bool {
    d.cluster
        .as_ref()
        .is_some_and(|c| resource["tags"][machinectl_driver_api::cluster::ID_TAG] == c.id.as_str())
}

/// The subscription `az` names, when none was given.
pub(crate) fn resolve_subscription(d: &mut AzureDriver, arm: &Arm) -> Result<()> {
    if d.subscription_id.is_some() {
        return Ok(());
    }
    let named = arm.cli_subscription.clone().ok_or_else(|| {
        DriverError::InvalidOption(
            "no Azure subscription: give --azure-subscription-id (AZURE_SUBSCRIPTION_ID), or pick one with `az account set`".into(),
        )
    })?;
    d.subscription_id = Some(Guid::try_from(named).map_err(DriverError::Other)?);
    Ok(())
}

pub(crate) async fn run(
    d: &mut AzureDriver,
    ctx: &CreateContext,
    checkpoint: &mut dyn Checkpoint,
) -> Result<()> {
    let custom_data = match (&ctx.cluster, &d.custom_data, &d.options.custom_data) {
        (Some(node), _, _) => {
            let (mark, data) = node_of(d, node)?;
            d.cluster = Some(mark);
            data
        }
        (None, Some(data), _) => Some(data.clone()),
        (None, None, Some(path)) => Some(read_custom_data(path)?),
        (None, None, None) => ctx
            .engine_boot_script
            .as_ref()
            .map(|script| script.as_bytes().to_vec()),
    };
    d.ssh_key = Some(ctx.ssh_private_key.clone());
    let arm = d.arm().await?;
    resolve_subscription(d, &arm)?;
    checkpoint.save(snapshot(d)?)?;

    ensure_group(d, &arm, checkpoint).await?;
    ensure_network(d, &arm, checkpoint).await?;
    ensure_nsg(d, &arm, checkpoint).await?;
    if !d.options.no_public_ip {
        let path = format!("{}?api-version={NETWORK_API}", d.public_ip_id()?);
        let body = d.public_ip_body();
        put_recorded(d, &arm, checkpoint, &path, &body, |r| &mut r.public_ip_made).await?;
    }
    let path = format!("{}?api-version={NETWORK_API}", d.nic_id()?);
    let body = d.nic_body()?;
    put_recorded(d, &arm, checkpoint, &path, &body, |r| &mut r.nic_made).await?;

    let body = d.vm_body(&ctx.ssh_public_key, custom_data.as_deref())?;
    let path = format!("{}?api-version={}", d.vm_id()?, crate::COMPUTE_API);
    put_recorded(d, &arm, checkpoint, &path, &body, |r| &mut r.vm_made).await?;

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
        Some(group) => d.resources.group_managed = managed(d, &group),
        None => {
            let body = d.group_body();
            put_recorded(d, arm, cp, &path, &body, |r| &mut r.group_managed).await?;
        }
    }
    Ok(())
}

async fn ensure_network(d: &mut AzureDriver, arm: &Arm, cp: &mut dyn Checkpoint) -> Result<()> {
    let vnet = format!("{}?api-version={NETWORK_API}", d.vnet_id()?);
    let Some(found) = arm.get(&vnet).await? else {
        let body = d.vnet_body();
        return put_recorded(d, arm, cp, &vnet, &body, |r| &mut r.vnet_managed).await;
    };
    d.resources.vnet_managed = managed(d, &found);
    if !has_subnet(d, &found) {
        let subnet = format!("{}?api-version={NETWORK_API}", d.subnet_id()?);
        let body = d.subnet_body();
        put_recorded(d, arm, cp, &subnet, &body, |r| &mut r.subnet_made).await?;
    }
    Ok(())
}

/// Whether a virtual network Azure returned has the subnet the flags name.
pub(crate) fn has_subnet(d: &AzureDriver, vnet: &Value) -> bool {
    vnet["properties"]["subnets"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|s| s["name"] == d.options.subnet.as_str())
}

/// The machine's own NSG, or the one `--azure-nsg` names: made when
/// missing; one that exists is used, and counts as machinectl's (for rm to
/// delete once unused) when it carries `machinectl:managed`. A cluster
/// node uses its cluster's, which `prepare_cluster` made.
async fn ensure_nsg(d: &mut AzureDriver, arm: &Arm, cp: &mut dyn Checkpoint) -> Result<()> {
    let path = format!("{}?api-version={NETWORK_API}", d.nsg_id()?);
    if d.options.nsg.is_some() || d.cluster.is_some() {
        match arm.get(&path).await? {
            Some(found) => {
                d.resources.nsg_made = managed(d, &found);
                return Ok(());
            }
            None if d.cluster.is_some() => {
                return Err(DriverError::Other(format!(
                    "the cluster's NSG {} is gone: run `clusterctl down` and `clusterctl up` again",
                    d.nsg_name()
                )));
            }
            None => {}
        }
    }
    let body = d.nsg_body();
    put_recorded(d, arm, cp, &path, &body, |r| &mut r.nsg_made).await
}

/// Record a resource, PUT it and wait for it; off the record again only
/// when Azure refused it.
async fn put_recorded(
    d: &mut AzureDriver,
    arm: &Arm,
    cp: &mut dyn Checkpoint,
    path: &str,
    body: &Value,
    made: fn(&mut Resources) -> &mut bool,
) -> Result<()> {
    *made(&mut d.resources) = true;
    cp.save(snapshot(d)?)?;
    match arm.put(path, body).await? {
        Ok(pending) => arm.wait(pending).await,
        Err(refused) => {
            *made(&mut d.resources) = false;
            cp.save(snapshot(d)?)?;
            Err(refused)
        }
    }
}
