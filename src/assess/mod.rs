//! From a clip's per-frame poses to the movement-screen result: smoothing, per-frame metrics, stance
//! leg, reps, and a verdict with reasons in plain words. Each step lives in its own submodule.
mod body;
mod capture;
pub mod metric_table;
pub mod metrics;
mod posture;
mod rep;
pub mod segmentation;
pub mod signal;
mod smoothing;
mod stance;
pub mod thresholds;
mod verdict;

use smoothing::smooth_poses;

use crate::assess::thresholds::Thresholds;
use crate::geometry::{Pose, Side};
use body::{judged_legs_seen, leg_length, segment_lengths, Segments};
use capture::{face_visible, frontal_ratio, hip_travel, not_seen_reason};
use metrics::LegMetrics;
use segmentation::segment_reps;
use serde::Serialize;

/// What the pose model saw in one frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub index: u64,
    pub t_s: f64,
    pub pose: Pose,
}

/// The screen's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Good,
    Fair,
    Poor,
    Inconclusive,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Good => "good",
            Verdict::Fair => "fair",
            Verdict::Poor => "poor",
            Verdict::Inconclusive => "inconclusive",
        }
    }
    pub(crate) fn rank(self) -> u8 {
        match self {
            Verdict::Good => 0,
            Verdict::Fair => 1,
            Verdict::Poor => 2,
            Verdict::Inconclusive => 3,
        }
    }
    pub(crate) fn worst(self, other: Verdict) -> Verdict {
        if other.rank() > self.rank() {
            other
        } else {
            self
        }
    }
}

/// Single-leg or double-leg squat, and on which leg.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Stance {
    SingleLeg {
        side: Side,
        /// Where the stance leg appears in the picture: "image-left" or "image-right".
        image_side: &'static str,
    },
    DoubleLeg,
    Unknown,
}

/// Smoothed metrics of one frame.
#[derive(Debug, Clone, Serialize)]
pub struct FrameMetrics {
    pub index: u64,
    pub t_s: f64,
    /// Hips, knees and ankles all seen (after gap filling).
    pub confident: bool,
    pub left: LegMetrics,
    pub right: LegMetrics,
    /// Hip drop below standing, in leg lengths.
    pub depth: Option<f64>,
    /// Contralateral pelvic drop (free hip lower = positive) against the reference side, degrees.
    pub pelvic_drop_deg: Option<f64>,
    /// Lateral trunk lean towards the reference side, degrees.
    pub trunk_lean_deg: Option<f64>,
}

impl FrameMetrics {
    pub fn leg(&self, side: Side) -> &LegMetrics {
        match side {
            Side::Left => &self.left,
            Side::Right => &self.right,
        }
    }
}

/// One leg's numbers for one rep.
#[derive(Debug, Clone, Serialize)]
pub struct RepLeg {
    pub side: Side,
    /// Largest valgus angle during the rep, degrees (frames where the thigh is too foreshortened to
    /// measure are left out).
    pub peak_fppa_deg: Option<f64>,
    pub fppa_at_bottom_deg: Option<f64>,
    /// Peak FPPA minus the leg's standing FPPA.
    pub peak_fppa_above_standing_deg: Option<f64>,
    pub drift_at_bottom: Option<f64>,
    /// In/out reversals of the knee beyond the one of a smooth rep (each over the noise floor).
    pub wobble: usize,
    pub verdict: Verdict,
}

/// One squat repetition.
#[derive(Debug, Clone, Serialize)]
pub struct Rep {
    pub number: usize,
    pub start_s: f64,
    pub bottom_s: f64,
    pub end_s: f64,
    pub bottom_frame: u64,
    /// Hip drop at the bottom, leg lengths.
    pub depth: f64,
    /// Seconds from the start to the bottom, and from the bottom back up.
    pub descent_s: f64,
    pub ascent_s: f64,
    /// Most pelvic drop during the rep beyond standing, degrees.
    pub pelvic_drop_deg: Option<f64>,
    /// Most trunk lean during the rep beyond standing, degrees.
    pub trunk_lean_deg: Option<f64>,
    /// The free foot touched down (single-leg squats where the free foot is held up).
    pub balance_lost: Option<bool>,
    pub legs: Vec<RepLeg>,
    pub verdict: Verdict,
    pub reasons: Vec<String>,
}

