//! `kneetrack history`: progress over time. Reports are grouped by athlete (the `--athlete` name
//! stored at analysis time, else the clip's folder name) and ordered by when each clip was filmed
//! (`recorded.at`: its metadata, else its file time). For each session and leg: the peak FPPA,
//! drift and verdict, and whether it changed since the session before — called only beyond the
//! smallest detectable difference, so measurement noise is never reported as progress.
mod page;

pub use page::{history_csv, history_html, history_table};

use crate::error::{Error, Result};
use crate::geometry::Side;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// FPPA changes smaller than this are noise: the smallest detectable difference of 2D FPPA
/// (Munro, Herrington & Carolan 2012); a report's own `thresholds.fppa_sdd_deg` overrides it.
pub const FPPA_SDD_DEG: f64 = 8.0;

/// Drift changes smaller than this (shank lengths) are noise. No published figure exists for
/// drift; 0.10 is kneetrack's choice: 2.5× the 4% median disagreement between two pose models on
/// the same clips (README, Real clips) and two thirds of the 0.15 step from good to fair.
pub const DRIFT_SDD: f64 = 0.10;

/// One judged leg in one session.
#[derive(Debug, Clone, PartialEq)]
pub struct LegPoint {
    pub verdict: String,
    pub peak_fppa_deg: f64,
    pub drift: Option<f64>,
}

/// One report: a session of one athlete.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub athlete: String,
    /// UTC, RFC 3339 ("2026-03-01T09:30:00Z").
    pub recorded_at: String,
    /// "metadata", "file_time" (the clip's), or "report_time" (the report file's, for reports
    /// written before kneetrack stored the time).
    pub recorded_source: String,
    pub clip: String,
    pub report: PathBuf,
    pub verdict: String,
    pub left: Option<LegPoint>,
    pub right: Option<LegPoint>,
    pub fppa_sdd_deg: f64,
}

impl Session {
    pub fn leg(&self, side: Side) -> Option<&LegPoint> {
        match side {
            Side::Left => self.left.as_ref(),
            Side::Right => self.right.as_ref(),
        }
    }

    /// The date part, "2026-03-01".
    pub fn date(&self) -> &str {
        self.recorded_at.get(..10).unwrap_or(&self.recorded_at)
    }
}

/// A change between two sessions of a leg, called only beyond its smallest detectable difference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Change {
    /// The first session of the leg: nothing to compare with.
    First,
    /// Within the smallest detectable difference.
    Same(f64),
    /// Lower FPPA or drift: the knee tracks better.
    Better(f64),
    Worse(f64),
}

impl Change {
    /// `delta` = this session minus the one before; higher is worse.
    pub fn of(delta: f64, sdd: f64) -> Change {
        if delta.abs() <= sdd {
            Change::Same(delta)
        } else if delta < 0.0 {
            Change::Better(delta)
        } else {
            Change::Worse(delta)
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Change::First => "first",
            Change::Same(_) => "no change",
            Change::Better(_) => "better",
            Change::Worse(_) => "worse",
        }
    }

    pub fn delta(self) -> Option<f64> {
        match self {
            Change::First => None,
            Change::Same(d) | Change::Better(d) | Change::Worse(d) => Some(d),
        }
    }
}

/// A leg's row in one session, with its changes since the leg's session before.
#[derive(Debug, Clone, PartialEq)]
pub struct LegRow<'a> {
    pub session: &'a Session,
    pub side: Side,
    pub point: &'a LegPoint,
    pub fppa_change: Change,
    /// `None` when this or the earlier session has no drift.
    pub drift_change: Option<Change>,
}

/// Every judged leg of every session of `sessions` (one athlete, in time order), with its changes.
pub fn leg_rows(sessions: &[Session]) -> Vec<LegRow<'_>> {
    let mut rows = Vec::new();
    let mut before: [Option<&LegPoint>; 2] = [None, None];
    for s in sessions {
        for (k, side) in [Side::Left, Side::Right].into_iter().enumerate() {
            let Some(point) = s.leg(side) else { continue };
            let (fppa_change, drift_change) = match before[k] {
                None => (Change::First, None),
                Some(b) => (
                    Change::of(point.peak_fppa_deg - b.peak_fppa_deg, s.fppa_sdd_deg),
                    point
                        .drift
                        .zip(b.drift)
                        .map(|(d, e)| Change::of(d - e, DRIFT_SDD)),
                ),
            };
            rows.push(LegRow {
                session: s,
                side,
                point,
                fppa_change,
                drift_change,
            });
            before[k] = Some(point);
        }
    }
    rows
}

