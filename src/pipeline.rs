//! One clip through the whole chain: decode → pose per frame → assessment.
//!
//! Decoding runs on its own thread, one frame ahead of the pose model (a rendezvous channel),
//! so the two overlap; decoded frame buffers travel back to the decoder for reuse, so the hot loop
//! allocates no frames. Only the frames the pose model runs on (see [`PoseRate`]) are converted
//! to pictures and handed over.
use crate::assess::thresholds::Thresholds;
use crate::assess::{assess, Assessment, Observation, Verdict};
use crate::clip::{ClipAnalysis, Timing};
use crate::error::{Error, Result};
use crate::pose::PoseEstimator;
use crate::pose_rate::PoseRate;
use crate::video::{FrameStamp, VideoInfo, VideoReader};
use opencv::core::Mat;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How many decoded frames may wait in the channel for the pose model. Zero is a hand-over: the
/// decoder still decodes frame N+1 while the model works on frame N, then waits holding it, so
/// decode and pose stay overlapped with two frames alive instead of three. Each queued frame costs
/// 25 MB at 4K (4K60 peak RSS: 344 MB with two queued, 327 MB with one, 295 MB with none).
const FRAMES_AHEAD: usize = 0;

type Decoded = Result<(Mat, FrameStamp)>;

/// What the decoder thread did.
struct Decoding {
    busy: Duration,
    /// Frames decoded, posed or not.
    frames: u64,
}

/// Decodes every frame of `reader` and sends the ones `rate` wants posed (every `stride`-th, or
/// one the timestamps say is due) into `frames`, converted; the others are decoded only. Reuses the
/// buffers that come back on `spare`. Stops early when the receiver is gone.
fn decode_all(
    mut reader: VideoReader,
    rate: PoseRate,
    stride: u64,
    frames: mpsc::SyncSender<Decoded>,
    spare: mpsc::Receiver<Mat>,
) -> Decoding {
    let mut busy = Duration::ZERO;
    let mut decoded = 0u64;
    let mut last_posed = None;
    loop {
        let t0 = Instant::now();
        let stamp = match reader.grab() {
            Ok(Some(stamp)) => stamp,
            Ok(None) => break,
            Err(e) => {
                busy += t0.elapsed();
                let _ = frames.send(Err(e));
                break;
            }
        };
        decoded += 1;
        if !rate.due(stamp.index, stride, stamp.t_s, last_posed) {
            busy += t0.elapsed();
            continue;
        }
        last_posed = Some(stamp.t_s);
        let mut frame = spare.try_recv().unwrap_or_default();
        let item = match reader.retrieve_stored(&mut frame) {
            Ok(true) => Ok((frame, stamp)),
            Ok(false) => {
                busy += t0.elapsed();
                break;
            }
            Err(e) => Err(e),
        };
        busy += t0.elapsed();
        let failed = item.is_err();
        if frames.send(item).is_err() || failed {
            break;
        }
    }
    Decoding {
        busy,
        frames: decoded,
    }
}

/// Where the analysed person stands in the picture, in words.
fn tracked_position(a: &Assessment, obs: &[Observation], width: f64) -> &'static str {
    use crate::geometry::Joint;
    let xs = obs.iter().filter_map(|o| {
        let l = o
            .pose
            .confident(Joint::LeftHip, a.thresholds.min_keypoint_score)?;
        let r = o
            .pose
            .confident(Joint::RightHip, a.thresholds.min_keypoint_score)?;
        Some(l.midpoint(r).x / width)
    });
    match crate::assess::signal::median(xs) {
        Some(x) if x < 0.4 => "on the left of the picture",
        Some(x) if x > 0.6 => "on the right of the picture",
        Some(_) => "in the middle of the picture",
        None => "position unknown",
    }
}

/// One decode-and-track pass over a clip.
struct Pass {
    info: VideoInfo,
    observations: Vec<Observation>,
    /// Frames decoded (every frame of the clip, posed or not).
    frames: u64,
    decode: Duration,
    pose: Duration,
}

