//! Camera geometry end to end, on the bundled samples turned into what phones and people make of
//! them with ffmpeg: non-square pixels, a rolled camera. Each case ends in the right measurement
//! or an inconclusive verdict, never a confident wrong one.
use crate::common::analyze_json as analyze;
use std::path::Path;

fn transformed(dir: &Path, sample: &str, filter: &str, name: &str) -> std::path::PathBuf {
    let out = dir.join(name);
    crate::common::ffmpeg(&[
        "-i",
        crate::common::sample(sample).to_str().unwrap(),
        "-vf",
        filter,
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-crf",
        "18",
        out.to_str().unwrap(),
    ]);
    out
}

#[test]
fn squeezed_pixels_are_stretched_back_before_measuring() {
    // Stored 270 wide at 2:1, shown 540 wide by players: the valgus sample must stay poor.
    let dir = tempfile::tempdir().unwrap();
    let clip = transformed(
        dir.path(),
        "valgus.mp4",
        "scale=270:960,setsar=2/1",
        "sq.mp4",
    );
    let r = analyze(&clip);
    assert_eq!(
        (r["info"]["width"].as_u64(), r["info"]["height"].as_u64()),
        (Some(540), Some(960))
    );
    assert_eq!(r["info"]["orientation"]["pixel_aspect"]["num"], 2);
    let a = &r["assessment"];
    assert_eq!(a["verdict"], "poor", "{}", a["reasons"]);
    let fppa = a["legs"]["left"]["median_peak_fppa_deg"].as_f64().unwrap();
    assert!((fppa - 25.0).abs() < 4.0, "peak FPPA {fppa}, truth 25°");
}

#[test]
fn a_rolled_camera_is_corrected_or_not_judged() {
    let dir = tempfile::tempdir().unwrap();
    // 10°: turned level, a warning, the good sample stays good with the knee over the foot.
    let clip = transformed(dir.path(), "good.mp4", "rotate=10*PI/180", "roll10.mp4");
    let a = analyze(&clip)["assessment"].clone();
    let roll = a["camera_roll_deg"].as_f64().unwrap();
    assert!((roll - 10.0).abs() < 2.0, "roll read {roll}");
    assert_eq!(a["verdict"], "good", "{}", a["reasons"]);
    assert!(
        a["warnings"].to_string().contains("camera was rolled"),
        "{}",
        a["warnings"]
    );
    let drift = a["legs"]["right"]["median_drift"].as_f64().unwrap();
    assert!(drift.abs() < 0.15, "drift {drift}");
    // 20°: beyond what is corrected, so no verdict (it was POOR, drift 37%, before).
    let clip = transformed(dir.path(), "good.mp4", "rotate=20*PI/180", "roll20.mp4");
    let a = analyze(&clip)["assessment"].clone();
    assert_eq!(a["verdict"], "inconclusive", "{}", a["reasons"]);
    assert!(
        a["reasons"][0]
            .as_str()
            .unwrap()
            .contains("camera is rolled"),
        "{}",
        a["reasons"]
    );
}
