//! Streaming video decode with phone orientation handled by us, not by OpenCV.
//!
//! OpenCV 4.6 reads the rotation from the display matrix with the wrong sign and so auto-rotates
//! portrait phone clips the wrong way (opencv#22088). We switch auto-rotation off, read the raw
//! angle, and map coordinates ourselves — usually without rotating the full frame at all: the pose
//! crop folds the rotation into its affine warp (see [`Orientation::display_to_stored`]).
use crate::error::{Error, Result};
use opencv::core::{self, Mat};
use opencv::prelude::*;
use opencv::videoio::{self, VideoCapture};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The shape of a stored pixel, width : height (the stream's sample aspect ratio). Players stretch
/// non-square pixels to the right shape, and so does kneetrack, before any angle is measured: a
/// 270×960 stream at 2:1 is a 540×960 picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PixelAspect {
    pub num: u32,
    pub den: u32,
}

impl PixelAspect {
    pub const SQUARE: PixelAspect = PixelAspect { num: 1, den: 1 };

    /// From the container's numbers; anything unusable, or within 1% of square, is square.
    pub fn new(num: f64, den: f64) -> Self {
        let usable = |v: f64| (1.0..=1e6).contains(&v);
        if !usable(num) || !usable(den) {
            return PixelAspect::SQUARE;
        }
        let (num, den) = (num.round() as u32, den.round() as u32);
        let ratio = num as f64 / den as f64;
        if !(0.1..=10.0).contains(&ratio) || (ratio - 1.0).abs() < 0.01 {
            return PixelAspect::SQUARE;
        }
        PixelAspect { num, den }
    }

    pub fn is_square(&self) -> bool {
        self.num == self.den
    }

    pub fn ratio(&self) -> f64 {
        self.num as f64 / self.den as f64
    }
}

impl Default for PixelAspect {
    fn default() -> Self {
        PixelAspect::SQUARE
    }
}

/// How the stored (coded) frame must be turned, and stretched, to be shown upright.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Orientation {
    /// Clockwise rotation, in degrees (0, 90, 180, 270), from stored to display.
    pub rotation_cw: u32,
    pub stored_width: u32,
    pub stored_height: u32,
    /// Left out of the JSON for square pixels (nearly every clip).
    #[serde(skip_serializing_if = "PixelAspect::is_square")]
    pub pixel_aspect: PixelAspect,
}

impl Orientation {
    pub fn upright(width: u32, height: u32) -> Self {
        Orientation {
            rotation_cw: 0,
            stored_width: width,
            stored_height: height,
            pixel_aspect: PixelAspect::SQUARE,
        }
    }

    /// The stored width in square pixels.
    fn square_width(&self) -> u32 {
        if self.pixel_aspect.is_square() {
            self.stored_width
        } else {
            ((self.stored_width as f64 * self.pixel_aspect.ratio()).round() as u32).max(1)
        }
    }

    /// Width and height of the frame as shown to a person (square pixels).
    pub fn display_size(&self) -> (u32, u32) {
        let w = self.square_width();
        match self.rotation_cw {
            90 | 270 => (self.stored_height, w),
            _ => (w, self.stored_height),
        }
    }

