//! MoveNet single-pose (Lightning 192 px, Thunder 256 px) with its crop-region tracking.
//!
//! Pre/post-processing follows the reference MoveNet tutorial: the next frame is cropped to a square
//! around the hips sized by the torso and body extent of the previous frame's keypoints, so the
//! person fills the model input; without a confident torso it falls back to the whole frame.
use super::bystander::BystanderWatch;
use super::crop::{CropSquare, Cropper};
use super::tensor::fill_rgb;
use super::{PersonHint, PoseEstimator};
use crate::error::{Error, Result};
use crate::geometry::{Joint, Keypoint, Point, Pose};
use crate::pose::runtime::InferenceClock;
use crate::video::Orientation;
use ndarray::Array4;
use opencv::core::Mat;
use ort::session::Session;
use ort::value::{TensorElementType, TensorRef};
use std::path::Path;

/// Keypoints MoveNet returns, in COCO order (the first 17 `Joint`s).
pub const KEYPOINTS: usize = 17;
/// Below this score a keypoint does not steer the crop (reference value).
const MIN_CROP_KEYPOINT_SCORE: f64 = 0.2;

pub struct MoveNet {
    name: String,
    session: Session,
    clock: InferenceClock,
    input_name: String,
    side: i32,
    input: Array4<i32>,
    cropper: Cropper,
    crop: Option<CropSquare>,
    /// Searches the rest of the picture for somebody else now and then.
    bystanders: BystanderWatch,
    /// The crop came from a hint, not from this clip's poses: refine it on the first frame.
    refine_first: bool,
}

/// How often (in frames) the rest of the picture is searched for another person.
const OTHER_PERSON_CHECK_EVERY: u64 = 30;
/// Confident keypoints outside the tracked person needed to call it another person.
const OTHER_PERSON_MIN_KEYPOINTS: usize = 8;

impl MoveNet {
    /// Drives an opened model (`path` names it in errors) after checking it is MoveNet-shaped.
    pub fn from_session(name: &str, session: Session, path: &Path) -> Result<Self> {
        let Input {
            name: input_name,
            side,
        } = signature(&session).map_err(|e| Error::model(path, e.to_string()))?;
        Ok(MoveNet {
            name: name.to_string(),
            session,
            clock: InferenceClock::default(),
            input_name,
            side,
            input: Array4::zeros((1, side as usize, side as usize, 3)),
            cropper: Cropper::default(),
            crop: None,
            bystanders: BystanderWatch::new(OTHER_PERSON_CHECK_EVERY, OTHER_PERSON_CHECK_EVERY / 2),
            refine_first: false,
        })
    }

    /// Runs the model on one crop; returns the pose in display pixels.
    fn infer(&mut self, stored: &Mat, orientation: &Orientation, crop: CropSquare) -> Result<Pose> {
        self.cropper.crop(stored, orientation, crop, self.side)?;
        self.run_on_crop(crop)
    }

    /// Runs the model on what the cropper holds (taken from `crop`).
    fn run_on_crop(&mut self, crop: CropSquare) -> Result<Pose> {
        fill_rgb(&self.cropper.output, &mut self.input, i32::from)?;
        let tensor = TensorRef::from_array_view(&self.input).map_err(Error::runtime)?;
        let outputs = self.clock.run(
            &mut self.session,
            ort::inputs![self.input_name.as_str() => tensor],
        )?;
        let (_, data) = outputs[0]
            .try_extract_tensor::<f32>()
            .map_err(Error::runtime)?;
        if data.len() < KEYPOINTS * 3 {
            return Err(Error::Runtime(format!(
                "MoveNet output has {} values, expected {}",
                data.len(),
                KEYPOINTS * 3
            )));
        }
        Ok(decode_keypoints(&data[..KEYPOINTS * 3], crop))
    }
}

