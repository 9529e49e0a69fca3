//! The batch summary in its three formats: a terminal table, CSV and an HTML index.
use super::row::{RowVerdict, SummaryRow};
use crate::assess::Verdict;
use crate::output::{html, report};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The summary as an aligned terminal table.
pub fn summary_table(rows: &[SummaryRow]) -> String {
    let width = rows
        .iter()
        .map(|r| short_name(&r.clip).chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 48);
    let mut out = format!(
        "{:<width$}  {:<12}  {:<17}  {:>4}  {:>7}  note\n",
        "clip", "verdict", "stance", "reps", "valgus"
    );
    for r in rows {
        let name: String = short_name(&r.clip).chars().take(width).collect();
        let valgus = r
            .peak_fppa_deg
            .map_or_else(|| "—".into(), |v| format!("{v:.0}°"));
        let verdict = if r.skipped {
            format!("{} (kept)", r.verdict)
        } else {
            r.verdict.to_string()
        };
        let note: String = r.note.chars().take(90).collect();
        let _ = writeln!(
            out,
            "{name:<width$}  {verdict:<12}  {:<17}  {:>4}  {valgus:>7}  {note}",
            r.stance, r.reps
        );
    }
    let count = |v: RowVerdict| rows.iter().filter(|r| r.verdict == v).count();
    let screened = |v: Verdict| count(RowVerdict::Screened(v));
    let _ = writeln!(
        out,
        "{} clips: {} good, {} fair, {} poor, {} inconclusive, {} errors",
        rows.len(),
        screened(Verdict::Good),
        screened(Verdict::Fair),
        screened(Verdict::Poor),
        screened(Verdict::Inconclusive),
        count(RowVerdict::Error)
    );
    out
}

fn short_name(clip: &str) -> String {
    Path::new(clip)
        .file_name()
        .map_or_else(|| clip.to_string(), |n| n.to_string_lossy().into_owned())
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The summary as CSV.
pub fn summary_csv(rows: &[SummaryRow]) -> String {
    let mut out = String::from("clip,verdict,stance,reps,peak_fppa_deg,note,html,skipped\n");
    for r in rows {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{}",
            csv_field(&r.clip),
            r.verdict,
            csv_field(&r.stance),
            r.reps,
            r.peak_fppa_deg
                .map_or_else(String::new, |v| format!("{v:.1}")),
            csv_field(&r.note),
            csv_field(r.html.as_deref().unwrap_or("")),
            r.skipped
        );
    }
    out
}

/// The summary as an HTML index linking each clip's report (links relative to `index_dir`).
pub fn summary_html(rows: &[SummaryRow], index_dir: &Path) -> String {
    let mut body = String::new();
    for r in rows {
        let name = html::escape(&short_name(&r.clip));
        let link = match &r.html {
            Some(h) => {
                let rel = Path::new(h)
                    .strip_prefix(index_dir)
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|_| PathBuf::from(h));
                format!(
                    "<a href=\"{}\">{name}</a>",
                    html::escape(&rel.to_string_lossy())
                )
            }
            None => name,
        };
        let _ = writeln!(
            body,
            "<tr><td>{link}</td><td class=\"v {v}\">{v}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            html::escape(&r.stance),
            r.reps,
            r.peak_fppa_deg.map_or_else(|| "—".into(), |v| format!("{v:.0}°")),
            html::escape(&r.note),
            v = r.verdict.label(),
        );
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>kneetrack batch summary</title>\n<style>\
body{{font-family:system-ui,sans-serif;margin:2em;color:#222}}table{{border-collapse:collapse}}td,th{{padding:.35em .7em;border-bottom:1px solid #ddd;text-align:left}}\
.good{{color:#1a7f37}}.fair{{color:#b26b00}}.poor{{color:#c62828}}.inconclusive{{color:#666}}.error{{color:#c62828;font-weight:bold}}\
</style></head><body>\n<h1>kneetrack batch summary</h1>\n<table><tr><th>clip</th><th>verdict</th><th>stance</th><th>reps</th><th>valgus</th><th>note</th></tr>\n{body}</table>\n<p>{}</p>\n</body></html>\n",
        html::escape(report::DISCLAIMER)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_formats_escape_and_quote() {
        let rows = vec![
            SummaryRow {
                clip: "x/<b>a,b.mp4".into(),
                verdict: RowVerdict::Screened(Verdict::Poor),
                stance: "single-leg left".into(),
                reps: 5,
                peak_fppa_deg: Some(24.6),
                note: "The \"left\" knee".into(),
                html: None,
                skipped: false,
            },
            SummaryRow::error(Path::new("bad.mp4"), "bad.mp4: is empty".into()),
        ];
        let csv = summary_csv(&rows);
        assert!(
            csv.contains("\"x/<b>a,b.mp4\",poor,single-leg left,5,24.6,\"The \"\"left\"\" knee\"")
        );
        let page = summary_html(&rows, Path::new("."));
        assert!(!page.contains("<b>a") && page.contains("&lt;b&gt;a"));
        let table = summary_table(&rows);
        assert!(
            table.contains("2 clips: 0 good, 0 fair, 1 poor, 0 inconclusive, 1 errors"),
            "{table}"
        );
    }
}
