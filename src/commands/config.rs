//! `machinectl config`: docker client flags for a machine, one per line, so
//! `docker $(machinectl config NAME) ps` works. Reads only the store.

use anyhow::{Result, anyhow};

use crate::commands::Context;

pub fn run(ctx: &Context, name: &str) -> Result<()> {
    let record = ctx.load(name)?;
    let url = record
        .url()
        .ok_or_else(|| anyhow!("machine {name:?} has no address yet: see `machinectl ls`"))?;
    let dir = ctx.store.machine_dir(&record.name);
    // No quotes: $(…) splits words but does not remove quotes.
    ctx.printer.out(format!(
        "--tlsverify\n--tlscacert={}\n--tlscert={}\n--tlskey={}\n-H={url}",
        dir.join("ca.pem").display(),
        dir.join("cert.pem").display(),
        dir.join("key.pem").display(),
    ));
    Ok(())
}
