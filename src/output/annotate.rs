//! The analysis drawn over the clip: skeleton, the judged leg, knee-over-foot line, live FPPA, rep
//! counter and verdict colours. One drawing function serves the annotated video (`--video`) and the
//! key frames of the HTML report, so both always show the same thing.
use crate::assess::metrics;
use crate::assess::{Assessment, Bout, Rep, Stance, Verdict};
use crate::clip::ClipAnalysis;
use crate::error::{Error, Result};
use crate::geometry::{Joint, Point, Pose, Side};
use crate::output::atomic::{commit_temp, temp_for, TempGuard};
use crate::output::pictures;
use crate::output::sink::Sink;
use crate::video::FrameSink;
use crate::video::VideoReader;
use opencv::core::{self, Mat, Rect, Scalar, Size, Vector};
use opencv::imgcodecs;
use opencv::imgproc;
use opencv::prelude::*;
use std::path::Path;

/// The colour of a verdict as RGB: good green, fair amber, poor red, inconclusive grey. The HTML
/// report uses the same table.
pub fn verdict_rgb(v: Verdict) -> (u8, u8, u8) {
    match v {
        Verdict::Good => (34, 170, 68),
        Verdict::Fair => (245, 158, 11),
        Verdict::Poor => (220, 38, 38),
        Verdict::Inconclusive => (140, 140, 140),
    }
}

/// The verdict colour as an OpenCV BGR scalar.
pub fn verdict_bgr(v: Verdict) -> Scalar {
    let (r, g, b) = verdict_rgb(v);
    Scalar::new(b as f64, g as f64, r as f64, 0.0)
}

/// Where a frame sits in the movement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Outside every rep; `done` reps are complete.
    Standing {
        done: usize,
    },
    Down,
    Bottom,
    Up,
}

impl Phase {
    pub fn label(self) -> &'static str {
        match self {
            Phase::Standing { .. } => "standing",
            Phase::Down => "down",
            Phase::Bottom => "bottom",
            Phase::Up => "up",
        }
    }
}

/// The rep (if any) holding frame position `i`, and the phase there.
pub fn phase_at(analysis: &ClipAnalysis, i: usize) -> (Option<&Rep>, Phase) {
    let frames = &analysis.assessment.frames;
    let Some(f) = frames.get(i) else {
        return (None, Phase::Standing { done: 0 });
    };
    let half_frame = 0.5 / analysis.info.fps.max(1.0);
    let reps = &analysis.assessment.reps;
    for rep in reps {
        if f.t_s >= rep.start_s - 1e-9 && f.t_s <= rep.end_s + 1e-9 {
            let phase = if f.index == rep.bottom_frame || (f.t_s - rep.bottom_s).abs() < half_frame
            {
                Phase::Bottom
            } else if f.t_s < rep.bottom_s {
                Phase::Down
            } else {
                Phase::Up
            };
            return (Some(rep), phase);
        }
    }
    let done = reps.iter().filter(|r| r.end_s < f.t_s).count();
    (None, Phase::Standing { done })
}

/// The legs whose knees are judged: the stance leg of a single-leg squat, else both.
pub fn judged_sides(stance: Stance) -> Vec<Side> {
    match stance {
        Stance::SingleLeg { side, .. } => vec![side],
        _ => vec![Side::Left, Side::Right],
    }
}

/// The bout frame position `i` belongs to (`None` between bouts, or past the frames).
pub fn bout_at(a: &Assessment, i: usize) -> Option<&Bout> {
    a.bout_of(a.frames.get(i)?)
}

/// The legs judged at frame position `i`: those of its bout's stance, none between the bouts of a
/// clip of several (nobody is squatting there), the clip's where it has no bouts.
pub fn judged_sides_at(a: &Assessment, i: usize) -> Vec<Side> {
    match bout_at(a, i) {
        Some(b) => judged_sides(b.stance),
        None if a.bouts.len() > 1 => Vec::new(),
        None => judged_sides(a.stance),
    }
}

/// Every leg judged in some bout, left first (the clip's legs where it has no bouts).
pub fn judged_sides_anywhere(a: &Assessment) -> Vec<Side> {
    if a.bouts.is_empty() {
        return judged_sides(a.stance);
    }
    [Side::Left, Side::Right]
        .into_iter()
        .filter(|s| a.bouts.iter().any(|b| judged_sides(b.stance).contains(s)))
        .collect()
}

