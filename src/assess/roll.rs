//! Camera roll: a phone propped at a slant tilts the whole picture, and with it every sideways
//! measure (knee over foot, pelvis, trunk; the knee angle itself does not change). Standing, a
//! body is upright and level — hips and shoulders level, shoulders over the supporting foot — so
//! the tilt of those three lines in the standing frames is the camera's roll. Small rolls are
//! turned back before anything is measured; larger ones get a warning; beyond a limit the clip is
//! not judged (the correction would rest on too much).
use super::body::point;
use super::signal;
use super::thresholds::Thresholds;
use super::{FrameMetrics, Stance};
use crate::geometry::{Joint, Keypoint, Point, Pose, Side};

/// The camera's roll in degrees, clockwise positive, from the standing frames; `None` where too
/// few standing frames show hips, shoulders and the supporting ankle(s).
pub(crate) fn estimate(
    poses: &[Pose],
    frames: &[FrameMetrics],
    stance: Stance,
    th: &Thresholds,
) -> Option<f64> {
    let tilts = poses
        .iter()
        .zip(frames)
        .filter(|(_, f)| f.confident && super::baseline::is_standing(f, th))
        .filter_map(|(p, _)| frame_tilt(p, stance, th));
    let tilts: Vec<f64> = tilts.collect();
    (tilts.len() >= 5).then(|| signal::median(tilts)).flatten()
}

/// One frame's tilt: the median of the hip line's, the shoulder line's (both against horizontal)
/// and the body axis's (supporting foot to shoulders, against vertical).
fn frame_tilt(p: &Pose, stance: Stance, th: &Thresholds) -> Option<f64> {
    let pt = |j: Joint| point(p, j, th);
    // Facing the camera the right side shows on the image left; the line runs right → left side.
    let line = |a: Point, b: Point| {
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let (dx, dy) = if dx < 0.0 { (-dx, -dy) } else { (dx, dy) };
        dy.atan2(dx).to_degrees()
    };
    let hips = line(pt(Joint::RightHip)?, pt(Joint::LeftHip)?);
    let shoulders = line(pt(Joint::RightShoulder)?, pt(Joint::LeftShoulder)?);
    let support = match stance {
        Stance::SingleLeg { side, .. } => pt(side.ankle())?,
        _ => pt(Side::Left.ankle())?.midpoint(pt(Side::Right.ankle())?),
    };
    let top = pt(Joint::LeftShoulder)?.midpoint(pt(Joint::RightShoulder)?);
    let axis = (top.x - support.x).atan2(support.y - top.y).to_degrees();
    signal::median([hips, shoulders, axis])
}

/// The poses turned by `-roll_deg` about `centre`: the picture as a level camera would have seen it.
pub(crate) fn level(poses: &[Pose], roll_deg: f64, centre: Point) -> Vec<Pose> {
    let (sin, cos) = (-roll_deg).to_radians().sin_cos();
    poses
        .iter()
        .map(|p| {
            let mut out = p.clone();
            for j in Joint::ALL {
                let k = p.get(j);
                let (dx, dy) = (k.x - centre.x, k.y - centre.y);
                out.set(
                    j,
                    Keypoint {
                        x: centre.x + dx * cos - dy * sin,
                        y: centre.y + dx * sin + dy * cos,
                        ..k
                    },
                );
            }
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_level_turn_undoes_a_roll() {
        let mut p = Pose::default();
        let kp = |x, y| Keypoint { x, y, score: 0.9 };
        p.set(Joint::RightHip, kp(100.0, 0.0));
        p.set(Joint::LeftHip, kp(200.0, 0.0));
        let turned = level(&[p], -10.0, Point::new(150.0, 0.0));
        let (r, l) = (
            turned[0].get(Joint::RightHip),
            turned[0].get(Joint::LeftHip),
        );
        // Turned 10° clockwise (y down): the left hip drops below the right one.
        let tilt = (l.y - r.y).atan2(l.x - r.x).to_degrees();
        assert!((tilt - 10.0).abs() < 1e-9, "{tilt}");
    }
}
