//! Google credentials and OAuth access tokens for the Compute API.
//!
//! Where credentials come from, in this order: the file `--gce-credentials`
//! (or GOOGLE_APPLICATION_CREDENTIALS) names; gcloud's application-default
//! file (`~/.config/gcloud/application_default_credentials.json`, written by
//! `gcloud auth application-default login`); then the metadata server when
//! running on Compute Engine (`GCE_METADATA_HOST` overrides its address, as
//! Google's own libraries allow; without it the server is asked only where
//! the machine's DMI product name says Google, so elsewhere no packet goes
//! to its link-local address and the error comes at once). A file is a service-account key (a JWT
//! signed RS256 with its key, exchanged at its `token_uri` by the JWT-bearer
//! grant) or an authorized-user file (the refresh-token grant).
//!
//! The key, client secret, refresh token and access tokens are [`Secret`]s:
//! never printed, never recorded (the record names only the file), cached
//! in memory only and fetched again a minute before they expire.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use aws_lc_rs::signature::RsaKeyPair;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use machinectl_driver_api::rest::causes;
use machinectl_driver_api::{DriverError, Result, Secret, jwt};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::sync::Mutex;

/// The one scope machinectl asks for.
pub const COMPUTE_SCOPE: &str = "https://www.googleapis.com/auth/compute";
pub const DEFAULT_TOKEN_URI: &str = "https://oauth2.googleapis.com/token";
const METADATA_HOST: &str = "169.254.169.254";
/// A token is fetched again when it has less than this left.
const EARLY: Duration = Duration::from_secs(60);
const TOKEN_TIMEOUT: Duration = Duration::from_secs(30);
const METADATA_TIMEOUT: Duration = Duration::from_secs(3);

/// The three ways, named whenever no credential could be used.
pub const HOW: &str = "give a service-account key or authorized-user file with --gce-credentials FILE (or GOOGLE_APPLICATION_CREDENTIALS), run `gcloud auth application-default login`, or run on a Compute Engine instance with a service account";

/// Where a machine's credentials come from: recorded in machine.json (a
/// path, never the secrets it holds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialSource {
    File(PathBuf),
    Metadata,
}

impl CredentialSource {
    /// The flag's file, else gcloud's application-default file, else the metadata server.
    pub fn find(flag: Option<PathBuf>) -> CredentialSource {
        if let Some(path) = flag {
            return CredentialSource::File(path);
        }
        let home = std::env::var_os("HOME").map(PathBuf::from);
        let config = std::env::var_os("CLOUDSDK_CONFIG")
            .map(PathBuf::from)
            .or_else(|| home.map(|h| h.join(".config/gcloud")));
        match config.map(|c| c.join("application_default_credentials.json")) {
            Some(path) if path.is_file() => CredentialSource::File(path),
            _ => CredentialSource::Metadata,
        }
    }
}

/// Usable credentials.
pub enum Credentials {
    ServiceAccount {
        email: String,
        key: RsaKeyPair,
        key_id: Option<String>,
        token_uri: String,
        project: Option<String>,
    },
    AuthorizedUser {
        client_id: String,
        client_secret: Secret,
        refresh_token: Secret,
        token_uri: String,
        project: Option<String>,
    },
    Metadata {
        host: String,
    },
}

fn unusable(path: &Path, why: impl std::fmt::Display) -> DriverError {
    DriverError::InvalidOption(format!(
        "cannot use the Google credentials {}: {why}; {HOW}",
        path.display()
    ))
}

fn field(v: &Value, key: &str, path: &Path) -> Result<String> {
    v[key]
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .ok_or_else(|| unusable(path, format!("it has no {key:?}")))
}

/// The DER of a PEM `PRIVATE KEY` (PKCS#8, as Google issues service-account keys).
fn pkcs8_der(pem: &str) -> Option<Vec<u8>> {
    let body: String = pem
        .lines()
        .map(str::trim)
        .skip_while(|l| *l != "-----BEGIN PRIVATE KEY-----")
        .skip(1)
        .take_while(|l| *l != "-----END PRIVATE KEY-----")
        .collect();
    STANDARD.decode(body).ok()
}

