//! Consul: 3 or 5 servers (`bootstrap_expect`), a client agent on every
//! other node, and Registrator on every node registering its containers.
//! The client makes the cluster's secrets: a gossip encryption key (32
//! random bytes, base64), a CA, one server and one client certificate for
//! TLS on RPC and HTTPS (`verify_server_hostname`: servers are
//! `server.dc1.consul`), and a certificate for the CLI `env` points at.
//! They reach nodes over SSH as node files; the user-data holds only the
//! agent configuration and the CA certificate. Agents join by cloud
//! auto-join (go-discover's `provider=aws tag_key=… tag_value=…`, on the
//! cluster-id tag every instance carries) where the provider has it, else
//! by the servers' addresses. `status` reads `/v1/agent/members` over TLS;
//! `scale` forces removed nodes out of the member list (`force-leave`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow};
use base64::Engine as _;
use futures::future::BoxFuture;
use rcgen::{
    CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, Issuer, KeyPair,
    KeyUsagePurpose,
};
use serde_json::json;

use crate::cluster::orchestrators::{
    ClusterSecrets, NodeHealth, NodePermissions, Orchestrator, PortRange, ScaleNotes,
    first_manager_ip, get_json, kept_or_made, print_env,
};
use crate::cluster::render::BootPlan;
use crate::cluster::role::Role;
use crate::cluster::{ClusterRecord, NodeRef, machine_addresses};
use crate::commands::Context;
use crate::provision::NodeFile;
use crate::store::{Store, atomic};

pub const DATACENTER: &str = "dc1";
pub const HTTPS_PORT: u16 = 8501;
/// The name every server certificate carries (`verify_server_hostname`).
pub const SERVER_NAME: &str = "server.dc1.consul";
const CLIENT_NAME: &str = "client.dc1.consul";
/// Registrator, registering every node's containers with its agent.
pub const REGISTRATOR_IMAGE: &str = "gliderlabs/registrator:v7";

pub struct Consul;

/// A certificate and its key, PEM.
#[derive(Debug, Clone)]
pub struct CertPair {
    pub cert: String,
    pub key: String,
}

/// The cluster's Consul secrets, made on the client.
#[derive(Debug, Clone)]
pub struct ConsulSecrets {
    pub ca: CertPair,
    /// base64 of 32 random bytes (`consul keygen`'s form).
    pub gossip_key: String,
    pub server: CertPair,
    pub client: CertPair,
    /// For the consul CLI on this computer (`clusterctl env`).
    pub cli: CertPair,
}

/// (file stem, which pair) as kept in clusters/NAME/consul.
const PAIRS: [&str; 4] = ["ca", "server", "client", "cli"];

fn leaf(issuer: &Issuer<'_, KeyPair>, names: &[&str], server: bool) -> Result<CertPair> {
    let key = KeyPair::generate()?;
    let mut params = CertificateParams::new(
        names
            .iter()
            .map(|n| n.to_string())
            .chain(["localhost".into(), "127.0.0.1".into()])
            .collect::<Vec<_>>(),
    )?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, names[0]);
    params.distinguished_name = dn;
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    if server {
        params
            .extended_key_usages
            .push(ExtendedKeyUsagePurpose::ServerAuth);
    }
    crate::cluster::kube::validity(&mut params, 3650);
    let cert = params.signed_by(&key, issuer)?;
    Ok(CertPair {
        cert: cert.pem(),
        key: key.serialize_pem(),
    })
}

impl ConsulSecrets {
    pub fn generate() -> Result<ConsulSecrets> {
        let (params, ca_key, ca_cert) = crate::cluster::kube::new_ca("Consul CA (machinectl)")?;
        let ca = CertPair {
            cert: ca_cert.pem(),
            key: ca_key.serialize_pem(),
        };
        let issuer = Issuer::new(params, ca_key);
        let mut bytes = [0u8; 32];
        rand::Rng::fill(&mut rand::rng(), &mut bytes);
        Ok(ConsulSecrets {
            ca,
            gossip_key: base64::engine::general_purpose::STANDARD.encode(bytes),
            server: leaf(&issuer, &[SERVER_NAME], true)?,
            client: leaf(&issuer, &[CLIENT_NAME], true)?,
            cli: leaf(&issuer, &["cli.dc1.consul"], false)?,
        })
    }

    fn pair_paths(dir: &Path, stem: &str) -> (PathBuf, PathBuf) {
        (
            dir.join(format!("{stem}.pem")),
            dir.join(format!("{stem}-key.pem")),
        )
    }

