//! Everything known about one analysed clip: the data every output (terminal, JSON, CSV, HTML,
//! annotated video, batch summary) reads, so that outputs depend on this and not on the pipeline.
use crate::assess::{Assessment, Observation};
use crate::video::{Recorded, VideoInfo};
use serde::Serialize;

/// Where the time went, for users comparing models and machines.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Timing {
    /// Frames decoded: the whole clip.
    pub frames: u64,
    /// Frames the pose model ran on: every frame up to ~33 fps, every 2nd at 60 fps, … (see
    /// [`crate::PoseRate`]); the per-frame metrics are these frames'.
    pub posed_frames: u64,
    /// Observations filled in by linear interpolation between posed frames, not posed
    /// (`--coarse-rate` only; 0 otherwise). The per-frame metrics cover posed + interpolated.
    pub interpolated_frames: u64,
    /// Times the clip was decoded and tracked: 2 when the first person followed did not squat
    /// and somebody else was seen (see [`crate::analyze_clip`]). `decode_s` and `pose_s` cover all passes.
    pub passes: u32,
    /// Pose sessions that tracked the clip, taking alternate posed frames: 1 by default, with
    /// `--threads 1`, in a batch of several jobs (unless `--sessions` says otherwise) or for
    /// frames above 2560×1440; 2 with `--sessions 2` (see `SessionPlan`). `pose_s` and
    /// `inference_s` are summed over the sessions, which run at the same time, so they can exceed
    /// `wall_s`.
    pub sessions: u32,
    /// Time the decoder thread spent decoding (it overlaps with pose estimation).
    pub decode_s: f64,
    /// Time spent in the pose model, crop included (summed over the sessions).
    pub pose_s: f64,
    /// The part of `pose_s` spent inside ONNX Runtime's `Session::run`, summed over the
    /// sessions; `None` where an estimator does not keep count.
    pub inference_s: Option<f64>,
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
    /// Whom the clip shows (`--athlete`), for `kneetrack history`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub athlete: Option<String>,
    /// When the clip was filmed (its metadata, else its file time), for `kneetrack history`.
    pub recorded: Option<Recorded>,
    #[serde(skip)]
    pub observations: Vec<Observation>,
}
