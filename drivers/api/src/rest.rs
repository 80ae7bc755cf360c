//! What the REST drivers' clients (DigitalOcean, Compute Engine, Azure
//! Resource Manager) share beyond the retry policy: the count of requests
//! each sends, shown by `--debug`, and an error with its causes on one line
//! (a transport error's chain names what failed without its URL's query).

use std::sync::atomic::{AtomicUsize, Ordering};

/// How many requests a client sent in this process.
#[derive(Debug, Default)]
pub struct CallCounter(AtomicUsize);

impl CallCounter {
    pub const fn new() -> CallCounter {
        CallCounter(AtomicUsize::new(0))
    }

    /// Count one request.
    pub fn add(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    pub fn get(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

/// An error's message and its sources, on one line, joined by ": ".
pub fn causes(e: &dyn std::error::Error) -> String {
    let mut why = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        why = format!("{why}: {s}");
        source = s.source();
    }
    why
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Layer(&'static str, Option<Box<Layer>>);

    impl std::fmt::Display for Layer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }

    impl std::error::Error for Layer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.1.as_deref().map(|l| l as _)
        }
    }

    #[test]
    fn causes_are_joined_on_one_line() {
        let e = Layer(
            "request failed",
            Some(Box::new(Layer(
                "connect",
                Some(Box::new(Layer("refused", None))),
            ))),
        );
        assert_eq!(causes(&e), "request failed: connect: refused");
    }

    #[test]
    fn counter_counts() {
        static CALLS: CallCounter = CallCounter::new();
        CALLS.add();
        CALLS.add();
        assert_eq!(CALLS.get(), 2);
    }
}
