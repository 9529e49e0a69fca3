//! The screen's result types: what every output reads.
use super::metrics::LegMetrics;
use super::thresholds::Thresholds;
use crate::geometry::Side;
use serde::Serialize;

/// The screen's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Good,
    Fair,
    Poor,
    Inconclusive,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Good => "good",
            Verdict::Fair => "fair",
            Verdict::Poor => "poor",
            Verdict::Inconclusive => "inconclusive",
        }
    }
    pub(crate) fn rank(self) -> u8 {
        match self {
            Verdict::Good => 0,
            Verdict::Fair => 1,
            Verdict::Poor => 2,
            Verdict::Inconclusive => 3,
        }
    }
    pub(crate) fn worst(self, other: Verdict) -> Verdict {
        if other.rank() > self.rank() {
            other
        } else {
            self
        }
    }
}

/// Single-leg or double-leg squat, and on which leg.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Stance {
    SingleLeg {
        side: Side,
        /// Where the stance leg appears in the picture: "image-left" or "image-right".
        image_side: &'static str,
    },
    DoubleLeg,
    /// The clip's bouts differ in stance: see each bout's.
    Several,
    Unknown,
}

/// Where the camera looks at the person from, per bout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    Front,
    /// Frontal enough to judge, with a camera-angle warning.
    Oblique,
    Rear,
    Side,
    /// The body was not seen well enough to tell.
    Unknown,
}

impl View {
    pub fn label(self) -> &'static str {
        match self {
            View::Front => "front",
            View::Oblique => "oblique",
            View::Rear => "rear",
            View::Side => "side",
            View::Unknown => "unknown",
        }
    }
}

/// A span of the clip with one stance and one view, judged on its own.
#[derive(Debug, Clone, Serialize)]
pub struct Bout {
    pub number: usize,
    pub start_s: f64,
    pub end_s: f64,
    pub stance: Stance,
    pub view: View,
    pub verdict: Verdict,
    pub reasons: Vec<String>,
    pub warnings: Vec<String>,
    /// The numbers of this bout's reps in [`Assessment::reps`].
    pub reps: Vec<usize>,
    /// Standing FPPA per judged leg in this bout, degrees.
    pub standing_fppa_deg: Vec<(Side, f64)>,
    /// Standing pelvic drop and trunk lean in this bout, degrees (its reps are measured from these).
    pub standing_pelvic_drop_deg: Option<f64>,
    pub standing_trunk_lean_deg: Option<f64>,
    pub frontal_ratio: Option<f64>,
}

/// One leg's verdict over every bout that tested it.
#[derive(Debug, Clone, Serialize)]
pub struct LegResult {
    pub verdict: Verdict,
    pub reasons: Vec<String>,
    /// Median over the leg's reps of the peak valgus angle, degrees.
    pub median_peak_fppa_deg: f64,
    /// Median over the leg's reps of the knee's drift at the bottom, shank lengths.
    pub median_drift: Option<f64>,
    /// The numbers of the reps the leg was judged on: those whose peak FPPA was measured (the
    /// median above is over these; reps not measurable for the leg are left out).
    pub reps: Vec<usize>,
}

/// Per-leg verdicts; a leg that was not tested is absent.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Legs {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left: Option<LegResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub right: Option<LegResult>,
}

impl Legs {
    pub fn get(&self, side: Side) -> Option<&LegResult> {
        match side {
            Side::Left => self.left.as_ref(),
            Side::Right => self.right.as_ref(),
        }
    }
    pub(crate) fn slot(&mut self, side: Side) -> &mut Option<LegResult> {
        match side {
            Side::Left => &mut self.left,
            Side::Right => &mut self.right,
        }
    }
}

/// Left against right, when both legs were judged.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// Right minus left median peak FPPA, degrees.
    pub fppa_difference_deg: f64,
    /// Right minus left median drift, shank lengths.
    pub drift_difference: Option<f64>,
    /// Whether the FPPA difference is beyond the smallest detectable difference of 2D FPPA.
    pub different: bool,
    pub text: String,
}

