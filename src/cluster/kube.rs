//! Kubernetes secrets made on the client, so every node's user-data is
//! complete before any node boots: the cluster CA, a bootstrap token and
//! the discovery hash workers pin the CA with; plus an admin client
//! certificate and its kubeconfig, merged into ~/.kube/config under a lock.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow, bail};
use base64::Engine as _;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, PublicKeyData,
};
use serde_yaml_ng::{Mapping, Value};
use sha2::{Digest, Sha256};

use crate::store::{FileLock, Store, atomic};

pub const KUBERNETES_VERSION: &str = "1.31";

/// The cluster's CA and join secrets.
#[derive(Debug, Clone)]
pub struct KubeSecrets {
    pub ca_cert_pem: String,
    pub ca_key_pem: String,
    /// `[a-z0-9]{6}.[a-z0-9]{16}`
    pub bootstrap_token: String,
    /// sha256 of the CA's SubjectPublicKeyInfo, hex.
    pub discovery_hash: String,
}

fn random_chars(n: usize) -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..n)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Valid from five minutes ago (clock skew) for `days`.
pub(crate) fn validity(params: &mut CertificateParams, days: i64) {
    let now = time::OffsetDateTime::now_utc() - time::Duration::minutes(5);
    params.not_before = now;
    params.not_after = now + time::Duration::days(days);
}

/// The discovery hash of a CA key: what `--discovery-token-ca-cert-hash` pins.
pub fn discovery_hash(key: &impl PublicKeyData) -> String {
    format!("{:x}", Sha256::digest(key.subject_public_key_info()))
}

/// A self-signed CA named `common_name`, valid ten years: its parameters
/// (to issue with), key and certificate.
pub(crate) fn new_ca(
    common_name: &str,
) -> Result<(CertificateParams, KeyPair, rcgen::Certificate)> {
    let key = KeyPair::generate()?;
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, common_name);
    params.distinguished_name = dn;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    validity(&mut params, 3650);
    let cert = params.self_signed(&key)?;
    Ok((params, key, cert))
}

impl KubeSecrets {
    pub fn generate() -> Result<KubeSecrets> {
        let (_, key, cert) = new_ca("kubernetes")?;
        Ok(KubeSecrets {
            ca_cert_pem: cert.pem(),
            discovery_hash: discovery_hash(&key),
            ca_key_pem: key.serialize_pem(),
            bootstrap_token: format!("{}.{}", random_chars(6), random_chars(16)),
        })
    }

    fn paths(dir: &Path) -> [PathBuf; 3] {
        [
            dir.join("ca.crt"),
            dir.join("ca.key"),
            dir.join("bootstrap-token"),
        ]
    }

    /// The cluster's secrets as kept in clusters/NAME/kube, if they are there.
    pub fn load(dir: &Path) -> Result<Option<KubeSecrets>> {
        let [cert, key, token] = Self::paths(dir);
        if !(cert.exists() && key.exists() && token.exists()) {
            return Ok(None);
        }
        let ca_key_pem = std::fs::read_to_string(&key)?;
        let pair = KeyPair::from_pem(&ca_key_pem)?;
        Ok(Some(KubeSecrets {
            ca_cert_pem: std::fs::read_to_string(&cert)?,
            discovery_hash: discovery_hash(&pair),
            ca_key_pem,
            bootstrap_token: std::fs::read_to_string(&token)?.trim().to_string(),
        }))
    }

    /// The cluster's secrets from clusters/NAME/kube, made there on first use (0600 keys).
    pub fn load_or_create(dir: &Path) -> Result<KubeSecrets> {
        if let Some(secrets) = Self::load(dir)? {
            return Ok(secrets);
        }
        let [cert, key, token] = Self::paths(dir);
        Store::make_dir(dir)?;
        let secrets = Self::generate()?;
        atomic::write_atomic(&cert, secrets.ca_cert_pem.as_bytes(), 0o644)?;
        atomic::write_atomic(&key, secrets.ca_key_pem.as_bytes(), 0o600)?;
        atomic::write_atomic(&token, secrets.bootstrap_token.as_bytes(), 0o600)?;
        Ok(secrets)
    }

