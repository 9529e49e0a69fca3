//! Resource bounds, hostile names, batch names and honest messages (issue 14), each case a fixture
//! made here: the caps on `--threads` and `--jobs`, giant frames, a model declaring a giant input,
//! a stub ONNX Runtime library, names that are not UTF-8 or hold CR/LF/escapes, same-named clips,
//! kept reports that are not what they claim, a swapped model file. Every run is checked for its
//! exit code, its message, the absence of a panic and of leftovers.
use crate::common::{
    assert_one_line_failure, ffmpeg, kneetrack, listing, onnx_identity_model_of, sample, stderr,
};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn os(s: &str) -> &OsStr {
    OsStr::new(s)
}

/// Runs kneetrack with `args` and extra environment variables.
fn kneetrack_env(args: &[&OsStr], env: &[(&str, &OsStr)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kneetrack"));
    c.args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run kneetrack")
}

/// renamed).
fn short_clip(path: &Path) {
    let src = sample("good.mp4");
    let made = path.with_file_name("cut-in-progress.mp4");
    ffmpeg(&[
        "-i",
        src.to_str().unwrap(),
        "-t",
        "1.5",
        "-c",
        "copy",
        made.to_str().unwrap(),
    ]);
    std::fs::rename(&made, path).unwrap();
}

/// `analyze CLIPS… -m movenet-lightning EXTRA…`.
fn analyze(clips: &[&Path], extra: &[&OsStr]) -> Output {
    let mut args: Vec<&OsStr> = vec![os("analyze")];
    args.extend(clips.iter().map(|c| c.as_os_str()));
    args.extend([os("-m"), os("movenet-lightning")]);
    args.extend_from_slice(extra);
    kneetrack(&args)
}

#[test]
fn threads_and_jobs_beyond_their_caps_are_usage_errors() {
    let clip = sample("good.mp4");
    for threads in ["65", "1000", "100000"] {
        let o = analyze(&[&clip], &[os("--threads"), os(threads)]);
        assert_one_line_failure(&o, 2, "more than the 64 kneetrack allows");
        assert!(o.stdout.is_empty());
    }
    let o = analyze(&[&clip], &[os("--jobs"), os("100000")]);
    assert_one_line_failure(&o, 2, "--jobs 100000: must be 1 to ");
    let o = analyze(&[&clip], &[os("--jobs"), os("0")]);
    assert_one_line_failure(&o, 2, "--jobs 0: must be 1 to ");
    let o = kneetrack(&[
        "bench",
        "--model",
        "movenet-lightning",
        "--threads",
        "10000",
        "--runs",
        "1",
        "--warmup",
        "0",
    ]);
    assert_one_line_failure(&o, 2, "more than the 64 kneetrack allows");
}

#[test]
fn frames_above_the_pixel_cap_are_refused_before_decoding() {
    let dir = tempfile::tempdir().unwrap();
    // 120 KB of FFV1 that decodes to 256 Mpx frames (768 MB each as BGR).
    let clip = dir.path().join("huge.mkv");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "color=c=black:s=16000x16000:d=0.2:r=10",
        "-c:v",
        "ffv1",
        clip.to_str().unwrap(),
    ]);
    let out = dir.path().join("r.json");
    let o = analyze(&[&clip], &[os("--json"), out.as_os_str()]);
    assert_one_line_failure(
        &o,
        1,
        "frames of 16000×16000 (256.0 Mpx) are larger than the 33.2 Mpx (7680×4320, 8K UHD) kneetrack decodes",
    );
    assert!(stderr(&o).contains("huge.mkv"));
    assert_eq!(listing(dir.path()), ["huge.mkv"], "nothing written");
}

#[test]
fn a_model_declaring_a_giant_input_is_refused_when_it_opens() {
    let dir = tempfile::tempdir().unwrap();
    // int32 [1, 65536, 65536, 3]: MoveNet-shaped, 48 GiB of input buffer.
    let model = dir.path().join("giant.onnx");
    std::fs::write(&model, onnx_identity_model_of(6, &[1, 65536, 65536, 3])).unwrap();
    let clip = sample("good.mp4");
    let o = kneetrack(&[
        os("analyze"),
        clip.as_os_str(),
        os("--model"),
        model.as_os_str(),
    ]);
    assert_one_line_failure(
        &o,
        1,
        "declares shape [1, 65536, 65536, 3], more than the 16777216 values kneetrack allows per input",
    );
    assert!(stderr(&o).contains("giant.onnx"));
    // A sane MoveNet-shaped one of the same kind opens (and is then refused for its output).
    std::fs::write(&model, onnx_identity_model_of(6, &[1, 192, 192, 3])).unwrap();
    let o = kneetrack(&[
        os("analyze"),
        clip.as_os_str(),
        os("--model"),
        model.as_os_str(),
    ]);
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("more than the"), "{}", stderr(&o));
}

