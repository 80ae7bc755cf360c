//! DigitalOcean's side of the cluster seam (drivers/api `cluster`).
//!
//! - A node's droplet carries `machinectl`, its machine tag and the
//!   cluster's plain tags (`machinectl-cluster-NAME`,
//!   `machinectl:cluster-id:ID`) instead of a machine firewall's tag; its
//!   SSH key is named `machinectl-MACHINE machinectl:cluster-id:ID` (keys
//!   have no tags), and it boots with its role's user-data.
//! - The cluster's one Cloud Firewall, `machinectl-cluster-NAME-ID`, made
//!   once before the nodes (with both tags, which a firewall may only name
//!   once they exist), applies to the id tag: SSH, the engine port and the
//!   orchestrator's public ports from `--digitalocean-allowed-cidr`, its
//!   peer ports from droplets of the id tag, all outbound.
//! - `down` without local state finds droplets by the name tag (their id
//!   tag says which up), firewalls and keys by their names, and removes
//!   droplets (and their machine tags), keys, firewalls, then the id tag
//!   and the name tag once no droplet carries it; 404 counts as gone.
//! - Consul's auto-join is go-discover's `provider=digitalocean region=…
//!   tag_name=ID-TAG api_token=…` (private addresses); it holds the token,
//!   so clusterctl delivers it over SSH only.

use machinectl_driver_api::cluster::{
    Cluster, ClusterId, ClusterName, Found, plain_id_tag, plain_name_tag,
};
use machinectl_driver_api::{DriverError, RemoveReport, Result, Secret};
use serde_json::{Value, json};

use crate::DigitalOceanDriver;
use crate::api::Api;

const DROPLET: &str = "droplet";
const KEY: &str = "SSH key";
const FIREWALL: &str = "firewall";
const TAG: &str = "tag";
const ID_TAG_PREFIX: &str = "machinectl:cluster-id:";

/// Roles a node's machine name carries (`CLUSTER-ROLE-INDEX`).
const ROLES: [&str; 8] = [
    "manager",
    "control-plane",
    "worker",
    "instance",
    "server",
    "client",
    "master",
    "agent",
];

/// The cluster firewall's name.
pub fn firewall_name(cluster: &ClusterName, id: &ClusterId) -> String {
    format!("machinectl-cluster-{cluster}-{id}")
}

/// The SSH key name of a cluster node.
pub fn key_name(machine: &str, id_tag: &str) -> String {
    format!("machinectl-{machine} {id_tag}")
}

/// A go-discover value, quoted when it holds a space, `\` or `"`.
fn discover_value(value: &str) -> String {
    if value.contains([' ', '\\', '"']) {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        value.to_string()
    }
}

/// Whether `machine` is a node name of `cluster` (`CLUSTER-ROLE-N`).
fn is_node_of(machine: &str, cluster: &ClusterName) -> bool {
    let Some(rest) = machine.strip_prefix(&format!("{cluster}-")) else {
        return false;
    };
    let Some((role, index)) = rest.rsplit_once('-') else {
        return false;
    };
    ROLES.contains(&role) && !index.is_empty() && index.bytes().all(|b| b.is_ascii_digit())
}

fn cluster_id_of(text: &str) -> Option<ClusterId> {
    ClusterId::try_from(text.strip_prefix(ID_TAG_PREFIX)?).ok()
}

impl DigitalOceanDriver {
    /// The firewall between the cluster's nodes, made once (with its tags).
    pub(crate) async fn make_cluster_firewall(&self, cluster: &Cluster) -> Result<Vec<Found>> {
        let api = self.api()?;
        let [name_tag, id_tag] = cluster.plain_tags();
        let mut found = Vec::new();
        for tag in [&name_tag, &id_tag] {
            api.post("/v2/tags", json!({ "name": tag })).await?;
            found.push(Found {
                kind: TAG.into(),
                id: tag.clone(),
                name: String::new(),
                cluster_id: Some(cluster.id.clone()),
            });
        }
        let name = firewall_name(&cluster.name, &cluster.id);
        let made = match api
            .post("/v2/firewalls", self.cluster_firewall_body(cluster, &name))
            .await
        {
            Ok(made) => made,
            Err(e) => {
                // Nothing is recorded yet: the tags made for it go again.
                let mut report = RemoveReport::default();
                self.remove_tags(&api, &found, &mut report).await;
                return Err(e);
            }
        };
        let id = made["firewall"]["id"].as_str().ok_or_else(|| {
            DriverError::Other("DigitalOcean made the cluster firewall without an id".into())
        })?;
        found.insert(
            0,
            Found {
                kind: FIREWALL.into(),
                id: id.to_string(),
                name,
                cluster_id: Some(cluster.id.clone()),
            },
        );
        Ok(found)
    }