/// An athlete's sessions, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Athlete {
    pub name: String,
    pub sessions: Vec<Session>,
}

/// The JSON reports among `inputs`: files as given, folders searched for `*.kneetrack.json`.
pub fn report_files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            out.extend(crate::batch::reports_in(std::slice::from_ref(input))?);
        } else if input.is_file() {
            out.push(input.clone());
        } else {
            return Err(Error::input(input, "not found"));
        }
    }
    out.sort();
    out.dedup();
    if out.is_empty() {
        return Err(Error::input(
            &inputs[0],
            "holds no kneetrack reports (*.kneetrack.json)",
        ));
    }
    Ok(out)
}

/// Reads one report as a session.
pub fn read_session(report: &Path) -> Result<Session> {
    let text = std::fs::read_to_string(report).map_err(|e| Error::input(report, e.to_string()))?;
    let v: Value = serde_json::from_str(&text)
        .map_err(|e| Error::input(report, format!("not a kneetrack report: {e}")))?;
    let a = &v["assessment"];
    let Some(verdict) = a["verdict"].as_str() else {
        return Err(Error::input(
            report,
            "not a kneetrack report: no assessment.verdict",
        ));
    };
    let clip = v["info"]["path"].as_str().unwrap_or_default().to_string();
    let folder_name = |p: &Path| {
        p.parent()
            .and_then(|d| d.file_name())
            .map(|n| n.to_string_lossy().into_owned())
    };
    let athlete = v["athlete"]
        .as_str()
        .map(str::to_string)
        .or_else(|| folder_name(Path::new(&clip)))
        .or_else(|| folder_name(&std::path::absolute(report).unwrap_or_default()))
        .unwrap_or_else(|| "unknown".into());
    let (recorded_at, recorded_source) = match v["recorded"]["at"].as_str() {
        Some(at) => (
            at.to_string(),
            v["recorded"]["source"]
                .as_str()
                .unwrap_or("metadata")
                .to_string(),
        ),
        None => {
            let t = std::fs::metadata(report)
                .and_then(|m| m.modified())
                .map_err(|e| Error::input(report, e.to_string()))?;
            (crate::video::rfc3339(t), "report_time".to_string())
        }
    };
    let leg = |side: &str| {
        let l = &a["legs"][side];
        Some(LegPoint {
            verdict: l["verdict"].as_str()?.to_string(),
            peak_fppa_deg: l["median_peak_fppa_deg"].as_f64()?,
            drift: l["median_drift"].as_f64(),
        })
    };
    Ok(Session {
        athlete,
        recorded_at,
        recorded_source,
        clip,
        report: report.to_path_buf(),
        verdict: verdict.to_string(),
        left: leg("left"),
        right: leg("right"),
        fppa_sdd_deg: v["thresholds"]["fppa_sdd_deg"]
            .as_f64()
            .filter(|d| d.is_finite() && *d > 0.0)
            .unwrap_or(FPPA_SDD_DEG),
    })
}

/// The sessions grouped by athlete (sorted by name), each athlete's in time order.
pub fn group(sessions: Vec<Session>) -> Vec<Athlete> {
    let mut athletes: Vec<Athlete> = Vec::new();
    for s in sessions {
        match athletes.iter_mut().find(|a| a.name == s.athlete) {
            Some(a) => a.sessions.push(s),
            None => athletes.push(Athlete {
                name: s.athlete.clone(),
                sessions: vec![s],
            }),
        }
    }
    athletes.sort_by(|a, b| a.name.cmp(&b.name));
    for a in &mut athletes {
        a.sessions.sort_by(|x, y| {
            (x.recorded_at.as_str(), &x.report).cmp(&(y.recorded_at.as_str(), &y.report))
        });
    }
    athletes
}

