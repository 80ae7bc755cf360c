//! A fake Compute Engine on the loopback HTTP fake server, held to the
//! discovery document (see `discovery`): every request is matched to one
//! method and its query and body checked before the fake acts on it; every
//! answer is checked against the method's response schema. What breaks the
//! document is answered 400 and kept in `violations`, which each test
//! asserts empty.
//!
//! It keeps state (images, firewall rules, instances, disks, operations)
//! and plays what a static description cannot: operations RUNNING for a
//! number of waits before DONE, an operation that ends with `error`, lists
//! in pages (`nextPageToken`), a 403 quota answer, 404s, and a call that
//! hangs (to kill a create mid-way). Lists filter as the driver asks:
//! instances by one label (`labels.K=V`), firewall rules by one regular
//! expression on the name (`name eq RE`); new instances take their
//! addresses from a pool when one is set (a cluster's stand-in hosts).
//! Its token endpoint takes the
//! JWT-bearer grant (checking the RS256 signature with the test's public
//! key via `openssl`, the audience, scope, issuer and expiry) and the
//! refresh-token grant; its metadata endpoints play a Compute Engine
//! instance's metadata server. Compute calls need a token it issued.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use super::discovery::{SERVICE_PATH, discovery};
use crate::http_fake::{Req, Resp, Server};

pub const PROJECT: &str = "machinectl-test";
pub const EMAIL: &str = "mctl@machinectl-test.iam.gserviceaccount.com";
pub const SCOPE: &str = "https://www.googleapis.com/auth/compute";
pub const CLIENT_SECRET: &str = "d-FL95Q19q7MQmFpd7hHD0Ty";
pub const REFRESH_TOKEN: &str = "1//0gRefreshTokenOfTheTestUser";
const ROOT: &str = "https://compute.googleapis.com/compute/v1/";

#[derive(Default)]
pub struct Cloud {
    pub violations: Vec<String>,
    /// The public key (PEM) service-account JWTs must be signed with.
    pub public_key: String,
    /// The audience a JWT must name (the fake's /token).
    pub token_uri: String,
    issued: BTreeSet<String>,
    pub tokens_issued: usize,
    /// Seconds an issued token lives (0: an hour).
    pub token_life: u64,
    pub firewalls: BTreeMap<String, Value>,
    /// (zone, name) → instance.
    pub instances: BTreeMap<(String, String), Value>,
    pub disks: BTreeSet<(String, String)>,
    ops: BTreeMap<String, Op>,
    next: u64,
    /// The addresses new instances get.
    pub nat_ip: String,
    pub internal_ip: String,
    /// Addresses (external, internal) new instances take in turn before
    /// `nat_ip`/`internal_ip` (a cluster's nodes each at its own stand-in).
    pub address_pool: Vec<(String, String)>,
    /// Answers an operation gives RUNNING (its insert's first) before DONE.
    pub op_polls: u32,
    /// instances.insert's operation ends with this error (its disk is left behind).
    pub fail_insert_op: Option<String>,
    /// The next N Compute calls answer 403 rateLimitExceeded.
    pub rate_limited: u32,
    /// instances.insert answers 403 quotaExceeded.
    pub quota_on_insert: bool,
    /// Items per page of a list, whatever maxResults says (0: maxResults).
    pub page_size: usize,
    /// The next firewalls.get answers 404 although the rule exists (another create made it meanwhile).
    pub hide_firewall_once: bool,
    /// Whether the metadata server plays a Compute Engine instance's (else it answers 404).
    pub metadata: bool,
    /// Hang (this long) before answering this method id.
    pub hang: Option<(String, Duration)>,
}

struct Op {
    zone: Option<String>,
    kind: String,
    target: String,
    polls: u32,
    error: Option<String>,
}

