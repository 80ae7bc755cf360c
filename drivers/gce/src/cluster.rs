//! Compute Engine's side of the cluster seam (drivers/api `cluster`).
//!
//! - A node's instance carries the labels `machinectl-cluster=NAME`
//!   (lowercased, '.' as '_': label values take nothing else) and
//!   `machinectl-cluster-id=ID`, and the network tag
//!   `machinectl-cluster-ID` beside `machinectl`; it boots with its role's
//!   user-data as metadata `user-data` (GCE's size limits checked before
//!   any call; `--gce-userdata` given as well is refused). Consul's roles
//!   also get the `compute.readonly` scope: their agents' cloud auto-join
//!   lists the project's instances with the instance's service account.
//! - `prepare_cluster` makes the cluster's firewall rules on its network
//!   tag before the nodes: `machinectl-cluster-ID` opens the
//!   orchestrator's peer ports from instances with the tag, and
//!   `machinectl-cluster-ID-public` its public ports from
//!   `--gce-allowed-cidr`. Two rules, because one rule with source tags
//!   and ranges admits either source to all its ports (the peer ports
//!   would be open to the allowed CIDR). Each rule's description names the
//!   cluster and its id (rules take no labels). SSH and the engine port
//!   stay on the machine rule `machinectl`.
//! - `cluster_resources` lists the project's instances by the cluster
//!   label (aggregated, page by page) and its `machinectl-cluster-*`
//!   rules whose description names the cluster; `remove_cluster_resources`
//!   sends every instance delete, waits on each operation, then deletes
//!   the rules, and the machine rule once no labelled instance is left; 404
//!   counts as gone.
//! - Consul's auto-join is exactly go-discover's `provider=gce
//!   project_name=P tag_value=machinectl-cluster-ID`.

use machinectl_driver_api::cluster::{
    Cluster, ClusterId, ClusterName, ClusterNode, Found, user_data_conflict,
};
use machinectl_driver_api::{DriverError, PortRange, RemoveReport, Result, Secret};
use reqwest::Method;
use serde_json::{Value, json};

use crate::api::{self, Answer, Api};
use crate::checked::{NetworkTag, Project, ResourceName, Zone};
use crate::{GceDriver, METADATA_VALUE_LIMIT};

/// The label naming a node's cluster, and the one naming the up that made it.
pub const CLUSTER_LABEL: &str = "machinectl-cluster";
pub const CLUSTER_ID_LABEL: &str = "machinectl-cluster-id";
/// Prefix of the cluster's network tag and its firewall rules.
const PREFIX: &str = "machinectl-cluster-";
const INSTANCE: &str = "instance";
const RULE: &str = "firewall rule";
/// Consul's roles: their agents join by cloud auto-join.
const AUTO_JOIN_ROLES: [&str; 2] = ["server", "client"];
/// The scope go-discover's gce provider lists instances with.
pub const AUTO_JOIN_SCOPE: &str = "compute.readonly";

/// The label value naming a cluster: lowercased, '.' as '_'.
pub fn label_value(name: &ClusterName) -> String {
    name.as_str().to_ascii_lowercase().replace('.', "_")
}

/// The network tag every node of one up of a cluster carries.
pub fn network_tag(id: &ClusterId) -> NetworkTag {
    NetworkTag::try_from(format!("{PREFIX}{id}")).expect("hex after a name is a network tag")
}

/// The cluster's rules: the peer rule, and the public one.
fn rule_names(id: &ClusterId) -> [ResourceName; 2] {
    let peer = format!("{PREFIX}{id}");
    let public = format!("{peer}-public");
    [peer, public].map(|n| ResourceName::try_from(n).expect("hex after a name is a name"))
}

/// `machinectl:cluster=NAME machinectl:cluster-id=ID: WHAT`, how a rule names its cluster.
fn description(cluster: &Cluster, what: &str) -> String {
    format!(
        "machinectl:cluster={} machinectl:cluster-id={}: {what}",
        cluster.name, cluster.id
    )
}

