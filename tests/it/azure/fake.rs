//! A fake Azure Resource Manager and Microsoft Entra token endpoint on
//! loopback (tests/it/http_fake.rs), with state:
//!
//! - the token endpoint takes only the client-credentials grant of the
//!   test's service principal, form-encoded, for Resource Manager's scope;
//! - every Resource Manager request must carry that token, use the
//!   documented path (`/subscriptions/S/resourceGroups/G/providers/NS/TYPE/NAME`)
//!   and the `api-version` of the type's published schema; every PUT body
//!   is held to that schema, strictly ([`super::schema`]). A violation is
//!   noted (the test asserts there are none) and answered 400 as Azure would;
//! - PUTs answer 201 with `Azure-AsyncOperation`, polled `InProgress`
//!   (`polls` times) then `Succeeded` (or `Failed` with an error, when
//!   scripted); DELETEs and power actions answer 202 with `Location`;
//! - references must exist (a NIC's subnet, NSG and public IP; a VM's NIC),
//!   and what is in use cannot be deleted (`InUse…`), as in Azure; deleting
//!   a group deletes all in it;
//! - scripted: 429 with `Retry-After`, a refused PUT, a failed operation, a
//!   hang, and the addresses it hands out (one for all, or one a machine
//!   from a pool: its public IP's and its NIC's); a hook plays Azure's
//!   agent putting a VM's SSH key on the host at its address.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use super::schema::{Kind, Specs};
use crate::http_fake::{Req, Resp, Server};

pub const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
pub const CLIENT: &str = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
pub const SECRET: &str = "Zq8~s3cr3t.V4lue_that-must-never-show";
pub const SUBSCRIPTION: &str = "00000000-1111-2222-3333-444444444444";
pub const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.fake-arm-token.c2lnbmF0dXJl";

/// A scripted failure of the PUT of one resource type.
#[derive(Debug, Clone)]
pub enum Failure {
    /// Answered at once with this status and Azure error code.
    Refused(u16, &'static str, &'static str),
    /// Accepted, then its operation ends `Failed` with this code.
    Failed(&'static str, &'static str),
}

