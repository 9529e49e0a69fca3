//! Folders given as inputs, expanded into the video files they hold, sorted so that batch order
//! (and so sharding) is stable. Hidden files (`.x.mp4`, macOS's `._x.mp4`, kneetrack's own
//! temporary files) and kneetrack's outputs (`x.kneetrack.mp4`, when `--out` or `--video` is
//! the clips' own folder) are not clips. Files named on the command line are taken as given.
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// The extensions a folder is searched for (any case).
pub const VIDEO_EXTENSIONS: &[&str] = &["mp4", "mov", "m4v", "mkv", "avi", "webm", "3gp"];

/// `inputs` with each folder replaced by its video files; a folder that cannot be read is an error.
pub fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            out.extend(videos_in(input)?);
        } else {
            out.push(input.clone());
        }
    }
    Ok(out)
}

/// The video files of one folder, sorted.
fn videos_in(dir: &Path) -> Result<Vec<PathBuf>> {
    let cannot = |e: std::io::Error| Error::input(dir, format!("cannot be read: {e}"));
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(cannot)? {
        let path = entry.map_err(cannot)?.path();
        if is_clip_name(&path) && path.is_file() {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

/// A name a folder scan takes for a clip: a video extension, not hidden, not one of our outputs.
fn is_clip_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        // Not UTF-8: judged by its extension alone.
        return has_video_extension(path);
    };
    !name.starts_with('.') && !name.contains(".kneetrack.") && has_video_extension(path)
}

fn has_video_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| VIDEO_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_files_and_our_outputs_are_not_clips() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for name in [
            "a.mp4",
            "B.MOV",
            "._a.mp4",
            ".hidden.mp4",
            ".a.kneetrack.mp4.tmp-123.mp4",
            "a.kneetrack.mp4",
            "notes.txt",
        ] {
            std::fs::write(d.join(name), b"x").unwrap();
        }
        std::fs::create_dir(d.join("folder.mp4")).unwrap();
        let clips = expand_inputs(&[d.to_path_buf(), d.join(".hidden.mp4")]).unwrap();
        assert_eq!(
            clips,
            [d.join("B.MOV"), d.join("a.mp4"), d.join(".hidden.mp4")]
        );
    }
}
