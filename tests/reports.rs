//! Reports as their readers see them (issue 16): the HTML report on a 390 px phone and a 1280 px
//! desktop in headless Chromium (no sideways scrolling, plot text at least 10 px, screenshots),
//! the batch index (per-leg columns, badges, counts, percent-encoded relative links, sorting with
//! no console errors), `kneetrack history` over two athletes' sessions, `--shard auto` with each
//! scheduler's variables, and `kneetrack summary` merging the shards.
use crate::common::{ffmpeg, kneetrack, sample, stderr};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const MODEL: &str = "movenet-lightning";
/// A clip name that must stay a name in a link: a scheme, a fragment, a query and a percent sign.
const HOSTILE_STEM: &str = "javascript:alert(1) #1?a=100%";

/// The batch every layout test reads: the valgus sample under the hostile name and the good
/// sample, analysed into one `--out` folder.
struct Batch {
    out: PathBuf,
}

fn batch() -> &'static Batch {
    static RUN: OnceLock<Batch> = OnceLock::new();
    RUN.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("reports-batch");
        let _ = std::fs::remove_dir_all(&root);
        let clips = root.join("clips");
        std::fs::create_dir_all(&clips).unwrap();
        std::fs::copy(
            sample("valgus.mp4"),
            clips.join(format!("{HOSTILE_STEM}.mp4")),
        )
        .unwrap();
        std::fs::copy(sample("good.mp4"), clips.join("good.mp4")).unwrap();
        let out = root.join("out");
        let o = kneetrack(&[
            "analyze",
            clips.to_str().unwrap(),
            "-m",
            MODEL,
            "--out",
            out.to_str().unwrap(),
            "--summary-only",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert!(
            stdout.starts_with("clip ") && stdout.contains("2 clips: 1 good, 0 fair, 1 poor"),
            "--summary-only prints the table alone: {stdout}"
        );
        assert!(!stdout.contains("advice"), "{stdout}");
        Batch { out }
    })
}

fn chromium() -> Option<&'static Path> {
    let c = Path::new("/usr/bin/chromium");
    if c.exists() {
        Some(c)
    } else {
        eprintln!(
            "skipped: /usr/bin/chromium is not installed (scripts/setup.sh --test installs it)"
        );
        None
    }
}

