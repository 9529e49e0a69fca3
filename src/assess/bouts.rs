//! Bouts: a clip often holds the right leg, a step, then the left leg, or turns from a side view to
//! the front. Each bout is a span with one stance and one view; the frames between bouts
//! (stepping, turning, walking in or out) are transitions and are left out.
//!
//! How: the stance and the view are read in short windows around every half second of the clip,
//! each frame takes the label of the nearest window, runs of one label make bouts, and runs too
//! short to hold a couple of reps are transitions. A clip with one label throughout is one bout,
//! the whole clip, exactly as if it had never been split.
use super::body::leg_length;
use super::capture::{facing, frontal_ratio, Facing};
use super::stance::detect_stance;
use super::thresholds::Thresholds;
use super::{Observation, Stance};
use crate::geometry::{Pose, Side};
use std::ops::Range;

/// What a window shows: who stands on what, seen from where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Label {
    stance: StanceKey,
    view: ViewKey,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StanceKey {
    Single(Side),
    Double,
}

/// Front and oblique views are one bout (the camera angle is judged per bout, not here).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ViewKey {
    Front,
    Rear,
    Side,
}

fn label(poses: &[Pose], leg: f64, th: &Thresholds) -> Option<Label> {
    let view = match frontal_ratio(poses, th)? {
        r if r < th.min_frontal_ratio => ViewKey::Side,
        _ if facing(poses, th) == Some(Facing::Away) => ViewKey::Rear,
        _ => ViewKey::Front,
    };
    let stance = match detect_stance(poses, leg, th) {
        Stance::SingleLeg { side, .. } => StanceKey::Single(side),
        Stance::DoubleLeg => StanceKey::Double,
        Stance::Several | Stance::Unknown => return None,
    };
    Some(Label { stance, view })
}

/// The bouts of a clip as ranges of observation indices, in time order. One range, the whole
/// clip, unless at least two bouts of `th.min_bout_s` or longer differ in stance or view.
pub(crate) fn split(obs: &[Observation], poses: &[Pose], th: &Thresholds) -> Vec<Range<usize>> {
    let whole = std::iter::once(0..obs.len()).collect();
    let (Some(first), Some(last)) = (obs.first(), obs.last()) else {
        return whole;
    };
    if last.t_s - first.t_s < 2.0 * th.min_bout_s {
        return whole;
    }
    let Some(leg) = leg_length(poses, th) else {
        return whole;
    };
    let labels = frame_labels(obs, poses, leg, th);
    let runs = long_runs(obs, &labels, th.min_bout_s);
    if runs.len() < 2 {
        return whole;
    }
    runs.into_iter().map(|(range, _)| range).collect()
}

/// Each frame's label: that of the window centred nearest to it. The centres lie on a fixed grid
/// of seconds from the first frame, so every frame belongs to exactly one: stepping from frame to
/// frame instead left frames unlabelled wherever half a second is not a whole number of frames
/// (15 and 25 fps), and the gaps cut every run short of a bout.
fn frame_labels(
    obs: &[Observation],
    poses: &[Pose],
    leg: f64,
    th: &Thresholds,
) -> Vec<Option<Label>> {
    const HOP_S: f64 = 0.5;
    let half = th.bout_window_s / 2.0;
    let Some(t0) = obs.first().map(|o| o.t_s) else {
        return Vec::new();
    };
    let mut labels = Vec::with_capacity(obs.len());
    let mut current: Option<(i64, Option<Label>)> = None;
    for o in obs {
        let slot = ((o.t_s - t0) / HOP_S).round() as i64;
        let window = match current {
            Some((s, window)) if s == slot => window,
            _ => {
                let centre = t0 + slot as f64 * HOP_S;
                let from = obs.partition_point(|o| o.t_s < centre - half);
                let to = obs.partition_point(|o| o.t_s <= centre + half);
                let window = label(&poses[from..to], leg, th);
                current = Some((slot, window));
                window
            }
        };
        labels.push(window);
    }
    labels
}

/// Runs of one label lasting at least `min_s`, with runs of the same label merged across the short
/// spans between them (a glitch in the labels is no transition).
fn long_runs(
    obs: &[Observation],
    labels: &[Option<Label>],
    min_s: f64,
) -> Vec<(Range<usize>, Label)> {
    let mut runs: Vec<(Range<usize>, Label)> = Vec::new();
    let mut i = 0;
    while i < labels.len() {
        let mut j = i + 1;
        while j < labels.len() && labels[j] == labels[i] {
            j += 1;
        }
        if let Some(label) = labels[i] {
            let long = obs[j - 1].t_s - obs[i].t_s >= min_s;
            match runs.last_mut() {
                Some((range, last)) if *last == label => range.end = j,
                _ if long => runs.push((i..j, label)),
                _ => {}
            }
        }
        i = j;
    }
    runs.retain(|(range, _)| obs[range.end - 1].t_s - obs[range.start].t_s >= min_s);
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(n: usize, fps: f64) -> Vec<Observation> {
        (0..n)
            .map(|i| Observation {
                index: i as u64,
                t_s: i as f64 / fps,
                pose: Pose::default(),
            })
            .collect()
    }

    #[test]
    fn runs_shorter_than_a_bout_are_transitions_and_glitches_merge() {
        let o = obs(300, 10.0);
        let right = Some(Label {
            stance: StanceKey::Single(Side::Right),
            view: ViewKey::Front,
        });
        let left = Some(Label {
            stance: StanceKey::Single(Side::Left),
            view: ViewKey::Front,
        });
        // 10 s right, 1 s of nothing, 2 s right, 3 s double (short), 14 s left.
        let double = Some(Label {
            stance: StanceKey::Double,
            view: ViewKey::Front,
        });
        let mut labels = vec![right; 100];
        labels.extend(vec![None; 10]);
        labels.extend(vec![right; 20]);
        labels.extend(vec![double; 30]);
        labels.extend(vec![left; 140]);
        let runs = long_runs(&o, &labels, 4.0);
        assert_eq!(runs.len(), 2, "{runs:?}");
        assert_eq!(runs[0].0, 0..130);
        assert_eq!(runs[1].0, 160..300);
    }
}
