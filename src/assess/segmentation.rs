//! Squat repetitions from the hip-height signal.
//!
//! `depth` is how far the hips are below their standing height, in leg lengths, already low-pass
//! filtered. Reps are found with a peak/valley detector that needs a rise and a fall of at least
//! `delta` on each side of a bottom, so a standing height that drifts between reps (a shifted
//! stance, a camera bump) neither hides a rep nor invents one.
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
    let (Some(deep), Some(standing)) = (
        crate::assess::signal::percentile(values.iter().copied(), 98.0),
        crate::assess::signal::percentile(values.iter().copied(), 5.0),
    ) else {
        return Vec::new();
    };
    if deep - standing < min_depth {
        return Vec::new();
    }
    // A rep must dip by a good share of this clip's own range, so shallow and deep squatters both
    // segment and jitter at either level does not split a rep.
    let delta = (0.4 * (deep - standing)).max(0.5 * min_depth);
    let mut reps = Vec::new();
    let mut i = 0;
    while i < depth.len() {
        // Each gap-free run is segmented on its own: a rep is never bridged across a long gap.
        if depth[i].is_none() {
            i += 1;
            continue;
        }
        let start = i;
        while i < depth.len() && depth[i].is_some() {
            i += 1;
        }
        let run: Vec<f64> = depth[start..i].iter().flatten().copied().collect();
        for (a, b, c) in peaks_between_valleys(&run, delta) {
            let span = RepSpan {
                start: start + movement_start(&run, a, b, true),
                bottom: start + b,
                end: start + movement_start(&run, c, b, false),
            };
            let deep_enough = run[b] - standing >= min_depth;
            let long_enough = times[span.end] - times[span.start] >= min_duration_s;
            if deep_enough && long_enough {
                reps.push(span);
            }
        }
    }
    reps
}

/// (valley, peak, valley) index triples where the peak rises at least `delta` above both valleys.
/// The run's first and last samples count as valleys, so a rep cut by the clip edge is kept only if
/// the clip still shows a full `delta` of its descent and ascent.
fn peaks_between_valleys(x: &[f64], delta: f64) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut valley = 0;
    let mut peak: Option<usize> = None;
    for i in 1..x.len() {
        match peak {
            None => {
                if x[i] < x[valley] {
                    valley = i;
                } else if x[i] >= x[valley] + delta {
                    peak = Some(i);
                }
            }
            Some(p) => {
                if x[i] > x[p] {
                    peak = Some(i);
                } else if x[i] <= x[p] - delta {
                    // Follow the fall to its valley before closing the rep.
                    let mut v = i;
                    while v + 1 < x.len() && x[v + 1] <= x[v] {
                        v += 1;
                    }
                    out.push((valley, p, v));
                    valley = v;
                    peak = None;
                }
            }
        }
    }
    out
}

/// Where the movement between a valley and the peak begins (or, going forward, ends): the frame
/// nearest the valley that is 10% of the way up to the peak, so standing pauses are not counted.
fn movement_start(x: &[f64], valley: usize, peak: usize, before: bool) -> usize {
    let level = x[valley] + 0.1 * (x[peak] - x[valley]);
    if before {
        (valley..=peak)
            .rev()
            .find(|&k| x[k] <= level)
            .unwrap_or(valley)
    } else {
        (peak..=valley).find(|&k| x[k] <= level).unwrap_or(valley)
    }
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
    fn standing_height_shifting_between_reps_is_fine() {
        let (mut d, t) = squats(3, 0.1, 30.0);
        // Standing 0.035 lower during the first second than later (a shifted stance).
        for v in d.iter_mut().take(30) {
            *v = Some(0.035);
        }
        assert_eq!(segment_reps(&d, &t, 0.06, 0.4).len(), 3);
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
