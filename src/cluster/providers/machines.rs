//! The machines provider: a cluster's nodes are machines of a machine
//! driver, made in parallel through the same create as `machinectl create`
//! (each settles its own failure and Ctrl-C), then joined by the
//! orchestrator. Today the driver is `local` (namespace hosts on this
//! machine), which takes no user-data: once the nodes exist, each gets its
//! role's boot files and runs its scripts over SSH (`cluster::boot`), with
//! the nodes' real addresses; drivers that take user-data get each role's
//! boot data as theirs as they arrive. `render` writes that boot data (the
//! addresses of the cluster's nodes, or the first free ones of the subnet
//! for a cluster not made yet). Kubernetes is rendered but not brought up
//! here: its node preparation changes the kernel (swap, modules, sysctls)
//! that every local host shares with this machine. The record lists the
//! nodes this cluster made, so a rollback removes those and nothing else.

use anyhow::{Context as _, Result, anyhow, bail};
use futures::future::BoxFuture;
use machinectl_driver_local::{LocalDriver, Subnet};

use crate::cluster::boot;
use crate::cluster::orchestrators::ClusterSecrets;
use crate::cluster::providers::{ClusterProvider, NodeOptions, ScalePlan, node_engine};
use crate::cluster::record::ProviderState;
use crate::cluster::render::{Artifacts, BootPlan, render_machines};
use crate::cluster::spec::OrchestratorKind;
use crate::cluster::{ClusterRecord, ClusterSpec, NodeRef, machine_addresses};
use crate::commands::Context;
use crate::commands::create::{NewMachine, create_machine};
use crate::commands::interrupt::Interrupt;
use crate::drivers::MachineDriver;
use crate::render::Renderer;
use crate::store::{MachineRecord, StoreError};

pub struct Machines;

impl ClusterProvider for Machines {
    fn supports(&self, spec: &ClusterSpec) -> Result<()> {
        if spec.orchestrator == OrchestratorKind::Kubernetes {
            bail!(
                "kubernetes nodes cannot be prepared on local hosts (kubeadm changes swap, kernel modules and sysctls of this machine, which every local host shares, and kubelet is in no reachable registry): `clusterctl render` shows what they would run; use --provider aws"
            );
        }
        Ok(())
    }

    fn check<'a>(&'a self, _ctx: &'a Context, spec: &'a ClusterSpec) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            node_driver(spec)?.pre_create_check()?;
            Ok(())
        })
    }

    fn new_state(&self, _spec: &ClusterSpec) -> ProviderState {
        ProviderState::Machines { made: Vec::new() }
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
            let step = ctx.printer.step(format!(
                "Creating {} node(s) in parallel",
                record.nodes.len()
            ));
            let nodes = record.nodes.clone();
            let (made, error) = create_nodes(ctx, &record.spec, &nodes, secrets, options).await;
            set_made(record, made);
            ctx.store.save_cluster(record)?;
            if let Some(e) = error {
                return Err(e);
            }
            step.done();
            let plan = boot_plan(ctx, &record.spec, &record.id)?;
            boot::run_on_nodes(
                ctx,
                &record.spec,
                secrets,
                &plan,
                &nodes,
                options.ssh_timeout,
            )
            .await
        })
    }

    fn teardown<'a>(
        &'a self,
        ctx: &'a Context,
        record: &'a ClusterRecord,
        _wait: bool,
        discover: bool,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let names: Vec<String> = if discover {
                record.nodes.iter().map(|n| n.machine.clone()).collect()
            } else {
                made(record)
            };
            let step = ctx.printer.step(format!(
                "Removing {} node(s) of cluster {}",
                names.len(),
                record.name()
            ));
            remove_nodes(ctx, &names).await?;
            record
                .spec
                .orchestrator
                .get()
                .forget(ctx, record.name(), Some(record))?;
            ctx.store.delete_cluster(record.name())?;
            step.done();
            Ok(())
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

    /// Each role's boot data, as the nodes get it over SSH.
    fn render(
        &self,
        ctx: &Context,
        renderer: &Renderer,
        spec: &ClusterSpec,
        cluster_id: &str,
        secrets: &ClusterSecrets,
    ) -> Result<Artifacts> {
        let plan = boot_plan(ctx, spec, cluster_id)?;
        render_machines(renderer, spec, secrets, &plan)
    }
}

