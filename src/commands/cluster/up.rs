//! `clusterctl up` (and `scale`, `render`): make the nodes in parallel,
//! register each as a machine, and bootstrap the orchestrator. A failed up
//! removes what it made unless --keep-on-error.

use std::time::{Duration, Instant};

use anyhow::{Result, anyhow, bail};
use machinectl_driver_api::Driver;
use machinectl_driver_local::{LocalDriver, Subnet};

use crate::cli::cluster::{RenderArgs, ScaleArgs, UpArgs};
use crate::cluster::kube::KubeSecrets;
use crate::cluster::render::{ClusterSecrets, render_aws};
use crate::cluster::swarm::{self, SwarmNode};
use crate::cluster::{ClusterRecord, ClusterSpec, ClusterState, NodeRef, Orchestrator, Provider};
use crate::commands::Context;
use crate::commands::cluster::{aws, down, resolve_spec};
use crate::commands::create::{NewMachine, create_machine};
use crate::commands::interrupt::Interrupt;
use crate::drivers::MachineDriver;
use crate::engine::EngineClient;
use crate::render::Renderer;
use crate::store::{EngineOptions, MachineRecord};

/// Engine settings of a cluster node: labels that say whose and what it is.
pub fn node_engine(cluster: &str, role: &str) -> EngineOptions {
    EngineOptions {
        port: 2376,
        labels: vec![
            format!("machinectl.cluster={cluster}"),
            format!("machinectl.role={role}"),
        ],
        ..EngineOptions::default()
    }
}

pub async fn run(ctx: &Context, args: UpArgs) -> Result<()> {
    let spec = resolve_spec(&args.spec)?;
    // Held to the end: a second up, scale or down of this cluster is refused.
    let _lock = ctx.store.lock_cluster(&spec.name)?;
    if ctx.store.load_cluster(&spec.name).is_ok() {
        bail!(
            "cluster {:?} already exists: see `clusterctl status {}` or remove it with `clusterctl down {}`",
            spec.name,
            spec.name,
            spec.name
        );
    }
    for (machine, _, _) in spec.node_names() {
        if ctx.store.exists(&machine) {
            bail!("machine {machine:?} already exists: remove it or pick another cluster name");
        }
    }
    if spec.provider == Provider::Aws {
        // Another store (a teammate, CI) may own a cluster of this name.
        aws::ensure_name_free(&spec).await?;
    }
    let started = Instant::now();
    let ssh_timeout = Duration::from_secs(args.ssh_timeout);
    match spec.provider {
        Provider::Local => up_local(ctx, spec.clone(), ssh_timeout, args.keep_on_error).await?,
        Provider::Aws => up_aws(ctx, spec.clone(), ssh_timeout, args.keep_on_error).await?,
    }
    ctx.printer.info(format!(
        "Cluster {} is up: {} node(s), {} (took {:.1}s).",
        spec.name,
        spec.nodes,
        spec.orchestrator.as_str(),
        started.elapsed().as_secs_f64()
    ));
    ctx.printer.info(format!(
        "To use it, run: eval \"$(clusterctl env {})\"",
        spec.name
    ));
    Ok(())
}

fn subnet(spec: &ClusterSpec) -> Result<Subnet> {
    spec.local
        .subnet
        .as_deref()
        .map(|s| {
            s.parse::<Subnet>()
                .map_err(|e| anyhow!("{e} (--local-subnet)"))
        })
        .transpose()
        .map(Option::unwrap_or_default)
}

/// Make `nodes` as local machines in parallel. Returns the names made, and
/// the first error (after every create has finished).
async fn create_local_nodes(
    ctx: &Context,
    spec: &ClusterSpec,
    nodes: &[NodeRef],
    ssh_timeout: Duration,
    keep_on_error: bool,
) -> (Vec<String>, Option<anyhow::Error>) {
    let subnet = match subnet(spec) {
        Ok(s) => s,
        Err(e) => return (Vec::new(), Some(e)),
    };
    let creates = nodes.iter().map(|node| {
        let node_ctx = Context {
            printer: ctx.printer.prefixed(&node.machine),
            ..ctx.clone()
        };
        let mut record = MachineRecord::new(
            &node.machine,
            MachineDriver::Local(LocalDriver::new(subnet)),
            node_engine(&spec.name, &node.role),
        );
        record.cluster = Some(spec.name.clone());
        async move {
            let name = record.name.clone();
            let result = create_machine(
                &node_ctx,
                NewMachine {
                    record,
                    ssh_timeout,
                    keep_on_error,
                },
            )
            .await;
            (name, result)
        }
    });
    let mut made = Vec::new();
    let mut first_error = None;
    for (name, result) in futures::future::join_all(creates).await {
        match result {
            Ok(_) => made.push(name),
            Err(e) => {
                if keep_on_error {
                    made.push(name.clone());
                }
                first_error.get_or_insert(e.context(format!("node {name}")));
            }
        }
    }
    (made, first_error)
}

