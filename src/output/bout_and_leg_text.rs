//! How bouts and legs are put into words and numbers, shared by the terminal summary, the HTML
//! report and the batch summary so that all of them say the same thing the same way. The legs'
//! numbers take their units and display scale from the metric table.
use crate::assess::metric_table::{MetricDef, METRICS};
use crate::assess::{Assessment, Bout, LegResult, Stance, View};
use crate::geometry::Side;

/// Both legs in the order every output lists them: left first, as the CSV columns.
pub const LEGS: [Side; 2] = [Side::Left, Side::Right];

/// The judged legs of a clip, left first, each with its result.
pub fn judged_legs(a: &Assessment) -> Vec<(Side, &LegResult)> {
    LEGS.iter()
        .filter_map(|&s| Some((s, a.legs.get(s)?)))
        .collect()
}

/// Whether the clip has more than one bout (only then do the outputs show bouts).
pub fn several_bouts(a: &Assessment) -> bool {
    a.bouts.len() > 1
}

/// Who squats on what in a bout: "right leg", "both legs".
pub fn bout_stance(s: Stance) -> String {
    match s {
        Stance::SingleLeg { side, .. } => format!("{} leg", side.name()),
        Stance::DoubleLeg => "both legs".into(),
        Stance::Several => "several stances".into(),
        Stance::Unknown => "stance not determined".into(),
    }
}

/// Where the camera looked from: "front view", "view not determined".
pub fn view_words(v: View) -> String {
    match v {
        View::Unknown => "view not determined".into(),
        v => format!("{} view", v.label()),
    }
}

/// A bout's stance and view: "right leg, front view".
pub fn bout_what(b: &Bout) -> String {
    format!("{}, {}", bout_stance(b.stance), view_words(b.view))
}

/// Rep numbers, runs shortened: "#1–#3", "#1, #4–#5"; "none" for none.
pub fn rep_numbers(reps: &[usize]) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &n in reps {
        match runs.last_mut() {
            Some((_, last)) if n == *last + 1 => *last = n,
            _ => runs.push((n, n)),
        }
    }
    if runs.is_empty() {
        return "none".into();
    }
    runs.iter()
        .map(|&(a, b)| {
            if a == b {
                format!("#{a}")
            } else {
                format!("#{a}–#{b}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A metric of the table by its name (a name that is not there is a bug, caught by the tests).
fn metric(name: &str) -> Option<&'static MetricDef> {
    METRICS.iter().find(|m| m.name == name)
}

/// A stored value as displayed, with the metric's unit, in `digits`; "—" when missing.
fn shown(name: &str, v: Option<f64>, digits: usize) -> String {
    let Some(v) = v.filter(|v| v.is_finite()) else {
        return "—".into();
    };
    match metric(name) {
        Some(m) => format!("{:.digits$}{}", m.display(v), m.unit),
        None => format!("{v:.digits$}"),
    }
}

/// A leg's median peak FPPA as displayed: "25°".
pub fn leg_fppa(l: &LegResult) -> String {
    shown("fppa_deg", Some(l.median_peak_fppa_deg), 0)
}

/// A leg's median drift at the bottom as displayed: "23%", "—".
pub fn leg_drift(l: &LegResult) -> String {
    shown("drift", l.median_drift, 0)
}

/// A drift in stored units as displayed ("23%"): for the batch summary, which keeps the values
/// rather than the leg.
pub fn drift_value(v: Option<f64>) -> String {
    shown("drift", v, 0)
}

/// A peak FPPA in degrees as displayed ("25°").
pub fn fppa_value(v: Option<f64>) -> String {
    shown("fppa_deg", v, 0)
}

/// "peak FPPA 25° (median of 3 reps), drift 23%".
pub fn leg_numbers(l: &LegResult) -> String {
    let n = l.reps.len();
    format!(
        "peak FPPA {} (median of {n} rep{}), drift {}",
        leg_fppa(l),
        if n == 1 { "" } else { "s" },
        leg_drift(l)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::Verdict;

    #[test]
    fn the_metrics_named_here_are_in_the_table() {
        for name in ["fppa_deg", "drift"] {
            assert_eq!(metric(name).map(|m| m.name), Some(name));
        }
    }

    #[test]
    fn rep_numbers_shorten_runs() {
        assert_eq!(rep_numbers(&[]), "none");
        assert_eq!(rep_numbers(&[4]), "#4");
        assert_eq!(rep_numbers(&[1, 2, 3]), "#1–#3");
        assert_eq!(rep_numbers(&[1, 2, 4, 6, 7]), "#1–#2, #4, #6–#7");
    }

    #[test]
    fn leg_numbers_in_displayed_units() {
        let mut l = LegResult {
            verdict: Verdict::Poor,
            reasons: vec![],
            median_peak_fppa_deg: 25.03,
            median_drift: Some(0.2298),
            reps: vec![4, 5, 6],
        };
        assert_eq!(
            leg_numbers(&l),
            "peak FPPA 25° (median of 3 reps), drift 23%"
        );
        l.reps = vec![2];
        l.median_drift = None;
        assert_eq!(leg_numbers(&l), "peak FPPA 25° (median of 1 rep), drift —");
    }
}
