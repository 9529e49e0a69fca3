//! The `kneetrack` binary as a user runs it: exit codes, one-line errors, files written or not.
use crate::common::{assert_one_line_error, assert_one_line_usage_error, kneetrack, stderr};
use std::path::Path;
use std::process::Command;

#[test]
fn missing_empty_and_non_video_files() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.mp4");
    std::fs::write(&empty, b"").unwrap();
    let text = dir.path().join("notes.mp4");
    std::fs::write(&text, "just text\n".repeat(100)).unwrap();
    let missing = dir.path().join("missing.mp4");
    let json = dir.path().join("out.json");
    for (clip, needle) in [
        (&empty, "empty"),
        (&text, "not a video"),
        (&missing, "No such file"),
    ] {
        let o = kneetrack(&[
            "analyze",
            clip.to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
        ]);
        assert_one_line_error(&o, needle);
        assert!(!json.exists(), "no report may be written for a failed clip");
    }
}

#[test]
fn missing_or_wrong_model_files() {
    let dir = tempfile::tempdir().unwrap();
    let clip = dir.path().join("clip.mp4");
    crate::common::ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=s=160x120:r=10:d=1",
        "-pix_fmt",
        "yuv420p",
        clip.to_str().unwrap(),
    ]);
    let missing = dir.path().join("nope.onnx");
    let o = kneetrack(&[
        "analyze",
        clip.to_str().unwrap(),
        "--model",
        missing.to_str().unwrap(),
    ]);
    assert_one_line_error(&o, "file not found");
    let garbage = dir.path().join("garbage.onnx");
    std::fs::write(&garbage, b"\x08\x07 this is not protobuf").unwrap();
    let o = kneetrack(&[
        "analyze",
        clip.to_str().unwrap(),
        "--model",
        garbage.to_str().unwrap(),
    ]);
    assert_one_line_error(&o, "not a usable ONNX model");
    let o = kneetrack(&[
        "analyze",
        clip.to_str().unwrap(),
        "--model",
        "no-such-model",
    ]);
    assert_one_line_usage_error(&o, "unknown model name \"no-such-model\"");
}

