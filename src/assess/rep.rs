//! One rep's numbers: knee angle, drift, and whether they can be trusted in 2D.
use super::baseline::Standing;
use super::body::{segments_visible, Segments};
use super::posture;
use super::verdict::{capitalised, classify_leg, judge_rep};
use super::{FrameMetrics, Observation, Rep, RepLeg, Stance, Verdict};
use crate::assess::segmentation::RepSpan;
use crate::assess::thresholds::Thresholds;
use crate::geometry::{Pose, Side};

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
    // Part of the rep is enough: the swing lasts around the bottom only.
    !same_way.is_empty()
        && same_way.iter().sum::<f64>() >= th.turned_body_share * same_way.len() as f64
}

/// What every rep of a clip is judged against.
pub(crate) struct JudgedLegs<'a> {
    pub frames: &'a [FrameMetrics],
    pub poses: &'a [Pose],
    /// Standing thigh and shank lengths of each judged leg.
    pub segments: Vec<(Side, Option<Segments>)>,
    pub standing: &'a Standing,
    pub stance: Stance,
    /// Leg length, pixels.
    pub leg: f64,
    /// What the model saw, before smoothing (which bridges short gaps).
    pub raw: &'a [Observation],
    /// Display pixels.
    pub frame_height: f64,
    /// The model gives heels and toes (BlazePose): then the feet must be seen too.
    pub has_feet: bool,
}

/// Room the foot needs below the ankle, in standing shank lengths: the sole is about a fifth of a
/// shank below the ankle, and a camera above the feet shows the toes lower still.
const FOOT_ROOM_SHANKS: f64 = 0.35;

/// Why a leg cannot be measured at a rep's bottom frame: a joint of the leg (the foot too, where
/// the model gives one) not seen by the model, or at the picture's bottom edge. An ankle so near
/// the edge that its foot cannot fit below it must be seen with confidence
/// (`low_confidence_score`): a model shown a leg cut off above the foot invents the ankle just
/// inside the picture with a middling score (0.4 where the true ankle was 5% of the picture below
/// the edge, `kneetrack synth --crop-feet`).
fn out_of_picture(clip: &JudgedLegs, bottom: usize, side: Side, th: &Thresholds) -> Option<String> {
    let pose = &clip.raw.get(bottom)?.pose;
    let mut joints = vec![side.hip(), side.knee(), side.ankle()];
    if clip.has_feet {
        joints.extend([side.heel(), side.toe()]);
    }
    let edge = clip.frame_height * (1.0 - th.frame_edge_margin);
    let foot_room = clip
        .segments
        .iter()
        .find(|(s, _)| *s == side)
        .and_then(|(_, seg)| *seg)
        .map_or(0.0, |seg| FOOT_ROOM_SHANKS * seg.shank);
    let missing = joints.into_iter().find(|&j| {
        let k = pose.get(j);
        let crowded = j == side.ankle() && k.y + foot_room > edge;
        k.score < th.min_keypoint_score
            || k.y > edge
            || (crowded && k.score < th.low_confidence_score)
    })?;
    Some(format!(
        "{} {} not in the picture at the bottom of this rep (seen at the edge or not at all): not measurable.",
        capitalised(side.name()),
        missing.name().rsplit('_').next().unwrap_or("leg"),
    ))
}

/// One rep's numbers, reasons and verdict.
pub(crate) fn assess_rep(number: usize, span: RepSpan, clip: &JudgedLegs, th: &Thresholds) -> Rep {
    let JudgedLegs {
        frames,
        poses,
        standing,
        stance,
        leg,
        ..
    } = *clip;
    let segments = &clip.segments[..];
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
        // The same the other way: a knee far outside the hip–ankle line at the bottom of a deep
        // squat is knee flexion seen at an angle, not a knee that "stayed in line".
        let beyond_out = !beyond && angles.iter().any(|a| *a < -th.max_plausible_varus_deg);
        if beyond_out {
            reasons.push(format!(
                "{} knee angle went beyond −{:.0}° (knee far outside the line): knee flexion seen at an angle, not measurable in 2D.",
                capitalised(side.name()),
                th.max_plausible_varus_deg
            ));
        }
        let unseen = out_of_picture(clip, span.bottom, side, th);
        if let Some(why) = &unseen {
            reasons.push(why.clone());
        }
        let plausible = !beyond && !beyond_out && !turned && unseen.is_none();
        let peak = angles
            .iter()
            .copied()
            .filter(|_| plausible)
            .max_by(|a, b| a.total_cmp(b));
        let at_bottom = measured(span.bottom).filter(|_| plausible);
        let wobble = if plausible {
            posture::wobble_reversals(&angles, th.wobble_noise_deg)
        } else {
            0
        };
        let drift = frames[span.bottom]
            .leg(side)
            .drift
            .filter(|_| unseen.is_none());
        let baseline = standing
            .fppa_deg
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
            wobble,
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
    if depth > th.max_half_squat_depth {
        reasons.push(format!(
            "Deep: hips lowered {:.0}% of leg length, far past a half squat (the norms describe half squats).",
            100.0 * depth
        ));
    }
    let in_rep = || frames[span.start..=span.end].iter();
    let measured = Rep {
        number,
        bout: 1,
        start_s: frames[span.start].t_s,
        bottom_s: frames[span.bottom].t_s,
        end_s: frames[span.end].t_s,
        bottom_frame: frames[span.bottom].index,
        depth,
        descent_s: frames[span.bottom].t_s - frames[span.start].t_s,
        ascent_s: frames[span.end].t_s - frames[span.bottom].t_s,
        pelvic_drop_deg: posture::rise_during(
            in_rep().map(|f| f.pelvic_drop_deg),
            standing.pelvic_drop_deg,
        ),
        trunk_lean_deg: posture::rise_during(
            in_rep().map(|f| f.trunk_lean_deg),
            standing.trunk_lean_deg,
        ),
        balance_lost: posture::balance_lost(poses, frames, span, stance, leg, th),
        legs,
        verdict: Verdict::Inconclusive,
        reasons: Vec::new(),
    };
    let (verdict, findings) = judge_rep(&measured, th);
    Rep {
        verdict,
        reasons: [reasons, findings].concat(),
        ..measured
    }
}
