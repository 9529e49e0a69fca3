//! BlazePose's landmark model (MediaPipe `pose_landmark_{lite,full,heavy}`): the 39 landmarks of
//! the person in a ROI, refined with the model's heatmap as MediaPipe does.
use super::roi::{warp_into, Border, Roi};
use crate::error::{Error, Result};
use crate::geometry::Point;
use crate::pose::runtime::InferenceClock;
use crate::pose::tensor::fill_rgb;
use crate::video::Orientation;
use ndarray::Array4;
use opencv::core::Mat;
use ort::session::Session;
use ort::value::{TensorElementType, TensorRef};
use std::path::Path;

/// Input side of the landmark model.
pub const INPUT_SIDE: i32 = 256;
/// Landmarks the model returns: the 33 BlazePose keypoints, then 2 ROI points and 4 unused.
pub const NUM_LANDMARKS: usize = 39;
/// The first 33 are the body keypoints.
pub const NUM_BODY_LANDMARKS: usize = 33;
/// Auxiliary landmark: hip centre (ROI centre for the next frame).
pub const AUX_CENTRE: usize = 33;
/// Auxiliary landmark: the full-body scale/rotation point.
pub const AUX_SCALE: usize = 34;
/// Values per landmark: x, y, z, visibility logit, presence logit.
const VALUES_PER_LANDMARK: usize = 5;
/// MediaPipe's pose-presence threshold.
pub const MIN_POSE_PRESENCE: f32 = 0.5;
/// MediaPipe's `RefineLandmarksFromHeatmapCalculator` options for pose.
const HEATMAP_KERNEL: usize = 7;
const MIN_CONFIDENCE_TO_REFINE: f32 = 0.5;

/// One landmark in display pixels with its visibility and presence probabilities.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Landmark {
    pub point: Point,
    pub visibility: f64,
    pub presence: f64,
}

/// The landmark model's output for one ROI.
#[derive(Debug, Clone, PartialEq)]
pub struct LandmarkOutput {
    /// Pose presence probability (the model's flag output).
    pub presence: f32,
    /// All 39 landmarks in display pixels (empty when the flag is below the threshold).
    pub landmarks: Vec<Landmark>,
}

/// Output tensor names of the converted models (tf2onnx keeps the TFLite names).
const OUT_LANDMARKS: &str = "Identity";
const OUT_FLAG: &str = "Identity_1";
const OUT_HEATMAP: &str = "Identity_3";

/// The landmark model with its buffers.
pub struct LandmarkModel {
    session: Session,
    pub clock: InferenceClock,
    input_name: String,
    warped: Mat,
    input: Array4<f32>,
}

/// Whether an opened model has the landmark model's signature: float32 [1,256,256,3] in, first
/// output 195 wide (39 × 5).
pub fn is_landmark_model(session: &Session) -> bool {
    let Some(input) = session.inputs().first() else {
        return false;
    };
    let in_shape = crate::pose::runtime::first_input_signature(session)
        .map(|(_, s)| s)
        .unwrap_or_default();
    let out_shape = crate::pose::runtime::output_shape(session, 0);
    let side = INPUT_SIDE as i64;
    input.dtype().tensor_type() == Some(TensorElementType::Float32)
        && in_shape.len() == 4
        && in_shape[1..] == [side, side, 3]
        && out_shape.last() == Some(&((NUM_LANDMARKS * VALUES_PER_LANDMARK) as i64))
        && session.outputs().len() >= 2
}

impl LandmarkModel {
    pub fn from_session(session: Session, path: &Path) -> Result<Self> {
        if !is_landmark_model(&session) {
            return Err(Error::model(
                path,
                "is not a BlazePose landmark model (expected float32 input [1,256,256,3] and a \
                 195-wide first output)",
            ));
        }
        let input_name = session.inputs()[0].name().to_string();
        Ok(LandmarkModel {
            session,
            clock: InferenceClock::default(),
            input_name,
            warped: Mat::default(),
            input: Array4::zeros((1, INPUT_SIDE as usize, INPUT_SIDE as usize, 3)),
        })
    }

