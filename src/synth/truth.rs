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
    /// The clip's bouts in time order: one stance and one view each, with the outcome a correct
    /// screen gives.
    #[serde(default)]
    pub bouts: Vec<BoutTruth>,
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

/// One bout's truth and what a correct screen makes of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoutTruth {
    pub index: usize,
    pub start_s: f64,
    pub end_s: f64,
    /// "left" | "right" | "both".
    pub stance: String,
    /// "front" | "oblique" | "side" | "rear": how the camera sees the person.
    pub view: String,
    /// How far the person is turned from facing the camera, degrees.
    pub turn_deg: f64,
    /// Indices of the bout's reps in `reps`.
    pub reps: Vec<usize>,
    /// The true (frontal-plane) peak FPPA of each squatting leg: the median of its reps'
    /// requested values.
    pub true_peak_fppa_deg: BTreeMap<String, f64>,
    /// What a 2D measure sees in this picture at the bottoms (median over the reps), by leg: the
    /// true value from the front or behind, something else at an angle.
    pub picture_peak_fppa_deg: BTreeMap<String, f64>,
    /// The verdict of the movement itself (`good`, `fair` or `poor` from the true peak FPPA,
    /// wobble, pelvic drop and trunk lean); empty when it is borderline.
    pub expected_verdict: String,
    /// The picture cannot be measured honestly (side-on, steeply angled, feet out of the picture
    /// at the bottoms, rolled beyond what is corrected): "inconclusive" is the only right answer.
    pub inconclusive_expected: bool,
    /// A hard picture (filmed from behind, rolled, squeezed pixels): the expected verdict or
    /// "inconclusive" are both right; a confident other verdict is wrong.
    pub inconclusive_allowed: bool,
    /// Why the bout is hard, in words (empty when it is not).
    pub hard: String,
}

/// Rolled beyond this, kneetrack states it does not correct the picture (its `max_roll_deg`).
pub const MAX_CORRECTED_ROLL_DEG: f64 = 15.0;
/// Turned this far or more from the camera, the view is called oblique.
pub const OBLIQUE_DEG: f64 = 15.0;
/// A picture whose 2D knee angle at the bottoms differs from the frontal-plane one by more than
/// this (the accuracy tests' tolerance) cannot be measured honestly.
pub const PICTURE_TOLERANCE_DEG: f64 = 4.0;

/// The bout's view name from how far the person is turned.
pub fn view_name(turn_deg: f64) -> &'static str {
    let t = turn_deg.rem_euclid(360.0);
    let off_front = t.min(360.0 - t);
    match off_front {
        a if a < OBLIQUE_DEG => "front",
        a if a <= 60.0 => "oblique",
        a if a < 150.0 => "side",
        _ => "rear",
    }
}

/// The verdict of the movement from its true numbers, by the default limits (peak FPPA good up
/// to 13°, poor from 17°; wobble, pelvic drop from 5°, trunk lean from 10° make it fair); empty
/// near a limit, where the screen may go either way.
pub fn movement_verdict(cfg: &SynthConfig, true_peak: f64) -> &'static str {
    if true_peak >= 20.0 {
        "poor"
    } else if true_peak <= 9.0
        && cfg.wobble_deg < 3.0
        && cfg.pelvic_drop_deg.abs() < 4.0
        && cfg.trunk_lean_deg.abs() < 8.0
    {
        "good"
    } else {
        ""
    }
}

/// One rep's true numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RepTruth {
    pub index: usize,
    /// The bout the rep belongs to.
    #[serde(default)]
    pub bout: usize,
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
    reference_side_of(cfg.stance)
}

fn reference_side_of(stance: Stance) -> Side {
    match stance {
        Stance::Left => Side::Left,
        _ => Side::Right,
    }
}

/// The legs that carry the squat.
pub fn squatting_sides(cfg: &SynthConfig) -> Vec<Side> {
    squatting_sides_of(cfg.stance)
}

fn squatting_sides_of(stance: Stance) -> Vec<Side> {
    match stance {
        Stance::Left => vec![Side::Left],
        Stance::Right => vec![Side::Right],
        Stance::Both => vec![Side::Left, Side::Right],
    }
}

/// The truth of frame `i` (the frame's own stance: the config's is the first bout's).
pub fn frame_truth(_cfg: &SynthConfig, i: usize, f: &FrameState) -> FrameTruth {
    let sq = squatting_sides_of(f.stance);
    let rs = reference_side_of(f.stance);
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

fn median(mut v: Vec<f64>) -> Option<f64> {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    (n > 0).then(|| {
        if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        }
    })
}