    /// The affine map (2×3, row-major) from display pixel coordinates to stored pixel coordinates.
    pub fn display_to_stored(&self) -> [[f64; 3]; 2] {
        let w = self.square_width() as f64;
        let h = self.stored_height as f64;
        let to_square = match self.rotation_cw {
            // A stored pixel (x, y) shows at (h-1-y, x) after a clockwise quarter turn.
            90 => [[0.0, 1.0, 0.0], [-1.0, 0.0, h - 1.0]],
            180 => [[-1.0, 0.0, w - 1.0], [0.0, -1.0, h - 1.0]],
            270 => [[0.0, -1.0, w - 1.0], [1.0, 0.0, 0.0]],
            _ => [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]],
        };
        if self.pixel_aspect.is_square() {
            return to_square;
        }
        // Square-pixel x to stored x, pixel centres kept: x = (x_sq + 0.5) * w / w_sq - 0.5.
        let k = self.stored_width as f64 / w;
        crate::pose::crop::compose([[k, 0.0, 0.5 * k - 0.5], [0.0, 1.0, 0.0]], to_square)
    }

    /// Turns (and stretches) a stored frame to display orientation (needed only for writing
    /// pictures).
    pub fn to_display(&self, stored: &Mat, out: &mut Mat) -> Result<()> {
        let mut stretched = Mat::default();
        let source = if self.pixel_aspect.is_square() {
            stored
        } else {
            opencv::imgproc::resize(
                stored,
                &mut stretched,
                core::Size::new(self.square_width() as i32, self.stored_height as i32),
                0.0,
                0.0,
                opencv::imgproc::INTER_LINEAR,
            )
            .map_err(Error::opencv)?;
            &stretched
        };
        let code = match self.rotation_cw {
            90 => core::ROTATE_90_CLOCKWISE,
            180 => core::ROTATE_180,
            270 => core::ROTATE_90_COUNTERCLOCKWISE,
            _ => {
                source.copy_to(out).map_err(Error::opencv)?;
                return Ok(());
            }
        };
        core::rotate(source, out, code).map_err(Error::opencv)
    }
}

/// What we know about a clip before decoding it.
#[derive(Debug, Clone, Serialize)]
pub struct VideoInfo {
    /// In JSON as lossy UTF-8: a name that is not UTF-8 still gets its report.
    #[serde(serialize_with = "lossy_path")]
    pub path: PathBuf,
    pub orientation: Orientation,
    /// Display width and height (after rotation).
    pub width: u32,
    pub height: u32,
    /// Nominal frame rate from the container; real timestamps come per frame.
    pub fps: f64,
    /// Frame count from the container; an estimate for some formats.
    pub frame_count: Option<u64>,
    pub codec: String,
}

/// A path as lossy UTF-8 (serde refuses a path that is not UTF-8).
fn lossy_path<S: serde::Serializer>(path: &Path, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&crate::names::lossy(path))
}

/// Index and presentation time of one decoded frame.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FrameStamp {
    pub index: u64,
    pub t_s: f64,
}

/// What a path that is not a regular file is instead (a clip must be a file: the decoder seeks).
fn not_regular(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "is a FIFO (named pipe), not a regular file: save the video to a file first"
    } else if kind.is_char_device() {
        "is a character device, not a regular file"
    } else if kind.is_block_device() {
        "is a block device, not a regular file"
    } else if kind.is_socket() {
        "is a socket, not a regular file"
    } else {
        "is not a regular file"
    }
}

/// A clip opened for streaming decode: one frame in memory at a time.
pub struct VideoReader {
    capture: VideoCapture,
    info: VideoInfo,
    next_index: u64,
    last_t_s: Option<f64>,
}

