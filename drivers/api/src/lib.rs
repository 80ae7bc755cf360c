//! The seam between machinectl and the places it makes hosts.
//!
//! A driver owns one kind of host (a namespace on this machine, an SSH host,
//! a cloud instance). It knows how to make the host, where SSH reaches it,
//! what state it is in, and how to take it away again. Everything above the
//! driver (certificates, provisioning, the engine check, the store) is the
//! same for every driver.
//!
//! Drivers persist themselves: each implementation is a serde type that holds
//! its options and the ids of everything it made. During `create` a driver
//! hands a snapshot of itself to [`Checkpoint::save`] the moment a resource
//! exists, so `rm` can always find what a crashed or failed run made.

pub mod checked;
pub mod cluster;
pub mod jwt;
pub mod rest;
pub mod retry;
pub mod secret;
pub mod states;
pub mod user_data;

pub use cluster::{Cluster, ClusterNode, Found, PortRange, Protocol};
pub use secret::Secret;

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// What a driver is told when asked to make a host.
#[derive(Debug, Clone)]
pub struct CreateContext {
    /// The machine name, already validated.
    pub name: String,
    /// The machine's own directory in the store (0700); drivers may keep files here.
    pub machine_dir: PathBuf,
    /// OpenSSH public key line the host must accept (for drivers that inject keys).
    pub ssh_public_key: String,
    /// Path of the matching private key in the store.
    pub ssh_private_key: PathBuf,
    /// The port the engine will listen on (for firewalls the driver opens).
    pub engine_port: u16,
    /// The cluster the host is a node of (`clusterctl up`), if any: its
    /// tags, user-data and firewall ports (see [`cluster`]).
    pub cluster: Option<ClusterNode>,
    /// A shell script that installs the engine while the instance boots
    /// (cloud-init runs it as user-data), so provisioning over SSH finds
    /// dockerd installed or on its way instead of starting the install
    /// itself. A cloud driver boots with it only when it has no user-data
    /// of its own (the user's flag or a cluster role's); `None` when the
    /// user turned the install off (`--engine-install-url none`). It holds
    /// no secret: certificates go over SSH afterwards.
    pub engine_boot_script: Option<String>,
}

/// Where and as whom SSH reaches a host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SshTarget {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub key_path: PathBuf,
    /// The user's own key that `key_path` copies, named in errors instead.
    pub key_origin: Option<PathBuf>,
}

impl SshTarget {
    /// `user` at `host`:`port` with the machine's own key (no user key it copies).
    pub fn new(
        host: impl fmt::Display,
        port: u16,
        user: impl fmt::Display,
        key_path: PathBuf,
    ) -> Self {
        SshTarget {
            host: host.to_string(),
            port,
            user: user.to_string(),
            key_path,
            key_origin: None,
        }
    }
}

/// The life-cycle states a user sees (the names docker-machine prints).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MachineState {
    Creating,
    Starting,
    Running,
    Stopping,
    Stopped,
    /// The host's record exists but the host itself is gone.
    NotFound,
    Error,
    Timeout,
}

impl MachineState {
    pub fn as_str(self) -> &'static str {
        match self {
            MachineState::Creating => "Creating",
            MachineState::Starting => "Starting",
            MachineState::Running => "Running",
            MachineState::Stopping => "Stopping",
            MachineState::Stopped => "Stopped",
            MachineState::NotFound => "NotFound",
            MachineState::Error => "Error",
            MachineState::Timeout => "Timeout",
        }
    }
}

impl fmt::Display for MachineState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What `remove` could and could not delete.
#[derive(Debug, Default, Clone)]
pub struct RemoveReport {
    /// Resources that were deleted, in human words ("network namespace mctl-1a2b").
    pub removed: Vec<String>,
    /// Resources that could not be deleted, with the reason.
    pub left: Vec<String>,
    /// A note for the user (e.g. "the remote host itself was not touched").
    pub note: Option<String>,
}

impl RemoveReport {
    pub fn is_complete(&self) -> bool {
        self.left.is_empty()
    }
}

