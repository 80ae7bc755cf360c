//! The command line, as clap types only: parsing is kept apart from what
//! the commands do (src/commands), and completions are generated from these
//! same types.

pub mod cluster;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "machinectl",
    version,
    about = "Create Docker hosts on this machine, any SSH host or a cloud, and point the docker client at them",
    long_about = None,
    after_help = "Start with `machinectl create dev`, then `eval \"$(machinectl env dev)\"` and use docker as usual."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Flags of both binaries, accepted anywhere on the line.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Where machines, clusters and certificates are kept
    #[arg(
        long,
        short = 's',
        global = true,
        env = "MACHINECTL_STORAGE_PATH",
        value_name = "DIR"
    )]
    pub storage_path: Option<PathBuf>,

    /// Print what happens underneath, with the cause of every error (secrets are redacted)
    #[arg(long, short = 'D', global = true, env = "MACHINECTL_DEBUG")]
    pub debug: bool,

    /// Print only results: no progress, no hints
    #[arg(long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a machine: make the host, install Docker, secure the engine with TLS
    Create(Box<CreateArgs>),
    /// List machines with their state and engine version
    #[command(visible_alias = "list")]
    Ls(LsArgs),
    /// Print the commands that point the docker client at a machine
    Env(EnvArgs),
    /// Print the docker client flags for a machine: docker $(machinectl config NAME) ps
    Config(NameArg),
    /// Print a machine's IP address
    Ip(NamesArg),
    /// Print a machine's engine URL
    Url(NameArg),
    /// Print a machine's record as JSON, or fields of it with --format
    Inspect(InspectArgs),
    /// Print a machine's state as its provider reports it
    Status(StatusArgs),
    /// Log into a machine over SSH, or run a command there
    Ssh(SshArgs),
    /// Copy files between this computer and machines: [[user@]machine:]path
    Scp(ScpArgs),
    /// Start machines (and their engines)
    Start(NamesArg),
    /// Stop machines gracefully
    Stop(NamesArg),
    /// Stop then start machines
    Restart(NamesArg),
    /// Stop machines at once, without letting them shut down
    Kill(NamesArg),
    /// Remove machines and everything their drivers made
    Rm(RmArgs),
    /// Make new server certificates (and with --client-certs a new CA and client certificate)
    RegenerateCerts(RegenerateCertsArgs),
    /// Run provisioning again on existing machines
    Provision(NamesArg),
    /// Upgrade the engine on machines to the newest version their OS offers
    Upgrade(NamesArg),
    /// Print the name of the machine DOCKER_HOST points at
    Active(ActiveArgs),
    /// Make (or update) a docker context for a machine and select it
    Use(UseArgs),
    /// Adopt machines made by docker-machine, without reprovisioning them
    Import(ImportArgs),
    /// Print machinectl's version, or a machine's engine version
    Version(VersionArgs),
    /// Print a shell completion script
    Completion(CompletionArgs),
    /// Print the manual page (roff)
    Man,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct NameArg {
    /// Machine name
    #[arg(default_value = "default")]
    pub name: String,
}

#[derive(Debug, Args)]
pub struct NamesArg {
    /// Machine names
    #[arg(default_value = "default", num_args = 1..)]
    pub names: Vec<String>,
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Name of the new machine (also its hostname)
    pub name: String,

    /// Driver that makes the host: local (namespaces on this machine) or generic (any SSH host)
    #[arg(long, short = 'd', env = "MACHINECTL_DRIVER", default_value = "local")]
    pub driver: String,

    #[command(flatten)]
    pub engine: EngineArgs,

    /// Seconds to wait for SSH to answer
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub ssh_timeout: u64,

    /// On failure keep what was made, recorded with the error, so `rm` can finish the job
    #[arg(long)]
    pub keep_on_error: bool,

    #[command(flatten)]
    pub local: LocalArgs,

    #[command(flatten)]
    pub generic: GenericArgs,

    #[command(flatten)]
    pub aws: AwsArgs,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Engine options")]
pub struct EngineArgs {
    /// daemon.json setting for the engine, key=value (repeatable)
    #[arg(long = "engine-opt", value_name = "KEY=VALUE")]
    pub opts: Vec<String>,
    /// Engine label, key=value (repeatable)
    #[arg(long = "engine-label", value_name = "KEY=VALUE")]
    pub labels: Vec<String>,
    /// Environment variable for the engine, KEY=VALUE (repeatable)
    #[arg(long = "engine-env", value_name = "KEY=VALUE")]
    pub env: Vec<String>,
    /// Storage driver of the engine
    #[arg(long = "engine-storage-driver", value_name = "DRIVER")]
    pub storage_driver: Option<String>,
    /// Registry mirror (repeatable)
    #[arg(
        long = "engine-registry-mirror",
        env = "ENGINE_REGISTRY_MIRROR",
        value_name = "URL"
    )]
    pub registry_mirrors: Vec<String>,
    /// Registry reached without TLS (repeatable)
    #[arg(long = "engine-insecure-registry", value_name = "HOST[:PORT]")]
    pub insecure_registries: Vec<String>,
    /// Script that installs Docker when it is missing; `none` never installs
    /// [default: the OS family's method: Docker's install script, or its package manager]
    #[arg(
        long = "engine-install-url",
        env = "MACHINECTL_DOCKER_INSTALL_URL",
        value_name = "URL"
    )]
    pub install_url: Option<String>,
    /// Port the engine serves TLS on
    #[arg(long = "engine-port", default_value_t = 2376)]
    pub port: u16,
    /// Extra subject alternative name for the server certificate (repeatable)
    #[arg(long = "tls-san", value_name = "NAME|IP")]
    pub tls_san: Vec<String>,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "local driver")]
