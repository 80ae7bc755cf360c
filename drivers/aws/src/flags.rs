//! `machinectl create --driver aws` flags, with docker-machine's
//! `--amazonec2-*` names as aliases and its environment variables.

use std::path::PathBuf;

use clap::Args;
use machinectl_driver_api::{DriverFlags, Result, absolute};

use crate::checked::{
    AmiId, AwsRegion, AwsZone, EndpointUrl, InstanceType, Ipv4Cidr, ProfileName, UserName,
};
use crate::{AwsDriver, AwsOptions, Location, parse_tags};

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "aws driver (docker-machine's amazonec2)")]
pub struct AwsFlags {
    /// Region
    #[arg(
        long,
        visible_alias = "amazonec2-region",
        env = "AWS_DEFAULT_REGION",
        default_value = "us-east-1"
    )]
    pub aws_region: AwsRegion,
    /// Availability zone letter within the region
    #[arg(
        long,
        visible_alias = "amazonec2-zone",
        env = "AWS_ZONE",
        default_value = "a"
    )]
    pub aws_zone: AwsZone,
    /// Credentials profile from the shared AWS files [default: the SDK's default chain]
    #[arg(long, env = "AWS_PROFILE")]
    pub aws_profile: Option<ProfileName>,
    /// AMI [default: the current Ubuntu 24.04 LTS of the region, from Canonical's SSM parameter]
    #[arg(long, visible_alias = "amazonec2-ami", env = "AWS_AMI")]
    pub aws_ami: Option<AmiId>,
    /// Instance type
    #[arg(
        long,
        visible_alias = "amazonec2-instance-type",
        env = "AWS_INSTANCE_TYPE",
        default_value = "t3.small"
    )]
    pub aws_instance_type: InstanceType,
    /// Root volume size in GiB (gp3)
    #[arg(
        long,
        visible_alias = "amazonec2-root-size",
        env = "AWS_ROOT_SIZE",
        default_value_t = 16
    )]
    pub aws_root_size: i32,
    /// VPC [default: the region's default VPC]
    #[arg(long, visible_alias = "amazonec2-vpc-id", env = "AWS_VPC_ID")]
    pub aws_vpc_id: Option<String>,
    /// Subnet [default: the VPC's subnet in the zone]
    #[arg(long, visible_alias = "amazonec2-subnet-id", env = "AWS_SUBNET_ID")]
    pub aws_subnet_id: Option<String>,
    /// Security group name [default: machinectl, made or reused, with SSH and the engine port open]
    #[arg(
        long,
        visible_alias = "amazonec2-security-group",
        env = "AWS_SECURITY_GROUP"
    )]
    pub aws_security_group: Option<String>,
    /// Who may reach SSH and the engine port
    #[arg(long, env = "AWS_ALLOWED_CIDR", default_value = "0.0.0.0/0")]
    pub aws_allowed_cidr: Ipv4Cidr,
    /// Use this existing key pair (with --aws-ssh-key) instead of importing one per machine
    #[arg(
        long,
        visible_alias = "amazonec2-keypair-name",
        env = "AWS_KEYPAIR_NAME"
    )]
    pub aws_keypair_name: Option<String>,
    /// Private key of --aws-keypair-name
    #[arg(
        long,
        visible_alias = "amazonec2-ssh-keypath",
        env = "AWS_SSH_KEYPATH",
        value_name = "FILE"
    )]
    pub aws_ssh_key: Option<PathBuf>,
    /// SSH user of the AMI
    #[arg(
        long,
        visible_alias = "amazonec2-ssh-user",
        env = "AWS_SSH_USER",
        default_value = "ubuntu"
    )]
    pub aws_ssh_user: UserName,
    /// Reach the instance at its private address (no public address is requested)
    #[arg(
        long,
        visible_alias = "amazonec2-use-private-address",
        env = "AWS_USE_PRIVATE_ADDRESS"
    )]
    pub aws_use_private_address: bool,
    /// Extra tags: key=value[,key=value…] (docker-machine's key1,value1,key2,value2 also works)
    #[arg(
        long,
        visible_alias = "amazonec2-tags",
        env = "AWS_TAGS",
        default_value = ""
    )]
    pub aws_tags: String,
    /// IAM instance profile name
    #[arg(
        long,
        visible_alias = "amazonec2-iam-instance-profile",
        env = "AWS_INSTANCE_PROFILE"
    )]
    pub aws_iam_instance_profile: Option<String>,
    /// Request a spot instance at this maximum price (USD per hour)
    #[arg(long, visible_alias = "amazonec2-spot-price", env = "AWS_SPOT_PRICE")]
    pub aws_spot_price: Option<String>,
    /// API endpoint URL, for emulators and compatible clouds
    #[arg(
        long,
        visible_alias = "amazonec2-endpoint",
        env = "AWS_ENDPOINT",
        value_name = "URL"
    )]
    pub aws_endpoint: Option<EndpointUrl>,
}

impl DriverFlags for AwsFlags {
    type Driver = AwsDriver;

    fn build(self, machine: &str, engine_port: u16) -> Result<AwsDriver> {
        Ok(AwsDriver {
            location: Location {
                region: self.aws_region.into(),
                profile: self.aws_profile.map(String::from),
                endpoint: self.aws_endpoint.map(String::from),
            },
            options: AwsOptions {
                zone: self.aws_zone.into(),
                ami: self.aws_ami.map(String::from),
                instance_type: self.aws_instance_type.into(),
                root_size: self.aws_root_size,
                vpc_id: self.aws_vpc_id,
                subnet_id: self.aws_subnet_id,
                security_group: self.aws_security_group,
                allowed_cidr: self.aws_allowed_cidr.into(),
                keypair_name: self.aws_keypair_name,
                ssh_key: self.aws_ssh_key.map(absolute),
                ssh_user: self.aws_ssh_user.into(),
                use_private_address: self.aws_use_private_address,
                tags: parse_tags(&self.aws_tags)?,
                iam_instance_profile: self.aws_iam_instance_profile,
                spot_price: self.aws_spot_price,
            },
            resources: Default::default(),
            machine: machine.to_string(),
            engine_port,
            ssh_key: None,
        })
    }
}
