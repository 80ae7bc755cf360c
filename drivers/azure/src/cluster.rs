//! The cluster seam on Azure (drivers/api/src/cluster.rs): what clusterctl's
//! nodes share, finding a cluster by its tags, removing it, and Consul's
//! cloud auto-join.
//!
//! - `prepare_cluster` makes, once before the nodes, in the group and
//!   network the flags name: the group (if missing), the virtual network
//!   with its subnet (or the subnet alone), and the cluster's NSG
//!   `CLUSTER-firewall`: SSH, the engine port, `--azure-open-port`s and the
//!   orchestrator's public ports from `--azure-allowed-cidr`, its peer
//!   ports from the subnet's prefix only. Each is tagged
//!   `machinectl:cluster`, `machinectl:cluster-id`, `machinectl:managed`,
//!   returned for the cluster's record, and what it made is removed again
//!   when a later step fails. An NSG of that name that exists already (the
//!   same name up twice) is refused before anything is made.
//! - Nodes are machines made by `create` with the cluster's tags (and
//!   `machinectl:role`) on the VM, NIC and public IP, and their role's
//!   cloud-init as custom data.
//! - `cluster_resources` lists the group (and the network's group) with
//!   Resources' `$filter=tagName eq 'machinectl:cluster' and tagValue eq
//!   'NAME'`, page by page, plus the group itself when it carries the tag.
//! - `remove_cluster_resources` deletes nodes first (VMs with their disks,
//!   NICs, public IPs, disks), then what they shared (NSG, subnet, network),
//!   then a group left empty; 404 counts as gone.
//! - `cluster_auto_join`: go-discover's `provider=azure` string, on the
//!   cluster-id tag of the NICs, with the service principal's secret (none
//!   for other credentials: the nodes then join by address).

use machinectl_driver_api::cluster::{ClusterId, ClusterName, ID_TAG, NAME_TAG};
use machinectl_driver_api::{Cluster, DriverError, Found, RemoveReport, Result, Secret};
use serde_json::Value;

use crate::arm::Arm;
use crate::auth::Credentials;
use crate::create::{has_subnet, resolve_subscription};
use crate::remove::{Outcome, delete, remove_group};
use crate::{
    AzureDriver, COMPUTE_API, ClusterMark, NETWORK_API, RESOURCES_API, refuse_cluster_flags,
};

/// Managed disks' API (Microsoft.Compute's disk provider versions apart).
const DISKS_API: &str = "2024-03-02";

/// The resource types a cluster holds, in the order they are removed:
/// (what an id contains, lower case; words; api-version).
const KINDS: [(&str, &str, &str); 7] = [
    (
        "/providers/microsoft.compute/virtualmachines/",
        "VM",
        COMPUTE_API,
    ),
    (
        "/providers/microsoft.network/networkinterfaces/",
        "NIC",
        NETWORK_API,
    ),
    (
        "/providers/microsoft.network/publicipaddresses/",
        "public IP",
        NETWORK_API,
    ),
    ("/providers/microsoft.compute/disks/", "disk", DISKS_API),
    (
        "/providers/microsoft.network/networksecuritygroups/",
        "NSG",
        NETWORK_API,
    ),
    ("/subnets/", "subnet", NETWORK_API),
    (
        "/providers/microsoft.network/virtualnetworks/",
        "virtual network",
        NETWORK_API,
    ),
];

/// Where an id comes in the removal order, its words and api-version;
/// resource groups last; none for a type machinectl does not make.
fn kind_of(id: &str) -> Option<(usize, &'static str, &'static str)> {
    let lower = id.to_ascii_lowercase();
    if let Some((i, (_, words, api))) = KINDS
        .iter()
        .enumerate()
        .find(|(_, (part, _, _))| lower.contains(part))
    {
        return Some((i, words, api));
    }
    let group = !lower.contains("/providers/") && lower.contains("/resourcegroups/");
    group.then_some((KINDS.len(), "resource group", RESOURCES_API))
}

fn versioned(id: &str, api: &str) -> String {
    format!("{id}?api-version={api}")
}

/// The template as what a cluster's nodes share (tagged with no machine).
fn shared(d: &AzureDriver, cluster: &Cluster) -> AzureDriver {
    let mut s = d.clone();
    s.cluster = Some(ClusterMark {
        name: cluster.name.clone(),
        id: cluster.id.clone(),
        role: None,
    });
    s
}

/// The template signed in, with its subscription resolved.
async fn signed_in(d: &AzureDriver) -> Result<(AzureDriver, Arm)> {
    let mut s = d.clone();
    let arm = s.arm().await?;
    resolve_subscription(&mut s, &arm)?;
    Ok((s, arm))
}

