//! Azure Resource Manager's REST protocol over reqwest: the bearer token,
//! the long-running-operation protocol, throttling and Azure's error
//! bodies, turned into one line that names the fix.
//!
//! - A `PUT` answered 201/200 with `Azure-AsyncOperation` is polled at that
//!   URL until its `status` is `Succeeded` (or `Failed`/`Canceled`, whose
//!   `error.code` and `error.message` are reported); a `DELETE` or `POST`
//!   answered 202 with `Location` is polled there until it stops answering
//!   202. Each poll waits the answer's `Retry-After` (else
//!   [`DEFAULT_POLL`]), through the one retry policy, so tests with
//!   `MACHINECTL_NO_RETRY_DELAY=1` do not wait.
//! - A polling URL must be on the Resource Manager endpoint's origin: the
//!   token is never sent anywhere else.
//! - 429 waits `Retry-After` (at most [`THROTTLE_WAIT`], [`THROTTLE_TRIES`]
//!   times); a 5xx or a failed connection is tried again with the shared
//!   back-off (ARM's PUT, GET and DELETE are idempotent), as is a 409
//!   `AnotherOperationInProgress` (parallel creates sharing a network); a
//!   DELETE of a NIC Azure still reserves for a failed VM
//!   (`NicReservedForAnotherVm`, 180 s) is tried again until that ends.
//!
//! Every request, token requests aside, is counted ([`api_calls`]) for
//! `--debug`.

use std::time::Duration;

use machinectl_driver_api::rest::{CallCounter, causes};
use machinectl_driver_api::retry::{self, Backoff};
use machinectl_driver_api::{DriverError, Result, Secret};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::auth::{Cloud, Credentials};

/// The pause between polls when Azure names none.
pub const DEFAULT_POLL: Duration = Duration::from_secs(5);
/// The longest single wait a 429 or a poll may ask for.
pub const THROTTLE_WAIT: Duration = Duration::from_secs(60);
/// How many 429 answers in a row one call sits out.
pub const THROTTLE_TRIES: usize = 5;
/// How long one long-running operation may take (a VM: minutes).
const OPERATION_LIMIT: Duration = Duration::from_secs(30 * 60);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a NIC stays reserved for a VM that failed (Azure: 180 s), and a margin.
const NIC_RESERVATION: Duration = Duration::from_secs(210);

static API_CALLS: CallCounter = CallCounter::new();

/// Requests sent to Resource Manager by this process.
pub fn api_calls() -> usize {
    API_CALLS.get()
}

/// One signed-in session with Resource Manager.
pub struct Arm {
    cloud: Cloud,
    token: Secret,
    http: reqwest::Client,
    /// The subscription `az` defaults to, when the token came from it.
    pub cli_subscription: Option<String>,
}

/// A long-running operation Azure accepted, to be waited for.
#[must_use]
pub struct Pending {
    what: String,
    poll: Option<String>,
    is_async: bool,
    pause: Option<Duration>,
}

/// What a DELETE did.
#[derive(Debug, PartialEq, Eq)]
pub enum Deleted {
    Done,
    /// 404 or 204: there was nothing to delete.
    AlreadyGone,
    /// Azure refused because something else still uses it (its message).
    InUse(String),
}

/// One answer: status, headers and body text.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
}

