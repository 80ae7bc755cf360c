//! The Compute Engine API v1 over reqwest: the few methods the driver
//! calls, paths as the discovery document writes them (relative to the
//! endpoint, `rootUrl` + `servicePath`), operations waited on, lists read
//! page by page, and Google's errors turned into one line naming the fix.
//!
//! - Every mutating call answers an `Operation`; [`Api::wait`] calls its
//!   zone's or the global `operations.wait` until it is `DONE` (bounded by
//!   [`OPERATION_LIMIT`]) and reports an operation that ends with `error`
//!   by its messages.
//! - 401, 403 (permission or quota), 404, 409 and 400 become one line each.
//! - A 5xx or a connection error on a call that is safe to repeat (GET,
//!   DELETE, `wait`) is tried again with the shared back-off; a rate limit
//!   (429, or 403 `rateLimitExceeded`) on any call is waited out (bounded),
//!   while a quota (403 `quotaExceeded`) is reported at once.
//!
//! Every request is counted ([`api_calls`]) for `--debug`.

use std::time::Duration;

use machinectl_driver_api::rest::{CallCounter, causes};
use machinectl_driver_api::retry::Backoff;
use machinectl_driver_api::{DriverError, Result};
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::auth::TokenSource;
use crate::checked::Endpoint;

/// How long one operation may take.
pub const OPERATION_LIMIT: Duration = Duration::from_secs(600);
/// Rate-limit answers are waited out from 2 s, doubling to 16 s, for at most a minute and a half.
const RATE_LIMIT_FIRST: Duration = Duration::from_secs(2);
const RATE_LIMIT_CAP: Duration = Duration::from_secs(16);
const RATE_LIMIT_LIMIT: Duration = Duration::from_secs(90);
/// Items asked for per page of a list.
pub const PAGE_SIZE: u32 = 500;
const REQUEST_TIMEOUT: Duration = Duration::from_secs(150);

static API_CALLS: CallCounter = CallCounter::new();

/// Requests sent to the Compute API by this process.
pub fn api_calls() -> usize {
    API_CALLS.get()
}

/// One endpoint and the tokens that speak for one set of credentials.
pub struct Api {
    base: Endpoint,
    tokens: TokenSource,
    http: reqwest::Client,
}

/// What a call answered: a body, or nothing there (404).
pub enum Answer {
    Found(Value),
    NotFound,
}

