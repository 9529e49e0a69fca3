//! The hard cases of issue 13 with exact ground truth: `kneetrack synth` renders each one small
//! (270x480, 30 fps unless a case is about the frame rate) into a temporary folder, `kneetrack analyze` reads it, and the report is held
//! against the clip's `.truth.json`: per bout the stance and reps, per leg the verdict and the peak
//! FPPA within the tolerance of tests/synthetic_accuracy.rs, and for every hard picture either the
//! right measurement or "inconclusive" — never a confident wrong verdict.
use crate::common::{kneetrack, stderr};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The median FPPA error tests/synthetic_accuracy.rs allows.
const MAX_FPPA_ERROR_DEG: f64 = 4.0;

/// Small, so a case takes seconds; 30 fps as phones film, unless a case names its own rate.
const SMALL: &[(&str, &str)] = &[("--width", "270"), ("--height", "480"), ("--fps", "30")];

/// Renders a case into `dir`; returns the clip and its truth.
fn render(dir: &Path, name: &str, flags: &[&str]) -> (PathBuf, Value) {
    let clip = dir.join(format!("{name}.mp4"));
    let mut args = vec!["synth", "-o", clip.to_str().unwrap()];
    for &(flag, value) in SMALL {
        if !flags.contains(&flag) {
            args.extend([flag, value]);
        }
    }
    args.extend_from_slice(flags);
    let o = kneetrack(&args);
    assert!(o.status.success(), "synth {flags:?}: {}", stderr(&o));
    let truth = dir.join(format!("{name}.truth.json"));
    let truth = serde_json::from_slice(&std::fs::read(truth).unwrap()).unwrap();
    (clip, truth)
}

/// The JSON report of `clip` read with `model`.
fn analyze(clip: &Path, model: &str) -> Value {
    crate::common::analyze_json_with(clip, &["--model", model])
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// The report's bout that overlaps the truth's bout most in time, if any does.
fn matching_bout<'a>(report: &'a Value, tb: &Value) -> Option<&'a Value> {
    let (t0, t1) = (f(&tb["start_s"]), f(&tb["end_s"]));
    let overlap = |b: &Value| (t1.min(f(&b["end_s"])) - t0.max(f(&b["start_s"]))).max(0.0);
    report["assessment"]["bouts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| overlap(b) > 0.5)
        .max_by(|a, b| overlap(a).total_cmp(&overlap(b)))
}

/// The stance of a report bout in the truth's words.
fn stance_name(b: &Value) -> String {
    match b["stance"]["kind"].as_str() {
        Some("double_leg") => "both".into(),
        Some("single_leg") => b["stance"]["side"].as_str().unwrap().into(),
        other => format!("{other:?}"),
    }
}

/// Holds `report` against `truth`, bout by bout and leg by leg; returns one line per bout for
/// the printed table.
fn check(case: &str, model: &str, report: &Value, truth: &Value) -> Vec<String> {
    let a = &report["assessment"];
    let mut rows = Vec::new();
    let mut judged_legs = Vec::new();
    for tb in truth["bouts"].as_array().unwrap() {
        let label = format!("{case} ({model}) bout {}", tb["index"]);
        let b = matching_bout(report, tb);
        let verdict = b.map_or("none", |b| b["verdict"].as_str().unwrap());
        rows.push(format!(
            "{label}: truth {} {} {} (expected {}), report {} {} {} reps {}",
            tb["stance"],
            tb["view"],
            tb["true_peak_fppa_deg"],
            tb["expected_verdict"],
            b.map_or("-".into(), stance_name),
            b.map_or("-", |b| b["view"].as_str().unwrap()),
            verdict,
            b.map_or(0, |b| b["reps"].as_array().unwrap().len()),
        ));
        if tb["inconclusive_expected"] == true {
            // No honest measurement of this picture: no verdict from it.
            assert!(
                matches!(verdict, "inconclusive" | "none"),
                "{label}: {} must not be judged, got {verdict}: {}",
                tb["hard"],
                b.map_or(Value::Null, |b| b["reasons"].clone())
            );
            continue;
        }
        let b = b.unwrap_or_else(|| panic!("{label}: no bout found in {}", a["bouts"]));
        if verdict == "inconclusive" && tb["inconclusive_allowed"] == true {
            continue;
        }
        assert_eq!(
            stance_name(b),
            tb["stance"].as_str().unwrap(),
            "{label}: stance"
        );
        assert_eq!(
            b["reps"].as_array().unwrap().len(),
            tb["reps"].as_array().unwrap().len(),
            "{label}: reps ({})",
            b["reasons"]
        );
        let expected = tb["expected_verdict"].as_str().unwrap();
        if !expected.is_empty() {
            assert_eq!(verdict, expected, "{label}: {}", b["reasons"]);
        }
        for (side, true_peak) in tb["true_peak_fppa_deg"].as_object().unwrap() {
            judged_legs.push((side.clone(), f(true_peak), label.clone()));
        }
    }
    // Each judged leg's median peak FPPA is the truth's, within the accuracy tolerance; a leg
    // tested in no measurable bout gets no verdict.
    for side in ["left", "right"] {
        let leg = &a["legs"][side];
        match judged_legs.iter().find(|(s, _, _)| s == side) {
            Some((_, true_peak, label)) => {
                let got = f(&leg["median_peak_fppa_deg"]);
                assert!(
                    (got - true_peak).abs() <= MAX_FPPA_ERROR_DEG,
                    "{label}: {side} leg peak FPPA {got:.1}°, truth {true_peak:.1}°"
                );
                rows.push(format!(
                    "{case} ({model}) {side} leg: {} peak FPPA {got:.1}° (truth {true_peak:.1}°)",
                    leg["verdict"]
                ));
            }
            None => assert!(
                leg.is_null() || leg["verdict"] == "inconclusive",
                "{case} ({model}): the {side} leg was not measurable yet got {}",
                leg["verdict"]
            ),
        }
    }
    eprintln!("{}", rows.join("\n"));
    rows
}

