//! Which frames the HTML report pictures, and the zoomed knee crop: per bout its standing frame
//! (the baseline every rep is measured from), per rep its bottom (at most [`MAX_PICTURED_REPS`],
//! plus each leg's worst rep, so left can be set against right), and from each bottom a crop
//! around the judged knee and ankle, upscaled, with the overlay's lines already drawn on it.
//! Everything is chosen before decoding, so only these frames are kept (JPEG-encoded).
use crate::assess::{Assessment, Rep};
use crate::clip::ClipAnalysis;
use crate::error::{Error, Result};
use crate::geometry::{Pose, Side};
use crate::output::annotate::{encode_jpeg, judged_sides, rep_bottom_positions, KeyFrame};
use opencv::core::{Mat, Rect, Size, Vector};
use opencv::imgcodecs;
use opencv::imgproc;
use opencv::prelude::*;

/// Reps pictured in the report, in rep order (a long clip's later reps are listed in the table
/// only): bounds the kept JPEGs at about 100 KB a rep.
pub const MAX_PICTURED_REPS: usize = 30;
/// The longer side of a knee crop after upscaling, pixels.
pub const CROP_SIDE: i32 = 360;
/// The longer side of a standing frame, pixels (it is shown beside each of its bout's reps, so it
/// is kept smaller than a bottom frame).
pub const STANDING_SIDE: i32 = 360;

/// Each bout's standing frame: the confident frame outside every rep with the hips highest
/// (smallest depth), preferring frames before the bout's first rep. `(bout number, position)`;
/// a clip without bouts counts as bout 1.
pub fn standing_positions(a: &Assessment) -> Vec<(usize, usize)> {
    let in_rep = |t: f64| a.reps.iter().any(|r| t >= r.start_s && t <= r.end_s);
    let bouts: Vec<usize> = if a.bouts.is_empty() {
        vec![1]
    } else {
        a.bouts.iter().map(|b| b.number).collect()
    };
    bouts
        .into_iter()
        .filter(|&b| a.reps.iter().any(|r| r.bout == b || a.bouts.is_empty()))
        .filter_map(|b| {
            let first_rep = a
                .reps
                .iter()
                .filter(|r| r.bout == b || a.bouts.is_empty())
                .map(|r| r.start_s)
                .fold(f64::INFINITY, f64::min);
            let pos = a
                .frames
                .iter()
                .enumerate()
                .filter(|(_, f)| a.bouts.is_empty() || f.bout == Some(b))
                .filter(|(_, f)| f.confident && !in_rep(f.t_s))
                .filter_map(|(i, f)| Some((i, f.t_s > first_rep, f.depth?)))
                .min_by(|x, y| x.1.cmp(&y.1).then(x.2.total_cmp(&y.2)))?
                .0;
            Some((b, pos))
        })
        .collect()
}

/// The rep of each leg with that leg's largest peak FPPA, when both legs were tested.
pub fn worst_rep_per_leg(a: &Assessment) -> Vec<(Side, &Rep)> {
    if a.legs.left.is_none() || a.legs.right.is_none() {
        return Vec::new();
    }
    [Side::Left, Side::Right]
        .into_iter()
        .filter_map(|side| {
            let peak = |r: &Rep| {
                r.legs
                    .iter()
                    .find(|l| l.side == side)
                    .and_then(|l| l.peak_fppa_deg)
            };
            let worst = a.reps.iter().filter(|r| peak(r).is_some()).max_by(|x, y| {
                peak(x)
                    .unwrap_or(f64::NAN)
                    .total_cmp(&peak(y).unwrap_or(f64::NAN))
            })?;
            Some((side, worst))
        })
        .collect()
}

/// The frame position of rep `r`'s bottom.
pub fn bottom_position(a: &Assessment, r: &Rep) -> Option<usize> {
    a.frames.iter().position(|f| f.index == r.bottom_frame)
}

/// The frames the HTML report shows, each once: the pictured reps' bottoms, each leg's worst
/// rep's bottom, each bout's standing frame; with no rep at all, the middle frame of the clip,
/// so that an inconclusive report shows what the camera saw (a side view, feet cut off, nobody)
/// instead of empty plots.
pub fn report_frame_positions(analysis: &ClipAnalysis) -> Vec<usize> {
    let a = &analysis.assessment;
    let bottoms = rep_bottom_positions(analysis);
    if bottoms.is_empty() {
        return if analysis.observations.is_empty() {
            Vec::new()
        } else {
            vec![analysis.observations.len() / 2]
        };
    }
    let mut keep: Vec<usize> = bottoms.into_iter().take(MAX_PICTURED_REPS).collect();
    let extra = worst_rep_per_leg(a)
        .into_iter()
        .filter_map(|(_, r)| bottom_position(a, r))
        .chain(standing_positions(a).into_iter().map(|(_, p)| p));
    for p in extra {
        if !keep.contains(&p) {
            keep.push(p);
        }
    }
    keep
}

/// The height of a clip's thumbnail in the batch index, pixels (about 3–5 KB as JPEG).
pub const THUMBNAIL_HEIGHT: i32 = 96;

