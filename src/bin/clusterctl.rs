//! The clusterctl binary: parse, dispatch, print errors as one line.

use std::process::ExitCode;

use clap::Parser;
use machinectl::cli::cluster::ClusterCli;
use machinectl::commands::{self, Environment};
use machinectl::ui::Printer;

fn main() -> ExitCode {
    let cli = match ClusterCli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return machinectl::ui::usage_error(&e),
    };
    let printer = Printer::new(cli.debug, cli.quiet);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(commands::cluster::run(
        cli,
        printer.clone(),
        Environment::from_process(),
    ));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => machinectl::ui::report_error(&printer, &error),
    }
}
