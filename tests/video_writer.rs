//! The two encoders behind `--video` (see `kneetrack::video_writer`): the ffmpeg CLI where it is
//! installed, OpenCV's writer as the fallback (forced with KNEETRACK_VIDEO_WRITER=opencv). Both
//! give an H.264 mp4 of the clip's (even-cropped) size, rate and length with the same pictures; a
//! failing ffmpeg is a one-line error that leaves nothing behind.
use kneetrack::BACKEND_ENV;
use opencv::core::{self, Mat};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const MODEL: &str = "movenet-lightning";

/// `kneetrack analyze --video out clip` with extra environment.
fn analyze(env: &[(&str, &OsStr)], out: &Path, clip: &Path) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kneetrack"));
    c.args(["analyze", "--quiet", "--model", MODEL, "--video"])
        .arg(out)
        .arg(clip);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run kneetrack")
}

/// One second of a test pattern at NTSC's 30000/1001 fps with odd sides (MPEG-4 Part 2 allows
/// them; H.264 4:2:0 does not, so the annotated video is 320x240).
fn odd_clip(dir: &Path) -> PathBuf {
    let clip = dir.join("odd.mp4");
    crate::common::ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=s=321x241:r=30000/1001:d=1",
        "-c:v",
        "mpeg4",
        "-q:v",
        "2",
        clip.to_str().unwrap(),
    ]);
    clip
}

/// ffprobe's view of the first video stream, frames counted by decoding.
fn probe(path: &Path) -> serde_json::Value {
    let o = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-count_frames",
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream=codec_name,pix_fmt,width,height,r_frame_rate,nb_read_frames,color_range,color_space",
            "-of",
            "json",
        ])
        .arg(path)
        .output()
        .expect("ffprobe not found: run scripts/setup.sh");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    j["streams"][0].clone()
}

/// The top-level box types of an mp4, in file order.
fn top_level_boxes(path: &Path) -> Vec<String> {
    let b = std::fs::read(path).unwrap();
    let mut at = 0usize;
    let mut out = Vec::new();
    while at + 8 <= b.len() {
        let size = u32::from_be_bytes(b[at..at + 4].try_into().unwrap()) as u64;
        out.push(String::from_utf8_lossy(&b[at + 4..at + 8]).into_owned());
        let size = match size {
            0 => break,
            1 => u64::from_be_bytes(b[at + 8..at + 16].try_into().unwrap()),
            s => s,
        };
        at += size as usize;
    }
    out
}

/// The x264 settings string that x264 stores in the stream.
fn x264_options(path: &Path) -> String {
    let b = std::fs::read(path).unwrap();
    let text = String::from_utf8_lossy(&b);
    let start = text
        .find("options: ")
        .expect("no x264 settings in the file");
    text[start..]
        .chars()
        .take_while(|c| !c.is_control())
        .collect()
}

/// Files left in `dir` whose names start with '.' (the writers' temporary files).
fn hidden_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect()
}

#[test]
fn ffmpeg_writer_output_decodes_at_the_clip_size_rate_and_length() {
    assert!(
        kneetrack::ffmpeg_libx264_available(),
        "ffmpeg with libx264 is needed: run scripts/setup.sh"
    );
    let dir = tempfile::tempdir().unwrap();
    let clip = odd_clip(dir.path());
    let out = dir.path().join("annotated.mp4");
    let o = analyze(&[], &out, &clip);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (src, src_frames) = crate::common::display_frames(&clip);
    assert_eq!((src.width, src.height, src_frames.len()), (321, 241, 30));

    let p = probe(&out);
    assert_eq!(p["codec_name"], "h264", "{p}");
    assert_eq!(p["pix_fmt"], "yuv420p", "{p}");
    // Tagged BT.601 video range, which is what the conversion from BGR makes.
    assert_eq!(
        (&p["color_range"], &p["color_space"]),
        (&"tv".into(), &"smpte170m".into()),
        "{p}"
    );
    assert_eq!(
        (p["width"].as_u64(), p["height"].as_u64()),
        (Some(320), Some(240))
    );
    assert_eq!(p["r_frame_rate"], "30000/1001", "{p}");
    assert_eq!(p["nb_read_frames"], "30", "{p}");
    // The same through kneetrack's own (OpenCV) decoder.
    let (info, out_frames) = crate::common::display_frames(&out);
    assert_eq!((info.width, info.height, out_frames.len()), (320, 240, 30));
    assert!(
        (info.fps - src.fps).abs() < 0.01,
        "{} vs {}",
        info.fps,
        src.fps
    );

    // Written by the ffmpeg backend (x264 superfast: subme=1; OpenCV's medium has subme=7), ready
    // to stream (moov before mdat), and nothing else left in the folder.
    let opts = x264_options(&out);
    assert!(
        opts.contains("subme=1 ") && opts.contains("crf=23.0"),
        "{opts}"
    );
    let boxes = top_level_boxes(&out);
    let pos = |t: &str| boxes.iter().position(|b| b == t);
    assert!(
        pos("moov") < pos("mdat") && pos("mdat").is_some(),
        "{boxes:?}"
    );
    assert!(hidden_files(dir.path()).is_empty());
}