/// Renders, analyses and checks one case; returns the report.
fn case(name: &str, flags: &[&str], model: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let (clip, truth) = render(dir.path(), name, flags);
    let report = analyze(&clip, model);
    check(name, model, &report, &truth);
    report
}

#[test]
fn both_legs_in_one_clip_give_two_bouts_and_a_verdict_per_leg() {
    // Right leg good (5°), a step, left leg valgus (25°). Thunder: Lightning reads the small
    // clip's left knee about 5° low.
    let r = case("both-legs", &["--preset", "both-legs"], "movenet-thunder");
    let a = &r["assessment"];
    assert_eq!(a["verdict"], "poor", "the worse leg decides");
    let diff = f(&a["comparison"]["fppa_difference_deg"]).abs();
    assert!(diff > 8.0, "left against right: {}", a["comparison"]);
}

/// The two-bout clip filmed at 15, 24 and 25 fps (half a second is not a whole number of frames
/// at 15 and 25, which once left the clip unsplit: one bout, "no squat repetitions") and at 60 fps
/// (posed at 30 Hz, `--pose-rate`'s default): the same bouts, reps and per-leg verdicts as at 30.
#[test]
fn both_legs_split_into_the_same_bouts_at_other_frame_rates() {
    for fps in ["15", "24", "25", "60"] {
        let r = case(
            &format!("both-legs-{fps}fps"),
            &["--preset", "both-legs", "--fps", fps],
            "movenet-thunder",
        );
        assert_eq!(r["assessment"]["verdict"], "poor", "{fps} fps");
        assert_eq!(
            r["assessment"]["bouts"].as_array().unwrap().len(),
            2,
            "{fps} fps"
        );
    }
}

/// The 30 fps clip resampled by ffmpeg to 15 fps (frames dropped, as a converter or a
/// messaging app does): the truth's times still hold.
#[test]
fn both_legs_resampled_to_15_fps_split_alike() {
    let dir = tempfile::tempdir().unwrap();
    let (clip, truth) = render(dir.path(), "both30", &["--preset", "both-legs"]);
    let slow = dir.path().join("both15.mp4");
    crate::common::ffmpeg(&[
        "-i",
        clip.to_str().unwrap(),
        "-vf",
        "fps=15",
        slow.to_str().unwrap(),
    ]);
    let report = analyze(&slow, "movenet-thunder");
    check("both-legs-30to15", "movenet-thunder", &report, &truth);
    assert_eq!(report["assessment"]["verdict"], "poor");
}

/// Below 12 fps there is no honest measurement: every bout says why, no leg gets a verdict.
#[test]
fn a_clip_too_slow_to_measure_says_so_per_bout() {
    let dir = tempfile::tempdir().unwrap();
    let (clip, _) = render(
        dir.path(),
        "both10",
        &["--preset", "both-legs", "--fps", "10"],
    );
    let a = analyze(&clip, "movenet-lightning")["assessment"].clone();
    assert_eq!(a["verdict"], "inconclusive");
    let bouts = a["bouts"].as_array().unwrap();
    assert!(!bouts.is_empty());
    for b in bouts {
        assert_eq!(b["verdict"], "inconclusive", "{b}");
        assert!(
            b["reasons"]
                .to_string()
                .contains("frame rate is too low to measure (10 fps"),
            "{}",
            b["reasons"]
        );
    }
    assert!(a["legs"]["left"].is_null() && a["legs"]["right"].is_null());
}

#[test]
fn a_slightly_rolled_camera_is_measured() {
    let r = case("roll4", &["--roll-deg", "4"], "movenet-lightning");
    let roll = f(&r["assessment"]["camera_roll_deg"]);
    assert!((roll - 4.0).abs() < 2.5, "roll read {roll}°, truth 4°");
}

#[test]
fn a_badly_rolled_camera_is_not_judged() {
    case("roll20", &["--roll-deg", "20"], "movenet-lightning");
}