    /// A cluster-admin client certificate (O=system:masters), as PEM (cert, key).
    pub fn admin_credentials(&self) -> Result<(String, String)> {
        let ca_key = KeyPair::from_pem(&self.ca_key_pem)?;
        let issuer = Issuer::from_ca_cert_pem(&self.ca_cert_pem, ca_key)?;
        let key = KeyPair::generate()?;
        let mut params = CertificateParams::default();
        let mut dn = DistinguishedName::new();
        dn.push(DnType::OrganizationName, "system:masters");
        dn.push(DnType::CommonName, "clusterctl-admin");
        params.distinguished_name = dn;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        validity(&mut params, 365);
        let cert = params.signed_by(&key, &issuer)?;
        Ok((cert.pem(), key.serialize_pem()))
    }
}

/// Where kubectl reads its configuration: the first path of $KUBECONFIG, else ~/.kube/config.
pub fn kubeconfig_path(env: &crate::commands::Environment) -> PathBuf {
    if let Some(first) = env
        .get("KUBECONFIG")
        .and_then(|k| k.split(':').find(|p| !p.is_empty()))
    {
        return PathBuf::from(first);
    }
    PathBuf::from(env.get("HOME").unwrap_or("/root")).join(".kube/config")
}

fn named(name: &str, key: &str, body: Value) -> Value {
    let mut map = Mapping::new();
    map.insert("name".into(), name.into());
    map.insert(key.into(), body);
    Value::Mapping(map)
}

fn edit_kubeconfig(path: &Path, edit: impl FnOnce(&mut Mapping)) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    Store::make_dir(dir)?;
    let _lock = FileLock::acquire(&dir.join(".clusterctl.lock"))?;
    let mut config: Mapping = match std::fs::read_to_string(path) {
        Ok(text) if !text.trim().is_empty() => serde_yaml_ng::from_str(&text)
            .with_context(|| format!("{} is not valid YAML: fix it first", path.display()))?,
        Ok(_) => Mapping::new(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Mapping::new(),
        Err(e) => return Err(e).with_context(|| format!("read {}", path.display())),
    };
    config.entry("apiVersion".into()).or_insert("v1".into());
    config.entry("kind".into()).or_insert("Config".into());
    edit(&mut config);
    let text = serde_yaml_ng::to_string(&config)?;
    atomic::write_atomic(path, text.as_bytes(), 0o600)?;
    Ok(())
}

/// Replace entries named `name` in the list under `key` (or remove them).
fn set_entry(config: &mut Mapping, key: &str, name: &str, entry: Option<Value>) {
    let list = config
        .entry(key.into())
        .or_insert_with(|| Value::Sequence(Vec::new()));
    if !list.is_sequence() {
        *list = Value::Sequence(Vec::new());
    }
    let items = list.as_sequence_mut().expect("made a sequence");
    items.retain(|item| item.get("name").and_then(Value::as_str) != Some(name));
    if let Some(entry) = entry {
        items.push(entry);
    }
}

/// The kubeconfig context clusterctl makes for cluster `name`.
pub fn context_name(name: &str) -> String {
    format!("{name}.clusterctl")
}

/// Merge the cluster's admin context into the kubeconfig and select it.
/// `server_name` is the name the API server's certificate carries: the
/// address kubectl dials (a public IP assigned after launch) is not in it.
pub fn merge_kubeconfig(
    path: &Path,
    context: &str,
    server: &str,
    server_name: &str,
    secrets: &KubeSecrets,
) -> Result<()> {
    let (cert, key) = secrets.admin_credentials()?;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let user = format!("{context}-admin");
    let cluster: Value = serde_yaml_ng::from_str(&format!(
        "server: {server}\ntls-server-name: {server_name}\ncertificate-authority-data: {}\n",
        b64(&secrets.ca_cert_pem)
    ))?;
    let credentials: Value = serde_yaml_ng::from_str(&format!(
        "client-certificate-data: {}\nclient-key-data: {}\n",
        b64(&cert),
        b64(&key)
    ))?;
    let ctx: Value = serde_yaml_ng::from_str(&format!("cluster: {context}\nuser: {user}\n"))?;
    edit_kubeconfig(path, |config| {
        set_entry(
            config,
            "clusters",
            context,
            Some(named(context, "cluster", cluster)),
        );
        set_entry(
            config,
            "users",
            &user,
            Some(named(&user, "user", credentials)),
        );
        set_entry(
            config,
            "contexts",
            context,
            Some(named(context, "context", ctx)),
        );
        config.insert("current-context".into(), context.into());
    })
}

