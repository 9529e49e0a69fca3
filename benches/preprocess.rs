//! Crop/warp of a decoded frame into the square model input (`pose::crop::Cropper::crop`).
//!
//! Cases: a 1080x1920 portrait phone frame stored rotated (stored 1920x1080, `rotation_cw` 90), an
//! upright 720x1280 frame and a 2160x3840 (4K) portrait frame stored rotated, each into 256
//! (Thunder) and 192 (Lightning) squares, for the whole-frame crop (first frame / lost track) and a
//! tracked person crop (the usual case).
//!
//! `crop_alt_roi_intarea/*` is an experiment, not library code: the same warp, but the area
//! downscale is done only on the part of the stored frame the crop covers and by an integer factor
//! (OpenCV's fast INTER_AREA path), to size what such a change in `Cropper::crop` would save. Its
//! mean absolute difference from the library's output is printed once per case.
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use kneetrack::pose::crop::{compose, CropSquare, Cropper};
use kneetrack::video::Orientation;
use opencv::core::{self, Mat, Rect, Scalar, Size, CV_8UC3};
use opencv::imgproc;
use opencv::prelude::*;
use std::hint::black_box;

/// A stored BGR frame: smooth picture-like shading plus deterministic pixel noise (so the warp
/// reads real data and the experiment's difference from the library is meaningful).
fn noise_frame(width: i32, height: i32) -> Mat {
    let mut m = Mat::new_rows_cols_with_default(height, width, CV_8UC3, Scalar::all(0.0))
        .unwrap_or_else(|e| panic!("allocating {width}x{height} frame: {e}"));
    let mut state: u32 = 0x9e37_79b9;
    let w = width as usize;
    if let Ok(bytes) = m.data_bytes_mut() {
        for (i, b) in bytes.iter_mut().enumerate() {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let (px, ch) = (i / 3, i % 3);
            let (x, y) = ((px % w) as f64, (px / w) as f64);
            let shade = 128.0 + 60.0 * (x / (37.0 + 9.0 * ch as f64)).sin() * (y / 53.0).cos();
            *b = (shade + ((state >> 24) as f64 - 128.0) / 16.0).clamp(0.0, 255.0) as u8;
        }
    }
    m
}

/// A person-sized square around the hips, as MoveNet's tracker produces: 70% of the display
/// height, centred horizontally, a bit below the middle.
fn tracked_crop(display_w: u32, display_h: u32) -> CropSquare {
    let size = 0.7 * display_h as f64;
    CropSquare {
        x0: (display_w as f64 - size) / 2.0,
        y0: 0.55 * display_h as f64 - size / 2.0,
        size,
    }
}

fn rotated(stored_width: u32, stored_height: u32) -> Orientation {
    Orientation {
        rotation_cw: 90,
        stored_width,
        stored_height,
    }
}

/// Experiment: area-downscale only the crop's bounding box in the stored frame, by an integer
/// factor, then warp. Same output geometry as `Cropper::crop`.
fn alt_crop(
    stored: &Mat,
    orientation: &Orientation,
    crop: CropSquare,
    side: i32,
    small: &mut Mat,
    out: &mut Mat,
) -> opencv::Result<()> {
    let scale = crop.size / side as f64;
    let to_display = [
        [scale, 0.0, crop.x0 + 0.5 * scale - 0.5],
        [0.0, scale, crop.y0 + 0.5 * scale - 0.5],
    ];
    let mut to_source = compose(orientation.display_to_stored(), to_display);
    let k = (scale / 2.0).ceil() as i32;
    let m;
    if k > 1 {
        let map = |x: f64, y: f64| {
            let t = &to_source;
            (
                t[0][0] * x + t[0][1] * y + t[0][2],
                t[1][0] * x + t[1][1] * y + t[1][2],
            )
        };
        let s = side as f64;
        let corners = [map(-0.5, -0.5), map(s, -0.5), map(-0.5, s), map(s, s)];
        let margin = 2.0 * k as f64;
        let lo = |f: fn(&(f64, f64)) -> f64| {
            corners.iter().map(f).fold(f64::INFINITY, f64::min) - margin
        };
        let hi = |f: fn(&(f64, f64)) -> f64| {
            corners.iter().map(f).fold(f64::NEG_INFINITY, f64::max) + margin
        };
        let x0 = lo(|c| c.0).floor().max(0.0) as i32;
        let y0 = lo(|c| c.1).floor().max(0.0) as i32;
        let x1 = (hi(|c| c.0).ceil() as i32).min(stored.cols());
        let y1 = (hi(|c| c.1).ceil() as i32).min(stored.rows());
        // Whole multiples of k so that OpenCV takes its integer-factor INTER_AREA path.
        let w = ((x1 - x0) / k * k).max(k);
        let h = ((y1 - y0) / k * k).max(k);
        let roi = Mat::roi(stored, Rect::new(x0, y0, w, h))?;
        imgproc::resize(
            &roi,
            small,
            Size::new(w / k, h / k),
            0.0,
            0.0,
            imgproc::INTER_AREA,
        )?;
        let inv = 1.0 / k as f64;
        let to_small = [
            [inv, 0.0, (0.5 - x0 as f64) * inv - 0.5],
            [0.0, inv, (0.5 - y0 as f64) * inv - 0.5],
        ];
        to_source = compose(to_small, to_source);
        m = Mat::from_slice_2d(&to_source)?;
        imgproc::warp_affine(
            small,
            out,
            &m,
            Size::new(side, side),
            imgproc::INTER_LINEAR | imgproc::WARP_INVERSE_MAP,
            core::BORDER_CONSTANT,
            Scalar::all(0.0),
        )
    } else {
        m = Mat::from_slice_2d(&to_source)?;
        imgproc::warp_affine(
            stored,
            out,
            &m,
            Size::new(side, side),
            imgproc::INTER_LINEAR | imgproc::WARP_INVERSE_MAP,
            core::BORDER_CONSTANT,
            Scalar::all(0.0),
        )
    }
}

