//! Property tests over the metrics and verdict code with arbitrary keypoint streams: NaN, infinities,
//! points far outside the frame, zero confidence, jumps. Nothing panics, every number reported is
//! finite, and noise never gets a confident verdict.
use kneetrack::Thresholds;
use kneetrack::{assess, Observation, Verdict};
use kneetrack::{Joint, Keypoint, Pose};
use proptest::prelude::*;

fn any_coordinate() -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => -2000.0..4000.0f64,
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => Just(0.0),
    ]
}

fn any_keypoint() -> impl Strategy<Value = Keypoint> {
    (
        any_coordinate(),
        any_coordinate(),
        prop_oneof![Just(0.0), Just(1.0), 0.0..1.0f64, Just(f64::NAN)],
    )
        .prop_map(|(x, y, score)| Keypoint { x, y, score })
}

fn any_stream() -> impl Strategy<Value = Vec<Observation>> {
    (
        prop::collection::vec(prop::collection::vec(any_keypoint(), Joint::COUNT), 0..120),
        1.0..240.0f64,
    )
        .prop_map(|(frames, fps)| {
            frames
                .into_iter()
                .enumerate()
                .map(|(i, kps)| {
                    let mut pose = Pose::default();
                    for (j, kp) in Joint::ALL.iter().zip(kps) {
                        pose.set(*j, kp);
                    }
                    Observation {
                        index: i as u64,
                        t_s: i as f64 / fps,
                        pose,
                    }
                })
                .collect()
        })
}

/// Plausible-looking but random bodies: every joint inside the frame, confident, but unrelated
/// from one frame to the next.
fn noise_stream() -> impl Strategy<Value = Vec<Observation>> {
    prop::collection::vec(
        prop::collection::vec((0.0..720.0f64, 0.0..1280.0f64, 0.5..1.0f64), Joint::COUNT),
        60..240,
    )
    .prop_map(|frames| {
        frames
            .into_iter()
            .enumerate()
            .map(|(i, kps)| {
                let mut pose = Pose::default();
                for (j, (x, y, score)) in Joint::ALL.iter().zip(kps) {
                    pose.set(*j, Keypoint { x, y, score });
                }
                Observation {
                    index: i as u64,
                    t_s: i as f64 / 30.0,
                    pose,
                }
            })
            .collect()
    })
}

fn finite(v: Option<f64>) -> bool {
    v.is_none_or(f64::is_finite)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_streams_never_panic_and_report_finite_numbers(obs in any_stream(), fps in 0.0..300.0f64, h in 1.0..5000.0f64) {
        let a = assess(&obs, fps, h, &Thresholds::default());
        prop_assert!(a.confident_fraction.is_finite());
        for r in &a.reps {
            prop_assert!(r.depth.is_finite() && r.start_s.is_finite() && r.end_s.is_finite());
            prop_assert!(finite(r.pelvic_drop_deg) && finite(r.trunk_lean_deg));
            for l in &r.legs {
                prop_assert!(finite(l.peak_fppa_deg) && finite(l.fppa_at_bottom_deg) && finite(l.drift_at_bottom));
            }
        }
        for f in &a.frames {
            prop_assert!(finite(f.left.fppa_deg) && finite(f.right.fppa_deg) && finite(f.depth));
        }
        // The JSON report must serialise.
        prop_assert!(serde_json::to_string(&a).is_ok());
    }

    #[test]
    fn noise_never_gets_a_confident_verdict(obs in noise_stream()) {
        let a = assess(&obs, 30.0, 1280.0, &Thresholds::default());
        prop_assert_eq!(a.verdict, Verdict::Inconclusive, "{:?}", a.reasons);
    }
}
