//! The statistics `kneetrack bench` reports, in the manner of hyperfine: mean ± σ of repeated
//! runs, how much faster one thing ran than another (with the error carried through), and a
//! warning when the spread says the machine was busy and the numbers are not to be trusted.

/// Mean, standard deviation and range of repeated measurements (any unit).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Spread {
    pub mean: f64,
    pub stddev: f64,
    pub min: f64,
    pub median: f64,
    pub max: f64,
}

impl Spread {
    /// `None` for no samples; σ is the sample standard deviation (0 for one sample).
    pub fn of(samples: &[f64]) -> Option<Spread> {
        if samples.is_empty() {
            return None;
        }
        let n = samples.len() as f64;
        let mean = samples.iter().sum::<f64>() / n;
        let var = if samples.len() > 1 {
            samples.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / (n - 1.0)
        } else {
            0.0
        };
        let pct =
            |p| crate::assess::signal::percentile(samples.iter().copied(), p).unwrap_or(f64::NAN);
        Some(Spread {
            mean,
            stddev: var.sqrt(),
            min: pct(0.0),
            median: pct(50.0),
            max: pct(100.0),
        })
    }
}

/// How many times longer `slow` took than `fast`, and the σ of that ratio (first-order error
/// propagation of both σ, as hyperfine does).
pub fn ratio(slow: &Spread, fast: &Spread) -> (f64, f64) {
    let r = slow.mean / fast.mean;
    let rel = |s: &Spread| {
        if s.mean > 0.0 {
            s.stddev / s.mean
        } else {
            0.0
        }
    };
    (r, r * (rel(slow).powi(2) + rel(fast).powi(2)).sqrt())
}

/// A sample further than this many MADs (scaled to σ) from the median is an outlier; hyperfine's
/// limit.
const OUTLIER_MODIFIED_Z: f64 = 14.826;
/// σ above this fraction of the mean: the runs disagree too much to compare small differences.
const NOISY_CV: f64 = 0.10;
/// With few runs σ says little: a spread (max − min) above this fraction of the median warns too.
const NOISY_RANGE: f64 = 0.25;

/// Why the samples look disturbed (outliers, a large σ or range), or `None`.
pub fn noise_warning(samples: &[f64]) -> Option<String> {
    let s = Spread::of(samples)?;
    if samples.len() < 2 || s.median <= 0.0 {
        return None;
    }
    let deviations: Vec<f64> = samples.iter().map(|x| (x - s.median).abs()).collect();
    let mad = crate::assess::signal::median(deviations.iter().copied()).unwrap_or(0.0) * 1.4826;
    let outliers = if mad > 0.0 {
        deviations
            .iter()
            .filter(|d| **d / mad > OUTLIER_MODIFIED_Z)
            .count()
    } else {
        0
    };
    let cv = s.stddev / s.mean;
    let range = (s.max - s.min) / s.median;
    let why = if outliers > 0 {
        format!(
            "{outliers} statistical outlier(s) among {} runs",
            samples.len()
        )
    } else if cv > NOISY_CV {
        format!("σ is {:.0}% of the mean", 100.0 * cv)
    } else if range > NOISY_RANGE {
        format!(
            "the slowest run took {:.0}% longer than the fastest",
            100.0 * (s.max / s.min - 1.0)
        )
    } else {
        return None;
    };
    Some(format!(
        "Warning: {why}: other work on this machine (load {}) probably disturbed the measurement; rerun on a quiet machine, or with more runs.",
        load_average().unwrap_or_else(|| "unknown".into())
    ))
}

/// The 1-, 5- and 15-minute load averages, as /proc/loadavg gives them.
pub fn load_average() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    let parts: Vec<&str> = text.split_whitespace().take(3).collect();
    (parts.len() == 3).then(|| parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_and_ratio_of_known_samples() {
        let s = Spread::of(&[10.0, 12.0, 14.0, 16.0, 18.0]).unwrap();
        assert_eq!((s.mean, s.min, s.median, s.max), (14.0, 10.0, 14.0, 18.0));
        assert!((s.stddev - 10f64.sqrt()).abs() < 1e-12);
        let fast = Spread::of(&[9.0, 10.0, 11.0]).unwrap();
        let slow = Spread::of(&[18.0, 20.0, 22.0]).unwrap();
        let (r, sigma) = ratio(&slow, &fast);
        assert!((r - 2.0).abs() < 1e-12);
        // Both 10% relative σ: √2 × 10% of 2.
        assert!((sigma - 2.0 * 0.1 * 2f64.sqrt()).abs() < 1e-12, "{sigma}");
        assert!(Spread::of(&[]).is_none());
    }

    #[test]
    fn steady_runs_pass_and_disturbed_ones_warn() {
        assert_eq!(noise_warning(&[10.0, 10.1, 9.9, 10.05, 9.95]), None);
        let outlier = noise_warning(&[10.0, 10.1, 9.9, 10.05, 9.95, 10.0, 30.0]).unwrap();
        assert!(
            outlier.contains("1 statistical outlier(s) among 7 runs"),
            "{outlier}"
        );
        let wide = noise_warning(&[8.0, 12.0, 10.0, 14.0, 6.0]).unwrap();
        assert!(wide.contains("σ is"), "{wide}");
        // σ 8% of the mean, but one run 26% slower than the rest (no MAD to call it an outlier).
        let mut steady_then_slow = vec![10.0; 9];
        steady_then_slow.push(12.6);
        let range = noise_warning(&steady_then_slow).unwrap();
        assert!(range.contains("longer than the fastest"), "{range}");
        assert!(noise_warning(&[10.0]).is_none());
    }
}