#[test]
fn usage_errors_exit_2_without_a_made_up_path() {
    let dir = tempfile::tempdir().unwrap();
    let clip = crate::common::sample("good.mp4");
    let clip = clip.to_str().unwrap();
    let o = kneetrack(&["analyze", clip, "-m", "movenet-thundr"]);
    assert_one_line_usage_error(&o, "unknown model name \"movenet-thundr\"; use one of");
    assert!(
        !stderr(&o).contains("model movenet-thundr:"),
        "{}",
        stderr(&o)
    );

    let th = dir.path().join("th.json");
    std::fs::write(&th, r#"{"fppa_good": 1}"#).unwrap();
    let o = kneetrack(&["analyze", clip, "--thresholds", th.to_str().unwrap()]);
    let want = format!(
        "bad thresholds file {}: unknown field `fppa_good`",
        th.display()
    );
    assert_one_line_usage_error(&o, &want);
    std::fs::write(&th, r#"{"by_sex": {"male": {"fppa_good": 1}}}"#).unwrap();
    let o = kneetrack(&["analyze", clip, "--thresholds", th.to_str().unwrap()]);
    let want = format!(
        "bad thresholds file {}: by_sex.male: unknown field",
        th.display()
    );
    assert_one_line_usage_error(&o, &want);
    let missing = dir.path().join("missing.json");
    let o = kneetrack(&["analyze", clip, "--thresholds", missing.to_str().unwrap()]);
    assert_one_line_usage_error(&o, "cannot read thresholds file");
    // Values are checked when read: the key is named.
    std::fs::write(&th, r#"{"drift_fair_min": 0.4}"#).unwrap();
    let o = kneetrack(&["analyze", clip, "--thresholds", th.to_str().unwrap()]);
    assert_one_line_usage_error(
        &o,
        "drift_fair_min (0.4) must be below drift_poor_min (0.3)",
    );
    // Only the JSON report goes to standard output.
    for flag in ["--csv", "--html", "--video"] {
        let o = kneetrack(&["analyze", clip, flag, "-"]);
        assert_one_line_usage_error(&o, &format!("{flag} cannot go to standard output"));
    }
    // An endless file is not read forever.
    let o = kneetrack(&["analyze", clip, "--thresholds", "/dev/zero"]);
    assert_one_line_usage_error(&o, "not a thresholds file");

    let o = kneetrack(&["analyze", clip, "--skip-existing"]);
    assert_one_line_usage_error(&o, "--skip-existing needs --out DIR or --json DIR");
    let o = kneetrack(&["analyze", clip, "--skip-existing", "--json", "-"]);
    assert_one_line_usage_error(&o, "--skip-existing needs --out DIR or --json DIR");

    let out = dir.path().join("synth.mp4");
    let out = out.to_str().unwrap();
    let o = kneetrack(&["synth", "--reps", "0", "--out", out]);
    assert_one_line_usage_error(&o, "--reps must be 1..=100, got 0");
    let o = kneetrack(&["synth", "--top", "red", "--out", out]);
    assert_one_line_usage_error(&o, "--top: expected a colour as #rrggbb, got \"red\"");
    assert!(
        !Path::new(out).exists(),
        "nothing is rendered for a usage error"
    );
}

#[test]
fn missing_runtime_library() {
    let dir = tempfile::tempdir().unwrap();
    let clip = dir.path().join("clip.mp4");
    crate::common::ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=s=160x120:r=10:d=1",
        "-pix_fmt",
        "yuv420p",
        clip.to_str().unwrap(),
    ]);
    let o = Command::new(env!("CARGO_BIN_EXE_kneetrack"))
        .args(["analyze", clip.to_str().unwrap()])
        .env("KNEETRACK_ORT_LIB", dir.path().join("libonnxruntime.so"))
        .output()
        .unwrap();
    assert_one_line_error(&o, "ONNX Runtime");
    assert!(stderr(&o).contains("KNEETRACK_ORT_LIB"));
}

#[test]
fn clip_without_a_person_is_inconclusive_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let clip = dir.path().join("empty_room.mp4");
    crate::common::ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "color=c=gray:s=320x240:r=15:d=2",
        "-pix_fmt",
        "yuv420p",
        clip.to_str().unwrap(),
    ]);
    let json = dir.path().join("report.json");
    let o = kneetrack(&[
        "analyze",
        clip.to_str().unwrap(),
        "--model",
        "movenet-lightning",
        "--json",
        json.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(report["schema_version"], 2);
    assert_eq!(report["assessment"]["verdict"], "inconclusive");
    assert_eq!(report["assessment"]["reps"].as_array().unwrap().len(), 0);
    assert_eq!(report["timing"]["frames"], 30);
    assert!(report["disclaimer"]
        .as_str()
        .unwrap()
        .contains("not a diagnosis"));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("INCONCLUSIVE") && stdout.contains("not a diagnosis"),
        "{stdout}"
    );
}

#[test]
fn a_bad_clip_does_not_stop_a_batch() {
    let dir = tempfile::tempdir().unwrap();
    let clips = dir.path().join("clips");
    std::fs::create_dir(&clips).unwrap();
    std::fs::write(clips.join("a_broken.mp4"), b"not a video").unwrap();
    let good = clips.join("b_room.mp4");
    crate::common::ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "color=c=gray:s=160x120:r=10:d=1",
        "-pix_fmt",
        "yuv420p",
        good.to_str().unwrap(),
    ]);
    let out = dir.path().join("reports");
    let o = kneetrack(&[
        "analyze",
        clips.to_str().unwrap(),
        "--model",
        "movenet-lightning",
        "--json",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "one failed clip makes the batch exit 1"
    );
    assert!(stderr(&o).contains("a_broken.mp4"));
    assert!(
        out.join("b_room.kneetrack.json").is_file(),
        "the good clip is still reported"
    );
    assert!(!out.join("a_broken.kneetrack.json").exists());
}

#[test]
fn output_path_that_is_a_directory_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let clip = dir.path().join("clip.mp4");
    crate::common::ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "color=c=gray:s=160x120:r=10:d=1",
        "-pix_fmt",
        "yuv420p",
        clip.to_str().unwrap(),
    ]);
    let o = kneetrack(&[
        "analyze",
        clip.to_str().unwrap(),
        "--model",
        "movenet-lightning",
        "--json",
        dir.path().to_str().unwrap(),
    ]);
    assert_one_line_error(&o, "is a directory");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn models_lists_the_defaults() {
    let o = kneetrack(&["models"]);
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("movenet-thunder") && out.contains("(default)"),
        "{out}"
    );
    assert!(Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("models/movenet-thunder.onnx")
        .is_file());
}

