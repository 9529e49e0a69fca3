//! One clip's line of the batch summary, from its analysis, its error, or its earlier report: its
//! verdict, each judged leg's numbers (never pooled over both legs) and the note that explains the
//! verdict.
use crate::assess::signal::median;
use crate::assess::{Assessment, LegResult, Rep, Stance, Verdict};
use crate::clip::ClipAnalysis;
use crate::error::{Error, Result};
use crate::geometry::Side;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// What became of a clip: the screen's verdict, or an error that kept it from being analysed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowVerdict {
    Screened(Verdict),
    Error,
    /// Not finished when the run was interrupted (in the summary an interrupted batch writes).
    Interrupted,
}

impl RowVerdict {
    /// good / fair / poor / inconclusive, or error.
    pub fn label(self) -> &'static str {
        match self {
            RowVerdict::Screened(v) => v.label(),
            RowVerdict::Error => "error",
            RowVerdict::Interrupted => "interrupted",
        }
    }

    fn from_label(label: &str) -> Option<Self> {
        verdict_from_label(label).map(RowVerdict::Screened)
    }
}

/// A verdict as a report writes it ("poor"); `None` for anything else.
fn verdict_from_label(label: &str) -> Option<Verdict> {
    [
        Verdict::Good,
        Verdict::Fair,
        Verdict::Poor,
        Verdict::Inconclusive,
    ]
    .into_iter()
    .find(|v| v.label() == label)
}

impl std::fmt::Display for RowVerdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}
/// One judged leg's numbers in the summary.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct LegColumns {
    pub verdict: Verdict,
    /// Median over the leg's reps of the peak valgus angle, degrees.
    pub peak_fppa_deg: f64,
    /// Median over the leg's reps of the knee's drift at the bottom, shank lengths.
    pub drift: Option<f64>,
    /// How many reps the leg was judged on.
    pub reps: usize,
    /// Median over those reps of the pelvic drop and the trunk lean, degrees (`None` where no
    /// rep measured it).
    pub pelvic_drop_deg: Option<f64>,
    pub trunk_lean_deg: Option<f64>,
}

impl LegColumns {
    /// A leg's columns from its result and the clip's reps (the leg's reps by number).
    fn of(l: &LegResult, reps: &[Rep]) -> Self {
        let judged = || reps.iter().filter(|r| l.reps.contains(&r.number));
        LegColumns {
            verdict: l.verdict,
            peak_fppa_deg: l.median_peak_fppa_deg,
            drift: l.median_drift,
            reps: l.reps.len(),
            pelvic_drop_deg: median(judged().filter_map(|r| r.pelvic_drop_deg)),
            trunk_lean_deg: median(judged().filter_map(|r| r.trunk_lean_deg)),
        }
    }
}

/// Left against right, when both legs were judged.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Asymmetry {
    /// Right minus left median peak FPPA, degrees.
    pub fppa_deg: f64,
    /// Beyond the smallest difference 2D video can tell apart.
    pub different: bool,
}

/// One line of the batch summary.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SummaryRow {
    pub clip: String,
    pub verdict: RowVerdict,
    /// "single-leg left", "double-leg", "several bouts", "unknown" (empty for an error).
    pub stance: String,
    pub reps: usize,
    /// How many bouts the clip was split into (`None` for an error, or a report from before bouts).
    pub bouts: Option<usize>,
    /// Each leg's verdict and medians; `None` when the leg was not judged.
    pub left: Option<LegColumns>,
    pub right: Option<LegColumns>,
    pub asymmetry: Option<Asymmetry>,
    /// How many capture warnings the clip got.
    pub warnings: usize,
    /// The reason that decided the verdict (the worse leg's first), or the error.
    pub note: String,
    /// The clip's HTML report, if one was written.
    pub html: Option<String>,
    /// Already analysed by an earlier run (`--skip-existing`).
    pub skipped: bool,
    /// A small JPEG of the clip for the index page (its worst rep's bottom, or the middle frame of
    /// an inconclusive clip); `None` for a kept report, an error, or no HTML report.
    #[serde(skip)]
    pub thumbnail: Option<Vec<u8>>,
}