    fn cluster_firewall_body(&self, cluster: &Cluster, name: &str) -> Value {
        let [_, id_tag] = cluster.plain_tags();
        let sources: Vec<&str> = self.options.allowed.iter().map(|c| c.as_str()).collect();
        let everywhere = ["0.0.0.0/0", "::/0"];
        let mut inbound = vec![
            json!({"protocol": "tcp", "ports": self.options.ssh_port.to_string(), "sources": {"addresses": sources}}),
            json!({"protocol": "tcp", "ports": self.engine_port.to_string(), "sources": {"addresses": sources}}),
        ];
        for range in &cluster.public_ports {
            inbound.push(json!({"protocol": range.protocol.as_str(), "ports": range.ports(), "sources": {"addresses": sources}}));
        }
        for range in &cluster.peer_ports {
            inbound.push(json!({"protocol": range.protocol.as_str(), "ports": range.ports(), "sources": {"tags": [id_tag]}}));
        }
        json!({
            "name": name,
            "inbound_rules": inbound,
            "outbound_rules": [
                {"protocol": "tcp", "ports": "0", "destinations": {"addresses": everywhere}},
                {"protocol": "udp", "ports": "0", "destinations": {"addresses": everywhere}},
                {"protocol": "icmp", "ports": "0", "destinations": {"addresses": everywhere}},
            ],
            "tags": [id_tag],
        })
    }

    /// Droplets by the name tag, firewalls and keys by their names.
    pub(crate) async fn find_cluster(&self, cluster: &ClusterName) -> Result<Vec<Found>> {
        let api = self.api()?;
        let name_tag = plain_name_tag(cluster);
        let mut found = Vec::new();
        for d in api
            .list(&format!("/v2/droplets?tag_name={name_tag}"), "droplets")
            .await?
        {
            let tags = d["tags"].as_array().cloned().unwrap_or_default();
            found.push(Found {
                kind: DROPLET.into(),
                id: d["id"].as_u64().unwrap_or_default().to_string(),
                name: d["name"].as_str().unwrap_or_default().to_string(),
                cluster_id: tags.iter().find_map(|t| cluster_id_of(t.as_str()?)),
            });
        }
        let prefix = format!("machinectl-cluster-{cluster}-");
        for f in api.list("/v2/firewalls", "firewalls").await? {
            let name = f["name"].as_str().unwrap_or_default();
            if let Some(id) = name
                .strip_prefix(&prefix)
                .and_then(|i| ClusterId::try_from(i).ok())
            {
                found.push(Found {
                    kind: FIREWALL.into(),
                    id: f["id"].as_str().unwrap_or_default().to_string(),
                    name: name.to_string(),
                    cluster_id: Some(id),
                });
            }
        }
        found.extend(self.find_keys(&api, cluster).await?);
        found.extend(tags_of(&found, &name_tag));
        Ok(found)
    }

    async fn find_keys(&self, api: &Api, cluster: &ClusterName) -> Result<Vec<Found>> {
        let mut found = Vec::new();
        for k in api.list("/v2/account/keys", "ssh_keys").await? {
            let name = k["name"].as_str().unwrap_or_default();
            let Some((machine, tag)) = name.split_once(' ') else {
                continue;
            };
            let machine = machine.strip_prefix("machinectl-").unwrap_or_default();
            if let (true, Some(id)) = (is_node_of(machine, cluster), cluster_id_of(tag)) {
                found.push(Found {
                    kind: KEY.into(),
                    id: k["id"].as_u64().unwrap_or_default().to_string(),
                    name: name.to_string(),
                    cluster_id: Some(id),
                });
            }
        }
        Ok(found)
    }

