//! Crop/warp of a decoded frame into the square model input (`pose::crop::Cropper::crop`).
//!
//! Cases: a 1080x1920 portrait phone frame stored rotated (stored 1920x1080, `rotation_cw` 90), an
//! upright 720x1280 frame and a 2160x3840 (4K) portrait frame stored rotated, each into 256
//! (Thunder) and 192 (Lightning) squares, for the whole-frame crop (first frame / lost track) and a
//! tracked person crop (the usual case).
//!
//! The crop area-downscales only the part of the stored frame it covers, by a whole factor; before
//! 2026-11-29 it downscaled the whole frame by a fractional one (BENCHMARKS.md has both).
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use kneetrack::Orientation;
use kneetrack::{CropSquare, Cropper};
use opencv::core::{self, Mat, Scalar, CV_8UC3};
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
        pixel_aspect: Default::default(),
    }
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
}

criterion_group!(benches, bench_crop);
criterion_main!(benches);
