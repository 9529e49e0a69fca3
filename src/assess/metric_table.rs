//! Every metric the outputs show, defined once: its unit, where its per-frame and per-rep values
//! come from, the zones its plot shades, and how each output writes it (after Sports2D's table of
//! angles). The CSV columns, the terminal rep lines, the HTML plots and the HTML rep table all loop
//! over [`METRICS`], so a new metric is an entry here, the function that measures it and its
//! threshold — nothing else.
//!
//! The table's order is the CSV's column order and the order of the values in a rep line or a rep
//! table row. The plots show the knees first (per-leg metrics, then whole-body ones).
use crate::assess::metrics::LegMetrics;
use crate::assess::thresholds::Thresholds;
use crate::assess::{Bout, FrameMetrics, Rep, RepLeg};
use crate::geometry::Side;

/// One metric.
pub struct MetricDef {
    /// Its name, also its CSV column (a per-leg metric has one per leg, `left_` or `right_` in
    /// front).
    pub name: &'static str,
    /// Written after displayed values ("°", "%"; "" for counts).
    pub unit: &'static str,
    /// Displayed value = stored value × `scale` (fractions of a length are shown as %); the CSV
    /// keeps stored values.
    pub scale: f64,
    /// What it is measured on and where its values come from.
    pub reading: Reading,
    /// Its plot over time in the HTML report, if it has one.
    pub plot: Option<PlotDef>,
}

/// Where a metric's values come from: each leg's numbers, or the whole body's.
pub enum Reading {
    /// One value per leg: per frame from the leg's [`LegMetrics`], per rep from its [`RepLeg`].
    Leg {
        /// `None` for a metric that only exists per rep (wobble counts reversals over a rep).
        frame: Option<fn(&LegMetrics) -> Option<f64>>,
        reps: &'static [RepValue<RepLeg>],
    },
    /// One value for the body: per frame from [`FrameMetrics`], per rep from the [`Rep`].
    Body {
        frame: Option<fn(&FrameMetrics) -> Option<f64>>,
        reps: &'static [RepValue<Rep>],
    },
}

/// One per-rep value of a metric (a metric may have several: peak FPPA, FPPA at the bottom), in
/// stored units.
pub struct RepValue<R: 'static> {
    pub value: fn(&R) -> Option<f64>,
    /// How the terminal's rep line writes it; `None`: not there.
    pub line: Option<InLine>,
    /// Its column in the HTML rep table; `None`: not there.
    pub column: Option<Column>,
}

/// A value in the terminal's rep line: `label value`.
pub struct InLine {
    pub label: &'static str,
    pub digits: usize,
    pub place: Place,
}

/// Where a value sits in the terminal's rep line.
pub enum Place {
    /// Beside the rep's times, right-aligned in `width` characters so that the lines align (for
    /// whole-body values such as depth; a leg value is listed with the leg, padded).
    BesideTimes { width: usize },
    /// In the leg's list, or for a whole-body value in the list after the legs; "—" when missing.
    Listed,
    /// Listed only when there is a value (wobble: only when the knee wobbled).
    ListedWhenSome,
}

/// A column of the HTML rep table.
pub struct Column {
    pub header: &'static str,
    pub digits: usize,
}

/// A metric's plot over time.
pub struct PlotDef {
    pub title: &'static str,
    /// The line's label; a per-leg metric draws a line per judged leg, the side in front
    /// ("left knee").
    pub line: &'static str,
    /// The line's colour; `None` for a per-leg metric, whose lines have their legs' colours (the
    /// same in every plot).
    pub colour: Option<&'static str>,
    /// Good / fair / poor zones, in stored units (the thresholds the verdict uses); `None`: none.
    pub zones: Option<fn(&Thresholds) -> Zones>,
    /// The y axis reaches from 0 to at least this, in displayed units, so the zones show.
    pub y_reach: fn(&Thresholds) -> f64,
    /// For a metric judged from standing (pelvis, trunk): the standing value of the frame's bout,
    /// which the plot subtracts so that it shows what the verdict judges.
    pub standing: Option<fn(&Bout) -> Option<f64>>,
}

