//! The ARM template of a whole cluster (`clusterctl render --provider
//! azure`): what `clusterctl up` makes, as one deployment of the resource
//! group (`az deployment group create -g GROUP --template-file
//! azuredeploy.json --parameters adminPublicKey=@KEY.pub`).
//!
//! The envelope is deploymentTemplate 2019-04-01; each resource is the same
//! body the driver PUTs (bodies.rs, so both are held to the same published
//! schemas) plus ARM's `type`, `apiVersion`, `name` and `dependsOn`, its
//! references written as `resourceId()` expressions: the virtual network
//! with its subnet (only when it is in the deployment's group; one in
//! another group is referred to), the cluster's NSG with the orchestrator's
//! rules, and per node a public IP, a NIC at the private address the boot
//! data names, and the VM with its role's cloud-init as custom data (at
//! most 64 KB decoded, checked here). Every resource carries the cluster's
//! tags. The admin's SSH key is the template's one parameter.

use std::net::Ipv4Addr;

use machinectl_driver_api::{Cluster, DriverError, Result};
use serde_json::{Value, json};

use crate::checked::{Ipv4Cidr, TagText, VmName};
use crate::{
    AzureDriver, COMPUTE_API, ClusterMark, NETWORK_API, check_custom_data_size,
    refuse_cluster_flags,
};

/// The deployment template schema the envelope names.
pub const SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
/// The template's parameter holding the admin user's SSH public key.
pub const KEY_PARAMETER: &str = "adminPublicKey";

/// One node of the template: its machine name, role, the role's
/// cloud-init, and the private address its peers' boot data names.
pub struct TemplateNode<'a> {
    pub machine: &'a str,
    pub role: &'a str,
    pub user_data: &'a str,
    pub private_ip: &'a str,
}

fn invalid(e: String) -> DriverError {
    DriverError::InvalidOption(e)
}

/// `[resourceId('TYPE', 'NAME', …)]` (names are checked: no quotes).
fn resource_id(kind: &str, names: &[&str]) -> String {
    let quoted: Vec<String> = std::iter::once(kind)
        .chain(names.iter().copied())
        .map(|n| format!("'{n}'"))
        .collect();
    format!("[resourceId({})]", quoted.join(", "))
}

/// A REST body as a template resource.
fn resource(kind: &str, api: &str, name: &str, mut body: Value, depends: Vec<String>) -> Value {
    body["type"] = json!(kind);
    body["apiVersion"] = json!(api);
    body["name"] = json!(name);
    if !depends.is_empty() {
        body["dependsOn"] = json!(depends);
    }
    body
}

/// The network the nodes' addresses are in: the driver's subnet when it
/// holds them all, else `fallback` (the boot data's own network, the
/// smallest holding them), widened to a /24 at least (Azure takes no
/// subnet smaller than a /29 and keeps five addresses of each).
fn node_network(d: &AzureDriver, ips: &[Ipv4Addr], fallback: &str) -> Result<Ipv4Cidr> {
    if ips.iter().all(|ip| d.options.subnet_prefix.contains(*ip)) {
        return Ok(d.options.subnet_prefix.clone());
    }
    let network = Ipv4Cidr::try_from(widened(fallback)).map_err(invalid)?;
    match ips.iter().find(|ip| !network.contains(**ip)) {
        Some(ip) => Err(invalid(format!(
            "node address {ip} is in neither --azure-subnet-prefix {} nor {network}",
            d.options.subnet_prefix
        ))),
        None => Ok(network),
    }
}

/// `A.B.C.D/N` as a /24 when N is longer (others as they are).
fn widened(cidr: &str) -> String {
    let parsed = cidr
        .split_once('/')
        .and_then(|(a, n)| Some((a.parse::<Ipv4Addr>().ok()?, n.parse::<u32>().ok()?)));
    match parsed {
        Some((addr, prefix)) if prefix > 24 => {
            format!("{}/24", Ipv4Addr::from(u32::from(addr) & 0xffff_ff00))
        }
        _ => cidr.to_string(),
    }
}

