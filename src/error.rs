//! One error type for the library, so that every failure names its file and stage in one line.
//!
//! A message is the whole story in one line, its cause's text included, because the command line
//! and the batch summaries print it as it is. Where the cause is an error value (an `io::Error`, a
//! JSON error), [`std::error::Error::source`] hands it out as well, for code that wants its type.
use crate::names::display_name;
use std::path::{Path, PathBuf};

/// The underlying error of a failure, kept for [`std::error::Error::source`].
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What went wrong, in one line that names the file or the flag; [`Error::Usage`] is the user's
/// to fix (exit 2), the others are the input's, the model's or the machine's (exit 1).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line asks for what cannot be done: an unknown model name, a thresholds file
    /// that cannot be used, flags that do not go together, synthetic-clip values out of range.
    /// The command line exits with status 2 for these (1 for every other error).
    #[error("{message}")]
    Usage {
        message: String,
        #[source]
        source: Option<Cause>,
    },
    /// The clip (or another input file) cannot be used.
    #[error("{}: {message}", display_name(path))]
    Input { path: PathBuf, message: String },
    /// The pose model file is missing, corrupt or not a model kneetrack understands.
    #[error("model {}: {message}", display_name(path))]
    Model { path: PathBuf, message: String },
    /// The ONNX Runtime library could not be found or loaded, or inference failed.
    #[error("ONNX Runtime: {0}")]
    Runtime(String),
    /// An image-processing call failed.
    #[error("OpenCV: {0}")]
    OpenCv(String),
    /// Writing an output failed.
    #[error("{}: {message}", display_name(path))]
    Output {
        path: PathBuf,
        message: String,
        #[source]
        source: Option<Cause>,
    },
    /// A video encoder failed: OpenCV's writer would not open, the ffmpeg command-line tool is
    /// missing or stopped, or no video came out.
    #[error("{message}")]
    Encode {
        message: String,
        #[source]
        source: Option<Cause>,
    },
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A usage error: `message` says what was asked and what would do instead.
    pub fn usage(message: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
            source: None,
        }
    }
    /// A usage error because of `cause`: "`context`: `cause`".
    pub fn usage_caused(
        context: impl std::fmt::Display,
        cause: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Error::Usage {
            message: caused(context, &cause),
            source: Some(Box::new(cause)),
        }
    }
    pub fn input(path: &Path, message: impl Into<String>) -> Self {
        Error::Input {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
    pub fn model(path: &Path, message: impl Into<String>) -> Self {
        Error::Model {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
    pub fn output(path: &Path, message: impl Into<String>) -> Self {
        Error::Output {
            path: path.to_path_buf(),
            message: message.into(),
            source: None,
        }
    }
    /// Writing `path` failed because of `cause`: "`path`: `context`: `cause`".
    pub fn output_caused(
        path: &Path,
        context: impl std::fmt::Display,
        cause: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Error::Output {
            path: path.to_path_buf(),
            message: caused(context, &cause),
            source: Some(Box::new(cause)),
        }
    }
    /// An encoder failure: `message` says which encoder and what it did.
    pub fn encode(message: impl Into<String>) -> Self {
        Error::Encode {
            message: message.into(),
            source: None,
        }
    }
    /// An encoder failure because of `cause`: "`context`: `cause`".
    pub fn encode_caused(
        context: impl std::fmt::Display,
        cause: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Error::Encode {
            message: caused(context, &cause),
            source: Some(Box::new(cause)),
        }
    }
    pub fn opencv(e: opencv::Error) -> Self {
        Error::OpenCv(e.message)
    }
    /// ort's errors carry a non-Send builder, so keep only their text.
    pub fn runtime(e: impl std::fmt::Display) -> Self {
        Error::Runtime(first_line(&e.to_string()))
    }
}

/// Lets `?` make [`Error::OpenCv`] of an OpenCV call's error, as [`Error::opencv`] does.
impl From<opencv::Error> for Error {
    fn from(e: opencv::Error) -> Self {
        Error::opencv(e)
    }
}

/// "`context`: `cause`", one line.
fn caused(context: impl std::fmt::Display, cause: &dyn std::error::Error) -> String {
    first_line(&format!("{context}: {cause}"))
}

/// Errors shown to users are one line, with no control character left raw (a name holding an
/// escape sequence or a newline is shown escaped, see `names.rs`).
pub fn first_line(s: &str) -> String {
    crate::names::sanitize(s.lines().next().unwrap_or("").trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn a_caused_error_says_its_cause_and_keeps_it() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "gone\nsecond line");
        let e = Error::output_caused(Path::new("out.json"), "cannot write", io);
        assert_eq!(e.to_string(), "out.json: cannot write: gone");
        let source = e.source().expect("the io::Error is kept");
        assert!(source.downcast_ref::<std::io::Error>().is_some());
        let e = Error::usage("--reps must be 1..=100, got 0");
        assert_eq!(e.to_string(), "--reps must be 1..=100, got 0");
        assert!(e.source().is_none());
    }
}
