//! Time-series plots drawn as inline SVG: lines with gaps, threshold bands, shaded rep spans, and
//! tinted stretches behind them (the bouts of a clip).
use super::text::escape;
use std::fmt::Write as _;

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

/// A labelled stretch of time tinted behind everything else (a bout); time outside every stretch
/// stays blank. Neighbouring stretches alternate their tint so that where one ends shows.
#[derive(Debug, Clone)]
pub struct Stretch {
    pub from: f64,
    pub to: f64,
    pub label: String,
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
    pub stretches: Vec<Stretch>,
    /// Values the y axis must include (e.g. 0 and the thresholds).
    pub include_y: Vec<f64>,
    /// The x axis's name; empty: "time (s)".
    pub x_label: String,
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

/// The size and type sizes of one drawing of a plot, in SVG user units. The SVG scales with its
/// container, so the text shrinks with it: a phone gets its own narrower drawing (switched by a CSS
/// media query), whose text stays at least 10 px tall at 390 px.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// CSS class of the drawing: "wide" or "narrow".
    pub class: &'static str,
    pub w: f64,
    pub h: f64,
    /// Margins: left, right, top, bottom.
    pub margins: (f64, f64, f64, f64),
    /// Tick and axis text.
    pub font: f64,
    /// Band, bout and rep labels.
    pub small_font: f64,
    pub title_font: f64,
    /// About how many time ticks.
    pub time_ticks: f64,
    /// The legend on its own row under the title (else beside it, right-aligned).
    pub legend_below_title: bool,
}

/// Desktop: 900 units wide, drawn at about 1:1 in the 980 px page.
pub const WIDE: Layout = Layout {
    class: "wide",
    w: 900.0,
    h: 240.0,
    margins: (58.0, 14.0, 30.0, 36.0),
    font: 12.0,
    small_font: 11.0,
    title_font: 14.0,
    time_ticks: 10.0,
    legend_below_title: false,
};

/// Phones (up to 640 px): 400 units wide, drawn at about 0.87:1 at 390 px, so 12-unit text is
/// 10.4 px tall there.
pub const NARROW: Layout = Layout {
    class: "narrow",
    w: 400.0,
    h: 256.0,
    margins: (46.0, 8.0, 52.0, 36.0),
    font: 12.0,
    small_font: 12.0,
    title_font: 15.0,
    time_ticks: 5.0,
    legend_below_title: true,
};

/// Renders a plot twice, for wide screens and for phones; the page's CSS shows one.
pub fn svg_plot(p: &Plot) -> String {
    let mut o = String::from("<div class=\"plot\">");
    o.push_str(&svg_plot_in(p, &WIDE));
    o.push_str(&svg_plot_in(p, &NARROW));
    o.push_str("</div>");
    o
}

