//! The store under ~/.machinectl: its layout, locks and machine records.
//!
//! ```text
//! certs/{ca,ca-key,cert,key}.pem     client side of mutual TLS (made once, under the store lock)
//! machines/NAME/machine.json         the record (atomic writes)
//! machines/NAME/.lock                held while a process works on the machine
//! machines/NAME/{ca,cert,key}.pem    copies so DOCKER_CERT_PATH works as with docker-machine
//! machines/NAME/server{,-key}.pem    what was pushed to the host
//! machines/NAME/id_ed25519{,.pub}    the machine's SSH key; known_host pins the host key
//! machines/NAME/create-step          while a create runs: its step and process ([`progress`])
//! clusters/NAME/cluster.json         a cluster: spec, id, nodes, what it made
//! locks/cluster-NAME.lock            held by an up, scale or down of that cluster
//! ```
//! Directories are 0700 and private keys 0600. A record that cannot be read
//! affects only its own machine.

pub mod atomic;
pub mod checked;
pub mod lock;
pub mod progress;
pub mod record;

use std::fs;
use std::io;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

/// A machine's record, in its directory.
const RECORD_FILE: &str = "machine.json";

pub use lock::FileLock;
pub use record::{EngineOptions, MachineRecord, RecordState};

/// Errors of the store, phrased for the user.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("machine {0:?} does not exist: see `machinectl ls`")]
    NotFound(String),
    #[error(
        "machine {0:?} already exists: pick another name or remove it with `machinectl rm {0}`"
    )]
    Exists(String),
    #[error("{0}")]
    InvalidName(String),
    #[error("cluster {0:?} does not exist: see `clusterctl ls`")]
    ClusterNotFound(String),
    #[error("machine {0:?} is busy: another machinectl process is working on it")]
    Busy(String),
    #[error(
        "cluster {0:?} is busy: another clusterctl up, scale or down is working on it; wait for it to finish"
    )]
    ClusterBusy(String),
    #[error(
        "record of machine {name:?} is unreadable ({detail}): remove it with `machinectl rm -f {name}`"
    )]
    Corrupt { name: String, detail: String },
    #[error(
        "record of cluster {name:?} is unreadable ({detail}): remove its nodes (`machinectl ls --filter cluster={name}`) with `machinectl rm -y -f`, then its directory {}",
        dir.display()
    )]
    ClusterCorrupt {
        name: String,
        detail: String,
        dir: PathBuf,
    },
    #[error("{what} {}: {source}{}", path.display(), io_fix(source))]
    Io {
        what: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// The fix for the store's own file errors that a user can act on.
fn io_fix(e: &io::Error) -> &'static str {
    match e.kind() {
        io::ErrorKind::ReadOnlyFilesystem => {
            ": the store is on a read-only file system: make it writable, or use another store (--storage-path or MACHINECTL_STORAGE_PATH)"
        }
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
            ": the disk is full: free space on it, or use another store (--storage-path or MACHINECTL_STORAGE_PATH)"
        }
        io::ErrorKind::PermissionDenied => {
            ": the store is not writable by this user: run as its owner, or use another store (--storage-path or MACHINECTL_STORAGE_PATH)"
        }
        _ => "",
    }
}

