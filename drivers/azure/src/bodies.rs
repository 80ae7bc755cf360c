//! The bodies of the PUTs create sends: each one the shape of its resource
//! type in Azure's published schemas (`../shared/specs/azure/`), which the
//! tests hold every body to, key by key. Every value in them is a checked
//! type or a fixed word. The same bodies are the resources of a cluster's
//! ARM template (`template`), their references (`*_with`) given there as
//! `resourceId()` expressions; a cluster's nodes and what they share carry
//! its tags, and its NSG the orchestrator's rules (`cluster_nsg_body`).

use base64::Engine;
use serde_json::{Map, Value, json};

use machinectl_driver_api::cluster::{ID_TAG, NAME_TAG};
use machinectl_driver_api::{Cluster, PortRange, Protocol};

use crate::{AzureDriver, MACHINE_TAG, MANAGED_TAG, Result};

/// The tag naming a cluster node's role.
pub const ROLE_TAG: &str = "machinectl:role";

/// A protocol as NSG rules spell it.
fn protocol_word(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Tcp => "Tcp",
        Protocol::Udp => "Udp",
    }
}

/// The first NSG rule's priority; later rules count up from it.
const FIRST_PRIORITY: u32 = 1000;

impl AzureDriver {
    /// Ours first (a cluster's name, id and a node's role included), then
    /// the user's (whose keys cannot start `machinectl:`). What a cluster's
    /// nodes share names no machine.
    pub(crate) fn tags(&self) -> Value {
        let mut tags = Map::new();
        tags.insert(MANAGED_TAG.into(), json!("true"));
        let shared = self.cluster.as_ref().is_some_and(|c| c.role.is_none());
        if !shared {
            tags.insert(MACHINE_TAG.into(), json!(self.machine.as_str()));
        }
        if let Some(cluster) = &self.cluster {
            tags.insert(NAME_TAG.into(), json!(cluster.name.as_str()));
            tags.insert(ID_TAG.into(), json!(cluster.id.as_str()));
            if let Some(role) = &cluster.role {
                tags.insert(ROLE_TAG.into(), json!(role.as_str()));
            }
        }
        for (key, value) in &self.options.tags {
            tags.insert(key.to_string(), json!(value.as_str()));
        }
        Value::Object(tags)
    }

    fn zones(&self, body: &mut Value) {
        if let Some(zone) = self.options.availability_zone {
            body["zones"] = json!([zone.to_string()]);
        }
    }

    pub(crate) fn group_body(&self) -> Value {
        json!({
            "location": self.options.location.as_str(),
            "tags": self.tags(),
            "properties": {},
        })
    }

    /// The network with its subnet in one PUT (a network PUT without its
    /// subnets would remove them).
    pub(crate) fn vnet_body(&self) -> Value {
        json!({
            "location": self.options.location.as_str(),
            "tags": self.tags(),
            "properties": {
                "addressSpace": {"addressPrefixes": [self.options.subnet_prefix.as_str()]},
                "subnets": [{
                    "name": self.options.subnet.as_str(),
                    "properties": {"addressPrefix": self.options.subnet_prefix.as_str()},
                }],
            },
        })
    }

    pub(crate) fn subnet_body(&self) -> Value {
        json!({"properties": {"addressPrefix": self.options.subnet_prefix.as_str()}})
    }

    /// One inbound rule; one source goes in `sourceAddressPrefix` (where
    /// `*` and service tags are taken), several in the plural.
    fn rule(name: &str, range: PortRange, sources: &[&str], priority: u32) -> Value {
        let mut properties = json!({
            "protocol": protocol_word(range.protocol),
            "access": "Allow",
            "direction": "Inbound",
            "priority": priority,
            "sourcePortRange": "*",
            "destinationAddressPrefix": "*",
            "destinationPortRange": range.ports(),
        });
        match sources {
            [one] => properties["sourceAddressPrefix"] = json!(one),
            many => properties["sourceAddressPrefixes"] = json!(many),
        }
        json!({"name": name, "properties": properties})
    }

    /// SSH, the engine port and `--azure-open-port`s, from `--azure-allowed-cidr`.
    fn public_rules(&self) -> Vec<Value> {
        let allowed: Vec<&str> = self.options.allowed.iter().map(|s| s.as_str()).collect();
        let tcp = |port| PortRange::one(Protocol::Tcp, port);
        let mut rules = vec![
            Self::rule("SSHAllowAny", tcp(22), &allowed, FIRST_PRIORITY),
            Self::rule(
                "DockerAllowAny",
                tcp(self.engine_port),
                &allowed,
                FIRST_PRIORITY + 1,
            ),
        ];
        for port in &self.options.open_ports {
            let priority = FIRST_PRIORITY + rules.len() as u32;
            rules.push(Self::rule(
                &format!("Port{port}AllowAny"),
                tcp(*port),
                &allowed,
                priority,
            ));
        }
        rules
    }

    pub(crate) fn nsg_body(&self) -> Value {
        self.nsg_body_with(self.public_rules())
    }

    fn nsg_body_with(&self, rules: Vec<Value>) -> Value {
        json!({
            "location": self.options.location.as_str(),
            "tags": self.tags(),
            "properties": {"securityRules": rules},
        })
    }

