//! Body measurements from smoothed poses: which joints are seen, leg and segment lengths.
use super::Stance;
use crate::assess::signal::percentile;
use crate::assess::thresholds::Thresholds;
use crate::geometry::{Joint, Point, Pose, Side};

pub(crate) fn point(pose: &Pose, j: Joint, th: &Thresholds) -> Option<Point> {
    pose.confident(j, th.min_keypoint_score)
}

/// Longest hip-to-ankle distance seen (90th percentile over both legs): the straight leg, pixels.
pub(crate) fn leg_length<'a>(
    poses: impl IntoIterator<Item = &'a Pose>,
    th: &Thresholds,
) -> Option<f64> {
    let lengths = poses.into_iter().flat_map(|p| {
        [Side::Left, Side::Right]
            .map(|s| Some(point(p, s.hip(), th)?.dist(point(p, s.ankle(), th)?)))
            .into_iter()
            .flatten()
    });
    percentile(lengths, 90.0).filter(|l| *l > 1.0)
}

/// Share of frames in which a joint is seen.
pub(crate) fn seen_share(poses: &[Pose], joint: Joint, th: &Thresholds) -> f64 {
    poses
        .iter()
        .filter(|p| point(p, joint, th).is_some())
        .count() as f64
        / poses.len().max(1) as f64
}

/// The legs that carry the judgement are seen whole, with both hips (for the medial direction).
pub(crate) fn judged_legs_seen(pose: &Pose, stance: Stance, th: &Thresholds) -> bool {
    let hips =
        point(pose, Joint::LeftHip, th).is_some() && point(pose, Joint::RightHip, th).is_some();
    let leg = |s: Side| point(pose, s.knee(), th).is_some() && point(pose, s.ankle(), th).is_some();
    hips && match stance {
        Stance::SingleLeg { side, .. } => leg(side),
        _ => leg(Side::Left) && leg(Side::Right),
    }
}

/// Straight-leg thigh and shank lengths of one leg (90th percentile of what was seen), pixels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Segments {
    pub thigh: f64,
    pub shank: f64,
}

pub(crate) fn segment_lengths(poses: &[Pose], side: Side, th: &Thresholds) -> Option<Segments> {
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
pub(crate) fn segments_visible(pose: &Pose, side: Side, seg: Segments, th: &Thresholds) -> bool {
    let (Some(h), Some(k), Some(a)) = (
        point(pose, side.hip(), th),
        point(pose, side.knee(), th),
        point(pose, side.ankle(), th),
    ) else {
        return false;
    };
    h.dist(k) >= th.min_thigh_visible * seg.thigh && k.dist(a) >= th.min_shank_visible * seg.shank
}
