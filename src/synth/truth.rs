//! Ground-truth JSON written next to each synthetic clip.
//!
//! All positions are in pixels of the upright (display) frame, y down, the same frame a player shows
//! and kneetrack analyses after applying the rotation tag. Metric values are computed from these
//! positions with the same functions as the analysis (`assess::metrics`, e.g. [`crate::fppa_deg`]), so their definitions match exactly.
use super::kinematics::{Animation, FrameState};
use super::video::Written;
use super::{Stance, SynthConfig};
use crate::assess::metrics;
use crate::geometry::{Joint, Point, Side};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Version of the `.truth.json` layout.
pub const SCHEMA_VERSION: u32 = 1;

/// A synthetic clip's ground truth, written next to it as `<clip>.truth.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Truth {
    pub schema_version: u32,
    pub generator: String,
    /// "left" | "right" | "both".
    pub stance_leg: String,
    /// Side used as "stance" for pelvic drop and trunk lean (the stance leg; "right" for double-leg).
    pub reference_side: String,
    pub video: VideoInfo,
    pub config: SynthConfig,
    pub reps: Vec<RepTruth>,
    pub frames: Vec<FrameTruth>,
    /// Plain-language definitions of every field.
    pub notes: Vec<String>,
}

/// The clip as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VideoInfo {
    pub file: String,
    /// Upright (display) frame size: what a player shows after rotation.
    pub width: u32,
    pub height: u32,
    /// Size of the frames as stored in the file (swapped for 90/270 rotation).
    pub stored_width: u32,
    pub stored_height: u32,
    /// Clockwise rotation a player applies to the stored frames (mp4 display matrix).
    pub rotation: u32,
    pub fps: f64,
    pub frame_count: usize,
    pub duration_s: f64,
    pub codec: String,
}

/// One rep's true numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RepTruth {
    pub index: usize,
    pub start_frame: usize,
    pub bottom_frame: usize,
    pub end_frame: usize,
    pub start_time_s: f64,
    pub bottom_time_s: f64,
    pub end_time_s: f64,
    /// Requested peak FPPA (= the FPPA of each squatting leg at the bottom frame).
    pub requested_peak_fppa_deg: f64,
    /// FPPA of the squatting leg(s) at the bottom frame, by leg name.
    pub fppa_at_bottom_deg: BTreeMap<String, f64>,
    /// Largest FPPA of the squatting leg(s) between start and end (≥ bottom when wobbling).
    pub fppa_max_deg: BTreeMap<String, f64>,
    pub pelvic_drop_at_bottom_deg: Option<f64>,
    pub pelvic_drop_max_deg: Option<f64>,
    pub trunk_lean_at_bottom_deg: Option<f64>,
    pub trunk_lean_max_deg: Option<f64>,
    pub knee_flexion_at_bottom_deg: f64,
    /// Knee-over-foot drift at the bottom (ankle reference), shank lengths, by leg name.
    pub drift_at_bottom: BTreeMap<String, f64>,
}

/// A point in display pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Xy {
    pub x: f64,
    pub y: f64,
}

/// One leg's true metrics in one frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegTruth {
    pub fppa_deg: Option<f64>,
    /// Knee-over-foot drift with the ankle as foot reference (shank lengths, + medial).
    pub drift_ankle: Option<f64>,
    /// Knee-over-foot drift with the ankle–toe midpoint as foot reference.
    pub drift_midfoot: Option<f64>,
    /// Knee offset from the hip–ankle line, pixels, + medial.
    pub knee_offset_px: Option<f64>,
    /// 3D knee flexion, degrees.
    pub knee_flexion_deg: f64,
    /// Whether this leg is squatting (planted foot).
    pub squatting: bool,
}

