//! `completion SHELL` and `man` for both binaries, generated from their clap
//! definitions (the checked-in files under completions/ are these outputs).

use anyhow::Result;

use crate::commands::Context;

/// The completion script for a binary's whole command.
pub fn completion(
    ctx: &Context,
    mut command: clap::Command,
    shell: clap_complete::Shell,
) -> Result<()> {
    let name = command.get_name().to_string();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, name, &mut out);
    ctx.printer.out_raw(String::from_utf8_lossy(&out));
    Ok(())
}

/// The man page (roff) for a binary's whole command.
pub fn man(ctx: &Context, command: clap::Command) -> Result<()> {
    let mut out = Vec::new();
    clap_mangen::Man::new(command).render(&mut out)?;
    ctx.printer.out_raw(String::from_utf8_lossy(&out));
    Ok(())
}