/// Domain errors a driver reports. Messages are one line and name the fix.
#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    /// The driver cannot run here (missing tool, not root, wrong OS).
    #[error("{0}")]
    Precondition(String),
    /// A flag or option is wrong.
    #[error("{0}")]
    InvalidOption(String),
    /// The verb has no meaning for this driver.
    #[error("{verb} is not supported by the {driver} driver: {why}")]
    Unsupported {
        driver: &'static str,
        verb: &'static str,
        why: &'static str,
    },
    /// A command the driver ran failed.
    #[error("{what} failed: {detail}")]
    Command { what: String, detail: String },
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    /// Anything else, already phrased for the user.
    #[error("{0}")]
    Other(String),
}

impl DriverError {
    pub fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        DriverError::Io {
            what: what.into(),
            source,
        }
    }
}

pub type Result<T, E = DriverError> = std::result::Result<T, E>;

/// Receives a driver's state whenever it changes during `create`, so the
/// record on disk always names every resource that exists.
pub trait Checkpoint: Send {
    fn save(&mut self, driver_state: serde_json::Value) -> Result<()>;
}

/// A checkpoint that keeps nothing (for tests and for verbs that do not persist).
pub struct NoCheckpoint;

impl Checkpoint for NoCheckpoint {
    fn save(&mut self, _driver_state: serde_json::Value) -> Result<()> {
        Ok(())
    }
}

/// One kind of host.
///
/// Drivers are a closed set dispatched through an enum in the main crate, so
/// the trait uses plain `async fn` and is never used as a trait object.
#[allow(async_fn_in_trait)]
pub trait Driver: Serialize + Send + Sync {
    /// The name users type after `--driver`.
    const NAME: &'static str;

    /// Everything that can be checked before anything is written or made.
    fn pre_create_check(&self) -> Result<()>;

    /// Whether machinectl should generate an SSH key pair for the host
    /// (false for drivers that are given one, like generic).
    fn wants_generated_key(&self) -> bool {
        true
    }

    /// Make the host. Must call `checkpoint.save` after each resource exists.
    async fn create(&mut self, ctx: &CreateContext, checkpoint: &mut dyn Checkpoint) -> Result<()>;

    /// Where SSH reaches the host, once it exists.
    fn ssh_target(&self) -> Option<SshTarget>;

    /// The address the engine listens on, as recorded (no network access).
    fn ip(&self) -> Option<IpAddr>;

    /// The name or address clients dial for the engine, as recorded (no
    /// lookup): a DNS name stays a name, so the certificate can carry it.
    fn engine_host(&self) -> Option<String> {
        self.ip().map(|ip| ip.to_string())
    }

    /// The address other nodes of a cluster reach this host at (a cloud
    /// host's private address); by default the address it is reached at.
    fn peer_address(&self) -> Option<IpAddr> {
        self.ip()
    }

    /// Every address the server certificate should carry.
    fn addresses(&self) -> Vec<IpAddr> {
        self.ip().into_iter().collect()
    }

    /// Ask the provider what state the host is in, within `timeout`.
    async fn state(&self, timeout: Duration) -> Result<MachineState>;

    async fn start(&mut self) -> Result<()>;
    async fn stop(&mut self) -> Result<()>;
    async fn kill(&mut self) -> Result<()>;

    /// Delete everything this driver made. Idempotent: things already gone
    /// count as removed.
    async fn remove(&mut self) -> Result<RemoveReport>;

    /// The host's SSH public key (`TYPE BASE64`), when the driver made it or
    /// otherwise knows it before the host is first contacted: it is pinned
    /// then, instead of trusted on first use.
    fn host_key(&self) -> Option<String> {
        None
    }

    /// Whether SSH authentication may fail for a while after the host
    /// answers (cloud-init installs keys after sshd starts).
    fn ssh_auth_may_lag(&self) -> bool {
        false
    }

    /// Whether `upgrade` may change the engine packages on the host.
    fn check_engine_upgrade(&self) -> Result<()> {
        Ok(())
    }

