//! The batch summary in its three formats: a terminal table, CSV and an HTML index. Each shows
//! both legs' numbers side by side (left, right, then right minus left), never pooled.
use super::row::{Asymmetry, LegColumns, RowVerdict, SummaryRow};
use crate::assess::Verdict;
use crate::output::bout_and_leg_text::{drift_value, fppa_value, LEGS};
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
        "{:<width$}  {:<12}  {:<17}  {:>4}  {:>5}  {:<19}  {:<19}  {:<12}  note\n",
        "clip",
        "verdict",
        "stance",
        "reps",
        "bouts",
        "left (FPPA, drift)",
        "right (FPPA, drift)",
        "right−left"
    );
    for r in rows {
        let name: String = short_name(&r.clip).chars().take(width).collect();
        let [left, right] = LEGS.map(|side| r.leg(side).map_or_else(|| "—".into(), leg_cell));
        let asymmetry = r.asymmetry.map_or_else(|| "—".into(), asymmetry_cell);
        let bouts = r.bouts.map_or_else(|| "—".into(), |b| b.to_string());
        let verdict = if r.skipped {
            format!("{} (kept)", r.verdict)
        } else {
            r.verdict.to_string()
        };
        let note: String = crate::names::sanitize(&r.note).chars().take(90).collect();
        let _ = writeln!(
            out,
            "{name:<width$}  {verdict:<12}  {:<17}  {:>4}  {bouts:>5}  {left:<19}  {right:<19}  {asymmetry:<12}  {note}",
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

/// A leg in the table: "poor  25°  23%".
fn leg_cell(l: &LegColumns) -> String {
    format!(
        "{:<4} {:>4} {:>4}",
        l.verdict.label(),
        fppa_value(Some(l.peak_fppa_deg)),
        drift_value(l.drift)
    )
}

/// Right minus left: "-16° differs" beyond what 2D video can tell apart, else "+1°".
fn asymmetry_cell(a: Asymmetry) -> String {
    let d = format!("{:+.0}°", a.fppa_deg);
    if a.different {
        format!("{d} differs")
    } else {
        d
    }
}

/// The clip's file name for the terminal table, control characters escaped.
fn short_name(clip: &str) -> String {
    let name = Path::new(clip)
        .file_name()
        .map_or_else(|| clip.to_string(), |n| n.to_string_lossy().into_owned());
    crate::names::sanitize(&name)
}

/// One CSV field (RFC 4180): quoted when it holds a comma, a quote, a CR or an LF.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The summary as CSV: per leg its verdict, median peak FPPA (degrees) and median drift (shank
/// lengths, as the per-frame CSV); right minus left; empty where there is none.
pub fn summary_csv(rows: &[SummaryRow]) -> String {
    let mut out = String::from("clip,verdict,stance,reps,bouts");
    for side in LEGS {
        let _ = write!(out, ",{0}_verdict,{0}_peak_fppa_deg,{0}_drift", side.name());
    }
    out.push_str(",fppa_asymmetry_deg,left_right_different,note,html,skipped\n");
    let number =
        |v: Option<f64>, digits: usize| v.map_or_else(String::new, |v| format!("{v:.digits$}"));
    for r in rows {
        let _ = write!(
            out,
            "{},{},{},{},{}",
            csv_field(&r.clip),
            r.verdict,
            csv_field(&r.stance),
            r.reps,
            r.bouts.map_or_else(String::new, |b| b.to_string()),
        );
        for side in LEGS {
            let l = r.leg(side);
            let _ = write!(
                out,
                ",{},{},{}",
                l.map_or("", |l| l.verdict.label()),
                number(l.map(|l| l.peak_fppa_deg), 1),
                number(l.and_then(|l| l.drift), 3)
            );
        }
        let _ = writeln!(
            out,
            ",{},{},{},{},{}",
            number(r.asymmetry.map(|a| a.fppa_deg), 1),
            r.asymmetry
                .map_or_else(String::new, |a| a.different.to_string()),
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
        let [left, right] = LEGS.map(|side| r.leg(side).map_or_else(|| "—".into(), leg_html));
        let _ = writeln!(
            body,
            "<tr><td>{link}</td><td class=\"v {v}\">{v}</td><td>{}</td><td>{}</td><td>{}</td><td>{left}</td><td>{right}</td><td>{}</td><td>{}</td></tr>",
            html::escape(&r.stance),
            r.reps,
            r.bouts.map_or_else(|| "—".into(), |b| b.to_string()),
            html::escape(&r.asymmetry.map_or_else(|| "—".into(), asymmetry_cell)),
            html::escape(&r.note),
            v = r.verdict.label(),
        );
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>kneetrack batch summary</title>\n<style>\
body{{font-family:system-ui,sans-serif;margin:2em;color:#222}}table{{border-collapse:collapse}}td,th{{padding:.35em .7em;border-bottom:1px solid #ddd;text-align:left}}\
.good{{color:#1a7f37}}.fair{{color:#b26b00}}.poor{{color:#c62828}}.inconclusive{{color:#666}}.error{{color:#c62828;font-weight:bold}}\
</style></head><body>\n<h1>kneetrack batch summary</h1>\n<table><tr><th>clip</th><th>verdict</th><th>stance</th><th>reps</th><th>bouts</th><th>left leg</th><th>right leg</th><th>right − left FPPA</th><th>note</th></tr>\n{body}</table>\n<p>{}</p>\n</body></html>\n",
        html::escape(report::DISCLAIMER)
    )
}

/// A leg in the index: its verdict in its colour, median peak FPPA and drift.
fn leg_html(l: &LegColumns) -> String {
    format!(
        "<span class=\"v {v}\">{v}</span> {} · drift {}",
        html::escape(&fppa_value(Some(l.peak_fppa_deg))),
        html::escape(&drift_value(l.drift)),
        v = l.verdict.label()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixture::{squat_clip, two_bout_clip};

    #[test]
    fn summary_formats_escape_and_quote() {
        let rows = vec![
            SummaryRow {
                clip: "x/<b>a,b.mp4".into(),
                verdict: RowVerdict::Screened(Verdict::Poor),
                stance: "single-leg left".into(),
                reps: 5,
                bouts: Some(1),
                left: Some(LegColumns {
                    verdict: Verdict::Poor,
                    peak_fppa_deg: 24.6,
                    drift: Some(0.2),
                }),
                right: None,
                asymmetry: None,
                note: "The \"left\" knee".into(),
                html: None,
                skipped: false,
            },
            SummaryRow::error(Path::new("bad.mp4"), "bad.mp4: is empty".into()),
        ];
        let csv = summary_csv(&rows);
        assert!(
            csv.contains("\"x/<b>a,b.mp4\",poor,single-leg left,5,1,poor,24.6,0.200,,,,,,\"The \"\"left\"\" knee\""),
            "{csv}"
        );
        let page = summary_html(&rows, Path::new("."));
        assert!(!page.contains("<b>a") && page.contains("&lt;b&gt;a"));
        let table = summary_table(&rows);
        assert!(
            table.contains("2 clips: 0 good, 0 fair, 1 poor, 0 inconclusive, 1 errors"),
            "{table}"
        );
    }

    #[test]
    fn a_cr_in_a_name_is_quoted_and_never_reaches_the_table_raw() {
        let rows = vec![SummaryRow::error(
            Path::new("dir/a\rb\u{1b}[31m.mp4"),
            "a: is empty".into(),
        )];
        let csv = summary_csv(&rows);
        assert!(
            csv.contains("\n\"dir/a\rb\u{1b}[31m.mp4\",error,"),
            "{csv:?}"
        );
        let table = summary_table(&rows);
        assert!(!table.contains(['\r', '\u{1b}']), "{table:?}");
        assert!(table.contains("a\\rb\\u{1b}[31m.mp4"), "{table:?}");
    }

    #[test]
    fn both_legs_side_by_side_never_pooled() {
        let rows = [
            SummaryRow::from_analysis(&two_bout_clip(), None),
            SummaryRow::from_analysis(&squat_clip(), None),
        ];
        let csv = summary_csv(&rows);
        let mut lines = csv.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        // Fields split at commas outside quotes (the notes hold commas).
        let fields = |line: &str| {
            let mut out = vec![String::new()];
            let mut quoted = false;
            for c in line.chars() {
                match c {
                    '"' => quoted = !quoted,
                    ',' if !quoted => out.push(String::new()),
                    c => out.last_mut().unwrap().push(c),
                }
            }
            out
        };
        assert_eq!(
            header,
            [
                "clip",
                "verdict",
                "stance",
                "reps",
                "bouts",
                "left_verdict",
                "left_peak_fppa_deg",
                "left_drift",
                "right_verdict",
                "right_peak_fppa_deg",
                "right_drift",
                "fppa_asymmetry_deg",
                "left_right_different",
                "note",
                "html",
                "skipped"
            ]
        );
        let both = fields(lines.next().unwrap());
        let col = |row: &[String], name: &str| {
            row[header.iter().position(|h| *h == name).unwrap()].clone()
        };
        assert_eq!(col(&both, "stance"), "several bouts");
        assert_eq!(col(&both, "bouts"), "2");
        assert_eq!(col(&both, "left_verdict"), "poor");
        assert_eq!(col(&both, "right_verdict"), "good");
        let left: f64 = col(&both, "left_peak_fppa_deg").parse().unwrap();
        let right: f64 = col(&both, "right_peak_fppa_deg").parse().unwrap();
        let asym: f64 = col(&both, "fppa_asymmetry_deg").parse().unwrap();
        assert!((left - 25.0).abs() < 1.5 && (right - 5.0).abs() < 1.5);
        assert!((asym - (right - left)).abs() < 0.11);
        assert_eq!(col(&both, "left_right_different"), "true");
        // The note explains the verdict: the poor leg's reason, not the good one's.
        assert!(
            col(&both, "note").starts_with("Bout 2: The left knee"),
            "{both:?}"
        );
        let one = fields(lines.next().unwrap());
        assert_eq!((both.len(), one.len()), (header.len(), header.len()));
        assert_eq!(col(&one, "left_verdict"), "");
        assert_eq!(col(&one, "right_verdict"), "poor");
        assert_eq!(col(&one, "fppa_asymmetry_deg"), "");

        let table = summary_table(&rows);
        let header = table.lines().next().unwrap();
        for column in [
            "bouts",
            "left (FPPA, drift)",
            "right (FPPA, drift)",
            "right−left",
        ] {
            assert!(header.contains(&format!("  {column}  ")), "{header}");
        }
        let line = table.lines().nth(1).unwrap();
        assert!(line.contains(" poor  25°  "), "{line}");
        assert!(
            line.contains(" good   5°  ") && line.contains("° differs"),
            "{line}"
        );
        // The columns line up under the header.
        let at = |s: &str, needle: &str| {
            s.chars().count() - s[s.find(needle).unwrap()..].chars().count()
        };
        assert_eq!(at(line, " poor  25°"), at(header, " left (FPPA"));

        let page = summary_html(&rows, Path::new("."));
        assert!(page.contains("<th>left leg</th><th>right leg</th><th>right − left FPPA</th>"));
        assert!(
            page.contains("<td><span class=\"v poor\">poor</span> 25° · drift "),
            "{page}"
        );
    }
}
