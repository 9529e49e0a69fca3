//! From a clip's per-frame poses to the movement-screen result: smoothing, per-frame metrics, stance
//! leg, reps, and a verdict with reasons in plain words.
use crate::geometry::{Joint, Keypoint, Point, Pose, Side};
use crate::metrics::{self, LegMetrics};
use crate::reps::{segment_reps, RepSpan};
use crate::signal::{self, percentile, Series};
use crate::thresholds::Thresholds;
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
    fn rank(self) -> u8 {
        match self {
            Verdict::Good => 0,
            Verdict::Fair => 1,
            Verdict::Poor => 2,
            Verdict::Inconclusive => 3,
        }
    }
    fn worst(self, other: Verdict) -> Verdict {
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

const SMOOTHED: [Joint; 12] = [
    Joint::LeftShoulder,
    Joint::RightShoulder,
    Joint::LeftHip,
    Joint::RightHip,
    Joint::LeftKnee,
    Joint::RightKnee,
    Joint::LeftAnkle,
    Joint::RightAnkle,
    Joint::LeftHeel,
    Joint::RightHeel,
    Joint::LeftToe,
    Joint::RightToe,
];

/// Effective sample rate from the frame times (robust to variable frame rate), else `fallback`.
fn sample_rate(obs: &[Observation], fallback: f64) -> f64 {
    let dts = obs
        .windows(2)
        .map(|w| w[1].t_s - w[0].t_s)
        .filter(|d| *d > 0.0);
    match signal::median(dts) {
        Some(dt) if dt > 0.0 => 1.0 / dt,
        _ => fallback,
    }
}

/// Cleans each joint's track: spikes out, short gaps bridged, jitter low-passed.
pub fn smooth_poses(obs: &[Observation], fs: f64, th: &Thresholds, frame_height: f64) -> Vec<Pose> {
    let mut out: Vec<Pose> = obs.iter().map(|_| Pose::default()).collect();
    let max_gap = (th.max_gap_s * fs).round().max(1.0) as usize;
    let half_window = ((0.15 * fs).round() as usize).max(2);
    for joint in SMOOTHED {
        let seen: Vec<bool> = obs
            .iter()
            .map(|o| o.pose.confident(joint, th.min_keypoint_score).is_some())
            .collect();
        let axis = |f: fn(&Keypoint) -> f64| -> Series {
            obs.iter()
                .zip(&seen)
                .map(|(o, &s)| s.then(|| f(&o.pose.get(joint))))
                .collect()
        };
        let clean = |s: Series| {
            let s = signal::reject_outliers(&s, half_window, 4.0, 0.01 * frame_height);
            let s = signal::fill_short_gaps(&s, max_gap);
            signal::smooth(&s, th.smoothing_cutoff_hz, fs)
        };
        let xs = clean(axis(|k| k.x));
        let ys = clean(axis(|k| k.y));
        for (i, pose) in out.iter_mut().enumerate() {
            if let (Some(x), Some(y)) = (xs[i], ys[i]) {
                let score = obs[i].pose.get(joint).score.max(th.min_keypoint_score);
                pose.set(joint, Keypoint { x, y, score });
            }
        }
    }
    out
}

/// Says which part of the body was missing, so the user knows how to film again.
fn not_seen_reason(poses: &[Pose], confident_fraction: f64, th: &Thresholds) -> String {
    let seen_share = |joints: &[Joint]| {
        poses
            .iter()
            .filter(|p| joints.iter().all(|&j| point(p, j, th).is_some()))
            .count() as f64
            / poses.len().max(1) as f64
    };
    let upper = seen_share(&[
        Joint::LeftHip,
        Joint::RightHip,
        Joint::LeftKnee,
        Joint::RightKnee,
    ]);
    let anyone = seen_share(&[Joint::LeftShoulder])
        .max(seen_share(&[Joint::RightShoulder]))
        .max(upper);
    let pct = 100.0 * confident_fraction;
    let need = 100.0 * th.min_confident_fraction;
    if anyone < 0.1 {
        format!("No person was found in the clip (legs seen in {pct:.0}% of frames, {need:.0}% needed).")
    } else if upper >= th.min_confident_fraction {
        format!(
            "The feet are out of the picture or hidden: ankles seen in only {pct:.0}% of frames ({need:.0}% needed). \
             Film the whole body, feet included."
        )
    } else {
        format!(
            "The person's hips, knees and ankles were seen in only {pct:.0}% of frames ({need:.0}% needed): \
             film the whole body, well lit, one person in view."
        )
    }
}

fn point(pose: &Pose, j: Joint, th: &Thresholds) -> Option<Point> {
    pose.confident(j, th.min_keypoint_score)
}

/// Longest hip-to-ankle distance seen (90th percentile over both legs): the straight leg, pixels.
fn leg_length(poses: &[Pose], th: &Thresholds) -> Option<f64> {
    let lengths = poses.iter().flat_map(|p| {
        [Side::Left, Side::Right]
            .map(|s| Some(point(p, s.hip(), th)?.dist(point(p, s.ankle(), th)?)))
            .into_iter()
            .flatten()
    });
    percentile(lengths, 90.0).filter(|l| *l > 1.0)
}

/// Share of frames in which a joint is seen.
fn seen_share(poses: &[Pose], joint: Joint, th: &Thresholds) -> f64 {
    poses
        .iter()
        .filter(|p| point(p, joint, th).is_some())
        .count() as f64
        / poses.len().max(1) as f64
}

/// The legs that carry the judgement are seen whole, with both hips (for the medial direction).
fn judged_legs_seen(pose: &Pose, stance: Stance, th: &Thresholds) -> bool {
    let hips =
        point(pose, Joint::LeftHip, th).is_some() && point(pose, Joint::RightHip, th).is_some();
    let leg = |s: Side| point(pose, s.knee(), th).is_some() && point(pose, s.ankle(), th).is_some();
    hips && match stance {
        Stance::SingleLeg { side, .. } => leg(side),
        _ => leg(Side::Left) && leg(Side::Right),
    }
}

fn frontal_ratio(poses: &[Pose], th: &Thresholds) -> Option<f64> {
    let ratios = poses.iter().filter_map(|p| {
        let ls = point(p, Joint::LeftShoulder, th)?;
        let rs = point(p, Joint::RightShoulder, th)?;
        let lh = point(p, Joint::LeftHip, th)?;
        let rh = point(p, Joint::RightHip, th)?;
        let torso = ls.midpoint(rs).dist(lh.midpoint(rh));
        (torso > 1.0).then(|| ((ls.x - rs.x).abs() + (lh.x - rh.x).abs()) / 2.0 / torso)
    });
    signal::median(ratios)
}

/// Which foot carries the weight. The stance foot is planted: its ankle barely moves while the
/// free foot travels with the body (behind, beside or in front). Where both move alike, the free
/// ankle is the one held clearly higher.
fn detect_stance(poses: &[Pose], leg: f64, th: &Thresholds) -> Stance {
    // A free foot held behind the body is hidden most of the time; the planted one is not.
    let (left_seen, right_seen) = (
        seen_share(poses, Joint::LeftAnkle, th),
        seen_share(poses, Joint::RightAnkle, th),
    );
    if left_seen.max(right_seen) >= th.min_confident_fraction
        && left_seen.min(right_seen) < 0.5 * left_seen.max(right_seen)
    {
        let side = if left_seen > right_seen {
            Side::Left
        } else {
            Side::Right
        };
        return single_leg(poses, side, th);
    }
    let travel = |side: Side| {
        let ys: Vec<f64> = poses
            .iter()
            .filter_map(|p| point(p, side.ankle(), th))
            .map(|a| a.y)
            .collect();
        Some((percentile(ys.iter().copied(), 90.0)? - percentile(ys.iter().copied(), 10.0)?) / leg)
    };
    let lifts = poses.iter().filter_map(|p| {
        let l = point(p, Joint::LeftAnkle, th)?;
        let r = point(p, Joint::RightAnkle, th)?;
        Some((l.y - r.y) / leg)
    });
    let (Some(lift), Some(left_travel), Some(right_travel)) = (
        signal::median(lifts),
        travel(Side::Left),
        travel(Side::Right),
    ) else {
        return Stance::Unknown;
    };
    let side = if (left_travel - right_travel).abs() >= th.free_foot_travel {
        if left_travel < right_travel {
            Side::Left
        } else {
            Side::Right
        }
    } else if lift.abs() >= th.single_leg_lift {
        // Image y grows downwards: the lower ankle (larger y) carries the weight.
        if lift > 0.0 {
            Side::Left
        } else {
            Side::Right
        }
    } else {
        return Stance::DoubleLeg;
    };
    single_leg(poses, side, th)
}

/// A single-leg stance on `side`, with where that leg shows in the picture.
fn single_leg(poses: &[Pose], side: Side, th: &Thresholds) -> Stance {
    let image_side = poses
        .iter()
        .filter_map(|p| Some(point(p, side.hip(), th)?.x - point(p, side.other().hip(), th)?.x))
        .map(|dx| if dx < 0.0 { -1.0 } else { 1.0 });
    let image_side = match signal::median(image_side) {
        Some(s) if s < 0.0 => "image-left",
        _ => "image-right",
    };
    Stance::SingleLeg { side, image_side }
}

/// Hip drop below standing in leg lengths, measured from the supporting ankle(s) so that camera
/// shake and small steps do not look like squats.
fn depth_series(poses: &[Pose], stance: Stance, leg: f64, th: &Thresholds) -> Series {
    let heights: Series = poses
        .iter()
        .map(|p| {
            let hip = point(p, Joint::LeftHip, th)?.midpoint(point(p, Joint::RightHip, th)?);
            let ankle_y = match stance {
                Stance::SingleLeg { side, .. } => point(p, side.ankle(), th)?.y,
                _ => (point(p, Joint::LeftAnkle, th)?.y + point(p, Joint::RightAnkle, th)?.y) / 2.0,
            };
            Some(ankle_y - hip.y)
        })
        .collect();
    let Some(standing) = percentile(heights.iter().flatten().copied(), 95.0) else {
        return heights;
    };
    heights
        .iter()
        .map(|h| h.map(|h| (standing - h) / leg))
        .collect()
}

/// Straight-leg thigh and shank lengths of one leg (90th percentile of what was seen), pixels.
#[derive(Debug, Clone, Copy)]
struct Segments {
    thigh: f64,
    shank: f64,
}

fn segment_lengths(poses: &[Pose], side: Side, th: &Thresholds) -> Option<Segments> {
    let length = |a: Joint, b: Joint| {
        percentile(
            poses
                .iter()
                .filter_map(|p| Some(point(p, a, th)?.dist(point(p, b, th)?))),
            90.0,
        )
    };
    Some(Segments {
        thigh: length(side.hip(), side.knee())?,
        shank: length(side.knee(), side.ankle())?,
    })
}

/// Whether the 2D angle can mean anything in this frame: not when the thigh or shank points at or
/// away from the camera (it then looks much shorter than when standing).
fn segments_visible(pose: &Pose, side: Side, seg: Segments, th: &Thresholds) -> bool {
    let (Some(h), Some(k), Some(a)) = (
        point(pose, side.hip(), th),
        point(pose, side.knee(), th),
        point(pose, side.ankle(), th),
    ) else {
        return false;
    };
    h.dist(k) >= 0.35 * seg.thigh && k.dist(a) >= 0.5 * seg.shank
}

/// Sideways range of the hip centre (5th–95th percentile) in leg lengths.
fn hip_travel(poses: &[Pose], leg: f64, th: &Thresholds) -> Option<f64> {
    let xs: Vec<f64> = poses
        .iter()
        .filter_map(|p| {
            Some(
                point(p, Joint::LeftHip, th)?
                    .midpoint(point(p, Joint::RightHip, th)?)
                    .x,
            )
        })
        .collect();
    Some((percentile(xs.iter().copied(), 95.0)? - percentile(xs.iter().copied(), 5.0)?) / leg)
}

/// In a double-leg squat seen from the front, valgus moves the knees towards each other. When one
/// knee reads as strong valgus and the other as equally strong varus, both swung the same way in
/// the picture: the body is turned to the camera, and neither angle is a valgus.
fn knees_swing_together(frames: &[FrameMetrics], span: RepSpan, th: &Thresholds) -> bool {
    let mut same_way = Vec::new();
    for f in &frames[span.start..=span.end] {
        if let (Some(l), Some(r)) = (f.left.fppa_deg, f.right.fppa_deg) {
            // Antisymmetric part (one in, one out) against the symmetric part (both in or out).
            let anti = (l - r).abs() / 2.0;
            let sym = ((l + r) / 2.0).abs();
            same_way.push(if anti > th.fppa_poor_min_deg && anti > 2.0 * sym {
                1.0
            } else {
                0.0
            });
        }
    }
    // A quarter of the rep is enough: the swing lasts around the bottom only.
    !same_way.is_empty() && same_way.iter().sum::<f64>() >= 0.25 * same_way.len() as f64
}

/// Share of frames where the face (nose and an eye) is seen; low when the person faces away.
fn face_visible(obs: &[Observation], th: &Thresholds) -> f64 {
    let seen = obs
        .iter()
        .filter(|o| {
            let p = &o.pose;
            p.confident(Joint::Nose, th.min_keypoint_score).is_some()
                && (p.confident(Joint::LeftEye, th.min_keypoint_score).is_some()
                    || p.confident(Joint::RightEye, th.min_keypoint_score)
                        .is_some())
        })
        .count();
    seen as f64 / obs.len().max(1) as f64
}

fn classify_leg(peak: Option<f64>, drift: Option<f64>, th: &Thresholds) -> Verdict {
    let Some(peak) = peak else {
        return Verdict::Inconclusive;
    };
    let drift = drift.unwrap_or(0.0);
    if peak >= th.fppa_poor_min_deg || drift >= th.drift_poor_min {
        Verdict::Poor
    } else if peak > th.fppa_good_max_deg || drift >= th.drift_fair_min {
        Verdict::Fair
    } else {
        Verdict::Good
    }
}

/// Runs the whole assessment. `fps` is the container's nominal rate (used when timestamps are
/// unusable); `frame_height` in display pixels.
pub fn assess(obs: &[Observation], fps: f64, frame_height: f64, th: &Thresholds) -> Assessment {
    let fs = sample_rate(obs, fps);
    let poses = smooth_poses(obs, fs, th, frame_height);
    let leg = leg_length(&poses, th);
    let stance = leg.map_or(Stance::Unknown, |l| detect_stance(&poses, l, th));
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
        |l| depth_series(&poses, stance, l, th),
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
        result
            .reps
            .push(assess_rep(n + 1, *span, &result, &poses, &segments, th));
    }
    summarise(&mut result, th);
    result
}