fn found(id: String, name: &str, cluster_id: Option<ClusterId>) -> Found {
    let kind = kind_of(&id).map_or("resource", |(_, words, _)| words);
    Found {
        kind: kind.to_string(),
        id,
        name: name.to_string(),
        cluster_id,
    }
}

pub(crate) async fn prepare(d: &AzureDriver, cluster: &Cluster) -> Result<Vec<Found>> {
    refuse_cluster_flags(d, cluster.name.as_str())?;
    let (s, arm) = signed_in(&shared(d, cluster)).await?;
    let mut made = Vec::new();
    let Err(e) = make_shared(&s, &arm, cluster, &mut made).await else {
        return Ok(made);
    };
    let undone = remove_found(&arm, &made).await;
    if undone.is_complete() {
        Err(e)
    } else {
        Err(DriverError::Other(format!(
            "{e}; what it had made is left: {} (remove it in the portal or run `clusterctl down` again)",
            undone.left.join(", ")
        )))
    }
}

/// Group, network and NSG, each recorded in `made` before its PUT.
async fn make_shared(
    s: &AzureDriver,
    arm: &Arm,
    cluster: &Cluster,
    made: &mut Vec<Found>,
) -> Result<()> {
    let id = Some(cluster.id.clone());
    let nsg = s.nsg_id()?;
    if let Some(existing) = arm.get(&versioned(&nsg, NETWORK_API)).await? {
        let holder = existing["tags"][ID_TAG].as_str().unwrap_or("none");
        return Err(DriverError::InvalidOption(format!(
            "the NSG {} exists already in resource group {} (cluster id {holder}): a cluster named {} is up there; remove it with `clusterctl down {}` or pick another name",
            s.nsg_name(),
            s.options.resource_group,
            cluster.name,
            cluster.name
        )));
    }
    let group = s.group_path()?;
    if arm.get(&versioned(&group, RESOURCES_API)).await?.is_none() {
        let item = found(group, s.options.resource_group.as_str(), id.clone());
        put_found(arm, made, item, &s.group_body()).await?;
    }
    let vnet = s.vnet_id()?;
    match arm.get(&versioned(&vnet, NETWORK_API)).await? {
        None => {
            let item = found(vnet, s.options.vnet.as_str(), id.clone());
            put_found(arm, made, item, &s.vnet_body()).await?;
        }
        Some(network) if !has_subnet(s, &network) => {
            let item = found(s.subnet_id()?, s.options.subnet.as_str(), id.clone());
            put_found(arm, made, item, &s.subnet_body()).await?;
        }
        Some(_) => {}
    }
    let item = found(nsg, &s.nsg_name(), id);
    put_found(arm, made, item, &s.cluster_nsg_body(cluster)).await
}

/// Record, PUT and wait; off the record again only when Azure refused it.
async fn put_found(arm: &Arm, made: &mut Vec<Found>, item: Found, body: &Value) -> Result<()> {
    let api = kind_of(&item.id).map_or(RESOURCES_API, |(_, _, api)| api);
    let path = versioned(&item.id, api);
    made.push(item);
    match arm.put(&path, body).await? {
        Ok(pending) => arm.wait(pending).await,
        Err(refused) => {
            made.pop();
            Err(refused)
        }
    }
}