impl Credentials {
    /// Read and check the credentials a source names (no network).
    pub fn load(source: &CredentialSource) -> Result<Credentials> {
        let path = match source {
            CredentialSource::Metadata => {
                return metadata_server().map(|host| Credentials::Metadata { host });
            }
            CredentialSource::File(path) => path,
        };
        let text = std::fs::read_to_string(path).map_err(|e| unusable(path, e))?;
        let v: Value = serde_json::from_str(&text)
            .map_err(|_| unusable(path, "it is not a JSON credentials file"))?;
        let token_uri = v["token_uri"]
            .as_str()
            .unwrap_or(DEFAULT_TOKEN_URI)
            .to_string();
        if !token_uri.starts_with("https://") && !token_uri.starts_with("http://") {
            return Err(unusable(path, "its token_uri is not an http(s) URL"));
        }
        match v["type"].as_str() {
            Some("service_account") => {
                let pem = field(&v, "private_key", path)?;
                let der = pkcs8_der(&pem)
                    .ok_or_else(|| unusable(path, "its private_key is not a PEM PRIVATE KEY"))?;
                let key = RsaKeyPair::from_pkcs8(&der)
                    .map_err(|_| unusable(path, "its private_key is not an RSA key"))?;
                Ok(Credentials::ServiceAccount {
                    email: field(&v, "client_email", path)?,
                    key,
                    key_id: v["private_key_id"].as_str().map(str::to_string),
                    token_uri,
                    project: v["project_id"].as_str().map(str::to_string),
                })
            }
            Some("authorized_user") => Ok(Credentials::AuthorizedUser {
                client_id: field(&v, "client_id", path)?,
                client_secret: Secret::new(field(&v, "client_secret", path)?),
                refresh_token: Secret::new(field(&v, "refresh_token", path)?),
                token_uri,
                project: v["quota_project_id"].as_str().map(str::to_string),
            }),
            other => Err(unusable(
                path,
                format!(
                    "its type is {:?}, not service_account or authorized_user",
                    other.unwrap_or("missing")
                ),
            )),
        }
    }

    /// The project the credentials belong to, when a file says.
    pub fn project(&self) -> Option<&str> {
        match self {
            Credentials::ServiceAccount { project, .. }
            | Credentials::AuthorizedUser { project, .. } => project.as_deref(),
            Credentials::Metadata { .. } => None,
        }
    }

    /// A JWT for the JWT-bearer grant, signed RS256 with the key.
    fn assertion(
        &self,
        email: &str,
        key: &RsaKeyPair,
        key_id: Option<&str>,
        aud: &str,
    ) -> Result<String> {
        let now = jwt::now();
        let mut header = json!({"alg": "RS256", "typ": "JWT"});
        if let Some(kid) = key_id {
            header["kid"] = json!(kid);
        }
        let claims = json!({
            "iss": email, "scope": COMPUTE_SCOPE, "aud": aud, "iat": now, "exp": now + 3600,
        });
        jwt::sign_rs256(key, &header, &claims, "cannot sign the service-account JWT")
    }
}

/// Where the metadata server is: `GCE_METADATA_HOST`, else its link-local
/// address, but only on a Compute Engine instance (its DMI product name
/// says Google, as Google's libraries check): elsewhere nothing is sent to
/// an address that is not ours, and the error comes at once.
fn metadata_server() -> Result<String> {
    if let Some(host) = std::env::var("GCE_METADATA_HOST")
        .ok()
        .filter(|h| !h.is_empty())
    {
        return Ok(host);
    }
    let product = std::fs::read_to_string("/sys/class/dmi/id/product_name").unwrap_or_default();
    if product.trim().starts_with("Google") {
        return Ok(METADATA_HOST.to_string());
    }
    Err(DriverError::InvalidOption(format!(
        "no Google credentials: none given, no gcloud application-default login, and this is not a Compute Engine instance; {HOW}"
    )))
}

/// An access token and when it stops working.
#[derive(Clone)]
struct Token {
    value: Secret,
    expires: Instant,
}

/// Access tokens for one set of credentials, cached in memory.
pub struct TokenSource {
    credentials: Credentials,
    http: reqwest::Client,
    cached: Mutex<Option<Token>>,
}