#[derive(Debug, Clone)]
enum Effect {
    None,
    Delete(String),
    Power(String, &'static str),
}

#[derive(Debug)]
struct Operation {
    polls: u32,
    failure: Option<(&'static str, &'static str)>,
    effect: Effect,
    /// The resource whose provisioningState the operation ends.
    resource: Option<String>,
}

#[derive(Default)]
pub struct Arm {
    pub base: String,
    specs: Option<Arc<Specs>>,
    /// id → resource as stored (with `properties.provisioningState`).
    pub resources: BTreeMap<String, Value>,
    /// VM id → power state.
    pub power: BTreeMap<String, &'static str>,
    operations: BTreeMap<u64, Operation>,
    next: u64,
    /// Polls an operation stays in progress.
    pub polls: u32,
    /// `Retry-After` on accepted operations (seconds).
    pub retry_after: Option<u64>,
    /// The next N NIC DELETEs get 400 NicReservedForAnotherVm.
    pub nic_reserved: u32,
    /// The next N GETs get 500 InternalServerError.
    pub server_errors: u32,
    /// The next N PUTs get 409 AnotherOperationInProgress.
    pub conflicts: u32,
    /// VMs per page of a list (0: all on one page).
    pub page_size: usize,
    /// The next N Resource Manager requests get 429 with this Retry-After.
    pub throttle: u32,
    pub throttle_after: u64,
    /// Resource type (`networkInterfaces`, `virtualMachines`, …) → failure.
    pub fail: BTreeMap<&'static str, Failure>,
    /// Resource type whose PUT hangs this long before it is answered.
    pub hang: Option<(&'static str, Duration)>,
    /// Answer every Resource Manager request with this status and code.
    pub refuse_all: Option<(u16, &'static str)>,
    /// The next polling URL points at this origin instead of the fake's own.
    pub foreign_poll_origin: Option<String>,
    pub public_ip: String,
    pub private_ip: String,
    /// Problems with requests: must stay empty.
    pub violations: Vec<String>,
    pub tokens_issued: usize,
    /// The scope the grant must ask for (the environment's Resource Manager).
    pub scope: String,
    /// The service principal's certificate, for client assertions: its
    /// public key file and its thumbprint (base64url SHA-1).
    pub certificate: Option<(std::path::PathBuf, String)>,
    /// Addresses handed out one a machine (its public IP's and its NIC's),
    /// in the order they are asked for; empty: `public_ip` and `private_ip`.
    pub address_pool: Vec<String>,
    /// Machine name → the address the pool gave it.
    assigned: BTreeMap<String, String>,
    /// Called with a VM's address and SSH public key once its PUT is
    /// accepted (as Azure's agent puts the key on the VM).
    pub on_vm: Option<VmHook>,
}

/// See [`Arm::on_vm`].
pub type VmHook = Arc<dyn Fn(&str, &str) + Send + Sync>;

pub struct Fake {
    pub server: Server,
    pub arm: Arc<Mutex<Arm>>,
}

impl Fake {
    pub fn start(specs: &Arc<Specs>, setup: impl FnOnce(&mut Arm)) -> Fake {
        let mut arm = Arm {
            specs: Some(specs.clone()),
            public_ip: "127.0.0.1".into(),
            scope: "https://management.azure.com/.default".into(),
            private_ip: "127.0.0.4".into(),
            ..Arm::default()
        };
        setup(&mut arm);
        let arm = Arc::new(Mutex::new(arm));
        let shared = arm.clone();
        let server = Server::start(move |req| {
            let hang = {
                let a = shared.lock().unwrap();
                a.hang
                    .filter(|(kind, _)| req.method == "PUT" && type_of(req.path()) == Some(kind))
                    .map(|(_, pause)| pause)
            };
            if let Some(pause) = hang {
                std::thread::sleep(pause);
            }
            shared.lock().unwrap().handle(req)
        });
        arm.lock().unwrap().base = server.url.clone();
        Fake { server, arm }
    }

    /// Resource Manager requests (token requests aside) so far.
    pub fn arm_calls(&self) -> usize {
        self.server
            .requests()
            .iter()
            .filter(|l| {
                l.req.path().starts_with("/subscriptions/") || l.req.path().starts_with("/fake/")
            })
            .count()
    }

    /// Ids of what exists, shortened to `TYPE/NAME` (groups: `group/NAME`).
    pub fn left(&self) -> Vec<String> {
        self.arm
            .lock()
            .unwrap()
            .resources
            .keys()
            .map(|id| short_id(id))
            .collect()
    }

    pub fn violations(&self) -> Vec<String> {
        self.arm.lock().unwrap().violations.clone()
    }
}

pub fn short_id(id: &str) -> String {
    let segments: Vec<&str> = id.split('/').collect();
    match segments.as_slice() {
        [.., "resourceGroups", group] => format!("group/{group}"),
        [.., "subnets", name] => format!("subnets/{name}"),
        [.., kind, name] => format!("{kind}/{name}"),
        _ => id.to_string(),
    }
}

/// The resource type a path names, if any.
fn type_of(path: &str) -> Option<&str> {
    let segments: Vec<&str> = path.split('/').collect();
    let at = segments.iter().position(|s| *s == "providers")?;
    match segments.len() - at {
        4 => Some(segments[at + 2]),
        6 if segments[at + 4] == "subnets" => Some("subnets"),
        _ => None,
    }
}

fn error(status: u16, code: &str, message: &str) -> Resp {
    Resp::json(status, json!({"error": {"code": code, "message": message}}))
}

fn form(body: &[u8]) -> BTreeMap<String, String> {
    String::from_utf8_lossy(body)
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| {
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(k), decode(v))
        })
        .collect()
}

impl Arm {
    fn specs(&self) -> Arc<Specs> {
        self.specs.clone().unwrap()
    }