/// Take the cluster's context (and its cluster and user) out of the kubeconfig.
pub fn remove_from_kubeconfig(path: &Path, context: &str) -> Result<()> {
    if !path.exists() {
        return Ok(());
    }
    edit_kubeconfig(path, |config| {
        set_entry(config, "clusters", context, None);
        set_entry(config, "users", &format!("{context}-admin"), None);
        set_entry(config, "contexts", context, None);
        if config.get("current-context").and_then(Value::as_str) == Some(context) {
            config.remove("current-context");
        }
    })
    .map_err(|e| anyhow!("update {}: {e}", path.display()))
}

/// The API server's port, as kubeadm sets it up.
pub const API_PORT: u16 = 6443;

/// One row of `kubectl get nodes`, as the API server reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeNode {
    pub name: String,
    /// The node's reported addresses (InternalIP, ExternalIP, Hostname…).
    pub addresses: Vec<String>,
    /// Ready, NotReady or Unknown, from the node's Ready condition.
    pub status: String,
    pub control_plane: bool,
}

impl KubeNode {
    /// Whether this is the node of `machine` (kubeadm names nodes after the
    /// instance's own hostname, so its addresses decide as well).
    pub fn is(&self, machine: &str, addresses: &[String]) -> bool {
        self.name == machine || self.addresses.iter().any(|a| addresses.contains(a))
    }
}