/// The nodes' boot plan: the address of each node that exists, and for the
/// rest the subnet's first addresses no node of the cluster has.
fn boot_plan(ctx: &Context, spec: &ClusterSpec, cluster_id: &str) -> Result<BootPlan> {
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

/// The driver every node of the cluster is made with.
fn node_driver(spec: &ClusterSpec) -> Result<MachineDriver> {
    Ok(MachineDriver::Local(LocalDriver::new(node_subnet(spec)?)))
}

fn made(record: &ClusterRecord) -> Vec<String> {
    match &record.provider_state {
        Some(ProviderState::Machines { made }) => made.clone(),
        _ => Vec::new(),
    }
}

fn set_made(record: &mut ClusterRecord, mut names: Vec<String>) {
    let mut all = made(record);
    all.append(&mut names);
    record.provider_state = Some(ProviderState::Machines { made: all });
}

/// Make `nodes` in parallel. Returns the names made, and the first error
/// (after every create has finished).
async fn create_nodes(
    ctx: &Context,
    spec: &ClusterSpec,
    nodes: &[NodeRef],
    secrets: &ClusterSecrets,
    options: &NodeOptions,
) -> (Vec<String>, Option<anyhow::Error>) {
    let driver = match node_driver(spec) {
        Ok(d) => d,
        Err(e) => return (Vec::new(), Some(e)),
    };
    let orchestrator = spec.orchestrator.get();
    // Node files land at fixed paths: the plan's addresses do not matter here.
    let plan = BootPlan::local(spec, "", Vec::new(), "");
    let creates = nodes.iter().map(|node| {
        let node_ctx = Context {
            printer: ctx.printer.prefixed(&node.machine),
            ..ctx.clone()
        };
        let mut record = MachineRecord::new(
            &node.machine,
            driver.clone(),
            node_engine(&spec.name, node.role),
        );
        record.cluster = Some(spec.name.clone());
        let files = orchestrator.node_files(node.role, secrets, &plan);
        async move {
            let name = record.name.clone();
            let result = match files {
                Ok(files) => {
                    create_machine(
                        &node_ctx,
                        NewMachine {
                            record,
                            ssh_timeout: options.ssh_timeout,
                            keep_on_error: options.keep_on_error,
                            files,
                        },
                    )
                    .await
                }
                Err(e) => Err(e),
            };
            (name, result)
        }
    });
    let mut made = Vec::new();
    let mut first_error = None;
    for (name, result) in futures::future::join_all(creates).await {
        match result {
            Ok(_) => made.push(name),
            Err(e) => {
                if options.keep_on_error {
                    made.push(name.clone());
                }
                first_error.get_or_insert(e.context(format!("node {name}")));
            }
        }
    }
    (made, first_error)
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
        let (made, error) = create_nodes(ctx, &spec, &adding, &secrets, options).await;
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
        let plan = boot_plan(ctx, &spec, &record.id)?;
        boot::run_on_nodes(ctx, &spec, &secrets, &plan, &adding, options.ssh_timeout).await?;
        orchestrator.join(ctx, &wanted).await?;
        step.done();
    }
    if !removing.is_empty() {
        let step = ctx
            .printer
            .step(format!("Removing {} node(s)", removing.len()));
        let names: Vec<String> = removing.iter().map(|n| n.machine.clone()).collect();
        remove_nodes(ctx, &names).await?;
        if let Some(ProviderState::Machines { made }) = &mut record.provider_state {
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
