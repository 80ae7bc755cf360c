//! Secret driver fields (API tokens, client secrets): a [`Secret`] never
//! prints and never reaches `machine.json` in clear.
//!
//! - `Debug` and `Display` print `[redacted]`, so `inspect`, `--debug` and
//!   errors that format a driver show no secret.
//! - Serialized, a secret is sealed with AES-256-GCM under the store's key
//!   (`certs/secrets.key`, 32 random bytes, mode 0600):
//!   `"sealed:v1:<base64 of nonce ‖ ciphertext ‖ tag>"`. A fresh random
//!   nonce per seal, so one value sealed twice differs. The version prefix
//!   is the AEAD's associated data.
//! - Deserializing opens it with the same key; another store's key (or a
//!   changed record) fails with an error that says so, and a clear-text
//!   value in a record is refused rather than taken.
//!
//! The key is process-wide: the store installs its key file's path with
//! [`use_key_file`] when it opens, and the key is read (or made, once) the
//! first time a secret is sealed or opened. It is made by linking a
//! finished temporary file into place, so two processes that race agree on
//! one key. Serializing without an installed key fails: nothing is ever
//! written in clear as a fallback.

use std::fmt;
use std::fs;
use std::io::{ErrorKind, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use aws_lc_rs::aead::{AES_256_GCM, Aad, NONCE_LEN, Nonce, RandomizedNonceKey};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The sealed form's prefix, also bound into the ciphertext.
const PREFIX: &str = "sealed:v1:";
const KEY_LEN: usize = 32;

/// A secret string. Use [`Secret::expose`] where the value must be sent.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The clear value, for the one place that sends it to the provider.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        // Best effort: do not leave the value in freed memory.
        // SAFETY: zero bytes are valid UTF-8; the string is dropped next.
        for byte in unsafe { self.0.as_bytes_mut() } {
            // SAFETY: a valid, aligned pointer to a byte we own.
            unsafe { std::ptr::write_volatile(byte, 0) };
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error(
        "cannot seal or open a secret: no store key is installed (the store installs certs/secrets.key when it opens)"
    )]
    NoKey,
    #[error("{what} {}: {source}", path.display())]
    Io {
        what: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} is not a secrets key ({why}): restore it from a backup, or remove it and set every secret again", path.display())]
    BadKeyFile { path: PathBuf, why: String },
    #[error(
        "a sealed secret does not open with {key}: it was sealed under another store's key, or the record was changed; set the secret again"
    )]
    WrongKey { key: String },
    #[error(
        "a secret in the record is not sealed (expected \"{PREFIX}…\"): set it again through machinectl"
    )]
    NotSealed,
    #[error("a sealed secret is damaged ({0}): set it again")]
    Malformed(String),
}

/// An AES-256-GCM key that seals and opens secrets.
pub struct SealingKey {
    key: RandomizedNonceKey,
    /// Where it came from, for errors ("certs/secrets.key").
    origin: String,
}

impl SealingKey {
    pub fn from_bytes(bytes: &[u8; KEY_LEN], origin: impl Into<String>) -> SealingKey {
        SealingKey {
            key: RandomizedNonceKey::new(&AES_256_GCM, bytes).expect("a 32-byte AES-256 key"),
            origin: origin.into(),
        }
    }

    /// `sealed:v1:…` for `clear`.
    pub fn seal(&self, clear: &str) -> Result<String, SecretError> {
        let mut in_out = clear.as_bytes().to_vec();
        let nonce = self
            .key
            .seal_in_place_append_tag(Aad::from(PREFIX.as_bytes()), &mut in_out)
            .map_err(|_| SecretError::Malformed("sealing failed".into()))?;
        let mut sealed = nonce.as_ref().to_vec();
        sealed.extend_from_slice(&in_out);
        Ok(format!("{PREFIX}{}", base64::encode(&sealed)))
    }

    /// The secret inside `sealed`.
    pub fn open(&self, sealed: &str) -> Result<Secret, SecretError> {
        let encoded = sealed.strip_prefix(PREFIX).ok_or(SecretError::NotSealed)?;
        let bytes = base64::decode(encoded).map_err(SecretError::Malformed)?;
        if bytes.len() < NONCE_LEN + AES_256_GCM.tag_len() {
            return Err(SecretError::Malformed("too short".into()));
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce)
            .map_err(|_| SecretError::Malformed("bad nonce".into()))?;
        let mut in_out = ciphertext.to_vec();
        let clear = self
            .key
            .open_in_place(nonce, Aad::from(PREFIX.as_bytes()), &mut in_out)
            .map_err(|_| SecretError::WrongKey {
                key: self.origin.clone(),
            })?;
        let clear = String::from_utf8(clear.to_vec())
            .map_err(|_| SecretError::Malformed("not UTF-8".into()))?;
        in_out.fill(0);
        Ok(Secret(clear))
    }

