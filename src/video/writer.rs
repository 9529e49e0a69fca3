//! The encoder behind the annotated video (`--video`).
//!
//! OpenCV 4.6's `VideoWriter` encodes H.264 with x264's default preset `medium` and offers no way to
//! choose another (it does not honour `OPENCV_FFMPEG_WRITER_OPTIONS`), which made `--video` add
//! 64–208% to the analysis time. So where the ffmpeg command-line tool with libx264 is installed,
//! the display frames are piped into it as raw BGR and encoded with a fast preset
//! ([`X264_PRESET`]); OpenCV's writer remains the fallback where it is not. Either way the output is
//! an H.264 mp4 of the clip's fps; odd frame sides are cropped to even ones (4:2:0 needs them).
use crate::error::{first_line, Error, Result};
use crate::video::open_writer;
use crate::video::Codec;
use opencv::core::{Mat, Size};
use opencv::imgproc;
use opencv::prelude::*;
use opencv::videoio::{VideoWriter, VideoWriterTrait};
use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, sync_channel, Receiver, SyncSender};
use std::sync::mpsc::{RecvTimeoutError, TryRecvError};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// `KNEETRACK_VIDEO_WRITER=opencv` uses OpenCV's writer even where ffmpeg is installed (to test
/// the fallback, or to compare the two).
pub const BACKEND_ENV: &str = "KNEETRACK_VIDEO_WRITER";

/// x264 preset of the ffmpeg backend. Encoding the 720×1300 annotated real clip (288 frames, CRF
/// 23, SSIM against the frames sent): `medium` (OpenCV's) 10.5 CPU-s, 1.6 MB, SSIM 0.994;
/// `veryfast` 4.3 CPU-s, 1.4 MB, 0.991; `superfast` 3.1 CPU-s, 2.6 MB, 0.993; `ultrafast`
/// 1.9 CPU-s, 5.6 MB, 0.988. `superfast` is the slowest preset that brings `--video` near the +50%
/// goal on a 2-core machine (BENCHMARKS.md).
pub const X264_PRESET: &str = "superfast";

/// x264's default constant-quality level, the one OpenCV's writer uses too.
const X264_CRF: &str = "23";

/// Seconds ffmpeg may go without taking a frame, and may take to finish after the last one,
/// before it is taken for stalled, killed and the video given up (`KNEETRACK_ENCODER_TIMEOUT_S`
/// overrides it). Encoding a 1080p frame takes milliseconds; 60 s is a hang, not a slow machine.
pub const ENCODER_TIMEOUT_S: u64 = 60;

/// Overrides [`ENCODER_TIMEOUT_S`] (whole seconds, at least 1).
pub const ENCODER_TIMEOUT_ENV: &str = "KNEETRACK_ENCODER_TIMEOUT_S";

fn encoder_timeout() -> Duration {
    let s = std::env::var(ENCODER_TIMEOUT_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(ENCODER_TIMEOUT_S);
    Duration::from_secs(s.max(1))
}

/// Is the ffmpeg CLI on PATH with the libx264 encoder? Asked once per process.
pub fn ffmpeg_libx264_available() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        Command::new("ffmpeg")
            .args(["-hide_banner", "-h", "encoder=libx264"])
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            // "Encoder libx264 [...]", or "Codec 'libx264' is not recognized" (exit status 0).
            .is_ok_and(|o| o.status.success() && o.stdout.starts_with(b"Encoder libx264"))
    })
}

/// Where the annotated frames go: the ffmpeg CLI when it can, else OpenCV's writer.
pub enum FrameSink {
    Ffmpeg(FfmpegSink),
    OpenCv { writer: VideoWriter, size: Size },
}

impl FrameSink {
    /// Opens a writer for `size` BGR frames at `fps` into `path` (an mp4, whatever its name).
    /// Returns the sink and a description of the codec for [`crate::output::annotate::VideoOutput`].
    pub fn open(path: &Path, fps: f64, size: Size) -> Result<(FrameSink, String)> {
        let forced_opencv =
            std::env::var(BACKEND_ENV).is_ok_and(|v| v.eq_ignore_ascii_case("opencv"));
        if !forced_opencv && ffmpeg_libx264_available() {
            let sink = FfmpegSink::spawn(path, fps, size)?;
            return Ok((
                FrameSink::Ffmpeg(sink),
                format!("h264 (ffmpeg libx264 {X264_PRESET})"),
            ));
        }
        let (writer, codec) = open_writer(path, Codec::Auto, fps, size)?;
        // OpenCV's H.264 writer crops odd sides too (321x241 comes out 320x240).
        let size = if codec == "mp4v" { size } else { even(size) };
        Ok((FrameSink::OpenCv { writer, size }, codec))
    }

    /// Width and height of the frames in the file.
    pub fn size(&self) -> Size {
        match self {
            FrameSink::Ffmpeg(s) => even(s.size),
            FrameSink::OpenCv { size, .. } => *size,
        }
    }

