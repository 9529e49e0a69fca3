//! BlazePose's person detector (MediaPipe `pose_detection`): SSD anchors, box/keypoint decoding,
//! weighted non-maximum suppression, and the session that runs it on the letterboxed frame.
use super::roi::{letterbox_to_display, warp_into, Border};
use crate::error::{Error, Result};
use crate::geometry::Point;
use crate::pose::crop::apply;
use crate::pose::runtime::{open_session, InferenceClock, SessionOptions};
use crate::pose::tensor::fill_rgb;
use crate::video::Orientation;
use ndarray::Array4;
use opencv::core::Mat;
use ort::session::Session;
use ort::value::{TensorElementType, TensorRef};
use std::path::Path;

/// Input side of the detector.
pub const INPUT_SIDE: i32 = 224;
/// Anchors of the 224 px model: 28×28×2 + 14×14×2 + 7×7×6.
pub const NUM_ANCHORS: usize = 2254;
/// Values per anchor: score logit, box (cx, cy, w, h), 4 keypoints × (x, y).
pub const VALUES_PER_ANCHOR: usize = 13;
/// Keypoints per detection: hip centre, full-body scale point, shoulder centre, upper-body point.
pub const NUM_KEYPOINTS: usize = 4;
/// MediaPipe's `min_detection_confidence` default.
pub const MIN_SCORE: f32 = 0.5;
/// MediaPipe's NMS overlap threshold (IoU).
pub const NMS_IOU: f32 = 0.3;
const SCORE_CLIP: f32 = 100.0;

/// An anchor centre, normalised to the input (anchor width and height are 1: fixed size).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Anchor {
    pub x: f32,
    pub y: f32,
}

/// MediaPipe's `SsdAnchorsCalculator` for pose_detection: strides 8, 16, 32, 32, 32 on a 224 px
/// input, two anchors per cell and layer (aspect ratio 1 plus the interpolated one), layers of the
/// same stride sharing one grid.
pub fn anchors() -> Vec<Anchor> {
    const STRIDES: [usize; 5] = [8, 16, 32, 32, 32];
    let mut out = Vec::with_capacity(NUM_ANCHORS);
    let mut layer = 0;
    while layer < STRIDES.len() {
        let mut per_cell = 0;
        let mut last = layer;
        while last < STRIDES.len() && STRIDES[last] == STRIDES[layer] {
            per_cell += 2;
            last += 1;
        }
        let cells = (INPUT_SIDE as usize).div_ceil(STRIDES[layer]);
        for y in 0..cells {
            for x in 0..cells {
                for _ in 0..per_cell {
                    out.push(Anchor {
                        x: (x as f32 + 0.5) / cells as f32,
                        y: (y as f32 + 0.5) / cells as f32,
                    });
                }
            }
        }
        layer = last;
    }
    out
}

/// One detection in input-normalised coordinates (0..1 of the letterboxed input).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detection {
    pub score: f32,
    pub xmin: f32,
    pub ymin: f32,
    pub xmax: f32,
    pub ymax: f32,
    pub keypoints: [(f32, f32); NUM_KEYPOINTS],
}

impl Detection {
    fn area(&self) -> f32 {
        (self.xmax - self.xmin).max(0.0) * (self.ymax - self.ymin).max(0.0)
    }

