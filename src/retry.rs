//! Retry delays and back-off: the policy lives in the driver API crate so
//! machinectl and every driver share it (see its docs).

pub use machinectl_driver_api::retry::{Backoff, delay, delays_off};
