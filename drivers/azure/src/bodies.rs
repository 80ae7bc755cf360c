//! The bodies of the PUTs create sends: each one the shape of its resource
//! type in Azure's published schemas (`../shared/specs/azure/`), which the
//! tests hold every body to, key by key. Every value in them is a checked
//! type or a fixed word.

use base64::Engine;
use serde_json::{Map, Value, json};

use crate::{AzureDriver, MACHINE_TAG, MANAGED_TAG, Result};

/// The first NSG rule's priority; later rules count up from it.
const FIRST_PRIORITY: u32 = 1000;

impl AzureDriver {
    /// Ours first, then the user's (whose keys cannot start `machinectl:`).
    pub(crate) fn tags(&self) -> Value {
        let mut tags = Map::new();
        tags.insert(MANAGED_TAG.into(), json!("true"));
        tags.insert(MACHINE_TAG.into(), json!(self.machine.as_str()));
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

    /// One inbound TCP rule; one source goes in `sourceAddressPrefix`
    /// (where `*` and service tags are taken), several in the plural.
    fn rule(&self, name: &str, port: u16, priority: u32) -> Value {
        let sources: Vec<&str> = self.options.allowed.iter().map(|s| s.as_str()).collect();
        let mut properties = json!({
            "protocol": "Tcp",
            "access": "Allow",
            "direction": "Inbound",
            "priority": priority,
            "sourcePortRange": "*",
            "destinationAddressPrefix": "*",
            "destinationPortRange": port.to_string(),
        });
        match sources.as_slice() {
            [one] => properties["sourceAddressPrefix"] = json!(one),
            many => properties["sourceAddressPrefixes"] = json!(many),
        }
        json!({"name": name, "properties": properties})
    }

    /// SSH, the engine port and `--azure-open-port`s, from `--azure-allowed-cidr`.
    pub(crate) fn nsg_body(&self) -> Value {
        let mut rules = vec![
            self.rule("SSHAllowAny", 22, FIRST_PRIORITY),
            self.rule("DockerAllowAny", self.engine_port, FIRST_PRIORITY + 1),
        ];
        for (i, port) in self.options.open_ports.iter().enumerate() {
            let priority = FIRST_PRIORITY + 2 + i as u32;
            rules.push(self.rule(&format!("Port{port}AllowAny"), *port, priority));
        }
        json!({
            "location": self.options.location.as_str(),
            "tags": self.tags(),
            "properties": {"securityRules": rules},
        })
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
        let mut ip = json!({
            "subnet": {"id": self.subnet_id()?},
            "privateIPAllocationMethod": "Dynamic",
            "privateIPAddressVersion": "IPv4",
            "primary": true,
        });
        if let Some(address) = self.options.private_ip_address {
            ip["privateIPAllocationMethod"] = json!("Static");
            ip["privateIPAddress"] = json!(address.to_string());
        }
        if !self.options.no_public_ip {
            ip["publicIPAddress"] = json!({"id": self.public_ip_id()?});
        }
        Ok(json!({
            "location": self.options.location.as_str(),
            "tags": self.tags(),
            "properties": {
                "networkSecurityGroup": {"id": self.nsg_id()?},
                "ipConfigurations": [{"name": "ipconfig1", "properties": ip}],
            },
        }))
    }

    /// Key-only SSH for the admin user; the managed OS disk goes with the VM.
    pub(crate) fn vm_body(&self, public_key: &str, custom_data: Option<&[u8]>) -> Result<Value> {
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
                    "id": self.nic_id()?,
                    "properties": {"primary": true, "deleteOption": "Detach"},
                }]},
            },
        });
        self.zones(&mut body);
        Ok(body)
    }
}