impl Api {
    pub fn new(base: &Endpoint, tokens: TokenSource) -> Result<Api> {
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("machinectl/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| DriverError::Other(format!("Compute API client: {e}")))?;
        Ok(Api {
            base: base.clone(),
            tokens,
            http,
        })
    }

    pub fn tokens(&self) -> &TokenSource {
        &self.tokens
    }

    pub async fn get(&self, path: &str) -> Result<Value> {
        self.must(Method::GET, path, None).await
    }

    pub async fn get_if_exists(&self, path: &str) -> Result<Option<Value>> {
        Ok(match self.send(Method::GET, path, None).await? {
            Answer::Found(v) => Some(v),
            Answer::NotFound => None,
        })
    }

    /// A call that must find its target (404 is an error).
    pub async fn must(&self, method: Method, path: &str, body: Option<Value>) -> Result<Value> {
        match self.send(method.clone(), path, body).await? {
            Answer::Found(v) => Ok(v),
            Answer::NotFound => Err(DriverError::Other(format!(
                "Compute Engine answered 404 Not Found to {method} {path}: check --gce-project, --gce-zone and the names given"
            ))),
        }
    }

    /// A mutating call and its operation, waited on until done.
    pub async fn mutate(&self, method: Method, path: &str, body: Option<Value>) -> Result<Answer> {
        match self.send(method, path, body).await? {
            Answer::Found(op) => self.wait(&op).await.map(Answer::Found),
            Answer::NotFound => Ok(Answer::NotFound),
        }
    }

    /// Wait for an operation (zonal or global) to be DONE; its error, if it ended with one.
    pub async fn wait(&self, op: &Value) -> Result<Value> {
        let mut op = op.clone();
        let mut backoff = Backoff::every(Duration::from_secs(1), OPERATION_LIMIT);
        loop {
            if op["status"] == "DONE" {
                return operation_result(op);
            }
            let path = operation_path(&op)?;
            if !backoff.pause().await {
                return Err(DriverError::Other(format!(
                    "Compute Engine operation {} ({}) was not done within {} minutes: see it with `gcloud compute operations describe`",
                    op["name"].as_str().unwrap_or("?"),
                    op["operationType"].as_str().unwrap_or("?"),
                    OPERATION_LIMIT.as_secs() / 60
                )));
            }
            op = self
                .must(Method::POST, &format!("{path}/wait"), None)
                .await?;
        }
    }

    /// Every item of a list (`items`, page by page); `query` is already encoded.
    pub async fn list(&self, path: &str, query: &str) -> Result<Vec<Value>> {
        self.pages(path, query, |page, items| {
            items.extend(page["items"].as_array().cloned().unwrap_or_default())
        })
        .await
    }

    /// Every instance of an aggregated list, whatever its zone.
    pub async fn aggregated(&self, path: &str, query: &str) -> Result<Vec<Value>> {
        self.pages(path, query, |page, items| {
            for scoped in page["items"]
                .as_object()
                .into_iter()
                .flat_map(|m| m.values())
            {
                items.extend(scoped["instances"].as_array().cloned().unwrap_or_default());
            }
        })
        .await
    }

    async fn pages(
        &self,
        path: &str,
        query: &str,
        mut take: impl FnMut(&Value, &mut Vec<Value>),
    ) -> Result<Vec<Value>> {
        let mut items = Vec::new();
        let mut token: Option<String> = None;
        // A bound on pages, so a server that always says "next" cannot loop us forever.
        for _ in 0..1000 {
            let size = PAGE_SIZE.to_string();
            let mut pairs = vec![("maxResults", size.as_str())];
            if let Some(t) = &token {
                pairs.push(("pageToken", t.as_str()));
            }
            let q = encode(query, &pairs);
            let page = self.get(&format!("{path}?{q}")).await?;
            take(&page, &mut items);
            match page["nextPageToken"].as_str() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => return Ok(items),
            }
        }
        Ok(items)
    }

    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Result<Answer> {
        match self.exchange(method.clone(), path, body).await? {
            Ok(answer) => Ok(answer),
            Err((status, text)) => Err(refused(&method, path, status, &text)),
        }
    }

    /// An insert and its operation, waited on: true when it made the
    /// resource, false when one of that name was there already (409).
    pub async fn insert(&self, path: &str, body: Value) -> Result<bool> {
        match self.exchange(Method::POST, path, Some(body)).await? {
            Ok(Answer::Found(op)) => self.wait(&op).await.map(|_| true),
            Err((StatusCode::CONFLICT, _)) => Ok(false),
            Ok(Answer::NotFound) => Err(refused(&Method::POST, path, StatusCode::NOT_FOUND, "")),
            Err((status, text)) => Err(refused(&Method::POST, path, status, &text)),
        }
    }

