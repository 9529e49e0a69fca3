//! Fuzzing the two readers of user-controlled files: the `--thresholds` reader and the report
//! reader behind `--skip-existing`. Arbitrary bytes and mutated valid JSON must give `Ok` or a
//! one-line error, never a panic. CI runs a few cases; `scripts/fuzz_readers.sh` runs many
//! (`KNEETRACK_FUZZ_CASES`).
use kneetrack::{read_kept_report, SummaryRow, Thresholds};
use proptest::prelude::*;
use std::path::Path;

/// Cases per property: `KNEETRACK_FUZZ_CASES`, else a quick 64.
fn config() -> ProptestConfig {
    let cases = std::env::var("KNEETRACK_FUZZ_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

const THRESHOLDS: &str = r#"{"fppa_good_max_deg": 12.5, "fppa_poor_min_deg": 18,
  "drift_fair_min": 0.15, "smoothing_cutoff_hz": 6,
  "by_sex": {"female": {"fppa_good_max_deg": 15, "fppa_poor_min_deg": 20}}}"#;

const REPORT: &str = r#"{"schema_version": 2, "tool": "kneetrack", "info": {"path": "clip.mp4"},
  "assessment": {"verdict": "poor", "stance": {"kind": "single_leg", "side": "left"},
    "reasons": ["The left knee collapsed inward."], "bouts": [{"number": 1}],
    "legs": {"left": {"verdict": "poor", "median_peak_fppa_deg": 25.0, "median_drift": 0.22,
      "reasons": ["The left knee collapsed inward."]}},
    "comparison": {"fppa_difference_deg": -16.1, "different": true},
    "reps": [{"legs": [{"peak_fppa_deg": 24.0}]}, {"legs": [{"peak_fppa_deg": 26.0}]}]}}"#;

/// A byte-level mutation of `base`: replace, insert or delete bytes at chosen places.
fn mutated(base: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let edit = (any::<prop::sample::Index>(), 0u8..3, any::<u8>());
    prop::collection::vec(edit, 1..8).prop_map(move |edits| {
        let mut bytes = base.as_bytes().to_vec();
        for (at, kind, byte) in edits {
            let i = at.index(bytes.len().max(1));
            match kind {
                0 if i < bytes.len() => bytes[i] = byte,
                1 => bytes.insert(i.min(bytes.len()), byte),
                _ if i < bytes.len() => {
                    bytes.remove(i);
                }
                _ => {}
            }
        }
        bytes
    })
}

/// Arbitrary bytes, mutated valid JSON, or a deeply nested value.
fn inputs(base: &'static str) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        mutated(base),
        (1usize..5000).prop_map(|depth| {
            let mut v = "[".repeat(depth).into_bytes();
            v.extend("]".repeat(depth).bytes());
            v
        }),
    ]
}

fn one_line(message: &str) {
    assert!(!message.contains('\n'), "not one line: {message:?}");
    assert!(!message.is_empty());
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_thresholds_reader_never_panics(bytes in inputs(THRESHOLDS)) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("th.json");
        std::fs::write(&file, &bytes).unwrap();
        if let Err(e) = Thresholds::load(&file) {
            prop_assert!(matches!(e, kneetrack::Error::Usage { .. }), "{e:?}");
            one_line(&e.to_string());
        }
    }

    #[test]
    fn the_kept_report_reader_never_panics(bytes in inputs(REPORT)) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("clip.kneetrack.json");
        std::fs::write(&file, &bytes).unwrap();
        let clip = Path::new("clip.mp4");
        match read_kept_report(clip, &file) {
            Ok(value) => {
                let row = SummaryRow::from_report_value(clip, &value, None);
                prop_assert!(row.skipped);
            }
            Err(why) => one_line(&why),
        }
        if let Err(e) = SummaryRow::from_report(clip, &file, None) {
            one_line(&kneetrack::first_line(&e.to_string()));
        }
    }
}

#[test]
fn the_unmutated_inputs_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let th = dir.path().join("th.json");
    std::fs::write(&th, THRESHOLDS).unwrap();
    assert!(Thresholds::load(&th).is_ok());
    let report = dir.path().join("r.json");
    std::fs::write(&report, REPORT).unwrap();
    let v = read_kept_report(Path::new("clip.mp4"), &report).unwrap();
    let row = SummaryRow::from_report_value(Path::new("clip.mp4"), &v, None);
    assert_eq!(row.verdict.label(), "poor");
    assert_eq!(
        read_kept_report(Path::new("other.mp4"), &report).unwrap_err(),
        "is the report of clip.mp4, not of this clip"
    );
}
