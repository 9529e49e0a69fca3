//! `kneetrack bench`: pose inference latency per model and thread count, and end-to-end runs on
//! a clip (wall and CPU time, split into decode / pose / rest). Output in the manner of hyperfine:
//! mean ± σ, a relative-speed summary, and a warning when the machine was too busy to trust.
mod cpu;
mod stamp;
mod stats;

pub use cpu::CpuTimes;
pub use stamp::utc_now;
pub use stats::{load_average, noise_warning, ratio, Spread};

use crate::assess::thresholds::Thresholds;
use crate::clip::Timing;
use crate::error::{Error, Result};
use crate::pipeline::analyze_clip_with;
use crate::pose::catalog::{self, ModelChoice};
use crate::pose::runtime::SessionOptions;
use crate::pose::sessions::{SessionPlan, Sessions};
use crate::pose_rate::PoseRate;
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
        let spread = Spread::of(samples)?;
        let p99 = crate::assess::signal::percentile(samples.iter().copied(), 99.0);
        let mean = spread.mean;
        Some(LatencyStats {
            runs: samples.len(),
            mean_ms: mean,
            stddev_ms: spread.stddev,
            min_ms: spread.min,
            p50_ms: spread.median,
            p99_ms: p99.unwrap_or(f64::NAN),
            max_ms: spread.max,
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
    /// Every timed pose step, milliseconds, in order.
    pub samples_ms: Vec<f64>,
}

/// One end-to-end analysis of the clip.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct ClipRun {
    pub wall_s: f64,
    pub user_s: f64,
    pub sys_s: f64,
}

/// Repeated end-to-end runs on a clip.
#[derive(Debug, Clone, Serialize)]
pub struct ClipBench {
    pub clip: String,
    pub model: String,
    pub threads: usize,
    /// Poses per second at most (0: every frame).
    pub pose_rate_hz: f64,
    /// The last run's split into decode / pose / assessment.
    pub timing: Timing,
    /// Decoded frames per second of wall time, from the mean wall time.
    pub frames_per_s: f64,
    /// Every run, in order.
    pub runs: Vec<ClipRun>,
    pub wall_s: Spread,
    pub user_s: Spread,
    pub sys_s: Spread,
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
        samples_ms: samples,
    })
}

