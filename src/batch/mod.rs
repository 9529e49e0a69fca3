//! Many clips at once, for coaches: deterministic sharding (`shard`), parallel workers within the
//! machine's cores (here), per-clip outputs written so that nothing half-written survives (`plan`),
//! and a summary row per clip (`row`) in three formats (`summary`).
mod merge;
mod plan;
mod preflight;
mod row;
mod scan;
mod shard;
mod summary;

pub use merge::{reports_in, rows_from_reports};
pub use plan::{OutputPlan, Written};
pub use preflight::check_outputs;
pub use row::{read_kept_report, Asymmetry, LegColumns, RowVerdict, SummaryRow};
pub use scan::expand_inputs;
pub use shard::{parse_shard, parse_shard_spec, shard, shard_from_env, ShardSpec};
pub use summary::{summary_csv, summary_html, summary_table};

use crate::assess::thresholds::Thresholds;
use crate::clip::ClipAnalysis;
use crate::error::{Error, Result};
use crate::pipeline::analyze_clip_with;
use crate::pose::catalog::ModelChoice;
use crate::pose::sessions::{SessionPlan, Sessions};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// Progress callback from the workers: (worker, clip, frames done, frames in the clip).
pub type FrameProgress<'a> = dyn Fn(usize, &Path, u64, Option<u64>) + Sync + 'a;

/// How to run a batch.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    pub model: ModelChoice,
    /// Inference threads per session (0 = ONNX Runtime's choice).
    pub threads: usize,
    /// Pose sessions per clip, taking alternate frames (see `SessionPlan`; 1 with several jobs).
    pub sessions: usize,
    /// Clips analysed at the same time.
    pub jobs: usize,
    pub thresholds: Thresholds,
    pub skip_existing: bool,
    /// How often the pose model runs (issue 15).
    pub pose_rate: crate::pose_rate::PoseRate,
    /// Whom the clips show (`--athlete`), stored in each report for `kneetrack history`.
    pub athlete: Option<String>,
}

/// What a worker reports about one clip.
pub enum ClipDone {
    Analysed(Box<ClipAnalysis>, Written),
    Skipped(Box<SummaryRow>),
    Failed(Error),
    /// A line to tell the user before the clip's outcome (e.g. why a kept report is not kept).
    Note(String),
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
    let layout = SessionPlan {
        sessions: opts.sessions.max(1),
        threads: opts.threads,
    };
    Sessions::open(&opts.model, layout)?;
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, ClipDone)>();
    let mut rows: Vec<Option<SummaryRow>> = vec![None; clips.len()];
    std::thread::scope(|scope| {
        for worker in 0..opts.jobs.clamp(1, clips.len().max(1)) {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move || {
                let mut estimator = match Sessions::open(&opts.model, layout) {
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
                    let note = |text: String| {
                        let _ = tx.send((i, ClipDone::Note(text)));
                    };
                    let done = process_clip(clip, plan, opts, est, &note, &|d, t| {
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
            if matches!(done, ClipDone::Note(_)) {
                continue;
            }
            if let Some(row) = row_of(&clips[i], &done) {
                rows[i] = Some(row);
            }
        }
    });
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| r.unwrap_or_else(|| SummaryRow::error(&clips[i], "not analysed".into())))
        .collect())
}

/// The summary row of `clip` from its outcome (`None` for a note: the clip is not done).
pub fn row_of(clip: &Path, done: &ClipDone) -> Option<SummaryRow> {
    Some(match done {
        ClipDone::Analysed(a, written) => {
            let html = written
                .paths
                .iter()
                .find(|p| p.extension().is_some_and(|e| e == "html"));
            SummaryRow {
                thumbnail: written.thumbnail.clone(),
                ..SummaryRow::from_analysis(a, html.map(|p| p.as_path()))
            }
        }
        ClipDone::Skipped(row) => (**row).clone(),
        ClipDone::Failed(e) => SummaryRow::error(clip, e.to_string()),
        ClipDone::Note(_) => return None,
    })
}

fn process_clip(
    clip: &Path,
    plan: &OutputPlan,
    opts: &BatchOptions,
    estimator: &mut Sessions,
    note: &dyn Fn(String),
    on_frame: &dyn Fn(u64, Option<u64>),
) -> ClipDone {
    if opts.skip_existing {
        if let Some(report) = plan.finished_report(clip) {
            let html = plan
                .html
                .as_ref()
                .map(|h| plan.destination(h, clip, "html"));
            // A report that is not this clip's finished report (broken, from another schema or
            // another clip of the same name) is not kept: the clip is analysed again.
            match row::read_kept_report(clip, &report) {
                Ok(value) => {
                    return ClipDone::Skipped(Box::new(SummaryRow::from_report_value(
                        clip, &value, html,
                    )))
                }
                Err(why) => note(format!(
                    "{}: {why}; analysing the clip again",
                    crate::names::display_name(&report)
                )),
            }
        }
    }
    let mut analysis = match analyze_clip_with(
        clip,
        estimator,
        &opts.thresholds,
        opts.pose_rate,
        &mut |d, t| on_frame(d, t),
    ) {
        Ok(a) => a,
        Err(e) => return ClipDone::Failed(e),
    };
    analysis.athlete.clone_from(&opts.athlete);
    match plan.write(&analysis) {
        Ok(written) => ClipDone::Analysed(Box::new(analysis), written),
        Err(e) => ClipDone::Failed(e),
    }
}
