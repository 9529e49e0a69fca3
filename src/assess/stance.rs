//! Which leg carries the weight, and how deep the hips go.
use super::body::{point, seen_share};
use super::Stance;
use crate::assess::signal::{self, percentile, Series};
use crate::assess::thresholds::Thresholds;
use crate::geometry::{Joint, Pose, Side};

/// Which foot carries the weight. The stance foot is planted: its ankle barely moves while the
/// free foot travels with the body (behind, beside or in front). Where both move alike, the free
/// ankle is the one held clearly higher.
pub(crate) fn detect_stance(poses: &[Pose], leg: f64, th: &Thresholds) -> Stance {
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
pub(crate) fn depth_series(poses: &[Pose], stance: Stance, leg: f64, th: &Thresholds) -> Series {
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
