//! `completion SHELL` and `man` for both binaries, generated from their clap
//! definitions (the checked-in files under completions/ are these outputs).

use anyhow::Result;
use clap::CommandFactory;

use crate::commands::Context;

/// The completion script for binary `C`.
pub fn completion<C: CommandFactory>(ctx: &Context, shell: clap_complete::Shell) -> Result<()> {
    let mut command = C::command();
    let name = command.get_name().to_string();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, name, &mut out);
    ctx.printer.out_raw(String::from_utf8_lossy(&out));
    Ok(())
}

/// The man page (roff) for binary `C`.
pub fn man<C: CommandFactory>(ctx: &Context) -> Result<()> {
    let mut out = Vec::new();
    clap_mangen::Man::new(C::command()).render(&mut out)?;
    ctx.printer.out_raw(String::from_utf8_lossy(&out));
    Ok(())
}
