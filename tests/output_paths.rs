//! Output paths that must not destroy anything: an output that is an input clip (however spelt),
//! two outputs on one path, devices, FIFOs and descriptors, folders that cannot take a file,
//! closed and full standard outputs. Every case checks the exit code, the one-line message, that
//! nothing panicked, that the clip is byte for byte what it was and that nothing else was left.
use crate::common::{assert_one_line_failure, listing, stderr};
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
            assert_one_line_failure(&o, 2, "would write over the input x.mp4");
            assert_eq!(std::fs::read(&clip).unwrap(), bytes, "{flag} {out}");
            assert_eq!(listing(d), before, "{flag} {out}");
        }
    }
    // The clip named through a link on the command line, the output through its real name.
    let o = kneetrack_in(d, &["analyze", "link.mp4", "-m", MODEL, "--json", "x.mp4"]);
    assert_one_line_failure(&o, 2, "would write over the input link.mp4");
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
    assert_one_line_failure(&o, 2, "would write over the input th.json");
    assert_eq!(std::fs::read(d.join("th.json")).unwrap(), b"{}");
    assert_eq!(std::fs::read(&clip).unwrap(), bytes);
}

#[test]
fn two_outputs_on_one_path_are_refused() {
    let (dir, clip, bytes) = clip_folder();
    let d = dir.path();
    for (a, b) in [
        ("--json", "--csv"),
        ("--video", "--html"),
        ("--csv", "--html"),
    ] {
        let o = kneetrack_in(
            d,
            &["analyze", "x.mp4", "-m", MODEL, a, "r.out", b, "./r.out"],
        );
        assert_one_line_failure(&o, 2, &format!("{a} and {b} both write"));
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
    assert_one_line_failure(&o, 2, "would write over the input x.kneetrack.mp4");
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
        assert_one_line_failure(&o, 1, needle);
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

/// A character device like /dev/null made in `dir` (mknod c 1 3), or `None` with the reason
/// printed where this user may not make device nodes.
fn null_device(dir: &Path) -> Option<PathBuf> {
    let node = dir.join("null");
    let made = Command::new("mknod")
        .arg(&node)
        .args(["c", "1", "3"])
        .output()
        .is_ok_and(|o| o.status.success());
    if made {
        Some(node)
    } else {
        eprintln!("skipped: mknod is not permitted here (not root?): no device-node case");
        None
    }
}

fn mkfifo(path: &Path) {
    let o = Command::new("mkfifo").arg(path).output().expect("mkfifo");
    assert!(o.status.success(), "mkfifo {}", path.display());
}

/// Reads a FIFO to its end on another thread (so that a writer can open it).
fn drain(fifo: &Path) -> std::thread::JoinHandle<Vec<u8>> {
    let fifo = fifo.to_path_buf();
    std::thread::spawn(move || std::fs::read(fifo).unwrap())
}

fn is_char_device(p: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_char_device())
}

fn is_fifo(p: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_fifo())
}

