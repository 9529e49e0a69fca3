//! From a clip's per-frame poses to the movement-screen result, as a chain of pure steps, each in
//! its own submodule and each returning a value:
//!
//! 1. `smoothing`: clean the keypoints (spikes out, short gaps bridged, low-pass);
//! 2. `body`, `stance`, `posture`, `metrics`: leg length, stance leg, and the per-frame metrics;
//! 3. `capture`: is the clip fit to judge at all (a reason to stop, and warnings);
//! 4. `segmentation`: the reps, from the hip height;
//! 5. `baseline`: the standing values the reps are measured from;
//! 6. `rep`: each rep's numbers and verdict;
//! 7. `verdict`: the clip's verdict, reasons, warnings and advice.
//!
//! Every number a verdict depends on is in [`thresholds::Thresholds`].
mod baseline;
mod body;
mod bouts;
mod capture;
mod combine;
pub mod metric_table;
pub mod metrics;
mod posture;
mod rep;
mod result;
mod roll;
pub mod segmentation;
pub mod signal;
mod smoothing;
mod stance;
pub mod thresholds;
mod turn;
mod verdict;

pub use result::{
    Assessment, Bout, Comparison, FrameMetrics, LegResult, Legs, Rep, RepLeg, Stance, Verdict, View,
};

use crate::geometry::{Pose, Side};
use baseline::Standing;
use body::{judged_legs_seen, leg_length, segment_lengths};
use segmentation::segment_reps;
use thresholds::Thresholds;

/// What the pose model saw in one frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub index: u64,
    pub t_s: f64,
    pub pose: Pose,
}

/// Runs the whole assessment. `fps` is the container's nominal rate (used when timestamps are
/// unusable); `frame_height` in display pixels.
pub fn assess(obs: &[Observation], fps: f64, frame_height: f64, th: &Thresholds) -> Assessment {
    let fs = smoothing::sample_rate(obs, fps);
    let poses = smoothing::smooth_poses(obs, fs, th, frame_height);
    let spans = bouts::split(obs, &poses, th);
    if spans.len() <= 1 {
        return combine::one_bout(assess_bout(obs, poses, fs, frame_height, th), th);
    }
    let bouts: Vec<(std::ops::Range<usize>, BoutResult)> = spans
        .into_iter()
        .map(|range| {
            let part = &obs[range.clone()];
            let fs = smoothing::sample_rate(part, fps);
            let smoothed = smoothing::smooth_poses(part, fs, th, frame_height);
            let result = assess_bout(part, smoothed, fs, frame_height, th);
            (range, result)
        })
        .collect();
    let whole = assess_bout(obs, poses, fs, frame_height, th).assessment;
    combine::several_bouts(whole, bouts, th)
}

/// One bout's assessment (a whole clip's, where it is one bout) and its judged legs.
pub(crate) struct BoutResult {
    pub assessment: Assessment,
    pub legs: Vec<verdict::LegSummary>,
    pub view: View,
    /// No reps were found although the clip could be judged (a rest between bouts).
    pub no_reps: bool,
}