fn io_err<'a>(what: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> StoreError + 'a {
    move |source| StoreError::Io {
        what,
        path: path.to_path_buf(),
        source,
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

/// A machine reserved or opened for exclusive work; the lock is released on drop.
#[derive(Debug)]
pub struct MachineGuard {
    pub name: String,
    pub dir: PathBuf,
    _lock: FileLock,
}

impl Store {
    /// The store at `root`; nothing is created until something is written.
    /// Its secrets key (certs/secrets.key) becomes this process's key for
    /// sealed driver secrets; it is read, or made once, on first use.
    pub fn new(root: PathBuf) -> Store {
        machinectl_driver_api::secret::use_key_file(root.join("certs").join("secrets.key"));
        Store { root }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn certs_dir(&self) -> PathBuf {
        self.root.join("certs")
    }

    pub fn machines_dir(&self) -> PathBuf {
        self.root.join("machines")
    }

    pub fn machine_dir(&self, name: &str) -> PathBuf {
        self.machines_dir().join(name)
    }

    fn record_path(&self, name: &str) -> PathBuf {
        self.machine_dir(name).join(RECORD_FILE)
    }

    /// Create a directory (and parents) with mode 0700.
    pub fn make_dir(path: &Path) -> Result<()> {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(path)
            .map_err(io_err("create directory", path))
    }

    /// The store-wide lock: serialises CA creation and name reservation.
    pub fn lock(&self) -> Result<FileLock> {
        Self::make_dir(&self.root)?;
        let path = self.root.join(".lock");
        FileLock::acquire(&path).map_err(io_err("lock", &path))
    }

    /// Names of all machines, sorted naturally (what a delete killed
    /// half-way left out of sight is swept first).
    pub fn names(&self) -> Result<Vec<String>> {
        self.sweep_hidden();
        list_dirs(&self.machines_dir(), |_| true)
    }

    pub fn exists(&self, name: &str) -> bool {
        validate_name(name).is_ok() && self.machine_dir(name).is_dir()
    }

    /// A name from the user as a path component: never `.`, `..` or a path,
    /// so no verb can reach outside its own directory.
    fn checked(name: &str) -> Result<()> {
        validate_name(name).map_err(StoreError::InvalidName)
    }

    pub fn load(&self, name: &str) -> Result<MachineRecord> {
        Self::checked(name)?;
        let path = self.record_path(name);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(if self.exists(name) {
                    StoreError::Corrupt {
                        name: name.into(),
                        detail: "machine.json is missing".into(),
                    }
                } else {
                    StoreError::NotFound(name.into())
                });
            }
            Err(e) => return Err(io_err("read", &path)(e)),
        };
        let record: MachineRecord =
            serde_json::from_slice(&bytes).map_err(|e| StoreError::Corrupt {
                name: name.into(),
                detail: crate::ui::printable(&e.to_string()),
            })?;
        if record.version > record::RECORD_VERSION {
            return Err(StoreError::Corrupt {
                name: name.into(),
                detail: format!(
                    "record version {} is newer than this machinectl understands ({}); upgrade machinectl",
                    record.version,
                    record::RECORD_VERSION
                ),
            });
        }
        Ok(record)
    }

    /// Write the record. Its error text often quotes a provider's answer,
    /// which may echo a credential: it is stored redacted, never in clear.
    pub fn save(&self, record: &MachineRecord) -> Result<()> {
        Self::save_at(&self.record_path(&record.name), record)
    }

    fn save_at(path: &Path, record: &MachineRecord) -> Result<()> {
        let redacted = record.error.as_deref().map(crate::ui::redact);
        let json = if redacted.as_deref() != record.error.as_deref() {
            serde_json::to_vec_pretty(&MachineRecord {
                error: redacted,
                ..record.clone()
            })
        } else {
            serde_json::to_vec_pretty(record)
        }
        .expect("records serialize");
        atomic::write_atomic(path, &json, 0o600).map_err(io_err("write", path))
    }

    /// Reserve a new name: under the store lock, the machine's directory
    /// appears with its record (and a create's step note) already in it,
    /// by renaming a hidden one made beside it, so a process killed at any
    /// point leaves either no directory or one `ls` can read; then hold the
    /// machine's own lock.
    pub fn reserve(&self, record: &MachineRecord) -> Result<MachineGuard> {
        Self::checked(&record.name)?;
        let _store = self.lock()?;
        let dir = self.machine_dir(&record.name);
        if dir.exists() {
            return Err(StoreError::Exists(record.name.clone()));
        }
        Self::make_dir(&self.machines_dir())?;
        // Named with this process's id so that what a process killed in the
        // middle left is swept (by any later ls, rm or create) once it is gone.
        let staging =
            self.machines_dir()
                .join(format!(".reserving-{}-{}", record.name, std::process::id()));
        self.sweep_hidden();
        let made = fs::DirBuilder::new()
            .mode(0o700)
            .create(&staging)
            .map_err(io_err("create directory", &staging))
            .and_then(|()| {
                // A record in Creating always has its note: a create killed
                // right after this still shows in `ls` as one that died.
                if record.state == RecordState::Creating {
                    progress::note(&staging, "Reserving the name");
                }
                Self::save_at(&staging.join(RECORD_FILE), record)
            })
            .and_then(|()| fs::rename(&staging, &dir).map_err(io_err("create directory", &dir)));
        if let Err(e) = made {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
        self.guard(&record.name)
    }

    /// [`Store::reserve`] from async code: the store lock may be held by
    /// another process for a while, and waiting for it must not stall the
    /// other tasks of this one (the other nodes of a cluster `up`).
    pub async fn reserve_async(&self, record: &MachineRecord) -> Result<MachineGuard> {
        let store = self.clone();
        let record = record.clone();
        tokio::task::spawn_blocking(move || store.reserve(&record))
            .await
            .unwrap_or_else(|e| {
                Err(StoreError::Io {
                    what: "reserve",
                    path: PathBuf::new(),
                    source: io::Error::other(e.to_string()),
                })
            })
    }

    fn guard(&self, name: &str) -> Result<MachineGuard> {
        let dir = self.machine_dir(name);
        let path = dir.join(".lock");
        match FileLock::try_acquire(&path).map_err(io_err("lock", &path))? {
            Some(lock) => Ok(MachineGuard {
                name: name.into(),
                dir,
                _lock: lock,
            }),
            None => Err(StoreError::Busy(name.into())),
        }
    }

    /// Take the machine's lock for exclusive work (start, stop, rm, …).
    pub fn open(&self, name: &str) -> Result<MachineGuard> {
        Self::checked(name)?;
        self.sweep_hidden();
        if !self.exists(name) {
            return Err(StoreError::NotFound(name.into()));
        }
        self.guard(name)
    }

    pub fn clusters_dir(&self) -> PathBuf {
        self.root.join("clusters")
    }

    pub fn cluster_dir(&self, name: &str) -> PathBuf {
        self.clusters_dir().join(name)
    }

    /// Take the cluster's lock for an up, scale or down, without waiting:
    /// a second one of the same cluster is refused at once. The lock file
    /// lives outside the cluster's directory, which `down` deletes.
    pub fn lock_cluster(&self, name: &str) -> Result<FileLock> {
        Self::checked(name)?;
        let dir = self.root.join("locks");
        Self::make_dir(&dir)?;
        let path = dir.join(format!("cluster-{name}.lock"));
        FileLock::try_acquire(&path)
            .map_err(io_err("lock", &path))?
            .ok_or_else(|| StoreError::ClusterBusy(name.into()))
    }

    pub fn cluster_names(&self) -> Result<Vec<String>> {
        list_dirs(&self.clusters_dir(), |dir| {
            dir.join("cluster.json").is_file()
        })
    }

    pub fn load_cluster(&self, name: &str) -> Result<crate::cluster::ClusterRecord> {
        Self::checked(name)?;
        let path = self.cluster_dir(name).join("cluster.json");
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(StoreError::ClusterNotFound(name.into()));
            }
            Err(e) => return Err(io_err("read", &path)(e)),
        };
        let corrupt = |detail: String| StoreError::ClusterCorrupt {
            name: name.into(),
            detail,
            dir: self.cluster_dir(name),
        };
        let record = serde_json::from_slice::<crate::cluster::ClusterRecord>(&bytes)
            .map_err(|e| corrupt(crate::ui::printable(&e.to_string())))?;
        let known = crate::cluster::record::CLUSTER_RECORD_VERSION;
        if record.version > known {
            return Err(corrupt(format!(
                "record version {} is newer than this clusterctl understands ({known}); upgrade clusterctl",
                record.version
            )));
        }
        Ok(record.migrate())
    }

    pub fn save_cluster(&self, record: &crate::cluster::ClusterRecord) -> Result<()> {
        Self::checked(record.name())?;
        let dir = self.cluster_dir(record.name());
        Self::make_dir(&dir)?;
        let path = dir.join("cluster.json");
        let mut record = record.clone();
        record.error = record.error.as_deref().map(crate::ui::redact);
        let json = serde_json::to_vec_pretty(&record).expect("records serialize");
        atomic::write_atomic(&path, &json, 0o600).map_err(io_err("write", &path))
    }

    pub fn delete_cluster(&self, name: &str) -> Result<()> {
        Self::checked(name)?;
        let dir = self.cluster_dir(name);
        match fs::remove_dir_all(&dir) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_err("remove", &dir)(e)),
        }
    }

    /// Delete the machine's directory. The caller holds its guard. The
    /// directory is first renamed out of sight, so a process killed while
    /// its files go leaves no half-removed machine for `ls`; what such a
    /// process left hidden is swept here.
    pub fn delete(&self, guard: MachineGuard) -> Result<()> {
        let dir = guard.dir.clone();
        let hidden =
            self.machines_dir()
                .join(format!(".removing-{}-{}", guard.name, std::process::id()));
        fs::rename(&dir, &hidden).map_err(io_err("remove", &dir))?;
        fs::remove_dir_all(&hidden).map_err(io_err("remove", &hidden))?;
        drop(guard);
        self.sweep_hidden();
        Ok(())
    }

    /// Remove what reserves and deletes killed half-way left:
    /// `.reserving-NAME-PID` and `.removing-NAME-PID` of a process that is
    /// gone (a live one is still at work on its own).
    fn sweep_hidden(&self) {
        let Ok(entries) = fs::read_dir(self.machines_dir()) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let owner_gone = name
                .strip_prefix(".removing-")
                .or_else(|| name.strip_prefix(".reserving-"))
                .and_then(|rest| rest.rsplit_once('-'))
                .and_then(|(_, pid)| pid.parse::<u32>().ok())
                .is_some_and(|pid| !progress::running(pid));
            if owner_gone {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
}

/// Subdirectories of `dir` (none if it is missing) that `keep` accepts,
/// hidden ones excluded, sorted naturally.
fn list_dirs(dir: &Path, keep: impl Fn(&Path) -> bool) -> Result<Vec<String>> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_err("read", dir)(e)),
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|e| e.path().is_dir() && keep(&e.path()))
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort_by(|a, b| natural_cmp(a, b));
    Ok(names)
}

