//! `kneetrack analyze`: clips (or folders of clips) in, verdicts and reports out.
use super::progress::Progress;
use super::value_enum::value_enum_for;
use kneetrack::models as catalog;
use kneetrack::Error;
use kneetrack::{BatchOptions, ClipDone, OutputPlan, Target};
use kneetrack::{Sex, Thresholds};
use std::path::PathBuf;

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
    /// Inference threads (0 = ONNX Runtime's choice).
    #[arg(long, default_value_t = 0)]
    threads: usize,
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

const VIDEO_EXTENSIONS: &[&str] = &["mp4", "mov", "m4v", "mkv", "avi", "webm", "3gp"];

/// Expands folders into the video files they hold, sorted, so batch order is stable.
fn expand_inputs(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(input)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file()
                        && p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                            VIDEO_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str())
                        })
                })
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(input.clone());
        }
    }
    out
}

/// `kneetrack analyze`: `Ok(false)` when some clip failed (each failure is already reported).
pub fn run(args: &AnalyzeArgs) -> Result<bool, Error> {
    let mut clips = expand_inputs(&args.clips);
    if clips.is_empty() {
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
    if let Some((k, n)) = shard {
        clips = kneetrack::shard(clips, k, n);
    }
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
        &clips,
    )?;
    let stdout_json = plan.json == Some(Target::Stdout);
    plan.batch |= args.out.is_some();
    plan.index = args.out.as_ref().map(|dir| dir.join("index.html"));
    plan.create_folders()?;
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
        .unwrap_or(if clips.len() > 1 { cores.min(2) } else { 1 })
        .max(1);
    let threads = if jobs > 1 && args.threads == 0 {
        1
    } else {
        args.threads
    };
    let opts = BatchOptions {
        model: catalog::resolve(&args.model)?,
        threads,
        jobs,
        thresholds: thresholds_for(args)?,
        skip_existing: args.skip_existing,
        athlete: args.athlete.clone(),
    };
    if clips.is_empty() {
        if let Some((k, n)) = shard {
            eprintln!("kneetrack: shard {k}/{n} holds no clips");
        }
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
    let rows = kneetrack::run_batch(
        &clips,
        &plan,
        &opts,
        &|w, clip, done, total| progress.frame(w, clip, done, total),
        &mut |_, done| {
            progress.clip_done();
            match done {
                ClipDone::Analysed(a, _) => {
                    if stdout_json {
                        match kneetrack::to_json(a) {
                            Ok(text) => println!("{text}"),
                            Err(e) => eprintln!("kneetrack: error: {e}"),
                        }
                    }
                    if chatty {
                        progress.println(&kneetrack::terminal_summary(a), stdout_json);
                    }
                }
                ClipDone::Skipped(row) => {
                    if chatty {
                        progress.println(
                            &format!("{}: already analysed ({}), kept\n", row.clip, row.verdict),
                            stdout_json,
                        );
                    }
                }
                ClipDone::Failed(e) => {
                    all_ok = false;
                    progress.println(&format!("kneetrack: error: {e}\n"), true);
                }
            }
        },
    )?;
    progress.clear();
    if (clips.len() > 1 && chatty) || args.summary_only {
        let table = kneetrack::summary_table(&rows);
        let gap = if args.summary_only { "" } else { "\n" };
        if stdout_json {
            eprint!("{gap}{table}");
        } else {
            print!("{gap}{table}");
        }
    }
    if let Some(dir) = &args.out {
        kneetrack::write_atomically(
            &dir.join("summary.csv"),
            kneetrack::summary_csv(&rows, dir).as_bytes(),
        )?;
        kneetrack::write_atomically(
            &dir.join("index.html"),
            kneetrack::summary_html(&rows, dir).as_bytes(),
        )?;
    }
    Ok(all_ok)
}