impl SummaryRow {
    pub fn leg(&self, side: Side) -> Option<&LegColumns> {
        match side {
            Side::Left => self.left.as_ref(),
            Side::Right => self.right.as_ref(),
        }
    }

    pub fn from_analysis(a: &ClipAnalysis, html: Option<&Path>) -> Self {
        let s = &a.assessment;
        let stance = match s.stance {
            Stance::SingleLeg { side, .. } => format!("single-leg {}", side.name()),
            Stance::DoubleLeg => "double-leg".into(),
            Stance::Several => "several bouts".into(),
            Stance::Unknown => "unknown".into(),
        };
        SummaryRow {
            clip: a.info.path.display().to_string(),
            verdict: RowVerdict::Screened(s.verdict),
            stance,
            reps: s.reps.len(),
            bouts: Some(s.bouts.len()),
            left: s.legs.left.as_ref().map(|l| LegColumns::of(l, &s.reps)),
            right: s.legs.right.as_ref().map(|l| LegColumns::of(l, &s.reps)),
            asymmetry: s.comparison.as_ref().map(|c| Asymmetry {
                fppa_deg: c.fppa_difference_deg,
                different: c.different,
            }),
            warnings: s.warnings.len(),
            note: note(s),
            html: html.map(|h| h.display().to_string()),
            skipped: false,
            thumbnail: None,
        }
    }

    pub fn error(clip: &Path, message: String) -> Self {
        SummaryRow {
            clip: clip.display().to_string(),
            verdict: RowVerdict::Error,
            stance: String::new(),
            reps: 0,
            bouts: None,
            left: None,
            right: None,
            asymmetry: None,
            warnings: 0,
            note: message,
            html: None,
            skipped: false,
            thumbnail: None,
        }
    }

    /// A clip the run was interrupted before finishing: listed, so the summary shows what is
    /// left to do, and counted apart from the errors.
    pub fn interrupted(clip: &Path) -> Self {
        SummaryRow {
            verdict: RowVerdict::Interrupted,
            ..Self::error(
                clip,
                "not analysed: the run was interrupted (run again with --skip-existing to finish)"
                    .into(),
            )
        }
    }

    /// The row of a clip finished by an earlier run, read back from its JSON report. A report of
    /// schema 1 has no bouts and no legs: those columns stay empty.
    pub fn from_report(clip: &Path, report: &Path, html: Option<PathBuf>) -> Result<Self> {
        let text = read_capped(report).map_err(|e| Error::input(report, e))?;
        let v: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| Error::input(report, format!("unreadable report: {e}")))?;
        Ok(Self::from_report_value(clip, &v, html))
    }

    /// The row of a clip from its parsed report (see [`read_kept_report`] for the checks).
    pub fn from_report_value(clip: &Path, v: &serde_json::Value, html: Option<PathBuf>) -> Self {
        let a = &v["assessment"];
        let stance = match a["stance"]["kind"].as_str() {
            Some("single_leg") => {
                format!("single-leg {}", a["stance"]["side"].as_str().unwrap_or(""))
            }
            Some("double_leg") => "double-leg".into(),
            Some("several") => "several bouts".into(),
            _ => "unknown".into(),
        };
        let verdict = a["verdict"]
            .as_str()
            .and_then(RowVerdict::from_label)
            .unwrap_or(RowVerdict::Screened(Verdict::Inconclusive));
        let leg = |side: &str| {
            let l = &a["legs"][side];
            let numbers: Vec<u64> = l["reps"]
                .as_array()
                .map(|r| r.iter().filter_map(|n| n.as_u64()).collect())
                .unwrap_or_default();
            let judged = || {
                a["reps"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|r| r["number"].as_u64().is_some_and(|n| numbers.contains(&n)))
            };
            Some(LegColumns {
                verdict: verdict_from_label(l["verdict"].as_str()?)?,
                peak_fppa_deg: l["median_peak_fppa_deg"].as_f64()?,
                drift: l["median_drift"].as_f64(),
                reps: numbers.len(),
                pelvic_drop_deg: median(judged().filter_map(|r| r["pelvic_drop_deg"].as_f64())),
                trunk_lean_deg: median(judged().filter_map(|r| r["trunk_lean_deg"].as_f64())),
            })
        };
        let first_reason = |l: &serde_json::Value| l["reasons"][0].as_str().map(str::to_string);
        let legs = [
            (leg("right"), first_reason(&a["legs"]["right"])),
            (leg("left"), first_reason(&a["legs"]["left"])),
        ];
        let c = &a["comparison"];
        SummaryRow {
            clip: clip.display().to_string(),
            note: deciding_reason(verdict, &legs)
                .or_else(|| a["reasons"][0].as_str().map(str::to_string))
                .unwrap_or_default(),
            verdict,
            stance,
            reps: a["reps"].as_array().map_or(0, |r| r.len()),
            bouts: a["bouts"].as_array().map(|b| b.len()),
            left: legs[1].0,
            right: legs[0].0,
            asymmetry: c["fppa_difference_deg"].as_f64().map(|d| Asymmetry {
                fppa_deg: d,
                different: c["different"].as_bool().unwrap_or(false),
            }),
            warnings: a["warnings"].as_array().map_or(0, |w| w.len()),
            html: html
                .filter(|h| h.is_file())
                .map(|h| h.display().to_string()),
            skipped: true,
            thumbnail: None,
        }
    }
}