    /// Droplets (and their machine tags), keys, firewalls, then tags.
    pub(crate) async fn remove_cluster(&self, found: &[Found]) -> Result<RemoveReport> {
        let api = self.api()?;
        let mut report = RemoveReport::default();
        for f in found.iter().filter(|f| f.kind == DROPLET) {
            let deleted = api.delete(&format!("/v2/droplets/{}", f.id)).await;
            let kept = deleted.is_err();
            settle(&mut report, f.describe(), deleted);
            if !kept && !f.name.is_empty() {
                let tag = format!("machinectl:machine:{}", f.name.replace('.', "_"));
                let deleted = api.delete(&format!("/v2/tags/{tag}")).await;
                settle(&mut report, format!("tag {tag}"), deleted);
            }
        }
        for (kind, path) in [(KEY, "/v2/account/keys"), (FIREWALL, "/v2/firewalls")] {
            for f in found.iter().filter(|f| f.kind == kind) {
                let deleted = api.delete(&format!("{path}/{}", f.id)).await;
                settle(&mut report, f.describe(), deleted);
            }
        }
        if report.is_complete() {
            self.remove_tags(&api, found, &mut report).await;
        }
        Ok(report)
    }

    /// Id tags go; a name tag only once no droplet carries it (another up
    /// of the same name may).
    async fn remove_tags(&self, api: &Api, found: &[Found], report: &mut RemoveReport) {
        let mut tags: Vec<&str> = found
            .iter()
            .filter(|f| f.kind == TAG)
            .map(|f| f.id.as_str())
            .collect();
        tags.sort_unstable();
        tags.dedup();
        for tag in tags {
            if !tag.starts_with(ID_TAG_PREFIX) {
                match api
                    .list(&format!("/v2/droplets?tag_name={tag}"), "droplets")
                    .await
                {
                    Ok(left) if !left.is_empty() => continue,
                    Ok(_) => {}
                    Err(e) => {
                        report.left.push(format!("tag {tag} ({e})"));
                        continue;
                    }
                }
            }
            let deleted = api.delete(&format!("/v2/tags/{tag}")).await;
            settle(report, format!("tag {tag}"), deleted);
        }
    }

    /// go-discover's DigitalOcean string for the cluster (token included).
    pub(crate) fn auto_join(&self, cluster: &Cluster) -> Secret {
        Secret::new(format!(
            "provider=digitalocean region={} tag_name={} api_token={}",
            self.options.region.as_str(),
            plain_id_tag(&cluster.id),
            discover_value(self.token.expose())
        ))
    }
}

/// The cluster tags of what was found: each id's tag and the name tag.
fn tags_of(found: &[Found], name_tag: &str) -> Vec<Found> {
    let mut ids: Vec<&ClusterId> = found.iter().filter_map(|f| f.cluster_id.as_ref()).collect();
    ids.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
    ids.dedup();
    ids.into_iter()
        .flat_map(|id| {
            [plain_id_tag(id), name_tag.to_string()].map(|tag| Found {
                kind: TAG.into(),
                id: tag,
                name: String::new(),
                cluster_id: Some(id.clone()),
            })
        })
        .collect()
}

fn settle(report: &mut RemoveReport, what: String, deleted: Result<bool>) {
    match deleted {
        Ok(true) => report.removed.push(what),
        Ok(false) => report.removed.push(format!("{what} (already gone)")),
        Err(e) => report.left.push(format!("{what} ({e})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_names_and_key_names_are_told_apart() {
        let a = ClusterName::try_from("a").unwrap();
        assert!(is_node_of("a-manager-0", &a));
        assert!(is_node_of("a-control-plane-12", &a));
        assert!(!is_node_of("a-b-manager-0", &a), "cluster a-b's node");
        assert!(!is_node_of("a-manager-x", &a));
        assert_eq!(
            cluster_id_of("machinectl:cluster-id:00ff").map(String::from),
            Some("00ff".into())
        );
        assert!(cluster_id_of("machinectl:cluster-id:ZZ").is_none());
        assert_eq!(discover_value("abc"), "abc");
        assert_eq!(discover_value("a\"b c"), "\"a\\\"b c\"");
    }
}
