//! Apache Mesos with Marathon, kept for users who still run it: Mesos
//! moved to the Apache Attic in October 2025 and Marathon's repository is
//! archived (its last release is from 2020). The managers are masters:
//! each runs ZooKeeper (Debian/Ubuntu's zookeeperd) in an ensemble of the
//! masters' fixed private addresses (zoo.cfg in the user-data; a node's
//! myid is its place among them), mesos-master with `--quorum` a majority
//! and `--zk=zk://…/mesos`, and Marathon. Every other node is an agent with
//! `--containerizers=docker,mesos`. mesos-master, the agent and Marathon run
//! from Mesosphere's last images (no distribution packages them any more).
//! There are no secrets. `status` reads the agents from `/master/slaves`;
//! `env` gives MESOS_MASTER_URL and MARATHON_URL.

use std::time::Duration;

use anyhow::{Result, anyhow};
use futures::future::BoxFuture;
use serde_json::json;

use crate::cluster::orchestrators::{
    ClusterSecrets, NodeHealth, Orchestrator, PortRange, first_manager_ip, get_json, print_env,
};
use crate::cluster::render::BootPlan;
use crate::cluster::role::Role;
use crate::cluster::{ClusterRecord, machine_addresses};
use crate::commands::Context;

pub const ZK_CLIENT_PORT: u16 = 2181;
pub const MASTER_PORT: u16 = 5050;
pub const AGENT_PORT: u16 = 5051;
pub const MARATHON_PORT: u16 = 8080;
pub const MASTER_IMAGE: &str = "mesosphere/mesos-master:1.7.1";
pub const AGENT_IMAGE: &str = "mesosphere/mesos-slave:1.7.1";
pub const MARATHON_IMAGE: &str = "mesosphere/marathon:v1.8.244";

pub struct Mesos;

/// The ZooKeeper ensemble's connection string for a path (`/mesos`, `/marathon`).
pub fn zk_url(plan: &BootPlan, path: &str) -> String {
    let hosts: Vec<String> = plan
        .manager_addresses()
        .iter()
        .map(|ip| format!("{ip}:{ZK_CLIENT_PORT}"))
        .collect();
    format!("zk://{}{path}", hosts.join(","))
}

/// A majority of the masters: what `--quorum` must be.
pub fn quorum(plan: &BootPlan) -> usize {
    plan.managers / 2 + 1
}

/// Where ZooKeeper's configuration and data live on a master.
fn zk_paths(plan: &BootPlan) -> (String, String) {
    (
        format!("{}/zookeeper/zoo.cfg", plan.etc_dir),
        format!("{}/zookeeper", plan.data_dir),
    )
}

/// zoo.cfg of the masters' ensemble: `server.N` is the N-th master (its
/// myid). The AdminServer stays off (it would take Marathon's port 8080);
/// the four-letter words status checks use are allowed.
pub fn zoo_cfg(name: &str, plan: &BootPlan) -> String {
    let (_, data) = zk_paths(plan);
    let mut cfg = format!(
        "# ZooKeeper of the Mesos masters of machinectl cluster {name}\n\
         tickTime=2000\n\
         initLimit=10\n\
         syncLimit=5\n\
         dataDir={data}\n\
         clientPort={ZK_CLIENT_PORT}\n\
         admin.enableServer=false\n\
         4lw.commands.whitelist=srvr,mntr,ruok\n"
    );
    for (i, ip) in plan.manager_addresses().iter().enumerate() {
        cfg.push_str(&format!("server.{}={ip}:2888:3888\n", i + 1));
    }
    cfg
}

impl Orchestrator for Mesos {
    fn manager_role(&self) -> Option<Role> {
        Some(Role::Master)
    }

    fn worker_role(&self) -> Role {
        Role::Agent
    }

    /// ZooKeeper (client, peers, election), master, agent, Marathon, task ports.
    fn ports_between_nodes(&self) -> Vec<PortRange> {
        vec![
            ("tcp", ZK_CLIENT_PORT, ZK_CLIENT_PORT),
            ("tcp", 2888, 2888),
            ("tcp", 3888, 3888),
            ("tcp", MASTER_PORT, AGENT_PORT),
            ("tcp", MARATHON_PORT, MARATHON_PORT),
            ("tcp", 31000, 32000),
        ]
    }