/// Compiles `source` into a shared library in `dir`; `None` (test skipped) without gcc.
fn stub_library(dir: &Path, name: &str, source: &str) -> Option<PathBuf> {
    let c = dir.join(format!("{name}.c"));
    let so = dir.join(format!("lib{name}.so"));
    std::fs::write(&c, source).unwrap();
    let built = Command::new("gcc")
        .args(["-shared", "-fPIC", "-o"])
        .arg(&so)
        .arg(&c)
        .output();
    match built {
        Ok(o) if o.status.success() => Some(so),
        Ok(o) => panic!("gcc failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(_) => {
            eprintln!("skipped: gcc is not installed");
            None
        }
    }
}

#[test]
fn a_stub_onnx_runtime_library_is_a_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    let clip = sample("good.mp4");
    let cases = [
        (
            "nullapi",
            r#"
            typedef struct { const void* (*GetApi)(unsigned); const char* (*GetVersionString)(void); } Base;
            static const void* get_api(unsigned v) { (void)v; return 0; }
            static const char* version(void) { return "1.22.0"; }
            static const Base base = { get_api, version };
            const Base* OrtGetApiBase(void) { return &base; }
            "#,
            "gives no API table for API version",
        ),
        (
            "nullbase",
            "const void* OrtGetApiBase(void) { return 0; }\n",
            "OrtGetApiBase returned NULL",
        ),
        (
            "nullversion",
            r#"
            typedef struct { const void* (*GetApi)(unsigned); const char* (*GetVersionString)(void); } Base;
            static const void* get_api(unsigned v) { (void)v; return 0; }
            static const char* version(void) { return 0; }
            static const Base base = { get_api, version };
            const Base* OrtGetApiBase(void) { return &base; }
            "#,
            "GetVersionString returned NULL",
        ),
        (
            "noexport",
            "int not_onnxruntime(void) { return 1; }\n",
            "does not export OrtGetApiBase",
        ),
    ];
    for (name, source, needle) in cases {
        let Some(lib) = stub_library(dir.path(), name, source) else {
            return;
        };
        let o = kneetrack_env(
            &[
                os("analyze"),
                clip.as_os_str(),
                os("-m"),
                os("movenet-lightning"),
            ],
            &[("KNEETRACK_ORT_LIB", lib.as_os_str())],
        );
        assert_one_line_failure(&o, 1, needle);
        assert!(
            stderr(&o).contains("ONNX Runtime"),
            "{name}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn thresholds_files_are_size_capped() {
    let dir = tempfile::tempdir().unwrap();
    let clip = sample("good.mp4");
    let big = dir.path().join("big.json");
    // Valid JSON, 2 MiB: a thresholds file is a few hundred bytes.
    let mut text = String::from("{\"fppa_good_max_deg\": 13");
    text.push_str(&" ".repeat(2 << 20));
    text.push('}');
    std::fs::write(&big, text).unwrap();
    for file in [big.as_path(), Path::new("/dev/zero")] {
        let o = analyze(&[&clip], &[os("--thresholds"), file.as_os_str()]);
        assert_one_line_failure(&o, 2, "larger than 1024 KiB, not a thresholds file");
    }
}

#[test]
fn names_that_are_not_utf8_or_hold_control_characters_are_safe_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let clips = dir.path().join("clips");
    std::fs::create_dir(&clips).unwrap();
    let raw = clips.join(OsStr::from_bytes(b"squat-\xff\xfe.mp4"));
    short_clip(&raw);
    let crlf = clips.join("a\r\nb,\"c\".mp4");
    short_clip(&crlf);
    let escape = clips.join("e\u{1b}]0;pwned\u{7}\u{1b}[31m\nkneetrack: error: forged.mp4");
    short_clip(&escape);
    let out = dir.path().join("out");
    let o = analyze(&[&clips], &[os("--out"), out.as_os_str()]);
    let err = stderr(&o);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(o.status.code(), Some(0), "{err}");
    // Nothing raw reaches the terminal: no ESC, BEL, CR; no line that is not ours.
    for stream in [&o.stdout, &o.stderr] {
        assert!(
            !stream.iter().any(|&b| b == 0x1b || b == 0x07 || b == b'\r'),
            "{}",
            String::from_utf8_lossy(stream)
        );
    }
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        !stdout
            .lines()
            .any(|l| l.starts_with("kneetrack: error: forged")),
        "{stdout}"
    );
    assert!(stdout.contains("3 clips:"), "{stdout}");
    // Every clip has its report, named with valid UTF-8, its source the lossy name.
    let reports: Vec<String> = listing(&out)
        .into_iter()
        .filter(|n| n.ends_with(".kneetrack.json"))
        .collect();
    assert_eq!(reports.len(), 3, "{reports:?}");
    let sources: Vec<String> = reports
        .iter()
        .map(|n| {
            let v: serde_json::Value =
                serde_json::from_slice(&std::fs::read(out.join(n)).unwrap()).unwrap();
            v["info"]["path"].as_str().unwrap().to_string()
        })
        .collect();
    assert!(
        sources
            .iter()
            .any(|s| s.ends_with("squat-\u{fffd}\u{fffd}.mp4")),
        "{sources:?}"
    );
    // The summary CSV stays 4 records of the header's width however the names are spelt.
    let csv = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let records = parse_csv(&csv);
    assert_eq!(records.len(), 4, "{csv:?}");
    assert!(
        records.iter().all(|r| r.len() == records[0].len()),
        "{records:?}"
    );
    let names: Vec<&str> = records[1..].iter().map(|r| r[0].as_str()).collect();
    assert!(
        names.iter().any(|n| n.ends_with("a\r\nb,\"c\".mp4")),
        "{names:?}"
    );
    // A failing clip's error names it escaped, in one line.
    let bad = clips.join("x\n\u{1b}[2Jkneetrack: error: forged.mp4");
    std::fs::write(&bad, b"").unwrap();
    let o = analyze(&[&bad], &[]);
    assert_one_line_failure(
        &o,
        1,
        "x\\n\\u{1b}[2Jkneetrack: error: forged.mp4: is empty",
    );
}