/// The cluster name and id a rule's description names.
fn described(rule: &Value) -> Option<(String, Option<ClusterId>)> {
    let text = rule["description"].as_str()?;
    let (head, _) = text.split_once(": ")?;
    let mut name = None;
    let mut id = None;
    for word in head.split_whitespace() {
        if let Some(n) = word.strip_prefix("machinectl:cluster=") {
            name = Some(n.to_string());
        } else if let Some(i) = word.strip_prefix("machinectl:cluster-id=") {
            id = ClusterId::try_from(i).ok();
        }
    }
    Some((name?, id))
}

/// A rule's `allowed` entries: one per protocol, its ports.
fn allowed(ranges: &[PortRange]) -> Vec<Value> {
    let mut by_protocol: Vec<(&str, Vec<String>)> = Vec::new();
    for r in ranges {
        let protocol = r.protocol.as_str();
        match by_protocol.iter_mut().find(|(p, _)| *p == protocol) {
            Some((_, ports)) => ports.push(r.ports()),
            None => by_protocol.push((protocol, vec![r.ports()])),
        }
    }
    by_protocol
        .into_iter()
        .map(|(p, ports)| json!({"IPProtocol": p, "ports": ports}))
        .collect()
}

/// The cluster's rules as firewalls.insert bodies (the public one only
/// when the orchestrator has public ports).
pub fn rules(d: &GceDriver, project: &Project, cluster: &Cluster) -> Vec<Value> {
    let [peer, public] = rule_names(&cluster.id);
    let tag = network_tag(&cluster.id);
    let network = format!("projects/{project}/global/networks/{}", d.options.network);
    let mut rules = vec![json!({
        "name": peer.as_str(),
        "description": description(cluster, "the orchestrator's ports between the cluster's nodes"),
        "network": network,
        "direction": "INGRESS",
        "allowed": allowed(&cluster.peer_ports),
        "sourceTags": [tag.as_str()],
        "targetTags": [tag.as_str()],
    })];
    if !cluster.public_ports.is_empty() {
        let ranges: Vec<&str> = d.options.allowed.iter().map(|c| c.as_str()).collect();
        rules.push(json!({
            "name": public.as_str(),
            "description": description(cluster, "the orchestrator's public ports"),
            "network": network,
            "direction": "INGRESS",
            "allowed": allowed(&cluster.public_ports),
            "sourceRanges": ranges,
            "targetTags": [tag.as_str()],
        }));
    }
    rules
}

/// `--gce-userdata` cannot boot a cluster's nodes: each gets its role's.
pub fn refuse_user_data_flag(d: &GceDriver) -> Result<()> {
    if d.options.user_data.is_some() || d.user_data.is_some() {
        return Err(user_data_conflict("--gce-userdata"));
    }
    Ok(())
}

/// What a cluster's nodes cannot take, before anything is made: a
/// user-data flag, and more labels than an instance holds beside the
/// four machinectl sets on a node.
pub fn check(d: &GceDriver) -> Result<()> {
    refuse_user_data_flag(d)?;
    if d.options.labels.len() > 60 {
        return Err(DriverError::InvalidOption(
            "--gce-labels: an instance takes at most 64 labels, and machinectl sets 4 on a cluster's nodes: give at most 60".into(),
        ));
    }
    Ok(())
}

/// The user-data a create sends: the cluster node's (refused with
/// `--gce-userdata`, and over the value limit), else the flag's.
pub fn node_user_data(d: &GceDriver, node: &ClusterNode) -> Result<Option<String>> {
    refuse_user_data_flag(d)?;
    if let Some(data) = &node.user_data
        && data.len() > METADATA_VALUE_LIMIT
    {
        return Err(DriverError::InvalidOption(format!(
            "the {} nodes' user-data is {} bytes: a Compute Engine metadata value takes at most 256 KiB ({METADATA_VALUE_LIMIT} bytes); see `clusterctl render`",
            node.role,
            data.len()
        )));
    }
    Ok(node.user_data.clone())
}

