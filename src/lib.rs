//! kneetrack: a single-leg squat movement screen from a phone video.
//!
//! The pipeline, one folder a stage: `video` (decode, orientation, timestamps) → `pose` (ONNX
//! keypoints per frame) → `assess` (smoothing, per-frame metrics, stance, reps, verdict) →
//! `output` (terminal, JSON, CSV, HTML, annotated video). `pipeline` runs one clip through the
//! stages into a [`ClipAnalysis`]; `batch` runs many; `bench` times the pose models; `synth`
//! renders test clips with known truth (nothing in the product uses it).
//!
//! This file is the library's whole public face: what a program that screens clips, or a test of
//! one stage, needs. Everything else is private to the crate.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
mod assess;
mod batch;
mod bench;
mod clip;
mod dense;
mod error;
mod geometry;
mod history;
mod interrupt;
mod limits;
mod names;
mod output;
mod pipeline;
mod pose;
mod pose_rate;
pub mod synth;
mod video;

// The data: keypoints in, the screen's result out.
pub use assess::metrics::{foot_point, fppa_deg, medial_sign, LegMetrics};
pub use assess::thresholds::{Sex, Thresholds};
pub use assess::{
    assess, Assessment, Bout, Comparison, FrameMetrics, LegResult, Legs, Observation, Rep, RepLeg,
    Stance, Verdict, View,
};
pub use clip::{ClipAnalysis, Timing};
pub use error::{first_line, Error, Result};
pub use geometry::{Joint, Keypoint, Point, Pose, Side};
pub use interrupt::clean_up as clean_up_interrupted;
pub use interrupt::{interrupted, on_interrupt, unless_interrupted};
pub use limits::{
    check_jobs, check_threads, max_jobs, JOBS_PER_CORE, MAX_FRAME_PIXELS, MAX_JOBS,
    MAX_MODEL_INPUT_VALUES, MAX_THREADS,
};
pub use names::{display_name, sanitize};

// The stages.
pub use pipeline::{analyze_clip, analyze_clip_at, analyze_clip_with};
pub use pose::blazepose::{BlazePose, DETECTOR_FILE};
pub use pose::catalog::{
    self as models, Family, KnownModel, ModelChoice, DEFAULT_MODEL, KNOWN_MODELS,
};
pub use pose::crop::{CropSquare, Cropper};
pub use pose::manifest::{check as check_model_file, FileStatus, Manifest, ManifestEntry};
pub use pose::runtime::{self as onnx_runtime, open_session, SessionOptions};
pub use pose::sessions::{Pair, SessionPlan, Sessions, MAX_SESSIONS, MAX_SPLIT_PIXELS};
pub use pose::{PersonHint, PoseEstimator};
pub use pose_rate::PoseRate;
pub use video::{
    ffmpeg_libx264_available, recorded_at, Orientation, Recorded, VideoInfo, VideoReader,
    BACKEND_ENV,
};

// The outputs.
pub use output::annotate::verdict_rgb;
pub use output::atomic::write_atomically;
pub use output::html::escape as html_escape;
pub use output::report::{terminal_summary, to_json, DISCLAIMER, SCHEMA_VERSION};
pub use output::target::Target;

// Progress over time.
pub use history::{
    history_csv, history_html, history_table, load as load_history, Athlete, Change, Session,
    DRIFT_SDD, FPPA_SDD_DEG,
};

// Batches and benchmarks.
pub use batch::{
    check_outputs, expand_inputs, parse_shard, parse_shard_spec, read_kept_report, reports_in,
    row_of, rows_from_reports, run as run_batch, shard, shard_from_env, summary_csv, summary_html,
    summary_table, Asymmetry, BatchOptions, ClipDone, LegColumns, OutputPlan, RowVerdict,
    ShardSpec, SummaryRow,
};
pub use bench::{
    bench_clip, bench_frame, bench_model, clip_entries, format_clip, format_model, format_summary,
    load_average, model_entries, utc_now, ClipBench, ClipRun, ModelBench, Spread,
};
