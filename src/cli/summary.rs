//! `kneetrack summary DIR…`: one summary.csv and index.html over the reports that independent
//! shards (`analyze --shard …`) left in one folder or several.
use kneetrack::Error;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct SummaryArgs {
    /// Folders holding `*.kneetrack.json` reports (the `--out` folders of the shards).
    #[arg(required = true)]
    dirs: Vec<PathBuf>,
    /// Where summary.csv and index.html go (default: the folder given, when there is one).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

/// `kneetrack summary`: `Ok(false)` when some report could not be read (it is listed as an error).
pub fn run(args: &SummaryArgs) -> Result<bool, Error> {
    let out = match (&args.out, args.dirs.as_slice()) {
        (Some(out), _) => out.clone(),
        (None, [one]) => one.clone(),
        (None, _) => {
            return Err(Error::usage(
                "several folders: say where the merged summary goes with --out DIR",
            ))
        }
    };
    let reports = kneetrack::reports_in(&args.dirs)?;
    if reports.is_empty() {
        return Err(Error::input(
            &args.dirs[0],
            "holds no kneetrack reports (*.kneetrack.json)",
        ));
    }
    let rows = kneetrack::rows_from_reports(&reports);
    std::fs::create_dir_all(&out).map_err(|e| Error::output(&out, e.to_string()))?;
    kneetrack::write_atomically(
        &out.join("summary.csv"),
        kneetrack::summary_csv(&rows, &out).as_bytes(),
    )?;
    kneetrack::write_atomically(
        &out.join("index.html"),
        kneetrack::summary_html(&rows, &out).as_bytes(),
    )?;
    if !args.quiet {
        super::stdout::write(&kneetrack::summary_table(&rows))?;
        super::stdout::line(&format!(
            "wrote {} and {}",
            kneetrack::display_name(&out.join("summary.csv")),
            kneetrack::display_name(&out.join("index.html"))
        ))?;
    }
    Ok(rows
        .iter()
        .all(|r| r.verdict != kneetrack::RowVerdict::Error))
}
