//! Pose models: from a decoded frame to keypoints in display pixels.
pub mod blazepose;
mod bystander;
pub mod catalog;
pub mod crop;
mod library_check;
pub mod manifest;
pub mod movenet;
pub mod runtime;
pub mod sessions;
mod tensor;

use crate::error::Result;
use crate::geometry::{Point, Pose};
use crate::video::Orientation;
use opencv::core::Mat;

/// A per-frame pose estimator. Estimators may track the person between frames, so frames of one
/// clip must come in order; call [`PoseEstimator::reset`] before a new clip.
pub trait PoseEstimator {
    /// The model's short name, e.g. `movenet-thunder`.
    fn name(&self) -> &str;
    /// Keypoints of the (tracked) person in the display frame; joints the model does not find have
    /// a low score.
    fn estimate(&mut self, stored: &Mat, orientation: &Orientation) -> Result<Pose>;
    /// Forgets tracking state.
    fn reset(&mut self);
    /// How many times since the last reset someone besides the tracked person was seen.
    fn other_people_seen(&self) -> u32 {
        0
    }
    /// Where somebody besides the tracked person was last seen, if anyone was.
    fn other_person(&self) -> Option<PersonHint> {
        None
    }
    /// Seconds spent inside ONNX Runtime's `Session::run` since the estimator was opened; `None`
    /// where the estimator does not keep count.
    fn inference_seconds(&self) -> Option<f64> {
        None
    }
    /// Forgets tracking state, like [`PoseEstimator::reset`], and starts the next clip by looking
    /// at `hint` instead of the whole picture: how a second pass follows the other person.
    fn reset_to(&mut self, hint: PersonHint) {
        let _ = hint;
        self.reset();
    }
    /// Where the next frame will be looked at, if the estimator is tracking someone: a second
    /// session taking alternate frames starts there, so both follow the same person.
    fn tracked_person(&self) -> Option<PersonHint> {
        None
    }
}

/// Where a person is in the display frame: the body centre and a square size that holds them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PersonHint {
    pub centre: Point,
    pub size: f64,
}
