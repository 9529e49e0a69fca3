//! Time-series clean-up: spike rejection, short-gap interpolation and zero-phase low-pass filtering.
//!
//! Keypoints jitter from frame to frame; angles computed from raw keypoints exaggerate peaks. A 4th
//! order Butterworth run forwards and backwards (no phase lag, so rep bottoms stay where they are)
//! at ~6 Hz keeps squat motion (< 2 Hz) and removes most jitter.

/// A sampled series with gaps (`None` where the value was not observed confidently).
pub type Series = Vec<Option<f64>>;

/// Median of finite values; `None` if there are none.
pub fn median(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    percentile(values, 50.0)
}

/// Linear-interpolated percentile (0..=100) of finite values.
pub fn percentile(values: impl IntoIterator<Item = f64>, pct: f64) -> Option<f64> {
    let mut v: Vec<f64> = values.into_iter().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let rank = (pct.clamp(0.0, 100.0) / 100.0) * (v.len() - 1) as f64;
    let lo = rank.floor() as usize;
    let hi = rank.ceil() as usize;
    Some(v[lo] + (v[hi] - v[lo]) * (rank - lo as f64))
}

/// Removes isolated spikes: a sample further than `k` robust standard deviations (1.4826 × MAD)
/// from the median of its ±`half_window` neighbourhood becomes a gap (Hampel filter).
pub fn reject_outliers(series: &Series, half_window: usize, k: f64, min_spread: f64) -> Series {
    let n = series.len();
    let mut out = series.clone();
    for i in 0..n {
        let Some(x) = series[i] else { continue };
        let lo = i.saturating_sub(half_window);
        let hi = (i + half_window + 1).min(n);
        let window: Vec<f64> = series[lo..hi].iter().flatten().copied().collect();
        if window.len() < 3 {
            continue;
        }
        let Some(med) = median(window.iter().copied()) else {
            continue;
        };
        let mad = median(window.iter().map(|v| (v - med).abs())).unwrap_or(0.0);
        let spread = (1.4826 * mad).max(min_spread);
        if (x - med).abs() > k * spread {
            out[i] = None;
        }
    }
    out
}

/// Fills gaps no longer than `max_gap` samples by linear interpolation between their neighbours.
/// Longer gaps, and gaps at the ends, stay empty: we never invent long stretches of motion.
pub fn fill_short_gaps(series: &Series, max_gap: usize) -> Series {
    let mut out = series.clone();
    let mut last: Option<usize> = None;
    for i in 0..series.len() {
        if let Some(y1) = series[i] {
            if let Some(j) = last {
                let gap = i - j - 1;
                if gap > 0 && gap <= max_gap {
                    let y0 = series[j].unwrap_or(y1);
                    for (k, slot) in out.iter_mut().enumerate().take(i).skip(j + 1) {
                        let t = (k - j) as f64 / (i - j) as f64;
                        *slot = Some(y0 + (y1 - y0) * t);
                    }
                }
            }
            last = Some(i);
        }
    }
    out
}

/// One second-order section in transposed direct form II.
#[derive(Debug, Clone, Copy)]
struct Biquad {
    b: [f64; 3],
    a: [f64; 2],
}

impl Biquad {
    /// Low-pass section with quality factor `q` (bilinear transform, pre-warped at the cut-off).
    fn low_pass(cutoff_hz: f64, sample_hz: f64, q: f64) -> Self {
        let w0 = 2.0 * std::f64::consts::PI * cutoff_hz / sample_hz;
        let (sin, cos) = w0.sin_cos();
        let alpha = sin / (2.0 * q);
        let a0 = 1.0 + alpha;
        Biquad {
            b: [
                (1.0 - cos) / 2.0 / a0,
                (1.0 - cos) / a0,
                (1.0 - cos) / 2.0 / a0,
            ],
            a: [-2.0 * cos / a0, (1.0 - alpha) / a0],
        }
    }

    /// Filters in place, starting from the steady state for the first sample (no start-up ramp).
    fn run(&self, x: &mut [f64]) {
        let Some(&first) = x.first() else { return };
        let [b0, b1, b2] = self.b;
        let [a1, a2] = self.a;
        let mut z2 = first * (b2 - a2);
        let mut z1 = first * (b1 - a1) + z2;
        for v in x.iter_mut() {
            let input = *v;
            let y = b0 * input + z1;
            z1 = b1 * input - a1 * y + z2;
            z2 = b2 * input - a2 * y;
            *v = y;
        }
    }
}

