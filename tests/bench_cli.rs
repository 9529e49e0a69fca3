//! `kneetrack bench` as a user runs it: the statistics it prints (text and JSON) are consistent,
//! the end-to-end clip runs cover every frame and give wall and CPU time, the relative summary
//! reads like hyperfine's, the JSON records its parameters, version and time, and a bad model is
//! a one-line error. No timing
//! is asserted beyond order (min ≤ p50 ≤ max, inference ≤ the whole step): speed belongs in
//! benchmarks, not tests.
use crate::common::{assert_one_line_error, assert_one_line_usage_error, kneetrack, sample};
use serde_json::Value;

fn stats(v: &Value) -> (f64, f64, f64, f64, u64) {
    let f = |k: &str| v[k].as_f64().unwrap_or_else(|| panic!("{k} in {v}"));
    (
        f("min_ms"),
        f("p50_ms"),
        f("max_ms"),
        f("frames_per_s"),
        v["runs"].as_u64().unwrap(),
    )
}

#[test]
fn json_has_latency_and_inference_per_model_and_an_end_to_end_split() {
    let clip = sample("good.mp4");
    let o = kneetrack(&[
        "bench",
        "--json",
        "--model",
        "movenet-lightning",
        "--threads",
        "1",
        "--runs",
        "6",
        "--warmup",
        "1",
        "--clip",
        clip.to_str().unwrap(),
        "--clip-runs",
        "2",
    ]);
    assert!(o.status.success(), "{}", crate::common::stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("bench --json prints JSON");
    // The record says what was run, by which version, when.
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
    let stamp = v["timestamp"].as_str().unwrap();
    assert!(
        stamp.len() == 20 && stamp.starts_with("20") && stamp.ends_with('Z') && stamp.contains('T'),
        "{stamp}"
    );
    let p = &v["parameters"];
    assert_eq!(p["models"], serde_json::json!(["movenet-lightning"]));
    assert_eq!(p["threads"], serde_json::json!([1]));
    assert_eq!(
        (p["runs"].as_u64(), p["warmup"].as_u64()),
        (Some(6), Some(1))
    );
    assert_eq!(p["clip_runs"], 2);
    assert_eq!(p["pose_rate_hz"], 30.0);
    let models = v["models"].as_array().unwrap();
    assert_eq!(models.len(), 1);
    let m = &models[0];
    assert_eq!(m["model"], "movenet-lightning");
    assert_eq!(m["threads"], 1);
    assert_eq!(m["warmup"], 1);
    let (min, p50, max, fps, runs) = stats(&m["latency"]);
    assert_eq!(runs, 6);
    assert!(0.0 < min && min <= p50 && p50 <= max, "{m}");
    assert!((fps - 1000.0 / m["latency"]["mean_ms"].as_f64().unwrap()).abs() < 1e-6);
    // The raw times are there, and the statistics are theirs.
    let raw: Vec<f64> = m["samples_ms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert_eq!(raw.len(), 6);
    let mean = raw.iter().sum::<f64>() / 6.0;
    assert!((mean - m["latency"]["mean_ms"].as_f64().unwrap()).abs() < 1e-9);
    assert_eq!(raw.iter().copied().fold(f64::INFINITY, f64::min), min);
    let (i_min, i_p50, i_max, _, i_runs) = stats(&m["inference"]);
    assert_eq!(i_runs, 6);
    // Each run's inference is part of that run, so each order statistic is too.
    assert!(
        0.0 < i_min && i_min <= min && i_p50 <= p50 && i_max <= max,
        "{m}"
    );

    let clips = v["clips"].as_array().unwrap();
    assert_eq!(clips.len(), 1);
    let t = &clips[0]["timing"];
    let frames = t["frames"].as_u64().unwrap();
    let truth: Value =
        serde_json::from_slice(&std::fs::read(sample("good.truth.json")).unwrap()).unwrap();
    assert_eq!(
        frames as usize,
        truth["frames"].as_array().unwrap().len(),
        "every frame of the clip is analysed"
    );
    let wall = t["wall_s"].as_f64().unwrap();
    let pose = t["pose_s"].as_f64().unwrap();
    let inference = t["inference_s"].as_f64().unwrap();
    assert!(0.0 < inference && inference <= pose && pose <= wall, "{t}");
    // Two end-to-end runs, each with wall and CPU time, summarised.
    let c = &clips[0];
    let runs = c["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    for r in runs {
        let (w, u, s) = (
            r["wall_s"].as_f64().unwrap(),
            r["user_s"].as_f64().unwrap(),
            r["sys_s"].as_f64().unwrap(),
        );
        assert!(w > 0.0 && u > 0.0 && s >= 0.0, "{r}");
    }
    let walls: Vec<f64> = runs.iter().map(|r| r["wall_s"].as_f64().unwrap()).collect();
    let mean = (walls[0] + walls[1]) / 2.0;
    assert!((c["wall_s"]["mean"].as_f64().unwrap() - mean).abs() < 1e-9);
    assert!(
        (c["wall_s"]["stddev"].as_f64().unwrap() - (walls[0] - walls[1]).abs() / 2f64.sqrt()).abs()
            < 1e-9
    );
    assert!(c["user_s"]["mean"].as_f64().unwrap() > 0.0);
    assert_eq!(c["pose_rate_hz"], 30.0);
}

#[test]
fn text_output_reads_like_a_benchmark_tool() {
    let o = kneetrack(&[
        "bench",
        "--model",
        "movenet-lightning",
        "--threads",
        "1,2",
        "--runs",
        "3",
        "--warmup",
        "0",
    ]);
    assert!(o.status.success(), "{}", crate::common::stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    for needle in [
        "Benchmark: movenet-lightning (1 thread)",
        "Benchmark: movenet-lightning (2 threads)",
        "Time (mean ± σ):",
        "Range (min … p50 … p99 … max):",
        "3 runs, 0 warm-up",
        "Inference alone:",
        "Summary (pose step per frame)",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
    }
    // hyperfine's relative summary: the faster one "ran", then "N.NN ± N.NN times faster than" the other.
    let summary = &text[text.find("Summary (pose step per frame)").unwrap()..];
    let mut lines = summary.lines().skip(1);
    let ran = lines.next().unwrap();
    assert!(
        ran.trim_start().starts_with("movenet-lightning (") && ran.ends_with(" ran"),
        "{summary}"
    );
    let faster = lines.next().unwrap().trim();
    let (number, rest) = faster
        .split_once(" ± ")
        .unwrap_or_else(|| panic!("{summary}"));
    assert!(number.parse::<f64>().unwrap() >= 1.0, "{summary}");
    let (sigma, other) = rest.split_once(" times faster than ").unwrap();
    assert!(sigma.parse::<f64>().unwrap() >= 0.0, "{summary}");
    assert!(
        other.starts_with("movenet-lightning (") && other != ran.trim().trim_end_matches(" ran")
    );
}

#[test]
fn end_to_end_text_gives_wall_and_cpu_time_over_several_runs() {
    let clip = sample("good.mp4");
    let o = kneetrack(&[
        "bench",
        "--model",
        "movenet-lightning",
        "--threads",
        "1",
        "--runs",
        "1",
        "--warmup",
        "0",
        "--clip",
        clip.to_str().unwrap(),
        "--clip-runs",
        "2",
    ]);
    assert!(o.status.success(), "{}", crate::common::stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    for needle in [
        "End to end: ",
        "(1 thread, pose at most 30 Hz)",
        "[User: ",
        ", System: ",
        "Range (min … max):",
        " 2 runs",
        "309 frames (309 posed)",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
    }
}

#[test]
fn unknown_model_or_unreadable_clip_is_a_one_line_error() {
    let o = kneetrack(&["bench", "--model", "no-such-model", "--runs", "1"]);
    assert_one_line_usage_error(&o, "no-such-model");
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.mp4");
    std::fs::write(&text, "just text\n".repeat(100)).unwrap();
    let o = kneetrack(&["bench", "--runs", "1", "--clip", text.to_str().unwrap()]);
    assert_one_line_error(&o, "not a video");
    assert!(o.stdout.is_empty(), "nothing measured, nothing printed");
}
