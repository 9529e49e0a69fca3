//! `kneetrack bench`: pose inference latency per model and thread count, and an end-to-end run on
//! a clip split into decode / pose / rest. Output in the manner of hyperfine.
use crate::assess::thresholds::Thresholds;
use crate::clip::Timing;
use crate::error::{Error, Result};
use crate::pipeline::analyze_clip;
use crate::pose::catalog::{self, ModelChoice};
use crate::pose::runtime::SessionOptions;
use crate::video::{Orientation, VideoReader};
use opencv::core::Mat;
use serde::Serialize;
use std::path::Path;
use std::time::Instant;

/// Latency statistics over repeated runs, milliseconds.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LatencyStats {
    pub runs: usize,
    pub mean_ms: f64,
    pub stddev_ms: f64,
    pub min_ms: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub frames_per_s: f64,
}

impl LatencyStats {
    /// Summarises samples given in milliseconds; `None` for no samples.
    pub fn from_ms(samples: &[f64]) -> Option<Self> {
        if samples.is_empty() {
            return None;
        }
        let n = samples.len() as f64;
        let mean = samples.iter().sum::<f64>() / n;
        let var = if samples.len() > 1 {
            samples.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / (n - 1.0)
        } else {
            0.0
        };
        let pct =
            |p| crate::assess::signal::percentile(samples.iter().copied(), p).unwrap_or(f64::NAN);
        Some(LatencyStats {
            runs: samples.len(),
            mean_ms: mean,
            stddev_ms: var.sqrt(),
            min_ms: pct(0.0),
            p50_ms: pct(50.0),
            p99_ms: pct(99.0),
            max_ms: pct(100.0),
            frames_per_s: 1000.0 / mean,
        })
    }
}

/// One model × thread-count measurement.
#[derive(Debug, Clone, Serialize)]
pub struct ModelBench {
    pub model: String,
    pub threads: usize,
    pub warmup: usize,
    /// The whole pose step per frame: crop, conversion, inference, keypoint decoding.
    pub latency: LatencyStats,
    /// Inside ONNX Runtime's `Session::run` alone, per frame: what bare inference in another
    /// program (Python onnxruntime) is to be compared with.
    pub inference: Option<LatencyStats>,
}

/// The end-to-end run on a clip.
#[derive(Debug, Clone, Serialize)]
pub struct ClipBench {
    pub clip: String,
    pub model: String,
    pub threads: usize,
    pub timing: Timing,
    pub frames_per_s: f64,
}

/// The frame the per-model benchmark runs on: the first frame of `clip`, or a grey 720×1280 frame.
pub fn bench_frame(clip: Option<&Path>) -> Result<(Mat, Orientation)> {
    if let Some(clip) = clip {
        let mut reader = VideoReader::open(clip)?;
        let mut frame = Mat::default();
        reader
            .read_stored(&mut frame)?
            .ok_or_else(|| Error::input(clip, "has no frames"))?;
        return Ok((frame, reader.info().orientation));
    }
    let frame = Mat::new_rows_cols_with_default(
        1280,
        720,
        opencv::core::CV_8UC3,
        opencv::core::Scalar::all(128.0),
    )
    .map_err(Error::opencv)?;
    Ok((frame, Orientation::upright(720, 1280)))
}

/// Times `runs` pose estimates (crop + inference + decoding of the output) after `warmup` ones,
/// and the inference inside each.
pub fn bench_model(
    choice: &ModelChoice,
    threads: usize,
    frame: &Mat,
    orientation: &Orientation,
    warmup: usize,
    runs: usize,
) -> Result<ModelBench> {
    let mut estimator = catalog::open(choice, SessionOptions { threads })?;
    for _ in 0..warmup {
        estimator.estimate(frame, orientation)?;
    }
    let mut samples = Vec::with_capacity(runs);
    let mut inference = Vec::with_capacity(runs);
    for _ in 0..runs {
        let before = estimator.inference_seconds();
        let t0 = Instant::now();
        estimator.estimate(frame, orientation)?;
        samples.push(t0.elapsed().as_secs_f64() * 1000.0);
        if let (Some(b), Some(a)) = (before, estimator.inference_seconds()) {
            inference.push((a - b) * 1000.0);
        }
    }
    let latency = LatencyStats::from_ms(&samples)
        .ok_or_else(|| Error::Runtime("no benchmark runs".into()))?;
    Ok(ModelBench {
        model: choice.name.clone(),
        threads,
        warmup,
        latency,
        inference: LatencyStats::from_ms(&inference),
    })
}