    fn handle(&mut self, req: &Req) -> Resp {
        let path = req.path().to_string();
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        match segments.as_slice() {
            [tenant, "oauth2", "v2.0", "token"] => self.token(tenant, req),
            ["fake", "operations", id] => self.operation(id.parse().unwrap_or(0), true),
            ["fake", "locations", id] => self.operation(id.parse().unwrap_or(0), false),
            ["subscriptions", sub, rest @ ..] => {
                if !self.authorized(req, sub) {
                    return error(
                        401,
                        "InvalidAuthenticationToken",
                        "The access token is invalid.",
                    );
                }
                if let Some((status, code)) = self.refuse_all {
                    return error(
                        status,
                        code,
                        &format!(
                            "The client '{CLIENT}' with object id 'x' does not have authorization to perform action over scope '{path}'."
                        ),
                    );
                }
                if self.throttle > 0 {
                    self.throttle -= 1;
                    let mut resp = error(429, "TooManyRequests", "The request is being throttled.");
                    resp.headers
                        .push(("Retry-After".into(), self.throttle_after.to_string()));
                    return resp;
                }
                if self.server_errors > 0 && req.method == "GET" {
                    self.server_errors -= 1;
                    return error(
                        500,
                        "InternalServerError",
                        "Encountered internal server error.",
                    );
                }
                if self.conflicts > 0 && req.method == "PUT" {
                    self.conflicts -= 1;
                    return error(
                        409,
                        "AnotherOperationInProgress",
                        "Another operation on this or dependent resource is in progress.",
                    );
                }
                let group = rest.get(1).copied().unwrap_or_default().to_string();
                self.route(req, sub, &group, rest)
            }
            _ => self.violation(req, "no such path in Resource Manager's documented form"),
        }
    }

    fn violation(&mut self, req: &Req, why: &str) -> Resp {
        self.violations
            .push(format!("{} {}: {why}", req.method, req.target));
        error(400, "InvalidRequest", why)
    }

    fn token(&mut self, tenant: &str, req: &Req) -> Resp {
        let f = form(&req.body);
        let content_type = req.header("content-type").unwrap_or_default();
        let mut problems = Vec::new();
        if tenant != TENANT {
            problems.push(format!("tenant {tenant}"));
        }
        if req.method != "POST" || !content_type.starts_with("application/x-www-form-urlencoded") {
            problems.push("not a form POST".into());
        }
        for (key, want) in [
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT),
            ("scope", self.scope.as_str()),
        ] {
            if f.get(key).map(String::as_str) != Some(want) {
                problems.push(format!("{key}={:?}", f.get(key)));
            }
        }
        if req.target.contains(SECRET) {
            problems.push("the secret is in the URL".into());
        }
        if !problems.is_empty() {
            return self.violation(req, &format!("bad token request: {}", problems.join(", ")));
        }
        if let Some(assertion) = f.get("client_assertion") {
            if let Err(why) = self.check_assertion(tenant, &f, assertion) {
                return self.violation(req, &format!("bad client assertion: {why}"));
            }
        } else if f.get("client_secret").map(String::as_str) != Some(SECRET) {
            // Entra's shape: a code and a multi-line description; this one
            // echoes the secret it was sent, which must never be shown.
            let sent = f.get("client_secret").cloned().unwrap_or_default();
            let description = format!(
                "AADSTS7000215: Invalid client secret provided ({sent}). Ensure the secret being sent in the request is the client secret value, not the client secret ID.\r\nTrace ID: 0f1e\r\nCorrelation ID: 9a8b"
            );
            return Resp::json(
                401,
                json!({"error": "invalid_client", "error_description": description, "error_codes": [7000215]}),
            );
        }
        self.tokens_issued += 1;
        Resp::json(
            200,
            json!({"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": TOKEN}),
        )
    }

    /// A JWT client assertion: its type, header, claims, and its RS256
    /// signature checked by openssl against the certificate's public key.
    fn check_assertion(
        &self,
        tenant: &str,
        f: &BTreeMap<String, String>,
        jwt: &str,
    ) -> Result<(), String> {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let (public_key, thumbprint) = self.certificate.clone().ok_or("no certificate expected")?;
        if f.get("client_assertion_type").map(String::as_str)
            != Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
            || f.contains_key("client_secret")
        {
            return Err("client_assertion_type".into());
        }
        let parts: Vec<&str> = jwt.split('.').collect();
        let [head, claims, signature] = parts[..] else {
            return Err("not three parts".into());
        };
        let decode = |p: &str| -> Result<Value, String> {
            let bytes = b64.decode(p).map_err(|e| e.to_string())?;
            serde_json::from_slice(&bytes).map_err(|e| e.to_string())
        };
        let (head, claims_json) = (decode(head)?, decode(claims)?);
        if head["alg"] != "RS256" || head["x5t"] != thumbprint.as_str() {
            return Err(format!("header {head}"));
        }
        let audience = format!("{}/{tenant}/oauth2/v2.0/token", self.base);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let c = &claims_json;
        if c["aud"] != audience.as_str()
            || c["iss"] != CLIENT
            || c["sub"] != CLIENT
            || !c["jti"].is_string()
            || c["exp"]
                .as_u64()
                .is_none_or(|exp| exp <= now || exp > now + 3600)
            || c["nbf"].as_u64().is_none_or(|nbf| nbf > now + 60)
        {
            return Err(format!("claims {c}"));
        }
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let sig = dir.path().join("sig");
        std::fs::write(&data, format!("{}.{}", parts[0], parts[1])).unwrap();
        std::fs::write(&sig, b64.decode(signature).map_err(|e| e.to_string())?).unwrap();
        let verified = std::process::Command::new("openssl")
            .args(["dgst", "-sha256", "-verify"])
            .arg(&public_key)
            .arg("-signature")
            .arg(&sig)
            .arg(&data)
            .output()
            .unwrap();
        if !verified.status.success() {
            return Err("the signature does not verify".into());
        }
        Ok(())
    }