/// Runs headless Chromium on `page` with `extra` flags; returns (stdout, stderr).
fn run_chromium(chromium: &Path, page: &Path, extra: &[String]) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let o = Command::new("timeout")
        .arg("120")
        .arg(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Headless Chromium will not make a window narrower than 500 px, so pages are laid out in an
/// iframe of the wanted width (its own viewport: media queries and `innerWidth` follow it). The
/// iframe holds the page as `srcdoc` (same origin; links resolve against the probe's folder,
/// which is the page's), with `script` run at the end of its body; what the script puts in
/// `parent.document` comes back in the dumped DOM.
fn framed(page: &Path, width: u32, height: u32, script: &str) -> PathBuf {
    let html = std::fs::read_to_string(page).unwrap();
    let inner = html.replace("</body>", &format!("{script}</body>"));
    let srcdoc = inner.replace('&', "&amp;").replace('"', "&quot;");
    let probe = page.with_file_name(format!(
        "probe-{width}-{}",
        page.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(
        &probe,
        format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"margin:0\">\
             <iframe style=\"width:{width}px;height:{height}px;border:0;display:block\" srcdoc=\"{srcdoc}\"></iframe></body></html>"
        ),
    )
    .unwrap();
    probe
}

/// Runs `script` in `page` laid out `width` px wide; returns what it wrote into `<pre id=out>`
/// of the parent document, and Chromium's stderr (console messages).
fn probe(chromium: &Path, page: &Path, width: u32, script: &str) -> (String, String) {
    let probe = framed(page, width, 900, script);
    let (dom, err) = run_chromium(
        chromium,
        &probe,
        &[
            format!("--window-size={},1000", width.max(500)),
            "--dump-dom".into(),
        ],
    );
    let _ = std::fs::remove_file(&probe);
    let start = dom
        .find("<pre id=\"out\">")
        .unwrap_or_else(|| panic!("the probe wrote nothing: {err}"))
        + "<pre id=\"out\">".len();
    let end = start + dom[start..].find("</pre>").unwrap();
    let text = dom[start..end]
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    (text, err)
}

/// Puts `value` (a JS expression) into the parent document for [`probe`].
fn report_back(value: &str) -> String {
    format!(
        "var __p=parent.document.createElement('pre');__p.id='out';__p.textContent={value};parent.document.body.appendChild(__p);"
    )
}

/// Measures the page as laid out: the page's width against the viewport's, the smallest rendered
/// font size of the visible SVG text (font size × the SVG's scale on screen), and whether every
/// table's card stays inside the viewport.
const MEASURE: &str = r#"
var min=1e9, texts=0;
document.querySelectorAll('svg text').forEach(function(t){
  if(!t.getClientRects().length){return;}
  var m=t.getScreenCTM(); if(!m){return;}
  var px=parseFloat(getComputedStyle(t).fontSize)*Math.sqrt(m.a*m.a+m.b*m.b);
  texts++; if(px<min){min=px;}
});
var tables=[].map.call(document.querySelectorAll('table'),function(t){
  var card=t.closest('section')||t.parentElement; var r=card.getBoundingClientRect();
  return r.right<=window.innerWidth+0.5 && r.left>=-0.5;});
var measured=JSON.stringify({scrollWidth:document.documentElement.scrollWidth,innerWidth:window.innerWidth,
  minSvgFontPx:min,svgTexts:texts,tablesInside:tables.every(Boolean),tables:tables.length});
"#;

fn measure(chromium: &Path, page: &Path, width: u32) -> Value {
    let script = format!("<script>{MEASURE}{}</script>", report_back("measured"));
    let (text, _) = probe(chromium, page, width, &script);
    serde_json::from_str(&text).unwrap()
}

/// A screenshot of `page` laid out `width` px wide, into the test's output folder.
fn screenshot(chromium: &Path, page: &Path, width: u32, name: &str) -> PathBuf {
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("reports-screenshots")
        .join(name);
    std::fs::create_dir_all(shot.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(&shot);
    let height = 1800;
    let probe = framed(page, width, height, "");
    let (_, err) = run_chromium(
        chromium,
        &probe,
        &[
            format!("--window-size={},{height}", width.max(500)),
            format!("--screenshot={}", shot.display()),
        ],
    );
    let _ = std::fs::remove_file(&probe);
    assert!(shot.is_file(), "no screenshot: {err}");
    let img = image::open(&shot).unwrap();
    img.crop_imm(0, 0, width, height).save(&shot).unwrap();
    eprintln!("screenshot: {}", shot.display());
    shot
}

#[test]
fn the_report_fits_a_phone_and_a_desktop() {
    let Some(chromium) = chromium() else { return };
    let b = batch();
    // A plain file name for the URL; the content is the hostile-named valgus clip's report.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("reports-layout");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join("report.html");
    std::fs::copy(b.out.join(format!("{HOSTILE_STEM}.kneetrack.html")), &page).unwrap();
    for width in [390, 1280] {
        let m = measure(chromium, &page, width);
        eprintln!("{width} px: {m}");
        assert_eq!(m["innerWidth"], width, "{m}");
        assert!(
            m["scrollWidth"].as_f64().unwrap() <= width as f64,
            "sideways scrolling at {width} px: {m}"
        );
        assert!(m["svgTexts"].as_u64().unwrap() > 50, "{m}");
        assert!(
            m["minSvgFontPx"].as_f64().unwrap() >= 10.0,
            "plot text under 10 px at {width} px: {m}"
        );
        assert!(m["tables"].as_u64().unwrap() >= 2, "{m}");
        assert_eq!(m["tablesInside"], true, "a table's card runs off: {m}");
        screenshot(chromium, &page, width, &format!("report-{width}.png"));
    }
    // The report links back to the index beside it.
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains(r#"<a class="back" href="./index.html">"#));
    assert!(html.contains("<dt>FPPA</dt>") && html.contains("<dt>shank length</dt>"));
    assert!(!html.contains("rep(s)"));
}

#[test]
fn the_index_has_per_leg_columns_encoded_links_and_a_working_sort() {
    let b = batch();
    let index = std::fs::read_to_string(b.out.join("index.html")).unwrap();
    // The hostile name is one path segment, percent-encoded, relative to the index's folder.
    assert!(
        index.contains(r#"href="./javascript%3Aalert%281%29%20%231%3Fa%3D100%25.kneetrack.html""#),
        "{index}"
    );
    assert!(!index.contains("href=\"javascript"));
    assert!(index.contains(r#"href="./good.kneetrack.html""#));
    assert!(index.contains(">2 clips</button>") && index.contains(">1 good</button>"));
    assert!(index.contains(">1 poor</button>"));
    assert!(index.contains("<th class=\"l\">right verdict</th><th>peak FPPA</th><th>drift</th><th>reps</th><th>pelvis</th><th>trunk</th>"));
    for external in ["http://", "https://", "<link"] {
        assert!(!index.contains(external), "index holds {external}");
    }
    // A thumbnail per clip, embedded: every source is a data: URI of a 96 px tall JPEG.
    let thumbs = data_uris(&index, "image/jpeg");
    assert_eq!(thumbs.len(), 2, "one thumbnail per clip");
    assert_eq!(
        index.matches("src=\"").count(),
        thumbs.len(),
        "only data: sources"
    );
    for t in &thumbs {
        let img = image::load_from_memory_with_format(t, image::ImageFormat::Jpeg).unwrap();
        assert_eq!(img.height(), 96);
        assert!(t.len() < 12_000, "a thumbnail of {} bytes", t.len());
    }
    assert_eq!(index.matches("<td class=\"l thumb\"").count(), 2);
    let csv = std::fs::read_to_string(b.out.join("summary.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    for column in [
        "left_verdict",
        "left_peak_fppa_deg",
        "left_drift",
        "left_reps",
        "left_pelvic_drop_deg",
        "left_trunk_lean_deg",
        "right_verdict",
        "right_reps",
        "fppa_asymmetry_deg",
        "warnings",
        "html",
    ] {
        assert!(header.contains(&column), "{column} missing: {header:?}");
    }
    let good = csv.lines().find(|l| l.contains("good.mp4")).unwrap();
    assert!(
        good.contains(",good.kneetrack.html,"),
        "relative to the CSV's folder: {good}"
    );
    assert!(
        good.contains(",good,single-leg right,3,1,,,,,,,good,"),
        "{good}"
    );

    let Some(chromium) = chromium() else { return };
    // Sort by the clip column twice (ascending, then descending), filter, and read it back.
    let script = format!(
        r#"<script>
var th=document.querySelector('#clips thead th');th.click();
var first=document.querySelector('#clips tbody tr td').textContent;th.click();
var second=document.querySelector('#clips tbody tr td').textContent;
var q=document.getElementById('filter');q.value='javascript';q.dispatchEvent(new Event('input'));
var visible=[].filter.call(document.querySelectorAll('#clips tbody tr'),function(r){{return r.style.display!=='none';}}).length;
document.querySelector('button[data-only="good"]').click();
var good=[].filter.call(document.querySelectorAll('#clips tbody tr'),function(r){{return r.style.display!=='none';}}).length;
var link=document.querySelector('#clips tbody a[href*="javascript"]').href;
{}</script>"#,
        report_back("[first,second,visible,good,link].join('|')")
    );
    let (text, err) = probe(chromium, &b.out.join("index.html"), 390, &script);
    for bad in ["Uncaught", "Failed to load resource"] {
        assert!(!err.contains(bad), "console error: {err}");
    }
    let got: Vec<&str> = text.split('|').collect();
    assert_eq!(got[0], "good.mp4", "{got:?}");
    assert!(got[1].starts_with("javascript:alert(1)"), "{got:?}");
    assert_eq!(got[2], "1", "the filter keeps the matching clip: {got:?}");
    assert_eq!(
        got[3], "0",
        "neither clip is good and named javascript: {got:?}"
    );
    assert!(
        got[4].starts_with("file://")
            && got[4]
                .ends_with("/out/javascript%3Aalert%281%29%20%231%3Fa%3D100%25.kneetrack.html"),
        "{got:?}"
    );
    screenshot(chromium, &b.out.join("index.html"), 390, "index-390.png");
    screenshot(chromium, &b.out.join("index.html"), 1280, "index-1280.png");
}

/// A copy of `clip` stamped with a creation time; `mirror` flips it left to right (the good
/// sample squats on the right leg; mirrored, on the left, so one leg can be followed over time).
fn session_clip(dir: &Path, name: &str, clip: &Path, created: &str, mirror: bool) -> PathBuf {
    let out = dir.join(name);
    let mut args = vec!["-i", clip.to_str().unwrap()];
    if mirror {
        args.extend([
            "-vf", "hflip", "-c:v", "libx264", "-preset", "veryfast", "-crf", "16",
        ]);
    } else {
        args.extend(["-c", "copy"]);
    }
    let stamp = format!("creation_time={created}");
    args.extend(["-metadata", &stamp, out.to_str().unwrap()]);
    ffmpeg(&args);
    out
}

#[test]
fn history_follows_each_leg_over_sessions_and_calls_only_real_changes() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("reports-history");
    let _ = std::fs::remove_dir_all(&root);
    let (clips, reports) = (root.join("clips"), root.join("reports"));
    std::fs::create_dir_all(&clips).unwrap();
    std::fs::create_dir_all(&reports).unwrap();
    // Anna: the good squat mirrored (left leg, January), then the valgus sample (left leg,
    // February) twice over (March): worse, then no change. Ben: one session, named by his folder.
    let sessions = [
        ("a1.mp4", "good.mp4", "2026-01-05T10:00:00Z", true),
        ("a2.mp4", "valgus.mp4", "2026-02-16T10:00:00Z", false),
        ("a3.mp4", "valgus.mp4", "2026-03-30T10:00:00Z", false),
    ];
    for (name, from, created, mirror) in sessions {
        let clip = session_clip(&clips, name, &sample(from), created, mirror);
        let report = reports.join(name.replace(".mp4", ".kneetrack.json"));
        let o = kneetrack(&[
            "analyze",
            clip.to_str().unwrap(),
            "-m",
            MODEL,
            "-q",
            "--athlete",
            "Anna",
            "--json",
            report.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let v: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
        assert_eq!(v["athlete"], "Anna");
        assert_eq!(v["recorded"]["at"], created);
        assert_eq!(v["recorded"]["source"], "metadata");
    }
    let ben = root.join("ben");
    std::fs::create_dir_all(&ben).unwrap();
    std::fs::copy(sample("good.mp4"), ben.join("b1.mp4")).unwrap();
    let o = kneetrack(&[
        "analyze",
        ben.join("b1.mp4").to_str().unwrap(),
        "-m",
        MODEL,
        "-q",
        "--json",
        reports.join("b1.kneetrack.json").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value =
        serde_json::from_slice(&std::fs::read(reports.join("b1.kneetrack.json")).unwrap()).unwrap();
    assert!(v.get("athlete").is_none());
    assert_eq!(
        v["recorded"]["source"], "file_time",
        "the samples carry no creation time"
    );

    let (html, csv) = (root.join("history.html"), root.join("history.csv"));
    let o = kneetrack(&[
        "history",
        reports.to_str().unwrap(),
        "--html",
        html.to_str().unwrap(),
        "--csv",
        csv.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let table = String::from_utf8_lossy(&o.stdout);
    eprintln!("{table}");
    assert!(table.contains("Anna  (3 sessions)") && table.contains("ben  (1 session)"));
    let csv = std::fs::read_to_string(&csv).unwrap();
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let anna: Vec<&Vec<&str>> = rows.iter().filter(|r| r[0] == "Anna").collect();
    assert_eq!(anna.len(), 3, "one judged leg per session: {csv}");
    assert!(anna.iter().all(|r| r[3] == "left"), "{csv}");
    let fppa = |r: &Vec<&str>| r[5].parse::<f64>().unwrap();
    assert_eq!(
        (anna[0][1], anna[0][4], anna[0][7]),
        ("2026-01-05T10:00:00Z", "good", "first")
    );
    assert!(fppa(anna[0]) < 13.0, "{csv}");
    // Good to valgus: the angle rose far beyond 8°.
    assert_eq!((anna[1][4], anna[1][7]), ("poor", "worse"), "{csv}");
    assert!(fppa(anna[1]) - fppa(anna[0]) > 8.0, "{csv}");
    // The same clip again: within 8°, so no change is called.
    assert_eq!(anna[2][7], "no change", "{csv}");
    assert!((fppa(anna[2]) - fppa(anna[1])).abs() <= 8.0);
    let ben_rows: Vec<&Vec<&str>> = rows.iter().filter(|r| r[0] == "ben").collect();
    assert_eq!(ben_rows.len(), 1);
    assert_eq!((ben_rows[0][3], ben_rows[0][7]), ("right", "first"));
    let page = std::fs::read_to_string(&html).unwrap();
    assert_eq!(page.matches("class=\"session-row\"").count(), 4);
    assert!(page.contains("left leg: peak FPPA per session"));
    assert_eq!(
        page.matches("<svg class=\"plot wide\"").count(),
        2,
        "Anna's left leg, Ben's right leg"
    );
    // Only one athlete; a name with no reports is a usage error.
    let o = kneetrack(&["history", reports.to_str().unwrap(), "--athlete", "Cleo"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// `analyze CLIPS --shard auto…` with `env` set (and every scheduler variable of the test's own
/// environment removed).
fn shard_run(clips: &Path, out: &Path, shard: &str, env: &[(&str, &str)]) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kneetrack"));
    for var in [
        "JOB_COMPLETION_INDEX",
        "JOB_COMPLETIONS",
        "KNEETRACK_SHARD_COUNT",
        "KNEETRACK_SHARD_INDEX",
        "SLURM_ARRAY_TASK_ID",
        "SLURM_ARRAY_TASK_MIN",
        "SLURM_ARRAY_TASK_COUNT",
        "PARALLEL_SEQ",
    ] {
        c.env_remove(var);
    }
    c.envs(env.iter().copied());
    c.args([
        "analyze",
        clips.to_str().unwrap(),
        "-m",
        MODEL,
        "-q",
        "--shard",
        shard,
        "--out",
    ])
    .arg(out)
    .output()
    .unwrap()
}

#[test]
fn shard_auto_reads_each_scheduler_and_summary_merges_the_shards() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("reports-shards");
    let _ = std::fs::remove_dir_all(&root);
    let clips = root.join("clips");
    std::fs::create_dir_all(&clips).unwrap();
    // Three short clips (a second of each sample): the split, not the verdicts, is under test.
    for (name, from) in [
        ("c1.mp4", "good.mp4"),
        ("c2.mp4", "valgus.mp4"),
        ("c3.mp4", "good.mp4"),
    ] {
        ffmpeg(&[
            "-i",
            sample(from).to_str().unwrap(),
            "-t",
            "1",
            "-c",
            "copy",
            clips.join(name).to_str().unwrap(),
        ]);
    }
    let out = root.join("out");
    let listed = |dir: &Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".kneetrack.json"))
            .collect();
        v.sort();
        v
    };
    // Kubernetes Indexed Job: index 1 from 0 of 3 is the second clip.
    let o = shard_run(
        &clips,
        &root.join("k8s"),
        "auto",
        &[
            ("JOB_COMPLETION_INDEX", "1"),
            ("KNEETRACK_SHARD_COUNT", "3"),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(listed(&root.join("k8s")), ["c2.kneetrack.json"]);
    // Without a count it is a usage error that says how to give one.
    let o = shard_run(
        &clips,
        &root.join("none"),
        "auto",
        &[("JOB_COMPLETION_INDEX", "1")],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("auto/N"), "{}", stderr(&o));
    let o = shard_run(&clips, &root.join("none"), "auto", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no shard index in the environment"),
        "{}",
        stderr(&o)
    );
    // A SLURM array 1-2 and GNU parallel (--shard auto/2) split the same clips between them
    // into one shared folder.
    let o = shard_run(
        &clips,
        &out,
        "auto",
        &[
            ("SLURM_ARRAY_TASK_ID", "1"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "2"),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(listed(&out), ["c1.kneetrack.json", "c3.kneetrack.json"]);
    let o = shard_run(&clips, &out, "auto/2", &[("PARALLEL_SEQ", "2")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        listed(&out),
        [
            "c1.kneetrack.json",
            "c2.kneetrack.json",
            "c3.kneetrack.json"
        ]
    );
    // The last shard's summary holds only its own clip; `kneetrack summary` merges them all.
    let partial = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert_eq!(partial.lines().count(), 2, "{partial}");
    let o = kneetrack(&["summary", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("3 clips:"));
    let merged = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert_eq!(merged.lines().count(), 4, "{merged}");
    for c in ["c1.mp4", "c2.mp4", "c3.mp4"] {
        assert!(merged.contains(c), "{merged}");
    }
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert_eq!(index.matches("<tr data-verdict=").count(), 3);
    assert!(index.contains(r#"href="./c2.kneetrack.html""#));
    // Two folders merge into a third.
    let both = root.join("both");
    let o = kneetrack(&[
        "summary",
        out.to_str().unwrap(),
        root.join("k8s").to_str().unwrap(),
        "--out",
        both.to_str().unwrap(),
        "-q",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let merged = std::fs::read_to_string(both.join("summary.csv")).unwrap();
    assert_eq!(merged.lines().count(), 4, "c2 once: {merged}");
    assert!(merged.contains(",../out/c1.kneetrack.html,"), "{merged}");
    let o = kneetrack(&[
        "summary",
        out.to_str().unwrap(),
        root.join("k8s").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "several folders need --out");
}

/// Decodes standard base64 (RFC 4648, padded).
fn unbase64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for chunk in text.as_bytes().chunks(4) {
        let digits: Vec<u8> = chunk
            .iter()
            .filter(|&&c| c != b'=')
            .map(|&c| value(c))
            .collect();
        let n = digits
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, d)| n | (*d as u32) << (18 - 6 * i));
        out.extend(&n.to_be_bytes()[1..digits.len()]);
    }
    out
}

/// The decoded bytes of every `src="data:<mime>;base64,…"` in `page`, in order.
fn data_uris(page: &str, mime: &str) -> Vec<Vec<u8>> {
    let lead = format!("src=\"data:{mime};base64,");
    page.match_indices(&lead)
        .map(|(at, _)| {
            let rest = &page[at + lead.len()..];
            unbase64(&rest[..rest.find('"').unwrap()])
        })
        .collect()
}

#[test]
fn the_report_pictures_each_rep_each_leg_and_embeds_the_video() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("reports-pictures");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    // The right leg (good sample), then the left (valgus sample): both legs tested in one clip.
    let clip = root.join("right-then-left.mp4");
    let (good, valgus) = (sample("good.mp4"), sample("valgus.mp4"));
    ffmpeg(&[
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
    let (page, video, json) = (
        root.join("report.html"),
        root.join("annotated.mp4"),
        root.join("report.json"),
    );
    let o = kneetrack(&[
        "analyze",
        clip.to_str().unwrap(),
        "-m",
        MODEL,
        "--html",
        page.to_str().unwrap(),
        "--video",
        video.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let a = &report["assessment"];
    let reps = a["reps"].as_array().unwrap().len();
    assert!(
        a["legs"]["left"].is_object() && a["legs"]["right"].is_object(),
        "{}",
        a["legs"]
    );
    let html = std::fs::read_to_string(&page).unwrap();

    // Per rep: standing, bottom and the knee crop side by side, all JPEG.
    assert_eq!(
        html.matches("<div class=\"rep-pics\"").count(),
        reps,
        "one row per rep"
    );
    assert_eq!(html.matches("<figure class=\"standing\"").count(), reps);
    assert_eq!(
        html.matches("<figure class=\"bottom\"").count(),
        reps + 2,
        "reps + each leg's worst"
    );
    assert!(html.matches("<figure class=\"crop\"").count() >= reps + 2);
    let jpegs = data_uris(&html, "image/jpeg");
    assert_eq!(
        jpegs.len(),
        html.matches("<img ").count(),
        "every picture is embedded"
    );
    assert!(
        jpegs.len() >= 3 * reps + 4,
        "{} pictures for {reps} reps",
        jpegs.len()
    );
    for j in &jpegs {
        assert_eq!(&j[..3], &[0xff, 0xd8, 0xff], "not a JPEG");
        let img = image::load_from_memory_with_format(j, image::ImageFormat::Jpeg).unwrap();
        assert!(
            img.width().max(img.height()) <= 720,
            "{}×{}",
            img.width(),
            img.height()
        );
    }
    // Left leg against right leg: one bottom frame each, with its peak FPPA.
    let legs = &html[html
        .find("<section class=\"leg-pics\">")
        .expect("no leg comparison")..];
    let legs = &legs[..legs.find("</section>").unwrap()];
    for side in ["left", "right"] {
        let at = legs
            .find(&format!("<div class=\"leg-pic\" data-leg=\"{side}\">"))
            .unwrap_or_else(|| panic!("no {side} leg picture"));
        let caption = &legs[at..];
        let caption = &caption[caption.find("<figcaption>").unwrap()..];
        assert!(
            caption.starts_with(&format!("<figcaption>{side} leg — rep "))
                && caption[..caption.find("</figcaption>").unwrap()].contains("peak FPPA "),
            "{caption:.200}"
        );
    }

    // The annotated video is in the page, byte for byte, its size stated.
    let embedded = data_uris(&html, "video/mp4");
    assert_eq!(embedded.len(), 1);
    let written = std::fs::read(&video).unwrap();
    assert!(
        embedded[0] == written,
        "the embedded video differs from --video's file"
    );
    let size = format!("({:.1} MB)", written.len() as f64 / 1e6);
    assert!(
        html.contains(&format!("Embedded in this page {size}")),
        "size not stated"
    );

    let Some(chromium) = chromium() else { return };
    for width in [390, 1280] {
        let m = measure(chromium, &page, width);
        eprintln!("{width} px: {m}");
        assert!(
            m["scrollWidth"].as_f64().unwrap() <= width as f64,
            "sideways scrolling at {width} px: {m}"
        );
        screenshot(chromium, &page, width, &format!("pictures-{width}.png"));
    }
}
