//! The visual outputs (`--video`, `--html`) of `kneetrack analyze` on the bundled synthetic clips:
//! the annotated video keeps the clip's size, rate and length and paints the knee in the verdict
//! colour; the HTML report is complete, self-contained, escapes hostile file names and renders in
//! a headless Chromium (where one is installed). A clip of both legs, one after the other, gets
//! its bouts and a verdict per leg in the JSON, the CSV and the terminal summary.
use crate::common::kneetrack;
use kneetrack::verdict_rgb;
use kneetrack::Verdict;
use kneetrack::DISCLAIMER;
use opencv::core::Vec3b;
use opencv::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const MODEL: &str = "movenet-lightning";
/// `<script>x</script>.mp4` cannot be one file name (`/` separates folders), so the valgus clip
/// lives at `<script>x<` / `script>.mp4`: its path holds `<script>x</script>.mp4`. The good clip is
/// named with an HTML attribute injection.
const SCRIPT_DIR: &str = "<script>x<";
const SCRIPT_STEM: &str = "script>";
const IMG_STEM: &str = "<img src=x onerror=alert(1)>";

/// One batch run over two clips — the valgus sample under a hostile name and the good sample —
/// shared by the tests below (the analysis is the slow part).
struct Batch {
    out: PathBuf,
    clips: Vec<(PathBuf, String)>, // (input clip, output stem)
}

impl Batch {
    fn file(&self, stem: &str, ext: &str) -> PathBuf {
        self.out.join(format!("{stem}.kneetrack.{ext}"))
    }
    fn json(&self, stem: &str) -> Value {
        serde_json::from_slice(&std::fs::read(self.file(stem, "json")).unwrap()).unwrap()
    }
    fn html(&self, stem: &str) -> String {
        std::fs::read_to_string(self.file(stem, "html")).unwrap()
    }
}

fn batch() -> &'static Batch {
    static RUN: OnceLock<Batch> = OnceLock::new();
    RUN.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("outputs-batch");
        let _ = std::fs::remove_dir_all(&root);
        let inputs = root.join("in");
        let out = root.join("out");
        std::fs::create_dir_all(&inputs).unwrap();
        std::fs::create_dir_all(inputs.join(SCRIPT_DIR)).unwrap();
        let valgus = inputs.join(SCRIPT_DIR).join(format!("{SCRIPT_STEM}.mp4"));
        assert!(valgus.to_string_lossy().ends_with("<script>x</script>.mp4"));
        std::fs::copy(crate::common::sample("valgus.mp4"), &valgus).unwrap();
        let good = inputs.join(format!("{IMG_STEM}.mp4"));
        std::fs::copy(crate::common::sample("good.mp4"), &good).unwrap();
        let mut args: Vec<&std::ffi::OsStr> = vec!["analyze".as_ref(), "--quiet".as_ref()];
        args.extend(["--model", MODEL].map(std::ffi::OsStr::new));
        for flag in ["--video", "--html", "--json", "--csv"] {
            args.push(flag.as_ref());
            args.push(out.as_os_str());
        }
        args.push(valgus.as_os_str());
        args.push(good.as_os_str());
        let o = kneetrack(&args);
        assert!(
            o.status.success(),
            "analyze failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        Batch {
            out,
            clips: vec![(valgus, SCRIPT_STEM.into()), (good, IMG_STEM.into())],
        }
    })
}

/// The raw keypoint `joint` (e.g. "left_knee") at frame `index` from the per-frame CSV.
fn keypoint(csv: &str, index: u64, joint: &str) -> (f64, f64, f64) {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (x, y, s) = (
        col(&format!("{joint}_x")),
        col(&format!("{joint}_y")),
        col(&format!("{joint}_score")),
    );
    let row: Vec<&str> = lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|r| r[0].parse::<u64>().unwrap() == index)
        .unwrap();
    let f = |i: usize| row[i].parse::<f64>().unwrap();
    (f(x), f(y), f(s))
}

