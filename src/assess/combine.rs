//! From bouts to the clip's result: a verdict per leg over every bout that tested it, left against
//! right, and the overall verdict by one stated rule: **the worse of the judged legs**; with no leg
//! judged, inconclusive. A clip that is one bout keeps that bout's verdict, reasons and warnings
//! as they are.
use super::capture::Facing;
use super::result::{Assessment, Bout, Comparison, LegResult, Legs, Rep, Stance, Verdict, View};
use super::signal;
use super::thresholds::Thresholds;
use super::verdict::LegSummary;
use super::BoutResult;
use crate::geometry::Side;
use std::ops::Range;

/// The view of a bout from its frontal ratio, its face turn and which way the person faced.
pub(crate) fn view_of(
    frontal_ratio: Option<f64>,
    face_turn: Option<f64>,
    facing: Option<Facing>,
    th: &Thresholds,
) -> View {
    match frontal_ratio {
        None => View::Unknown,
        Some(r) if r < th.min_frontal_ratio => View::Side,
        _ if facing == Some(Facing::Away) => View::Rear,
        r if super::capture::angled(r, face_turn, th) => View::Oblique,
        Some(_) => View::Front,
    }
}

fn bout_of(number: usize, a: &Assessment, view: View, rep_numbers: Vec<usize>) -> Bout {
    Bout {
        number,
        start_s: a.frames.first().map_or(0.0, |f| f.t_s),
        end_s: a.frames.last().map_or(0.0, |f| f.t_s),
        stance: a.stance,
        view,
        verdict: a.verdict,
        reasons: a.reasons.clone(),
        warnings: a.warnings.clone(),
        reps: rep_numbers,
        standing_fppa_deg: a.standing_fppa_deg.clone(),
        standing_pelvic_drop_deg: a.standing_pelvic_drop_deg,
        standing_trunk_lean_deg: a.standing_trunk_lean_deg,
        frontal_ratio: a.frontal_ratio,
    }
}

/// A clip of one bout: its assessment as it is, with the bout, the legs and left against right.
pub(crate) fn one_bout(result: BoutResult, th: &Thresholds) -> Assessment {
    let BoutResult {
        mut assessment,
        legs,
        view,
        ..
    } = result;
    let a = &mut assessment;
    for f in &mut a.frames {
        f.bout = Some(1);
    }
    let numbers: Vec<usize> = a.reps.iter().map(|r| r.number).collect();
    a.legs = judged_legs(&[(&legs[..], &a.reps[..], 1)], false);
    // Left against right is its own field (`comparison.text`), shown beside the legs.
    a.comparison = compare(&a.legs, th);
    a.bouts = vec![bout_of(1, a, view, numbers)];
    assessment
}

/// A clip of several bouts. `whole` is the clip assessed as one (its frames serve the transitions
/// between bouts); each bout comes with its range of observations.
pub(crate) fn several_bouts(
    whole: Assessment,
    bouts: Vec<(Range<usize>, BoutResult)>,
    th: &Thresholds,
) -> Assessment {
    // A bout that could be judged but has no rep is a rest or a walk between bouts, when another
    // bout has reps; a bout refused for its picture (a side view, feet cut off) stays, with why.
    let any_reps = bouts.iter().any(|(_, b)| !b.assessment.reps.is_empty());
    let bouts: Vec<(Range<usize>, BoutResult)> = bouts
        .into_iter()
        .filter(|(_, b)| !(any_reps && b.no_reps))
        .collect();
    let mut frames = whole.frames.clone();
    for f in &mut frames {
        f.bout = None;
    }
    let mut reps: Vec<Rep> = Vec::new();
    let mut listed = Vec::new();
    let mut rep_ranges = Vec::new();
    for (k, (range, b)) in bouts.iter().enumerate() {
        let number = k + 1;
        for (dst, src) in frames[range.clone()].iter_mut().zip(&b.assessment.frames) {
            *dst = src.clone();
            dst.bout = Some(number);
        }
        let first = reps.len();
        for r in &b.assessment.reps {
            reps.push(Rep {
                number: reps.len() + 1,
                bout: number,
                ..r.clone()
            });
        }
        let numbers: Vec<usize> = (first + 1..=reps.len()).collect();
        rep_ranges.push(first..reps.len());
        listed.push(bout_of(number, &b.assessment, b.view, numbers));
    }
    let judged: Vec<(&[LegSummary], &[Rep], usize)> = bouts
        .iter()
        .zip(&rep_ranges)
        .enumerate()
        .map(|(k, ((_, b), r))| (&b.legs[..], &reps[r.clone()], k + 1))
        .collect();
    let legs = judged_legs(&judged, true);
    let comparison = compare(&legs, th);
    let verdict = [Side::Right, Side::Left]
        .iter()
        .filter_map(|&s| legs.get(s).map(|l| l.verdict))
        .reduce(Verdict::worst)
        .unwrap_or(Verdict::Inconclusive);
    let mut reasons = Vec::new();
    for side in [Side::Right, Side::Left] {
        if let Some(l) = legs.get(side) {
            reasons.extend(l.reasons.iter().cloned());
        }
    }
    for b in &listed {
        if b.verdict == Verdict::Inconclusive {
            for r in &b.reasons {
                reasons.push(format!("{}: {r}", bout_name(b)));
            }
        }
    }
    let mut warnings: Vec<String> = Vec::new();
    for b in &listed {
        for w in &b.warnings {
            push_once(&mut warnings, format!("{}: {w}", bout_name(b)));
        }
    }
    let mut advice: Vec<String> = Vec::new();
    if verdict == Verdict::Good {
        advice.push("Keep it up: knee control looked good. Re-test in 6 months, or 6 weeks after a change in training or an injury.".into());
    } else if verdict != Verdict::Inconclusive {
        for (_, b) in &bouts {
            if b.assessment.verdict != Verdict::Good {
                for a in &b.assessment.advice {
                    push_once(&mut advice, a.clone());
                }
            }
        }
        // The physiotherapist line closes the advice, once.
        let physio = "If the knee hurts, see a physiotherapist.";
        if advice.iter().any(|a| a == physio) {
            advice.retain(|a| a != physio);
            advice.push(physio.into());
        }
    }
    let first = bouts
        .iter()
        .find(|(_, b)| b.assessment.verdict != Verdict::Inconclusive)
        .or(bouts.first())
        .map(|(_, b)| &b.assessment);
    let stance = match listed.first() {
        Some(b) if listed.iter().all(|o| o.stance == b.stance) => b.stance,
        _ => Stance::Several,
    };
    Assessment {
        verdict,
        reasons,
        advice,
        warnings,
        stance,
        reps,
        bouts: listed,
        legs,
        comparison,
        confident_fraction: whole.confident_fraction,
        frontal_ratio: whole.frontal_ratio,
        keypoint_jump: whole.keypoint_jump,
        camera_roll_deg: first.and_then(|a| a.camera_roll_deg),
        standing_fppa_deg: first.map_or_else(Vec::new, |a| a.standing_fppa_deg.clone()),
        reference_side: first.map_or(whole.reference_side, |a| a.reference_side),
        standing_pelvic_drop_deg: first.and_then(|a| a.standing_pelvic_drop_deg),
        standing_trunk_lean_deg: first.and_then(|a| a.standing_trunk_lean_deg),
        thresholds: th.clone(),
        frames,
    }
}