impl MoveNet {
    /// Looks for somebody else: the whole picture with the tracked person blacked out. MoveNet
    /// finds one person at a time, so this is how a second one shows up. Returns where they are.
    fn someone_else_in_view(
        &mut self,
        stored: &Mat,
        orientation: &Orientation,
        person: CropSquare,
    ) -> Result<Option<PersonHint>> {
        let (w, h) = orientation.display_size();
        let whole = CropSquare::whole_frame(w, h);
        self.cropper.crop(stored, orientation, whole, self.side)?;
        let scale = self.side as f64 / whole.size;
        let rect = opencv::core::Rect::new(
            ((person.x0 - whole.x0) * scale).floor() as i32,
            ((person.y0 - whole.y0) * scale).floor() as i32,
            (person.size * scale).ceil() as i32,
            (person.size * scale).ceil() as i32,
        );
        opencv::imgproc::rectangle(
            &mut self.cropper.output,
            rect,
            opencv::core::Scalar::all(0.0),
            opencv::imgproc::FILLED,
            opencv::imgproc::LINE_8,
            0,
        )
        .map_err(Error::opencv)?;
        let other = self.run_on_crop(whole)?;
        let outside = |x: f64, y: f64| {
            x < person.x0
                || y < person.y0
                || x > person.x0 + person.size
                || y > person.y0 + person.size
        };
        let confident = other
            .keypoints
            .iter()
            .take(KEYPOINTS)
            .filter(|k| k.score > 0.4 && outside(k.x, k.y))
            .count();
        if confident < OTHER_PERSON_MIN_KEYPOINTS {
            return Ok(None);
        }
        let around = next_crop(&other, w, h);
        if around == CropSquare::whole_frame(w, h) {
            return Ok(None);
        }
        Ok(Some(PersonHint {
            centre: Point::new(around.x0 + around.size / 2.0, around.y0 + around.size / 2.0),
            size: around.size,
        }))
    }
}

impl PoseEstimator for MoveNet {
    fn name(&self) -> &str {
        &self.name
    }

    fn estimate(&mut self, stored: &Mat, orientation: &Orientation) -> Result<Pose> {
        let (w, h) = orientation.display_size();
        let first = self.crop.is_none() || self.refine_first;
        self.refine_first = false;
        let crop = self.crop.unwrap_or_else(|| CropSquare::whole_frame(w, h));
        let mut pose = self.infer(stored, orientation, crop)?;
        if first {
            // The first frame has no previous pose to crop by: run again on the crop it suggests.
            let refined = next_crop(&pose, w, h);
            if refined != crop {
                pose = self.infer(stored, orientation, refined)?;
            }
        }
        let next = next_crop(&pose, w, h);
        self.crop = Some(next);
        if self.bystanders.tick() && next != CropSquare::whole_frame(w, h) {
            if let Some(other) = self.someone_else_in_view(stored, orientation, next)? {
                self.bystanders.saw(other);
            }
        }
        Ok(pose)
    }

    fn reset(&mut self) {
        self.crop = None;
        self.bystanders.reset();
        self.refine_first = false;
    }

    fn other_people_seen(&self) -> u32 {
        self.bystanders.seen()
    }

    fn inference_seconds(&self) -> Option<f64> {
        Some(self.clock.seconds())
    }

    fn other_person(&self) -> Option<PersonHint> {
        self.bystanders.last()
    }

    fn reset_to(&mut self, hint: PersonHint) {
        self.reset();
        self.crop = Some(CropSquare {
            x0: hint.centre.x - hint.size / 2.0,
            y0: hint.centre.y - hint.size / 2.0,
            size: hint.size,
        });
        self.refine_first = true;
    }

    fn tracked_person(&self) -> Option<PersonHint> {
        self.crop.map(|c| PersonHint {
            centre: Point::new(c.x0 + c.size / 2.0, c.y0 + c.size / 2.0),
            size: c.size,
        })
    }
}

/// The input of a MoveNet model: its name and the side S of its int32 [1, S, S, 3] image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub name: String,
    pub side: i32,
}

/// Why a model is not MoveNet-shaped; the text is the error message's end.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NotMoveNet {
    #[error("has no inputs")]
    NoInputs,
    #[error(
        "is not a MoveNet model (expected int32 input [1,S,S,3], found {element:?} {shape:?})"
    )]
    WrongInput {
        element: Option<TensorElementType>,
        shape: Vec<i64>,
    },
}

/// Checks the model is MoveNet-shaped: int32 [1, S, S, 3] in, 17×3 out.
pub fn signature(session: &Session) -> std::result::Result<Input, NotMoveNet> {
    let input = session.inputs().first().ok_or(NotMoveNet::NoInputs)?;
    let (element, shape) = crate::pose::runtime::first_input_signature(session).unwrap_or_default();
    let ok_type = element == Some(TensorElementType::Int32);
    let side = shape.get(1).copied().unwrap_or(-1);
    if !ok_type || shape.len() != 4 || shape[3] != 3 || side <= 0 || shape.get(2) != Some(&side) {
        return Err(NotMoveNet::WrongInput { element, shape });
    }
    Ok(Input {
        name: input.name().to_string(),
        side: side as i32,
    })
}