/// Decodes the clip and runs the pose model on every `rate.stride(fps)`-th frame (see
/// [`PoseRate::due`]). The estimator must have been reset (or pointed at a person) before.
fn track(
    path: &Path,
    estimator: &mut dyn PoseEstimator,
    rate: PoseRate,
    on_frame: &mut dyn FnMut(u64, Option<u64>),
) -> Result<Pass> {
    let reader = VideoReader::open(path)?;
    let info = reader.info().clone();
    let stride = rate.stride(info.fps);
    let mut observations = Vec::new();
    let mut pose_time = Duration::ZERO;
    let (frame_tx, frame_rx) = mpsc::sync_channel::<Decoded>(FRAMES_AHEAD);
    let (spare_tx, spare_rx) = mpsc::channel::<Mat>();
    let decoding = std::thread::scope(|scope| -> Result<Decoding> {
        let decoder = scope.spawn(move || decode_all(reader, rate, stride, frame_tx, spare_rx));
        // Owned here so that an early return drops it, which stops a decoder blocked on a full
        // channel instead of leaving the scope waiting for it.
        let frames = frame_rx;
        for item in frames.iter() {
            let (frame, stamp) = item?;
            let t0 = Instant::now();
            let pose = estimator.estimate(&frame, &info.orientation).map_err(|e| {
                Error::input(
                    path,
                    format!("pose estimation failed at frame {}: {e}", stamp.index),
                )
            })?;
            pose_time += t0.elapsed();
            observations.push(Observation {
                index: stamp.index,
                t_s: stamp.t_s,
                pose,
            });
            let _ = spare_tx.send(frame);
            on_frame(stamp.index + 1, info.frame_count);
        }
        decoder
            .join()
            .map_err(|_| Error::input(path, "the decoder thread panicked"))
    })?;
    if observations.is_empty() {
        return Err(Error::input(path, "contains no decodable video frames"));
    }
    Ok(Pass {
        info,
        observations,
        frames: decoding.frames,
        decode: decoding.busy,
        pose: pose_time,
    })
}

/// Analyses one clip at the default pose rate ([`PoseRate::DEFAULT`]); see [`analyze_clip_at`].
pub fn analyze_clip(
    path: &Path,
    estimator: &mut dyn PoseEstimator,
    thresholds: &Thresholds,
    on_frame: &mut dyn FnMut(u64, Option<u64>),
) -> Result<ClipAnalysis> {
    analyze_clip_at(path, estimator, thresholds, PoseRate::DEFAULT, on_frame)
}