/// Frame positions (indices into `observations`) of each rep's bottom, in rep order.
pub fn rep_bottom_positions(analysis: &ClipAnalysis) -> Vec<usize> {
    analysis
        .assessment
        .reps
        .iter()
        .filter_map(|r| {
            analysis
                .assessment
                .frames
                .iter()
                .position(|f| f.index == r.bottom_frame)
        })
        .collect()
}

const BONES: &[(Joint, Joint)] = &[
    (Joint::Nose, Joint::LeftEye),
    (Joint::Nose, Joint::RightEye),
    (Joint::LeftEye, Joint::LeftEar),
    (Joint::RightEye, Joint::RightEar),
    (Joint::LeftShoulder, Joint::RightShoulder),
    (Joint::LeftShoulder, Joint::LeftElbow),
    (Joint::LeftElbow, Joint::LeftWrist),
    (Joint::RightShoulder, Joint::RightElbow),
    (Joint::RightElbow, Joint::RightWrist),
    (Joint::LeftShoulder, Joint::LeftHip),
    (Joint::RightShoulder, Joint::RightHip),
    (Joint::LeftHip, Joint::RightHip),
    (Joint::LeftHip, Joint::LeftKnee),
    (Joint::LeftKnee, Joint::LeftAnkle),
    (Joint::RightHip, Joint::RightKnee),
    (Joint::RightKnee, Joint::RightAnkle),
    (Joint::LeftAnkle, Joint::LeftHeel),
    (Joint::LeftAnkle, Joint::LeftToe),
    (Joint::LeftHeel, Joint::LeftToe),
    (Joint::RightAnkle, Joint::RightHeel),
    (Joint::RightAnkle, Joint::RightToe),
    (Joint::RightHeel, Joint::RightToe),
];

const WHITE: (f64, f64, f64) = (255.0, 255.0, 255.0);
const FONT: i32 = imgproc::FONT_HERSHEY_DUPLEX;

fn bgr((b, g, r): (f64, f64, f64)) -> Scalar {
    Scalar::new(b, g, r, 0.0)
}

fn dark() -> Scalar {
    Scalar::new(25.0, 25.0, 25.0, 0.0)
}

fn px(p: Point) -> core::Point {
    core::Point::new(p.x.round() as i32, p.y.round() as i32)
}

fn cv(e: opencv::Error) -> Error {
    Error::opencv(e)
}

fn line(img: &mut Mat, a: Point, b: Point, colour: Scalar, thickness: i32) -> Result<()> {
    imgproc::line(img, px(a), px(b), colour, thickness, imgproc::LINE_AA, 0).map_err(cv)
}

fn disc(img: &mut Mat, c: Point, radius: i32, colour: Scalar) -> Result<()> {
    imgproc::circle(img, px(c), radius, colour, -1, imgproc::LINE_AA, 0).map_err(cv)
}

