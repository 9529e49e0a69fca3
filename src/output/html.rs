//! The HTML report (`--html`): one self-contained file — verdict banner, reasons and advice, a
//! per-rep table, plots over time as inline SVG, annotated key frames as embedded JPEGs, warnings,
//! clip information and the disclaimer. No scripts, no external resources. Every piece of text that
//! comes from the input (file names, paths, reasons) goes through [`escape`].
use crate::assess::thresholds::Thresholds;
use crate::assess::{FrameMetrics, Rep, Stance, Verdict};
use crate::clip::ClipAnalysis;
use crate::error::Result;
use crate::geometry::Side;
use crate::output::annotate::{self, verdict_rgb, KeyFrame};
use crate::output::report::{self, DISCLAIMER};
use std::fmt::Write as _;
use std::path::Path;

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Standard base64 (RFC 4648, with padding), for `data:` URLs.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// CSS colour of a verdict.
pub fn verdict_css(v: Verdict) -> String {
    let (r, g, b) = verdict_rgb(v);
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// One line of a plot: (time s, value) samples; `None` values break the line.
#[derive(Debug, Clone)]
pub struct Series {
    pub label: String,
    pub colour: String,
    pub points: Vec<(f64, Option<f64>)>,
}

/// A horizontal band of y values (a threshold zone). Open ends are ±infinity.
#[derive(Debug, Clone)]
pub struct Band {
    pub from: f64,
    pub to: f64,
    pub colour: String,
    pub label: String,
}

/// A shaded stretch of time (a rep), with an optional marked instant (its bottom).
#[derive(Debug, Clone)]
pub struct Span {
    pub from: f64,
    pub to: f64,
    pub mark: Option<f64>,
    pub label: String,
    pub colour: String,
}

/// A time-series plot, rendered by [`svg_plot`].
#[derive(Debug, Clone, Default)]
pub struct Plot {
    pub title: String,
    /// Unit shown after the y tick values ("°", "%").
    pub unit: String,
    /// Time axis range, seconds.
    pub x_range: (f64, f64),
    pub series: Vec<Series>,
    pub bands: Vec<Band>,
    pub spans: Vec<Span>,
    /// Values the y axis must include (e.g. 0 and the thresholds).
    pub include_y: Vec<f64>,
}

/// A step of 1, 2 or 5 × 10^k giving about `target` intervals over `range`.
fn nice_step(range: f64, target: f64) -> f64 {
    let raw = (range / target).max(1e-9);
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

fn fmt_tick(v: f64, step: f64) -> String {
    if step >= 1.0 {
        format!("{v:.0}")
    } else if step >= 0.1 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// Renders a plot as an inline SVG element (600–900 px wide, scales with its container).
pub fn svg_plot(p: &Plot) -> String {
    const W: f64 = 900.0;
    const H: f64 = 240.0;
    const L: f64 = 58.0;
    const R: f64 = 14.0;
    const T: f64 = 30.0;
    const B: f64 = 36.0;
    let (mut x0, mut x1) = p.x_range;
    if !x0.is_finite() {
        x0 = 0.0;
    }
    if !x1.is_finite() || x1 <= x0 {
        x1 = x0 + 1.0;
    }
    let values = p
        .series
        .iter()
        .flat_map(|s| s.points.iter().filter_map(|(_, v)| *v))
        .filter(|v| v.is_finite())
        .chain(p.include_y.iter().copied());
    let (mut y0, mut y1) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !y0.is_finite() || !y1.is_finite() {
        (y0, y1) = (0.0, 1.0);
    }
    if y1 - y0 < 1e-9 {
        y0 -= 0.5;
        y1 += 0.5;
    }
    let step = nice_step(y1 - y0, 5.0);
    y0 = (y0 / step).floor() * step;
    y1 = (y1 / step).ceil() * step;
    let sx = |t: f64| L + (t - x0) / (x1 - x0) * (W - L - R);
    let sy = |v: f64| T + (y1 - v) / (y1 - y0) * (H - T - B);
    let mut o = String::new();
    let _ = write!(
        o,
        r#"<svg class="plot" viewBox="0 0 {W} {H}" width="100%" role="img" aria-label="{title}" font-family="system-ui, sans-serif" font-size="12">"#,
        title = escape(&p.title)
    );
    let _ = write!(
        o,
        r##"<text x="{L}" y="18" font-size="14" font-weight="600" fill="#222">{}</text>"##,
        escape(&p.title)
    );
    // Threshold bands, clipped to the axis range.
    for b in &p.bands {
        let (lo, hi) = (b.from.max(y0), b.to.min(y1));
        if hi <= lo {
            continue;
        }
        let _ = write!(
            o,
            r#"<rect class="band" x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{}" fill-opacity="0.13"><title>{}</title></rect>"#,
            L,
            sy(hi),
            W - L - R,
            sy(lo) - sy(hi),
            escape(&b.colour),
            escape(&b.label)
        );
        let _ = write!(
            o,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end" font-size="10" fill="{}">{}</text>"#,
            W - R - 4.0,
            sy(hi) + 12.0,
            escape(&b.colour),
            escape(&b.label)
        );
    }
    // Rep spans.
    for s in &p.spans {
        let (a, b) = (s.from.max(x0), s.to.min(x1));
        if b <= a {
            continue;
        }
        let _ = write!(
            o,
            r##"<rect class="rep" x="{:.1}" y="{T}" width="{:.1}" height="{:.1}" fill="#000" fill-opacity="0.07" stroke="{}" stroke-opacity="0.5"/>"##,
            sx(a),
            sx(b) - sx(a),
            H - T - B,
            escape(&s.colour)
        );
        let _ = write!(
            o,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="11" font-weight="600" fill="{}">{}</text>"#,
            (sx(a) + sx(b)) / 2.0,
            T + 12.0,
            escape(&s.colour),
            escape(&s.label)
        );
        if let Some(m) = s.mark.filter(|m| (x0..=x1).contains(m)) {
            let _ = write!(
                o,
                r#"<line x1="{x:.1}" x2="{x:.1}" y1="{T}" y2="{:.1}" stroke="{}" stroke-dasharray="4 3" stroke-opacity="0.7"/>"#,
                H - B,
                escape(&s.colour),
                x = sx(m)
            );
        }
    }
    // Axes, grid and ticks.
    let mut v = y0;
    while v <= y1 + step * 1e-6 {
        let y = sy(v);
        let _ = write!(
            o,
            r##"<line x1="{L}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#000" stroke-opacity="0.08"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#444">{}{}</text>"##,
            W - R,
            L - 6.0,
            y + 4.0,
            fmt_tick(v, step),
            escape(&p.unit)
        );
        v += step;
    }
    let tstep = nice_step(x1 - x0, 10.0);
    let mut t = (x0 / tstep).ceil() * tstep;
    while t <= x1 + tstep * 1e-6 {
        let x = sx(t);
        let _ = write!(
            o,
            r##"<line x1="{x:.1}" x2="{x:.1}" y1="{:.1}" y2="{:.1}" stroke="#444"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="#444">{}</text>"##,
            H - B,
            H - B + 4.0,
            H - B + 17.0,
            fmt_tick(t, tstep)
        );
        t += tstep;
    }
    let _ = write!(
        o,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#444">time (s)</text>"##,
        (L + W - R) / 2.0,
        H - 4.0
    );
    if y0 < 0.0 && y1 > 0.0 {
        let _ = write!(
            o,
            r##"<line x1="{L}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#000" stroke-opacity="0.35"/>"##,
            W - R,
            y = sy(0.0)
        );
    }
    let _ = write!(
        o,
        r##"<rect x="{L}" y="{T}" width="{:.1}" height="{:.1}" fill="none" stroke="#444"/>"##,
        W - L - R,
        H - T - B
    );
    // The lines, one polyline per unbroken run.
    for s in &p.series {
        // Split into unbroken runs at gaps.
        let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
        let mut current: Vec<(f64, f64)> = Vec::new();
        for &(t, v) in &s.points {
            match v.filter(|v| v.is_finite() && t.is_finite()) {
                Some(v) => current.push((t, v)),
                None if !current.is_empty() => runs.push(std::mem::take(&mut current)),
                None => {}
            }
        }
        runs.push(current);
        for run in runs.iter().filter(|r| !r.is_empty()) {
            let pts: Vec<String> = run
                .iter()
                .map(|&(t, v)| format!("{:.1},{:.1}", sx(t), sy(v)))
                .collect();
            let _ = write!(
                o,
                r#"<polyline class="series" fill="none" stroke="{}" stroke-width="2" stroke-linejoin="round" points="{}"/>"#,
                escape(&s.colour),
                pts.join(" ")
            );
        }
    }
    // Legend.
    let mut lx = W - R;
    for s in p.series.iter().rev() {
        let w = 26.0 + 7.0 * s.label.chars().count() as f64;
        lx -= w;
        let _ = write!(
            o,
            r##"<line x1="{:.1}" x2="{:.1}" y1="14" y2="14" stroke="{c}" stroke-width="3"/><text x="{:.1}" y="18" fill="#222">{}</text>"##,
            lx,
            lx + 16.0,
            lx + 20.0,
            escape(&s.label),
            c = escape(&s.colour)
        );
    }
    o.push_str("</svg>");
    o
}

fn leg_colour(side: Side) -> &'static str {
    match side {
        Side::Left => "#1f6fb4",
        Side::Right => "#8e44ad",
    }
}

/// A per-frame series from the assessment's frames.
pub fn frame_series(
    analysis: &ClipAnalysis,
    label: &str,
    colour: &str,
    value: impl Fn(&FrameMetrics) -> Option<f64>,
) -> Series {
    Series {
        label: label.to_string(),
        colour: colour.to_string(),
        points: analysis
            .assessment
            .frames
            .iter()
            .map(|f| (f.t_s, value(f)))
            .collect(),
    }
}

/// The reps as shaded spans coloured by their verdicts, bottoms marked.
pub fn rep_spans(reps: &[Rep]) -> Vec<Span> {
    reps.iter()
        .map(|r| Span {
            from: r.start_s,
            to: r.end_s,
            mark: Some(r.bottom_s),
            label: format!("#{}", r.number),
            colour: verdict_css(r.verdict),
        })
        .collect()
}

/// Good / fair / poor zones between two thresholds (values in plot units).
pub fn verdict_bands(good_max: f64, poor_min: f64) -> Vec<Band> {
    vec![
        Band {
            from: f64::NEG_INFINITY,
            to: good_max,
            colour: verdict_css(Verdict::Good),
            label: "good".into(),
        },
        Band {
            from: good_max,
            to: poor_min,
            colour: verdict_css(Verdict::Fair),
            label: "fair".into(),
        },
        Band {
            from: poor_min,
            to: f64::INFINITY,
            colour: verdict_css(Verdict::Poor),
            label: "poor".into(),
        },
    ]
}

fn side_value(
    f: &FrameMetrics,
    side: Side,
    pick: fn(&crate::assess::metrics::LegMetrics) -> Option<f64>,
) -> Option<f64> {
    match side {
        Side::Left => pick(&f.left),
        Side::Right => pick(&f.right),
    }
}

/// The standard plots: FPPA and knee-over-foot drift of the judged leg(s) with their threshold
/// zones, and squat depth; reps shaded.
pub fn standard_plots(analysis: &ClipAnalysis, th: &Thresholds) -> Vec<Plot> {
    let a = &analysis.assessment;
    let x_range = (
        a.frames.first().map_or(0.0, |f| f.t_s),
        a.frames.last().map_or(1.0, |f| f.t_s),
    );
    let sides = annotate::judged_sides(a.stance);
    let spans = rep_spans(&a.reps);
    let fppa = Plot {
        title: "Knee valgus angle (FPPA)".into(),
        unit: "°".into(),
        x_range,
        series: sides
            .iter()
            .map(|&s| {
                frame_series(
                    analysis,
                    &format!("{} knee", s.name()),
                    leg_colour(s),
                    |f| side_value(f, s, |m| m.fppa_deg),
                )
            })
            .collect(),
        bands: verdict_bands(th.fppa_good_max_deg, th.fppa_poor_min_deg),
        spans: spans.clone(),
        include_y: vec![0.0, th.fppa_poor_min_deg + 3.0],
    };
    let drift = Plot {
        title: "Knee inside the foot (drift, % of shank length)".into(),
        unit: "%".into(),
        x_range,
        series: sides
            .iter()
            .map(|&s| {
                frame_series(
                    analysis,
                    &format!("{} knee", s.name()),
                    leg_colour(s),
                    |f| side_value(f, s, |m| m.drift).map(|d| d * 100.0),
                )
            })
            .collect(),
        bands: verdict_bands(th.drift_fair_min * 100.0, th.drift_poor_min * 100.0),
        spans: spans.clone(),
        include_y: vec![0.0, th.drift_poor_min * 100.0 + 5.0],
    };
    let depth = Plot {
        title: "Squat depth (hip drop, % of leg length)".into(),
        unit: "%".into(),
        x_range,
        series: vec![frame_series(analysis, "depth", "#333333", |f| {
            f.depth.map(|d| d * 100.0)
        })],
        bands: Vec::new(),
        spans: spans.clone(),
        include_y: vec![0.0, th.half_squat_depth * 100.0],
    };
    // Pelvic drop and trunk lean, measured from standing like the rep values they are judged by.
    let from_standing = |v: Option<f64>, standing: Option<f64>| Some(v? - standing.unwrap_or(0.0));
    let pelvis = Plot {
        title: "Pelvic drop beyond standing (free-leg hip lower = positive)".into(),
        unit: "°".into(),
        x_range,
        series: vec![frame_series(analysis, "pelvic drop", "#b35900", |f| {
            from_standing(f.pelvic_drop_deg, a.standing_pelvic_drop_deg)
        })],
        bands: verdict_bands(th.pelvic_drop_fair_deg, f64::INFINITY),
        spans: spans.clone(),
        include_y: vec![0.0, th.pelvic_drop_fair_deg + 4.0],
    };
    let trunk = Plot {
        title: "Trunk lean beyond standing (towards the stance side)".into(),
        unit: "°".into(),
        x_range,
        series: vec![frame_series(analysis, "trunk lean", "#2f7f6f", |f| {
            from_standing(f.trunk_lean_deg, a.standing_trunk_lean_deg)
        })],
        bands: verdict_bands(th.trunk_lean_fair_deg, f64::INFINITY),
        spans,
        include_y: vec![0.0, th.trunk_lean_fair_deg + 2.0],
    };
    vec![fppa, drift, depth, pelvis, trunk]
}

fn opt(v: Option<f64>, digits: usize, unit: &str) -> String {
    v.filter(|v| v.is_finite())
        .map_or_else(|| "—".into(), |v| format!("{v:.digits$}{unit}"))
}

fn stance_text(s: Stance) -> String {
    match s {
        Stance::SingleLeg { side, image_side } => {
            format!("single-leg squat on the {} leg ({image_side})", side.name())
        }
        Stance::DoubleLeg => "double-leg squat".into(),
        Stance::Several => "several bouts (see each)".into(),
        Stance::Unknown => "stance not determined".into(),
    }
}

fn banner_text(v: Verdict) -> &'static str {
    match v {
        Verdict::Good => "gluteal control",
        Verdict::Fair => "gluteal control",
        Verdict::Poor => "gluteal control",
        Verdict::Inconclusive => "— no verdict from this clip",
    }
}

fn list(out: &mut String, class: &str, title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = write!(
        out,
        r#"<section class="{class}"><h2>{}</h2><ul>"#,
        escape(title)
    );
    for i in items {
        let _ = write!(out, "<li>{}</li>", escape(i));
    }
    out.push_str("</ul></section>");
}

const STYLE: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;background:#f4f4f2;color:#1d1d1d;line-height:1.45}
main{max-width:980px;margin:0 auto;padding:24px 20px 40px}
h1{font-size:22px;margin:0 0 4px;word-break:break-all}
h2{font-size:17px;margin:26px 0 8px}
.sub{color:#555;margin:0 0 16px}
.banner{color:#fff;border-radius:10px;padding:18px 22px;font-size:26px;font-weight:700;letter-spacing:.5px}
.banner small{display:block;font-size:15px;font-weight:400;opacity:.95;margin-top:4px}
section{background:#fff;border-radius:10px;padding:4px 18px 12px;margin-top:14px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
ul{margin:6px 0;padding-left:22px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{padding:6px 8px;border-bottom:1px solid #e4e4e4;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}
th{background:#fafafa;font-weight:600}
.badge{display:inline-block;color:#fff;border-radius:4px;padding:1px 8px;font-weight:600;font-size:13px}
.warnings li{color:#8a5300}
.frames{display:flex;flex-wrap:wrap;gap:12px}
figure{margin:0;flex:1 1 200px;max-width:300px}
figure img{width:100%;border-radius:6px;display:block}
figcaption{font-size:13px;color:#444;margin-top:4px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;font-size:14px}
dt{color:#666}dd{margin:0;word-break:break-all}
.note{font-size:13px;color:#555;margin-top:22px}
";

/// Builds the report. `key_frames` are (frame position, JPEG bytes) at rep bottoms.
pub fn to_html(analysis: &ClipAnalysis, key_frames: &[(usize, Vec<u8>)]) -> String {
    let a = &analysis.assessment;
    let info = &analysis.info;
    let th = &a.thresholds;
    let name = info
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| info.path.display().to_string());
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>kneetrack — {}</title><style>{STYLE}</style></head><body><main>",
        escape(&name)
    );
    let _ = write!(
        o,
        r#"<h1>{}</h1><p class="sub">Single-leg squat screen · {} · {} rep(s)</p>"#,
        escape(&name),
        escape(&stance_text(a.stance)),
        a.reps.len()
    );
    let _ = write!(
        o,
        r#"<div class="banner" id="verdict" data-verdict="{v}" style="background:{c}">{V} {b}<small>Verdict: {v}</small></div>"#,
        v = a.verdict.label(),
        V = a.verdict.label().to_uppercase(),
        c = verdict_css(a.verdict),
        b = banner_text(a.verdict)
    );
    list(&mut o, "reasons", "Why", &a.reasons);
    list(&mut o, "advice", "Advice", &a.advice);
    list(&mut o, "warnings", "Capture warnings", &a.warnings);

    // Per-rep table.
    o.push_str("<section class=\"reps\"><h2>Reps</h2>");
    if a.reps.is_empty() {
        o.push_str("<p>No complete reps were found.</p>");
    } else {
        o.push_str(
            "<table><thead><tr><th>#</th><th>start</th><th>bottom</th><th>end</th><th>depth</th>\
             <th>leg</th><th>peak FPPA</th><th>FPPA at bottom</th><th>drift at bottom</th>\
             <th>verdict</th></tr></thead><tbody>",
        );
        for r in &a.reps {
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
                per_leg(&|l| opt(l.peak_fppa_deg, 1, "°")),
                per_leg(&|l| opt(l.fppa_at_bottom_deg, 1, "°")),
                per_leg(&|l| opt(l.drift_at_bottom.map(|d| d * 100.0), 0, "%")),
                verdict_css(r.verdict),
                r.verdict.label()
            );
        }
        o.push_str("</tbody></table>");
        let notes: Vec<String> = a
            .reps
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

    // Plots.
    o.push_str("<section class=\"plots\"><h2>Over time</h2>");
    for p in standard_plots(analysis, th) {
        o.push_str(&svg_plot(&p));
    }
    let _ = write!(
        o,
        "<p class=\"sub\">Shaded: reps (label and outline in the rep&#39;s verdict colour, dashed line = bottom). Zones: FPPA good ≤ {:.0}°, poor ≥ {:.0}°; \
         drift fair ≥ {:.0}%, poor ≥ {:.0}% of shank length.</p></section>",
        th.fppa_good_max_deg,
        th.fppa_poor_min_deg,
        th.drift_fair_min * 100.0,
        th.drift_poor_min * 100.0
    );

    // Key frames.
    if !key_frames.is_empty() {
        o.push_str(
            "<section class=\"keyframes\"><h2>Bottom of each rep</h2><div class=\"frames\">",
        );
        for (pos, jpeg) in key_frames {
            let rep = a.reps.iter().find(|r| {
                a.frames
                    .get(*pos)
                    .is_some_and(|f| f.index == r.bottom_frame)
            });
            let caption = match rep {
                Some(r) => {
                    let fppa: Vec<String> = r
                        .legs
                        .iter()
                        .map(|l| {
                            format!(
                                "{} knee FPPA {}",
                                l.side.name(),
                                opt(l.fppa_at_bottom_deg, 0, "°")
                            )
                        })
                        .collect();
                    format!(
                        "Rep {} at {:.2} s — {} — {}",
                        r.number,
                        r.bottom_s,
                        fppa.join(", "),
                        r.verdict.label()
                    )
                }
                None => format!("Frame {pos}"),
            };
            let _ = write!(
                o,
                r#"<figure><img alt="{c}" src="data:image/jpeg;base64,{}"><figcaption>{c}</figcaption></figure>"#,
                base64(jpeg),
                c = escape(&caption)
            );
        }
        o.push_str("</div></section>");
    }

    // Clip information.
    let duration = a.frames.last().map_or(0.0, |f| f.t_s);
    let mut rows: Vec<(&str, String)> = vec![
        ("file", name.clone()),
        ("path", info.path.display().to_string()),
        (
            "video",
            format!(
                "{}×{} (display) @ {:.2} fps, {} frames, {:.1} s, codec {}{}",
                info.width,
                info.height,
                info.fps,
                analysis.observations_count,
                duration,
                info.codec,
                if info.orientation.rotation_cw != 0 {
                    format!(", rotated {}°", info.orientation.rotation_cw)
                } else {
                    String::new()
                }
            ),
        ),
        ("pose model", analysis.model.clone()),
        (
            "body seen",
            format!("{:.0}% of frames", a.confident_fraction * 100.0),
        ),
    ];
    if let Some(fr) = a.frontal_ratio {
        rows.push((
            "frontal ratio",
            format!("{fr:.2} (about 0.6 = facing the camera)"),
        ));
    }
    for (side, v) in &a.standing_fppa_deg {
        rows.push(("standing FPPA", format!("{} {v:.1}°", side.name())));
    }
    rows.push((
        "analysis time",
        format!(
            "decode {:.1} s, pose {:.1} s",
            analysis.timing.decode_s, analysis.timing.pose_s
        ),
    ));
    rows.push((
        "kneetrack",
        format!(
            "{} (report schema {})",
            env!("CARGO_PKG_VERSION"),
            report::SCHEMA_VERSION
        ),
    ));
    o.push_str("<section class=\"info\"><h2>Clip</h2><dl>");
    for (k, v) in rows {
        let _ = write!(o, "<dt>{}</dt><dd>{}</dd>", escape(k), escape(&v));
    }
    o.push_str("</dl></section>");
    let _ = write!(
        o,
        r#"<p class="note disclaimer">{}</p></main></body></html>"#,
        escape(DISCLAIMER)
    );
    o.push('\n');
    o
}

/// Encodes the annotated key frames and writes the report atomically.
pub fn write_html(analysis: &ClipAnalysis, path: &Path, key_frames: &[KeyFrame]) -> Result<()> {
    let mut jpegs = Vec::with_capacity(key_frames.len());
    for k in key_frames {
        jpegs.push((k.position, annotate::encode_jpeg(&k.image, 720, 82)?));
    }
    crate::output::atomic::write_atomically(path, to_html(analysis, &jpegs).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), want);
        }
        assert_eq!(base64(&[0xff, 0xfe, 0xfd]), "//79");
    }

    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(
            escape(r#"<script>alert("x") & 'y'</script>"#),
            "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn plot_breaks_lines_at_gaps_and_escapes_labels() {
        let p = Plot {
            title: "<b>t</b>".into(),
            unit: "°".into(),
            x_range: (0.0, 4.0),
            series: vec![Series {
                label: "a&b".into(),
                colour: "#123456".into(),
                points: vec![
                    (0.0, Some(1.0)),
                    (1.0, Some(2.0)),
                    (2.0, None),
                    (3.0, Some(30.0)),
                    (4.0, Some(f64::NAN)),
                ],
            }],
            bands: verdict_bands(13.0, 17.0),
            spans: vec![Span {
                from: 0.5,
                to: 3.5,
                mark: Some(2.0),
                label: "#1".into(),
                colour: "#dc2626".into(),
            }],
            include_y: vec![0.0],
        };
        let svg = svg_plot(&p);
        assert_eq!(svg.matches("<polyline").count(), 2, "{svg}");
        assert_eq!(svg.matches("class=\"band\"").count(), 3);
        assert_eq!(svg.matches("class=\"rep\"").count(), 1);
        assert!(svg.contains("&lt;b&gt;t&lt;/b&gt;") && !svg.contains("<b>"));
        assert!(svg.contains("a&amp;b"));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }

    #[test]
    fn plot_without_data_still_renders() {
        let svg = svg_plot(&Plot {
            title: "empty".into(),
            ..Default::default()
        });
        assert!(svg.contains("</svg>") && !svg.contains("NaN"));
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(30.0, 5.0), 10.0);
        assert_eq!(nice_step(10.0, 5.0), 2.0);
        assert!((nice_step(0.3, 5.0) - 0.1).abs() < 1e-12);
    }
}
