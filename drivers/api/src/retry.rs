//! The one retry and polling policy of machinectl and its drivers: a
//! bounded back-off (exponential up to a cap, or a fixed poll interval)
//! that ends at a deadline. `MACHINECTL_NO_RETRY_DELAY=1` shortens every
//! pause to a moment, so tests take retry paths without waiting; deadlines
//! still apply.

use std::time::{Duration, Instant};

/// The longest pause when tests switch delays off.
const TEST_PAUSE: Duration = Duration::from_millis(20);

/// Whether tests switched retry delays off.
pub fn delays_off() -> bool {
    std::env::var_os("MACHINECTL_NO_RETRY_DELAY").is_some_and(|v| v != "0")
}

/// `wanted`, or a moment when tests switched delays off.
pub fn delay(wanted: Duration) -> Duration {
    if delays_off() {
        wanted.min(TEST_PAUSE)
    } else {
        wanted
    }
}

/// Pauses between attempts until a deadline.
#[derive(Debug, Clone)]
pub struct Backoff {
    next: Duration,
    cap: Duration,
    deadline: Instant,
}

impl Backoff {
    /// Pauses from `first`, doubling up to `cap`, for at most `limit`.
    pub fn exponential(first: Duration, cap: Duration, limit: Duration) -> Backoff {
        Backoff {
            next: first,
            cap,
            deadline: Instant::now() + limit,
        }
    }

    /// The same pause between every attempt, for at most `limit`.
    pub fn every(interval: Duration, limit: Duration) -> Backoff {
        Backoff::exponential(interval, interval, limit)
    }

    /// The pause before the next attempt, or none when that attempt would
    /// start past the deadline (then the caller gives up with its reason).
    pub fn next_pause(&mut self) -> Option<Duration> {
        let pause = delay(self.next);
        if Instant::now() + pause >= self.deadline {
            return None;
        }
        self.next = (self.next * 2).min(self.cap);
        Some(pause)
    }

    /// Sleep before the next attempt; false, at once, when out of time.
    pub async fn pause(&mut self) -> bool {
        match self.next_pause() {
            Some(pause) => {
                tokio::time::sleep(pause).await;
                true
            }
            None => false,
        }
    }

    /// [`Backoff::pause`] for blocking code (an ssh2 session's thread).
    pub fn pause_blocking(&mut self) -> bool {
        match self.next_pause() {
            Some(pause) => {
                std::thread::sleep(pause);
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_double_up_to_the_cap_and_stop_at_the_deadline() {
        let mut b = Backoff::exponential(
            Duration::from_millis(1),
            Duration::from_millis(4),
            Duration::from_secs(60),
        );
        let pauses: Vec<_> = (0..4).map(|_| b.next_pause().unwrap()).collect();
        let expected = [1, 2, 4, 4].map(Duration::from_millis);
        if !delays_off() {
            assert_eq!(pauses, expected);
        }
        let mut short = Backoff::every(Duration::from_secs(10), Duration::from_millis(1));
        if !delays_off() {
            assert_eq!(short.next_pause(), None);
        }
    }
}