#[test]
fn annotated_video_keeps_size_rate_and_length() {
    let b = batch();
    for (clip, stem) in &b.clips {
        let (src, src_frames) = crate::common::display_frames(clip);
        let annotated = b.file(stem, "mp4");
        let (out, out_frames) = crate::common::display_frames(&annotated);
        assert_eq!((out.width, out.height), (src.width, src.height), "{stem}");
        assert_eq!(out.orientation.rotation_cw, 0, "written upright");
        assert!(
            (out.fps - src.fps).abs() < 0.01,
            "{} vs {}",
            out.fps,
            src.fps
        );
        assert_eq!(out_frames.len(), src_frames.len(), "{stem}: frame count");
        assert!(
            matches!(out.codec.as_str(), "avc1" | "h264" | "H264"),
            "browsers need H.264, got {}",
            out.codec
        );
        // No audio stream and no stray temporary files.
        let probe = Command::new("ffprobe")
            .args([
                "-v",
                "error",
                "-show_entries",
                "stream=codec_type",
                "-of",
                "csv=p=0",
            ])
            .arg(&annotated)
            .output();
        if let Ok(p) = probe {
            assert_eq!(String::from_utf8_lossy(&p.stdout).trim(), "video");
        }
    }
    let stray: Vec<_> = std::fs::read_dir(&b.out)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(stray.is_empty(), "temporary files left: {stray:?}");
}

#[test]
fn knee_at_each_rep_bottom_is_painted_in_the_rep_verdict_colour() {
    let b = batch();
    let mut verdicts = Vec::new();
    for (_, stem) in &b.clips {
        let report = b.json(stem);
        let a = &report["assessment"];
        let side = a["stance"]["side"].as_str().expect("single-leg stance");
        let csv = std::fs::read_to_string(b.file(stem, "csv")).unwrap();
        let (_, video) = crate::common::display_frames(&b.file(stem, "mp4"));
        let reps = a["reps"].as_array().unwrap();
        assert!(!reps.is_empty(), "{stem}: no reps");
        for rep in reps {
            let bottom = rep["bottom_frame"].as_u64().unwrap();
            let verdict: Verdict = match rep["verdict"].as_str().unwrap() {
                "good" => Verdict::Good,
                "fair" => Verdict::Fair,
                "poor" => Verdict::Poor,
                _ => Verdict::Inconclusive,
            };
            verdicts.push(verdict);
            let (x, y, score) = keypoint(&csv, bottom, &format!("{side}_knee"));
            assert!(score >= 0.3, "knee not seen at the bottom of a rep");
            let frame = &video[bottom as usize];
            // Mean colour of the 3x3 pixels at the knee (H.264 blurs single pixels).
            let mut sum = [0.0; 3];
            for dy in -1..=1 {
                for dx in -1..=1 {
                    let p = frame
                        .at_2d::<Vec3b>(y.round() as i32 + dy, x.round() as i32 + dx)
                        .unwrap();
                    for c in 0..3 {
                        sum[c] += p[c] as f64 / 9.0;
                    }
                }
            }
            let (r, g, bl) = verdict_rgb(verdict);
            let want = [bl as f64, g as f64, r as f64];
            let diff = (0..3).map(|c| (sum[c] - want[c]).abs()).fold(0.0, f64::max);
            assert!(
                diff < 40.0,
                "{stem} rep bottom {bottom}: knee pixel BGR {sum:?}, want {want:?} ({verdict:?})"
            );
        }
    }
    // The two clips give different colours: red for the valgus clip, green for the good one.
    assert!(verdicts.contains(&Verdict::Poor) && verdicts.contains(&Verdict::Good));
}

#[test]
fn html_report_is_complete_and_self_contained() {
    let b = batch();
    for (_, stem) in &b.clips {
        let report = b.json(stem);
        let a = &report["assessment"];
        let verdict = a["verdict"].as_str().unwrap();
        let reps = a["reps"].as_array().unwrap().len();
        let html = b.html(stem);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains(&format!("data-verdict=\"{verdict}\"")));
        assert!(html.contains(&format!("Verdict: {verdict}")));
        assert_eq!(
            html.matches("<tr class=\"rep-row\"").count(),
            reps,
            "{stem}"
        );
        assert_eq!(
            html.matches("<svg class=\"plot wide\"").count(),
            5,
            "FPPA, drift, depth, pelvic drop and trunk lean plots"
        );
        assert_eq!(
            html.matches("<svg").count(),
            10,
            "each plot drawn for wide screens and for phones"
        );
        // Per rep its standing frame, its bottom and the knee crop, every one embedded.
        assert_eq!(
            html.matches("<figure class=\"bottom\"").count(),
            reps,
            "one bottom frame per rep"
        );
        assert_eq!(html.matches("<figure class=\"standing\"").count(), reps);
        assert_eq!(html.matches("<figure class=\"crop\"").count(), reps);
        assert_eq!(
            html.matches("src=\"data:image/jpeg;base64,").count(),
            3 * reps,
        );
        assert!(html.contains(DISCLAIMER));
        assert!(html.contains(&format!("model</dt><dd>{MODEL}")));
        for r in a["reasons"].as_array().unwrap() {
            let r = r.as_str().unwrap();
            assert!(html.contains(&kneetrack::html_escape(r)), "reason {r:?}");
        }
        // Self-contained: nothing fetched from anywhere.
        for external in ["http://", "https://", "<link", "<script", "url("] {
            assert!(!html.contains(external), "{stem}: contains {external}");
        }
    }
}

