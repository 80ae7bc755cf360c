//! DigitalOcean's API v2 over reqwest: the few calls the driver makes, with
//! the provider's errors turned into one line that names the fix.
//!
//! - 401, 403 and 422 become one-line errors that say what to change.
//! - 429 waits until `ratelimit-reset` (Unix seconds) or `Retry-After`
//!   (seconds), at most [`RATE_LIMIT_WAIT`] a time and [`RATE_LIMIT_TRIES`]
//!   times; the pause goes through the one retry policy, so tests with
//!   `MACHINECTL_NO_RETRY_DELAY=1` take the path without waiting.
//! - A 5xx or a connection error on a call that is safe to repeat (GET,
//!   DELETE) is tried again with the shared back-off.
//! - Lists follow `links.pages.next` page by page.
//!
//! Every request is counted ([`api_calls`]) for `--debug`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use machinectl_driver_api::rest::{CallCounter, causes};
use machinectl_driver_api::retry::{self, Backoff};
use machinectl_driver_api::{DriverError, Result, Secret};
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::checked::ApiUrl;

/// The longest single wait for a rate limit to reset.
pub const RATE_LIMIT_WAIT: Duration = Duration::from_secs(60);
/// How many 429 answers in a row one call sits out.
pub const RATE_LIMIT_TRIES: usize = 5;
/// Per request.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest page the API serves.
pub const PAGE_SIZE: u32 = 200;

static API_CALLS: CallCounter = CallCounter::new();

/// Requests sent to DigitalOcean by this process.
pub fn api_calls() -> usize {
    API_CALLS.get()
}

/// One account's API: where it is and the token that speaks for it.
pub struct Api {
    base: ApiUrl,
    token: Secret,
    http: reqwest::Client,
}

