//! `machinectl config`: docker client flags for a machine, one per line, so
//! `docker $(machinectl config NAME) ps` works. Reads only the store: a
//! machine its record says is stopped is refused, as docker-machine does,
//! unless `--force`.
//!
//! `$(…)` splits its output into words and expands globs, but does not
//! remove quotes: so nothing can be quoted, and a value that would split or
//! glob (a store path with a space or a `*`) is refused instead of printed.

use anyhow::{Result, anyhow, bail};

use crate::commands::Context;

/// Why `$(…)` would not hand `value` to docker as one unchanged word.
fn unsplittable(value: &str) -> Option<char> {
    value
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '*' | '?' | '['))
}

pub fn run(ctx: &Context, name: &str, force: bool) -> Result<()> {
    let record = ctx.load(name)?;
    crate::commands::info::require_running(&record, force, "config")?;
    let url = record
        .url()
        .ok_or_else(|| anyhow!("machine {name:?} has no address yet: see `machinectl ls`"))?;
    let dir = ctx.store.machine_dir(&record.name);
    let path = |file: &str| -> Result<String> {
        let path = dir.join(file);
        let Some(text) = path.to_str() else {
            bail!(
                "the store path {} is not valid UTF-8: use `machinectl env {name}`, or a store path (MACHINECTL_STORAGE_PATH) of UTF-8 characters",
                path.display()
            );
        };
        if let Some(c) = unsplittable(text) {
            bail!(
                "the store path {text:?} holds {c:?}, which `docker $(machinectl config {name})` would split or expand: use `eval \"$(machinectl env {name})\"` instead, or a store path (MACHINECTL_STORAGE_PATH) without it"
            );
        }
        Ok(text.to_string())
    };
    crate::commands::info::require_tls_files(ctx, name)?;
    if let Some(c) = unsplittable(&url) {
        bail!("the address {url:?} of machine {name} holds {c:?}: see `machinectl inspect {name}`");
    }
    ctx.printer.out(format!(
        "--tlsverify\n--tlscacert={}\n--tlscert={}\n--tlskey={}\n-H={url}",
        path("ca.pem")?,
        path("cert.pem")?,
        path("key.pem")?,
    ));
    Ok(())
}