    /// Read the key at `path`, or make it (once, 0600, its directory 0700).
    pub fn load_or_create(path: &Path) -> Result<SealingKey, SecretError> {
        match read_key(path)? {
            Some(key) => Ok(key),
            None => {
                create_key(path)?;
                read_key(path)?.ok_or_else(|| SecretError::BadKeyFile {
                    path: path.to_path_buf(),
                    why: "it vanished right after it was made".into(),
                })
            }
        }
    }
}

fn read_key(path: &Path) -> Result<Option<SealingKey>, SecretError> {
    let io = |what, source| SecretError::Io {
        what,
        path: path.to_path_buf(),
        source,
    };
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io("read", e)),
    };
    let mode = fs::metadata(path)
        .map_err(|e| io("read", e))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(SecretError::BadKeyFile {
            path: path.to_path_buf(),
            why: format!("others may read it (mode {:o}); chmod 600 it", mode & 0o777),
        });
    }
    let bytes: [u8; KEY_LEN] = bytes
        .try_into()
        .map_err(|b: Vec<u8>| SecretError::BadKeyFile {
            path: path.to_path_buf(),
            why: format!("{} bytes, not {KEY_LEN}", b.len()),
        })?;
    Ok(Some(SealingKey::from_bytes(
        &bytes,
        path.display().to_string(),
    )))
}

/// Write a new random key to a temporary file and link it into place; a
/// key another process linked first wins.
fn create_key(path: &Path) -> Result<(), SecretError> {
    let io = |what, source| SecretError::Io {
        what,
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::DirBuilder::new()
        .mode(0o700)
        .recursive(true)
        .create(dir)
        .map_err(|e| io("create the directory of", e))?;
    let mut key = [0u8; KEY_LEN];
    aws_lc_rs::rand::fill(&mut key).map_err(|_| SecretError::BadKeyFile {
        path: path.to_path_buf(),
        why: "no random bytes to make it".into(),
    })?;
    let mut suffix = [0u8; 8];
    let _ = aws_lc_rs::rand::fill(&mut suffix);
    let temp = dir.join(format!(
        ".secrets.key.{}.{}",
        std::process::id(),
        u64::from_le_bytes(suffix)
    ));
    let written = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&temp)
        .and_then(|mut file| {
            file.write_all(&key)?;
            file.sync_all()
        });
    key.fill(0);
    let linked = written.and_then(|()| match fs::hard_link(&temp, path) {
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(()),
        other => other,
    });
    let _ = fs::remove_file(&temp);
    linked.map_err(|e| io("make", e))?;
    if let Ok(dir) = fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

static KEY_FILE: OnceLock<PathBuf> = OnceLock::new();
static KEY: OnceLock<SealingKey> = OnceLock::new();

/// Install the store's key file for this process (the first store wins).
/// Nothing is read or made until a secret is sealed or opened.
pub fn use_key_file(path: PathBuf) {
    let _ = KEY_FILE.set(path);
}

fn process_key() -> Result<&'static SealingKey, SecretError> {
    if let Some(key) = KEY.get() {
        return Ok(key);
    }
    let path = KEY_FILE.get().ok_or(SecretError::NoKey)?;
    let key = SealingKey::load_or_create(path)?;
    Ok(KEY.get_or_init(|| key))
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let sealed = process_key()
            .and_then(|key| key.seal(&self.0))
            .map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&sealed)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Secret, D::Error> {
        let sealed = String::deserialize(deserializer)?;
        if !sealed.starts_with(PREFIX) {
            return Err(serde::de::Error::custom(SecretError::NotSealed));
        }
        process_key()
            .and_then(|key| key.open(&sealed))
            .map_err(serde::de::Error::custom)
    }
}

/// Standard base64 with padding (RFC 4648), from the base64 crate.
mod base64 {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;

    pub fn encode(bytes: &[u8]) -> String {
        STANDARD.encode(bytes)
    }

