//! Output paths that must not destroy anything: an output that is an input clip (however spelt),
//! two outputs on one path, devices, FIFOs and descriptors, folders that cannot take a file,
//! closed and full standard outputs. Every case checks the exit code, the one-line message, that
//! nothing panicked, that the clip is byte for byte what it was and that nothing else was left.
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const MODEL: &str = "movenet-lightning";

/// `kneetrack` run in `dir`.
fn kneetrack_in<S: AsRef<OsStr>>(dir: &Path, args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kneetrack"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("run kneetrack")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Exit `code`, one line on stderr that starts `kneetrack: error: ` and holds `needle`, no panic.
fn assert_one_line(o: &Output, code: i32, needle: &str) {
    let err = stderr(o);
    assert!(!err.contains("panicked"), "panic: {err}");
    assert_eq!(o.status.code(), Some(code), "stderr: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "not one line: {err:?}");
    assert!(err.starts_with("kneetrack: error: "), "{err}");
    assert!(err.contains(needle), "{err:?} lacks {needle:?}");
}

/// The names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A folder holding `x.mp4`, a copy of the good sample; returns it and the clip's bytes.
fn clip_folder() -> (tempfile::TempDir, PathBuf, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(crate::common::sample("good.mp4")).unwrap();
    let clip = dir.path().join("x.mp4");
    std::fs::write(&clip, &bytes).unwrap();
    (dir, clip, bytes)
}

#[test]
fn an_output_on_the_input_clip_is_refused_before_any_work() {
    let (dir, clip, bytes) = clip_folder();
    let d = dir.path();
    std::os::unix::fs::symlink(&clip, d.join("link.mp4")).unwrap();
    std::fs::hard_link(&clip, d.join("hard.mp4")).unwrap();
    std::fs::create_dir(d.join("sub")).unwrap();
    let before = listing(d);
    for flag in ["--json", "--csv", "--html", "--video"] {
        for out in [
            "x.mp4",
            "./x.mp4",
            "sub/../x.mp4",
            "link.mp4",
            "hard.mp4",
            clip.to_str().unwrap(),
        ] {
            let o = kneetrack_in(d, &["analyze", "x.mp4", "-m", MODEL, flag, out]);
            assert_one_line(&o, 2, "would write over the input x.mp4");
            assert_eq!(std::fs::read(&clip).unwrap(), bytes, "{flag} {out}");
            assert_eq!(listing(d), before, "{flag} {out}");
        }
    }
    // The clip named through a link on the command line, the output through its real name.
    let o = kneetrack_in(d, &["analyze", "link.mp4", "-m", MODEL, "--json", "x.mp4"]);
    assert_one_line(&o, 2, "would write over the input link.mp4");
    // Nor the thresholds file.
    std::fs::write(d.join("th.json"), "{}").unwrap();
    let o = kneetrack_in(
        d,
        &[
            "analyze",
            "x.mp4",
            "-m",
            MODEL,
            "--thresholds",
            "th.json",
            "--csv",
            "th.json",
        ],
    );
    assert_one_line(&o, 2, "would write over the input th.json");
    assert_eq!(std::fs::read(d.join("th.json")).unwrap(), b"{}");
    assert_eq!(std::fs::read(&clip).unwrap(), bytes);
}

#[test]
fn two_outputs_on_one_path_are_refused() {
    let (dir, clip, bytes) = clip_folder();
    let d = dir.path();
    for (a, b) in [
        ("--json", "--csv"),
        ("--html", "--video"),
        ("--csv", "--html"),
    ] {
        let o = kneetrack_in(
            d,
            &["analyze", "x.mp4", "-m", MODEL, a, "r.out", b, "./r.out"],
        );
        assert_one_line(&o, 2, &format!("{a} and {b} both write"));
    }
    assert_eq!(listing(d), ["x.mp4"]);
    assert_eq!(std::fs::read(&clip).unwrap(), bytes);
}

#[test]
fn a_batch_never_writes_over_its_clips() {
    let (dir, clip, bytes) = clip_folder();
    let d = dir.path();
    // An output of x.mp4 would be x.kneetrack.mp4, given here as a clip.
    let other = d.join("x.kneetrack.mp4");
    std::fs::write(&other, &bytes).unwrap();
    let o = kneetrack_in(
        d,
        &[
            "analyze",
            "x.mp4",
            "x.kneetrack.mp4",
            "-m",
            MODEL,
            "--video",
            ".",
        ],
    );
    assert_one_line(&o, 2, "would write over the input x.kneetrack.mp4");
    assert_eq!(std::fs::read(&other).unwrap(), bytes);
    assert_eq!(listing(d), ["x.kneetrack.mp4", "x.mp4"]);
    // --out into the clips' own folder: outputs beside the clips under their own names.
    std::fs::remove_file(&other).unwrap();
    std::fs::write(d.join("y.mp4"), &bytes).unwrap();
    let o = kneetrack_in(d, &["analyze", ".", "-m", MODEL, "-q", "--out", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read(&clip).unwrap(), bytes);
    assert_eq!(std::fs::read(d.join("y.mp4")).unwrap(), bytes);
    assert_eq!(
        listing(d),
        [
            "index.html",
            "summary.csv",
            "x.kneetrack.html",
            "x.kneetrack.json",
            "x.mp4",
            "y.kneetrack.html",
            "y.kneetrack.json",
            "y.mp4"
        ]
    );
    // Run again into the same folder: the reports are not taken for clips, nothing is replaced
    // but kneetrack's own files.
    let o = kneetrack_in(
        d,
        &[
            "analyze",
            ".",
            "-m",
            MODEL,
            "-q",
            "--out",
            ".",
            "--skip-existing",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read(&clip).unwrap(), bytes);
}

#[test]
fn a_folder_that_cannot_take_the_output_fails_before_the_analysis() {
    let (dir, clip, bytes) = clip_folder();
    let d = dir.path();
    // A path under a regular file fails for root too; so does a folder that does not exist.
    for (flag, out, needle) in [
        ("--json", "missing/r.json", "does not exist"),
        ("--video", "missing/r.mp4", "does not exist"),
        ("--csv", "x.mp4/r.csv", "is not a folder"),
        ("--html", "/proc/r.html", "cannot be written in /proc"),
    ] {
        let o = kneetrack_in(d, &["analyze", "x.mp4", "-m", MODEL, flag, out]);
        assert_one_line(&o, 1, needle);
        // Found before the model ran: no timing, no summary on stdout.
        assert!(o.stdout.is_empty(), "{flag} {out}: analysed first");
    }
    // A batch whose --out lies under a file.
    let o = kneetrack_in(d, &["analyze", "x.mp4", "-m", MODEL, "--out", "x.mp4/o"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"));
    assert_eq!(listing(d), ["x.mp4"]);
    assert_eq!(std::fs::read(&clip).unwrap(), bytes);
}
