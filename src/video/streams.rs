//! Which video stream is the clip. OpenCV 4.6's FFmpeg backend reads only the first video stream
//! and refuses `CAP_PROP_VIDEO_STREAM` (an "unsupported parameter"), so a 64×64 thumbnail or a
//! cover picture stored first would be analysed instead of the clip. `ffprobe` lists the streams
//! (headers only, nothing decoded); when the main one is not first, `ffmpeg -c copy` puts it alone
//! in a temporary file (no re-encoding: the same frames, times and rotation) that the reader opens.
use crate::interrupt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One video stream, from `ffprobe`'s headers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StreamHeader {
    /// The stream's index among all streams of the file.
    pub index: u64,
    pub pixels: u64,
    pub duration_s: f64,
    /// A cover picture (one still frame), never the clip.
    pub attached_pic: bool,
}

/// The position, among `streams` (the file's video streams in order), of the main one: the most
/// pixels, then the longest, then the first; never a cover picture. `None` when there is none.
pub fn main_stream(streams: &[StreamHeader]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, s) in streams.iter().enumerate() {
        if s.attached_pic || s.pixels == 0 {
            continue;
        }
        let better = best.is_none_or(|b| {
            let b = &streams[b];
            (s.pixels, s.duration_s) > (b.pixels, b.duration_s)
        });
        if better {
            best = Some(i);
        }
    }
    best
}

/// The file's video streams, or `None` without `ffprobe` or when it cannot read the file.
fn video_streams(clip: &Path) -> Option<Vec<StreamHeader>> {
    let v = super::probe::ffprobe_json(
        clip,
        &[
            "-select_streams",
            "v",
            "-show_entries",
            "stream=index,width,height,duration:stream_disposition=attached_pic",
            "-of",
            "json",
        ],
    )?;
    let streams = v["streams"].as_array()?;
    Some(
        streams
            .iter()
            .filter_map(|s| {
                let dim = |k: &str| s[k].as_u64().unwrap_or(0);
                Some(StreamHeader {
                    index: s["index"].as_u64()?,
                    pixels: dim("width") * dim("height"),
                    duration_s: s["duration"]
                        .as_str()
                        .and_then(|d| d.parse().ok())
                        .filter(|d: &f64| d.is_finite())
                        .unwrap_or(0.0),
                    attached_pic: s["disposition"]["attached_pic"].as_u64() == Some(1),
                })
            })
            .collect(),
    )
}

/// A temporary copy of the clip's main video stream alone, when it is not the first video stream
/// (what OpenCV would read); `None` when the first is the main one or the streams cannot be told.
/// The caller opens it, then removes it ([`forget`]); it is removed too if the run is interrupted.
pub fn main_stream_copy(clip: &Path) -> Option<PathBuf> {
    let streams = video_streams(clip)?;
    let main = main_stream(&streams)?;
    if main == 0 {
        return None;
    }
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let tmp =
        std::env::temp_dir().join(format!(".kneetrack-stream-{}-{n}.mp4", std::process::id()));
    interrupt::register_temp(&tmp);
    let ok = Command::new("ffmpeg")
        .args(["-v", "error", "-nostdin", "-y", "-i"])
        .arg(clip)
        .args(["-map", &format!("0:{}", streams[main].index)])
        .args(["-c", "copy", "-f", "mp4"])
        .arg(&tmp)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        Some(tmp)
    } else {
        forget(&tmp);
        None
    }
}

/// Removes the copy (once opened, the decoder keeps reading it through its open descriptor).
pub fn forget(copy: &Path) {
    let _ = std::fs::remove_file(copy);
    interrupt::forget_temp(copy);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(index: u64, pixels: u64, duration_s: f64, attached_pic: bool) -> StreamHeader {
        StreamHeader {
            index,
            pixels,
            duration_s,
            attached_pic,
        }
    }

    #[test]
    fn the_main_stream_has_the_most_pixels_then_the_longest_then_comes_first() {
        assert_eq!(main_stream(&[]), None);
        assert_eq!(
            main_stream(&[s(0, 64 * 64, 4.0, false), s(1, 540 * 960, 4.0, false)]),
            Some(1)
        );
        assert_eq!(
            main_stream(&[s(0, 100, 4.0, false), s(2, 100, 9.0, false)]),
            Some(1)
        );
        assert_eq!(
            main_stream(&[s(0, 100, 4.0, false), s(1, 100, 4.0, false)]),
            Some(0)
        );
        // A cover picture, however large, is never the clip.
        assert_eq!(
            main_stream(&[s(0, 4000 * 4000, 0.0, true), s(1, 100, 4.0, false)]),
            Some(1)
        );
        assert_eq!(main_stream(&[s(0, 4000 * 4000, 0.0, true)]), None);
    }
}
