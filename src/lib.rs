//! kneetrack: a single-leg squat movement screen from a phone video.
//!
//! The pipeline is `video` (decode + orientation) → `pose` (ONNX keypoints) → `metrics` (per-frame
//! angles) → `analysis` (stance leg, reps, verdict) → `report` (terminal, JSON). Each module has one
//! job so that each can be tested on its own.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
pub mod annotate;
pub mod assess;
pub mod batch;
pub mod bench;
pub mod error;
pub mod geometry;
pub mod html;
pub mod metrics;
pub mod pipeline;
pub mod pose;
pub mod report;
pub mod reps;
pub mod runtime;
pub mod signal;
pub mod synth;
pub mod thresholds;
pub mod video;
pub mod video_writer;
