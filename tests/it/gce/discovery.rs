//! Google's discovery document of the Compute API v1
//! (`../shared/specs/gce/compute.v1.json`) as a judge of requests and of
//! the fake's own answers: a request matches exactly one method by HTTP
//! method and path template (relative to rootUrl + servicePath); its query
//! names only that method's or the document's global parameters, typed;
//! its body and every answer hold only the schema's properties (through
//! `$ref`s and `additionalProperties`), with the JSON types, enums and
//! formats the schema gives (int64 and uint64 as decimal strings), no
//! output-only field in a request, and the fields the method requires.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::{Map, Value};

pub const SERVICE_PATH: &str = "/compute/v1/";

enum Seg {
    Lit(String),
    Var(String),
    /// `{+name}`: one or more segments.
    Rest(String),
}

pub struct Method {
    pub id: String,
    http: String,
    segs: Vec<Seg>,
    params: Map<String, Value>,
    request: Option<String>,
    pub response: Option<String>,
}

pub struct Discovery {
    methods: Vec<Method>,
    schemas: Map<String, Value>,
    global_params: Map<String, Value>,
}

pub fn path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/specs/gce/compute.v1.json")
}

/// The document, read once.
pub fn discovery() -> &'static Discovery {
    static DOC: OnceLock<Discovery> = OnceLock::new();
    DOC.get_or_init(|| {
        let text = std::fs::read_to_string(path()).expect("the GCE discovery document");
        let doc: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(doc["servicePath"], "compute/v1/");
        let mut methods = Vec::new();
        collect(&doc["resources"], &mut methods);
        Discovery {
            methods,
            schemas: doc["schemas"].as_object().unwrap().clone(),
            global_params: doc["parameters"].as_object().unwrap().clone(),
        }
    })
}

fn collect(resources: &Value, out: &mut Vec<Method>) {
    for resource in resources.as_object().into_iter().flat_map(|m| m.values()) {
        for m in resource["methods"]
            .as_object()
            .into_iter()
            .flat_map(|m| m.values())
        {
            let segs = m["path"]
                .as_str()
                .unwrap()
                .split('/')
                .map(
                    |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                        Some(v) => match v.strip_prefix('+') {
                            Some(rest) => Seg::Rest(rest.to_string()),
                            None => Seg::Var(v.to_string()),
                        },
                        None => Seg::Lit(s.to_string()),
                    },
                )
                .collect();
            out.push(Method {
                id: m["id"].as_str().unwrap().to_string(),
                http: m["httpMethod"].as_str().unwrap().to_string(),
                segs,
                params: m["parameters"].as_object().cloned().unwrap_or_default(),
                request: m["request"]["$ref"].as_str().map(str::to_string),
                response: m["response"]["$ref"].as_str().map(str::to_string),
            });
        }
        collect(&resource["resources"], out);
    }
}

fn bind(segs: &[Seg], parts: &[&str], vars: &mut HashMap<String, String>) -> bool {
    match (segs.first(), parts.first()) {
        (None, None) => true,
        (Some(Seg::Lit(l)), Some(p)) => l == p && bind(&segs[1..], &parts[1..], vars),
        (Some(Seg::Var(v)), Some(p)) if !p.is_empty() => {
            vars.insert(v.clone(), p.to_string());
            bind(&segs[1..], &parts[1..], vars)
        }
        (Some(Seg::Rest(v)), Some(_)) => (1..=parts.len()).any(|n| {
            vars.insert(v.clone(), parts[..n].join("/"));
            bind(&segs[1..], &parts[n..], vars)
        }),
        _ => false,
    }
}