    /// The secrets kept in clusters/NAME/consul, if they are all there.
    pub fn load(dir: &Path) -> Result<Option<ConsulSecrets>> {
        let gossip = dir.join("gossip.key");
        let all_there = gossip.exists()
            && PAIRS.iter().all(|stem| {
                let (cert, key) = Self::pair_paths(dir, stem);
                cert.exists() && key.exists()
            });
        if !all_there {
            return Ok(None);
        }
        let read = |stem: &str| -> Result<CertPair> {
            let (cert, key) = Self::pair_paths(dir, stem);
            Ok(CertPair {
                cert: std::fs::read_to_string(cert)?,
                key: std::fs::read_to_string(key)?,
            })
        };
        Ok(Some(ConsulSecrets {
            ca: read("ca")?,
            gossip_key: std::fs::read_to_string(gossip)?.trim().to_string(),
            server: read("server")?,
            client: read("client")?,
            cli: read("cli")?,
        }))
    }

    /// The secrets of clusters/NAME/consul, made there on first use (keys 0600).
    pub fn load_or_create(dir: &Path) -> Result<ConsulSecrets> {
        if let Some(secrets) = Self::load(dir)? {
            return Ok(secrets);
        }
        Store::make_dir(dir)?;
        let secrets = Self::generate()?;
        for (stem, pair) in PAIRS.iter().zip(secrets.pairs()) {
            let (cert, key) = Self::pair_paths(dir, stem);
            atomic::write_atomic(&cert, pair.cert.as_bytes(), 0o644)?;
            atomic::write_atomic(&key, pair.key.as_bytes(), 0o600)?;
        }
        atomic::write_atomic(
            &dir.join("gossip.key"),
            secrets.gossip_key.as_bytes(),
            0o600,
        )?;
        Ok(secrets)
    }

    fn pairs(&self) -> [&CertPair; 4] {
        [&self.ca, &self.server, &self.client, &self.cli]
    }
}

/// Where a cluster's Consul secrets are kept (clusters/NAME/consul).
pub fn secrets_dir(cluster_dir: &Path) -> PathBuf {
    cluster_dir.join("consul")
}

/// Consul's configuration directory on a node.
pub fn config_dir(plan: &BootPlan) -> String {
    format!("{}/consul", plan.etc_dir)
}

/// The TLS files on a node: (CA, agent certificate, agent key).
pub fn tls_files(plan: &BootPlan) -> [String; 3] {
    let dir = format!("{}/tls", config_dir(plan));
    [
        format!("{dir}/ca.pem"),
        format!("{dir}/agent.pem"),
        format!("{dir}/agent-key.pem"),
    ]
}

/// The file holding the gossip key (a secret: delivered over SSH).
pub fn gossip_file(plan: &BootPlan) -> String {
    format!("{}/encrypt.json", config_dir(plan))
}

/// How agents find the servers: go-discover's auto-join string where the
/// provider has one, else the servers' addresses.
pub fn retry_join(plan: &BootPlan) -> Vec<String> {
    match &plan.auto_join {
        Some(discover) => vec![discover.clone()],
        None => plan.manager_addresses().to_vec(),
    }
}

/// The agent configuration of a node of `role` (JSON, which Consul reads
/// beside HCL): no secret in it; the gossip key is a file of its own.
pub fn agent_config(role: Role, plan: &BootPlan) -> serde_json::Value {
    let [ca, cert, key] = tls_files(plan);
    let bind = format!(
        "{{{{ GetPrivateInterfaces | include \"network\" \"{}\" | attr \"address\" }}}}",
        plan.node_cidr
    );
    let mut config = json!({
        "datacenter": DATACENTER,
        "data_dir": format!("{}/consul", plan.data_dir),
        "bind_addr": bind,
        "client_addr": "0.0.0.0",
        "retry_join": retry_join(plan),
        "ports": {"http": -1, "https": HTTPS_PORT},
        "tls": {
            "defaults": {
                "ca_file": ca,
                "cert_file": cert,
                "key_file": key,
                "verify_incoming": true,
                "verify_outgoing": true,
            },
            "internal_rpc": {"verify_server_hostname": true},
        },
    });
    if role == Role::Server {
        config["server"] = json!(true);
        config["bootstrap_expect"] = json!(plan.managers);
        config["ui_config"] = json!({"enabled": true});
    }
    config
}

