//! The results as people and programs read them: a terminal summary and a versioned JSON report.
use crate::assess::metric_table::{
    body_rep_values, leg_rep_values, InLine, MetricDef, Place, RepValue,
};
use crate::assess::{Assessment, Rep, Stance, Verdict};
use crate::clip::ClipAnalysis;
use crate::error::{Error, Result};
use crate::output::bout_and_leg_text::{
    bout_what, judged_legs, leg_numbers, rep_numbers, several_bouts,
};
use serde::Serialize;
use std::fmt::Write as _;
use std::path::Path;

/// Bumped whenever a field changes meaning or disappears. 2: a clip is split into bouts
/// (`assessment.bouts`; each rep's and each frame's `bout`), each tested leg has its verdict
/// (`assessment.legs`), left against right (`assessment.comparison`), and the overall verdict is
/// the worse judged leg.
pub const SCHEMA_VERSION: u32 = 2;

/// Said by every output: a movement screen, never a diagnosis.
pub const DISCLAIMER: &str = "kneetrack is a movement screen, not a diagnosis. \
    2D video angles are estimates (about ±3°). If you have pain or an injury, see a physiotherapist or doctor.";

#[derive(Serialize)]
pub struct JsonReport<'a> {
    pub schema_version: u32,
    pub tool: &'static str,
    pub tool_version: &'static str,
    pub disclaimer: &'static str,
    #[serde(flatten)]
    pub analysis: &'a ClipAnalysis,
}

impl<'a> JsonReport<'a> {
    pub fn new(analysis: &'a ClipAnalysis) -> Self {
        JsonReport {
            schema_version: SCHEMA_VERSION,
            tool: "kneetrack",
            tool_version: env!("CARGO_PKG_VERSION"),
            disclaimer: DISCLAIMER,
            analysis,
        }
    }
}

/// "1 rep", "3 reps": a count with its noun in the right number.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The JSON report of one clip (schema [`SCHEMA_VERSION`]).
pub fn to_json(analysis: &ClipAnalysis) -> Result<String> {
    serde_json::to_string_pretty(&JsonReport::new(analysis))
        .map_err(|e| Error::output(Path::new("<json>"), e.to_string()))
}

/// A value as the terminal writes it, "—" when missing (right-aligned in `width`, 0 for none).
fn fmt_value(v: Option<f64>, width: usize, digits: usize, unit: &str) -> String {
    v.map_or_else(|| "—".to_string(), |v| format!("{v:>width$.digits$}{unit}"))
}

/// `label value` as the rep line writes it, in displayed units; `None` when it is left out.
fn in_line<R>(m: &MetricDef, value: &RepValue<R>, of: &R) -> Option<String> {
    let line = value.line.as_ref()?;
    let v = (value.value)(of).map(|v| m.display(v));
    let width = match line.place {
        Place::BesideTimes { width } => width,
        Place::Listed => 0,
        Place::ListedWhenSome if v.is_none() => return None,
        Place::ListedWhenSome => 0,
    };
    Some(format!(
        "{} {}",
        line.label,
        fmt_value(v, width, line.digits, m.unit)
    ))
}

/// One rep: its times (after its bout, `with_bout`), the values beside them (depth), each leg's
/// values, the body's values.
fn rep_line(r: &Rep, with_bout: bool) -> String {
    let mut beside_times = String::new();
    let mut body = Vec::new();
    for (m, value) in body_rep_values() {
        let Some(text) = in_line(m, value, r) else {
            continue;
        };
        match value.line {
            Some(InLine {
                place: Place::BesideTimes { .. },
                ..
            }) => {
                let _ = write!(beside_times, "  {text}");
            }
            _ => body.push(text),
        }
    }
    let legs: Vec<String> = r
        .legs
        .iter()
        .map(|l| {
            let values: Vec<String> = leg_rep_values()
                .filter_map(|(m, value)| in_line(m, value, l))
                .collect();
            format!("{} {}", l.side.name(), values.join(", "))
        })
        .collect();
    let body = if body.is_empty() {
        String::new()
    } else {
        format!("; {}", body.join(", "))
    };
    let bout = if with_bout {
        format!(" bout {:<2}", r.bout)
    } else {
        String::new()
    };
    format!(
        "    #{:<2}{bout} {:>5.1}–{:<5.1}s{beside_times}  {}{body}  → {}",
        r.number,
        r.start_s,
        r.end_s,
        legs.join("; "),
        r.verdict.label()
    )
}

