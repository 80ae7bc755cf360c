//! Kubernetes by kubeadm: nodes boot with scripts that install containerd
//! and the kubeadm packages, then wait for their secrets. The cluster CA
//! and a bootstrap token are made on the client and written to each node
//! over its provisioning SSH session (the CA key to control planes only);
//! the control plane initialises, workers join, and the admin context is
//! merged into the user's kubeconfig. Health and scale talk to the API
//! server as cluster admin.

use anyhow::{Context as _, Result, anyhow};
use futures::future::BoxFuture;

use crate::cluster::kube::{self, ApiServer, KubeSecrets};
use crate::cluster::orchestrators::{
    ClusterSecrets, NodeHealth, Orchestrator, PortRange, ScaleNotes, first_manager_ip,
    kept_or_made, print_env,
};
use crate::cluster::render::BootPlan;
use crate::cluster::role::Role;
use crate::cluster::{ClusterRecord, NodeRef, machine_addresses};
use crate::commands::Context;
use crate::provision::NodeFile;

/// Where a node's secrets land (over SSH, never user-data).
pub const JOIN_ENV: &str = "/etc/machinectl/kube/join.env";
pub const CA_KEY: &str = "/etc/kubernetes/pki/ca.key";
pub const CA_CERT: &str = "/etc/kubernetes/pki/ca.crt";

/// How long the orchestrator gets to answer.
pub const API_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

pub struct Kubernetes;

impl Orchestrator for Kubernetes {
    fn manager_role(&self) -> Option<Role> {
        Some(Role::ControlPlane)
    }

    fn ports_between_nodes(&self) -> Vec<PortRange> {
        vec![
            ("tcp", kube::API_PORT, kube::API_PORT),
            ("tcp", 2379, 2380),
            ("tcp", 10250, 10250),
            ("tcp", 10257, 10257),
            ("tcp", 10259, 10259),
            ("udp", 8472, 8472),
        ]
    }

    fn public_ports(&self) -> Vec<u16> {
        vec![kube::API_PORT]
    }

    fn boot_scripts(&self, role: Role) -> Vec<(&'static str, &'static str)> {
        let own = if role == Role::Worker {
            ("bootstrap/kubernetes/worker.sh.tera", "worker.sh")
        } else {
            (
                "bootstrap/kubernetes/control-plane.sh.tera",
                "control-plane.sh",
            )
        };
        vec![("bootstrap/kubernetes/common.sh.tera", "common.sh"), own]
    }

    fn secrets(&self, dir: Option<&std::path::Path>) -> Result<ClusterSecrets> {
        let dir = dir.map(secrets_dir);
        let kube = kept_or_made(
            dir.as_deref(),
            KubeSecrets::load_or_create,
            KubeSecrets::generate,
        )?;
        Ok(ClusterSecrets {
            kube: Some(kube),
            ..ClusterSecrets::default()
        })
    }

    /// The CA certificate for control planes (public: its key is not).
    fn public_boot_files(
        &self,
        role: Role,
        secrets: &ClusterSecrets,
        _plan: &BootPlan,
    ) -> Result<Vec<(String, String)>> {
        if !role.is_manager() {
            return Ok(Vec::new());
        }
        let kube = secrets.kube.as_ref().context("kubernetes needs its CA")?;
        Ok(vec![(CA_CERT.to_string(), kube.ca_cert_pem.clone())])
    }

    /// The join token for every node; the CA key for control planes.
    fn node_files(
        &self,
        role: Role,
        secrets: &ClusterSecrets,
        _plan: &BootPlan,
    ) -> Result<Vec<NodeFile>> {
        let kube = secrets.kube.as_ref().context("kubernetes secrets")?;
        let token =
            crate::render::escape::shell_word(&kube.bootstrap_token).map_err(|e| anyhow!(e))?;
        let mut files = vec![NodeFile::secret(
            JOIN_ENV,
            format!("BOOTSTRAP_TOKEN={token}\n"),
        )];
        if role.is_manager() {
            files.push(NodeFile::secret(CA_KEY, kube.ca_key_pem.clone()));
        }
        Ok(files)
    }

