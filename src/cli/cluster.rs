//! clusterctl's command line (clap types only), and its parse: `up`,
//! `render` and `down` take the flags of the machine driver that
//! `--provider` names (digitalocean, gce, azure, virtualbox), exactly as
//! `machinectl create --driver` does, and no other driver's.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::cluster::spec::{GenericHost, OrchestratorKind, ProviderKind};

/// The subcommands that take the provider's driver flags.
const WITH_DRIVER_FLAGS: [&str; 3] = ["up", "render", "down"];

/// clusterctl's whole command with every provider's driver flags: what
/// completions and the manual page describe.
pub fn clusterctl_command() -> clap::Command {
    let mut command = ClusterCli::command();
    for sub in WITH_DRIVER_FLAGS {
        command = command.mut_subcommand(sub, |mut c| {
            for kind in ProviderKind::value_variants() {
                if let Some(driver) = kind.driver_flags_of() {
                    c = crate::drivers::with_driver_flags(c, Some(driver));
                }
            }
            c
        });
    }
    command
}

/// The subcommand and provider a command line names (`--provider X`,
/// `--provider=X`), if it names a provider with driver flags.
fn named_provider(args: &[OsString]) -> Option<(&'static str, &'static str)> {
    let args: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let (at, sub) = args
        .iter()
        .enumerate()
        .skip(1)
        .find_map(|(i, a)| WITH_DRIVER_FLAGS.iter().find(|s| **s == a).map(|s| (i, *s)))?;
    let mut rest = args[at + 1..].iter();
    while let Some(arg) = rest.next() {
        if arg == "--" {
            break;
        }
        let value = if arg == "--provider" {
            rest.next().cloned()
        } else {
            arg.strip_prefix("--provider=").map(str::to_string)
        };
        if let Some(value) = value {
            let kind = ProviderKind::from_str(&value, false).ok()?;
            return kind.driver_flags_of().map(|driver| (sub, driver));
        }
    }
    None
}

/// Parse clusterctl's command line; `up`, `render` and `down` get the
/// driver flags of the provider they name.
pub fn parse_clusterctl(args: Vec<OsString>) -> Result<ClusterCli, clap::Error> {
    let named = named_provider(&args);
    let mut command = ClusterCli::command();
    if let Some((sub, driver)) = named {
        command =
            command.mut_subcommand(sub, |c| crate::drivers::with_driver_flags(c, Some(driver)));
    }
    let matches = command.try_get_matches_from(args)?;
    let mut cli = ClusterCli::from_arg_matches(&matches)?;
    if let Some((sub, _)) = named {
        let flags = matches.subcommand_matches(sub).cloned();
        match &mut cli.command {
            ClusterCommand::Up(up) => up.spec.driver_flags = flags,
            ClusterCommand::Render(render) => render.spec.driver_flags = flags,
            ClusterCommand::Down(down) => down.driver_flags = flags,
            _ => {}
        }
    }
    Ok(cli)
}

#[derive(Debug, Parser)]
#[command(
    name = "clusterctl",
    version,
    about = "Bring up Docker Swarm, Kubernetes, ECS, Consul or Mesos clusters whose nodes are machinectl machines",
    long_about = "Bring up Docker Swarm, Kubernetes, ECS, Consul or Mesos clusters whose nodes are machinectl machines.\n\nMesos is legacy: Apache Mesos moved to the Apache Attic in October 2025 and Marathon's repository is archived; clusterctl keeps it for users who still run it.",
    after_help = "Start with `clusterctl up --provider local --nodes 3`, then `eval \"$(clusterctl env)\"` and `docker node ls`."
)]
pub struct ClusterCli {
    #[command(flatten)]
    pub global: crate::cli::GlobalArgs,

    #[command(subcommand)]
    pub command: ClusterCommand,
}

#[derive(Debug, Subcommand)]
pub enum ClusterCommand {
    /// Create a cluster: its nodes, in parallel, and the orchestrator on them
    Up(Box<UpArgs>),
    /// Remove every resource a cluster made (found by tag when local state is gone)
    Down(DownArgs),
    /// List clusters
    #[command(visible_alias = "list")]
    Ls,
    /// Show a cluster's nodes, roles, addresses and orchestrator health
    Status(NameArgs),
    /// Print the environment that reaches a cluster (Swarm: docker env of a manager; Kubernetes: KUBECONFIG; Consul: CONSUL_HTTP_ADDR and its TLS files; Mesos: MESOS_MASTER_URL, MARATHON_URL)
    Env(EnvArgs),
    /// Write every artifact `up` would submit, byte for byte, without creating anything
    Render(Box<RenderArgs>),
    /// Change the number of nodes (local: swarm; aws: the stack is updated in place)
    Scale(ScaleArgs),
    /// Print the shell completion script (bash, zsh, fish, powershell, elvish)
    Completion(crate::cli::CompletionArgs),
    /// Print the man page (roff)
    Man,
}

