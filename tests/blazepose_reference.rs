//! kneetrack's BlazePose (blazepose-full) against Google's MediaPipe Pose on the same clips.
//!
//! References are made by `scripts/mediapipe_reference.sh` (MediaPipe 0.10.14, `model_complexity=1`,
//! landmark smoothing off): for the bundled synthetic samples they are committed under
//! `tests/reference/mediapipe/`; for the shared real clips (not ours) they live in the gitignored
//! `.cache/reference/mediapipe/` — run `scripts/mediapipe_reference.sh ../shared/clips/*.mp4` to make
//! them. A clip without a reference is skipped with a printed reason.
//!
//! Compared on the first frames of each clip (tracking needs every frame in order): hips, knees,
//! ankles, heels and toes where MediaPipe sees them (visibility ≥ 0.5) — median error in % of the
//! frame height — and each leg's FPPA where MediaPipe sees hip, knee and ankle.
use kneetrack::models::models_dir;
use kneetrack::Point;
use kneetrack::PoseEstimator;
use kneetrack::SessionOptions;
use kneetrack::VideoReader;
use kneetrack::{fppa_deg, medial_sign};
use kneetrack::{BlazePose, DETECTOR_FILE};
use opencv::core::Mat;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Frames compared per clip (from the start).
const MAX_FRAMES: usize = 150;
/// MediaPipe landmark indices compared: hips, knees, ankles, heels, foot indices (toes).
const LEG_LANDMARKS: [usize; 10] = [23, 24, 25, 26, 27, 28, 29, 30, 31, 32];
const MIN_VISIBILITY: f64 = 0.5;
/// Limits: median joint error (% of frame height), median FPPA difference (degrees).
const MAX_MEDIAN_ERROR_PCT: f64 = 1.0;
const MAX_MEDIAN_FPPA_DIFF: f64 = 2.0;

/// Clips reported but not asserted, with the reason.
const NOT_ASSERTED: &[(&str, &str)] = &[
    (
        "oblique_side_pistol_squat_headcropped_gym_prajacta.mp4",
        "detector version: on this head-cropped side view both detectors score near the 0.5 \
         threshold; MediaPipe 0.10.14's pose_detection.tflite finds the person at frame 22, our \
         TF.js export of the detector only at frame 74 and with a different ROI, after which the \
         two trackers follow different fits",
    ),
    (
        "REAR_view_squat_hallway_portrait_1s_gympose.mp4",
        "1.35 s rear view: 17 frames, every one still settling from a detector-made ROI (the two \
         detectors differ)",
    ),
];

/// Clips whose FPPA is not asserted: side or oblique views, where the hip–knee–ankle angle in the
/// image plane is knee flexion seen edge-on and small landmark differences swing it by degrees.
const FPPA_NOT_ASSERTED: &[&str] = &[
    "NEG_two_people_walk_parkour_backlit_vp9_sports2d_demo.mp4",
    "side_then_front_6count_squat_crossfit_ikram.mp4",
];

struct Row {
    clip: String,
    frames: usize,
    both: usize,
    only_ref: usize,
    only_ours: usize,
    median_err_pct: f64,
    p90_err_pct: f64,
    fppa_pairs: usize,
    median_fppa_diff: f64,
}

fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * p).round() as usize]
}

/// (x, y, visibility) per landmark of one frame.
type Frame = Vec<(f64, f64, f64)>;

fn reference_frames(doc: &Value) -> Vec<Option<Frame>> {
    doc["frames"]
        .as_array()
        .expect("frames")
        .iter()
        .map(|f| {
            f["landmarks"].as_array().map(|lms| {
                lms.iter()
                    .map(|l| {
                        let g = |i: usize| l[i].as_f64().unwrap();
                        (g(0), g(1), g(2))
                    })
                    .collect()
            })
        })
        .collect()
}

/// FPPA of each leg (left = landmarks 23/25/27, right = 24/26/28) where all three are seen.
fn fppas(frame: &Frame, seen: &Frame) -> [Option<f64>; 2] {
    let p = |i: usize| Point::new(frame[i].0, frame[i].1);
    let ok = |i: usize| seen[i].2 >= MIN_VISIBILITY;
    let leg = |hip: usize, knee: usize, ankle: usize, other_hip: usize| {
        if !(ok(hip) && ok(knee) && ok(ankle) && ok(other_hip)) {
            return None;
        }
        let medial = medial_sign(p(hip), p(other_hip))?;
        fppa_deg(p(hip), p(knee), p(ankle), medial)
    };
    [leg(23, 25, 27, 24), leg(24, 26, 28, 23)]
}

