//! Docker Swarm through the Engine API over mutual TLS: init on the first
//! manager, read the join tokens from its API (kept in memory only), join
//! the other managers one by one and the workers together. Where the
//! provider makes the nodes itself, this happens during the creates, each
//! node as soon as it is provisioned ([`SwarmFormer`]). Nodes boot with a
//! script that installs the engine; machinectl secures it with TLS.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow};
use futures::future::BoxFuture;
use serde_json::json;

use crate::cluster::orchestrators::{
    ClusterSecrets, NodeFormer, NodeHealth, Orchestrator, PortRange, ScaleNotes,
};
use crate::cluster::role::Role;
use crate::cluster::{ClusterRecord, NodeRef};
use crate::commands::Context;
use crate::engine::{EngineClient, EngineError};

pub struct Swarm;

impl Orchestrator for Swarm {
    fn manager_role(&self) -> Option<Role> {
        Some(Role::Manager)
    }

    fn ports_between_nodes(&self) -> Vec<PortRange> {
        vec![
            ("tcp", SWARM_PORT, SWARM_PORT),
            ("tcp", 7946, 7946),
            ("udp", 7946, 7946),
            ("udp", 4789, 4789),
        ]
    }

    fn boot_scripts(&self, _role: Role) -> Vec<(&'static str, &'static str)> {
        vec![("bootstrap/swarm/engine.sh.tera", "engine.sh")]
    }

    fn bootstrap<'a>(
        &'a self,
        ctx: &'a Context,
        record: &'a mut ClusterRecord,
        _secrets: &'a ClusterSecrets,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let step = ctx.printer.step("Forming the swarm over the Engine API");
            bootstrap(ctx, &swarm_nodes(ctx, &record.nodes)?).await?;
            step.done();
            Ok(())
        })
    }

    fn former(&self, record: &ClusterRecord) -> Option<Box<dyn NodeFormer>> {
        Some(Box::new(SwarmFormer {
            first: record.first_manager()?.machine.clone(),
            joining: tokio::sync::watch::channel(None).0,
            managers: tokio::sync::Mutex::new(()),
            formed: std::sync::Mutex::new(Vec::new()),
        }))
    }

    fn before_scale<'a>(
        &'a self,
        ctx: &'a Context,
        record: &'a ClusterRecord,
        _adding: &'a [NodeRef],
        removing: &'a [NodeRef],
    ) -> BoxFuture<'a, Result<ScaleNotes>> {
        Box::pin(async move {
            if !removing.is_empty() {
                leave(ctx, record, removing).await?;
            }
            Ok(ScaleNotes::default())
        })
    }

    fn join<'a>(&'a self, ctx: &'a Context, wanted: &'a [NodeRef]) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let step = ctx.printer.step("Joining the new nodes to the swarm");
            bootstrap(ctx, &swarm_nodes(ctx, wanted)?).await?;
            step.done();
            Ok(())
        })
    }

    fn health<'a>(
        &'a self,
        ctx: &'a Context,
        record: &'a ClusterRecord,
    ) -> BoxFuture<'a, Result<Vec<NodeHealth>>> {
        Box::pin(async move {
            let Some(first) = record.first_manager() else {
                return Ok(Vec::new());
            };
            let manager = swarm_nodes(ctx, std::slice::from_ref(first))?.remove(0);
            Ok(node_statuses(&manager.client)
                .await?
                .into_iter()
                .map(|s| NodeHealth {
                    known_as: vec![s.hostname],
                    status: s.state,
                    role: if s.leader { "Leader".into() } else { s.role },
                })
                .collect())
        })
    }

    /// The docker env of the first manager: `docker node ls` works at once.
    fn env(&self, ctx: &Context, record: &ClusterRecord, shell: Option<String>) -> Result<()> {
        let manager = record
            .first_manager()
            .ok_or_else(|| anyhow!("cluster {} has no manager", record.name()))?;
        crate::commands::env::run(
            ctx,
            crate::cli::EnvArgs {
                name: Some(manager.machine.clone()),
                shell,
                unset: false,
                no_proxy: false,
                force: false,
            },
        )
    }
}

