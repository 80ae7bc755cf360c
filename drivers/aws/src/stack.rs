//! CloudFormation stacks and ECS clusters for clusterctl: create a stack and
//! wait for it with its events, find what a cluster made by tag, and delete
//! it all again.

use std::collections::HashSet;
use std::time::Duration;

use aws_sdk_cloudformation::error::ProvideErrorMetadata;
use aws_sdk_cloudformation::types::{Capability, OnFailure, ResourceStatus, StackStatus, Tag};
use machinectl_driver_api::retry::Backoff;
use machinectl_driver_api::{DriverError, Result};

use crate::Location;
use crate::ec2::{Ec2, shared_config};

/// The tag naming a cluster on everything it made, and the one naming one
/// `up` of it (two clusters of one name never share an id).
pub const CLUSTER_TAG: &str = "machinectl:cluster";
pub const CLUSTER_ID_TAG: &str = "machinectl:cluster-id";

/// What kind of resource a tag search found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaggedKind {
    Stack,
    EcsCluster,
    KeyPair,
    Instance,
    Vpc,
}

impl TaggedKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TaggedKind::Stack => "stack",
            TaggedKind::EcsCluster => "ECS cluster",
            TaggedKind::KeyPair => "key pair",
            TaggedKind::Instance => "instance",
            TaggedKind::Vpc => "VPC",
        }
    }
}

/// A resource found by a cluster's tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tagged {
    pub kind: TaggedKind,
    /// What the API takes to delete it (stack id, ARN, key name, resource id).
    pub id: String,
    /// What a person reads (stack name, cluster name, …).
    pub label: String,
    /// Its `machinectl:cluster-id` tag; none on resources made before ids.
    pub cluster_id: Option<String>,
}

/// How long a stack may take to create or delete.
const STACK_WAIT: Duration = Duration::from_secs(1800);

/// How often a stack's status and events are polled.
const STACK_POLL: Duration = Duration::from_secs(5);

fn sdk_error<E>(what: &str, error: aws_sdk_cloudformation::error::SdkError<E>) -> DriverError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let detail = match (error.code(), error.message()) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (Some(code), None) => code.to_string(),
        _ => crate::ec2::unexplained(&error),
    };
    DriverError::Command {
        what: what.into(),
        detail: detail.lines().next().unwrap_or_default().to_string(),
    }
}

/// One stack event, for live progress and failure reports.
#[derive(Debug, Clone)]
pub struct StackEvent {
    pub logical_id: String,
    pub resource_type: String,
    pub status: String,
    pub reason: String,
}

impl StackEvent {
    pub fn failed(&self) -> bool {
        self.status.ends_with("_FAILED")
    }
}

/// Whether CloudFormation is still working on a stack in this status.
fn in_progress(status: &StackStatus) -> bool {
    matches!(
        status,
        StackStatus::CreateInProgress
            | StackStatus::DeleteInProgress
            | StackStatus::ImportInProgress
            | StackStatus::ImportRollbackInProgress
            | StackStatus::ReviewInProgress
            | StackStatus::RollbackInProgress
            | StackStatus::UpdateCompleteCleanupInProgress
            | StackStatus::UpdateInProgress
            | StackStatus::UpdateRollbackCompleteCleanupInProgress
            | StackStatus::UpdateRollbackInProgress
    )
}

/// How a wait ended.
#[derive(Debug, Clone)]
pub struct StackOutcome {
    pub status: StackStatus,
    pub complete: bool,
    /// The events of resources that failed.
    pub failures: Vec<StackEvent>,
}

impl StackOutcome {
    /// The first failed resource and why, for a one-line error.
    pub fn first_failure(&self) -> String {
        self.failures
            .first()
            .map(|f| format!("{}: {}", f.logical_id, f.reason))
            .unwrap_or_else(|| "see the events above".into())
    }
}

pub struct Clouds {
    pub ec2: Ec2,
    cfn: aws_sdk_cloudformation::Client,
    ecs: aws_sdk_ecs::Client,
}

