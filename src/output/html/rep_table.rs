//! The report's "Reps" section: a row per rep with its times, depth, each leg's values and the
//! verdict, and the reps' notes.
use super::text::{escape, value_or_dash, verdict_css};
use crate::assess::Rep;
use std::fmt::Write as _;

/// Appends the section.
pub fn reps_section(o: &mut String, reps: &[Rep]) {
    o.push_str("<section class=\"reps\"><h2>Reps</h2>");
    if reps.is_empty() {
        o.push_str("<p>No complete reps were found.</p>");
    } else {
        o.push_str(
            "<table><thead><tr><th>#</th><th>start</th><th>bottom</th><th>end</th><th>depth</th>\
             <th>leg</th><th>peak FPPA</th><th>FPPA at bottom</th><th>drift at bottom</th>\
             <th>verdict</th></tr></thead><tbody>",
        );
        for r in reps {
            let per_leg = |f: &dyn Fn(&crate::assess::RepLeg) -> String| {
                r.legs.iter().map(f).collect::<Vec<_>>().join("<br>")
            };
            let _ = write!(
                o,
                r#"<tr class="rep-row"><td>{}</td><td>{:.2} s</td><td>{:.2} s</td><td>{:.2} s</td><td>{:.0}%</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><span class="badge" style="background:{}">{}</span></td></tr>"#,
                r.number,
                r.start_s,
                r.bottom_s,
                r.end_s,
                r.depth * 100.0,
                per_leg(&|l| l.side.name().to_string()),
                per_leg(&|l| value_or_dash(l.peak_fppa_deg, 1, "°")),
                per_leg(&|l| value_or_dash(l.fppa_at_bottom_deg, 1, "°")),
                per_leg(&|l| value_or_dash(l.drift_at_bottom.map(|d| d * 100.0), 0, "%")),
                verdict_css(r.verdict),
                r.verdict.label()
            );
        }
        o.push_str("</tbody></table>");
        let notes: Vec<String> = reps
            .iter()
            .flat_map(|r| {
                r.reasons
                    .iter()
                    .map(move |t| format!("Rep {}: {t}", r.number))
            })
            .collect();
        if !notes.is_empty() {
            o.push_str("<ul>");
            for n in notes {
                let _ = write!(o, "<li>{}</li>", escape(&n));
            }
            o.push_str("</ul>");
        }
    }
    o.push_str("</section>");
}
