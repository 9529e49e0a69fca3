//! One clip through the whole chain: decode → pose per frame → assessment.
//!
//! Decoding runs on its own thread, a couple of frames ahead of the pose model (a bounded channel),
//! so the two overlap; decoded frame buffers travel back to the decoder for reuse, so the hot loop
//! allocates no frames.
use crate::assess::{assess, Assessment, Observation};
use crate::error::{Error, Result};
use crate::pose::PoseEstimator;
use crate::thresholds::Thresholds;
use crate::video::{FrameStamp, VideoInfo, VideoReader};
use opencv::core::Mat;
use serde::Serialize;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How many decoded frames may wait for the pose model: one keeps decode and pose overlapped; each
/// more costs a full frame (25 MB at 4K; 4K60 peak RSS 344 MB with two, 327 MB with one).
const FRAMES_AHEAD: usize = 1;

/// Where the time went, for users comparing models and machines.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Timing {
    pub frames: u64,
    /// Time the decoder thread spent decoding (it overlaps with pose estimation).
    pub decode_s: f64,
    /// Time spent in the pose model, crop included.
    pub pose_s: f64,
    pub assess_s: f64,
    /// Wall-clock time of the whole analysis.
    pub wall_s: f64,
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

type Decoded = Result<(Mat, FrameStamp)>;

/// Decodes every frame of `reader` into `frames`, reusing the buffers that come back on `spare`.
/// Returns the time spent decoding. Stops early when the receiver is gone.
fn decode_all(
    mut reader: VideoReader,
    frames: mpsc::SyncSender<Decoded>,
    spare: mpsc::Receiver<Mat>,
) -> Duration {
    let mut busy = Duration::ZERO;
    loop {
        let mut frame = spare.try_recv().unwrap_or_default();
        let t0 = Instant::now();
        let read = reader.read_stored(&mut frame);
        busy += t0.elapsed();
        let item = match read {
            Ok(Some(stamp)) => Ok((frame, stamp)),
            Ok(None) => return busy,
            Err(e) => Err(e),
        };
        let failed = item.is_err();
        if frames.send(item).is_err() || failed {
            return busy;
        }
    }
}

/// Where the analysed person stands in the picture, in words.
fn tracked_position(a: &Assessment, obs: &[Observation], width: f64) -> &'static str {
    use crate::geometry::Joint;
    let xs = obs.iter().filter_map(|o| {
        let l = o
            .pose
            .confident(Joint::LeftHip, a.thresholds.min_keypoint_score)?;
        let r = o
            .pose
            .confident(Joint::RightHip, a.thresholds.min_keypoint_score)?;
        Some(l.midpoint(r).x / width)
    });
    match crate::signal::median(xs) {
        Some(x) if x < 0.4 => "on the left of the picture",
        Some(x) if x > 0.6 => "on the right of the picture",
        Some(_) => "in the middle of the picture",
        None => "position unknown",
    }
}

/// Analyses one clip. `on_frame(done, total)` is called after each frame for progress display.
pub fn analyze_clip(
    path: &Path,
    estimator: &mut dyn PoseEstimator,
    thresholds: &Thresholds,
    on_frame: &mut dyn FnMut(u64, Option<u64>),
) -> Result<ClipAnalysis> {
    let started = Instant::now();
    let reader = VideoReader::open(path)?;
    let info = reader.info().clone();
    estimator.reset();
    let mut observations = Vec::new();
    let mut pose_time = Duration::ZERO;
    let (frame_tx, frame_rx) = mpsc::sync_channel::<Decoded>(FRAMES_AHEAD);
    let (spare_tx, spare_rx) = mpsc::channel::<Mat>();
    let decode_time = std::thread::scope(|scope| -> Result<Duration> {
        let decoder = scope.spawn(move || decode_all(reader, frame_tx, spare_rx));
        // Owned here so that an early return drops it, which stops a decoder blocked on a full
        // channel instead of leaving the scope waiting for it.
        let frames = frame_rx;
        for item in frames.iter() {
            let (frame, stamp) = item?;
            let t0 = Instant::now();
            let pose = estimator.estimate(&frame, &info.orientation).map_err(|e| {
                Error::input(
                    path,
                    format!("pose estimation failed at frame {}: {e}", stamp.index),
                )
            })?;
            pose_time += t0.elapsed();
            observations.push(Observation {
                index: stamp.index,
                t_s: stamp.t_s,
                pose,
            });
            let _ = spare_tx.send(frame);
            on_frame(observations.len() as u64, info.frame_count);
        }
        decoder
            .join()
            .map_err(|_| Error::input(path, "the decoder thread panicked"))
    })?;
    if observations.is_empty() {
        return Err(Error::input(path, "contains no decodable video frames"));
    }
    let t_assess = Instant::now();
    let mut assessment = assess(&observations, info.fps, info.height as f64, thresholds);
    if estimator.other_people_seen() > 0 {
        assessment.warnings.push(format!(
            "Several people in view: the analysis follows the one the tracker locked on to ({}); film one person alone.",
            tracked_position(&assessment, &observations, info.width as f64)
        ));
    }
    let timing = Timing {
        frames: observations.len() as u64,
        decode_s: decode_time.as_secs_f64(),
        pose_s: pose_time.as_secs_f64(),
        assess_s: t_assess.elapsed().as_secs_f64(),
        wall_s: started.elapsed().as_secs_f64(),
    };
    Ok(ClipAnalysis {
        info,
        model: estimator.name().to_string(),
        observations_count: observations.len(),
        assessment,
        timing,
        observations,
    })
}
