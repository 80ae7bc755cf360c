//! A strict checker of request bodies against Azure's published resource
//! schemas (`../shared/specs/azure/`, see SOURCE.md there): `$ref`s resolve
//! within the file or into common-definitions.json; `type`, `enum`,
//! `required`, `pattern`, lengths, bounds, `items`, `oneOf`/`anyOf`/`allOf`
//! are checked; and any key that is not among a definition's `properties`
//! (or allowed by its `additionalProperties`) is an error, which is how a
//! misspelt field is caught. A REST body is a resource definition without
//! the template envelope (`apiVersion`, `type`, `name`, which ARM takes
//! from the path and query), so those are neither required nor accepted.
//!
//! An ARM template ([`Specs::check_template`]) is held to the
//! deploymentTemplate 2019-04-01 envelope, and each of its resources to
//! the resource definition whose `type` and `apiVersion` it names, strictly
//! and envelope included; ARM's own resource keys (`dependsOn`,
//! `condition`, `comments`, `copy`) to the envelope's resource base.

use std::path::PathBuf;

use serde_json::Value;

/// The resource types the driver PUTs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    ResourceGroup,
    VirtualNetwork,
    Subnet,
    Nsg,
    PublicIp,
    Nic,
    Vm,
}

pub struct Specs {
    compute: Value,
    network: Value,
    resources: Value,
    common: Value,
    template: Value,
}

