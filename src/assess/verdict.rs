//! From per-rep numbers to the verdict, its reasons and the exercises the findings point to.
//!
//! The knee (valgus angle, knee over foot) decides between good, fair and poor; the other
//! criteria (wobble, pelvis, trunk, balance) can each lower a good knee to fair, as in the clinical
//! rating where every criterion counts.
use super::{Rep, RepLeg, Stance, Verdict};
use crate::assess::signal;
use crate::assess::thresholds::Thresholds;
use crate::geometry::Side;

/// What a finding points to, in the order advice is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Exercise {
    HipStrength,
    Balance,
    Trunk,
    Pelvis,
}

/// Every piece of advice carries its dose and when to film again: strength work at the ACSM's
/// 2–3 sessions a week of 2–4 sets, and a re-test after 6 weeks, about when strength gains from
/// training show (`kneetrack history` then calls a change only beyond the 8° that 2D FPPA can
/// tell apart).
impl Exercise {
    fn advice(self) -> &'static str {
        match self {
            Exercise::HipStrength => {
                "Strengthen the hip abductors and external rotators (gluteals): side-lying leg raises, clamshells, banded side steps — 3 sets × 12–15 reps each, 3 times a week. Re-test in 6 weeks."
            }
            Exercise::Balance => {
                "Train balance on one leg: 3 × 30 s single-leg stance per leg, then on a cushion or with eyes closed — 5 days a week. Re-test in 6 weeks."
            }
            Exercise::Trunk => "Train trunk control: side planks 3 × 30 s per side, and single-leg squats keeping the shoulders level 3 × 8 per leg — 3 times a week. Re-test in 6 weeks.",
            Exercise::Pelvis => {
                "Work the gluteus medius to hold the pelvis level: hip hitches on a step 3 × 12 per leg, side planks with a leg lift 3 × 8 per side — 3 times a week. Re-test in 6 weeks."
            }
        }
    }
}

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

/// Pelvic drop can lower a verdict to fair, never to poor on its own: 2D hip keypoints misread pelvic
/// tilt both ways (MoveNet reads −1° for a true 8° on the synthetic valgus clip, and 8–10° on a
/// good-form pistol squat whose raised free thigh moves its hip point).
fn pelvis_verdict(drop: f64, th: &Thresholds) -> Verdict {
    if drop >= th.pelvic_drop_fair_deg {
        Verdict::Fair
    } else {
        Verdict::Good
    }
}

/// One measured rep's verdict, from its knees, then wobble, pelvis, trunk and balance, with the
/// reasons these findings give (`rep.verdict` and `rep.reasons` are not read).
pub(crate) fn judge_rep(rep: &Rep, th: &Thresholds) -> (Verdict, Vec<String>) {
    let mut reasons = Vec::new();
    let mut verdict = rep
        .legs
        .iter()
        .map(|l| l.verdict)
        .fold(Verdict::Good, Verdict::worst);
    if verdict == Verdict::Inconclusive {
        return (verdict, reasons);
    }
    for leg in &rep.legs {
        if leg.wobble >= th.wobble_fair_reversals {
            verdict = verdict.worst(Verdict::Fair);
            reasons.push(format!(
                "{} knee wobbled in and out ({} extra swings).",
                capitalised(leg.side.name()),
                leg.wobble
            ));
        }
    }
    if let Some(drop) = rep.pelvic_drop_deg {
        let v = pelvis_verdict(drop, th);
        if v != Verdict::Good {
            verdict = verdict.worst(v);
            reasons.push(format!("Pelvis dropped {drop:.0}° on the free side."));
        }
    }
    if rep
        .trunk_lean_deg
        .is_some_and(|t| t >= th.trunk_lean_fair_deg)
    {
        verdict = verdict.worst(Verdict::Fair);
        reasons.push(format!(
            "Trunk leaned {:.0}° sideways.",
            rep.trunk_lean_deg.unwrap_or(0.0)
        ));
    }
    if rep.balance_lost == Some(true) {
        verdict = verdict.worst(Verdict::Fair);
        reasons.push("The free foot touched down (balance lost).".into());
    }
    if rep.descent_s < th.min_descent_s {
        reasons.push(format!(
            "Fast descent ({:.1} s): go down slowly, about 2 s.",
            rep.descent_s
        ));
    }
    (verdict, reasons)
}

