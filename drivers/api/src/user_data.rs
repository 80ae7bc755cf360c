//! A user-data file a flag names (`--digitalocean-userdata`,
//! `--gce-userdata`, `--azure-custom-data`): read whole before any call,
//! never past the provider's limit. Each driver words the refusal with its
//! flag and its provider's limit.

use std::path::Path;

/// Why a user-data file was not taken.
#[derive(Debug)]
pub enum Refusal {
    /// It could not be read (missing, a directory, no permission).
    Unreadable(std::io::Error),
    /// It is this many bytes, over the limit.
    TooBig(u64),
}

/// The bytes of `path`, when it holds at most `limit` of them. The size is
/// checked before the file is read (a huge file is never loaded) and
/// again after (it may have grown meanwhile).
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, Refusal> {
    let size = std::fs::metadata(path).map_err(Refusal::Unreadable)?.len();
    if size > limit {
        return Err(Refusal::TooBig(size));
    }
    let bytes = std::fs::read(path).map_err(Refusal::Unreadable)?;
    match bytes.len() as u64 {
        read if read > limit => Err(Refusal::TooBig(read)),
        _ => Ok(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_up_to_the_limit_are_read_and_larger_or_missing_ones_refused() {
        let dir = std::env::temp_dir().join(format!("mctl-api-ud-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ok = dir.join("ok");
        std::fs::write(&ok, [b'a'; 10]).unwrap();
        assert_eq!(read_bounded(&ok, 10).unwrap().len(), 10);
        assert!(matches!(read_bounded(&ok, 9), Err(Refusal::TooBig(10))));
        let missing = read_bounded(&dir.join("missing"), 10);
        assert!(matches!(missing, Err(Refusal::Unreadable(_))));
        assert!(matches!(
            read_bounded(&dir, 1 << 20),
            Err(Refusal::Unreadable(_))
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
