//! BlazePose (MediaPipe Pose): a person detector finds the body once, then the landmark model
//! (lite, full or heavy) tracks it from frame to frame in a rotated square ROI derived from its own
//! auxiliary landmarks — MediaPipe's `pose_landmark_cpu` graph with landmark smoothing off.
//!
//! Per frame: without a tracked ROI, the detector runs on the letterboxed frame and the best
//! detection's hip-centre and scale keypoints give the ROI; the landmark model runs on the ROI
//! (warped straight from the stored frame, rotation folded in); below the pose-presence threshold
//! the person is lost (a zero-score pose; re-detected at once, and again next frame); else the 33
//! landmarks map back to display pixels and the One-Euro-filtered auxiliary landmarks give the
//! next ROI. Every 30 tracked frames the detector also looks for somebody outside the tracked ROI
//! (reported through [`PoseEstimator::other_people_seen`]).
pub mod detector;
pub mod filter;
pub mod landmarks;
pub mod roi;

use super::bystander::BystanderWatch;
use super::{PersonHint, PoseEstimator};
use crate::error::{Error, Result};
use crate::geometry::{Joint, Keypoint, Pose};
use crate::pose::runtime::{open_session, SessionOptions};
use crate::video::Orientation;
use detector::Detector;
use filter::AuxFilter;
use landmarks::{Landmark, LandmarkModel, AUX_CENTRE, AUX_SCALE, NUM_BODY_LANDMARKS};
use opencv::core::Mat;
use ort::session::Session;
use roi::Roi;
use std::path::Path;

/// The detector's file name in the models folder.
pub const DETECTOR_FILE: &str = "blazepose-detector.onnx";
/// How often (in tracked frames) the detector looks for somebody besides the tracked person.
const OTHER_PERSON_CHECK_EVERY: u64 = 30;
/// Frame rate the auxiliary-landmark filter assumes (MediaPipe's Python solution feeds frames
/// 1/30 s apart whatever the clip's rate).
const FILTER_FREQUENCY: f64 = 30.0;

/// BlazePose landmark index for each kneetrack joint.
pub const JOINT_LANDMARKS: [(Joint, usize); Joint::COUNT] = [
    (Joint::Nose, 0),
    (Joint::LeftEye, 2),
    (Joint::RightEye, 5),
    (Joint::LeftEar, 7),
    (Joint::RightEar, 8),
    (Joint::LeftShoulder, 11),
    (Joint::RightShoulder, 12),
    (Joint::LeftElbow, 13),
    (Joint::RightElbow, 14),
    (Joint::LeftWrist, 15),
    (Joint::RightWrist, 16),
    (Joint::LeftHip, 23),
    (Joint::RightHip, 24),
    (Joint::LeftKnee, 25),
    (Joint::RightKnee, 26),
    (Joint::LeftAnkle, 27),
    (Joint::RightAnkle, 28),
    (Joint::LeftHeel, 29),
    (Joint::RightHeel, 30),
    (Joint::LeftToe, 31),
    (Joint::RightToe, 32),
];

/// Landmarks of the last frame in MediaPipe's own 33-point layout (for reference checks).
pub type BodyLandmarks = Vec<Landmark>;

/// MediaPipe's BlazePose as ONNX: a person detector finds the body, the landmark model tracks it
/// from frame to frame (33 landmarks: heels and toes too).
pub struct BlazePose {
    name: String,
    detector: Detector,
    landmarks: LandmarkModel,
    roi: Option<Roi>,
    aux_filter: AuxFilter,
    last: Option<BodyLandmarks>,
    /// Searches the rest of the picture for somebody else now and then.
    bystanders: BystanderWatch,
}

impl BlazePose {
    /// Opens a landmark model and the detector beside it.
    pub fn load(
        name: &str,
        landmark_path: &Path,
        detector_path: &Path,
        options: SessionOptions,
    ) -> Result<Self> {
        let session = open_session(landmark_path, options)?;
        Self::from_session(name, session, landmark_path, detector_path, options)
    }

