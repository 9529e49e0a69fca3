//! A person turned from the camera: what the turn does to the knee angles, and which verdicts it
//! leaves standing.
//!
//! A knee bend moves the knee forward. Seen square-on that travel is along the camera's axis and
//! does not show; seen from a little to one side it shows as a sideways shift of the knee, towards
//! the side the person faces. On the synthetic figure a 60° bend (knee in line, 5° of valgus) reads
//! 17° turned 10° and 28° turned 20°: far more than the 4° between the good and poor limits. So:
//! - turned clearly (`capture::angled`): no knee angle of the bout is measured; the reps are still
//!   listed, each with the reason;
//! - turned slightly (`capture::SLIGHT_FACE_TURN`): on the leg whose medial side the person faces,
//!   the turn adds valgus, so a fair or poor verdict may be the turn's and is not given, while a
//!   good one stands (the knee is even straighter); on the other leg it hides valgus, so a good or
//!   fair verdict is not given and a poor one stands.
use super::capture::{self, SLIGHT_FACE_TURN};
use super::result::{Rep, Verdict};
use super::thresholds::Thresholds;
use crate::geometry::{Joint, Pose, Side};

/// Which way a turn moves a leg's knee angle in the picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bias {
    /// The person faces the leg's medial side: the picture shows more valgus than there is.
    Valgus,
    /// The person faces the leg's lateral side: the picture shows less valgus than there is.
    Varus,
}

/// How a bout's person is turned from the camera.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Turn {
    /// Square on (or the face was not seen).
    Square,
    /// Slightly turned: the face turn (signed, see `capture::face_turn`).
    Slight(f64),
    /// Clearly turned: no knee angle is measured.
    Angled,
}

impl Turn {
    pub(crate) fn of(frontal_ratio: Option<f64>, face_turn: Option<f64>, th: &Thresholds) -> Turn {
        if capture::angled(frontal_ratio, face_turn, th) {
            return Turn::Angled;
        }
        match face_turn {
            Some(t) if t.abs() > SLIGHT_FACE_TURN => Turn::Slight(t),
            _ => Turn::Square,
        }
    }
}

/// The reason an angled bout is not judged, and what to do.
pub(crate) const ANGLED_REASON: &str = "The camera looks at the person at an angle (face turned, or shoulders and hips narrowed): \
     seen off square, the knee's forward travel in a squat shows as valgus in the picture, so the knee angles are not measured. \
     Face the camera squarely, feet pointing at it.";

/// A rep's reason when its bout is angled.
pub(crate) const ANGLED_REP_REASON: &str = "Seen at an angle: knee angle not measurable in 2D.";

/// Which way a face turn of `turn` moves `side`'s knee angle, from where the leg's medial side is
/// in the picture (the median over the bout's frames where both hips are seen). `None` where the
/// hips were not seen.
pub(crate) fn bias(turn: f64, poses: &[Pose], side: Side, th: &Thresholds) -> Option<Bias> {
    let (own, other) = match side {
        Side::Left => (Joint::LeftHip, Joint::RightHip),
        Side::Right => (Joint::RightHip, Joint::LeftHip),
    };
    let medial = poses.iter().filter_map(|p| {
        let own = p.confident(own, th.min_keypoint_score)?;
        let other = p.confident(other, th.min_keypoint_score)?;
        super::metrics::medial_sign(own, other)
    });
    let medial = super::signal::median(medial)?;
    // A positive turn points the nose, and the knee's forward travel, to the image right.
    Some(if turn * medial > 0.0 {
        Bias::Valgus
    } else {
        Bias::Varus
    })
}

/// Whether a leg's verdict could be the turn's doing (see the module comment).
pub(crate) fn questioned(verdict: Verdict, bias: Bias) -> bool {
    match bias {
        Bias::Valgus => matches!(verdict, Verdict::Fair | Verdict::Poor),
        Bias::Varus => matches!(verdict, Verdict::Good | Verdict::Fair),
    }
}

