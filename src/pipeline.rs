//! One clip through the whole chain: decode → pose per frame → assessment.
//!
//! Decoding runs on its own thread, one frame ahead of the pose model (a rendezvous channel),
//! so the two overlap; decoded frame buffers travel back to the decoder for reuse, so the hot loop
//! allocates no frames. Only the frames the pose model runs on (see [`PoseRate`]) are converted
//! to pictures and handed over. With two sessions (see [`Sessions`]) the posed frames are dealt
//! out round robin, each session tracking its own alternate frames on its own thread, so a small
//! model keeps both cores busy; the observations are put back in frame order.
use crate::assess::thresholds::Thresholds;
use crate::assess::{assess, Assessment, Observation, Verdict};
use crate::clip::{ClipAnalysis, Timing};
use crate::dense::{fill_gaps, CoarsePlan};
use crate::error::{Error, Result};
use crate::geometry::Pose;
use crate::pose::sessions::{Pair, Sessions};
use crate::pose::{PersonHint, PoseEstimator};
use crate::pose_rate::PoseRate;
use crate::video::{FrameStamp, Orientation, VideoInfo, VideoReader};
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

/// Whether frame `index` is to be posed under `plan` (always without coarse posing); `None`
/// while the plan waits for a grid frame's pose.
fn wanted(plan: &Option<CoarsePlan>, index: u64) -> Option<bool> {
    plan.as_ref().map_or(Some(true), |p| p.wants(index))
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
    /// Pose time summed over the sessions (they overlap, so this can exceed the wall time).
    pose: Duration,
    /// Per observation: filled in by interpolation, not posed (coarse posing only).
    interpolated: Vec<bool>,
}

/// A posed frame for a helper session, with where to start looking when it is the session's
/// first frame of the pass (the first session's track, so that both follow the same person).
struct Job {
    frame: Mat,
    stamp: FrameStamp,
    seed: Option<PersonHint>,
}

/// A helper session's answer: the frame (for reuse), its stamp, the pose and the time it took.
type Done = (Mat, FrameStamp, Result<Pose>, Duration);

/// Which session poses the `n`-th posed frame (0-based) of a clip tracked by `sessions`: round
/// robin, so each session tracks every `sessions`-th posed frame, in order.
fn session_for(n: u64, sessions: usize) -> usize {
    (n % sessions.max(1) as u64) as usize
}

/// Runs one helper session: poses the jobs that come, in order, and sends each answer back.
fn pose_jobs(
    estimator: &mut (dyn PoseEstimator + Send),
    orientation: Orientation,
    jobs: mpsc::Receiver<Job>,
    done: mpsc::Sender<Done>,
) {
    for job in jobs {
        if let Some(seed) = job.seed {
            estimator.reset_to(seed);
        }
        let t0 = Instant::now();
        let pose = estimator.estimate(&job.frame, &orientation);
        if done
            .send((job.frame, job.stamp, pose, t0.elapsed()))
            .is_err()
        {
            break;
        }
    }
}

