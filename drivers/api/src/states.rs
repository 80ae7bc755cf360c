//! Machine states from a cloud's API, under `ls`'s timeout: one machine's
//! from one lookup ([`one`]), and many machines' from one list call per
//! account ([`spread`]: the grouping, and the spreading of one list's
//! answer, error or timeout over every machine of the group). Each cloud
//! driver says only how to look up, group, list and read a state.

use std::collections::HashMap;
use std::fmt::Display;
use std::future::Future;
use std::hash::Hash;
use std::time::Duration;

use crate::{DriverError, MachineState, Result};

/// One machine's state from `lookup` under `timeout`: what `read` makes of
/// what it found, `NotFound` when it found nothing (404), `Timeout` when it
/// ran out of time; its error as it is.
pub async fn one<T>(
    timeout: Duration,
    lookup: impl Future<Output = Result<Option<T>>>,
    read: impl FnOnce(T) -> MachineState,
) -> Result<MachineState> {
    match tokio::time::timeout(timeout, lookup).await {
        Ok(Ok(Some(found))) => Ok(read(found)),
        Ok(Ok(None)) => Ok(MachineState::NotFound),
        Ok(Err(e)) => Err(e),
        Err(_) => Ok(MachineState::Timeout),
    }
}

/// The state of each of `drivers`, in order. `group` keys the machines one
/// list call answers for (none: nothing was made, so `NotFound`); `list`
/// is called once per group with the indexes (into `drivers`) of its
/// machines, under `timeout`; `pick` reads one machine's state (by its
/// index) from what its group's list found. A failed list is that error
/// on each of its machines, one that ran out of time `Timeout`.
pub async fn spread<D, K, L, E, Fut>(
    drivers: &[&D],
    timeout: Duration,
    group: impl Fn(&D) -> Option<K>,
    list: impl Fn(Vec<usize>) -> Fut,
    pick: impl Fn(&L, usize) -> MachineState,
) -> Vec<Result<MachineState>>
where
    D: ?Sized,
    K: Eq + Hash,
    E: Display,
    Fut: Future<Output = std::result::Result<L, E>>,
{
    let mut groups: HashMap<K, Vec<usize>> = HashMap::new();
    for (i, d) in drivers.iter().enumerate() {
        if let Some(key) = group(d) {
            groups.entry(key).or_default().push(i);
        }
    }
    let mut states: Vec<Result<MachineState>> =
        drivers.iter().map(|_| Ok(MachineState::NotFound)).collect();
    for indexes in groups.into_values() {
        let listed = tokio::time::timeout(timeout, list(indexes.clone())).await;
        for i in indexes {
            states[i] = match &listed {
                Ok(Ok(found)) => Ok(pick(found, i)),
                Ok(Err(e)) => Err(DriverError::Other(e.to_string())),
                Err(_) => Ok(MachineState::Timeout),
            };
        }
    }
    states
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Machines as (account, id); account "" made nothing.
    fn run(
        machines: &[(&'static str, u32)],
        answer: fn(&str) -> std::result::Result<Vec<u32>, String>,
    ) -> (Vec<Result<MachineState>>, usize) {
        let drivers: Vec<&(&str, u32)> = machines.iter().collect();
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let states = rt.block_on(spread(
            &drivers,
            Duration::from_millis(200),
            |d| (!d.0.is_empty()).then_some(d.0),
            |ix| {
                calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let account = drivers[ix[0]].0;
                async move {
                    if account == "slow" {
                        tokio::time::sleep(Duration::from_secs(5)).await;
                    }
                    answer(account)
                }
            },
            |found: &Vec<u32>, i| match found.contains(&drivers[i].1) {
                true => MachineState::Running,
                false => MachineState::NotFound,
            },
        ));
        (states, calls.into_inner())
    }

    #[test]
    fn one_lookup_reads_found_missing_failed_and_late() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let t = Duration::from_millis(100);
        let read = |s: &str| match s {
            "up" => MachineState::Running,
            _ => MachineState::Error,
        };
        let found = rt.block_on(one(t, async { Ok(Some("up")) }, read));
        assert_eq!(found.unwrap(), MachineState::Running);
        let gone = rt.block_on(one(t, async { Ok(None::<&str>) }, read));
        assert_eq!(gone.unwrap(), MachineState::NotFound);
        let failed = async { Err(DriverError::Other("refused".into())) };
        let failed = rt.block_on(one(t, failed, read)).unwrap_err();
        assert_eq!(failed.to_string(), "refused");
        let late = async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            Ok(Some("up"))
        };
        assert_eq!(
            rt.block_on(one(t, late, read)).unwrap(),
            MachineState::Timeout
        );
    }

    #[test]
    fn one_list_per_group_spread_over_its_machines() {
        let machines = [
            ("a", 1),
            ("b", 2),
            ("a", 3),
            ("", 4),
            ("bad", 5),
            ("slow", 6),
        ];
        let (states, calls) = run(&machines, |account| match account {
            "bad" => Err("401 refused".into()),
            _ => Ok(vec![1, 2]),
        });
        assert_eq!(calls, 4, "one list for each of a, b, bad and slow");
        let shown: Vec<String> = states
            .iter()
            .map(|s| match s {
                Ok(state) => state.as_str().to_string(),
                Err(e) => e.to_string(),
            })
            .collect();
        assert_eq!(
            shown,
            [
                "Running",
                "Running",
                "NotFound",
                "NotFound",
                "401 refused",
                "Timeout"
            ]
        );
    }
}
