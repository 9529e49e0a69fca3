//! `kneetrack bench` as a user runs it: the statistics it prints (text and JSON) are consistent,
//! the end-to-end clip run covers every frame, and a bad model is a one-line error. No timing
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
    ]);
    assert!(o.status.success(), "{}", crate::common::stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("bench --json prints JSON");
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