fn mean_abs_diff(a: &Mat, b: &Mat) -> f64 {
    let mut d = Mat::default();
    if core::absdiff(a, b, &mut d).is_err() {
        return f64::NAN;
    }
    core::mean_def(&d).map_or(f64::NAN, |m| (m[0] + m[1] + m[2]) / 3.0)
}

fn bench_crop(c: &mut Criterion) {
    let cases = [
        (
            "portrait1080x1920_rot90",
            noise_frame(1920, 1080),
            rotated(1920, 1080),
        ),
        (
            "upright720x1280",
            noise_frame(720, 1280),
            Orientation::upright(720, 1280),
        ),
        (
            "portrait2160x3840_rot90",
            noise_frame(3840, 2160),
            rotated(3840, 2160),
        ),
    ];
    eprintln!("OpenCV threads: {:?}", core::get_num_threads());
    let crops = |orientation: &Orientation| {
        let (w, h) = orientation.display_size();
        [
            ("whole", CropSquare::whole_frame(w, h)),
            ("tracked", tracked_crop(w, h)),
        ]
    };
    let mut group = c.benchmark_group("crop");
    group.sample_size(20);
    for (label, frame, orientation) in &cases {
        for (crop_label, crop) in crops(orientation) {
            for side in [256, 192] {
                let mut cropper = Cropper::default();
                let id = BenchmarkId::new(format!("{label}/{crop_label}"), side);
                group.bench_with_input(id, &side, |b, &side| {
                    b.iter(|| {
                        cropper
                            .crop(black_box(frame), orientation, crop, side)
                            .unwrap_or_else(|e| panic!("crop failed: {e}"));
                        black_box(&cropper.output);
                    })
                });
            }
        }
    }
    group.finish();

    let mut alt = c.benchmark_group("crop_alt_roi_intarea");
    alt.sample_size(20);
    for (label, frame, orientation) in &cases {
        for (crop_label, crop) in crops(orientation) {
            for side in [256, 192] {
                let mut cropper = Cropper::default();
                let (mut small, mut out) = (Mat::default(), Mat::default());
                let reference = cropper.crop(frame, orientation, crop, side);
                let experiment = alt_crop(frame, orientation, crop, side, &mut small, &mut out);
                if let Err(e) = reference
                    .map_err(|e| e.to_string())
                    .and(experiment.map_err(|e| e.to_string()))
                {
                    eprintln!("skipping experiment {label}/{crop_label}/{side}: {e}");
                    continue;
                }
                eprintln!(
                    "{label}/{crop_label}/{side}: experiment vs library mean |diff| = {:.2} levels",
                    mean_abs_diff(&out, &cropper.output)
                );
                let id = BenchmarkId::new(format!("{label}/{crop_label}"), side);
                alt.bench_with_input(id, &side, |b, &side| {
                    b.iter(|| {
                        alt_crop(
                            black_box(frame),
                            orientation,
                            crop,
                            side,
                            &mut small,
                            &mut out,
                        )
                        .unwrap_or_else(|e| panic!("alt crop failed: {e}"));
                        black_box(&out);
                    })
                });
            }
        }
    }
    alt.finish();
}

criterion_group!(benches, bench_crop);
criterion_main!(benches);
