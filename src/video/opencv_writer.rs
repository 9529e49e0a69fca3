//! OpenCV's video writer: the annotated video's fallback encoder and the synthetic clips' encoder.
use crate::error::{Error, Result};
use opencv::core::Size;
use opencv::prelude::*;
use opencv::videoio::VideoWriter;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Video codec choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Codec {
    /// H.264 if the OpenCV build can write it, else MPEG-4 Part 2 (mp4v).
    Auto,
    H264,
    Mp4v,
}

/// Opens OpenCV's writer with the first FourCC of `codec` that this OpenCV build can write.
pub fn open_writer(
    path: &Path,
    codec: Codec,
    fps: f64,
    size: Size,
) -> Result<(VideoWriter, String)> {
    let candidates: &[&str] = match codec {
        Codec::Auto => &["avc1", "H264", "mp4v"],
        Codec::H264 => &["avc1", "H264"],
        Codec::Mp4v => &["mp4v"],
    };
    let p = path
        .to_str()
        .ok_or_else(|| Error::encode(format!("output path is not UTF-8: {}", path.display())))?;
    for cc in candidates {
        let c: Vec<char> = cc.chars().collect();
        let fourcc = VideoWriter::fourcc(c[0], c[1], c[2], c[3])?;
        let w = VideoWriter::new(p, fourcc, fps, size, true)?;
        if w.is_opened()? {
            return Ok((w, cc.to_string()));
        }
    }
    Err(Error::encode(format!(
        "OpenCV could not open a video writer for {} with codec(s) {:?}",
        path.display(),
        candidates
    )))
}
