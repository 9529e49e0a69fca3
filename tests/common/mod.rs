//! Helpers shared by the integration tests: generated clips and the shared real-clip folder.
#![allow(dead_code)]
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the `kneetrack` binary built for these tests.
pub fn kneetrack<S: AsRef<OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kneetrack"))
        .args(args)
        .output()
        .expect("run kneetrack")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A failure is exit code 1 with exactly one line on stderr that names the problem.
pub fn assert_one_line_error(o: &Output, needle: &str) {
    assert_one_line_failure(o, 1, needle);
}

/// A usage error (a misspelt name, a bad thresholds file, flags that do not go together) is exit
/// code 2 with exactly one line on stderr that names the problem.
pub fn assert_one_line_usage_error(o: &Output, needle: &str) {
    assert_one_line_failure(o, 2, needle);
}

/// Exit `code`, no panic, and one line on stderr that starts `kneetrack: error: ` and holds `needle`.
pub fn assert_one_line_failure(o: &Output, code: i32, needle: &str) {
    let err = stderr(o);
    assert!(!err.contains("panicked"), "panic: {err}");
    assert_eq!(o.status.code(), Some(code), "stderr: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "not one line: {err:?}");
    assert!(err.starts_with("kneetrack: error: "), "{err}");
    assert!(err.contains(needle), "{err:?} lacks {needle:?}");
}

/// The names of the files in `dir`, sorted.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `kneetrack analyze --quiet --json - CLIP` with the default model: the JSON report; panics with
/// stderr when the clip could not be analysed.
pub fn analyze_json(clip: &Path) -> serde_json::Value {
    analyze_json_with(clip, &[])
}

/// `kneetrack analyze --quiet --json - ARGS… CLIP`, which must succeed; its JSON report.
pub fn analyze_json_with(clip: &Path, args: &[&str]) -> serde_json::Value {
    let mut all: Vec<&OsStr> = ["analyze", "--quiet", "--json", "-"]
        .iter()
        .map(OsStr::new)
        .collect();
    all.extend(args.iter().map(OsStr::new));
    all.push(clip.as_os_str());
    let o = kneetrack(&all);
    assert!(o.status.success(), "{}: {}", clip.display(), stderr(&o));
    serde_json::from_slice(&o.stdout).expect("JSON report")
}

/// A bundled sample clip.
pub fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

/// Runs ffmpeg quietly; panics with its stderr on failure (tests need their fixtures).
pub fn ffmpeg(args: &[&str]) {
    let out = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y"])
        .args(args)
        .output()
        .expect("ffmpeg not found: run scripts/setup.sh");
    assert!(
        out.status.success(),
        "ffmpeg {:?} failed: {}",
        args,
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A portrait 180x320 test clip whose top half is white and bottom half black, stored turned with
/// rotation metadata (`rotate=tag`) so that a correct player shows it upright. Which way the tag
/// turns differs between ffmpeg versions, so ffmpeg's own auto-rotating decode is the judge: the
/// stored frame is turned whichever way makes ffmpeg show white on top.
pub fn rotated_marker_clip(dir: &Path, rotate_tag: i32) -> PathBuf {
    let upright = dir.join("upright.mp4");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "color=c=black:s=180x320:r=30:d=1",
        "-vf",
        "drawbox=x=0:y=0:w=180:h=160:color=white:t=fill",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        upright.to_str().unwrap(),
    ]);
    let turns: [&str; 2] = match rotate_tag {
        90 | 270 => ["transpose=1", "transpose=2"],
        180 => ["transpose=1,transpose=1", "transpose=1,transpose=1"],
        _ => ["null", "null"],
    };
    let tagged = dir.join(format!("marker_rot{rotate_tag}.mp4"));
    for turn in turns {
        let stored = dir.join("stored.mp4");
        ffmpeg(&[
            "-noautorotate",
            "-i",
            upright.to_str().unwrap(),
            "-vf",
            turn,
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            stored.to_str().unwrap(),
        ]);
        let tag = format!("rotate={rotate_tag}");
        ffmpeg(&[
            "-i",
            stored.to_str().unwrap(),
            "-c",
            "copy",
            "-metadata:s:v:0",
            &tag,
            tagged.to_str().unwrap(),
        ]);
        if ffmpeg_shows_white_on_top(&tagged) {
            return tagged;
        }
    }
    panic!("could not make ffmpeg show the rotate={rotate_tag} marker upright");
}

/// Decodes the first frame with ffmpeg's auto-rotation and checks the top is white, bottom black.
pub fn ffmpeg_shows_white_on_top(clip: &Path) -> bool {
    let out = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-i"])
        .arg(clip)
        .args(["-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-"])
        .output()
        .expect("ffmpeg");
    let px = out.stdout;
    if px.len() != 180 * 320 {
        return false;
    }
    px[40 * 180 + 90] > 200 && px[280 * 180 + 90] < 50
}

/// The shared real clips folder (`../shared/clips` beside the repository), if present.
pub fn shared_clips() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/clips");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: {} is missing (real clips are not in the repository)",
            dir.display()
        );
        None
    }
}

/// A minimal valid ONNX model (float input X [1] → Identity → Y), hand-encoded protobuf, so the
/// tests need no Python: ONNX Runtime loads it, and kneetrack must reject it as not a pose model.
pub fn onnx_identity_model() -> Vec<u8> {
    onnx_identity_model_of(1, &[1])
}

/// A model `X → Identity → Y` whose input and output are `elem_type` tensors of shape `dims`,
/// as ONNX protobuf bytes (hand-encoded: the tests need no Python).
pub fn onnx_identity_model_of(elem_type: u64, dims: &[u64]) -> Vec<u8> {
    fn varint(mut n: u64) -> Vec<u8> {
        let mut v = Vec::new();
        loop {
            let b = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                v.push(b);
                return v;
            }
            v.push(b | 0x80);
        }
    }
    fn field(tag: u8, payload: &[u8]) -> Vec<u8> {
        [vec![tag], varint(payload.len() as u64), payload.to_vec()].concat()
    }
    let int = |tag: u8, n: u64| [vec![tag], varint(n)].concat();
    // TensorShapeProto { dim { dim_value } … }
    let shape: Vec<u8> = dims
        .iter()
        .flat_map(|&d| field(0x0a, &int(0x08, d)))
        .collect();
    let tensor_type = [int(0x08, elem_type), field(0x12, &shape)].concat();
    let type_proto = field(0x0a, &tensor_type);
    let value_info = |name: &str| [field(0x0a, name.as_bytes()), field(0x12, &type_proto)].concat();
    let node = [
        field(0x0a, b"X"),
        field(0x12, b"Y"),
        field(0x22, b"Identity"),
    ]
    .concat();
    let graph = [
        field(0x0a, &node),
        field(0x12, b"g"),
        field(0x5a, &value_info("X")),
        field(0x62, &value_info("Y")),
    ]
    .concat();
    let opset = [field(0x0a, b""), int(0x10, 13)].concat();
    [int(0x08, 7), field(0x3a, &graph), field(0x42, &opset)].concat()
}

/// Decodes every frame of a clip, in display orientation.
pub fn display_frames(path: &Path) -> (kneetrack::VideoInfo, Vec<opencv::core::Mat>) {
    let mut r = kneetrack::VideoReader::open(path).unwrap();
    let info = r.info().clone();
    let mut out = Vec::new();
    let mut stored = opencv::core::Mat::default();
    while r.read_stored(&mut stored).unwrap().is_some() {
        let mut display = opencv::core::Mat::default();
        info.orientation.to_display(&stored, &mut display).unwrap();
        out.push(display);
    }
    (info, out)
}