    /// Runs the model on `roi` of the display frame.
    pub fn run(
        &mut self,
        stored: &Mat,
        orientation: &Orientation,
        roi: &Roi,
    ) -> Result<LandmarkOutput> {
        let to_display = roi.input_to_display(INPUT_SIDE);
        warp_into(
            stored,
            orientation,
            to_display,
            INPUT_SIDE,
            Border::Replicate,
            &mut self.warped,
        )?;
        fill_rgb(&self.warped, &mut self.input, |v| v as f32 * (1.0 / 255.0))?;
        let tensor = TensorRef::from_array_view(&self.input).map_err(Error::runtime)?;
        let outputs = self.clock.run(
            &mut self.session,
            ort::inputs![self.input_name.as_str() => tensor],
        )?;
        let output = |name: &str, index: usize| outputs.get(name).unwrap_or(&outputs[index]);
        let (_, flag) = output(OUT_FLAG, 1)
            .try_extract_tensor::<f32>()
            .map_err(Error::runtime)?;
        let presence = flag.first().copied().unwrap_or(0.0);
        if presence.is_nan() || presence < MIN_POSE_PRESENCE {
            return Ok(LandmarkOutput {
                presence,
                landmarks: Vec::new(),
            });
        }
        let (_, raw) = output(OUT_LANDMARKS, 0)
            .try_extract_tensor::<f32>()
            .map_err(Error::runtime)?;
        if raw.len() != NUM_LANDMARKS * VALUES_PER_LANDMARK {
            return Err(Error::Runtime(format!(
                "BlazePose landmark output has {} values, expected {}",
                raw.len(),
                NUM_LANDMARKS * VALUES_PER_LANDMARK
            )));
        }
        let mut normalized = decode(raw);
        if let Some(heatmap) = outputs.get(OUT_HEATMAP) {
            let (shape, heatmap) = heatmap
                .try_extract_tensor::<f32>()
                .map_err(Error::runtime)?;
            if shape.len() == 4 && shape[3] as usize == NUM_LANDMARKS {
                refine_from_heatmap(
                    &mut normalized,
                    heatmap,
                    shape[1] as usize,
                    shape[2] as usize,
                );
            }
        }
        let side = INPUT_SIDE as f64;
        let landmarks = normalized
            .iter()
            .map(|n| Landmark {
                point: roi.to_display(INPUT_SIDE, n.x * side, n.y * side),
                visibility: n.visibility,
                presence: n.presence,
            })
            .collect();
        Ok(LandmarkOutput {
            presence,
            landmarks,
        })
    }
}

/// A landmark normalised to the model input (0..1), with probabilities.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Normalized {
    pub x: f64,
    pub y: f64,
    pub visibility: f64,
    pub presence: f64,
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// MediaPipe's `TensorsToLandmarksCalculator`: input pixels → 0..1, sigmoid on visibility and
/// presence.
pub fn decode(raw: &[f32]) -> Vec<Normalized> {
    let side = INPUT_SIDE as f64;
    raw.chunks_exact(VALUES_PER_LANDMARK)
        .map(|r| Normalized {
            x: r[0] as f64 / side,
            y: r[1] as f64 / side,
            visibility: finite_or_zero(sigmoid(r[3] as f64)),
            presence: finite_or_zero(sigmoid(r[4] as f64)),
        })
        .collect()
}

fn finite_or_zero(v: f64) -> f64 {
    if v.is_finite() {
        v
    } else {
        0.0
    }
}