    /// As [`BlazePose::load`], with the landmark model already opened.
    pub fn from_session(
        name: &str,
        landmark_session: Session,
        landmark_path: &Path,
        detector_path: &Path,
        options: SessionOptions,
    ) -> Result<Self> {
        let landmarks = LandmarkModel::from_session(landmark_session, landmark_path)?;
        let detector = Detector::load(detector_path, options)?;
        Ok(BlazePose {
            name: name.to_string(),
            detector,
            landmarks,
            roi: None,
            aux_filter: AuxFilter::default(),
            last: None,
            bystanders: BystanderWatch::new(OTHER_PERSON_CHECK_EVERY, 0),
        })
    }

    /// The 33 BlazePose landmarks of the last frame, in display pixels; `None` when no person.
    pub fn last_landmarks(&self) -> Option<&BodyLandmarks> {
        self.last.as_ref()
    }

    /// The ROI the next frame will be read from, if tracking.
    pub fn tracked_roi(&self) -> Option<Roi> {
        self.roi
    }

    fn lose(&mut self) -> Pose {
        self.roi = None;
        self.aux_filter.reset();
        self.last = None;
        Pose::default()
    }

    /// The ROI of a person the detector finds with the hip centre outside the tracked ROI's circle.
    fn someone_else_in_view(
        &mut self,
        stored: &Mat,
        orientation: &Orientation,
        tracked: Roi,
    ) -> Result<Option<Roi>> {
        Ok(self
            .detector
            .detect_all(stored, orientation)?
            .iter()
            .filter(|p| p.keypoints[0].dist(tracked.centre) > tracked.size / 2.0)
            .find_map(|p| Roi::from_alignment(p.keypoints[0], p.keypoints[1])))
    }

    /// Detector → ROI, or `None` when no person is found.
    fn detect(&mut self, stored: &Mat, orientation: &Orientation) -> Result<Option<Roi>> {
        Ok(self
            .detector
            .detect(stored, orientation)?
            .and_then(|p| Roi::from_alignment(p.keypoints[0], p.keypoints[1])))
    }
}

impl PoseEstimator for BlazePose {
    fn name(&self) -> &str {
        &self.name
    }

    fn estimate(&mut self, stored: &Mat, orientation: &Orientation) -> Result<Pose> {
        let tracked = self.roi.is_some();
        let roi = match self.roi {
            Some(roi) => roi,
            None => match self.detect(stored, orientation)? {
                Some(roi) => roi,
                None => return Ok(self.lose()),
            },
        };
        let mut out = self.landmarks.run(stored, orientation, &roi)?;
        if out.landmarks.is_empty() && tracked {
            // The person left the tracked ROI: look for them in the whole frame straight away.
            self.aux_filter.reset();
            match self.detect(stored, orientation)? {
                Some(roi) => out = self.landmarks.run(stored, orientation, &roi)?,
                None => return Ok(self.lose()),
            }
        }
        if out.landmarks.is_empty() {
            return Ok(self.lose());
        }
        let aux = self.aux_filter.apply(
            [
                out.landmarks[AUX_CENTRE].point,
                out.landmarks[AUX_SCALE].point,
            ],
            FILTER_FREQUENCY,
        );
        self.roi = Roi::from_alignment(aux[0], aux[1]);
        if self.roi.is_none() {
            self.aux_filter.reset();
        }
        if let Some(tracked) = self.roi {
            if self.bystanders.tick() {
                if let Some(other) = self.someone_else_in_view(stored, orientation, tracked)? {
                    self.bystanders.saw(PersonHint {
                        centre: other.centre,
                        size: other.size,
                    });
                }
            }
        }
        let pose = to_pose(&out.landmarks);
        out.landmarks.truncate(NUM_BODY_LANDMARKS);
        self.last = Some(out.landmarks);
        Ok(pose)
    }

    fn reset(&mut self) {
        self.lose();
        self.bystanders.reset();
    }

    fn other_people_seen(&self) -> u32 {
        self.bystanders.seen()
    }

    fn inference_seconds(&self) -> Option<f64> {
        Some(self.detector.clock.seconds() + self.landmarks.clock.seconds())
    }

    fn other_person(&self) -> Option<PersonHint> {
        self.bystanders.last()
    }

