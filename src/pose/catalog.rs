//! The models kneetrack knows by name, where their files live, and how to open one.
use super::movenet::MoveNet;
use super::PoseEstimator;
use crate::error::{Error, Result};
use crate::runtime::SessionOptions;
use std::path::{Path, PathBuf};

/// Environment variable naming the models folder.
pub const MODELS_ENV: &str = "KNEETRACK_MODELS";

/// A model known by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownModel {
    pub name: &'static str,
    pub file: &'static str,
    pub keypoints: usize,
    pub summary: &'static str,
}

pub const KNOWN_MODELS: &[KnownModel] = &[
    KnownModel {
        name: "movenet-lightning",
        file: "movenet-lightning.onnx",
        keypoints: 17,
        summary: "MoveNet Lightning 192 px: fastest, least precise",
    },
    KnownModel {
        name: "movenet-thunder",
        file: "movenet-thunder.onnx",
        keypoints: 17,
        summary: "MoveNet Thunder 256 px: the default, precise knees and ankles",
    },
];

pub const DEFAULT_MODEL: &str = "movenet-thunder";

/// The folder holding the .onnx files: `$KNEETRACK_MODELS`, else `models/` beside the binary's
/// source tree (the repository this binary was built from), else `./models`.
pub fn models_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(MODELS_ENV).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let in_repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
    if in_repo.is_dir() {
        return in_repo;
    }
    PathBuf::from("models")
}

/// A model argument resolved to a name and a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelChoice {
    pub name: String,
    pub path: PathBuf,
}

/// Resolves `--model`: a known name, or a path to an .onnx file.
pub fn resolve(arg: &str) -> Result<ModelChoice> {
    if let Some(known) = KNOWN_MODELS.iter().find(|m| m.name == arg) {
        return Ok(ModelChoice {
            name: known.name.to_string(),
            path: models_dir().join(known.file),
        });
    }
    let path = PathBuf::from(arg);
    if path.extension().is_some_and(|e| e == "onnx") || path.exists() {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| arg.to_string());
        return Ok(ModelChoice { name, path });
    }
    let names: Vec<&str> = KNOWN_MODELS.iter().map(|m| m.name).collect();
    Err(Error::model(
        Path::new(arg),
        format!(
            "unknown model name; use one of {} or a path to an .onnx file",
            names.join(", ")
        ),
    ))
}

/// Opens the estimator for a resolved model.
pub fn open(choice: &ModelChoice, options: SessionOptions) -> Result<Box<dyn PoseEstimator>> {
    Ok(Box::new(MoveNet::load(
        &choice.name,
        &choice.path,
        options,
    )?))
}
