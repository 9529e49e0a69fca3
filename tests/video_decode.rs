//! Decoding generated clips: orientation, timestamps, frame counts.
use kneetrack::VideoReader;
use opencv::core::{Mat, Vec3b};
use opencv::prelude::*;

fn top_and_bottom_brightness(reader: &mut VideoReader) -> (f64, f64) {
    let mut stored = Mat::default();
    reader.read_stored(&mut stored).unwrap().expect("a frame");
    let mut display = Mat::default();
    reader
        .info()
        .orientation
        .to_display(&stored, &mut display)
        .unwrap();
    let (w, h) = (display.cols(), display.rows());
    let px = |x: i32, y: i32| display.at_2d::<Vec3b>(y, x).unwrap()[1] as f64;
    (px(w / 2, h / 6), px(w / 2, h * 5 / 6))
}

#[test]
fn rotated_phone_clips_come_out_upright() {
    let dir = tempfile::tempdir().unwrap();
    for tag in [90, 180, 270] {
        let clip = crate::common::rotated_marker_clip(dir.path(), tag);
        let mut reader = VideoReader::open(&clip).unwrap();
        let info = reader.info().clone();
        if tag != 180 {
            assert_eq!(
                (info.width, info.height),
                (180, 320),
                "rotate={tag} display size"
            );
        }
        let (top, bottom) = top_and_bottom_brightness(&mut reader);
        assert!(
            top > 200.0 && bottom < 50.0,
            "rotate={tag}: top {top} bottom {bottom}"
        );
    }
}

#[test]
fn timestamps_and_frame_count() {
    let dir = tempfile::tempdir().unwrap();
    let clip = dir.path().join("count.mp4");
    crate::common::ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=s=160x120:r=25:d=2",
        "-c:v",
        "libx264",
        "-bf",
        "2",
        "-pix_fmt",
        "yuv420p",
        clip.to_str().unwrap(),
    ]);
    let mut reader = VideoReader::open(&clip).unwrap();
    assert!((reader.info().fps - 25.0).abs() < 0.01);
    let mut frame = Mat::default();
    let mut stamps = Vec::new();
    while let Some(s) = reader.read_stored(&mut frame).unwrap() {
        stamps.push(s);
    }
    assert_eq!(stamps.len(), 50);
    for pair in stamps.windows(2) {
        let dt = pair[1].t_s - pair[0].t_s;
        assert!(
            (dt - 0.04).abs() < 0.002,
            "dt {dt} at frame {}",
            pair[1].index
        );
    }
}

#[test]
fn non_video_inputs_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.mp4");
    std::fs::write(&empty, b"").unwrap();
    let text = dir.path().join("notes.mp4");
    std::fs::write(&text, b"this is not a video\n").unwrap();
    let missing = dir.path().join("missing.mp4");
    for (path, want) in [
        (&empty, "empty"),
        (&text, "not a video"),
        (&missing, "No such file"),
    ] {
        let err = VideoReader::open(path)
            .err()
            .expect("must fail")
            .to_string();
        assert!(err.contains(want), "{err}");
        assert!(!err.contains('\n'));
    }
}

#[test]
fn real_portrait_clip_with_minus_90_rotation() {
    let Some(dir) = crate::common::shared_clips() else {
        return;
    };
    let clip = dir.join("NEG_arm_raise_rotation_minus90_eti_fast.mp4");
    let reader = VideoReader::open(&clip).unwrap();
    let info = reader.info();
    assert_eq!(
        (
            info.orientation.stored_width,
            info.orientation.stored_height
        ),
        (848, 480)
    );
    assert_eq!((info.width, info.height), (480, 848));
    assert_eq!(info.orientation.rotation_cw, 90);
}

#[test]
fn containers_and_codecs() {
    let dir = tempfile::tempdir().unwrap();
    for (name, codec) in [
        ("h264.mov", "libx264"),
        ("hevc.mp4", "libx265"),
        ("hevc.mkv", "libx265"),
        ("vp9.webm", "libvpx-vp9"),
        ("vp9.mkv", "libvpx-vp9"),
    ] {
        let clip = dir.path().join(name);
        crate::common::ffmpeg(&[
            "-f",
            "lavfi",
            "-i",
            "testsrc=s=320x240:r=30:d=1",
            "-c:v",
            codec,
            "-pix_fmt",
            "yuv420p",
            clip.to_str().unwrap(),
        ]);
        let mut reader = VideoReader::open(&clip).unwrap();
        assert_eq!(
            (reader.info().width, reader.info().height),
            (320, 240),
            "{name}"
        );
        let mut frame = Mat::default();
        let mut n = 0;
        while reader.read_stored(&mut frame).unwrap().is_some() {
            n += 1;
        }
        assert_eq!(n, 30, "{name}: frames");
    }
}

#[test]
fn a_thumbnail_stream_stored_first_is_not_analysed_instead_of_the_clip() {
    let dir = tempfile::tempdir().unwrap();
    let clip = dir.path().join("thumb-first.mp4");
    let valgus = crate::common::sample("valgus.mp4");
    // A 64×64 stream first, then the sample's own stream copied (the same frames and times).
    crate::common::ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "color=s=64x64:d=11",
        "-i",
        valgus.to_str().unwrap(),
        "-map",
        "0:v",
        "-map",
        "1:v",
        "-c:v:0",
        "libx264",
        "-c:v:1",
        "copy",
        "-shortest",
        clip.to_str().unwrap(),
    ]);
    let probe = std::process::Command::new("ffprobe")
        .args(["-v", "error", "-show_entries", "stream=index,width,height"])
        .args(["-of", "csv=p=0"])
        .arg(&clip)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&probe.stdout).trim(),
        "0,64,64\n1,540,960",
        "the fixture's thumbnail must come first"
    );
    let reader = VideoReader::open(&clip).unwrap();
    let alone = VideoReader::open(&valgus).unwrap();
    let (info, want) = (reader.info(), alone.info());
    assert_eq!((info.width, info.height), (540, 960));
    assert_eq!(info.frame_count, want.frame_count);
    assert_eq!(info.path, clip, "reported under the clip's own name");
    drop(reader);
    let leftovers: Vec<_> = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(&format!(".kneetrack-stream-{}-", std::process::id()))
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let (got, want) = (
        crate::common::analyze_json(&clip),
        crate::common::analyze_json(&valgus),
    );
    for key in ["verdict", "reps"] {
        assert_eq!(got["assessment"][key], want["assessment"][key], "{key}");
    }
    assert!(!want["assessment"]["reps"].as_array().unwrap().is_empty());
}
