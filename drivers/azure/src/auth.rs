//! Who speaks to Azure Resource Manager, and where: the cloud's endpoints
//! and the bearer token.
//!
//! - [`Environment`] names the cloud (AzurePublicCloud,
//!   AzureUSGovernmentCloud, AzureChinaCloud) and so its Resource Manager
//!   and Microsoft Entra (login) endpoints and the token's scope;
//!   `--azure-endpoint` and `--azure-login-endpoint` override the two URLs
//!   (tests point them at a fake), never the scope.
//! - [`Credentials::ServicePrincipal`]: the OAuth 2.0 client-credentials
//!   grant, `POST {login}/{tenant}/oauth2/v2.0/token` with the client id and
//!   secret (form-encoded, never in a URL). The secret is a [`Secret`].
//! - [`Credentials::Certificate`]: the same grant with a client assertion
//!   signed by the certificate's key ([`crate::cert`]) instead of a secret.
//! - [`Credentials::AzureCli`]: no service principal given, so the token of
//!   a logged-in `az` (`az account get-access-token --resource …`), whose
//!   answer also names the default subscription.
//!
//! Errors are one line naming the fix; Entra's multi-line descriptions are
//! cut to their first line and never carry the secret.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use machinectl_driver_api::{DriverError, Result, Secret};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::checked::{Endpoint, Guid, Tenant};

const TOKEN_TIMEOUT: Duration = Duration::from_secs(30);

/// The Azure clouds `--azure-environment` names (docker-machine's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
pub enum Environment {
    #[value(name = "AzurePublicCloud")]
    AzurePublicCloud,
    #[value(name = "AzureUSGovernmentCloud")]
    AzureUSGovernmentCloud,
    #[value(name = "AzureChinaCloud")]
    AzureChinaCloud,
}

impl Environment {
    /// Resource Manager's endpoint.
    pub fn management(self) -> &'static str {
        match self {
            Environment::AzurePublicCloud => "https://management.azure.com",
            Environment::AzureUSGovernmentCloud => "https://management.usgovcloudapi.net",
            Environment::AzureChinaCloud => "https://management.chinacloudapi.cn",
        }
    }

    /// Microsoft Entra's login endpoint.
    pub fn login(self) -> &'static str {
        match self {
            Environment::AzurePublicCloud => "https://login.microsoftonline.com",
            Environment::AzureUSGovernmentCloud => "https://login.microsoftonline.us",
            Environment::AzureChinaCloud => "https://login.chinacloudapi.cn",
        }
    }

    /// The resource a Resource Manager token is for.
    pub fn resource(self) -> &'static str {
        match self {
            Environment::AzurePublicCloud => "https://management.azure.com/",
            Environment::AzureUSGovernmentCloud => "https://management.usgovcloudapi.net/",
            Environment::AzureChinaCloud => "https://management.chinacloudapi.cn/",
        }
    }
}

/// Where requests and token requests go.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Cloud {
    pub environment: Environment,
    pub endpoint: Endpoint,
    pub login_endpoint: Endpoint,
}

/// How a token is obtained.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Credentials {
    ServicePrincipal {
        tenant_id: Tenant,
        client_id: Guid,
        /// Sealed in machine.json, `[redacted]` when printed.
        client_secret: Secret,
    },
    Certificate {
        tenant_id: Tenant,
        client_id: Guid,
        /// The PEM file with the key and certificate (read when a token is needed).
        certificate_path: PathBuf,
    },
    AzureCli,
}

/// A token and, from `az`, the subscription it defaults to.
pub struct Token {
    pub bearer: Secret,
    pub subscription: Option<String>,
}

impl Credentials {
    pub async fn token(&self, cloud: &Cloud, http: &reqwest::Client) -> Result<Token> {
        match self {
            Credentials::ServicePrincipal {
                tenant_id,
                client_id,
                client_secret,
            } => {
                let proof = [("client_secret", client_secret.expose().to_string())];
                client_credentials(cloud, http, tenant_id, client_id, &proof, client_secret).await
            }
            Credentials::Certificate {
                tenant_id,
                client_id,
                certificate_path,
            } => {
                let audience = token_url(cloud, tenant_id);
                let jwt = crate::cert::assertion(certificate_path, client_id.as_str(), &audience)?;
                let proof = [
                    (
                        "client_assertion_type",
                        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer".to_string(),
                    ),
                    ("client_assertion", jwt),
                ];
                let none = Secret::new(String::new());
                client_credentials(cloud, http, tenant_id, client_id, &proof, &none).await
            }
            Credentials::AzureCli => azure_cli(cloud).await,
        }
    }
}

