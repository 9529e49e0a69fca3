//! Many clips at once, for coaches: deterministic sharding, parallel workers within the machine's
//! cores, per-clip outputs written so that nothing half-written survives, and a summary.
use crate::assess::signal;
use crate::assess::thresholds::Thresholds;
use crate::assess::{Stance, Verdict};
use crate::clip::ClipAnalysis;
use crate::error::{Error, Result};
use crate::output::atomic::write_atomically;
use crate::output::{annotate, csv, html, report};
use crate::pipeline::analyze_clip;
use crate::pose::catalog::{self, ModelChoice};
use crate::pose::runtime::SessionOptions;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// Parses `--shard K/N` (1 ≤ K ≤ N).
pub fn parse_shard(s: &str) -> std::result::Result<(usize, usize), String> {
    let (k, n) = s.split_once('/').ok_or("expected K/N, e.g. 1/4")?;
    let k: usize = k.trim().parse().map_err(|_| "K is not a number")?;
    let n: usize = n.trim().parse().map_err(|_| "N is not a number")?;
    if n == 0 || k == 0 || k > n {
        return Err(format!("shard {k}/{n}: need 1 ≤ K ≤ N"));
    }
    Ok((k, n))
}

/// The clips of shard `k` of `n`: every n-th clip of the sorted list, so machines split a batch the
/// same way whatever order they listed it in.
pub fn shard(mut clips: Vec<PathBuf>, k: usize, n: usize) -> Vec<PathBuf> {
    clips.sort();
    clips.dedup();
    clips
        .into_iter()
        .enumerate()
        .filter(|(i, _)| i % n == k - 1)
        .map(|(_, c)| c)
        .collect()
}

/// Which outputs to write for each clip, and where.
#[derive(Debug, Clone, Default)]
pub struct OutputPlan {
    pub json: Option<PathBuf>,
    pub csv: Option<PathBuf>,
    pub video: Option<PathBuf>,
    pub html: Option<PathBuf>,
    /// Several clips: the paths above are folders and each clip gets `<name>.kneetrack.<ext>`.
    pub batch: bool,
    /// Output names per clip, unique even when two clips share a file name.
    names: HashMap<PathBuf, String>,
}

impl OutputPlan {
    pub fn new(
        json: Option<PathBuf>,
        csv: Option<PathBuf>,
        video: Option<PathBuf>,
        html: Option<PathBuf>,
        clips: &[PathBuf],
    ) -> Self {
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
        OutputPlan {
            json,
            csv,
            video,
            html,
            batch,
            names,
        }
    }

    /// Makes the output folders of a batch.
    pub fn create_folders(&self) -> Result<()> {
        if !self.batch {
            return Ok(());
        }
        for dir in [&self.json, &self.csv, &self.video, &self.html]
            .into_iter()
            .flatten()
        {
            if dir.as_os_str() != "-" {
                std::fs::create_dir_all(dir).map_err(|e| Error::output(dir, e.to_string()))?;
            }
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
        let json = self.json.as_ref().filter(|j| j.as_os_str() != "-")?;
        let path = self.destination(json, clip, "json");
        path.is_file().then_some(path)
    }

    /// Writes every requested output of one clip: video and HTML first, the JSON report last. If
    /// any fails, the ones already written for this clip are removed again.
    pub fn write(&self, analysis: &ClipAnalysis) -> Result<Vec<PathBuf>> {
        let mut written = Vec::new();
        let result = self.write_all(analysis, &mut written);
        if result.is_err() {
            for p in &written {
                let _ = std::fs::remove_file(p);
            }
        }
        result.map(|()| written)
    }

    fn write_all(&self, analysis: &ClipAnalysis, written: &mut Vec<PathBuf>) -> Result<()> {
        let clip = &analysis.info.path;
        // Check the destinations before the slow work, so an unusable path fails fast.
        for (base, ext) in [
            (&self.json, "json"),
            (&self.csv, "csv"),
            (&self.video, "mp4"),
            (&self.html, "html"),
        ] {
            if let Some(base) = base.as_ref().filter(|b| b.as_os_str() != "-") {
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
                annotate::rep_bottom_positions(analysis)
            } else {
                Vec::new()
            };
            let (_, key_frames) = annotate::render(analysis, video.as_deref(), &keep)?;
            written.extend(video);
            if let Some(h) = &self.html {
                let dest = self.destination(h, clip, "html");
                html::write_html(analysis, &dest, &key_frames)?;
                written.push(dest);
            }
        }
        if let Some(csv) = &self.csv {
            let dest = self.destination(csv, clip, "csv");
            write_atomically(&dest, csv::to_csv(analysis).as_bytes())?;
            written.push(dest);
        }
        if let Some(json) = self.json.as_ref().filter(|j| j.as_os_str() != "-") {
            let dest = self.destination(json, clip, "json");
            write_atomically(&dest, report::to_json(analysis)?.as_bytes())?;
            written.push(dest);
        }
        Ok(())
    }
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

/// One line of the batch summary.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SummaryRow {
    pub clip: String,
    /// good / fair / poor / inconclusive, or "error".
    pub verdict: String,
    pub stance: String,
    pub reps: usize,
    /// Median peak valgus angle of the judged leg(s), degrees.
    pub peak_fppa_deg: Option<f64>,
    /// The first reason, or the error.
    pub note: String,
    /// The clip's HTML report, if one was written.
    pub html: Option<String>,
    /// Already analysed by an earlier run (`--skip-existing`).
    pub skipped: bool,
}

impl SummaryRow {
    pub fn from_analysis(a: &ClipAnalysis, html: Option<&Path>) -> Self {
        let s = &a.assessment;
        let stance = match s.stance {
            Stance::SingleLeg { side, .. } => format!("single-leg {}", side.name()),
            Stance::DoubleLeg => "double-leg".into(),
            Stance::Unknown => "unknown".into(),
        };
        let peaks = s
            .reps
            .iter()
            .flat_map(|r| r.legs.iter().filter_map(|l| l.peak_fppa_deg));
        SummaryRow {
            clip: a.info.path.display().to_string(),
            verdict: s.verdict.label().into(),
            stance,
            reps: s.reps.len(),
            peak_fppa_deg: signal::median(peaks).filter(|_| s.verdict != Verdict::Inconclusive),
            note: s.reasons.first().cloned().unwrap_or_default(),
            html: html.map(|h| h.display().to_string()),
            skipped: false,
        }
    }