    /// Appends one BGR frame (of the size given to [`FrameSink::open`]).
    pub fn write(&mut self, frame: &Mat) -> Result<()> {
        match self {
            FrameSink::Ffmpeg(s) => s.write(frame),
            FrameSink::OpenCv { writer, .. } => Ok(writer.write(frame)?),
        }
    }

    /// Finishes the file; an error means it is not usable.
    pub fn finish(self) -> Result<()> {
        match self {
            FrameSink::Ffmpeg(s) => s.finish(),
            FrameSink::OpenCv { mut writer, .. } => Ok(writer.release()?),
        }
    }
}

/// `path` for ffmpeg: with "file:" in front, so that a name like `a:b.mp4` is not taken for a
/// protocol.
fn file_url(path: &Path) -> std::ffi::OsString {
    let mut url = std::ffi::OsString::from("file:");
    url.push(path);
    url
}

/// The largest even-sided size inside `s`.
fn even(s: Size) -> Size {
    Size::new(s.width & !1, s.height & !1)
}

/// A running `ffmpeg` reading raw BGR frames from its stdin. A thread feeds the pipe, so that the
/// next frame is decoded and drawn while ffmpeg takes in the last one. Dropped unfinished (an error
/// on either side), it kills the process, so the caller can remove the half-written file. ffmpeg
/// leads its own process group, killed whole (a wrapper script's children too), and is given
/// [`ENCODER_TIMEOUT_S`] to take each frame and to finish: a stalled encoder is an error, not a hang.
pub struct FfmpegSink {
    child: Child,
    /// Frames on their way to the feeding thread (one queued).
    frames: Option<SyncSender<Vec<u8>>>,
    /// Buffers the feeding thread is done with, for reuse.
    spare: Receiver<Vec<u8>>,
    /// Frames sent and not yet handed back: at most two (one queued, one being written).
    in_flight: usize,
    /// The feeding thread's outcome, sent when it ends.
    fed: Receiver<std::io::Result<()>>,
    /// ffmpeg's stderr, collected as it comes (so that a chatty ffmpeg never blocks on a full
    /// pipe), sent when it closes.
    stderr: Receiver<String>,
    timeout: Duration,
    size: Size,
    /// Holds a frame resized or made continuous before it is sent.
    scratch: Mat,
    finished: bool,
}

