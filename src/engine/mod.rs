//! The Docker Engine API over mutual TLS: the health check after
//! provisioning and the version probe of `ls`.

use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use crate::ui::error_chain;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("cannot read TLS material {}: {source}", path.display())]
    Read {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("TLS material is unusable: {0}")]
    Tls(String),
    #[error("engine at {url} did not answer: {detail}")]
    Unreachable { url: String, detail: String },
    #[error("engine at {url} answered {status}: {detail}")]
    Status {
        url: String,
        status: u16,
        detail: String,
    },
}

type Result<T> = std::result::Result<T, EngineError>;

/// What `GET /version` says.
#[derive(Debug, Clone, Deserialize)]
pub struct Version {
    #[serde(rename = "Version")]
    pub version: String,
    #[serde(rename = "ApiVersion")]
    pub api_version: String,
    #[serde(rename = "Os", default)]
    pub os: String,
    #[serde(rename = "Arch", default)]
    pub arch: String,
}

/// A client for one engine.
#[derive(Clone)]
pub struct EngineClient {
    http: reqwest::Client,
    base: String,
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| EngineError::Read {
        path: path.to_path_buf(),
        source,
    })
}

impl EngineClient {
    /// `host` is an IP or name, `cert_dir` holds ca.pem, cert.pem and key.pem.
    pub fn new(host: &str, port: u16, cert_dir: &Path, timeout: Duration) -> Result<Self> {
        let ca = reqwest::Certificate::from_pem(&read(&cert_dir.join("ca.pem"))?)
            .map_err(|e| EngineError::Tls(error_chain(&e)))?;
        let mut identity_pem = read(&cert_dir.join("cert.pem"))?;
        identity_pem.extend(read(&cert_dir.join("key.pem"))?);
        let identity = reqwest::Identity::from_pem(&identity_pem)
            .map_err(|e| EngineError::Tls(error_chain(&e)))?;
        let http = reqwest::Client::builder()
            .tls_certs_only([ca])
            .identity(identity)
            .timeout(timeout)
            .connect_timeout(timeout)
            .no_proxy()
            .build()
            .map_err(|e| EngineError::Tls(error_chain(&e)))?;
        let host = if host.contains(':') {
            format!("[{host}]")
        } else {
            host.to_string()
        };
        Ok(EngineClient {
            http,
            base: format!("https://{host}:{port}"),
        })
    }

    /// Send a request; a transport failure or a non-success answer becomes an
    /// error (with the engine's own {"message": …} when it gave one).
    async fn send(&self, request: reqwest::RequestBuilder) -> Result<reqwest::Response> {
        let response = request.send().await.map_err(|e| self.unreachable(&e))?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let text = response.text().await.unwrap_or_default();
        let detail = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v["message"].as_str().map(str::to_string))
            .unwrap_or(text);
        Err(EngineError::Status {
            url: self.base.clone(),
            status: status.as_u16(),
            detail: detail.trim().to_string(),
        })
    }

    fn unreachable(&self, e: &reqwest::Error) -> EngineError {
        EngineError::Unreachable {
            url: self.base.clone(),
            detail: error_chain(e),
        }
    }

    async fn get(&self, path: &str) -> Result<reqwest::Response> {
        self.send(self.http.get(format!("{}{path}", self.base)))
            .await
    }

    /// GET a JSON document.
    pub async fn get_json(&self, path: &str) -> Result<serde_json::Value> {
        self.get(path)
            .await?
            .json()
            .await
            .map_err(|e| self.unreachable(&e))
    }

    /// POST a JSON body; returns the answer's text.
    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> Result<String> {
        let request = self.http.post(format!("{}{path}", self.base)).json(body);
        let response = self.send(request).await?;
        response.text().await.map_err(|e| self.unreachable(&e))
    }

    /// DELETE a resource.
    pub async fn delete(&self, path: &str) -> Result<()> {
        self.send(self.http.delete(format!("{}{path}", self.base)))
            .await
            .map(|_| ())
    }

    pub async fn ping(&self) -> Result<()> {
        self.get("/_ping").await.map(|_| ())
    }

    pub async fn version(&self) -> Result<Version> {
        self.get("/version")
            .await?
            .json()
            .await
            .map_err(|e| self.unreachable(&e))
    }

    /// Ping then ask the version, retrying until `limit` passes.
    pub async fn wait_ready(&self, limit: Duration) -> Result<Version> {
        let mut backoff = crate::retry::Backoff::exponential(
            Duration::from_millis(200),
            Duration::from_secs(2),
            limit,
        );
        loop {
            let attempt = async {
                self.ping().await?;
                self.version().await
            }
            .await;
            match attempt {
                Ok(version) => return Ok(version),
                Err(e) if !backoff.pause().await => return Err(e),
                Err(_) => {}
            }
        }
    }
}
