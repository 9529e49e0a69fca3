use super::kinematics::animate;
use super::truth::{frame_truth, squatting_sides};
use super::*;
use crate::assess::metrics;
use crate::geometry::{Joint, Side};
use opencv::prelude::*;
use opencv::videoio::{self, VideoCapture};

/// A short, small clip so tests stay fast.
fn small(p: Preset) -> SynthConfig {
    SynthConfig {
        width: 144,
        height: 256,
        fps: 10.0,
        rep_seconds: 1.6,
        pause_seconds: 0.3,
        lead_in_seconds: 0.4,
        tail_seconds: 0.2,
        noise: 1.0,
        ..SynthConfig::preset(p)
    }
}

fn leg_fppa(f: &kinematics::FrameState, s: Side) -> f64 {
    let hip = f.j2(s.hip());
    let m = metrics::medial_sign(hip, f.j2(s.other().hip())).unwrap();
    metrics::fppa_deg(hip, f.j2(s.knee()), f.j2(s.ankle()), m).unwrap()
}

#[test]
fn truth_matches_requested_controls_for_every_preset() {
    for p in [Preset::Good, Preset::Valgus, Preset::DoubleLeg] {
        let cfg = small(p);
        let anim = animate(&cfg);
        assert_eq!(anim.reps.len(), cfg.reps as usize, "{p:?}");
        let legs = squatting_sides(&cfg);
        for (i, r) in anim.reps.iter().enumerate() {
            assert!(r.start < r.bottom && r.bottom <= r.end, "{p:?} rep {i}");
            let b = &anim.frames[r.bottom];
            assert_eq!(b.depth, 1.0);
            for &s in &legs {
                let got = leg_fppa(b, s);
                assert!(
                    (got - cfg.valgus_for_rep(i)).abs() < 1e-3,
                    "{p:?} rep {i} {s:?}: fppa {got}"
                );
            }
            let ft = frame_truth(&cfg, r.bottom, b);
            if cfg.stance != Stance::Both {
                let drop = ft.pelvic_drop_deg.unwrap();
                assert!(
                    (drop - cfg.pelvic_drop_deg).abs() < 1e-3,
                    "{p:?} pelvic drop {drop}"
                );
                let lean = ft.trunk_lean_deg.unwrap();
                assert!(
                    (lean - cfg.trunk_lean_deg).abs() < 1e-3,
                    "{p:?} trunk lean {lean}"
                );
            }
        }
        // Standing frames: straight legs, level pelvis, upright trunk.
        let f0 = &anim.frames[0];
        assert_eq!(f0.phase, "standing");
        for &s in &legs {
            assert!(leg_fppa(f0, s).abs() < 0.1);
        }
        let ft0 = frame_truth(&cfg, 0, f0);
        assert!(ft0.pelvic_drop_deg.unwrap().abs() < 0.1);
        assert!(ft0.trunk_lean_deg.unwrap().abs() < 0.1);
        // The squatting feet stay planted.
        for &s in &legs {
            let a0 = f0.j2(s.ankle());
            for f in &anim.frames {
                assert!(f.j2(s.ankle()).dist(a0) < 1e-9);
                assert!(f.j2(s.toe()).dist(f0.j2(s.toe())) < 1e-9);
            }
        }
    }
}

#[test]
fn stance_leg_and_free_leg() {
    let cfg = small(Preset::Good);
    let anim = animate(&cfg);
    let r = anim.reps[0];
    let (stand, bottom) = (&anim.frames[0], &anim.frames[r.bottom]);
    // Right stance: the right hip drops with the squat, the left (free) foot is off the floor.
    assert!(bottom.j3(Joint::RightHip).y < stand.j3(Joint::RightHip).y - 0.05);
    assert!(stand.j3(Joint::LeftToe).y > 0.1 && stand.j3(Joint::LeftHeel).y > 0.1);
    assert!(stand.j3(Joint::RightHeel).y < 0.05);
    // The person's right leg appears on the image left.
    assert!(stand.j2(Joint::RightKnee).x < stand.j2(Joint::LeftKnee).x);
    let t = frame_truth(&cfg, r.bottom, bottom);
    assert!(t.right.squatting && !t.left.squatting);
    assert!(t.right.knee_flexion_deg > 59.9);
    // Depth foreshortens the thigh in the image.
    let thigh = |f: &kinematics::FrameState| f.j2(Joint::RightHip).dist(f.j2(Joint::RightKnee));
    assert!(thigh(bottom) < 0.95 * thigh(stand));

    let left = SynthConfig {
        stance: Stance::Left,
        ..small(Preset::Valgus)
    };
    let a = animate(&left);
    let b = &a.frames[a.reps[0].bottom];
    assert!((leg_fppa(b, Side::Left) - left.valgus_for_rep(0)).abs() < 0.1);
    // Valgus moves the left knee (image right) towards the midline (−x) of the hip–ankle line.
    let ft = frame_truth(&left, a.reps[0].bottom, b);
    assert!(ft.left.knee_offset_px.unwrap() > 0.0 && ft.left.drift_ankle.unwrap() > 0.0);
}