fn literals(m: &Method) -> usize {
    m.segs.iter().filter(|s| matches!(s, Seg::Lit(_))).count()
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(&s.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

impl Discovery {
    /// The one method `http` `path` (under the service path) is, and its path variables.
    pub fn method(
        &self,
        http: &str,
        path: &str,
    ) -> Result<(&Method, HashMap<String, String>), String> {
        let rel = path
            .strip_prefix(SERVICE_PATH)
            .ok_or_else(|| format!("{http} {path} is not under {SERVICE_PATH}"))?;
        let parts: Vec<&str> = rel.split('/').collect();
        let mut found: Vec<(&Method, HashMap<String, String>)> = self
            .methods
            .iter()
            .filter(|m| m.http == http)
            .filter_map(|m| {
                let mut vars = HashMap::new();
                bind(&m.segs, &parts, &mut vars).then_some((m, vars))
            })
            .collect();
        // A literal segment beats a variable (".../instances/bulkInsert" is not an instance).
        let best = found.iter().map(|(m, _)| literals(m)).max();
        found.retain(|(m, _)| Some(literals(m)) == best);
        match found.len() {
            1 => Ok(found.pop().unwrap()),
            0 => Err(format!(
                "{http} {path} is no method of the discovery document"
            )),
            _ => Err(format!(
                "{http} {path} matches several methods: {}",
                found
                    .iter()
                    .map(|(m, _)| m.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// Violations of the query string against the method's parameters.
    pub fn check_query(&self, m: &Method, query: &str) -> Vec<String> {
        let mut out = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let (k, v) = (decode(k), decode(v));
            let spec = m.params.get(&k).or_else(|| self.global_params.get(&k));
            match spec {
                None => out.push(format!("{}: unknown query parameter {k:?}", m.id)),
                Some(p) if p["location"] == "path" => {
                    out.push(format!("{}: path parameter {k:?} sent in the query", m.id))
                }
                Some(p) => {
                    let ok = match p["type"].as_str() {
                        Some("integer") => v.parse::<i64>().is_ok(),
                        Some("boolean") => v == "true" || v == "false",
                        _ => p["enum"]
                            .as_array()
                            .is_none_or(|e| e.iter().any(|x| x == v.as_str())),
                    };
                    if !ok {
                        out.push(format!(
                            "{}: query parameter {k}={v:?} is not a {}",
                            m.id, p["type"]
                        ));
                    }
                }
            }
        }
        out
    }

    /// Violations of a request body against the method's request schema.
    pub fn check_request(&self, m: &Method, body: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        match (&m.request, body.is_empty()) {
            (None, true) => {}
            (None, false) => out.push(format!("{} takes no body", m.id)),
            (Some(r), true) => out.push(format!("{} needs a {r} body", m.id)),
            (Some(r), false) => match serde_json::from_slice::<Value>(body) {
                Ok(v) => self.check(&Value::String(r.clone()), &v, r, Some(&m.id), &mut out),
                Err(e) => out.push(format!("{}: the body is not JSON: {e}", m.id)),
            },
        }
        out
    }

    /// Violations of an answer against the method's response schema.
    pub fn check_response(&self, m: &Method, body: &Value) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(r) = &m.response {
            self.check(&Value::String(r.clone()), body, r, None, &mut out);
        }
        out.into_iter()
            .map(|v| format!("the fake's answer: {v}"))
            .collect()
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        let name = schema.as_str().or_else(|| schema["$ref"].as_str());
        match name {
            Some(n) => &self.schemas[n],
            None => schema,
        }
    }

    /// `request` names the method when checking a request (output-only fields refused, required ones demanded).
    fn check(
        &self,
        schema: &Value,
        v: &Value,
        at: &str,
        request: Option<&str>,
        out: &mut Vec<String>,
    ) {
        let schema = self.resolve(schema);
        let kind = schema["type"].as_str().unwrap_or("any");
        let format = schema["format"].as_str().unwrap_or_default();
        let ok = match kind {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" if matches!(format, "int64" | "uint64") => v.as_str().is_some_and(|s| {
                s.trim_start_matches('-')
                    .bytes()
                    .all(|b| b.is_ascii_digit())
                    && !s.is_empty()
            }),
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            _ => true,
        };
        if !ok {
            return out.push(format!(
                "{at}: {v} is not {kind}{}",
                if format.is_empty() {
                    String::new()
                } else {
                    format!(" ({format})")
                }
            ));
        }
        if let Some(values) = schema["enum"].as_array()
            && !values.contains(v)
        {
            out.push(format!("{at}: {v} is not one of the enum's values"));
        }
        match v {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.check(&schema["items"], item, &format!("{at}[{i}]"), request, out);
                }
            }
            Value::Object(map) => self.check_object(schema, map, at, request, out),
            _ => {}
        }
    }

    fn check_object(
        &self,
        schema: &Value,
        map: &Map<String, Value>,
        at: &str,
        request: Option<&str>,
        out: &mut Vec<String>,
    ) {
        let props = schema["properties"].as_object();
        for (k, item) in map {
            let here = format!("{at}.{k}");
            match (
                props.and_then(|p| p.get(k)),
                schema.get("additionalProperties"),
            ) {
                (Some(p), _) => {
                    if request.is_some() && p["readOnly"] == true {
                        out.push(format!("{here} is output only"));
                    }
                    self.check(p, item, &here, request, out);
                }
                (None, Some(extra)) => self.check(extra, item, &here, request, out),
                (None, None) => out.push(format!("{here} is no field of the schema")),
            }
        }
        let Some(method) = request else { return };
        for (k, p) in props.into_iter().flatten() {
            let required = p["annotations"]["required"]
                .as_array()
                .is_some_and(|r| r.iter().any(|m| m == method));
            if required && !map.contains_key(k) {
                out.push(format!("{at}.{k} is required by {method}"));
            }
        }
    }
}