/// A report larger than this is not one kneetrack wrote (a 20-minute clip's is about 25 MB).
const MAX_REPORT_BYTES: u64 = 256 << 20;

/// The text of a report, refusing what is not a regular file or is larger than a report can be.
fn read_capped(report: &Path) -> std::result::Result<String, String> {
    use std::io::Read;
    let meta = std::fs::metadata(report).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("is not a regular file".into());
    }
    let mut bytes = Vec::new();
    std::fs::File::open(report)
        .and_then(|f| f.take(MAX_REPORT_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_REPORT_BYTES {
        return Err(format!(
            "larger than {} MiB, not a kneetrack report",
            MAX_REPORT_BYTES >> 20
        ));
    }
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text, not a kneetrack report".into())
}

/// The report an earlier run left for `clip`, when it can be kept: a JSON report of a schema this
/// kneetrack reads, naming this clip as its source, with a verdict. Otherwise why not, in one
/// line (`--skip-existing` then analyses the clip again).
pub fn read_kept_report(
    clip: &Path,
    report: &Path,
) -> std::result::Result<serde_json::Value, String> {
    let text = read_capped(report)?;
    let v: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| crate::error::first_line(&format!("unreadable report: {e}")))?;
    check_kept_report(clip, &v)?;
    Ok(v)
}

/// The checks of [`read_kept_report`] on a parsed report.
pub fn check_kept_report(clip: &Path, v: &serde_json::Value) -> std::result::Result<(), String> {
    let schema = v
        .get("schema_version")
        .ok_or("not a kneetrack report (no schema_version)")?;
    let current = crate::output::report::SCHEMA_VERSION as u64;
    if !schema.as_u64().is_some_and(|s| (1..=current).contains(&s)) {
        return Err(format!(
            "schema_version {}, not one this kneetrack reads (1 to {current})",
            crate::error::first_line(&schema.to_string())
                .chars()
                .take(40)
                .collect::<String>()
        ));
    }
    let source = v["info"]["path"]
        .as_str()
        .ok_or("names no source clip (info.path)")?;
    if !same_clip(source, clip) {
        return Err(format!(
            "is the report of {}, not of this clip",
            crate::names::sanitize(source)
                .chars()
                .take(200)
                .collect::<String>()
        ));
    }
    if v["assessment"]["verdict"]
        .as_str()
        .and_then(verdict_from_label)
        .is_none()
    {
        return Err("holds no verdict".into());
    }
    Ok(())
}

