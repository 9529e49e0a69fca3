//! The `kneetrack` command line: the clap definitions, and one module per command that turns its
//! flags into library calls. The library itself knows nothing of clap.
pub mod analyze;
pub mod bench;
pub mod history;
pub mod models;
mod progress;
pub mod stdout;
pub mod summary;
pub mod synth;
mod value_enum;

use clap::{Parser, Subcommand};

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
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Analyse clips (files or folders of clips) and print the verdict.
    Analyze(analyze::AnalyzeArgs),
    /// List the pose models kneetrack knows and whether their files are present.
    Models,
    /// Measure pose inference speed per model and thread count, and an end-to-end run on a clip.
    Bench(bench::BenchArgs),
    /// Merge the reports of several shards (or folders) into one summary.csv and index.html.
    Summary(summary::SummaryArgs),
    /// Each athlete's sessions over time, per leg: peak FPPA, drift, verdict and real changes.
    History(history::HistoryArgs),
    /// Render a synthetic squatter clip with exact ground truth (mp4 + .truth.json).
    Synth(Box<synth::SynthArgs>),
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
