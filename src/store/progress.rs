//! `machines/NAME/create-step`: the step a create is at, and which process
//! makes it. A create killed outright (SIGKILL, a crash, power loss) cannot
//! say what happened; this file lets `ls` tell a create that died from one
//! under way, and name the step it died in. Written atomically at every
//! step, removed when the create ends either way.

use std::fs;
use std::path::Path;

/// The file, in the machine's directory.
pub const FILE: &str = "create-step";

/// Note that this process starts `step` on the machine in `dir` (best effort:
/// the note only sharpens what `ls` says).
pub fn note(dir: &Path, step: &str) {
    let Some(me) = process_id(std::process::id()) else {
        return;
    };
    let text = format!("{me}\n{}\n", step.lines().next().unwrap_or_default());
    let _ = super::atomic::write_atomic(&dir.join(FILE), text.as_bytes(), 0o600);
}

/// The create ended (made, kept with its error, or rolled back).
pub fn clear(dir: &Path) {
    let _ = fs::remove_file(dir.join(FILE));
}

/// The step a create in `dir` was at when its process went away; `None`
/// while that process lives (or when nothing was noted).
pub fn died_at(dir: &Path) -> Option<String> {
    let text = fs::read_to_string(dir.join(FILE)).ok()?;
    let (process, step) = text.split_once('\n')?;
    let pid: u32 = process.split_whitespace().next()?.parse().ok()?;
    if process_id(pid).as_deref() == Some(process) {
        return None;
    }
    Some(step.trim_end().to_string())
}

/// Whether `pid` is a running process (a zombie, killed but not yet
/// reaped by its parent, is not).
pub fn running(pid: u32) -> bool {
    process_id(pid).is_some()
}

/// `PID START`: a pid and its start time (clock ticks since boot), so a
/// pid reused by another process is not taken for the create; `None` for a
/// process that is gone or a zombie.
fn process_id(pid: u32) -> Option<String> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let mut fields = stat.get(stat.rfind(')')? + 2..)?.split_whitespace();
    if matches!(fields.next()?, "Z" | "X") {
        return None;
    }
    // starttime is field 22 of stat; the state above was field 3.
    let start = fields.nth(18)?;
    Some(format!("{pid} {start}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_creator_is_not_dead_and_a_gone_one_names_its_step() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(died_at(dir.path()), None, "nothing noted");
        note(dir.path(), "Starting the engine");
        assert_eq!(died_at(dir.path()), None, "this process lives");
        // The same pid with another start time is another process.
        let me = std::process::id();
        fs::write(dir.path().join(FILE), format!("{me} 1\nConfiguring\n")).unwrap();
        assert_eq!(died_at(dir.path()).as_deref(), Some("Configuring"));
        clear(dir.path());
        assert_eq!(died_at(dir.path()), None);
    }
}
