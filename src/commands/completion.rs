//! `machinectl completion SHELL` and `machinectl man`, generated from the
//! clap definitions (the checked-in files under completions/ are these outputs).

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::Cli;
use crate::commands::Context;

pub fn completion(ctx: &Context, shell: clap_complete::Shell) -> Result<()> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "machinectl", &mut out);
    ctx.printer.out_raw(String::from_utf8_lossy(&out));
    Ok(())
}

pub fn man(ctx: &Context) -> Result<()> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    ctx.printer.out_raw(String::from_utf8_lossy(&out));
    Ok(())
}
