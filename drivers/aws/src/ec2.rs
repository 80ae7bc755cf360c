//! The EC2 (and SSM) calls the driver makes, each turned into a one-line
//! error that says what failed, and bounded waits that say what they wait for.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use aws_sdk_ec2::config::interceptors::BeforeSerializationInterceptorContextRef;
use aws_sdk_ec2::config::{ConfigBag, Intercept};
use aws_sdk_ec2::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_sdk_ec2::types::{
    BlockDeviceMapping, EbsBlockDevice, Filter, HttpTokensState, IamInstanceProfileSpecification,
    InstanceMarketOptionsRequest, InstanceMetadataEndpointState, InstanceMetadataOptionsRequest,
    InstanceNetworkInterfaceSpecification, InstanceStateName, IpPermission, IpRange, MarketType,
    ResourceType, SpotMarketOptions, Tag, TagSpecification, VolumeType,
};
use machinectl_driver_api::retry::{self, Backoff};
use machinectl_driver_api::{DriverError, MachineState, Result};

use crate::{Location, UBUNTU_AMI_PARAMETER};

/// EC2 and SSM operations made by this process (reported under --debug).
static CALLS: AtomicUsize = AtomicUsize::new(0);

pub fn api_calls() -> usize {
    CALLS.load(Ordering::Relaxed)
}

#[derive(Debug)]
struct CallCounter;

impl Intercept for CallCounter {
    fn name(&self) -> &'static str {
        "machinectl-call-counter"
    }

    fn read_before_execution(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _cfg: &mut ConfigBag,
    ) -> std::result::Result<(), Box<dyn std::error::Error + Send + Sync>> {
        CALLS.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// The SDK configuration for a location: region, profile, endpoint, and
/// the standard retry policy (throttling and transient errors, 5 attempts).
pub async fn shared_config(location: &Location) -> aws_config::SdkConfig {
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(location.region.clone()))
        .retry_config(retry_config());
    if let Some(profile) = &location.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(endpoint) = &location.endpoint {
        loader = loader.endpoint_url(endpoint);
    }
    loader.load().await
}

/// The SDK's standard retry policy, 5 attempts; its back-off shrinks to
/// almost nothing under MACHINECTL_NO_RETRY_DELAY, like every other wait.
fn retry_config() -> aws_config::retry::RetryConfig {
    let config = aws_config::retry::RetryConfig::standard().with_max_attempts(5);
    if retry::delays_off() {
        config
            .with_initial_backoff(Duration::from_millis(10))
            .with_max_backoff(Duration::from_millis(50))
    } else {
        config
    }
}

/// How long an instance may take to reach a state.
const STATE_WAIT: Duration = Duration::from_secs(600);

/// How often an instance's state is polled.
const STATE_POLL: Duration = Duration::from_secs(3);

/// An SDK error as one line: the service's code and message when it sent them.
fn api_error<E>(what: &str, error: aws_sdk_ec2::error::SdkError<E>) -> DriverError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let detail = match (error.code(), error.message()) {
        (Some(code), Some(message)) => format!("{code}: {message}{}", credentials_fix(code)),
        (Some(code), None) => format!("{code}{}", credentials_fix(code)),
        _ => unexplained(&error),
    };
    DriverError::Command {
        what: what.to_string(),
        detail: detail.lines().next().unwrap_or_default().to_string(),
    }
}

/// The fix for the codes EC2 answers when the credentials themselves are wrong.
fn credentials_fix(code: &str) -> &'static str {
    match code {
        "AuthFailure"
        | "InvalidClientTokenId"
        | "SignatureDoesNotMatch"
        | "UnrecognizedClientException" => {
            " (check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or --aws-profile)"
        }
        "UnauthorizedOperation" => " (grant these credentials the EC2 permission in IAM)",
        _ => "",
    }
}