#[test]
fn opencv_fallback_writes_the_same_video() {
    let dir = tempfile::tempdir().unwrap();
    let clip = odd_clip(dir.path());
    let by_opencv = dir.path().join("opencv.mp4");
    let by_ffmpeg = dir.path().join("ffmpeg.mp4");
    let o = analyze(&[(BACKEND_ENV, OsStr::new("opencv"))], &by_opencv, &clip);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = analyze(&[], &by_ffmpeg, &clip);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let (src, _) = crate::common::display_frames(&clip);
    let (info, a) = crate::common::display_frames(&by_opencv);
    assert!(
        matches!(info.codec.as_str(), "avc1" | "h264" | "H264"),
        "{}",
        info.codec
    );
    assert_eq!((info.width, info.height, a.len()), (320, 240, 30));
    assert!(
        (info.fps - src.fps).abs() < 0.01,
        "{} vs {}",
        info.fps,
        src.fps
    );
    assert!(
        x264_options(&by_opencv).contains("subme=7 "),
        "not OpenCV's writer (x264 preset medium)"
    );
    // Same pictures, up to the two encoders' losses: same crop, same colours, same overlay.
    let (_, b) = crate::common::display_frames(&by_ffmpeg);
    assert_eq!(a.len(), b.len());
    for (i, (fa, fb)) in a.iter().zip(&b).enumerate() {
        let mut diff = Mat::default();
        core::absdiff(fa, fb, &mut diff).unwrap();
        let m = core::mean(&diff, &core::no_array()).unwrap();
        let worst = m[0].max(m[1]).max(m[2]);
        assert!(worst < 4.0, "frame {i}: mean difference {m:?}");
    }
    assert!(hidden_files(dir.path()).is_empty());
}

/// A stand-in `ffmpeg` on PATH: `encoder` is what `-h encoder=libx264` prints, `encode` is the
/// shell code run instead of an encode (with `$last` = the output file, less its "file:").
fn fake_ffmpeg(dir: &Path, encoder: &str, encode: &str) -> std::ffi::OsString {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = bin.join("ffmpeg");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\ncase \"$*\" in *encoder=libx264*) echo \"{encoder}\"; exit 0;; esac\n\
             for last; do :; done; last=${{last#file:}}\n{encode}\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut path = bin.into_os_string();
    path.push(":");
    path.push(std::env::var_os("PATH").unwrap_or_default());
    path
}

/// Runs `analyze --video` with a stand-in ffmpeg that claims libx264 and runs `encode`; checks
/// that it fails with exit code 1, one line on stderr naming the output, and nothing left in the
/// output's folder. Returns that line.
fn failed_encode(encode: &str) -> String {
    let encoder = "Encoder libx264 [libx264 H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10]:";
    let dir = tempfile::tempdir().unwrap();
    let clip = odd_clip(dir.path());
    let path = fake_ffmpeg(dir.path(), encoder, encode);
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let out = out_dir.join("annotated.mp4");
    let o = analyze(&[("PATH", &path)], &out, &clip);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(1), "{encode}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains(&*out.to_string_lossy()), "{err}");
    let left: Vec<_> = std::fs::read_dir(&out_dir).unwrap().flatten().collect();
    assert!(left.is_empty(), "{encode}: left behind {left:?}");
    err
}

#[test]
fn failing_ffmpeg_is_a_one_line_error_and_leaves_nothing() {
    // Dies after a few frames, or takes them all and then fails; both after starting the file.
    for encode in [
        "printf partial > \"$last\"; head -c 500000 >/dev/null; echo 'fake ffmpeg: encoder crashed' >&2; exit 1",
        "printf partial > \"$last\"; cat >/dev/null; echo 'fake ffmpeg: encoder crashed' >&2; exit 1",
    ] {
        let err = failed_encode(encode);
        assert!(err.contains("fake ffmpeg: encoder crashed"), "{err}");
    }
}

#[test]
fn silent_ffmpeg_failure_names_its_exit_status() {
    // Quits without a word: mid-stream (the pipe breaks too; the exit status is the better
    // reason), or after taking every frame.
    for encode in [
        "printf partial > \"$last\"; head -c 500000 >/dev/null; exit 3",
        "printf partial > \"$last\"; cat >/dev/null; exit 3",
    ] {
        let err = failed_encode(encode);
        assert!(
            err.contains("ffmpeg") && err.contains("exit status: 3"),
            "{encode}: {err}"
        );
    }
}

#[test]
fn ffmpeg_without_libx264_falls_back_to_opencv() {
    let dir = tempfile::tempdir().unwrap();
    let clip = odd_clip(dir.path());
    let path = fake_ffmpeg(
        dir.path(),
        "Codec 'libx264' is not recognized by FFmpeg.",
        "echo 'must not be used' >&2; exit 1",
    );
    let out = dir.path().join("annotated.mp4");
    let o = analyze(&[("PATH", &path)], &out, &clip);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (info, v) = crate::common::display_frames(&out);
    assert_eq!((info.width, info.height, v.len()), (320, 240, 30));
    assert!(x264_options(&out).contains("subme=7 "));
}

#[test]
fn colon_in_a_bare_file_name_is_not_taken_for_a_protocol() {
    let dir = tempfile::tempdir().unwrap();
    let clip = odd_clip(dir.path());
    let o = Command::new(env!("CARGO_BIN_EXE_kneetrack"))
        .current_dir(dir.path())
        .args(["analyze", "--quiet", "--model", MODEL, "--video", "a:b.mp4"])
        .arg(&clip)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (info, v) = crate::common::display_frames(&dir.path().join("a:b.mp4"));
    assert_eq!((info.width, info.height, v.len()), (320, 240, 30));
    assert!(hidden_files(dir.path()).is_empty());
}