    /// The master's and Marathon's HTTP APIs, for `status` and `env`.
    fn public_ports(&self) -> Vec<u16> {
        vec![MASTER_PORT, MARATHON_PORT]
    }

    fn boot_scripts(&self, role: Role) -> Vec<(&'static str, &'static str)> {
        let engine = ("bootstrap/swarm/engine.sh.tera", "engine.sh");
        if role == Role::Master {
            vec![
                engine,
                ("bootstrap/mesos/zookeeper.sh.tera", "zookeeper.sh"),
                ("bootstrap/mesos/master.sh.tera", "mesos-master.sh"),
            ]
        } else {
            vec![engine, ("bootstrap/mesos/agent.sh.tera", "mesos-agent.sh")]
        }
    }

    fn boot_values(&self, plan: &BootPlan) -> Vec<(&'static str, serde_json::Value)> {
        let (conf, data) = zk_paths(plan);
        vec![
            ("zk_conf", json!(conf)),
            ("zk_data", json!(data)),
            ("zk_servers", json!(plan.manager_addresses())),
            ("zk_mesos", json!(zk_url(plan, "/mesos"))),
            ("zk_marathon", json!(zk_url(plan, "/marathon"))),
            ("quorum", json!(quorum(plan))),
            ("mesos_data", json!(format!("{}/mesos", plan.data_dir))),
            ("master_image", json!(MASTER_IMAGE)),
            ("agent_image", json!(AGENT_IMAGE)),
            ("marathon_image", json!(MARATHON_IMAGE)),
        ]
    }

    /// The masters' zoo.cfg (public: addresses and ports).
    fn public_boot_files(
        &self,
        role: Role,
        _secrets: &ClusterSecrets,
        plan: &BootPlan,
    ) -> Result<Vec<(String, String)>> {
        if role != Role::Master {
            return Ok(Vec::new());
        }
        let (conf, _) = zk_paths(plan);
        Ok(vec![(conf, zoo_cfg(&plan.cluster_name, plan))])
    }

    /// The agents the master knows (`/master/slaves`; a standby master
    /// redirects to the leader).
    fn health<'a>(
        &'a self,
        ctx: &'a Context,
        record: &'a ClusterRecord,
    ) -> BoxFuture<'a, Result<Vec<NodeHealth>>> {
        Box::pin(async move {
            let ip = first_master(ctx, record)?;
            let timeout = Duration::from_secs(10);
            let http = reqwest::Client::builder()
                .timeout(timeout)
                .connect_timeout(timeout)
                .no_proxy()
                .build()?;
            let base = format!("http://{ip}:{MASTER_PORT}");
            let who = format!("the Mesos master at {ip}:{MASTER_PORT}");
            let slaves = get_json(&http, &base, "/master/slaves", &who).await?;
            Ok(parse_slaves(&slaves))
        })
    }

    /// Each master's ZooKeeper, as its `srvr` four-letter word reports it.
    fn status_lines<'a>(
        &'a self,
        ctx: &'a Context,
        record: &'a ClusterRecord,
    ) -> BoxFuture<'a, Vec<Result<String, String>>> {
        Box::pin(async move {
            let masters = record.nodes.iter().filter(|n| n.role == Role::Master);
            let asks = masters.map(|node| async move {
                let ip = machine_addresses(ctx, &node.machine).into_iter().next();
                let Some(ip) = ip else {
                    return Err(format!("ZooKeeper on {}: no address", node.machine));
                };
                match zk_mode(&ip).await {
                    Ok(mode) => Ok(format!("ZooKeeper on {} ({ip}): {mode}", node.machine)),
                    Err(e) => Err(format!(
                        "ZooKeeper on {} ({ip}) did not answer: {e}",
                        node.machine
                    )),
                }
            });
            futures::future::join_all(asks).await
        })
    }

    fn env(&self, ctx: &Context, record: &ClusterRecord, shell: Option<String>) -> Result<()> {
        let ip = first_master(ctx, record)?;
        print_env(
            ctx,
            shell,
            &[
                ("MESOS_MASTER_URL", format!("http://{ip}:{MASTER_PORT}")),
                ("MARATHON_URL", format!("http://{ip}:{MARATHON_PORT}")),
            ],
            "curl \"$MESOS_MASTER_URL/master/slaves\" (Mesos is in the Apache Attic; Marathon is archived)",
        )
    }
}

