//! Retry delays, which tests can switch off.
//!
//! `MACHINECTL_NO_RETRY_DELAY=1` makes every back-off sleep short, so tests
//! exercise retry paths without waiting; deadlines still apply.

use std::time::Duration;

pub fn delay(wanted: Duration) -> Duration {
    if std::env::var_os("MACHINECTL_NO_RETRY_DELAY").is_some_and(|v| v != "0") {
        wanted.min(Duration::from_millis(20))
    } else {
        wanted
    }
}