#[test]
fn an_oblique_camera_is_not_judged() {
    case("yaw45", &["--yaw-deg", "45"], "movenet-lightning");
}

/// Turned 10–20° a 60° knee bend shows 12–23° of valgus that is not there (17–28° read against 5°):
/// both MoveNet models called it poor. Now neither judges it; the reps are still listed. (Thunder
/// reads a 12° turn's face at 0.084, over the slight-turn limit; 10° at 0.071, just over.)
#[test]
fn a_slightly_turned_person_is_not_judged_by_either_movenet() {
    for (name, yaw, model) in [
        ("yaw20", "20", "movenet-thunder"),
        ("yaw20", "20", "movenet-lightning"),
        ("yaw12", "12", "movenet-thunder"),
    ] {
        let r = case(name, &["--yaw-deg", yaw], model);
        let a = &r["assessment"];
        assert_eq!(a["verdict"], "inconclusive", "{name} ({model})");
        assert_eq!(
            a["reps"].as_array().unwrap().len(),
            3,
            "{name} ({model}): reps listed"
        );
        let why = a["reasons"].to_string();
        assert!(
            why.contains("at an angle") || why.contains("turned a little"),
            "{name} ({model}): {why}"
        );
        assert!(a["legs"]["right"].is_null() || a["legs"]["right"]["verdict"] == "inconclusive");
    }
}

/// Thunder shown the figure from behind called it a front view with the legs swapped (fair on the
/// left leg); it swaps them back in 13% of the frames, which now says it cannot tell.
#[test]
fn a_rear_view_the_model_takes_for_a_front_one_is_not_judged() {
    let r = case("rear", &["--rear"], "movenet-thunder");
    let a = &r["assessment"];
    assert_eq!(a["verdict"], "inconclusive");
    assert!(
        a["reasons"]
            .to_string()
            .contains("cannot tell whether the person faces the camera"),
        "{}",
        a["reasons"]
    );
    assert_eq!(a["bouts"][0]["view"], "unknown", "neither front nor rear");
}

#[test]
fn a_rear_view_is_measured_on_the_right_leg_or_not_judged() {
    let r = case("rear", &["--rear"], "movenet-lightning");
    let views: Vec<&Value> = r["assessment"]["bouts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| &b["view"])
        .collect();
    assert!(views.iter().all(|v| *v == "rear"), "views {views:?}");
}

#[test]
fn squeezed_pixels_are_measured() {
    let r = case(
        "sar",
        // 272 wide: stored 136 wide, a whole even number of pixels.
        &[
            "--preset", "valgus", "--sar", "2:1", "--width", "272", "--height", "480",
        ],
        "movenet-lightning",
    );
    let info = &r["info"];
    assert_eq!(info["width"], 272, "shown width");
    assert_eq!(info["orientation"]["pixel_aspect"]["num"], 2);
}

#[test]
fn feet_out_of_the_picture_at_the_bottoms_are_not_judged() {
    case("crop-feet", &["--crop-feet"], "movenet-lightning");
}

#[test]
fn side_on_then_turned_to_the_camera_judges_the_front_bout_only() {
    let r = case(
        "turn",
        &["--preset", "double-leg", "--turn"],
        "movenet-lightning",
    );
    let bouts = r["assessment"]["bouts"].as_array().unwrap();
    assert!(
        bouts.iter().any(|b| b["view"] == "side"),
        "the side-on part is named: {bouts:?}"
    );
}

/// Issue 13: on one oblique clip MoveNet Thunder read a frontal ratio of 0.42 and BlazePose Full
/// 0.35, so one warned of the angle and the other did not. The decision is now the same with both,
/// at 45° (oblique, not judged, the reps listed) and square on (front, judged).
#[test]
fn thunder_and_blazepose_make_the_same_oblique_decision() {
    let dir = tempfile::tempdir().unwrap();
    for (name, yaw, view) in [("square", "0", "front"), ("oblique", "45", "oblique")] {
        let (clip, _) = render(dir.path(), name, &["--yaw-deg", yaw, "--reps", "2"]);
        for model in ["movenet-thunder", "blazepose-full"] {
            let a = analyze(&clip, model)["assessment"].clone();
            let views: Vec<&Value> = a["bouts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| &b["view"])
                .collect();
            assert!(
                !views.is_empty() && views.iter().all(|v| *v == view),
                "{name} ({model}): views {views:?}, frontal ratio {}",
                a["frontal_ratio"]
            );
            let refused = a["reasons"].to_string().contains("at an angle");
            assert_eq!(
                refused,
                view == "oblique",
                "{name} ({model}): {}",
                a["reasons"]
            );
            assert_eq!(
                a["verdict"] == "inconclusive",
                view == "oblique",
                "{name} ({model})"
            );
            assert_eq!(
                a["reps"].as_array().unwrap().len(),
                2,
                "{name} ({model}): reps listed"
            );
        }
    }
}