/// Zero-phase 4th-order Butterworth low-pass of a gap-free signal. Edges are padded with an odd
/// reflection so that the ends do not droop. Signals too short to filter come back unchanged.
pub fn butterworth_filtfilt(x: &[f64], cutoff_hz: f64, sample_hz: f64) -> Vec<f64> {
    let n = x.len();
    let usable = cutoff_hz.is_finite()
        && sample_hz.is_finite()
        && cutoff_hz > 0.0
        && cutoff_hz < 0.45 * sample_hz;
    if n < 4 || !usable {
        return x.to_vec();
    }
    // The two pole pairs of a 4th-order Butterworth: Q = 1 / (2 cos(π/8)) and 1 / (2 cos(3π/8)).
    let sections = [
        Biquad::low_pass(cutoff_hz, sample_hz, 0.541_196_100_146_197),
        Biquad::low_pass(cutoff_hz, sample_hz, 1.306_562_964_876_377),
    ];
    let pad = ((3.0 * sample_hz / cutoff_hz).ceil() as usize).min(n - 1);
    let mut buf = Vec::with_capacity(n + 2 * pad);
    buf.extend((1..=pad).rev().map(|i| 2.0 * x[0] - x[i]));
    buf.extend_from_slice(x);
    buf.extend((1..=pad).map(|i| 2.0 * x[n - 1] - x[n - 1 - i]));
    for s in &sections {
        s.run(&mut buf);
    }
    buf.reverse();
    for s in &sections {
        s.run(&mut buf);
    }
    buf.reverse();
    buf[pad..pad + n].to_vec()
}

/// Low-pass filters each gap-free run of a gappy series on its own.
pub fn smooth(series: &Series, cutoff_hz: f64, sample_hz: f64) -> Series {
    let mut out = series.clone();
    let mut i = 0;
    while i < series.len() {
        if series[i].is_none() {
            i += 1;
            continue;
        }
        let start = i;
        while i < series.len() && series[i].is_some() {
            i += 1;
        }
        let run: Vec<f64> = series[start..i].iter().flatten().copied().collect();
        for (slot, v) in out[start..i]
            .iter_mut()
            .zip(butterworth_filtfilt(&run, cutoff_hz, sample_hz))
        {
            *slot = Some(v);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(freq: f64, fs: f64, n: usize) -> Vec<f64> {
        (0..n)
            .map(|i| (2.0 * std::f64::consts::PI * freq * i as f64 / fs).sin())
            .collect()
    }

    fn rms(x: &[f64]) -> f64 {
        (x.iter().map(|v| v * v).sum::<f64>() / x.len() as f64).sqrt()
    }

    #[test]
    fn passes_slow_motion_and_removes_jitter() {
        let fs = 30.0;
        let slow = sine(0.5, fs, 300);
        let fast = sine(12.0, fs, 300);
        let mixed: Vec<f64> = slow.iter().zip(&fast).map(|(a, b)| a + 0.3 * b).collect();
        let out = butterworth_filtfilt(&mixed, 6.0, fs);
        let err: Vec<f64> = out.iter().zip(&slow).map(|(a, b)| a - b).collect();
        // 12 Hz is two octaves above 6 Hz: a 4th-order run twice attenuates it ~48 dB.
        assert!(rms(&err[30..270]) < 0.01, "residual {}", rms(&err[30..270]));
    }

    #[test]
    fn zero_phase_keeps_peaks_in_place() {
        let fs = 60.0;
        let x = sine(1.0, fs, 240);
        let y = butterworth_filtfilt(&x, 6.0, fs);
        let argmax = |v: &[f64]| (60..120).max_by(|&a, &b| v[a].total_cmp(&v[b])).unwrap();
        assert_eq!(argmax(&x), argmax(&y));
    }

    #[test]
    fn constant_stays_constant() {
        let y = butterworth_filtfilt(&[5.0; 50], 6.0, 30.0);
        assert!(y.iter().all(|v| (v - 5.0).abs() < 1e-9));
    }

    #[test]
    fn short_gaps_filled_long_gaps_kept() {
        let s = vec![
            Some(0.0),
            None,
            None,
            Some(3.0),
            None,
            None,
            None,
            None,
            Some(8.0),
        ];
        let f = fill_short_gaps(&s, 2);
        assert_eq!(f[1], Some(1.0));
        assert_eq!(f[2], Some(2.0));
        assert_eq!(f[4], None);
        assert_eq!(f[7], None);
    }

    #[test]
    fn spikes_become_gaps() {
        let mut s: Series = (0..21).map(|i| Some(i as f64 * 0.1)).collect();
        s[10] = Some(50.0);
        let r = reject_outliers(&s, 3, 3.0, 0.01);
        assert_eq!(r[10], None);
        assert_eq!(r.iter().filter(|v| v.is_none()).count(), 1);
    }

    #[test]
    fn percentiles() {
        assert_eq!(median([3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(percentile([0.0, 10.0], 25.0), Some(2.5));
        assert_eq!(median([f64::NAN]), None);
    }
}
