//! The machines provider: a cluster's nodes are machines of a machine
//! driver, made in parallel through the same create as `machinectl create`
//! (each settles its own failure and Ctrl-C), then joined by the
//! orchestrator. It serves every provider but aws:
//!
//! - `local`: namespace hosts on this machine (`--local-subnet`).
//! - `digitalocean`, `gce`, `azure`, `virtualbox`: machines of that driver,
//!   made from the driver flags `up` was given (the spec's
//!   [`DriverTemplate`], kept in the record with its secrets sealed; each
//!   node is the template with the node's name, see [`for_machine`]). Each
//!   node's create gets a [`ClusterNode`] (the cluster's name and id for
//!   its tags, the orchestrator's peer and public ports for its firewall,
//!   and its role's cloud-init as user-data when the driver takes it and
//!   the boot data names no other node's address: Swarm). What the nodes
//!   share (a cluster firewall) is made once before them through the
//!   template's `prepare_cluster` and recorded; `down` removes it and, with
//!   the template's `cluster_resources`, whatever else carries the
//!   cluster's id.
//! - `generic`: existing SSH hosts (`--hosts`, `--ssh-key`) as generic
//!   machines, one per host; `down` takes the orchestrator off them
//!   ([`super::generic`]) and forgets them, the hosts stay.
//!
//! Nodes not booted by user-data get their role's boot files and run its
//! scripts over SSH once all exist (`cluster::boot`), with the nodes' real
//! addresses. Consul's cloud auto-join string (it carries the provider's
//! credentials) goes to each node as a 0600 file over the provisioning
//! SSH session, never in user-data. `render` writes each role's boot data
//! (the nodes' addresses, or placeholders for a cluster not made yet), and
//! for azure the ARM template of the whole cluster (the driver's
//! `template::cluster_template`: nodes at those addresses, with their
//! role's user-data as custom data).
//! Kubernetes is rendered but not brought up on local hosts: its node
//! preparation changes the kernel that every local host shares with this
//! machine. The record lists the nodes this cluster made, so a rollback
//! removes those and nothing else.

use anyhow::{Context as _, Result, anyhow, bail};
use futures::future::BoxFuture;
use machinectl_driver_api::cluster::{ClusterId, ClusterName};
use machinectl_driver_api::{Cluster, ClusterNode, DriverError, Found, PortRange, Protocol};
use machinectl_driver_generic::GenericDriver;
use machinectl_driver_local::{LocalDriver, Subnet};

use crate::cluster::boot;
use crate::cluster::orchestrators::{ClusterSecrets, NodeFormer, consul};
use crate::cluster::providers::{ClusterProvider, NodeOptions, ScalePlan, generic, node_engine};
use crate::cluster::record::ProviderState;
use crate::cluster::render::{
    AWS_NODE_CIDR, Artifacts, BootPlan, boot_context, node_private_ip, render_machines, role_boot,
};
use crate::cluster::role::Role;
use crate::cluster::spec::{DriverTemplate, OrchestratorKind, ProviderKind};
use crate::cluster::{ClusterRecord, ClusterSpec, NodeRef, machine_addresses};
use crate::commands::Context;
use crate::commands::create::{NewMachine, create_machine};
use crate::commands::interrupt::Interrupt;
use crate::drivers::MachineDriver;
use crate::provision::NodeFile;
use crate::render::Renderer;
use crate::store::{MachineRecord, StoreError};

pub struct Machines;

impl ClusterProvider for Machines {
    fn supports(&self, spec: &ClusterSpec) -> Result<()> {
        if spec.provider == ProviderKind::Local && spec.orchestrator == OrchestratorKind::Kubernetes
        {
            bail!(
                "kubernetes nodes cannot be prepared on local hosts (kubeadm changes swap, kernel modules and sysctls of this machine, which every local host shares, and kubelet is in no reachable registry): `clusterctl render` shows what they would run; use --provider aws"
            );
        }
        Ok(())
    }