/// The swarm nodes of a cluster's machines, with an engine client each.
pub fn swarm_nodes(ctx: &Context, nodes: &[NodeRef]) -> Result<Vec<SwarmNode>> {
    nodes
        .iter()
        .map(|node| {
            let record = ctx.store.load(&node.machine)?;
            let ip = record
                .driver
                .ip()
                .ok_or_else(|| anyhow!("node {} has no address", node.machine))?
                .to_string();
            let client = EngineClient::new(
                &ip,
                record.engine.port,
                &ctx.store.machine_dir(&node.machine),
                Duration::from_secs(30),
            )?;
            // Cloud nodes talk to each other over their private network.
            let advertise = match &record.driver {
                MachineDriver::Aws(d) => d.resources.private_ip.clone(),
                _ => None,
            };
            Ok(SwarmNode {
                name: node.machine.clone(),
                ip: advertise.unwrap_or(ip),
                manager: node.role != "worker",
                client,
            })
        })
        .collect()
}

async fn up_local(
    ctx: &Context,
    spec: ClusterSpec,
    ssh_timeout: Duration,
    keep_on_error: bool,
) -> Result<()> {
    LocalDriver::new(subnet(&spec)?).pre_create_check()?;
    // Each node's create settles its own Ctrl-C; this one covers forming the swarm.
    let mut interrupt = Interrupt::watch()?;
    let mut record = ClusterRecord::new(spec.clone());
    record.nodes = spec.node_refs();
    ctx.store.save_cluster(&record)?;

    let step = ctx.printer.step(format!(
        "Creating {} local node(s) in parallel",
        record.nodes.len()
    ));
    let (made, error) =
        create_local_nodes(ctx, &spec, &record.nodes, ssh_timeout, keep_on_error).await;
    let outcome = match error {
        Some(e) => Err(e),
        None => {
            step.done();
            let step = ctx.printer.step("Forming the swarm over the Engine API");
            let formed = interrupt
                .race(async { swarm::bootstrap(&swarm_nodes(ctx, &record.nodes)?).await })
                .await;
            if formed.is_ok() {
                step.done();
            }
            formed
        }
    };
    let made = &made;
    settle(
        ctx,
        &mut record,
        outcome,
        keep_on_error,
        String::new(),
        || async {
            down::remove_nodes(ctx, made).await?;
            ctx.store.delete_cluster(&spec.name)?;
            Ok(())
        },
    )
    .await
}

/// Finish an up: record success, or keep what was made (--keep-on-error), or
/// run `rollback`; a rollback that fails leaves the record with both errors.
async fn settle<F, Fut>(
    ctx: &Context,
    record: &mut ClusterRecord,
    outcome: Result<()>,
    keep_on_error: bool,
    down_flags: String,
    rollback: F,
) -> Result<()>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    let name = record.name().to_string();
    let Err(error) = outcome else {
        record.state = ClusterState::Running;
        ctx.store.save_cluster(record)?;
        return Ok(());
    };
    let message = crate::commands::one_line(&error);
    if keep_on_error {
        record.state = ClusterState::Error;
        record.error = Some(message);
        ctx.store.save_cluster(record)?;
        ctx.printer.info(format!(
            "Kept cluster {name} as it is (--keep-on-error); remove it with `clusterctl down -y {name}{down_flags}`."
        ));
        return Err(error);
    }
    let step = ctx.printer.step("Removing what this up made");
    match rollback().await {
        Ok(()) => step.done(),
        Err(e) => {
            drop(step);
            record.state = ClusterState::Error;
            record.error = Some(format!("{message}; rollback failed: {e}"));
            ctx.store.save_cluster(record)?;
            ctx.printer.warn(format!(
                "rollback failed ({e}); finish with `clusterctl down {name} -y{down_flags}`"
            ));
        }
    }
    Err(error)
}

async fn up_aws(
    ctx: &Context,
    spec: ClusterSpec,
    ssh_timeout: Duration,
    keep_on_error: bool,
) -> Result<()> {
    // Ctrl-C settles like a failure: the stack and key pair are removed (or kept).
    let mut interrupt = Interrupt::watch()?;
    let mut record = aws::new_record(&spec);
    record.nodes = spec.node_refs();
    ctx.store.save_cluster(&record)?;
    let outcome = interrupt
        .race(aws::build(ctx, &mut record, ssh_timeout))
        .await;
    let location = aws::location(&spec);
    let flags = format!(" {}", aws::location_flags(&location));
    // Only what this run recorded goes: never what merely shares the name.
    let made = aws::Target::recorded(&record);
    settle(ctx, &mut record, outcome, keep_on_error, flags, || {
        aws::teardown(ctx, &made, &location, true)
    })
    .await
}

/// What scaling a cluster to `nodes` changes: its spec and node list, the
/// nodes to make, and the nodes to take away (always the last workers).
pub struct ScalePlan {
    pub spec: ClusterSpec,
    pub wanted: Vec<NodeRef>,
    pub adding: Vec<NodeRef>,
    pub removing: Vec<NodeRef>,
}

