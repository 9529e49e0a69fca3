//! Keypoint tracks cleaned before any angle is taken.
use super::Observation;
use crate::assess::signal::{self, Series};
use crate::assess::thresholds::Thresholds;
use crate::geometry::{Joint, Keypoint, Pose};

const SMOOTHED: [Joint; 12] = [
    Joint::LeftShoulder,
    Joint::RightShoulder,
    Joint::LeftHip,
    Joint::RightHip,
    Joint::LeftKnee,
    Joint::RightKnee,
    Joint::LeftAnkle,
    Joint::RightAnkle,
    Joint::LeftHeel,
    Joint::RightHeel,
    Joint::LeftToe,
    Joint::RightToe,
];

/// Effective sample rate from the frame times (robust to variable frame rate), else `fallback`.
pub(crate) fn sample_rate(obs: &[Observation], fallback: f64) -> f64 {
    let dts = obs
        .windows(2)
        .map(|w| w[1].t_s - w[0].t_s)
        .filter(|d| *d > 0.0);
    match signal::median(dts) {
        Some(dt) if dt > 0.0 => 1.0 / dt,
        _ => fallback,
    }
}

/// The clip's own frame rate, from frame times and indices: the pose rate times the step between
/// posed frames (the same as [`sample_rate`] where every frame is posed), else `fallback`.
pub(crate) fn frame_rate(obs: &[Observation], fallback: f64) -> f64 {
    let rates = obs.windows(2).filter_map(|w| {
        let dt = w[1].t_s - w[0].t_s;
        let steps = w[1].index.checked_sub(w[0].index)?;
        (dt > 0.0 && steps > 0).then(|| steps as f64 / dt)
    });
    signal::median(rates).unwrap_or(fallback)
}

/// Why a bout posed at `fs` Hz cannot be measured (below `min_measurable_fps`), if so. `fs` is
/// the rate of poses, which is what the measurement sees (`--pose-rate` never thins below 15).
pub(crate) fn too_slow_to_measure(obs: &[Observation], fs: f64, th: &Thresholds) -> Option<String> {
    if obs.len() < 2 || fs >= th.min_measurable_fps {
        return None;
    }
    Some(format!(
        "The frame rate is too low to measure ({fs:.0} fps; at least {:.0} needed): the keypoint jitter cannot be filtered out and the bottom of a quick rep falls between frames. Film at 30 fps.",
        th.min_measurable_fps
    ))
}

/// The keypoint low-pass cut-off at `fs`: `smoothing_cutoff_hz`, lowered to 0.4 × `fs` where the
/// rate is too low for it (a zero-phase Butterworth needs its cut-off well below half the rate;
/// at 12–13 fps 6 Hz is not, and the filter would be skipped altogether).
fn cutoff_hz(fs: f64, th: &Thresholds) -> f64 {
    th.smoothing_cutoff_hz.min(0.4 * fs)
}

/// Cleans each joint's track: spikes out, short gaps bridged, jitter low-passed.
pub fn smooth_poses(obs: &[Observation], fs: f64, th: &Thresholds, frame_height: f64) -> Vec<Pose> {
    let mut out: Vec<Pose> = obs.iter().map(|_| Pose::default()).collect();
    let cutoff = cutoff_hz(fs, th);
    let max_gap = (th.max_gap_s * fs).round().max(1.0) as usize;
    let half_window = ((0.15 * fs).round() as usize).max(2);
    for joint in SMOOTHED {
        let seen: Vec<bool> = obs
            .iter()
            .map(|o| o.pose.confident(joint, th.min_keypoint_score).is_some())
            .collect();
        let axis = |f: fn(&Keypoint) -> f64| -> Series {
            obs.iter()
                .zip(&seen)
                .map(|(o, &s)| s.then(|| f(&o.pose.get(joint))))
                .collect()
        };
        let clean = |s: Series| {
            let s = signal::reject_outliers(&s, half_window, 4.0, 0.01 * frame_height);
            let s = signal::fill_short_gaps(&s, max_gap);
            signal::smooth(&s, cutoff, fs)
        };
        let xs = clean(axis(|k| k.x));
        let ys = clean(axis(|k| k.y));
        for (i, pose) in out.iter_mut().enumerate() {
            if let (Some(x), Some(y)) = (xs[i], ys[i]) {
                let score = obs[i].pose.get(joint).score.max(th.min_keypoint_score);
                pose.set(joint, Keypoint { x, y, score });
            }
        }
    }
    out
}
