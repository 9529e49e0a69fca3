//! `kneetrack summary DIR…`: the summary of a batch run as independent shards (a Kubernetes
//! Indexed Job, a SLURM array, GNU parallel), rebuilt from the JSON reports the shards left in
//! their folders, so one summary.csv and index.html cover them all.
use super::row::SummaryRow;
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// The `*.kneetrack.json` reports in `dirs`, sorted by path, each once.
pub fn reports_in(dirs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for dir in dirs {
        if !dir.is_dir() {
            return Err(Error::input(dir, "is not a folder"));
        }
        let entries = std::fs::read_dir(dir).map_err(|e| Error::input(dir, e.to_string()))?;
        found.extend(entries.flatten().map(|e| e.path()).filter(|p| {
            p.is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with(".kneetrack.json") && !n.starts_with('.'))
        }));
    }
    found.sort();
    found.dedup();
    Ok(found)
}

/// One summary row per report: the clip named inside the report, its HTML report beside it
/// where there is one. A report that cannot be read is an error row naming it; the same clip in
/// two folders (a shard run twice) is listed once, from the first folder given.
pub fn rows_from_reports(reports: &[PathBuf]) -> Vec<SummaryRow> {
    let mut rows: Vec<SummaryRow> = Vec::new();
    for report in reports {
        let clip = clip_of(report).unwrap_or_else(|| report.clone());
        let html = report.with_extension("html");
        let row = match SummaryRow::from_report(&clip, report, Some(html)) {
            Ok(row) => SummaryRow {
                skipped: false,
                ..row
            },
            Err(e) => SummaryRow::error(report, e.to_string()),
        };
        if !rows.iter().any(|r| r.clip == row.clip) {
            rows.push(row);
        }
    }
    rows
}

/// The clip path a report names (`info.path`).
fn clip_of(report: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(report).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v["info"]["path"].as_str().map(PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixture::{squat_clip, two_bout_clip};
    use crate::output::report::to_json;

    #[test]
    fn shards_folders_merge_into_one_list() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("shard-1"), dir.path().join("shard-2"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        std::fs::write(
            a.join("both.kneetrack.json"),
            to_json(&two_bout_clip()).unwrap(),
        )
        .unwrap();
        std::fs::write(a.join("both.kneetrack.html"), "<html>").unwrap();
        std::fs::write(
            b.join("squat.kneetrack.json"),
            to_json(&squat_clip()).unwrap(),
        )
        .unwrap();
        std::fs::write(b.join("broken.kneetrack.json"), "{").unwrap();
        std::fs::write(b.join("notes.json"), "{}").unwrap();
        let reports = reports_in(&[a.clone(), b.clone()]).unwrap();
        assert_eq!(reports.len(), 3, "{reports:?}");
        let rows = rows_from_reports(&reports);
        assert_eq!(rows.len(), 3);
        let both = rows.iter().find(|r| r.clip == "both.mp4").unwrap();
        assert_eq!(both.bouts, Some(2));
        assert_eq!(
            both.html.as_deref(),
            Some(a.join("both.kneetrack.html").to_str().unwrap())
        );
        assert!(!both.skipped);
        let broken = rows
            .iter()
            .find(|r| r.clip.ends_with("broken.kneetrack.json"))
            .unwrap();
        assert_eq!(broken.verdict, super::super::RowVerdict::Error);
        assert!(reports_in(&[dir.path().join("missing")]).is_err());
    }
}