/// A dashed segment (for the knee-over-foot reference line).
fn dashed(
    img: &mut Mat,
    a: Point,
    b: Point,
    colour: Scalar,
    thickness: i32,
    dash: f64,
) -> Result<()> {
    let len = a.dist(b);
    if len < 1.0 {
        return Ok(());
    }
    let n = (len / dash).ceil() as usize;
    for k in (0..n).step_by(2) {
        let t0 = k as f64 / n as f64;
        let t1 = ((k + 1) as f64 / n as f64).min(1.0);
        let at = |t: f64| Point::new(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
        let (p0, p1) = (at(t0), at(t1));
        line(img, p0, p1, colour, thickness)?;
    }
    Ok(())
}

/// Dark text on light backgrounds, white text on dark ones.
fn text_colour_on(bg: Scalar) -> Scalar {
    let luma = 0.114 * bg[0] + 0.587 * bg[1] + 0.299 * bg[2];
    if luma > 150.0 {
        dark()
    } else {
        bgr(WHITE)
    }
}

/// Text on a filled box of colour `bg`, `org` = top-left of the box. A trailing '°' is drawn as a
/// small ring (Hershey fonts have no degree sign). Returns the box.
fn label(
    img: &mut Mat,
    text: &str,
    org: core::Point,
    scale: f64,
    bg: Scalar,
    thickness: i32,
) -> Result<Rect> {
    let colour = text_colour_on(bg);
    let (body, degree) = match text.strip_suffix('°') {
        Some(b) => (b, true),
        None => (text, false),
    };
    let mut base = 0;
    let size = imgproc::get_text_size(body, FONT, scale, thickness, &mut base).map_err(cv)?;
    let ring = if degree {
        (size.height as f64 * 0.22).max(2.0)
    } else {
        0.0
    };
    let pad = (size.height as f64 * 0.35).round() as i32 + 2;
    let w = size.width + 2 * pad + if degree { (ring * 3.0) as i32 } else { 0 };
    let h = size.height + 2 * pad;
    let cols = img.cols();
    let rows = img.rows();
    let x = org.x.clamp(0, (cols - w).max(0));
    let y = org.y.clamp(0, (rows - h).max(0));
    let rect = Rect::new(x, y, w.min(cols), h.min(rows));
    imgproc::rectangle(img, rect, bg, -1, imgproc::LINE_8, 0).map_err(cv)?;
    let baseline = core::Point::new(x + pad, y + pad + size.height);
    imgproc::put_text(
        img,
        body,
        baseline,
        FONT,
        scale,
        colour,
        thickness,
        imgproc::LINE_AA,
        false,
    )
    .map_err(cv)?;
    if degree {
        let c = core::Point::new(
            x + pad + size.width + (ring * 1.6) as i32,
            y + pad + (ring * 1.2) as i32,
        );
        imgproc::circle(
            img,
            c,
            ring.round() as i32,
            colour,
            (thickness as f64 * 0.8).max(1.0) as i32,
            imgproc::LINE_AA,
            0,
        )
        .map_err(cv)?;
    }
    Ok(rect)
}

/// The zone a live knee angle is in: good up to the good limit, poor from the poor limit, fair
/// between; inconclusive (grey) where the frame has no angle.
pub fn live_zone(fppa: Option<f64>, th: &crate::assess::thresholds::Thresholds) -> Verdict {
    match fppa {
        None => Verdict::Inconclusive,
        Some(v) if v <= th.fppa_good_max_deg => Verdict::Good,
        Some(v) if v >= th.fppa_poor_min_deg => Verdict::Poor,
        Some(_) => Verdict::Fair,
    }
}

/// Draws the analysis over frame position `i` (an index into `analysis.observations`, which is
/// also the decode order) of a display-oriented BGR frame.
pub fn draw_overlay(frame: &mut Mat, analysis: &ClipAnalysis, i: usize) -> Result<()> {
    let Some(obs) = analysis.observations.get(i) else {
        return Ok(());
    };
    let pose: &Pose = &obs.pose;
    let s = (frame.cols().min(frame.rows()) as f64 / 540.0).max(0.5);
    let thin = (2.0 * s).round().max(1.0) as i32;
    let thick = (7.0 * s).round().max(3.0) as i32;
    let (rep, phase) = phase_at(analysis, i);
    // Between reps of a clip of several bouts, the bout's verdict: its leg is the one judged there.
    let bout = bout_at(&analysis.assessment, i).filter(|_| analysis.assessment.bouts.len() > 1);
    let verdict = match (rep, bout) {
        (Some(r), _) => r.verdict,
        (None, Some(b)) => b.verdict,
        (None, None) => analysis.assessment.verdict,
    };
    let colour = verdict_bgr(verdict);
    // The same confidence the verdict used, so a `--thresholds` file changes both alike.
    let min_score = analysis.assessment.thresholds.min_keypoint_score;
    let point = |j: Joint| pose.confident(j, min_score);

    // Skeleton: a dark edge under a light line stays visible on any background.
    for &(a, b) in BONES {
        if let (Some(pa), Some(pb)) = (point(a), point(b)) {
            line(frame, pa, pb, dark(), thin + 2)?;
            line(frame, pa, pb, bgr((235.0, 235.0, 235.0)), thin)?;
        }
    }
    for j in Joint::ALL {
        if let Some(p) = point(j) {
            disc(frame, p, thin + 1, bgr(WHITE))?;
        }
    }

    let metrics = analysis.assessment.frames.get(i);
    for side in judged_sides_at(&analysis.assessment, i) {
        let fppa = metrics.and_then(|m| match side {
            Side::Left => m.left.fppa_deg,
            Side::Right => m.right.fppa_deg,
        });
        // The leg in the zone of its angle in this frame, not in the clip's final verdict.
        let colour = verdict_bgr(live_zone(fppa, &analysis.assessment.thresholds));
        let (hip, knee, ankle) = (point(side.hip()), point(side.knee()), point(side.ankle()));
        if let (Some(h), Some(k)) = (hip, knee) {
            line(frame, h, k, dark(), thick + 2)?;
            line(frame, h, k, colour, thick)?;
        }
        if let (Some(k), Some(a)) = (knee, ankle) {
            line(frame, k, a, dark(), thick + 2)?;
            line(frame, k, a, colour, thick)?;
        }
        let Some(k) = knee else { continue };
        // Knee over foot: a vertical from the ankle (what drift is measured to) up to knee
        // height, and the knee's sideways offset from it.
        if let Some(foot) = ankle {
            let top = Point::new(foot.x, k.y);
            dashed(frame, foot, top, dark(), thin + 2, 10.0 * s)?;
            dashed(frame, foot, top, bgr((255.0, 255.0, 0.0)), thin, 10.0 * s)?;
            line(frame, top, k, bgr((255.0, 255.0, 0.0)), thin)?;
            disc(frame, foot, thin + 3, bgr((255.0, 255.0, 0.0)))?;
        }
        let r = (9.0 * s).round() as i32;
        disc(frame, k, r + thin, bgr(WHITE))?;
        disc(frame, k, r, colour)?;
        // Live FPPA beside the knee, on the outer (lateral) side so it hides neither line.
        let text = fppa.map_or_else(|| "FPPA -".to_string(), |v| format!("{v:.0}°"));
        let lateral = point(side.other().hip())
            .and_then(|other| metrics::medial_sign(point(side.hip())?, other))
            .map_or(1.0, |m| -m);
        let scale = 0.8 * s;
        let mut base = 0;
        let size = imgproc::get_text_size(&text, FONT, scale, thin, &mut base).map_err(cv)?;
        let gap = (r as f64 + 12.0 * s) as i32;
        let x = if lateral > 0.0 {
            k.x.round() as i32 + gap
        } else {
            k.x.round() as i32 - gap - size.width - (18.0 * s) as i32
        };
        let y = k.y.round() as i32 - size.height;
        label(frame, &text, core::Point::new(x, y), scale, colour, thin)?;
    }

    // Heads-up panel: rep counter and phase, then the verdict in its colour.
    let n = analysis.assessment.reps.len();
    let line1 = match (rep, phase) {
        (Some(r), p) => format!("rep {}/{n}  {}", r.number, p.label()),
        (None, Phase::Standing { done }) => format!("reps {done}/{n}  standing"),
        (None, p) => p.label().to_string(),
    };
    let line2 = match (rep, bout) {
        (Some(r), _) => format!("rep {}: {}", r.number, r.verdict.label().to_uppercase()),
        (None, Some(b)) => format!("bout {}: {}", b.number, b.verdict.label().to_uppercase()),
        (None, None) => format!("overall: {}", verdict.label().to_uppercase()),
    };
    let scale = 0.75 * s;
    let margin = (10.0 * s) as i32;
    let first = label(
        frame,
        &line1,
        core::Point::new(margin, margin),
        scale,
        dark(),
        thin,
    )?;
    label(
        frame,
        &line2,
        core::Point::new(margin, first.y + first.height),
        scale,
        colour,
        thin,
    )?;
    Ok(())
}

/// What the annotated video writer produced.
#[derive(Debug, Clone, PartialEq)]
pub struct VideoOutput {
    /// e.g. "h264 (ffmpeg libx264 veryfast)", or the FourCC OpenCV's writer used ("avc1").
    pub codec: String,
    pub frames: u64,
    pub width: u32,
    pub height: u32,
}

/// An annotated frame kept for the report, JPEG-encoded and scaled down to [`KEY_FRAME_SIDE`] as
/// soon as it is drawn: a full-resolution frame per rep would grow memory with the reps (24 reps
/// of a 1080×1920 clip held 150 MiB of raw frames; kept like this they take about 2 MiB).
pub struct KeyFrame {
    /// Position in `analysis.observations`.
    pub position: usize,
    pub jpeg: Vec<u8>,
    /// At a rep bottom: the zoomed knee crop of each judged leg (see [`pictures::knee_crop`]).
    pub crops: Vec<(Side, Vec<u8>)>,
}

/// A kept frame's JPEG and its knee crops, while decoding.
type Kept = (Vec<u8>, Vec<(Side, Vec<u8>)>);

/// The longer side of a kept key frame, pixels, and its JPEG quality.
pub const KEY_FRAME_SIDE: i32 = 720;
const KEY_FRAME_QUALITY: i32 = 82;

/// Decodes the clip again, draws the overlay on every frame and (with `video`) writes the annotated
/// clip there: display orientation, the clip's fps, no audio, H.264 (through the ffmpeg CLI where
/// installed, else OpenCV's writer: see [`crate::video_writer`]). The video is written through a
/// temporary file in the same folder and renamed at the end; on any error the encoder is stopped
/// and the temporary file removed. Frames at `keep` positions are returned, annotated, in the order
/// of `keep`.
pub fn render(
    analysis: &ClipAnalysis,
    video: Option<&Path>,
    keep: &[usize],
) -> Result<(Option<VideoOutput>, Vec<KeyFrame>)> {
    let mut reader = VideoReader::open(&analysis.info.path)?;
    let info = reader.info().clone();
    let size = Size::new(info.width as i32, info.height as i32);
    // Declared before the writer so that it is dropped after it: an unfinished writer stops its
    // encoder first, then the half-written file goes.
    let mut guard = TempGuard::new(None);
    let mut writer = None;
    let mut codec = String::new();
    let mut sink = None;
    if let Some(out) = video {
        let s = Sink::of(out)?;
        if let Sink::File(path) = &s {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                if !dir.is_dir() {
                    return Err(Error::output(out, "its folder does not exist"));
                }
            }
        }
        let tmp = temp_for(&s, "tmp");
        sink = Some(s);
        guard.set(tmp.clone());
        let (w, c) = FrameSink::open(&tmp, info.fps, size)
            .map_err(|e| Error::output_caused(out, "cannot write video", e))?;
        writer = Some(w);
        codec = c;
    }
    let write_error =
        |e: Error| Error::output_caused(video.unwrap_or(Path::new("")), "cannot write video", e);
    let last_wanted = keep.iter().copied().max();
    let mut kept: Vec<Option<Kept>> = keep.iter().map(|_| None).collect();
    let standing: Vec<usize> = pictures::standing_positions(&analysis.assessment)
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    let min_score = analysis.assessment.thresholds.min_keypoint_score;
    let mut stored = Mat::default();
    let mut display = Mat::default();
    let mut written = 0u64;
    // Every decoded frame shows the latest posed frame's analysis (with a pose rate below the
    // frame rate, the frames between posed ones hold the last pose).
    let obs = &analysis.observations;
    let mut pos = 0usize;
    while let Some(stamp) = reader.read_stored(&mut stored)? {
        while obs.get(pos + 1).is_some_and(|o| o.index <= stamp.index) {
            pos += 1;
        }
        if writer.is_none() && last_wanted.is_none_or(|l| pos > l) {
            break;
        }
        let posed_here = obs.get(pos).is_some_and(|o| o.index == stamp.index);
        let wanted_here = posed_here && keep.contains(&pos);
        if writer.is_none() && !wanted_here {
            continue;
        }
        info.orientation.to_display(&stored, &mut display)?;
        draw_overlay(&mut display, analysis, pos)?;
        if let Some(w) = writer.as_mut() {
            w.write(&display).map_err(write_error)?;
            written += 1;
        }
        if wanted_here {
            let side = if standing.contains(&pos) {
                pictures::STANDING_SIDE
            } else {
                KEY_FRAME_SIDE
            };
            let jpeg = encode_jpeg(&display, side, KEY_FRAME_QUALITY)?;
            let mut crops = Vec::new();
            for s in pictures::crop_sides(&analysis.assessment, pos) {
                if let Some(crop) = pictures::knee_crop(&display, &obs[pos].pose, s, min_score)? {
                    crops.push((
                        s,
                        encode_jpeg(&crop, pictures::CROP_SIDE, KEY_FRAME_QUALITY)?,
                    ));
                }
            }
            for (slot, &want) in kept.iter_mut().zip(keep) {
                if want == pos {
                    *slot = Some((jpeg.clone(), crops.clone()));
                }
            }
        }
    }
    let output = match (writer, video) {
        (Some(w), Some(out)) => {
            if written == 0 {
                return Err(Error::output(out, "no video frames were written"));
            }
            let size = w.size();
            w.finish().map_err(write_error)?;
            let tmp = guard.path().map(Path::to_path_buf).unwrap_or_default();
            if std::fs::metadata(&tmp).map_or(0, |m| m.len()) == 0 {
                return Err(Error::output(out, "no video frames were written"));
            }
            if let Some(sink) = &sink {
                commit_temp(sink, &tmp, out)?;
            }
            guard.disarm();
            Some(VideoOutput {
                codec,
                frames: written,
                width: size.width as u32,
                height: size.height as u32,
            })
        }
        _ => None,
    };
    let frames = keep
        .iter()
        .zip(kept)
        .filter_map(|(&position, kept)| {
            kept.map(|(jpeg, crops)| KeyFrame {
                position,
                jpeg,
                crops,
            })
        })
        .collect();
    Ok((output, frames))
}

