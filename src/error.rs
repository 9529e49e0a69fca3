//! One error type for the library, so that every failure names its file and stage in one line.
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The clip (or another input file) cannot be used.
    #[error("{}: {message}", path.display())]
    Input { path: PathBuf, message: String },
    /// The pose model file is missing, corrupt or not a model kneetrack understands.
    #[error("model {}: {message}", path.display())]
    Model { path: PathBuf, message: String },
    /// The ONNX Runtime library could not be found or loaded, or inference failed.
    #[error("ONNX Runtime: {0}")]
    Runtime(String),
    /// An image-processing call failed.
    #[error("OpenCV: {0}")]
    OpenCv(String),
    /// Writing an output failed.
    #[error("{}: {message}", path.display())]
    Output { path: PathBuf, message: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
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

/// Errors shown to users are one line.
pub fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").trim().to_string()
}