impl Clouds {
    pub async fn connect(location: &Location) -> Clouds {
        let shared = shared_config(location).await;
        Clouds {
            ec2: Ec2::from_config(&shared),
            cfn: aws_sdk_cloudformation::Client::new(&shared),
            ecs: aws_sdk_ecs::Client::new(&shared),
        }
    }

    pub async fn create_stack(
        &self,
        name: &str,
        body: &str,
        tags: &[(String, String)],
        iam: bool,
    ) -> Result<String> {
        let mut request = self
            .cfn
            .create_stack()
            .stack_name(name)
            .template_body(body)
            .on_failure(OnFailure::Rollback)
            .set_tags(Some(
                tags.iter()
                    .map(|(k, v)| Tag::builder().key(k).value(v).build())
                    .collect(),
            ));
        if iam {
            request = request.capabilities(Capability::CapabilityIam);
        }
        let out = request
            .send()
            .await
            .map_err(|e| sdk_error(&format!("CreateStack {name}"), e))?;
        Ok(out.stack_id().unwrap_or(name).to_string())
    }

    async fn status(&self, name: &str) -> Result<Option<StackStatus>> {
        match self.cfn.describe_stacks().stack_name(name).send().await {
            Ok(out) => Ok(out.stacks().first().and_then(|s| s.stack_status().cloned())),
            Err(e) if e.message().is_some_and(|m| m.contains("does not exist")) => Ok(None),
            Err(e) => Err(sdk_error(&format!("DescribeStacks {name}"), e)),
        }
    }

