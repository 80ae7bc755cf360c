//! The machinectl binary: parse, dispatch, print errors as one line.

use std::process::ExitCode;

use clap::Parser;
use machinectl::cli::Cli;
use machinectl::commands::{self, Environment, ssh::RemoteExit};
use machinectl::ui::Printer;
use machinectl_driver_api::DriverError;

/// Exit code for a driver that cannot run here (docker-machine's pre-create code).
const EXIT_PRECONDITION: u8 = 3;

/// clap's message folded onto one line, pointing at --help.
fn one_line_usage_error(error: &clap::Error) -> String {
    let rendered = error.render().to_string();
    let message: Vec<&str> = rendered
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let message = message.join(" ");
    let message = message.strip_prefix("error: ").unwrap_or(&message);
    format!("error: {message} (see --help)")
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                let _ = e.print();
                return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                    ExitCode::from(2)
                } else {
                    ExitCode::SUCCESS
                };
            }
            eprintln!("{}", one_line_usage_error(&e));
            return ExitCode::from(2);
        }
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
    let result = runtime.block_on(commands::run(
        cli,
        printer.clone(),
        Environment::from_process(),
    ));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            if let Some(RemoteExit(code)) = error.downcast_ref::<RemoteExit>() {
                return ExitCode::from((*code).clamp(1, 255) as u8);
            }
            eprintln!("error: {}", commands::one_line(&error));
            if printer.debug_enabled() {
                for cause in error.chain().skip(1) {
                    eprintln!(
                        "  caused by: {}",
                        machinectl::ui::redact(&cause.to_string())
                    );
                }
            }
            let precondition = error.chain().any(|c| {
                matches!(
                    c.downcast_ref::<DriverError>(),
                    Some(DriverError::Precondition(_))
                )
            });
            if precondition {
                ExitCode::from(EXIT_PRECONDITION)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
