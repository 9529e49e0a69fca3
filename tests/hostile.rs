//! Hostile and broken input, generated here: every case ends in a clear one-line error (exit 1) or
//! an inconclusive verdict with its reason (exit 0), never a panic, never a partial output file;
//! and in a batch the good clips still finish.
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

fn os(s: &str) -> &OsStr {
    OsStr::new(s)
}

/// What a case must come to.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// Exit 1 with one line on stderr.
    Error,
    /// Exit 0 with an inconclusive verdict.
    Inconclusive,
    /// Either is honest for this input (e.g. a truncated file may still hold some frames).
    ErrorOrInconclusive,
}

fn lavfi(out: &Path, source: &str, extra: &[&str]) {
    let mut args = vec!["-f", "lavfi", "-i", source];
    args.extend_from_slice(extra);
    args.push(out.to_str().unwrap());
    crate::common::ffmpeg(&args);
}

/// Analyses `clip` writing a JSON report into `out`, checks the outcome and that nothing but a
/// complete report is left in `out`.
fn check(name: &str, clip: &Path, expect: Expect, out: &Path) {
    std::fs::create_dir_all(out).unwrap();
    let json = out.join("report.json");
    let o = crate::common::kneetrack(&[
        os("analyze"),
        clip.as_os_str(),
        os("-m"),
        os("movenet-lightning"),
        os("--json"),
        json.as_os_str(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("panicked"), "{name}: panic: {stderr}");
    let leftovers: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "report.json")
        .collect();
    assert!(leftovers.is_empty(), "{name}: left behind {leftovers:?}");
    match o.status.code() {
        Some(1) => {
            assert_ne!(
                expect,
                Expect::Inconclusive,
                "{name}: unexpected error {stderr}"
            );
            assert_eq!(
                stderr.trim_end().lines().count(),
                1,
                "{name}: not one line: {stderr}"
            );
            assert!(stderr.starts_with("kneetrack: error: "), "{name}: {stderr}");
            assert!(!json.exists(), "{name}: report written despite the error");
        }
        Some(0) => {
            assert_ne!(expect, Expect::Error, "{name}: should have failed");
            let report: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
            assert_eq!(
                report["assessment"]["verdict"], "inconclusive",
                "{name}: {}",
                report["assessment"]["reasons"]
            );
            assert!(
                !report["assessment"]["reasons"][0]
                    .as_str()
                    .unwrap_or("")
                    .is_empty(),
                "{name}: no reason"
            );
        }
        other => panic!("{name}: exit {other:?}: {stderr}"),
    }
}

#[test]
fn broken_files_and_strange_videos() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let f = |n: &str| d.join(n);

    std::fs::write(f("empty.mp4"), b"").unwrap();
    std::fs::write(f("text.mp4"), "not a video\n".repeat(50)).unwrap();
    let good = std::fs::read(crate::common::sample("good.mp4")).unwrap();
    std::fs::write(f("truncated.mp4"), &good[..good.len() * 2 / 5]).unwrap();
    std::fs::write(f("header_only.mp4"), &good[..64.min(good.len())]).unwrap();
    lavfi(
        &f("audio_only.mp4"),
        "sine=frequency=440:duration=1",
        &["-c:a", "aac"],
    );
    lavfi(
        &f("image.png"),
        "testsrc=s=320x240:d=1",
        &["-frames:v", "1"],
    );
    lavfi(
        &f("one_frame.mp4"),
        "testsrc=s=320x240:r=30",
        &["-frames:v", "1", "-pix_fmt", "yuv420p"],
    );
    lavfi(
        &f("eight_k.mp4"),
        "color=c=gray:s=7680x4320:r=5",
        &[
            "-frames:v",
            "3",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
        ],
    );
    lavfi(
        &f("fps240.mp4"),
        "testsrc=s=320x240:r=240:d=1",
        &["-pix_fmt", "yuv420p"],
    );
    lavfi(
        &f("nobody.mp4"),
        "color=c=0x506070:s=360x640:r=30:d=3",
        &["-pix_fmt", "yuv420p"],
    );
    // The synthetic squatter with the picture turned upside down and no rotation tag.
    crate::common::ffmpeg(&[
        "-i",
        crate::common::sample("good.mp4").to_str().unwrap(),
        "-vf",
        "vflip,hflip",
        "-pix_fmt",
        "yuv420p",
        f("upside_down.mp4").to_str().unwrap(),
    ]);

    let cases = [
        ("empty", "empty.mp4", Expect::Error),
        ("text named .mp4", "text.mp4", Expect::Error),
        ("truncated", "truncated.mp4", Expect::ErrorOrInconclusive),
        ("header only", "header_only.mp4", Expect::Error),
        ("audio only", "audio_only.mp4", Expect::Error),
        ("image", "image.png", Expect::ErrorOrInconclusive),
        ("one frame", "one_frame.mp4", Expect::Inconclusive),
        ("8K frames", "eight_k.mp4", Expect::Inconclusive),
        ("240 fps", "fps240.mp4", Expect::Inconclusive),
        ("no person", "nobody.mp4", Expect::Inconclusive),
        ("upside down", "upside_down.mp4", Expect::Inconclusive),
    ];
    for (i, (name, file, expect)) in cases.iter().enumerate() {
        check(name, &f(file), *expect, &d.join(format!("out{i}")));
    }
}

