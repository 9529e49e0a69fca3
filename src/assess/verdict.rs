//! From per-rep numbers to the overall verdict, its reasons and advice.
use super::{Assessment, RepLeg, Stance, Verdict};
use crate::geometry::Side;
use crate::signal;
use crate::thresholds::Thresholds;

pub(crate) fn classify_leg(peak: Option<f64>, drift: Option<f64>, th: &Thresholds) -> Verdict {
    let Some(peak) = peak else {
        return Verdict::Inconclusive;
    };
    let drift = drift.unwrap_or(0.0);
    if peak >= th.fppa_poor_min_deg || drift >= th.drift_poor_min {
        Verdict::Poor
    } else if peak > th.fppa_good_max_deg || drift >= th.drift_fair_min {
        Verdict::Fair
    } else {
        Verdict::Good
    }
}

pub(crate) fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Overall verdict per leg from the reps' medians, then the worst leg; reasons and advice in words.
pub(crate) fn summarise(result: &mut Assessment, th: &Thresholds) {
    let sides: Vec<Side> = result.reps[0].legs.iter().map(|l| l.side).collect();
    let mut overall = Verdict::Good;
    let mut peaks_by_side = Vec::new();
    for side in sides {
        let legs: Vec<&RepLeg> = result
            .reps
            .iter()
            .flat_map(|r| r.legs.iter().filter(move |l| l.side == side))
            .collect();
        let peaks: Vec<f64> = legs.iter().filter_map(|l| l.peak_fppa_deg).collect();
        let drifts: Vec<f64> = legs.iter().filter_map(|l| l.drift_at_bottom).collect();
        // Most reps must be measurable: a verdict resting on the one rep that escaped the
        // plausibility checks would be a guess.
        let needed = th.min_reps.max(legs.len().div_ceil(2));
        if peaks.len() < needed {
            result.reasons.push(format!(
                "The {} knee angle could be measured in only {} of {} reps ({} needed): see the reasons per rep.",
                side.name(),
                peaks.len(),
                legs.len(),
                needed
            ));
            overall = Verdict::Inconclusive;
            continue;
        }
        let Some(peak) = signal::median(peaks.iter().copied()) else {
            continue;
        };
        let drift = signal::median(drifts.iter().copied());
        let angle_verdict = classify_leg(Some(peak), None, th);
        let mut verdict = classify_leg(Some(peak), drift, th);
        let worst = peaks.iter().copied().fold(f64::MIN, f64::max);
        let leg_name = format!("{} knee", side.name());
        let n = peaks.len();
        let rep_word = if n == 1 { "rep" } else { "reps" };
        result.reasons.push(match angle_verdict {
            Verdict::Good => format!(
                "The {leg_name} stayed in line: peak valgus angle {peak:.0}° (median of {n} {rep_word}; healthy up to {:.0}°).",
                th.fppa_good_max_deg
            ),
            Verdict::Fair => format!(
                "The {leg_name} moved inward somewhat: peak valgus angle {peak:.0}° (median of {n} {rep_word}), above the healthy range of up to {:.0}°.",
                th.fppa_good_max_deg
            ),
            _ => format!(
                "The {leg_name} collapsed inward: peak valgus angle {peak:.0}° (median of {n} {rep_word}), in the range seen with knee pain (≥ {:.0}°).",
                th.fppa_poor_min_deg
            ),
        });
        if let Some(d) = drift {
            if d >= th.drift_fair_min {
                result.reasons.push(format!(
                    "At the bottom the {leg_name} sat {:.0}% of a shank length inside the foot (more than {:.0}% is a fault).",
                    100.0 * d,
                    100.0 * th.drift_fair_min
                ));
            } else if d <= -th.drift_fair_min {
                result.reasons.push(format!(
                    "At the bottom the {leg_name} sat {:.0}% of a shank length outside the foot (pushed out: no valgus).",
                    -100.0 * d
                ));
            } else {
                result.reasons.push(format!(
                    "At the bottom the {leg_name} was over the foot ({:+.0}% of a shank length, + = inside).",
                    100.0 * d
                ));
            }
        }
        if verdict == Verdict::Good && worst >= th.fppa_poor_min_deg && n > 1 {
            verdict = Verdict::Fair;
            result.reasons.push(format!(
                "One or more reps reached {worst:.0}° of valgus: the knee is not controlled every time."
            ));
        }
        peaks_by_side.push((side, peak));
        overall = overall.worst(verdict);
    }
    if let [(_, a), (_, b)] = peaks_by_side[..] {
        if (a - b).abs() > 2.0 * th.fppa_sem_deg {
            result.warnings.push(format!(
                "The knees differ: peak valgus right {a:.0}° vs left {b:.0}°."
            ));
        }
    }
    let reps = result.reps.len();
    if matches!(result.stance, Stance::SingleLeg { .. }) && reps < 5 {
        result.warnings.push(format!(
            "The test asks for 5 reps; {reps} complete rep(s) were found."
        ));
    }
    if result.reps.iter().all(|r| r.depth < th.half_squat_depth) {
        result
            .warnings
            .push("All reps were shallower than a half squat: valgus shows with depth, so go half way down.".into());
    }
    result.verdict = overall;
    result.advice = match overall {
        Verdict::Good => vec!["Keep it up: knee control looked good. Re-test after training changes.".into()],
        Verdict::Fair => vec![
            "Strengthen the hip abductors and external rotators (side-lying leg raises, clamshells, banded side steps).".into(),
            "Practise slow single-leg squats in front of a mirror, knee over the second toe.".into(),
        ],
        Verdict::Poor => vec![
            "Work on gluteal strength: hip abduction and external rotation exercises (clamshells, side planks, banded walks).".into(),
            "Add balance training on one leg, and progress single-leg squats only as the knee stays over the foot.".into(),
            "If the knee hurts, see a physiotherapist.".into(),
        ],
        Verdict::Inconclusive => Vec::new(),
    };
}
