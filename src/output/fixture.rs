//! A clip for the outputs' tests: a synthetic single-leg squatter whose knee valgus is poor and
//! whose knee wobbles, assessed as a real clip is.
use crate::assess::tests::Squatter;
use crate::assess::{assess, thresholds::Thresholds};
use crate::clip::{ClipAnalysis, Timing};
use crate::video::{Orientation, VideoInfo};
use std::path::PathBuf;

pub fn squat_clip() -> ClipAnalysis {
    let squatter = Squatter {
        peak_fppa: 22.0,
        wobble_deg: 6.0,
        ..Squatter::default()
    };
    let observations = squatter.observations();
    let assessment = assess(&observations, squatter.fps, 1280.0, &Thresholds::default());
    ClipAnalysis {
        info: VideoInfo {
            path: PathBuf::from("squat.mp4"),
            orientation: Orientation::upright(720, 1280),
            width: 720,
            height: 1280,
            fps: squatter.fps,
            frame_count: Some(observations.len() as u64),
            codec: "h264".into(),
        },
        model: "synthetic".into(),
        observations_count: observations.len(),
        assessment,
        timing: Timing::default(),
        observations,
    }
}
