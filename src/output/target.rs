//! Where one output goes: a file (a folder of files, in a batch) or standard output (`-`).
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    File(PathBuf),
    Stdout,
}

impl Target {
    /// `-` is standard output; anything else a path.
    pub fn from_arg(path: PathBuf) -> Self {
        if path.as_os_str() == "-" {
            Target::Stdout
        } else {
            Target::File(path)
        }
    }

    /// The path, for a file target.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Target::File(p) => Some(p),
            Target::Stdout => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dash_is_standard_output() {
        assert_eq!(Target::from_arg("-".into()), Target::Stdout);
        assert_eq!(Target::Stdout.file(), None);
        let t = Target::from_arg("out/-x.json".into());
        assert_eq!(t.file(), Some(Path::new("out/-x.json")));
    }
}
