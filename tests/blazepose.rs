//! The BlazePose family as users reach it: model names, model files recognised by their signature,
//! clear errors for the wrong file, a person-less clip, and heels/toes reaching the foot point.
use crate::common::{assert_one_line_error, kneetrack, stderr};
use kneetrack::foot_point;
use kneetrack::models::models_dir;
use kneetrack::PoseEstimator;
use kneetrack::SessionOptions;
use kneetrack::VideoReader;
use kneetrack::{BlazePose, DETECTOR_FILE};
use kneetrack::{Joint, Side};
use opencv::core::Mat;
use std::path::Path;

fn gray_clip(dir: &Path) -> std::path::PathBuf {
    let clip = dir.join("empty_room.mp4");
    crate::common::ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "color=c=gray:s=320x240:r=15:d=1",
        "-pix_fmt",
        "yuv420p",
        clip.to_str().unwrap(),
    ]);
    clip
}

#[test]
fn models_lists_the_blazepose_family() {
    let o = kneetrack(&["models"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    for name in ["blazepose-lite", "blazepose-full", "blazepose-heavy"] {
        assert!(out.contains(name), "{out}");
    }
}

#[test]
fn clip_without_a_person_is_inconclusive_with_blazepose() {
    let dir = tempfile::tempdir().unwrap();
    let clip = gray_clip(dir.path());
    let o = kneetrack(&[
        "analyze",
        "--quiet",
        clip.to_str().unwrap(),
        "--model",
        "blazepose-full",
        "--json",
        "-",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["model"], "blazepose-full");
    assert_eq!(report["assessment"]["verdict"], "inconclusive");
    assert_eq!(report["timing"]["frames"], 15);
}

#[test]
fn a_landmark_model_file_is_recognised_by_its_signature() {
    let dir = tempfile::tempdir().unwrap();
    let clip = gray_clip(dir.path());
    // Renamed and moved away from the detector: found by signature, detector from the models folder.
    let renamed = dir.path().join("my-pose.onnx");
    std::fs::copy(models_dir().join("blazepose-lite.onnx"), &renamed).unwrap();
    let o = kneetrack(&[
        "analyze",
        "--quiet",
        clip.to_str().unwrap(),
        "--model",
        renamed.to_str().unwrap(),
        "--json",
        "-",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // Its bytes are the manifest's blazepose-lite: reports name what the file is.
    assert_eq!(report["model"], "blazepose-lite");
}

#[test]
fn the_detector_or_a_foreign_model_is_a_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    let clip = gray_clip(dir.path());
    let detector = models_dir().join(DETECTOR_FILE);
    let o = kneetrack(&[
        "analyze",
        clip.to_str().unwrap(),
        "--model",
        detector.to_str().unwrap(),
    ]);
    assert_one_line_error(&o, "is the BlazePose person detector");
    let foreign = dir.path().join("identity.onnx");
    std::fs::write(&foreign, crate::common::onnx_identity_model()).unwrap();
    let o = kneetrack(&[
        "analyze",
        clip.to_str().unwrap(),
        "--model",
        foreign.to_str().unwrap(),
    ]);
    assert_one_line_error(&o, "nor a BlazePose landmark model");
}

/// With BlazePose the stance foot has a confident toe, so the knee-over-foot reference is the
/// ankle–toe midpoint, not the bare ankle.
#[test]
fn blazepose_toes_reach_the_foot_point() {
    let models = models_dir();
    let mut estimator = BlazePose::load(
        "blazepose-full",
        &models.join("blazepose-full.onnx"),
        &models.join(DETECTOR_FILE),
        SessionOptions::default(),
    )
    .unwrap();
    let clip = crate::common::sample("good.mp4");
    let mut reader = VideoReader::open(&clip).unwrap();
    let orientation = reader.info().orientation;
    let mut frame = Mat::default();
    let (mut frames, mut with_toe) = (0, 0);
    while frames < 30 {
        if reader.read_stored(&mut frame).unwrap().is_none() {
            break;
        }
        let pose = estimator.estimate(&frame, &orientation).unwrap();
        frames += 1;
        // The synthetic squatter stands on the right leg.
        let (Some(ankle), Some(foot)) = (
            pose.confident(Joint::RightAnkle, 0.3),
            foot_point(&pose, Side::Right, 0.3),
        ) else {
            continue;
        };
        if pose.confident(Joint::RightToe, 0.3).is_some() {
            with_toe += 1;
            assert!(ankle.dist(foot) > 1.0, "foot point must move off the ankle");
            assert!(pose.get(Joint::RightHeel).score > 0.0);
        }
    }
    assert!(
        with_toe * 10 >= frames * 8,
        "stance toe confident in only {with_toe}/{frames} frames"
    );
}

/// Frames of `clip` through a fresh blazepose-lite; returns how often someone else was seen.
fn others_seen(clip: &Path, frames: usize) -> u32 {
    let models = models_dir();
    let mut estimator = BlazePose::load(
        "blazepose-lite",
        &models.join("blazepose-lite.onnx"),
        &models.join(DETECTOR_FILE),
        SessionOptions::default(),
    )
    .unwrap();
    let mut reader = VideoReader::open(clip).unwrap();
    let orientation = reader.info().orientation;
    let mut frame = Mat::default();
    for _ in 0..frames {
        if reader.read_stored(&mut frame).unwrap().is_none() {
            break;
        }
        estimator.estimate(&frame, &orientation).unwrap();
    }
    estimator.other_people_seen()
}

#[test]
fn a_second_person_is_noticed_and_a_lone_one_is_not() {
    let good = crate::common::sample("good.mp4");
    assert_eq!(others_seen(&good, 120), 0);
    let Some(dir) = crate::common::shared_clips() else {
        return;
    };
    let two = dir.join("NEG_two_people_walk_parkour_backlit_vp9_sports2d_demo.mp4");
    assert!(others_seen(&two, 230) > 0, "two people in view");
}