/// The pipeline of steps over one bout's observations and smoothed poses.
fn assess_bout(
    obs: &[Observation],
    poses: Vec<Pose>,
    fs: f64,
    frame_height: f64,
    th: &Thresholds,
) -> BoutResult {
    let leg = leg_length(&poses, th);
    let stance = leg.map_or(Stance::Unknown, |l| stance::detect_stance(&poses, l, th));
    let reference_side = posture::reference_side(stance);
    let frames = frame_metrics(obs, &poses, stance, leg, reference_side, th);
    // A rolled camera: measure again on the poses turned level (see `roll`).
    let camera_roll_deg = roll::estimate(&poses, &frames, stance, th);
    let (poses, leg, stance, reference_side, frames) = match camera_roll_deg {
        Some(r) if r.abs() >= th.roll_correct_min_deg && r.abs() <= th.max_roll_deg => {
            let centre = crate::geometry::Point::new(0.0, frame_height / 2.0);
            let poses = roll::level(&poses, r, centre);
            let leg = leg_length(&poses, th);
            let stance = leg.map_or(Stance::Unknown, |l| stance::detect_stance(&poses, l, th));
            let reference_side = posture::reference_side(stance);
            let frames = frame_metrics(obs, &poses, stance, leg, reference_side, th);
            (poses, leg, stance, reference_side, frames)
        }
        _ => (poses, leg, stance, reference_side, frames),
    };
    let confident_fraction = if obs.is_empty() {
        0.0
    } else {
        frames.iter().filter(|f| f.confident).count() as f64 / obs.len() as f64
    };
    let frontal_ratio = capture::frontal_ratio(&poses, th);
    let face_turn = capture::face_turn(obs, th);
    let facing = capture::facing(&poses, th);
    let facing_swaps = facing.and_then(|f| capture::facing_swaps(obs, f, th));
    let keypoint_jump = capture::keypoint_jumpiness(obs, th);
    let screen = match smoothing::too_slow_to_measure(obs, fs, th) {
        Some(reason) => capture::Screen {
            refusal: Some(reason),
            warnings: Vec::new(),
        },
        None => capture::screen(
            &capture::Clip {
                obs,
                poses: &poses,
                fs,
                frame_height,
                leg,
                confident_fraction,
                frontal_ratio,
                facing,
                facing_swaps,
                keypoint_jump,
                camera_roll_deg,
            },
            th,
        ),
    };
    let refused = screen.refusal.is_some();
    let mut judgement = match screen.refusal {
        Some(reason) => Judgement::refused(reason, Standing::default()),
        None => judge(
            &Measured {
                raw: obs,
                frames: &frames,
                poses: &poses,
                fs,
                stance,
                leg: leg.unwrap_or(1.0),
                reference_side,
                frame_height,
            },
            th,
        ),
    };
    if !refused {
        let turn = turn::Turn::of(frontal_ratio, face_turn, th);
        judgement.allow_for_turn(turn, &poses, th);
    }
    let assessment = Assessment {
        verdict: judgement.verdict,
        reasons: judgement.reasons,
        advice: judgement.advice,
        warnings: [screen.warnings, judgement.warnings].concat(),
        stance,
        reps: judgement.reps,
        bouts: Vec::new(),
        legs: Legs::default(),
        comparison: None,
        confident_fraction,
        frontal_ratio,
        keypoint_jump,
        camera_roll_deg,
        standing_fppa_deg: judgement.standing.fppa_deg,
        reference_side,
        standing_pelvic_drop_deg: judgement.standing.pelvic_drop_deg,
        standing_trunk_lean_deg: judgement.standing.trunk_lean_deg,
        thresholds: th.clone(),
        frames,
    };
    BoutResult {
        // A model that swaps left and right now and then has not told a front view from a rear one.
        view: if facing_swaps.is_some_and(|s| s > capture::MAX_FACING_SWAPS) {
            View::Unknown
        } else {
            combine::view_of(frontal_ratio, face_turn, facing, th)
        },
        no_reps: judgement.no_reps,
        assessment,
        legs: judgement.legs,
    }
}

/// The smoothed metrics of every frame: both legs' knee metrics, whether the judged legs were
/// seen, squat depth, and pelvis and trunk against the reference side.
fn frame_metrics(
    obs: &[Observation],
    poses: &[Pose],
    stance: Stance,
    leg: Option<f64>,
    reference: Side,
    th: &Thresholds,
) -> Vec<FrameMetrics> {
    let depth = leg.map_or_else(
        || vec![None; poses.len()],
        |l| stance::depth_series(poses, stance, l, th),
    );
    obs.iter()
        .zip(poses)
        .zip(depth)
        .map(|((o, p), depth)| FrameMetrics {
            index: o.index,
            t_s: o.t_s,
            confident: judged_legs_seen(p, stance, th),
            left: metrics::leg_metrics(p, Side::Left, th.min_keypoint_score),
            right: metrics::leg_metrics(p, Side::Right, th.min_keypoint_score),
            depth,
            pelvic_drop_deg: posture::pelvic_drop(p, reference, th),
            trunk_lean_deg: posture::trunk_lean(p, reference, th),
            bout: None,
            interpolated: false,
        })
        .collect()
}

/// What the reps say about the clip, or why nothing can be said.
struct Judgement {
    verdict: Verdict,
    reasons: Vec<String>,
    warnings: Vec<String>,
    advice: Vec<String>,
    reps: Vec<Rep>,
    standing: Standing,
    legs: Vec<verdict::LegSummary>,
    /// The hips never went down and up: in a clip of several bouts, a rest or a walk.
    no_reps: bool,
}

impl Judgement {
    fn refused(reason: String, standing: Standing) -> Self {
        Judgement {
            verdict: Verdict::Inconclusive,
            reasons: vec![reason],
            warnings: Vec::new(),
            advice: Vec::new(),
            reps: Vec::new(),
            standing,
            legs: Vec::new(),
            no_reps: false,
        }
    }
}

