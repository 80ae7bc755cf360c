//! The aws provider: a CloudFormation stack rendered from templates/aws
//! (network, security group, one instance per node with its role's
//! user-data), the cluster's key pair and, for ECS, its ECS cluster made
//! through the API; each recorded the moment it exists. Nodes are
//! registered as machines of the aws driver and provisioned with TLS over
//! SSH. Scale renders the stack for the new count and updates it in place.
//! Teardown removes what the record names and what carries the cluster's
//! id; without local state a cluster is found by its name tag.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow, bail};
use futures::future::BoxFuture;
use machinectl_driver_aws::stack::{Clouds, StackEvent, Tagged, TaggedKind};
use machinectl_driver_aws::{AwsDriver, AwsOptions, AwsResources, Location};

use crate::cluster::orchestrators::ClusterSecrets;
use crate::cluster::providers::{ClusterProvider, NodeOptions, ScalePlan, node_engine};
use crate::cluster::record::{AwsStack, ID_TAG, NAME_TAG, NodeRef, ProviderState};
use crate::cluster::render::{
    Artifacts, BootPlan, ecs_cluster_name, key_pair_name, render_aws, stack_name,
};
use crate::cluster::spec::OrchestratorKind;
use crate::cluster::{ClusterRecord, ClusterSpec};
use crate::commands::Context;
use crate::commands::interrupt::Interrupt;
use crate::commands::provisioner::{Mode, provision_machine};
use crate::drivers::MachineDriver;
use crate::pki;
use crate::render::Renderer;
use crate::store::MachineRecord;

pub struct Aws;

impl ClusterProvider for Aws {
    /// The stack must fit one CloudFormation request: rendered once here
    /// (with throwaway secrets) so a cluster too large for it is refused
    /// before anything is locked, written or made.
    fn supports(&self, spec: &ClusterSpec) -> Result<()> {
        let secrets = spec.orchestrator.get().secrets(None)?;
        let placeholder_id = "000000000000";
        render_aws(&Renderer::new(None)?, spec, placeholder_id, &secrets).map(|_| ())
    }

    /// Another store (a teammate, CI) may own a cluster of this name.
    fn check<'a>(&'a self, _ctx: &'a Context, spec: &'a ClusterSpec) -> BoxFuture<'a, Result<()>> {
        Box::pin(ensure_name_free(spec))
    }

    fn new_state(&self, spec: &ClusterSpec) -> ProviderState {
        ProviderState::Aws(AwsStack {
            stack_name: stack_name(&spec.name),
            stack_id: None,
            ecs_cluster: None,
            key_pair: None,
        })
    }

    /// Ctrl-C settles like a failure: what was recorded is removed (or kept).
    fn create<'a>(
        &'a self,
        ctx: &'a Context,
        record: &'a mut ClusterRecord,
        secrets: &'a ClusterSecrets,
        options: &'a NodeOptions,
        interrupt: &'a mut Interrupt,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            interrupt
                .race(build(ctx, record, secrets, options.ssh_timeout))
                .await
        })
    }

    /// Only what the record names, and what carries its id: never what
    /// merely shares the name. Records from before ids go by name.
    fn teardown<'a>(
        &'a self,
        ctx: &'a Context,
        record: &'a ClusterRecord,
        wait: bool,
        discover: bool,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let location = location(&record.spec);
            let mut target = Target::recorded(record);
            if discover {
                // What the record missed (a crash between a call and its
                // record) still carries the id (or, before ids, the name).
                target.add_found(&find(&location, record.name()).await?);
            }
            teardown(ctx, &target, &location, wait).await
        })
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

    fn render(
        &self,
        _ctx: &Context,
        renderer: &Renderer,
        spec: &ClusterSpec,
        cluster_id: &str,
        secrets: &ClusterSecrets,
    ) -> Result<Artifacts> {
        render_aws(renderer, spec, cluster_id, secrets)
    }

    fn location_flags(&self, spec: &ClusterSpec) -> String {
        format!(" {}", location_flags(&location(spec)))
    }
}

/// The stack of rendered aws artifacts.
fn stack_body(artifacts: &Artifacts) -> Result<&str> {
    artifacts
        .stack
        .as_deref()
        .context("the aws provider renders a stack")
}

/// Whether the stack makes an instance role (CAPABILITY_IAM).
fn needs_iam(spec: &ClusterSpec) -> bool {
    !spec.orchestrator.get().node_permissions().is_empty()
}