fn not_found(what: &str) -> Resp {
    let message = format!("The resource '{what}' was not found");
    Resp::json(
        404,
        json!({"error": {"code": 404, "message": message, "errors": [{"message": message, "domain": "global", "reason": "notFound"}]}}),
    )
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

impl Cloud {
    fn id(&mut self) -> u64 {
        self.next += 1;
        1_000_000 + self.next
    }

    fn op(&mut self, zone: Option<&str>, kind: &str, target: &str, error: Option<String>) -> Value {
        let name = format!("operation-{}", self.id());
        let polls = self.op_polls.saturating_sub(1);
        self.ops.insert(
            name.clone(),
            Op {
                zone: zone.map(str::to_string),
                kind: kind.into(),
                target: target.into(),
                polls,
                error,
            },
        );
        let status = if self.op_polls == 0 {
            "DONE"
        } else {
            "RUNNING"
        };
        self.op_json(&name, status)
    }

    fn op_json(&self, name: &str, status: &str) -> Value {
        let op = &self.ops[name];
        let scope = match &op.zone {
            Some(z) => format!("projects/{PROJECT}/zones/{z}"),
            None => format!("projects/{PROJECT}/global"),
        };
        let mut v = json!({
            "kind": "compute#operation", "id": "7127550864823803662", "name": name,
            "operationType": op.kind, "targetLink": format!("{ROOT}{}", op.target),
            "status": status, "progress": if status == "DONE" { 100 } else { 50 },
            "insertTime": "2026-11-30T10:00:00.000-08:00", "user": EMAIL,
            "selfLink": format!("{ROOT}{scope}/operations/{name}"),
        });
        if let Some(z) = &op.zone {
            v["zone"] = json!(format!("{ROOT}projects/{PROJECT}/zones/{z}"));
        }
        if let (Some(e), "DONE") = (&op.error, status) {
            v["error"] =
                json!({"errors": [{"code": "ZONE_RESOURCE_POOL_EXHAUSTED", "message": e}]});
            v["httpErrorStatusCode"] = json!(503);
            v["httpErrorMessage"] = json!("SERVICE UNAVAILABLE");
        }
        v
    }

    fn wait(&mut self, name: &str) -> Resp {
        let Some(op) = self.ops.get_mut(name) else {
            return not_found(name);
        };
        let status = if op.polls == 0 {
            "DONE"
        } else {
            op.polls -= 1;
            "RUNNING"
        };
        Resp::json(200, self.op_json(name, status))
    }

    /// The token endpoint: the JWT-bearer grant (signature, aud, scope, iss, exp) or the refresh-token grant.
    fn token(&mut self, req: &Req) -> Resp {
        let form: BTreeMap<String, String> = String::from_utf8_lossy(&req.body)
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| {
                (
                    k.to_string(),
                    percent_encoding::percent_decode_str(v)
                        .decode_utf8_lossy()
                        .into_owned(),
                )
            })
            .collect();
        let refused = |why: &str| {
            Resp::json(
                400,
                json!({"error": "invalid_grant", "error_description": why}),
            )
        };
        let grant = form.get("grant_type").map(String::as_str);
        let verdict = match grant {
            Some("urn:ietf:params:oauth:grant-type:jwt-bearer") => {
                self.check_jwt(form.get("assertion").map_or("", |s| s.as_str()))
            }
            Some("refresh_token") => {
                let ok = form.get("client_secret").map(String::as_str) == Some(CLIENT_SECRET)
                    && form.get("refresh_token").map(String::as_str) == Some(REFRESH_TOKEN);
                if ok {
                    Ok(())
                } else {
                    Err("Token has been expired or revoked.".to_string())
                }
            }
            _ => Err("unsupported grant_type".to_string()),
        };
        if let Err(why) = verdict {
            return refused(&why);
        }
        self.tokens_issued += 1;
        let token = format!("ya29.c.fake-{}", self.id());
        self.issued.insert(token.clone());
        Resp::json(
            200,
            json!({"access_token": token, "expires_in": self.life(), "token_type": "Bearer"}),
        )
    }

    fn life(&self) -> u64 {
        if self.token_life == 0 {
            3599
        } else {
            self.token_life
        }
    }

    fn check_jwt(&self, jwt: &str) -> Result<(), String> {
        let parts: Vec<&str> = jwt.split('.').collect();
        let [header, claims, signature] = parts.as_slice() else {
            return Err("not a JWT".into());
        };
        let decode = |s: &str| {
            URL_SAFE_NO_PAD
                .decode(s)
                .map_err(|_| "bad base64url".to_string())
        };
        let h: Value = serde_json::from_slice(&decode(header)?).map_err(|_| "bad header")?;
        let c: Value = serde_json::from_slice(&decode(claims)?).map_err(|_| "bad claims")?;
        if h["alg"] != "RS256" {
            return Err(format!("alg {} is not RS256", h["alg"]));
        }
        if !self.signed_by_test_key(format!("{header}.{claims}").as_bytes(), &decode(signature)?) {
            return Err("Invalid JWT Signature.".into());
        }
        let exp = c["exp"].as_u64().unwrap_or(0);
        let iat = c["iat"].as_u64().unwrap_or(0);
        let checks = [
            (
                c["aud"] == self.token_uri.as_str(),
                "aud is not the token URI",
            ),
            (c["iss"] == EMAIL, "iss is not the service account"),
            (
                c["scope"]
                    .as_str()
                    .is_some_and(|s| s.split(' ').any(|s| s == SCOPE)),
                "no compute scope",
            ),
            (
                exp > now() && exp <= iat + 3600 && iat <= now() + 60,
                "expired or too long",
            ),
        ];
        match checks.iter().find(|(ok, _)| !ok) {
            Some((_, why)) => Err(format!("Invalid JWT: {why}")),
            None => Ok(()),
        }
    }

    fn signed_by_test_key(&self, data: &[u8], signature: &[u8]) -> bool {
        let dir = tempfile::tempdir().unwrap();
        let (d, s, k) = (
            dir.path().join("data"),
            dir.path().join("sig"),
            dir.path().join("pub.pem"),
        );
        std::fs::write(&k, &self.public_key).unwrap();
        std::fs::write(&d, data).unwrap();
        std::fs::write(&s, signature).unwrap();
        Command::new("openssl")
            .args(["dgst", "-sha256", "-verify"])
            .arg(&k)
            .arg("-signature")
            .arg(&s)
            .arg(&d)
            .output()
            .unwrap()
            .status
            .success()
    }

    fn metadata(&mut self, req: &Req) -> Resp {
        if !self.metadata {
            return Resp::empty(404);
        }
        if req.header("metadata-flavor") != Some("Google") {
            return Resp::json(403, json!("Missing Metadata-Flavor:Google header."));
        }
        match req.path() {
            "/computeMetadata/v1/project/project-id" => Resp {
                status: 200,
                headers: vec![],
                body: PROJECT.into(),
            },
            "/computeMetadata/v1/instance/service-accounts/default/token" => {
                let token = format!("ya29.c.metadata-{}", self.id());
                self.issued.insert(token.clone());
                self.tokens_issued += 1;
                Resp::json(
                    200,
                    json!({"access_token": token, "expires_in": self.life(), "token_type": "Bearer"}),
                )
            }
            _ => Resp::empty(404),
        }
    }

    pub fn handle(&mut self, req: &Req) -> Resp {
        if req.path() == "/token" && req.method == "POST" {
            return self.token(req);
        }
        if req.path().starts_with("/computeMetadata/") {
            return self.metadata(req);
        }
        let doc = discovery();
        let (method, vars) = match doc.method(&req.method, req.path()) {
            Ok(found) => found,
            Err(why) => return self.violation(why),
        };
        let query = req.target.split_once('?').map_or("", |(_, q)| q);
        let mut bad = doc.check_query(method, query);
        bad.extend(doc.check_request(method, &req.body));
        if !bad.is_empty() {
            return self.violation(bad.join("; "));
        }
        let bearer = req
            .header("authorization")
            .and_then(|a| a.strip_prefix("Bearer "))
            .unwrap_or_default();
        if !self.issued.contains(bearer) {
            return Resp::json(
                401,
                json!({"error": {"code": 401, "message": "Request had invalid authentication credentials.", "errors": [{"reason": "authError", "message": "Invalid Credentials", "domain": "global"}]}}),
            );
        }
        if self.rate_limited > 0 {
            self.rate_limited -= 1;
            let message = "Rate Limit Exceeded";
            return Resp::json(
                403,
                json!({"error": {"code": 403, "message": message, "errors": [{"message": message, "domain": "usageLimits", "reason": "rateLimitExceeded"}]}}),
            );
        }
        let resp = self.act(&method.id, &vars, req);
        if resp.status == 200 {
            let body: Value = serde_json::from_slice(&resp.body).unwrap_or(Value::Null);
            let wrong = doc.check_response(method, &body);
            self.violations.extend(wrong);
        }
        resp
    }

    fn violation(&mut self, why: String) -> Resp {
        self.violations.push(why.clone());
        Resp::json(
            400,
            json!({"error": {"code": 400, "message": why, "errors": [{"reason": "invalid", "message": why}]}}),
        )
    }

    fn act(
        &mut self,
        id: &str,
        vars: &std::collections::HashMap<String, String>,
        req: &Req,
    ) -> Resp {
        let var = |k: &str| vars.get(k).cloned().unwrap_or_default();
        if vars
            .get("project")
            .is_some_and(|p| p != PROJECT && p != "ubuntu-os-cloud")
        {
            return not_found(&format!("projects/{}", var("project")));
        }
        let (zone, name) = (var("zone"), var("instance"));
        match id {
            "compute.images.getFromFamily" => self.image(&var("project"), &var("family")),
            "compute.firewalls.get" if std::mem::take(&mut self.hide_firewall_once) => {
                not_found(&var("firewall"))
            }
            "compute.firewalls.get" => match self.firewalls.get(&var("firewall")) {
                Some(f) => Resp::json(200, f.clone()),
                None => not_found(&var("firewall")),
            },
            "compute.firewalls.insert" => self.insert_firewall(req.json()),
            "compute.firewalls.patch" => self.patch_firewall(&var("firewall"), req.json()),
            "compute.firewalls.delete" => self.delete_firewall(&var("firewall")),
            "compute.firewalls.list" => self.list_firewalls(req),
            "compute.instances.insert" => self.insert_instance(&zone, req.json()),
            "compute.instances.get" => match self.instances.get(&(zone, name.clone())) {
                Some(i) => Resp::json(200, i.clone()),
                None => not_found(&name),
            },
            "compute.instances.delete" => self.delete_instance(&zone, &name),
            "compute.disks.delete" => self.delete_disk(&zone, &var("disk")),
            "compute.instances.start" => self.power(&zone, &name, "start", "RUNNING"),
            "compute.instances.stop" => self.power(&zone, &name, "stop", "TERMINATED"),
            "compute.instances.list" => self.list(req, Some(&zone)),
            "compute.instances.aggregatedList" => self.list(req, None),
            "compute.zoneOperations.wait" | "compute.globalOperations.wait" => {
                self.wait(&var("operation"))
            }
            other => self.violation(format!("the fake does not play {other}")),
        }
    }

    /// An operation on `target`, answered.
    fn op_resp(&mut self, zone: Option<&str>, kind: &str, target: &str) -> Resp {
        Resp::json(200, self.op(zone, kind, target, None))
    }

    fn delete_firewall(&mut self, name: &str) -> Resp {
        match self.firewalls.remove(name) {
            Some(_) => self.op_resp(
                None,
                "delete",
                &format!("projects/{PROJECT}/global/firewalls/{name}"),
            ),
            None => not_found(name),
        }
    }

    fn delete_disk(&mut self, zone: &str, disk: &str) -> Resp {
        if self.disks.remove(&(zone.to_string(), disk.to_string())) {
            self.op_resp(
                Some(zone),
                "delete",
                &format!("projects/{PROJECT}/zones/{zone}/disks/{disk}"),
            )
        } else {
            not_found(disk)
        }
    }

    fn power(&mut self, zone: &str, name: &str, kind: &str, status: &str) -> Resp {
        let Some(i) = self
            .instances
            .get_mut(&(zone.to_string(), name.to_string()))
        else {
            return not_found(name);
        };
        i["status"] = json!(status);
        self.op_resp(
            Some(zone),
            kind,
            &format!("projects/{PROJECT}/zones/{zone}/instances/{name}"),
        )
    }

    /// instances.list of one zone, or aggregatedList (by zone) of all.
    fn list(&self, req: &Req, zone: Option<&str>) -> Resp {
        let items: Vec<Value> = self
            .labelled(req)
            .filter(|((z, _), _)| zone.is_none_or(|zone| z == zone))
            .map(|(_, i)| i.clone())
            .collect();
        if zone.is_some() {
            return self.page(
                items,
                req,
                |items| json!({"kind": "compute#instanceList", "id": "x", "items": items}),
            );
        }
        self.page(items, req, |items| {
            let mut by_zone = serde_json::Map::new();
            for i in items {
                let zone = i["zone"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string();
                let scoped = by_zone
                    .entry(format!("zones/{zone}"))
                    .or_insert_with(|| json!({"instances": []}));
                scoped["instances"].as_array_mut().unwrap().push(i);
            }
            json!({"kind": "compute#instanceAggregatedList", "id": "x", "items": by_zone})
        })
    }

    fn image(&self, project: &str, family: &str) -> Resp {
        if project != "ubuntu-os-cloud" || family != "ubuntu-2404-lts-amd64" {
            return not_found(&format!("projects/{project}/global/images/family/{family}"));
        }
        Resp::json(
            200,
            json!({
                "kind": "compute#image", "id": "3184221925582311010", "name": "ubuntu-2404-noble-amd64-v20261120",
                "family": family, "status": "READY", "diskSizeGb": "10", "architecture": "X86_64",
                "selfLink": format!("{ROOT}projects/{project}/global/images/ubuntu-2404-noble-amd64-v20261120"),
            }),
        )
    }

    fn insert_firewall(&mut self, mut body: Value) -> Resp {
        let name = body["name"].as_str().unwrap_or_default().to_string();
        if self.firewalls.contains_key(&name) {
            return Resp::json(
                409,
                json!({"error": {"code": 409, "message": format!("The resource '{name}' already exists"), "errors": [{"reason": "alreadyExists"}]}}),
            );
        }
        let target = format!("projects/{PROJECT}/global/firewalls/{name}");
        body["id"] = json!(self.id().to_string());
        body["kind"] = json!("compute#firewall");
        body["selfLink"] = json!(format!("{ROOT}{target}"));
        self.firewalls.insert(name, body);
        Resp::json(200, self.op(None, "insert", &target, None))
    }

    fn patch_firewall(&mut self, name: &str, patch: Value) -> Resp {
        let Some(f) = self.firewalls.get_mut(name) else {
            return not_found(name);
        };
        for (k, v) in patch.as_object().unwrap() {
            f[k] = v.clone();
        }
        Resp::json(
            200,
            self.op(
                None,
                "patch",
                &format!("projects/{PROJECT}/global/firewalls/{name}"),
                None,
            ),
        )
    }

    fn insert_instance(&mut self, zone: &str, mut body: Value) -> Resp {
        if self.quota_on_insert {
            let message = "Quota 'CPUS' exceeded.  Limit: 8.0 in region us-central1.";
            return Resp::json(
                403,
                json!({"error": {"code": 403, "message": message, "errors": [{"message": message, "domain": "usageLimits", "reason": "quotaExceeded"}]}}),
            );
        }
        let name = body["name"].as_str().unwrap_or_default().to_string();
        let target = format!("projects/{PROJECT}/zones/{zone}/instances/{name}");
        let disk = body["disks"][0]["initializeParams"]["diskName"]
            .as_str()
            .unwrap_or(&name)
            .to_string();
        self.disks.insert((zone.to_string(), disk));
        if let Some(e) = self.fail_insert_op.clone() {
            return Resp::json(200, self.op(Some(zone), "insert", &target, Some(e)));
        }
        body["id"] = json!(self.id().to_string());
        body["kind"] = json!("compute#instance");
        body["status"] = json!("RUNNING");
        body["zone"] = json!(format!("{ROOT}projects/{PROJECT}/zones/{zone}"));
        body["selfLink"] = json!(format!("{ROOT}{target}"));
        let (nat_ip, internal_ip) = if self.address_pool.is_empty() {
            (self.nat_ip.clone(), self.internal_ip.clone())
        } else {
            self.address_pool.remove(0)
        };
        let nic = &mut body["networkInterfaces"][0];
        nic["networkIP"] = json!(internal_ip);
        nic["name"] = json!("nic0");
        if let Some(ac) = nic.get_mut("accessConfigs").and_then(|a| a.get_mut(0)) {
            ac["natIP"] = json!(nat_ip);
        }
        self.instances.insert((zone.to_string(), name), body);
        Resp::json(200, self.op(Some(zone), "insert", &target, None))
    }

    fn delete_instance(&mut self, zone: &str, name: &str) -> Resp {
        let Some(i) = self.instances.remove(&(zone.to_string(), name.to_string())) else {
            return not_found(name);
        };
        if let Some(disk) = i["disks"][0]["initializeParams"]["diskName"].as_str() {
            self.disks.remove(&(zone.to_string(), disk.to_string()));
        }
        Resp::json(
            200,
            self.op(
                Some(zone),
                "delete",
                &format!("projects/{PROJECT}/zones/{zone}/instances/{name}"),
                None,
            ),
        )
    }

    /// Instances the list's `filter` (only `labels.KEY=VALUE` is played) selects.
    fn labelled<'a>(
        &'a self,
        req: &Req,
    ) -> impl Iterator<Item = (&'a (String, String), &'a Value)> + 'a {
        let filter = req.query("filter").map(|f| {
            percent_encoding::percent_decode_str(&f.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned()
        });
        let wanted = filter
            .as_deref()
            .and_then(|f| f.strip_prefix("labels."))
            .and_then(|f| f.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()));
        self.instances.iter().filter(move |(_, i)| {
            wanted
                .as_ref()
                .is_none_or(|(k, v)| i["labels"][k] == v.as_str())
        })
    }

    /// firewalls.list; its `filter` may be one regular expression on the
    /// name (`name eq RE`, matching the whole name), as the document allows.
    fn list_firewalls(&mut self, req: &Req) -> Resp {
        let filter = req.query("filter").map(|f| {
            percent_encoding::percent_decode_str(&f.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned()
        });
        let pattern = match filter.as_deref().map(|f| f.strip_prefix("name eq ")) {
            None => None,
            Some(Some(re)) => Some(regex::Regex::new(&format!(
                "^(?:{})$",
                re.trim_matches(['"', '\''])
            ))),
            Some(None) => {
                return self.violation(format!(
                    "the fake plays only `name eq RE` filters of firewalls, not {filter:?}"
                ));
            }
        };
        let pattern = match pattern.transpose() {
            Ok(p) => p,
            Err(e) => return self.violation(format!("a filter that is no RE2 expression: {e}")),
        };
        let items: Vec<Value> = self
            .firewalls
            .iter()
            .filter(|(name, _)| pattern.as_ref().is_none_or(|re| re.is_match(name)))
            .map(|(_, f)| f.clone())
            .collect();
        self.page(
            items,
            req,
            |items| json!({"kind": "compute#firewallList", "id": "x", "items": items}),
        )
    }

    fn page(&self, items: Vec<Value>, req: &Req, shape: impl Fn(Vec<Value>) -> Value) -> Resp {
        let max: usize = req
            .query("maxResults")
            .and_then(|m| m.parse().ok())
            .unwrap_or(500);
        let size = if self.page_size == 0 {
            max
        } else {
            self.page_size.min(max)
        };
        let start: usize = req
            .query("pageToken")
            .and_then(|t| t.strip_prefix("page-")?.parse().ok())
            .unwrap_or(0);
        let total = items.len();
        let mut body = shape(items.into_iter().skip(start).take(size).collect());
        if start + size < total {
            body["nextPageToken"] = json!(format!("page-{}", start + size));
        }
        Resp::json(200, body)
    }

    /// What is left that machinectl made.
    pub fn leftovers(&self) -> (usize, usize, usize) {
        (self.firewalls.len(), self.instances.len(), self.disks.len())
    }
}