fn compare(clip: &Path, reference: &Path, estimator: &mut BlazePose) -> Row {
    let doc: Value = serde_json::from_slice(&std::fs::read(reference).unwrap()).unwrap();
    let expected = reference_frames(&doc);
    let mut reader = VideoReader::open(clip).unwrap();
    let info = reader.info().clone();
    assert_eq!(
        (info.width as u64, info.height as u64),
        (
            doc["width"].as_u64().unwrap(),
            doc["height"].as_u64().unwrap()
        ),
        "{}: display size differs from the reference's",
        clip.display()
    );
    let height = info.height as f64;
    estimator.reset();
    let mut frame = Mat::default();
    let (mut both, mut only_ref, mut only_ours, mut frames) = (0, 0, 0, 0);
    let mut errors = Vec::new();
    let mut fppa_diffs = Vec::new();
    while frames < MAX_FRAMES.min(expected.len()) {
        let Some(stamp) = reader.read_stored(&mut frame).unwrap() else {
            break;
        };
        estimator.estimate(&frame, &info.orientation).unwrap();
        let ours: Option<Frame> = estimator.last_landmarks().map(|lms| {
            lms.iter()
                .map(|l| (l.point.x, l.point.y, l.visibility))
                .collect()
        });
        let theirs = &expected[stamp.index as usize];
        frames += 1;
        match (&ours, theirs) {
            (Some(ours), Some(theirs)) => {
                both += 1;
                for &i in &LEG_LANDMARKS {
                    if theirs[i].2 >= MIN_VISIBILITY {
                        let d = (ours[i].0 - theirs[i].0).hypot(ours[i].1 - theirs[i].1);
                        errors.push(100.0 * d / height);
                    }
                }
                let (a, b) = (fppas(ours, theirs), fppas(theirs, theirs));
                for (x, y) in a.iter().zip(b.iter()) {
                    if let (Some(x), Some(y)) = (x, y) {
                        fppa_diffs.push((x - y).abs());
                    }
                }
            }
            (None, Some(_)) => only_ref += 1,
            (Some(_), None) => only_ours += 1,
            (None, None) => {}
        }
    }
    Row {
        clip: clip.file_name().unwrap().to_string_lossy().into_owned(),
        frames,
        both,
        only_ref,
        only_ours,
        median_err_pct: median(&mut errors.clone()),
        p90_err_pct: percentile(&mut errors, 0.9),
        fppa_pairs: fppa_diffs.len(),
        median_fppa_diff: median(&mut fppa_diffs),
    }
}

fn clips_with_references() -> Vec<(PathBuf, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for sample in ["good", "valgus", "double-leg"] {
        let clip = root.join(format!("samples/{sample}.mp4"));
        let reference = root.join(format!("tests/reference/mediapipe/{sample}.json"));
        if reference.is_file() {
            out.push((clip, reference));
        } else {
            eprintln!(
                "skipped {}: no reference {}",
                clip.display(),
                reference.display()
            );
        }
    }
    if let Some(dir) = crate::common::shared_clips() {
        let mut clips: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "mp4"))
            .collect();
        clips.sort();
        for clip in clips {
            let stem = clip.file_stem().unwrap().to_string_lossy().into_owned();
            let reference = root.join(format!(".cache/reference/mediapipe/{stem}.json"));
            if reference.is_file() {
                out.push((clip, reference));
            } else {
                eprintln!(
                    "skipped {}: no reference (make it with scripts/mediapipe_reference.sh)",
                    clip.display()
                );
            }
        }
    }
    out
}

#[test]
fn blazepose_full_matches_mediapipe() {
    let models = models_dir();
    let mut estimator = BlazePose::load(
        "blazepose-full",
        &models.join("blazepose-full.onnx"),
        &models.join(DETECTOR_FILE),
        SessionOptions::default(),
    )
    .expect("open blazepose-full");
    let mut rows = Vec::new();
    for (clip, reference) in clips_with_references() {
        rows.push(compare(&clip, &reference, &mut estimator));
    }
    eprintln!(
        "{:<58} {:>6} {:>5} {:>4} {:>4}  {:>9} {:>7}  {:>5} {:>9}",
        "clip (first frames)",
        "frames",
        "both",
        "mp",
        "ours",
        "err med%",
        "p90%",
        "legs",
        "FPPA diff"
    );
    for r in &rows {
        eprintln!(
            "{:<58} {:>6} {:>5} {:>4} {:>4}  {:>9.2} {:>7.2}  {:>5} {:>8.2}°",
            r.clip,
            r.frames,
            r.both,
            r.only_ref,
            r.only_ours,
            r.median_err_pct,
            r.p90_err_pct,
            r.fppa_pairs,
            r.median_fppa_diff
        );
    }
    let mut failures = Vec::new();
    for r in &rows {
        if let Some((_, why)) = NOT_ASSERTED.iter().find(|(c, _)| *c == r.clip) {
            eprintln!("not asserted: {}: {why}", r.clip);
            continue;
        }
        if r.both == 0 {
            // Neither sees a person (or never both at once): nothing to compare.
            if r.only_ref > r.frames / 10 || r.only_ours > r.frames / 10 {
                failures.push(format!(
                    "{}: person found by only one pipeline (MediaPipe {} frames, ours {})",
                    r.clip, r.only_ref, r.only_ours
                ));
            }
            continue;
        }
        if r.median_err_pct > MAX_MEDIAN_ERROR_PCT {
            failures.push(format!(
                "{}: median leg-joint error {:.2}% of frame height > {MAX_MEDIAN_ERROR_PCT}%",
                r.clip, r.median_err_pct
            ));
        }
        if r.fppa_pairs > 0
            && r.median_fppa_diff > MAX_MEDIAN_FPPA_DIFF
            && !FPPA_NOT_ASSERTED.contains(&r.clip.as_str())
        {
            failures.push(format!(
                "{}: median FPPA difference {:.2}° > {MAX_MEDIAN_FPPA_DIFF}°",
                r.clip, r.median_fppa_diff
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