/// Decodes the clip and runs the pose model on every `rate.stride(fps)`-th frame (see
/// [`PoseRate::due`]). The sessions must have been reset (or pointed at a person) before. With
/// more than one session, posed frame k goes to session k mod n (see [`session_for`]): the first
/// poses on this thread, each other one on its own, all at once; the decoder feeds them all, and
/// the observations are put back in frame order.
fn track(
    path: &Path,
    reader: VideoReader,
    sessions: &mut Pair<'_>,
    rate: PoseRate,
    on_frame: &mut dyn FnMut(u64, Option<u64>),
) -> Result<Pass> {
    let info = reader.info().clone();
    let stride = rate.stride(info.fps);
    let coarse_stride = rate.coarse_stride(info.fps, stride);
    // Coarse posing decides on the frames the decoder hands over, here, from the grid poses in
    // frame order (see `CoarsePlan`): the decoder converts a few frames that are then not posed,
    // but which frames are posed no longer depends on which thread got there first.
    let mut plan = (coarse_stride > stride).then(|| CoarsePlan::new(coarse_stride));
    let count = sessions.count();
    let mut observations = Vec::new();
    let mut pose_time = Duration::ZERO;
    let (frame_tx, frame_rx) = mpsc::sync_channel::<Decoded>(FRAMES_AHEAD);
    let (spare_tx, spare_rx) = mpsc::channel::<Mat>();
    let failed_at = |index: u64, e: Error| {
        Error::input(
            path,
            format!("pose estimation failed at frame {index}: {e}"),
        )
    };
    let first = &mut *sessions.first;
    let others = &mut sessions.others;
    let decoding = std::thread::scope(|scope| -> Result<Decoding> {
        let decoder = scope.spawn(move || decode_all(reader, rate, stride, frame_tx, spare_rx));
        // Owned here so that an early return drops them, which stops a decoder blocked on a full
        // channel and helpers waiting for work instead of leaving the scope waiting for them.
        let frames = frame_rx;
        let (done_tx, done_rx) = mpsc::channel::<Done>();
        let helpers: Vec<mpsc::SyncSender<Job>> = others
            .iter_mut()
            .map(|estimator| {
                let (job_tx, job_rx) = mpsc::sync_channel::<Job>(0);
                let done = done_tx.clone();
                let orientation = info.orientation;
                let estimator: &mut (dyn PoseEstimator + Send) = &mut **estimator;
                scope.spawn(move || pose_jobs(estimator, orientation, job_rx, done));
                job_tx
            })
            .collect();
        drop(done_tx);
        let mut keep =
            |plan: &mut Option<CoarsePlan>, (frame, stamp, pose, took): Done| -> Result<()> {
                let pose = pose.map_err(|e| failed_at(stamp.index, e))?;
                if let Some(plan) = plan {
                    plan.offer(stamp.index, &pose);
                }
                pose_time += took;
                observations.push(Observation {
                    index: stamp.index,
                    t_s: stamp.t_s,
                    pose,
                });
                let _ = spare_tx.send(frame);
                Ok(())
            };
        let stopped = |index: u64| failed_at(index, Error::Runtime("a pose thread stopped".into()));
        // Posed frames so far (the round robin counts these, not the frames handed over).
        let mut n = 0u64;
        for item in frames.iter() {
            let (frame, stamp) = item?;
            // The grid pose this frame depends on went out earlier; a helper may still have it.
            let posed = loop {
                if let Some(posed) = wanted(&plan, stamp.index) {
                    break posed;
                }
                let done = done_rx.recv().map_err(|_| stopped(stamp.index))?;
                keep(&mut plan, done)?;
            };
            if !posed {
                let _ = spare_tx.send(frame);
                on_frame(stamp.index + 1, info.frame_count);
                continue;
            }
            let nth = n;
            n += 1;
            let session = session_for(nth, count);
            if session == 0 {
                let t0 = Instant::now();
                let pose = first.estimate(&frame, &info.orientation);
                keep(&mut plan, (frame, stamp, pose, t0.elapsed()))?;
            } else {
                let seed = if nth == session as u64 {
                    first.tracked_person()
                } else {
                    None
                };
                let index = stamp.index;
                helpers[session - 1]
                    .send(Job { frame, stamp, seed })
                    .map_err(|_| stopped(index))?;
            }
            for done in done_rx.try_iter() {
                keep(&mut plan, done)?;
            }
            on_frame(stamp.index + 1, info.frame_count);
        }
        drop(helpers);
        for done in done_rx.iter() {
            keep(&mut plan, done)?;
        }
        decoder
            .join()
            .map_err(|_| Error::input(path, "the decoder thread panicked"))
    })?;
    if observations.is_empty() {
        return Err(Error::input(path, "contains no decodable video frames"));
    }
    observations.sort_by_key(|o| o.index);
    let (observations, interpolated) = if coarse_stride > stride {
        fill_gaps(observations, stride, coarse_stride, decoding.frames)
    } else {
        let none = vec![false; observations.len()];
        (observations, none)
    };
    Ok(Pass {
        info,
        observations,
        frames: decoding.frames,
        decode: decoding.busy,
        pose: pose_time,
        interpolated,
    })
}

/// What the sessions of a pass saw besides the tracked person, combined: each watches its own
/// frames, so the sightings add up and any session's last sighting will do for a second pass.
#[derive(Debug, Clone, Copy, Default)]
struct Seen {
    others_seen: u32,
    other: Option<PersonHint>,
}

