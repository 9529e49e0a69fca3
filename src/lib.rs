//! kneetrack: a single-leg squat movement screen from a phone video.
//!
//! The pipeline is `video` (decode + orientation) → `pose` (ONNX keypoints) → `metrics` (per-frame
//! angles) → `reps` (stance leg and squat repetitions) → `verdict` (good / fair / poor / inconclusive)
//! → `report` (terminal, JSON). Each module has one job so that each can be tested on its own.
pub mod geometry;
pub mod metrics;
