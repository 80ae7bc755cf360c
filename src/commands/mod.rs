//! One module per subcommand; each takes the shared [`Context`] and its
//! parsed arguments. Errors carry context for `--debug`; the binary prints
//! their first line.

pub mod cluster;
pub mod completion;
pub mod config;
pub mod context;
pub mod create;
pub mod env;
pub mod import;
pub mod info;
pub mod interrupt;
pub mod lifecycle;
pub mod ls;
pub mod parallel;
pub mod provision;
pub mod provisioner;
pub mod rm;
pub mod scp;
pub mod ssh;

use std::path::PathBuf;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::store::{MachineRecord, Store};
use crate::ui::Printer;

/// What every command gets: the store, the printer, and the process
/// environment (injected so tests can fake HOME and variables).
#[derive(Clone)]
pub struct Context {
    pub store: Store,
    pub printer: Printer,
    pub env: Environment,
}

/// The parts of the process environment machinectl reads.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    pub vars: std::collections::HashMap<String, String>,
}

impl Environment {
    pub fn from_process() -> Self {
        Environment {
            vars: std::env::vars().collect(),
        }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.vars.get(key).map(String::as_str)
    }

    /// ~/.machinectl, from $HOME.
    pub fn default_store(&self) -> PathBuf {
        let home = self.get("HOME").unwrap_or("/root");
        PathBuf::from(home).join(".machinectl")
    }
}

/// An error with the contexts around it on one line ("node a: SSH to … did
/// not answer"): what the user sees. A cause whose text its wrapper already
/// shows is not repeated; --debug prints every cause underneath.
pub fn one_line(error: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        let first = text.lines().next().unwrap_or_default();
        if first.is_empty() || line.contains(first) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(first);
    }
    line
}

impl Context {
    /// The store at `storage_path`, or ~/.machinectl.
    pub fn new(storage_path: Option<PathBuf>, printer: Printer, env: Environment) -> Context {
        let root = storage_path.unwrap_or_else(|| env.default_store());
        Context {
            store: Store::new(root),
            printer,
            env,
        }
    }

    pub fn load(&self, name: &str) -> Result<MachineRecord> {
        Ok(self.store.load(name)?)
    }
}

pub async fn run(cli: Cli, printer: Printer, env: Environment) -> Result<()> {
    let quiet = cli.global.quiet;
    let ctx = Context::new(cli.global.storage_path, printer, env);
    match cli.command {
        Command::Create(args) => create::run(&ctx, *args).await,
        Command::Ls(args) => ls::run(&ctx, args, quiet).await,
        Command::Env(args) => env::run(&ctx, args),
        Command::Config(args) => config::run(&ctx, &args.name, args.force),
        Command::Ip(args) => info::ip(&ctx, &args.names),
        Command::Url(args) => info::url(&ctx, &args.name, args.force),
        Command::Inspect(args) => info::inspect(&ctx, args),
        Command::Status(args) => info::status(&ctx, args).await,
        Command::Ssh(args) => ssh::run(&ctx, args).await,
        Command::Scp(args) => scp::run(&ctx, args, quiet),
        Command::Start(args) => lifecycle::run(&ctx, lifecycle::Verb::Start, &args).await,
        Command::Stop(args) => lifecycle::run(&ctx, lifecycle::Verb::Stop, &args).await,
        Command::Restart(args) => lifecycle::run(&ctx, lifecycle::Verb::Restart, &args).await,
        Command::Kill(args) => lifecycle::run(&ctx, lifecycle::Verb::Kill, &args).await,
        Command::Rm(args) => rm::run(&ctx, args).await,
        Command::RegenerateCerts(args) => provision::regenerate_certs(&ctx, args).await,
        Command::Provision(args) => provision::provision(&ctx, &args).await,
        Command::Upgrade(args) => provision::upgrade(&ctx, &args).await,
        Command::Active(args) => info::active(&ctx, args).await,
        Command::Use(args) => context::run(&ctx, args),
        Command::Import(args) => import::run(&ctx, args),
        Command::Version(args) => info::version(&ctx, args).await,
        Command::Completion(args) => {
            completion::completion(&ctx, crate::cli::machinectl_command(), args.shell)
        }
        Command::Man => completion::man(&ctx, crate::cli::machinectl_command()),
    }
}
