//! The models kneetrack knows by name, where their files live, and how to open one.
use super::blazepose::{self, BlazePose};
use super::movenet::{self, MoveNet, NotMoveNet};
use super::PoseEstimator;
use crate::error::{Error, Result};
use crate::pose::manifest::{self, FileStatus, Manifest};
use crate::pose::runtime::{open_session, SessionOptions};
use ort::session::Session;
use std::path::{Path, PathBuf};

/// Environment variable naming the models folder.
pub const MODELS_ENV: &str = "KNEETRACK_MODELS";

/// The kinds of pose model kneetrack can drive, each with its own pre- and post-processing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// MoveNet single-pose (src/pose/movenet.rs): int32 image in, 17 keypoints out.
    MoveNet,
    /// BlazePose (src/pose/blazepose): a landmark model paired with `blazepose-detector.onnx`.
    BlazePose,
}

/// A model known by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownModel {
    pub name: &'static str,
    pub file: &'static str,
    pub family: Family,
    pub keypoints: usize,
    pub summary: &'static str,
}

/// The models kneetrack knows by name (their files live in [`models_dir`]).
pub const KNOWN_MODELS: &[KnownModel] = &[
    KnownModel {
        name: "movenet-lightning",
        file: "movenet-lightning.onnx",
        family: Family::MoveNet,
        keypoints: 17,
        summary: "MoveNet Lightning 192 px: fastest, least precise",
    },
    KnownModel {
        name: "movenet-thunder",
        file: "movenet-thunder.onnx",
        family: Family::MoveNet,
        keypoints: 17,
        summary: "MoveNet Thunder 256 px: the default, precise knees and ankles",
    },
    // --- BlazePose (src/pose/blazepose): landmark model + blazepose-detector.onnx ---
    KnownModel {
        name: "blazepose-lite",
        file: "blazepose-lite.onnx",
        family: Family::BlazePose,
        keypoints: 33,
        summary: "BlazePose Lite 256 px + detector: heels and toes, fastest BlazePose",
    },
    KnownModel {
        name: "blazepose-full",
        file: "blazepose-full.onnx",
        family: Family::BlazePose,
        keypoints: 33,
        summary: "BlazePose Full 256 px + detector: heels and toes (MediaPipe's default)",
    },
    KnownModel {
        name: "blazepose-heavy",
        file: "blazepose-heavy.onnx",
        family: Family::BlazePose,
        keypoints: 33,
        summary: "BlazePose Heavy 256 px + detector: heels and toes, most precise, slowest",
    },
    // --- end BlazePose ---
];

/// The model `analyze` uses unless told otherwise.
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
    /// Known for a model named in [`KNOWN_MODELS`]; `None` for a file, whose signature decides.
    pub family: Option<Family>,
}

/// Resolves `--model`: a known name, or a path to an .onnx file. A known name's file must be the
/// one `models/models.json` names (its sha256), so a report never names a model it did not use;
/// a file given by path is named by the manifest when it is one of its models, else
/// `<stem> (custom, sha256 <first 12 hex>)`.
pub fn resolve(arg: &str) -> Result<ModelChoice> {
    if let Some(known) = KNOWN_MODELS.iter().find(|m| m.name == arg) {
        let dir = models_dir();
        let path = dir.join(known.file);
        verify_known(&dir, known.name, &path)?;
        return Ok(ModelChoice {
            name: known.name.to_string(),
            path,
            family: Some(known.family),
        });
    }
    let path = PathBuf::from(arg);
    if path.extension().is_some_and(|e| e == "onnx") || path.exists() {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| arg.to_string());
        let name = match manifest::sha256_file(&path) {
            Ok(sha) => match Manifest::load(&models_dir())
                .ok()
                .and_then(|m| m.models.into_iter().find(|e| e.onnx.sha256 == sha))
            {
                Some(entry) => entry.name,
                None => format!("{stem} (custom, sha256 {})", &sha[..12]),
            },
            // Not readable (or not there): opening it says why.
            Err(_) => stem,
        };
        return Ok(ModelChoice {
            name,
            path,
            family: None,
        });
    }
    let names: Vec<&str> = KNOWN_MODELS.iter().map(|m| m.name).collect();
    Err(Error::usage(format!(
        "unknown model name {arg:?}; use one of {} or a path to an .onnx file",
        names.join(", ")
    )))
}