fn load(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/specs/azure")
        .join(name);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

const ENVELOPE: [&str; 3] = ["apiVersion", "type", "name"];

impl Specs {
    pub fn load() -> Specs {
        Specs {
            compute: load("Microsoft.Compute-2024-07-01.json"),
            network: load("Microsoft.Network-2024-05-01.json"),
            resources: load("Microsoft.Resources-2024-03-01.json"),
            common: load("common-definitions.json"),
            template: load("deploymentTemplate-2019-04-01.json"),
        }
    }

    /// Every way an ARM template breaks the envelope's schema or one of
    /// its resources breaks its type's definition.
    pub fn check_template(&self, template: &Value) -> Vec<String> {
        let mut envelope = self.template.clone();
        envelope["properties"]["resources"] = serde_json::json!({"type": "array"});
        let mut errors = Vec::new();
        self.check(&self.template, &envelope, template, "$", &mut errors);
        let resources = template["resources"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for (i, resource) in resources.iter().enumerate() {
            let at = format!("$.resources[{i}]");
            errors.extend(self.check_template_resource(resource, &at));
        }
        errors
    }

    fn check_template_resource(&self, resource: &Value, at: &str) -> Vec<String> {
        let kind = resource["type"].as_str().unwrap_or_default();
        let version = &resource["apiVersion"];
        let Some((file, schema)) = self.definition_of(kind, version) else {
            return vec![format!(
                "{at}: no published definition of {kind} at {version}"
            )];
        };
        let mut errors = Vec::new();
        let mut body = resource.clone();
        let base = &self.template["definitions"]["ARMResourceBase"]["properties"];
        let extra = &self.template["definitions"]["resourceBase"]["allOf"][1]["properties"];
        for key in ["dependsOn", "condition", "comments", "copy"] {
            if let Some(value) = body.as_object_mut().unwrap().remove(key) {
                let schema = base.get(key).or_else(|| extra.get(key)).unwrap();
                self.check(
                    &self.template,
                    schema,
                    &value,
                    &format!("{at}.{key}"),
                    &mut errors,
                );
            }
        }
        self.check(file, schema, &body, at, &mut errors);
        errors
    }

    /// The resource definition of a type at an API version, in any file.
    fn definition_of(&self, kind: &str, version: &Value) -> Option<(&Value, &Value)> {
        let files = [&self.compute, &self.network, &self.resources];
        files.into_iter().find_map(|file| {
            let defs = file["resourceDefinitions"].as_object()?;
            defs.values()
                .find(|d| {
                    let props = &d["properties"];
                    props["type"]["enum"]
                        .as_array()
                        .is_some_and(|e| e.contains(&Value::from(kind)))
                        && props["apiVersion"]["enum"]
                            .as_array()
                            .is_some_and(|e| e.contains(version))
                })
                .map(|d| (file, d))
        })
    }

    /// The file and resource definition of a kind.
    fn definition(&self, kind: Kind) -> (&Value, &Value) {
        let (file, section, name) = match kind {
            Kind::ResourceGroup => (
                &self.resources,
                "subscription_resourceDefinitions",
                "resourceGroups",
            ),
            Kind::VirtualNetwork => (&self.network, "resourceDefinitions", "virtualNetworks"),
            Kind::Subnet => (
                &self.network,
                "resourceDefinitions",
                "virtualNetworks_subnets",
            ),
            Kind::Nsg => (
                &self.network,
                "resourceDefinitions",
                "networkSecurityGroups",
            ),
            Kind::PublicIp => (&self.network, "resourceDefinitions", "publicIPAddresses"),
            Kind::Nic => (&self.network, "resourceDefinitions", "networkInterfaces"),
            Kind::Vm => (&self.compute, "resourceDefinitions", "virtualMachines"),
        };
        let schema = &file[section][name];
        assert!(schema.is_object(), "no {section}.{name} in the specs");
        (file, schema)
    }

    /// The API version the kind's schema is published for.
    pub fn api_version(&self, kind: Kind) -> String {
        let (_, schema) = self.definition(kind);
        schema["properties"]["apiVersion"]["enum"][0]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Every way `body` breaks the kind's schema (none: it is valid).
    pub fn check_body(&self, kind: Kind, body: &Value) -> Vec<String> {
        let (file, schema) = self.definition(kind);
        let mut schema = schema.clone();
        let props = schema["properties"].as_object_mut().unwrap();
        for key in ENVELOPE {
            props.remove(key);
        }
        if let Some(required) = schema["required"].as_array_mut() {
            required.retain(|k| !ENVELOPE.contains(&k.as_str().unwrap_or_default()));
        }
        let mut errors = Vec::new();
        self.check(file, &schema, body, "$", &mut errors);
        errors
    }

    fn resolve<'a>(&'a self, file: &'a Value, reference: &str) -> (&'a Value, &'a Value) {
        let (doc, pointer) = reference.split_once('#').unwrap();
        let doc = if doc.is_empty() {
            file
        } else if doc.ends_with("/2019-04-01/deploymentTemplate.json") {
            &self.template
        } else {
            assert!(doc.ends_with("/common/definitions.json"), "{reference}");
            &self.common
        };
        let target = doc
            .pointer(pointer)
            .unwrap_or_else(|| panic!("{reference}"));
        (doc, target)
    }

    fn check(&self, file: &Value, schema: &Value, value: &Value, at: &str, errs: &mut Vec<String>) {
        if let Some(reference) = schema["$ref"].as_str() {
            let (doc, target) = self.resolve(file, reference);
            return self.check(doc, target, value, at, errs);
        }
        for (key, exactly_one) in [("oneOf", true), ("anyOf", false)] {
            if let Some(branches) = schema[key].as_array() {
                self.check_branches(file, branches, exactly_one, value, at, errs);
            }
        }
        for branch in schema["allOf"].as_array().into_iter().flatten() {
            self.check(file, branch, value, at, errs);
        }
        if let Some(kind) = schema["type"].as_str()
            && !type_matches(kind, value)
        {
            errs.push(format!("{at}: expected {kind}, got {value}"));
            return;
        }
        if let Some(allowed) = schema["enum"].as_array()
            && !allowed.contains(value)
        {
            errs.push(format!("{at}: {value} is not one of {allowed:?}"));
        }
        check_bounds(schema, value, at, errs);
        if let (Some(items), Some(list)) = (schema.get("items"), value.as_array()) {
            for (i, item) in list.iter().enumerate() {
                self.check(file, items, item, &format!("{at}[{i}]"), errs);
            }
        }
        if let Some(object) = value.as_object() {
            self.check_object(file, schema, object, at, errs);
        }
    }

    fn check_branches(
        &self,
        file: &Value,
        branches: &[Value],
        exactly_one: bool,
        value: &Value,
        at: &str,
        errs: &mut Vec<String>,
    ) {
        let results: Vec<Vec<String>> = branches
            .iter()
            .map(|b| {
                let mut e = Vec::new();
                self.check(file, b, value, at, &mut e);
                e
            })
            .collect();
        let passing = results.iter().filter(|e| e.is_empty()).count();
        if passing == 0 {
            let closest = results.into_iter().min_by_key(Vec::len).unwrap_or_default();
            errs.extend(closest);
        } else if exactly_one && passing > 1 {
            errs.push(format!(
                "{at}: {value} matches {passing} branches of a oneOf"
            ));
        }
    }

    fn check_object(
        &self,
        file: &Value,
        schema: &Value,
        object: &serde_json::Map<String, Value>,
        at: &str,
        errs: &mut Vec<String>,
    ) {
        for key in schema["required"].as_array().into_iter().flatten() {
            let key = key.as_str().unwrap();
            if !object.contains_key(key) {
                errs.push(format!("{at}: required key {key:?} is missing"));
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        let additional = schema.get("additionalProperties");
        if properties.is_none() && additional.is_none() {
            return;
        }
        for (key, item) in object {
            let path = format!("{at}.{key}");
            match (properties.and_then(|p| p.get(key)), additional) {
                (Some(sub), _) => self.check(file, sub, item, &path, errs),
                (None, Some(extra)) if extra.is_object() => {
                    self.check(file, extra, item, &path, errs)
                }
                (None, Some(Value::Bool(true))) => {}
                _ => errs.push(format!("{path}: not a property of this definition")),
            }
        }
    }
}

fn type_matches(kind: &str, value: &Value) -> bool {
    match kind {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        _ => true,
    }
}

fn check_bounds(schema: &Value, value: &Value, at: &str, errs: &mut Vec<String>) {
    if let Some(text) = value.as_str() {
        if let Some(pattern) = schema["pattern"].as_str() {
            let re = regex::Regex::new(pattern).unwrap();
            if !re.is_match(text) {
                errs.push(format!("{at}: {text:?} does not match {pattern}"));
            }
        }
        let len = text.chars().count() as u64;
        if schema["maxLength"].as_u64().is_some_and(|max| len > max)
            || schema["minLength"].as_u64().is_some_and(|min| len < min)
        {
            errs.push(format!("{at}: {text:?} has a length the schema refuses"));
        }
    }
    if let Some(number) = value.as_f64()
        && (schema["minimum"].as_f64().is_some_and(|min| number < min)
            || schema["maximum"].as_f64().is_some_and(|max| number > max))
    {
        errs.push(format!("{at}: {number} is out of the schema's bounds"));
    }
}