/// The scopes a node's instance gets: Consul's roles add the read-only compute scope.
pub fn needs_auto_join_scope(node: &ClusterNode) -> bool {
    AUTO_JOIN_ROLES.contains(&node.role.as_str())
}

/// go-discover's gce string; none while the project is unknown (metadata credentials).
pub fn auto_join(d: &GceDriver, cluster: &Cluster) -> Option<Secret> {
    let project = d.options.project.as_ref()?;
    Some(Secret::new(format!(
        "provider=gce project_name={project} tag_value={}",
        network_tag(&cluster.id)
    )))
}

/// An instance of a list as found: `ZONE/NAME`, with its cluster id.
fn found_instance(i: &Value) -> Option<Found> {
    let name = ResourceName::try_from(i["name"].as_str()?).ok()?;
    let zone = Zone::try_from(i["zone"].as_str()?.rsplit('/').next()?).ok()?;
    Some(Found {
        kind: INSTANCE.into(),
        id: format!("{zone}/{name}"),
        name: name.to_string(),
        cluster_id: i["labels"][CLUSTER_ID_LABEL]
            .as_str()
            .and_then(|id| ClusterId::try_from(id).ok()),
    })
}

/// The zone and name of an instance found.
fn instance_of(found: &Found) -> Result<(Zone, ResourceName)> {
    let bad = || DriverError::Other(format!("{} is not a ZONE/NAME of an instance", found.id));
    let (zone, name) = found.id.split_once('/').ok_or_else(bad)?;
    Ok((
        Zone::try_from(zone).map_err(|_| bad())?,
        ResourceName::try_from(name).map_err(|_| bad())?,
    ))
}

impl GceDriver {
    /// The project (resolved from the credentials when no flag named it) and an API.
    async fn cluster_api(&self) -> Result<(Api, Project)> {
        let api = self.api()?;
        let mut me = self.clone();
        me.resolve_project(&api).await?;
        let project = me.project()?.clone();
        Ok((api, project))
    }

    /// The cluster's rules, made before its nodes; one made and then a
    /// refusal: the one made is deleted again, so a failure leaves none.
    pub(crate) async fn make_cluster_rules(&self, cluster: &Cluster) -> Result<Vec<Found>> {
        refuse_user_data_flag(self)?;
        let (api, project) = self.cluster_api().await?;
        let insert = format!("projects/{project}/global/firewalls");
        let mut made: Vec<Found> = Vec::new();
        for rule in rules(self, &project, cluster) {
            let name = rule["name"].as_str().unwrap_or_default().to_string();
            if let Err(e) = api.insert(&insert, rule).await {
                let mut report = RemoveReport::default();
                for f in &made {
                    delete_rule(&api, &project, &rule_name(f)?, &mut report).await;
                }
                return Err(e);
            }
            made.push(Found {
                kind: RULE.into(),
                id: name.clone(),
                name,
                cluster_id: Some(cluster.id.clone()),
            });
        }
        Ok(made)
    }

    /// Instances with the cluster's label and rules naming it, in the project.
    pub(crate) async fn find_cluster(&self, cluster: &ClusterName) -> Result<Vec<Found>> {
        let (api, project) = self.cluster_api().await?;
        let by_label = format!("labels.{CLUSTER_LABEL}={}", label_value(cluster));
        let instances = api
            .aggregated(
                &format!("projects/{project}/aggregated/instances"),
                &api::encode("", &[("filter", &by_label)]),
            )
            .await?;
        let mut found: Vec<Found> = instances.iter().filter_map(found_instance).collect();
        let by_name = format!("name eq {PREFIX}.*");
        let rules = api
            .list(
                &format!("projects/{project}/global/firewalls"),
                &api::encode("", &[("filter", &by_name)]),
            )
            .await?;
        for rule in &rules {
            let (Some((name, id)), Some(rule_name)) = (described(rule), rule["name"].as_str())
            else {
                continue;
            };
            if name == cluster.as_str()
                && let Ok(rule_name) = ResourceName::try_from(rule_name)
            {
                found.push(Found {
                    kind: RULE.into(),
                    id: rule_name.to_string(),
                    name: rule_name.to_string(),
                    cluster_id: id,
                });
            }
        }
        Ok(found)
    }