fn token_url(cloud: &Cloud, tenant: &Tenant) -> String {
    cloud
        .login_endpoint
        .join(&format!("/{tenant}/oauth2/v2.0/token"))
}

/// The grant's form (built outside the async fn: the serializer is not Send).
fn grant_form(cloud: &Cloud, client: &Guid, proof: &[(&str, String)]) -> String {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    form.append_pair("grant_type", "client_credentials")
        .append_pair("client_id", client.as_str())
        .append_pair(
            "scope",
            &format!("{}.default", cloud.environment.resource()),
        );
    for (key, value) in proof {
        form.append_pair(key, value);
    }
    form.finish()
}

/// The client-credentials grant with `proof` (a secret or an assertion);
/// `secret` is masked in Entra's answer.
async fn client_credentials(
    cloud: &Cloud,
    http: &reqwest::Client,
    tenant: &Tenant,
    client: &Guid,
    proof: &[(&str, String)],
    secret: &Secret,
) -> Result<Token> {
    let form = grant_form(cloud, client, proof);
    let url = token_url(cloud, tenant);
    let answer = http
        .post(&url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .body(form)
        .timeout(TOKEN_TIMEOUT)
        .send()
        .await
        .map_err(|e| {
            DriverError::Other(format!(
                "cannot reach Microsoft Entra at {} for a token: {}; check --azure-environment, --azure-login-endpoint and the network",
                cloud.login_endpoint,
                machinectl_driver_api::rest::causes(&e)
            ))
        })?;
    let status = answer.status();
    let text = answer.text().await.unwrap_or_default();
    let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    if let (true, Some(token)) = (status.is_success(), body["access_token"].as_str()) {
        return Ok(Token {
            bearer: Secret::new(token),
            subscription: None,
        });
    }
    let code = body["error"].as_str().unwrap_or("no error code");
    let description = body["error_description"]
        .as_str()
        .and_then(|d| d.lines().next())
        .unwrap_or_default()
        .to_string();
    let description = if secret.is_empty() {
        description
    } else {
        description.replace(secret.expose(), "[redacted]")
    };
    Err(DriverError::Other(format!(
        "Microsoft Entra refused the service principal ({status}, {code}: {description}): check --azure-tenant-id, --azure-client-id and --azure-client-secret or --azure-client-certificate-path (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH)"
    )))
}

async fn azure_cli(cloud: &Cloud) -> Result<Token> {
    let run = tokio::process::Command::new("az")
        .args([
            "account",
            "get-access-token",
            "--resource",
            cloud.environment.resource(),
            "--output",
            "json",
        ])
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output();
    let output = match tokio::time::timeout(TOKEN_TIMEOUT, run).await {
        Ok(Ok(output)) => output,
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(DriverError::InvalidOption(
                "no Azure credentials: give a service principal (--azure-tenant-id, --azure-client-id, --azure-client-secret, or AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET), or install the Azure CLI and run `az login`".into(),
            ));
        }
        Ok(Err(e)) => return Err(DriverError::io("run az account get-access-token", e)),
        Err(_) => {
            return Err(DriverError::Other(
                "az account get-access-token did not answer within 30 s: run it yourself to see why".into(),
            ));
        }
    };
    if !output.status.success() {
        let why = String::from_utf8_lossy(&output.stderr);
        let why = why
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("no message");
        return Err(DriverError::Other(format!(
            "the Azure CLI has no token ({why}): run `az login`, or give a service principal with --azure-client-id and --azure-client-secret"
        )));
    }
    let body: Value = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    let token = body["accessToken"].as_str().ok_or_else(|| {
        DriverError::Other(
            "az account get-access-token printed no accessToken: update the Azure CLI".into(),
        )
    })?;
    Ok(Token {
        bearer: Secret::new(token),
        subscription: body["subscription"].as_str().map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environments_name_their_endpoints() {
        for env in [
            Environment::AzurePublicCloud,
            Environment::AzureUSGovernmentCloud,
            Environment::AzureChinaCloud,
        ] {
            assert!(Endpoint::try_from(env.management()).is_ok());
            assert!(Endpoint::try_from(env.login()).is_ok());
            assert!(env.resource().starts_with(env.management()));
        }
        let listed = serde_json::to_string(&Credentials::AzureCli).unwrap();
        assert_eq!(listed, r#"{"kind":"azure-cli"}"#);
    }
}