/// MediaPipe's `RefineLandmarksFromHeatmapCalculator` (kernel 7, min confidence 0.5): each
/// landmark moves to the sigmoid-weighted mean cell of the heatmap window around it, when the
/// window's peak is confident. `heatmap` is HWC, one channel per landmark.
pub fn refine_from_heatmap(
    landmarks: &mut [Normalized],
    heatmap: &[f32],
    rows: usize,
    cols: usize,
) {
    let channels = landmarks.len();
    if heatmap.len() != rows * cols * channels {
        return;
    }
    let offset = (HEATMAP_KERNEL - 1) as i64 / 2;
    for (index, lm) in landmarks.iter_mut().enumerate() {
        // C++ float → int conversion truncates towards zero, as `as` does.
        let centre_col = (lm.x * cols as f64) as i64;
        let centre_row = (lm.y * rows as f64) as i64;
        if centre_col < 0 || centre_col >= cols as i64 || centre_row < 0 {
            continue;
        }
        let (begin_col, end_col) = (
            (centre_col - offset).max(0),
            (centre_col + offset + 1).min(cols as i64),
        );
        let (begin_row, end_row) = (
            (centre_row - offset).max(0),
            (centre_row + offset + 1).min(rows as i64),
        );
        let (mut sum, mut weighted_col, mut weighted_row, mut max_confidence) =
            (0.0f32, 0.0f32, 0.0f32, 0.0f32);
        for row in begin_row..end_row {
            for col in begin_col..end_col {
                let v = heatmap[(row as usize * cols + col as usize) * channels + index];
                let confidence = 1.0 / (1.0 + (-v).exp());
                sum += confidence;
                max_confidence = max_confidence.max(confidence);
                weighted_col += col as f32 * confidence;
                weighted_row += row as f32 * confidence;
            }
        }
        if max_confidence >= MIN_CONFIDENCE_TO_REFINE && sum > 0.0 {
            lm.x = (weighted_col / cols as f32 / sum) as f64;
            lm.y = (weighted_row / rows as f32 / sum) as f64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_scales_pixels_and_applies_sigmoid() {
        let mut raw = vec![0.0f32; NUM_LANDMARKS * VALUES_PER_LANDMARK];
        raw[0] = 128.0;
        raw[1] = 64.0;
        raw[3] = 0.0;
        raw[4] = 100.0;
        let lms = decode(&raw);
        assert_eq!(lms.len(), NUM_LANDMARKS);
        assert_eq!((lms[0].x, lms[0].y), (0.5, 0.25));
        assert!((lms[0].visibility - 0.5).abs() < 1e-12);
        assert!((lms[0].presence - 1.0).abs() < 1e-12);
    }

    #[test]
    fn heatmap_pulls_landmark_to_the_confident_peak() {
        let (rows, cols) = (8, 8);
        let mut heatmap = vec![-20.0f32; rows * cols * 2];
        // Landmark 0: one hot cell at (row 3, col 5), confident; landmark 1: nothing confident.
        heatmap[(3 * cols + 5) * 2] = 20.0;
        let mut lms = vec![
            Normalized {
                x: 4.2 / 8.0,
                y: 2.9 / 8.0,
                ..Default::default()
            },
            Normalized {
                x: 0.5,
                y: 0.5,
                ..Default::default()
            },
        ];
        refine_from_heatmap(&mut lms, &heatmap, rows, cols);
        assert!((lms[0].x - 5.0 / 8.0).abs() < 1e-4, "{}", lms[0].x);
        assert!((lms[0].y - 3.0 / 8.0).abs() < 1e-4, "{}", lms[0].y);
        assert_eq!((lms[1].x, lms[1].y), (0.5, 0.5));
    }

    #[test]
    fn landmarks_outside_the_heatmap_are_kept() {
        let heatmap = vec![20.0f32; 4 * 4];
        let mut lms = vec![Normalized {
            x: 1.3,
            y: 0.5,
            ..Default::default()
        }];
        refine_from_heatmap(&mut lms, &heatmap, 4, 4);
        assert_eq!(lms[0].x, 1.3);
    }
}