pub struct Fake {
    pub server: Server,
    pub cloud: Arc<Mutex<Cloud>>,
}

impl Fake {
    pub fn start(public_key: String, setup: impl FnOnce(&mut Cloud)) -> Fake {
        let mut cloud = Cloud {
            public_key,
            nat_ip: "127.0.0.1".into(),
            internal_ip: "127.0.0.2".into(),
            ..Cloud::default()
        };
        setup(&mut cloud);
        let cloud = Arc::new(Mutex::new(cloud));
        let shared = cloud.clone();
        // The cloud's lock is held only inside one request, never while one hangs.
        let server = Server::start(move |req| {
            let hang = {
                let c = shared.lock().unwrap();
                c.hang.clone().filter(|(id, _)| {
                    discovery()
                        .method(&req.method, req.path())
                        .is_ok_and(|(m, _)| &m.id == id)
                })
            };
            if let Some((_, pause)) = hang {
                std::thread::sleep(pause);
            }
            shared.lock().unwrap().handle(req)
        });
        cloud.lock().unwrap().token_uri = format!("{}/token", server.url);
        Fake { server, cloud }
    }

    pub fn endpoint(&self) -> String {
        format!("{}{SERVICE_PATH}", self.server.url)
    }

    /// The Compute calls made so far (the token and metadata endpoints left out), as `METHOD path`.
    pub fn compute_calls(&self, from: usize) -> Vec<String> {
        self.server.requests()[from..]
            .iter()
            .filter(|l| l.req.path().starts_with(SERVICE_PATH))
            .map(|l| format!("{} {}", l.req.method, &l.req.path()[SERVICE_PATH.len()..]))
            .collect()
    }

    pub fn assert_no_violations(&self) {
        let c = self.cloud.lock().unwrap();
        assert!(
            c.violations.is_empty(),
            "requests outside the discovery document:\n{}",
            c.violations.join("\n")
        );
    }
}