    fn authorized(&mut self, req: &Req, sub: &str) -> bool {
        let bearer = format!("Bearer {TOKEN}");
        if req.header("authorization") != Some(bearer.as_str()) {
            self.violations.push(format!(
                "{} {}: no valid bearer token",
                req.method, req.target
            ));
            return false;
        }
        if sub != SUBSCRIPTION {
            self.violations
                .push(format!("{} {}: subscription {sub}", req.method, req.target));
        }
        true
    }

    /// Checks the api-version against the kind's schema.
    fn versioned(&mut self, req: &Req, kind: Kind) -> bool {
        let want = self.specs().api_version(kind);
        let got = req.query("api-version");
        if got.as_deref() != Some(want.as_str()) {
            self.violations.push(format!(
                "{} {}: api-version {got:?}, the schema is for {want}",
                req.method, req.target
            ));
            return false;
        }
        true
    }

    fn route(&mut self, req: &Req, sub: &str, group: &str, rest: &[&str]) -> Resp {
        let group_id = format!("/subscriptions/{sub}/resourceGroups/{group}");
        let m = req.method.as_str();
        match rest {
            ["resourceGroups", _] => self.resource(req, Kind::ResourceGroup, &group_id),
            ["resourceGroups", _, "resources"] if m == "GET" => {
                if !self.versioned(req, Kind::ResourceGroup) {
                    return error(400, "InvalidApiVersionParameter", "api-version");
                }
                if !self.resources.contains_key(&group_id) {
                    return error(
                        404,
                        "ResourceGroupNotFound",
                        "Resource group could not be found.",
                    );
                }
                self.list_group(req, &group_id)
            }
            ["resourceGroups", _, "providers", ns, kind, tail @ ..] => {
                let id = req.path().to_string();
                self.provider(req, ns, kind, tail, &group_id, &id)
            }
            _ => self.violation(req, "no such path in Resource Manager's documented form"),
        }
    }

    fn provider(
        &mut self,
        req: &Req,
        ns: &str,
        kind: &str,
        tail: &[&str],
        group_id: &str,
        id: &str,
    ) -> Resp {
        let m = req.method.as_str();
        let network = |k: Kind| (ns == "Microsoft.Network").then_some(k);
        let compute = |k: Kind| (ns == "Microsoft.Compute").then_some(k);
        let which = match (kind, tail) {
            ("virtualNetworks", [_]) => network(Kind::VirtualNetwork),
            ("virtualNetworks", [_, "subnets", _]) => network(Kind::Subnet),
            ("networkSecurityGroups", [_]) => network(Kind::Nsg),
            ("publicIPAddresses", [_]) => network(Kind::PublicIp),
            ("networkInterfaces", [_]) => network(Kind::Nic),
            ("virtualMachines", [] | [_] | [_, _]) => compute(Kind::Vm),
            _ => None,
        };
        let Some(which) = which else {
            return self.violation(req, "no such resource type in the published schemas");
        };
        if !self.resources.contains_key(group_id) && m != "DELETE" {
            if !self.versioned(req, which) {
                return error(400, "InvalidApiVersionParameter", "api-version");
            }
            return error(
                404,
                "ResourceGroupNotFound",
                "Resource group could not be found.",
            );
        }
        match (m, tail) {
            ("GET", []) => {
                if !self.versioned(req, which) || req.query("statusOnly").as_deref() != Some("true")
                {
                    return error(400, "InvalidRequest", "list");
                }
                self.list_vms(req, group_id)
            }
            ("GET", [_, "instanceView"]) => {
                if !self.versioned(req, which) {
                    return error(400, "InvalidApiVersionParameter", "api-version");
                }
                let vm = id.trim_end_matches("/instanceView").to_string();
                match self.power.get(&vm) {
                    Some(state) => Resp::json(200, json!({"statuses": statuses(state)})),
                    None => error(404, "ResourceNotFound", "The Resource was not found."),
                }
            }
            ("POST", [_, action]) => {
                if !self.versioned(req, which) {
                    return error(400, "InvalidApiVersionParameter", "api-version");
                }
                let vm = id.trim_end_matches(&format!("/{action}")).to_string();
                self.power_action(req, &vm, action)
            }
            _ => self.resource(req, which, id),
        }
    }