#[test]
fn hostile_file_names_are_escaped_in_the_report() {
    let b = batch();
    let html = b.html(SCRIPT_STEM);
    assert!(!html.contains("<script>x</script>"), "path injected");
    assert!(html.contains("&lt;script&gt;x&lt;/script&gt;.mp4"));
    let html = b.html(IMG_STEM);
    assert!(!html.contains("<img src=x"), "file name injected");
    assert!(html.contains("<h1>&lt;img src=x onerror=alert(1)&gt;.mp4</h1>"));
    assert!(html.contains("<title>kneetrack — &lt;img src=x onerror=alert(1)&gt;.mp4</title>"));
}

#[test]
fn headless_chromium_renders_the_report() {
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.exists() {
        eprintln!("skipped: /usr/bin/chromium is not installed (apt-get install chromium)");
        return;
    }
    let b = batch();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("outputs-chromium");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // A plain name for the file:// URL; the content is the hostile-path valgus clip's report.
    let page = dir.join("report.html");
    std::fs::copy(b.file(SCRIPT_STEM, "html"), &page).unwrap();
    let url = format!("file://{}", page.display());
    let profile = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        let mut c = Command::new("timeout");
        c.arg("120").arg(chromium).args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ]);
        c.arg(format!("--user-data-dir={}", profile.path().display()));
        c.args(extra).arg(&url).output().expect("run chromium")
    };
    let shot = dir.join("report.png");
    let o = run(&[
        &format!("--screenshot={}", shot.display()),
        "--window-size=1200,2000",
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(shot.exists(), "no screenshot: {stderr}");
    let img = image::open(&shot).unwrap().to_rgb8();
    assert_eq!(img.dimensions(), (1200, 2000));
    let first = *img.get_pixel(0, 0);
    let differing = img.pixels().filter(|p| **p != first).count();
    assert!(
        differing > (img.len() / 3) / 20,
        "screenshot is nearly blank"
    );
    // The verdict banner's red is on screen.
    let (r, g, bl) = verdict_rgb(Verdict::Poor);
    assert!(
        img.pixels().filter(|p| p.0 == [r, g, bl]).count() > 10_000,
        "no verdict banner colour in the screenshot"
    );
    let o = run(&["--dump-dom"]);
    let dom = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(dom.contains("Verdict: poor"), "DOM lacks the verdict");
    assert!(dom.contains("&lt;script&gt;x&lt;/script&gt;"));
    assert!(
        !dom.contains("<script"),
        "a script element appeared in the DOM"
    );
    for bad in ["CONSOLE", "Uncaught", "Failed to load resource"] {
        assert!(!stderr.contains(bad), "console error: {stderr}");
    }
}

/// A short clip with nobody in it: no reps, an inconclusive verdict — the outputs still render.
fn empty_scene(dir: &Path) -> PathBuf {
    let clip = dir.join("empty scene.mp4");
    crate::common::ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=s=320x240:r=15:d=1",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        clip.to_str().unwrap(),
    ]);
    clip
}

#[test]
fn inconclusive_clip_gets_grey_outputs_without_reps() {
    let dir = tempfile::tempdir().unwrap();
    let clip = empty_scene(dir.path());
    let video = dir.path().join("out.mp4");
    let html = dir.path().join("out.html");
    let o = kneetrack(&[
        "analyze".as_ref(),
        "--quiet".as_ref(),
        "--model".as_ref(),
        MODEL.as_ref(),
        "--video".as_ref(),
        video.as_os_str(),
        "--html".as_ref(),
        html.as_os_str(),
        clip.as_os_str(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (info, v) = crate::common::display_frames(&video);
    assert_eq!((info.width, info.height, v.len()), (320, 240, 15));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("data-verdict=\"inconclusive\""));
    assert!(page.contains("No complete reps were found."));
    // No plots of nothing: the frame the camera saw, with the reason, instead.
    assert!(!page.contains("<svg"));
    assert_eq!(page.matches("data:image/jpeg").count(), 1);
    assert!(page.contains("<h2>What the camera saw</h2>"));
    assert!(page.contains("as the pose model saw it: "));
    assert!(page.contains("empty scene.mp4"));
}

#[test]
fn unwritable_video_is_a_one_line_error_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let clip = empty_scene(dir.path());
    let folder = dir.path().join("a-folder.mp4");
    std::fs::create_dir(&folder).unwrap();
    for target in [folder.clone(), dir.path().join("missing").join("out.mp4")] {
        let o = kneetrack(&[
            "analyze".as_ref(),
            "--quiet".as_ref(),
            "--model".as_ref(),
            MODEL.as_ref(),
            "--video".as_ref(),
            target.as_os_str(),
            clip.as_os_str(),
        ]);
        assert_eq!(o.status.code(), Some(1));
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains(&*target.to_string_lossy()), "{err}");
    }
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        left.iter().all(|n| !n.starts_with('.')),
        "temporary files left: {left:?}"
    );
    assert!(std::fs::read_dir(&folder).unwrap().next().is_none());
}

