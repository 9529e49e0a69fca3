//! One clip's line of the batch summary, from its analysis, its error, or its earlier report.
use crate::assess::signal;
use crate::assess::{Stance, Verdict};
use crate::clip::ClipAnalysis;
use crate::error::{Error, Result};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// What became of a clip: the screen's verdict, or an error that kept it from being analysed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowVerdict {
    Screened(Verdict),
    Error,
}

impl RowVerdict {
    /// good / fair / poor / inconclusive, or error.
    pub fn label(self) -> &'static str {
        match self {
            RowVerdict::Screened(v) => v.label(),
            RowVerdict::Error => "error",
        }
    }

    fn from_label(label: &str) -> Option<Self> {
        [
            Verdict::Good,
            Verdict::Fair,
            Verdict::Poor,
            Verdict::Inconclusive,
        ]
        .into_iter()
        .find(|v| v.label() == label)
        .map(RowVerdict::Screened)
    }
}

impl std::fmt::Display for RowVerdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}
/// One line of the batch summary.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SummaryRow {
    pub clip: String,
    pub verdict: RowVerdict,
    /// "single-leg left", "double-leg", "unknown" (empty for an error).
    pub stance: String,
    pub reps: usize,
    /// Median peak valgus angle of the judged leg(s), degrees.
    pub peak_fppa_deg: Option<f64>,
    /// The first reason, or the error.
    pub note: String,
    /// The clip's HTML report, if one was written.
    pub html: Option<String>,
    /// Already analysed by an earlier run (`--skip-existing`).
    pub skipped: bool,
}

impl SummaryRow {
    pub fn from_analysis(a: &ClipAnalysis, html: Option<&Path>) -> Self {
        let s = &a.assessment;
        let stance = match s.stance {
            Stance::SingleLeg { side, .. } => format!("single-leg {}", side.name()),
            Stance::DoubleLeg => "double-leg".into(),
            Stance::Several => "several bouts".into(),
            Stance::Unknown => "unknown".into(),
        };
        let peaks = s
            .reps
            .iter()
            .flat_map(|r| r.legs.iter().filter_map(|l| l.peak_fppa_deg));
        SummaryRow {
            clip: a.info.path.display().to_string(),
            verdict: RowVerdict::Screened(s.verdict),
            stance,
            reps: s.reps.len(),
            peak_fppa_deg: signal::median(peaks).filter(|_| s.verdict != Verdict::Inconclusive),
            note: s.reasons.first().cloned().unwrap_or_default(),
            html: html.map(|h| h.display().to_string()),
            skipped: false,
        }
    }

    pub fn error(clip: &Path, message: String) -> Self {
        SummaryRow {
            clip: clip.display().to_string(),
            verdict: RowVerdict::Error,
            stance: String::new(),
            reps: 0,
            peak_fppa_deg: None,
            note: message,
            html: None,
            skipped: false,
        }
    }

    /// The row of a clip finished by an earlier run, read back from its JSON report.
    pub fn from_report(clip: &Path, report: &Path, html: Option<PathBuf>) -> Result<Self> {
        let text =
            std::fs::read_to_string(report).map_err(|e| Error::input(report, e.to_string()))?;
        let v: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| Error::input(report, format!("unreadable report: {e}")))?;
        let a = &v["assessment"];
        let stance = match a["stance"]["kind"].as_str() {
            Some("single_leg") => {
                format!("single-leg {}", a["stance"]["side"].as_str().unwrap_or(""))
            }
            Some("double_leg") => "double-leg".into(),
            _ => "unknown".into(),
        };
        let peaks = a["reps"].as_array().into_iter().flatten().flat_map(|r| {
            r["legs"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|l| l["peak_fppa_deg"].as_f64())
        });
        let verdict = a["verdict"]
            .as_str()
            .and_then(RowVerdict::from_label)
            .unwrap_or(RowVerdict::Screened(Verdict::Inconclusive));
        Ok(SummaryRow {
            clip: clip.display().to_string(),
            peak_fppa_deg: signal::median(peaks)
                .filter(|_| verdict != RowVerdict::Screened(Verdict::Inconclusive)),
            verdict,
            stance,
            reps: a["reps"].as_array().map_or(0, |r| r.len()),
            note: a["reasons"][0].as_str().unwrap_or("").to_string(),
            html: html
                .filter(|h| h.is_file())
                .map(|h| h.display().to_string()),
            skipped: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_earlier_report_reads_back_as_a_typed_row() {
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("a.kneetrack.json");
        std::fs::write(
            &report,
            r#"{"assessment": {"verdict": "poor", "stance": {"kind": "single_leg", "side": "left"},
                "reasons": ["The left knee collapsed inward."],
                "reps": [{"legs": [{"peak_fppa_deg": 24.0}]}, {"legs": [{"peak_fppa_deg": 26.0}]}]}}"#,
        )
        .unwrap();
        let row = SummaryRow::from_report(Path::new("a.mp4"), &report, None).unwrap();
        assert_eq!(row.verdict, RowVerdict::Screened(Verdict::Poor));
        assert_eq!(row.verdict.to_string(), "poor");
        assert_eq!((row.stance.as_str(), row.reps), ("single-leg left", 2));
        assert_eq!(row.peak_fppa_deg, Some(25.0));
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
}