/// An SDK error the service did not explain: its HTTP status, or a short cause.
pub(crate) fn unexplained<E, R>(error: &aws_sdk_ec2::error::SdkError<E, R>) -> String
where
    E: std::error::Error + 'static,
    R: std::fmt::Debug,
{
    use aws_sdk_ec2::error::SdkError;
    match error {
        SdkError::ServiceError(_) | SdkError::ResponseError(_) => {
            "the service answered with an error it did not explain (is --aws-endpoint right?)"
                .into()
        }
        SdkError::TimeoutError(_) => "the request timed out".into(),
        SdkError::DispatchFailure(_) => {
            // The innermost cause says why ("Connection refused", a DNS failure).
            let mut cause: &dyn std::error::Error = error;
            while let Some(next) = cause.source() {
                cause = next;
            }
            if cause.to_string().contains("no credentials") {
                return "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give --aws-profile".into();
            }
            format!(
                "cannot reach the service: {} (check --aws-endpoint, --aws-region and the network)",
                cause.to_string().chars().take(120).collect::<String>()
            )
        }
        _ => DisplayErrorContext(error)
            .to_string()
            .chars()
            .take(200)
            .collect(),
    }
}

fn error_code<E: ProvideErrorMetadata>(error: &aws_sdk_ec2::error::SdkError<E>) -> &str {
    error.code().unwrap_or_default()
}

fn tag_spec(kind: ResourceType, tags: &[(String, String)]) -> TagSpecification {
    TagSpecification::builder()
        .resource_type(kind)
        .set_tags(Some(
            tags.iter()
                .map(|(k, v)| Tag::builder().key(k).value(v).build())
                .collect(),
        ))
        .build()
}

/// `self.client.<describe>()` filtered by a tag, its error naming the call.
macro_rules! describe_tagged {
    ($self:expr, $call:ident, $tag:expr, $what:literal) => {
        $self
            .client
            .$call()
            .filters($tag.clone())
            .send()
            .await
            .map_err(|e| api_error(concat!($what, " by tag"), e))?
    };
}

/// A delete's outcome as what it removed: gone already is fine.
fn gone_or_error<T, E>(
    outcome: std::result::Result<T, aws_sdk_ec2::error::SdkError<E>>,
    kind: &str,
    id: &str,
    call: &str,
) -> Result<Option<String>>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match outcome {
        Ok(_) => Ok(Some(format!("{kind} {id}"))),
        Err(e) if error_code(&e).ends_with("NotFound") => Ok(None),
        Err(e) => Err(api_error(&format!("{call} {id}"), e)),
    }
}

fn filter(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}

fn machine_state(name: Option<&InstanceStateName>) -> MachineState {
    match name {
        Some(InstanceStateName::Pending) => MachineState::Starting,
        Some(InstanceStateName::Running) => MachineState::Running,
        Some(InstanceStateName::Stopping) | Some(InstanceStateName::ShuttingDown) => {
            MachineState::Stopping
        }
        Some(InstanceStateName::Stopped) => MachineState::Stopped,
        Some(InstanceStateName::Terminated) => MachineState::NotFound,
        _ => MachineState::Error,
    }
}

/// What RunInstances gets.
pub struct Launch<'a> {
    pub ami: &'a str,
    pub instance_type: &'a str,
    pub key_name: &'a str,
    pub subnet: &'a str,
    pub security_group: &'a str,
    pub root_device: &'a str,
    pub root_size: i32,
    pub public_ip: bool,
    pub iam_instance_profile: Option<&'a str>,
    pub spot_price: Option<&'a str>,
    /// Plain text; RunInstances takes it base64-encoded.
    pub user_data: Option<&'a str>,
    pub tags: &'a [(String, String)],
}

pub struct Ec2 {
    client: aws_sdk_ec2::Client,
    ssm: aws_sdk_ssm::Client,
}

impl Ec2 {
    pub async fn connect(location: &Location) -> Ec2 {
        Ec2::from_config(&shared_config(location).await)
    }

