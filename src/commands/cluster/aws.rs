//! The aws provider of clusterctl: a CloudFormation stack from the rendered
//! template, nodes registered as machines and provisioned with TLS, the
//! orchestrator bootstrapped; and its teardown, which also works from tags
//! alone when local state is gone.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow, bail};
use machinectl_driver_aws::stack::{Clouds, StackEvent, Tagged, TaggedKind};
use machinectl_driver_aws::{AwsDriver, AwsOptions, AwsResources, Location};

use crate::cluster::kube::{self, KubeSecrets};
use crate::cluster::record::{AwsStack, ID_TAG, NAME_TAG, NodeRef};
use crate::cluster::render::{
    ClusterSecrets, ecs_cluster_name, key_pair_name, render_aws, secret_files, stack_name,
};
use crate::cluster::{ClusterRecord, ClusterSpec, Orchestrator, swarm};
use crate::commands::Context;
use crate::commands::cluster::up::{ScalePlan, node_engine, secrets, swarm_nodes};
use crate::commands::cluster::{kube_api, machine_addresses};
use crate::commands::interrupt::Interrupt;
use crate::commands::provisioner::{Mode, ProvisionJob};
use crate::drivers::MachineDriver;
use crate::pki;
use crate::render::Renderer;
use crate::store::{MachineRecord, RecordState};

pub fn location(spec: &ClusterSpec) -> Location {
    Location {
        region: spec.aws.region_or_default(),
        profile: spec.aws.profile.as_ref().map(String::from),
        endpoint: spec.aws.endpoint.as_ref().map(String::from),
    }
}

/// The flags that reach the same place again, for cleanup hints.
pub fn location_flags(location: &Location) -> String {
    let mut flags = format!("--provider aws --aws-region {}", location.region);
    if let Some(endpoint) = &location.endpoint {
        flags.push_str(&format!(" --aws-endpoint {endpoint}"));
    }
    if let Some(profile) = &location.profile {
        flags.push_str(&format!(" --aws-profile {profile}"));
    }
    flags
}

/// Stack events as they arrive, one aligned line each.
fn show_event(ctx: &Context) -> impl FnMut(&StackEvent) + Send + use<> {
    let printer = ctx.printer.clone();
    move |event| {
        printer.info(format!(
            "  {:<20} {:<28} {} {}",
            event.logical_id, event.resource_type, event.status, event.reason
        ))
    }
}

/// The cluster's SSH key (one for every node), made on first use.
fn cluster_key(ctx: &Context, name: &str) -> Result<(PathBuf, String)> {
    let dir = ctx.store.cluster_dir(name);
    let path = dir.join("id_ed25519");
    if path.exists() {
        let public = std::fs::read_to_string(dir.join("id_ed25519.pub"))?;
        return Ok((path, public.trim().to_string()));
    }
    crate::store::Store::make_dir(&dir)?;
    Ok(pki::ssh_key::generate(
        &dir,
        &format!("machinectl-cluster-{name}"),
    )?)
}