#[test]
fn per_rep_valgus_list_wobble_and_yaw() {
    let cfg = SynthConfig {
        reps: 4,
        valgus_deg: vec![3.0, 12.0, -4.0],
        wobble_deg: 2.0,
        wobble_hz: 3.0,
        camera_yaw_deg: 8.0,
        camera_height: 1.3,
        ..small(Preset::Good)
    };
    let anim = animate(&cfg);
    let want = [3.0, 12.0, -4.0, -4.0];
    for (r, w) in anim.reps.iter().zip(want) {
        let got = leg_fppa(&anim.frames[r.bottom], Side::Right);
        assert!((got - w).abs() < 0.1, "want {w} got {got}");
    }
    // Wobble makes the FPPA oscillate around the smooth profile during the rep.
    let r = anim.reps[1];
    let dev = (r.start..=r.end)
        .map(|i| {
            let f = &anim.frames[i];
            (leg_fppa(f, Side::Right) - 12.0 * f.depth).abs()
        })
        .fold(0.0, f64::max);
    assert!(dev > 0.5 && dev <= 2.0 + 1e-6, "wobble deviation {dev}");
}

#[test]
fn validation_names_the_flag() {
    let valid = SynthConfig::preset(Preset::Valgus);
    assert!(valid.validate().is_ok());
    for (bad, says) in [
        (
            SynthConfig {
                width: 101,
                ..valid.clone()
            },
            "--width and --height must be even (H.264 needs even sizes)",
        ),
        (
            SynthConfig {
                top: "red".into(),
                ..valid.clone()
            },
            "--top: expected a colour as #rrggbb, got \"red\"",
        ),
        (
            SynthConfig {
                rotate: 45,
                ..valid.clone()
            },
            "--rotate must be 0, 90, 180 or 270",
        ),
    ] {
        let e = bad.validate().unwrap_err();
        assert!(matches!(e, crate::Error::Usage { .. }), "{e:?}");
        assert_eq!(e.to_string(), says);
    }
}

