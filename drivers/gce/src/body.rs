//! The request bodies the driver sends: an `Instance` for instances.insert
//! and a `Firewall` for firewalls.insert/patch, in the discovery document's
//! field names and types (int64 as a JSON string), built only from checked
//! values.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use machinectl_driver_api::ClusterNode;

use crate::checked::{Project, Scope};
use crate::cluster::{self, CLUSTER_ID_LABEL, CLUSTER_LABEL};
use crate::{GceDriver, MACHINE_LABEL, MANAGED_LABEL, NETWORK_TAG};

fn network_path(d: &GceDriver, project: &Project) -> String {
    format!("projects/{project}/global/networks/{}", d.options.network)
}

/// The rule that opens SSH and the engine port to instances with the tag.
pub fn firewall(d: &GceDriver, project: &Project) -> Value {
    let ranges: Vec<&str> = d.options.allowed.iter().map(|c| c.as_str()).collect();
    json!({
        "name": d.firewall_name().as_str(),
        "description": "machinectl: SSH and the Docker engine's TLS port for machinectl's instances",
        "network": network_path(d, project),
        "direction": "INGRESS",
        "allowed": [{"IPProtocol": "tcp", "ports": ["22", d.engine_port.to_string()]}],
        "sourceRanges": ranges,
        "targetTags": [NETWORK_TAG],
    })
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

/// The TCP ports an existing rule opens.
fn tcp_ports(rule: &Value) -> BTreeSet<String> {
    rule["allowed"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|a| a["IPProtocol"] == "tcp")
        .flat_map(|a| strings(&a["ports"]))
        .collect()
}

/// A patch that widens `existing` to open what `wanted` opens; none when it does already.
pub fn widened_firewall(existing: &Value, wanted: &Value) -> Option<Value> {
    let have_ports = tcp_ports(existing);
    let want_ports = tcp_ports(wanted);
    let have_ranges = strings(&existing["sourceRanges"]);
    let want_ranges = strings(&wanted["sourceRanges"]);
    let have_tags = strings(&existing["targetTags"]);
    let want_tags = strings(&wanted["targetTags"]);
    if want_ports.is_subset(&have_ports)
        && want_ranges.is_subset(&have_ranges)
        && want_tags.is_subset(&have_tags)
    {
        return None;
    }
    let mut allowed: Vec<Value> = existing["allowed"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|a| a["IPProtocol"] != "tcp")
        .collect();
    let ports: Vec<String> = have_ports.union(&want_ports).cloned().collect();
    allowed.push(json!({"IPProtocol": "tcp", "ports": ports}));
    let ranges: Vec<String> = have_ranges.union(&want_ranges).cloned().collect();
    let tags: Vec<String> = have_tags.union(&want_tags).cloned().collect();
    // The document requires the rule's name in a patch.
    Some(
        json!({"name": wanted["name"], "allowed": allowed, "sourceRanges": ranges, "targetTags": tags}),
    )
}

fn scheduling(d: &GceDriver) -> Value {
    if d.options.spot {
        json!({"provisioningModel": "SPOT", "instanceTerminationAction": "STOP",
               "automaticRestart": false, "onHostMaintenance": "TERMINATE"})
    } else if d.options.preemptible {
        json!({"preemptible": true, "automaticRestart": false, "onHostMaintenance": "TERMINATE"})
    } else {
        json!({"automaticRestart": true, "onHostMaintenance": "MIGRATE"})
    }
}

fn labels(d: &GceDriver, name: &str, node: Option<&ClusterNode>) -> Value {
    let mut labels = Map::new();
    for l in &d.options.labels {
        labels.insert(l.key().to_string(), json!(l.value()));
    }
    labels.insert(MANAGED_LABEL.into(), json!("true"));
    labels.insert(MACHINE_LABEL.into(), json!(name));
    if let Some(node) = node {
        let c = &node.cluster;
        labels.insert(CLUSTER_LABEL.into(), json!(cluster::label_value(&c.name)));
        labels.insert(CLUSTER_ID_LABEL.into(), json!(c.id.as_str()));
    }
    Value::Object(labels)
}

/// `machinectl`, a cluster node's cluster tag, then the user's.
fn network_tags(d: &GceDriver, node: Option<&ClusterNode>) -> Vec<String> {
    let mut tags = vec![NETWORK_TAG.to_string()];
    if let Some(node) = node {
        tags.push(cluster::network_tag(&node.cluster.id).to_string());
    }
    for t in &d.options.tags {
        if !tags.iter().any(|have| have == t.as_str()) {
            tags.push(t.to_string());
        }
    }
    tags
}

/// The scopes' URLs; Consul's nodes add the one their auto-join lists instances with.
fn scopes(d: &GceDriver, node: Option<&ClusterNode>) -> Vec<String> {
    let mut scopes: Vec<String> = d.options.scopes.iter().map(|s| s.url()).collect();
    if node.is_some_and(cluster::needs_auto_join_scope) {
        let url = Scope::try_from(cluster::AUTO_JOIN_SCOPE)
            .expect("a scope name")
            .url();
        if !scopes.contains(&url) {
            scopes.push(url);
        }
    }
    scopes
}

fn network_interface(d: &GceDriver, project: &Project) -> Value {
    let mut nic = json!({"network": network_path(d, project)});
    if let Some(sub) = &d.options.subnetwork {
        nic["subnetwork"] = json!(format!(
            "projects/{project}/regions/{}/subnetworks/{sub}",
            d.options.zone.region()
        ));
    }
    if !d.options.use_internal_ip_only {
        nic["accessConfigs"] = json!([{"name": "External NAT", "type": "ONE_TO_ONE_NAT"}]);
    }
    nic
}

/// What one instance insert is made of beyond the driver's options.
pub struct InstanceParts<'a> {
    pub image: &'a str,
    pub ssh_keys: &'a str,
    pub user_data: Option<&'a str>,
    pub node: Option<&'a ClusterNode>,
}