/// The verdict of a bout's reps with its reasons, warnings and advice, and each judged leg's.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Summary {
    pub verdict: Verdict,
    pub reasons: Vec<String>,
    pub warnings: Vec<String>,
    pub advice: Vec<String>,
    pub legs: Vec<LegSummary>,
}

/// One judged leg over a bout's reps (`finding` is `None` where too few reps could be measured).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LegSummary {
    pub side: Side,
    pub finding: Option<KneeFinding>,
    /// The knee reasons of this leg.
    pub reasons: Vec<String>,
}

/// The knee criterion of one leg: its verdict (the bout's posture findings included) and the
/// medians it rests on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct KneeFinding {
    pub verdict: Verdict,
    pub peak_fppa_deg: f64,
    pub drift: Option<f64>,
}

/// The overall verdict, reasons, warnings and advice from all reps (at least one).
pub(crate) fn summarise(
    reps: &[Rep],
    stance: Stance,
    reference_side: Side,
    th: &Thresholds,
) -> Summary {
    let mut overall = Verdict::Good;
    let mut reasons = Vec::new();
    let mut warnings = Vec::new();
    let mut exercises = Vec::new();
    let mut legs = Vec::new();
    let sides: Vec<Side> = reps
        .first()
        .map_or_else(Vec::new, |r| r.legs.iter().map(|l| l.side).collect());
    for side in sides {
        let (finding, why) = knee_finding(reps, side, th);
        reasons.extend(why.iter().cloned());
        match finding {
            Some(f) => {
                if f.verdict != Verdict::Good {
                    exercises.push(Exercise::HipStrength);
                }
                overall = overall.worst(f.verdict);
            }
            None => overall = Verdict::Inconclusive,
        }
        legs.push(LegSummary {
            side,
            finding,
            reasons: why,
        });
    }
    if overall != Verdict::Inconclusive {
        let (verdict, why, points_to) = posture_findings(reps, reference_side, th);
        overall = overall.worst(verdict);
        reasons.extend(why.iter().cloned());
        exercises.extend(points_to);
        // Pelvis, trunk and balance are the stance leg's hip control: they count for each judged leg.
        for leg in &mut legs {
            if let Some(f) = &mut leg.finding {
                f.verdict = f.verdict.worst(verdict);
            }
            leg.reasons.extend(why.iter().cloned());
        }
    } else {
        for leg in &mut legs {
            leg.finding = None;
        }
    }
    let count = reps.len();
    if matches!(stance, Stance::SingleLeg { .. }) && count < th.test_reps {
        warnings.push(format!(
            "The test asks for {} reps; {count} complete {} found.",
            th.test_reps,
            if count == 1 { "rep was" } else { "reps were" }
        ));
    }
    if reps.iter().all(|r| r.depth < th.half_squat_depth) {
        warnings
            .push("All reps were shallower than a half squat: valgus shows with depth, so go half way down.".into());
    }
    exercises.sort();
    exercises.dedup();
    let advice = match overall {
        Verdict::Good => {
            vec!["Keep it up: knee control looked good. Re-test in 6 months, or 6 weeks after a change in training or an injury.".into()]
        }
        Verdict::Inconclusive => Vec::new(),
        _ => {
            let mut advice: Vec<String> = exercises
                .iter()
                .take(3)
                .map(|e| e.advice().to_string())
                .collect();
            if overall == Verdict::Poor {
                advice.push("If the knee hurts, see a physiotherapist.".into());
            }
            advice
        }
    };
    Summary {
        verdict: overall,
        reasons,
        warnings,
        advice,
        legs,
    }
}