/// Values up to `good_max` are good, from `poor_min` on poor, fair between.
pub struct Zones {
    pub good_max: f64,
    pub poor_min: f64,
}

/// What a value is read for: one leg, or the whole body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Leg(Side),
    Body,
}

impl MetricDef {
    pub fn per_leg(&self) -> bool {
        matches!(self.reading, Reading::Leg { .. })
    }

    /// Whether it has a value per frame (a CSV column, something to plot).
    pub fn per_frame(&self) -> bool {
        match self.reading {
            Reading::Leg { frame, .. } => frame.is_some(),
            Reading::Body { frame, .. } => frame.is_some(),
        }
    }

    /// The parts it has values for: each of `legs` for a per-leg metric, else the body.
    pub fn parts(&self, legs: &[Side]) -> Vec<Part> {
        if self.per_leg() {
            legs.iter().map(|&s| Part::Leg(s)).collect()
        } else {
            vec![Part::Body]
        }
    }

    /// Its CSV column for `part`.
    pub fn csv_column(&self, part: Part) -> String {
        match part {
            Part::Leg(side) => format!("{}_{}", side.name(), self.name),
            Part::Body => self.name.to_string(),
        }
    }

    /// Its value in one frame for `part`, in stored units; `None` when not measured, or when the
    /// metric has no per-frame value or is not one of `part`.
    pub fn frame_value(&self, f: &FrameMetrics, part: Part) -> Option<f64> {
        match (&self.reading, part) {
            (Reading::Leg { frame, .. }, Part::Leg(side)) => frame.and_then(|v| v(f.leg(side))),
            (Reading::Body { frame, .. }, Part::Body) => frame.and_then(|v| v(f)),
            _ => None,
        }
    }

    /// A stored value as displayed.
    pub fn display(&self, v: f64) -> f64 {
        v * self.scale
    }
}

/// The per-rep values of the per-leg metrics, each with its metric, in table order.
pub fn leg_rep_values() -> impl Iterator<Item = (&'static MetricDef, &'static RepValue<RepLeg>)> {
    METRICS.iter().flat_map(|m| {
        let reps: &'static [RepValue<RepLeg>] = match m.reading {
            Reading::Leg { reps, .. } => reps,
            Reading::Body { .. } => &[],
        };
        reps.iter().map(move |v| (m, v))
    })
}

/// The per-rep values of the whole-body metrics, each with its metric, in table order.
pub fn body_rep_values() -> impl Iterator<Item = (&'static MetricDef, &'static RepValue<Rep>)> {
    METRICS.iter().flat_map(|m| {
        let reps: &'static [RepValue<Rep>] = match m.reading {
            Reading::Body { reps, .. } => reps,
            Reading::Leg { .. } => &[],
        };
        reps.iter().map(move |v| (m, v))
    })
}