    /// Nodes first (every delete sent, then each operation waited on),
    /// then the cluster's rules, then the machine rule once unused.
    pub(crate) async fn remove_cluster(&self, found: &[Found]) -> Result<RemoveReport> {
        let (api, project) = self.cluster_api().await?;
        let mut report = RemoveReport::default();
        let mut pending = Vec::new();
        for f in found.iter().filter(|f| f.kind == INSTANCE) {
            let (zone, name) = match instance_of(f) {
                Ok(found) => found,
                Err(e) => {
                    report.left.push(e.to_string());
                    continue;
                }
            };
            let path = format!("projects/{project}/zones/{zone}/instances/{name}");
            match api.send(Method::DELETE, &path, None).await {
                Ok(Answer::Found(op)) => pending.push((name, op)),
                Ok(Answer::NotFound) => report
                    .removed
                    .push(format!("instance {name} (already gone)")),
                Err(e) => report.left.push(format!("instance {name} ({e})")),
            }
        }
        let had_instances = !pending.is_empty();
        for (name, op) in pending {
            match api.wait(&op).await {
                Ok(_) => report
                    .removed
                    .push(format!("instance {name} and its boot disk")),
                Err(e) => report.left.push(format!("instance {name} ({e})")),
            }
        }
        if !report.left.is_empty() {
            // The rules still serve the nodes left: kept for the next down.
            return Ok(report);
        }
        for f in found.iter().filter(|f| f.kind == RULE) {
            match rule_name(f) {
                Ok(name) => delete_rule(&api, &project, &name, &mut report).await,
                Err(e) => report.left.push(e.to_string()),
            }
        }
        if had_instances {
            let mut me = self.clone();
            me.options.project = Some(project);
            me.resources.instance = None;
            me.resources.firewall = Some(me.firewall_name());
            me.remove_firewall(&api, &mut report).await;
        }
        Ok(report)
    }
}

/// Delete one rule and wait on it (404: already gone).
pub(crate) async fn delete_rule(
    api: &Api,
    project: &Project,
    name: &ResourceName,
    report: &mut RemoveReport,
) {
    let path = format!("projects/{project}/global/firewalls/{name}");
    match api.mutate(Method::DELETE, &path, None).await {
        Ok(Answer::Found(_)) => report.removed.push(format!("firewall rule {name}")),
        Ok(Answer::NotFound) => report
            .removed
            .push(format!("firewall rule {name} (already gone)")),
        Err(e) => report.left.push(format!("firewall rule {name} ({e})")),
    }
}