    fn check<'a>(&'a self, _ctx: &'a Context, spec: &'a ClusterSpec) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            if let Some(template) = template(spec) {
                template.cluster_check()?;
                name_is_free(template, &spec.name).await?;
            }
            for (i, (machine, _, _)) in spec.node_names().iter().enumerate() {
                node_driver(spec, i, machine)?.pre_create_check()?;
            }
            Ok(())
        })
    }

    fn new_state(&self, _spec: &ClusterSpec) -> ProviderState {
        ProviderState::Machines {
            made: Vec::new(),
            shared: Vec::new(),
        }
    }

    fn create<'a>(
        &'a self,
        ctx: &'a Context,
        record: &'a mut ClusterRecord,
        secrets: &'a ClusterSecrets,
        options: &'a NodeOptions,
        _interrupt: &'a mut Interrupt,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            prepare_shared(ctx, record).await?;
            let step = ctx.printer.step(format!(
                "Creating {} node(s) in parallel",
                record.nodes.len()
            ));
            let nodes = record.nodes.clone();
            let (made, error) = create_nodes(ctx, record, &nodes, secrets, options).await;
            set_made(record, made);
            ctx.store.save_cluster(record)?;
            if let Some(e) = error {
                return Err(e);
            }
            step.done();
            if options.former.is_some() {
                // Each node got its boot files while provisioned and was
                // brought in as soon as it was.
                return Ok(());
            }
            boot_over_ssh(ctx, &record.spec, &record.id, secrets, &nodes, options).await
        })
    }

    fn teardown<'a>(
        &'a self,
        ctx: &'a Context,
        record: &'a ClusterRecord,
        _wait: bool,
        discover: bool,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(teardown(ctx, record, discover))
    }

    fn scale<'a>(
        &'a self,
        ctx: &'a Context,
        record: &'a mut ClusterRecord,
        plan: ScalePlan,
        options: &'a NodeOptions,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(scale(ctx, record, plan, options))
    }

    /// Each role's boot data, as the nodes get it (user-data or over SSH).
    fn render(
        &self,
        ctx: &Context,
        renderer: &Renderer,
        spec: &ClusterSpec,
        cluster_id: &str,
        secrets: &ClusterSecrets,
    ) -> Result<Artifacts> {
        let plan = boot_plan(ctx, spec, cluster_id)?;
        let mut artifacts = render_machines(renderer, spec, secrets, &plan)?;
        if let Some(MachineDriver::Azure(azure)) = template(spec) {
            let cluster = cluster_of(spec, cluster_id)?;
            artifacts.arm_template =
                Some(azure_template(azure, spec, &cluster, &plan, &artifacts)?);
        }
        Ok(artifacts)
    }
}

