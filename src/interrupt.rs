//! What an interrupted run must undo: the temporary files being written and the encoder processes
//! feeding them. Writers register both here while they work; the command line's SIGINT/SIGTERM
//! handler calls [`clean_up`] and exits, so Ctrl-C leaves no `.x.kneetrack.mp4.tmp-PID.mp4`
//! behind and no ffmpeg running on. A batch also registers what it must still write when cut
//! short (its summary of the clips finished so far, see [`on_interrupt`]).
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What an interrupted run still does once its encoders are stopped and its temporary files gone.
type Hook = Box<dyn FnOnce() + Send>;

/// The registered [`on_interrupt`] hook; its lock is also held while the run does that work
/// itself ([`unless_interrupted`]), so the two never write the same files at once.
static HOOK: Mutex<Option<Hook>> = Mutex::new(None);

/// Temporary files being written now.
static TEMPS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Process groups of the encoders running now (each ffmpeg leads its own group).
static GROUPS: Mutex<Vec<u32>> = Mutex::new(Vec::new());

fn lock<T>(m: &'static Mutex<Vec<T>>) -> std::sync::MutexGuard<'static, Vec<T>> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Marks `path` as a temporary file to remove if the run is interrupted.
pub fn register_temp(path: &Path) {
    lock(&TEMPS).push(path.to_path_buf());
}

/// `path` is gone or in place: nothing to remove any more.
pub fn forget_temp(path: &Path) {
    let mut temps = lock(&TEMPS);
    if let Some(i) = temps.iter().position(|p| p == path) {
        temps.swap_remove(i);
    }
}

/// Set (under the `GROUPS` lock) once [`clean_up`] has begun: no encoder may start after it.
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Starts `cmd` (already made the leader of its own process group) and marks that group as one to
/// kill if the run is interrupted. Spawning and marking happen under one lock, so a signal that
/// arrives in between cannot miss the encoder; once the run is interrupted nothing more starts.
pub fn spawn_group(cmd: &mut std::process::Command) -> std::io::Result<std::process::Child> {
    let mut groups = lock(&GROUPS);
    if INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst) {
        return Err(std::io::Error::other("the run was interrupted"));
    }
    let child = cmd.spawn()?;
    groups.push(child.id());
    Ok(child)
}

/// The encoder has been waited for.
pub fn forget_group(pgid: u32) {
    let mut groups = lock(&GROUPS);
    if let Some(i) = groups.iter().position(|&g| g == pgid) {
        groups.swap_remove(i);
    }
}

/// Kills the process group `pgid` (an encoder and anything it started).
pub fn kill_group(pgid: u32) {
    if let Ok(pgid) = libc::pid_t::try_from(pgid) {
        // SAFETY: kill(2) with a negative pid signals that process group; no memory is involved.
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
    }
}

/// Kills and reaps every registered encoder (so none writes on), then removes every registered
/// temporary file. For an interrupted run, just before it exits.
pub fn clean_up() {
    let mut groups = lock(&GROUPS);
    INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst);
    for pgid in groups.drain(..) {
        kill_group(pgid);
        if let Ok(pid) = libc::pid_t::try_from(pgid) {
            // SAFETY: waitpid(2) on our own child (the group leader); the status is not read.
            unsafe {
                libc::waitpid(pid, std::ptr::null_mut(), 0);
            }
        }
    }
    drop(groups);
    // Waits for a summary the run is writing itself to be in place, or writes it from here.
    let mut hook = HOOK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    remove_temps();
    if let Some(hook) = hook.take() {
        hook();
    }
}

/// Registers `hook` to run in [`clean_up`] (replacing any earlier one): what an interrupted run
/// must still write, e.g. a batch's summary of the clips finished so far.
pub fn on_interrupt(hook: Hook) {
    *HOOK.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(hook);
}

/// Whether [`clean_up`] has begun: what finishes after that was cut short by it.
pub fn interrupted() -> bool {
    INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst)
}

/// Drops the [`on_interrupt`] hook and runs `work` (the same job done in full: the run's own
/// summary), so an interrupt never writes beside it. Once an interrupt has begun, `work` is not
/// run and this never returns: the signal handler is about to exit with the signal's status (and
/// a run that ended meanwhile must not exit first with its own).
pub fn unless_interrupted<T>(work: impl FnOnce() -> T) -> T {
    let mut hook = HOOK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if !interrupted() {
        *hook = None;
        let done = work();
        drop(hook);
        if !interrupted() {
            return done;
        }
    } else {
        drop(hook);
    }
    loop {
        std::thread::park();
    }
}

/// Removes every registered temporary file.
fn remove_temps() {
    for path in lock(&TEMPS).drain(..) {
        let _ = std::fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_what_is_registered_and_spares_what_was_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::write(&a, b"a").unwrap();
        std::fs::write(&b, b"b").unwrap();
        register_temp(&a);
        register_temp(&b);
        forget_temp(&b);
        // Not clean_up(): that also stops any later encoder of this test process from starting.
        remove_temps();
        assert!(!a.exists());
        assert_eq!(std::fs::read(&b).unwrap(), b"b");
    }
}