/// One clip as people film both legs: the good sample (the right leg), 3.5 s with nobody in view
/// (long enough to leave frames between the bouts), then the valgus sample (the left leg);
/// analysed once with the default model, `--json - --csv F`.
struct TwoLegs {
    report: Value,
    csv: String,
    terminal: String,
}

fn two_legs() -> &'static TwoLegs {
    static RUN: OnceLock<TwoLegs> = OnceLock::new();
    RUN.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("outputs-two-legs");
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        let clip = root.join("right-then-left.mp4");
        let (good, valgus) = (
            crate::common::sample("good.mp4"),
            crate::common::sample("valgus.mp4"),
        );
        crate::common::ffmpeg(&[
            "-i",
            good.to_str().unwrap(),
            "-i",
            valgus.to_str().unwrap(),
            "-filter_complex",
            "[0:v]tpad=stop_duration=3.5:color=black[a];[a][1:v]concat=n=2:v=1[v]",
            "-map",
            "[v]",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-crf",
            "18",
            "-pix_fmt",
            "yuv420p",
            clip.to_str().unwrap(),
        ]);
        let csv = root.join("frames.csv");
        let o = kneetrack(&[
            "analyze",
            clip.to_str().unwrap(),
            "--json",
            "-",
            "--csv",
            csv.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", crate::common::stderr(&o));
        TwoLegs {
            report: serde_json::from_slice(&o.stdout).unwrap(),
            csv: std::fs::read_to_string(&csv).unwrap(),
            terminal: crate::common::stderr(&o),
        }
    })
}

