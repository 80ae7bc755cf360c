//! The cluster seam: what a cluster adds to a node a machine driver makes,
//! and how `clusterctl down` finds a cluster's resources with nothing but
//! the provider's credentials and location.
//!
//! clusterctl's machines provider makes every node of a cluster through
//! the same `create` as `machinectl create`; for a cluster node
//! [`crate::CreateContext::cluster`] is `Some`([`ClusterNode`]). A driver
//! that supports clusters implements, on its `Driver`:
//!
//! 1. `create` with a [`ClusterNode`]: tag or label everything it makes
//!    with the cluster's name and id in the provider's syntax
//!    ([`NAME_TAG`], [`ID_TAG`], [`MANAGED_TAG`] as keys where tags are
//!    key=value; DigitalOcean's plain tags: [`Cluster::plain_tags`]);
//!    boot the node with [`ClusterNode::user_data`] when
//!    `takes_user_data` is true (its own user-data flag is refused by
//!    `cluster_check` before anything is made, and again in `create`:
//!    [`user_data_conflict`]);
//!    and open [`Cluster::peer_ports`] between the cluster's nodes and
//!    [`Cluster::public_ports`] to the allowed sources in its firewall
//!    (DigitalOcean: one tag-based Cloud Firewall; GCE: a rule on a
//!    network tag; Azure: the NSG; VirtualBox: nothing, the host-only
//!    network is open).
//! 2. `takes_user_data` → true once it passes the user-data on; otherwise
//!    clusterctl writes the role's boot files and runs its scripts over
//!    SSH after the create.
//! 3. `prepare_cluster`: what all nodes share, made once before the nodes
//!    (DigitalOcean's cluster firewall); what it returns is kept in the
//!    cluster's record and handed back to `remove_cluster_resources`.
//! 4. `cluster_resources(name)`: everything the provider holds (where this
//!    driver's flags point) that carries the cluster's name, each with the
//!    cluster id it carries, so `down` works without local state and
//!    refuses when two clusters share a name.
//! 5. `remove_cluster_resources(found)`: delete those (404 is gone),
//!    nodes first, then what they shared.
//! 6. `cluster_auto_join(id)`: go-discover's string for Consul's cloud
//!    auto-join (credentials included: clusterctl delivers it over SSH as a
//!    0600 file, never in user-data).
//!
//! clusterctl keeps the driver built from `up`'s flags as the cluster's
//! template and makes each node's driver from it by setting the `machine`
//! field of its serialized form to the node's name: a driver of real
//! hosts names its machine there.
//!
//! The defaults make nothing shared, find nothing and refuse `down` by tag
//! with "not supported by the X driver".

use serde::{Deserialize, Serialize};

use crate::checked_string;

/// Tag (key) naming the cluster a resource belongs to.
pub const NAME_TAG: &str = "machinectl:cluster";
/// Tag (key) naming one `clusterctl up` of it: unique per up.
pub const ID_TAG: &str = "machinectl:cluster-id";
/// Tag (key) every resource machinectl made carries, value `true`.
pub const MANAGED_TAG: &str = "machinectl:managed";

fn check_cluster_name(value: &str) -> Result<(), String> {
    let valid = !value.is_empty()
        && value.len() <= 63
        && value.as_bytes()[0].is_ascii_alphanumeric()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if valid {
        Ok(())
    } else {
        Err(format!(
            "invalid cluster name {value:?}: use letters, digits, '-' and '.', starting with a letter or digit (at most 63)"
        ))
    }
}

fn check_cluster_id(value: &str) -> Result<(), String> {
    let valid = !value.is_empty()
        && value.len() <= 32
        && value
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if valid {
        Ok(())
    } else {
        Err(format!(
            "invalid cluster id {value:?}: a cluster id is lower-case hex digits, as `clusterctl down` lists them"
        ))
    }
}

checked_string!(
    /// A cluster's name: a machine name's characters (nodes are named after it).
    ClusterName,
    check_cluster_name
);

checked_string!(
    /// One `up` of a cluster: lower-case hex (12 digits as clusterctl makes them).
    ClusterId,
    check_cluster_id
);

/// The transport a port range is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Tcp,
    Udp,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
        }
    }
}

/// Ports `from..=to` of one protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PortRange {
    pub protocol: Protocol,
    pub from: u16,
    pub to: u16,
}