    /// The group's resources (subnets are not listed, as in Azure), with
    /// their type and tags; `$filter` takes Resources' documented
    /// `tagName eq 'K' and tagValue eq 'V'`; page by page (`$skiptoken`).
    fn list_group(&mut self, req: &Req, group_id: &str) -> Resp {
        let filter = match req.query("$filter").map(|f| decode(&f)) {
            None => None,
            Some(text) => match tag_filter(&text) {
                Some(pair) => Some(pair),
                None => return self.violation(req, "a $filter Resources does not document"),
            },
        };
        let prefix = format!("{group_id}/providers/");
        let all: Vec<Value> = self
            .resources
            .iter()
            .filter(|(id, _)| id.starts_with(&prefix) && !id.contains("/subnets/"))
            .filter(|(_, r)| {
                filter
                    .as_ref()
                    .is_none_or(|(k, v)| r["tags"][k.as_str()] == v.as_str())
            })
            .map(|(id, r)| {
                let kind = id[prefix.len()..]
                    .split('/')
                    .take(2)
                    .collect::<Vec<_>>()
                    .join("/");
                json!({"id": id, "name": id.rsplit('/').next(), "type": kind,
                       "location": r["location"], "tags": r["tags"]})
            })
            .collect();
        Resp::json(200, self.page(req, all))
    }

    /// One page of a list (`page_size` items, 0: all), with a `nextLink`
    /// to the same request's next `$skiptoken`.
    fn page(&self, req: &Req, all: Vec<Value>) -> Value {
        let skip: usize = req
            .query("$skiptoken")
            .and_then(|t| t.parse().ok())
            .unwrap_or(0);
        let size = if self.page_size == 0 {
            usize::MAX
        } else {
            self.page_size
        };
        let value: Vec<Value> = all.iter().skip(skip).take(size).cloned().collect();
        let mut page = json!({ "value": value });
        if skip.saturating_add(size) < all.len() {
            let query: Vec<&str> = req
                .target
                .split_once('?')
                .map(|(_, q)| {
                    q.split('&')
                        .filter(|kv| !kv.starts_with("$skiptoken="))
                        .collect()
                })
                .unwrap_or_default();
            page["nextLink"] = json!(format!(
                "{}{}?{}&$skiptoken={}",
                self.base,
                req.path(),
                query.join("&"),
                skip + size
            ));
        }
        page
    }

    /// The group's VMs with their power state, page by page (`$skiptoken`).
    fn list_vms(&self, req: &Req, group_id: &str) -> Resp {
        let prefix = format!("{group_id}/providers/Microsoft.Compute/virtualMachines/");
        let all: Vec<Value> = self
            .power
            .iter()
            .filter(|(id, _)| id.starts_with(&prefix))
            .map(|(id, state)| {
                json!({"id": id, "name": id.rsplit('/').next(),
                       "properties": {"instanceView": {"statuses": statuses(state)}}})
            })
            .collect();
        Resp::json(200, self.page(req, all))
    }

    fn resource(&mut self, req: &Req, kind: Kind, id: &str) -> Resp {
        if !self.versioned(req, kind) {
            return error(400, "InvalidApiVersionParameter", "api-version");
        }
        match req.method.as_str() {
            "GET" => match self.resources.get(id) {
                Some(r) => Resp::json(200, self.view(kind, id, r)),
                None => error(404, "ResourceNotFound", "The Resource was not found."),
            },
            "PUT" => self.put(req, kind, id),
            "DELETE" => self.delete(kind, id),
            _ => self.violation(req, "method"),
        }
    }