#[test]
fn both_legs_in_one_clip_are_two_bouts_with_a_verdict_each() {
    let r = &two_legs().report;
    assert_eq!(r["schema_version"], 2);
    let a = &r["assessment"];
    let bouts = a["bouts"].as_array().unwrap();
    let sides: Vec<&Value> = bouts.iter().map(|b| &b["stance"]["side"]).collect();
    assert_eq!(sides, ["right", "left"], "{}", a["reasons"]);
    assert_eq!(a["stance"]["kind"], "several");
    assert_eq!(a["legs"]["right"]["verdict"], "good", "{}", a["legs"]);
    assert_eq!(a["legs"]["left"]["verdict"], "poor", "{}", a["legs"]);
    assert_eq!(a["verdict"], "poor");
    assert_eq!(a["comparison"]["different"], true, "{}", a["comparison"]);
    let rep_bouts: Vec<u64> = a["reps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["bout"].as_u64().unwrap())
        .collect();
    assert_eq!(rep_bouts, [1, 1, 1, 2, 2, 2]);
    assert_eq!(bouts[0]["reps"], serde_json::json!([1, 2, 3]));
    assert_eq!(bouts[1]["reps"], serde_json::json!([4, 5, 6]));
    // The terminal summary names the bouts and the legs.
    let t = &two_legs().terminal;
    assert!(t.contains("\n  bouts     2\n    bout 1 "), "{t}");
    assert!(
        t.contains("\n  right leg GOOD  ") && t.contains("\n  left leg  POOR  "),
        "{t}"
    );
    assert!(t.contains("\n  compare   Left against right: "), "{t}");
}

#[test]
fn the_csv_gives_each_frame_its_bout() {
    let csv = &two_legs().csv;
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = header
        .iter()
        .position(|h| *h == "bout")
        .expect("a bout column");
    let bouts: Vec<&str> = lines.map(|l| l.split(',').nth(col).unwrap()).collect();
    for want in ["1", "2", ""] {
        assert!(bouts.contains(&want), "no {want:?} in the bout column");
    }
    assert!(bouts.iter().all(|b| ["1", "2", ""].contains(b)));
    // Bout 1, then the frames between the bouts, then bout 2.
    let first_two = bouts.iter().position(|b| *b == "2").unwrap();
    let last_one = bouts.iter().rposition(|b| *b == "1").unwrap();
    assert!(last_one < first_two && bouts[last_one + 1..first_two].iter().all(|b| b.is_empty()));
}

/// Issue 13 item 7: the rep count printed anywhere is the number of reps listed — in the
/// terminal, the JSON, the HTML report and the batch summary (summary.csv), per clip and per leg
/// — also for a clip below the rep minimum (1 rep: listed, no verdict) and for a clip of two bouts.
#[test]
fn rep_counts_agree_in_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let small = ["--width", "270", "--height", "480", "--fps", "30"];
    let mut clips = Vec::new();
    for (name, flags) in [
        ("one-rep", &["--reps", "1"][..]),
        ("both-legs", &["--preset", "both-legs"][..]),
    ] {
        let clip = dir.path().join(format!("{name}.mp4"));
        let mut args = vec!["synth", "-o", clip.to_str().unwrap()];
        args.extend_from_slice(&small);
        args.extend_from_slice(flags);
        let o = kneetrack(&args);
        assert!(o.status.success(), "{}", crate::common::stderr(&o));
        clips.push((name, clip));
    }
    let out = dir.path().join("out");
    let mut args = vec!["analyze", "--model", MODEL, "--out", out.to_str().unwrap()];
    args.extend(clips.iter().map(|(_, c)| c.to_str().unwrap()));
    let o = kneetrack(&args);
    assert!(o.status.success(), "{}", crate::common::stderr(&o));
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let mut lines = summary.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let column = |row: &[&str], name: &str| {
        let k = header.iter().position(|h| *h == name).unwrap();
        row[k].to_string()
    };
    for (name, clip) in &clips {
        let report: Value = serde_json::from_slice(
            &std::fs::read(out.join(format!("{name}.kneetrack.json"))).unwrap(),
        )
        .unwrap();
        let a = &report["assessment"];
        let n = a["reps"].as_array().unwrap().len();
        assert!(n >= 1, "{name}: {}", a["reasons"]);
        if *name == "one-rep" {
            assert_eq!(a["verdict"], "inconclusive");
            assert!(a["reasons"]
                .to_string()
                .contains("Only 1 complete squat rep"));
        }
        // Every bout lists its reps; together they are the clip's.
        let in_bouts: usize = a["bouts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["reps"].as_array().unwrap().len())
            .sum();
        assert_eq!(in_bouts, n, "{name}: reps by bout");
        // The summary's row: the clip's count, each leg's the reps it lists.
        let row = rows
            .iter()
            .find(|r| r[0].contains(name))
            .unwrap_or_else(|| panic!("{name} not in {summary}"));
        assert_eq!(column(row, "reps"), n.to_string(), "{name}: summary.csv");
        for side in ["left", "right"] {
            let leg = &a["legs"][side];
            let want = leg["reps"]
                .as_array()
                .map_or(String::new(), |r| r.len().to_string());
            assert_eq!(column(row, &format!("{side}_reps")), want, "{name} {side}");
        }
        // The HTML report's heading and its rep table.
        let html = std::fs::read_to_string(out.join(format!("{name}.kneetrack.html"))).unwrap();
        let count = if n == 1 {
            "1 rep".to_string()
        } else {
            format!("{n} reps")
        };
        assert!(html.contains(&format!("· {count}</p>")), "{name}: {count}");
        // The terminal: the count, a line per rep, and each leg's "median of N reps".
        let o = kneetrack(&["analyze", "--model", MODEL, clip.to_str().unwrap()]);
        assert!(o.status.success(), "{}", crate::common::stderr(&o));
        let t = String::from_utf8_lossy(&o.stdout).to_string();
        assert!(t.contains(&format!("\n  reps      {n}\n")), "{name}: {t}");
        assert_eq!(
            t.lines().filter(|l| l.starts_with("    #")).count(),
            n,
            "{t}"
        );
        for side in ["left", "right"] {
            if let Some(r) = a["legs"][side]["reps"].as_array() {
                let m = r.len();
                let line = t
                    .lines()
                    .find(|l| l.starts_with(&format!("  {side} leg")))
                    .unwrap_or_else(|| panic!("{name}: no {side} leg line in {t}"));
                let word = if m == 1 { "rep" } else { "reps" };
                assert!(line.contains(&format!("median of {m} {word}")), "{line}");
            }
        }
    }
}