    pub fn from_config(shared: &aws_config::SdkConfig) -> Ec2 {
        let ec2 = aws_sdk_ec2::config::Builder::from(shared)
            .interceptor(CallCounter)
            .build();
        let ssm = aws_sdk_ssm::config::Builder::from(shared)
            .interceptor(SsmCallCounter)
            .build();
        Ec2 {
            client: aws_sdk_ec2::Client::from_conf(ec2),
            ssm: aws_sdk_ssm::Client::from_conf(ssm),
        }
    }

    /// The current Ubuntu 24.04 AMI of the region, from Canonical's SSM parameter.
    pub async fn ubuntu_ami(&self, location: &Location) -> Result<String> {
        let answer = self
            .ssm
            .get_parameter()
            .name(UBUNTU_AMI_PARAMETER)
            .send()
            .await;
        match answer {
            Ok(out) => out
                .parameter()
                .and_then(|p| p.value())
                .map(str::to_string)
                .ok_or_else(|| DriverError::Other("the SSM parameter has no value".into())),
            Err(e) => {
                let detail = match (e.code(), e.message()) {
                    (Some(code), Some(message)) => format!("{code}: {message}"),
                    _ => unexplained(&e),
                };
                Err(DriverError::Other(format!(
                    "cannot find the current Ubuntu 24.04 AMI in {} (SSM parameter {UBUNTU_AMI_PARAMETER}: {}): pass --aws-ami",
                    location.region,
                    detail.lines().next().unwrap_or_default()
                )))
            }
        }
    }

    /// The AMI's root device name; fails when the AMI does not exist.
    pub async fn root_device(&self, ami: &str) -> Result<String> {
        let out = self
            .client
            .describe_images()
            .image_ids(ami)
            .send()
            .await
            .map_err(|e| api_error(&format!("DescribeImages {ami}"), e))?;
        let image = out.images().first().ok_or_else(|| {
            DriverError::InvalidOption(format!(
                "AMI {ami} does not exist in this region: check --aws-ami and --aws-region"
            ))
        })?;
        Ok(image.root_device_name().unwrap_or("/dev/sda1").to_string())
    }

    /// VPC and subnet: given, or the default VPC and its subnet in the zone.
    pub async fn network(
        &self,
        region: &str,
        zone: &str,
        vpc: Option<&str>,
        subnet: Option<&str>,
    ) -> Result<(String, String)> {
        if let Some(subnet) = subnet {
            let out = self
                .client
                .describe_subnets()
                .subnet_ids(subnet)
                .send()
                .await
                .map_err(|e| api_error(&format!("DescribeSubnets {subnet}"), e))?;
            let found = out.subnets().first().ok_or_else(|| {
                DriverError::InvalidOption(format!(
                    "subnet {subnet} does not exist: check --aws-subnet-id"
                ))
            })?;
            let subnet_vpc = found.vpc_id().unwrap_or_default().to_string();
            if let Some(vpc) = vpc
                && vpc != subnet_vpc
            {
                return Err(DriverError::InvalidOption(format!(
                    "subnet {subnet} is in {subnet_vpc}, not in --aws-vpc-id {vpc}"
                )));
            }
            return Ok((subnet_vpc, subnet.to_string()));
        }
        let vpc = match vpc {
            Some(vpc) => vpc.to_string(),
            None => {
                let out = self
                    .client
                    .describe_vpcs()
                    .filters(filter("is-default", "true"))
                    .send()
                    .await
                    .map_err(|e| api_error("DescribeVpcs (default VPC)", e))?;
                out.vpcs()
                    .first()
                    .and_then(|v| v.vpc_id())
                    .map(str::to_string)
                    .ok_or_else(|| {
                        DriverError::InvalidOption(format!(
                            "{region} has no default VPC: pass --aws-vpc-id and --aws-subnet-id"
                        ))
                    })?
            }
        };
        let az = format!("{region}{zone}");
        let out = self
            .client
            .describe_subnets()
            .filters(filter("vpc-id", &vpc))
            .filters(filter("availability-zone", &az))
            .send()
            .await
            .map_err(|e| api_error(&format!("DescribeSubnets in {vpc}"), e))?;
        let subnet = out
            .subnets()
            .first()
            .and_then(|s| s.subnet_id())
            .map(str::to_string)
            .ok_or_else(|| {
                DriverError::InvalidOption(format!(
                    "{vpc} has no subnet in {az}: pass --aws-subnet-id or another --aws-zone"
                ))
            })?;
        Ok((vpc, subnet))
    }