pub async fn build(ctx: &Context, record: &mut ClusterRecord, ssh_timeout: Duration) -> Result<()> {
    let spec = record.spec.clone();
    let name = spec.name.clone();
    let location = location(&spec);
    let clouds = Clouds::connect(&location).await;
    let mut tags = record.tags();
    tags.push(("Name".into(), format!("{name}-cluster")));

    let (key_path, public_key) = cluster_key(ctx, &name)?;
    clouds
        .ec2
        .import_key_pair(&key_pair_name(&name), &public_key, &tags)
        .await?;
    if let Some(aws) = &mut record.aws {
        aws.key_pair = Some(key_pair_name(&name));
    }
    ctx.store.save_cluster(record)?;
    if spec.orchestrator == Orchestrator::Ecs {
        let step = ctx
            .printer
            .step(format!("Creating ECS cluster {}", ecs_cluster_name(&name)));
        let arn = clouds
            .create_ecs_cluster(&ecs_cluster_name(&name), &tags)
            .await?;
        if let Some(aws) = &mut record.aws {
            aws.ecs_cluster = Some(arn);
        }
        ctx.store.save_cluster(record)?;
        step.done();
    }

    let renderer = Renderer::new(Some(&ctx.store.root().join("templates")))?;
    let secrets = secrets(ctx, &spec)?;
    let artifacts = render_aws(&renderer, &spec, &record.id, &secrets)?;
    let stack = stack_name(&name);
    let step = ctx
        .printer
        .step(format!("Creating CloudFormation stack {stack}"));
    // Recorded by name before the call: a CreateStack that errors may still
    // leave a stack behind, and the name was free when this up began.
    if let Some(aws) = &mut record.aws {
        aws.stack_id = Some(stack.clone());
    }
    ctx.store.save_cluster(record)?;
    let stack_id = clouds
        .create_stack(
            &stack,
            &artifacts.stack,
            &tags,
            spec.orchestrator == Orchestrator::Ecs,
        )
        .await?;
    if let Some(aws) = &mut record.aws {
        aws.stack_id = Some(stack_id);
    }
    ctx.store.save_cluster(record)?;
    let outcome = clouds.wait_created(&stack, &mut show_event(ctx)).await?;
    if !outcome.complete {
        drop(step);
        for failure in &outcome.failures {
            ctx.printer.warn(format!(
                "{} ({}) {}: {}",
                failure.logical_id, failure.resource_type, failure.status, failure.reason
            ));
        }
        let reason = outcome.first_failure();
        bail!(
            "stack {stack} failed ({}; {reason}); clean up with `clusterctl down {name} -y {}`",
            outcome.status,
            location_flags(&location)
        );
    }
    step.done();

    register_nodes(ctx, &clouds, &spec, &record.nodes, &key_path).await?;
    provision_nodes(ctx, &spec, &record.nodes, &secrets, ssh_timeout).await?;

    match spec.orchestrator {
        Orchestrator::Swarm => {
            let step = ctx.printer.step("Forming the swarm over the Engine API");
            swarm::bootstrap(&swarm_nodes(ctx, &record.nodes)?).await?;
            step.done();
        }
        Orchestrator::Kubernetes => {
            let first = record.first_manager().context("no control plane")?.clone();
            let machine = ctx.store.load(&first.machine)?;
            let ip = machine
                .driver
                .ip()
                .context("control plane has no address")?;
            let context = kube::context_name(&name);
            let kube_secrets: KubeSecrets = secrets.kube.context("kubernetes secrets")?;
            kube::merge_kubeconfig(
                &kube::kubeconfig_path(&ctx.env),
                &context,
                &format!("https://{ip}:6443"),
                &first.machine,
                &kube_secrets,
            )?;
            record.kube_context = Some(context.clone());
            ctx.printer.info(format!(
                "kubectl context {context} added to your kubeconfig"
            ));
        }
        Orchestrator::Ecs => {}
    }
    Ok(())
}

/// Record nodes of the stack as machines of the store (their instances
/// already exist; rm of a node is the stack's business).
async fn register_nodes(
    ctx: &Context,
    clouds: &Clouds,
    spec: &ClusterSpec,
    nodes: &[NodeRef],
    key_path: &std::path::Path,
) -> Result<()> {
    let name = spec.name.clone();
    let stack = stack_name(&name);
    let location = location(spec);
    let instances = clouds.instances(&stack).await?;
    let all = spec.node_refs();
    for node in nodes {
        // The stack names instances by their place among all of the spec's nodes.
        let i = all
            .iter()
            .position(|n| n == node)
            .ok_or_else(|| anyhow!("{} is not a node of {name}", node.machine))?;
        let instance = instances
            .iter()
            .find(|(logical, _)| logical == &format!("Node{i}"))
            .map(|(_, id)| id.clone())
            .ok_or_else(|| anyhow!("stack {stack} has no instance for {}", node.machine))?;
        let (public_ip, private_ip) = clouds.ec2.addresses(&instance).await?;
        let driver = AwsDriver {
            location: location.clone(),
            options: AwsOptions {
                zone: spec
                    .aws
                    .zone
                    .as_ref()
                    .map_or_else(|| "a".into(), String::from),
                ami: spec.aws.ami.as_ref().map(String::from),
                instance_type: spec
                    .aws
                    .instance_type
                    .as_ref()
                    .map_or_else(|| "t3.small".into(), String::from),
                root_size: 16,
                vpc_id: None,
                subnet_id: None,
                security_group: None,
                allowed_cidr: spec
                    .aws
                    .allowed_cidr
                    .as_ref()
                    .map_or_else(|| "0.0.0.0/0".into(), String::from),
                keypair_name: Some(key_pair_name(&name)),
                ssh_key: Some(key_path.to_path_buf()),
                ssh_user: spec.aws.ssh_user.as_ref().map_or_else(
                    || {
                        if spec.orchestrator == Orchestrator::Ecs {
                            "ec2-user"
                        } else {
                            "ubuntu"
                        }
                        .into()
                    },
                    String::from,
                ),
                use_private_address: false,
                tags: Vec::new(),
                iam_instance_profile: None,
                spot_price: None,
            },
            resources: AwsResources {
                instance_id: Some(instance),
                public_ip,
                private_ip,
                ..AwsResources::default()
            },
            machine: node.machine.clone(),
            engine_port: 2376,
            ssh_key: Some(key_path.to_path_buf()),
        };
        let mut machine = MachineRecord::new(
            &node.machine,
            MachineDriver::Aws(Box::new(driver)),
            node_engine(&name, &node.role),
        );
        machine.cluster = Some(name.clone());
        drop(ctx.store.reserve(&machine)?);
    }

    Ok(())
}

