//! `PoseEstimator::estimate` (crop + ONNX inference + keypoint decoding) for MoveNet Lightning and
//! Thunder with 1 intra-op thread, on the first frame of samples/valgus.mp4 (a grey 720x1280 frame
//! if the clip is missing). Skips with a message when the ONNX Runtime library or a model is
//! missing.
//!
//! `session_run_1thread/*` times the bare `Session::run` on a fixed int32 input of the model's
//! size (no crop, no conversion, no decoding): the number to set beside Python onnxruntime's
//! (scripts/compare_ort_python.sh), and, subtracted from `estimate_1thread/*`, the cost of the
//! pre/post-processing.
use criterion::{criterion_group, criterion_main, Criterion};
use kneetrack::bench_frame;
use kneetrack::models as catalog;
use kneetrack::{onnx_runtime as runtime, open_session, SessionOptions};
use ndarray::Array4;
use ort::value::TensorRef;
use std::hint::black_box;
use std::path::Path;

const MODELS: [&str; 2] = ["movenet-lightning", "movenet-thunder"];

fn bench_estimate(c: &mut Criterion) {
    if let Err(e) = runtime::environment() {
        eprintln!("skipping inference benches: ONNX Runtime unavailable: {e}");
        return;
    }
    let clip = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/valgus.mp4");
    let (frame, orientation) = match bench_frame(clip.is_file().then_some(clip.as_path())) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("skipping inference benches: no frame: {e}");
            return;
        }
    };
    let mut group = c.benchmark_group("estimate_1thread");
    group.sample_size(20);
    for name in MODELS {
        let choice = match catalog::resolve(name) {
            Ok(c) if c.path.is_file() => c,
            Ok(c) => {
                eprintln!("skipping {name}: {} not found", c.path.display());
                continue;
            }
            Err(e) => {
                eprintln!("skipping {name}: {e}");
                continue;
            }
        };
        let mut estimator = match catalog::open(&choice, SessionOptions { threads: 1 }) {
            Ok(est) => est,
            Err(e) => {
                eprintln!("skipping {name}: {e}");
                continue;
            }
        };
        // The first estimate runs the model twice (whole frame, then the refined crop); settle
        // the tracker so every timed call is the steady-state single run.
        // Every 30th call also looks for another person (one more model run); criterion's mean
        // includes that, as the CLI's `kneetrack bench` does.
        if let Err(e) = (0..3).try_for_each(|_| estimator.estimate(&frame, &orientation).map(drop))
        {
            eprintln!("skipping {name}: {e}");
            continue;
        }
        group.bench_function(name, |b| {
            b.iter(|| {
                black_box(
                    estimator
                        .estimate(black_box(&frame), &orientation)
                        .unwrap_or_else(|e| panic!("estimate failed: {e}")),
                )
            })
        });
    }
    group.finish();
}

fn bench_session_run(c: &mut Criterion) {
    if runtime::environment().is_err() {
        return; // already reported by bench_estimate
    }
    let mut group = c.benchmark_group("session_run_1thread");
    group.sample_size(20);
    for (name, side) in [("movenet-lightning", 192usize), ("movenet-thunder", 256)] {
        let Some(path) = catalog::resolve(name)
            .ok()
            .map(|c| c.path)
            .filter(|p| p.is_file())
        else {
            eprintln!("skipping {name} session_run: model not found");
            continue;
        };
        let mut session = match open_session(&path, SessionOptions { threads: 1 }) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("skipping {name} session_run: {e}");
                continue;
            }
        };
        let input_name = session
            .inputs()
            .first()
            .map(|i| i.name().to_string())
            .unwrap_or_default();
        // Fixed input, the same for every run (pseudo-random 0..255 like a picture).
        let input = Array4::<i32>::from_shape_fn((1, side, side, 3), |(_, y, x, ch)| {
            ((x * 7 + y * 13 + ch * 61) % 256) as i32
        });
        group.bench_function(name, |b| {
            b.iter(|| {
                let tensor = TensorRef::from_array_view(&input)
                    .unwrap_or_else(|e| panic!("input tensor: {e}"));
                let outputs = session
                    .run(ort::inputs![input_name.as_str() => tensor])
                    .unwrap_or_else(|e| panic!("session run: {e}"));
                let (_, data) = outputs[0]
                    .try_extract_tensor::<f32>()
                    .unwrap_or_else(|e| panic!("output: {e}"));
                black_box(data[0]);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_estimate, bench_session_run);
criterion_main!(benches);