    /// A cluster's NSG: the public rules, the orchestrator's public ports
    /// from `--azure-allowed-cidr`, and its peer ports from the cluster's
    /// subnet only.
    pub(crate) fn cluster_nsg_body(&self, cluster: &Cluster) -> Value {
        let allowed: Vec<&str> = self.options.allowed.iter().map(|s| s.as_str()).collect();
        let subnet = [self.options.subnet_prefix.as_str()];
        let mut rules = self.public_rules();
        for range in &cluster.public_ports {
            let priority = FIRST_PRIORITY + rules.len() as u32;
            let name = format!("Public{}{}", protocol_word(range.protocol), range.ports());
            rules.push(Self::rule(&name, *range, &allowed, priority));
        }
        for range in &cluster.peer_ports {
            let priority = FIRST_PRIORITY + rules.len() as u32;
            let name = format!("Peer{}{}", protocol_word(range.protocol), range.ports());
            rules.push(Self::rule(&name, *range, &subnet, priority));
        }
        self.nsg_body_with(rules)
    }

    /// A Standard address (Basic ones are retired), so always static.
    pub(crate) fn public_ip_body(&self) -> Value {
        let mut body = json!({
            "location": self.options.location.as_str(),
            "tags": self.tags(),
            "sku": {"name": "Standard", "tier": "Regional"},
            "properties": {
                "publicIPAllocationMethod": "Static",
                "publicIPAddressVersion": "IPv4",
            },
        });
        if let Some(label) = &self.options.dns_label {
            body["properties"]["dnsSettings"] = json!({"domainNameLabel": label.as_str()});
        }
        self.zones(&mut body);
        body
    }

    pub(crate) fn nic_body(&self) -> Result<Value> {
        let public_ip = match self.options.no_public_ip {
            true => None,
            false => Some(self.public_ip_id()?),
        };
        Ok(self.nic_body_with(self.subnet_id()?, self.nsg_id()?, public_ip))
    }

    /// The NIC with the ids (or template expressions) it refers to.
    pub(crate) fn nic_body_with(
        &self,
        subnet: String,
        nsg: String,
        public_ip: Option<String>,
    ) -> Value {
        let mut ip = json!({
            "subnet": {"id": subnet},
            "privateIPAllocationMethod": "Dynamic",
            "privateIPAddressVersion": "IPv4",
            "primary": true,
        });
        if let Some(address) = self.options.private_ip_address {
            ip["privateIPAllocationMethod"] = json!("Static");
            ip["privateIPAddress"] = json!(address.to_string());
        }
        if let Some(id) = public_ip {
            ip["publicIPAddress"] = json!({"id": id});
        }
        json!({
            "location": self.options.location.as_str(),
            "tags": self.tags(),
            "properties": {
                "networkSecurityGroup": {"id": nsg},
                "ipConfigurations": [{"name": "ipconfig1", "properties": ip}],
            },
        })
    }

    /// Key-only SSH for the admin user; the managed OS disk goes with the VM.
    pub(crate) fn vm_body(&self, public_key: &str, custom_data: Option<&[u8]>) -> Result<Value> {
        Ok(self.vm_body_with(public_key, custom_data, self.nic_id()?))
    }

    /// The VM with its NIC's id (or a template expression).
    pub(crate) fn vm_body_with(
        &self,
        public_key: &str,
        custom_data: Option<&[u8]>,
        nic: String,
    ) -> Value {
        let [publisher, offer, sku, version] = self.options.image.parts();
        let user = self.options.ssh_user.as_str();
        let mut os_disk = json!({
            "name": format!("{}-os-disk", self.machine),
            "createOption": "FromImage",
            "deleteOption": "Delete",
            "caching": "ReadWrite",
            "osType": "Linux",
            "managedDisk": {"storageAccountType": self.options.storage_type.as_str()},
        });
        if let Some(size) = self.options.disk_size {
            os_disk["diskSizeGB"] = json!(size);
        }
        let mut os_profile = json!({
            "computerName": self.machine.as_str(),
            "adminUsername": user,
            "linuxConfiguration": {
                "disablePasswordAuthentication": true,
                "ssh": {"publicKeys": [{
                    "path": format!("/home/{user}/.ssh/authorized_keys"),
                    "keyData": public_key.trim(),
                }]},
            },
        });
        if let Some(data) = custom_data {
            os_profile["customData"] =
                json!(base64::engine::general_purpose::STANDARD.encode(data));
        }
        let mut body = json!({
            "location": self.options.location.as_str(),
            "tags": self.tags(),
            "properties": {
                "hardwareProfile": {"vmSize": self.options.size.as_str()},
                "storageProfile": {
                    "imageReference": {"publisher": publisher, "offer": offer, "sku": sku, "version": version},
                    "osDisk": os_disk,
                },
                "osProfile": os_profile,
                "networkProfile": {"networkInterfaces": [{
                    "id": nic,
                    "properties": {"primary": true, "deleteOption": "Detach"},
                }]},
            },
        });
        self.zones(&mut body);
        body
    }
}
