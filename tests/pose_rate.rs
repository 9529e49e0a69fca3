//! `analyze --pose-rate` (issue 15): a 60 fps clip is posed on every 2nd frame by default and gives
//! the answer of the 30 fps clip of the same motion; every frame is decoded and counted; the key
//! frames of the HTML report still come out; a low pose rate does not claim a low frame rate; a
//! rate the 6 Hz low-pass cannot use is a usage error; `--device cuda` is refused in one line (no
//! GPU build). Two sessions taking alternate frames give the one-session verdict and peaks within
//! 1°; `--threads 1` keeps one session (`timing.sessions`).
use crate::common::{analyze_json_with, assert_one_line_error, ffmpeg, kneetrack, sample, stderr};
use serde_json::Value;
use std::path::Path;

/// The JSON report of `clip` read with Lightning and `extra` options.
fn analyze(clip: &Path, extra: &[&str]) -> Value {
    analyze_json_with(clip, &[&["-m", "movenet-lightning"], extra].concat())
}

fn peaks(report: &Value) -> Vec<f64> {
    report["assessment"]["reps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["legs"][0]["peak_fppa_deg"].as_f64().unwrap())
        .collect()
}

fn frame_indices(report: &Value) -> Vec<u64> {
    report["assessment"]["frames"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["index"].as_u64().unwrap())
        .collect()
}

#[test]
fn a_60_fps_clip_is_posed_at_30_hz_with_the_30_fps_answer() {
    let dir = tempfile::tempdir().unwrap();
    let fast = dir.path().join("valgus_60fps.mp4");
    // Every frame twice: the even frames are the 30 fps clip's.
    ffmpeg(&[
        "-i",
        sample("valgus.mp4").to_str().unwrap(),
        "-vf",
        "fps=60",
        "-c:v",
        "libx264",
        "-crf",
        "12",
        "-pix_fmt",
        "yuv420p",
        fast.to_str().unwrap(),
    ]);
    let html = dir.path().join("report.html");
    let slow = analyze(&sample("valgus.mp4"), &[]);
    let posed = analyze(&fast, &["--html", html.to_str().unwrap()]);
    let every = analyze(&fast, &["--pose-rate", "0"]);

    let frames = posed["timing"]["frames"].as_u64().unwrap();
    assert!(
        (616..=620).contains(&frames),
        "every frame decoded: {frames}"
    );
    assert_eq!(
        posed["timing"]["posed_frames"].as_u64().unwrap(),
        frames.div_ceil(2)
    );
    assert_eq!(every["timing"]["posed_frames"], every["timing"]["frames"]);
    let indices = frame_indices(&posed);
    assert_eq!(indices.len() as u64, frames.div_ceil(2));
    assert!(
        indices.windows(2).all(|w| w[1] - w[0] == 2),
        "every 2nd frame"
    );
    assert_eq!(frame_indices(&every).len() as u64, frames);

    for report in [&posed, &every] {
        assert_eq!(
            report["assessment"]["verdict"],
            slow["assessment"]["verdict"]
        );
        let (a, b) = (peaks(&slow), peaks(report));
        assert_eq!(a.len(), b.len(), "{a:?} vs {b:?}");
        for (x, y) in a.iter().zip(&b) {
            assert!((x - y).abs() <= 1.0, "peak FPPA {x:.2}° vs {y:.2}°");
        }
        let warnings = report["assessment"]["warnings"].to_string();
        assert!(!warnings.contains("Low frame rate"), "{warnings}");
    }
    // One annotated key frame per rep bottom, taken from posed frames.
    let page = std::fs::read_to_string(&html).unwrap();
    assert_eq!(
        page.matches("<figure class=\"bottom\"").count(),
        peaks(&posed).len(),
        "key frames"
    );
}

#[test]
fn posing_below_the_frame_rate_does_not_warn_of_a_low_frame_rate() {
    let r = analyze(&sample("valgus.mp4"), &["--pose-rate", "15"]);
    assert_eq!(r["timing"]["frames"], 309);
    assert_eq!(r["timing"]["posed_frames"], 155);
    let warnings = r["assessment"]["warnings"].to_string();
    assert!(!warnings.contains("Low frame rate"), "{warnings}");
    assert_eq!(r["assessment"]["reps"].as_array().unwrap().len(), 3);
}

#[test]
fn a_rate_the_low_pass_cannot_use_is_a_usage_error() {
    let clip = sample("valgus.mp4");
    for (bad, why) in [
        ("5", "out of range: 0 (every frame) or 15 to 1000"),
        ("-30", "out of range"),
        ("fast", "not a number"),
    ] {
        let flag = format!("--pose-rate={bad}");
        let o = kneetrack(&["analyze", &flag, clip.to_str().unwrap()]);
        // clap's own usage message: exit 2, naming the flag and the reason.
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("--pose-rate") && err.contains(why), "{err}");
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn cuda_is_refused_in_one_line() {
    let clip = sample("valgus.mp4");
    let o = kneetrack(&["analyze", "--device", "cuda", clip.to_str().unwrap()]);
    assert_one_line_error(&o, "no CUDA execution provider");
    assert!(o.stdout.is_empty());
}

/// Per rep, the peak FPPA of each leg that has one, as (rep, side, degrees).
fn leg_peaks(report: &Value) -> Vec<(u64, String, f64)> {
    let mut out = Vec::new();
    for rep in report["assessment"]["reps"].as_array().unwrap() {
        for leg in rep["legs"].as_array().unwrap() {
            if let Some(p) = leg["peak_fppa_deg"].as_f64() {
                let side = leg["side"].as_str().unwrap_or("?").to_string();
                out.push((rep["number"].as_u64().unwrap(), side, p));
            }
        }
    }
    out
}

#[test]
fn two_sessions_on_alternate_frames_give_the_one_session_answer() {
    let clip = sample("valgus.mp4");
    let run = |extra: &[&str]| {
        let mut args = vec!["analyze", "-q", "--json", "-"];
        args.extend_from_slice(extra);
        args.push(clip.to_str().unwrap());
        let o = kneetrack(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_slice::<Value>(&o.stdout).expect("JSON report")
    };
    // The default model, Thunder.
    let one = run(&["--sessions", "1"]);
    let two = run(&["--sessions", "2"]);
    assert_eq!(one["timing"]["sessions"], 1);
    assert_eq!(two["timing"]["sessions"], 2);
    for r in [&one, &two] {
        assert_eq!(r["timing"]["frames"], 309);
        assert_eq!(r["timing"]["posed_frames"], 309);
        assert!(r["timing"]["inference_s"].as_f64().unwrap() > 0.0);
    }
    let indices = frame_indices(&two);
    assert_eq!(
        indices,
        (0..309).collect::<Vec<u64>>(),
        "every frame, in order"
    );
    assert_eq!(two["assessment"]["verdict"], one["assessment"]["verdict"]);
    assert_eq!(two["assessment"]["verdict"], "poor");
    let (a, b) = (leg_peaks(&one), leg_peaks(&two));
    assert_eq!(a.len(), b.len(), "{a:?} vs {b:?}");
    assert!(a.len() >= 3, "{a:?}");
    for (x, y) in a.iter().zip(&b) {
        assert_eq!((x.0, &x.1), (y.0, &y.1));
        assert!(
            (x.2 - y.2).abs() <= 1.0,
            "rep {} {}: {:.2}° vs {:.2}°",
            x.0,
            x.1,
            x.2,
            y.2
        );
    }
}

#[test]
fn one_thread_keeps_one_session() {
    let r = analyze(&sample("good.mp4"), &["--threads", "1"]);
    assert_eq!(r["timing"]["sessions"], 1);
    let o = kneetrack(&[
        "analyze",
        "--sessions",
        "9",
        sample("good.mp4").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("at most 4 sessions"), "{}", stderr(&o));
}

#[test]
fn coarse_posing_with_two_sessions_poses_the_same_frames_every_run() {
    // Which frames are posed is decided from the grid poses in frame order, not from whichever
    // session answered first, so two runs agree frame for frame.
    let clip = sample("good.mp4");
    let args = ["--coarse-rate", "10", "--sessions", "2"];
    let (a, b) = (analyze(&clip, &args), analyze(&clip, &args));
    assert_eq!(a["timing"]["posed_frames"], b["timing"]["posed_frames"]);
    assert_eq!(a["assessment"]["frames"], b["assessment"]["frames"]);
    assert_eq!(a["assessment"]["reps"], b["assessment"]["reps"]);
}

#[test]
fn coarse_posing_fills_the_skipped_frames_and_keeps_the_peaks() {
    let clip = sample("valgus.mp4");
    let every = analyze(&clip, &[]);
    let coarse = analyze(&clip, &["--coarse-rate", "10"]);
    let t = &coarse["timing"];
    let (posed, filled) = (
        t["posed_frames"].as_u64().unwrap(),
        t["interpolated_frames"].as_u64().unwrap(),
    );
    assert!(filled > 0 && posed < 309, "{t}");
    assert_eq!(posed + filled, 309, "{t}");
    assert_eq!(every["timing"]["interpolated_frames"], 0);
    // The observation list is complete and evenly spaced again.
    assert_eq!(frame_indices(&coarse), (0..309).collect::<Vec<u64>>());
    // Each filled frame says so; the coarse grid (every 3rd frame at 10 Hz of 30 fps) is posed.
    let marked = |v: &Value| -> Vec<u64> {
        v["assessment"]["frames"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["interpolated"] == true)
            .map(|f| f["index"].as_u64().unwrap())
            .collect()
    };
    let filled_frames = marked(&coarse);
    assert_eq!(filled_frames.len() as u64, filled, "{t}");
    assert!(
        filled_frames.iter().all(|i| i % 3 != 0),
        "{filled_frames:?}"
    );
    assert!(marked(&every).is_empty());
    assert_eq!(
        coarse["assessment"]["verdict"],
        every["assessment"]["verdict"]
    );
    let (a, b) = (peaks(&every), peaks(&coarse));
    assert_eq!(a.len(), b.len(), "{a:?} vs {b:?}");
    for (x, y) in a.iter().zip(&b) {
        assert!((x - y).abs() <= 1.0, "peak FPPA {x:.2}° vs {y:.2}°");
    }
    let o = kneetrack(&["analyze", "--coarse-rate", "3", clip.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("0 (off) or 5 to 30"), "{}", stderr(&o));
}