/// A found rule's name, checked (it came from a record or a list).
fn rule_name(found: &Found) -> Result<ResourceName> {
    ResourceName::try_from(found.id.as_str())
        .map_err(|_| DriverError::Other(format!("{:?} is not a firewall rule's name", found.id)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use machinectl_driver_api::Protocol;

    fn cluster(name: &str) -> Cluster {
        Cluster {
            name: ClusterName::try_from(name).unwrap(),
            id: ClusterId::try_from("00c0ffee0042").unwrap(),
            peer_ports: vec![
                PortRange::one(Protocol::Tcp, 2377),
                PortRange {
                    protocol: Protocol::Udp,
                    from: 7946,
                    to: 7947,
                },
                PortRange::one(Protocol::Tcp, 7946),
            ],
            public_ports: vec![],
        }
    }

    #[test]
    fn names_tags_and_descriptions() {
        let c = cluster("Web.prod");
        assert_eq!(label_value(&c.name), "web_prod");
        assert_eq!(
            network_tag(&c.id).as_str(),
            "machinectl-cluster-00c0ffee0042"
        );
        let rule = json!({"description": description(&c, "x: y")});
        assert_eq!(
            described(&rule),
            Some(("Web.prod".into(), Some(c.id.clone())))
        );
        assert_eq!(described(&json!({"description": "someone else's"})), None);
        assert_eq!(
            allowed(&c.peer_ports),
            vec![
                json!({"IPProtocol": "tcp", "ports": ["2377", "7946"]}),
                json!({"IPProtocol": "udp", "ports": ["7946-7947"]}),
            ]
        );
        let found = found_instance(&json!({"name": "web-prod-manager-0",
            "zone": "https://x/compute/v1/projects/p/zones/us-central1-a",
            "labels": {CLUSTER_ID_LABEL: "00c0ffee0042"}}))
        .unwrap();
        assert_eq!(found.id, "us-central1-a/web-prod-manager-0");
        assert_eq!(found.cluster_id, Some(c.id.clone()));
        let (zone, name) = instance_of(&found).unwrap();
        assert_eq!(
            (zone.as_str(), name.as_str()),
            ("us-central1-a", "web-prod-manager-0")
        );
        let bad = Found {
            id: "us-central1-a/../x".into(),
            ..found
        };
        assert!(instance_of(&bad).is_err());
    }

    /// A driver as a record holds it, with `project` (none: not resolved yet).
    fn driver(project: Option<&str>) -> GceDriver {
        let mut options = json!({
            "zone": "us-central1-a", "machine_type": "e2-small",
            "image": "ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64",
            "disk_size": 20, "disk_type": "pd-balanced", "network": "default",
            "use_internal_ip": false, "use_internal_ip_only": false, "preemptible": false,
            "spot": false, "username": "docker-user", "scopes": ["logging.write"],
            "service_account": "default", "allowed": ["198.51.100.0/24"],
        });
        if let Some(p) = project {
            options["project"] = json!(p);
        }
        serde_json::from_value(json!({
            "endpoint": crate::DEFAULT_ENDPOINT, "credentials": "metadata",
            "machine": "web", "engine_port": 2376, "options": options,
        }))
        .unwrap()
    }

    #[test]
    fn auto_join_rules_and_user_data() {
        let mut c = cluster("web");
        let d = driver(Some("my-project-1"));
        let join = auto_join(&d, &c).unwrap();
        assert_eq!(
            join.expose(),
            "provider=gce project_name=my-project-1 tag_value=machinectl-cluster-00c0ffee0042"
        );
        assert!(auto_join(&driver(None), &c).is_none());
        let project = Project::try_from("my-project-1").unwrap();
        assert_eq!(
            rules(&d, &project, &c).len(),
            1,
            "no public ports: one rule"
        );
        c.public_ports = vec![PortRange::one(Protocol::Tcp, 8501)];
        let [peer, public] = <[Value; 2]>::try_from(rules(&d, &project, &c)).unwrap();
        assert_eq!(
            peer["sourceTags"],
            json!(["machinectl-cluster-00c0ffee0042"])
        );
        assert!(peer.get("sourceRanges").is_none());
        assert_eq!(public["name"], "machinectl-cluster-00c0ffee0042-public");
        assert_eq!(public["sourceRanges"], json!(["198.51.100.0/24"]));
        assert!(public.get("sourceTags").is_none());
        let node = |data: &str| ClusterNode {
            cluster: c.clone(),
            role: "server".into(),
            user_data: Some(data.to_string()),
        };
        assert!(needs_auto_join_scope(&node("")));
        let big = "a".repeat(METADATA_VALUE_LIMIT + 1);
        let e = node_user_data(&d, &node(&big)).unwrap_err().to_string();
        assert!(e.contains("at most 256 KiB"), "{e}");
        let mut given = d.clone();
        given.options.user_data = Some("/u.yaml".into());
        let e = node_user_data(&given, &node("#cloud-config"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("--gce-userdata cannot be used"), "{e}");
        assert!(check(&given).is_err() && check(&d).is_ok());
        let mut labelled = d.clone();
        labelled.options.labels = (0..61)
            .map(|i| crate::checked::Label::try_from(format!("k{i}=v")).unwrap())
            .collect();
        let e = check(&labelled).unwrap_err().to_string();
        assert!(e.contains("at most 60"), "{e}");
    }
}
