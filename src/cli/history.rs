//! `kneetrack history REPORT.json…|DIR…`: each athlete's sessions over time, per leg, with the
//! changes that are beyond what 2D video can tell apart.
use kneetrack::Error;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct HistoryArgs {
    /// JSON reports (`analyze --json`), or folders searched for `*.kneetrack.json`.
    #[arg(required = true)]
    reports: Vec<PathBuf>,
    /// Write an HTML page with a trend plot per leg here.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Write the history as CSV here (a row per athlete, session and leg).
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Only this athlete's sessions.
    #[arg(long, value_name = "NAME")]
    athlete: Option<String>,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: &HistoryArgs) -> Result<(), Error> {
    let mut athletes = kneetrack::load_history(&args.reports)?;
    if let Some(name) = &args.athlete {
        athletes.retain(|a| &a.name == name);
        if athletes.is_empty() {
            return Err(Error::usage(format!(
                "no reports of athlete {name:?} among the reports given"
            )));
        }
    }
    if let Some(path) = &args.html {
        kneetrack::write_atomically(path, kneetrack::history_html(&athletes).as_bytes())?;
    }
    if let Some(path) = &args.csv {
        kneetrack::write_atomically(path, kneetrack::history_csv(&athletes).as_bytes())?;
    }
    if !args.quiet {
        super::stdout::write(&kneetrack::history_table(&athletes))?;
    }
    Ok(())
}
