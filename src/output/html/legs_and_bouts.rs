//! The report's "Each leg" section — a row per judged leg (verdict badge, median peak FPPA, median
//! drift, the reps it rests on) and left against right — and, for a clip of several bouts, its
//! "Bouts" table (time, stance, view, verdict, reps).
use super::text::{escape, verdict_css};
use crate::assess::{Assessment, Verdict};
use crate::output::bout_and_leg_text::{
    bout_stance, judged_legs, leg_drift, leg_fppa, rep_numbers, several_bouts, view_words,
};
use std::fmt::Write as _;

fn badge(v: Verdict) -> String {
    format!(
        r#"<span class="badge" style="background:{}">{}</span>"#,
        verdict_css(v),
        v.label()
    )
}

/// Appends the legs section, when a leg was judged.
pub fn legs_section(o: &mut String, a: &Assessment) {
    let legs = judged_legs(a);
    if legs.is_empty() {
        return;
    }
    o.push_str(
        "<section class=\"legs\"><h2>Each leg</h2><table><thead><tr><th>leg</th><th>verdict</th>\
         <th>peak FPPA (median)</th><th>drift at bottom (median)</th><th>reps</th></tr></thead><tbody>",
    );
    for (side, l) in legs {
        let _ = write!(
            o,
            r#"<tr class="leg-row" data-leg="{s}" data-verdict="{v}"><td>{s}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
            badge(l.verdict),
            escape(&leg_fppa(l)),
            escape(&leg_drift(l)),
            escape(&rep_numbers(&l.reps)),
            s = side.name(),
            v = l.verdict.label(),
        );
    }
    o.push_str("</tbody></table>");
    if let Some(c) = &a.comparison {
        let _ = write!(
            o,
            r#"<p class="comparison" data-different="{}">{}</p>"#,
            c.different,
            escape(&c.text)
        );
    }
    o.push_str("</section>");
}

/// Appends the bouts section, for a clip of several bouts.
pub fn bouts_section(o: &mut String, a: &Assessment) {
    if !several_bouts(a) {
        return;
    }
    o.push_str(
        "<section class=\"bouts\"><h2>Bouts</h2><table><thead><tr><th>bout</th><th>time</th>\
         <th>stance</th><th>view</th><th>verdict</th><th>reps</th></tr></thead><tbody>",
    );
    for b in &a.bouts {
        let _ = write!(
            o,
            r#"<tr class="bout-row"><td>{}</td><td>{:.1}–{:.1} s</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
            b.number,
            b.start_s,
            b.end_s,
            escape(&bout_stance(b.stance)),
            escape(&view_words(b.view)),
            badge(b.verdict),
            escape(&rep_numbers(&b.reps)),
        );
    }
    o.push_str(
        "</tbody></table><p class=\"sub\">Between the bouts (stepping, turning): not judged.</p></section>",
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixture::{squat_clip, two_bout_clip};

    #[test]
    fn two_bouts_each_leg_and_left_against_right() {
        let clip = two_bout_clip();
        let a = &clip.assessment;
        let mut o = String::new();
        legs_section(&mut o, a);
        assert_eq!(o.matches("<tr class=\"leg-row\"").count(), 2, "{o}");
        let left = o.find("data-leg=\"left\" data-verdict=\"poor\"").unwrap();
        let right = o.find("data-leg=\"right\" data-verdict=\"good\"").unwrap();
        assert!(left < right, "left first");
        assert!(o.contains("<td>#6–#10</td>") && o.contains("<td>#1–#5</td>"));
        assert!(o.contains("<p class=\"comparison\" data-different=\"true\">Left against right"));
        let mut b = String::new();
        bouts_section(&mut b, a);
        assert_eq!(b.matches("<tr class=\"bout-row\">").count(), 2, "{b}");
        assert!(b.contains("<td>right leg</td>") && b.contains("<td>left leg</td>"));
    }

    #[test]
    fn one_bout_has_its_leg_and_no_bouts() {
        let clip = squat_clip();
        let mut o = String::new();
        legs_section(&mut o, &clip.assessment);
        assert_eq!(o.matches("<tr class=\"leg-row\"").count(), 1);
        assert!(o.contains("data-leg=\"right\"") && !o.contains("comparison"));
        let mut b = String::new();
        bouts_section(&mut b, &clip.assessment);
        assert!(b.is_empty());
    }
}
