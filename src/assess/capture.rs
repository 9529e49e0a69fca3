//! Capture-quality checks: is the clip good enough to judge at all?
use super::body::point;
use super::Observation;
use crate::assess::signal::{self, percentile};
use crate::assess::thresholds::Thresholds;
use crate::geometry::{Joint, Pose};

/// What the capture checks need to know of a clip.
pub(crate) struct Clip<'a> {
    pub obs: &'a [Observation],
    /// Smoothed poses, one per observation.
    pub poses: &'a [Pose],
    /// Sample rate, Hz.
    pub fs: f64,
    /// Display pixels.
    pub frame_height: f64,
    /// Straight-leg length, pixels (`None`: no leg was seen whole).
    pub leg: Option<f64>,
    pub confident_fraction: f64,
    pub frontal_ratio: Option<f64>,
    /// Which way the person faces, from the left–right order of hips and shoulders.
    pub facing: Option<Facing>,
    /// The share of frames with left and right the other way round (see [`facing_swaps`]).
    pub facing_swaps: Option<f64>,
    pub keypoint_jump: Option<f64>,
    /// Degrees clockwise, from the standing body (see `roll`).
    pub camera_roll_deg: Option<f64>,
}

/// The capture checks' answer: the first reason no verdict would be honest, if any, and the
/// warnings found before it (each with what to do).
#[derive(Debug, Default)]
pub(crate) struct Screen {
    pub refusal: Option<String>,
    pub warnings: Vec<String>,
}

/// Runs the capture checks in order; the first one that fails stops the screen.
pub(crate) fn screen(clip: &Clip, th: &Thresholds) -> Screen {
    let mut warnings = Vec::new();
    let refusal = first_refusal(clip, th, &mut warnings);
    Screen { refusal, warnings }
}

fn first_refusal(clip: &Clip, th: &Thresholds, warnings: &mut Vec<String>) -> Option<String> {
    let poses = clip.poses;
    if clip.obs.is_empty() {
        return Some("The clip has no frames to analyse.".into());
    }
    if let Some(jump) = clip.keypoint_jump.filter(|j| *j > th.max_keypoint_jump) {
        return Some(format!(
            "The body keypoints jump about from frame to frame (typically {:.1} leg lengths between frames): \
             the pose model is not following one person. Film one person, whole body, in good light.",
            jump
        ));
    }
    if upside_down(poses, th) {
        return Some(
            "The picture is upside down (head below the feet): turn the video upright or film with the phone the right way up."
                .into(),
        );
    }
    let Some(leg) = clip
        .leg
        .filter(|_| clip.confident_fraction >= th.min_confident_fraction)
    else {
        return Some(not_seen_reason(poses, clip.confident_fraction, th));
    };
    if let Some(r) = clip.frontal_ratio {
        if r < th.min_frontal_ratio {
            return Some(
                "The camera is not in front of the person (shoulders and hips overlap, as in a side view): \
                 knee valgus can only be judged from the front."
                    .into(),
            );
        }
        if clip.facing == Some(Facing::Away) {
            return Some(
                "The person faces away from the camera (a rear view: their left side shows on the image left): \
                 film from the front to judge the knees."
                    .into(),
            );
        }
        if let Some(swaps) = clip.facing_swaps.filter(|s| *s > MAX_FACING_SWAPS) {
            return Some(format!(
                "The pose model cannot tell whether the person faces the camera or away (it swaps their left and right in {:.0}% of frames): \
                 film from the front, face and both knees in view.",
                100.0 * swaps
            ));
        }
    }
    if let Some(roll) = clip.camera_roll_deg {
        if roll.abs() > th.max_roll_deg {
            return Some(format!(
                "The camera is rolled {:.0}° (the standing body leans that much in the picture; up to {:.0}° is corrected): \
                 hold the phone level, or prop it square to the floor.",
                roll.abs(),
                th.max_roll_deg
            ));
        }
        if roll.abs() > th.roll_warn_deg {
            warnings.push(format!(
                "The camera was rolled {:.0}°: the knee-over-foot, pelvis and trunk readings were turned level to correct it. Hold the phone level for the most accurate numbers.",
                roll.abs()
            ));
        }
    }
    if let Some(travel) = hip_travel(poses, leg, th).filter(|t| *t > th.max_hip_travel) {
        return Some(format!(
            "The person moves across the picture ({:.1} leg lengths sideways): walking, or several people in view. \
             Squat in place, alone in the picture.",
            travel
        ));
    }
    if !head_room(poses, clip.frame_height, th) {
        warnings.push(
            "The head is cut off at the top of the picture: step back or tilt the camera down a little.".into(),
        );
    } else if face_visible(clip.obs, th) < th.min_face_visible {
        return Some(
            "The person seems to face away from the camera (face not seen): film from the front."
                .into(),
        );
    }
    warnings.extend(quality_warnings(
        clip.obs,
        poses,
        clip.fs,
        clip.frame_height,
        leg,
        th,
    ));
    None
}

