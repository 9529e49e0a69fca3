//! Where each clip's outputs go, and writing them so that nothing half-written survives.
use crate::clip::ClipAnalysis;
use crate::error::{Error, Result};
use crate::output::atomic::write_atomically;
use crate::output::target::Target;
use crate::output::{annotate, csv, html, pictures, report};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Which outputs to write for each clip, and where.
#[derive(Debug, Clone, Default)]
pub struct OutputPlan {
    /// The JSON report: a file (or folder), or standard output.
    pub json: Option<Target>,
    pub csv: Option<PathBuf>,
    pub video: Option<PathBuf>,
    pub html: Option<PathBuf>,
    /// Several clips: the paths above are folders and each clip gets `<name>.kneetrack.<ext>`.
    pub batch: bool,
    /// The batch's index page (`--out DIR`: DIR/index.html), linked from the top of each report.
    pub index: Option<PathBuf>,
    /// Output names per clip, unique even when two clips share a file name.
    names: HashMap<PathBuf, String>,
}

impl OutputPlan {
    /// Only the JSON report can go to standard output: `--csv -`, `--html -` or `--video -` is
    /// a usage error.
    pub fn new(
        json: Option<Target>,
        csv: Option<Target>,
        video: Option<Target>,
        html: Option<Target>,
        clips: &[PathBuf],
    ) -> Result<Self> {
        let file_only = |flag: &str, t: Option<Target>| match t {
            Some(Target::Stdout) => Err(Error::usage(format!(
                "{flag} cannot go to standard output (only --json -): give a file or folder"
            ))),
            Some(Target::File(p)) => Ok(Some(p)),
            None => Ok(None),
        };
        let (csv, video, html) = (
            file_only("--csv", csv)?,
            file_only("--video", video)?,
            file_only("--html", html)?,
        );
        let batch = clips.len() > 1;
        let mut count: HashMap<String, usize> = HashMap::new();
        for c in clips {
            *count.entry(stem(c)).or_default() += 1;
        }
        let names = clips
            .iter()
            .map(|c| {
                let s = stem(c);
                let name = if count[&s] > 1 {
                    format!("{s}-{:08x}", fnv1a(c))
                } else {
                    s
                };
                (c.clone(), name)
            })
            .collect();
        Ok(OutputPlan {
            json,
            csv,
            video,
            html,
            batch,
            index: None,
            names,
        })
    }

    /// The JSON report's path, when it goes to a file.
    fn json_file(&self) -> Option<&Path> {
        self.json.as_ref().and_then(Target::file)
    }

    /// Makes the output folders of a batch.
    pub fn create_folders(&self) -> Result<()> {
        if !self.batch {
            return Ok(());
        }
        let dirs = [
            self.csv.as_deref(),
            self.video.as_deref(),
            self.html.as_deref(),
        ];
        for dir in dirs.into_iter().chain([self.json_file()]).flatten() {
            std::fs::create_dir_all(dir).map_err(|e| Error::output(dir, e.to_string()))?;
        }
        Ok(())
    }

    /// Where the output with extension `ext` of `clip` goes.
    pub fn destination(&self, base: &Path, clip: &Path, ext: &str) -> PathBuf {
        if !self.batch {
            return base.to_path_buf();
        }
        let name = self.names.get(clip).cloned().unwrap_or_else(|| stem(clip));
        base.join(format!("{name}.kneetrack.{ext}"))
    }

    /// The JSON report of a clip already analysed in an earlier run (it is written last, so its
    /// presence means every output of that clip is complete).
    pub fn finished_report(&self, clip: &Path) -> Option<PathBuf> {
        let path = self.destination(self.json_file()?, clip, "json");
        path.is_file().then_some(path)
    }

    /// Writes every requested output of one clip: video and HTML first, the JSON report last. If
    /// any fails, the ones already written for this clip are removed again.
    pub fn write(&self, analysis: &ClipAnalysis) -> Result<Written> {
        let mut written = Written::default();
        let result = self.write_all(analysis, &mut written);
        if result.is_err() {
            for p in &written.paths {
                let _ = std::fs::remove_file(p);
            }
        }
        result.map(|()| written)
    }

    fn write_all(&self, analysis: &ClipAnalysis, out: &mut Written) -> Result<()> {
        let written = &mut out.paths;
        let clip = &analysis.info.path;
        // Check the destinations before the slow work, so an unusable path fails fast.
        for (base, ext) in [
            (self.json_file(), "json"),
            (self.csv.as_deref(), "csv"),
            (self.video.as_deref(), "mp4"),
            (self.html.as_deref(), "html"),
        ] {
            if let Some(base) = base {
                let dest = self.destination(base, clip, ext);
                if dest.is_dir() {
                    return Err(Error::output(&dest, "is a directory"));
                }
            }
        }
        if self.video.is_some() || self.html.is_some() {
            let video = self
                .video
                .as_ref()
                .map(|v| self.destination(v, clip, "mp4"));
            let keep = if self.html.is_some() {
                pictures::report_frame_positions(analysis)
            } else {
                Vec::new()
            };
            let (_, key_frames) = annotate::render(analysis, video.as_deref(), &keep)?;
            written.extend(video.clone());
            if let Some(h) = &self.html {
                let dest = self.destination(h, clip, "html");
                // The annotated video in the report, read back from its file.
                let embed = match video.as_deref() {
                    Some(v) => html::VideoEmbed::of(v, &dest)?,
                    None => None,
                };
                html::write_html(
                    analysis,
                    &dest,
                    &key_frames,
                    self.index.as_deref(),
                    embed.as_ref(),
                )?;
                written.push(dest);
                if self.index.is_some() {
                    out.thumbnail = pictures::thumbnail(analysis, &key_frames)?;
                }
            }
        }
        if let Some(csv) = &self.csv {
            let dest = self.destination(csv, clip, "csv");
            write_atomically(&dest, csv::to_csv(analysis).as_bytes())?;
            written.push(dest);
        }
        if let Some(json) = self.json_file() {
            let dest = self.destination(json, clip, "json");
            write_atomically(&dest, report::to_json(analysis)?.as_bytes())?;
            written.push(dest);
        }
        Ok(())
    }
}

/// What [`OutputPlan::write`] wrote for one clip.
#[derive(Debug, Default)]
pub struct Written {
    /// Every file written, in order.
    pub paths: Vec<PathBuf>,
    /// The clip's thumbnail for the batch index (JPEG), when there is an index and a report.
    pub thumbnail: Option<Vec<u8>>,
}

fn stem(clip: &Path) -> String {
    clip.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "clip".into())
}

/// FNV-1a of a path: a short, stable tag to tell apart clips with the same file name.
fn fnv1a(p: &Path) -> u32 {
    p.as_os_str()
        .as_encoded_bytes()
        .iter()
        .fold(0x811c9dc5u32, |h, b| {
            (h ^ *b as u32).wrapping_mul(0x01000193)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_file_names_get_distinct_outputs() {
        let clips = vec![
            PathBuf::from("a/squat.mp4"),
            PathBuf::from("b/squat.mp4"),
            PathBuf::from("c/other.mp4"),
        ];
        let plan =
            OutputPlan::new(Some(Target::File("out".into())), None, None, None, &clips).unwrap();
        let a = plan.destination(Path::new("out"), &clips[0], "json");
        let b = plan.destination(Path::new("out"), &clips[1], "json");
        assert_ne!(a, b);
        assert_eq!(
            plan.destination(Path::new("out"), &clips[2], "json"),
            Path::new("out/other.kneetrack.json")
        );
    }
}
