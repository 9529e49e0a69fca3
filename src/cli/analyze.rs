//! `kneetrack analyze`: clips (or folders of clips) in, verdicts and reports out.
use super::progress::Progress;
use super::stdout;
use super::value_enum::value_enum_for;
use kneetrack::models as catalog;
use kneetrack::Error;
use kneetrack::{BatchOptions, ClipDone, OutputPlan, Target};
use kneetrack::{Sex, SummaryRow, Thresholds};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

#[derive(clap::Args)]
pub struct AnalyzeArgs {
    /// Video files, or folders whose videos are analysed.
    #[arg(required = true)]
    clips: Vec<PathBuf>,
    /// Pose model: a name from `kneetrack models`, or a path to a MoveNet-style .onnx file.
    #[arg(long, short, default_value = catalog::DEFAULT_MODEL)]
    model: String,
    /// JSON file overriding verdict thresholds (see src/assess/thresholds.rs for the names and sources).
    #[arg(long, value_name = "FILE")]
    thresholds: Option<PathBuf>,
    /// The person's sex: applies the `by_sex` entries of the thresholds file (none are built in:
    /// no published sex-specific cut-offs could be sourced, so the pooled norms stand without them).
    #[arg(long, value_enum)]
    sex: Option<SexArg>,
    /// Inference threads (0 = ONNX Runtime's choice), split between the sessions (`--sessions`).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Pose sessions per clip, taking alternate posed frames, each on its own thread (0 = auto:
    /// one for now; 2 uses both cores of a 2-core machine for one clip). Frames above 2560×1440
    /// use one.
    #[arg(long, default_value_t = 0, value_parser = parse_sessions)]
    sessions: usize,
    /// Where the pose model runs. Only `cpu` is built: `cuda` is refused with a one-line error,
    /// since the ONNX Runtime library kneetrack loads (PyPI `onnxruntime`) has no CUDA provider.
    #[arg(long, value_enum, default_value = "cpu")]
    device: DeviceArg,
    /// Poses per second of video at most (0 = every frame): a 60 or 120 fps clip is posed on
    /// every 2nd or 4th frame, since the analysis keeps nothing above 6 Hz.
    #[arg(long, value_name = "HZ", default_value_t = 30.0, value_parser = parse_pose_rate)]
    pose_rate: f64,
    /// Experimental, off by default (0): pose only this many times a second while the person
    /// stands tall (hip-to-ankle height above 0.9 of its maximum), every frame the pose rate
    /// allows in the lower part where the peaks are measured; the frames between are filled by
    /// linear interpolation (`timing.interpolated_frames`).
    #[arg(long, value_name = "HZ", default_value_t = 0.0, value_parser = parse_coarse_rate)]
    coarse_rate: f64,
    /// Write the JSON report here ("-" for standard output). With several clips: a folder, one
    /// `<clip>.kneetrack.json` per clip.
    #[arg(long, value_name = "PATH")]
    json: Option<PathBuf>,
    /// Write the per-frame CSV here. With several clips: a folder, one `<clip>.kneetrack.csv` each.
    #[arg(long, value_name = "PATH")]
    csv: Option<PathBuf>,
    // issue 5: visual outputs.
    /// Write the annotated video (H.264 mp4: skeleton, judged leg, knee-over-foot line, live FPPA,
    /// rep counter, verdict colours) here. With several clips: a folder, one `<clip>.kneetrack.mp4`
    /// each.
    #[arg(long, value_name = "PATH")]
    video: Option<PathBuf>,
    /// Write a self-contained HTML report (plots, rep table, annotated key frames) here. With several
    /// clips: a folder, one `<clip>.kneetrack.html` each.
    #[arg(long, value_name = "PATH")]
    html: Option<PathBuf>,
    /// Batch output folder: a JSON and an HTML report per clip, plus summary.csv and index.html.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Skip clips whose JSON report already exists (resume an interrupted batch).
    #[arg(long)]
    skip_existing: bool,
    /// Analyse only shard K of N (1-based) of the sorted clip list, to split a batch across
    /// machines. `auto` or `auto/N`: K (and N) from the scheduler's environment
    /// (JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID/_COUNT, PARALLEL_SEQ, KNEETRACK_SHARD_INDEX;
    /// the count from N, SLURM, KNEETRACK_SHARD_COUNT or JOB_COMPLETIONS).
    #[arg(long, value_name = "K/N|auto[/N]", value_parser = kneetrack::parse_shard_spec)]
    shard: Option<kneetrack::ShardSpec>,
    /// Whom the clips show: stored in each JSON report, so `kneetrack history` groups the
    /// sessions by it (else by the clip's folder name).
    #[arg(long, value_name = "NAME")]
    athlete: Option<String>,
    /// Print only the summary table: one line per clip and the counts (also for a single clip).
    #[arg(long, conflicts_with = "quiet")]
    summary_only: bool,
    /// Clips analysed at the same time (default: one per CPU core, at most 2 for a batch).
    #[arg(long, short)]
    jobs: Option<usize>,
    /// Print only errors (and the JSON if it goes to standard output).
    #[arg(long, short)]
    quiet: bool,
}