/// The human summary printed after analysing a clip.
pub fn terminal_summary(a: &ClipAnalysis) -> String {
    let s = &a.assessment;
    let mut out = String::new();
    let name = crate::names::display_name(&a.info.path);
    let _ = writeln!(out, "{name}");
    let _ = writeln!(
        out,
        "  clip      {}x{} @ {:.1} fps, {} frames{}; model {}",
        a.info.width,
        a.info.height,
        a.info.fps,
        a.timing.frames,
        if a.info.orientation.rotation_cw != 0 {
            format!(", rotated {}°", a.info.orientation.rotation_cw)
        } else {
            String::new()
        },
        a.model
    );
    let stance = match s.stance {
        Stance::SingleLeg { side, image_side } => {
            format!("single-leg on the {} leg ({image_side})", side.name())
        }
        Stance::DoubleLeg => "double-leg".to_string(),
        Stance::Several => "several bouts (see below)".to_string(),
        Stance::Unknown => "not determined".to_string(),
    };
    let _ = writeln!(out, "  stance    {stance}");
    let several = several_bouts(s);
    if several {
        bout_lines(&mut out, s);
    }
    let _ = writeln!(out, "  reps      {}", s.reps.len());
    for r in &s.reps {
        let _ = writeln!(out, "{}", rep_line(r, several));
    }
    let banner = match s.verdict {
        Verdict::Good => "GOOD gluteal control",
        Verdict::Fair => "FAIR gluteal control",
        Verdict::Poor => "POOR gluteal control",
        Verdict::Inconclusive => "INCONCLUSIVE",
    };
    let _ = writeln!(out, "  verdict   {banner}");
    for r in &s.reasons {
        let _ = writeln!(out, "    - {r}");
    }
    leg_lines(&mut out, s);
    for w in &s.warnings {
        let _ = writeln!(out, "  warning   {w}");
    }
    for a in &s.advice {
        let _ = writeln!(out, "  advice    {a}");
    }
    let _ = writeln!(out, "  note      {DISCLAIMER}");
    out
}

/// `bouts     2` and a line per bout: its time span, stance and view, verdict and reps (the
/// columns aligned over the clip's bouts).
fn bout_lines(out: &mut String, s: &Assessment) {
    let _ = writeln!(out, "  bouts     {}", s.bouts.len());
    let what: Vec<String> = s.bouts.iter().map(bout_what).collect();
    let what_width = what.iter().map(|w| w.chars().count()).max().unwrap_or(0);
    let verdict_width = s
        .bouts
        .iter()
        .map(|b| b.verdict.label().len())
        .max()
        .unwrap_or(0);
    for (b, what) in s.bouts.iter().zip(&what) {
        let reps = if b.reps.is_empty() {
            "no reps".to_string()
        } else {
            format!("reps {}", rep_numbers(&b.reps))
        };
        let _ = writeln!(
            out,
            "    bout {:<2} {:>5.1}–{:<5.1}s  {what:<what_width$}  → {:<verdict_width$}  {reps}",
            b.number,
            b.start_s,
            b.end_s,
            b.verdict.label()
        );
    }
}