impl PortRange {
    pub fn one(protocol: Protocol, port: u16) -> PortRange {
        PortRange {
            protocol,
            from: port,
            to: port,
        }
    }

    /// `PORT` or `FROM-TO`, as most firewall APIs write a range.
    pub fn ports(&self) -> String {
        if self.from == self.to {
            self.from.to_string()
        } else {
            format!("{}-{}", self.from, self.to)
        }
    }
}

/// The cluster a node belongs to: what all its nodes share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    pub name: ClusterName,
    pub id: ClusterId,
    /// Ports the cluster's nodes open to each other (the orchestrator's).
    pub peer_ports: Vec<PortRange>,
    /// Ports open to the driver's allowed sources beyond SSH and the engine's.
    pub public_ports: Vec<PortRange>,
}

impl Cluster {
    /// The cluster's tags as key=value pairs (providers with key=value tags).
    pub fn tags(&self) -> Vec<(&'static str, String)> {
        vec![
            (NAME_TAG, self.name.to_string()),
            (ID_TAG, self.id.to_string()),
            (MANAGED_TAG, "true".to_string()),
        ]
    }

    /// The cluster's tags for providers whose tags are plain names
    /// (letters, digits, ':', '-', '_'): `machinectl-cluster-NAME` ('.'
    /// becomes '_', which names never hold) and `machinectl:cluster-id:ID`.
    pub fn plain_tags(&self) -> [String; 2] {
        [plain_name_tag(&self.name), plain_id_tag(&self.id)]
    }
}

/// The plain tag naming a cluster (see [`Cluster::plain_tags`]).
pub fn plain_name_tag(name: &ClusterName) -> String {
    format!("machinectl-cluster-{}", name.as_str().replace('.', "_"))
}

/// The plain tag naming one up of a cluster (see [`Cluster::plain_tags`]).
pub fn plain_id_tag(id: &ClusterId) -> String {
    format!("machinectl:cluster-id:{id}")
}

/// What a cluster adds to one node's create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterNode {
    pub cluster: Cluster,
    /// The node's role in the cluster ("manager", "worker", "server", …).
    pub role: String,
    /// The role's cloud-init user-data (public files and boot scripts;
    /// secrets go over SSH), for drivers that take user-data.
    pub user_data: Option<String>,
}

/// The one line a driver answers when its user-data flag is given for a
/// cluster node, whose user-data is the cluster's.
pub fn user_data_conflict(flag: &str) -> crate::DriverError {
    crate::DriverError::InvalidOption(format!(
        "{flag} cannot be used for a cluster's nodes: clusterctl boots each node with its role's cloud-init; drop {flag} (see `clusterctl render` for what the nodes get)"
    ))
}

/// One thing a provider holds that carries a cluster's tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    /// What it is, in words ("droplet", "firewall", "instance").
    pub kind: String,
    /// The provider's id of it.
    pub id: String,
    /// Its name, for the listing `down` shows.
    #[serde(default)]
    pub name: String,
    /// The cluster id it carries; none for resources made before ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<ClusterId>,
}

impl Found {
    /// `kind name (id)`, for listings.
    pub fn describe(&self) -> String {
        if self.name.is_empty() || self.name == self.id {
            format!("{} {}", self.kind, self.id)
        } else {
            format!("{} {} ({})", self.kind, self.name, self.id)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_ids_are_checked() {
        assert!(ClusterName::try_from("web.prod-1").is_ok());
        for bad in ["", "-a", "a b", "a;b", &"a".repeat(64)] {
            assert!(ClusterName::try_from(bad).is_err(), "{bad}");
        }
        assert!(ClusterId::try_from("0123456789ab").is_ok());
        for bad in ["", "ABC", "12 3", "xyz"] {
            assert!(ClusterId::try_from(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn plain_tags_are_plain() {
        let cluster = Cluster {
            name: ClusterName::try_from("web.prod").unwrap(),
            id: ClusterId::try_from("00ff").unwrap(),
            peer_ports: vec![],
            public_ports: vec![],
        };
        assert_eq!(
            cluster.plain_tags(),
            ["machinectl-cluster-web_prod", "machinectl:cluster-id:00ff"]
        );
        assert_eq!(
            PortRange {
                protocol: Protocol::Udp,
                from: 7946,
                to: 7947
            }
            .ports(),
            "7946-7947"
        );
        assert_eq!(PortRange::one(Protocol::Tcp, 2377).ports(), "2377");
    }
}