/// Says which part of the body was missing, so the user knows how to film again.
pub(crate) fn not_seen_reason(poses: &[Pose], confident_fraction: f64, th: &Thresholds) -> String {
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

/// Which way the person faces the camera.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Facing {
    Towards,
    Away,
}

/// Each frame's left–right order of the hips and shoulders: +1 when both put the person's left
/// side on the image right (facing the camera), −1 when both put it on the image left (facing
/// away), 0 when they disagree (side-on); frames without both pairs are left out.
fn body_orders<'a>(
    poses: impl Iterator<Item = &'a Pose> + 'a,
    th: &'a Thresholds,
) -> impl Iterator<Item = f64> + 'a {
    poses.filter_map(|p| {
        let hips = point(p, Joint::LeftHip, th)?.x - point(p, Joint::RightHip, th)?.x;
        let shoulders =
            point(p, Joint::LeftShoulder, th)?.x - point(p, Joint::RightShoulder, th)?.x;
        Some(match (hips > 0.0, shoulders > 0.0) {
            (true, true) => 1.0,
            (false, false) => -1.0,
            _ => 0.0,
        })
    })
}

/// From the left–right order of the hips and shoulders, not from the face (models invent a face on
/// the back of a head): facing the camera, the person's left side shows on the image right. `None`
/// where the body is not seen or the order flips (side-on).
pub(crate) fn facing(poses: &[Pose], th: &Thresholds) -> Option<Facing> {
    match signal::median(body_orders(poses.iter(), th))? {
        m if m > 0.0 => Some(Facing::Towards),
        m if m < 0.0 => Some(Facing::Away),
        _ => None,
    }
}

/// Above this share of frames with the body's left and right the other way round (see
/// [`facing_swaps`]) the model cannot tell a front view from a rear one. Every front view here
/// swaps in none of its frames (the samples, the synthetic hard cases, the real front clips);
/// MoveNet Thunder shown the synthetic figure from behind calls it a front view with the legs
/// swapped in 87% of the frames and gets the other 13% right.
pub(crate) const MAX_FACING_SWAPS: f64 = 0.05;

/// The share of frames whose left–right order (both hips and shoulders, in the model's own
/// keypoints: smoothing would hide a swap of a frame or two) is the other way round from the
/// bout's `facing`: a model unsure whether it sees a front or a back swaps the sides now and then.
pub(crate) fn facing_swaps(obs: &[Observation], facing: Facing, th: &Thresholds) -> Option<f64> {
    let against = match facing {
        Facing::Towards => -1.0,
        Facing::Away => 1.0,
    };
    let (mut swapped, mut clear) = (0usize, 0usize);
    for order in body_orders(obs.iter().map(|o| &o.pose), th).filter(|o| *o != 0.0) {
        clear += 1;
        swapped += usize::from(order == against);
    }
    (clear > 0).then(|| swapped as f64 / clear as f64)
}

/// Beyond this [`face_turn`] (either way) the camera looks at the person at an angle, and the
/// bout is not judged. Facing the camera the nose sits within a few hundredths of the ears' span
/// from their midpoint (up to 0.06 on the synthetic samples, 0.01–0.06 on the real front squats of
/// ../shared/clips); turned 10° MoveNet Thunder reads 0.07, Lightning 0.11 and BlazePose Full
/// 0.12 on the synthetic figure, at 15° 0.11, 0.16 and 0.16, and 0.47–0.67 on the real oblique
/// lunge and goblet squat. Seen 15° off square a 60° knee bend already shows 18° more valgus in the
/// picture than the knee has (the knee's forward travel seen from the side), more than the gap
/// between the good and poor limits.
pub(crate) const ANGLED_FACE_TURN: f64 = 0.10;