    fn iou(&self, o: &Detection) -> f32 {
        let w = (self.xmax.min(o.xmax) - self.xmin.max(o.xmin)).max(0.0);
        let h = (self.ymax.min(o.ymax) - self.ymin.max(o.ymin)).max(0.0);
        let inter = w * h;
        let union = self.area() + o.area() - inter;
        if union > 0.0 {
            inter / union
        } else {
            0.0
        }
    }
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// MediaPipe's `TensorsToDetectionsCalculator` for pose_detection: every anchor whose score
/// (sigmoid of the clipped logit) reaches `min_score`, decoded with x/y/w/h scale 224.
pub fn decode(raw: &[f32], anchors: &[Anchor], min_score: f32) -> Vec<Detection> {
    let scale = INPUT_SIDE as f32;
    let mut out = Vec::new();
    for (row, a) in raw.chunks_exact(VALUES_PER_ANCHOR).zip(anchors) {
        let score = sigmoid(row[0].clamp(-SCORE_CLIP, SCORE_CLIP));
        if score.is_nan() || score < min_score {
            continue;
        }
        let cx = row[1] / scale + a.x;
        let cy = row[2] / scale + a.y;
        let w = row[3] / scale;
        let h = row[4] / scale;
        let mut keypoints = [(0.0, 0.0); NUM_KEYPOINTS];
        for (k, kp) in keypoints.iter_mut().enumerate() {
            *kp = (row[5 + 2 * k] / scale + a.x, row[6 + 2 * k] / scale + a.y);
        }
        out.push(Detection {
            score,
            xmin: cx - w / 2.0,
            ymin: cy - h / 2.0,
            xmax: cx + w / 2.0,
            ymax: cy + h / 2.0,
            keypoints,
        });
    }
    out
}

/// MediaPipe's weighted non-maximum suppression: the best remaining detection absorbs every
/// detection overlapping it by more than `iou` (itself included); the merged box and keypoints are
/// the score-weighted mean, the score the best one's. Sorted best first.
pub fn weighted_nms(mut detections: Vec<Detection>, iou: f32) -> Vec<Detection> {
    detections.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut out = Vec::new();
    while let Some(top) = detections.first().copied() {
        let (cluster, rest): (Vec<Detection>, Vec<Detection>) =
            detections.into_iter().partition(|d| top.iou(d) > iou);
        detections = rest;
        if cluster.is_empty() {
            // A degenerate (empty) box overlaps nothing, not even itself: keep it as is.
            out.push(top);
            detections.retain(|d| d != &top);
            continue;
        }
        let total: f32 = cluster.iter().map(|d| d.score).sum();
        let mut merged = Detection {
            score: top.score,
            xmin: 0.0,
            ymin: 0.0,
            xmax: 0.0,
            ymax: 0.0,
            keypoints: [(0.0, 0.0); NUM_KEYPOINTS],
        };
        for d in &cluster {
            let w = d.score / total;
            merged.xmin += d.xmin * w;
            merged.ymin += d.ymin * w;
            merged.xmax += d.xmax * w;
            merged.ymax += d.ymax * w;
            for (m, k) in merged.keypoints.iter_mut().zip(d.keypoints) {
                m.0 += k.0 * w;
                m.1 += k.1 * w;
            }
        }
        out.push(merged);
    }
    out
}

/// The detector model with its buffers.
pub struct Detector {
    session: Session,
    pub clock: InferenceClock,
    input_name: String,
    anchors: Vec<Anchor>,
    warped: Mat,
    input: Array4<f32>,
}

/// The best person in a frame: its four keypoints in display pixels, and its score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Person {
    pub score: f32,
    pub keypoints: [Point; NUM_KEYPOINTS],
}

impl Detector {
    pub fn load(path: &Path, options: SessionOptions) -> Result<Self> {
        let session = open_session(path, options)?;
        let input_name = check_signature(&session, path)?;
        Ok(Detector {
            session,
            clock: InferenceClock::default(),
            input_name,
            anchors: anchors(),
            warped: Mat::default(),
            input: Array4::zeros((1, INPUT_SIDE as usize, INPUT_SIDE as usize, 3)),
        })
    }

    /// Runs the detector on the whole display frame, letterboxed; returns every person found, best
    /// first.
    pub fn detect_all(&mut self, stored: &Mat, orientation: &Orientation) -> Result<Vec<Person>> {
        let (w, h) = orientation.display_size();
        let to_display = letterbox_to_display(w, h, INPUT_SIDE);
        warp_into(
            stored,
            orientation,
            to_display,
            INPUT_SIDE,
            Border::Zero,
            &mut self.warped,
        )?;
        fill_rgb(&self.warped, &mut self.input, |v| {
            v as f32 * (2.0 / 255.0) - 1.0
        })?;
        let tensor = TensorRef::from_array_view(&self.input).map_err(Error::runtime)?;
        let outputs = self.clock.run(
            &mut self.session,
            ort::inputs![self.input_name.as_str() => tensor],
        )?;
        let (_, raw) = outputs[0]
            .try_extract_tensor::<f32>()
            .map_err(Error::runtime)?;
        if raw.len() != NUM_ANCHORS * VALUES_PER_ANCHOR {
            return Err(Error::Runtime(format!(
                "BlazePose detector output has {} values, expected {}",
                raw.len(),
                NUM_ANCHORS * VALUES_PER_ANCHOR
            )));
        }
        let side = INPUT_SIDE as f64;
        Ok(weighted_nms(decode(raw, &self.anchors, MIN_SCORE), NMS_IOU)
            .into_iter()
            .map(|d| Person {
                score: d.score,
                keypoints: d
                    .keypoints
                    .map(|(x, y)| apply(to_display, x as f64 * side, y as f64 * side)),
            })
            .collect())
    }

    /// The best person in the frame, if any.
    pub fn detect(&mut self, stored: &Mat, orientation: &Orientation) -> Result<Option<Person>> {
        Ok(self.detect_all(stored, orientation)?.into_iter().next())
    }
}

