//! The results as people and programs read them: a terminal summary and a versioned JSON report.
use crate::assess::metric_table::{
    body_rep_values, leg_rep_values, InLine, MetricDef, Place, RepValue,
};
use crate::assess::{Rep, Stance, Verdict};
use crate::clip::ClipAnalysis;
use crate::error::{Error, Result};
use serde::Serialize;
use std::fmt::Write as _;
use std::path::Path;

/// Bumped whenever a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 1;

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

/// One rep: its times, the values beside them (depth), each leg's values, the body's values.
fn rep_line(r: &Rep) -> String {
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
    format!(
        "    #{:<2} {:>5.1}–{:<5.1}s{beside_times}  {}{body}  → {}",
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
    let name = a.info.path.display();
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
    let _ = writeln!(out, "  reps      {}", s.reps.len());
    for r in &s.reps {
        let _ = writeln!(out, "{}", rep_line(r));
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
    for w in &s.warnings {
        let _ = writeln!(out, "  warning   {w}");
    }
    for a in &s.advice {
        let _ = writeln!(out, "  advice    {a}");
    }
    let _ = writeln!(out, "  note      {DISCLAIMER}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixture::squat_clip;

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
    fn missing_values_are_dashes_and_padding_stays() {
        assert_eq!(fmt_value(None, 3, 0, "%"), "—");
        assert_eq!(fmt_value(Some(7.4), 3, 0, "%"), "  7%");
        assert_eq!(fmt_value(Some(12.345), 0, 1, "°"), "12.3°");
    }
}