/// Provision nodes with TLS, in parallel, over one SSH session each; the
/// same session writes the node's secrets (never in its user-data).
async fn provision_nodes(
    ctx: &Context,
    spec: &ClusterSpec,
    nodes: &[NodeRef],
    secrets: &ClusterSecrets,
    ssh_timeout: Duration,
) -> Result<()> {
    let certs = {
        let _lock = ctx.store.lock()?;
        pki::ensure_client_certs(&ctx.store)?
    };
    let step = ctx
        .printer
        .step(format!("Provisioning {} node(s) with TLS", nodes.len()));
    let jobs = nodes.iter().map(|node| {
        let node_ctx = Context {
            printer: ctx.printer.prefixed(&node.machine),
            ..ctx.clone()
        };
        let certs = certs.clone();
        let files = secret_files(spec.orchestrator, &node.role, secrets);
        async move {
            let mut machine = node_ctx.store.load(&node.machine)?;
            pki::copy_client_certs(&certs, &node_ctx.store.machine_dir(&node.machine))?;
            let mut job = ProvisionJob::for_record(
                &node_ctx.store,
                &machine,
                certs,
                Mode::Full,
                ssh_timeout,
            )?;
            job.files = files?;
            let outcome = job
                .run(node_ctx.printer.clone())
                .await
                .with_context(|| format!("node {}", node.machine))?;
            machine.state = RecordState::Running;
            machine.engine_version = Some(outcome.engine_version);
            machine.os = Some(outcome.os_pretty);
            node_ctx.store.save(&machine)?;
            anyhow::Ok(())
        }
    });
    for result in futures::future::join_all(jobs).await {
        result?;
    }
    step.done();

    Ok(())
}

