//! `kneetrack bench`: pose inference speed per model and thread count, and a whole clip.
use kneetrack::models as catalog;
use kneetrack::Error;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct BenchArgs {
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
    /// End-to-end analyses of the clip per model (mean ± σ of wall and CPU time).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=1000))]
    clip_runs: u64,
    /// Poses per second at most in the end-to-end runs (0 = every frame), as `analyze --pose-rate`.
    #[arg(long, value_name = "HZ", default_value_t = 30.0, value_parser = super::analyze::parse_pose_rate)]
    pose_rate: f64,
    /// As `analyze --coarse-rate` (0 = off).
    #[arg(long, value_name = "HZ", default_value_t = 0.0, value_parser = super::analyze::parse_coarse_rate)]
    coarse_rate: f64,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// `kneetrack bench`: times each model at each thread count, then the clip end to end.
pub fn run(args: &BenchArgs) -> Result<(), Error> {
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
                super::stdout::line(&bench::format_model(&b))?;
            }
            models.push(b);
        }
        if let Some(clip) = &args.clip {
            let threads = args.threads.first().copied().unwrap_or(0);
            let rate = kneetrack::PoseRate {
                max_hz: args.pose_rate,
                coarse_hz: args.coarse_rate,
            };
            let b = bench::bench_clip(&choice, threads, rate, clip, args.clip_runs as usize)?;
            if !args.json {
                super::stdout::line(&bench::format_clip(&b))?;
            }
            clips.push(b);
        }
    }
    if args.json {
        let out = serde_json::json!({
            "version": env!("CARGO_PKG_VERSION"),
            "timestamp": bench::utc_now(),
            "machine": machine_summary(),
            "load_average": bench::load_average(),
            "parameters": {
                "models": args.model,
                "threads": args.threads,
                "runs": args.runs,
                "warmup": args.warmup,
                "clip": args.clip,
                "clip_runs": args.clip_runs,
                "pose_rate_hz": args.pose_rate,
            },
            "models": models,
            "clips": clips,
        });
        super::stdout::line(&serde_json::to_string_pretty(&out).unwrap_or_default())?;
    } else {
        let summaries = [
            bench::format_summary("pose step per frame", &bench::model_entries(&models)),
            bench::format_summary("end to end", &bench::clip_entries(&clips)),
        ];
        for s in summaries.iter().filter(|s| !s.is_empty()) {
            super::stdout::line(s)?;
        }
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