#[test]
fn upside_down_picture_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let clip = dir.path().join("upside_down.mp4");
    crate::common::ffmpeg(&[
        "-i",
        crate::common::sample("valgus.mp4").to_str().unwrap(),
        "-vf",
        "vflip,hflip",
        "-pix_fmt",
        "yuv420p",
        clip.to_str().unwrap(),
    ]);
    let o = crate::common::kneetrack(&[os("analyze"), clip.as_os_str(), os("--json"), os("-")]);
    assert_eq!(o.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["assessment"]["verdict"], "inconclusive");
    assert!(report["assessment"]["reasons"][0]
        .as_str()
        .unwrap()
        .contains("upside down"));
}

#[test]
fn foreign_models_and_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let clip = crate::common::sample("good.mp4");
    // A valid ONNX file that is not a pose model kneetrack can drive.
    let foreign = d.join("foreign.onnx");
    lavfi(
        &d.join("dummy.mp4"),
        "color=c=gray:s=64x64:r=5:d=1",
        &["-pix_fmt", "yuv420p"],
    );
    std::fs::write(&foreign, crate::common::onnx_identity_model()).unwrap();
    let o = crate::common::kneetrack(&[
        os("analyze"),
        clip.as_os_str(),
        os("--model"),
        foreign.as_os_str(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("foreign.onnx"));

    // Output folder under a regular file: cannot be created.
    let file = d.join("plain.txt");
    std::fs::write(&file, b"x").unwrap();
    let target = file.join("report.json");
    let o = crate::common::kneetrack(&[
        os("analyze"),
        clip.as_os_str(),
        os("-m"),
        os("movenet-lightning"),
        os("--json"),
        target.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr)
            .trim_end()
            .lines()
            .count(),
        1
    );
    let names: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names.len(), 3, "nothing new next to the inputs: {names:?}");
}