    /// Find or make the security group. Returns its id and whether it is
    /// machinectl's own; ports are opened separately, once the id is recorded.
    pub async fn security_group(
        &self,
        name: &str,
        vpc: &str,
        tags: &[(String, String)],
    ) -> Result<(String, bool)> {
        // Two creates at once in a fresh VPC may both find no group: the
        // one whose create is refused as a duplicate takes the other's.
        for attempt in 0..2 {
            if let Some(found) = self.find_security_group(name, vpc).await? {
                return Ok(found);
            }
            let mut group_tags: Vec<(String, String)> = tags.to_vec();
            if let Some(tag) = group_tags.iter_mut().find(|(k, _)| k == "Name") {
                tag.1 = name.to_string();
            }
            let made = self
                .client
                .create_security_group()
                .group_name(name)
                .description("machinectl: SSH and the Docker engine's TLS port")
                .vpc_id(vpc)
                .tag_specifications(tag_spec(ResourceType::SecurityGroup, &group_tags))
                .send()
                .await;
            match made {
                Ok(made) => return Ok((made.group_id().unwrap_or_default().to_string(), true)),
                Err(e) if attempt == 0 && error_code(&e) == "InvalidGroup.Duplicate" => {}
                Err(e) => return Err(api_error(&format!("CreateSecurityGroup {name}"), e)),
            }
        }
        Err(DriverError::Other(format!(
            "security group {name} in {vpc} was made by another process but cannot be found: try again"
        )))
    }

    /// The group of that name in the VPC, and whether machinectl made it.
    async fn find_security_group(&self, name: &str, vpc: &str) -> Result<Option<(String, bool)>> {
        let out = self
            .client
            .describe_security_groups()
            .filters(filter("group-name", name))
            .filters(filter("vpc-id", vpc))
            .send()
            .await
            .map_err(|e| api_error(&format!("DescribeSecurityGroups {name}"), e))?;
        Ok(out.security_groups().first().map(|group| {
            let managed = group
                .tags()
                .iter()
                .any(|t| t.key() == Some("machinectl:managed") && t.value() == Some("true"));
            (group.group_id().unwrap_or_default().to_string(), managed)
        }))
    }

    /// Make sure SSH and the engine port of group `id` are open to `cidr`.
    pub async fn open_ports(&self, id: &str, engine_port: u16, cidr: &str) -> Result<()> {
        for port in [22, i32::from(engine_port)] {
            let permission = IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(port)
                .to_port(port)
                .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
                .build();
            let result = self
                .client
                .authorize_security_group_ingress()
                .group_id(id)
                .ip_permissions(permission)
                .send()
                .await;
            if let Err(e) = result
                && error_code(&e) != "InvalidPermission.Duplicate"
            {
                return Err(api_error(
                    &format!("AuthorizeSecurityGroupIngress {id} port {port}"),
                    e,
                ));
            }
        }
        Ok(())
    }

    pub async fn import_key_pair(
        &self,
        name: &str,
        public_key: &str,
        tags: &[(String, String)],
    ) -> Result<()> {
        self.client
            .import_key_pair()
            .key_name(name)
            .public_key_material(aws_sdk_ec2::primitives::Blob::new(
                public_key.trim().as_bytes(),
            ))
            .tag_specifications(tag_spec(ResourceType::KeyPair, tags))
            .send()
            .await
            .map_err(|e| api_error(&format!("ImportKeyPair {name}"), e))?;
        Ok(())
    }

