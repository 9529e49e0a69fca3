//! The resource bounds, in one place (README "Limits"): what kneetrack refuses, so that a flag or
//! a hostile file cannot make it take unbounded time or memory. Each check is one line that names
//! the limit.
use crate::error::{Error, Result};

/// `--threads` at most this: ONNX Runtime gains nothing past the physical cores, and thousands of
/// threads stall a run (1000: 3 s → 44 s; 100000: out of memory).
pub const MAX_THREADS: usize = 64;

/// `--jobs` at most this many times the available cores: each job holds a model session and a
/// decoder (about 110 MiB with movenet-thunder), and more jobs than cores only queue for them.
pub const JOBS_PER_CORE: usize = 2;

/// `--jobs` at most this many whatever the cores, so a batch stays within about 1.1 GiB.
pub const MAX_JOBS: usize = 8;

/// Frames above this many pixels (8K UHD, 7680×4320) are refused before decoding: one 16000×16000
/// frame is 768 MB decoded.
pub const MAX_FRAME_PIXELS: u64 = 7680 * 4320;

/// A model input tensor may declare at most this many values (16 Mi: 2048×2048 RGB fits; the
/// models kneetrack knows take 192² to 256²): the input buffer is allocated when the model opens.
pub const MAX_MODEL_INPUT_VALUES: u64 = 1 << 24;

/// The cores this process may use (1 when unknown).
pub fn cores() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// The most `--jobs` allowed on this machine: [`JOBS_PER_CORE`] × cores, at least 2, at most
/// [`MAX_JOBS`].
pub fn max_jobs() -> usize {
    (JOBS_PER_CORE * cores()).clamp(2, MAX_JOBS)
}

/// `--threads N`: a usage error beyond [`MAX_THREADS`].
pub fn check_threads(threads: usize) -> Result<()> {
    if threads > MAX_THREADS {
        return Err(Error::usage(format!(
            "--threads {threads} is more than the {MAX_THREADS} kneetrack allows (0 lets ONNX Runtime choose)"
        )));
    }
    Ok(())
}

/// `--jobs N`: a usage error beyond [`max_jobs`] (or 0).
pub fn check_jobs(jobs: usize) -> Result<()> {
    let max = max_jobs();
    if jobs == 0 || jobs > max {
        return Err(Error::usage(format!(
            "--jobs {jobs}: must be 1 to {max} ({JOBS_PER_CORE} per core of the {} here, at most {MAX_JOBS})",
            cores()
        )));
    }
    Ok(())
}

/// A frame of `width`×`height`: an error beyond [`MAX_FRAME_PIXELS`].
pub fn frame_too_large(width: u32, height: u32) -> Option<String> {
    let pixels = width as u64 * height as u64;
    (pixels > MAX_FRAME_PIXELS).then(|| {
        format!(
            "frames of {width}×{height} ({:.1} Mpx) are larger than the {:.1} Mpx (7680×4320, 8K UHD) kneetrack decodes",
            pixels as f64 / 1e6,
            MAX_FRAME_PIXELS as f64 / 1e6
        )
    })
}

/// A model input of declared `shape` (−1 for a dynamic dimension, counted as 1): an error beyond
/// [`MAX_MODEL_INPUT_VALUES`].
pub fn model_input_too_large(name: &str, shape: &[i64]) -> Option<String> {
    let values = shape
        .iter()
        .map(|&d| d.max(1) as u64)
        .try_fold(1u64, u64::checked_mul);
    match values {
        Some(v) if v <= MAX_MODEL_INPUT_VALUES => None,
        _ => Some(format!(
            "input {name:?} declares shape {shape:?}, more than the {MAX_MODEL_INPUT_VALUES} values kneetrack allows per input"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_refuse_beyond_and_accept_within() {
        assert!(check_threads(0).is_ok() && check_threads(MAX_THREADS).is_ok());
        let e = check_threads(100_000).unwrap_err();
        assert!(matches!(e, Error::Usage { .. }));
        assert!(e.to_string().contains("64"), "{e}");
        assert!(check_jobs(1).is_ok() && check_jobs(max_jobs()).is_ok());
        assert!(check_jobs(0).is_err() && check_jobs(max_jobs() + 1).is_err());
        assert!(frame_too_large(7680, 4320).is_none());
        assert!(frame_too_large(1080, 1920).is_none());
        let e = frame_too_large(16000, 16000).unwrap();
        assert!(
            e.contains("16000×16000 (256.0 Mpx)") && e.contains("33.2 Mpx"),
            "{e}"
        );
        assert!(model_input_too_large("x", &[1, 256, 256, 3]).is_none());
        assert!(model_input_too_large("x", &[-1, 256, 256, 3]).is_none());
        assert!(model_input_too_large("x", &[1, 65536, 65536, 3]).is_some());
        assert!(model_input_too_large("x", &[i64::MAX, i64::MAX]).is_some());
    }
}
