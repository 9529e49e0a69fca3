//! Every output path checked before any clip is analysed: none may be an input (a clip, the
//! thresholds file, the model) or another output, whatever the spelling (`./x.mp4`, a symbolic
//! link, a hard link), so a clip is never written over; and every folder written in must exist and
//! take a file, so a long analysis never fails at its end for want of a place to put the result.
use crate::batch::plan::OutputPlan;
use crate::error::{Error, Result};
use crate::output::sink::Sink;
use crate::output::target::Target;
use std::collections::{HashMap, HashSet};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// A path as the filesystem sees it: its symbolic links and `.`/`..` resolved (as far as it
/// exists), and, when it exists, its (device, inode), which hard links share.
struct Identity {
    resolved: PathBuf,
    inode: Option<(u64, u64)>,
}

impl Identity {
    fn of(path: &Path) -> Self {
        Identity {
            resolved: resolve(path),
            inode: std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino())),
        }
    }
}

/// Paths seen so far, by their resolved form and by their inode.
#[derive(Default)]
struct Seen<'a> {
    by_path: HashMap<PathBuf, &'a str>,
    by_inode: HashMap<(u64, u64), &'a str>,
}

impl<'a> Seen<'a> {
    fn find(&self, id: &Identity) -> Option<&'a str> {
        id.inode
            .and_then(|i| self.by_inode.get(&i))
            .or_else(|| self.by_path.get(&id.resolved))
            .copied()
    }
    fn add(&mut self, id: Identity, what: &'a str) {
        if let Some(i) = id.inode {
            self.by_inode.insert(i, what);
        }
        self.by_path.insert(id.resolved, what);
    }
}

/// One output of the run: the flag that asked for it and the path it will be written to.
struct Output {
    flag: &'static str,
    path: PathBuf,
}

/// Checks every output of the run before any work. `inputs` are the clips of the whole run (every
/// shard: an output of this shard must not replace another shard's clip) and the other files read
/// (thresholds, model); `summary_dir` is `--out`, which also receives summary.csv and index.html.
/// A path that is an input or another output is a usage error (exit 2); a folder that does not
/// exist or takes no file (read-only, a file in the way) an output error. The batch's output
/// folders are made here, after the clash checks and before the writability checks.
pub fn check_outputs(
    plan: &OutputPlan,
    clips: &[PathBuf],
    inputs: &[PathBuf],
    summary_dir: Option<&Path>,
) -> Result<()> {
    let outputs = outputs_of(plan, clips, summary_dir);
    let mut read = Seen::default();
    let names: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
    for (input, name) in inputs.iter().zip(&names) {
        if input.exists() {
            read.add(Identity::of(input), name);
        }
    }
    let mut written = Seen::default();
    for out in &outputs {
        let id = Identity::of(&out.path);
        if let Some(input) = read.find(&id) {
            return Err(Error::usage(format!(
                "{} {} would write over the input {input}: give the output another path",
                out.flag,
                out.path.display()
            )));
        }
        // Two outputs into one character device (`--json /dev/null --csv /dev/null`) harm nothing.
        if is_char_device(&out.path) {
            continue;
        }
        if let Some(other) = written.find(&id) {
            return Err(Error::usage(format!(
                "{other} and {} both write {}: give each output its own path",
                out.flag,
                out.path.display()
            )));
        }
        written.add(id, out.flag);
    }
    if plan.batch {
        // A batch's output paths name folders (made next): a file in the way says so.
        let json = plan.json.as_ref().and_then(Target::file);
        let bases = [
            json,
            plan.csv.as_deref(),
            plan.video.as_deref(),
            plan.html.as_deref(),
        ];
        for base in bases.into_iter().flatten().chain(summary_dir) {
            if base.exists() && !base.is_dir() {
                return Err(Error::output(
                    base,
                    "is not a folder (with several clips or --out, output paths name folders)",
                ));
            }
        }
    }
    plan.create_folders()?;
    let mut probed = HashSet::new();
    for out in &outputs {
        check_writable(&out.path, &mut probed)?;
    }
    Ok(())
}

/// Every file the run will write, with the flag that asked for it.
fn outputs_of(plan: &OutputPlan, clips: &[PathBuf], summary_dir: Option<&Path>) -> Vec<Output> {
    let json = match &plan.json {
        Some(Target::File(p)) => Some(p.as_path()),
        _ => None,
    };
    let mut outputs = Vec::new();
    for (flag, base, ext) in [
        ("--json", json, "json"),
        ("--csv", plan.csv.as_deref(), "csv"),
        ("--video", plan.video.as_deref(), "mp4"),
        ("--html", plan.html.as_deref(), "html"),
    ] {
        let Some(base) = base else { continue };
        let flag = match summary_dir {
            Some(dir) if dir == base => "--out",
            _ => flag,
        };
        for clip in clips {
            outputs.push(Output {
                flag,
                path: plan.destination(base, clip, ext),
            });
        }
    }
    if let Some(dir) = summary_dir {
        for name in ["summary.csv", "index.html"] {
            outputs.push(Output {
                flag: "--out",
                path: dir.join(name),
            });
        }
    }
    outputs
}

