//! The report's "Reps" section: a row per rep — its bout (in a clip of several), its times, the
//! table's whole-body values, the legs and each leg's values (a line per leg in a cell), the
//! verdict — and the reps' notes.
use super::text::{escape, value_or_dash, verdict_css};
use crate::assess::metric_table::{body_rep_values, leg_rep_values, Column, MetricDef, RepValue};
use crate::assess::{Rep, RepLeg};
use std::fmt::Write as _;

/// Appends the section; `with_bout`: a column for each rep's bout.
pub fn reps_section(o: &mut String, reps: &[Rep], with_bout: bool) {
    o.push_str("<section class=\"reps\"><h2>Reps</h2>");
    if reps.is_empty() {
        o.push_str("<p>No complete reps were found.</p>");
    } else {
        o.push_str(&rep_table(reps, with_bout));
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

/// The rep values that have a column, with their metrics.
fn with_columns<R>(
    values: impl Iterator<Item = (&'static MetricDef, &'static RepValue<R>)>,
) -> Vec<(&'static MetricDef, &'static RepValue<R>, &'static Column)> {
    values
        .filter_map(|(m, v)| Some((m, v, v.column.as_ref()?)))
        .collect()
}

/// A rep value as its cell writes it, in displayed units.
fn cell<R>(m: &MetricDef, value: &RepValue<R>, column: &Column, of: &R) -> String {
    let v = (value.value)(of).map(|v| m.display(v));
    value_or_dash(v, column.digits, m.unit)
}

fn rep_table(reps: &[Rep], with_bout: bool) -> String {
    let body = with_columns(body_rep_values());
    let legs = with_columns(leg_rep_values());
    let mut o = String::from("<table><thead><tr><th>#</th>");
    if with_bout {
        o.push_str("<th>bout</th>");
    }
    // Start and end make way for the knee's numbers on a phone (CSS hides `.when`).
    o.push_str("<th class=\"when\">start</th><th>bottom</th><th class=\"when\">end</th>");
    for (_, _, column) in &body {
        let _ = write!(o, "<th>{}</th>", escape(column.header));
    }
    o.push_str("<th>leg</th>");
    for (_, _, column) in &legs {
        let _ = write!(o, "<th>{}</th>", escape(column.header));
    }
    o.push_str("<th>verdict</th></tr></thead><tbody>");
    for r in reps {
        let per_leg = |text: &dyn Fn(&RepLeg) -> String| {
            r.legs.iter().map(text).collect::<Vec<_>>().join("<br>")
        };
        let _ = write!(o, r#"<tr class="rep-row"><td>{}</td>"#, r.number);
        if with_bout {
            let _ = write!(o, "<td>{}</td>", r.bout);
        }
        let _ = write!(
            o,
            "<td class=\"when\">{:.2} s</td><td>{:.2} s</td><td class=\"when\">{:.2} s</td>",
            r.start_s, r.bottom_s, r.end_s
        );
        for (m, value, column) in &body {
            let _ = write!(o, "<td>{}</td>", cell(m, value, column, r));
        }
        let _ = write!(o, "<td>{}</td>", per_leg(&|l| l.side.name().to_string()));
        for (m, value, column) in &legs {
            let _ = write!(o, "<td>{}</td>", per_leg(&|l| cell(m, value, column, l)));
        }
        let _ = write!(
            o,
            r#"<td><span class="badge" style="background:{}">{}</span></td></tr>"#,
            verdict_css(r.verdict),
            r.verdict.label()
        );
    }
    o.push_str("</tbody></table>");
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixture::{squat_clip, two_bout_clip};

    #[test]
    fn every_row_has_a_cell_per_header() {
        let clip = squat_clip();
        assert!(!clip.assessment.reps.is_empty());
        let table = rep_table(&clip.assessment.reps, false);
        let headers = table.matches("</th>").count();
        let rows: Vec<&str> = table.split("<tr class=\"rep-row\">").skip(1).collect();
        assert_eq!(rows.len(), clip.assessment.reps.len());
        for row in rows {
            assert_eq!(row.matches("</td>").count(), headers, "{row}");
        }
        assert!(table.starts_with(
            "<table><thead><tr><th>#</th><th class=\"when\">start</th><th>bottom</th><th class=\"when\">end</th><th>depth</th><th>leg</th>"
        ), "{table}");
    }

    #[test]
    fn no_reps_no_table() {
        let mut o = String::new();
        reps_section(&mut o, &[], true);
        assert!(o.contains("No complete reps") && !o.contains("<table>"));
    }

    #[test]
    fn several_bouts_give_each_rep_its_bout() {
        let clip = two_bout_clip();
        let table = rep_table(&clip.assessment.reps, true);
        assert!(table
            .starts_with("<table><thead><tr><th>#</th><th>bout</th><th class=\"when\">start</th>"));
        let headers = table.matches("</th>").count();
        let rows: Vec<&str> = table.split("<tr class=\"rep-row\">").skip(1).collect();
        assert_eq!(rows.len(), 10);
        for (row, rep) in rows.iter().zip(&clip.assessment.reps) {
            assert_eq!(row.matches("</td>").count(), headers, "{row}");
            let want = format!(
                "<td>{}</td><td>{}</td><td class=\"when\">",
                rep.number, rep.bout
            );
            assert!(row.starts_with(&want), "{row}");
        }
    }
}
