//! Per-frame knee metrics in the image (frontal) plane.
//!
//! Sign convention: positive = the knee is *medial* (towards the body's midline) = valgus. The medial
//! direction is taken from the data — towards the other hip — so the same code is right for the left
//! and the right leg, and for a person facing the camera or facing away.
use crate::geometry::{Point, Pose, Side};
use serde::{Deserialize, Serialize};

/// +1 if "medial" for the leg whose hip is at `hip` points to +x in the image, −1 if to −x.
/// `None` when the hips overlap horizontally (side view): the frontal plane is not visible.
pub fn medial_sign(hip: Point, other_hip: Point) -> Option<f64> {
    let dx = other_hip.x - hip.x;
    if dx.abs() < 1e-6 || !dx.is_finite() {
        None
    } else {
        Some(dx.signum())
    }
}

/// Frontal-plane projection angle in degrees: the angle between the hip→knee line and the knee→ankle
/// line (0° for a straight leg), positive when the knee sits medial of the hip–ankle line (valgus).
pub fn fppa_deg(hip: Point, knee: Point, ankle: Point, medial: f64) -> Option<f64> {
    let thigh = knee - hip;
    let shank = ankle - knee;
    if thigh.norm() < 1e-9 || shank.norm() < 1e-9 {
        return None;
    }
    let cross = thigh.x * shank.y - thigh.y * shank.x;
    let dot = thigh.x * shank.x + thigh.y * shank.y;
    // With y pointing down, a knee pushed to +x between hip and ankle gives cross > 0.
    Some(medial * cross.atan2(dot).to_degrees())
}

/// Horizontal offset of the knee from the foot reference point, positive medial, in shank lengths.
pub fn knee_over_foot_drift(knee: Point, ankle: Point, foot: Point, medial: f64) -> Option<f64> {
    let shank = knee.dist(ankle);
    if shank < 1e-9 {
        return None;
    }
    Some(medial * (knee.x - foot.x) / shank)
}

/// Signed distance of the knee from the hip–ankle line, positive medial, in pixels. Used for wobble.
pub fn knee_offset_from_line(hip: Point, knee: Point, ankle: Point, medial: f64) -> Option<f64> {
    let axis = ankle - hip;
    let len = axis.norm();
    if len < 1e-9 {
        return None;
    }
    // Horizontal offset of the knee from the hip–ankle line at the knee's height.
    let t = (knee.y - hip.y) / axis.y;
    if !t.is_finite() {
        return None;
    }
    let line_x = hip.x + t * axis.x;
    Some(medial * (knee.x - line_x))
}

/// Pelvic tilt in degrees: positive when the hip of the free (non-stance) leg is lower than the
/// stance hip — the contralateral pelvic drop of weak hip abductors.
pub fn pelvic_drop_deg(stance_hip: Point, free_hip: Point) -> Option<f64> {
    let dx = (free_hip.x - stance_hip.x).abs();
    let dy = free_hip.y - stance_hip.y; // y down: positive = free hip lower
    if dx < 1e-9 {
        return None;
    }
    Some(dy.atan2(dx).to_degrees())
}

/// Lateral trunk lean in degrees from vertical (shoulder midpoint over hip midpoint), positive towards
/// the stance side (the usual compensation for weak hip abductors).
pub fn trunk_lean_deg(shoulder_mid: Point, hip_mid: Point, stance_hip: Point) -> Option<f64> {
    let up = shoulder_mid - hip_mid;
    if up.norm() < 1e-9 {
        return None;
    }
    let toward_stance = (stance_hip.x - hip_mid.x).signum();
    let toward_stance = if toward_stance == 0.0 {
        1.0
    } else {
        toward_stance
    };
    Some(toward_stance * up.x.atan2(-up.y).to_degrees())
}

/// The knee metrics of one leg in one frame. Missing values mean a keypoint was not confident.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct LegMetrics {
    pub fppa_deg: Option<f64>,
    /// Knee over the ankle, positive medial, in shank lengths: the same measure for every model,
    /// so one threshold means the same whatever the model.
    pub drift: Option<f64>,
    /// Knee over the middle of the foot (ankle–toe midpoint), where the model gives toes: with the
    /// toes turned out it reads the knee further inside than `drift` does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub foot_drift: Option<f64>,
    pub knee_offset_px: Option<f64>,
}

