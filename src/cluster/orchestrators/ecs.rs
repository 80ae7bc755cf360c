//! Amazon ECS: every node is a container instance of an ECS cluster that
//! the aws provider makes beside its stack; nodes boot with a script that
//! names the cluster to the ECS agent of the ECS-optimized AMI. There is
//! nothing to bootstrap from the client and no secret to deliver.

use anyhow::{Result, bail};
use futures::future::BoxFuture;

use crate::cluster::ClusterRecord;
use crate::cluster::orchestrators::{NodePermissions, Orchestrator, PortRange};
use crate::cluster::role::Role;
use crate::commands::Context;

pub struct Ecs;

impl Orchestrator for Ecs {
    fn manager_role(&self) -> Option<Role> {
        None
    }

    fn worker_role(&self) -> Role {
        Role::Instance
    }

    /// Dynamic host ports of tasks.
    fn ports_between_nodes(&self) -> Vec<PortRange> {
        vec![("tcp", 1024, 65535)]
    }

    fn boot_scripts(&self, _role: Role) -> Vec<(&'static str, &'static str)> {
        vec![("bootstrap/ecs/agent.sh.tera", "agent.sh")]
    }

    /// The ECS agent registers the instance and pulls images with these.
    fn node_permissions(&self) -> NodePermissions {
        NodePermissions {
            managed: vec![
                "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
            ],
            actions: Vec::new(),
        }
    }

    /// The container instances registered with the ECS cluster.
    fn status_lines<'a>(
        &'a self,
        _ctx: &'a Context,
        record: &'a ClusterRecord,
    ) -> BoxFuture<'a, Vec<Result<String, String>>> {
        Box::pin(async move {
            let Some(arn) = record.aws().and_then(|a| a.ecs_cluster.clone()) else {
                return Vec::new();
            };
            let location = record.spec.aws.location();
            let clouds = machinectl_driver_aws::stack::Clouds::connect(&location).await;
            match clouds.container_instances(&arn).await {
                Ok(instances) => {
                    let mut lines = vec![Ok(format!(
                        "ECS cluster {arn}: {} container instance(s) registered",
                        instances.len()
                    ))];
                    lines.extend(instances.into_iter().map(|i| Ok(format!("  {i}"))));
                    lines
                }
                Err(e) => vec![Err(format!("ECS container instances unknown: {e}"))],
            }
        })
    }

    fn env(&self, _ctx: &Context, record: &ClusterRecord, _shell: Option<String>) -> Result<()> {
        bail!(
            "ECS cluster {} has no docker or kubectl endpoint: run tasks with the aws CLI (aws ecs run-task --cluster machinectl-{})",
            record.name(),
            record.name()
        )
    }
}