/// Beyond this [`face_turn`] (up to [`ANGLED_FACE_TURN`]) the person is slightly turned, where a
/// half squat's knee bend shows as several degrees of extra valgus on one leg and varus on the
/// other. A verdict that the turn could have made is not given (see `turn`); one the turn works
/// against stands. Square on, the models read up to 0.061 (Lightning on samples/valgus.mp4, whose
/// figure leans its trunk; BlazePose Full 0.048 there, Thunder 0.025) and up to 0.057 on the real
/// front squats; turned 10° Thunder reads 0.071 and 12° 0.084.
pub(crate) const SLIGHT_FACE_TURN: f64 = 0.065;

/// Whether the camera looks at the person at an angle: the shoulders and hips narrow in the
/// picture (frontal ratio), or the face is turned. The frontal ratio alone calls a 45° view
/// "front" with every model: the models put the shoulders on the outline of the upper arms, which
/// hardly narrows, and where it is near its limit the models' hip conventions differ (BlazePose
/// places the hips closer together than MoveNet), so one model warned and another did not on the
/// same clip. The face turn is read alike by both: the nose against the ears.
pub(crate) fn angled(frontal_ratio: Option<f64>, face_turn: Option<f64>, th: &Thresholds) -> bool {
    frontal_ratio.is_some_and(|r| r < th.angled_frontal_ratio)
        || face_turn.is_some_and(|t| t.abs() > ANGLED_FACE_TURN)
}

/// How far, and which way, the face is turned from the camera: the median, over the frames where
/// the nose and both ears are seen, of the nose's sideways offset from the ears' midpoint over the
/// ears' span (0 facing the camera, growing like the tangent of the turn; positive when the nose
/// points to the image right). The signed median lets a head that moves from side to side cancel
/// out, where a turned body keeps one sign.
pub(crate) fn face_turn(obs: &[Observation], th: &Thresholds) -> Option<f64> {
    // The model's own keypoints: the face is not among the smoothed joints.
    let turns = obs.iter().map(|o| &o.pose).filter_map(|p| {
        let nose = point(p, Joint::Nose, th)?;
        let le = point(p, Joint::LeftEar, th)?;
        let re = point(p, Joint::RightEar, th)?;
        let span = (le.x - re.x).abs();
        (span > 1.0).then(|| (nose.x - le.midpoint(re).x) / span)
    });
    signal::median(turns)
}

