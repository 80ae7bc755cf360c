//! The persisted description of one machine (machines/NAME/machine.json).

use serde::{Deserialize, Serialize};

use crate::drivers::MachineDriver;
use crate::store::checked::{
    EngineOpt, EnvVar, InsecureRegistry, InstallUrl, RegistryMirror, StorageDriver, TlsSan,
};

/// Bumped when the record's shape changes incompatibly; older versions are migrated on load.
pub const RECORD_VERSION: u32 = 1;

/// How the engine on the host is configured (the `--engine-*` flags).
/// Every value is a checked type (see `store::checked`): the JSON layout is
/// plain strings, and a record edited to hold a value that does not pass
/// fails to load.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EngineOptions {
    /// `--engine-opt key=value`, in the order given.
    pub opts: Vec<EngineOpt>,
    /// `key=value`, each checked as a `checked::Label` where it enters and on load.
    /// (Strings, because cluster nodes build theirs from validated names.)
    #[serde(deserialize_with = "crate::store::checked::labels")]
    pub labels: Vec<String>,
    pub env: Vec<EnvVar>,
    pub storage_driver: Option<StorageDriver>,
    pub registry_mirrors: Vec<RegistryMirror>,
    pub insecure_registries: Vec<InsecureRegistry>,
    /// Absent: the OS family's default method; `none`: never install.
    pub install_url: Option<InstallUrl>,
    pub port: u16,
    pub tls_san: Vec<TlsSan>,
}

/// The last state machinectl itself put the machine in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecordState {
    Creating,
    Running,
    Stopped,
    Error,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MachineRecord {
    pub version: u32,
    /// The store's name rule holds on load too: a record never names a path.
    #[serde(deserialize_with = "crate::store::checked::machine_name")]
    pub name: String,
    pub driver: MachineDriver,
    pub engine: EngineOptions,
    pub state: RecordState,
    /// What failed, for a machine kept with --keep-on-error or broken later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Server version reported by the engine at the last check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine_version: Option<String>,
    /// PRETTY_NAME of the host's OS, as provisioning found it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
    /// docker-machine's driver name, for machines adopted with `import`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported_from: Option<String>,
    /// The cluster this machine is a node of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    /// Seconds since the epoch.
    pub created_at: u64,
}

impl MachineRecord {
    pub fn new(name: &str, driver: MachineDriver, engine: EngineOptions) -> Self {
        MachineRecord {
            version: RECORD_VERSION,
            name: name.to_string(),
            driver,
            engine,
            state: RecordState::Creating,
            error: None,
            engine_version: None,
            os: None,
            imported_from: None,
            cluster: None,
            created_at: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0),
        }
    }

    /// `tcp://IP:PORT` once the host has an address.
    pub fn url(&self) -> Option<String> {
        let host = self.driver.engine_host()?;
        let host = match host.parse::<std::net::IpAddr>() {
            Ok(std::net::IpAddr::V6(v6)) => format!("[{v6}]"),
            _ => host,
        };
        Some(format!("tcp://{host}:{}", self.engine.port))
    }
}
