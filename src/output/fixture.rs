//! Clips for the outputs' tests, assessed as real clips are: a synthetic single-leg squatter whose
//! knee valgus is poor and whose knee wobbles, and a clip of two bouts (the right leg good, a step,
//! the left leg poor).
use crate::assess::tests::{both_legs_in_one_clip, Squatter};
use crate::assess::{assess, thresholds::Thresholds, Observation};
use crate::clip::{ClipAnalysis, Timing};
use crate::video::{Orientation, VideoInfo};
use std::path::PathBuf;

pub fn squat_clip() -> ClipAnalysis {
    let squatter = Squatter {
        peak_fppa: 22.0,
        wobble_deg: 6.0,
        ..Squatter::default()
    };
    analysed("squat.mp4", squatter.observations(), squatter.fps)
}

/// Right leg at 5° (good), a 2 s step on both feet (a transition), left leg at 25° (poor).
pub fn two_bout_clip() -> ClipAnalysis {
    analysed("both.mp4", both_legs_in_one_clip(5.0, 25.0), 30.0)
}

fn analysed(name: &str, observations: Vec<Observation>, fps: f64) -> ClipAnalysis {
    let assessment = assess(&observations, fps, 1280.0, &Thresholds::default());
    ClipAnalysis {
        info: VideoInfo {
            path: PathBuf::from(name),
            orientation: Orientation::upright(720, 1280),
            width: 720,
            height: 1280,
            fps,
            frame_count: Some(observations.len() as u64),
            codec: "h264".into(),
        },
        model: "synthetic".into(),
        observations_count: observations.len(),
        assessment,
        timing: Timing::default(),
        athlete: None,
        recorded: None,
        observations,
    }
}