/// Analyses one clip, posing at most `rate` times a second. `on_frame(done, total)` is called
/// after each posed frame with the frames decoded so far, for progress display.
///
/// With several people in view the tracker locks on to one of them. When that person gives no
/// verdict (no squats: a bystander, someone walking past) and the model saw somebody else, the
/// clip is tracked a second time starting at the other person, and the pass with a verdict is
/// kept: the analysis follows the one squatting, and says so.
pub fn analyze_clip_at(
    path: &Path,
    estimator: &mut dyn PoseEstimator,
    thresholds: &Thresholds,
    rate: PoseRate,
    on_frame: &mut dyn FnMut(u64, Option<u64>),
) -> Result<ClipAnalysis> {
    let started = Instant::now();
    let inference_before = estimator.inference_seconds();
    estimator.reset();
    let mut pass = track(path, estimator, rate, on_frame)?;
    let mut assess_time = Duration::ZERO;
    let mut judge = |pass: &Pass| {
        let t0 = Instant::now();
        let a = assess(
            &pass.observations,
            pass.info.fps,
            pass.info.height as f64,
            thresholds,
        );
        assess_time += t0.elapsed();
        a
    };
    let mut assessment = judge(&pass);
    let others_seen = estimator.other_people_seen() > 0;
    let mut decode = pass.decode;
    let mut pose = pass.pose;
    let mut switched_from = None;
    let mut passes = 1;
    if let (Verdict::Inconclusive, Some(other)) = (assessment.verdict, estimator.other_person()) {
        estimator.reset_to(other);
        // A failing second pass only means the first pass's answer stands.
        let second = track(path, estimator, rate, on_frame).ok();
        passes += 1;
        let judged = second.map(|second| {
            decode += second.decode;
            pose += second.pose;
            let a = judge(&second);
            (second, a)
        });
        if let Some((second, second_assessment)) =
            judged.filter(|(_, a)| a.verdict != Verdict::Inconclusive)
        {
            switched_from = Some(tracked_position(
                &assessment,
                &pass.observations,
                pass.info.width as f64,
            ));
            pass = second;
            assessment = second_assessment;
        }
    }
    let width = pass.info.width as f64;
    let position = tracked_position(&assessment, &pass.observations, width);
    if let Some(bystander) = switched_from {
        assessment.warnings.push(format!(
            "Several people in view: the analysis follows the one squatting ({position}), not the other person ({bystander}); film one person alone."
        ));
    } else if others_seen {
        assessment.warnings.push(format!(
            "Several people in view: the analysis follows the one the tracker locked on to ({position}); film one person alone."
        ));
    }
    let Pass {
        info,
        observations,
        frames,
        ..
    } = pass;
    let timing = Timing {
        frames,
        posed_frames: observations.len() as u64,
        passes,
        decode_s: decode.as_secs_f64(),
        pose_s: pose.as_secs_f64(),
        inference_s: inference_before
            .zip(estimator.inference_seconds())
            .map(|(before, after)| after - before),
        assess_s: assess_time.as_secs_f64(),
        wall_s: started.elapsed().as_secs_f64(),
    };
    Ok(ClipAnalysis {
        info,
        model: estimator.name().to_string(),
        observations_count: observations.len(),
        assessment,
        timing,
        athlete: None,
        recorded: crate::video::recorded_at(path),
        observations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::tests::squatter;
    use crate::geometry::{Point, Pose};
    use crate::pose::PersonHint;
    use crate::video::Orientation;

    /// Two people: the tracker locks on to one standing still, and sees the squatter elsewhere.
    struct TwoPeople {
        squats: Vec<Pose>,
        frame: usize,
        following_squatter: bool,
        passes: usize,
        /// The pose model fails on the second pass.
        fail_second: bool,
    }

    impl PoseEstimator for TwoPeople {
        fn name(&self) -> &str {
            "two-people"
        }
        fn estimate(&mut self, _: &Mat, _: &Orientation) -> Result<Pose> {
            if self.fail_second && self.following_squatter {
                return Err(Error::Runtime("the model gave up".into()));
            }
            let i = self.frame.min(self.squats.len() - 1);
            self.frame += 1;
            Ok(if self.following_squatter {
                self.squats[i].clone()
            } else {
                self.squats[0].clone()
            })
        }
        fn reset(&mut self) {
            self.frame = 0;
            self.following_squatter = false;
            self.passes += 1;
        }
        fn other_people_seen(&self) -> u32 {
            u32::from(self.frame > 0 && !self.following_squatter)
        }
        fn other_person(&self) -> Option<PersonHint> {
            (self.frame > 0 && !self.following_squatter).then_some(PersonHint {
                centre: Point::new(100.0, 100.0),
                size: 50.0,
            })
        }
        fn reset_to(&mut self, _: PersonHint) {
            self.reset();
            self.following_squatter = true;
        }
    }

    fn sample(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples")
            .join(name)
    }

    /// Analyses the good sample with the tracker first on a still person, then (second pass) on
    /// somebody moving through `squats`; returns the analysis and the number of passes.
    fn analyse_two_people(squats: Vec<Pose>, fail_second: bool) -> (ClipAnalysis, usize) {
        let mut two = TwoPeople {
            squats,
            frame: 0,
            following_squatter: false,
            passes: 0,
            fail_second,
        };
        let analysis = analyze_clip(
            &sample("good.mp4"),
            &mut two,
            &Thresholds::default(),
            &mut |_, _| {},
        )
        .unwrap();
        (analysis, two.passes)
    }

    #[test]
    fn a_bystander_is_dropped_for_the_one_squatting() {
        let (a, passes) = analyse_two_people(
            squatter(3, 5.0, 30.0).into_iter().map(|o| o.pose).collect(),
            false,
        );
        assert_eq!(passes, 2);
        assert_eq!(
            a.assessment.verdict,
            Verdict::Good,
            "{:?}",
            a.assessment.reasons
        );
        assert_eq!(a.assessment.reps.len(), 3);
        let warnings = a.assessment.warnings.join(" ");
        assert!(warnings.contains("follows the one squatting"), "{warnings}");
        assert_eq!(a.timing.passes, 2);
        // The stand-in estimator keeps no inference clock: the split is left out, not zero.
        assert_eq!(a.timing.inference_s, None);
    }

    #[test]
    fn nobody_squatting_keeps_the_first_person_and_stays_inconclusive() {
        let (a, passes) = analyse_two_people(vec![squatter(0, 0.0, 30.0)[0].pose.clone()], false);
        assert_eq!(passes, 2);
        assert_eq!(a.assessment.verdict, Verdict::Inconclusive);
        let warnings = a.assessment.warnings.join(" ");
        assert!(warnings.contains("locked on to"), "{warnings}");
    }

    #[test]
    fn a_failing_second_pass_keeps_the_first_answer() {
        let squats = squatter(3, 5.0, 30.0).into_iter().map(|o| o.pose).collect();
        let (a, passes) = analyse_two_people(squats, true);
        assert_eq!(passes, 2);
        assert_eq!(a.assessment.verdict, Verdict::Inconclusive);
        assert_eq!(a.observations.len(), a.assessment.frames.len());
    }
}