impl Orchestrator for Consul {
    fn manager_role(&self) -> Option<Role> {
        Some(Role::Server)
    }

    fn worker_role(&self) -> Role {
        Role::Client
    }

    /// Server RPC, LAN and WAN gossip, HTTPS, DNS.
    fn ports_between_nodes(&self) -> Vec<PortRange> {
        vec![
            ("tcp", 8300, 8302),
            ("udp", 8301, 8302),
            ("tcp", HTTPS_PORT, HTTPS_PORT),
            ("tcp", 8600, 8600),
            ("udp", 8600, 8600),
        ]
    }

    /// HTTPS (mutual TLS) for `clusterctl status` and the consul CLI.
    fn public_ports(&self) -> Vec<u16> {
        vec![HTTPS_PORT]
    }

    fn boot_scripts(&self, _role: Role) -> Vec<(&'static str, &'static str)> {
        vec![
            ("bootstrap/swarm/engine.sh.tera", "engine.sh"),
            ("bootstrap/consul/agent.sh.tera", "consul-agent.sh"),
            ("bootstrap/consul/registrator.sh.tera", "registrator.sh"),
        ]
    }

    fn boot_values(&self, plan: &BootPlan) -> Vec<(&'static str, serde_json::Value)> {
        let [ca, cert, key] = tls_files(plan);
        vec![
            ("consul_dir", json!(config_dir(plan))),
            ("consul_data", json!(format!("{}/consul", plan.data_dir))),
            ("consul_gossip", json!(gossip_file(plan))),
            ("consul_ca", json!(ca)),
            ("consul_cert", json!(cert)),
            ("consul_key", json!(key)),
            ("consul_tls", json!(format!("{}/tls", config_dir(plan)))),
            ("registrator_image", json!(REGISTRATOR_IMAGE)),
            ("consul_https_port", json!(HTTPS_PORT)),
        ]
    }

    /// go-discover's aws provider lists instances by tag.
    fn node_permissions(&self) -> NodePermissions {
        NodePermissions {
            managed: Vec::new(),
            actions: vec!["ec2:DescribeInstances"],
        }
    }

    fn secrets(&self, dir: Option<&Path>) -> Result<ClusterSecrets> {
        let dir = dir.map(secrets_dir);
        let consul = kept_or_made(
            dir.as_deref(),
            ConsulSecrets::load_or_create,
            ConsulSecrets::generate,
        )?;
        Ok(ClusterSecrets {
            consul: Some(consul),
            ..ClusterSecrets::default()
        })
    }

    /// The agent configuration and the CA certificate (both public).
    fn public_boot_files(
        &self,
        role: Role,
        secrets: &ClusterSecrets,
        plan: &BootPlan,
    ) -> Result<Vec<(String, String)>> {
        let consul = secrets.consul.as_ref().context("consul needs its CA")?;
        let config = serde_json::to_string_pretty(&agent_config(role, plan))? + "\n";
        let [ca, _, _] = tls_files(plan);
        Ok(vec![
            (format!("{}/consul.json", config_dir(plan)), config),
            (ca, consul.ca.cert.clone()),
        ])
    }

    /// The gossip key and the node's certificate and key (server or client).
    fn node_files(
        &self,
        role: Role,
        secrets: &ClusterSecrets,
        plan: &BootPlan,
    ) -> Result<Vec<NodeFile>> {
        let consul = secrets.consul.as_ref().context("consul secrets")?;
        let pair = if role == Role::Server {
            &consul.server
        } else {
            &consul.client
        };
        let [_, cert, key] = tls_files(plan);
        let encrypt = serde_json::to_string(&json!({"encrypt": consul.gossip_key}))? + "\n";
        Ok(vec![
            NodeFile::secret(&gossip_file(plan), encrypt),
            NodeFile::secret(&cert, pair.cert.clone()),
            NodeFile::secret(&key, pair.key.clone()),
        ])
    }