impl VideoReader {
    pub fn open(path: &Path) -> Result<Self> {
        let meta = std::fs::metadata(path).map_err(|e| Error::input(path, e.to_string()))?;
        if meta.is_dir() {
            return Err(Error::input(path, "is a directory, not a video file"));
        }
        if !meta.is_file() {
            return Err(Error::input(path, not_regular(&meta.file_type())));
        }
        // OpenCV says only that it could not open the file: an unreadable one is named here.
        std::fs::File::open(path)
            .map_err(|e| Error::input(path, format!("cannot be read: {e}")))?;
        if meta.len() == 0 {
            return Err(Error::input(path, "is empty (0 bytes)"));
        }
        let not_video = || Error::input(path, "is not a video that can be decoded");
        // The main video stream alone, when another (a thumbnail) comes first (see `streams`).
        let copy = super::streams::main_stream_copy(path);
        let opened = VideoCapture::from_file(
            copy.as_deref().unwrap_or(path).as_os_str(),
            videoio::CAP_FFMPEG,
        );
        if let Some(copy) = &copy {
            super::streams::forget(copy);
        }
        let mut capture = opened.map_err(|_| not_video())?;
        if !capture.is_opened().unwrap_or(false) {
            return Err(not_video());
        }
        // Switch OpenCV's own (wrong-way) rotation off; we apply the metadata angle ourselves.
        let _ = capture.set(videoio::CAP_PROP_ORIENTATION_AUTO, 0.0);
        let get = |c: &VideoCapture, prop| c.get(prop).unwrap_or(0.0);
        let stored_width = get(&capture, videoio::CAP_PROP_FRAME_WIDTH).max(0.0) as u32;
        let stored_height = get(&capture, videoio::CAP_PROP_FRAME_HEIGHT).max(0.0) as u32;
        if stored_width == 0 || stored_height == 0 {
            return Err(not_video());
        }
        if let Some(why) = crate::limits::frame_too_large(stored_width, stored_height) {
            return Err(Error::input(path, why));
        }
        let rotation_cw = rotation_from_meta(get(&capture, videoio::CAP_PROP_ORIENTATION_META));
        let fps = get(&capture, videoio::CAP_PROP_FPS);
        let fps = if fps.is_finite() && fps > 0.0 && fps < 2000.0 {
            fps
        } else {
            30.0
        };
        let count = get(&capture, videoio::CAP_PROP_FRAME_COUNT);
        let frame_count = (count.is_finite() && count >= 1.0).then_some(count as u64);
        let fourcc = get(&capture, videoio::CAP_PROP_FOURCC) as u32;
        let codec: String = fourcc
            .to_le_bytes()
            .iter()
            .map(|&b| if b.is_ascii_graphic() { b as char } else { '?' })
            .collect();
        let orientation = Orientation {
            rotation_cw,
            stored_width,
            stored_height,
            pixel_aspect: PixelAspect::new(
                get(&capture, videoio::CAP_PROP_SAR_NUM),
                get(&capture, videoio::CAP_PROP_SAR_DEN),
            ),
        };
        let (width, height) = orientation.display_size();
        Ok(VideoReader {
            capture,
            info: VideoInfo {
                path: path.to_path_buf(),
                orientation,
                width,
                height,
                fps,
                frame_count,
                codec,
            },
            next_index: 0,
            last_t_s: None,
        })
    }

    pub fn info(&self) -> &VideoInfo {
        &self.info
    }

    /// Decodes the next frame, as stored (not rotated), into `frame`. `None` at the end of the clip.
    pub fn read_stored(&mut self, frame: &mut Mat) -> Result<Option<FrameStamp>> {
        let ok = self
            .capture
            .read(frame)
            .map_err(|e| Error::input(&self.info.path, format!("decode failed: {e}")))?;
        if !ok || frame.empty() {
            return Ok(None);
        }
        Ok(Some(self.stamp_next()))
    }

    /// Decodes the next frame without converting it to a picture (the codec decodes every frame:
    /// later ones depend on it; the conversion to BGR, about a third of a frame's decode cost, is
    /// left to [`VideoReader::retrieve_stored`], for the frames wanted). `None` at the end.
    pub fn grab(&mut self) -> Result<Option<FrameStamp>> {
        let ok = self
            .capture
            .grab()
            .map_err(|e| Error::input(&self.info.path, format!("decode failed: {e}")))?;
        Ok(ok.then(|| self.stamp_next()))
    }

    /// The frame last grabbed, as stored (not rotated), into `frame`; `false` if there is none.
    pub fn retrieve_stored(&mut self, frame: &mut Mat) -> Result<bool> {
        let ok = self
            .capture
            .retrieve(frame, 0)
            .map_err(|e| Error::input(&self.info.path, format!("decode failed: {e}")))?;
        Ok(ok && !frame.empty())
    }

    /// The stamp of the frame just decoded, from the decoder's position.
    fn stamp_next(&mut self) -> FrameStamp {
        let pos_ms = self.capture.get(videoio::CAP_PROP_POS_MSEC).unwrap_or(0.0);
        let t_s = next_timestamp(self.last_t_s, pos_ms / 1000.0, self.info.fps);
        let stamp = FrameStamp {
            index: self.next_index,
            t_s,
        };
        self.next_index += 1;
        self.last_t_s = Some(t_s);
        stamp
    }
}

/// OpenCV 4.6 reports the display matrix angle negated (counter-clockwise is reported as clockwise),
/// so the clockwise turn that shows the frame upright is the complement of what it reports.
pub fn rotation_from_meta(meta: f64) -> u32 {
    if !meta.is_finite() {
        return 0;
    }
    let reported = ((meta.round() as i64).rem_euclid(360) / 90 * 90) as u32;
    (360 - reported) % 360
}