/// The metrics.
pub const METRICS: &[MetricDef] = &[
    MetricDef {
        name: "depth",
        unit: "%",
        scale: 100.0,
        reading: Reading::Body {
            frame: Some(|f| f.depth),
            reps: &[RepValue {
                value: |r| Some(r.depth),
                line: Some(InLine {
                    label: "depth",
                    digits: 0,
                    place: Place::BesideTimes { width: 3 },
                }),
                column: Some(Column {
                    header: "depth",
                    digits: 0,
                }),
            }],
        },
        plot: Some(PlotDef {
            title: "Squat depth (hip drop, % of leg length)",
            line: "depth",
            colour: Some("#333333"),
            zones: None,
            y_reach: |th| th.half_squat_depth * 100.0,
            standing: None,
        }),
    },
    MetricDef {
        name: "fppa_deg",
        unit: "°",
        scale: 1.0,
        reading: Reading::Leg {
            frame: Some(|l| l.fppa_deg),
            reps: &[
                RepValue {
                    value: |l| l.peak_fppa_deg,
                    line: Some(InLine {
                        label: "peak FPPA",
                        digits: 1,
                        place: Place::Listed,
                    }),
                    column: Some(Column {
                        header: "peak FPPA",
                        digits: 1,
                    }),
                },
                RepValue {
                    value: |l| l.fppa_at_bottom_deg,
                    line: None,
                    column: Some(Column {
                        header: "FPPA at bottom",
                        digits: 1,
                    }),
                },
            ],
        },
        plot: Some(PlotDef {
            title: "Knee valgus angle (FPPA)",
            line: "knee",
            colour: None,
            zones: Some(|th| Zones {
                good_max: th.fppa_good_max_deg,
                poor_min: th.fppa_poor_min_deg,
            }),
            y_reach: |th| th.fppa_poor_min_deg + 3.0,
            standing: None,
        }),
    },
    MetricDef {
        name: "drift",
        unit: "%",
        scale: 100.0,
        reading: Reading::Leg {
            frame: Some(|l| l.drift),
            reps: &[RepValue {
                value: |l| l.drift_at_bottom,
                line: Some(InLine {
                    label: "drift",
                    digits: 1,
                    place: Place::Listed,
                }),
                column: Some(Column {
                    header: "drift at bottom",
                    digits: 0,
                }),
            }],
        },
        plot: Some(PlotDef {
            title: "Knee inside the foot (drift over the ankle, % of shank length)",
            line: "knee",
            colour: None,
            zones: Some(|th| Zones {
                good_max: th.drift_fair_min,
                poor_min: th.drift_poor_min,
            }),
            y_reach: |th| th.drift_poor_min * 100.0 + 5.0,
            standing: None,
        }),
    },
    MetricDef {
        name: "wobble",
        unit: "",
        scale: 1.0,
        reading: Reading::Leg {
            frame: None,
            reps: &[RepValue {
                // Missing when the knee did not wobble, so that the line leaves it out.
                value: |l| Some(l.wobble as f64).filter(|&w| w > 0.0),
                line: Some(InLine {
                    label: "wobble",
                    digits: 0,
                    place: Place::ListedWhenSome,
                }),
                column: None,
            }],
        },
        plot: None,
    },
    MetricDef {
        name: "pelvic_drop_deg",
        unit: "°",
        scale: 1.0,
        reading: Reading::Body {
            frame: Some(|f| f.pelvic_drop_deg),
            reps: &[RepValue {
                value: |r| r.pelvic_drop_deg,
                line: Some(InLine {
                    label: "pelvis",
                    digits: 1,
                    place: Place::Listed,
                }),
                column: None,
            }],
        },
        plot: Some(PlotDef {
            title: "Pelvic drop beyond standing (free-leg hip lower = positive)",
            line: "pelvic drop",
            colour: Some("#b35900"),
            // Never poor: 2D hip points misread pelvic tilt (see the threshold).
            zones: Some(|th| Zones {
                good_max: th.pelvic_drop_fair_deg,
                poor_min: f64::INFINITY,
            }),
            y_reach: |th| th.pelvic_drop_fair_deg + 4.0,
            standing: Some(|b| b.standing_pelvic_drop_deg),
        }),
    },
    MetricDef {
        name: "trunk_lean_deg",
        unit: "°",
        scale: 1.0,
        reading: Reading::Body {
            frame: Some(|f| f.trunk_lean_deg),
            reps: &[RepValue {
                value: |r| r.trunk_lean_deg,
                line: Some(InLine {
                    label: "trunk",
                    digits: 1,
                    place: Place::Listed,
                }),
                column: None,
            }],
        },
        plot: Some(PlotDef {
            title: "Trunk lean beyond standing (towards the stance side)",
            line: "trunk lean",
            colour: Some("#2f7f6f"),
            zones: Some(|th| Zones {
                good_max: th.trunk_lean_fair_deg,
                poor_min: f64::INFINITY,
            }),
            y_reach: |th| th.trunk_lean_fair_deg + 2.0,
            standing: Some(|b| b.standing_trunk_lean_deg),
        }),
    },
    // The knee over the middle of the foot, where the model gives toes: per frame only (CSV).
    MetricDef {
        name: "foot_drift",
        unit: "%",
        scale: 100.0,
        reading: Reading::Leg {
            frame: Some(|l| l.foot_drift),
            reps: &[],
        },
        plot: None,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    const BOTH: [Side; 2] = [Side::Left, Side::Right];

    fn csv_columns() -> Vec<String> {
        METRICS
            .iter()
            .filter(|m| m.per_frame())
            .flat_map(|m| m.parts(&BOTH).into_iter().map(|p| m.csv_column(p)))
            .collect()
    }

    #[test]
    fn column_names_are_unique() {
        let columns = csv_columns();
        let unique: BTreeSet<&String> = columns.iter().collect();
        assert_eq!(unique.len(), columns.len(), "{columns:?}");
        let all: BTreeSet<&str> = METRICS.iter().map(|m| m.name).collect();
        assert_eq!(all.len(), METRICS.len());
    }

    #[test]
    fn per_leg_metrics_have_a_column_per_leg() {
        assert!(csv_columns().starts_with(&[
            "depth".to_string(),
            "left_fppa_deg".to_string(),
            "right_fppa_deg".to_string()
        ]));
    }

    #[test]
    fn every_metric_reaches_some_output() {
        for m in METRICS {
            let shown_per_rep = match &m.reading {
                Reading::Leg { reps, .. } => {
                    reps.iter().any(|v| v.line.is_some() || v.column.is_some())
                }
                Reading::Body { reps, .. } => {
                    reps.iter().any(|v| v.line.is_some() || v.column.is_some())
                }
            };
            assert!(
                m.per_frame() || shown_per_rep,
                "{} is shown nowhere",
                m.name
            );
        }
    }

    #[test]
    fn only_metrics_with_frame_values_are_plotted() {
        for m in METRICS.iter().filter(|m| m.plot.is_some()) {
            assert!(
                m.per_frame(),
                "{} has a plot but no per-frame value",
                m.name
            );
        }
    }

    #[test]
    fn per_leg_lines_take_the_legs_colours() {
        for m in METRICS {
            if let Some(p) = &m.plot {
                assert_eq!(p.colour.is_none(), m.per_leg(), "{}", m.name);
            }
        }
    }

    #[test]
    fn values_beside_the_times_are_whole_body() {
        for (m, v) in leg_rep_values() {
            assert!(
                !matches!(
                    v.line,
                    Some(InLine {
                        place: Place::BesideTimes { .. },
                        ..
                    })
                ),
                "{}",
                m.name
            );
        }
    }

    #[test]
    fn zones_are_in_order_with_the_default_thresholds() {
        let th = Thresholds::default();
        for m in METRICS {
            let Some(zones) = m.plot.as_ref().and_then(|p| p.zones) else {
                continue;
            };
            let z = zones(&th);
            assert!(z.good_max < z.poor_min, "{}", m.name);
        }
    }

    #[test]
    fn frame_value_reads_the_part_asked_for() {
        let frame = FrameMetrics {
            index: 0,
            t_s: 0.0,
            confident: true,
            left: LegMetrics {
                fppa_deg: Some(4.0),
                ..Default::default()
            },
            right: LegMetrics {
                fppa_deg: Some(9.0),
                ..Default::default()
            },
            depth: Some(0.25),
            pelvic_drop_deg: None,
            trunk_lean_deg: None,
            bout: None,
            interpolated: false,
        };
        let fppa = METRICS.iter().find(|m| m.name == "fppa_deg").unwrap();
        let depth = METRICS.iter().find(|m| m.name == "depth").unwrap();
        assert_eq!(fppa.frame_value(&frame, Part::Leg(Side::Right)), Some(9.0));
        assert_eq!(fppa.frame_value(&frame, Part::Body), None);
        assert_eq!(depth.frame_value(&frame, Part::Body), Some(0.25));
        assert_eq!(depth.display(0.25), 25.0);
    }
}