impl ScalePlan {
    pub fn new(record: &ClusterRecord, nodes: u32) -> ScalePlan {
        let mut spec = record.spec.clone();
        spec.nodes = nodes;
        let wanted = spec.node_refs();
        let adding = wanted
            .iter()
            .filter(|n| !record.nodes.contains(n))
            .cloned()
            .collect();
        let removing = record
            .nodes
            .iter()
            .filter(|n| !wanted.contains(n))
            .cloned()
            .collect();
        ScalePlan {
            spec,
            wanted,
            adding,
            removing,
        }
    }
}

/// `clusterctl scale`: add or remove workers of a local swarm cluster.
pub async fn scale(ctx: &Context, args: ScaleArgs) -> Result<()> {
    let _lock = ctx.store.lock_cluster(&args.name)?;
    let mut record = ctx.store.load_cluster(&args.name)?;
    let managers = record.spec.managers;
    if args.nodes < managers.max(1) {
        bail!(
            "--nodes {} is fewer than the cluster's {managers} manager(s)",
            args.nodes
        );
    }
    if record.spec.provider == Provider::Aws {
        return aws::scale(
            ctx,
            &mut record,
            args.nodes,
            Duration::from_secs(args.ssh_timeout),
            args.keep_on_error,
        )
        .await;
    }
    let ScalePlan {
        spec,
        wanted,
        adding,
        removing,
    } = ScalePlan::new(&record, args.nodes);
    if !adding.is_empty() {
        let step = ctx.printer.step(format!("Adding {} node(s)", adding.len()));
        let (made, error) = create_local_nodes(
            ctx,
            &spec,
            &adding,
            Duration::from_secs(args.ssh_timeout),
            args.keep_on_error,
        )
        .await;
        if let Some(e) = error {
            drop(step);
            if !args.keep_on_error {
                down::remove_nodes(ctx, &made).await?;
            }
            return Err(e);
        }
        let mut all = swarm_nodes(ctx, &record.nodes)?;
        all.extend(swarm_nodes(ctx, &adding)?);
        swarm::bootstrap(&all).await?;
        step.done();
    }
    if !removing.is_empty() {
        let step = ctx
            .printer
            .step(format!("Removing {} node(s)", removing.len()));
        let first = record
            .first_manager()
            .ok_or_else(|| anyhow!("cluster has no manager"))?
            .clone();
        let manager = swarm_nodes(ctx, std::slice::from_ref(&first))?.remove(0);
        for node in &removing {
            swarm::remove_node(&manager.client, &node.machine).await?;
        }
        let names: Vec<String> = removing.iter().map(|n| n.machine.clone()).collect();
        down::remove_nodes(ctx, &names).await?;
        step.done();
    }
    record.spec = spec;
    record.nodes = wanted;
    ctx.store.save_cluster(&record)?;
    ctx.printer.info(format!(
        "Cluster {} has {} node(s).",
        record.name(),
        record.nodes.len()
    ));
    Ok(())
}

/// The cluster's secrets, made (or read back) under clusters/NAME.
pub fn secrets(ctx: &Context, spec: &ClusterSpec) -> Result<ClusterSecrets> {
    let kube = if spec.orchestrator == Orchestrator::Kubernetes {
        Some(KubeSecrets::load_or_create(
            &ctx.store.cluster_dir(&spec.name).join("kube"),
        )?)
    } else {
        None
    };
    Ok(ClusterSecrets { kube })
}

/// `clusterctl render`: the artifacts `up` submits (for an existing cluster,
/// byte for byte what it submitted: the same secrets are read back).
pub fn render(ctx: &Context, args: RenderArgs) -> Result<()> {
    let (spec, id) = match ctx
        .store
        .load_cluster(args.spec.name.as_deref().unwrap_or("default"))
    {
        Ok(record) if args.spec.file.is_none() && args.spec.provider.is_none() => {
            (record.spec, record.id)
        }
        // A cluster not made yet: the id is one `up` would choose.
        _ => (
            resolve_spec(&args.spec)?,
            crate::cluster::record::new_cluster_id(),
        ),
    };
    if spec.provider != Provider::Aws {
        bail!(
            "render writes cloud templates; the {} provider has none (its nodes are made directly)",
            spec.provider.as_str()
        );
    }
    let renderer = Renderer::new(Some(&ctx.store.root().join("templates")))?;
    let secrets = if ctx.store.load_cluster(&spec.name).is_ok() {
        secrets(ctx, &spec)?
    } else {
        // Nothing is stored for a cluster that does not exist: secrets are made for this render only.
        ClusterSecrets {
            kube: (spec.orchestrator == Orchestrator::Kubernetes)
                .then(KubeSecrets::generate)
                .transpose()?,
        }
    };
    let artifacts = render_aws(&renderer, &spec, &id, &secrets)?;
    for path in artifacts.write_to(&args.out)? {
        ctx.printer.out(path.display().to_string());
    }
    Ok(())
}
