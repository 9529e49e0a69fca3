//! The per-frame CSV: one row per frame, the raw keypoints and the smoothed metrics.
use crate::clip::ClipAnalysis;
use crate::geometry::Joint;
use std::fmt::Write as _;

/// Per-frame CSV: time, the raw keypoints (x, y, score per joint) and the smoothed metrics.
pub fn to_csv(a: &ClipAnalysis) -> String {
    let mut out = String::from(
        "frame,t_s,confident,depth,left_fppa_deg,right_fppa_deg,left_drift,right_drift,pelvic_drop_deg,trunk_lean_deg",
    );
    for j in Joint::ALL {
        let _ = write!(out, ",{0}_x,{0}_y,{0}_score", j.name());
    }
    out.push('\n');
    let opt = |v: Option<f64>| v.map_or_else(String::new, |v| format!("{v:.4}"));
    for (f, o) in a.assessment.frames.iter().zip(&a.observations) {
        let _ = write!(
            out,
            "{},{:.4},{},{},{},{},{},{},{},{}",
            f.index,
            f.t_s,
            f.confident as u8,
            opt(f.depth),
            opt(f.left.fppa_deg),
            opt(f.right.fppa_deg),
            opt(f.left.drift),
            opt(f.right.drift),
            opt(f.pelvic_drop_deg),
            opt(f.trunk_lean_deg)
        );
        for kp in &o.pose.keypoints {
            let _ = write!(out, ",{:.1},{:.1},{:.3}", kp.x, kp.y, kp.score);
        }
        out.push('\n');
    }
    out
}