/// Where the cluster's resources live.
pub fn location(spec: &ClusterSpec) -> Location {
    spec.aws.location()
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

/// The stack and what goes beside it, then the nodes registered and provisioned.
async fn build(
    ctx: &Context,
    record: &mut ClusterRecord,
    secrets: &ClusterSecrets,
    ssh_timeout: Duration,
) -> Result<()> {
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
    if let Some(aws) = record.aws_mut() {
        aws.key_pair = Some(key_pair_name(&name));
    }
    ctx.store.save_cluster(record)?;
    if spec.orchestrator == OrchestratorKind::Ecs {
        let step = ctx
            .printer
            .step(format!("Creating ECS cluster {}", ecs_cluster_name(&name)));
        let arn = clouds
            .create_ecs_cluster(&ecs_cluster_name(&name), &tags)
            .await?;
        if let Some(aws) = record.aws_mut() {
            aws.ecs_cluster = Some(arn);
        }
        ctx.store.save_cluster(record)?;
        step.done();
    }

    let renderer = Renderer::new(Some(&ctx.store.root().join("templates")))?;
    let artifacts = render_aws(&renderer, &spec, &record.id, secrets)?;
    let stack = stack_name(&name);
    let step = ctx
        .printer
        .step(format!("Creating CloudFormation stack {stack}"));
    // Recorded by name before the call: a CreateStack that errors may still
    // leave a stack behind, and the name was free when this up began.
    if let Some(aws) = record.aws_mut() {
        aws.stack_id = Some(stack.clone());
    }
    ctx.store.save_cluster(record)?;
    let stack_id = clouds
        .create_stack(&stack, stack_body(&artifacts)?, &tags, needs_iam(&spec))
        .await?;
    if let Some(aws) = record.aws_mut() {
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
            outcome.status.as_str(),
            location_flags(&location)
        );
    }
    step.done();

    register_nodes(ctx, &clouds, &spec, &record.nodes, &key_path).await?;
    let plan = BootPlan::aws(&spec, &record.id);
    provision_nodes(ctx, &spec, &record.nodes, secrets, &plan, ssh_timeout).await?;
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
                        if spec.orchestrator == OrchestratorKind::Ecs {
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
            node_engine(&name, node.role),
        );
        machine.cluster = Some(name.clone());
        drop(ctx.store.reserve_async(&machine).await?);
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
    plan: &BootPlan,
    ssh_timeout: Duration,
) -> Result<()> {
    let step = ctx
        .printer
        .step(format!("Provisioning {} node(s) with TLS", nodes.len()));
    let jobs = nodes.iter().map(|node| {
        let node_ctx = Context {
            printer: ctx.printer.prefixed(&node.machine),
            ..ctx.clone()
        };
        let files = spec.orchestrator.get().node_files(node.role, secrets, plan);
        async move {
            let mut machine = node_ctx.store.load(&node.machine)?;
            provision_machine(&node_ctx, &mut machine, Mode::Full, ssh_timeout, files?)
                .await
                .with_context(|| format!("node {}", node.machine))
        }
    });
    for result in futures::future::join_all(jobs).await {
        result?;
    }
    step.done();
    Ok(())
}

/// `clusterctl scale` of an aws cluster: the stack is rendered again for
/// the new count and updated in place, so CloudFormation adds the new
/// instances or terminates the ones past the count (the last workers: the
/// fixed private addresses of the others stay). The orchestrator lets
/// leaving nodes go first; new ones are registered, provisioned and joined
/// as at `up`. When a new node fails, the stack goes back to its old size
/// unless `keep_on_error`.
async fn scale(
    ctx: &Context,
    record: &mut ClusterRecord,
    plan: ScalePlan,
    options: &NodeOptions,
) -> Result<()> {
    let old = record.spec.clone();
    let ScalePlan {
        spec,
        wanted,
        adding,
        removing,
    } = plan;
    let name = spec.name.clone();
    let orchestrator = spec.orchestrator.get();
    // Ctrl-C while the cluster shrinks or the stack changes cannot stop
    // CloudFormation half-way: it is honoured once the new size is recorded,
    // and then (growing) settles like a failed new node.
    let mut interrupt = Interrupt::watch()?;
    let (changed, interrupted) = interrupt
        .shield(&ctx.printer, "the stack update", async {
            let notes = orchestrator
                .before_scale(ctx, record, &adding, &removing)
                .await?;
            let clouds = Clouds::connect(&location(&spec)).await;
            resize(ctx, &clouds, record, &spec, &removing).await?;
            orchestrator.after_scale(ctx, record, notes).await;
            anyhow::Ok(clouds)
        })
        .await;
    let clouds = changed?;
    if adding.is_empty() {
        return Ok(());
    }

    let (key_path, _) = cluster_key(ctx, &name)?;
    let record_id = record.id.clone();
    let joined = if interrupted {
        Err(anyhow!("interrupted"))
    } else {
        interrupt
            .race(async {
                register_nodes(ctx, &clouds, &spec, &adding, &key_path).await?;
                let secrets = orchestrator.secrets(Some(&ctx.store.cluster_dir(&name)))?;
                let plan = BootPlan::aws(&spec, &record_id);
                provision_nodes(ctx, &spec, &adding, &secrets, &plan, options.ssh_timeout).await?;
                orchestrator.join(ctx, &wanted).await
            })
            .await
    };
    let Err(error) = joined else {
        return Ok(());
    };
    if options.keep_on_error {
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
    let secrets = spec
        .orchestrator
        .get()
        .secrets(Some(&ctx.store.cluster_dir(&spec.name)))?;
    let artifacts = render_aws(&renderer, spec, cluster_id, &secrets)?;
    let stack = stack_name(&spec.name);
    let step = ctx
        .printer
        .step(format!("Updating stack {stack} to {} node(s)", spec.nodes));
    let seen = clouds.event_ids(&stack).await?;
    if !clouds
        .update_stack(&stack, stack_body(&artifacts)?, needs_iam(spec))
        .await?
    {
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
        let aws = record.aws().cloned();
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
    crate::cluster::forget_machines(ctx, name)?;
    let record = ctx.store.load_cluster(name).ok();
    // Without a record, every orchestrator forgets what it may have left.
    match &record {
        Some(r) => r.spec.orchestrator.get().forget(ctx, name, Some(r))?,
        None => {
            for kind in <OrchestratorKind as clap::ValueEnum>::value_variants() {
                kind.get().forget(ctx, name, None)?;
            }
        }
    }
    ctx.store.delete_cluster(name)?;
    Ok(())
}