    /// One call, retried where safe: its answer, or the status and body of a refusal.
    async fn exchange(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<std::result::Result<Answer, (StatusCode, String)>> {
        let repeatable = matches!(method, Method::GET | Method::DELETE) || path.ends_with("/wait");
        let mut limited = Backoff::exponential(RATE_LIMIT_FIRST, RATE_LIMIT_CAP, RATE_LIMIT_LIMIT);
        let mut backoff = Backoff::exponential(
            Duration::from_secs(1),
            Duration::from_secs(8),
            Duration::from_secs(30),
        );
        loop {
            let token = self.tokens.token().await?;
            let mut request = self
                .http
                .request(method.clone(), self.base.join(path))
                .bearer_auth(token.expose())
                .header("Accept", "application/json");
            if let Some(body) = &body {
                request = request.json(body);
            }
            API_CALLS.add();
            let response = match request.send().await {
                Ok(r) => r,
                Err(e)
                    if repeatable
                        && (e.is_connect() || e.is_timeout())
                        && backoff.pause().await =>
                {
                    continue;
                }
                Err(e) => {
                    return Err(DriverError::Other(format!(
                        "cannot reach the Compute API for {method} {path}: {}; check --gce-endpoint and the network",
                        causes(&e)
                    )));
                }
            };
            let status = response.status();
            if status.is_server_error() && repeatable && backoff.pause().await {
                continue;
            }
            if status == StatusCode::NOT_FOUND {
                return Ok(Ok(Answer::NotFound));
            }
            let text = response.text().await.unwrap_or_default();
            if status.is_success() {
                if text.trim().is_empty() {
                    return Ok(Ok(Answer::Found(Value::Null)));
                }
                return serde_json::from_str(&text)
                    .map(|v| Ok(Answer::Found(v)))
                    .map_err(|e| {
                        DriverError::Other(format!(
                            "the Compute API's answer to {method} {path} is not JSON: {e}"
                        ))
                    });
            }
            // A rate limit refused the call before it ran: wait and send it again.
            if rate_limited(status, &text) && limited.pause().await {
                continue;
            }
            return Ok(Err((status, text)));
        }
    }
}

/// A 429, or a 403 whose reason is a rate limit (not a quota): Google's
/// "slow down", worth waiting out.
fn rate_limited(status: StatusCode, body: &str) -> bool {
    if status == StatusCode::TOO_MANY_REQUESTS {
        return true;
    }
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    status == StatusCode::FORBIDDEN
        && v["error"]["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|e| {
                matches!(
                    e["reason"].as_str(),
                    Some("rateLimitExceeded" | "userRateLimitExceeded")
                )
            })
}

/// `pairs` form-encoded after the already encoded `query`.
pub fn encode(query: &str, pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(query.to_string())
        .extend_pairs(pairs)
        .finish()
}

/// The path of an operation's own resource (zone or global), from its selfLink or zone.
fn operation_path(op: &Value) -> Result<String> {
    let name = op["name"]
        .as_str()
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    let link = op["selfLink"].as_str().unwrap_or_default();
    let rel = link.find("/projects/").map(|at| &link[at + 1..]);
    match (name, rel) {
        (Some(_), Some(rel)) if !rel.contains(['?', '#', '.']) => Ok(rel.to_string()),
        _ => Err(DriverError::Other(format!(
            "Compute Engine answered an operation without a usable name or selfLink: {}",
            op["name"]
        ))),
    }
}