/// Whether a report's source path names `clip`: the same text, or the same file.
fn same_clip(source: &str, clip: &Path) -> bool {
    if source == crate::names::lossy(clip) {
        return true;
    }
    match (std::fs::canonicalize(source), std::fs::canonicalize(clip)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The note: the first reason of the leg that decided the verdict (the worse judged leg; the right
/// one on a tie, as the reasons list it first), else the clip's first reason.
fn note(s: &Assessment) -> String {
    let first = |l: &Option<LegResult>| l.as_ref().and_then(|l| l.reasons.first().cloned());
    let columns = |l: &Option<LegResult>| l.as_ref().map(|l| LegColumns::of(l, &s.reps));
    let legs = [
        (columns(&s.legs.right), first(&s.legs.right)),
        (columns(&s.legs.left), first(&s.legs.left)),
    ];
    deciding_reason(RowVerdict::Screened(s.verdict), &legs)
        .or_else(|| s.reasons.first().cloned())
        .unwrap_or_default()
}

/// The first reason of the first leg (right, then left) whose verdict is the clip's.
fn deciding_reason(
    verdict: RowVerdict,
    legs: &[(Option<LegColumns>, Option<String>); 2],
) -> Option<String> {
    legs.iter()
        .find(|(l, _)| l.is_some_and(|l| RowVerdict::Screened(l.verdict) == verdict))
        .and_then(|(_, reason)| reason.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixture::two_bout_clip;
    use crate::output::report::to_json;

    #[test]
    fn an_earlier_report_reads_back_as_a_typed_row() {
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("a.kneetrack.json");
        // Schema 1: no bouts, no legs; those columns stay empty.
        std::fs::write(
            &report,
            r#"{"schema_version": 1, "assessment": {"verdict": "poor", "stance": {"kind": "single_leg", "side": "left"},
                "reasons": ["The left knee collapsed inward."],
                "reps": [{"legs": [{"peak_fppa_deg": 24.0}]}, {"legs": [{"peak_fppa_deg": 26.0}]}]}}"#,
        )
        .unwrap();
        let row = SummaryRow::from_report(Path::new("a.mp4"), &report, None).unwrap();
        assert_eq!(row.verdict, RowVerdict::Screened(Verdict::Poor));
        assert_eq!(row.verdict.to_string(), "poor");
        assert_eq!((row.stance.as_str(), row.reps), ("single-leg left", 2));
        assert_eq!(
            (row.bouts, row.left, row.right, row.asymmetry),
            (None, None, None, None)
        );
        assert_eq!(row.note, "The left knee collapsed inward.");
        assert!(row.skipped);
        // A verdict kneetrack never writes is not taken for one.
        std::fs::write(&report, r#"{"assessment": {"verdict": "excellent"}}"#).unwrap();
        let row = SummaryRow::from_report(Path::new("a.mp4"), &report, None).unwrap();
        assert_eq!(row.verdict, RowVerdict::Screened(Verdict::Inconclusive));
        assert_eq!(
            SummaryRow::error(Path::new("b.mp4"), "b.mp4: is empty".into()).verdict,
            RowVerdict::Error
        );
    }

    #[test]
    fn a_schema_2_report_reads_back_as_the_analysis_row() {
        let clip = two_bout_clip();
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("both.kneetrack.json");
        std::fs::write(&report, to_json(&clip).unwrap()).unwrap();
        let read = SummaryRow::from_report(&clip.info.path, &report, None).unwrap();
        let fresh = SummaryRow::from_analysis(&clip, None);
        // JSON keeps a float to its last digit or so.
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        let (r, f) = (read.asymmetry.unwrap(), fresh.asymmetry.unwrap());
        assert!(close(r.fppa_deg, f.fppa_deg) && r.different == f.different);
        for (r, f) in [(read.left, fresh.left), (read.right, fresh.right)] {
            let (r, f) = (r.unwrap(), f.unwrap());
            assert_eq!(r.verdict, f.verdict);
            assert!(close(r.peak_fppa_deg, f.peak_fppa_deg));
            assert!(close(r.drift.unwrap(), f.drift.unwrap()));
        }
        let same = SummaryRow {
            left: fresh.left,
            right: fresh.right,
            asymmetry: fresh.asymmetry,
            skipped: false,
            thumbnail: None,
            ..read
        };
        assert_eq!(same, fresh);
        assert_eq!(fresh.stance, "several bouts");
        assert_eq!(fresh.bouts, Some(2));
        assert_eq!(fresh.left.unwrap().verdict, Verdict::Poor);
        assert_eq!(fresh.right.unwrap().verdict, Verdict::Good);
        assert!(fresh.asymmetry.unwrap().different);
    }
}