/// The knee criterion for one leg over all reps: its verdict and medians (`None` when too few reps
/// could be measured), and the reasons.
fn knee_finding(reps: &[Rep], side: Side, th: &Thresholds) -> (Option<KneeFinding>, Vec<String>) {
    let mut reasons = Vec::new();
    let legs: Vec<&RepLeg> = reps
        .iter()
        .flat_map(|r| r.legs.iter().filter(move |l| l.side == side))
        .collect();
    let peaks: Vec<f64> = legs.iter().filter_map(|l| l.peak_fppa_deg).collect();
    let drifts: Vec<f64> = legs.iter().filter_map(|l| l.drift_at_bottom).collect();
    let total = legs.len();
    // Most reps must be measurable: a verdict resting on the one rep that escaped the
    // plausibility checks would be a guess.
    let needed = th.min_reps.max(total.div_ceil(2));
    let peak = signal::median(peaks.iter().copied()).filter(|_| peaks.len() >= needed);
    let Some(peak) = peak else {
        reasons.push(format!(
            "The {} knee angle could be measured in only {} of {total} reps ({needed} needed): see the reasons per rep.",
            side.name(),
            peaks.len(),
        ));
        return (None, reasons);
    };
    let drift = signal::median(drifts.iter().copied());
    let mut verdict = classify_leg(Some(peak), drift, th);
    let worst = peaks.iter().copied().fold(f64::MIN, f64::max);
    let leg_name = format!("{} knee", side.name());
    let n = peaks.len();
    let rep_word = if n == 1 { "rep" } else { "reps" };
    reasons.push(match classify_leg(Some(peak), None, th) {
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
        reasons.push(if d >= th.drift_fair_min {
            format!(
                "At the bottom the {leg_name} sat {:.0}% of a shank length inside the foot (more than {:.0}% is a fault).",
                100.0 * d,
                100.0 * th.drift_fair_min
            )
        } else if d <= -th.drift_fair_min {
            format!(
                "At the bottom the {leg_name} sat {:.0}% of a shank length outside the foot (pushed out: no valgus).",
                -100.0 * d
            )
        } else {
            format!("At the bottom the {leg_name} was over the foot ({:+.0}% of a shank length, + = inside).", 100.0 * d)
        });
    }
    if verdict == Verdict::Good && worst >= th.fppa_poor_min_deg && n > 1 {
        verdict = Verdict::Fair;
        reasons
            .push(format!("One or more reps reached {worst:.0}° of valgus: the knee is not controlled every time."));
    }
    let wobbly = legs
        .iter()
        .filter(|l| l.wobble >= th.wobble_fair_reversals)
        .count();
    if 2 * wobbly >= total.max(1) {
        verdict = verdict.worst(Verdict::Fair);
        reasons.push(format!(
            "The {leg_name} wobbled in and out in {wobbly} of {total} reps."
        ));
    }
    (
        Some(KneeFinding {
            verdict,
            peak_fppa_deg: peak,
            drift,
        }),
        reasons,
    )
}

/// Pelvis, trunk and balance over all reps: their verdict, reasons, and the exercises they point
/// to.
fn posture_findings(
    reps: &[Rep],
    reference_side: Side,
    th: &Thresholds,
) -> (Verdict, Vec<String>, Vec<Exercise>) {
    let mut verdict = Verdict::Good;
    let mut reasons = Vec::new();
    let mut exercises = Vec::new();
    let side = reference_side.name();
    let free = reference_side.other().name();
    if let Some(drop) = signal::median(reps.iter().filter_map(|r| r.pelvic_drop_deg)) {
        let v = pelvis_verdict(drop, th);
        if v != Verdict::Good {
            verdict = verdict.worst(v);
            exercises.push(Exercise::Pelvis);
            reasons.push(format!(
                "The pelvis dropped {drop:.0}° on the {free} side during the reps (median; {:.0}° or more is a fault): the {side} hip abductors are not holding it level.",
                th.pelvic_drop_fair_deg
            ));
        }
        // Below the threshold nothing is claimed: 2D hip keypoints under-read pelvic tilt (on the
        // synthetic valgus clip MoveNet reads about -1° for a true 8°), so a small reading does not
        // show that the pelvis stayed level.
    }
    if let Some(lean) = signal::median(reps.iter().filter_map(|r| r.trunk_lean_deg)) {
        if lean >= th.trunk_lean_fair_deg {
            verdict = verdict.worst(Verdict::Fair);
            exercises.push(Exercise::Trunk);
            reasons.push(format!(
                "The trunk leaned {lean:.0}° sideways during the reps (median; {:.0}° or more): a compensation for weak hip control.",
                th.trunk_lean_fair_deg
            ));
        }
    }
    let lost = reps.iter().filter(|r| r.balance_lost == Some(true)).count();
    if lost > 0 {
        verdict = verdict.worst(Verdict::Fair);
        exercises.push(Exercise::Balance);
        reasons.push(format!(
            "The free foot touched down in {lost} of {} reps (balance lost).",
            reps.len()
        ));
    }
    let wobbly = reps
        .iter()
        .filter(|r| r.legs.iter().any(|l| l.wobble >= th.wobble_fair_reversals))
        .count();
    if wobbly > 0 {
        exercises.push(Exercise::Balance);
    }
    (verdict, reasons, exercises)
}
