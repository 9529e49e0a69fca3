//! All-or-nothing writes: every file kneetrack writes goes through a temporary sibling and a rename,
//! so a failure never leaves a half-written file behind.
use crate::error::Error;
use anyhow::{Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Removes a temporary file on drop unless disarmed (shared with `crate::annotate`).
pub struct TempGuard(pub Option<PathBuf>);
impl Drop for TempGuard {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
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

/// Write `bytes` to `path` through a temporary file in the same directory and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = temp_sibling(path, "tmp");
    let mut guard = TempGuard(Some(tmp.clone()));
    {
        let mut f =
            std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        f.write_all(bytes)?;
        f.sync_all().ok();
    }
    std::fs::rename(&tmp, path).with_context(|| format!("renaming to {}", path.display()))?;
    guard.0 = None;
    Ok(())
}

/// Writes `contents` to `path` through a temporary file in the same folder and a rename, so that a
/// failure never leaves a half-written report behind.
pub fn write_atomically(path: &Path, contents: &[u8]) -> crate::error::Result<()> {
    if path.is_dir() {
        return Err(Error::output(path, "is a directory"));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| Error::output(path, "has no file name"))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::output(path, format!("cannot write: {e}")));
    }
    Ok(())
}