#[test]
fn devices_fifos_and_descriptors_are_written_into_not_replaced() {
    let (dir, clip, bytes) = clip_folder();
    let d = dir.path();
    if let Some(null) = null_device(d) {
        let o = kneetrack_in(
            d,
            &[
                "analyze", "x.mp4", "-q", "-m", MODEL, "--json", "null", "--csv", "null",
                "--video", "null", "--html", "null",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(is_char_device(&null), "the device node was replaced");
    }
    // A FIFO: the reader gets the whole report, the FIFO stays.
    let fifo = d.join("report.fifo");
    mkfifo(&fifo);
    let reader = drain(&fifo);
    let o = kneetrack_in(
        d,
        &[
            "analyze",
            "x.mp4",
            "-q",
            "-m",
            MODEL,
            "--json",
            "report.fifo",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&reader.join().unwrap()).unwrap();
    assert_eq!(report["schema_version"], 2);
    assert!(is_fifo(&fifo));
    // The annotated video into a FIFO: a whole mp4 comes out of it.
    let reader = drain(&fifo);
    let o = kneetrack_in(
        d,
        &[
            "analyze",
            "x.mp4",
            "-q",
            "-m",
            MODEL,
            "--video",
            "report.fifo",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mp4 = reader.join().unwrap();
    assert!(mp4.len() > 1000 && &mp4[4..8] == b"ftyp", "not an mp4");
    assert!(is_fifo(&fifo));
    // /dev/stdout and a shell's >(…) (a /dev/fd/N).
    let o = kneetrack_in(
        d,
        &[
            "analyze",
            "x.mp4",
            "-q",
            "-m",
            MODEL,
            "--json",
            "/dev/stdout",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["schema_version"], 2);
    let script = format!(
        "'{}' analyze x.mp4 -q -m {MODEL} --json >(cat)",
        env!("CARGO_BIN_EXE_kneetrack")
    );
    let o = Command::new("bash")
        .args(["-c", &script])
        .current_dir(d)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["schema_version"], 2);
    // A symbolic link to a file stays a link; the file behind it gets the report.
    std::fs::write(d.join("real.json"), "old").unwrap();
    std::os::unix::fs::symlink("real.json", d.join("link.json")).unwrap();
    let o = kneetrack_in(
        d,
        &["analyze", "x.mp4", "-q", "-m", MODEL, "--json", "link.json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(d.join("link.json"))
        .unwrap()
        .file_type()
        .is_symlink());
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("real.json")).unwrap()).unwrap();
    assert_eq!(report["schema_version"], 2);
    assert_eq!(std::fs::read(&clip).unwrap(), bytes);
    let left: Vec<String> = listing(d)
        .into_iter()
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

/// Runs `command` (with `K` standing for the kneetrack binary) in bash in `dir`; returns the
/// output and kneetrack's own exit status (the first of the pipeline).
fn pipeline(dir: &Path, command: &str) -> (Output, i32) {
    let script = format!(
        "K='{}'; {command}; echo ${{PIPESTATUS[0]}} > status",
        env!("CARGO_BIN_EXE_kneetrack")
    );
    let o = Command::new("bash")
        .args(["-c", &script])
        .current_dir(dir)
        .output()
        .unwrap();
    let status = std::fs::read_to_string(dir.join("status")).unwrap();
    std::fs::remove_file(dir.join("status")).unwrap();
    (o, status.trim().parse().unwrap())
}

#[test]
fn a_closed_standard_output_ends_quietly_and_a_full_one_is_an_error() {
    let (dir, _clip, bytes) = clip_folder();
    let d = dir.path();
    std::fs::write(d.join("y.mp4"), &bytes).unwrap();
    for command in [
        "\"$K\" analyze x.mp4 -m movenet-lightning --json - | head -c 10",
        "\"$K\" analyze x.mp4 -m movenet-lightning --json - | true",
        "\"$K\" analyze x.mp4 -m movenet-lightning | true",
        "\"$K\" models | true",
        // Standard error closed too: the batch's lines and summary table go there with --json -.
        "\"$K\" analyze x.mp4 y.mp4 -m movenet-lightning --json - 2>&1 | head -c 10",
    ] {
        let (o, status) = pipeline(d, command);
        let err = stderr(&o);
        assert_eq!(status, 0, "{command}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
            "{command}: {err}"
        );
    }
    // A batch whose terminal output is cut short still finishes and writes its summary.
    let (o, status) = pipeline(
        d,
        "\"$K\" analyze x.mp4 y.mp4 -m movenet-lightning --out o | head -1",
    );
    let err = stderr(&o);
    assert_eq!(status, 0, "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        listing(&d.join("o")),
        [
            "index.html",
            "summary.csv",
            "x.kneetrack.html",
            "x.kneetrack.json",
            "y.kneetrack.html",
            "y.kneetrack.json"
        ]
    );
    // A full disk is a failure.
    let (o, status) = pipeline(
        d,
        "\"$K\" analyze x.mp4 -m movenet-lightning -q --json - > /dev/full",
    );
    assert_eq!(status, 1);
    let err = stderr(&o);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("standard output: cannot write: No space left"),
        "{err}"
    );
}

#[test]
fn folder_scans_skip_hidden_files_and_our_own_outputs() {
    let (dir, clip, bytes) = clip_folder();
    let d = dir.path();
    // macOS metadata twins and other hidden files: not clips (this one is not even a video).
    std::fs::write(d.join("._x.mp4"), b"\x00\x05\x16\x07 resource fork").unwrap();
    std::fs::write(d.join(".x.mp4"), b"hidden").unwrap();
    let expected = [
        "._x.mp4",
        ".x.mp4",
        "index.html",
        "summary.csv",
        "x.kneetrack.html",
        "x.kneetrack.json",
        "x.kneetrack.mp4",
        "x.mp4",
    ];
    // Twice: the second scan must not take the first run's annotated video for a clip.
    for run in 0..2 {
        let o = kneetrack_in(
            d,
            &[
                "analyze", ".", "-q", "-m", MODEL, "--out", ".", "--video", ".",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "run {run}: {}", stderr(&o));
        assert_eq!(listing(d), expected, "run {run}");
        let summary = std::fs::read_to_string(d.join("summary.csv")).unwrap();
        assert_eq!(summary.lines().count(), 2, "run {run}: one clip: {summary}");
    }
    assert_eq!(std::fs::read(&clip).unwrap(), bytes);
}

#[test]
fn inputs_that_are_not_readable_files_say_what_they_are() {
    let (dir, _clip, _) = clip_folder();
    let d = dir.path();
    mkfifo(&d.join("pipe.mp4"));
    let o = kneetrack_in(d, &["analyze", "pipe.mp4", "-m", MODEL]);
    assert_one_line_failure(
        &o,
        1,
        "pipe.mp4: is a FIFO (named pipe), not a regular file",
    );
    let o = kneetrack_in(d, &["analyze", "/dev/null", "-m", MODEL]);
    assert_one_line_failure(
        &o,
        1,
        "/dev/null: is a character device, not a regular file",
    );
    // Permission bits do not stop root: those cases need another user.
    use std::os::unix::fs::PermissionsExt;
    let locked = d.join("locked.mp4");
    std::fs::copy(crate::common::sample("good.mp4"), &locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let shut = d.join("shut");
    std::fs::create_dir(&shut).unwrap();
    std::fs::set_permissions(&shut, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::File::open(&locked).is_ok() {
        eprintln!(
            "skipped: permission bits do not apply to this user (root): no unreadable-file case"
        );
    } else {
        let o = kneetrack_in(d, &["analyze", "locked.mp4", "-m", MODEL]);
        assert_one_line_failure(&o, 1, "locked.mp4: cannot be read: Permission denied");
        let o = kneetrack_in(d, &["analyze", "shut", "-m", MODEL]);
        assert_one_line_failure(&o, 1, "shut: cannot be read: Permission denied");
    }
    std::fs::set_permissions(&shut, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A folder holding a fake `ffmpeg` (put first on PATH) that passes kneetrack's libx264 check,
/// then runs `body` (sh) with `$out`, the file it was told to write.
fn fake_ffmpeg(body: &str) -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("ffmpeg");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\ncase \"$*\" in *'-h encoder=libx264'*) echo 'Encoder libx264 [fake]'; exit 0;; esac\n\
             for a; do last=$a; done; out=${{last#file:}}\n{body}\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

/// `kneetrack analyze x.mp4 --video out.mp4` in `dir` with the fake ffmpeg first on PATH.
fn spawn_with_ffmpeg(dir: &Path, fake: &Path, timeout_s: &str) -> std::process::Child {
    let path = format!(
        "{}:{}",
        fake.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new(env!("CARGO_BIN_EXE_kneetrack"))
        .args(["analyze", "x.mp4", "-q", "-m", MODEL, "--video", "out.mp4"])
        .current_dir(dir)
        .env("PATH", path)
        .env("KNEETRACK_ENCODER_TIMEOUT_S", timeout_s)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kneetrack")
}

/// Waits for `child`, failing the test (and killing it) if it has not ended after `limit_s`: a
/// hang is the bug being tested, and a test must not hang with it.
fn wait_at_most(mut child: std::process::Child, limit_s: u64) -> Output {
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed().as_secs() > limit_s {
            let _ = child.kill();
            panic!("kneetrack still running after {limit_s} s: hung");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_stalled_encoder_is_an_error_not_a_hang() {
    let (dir, clip, bytes) = clip_folder();
    let d = dir.path();
    for (case, body) in [
        // Takes no frame at all (and its child keeps the pipe: the whole group must go).
        ("reads nothing", "echo partial > \"$out\"; sleep 1000"),
        // Takes every frame, then never exits.
        ("never exits", "cat > \"$out\"; sleep 1000"),
    ] {
        let fake = fake_ffmpeg(body);
        let o = wait_at_most(spawn_with_ffmpeg(d, fake.path(), "2"), 300);
        assert_one_line_failure(&o, 1, "(stalled): stopped it");
        assert!(
            stderr(&o).contains("out.mp4: cannot write video"),
            "{case}: {}",
            stderr(&o)
        );
        assert_eq!(listing(d), ["x.mp4"], "{case}: something partial left");
    }
    assert_eq!(std::fs::read(&clip).unwrap(), bytes);
}

#[test]
fn an_interrupted_video_leaves_no_temporary_file_and_no_encoder() {
    let (dir, clip, bytes) = clip_folder();
    let d = dir.path();
    for (signal, code) in [("INT", 130), ("TERM", 143)] {
        // Writes a little, notes its pid, then waits (as a slow encoder would).
        let fake = fake_ffmpeg(&format!(
            "echo $$ > '{}/pid'; echo partial > \"$out\"; exec sleep 1000",
            d.display()
        ));
        let child = spawn_with_ffmpeg(d, fake.path(), "600");
        let start = std::time::Instant::now();
        // The encoder has started once its temporary file is there.
        while !listing(d)
            .iter()
            .any(|n| n.starts_with(".x.mp4") || n.starts_with(".out.mp4"))
        {
            assert!(
                start.elapsed().as_secs() < 300,
                "no temporary file: {:?}",
                listing(d)
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let sent = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(child.id().to_string())
            .status()
            .unwrap();
        assert!(sent.success());
        let o = wait_at_most(child, 60);
        assert_eq!(o.status.code(), Some(code), "SIG{signal}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
        let pid = std::fs::read_to_string(d.join("pid")).unwrap();
        std::fs::remove_file(d.join("pid")).unwrap();
        assert_eq!(listing(d), ["x.mp4"], "SIG{signal}: left behind");
        let state =
            std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())).unwrap_or_default();
        assert!(
            state.is_empty() || state.contains(") Z "),
            "SIG{signal}: the encoder still runs: {state}"
        );
    }
    assert_eq!(std::fs::read(&clip).unwrap(), bytes);
}

#[test]
fn an_interrupted_batch_writes_its_summary_of_the_clips_finished() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (name, sample) in [("a", "valgus.mp4"), ("b", "good.mp4"), ("c", "good.mp4")] {
        std::fs::copy(crate::common::sample(sample), d.join(format!("{name}.mp4"))).unwrap();
    }
    std::fs::create_dir(d.join("out")).unwrap();
    let real = String::from_utf8(
        Command::new("sh")
            .args(["-c", "command -v ffmpeg"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    // Encodes a's annotated video for real, then stalls on b's (a slow clip), noting its pid.
    let fake = fake_ffmpeg(&format!(
        "case \"$out\" in *b.*) echo $$ > '{}/pid'; echo partial > \"$out\"; exec sleep 1000;; esac\n\
         exec '{}' \"$@\"",
        d.display(),
        real.trim()
    ));
    let path = format!(
        "{}:{}",
        fake.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let child = Command::new(env!("CARGO_BIN_EXE_kneetrack"))
        .args(["analyze", "a.mp4", "b.mp4", "c.mp4", "-q", "-m", MODEL])
        .args(["--jobs", "1", "--out", "out", "--video", "out"])
        .current_dir(d)
        .env("PATH", path)
        .env("KNEETRACK_ENCODER_TIMEOUT_S", "600")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kneetrack");
    let start = std::time::Instant::now();
    while !d.join("pid").exists() {
        assert!(start.elapsed().as_secs() < 300, "b's encoder never started");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let o = wait_at_most(child, 60);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(130), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains("lists the 1 of 3 clips finished"), "{err}");
    let out = d.join("out");
    let names = listing(&out);
    assert!(
        !names.iter().any(|n| n.starts_with('.')),
        "temporary files left: {names:?}"
    );
    let reports: Vec<_> = names.iter().filter(|n| n.ends_with(".json")).collect();
    assert_eq!(reports.len(), 1, "{names:?}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join(reports[0])).unwrap()).unwrap();
    let verdict = report["assessment"]["verdict"].as_str().unwrap();
    let reps = report["assessment"]["reps"].as_array().unwrap().len();
    // The finished clip with its verdict and reps; the others listed as interrupted, counted so.
    let csv = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(lines[1].starts_with(&format!("a.mp4,{verdict},")), "{csv}");
    assert_eq!(lines[1].split(',').nth(3), Some(reps.to_string().as_str()));
    for (line, clip) in lines[2..].iter().zip(["b.mp4", "c.mp4"]) {
        assert!(line.starts_with(&format!("{clip},interrupted,")), "{csv}");
        assert!(line.contains("--skip-existing"), "{csv}");
    }
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains(">2 interrupted</button>"), "{index}");
    assert!(index.contains(&format!(">1 {verdict}</button>")), "{index}");
    assert!(index.contains("href=\"a.mp4.kneetrack.html\"") || index.contains(".html\">a.mp4</a>"));
    // b's encoder is gone, not left running.
    let pid = std::fs::read_to_string(d.join("pid")).unwrap();
    let state = std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())).unwrap_or_default();
    assert!(
        state.is_empty() || state.contains(") Z "),
        "the encoder still runs: {state}"
    );
}