/// The instance to insert: its disk, network, tags, labels, metadata and account.
pub fn instance(d: &GceDriver, project: &Project, parts: InstanceParts<'_>) -> Value {
    let InstanceParts {
        image,
        ssh_keys,
        user_data,
        node,
    } = parts;
    let zone = format!("projects/{project}/zones/{}", d.options.zone);
    let name = d
        .resources
        .instance
        .as_ref()
        .map(|n| n.as_str())
        .unwrap_or_default();
    let tags = network_tags(d, node);
    let mut items = vec![json!({"key": "ssh-keys", "value": ssh_keys})];
    if let Some(data) = user_data {
        items.push(json!({"key": "user-data", "value": data}));
    }
    let scopes = scopes(d, node);
    json!({
        "name": name,
        "description": format!("machinectl machine {}", d.machine),
        "machineType": format!("{zone}/machineTypes/{}", d.options.machine_type),
        "disks": [{
            "boot": true,
            "autoDelete": true,
            "type": "PERSISTENT",
            "initializeParams": {
                "diskName": name,
                "sourceImage": image,
                "diskSizeGb": d.options.disk_size.to_string(),
                "diskType": format!("{zone}/diskTypes/{}", d.options.disk_type),
            },
        }],
        "networkInterfaces": [network_interface(d, project)],
        "tags": {"items": tags},
        "labels": labels(d, name, node),
        "metadata": {"items": items},
        "serviceAccounts": [{"email": d.options.service_account.as_str(), "scopes": scopes}],
        "scheduling": scheduling(d),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_that_opens_less_is_widened_and_one_that_opens_enough_is_kept() {
        let wanted = json!({"allowed": [{"IPProtocol": "tcp", "ports": ["22", "2376"]}],
                            "sourceRanges": ["0.0.0.0/0"], "targetTags": ["machinectl"]});
        assert!(widened_firewall(&wanted, &wanted).is_none());
        let narrow = json!({"allowed": [{"IPProtocol": "tcp", "ports": ["22"]}, {"IPProtocol": "icmp"}],
                            "sourceRanges": ["10.0.0.0/8"], "targetTags": ["machinectl"]});
        let patch = widened_firewall(&narrow, &wanted).unwrap();
        assert_eq!(patch["sourceRanges"], json!(["0.0.0.0/0", "10.0.0.0/8"]));
        assert_eq!(patch["allowed"][0]["IPProtocol"], "icmp");
        assert_eq!(patch["allowed"][1]["ports"], json!(["22", "2376"]));
    }
}
