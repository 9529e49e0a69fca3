//! Square crops of the display frame, warped straight from the stored frame into the model input.
//!
//! One affine warp does crop + scale + rotation, so a portrait phone clip is never rotated in full
//! and the only full-frame work is an optional area downscale that keeps small crops from aliasing.
use crate::error::{Error, Result};
use crate::geometry::Point;
use crate::video::Orientation;
use opencv::core::{self, Mat, Rect, Scalar, Size};
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
    ///
    /// A crop much bigger than `side` is first area-downscaled, but only the part of the stored
    /// frame it covers and by a whole factor: OpenCV's integer-factor `INTER_AREA` path is several
    /// times faster than a fractional one over the whole frame (BENCHMARKS.md, preprocess).
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
        let factor = (scale / MAX_WARP_MINIFICATION).ceil() as i32;
        let mut source = stored;
        if factor > 1 {
            let frame = Rect::new(0, 0, stored.cols(), stored.rows());
            let Some(area) = covered_area(&to_source, side, factor, frame) else {
                // The crop misses the frame: all padding.
                self.output =
                    Mat::new_rows_cols_with_default(side, side, stored.typ(), Scalar::all(0.0))
                        .map_err(Error::opencv)?;
                return Ok(());
            };
            let roi = Mat::roi(stored, area).map_err(Error::opencv)?;
            let small = Size::new((area.width / factor).max(1), (area.height / factor).max(1));
            imgproc::resize(
                &roi,
                &mut self.downscaled,
                small,
                0.0,
                0.0,
                imgproc::INTER_AREA,
            )
            .map_err(Error::opencv)?;
            let sx = small.width as f64 / area.width as f64;
            let sy = small.height as f64 / area.height as f64;
            // Stored pixel centres map to downscaled ones as (x - x0 + 0.5) * s - 0.5.
            let to_small = [
                [sx, 0.0, (0.5 - area.x as f64) * sx - 0.5],
                [0.0, sy, (0.5 - area.y as f64) * sy - 0.5],
            ];
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

/// The part of `frame` that the `side`×`side` output reads through `to_source`, with a margin for
/// the interpolation, widened to whole multiples of `factor` where the frame has room (so the
/// downscale stays on OpenCV's integer path); `None` when the crop misses the frame.
fn covered_area(to_source: &[[f64; 3]; 2], side: i32, factor: i32, frame: Rect) -> Option<Rect> {
    let s = side as f64;
    let corners =
        [(-0.5, -0.5), (s, -0.5), (-0.5, s), (s, s)].map(|(x, y)| apply(*to_source, x, y));
    let margin = 2.0 * factor as f64;
    // The corners' extent along one axis, widened by the margin.
    let extent = |axis: fn(&Point) -> f64| {
        corners
            .iter()
            .map(axis)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v - margin), hi.max(v + margin))
            })
    };
    let (min_x, max_x) = extent(|c| c.x);
    let (min_y, max_y) = extent(|c| c.y);
    let span = |lo: f64, hi: f64, limit: i32| -> Option<(i32, i32)> {
        let lo = (lo.floor().max(0.0) as i64).min(limit as i64) as i32;
        let hi = (hi.ceil().min(limit as f64) as i64).max(0) as i32;
        if hi <= lo {
            return None;
        }
        // Rounding up may run past the frame; then round down instead, which leaves out fewer
        // than `factor` pixels at the frame's edge (under half a model pixel, read as padding).
        let whole = (hi - lo + factor - 1) / factor * factor;
        let len = if whole <= limit {
            whole
        } else if limit >= factor {
            limit / factor * factor
        } else {
            limit
        };
        let start = lo.min(limit - len).max(0);
        Some((start, len))
    };
    let (x, width) = span(min_x, max_x, frame.width)?;
    let (y, height) = span(min_y, max_y, frame.height)?;
    Some(Rect::new(x, y, width, height))
}