    /// Environment variables whose values are credentials of this driver's
    /// provider: masked wherever they turn up in output.
    const SECRET_VARIABLES: &'static [&'static str] = &[];

    /// The states of many hosts of this driver with as few provider calls
    /// as it can (one per account and region): what `ls` asks. In the
    /// order given; none asks each host by itself.
    async fn states_of(_drivers: &[&Self], _timeout: Duration) -> Option<Vec<Result<MachineState>>>
    where
        Self: Sized,
    {
        None
    }

    /// Counters worth a `--debug` line after create or rm (API calls made).
    fn debug_counters(&self) -> Option<String> {
        None
    }

    /// Whether the engine is started by the driver itself on `start` (hosts
    /// without an init system) rather than by the host's boot.
    fn engine_needs_start_after_boot(&self) -> bool {
        false
    }

    /// Options a cluster's nodes cannot take, refused before anything is
    /// made (the driver's own user-data flag: a node's is its role's).
    fn cluster_check(&self) -> Result<()> {
        Ok(())
    }

    /// Whether `create` boots a cluster node with its
    /// [`ClusterNode::user_data`]; if not, clusterctl runs the role's boot
    /// data over SSH once the node exists.
    fn takes_user_data(&self) -> bool {
        false
    }

    /// What a cluster's nodes share, made once before them (a firewall
    /// between the nodes). This value is the cluster's template driver
    /// (the flags given to `clusterctl up`). Returned things are recorded
    /// in the cluster and go to [`Driver::remove_cluster_resources`].
    async fn prepare_cluster(&self, _cluster: &Cluster) -> Result<Vec<Found>> {
        Ok(Vec::new())
    }

    /// Everything the provider holds where this driver's flags point that
    /// carries the cluster name's tag, nodes included, each with its
    /// cluster id: what `clusterctl down` finds without local state.
    async fn cluster_resources(&self, _cluster: &cluster::ClusterName) -> Result<Vec<Found>> {
        Err(DriverError::Unsupported {
            driver: Self::NAME,
            verb: "finding a cluster by its tags",
            why: "this driver does not implement the cluster seam yet; remove the nodes with `machinectl rm`",
        })
    }

    /// Delete what [`Driver::cluster_resources`] or
    /// [`Driver::prepare_cluster`] returned (already gone counts as
    /// removed): nodes first, then what they shared.
    async fn remove_cluster_resources(&self, _found: &[Found]) -> Result<RemoveReport> {
        Err(DriverError::Unsupported {
            driver: Self::NAME,
            verb: "removing a cluster by its tags",
            why: "this driver does not implement the cluster seam yet; remove the nodes with `machinectl rm`",
        })
    }

    /// go-discover's string by which Consul agents of the cluster find each
    /// other on this provider, credentials included (delivered over SSH,
    /// never in user-data); none: by address.
    fn cluster_auto_join(&self, _cluster: &Cluster) -> Option<Secret> {
        None
    }
}

/// A driver's own flags for `machinectl create`: parsed by clap (with
/// docker-machine's names as aliases and its environment variables),
/// checked, and turned into the driver. Only the chosen driver's flags are
/// shown by `create --driver NAME --help`.
pub trait DriverFlags: clap::Args + clap::FromArgMatches {
    type Driver: Driver;

    /// The driver these flags describe; `machine` is the validated name,
    /// `engine_port` the port the engine will listen on. Nothing is made yet.
    fn build(self, machine: &str, engine_port: u16) -> Result<Self::Driver>;

    /// An engine port this driver's flags set (docker-machine's
    /// `--generic-engine-port`); none leaves `--engine-port`.
    fn engine_port(&self) -> Option<u16> {
        None
    }
}

/// A path from a flag made absolute against the current directory, so the
/// record still names the file when a later command runs elsewhere.
pub fn absolute(path: PathBuf) -> PathBuf {
    if path.is_absolute() {
        path
    } else {
        std::env::current_dir()
            .map(|d| d.join(&path))
            .unwrap_or(path)
    }
}

/// Serialize a driver for a checkpoint.
pub fn snapshot<D: Serialize>(driver: &D) -> Result<serde_json::Value> {
    serde_json::to_value(driver).map_err(|e| DriverError::Other(format!("serialize driver: {e}")))
}
