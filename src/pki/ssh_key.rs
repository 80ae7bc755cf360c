//! Per-machine SSH key pairs (ed25519, OpenSSH format).

use std::path::{Path, PathBuf};

use ssh_key::{Algorithm, LineEnding, PrivateKey, rand_core::OsRng};

use crate::store::atomic;

/// Generate `dir/id_ed25519` (0600) and `dir/id_ed25519.pub`; returns the
/// private key path and the public key line.
pub fn generate(dir: &Path, comment: &str) -> std::io::Result<(PathBuf, String)> {
    let mut key = PrivateKey::random(&mut OsRng, Algorithm::Ed25519)
        .map_err(|e| std::io::Error::other(format!("generate SSH key: {e}")))?;
    key.set_comment(comment);
    let private = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| std::io::Error::other(format!("encode SSH key: {e}")))?;
    let public = key
        .public_key()
        .to_openssh()
        .map_err(|e| std::io::Error::other(format!("encode SSH key: {e}")))?;
    let path = dir.join("id_ed25519");
    atomic::write_new(&path, private.as_bytes(), 0o600)?;
    atomic::write_new(
        &dir.join("id_ed25519.pub"),
        format!("{public}\n").as_bytes(),
        0o644,
    )?;
    Ok((path, public))
}
