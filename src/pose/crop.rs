//! Square crops of the display frame, warped straight from the stored frame into the model input.
//!
//! One affine warp does crop + scale + rotation, so a portrait phone clip is never rotated in full
//! and the only full-frame work is an optional area downscale that keeps small crops from aliasing.
use crate::error::{Error, Result};
use crate::geometry::Point;
use crate::video::Orientation;
use opencv::core::{self, Mat, Scalar, Size};
use opencv::imgproc;
use opencv::prelude::*;

/// A square region of the display frame, in display pixels; it may extend past the frame edges
/// (the outside is padded black, as MoveNet's reference crop does).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CropSquare {
    pub x0: f64,
    pub y0: f64,
    pub size: f64,
}

impl CropSquare {
    /// The square centred on the frame that covers it whole (MoveNet's `init_crop_region`).
    pub fn whole_frame(width: u32, height: u32) -> Self {
        let (w, h) = (width as f64, height as f64);
        let size = w.max(h);
        CropSquare {
            x0: (w - size) / 2.0,
            y0: (h - size) / 2.0,
            size,
        }
    }

    /// Maps a point given in crop-normalised coordinates (0..1) back to display pixels.
    pub fn to_display(&self, nx: f64, ny: f64) -> Point {
        Point::new(self.x0 + nx * self.size, self.y0 + ny * self.size)
    }
}

/// Reusable buffers for cropping frames into a model's square input.
#[derive(Default)]
pub struct Cropper {
    downscaled: Mat,
    pub output: Mat,
}

/// Crops bigger than this many model-input widths per source pixel get an area downscale first.
const MAX_WARP_MINIFICATION: f64 = 2.0;

impl Cropper {
    /// Fills `self.output` (BGR, `side`×`side`) with `crop` of the display frame, reading the stored
    /// (unrotated) frame `stored` of orientation `orientation`.
    pub fn crop(
        &mut self,
        stored: &Mat,
        orientation: &Orientation,
        crop: CropSquare,
        side: i32,
    ) -> Result<()> {
        // dst pixel (j, i) → display point: crop origin + (j + 0.5) * scale - 0.5.
        let scale = crop.size / side as f64;
        let to_display = [
            [scale, 0.0, crop.x0 + 0.5 * scale - 0.5],
            [0.0, scale, crop.y0 + 0.5 * scale - 0.5],
        ];
        let mut to_source = compose(orientation.display_to_stored(), to_display);
        let mut source = stored;
        let factor = scale / MAX_WARP_MINIFICATION;
        if factor > 1.0 {
            let w = ((stored.cols() as f64) / factor).round().max(1.0) as i32;
            let h = ((stored.rows() as f64) / factor).round().max(1.0) as i32;
            imgproc::resize(
                stored,
                &mut self.downscaled,
                Size::new(w, h),
                0.0,
                0.0,
                imgproc::INTER_AREA,
            )
            .map_err(Error::opencv)?;
            let sx = w as f64 / stored.cols() as f64;
            let sy = h as f64 / stored.rows() as f64;
            // Stored pixel centres map to downscaled ones as (x + 0.5) * s - 0.5.
            let to_small = [[sx, 0.0, 0.5 * sx - 0.5], [0.0, sy, 0.5 * sy - 0.5]];
            to_source = compose(to_small, to_source);
            source = &self.downscaled;
        }
        let m = Mat::from_slice_2d(&to_source).map_err(Error::opencv)?;
        imgproc::warp_affine(
            source,
            &mut self.output,
            &m,
            Size::new(side, side),
            imgproc::INTER_LINEAR | imgproc::WARP_INVERSE_MAP,
            core::BORDER_CONSTANT,
            Scalar::all(0.0),
        )
        .map_err(Error::opencv)
    }
}

/// `a ∘ b` for 2×3 affine maps: first `b`, then `a`.
pub fn compose(a: [[f64; 3]; 2], b: [[f64; 3]; 2]) -> [[f64; 3]; 2] {
    let mut out = [[0.0; 3]; 2];
    for r in 0..2 {
        for c in 0..3 {
            out[r][c] = a[r][0] * b[0][c] + a[r][1] * b[1][c];
        }
        out[r][2] += a[r][2];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_frame_square_is_centred() {
        let c = CropSquare::whole_frame(720, 1280);
        assert_eq!(
            c,
            CropSquare {
                x0: -280.0,
                y0: 0.0,
                size: 1280.0
            }
        );
        assert_eq!(c.to_display(0.5, 0.5), Point::new(360.0, 640.0));
    }

    #[test]
    fn compose_applies_right_map_first() {
        let shift = [[1.0, 0.0, 10.0], [0.0, 1.0, 0.0]];
        let double = [[2.0, 0.0, 0.0], [0.0, 2.0, 0.0]];
        // double after shift: x -> 2(x+10)
        assert_eq!(compose(double, shift), [[2.0, 0.0, 20.0], [0.0, 2.0, 0.0]]);
    }

    #[test]
    fn crop_of_rotated_frame_reads_the_right_pixels() {
        // Stored 40x20 frame, white block in stored top-left corner. With a 90° clockwise display
        // rotation the block shows in the display top-right corner.
        let mut stored =
            Mat::new_rows_cols_with_default(20, 40, core::CV_8UC3, Scalar::all(0.0)).unwrap();
        imgproc::rectangle(
            &mut stored,
            core::Rect::new(0, 0, 10, 10),
            Scalar::all(255.0),
            -1,
            imgproc::LINE_8,
            0,
        )
        .unwrap();
        let o = Orientation {
            rotation_cw: 90,
            stored_width: 40,
            stored_height: 20,
        };
        let mut cropper = Cropper::default();
        // Display is 20 wide, 40 high: take its top 20x20 square at full resolution.
        cropper
            .crop(
                &stored,
                &o,
                CropSquare {
                    x0: 0.0,
                    y0: 0.0,
                    size: 20.0,
                },
                20,
            )
            .unwrap();
        let px = |x: i32, y: i32| cropper.output.at_2d::<core::Vec3b>(y, x).unwrap()[0];
        assert_eq!(px(15, 5), 255, "display top-right must be white");
        assert_eq!(px(5, 5), 0, "display top-left must be black");
    }
}
