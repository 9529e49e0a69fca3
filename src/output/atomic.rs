//! All-or-nothing writes: every file kneetrack writes goes through a temporary sibling and a rename,
//! so a failure never leaves a half-written file behind; devices, FIFOs and descriptors are written
//! straight into instead (they cannot be renamed over without destroying them).
use crate::error::{Error, Result};
use crate::interrupt;
use crate::output::sink::Sink;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Removes a temporary file on drop unless disarmed (shared with `crate::annotate`), and while
/// armed keeps it on the list [`crate::interrupt::clean_up`] removes when the run is interrupted.
pub struct TempGuard(Option<PathBuf>);

impl TempGuard {
    pub fn new(path: Option<PathBuf>) -> Self {
        if let Some(p) = &path {
            interrupt::register_temp(p);
        }
        TempGuard(path)
    }
    /// Guards `path` (instead of any earlier one, which is left alone).
    pub fn set(&mut self, path: PathBuf) {
        self.disarm();
        interrupt::register_temp(&path);
        self.0 = Some(path);
    }
    pub fn path(&self) -> Option<&Path> {
        self.0.as_deref()
    }
    /// The file is in place (or gone): leave it.
    pub fn disarm(&mut self) {
        if let Some(p) = self.0.take() {
            interrupt::forget_temp(&p);
        }
    }
}

impl Drop for TempGuard {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(&p);
            interrupt::forget_temp(&p);
        }
    }
}

/// `.<name>.<tag>-<pid><.ext>` beside `path`: hidden, and unique to this process.
pub fn temp_sibling(path: &Path, tag: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{tag}-{}{ext}", std::process::id()))
}

/// Writes `contents` to `path`. A regular file (or a new one) is written through a temporary file
/// in the same folder and a rename, so that a failure never leaves a half-written file behind; a
/// device, FIFO or descriptor (`/dev/null`, `/dev/stdout`, `>(jq .)`) is written straight into and
/// never replaced (see `output::sink::Sink`).
pub fn write_atomically(path: &Path, contents: &[u8]) -> Result<()> {
    let sink = Sink::of(path)?;
    let Sink::File(path) = &sink else {
        return write_stream(&sink, path, &mut &contents[..]);
    };
    let tmp = temp_sibling(path, "tmp");
    let mut guard = TempGuard::new(Some(tmp.clone()));
    write_then_rename(&tmp, contents, path)
        .map_err(|e| Error::output_caused(path, "cannot write", e))?;
    guard.disarm();
    Ok(())
}

/// Where an encoder that needs a seekable file (the annotated video) writes before
/// [`commit_temp`]: a hidden sibling of a file, else a file in the system's temporary folder.
pub fn temp_for(sink: &Sink, tag: &str) -> PathBuf {
    match sink {
        Sink::File(path) => temp_sibling(path, tag),
        _ => std::env::temp_dir().join(format!(".kneetrack.{tag}-{}.mp4", std::process::id())),
    }
}

/// Puts the finished temporary file `tmp` in place: renamed over a file, or copied into a device,
/// FIFO or descriptor and removed. `shown` names the output in errors.
pub fn commit_temp(sink: &Sink, tmp: &Path, shown: &Path) -> Result<()> {
    match sink {
        Sink::File(path) => {
            std::fs::rename(tmp, path).map_err(|e| Error::output_caused(shown, "cannot write", e))
        }
        _ => {
            let mut file = std::fs::File::open(tmp)
                .map_err(|e| Error::output_caused(shown, "cannot write", e))?;
            let result = write_stream(sink, shown, &mut file);
            let _ = std::fs::remove_file(tmp);
            result
        }
    }
}

/// Copies `from` into a device, FIFO or descriptor.
fn write_stream(sink: &Sink, shown: &Path, from: &mut dyn std::io::Read) -> Result<()> {
    let Some(mut out) = sink.open_stream(shown)? else {
        return Err(Error::output(shown, "is a file, not a stream"));
    };
    std::io::copy(from, &mut out)
        .and_then(|_| out.flush())
        .map(|_| ())
        .map_err(|e| Error::output_caused(shown, "cannot write", e))
}

/// Writes `contents` to `tmp`, on disk, then renames it to `path`.
fn write_then_rename(tmp: &Path, contents: &[u8], path: &Path) -> std::io::Result<()> {
    let mut f = std::fs::File::create(tmp)?;
    f.write_all(contents)?;
    f.sync_all()?;
    std::fs::rename(tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_files_and_leaves_nothing_behind_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        write_atomically(&path, b"{}").unwrap();
        write_atomically(&path, b"{\"a\": 1}").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"{\"a\": 1}");
        let e = write_atomically(dir.path(), b"x").unwrap_err();
        assert!(e.to_string().ends_with("is a directory"), "{e}");
        let missing = dir.path().join("no-such-folder/report.json");
        let e = write_atomically(&missing, b"x").unwrap_err();
        assert!(e.to_string().contains("cannot write: "), "{e}");
        assert!(std::error::Error::source(&e).is_some());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["report.json"]);
    }
}
