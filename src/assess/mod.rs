//! From a clip's per-frame poses to the movement-screen result: smoothing, per-frame metrics, stance
//! leg, reps, and a verdict with reasons in plain words. Each step lives in its own submodule.
mod body;
mod capture;
mod rep;
mod smoothing;
mod stance;
mod verdict;

pub use smoothing::smooth_poses;

use crate::geometry::{Pose, Side};
use crate::metrics::{self, LegMetrics};
use crate::reps::segment_reps;
use crate::signal;
use crate::thresholds::Thresholds;
use body::{judged_legs_seen, leg_length, segment_lengths, Segments};
use capture::{face_visible, frontal_ratio, hip_travel, not_seen_reason};
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
    /// Standing FPPA per judged leg, degrees.
    pub standing_fppa_deg: Vec<(Side, f64)>,
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
        standing_fppa_deg: Vec::new(),
        frames: Vec::new(),
    };
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
        })
        .collect();

    // Conditions under which no verdict is honest.
    if obs.is_empty() {
        result
            .reasons
            .push("The clip has no frames to analyse.".into());
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
    if face_visible(obs, th) < th.min_face_visible {
        result.reasons.push(
            "The person seems to face away from the camera (face not seen): film from the front."
                .into(),
        );
        return result;
    }
    if fs < 24.0 {
        result.warnings.push(format!(
            "Low frame rate ({fs:.0} fps): fast wobbles can be missed; film at 30 fps or more."
        ));
    }
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
    for (n, span) in spans.iter().enumerate() {
        result.reps.push(rep::assess_rep(
            n + 1,
            *span,
            &result,
            &poses,
            &segments,
            th,
        ));
    }
    verdict::summarise(&mut result, th);
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::{Joint, Keypoint};

    /// A synthetic single-leg squatter (right leg standing, facing the camera) whose right knee moves
    /// medially to reach `peak_fppa` at each rep bottom.
    pub(crate) fn squatter(reps: usize, peak_fppa: f64, fps: f64) -> Vec<Observation> {
        let mut out = Vec::new();
        let mut phases = vec![0.0; fps as usize];
        for _ in 0..reps {
            let n = (2.0 * fps) as usize;
            phases.extend(
                (0..n).map(|k| {
                    0.5 * (1.0 - (2.0 * std::f64::consts::PI * k as f64 / n as f64).cos())
                }),
            );
            phases.extend(std::iter::repeat_n(0.0, (0.8 * fps) as usize));
        }
        for (i, &s) in phases.iter().enumerate() {
            let mut p = Pose::default();
            let kp = |x: f64, y: f64| Keypoint { x, y, score: 0.9 };
            let drop = 80.0 * s; // hips lower by up to 80 px of a 400 px leg = 0.2 leg lengths
            let hip_y = 500.0 + drop;
            let ankle_y = 900.0;
            let knee_y = (hip_y + ankle_y) / 2.0;
            let half = (ankle_y - hip_y) / 2.0;
            let fppa = peak_fppa * s;
            let dx = half * (fppa.to_radians() / 2.0).tan();
            p.set(Joint::Nose, kp(360.0, 150.0 + drop));
            p.set(Joint::LeftEye, kp(370.0, 140.0 + drop));
            p.set(Joint::RightEye, kp(350.0, 140.0 + drop));
            p.set(Joint::RightShoulder, kp(300.0, 250.0 + drop));
            p.set(Joint::LeftShoulder, kp(420.0, 250.0 + drop));
            p.set(Joint::RightHip, kp(330.0, hip_y));
            p.set(Joint::LeftHip, kp(390.0, hip_y));
            p.set(Joint::RightKnee, kp(330.0 + dx, knee_y));
            p.set(Joint::RightAnkle, kp(330.0, ankle_y));
            p.set(Joint::LeftKnee, kp(400.0, hip_y + 150.0));
            p.set(Joint::LeftAnkle, kp(420.0, hip_y + 250.0));
            out.push(Observation {
                index: i as u64,
                t_s: i as f64 / fps,
                pose: p,
            });
        }
        out
    }

    #[test]
    fn good_squatter_is_good() {
        let a = assess(
            &squatter(5, 5.0, 30.0),
            30.0,
            1280.0,
            &Thresholds::default(),
        );
        assert_eq!(a.verdict, Verdict::Good, "{:?}", a.reasons);
        assert_eq!(a.reps.len(), 5);
        assert!(matches!(
            a.stance,
            Stance::SingleLeg {
                side: Side::Right,
                image_side: "image-left"
            }
        ));
        for r in &a.reps {
            let peak = r.legs[0].peak_fppa_deg.unwrap();
            assert!((peak - 5.0).abs() < 0.5, "peak {peak}");
        }
    }

    #[test]
    fn valgus_squatter_is_poor_and_fair_in_between() {
        let th = Thresholds::default();
        let poor = assess(&squatter(5, 25.0, 30.0), 30.0, 1280.0, &th);
        assert_eq!(poor.verdict, Verdict::Poor);
        assert!(poor.reasons.iter().any(|r| r.contains("collapsed inward")));
        let fair = assess(&squatter(5, 15.0, 60.0), 60.0, 1280.0, &th);
        assert_eq!(fair.verdict, Verdict::Fair);
    }

    #[test]
    fn one_rep_or_facing_away_is_inconclusive() {
        let th = Thresholds::default();
        let one = assess(&squatter(1, 5.0, 30.0), 30.0, 1280.0, &th);
        assert_eq!(one.verdict, Verdict::Inconclusive);
        assert!(
            one.reasons[0].contains("Only 1 complete"),
            "{:?}",
            one.reasons
        );
        let mut away = squatter(5, 5.0, 30.0);
        for o in &mut away {
            for j in [Joint::Nose, Joint::LeftEye, Joint::RightEye] {
                o.pose.set(j, Keypoint::default());
            }
        }
        let away = assess(&away, 30.0, 1280.0, &th);
        assert_eq!(away.verdict, Verdict::Inconclusive);
        assert!(away.reasons[0].contains("face away"));
    }

    #[test]
    fn implausible_angles_are_not_judged() {
        // A 70° "valgus" is a leg bent towards the camera, not a collapse: no confident verdict.
        let a = assess(
            &squatter(5, 70.0, 30.0),
            30.0,
            1280.0,
            &Thresholds::default(),
        );
        assert_ne!(a.verdict, Verdict::Poor);
        assert!(a
            .reps
            .iter()
            .all(|r| r.legs[0].peak_fppa_deg.is_none_or(|p| p <= 40.0)));
    }

    #[test]
    fn knees_swinging_the_same_way_are_not_valgus() {
        // Double-leg squat seen turned: the right knee reads +30°, the left −30° at the bottom.
        let mut obs = squatter(5, 30.0, 30.0);
        for o in &mut obs {
            let p = &mut o.pose;
            let (lh, la) = (p.get(Joint::LeftHip), p.get(Joint::LeftAnkle));
            let rk = p.get(Joint::RightKnee);
            let rh = p.get(Joint::RightHip);
            // Left leg planted and mirrored: its knee moves the same image direction as the right.
            let ankle = Keypoint {
                x: lh.x,
                y: 900.0,
                ..la
            };
            p.set(Joint::LeftAnkle, ankle);
            p.set(
                Joint::LeftKnee,
                Keypoint {
                    x: lh.x + (rk.x - rh.x),
                    y: rk.y,
                    ..rk
                },
            );
        }
        let a = assess(&obs, 30.0, 1280.0, &Thresholds::default());
        assert_eq!(a.stance, Stance::DoubleLeg);
        assert_ne!(a.verdict, Verdict::Poor, "{:?}", a.reasons);
        assert!(a
            .reps
            .iter()
            .all(|r| r.reasons.iter().any(|x| x.contains("same side"))));
    }

    #[test]
    fn nobody_in_view_is_inconclusive() {
        let obs: Vec<Observation> = (0..60)
            .map(|i| Observation {
                index: i,
                t_s: i as f64 / 30.0,
                pose: Pose::default(),
            })
            .collect();
        let a = assess(&obs, 30.0, 720.0, &Thresholds::default());
        assert_eq!(a.verdict, Verdict::Inconclusive);
        assert!(a.reasons[0].contains("No person"), "{:?}", a.reasons);
        assert_eq!(
            assess(&[], 30.0, 720.0, &Thresholds::default()).verdict,
            Verdict::Inconclusive
        );
    }

    #[test]
    fn standing_still_is_inconclusive() {
        let mut obs = squatter(0, 0.0, 30.0);
        let extra: Vec<Observation> = (30..90)
            .map(|i| Observation {
                index: i,
                t_s: i as f64 / 30.0,
                pose: obs[0].pose.clone(),
            })
            .collect();
        obs.extend(extra);
        let a = assess(&obs, 30.0, 1280.0, &Thresholds::default());
        assert_eq!(a.verdict, Verdict::Inconclusive);
        assert!(a.reasons[0].contains("No squat"));
    }
}