    /// The nodes bootstrap themselves once their secrets arrive; here the
    /// admin context goes into the user's kubeconfig.
    fn bootstrap<'a>(
        &'a self,
        ctx: &'a Context,
        record: &'a mut ClusterRecord,
        secrets: &'a ClusterSecrets,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let name = record.name().to_string();
            let first = record.first_manager().context("no control plane")?.clone();
            let machine = ctx.store.load(&first.machine)?;
            let ip = machine
                .driver
                .ip()
                .context("control plane has no address")?;
            let context = kube::context_name(&name);
            let kube_secrets = secrets.kube.as_ref().context("kubernetes secrets")?;
            kube::merge_kubeconfig(
                &kube::kubeconfig_path(&ctx.env),
                &context,
                &format!("https://{ip}:{}", kube::API_PORT),
                &first.machine,
                kube_secrets,
            )?;
            record.kube_context = Some(context.clone());
            ctx.printer.info(format!(
                "kubectl context {context} added to your kubeconfig"
            ));
            Ok(())
        })
    }

    /// Find the node objects of the workers going away, and renew the join
    /// token new nodes use (kubeadm lets it expire a day after `up`).
    /// Nothing has changed yet if the API server does not answer.
    fn before_scale<'a>(
        &'a self,
        ctx: &'a Context,
        record: &'a ClusterRecord,
        adding: &'a [NodeRef],
        removing: &'a [NodeRef],
    ) -> BoxFuture<'a, Result<ScaleNotes>> {
        Box::pin(async move {
            let api = api_server(ctx, record)?;
            let mut notes = ScaleNotes::default();
            if !removing.is_empty() {
                let known = api
                    .nodes()
                    .await
                    .context("find the leaving nodes in Kubernetes")?;
                for node in removing {
                    let addresses = machine_addresses(ctx, &node.machine);
                    if let Some(kube_node) = known.iter().find(|k| k.is(&node.machine, &addresses))
                    {
                        notes.leaving.push(kube_node.name.clone());
                    }
                }
            }
            if !adding.is_empty() {
                let step = ctx
                    .printer
                    .step("Renewing the bootstrap token new nodes join with");
                let dir = secrets_dir(&ctx.store.cluster_dir(record.name()));
                let token = KubeSecrets::load_or_create(&dir)?.bootstrap_token;
                api.renew_bootstrap_token(&token, time::Duration::hours(24))
                    .await
                    .context("renew the bootstrap token new nodes join with")?;
                step.done();
            }
            Ok(notes)
        })
    }

    /// Delete the node objects of removed workers, as `kubectl delete node`
    /// does: a running kubelet would register again, and their instances
    /// are gone. A failure only warns.
    fn after_scale<'a>(
        &'a self,
        ctx: &'a Context,
        record: &'a ClusterRecord,
        notes: ScaleNotes,
    ) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            if notes.leaving.is_empty() {
                return;
            }
            let names = notes.leaving;
            let step = ctx
                .printer
                .step(format!("Deleting {} node(s) from Kubernetes", names.len()));
            let deleted = async {
                let api = api_server(ctx, record)?;
                for name in &names {
                    api.delete_node(name).await?;
                }
                anyhow::Ok(())
            }
            .await;
            match deleted {
                Ok(()) => step.done(),
                Err(e) => {
                    drop(step);
                    ctx.printer.warn(format!(
                        "could not delete node(s) {} from Kubernetes ({}); `kubectl delete node` them",
                        names.join(", "),
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
            let nodes = api_server(ctx, record)?.nodes().await?;
            Ok(nodes
                .into_iter()
                .map(|n| NodeHealth {
                    role: if n.control_plane {
                        "control-plane"
                    } else {
                        "worker"
                    }
                    .into(),
                    status: n.status,
                    known_as: [vec![n.name], n.addresses].concat(),
                })
                .collect())
        })
    }

    /// kubectl reads the merged kubeconfig; name the context too.
    fn env(&self, ctx: &Context, record: &ClusterRecord, shell: Option<String>) -> Result<()> {
        let context = record
            .kube_context
            .clone()
            .unwrap_or_else(|| kube::context_name(record.name()));
        let path = kube::kubeconfig_path(&ctx.env);
        print_env(
            ctx,
            shell,
            &[("KUBECONFIG", path.to_string_lossy().into_owned())],
            &format!("kubectl --context {context} get nodes"),
        )
    }

    fn forget(&self, ctx: &Context, name: &str, record: Option<&ClusterRecord>) -> Result<()> {
        // The context is named after the cluster, so it goes even when the
        // record that remembered it is gone.
        let context = record
            .and_then(|r| r.kube_context.clone())
            .unwrap_or_else(|| kube::context_name(name));
        kube::remove_from_kubeconfig(&kube::kubeconfig_path(&ctx.env), &context)
    }
}

/// Where a cluster's Kubernetes CA and token are kept (clusters/NAME/kube).
fn secrets_dir(cluster_dir: &std::path::Path) -> std::path::PathBuf {
    cluster_dir.join("kube")
}

/// The API server of a Kubernetes cluster's first control plane, as admin.
pub fn api_server(ctx: &Context, record: &ClusterRecord) -> Result<ApiServer> {
    let (ip, machine) = first_manager_ip(ctx, record, "control plane")?;
    let dir = secrets_dir(&ctx.store.cluster_dir(record.name()));
    let secrets = KubeSecrets::load(&dir)?
        .ok_or_else(|| anyhow!("the cluster's CA is missing from {}", dir.display()))?;
    ApiServer::new(&secrets, ip, &machine, API_TIMEOUT)
}
