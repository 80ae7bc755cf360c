//! Boot data run over SSH, for nodes whose driver takes no user-data (local
//! namespace hosts): each node gets its role's public boot files and
//! scripts (what cloud-init would write from the user-data) and runs the
//! scripts in order, one SSH session per node, all nodes at once. What a
//! script prints is shown under the node's name: on a host that cannot
//! install a service, the script says why and goes on with what it can do.

use std::time::Duration;

use anyhow::{Context as _, Result, anyhow, bail};

use crate::cluster::NodeRef;
use crate::cluster::orchestrators::ClusterSecrets;
use crate::cluster::render::{BootPlan, RoleBoot, boot_context, role_boot};
use crate::cluster::spec::ClusterSpec;
use crate::commands::Context;
use crate::render::Renderer;
use crate::render::escape::shell_word;
use crate::ssh::{ConnectOptions, SshClient};

/// Write each node's boot files and run its scripts, in parallel.
pub async fn run_on_nodes(
    ctx: &Context,
    spec: &ClusterSpec,
    secrets: &ClusterSecrets,
    plan: &BootPlan,
    nodes: &[NodeRef],
    ssh_timeout: Duration,
) -> Result<()> {
    let renderer = Renderer::new(Some(&ctx.store.root().join("templates")))?;
    let base = boot_context(spec, secrets, plan);
    let step = ctx
        .printer
        .step(format!("Preparing {} node(s) over SSH", nodes.len()));
    let mut jobs = Vec::new();
    for node in nodes {
        let boot = role_boot(&renderer, spec, &base, secrets, plan, node.role)?;
        let node_ctx = Context {
            printer: ctx.printer.prefixed(&node.machine),
            ..ctx.clone()
        };
        let machine = node.machine.clone();
        jobs.push(tokio::task::spawn_blocking(move || {
            run_on_node(&node_ctx, &machine, &boot, ssh_timeout)
                .with_context(|| format!("node {machine}"))
        }));
    }
    for result in futures::future::join_all(jobs).await {
        result.map_err(|e| anyhow!("node preparation failed: {e}"))??;
    }
    step.done();
    Ok(())
}

/// An SSH session to a node, its pinned host key checked; and its user.
pub fn connect(ctx: &Context, machine: &str, timeout: Duration) -> Result<(SshClient, String)> {
    let record = ctx.store.load(machine)?;
    let target = record
        .driver
        .ssh_target()
        .ok_or_else(|| anyhow!("{machine} has no SSH address"))?;
    let ssh = SshClient::connect(
        &target,
        &ctx.store.machine_dir(machine).join("known_host"),
        &ConnectOptions {
            timeout,
            retry_auth: false,
            host_key_alias: machine.to_string(),
        },
    )?;
    Ok((ssh, target.user))
}

/// One node: its files written over SFTP (parents made), then its scripts.
fn run_on_node(ctx: &Context, machine: &str, boot: &RoleBoot, timeout: Duration) -> Result<()> {
    let (ssh, _) = connect(ctx, machine, timeout)?;
    for (path, mode, content) in &boot.files {
        let dir = path.rsplit_once('/').map_or("/", |(d, _)| d);
        let word = shell_word(dir).map_err(|e| anyhow!(e))?;
        let made = ssh.exec(&format!("mkdir -p {word}"))?;
        if !made.success() {
            bail!("mkdir {dir}: {}", made.stderr.trim());
        }
        ssh.upload(path, content.as_bytes(), *mode as i32)?;
    }
    for script in &boot.run {
        let name = script.rsplit('/').next().unwrap_or(script);
        let word = shell_word(script).map_err(|e| anyhow!(e))?;
        let out = ssh.exec(&format!("sh {word}"))?;
        for line in out.stdout.lines().filter(|l| !l.trim().is_empty()) {
            ctx.printer.info(format!("{name}: {line}"));
        }
        if !out.success() {
            let last = out.stderr.lines().last().unwrap_or("no output").to_string();
            bail!("{name} exited with {}: {last}", out.status);
        }
    }
    Ok(())
}
