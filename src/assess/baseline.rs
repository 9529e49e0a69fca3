//! The standing values every rep is measured from: each judged knee's FPPA, the pelvis and the
//! trunk, as medians over the frames where the person stands tall with the judged legs seen.
use super::signal;
use super::thresholds::Thresholds;
use super::FrameMetrics;
use crate::geometry::Side;

/// Standing FPPA per judged leg and standing pelvic drop and trunk lean, degrees.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Standing {
    pub fppa_deg: Vec<(Side, f64)>,
    pub pelvic_drop_deg: Option<f64>,
    pub trunk_lean_deg: Option<f64>,
}

/// A frame counts as standing when the judged legs are seen and the hips are within
/// `th.standing_depth_max` leg lengths of their standing height.
pub(crate) fn is_standing(frame: &FrameMetrics, th: &Thresholds) -> bool {
    frame.depth.is_some_and(|d| d < th.standing_depth_max)
}

pub(crate) fn standing(frames: &[FrameMetrics], judged: &[Side], th: &Thresholds) -> Standing {
    let still = || frames.iter().filter(|f| f.confident && is_standing(f, th));
    Standing {
        fppa_deg: judged
            .iter()
            .filter_map(|&side| {
                Some((
                    side,
                    signal::median(still().filter_map(|f| f.leg(side).fppa_deg))?,
                ))
            })
            .collect(),
        pelvic_drop_deg: signal::median(still().filter_map(|f| f.pelvic_drop_deg)),
        trunk_lean_deg: signal::median(still().filter_map(|f| f.trunk_lean_deg)),
    }
}