/// MoveNet's (y, x, score) rows, normalised to the crop, as a display-frame pose.
pub fn decode_keypoints(rows: &[f32], crop: CropSquare) -> Pose {
    let mut pose = Pose::default();
    for (joint, row) in Joint::ALL.iter().take(KEYPOINTS).zip(rows.chunks_exact(3)) {
        let p = crop.to_display(row[1] as f64, row[0] as f64);
        let score = if row[2].is_finite() {
            (row[2] as f64).clamp(0.0, 1.0)
        } else {
            0.0
        };
        pose.set(
            *joint,
            Keypoint {
                x: p.x,
                y: p.y,
                score,
            },
        );
    }
    pose
}

/// The reference `determine_crop_region`: a square around the hip centre that holds the torso
/// (×1.9) and the body (×1.2), or the whole frame when the torso is not confidently seen.
pub fn next_crop(pose: &Pose, width: u32, height: u32) -> CropSquare {
    let (w, h) = (width as f64, height as f64);
    let seen = |j: Joint| pose.get(j).score > MIN_CROP_KEYPOINT_SCORE;
    let torso_visible = (seen(Joint::LeftHip) || seen(Joint::RightHip))
        && (seen(Joint::LeftShoulder) || seen(Joint::RightShoulder));
    if !torso_visible {
        return CropSquare::whole_frame(width, height);
    }
    let centre = pose
        .get(Joint::LeftHip)
        .point()
        .midpoint(pose.get(Joint::RightHip).point());
    let mut torso = (0.0f64, 0.0f64);
    for j in [
        Joint::LeftShoulder,
        Joint::RightShoulder,
        Joint::LeftHip,
        Joint::RightHip,
    ] {
        let p = pose.get(j).point();
        torso.0 = torso.0.max((centre.x - p.x).abs());
        torso.1 = torso.1.max((centre.y - p.y).abs());
    }
    let mut body = (0.0f64, 0.0f64);
    for j in Joint::ALL.iter().take(KEYPOINTS) {
        if seen(*j) {
            let p = pose.get(*j).point();
            body.0 = body.0.max((centre.x - p.x).abs());
            body.1 = body.1.max((centre.y - p.y).abs());
        }
    }
    let mut half = (torso.0 * 1.9)
        .max(torso.1 * 1.9)
        .max(body.1 * 1.2)
        .max(body.0 * 1.2);
    let to_edge = centre.x.max(w - centre.x).max(centre.y).max(h - centre.y);
    half = half.min(to_edge);
    if !half.is_finite() || half <= 1.0 || half > w.max(h) / 2.0 {
        return CropSquare::whole_frame(width, height);
    }
    CropSquare {
        x0: centre.x - half,
        y0: centre.y - half,
        size: 2.0 * half,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standing_pose() -> Pose {
        let mut p = Pose::default();
        let kp = |x, y| Keypoint { x, y, score: 0.9 };
        p.set(Joint::LeftShoulder, kp(400.0, 300.0));
        p.set(Joint::RightShoulder, kp(320.0, 300.0));
        p.set(Joint::LeftHip, kp(390.0, 500.0));
        p.set(Joint::RightHip, kp(330.0, 500.0));
        p.set(Joint::LeftAnkle, kp(390.0, 900.0));
        p.set(Joint::RightAnkle, kp(330.0, 900.0));
        p.set(Joint::Nose, kp(360.0, 220.0));
        p
    }

    #[test]
    fn crop_follows_the_body() {
        let c = next_crop(&standing_pose(), 720, 1280);
        // Hip centre (360, 500); body extent 400 px down to the ankles × 1.2 = 480.
        assert!((c.x0 - (360.0 - 480.0)).abs() < 1e-9);
        assert!((c.y0 - (500.0 - 480.0)).abs() < 1e-9);
        assert!((c.size - 960.0).abs() < 1e-9);
    }

    #[test]
    fn no_torso_means_whole_frame() {
        let mut p = standing_pose();
        p.set(Joint::LeftShoulder, Keypoint::default());
        p.set(Joint::RightShoulder, Keypoint::default());
        assert_eq!(next_crop(&p, 720, 1280), CropSquare::whole_frame(720, 1280));
    }

    #[test]
    fn decode_maps_crop_normalised_rows_to_display() {
        let crop = CropSquare {
            x0: 100.0,
            y0: 50.0,
            size: 200.0,
        };
        let mut rows = vec![0.0f32; KEYPOINTS * 3];
        rows[0] = 0.25; // nose y
        rows[1] = 0.5; // nose x
        rows[2] = 0.8;
        let pose = decode_keypoints(&rows, crop);
        let nose = pose.get(Joint::Nose);
        assert_eq!((nose.x, nose.y), (200.0, 100.0));
        assert!((nose.score - 0.8).abs() < 1e-6);
    }
}