/// The reason a slightly turned leg's verdict is not given.
pub(crate) fn slight_reason(side: Side, verdict: Verdict, bias: Bias, turn: f64) -> String {
    let (shows, leg) = (
        match bias {
            Bias::Valgus => "more",
            Bias::Varus => "less",
        },
        match side {
            Side::Left => "left",
            Side::Right => "right",
        },
    );
    format!(
        "The person is turned a little from the camera (face turned {:.2} of the ears' span): seen that far off square a knee bend \
         shows {shows} valgus on the {leg} leg than it has, so its reading ({}) may be the turn's. Face the camera squarely, feet pointing at it.",
        turn.abs(),
        verdict.label()
    )
}

/// Marks the judged leg `side` of each rep as not measured, with `reason`, and a rep with no
/// measured leg left as inconclusive.
pub(crate) fn unmeasure_reps(reps: &mut [Rep], side: Option<Side>, reason: &str) {
    for rep in reps {
        let mut touched = false;
        for leg in rep
            .legs
            .iter_mut()
            .filter(|l| side.is_none_or(|s| s == l.side))
        {
            if leg.verdict != Verdict::Inconclusive {
                leg.verdict = Verdict::Inconclusive;
                touched = true;
            }
        }
        if rep.legs.iter().all(|l| l.verdict == Verdict::Inconclusive)
            && rep.verdict != Verdict::Inconclusive
        {
            rep.verdict = Verdict::Inconclusive;
            touched = true;
        }
        if touched && !rep.reasons.iter().any(|r| r == reason) {
            rep.reasons.push(reason.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::Keypoint;

    fn facing_camera() -> Pose {
        let mut p = Pose::default();
        // Facing the camera: the person's right hip on the image left.
        p.set(
            Joint::RightHip,
            Keypoint {
                x: 100.0,
                y: 200.0,
                score: 0.9,
            },
        );
        p.set(
            Joint::LeftHip,
            Keypoint {
                x: 140.0,
                y: 200.0,
                score: 0.9,
            },
        );
        p
    }

    #[test]
    fn a_turn_to_the_image_right_adds_valgus_to_the_right_leg() {
        let th = Thresholds::default();
        let poses = vec![facing_camera(); 3];
        assert_eq!(bias(0.07, &poses, Side::Right, &th), Some(Bias::Valgus));
        assert_eq!(bias(0.07, &poses, Side::Left, &th), Some(Bias::Varus));
        assert_eq!(bias(-0.07, &poses, Side::Right, &th), Some(Bias::Varus));
        assert_eq!(bias(0.07, &[Pose::default()], Side::Right, &th), None);
    }

    #[test]
    fn only_verdicts_the_turn_could_have_made_are_questioned() {
        assert!(questioned(Verdict::Poor, Bias::Valgus));
        assert!(questioned(Verdict::Fair, Bias::Valgus));
        assert!(!questioned(Verdict::Good, Bias::Valgus));
        assert!(questioned(Verdict::Good, Bias::Varus));
        assert!(!questioned(Verdict::Poor, Bias::Varus));
        assert!(!questioned(Verdict::Inconclusive, Bias::Varus));
    }

    #[test]
    fn turns_are_read_by_size() {
        let th = Thresholds::default();
        assert_eq!(Turn::of(Some(0.56), Some(0.002), &th), Turn::Square);
        // Lightning on the square-on valgus sample.
        assert_eq!(Turn::of(Some(0.56), Some(-0.061), &th), Turn::Square);
        assert_eq!(Turn::of(Some(0.56), Some(-0.07), &th), Turn::Slight(-0.07));
        assert_eq!(Turn::of(Some(0.56), Some(0.144), &th), Turn::Angled);
        assert_eq!(Turn::of(Some(0.30), None, &th), Turn::Angled);
        assert_eq!(Turn::of(None, Some(0.2), &th), Turn::Angled);
        assert_eq!(Turn::of(None, None, &th), Turn::Square);
    }
}