/// Each bout's truth and the outcome a correct screen gives it.
fn bouts_truth(cfg: &SynthConfig, anim: &Animation, reps: &[RepTruth]) -> Vec<BoutTruth> {
    anim.bouts
        .iter()
        .enumerate()
        .map(|(b, plan)| {
            let mine: Vec<&RepTruth> = reps.iter().filter(|r| r.bout == b).collect();
            let sides = squatting_sides_of(plan.stance);
            let per_leg =
                |value: &dyn Fn(&RepTruth, &str) -> Option<f64>| -> BTreeMap<String, f64> {
                    sides
                        .iter()
                        .filter_map(|s| {
                            let v =
                                median(mine.iter().filter_map(|r| value(r, s.name())).collect())?;
                            Some((s.name().to_string(), rd(v, 4)))
                        })
                        .collect()
                };
            let true_peak = per_leg(&|r, _| Some(r.requested_peak_fppa_deg));
            let picture = per_leg(&|r, s| r.fppa_at_bottom_deg.get(s).copied());
            let view = view_name(plan.turn_deg);
            let worst = true_peak.values().copied().fold(f64::MIN, f64::max);
            let mut expected = movement_verdict(cfg, worst);
            let mut hard = Vec::new();
            let mut inconclusive_expected = false;
            let mut inconclusive_allowed = false;
            match view {
                "side" => {
                    hard.push(format!("side-on (turned {:.0}°)", plan.turn_deg));
                    inconclusive_expected = true;
                }
                "oblique" => {
                    hard.push(format!("at an angle (turned {:.0}°)", plan.turn_deg));
                    inconclusive_expected = true;
                }
                "rear" => {
                    hard.push("filmed from behind".into());
                    inconclusive_allowed = true;
                }
                _ => {}
            }
            let off = true_peak
                .iter()
                .filter_map(|(s, t)| Some((picture.get(s)? - t).abs()))
                .fold(0.0, f64::max);
            if off > PICTURE_TOLERANCE_DEG && !inconclusive_expected {
                hard.push(format!(
                    "the picture's knee angle is {off:.0}° off the frontal-plane one"
                ));
                inconclusive_expected = true;
            }
            if cfg.roll_deg.abs() > MAX_CORRECTED_ROLL_DEG {
                hard.push(format!(
                    "camera rolled {:.0}°, beyond what is corrected",
                    cfg.roll_deg
                ));
                inconclusive_expected = true;
            } else if cfg.roll_deg.abs() > 0.0 {
                hard.push(format!("camera rolled {:.0}°", cfg.roll_deg));
            }
            if cfg.sar[0] != cfg.sar[1] {
                hard.push(format!("stored with {}:{} pixels", cfg.sar[0], cfg.sar[1]));
            }
            if cfg.crop_feet {
                hard.push("feet out of the picture at each rep's bottom".into());
                inconclusive_expected = true;
            }
            if inconclusive_expected {
                expected = "inconclusive";
                inconclusive_allowed = true;
            }
            BoutTruth {
                index: b,
                start_s: rd(plan.start as f64 / cfg.fps, 6),
                end_s: rd(plan.end as f64 / cfg.fps, 6),
                stance: plan.stance.name().to_string(),
                view: view.to_string(),
                turn_deg: plan.turn_deg,
                reps: mine.iter().map(|r| r.index).collect(),
                true_peak_fppa_deg: true_peak,
                picture_peak_fppa_deg: picture,
                expected_verdict: expected.to_string(),
                inconclusive_expected,
                inconclusive_allowed,
                hard: hard.join("; "),
            }
        })
        .collect()
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
            let sq = squatting_sides_of(anim.frames[r.bottom].stance);
            RepTruth {
                index: idx,
                bout: r.bout,
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
        .collect::<Vec<RepTruth>>();
    let bouts = bouts_truth(cfg, anim, &reps);
    let w = cfg.stored_display_width();
    let (sw, sh) = if cfg.rotate % 180 == 90 {
        (cfg.height, w)
    } else {
        (w, cfg.height)
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
        bouts,
        frames,
        notes: vec![
            "bouts: a stance and a view each; expected_verdict is the movement's own verdict, inconclusive_expected says no 2D measurement of this picture is honest, inconclusive_allowed that \"inconclusive\" is as right as the expected verdict.".into(),
            "A person turned from the camera (yaw_deg) is posed in their own frontal plane: true_peak_fppa_deg is that plane's angle, picture_peak_fppa_deg what the picture shows; from the front or behind the two are equal.".into(),
            "Pixels of the upright display frame (after the rotation tag), y down; left/right are the person's own sides (their left appears on image right).".into(),
            "Joint centres: hip = hip joint centre (top of the thigh inside the pelvis), knee = middle of the knee, ankle = between the malleoli, heel = back of the heel near the sole, toe = tip of the shoe.".into(),
            "fppa_deg, drift_*, knee_offset_px, pelvic_drop_deg and trunk_lean_deg are computed from these joints with kneetrack::metrics (positive = medial/valgus; pelvic drop positive = free hip lower; trunk lean positive = towards the reference side).".into(),
            "Rep frames are inclusive; bottom_frame is the first frame at full depth, where the FPPA of each squatting leg equals requested_peak_fppa_deg exactly (wobble is zero there).".into(),
            "The free leg's joints (single-leg squats) may be hidden behind the body; they are still the true centres.".into(),
        ],
    }
}