impl Seen {
    fn of(pair: &Pair<'_>) -> Self {
        let mut seen = Seen {
            others_seen: pair.first.other_people_seen(),
            other: pair.first.other_person(),
        };
        for e in &pair.others {
            seen.others_seen += e.other_people_seen();
            seen.other = seen.other.or(e.other_person());
        }
        seen
    }
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

/// Analyses one clip with one session, posing at most `rate` times a second; see
/// [`analyze_clip_with`].
pub fn analyze_clip_at(
    path: &Path,
    estimator: &mut dyn PoseEstimator,
    thresholds: &Thresholds,
    rate: PoseRate,
    on_frame: &mut dyn FnMut(u64, Option<u64>),
) -> Result<ClipAnalysis> {
    let reader = VideoReader::open(path)?;
    let mut pair = Pair {
        first: estimator,
        others: Vec::new(),
    };
    analyze(path, reader, &mut pair, thresholds, rate, on_frame)
}

/// Analyses one clip with `sessions` (two or more take alternate frames when the clip's frame
/// size allows), posing at most `rate` times a second. `on_frame(done, total)` is called after
/// each posed frame with the frames decoded so far, for progress display.
///
/// With several people in view the tracker locks on to one of them. When that person gives no
/// verdict (no squats: a bystander, someone walking past) and the model saw somebody else, the
/// clip is tracked a second time starting at the other person, and the pass with a verdict is
/// kept: the analysis follows the one squatting, and says so.
pub fn analyze_clip_with(
    path: &Path,
    sessions: &mut Sessions,
    thresholds: &Thresholds,
    rate: PoseRate,
    on_frame: &mut dyn FnMut(u64, Option<u64>),
) -> Result<ClipAnalysis> {
    let reader = VideoReader::open(path)?;
    let pixels = u64::from(reader.info().width) * u64::from(reader.info().height);
    let mut pair = sessions.for_frames(pixels)?;
    analyze(path, reader, &mut pair, thresholds, rate, on_frame)
}

/// Inference seconds of each session so far.
fn inference_clocks(pair: &Pair<'_>) -> Vec<Option<f64>> {
    std::iter::once(pair.first.inference_seconds())
        .chain(pair.others.iter().map(|e| e.inference_seconds()))
        .collect()
}

/// [`analyze_clip_with`] on the sessions chosen, the first pass reading `reader`.
fn analyze(
    path: &Path,
    reader: VideoReader,
    pair: &mut Pair<'_>,
    thresholds: &Thresholds,
    rate: PoseRate,
    on_frame: &mut dyn FnMut(u64, Option<u64>),
) -> Result<ClipAnalysis> {
    let started = Instant::now();
    // The creation-time probe is an ffprobe run of its own (~70 ms): it runs while the clip is
    // tracked instead of after it. A failed or panicked probe only means no recording time.
    let recorded = {
        let path = path.to_path_buf();
        std::thread::spawn(move || crate::video::recorded_at(&path))
    };
    let inference_before = inference_clocks(pair);
    pair.reset_all();
    let mut pass = track(path, reader, pair, rate, on_frame)?;
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
    let seen = Seen::of(pair);
    let mut decode = pass.decode;
    let mut pose = pass.pose;
    let mut switched_from = None;
    let mut passes = 1;
    if let (Verdict::Inconclusive, Some(other)) = (assessment.verdict, seen.other) {
        pair.reset_others();
        pair.first.reset_to(other);
        // A failing second pass only means the first pass's answer stands.
        let second = VideoReader::open(path)
            .and_then(|reader| track(path, reader, pair, rate, on_frame))
            .ok();
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
    } else if seen.others_seen > 0 {
        assessment.warnings.push(format!(
            "Several people in view: the analysis follows the one the tracker locked on to ({position}); film one person alone."
        ));
    }
    let Pass {
        info,
        observations,
        frames,
        interpolated,
        ..
    } = pass;
    // The frames are the observations', one for one.
    for (frame, &filled) in assessment.frames.iter_mut().zip(&interpolated) {
        frame.interpolated = filled;
    }
    let interpolated_frames = interpolated.iter().filter(|&&i| i).count() as u64;
    // Summed over the sessions; unknown when any session keeps no clock.
    let inference_s = inference_before
        .iter()
        .zip(inference_clocks(pair))
        .map(|(before, after)| before.zip(after).map(|(b, a)| a - b))
        .sum::<Option<f64>>();
    let timing = Timing {
        frames,
        posed_frames: observations.len() as u64 - interpolated_frames,
        interpolated_frames,
        passes,
        sessions: pair.count() as u32,
        decode_s: decode.as_secs_f64(),
        pose_s: pose.as_secs_f64(),
        inference_s,
        assess_s: assess_time.as_secs_f64(),
        wall_s: started.elapsed().as_secs_f64(),
    };
    Ok(ClipAnalysis {
        info,
        model: pair.first.name().to_string(),
        observations_count: observations.len(),
        assessment,
        timing,
        athlete: None,
        recorded: recorded.join().ok().flatten(),
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

    /// Counts its frames: the nose says which session posed the frame (x) and its own count (y).
    struct Counter {
        id: f64,
        count: usize,
        seeded: Option<PersonHint>,
        fail_at: Option<usize>,
    }

    impl Counter {
        fn new(id: f64) -> Self {
            Counter {
                id,
                count: 0,
                seeded: None,
                fail_at: None,
            }
        }
    }

    impl PoseEstimator for Counter {
        fn name(&self) -> &str {
            "counter"
        }
        fn estimate(&mut self, _: &Mat, _: &Orientation) -> Result<Pose> {
            if self.fail_at == Some(self.count) {
                return Err(Error::Runtime("the model gave up".into()));
            }
            let mut pose = Pose::default();
            let kp = crate::geometry::Keypoint {
                x: self.id,
                y: self.count as f64,
                score: 1.0,
            };
            pose.set(crate::geometry::Joint::Nose, kp);
            self.count += 1;
            Ok(pose)
        }
        fn reset(&mut self) {
            self.count = 0;
            self.seeded = None;
        }
        fn tracked_person(&self) -> Option<PersonHint> {
            Some(PersonHint {
                centre: Point::new(self.id, self.count as f64),
                size: 10.0,
            })
        }
        fn reset_to(&mut self, hint: PersonHint) {
            self.reset();
            self.seeded = Some(hint);
        }
    }

    fn track_sample(pair: &mut Pair<'_>) -> Result<Pass> {
        let path = sample("good.mp4");
        let reader = VideoReader::open(&path)?;
        track(&path, reader, pair, PoseRate::DEFAULT, &mut |_, _| {})
    }

    #[test]
    fn frames_go_round_robin_and_come_back_in_order() {
        assert_eq!(
            (0..7).map(|n| session_for(n, 2)).collect::<Vec<_>>(),
            [0, 1, 0, 1, 0, 1, 0]
        );
        assert_eq!(
            (0..4).map(|n| session_for(n, 1)).collect::<Vec<_>>(),
            [0; 4]
        );
        let (mut a, mut b) = (Counter::new(0.0), Counter::new(1.0));
        let mut pair = Pair {
            first: &mut a,
            others: vec![&mut b],
        };
        let pass = track_sample(&mut pair).unwrap();
        let n = pass.observations.len();
        assert!(n > 100, "{n} frames");
        assert_eq!(pass.frames, n as u64);
        for (k, o) in pass.observations.iter().enumerate() {
            assert_eq!(o.index, k as u64, "in frame order");
            let nose = o.pose.get(crate::geometry::Joint::Nose);
            // Even frames from the first session, odd ones from the second, each in its order.
            assert_eq!(
                (nose.x, nose.y),
                ((k % 2) as f64, (k / 2) as f64),
                "frame {k}"
            );
        }
        assert!(pass.observations.windows(2).all(|w| w[0].t_s < w[1].t_s));
        assert_eq!((a.count, b.count), (n.div_ceil(2), n / 2));
        // The second session started where the first was looking after frame 0.
        assert_eq!(
            b.seeded,
            Some(PersonHint {
                centre: Point::new(0.0, 1.0),
                size: 10.0
            })
        );
    }

    #[test]
    fn a_failing_second_session_fails_the_pass_with_its_frame() {
        let (mut a, mut b) = (Counter::new(0.0), Counter::new(1.0));
        b.fail_at = Some(3);
        let mut pair = Pair {
            first: &mut a,
            others: vec![&mut b],
        };
        let e = track_sample(&mut pair).err().unwrap().to_string();
        // The second session's 4th frame is the clip's frame 7.
        assert!(e.contains("pose estimation failed at frame 7"), "{e}");
        assert!(!e.contains('\n'), "{e}");
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