/// Checks the detector's signature: float32 [1,224,224,3] in, [1,2254,13] out.
fn check_signature(session: &Session, path: &Path) -> Result<String> {
    let input = session
        .inputs()
        .first()
        .ok_or_else(|| Error::model(path, "has no inputs"))?;
    let in_shape = crate::pose::runtime::first_input_signature(session)
        .map(|(_, s)| s)
        .unwrap_or_default();
    let out_shape = crate::pose::runtime::output_shape(session, 0);
    let side = INPUT_SIDE as i64;
    let ok = input.dtype().tensor_type() == Some(TensorElementType::Float32)
        && in_shape.len() == 4
        && in_shape[1..] == [side, side, 3]
        && out_shape.len() == 3
        && out_shape[1..] == [NUM_ANCHORS as i64, VALUES_PER_ANCHOR as i64];
    if !ok {
        return Err(Error::model(
            path,
            format!(
                "is not the BlazePose person detector (expected float32 input [1,224,224,3] and \
                 output [1,2254,13], found {in_shape:?} → {out_shape:?})"
            ),
        ));
    }
    Ok(input.name().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_layout_matches_mediapipe() {
        let a = anchors();
        assert_eq!(a.len(), NUM_ANCHORS);
        // First grid 28×28, two anchors per cell.
        assert_eq!(a[0], a[1]);
        assert!((a[0].x - 0.5 / 28.0).abs() < 1e-7);
        assert!((a[2].x - 1.5 / 28.0).abs() < 1e-7);
        // The 7×7 grid (three layers of stride 32) has six anchors per cell and ends the list.
        let last = a[NUM_ANCHORS - 1];
        assert!((last.x - 6.5 / 7.0).abs() < 1e-6 && (last.y - 6.5 / 7.0).abs() < 1e-6);
        assert_eq!(a[NUM_ANCHORS - 6], last);
        assert_ne!(a[NUM_ANCHORS - 7], last);
        // Second grid starts after 28×28×2.
        assert!((a[1568].x - 0.5 / 14.0).abs() < 1e-7);
    }

    fn raw_row(logit: f32, dx: f32, kp0: (f32, f32)) -> [f32; VALUES_PER_ANCHOR] {
        let mut r = [0.0; VALUES_PER_ANCHOR];
        r[0] = logit;
        r[1] = dx;
        r[3] = 56.0;
        r[4] = 112.0;
        r[5] = kp0.0;
        r[6] = kp0.1;
        r
    }

    #[test]
    fn decode_offsets_by_the_anchor_in_input_pixels() {
        let anchors = vec![Anchor { x: 0.5, y: 0.25 }, Anchor { x: 0.1, y: 0.1 }];
        let mut raw = raw_row(3.0, 22.4, (-22.4, 44.8)).to_vec();
        raw.extend(raw_row(-3.0, 0.0, (0.0, 0.0)));
        let d = decode(&raw, &anchors, 0.5);
        assert_eq!(d.len(), 1, "the second anchor's score is below 0.5");
        let d = d[0];
        assert!((d.score - sigmoid(3.0)).abs() < 1e-6);
        // cx = 0.5 + 0.1, w = 0.25, h = 0.5
        assert!((d.xmin - 0.475).abs() < 1e-6 && (d.xmax - 0.725).abs() < 1e-6);
        assert!((d.ymin - 0.0).abs() < 1e-6 && (d.ymax - 0.5).abs() < 1e-6);
        assert!((d.keypoints[0].0 - 0.4).abs() < 1e-6);
        assert!((d.keypoints[0].1 - 0.45).abs() < 1e-6);
    }

    #[test]
    fn huge_logits_are_clipped_not_nan() {
        let anchors = vec![Anchor { x: 0.5, y: 0.5 }];
        let raw = raw_row(1e30, 0.0, (0.0, 0.0));
        let d = decode(&raw, &anchors, 0.5);
        assert_eq!(d.len(), 1);
        assert!((d[0].score - 1.0).abs() < 1e-6);
    }

    fn det(score: f32, x: f32, kp: f32) -> Detection {
        Detection {
            score,
            xmin: x,
            ymin: 0.0,
            xmax: x + 0.2,
            ymax: 0.2,
            keypoints: [(kp, kp); NUM_KEYPOINTS],
        }
    }

    #[test]
    fn weighted_nms_merges_overlaps_and_keeps_separate_people() {
        let out = weighted_nms(
            vec![det(0.6, 0.02, 1.0), det(0.9, 0.0, 0.0), det(0.8, 0.7, 5.0)],
            0.3,
        );
        assert_eq!(out.len(), 2);
        // Best first, score of the best, keypoints weighted 0.9 : 0.6.
        assert_eq!(out[0].score, 0.9);
        assert!((out[0].keypoints[0].0 - 0.6 / 1.5).abs() < 1e-6);
        assert!((out[0].xmin - 0.6 * 0.02 / 1.5).abs() < 1e-6);
        assert_eq!(out[1].score, 0.8);
        assert_eq!(out[1].keypoints[0].0, 5.0);
    }
}
