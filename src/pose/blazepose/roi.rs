//! The rotated square region of interest that BlazePose's landmark model looks at, and the warps
//! that bring a region of the display frame into a model input straight from the stored frame.
//!
//! Conventions follow MediaPipe's `ImageToTensorCalculator`: the input tensor's pixel `(u, v)`
//! (integer coordinates are pixel centres) samples the region at `corner + (u, v) · size / side`,
//! with no half-pixel shift, and the landmark model's outputs (input pixels, 0..side) map back with
//! the same affine.
use crate::error::{Error, Result};
use crate::geometry::Point;
use crate::pose::crop::{apply, compose};
use crate::video::Orientation;
use opencv::core::{self, Mat, Scalar, Size};
use opencv::imgproc;
use std::f64::consts::PI;

/// MediaPipe's `RectTransformationCalculator` scale for the full-body ROI.
pub const ROI_SCALE: f64 = 1.25;

/// A rotated square in display pixels: centre, side and rotation (radians, clockwise on screen,
/// i.e. positive from +x towards +y with y pointing down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Roi {
    pub centre: Point,
    pub size: f64,
    pub rotation: f64,
}

/// An angle brought into [-π, π).
pub fn normalize_radians(angle: f64) -> f64 {
    angle - 2.0 * PI * ((angle + PI) / (2.0 * PI)).floor()
}

impl Roi {
    /// MediaPipe's full-body ROI from two alignment points in display pixels: `centre` is the hip
    /// centre, `scale_point` the point whose distance sets the size (×2 for the circle's diameter, then
    /// ×1.25) and whose direction from the centre sets the rotation (upright when straight above).
    pub fn from_alignment(centre: Point, scale_point: Point) -> Option<Roi> {
        let d = scale_point - centre;
        let size = 2.0 * d.norm() * ROI_SCALE;
        let rotation = normalize_radians(PI / 2.0 - (-d.y).atan2(d.x));
        (centre.is_finite() && size.is_finite() && size > 1.0).then_some(Roi {
            centre,
            size,
            rotation,
        })
    }

    /// The affine map (2×3) from model-input pixels of a `side`×`side` tensor to display pixels.
    pub fn input_to_display(&self, side: i32) -> [[f64; 3]; 2] {
        let (s, c) = self.rotation.sin_cos();
        let k = self.size / side as f64;
        let half = self.size / 2.0;
        [
            [c * k, -s * k, self.centre.x - (c - s) * half],
            [s * k, c * k, self.centre.y - (s + c) * half],
        ]
    }

    /// A model-input pixel position (0..side) as a display point.
    pub fn to_display(self, side: i32, u: f64, v: f64) -> Point {
        apply(self.input_to_display(side), u, v)
    }
}

/// The letterbox of the whole display frame into a `side`×`side` input (MediaPipe's
/// `keep_aspect_ratio`): the centred square of the longer side, in input pixels → display pixels.
pub fn letterbox_to_display(width: u32, height: u32, side: i32) -> [[f64; 3]; 2] {
    let (w, h) = (width as f64, height as f64);
    let long = w.max(h);
    let k = long / side as f64;
    [[k, 0.0, (w - long) / 2.0], [0.0, k, (h - long) / 2.0]]
}

/// How pixels outside the frame are filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Border {
    /// Black (the detector's letterbox).
    Zero,
    /// The nearest edge pixel (MediaPipe's default, used for the landmark ROI).
    Replicate,
}

/// Warps the region `to_display` (input pixels → display pixels) of the display frame into `out`
/// (BGR, `side`×`side`), reading the stored frame: one bilinear warp, rotation included.
pub fn warp_into(
    stored: &Mat,
    orientation: &Orientation,
    to_display: [[f64; 3]; 2],
    side: i32,
    border: Border,
    out: &mut Mat,
) -> Result<()> {
    let to_source = compose(orientation.display_to_stored(), to_display);
    let m = Mat::from_slice_2d(&to_source).map_err(Error::opencv)?;
    let border_mode = match border {
        Border::Zero => core::BORDER_CONSTANT,
        Border::Replicate => core::BORDER_REPLICATE,
    };
    imgproc::warp_affine(
        stored,
        out,
        &m,
        Size::new(side, side),
        imgproc::INTER_LINEAR | imgproc::WARP_INVERSE_MAP,
        border_mode,
        Scalar::all(0.0),
    )
    .map_err(Error::opencv)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Point, b: Point) -> bool {
        a.dist(b) < 1e-9
    }

    #[test]
    fn upright_body_gives_unrotated_roi() {
        // Scale point straight above the hips: no rotation; size 2 × 100 × 1.25.
        let roi = Roi::from_alignment(Point::new(300.0, 500.0), Point::new(300.0, 400.0)).unwrap();
        assert!(roi.rotation.abs() < 1e-12);
        assert!((roi.size - 250.0).abs() < 1e-9);
        // Input corners map to the square's corners.
        assert!(close(
            roi.to_display(256, 0.0, 0.0),
            Point::new(175.0, 375.0)
        ));
        assert!(close(
            roi.to_display(256, 256.0, 256.0),
            Point::new(425.0, 625.0)
        ));
        assert!(close(
            roi.to_display(256, 128.0, 128.0),
            Point::new(300.0, 500.0)
        ));
    }

    #[test]
    fn body_lying_to_the_right_rotates_a_quarter_turn() {
        // Head to the image right: the scale point is to the right of the hips. The input's "up"
        // (v decreasing) must point to display +x.
        let roi = Roi::from_alignment(Point::new(300.0, 500.0), Point::new(400.0, 500.0)).unwrap();
        assert!((roi.rotation - PI / 2.0).abs() < 1e-12);
        let centre = roi.to_display(256, 128.0, 128.0);
        let above = roi.to_display(256, 128.0, 0.0);
        assert!(close(centre, Point::new(300.0, 500.0)));
        assert!(close(above, Point::new(425.0, 500.0)));
    }

    #[test]
    fn normalize_keeps_angles_in_range() {
        assert!((normalize_radians(3.0 * PI / 2.0) + PI / 2.0).abs() < 1e-12);
        assert!((normalize_radians(-3.0 * PI / 2.0) - PI / 2.0).abs() < 1e-12);
        assert!((normalize_radians(0.25) - 0.25).abs() < 1e-12);
    }

    #[test]
    fn letterbox_centres_the_portrait_frame() {
        let m = letterbox_to_display(720, 1280, 224);
        assert!(close(apply(m, 0.0, 0.0), Point::new(-280.0, 0.0)));
        assert!(close(apply(m, 224.0, 224.0), Point::new(1000.0, 1280.0)));
    }

    #[test]
    fn degenerate_alignment_is_rejected() {
        assert!(Roi::from_alignment(Point::new(1.0, 1.0), Point::new(1.0, 1.0)).is_none());
        assert!(Roi::from_alignment(Point::new(f64::NAN, 1.0), Point::new(1.0, 9.0)).is_none());
    }
}