    fn reset_to(&mut self, hint: PersonHint) {
        self.reset();
        // The landmark model's own auxiliary points set the rotation from the first frame on.
        self.roi = Some(Roi {
            centre: hint.centre,
            size: hint.size,
            rotation: 0.0,
        });
    }

    fn tracked_person(&self) -> Option<PersonHint> {
        self.roi.map(|r| PersonHint {
            centre: r.centre,
            size: r.size,
        })
    }
}

/// kneetrack's joints from BlazePose landmarks; the score is the landmark's visibility.
pub fn to_pose(landmarks: &[Landmark]) -> Pose {
    let mut pose = Pose::default();
    for (joint, index) in JOINT_LANDMARKS {
        if let Some(lm) = landmarks.get(index) {
            let finite = lm.point.is_finite();
            pose.set(
                joint,
                Keypoint {
                    x: if finite { lm.point.x } else { 0.0 },
                    y: if finite { lm.point.y } else { 0.0 },
                    score: if finite {
                        lm.visibility.clamp(0.0, 1.0)
                    } else {
                        0.0
                    },
                },
            );
        }
    }
    pose
}

/// What kind of model an opened session is, by its signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signature {
    /// A BlazePose landmark model (float32 [1,256,256,3] → 39×5).
    Landmarks,
    /// The BlazePose person detector (float32 [1,224,224,3] → [1,2254,13]).
    Detector,
    /// Anything else.
    Other,
}

/// Classifies an opened model.
pub fn signature(session: &Session) -> Signature {
    if landmarks::is_landmark_model(session) {
        return Signature::Landmarks;
    }
    let out_shape = crate::pose::runtime::output_shape(session, 0);
    if out_shape.len() == 3
        && out_shape[1..]
            == [
                detector::NUM_ANCHORS as i64,
                detector::VALUES_PER_ANCHOR as i64,
            ]
    {
        return Signature::Detector;
    }
    Signature::Other
}

/// The detector that goes with a landmark model: `blazepose-detector.onnx` beside the landmark
/// file, else in the models folder.
pub fn detector_for(landmark_path: &Path) -> std::path::PathBuf {
    let beside = landmark_path
        .parent()
        .map(|d| d.join(DETECTOR_FILE))
        .filter(|p| p.is_file());
    beside.unwrap_or_else(|| super::catalog::models_dir().join(DETECTOR_FILE))
}

/// The error for a model file that is the detector rather than a landmark model.
pub fn detector_given_error(path: &Path) -> Error {
    Error::model(
        path,
        "is the BlazePose person detector; pass a landmark model instead \
         (blazepose-lite, blazepose-full or blazepose-heavy)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::Point;

    #[test]
    fn every_joint_is_mapped_once_and_legs_sides_are_right() {
        let mut seen = std::collections::HashSet::new();
        for (joint, index) in JOINT_LANDMARKS {
            assert!(seen.insert(joint));
            assert!(index < NUM_BODY_LANDMARKS);
        }
        assert_eq!(seen.len(), Joint::COUNT);
        let idx = |j: Joint| JOINT_LANDMARKS.iter().find(|(k, _)| *k == j).unwrap().1;
        assert_eq!(idx(Joint::LeftKnee), 25);
        assert_eq!(idx(Joint::RightAnkle), 28);
        assert_eq!(idx(Joint::LeftToe), 31);
        assert_eq!(idx(Joint::RightHeel), 30);
    }

    #[test]
    fn to_pose_uses_visibility_and_drops_non_finite_points() {
        let mut lms = vec![Landmark::default(); 39];
        lms[25] = Landmark {
            point: Point::new(10.0, 20.0),
            visibility: 0.9,
            presence: 0.2,
        };
        lms[26] = Landmark {
            point: Point::new(f64::NAN, 20.0),
            visibility: 0.9,
            presence: 0.9,
        };
        let pose = to_pose(&lms);
        let k = pose.get(Joint::LeftKnee);
        assert_eq!((k.x, k.y, k.score), (10.0, 20.0, 0.9));
        assert_eq!(pose.get(Joint::RightKnee).score, 0.0);
    }
}
