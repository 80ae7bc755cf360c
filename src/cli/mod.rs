//! The command line, as clap types only: parsing is kept apart from what
//! the commands do (src/commands), and completions are generated from these
//! same types.

pub mod cluster;

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

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

/// machinectl's whole command, with every driver's `create` flags: what
/// completions and the manual page describe.
pub fn machinectl_command() -> clap::Command {
    Cli::command().mut_subcommand("create", |c| crate::drivers::with_driver_flags(c, None))
}

/// The driver a `create` command line names (`--driver X`, `--driver=X`,
/// `-d X`, `-dX`), if it names one.
fn named_driver(args: &[OsString]) -> Option<String> {
    let args: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let create = args.iter().position(|a| a == "create")?;
    let mut rest = args[create + 1..].iter();
    while let Some(arg) = rest.next() {
        if arg == "--" {
            break;
        }
        if arg == "--driver" || arg == "-d" {
            return rest.next().cloned();
        }
        if let Some(name) = arg.strip_prefix("--driver=") {
            return Some(name.to_string());
        }
        if let Some(name) = arg
            .strip_prefix("-d")
            .filter(|n| !n.is_empty() && !arg.starts_with("--"))
        {
            return Some(name.trim_start_matches('=').to_string());
        }
    }
    None
}

/// Parse machinectl's command line. `create` gets the flags of the driver
/// it names (else $MACHINECTL_DRIVER, else local) and no other driver's, so
/// `create --driver generic --help` lists generic's flags alone and another
/// driver's flag is refused by name.
pub fn parse_machinectl(
    args: Vec<OsString>,
    env_driver: Option<String>,
) -> Result<Cli, clap::Error> {
    let driver = named_driver(&args)
        .or(env_driver.filter(|d| !d.is_empty()))
        .unwrap_or_else(|| "local".into());
    let command = Cli::command().mut_subcommand("create", |c| {
        crate::drivers::with_driver_flags(c, Some(&driver))
    });
    let matches = command.try_get_matches_from(args)?;
    let mut cli = Cli::from_arg_matches(&matches)?;
    if let Command::Create(create) = &mut cli.command {
        create.driver_flags = matches.subcommand_matches("create").cloned();
    }
    Ok(cli)
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
    /// Create machines: make the host, install Docker, secure the engine with TLS
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
    Start(ParallelNamesArgs),
    /// Stop machines gracefully
    Stop(ParallelNamesArgs),
    /// Stop then start machines
    Restart(ParallelNamesArgs),
    /// Stop machines at once, without letting them shut down
    Kill(ParallelNamesArgs),
    /// Remove machines and everything their drivers made
    Rm(RmArgs),
    /// Make new server certificates (and with --client-certs a new CA and client certificate)
    RegenerateCerts(RegenerateCertsArgs),
    /// Run provisioning again on existing machines
    Provision(ParallelNamesArgs),
    /// Upgrade the engine on machines to the newest version their OS offers
    Upgrade(ParallelNamesArgs),
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

/// The one machine of `config` and `url`.
#[derive(Debug, Args)]
pub struct NameArg {
    /// Machine name
    #[arg(default_value = "default")]
    pub name: String,
    /// Print the values even when the record says the machine is not running
    #[arg(long, short = 'f')]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct NamesArg {
    /// Machine names
    #[arg(default_value = "default", num_args = 1..)]
    pub names: Vec<String>,
}

/// The most machines one `create --count` makes.
pub const MAX_COUNT: u32 = 1000;

/// Machines a verb works on, several at once.
#[derive(Debug, Args)]
pub struct ParallelNamesArgs {
    /// Machine names
    #[arg(default_value = "default", num_args = 1..)]
    pub names: Vec<String>,
    /// How many machines to work on at once
    #[arg(long, value_name = "N", default_value_t = crate::commands::parallel::DEFAULT_PARALLEL, value_parser = parallel_value)]
    pub parallel: usize,
}

/// `--parallel`: at least 1.
fn parallel_value(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("{text:?} is not a number of machines (1 or more)")),
    }
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Names of the new machines (each also its hostname); several are made at once
    #[arg(
        value_name = "NAME",
        required_unless_present = "count",
        conflicts_with = "count"
    )]
    pub names: Vec<String>,

    /// Driver that makes the host: local (namespaces on this machine), generic (any SSH
    /// host), virtualbox, digitalocean, aws (amazonec2), gce (google) or azure;
    /// `--driver NAME --help` shows that driver's flags
    #[arg(long, short = 'd', env = "MACHINECTL_DRIVER", default_value = "local")]
    pub driver: String,

    /// Make N machines named PREFIX-1 … PREFIX-N instead of naming them
    #[arg(long, value_name = "N", display_order = 100, value_parser = clap::value_parser!(u32).range(1..=MAX_COUNT as i64))]
    pub count: Option<u32>,

    /// Name prefix for --count [default: the driver's name, e.g. local-1, local-2]
    // Also conflicting with names: clap lets `requires` pass when an arg
    // that conflicts with the required one is present.
    #[arg(
        long,
        value_name = "PREFIX",
        display_order = 101,
        requires = "count",
        conflicts_with = "names"
    )]
    pub prefix: Option<String>,

    /// How many machines to make at once
    #[arg(long, value_name = "N",
        display_order = 102, default_value_t = crate::commands::parallel::DEFAULT_PARALLEL, value_parser = parallel_value)]
    pub parallel: usize,

    #[command(flatten)]
    pub engine: EngineArgs,

    /// Seconds to wait for SSH to answer
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub ssh_timeout: u64,

    /// On failure keep what was made, recorded with the error, so `rm` can finish the job
    #[arg(long)]
    pub keep_on_error: bool,

    /// The chosen driver's own flags, parsed by its `DriverFlags`
    /// (`crate::drivers`): only that driver's flags are on the command line.
    #[arg(skip)]
    pub driver_flags: Option<clap::ArgMatches>,
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
    /// Go template over the record, e.g. "{{.Driver.Host.Ip}}", "{{json .Engine}}" or "{{prettyjson .Driver}}"
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
    /// Ask the engine even when the record says the machine is not running
    #[arg(long, short = 'f')]
    pub force: bool,
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
    /// How many machines to work on at once
    #[arg(long, value_name = "N", default_value_t = crate::commands::parallel::DEFAULT_PARALLEL, value_parser = parallel_value)]
    pub parallel: usize,
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
    /// Machine name [default: default]; none with --unset
    pub name: Option<String>,
    /// Shell to print for: bash, zsh, fish, powershell, cmd, tcsh, emacs [default: from $SHELL]
    #[arg(long)]
    pub shell: Option<String>,
    /// Print the commands that undo the environment instead (takes no machine name)
    #[arg(long, short = 'u')]
    pub unset: bool,
    /// Add the machine's address to NO_PROXY
    #[arg(long)]
    pub no_proxy: bool,
    /// Print the environment even when the record says the machine is not running
    #[arg(long, short = 'f')]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct SshArgs {
    /// Machine name
    #[arg(default_value = "default")]
    pub name: String,
    /// Options for the system ssh (-L, -C, -v …), then the command to run
    /// instead of a login shell: the first word that is not an option starts
    /// it, as with docker-machine; `--` before it is optional
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "[SSH OPTIONS] [--] COMMAND"
    )]
    pub args: Vec<String>,
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
    /// How many machines to remove at once
    #[arg(long, value_name = "N", default_value_t = crate::commands::parallel::DEFAULT_PARALLEL, value_parser = parallel_value)]
    pub parallel: usize,
}
