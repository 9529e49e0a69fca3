//! Squat repetitions from the hip-height signal.
//!
//! `depth` is how far the hips are below their standing height, in leg lengths, already low-pass
//! filtered. A rep is a excursion above a hysteresis band: it begins when depth rises through the
//! upper level and ends when it falls back under the lower one, which ignores jitter at either level.
use serde::Serialize;

/// Frame indices (into the analysed series) of one rep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RepSpan {
    pub start: usize,
    pub bottom: usize,
    pub end: usize,
}

/// Finds reps in `depth` (sampled at `times`, seconds). `min_depth` is the smallest hip drop that
/// counts as a squat; shorter-than-`min_duration_s` excursions are dropped as noise.
pub fn segment_reps(
    depth: &[Option<f64>],
    times: &[f64],
    min_depth: f64,
    min_duration_s: f64,
) -> Vec<RepSpan> {
    let values: Vec<f64> = depth.iter().flatten().copied().collect();
    let Some(deep) = crate::signal::percentile(values.iter().copied(), 98.0) else {
        return Vec::new();
    };
    if deep < min_depth {
        return Vec::new();
    }
    // Levels relative to this clip's own depth, so shallow and deep squatters both segment.
    let upper = (0.5 * deep).max(min_depth);
    let lower = 0.4 * upper;
    let mut reps = Vec::new();
    let mut i = 0;
    let n = depth.len();
    while i < n {
        if depth[i].is_none_or(|d| d < upper) {
            i += 1;
            continue;
        }
        // Walk back to where the descent started (depth under the lower level, or a gap).
        let mut start = i;
        while start > 0 && depth[start - 1].is_some_and(|d| d >= lower) {
            start -= 1;
        }
        if start > 0 && depth[start - 1].is_some() {
            start -= 1;
        }
        // Walk forward to where the ascent ends.
        let mut end = i;
        while end + 1 < n && depth[end + 1].is_some_and(|d| d >= lower) {
            end += 1;
        }
        let ended_cleanly = end + 1 < n && depth[end + 1].is_some();
        if ended_cleanly {
            end += 1;
        }
        let bottom = (start..=end)
            .filter(|&k| depth[k].is_some())
            .max_by(|&a, &b| depth[a].unwrap_or(0.0).total_cmp(&depth[b].unwrap_or(0.0)))
            .unwrap_or(i);
        let began_cleanly = start < i && depth[start].is_some_and(|d| d < lower);
        let long_enough = times[end] - times[start] >= min_duration_s;
        // A rep cut by the clip's start or end, or by a long gap, cannot be judged as a whole.
        if long_enough && began_cleanly && ended_cleanly {
            reps.push(RepSpan { start, bottom, end });
        }
        i = end + 1;
    }
    reps
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `reps` cosine dips of `depth` separated by standing pauses, at `fps`.
    fn squats(reps: usize, depth: f64, fps: f64) -> (Vec<Option<f64>>, Vec<f64>) {
        let mut d = vec![0.0; (fps * 1.0) as usize];
        for _ in 0..reps {
            let n = (fps * 2.0) as usize;
            d.extend((0..n).map(|k| {
                depth * 0.5 * (1.0 - (2.0 * std::f64::consts::PI * k as f64 / n as f64).cos())
            }));
            d.extend(std::iter::repeat_n(0.0, (fps * 0.7) as usize));
        }
        let t = (0..d.len()).map(|k| k as f64 / fps).collect();
        (d.into_iter().map(Some).collect(), t)
    }

    #[test]
    fn counts_reps_and_finds_bottoms() {
        for fps in [30.0, 60.0, 120.0] {
            let (d, t) = squats(5, 0.2, fps);
            let reps = segment_reps(&d, &t, 0.06, 0.4);
            assert_eq!(reps.len(), 5, "fps {fps}");
            for (k, r) in reps.iter().enumerate() {
                let expected_bottom = 1.0 + k as f64 * 2.7 + 1.0;
                assert!(
                    (t[r.bottom] - expected_bottom).abs() < 0.05,
                    "rep {k} bottom at {}",
                    t[r.bottom]
                );
                assert!(r.start < r.bottom && r.bottom < r.end);
            }
        }
    }

    #[test]
    fn standing_still_has_no_reps() {
        let d: Vec<Option<f64>> = (0..300)
            .map(|k| Some(0.01 * ((k % 7) as f64 / 7.0)))
            .collect();
        let t: Vec<f64> = (0..300).map(|k| k as f64 / 30.0).collect();
        assert!(segment_reps(&d, &t, 0.06, 0.4).is_empty());
    }

    #[test]
    fn rep_cut_by_clip_end_is_dropped() {
        let (mut d, t) = squats(2, 0.2, 30.0);
        let cut = 30 + 60 + 21 + 30; // in the middle of the second rep's descent/bottom
        d.truncate(cut);
        let reps = segment_reps(&d, &t[..cut], 0.06, 0.4);
        assert_eq!(reps.len(), 1);
    }
}