/// The foot reference for knee-over-foot: the middle of the foot (ankle–toe midpoint) when the
/// model gives a toe, else the ankle.
pub fn foot_point(pose: &Pose, side: Side, min_score: f64) -> Option<Point> {
    let ankle = pose.confident(side.ankle(), min_score)?;
    match pose.confident(side.toe(), min_score) {
        Some(toe) => Some(ankle.midpoint(toe)),
        None => Some(ankle),
    }
}

/// FPPA, drift and knee offset for `side` in one pose.
pub fn leg_metrics(pose: &Pose, side: Side, min_score: f64) -> LegMetrics {
    let (Some(hip), Some(knee), Some(ankle), Some(other_hip)) = (
        pose.confident(side.hip(), min_score),
        pose.confident(side.knee(), min_score),
        pose.confident(side.ankle(), min_score),
        pose.confident(side.other().hip(), min_score),
    ) else {
        return LegMetrics::default();
    };
    let Some(medial) = medial_sign(hip, other_hip) else {
        return LegMetrics::default();
    };
    let toe = pose.confident(side.toe(), min_score);
    LegMetrics {
        fppa_deg: fppa_deg(hip, knee, ankle, medial),
        drift: knee_over_foot_drift(knee, ankle, ankle, medial),
        foot_drift: toe.and_then(|t| knee_over_foot_drift(knee, ankle, ankle.midpoint(t), medial)),
        knee_offset_px: knee_offset_from_line(hip, knee, ankle, medial),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::{Joint, Keypoint};

    /// A leg 400 px long with the knee pushed sideways so the thigh/shank angle is exactly `angle`.
    fn leg(hip_x: f64, knee_dx: f64) -> (Point, Point, Point) {
        let hip = Point::new(hip_x, 100.0);
        let knee = Point::new(hip_x + knee_dx, 300.0);
        let ankle = Point::new(hip_x, 500.0);
        (hip, knee, ankle)
    }

    /// Knee sideways offset giving FPPA `deg` with 200 px thigh and shank heights.
    fn offset_for(deg: f64) -> f64 {
        200.0 * (deg.to_radians() / 2.0).tan()
    }

    #[test]
    fn straight_leg_is_zero() {
        let (h, k, a) = leg(100.0, 0.0);
        assert!(fppa_deg(h, k, a, 1.0).unwrap().abs() < 1e-9);
    }

    #[test]
    fn known_angles_right_leg_facing_camera() {
        // Person's right leg appears on image left; their left hip is at larger x: medial = +x.
        let medial = medial_sign(Point::new(100.0, 100.0), Point::new(200.0, 100.0)).unwrap();
        assert_eq!(medial, 1.0);
        for deg in [0.0, 10.0, -10.0, 25.0] {
            let (h, k, a) = leg(100.0, offset_for(deg));
            let got = fppa_deg(h, k, a, medial).unwrap();
            assert!((got - deg).abs() < 0.1, "want {deg} got {got}");
        }
    }

    #[test]
    fn known_angles_left_leg_facing_camera() {
        // Person's left leg on image right; medial is −x, so a knee moved to −x is valgus.
        let medial = medial_sign(Point::new(200.0, 100.0), Point::new(100.0, 100.0)).unwrap();
        assert_eq!(medial, -1.0);
        for deg in [0.0, 10.0, -10.0] {
            let (h, k, a) = leg(200.0, -offset_for(deg));
            let got = fppa_deg(h, k, a, medial).unwrap();
            assert!((got - deg).abs() < 0.1, "want {deg} got {got}");
        }
    }

    fn pose_with_legs(left_knee_dx: f64, right_knee_dx: f64) -> Pose {
        let mut p = Pose::default();
        let kp = |x, y| Keypoint { x, y, score: 0.9 };
        // Facing the camera: the right leg on image left (x=100), the left leg on image right (x=200).
        p.set(Joint::RightHip, kp(100.0, 100.0));
        p.set(Joint::RightKnee, kp(100.0 + right_knee_dx, 300.0));
        p.set(Joint::RightAnkle, kp(100.0, 500.0));
        p.set(Joint::LeftHip, kp(200.0, 100.0));
        p.set(Joint::LeftKnee, kp(200.0 + left_knee_dx, 300.0));
        p.set(Joint::LeftAnkle, kp(200.0, 500.0));
        p
    }

    #[test]
    fn both_legs_valgus_are_positive() {
        // Both knees move towards the midline (x=150): right knee +x, left knee −x.
        let pose = pose_with_legs(-offset_for(10.0), offset_for(10.0));
        let l = leg_metrics(&pose, Side::Left, 0.3);
        let r = leg_metrics(&pose, Side::Right, 0.3);
        assert!((l.fppa_deg.unwrap() - 10.0).abs() < 0.1);
        assert!((r.fppa_deg.unwrap() - 10.0).abs() < 0.1);
        assert!(l.drift.unwrap() > 0.0 && r.drift.unwrap() > 0.0);
    }

    #[test]
    fn both_legs_varus_are_negative() {
        let pose = pose_with_legs(offset_for(10.0), -offset_for(10.0));
        assert!((leg_metrics(&pose, Side::Left, 0.3).fppa_deg.unwrap() + 10.0).abs() < 0.1);
        assert!((leg_metrics(&pose, Side::Right, 0.3).fppa_deg.unwrap() + 10.0).abs() < 0.1);
    }

    #[test]
    fn facing_away_flips_medial_direction() {
        // Seen from behind, the person's right leg is on image right: medial = −x.
        let mut pose = Pose::default();
        let kp = |x, y| Keypoint { x, y, score: 0.9 };
        pose.set(Joint::RightHip, kp(200.0, 100.0));
        pose.set(Joint::RightKnee, kp(200.0 - offset_for(10.0), 300.0));
        pose.set(Joint::RightAnkle, kp(200.0, 500.0));
        pose.set(Joint::LeftHip, kp(100.0, 100.0));
        let r = leg_metrics(&pose, Side::Right, 0.3);
        assert!((r.fppa_deg.unwrap() - 10.0).abs() < 0.1);
    }

    #[test]
    fn drift_is_normalised_by_shank() {
        let knee = Point::new(130.0, 300.0);
        let ankle = Point::new(100.0, 700.0);
        let d = knee_over_foot_drift(knee, ankle, ankle, 1.0).unwrap();
        assert!((d - 30.0 / 30f64.hypot(400.0)).abs() < 1e-9);
        assert!((knee_over_foot_drift(knee, ankle, ankle, -1.0).unwrap() + d).abs() < 1e-12);
    }

    #[test]
    fn low_confidence_gives_no_metric() {
        let mut pose = pose_with_legs(0.0, 0.0);
        pose.set(
            Joint::LeftKnee,
            Keypoint {
                x: 200.0,
                y: 300.0,
                score: 0.1,
            },
        );
        assert_eq!(leg_metrics(&pose, Side::Left, 0.3), LegMetrics::default());
        assert!(leg_metrics(&pose, Side::Right, 0.3).fppa_deg.is_some());
    }

    #[test]
    fn pelvic_drop_and_trunk_lean_signs() {
        let stance = Point::new(100.0, 100.0);
        let free_low = Point::new(200.0, 100.0 + 100.0 * 5f64.to_radians().tan());
        assert!((pelvic_drop_deg(stance, free_low).unwrap() - 5.0).abs() < 1e-9);
        let hip_mid = Point::new(150.0, 100.0);
        // Shoulders shifted towards the stance side (−x here) by 10°.
        let sh = Point::new(150.0 - 300.0 * 10f64.to_radians().tan(), -200.0);
        assert!((trunk_lean_deg(sh, hip_mid, stance).unwrap() - 10.0).abs() < 1e-9);
    }
}
