//! What an output path is, which decides how it is written: a regular file (or a new one) gets a
//! temporary sibling and a rename, so it is whole or absent; a character device, FIFO or socket
//! (`/dev/null`, `mkfifo`), or one of this process's descriptors (`/dev/stdout`, `/dev/fd/N` as
//! in `--json >(jq .)`) is written straight into and never replaced.
use crate::error::{Error, Result};
use std::fs::File;
use std::os::fd::{BorrowedFd, RawFd};
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};

/// Where the bytes of one output go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sink {
    /// A regular file or a new one, at this path with its symbolic links resolved (so a link to a
    /// file stays a link): written through a temporary sibling and a rename.
    File(PathBuf),
    /// A character device, FIFO or socket: opened and written straight into.
    Stream(PathBuf),
    /// `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`: this process's open
    /// descriptor N, written through a duplicate of it (so a shell's `>>` appends).
    Descriptor(RawFd),
}

impl Sink {
    /// Looks at `path` (nothing is opened or created): a folder, a block device or a dangling
    /// symbolic link is an error.
    pub fn of(path: &Path) -> Result<Sink> {
        if let Some(fd) = descriptor_alias(path) {
            return match std::fs::metadata(format!("/proc/self/fd/{fd}")) {
                Ok(_) => Ok(Sink::Descriptor(fd)),
                Err(_) => Err(Error::output(path, "is not an open file descriptor")),
            };
        }
        match std::fs::metadata(path) {
            Ok(meta) => {
                let kind = meta.file_type();
                if kind.is_dir() {
                    Err(Error::output(path, "is a directory"))
                } else if kind.is_block_device() {
                    Err(Error::output(
                        path,
                        "is a block device: kneetrack writes files, character devices and pipes only",
                    ))
                } else if kind.is_char_device() || kind.is_fifo() || kind.is_socket() {
                    Ok(Sink::Stream(path.to_path_buf()))
                } else {
                    let resolved = std::fs::canonicalize(path)
                        .map_err(|e| Error::output_caused(path, "cannot resolve", e))?;
                    Ok(Sink::File(resolved))
                }
            }
            Err(_) if std::fs::symlink_metadata(path).is_ok() => Err(Error::output(
                path,
                "is a symbolic link to nothing: kneetrack does not replace links",
            )),
            Err(_) => {
                if path.file_name().is_none() {
                    return Err(Error::output(path, "has no file name"));
                }
                Ok(Sink::File(path.to_path_buf()))
            }
        }
    }

    /// Opens a non-file sink for writing (nothing is created or truncated); `None` for a file.
    pub fn open_stream(&self, shown: &Path) -> Result<Option<File>> {
        let file = match self {
            Sink::File(_) => return Ok(None),
            Sink::Stream(p) => std::fs::OpenOptions::new().write(true).open(p),
            // SAFETY: the descriptor was seen open (in /proc/self/fd) and is only borrowed for the
            // duplicating call; the duplicate is ours to own.
            Sink::Descriptor(fd) => unsafe { BorrowedFd::borrow_raw(*fd) }
                .try_clone_to_owned()
                .map(File::from),
        };
        file.map(Some)
            .map_err(|e| Error::output_caused(shown, "cannot open", e))
    }
}

/// The descriptor a path names, if it is one of the aliases for this process's descriptors.
fn descriptor_alias(path: &Path) -> Option<RawFd> {
    let s = path.to_str()?;
    match s {
        "/dev/stdin" => return Some(0),
        "/dev/stdout" => return Some(1),
        "/dev/stderr" => return Some(2),
        _ => {}
    }
    let own = format!("/proc/{}/fd/", std::process::id());
    [
        "/dev/fd/",
        "/proc/self/fd/",
        "/proc/thread-self/fd/",
        own.as_str(),
    ]
    .iter()
    .find_map(|prefix| s.strip_prefix(prefix))
    .and_then(|n| n.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_told_apart_by_what_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("r.json");
        std::fs::write(&file, "{}").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        let canonical = std::fs::canonicalize(&file).unwrap();
        assert_eq!(Sink::of(&file).unwrap(), Sink::File(canonical.clone()));
        assert_eq!(Sink::of(&link).unwrap(), Sink::File(canonical));
        let new = dir.path().join("new.json");
        assert_eq!(Sink::of(&new).unwrap(), Sink::File(new.clone()));
        assert_eq!(
            Sink::of(Path::new("/dev/null")).unwrap(),
            Sink::Stream("/dev/null".into())
        );
        assert_eq!(
            Sink::of(Path::new("/dev/stdout")).unwrap(),
            Sink::Descriptor(1)
        );
        assert_eq!(
            Sink::of(Path::new("/proc/self/fd/2")).unwrap(),
            Sink::Descriptor(2)
        );
        let e = Sink::of(Path::new("/dev/fd/987654")).unwrap_err();
        assert!(
            e.to_string().ends_with("is not an open file descriptor"),
            "{e}"
        );
        let e = Sink::of(dir.path()).unwrap_err();
        assert!(e.to_string().ends_with("is a directory"), "{e}");
        let dangling = dir.path().join("dangling.json");
        std::os::unix::fs::symlink(dir.path().join("nothing"), &dangling).unwrap();
        let e = Sink::of(&dangling).unwrap_err();
        assert!(e.to_string().contains("symbolic link to nothing"), "{e}");
    }
}