    /// The Consul names of the nodes going away (matched by name or
    /// address), so they can be forced out once their hosts are gone. An
    /// agent that does not answer changes nothing: they are reaped later.
    fn before_scale<'a>(
        &'a self,
        ctx: &'a Context,
        record: &'a ClusterRecord,
        _adding: &'a [NodeRef],
        removing: &'a [NodeRef],
    ) -> BoxFuture<'a, Result<ScaleNotes>> {
        Box::pin(async move {
            if removing.is_empty() {
                return Ok(ScaleNotes::default());
            }
            let members = match self.health(ctx, record).await {
                Ok(members) => members,
                Err(e) => {
                    ctx.printer.warn(format!(
                        "the leaving nodes stay in Consul's member list as failed until it reaps them ({})",
                        crate::commands::one_line(&e)
                    ));
                    return Ok(ScaleNotes::default());
                }
            };
            let leaving = removing.iter().filter_map(|node| {
                let addresses = machine_addresses(ctx, &node.machine);
                let known = |k: &String| *k == node.machine || addresses.contains(k);
                let member = members.iter().find(|m| m.known_as.iter().any(known))?;
                member.known_as.first().cloned()
            });
            Ok(ScaleNotes {
                leaving: leaving.collect(),
            })
        })
    }

    /// Force the removed nodes out of the member list (`force-leave`,
    /// pruned), as `consul force-leave -prune` does. A failure only warns.
    fn after_scale<'a>(
        &'a self,
        ctx: &'a Context,
        record: &'a ClusterRecord,
        notes: ScaleNotes,
    ) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            for name in notes.leaving {
                if let Err(e) = force_leave(ctx, record, &name).await {
                    ctx.printer.warn(format!(
                        "{name} stays in Consul's member list as failed until it is reaped: {}",
                        crate::commands::one_line(&e)
                    ));
                }
            }
        })
    }

    fn health<'a>(
        &'a self,
        ctx: &'a Context,
        record: &'a ClusterRecord,
    ) -> BoxFuture<'a, Result<Vec<NodeHealth>>> {
        Box::pin(async move {
            let (http, url, label) = api(ctx, record)?;
            let who = format!("Consul at {label}");
            let members = get_json(&http, &url, "/v1/agent/members", &who).await?;
            Ok(parse_members(&members))
        })
    }

    fn env(&self, ctx: &Context, record: &ClusterRecord, shell: Option<String>) -> Result<()> {
        let (ip, _) = first_server(ctx, record)?;
        let dir = secrets_dir(&ctx.store.cluster_dir(record.name()));
        let file = |name: &str| dir.join(name).to_string_lossy().into_owned();
        print_env(
            ctx,
            shell,
            &[
                ("CONSUL_HTTP_ADDR", format!("https://{ip}:{HTTPS_PORT}")),
                ("CONSUL_CACERT", file("ca.pem")),
                ("CONSUL_CLIENT_CERT", file("cli.pem")),
                ("CONSUL_CLIENT_KEY", file("cli-key.pem")),
                ("CONSUL_TLS_SERVER_NAME", SERVER_NAME.to_string()),
            ],
            "consul members",
        )
    }
}

/// `PUT /v1/agent/force-leave/NAME?prune` on the first server.
async fn force_leave(ctx: &Context, record: &ClusterRecord, name: &str) -> Result<()> {
    let (http, url, label) = api(ctx, record)?;
    let path = format!(
        "/v1/agent/force-leave/{}?prune",
        crate::cluster::kube::query_escape(name)
    );
    let response = http
        .put(format!("{url}{path}"))
        .send()
        .await
        .map_err(|e| anyhow!("Consul at {label} did not answer: {}", e.without_url()))?;
    let status = response.status();
    if !status.is_success() {
        anyhow::bail!("Consul at {label} answered {status} to force-leave of {name}");
    }
    Ok(())
}

/// The first server's address (as this computer reaches it) and name.
fn first_server(ctx: &Context, record: &ClusterRecord) -> Result<(std::net::IpAddr, String)> {
    first_manager_ip(ctx, record, "server")
}

/// A client of the first server's HTTPS API, as the CLI certificate:
/// (client, base URL, "IP:8501" for messages).
fn api(ctx: &Context, record: &ClusterRecord) -> Result<(reqwest::Client, String, String)> {
    let (ip, _) = first_server(ctx, record)?;
    let dir = secrets_dir(&ctx.store.cluster_dir(record.name()));
    let secrets = ConsulSecrets::load(&dir)?
        .ok_or_else(|| anyhow!("the cluster's Consul CA is missing from {}", dir.display()))?;
    let timeout = Duration::from_secs(10);
    let http = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(secrets.ca.cert.as_bytes())?])
        .identity(reqwest::Identity::from_pem(
            format!("{}{}", secrets.cli.cert, secrets.cli.key).as_bytes(),
        )?)
        .resolve(SERVER_NAME, std::net::SocketAddr::new(ip, HTTPS_PORT))
        .timeout(timeout)
        .connect_timeout(timeout)
        .no_proxy()
        .build()?;
    Ok((
        http,
        format!("https://{SERVER_NAME}:{HTTPS_PORT}"),
        format!("{ip}:{HTTPS_PORT}"),
    ))
}