impl FrameMetrics {
    pub fn leg(&self, side: Side) -> &LegMetrics {
        match side {
            Side::Left => &self.left,
            Side::Right => &self.right,
        }
    }
}

fn assess_rep(
    number: usize,
    span: RepSpan,
    result: &Assessment,
    poses: &[Pose],
    segments: &[(Side, Option<Segments>)],
    th: &Thresholds,
) -> Rep {
    let frames = &result.frames;
    let mut legs = Vec::new();
    let mut reasons = Vec::new();
    let turned = segments.len() == 2 && knees_swing_together(frames, span, th);
    if turned {
        reasons.push(
            "Both knees swung to the same side of the picture: the body was turned to the camera, so the angles are not valgus."
                .into(),
        );
    }
    for &(side, seg) in segments {
        let measured = |i: usize| {
            let fppa = frames[i].leg(side).fppa_deg?;
            segments_visible(&poses[i], side, seg?, th).then_some(fppa)
        };
        let angles: Vec<f64> = (span.start..=span.end).filter_map(measured).collect();
        // One implausibly large valgus angle means the whole rep was seen at an angle (a lunge's
        // back leg, a leg bent towards the camera): the plausible-looking frames around it are no
        // better. Large negative angles (knees pushed out) are no valgus and need no such care.
        let beyond = angles.iter().any(|a| *a > th.max_plausible_fppa_deg);
        if beyond {
            reasons.push(format!(
                "{} knee angle went beyond {:.0}°: the leg bent towards or away from the camera, not measurable in 2D.",
                capitalised(side.name()),
                th.max_plausible_fppa_deg
            ));
        }
        let plausible = !beyond && !turned;
        let peak = angles
            .iter()
            .copied()
            .filter(|_| plausible)
            .max_by(|a, b| a.total_cmp(b));
        let at_bottom = measured(span.bottom).filter(|_| plausible);
        let drift = frames[span.bottom].leg(side).drift;
        let baseline = result
            .standing_fppa_deg
            .iter()
            .find(|(s, _)| *s == side)
            .map(|(_, b)| *b);
        let verdict = classify_leg(peak, drift, th);
        if peak.is_none() && plausible {
            reasons.push(format!(
                "{} knee angle not measurable in this rep (thigh pointing at the camera or knee not seen).",
                capitalised(side.name())
            ));
        }
        legs.push(RepLeg {
            side,
            peak_fppa_deg: peak,
            fppa_at_bottom_deg: at_bottom,
            peak_fppa_above_standing_deg: peak.zip(baseline).map(|(p, b)| p - b),
            drift_at_bottom: drift,
            verdict,
        });
    }
    let depth = frames[span.bottom].depth.unwrap_or(0.0);
    if depth < th.half_squat_depth {
        reasons.push(format!(
            "Shallow: hips lowered {:.0}% of leg length, less than a half squat.",
            100.0 * depth
        ));
    }
    let verdict = legs
        .iter()
        .map(|l| l.verdict)
        .fold(Verdict::Good, Verdict::worst);
    Rep {
        number,
        start_s: frames[span.start].t_s,
        bottom_s: frames[span.bottom].t_s,
        end_s: frames[span.end].t_s,
        bottom_frame: frames[span.bottom].index,
        depth,
        legs,
        verdict,
        reasons,
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Overall verdict per leg from the reps' medians, then the worst leg; reasons and advice in words.
fn summarise(result: &mut Assessment, th: &Thresholds) {
    let sides: Vec<Side> = result.reps[0].legs.iter().map(|l| l.side).collect();
    let mut overall = Verdict::Good;
    let mut peaks_by_side = Vec::new();
    for side in sides {
        let legs: Vec<&RepLeg> = result
            .reps
            .iter()
            .flat_map(|r| r.legs.iter().filter(move |l| l.side == side))
            .collect();
        let peaks: Vec<f64> = legs.iter().filter_map(|l| l.peak_fppa_deg).collect();
        let drifts: Vec<f64> = legs.iter().filter_map(|l| l.drift_at_bottom).collect();
        // Most reps must be measurable: a verdict resting on the one rep that escaped the
        // plausibility checks would be a guess.
        let needed = th.min_reps.max(legs.len().div_ceil(2));
        if peaks.len() < needed {
            result.reasons.push(format!(
                "The {} knee angle could be measured in only {} of {} reps ({} needed): see the reasons per rep.",
                side.name(),
                peaks.len(),
                legs.len(),
                needed
            ));
            overall = Verdict::Inconclusive;
            continue;
        }
        let Some(peak) = signal::median(peaks.iter().copied()) else {
            continue;
        };
        let drift = signal::median(drifts.iter().copied());
        let angle_verdict = classify_leg(Some(peak), None, th);
        let mut verdict = classify_leg(Some(peak), drift, th);
        let worst = peaks.iter().copied().fold(f64::MIN, f64::max);
        let leg_name = format!("{} knee", side.name());
        let n = peaks.len();
        let rep_word = if n == 1 { "rep" } else { "reps" };
        result.reasons.push(match angle_verdict {
            Verdict::Good => format!(
                "The {leg_name} stayed in line: peak valgus angle {peak:.0}° (median of {n} {rep_word}; healthy up to {:.0}°).",
                th.fppa_good_max_deg
            ),
            Verdict::Fair => format!(
                "The {leg_name} moved inward somewhat: peak valgus angle {peak:.0}° (median of {n} {rep_word}), above the healthy range of up to {:.0}°.",
                th.fppa_good_max_deg
            ),
            _ => format!(
                "The {leg_name} collapsed inward: peak valgus angle {peak:.0}° (median of {n} {rep_word}), in the range seen with knee pain (≥ {:.0}°).",
                th.fppa_poor_min_deg
            ),
        });
        if let Some(d) = drift {
            if d >= th.drift_fair_min {
                result.reasons.push(format!(
                    "At the bottom the {leg_name} sat {:.0}% of a shank length inside the foot (more than {:.0}% is a fault).",
                    100.0 * d,
                    100.0 * th.drift_fair_min
                ));
            } else if d <= -th.drift_fair_min {
                result.reasons.push(format!(
                    "At the bottom the {leg_name} sat {:.0}% of a shank length outside the foot (pushed out: no valgus).",
                    -100.0 * d
                ));
            } else {
                result.reasons.push(format!(
                    "At the bottom the {leg_name} was over the foot ({:+.0}% of a shank length, + = inside).",
                    100.0 * d
                ));
            }
        }
        if verdict == Verdict::Good && worst >= th.fppa_poor_min_deg && n > 1 {
            verdict = Verdict::Fair;
            result.reasons.push(format!(
                "One or more reps reached {worst:.0}° of valgus: the knee is not controlled every time."
            ));
        }
        peaks_by_side.push((side, peak));
        overall = overall.worst(verdict);
    }
    if let [(_, a), (_, b)] = peaks_by_side[..] {
        if (a - b).abs() > 2.0 * th.fppa_sem_deg {
            result.warnings.push(format!(
                "The knees differ: peak valgus right {a:.0}° vs left {b:.0}°."
            ));
        }
    }
    let reps = result.reps.len();
    if matches!(result.stance, Stance::SingleLeg { .. }) && reps < 5 {
        result.warnings.push(format!(
            "The test asks for 5 reps; {reps} complete rep(s) were found."
        ));
    }
    if result.reps.iter().all(|r| r.depth < th.half_squat_depth) {
        result
            .warnings
            .push("All reps were shallower than a half squat: valgus shows with depth, so go half way down.".into());
    }
    result.verdict = overall;
    result.advice = match overall {
        Verdict::Good => vec!["Keep it up: knee control looked good. Re-test after training changes.".into()],
        Verdict::Fair => vec![
            "Strengthen the hip abductors and external rotators (side-lying leg raises, clamshells, banded side steps).".into(),
            "Practise slow single-leg squats in front of a mirror, knee over the second toe.".into(),
        ],
        Verdict::Poor => vec![
            "Work on gluteal strength: hip abduction and external rotation exercises (clamshells, side planks, banded walks).".into(),
            "Add balance training on one leg, and progress single-leg squats only as the knee stays over the foot.".into(),
            "If the knee hurts, see a physiotherapist.".into(),
        ],
        Verdict::Inconclusive => Vec::new(),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

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
