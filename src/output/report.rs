//! The results as people and programs read them: a terminal summary and a versioned JSON report.
use crate::assess::{Stance, Verdict};
use crate::clip::ClipAnalysis;
use crate::error::{Error, Result};
use serde::Serialize;
use std::fmt::Write as _;
use std::path::Path;

/// Bumped whenever a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 1;

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

pub fn to_json(analysis: &ClipAnalysis) -> Result<String> {
    serde_json::to_string_pretty(&JsonReport::new(analysis))
        .map_err(|e| Error::output(Path::new("<json>"), e.to_string()))
}

fn fmt_opt(v: Option<f64>, unit: &str) -> String {
    v.map_or_else(|| "—".to_string(), |v| format!("{v:.1}{unit}"))
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
        let legs: Vec<String> = r
            .legs
            .iter()
            .map(|l| {
                let wobble = if l.wobble > 0 {
                    format!(", wobble {}", l.wobble)
                } else {
                    String::new()
                };
                format!(
                    "{} peak FPPA {}, drift {}{wobble}",
                    l.side.name(),
                    fmt_opt(l.peak_fppa_deg, "°"),
                    fmt_opt(l.drift_at_bottom.map(|d| d * 100.0), "%")
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "    #{:<2} {:>5.1}–{:<5.1}s  depth {:>3.0}%  {}; pelvis {}, trunk {}  → {}",
            r.number,
            r.start_s,
            r.end_s,
            r.depth * 100.0,
            legs.join("; "),
            fmt_opt(r.pelvic_drop_deg, "°"),
            fmt_opt(r.trunk_lean_deg, "°"),
            r.verdict.label()
        );
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
