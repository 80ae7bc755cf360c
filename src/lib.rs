//! machinectl: create Docker hosts through provider drivers, provision them
//! over SSH, and secure their engines with mutual TLS.
//!
//! Module map (see each module's doc for what it owns):
//! - [`cli`]: clap types only; [`commands`]: one module per subcommand.
//! - [`store`]: ~/.machinectl, records, locks, atomic writes.
//! - [`pki`]: CA, client and server certificates; SSH keys.
//! - [`ssh`]: one ssh2 session per host, host-key pinning.
//! - [`provision`]: OS and init detection, engine install and TLS config.
//! - [`engine`]: Docker Engine API over mutual TLS.
//! - [`drivers`]: the closed set of drivers as a serde-tagged enum.
//! - [`render`]: tera over the embedded templates/.
//! - [`ui`]: the one printer all output goes through.

pub mod cli;
pub mod cluster;
pub mod commands;
pub mod drivers;
pub mod engine;
pub mod pki;
pub mod provision;
pub mod render;
pub mod retry;
pub mod ssh;
pub mod store;
pub mod ui;
