//! The clusterctl binary: parse, dispatch, print errors as one line.

use std::process::ExitCode;

use machinectl::commands::{self, Environment};
use machinectl::ui::{self, Printer};

fn main() -> ExitCode {
    let cli = match machinectl::cli::cluster::parse_clusterctl(std::env::args_os().collect()) {
        Ok(cli) => cli,
        Err(e) => return ui::usage_error(&e),
    };
    let printer = Printer::new(cli.global.debug, cli.global.quiet);
    let command = commands::cluster::run(cli, printer.clone(), Environment::from_process());
    ui::run_to_exit(&printer, command)
}