/// Compare so that "node-2" sorts before "node-10".
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    fn chunks(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let bytes = s.as_bytes();
        for i in 1..=bytes.len() {
            if i == bytes.len() || bytes[i].is_ascii_digit() != bytes[start].is_ascii_digit() {
                out.push((bytes[start].is_ascii_digit(), &s[start..i]));
                start = i;
            }
        }
        out
    }
    let (ca, cb) = (chunks(a), chunks(b));
    for ((da, xa), (db, xb)) in ca.iter().zip(cb.iter()) {
        let ord = if *da && *db {
            let (na, nb) = (xa.trim_start_matches('0'), xb.trim_start_matches('0'));
            na.len().cmp(&nb.len()).then(na.cmp(nb))
        } else {
            xa.cmp(xb)
        };
        if ord.is_ne() {
            return ord;
        }
    }
    ca.len().cmp(&cb.len())
}

/// Valid machine names: docker-machine's rule, `^[a-zA-Z0-9][a-zA-Z0-9.-]*$`,
/// capped at 63 characters because the name becomes the hostname.
pub fn validate_name(name: &str) -> std::result::Result<(), String> {
    let valid = !name.is_empty()
        && name.len() <= 63
        && name.as_bytes()[0].is_ascii_alphanumeric()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if valid {
        Ok(())
    } else {
        Err(format!(
            "invalid machine name {name:?}: use letters, digits, '-' and '.', starting with a letter or digit (at most 63)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_sort_orders_numbers_by_value() {
        let mut v = vec!["node-10", "node-2", "alpha", "node-1"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["alpha", "node-1", "node-2", "node-10"]);
    }

    #[test]
    fn names_follow_docker_machine_rule() {
        assert!(validate_name("dev").is_ok());
        assert!(validate_name("a.b-1").is_ok());
        assert!(validate_name("-x").is_err());
        assert!(validate_name("a_b").is_err());
        assert!(validate_name("").is_err());
        assert!(validate_name(&"a".repeat(63)).is_ok());
        assert!(validate_name(&"a".repeat(64)).is_err());
    }

    #[test]
    fn hidden_leftovers_of_gone_processes_are_swept_and_live_ones_kept() {
        let root = tempfile::tempdir().unwrap();
        let store = Store::new(root.path().to_path_buf());
        // A child that has exited and been reaped: its id names no process.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let gone = child.id();
        child.wait().unwrap();
        let mine = std::process::id();
        let machines = store.machines_dir();
        let names = [
            format!(".reserving-a-{gone}"),
            format!(".removing-b-{gone}"),
            format!(".reserving-c-{mine}"),
            format!(".removing-d-{mine}"),
        ];
        for name in &names {
            fs::create_dir_all(machines.join(name)).unwrap();
        }
        assert_eq!(store.names().unwrap(), Vec::<String>::new());
        let mut left: Vec<String> = fs::read_dir(&machines)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [names[3].clone(), names[2].clone()]);
    }
}
