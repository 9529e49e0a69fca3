//! Standard output for every command: `println!` panics when the reader has gone (`| head -1`)
//! or the disk is full (`> /dev/full`). Here a closed pipe ends the output quietly, as in ripgrep
//! (the run itself goes on: a batch still finishes its clips and writes its summary), and any
//! other failure is a one-line error.
use kneetrack::Error;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once the reader of standard output has gone: later output is dropped.
static CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `text` to standard output and flushes it.
pub fn write(text: &str) -> Result<(), Error> {
    if CLOSED.load(Ordering::Relaxed) {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            CLOSED.store(true, Ordering::Relaxed);
            Ok(())
        }
        Err(e) => Err(Error::output_caused(
            Path::new("standard output"),
            "cannot write",
            e,
        )),
    }
}

/// Writes `text` to standard error, ignoring failure: `eprint!` panics when stderr is a closed
/// pipe (`2>&1 | head -1`), and there is nowhere left to report that.
pub fn to_stderr(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// [`write`] with a newline.
pub fn line(text: &str) -> Result<(), Error> {
    write(&format!("{text}\n"))
}
