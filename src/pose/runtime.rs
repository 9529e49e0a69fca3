//! Finding and loading the ONNX Runtime shared library, and opening model sessions.
//!
//! ort allows one Environment per process, so it lives in a process-wide `OnceLock` and every
//! session shares it. The library is loaded at run time (ort's `load-dynamic`) so that a missing
//! library is a clear error message instead of a loader failure before `main`.
use crate::error::{Error, Result};
use ort::environment::Environment;
use ort::session::builder::GraphOptimizationLevel;
use ort::session::Session;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Environment variable that names the library explicitly.
pub const LIBRARY_ENV: &str = "KNEETRACK_ORT_LIB";
/// The library file name shipped in the PyPI onnxruntime wheel that the set-up script unpacks.
const LIBRARY_FILE: &str = "libonnxruntime.so.1.32.0";

static ENVIRONMENT: OnceLock<std::result::Result<Environment, String>> = OnceLock::new();

/// Places the library is looked for, in order.
pub fn library_candidates() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for var in [LIBRARY_ENV, "ORT_DYLIB_PATH"] {
        if let Some(p) = std::env::var_os(var).filter(|p| !p.is_empty()) {
            out.push(PathBuf::from(p));
        }
    }
    if let Ok(exe) = std::env::current_exe() {
        if let Some(dir) = exe.parent() {
            out.push(dir.join(LIBRARY_FILE));
            out.push(dir.join("libonnxruntime.so"));
        }
    }
    // The project-local copy made by scripts/setup.sh, for binaries run from the source tree.
    out.push(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(".ort/lib")
            .join(LIBRARY_FILE),
    );
    out
}

/// The shared ONNX Runtime environment, loading the library on first use.
pub fn environment() -> Result<&'static Environment> {
    ENVIRONMENT
        .get_or_init(init_environment)
        .as_ref()
        .map_err(|e| Error::Runtime(e.clone()))
}

fn init_environment() -> std::result::Result<Environment, String> {
    let candidates = library_candidates();
    let explicit = std::env::var_os(LIBRARY_ENV).is_some();
    let found = candidates.iter().find(|p| p.is_file()).ok_or_else(|| {
        format!(
            "library not found (set {LIBRARY_ENV} or run `make setup`); looked for {}",
            candidates
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    })?;
    if explicit && !candidates[0].is_file() {
        return Err(format!(
            "{LIBRARY_ENV}={} is not a file",
            candidates[0].display()
        ));
    }
    super::library_check::check_library(found)?;
    let builder =
        ort::init_from(found).map_err(|e| format!("cannot load {}: {}", found.display(), e))?;
    builder
        .with_name("kneetrack")
        .with_telemetry(false)
        .build()
        .map_err(|e| format!("cannot create environment: {e}"))
}

/// Options for opening a model.
#[derive(Debug, Clone, Copy, Default)]
pub struct SessionOptions {
    /// Intra-op threads; 0 lets ONNX Runtime decide.
    pub threads: usize,
}

/// Opens an ONNX model file as an inference session.
pub fn open_session(path: &Path, options: SessionOptions) -> Result<Session> {
    crate::limits::check_threads(options.threads)?;
    if path.is_dir() {
        return Err(Error::model(path, "is a folder, not an .onnx file"));
    }
    if !path.is_file() {
        return Err(Error::model(
            path,
            "file not found (build it with scripts/build_models.sh)",
        ));
    }
    let env = environment()?;
    let mut builder = Session::builder(env)
        .map_err(Error::runtime)?
        .with_optimization_level(GraphOptimizationLevel::All)
        .map_err(Error::runtime)?;
    if options.threads > 0 {
        builder = builder
            .with_intra_threads(options.threads)
            .map_err(Error::runtime)?
            .with_inter_threads(1)
            .map_err(Error::runtime)?;
    }
    // Idle worker threads spinning for work steal the core the decoder thread needs (and, on a
    // shared 2-core machine, the other process's): measured 2× slower at 2 threads under load with
    // spinning, no slower without it. KNEETRACK_ORT_SPIN=1 turns it back on for experiments.
    let spin = std::env::var_os("KNEETRACK_ORT_SPIN").is_some_and(|v| v == "1");
    builder = builder
        .with_intra_op_spinning(spin)
        .map_err(Error::runtime)?;
    let session = builder.commit_from_file(path).map_err(|e| {
        Error::model(
            path,
            format!(
                "not a usable ONNX model: {}",
                crate::error::first_line(&e.to_string())
            ),
        )
    })?;
    check_input_sizes(&session, path)?;
    Ok(session)
}

/// Refuses a model whose declared inputs are too large to allocate (a 65536×65536 image input
/// would abort the process when its buffer is made): see [`crate::limits::MAX_MODEL_INPUT_VALUES`].
fn check_input_sizes(session: &Session, path: &Path) -> Result<()> {
    for input in session.inputs() {
        let shape = declared_shape(input.dtype());
        if let Some(why) = crate::limits::model_input_too_large(input.name(), &shape) {
            return Err(Error::model(path, why));
        }
    }
    Ok(())
}

/// Time spent inside `Session::run`, kept by each estimator so that benchmarks can tell inference
/// from the crop and the decoding around it (the part comparable with bare inference in Python).
#[derive(Debug, Clone, Copy, Default)]
pub struct InferenceClock {
    spent: std::time::Duration,
}

impl InferenceClock {
    /// Runs `session` on `inputs` and adds the time it took.
    pub fn run<'s, 'i, 'v: 'i, const N: usize>(
        &mut self,
        session: &'s mut Session,
        inputs: impl Into<ort::session::SessionInputs<'i, 'v, N>>,
    ) -> Result<ort::session::SessionOutputs<'s>> {
        let start = std::time::Instant::now();
        let outputs = session.run(inputs);
        self.spent += start.elapsed();
        outputs.map_err(Error::runtime)
    }

    /// Seconds spent so far.
    pub fn seconds(&self) -> f64 {
        self.spent.as_secs_f64()
    }
}

/// Shape of a model input or output as declared in the file (−1 for a dynamic dimension); empty
/// when it is not a tensor.
fn declared_shape(dtype: &ort::value::ValueType) -> Vec<i64> {
    dtype
        .tensor_shape()
        .map(|s| s.iter().copied().collect())
        .unwrap_or_default()
}

/// Element type and declared shape of a session's first input, if it has one.
pub fn first_input_signature(
    session: &Session,
) -> Option<(Option<ort::value::TensorElementType>, Vec<i64>)> {
    let input = session.inputs().first()?;
    Some((input.dtype().tensor_type(), declared_shape(input.dtype())))
}

/// Declared shape of a session's `index`-th output; empty when there is none.
pub fn output_shape(session: &Session, index: usize) -> Vec<i64> {
    session
        .outputs()
        .get(index)
        .map(|o| declared_shape(o.dtype()))
        .unwrap_or_default()
}
