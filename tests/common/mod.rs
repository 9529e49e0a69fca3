//! Helpers shared by the integration tests: generated clips and the shared real-clip folder.
#![allow(dead_code)]
use std::path::{Path, PathBuf};
use std::process::Command;

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