    pub async fn run_instance(&self, launch: Launch<'_>) -> Result<String> {
        let mut request = self
            .client
            .run_instances()
            .image_id(launch.ami)
            .instance_type(launch.instance_type.into())
            .min_count(1)
            .max_count(1)
            .key_name(launch.key_name)
            .network_interfaces(
                InstanceNetworkInterfaceSpecification::builder()
                    .device_index(0)
                    .subnet_id(launch.subnet)
                    .groups(launch.security_group)
                    .associate_public_ip_address(launch.public_ip)
                    .delete_on_termination(true)
                    .build(),
            )
            .block_device_mappings(
                BlockDeviceMapping::builder()
                    .device_name(launch.root_device)
                    .ebs(
                        EbsBlockDevice::builder()
                            .volume_size(launch.root_size)
                            .volume_type(VolumeType::Gp3)
                            .delete_on_termination(true)
                            .build(),
                    )
                    .build(),
            )
            // IMDSv2 only, one hop: a container on the host cannot read the
            // instance's credentials or user-data through the metadata service.
            .metadata_options(
                InstanceMetadataOptionsRequest::builder()
                    .http_endpoint(InstanceMetadataEndpointState::Enabled)
                    .http_tokens(HttpTokensState::Required)
                    .http_put_response_hop_limit(1)
                    .build(),
            )
            .tag_specifications(tag_spec(ResourceType::Instance, launch.tags))
            .tag_specifications(tag_spec(ResourceType::Volume, launch.tags));
        if let Some(profile) = launch.iam_instance_profile {
            request = request.iam_instance_profile(
                IamInstanceProfileSpecification::builder()
                    .name(profile)
                    .build(),
            );
        }
        if let Some(data) = launch.user_data {
            use base64::Engine as _;
            request = request
                .user_data(base64::engine::general_purpose::STANDARD.encode(data.as_bytes()));
        }
        if let Some(price) = launch.spot_price {
            request = request.instance_market_options(
                InstanceMarketOptionsRequest::builder()
                    .market_type(MarketType::Spot)
                    .spot_options(SpotMarketOptions::builder().max_price(price).build())
                    .build(),
            );
        }
        let out = request
            .send()
            .await
            .map_err(|e| api_error("RunInstances", e))?;
        out.instances()
            .first()
            .and_then(|i| i.instance_id())
            .map(str::to_string)
            .ok_or_else(|| DriverError::Other("RunInstances returned no instance".into()))
    }