/// The `Mode:` (leader, follower, standalone) ZooKeeper at `ip` reports to `srvr`.
pub async fn zk_mode(ip: &str) -> Result<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let ask = async {
        let mut stream = tokio::net::TcpStream::connect((ip, ZK_CLIENT_PORT)).await?;
        stream.write_all(b"srvr").await?;
        let mut reply = String::new();
        stream.read_to_string(&mut reply).await?;
        anyhow::Ok(reply)
    };
    let reply = tokio::time::timeout(Duration::from_secs(5), ask)
        .await
        .map_err(|_| anyhow!("no answer within 5 s"))??;
    reply
        .lines()
        .find_map(|l| l.strip_prefix("Mode: "))
        .map(|m| m.trim().to_string())
        .ok_or_else(|| anyhow!("no Mode in its answer to srvr"))
}

fn first_master(ctx: &Context, record: &ClusterRecord) -> Result<std::net::IpAddr> {
    Ok(first_manager_ip(ctx, record, "master")?.0)
}

/// Agents as `/master/slaves` lists them: known by hostname and the address
/// in their pid (`slave(1)@10.40.1.13:5051`).
pub fn parse_slaves(body: &serde_json::Value) -> Vec<NodeHealth> {
    body["slaves"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            let mut known_as: Vec<String> = s["hostname"]
                .as_str()
                .map(str::to_string)
                .into_iter()
                .collect();
            if let Some(address) = s["pid"]
                .as_str()
                .and_then(|p| p.split_once('@'))
                .and_then(|(_, a)| a.rsplit_once(':'))
                .map(|(ip, _)| ip.to_string())
            {
                known_as.push(address);
            }
            NodeHealth {
                known_as,
                status: if s["active"].as_bool() == Some(true) {
                    "active"
                } else {
                    "inactive"
                }
                .to_string(),
                role: "agent".to_string(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ensemble_quorum_and_zk_urls_follow_the_masters() {
        let spec = crate::cluster::ClusterSpec::resolve(
            Some("m".into()),
            Default::default(),
            crate::cluster::spec::SpecFields {
                provider: Some(crate::cluster::ProviderKind::Aws),
                orchestrator: Some(crate::cluster::OrchestratorKind::Mesos),
                nodes: Some(5),
                managers: Some(3),
                ..Default::default()
            },
        )
        .unwrap();
        let plan = BootPlan::aws(&spec, "abc");
        assert_eq!(quorum(&plan), 2);
        assert_eq!(
            zk_url(&plan, "/mesos"),
            "zk://10.40.1.10:2181,10.40.1.11:2181,10.40.1.12:2181/mesos"
        );
        let cfg = zoo_cfg("m", &plan);
        assert!(cfg.contains("server.1=10.40.1.10:2888:3888\n"), "{cfg}");
        assert!(cfg.contains("server.3=10.40.1.12:2888:3888\n"), "{cfg}");
        assert!(!cfg.contains("server.4"), "{cfg}");
        assert!(cfg.contains("admin.enableServer=false"), "{cfg}");
    }

    #[test]
    fn slaves_are_known_by_hostname_and_pid_address() {
        let body = json!({"slaves": [
            {"hostname": "ip-10-40-1-13", "pid": "slave(1)@10.40.1.13:5051", "active": true},
            {"hostname": "m-agent-1", "pid": "slave(1)@10.231.0.9:5051", "active": false}
        ]});
        let parsed = parse_slaves(&body);
        assert_eq!(parsed[0].known_as, ["ip-10-40-1-13", "10.40.1.13"]);
        assert_eq!(parsed[0].status, "active");
        assert_eq!(parsed[1].status, "inactive");
    }
}