/// One frame's true joint positions and metrics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrameTruth {
    pub frame: usize,
    pub time_s: f64,
    /// "standing" | "descent" | "bottom" | "ascent".
    pub phase: String,
    pub rep: Option<usize>,
    /// Squat depth profile: 0 standing … 1 bottom.
    pub depth: f64,
    /// Joint centres by `Joint::name()`, upright-frame pixels.
    pub joints: BTreeMap<String, Xy>,
    pub left: LegTruth,
    pub right: LegTruth,
    pub pelvic_drop_deg: Option<f64>,
    pub trunk_lean_deg: Option<f64>,
}

/// Round to `d` decimals (keeps the JSON small; far below any tolerance that matters).
fn rd(v: f64, d: i32) -> f64 {
    let k = 10f64.powi(d);
    (v * k).round() / k
}
fn rdo(v: Option<f64>) -> Option<f64> {
    v.map(|v| rd(v, 6))
}

fn leg_truth(f: &FrameState, s: Side, squatting: bool) -> LegTruth {
    let hip = f.j2(s.hip());
    let knee = f.j2(s.knee());
    let ankle = f.j2(s.ankle());
    let toe = f.j2(s.toe());
    let medial = metrics::medial_sign(hip, f.j2(s.other().hip()));
    let i = match s {
        Side::Left => 0,
        Side::Right => 1,
    };
    LegTruth {
        fppa_deg: rdo(medial.and_then(|m| metrics::fppa_deg(hip, knee, ankle, m))),
        drift_ankle: rdo(medial.and_then(|m| metrics::knee_over_foot_drift(knee, ankle, ankle, m))),
        drift_midfoot: rdo(
            medial.and_then(|m| metrics::knee_over_foot_drift(knee, ankle, ankle.midpoint(toe), m))
        ),
        knee_offset_px: rdo(
            medial.and_then(|m| metrics::knee_offset_from_line(hip, knee, ankle, m))
        ),
        knee_flexion_deg: rd(f.knee_flexion_deg[i], 6),
        squatting,
    }
}

/// The side pelvic drop and trunk lean refer to, as the analysis takes it.
pub fn reference_side(cfg: &SynthConfig) -> Side {
    match cfg.stance {
        Stance::Left => Side::Left,
        _ => Side::Right,
    }
}

/// The legs that carry the squat.
pub fn squatting_sides(cfg: &SynthConfig) -> Vec<Side> {
    match cfg.stance {
        Stance::Left => vec![Side::Left],
        Stance::Right => vec![Side::Right],
        Stance::Both => vec![Side::Left, Side::Right],
    }
}

/// The truth of frame `i`.
pub fn frame_truth(cfg: &SynthConfig, i: usize, f: &FrameState) -> FrameTruth {
    let sq = squatting_sides(cfg);
    let rs = reference_side(cfg);
    let hip_mid = f.j2(Joint::LeftHip).midpoint(f.j2(Joint::RightHip));
    let sh_mid = f
        .j2(Joint::LeftShoulder)
        .midpoint(f.j2(Joint::RightShoulder));
    FrameTruth {
        frame: i,
        time_s: rd(f.time_s, 6),
        phase: f.phase.to_string(),
        rep: f.rep,
        depth: rd(f.depth, 6),
        joints: Joint::ALL
            .iter()
            .map(|&j| {
                let p: Point = f.j2(j);
                (
                    j.name().to_string(),
                    Xy {
                        x: rd(p.x, 4),
                        y: rd(p.y, 4),
                    },
                )
            })
            .collect(),
        left: leg_truth(f, Side::Left, sq.contains(&Side::Left)),
        right: leg_truth(f, Side::Right, sq.contains(&Side::Right)),
        pelvic_drop_deg: rdo(metrics::pelvic_drop_deg(
            f.j2(rs.hip()),
            f.j2(rs.other().hip()),
        )),
        trunk_lean_deg: rdo(metrics::trunk_lean_deg(sh_mid, hip_mid, f.j2(rs.hip()))),
    }
}

fn max_opt(it: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    it.flatten()
        .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))))
}

