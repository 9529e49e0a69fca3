//! The annotated video in the report (`--html` with `--video`): embedded as a `data:` URI so the
//! report is one shareable file, or, past [`EMBED_LIMIT`], linked by relative path (a page of
//! hundreds of megabytes would not open on a phone), with its size stated either way.
use super::text::{base64, escape, relative_href};
use crate::error::{Error, Result};
use std::fmt::Write as _;
use std::path::Path;

/// The largest annotated video embedded in a report, bytes (50 MB; base64 makes it a third larger).
pub const EMBED_LIMIT: u64 = 50_000_000;

/// The annotated video, as the report shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum VideoEmbed {
    /// The video's bytes, embedded.
    Inline(Vec<u8>),
    /// Too large to embed: linked, relative to the report's folder.
    Linked { href: String, bytes: u64 },
}

impl VideoEmbed {
    /// The video at `video` as the report at `report` shows it; `None` when it went into a
    /// device, FIFO or descriptor (`--video /dev/null`): nothing there to read back.
    pub fn of(video: &Path, report: &Path) -> Result<Option<Self>> {
        let meta = std::fs::metadata(video).map_err(|e| Error::output(video, e.to_string()))?;
        if !meta.is_file() {
            return Ok(None);
        }
        let bytes = meta.len();
        if bytes > EMBED_LIMIT {
            let folder = report.parent().unwrap_or(Path::new(""));
            return Ok(Some(VideoEmbed::Linked {
                href: relative_href(folder, video),
                bytes,
            }));
        }
        let data = std::fs::read(video).map_err(|e| Error::output(video, e.to_string()))?;
        Ok(Some(VideoEmbed::Inline(data)))
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// Appends the "Annotated video" section.
pub fn section(o: &mut String, video: &VideoEmbed) {
    o.push_str("<section class=\"video\"><h2>Annotated video</h2>");
    match video {
        VideoEmbed::Inline(data) => {
            let _ = write!(
                o,
                r#"<video controls playsinline preload="metadata" src="data:video/mp4;base64,{}"></video><p class="sub">Embedded in this page ({}), so the report is one file to share.</p>"#,
                base64(data),
                megabytes(data.len() as u64)
            );
        }
        VideoEmbed::Linked { href, bytes } => {
            let _ = write!(
                o,
                r#"<p class="sub"><a href="{}">Open the annotated video</a> ({}). It is linked, not embedded: it is over the {} a report embeds, so keep it beside this page when sharing.</p>"#,
                escape(href),
                megabytes(*bytes),
                megabytes(EMBED_LIMIT)
            );
        }
    }
    o.push_str("</section>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_videos_are_embedded_and_large_ones_linked() {
        let mut o = String::new();
        section(&mut o, &VideoEmbed::Inline(vec![0, 1, 2, 250]));
        assert!(o.contains(r#"src="data:video/mp4;base64,AAEC+g=="#), "{o}");
        assert!(o.contains("(0.0 MB)"), "{o}");
        let mut o = String::new();
        section(
            &mut o,
            &VideoEmbed::Linked {
                href: "./a b.mp4".into(),
                bytes: 73_400_000,
            },
        );
        assert!(
            o.contains(r#"href="./a b.mp4""#) && o.contains("(73.4 MB)"),
            "{o}"
        );
        assert!(o.contains("over the 50.0 MB"), "{o}");
    }

    #[test]
    fn the_limit_decides_between_embedding_and_linking() {
        let dir = tempfile::tempdir().unwrap();
        let small = dir.path().join("small.mp4");
        std::fs::write(&small, b"not really a video").unwrap();
        let report = dir.path().join("r.html");
        assert_eq!(
            VideoEmbed::of(&small, &report).unwrap(),
            Some(VideoEmbed::Inline(b"not really a video".to_vec()))
        );
        assert_eq!(
            VideoEmbed::of(Path::new("/dev/null"), &report).unwrap(),
            None
        );
        // A sparse file one byte over the limit: linked, relative to the report's folder.
        std::fs::create_dir(dir.path().join("videos")).unwrap();
        let big = dir.path().join("videos").join("big one.mp4");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(EMBED_LIMIT + 1)
            .unwrap();
        match VideoEmbed::of(&big, &report).unwrap().unwrap() {
            VideoEmbed::Linked { href, bytes } => {
                assert_eq!(bytes, EMBED_LIMIT + 1);
                assert_eq!(href, "./videos/big%20one.mp4");
            }
            other => panic!("embedded: {:?}", matches!(other, VideoEmbed::Inline(_))),
        }
        assert!(VideoEmbed::of(&dir.path().join("missing.mp4"), &report).is_err());
    }
}