/// Analyses `clip` end to end `runs` times (opening the model included, as `analyze` does, with
/// the sessions `analyze --threads threads` would use: see [`SessionPlan::choose`]) and reports
/// wall and CPU time of each, and where the time of the last one went.
pub fn bench_clip(
    choice: &ModelChoice,
    threads: usize,
    rate: PoseRate,
    clip: &Path,
    runs: usize,
) -> Result<ClipBench> {
    let mut timed = Vec::with_capacity(runs);
    let mut timing = Timing::default();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for _ in 0..runs.max(1) {
        let cpu = CpuTimes::now();
        let t0 = Instant::now();
        let mut sessions = Sessions::open(choice, SessionPlan::choose(threads, 0, 1, cores))?;
        let analysis = analyze_clip_with(
            clip,
            &mut sessions,
            &Thresholds::default(),
            rate,
            &mut |_, _| {},
        )?;
        let wall_s = t0.elapsed().as_secs_f64();
        let used = CpuTimes::now().since(&cpu);
        timed.push(ClipRun {
            wall_s,
            user_s: used.user_s,
            sys_s: used.sys_s,
        });
        timing = analysis.timing;
    }
    let spread = |f: fn(&ClipRun) -> f64| {
        Spread::of(&timed.iter().map(f).collect::<Vec<_>>()).unwrap_or(Spread {
            mean: 0.0,
            stddev: 0.0,
            min: 0.0,
            median: 0.0,
            max: 0.0,
        })
    };
    let wall_s = spread(|r| r.wall_s);
    Ok(ClipBench {
        clip: clip.display().to_string(),
        model: choice.name.clone(),
        threads,
        pose_rate_hz: rate.max_hz,
        frames_per_s: timing.frames as f64 / wall_s.mean.max(1e-9),
        timing,
        wall_s,
        user_s: spread(|r| r.user_s),
        sys_s: spread(|r| r.sys_s),
        runs: timed,
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
    ) + &noise_warning(&b.samples_ms).map_or_else(String::new, |w| format!("  {w}\n"))
}

/// The threads of an end-to-end run, and its sessions when there were several.
fn clip_threads_label(b: &ClipBench) -> String {
    match b.timing.sessions {
        n if n > 1 => format!("{}, {n} sessions", threads_label(b.threads)),
        _ => threads_label(b.threads),
    }
}

fn threads_label(threads: usize) -> String {
    match threads {
        0 => "auto threads".into(),
        1 => "1 thread".into(),
        n => format!("{n} threads"),
    }
}

/// hyperfine's closing summary: the fastest entry, then how many times faster it ran than each
/// of the others (± the propagated σ). `entries` are (label, spread of the times); empty text for
/// fewer than two.
pub fn format_summary(what: &str, entries: &[(String, Spread)]) -> String {
    let Some((best, fastest)) = entries
        .iter()
        .filter(|(_, s)| s.mean > 0.0)
        .min_by(|a, b| a.1.mean.total_cmp(&b.1.mean))
    else {
        return String::new();
    };
    if entries.len() < 2 {
        return String::new();
    }
    let mut out = format!("Summary ({what})\n  {best} ran\n");
    for (label, s) in entries {
        if label == best {
            continue;
        }
        let (r, sigma) = ratio(s, fastest);
        out += &format!("  {r:>8.2} ± {sigma:.2} times faster than {label}\n");
    }
    out
}

/// The labels and spreads of the pose-step measurements, for [`format_summary`].
pub fn model_entries(models: &[ModelBench]) -> Vec<(String, Spread)> {
    models
        .iter()
        .filter_map(|b| {
            let s = Spread::of(&b.samples_ms)?;
            Some((format!("{} ({})", b.model, threads_label(b.threads)), s))
        })
        .collect()
}

/// The labels and wall-time spreads of the end-to-end runs, for [`format_summary`].
pub fn clip_entries(clips: &[ClipBench]) -> Vec<(String, Spread)> {
    clips
        .iter()
        .map(|b| {
            (
                format!("{} ({}) on the clip", b.model, clip_threads_label(b)),
                b.wall_s,
            )
        })
        .collect()
}

/// Text for the end-to-end clip runs.
pub fn format_clip(b: &ClipBench) -> String {
    let t = &b.timing;
    let passes = u64::from(t.passes.max(1));
    let per = |s: f64, n: u64| 1000.0 * s / (n * passes).max(1) as f64;
    let rest = (t.wall_s - t.pose_s).max(0.0);
    let inference = t.inference_s.map_or_else(String::new, |s| {
        format!(", of which inference {:.2} ms", per(s, t.posed_frames))
    });
    let rate = if b.pose_rate_hz > 0.0 {
        format!("pose at most {} Hz", b.pose_rate_hz)
    } else {
        "every frame posed".to_string()
    };
    let (w, u, s) = (&b.wall_s, &b.user_s, &b.sys_s);
    let walls: Vec<f64> = b.runs.iter().map(|r| r.wall_s).collect();
    let warning = noise_warning(&walls).map_or_else(String::new, |w| format!("  {w}\n"));
    format!(
        "End to end: {} with {} ({}, {rate})\n  Time (mean ± σ):     {:>7.3} s ± {:>5.3} s    [User: {:.3} s, System: {:.3} s]\n  Range (min … max):   {:>7.3} s … {:.3} s    {} run{}\n{warning}  last run: {} frames ({} posed) in {:.2} s  [{:.1} frames/s]\n  decode {:.2} s ({:.2} ms/frame, on its own thread, overlapped)\n  pose   {:.2} s ({:.2} ms per posed frame{inference})\n  rest   {:.2} s (waiting for frames, assessment {:.3} s)\n",
        b.clip,
        b.model,
        clip_threads_label(b),
        w.mean,
        w.stddev,
        u.mean,
        s.mean,
        w.min,
        w.max,
        b.runs.len(),
        if b.runs.len() == 1 { "" } else { "s" },
        t.frames,
        t.posed_frames,
        t.wall_s,
        t.frames as f64 / t.wall_s.max(1e-9),
        t.decode_s,
        per(t.decode_s, t.frames),
        t.pose_s,
        per(t.pose_s, t.posed_frames),
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