/// Reads the reports among `inputs` and groups them.
pub fn load(inputs: &[PathBuf]) -> Result<Vec<Athlete>> {
    let sessions = report_files(inputs)?
        .iter()
        .map(|r| read_session(r))
        .collect::<Result<Vec<_>>>()?;
    Ok(group(sessions))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn session(
        athlete: &str,
        at: &str,
        left: Option<(f64, f64)>,
        right: Option<f64>,
    ) -> Session {
        let point = |fppa: f64, drift: Option<f64>| LegPoint {
            verdict: if fppa >= 17.0 { "poor" } else { "good" }.into(),
            peak_fppa_deg: fppa,
            drift,
        };
        Session {
            athlete: athlete.into(),
            recorded_at: at.into(),
            recorded_source: "metadata".into(),
            clip: format!("{athlete}/{at}.mp4"),
            report: PathBuf::from(format!("{at}.kneetrack.json")),
            verdict: "good".into(),
            left: left.map(|(f, d)| point(f, Some(d))),
            right: right.map(|f| point(f, None)),
            fppa_sdd_deg: FPPA_SDD_DEG,
        }
    }

    #[test]
    fn a_change_is_called_only_beyond_the_smallest_detectable_difference() {
        assert_eq!(Change::of(7.9, 8.0), Change::Same(7.9));
        assert_eq!(Change::of(-8.0, 8.0), Change::Same(-8.0));
        assert_eq!(Change::of(-8.1, 8.0), Change::Better(-8.1));
        assert_eq!(Change::of(12.0, 8.0), Change::Worse(12.0));
        let sessions = vec![
            session(
                "anna",
                "2026-01-05T10:00:00Z",
                Some((25.0, 0.22)),
                Some(9.0),
            ),
            session("anna", "2026-02-16T10:00:00Z", Some((20.0, 0.15)), None),
            session(
                "anna",
                "2026-03-30T10:00:00Z",
                Some((11.0, 0.02)),
                Some(10.0),
            ),
        ];
        let rows = leg_rows(&sessions);
        let left: Vec<&LegRow> = rows.iter().filter(|r| r.side == Side::Left).collect();
        assert_eq!(left.len(), 3);
        assert_eq!(left[0].fppa_change, Change::First);
        assert_eq!(left[1].fppa_change, Change::Same(-5.0), "5° is noise");
        assert!(matches!(left[1].drift_change, Some(Change::Same(_))));
        assert!(matches!(left[2].fppa_change, Change::Better(d) if (d + 9.0).abs() < 1e-9));
        assert!(matches!(left[2].drift_change, Some(Change::Better(_))));
        // The right leg skips the session that did not test it and compares with its last one.
        let right: Vec<&LegRow> = rows.iter().filter(|r| r.side == Side::Right).collect();
        assert_eq!(right.len(), 2);
        assert_eq!(right[1].fppa_change, Change::Same(1.0));
        assert_eq!(right[1].drift_change, None);
    }

    #[test]
    fn sessions_group_by_athlete_in_time_order() {
        let athletes = group(vec![
            session("ben", "2026-02-01T10:00:00Z", Some((5.0, 0.0)), None),
            session("anna", "2026-03-01T10:00:00Z", Some((5.0, 0.0)), None),
            session("anna", "2026-01-01T10:00:00Z", Some((5.0, 0.0)), None),
        ]);
        let names: Vec<&str> = athletes.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["anna", "ben"]);
        assert_eq!(athletes[0].sessions[0].date(), "2026-01-01");
        assert_eq!(athletes[0].sessions[1].date(), "2026-03-01");
    }

    #[test]
    fn reports_read_back_with_athlete_time_and_legs() {
        let dir = tempfile::tempdir().unwrap();
        let mut clip = crate::output::fixture::two_bout_clip();
        clip.athlete = Some("Anna".into());
        clip.recorded = Some(crate::video::Recorded {
            at: "2026-01-05T10:00:00Z".into(),
            source: "metadata",
        });
        let report = dir.path().join("both.kneetrack.json");
        std::fs::write(&report, crate::output::report::to_json(&clip).unwrap()).unwrap();
        let s = read_session(&report).unwrap();
        assert_eq!((s.athlete.as_str(), s.date()), ("Anna", "2026-01-05"));
        assert_eq!(s.recorded_source, "metadata");
        assert_eq!(s.left.as_ref().unwrap().verdict, "poor");
        assert_eq!(s.right.as_ref().unwrap().verdict, "good");
        assert_eq!(s.fppa_sdd_deg, 8.0);
        // Without an athlete the clip's folder names it; without a time, the report's file time.
        std::fs::write(
            &report,
            r#"{"info": {"path": "clips/ben/x.mp4"}, "assessment": {"verdict": "good"}}"#,
        )
        .unwrap();
        let s = read_session(&report).unwrap();
        assert_eq!(
            (s.athlete.as_str(), s.recorded_source.as_str()),
            ("ben", "report_time")
        );
        std::fs::write(&report, "{}").unwrap();
        assert!(read_session(&report).is_err());
    }
}