    pub fn error(clip: &Path, message: String) -> Self {
        SummaryRow {
            clip: clip.display().to_string(),
            verdict: "error".into(),
            stance: String::new(),
            reps: 0,
            peak_fppa_deg: None,
            note: message,
            html: None,
            skipped: false,
        }
    }

    /// The row of a clip finished by an earlier run, read back from its JSON report.
    pub fn from_report(clip: &Path, report: &Path, html: Option<PathBuf>) -> Result<Self> {
        let text =
            std::fs::read_to_string(report).map_err(|e| Error::input(report, e.to_string()))?;
        let v: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| Error::input(report, format!("unreadable report: {e}")))?;
        let a = &v["assessment"];
        let stance = match a["stance"]["kind"].as_str() {
            Some("single_leg") => {
                format!("single-leg {}", a["stance"]["side"].as_str().unwrap_or(""))
            }
            Some("double_leg") => "double-leg".into(),
            _ => "unknown".into(),
        };
        let peaks = a["reps"].as_array().into_iter().flatten().flat_map(|r| {
            r["legs"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|l| l["peak_fppa_deg"].as_f64())
        });
        let verdict = a["verdict"].as_str().unwrap_or("inconclusive").to_string();
        Ok(SummaryRow {
            clip: clip.display().to_string(),
            peak_fppa_deg: signal::median(peaks).filter(|_| verdict != "inconclusive"),
            verdict,
            stance,
            reps: a["reps"].as_array().map_or(0, |r| r.len()),
            note: a["reasons"][0].as_str().unwrap_or("").to_string(),
            html: html
                .filter(|h| h.is_file())
                .map(|h| h.display().to_string()),
            skipped: true,
        })
    }
}

/// The summary as an aligned terminal table.
pub fn summary_table(rows: &[SummaryRow]) -> String {
    let width = rows
        .iter()
        .map(|r| short_name(&r.clip).chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 48);
    let mut out = format!(
        "{:<width$}  {:<12}  {:<17}  {:>4}  {:>7}  note\n",
        "clip", "verdict", "stance", "reps", "valgus"
    );
    for r in rows {
        let name: String = short_name(&r.clip).chars().take(width).collect();
        let valgus = r
            .peak_fppa_deg
            .map_or_else(|| "—".into(), |v| format!("{v:.0}°"));
        let verdict = if r.skipped {
            format!("{} (kept)", r.verdict)
        } else {
            r.verdict.clone()
        };
        let note: String = r.note.chars().take(90).collect();
        let _ = writeln!(
            out,
            "{name:<width$}  {verdict:<12}  {:<17}  {:>4}  {valgus:>7}  {note}",
            r.stance, r.reps
        );
    }
    let count = |v: &str| rows.iter().filter(|r| r.verdict == v).count();
    let _ = writeln!(
        out,
        "{} clips: {} good, {} fair, {} poor, {} inconclusive, {} errors",
        rows.len(),
        count("good"),
        count("fair"),
        count("poor"),
        count("inconclusive"),
        count("error")
    );
    out
}