/// "Bout 2 (left leg, 12.1–20.4 s)".
pub fn bout_name(b: &Bout) -> String {
    let what = match b.stance {
        Stance::SingleLeg { side, .. } => format!("{} leg", side.name()),
        Stance::DoubleLeg => "both legs".into(),
        _ => b.view.label().into(),
    };
    format!(
        "Bout {} ({what}, {:.1}–{:.1} s)",
        b.number, b.start_s, b.end_s
    )
}

fn push_once(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// Each leg's result over the bouts that judged it: the worst of its verdicts, medians over all
/// its reps. `(legs, reps, bout)` per bout; only judged legs (a finding) count. With `named`, the
/// reasons say which bout they come from.
fn judged_legs(bouts: &[(&[LegSummary], &[Rep], usize)], named: bool) -> Legs {
    let mut legs = Legs::default();
    for side in [Side::Right, Side::Left] {
        let mut verdict: Option<Verdict> = None;
        let mut reasons = Vec::new();
        let mut numbers = Vec::new();
        let mut peaks = Vec::new();
        let mut drifts = Vec::new();
        for (summaries, reps, bout) in bouts {
            let Some((summary, finding)) = summaries
                .iter()
                .find(|l| l.side == side)
                .and_then(|l| Some((l, l.finding?)))
            else {
                continue;
            };
            verdict = Some(verdict.map_or(finding.verdict, |v| v.worst(finding.verdict)));
            for r in &summary.reasons {
                reasons.push(if named {
                    format!("Bout {bout}: {r}")
                } else {
                    r.clone()
                });
            }
            for rep in reps.iter() {
                if let Some(l) = rep.legs.iter().find(|l| l.side == side) {
                    // The reps the median peak FPPA comes from, so that every "median of N
                    // reps" printed counts these: a rep whose knee was not measurable is listed
                    // with its reason, not counted for the leg.
                    if let Some(peak) = l.peak_fppa_deg {
                        numbers.push(rep.number);
                        peaks.push(peak);
                    }
                    drifts.extend(l.drift_at_bottom);
                }
            }
        }
        let (Some(verdict), Some(peak)) = (verdict, signal::median(peaks)) else {
            continue;
        };
        *legs.slot(side) = Some(LegResult {
            verdict,
            reasons,
            median_peak_fppa_deg: peak,
            median_drift: signal::median(drifts),
            reps: numbers,
        });
    }
    legs
}

/// Left against right: a difference in peak FPPA is called only beyond the smallest detectable
/// difference of 2D FPPA (`th.fppa_sdd_deg`).
fn compare(legs: &Legs, th: &Thresholds) -> Option<Comparison> {
    let (right, left) = (legs.right.as_ref()?, legs.left.as_ref()?);
    let diff = right.median_peak_fppa_deg - left.median_peak_fppa_deg;
    let drift_difference = right
        .median_drift
        .zip(left.median_drift)
        .map(|(r, l)| r - l);
    let different = diff.abs() > th.fppa_sdd_deg;
    let (r, l) = (right.median_peak_fppa_deg, left.median_peak_fppa_deg);
    let text = if different {
        let worse = if diff > 0.0 { "right" } else { "left" };
        format!(
            "Left against right: peak valgus right {r:.1}° vs left {l:.1}°, a difference of {:.1}° beyond the {:.0}° that 2D video can tell apart: the {worse} knee tracks worse.",
            diff.abs(),
            th.fppa_sdd_deg
        )
    } else {
        format!(
            "Left against right: peak valgus right {r:.1}° vs left {l:.1}°; a difference of {:.1}° is within the {:.0}° that 2D video can tell apart, so no side is worse.",
            diff.abs(),
            th.fppa_sdd_deg
        )
    };
    Some(Comparison {
        fppa_difference_deg: diff,
        drift_difference,
        different,
        text,
    })
}
