//! The per-frame CSV: one row per frame, the raw keypoints and the smoothed metrics.
use crate::assess::metric_table::{MetricDef, Part, METRICS};
use crate::clip::ClipAnalysis;
use crate::geometry::{Joint, Side};
use std::fmt::Write as _;

/// Both legs, left first, whatever the stance: every clip's CSV has the same columns.
const LEGS: [Side; 2] = [Side::Left, Side::Right];

/// The metric columns: each per-frame metric of the table, one column per leg for a per-leg one.
fn metric_columns() -> Vec<(&'static MetricDef, Part)> {
    METRICS
        .iter()
        .filter(|m| m.per_frame())
        .flat_map(|m| m.parts(&LEGS).into_iter().map(move |part| (m, part)))
        .collect()
}

/// Per-frame CSV: time, the bout (empty between bouts), the smoothed metrics (stored units), the
/// raw keypoints (x, y, score per joint) and whether the frame was interpolated rather than posed
/// (`--coarse-rate`; last, so that the columns before it stay where they were).
pub fn to_csv(a: &ClipAnalysis) -> String {
    let columns = metric_columns();
    let mut out = String::from("frame,t_s,confident,bout");
    for (m, part) in &columns {
        let _ = write!(out, ",{}", m.csv_column(*part));
    }
    for j in Joint::ALL {
        let _ = write!(out, ",{0}_x,{0}_y,{0}_score", j.name());
    }
    out.push_str(",interpolated\n");
    let opt = |v: Option<f64>| v.map_or_else(String::new, |v| format!("{v:.4}"));
    for (f, o) in a.assessment.frames.iter().zip(&a.observations) {
        let bout = f.bout.map_or_else(String::new, |b| b.to_string());
        let _ = write!(out, "{},{:.4},{},{bout}", f.index, f.t_s, f.confident as u8);
        for (m, part) in &columns {
            let _ = write!(out, ",{}", opt(m.frame_value(f, *part)));
        }
        for kp in &o.pose.keypoints {
            let _ = write!(out, ",{:.1},{:.1},{:.3}", kp.x, kp.y, kp.score);
        }
        let _ = writeln!(out, ",{}", f.interpolated as u8);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixture::{squat_clip, two_bout_clip};

    #[test]
    fn header_and_rows_have_the_same_fields() {
        let csv = to_csv(&squat_clip());
        let mut lines = csv.lines();
        let header = lines.next().unwrap();
        assert!(header.starts_with(
            "frame,t_s,confident,bout,depth,left_fppa_deg,right_fppa_deg,left_drift,right_drift,pelvic_drop_deg,trunk_lean_deg,left_foot_drift,right_foot_drift,nose_x,"
        ), "{header}");
        let fields = header.split(',').count();
        assert_eq!(fields, 4 + metric_columns().len() + 3 * Joint::COUNT + 1);
        assert!(header.ends_with(",interpolated"), "{header}");
        let mut rows = 0;
        for row in lines {
            assert_eq!(row.split(',').count(), fields, "{row}");
            rows += 1;
        }
        assert!(rows > 100);
    }

    #[test]
    fn the_last_column_marks_interpolated_frames() {
        let mut clip = squat_clip();
        clip.assessment.frames[5].interpolated = true;
        let csv = to_csv(&clip);
        let last: Vec<&str> = csv
            .lines()
            .skip(1)
            .map(|row| row.rsplit(',').next().unwrap())
            .collect();
        assert_eq!(last[5], "1");
        assert_eq!(last.iter().filter(|c| **c == "1").count(), 1);
        assert!(last.iter().all(|c| *c == "0" || *c == "1"));
    }

    #[test]
    fn the_bout_column_is_empty_between_bouts() {
        let clip = two_bout_clip();
        let csv = to_csv(&clip);
        let bouts: Vec<&str> = csv
            .lines()
            .skip(1)
            .map(|row| row.split(',').nth(3).unwrap())
            .collect();
        assert_eq!(bouts.len(), clip.assessment.frames.len());
        for (cell, f) in bouts.iter().zip(&clip.assessment.frames) {
            assert_eq!(*cell, f.bout.map_or(String::new(), |b| b.to_string()));
        }
        for want in ["1", "2", ""] {
            assert!(bouts.contains(&want), "no {want:?} in the bout column");
        }
        // In time order: bout 1, the step, bout 2.
        let first_two = bouts.iter().position(|b| *b == "2").unwrap();
        assert!(bouts[..first_two].contains(&""));
        assert!(bouts[first_two..].iter().all(|b| *b != "1"));
    }
}
