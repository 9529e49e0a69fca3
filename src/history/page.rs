//! The history in its three forms: a terminal table, CSV, and an HTML page with a trend plot of
//! the peak FPPA per leg (the good/fair/poor zones shaded) and a table per athlete.
use super::{leg_rows, Athlete, Change, LegRow, DRIFT_SDD};
use crate::geometry::Side;
use crate::output::html::plot::{svg_plot, Plot, Series};
use crate::output::html::{escape, verdict_bands, STYLE};
use crate::output::report::DISCLAIMER;
use std::fmt::Write as _;

/// "+16° worse", "-3° no change", "—" for a first session.
fn change_text(c: Change, scale: f64, unit: &str) -> String {
    match c.delta() {
        None => "—".into(),
        Some(d) => format!("{:+.0}{unit} {}", d * scale, c.label()),
    }
}

fn drift_text(d: Option<f64>) -> String {
    d.map_or_else(|| "—".into(), |d| format!("{:.0}%", d * 100.0))
}

/// The history as a terminal table, an athlete's sessions under their name.
pub fn history_table(athletes: &[Athlete]) -> String {
    let mut out = String::new();
    for a in athletes {
        let _ = writeln!(
            out,
            "{}  ({})",
            a.name,
            crate::output::report::count(a.sessions.len(), "session", "sessions")
        );
        let _ = writeln!(
            out,
            "  {:<10}  {:<5}  {:<12}  {:>9}  {:<16}  {:>5}  {:<16}  clip",
            "date", "leg", "verdict", "peak FPPA", "change", "drift", "change"
        );
        for r in leg_rows(&a.sessions) {
            let _ = writeln!(
                out,
                "  {:<10}  {:<5}  {:<12}  {:>9}  {:<16}  {:>5}  {:<16}  {}",
                r.session.date(),
                r.side.name(),
                r.point.verdict,
                format!("{:.0}°", r.point.peak_fppa_deg),
                change_text(r.fppa_change, 1.0, "°"),
                drift_text(r.point.drift),
                r.drift_change
                    .map_or_else(|| "—".into(), |c| change_text(c, 100.0, "%")),
                r.session.clip
            );
        }
        let unjudged = a
            .sessions
            .iter()
            .filter(|s| s.left.is_none() && s.right.is_none())
            .count();
        if unjudged > 0 {
            let _ = writeln!(
                out,
                "  ({} without a judged leg: {})",
                crate::output::report::count(unjudged, "session", "sessions"),
                a.sessions
                    .iter()
                    .filter(|s| s.left.is_none() && s.right.is_none())
                    .map(|s| format!("{} {}", s.date(), s.verdict))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    let _ = writeln!(
        out,
        "A change is called only beyond the smallest detectable difference: {:.0}° of peak FPPA, {:.0}% of a shank length of drift.",
        athletes
            .first()
            .and_then(|a| a.sessions.first())
            .map_or(super::FPPA_SDD_DEG, |s| s.fppa_sdd_deg),
        DRIFT_SDD * 100.0
    );
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The history as CSV: a row per athlete, session and judged leg.
pub fn history_csv(athletes: &[Athlete]) -> String {
    let mut out = String::from(
        "athlete,recorded_at,recorded_source,leg,verdict,peak_fppa_deg,fppa_change_deg,fppa_change,drift,drift_change,drift_change_call,clip,report\n",
    );
    for a in athletes {
        for r in leg_rows(&a.sessions) {
            let number = |v: Option<f64>, digits: usize| {
                v.map_or_else(String::new, |v| format!("{v:.digits$}"))
            };
            let _ = writeln!(
                out,
                "{},{},{},{},{},{:.1},{},{},{},{},{},{},{}",
                csv_field(&a.name),
                r.session.recorded_at,
                r.session.recorded_source,
                r.side.name(),
                csv_field(&r.point.verdict),
                r.point.peak_fppa_deg,
                number(r.fppa_change.delta(), 1),
                r.fppa_change.label(),
                number(r.point.drift, 3),
                number(r.drift_change.and_then(Change::delta), 3),
                r.drift_change.map_or("", Change::label),
                csv_field(&r.session.clip),
                csv_field(&r.session.report.display().to_string()),
            );
        }
    }
    out
}

/// Days from the first session, for the plot's x axis.
fn days_since(first: &str, at: &str) -> f64 {
    let secs = |t: &str| -> Option<f64> {
        let n = |r: std::ops::Range<usize>| t.get(r)?.parse::<i64>().ok();
        let (y, m, d) = (n(0..4)?, n(5..7)?, n(8..10)?);
        let (hh, mm, ss) = (
            n(11..13).unwrap_or(0),
            n(14..16).unwrap_or(0),
            n(17..19).unwrap_or(0),
        );
        // Days from civil (H. Hinnant), the inverse of `video::rfc3339`.
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        Some((days * 86_400 + hh * 3600 + mm * 60 + ss) as f64)
    };
    match (secs(first), secs(at)) {
        (Some(a), Some(b)) => (b - a) / 86_400.0,
        _ => 0.0,
    }
}

/// The trend plot of one leg: peak FPPA per session over days since the first.
fn trend_plot(a: &Athlete, side: Side, rows: &[LegRow<'_>]) -> Option<String> {
    let first = a.sessions.first()?.recorded_at.as_str();
    let points: Vec<(f64, Option<f64>)> = rows
        .iter()
        .filter(|r| r.side == side)
        .map(|r| {
            (
                days_since(first, &r.session.recorded_at),
                Some(r.point.peak_fppa_deg),
            )
        })
        .collect();
    if points.is_empty() {
        return None;
    }
    let last = points.iter().map(|p| p.0).fold(0.0, f64::max);
    let plot = Plot {
        title: format!("{} leg: peak FPPA per session", side.name()),
        unit: "°".into(),
        x_range: (-0.5, (last + 0.5).max(1.0)),
        series: vec![Series {
            label: format!("{} knee", side.name()),
            colour: match side {
                Side::Left => "#1f6fb4".into(),
                Side::Right => "#8e44ad".into(),
            },
            points,
        }],
        bands: verdict_bands(13.0, 17.0),
        include_y: vec![0.0, 25.0],
        x_label: format!(
            "days since the first session ({})",
            &first[..first.len().min(10)]
        ),
        ..Default::default()
    };
    Some(svg_plot(&plot))
}

/// The history as a self-contained HTML page: per athlete a trend plot per leg and the table.
pub fn history_html(athletes: &[Athlete]) -> String {
    let mut o = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>kneetrack history</title>",
    );
    let _ = write!(
        o,
        "<style>{STYLE}.plot circle{{stroke:#fff}}</style></head><body><main><h1>Progress over time</h1>\
         <p class=\"sub\">A change is called only beyond the smallest detectable difference: {:.0}° of peak FPPA (2D video, Munro et al. 2012), {:.0}% of a shank length of drift. Zones: FPPA good ≤ 13°, poor ≥ 17°.</p>",
        super::FPPA_SDD_DEG,
        DRIFT_SDD * 100.0
    );
    for a in athletes {
        let rows = leg_rows(&a.sessions);
        let _ = write!(
            o,
            "<section class=\"athlete\"><h2>{}</h2><p class=\"sub\">{}</p>",
            escape(&a.name),
            escape(&crate::output::report::count(
                a.sessions.len(),
                "session",
                "sessions"
            ))
        );
        for side in [Side::Left, Side::Right] {
            if let Some(svg) = trend_plot(a, side, &rows) {
                o.push_str(&svg);
            }
        }
        o.push_str(
            "<table><thead><tr><th>date</th><th>leg</th><th>verdict</th><th>peak FPPA</th><th>change</th><th>drift</th><th>change</th><th>clip</th></tr></thead><tbody>",
        );
        for r in &rows {
            let _ = write!(
                o,
                "<tr class=\"session-row\" data-leg=\"{}\" data-change=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{:.0}°</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                r.side.name(),
                r.fppa_change.label(),
                escape(r.session.date()),
                r.side.name(),
                escape(&r.point.verdict),
                r.point.peak_fppa_deg,
                escape(&change_text(r.fppa_change, 1.0, "°")),
                escape(&drift_text(r.point.drift)),
                escape(
                    &r.drift_change
                        .map_or_else(|| "—".into(), |c| change_text(c, 100.0, "%"))
                ),
                escape(&r.session.clip),
            );
        }
        o.push_str("</tbody></table></section>");
    }
    let _ = writeln!(
        o,
        "<p class=\"note disclaimer\">{}</p></main></body></html>",
        escape(DISCLAIMER)
    );
    o
}

#[cfg(test)]
mod tests {
    use super::super::tests::session;
    use super::*;

    #[test]
    fn the_three_forms_show_each_leg_and_its_change() {
        let athletes = super::super::group(vec![
            session(
                "anna",
                "2026-01-05T10:00:00Z",
                Some((25.0, 0.22)),
                Some(9.0),
            ),
            session(
                "anna",
                "2026-02-16T10:00:00Z",
                Some((12.0, 0.05)),
                Some(10.0),
            ),
        ]);
        let table = history_table(&athletes);
        assert!(table.contains("anna  (2 sessions)"), "{table}");
        assert!(table.contains("-13° better"), "{table}");
        assert!(table.contains("+1° no change"), "{table}");
        assert!(table.contains("-17% better"), "{table}");
        let csv = history_csv(&athletes);
        assert_eq!(csv.lines().count(), 1 + 4, "{csv}");
        assert!(csv.contains("anna,2026-02-16T10:00:00Z,metadata,left,good,12.0,-13.0,better,0.050,-0.170,better,"), "{csv}");
        let page = history_html(&athletes);
        assert_eq!(page.matches("class=\"session-row\"").count(), 4);
        assert_eq!(
            page.matches("<svg class=\"plot wide\"").count(),
            2,
            "one plot per leg"
        );
        assert!(page.contains("days since the first session (2026-01-05)"));
        assert!((days_since("2026-01-05T10:00:00Z", "2026-02-16T10:00:00Z") - 42.0).abs() < 1e-9);
    }
}