/// The whole result for one clip.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub verdict: Verdict,
    pub reasons: Vec<String>,
    pub advice: Vec<String>,
    pub warnings: Vec<String>,
    pub stance: Stance,
    pub reps: Vec<Rep>,
    /// Share of frames with hips, knees and ankles seen.
    pub confident_fraction: f64,
    /// Median (shoulder + hip width) / torso length; about 0.6 for a frontal view, near 0 side-on.
    pub frontal_ratio: Option<f64>,
    /// Typical frame-to-frame jump of the hips, knees and ankles, leg lengths (largest joint's
    /// median): a few hundredths when the model follows one body.
    pub keypoint_jump: Option<f64>,
    /// Standing FPPA per judged leg, degrees.
    pub standing_fppa_deg: Vec<(Side, f64)>,
    /// The side pelvic drop and trunk lean refer to (the stance leg; right in double-leg squats).
    pub reference_side: Side,
    /// Standing pelvic drop and trunk lean, degrees (rep values are measured from these).
    pub standing_pelvic_drop_deg: Option<f64>,
    pub standing_trunk_lean_deg: Option<f64>,
    /// The thresholds the verdict used.
    pub thresholds: Thresholds,
    pub frames: Vec<FrameMetrics>,
}

/// Runs the whole assessment. `fps` is the container's nominal rate (used when timestamps are
/// unusable); `frame_height` in display pixels.
pub fn assess(obs: &[Observation], fps: f64, frame_height: f64, th: &Thresholds) -> Assessment {
    let fs = smoothing::sample_rate(obs, fps);
    let poses = smooth_poses(obs, fs, th, frame_height);
    let leg = leg_length(&poses, th);
    let stance = leg.map_or(Stance::Unknown, |l| stance::detect_stance(&poses, l, th));
    let confident: Vec<bool> = poses
        .iter()
        .map(|p| judged_legs_seen(p, stance, th))
        .collect();
    let confident_fraction = if obs.is_empty() {
        0.0
    } else {
        confident.iter().filter(|c| **c).count() as f64 / obs.len() as f64
    };
    let mut result = Assessment {
        verdict: Verdict::Inconclusive,
        reasons: Vec::new(),
        advice: Vec::new(),
        warnings: Vec::new(),
        stance,
        reps: Vec::new(),
        confident_fraction,
        frontal_ratio: frontal_ratio(&poses, th),
        keypoint_jump: capture::keypoint_jumpiness(obs, th),
        standing_fppa_deg: Vec::new(),
        reference_side: posture::reference_side(stance),
        standing_pelvic_drop_deg: None,
        standing_trunk_lean_deg: None,
        thresholds: th.clone(),
        frames: Vec::new(),
    };
    let reference = result.reference_side;
    let depth = leg.map_or_else(
        || vec![None; poses.len()],
        |l| stance::depth_series(&poses, stance, l, th),
    );
    let rep_depth = signal::smooth(&depth, 2.0, fs);
    result.frames = obs
        .iter()
        .zip(&poses)
        .enumerate()
        .map(|(i, (o, p))| FrameMetrics {
            index: o.index,
            t_s: o.t_s,
            confident: confident[i],
            left: metrics::leg_metrics(p, Side::Left, th.min_keypoint_score),
            right: metrics::leg_metrics(p, Side::Right, th.min_keypoint_score),
            depth: depth[i],
            pelvic_drop_deg: posture::pelvic_drop(p, reference, th),
            trunk_lean_deg: posture::trunk_lean(p, reference, th),
        })
        .collect();

    // Conditions under which no verdict is honest.
    if obs.is_empty() {
        result
            .reasons
            .push("The clip has no frames to analyse.".into());
        return result;
    }
    if let Some(jump) = result.keypoint_jump {
        if jump > th.max_keypoint_jump {
            result.reasons.push(format!(
                "The body keypoints jump about from frame to frame (typically {:.1} leg lengths between frames): \
                 the pose model is not following one person. Film one person, whole body, in good light.",
                jump
            ));
            return result;
        }
    }
    if capture::upside_down(&poses, th) {
        result.reasons.push(
            "The picture is upside down (head below the feet): turn the video upright or film with the phone the right way up."
                .into(),
        );
        return result;
    }
    if confident_fraction < th.min_confident_fraction || leg.is_none() {
        result
            .reasons
            .push(not_seen_reason(&poses, confident_fraction, th));
        return result;
    }
    if let Some(r) = result.frontal_ratio {
        if r < th.min_frontal_ratio {
            result.reasons.push(
                "The camera is not in front of the person (shoulders and hips overlap, as in a side view): \
                 knee valgus can only be judged from the front."
                    .into(),
            );
            return result;
        }
        if r < 1.6 * th.min_frontal_ratio {
            result.warnings.push(
                "The camera looks at the person at an angle; face it squarely for accurate knee angles.".into(),
            );
        }
    }
    if let Some(travel) = leg.and_then(|l| hip_travel(&poses, l, th)) {
        if travel > th.max_hip_travel {
            result.reasons.push(format!(
                "The person moves across the picture ({:.1} leg lengths sideways): walking, or several people in view. \
                 Squat in place, alone in the picture.",
                travel
            ));
            return result;
        }
    }
    let head_in_picture = capture::head_room(&poses, frame_height, th);
    if !head_in_picture {
        result
            .warnings
            .push("The head is cut off at the top of the picture: step back or tilt the camera down a little.".into());
    } else if face_visible(obs, th) < th.min_face_visible {
        result.reasons.push(
            "The person seems to face away from the camera (face not seen): film from the front."
                .into(),
        );
        return result;
    }
    result.warnings.extend(capture::quality_warnings(
        obs,
        &poses,
        fs,
        frame_height,
        leg.unwrap_or(0.0),
        th,
    ));
    let times: Vec<f64> = obs.iter().map(|o| o.t_s).collect();
    let spans = segment_reps(&rep_depth, &times, th.min_rep_depth, 0.5);
    if spans.is_empty() {
        result.reasons.push(
            "No squat repetitions were found (the hips never lowered and rose again).".into(),
        );
        return result;
    }
    let judged: Vec<Side> = match stance {
        Stance::SingleLeg { side, .. } => vec![side],
        _ => vec![Side::Right, Side::Left],
    };
    let standing_frames: Vec<usize> = (0..poses.len())
        .filter(|&i| confident[i] && depth[i].is_some_and(|d| d < 0.03))
        .collect();
    for &side in &judged {
        let baseline = signal::median(
            standing_frames
                .iter()
                .filter_map(|&i| result.frames[i].leg(side).fppa_deg),
        );
        if let Some(b) = baseline {
            result.standing_fppa_deg.push((side, b));
        }
    }
    result.standing_pelvic_drop_deg = signal::median(
        standing_frames
            .iter()
            .filter_map(|&i| result.frames[i].pelvic_drop_deg),
    );
    result.standing_trunk_lean_deg = signal::median(
        standing_frames
            .iter()
            .filter_map(|&i| result.frames[i].trunk_lean_deg),
    );
    if spans.len() < th.min_reps {
        result.reasons.push(format!(
            "Only {} complete squat rep(s) found; at least {} are needed for a verdict (the test asks for 5).",
            spans.len(),
            th.min_reps
        ));
        return result;
    }
    let segments: Vec<(Side, Option<Segments>)> = judged
        .iter()
        .map(|&s| (s, segment_lengths(&poses, s, th)))
        .collect();
    let reps: Vec<Rep> = {
        let ctx = rep::RepContext {
            result: &result,
            poses: &poses,
            segments: &segments,
            leg: leg.unwrap_or(1.0),
            th,
        };
        spans
            .iter()
            .enumerate()
            .map(|(n, span)| ctx.assess(n + 1, *span))
            .collect()
    };
    result.reps = reps;
    verdict::summarise(&mut result, th);
    result
}

#[cfg(test)]
pub(crate) mod tests;