/// `clusterctl scale` of an aws cluster: the stack is rendered again for
/// `nodes` and updated in place, so CloudFormation adds the new instances or
/// terminates the ones past the count (the last workers: the fixed private
/// addresses of the others stay). Leaving nodes quit the swarm first; new
/// ones are registered, provisioned and joined as at `up` (Kubernetes
/// workers join by their user-data, ECS instances by their agent). When a
/// new node fails, the stack goes back to its old size unless `keep_on_error`.
pub async fn scale(
    ctx: &Context,
    record: &mut ClusterRecord,
    nodes: u32,
    ssh_timeout: Duration,
    keep_on_error: bool,
) -> Result<()> {
    let old = record.spec.clone();
    let ScalePlan {
        spec,
        wanted,
        adding,
        removing,
    } = ScalePlan::new(record, nodes);
    let name = spec.name.clone();
    if adding.is_empty() && removing.is_empty() {
        ctx.printer
            .info(format!("Cluster {name} already has {nodes} node(s)."));
        return Ok(());
    }
    // Ctrl-C while the cluster shrinks or the stack changes cannot stop
    // CloudFormation half-way: it is honoured once the new size is recorded,
    // and then (growing) settles like a failed new node.
    let mut interrupt = Interrupt::watch()?;
    let (changed, interrupted) = interrupt
        .shield(&ctx.printer, "the stack update", async {
            if !removing.is_empty() && spec.orchestrator == Orchestrator::Swarm {
                leave_swarm(ctx, record, &removing).await?;
            }
            let kube_leaving = if spec.orchestrator == Orchestrator::Kubernetes {
                prepare_kube_scale(ctx, record, &spec, &adding, &removing).await?
            } else {
                Vec::new()
            };
            let clouds = Clouds::connect(&location(&spec)).await;
            resize(ctx, &clouds, record, &spec, &removing).await?;
            if !kube_leaving.is_empty() {
                forget_kube_nodes(ctx, record, &kube_leaving).await;
            }
            anyhow::Ok(clouds)
        })
        .await;
    let clouds = changed?;
    if adding.is_empty() {
        return Ok(());
    }

    let (key_path, _) = cluster_key(ctx, &name)?;
    let joined = if interrupted {
        Err(anyhow!("interrupted"))
    } else {
        interrupt
            .race(async {
                register_nodes(ctx, &clouds, &spec, &adding, &key_path).await?;
                let secrets = secrets(ctx, &spec)?;
                provision_nodes(ctx, &spec, &adding, &secrets, ssh_timeout).await?;
                if spec.orchestrator == Orchestrator::Swarm {
                    let step = ctx.printer.step("Joining the new nodes to the swarm");
                    swarm::bootstrap(&swarm_nodes(ctx, &wanted)?).await?;
                    step.done();
                }
                anyhow::Ok(())
            })
            .await
    };
    let Err(error) = joined else {
        return Ok(());
    };
    if keep_on_error {
        ctx.printer.info(format!(
            "Kept the new node(s) as they are (--keep-on-error); `clusterctl scale {name} --nodes {}` shrinks the cluster again.",
            old.nodes
        ));
        return Err(error);
    }
    let step = ctx.printer.step("Returning the stack to its old size");
    interrupt
        .shield(
            &ctx.printer,
            "returning the stack to its old size",
            resize(ctx, &clouds, record, &old, &adding),
        )
        .await
        .0?;
    step.done();
    Err(error)
}

/// Take leaving nodes out of the swarm before their instances go.
async fn leave_swarm(ctx: &Context, record: &ClusterRecord, removing: &[NodeRef]) -> Result<()> {
    let step = ctx.printer.step(format!(
        "Taking {} node(s) out of the swarm",
        removing.len()
    ));
    let first = record
        .first_manager()
        .context("cluster has no manager")?
        .clone();
    let manager = swarm_nodes(ctx, std::slice::from_ref(&first))?.remove(0);
    for node in removing {
        swarm::remove_node(&manager.client, &node.machine).await?;
    }
    step.done();
    Ok(())
}

/// Before a Kubernetes cluster's stack changes: find the node objects of
/// the workers going away, and renew the join token in the new nodes'
/// user-data (kubeadm lets it expire a day after `up`). Nothing has changed
/// yet if the API server does not answer. Returns the node names to delete
/// once their instances are gone (a running kubelet would register again).
async fn prepare_kube_scale(
    ctx: &Context,
    record: &ClusterRecord,
    spec: &ClusterSpec,
    adding: &[NodeRef],
    removing: &[NodeRef],
) -> Result<Vec<String>> {
    let api = kube_api(ctx, record)?;
    let mut leaving = Vec::new();
    if !removing.is_empty() {
        let known = api
            .nodes()
            .await
            .context("find the leaving nodes in Kubernetes")?;
        for node in removing {
            let addresses = machine_addresses(ctx, &node.machine);
            if let Some(kube_node) = known.iter().find(|k| k.is(&node.machine, &addresses)) {
                leaving.push(kube_node.name.clone());
            }
        }
    }
    if !adding.is_empty() {
        let step = ctx
            .printer
            .step("Renewing the bootstrap token new nodes join with");
        let token = secrets(ctx, spec)?
            .kube
            .context("kubernetes secrets")?
            .bootstrap_token;
        api.renew_bootstrap_token(&token, time::Duration::hours(24))
            .await
            .context("renew the bootstrap token new nodes join with")?;
        step.done();
    }
    Ok(leaving)
}