/// The clip's thumbnail for the batch index: its worst rep's bottom (largest peak FPPA of any
/// leg), or the middle frame of a clip without reps, from the report's kept key frames (decoded
/// from their JPEG: the clip is not read again), [`THUMBNAIL_HEIGHT`] px tall.
pub fn thumbnail(analysis: &ClipAnalysis, key_frames: &[KeyFrame]) -> Result<Option<Vec<u8>>> {
    let a = &analysis.assessment;
    let peak = |r: &Rep| {
        r.legs
            .iter()
            .filter_map(|l| l.peak_fppa_deg)
            .fold(f64::NEG_INFINITY, f64::max)
    };
    let pos = match a.reps.iter().max_by(|x, y| peak(x).total_cmp(&peak(y))) {
        Some(r) => bottom_position(a, r),
        None => key_frames.first().map(|k| k.position),
    };
    let Some(k) = pos.and_then(|p| key_frames.iter().find(|k| k.position == p)) else {
        return Ok(None);
    };
    let img = imgcodecs::imdecode(&Vector::<u8>::from_slice(&k.jpeg), imgcodecs::IMREAD_COLOR)
        .map_err(Error::opencv)?;
    if img.rows() == 0 {
        return Ok(None);
    }
    let scale = THUMBNAIL_HEIGHT as f64 / img.rows() as f64;
    let mut small = Mat::default();
    imgproc::resize(
        &img,
        &mut small,
        Size::new(0, 0),
        scale,
        scale,
        imgproc::INTER_AREA,
    )
    .map_err(Error::opencv)?;
    let longest = small.rows().max(small.cols());
    Ok(Some(encode_jpeg(&small, longest, 78)?))
}

/// Whether position `pos` is a rep bottom, and then the legs judged in its rep.
pub fn crop_sides(a: &Assessment, pos: usize) -> Vec<Side> {
    let Some(f) = a.frames.get(pos) else {
        return Vec::new();
    };
    let Some(rep) = a.reps.iter().find(|r| r.bottom_frame == f.index) else {
        return Vec::new();
    };
    match a.bouts.iter().find(|b| b.number == rep.bout) {
        Some(b) => judged_sides(b.stance),
        None => judged_sides(a.stance),
    }
}

/// The part of an annotated frame around `side`'s knee and ankle (0.7 shank either side, 0.6
/// above the knee, a quarter below the ankle; at least 0.9 times as wide as tall), scaled so its longer side is
/// [`CROP_SIDE`]. `None` when the knee or ankle was not seen.
pub fn knee_crop(frame: &Mat, pose: &Pose, side: Side, min_score: f64) -> Result<Option<Mat>> {
    let (Some(k), Some(f)) = (
        pose.confident(side.knee(), min_score),
        pose.confident(side.ankle(), min_score),
    ) else {
        return Ok(None);
    };
    let shank = k.dist(f).max(8.0);
    // Half a shank of thigh above the knee (the hip–knee line's direction), a little foot below.
    let margin = 0.7 * shank;
    let (x0, x1) = (k.x.min(f.x) - margin, k.x.max(f.x) + margin);
    let (y0, y1) = (k.y.min(f.y) - 0.6 * shank, k.y.max(f.y) + 0.25 * shank);
    // Wide enough to show the knee's offset from the foot and the angle label beside the knee.
    let width = (x1 - x0).max(0.9 * (y1 - y0));
    let cx = 0.5 * (x0 + x1);
    let (cols, rows) = (frame.cols() as f64, frame.rows() as f64);
    let left = (cx - width / 2.0).clamp(0.0, cols - 1.0);
    let right = (cx + width / 2.0).clamp(left + 1.0, cols);
    let top = y0.clamp(0.0, rows - 1.0);
    let bottom = y1.clamp(top + 1.0, rows);
    let rect = Rect::new(
        left as i32,
        top as i32,
        ((right - left) as i32).max(1),
        ((bottom - top) as i32).max(1),
    );
    let roi = Mat::roi(frame, rect).map_err(Error::opencv)?;
    let k = CROP_SIDE as f64 / rect.width.max(rect.height) as f64;
    let mut out = Mat::default();
    let interpolation = if k > 1.0 {
        imgproc::INTER_CUBIC
    } else {
        imgproc::INTER_AREA
    };
    imgproc::resize(&roi, &mut out, Size::new(0, 0), k, k, interpolation).map_err(Error::opencv)?;
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixture::{squat_clip, two_bout_clip};

    #[test]
    fn each_bout_has_a_standing_frame_outside_its_reps() {
        for clip in [squat_clip(), two_bout_clip()] {
            let a = &clip.assessment;
            let standing = standing_positions(a);
            let bouts = a.bouts.len().max(1);
            assert_eq!(standing.len(), bouts, "{standing:?}");
            for (b, pos) in standing {
                let f = &a.frames[pos];
                assert!(f.confident);
                assert!(a.bouts.is_empty() || f.bout == Some(b));
                assert!(
                    a.reps.iter().all(|r| f.t_s < r.start_s || f.t_s > r.end_s),
                    "frame {pos} is inside a rep"
                );
            }
        }
    }

    #[test]
    fn both_legs_get_their_worst_rep_and_positions_are_unique() {
        let clip = two_bout_clip();
        let a = &clip.assessment;
        let worst = worst_rep_per_leg(a);
        assert_eq!(
            worst.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
            vec![Side::Left, Side::Right]
        );
        for (side, rep) in &worst {
            assert_eq!(crop_sides(a, bottom_position(a, rep).unwrap()), vec![*side]);
        }
        let keep = report_frame_positions(&clip);
        let mut unique = keep.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), keep.len());
        assert_eq!(keep.len(), a.reps.len() + a.bouts.len(), "{keep:?}");
        // One leg only: no comparison.
        assert!(worst_rep_per_leg(&squat_clip().assessment).is_empty());
    }
}