/// The nodes of one page of a NodeList (`GET /api/v1/nodes`).
pub fn parse_nodes(list: &serde_json::Value) -> Vec<KubeNode> {
    let items = list["items"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    items
        .iter()
        .map(|node| {
            let ready = node["status"]["conditions"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|c| c["type"] == "Ready")
                .and_then(|c| c["status"].as_str());
            KubeNode {
                name: node["metadata"]["name"].as_str().unwrap_or("?").to_string(),
                addresses: node["status"]["addresses"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|a| a["address"].as_str().map(str::to_string))
                    .collect(),
                status: match ready {
                    Some("True") => "Ready",
                    Some("False") => "NotReady",
                    _ => "Unknown",
                }
                .to_string(),
                control_plane: node["metadata"]["labels"]
                    .get("node-role.kubernetes.io/control-plane")
                    .is_some(),
            }
        })
        .collect()
}

/// The group kubeadm's join tokens authenticate as.
const NODE_TOKEN_GROUP: &str = "system:bootstrappers:kubeadm:default-node-token";

/// A cluster's API server, spoken to as cluster admin (a certificate from
/// the cluster CA kept on the client).
pub struct ApiServer {
    http: reqwest::Client,
    base: String,
    /// "API server at IP:6443", for errors.
    label: String,
}

impl ApiServer {
    /// The API server at `ip`. Requests name `server_name`, the name its
    /// certificate carries, as the kubeconfig does: the public address
    /// dialled is not in the certificate.
    pub fn new(
        secrets: &KubeSecrets,
        ip: std::net::IpAddr,
        server_name: &str,
        timeout: std::time::Duration,
    ) -> Result<ApiServer> {
        let (cert, key) = secrets.admin_credentials()?;
        let http = reqwest::Client::builder()
            .tls_certs_only([reqwest::Certificate::from_pem(
                secrets.ca_cert_pem.as_bytes(),
            )?])
            .identity(reqwest::Identity::from_pem(
                format!("{cert}{key}").as_bytes(),
            )?)
            .resolve(server_name, std::net::SocketAddr::new(ip, API_PORT))
            .timeout(timeout)
            .connect_timeout(timeout)
            .no_proxy()
            .build()?;
        Ok(ApiServer {
            http,
            base: format!("https://{server_name}:{API_PORT}"),
            label: format!("API server at {ip}:{API_PORT}"),
        })
    }

    /// One request; `None` when the object is not there (404).
    async fn call(
        &self,
        method: reqwest::Method,
        path_and_query: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Option<serde_json::Value>> {
        let mut request = self
            .http
            .request(method.clone(), format!("{}{path_and_query}", self.base));
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(|e| {
            anyhow!(
                "{} did not answer: {}",
                self.label,
                crate::ui::error_chain(&e.without_url())
            )
        })?;
        let status = response.status();
        if status == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !status.is_success() {
            let path = path_and_query.split('?').next().unwrap_or_default();
            bail!("{} answered {status} to {method} {path}", self.label);
        }
        Ok(Some(response.json().await?))
    }

    /// Every node, page by page.
    pub async fn nodes(&self) -> Result<Vec<KubeNode>> {
        const PAGE: &str = "/api/v1/nodes?limit=500";
        let mut nodes = Vec::new();
        let mut path = PAGE.to_string();
        loop {
            let list = self
                .call(reqwest::Method::GET, &path, None)
                .await?
                .unwrap_or_default();
            nodes.extend(parse_nodes(&list));
            match list["metadata"]["continue"].as_str() {
                Some(token) if !token.is_empty() => {
                    path = format!("{PAGE}&continue={}", query_escape(token));
                }
                _ => break,
            }
        }
        Ok(nodes)
    }

    /// Delete a node object, as `kubectl delete node` does: its pods are
    /// collected and rescheduled. A node already gone is fine.
    pub async fn delete_node(&self, name: &str) -> Result<()> {
        self.call(
            reqwest::Method::DELETE,
            &format!("/api/v1/nodes/{name}"),
            None,
        )
        .await?;
        Ok(())
    }

    /// Make the cluster's join token valid for `ttl` from now (kubeadm's
    /// tokens expire after a day, and the cleaner then deletes them), so
    /// nodes added later can still join with the token in their user-data.
    pub async fn renew_bootstrap_token(&self, token: &str, ttl: time::Duration) -> Result<()> {
        let (id, secret) = token
            .split_once('.')
            .ok_or_else(|| anyhow!("the cluster's bootstrap token is malformed"))?;
        let name = format!("bootstrap-token-{id}");
        let body = serde_json::json!({
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": name, "namespace": "kube-system"},
            "type": "bootstrap.kubernetes.io/token",
            "stringData": {
                "description": "clusterctl: the token new nodes join with",
                "token-id": id,
                "token-secret": secret,
                "expiration": rfc3339(time::OffsetDateTime::now_utc() + ttl),
                "usage-bootstrap-authentication": "true",
                "usage-bootstrap-signing": "true",
                "auth-extra-groups": NODE_TOKEN_GROUP,
            },
        });
        let secrets = "/api/v1/namespaces/kube-system/secrets";
        let replaced = self
            .call(
                reqwest::Method::PUT,
                &format!("{secrets}/{name}"),
                Some(&body),
            )
            .await?;
        if replaced.is_none() {
            self.call(reqwest::Method::POST, secrets, Some(&body))
                .await?;
        }
        Ok(())
    }
}

/// Percent-encode a query value (continue tokens are base64: `+`, `/`, `=`):
/// everything but RFC 3986's unreserved characters.
pub(crate) fn query_escape(value: &str) -> String {
    const RESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(value, RESERVED).to_string()
}

/// A UTC time as RFC 3339, the form a bootstrap token's expiration takes.
fn rfc3339(t: time::OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(t)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiration_is_rfc3339_utc() {
        let t = time::OffsetDateTime::from_unix_timestamp(1_599_971_950).unwrap();
        assert_eq!(rfc3339(t), "2020-09-13T04:39:10Z");
        let east = t.to_offset(time::UtcOffset::from_hms(2, 0, 0).unwrap());
        assert_eq!(rfc3339(east), "2020-09-13T04:39:10Z");
    }

    #[test]
    fn continue_tokens_are_escaped() {
        assert_eq!(query_escape("eyJ2+a/b=="), "eyJ2%2Ba%2Fb%3D%3D");
    }

    #[test]
    fn node_list_gives_readiness_roles_and_addresses() {
        let list = serde_json::json!({
            "kind": "NodeList",
            "apiVersion": "v1",
            "metadata": {"resourceVersion": "812"},
            "items": [
                {
                    "metadata": {
                        "name": "ip-10-0-1-10",
                        "labels": {"node-role.kubernetes.io/control-plane": ""}
                    },
                    "status": {
                        "addresses": [
                            {"type": "InternalIP", "address": "10.0.1.10"},
                            {"type": "Hostname", "address": "ip-10-0-1-10"}
                        ],
                        "conditions": [
                            {"type": "MemoryPressure", "status": "False"},
                            {"type": "Ready", "status": "True"}
                        ]
                    }
                },
                {
                    "metadata": {"name": "ip-10-0-1-11", "labels": {}},
                    "status": {
                        "addresses": [{"type": "InternalIP", "address": "10.0.1.11"}],
                        "conditions": [{"type": "Ready", "status": "False"}]
                    }
                },
                {"metadata": {"name": "ip-10-0-1-12"}, "status": {}}
            ]
        });
        let nodes = parse_nodes(&list);
        let summary: Vec<(&str, &str, bool, usize)> = nodes
            .iter()
            .map(|n| {
                (
                    n.name.as_str(),
                    n.status.as_str(),
                    n.control_plane,
                    n.addresses.len(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("ip-10-0-1-10", "Ready", true, 2),
                ("ip-10-0-1-11", "NotReady", false, 1),
                ("ip-10-0-1-12", "Unknown", false, 0),
            ]
        );
        assert_eq!(nodes[0].addresses[0], "10.0.1.10");
    }

    #[test]
    fn token_and_hash_have_kubeadm_shapes() {
        let s = KubeSecrets::generate().unwrap();
        let re = regex::Regex::new(r"^[a-z0-9]{6}\.[a-z0-9]{16}$").unwrap();
        assert!(re.is_match(&s.bootstrap_token), "{}", s.bootstrap_token);
        assert_eq!(s.discovery_hash.len(), 64);
        // The hash is of the CA certificate's public key.
        let (_, pem) = x509_parser::pem::parse_x509_pem(s.ca_cert_pem.as_bytes()).unwrap();
        let cert = pem.parse_x509().unwrap();
        let spki = cert.public_key().raw;
        assert_eq!(format!("{:x}", Sha256::digest(spki)), s.discovery_hash);
    }

    #[test]
    fn kubeconfig_merge_keeps_others_and_removal_undoes_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        std::fs::write(
            &path,
            "apiVersion: v1\nkind: Config\nclusters:\n- name: other\n  cluster:\n    server: https://other\ncurrent-context: other\n",
        )
        .unwrap();
        let s = KubeSecrets::generate().unwrap();
        // Twice: merging again replaces the entries instead of adding more.
        for _ in 0..2 {
            merge_kubeconfig(
                &path,
                "demo.clusterctl",
                "https://54.1.2.3:6443",
                "demo-control-plane-0",
                &s,
            )
            .unwrap();
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches("name: demo.clusterctl\n").count(), 2, "{text}");
        assert!(text.contains("name: other"));
        assert!(text.contains("current-context: demo.clusterctl"));
        assert!(
            text.contains("tls-server-name: demo-control-plane-0"),
            "{text}"
        );
        remove_from_kubeconfig(&path, "demo.clusterctl").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("demo.clusterctl"), "{text}");
        assert!(text.contains("name: other"));
    }
}