    async fn events(&self, name: &str) -> Result<Vec<(String, StackEvent)>> {
        let mut events = Vec::new();
        let mut pages = self
            .cfn
            .describe_stack_events()
            .stack_name(name)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| sdk_error(&format!("DescribeStackEvents {name}"), e))?;
            for e in page.stack_events() {
                events.push((
                    e.event_id().unwrap_or_default().to_string(),
                    StackEvent {
                        logical_id: e.logical_resource_id().unwrap_or_default().to_string(),
                        resource_type: e.resource_type().unwrap_or_default().to_string(),
                        status: e
                            .resource_status()
                            .map(ResourceStatus::as_str)
                            .unwrap_or_default()
                            .to_string(),
                        reason: e.resource_status_reason().unwrap_or_default().to_string(),
                    },
                ));
            }
        }
        // The API lists newest first; report in the order things happened.
        events.reverse();
        Ok(events)
    }

    /// Wait until the stack settles, reporting each new event as it appears.
    pub async fn wait_created(
        &self,
        name: &str,
        on_event: &mut (dyn FnMut(&StackEvent) + Send),
    ) -> Result<StackOutcome> {
        self.wait_for(name, StackStatus::CreateComplete, HashSet::new(), on_event)
            .await
    }

    /// Update the stack in place to `body`. Returns false when the template
    /// changes nothing (CloudFormation refuses such an update).
    pub async fn update_stack(&self, name: &str, body: &str, iam: bool) -> Result<bool> {
        let mut request = self.cfn.update_stack().stack_name(name).template_body(body);
        if iam {
            request = request.capabilities(Capability::CapabilityIam);
        }
        match request.send().await {
            Ok(_) => Ok(true),
            Err(e)
                if e.message()
                    .is_some_and(|m| m.contains("No updates are to be performed")) =>
            {
                Ok(false)
            }
            Err(e) => Err(sdk_error(&format!("UpdateStack {name}"), e)),
        }
    }

    /// Ids of the events the stack has so far, so a wait shows only new ones.
    pub async fn event_ids(&self, name: &str) -> Result<HashSet<String>> {
        Ok(self
            .events(name)
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .collect())
    }

    /// Wait for an update begun after the events in `seen`.
    pub async fn wait_updated(
        &self,
        name: &str,
        seen: HashSet<String>,
        on_event: &mut (dyn FnMut(&StackEvent) + Send),
    ) -> Result<StackOutcome> {
        self.wait_for(name, StackStatus::UpdateComplete, seen, on_event)
            .await
    }

    /// Show new events until the stack reaches `done` (complete) or any
    /// other settled status (failed).
    async fn wait_for(
        &self,
        name: &str,
        done: StackStatus,
        mut seen: HashSet<String>,
        on_event: &mut (dyn FnMut(&StackEvent) + Send),
    ) -> Result<StackOutcome> {
        let mut backoff = Backoff::every(STACK_POLL, STACK_WAIT);
        let mut failures = Vec::new();
        loop {
            for (id, event) in self.events(name).await? {
                if seen.insert(id) {
                    if event.failed() {
                        failures.push(event.clone());
                    }
                    on_event(&event);
                }
            }
            let status = self.status(name).await?.ok_or_else(|| {
                DriverError::Other(format!("stack {name} disappeared while we waited for it"))
            })?;
            if status == done || !in_progress(&status) {
                return Ok(StackOutcome {
                    complete: status == done,
                    status,
                    failures,
                });
            }
            if !backoff.pause().await {
                return Err(DriverError::Other(format!(
                    "stack {name} was still {} after {} s",
                    status.as_str(),
                    STACK_WAIT.as_secs()
                )));
            }
        }
    }

    /// (logical id, instance id) of the stack's instances.
    pub async fn instances(&self, name: &str) -> Result<Vec<(String, String)>> {
        let out = self
            .cfn
            .describe_stack_resources()
            .stack_name(name)
            .send()
            .await
            .map_err(|e| sdk_error(&format!("DescribeStackResources {name}"), e))?;
        let mut instances: Vec<(String, String)> = out
            .stack_resources()
            .iter()
            .filter(|r| r.resource_type() == Some("AWS::EC2::Instance"))
            .filter_map(|r| {
                Some((
                    r.logical_resource_id()?.to_string(),
                    r.physical_resource_id()?.to_string(),
                ))
            })
            .collect();
        instances.sort();
        Ok(instances)
    }

    /// Delete the stack; with `wait`, until it is gone. A missing stack is fine.
    pub async fn delete_stack(&self, name: &str, wait: bool) -> Result<()> {
        // A stack whose status cannot be read (a half-made one) is deleted all the same.
        if let Ok(None) = self.status(name).await {
            return Ok(());
        }
        self.cfn
            .delete_stack()
            .stack_name(name)
            .send()
            .await
            .map_err(|e| sdk_error(&format!("DeleteStack {name}"), e))?;
        if !wait {
            return Ok(());
        }
        let mut backoff = Backoff::every(STACK_POLL, STACK_WAIT);
        loop {
            match self.status(name).await? {
                None | Some(StackStatus::DeleteComplete) => return Ok(()),
                Some(StackStatus::DeleteFailed) => {
                    return Err(DriverError::Other(format!(
                        "stack {name} failed to delete: see its events with `aws cloudformation describe-stack-events --stack-name {name}`"
                    )));
                }
                Some(status) if !backoff.pause().await => {
                    return Err(DriverError::Other(format!(
                        "stack {name} was still {} after {} s",
                        status.as_str(),
                        STACK_WAIT.as_secs()
                    )));
                }
                Some(_) => {}
            }
        }
    }

    /// Live stacks tagged `machinectl:cluster=CLUSTER`, plus the stack of
    /// the cluster's name whatever its tags (a name is taken either way).
    pub async fn stacks_of(&self, cluster: &str) -> Result<Vec<Tagged>> {
        let own_name = format!("machinectl-{cluster}");
        let mut found = Vec::new();
        let mut pages = self.cfn.describe_stacks().into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| sdk_error("DescribeStacks", e))?;
            for stack in page.stacks() {
                let tag = |key: &str| {
                    stack
                        .tags()
                        .iter()
                        .find(|t| t.key() == Some(key))
                        .and_then(|t| t.value())
                        .map(str::to_string)
                };
                let name = stack.stack_name().unwrap_or_default();
                let ours = tag(CLUSTER_TAG).as_deref() == Some(cluster) || name == own_name;
                let live = stack.stack_status() != Some(&StackStatus::DeleteComplete);
                if ours && live {
                    found.push(Tagged {
                        kind: TaggedKind::Stack,
                        id: stack.stack_id().unwrap_or(name).to_string(),
                        label: name.to_string(),
                        cluster_id: tag(CLUSTER_ID_TAG),
                    });
                }
            }
        }
        Ok(found)
    }

    /// Everything that carries `machinectl:cluster=CLUSTER` (stacks, ECS
    /// clusters, key pairs, instances, VPCs), each with its cluster id.
    pub async fn find_cluster(&self, cluster: &str) -> Result<Vec<Tagged>> {
        let mut found = self.stacks_of(cluster).await?;
        found.extend(self.ecs_clusters_of(cluster).await?);
        found.extend(self.ec2.tagged_with(CLUSTER_TAG, cluster).await?);
        Ok(found)
    }

    pub async fn create_ecs_cluster(
        &self,
        name: &str,
        tags: &[(String, String)],
    ) -> Result<String> {
        let out = self
            .ecs
            .create_cluster()
            .cluster_name(name)
            .set_tags(Some(
                tags.iter()
                    .map(|(k, v)| aws_sdk_ecs::types::Tag::builder().key(k).value(v).build())
                    .collect(),
            ))
            .send()
            .await
            .map_err(|e| DriverError::Command {
                what: format!("ECS CreateCluster {name}"),
                detail: aws_sdk_ecs::error::DisplayErrorContext(&e).to_string(),
            })?;
        Ok(out
            .cluster()
            .and_then(|c| c.cluster_arn())
            .unwrap_or(name)
            .to_string())
    }

    /// Active ECS clusters tagged `machinectl:cluster=CLUSTER`.
    pub async fn ecs_clusters_of(&self, cluster: &str) -> Result<Vec<Tagged>> {
        let listed = self
            .ecs
            .list_clusters()
            .send()
            .await
            .map_err(|e| DriverError::Command {
                what: "ECS ListClusters".into(),
                detail: aws_sdk_ecs::error::DisplayErrorContext(&e).to_string(),
            })?;
        let arns = listed.cluster_arns().to_vec();
        if arns.is_empty() {
            return Ok(Vec::new());
        }
        let described = self
            .ecs
            .describe_clusters()
            .set_clusters(Some(arns))
            .include(aws_sdk_ecs::types::ClusterField::Tags)
            .send()
            .await
            .map_err(|e| DriverError::Command {
                what: "ECS DescribeClusters".into(),
                detail: aws_sdk_ecs::error::DisplayErrorContext(&e).to_string(),
            })?;
        Ok(described
            .clusters()
            .iter()
            .filter(|c| c.status() == Some("ACTIVE"))
            .filter_map(|c| {
                let tag = |key: &str| {
                    c.tags()
                        .iter()
                        .find(|t| t.key() == Some(key))
                        .and_then(|t| t.value())
                        .map(str::to_string)
                };
                (tag(CLUSTER_TAG).as_deref() == Some(cluster)).then(|| Tagged {
                    kind: TaggedKind::EcsCluster,
                    id: c.cluster_arn().unwrap_or_default().to_string(),
                    label: c.cluster_name().unwrap_or_default().to_string(),
                    cluster_id: tag(CLUSTER_ID_TAG),
                })
            })
            .collect())
    }

    pub async fn delete_ecs_cluster(&self, arn: &str) -> Result<()> {
        self.ecs
            .delete_cluster()
            .cluster(arn)
            .send()
            .await
            .map_err(|e| DriverError::Command {
                what: format!("ECS DeleteCluster {arn}"),
                detail: aws_sdk_ecs::error::DisplayErrorContext(&e).to_string(),
            })?;
        Ok(())
    }

    /// Container instances registered with an ECS cluster.
    pub async fn container_instances(&self, cluster: &str) -> Result<Vec<String>> {
        let out = self
            .ecs
            .list_container_instances()
            .cluster(cluster)
            .send()
            .await
            .map_err(|e| DriverError::Command {
                what: format!("ECS ListContainerInstances {cluster}"),
                detail: aws_sdk_ecs::error::DisplayErrorContext(&e).to_string(),
            })?;
        Ok(out.container_instance_arns().to_vec())
    }
}