fn is_char_device(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata(path).is_ok_and(|m| m.file_type().is_char_device())
}

/// Can `path` be written? A device, FIFO or descriptor is written straight into (nothing to
/// check without opening it, and opening a FIFO waits for its reader); a file needs its folder to
/// exist and to take a new file, which is tried once per folder with a hidden probe file.
fn check_writable(path: &Path, probed: &mut HashSet<PathBuf>) -> Result<()> {
    let Sink::File(file) = Sink::of(path)? else {
        return Ok(());
    };
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !probed.insert(dir.clone()) {
        return Ok(());
    }
    match std::fs::metadata(&dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(Error::output(
                path,
                format!("cannot be written: {} is not a folder", dir.display()),
            ))
        }
        Err(_) => {
            return Err(Error::output(
                path,
                format!(
                    "cannot be written: its folder {} does not exist",
                    dir.display()
                ),
            ))
        }
    }
    let probe = dir.join(format!(".kneetrack-probe-{}", std::process::id()));
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::output_caused(
            path,
            format_args!("cannot be written in {}", dir.display()),
            e,
        )),
    }
}

/// `path` made absolute with its existing part canonical (symbolic links and `..` resolved) and the
/// rest, the part still to be created, appended as given.
fn resolve(path: &Path) -> PathBuf {
    let absolute = std::env::current_dir()
        .map(|cwd| cwd.join(path))
        .unwrap_or_else(|_| path.to_path_buf());
    let mut head = absolute.as_path();
    let mut tail = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(head) {
            return tail.iter().rev().fold(real, |p, part| p.join(part));
        }
        match (head.parent(), head.file_name()) {
            (Some(parent), Some(name)) => {
                tail.push(name.to_os_string());
                head = parent;
            }
            _ => return absolute,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(json: Option<&Path>, csv: Option<&Path>, clips: &[PathBuf]) -> OutputPlan {
        OutputPlan::new(
            json.map(|p| Target::File(p.into())),
            csv.map(|p| Target::File(p.into())),
            None,
            None,
            clips,
        )
        .unwrap()
    }

    #[test]
    fn an_output_that_is_an_input_or_another_output_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let clip = dir.path().join("x.mp4");
        std::fs::write(&clip, b"clip").unwrap();
        let link = dir.path().join("link.mp4");
        std::os::unix::fs::symlink(&clip, &link).unwrap();
        let hard = dir.path().join("hard.mp4");
        std::fs::hard_link(&clip, &hard).unwrap();
        let dotted = dir.path().join("sub/../x.mp4");
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let clips = vec![clip.clone()];
        for out in [&clip, &link, &hard, &dotted] {
            let e =
                check_outputs(&plan(Some(out), None, &clips), &clips, &clips, None).unwrap_err();
            assert!(matches!(e, Error::Usage { .. }), "{e}");
            assert!(e.to_string().contains("would write over the input"), "{e}");
        }
        let same = dir.path().join("r.json");
        let e = check_outputs(
            &plan(Some(&same), Some(&same), &clips),
            &clips,
            &clips,
            None,
        )
        .unwrap_err();
        assert!(e.to_string().contains("--json and --csv both write"), "{e}");
        let null = Path::new("/dev/null");
        check_outputs(&plan(Some(null), Some(null), &clips), &clips, &clips, None).unwrap();
        assert_eq!(std::fs::read(&clip).unwrap(), b"clip");
    }

    #[test]
    fn a_folder_that_cannot_take_a_file_is_found_first() {
        let dir = tempfile::tempdir().unwrap();
        let clip = dir.path().join("x.mp4");
        std::fs::write(&clip, b"clip").unwrap();
        let clips = vec![clip];
        let missing = dir.path().join("missing/r.json");
        let e =
            check_outputs(&plan(Some(&missing), None, &clips), &clips, &clips, None).unwrap_err();
        assert!(e.to_string().contains("does not exist"), "{e}");
        let under_file = dir.path().join("x.mp4/r.json");
        let e = check_outputs(&plan(Some(&under_file), None, &clips), &clips, &clips, None)
            .unwrap_err();
        assert!(e.to_string().contains("is not a folder"), "{e}");
        let two = vec![clips[0].clone(), dir.path().join("y.mp4")];
        let mut batch = plan(Some(&clips[0]), None, &two);
        batch.batch = true;
        let e = check_outputs(&batch, &two, &two, None).unwrap_err();
        assert!(
            e.to_string().contains("is not a folder (with several"),
            "{e}"
        );
        let ok = dir.path().join("r.json");
        check_outputs(&plan(Some(&ok), None, &clips), &clips, &clips, None).unwrap();
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "the probe is gone: {names:?}");
    }
}
