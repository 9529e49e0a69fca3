//! Every number that turns measurements into a verdict, in one place, with where it comes from.
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The person's sex, for sex-specific norms (`--sex`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    Female,
    Male,
}

impl Sex {
    pub fn label(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
        }
    }
}

/// Every number that turns measurements into a verdict, with its source; `--thresholds FILE`
/// overrides any of them (checked when read, see [`Thresholds::validate`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    /// Peak FPPA up to this is within the healthy range. Herrington (2014, "The frontal plane
    /// projection angle of the knee during single leg squats", Knee 21:1) reports healthy single-leg
    /// squat FPPA of about 8 ± 5°: mean + 1 SD = 13°.
    pub fppa_good_max_deg: f64,
    /// Peak FPPA at or above this matches patellofemoral-pain groups, about 17° in Herrington (2014)
    /// (Willson & Davis 2008 report similar values).
    pub fppa_poor_min_deg: f64,
    /// Standard error of measurement of 2D FPPA, about 3° (Munro, Herrington & Carolan 2012, J Sport
    /// Rehabil 21:7). Differences smaller than this are never called a fault.
    pub fppa_sem_deg: f64,
    /// Knee medial of the foot by more than this many shank lengths at the bottom of a rep is a
    /// knee-over-foot fault (≈ 6 cm for a 40 cm shank; clinical rule "knee over the second toe").
    pub drift_fair_min: f64,
    /// Knee medial of the foot by more than this is a clear collapse (≈ 12 cm for a 40 cm shank).
    pub drift_poor_min: f64,
    /// Contralateral pelvic drop during a rep beyond standing, degrees: above this is a fault (it
    /// can make a verdict fair, not poor: 2D hip points misread pelvic tilt). The clinical rating
    /// (Crossley et al. 2011, Am J Sports Med 39:866) judges pelvic drop by eye; 5° is our
    /// conservative 2D cut-off (above the ~3° measurement error), not a norm.
    pub pelvic_drop_fair_deg: f64,
    /// Lateral trunk lean during a rep beyond standing, degrees: above this the trunk compensates
    /// for weak hip abductors (a Crossley 2011 criterion; 10° is our 2D cut-off, not a norm).
    pub trunk_lean_fair_deg: f64,
    /// A knee swing must exceed this many degrees of FPPA to count as a wobble: the 2D FPPA
    /// measurement error (SEM ≈ 3°, Munro et al. 2012), so noise is never called a wobble.
    pub wobble_noise_deg: f64,
    /// Extra in/out reversals per rep from which the knee is called wobbly.
    pub wobble_fair_reversals: usize,
    /// The free ankle within this many leg lengths of the stance ankle's height counts as the free
    /// foot touching down (balance lost).
    pub touchdown_lift: f64,
    /// Descents faster than this many seconds are flagged (the test is done slowly, ~2 s down).
    pub min_descent_s: f64,
    /// Keypoint confidence needed for a joint to count.
    pub min_keypoint_score: f64,
    /// Share of frames in which hips, knees and ankles must be confidently seen.
    pub min_confident_fraction: f64,
    /// A squat rep must lower the hips by at least this many leg lengths.
    pub min_rep_depth: f64,
    /// Reps shallower than this (leg lengths of hip drop) are flagged as less than a half squat.
    pub half_squat_depth: f64,
    /// The free ankle must sit this many leg lengths above the stance ankle for a single-leg stance.
    pub single_leg_lift: f64,
    /// The free foot travels with the body: its ankle's vertical range (10th–90th percentile) exceeds
    /// the planted ankle's by at least this many leg lengths.
    pub free_foot_travel: f64,
    /// Below this (shoulder and hip width over torso length) the camera is not in front of the person.
    pub min_frontal_ratio: f64,
    /// A 2D knee angle beyond this is not frontal-plane valgus but knee flexion seen from an angle
    /// (a lunge's back leg, a leg bent towards the camera); such frames are not judged.
    pub max_plausible_fppa_deg: f64,
    /// The hips may wander sideways this many leg lengths (5th–95th percentile) in a squat done in
    /// place; more means walking, or the tracker jumping between people.
    pub max_hip_travel: f64,
    /// A real body moves little between two frames (a few hundredths of a leg length, pose-model
    /// jitter included). When a hip, knee or ankle typically jumps further than this many leg
    /// lengths from one frame to the next, the keypoints are not following one body (noise, a
    /// detector flipping between people or objects) and nothing can be judged.
    pub max_keypoint_jump: f64,
    /// Fewer complete reps than this give no verdict (the test asks for 5).
    pub min_reps: usize,
    /// The face (nose and an eye) must be seen in at least this share of frames, else the person is
    /// taken to face away from the camera.
    pub min_face_visible: f64,
    /// Below this frame rate a warning asks for 30 fps or more.
    pub min_fps: f64,
    /// Below this rate of poses a bout is not measured at all: the 6 Hz keypoint low-pass
    /// (`smoothing_cutoff_hz`) needs samples at more than twice its cut-off to run, so below 12 Hz
    /// the jitter it removes would be read as knee motion; and the fastest descent the tempo check
    /// accepts (0.5 s) would hold fewer than 6 poses, so the rep bottom and its peak angle fall
    /// between frames.
    pub min_measurable_fps: f64,
    /// Legs shorter than this share of the frame height: the person is too small in the picture.
    pub min_leg_fraction: f64,
    /// Median knee/ankle confidence below this gets a lighting/clothing warning.
    pub low_confidence_score: f64,
    /// Low-pass cut-off for keypoint smoothing, Hz (squat motion is below ~2 Hz).
    pub smoothing_cutoff_hz: f64,
    /// Longest gap of unseen keypoints that is interpolated, seconds.
    pub max_gap_s: f64,
    /// Frames whose hips are within this many leg lengths of their standing height count as
    /// standing: the standing FPPA, pelvis and trunk baselines and the free foot's usual height
    /// come from them.
    pub standing_depth_max: f64,
    /// The hip height is low-passed at this cut-off before reps are found, Hz: a squat takes a
    /// second or more, so faster wiggles of the hips are no reps.
    pub rep_depth_cutoff_hz: f64,
    /// A hip dip shorter than this many seconds is noise, not a rep.
    pub min_rep_s: f64,
    /// The reps the test asks for (warned about when a single-leg clip has fewer).
    pub test_reps: usize,
    /// Below this frontal ratio (but above `min_frontal_ratio`) the camera is at an angle: the
    /// knee angles are still judged, with a warning.
    pub angled_frontal_ratio: f64,
    /// The shoulders within this share of the frame height from its top edge: the head is cut off.
    pub min_head_room: f64,
    /// The free foot must stay down this many seconds to count as a touch-down.
    pub touchdown_min_s: f64,
    /// A 2D knee angle is judged only while the thigh and the shank look at least this share of
    /// their standing lengths: shorter, they point at or away from the camera (foreshortened).
    pub min_thigh_visible: f64,
    pub min_shank_visible: f64,
    /// In a double-leg rep, one knee in and the other out by more than the poor FPPA in at least
    /// this share of the rep's frames means the body turned to the camera, not valgus.
    pub turned_body_share: f64,
    /// Smallest detectable difference of 2D FPPA between two measurements, degrees (about 8°,
    /// Munro, Herrington & Carolan 2012): a left–right difference below it is not called one.
    pub fppa_sdd_deg: f64,
    /// Windows this long are read for stance and view when a clip is split into bouts, seconds.
    pub bout_window_s: f64,
    /// A bout lasts at least this long (about two reps); shorter spans are transitions.
    pub min_bout_s: f64,
    /// A camera roll (read from the standing body) of at least this many degrees is turned level
    /// before measuring; smaller ones are left alone (a standing body is not perfectly upright).
    pub roll_correct_min_deg: f64,
    /// Above this roll, the correction is reported in a warning.
    pub roll_warn_deg: f64,
    /// Above this roll no verdict is given: the correction would rest on too much.
    pub max_roll_deg: f64,
    /// A knee angle below minus this (the knee far outside the hip–ankle line) is knee flexion
    /// seen at an angle, as at the bottom of a pistol squat, not a knee that stayed in line.
    pub max_plausible_varus_deg: f64,
    /// Reps deeper than this many leg lengths of hip drop are flagged as far past a half squat
    /// (about 90° of knee flexion and more; the norms describe half squats).
    pub max_half_squat_depth: f64,
    /// A joint within this share of the frame height from the bottom edge is taken as cut off.
    pub frame_edge_margin: f64,
    /// Thresholds that differ by sex, applied with `--sex`: `{"female": {"fppa_good_max_deg": …}}`.
    /// None are built in. Women show a larger 2D FPPA in single-leg squats than men (Munro,
    /// Herrington & Carolan 2012), but we found no published sex-specific cut-offs to source, so
    /// the defaults are pooled norms and a clinician can set their own here.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub by_sex: BTreeMap<Sex, serde_json::Map<String, serde_json::Value>>,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            fppa_good_max_deg: 13.0,
            fppa_poor_min_deg: 17.0,
            fppa_sem_deg: 3.0,
            drift_fair_min: 0.15,
            drift_poor_min: 0.30,
            pelvic_drop_fair_deg: 5.0,
            trunk_lean_fair_deg: 10.0,
            wobble_noise_deg: 3.0,
            wobble_fair_reversals: 2,
            touchdown_lift: 0.04,
            min_descent_s: 0.5,
            min_keypoint_score: 0.3,
            min_confident_fraction: 0.5,
            min_rep_depth: 0.06,
            half_squat_depth: 0.07,
            single_leg_lift: 0.15,
            free_foot_travel: 0.08,
            min_frontal_ratio: 0.25,
            max_plausible_fppa_deg: 35.0,
            min_reps: 2,
            max_hip_travel: 0.6,
            max_keypoint_jump: 0.2,
            min_face_visible: 0.25,
            min_fps: 29.0,
            min_measurable_fps: 12.0,
            min_leg_fraction: 0.2,
            low_confidence_score: 0.5,
            smoothing_cutoff_hz: 6.0,
            max_gap_s: 0.25,
            standing_depth_max: 0.03,
            rep_depth_cutoff_hz: 2.0,
            min_rep_s: 0.5,
            test_reps: 5,
            angled_frontal_ratio: 0.4,
            min_head_room: 0.08,
            touchdown_min_s: 0.2,
            min_thigh_visible: 0.35,
            min_shank_visible: 0.5,
            turned_body_share: 0.25,
            fppa_sdd_deg: 8.0,
            bout_window_s: 3.0,
            min_bout_s: 4.0,
            max_plausible_varus_deg: 30.0,
            max_half_squat_depth: 0.25,
            frame_edge_margin: 0.01,
            roll_correct_min_deg: 3.0,
            roll_warn_deg: 5.0,
            max_roll_deg: 15.0,
            by_sex: BTreeMap::new(),
        }
    }
}