/// `--device`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DeviceArg {
    Cpu,
    Cuda,
}

value_enum_for! {
    /// The person's sex, for sex-specific norms (`--sex`).
    SexArg => Sex {
        Female,
        Male,
    }
}

/// The verdict thresholds: defaults, the `--thresholds` file, and its `--sex` entries.
fn thresholds_for(args: &AnalyzeArgs) -> Result<Thresholds, Error> {
    let th = match &args.thresholds {
        Some(path) => Thresholds::load(path)?,
        None => Thresholds::default(),
    };
    let Some(sex) = args.sex.map(Sex::from) else {
        return Ok(th);
    };
    let (th, applied) = th.for_sex(sex).map_err(|e| {
        let context = match &args.thresholds {
            Some(path) => format!(
                "bad thresholds file {}: by_sex.{}",
                path.display(),
                sex.label()
            ),
            None => format!("by_sex.{}", sex.label()),
        };
        Error::usage_caused(context, e)
    })?;
    if !applied {
        eprintln!(
            "kneetrack: note: no {0}-specific thresholds are set (none are built in; add by_sex.{0} to a --thresholds file): the pooled norms apply",
            sex.label()
        );
    }
    Ok(th)
}

/// The same file named twice (`x.mp4 ./x.mp4`, or a folder and a clip in it) is analysed once:
/// two workers on one clip would race for its output files.
fn dedupe(clips: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut seen = std::collections::HashSet::new();
    clips
        .into_iter()
        .filter(|c| seen.insert(std::fs::canonicalize(c).unwrap_or_else(|_| c.clone())))
        .collect()
}

/// `--pose-rate`: 0 (every frame) or a rate from 15 to 1000 Hz (the 6 Hz low-pass needs more than
/// 13.3 samples a second).
pub(super) fn parse_coarse_rate(s: &str) -> Result<f64, String> {
    let hz: f64 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    if hz == 0.0 || (5.0..=30.0).contains(&hz) {
        Ok(hz)
    } else {
        Err(format!("{hz} is out of range: 0 (off) or 5 to 30"))
    }
}

fn parse_sessions(s: &str) -> Result<usize, String> {
    let n: usize = s
        .parse()
        .map_err(|_| format!("{s:?} is not a whole number"))?;
    if n > kneetrack::MAX_SESSIONS {
        return Err(format!(
            "at most {} sessions per clip (0 = auto)",
            kneetrack::MAX_SESSIONS
        ));
    }
    Ok(n)
}

pub(super) fn parse_pose_rate(s: &str) -> Result<f64, String> {
    let hz: f64 = s
        .parse()
        .map_err(|_| format!("`{s}` is not a number of poses per second"))?;
    if hz == 0.0 || (15.0..=1000.0).contains(&hz) {
        Ok(hz)
    } else {
        Err(format!(
            "{s} is out of range: 0 (every frame) or 15 to 1000"
        ))
    }
}

/// `--out DIR`'s summary.csv and index.html.
fn write_summary(dir: &Path, rows: &[SummaryRow]) -> Result<(), Error> {
    kneetrack::write_atomically(
        &dir.join("summary.csv"),
        kneetrack::summary_csv(rows, dir).as_bytes(),
    )?;
    kneetrack::write_atomically(
        &dir.join("index.html"),
        kneetrack::summary_html(rows, dir).as_bytes(),
    )
}

