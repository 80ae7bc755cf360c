//! How both binaries end: usage errors and failures as one line, the cause
//! chain under --debug, and the exit codes (1 error, 2 usage, 3 a driver
//! that cannot run here, or a remote command's own status).

use std::process::ExitCode;

use machinectl_driver_api::DriverError;

use crate::commands::ssh::RemoteExit;
use crate::ui::{Printer, redact};

/// Exit code for a driver that cannot run here (docker-machine's pre-create code).
const EXIT_PRECONDITION: u8 = 3;

/// clap's message folded onto one line, pointing at --help; help and version print as they are.
pub fn usage_error(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = error.print();
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = error.print();
            return ExitCode::from(2);
        }
        _ => {}
    }
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
    eprintln!("error: {message} (see --help)");
    ExitCode::from(2)
}

/// Run a command to completion on a fresh runtime and turn its result into the exit code.
pub fn run_to_exit(
    printer: &Printer,
    command: impl std::future::Future<Output = anyhow::Result<()>>,
) -> ExitCode {
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
    let outcome = runtime.block_on(command);
    // A command cancelled by Ctrl-C may leave a blocking thread behind (an
    // SSH wait, say) whose result nobody wants; do not wait out its timeout.
    runtime.shutdown_background();
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => report_error(printer, &error),
    }
}

/// Print a failed command's error and choose the exit code.
pub fn report_error(printer: &Printer, error: &anyhow::Error) -> ExitCode {
    if let Some(RemoteExit(code)) = error.downcast_ref::<RemoteExit>() {
        return ExitCode::from((*code).clamp(1, 255) as u8);
    }
    eprintln!("error: {}", redact(&crate::commands::one_line(error)));
    let precondition = error
        .chain()
        .find_map(|c| match c.downcast_ref::<DriverError>() {
            Some(DriverError::Precondition(text)) => Some(text),
            _ => None,
        });
    // A driver that cannot run here names every missing part, one line each,
    // so one `apt-get install` round fixes them all.
    for line in precondition.into_iter().flat_map(|t| t.lines().skip(1)) {
        eprintln!("error: {line}");
    }
    if printer.debug_enabled() {
        for cause in error.chain().skip(1) {
            eprintln!("  caused by: {}", redact(&cause.to_string()));
        }
    }
    if precondition.is_some() {
        ExitCode::from(EXIT_PRECONDITION)
    } else {
        ExitCode::FAILURE
    }
}