fn short_name(clip: &str) -> String {
    Path::new(clip)
        .file_name()
        .map_or_else(|| clip.to_string(), |n| n.to_string_lossy().into_owned())
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The summary as CSV.
pub fn summary_csv(rows: &[SummaryRow]) -> String {
    let mut out = String::from("clip,verdict,stance,reps,peak_fppa_deg,note,html,skipped\n");
    for r in rows {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{}",
            csv_field(&r.clip),
            r.verdict,
            csv_field(&r.stance),
            r.reps,
            r.peak_fppa_deg
                .map_or_else(String::new, |v| format!("{v:.1}")),
            csv_field(&r.note),
            csv_field(r.html.as_deref().unwrap_or("")),
            r.skipped
        );
    }
    out
}

/// The summary as an HTML index linking each clip's report (links relative to `index_dir`).
pub fn summary_html(rows: &[SummaryRow], index_dir: &Path) -> String {
    let mut body = String::new();
    for r in rows {
        let name = html::escape(&short_name(&r.clip));
        let link = match &r.html {
            Some(h) => {
                let rel = Path::new(h)
                    .strip_prefix(index_dir)
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|_| PathBuf::from(h));
                format!(
                    "<a href=\"{}\">{name}</a>",
                    html::escape(&rel.to_string_lossy())
                )
            }
            None => name,
        };
        let _ = writeln!(
            body,
            "<tr><td>{link}</td><td class=\"v {v}\">{v}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            html::escape(&r.stance),
            r.reps,
            r.peak_fppa_deg.map_or_else(|| "—".into(), |v| format!("{v:.0}°")),
            html::escape(&r.note),
            v = html::escape(&r.verdict),
        );
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>kneetrack batch summary</title>\n<style>\
body{{font-family:system-ui,sans-serif;margin:2em;color:#222}}table{{border-collapse:collapse}}td,th{{padding:.35em .7em;border-bottom:1px solid #ddd;text-align:left}}\
.good{{color:#1a7f37}}.fair{{color:#b26b00}}.poor{{color:#c62828}}.inconclusive{{color:#666}}.error{{color:#c62828;font-weight:bold}}\
</style></head><body>\n<h1>kneetrack batch summary</h1>\n<table><tr><th>clip</th><th>verdict</th><th>stance</th><th>reps</th><th>valgus</th><th>note</th></tr>\n{body}</table>\n<p>{}</p>\n</body></html>\n",
        html::escape(report::DISCLAIMER)
    )
}

/// Progress callback from the workers: (worker, clip, frames done, frames in the clip).
pub type FrameProgress<'a> = dyn Fn(usize, &Path, u64, Option<u64>) + Sync + 'a;

/// How to run a batch.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    pub model: ModelChoice,
    /// Inference threads per worker (0 = ONNX Runtime's choice).
    pub threads: usize,
    /// Clips analysed at the same time.
    pub jobs: usize,
    pub thresholds: Thresholds,
    pub skip_existing: bool,
}

/// What a worker reports about one clip.
pub enum ClipDone {
    Analysed(Box<ClipAnalysis>, Vec<PathBuf>),
    Skipped(SummaryRow),
    Failed(Error),
}

/// Runs `clips` on `opts.jobs` worker threads, each with its own model session. `on_done(i, done)`
/// is called on this thread as each clip finishes (for printing); `on_frame(worker, clip, done,
/// total)` from the workers (for progress bars). Returns one row per clip, in input order.
pub fn run(
    clips: &[PathBuf],
    plan: &OutputPlan,
    opts: &BatchOptions,
    on_frame: &FrameProgress<'_>,
    on_done: &mut dyn FnMut(usize, &ClipDone),
) -> Result<Vec<SummaryRow>> {
    // Open one session first: a bad model fails once, before any worker starts.
    catalog::open(
        &opts.model,
        SessionOptions {
            threads: opts.threads,
        },
    )?;
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, ClipDone)>();
    let mut rows: Vec<Option<SummaryRow>> = vec![None; clips.len()];
    std::thread::scope(|scope| {
        for worker in 0..opts.jobs.clamp(1, clips.len().max(1)) {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move || {
                let mut estimator = match catalog::open(
                    &opts.model,
                    SessionOptions {
                        threads: opts.threads,
                    },
                ) {
                    Ok(e) => Some(e),
                    Err(e) => {
                        let _ = tx.send((usize::MAX, ClipDone::Failed(e)));
                        None
                    }
                };
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let (Some(clip), Some(est)) = (clips.get(i), estimator.as_mut()) else {
                        break;
                    };
                    let done = process_clip(clip, plan, opts, est.as_mut(), &|d, t| {
                        on_frame(worker, clip, d, t)
                    });
                    if tx.send((i, done)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for (i, done) in rx {
            if i == usize::MAX {
                continue;
            }
            on_done(i, &done);
            rows[i] = Some(match done {
                ClipDone::Analysed(a, written) => {
                    let html = written
                        .iter()
                        .find(|p| p.extension().is_some_and(|e| e == "html"));
                    SummaryRow::from_analysis(&a, html.map(|p| p.as_path()))
                }
                ClipDone::Skipped(row) => row,
                ClipDone::Failed(e) => SummaryRow::error(&clips[i], e.to_string()),
            });
        }
    });
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| r.unwrap_or_else(|| SummaryRow::error(&clips[i], "not analysed".into())))
        .collect())
}

fn process_clip(
    clip: &Path,
    plan: &OutputPlan,
    opts: &BatchOptions,
    estimator: &mut dyn crate::pose::PoseEstimator,
    on_frame: &dyn Fn(u64, Option<u64>),
) -> ClipDone {
    if opts.skip_existing {
        if let Some(report) = plan.finished_report(clip) {
            let html = plan
                .html
                .as_ref()
                .map(|h| plan.destination(h, clip, "html"));
            return match SummaryRow::from_report(clip, &report, html) {
                Ok(row) => ClipDone::Skipped(row),
                Err(e) => ClipDone::Failed(e),
            };
        }
    }
    let analysis = match analyze_clip(clip, estimator, &opts.thresholds, &mut |d, t| {
        on_frame(d, t)
    }) {
        Ok(a) => a,
        Err(e) => return ClipDone::Failed(e),
    };
    match plan.write(&analysis) {
        Ok(written) => ClipDone::Analysed(Box::new(analysis), written),
        Err(e) => ClipDone::Failed(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_batch_whatever_the_order() {
        let clips: Vec<PathBuf> = (0..7).map(|i| PathBuf::from(format!("c{i}.mp4"))).collect();
        let mut reversed = clips.clone();
        reversed.reverse();
        let mut all = Vec::new();
        for k in 1..=3 {
            let part = shard(clips.clone(), k, 3);
            assert_eq!(part, shard(reversed.clone(), k, 3));
            all.extend(part);
        }
        all.sort();
        assert_eq!(all, clips);
        assert_eq!(parse_shard("2/4"), Ok((2, 4)));
        assert!(
            parse_shard("0/4").is_err() && parse_shard("5/4").is_err() && parse_shard("x").is_err()
        );
    }

    #[test]
    fn same_file_names_get_distinct_outputs() {
        let clips = vec![
            PathBuf::from("a/squat.mp4"),
            PathBuf::from("b/squat.mp4"),
            PathBuf::from("c/other.mp4"),
        ];
        let plan = OutputPlan::new(Some("out".into()), None, None, None, &clips);
        let a = plan.destination(Path::new("out"), &clips[0], "json");
        let b = plan.destination(Path::new("out"), &clips[1], "json");
        assert_ne!(a, b);
        assert_eq!(
            plan.destination(Path::new("out"), &clips[2], "json"),
            Path::new("out/other.kneetrack.json")
        );
    }

    #[test]
    fn summary_formats_escape_and_quote() {
        let rows = vec![
            SummaryRow {
                clip: "x/<b>a,b.mp4".into(),
                verdict: "poor".into(),
                stance: "single-leg left".into(),
                reps: 5,
                peak_fppa_deg: Some(24.6),
                note: "The \"left\" knee".into(),
                html: None,
                skipped: false,
            },
            SummaryRow::error(Path::new("bad.mp4"), "bad.mp4: is empty".into()),
        ];
        let csv = summary_csv(&rows);
        assert!(
            csv.contains("\"x/<b>a,b.mp4\",poor,single-leg left,5,24.6,\"The \"\"left\"\" knee\"")
        );
        let page = summary_html(&rows, Path::new("."));
        assert!(!page.contains("<b>a") && page.contains("&lt;b&gt;a"));
        let table = summary_table(&rows);
        assert!(
            table.contains("2 clips: 0 good, 0 fair, 1 poor, 0 inconclusive, 1 errors"),
            "{table}"
        );
    }
}