impl TokenSource {
    pub fn new(credentials: Credentials) -> Result<TokenSource> {
        let http = reqwest::Client::builder()
            .timeout(TOKEN_TIMEOUT)
            .user_agent(concat!("machinectl/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| DriverError::Other(format!("Google token client: {e}")))?;
        Ok(TokenSource {
            credentials,
            http,
            cached: Mutex::new(None),
        })
    }

    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// A token with at least a minute left.
    pub async fn token(&self) -> Result<Secret> {
        let mut cached = self.cached.lock().await;
        if let Some(t) = cached
            .as_ref()
            .filter(|t| t.expires > Instant::now() + EARLY)
        {
            return Ok(t.value.clone());
        }
        let fresh = self.fetch().await?;
        *cached = Some(fresh.clone());
        Ok(fresh.value)
    }

    async fn fetch(&self) -> Result<Token> {
        let (uri, form): (&str, Vec<(&str, String)>) = match &self.credentials {
            Credentials::ServiceAccount {
                email,
                key,
                key_id,
                token_uri,
                ..
            } => {
                let jwt = self
                    .credentials
                    .assertion(email, key, key_id.as_deref(), token_uri)?;
                (
                    token_uri,
                    vec![
                        (
                            "grant_type",
                            "urn:ietf:params:oauth:grant-type:jwt-bearer".into(),
                        ),
                        ("assertion", jwt),
                    ],
                )
            }
            Credentials::AuthorizedUser {
                client_id,
                client_secret,
                refresh_token,
                token_uri,
                ..
            } => (
                token_uri,
                vec![
                    ("grant_type", "refresh_token".into()),
                    ("client_id", client_id.clone()),
                    ("client_secret", client_secret.expose().to_string()),
                    ("refresh_token", refresh_token.expose().to_string()),
                ],
            ),
            Credentials::Metadata { host } => return self.metadata_token(host).await,
        };
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form.iter().map(|(k, v)| (*k, v.as_str())))
            .finish();
        let response = self
            .http
            .post(uri)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .map_err(|e| {
                DriverError::Other(format!(
                    "cannot reach Google's token endpoint {uri}: {}; check the network",
                    causes(&e)
                ))
            })?;
        let status = response.status();
        let v: Value = response.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            let why = format!(
                "{} {}",
                v["error"].as_str().unwrap_or("refused"),
                v["error_description"].as_str().unwrap_or_default()
            );
            return Err(DriverError::InvalidOption(format!(
                "Google refused the credentials ({status}: {}): the key may be deleted or disabled, or the login expired; {HOW}",
                why.trim().replace(['\n', '\r'], " ")
            )));
        }
        token_of(&v)
    }

    async fn metadata_token(&self, host: &str) -> Result<Token> {
        let v = metadata_get(&self.http, host, "instance/service-accounts/default/token").await?;
        let v: Value = serde_json::from_str(&v)
            .map_err(|_| DriverError::Other("the metadata server's token is not JSON".into()))?;
        token_of(&v)
    }

    /// The project of the instance this runs on (metadata credentials only).
    pub async fn metadata_project(&self) -> Result<Option<String>> {
        match &self.credentials {
            Credentials::Metadata { host } => {
                let p = metadata_get(&self.http, host, "project/project-id").await?;
                Ok(Some(p.trim().to_string()))
            }
            _ => Ok(None),
        }
    }
}

fn token_of(v: &Value) -> Result<Token> {
    let value = v["access_token"]
        .as_str()
        .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_graphic()))
        .ok_or_else(|| {
            DriverError::Other("Google's token answer has no usable access_token".into())
        })?;
    let life = v["expires_in"].as_u64().unwrap_or(300);
    Ok(Token {
        value: Secret::new(value),
        expires: Instant::now() + Duration::from_secs(life),
    })
}

async fn metadata_get(http: &reqwest::Client, host: &str, path: &str) -> Result<String> {
    let url = format!("http://{host}/computeMetadata/v1/{path}");
    let none = |why: String| {
        DriverError::InvalidOption(format!(
            "no Google credentials: none given and no metadata server answered ({why}); {HOW}"
        ))
    };
    let response = http
        .get(&url)
        .header("Metadata-Flavor", "Google")
        .timeout(METADATA_TIMEOUT)
        .send()
        .await
        .map_err(|e| none(causes(&e)))?;
    if !response.status().is_success() {
        return Err(none(format!("it answered {}", response.status())));
    }
    response.text().await.map_err(|e| none(causes(&e)))
}