#[derive(Debug, Args, Clone, Default)]
pub struct SpecArgs {
    /// Cluster name [default: default]
    pub name: Option<String>,
    /// Where the nodes run; digitalocean, gce, azure and virtualbox take that driver's flags (`up --provider P --help` lists them)
    #[arg(long, value_enum)]
    pub provider: Option<ProviderKind>,
    /// Nodes in all, managers included [default: 1]
    #[arg(long)]
    pub nodes: Option<u32>,
    /// Managers (control planes, Consul servers: 3 or 5, Mesos masters); must be odd [default: 1]
    #[arg(long)]
    pub managers: Option<u32>,
    /// Orchestrator to bootstrap [default: swarm]
    #[arg(long, value_enum)]
    pub orchestrator: Option<OrchestratorKind>,
    /// Cluster file (apiVersion clusterctl.machinectl.io/v1, kind Cluster); flags fill what it leaves out
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Subnet of local nodes [default: 10.231.0.0/24]
    #[arg(long)]
    pub local_subnet: Option<String>,
    /// AWS region [default: $AWS_DEFAULT_REGION, else us-east-1]
    #[arg(long, env = "AWS_DEFAULT_REGION")]
    pub aws_region: Option<machinectl_driver_aws::checked::AwsRegion>,
    /// Availability zone letter [default: a]
    #[arg(long)]
    pub aws_zone: Option<machinectl_driver_aws::checked::AwsZone>,
    /// Instance type [default: t3.small]
    #[arg(long)]
    pub aws_instance_type: Option<machinectl_driver_aws::checked::InstanceType>,
    /// AMI [default: resolved by CloudFormation from the public SSM parameter of Ubuntu 24.04, or the ECS-optimized AMI]
    #[arg(long)]
    pub aws_ami: Option<machinectl_driver_aws::checked::AmiId>,
    /// Who may reach SSH and the engine port [default: 0.0.0.0/0]
    #[arg(long)]
    pub allowed_cidr: Option<machinectl_driver_aws::checked::Ipv4Cidr>,
    /// SSH user of the AMI [default: ubuntu, ec2-user for ecs]
    #[arg(long)]
    pub aws_ssh_user: Option<machinectl_driver_aws::checked::UserName>,
    /// API endpoint URL, for emulators and compatible clouds
    #[arg(long, env = "AWS_ENDPOINT", value_name = "URL")]
    pub aws_endpoint: Option<machinectl_driver_aws::checked::EndpointUrl>,
    /// Credentials profile [default: the SDK's default chain]
    #[arg(long, env = "AWS_PROFILE")]
    pub aws_profile: Option<machinectl_driver_aws::checked::ProfileName>,
    /// Existing SSH hosts that become the nodes, in order (generic): user@address[:port],…
    #[arg(long, value_delimiter = ',', value_name = "USER@HOST[:PORT]")]
    pub hosts: Vec<GenericHost>,
    /// Private key the --hosts accept (generic)
    #[arg(long, value_name = "FILE")]
    pub ssh_key: Option<PathBuf>,
    /// The provider's driver flags, as parsed (see `parse_clusterctl`).
    #[arg(skip)]
    pub driver_flags: Option<clap::ArgMatches>,
}

#[derive(Debug, Args)]
pub struct UpArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    /// Seconds to wait for each node's SSH
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub ssh_timeout: u64,
    /// On failure keep what was made, recorded with the error, so `down` can finish the job
    #[arg(long)]
    pub keep_on_error: bool,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    /// Directory to write the artifacts to (created; existing files are not overwritten)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct DownArgs {
    /// Cluster name [default: the only cluster]
    pub name: Option<String>,
    /// Do not ask for confirmation (required without a terminal)
    #[arg(short = 'y', long = "yes")]
    pub yes: bool,
    /// Wait until the provider has deleted everything
    #[arg(long)]
    pub wait: bool,
    /// Provider to search by tag when local state is gone (aws, digitalocean, gce, azure, virtualbox; with its location flags)
    #[arg(long, value_enum)]
    pub provider: Option<ProviderKind>,
    /// Region to search [default: $AWS_DEFAULT_REGION, else us-east-1]
    #[arg(long, env = "AWS_DEFAULT_REGION")]
    pub aws_region: Option<machinectl_driver_aws::checked::AwsRegion>,
    /// API endpoint URL to search
    #[arg(long, env = "AWS_ENDPOINT", value_name = "URL")]
    pub aws_endpoint: Option<machinectl_driver_aws::checked::EndpointUrl>,
    /// Credentials profile
    #[arg(long, env = "AWS_PROFILE")]
    pub aws_profile: Option<machinectl_driver_aws::checked::ProfileName>,
    /// Without local state: which cluster of that name to remove, when the
    /// account holds several (down lists their ids)
    #[arg(long, value_name = "ID")]
    pub cluster_id: Option<String>,
    /// The provider's driver flags, as parsed (see `parse_clusterctl`).
    #[arg(skip)]
    pub driver_flags: Option<clap::ArgMatches>,
}

#[derive(Debug, Args)]
pub struct NameArgs {
    /// Cluster name [default: the only cluster]
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub struct EnvArgs {
    /// Cluster name [default: the only cluster]
    pub name: Option<String>,
    /// Shell to print for (as machinectl env)
    #[arg(long)]
    pub shell: Option<String>,
}

#[derive(Debug, Args)]
pub struct ScaleArgs {
    /// Cluster name
    pub name: String,
    /// Nodes in all, managers included
    #[arg(long)]
    pub nodes: u32,
    /// Seconds to wait for each new node's SSH
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub ssh_timeout: u64,
    /// Keep new nodes that failed (recorded with the error) instead of removing them
    #[arg(long)]
    pub keep_on_error: bool,
}