/// The rows of the clips finished so far, by clip; `None` for those not finished.
type Finished = Arc<Mutex<Vec<Option<SummaryRow>>>>;

/// An interrupted `--out` batch still writes its summary and index: the clips finished so far
/// with their verdicts, the others listed as interrupted (and counted so), for a coach to see what
/// is done and resume the rest with `--skip-existing`.
fn summary_on_interrupt(dir: &Path, clips: &[PathBuf], finished: &Finished) {
    let (dir, clips, finished) = (dir.to_path_buf(), clips.to_vec(), Arc::clone(finished));
    kneetrack::on_interrupt(Box::new(move || {
        let finished = finished.lock().unwrap_or_else(|p| p.into_inner());
        let rows: Vec<SummaryRow> = clips
            .iter()
            .zip(finished.iter())
            .map(|(clip, row)| row.clone().unwrap_or_else(|| SummaryRow::interrupted(clip)))
            .collect();
        let done = finished.iter().flatten().count();
        let line = match write_summary(&dir, &rows) {
            Ok(()) => format!(
                "kneetrack: interrupted: {} lists the {done} of {} clips finished\n",
                kneetrack::display_name(&dir.join("summary.csv")),
                clips.len()
            ),
            Err(e) => format!(
                "kneetrack: error: {}\n",
                kneetrack::first_line(&e.to_string())
            ),
        };
        stdout::to_stderr(&line);
    }));
}