#[test]
fn batch_out_folder_summary_skip_existing_and_shards() {
    let dir = tempfile::tempdir().unwrap();
    let clips = dir.path().join("clips");
    std::fs::create_dir(&clips).unwrap();
    std::fs::copy(
        crate::common::sample("valgus.mp4"),
        clips.join("a_valgus.mp4"),
    )
    .unwrap();
    std::fs::write(clips.join("b_broken.mp4"), b"garbage").unwrap();
    crate::common::ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "color=c=gray:s=160x120:r=10:d=1",
        "-pix_fmt",
        "yuv420p",
        clips.join("c_room.mp4").to_str().unwrap(),
    ]);
    let out = dir.path().join("out");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "analyze",
            clips.to_str().unwrap(),
            "-m",
            "movenet-lightning",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        kneetrack(&args)
    };
    let first = run(&["--jobs", "2"]);
    assert_eq!(
        first.status.code(),
        Some(1),
        "one broken clip: exit 1 at the end"
    );
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        stdout.contains("3 clips: 0 good, 0 fair, 1 poor, 1 inconclusive, 1 error"),
        "{stdout}"
    );
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert_eq!(summary.lines().count(), 4, "{summary}");
    assert!(summary
        .lines()
        .nth(1)
        .unwrap()
        .contains(",poor,single-leg left,3,"));
    assert!(summary.lines().nth(2).unwrap().contains(",error,"));
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("href=\"./a_valgus.kneetrack.html\""));
    assert!(
        out.join("a_valgus.kneetrack.json").is_file()
            && out.join("c_room.kneetrack.html").is_file()
    );
    assert!(!out.join("b_broken.kneetrack.json").exists());

    // Resuming keeps finished clips (their reports are not rewritten) and retries the broken one.
    let before = std::fs::metadata(out.join("a_valgus.kneetrack.json"))
        .unwrap()
        .modified()
        .unwrap();
    let again = run(&["--skip-existing"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stdout).contains("poor (kept)"));
    let after = std::fs::metadata(out.join("a_valgus.kneetrack.json"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after);

    // Shards split the sorted list: 1/2 gets clips 1 and 3, 2/2 gets clip 2 (the broken one).
    let shard2 = dir.path().join("shard2");
    let o = kneetrack(&[
        "analyze",
        clips.to_str().unwrap(),
        "-m",
        "movenet-lightning",
        "--shard",
        "2/2",
        "--out",
        shard2.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let s2 = std::fs::read_to_string(shard2.join("summary.csv")).unwrap();
    assert_eq!(s2.lines().count(), 2);
    assert!(s2.contains("b_broken.mp4"));
    let bad = kneetrack(&["analyze", clips.to_str().unwrap(), "--shard", "3/2"]);
    assert_eq!(bad.status.code(), Some(2), "a bad --shard is a usage error");
}

#[test]
fn sex_specific_thresholds_apply_with_sex() {
    let dir = tempfile::tempdir().unwrap();
    let th = dir.path().join("th.json");
    // A strict female cut-off that the good sample (peak FPPA ≈ 8°) fails.
    std::fs::write(
        &th,
        r#"{"by_sex": {"female": {"fppa_good_max_deg": 2.0, "fppa_poor_min_deg": 4.0}}}"#,
    )
    .unwrap();
    let sample = crate::common::sample("good.mp4");
    let analyse = |sex: &str| {
        let o = kneetrack(&[
            "analyze",
            sample.to_str().unwrap(),
            "--model",
            "movenet-lightning",
            "--thresholds",
            th.to_str().unwrap(),
            "--sex",
            sex,
            "--json",
            "-",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        (report["assessment"].clone(), stderr(&o))
    };
    let (female, note) = analyse("female");
    assert_eq!(female["thresholds"]["fppa_good_max_deg"], 2.0);
    assert_eq!(female["verdict"], "poor", "{}", female["reasons"]);
    assert!(!note.contains("pooled norms"), "{note}");
    let (male, note) = analyse("male");
    assert_eq!(male["thresholds"]["fppa_good_max_deg"], 13.0);
    assert_eq!(male["verdict"], "good", "{}", male["reasons"]);
    assert!(note.contains("no male-specific thresholds"), "{note}");
}