    /// What a GET answers: the stored body with read-only fields filled in.
    fn view(&self, kind: Kind, id: &str, stored: &Value) -> Value {
        let mut r = stored.clone();
        r["id"] = json!(id);
        r["name"] = json!(id.rsplit('/').next());
        match kind {
            Kind::PublicIp => {
                let ip = self.address_of(id).unwrap_or(&self.public_ip);
                r["properties"]["ipAddress"] = json!(ip);
                if let Some(label) = r["properties"]["dnsSettings"]["domainNameLabel"].as_str() {
                    let location = r["location"].as_str().unwrap_or_default();
                    let fqdn = format!("{label}.{location}.cloudapp.azure.com");
                    r["properties"]["dnsSettings"]["fqdn"] = json!(fqdn);
                }
            }
            Kind::Nic => {
                let ip = &mut r["properties"]["ipConfigurations"][0]["properties"];
                if ip["privateIPAddress"].is_null() {
                    let address = self.address_of(id).unwrap_or(&self.private_ip);
                    ip["privateIPAddress"] = json!(address);
                }
            }
            Kind::VirtualNetwork => {
                let prefix = format!("{id}/subnets/");
                let subnets: Vec<Value> = self
                    .resources
                    .iter()
                    .filter(|(k, _)| k.starts_with(&prefix))
                    .map(|(k, v)| json!({"id": k, "name": k.rsplit('/').next(), "properties": v["properties"]}))
                    .collect();
                r["properties"]["subnets"] = json!(subnets);
            }
            _ => {}
        }
        r
    }

    fn missing_reference(&self, kind: Kind, body: &Value) -> Option<String> {
        let mut refs: Vec<String> = Vec::new();
        let mut push = |v: &Value| {
            if let Some(id) = v["id"].as_str() {
                refs.push(id.to_string());
            }
        };
        match kind {
            Kind::Nic => {
                push(&body["properties"]["networkSecurityGroup"]);
                for c in body["properties"]["ipConfigurations"]
                    .as_array()
                    .into_iter()
                    .flatten()
                {
                    push(&c["properties"]["subnet"]);
                    push(&c["properties"]["publicIPAddress"]);
                }
            }
            Kind::Vm => {
                for n in body["properties"]["networkProfile"]["networkInterfaces"]
                    .as_array()
                    .into_iter()
                    .flatten()
                {
                    push(n);
                }
            }
            _ => {}
        }
        refs.into_iter().find(|r| !self.resources.contains_key(r))
    }

    fn put(&mut self, req: &Req, kind: Kind, id: &str) -> Resp {
        let body = req.json();
        let errors = self.specs().check_body(kind, &body);
        if !errors.is_empty() {
            return self.violation(
                req,
                &format!("body breaks the schema: {}", errors.join("; ")),
            );
        }
        if let Some(missing) = self.missing_reference(kind, &body) {
            return error(
                400,
                "InvalidResourceReference",
                &format!("Resource {missing} referenced by resource {id} was not found."),
            );
        }
        let type_name = type_of(id).unwrap_or("resourceGroups");
        let failure = self.fail.get(type_name).cloned();
        if let Some(Failure::Refused(status, code, message)) = failure {
            return error(status, code, message);
        }
        let mut stored = body.clone();
        stored["properties"]["provisioningState"] = json!("Creating");
        if kind == Kind::VirtualNetwork {
            for subnet in body["properties"]["subnets"]
                .as_array()
                .into_iter()
                .flatten()
            {
                let name = subnet["name"].as_str().unwrap_or_default();
                let sub = json!({"properties": subnet["properties"]});
                self.resources.insert(format!("{id}/subnets/{name}"), sub);
            }
            stored["properties"]
                .as_object_mut()
                .unwrap()
                .remove("subnets");
        }
        self.resources.insert(id.to_string(), stored);
        self.assign(id);
        if kind == Kind::Vm {
            self.power.insert(id.to_string(), "starting");
            self.agent_puts_the_key(id, &body);
        }
        if kind == Kind::ResourceGroup {
            self.finish_state(id);
            return Resp::json(201, self.view(kind, id, &self.resources[id].clone()));
        }
        let failed = match failure {
            Some(Failure::Failed(code, message)) => Some((code, message)),
            _ => None,
        };
        let effect = if kind == Kind::Vm {
            Effect::Power(id.to_string(), "running")
        } else {
            Effect::None
        };
        let mut resp = Resp::json(201, self.view(kind, id, &self.resources[id].clone()));
        let url = self.start_operation(failed, effect, Some(id.to_string()));
        resp.headers.push((
            "Azure-AsyncOperation".into(),
            format!("{url}/fake/operations/{}?api-version=x", self.next),
        ));
        self.retry_header(&mut resp);
        resp
    }

