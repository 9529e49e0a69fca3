//! One clip through the whole chain: decode → pose per frame → assessment.
use crate::assess::{assess, Assessment, Observation};
use crate::error::{Error, Result};
use crate::pose::PoseEstimator;
use crate::thresholds::Thresholds;
use crate::video::{VideoInfo, VideoReader};
use opencv::core::Mat;
use serde::Serialize;
use std::path::Path;
use std::time::{Duration, Instant};

/// Where the time went, for users comparing models and machines.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Timing {
    pub frames: u64,
    pub decode_s: f64,
    pub pose_s: f64,
    pub assess_s: f64,
}

/// Everything known about one analysed clip.
#[derive(Debug, Clone, Serialize)]
pub struct ClipAnalysis {
    pub info: VideoInfo,
    pub model: String,
    pub observations_count: usize,
    pub assessment: Assessment,
    pub timing: Timing,
    #[serde(skip)]
    pub observations: Vec<Observation>,
}

/// Analyses one clip. `on_frame(done, total)` is called after each frame for progress display.
pub fn analyze_clip(
    path: &Path,
    estimator: &mut dyn PoseEstimator,
    thresholds: &Thresholds,
    on_frame: &mut dyn FnMut(u64, Option<u64>),
) -> Result<ClipAnalysis> {
    let mut reader = VideoReader::open(path)?;
    let info = reader.info().clone();
    estimator.reset();
    let mut frame = Mat::default();
    let mut observations = Vec::new();
    let mut timing = Timing::default();
    let mut decode = Duration::ZERO;
    let mut pose = Duration::ZERO;
    loop {
        let t0 = Instant::now();
        let Some(stamp) = reader.read_stored(&mut frame)? else {
            break;
        };
        let t1 = Instant::now();
        let estimated = estimator.estimate(&frame, &info.orientation).map_err(|e| {
            Error::input(
                path,
                format!("pose estimation failed at frame {}: {e}", stamp.index),
            )
        })?;
        pose += t1.elapsed();
        decode += t1 - t0;
        observations.push(Observation {
            index: stamp.index,
            t_s: stamp.t_s,
            pose: estimated,
        });
        on_frame(observations.len() as u64, info.frame_count);
    }
    if observations.is_empty() {
        return Err(Error::input(path, "contains no decodable video frames"));
    }
    let t2 = Instant::now();
    let assessment = assess(&observations, info.fps, info.height as f64, thresholds);
    timing.frames = observations.len() as u64;
    timing.decode_s = decode.as_secs_f64();
    timing.pose_s = pose.as_secs_f64();
    timing.assess_s = t2.elapsed().as_secs_f64();
    Ok(ClipAnalysis {
        info,
        model: estimator.name().to_string(),
        observations_count: observations.len(),
        assessment,
        timing,
        observations,
    })
}
