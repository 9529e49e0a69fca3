//! The report's plots over time: the metrics of the judged legs and the body, their threshold
//! zones, and the reps shaded.
use super::plot::{Band, Plot, Series, Span};
use super::text::verdict_css;
use crate::assess::thresholds::Thresholds;
use crate::assess::{FrameMetrics, Rep, Verdict};
use crate::clip::ClipAnalysis;
use crate::geometry::Side;
use crate::output::annotate;

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
