//! Writing the clip: OpenCV VideoWriter (H.264 when available, else mp4v), optional rotation tag via
//! the ffmpeg CLI, and atomic replacement of the output files.
use super::SynthConfig;
use crate::error::{Error, Result};
use crate::output::atomic::{temp_sibling, TempGuard};
use crate::video::open_writer;
use opencv::core::{self, Mat, Size};
use opencv::videoio::VideoWriterTrait;
use std::path::Path;
use std::process::Command;

/// What was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    /// FourCC actually used, e.g. "avc1" or "mp4v".
    pub codec: String,
    pub stored_width: u32,
    pub stored_height: u32,
}

/// Is the ffmpeg CLI available?
pub fn ffmpeg_available() -> bool {
    Command::new("ffmpeg")
        .arg("-version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// Stream-copy `src` to `dst` adding a rotation tag (degrees clockwise for display).
fn tag_rotation(src: &Path, dst: &Path, rotate: u32) -> Result<()> {
    let out = Command::new("ffmpeg")
        .args(["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i"])
        .arg(src)
        .args(["-map", "0", "-c", "copy", "-metadata:s:v:0"])
        .arg(format!("rotate={rotate}"))
        .args(["-f", "mp4"])
        .arg(dst)
        .output()
        .map_err(|e| {
            let message = format!(
                "--rotate {rotate} needs the ffmpeg command-line tool to tag the video's rotation, but running \
                 `ffmpeg` failed ({e}); install ffmpeg or use --rotate 0"
            );
            Error::Encode {
                message,
                source: Some(Box::new(e)),
            }
        })?;
    if !out.status.success() {
        return Err(Error::encode(format!(
            "ffmpeg failed to add the rotation tag: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}

/// Re-encode `src` to `dst` (H.264) with the sample aspect ratio `num:den` set in the stream, so
/// players and readers stretch the squeezed frames back.
fn tag_sar(src: &Path, dst: &Path, [num, den]: [u32; 2]) -> Result<()> {
    let out = Command::new("ffmpeg")
        .args(["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i"])
        .arg(src)
        .arg("-vf")
        .arg(format!("setsar={num}/{den}"))
        .args([
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "16", "-pix_fmt", "yuv420p", "-f",
            "mp4",
        ])
        .arg(dst)
        .output()
        .map_err(|e| Error::Encode {
            message: format!(
                "--sar {num}:{den} needs the ffmpeg command-line tool, but running `ffmpeg` failed ({e})"
            ),
            source: Some(Box::new(e)),
        })?;
    if !out.status.success() {
        return Err(Error::encode(format!(
            "ffmpeg failed to tag the sample aspect ratio: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}

/// The display-matrix rotation of the first video stream as ffprobe reports it (degrees
/// counter-clockwise, normalised to 0..360), `Some(0)` when untagged, `None` when ffprobe is unusable.
pub fn probe_rotation_ccw(path: &Path) -> Option<u32> {
    let j = crate::video::probe::ffprobe_json(
        path,
        &[
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream_side_data=rotation",
            "-of",
            "json",
        ],
    )?;
    let rot = j["streams"][0]["side_data_list"]
        .as_array()
        .and_then(|l| l.iter().find_map(|d| d["rotation"].as_f64()))
        .unwrap_or(0.0);
    Some(((rot.round() as i64).rem_euclid(360)) as u32)
}

/// Render `n` frames with `render(i)` (upright BGR frames of the configured size), store them rotated
/// for `cfg.rotate`, and write the mp4 at `out` atomically.
pub fn write_video(
    cfg: &SynthConfig,
    out: &Path,
    n: usize,
    mut render: impl FnMut(usize) -> Result<Mat>,
) -> Result<Written> {
    let squeezed = cfg.sar[0] != cfg.sar[1];
    if squeezed && !ffmpeg_available() {
        return Err(Error::encode(format!(
            "--sar {}:{} needs the ffmpeg command-line tool (to tag the pixels' shape), but `ffmpeg` was not \
             found on PATH; install ffmpeg or use --sar 1:1",
            cfg.sar[0], cfg.sar[1]
        )));
    }
    if cfg.rotate != 0 && !ffmpeg_available() {
        return Err(Error::encode(format!(
            "--rotate {} needs the ffmpeg command-line tool (to tag the mp4's rotation), but `ffmpeg` was not \
             found on PATH; install ffmpeg or use --rotate 0",
            cfg.rotate
        )));
    }
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.is_dir() {
            return Err(Error::output(out, "its folder does not exist"));
        }
    }
    let w = cfg.stored_display_width();
    let (sw, sh) = if cfg.rotate % 180 == 90 {
        (cfg.height, w)
    } else {
        (w, cfg.height)
    };
    let tmp = temp_sibling(out, "tmp");
    let mut guard = TempGuard::new(Some(tmp.clone()));
    let (mut writer, codec) =
        open_writer(&tmp, cfg.codec, cfg.fps, Size::new(sw as i32, sh as i32))?;
    let mut stored = Mat::default();
    let mut narrow = Mat::default();
    for i in 0..n {
        let mut frame = render(i)?;
        if squeezed {
            // Stored squeezed: `sar` pixels wide each, as an anamorphic camera or a re-encode makes them.
            opencv::imgproc::resize(
                &frame,
                &mut narrow,
                Size::new(w as i32, cfg.height as i32),
                0.0,
                0.0,
                opencv::imgproc::INTER_AREA,
            )?;
            std::mem::swap(&mut frame, &mut narrow);
        }
        // A player rotates the stored frame clockwise by `rotate`; store it rotated the other way.
        let f = match cfg.rotate {
            90 => {
                core::rotate(&frame, &mut stored, core::ROTATE_90_COUNTERCLOCKWISE)?;
                &stored
            }
            180 => {
                core::rotate(&frame, &mut stored, core::ROTATE_180)?;
                &stored
            }
            270 => {
                core::rotate(&frame, &mut stored, core::ROTATE_90_CLOCKWISE)?;
                &stored
            }
            _ => &frame,
        };
        writer.write(f)?;
    }
    writer.release()?;
    drop(writer);
    let len = std::fs::metadata(&tmp).map(|m| m.len()).unwrap_or(0);
    if len == 0 {
        return Err(Error::encode(format!(
            "OpenCV wrote an empty video ({codec}) to {}",
            tmp.display()
        )));
    }
    // The ffmpeg passes read `tmp` (the guard removes it) and leave their result in `src`.
    let mut src = tmp.clone();
    let sar_tmp = temp_sibling(out, "sar");
    let mut g_sar = TempGuard::new(None);
    if squeezed {
        g_sar.set(sar_tmp.clone());
        tag_sar(&tmp, &sar_tmp, cfg.sar)?;
        src = sar_tmp.clone();
    }
    if cfg.rotate != 0 {
        let tagged = temp_sibling(out, "rot");
        let mut g2 = TempGuard::new(Some(tagged.clone()));
        // The meaning of ffmpeg's `rotate` metadata flipped between versions (4.x: clockwise; 5.x:
        // counter-clockwise). Tag, check the resulting display matrix with ffprobe, and flip if needed.
        let want_ccw = (360 - cfg.rotate) % 360;
        tag_rotation(&src, &tagged, cfg.rotate)?;
        if let Some(got) = probe_rotation_ccw(&tagged) {
            if got != want_ccw {
                tag_rotation(&src, &tagged, want_ccw)?;
                match probe_rotation_ccw(&tagged) {
                    Some(g) if g == want_ccw => {}
                    other => {
                        return Err(Error::encode(format!(
                            "could not tag a {}° clockwise rotation with ffmpeg (display matrix says {:?}° counter-clockwise)",
                            cfg.rotate,
                            other
                        )))
                    }
                }
            }
        }
        std::fs::rename(&tagged, out).map_err(|e| Error::output_caused(out, "cannot write", e))?;
        g2.disarm();
    } else {
        std::fs::rename(&src, out).map_err(|e| Error::output_caused(out, "cannot write", e))?;
        if squeezed {
            g_sar.disarm();
        } else {
            guard.disarm();
        }
    }
    let codec = if squeezed { "avc1".to_string() } else { codec };
    Ok(Written {
        codec,
        stored_width: sw,
        stored_height: sh,
    })
}