impl Arm {
    /// Sign in: one token request (or one `az` run).
    pub async fn connect(cloud: &Cloud, credentials: &Credentials) -> Result<Arm> {
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("machinectl/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| DriverError::Other(format!("Azure API client: {e}")))?;
        let token = credentials.token(cloud, &http).await?;
        Ok(Arm {
            cloud: cloud.clone(),
            token: token.bearer,
            http,
            cli_subscription: token.subscription,
        })
    }

    /// GET; none when Azure answers 404.
    pub async fn get(&self, path: &str) -> Result<Option<Value>> {
        let answer = self.send(Method::GET, path, None).await?;
        if answer.status == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        self.success(&Method::GET, path, answer).map(Some)
    }

    /// PUT a resource; the operation it starts, to wait for. The inner
    /// error is Azure's refusal (a 4xx: nothing was made); the outer one
    /// leaves it unknown whether Azure made it (no answer, or a 5xx).
    pub async fn put(&self, path: &str, body: &Value) -> Result<Result<Pending>> {
        let answer = self.send(Method::PUT, path, Some(body)).await?;
        if answer.status.is_client_error() {
            return Ok(Err(self
                .success(&Method::PUT, path, answer)
                .err()
                .unwrap_or_else(|| {
                    DriverError::Other(format!("Azure refused PUT {}", short(path)))
                })));
        }
        let pending = self.pending(&Method::PUT, path, &answer)?;
        self.success(&Method::PUT, path, answer)?;
        Ok(Ok(pending))
    }

    /// POST an action (start, powerOff, deallocate) and wait for it.
    pub async fn post(&self, path: &str) -> Result<()> {
        let answer = self.send(Method::POST, path, None).await?;
        let pending = self.pending(&Method::POST, path, &answer)?;
        self.success(&Method::POST, path, answer)?;
        self.wait(pending).await
    }

    /// DELETE and wait for it.
    pub async fn delete(&self, path: &str) -> Result<Deleted> {
        // A NIC whose VM failed to be made stays reserved for it for 180 s.
        let mut reserved = Backoff::every(Duration::from_secs(15), NIC_RESERVATION);
        let answer = loop {
            let answer = self.send(Method::DELETE, path, None).await?;
            let waiting = answer.status == StatusCode::BAD_REQUEST
                && code_and_message(&answer.text).0 == "NicReservedForAnotherVm";
            if !waiting || !reserved.pause().await {
                break answer;
            }
        };
        if matches!(
            answer.status,
            StatusCode::NOT_FOUND | StatusCode::NO_CONTENT
        ) {
            return Ok(Deleted::AlreadyGone);
        }
        if matches!(
            answer.status,
            StatusCode::BAD_REQUEST | StatusCode::CONFLICT
        ) {
            let (code, message) = code_and_message(&answer.text);
            if code.starts_with("InUse") {
                return Ok(Deleted::InUse(format!("{code}: {message}")));
            }
        }
        let pending = self.pending(&Method::DELETE, path, &answer)?;
        self.success(&Method::DELETE, path, answer)?;
        self.wait(pending).await?;
        Ok(Deleted::Done)
    }

    /// Every item of a list, following `nextLink` (on this endpoint only).
    pub async fn list(&self, path: &str) -> Result<Vec<Value>> {
        let mut items = Vec::new();
        let mut next = path.to_string();
        for _ in 0..500 {
            let answer = self.send(Method::GET, &next, None).await?;
            let body = self.success(&Method::GET, path, answer)?;
            items.extend(body["value"].as_array().cloned().unwrap_or_default());
            match body["nextLink"].as_str() {
                Some(link) if !link.is_empty() => next = self.relative(link)?,
                _ => break,
            }
        }
        Ok(items)
    }

    /// Wait for an operation Azure accepted to end.
    pub async fn wait(&self, pending: Pending) -> Result<()> {
        let Some(url) = pending.poll else {
            return Ok(());
        };
        let path = self.relative(&url)?;
        let mut pause = pending.pause;
        let started = std::time::Instant::now();
        loop {
            let wanted = pause.unwrap_or(DEFAULT_POLL).min(THROTTLE_WAIT);
            if started.elapsed() + wanted > OPERATION_LIMIT {
                return Err(DriverError::Other(format!(
                    "Azure's {} did not finish within {} minutes: look at it in the portal, then `machinectl rm` the machine",
                    pending.what,
                    OPERATION_LIMIT.as_secs() / 60
                )));
            }
            tokio::time::sleep(retry::delay(wanted)).await;
            let answer = self.send(Method::GET, &path, None).await?;
            pause = retry_after(&answer.headers);
            if pending.is_async {
                let body = self.success(&Method::GET, &path, answer)?;
                match body["status"].as_str().unwrap_or_default() {
                    "Succeeded" => return Ok(()),
                    "Failed" | "Canceled" => return Err(operation_failed(&pending.what, &body)),
                    _ => {}
                }
            } else if answer.status != StatusCode::ACCEPTED {
                self.success(&Method::GET, &path, answer)?;
                return Ok(());
            }
        }
    }

    /// A URL Azure handed out, as a path on our endpoint; refused when it
    /// points anywhere else (the token would go with it).
    fn relative(&self, url: &str) -> Result<String> {
        if !self.cloud.endpoint.owns(url) {
            return Err(DriverError::Other(format!(
                "Azure answered with a URL outside {} ({url}): refused to send the token there; check --azure-endpoint",
                self.cloud.endpoint
            )));
        }
        let parsed = url::Url::parse(url).map_err(|e| DriverError::Other(format!("{url}: {e}")))?;
        Ok(match parsed.query() {
            Some(q) => format!("{}?{q}", parsed.path()),
            None => parsed.path().to_string(),
        })
    }

    /// The operation an answer started, if any.
    fn pending(&self, method: &Method, path: &str, answer: &Answer) -> Result<Pending> {
        let header = |name: &str| {
            answer
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let (poll, is_async) = match (header("azure-asyncoperation"), header("location")) {
            (Some(url), _) => (Some(url), true),
            (None, Some(url)) if answer.status == StatusCode::ACCEPTED => (Some(url), false),
            _ => (None, false),
        };
        if let Some(url) = &poll {
            self.relative(url)?;
        }
        Ok(Pending {
            what: format!("{method} {}", short(path)),
            poll,
            is_async,
            pause: retry_after(&answer.headers),
        })
    }

    /// The body of a successful answer; else Azure's error as one line.
    fn success(&self, method: &Method, path: &str, answer: Answer) -> Result<Value> {
        if answer.status.is_success() {
            if answer.text.trim().is_empty() {
                return Ok(Value::Null);
            }
            return serde_json::from_str(&answer.text).map_err(|e| {
                DriverError::Other(format!(
                    "Azure's answer to {method} {} is not JSON: {e}",
                    short(path)
                ))
            });
        }
        let text = answer.text.replace(self.token.expose(), "[redacted]");
        Err(refused(method, path, answer.status, &text))
    }

    async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Result<Answer> {
        let mut backoff = Backoff::exponential(
            Duration::from_secs(1),
            Duration::from_secs(8),
            Duration::from_secs(30),
        );
        let mut throttled = 0;
        loop {
            let mut request = self
                .http
                .request(method.clone(), self.cloud.endpoint.join(path))
                .bearer_auth(self.token.expose())
                .header("Accept", "application/json");
            if let Some(body) = body {
                request = request.json(body);
            }
            API_CALLS.add();
            let response = match request.send().await {
                Ok(r) => r,
                Err(e) if method != Method::POST && (e.is_connect() || e.is_timeout()) => {
                    if backoff.pause().await {
                        continue;
                    }
                    return Err(transport(&method, path, &e));
                }
                Err(e) => return Err(transport(&method, path, &e)),
            };
            let status = response.status();
            let headers = response.headers().clone();
            if status == StatusCode::TOO_MANY_REQUESTS {
                throttled += 1;
                if throttled >= THROTTLE_TRIES {
                    return Err(DriverError::Other(format!(
                        "Azure kept answering 429 Too Many Requests to {method} {}: the subscription's request limit is used up; wait a few minutes and run the command again",
                        short(path)
                    )));
                }
                let wait = retry_after(&headers).unwrap_or(THROTTLE_WAIT);
                tokio::time::sleep(retry::delay(wait.min(THROTTLE_WAIT))).await;
                continue;
            }
            if status.is_server_error() && method != Method::POST && backoff.pause().await {
                continue;
            }
            let text = response.text().await.unwrap_or_default();
            // Another create of the same group or network is changing it
            // (parallel creates): its operation ends soon, so try again.
            if status == StatusCode::CONFLICT
                && code_and_message(&text).0 == "AnotherOperationInProgress"
                && backoff.pause().await
            {
                continue;
            }
            return Ok(Answer {
                status,
                headers,
                text,
            });
        }
    }
}

/// `Retry-After` in seconds, when the answer has one.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
}

/// The path without its query (`api-version`), for messages.
fn short(path: &str) -> &str {
    path.split('?').next().unwrap_or(path)
}

fn transport(method: &Method, path: &str, e: &reqwest::Error) -> DriverError {
    DriverError::Other(format!(
        "cannot reach Azure Resource Manager for {method} {}: {}; check --azure-environment, --azure-endpoint and the network",
        short(path),
        causes(e)
    ))
}

/// Azure's `error.code` and `error.message` (or the text itself), on one line.
fn code_and_message(body: &str) -> (String, String) {
    let json: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let error = &json["error"];
    let code = error["code"].as_str().unwrap_or("").to_string();
    let message = error["message"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| body.chars().take(200).collect());
    (code, message.replace(['\n', '\r'], " "))
}

fn operation_failed(what: &str, body: &Value) -> DriverError {
    let (code, message) = code_and_message(&body.to_string());
    let status = body["status"].as_str().unwrap_or("Failed");
    DriverError::Other(format!("Azure's {what} {status} ({code}: {message})"))
}

/// The one line for an error answer, naming the fix.
fn refused(method: &Method, path: &str, status: StatusCode, body: &str) -> DriverError {
    let (code, message) = code_and_message(body);
    let path = short(path);
    let line = match status {
        StatusCode::UNAUTHORIZED => format!(
            "Azure Resource Manager refused the token (401 {code}: {message}): check --azure-environment and the credentials (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, or `az login`)"
        ),
        StatusCode::FORBIDDEN => format!(
            "the Azure credentials may not {method} {path} (403 {code}: {message}): give the service principal the Contributor role on the subscription or resource group"
        ),
        _ if code == "SubscriptionNotFound" || code == "InvalidSubscriptionId" => format!(
            "Azure does not know the subscription ({status} {code}: {message}): check --azure-subscription-id (AZURE_SUBSCRIPTION_ID)"
        ),
        _ => {
            let fix = if path.contains("/virtualMachines/") {
                "check --azure-size, --azure-image, --azure-location and --azure-availability-zone, and the subscription's quota"
            } else if path.contains("/publicIPAddresses/") {
                "check --azure-location and the subscription's public IP quota, or use --azure-no-public-ip"
            } else if path.contains("/networkInterfaces/") || path.contains("/virtualNetworks/") {
                "check --azure-vnet, --azure-subnet, --azure-subnet-prefix and --azure-private-ip-address"
            } else if path.contains("/networkSecurityGroups/") {
                "check --azure-nsg, --azure-allowed-cidr and --azure-open-port"
            } else {
                "check the --azure-* value it names"
            };
            format!("Azure refused {method} {path} ({status} {code}: {message}): {fix}")
        }
    };
    DriverError::Other(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_carry_azure_code_and_message_on_one_line() {
        let e = refused(
            &Method::PUT,
            "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/networkInterfaces/n?api-version=2024-05-01",
            StatusCode::BAD_REQUEST,
            r#"{"error":{"code":"InvalidResourceReference","message":"Resource /x\nreferenced by y was not found."}}"#,
        )
        .to_string();
        assert!(e.contains("InvalidResourceReference"), "{e}");
        assert!(e.contains("--azure-subnet"), "{e}");
        assert!(!e.contains('\n') && !e.contains("api-version"), "{e}");
        let e = refused(&Method::GET, "/x", StatusCode::FORBIDDEN, "{}").to_string();
        assert!(e.contains("Contributor"), "{e}");
        let failed = operation_failed(
            "PUT /vm",
            &serde_json::json!({"status":"Failed","error":{"code":"OSProvisioningTimedOut","message":"late"}}),
        )
        .to_string();
        assert!(failed.contains("OSProvisioningTimedOut: late"), "{failed}");
    }
}