    pub fn decode(text: &str) -> Result<Vec<u8>, String> {
        STANDARD.decode(text).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLEAR: &str = "dop_v1_0123456789abcdef0123456789abcdef";

    #[derive(Debug, Serialize, Deserialize)]
    struct Driver {
        region: String,
        token: Secret,
    }

    /// This test process's store: a key file under a private temp dir.
    fn install_test_key() -> PathBuf {
        static DIR: OnceLock<PathBuf> = OnceLock::new();
        DIR.get_or_init(|| {
            let dir =
                std::env::temp_dir().join(format!("machinectl-secret-{}", std::process::id()));
            let path = dir.join("certs/secrets.key");
            use_key_file(path.clone());
            path
        })
        .clone()
    }

    #[test]
    fn json_never_holds_the_clear_text() {
        let key_file = install_test_key();
        let driver = Driver {
            region: "fra1".into(),
            token: Secret::new(CLEAR),
        };
        let json = serde_json::to_string(&driver).unwrap();
        assert!(!json.contains(CLEAR), "{json}");
        assert!(!json.contains("0123456789abcdef"), "{json}");
        assert!(json.contains("\"token\":\"sealed:v1:"), "{json}");
        // The key was made once, private.
        let mode = fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(fs::read(&key_file).unwrap().len(), KEY_LEN);
        let dir_mode = fs::metadata(key_file.parent().unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(dir_mode & 0o777, 0o700);
        // Sealing the same value twice gives different text (a fresh nonce).
        assert_ne!(json, serde_json::to_string(&driver).unwrap());
    }

    #[test]
    fn round_trip_through_json() {
        install_test_key();
        let driver = Driver {
            region: "fra1".into(),
            token: Secret::new(CLEAR),
        };
        let json = serde_json::to_string(&driver).unwrap();
        let back: Driver = serde_json::from_str(&json).unwrap();
        assert_eq!(back.token.expose(), CLEAR);
        assert_eq!(back.region, "fra1");
        let empty = serde_json::to_string(&Secret::default()).unwrap();
        assert_eq!(
            serde_json::from_str::<Secret>(&empty).unwrap(),
            Secret::default()
        );
    }

    #[test]
    fn another_key_fails_with_a_clear_error() {
        let ours = SealingKey::from_bytes(&[7; KEY_LEN], "certs/secrets.key");
        let theirs = SealingKey::from_bytes(&[8; KEY_LEN], "other/certs/secrets.key");
        let sealed = ours.seal(CLEAR).unwrap();
        assert_eq!(ours.open(&sealed).unwrap().expose(), CLEAR);
        let error = theirs.open(&sealed).unwrap_err().to_string();
        assert!(
            error.contains("does not open with other/certs/secrets.key"),
            "{error}"
        );
        assert!(error.contains("another store's key"), "{error}");
        assert!(!error.contains(CLEAR));
        // A changed byte is caught the same way.
        let mut bytes = base64::decode(&sealed[PREFIX.len()..]).unwrap();
        bytes[NONCE_LEN] ^= 1;
        let tampered = format!("{PREFIX}{}", base64::encode(&bytes));
        assert!(matches!(
            ours.open(&tampered),
            Err(SecretError::WrongKey { .. })
        ));
    }

    #[test]
    fn clear_text_in_a_record_is_refused() {
        install_test_key();
        let error = serde_json::from_str::<Secret>(&format!("\"{CLEAR}\""))
            .unwrap_err()
            .to_string();
        assert!(error.contains("not sealed"), "{error}");
        assert!(!error.contains(CLEAR), "{error}");
        let error = serde_json::from_str::<Secret>("\"sealed:v1:@@@@\"")
            .unwrap_err()
            .to_string();
        assert!(error.contains("damaged"), "{error}");
    }

    #[test]
    fn debug_and_display_redact() {
        let secret = Secret::new(CLEAR);
        assert_eq!(format!("{secret:?}"), "[redacted]");
        assert_eq!(format!("{secret}"), "[redacted]");
        let driver = Driver {
            region: "fra1".into(),
            token: secret,
        };
        let debug = format!("{driver:?} {driver:#?}");
        assert!(!debug.contains(CLEAR), "{debug}");
        assert!(debug.contains("[redacted]"), "{debug}");
    }

    #[test]
    fn a_bad_key_file_is_named() {
        let dir = std::env::temp_dir().join(format!("machinectl-badkey-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("secrets.key");
        fs::write(&path, b"short").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        let error = SealingKey::load_or_create(&path).err().unwrap().to_string();
        assert!(error.contains("not a secrets key (5 bytes"), "{error}");
        fs::write(&path, [1u8; KEY_LEN]).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let error = SealingKey::load_or_create(&path).err().unwrap().to_string();
        assert!(error.contains("chmod 600"), "{error}");
        fs::remove_dir_all(&dir).unwrap();
    }
}