/// Delete the node objects of removed workers, as `kubectl delete node`
/// does. Their instances are already gone, so a failure only warns.
async fn forget_kube_nodes(ctx: &Context, record: &ClusterRecord, names: &[String]) {
    let step = ctx
        .printer
        .step(format!("Deleting {} node(s) from Kubernetes", names.len()));
    let deleted = async {
        let api = kube_api(ctx, record)?;
        for name in names {
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
}

/// Bring the stack to `spec`, forget the machines of the `dropped` nodes
/// (their instances went with the update), and record the new shape.
async fn resize(
    ctx: &Context,
    clouds: &Clouds,
    record: &mut ClusterRecord,
    spec: &ClusterSpec,
    dropped: &[NodeRef],
) -> Result<()> {
    update_stack(ctx, clouds, spec, &record.id).await?;
    for node in dropped {
        if let Ok(guard) = ctx.store.open(&node.machine) {
            ctx.store.delete(guard)?;
        }
    }
    record.spec = spec.clone();
    record.nodes = spec.node_refs();
    ctx.store.save_cluster(record)?;
    Ok(())
}

/// Render the stack for `spec` and update it in place, showing its events.
async fn update_stack(
    ctx: &Context,
    clouds: &Clouds,
    spec: &ClusterSpec,
    cluster_id: &str,
) -> Result<()> {
    let renderer = Renderer::new(Some(&ctx.store.root().join("templates")))?;
    let artifacts = render_aws(&renderer, spec, cluster_id, &secrets(ctx, spec)?)?;
    let stack = stack_name(&spec.name);
    let step = ctx
        .printer
        .step(format!("Updating stack {stack} to {} node(s)", spec.nodes));
    let seen = clouds.event_ids(&stack).await?;
    let iam = spec.orchestrator == Orchestrator::Ecs;
    if !clouds.update_stack(&stack, &artifacts.stack, iam).await? {
        step.done();
        return Ok(());
    }
    let outcome = clouds
        .wait_updated(&stack, seen, &mut show_event(ctx))
        .await?;
    if !outcome.complete {
        drop(step);
        let reason = outcome.first_failure();
        bail!(
            "updating stack {stack} failed ({}; {reason}); the stack keeps its old size",
            outcome.status
        );
    }
    step.done();
    Ok(())
}

/// One cluster's resources in AWS, as a teardown removes them.
#[derive(Debug, Clone, Default)]
pub struct Target {
    pub name: String,
    /// The cluster id; none for resources made before clusters had ids,
    /// which can only be found by name.
    pub id: Option<String>,
    pub stacks: Vec<String>,
    pub key_pairs: Vec<String>,
    pub ecs_clusters: Vec<String>,
}

impl Target {
    /// Exactly what a cluster record says this cluster made.
    pub fn recorded(record: &ClusterRecord) -> Target {
        let aws = record.aws.clone();
        Target {
            name: record.name().to_string(),
            id: (!record.id.is_empty()).then(|| record.id.clone()),
            stacks: aws.iter().filter_map(|a| a.stack_id.clone()).collect(),
            key_pairs: aws.iter().filter_map(|a| a.key_pair.clone()).collect(),
            ecs_clusters: aws.iter().filter_map(|a| a.ecs_cluster.clone()).collect(),
        }
    }

    /// Add what a tag search found of this cluster (same id only).
    pub fn add_found(&mut self, found: &[Tagged]) {
        for item in found.iter().filter(|t| t.cluster_id == self.id) {
            let list = match item.kind {
                TaggedKind::Stack => &mut self.stacks,
                TaggedKind::KeyPair => &mut self.key_pairs,
                TaggedKind::EcsCluster => &mut self.ecs_clusters,
                TaggedKind::Instance | TaggedKind::Vpc => continue,
            };
            if !list.contains(&item.id) {
                list.push(item.id.clone());
            }
        }
    }

    /// The tag that marks this cluster's resources and nobody else's.
    fn sweep_tag(&self) -> (&'static str, &str) {
        match &self.id {
            Some(id) => (ID_TAG, id),
            None => (NAME_TAG, &self.name),
        }
    }
}

/// Everything in the account that carries the cluster's name tag.
pub async fn find(location: &Location, name: &str) -> Result<Vec<Tagged>> {
    Ok(Clouds::connect(location).await.find_cluster(name).await?)
}

/// The resources found, grouped by cluster id (none: made before ids).
pub fn by_cluster_id(found: &[Tagged]) -> BTreeMap<Option<String>, Vec<Tagged>> {
    let mut groups: BTreeMap<Option<String>, Vec<Tagged>> = BTreeMap::new();
    for item in found {
        groups
            .entry(item.cluster_id.clone())
            .or_default()
            .push(item.clone());
    }
    groups
}

/// What a person reads before confirming a delete: one line per stack, ECS
/// cluster and key pair, then the count of instances and VPCs.
pub fn describe(found: &[Tagged]) -> Vec<String> {
    let mut lines: Vec<String> = found
        .iter()
        .filter(|t| !matches!(t.kind, TaggedKind::Instance | TaggedKind::Vpc))
        .map(|t| format!("{} {}", t.kind.as_str(), t.label))
        .collect();
    for kind in [TaggedKind::Instance, TaggedKind::Vpc] {
        let count = found.iter().filter(|t| t.kind == kind).count();
        if count > 0 {
            lines.push(format!("{count} {}(s)", kind.as_str()));
        }
    }
    lines
}

/// Refuse an `up` whose name is already taken in the account: by any
/// resource tagged with it, or by a stack of its name.
pub async fn ensure_name_free(spec: &ClusterSpec) -> Result<()> {
    let location = location(spec);
    let found = find(&location, &spec.name)
        .await
        .context("look for a cluster of this name in the account")?;
    if found.is_empty() {
        return Ok(());
    }
    let ids: Vec<String> = by_cluster_id(&found)
        .keys()
        .map(|id| id.clone().unwrap_or_else(|| "none".into()))
        .collect();
    bail!(
        "a cluster named {} already exists in {} (id {}: {}): pick another name, or remove it with `clusterctl down {} -y {}`",
        spec.name,
        location.region,
        ids.join(", "),
        describe(&found).join(", "),
        spec.name,
        location_flags(&location)
    )
}

/// Remove one cluster's resources: its stacks (and, when a stack cannot
/// delete itself, what carries its id), its key pairs and ECS clusters,
/// then its machines and record here. Nothing of another cluster is
/// touched: every search is by this cluster's id.
pub async fn teardown(
    ctx: &Context,
    target: &Target,
    location: &Location,
    wait: bool,
) -> Result<()> {
    let clouds = Clouds::connect(location).await;
    let (tag, value) = target.sweep_tag();
    for stack in &target.stacks {
        let step = ctx.printer.step(format!("Deleting stack {stack}"));
        match clouds.delete_stack(stack, wait).await {
            Ok(()) => step.done(),
            Err(e) => {
                drop(step);
                // A stack that cannot delete itself (a resource blocked, or an
                // emulator's gaps): delete what carries the cluster's tag, then try again.
                ctx.printer.warn(format!(
                    "{e}; deleting the cluster's tagged resources directly"
                ));
                for item in clouds.ec2.sweep_tagged(tag, value).await? {
                    ctx.printer.debug(format!("deleted {item}"));
                }
                clouds.delete_stack(stack, wait).await?;
            }
        }
    }
    // Anything tagged that outlived the stack goes too.
    for item in clouds.ec2.sweep_tagged(tag, value).await? {
        ctx.printer.debug(format!("deleted leftover {item}"));
    }
    for key in &target.key_pairs {
        clouds.ec2.delete_key_pair(key).await?;
    }
    for arn in &target.ecs_clusters {
        clouds.delete_ecs_cluster(arn).await?;
    }
    forget_local(ctx, &target.name)
}

/// Drop the machines and record of a cluster whose cloud side is gone.
pub fn forget_local(ctx: &Context, name: &str) -> Result<()> {
    for machine in ctx.store.names()? {
        let Ok(record) = ctx.store.load(&machine) else {
            continue;
        };
        if record.cluster.as_deref() == Some(name) {
            let guard = ctx.store.open(&machine)?;
            ctx.store.delete(guard)?;
        }
    }
    // The context is named after the cluster, so it goes even when the
    // record that remembered it is gone.
    let context = match ctx.store.load_cluster(name) {
        Ok(record) => record.kube_context,
        Err(_) => None,
    }
    .unwrap_or_else(|| kube::context_name(name));
    kube::remove_from_kubeconfig(&kube::kubeconfig_path(&ctx.env), &context)?;
    ctx.store.delete_cluster(name)?;
    Ok(())
}

/// A new record for an aws cluster.
pub fn new_record(spec: &ClusterSpec) -> ClusterRecord {
    let mut record = ClusterRecord::new(spec.clone());
    record.aws = Some(AwsStack {
        stack_name: stack_name(&spec.name),
        stack_id: None,
        ecs_cluster: None,
        key_pair: None,
    });
    record
}