/// Scales `img` down so that its longer side is at most `max_side`, then encodes it as JPEG.
pub fn encode_jpeg(img: &Mat, max_side: i32, quality: i32) -> Result<Vec<u8>> {
    let longest = img.cols().max(img.rows());
    let mut small = Mat::default();
    let src = if longest > max_side && longest > 0 {
        let k = max_side as f64 / longest as f64;
        imgproc::resize(img, &mut small, Size::new(0, 0), k, k, imgproc::INTER_AREA).map_err(cv)?;
        &small
    } else {
        img
    };
    let mut buf = Vector::<u8>::new();
    let params = Vector::<i32>::from_slice(&[imgcodecs::IMWRITE_JPEG_QUALITY, quality]);
    imgcodecs::imencode(".jpg", src, &mut buf, &params).map_err(cv)?;
    Ok(buf.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_colours_are_distinct_and_bgr_swapped() {
        let all = [
            Verdict::Good,
            Verdict::Fair,
            Verdict::Poor,
            Verdict::Inconclusive,
        ];
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_ne!(verdict_rgb(*a), verdict_rgb(*b));
            }
        }
        let s = verdict_bgr(Verdict::Poor);
        assert_eq!((s[0], s[2]), (38.0, 220.0));
    }

    #[test]
    fn each_frame_draws_the_legs_of_its_bout() {
        let clip = crate::output::fixture::two_bout_clip();
        let a = &clip.assessment;
        assert_eq!(judged_sides_anywhere(a), vec![Side::Left, Side::Right]);
        let mut seen = Vec::new();
        for (i, f) in a.frames.iter().enumerate() {
            let sides = judged_sides_at(a, i);
            let want = match f.bout {
                Some(1) => vec![Side::Right],
                Some(2) => vec![Side::Left],
                None => vec![],
                Some(n) => panic!("bout {n}"),
            };
            assert_eq!(sides, want, "frame {i}");
            if !seen.contains(&sides) {
                seen.push(sides);
            }
        }
        assert_eq!(seen.len(), 3, "both bouts and a transition: {seen:?}");
        // A one-bout clip draws its stance leg on every frame, as before bouts.
        let one = crate::output::fixture::squat_clip();
        let a = &one.assessment;
        assert!((0..a.frames.len()).all(|i| judged_sides_at(a, i) == judged_sides(a.stance)));
        assert_eq!(judged_sides_anywhere(a), judged_sides(a.stance));
    }

    #[test]
    fn the_leg_is_coloured_by_its_live_zone() {
        let th = crate::assess::thresholds::Thresholds::default();
        assert_eq!(live_zone(Some(2.0), &th), Verdict::Good);
        assert_eq!(
            live_zone(Some(th.fppa_good_max_deg + 0.5), &th),
            Verdict::Fair
        );
        assert_eq!(live_zone(Some(25.0), &th), Verdict::Poor);
        assert_eq!(live_zone(None, &th), Verdict::Inconclusive);
    }

    #[test]
    fn label_clamps_inside_the_frame_and_draws() {
        let mut img =
            Mat::new_rows_cols_with_default(100, 200, core::CV_8UC3, Scalar::all(255.0)).unwrap();
        let r = label(&mut img, "17°", core::Point::new(190, 95), 0.6, dark(), 1).unwrap();
        assert!(r.x + r.width <= 200 && r.y + r.height <= 100, "{r:?}");
        let p = img.at_2d::<core::Vec3b>(r.y + 1, r.x + 1).unwrap();
        assert_eq!(p[0], 25);
    }
}