    /// The machine a public IP, NIC or VM id belongs to.
    fn machine_of(id: &str) -> &str {
        let name = id.rsplit('/').next().unwrap_or_default();
        name.strip_suffix("-ip")
            .or_else(|| name.strip_suffix("-nic"))
            .unwrap_or(name)
    }

    /// Give the machine of a new public IP or NIC the pool's next address.
    fn assign(&mut self, id: &str) {
        let machine = Self::machine_of(id).to_string();
        let kind = type_of(id);
        let addressed = matches!(kind, Some("publicIPAddresses" | "networkInterfaces"));
        if addressed && !self.address_pool.is_empty() && !self.assigned.contains_key(&machine) {
            let next = self.address_pool.remove(0);
            self.assigned.insert(machine, next);
        }
    }

    fn address_of(&self, id: &str) -> Option<&String> {
        self.assigned.get(Self::machine_of(id))
    }

    fn agent_puts_the_key(&self, id: &str, body: &Value) {
        let key = &body["properties"]["osProfile"]["linuxConfiguration"]["ssh"]["publicKeys"][0]["keyData"];
        if let (Some(hook), Some(address), Some(key)) =
            (&self.on_vm, self.address_of(id), key.as_str())
        {
            hook(address, key);
        }
    }

    fn start_operation(
        &mut self,
        failure: Option<(&'static str, &'static str)>,
        effect: Effect,
        resource: Option<String>,
    ) -> String {
        self.next += 1;
        self.operations.insert(
            self.next,
            Operation {
                polls: self.polls,
                failure,
                effect,
                resource,
            },
        );
        self.foreign_poll_origin
            .take()
            .unwrap_or_else(|| self.base.clone())
    }

    fn retry_header(&self, resp: &mut Resp) {
        if let Some(secs) = self.retry_after {
            resp.headers.push(("Retry-After".into(), secs.to_string()));
        }
    }

    fn finish_state(&mut self, id: &str) {
        if let Some(r) = self.resources.get_mut(id) {
            r["properties"]["provisioningState"] = json!("Succeeded");
        }
    }

    fn in_use(&self, kind: Kind, id: &str) -> Option<(&'static str, String)> {
        let nics = self
            .resources
            .iter()
            .filter(|(k, _)| k.contains("/networkInterfaces/"));
        let nic_refs = |field: &dyn Fn(&Value) -> Vec<String>| {
            nics.clone()
                .filter(|(_, v)| {
                    field(v)
                        .iter()
                        .any(|r| r == id || r.starts_with(&format!("{id}/")))
                })
                .map(|(k, _)| k.clone())
                .next()
        };
        let configs = |v: &Value, key: &str| -> Vec<String> {
            v["properties"]["ipConfigurations"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|c| c["properties"][key]["id"].as_str().map(str::to_string))
                .collect()
        };
        let user = match kind {
            Kind::VirtualNetwork | Kind::Subnet => nic_refs(&|v| configs(v, "subnet")),
            Kind::Nsg => nic_refs(&|v| {
                v["properties"]["networkSecurityGroup"]["id"]
                    .as_str()
                    .map(str::to_string)
                    .into_iter()
                    .collect()
            }),
            Kind::PublicIp => nic_refs(&|v| configs(v, "publicIPAddress")),
            Kind::Nic => self
                .resources
                .iter()
                .filter(|(k, _)| k.contains("/virtualMachines/"))
                .find(|(_, v)| {
                    v["properties"]["networkProfile"]["networkInterfaces"][0]["id"] == id
                })
                .map(|(k, _)| k.clone()),
            _ => None,
        }?;
        let code = match kind {
            Kind::VirtualNetwork | Kind::Subnet => "InUseSubnetCannotBeDeleted",
            Kind::Nsg => "InUseNetworkSecurityGroupCannotBeDeleted",
            Kind::PublicIp => "PublicIPAddressCannotBeDeleted",
            _ => "NicInUse",
        };
        Some((code, user))
    }