/// A line per judged leg (`left leg  POOR  peak FPPA 25° …`), then left against right.
fn leg_lines(out: &mut String, s: &Assessment) {
    for (side, l) in judged_legs(s) {
        let _ = writeln!(
            out,
            "  {:<9} {:<4}  {}",
            format!("{} leg", side.name()),
            l.verdict.label().to_uppercase(),
            leg_numbers(l)
        );
    }
    if let Some(c) = &s.comparison {
        let _ = writeln!(out, "  compare   {}", c.text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixture::{squat_clip, two_bout_clip};

    #[test]
    fn rep_lines_carry_the_tables_values() {
        let clip = squat_clip();
        let summary = terminal_summary(&clip);
        let lines: Vec<&str> = summary.lines().filter(|l| l.starts_with("    #")).collect();
        assert_eq!(lines.len(), clip.assessment.reps.len());
        assert!(clip.assessment.reps.iter().any(|r| r.legs[0].wobble > 0));
        for (line, rep) in lines.iter().zip(&clip.assessment.reps) {
            assert!(line.contains("s  depth "), "{line}");
            assert!(line.contains("%  right peak FPPA "), "{line}");
            assert!(line.contains("°, drift "), "{line}");
            assert!(
                line.contains("; pelvis ") && line.contains(", trunk "),
                "{line}"
            );
            assert!(
                line.ends_with(&format!("  → {}", rep.verdict.label())),
                "{line}"
            );
            let wobble = rep.legs[0].wobble;
            assert_eq!(
                line.contains(&format!(", wobble {wobble};")),
                wobble > 0,
                "{line}"
            );
        }
    }

    #[test]
    fn one_bout_shows_no_bouts_and_its_leg() {
        let summary = terminal_summary(&squat_clip());
        assert!(!summary.contains("  bouts ") && !summary.contains(" bout "));
        let legs: Vec<&str> = summary
            .lines()
            .filter(|l| l.starts_with("  left leg ") || l.starts_with("  right leg "))
            .collect();
        assert_eq!(legs.len(), 1, "{summary}");
        assert!(
            legs[0].starts_with("  right leg POOR  peak FPPA 2")
                && legs[0].contains("(median of 5 reps), drift "),
            "{}",
            legs[0]
        );
        assert!(!summary.contains("  compare "));
    }

    #[test]
    fn two_bouts_show_each_bout_each_leg_and_left_against_right() {
        let clip = two_bout_clip();
        let summary = terminal_summary(&clip);
        assert!(summary.contains("\n  stance    several bouts (see below)\n  bouts     2\n"));
        let bouts: Vec<&str> = summary
            .lines()
            .filter(|l| l.starts_with("    bout "))
            .collect();
        assert_eq!(bouts.len(), 2, "{summary}");
        assert!(bouts[0].contains("right leg, ") && bouts[0].contains("→ good"));
        assert!(bouts[0].ends_with("reps #1–#5"), "{}", bouts[0]);
        assert!(bouts[1].contains("left leg, ") && bouts[1].contains("→ poor"));
        assert!(bouts[1].ends_with("reps #6–#10"), "{}", bouts[1]);
        let reps: Vec<&str> = summary.lines().filter(|l| l.starts_with("    #")).collect();
        assert_eq!(reps.len(), 10);
        for (line, rep) in reps.iter().zip(&clip.assessment.reps) {
            assert!(
                line.starts_with(&format!("    #{:<2} bout {:<2} ", rep.number, rep.bout)),
                "{line}"
            );
        }
        let left = summary.find("\n  left leg  POOR  peak FPPA 25° (median of 5 reps), drift ");
        let right = summary.find("\n  right leg GOOD  peak FPPA 5° (median of 5 reps), drift ");
        assert!(left.is_some() && right.is_some(), "{summary}");
        let text = &clip.assessment.comparison.as_ref().unwrap().text;
        assert_eq!(summary.matches(text.as_str()).count(), 1, "{summary}");
        assert!(summary.contains(&format!("\n  compare   {text}\n")));
    }

    #[test]
    fn json_has_the_bouts_the_legs_and_left_against_right() {
        let v: serde_json::Value =
            serde_json::from_str(&to_json(&two_bout_clip()).unwrap()).unwrap();
        assert_eq!(v["schema_version"], 2);
        let a = &v["assessment"];
        let bouts = a["bouts"].as_array().unwrap();
        assert_eq!(bouts.len(), 2);
        for key in [
            "start_s", "end_s", "stance", "view", "verdict", "reasons", "reps",
        ] {
            assert!(!bouts[0][key].is_null(), "bout lacks {key}");
        }
        assert_eq!(bouts[0]["stance"]["side"], "right");
        assert_eq!(bouts[1]["stance"]["side"], "left");
        assert_eq!(bouts[1]["reps"], serde_json::json!([6, 7, 8, 9, 10]));
        for (leg, verdict) in [("right", "good"), ("left", "poor")] {
            let l = &a["legs"][leg];
            assert_eq!(l["verdict"], verdict);
            assert!(l["median_peak_fppa_deg"].is_f64() && l["median_drift"].is_f64());
            assert_eq!(l["reps"].as_array().unwrap().len(), 5);
        }
        assert_eq!(a["comparison"]["different"], true);
        assert!(a["comparison"]["fppa_difference_deg"].as_f64().unwrap() < -15.0);
        assert_eq!(a["reps"][5]["bout"], 2);
        let frames = a["frames"].as_array().unwrap();
        assert!(frames.iter().any(|f| f["bout"].is_null()));
        // A one-bout single-leg clip has no left leg and no comparison at all.
        let one: serde_json::Value =
            serde_json::from_str(&to_json(&squat_clip()).unwrap()).unwrap();
        let a = &one["assessment"];
        assert!(a["legs"].get("left").is_none() && a.get("comparison").is_none());
        assert_eq!(a["bouts"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn missing_values_are_dashes_and_padding_stays() {
        assert_eq!(fmt_value(None, 3, 0, "%"), "—");
        assert_eq!(fmt_value(Some(7.4), 3, 0, "%"), "  7%");
        assert_eq!(fmt_value(Some(12.345), 0, 1, "°"), "12.3°");
    }
}