#[test]
fn renders_readable_video_with_truth() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("clip.mp4");
    let cfg = small(Preset::Valgus);
    let s = render_to(&cfg, &out).unwrap();
    assert!(s.bytes > 1000);
    let truth: truth::Truth =
        serde_json::from_slice(&std::fs::read(truth_path(&out)).unwrap()).unwrap();
    assert_eq!(truth.schema_version, truth::SCHEMA_VERSION);
    assert_eq!(truth.stance_leg, "left");
    assert_eq!(truth.frames.len(), s.frames);
    assert_eq!(truth.reps.len(), 3);
    assert_eq!(truth.config, cfg);
    assert!(truth.frames[0].joints.contains_key("right_heel"));
    assert!((truth.reps[1].fppa_at_bottom_deg["left"] - 25.0).abs() < 0.1);
    let mut cap = VideoCapture::from_file(out.to_str().unwrap(), videoio::CAP_ANY).unwrap();
    assert!(cap.is_opened().unwrap());
    assert_eq!(
        cap.get(videoio::CAP_PROP_FRAME_WIDTH).unwrap() as u32,
        cfg.width
    );
    assert_eq!(
        cap.get(videoio::CAP_PROP_FRAME_HEIGHT).unwrap() as u32,
        cfg.height
    );
    let mut n = 0;
    let mut m = Mat::default();
    while cap.read(&mut m).unwrap() && !m.empty() {
        assert_eq!((m.cols() as u32, m.rows() as u32), (cfg.width, cfg.height));
        n += 1;
    }
    assert_eq!(n, s.frames);
    // No temporary files left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn rotation_tag_when_ffmpeg_is_available() {
    if !video::ffmpeg_available() {
        eprintln!("ffmpeg not installed; skipping");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rot.mp4");
    let cfg = SynthConfig {
        rotate: 90,
        reps: 1,
        ..small(Preset::Good)
    };
    render_to(&cfg, &out).unwrap();
    let probe = std::process::Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream=width,height:stream_side_data=rotation",
            "-of",
            "json",
        ])
        .arg(&out)
        .output()
        .unwrap();
    let j: serde_json::Value = serde_json::from_slice(&probe.stdout).unwrap();
    let st = &j["streams"][0];
    // Stored landscape, tagged to display as upright portrait.
    assert_eq!(st["width"].as_u64().unwrap() as u32, cfg.height);
    assert_eq!(st["height"].as_u64().unwrap() as u32, cfg.width);
    let rot = st["side_data_list"][0]["rotation"].as_i64().unwrap();
    assert_eq!(
        rot.rem_euclid(360),
        270,
        "display matrix rotation {rot} (ffprobe: counter-clockwise)"
    );
    // ffmpeg's own decode applies the rotation: upright portrait frames.
    let dec = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(&out)
        .args(["-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "bgr24", "-"])
        .output()
        .unwrap();
    assert_eq!(dec.stdout.len(), (cfg.width * cfg.height * 3) as usize);
    // Compare with the upright render of frame 0 (lossy codec: loose tolerance; upside down is ~70).
    let anim = animate(&cfg);
    let mut r = render::Renderer::new(&cfg, &anim).unwrap();
    let f0 = r.render(&anim.frames[0], 0).unwrap();
    let up = f0.data_bytes().unwrap();
    let diff: f64 = up
        .iter()
        .zip(&dec.stdout)
        .map(|(&a, &b)| (a as f64 - b as f64).abs())
        .sum::<f64>()
        / up.len() as f64;
    assert!(
        diff < 12.0,
        "decoded frame differs from the upright render by {diff} on average"
    );
}

#[test]
fn deterministic_for_a_seed() {
    let cfg = small(Preset::Valgus);
    let a = animate(&cfg);
    let b = animate(&cfg);
    assert_eq!(a.frames, b.frames);
    let mut ra = render::Renderer::new(&cfg, &a).unwrap();
    let mut rb = render::Renderer::new(&cfg, &b).unwrap();
    let i = a.reps[0].bottom;
    let fa = ra.render(&a.frames[i], i).unwrap();
    let fb = rb.render(&b.frames[i], i).unwrap();
    assert_eq!(fa.data_bytes().unwrap(), fb.data_bytes().unwrap());
    // Another seed changes the noise (and the wobble phase).
    let other = SynthConfig {
        seed: cfg.seed + 1,
        ..cfg.clone()
    };
    let c = animate(&other);
    let mut rc = render::Renderer::new(&other, &c).unwrap();
    let fc = rc.render(&c.frames[i], i).unwrap();
    assert_ne!(fa.data_bytes().unwrap(), fc.data_bytes().unwrap());
}

#[test]
fn both_legs_rear_roll_and_turn_keep_their_truth() {
    // Two bouts, right then left, with a double-leg step between them.
    let both = small(Preset::BothLegs);
    let anim = animate(&both);
    assert_eq!(anim.bouts.len(), 2);
    assert_eq!(anim.reps.len(), both.total_reps());
    assert_eq!(
        (anim.bouts[0].stance, anim.bouts[1].stance),
        (Stance::Right, Stance::Left)
    );
    assert!(anim
        .frames
        .iter()
        .any(|f| f.phase == "transition" && f.stance == Stance::Both));
    for (i, r) in anim.reps.iter().enumerate() {
        let b = &anim.frames[r.bottom];
        let side = if r.bout == 0 { Side::Right } else { Side::Left };
        assert_eq!(b.stance, anim.bouts[r.bout].stance);
        assert!(
            (leg_fppa(b, side) - both.valgus_for_rep(i)).abs() < 1e-3,
            "rep {i}"
        );
    }
    // From behind the picture shows the frontal plane mirrored: the same FPPA, the person's
    // right leg on the image right.
    let rear = SynthConfig {
        rear: true,
        ..small(Preset::Valgus)
    };
    let a = animate(&rear);
    let b = &a.frames[a.reps[0].bottom];
    assert!((leg_fppa(b, Side::Left) - rear.valgus_for_rep(0)).abs() < 1e-3);
    assert!(b.j2(Joint::LeftHip).x < b.j2(Joint::RightHip).x);
    // A rolled camera turns the picture, not the knee angle.
    let rolled = SynthConfig {
        roll_deg: 10.0,
        ..small(Preset::Good)
    };
    let a = animate(&rolled);
    let f0 = &a.frames[0];
    let b = &a.frames[a.reps[0].bottom];
    assert!((leg_fppa(b, Side::Right) - rolled.valgus_for_rep(0)).abs() < 1e-3);
    let hips = f0.j2(Joint::LeftHip) - f0.j2(Joint::RightHip);
    let tilt = hips.y.atan2(hips.x).to_degrees();
    assert!((tilt - 10.0).abs() < 1.0, "standing hip line tilt {tilt}");
    // Turned 45°: the truth is the frontal plane's, the picture reads far more.
    let cfg = SynthConfig {
        yaw_deg: 45.0,
        ..small(Preset::Good)
    };
    let a = animate(&cfg);
    let t = truth::build(
        &cfg,
        &a,
        std::path::Path::new("x.mp4"),
        &video::Written {
            codec: "avc1".into(),
            stored_width: cfg.width,
            stored_height: cfg.height,
        },
    );
    let bout = &t.bouts[0];
    assert_eq!(bout.view, "oblique");
    assert!(bout.inconclusive_expected);
    assert_eq!(bout.true_peak_fppa_deg["right"], 5.0);
    assert!(bout.picture_peak_fppa_deg["right"] > 20.0);
    // Side-on, then turned to the camera: the first bout is the side view.
    let cfg = SynthConfig {
        turn: true,
        ..small(Preset::DoubleLeg)
    };
    let a = animate(&cfg);
    assert_eq!((a.bouts[0].turn_deg, a.bouts[1].turn_deg), (90.0, 0.0));
    assert_eq!(truth::view_name(a.bouts[0].turn_deg), "side");
}
