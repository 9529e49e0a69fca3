//! `assess::assess` (smoothing, per-frame metrics, stance, reps, verdict) on a synthetic 60 s,
//! 30 fps single-leg squat keypoint sequence with 5 reps: the cost of everything after the model.
use criterion::{criterion_group, criterion_main, Criterion};
use kneetrack::Thresholds;
use kneetrack::{assess, Observation};
use kneetrack::{Joint, Keypoint, Pose};
use std::f64::consts::PI;
use std::hint::black_box;

const FPS: f64 = 30.0;
const SECONDS: f64 = 60.0;
const REPS: usize = 5;
/// Display frame height the keypoints live in (a 720x1280 portrait clip).
const FRAME_HEIGHT: f64 = 1280.0;

/// Squat phase 0 (standing) .. 1 (bottom) at time `t`: 5 reps of 3 s each, evenly spread over the
/// minute with standing in between (as a real clip: lead-in, reps, pauses, tail).
fn phase(t: f64) -> f64 {
    let slot = SECONDS / REPS as f64;
    let rep_s = 3.0;
    let into = t % slot - (slot - rep_s) / 2.0;
    if (0.0..rep_s).contains(&into) {
        0.5 * (1.0 - (2.0 * PI * into / rep_s).cos())
    } else {
        0.0
    }
}

/// A right-leg single-leg squatter seen from the front (stance leg on the image left), 12° peak
/// knee valgus, with a little deterministic keypoint jitter as a model would give.
fn observations() -> Vec<Observation> {
    let n = (SECONDS * FPS) as usize;
    let mut rng: u64 = 0x2545_f491_4f6c_dd1d;
    let mut jitter = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        ((rng >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 3.0
    };
    (0..n)
        .map(|i| {
            let t = i as f64 / FPS;
            let s = phase(t);
            let mut kp = |x: f64, y: f64| Keypoint {
                x: x + jitter(),
                y: y + jitter(),
                score: 0.85,
            };
            let hip_y = 560.0 + 120.0 * s;
            let (stance_hip, free_hip) = ((330.0, hip_y), (420.0, hip_y + 4.0 * s));
            let ankle = (330.0, 1000.0);
            let half = (ankle.1 - stance_hip.1) / 2.0;
            let dx = half * (12.0 * s).to_radians().tan();
            let (shx, shy) = (375.0, hip_y - 300.0);
            let mut p = Pose::default();
            let joints = [
                (Joint::Nose, kp(shx, shy - 120.0)),
                (Joint::LeftEye, kp(shx + 12.0, shy - 132.0)),
                (Joint::RightEye, kp(shx - 12.0, shy - 132.0)),
                (Joint::LeftEar, kp(shx + 30.0, shy - 125.0)),
                (Joint::RightEar, kp(shx - 30.0, shy - 125.0)),
                (Joint::LeftShoulder, kp(shx + 75.0, shy)),
                (Joint::RightShoulder, kp(shx - 75.0, shy)),
                (Joint::LeftElbow, kp(shx + 110.0, shy + 130.0)),
                (Joint::RightElbow, kp(shx - 110.0, shy + 130.0)),
                (Joint::LeftWrist, kp(shx + 60.0, shy + 280.0)),
                (Joint::RightWrist, kp(shx - 60.0, shy + 280.0)),
                (Joint::RightHip, kp(stance_hip.0, stance_hip.1)),
                (Joint::LeftHip, kp(free_hip.0, free_hip.1)),
                (Joint::RightKnee, kp(330.0 + dx, stance_hip.1 + half)),
                (Joint::RightAnkle, kp(ankle.0, ankle.1)),
                (Joint::LeftKnee, kp(440.0, free_hip.1 + 180.0)),
                (Joint::LeftAnkle, kp(470.0, free_hip.1 + 300.0)),
            ];
            for (j, k) in joints {
                p.set(j, k);
            }
            Observation {
                index: i as u64,
                t_s: t,
                pose: p,
            }
        })
        .collect()
}

fn bench_assess(c: &mut Criterion) {
    let obs = observations();
    let th = Thresholds::default();
    let a = assess(&obs, FPS, FRAME_HEIGHT, &th);
    eprintln!(
        "assess on {} frames: verdict {}, {} reps, {} frame metrics",
        obs.len(),
        a.verdict.label(),
        a.reps.len(),
        a.frames.len()
    );
    let mut group = c.benchmark_group("assess");
    group.sample_size(20);
    group.bench_function("60s_30fps_5reps", |b| {
        b.iter(|| black_box(assess(black_box(&obs), FPS, FRAME_HEIGHT, &th)))
    });
    group.finish();
}

criterion_group!(benches, bench_assess);
criterion_main!(benches);
