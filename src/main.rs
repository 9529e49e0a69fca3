//! The `kneetrack` command line: parses the flags, runs the command (src/cli/), exits with the
//! status `--help` promises.
mod cli;

use clap::Parser;
use cli::{Cli, Command};
use kneetrack::Error;
use std::process::ExitCode;

fn main() -> ExitCode {
    one_line_panics();
    clean_up_on_signals();
    quiet_decoder_logs();
    let outcome = match Cli::parse().command {
        Command::Analyze(args) => cli::analyze::run(&args),
        Command::Models => cli::models::list().map(|()| true),
        Command::Bench(args) => cli::bench::run(&args).map(|()| true),
        Command::Synth(args) => cli::synth::run(&args).map(|()| true),
        Command::Summary(args) => cli::summary::run(&args),
        Command::History(args) => cli::history::run(&args).map(|()| true),
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            cli::stdout::to_stderr(&format!(
                "kneetrack: error: {}\n",
                kneetrack::first_line(&e.to_string())
            ));
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

/// A bug must still end in one line, not a backtrace: the hook prints what panicked and where
/// (the process then exits 101). The line says "panicked", which the tests look for.
fn one_line_panics() {
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let at = info
            .location()
            .map(|l| format!(" (panicked at {}:{})", l.file(), l.line()))
            .unwrap_or_default();
        cli::stdout::to_stderr(&format!(
            "kneetrack: error: internal error{at}: {}\n",
            kneetrack::first_line(&what)
        ));
    }));
}

/// Ctrl-C (SIGINT), SIGTERM or SIGHUP: kill the running encoders and remove the temporary files
/// being written (`kneetrack::clean_up_interrupted`), then exit with 128 + the signal's number,
/// as the shell would show for a process the signal ended.
fn clean_up_on_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            kneetrack::clean_up_interrupted();
            cli::stdout::to_stderr(&format!(
                "kneetrack: interrupted (signal {signal}): temporary files removed\n"
            ));
            std::process::exit(128 + signal);
        }
    });
}