/// The swarm nodes of a cluster's machines, with an engine client each.
/// Nodes advertise the address their driver says cluster peers reach them
/// at (a cloud node's private address).
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
            let advertise = record.driver.peer_address().map(|a| a.to_string());
            Ok(SwarmNode {
                name: node.machine.clone(),
                ip: advertise.unwrap_or(ip),
                manager: node.role.is_manager(),
                client,
            })
        })
        .collect()
}

/// Take leaving nodes out of the swarm before their hosts go.
async fn leave(ctx: &Context, record: &ClusterRecord, removing: &[NodeRef]) -> Result<()> {
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
        remove_node(&manager.client, &node.machine).await?;
    }
    step.done();
    Ok(())
}

pub const SWARM_PORT: u16 = 2377;

/// Where every node listens for the swarm: all its addresses.
fn listen_addr() -> String {
    format!("0.0.0.0:{SWARM_PORT}")
}

/// A node to bring into the swarm.
pub struct SwarmNode {
    pub name: String,
    /// The address other nodes reach it at.
    pub ip: String,
    pub manager: bool,
    pub client: EngineClient,
}

/// The engine answers 503 "already part of a swarm" when a step was done before.
fn already_in_swarm(e: &EngineError) -> bool {
    matches!(e, EngineError::Status { status: 503, detail, .. } if detail.contains("already part of a swarm"))
}

/// How long one swarm init may take. It takes well under a second;
/// dockerd's init waits for its new node with no limit of its own, and once
/// (in CI, on a loaded machine) it never answered.
const INIT_LIMIT: Duration = Duration::from_secs(15);

/// Init the swarm (`init`), taking "already part of a swarm" for done. An
/// init that hangs or whose answer is lost leaves the node pending, where a
/// second init only says it is already in a swarm: the node leaves
/// (`leave`, forced) and inits once more.
async fn init_swarm<I, IF, L, LF>(
    name: &str,
    limit: Duration,
    init: I,
    leave: L,
    warn: impl Fn(String),
) -> Result<()>
where
    I: Fn() -> IF,
    IF: std::future::Future<Output = std::result::Result<(), EngineError>>,
    L: FnOnce() -> LF,
    LF: std::future::Future<Output = std::result::Result<(), EngineError>>,
{
    let hung = match tokio::time::timeout(limit, init()).await {
        Ok(Ok(())) => return Ok(()),
        Ok(Err(e)) if already_in_swarm(&e) => return Ok(()),
        Ok(Err(e @ EngineError::Unreachable { .. })) => e.to_string(),
        Ok(Err(e)) => return Err(e).with_context(|| format!("swarm init on {name}")),
        Err(_) => format!("no answer in {} s", limit.as_secs()),
    };
    warn(format!(
        "swarm init on {name} did not finish ({hung}); leaving the pending swarm and trying once more"
    ));
    if let Err(e) = leave().await {
        warn(format!("swarm leave on {name}: {e}"));
    }
    match tokio::time::timeout(limit, init()).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(e).with_context(|| format!("swarm init on {name}, the second time")),
        Err(_) => Err(anyhow!(
            "swarm init on {name} did not finish in {} s, twice: {}",
            limit.as_secs(),
            engine_log_hint(name)
        )),
    }
}

/// Form the swarm. Safe to run again on a formed swarm.
pub async fn bootstrap(ctx: &Context, nodes: &[SwarmNode]) -> Result<()> {
    let first = nodes
        .iter()
        .find(|n| n.manager)
        .ok_or_else(|| anyhow!("a swarm needs a manager"))?;
    let joining = init(ctx, first).await?;
    // Managers one at a time (each changes the raft membership), workers together.
    for node in nodes.iter().filter(|n| n.manager && n.name != first.name) {
        joining.join(node).await?;
    }
    let workers: Vec<_> = nodes
        .iter()
        .filter(|n| !n.manager)
        .map(|n| joining.join(n))
        .collect();
    for result in futures::future::join_all(workers).await {
        result?;
    }
    Ok(())
}

