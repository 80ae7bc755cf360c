//! The machinectl binary: parse, dispatch, print errors as one line.

use std::process::ExitCode;

use machinectl::commands::{self, Environment};
use machinectl::ui::{self, Printer};

fn main() -> ExitCode {
    let cli = match machinectl::cli::parse_machinectl(
        std::env::args_os().collect(),
        std::env::var("MACHINECTL_DRIVER").ok(),
    ) {
        Ok(cli) => cli,
        Err(e) => return ui::usage_error(&e),
    };
    let printer = Printer::new(cli.global.debug, cli.global.quiet);
    let command = commands::run(cli, printer.clone(), Environment::from_process());
    ui::run_to_exit(&printer, command)
}