#[test]
fn non_utf8_file_name_is_analysed() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = OsStr::from_bytes(b"squat-\xff\xfe.mp4");
    let clip = dir.path().join(name);
    std::fs::copy(crate::common::sample("valgus.mp4"), &clip).unwrap();
    let out = dir.path().join("out");
    let o = crate::common::kneetrack(&[
        os("analyze"),
        clip.as_os_str(),
        os("-m"),
        os("movenet-lightning"),
        os("--out"),
        out.as_os_str(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    match o.status.code() {
        Some(0) => {
            let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
            assert!(summary.contains(",poor,"), "{summary}");
        }
        Some(1) => assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}"),
        other => panic!("exit {other:?}: {stderr}"),
    }
}

#[test]
fn batch_with_hostile_members_still_finishes_the_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    let clips = dir.path().join("clips");
    std::fs::create_dir(&clips).unwrap();
    std::fs::write(clips.join("1_empty.mp4"), b"").unwrap();
    std::fs::write(clips.join("2_text.mp4"), b"hello").unwrap();
    std::fs::copy(crate::common::sample("good.mp4"), clips.join("3_good.mp4")).unwrap();
    let out = dir.path().join("out");
    let o = crate::common::kneetrack(&[
        os("analyze"),
        clips.as_os_str(),
        os("-m"),
        os("movenet-lightning"),
        os("--out"),
        out.as_os_str(),
        os("-q"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        stderr.trim_end().lines().count(),
        2,
        "one line per bad clip: {stderr}"
    );
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(
        summary
            .lines()
            .any(|l| l.contains("3_good.mp4") && l.contains(",good,")),
        "{summary}"
    );
    assert_eq!(summary.lines().filter(|l| l.contains(",error,")).count(), 2);
}

/// The good and the valgus samples (inputs 0 and 1) combined by an ffmpeg `filter`.
fn good_and_valgus(dir: &Path, name: &str, filter: &str) -> PathBuf {
    let clip = dir.join(name);
    crate::common::ffmpeg(&[
        "-i",
        crate::common::sample("good.mp4").to_str().unwrap(),
        "-i",
        crate::common::sample("valgus.mp4").to_str().unwrap(),
        "-filter_complex",
        filter,
        "-pix_fmt",
        "yuv420p",
        clip.to_str().unwrap(),
    ]);
    clip
}

/// The JSON report of `kneetrack analyze CLIP` (default model), which must exit 0.
fn analyse_to_json(clip: &Path) -> serde_json::Value {
    let o = crate::common::kneetrack(&[os("analyze"), clip.as_os_str(), os("--json"), os("-")]);
    assert_eq!(o.status.code(), Some(0), "{}", crate::common::stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn two_people_in_view_are_named() {
    let dir = tempfile::tempdir().unwrap();
    // The good and the valgus synthetic squatters side by side.
    let clip = good_and_valgus(dir.path(), "two.mp4", "hstack");
    let report = analyse_to_json(&clip);
    let warnings = report["assessment"]["warnings"].to_string();
    assert!(warnings.contains("Several people in view"), "{warnings}");
    // Whoever is followed, the verdict is that person's: poor on the right, good on the left.
    let verdict = report["assessment"]["verdict"].as_str().unwrap();
    if warnings.contains("on the right") {
        assert_eq!(verdict, "poor");
    } else {
        assert!(verdict == "good" || verdict == "inconclusive", "{verdict}");
    }
}

#[test]
fn the_one_squatting_is_followed_not_the_bystander() {
    let dir = tempfile::tempdir().unwrap();
    // The good squatter beside a still person (the valgus sample's first frame, held), on either
    // side: whoever the tracker locks on to first, the verdict is the squatter's.
    let still = "[1:v]trim=end_frame=1,loop=loop=-1:size=1:start=0,setpts=N/FRAME_RATE/TB[still]";
    for (name, stack, squatter_side) in [
        (
            "still-left.mp4",
            "[still][0:v]hstack=shortest=1",
            "on the right",
        ),
        (
            "still-right.mp4",
            "[0:v][still]hstack=shortest=1",
            "on the left",
        ),
    ] {
        let clip = good_and_valgus(dir.path(), name, &format!("{still};{stack}"));
        let report = analyse_to_json(&clip);
        let a = &report["assessment"];
        assert_eq!(a["verdict"], "good", "{name}: {}", a["reasons"]);
        assert_eq!(a["reps"].as_array().unwrap().len(), 3, "{name}");
        let warnings = a["warnings"].to_string();
        assert!(
            warnings.contains("Several people in view") && warnings.contains(squatter_side),
            "{name}: {warnings}"
        );
    }
}