/// Applies a 2×3 affine map to the point (x, y).
pub fn apply(m: [[f64; 3]; 2], x: f64, y: f64) -> Point {
    Point::new(
        m[0][0] * x + m[0][1] * y + m[0][2],
        m[1][0] * x + m[1][1] * y + m[1][2],
    )
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
            pixel_aspect: Default::default(),
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

    /// A stored frame whose blue channel rises linearly along x and green along y: any sound
    /// resampling (area average, bilinear) reproduces a linear ramp exactly, away from the edges.
    fn ramp_frame(width: i32, height: i32) -> Mat {
        let mut m = Mat::new_rows_cols_with_default(height, width, core::CV_8UC3, Scalar::all(0.0))
            .unwrap();
        for y in 0..height {
            for x in 0..width {
                let px = m.at_2d_mut::<core::Vec3b>(y, x).unwrap();
                px[0] = (x as f64 * 250.0 / width as f64) as u8;
                px[1] = (y as f64 * 250.0 / height as f64) as u8;
            }
        }
        m
    }

    /// The largest difference between the crop and the ramp's value at each output pixel's
    /// stored position, over output pixels at least `inset` from the crop's edge.
    fn worst_ramp_error(o: &Orientation, crop: CropSquare, side: i32, inset: i32) -> f64 {
        let stored = ramp_frame(o.stored_width as i32, o.stored_height as i32);
        let mut cropper = Cropper::default();
        cropper.crop(&stored, o, crop, side).unwrap();
        let scale = crop.size / side as f64;
        let t = o.display_to_stored();
        let mut worst: f64 = 0.0;
        for i in inset..side - inset {
            for j in inset..side - inset {
                let (dx, dy) = (
                    crop.x0 + (j as f64 + 0.5) * scale - 0.5,
                    crop.y0 + (i as f64 + 0.5) * scale - 0.5,
                );
                let at = apply(t, dx, dy);
                let want_b = at.x * 250.0 / o.stored_width as f64;
                let want_g = at.y * 250.0 / o.stored_height as f64;
                let got = cropper.output.at_2d::<core::Vec3b>(i, j).unwrap();
                worst = worst
                    .max((got[0] as f64 - want_b).abs())
                    .max((got[1] as f64 - want_g).abs());
            }
        }
        worst
    }

    #[test]
    fn downscaled_crop_reads_the_right_place() {
        // Display 1298x2310 (sizes that are not multiples of the downscale factor), rotated.
        let o = Orientation {
            rotation_cw: 90,
            stored_width: 2310,
            stored_height: 1298,
            pixel_aspect: Default::default(),
        };
        let tracked = CropSquare {
            x0: 200.0,
            y0: 700.0,
            size: 1100.0,
        };
        assert!(worst_ramp_error(&o, tracked, 192, 2) < 2.5);
        let nearly_whole_width = CropSquare {
            x0: 3.0,
            y0: 900.0,
            size: 1293.0,
        };
        assert!(worst_ramp_error(&o, nearly_whole_width, 192, 2) < 2.5);
        let upright = Orientation::upright(1298, 2310);
        assert!(worst_ramp_error(&upright, tracked, 256, 2) < 2.5);
    }

    #[test]
    fn crop_off_the_frame_is_padding() {
        let o = Orientation::upright(640, 480);
        let stored = ramp_frame(640, 480);
        let mut cropper = Cropper::default();
        let away = CropSquare {
            x0: 5000.0,
            y0: -9000.0,
            size: 2000.0,
        };
        cropper.crop(&stored, &o, away, 192).unwrap();
        assert_eq!(cropper.output.rows(), 192);
        assert_eq!(
            core::count_non_zero(&cropper.output.reshape(1, 0).unwrap()).unwrap(),
            0
        );
        // Straddling the bottom-right corner, a crop still works and shows the frame's corner.
        let corner = CropSquare {
            x0: 400.0,
            y0: 300.0,
            size: 700.0,
        };
        cropper.crop(&stored, &o, corner, 192).unwrap();
        let inside = cropper.output.at_2d::<core::Vec3b>(10, 10).unwrap();
        assert!(inside[0] > 150 && inside[1] > 150, "{inside:?}");
        let outside = cropper.output.at_2d::<core::Vec3b>(180, 180).unwrap();
        assert_eq!(outside[0], 0);
    }
}
