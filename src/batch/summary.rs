//! The batch summary in its three formats: a terminal table, CSV and an HTML index. Each shows
//! both legs' numbers side by side (left, right, then right minus left), never pooled.
use super::row::{Asymmetry, LegColumns, RowVerdict, SummaryRow};
use crate::assess::Verdict;
use crate::output::bout_and_leg_text::{drift_value, fppa_value, LEGS};
use crate::output::{html, report};
use std::fmt::Write as _;
use std::path::Path;

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
    let interrupted = match count(RowVerdict::Interrupted) {
        0 => String::new(),
        n => format!(", {n} interrupted"),
    };
    let _ = writeln!(
        out,
        "{}: {} good, {} fair, {} poor, {} inconclusive, {}{interrupted}",
        report::count(rows.len(), "clip", "clips"),
        screened(Verdict::Good),
        screened(Verdict::Fair),
        screened(Verdict::Poor),
        screened(Verdict::Inconclusive),
        report::count(count(RowVerdict::Error), "error", "errors")
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

/// The summary as CSV: per leg its verdict, median peak FPPA (degrees), median drift (shank
/// lengths, as the per-frame CSV), the reps it was judged on, median pelvic drop and trunk lean
/// (degrees); right minus left; the clip's warnings; the report's path relative to `csv_dir` (the
/// CSV's own folder); empty where there is none.
pub fn summary_csv(rows: &[SummaryRow], csv_dir: &Path) -> String {
    let mut out = String::from("clip,verdict,stance,reps,bouts");
    for side in LEGS {
        let _ = write!(
            out,
            ",{0}_verdict,{0}_peak_fppa_deg,{0}_drift,{0}_reps,{0}_pelvic_drop_deg,{0}_trunk_lean_deg",
            side.name()
        );
    }
    out.push_str(",fppa_asymmetry_deg,left_right_different,warnings,note,html,skipped\n");
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
                ",{},{},{},{},{},{}",
                l.map_or("", |l| l.verdict.label()),
                number(l.map(|l| l.peak_fppa_deg), 1),
                number(l.and_then(|l| l.drift), 3),
                l.map_or_else(String::new, |l| l.reps.to_string()),
                number(l.and_then(|l| l.pelvic_drop_deg), 1),
                number(l.and_then(|l| l.trunk_lean_deg), 1),
            );
        }
        let link = r
            .html
            .as_deref()
            .map(|h| relative_path(csv_dir, Path::new(h)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            ",{},{},{},{},{},{}",
            number(r.asymmetry.map(|a| a.fppa_deg), 1),
            r.asymmetry
                .map_or_else(String::new, |a| a.different.to_string()),
            r.warnings,
            csv_field(&r.note),
            csv_field(&link),
            r.skipped
        );
    }
    out
}

/// `to` relative to the folder `from_dir` as a plain path ("x.kneetrack.html", "../r/x.html").
fn relative_path(from_dir: &Path, to: &Path) -> String {
    let href = html::relative_href(from_dir, to);
    let plain = href.strip_prefix("./").unwrap_or(&href);
    percent_decode(plain)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Sorting and filtering the index table: click a header to sort (again to reverse), type to
/// filter, click a count to show only that verdict. Inline, no external code.
const INDEX_SCRIPT: &str = r#"(function(){
var table=document.getElementById('clips');var body=table.tBodies[0];
var rows=Array.prototype.slice.call(body.rows);var query=document.getElementById('filter');
var only='';var shown=document.getElementById('shown');
function apply(){var q=query.value.toLowerCase();var n=0;
rows.forEach(function(r){var ok=(!only||r.getAttribute('data-verdict')===only)&&(!q||r.textContent.toLowerCase().indexOf(q)>=0);
r.style.display=ok?'':'none';if(ok){n++;}});shown.textContent=n+' of '+rows.length+' shown';}
query.addEventListener('input',apply);
Array.prototype.forEach.call(document.querySelectorAll('button[data-only]'),function(b){
b.addEventListener('click',function(){only=b.getAttribute('data-only');
Array.prototype.forEach.call(document.querySelectorAll('button[data-only]'),function(o){o.setAttribute('aria-pressed',o===b?'true':'false');});apply();});});
Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,col){
th.addEventListener('click',function(){var dir=th.getAttribute('aria-sort')==='ascending'?-1:1;
Array.prototype.forEach.call(table.tHead.rows[0].cells,function(o){o.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',dir>0?'ascending':'descending');
rows.sort(function(a,b){var x=a.cells[col].getAttribute('data-sort')||a.cells[col].textContent;
var y=b.cells[col].getAttribute('data-sort')||b.cells[col].textContent;var nx=parseFloat(x),ny=parseFloat(y);
var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return dir*c;});
rows.forEach(function(r){body.appendChild(r);});});});
apply();})();"#;

