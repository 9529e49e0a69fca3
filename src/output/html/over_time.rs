//! The report's plots over time: the metrics of the judged legs and the body, their threshold
//! zones, the reps shaded and, in a clip of several bouts, the bouts tinted. A leg's line is drawn
//! only where its bout judges it.
use super::plot::{Band, Plot, Series, Span, Stretch};
use super::text::verdict_css;
use crate::assess::metric_table::{MetricDef, Part, PlotDef, METRICS};
use crate::assess::thresholds::Thresholds;
use crate::assess::{Assessment, FrameMetrics, Rep, Verdict};
use crate::clip::ClipAnalysis;
use crate::geometry::Side;
use crate::output::annotate;
use crate::output::bout_and_leg_text::{bout_stance, several_bouts};

/// A leg's colour, the same in every plot.
fn leg_colour(side: Side) -> &'static str {
    match side {
        Side::Left => "#1f6fb4",
        Side::Right => "#8e44ad",
    }
}

/// A per-frame series from the assessment's frames; `value` gets each frame's position too.
pub fn frame_series(
    analysis: &ClipAnalysis,
    label: &str,
    colour: &str,
    value: impl Fn(usize, &FrameMetrics) -> Option<f64>,
) -> Series {
    Series {
        label: label.to_string(),
        colour: colour.to_string(),
        points: analysis
            .assessment
            .frames
            .iter()
            .enumerate()
            .map(|(i, f)| (f.t_s, value(i, f)))
            .collect(),
    }
}

/// The bouts of a clip of several, tinted and named ("bout 1 · right leg"); none for one bout.
pub fn bout_stretches(a: &Assessment) -> Vec<Stretch> {
    if !several_bouts(a) {
        return Vec::new();
    }
    a.bouts
        .iter()
        .map(|b| Stretch {
            from: b.start_s,
            to: b.end_s,
            label: format!("bout {} · {}", b.number, bout_stance(b.stance)),
        })
        .collect()
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

/// The standard plots: one per metric of the table that has one, the knees first (per-leg
/// metrics, then whole-body ones), with their threshold zones; reps shaded.
pub fn standard_plots(analysis: &ClipAnalysis, th: &Thresholds) -> Vec<Plot> {
    let a = &analysis.assessment;
    let x_range = (
        a.frames.first().map_or(0.0, |f| f.t_s),
        a.frames.last().map_or(1.0, |f| f.t_s),
    );
    let sides = annotate::judged_sides_anywhere(a);
    let spans = rep_spans(&a.reps);
    let stretches = bout_stretches(a);
    let knees_first = METRICS
        .iter()
        .filter(|m| m.per_leg())
        .chain(METRICS.iter().filter(|m| !m.per_leg()));
    knees_first
        .filter_map(|m| Some((m, m.plot.as_ref()?)))
        .map(|(m, p)| Plot {
            title: p.title.into(),
            unit: m.unit.into(),
            x_range,
            series: m
                .parts(&sides)
                .into_iter()
                .map(|part| metric_series(analysis, m, p, part))
                .collect(),
            bands: p.zones.map_or_else(Vec::new, |zones| {
                let z = zones(th);
                verdict_bands(m.display(z.good_max), m.display(z.poor_min))
            }),
            spans: spans.clone(),
            stretches: stretches.clone(),
            include_y: vec![0.0, (p.y_reach)(th)],
            x_label: String::new(),
        })
        .collect()
}

/// A metric's line for one leg or the body, in displayed units; measured from its bout's
/// standing value where the verdict judges it so (not drawn between bouts, which have none).
fn metric_series(analysis: &ClipAnalysis, m: &MetricDef, p: &PlotDef, part: Part) -> Series {
    let a = &analysis.assessment;
    let (label, colour) = match part {
        Part::Leg(side) => (format!("{} {}", side.name(), p.line), leg_colour(side)),
        Part::Body => (p.line.to_string(), p.colour.unwrap_or("#333333")),
    };
    frame_series(analysis, &label, colour, |i, f| {
        if let Part::Leg(side) = part {
            if !annotate::judged_sides_at(a, i).contains(&side) {
                return None;
            }
        }
        let v = m.frame_value(f, part)?;
        let v = match p.standing {
            Some(standing) => v - a.bout_of(f).map(standing)?.unwrap_or(0.0),
            None => v,
        };
        Some(m.display(v))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixture::{squat_clip, two_bout_clip};

    #[test]
    fn the_metric_table_drives_the_plots() {
        let clip = squat_clip();
        let plots = standard_plots(&clip, &clip.assessment.thresholds);
        let plotted: Vec<&MetricDef> = METRICS.iter().filter(|m| m.plot.is_some()).collect();
        assert_eq!(plots.len(), plotted.len());
        // The knees first; a single-leg squat draws the stance leg only.
        let legs = plotted.iter().filter(|m| m.per_leg()).count();
        for (i, p) in plots.iter().enumerate() {
            assert_eq!(p.series.len(), 1, "{}", p.title);
            let label = &p.series[0].label;
            assert_eq!(label.starts_with("right "), i < legs, "{label}");
            assert!(p.series[0].points.iter().any(|(_, v)| v.is_some()));
        }
        assert_eq!(plots[0].title, "Knee valgus angle (FPPA)");
        assert_eq!(plots[0].bands.len(), 3);
    }

    #[test]
    fn two_bouts_draw_each_leg_in_its_bout_and_tint_the_bouts() {
        let clip = two_bout_clip();
        let a = &clip.assessment;
        let plots = standard_plots(&clip, &a.thresholds);
        let fppa = &plots[0];
        let labels: Vec<&str> = fppa.series.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["left knee", "right knee"]);
        for (series, bout) in fppa.series.iter().zip([2, 1]) {
            for ((_, v), f) in series.points.iter().zip(&a.frames) {
                if f.bout != Some(bout) {
                    assert!(v.is_none(), "{} drawn outside bout {bout}", series.label);
                }
            }
            assert!(series.points.iter().any(|(_, v)| v.is_some()));
        }
        let stretches = &fppa.stretches;
        assert_eq!(stretches.len(), 2);
        assert_eq!(stretches[0].label, "bout 1 · right leg");
        assert!(stretches[0].to < stretches[1].from, "the step stays blank");
        assert!(standard_plots(&squat_clip(), &a.thresholds)
            .iter()
            .all(|p| p.stretches.is_empty()));
        // Pelvis and trunk are measured from each bout's own standing value, and not drawn
        // between bouts.
        let pelvis = plots
            .iter()
            .find(|p| p.title.starts_with("Pelvic"))
            .unwrap();
        let line = &pelvis.series[0].points;
        for ((_, v), f) in line.iter().zip(&a.frames) {
            assert!(v.is_none() || f.bout.is_some());
            if let (Some(v), Some(bout)) = (v, a.bout_of(f)) {
                let raw = f.pelvic_drop_deg.unwrap();
                assert!((v - (raw - bout.standing_pelvic_drop_deg.unwrap())).abs() < 1e-9);
            }
        }
        for bout in [1, 2] {
            assert!(line
                .iter()
                .zip(&a.frames)
                .any(|((_, v), f)| v.is_some() && f.bout == Some(bout)));
        }
    }
}