    /// States of the given instances (terminated ones as NotFound).
    pub async fn instance_states(&self, ids: &[String]) -> Result<HashMap<String, MachineState>> {
        let mut states = HashMap::new();
        let mut pages = self
            .client
            .describe_instances()
            .set_instance_ids(Some(ids.to_vec()))
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = match page {
                Ok(page) => page,
                Err(e) if error_code(&e) == "InvalidInstanceID.NotFound" => return Ok(states),
                Err(e) => return Err(api_error("DescribeInstances", e)),
            };
            for reservation in page.reservations() {
                for instance in reservation.instances() {
                    if let Some(id) = instance.instance_id() {
                        let state = machine_state(instance.state().and_then(|s| s.name()));
                        states.insert(id.to_string(), state);
                    }
                }
            }
        }
        Ok(states)
    }

    /// (public, private) addresses of an instance.
    pub async fn addresses(&self, id: &str) -> Result<(Option<String>, Option<String>)> {
        let instance = self.describe(id).await?;
        Ok((
            instance.public_ip_address().map(str::to_string),
            instance.private_ip_address().map(str::to_string),
        ))
    }

    /// Key pairs, live instances and VPCs tagged `key=value`, each with
    /// its cluster id tag: what `down` without local state lists.
    pub async fn tagged_with(&self, key: &str, value: &str) -> Result<Vec<crate::stack::Tagged>> {
        use crate::stack::{CLUSTER_ID_TAG, Tagged, TaggedKind};
        fn id_of(tags: &[Tag]) -> Option<String> {
            tags.iter()
                .find(|t| t.key() == Some(CLUSTER_ID_TAG))
                .and_then(|t| t.value())
                .map(str::to_string)
        }
        let tag = filter(&format!("tag:{key}"), value);
        let mut found = Vec::new();
        let keys = describe_tagged!(self, describe_key_pairs, tag, "DescribeKeyPairs");
        for pair in keys.key_pairs() {
            let name = pair.key_name().unwrap_or_default().to_string();
            found.push(Tagged {
                kind: TaggedKind::KeyPair,
                id: name.clone(),
                label: name,
                cluster_id: id_of(pair.tags()),
            });
        }
        let instances = describe_tagged!(self, describe_instances, tag, "DescribeInstances");
        for instance in instances.reservations().iter().flat_map(|r| r.instances()) {
            if machine_state(instance.state().and_then(|s| s.name())) == MachineState::NotFound {
                continue;
            }
            let id = instance.instance_id().unwrap_or_default().to_string();
            found.push(Tagged {
                kind: TaggedKind::Instance,
                id: id.clone(),
                label: id,
                cluster_id: id_of(instance.tags()),
            });
        }
        let vpcs = describe_tagged!(self, describe_vpcs, tag, "DescribeVpcs");
        for vpc in vpcs.vpcs() {
            let id = vpc.vpc_id().unwrap_or_default().to_string();
            found.push(Tagged {
                kind: TaggedKind::Vpc,
                id: id.clone(),
                label: id,
                cluster_id: id_of(vpc.tags()),
            });
        }
        Ok(found)
    }

    /// Delete every EC2 resource tagged `key=value`, in dependency order:
    /// what a stack leaves when its deletion fails. Returns what it deleted.
    pub async fn sweep_tagged(&self, key: &str, value: &str) -> Result<Vec<String>> {
        let tag = filter(&format!("tag:{key}"), value);
        let mut deleted = self.sweep_instances(&tag).await?;
        deleted.extend(self.sweep_security_groups(&tag).await?);
        deleted.extend(self.sweep_route_tables(&tag).await?);
        deleted.extend(self.sweep_internet_gateways(&tag).await?);
        deleted.extend(self.sweep_subnets(&tag).await?);
        deleted.extend(self.sweep_vpcs(&tag).await?);
        Ok(deleted)
    }

    async fn sweep_instances(&self, tag: &Filter) -> Result<Vec<String>> {
        let instances = describe_tagged!(self, describe_instances, tag, "DescribeInstances");
        let mut deleted = Vec::new();
        for instance in instances.reservations().iter().flat_map(|r| r.instances()) {
            let Some(id) = instance.instance_id() else {
                continue;
            };
            if machine_state(instance.state().and_then(|s| s.name())) != MachineState::NotFound {
                self.terminate(id).await?;
                deleted.push(format!("instance {id}"));
            }
        }
        Ok(deleted)
    }

    async fn sweep_security_groups(&self, tag: &Filter) -> Result<Vec<String>> {
        let groups = describe_tagged!(
            self,
            describe_security_groups,
            tag,
            "DescribeSecurityGroups"
        );
        let mut deleted = Vec::new();
        for group in groups.security_groups() {
            if let Some(id) = group.group_id()
                && self.delete_group_if_unused(id).await?
            {
                deleted.push(format!("security group {id}"));
            }
        }
        Ok(deleted)
    }

    async fn sweep_route_tables(&self, tag: &Filter) -> Result<Vec<String>> {
        let tables = describe_tagged!(self, describe_route_tables, tag, "DescribeRouteTables");
        let mut deleted = Vec::new();
        for table in tables.route_tables() {
            for association in table.associations() {
                if association.main() != Some(true)
                    && let Some(id) = association.route_table_association_id()
                {
                    let _ = self
                        .client
                        .disassociate_route_table()
                        .association_id(id)
                        .send()
                        .await;
                }
            }
            if let Some(id) = table.route_table_id() {
                let gone = self
                    .client
                    .delete_route_table()
                    .route_table_id(id)
                    .send()
                    .await;
                deleted.extend(gone_or_error(gone, "route table", id, "DeleteRouteTable")?);
            }
        }
        Ok(deleted)
    }

    async fn sweep_internet_gateways(&self, tag: &Filter) -> Result<Vec<String>> {
        let gateways = describe_tagged!(
            self,
            describe_internet_gateways,
            tag,
            "DescribeInternetGateways"
        );
        let mut deleted = Vec::new();
        for gateway in gateways.internet_gateways() {
            let Some(id) = gateway.internet_gateway_id() else {
                continue;
            };
            for attachment in gateway.attachments() {
                if let Some(vpc) = attachment.vpc_id() {
                    let _ = self
                        .client
                        .detach_internet_gateway()
                        .internet_gateway_id(id)
                        .vpc_id(vpc)
                        .send()
                        .await;
                }
            }
            let gone = self
                .client
                .delete_internet_gateway()
                .internet_gateway_id(id)
                .send()
                .await;
            deleted.extend(gone_or_error(
                gone,
                "internet gateway",
                id,
                "DeleteInternetGateway",
            )?);
        }
        Ok(deleted)
    }

    async fn sweep_subnets(&self, tag: &Filter) -> Result<Vec<String>> {
        let subnets = describe_tagged!(self, describe_subnets, tag, "DescribeSubnets");
        let mut deleted = Vec::new();
        for id in subnets.subnets().iter().filter_map(|s| s.subnet_id()) {
            let gone = self.client.delete_subnet().subnet_id(id).send().await;
            deleted.extend(gone_or_error(gone, "subnet", id, "DeleteSubnet")?);
        }
        Ok(deleted)
    }

    async fn sweep_vpcs(&self, tag: &Filter) -> Result<Vec<String>> {
        let vpcs = describe_tagged!(self, describe_vpcs, tag, "DescribeVpcs");
        let mut deleted = Vec::new();
        for id in vpcs.vpcs().iter().filter_map(|v| v.vpc_id()) {
            let gone = self.client.delete_vpc().vpc_id(id).send().await;
            deleted.extend(gone_or_error(gone, "VPC", id, "DeleteVpc")?);
        }
        Ok(deleted)
    }

    async fn describe(&self, id: &str) -> Result<aws_sdk_ec2::types::Instance> {
        let out = self
            .client
            .describe_instances()
            .instance_ids(id)
            .send()
            .await
            .map_err(|e| api_error(&format!("DescribeInstances {id}"), e))?;
        out.reservations()
            .iter()
            .flat_map(|r| r.instances())
            .next()
            .cloned()
            .ok_or_else(|| DriverError::Other(format!("instance {id} is gone")))
    }

    /// Wait until the instance runs; returns its (public, private) addresses.
    pub async fn wait_running(&self, id: &str) -> Result<(Option<String>, Option<String>)> {
        let mut backoff = Backoff::every(STATE_POLL, STATE_WAIT);
        loop {
            let instance = self.describe(id).await?;
            let state = machine_state(instance.state().and_then(|s| s.name()));
            if state == MachineState::Running {
                return Ok((
                    instance.public_ip_address().map(str::to_string),
                    instance.private_ip_address().map(str::to_string),
                ));
            }
            if matches!(state, MachineState::NotFound | MachineState::Stopped) {
                return Err(DriverError::Other(format!(
                    "instance {id} went to {state} while starting: see its console output in the EC2 console"
                )));
            }
            if !backoff.pause().await {
                return Err(DriverError::Other(format!(
                    "instance {id} was not running after {} s",
                    STATE_WAIT.as_secs()
                )));
            }
        }
    }

    /// Wait until the instance reaches `want` (NotFound = terminated).
    pub async fn wait_state(&self, id: &str, want: MachineState) -> Result<()> {
        let mut backoff = Backoff::every(STATE_POLL, STATE_WAIT);
        loop {
            let states = self.instance_states(&[id.to_string()]).await?;
            let state = states.get(id).copied().unwrap_or(MachineState::NotFound);
            if state == want {
                return Ok(());
            }
            if !backoff.pause().await {
                return Err(DriverError::Other(format!(
                    "waited {} s for instance {id} to be {want}; it is {state}",
                    STATE_WAIT.as_secs()
                )));
            }
        }
    }

    pub async fn start(&self, id: &str) -> Result<()> {
        self.client
            .start_instances()
            .instance_ids(id)
            .send()
            .await
            .map_err(|e| api_error(&format!("StartInstances {id}"), e))?;
        Ok(())
    }

    pub async fn stop(&self, id: &str, force: bool) -> Result<()> {
        self.client
            .stop_instances()
            .instance_ids(id)
            .force(force)
            .send()
            .await
            .map_err(|e| api_error(&format!("StopInstances {id}"), e))?;
        Ok(())
    }

    /// Terminate and wait until it is gone; an instance already gone is fine.
    pub async fn terminate(&self, id: &str) -> Result<()> {
        match self
            .client
            .terminate_instances()
            .instance_ids(id)
            .send()
            .await
        {
            Ok(_) => {}
            Err(e) if error_code(&e) == "InvalidInstanceID.NotFound" => return Ok(()),
            Err(e) => return Err(api_error(&format!("TerminateInstances {id}"), e)),
        }
        self.wait_state(id, MachineState::NotFound).await
    }

    pub async fn delete_key_pair(&self, name: &str) -> Result<()> {
        match self.client.delete_key_pair().key_name(name).send().await {
            Ok(_) => Ok(()),
            Err(e) if error_code(&e) == "InvalidKeyPair.NotFound" => Ok(()),
            Err(e) => Err(api_error(&format!("DeleteKeyPair {name}"), e)),
        }
    }

    /// Delete the group unless a live instance still uses it. Returns whether it was deleted.
    pub async fn delete_group_if_unused(&self, group: &str) -> Result<bool> {
        // An instance launched with network interfaces carries the group on
        // its interface, where the `instance.group-id` filter may not look:
        // check both places on every instance that is not gone.
        let out = self
            .client
            .describe_instances()
            .filters(
                Filter::builder()
                    .name("instance-state-name")
                    .set_values(Some(
                        ["pending", "running", "stopping", "stopped", "shutting-down"]
                            .map(String::from)
                            .to_vec(),
                    ))
                    .build(),
            )
            .send()
            .await
            .map_err(|e| api_error(&format!("DescribeInstances using {group}"), e))?;
        let uses = |i: &aws_sdk_ec2::types::Instance| {
            i.security_groups()
                .iter()
                .any(|g| g.group_id() == Some(group))
                || i.network_interfaces()
                    .iter()
                    .flat_map(|n| n.groups())
                    .any(|g| g.group_id() == Some(group))
        };
        let in_use = out
            .reservations()
            .iter()
            .flat_map(|r| r.instances())
            .filter(|i| machine_state(i.state().and_then(|s| s.name())) != MachineState::NotFound)
            .any(uses);
        if in_use {
            return Ok(false);
        }
        // The group stays in use for a moment after an instance terminates.
        let mut backoff = Backoff::every(STATE_POLL, Duration::from_secs(120));
        loop {
            match self
                .client
                .delete_security_group()
                .group_id(group)
                .send()
                .await
            {
                Ok(_) => return Ok(true),
                Err(e) if error_code(&e) == "InvalidGroup.NotFound" => return Ok(true),
                Err(e) if error_code(&e) == "DependencyViolation" && backoff.pause().await => {}
                Err(e) => return Err(api_error(&format!("DeleteSecurityGroup {group}"), e)),
            }
        }
    }
}

#[derive(Debug)]
struct SsmCallCounter;

impl aws_sdk_ssm::config::Intercept for SsmCallCounter {
    fn name(&self) -> &'static str {
        "machinectl-ssm-call-counter"
    }

    fn read_before_execution(
        &self,
        _context: &aws_sdk_ssm::config::interceptors::BeforeSerializationInterceptorContextRef<'_>,
        _cfg: &mut aws_sdk_ssm::config::ConfigBag,
    ) -> std::result::Result<(), Box<dyn std::error::Error + Send + Sync>> {
        CALLS.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}
