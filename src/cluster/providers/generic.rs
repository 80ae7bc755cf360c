//! What `down` of a generic cluster takes off its hosts, which stay: the
//! orchestrator's state (a Swarm node leaves its swarm, through the
//! node's Engine API over mutual TLS; the units and containers Consul's,
//! Mesos' boot scripts started are stopped and deleted; `kubeadm reset`)
//! and the files the cluster's boot put there (machinectl's configuration, data and boot scripts: the
//! directories of [`BootPlan::machines`]), one SSH session per host, all
//! hosts at once. A host that cannot be reached is reported and left as it
//! is: `down` still forgets it. The engine machinectl secured stays as a
//! `machinectl create -d generic` leaves it.

use std::time::Duration;

use anyhow::{Result, anyhow, bail};

use crate::cluster::orchestrators::swarm::swarm_nodes;
use crate::cluster::render::BootPlan;
use crate::cluster::spec::OrchestratorKind;
use crate::cluster::{ClusterRecord, NodeRef};
use crate::commands::Context;
use crate::render::escape::shell_word;

const REACH: Duration = Duration::from_secs(30);

/// Take the cluster off the hosts of `names`; failures are warnings.
pub async fn uninstall(ctx: &Context, record: &ClusterRecord, names: &[String]) {
    let nodes: Vec<NodeRef> = record
        .nodes
        .iter()
        .filter(|n| names.contains(&n.machine))
        .cloned()
        .collect();
    let step = ctx.printer.step(format!(
        "Taking {} off {} host(s)",
        record.spec.orchestrator.as_str(),
        nodes.len()
    ));
    if record.spec.orchestrator == OrchestratorKind::Swarm {
        for node in &nodes {
            if let Err(e) = leave_swarm(ctx, node).await {
                ctx.printer
                    .warn(format!("{}: did not leave the swarm: {e}", node.machine));
            }
        }
    }
    let plan = BootPlan::machines(&record.spec, &record.id, Vec::new(), "");
    let dirs = [plan.etc_dir, plan.data_dir, plan.script_dir];
    let jobs = nodes.iter().map(|node| {
        let ctx = ctx.clone();
        let machine = node.machine.clone();
        let orchestrator = record.spec.orchestrator;
        tokio::task::spawn_blocking(move || {
            (remove_files(&ctx, &machine, orchestrator, &dirs), machine)
        })
    });
    for job in futures::future::join_all(jobs).await {
        match job {
            Ok((Ok(()), _)) => {}
            Ok((Err(e), machine)) => ctx
                .printer
                .warn(format!("{machine}: boot files not removed: {e}")),
            Err(e) => ctx.printer.warn(format!("boot files not removed: {e}")),
        }
    }
    step.done();
}

/// The node leaves its swarm (a manager forcibly: the swarm goes with it).
async fn leave_swarm(ctx: &Context, node: &NodeRef) -> Result<()> {
    let swarm = swarm_nodes(ctx, std::slice::from_ref(node))?;
    let client = &swarm.first().ok_or_else(|| anyhow!("no engine"))?.client;
    match client
        .post_json("/swarm/leave?force=true", &serde_json::json!({}))
        .await
    {
        Ok(_) => Ok(()),
        // 503 "not part of a swarm": already out.
        Err(e) if e.to_string().contains("not part of a swarm") => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// What the orchestrator's boot scripts started, stopped and deleted (the
/// units and containers they name; each step tolerates its absence).
fn stop_commands(orchestrator: OrchestratorKind) -> &'static str {
    match orchestrator {
        OrchestratorKind::Consul => {
            "systemctl disable --now machinectl-consul.service 2>/dev/null; rm -f /etc/systemd/system/machinectl-consul.service; systemctl daemon-reload 2>/dev/null; docker rm -f registrator >/dev/null 2>&1; "
        }
        OrchestratorKind::Mesos => {
            "systemctl disable --now machinectl-zookeeper.service 2>/dev/null; rm -f /etc/systemd/system/machinectl-zookeeper.service; systemctl daemon-reload 2>/dev/null; docker rm -f mesos-agent mesos-master marathon >/dev/null 2>&1; "
        }
        OrchestratorKind::Kubernetes => "kubeadm reset -f >/dev/null 2>&1; ",
        OrchestratorKind::Swarm | OrchestratorKind::Ecs => "",
    }
}

/// Stop what the boot started and delete machinectl's boot directories on
/// one host over SSH.
fn remove_files(
    ctx: &Context,
    machine: &str,
    orchestrator: OrchestratorKind,
    dirs: &[&str],
) -> Result<()> {
    let (ssh, user) = crate::cluster::boot::connect(ctx, machine, REACH)?;
    let words = dirs
        .iter()
        .map(|d| shell_word(d).map_err(|e| anyhow!(e)))
        .collect::<Result<Vec<_>>>()?;
    let script = format!("{}rm -rf {}", stop_commands(orchestrator), words.join(" "));
    let sudo = if user == "root" { "" } else { "sudo " };
    let out = ssh.exec(&format!(
        "{sudo}sh -c {}",
        shell_word(&script).map_err(|e| anyhow!(e))?
    ))?;
    if !out.success() {
        bail!("rm: {}", out.stderr.trim());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every orchestrator's stop commands are shell a host's sh parses.
    #[test]
    fn stop_commands_parse_as_shell() {
        for orchestrator in [
            OrchestratorKind::Swarm,
            OrchestratorKind::Kubernetes,
            OrchestratorKind::Consul,
            OrchestratorKind::Mesos,
        ] {
            let script = format!(
                "{}rm -rf /nonexistent/machinectl",
                stop_commands(orchestrator)
            );
            let parsed = std::process::Command::new("sh")
                .args(["-n", "-c", &script])
                .status()
                .unwrap();
            assert!(parsed.success(), "{orchestrator:?}: {script}");
        }
        assert!(stop_commands(OrchestratorKind::Consul).contains("machinectl-consul.service"));
        assert!(stop_commands(OrchestratorKind::Mesos).contains("marathon"));
    }
}