/// The whole cluster's ARM template, as pretty JSON.
pub fn cluster_template(
    template: &AzureDriver,
    cluster: &Cluster,
    nodes: &[TemplateNode],
    fallback_network: &str,
) -> Result<String> {
    refuse_cluster_flags(template, cluster.name.as_str())?;
    let ips = nodes
        .iter()
        .map(|n| n.private_ip.parse::<Ipv4Addr>())
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| invalid(format!("a node's private address: {e}")))?;
    let mut shared = template.clone();
    shared.options.subnet_prefix = node_network(template, &ips, fallback_network)?;
    shared.cluster = Some(ClusterMark {
        name: cluster.name.clone(),
        id: cluster.id.clone(),
        role: None,
    });
    let mut resources = network_resources(&shared, cluster);
    for (node, ip) in nodes.iter().zip(ips) {
        resources.extend(node_resources(&shared, node, ip)?);
    }
    let document = json!({
        "$schema": SCHEMA,
        "contentVersion": "1.0.0.0",
        "metadata": {"description": format!(
            "machinectl cluster {} (id {}): {} node(s)", cluster.name, cluster.id, nodes.len()
        )},
        "parameters": {KEY_PARAMETER: {
            "type": "string",
            "metadata": {"description": "The admin user's SSH public key (OpenSSH form)"},
        }},
        "resources": resources,
    });
    Ok(serde_json::to_string_pretty(&document).expect("JSON values serialize") + "\n")
}

/// The network (when it is in the deployment's group) and the cluster's NSG.
fn network_resources(s: &AzureDriver, cluster: &Cluster) -> Vec<Value> {
    let mut resources = Vec::new();
    if s.options.vnet_group == s.options.resource_group {
        resources.push(resource(
            "Microsoft.Network/virtualNetworks",
            NETWORK_API,
            s.options.vnet.as_str(),
            s.vnet_body(),
            Vec::new(),
        ));
    }
    resources.push(resource(
        "Microsoft.Network/networkSecurityGroups",
        NETWORK_API,
        &s.nsg_name(),
        s.cluster_nsg_body(cluster),
        Vec::new(),
    ));
    resources
}

/// One node's public IP, NIC and VM.
fn node_resources(s: &AzureDriver, node: &TemplateNode, ip: Ipv4Addr) -> Result<Vec<Value>> {
    check_custom_data_size(
        node.user_data.len(),
        &format!("the {} role's cloud-init", node.role),
    )?;
    let mut n = s.clone();
    n.machine = VmName::try_from(node.machine).map_err(invalid)?;
    n.options.private_ip_address = Some(ip);
    if let Some(mark) = &mut n.cluster {
        mark.role = Some(TagText::try_from(node.role).map_err(invalid)?);
    }
    let (vnet, subnet) = (s.options.vnet.as_str(), s.options.subnet.as_str());
    let subnet_kind = "Microsoft.Network/virtualNetworks/subnets";
    let subnet_id = if s.options.vnet_group == s.options.resource_group {
        resource_id(subnet_kind, &[vnet, subnet])
    } else {
        let group = format!("'{}', '{subnet_kind}'", s.options.vnet_group);
        format!("[resourceId({group}, '{vnet}', '{subnet}')]")
    };
    let nsg_id = resource_id("Microsoft.Network/networkSecurityGroups", &[&s.nsg_name()]);
    let mut depends = vec![nsg_id.clone()];
    if s.options.vnet_group == s.options.resource_group {
        depends.push(resource_id("Microsoft.Network/virtualNetworks", &[vnet]));
    }
    let mut resources = Vec::new();
    let ip_name = format!("{}-ip", n.machine);
    let ip_kind = "Microsoft.Network/publicIPAddresses";
    let public_ip = (!n.options.no_public_ip).then(|| resource_id(ip_kind, &[&ip_name]));
    if let Some(id) = &public_ip {
        let body = n.public_ip_body();
        resources.push(resource(ip_kind, NETWORK_API, &ip_name, body, Vec::new()));
        depends.push(id.clone());
    }
    let nic_name = format!("{}-nic", n.machine);
    let nic_kind = "Microsoft.Network/networkInterfaces";
    let nic_id = resource_id(nic_kind, &[&nic_name]);
    let nic = n.nic_body_with(subnet_id, nsg_id, public_ip);
    resources.push(resource(nic_kind, NETWORK_API, &nic_name, nic, depends));
    let key = format!("[parameters('{KEY_PARAMETER}')]");
    let vm = n.vm_body_with(&key, Some(node.user_data.as_bytes()), nic_id.clone());
    let vm_kind = "Microsoft.Compute/virtualMachines";
    resources.push(resource(
        vm_kind,
        COMPUTE_API,
        n.machine.as_str(),
        vm,
        vec![nic_id],
    ));
    Ok(resources)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_network_is_a_24_at_least() {
        assert_eq!(widened("10.0.0.4/30"), "10.0.0.0/24");
        assert_eq!(widened("10.40.1.0/24"), "10.40.1.0/24");
        assert_eq!(widened("10.116.0.0/23"), "10.116.0.0/23");
        assert_eq!(widened("::/0"), "::/0");
    }
}
