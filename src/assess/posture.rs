//! The other Crossley criteria besides the knee angle: pelvis, trunk, knee wobble, balance, tempo.
use super::baseline::is_standing;
use super::body::point;
use super::{FrameMetrics, Stance};
use crate::assess::metrics;
use crate::assess::segmentation::RepSpan;
use crate::assess::signal;
use crate::assess::thresholds::Thresholds;
use crate::geometry::{Joint, Pose, Side};

/// The side pelvic drop and trunk lean are measured against: the stance leg, or the right leg in a
/// double-leg squat (either would do; the report says which).
pub(crate) fn reference_side(stance: Stance) -> Side {
    match stance {
        Stance::SingleLeg { side, .. } => side,
        _ => Side::Right,
    }
}

/// Contralateral pelvic drop in one frame, degrees (free hip lower = positive).
pub(crate) fn pelvic_drop(pose: &Pose, side: Side, th: &Thresholds) -> Option<f64> {
    metrics::pelvic_drop_deg(
        point(pose, side.hip(), th)?,
        point(pose, side.other().hip(), th)?,
    )
}

/// Lateral trunk lean in one frame, degrees (towards the reference side = positive).
pub(crate) fn trunk_lean(pose: &Pose, side: Side, th: &Thresholds) -> Option<f64> {
    let shoulders =
        point(pose, Joint::LeftShoulder, th)?.midpoint(point(pose, Joint::RightShoulder, th)?);
    let hips = point(pose, Joint::LeftHip, th)?.midpoint(point(pose, Joint::RightHip, th)?);
    metrics::trunk_lean_deg(shoulders, hips, point(pose, side.hip(), th)?)
}

/// Largest value during the rep minus the standing value: how much the rep added.
pub(crate) fn rise_during(
    values: impl Iterator<Item = Option<f64>>,
    standing: Option<f64>,
) -> Option<f64> {
    let peak = values.flatten().max_by(f64::total_cmp)?;
    Some(peak - standing.unwrap_or(0.0))
}

/// Medio-lateral reversals of the knee beyond the single in-and-out of a smooth rep: the number of
/// turning points of the FPPA (each a swing of at least `noise_deg`) minus one.
pub fn wobble_reversals(fppa: &[f64], noise_deg: f64) -> usize {
    let Some(&first) = fppa.first() else { return 0 };
    let mut turning_points: usize = 0;
    let mut direction = 0i8;
    let mut pivot = first;
    for &x in &fppa[1..] {
        match direction {
            0 if x - pivot >= noise_deg => (direction, pivot) = (1, x),
            0 if pivot - x >= noise_deg => (direction, pivot) = (-1, x),
            1 if x > pivot => pivot = x,
            1 if pivot - x >= noise_deg => {
                (turning_points, direction, pivot) = (turning_points + 1, -1, x)
            }
            -1 if x < pivot => pivot = x,
            -1 if x - pivot >= noise_deg => {
                (turning_points, direction, pivot) = (turning_points + 1, 1, x)
            }
            _ => {}
        }
    }
    turning_points.saturating_sub(1)
}

/// The free foot touched down during a single-leg rep: its ankle came within
/// `th.touchdown_lift` leg lengths of the stance ankle's height for at least `th.touchdown_min_s`. Only judged when
/// the free foot is normally held clearly up (`None` otherwise, e.g. a leg held forward).
pub(crate) fn balance_lost(
    poses: &[Pose],
    frames: &[FrameMetrics],
    span: RepSpan,
    stance: Stance,
    leg: f64,
    th: &Thresholds,
) -> Option<bool> {
    let Stance::SingleLeg { side, .. } = stance else {
        return None;
    };
    let lift = |p: &Pose| {
        Some((point(p, side.ankle(), th)?.y - point(p, side.other().ankle(), th)?.y) / leg)
    };
    let standing = signal::median(
        frames
            .iter()
            .zip(poses)
            .filter(|(f, _)| is_standing(f, th))
            .filter_map(|(_, p)| lift(p)),
    )?;
    if standing < th.single_leg_lift {
        return None;
    }
    let mut run_start: Option<f64> = None;
    for i in span.start..=span.end {
        let down = lift(&poses[i]).is_some_and(|l| l < th.touchdown_lift);
        match (down, run_start) {
            (true, None) => run_start = Some(frames[i].t_s),
            (true, Some(t0)) if frames[i].t_s - t0 >= th.touchdown_min_s => return Some(true),
            (false, _) => run_start = None,
            _ => {}
        }
    }
    Some(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wave(n: usize, f: impl Fn(f64) -> f64) -> Vec<f64> {
        (0..n).map(|i| f(i as f64 / (n - 1) as f64)).collect()
    }

    #[test]
    fn smooth_rep_has_no_wobble() {
        let rep = wave(60, |t| 20.0 * (std::f64::consts::PI * t).sin());
        assert_eq!(wobble_reversals(&rep, 3.0), 0);
        assert_eq!(
            wobble_reversals(&[1.0, 1.5, 0.5, 1.2], 3.0),
            0,
            "jitter under the noise floor"
        );
    }

    #[test]
    fn in_and_out_swings_are_counted() {
        // Two extra 8° swings on top of a smooth rep: four more turning points.
        let rep = wave(120, |t| {
            20.0 * (std::f64::consts::PI * t).sin()
                + 4.0 * (2.0 * std::f64::consts::PI * 3.0 * t).sin()
        });
        let w = wobble_reversals(&rep, 3.0);
        assert!((2..=6).contains(&w), "{w}");
    }
}