impl Judgement {
    /// Takes back what a person turned from the camera makes the picture say (see `turn`): an
    /// angled bout keeps its reps, none measured; a slightly turned one loses the leg verdicts the
    /// turn could have made.
    fn allow_for_turn(&mut self, t: turn::Turn, poses: &[Pose], th: &Thresholds) {
        if self.no_reps || self.reps.is_empty() {
            return;
        }
        match t {
            turn::Turn::Square => {}
            turn::Turn::Angled => {
                turn::unmeasure_reps(&mut self.reps, None, turn::ANGLED_REP_REASON);
                self.verdict = Verdict::Inconclusive;
                self.reasons = vec![turn::ANGLED_REASON.to_string()];
                self.advice.clear();
                for leg in &mut self.legs {
                    leg.finding = None;
                    leg.reasons = vec![turn::ANGLED_REASON.to_string()];
                }
            }
            turn::Turn::Slight(face_turn) => {
                let mut questioned = Vec::new();
                for leg in &mut self.legs {
                    let Some(finding) = leg.finding else { continue };
                    let Some(bias) = turn::bias(face_turn, poses, leg.side, th) else {
                        continue;
                    };
                    if turn::questioned(finding.verdict, bias) {
                        let why = turn::slight_reason(leg.side, finding.verdict, bias, face_turn);
                        leg.finding = None;
                        leg.reasons = vec![why.clone()];
                        questioned.push((leg.side, why));
                    }
                }
                if questioned.is_empty() {
                    return;
                }
                for (side, why) in &questioned {
                    turn::unmeasure_reps(&mut self.reps, Some(*side), why);
                }
                // As a leg without a finding makes any bout inconclusive (see `summarise`).
                self.verdict = Verdict::Inconclusive;
                self.reasons = questioned.into_iter().map(|(_, why)| why).collect();
                self.advice.clear();
            }
        }
    }
}

/// Reps, their standing baselines, each rep's verdict and the bout's.
/// A bout as measured, ready to be judged.
struct Measured<'a> {
    raw: &'a [Observation],
    frames: &'a [FrameMetrics],
    poses: &'a [Pose],
    /// Sample rate, Hz.
    fs: f64,
    stance: Stance,
    /// Leg length, pixels.
    leg: f64,
    reference_side: Side,
    /// Display pixels.
    frame_height: f64,
}

fn judge(m: &Measured, th: &Thresholds) -> Judgement {
    let Measured {
        raw,
        frames,
        poses,
        fs,
        stance,
        leg,
        reference_side,
        frame_height,
    } = *m;
    let depth: Vec<Option<f64>> = frames.iter().map(|f| f.depth).collect();
    let rep_depth = signal::smooth(&depth, th.rep_depth_cutoff_hz, fs);
    let times: Vec<f64> = frames.iter().map(|f| f.t_s).collect();
    let spans = segment_reps(&rep_depth, &times, th.min_rep_depth, th.min_rep_s);
    if spans.is_empty() {
        return Judgement {
            no_reps: true,
            ..Judgement::refused(
                "No squat repetitions were found (the hips never lowered and rose again).".into(),
                Standing::default(),
            )
        };
    }
    let judged: Vec<Side> = match stance {
        Stance::SingleLeg { side, .. } => vec![side],
        _ => vec![Side::Right, Side::Left],
    };
    let standing = baseline::standing(frames, &judged, th);
    let legs = rep::JudgedLegs {
        frames,
        poses,
        segments: judged
            .iter()
            .map(|&s| (s, segment_lengths(poses, s, th)))
            .collect(),
        standing: &standing,
        stance,
        leg,
        raw,
        frame_height,
        has_feet: raw.iter().any(|o| {
            [Side::Left, Side::Right]
                .iter()
                .any(|s| o.pose.get(s.toe()).score > 0.0)
        }),
    };
    let reps: Vec<Rep> = spans
        .iter()
        .enumerate()
        .map(|(n, span)| rep::assess_rep(n + 1, *span, &legs, th))
        .collect();
    if reps.len() < th.min_reps {
        // The reps found are still listed, so that every count printed is the number listed.
        return Judgement {
            reps,
            ..Judgement::refused(
                format!(
                    "Only {} complete squat {} found; at least {} are needed for a verdict (the test asks for {}).",
                    spans.len(),
                    if spans.len() == 1 { "rep" } else { "reps" },
                    th.min_reps,
                    th.test_reps
                ),
                standing,
            )
        };
    }
    let summary = verdict::summarise(&reps, stance, reference_side, th);
    Judgement {
        verdict: summary.verdict,
        reasons: summary.reasons,
        warnings: summary.warnings,
        advice: summary.advice,
        reps,
        standing,
        legs: summary.legs,
        no_reps: false,
    }
}

#[cfg(test)]
pub(crate) mod tests;