/// `kneetrack analyze`: `Ok(false)` when some clip failed (each failure is already reported).
pub fn run(args: &AnalyzeArgs) -> Result<bool, Error> {
    if args.device == DeviceArg::Cuda {
        return Err(Error::Runtime(
            "--device cuda: this build/runtime has no CUDA execution provider (kneetrack loads the CPU-only PyPI onnxruntime library); use --device cpu".into(),
        ));
    }
    kneetrack::check_threads(args.threads)?;
    if let Some(jobs) = args.jobs {
        kneetrack::check_jobs(jobs)?;
    }
    let all_clips = dedupe(kneetrack::expand_inputs(&args.clips)?);
    if all_clips.is_empty() {
        return Err(Error::input(&args.clips[0], "holds no video files"));
    }
    let shard = match args.shard {
        Some(kneetrack::ShardSpec::Fixed(k, n)) => Some((k, n)),
        Some(kneetrack::ShardSpec::Auto(count)) => Some(
            kneetrack::shard_from_env(count, &|var| std::env::var(var).ok())
                .map_err(Error::usage)?,
        ),
        None => None,
    };
    let clips = match shard {
        Some((k, n)) => kneetrack::shard(all_clips.clone(), k, n),
        None => all_clips.clone(),
    };
    let (json, html) = match &args.out {
        Some(dir) => (
            args.json.clone().or(Some(dir.clone())),
            args.html.clone().or(Some(dir.clone())),
        ),
        None => (args.json.clone(), args.html.clone()),
    };
    let target = |p: Option<PathBuf>| p.map(Target::from_arg);
    let mut plan = OutputPlan::new(
        target(json),
        target(args.csv.clone()),
        target(args.video.clone()),
        target(html),
        // Output names come from the whole list, so every shard names a clip the same way.
        &all_clips,
    )?;
    let stdout_json = plan.json == Some(Target::Stdout);
    plan.batch |= args.out.is_some();
    plan.index = args.out.as_ref().map(|dir| dir.join("index.html"));
    let model = catalog::resolve(&args.model)?;
    // Everything read must survive the run: no output may land on it.
    let mut inputs = all_clips.clone();
    inputs.extend(args.thresholds.iter().cloned());
    inputs.push(model.path.clone());
    kneetrack::check_outputs(&plan, &clips, &inputs, args.out.as_deref())?;
    if args.skip_existing && !matches!(plan.json, Some(Target::File(_))) {
        return Err(Error::usage(
            "--skip-existing needs --out DIR or --json DIR to find earlier reports",
        ));
    }
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let jobs = args
        .jobs
        .unwrap_or(if clips.len() > 1 { cores.min(2) } else { 1 });
    let layout = kneetrack::SessionPlan::choose(args.threads, args.sessions, jobs, cores);
    let opts = BatchOptions {
        model,
        threads: layout.threads,
        sessions: layout.sessions,
        jobs,
        thresholds: thresholds_for(args)?,
        skip_existing: args.skip_existing,
        pose_rate: kneetrack::PoseRate {
            max_hz: args.pose_rate,
            coarse_hz: args.coarse_rate,
        },
        athlete: args.athlete.clone(),
    };
    if clips.is_empty() {
        let (k, n) = shard.unwrap_or((1, 1));
        eprintln!(
            "kneetrack: shard {k}/{n} holds no clips ({} clips in all)",
            all_clips.len()
        );
        return Ok(true);
    }
    if let Some((k, n)) = shard.filter(|_| !args.quiet && !args.summary_only) {
        let noun = if clips.len() == 1 { "clip" } else { "clips" };
        eprintln!("kneetrack: shard {k}/{n}: {} {noun}", clips.len());
    }
    // Per-clip lines are printed unless -q or --summary-only.
    let chatty = !args.quiet && !args.summary_only;
    let progress = Progress::new(!chatty, jobs.min(clips.len()), clips.len());
    let mut all_ok = true;
    // The first failure to write standard output (a full disk; a closed pipe is no failure): the
    // batch goes on, and the run ends with it once the summary is written.
    let mut stdout_error: Option<Error> = None;
    let mut keep = |r: Result<(), Error>| {
        if let Err(e) = r {
            stdout_error.get_or_insert(e);
        }
    };
    let finished: Finished = Arc::new(Mutex::new(vec![None; clips.len()]));
    if let Some(dir) = &args.out {
        summary_on_interrupt(dir, &clips, &finished);
    }
    let rows = kneetrack::run_batch(
        &clips,
        &plan,
        &opts,
        &|w, clip, done, total| progress.frame(w, clip, done, total),
        &mut |i, done| {
            if args.out.is_some() {
                if let Some(row) = kneetrack::row_of(&clips[i], done) {
                    let mut finished = finished.lock().unwrap_or_else(|p| p.into_inner());
                    // What ends after an interrupt was cut short by it (its encoder killed).
                    if !kneetrack::interrupted() {
                        finished[i] = Some(row);
                    }
                }
            }
            if let ClipDone::Note(text) = done {
                keep(progress.println(&format!("kneetrack: note: {text}\n"), true));
                return;
            }
            progress.clip_done();
            match done {
                ClipDone::Analysed(a, _) => {
                    if stdout_json {
                        match kneetrack::to_json(a) {
                            Ok(text) => keep(stdout::line(&text)),
                            Err(e) => stdout::to_stderr(&format!("kneetrack: error: {e}\n")),
                        }
                    }
                    if chatty {
                        keep(progress.println(&kneetrack::terminal_summary(a), stdout_json));
                    }
                }
                ClipDone::Skipped(row) => {
                    if chatty {
                        keep(progress.println(
                            &format!(
                                "{}: already analysed ({}), kept\n",
                                kneetrack::sanitize(&row.clip),
                                row.verdict
                            ),
                            stdout_json,
                        ));
                    }
                }
                ClipDone::Note(_) => {}
                ClipDone::Failed(e) => {
                    all_ok = false;
                    keep(progress.println(&format!("kneetrack: error: {e}\n"), true));
                }
            }
        },
    )?;
    progress.clear();
    if (clips.len() > 1 && chatty) || args.summary_only {
        let table = kneetrack::summary_table(&rows);
        let gap = if args.summary_only { "" } else { "\n" };
        if stdout_json {
            stdout::to_stderr(&format!("{gap}{table}"));
        } else {
            keep(stdout::write(&format!("{gap}{table}")));
        }
    }
    if let Some(dir) = &args.out {
        kneetrack::unless_interrupted(|| write_summary(dir, &rows))?;
    }
    match stdout_error {
        Some(e) => Err(e),
        None => Ok(all_ok),
    }
}