    fn delete(&mut self, kind: Kind, id: &str) -> Resp {
        if !self.resources.contains_key(id) {
            return Resp::empty(204);
        }
        if kind == Kind::Nic && self.nic_reserved > 0 {
            self.nic_reserved -= 1;
            return error(
                400,
                "NicReservedForAnotherVm",
                "Nic is reserved for another VM. Please retry after 180 seconds.",
            );
        }
        if let Some((code, user)) = self.in_use(kind, id) {
            return error(
                400,
                code,
                &format!("{id} is in use by {user} and cannot be deleted."),
            );
        }
        let url = self.start_operation(None, Effect::Delete(id.to_string()), None);
        let mut resp = Resp::empty(202);
        resp.headers.push((
            "Location".into(),
            format!("{url}/fake/locations/{}?api-version=x", self.next),
        ));
        self.retry_header(&mut resp);
        resp
    }

    fn power_action(&mut self, req: &Req, vm: &str, action: &str) -> Resp {
        let target = match (action, req.query("skipShutdown").as_deref()) {
            ("start", None) => "running",
            ("powerOff", None | Some("true")) => "stopped",
            ("deallocate", None) => "deallocated",
            _ => return self.violation(req, "no such VM action"),
        };
        if !self.power.contains_key(vm) {
            return error(404, "ResourceNotFound", "The Resource was not found.");
        }
        let transient = if target == "running" {
            "starting"
        } else {
            "stopping"
        };
        self.power.insert(vm.to_string(), transient);
        let url = self.start_operation(None, Effect::Power(vm.to_string(), target), None);
        let mut resp = Resp::empty(202);
        resp.headers.push((
            "Azure-AsyncOperation".into(),
            format!("{url}/fake/operations/{}?api-version=x", self.next),
        ));
        resp.headers.push((
            "Location".into(),
            format!("{url}/fake/locations/{}?api-version=x", self.next),
        ));
        self.retry_header(&mut resp);
        resp
    }

    fn operation(&mut self, id: u64, is_async: bool) -> Resp {
        let Some(op) = self.operations.get_mut(&id) else {
            return error(404, "OperationNotFound", "no such operation");
        };
        if op.polls > 0 {
            op.polls -= 1;
            let mut resp = if is_async {
                Resp::json(200, json!({"status": "InProgress"}))
            } else {
                Resp::empty(202)
            };
            self.retry_header(&mut resp);
            return resp;
        }
        let op = self.operations.remove(&id).unwrap();
        if let Some((code, message)) = op.failure {
            if let Some(r) = op.resource.as_ref().and_then(|r| self.resources.get_mut(r)) {
                r["properties"]["provisioningState"] = json!("Failed");
            }
            return Resp::json(
                200,
                json!({"status": "Failed", "error": {"code": code, "message": message}}),
            );
        }
        if let Some(r) = &op.resource {
            self.finish_state(r);
        }
        match op.effect {
            Effect::Delete(target) => {
                let inside = format!("{target}/");
                self.resources
                    .retain(|k, _| k != &target && !k.starts_with(&inside));
                self.power
                    .retain(|k, _| k != &target && !k.starts_with(&inside));
            }
            Effect::Power(vm, state) => {
                self.power.insert(vm, state);
            }
            Effect::None => {}
        }
        if is_async {
            Resp::json(200, json!({"status": "Succeeded"}))
        } else {
            Resp::empty(200)
        }
    }
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// `tagName eq 'K' and tagValue eq 'V'` → (K, V).
fn tag_filter(text: &str) -> Option<(String, String)> {
    let rest = text.strip_prefix("tagName eq '")?;
    let (key, rest) = rest.split_once("' and tagValue eq '")?;
    let value = rest.strip_suffix('\'')?;
    (!key.contains('\'') && !value.contains('\'')).then(|| (key.to_string(), value.to_string()))
}

fn statuses(power: &str) -> Value {
    json!([
        {"code": "ProvisioningState/succeeded", "level": "Info", "displayStatus": "Provisioning succeeded"},
        {"code": format!("PowerState/{power}"), "level": "Info"}
    ])
}