/// Members as `/v1/agent/members` lists them (Status 1 alive, 2 leaving,
/// 3 left, 4 failed; servers carry the tag role=consul).
pub fn parse_members(members: &serde_json::Value) -> Vec<NodeHealth> {
    members
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| NodeHealth {
            known_as: ["Name", "Addr"]
                .iter()
                .filter_map(|k| m[*k].as_str().map(str::to_string))
                .collect(),
            status: match m["Status"].as_u64() {
                Some(1) => "alive",
                Some(2) => "leaving",
                Some(3) => "left",
                Some(4) => "failed",
                _ => "unknown",
            }
            .to_string(),
            role: if m["Tags"]["role"] == "consul" {
                "server"
            } else {
                "client"
            }
            .to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(auto_join: Option<&str>) -> BootPlan {
        let spec = crate::cluster::ClusterSpec::resolve(
            Some("c".into()),
            Default::default(),
            crate::cluster::spec::SpecFields {
                provider: Some(crate::cluster::ProviderKind::Local),
                orchestrator: Some(crate::cluster::OrchestratorKind::Consul),
                nodes: Some(4),
                managers: Some(3),
                ..Default::default()
            },
        )
        .unwrap();
        let addresses = (2..6).map(|i| format!("10.231.0.{i}")).collect();
        let mut plan = BootPlan::local(&spec, "abc", addresses, "10.231.0.0/24");
        plan.auto_join = auto_join.map(str::to_string);
        plan
    }

    #[test]
    fn secrets_have_consul_shapes_and_survive_a_reload() {
        let dir = tempfile::tempdir().unwrap();
        let made = ConsulSecrets::load_or_create(dir.path()).unwrap();
        let key = base64::engine::general_purpose::STANDARD
            .decode(&made.gossip_key)
            .unwrap();
        assert_eq!(key.len(), 32);
        let again = ConsulSecrets::load_or_create(dir.path()).unwrap();
        assert_eq!(again.gossip_key, made.gossip_key);
        assert_eq!(again.server.cert, made.server.cert);
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("ca-key.pem"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        // The server certificate names server.dc1.consul and is the CA's.
        let (_, pem) = x509_parser::pem::parse_x509_pem(made.server.cert.as_bytes()).unwrap();
        let cert = pem.parse_x509().unwrap();
        let sans = cert.subject_alternative_name().unwrap().unwrap();
        assert!(format!("{:?}", sans.value).contains(SERVER_NAME));
        let (_, ca) = x509_parser::pem::parse_x509_pem(made.ca.cert.as_bytes()).unwrap();
        assert_eq!(cert.issuer(), ca.parse_x509().unwrap().subject());
    }

    #[test]
    fn servers_expect_their_count_and_join_by_address_or_auto_join() {
        let local = plan(None);
        let server = agent_config(Role::Server, &local);
        assert_eq!(server["bootstrap_expect"], 3);
        assert_eq!(
            server["retry_join"],
            json!(["10.231.0.2", "10.231.0.3", "10.231.0.4"])
        );
        let client = agent_config(Role::Client, &local);
        assert!(client.get("bootstrap_expect").is_none() && client.get("server").is_none());
        assert_eq!(client["ports"]["http"], -1);
        let aws = plan(Some(
            "provider=aws tag_key=machinectl:cluster-id tag_value=abc",
        ));
        assert_eq!(
            agent_config(Role::Client, &aws)["retry_join"],
            json!(["provider=aws tag_key=machinectl:cluster-id tag_value=abc"])
        );
    }

    #[test]
    fn members_give_status_and_role() {
        let members = json!([
            {"Name": "c-server-0", "Addr": "10.231.0.2", "Status": 1, "Tags": {"role": "consul"}},
            {"Name": "c-client-0", "Addr": "10.231.0.5", "Status": 4, "Tags": {"role": "node"}}
        ]);
        let parsed = parse_members(&members);
        assert_eq!(parsed[0].known_as, ["c-server-0", "10.231.0.2"]);
        assert_eq!(
            (parsed[0].status.as_str(), parsed[0].role.as_str()),
            ("alive", "server")
        );
        assert_eq!(
            (parsed[1].status.as_str(), parsed[1].role.as_str()),
            ("failed", "client")
        );
    }
}