const INDEX_STYLE: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;background:#f4f4f2;color:#1d1d1d;line-height:1.4}
main{max-width:1280px;margin:0 auto;padding:20px 16px 40px}
h1{font-size:22px;margin:0 0 10px}
.counts{display:flex;flex-wrap:wrap;gap:8px;margin:0 0 12px}
.counts button{border:0;border-radius:6px;padding:6px 12px;font:inherit;font-weight:600;color:#fff;cursor:pointer}
.counts button[aria-pressed=true]{outline:3px solid #1d1d1d}
.tools{display:flex;flex-wrap:wrap;gap:10px;align-items:center;margin-bottom:10px}
.tools input{font:inherit;padding:6px 8px;border:1px solid #bbb;border-radius:6px;min-width:0;flex:1 1 200px;max-width:360px}
.card{background:#fff;border-radius:10px;box-shadow:0 1px 2px rgba(0,0,0,.08);overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{padding:6px 8px;border-bottom:1px solid #e4e4e4;text-align:right;white-space:nowrap;vertical-align:top}
th{background:#fafafa;font-weight:600;cursor:pointer;user-select:none;position:sticky;top:0}
th[aria-sort=ascending]::after{content:' ▲'}th[aria-sort=descending]::after{content:' ▼'}
th.l,td.l{text-align:left}
td.note{white-space:normal;min-width:260px;text-align:left;color:#444}
td.thumb{padding:3px 6px}td.thumb img{height:48px;width:auto;display:block;border-radius:3px}
tr.group th{cursor:default;text-align:center;background:#f0f0ee}
.badge{display:inline-block;color:#fff;border-radius:4px;padding:1px 8px;font-weight:600;font-size:13px}
.note-foot{font-size:13px;color:#555;margin-top:18px}
@media (max-width:640px){main{padding:12px 8px 30px}h1{font-size:19px}}
";

/// A verdict's badge colour; errors are dark red, clips an interrupt left unfinished grey.
fn row_css(v: RowVerdict) -> String {
    match v {
        RowVerdict::Screened(v) => html::verdict_css(v),
        RowVerdict::Error => "#7f1d1d".into(),
        RowVerdict::Interrupted => "#6b7280".into(),
    }
}

fn badge(v: RowVerdict) -> String {
    format!(
        r#"<span class="badge" style="background:{}">{}</span>"#,
        row_css(v),
        v.label()
    )
}

/// A number cell, its value for sorting in `data-sort` (empty cells sort as text, last).
fn number_cell(v: Option<f64>, text: String) -> String {
    match v.filter(|v| v.is_finite()) {
        Some(v) => format!(r#"<td data-sort="{v}">{}</td>"#, html::escape(&text)),
        None => "<td data-sort=\"\">—</td>".into(),
    }
}

/// The summary as an HTML index: the counts per verdict at the top (buttons that filter), a
/// filter box, and a table sortable by any column with per-leg columns (verdict, median peak FPPA,
/// drift, reps, pelvis, trunk), right minus left, warnings and the note; each clip's name links to
/// its report, relative to `index_dir` (the index's own folder) and percent-encoded.
pub fn summary_html(rows: &[SummaryRow], index_dir: &Path) -> String {
    let mut body = String::new();
    for r in rows {
        let name = html::escape(&short_name(&r.clip));
        let link = match &r.html {
            Some(h) => format!(
                "<a href=\"{}\">{name}</a>",
                html::escape(&html::relative_href(index_dir, Path::new(h)))
            ),
            None => name.clone(),
        };
        let thumb = match &r.thumbnail {
            Some(jpeg) => format!(
                r#"<img alt="{name}, {:.1} KB" src="data:image/jpeg;base64,{}">"#,
                jpeg.len() as f64 / 1024.0,
                html::base64(jpeg)
            ),
            None => "—".into(),
        };
        let _ = write!(
            body,
            "<tr data-verdict=\"{v}\"><td class=\"l\" title=\"{path}\">{link}</td><td class=\"l thumb\" data-sort=\"\">{thumb}</td><td class=\"l\" data-sort=\"{rank}\">{}</td><td class=\"l\">{}</td><td>{}</td>",
            badge(r.verdict),
            html::escape(&r.stance),
            r.reps,
            v = r.verdict.label(),
            rank = verdict_rank(r.verdict),
            path = html::escape(&r.clip),
        );
        for side in LEGS {
            match r.leg(side) {
                Some(l) => {
                    let _ = write!(
                        body,
                        "<td class=\"l\" data-sort=\"{}\">{}</td>{}{}<td>{}</td>{}{}",
                        verdict_rank(RowVerdict::Screened(l.verdict)),
                        badge(RowVerdict::Screened(l.verdict)),
                        number_cell(Some(l.peak_fppa_deg), fppa_value(Some(l.peak_fppa_deg))),
                        number_cell(l.drift.map(|d| d * 100.0), drift_value(l.drift)),
                        l.reps,
                        number_cell(l.pelvic_drop_deg, degrees(l.pelvic_drop_deg)),
                        number_cell(l.trunk_lean_deg, degrees(l.trunk_lean_deg)),
                    );
                }
                None => body.push_str(&"<td data-sort=\"\">—</td>".repeat(6)),
            }
        }
        let asym = r.asymmetry.map_or_else(|| "—".into(), asymmetry_cell);
        let _ = writeln!(
            body,
            "{}<td>{}</td><td class=\"note\">{}</td></tr>",
            number_cell(r.asymmetry.map(|a| a.fppa_deg), asym),
            r.warnings,
            html::escape(&r.note),
        );
    }
    let count = |v: RowVerdict| rows.iter().filter(|r| r.verdict == v).count();
    let mut counts = format!(
        r#"<button type="button" data-only="" aria-pressed="true" style="background:#3b3b3b">{}</button>"#,
        report::count(rows.len(), "clip", "clips")
    );
    for v in [
        RowVerdict::Screened(Verdict::Good),
        RowVerdict::Screened(Verdict::Fair),
        RowVerdict::Screened(Verdict::Poor),
        RowVerdict::Screened(Verdict::Inconclusive),
        RowVerdict::Error,
        RowVerdict::Interrupted,
    ] {
        let n = count(v);
        if n == 0 && matches!(v, RowVerdict::Error | RowVerdict::Interrupted) {
            continue;
        }
        let word = match v {
            RowVerdict::Error => report::count(n, "error", "errors"),
            RowVerdict::Interrupted => format!("{n} interrupted"),
            v => format!("{n} {}", v.label()),
        };
        let _ = write!(
            counts,
            r#"<button type="button" class="count" data-only="{}" aria-pressed="false" style="background:{}">{word}</button>"#,
            v.label(),
            row_css(v)
        );
    }
    let leg_headers = |side: &str| {
        format!(
            "<th class=\"l\">{side} verdict</th><th>peak FPPA</th><th>drift</th><th>reps</th><th>pelvis</th><th>trunk</th>"
        )
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>kneetrack batch summary</title><style>{INDEX_STYLE}</style></head><body><main>\n\
<h1>kneetrack batch summary</h1>\n<div class=\"counts\" id=\"counts\">{counts}</div>\n\
<div class=\"tools\"><input id=\"filter\" type=\"search\" placeholder=\"Filter: name, verdict, note…\" aria-label=\"Filter the clips\"><span id=\"shown\"></span></div>\n\
<div class=\"card\"><table id=\"clips\"><thead><tr><th class=\"l\">clip</th><th class=\"l\" title=\"the worst rep&#39;s bottom (an inconclusive clip: its middle frame), 96 px tall\">picture</th><th class=\"l\">verdict</th><th class=\"l\">stance</th><th>reps</th>{}{}<th title=\"right minus left median peak FPPA; differs: beyond the 8° 2D video can tell apart\">right − left FPPA</th><th>warnings</th><th class=\"l\">note</th></tr></thead>\n<tbody>\n{body}</tbody></table></div>\n\
<p class=\"note-foot\">Per leg: its verdict, the median over its reps of the peak knee valgus angle (FPPA), of the knee's drift inside the foot at the bottom (% of a shank length), the reps it was judged on, the median pelvic drop and trunk lean. Click a column to sort it, a count to show only those clips.</p>\n\
<p class=\"note-foot\">{}</p>\n<script>{INDEX_SCRIPT}</script>\n</main></body></html>\n",
        leg_headers("left"),
        leg_headers("right"),
        html::escape(report::DISCLAIMER)
    )
}

/// Sorting order of verdicts: good, fair, poor, inconclusive, error, interrupted.
fn verdict_rank(v: RowVerdict) -> u8 {
    match v {
        RowVerdict::Screened(Verdict::Good) => 1,
        RowVerdict::Screened(Verdict::Fair) => 2,
        RowVerdict::Screened(Verdict::Poor) => 3,
        RowVerdict::Screened(Verdict::Inconclusive) => 4,
        RowVerdict::Error => 5,
        RowVerdict::Interrupted => 6,
    }
}

fn degrees(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |v| format!("{v:.1}°"))
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
                    reps: 5,
                    pelvic_drop_deg: Some(-1.25),
                    trunk_lean_deg: None,
                }),
                right: None,
                asymmetry: None,
                warnings: 2,
                note: "The \"left\" knee".into(),
                html: Some("/data/out/javascript:alert(1) #?%.kneetrack.html".into()),
                skipped: false,
                thumbnail: None,
            },
            SummaryRow::error(Path::new("bad.mp4"), "bad.mp4: is empty".into()),
        ];
        let csv = summary_csv(&rows, Path::new("/data/out"));
        assert!(
            csv.contains("\"x/<b>a,b.mp4\",poor,single-leg left,5,1,poor,24.6,0.200,5,-1.2,,,,,,,,,,2,\"The \"\"left\"\" knee\",javascript:alert(1) #?%.kneetrack.html,false"),
            "{csv}"
        );
        let page = summary_html(&rows, Path::new("/data/out"));
        assert!(!page.contains("<b>a") && page.contains("&lt;b&gt;a"));
        assert!(
            page.contains(r#"<a href="./javascript%3Aalert%281%29%20%23%3F%25.kneetrack.html">"#),
            "{page}"
        );
        assert!(!page.contains("href=\"javascript"));
        assert!(page.contains(">2 clips</button>") && page.contains(">1 poor</button>"));
        assert!(page.contains(">1 error</button>"));
        let table = summary_table(&rows);
        assert!(
            table.contains("2 clips: 0 good, 0 fair, 1 poor, 0 inconclusive, 1 error\n"),
            "{table}"
        );
        let one = summary_table(&rows[..1]);
        assert!(one.contains("1 clip: 0 good, 0 fair, 1 poor, 0 inconclusive, 0 errors"));
    }

    #[test]
    fn a_cr_in_a_name_is_quoted_and_never_reaches_the_table_raw() {
        let rows = vec![SummaryRow::error(
            Path::new("dir/a\rb\u{1b}[31m.mp4"),
            "a: is empty".into(),
        )];
        let csv = summary_csv(&rows, Path::new("."));
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
        let csv = summary_csv(&rows, Path::new("."));
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
                "left_reps",
                "left_pelvic_drop_deg",
                "left_trunk_lean_deg",
                "right_verdict",
                "right_peak_fppa_deg",
                "right_drift",
                "right_reps",
                "right_pelvic_drop_deg",
                "right_trunk_lean_deg",
                "fppa_asymmetry_deg",
                "left_right_different",
                "warnings",
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
        assert_eq!(col(&both, "left_reps"), "5");
        assert_eq!(col(&both, "right_reps"), "5");
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
        assert!(page.contains("<th class=\"l\">left verdict</th><th>peak FPPA</th><th>drift</th><th>reps</th><th>pelvis</th><th>trunk</th>"));
        assert!(page.contains("<tr data-verdict=\"poor\">"));
        let row = page
            .lines()
            .find(|l| l.starts_with("<tr data-verdict="))
            .unwrap();
        assert_eq!(row.matches("<td").count(), 5 + 6 + 6 + 3, "{row}");
        assert!(row.contains(">poor</span></td><td data-sort=\"25"), "{row}");
    }
}
