//! The `kneetrack` command line.
use clap::{Parser, Subcommand};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use kneetrack::models as catalog;
use kneetrack::Error;
use kneetrack::{BatchOptions, ClipDone, OutputPlan};

use kneetrack::{Sex, Thresholds};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "kneetrack",
    version,
    about = "Single-leg squat movement screen: does the knee stay over the foot?",
    long_about = "Watches a video of single-leg half squats, finds the body with an ONNX pose model, \
        measures how the knee tracks over the foot (frontal-plane projection angle, knee-over-foot drift) \
        and rates gluteal control as good, fair or poor. A movement screen, not a diagnosis.\n\n\
        Exit status: 0 when every clip was analysed (an inconclusive verdict included), \
        1 when a clip or the model could not be processed, 2 for usage errors."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse clips (files or folders of clips) and print the verdict.
    Analyze(AnalyzeArgs),
    /// List the pose models kneetrack knows and whether their files are present.
    Models,
    /// Measure pose inference speed per model and thread count, and an end-to-end run on a clip.
    Bench(BenchArgs),
    /// Render a synthetic squatter clip with exact ground truth (mp4 + .truth.json).
    Synth(Box<kneetrack::synth::SynthArgs>),
}

/// The verdict thresholds: defaults, the `--thresholds` file, and its `--sex` entries.
fn thresholds_for(args: &AnalyzeArgs) -> Result<Thresholds, Error> {
    let th = match &args.thresholds {
        Some(path) => Thresholds::load(path)?,
        None => Thresholds::default(),
    };
    let Some(sex) = args.sex else {
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

#[derive(clap::Args)]
struct AnalyzeArgs {
    /// Video files, or folders whose videos are analysed.
    #[arg(required = true)]
    clips: Vec<PathBuf>,
    /// Pose model: a name from `kneetrack models`, or a path to a MoveNet-style .onnx file.
    #[arg(long, short, default_value = catalog::DEFAULT_MODEL)]
    model: String,
    /// JSON file overriding verdict thresholds (see src/thresholds.rs for the names and sources).
    #[arg(long, value_name = "FILE")]
    thresholds: Option<PathBuf>,
    /// The person's sex: applies the `by_sex` entries of the thresholds file (none are built in:
    /// no published sex-specific cut-offs could be sourced, so the pooled norms stand without them).
    #[arg(long, value_enum)]
    sex: Option<Sex>,
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
    /// Analyse only shard K of N (1-based) of the sorted clip list, to split a batch across machines.
    #[arg(long, value_name = "K/N", value_parser = kneetrack::parse_shard)]
    shard: Option<(usize, usize)>,
    /// Clips analysed at the same time (default: one per CPU core, at most 2 for a batch).
    #[arg(long, short)]
    jobs: Option<usize>,
    /// Print only errors (and the JSON if it goes to standard output).
    #[arg(long, short)]
    quiet: bool,
}

#[derive(clap::Args)]
struct BenchArgs {
    /// Models to measure (names or .onnx paths); repeat or separate with commas.
    #[arg(long, short, value_delimiter = ',', default_values_t = [String::from("movenet-lightning"), String::from("movenet-thunder")])]
    model: Vec<String>,
    /// Thread counts to measure (0 = ONNX Runtime's choice).
    #[arg(long, value_delimiter = ',', default_values_t = [1usize, 2])]
    threads: Vec<usize>,
    /// Clip for the end-to-end run (its first frame is also the benchmark frame).
    #[arg(long)]
    clip: Option<PathBuf>,
    /// Timed runs per measurement.
    #[arg(long, default_value_t = 100)]
    runs: usize,
    /// Untimed warm-up runs first.
    #[arg(long, default_value_t = 10)]
    warmup: usize,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

fn bench(args: &BenchArgs) -> Result<(), Error> {
    use kneetrack as bench;
    let (frame, orientation) = bench::bench_frame(args.clip.as_deref())?;
    let mut models = Vec::new();
    let mut clips = Vec::new();
    for name in &args.model {
        let choice = catalog::resolve(name)?;
        for &threads in &args.threads {
            let b = bench::bench_model(
                &choice,
                threads,
                &frame,
                &orientation,
                args.warmup,
                args.runs.max(1),
            )?;
            if !args.json {
                println!("{}", bench::format_model(&b));
            }
            models.push(b);
        }
        if let Some(clip) = &args.clip {
            let threads = args.threads.first().copied().unwrap_or(0);
            let b = bench::bench_clip(&choice, threads, clip)?;
            if !args.json {
                println!("{}", bench::format_clip(&b));
            }
            clips.push(b);
        }
    }
    if args.json {
        let out =
            serde_json::json!({ "machine": machine_summary(), "models": models, "clips": clips });
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    }
    Ok(())
}

/// CPU model and core count, for benchmark records.
fn machine_summary() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    format!("{cpu}, {cores} cores")
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

/// Progress bars on stderr: one per worker (frames) and one for the batch (clips).
struct Progress {
    multi: MultiProgress,
    workers: Vec<ProgressBar>,
    clips: ProgressBar,
}

impl Progress {
    fn new(hidden: bool, workers: usize, clips: usize) -> Self {
        let multi = MultiProgress::new();
        if hidden || !std::io::stderr().is_terminal() {
            multi.set_draw_target(indicatif::ProgressDrawTarget::hidden());
        }
        let style = ProgressStyle::with_template(
            "{prefix:>24!} [{bar:30}] {pos}/{len} frames {per_sec} ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        let workers = (0..workers)
            .map(|_| multi.add(ProgressBar::new(0).with_style(style.clone())))
            .collect();
        let clips = if clips > 1 {
            multi.add(
                ProgressBar::new(clips as u64).with_style(
                    ProgressStyle::with_template("{prefix:>24} [{bar:30}] {pos}/{len} clips")
                        .unwrap_or_else(|_| ProgressStyle::default_bar())
                        .progress_chars("=> "),
                ),
            )
        } else {
            ProgressBar::hidden()
        };
        clips.set_prefix("batch");
        Progress {
            multi,
            workers,
            clips,
        }
    }

    fn frame(&self, worker: usize, clip: &Path, done: u64, total: Option<u64>) {
        if let Some(bar) = self.workers.get(worker) {
            if done <= 1 {
                bar.set_prefix(
                    clip.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                );
                bar.reset();
            }
            bar.set_length(total.unwrap_or(done).max(done));
            bar.set_position(done);
        }
    }

    /// Prints a line above the bars.
    fn println(&self, text: &str, to_stderr: bool) {
        if self.multi.is_hidden() {
            if to_stderr {
                eprint!("{text}");
            } else {
                print!("{text}");
            }
        } else {
            let _ = self.multi.println(text.trim_end());
        }
    }
}

fn analyze(args: &AnalyzeArgs) -> Result<bool, Error> {
    let mut clips = expand_inputs(&args.clips);
    if clips.is_empty() {
        return Err(Error::input(&args.clips[0], "holds no video files"));
    }
    if let Some((k, n)) = args.shard {
        clips = kneetrack::shard(clips, k, n);
    }
    let stdout_json = args.json.as_deref().is_some_and(|j| j.as_os_str() == "-");
    let (json, html) = match &args.out {
        Some(dir) => (
            args.json.clone().or(Some(dir.clone())),
            args.html.clone().or(Some(dir.clone())),
        ),
        None => (args.json.clone(), args.html.clone()),
    };
    let mut plan = OutputPlan::new(json, args.csv.clone(), args.video.clone(), html, &clips);
    plan.batch |= args.out.is_some();
    plan.create_folders()?;
    if args.skip_existing && plan.json.as_ref().is_none_or(|j| j.as_os_str() == "-") {
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
    };
    if clips.is_empty() {
        eprintln!("kneetrack: shard {:?} holds no clips", args.shard);
        return Ok(true);
    }
    let progress = Progress::new(args.quiet, jobs.min(clips.len()), clips.len());
    let mut all_ok = true;
    let rows = kneetrack::run_batch(
        &clips,
        &plan,
        &opts,
        &|w, clip, done, total| progress.frame(w, clip, done, total),
        &mut |_, done| {
            progress.clips.inc(1);
            match done {
                ClipDone::Analysed(a, _) => {
                    if stdout_json {
                        match kneetrack::to_json(a) {
                            Ok(text) => println!("{text}"),
                            Err(e) => eprintln!("kneetrack: error: {e}"),
                        }
                    }
                    if !args.quiet {
                        progress.println(&kneetrack::terminal_summary(a), stdout_json);
                    }
                }
                ClipDone::Skipped(row) => {
                    if !args.quiet {
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
    let _ = progress.multi.clear();
    if clips.len() > 1 && !args.quiet {
        let table = kneetrack::summary_table(&rows);
        if stdout_json {
            eprint!("\n{table}");
        } else {
            print!("\n{table}");
        }
    }
    if let Some(dir) = &args.out {
        kneetrack::write_atomically(
            &dir.join("summary.csv"),
            kneetrack::summary_csv(&rows).as_bytes(),
        )?;
        kneetrack::write_atomically(
            &dir.join("index.html"),
            kneetrack::summary_html(&rows, dir).as_bytes(),
        )?;
    }
    Ok(all_ok)
}

fn list_models() {
    use kneetrack::{FileStatus, Manifest};
    let dir = catalog::models_dir();
    println!("models folder: {}", dir.display());
    let manifest = Manifest::load(&dir).ok();
    println!(
        "  {:<18} {:>9} {:>9}  {:<22} {:<40} source",
        "name", "keypoints", "size", "file", "checksum"
    );
    for m in catalog::KNOWN_MODELS {
        let entry = manifest.as_ref().and_then(|mf| mf.entry(m.name));
        let path = dir.join(m.file);
        let size = std::fs::metadata(&path).map_or_else(
            |_| "—".into(),
            |meta| format!("{:.1} MB", meta.len() as f64 / 1e6),
        );
        let status = match entry.map(|e| kneetrack::check_model_file(&dir, e)) {
            Some(FileStatus::Verified) => "sha256 ok".to_string(),
            Some(FileStatus::Mismatch) => "sha256 differs from models.json".to_string(),
            Some(FileStatus::Missing) | None if !path.is_file() => {
                "missing: scripts/build_models.sh".to_string()
            }
            _ => "not in models.json".to_string(),
        };
        let source = entry.map_or_else(String::new, |e| {
            format!("{} ({})", e.source.package, e.source.package_license)
        });
        let default = if m.name == catalog::DEFAULT_MODEL {
            " (default)"
        } else {
            ""
        };
        println!(
            "  {:<18} {:>9} {:>9}  {:<22} {:<40} {source}{default}",
            m.name, m.keypoints, size, m.file, status
        );
    }
}

/// OpenCV's ffmpeg backend prints decoder chatter to stderr; users get our one-line errors instead.
fn quiet_decoder_logs() {
    for (var, value) in [
        ("OPENCV_FFMPEG_LOGLEVEL", "-8"),
        ("OPENCV_LOG_LEVEL", "ERROR"),
    ] {
        if std::env::var_os(var).is_none() {
            std::env::set_var(var, value);
        }
    }
}

fn main() -> ExitCode {
    quiet_decoder_logs();
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Analyze(args) => analyze(&args),
        Command::Models => {
            list_models();
            Ok(true)
        }
        Command::Bench(args) => bench(&args).map(|()| true),
        Command::Synth(args) => kneetrack::synth::run(&args).map(|summary| {
            println!(
                "wrote {} ({}x{} @ {} fps, {} frames, {} reps) and {}",
                summary.video.display(),
                summary.width,
                summary.height,
                summary.fps,
                summary.frames,
                summary.reps,
                summary.truth.display()
            );
            true
        }),
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!(
                "kneetrack: error: {}",
                kneetrack::first_line(&e.to_string())
            );
            exit_status(&e)
        }
    }
}

/// The exit status promised in `--help`: 2 for usage errors, 1 for every other failure.
fn exit_status(e: &Error) -> ExitCode {
    match e {
        Error::Usage { .. } => ExitCode::from(2),
        _ => ExitCode::from(1),
    }
}
