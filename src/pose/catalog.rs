//! The models kneetrack knows by name, where their files live, and how to open one.
use super::blazepose::{self, BlazePose};
use super::movenet::MoveNet;
use super::PoseEstimator;
use crate::error::{Error, Result};
use crate::pose::runtime::{open_session, SessionOptions};
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
    // --- BlazePose (src/pose/blazepose): landmark model + blazepose-detector.onnx ---
    KnownModel {
        name: "blazepose-lite",
        file: "blazepose-lite.onnx",
        keypoints: 33,
        summary: "BlazePose Lite 256 px + detector: heels and toes, fastest BlazePose",
    },
    KnownModel {
        name: "blazepose-full",
        file: "blazepose-full.onnx",
        keypoints: 33,
        summary: "BlazePose Full 256 px + detector: heels and toes (MediaPipe's default)",
    },
    KnownModel {
        name: "blazepose-heavy",
        file: "blazepose-heavy.onnx",
        keypoints: 33,
        summary: "BlazePose Heavy 256 px + detector: heels and toes, most precise, slowest",
    },
    // --- end BlazePose ---
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
    Err(Error::usage(format!(
        "unknown model name {arg:?}; use one of {} or a path to an .onnx file",
        names.join(", ")
    )))
}

/// Opens the estimator for a resolved model: known names by their family, files by their
/// signature (a BlazePose landmark model is paired with `blazepose-detector.onnx`).
pub fn open(choice: &ModelChoice, options: SessionOptions) -> Result<Box<dyn PoseEstimator>> {
    // --- BlazePose dispatch (src/pose/blazepose) ---
    let known = KNOWN_MODELS.iter().any(|m| m.name == choice.name);
    if known && choice.name.starts_with("blazepose-") {
        let detector = blazepose::detector_for(&choice.path);
        return Ok(Box::new(BlazePose::load(
            &choice.name,
            &choice.path,
            &detector,
            options,
        )?));
    }
    if !known {
        let session = open_session(&choice.path, options)?;
        match blazepose::signature(&session) {
            blazepose::Signature::Landmarks => {
                let detector = blazepose::detector_for(&choice.path);
                return Ok(Box::new(BlazePose::from_session(
                    &choice.name,
                    session,
                    &choice.path,
                    &detector,
                    options,
                )?));
            }
            blazepose::Signature::Detector => {
                return Err(blazepose::detector_given_error(&choice.path))
            }
            blazepose::Signature::Other => {}
        }
    }
    // --- end BlazePose dispatch ---
    let movenet = MoveNet::load(&choice.name, &choice.path, options).map_err(|e| match e {
        Error::Model { path, message } if message.starts_with("is not a MoveNet model") => {
            Error::Model {
                path,
                message: format!(
                    "{message}; nor a BlazePose landmark model (float32 input [1,256,256,3], \
                     195-wide first output)"
                ),
            }
        }
        other => other,
    })?;
    Ok(Box::new(movenet))
}