impl Api {
    pub fn new(base: &ApiUrl, token: &Secret) -> Result<Api> {
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("machinectl/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| DriverError::Other(format!("DigitalOcean API client: {e}")))?;
        Ok(Api {
            base: base.clone(),
            token: token.clone(),
            http,
        })
    }

    pub async fn get(&self, path: &str) -> Result<Value> {
        self.call(Method::GET, path, None)
            .await?
            .ok_or_else(|| not_found(&Method::GET, path))
    }

    /// A GET that answers none for 404.
    pub async fn get_if_exists(&self, path: &str) -> Result<Option<Value>> {
        self.call_allowing_404(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Result<Value> {
        self.call(Method::POST, path, Some(body))
            .await?
            .ok_or_else(|| not_found(&Method::POST, path))
    }

    /// DELETE; true when it deleted, false when the thing was already gone (404).
    pub async fn delete(&self, path: &str) -> Result<bool> {
        match self.call_allowing_404(Method::DELETE, path, None).await? {
            Some(_) => Ok(true),
            None => Ok(false),
        }
    }

    /// Every item under `key` of a paginated list at `path` (which may
    /// carry a query already), page by page.
    pub async fn list(&self, path: &str, key: &str) -> Result<Vec<Value>> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut items = Vec::new();
        let mut page = 1u32;
        loop {
            let body = self
                .get(&format!("{path}{sep}page={page}&per_page={PAGE_SIZE}"))
                .await?;
            let these = body[key].as_array().cloned().unwrap_or_default();
            let empty = these.is_empty();
            items.extend(these);
            let next = body["links"]["pages"]["next"].as_str().unwrap_or_default();
            // A bound on pages, so a server that always says "next" cannot loop us forever.
            if next.is_empty() || empty || page >= 500 {
                return Ok(items);
            }
            page += 1;
        }
    }

    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Result<Option<Value>> {
        match self.send(method.clone(), path, body).await? {
            Answer::Found(v) => Ok(Some(v)),
            Answer::NotFound => Err(not_found(&method, path)),
        }
    }

    async fn call_allowing_404(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Option<Value>> {
        match self.send(method, path, body).await? {
            Answer::Found(v) => Ok(Some(v)),
            Answer::NotFound => Ok(None),
        }
    }

    async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Result<Answer> {
        let repeatable = matches!(method, Method::GET | Method::DELETE);
        // A few tries over about 20 s for a GET or DELETE that did not get through.
        let mut backoff = Backoff::exponential(
            Duration::from_secs(1),
            Duration::from_secs(8),
            Duration::from_secs(20),
        );
        let mut rate_limited = 0;
        loop {
            let mut request = self
                .http
                .request(method.clone(), self.base.join(path))
                .bearer_auth(self.token.expose())
                .header("Accept", "application/json");
            if let Some(body) = &body {
                request = request.json(body);
            }
            API_CALLS.add();
            let response = match request.send().await {
                Ok(r) => r,
                Err(e) if repeatable && (e.is_connect() || e.is_timeout()) => {
                    if backoff.pause().await {
                        continue;
                    }
                    return Err(transport(&method, path, e));
                }
                Err(e) => return Err(transport(&method, path, e)),
            };
            let status = response.status();
            if status == StatusCode::TOO_MANY_REQUESTS {
                rate_limited += 1;
                let wait = rate_limit_wait(response.headers());
                if rate_limited >= RATE_LIMIT_TRIES {
                    return Err(DriverError::Other(format!(
                        "DigitalOcean kept answering 429 Too Many Requests to {method} {path}: the account's rate limit (250 requests a minute, 5000 an hour) is used up; wait and run the command again"
                    )));
                }
                tokio::time::sleep(retry::delay(wait)).await;
                continue;
            }
            if status.is_server_error() && repeatable && backoff.pause().await {
                continue;
            }
            if status == StatusCode::NOT_FOUND {
                return Ok(Answer::NotFound);
            }
            let text = response.text().await.unwrap_or_default();
            if status.is_success() {
                if text.trim().is_empty() {
                    return Ok(Answer::Found(Value::Null));
                }
                return serde_json::from_str(&text).map(Answer::Found).map_err(|e| {
                    DriverError::Other(format!(
                        "DigitalOcean's answer to {method} {path} is not JSON: {e}"
                    ))
                });
            }
            // A provider message that echoes the token (given by flag, so
            // not masked as an environment variable's value) never shows it.
            let text = text.replace(self.token.expose(), "[redacted]");
            return Err(refused(&method, path, status, &text));
        }
    }
}

enum Answer {
    Found(Value),
    NotFound,
}

/// How long a 429 asks us to wait: `Retry-After` seconds, else until the
/// `ratelimit-reset` time, else a minute; never more than [`RATE_LIMIT_WAIT`].
pub fn rate_limit_wait(headers: &reqwest::header::HeaderMap) -> Duration {
    let number = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    let wait = if let Some(secs) = number("retry-after") {
        Duration::from_secs(secs)
    } else if let Some(reset) = number("ratelimit-reset") {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Duration::from_secs(reset.saturating_sub(now).max(1))
    } else {
        RATE_LIMIT_WAIT
    };
    wait.min(RATE_LIMIT_WAIT)
}

fn not_found(method: &Method, path: &str) -> DriverError {
    DriverError::Other(format!(
        "DigitalOcean answered 404 Not Found to {method} {path}: it is gone from the account (or the token is for another team)"
    ))
}

fn transport(method: &Method, path: &str, e: reqwest::Error) -> DriverError {
    // Only the error's kind and its source: the URL it names is ours.
    let why = causes(&e);
    DriverError::Other(format!(
        "cannot reach the DigitalOcean API for {method} {path}: {why}; check --digitalocean-api-url and the network"
    ))
}

/// The one line for an error answer, naming the fix.
fn refused(method: &Method, path: &str, status: StatusCode, body: &str) -> DriverError {
    let message = serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v["message"].as_str().map(str::to_string))
        .unwrap_or_else(|| body.chars().take(200).collect())
        .replace(['\n', '\r'], " ");
    let line = match status {
        StatusCode::UNAUTHORIZED => format!(
            "DigitalOcean refused the access token (401 Unauthorized, {method} {path}): give a valid token with --digitalocean-access-token or DIGITALOCEAN_ACCESS_TOKEN (API → Tokens in the control panel)"
        ),
        StatusCode::FORBIDDEN => format!(
            "the DigitalOcean token lacks write scope for {method} {path} (403 Forbidden: {message}): make a token with read and write scope (or the droplet, ssh_key, firewall and tag scopes)"
        ),
        StatusCode::UNPROCESSABLE_ENTITY => {
            let fix = if path.starts_with("/v2/account/keys") {
                "the key may be in the account already: name it with --digitalocean-ssh-key-fingerprint and --digitalocean-ssh-key-path"
            } else if path.starts_with("/v2/firewalls") {
                "check --digitalocean-allowed-cidr and the ports, and the account's firewall limit"
            } else if path.ends_with("/actions") {
                "the droplet may be busy with another action or already in that state; look at it in the control panel and try again"
            } else {
                "check the --digitalocean-* value it names (region, size, image, tags, VPC) and that the account's droplet limit is not reached"
            };
            format!("DigitalOcean refused {method} {path} (422: {message}): {fix}")
        }
        other => format!("DigitalOcean answered {other} to {method} {path}: {message}"),
    };
    DriverError::Other(line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    #[test]
    fn rate_limit_waits_are_bounded() {
        let mut h = HeaderMap::new();
        assert_eq!(rate_limit_wait(&h), RATE_LIMIT_WAIT);
        h.insert("retry-after", HeaderValue::from_static("3"));
        assert_eq!(rate_limit_wait(&h), Duration::from_secs(3));
        h.insert("retry-after", HeaderValue::from_static("3600"));
        assert_eq!(rate_limit_wait(&h), RATE_LIMIT_WAIT);
        let mut h = HeaderMap::new();
        let soon = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + 5;
        h.insert("ratelimit-reset", HeaderValue::from(soon));
        let wait = rate_limit_wait(&h);
        assert!(
            wait <= Duration::from_secs(5) && wait >= Duration::from_secs(4),
            "{wait:?}"
        );
        h.insert("ratelimit-reset", HeaderValue::from_static("1444931833"));
        assert_eq!(rate_limit_wait(&h), Duration::from_secs(1));
    }

    #[test]
    fn errors_are_one_line_naming_the_fix() {
        let e = refused(
            &Method::POST,
            "/v2/droplets",
            StatusCode::UNAUTHORIZED,
            "{}",
        )
        .to_string();
        assert!(e.contains("DIGITALOCEAN_ACCESS_TOKEN"), "{e}");
        let e = refused(
            &Method::POST,
            "/v2/droplets",
            StatusCode::FORBIDDEN,
            r#"{"id":"forbidden","message":"You do not have access\nfor the attempted action."}"#,
        )
        .to_string();
        assert!(e.contains("lacks write scope"), "{e}");
        assert!(!e.contains('\n'), "{e}");
        let e = refused(
            &Method::POST,
            "/v2/droplets",
            StatusCode::UNPROCESSABLE_ENTITY,
            r#"{"id":"unprocessable_entity","message":"Region is not available"}"#,
        )
        .to_string();
        assert!(e.contains("Region is not available"), "{e}");
        assert!(e.contains("--digitalocean-"), "{e}");
    }
}
