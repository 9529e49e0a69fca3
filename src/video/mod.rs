//! Video in and out: decoding upright frames with their real timestamps (`reader`), and encoding
//! the annotated video (`writer`, with OpenCV's writer as the fallback in `opencv_writer`).
mod opencv_writer;
pub(crate) mod probe;
mod reader;
mod recorded;
mod streams;
mod writer;

pub use opencv_writer::{open_writer, Codec};
pub use reader::*;
pub use recorded::{recorded_at, rfc3339, Recorded};
pub use writer::*;