pub struct LocalArgs {
    /// Subnet of local hosts; its first address is the bridge's
    #[arg(long, env = "MACHINECTL_LOCAL_SUBNET", default_value = "10.231.0.0/24")]
    pub local_subnet: String,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "generic driver")]
pub struct GenericArgs {
    /// Address of the SSH host (required with --driver generic)
    #[arg(long, env = "GENERIC_IP_ADDRESS", value_name = "IP|NAME")]
    pub generic_ip_address: Option<String>,
    /// SSH user (root, or one with passwordless sudo)
    #[arg(long, env = "GENERIC_SSH_USER", default_value = "root")]
    pub generic_ssh_user: String,
    /// Private key the host accepts (required with --driver generic)
    #[arg(long, env = "GENERIC_SSH_KEY", value_name = "FILE")]
    pub generic_ssh_key: Option<PathBuf>,
    /// SSH port
    #[arg(long, env = "GENERIC_SSH_PORT", default_value_t = 22)]
    pub generic_ssh_port: u16,
    /// Engine port on the host [default: --engine-port]
    #[arg(long, env = "GENERIC_ENGINE_PORT")]
    pub generic_engine_port: Option<u16>,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "aws driver (docker-machine's amazonec2)")]
pub struct AwsArgs {
    /// Region
    #[arg(long, env = "AWS_DEFAULT_REGION", default_value = "us-east-1")]
    pub aws_region: crate::cluster::checked::AwsRegion,
    /// Availability zone letter within the region
    #[arg(long, env = "AWS_ZONE", default_value = "a")]
    pub aws_zone: crate::cluster::checked::AwsZone,
    /// Credentials profile from the shared AWS files [default: the SDK's default chain]
    #[arg(long, env = "AWS_PROFILE")]
    pub aws_profile: Option<crate::cluster::checked::ProfileName>,
    /// AMI [default: the current Ubuntu 24.04 LTS of the region, from Canonical's SSM parameter]
    #[arg(long, env = "AWS_AMI")]
    pub aws_ami: Option<crate::cluster::checked::AmiId>,
    /// Instance type
    #[arg(long, env = "AWS_INSTANCE_TYPE", default_value = "t3.small")]
    pub aws_instance_type: crate::cluster::checked::InstanceType,
    /// Root volume size in GiB (gp3)
    #[arg(long, env = "AWS_ROOT_SIZE", default_value_t = 16)]
    pub aws_root_size: i32,
    /// VPC [default: the region's default VPC]
    #[arg(long, env = "AWS_VPC_ID")]
    pub aws_vpc_id: Option<String>,
    /// Subnet [default: the VPC's subnet in the zone]
    #[arg(long, env = "AWS_SUBNET_ID")]
    pub aws_subnet_id: Option<String>,
    /// Security group name [default: machinectl, made or reused, with SSH and the engine port open]
    #[arg(long, env = "AWS_SECURITY_GROUP")]
    pub aws_security_group: Option<String>,
    /// Who may reach SSH and the engine port
    #[arg(long, env = "AWS_ALLOWED_CIDR", default_value = "0.0.0.0/0")]
    pub aws_allowed_cidr: crate::cluster::checked::Ipv4Cidr,
    /// Use this existing key pair (with --aws-ssh-key) instead of importing one per machine
    #[arg(long, env = "AWS_KEYPAIR_NAME")]
    pub aws_keypair_name: Option<String>,
    /// Private key of --aws-keypair-name
    #[arg(long, env = "AWS_SSH_KEY", value_name = "FILE")]
    pub aws_ssh_key: Option<PathBuf>,
    /// SSH user of the AMI
    #[arg(long, env = "AWS_SSH_USER", default_value = "ubuntu")]
    pub aws_ssh_user: crate::cluster::checked::UserName,
    /// Reach the instance at its private address (no public address is requested)
    #[arg(long, env = "AWS_USE_PRIVATE_ADDRESS")]
    pub aws_use_private_address: bool,
    /// Extra tags, key=value[,key=value…]
    #[arg(long, env = "AWS_TAGS", default_value = "")]
    pub aws_tags: String,
    /// IAM instance profile name
    #[arg(long, env = "AWS_INSTANCE_PROFILE")]
    pub aws_iam_instance_profile: Option<String>,
    /// Request a spot instance at this maximum price (USD per hour)
    #[arg(long, env = "AWS_SPOT_PRICE")]
    pub aws_spot_price: Option<String>,
    /// API endpoint URL, for emulators and compatible clouds
    #[arg(long, env = "AWS_ENDPOINT", value_name = "URL")]
    pub aws_endpoint: Option<crate::cluster::checked::EndpointUrl>,
}