/// DONE: the operation itself, or its error's messages.
fn operation_result(op: Value) -> Result<Value> {
    let errors = op["error"]["errors"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if errors.is_empty() {
        return Ok(op);
    }
    let messages: Vec<String> = errors
        .iter()
        .map(|e| {
            format!(
                "{} ({})",
                e["message"].as_str().unwrap_or("no message"),
                e["code"].as_str().unwrap_or("error")
            )
        })
        .collect();
    let quota = errors
        .iter()
        .any(|e| e["code"].as_str().is_some_and(|c| c.contains("QUOTA")));
    let exhausted = errors.iter().any(|e| {
        e["code"]
            .as_str()
            .is_some_and(|c| c.contains("EXHAUSTED") || c.contains("STOCKOUT"))
    });
    let fix = if quota {
        "ask for more quota (IAM & Admin → Quotas) or choose another --gce-zone or --gce-machine-type"
    } else if exhausted {
        "try another --gce-zone or --gce-machine-type, or again later"
    } else {
        "check the --gce-* values it names"
    };
    Err(DriverError::Other(format!(
        "Compute Engine's {} of {} failed: {}; {fix}",
        op["operationType"].as_str().unwrap_or("operation"),
        op["targetLink"]
            .as_str()
            .and_then(|l| l.rsplit('/').next())
            .unwrap_or("?"),
        messages.join("; ").replace(['\n', '\r'], " ")
    )))
}

/// The one line for an error answer, naming the fix.
fn refused(method: &Method, path: &str, status: StatusCode, body: &str) -> DriverError {
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let message = v["error"]["message"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| body.chars().take(200).collect())
        .replace(['\n', '\r'], " ");
    let reasons: Vec<&str> = v["error"]["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["reason"].as_str())
        .collect();
    let quota = reasons
        .iter()
        .any(|r| r.contains("quota") || r.contains("rateLimit") || r.contains("QUOTA"));
    let line = match status {
        StatusCode::UNAUTHORIZED => format!(
            "Compute Engine refused the access token (401 Unauthorized, {method} {path}: {message}): {}",
            crate::auth::HOW
        ),
        StatusCode::FORBIDDEN if quota => format!(
            "Compute Engine quota exceeded for {method} {path} (403: {message}): ask for more quota (IAM & Admin → Quotas), remove unused instances, or choose another --gce-zone or --gce-machine-type"
        ),
        StatusCode::FORBIDDEN => format!(
            "the Google credentials may not {method} {path} (403 Forbidden: {message}): give them the Compute Instance Admin (v1) and Compute Security Admin roles (and Service Account User for --gce-service-account), and enable the Compute Engine API in --gce-project"
        ),
        StatusCode::CONFLICT => format!(
            "Compute Engine answered 409 Conflict to {method} {path} ({message}): an instance of that name exists in the zone already; choose another machine name or remove it"
        ),
        StatusCode::BAD_REQUEST => format!(
            "Compute Engine refused {method} {path} (400: {message}): check the --gce-* value it names"
        ),
        other => format!("Compute Engine answered {other} to {method} {path}: {message}"),
    };
    DriverError::Other(line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn errors_are_one_line_naming_the_fix() {
        let limit = json!({"error": {"code": 403, "errors": [{"reason": "rateLimitExceeded"}]}});
        assert!(rate_limited(StatusCode::FORBIDDEN, &limit.to_string()));
        assert!(rate_limited(StatusCode::TOO_MANY_REQUESTS, ""));
        let quota = json!({"error": {"code": 403, "message": "Quota 'CPUS' exceeded.\nLimit: 8", "errors": [{"reason": "quotaExceeded", "message": "x"}]}});
        assert!(!rate_limited(StatusCode::FORBIDDEN, &quota.to_string()));
        let e = refused(
            &Method::POST,
            "projects/p/zones/z/instances",
            StatusCode::FORBIDDEN,
            &quota.to_string(),
        )
        .to_string();
        assert!(e.contains("quota exceeded") && !e.contains('\n'), "{e}");
        let denied = json!({"error": {"code": 403, "message": "Required 'compute.instances.create' permission", "errors": [{"reason": "forbidden"}]}});
        let e = refused(
            &Method::POST,
            "p",
            StatusCode::FORBIDDEN,
            &denied.to_string(),
        )
        .to_string();
        assert!(e.contains("Compute Instance Admin"), "{e}");
        let e = refused(&Method::GET, "p", StatusCode::UNAUTHORIZED, "{}").to_string();
        assert!(e.contains("--gce-credentials"), "{e}");
    }

    #[test]
    fn failed_operations_name_their_messages() {
        let op = json!({"name": "op-1", "status": "DONE", "operationType": "insert",
            "targetLink": "https://x/compute/v1/projects/p/zones/z/instances/web",
            "error": {"errors": [{"code": "ZONE_RESOURCE_POOL_EXHAUSTED", "message": "The zone does not have enough resources"}]}});
        let e = operation_result(op).unwrap_err().to_string();
        assert!(
            e.contains("insert of web failed") && e.contains("enough resources"),
            "{e}"
        );
        let op = json!({"name": "op-2", "selfLink": "https://compute.googleapis.com/compute/v1/projects/p/global/operations/op-2"});
        assert_eq!(
            operation_path(&op).unwrap(),
            "projects/p/global/operations/op-2"
        );
        assert!(
            operation_path(&json!({"name": "x", "selfLink": "https://h/projects/../x?y"})).is_err()
        );
    }
}