/// Smoothed metrics of one frame.
#[derive(Debug, Clone, Serialize)]
pub struct FrameMetrics {
    pub index: u64,
    pub t_s: f64,
    /// Hips, knees and ankles all seen (after gap filling).
    pub confident: bool,
    pub left: LegMetrics,
    pub right: LegMetrics,
    /// Hip drop below standing, in leg lengths.
    pub depth: Option<f64>,
    /// Contralateral pelvic drop (free hip lower = positive) against the reference side, degrees.
    pub pelvic_drop_deg: Option<f64>,
    /// Lateral trunk lean towards the reference side, degrees.
    pub trunk_lean_deg: Option<f64>,
    /// The bout the frame belongs to (`None`: a transition between bouts).
    pub bout: Option<usize>,
    /// Filled in by interpolation between posed frames, not posed (`--coarse-rate` only; the
    /// JSON carries the field only where true).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub interpolated: bool,
}

impl FrameMetrics {
    pub fn leg(&self, side: Side) -> &LegMetrics {
        match side {
            Side::Left => &self.left,
            Side::Right => &self.right,
        }
    }
}

/// One leg's numbers for one rep.
#[derive(Debug, Clone, Serialize)]
pub struct RepLeg {
    pub side: Side,
    /// Largest valgus angle during the rep, degrees (frames where the thigh is too foreshortened to
    /// measure are left out).
    pub peak_fppa_deg: Option<f64>,
    pub fppa_at_bottom_deg: Option<f64>,
    /// Peak FPPA minus the leg's standing FPPA.
    pub peak_fppa_above_standing_deg: Option<f64>,
    pub drift_at_bottom: Option<f64>,
    /// In/out reversals of the knee beyond the one of a smooth rep (each over the noise floor).
    pub wobble: usize,
    pub verdict: Verdict,
}

/// One squat repetition.
#[derive(Debug, Clone, Serialize)]
pub struct Rep {
    pub number: usize,
    /// The bout the rep belongs to.
    pub bout: usize,
    pub start_s: f64,
    pub bottom_s: f64,
    pub end_s: f64,
    pub bottom_frame: u64,
    /// Hip drop at the bottom, leg lengths.
    pub depth: f64,
    /// Seconds from the start to the bottom, and from the bottom back up.
    pub descent_s: f64,
    pub ascent_s: f64,
    /// Most pelvic drop during the rep beyond standing, degrees.
    pub pelvic_drop_deg: Option<f64>,
    /// Most trunk lean during the rep beyond standing, degrees.
    pub trunk_lean_deg: Option<f64>,
    /// The free foot touched down (single-leg squats where the free foot is held up).
    pub balance_lost: Option<bool>,
    pub legs: Vec<RepLeg>,
    pub verdict: Verdict,
    pub reasons: Vec<String>,
}

impl Assessment {
    /// The bout a frame belongs to (`None` for a transition between bouts).
    pub fn bout_of(&self, frame: &FrameMetrics) -> Option<&Bout> {
        self.bouts.get(frame.bout?.checked_sub(1)?)
    }
}

/// The whole result for one clip.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub verdict: Verdict,
    pub reasons: Vec<String>,
    pub advice: Vec<String>,
    pub warnings: Vec<String>,
    pub stance: Stance,
    pub reps: Vec<Rep>,
    /// The clip's bouts in time order (one for a clip with one stance and view throughout).
    pub bouts: Vec<Bout>,
    /// The verdict of each leg that was tested.
    pub legs: Legs,
    /// Left against right, when both legs were judged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparison: Option<Comparison>,
    /// Share of frames with hips, knees and ankles seen.
    pub confident_fraction: f64,
    /// Median (shoulder + hip width) / torso length; about 0.6 for a frontal view, near 0 side-on.
    pub frontal_ratio: Option<f64>,
    /// Typical frame-to-frame jump of the hips, knees and ankles, leg lengths (largest joint's
    /// median): a few hundredths when the model follows one body.
    pub keypoint_jump: Option<f64>,
    /// The camera's roll read from the standing body, degrees clockwise; the poses were turned
    /// level before measuring when it was `roll_correct_min_deg` or more.
    pub camera_roll_deg: Option<f64>,
    /// Standing FPPA per judged leg, degrees.
    pub standing_fppa_deg: Vec<(Side, f64)>,
    /// The side pelvic drop and trunk lean refer to (the stance leg; right in double-leg squats).
    pub reference_side: Side,
    /// Standing pelvic drop and trunk lean, degrees (rep values are measured from these).
    pub standing_pelvic_drop_deg: Option<f64>,
    pub standing_trunk_lean_deg: Option<f64>,
    /// The thresholds the verdict used.
    pub thresholds: Thresholds,
    pub frames: Vec<FrameMetrics>,
}