#[derive(Debug, Args)]
pub struct LsArgs {
    /// Print names only, without probing the hosts (also with --quiet)
    #[arg(short = 'q')]
    pub names_only: bool,
    /// Seconds to wait for each host's answer
    #[arg(long, short = 't', default_value_t = 10)]
    pub timeout: u64,
    /// Keep machines that match: driver=, state=, name= (regex), label=, cluster=.
    /// The same key given twice matches either value; different keys must all match.
    #[arg(long, value_name = "KEY=VALUE")]
    pub filter: Vec<String>,
    /// Go-template-style format, e.g. "{{.Name}} {{.URL}}"; prefix "table " for headers
    #[arg(long, short = 'f')]
    pub format: Option<String>,
    /// Print as text or JSON
    #[arg(long, short = 'o', value_enum, default_value_t)]
    pub output: OutputFormat,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Machine name
    #[arg(default_value = "default")]
    pub name: String,
    /// Go-template-style format over the record, e.g. "{{.Driver.Host.Ip}}" or "{{json .Engine}}"
    #[arg(long, short = 'f')]
    pub format: Option<String>,
    /// Print as text or JSON (JSON is the default without --format)
    #[arg(long, short = 'o', value_enum)]
    pub output: Option<OutputFormat>,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Machine name
    #[arg(default_value = "default")]
    pub name: String,
    /// Print as text or JSON
    #[arg(long, short = 'o', value_enum, default_value_t)]
    pub output: OutputFormat,
}

#[derive(Debug, Args)]
pub struct VersionArgs {
    /// Machine whose engine version to print (none: machinectl's own)
    pub name: Option<String>,
    /// Print as text or JSON
    #[arg(long, short = 'o', value_enum, default_value_t)]
    pub output: OutputFormat,
}

#[derive(Debug, Args)]
pub struct ActiveArgs {
    /// Seconds to wait for the machine's answer
    #[arg(long, short = 't', default_value_t = 10)]
    pub timeout: u64,
}

#[derive(Debug, Args)]
pub struct ScpArgs {
    /// Source: a local path or [user@]machine:path
    pub source: String,
    /// Destination: a local path or [user@]machine:path
    pub destination: String,
    /// Copy directories recursively
    #[arg(long, short = 'r')]
    pub recursive: bool,
    /// Copy only what changed (rsync over the machine's SSH)
    #[arg(long, short = 'd')]
    pub delta: bool,
}

#[derive(Debug, Args)]
pub struct RegenerateCertsArgs {
    /// Machines to give new server certificates
    #[arg(default_value = "default", num_args = 1..)]
    pub names: Vec<String>,
    /// Do not ask for confirmation (required without a terminal)
    #[arg(long, short = 'f')]
    pub force: bool,
    /// Also make a new CA and client certificate (every other machine then needs new certificates too)
    #[arg(long)]
    pub client_certs: bool,
}

#[derive(Debug, Args)]
pub struct UseArgs {
    /// Machine whose docker context to make and select
    #[arg(required_unless_present = "unset")]
    pub name: Option<String>,
    /// Select the default context again
    #[arg(long, short = 'u', conflicts_with = "name")]
    pub unset: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// docker-machine's store [default: $MACHINE_STORAGE_PATH or ~/.docker/machine]
    #[arg(long, value_name = "DIR")]
    pub from: Option<PathBuf>,
    /// Machines to import (none: all of them)
    pub names: Vec<String>,
}

#[derive(Debug, Args)]
pub struct CompletionArgs {
    /// Shell to print the completion script for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct EnvArgs {
    /// Machine name
    #[arg(default_value = "default")]
    pub name: String,
    /// Shell to print for: bash, zsh, fish, powershell, cmd, tcsh, emacs [default: from $SHELL]
    #[arg(long)]
    pub shell: Option<String>,
    /// Print the commands that undo the environment instead
    #[arg(long, short = 'u')]
    pub unset: bool,
    /// Add the machine's address to NO_PROXY
    #[arg(long)]
    pub no_proxy: bool,
}

#[derive(Debug, Args)]
pub struct SshArgs {
    /// Machine name
    #[arg(default_value = "default")]
    pub name: String,
    /// Command to run instead of a login shell (after --)
    #[arg(last = true)]
    pub command: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RmArgs {
    /// Machines to remove
    #[arg(required = true, num_args = 1..)]
    pub names: Vec<String>,
    /// Do not ask for confirmation (required without a terminal)
    #[arg(short = 'y', long = "yes")]
    pub yes: bool,
    /// Remove the local record even if the provider side cannot be cleaned up, reporting what was left
    #[arg(short = 'f', long)]
    pub force: bool,
}
