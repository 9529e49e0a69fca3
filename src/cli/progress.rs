//! Progress bars for `kneetrack analyze`, drawn on stderr only when it is a terminal.
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::Path;

/// A rate as people read it: "4.6 clips/s", "31 frames/s"; under one a second, "2.5 s/clip".
fn rate(
    unit: &'static str,
) -> impl Fn(&indicatif::ProgressState, &mut dyn std::fmt::Write) + Send + Sync + Clone {
    move |state, w| {
        let per_sec = state.per_sec();
        let _ = if !per_sec.is_finite() || per_sec <= 0.0 {
            write!(w, "— {unit}/s")
        } else if per_sec >= 10.0 {
            write!(w, "{per_sec:.0} {unit}/s")
        } else if per_sec >= 1.0 {
            write!(w, "{per_sec:.1} {unit}/s")
        } else {
            write!(w, "{:.1} s/{}", 1.0 / per_sec, unit.trim_end_matches('s'))
        };
    }
}

/// Progress bars on stderr: one per worker (frames) and one for the batch (clips).
pub struct Progress {
    multi: MultiProgress,
    workers: Vec<ProgressBar>,
    clips: ProgressBar,
}

impl Progress {
    pub fn new(hidden: bool, workers: usize, clips: usize) -> Self {
        let multi = MultiProgress::new();
        if hidden || !std::io::stderr().is_terminal() {
            multi.set_draw_target(indicatif::ProgressDrawTarget::hidden());
        }
        let style = ProgressStyle::with_template(
            "{prefix:>24!} [{bar:30}] {pos}/{len} frames {rate} ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .with_key("rate", rate("frames"))
        .progress_chars("=> ");
        let workers = (0..workers)
            .map(|_| multi.add(ProgressBar::new(0).with_style(style.clone())))
            .collect();
        let clips = if clips > 1 {
            multi.add(
                ProgressBar::new(clips as u64).with_style(
                    ProgressStyle::with_template(
                        "{prefix:>24} [{bar:30}] {pos}/{len} clips {rate} ETA {eta}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .with_key("rate", rate("clips"))
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

    pub fn frame(&self, worker: usize, clip: &Path, done: u64, total: Option<u64>) {
        if let Some(bar) = self.workers.get(worker) {
            if done <= 1 {
                bar.set_prefix(
                    clip.file_name()
                        .map(|n| kneetrack::display_name(Path::new(n)))
                        .unwrap_or_default(),
                );
                bar.reset();
            }
            bar.set_length(total.unwrap_or(done).max(done));
            bar.set_position(done);
        }
    }

    /// Counts one clip of the batch as done (analysed, kept or failed).
    pub fn clip_done(&self) {
        self.clips.inc(1);
    }

    /// Takes the bars off the terminal.
    pub fn clear(&self) {
        let _ = self.multi.clear();
    }

    /// Prints a line above the bars (on standard output unless `to_stderr`; see
    /// [`super::stdout`] for a closed or full one).
    pub fn println(&self, text: &str, to_stderr: bool) -> Result<(), kneetrack::Error> {
        if self.multi.is_hidden() {
            if to_stderr {
                super::stdout::to_stderr(text);
            } else {
                return super::stdout::write(text);
            }
        } else {
            let _ = self.multi.println(text.trim_end());
        }
        Ok(())
    }
}