impl FfmpegSink {
    fn spawn(path: &Path, fps: f64, size: Size) -> Result<Self> {
        let out = even(size);
        if out.width == 0 || out.height == 0 {
            return Err(Error::encode(format!(
                "a {}x{} frame is too small for H.264",
                size.width, size.height
            )));
        }
        let mut cmd = Command::new("ffmpeg");
        cmd.args(["-hide_banner", "-loglevel", "error", "-y"])
            .args(["-f", "rawvideo", "-pix_fmt", "bgr24"])
            .arg("-s")
            .arg(format!("{}x{}", size.width, size.height))
            .arg("-r")
            .arg(format!("{fps}"))
            .args(["-i", "-", "-an"]);
        if out != size {
            cmd.arg("-vf")
                .arg(format!("crop={}:{}:0:0", out.width, out.height));
        }
        cmd.args(["-c:v", "libx264", "-preset", X264_PRESET, "-crf", X264_CRF])
            .args([
                // ffmpeg converts BGR with the BT.601 matrix into video range; the file says so,
                // so that players do not guess BT.709 for HD sizes and shift the colours.
                "-color_range",
                "tv",
                "-colorspace",
                "smpte170m",
                "-pix_fmt",
                "yuv420p",
                "-movflags",
                "+faststart",
                "-f",
                "mp4",
            ])
            .arg(file_url(path))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .process_group(0);
        let mut child = crate::interrupt::spawn_group(&mut cmd)
            .map_err(|e| Error::encode_caused("cannot run ffmpeg", e))?;
        let (stderr_tx, stderr) = channel();
        if let Some(mut pipe) = child.stderr.take() {
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                let _ = pipe.read_to_end(&mut buf);
                let _ = stderr_tx.send(String::from_utf8_lossy(&buf).into_owned());
            });
        }
        let (frames, queued) = sync_channel::<Vec<u8>>(1);
        let (done, spare) = channel();
        let (fed_tx, fed) = channel();
        if let Some(mut stdin) = child.stdin.take() {
            std::thread::spawn(move || {
                let fed = (|| {
                    for buf in queued {
                        stdin.write_all(&buf)?;
                        let _ = done.send(buf);
                    }
                    Ok(())
                })();
                drop(stdin);
                let _ = fed_tx.send(fed);
            });
        }
        Ok(FfmpegSink {
            child,
            frames: Some(frames),
            spare,
            in_flight: 0,
            fed,
            stderr,
            timeout: encoder_timeout(),
            size,
            scratch: Mat::default(),
            finished: false,
        })
    }

    fn write(&mut self, frame: &Mat) -> Result<()> {
        if frame.typ() != opencv::core::CV_8UC3 {
            return Err(Error::encode("frame is not 8-bit BGR"));
        }
        let mut buf = self.spare_buffer()?;
        let frame = if frame.size()? != self.size {
            // A stream that changes resolution mid-way: keep the file's size.
            imgproc::resize(
                frame,
                &mut self.scratch,
                self.size,
                0.0,
                0.0,
                imgproc::INTER_AREA,
            )?;
            &self.scratch
        } else if !frame.is_continuous() {
            frame.copy_to(&mut self.scratch)?;
            &self.scratch
        } else {
            frame
        };
        buf.clear();
        buf.extend_from_slice(frame.data_bytes()?);
        let sent = self.frames.as_ref().is_some_and(|f| f.send(buf).is_ok());
        self.in_flight += 1;
        if !sent {
            // The feeding thread stopped: ffmpeg quit reading. Its stderr says why.
            let why = self.stop();
            return Err(Error::encode(format!("ffmpeg stopped: {why}")));
        }
        Ok(())
    }

    /// A buffer the feeding thread is done with (or a new one). With two frames in flight the
    /// next send would wait on ffmpeg: wait at most the timeout for it to take one.
    fn spare_buffer(&mut self) -> Result<Vec<u8>> {
        let mut spare = None;
        loop {
            match self.spare.try_recv() {
                Ok(b) => {
                    self.in_flight -= 1;
                    spare = Some(b);
                }
                Err(TryRecvError::Empty) => break,
                // The feeding thread ended: the send fails and says why.
                Err(TryRecvError::Disconnected) => return Ok(spare.unwrap_or_default()),
            }
        }
        if spare.is_none() && self.in_flight >= 2 {
            match self.spare.recv_timeout(self.timeout) {
                Ok(b) => {
                    self.in_flight -= 1;
                    spare = Some(b);
                }
                Err(RecvTimeoutError::Timeout) => {
                    self.stop();
                    return Err(Error::encode(format!(
                        "ffmpeg took no frame for {} s (stalled): stopped it",
                        self.timeout.as_secs()
                    )));
                }
                Err(RecvTimeoutError::Disconnected) => {}
            }
        }
        Ok(spare.unwrap_or_default())
    }

    fn finish(mut self) -> Result<()> {
        match self.shut_down(false) {
            None => Ok(()),
            Some(why) => Err(Error::encode(format!("ffmpeg failed: {why}"))),
        }
    }

    /// Kills ffmpeg (if still running), waits for it and its threads and says why it stopped.
    fn stop(&mut self) -> String {
        self.shut_down(true).unwrap_or_else(|| "stopped".into())
    }

    /// Kills ffmpeg's whole process group.
    fn kill(&mut self) {
        crate::interrupt::kill_group(self.child.id());
        let _ = self.child.kill();
    }

    /// Closes the frame queue (with `kill`, ends ffmpeg first), then waits for the feeding
    /// thread, ffmpeg and its stderr, each at most the timeout (then ffmpeg is killed: stalled).
    /// Returns `None` when ffmpeg took every frame and exited 0, else why not, most telling
    /// first: a stall, the first line of its stderr, else its exit status if it exited by
    /// itself, else the pipe error, else how it ended.
    fn shut_down(&mut self, kill: bool) -> Option<String> {
        if self.finished {
            return None;
        }
        self.finished = true;
        drop(self.frames.take());
        if kill {
            self.kill();
        }
        let mut stalled = false;
        // With the queue closed the feeder ends after its last write; a killed ffmpeg makes that
        // write fail at once.
        let fed = match self.fed.recv_timeout(self.timeout) {
            Ok(fed) => fed,
            Err(RecvTimeoutError::Timeout) => {
                stalled = true;
                self.kill();
                self.fed.recv().unwrap_or(Ok(()))
            }
            Err(RecvTimeoutError::Disconnected) => Ok(()),
        };
        let deadline = Instant::now() + self.timeout;
        let status = loop {
            match self.child.try_wait() {
                Ok(Some(s)) => break Some(s),
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(5))
                }
                Ok(None) => {
                    stalled = true;
                    self.kill();
                    break self.child.wait().ok();
                }
                Err(_) => break None,
            }
        };
        crate::interrupt::forget_group(self.child.id());
        let stderr = self
            .stderr
            .recv_timeout(Duration::from_secs(1))
            .map(|s| first_line(&s))
            .unwrap_or_default();
        if stalled {
            return Some(format!(
                "it did not finish within {} s (stalled): stopped it",
                self.timeout.as_secs()
            ));
        }
        match (status, fed) {
            (Some(s), Ok(())) if s.success() => None,
            _ if !stderr.is_empty() => Some(stderr),
            // A kill from us leaves no exit code.
            (Some(s), _) if s.code().is_some_and(|c| c != 0) => Some(s.to_string()),
            (_, Err(e)) => Some(format!("writing to it: {e}")),
            (s, Ok(())) => Some(s.map_or_else(|| "stopped".into(), |s| s.to_string())),
        }
    }
}

impl Drop for FfmpegSink {
    fn drop(&mut self) {
        if !self.finished {
            self.stop();
        }
    }
}