/// What a node needs to join a formed swarm: the first manager's address
/// and the join tokens (kept in memory only).
struct Joining {
    /// The first manager's engine, which says when a joined node is Ready.
    manager: EngineClient,
    remote: String,
    manager_token: String,
    worker_token: String,
}

impl Joining {
    async fn join(&self, node: &SwarmNode) -> Result<()> {
        let body = json!({
            "ListenAddr": listen_addr(),
            "AdvertiseAddr": format!("{}:{SWARM_PORT}", node.ip),
            "RemoteAddrs": [self.remote],
            "JoinToken": if node.manager { &self.manager_token } else { &self.worker_token },
        });
        match node.client.post_json("/swarm/join", &body).await {
            Ok(_) => {}
            Err(e) if already_in_swarm(&e) => {}
            Err(e) => return Err(e).with_context(|| format!("swarm join of {}", node.name)),
        }
        until_ready(&self.manager, node).await
    }
}

/// Where a node's engine says why a swarm step did not finish.
fn engine_log_hint(name: &str) -> String {
    format!(
        "see the engine's log with `machinectl ssh {name} tail /var/log/machinectl-dockerd.log` (or journalctl -u docker)"
    )
}

/// How long a joined node may take to be Ready in the manager's list.
const READY_LIMIT: Duration = Duration::from_secs(30);

/// Wait until the manager lists `node` as Ready. A join answers once the
/// node has its certificate; the manager marks it Ready only when the
/// node's agent has opened its first session, a moment later (`docker node
/// ls` says Unknown until then), and a cluster that is "up" has every node
/// Ready.
async fn until_ready(manager: &EngineClient, node: &SwarmNode) -> Result<()> {
    let info = node.client.get_json("/info").await?;
    let id = info["Swarm"]["NodeID"]
        .as_str()
        .filter(|id| !id.is_empty())
        .ok_or_else(|| anyhow!("{} is in no swarm after joining it", node.name))?;
    let path = format!("/nodes/{id}");
    poll_ready(&node.name, READY_LIMIT, || async {
        match manager.get_json(&path).await {
            Ok(seen) => Ok(seen["Status"]["State"].as_str().unwrap_or("?").to_string()),
            // A node the manager does not list yet is not Ready yet.
            Err(EngineError::Status { status: 404, .. }) => Ok("not listed".to_string()),
            Err(e) => Err(e),
        }
    })
    .await
}