pub(crate) fn frontal_ratio(poses: &[Pose], th: &Thresholds) -> Option<f64> {
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

/// Sideways range of the hip centre (5th–95th percentile) in leg lengths.
pub(crate) fn hip_travel(poses: &[Pose], leg: f64, th: &Thresholds) -> Option<f64> {
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

/// Share of frames where the face (nose and an eye) is seen; low when the person faces away.
pub(crate) fn face_visible(obs: &[Observation], th: &Thresholds) -> f64 {
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

/// Whether there is room above the shoulders for the head (else it is cut off and an unseen face
/// says nothing about facing away).
pub(crate) fn head_room(poses: &[Pose], frame_height: f64, th: &Thresholds) -> bool {
    let shoulder_y = poses.iter().filter_map(|p| {
        Some(
            point(p, Joint::LeftShoulder, th)?
                .midpoint(point(p, Joint::RightShoulder, th)?)
                .y,
        )
    });
    percentile(shoulder_y, 10.0).is_none_or(|y| y > th.min_head_room * frame_height)
}

/// Warnings that do not stop the verdict but lower its precision, each with what to do.
pub(crate) fn quality_warnings(
    obs: &[Observation],
    poses: &[Pose],
    fs: f64,
    frame_height: f64,
    leg: f64,
    th: &Thresholds,
) -> Vec<String> {
    let mut out = Vec::new();
    // The clip's rate, not the pose rate: a 120 fps clip posed at 30 Hz was filmed well enough.
    let fps = super::smoothing::frame_rate(obs, fs);
    if fps < th.min_fps {
        out.push(format!(
            "Low frame rate ({fps:.0} fps): fast wobbles can be missed; film at 30 fps or more."
        ));
    }
    if leg > 0.0 && leg < th.min_leg_fraction * frame_height {
        out.push(format!(
            "The person is small in the picture (legs {:.0}% of its height): move the camera closer.",
            100.0 * leg / frame_height
        ));
    }
    let jumps = tracking_jumps(poses, leg, th);
    if jumps > 0 {
        out.push(format!(
            "The tracked body jumped {jumps} time(s) between frames: several people in view? Film one person alone."
        ));
    }
    let scores: Vec<f64> = obs
        .iter()
        .flat_map(|o| {
            [
                Joint::LeftKnee,
                Joint::RightKnee,
                Joint::LeftAnkle,
                Joint::RightAnkle,
            ]
            .map(|j| o.pose.get(j).score)
        })
        .collect();
    if let Some(m) = signal::median(scores.iter().copied()) {
        if m < th.low_confidence_score {
            out.push(format!(
                "The pose model was unsure of the knees and ankles (median confidence {m:.2}): better light, contrasting clothes, shorts if possible."
            ));
        }
    }
    out
}

/// Frames where the hip centre moved more than half a leg length since the previous frame: the
/// single-person tracker switched to someone else.
fn tracking_jumps(poses: &[Pose], leg: f64, th: &Thresholds) -> usize {
    let centres: Vec<Option<crate::geometry::Point>> = poses
        .iter()
        .map(|p| Some(point(p, Joint::LeftHip, th)?.midpoint(point(p, Joint::RightHip, th)?)))
        .collect();
    centres
        .windows(2)
        .filter(
            |w| matches!((w[0], w[1]), (Some(a), Some(b)) if leg > 0.0 && a.dist(b) > 0.5 * leg),
        )
        .count()
}

/// Whether the body is seen head-down (the clip is upside down, e.g. filmed with the phone turned
/// over and no rotation tag): the nose below the ankles in most frames where both are seen.
pub(crate) fn upside_down(poses: &[Pose], th: &Thresholds) -> bool {
    let heads_down = poses.iter().filter_map(|p| {
        let nose = point(p, Joint::Nose, th).or_else(|| {
            Some(point(p, Joint::LeftShoulder, th)?.midpoint(point(p, Joint::RightShoulder, th)?))
        })?;
        let ankles = [Joint::LeftAnkle, Joint::RightAnkle].map(|j| point(p, j, th));
        let ankle_y = ankles
            .iter()
            .flatten()
            .map(|a| a.y)
            .fold(f64::NAN, f64::max);
        ankle_y
            .is_finite()
            .then_some(if nose.y > ankle_y { 1.0 } else { 0.0 })
    });
    signal::median(heads_down).is_some_and(|m| m > 0.5)
}

/// How far the hips, knees and ankles typically move between consecutive frames, in leg lengths:
/// the median jump of each joint over the clip (raw keypoints, before smoothing hides it), the
/// largest of the six. A pose model following one body gives a few hundredths; keypoints that
/// land anywhere from frame to frame give about one. `None` with too few frame pairs to tell.
pub(crate) fn keypoint_jumpiness(obs: &[Observation], th: &Thresholds) -> Option<f64> {
    use crate::geometry::Side;
    // From the raw keypoints, like the jumps it scales.
    let leg = super::body::leg_length(obs.iter().map(|o| &o.pose), th)?;
    let joints = [Side::Left, Side::Right].map(|s| [s.hip(), s.knee(), s.ankle()]);
    let per_joint = joints.iter().flatten().filter_map(|&j| {
        let jumps: Vec<f64> = obs
            .windows(2)
            .filter_map(|w| Some(point(&w[0].pose, j, th)?.dist(point(&w[1].pose, j, th)?) / leg))
            .collect();
        (jumps.len() >= 5).then(|| signal::median(jumps)).flatten()
    });
    per_joint.reduce(f64::max)
}