/// `$filter` text as a query value (the cluster name is checked: letters,
/// digits, '-' and '.').
fn query_value(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The cluster id a resource Azure listed carries.
fn cluster_id_of(resource: &Value) -> Option<ClusterId> {
    resource["tags"][ID_TAG]
        .as_str()
        .and_then(|id| ClusterId::try_from(id).ok())
}

pub(crate) async fn resources(d: &AzureDriver, cluster: &ClusterName) -> Result<Vec<Found>> {
    let (s, arm) = signed_in(d).await?;
    let sub = s.subscription()?;
    let mut groups = vec![s.options.resource_group.as_str()];
    if !s
        .options
        .vnet_group
        .as_str()
        .eq_ignore_ascii_case(groups[0])
    {
        groups.push(s.options.vnet_group.as_str());
    }
    let filter = query_value(&format!(
        "tagName eq '{NAME_TAG}' and tagValue eq '{cluster}'"
    ));
    let mut all = Vec::new();
    for name in groups {
        let group = format!("/subscriptions/{sub}/resourceGroups/{name}");
        let Some(found_group) = arm.get(&versioned(&group, RESOURCES_API)).await? else {
            continue;
        };
        let listed = arm
            .list(&format!(
                "{group}/resources?$filter={filter}&api-version={RESOURCES_API}"
            ))
            .await?;
        for item in &listed {
            let (Some(id), Some(item_name)) = (item["id"].as_str(), item["name"].as_str()) else {
                continue;
            };
            if item["tags"][NAME_TAG] == cluster.as_str() {
                all.push(found(id.to_string(), item_name, cluster_id_of(item)));
            }
        }
        if found_group["tags"][NAME_TAG] == cluster.as_str() {
            all.push(found(group, name, cluster_id_of(&found_group)));
        }
    }
    Ok(all)
}

pub(crate) async fn remove(d: &AzureDriver, items: &[Found]) -> Result<RemoveReport> {
    let (_, arm) = signed_in(d).await?;
    Ok(remove_found(&arm, items).await)
}

/// Delete in order (nodes, then what they shared, then empty groups);
/// stop at the first that fails (what follows may depend on it).
async fn remove_found(arm: &Arm, items: &[Found]) -> RemoveReport {
    let mut report = RemoveReport::default();
    let mut ordered: Vec<(usize, &'static str, &Found)> = Vec::new();
    for item in items {
        match kind_of(&item.id) {
            Some((rank, _, api)) => ordered.push((rank, api, item)),
            None => report.left.push(format!(
                "{} (machinectl does not delete this type; remove it in the portal)",
                item.describe()
            )),
        }
    }
    ordered.sort_by_key(|(rank, _, _)| *rank);
    let mut deleted: Vec<String> = Vec::new();
    for (rank, api, item) in ordered {
        if rank == KINDS.len() {
            remove_group(arm, &mut report, &item.id, &item.name, &deleted).await;
            continue;
        }
        let path = versioned(&item.id, api);
        match delete(arm, &mut report, item.describe(), path).await {
            Outcome::Gone => deleted.extend(gone_with(&item.id)),
            Outcome::Kept => report
                .left
                .push(format!("{} (still in use)", item.describe())),
            Outcome::Failed => return report,
        }
    }
    report
}

/// Ids gone with a deleted one (a VM takes its OS disk along).
fn gone_with(id: &str) -> Vec<String> {
    let mut ids = vec![id.to_string()];
    if let Some((group, vm)) = id.split_once("/providers/Microsoft.Compute/virtualMachines/") {
        ids.push(format!(
            "{group}/providers/Microsoft.Compute/disks/{vm}-os-disk"
        ));
    }
    ids
}

/// go-discover's string: the NICs carry the cluster-id tag. Values holding
/// go-discover's separators (space, quote, backslash) give none.
pub(crate) fn auto_join(d: &AzureDriver, cluster: &Cluster) -> Option<Secret> {
    let Credentials::ServicePrincipal {
        tenant_id,
        client_id,
        client_secret,
    } = &d.credentials
    else {
        return None;
    };
    let subscription = d.subscription_id.as_ref()?;
    let secret = client_secret.expose();
    if secret.contains(|c: char| c.is_whitespace() || c == '"' || c == '\\') {
        return None;
    }
    Some(Secret::new(format!(
        "provider=azure tag_name={ID_TAG} tag_value={} tenant_id={tenant_id} client_id={client_id} subscription_id={subscription} secret_access_key={secret}",
        cluster.id
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use machinectl_driver_api::cluster::ClusterNode;
    use machinectl_driver_api::{DriverFlags, PortRange, Protocol};

    #[derive(Parser)]
    struct Flags {
        #[command(flatten)]
        azure: crate::AzureFlags,
    }

    const SUB: &str = "00000000-1111-2222-3333-444444444444";
    const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    const CLIENT: &str = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

    fn driver(extra: &[&str]) -> AzureDriver {
        let mut args = vec![
            "t",
            "--azure-subscription-id",
            SUB,
            "--azure-tenant-id",
            TENANT,
        ];
        args.extend_from_slice(&[
            "--azure-client-id",
            CLIENT,
            "--azure-client-secret",
            "s3c~r.t",
        ]);
        args.extend_from_slice(extra);
        Flags::parse_from(args).azure.build("web", 2376).unwrap()
    }

    fn cluster() -> Cluster {
        Cluster {
            name: ClusterName::try_from("web").unwrap(),
            id: ClusterId::try_from("00ff").unwrap(),
            peer_ports: vec![PortRange {
                protocol: Protocol::Udp,
                from: 7946,
                to: 7947,
            }],
            public_ports: vec![PortRange::one(Protocol::Tcp, 8501)],
        }
    }

    #[test]
    fn the_auto_join_string_is_go_discovers() {
        let d = driver(&[]);
        let join = auto_join(&d, &cluster()).unwrap();
        assert_eq!(
            join.expose(),
            format!(
                "provider=azure tag_name=machinectl:cluster-id tag_value=00ff tenant_id={TENANT} client_id={CLIENT} subscription_id={SUB} secret_access_key=s3c~r.t"
            )
        );
        let mut spaced = d.clone();
        if let Credentials::ServicePrincipal { client_secret, .. } = &mut spaced.credentials {
            *client_secret = Secret::new("a b");
        }
        assert!(
            auto_join(&spaced, &cluster()).is_none(),
            "a space would split it"
        );
        let mut cli = d.clone();
        cli.credentials = Credentials::AzureCli;
        assert!(auto_join(&cli, &cluster()).is_none(), "no secret to give");
    }

    #[test]
    fn a_nodes_custom_data_is_its_roles_and_checked_first() {
        let d = driver(&[]);
        let node = |data: usize| ClusterNode {
            cluster: cluster(),
            role: "manager".into(),
            user_data: Some("a".repeat(data)),
        };
        let (mark, data) = crate::node_of(&d, &node(65535)).unwrap();
        assert_eq!(data.unwrap().len(), 65535);
        assert_eq!(mark.role.unwrap().as_str(), "manager");
        let e = crate::node_of(&d, &node(65536)).unwrap_err().to_string();
        assert!(
            e.contains("65536 bytes") && e.contains("at most 64 KB"),
            "{e}"
        );
        let file = std::env::temp_dir().join(format!("mctl-az-node-{}", std::process::id()));
        std::fs::write(&file, "#cloud-config\n").unwrap();
        let given = driver(&["--azure-custom-data", file.to_str().unwrap()]);
        std::fs::remove_file(&file).unwrap();
        let e = crate::node_of(&given, &node(1)).unwrap_err().to_string();
        assert!(e.contains("--azure-custom-data cannot be used"), "{e}");
    }

    #[test]
    fn the_cluster_nsg_opens_peer_ports_to_the_subnet_only() {
        let d = driver(&["--azure-allowed-cidr", "203.0.113.0/24"]);
        let body = shared(&d, &cluster()).cluster_nsg_body(&cluster());
        let rules = body["properties"]["securityRules"].as_array().unwrap();
        let peer = rules
            .iter()
            .find(|r| r["name"] == "PeerUdp7946-7947")
            .unwrap();
        assert_eq!(peer["properties"]["sourceAddressPrefix"], "192.168.0.0/16");
        assert_eq!(peer["properties"]["protocol"], "Udp");
        assert_eq!(peer["properties"]["destinationPortRange"], "7946-7947");
        let public = rules.iter().find(|r| r["name"] == "PublicTcp8501").unwrap();
        assert_eq!(
            public["properties"]["sourceAddressPrefix"],
            "203.0.113.0/24"
        );
        assert_eq!(body["tags"]["machinectl:cluster-id"], "00ff");
        assert!(
            body["tags"].get("machinectl:machine").is_none(),
            "shared: no machine"
        );
    }

    #[test]
    fn ids_are_removed_nodes_first_and_groups_last() {
        let group = "/subscriptions/s/resourceGroups/g";
        let net = format!("{group}/providers/Microsoft.Network");
        let order = |id: &str| kind_of(id).map(|(rank, _, _)| rank);
        let vm = format!("{group}/providers/Microsoft.Compute/virtualMachines/a");
        let nic = format!("{net}/networkInterfaces/a-nic");
        let nsg = format!("{net}/networkSecurityGroups/c-firewall");
        let subnet = format!("{net}/virtualNetworks/v/subnets/s");
        let vnet = format!("{net}/virtualNetworks/v");
        let ranks: Vec<_> = [&vm, &nic, &nsg, &subnet, &vnet, &group.to_string()]
            .iter()
            .map(|id| order(id).unwrap())
            .collect();
        assert!(ranks.windows(2).all(|w| w[0] < w[1]), "{ranks:?}");
        assert_eq!(
            order(&format!("{group}/providers/Microsoft.Web/sites/x")),
            None
        );
        assert_eq!(
            gone_with(&vm)[1],
            format!("{group}/providers/Microsoft.Compute/disks/a-os-disk")
        );
        assert_eq!(
            query_value("tagName eq 'machinectl:cluster'"),
            "tagName%20eq%20%27machinectl%3Acluster%27"
        );
    }
}