/// Read a node's state (`state`) until it is "ready", for up to `limit`.
async fn poll_ready<S, SF>(name: &str, limit: Duration, state: S) -> Result<()>
where
    S: Fn() -> SF,
    SF: std::future::Future<Output = std::result::Result<String, EngineError>>,
{
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        let last = state()
            .await
            .with_context(|| format!("read {name}'s swarm state"))?;
        if last == "ready" {
            return Ok(());
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(anyhow!(
                "{name} joined the swarm but was still {last} after {} s: {}",
                limit.as_secs(),
                engine_log_hint(name)
            ));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Init the swarm on `first` and read what the others need to join it.
async fn init(ctx: &Context, first: &SwarmNode) -> Result<Joining> {
    let init_body = json!({
        "ListenAddr": listen_addr(),
        "AdvertiseAddr": format!("{}:{SWARM_PORT}", first.ip),
    });
    init_swarm(
        &first.name,
        INIT_LIMIT,
        || async {
            first
                .client
                .post_json("/swarm/init", &init_body)
                .await
                .map(|_| ())
        },
        || async {
            first
                .client
                .post_json("/swarm/leave?force=true", &json!({}))
                .await
                .map(|_| ())
        },
        |line| ctx.printer.warn(line),
    )
    .await?;
    let swarm = first
        .client
        .get_json("/swarm")
        .await
        .with_context(|| format!("read the join tokens from {}", first.name))?;
    let token = |kind: &str| {
        swarm["JoinTokens"][kind]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| anyhow!("{} gave no {kind} join token", first.name))
    };
    until_ready(&first.client, first).await?;
    Ok(Joining {
        manager: first.client.clone(),
        remote: format!("{}:{SWARM_PORT}", first.ip),
        manager_token: token("Manager")?,
        worker_token: token("Worker")?,
    })
}

/// The swarm formed during `up`'s creates: the first manager inits it as
/// soon as it is provisioned, every other node joins as soon as it is and
/// the swarm exists (managers one at a time), so what is left after the
/// last create is that node's join alone.
struct SwarmFormer {
    first: String,
    /// None until the first manager has init the swarm (or failed to).
    joining: tokio::sync::watch::Sender<Option<std::result::Result<Arc<Joining>, String>>>,
    managers: tokio::sync::Mutex<()>,
    formed: std::sync::Mutex<Vec<String>>,
}

impl NodeFormer for SwarmFormer {
    fn ready<'a>(&'a self, ctx: &'a Context, node: &'a NodeRef) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let this = swarm_nodes(ctx, std::slice::from_ref(node))?.remove(0);
            if node.machine == self.first {
                let step = ctx.printer.step("Forming the swarm over the Engine API");
                let made = init(ctx, &this).await.map(Arc::new);
                self.joining.send_replace(Some(
                    made.as_ref().map(Arc::clone).map_err(|e| format!("{e:#}")),
                ));
                made?;
                step.done();
            } else {
                let joining = self.joining_when_formed().await?;
                // A manager joins alone: each one changes the raft membership.
                let _one_at_a_time = if node.role.is_manager() {
                    Some(self.managers.lock().await)
                } else {
                    None
                };
                let step = ctx.printer.step("Joining the swarm");
                joining.join(&this).await?;
                step.done();
            }
            self.formed.lock().unwrap().push(node.machine.clone());
            Ok(())
        })
    }

    fn failed(&self, node: &NodeRef) {
        if node.machine == self.first {
            self.joining.send_replace(Some(Err(format!(
                "its first manager {} was not made",
                self.first
            ))));
        }
    }

    fn formed_all(&self, nodes: &[NodeRef]) -> bool {
        let formed = self.formed.lock().unwrap();
        nodes.iter().all(|n| formed.contains(&n.machine))
    }
}

impl SwarmFormer {
    async fn joining_when_formed(&self) -> Result<Arc<Joining>> {
        let mut watch = self.joining.subscribe();
        let state = watch
            .wait_for(Option::is_some)
            .await
            .map_err(|_| anyhow!("the swarm was never formed"))?;
        match state.as_ref().expect("waited for Some") {
            Ok(joining) => Ok(joining.clone()),
            Err(why) => Err(anyhow!("the swarm was not formed: {why}")),
        }
    }
}

/// One row of `docker node ls`, from the API.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NodeStatus {
    pub hostname: String,
    pub role: String,
    pub state: String,
    pub availability: String,
    pub leader: bool,
}

pub async fn node_statuses(manager: &EngineClient) -> Result<Vec<NodeStatus>> {
    let nodes = manager.get_json("/nodes").await?;
    let mut out: Vec<NodeStatus> = nodes
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| NodeStatus {
            hostname: n["Description"]["Hostname"]
                .as_str()
                .unwrap_or("?")
                .to_string(),
            role: n["Spec"]["Role"].as_str().unwrap_or("?").to_string(),
            state: n["Status"]["State"].as_str().unwrap_or("?").to_string(),
            availability: n["Spec"]["Availability"]
                .as_str()
                .unwrap_or("?")
                .to_string(),
            leader: n["ManagerStatus"]["Leader"].as_bool().unwrap_or(false),
        })
        .collect();
    out.sort_by(|a, b| crate::store::natural_cmp(&a.hostname, &b.hostname));
    Ok(out)
}

