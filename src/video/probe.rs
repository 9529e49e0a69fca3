//! One way to ask `ffprobe` about a file, for the readers of stream layout, creation time and
//! rotation: no stdin (a batch never waits on the terminal), no stderr (its absence or a file it
//! cannot read is an answer of "unknown", not a message).
use std::path::Path;
use std::process::{Command, Stdio};

/// `ffprobe -v error ARGS… FILE`'s standard output, or `None` when ffprobe is missing or fails.
pub(crate) fn ffprobe(file: &Path, args: &[&str]) -> Option<Vec<u8>> {
    let out = Command::new("ffprobe")
        .args(["-v", "error"])
        .args(args)
        .arg(file)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout)
}

/// [`ffprobe`]'s answer read as JSON (`-of json` among `args`).
pub(crate) fn ffprobe_json(file: &Path, args: &[&str]) -> Option<serde_json::Value> {
    serde_json::from_slice(&ffprobe(file, args)?).ok()
}