/// The whole clip's truth.
pub fn build(cfg: &SynthConfig, anim: &Animation, video: &Path, written: &Written) -> Truth {
    let frames: Vec<FrameTruth> = anim
        .frames
        .iter()
        .enumerate()
        .map(|(i, f)| frame_truth(cfg, i, f))
        .collect();
    let sq = squatting_sides(cfg);
    let leg = |ft: &FrameTruth, s: Side| -> LegTruth {
        match s {
            Side::Left => ft.left.clone(),
            Side::Right => ft.right.clone(),
        }
    };
    let reps = anim
        .reps
        .iter()
        .enumerate()
        .map(|(idx, r)| {
            let span = &frames[r.start..=r.end];
            let bottom = &frames[r.bottom];
            RepTruth {
                index: idx,
                start_frame: r.start,
                bottom_frame: r.bottom,
                end_frame: r.end,
                start_time_s: rd(r.start as f64 / cfg.fps, 6),
                bottom_time_s: rd(r.bottom as f64 / cfg.fps, 6),
                end_time_s: rd(r.end as f64 / cfg.fps, 6),
                requested_peak_fppa_deg: r.valgus_deg,
                fppa_at_bottom_deg: sq
                    .iter()
                    .filter_map(|&s| leg(bottom, s).fppa_deg.map(|v| (s.name().to_string(), v)))
                    .collect(),
                fppa_max_deg: sq
                    .iter()
                    .filter_map(|&s| {
                        max_opt(span.iter().map(|f| leg(f, s).fppa_deg))
                            .map(|v| (s.name().to_string(), v))
                    })
                    .collect(),
                pelvic_drop_at_bottom_deg: bottom.pelvic_drop_deg,
                pelvic_drop_max_deg: max_opt(span.iter().map(|f| f.pelvic_drop_deg)),
                trunk_lean_at_bottom_deg: bottom.trunk_lean_deg,
                trunk_lean_max_deg: max_opt(span.iter().map(|f| f.trunk_lean_deg)),
                knee_flexion_at_bottom_deg: cfg.depth_deg,
                drift_at_bottom: sq
                    .iter()
                    .filter_map(|&s| {
                        leg(bottom, s)
                            .drift_ankle
                            .map(|v| (s.name().to_string(), v))
                    })
                    .collect(),
            }
        })
        .collect();
    let (sw, sh) = if cfg.rotate % 180 == 90 {
        (cfg.height, cfg.width)
    } else {
        (cfg.width, cfg.height)
    };
    Truth {
        schema_version: SCHEMA_VERSION,
        generator: format!("kneetrack synth {}", env!("CARGO_PKG_VERSION")),
        stance_leg: cfg.stance.name().to_string(),
        reference_side: reference_side(cfg).name().to_string(),
        video: VideoInfo {
            file: video.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
            width: cfg.width,
            height: cfg.height,
            stored_width: sw,
            stored_height: sh,
            rotation: cfg.rotate,
            fps: cfg.fps,
            frame_count: frames.len(),
            duration_s: frames.len() as f64 / cfg.fps,
            codec: written.codec.clone(),
        },
        config: cfg.clone(),
        reps,
        frames,
        notes: vec![
            "Pixels of the upright display frame (after the rotation tag), y down; left/right are the person's own sides (their left appears on image right).".into(),
            "Joint centres: hip = hip joint centre (top of the thigh inside the pelvis), knee = middle of the knee, ankle = between the malleoli, heel = back of the heel near the sole, toe = tip of the shoe.".into(),
            "fppa_deg, drift_*, knee_offset_px, pelvic_drop_deg and trunk_lean_deg are computed from these joints with kneetrack::metrics (positive = medial/valgus; pelvic drop positive = free hip lower; trunk lean positive = towards the reference side).".into(),
            "Rep frames are inclusive; bottom_frame is the first frame at full depth, where the FPPA of each squatting leg equals requested_peak_fppa_deg exactly (wobble is zero there).".into(),
            "The free leg's joints (single-leg squats) may be hidden behind the body; they are still the true centres.".into(),
        ],
    }
}