/// Take a node out of the swarm (before its host is removed).
pub async fn remove_node(manager: &EngineClient, hostname: &str) -> Result<()> {
    let nodes = manager.get_json("/nodes").await?;
    let id = nodes
        .as_array()
        .into_iter()
        .flatten()
        .find(|n| n["Description"]["Hostname"].as_str() == Some(hostname))
        .and_then(|n| n["ID"].as_str().map(str::to_string));
    if let Some(id) = id {
        manager
            .delete(&format!("/nodes/{id}?force=true"))
            .await
            .with_context(|| format!("remove {hostname} from the swarm"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    fn unreachable() -> EngineError {
        EngineError::Unreachable {
            url: "https://10.0.0.1:2376".into(),
            detail: "operation timed out".into(),
        }
    }

    fn in_swarm() -> EngineError {
        EngineError::Status {
            url: "https://10.0.0.1:2376".into(),
            status: 503,
            detail: "This node is already part of a swarm.".into(),
        }
    }

    /// Runs `init_swarm` with inits answering `answers` in turn (None: hang).
    async fn run(
        answers: Vec<Option<std::result::Result<(), EngineError>>>,
    ) -> (Result<()>, Vec<&'static str>, usize) {
        let calls = Mutex::new(Vec::new());
        let answers = Mutex::new(answers.into_iter());
        let warnings = Mutex::new(0);
        let result = init_swarm(
            "m",
            Duration::from_millis(50),
            || {
                calls.lock().unwrap().push("init");
                let answer = answers
                    .lock()
                    .unwrap()
                    .next()
                    .expect("no more inits expected");
                async move {
                    match answer {
                        Some(answer) => answer,
                        None => std::future::pending().await,
                    }
                }
            },
            || {
                calls.lock().unwrap().push("leave");
                async { Ok(()) }
            },
            |_| *warnings.lock().unwrap() += 1,
        )
        .await;
        let calls = calls.into_inner().unwrap();
        (result, calls, warnings.into_inner().unwrap())
    }

    #[tokio::test]
    async fn a_hung_init_leaves_the_pending_swarm_and_inits_again() {
        let (result, calls, warnings) = run(vec![None, Some(Ok(()))]).await;
        result.unwrap();
        assert_eq!(calls, ["init", "leave", "init"]);
        assert_eq!(warnings, 1);
    }

    #[tokio::test]
    async fn a_lost_answer_is_taken_for_a_hang() {
        let (result, calls, _) = run(vec![Some(Err(unreachable())), Some(Ok(()))]).await;
        result.unwrap();
        assert_eq!(calls, ["init", "leave", "init"]);
    }

    #[tokio::test]
    async fn a_formed_swarm_is_kept_and_refusals_are_not_retried() {
        let (result, calls, warnings) = run(vec![Some(Err(in_swarm()))]).await;
        result.unwrap();
        assert_eq!((calls, warnings), (vec!["init"], 0));
        let refused = EngineError::Status {
            url: "u".into(),
            status: 400,
            detail: "invalid ListenAddr".into(),
        };
        let (result, calls, _) = run(vec![Some(Err(refused))]).await;
        assert!(format!("{:#}", result.unwrap_err()).contains("invalid ListenAddr"));
        assert_eq!(calls, ["init"]);
    }

    #[tokio::test]
    async fn two_hangs_end_in_one_error_naming_the_engine_log() {
        let (result, calls, _) = run(vec![None, None]).await;
        let error = result.unwrap_err().to_string();
        assert!(
            error.contains("twice") && error.contains("machinectl ssh m"),
            "{error}"
        );
        assert_eq!(calls, ["init", "leave", "init"]);
    }

    /// Runs `poll_ready` with the states in turn (the last one repeated).
    async fn poll(states: &[&str]) -> (Result<()>, usize) {
        let reads = Mutex::new(0);
        let result = poll_ready("w", Duration::from_millis(300), || {
            let mut reads = reads.lock().unwrap();
            let state = states[(*reads).min(states.len() - 1)].to_string();
            *reads += 1;
            async move { Ok(state) }
        })
        .await;
        (result, reads.into_inner().unwrap())
    }

    #[tokio::test]
    async fn a_joined_node_is_waited_for_until_the_manager_says_ready() {
        let (result, reads) = poll(&["not listed", "unknown", "unknown", "ready"]).await;
        result.unwrap();
        assert_eq!(reads, 4);
    }

    #[tokio::test]
    async fn a_node_never_ready_is_an_error_naming_its_state_and_log() {
        let (result, reads) = poll(&["down"]).await;
        let error = result.unwrap_err().to_string();
        assert!(
            error.contains("still down") && error.contains("machinectl ssh w"),
            "{error}"
        );
        assert!((3..=5).contains(&reads), "{reads} reads");
    }
}