/// Analyses `clip` end to end and reports where the time went.
pub fn bench_clip(choice: &ModelChoice, threads: usize, clip: &Path) -> Result<ClipBench> {
    let mut estimator = catalog::open(choice, SessionOptions { threads })?;
    let analysis = analyze_clip(
        clip,
        estimator.as_mut(),
        &Thresholds::default(),
        &mut |_, _| {},
    )?;
    let timing = analysis.timing;
    Ok(ClipBench {
        clip: clip.display().to_string(),
        model: choice.name.clone(),
        threads,
        frames_per_s: timing.frames as f64 / timing.wall_s.max(1e-9),
        timing,
    })
}

/// hyperfine-style text for one model measurement.
pub fn format_model(b: &ModelBench) -> String {
    let l = &b.latency;
    let threads = if b.threads == 0 {
        "auto".to_string()
    } else {
        b.threads.to_string()
    };
    let inference = b.inference.as_ref().map_or_else(String::new, |i| {
        format!(
            "  Inference alone:     {:>7.2} ms ± {:>5.2} ms    (min … p50 … p99: {:.2} ms … {:.2} ms … {:.2} ms)\n",
            i.mean_ms, i.stddev_ms, i.min_ms, i.p50_ms, i.p99_ms
        )
    });
    format!(
        "Benchmark: {} ({} thread{})\n  Time (mean ± σ):     {:>7.2} ms ± {:>5.2} ms    [{:.1} frames/s]\n  Range (min … p50 … p99 … max): {:.2} ms … {:.2} ms … {:.2} ms … {:.2} ms    {} run{}, {} warm-up\n{inference}",
        b.model,
        threads,
        if b.threads == 1 { "" } else { "s" },
        l.mean_ms,
        l.stddev_ms,
        l.frames_per_s,
        l.min_ms,
        l.p50_ms,
        l.p99_ms,
        l.max_ms,
        l.runs,
        if l.runs == 1 { "" } else { "s" },
        b.warmup
    )
}

/// Text for the end-to-end clip run.
pub fn format_clip(b: &ClipBench) -> String {
    let t = &b.timing;
    let per = |s: f64| 1000.0 * s / (t.frames * u64::from(t.passes.max(1))).max(1) as f64;
    let rest = (t.wall_s - t.pose_s).max(0.0);
    let inference = t.inference_s.map_or_else(String::new, |s| {
        format!(", of which inference {:.2} ms/frame", per(s))
    });
    format!(
        "End to end: {} with {} (threads: {})\n  {} frames in {:.2} s  [{:.1} frames/s]\n  decode {:.2} s ({:.2} ms/frame, on its own thread, overlapped)\n  pose   {:.2} s ({:.2} ms/frame{inference})\n  rest   {:.2} s (waiting for frames, assessment {:.3} s)\n",
        b.clip,
        b.model,
        if b.threads == 0 { "auto".to_string() } else { b.threads.to_string() },
        t.frames,
        t.wall_s,
        b.frames_per_s,
        t.decode_s,
        per(t.decode_s),
        t.pose_s,
        per(t.pose_s),
        rest,
        t.assess_s
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_of_known_samples() {
        let s = LatencyStats::from_ms(&[10.0, 12.0, 14.0, 16.0, 18.0]).unwrap();
        assert_eq!(s.mean_ms, 14.0);
        assert!((s.stddev_ms - 10f64.sqrt()).abs() < 1e-12);
        assert_eq!((s.min_ms, s.p50_ms, s.max_ms), (10.0, 14.0, 18.0));
        assert!((s.p99_ms - 17.92).abs() < 1e-9);
        assert!((s.frames_per_s - 1000.0 / 14.0).abs() < 1e-9);
        assert!(LatencyStats::from_ms(&[]).is_none());
    }
}