/// A thresholds file is a few kilobytes; anything much larger is not one (and `/dev/zero` must
/// not be read forever).
const MAX_FILE_BYTES: u64 = 1 << 20;

/// The file's text, refusing one longer than `limit` bytes.
fn read_capped(path: &Path, limit: u64) -> std::io::Result<String> {
    use std::io::Read;
    let mut text = String::new();
    std::fs::File::open(path)?
        .take(limit + 1)
        .read_to_string(&mut text)?;
    if text.len() as u64 > limit {
        return Err(std::io::Error::other(format!(
            "larger than {} KiB, not a thresholds file",
            limit / 1024
        )));
    }
    Ok(text)
}

impl Thresholds {
    /// Reads a JSON file of thresholds; fields left out keep their defaults, unknown fields are an
    /// error (a misspelt name must not silently do nothing).
    pub fn load(path: &Path) -> Result<Self> {
        let file = path.display();
        let bad = |why: String| Error::usage(format!("bad thresholds file {file}: {why}"));
        let text = read_capped(path, MAX_FILE_BYTES).map_err(|e| {
            Error::usage_caused(format_args!("cannot read thresholds file {file}"), e)
        })?;
        // A JSON object only: serde would also take an array's values in field order.
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| Error::usage_caused(format_args!("bad thresholds file {file}"), e))?;
        if !value.is_object() {
            return Err(bad(
                "expected a JSON object of threshold names and values".into()
            ));
        }
        let th: Thresholds = serde_json::from_value(value)
            .map_err(|e| Error::usage_caused(format_args!("bad thresholds file {file}"), e))?;
        th.validate().map_err(bad)?;
        for sex in th.by_sex.keys() {
            let context = format!("bad thresholds file {file}: by_sex.{}", sex.label());
            let (merged, _) = th
                .for_sex(*sex)
                .map_err(|e| Error::usage_caused(context.clone(), e))?;
            merged
                .validate()
                .map_err(|why| Error::usage(format!("{context}: {why}")))?;
        }
        Ok(th)
    }

    /// Every value in its range, and the orderings that must hold (a good limit below its poor
    /// limit, the smoothing cut-off below the Nyquist rate of the slowest clip judged, no negative
    /// durations). The error names the key.
    pub fn validate(&self) -> std::result::Result<(), String> {
        const DEG: f64 = 90.0;
        let ranges: &[(&str, f64, f64, f64)] = &[
            ("fppa_good_max_deg", self.fppa_good_max_deg, -DEG, DEG),
            ("fppa_poor_min_deg", self.fppa_poor_min_deg, -DEG, DEG),
            ("fppa_sem_deg", self.fppa_sem_deg, 0.0, DEG),
            ("drift_fair_min", self.drift_fair_min, 0.0, 5.0),
            ("drift_poor_min", self.drift_poor_min, 0.0, 5.0),
            ("pelvic_drop_fair_deg", self.pelvic_drop_fair_deg, 0.0, DEG),
            ("trunk_lean_fair_deg", self.trunk_lean_fair_deg, 0.0, DEG),
            ("wobble_noise_deg", self.wobble_noise_deg, 0.0, DEG),
            (
                "wobble_fair_reversals",
                self.wobble_fair_reversals as f64,
                1.0,
                1000.0,
            ),
            ("touchdown_lift", self.touchdown_lift, 0.0, 1.0),
            ("min_descent_s", self.min_descent_s, 0.0, 60.0),
            ("min_keypoint_score", self.min_keypoint_score, 0.0, 1.0),
            (
                "min_confident_fraction",
                self.min_confident_fraction,
                0.0,
                1.0,
            ),
            ("min_rep_depth", self.min_rep_depth, 0.0, 1.0),
            ("half_squat_depth", self.half_squat_depth, 0.0, 1.0),
            ("single_leg_lift", self.single_leg_lift, 0.0, 1.0),
            ("free_foot_travel", self.free_foot_travel, 0.0, 1.0),
            ("min_frontal_ratio", self.min_frontal_ratio, 0.0, 5.0),
            (
                "max_plausible_fppa_deg",
                self.max_plausible_fppa_deg,
                0.0,
                180.0,
            ),
            ("max_hip_travel", self.max_hip_travel, 0.0, 100.0),
            ("max_keypoint_jump", self.max_keypoint_jump, 0.0, 100.0),
            ("min_reps", self.min_reps as f64, 1.0, 1000.0),
            ("min_face_visible", self.min_face_visible, 0.0, 1.0),
            ("min_fps", self.min_fps, 1.0, 1000.0),
            ("min_measurable_fps", self.min_measurable_fps, 0.0, 1000.0),
            ("min_leg_fraction", self.min_leg_fraction, 0.0, 1.0),
            ("low_confidence_score", self.low_confidence_score, 0.0, 1.0),
            (
                "smoothing_cutoff_hz",
                self.smoothing_cutoff_hz,
                f64::MIN_POSITIVE,
                500.0,
            ),
            ("max_gap_s", self.max_gap_s, 0.0, 60.0),
            ("standing_depth_max", self.standing_depth_max, 0.0, 1.0),
            (
                "rep_depth_cutoff_hz",
                self.rep_depth_cutoff_hz,
                f64::MIN_POSITIVE,
                500.0,
            ),
            ("min_rep_s", self.min_rep_s, 0.0, 60.0),
            ("test_reps", self.test_reps as f64, 1.0, 1000.0),
            ("angled_frontal_ratio", self.angled_frontal_ratio, 0.0, 5.0),
            ("min_head_room", self.min_head_room, 0.0, 1.0),
            ("touchdown_min_s", self.touchdown_min_s, 0.0, 60.0),
            ("min_thigh_visible", self.min_thigh_visible, 0.0, 1.0),
            ("min_shank_visible", self.min_shank_visible, 0.0, 1.0),
            ("turned_body_share", self.turned_body_share, 0.0, 1.0),
            ("fppa_sdd_deg", self.fppa_sdd_deg, 0.0, DEG),
            ("bout_window_s", self.bout_window_s, 0.5, 600.0),
            ("min_bout_s", self.min_bout_s, 0.5, 3600.0),
            ("roll_correct_min_deg", self.roll_correct_min_deg, 0.0, DEG),
            ("roll_warn_deg", self.roll_warn_deg, 0.0, DEG),
            ("max_roll_deg", self.max_roll_deg, 0.0, DEG),
            (
                "max_plausible_varus_deg",
                self.max_plausible_varus_deg,
                0.0,
                180.0,
            ),
            ("max_half_squat_depth", self.max_half_squat_depth, 0.0, 1.0),
            ("frame_edge_margin", self.frame_edge_margin, 0.0, 0.5),
        ];
        for &(name, value, lo, hi) in ranges {
            if !(lo..=hi).contains(&value) {
                return Err(format!("{name} is {value}, outside {lo}..={hi}"));
            }
        }
        let nyquist = self.min_fps / 2.0;
        let orderings: &[(&str, f64, &str, f64)] = &[
            (
                "fppa_good_max_deg",
                self.fppa_good_max_deg,
                "fppa_poor_min_deg",
                self.fppa_poor_min_deg,
            ),
            (
                "drift_fair_min",
                self.drift_fair_min,
                "drift_poor_min",
                self.drift_poor_min,
            ),
            (
                "min_frontal_ratio",
                self.min_frontal_ratio,
                "angled_frontal_ratio",
                self.angled_frontal_ratio,
            ),
            (
                "roll_correct_min_deg",
                self.roll_correct_min_deg,
                "max_roll_deg",
                self.max_roll_deg,
            ),
            (
                "roll_warn_deg",
                self.roll_warn_deg,
                "max_roll_deg",
                self.max_roll_deg,
            ),
            (
                "half_squat_depth",
                self.half_squat_depth,
                "max_half_squat_depth",
                self.max_half_squat_depth,
            ),
            (
                "smoothing_cutoff_hz",
                self.smoothing_cutoff_hz,
                "half of min_fps",
                nyquist,
            ),
            (
                "rep_depth_cutoff_hz",
                self.rep_depth_cutoff_hz,
                "half of min_fps",
                nyquist,
            ),
        ];
        for &(low, a, high, b) in orderings {
            if a >= b {
                return Err(format!("{low} ({a}) must be below {high} ({b})"));
            }
        }
        Ok(())
    }

    /// These thresholds with the `by_sex` entries for `sex` applied, and whether there were any
    /// (without, the pooled norms stand).
    pub fn for_sex(&self, sex: Sex) -> std::result::Result<(Thresholds, bool), serde_json::Error> {
        let Some(overrides) = self.by_sex.get(&sex) else {
            return Ok((self.clone(), false));
        };
        let mut merged = serde_json::to_value(Thresholds {
            by_sex: BTreeMap::new(),
            ..self.clone()
        })?;
        if let serde_json::Value::Object(fields) = &mut merged {
            for (name, value) in overrides {
                fields.insert(name.clone(), value.clone());
            }
        }
        Ok((serde_json::from_value(merged)?, true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_overrides_some_fields() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("t.json");
        std::fs::write(&f, r#"{"fppa_good_max_deg": 10.0}"#).unwrap();
        let t = Thresholds::load(&f).unwrap();
        assert_eq!(t.fppa_good_max_deg, 10.0);
        assert_eq!(t.fppa_poor_min_deg, Thresholds::default().fppa_poor_min_deg);
        std::fs::write(&f, r#"{"fppa_good_max": 10.0}"#).unwrap();
        assert!(Thresholds::load(&f)
            .unwrap_err()
            .to_string()
            .contains("unknown field"));
    }

    #[test]
    fn sex_specific_entries_apply_only_with_that_sex() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("t.json");
        std::fs::write(
            &f,
            r#"{"fppa_good_max_deg": 12.0, "by_sex": {"female": {"fppa_good_max_deg": 15.0}}}"#,
        )
        .unwrap();
        let t = Thresholds::load(&f).unwrap();
        let (female, applied) = t.for_sex(Sex::Female).unwrap();
        assert!(applied);
        assert_eq!(female.fppa_good_max_deg, 15.0);
        assert!(female.by_sex.is_empty());
        let (male, applied) = t.for_sex(Sex::Male).unwrap();
        assert!(!applied);
        assert_eq!(male.fppa_good_max_deg, 12.0);
        // A misspelt name inside by_sex is caught when the file is read.
        std::fs::write(&f, r#"{"by_sex": {"male": {"fppa_good": 9.0}}}"#).unwrap();
        let e = Thresholds::load(&f).unwrap_err().to_string();
        assert!(
            e.contains("by_sex.male") && e.contains("unknown field"),
            "{e}"
        );
        std::fs::write(&f, r#"{"by_sex": {"other": {}}}"#).unwrap();
        assert!(Thresholds::load(&f).is_err());
    }

    #[test]
    fn values_and_orderings_are_checked_when_read() {
        assert_eq!(Thresholds::default().validate(), Ok(()));
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("t.json");
        let error = |text: &str| {
            std::fs::write(&f, text).unwrap();
            let e = Thresholds::load(&f).unwrap_err();
            assert!(matches!(e, Error::Usage { .. }), "{e}");
            e.to_string()
        };
        assert!(error("[13, 17]").contains("expected a JSON object"));
        assert!(error("3").contains("expected a JSON object"));
        let e = error(r#"{"fppa_good_max_deg": 20}"#);
        assert!(
            e.contains("fppa_good_max_deg (20) must be below fppa_poor_min_deg (17)"),
            "{e}"
        );
        assert!(error(r#"{"min_descent_s": -1}"#).contains("min_descent_s is -1"));
        assert!(error(r#"{"min_confident_fraction": 1.5}"#).contains("min_confident_fraction"));
        assert!(error(r#"{"smoothing_cutoff_hz": 0}"#).contains("smoothing_cutoff_hz"));
        assert!(error(r#"{"smoothing_cutoff_hz": 20}"#).contains("below half of min_fps"));
        assert!(error(r#"{"by_sex": {"female": {"drift_fair_min": 0.5}}}"#)
            .contains("by_sex.female: drift_fair_min (0.5) must be below drift_poor_min"));
        // Not a thresholds file at all: too big to be one.
        std::fs::write(&f, vec![b' '; 2 << 20]).unwrap();
        let e = Thresholds::load(&f).unwrap_err().to_string();
        assert!(e.contains("larger than 1024 KiB"), "{e}");
    }
}