/// A frame's time: the decoder's position when it moves forward, else one nominal frame after the
/// previous frame (the last B-frame-delayed frames of a clip report 0).
pub fn next_timestamp(previous: Option<f64>, reported: f64, fps: f64) -> f64 {
    match previous {
        None => reported.max(0.0),
        Some(prev) if reported.is_finite() && reported > prev => reported,
        Some(prev) => prev + 1.0 / fps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::Point;
    use crate::pose::crop::apply;

    #[test]
    fn display_to_stored_matches_opencv_rotate() {
        // Stored 4x2 frame (w=4, h=2). Rotating 90° clockwise moves stored (0,0) to display (1,0).
        let o = Orientation {
            rotation_cw: 90,
            stored_width: 4,
            stored_height: 2,
            pixel_aspect: PixelAspect::SQUARE,
        };
        assert_eq!(o.display_size(), (2, 4));
        assert_eq!(apply(o.display_to_stored(), 1.0, 0.0), Point::new(0.0, 0.0));
        assert_eq!(apply(o.display_to_stored(), 0.0, 3.0), Point::new(3.0, 1.0));
        let o270 = Orientation {
            rotation_cw: 270,
            ..o
        };
        // Counter-clockwise: stored (0,0) shows at display bottom-left (0, 3).
        assert_eq!(
            apply(o270.display_to_stored(), 0.0, 3.0),
            Point::new(0.0, 0.0)
        );
        let o180 = Orientation {
            rotation_cw: 180,
            ..o
        };
        assert_eq!(
            apply(o180.display_to_stored(), 0.0, 0.0),
            Point::new(3.0, 1.0)
        );
    }

    #[test]
    fn non_square_pixels_are_stretched_to_the_picture_players_show() {
        // 270×960 stored at 2:1 shows as 540×960; pixel centres map back to pixel centres.
        let o = Orientation {
            pixel_aspect: PixelAspect::new(2.0, 1.0),
            ..Orientation::upright(270, 960)
        };
        assert_eq!(o.display_size(), (540, 960));
        let m = o.display_to_stored();
        assert_eq!(apply(m, 0.5, 10.0), Point::new(0.0, 10.0));
        assert_eq!(apply(m, 539.5, 10.0), Point::new(269.5, 10.0));
        // Turned a quarter, the stretch stays on the stored x axis (the display's y).
        let turned = Orientation {
            rotation_cw: 90,
            ..o
        };
        assert_eq!(turned.display_size(), (960, 540));
        assert_eq!(
            apply(turned.display_to_stored(), 100.0, 0.5),
            Point::new(0.0, 859.0)
        );
        let mut out = Mat::default();
        let stored =
            Mat::new_rows_cols_with_default(960, 270, core::CV_8UC3, core::Scalar::all(9.0))
                .unwrap();
        o.to_display(&stored, &mut out).unwrap();
        assert_eq!((out.cols(), out.rows()), (540, 960));
        // Unusable or nearly square numbers are square.
        assert!(PixelAspect::new(0.0, 1.0).is_square());
        assert!(PixelAspect::new(f64::NAN, 1.0).is_square());
        assert!(PixelAspect::new(100.0, 100.5).is_square());
    }

    #[test]
    fn meta_angle_is_complemented() {
        assert_eq!(rotation_from_meta(0.0), 0);
        assert_eq!(rotation_from_meta(270.0), 90);
        assert_eq!(rotation_from_meta(90.0), 270);
        assert_eq!(rotation_from_meta(180.0), 180);
        assert_eq!(rotation_from_meta(-90.0), 90);
        assert_eq!(rotation_from_meta(f64::NAN), 0);
    }

    #[test]
    fn timestamps_never_go_backwards() {
        assert_eq!(next_timestamp(None, 0.0, 30.0), 0.0);
        assert_eq!(next_timestamp(Some(1.0), 1.04, 25.0), 1.04);
        // B-frame tail reporting 0: continue at the nominal rate.
        assert!((next_timestamp(Some(2.0), 0.0, 25.0) - 2.04).abs() < 1e-12);
    }
}