/// Checks that the file of the known model `name` is the one the manifest names. A missing file is
/// left to [`open`] to report; without a manifest (or an entry) there is nothing to check against.
fn verify_known(dir: &Path, name: &str, path: &Path) -> Result<()> {
    let Ok(manifest) = Manifest::load(dir) else {
        return Ok(());
    };
    let Some(entry) = manifest.entry(name) else {
        return Ok(());
    };
    if !path.is_file() || manifest::check(dir, entry) != FileStatus::Mismatch {
        return Ok(());
    }
    let sha = manifest::sha256_file(path).unwrap_or_else(|e| format!("unreadable: {e}"));
    let other = manifest
        .models
        .iter()
        .find(|e| e.onnx.sha256 == sha)
        .map(|e| format!(", the file of {}", e.name))
        .unwrap_or_default();
    Err(Error::model(
        path,
        format!(
            "is not the {name} of models/models.json (sha256 {}…{other}; expected {}…): rebuild it \
             with scripts/build_models.sh, or give a custom file with --model PATH",
            sha.get(..12).unwrap_or(&sha),
            entry.onnx.sha256.get(..12).unwrap_or(&entry.onnx.sha256),
        ),
    ))
}

/// Opens the estimator for a resolved model: known names by their family, files by their
/// signature (a BlazePose landmark model is paired with `blazepose-detector.onnx`).
pub fn open(
    choice: &ModelChoice,
    options: SessionOptions,
) -> Result<Box<dyn PoseEstimator + Send>> {
    let session = open_session(&choice.path, options)?;
    let family = match choice.family {
        Some(family) => family,
        None => family_of(&session, &choice.path)?,
    };
    Ok(match family {
        Family::MoveNet => Box::new(MoveNet::from_session(&choice.name, session, &choice.path)?),
        Family::BlazePose => {
            let detector = blazepose::detector_for(&choice.path);
            Box::new(BlazePose::from_session(
                &choice.name,
                session,
                &choice.path,
                &detector,
                options,
            )?)
        }
    })
}

/// The family of a model file, from its inputs and outputs; an error says what it is instead.
fn family_of(session: &Session, path: &Path) -> Result<Family> {
    match blazepose::signature(session) {
        blazepose::Signature::Landmarks => return Ok(Family::BlazePose),
        blazepose::Signature::Detector => return Err(blazepose::detector_given_error(path)),
        blazepose::Signature::Other => {}
    }
    match movenet::signature(session) {
        Ok(_) => Ok(Family::MoveNet),
        Err(not @ NotMoveNet::NoInputs) => Err(Error::model(path, not.to_string())),
        Err(not @ NotMoveNet::WrongInput { .. }) => Err(Error::model(
            path,
            format!(
                "{not}; nor a BlazePose landmark model (float32 input [1,256,256,3], 195-wide \
                 first output)"
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_with_their_family_and_files_without() {
        for m in KNOWN_MODELS {
            let choice = resolve(m.name).unwrap();
            assert_eq!(choice.family, Some(m.family), "{}", m.name);
            // The table's names say their family; a new entry must not contradict it.
            let blazepose = m.name.starts_with("blazepose-");
            assert_eq!(m.family == Family::BlazePose, blazepose, "{}", m.name);
        }
        let file = resolve("elsewhere/custom.onnx").unwrap();
        assert_eq!((file.name.as_str(), file.family), ("custom", None));
        // A file that is there is named by its bytes: the manifest's name, else custom + sha256.
        let dir = tempfile::tempdir().unwrap();
        let mine = dir.path().join("movenet-thunder.onnx");
        std::fs::write(&mine, b"abc").unwrap();
        let named = resolve(mine.to_str().unwrap()).unwrap();
        assert_eq!(named.name, "movenet-thunder (custom, sha256 ba7816bf8f01)");
        let lightning = models_dir().join("movenet-lightning.onnx");
        std::fs::copy(&lightning, &mine).unwrap();
        let named = resolve(mine.to_str().unwrap()).unwrap();
        assert_eq!(named.name, "movenet-lightning");
        let e = resolve("movenet-thundr").unwrap_err();
        assert!(matches!(e, Error::Usage { .. }), "{e:?}");
        assert!(
            e.to_string().starts_with(
                "unknown model name \"movenet-thundr\"; use one of movenet-lightning,"
            ),
            "{e}"
        );
    }
}