/// RFC 4180 records: quoted fields may hold commas, quotes (doubled), CR and LF.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut records, mut record, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    records
}

/// The reports in `out`, by the clip each names.
fn report_sources(out: &Path) -> Vec<(String, String)> {
    listing(out)
        .into_iter()
        .filter(|n| n.ends_with(".kneetrack.json"))
        .map(|n| {
            let v: serde_json::Value =
                serde_json::from_slice(&std::fs::read(out.join(&n)).unwrap()).unwrap();
            (n, v["info"]["path"].as_str().unwrap().to_string())
        })
        .collect()
}

#[test]
fn same_named_clips_get_their_own_reports_in_every_shard() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    std::fs::create_dir(&a).unwrap();
    std::fs::create_dir(&b).unwrap();
    short_clip(&a.join("x.mp4"));
    // b/x.mp4 is an empty room: it must never be shown with a/x.mp4's verdict.
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "color=c=gray:s=160x120:r=10:d=1",
        "-pix_fmt",
        "yuv420p",
        b.join("x.mp4").to_str().unwrap(),
    ]);
    let out = dir.path().join("out");
    for shard in ["1/2", "2/2"] {
        let o = analyze(
            &[&a, &b],
            &[os("--shard"), os(shard), os("--out"), out.as_os_str()],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let sources = report_sources(&out);
    assert_eq!(sources.len(), 2, "{sources:?}");
    for (name, source) in &sources {
        let folder = Path::new(source).parent().unwrap().file_name().unwrap();
        assert!(name.starts_with("x-"), "{name}");
        // Each name belongs to one clip, the same in both shards and in a full run.
        assert_ne!(sources[0].0, sources[1].0);
        assert!(folder == "a" || folder == "b", "{source}");
    }
    // A full resume keeps both, each by its own report.
    let o = analyze(
        &[&a, &b],
        &[os("--skip-existing"), os("--out"), out.as_os_str()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(stdout.matches("already analysed").count(), 2, "{stdout}");
    assert!(
        !stderr(&o).contains("analysing the clip again"),
        "{}",
        stderr(&o)
    );
    assert_eq!(report_sources(&out), sources);
}

#[test]
fn the_same_clip_given_twice_is_analysed_once() {
    let dir = tempfile::tempdir().unwrap();
    let clip = dir.path().join("x.mp4");
    short_clip(&clip);
    let dotted = dir.path().join(".").join("x.mp4");
    let out = dir.path().join("out");
    let o = analyze(
        &[&clip, &clip, &dotted, dir.path()],
        &[os("--jobs"), os("2"), os("--out"), out.as_os_str()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert_eq!(csv.lines().count(), 2, "one row: {csv}");
    assert_eq!(
        listing(&out),
        [
            "index.html",
            "summary.csv",
            "x.kneetrack.html",
            "x.kneetrack.json"
        ]
    );
}

#[test]
fn kept_reports_that_are_not_this_clips_are_analysed_again() {
    let dir = tempfile::tempdir().unwrap();
    let clips = dir.path().join("clips");
    std::fs::create_dir(&clips).unwrap();
    short_clip(&clips.join("p.mp4"));
    short_clip(&clips.join("q.mp4"));
    let out = dir.path().join("out");
    let run = || {
        analyze(
            &[&clips],
            &[os("--skip-existing"), os("--out"), out.as_os_str()],
        )
    };
    let o = run();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let p = out.join("p.kneetrack.json");
    let q = out.join("q.kneetrack.json");
    let q_report = std::fs::read(&q).unwrap();
    let broken: [(&[u8], &str); 6] = [
        (b"{}", "not a kneetrack report (no schema_version)"),
        (b"null", "not a kneetrack report (no schema_version)"),
        (b"{", "unreadable report: "),
        (b"\xff\xfe", "not UTF-8 text"),
        (
            br#"{"schema_version": 99, "info": {"path": "x"}}"#,
            "schema_version 99, not one this kneetrack reads (1 to 2)",
        ),
        (q_report.as_slice(), "q.mp4, not of this clip"),
    ];
    for (bytes, why) in broken {
        std::fs::write(&p, bytes).unwrap();
        let o = run();
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(o.status.code(), Some(0), "{why}: {err}");
        assert!(
            err.contains("p.kneetrack.json: ") && err.contains(why),
            "{why}: {err}"
        );
        assert!(err.contains("; analysing the clip again"), "{err}");
        assert_eq!(
            err.lines().filter(|l| l.contains("note:")).count(),
            1,
            "{err}"
        );
        // p is analysed again and its report is its own; q is kept.
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
        assert!(v["info"]["path"].as_str().unwrap().ends_with("p.mp4"));
        assert_eq!(v["schema_version"], 2);
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert_eq!(stdout.matches("(kept)").count(), 1, "{stdout}");
    }
    let leftovers: Vec<String> = listing(&out)
        .into_iter()
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn messages_say_what_is_true() {
    let dir = tempfile::tempdir().unwrap();
    let clip = sample("good.mp4");
    // A model path that is a folder.
    let folder = dir.path().join("model.onnx");
    std::fs::create_dir(&folder).unwrap();
    let o = kneetrack(&[
        os("analyze"),
        clip.as_os_str(),
        os("--model"),
        folder.as_os_str(),
    ]);
    assert_one_line_failure(&o, 1, "model.onnx: is a folder, not an .onnx file");
    // A shard with nothing in it.
    let o = analyze(
        &[&sample("good.mp4"), &sample("valgus.mp4")],
        &[os("--shard"), os("5/1000")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stderr(&o).trim_end(),
        "kneetrack: shard 5/1000 holds no clips (2 clips in all)"
    );
}

#[test]
fn a_swapped_model_file_is_refused_and_a_custom_one_named_by_its_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let models = Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
    let swapped = dir.path().join("models");
    std::fs::create_dir(&swapped).unwrap();
    std::fs::copy(models.join("models.json"), swapped.join("models.json")).unwrap();
    // Lightning copied over Thunder.
    std::fs::copy(
        models.join("movenet-lightning.onnx"),
        swapped.join("movenet-thunder.onnx"),
    )
    .unwrap();
    let clip = sample("good.mp4");
    let o = kneetrack_env(
        &[
            os("analyze"),
            clip.as_os_str(),
            os("-m"),
            os("movenet-thunder"),
        ],
        &[("KNEETRACK_MODELS", swapped.as_os_str())],
    );
    assert_one_line_failure(&o, 1, "is not the movenet-thunder of models/models.json");
    assert!(
        stderr(&o).contains("the file of movenet-lightning"),
        "{}",
        stderr(&o)
    );
    // Given as a file, it is used and named for what it is.
    let o = kneetrack(&[
        os("analyze"),
        clip.as_os_str(),
        os("--model"),
        swapped.join("movenet-thunder.onnx").as_os_str(),
        os("--json"),
        os("-"),
        os("-q"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["model"], "movenet-lightning");
}

#[test]
fn a_batch_with_a_failing_clip_still_writes_its_summary() {
    let dir = tempfile::tempdir().unwrap();
    let clips = dir.path().join("clips");
    std::fs::create_dir(&clips).unwrap();
    short_clip(&clips.join("ok.mp4"));
    std::fs::write(clips.join("broken.mp4"), b"not a video").unwrap();
    let out = dir.path().join("out");
    let o = analyze(&[&clips], &[os("--out"), out.as_os_str(), os("-q")]);
    assert_one_line_failure(&o, 1, "broken.mp4: is not a video that can be decoded");
    let csv = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(csv.contains(",error,"), "{csv}");
    assert!(out.join("index.html").is_file());
    assert!(out.join("ok.kneetrack.json").is_file());
}
