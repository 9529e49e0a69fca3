//! The `kneetrack` command line: parses the flags, runs the command (src/cli/), exits with the
//! status `--help` promises.
mod cli;

use clap::Parser;
use cli::{Cli, Command};
use kneetrack::Error;
use std::process::ExitCode;

fn main() -> ExitCode {
    quiet_decoder_logs();
    let outcome = match Cli::parse().command {
        Command::Analyze(args) => cli::analyze::run(&args),
        Command::Models => {
            cli::models::list();
            Ok(true)
        }
        Command::Bench(args) => cli::bench::run(&args).map(|()| true),
        Command::Synth(args) => cli::synth::run(&args).map(|()| true),
        Command::Summary(args) => cli::summary::run(&args),
        Command::History(args) => cli::history::run(&args).map(|()| true),
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