/// Renders a plot as an inline SVG element in `layout` (scales with its container).
pub fn svg_plot_in(p: &Plot, layout: &Layout) -> String {
    let (w, h) = (layout.w, layout.h);
    let (l, r, t, b) = layout.margins;
    let (font, small, title_font) = (layout.font, layout.small_font, layout.title_font);
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
    let sx = |tt: f64| l + (tt - x0) / (x1 - x0) * (w - l - r);
    let sy = |v: f64| t + (y1 - v) / (y1 - y0) * (h - t - b);
    let mut o = String::new();
    let _ = write!(
        o,
        r#"<svg class="plot {class}" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{title}" font-family="system-ui, sans-serif" font-size="{font}">"#,
        class = layout.class,
        title = escape(&p.title)
    );
    let title_x = if layout.legend_below_title { 4.0 } else { l };
    let _ = write!(
        o,
        r##"<text x="{title_x}" y="18" font-size="{title_font}" font-weight="600" fill="#222">{}</text>"##,
        escape(&p.title)
    );
    // Stretches (bouts), under everything, labelled at the bottom.
    for (k, st) in p.stretches.iter().enumerate() {
        let (a, bb) = (st.from.max(x0), st.to.min(x1));
        if bb <= a {
            continue;
        }
        let _ = write!(
            o,
            r##"<rect class="stretch" x="{:.1}" y="{t}" width="{:.1}" height="{:.1}" fill="#3b5b8c" fill-opacity="{}"><title>{}</title></rect>"##,
            sx(a),
            sx(bb) - sx(a),
            h - t - b,
            if k % 2 == 0 { "0.07" } else { "0.13" },
            escape(&st.label)
        );
        let _ = write!(
            o,
            r##"<text x="{:.1}" y="{:.1}" font-size="{small}" fill="#3b5b8c">{}</text>"##,
            sx(a) + 4.0,
            h - b - 5.0,
            escape(&st.label)
        );
    }
    // Threshold bands, clipped to the axis range.
    for band in &p.bands {
        let (lo, hi) = (band.from.max(y0), band.to.min(y1));
        if hi <= lo {
            continue;
        }
        let _ = write!(
            o,
            r#"<rect class="band" x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{}" fill-opacity="0.13"><title>{}</title></rect>"#,
            l,
            sy(hi),
            w - l - r,
            sy(lo) - sy(hi),
            escape(&band.colour),
            escape(&band.label)
        );
        let _ = write!(
            o,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end" font-size="{small}" fill="{}">{}</text>"#,
            w - r - 4.0,
            sy(hi) + small + 1.0,
            escape(&band.colour),
            escape(&band.label)
        );
    }
    // Rep spans.
    for s in &p.spans {
        let (a, bb) = (s.from.max(x0), s.to.min(x1));
        if bb <= a {
            continue;
        }
        let _ = write!(
            o,
            r##"<rect class="rep" x="{:.1}" y="{t}" width="{:.1}" height="{:.1}" fill="#000" fill-opacity="0.07" stroke="{}" stroke-opacity="0.5"/>"##,
            sx(a),
            sx(bb) - sx(a),
            h - t - b,
            escape(&s.colour)
        );
        let _ = write!(
            o,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="{small}" font-weight="600" fill="{}">{}</text>"#,
            (sx(a) + sx(bb)) / 2.0,
            t + small + 1.0,
            escape(&s.colour),
            escape(&s.label)
        );
        if let Some(m) = s.mark.filter(|m| (x0..=x1).contains(m)) {
            let _ = write!(
                o,
                r#"<line x1="{x:.1}" x2="{x:.1}" y1="{t}" y2="{:.1}" stroke="{}" stroke-dasharray="4 3" stroke-opacity="0.7"/>"#,
                h - b,
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
            r##"<line x1="{l}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#000" stroke-opacity="0.08"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#444">{}{}</text>"##,
            w - r,
            l - 5.0,
            y + font / 3.0,
            fmt_tick(v, step),
            escape(&p.unit)
        );
        v += step;
    }
    let tstep = nice_step(x1 - x0, layout.time_ticks);
    let mut tt = (x0 / tstep).ceil() * tstep;
    while tt <= x1 + tstep * 1e-6 {
        let x = sx(tt);
        let _ = write!(
            o,
            r##"<line x1="{x:.1}" x2="{x:.1}" y1="{:.1}" y2="{:.1}" stroke="#444"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="#444">{}</text>"##,
            h - b,
            h - b + 4.0,
            h - b + 5.0 + font,
            fmt_tick(tt, tstep)
        );
        tt += tstep;
    }
    let _ = write!(
        o,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#444">{}</text>"##,
        (l + w - r) / 2.0,
        h - 4.0,
        if p.x_label.is_empty() {
            "time (s)".to_string()
        } else {
            escape(&p.x_label)
        }
    );
    if y0 < 0.0 && y1 > 0.0 {
        let _ = write!(
            o,
            r##"<line x1="{l}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#000" stroke-opacity="0.35"/>"##,
            w - r,
            y = sy(0.0)
        );
    }
    let _ = write!(
        o,
        r##"<rect x="{l}" y="{t}" width="{:.1}" height="{:.1}" fill="none" stroke="#444"/>"##,
        w - l - r,
        h - t - b
    );
    // The lines, one polyline per unbroken run.
    for s in &p.series {
        // Split into unbroken runs at gaps.
        let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
        let mut current: Vec<(f64, f64)> = Vec::new();
        for &(ts, v) in &s.points {
            match v.filter(|v| v.is_finite() && ts.is_finite()) {
                Some(v) => current.push((ts, v)),
                None if !current.is_empty() => runs.push(std::mem::take(&mut current)),
                None => {}
            }
        }
        runs.push(current);
        for run in runs.iter().filter(|r| !r.is_empty()) {
            let pts: Vec<String> = run
                .iter()
                .map(|&(ts, v)| format!("{:.1},{:.1}", sx(ts), sy(v)))
                .collect();
            let _ = write!(
                o,
                r#"<polyline class="series" fill="none" stroke="{}" stroke-width="2" stroke-linejoin="round" points="{}"/>"#,
                escape(&s.colour),
                pts.join(" ")
            );
        }
    }
    // Legend: right-aligned beside the title, or left-aligned on a row of its own.
    let char_w = font * 0.58;
    let entry_w = |s: &Series| 26.0 + char_w * s.label.chars().count() as f64;
    let entries: Vec<(f64, &Series)> = if layout.legend_below_title {
        let mut x = 4.0;
        p.series
            .iter()
            .map(|s| {
                let at = x;
                x += entry_w(s);
                (at, s)
            })
            .collect()
    } else {
        let mut x = w - r;
        let mut out: Vec<(f64, &Series)> = p
            .series
            .iter()
            .rev()
            .map(|s| {
                x -= entry_w(s);
                (x, s)
            })
            .collect();
        out.reverse();
        out
    };
    let legend_y = if layout.legend_below_title {
        36.0
    } else {
        14.0
    };
    for (lx, s) in entries {
        let _ = write!(
            o,
            r##"<line x1="{:.1}" x2="{:.1}" y1="{legend_y}" y2="{legend_y}" stroke="{c}" stroke-width="3"/><text x="{:.1}" y="{:.1}" fill="#222">{}</text>"##,
            lx,
            lx + 16.0,
            lx + 20.0,
            legend_y + font / 3.0,
            escape(&s.label),
            c = escape(&s.colour)
        );
    }
    o.push_str("</svg>");
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::html::over_time::verdict_bands;

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
            stretches: vec![
                Stretch {
                    from: 0.0,
                    to: 1.5,
                    label: "bout 1 <r>".into(),
                },
                Stretch {
                    from: 2.5,
                    to: 9.0,
                    label: "bout 2".into(),
                },
            ],
            include_y: vec![0.0],
            x_label: String::new(),
        };
        let svg = svg_plot_in(&p, &WIDE);
        assert_eq!(svg.matches("<polyline").count(), 2, "{svg}");
        assert_eq!(svg_plot(&p).matches("<polyline").count(), 4);
        assert_eq!(svg.matches("class=\"band\"").count(), 3);
        assert_eq!(svg.matches("class=\"rep\"").count(), 1);
        assert_eq!(svg.matches("class=\"stretch\"").count(), 2);
        assert!(svg.contains("bout 1 &lt;r&gt;") && !svg.contains("<r>"));
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
        assert_eq!(
            svg.matches("<svg").count(),
            2,
            "a wide and a narrow drawing"
        );
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(30.0, 5.0), 10.0);
        assert_eq!(nice_step(10.0, 5.0), 2.0);
        assert!((nice_step(0.3, 5.0) - 0.1).abs() < 1e-12);
    }
}
