//! One module per subcommand; each takes the shared [`Context`] and its
//! parsed arguments. Errors carry context for `--debug`; the binary prints
//! their first line.

pub mod config;
pub mod create;
pub mod env;
pub mod info;
pub mod ls;
pub mod rm;
pub mod ssh;

use std::path::PathBuf;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::store::{MachineRecord, Store};
use crate::ui::Printer;

/// What every command gets: the store, the printer, and the process
/// environment (injected so tests can fake HOME and variables).
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

/// The first line of an error and its causes, joined: what the user sees.
pub fn one_line(error: &anyhow::Error) -> String {
    error
        .to_string()
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

impl Context {
    pub fn load(&self, name: &str) -> Result<MachineRecord> {
        Ok(self.store.load(name)?)
    }
}

pub async fn run(cli: Cli, printer: Printer, env: Environment) -> Result<()> {
    let root = cli
        .storage_path
        .clone()
        .unwrap_or_else(|| env.default_store());
    let ctx = Context {
        store: Store::new(root),
        printer,
        env,
    };
    match cli.command {
        Command::Create(args) => create::run(&ctx, *args).await,
        Command::Ls(args) => ls::run(&ctx, args).await,
        Command::Env(args) => env::run(&ctx, args),
        Command::Config(args) => config::run(&ctx, &args.name),
        Command::Ip(args) => info::ip(&ctx, &args.names),
        Command::Url(args) => info::url(&ctx, &args.name),
        Command::Inspect(args) => info::inspect(&ctx, &args.name),
        Command::Status(args) => info::status(&ctx, &args.name).await,
        Command::Ssh(args) => ssh::run(&ctx, args).await,
        Command::Rm(args) => rm::run(&ctx, args).await,
        Command::Version => {
            ctx.printer
                .out(format!("machinectl version {}", env!("CARGO_PKG_VERSION")));
            Ok(())
        }
    }
}