/// Nothing where the template points carries the cluster's name already
/// (another store's cluster, or one whose record was lost): two clusters
/// of one name could not be told apart by `down` without their records.
async fn name_is_free(template: &MachineDriver, name: &str) -> Result<()> {
    let cluster = ClusterName::try_from(name).map_err(|e| anyhow!(e))?;
    let found = match template.cluster_resources(&cluster).await {
        Ok(found) => found,
        // A driver without the seam's search: nothing to look in.
        Err(DriverError::Unsupported { .. }) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    if found.is_empty() {
        return Ok(());
    }
    let mut ids: Vec<String> = found
        .iter()
        .map(|f| {
            f.cluster_id
                .as_ref()
                .map_or("none".into(), |id| id.to_string())
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    bail!(
        "a cluster named {name} exists there already (id {}: {}): pick another name, or remove it with `clusterctl down {name} --provider {}` and its flags",
        ids.join(", "),
        found
            .iter()
            .map(Found::describe)
            .collect::<Vec<_>>()
            .join(", "),
        template.name()
    )
}

/// The cluster as its nodes' drivers see it: name, id, ports.
pub fn cluster_of(spec: &ClusterSpec, cluster_id: &str) -> Result<Cluster> {
    let orchestrator = spec.orchestrator.get();
    let protocol = |p: &str| match p {
        "udp" => Protocol::Udp,
        _ => Protocol::Tcp,
    };
    Ok(Cluster {
        name: ClusterName::try_from(spec.name.as_str()).map_err(|e| anyhow!(e))?,
        id: ClusterId::try_from(cluster_id).map_err(|e| anyhow!(e))?,
        peer_ports: orchestrator
            .ports_between_nodes()
            .into_iter()
            .map(|(p, from, to)| PortRange {
                protocol: protocol(p),
                from,
                to,
            })
            .collect(),
        public_ports: orchestrator
            .public_ports()
            .into_iter()
            .map(|port| PortRange::one(Protocol::Tcp, port))
            .collect(),
    })
}

/// The ARM template of a whole azure cluster: every node with its role's
/// user-data at the address the boot data names.
fn azure_template(
    azure: &machinectl_driver_azure::AzureDriver,
    spec: &ClusterSpec,
    cluster: &Cluster,
    plan: &BootPlan,
    artifacts: &Artifacts,
) -> Result<String> {
    let names = spec.node_names();
    let nodes = names
        .iter()
        .zip(&plan.addresses)
        .map(|((machine, role, _), ip)| {
            let user_data = artifacts
                .user_data
                .iter()
                .find(|(r, _)| r == role.as_str())
                .map_or("", |(_, data)| data.as_str());
            machinectl_driver_azure::template::TemplateNode {
                machine,
                role: role.as_str(),
                user_data,
                private_ip: ip,
            }
        })
        .collect::<Vec<_>>();
    Ok(machinectl_driver_azure::template::cluster_template(
        azure,
        cluster,
        &nodes,
        &plan.node_cidr,
    )?)
}

/// The template driver of a cluster whose nodes are a driver's machines.
pub fn template(spec: &ClusterSpec) -> Option<&MachineDriver> {
    spec.driver.as_ref().map(|DriverTemplate(d)| d.as_ref())
}

/// What the nodes share, made once through the template and recorded.
async fn prepare_shared(ctx: &Context, record: &mut ClusterRecord) -> Result<()> {
    let Some(template) = template(&record.spec) else {
        return Ok(());
    };
    let cluster = cluster_of(&record.spec, &record.id)?;
    let step = ctx.printer.step("Making what the nodes share");
    let found = template.prepare_cluster(&cluster).await?;
    if let Some(ProviderState::Machines { shared, .. }) = &mut record.provider_state {
        shared.extend(found);
    }
    ctx.store.save_cluster(record)?;
    step.done();
    Ok(())
}

/// Whether the nodes boot with their role's user-data: the driver takes
/// it and the boot data names no other node (addresses are known only once
/// every node exists).
fn boots_by_user_data(spec: &ClusterSpec) -> bool {
    spec.orchestrator == OrchestratorKind::Swarm
        && template(spec).is_some_and(MachineDriver::takes_user_data)
}

/// Run the role boot over SSH on nodes whose user-data did not carry it.
async fn boot_over_ssh(
    ctx: &Context,
    spec: &ClusterSpec,
    cluster_id: &str,
    secrets: &ClusterSecrets,
    nodes: &[NodeRef],
    options: &NodeOptions,
) -> Result<()> {
    if boots_by_user_data(spec) {
        return Ok(());
    }
    let plan = boot_plan(ctx, spec, cluster_id)?;
    boot::run_on_nodes(ctx, spec, secrets, &plan, nodes, options.ssh_timeout).await
}

/// The nodes' boot plan. Local: the address of each node that exists, and
/// for the rest the subnet's first addresses no node has. Elsewhere: the
/// nodes' peer addresses (a generic node's from `--hosts` before it is
/// made), or placeholders while any is unknown.
fn boot_plan(ctx: &Context, spec: &ClusterSpec, cluster_id: &str) -> Result<BootPlan> {
    if spec.provider != ProviderKind::Local {
        let known: Option<Vec<std::net::IpAddr>> = spec
            .node_names()
            .iter()
            .enumerate()
            .map(|(i, (machine, _, _))| {
                peer_address(ctx, machine).or_else(|| given_address(spec, i))
            })
            .collect();
        return Ok(match known {
            Some(addresses) => BootPlan::machines(
                spec,
                cluster_id,
                addresses.iter().map(|a| a.to_string()).collect(),
                &covering_cidr(&addresses),
            ),
            None => BootPlan::machines(
                spec,
                cluster_id,
                (0..spec.node_names().len()).map(node_private_ip).collect(),
                AWS_NODE_CIDR,
            ),
        });
    }
    let subnet = node_subnet(spec)?;
    let known: Vec<Option<String>> = spec
        .node_names()
        .iter()
        .map(|(machine, _, _)| machine_addresses(ctx, machine).into_iter().next())
        .collect();
    let taken: Vec<String> = known.iter().flatten().cloned().collect();
    let mut free = subnet
        .hosts()
        .map(|ip| ip.to_string())
        .filter(|ip| !taken.contains(ip));
    let addresses = known
        .into_iter()
        .map(|ip| {
            ip.or_else(|| free.next())
                .context("the subnet has too few addresses")
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(BootPlan::local(
        spec,
        cluster_id,
        addresses,
        &subnet.to_string(),
    ))
}

/// A generic node's address as `--hosts` gives it (an IP, not a name).
fn given_address(spec: &ClusterSpec, index: usize) -> Option<std::net::IpAddr> {
    match spec.provider {
        ProviderKind::Generic => spec.generic.hosts.get(index)?.host.ip(),
        _ => None,
    }
}

/// The address cluster peers reach a node at, once it is recorded.
fn peer_address(ctx: &Context, machine: &str) -> Option<std::net::IpAddr> {
    ctx.store.load(machine).ok()?.driver.peer_address()
}

/// The smallest network holding every address (IPv4; `::/0` otherwise).
fn covering_cidr(addresses: &[std::net::IpAddr]) -> String {
    let v4: Vec<u32> = addresses
        .iter()
        .filter_map(|a| match a {
            std::net::IpAddr::V4(v4) => Some(u32::from(*v4)),
            std::net::IpAddr::V6(_) => None,
        })
        .collect();
    if v4.is_empty() || v4.len() != addresses.len() {
        return "::/0".into();
    }
    let differing = v4.iter().fold(0u32, |acc, a| acc | (a ^ v4[0]));
    let prefix = differing.leading_zeros().min(32);
    let mask = if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - prefix)
    };
    format!("{}/{prefix}", std::net::Ipv4Addr::from(v4[0] & mask))
}

fn node_subnet(spec: &ClusterSpec) -> Result<Subnet> {
    Ok(spec
        .local
        .subnet
        .as_deref()
        .map(|s| {
            s.parse::<Subnet>()
                .map_err(|e| anyhow!("{e} (--local-subnet)"))
        })
        .transpose()?
        .unwrap_or_default())
}

/// The driver node `index` (in node order) of the cluster is made with.
fn node_driver(spec: &ClusterSpec, index: usize, machine: &str) -> Result<MachineDriver> {
    match spec.provider {
        ProviderKind::Local => Ok(MachineDriver::Local(LocalDriver::new(node_subnet(spec)?))),
        ProviderKind::Generic => {
            let host = spec.generic.hosts.get(index).with_context(|| {
                format!("a generic cluster has one node per --hosts entry: {machine} has none")
            })?;
            let key = spec
                .generic
                .ssh_key
                .clone()
                .context("--provider generic needs --ssh-key")?;
            Ok(MachineDriver::Generic(GenericDriver {
                ip_address: host.host.clone(),
                ssh_user: host.user.clone(),
                ssh_port: host.port,
                ssh_key: key,
                ssh_key_origin: None,
            }))
        }
        ProviderKind::Aws => bail!("aws clusters are CloudFormation stacks, not machines"),
        _ => {
            let template = template(spec).with_context(|| {
                format!(
                    "cluster {} records no {} driver settings: it was made by an older clusterctl",
                    spec.name,
                    spec.provider.as_str()
                )
            })?;
            for_machine(template, machine)
        }
    }
}

/// The template as the driver of machine `machine`. Drivers of real hosts
/// keep the machine's name in their serialized `machine` field (the name
/// their resources take); the template carries the cluster's.
pub fn for_machine(template: &MachineDriver, machine: &str) -> Result<MachineDriver> {
    let mut value = serde_json::to_value(template).context("serialize the node driver")?;
    let slot = value
        .get_mut("machine")
        .with_context(|| format!("the {} driver names no machine", template.name()))?;
    *slot = serde_json::Value::String(machine.to_string());
    serde_json::from_value(value).map_err(|e| anyhow!("node driver for {machine}: {e}"))
}

fn made(record: &ClusterRecord) -> Vec<String> {
    match &record.provider_state {
        Some(ProviderState::Machines { made, .. }) => made.clone(),
        _ => Vec::new(),
    }
}

fn set_made(record: &mut ClusterRecord, mut names: Vec<String>) {
    match &mut record.provider_state {
        Some(ProviderState::Machines { made, .. }) => made.append(&mut names),
        other => {
            *other = Some(ProviderState::Machines {
                made: names,
                shared: Vec::new(),
            })
        }
    }
}

/// Everything one node's create needs beyond the record: its secrets and
/// the cluster it joins.
fn node_extras(
    spec: &ClusterSpec,
    cluster: &Cluster,
    node: &NodeRef,
    secrets: &ClusterSecrets,
    user_data: &[(String, String)],
) -> Result<(Vec<NodeFile>, ClusterNode)> {
    // Node files land at fixed paths: the plan's addresses do not matter here.
    let paths = match spec.provider {
        ProviderKind::Local => BootPlan::local(spec, "", Vec::new(), ""),
        _ => BootPlan::machines(spec, "", Vec::new(), ""),
    };
    let mut files = spec
        .orchestrator
        .get()
        .node_files(node.role, secrets, &paths)?;
    let join = template(spec).and_then(|t| t.cluster_auto_join(cluster));
    if let (OrchestratorKind::Consul, Some(join)) = (spec.orchestrator, join) {
        let text = serde_json::json!({ "retry_join": [join.expose()] }).to_string() + "\n";
        files.push(NodeFile::secret(
            &format!("{}/auto-join.json", consul::config_dir(&paths)),
            text,
        ));
    }
    let data = user_data
        .iter()
        .find(|(role, _)| role == node.role.as_str())
        .map(|(_, data)| data.clone());
    Ok((
        files,
        ClusterNode {
            cluster: cluster.clone(),
            role: node.role.to_string(),
            user_data: data,
        },
    ))
}

/// Each role's user-data, when the nodes boot with it.
fn nodes_user_data(
    ctx: &Context,
    spec: &ClusterSpec,
    cluster_id: &str,
    secrets: &ClusterSecrets,
) -> Result<Vec<(String, String)>> {
    if !boots_by_user_data(spec) {
        return Ok(Vec::new());
    }
    let renderer = Renderer::new(Some(&ctx.store.root().join("templates")))?;
    let plan = boot_plan(ctx, spec, cluster_id)?;
    Ok(render_machines(&renderer, spec, secrets, &plan)?.user_data)
}

/// One node's machine, made through machinectl's create.
async fn create_node(
    ctx: &Context,
    spec: &ClusterSpec,
    node: &NodeRef,
    extras: Result<(MachineDriver, Vec<NodeFile>, ClusterNode)>,
    options: &NodeOptions,
) -> Result<()> {
    let (driver, files, cluster) = extras?;
    let node_ctx = Context {
        printer: ctx.printer.prefixed(&node.machine),
        ..ctx.clone()
    };
    let mut record = MachineRecord::new(&node.machine, driver, node_engine(&spec.name, node.role));
    record.cluster = Some(spec.name.clone());
    create_machine(
        &node_ctx,
        NewMachine {
            record,
            ssh_timeout: options.ssh_timeout,
            keep_on_error: options.keep_on_error,
            files,
            cluster: Some(cluster),
        },
    )
    .await
    .map(|_| ())
}

/// Make `nodes` in parallel. Returns the names made, and the first error
/// (after every create has finished).
async fn create_nodes(
    ctx: &Context,
    record: &ClusterRecord,
    nodes: &[NodeRef],
    secrets: &ClusterSecrets,
    options: &NodeOptions,
) -> (Vec<String>, Option<anyhow::Error>) {
    let spec = &record.spec;
    let prepared = cluster_of(spec, &record.id).and_then(|cluster| {
        let user_data = nodes_user_data(ctx, spec, &record.id, secrets)?;
        let boot = if options.former.is_some() && !boots_by_user_data(spec) {
            boot_files_by_role(ctx, spec, &record.id, secrets)?
        } else {
            Vec::new()
        };
        Ok((cluster, user_data, boot))
    });
    let (cluster, user_data, boot) = match prepared {
        Ok(p) => p,
        Err(e) => return (Vec::new(), Some(e)),
    };
    let order = spec.node_refs();
    let creates = nodes.iter().map(|node| {
        let index = order.iter().position(|n| n == node).unwrap_or(order.len());
        let extras = node_driver(spec, index, &node.machine).and_then(|driver| {
            let (mut files, cluster) = node_extras(spec, &cluster, node, secrets, &user_data)?;
            let role_boot = boot.iter().filter(|(role, _)| *role == node.role);
            files.extend(role_boot.flat_map(|(_, files)| files.iter().cloned()));
            Ok((driver, files, cluster))
        });
        async move {
            let created = create_node(ctx, spec, node, extras, options).await;
            let made = created.is_ok();
            let result = match (created, options.former.as_deref()) {
                (Ok(()), Some(former)) => form_node(ctx, node, former).await,
                (Err(e), Some(former)) => {
                    former.failed(node);
                    Err(e)
                }
                (created, None) => created,
            };
            (node.machine.clone(), made, result)
        }
    });
    let mut made = Vec::new();
    let mut first_error = None;
    for (name, created, result) in futures::future::join_all(creates).await {
        if created || options.keep_on_error {
            made.push(name.clone());
        }
        if let Err(e) = result {
            first_error.get_or_insert(e.context(format!("node {name}")));
        }
    }
    (made, first_error)
}

/// A node just made (its boot files written with its node files), into
/// the cluster.
async fn form_node(ctx: &Context, node: &NodeRef, former: &dyn NodeFormer) -> Result<()> {
    let node_ctx = Context {
        printer: ctx.printer.prefixed(&node.machine),
        ..ctx.clone()
    };
    former.ready(&node_ctx, node).await
}

/// Each role's boot files, for its nodes' provisioning sessions when a
/// former brings them in: no second SSH session per node on the way to the
/// cluster. The scripts are not run there: see
/// [`crate::cluster::orchestrators::Orchestrator::former`].
fn boot_files_by_role(
    ctx: &Context,
    spec: &ClusterSpec,
    cluster_id: &str,
    secrets: &ClusterSecrets,
) -> Result<Vec<(Role, Vec<NodeFile>)>> {
    let renderer = Renderer::new(Some(&ctx.store.root().join("templates")))?;
    let plan = boot_plan(ctx, spec, cluster_id)?;
    let base = boot_context(spec, secrets, &plan);
    spec.roles()
        .into_iter()
        .map(|role| {
            let boot = role_boot(&renderer, spec, &base, secrets, &plan, role)?;
            let files = boot
                .files
                .into_iter()
                .map(|(path, mode, content)| NodeFile {
                    path,
                    content: content.into_bytes(),
                    mode,
                })
                .collect();
            Ok((role, files))
        })
        .collect()
}

/// Remove the cluster's nodes, what they share, and (with `discover`)
/// whatever else the provider holds carrying the cluster's id; then its
/// record here.
async fn teardown(ctx: &Context, record: &ClusterRecord, discover: bool) -> Result<()> {
    let names: Vec<String> = if discover {
        record.nodes.iter().map(|n| n.machine.clone()).collect()
    } else {
        made(record)
    };
    if record.spec.provider == ProviderKind::Generic {
        generic::uninstall(ctx, record, &names).await;
    }
    let step = ctx.printer.step(format!(
        "Removing {} node(s) of cluster {}",
        names.len(),
        record.name()
    ));
    remove_nodes(ctx, &names).await?;
    step.done();
    if let Some(template) = template(&record.spec) {
        remove_shared(ctx, record, template, discover).await?;
    }
    record
        .spec
        .orchestrator
        .get()
        .forget(ctx, record.name(), Some(record))?;
    ctx.store.delete_cluster(record.name())?;
    Ok(())
}

/// What the nodes shared, and with `discover` anything else carrying the
/// cluster's id (a node whose record was lost).
async fn remove_shared(
    ctx: &Context,
    record: &ClusterRecord,
    template: &MachineDriver,
    discover: bool,
) -> Result<()> {
    let mut found: Vec<Found> = match &record.provider_state {
        Some(ProviderState::Machines { shared, .. }) => shared.clone(),
        _ => Vec::new(),
    };
    if discover {
        let name = ClusterName::try_from(record.name()).map_err(|e| anyhow!(e))?;
        match template.cluster_resources(&name).await {
            Ok(more) => found.extend(
                more.into_iter()
                    .filter(|f| {
                        f.cluster_id
                            .as_ref()
                            .is_some_and(|id| id.as_str() == record.id)
                    })
                    .filter(|f| !found.iter().any(|s| s.kind == f.kind && s.id == f.id))
                    .collect::<Vec<_>>(),
            ),
            Err(e) => ctx.printer.warn(format!("not searched by tag: {e}")),
        }
    }
    if found.is_empty() {
        return Ok(());
    }
    let step = ctx
        .printer
        .step(format!("Removing what cluster {} shared", record.name()));
    let report = template.remove_cluster_resources(&found).await?;
    if !report.is_complete() {
        bail!("could not remove {}", report.left.join(", "));
    }
    step.done();
    Ok(())
}

/// Remove one machine of a cluster, its host included. Returns what was left.
async fn remove_node(ctx: &Context, name: &str) -> Result<Option<String>> {
    let guard = match ctx.store.open(name) {
        Ok(guard) => guard,
        Err(StoreError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let mut record = match ctx.store.load(name) {
        Ok(record) => record,
        Err(_) => {
            ctx.store.delete(guard)?;
            return Ok(None);
        }
    };
    match record.driver.remove().await {
        Ok(report) if report.is_complete() => {
            ctx.store.delete(guard)?;
            Ok(None)
        }
        Ok(report) => Ok(Some(format!("{name}: {}", report.left.join(", ")))),
        Err(e) => Ok(Some(format!("{name}: {e}"))),
    }
}

/// Remove machines (their hosts included) that belong to a cluster, in parallel.
pub async fn remove_nodes(ctx: &Context, names: &[String]) -> Result<()> {
    let removals = names.iter().map(|name| remove_node(ctx, name));
    let mut left = Vec::new();
    for result in futures::future::join_all(removals).await {
        if let Some(what) = result? {
            left.push(what);
        }
    }
    if left.is_empty() {
        Ok(())
    } else {
        bail!("could not remove {}", left.join("; "))
    }
}

/// Nodes made or removed; new ones joined, leaving ones let go first.
async fn scale(
    ctx: &Context,
    record: &mut ClusterRecord,
    plan: ScalePlan,
    options: &NodeOptions,
) -> Result<()> {
    if record.spec.provider == ProviderKind::Generic {
        bail!(
            "a generic cluster has one node per host: make a new cluster with the hosts you want (`clusterctl down`, then `clusterctl up --hosts …`)"
        );
    }
    let ScalePlan {
        spec,
        wanted,
        adding,
        removing,
    } = plan;
    let orchestrator = spec.orchestrator.get();
    let notes = orchestrator
        .before_scale(ctx, record, &adding, &removing)
        .await?;
    if !adding.is_empty() {
        let step = ctx.printer.step(format!("Adding {} node(s)", adding.len()));
        let secrets = orchestrator.secrets(Some(&ctx.store.cluster_dir(&spec.name)))?;
        let mut scaled = record.clone();
        scaled.spec = spec.clone();
        let (made, error) = create_nodes(ctx, &scaled, &adding, &secrets, options).await;
        if let Some(e) = error {
            drop(step);
            if !options.keep_on_error {
                remove_nodes(ctx, &made).await?;
            } else {
                set_made(record, made);
                ctx.store.save_cluster(record)?;
            }
            return Err(e);
        }
        set_made(record, made);
        boot_over_ssh(ctx, &spec, &record.id, &secrets, &adding, options).await?;
        orchestrator.join(ctx, &wanted).await?;
        step.done();
    }
    if !removing.is_empty() {
        let step = ctx
            .printer
            .step(format!("Removing {} node(s)", removing.len()));
        let names: Vec<String> = removing.iter().map(|n| n.machine.clone()).collect();
        remove_nodes(ctx, &names).await?;
        if let Some(ProviderState::Machines { made, .. }) = &mut record.provider_state {
            made.retain(|m| !names.contains(m));
        }
        step.done();
    }
    orchestrator.after_scale(ctx, record, notes).await;
    record.spec = spec;
    record.nodes = wanted;
    ctx.store.save_cluster(record)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::spec::SpecFields;

    /// Consul on droplets: the auto-join string (token included) is a
    /// root-only node file under the real host's /etc, never user-data.
    #[test]
    fn consul_auto_join_on_droplets_travels_over_ssh_only() {
        let args = [
            "t",
            "--digitalocean-access-token",
            "dop_v1_unit",
            "--digitalocean-region",
            "fra1",
        ];
        let matches =
            crate::drivers::with_driver_flags(clap::Command::new("t"), Some("digitalocean"))
                .try_get_matches_from(args)
                .unwrap();
        let built = crate::drivers::from_flags("digitalocean", &matches, "c", 2376).unwrap();
        let flags = SpecFields {
            provider: Some(ProviderKind::Digitalocean),
            orchestrator: Some(OrchestratorKind::Consul),
            nodes: Some(4),
            managers: Some(3),
            ..Default::default()
        };
        let mut spec =
            ClusterSpec::resolve(Some("c".into()), SpecFields::default(), flags).unwrap();
        spec.driver = Some(DriverTemplate(Box::new(built.driver)));
        let cluster = cluster_of(&spec, "00000000abcd").unwrap();
        assert_eq!(cluster.peer_ports.len(), 5, "consul's ports between nodes");
        let secrets = spec.orchestrator.get().secrets(None).unwrap();
        let server = &spec.node_refs()[0];
        let (files, node) = node_extras(&spec, &cluster, server, &secrets, &[]).unwrap();
        let join = files
            .iter()
            .find(|f| f.path == "/etc/machinectl/consul/auto-join.json")
            .expect("the auto-join file");
        assert_eq!(join.mode, 0o600);
        let text = String::from_utf8(join.content.clone()).unwrap();
        assert!(
            text.contains("provider=digitalocean region=fra1 tag_name=machinectl:cluster-id:00000000abcd api_token=dop_v1_unit"),
            "{text}"
        );
        assert!(
            !boots_by_user_data(&spec),
            "consul names its servers' addresses"
        );
        assert_eq!(node.user_data, None);
        assert_eq!(node.role, "server");
    }

    #[test]
    fn the_covering_network_holds_every_address() {
        let ips = |list: &[&str]| -> Vec<std::net::IpAddr> {
            list.iter().map(|a| a.parse().unwrap()).collect()
        };
        assert_eq!(
            covering_cidr(&ips(&["10.231.0.2", "10.231.0.3"])),
            "10.231.0.2/31"
        );
        assert_eq!(
            covering_cidr(&ips(&["10.116.0.2", "10.116.0.9", "10.116.1.4"])),
            "10.116.0.0/23"
        );
        assert_eq!(covering_cidr(&ips(&["10.1.2.3"])), "10.1.2.3/32");
        assert_eq!(covering_cidr(&ips(&["::1"])), "::/0");
    }
}
