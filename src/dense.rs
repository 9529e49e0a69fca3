//! Dense posing only where the peaks are measured (issue 15, opt-in `--coarse-rate`).
//!
//! The peak FPPA of a rep is measured around its bottom; while the person stands tall the model
//! may run at a coarse rate (e.g. 10 Hz). [`DenseWatch`] decides online, from a pose on the
//! coarse grid, whether the frames of the block after next are to be posed densely (every frame
//! the pose rate allows): when the hip-to-ankle height is below [`DENSE_BELOW`] of its running
//! maximum, or cannot be measured. [`CoarsePlan`] keeps those decisions in frame order, so that
//! the frames posed do not depend on thread timing. [`fill_gaps`] then fills the frames skipped
//! by linear interpolation of every keypoint, so the assessment still gets the evenly spaced
//! observations its filters assume, and says which.
use crate::assess::Observation;
use crate::geometry::{Joint, Keypoint, Pose};
use std::collections::BTreeMap;

/// Dense below this fraction of the running maximum hip-to-ankle height.
pub const DENSE_BELOW: f64 = 0.9;
/// A hip or ankle below this score does not count as measured.
const MIN_SCORE: f64 = 0.3;

/// The online dense/coarse decision, from grid poses in frame order.
#[derive(Debug, Clone, Default)]
pub struct DenseWatch {
    tallest: f64,
}

impl DenseWatch {
    /// Takes the latest pose; whether the next frames are to be posed densely.
    pub fn update(&mut self, pose: &Pose) -> bool {
        let Some(height) = hip_to_ankle(pose) else {
            return true;
        };
        self.tallest = self.tallest.max(height);
        height < DENSE_BELOW * self.tallest
    }
}

/// Which frames of a coarsely posed clip are posed. The clip is cut into blocks of `grid` frames;
/// the first frame of each block (the coarse grid) is always posed, and the other frames of block
/// b are posed only when the [`DenseWatch`] decision from grid frame b − 1 says dense (block 0:
/// dense, nothing is known yet). Grid poses may arrive in any order (several sessions); they are
/// taken in frame order, so the same clip is posed on the same frames whatever the timing. A
/// block's lag (b − 1, not b) lets the sessions keep working while a grid frame is still posed.
#[derive(Debug, Clone)]
pub struct CoarsePlan {
    grid: u64,
    watch: DenseWatch,
    /// Grid poses that came before an earlier grid frame's, by block.
    waiting: BTreeMap<u64, Pose>,
    /// Per block decided so far: dense.
    dense: Vec<bool>,
}

impl CoarsePlan {
    /// A plan for a coarse grid of every `grid` frames.
    pub fn new(grid: u64) -> Self {
        CoarsePlan {
            grid: grid.max(1),
            watch: DenseWatch::default(),
            waiting: BTreeMap::new(),
            dense: vec![true],
        }
    }

    /// Takes the pose of frame `index` (only the grid frames' count).
    pub fn offer(&mut self, index: u64, pose: &Pose) {
        if !index.is_multiple_of(self.grid) {
            return;
        }
        self.waiting.insert(index / self.grid, pose.clone());
        // Block b's decision is grid frame b − 1's: the next one needed is block `dense.len()`.
        while let Some(pose) = self.waiting.remove(&(self.dense.len() as u64 - 1)) {
            let dense = self.watch.update(&pose);
            self.dense.push(dense);
        }
    }

    /// Whether frame `index` is to be posed; `None` while the grid pose it depends on has not
    /// been offered yet.
    pub fn wants(&self, index: u64) -> Option<bool> {
        if index.is_multiple_of(self.grid) {
            return Some(true);
        }
        self.dense.get((index / self.grid) as usize).copied()
    }
}

/// The vertical hip-to-ankle distance, averaged over the legs whose hip and ankle are confident.
fn hip_to_ankle(pose: &Pose) -> Option<f64> {
    let legs = [
        (Joint::LeftHip, Joint::LeftAnkle),
        (Joint::RightHip, Joint::RightAnkle),
    ];
    let heights: Vec<f64> = legs
        .iter()
        .filter_map(|&(hip, ankle)| {
            let h = pose.confident(hip, MIN_SCORE)?;
            let a = pose.confident(ankle, MIN_SCORE)?;
            Some(a.y - h.y)
        })
        .filter(|d| d.is_finite() && *d > 0.0)
        .collect();
    (!heights.is_empty()).then(|| heights.iter().sum::<f64>() / heights.len() as f64)
}

/// Fills the frames missing between posed observations (sorted by index) of a clip of `frames`
/// frames posed every `stride` frames where dense, by linear interpolation of position, score and
/// time; gaps longer than `max_gap` frames are left as they are. The frames after the last posed
/// one (fewer than `max_gap`; the decoder cannot go back to them) hold its pose. Returns the full
/// list and, for each observation, whether it was interpolated.
pub fn fill_gaps(
    posed: Vec<Observation>,
    stride: u64,
    max_gap: u64,
    frames: u64,
) -> (Vec<Observation>, Vec<bool>) {
    let stride = stride.max(1);
    let mut out: Vec<Observation> = Vec::with_capacity(posed.len() * 2);
    let mut filled = Vec::with_capacity(posed.len() * 2);
    for o in posed {
        if let Some(prev) = out.last() {
            let gap = o.index.saturating_sub(prev.index);
            if gap > stride && gap <= max_gap {
                let prev = prev.clone();
                let mut i = prev.index + stride;
                while i < o.index {
                    let f = (i - prev.index) as f64 / gap as f64;
                    out.push(Observation {
                        index: i,
                        t_s: prev.t_s + f * (o.t_s - prev.t_s),
                        pose: blend(&prev.pose, &o.pose, f),
                    });
                    filled.push(true);
                    i += stride;
                }
            }
        }
        out.push(o);
        filled.push(false);
    }
    if let [.., before, last] = out.as_slice() {
        let dt = (last.t_s - before.t_s) / last.index.saturating_sub(before.index).max(1) as f64;
        let last = last.clone();
        let mut i = last.index + stride;
        while i < frames && i - last.index < max_gap {
            out.push(Observation {
                index: i,
                t_s: last.t_s + dt * (i - last.index) as f64,
                pose: last.pose.clone(),
            });
            filled.push(true);
            i += stride;
        }
    }
    (out, filled)
}

/// The pose a fraction `f` of the way from `a` to `b`.
fn blend(a: &Pose, b: &Pose, f: f64) -> Pose {
    let mut out = Pose::default();
    for (k, (p, q)) in out
        .keypoints
        .iter_mut()
        .zip(a.keypoints.iter().zip(&b.keypoints))
    {
        *k = Keypoint {
            x: p.x + f * (q.x - p.x),
            y: p.y + f * (q.y - p.y),
            // A joint is as confident as the less confident end.
            score: p.score.min(q.score),
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn legs(hip_y: f64, ankle_y: f64, score: f64) -> Pose {
        let mut p = Pose::default();
        let kp = |y| Keypoint { x: 100.0, y, score };
        p.set(Joint::LeftHip, kp(hip_y));
        p.set(Joint::RightHip, kp(hip_y));
        p.set(Joint::LeftAnkle, kp(ankle_y));
        p.set(Joint::RightAnkle, kp(ankle_y));
        p
    }

    #[test]
    fn dense_while_low_or_unsure_coarse_while_tall() {
        let mut w = DenseWatch::default();
        assert!(!w.update(&legs(500.0, 900.0, 0.9)), "standing: coarse");
        assert!(
            !w.update(&legs(530.0, 900.0, 0.9)),
            "370 of 400: still coarse"
        );
        assert!(w.update(&legs(550.0, 900.0, 0.9)), "350 of 400: dense");
        assert!(w.update(&legs(500.0, 900.0, 0.1)), "not confident: dense");
        assert!(!w.update(&legs(490.0, 900.0, 0.9)), "new maximum: coarse");
    }

    /// Grid poses of a person standing (blocks 0–1), crouching (block 2), standing again.
    fn grid_poses() -> Vec<(u64, Pose)> {
        [500.0, 500.0, 600.0, 500.0]
            .iter()
            .enumerate()
            .map(|(b, &hip)| (b as u64 * 3, legs(hip, 900.0, 0.9)))
            .collect()
    }

    #[test]
    fn the_plan_poses_the_grid_and_the_blocks_after_a_low_pose() {
        let mut plan = CoarsePlan::new(3);
        assert_eq!(plan.wants(1), Some(true), "block 0: dense");
        assert_eq!(plan.wants(4), None, "not known before frame 0's pose");
        for (i, p) in grid_poses() {
            plan.offer(i, &p);
        }
        let posed: Vec<u64> = (0..15).filter(|&i| plan.wants(i) == Some(true)).collect();
        // Block 1 from frame 0 (tall), 2 from 3 (tall), 3 from 6 (low), 4 from 9 (tall).
        assert_eq!(posed, [0, 1, 2, 3, 6, 9, 10, 11, 12]);
        plan.offer(7, &legs(600.0, 900.0, 0.9));
        assert_eq!(plan.wants(13), Some(false), "only grid frames count");
    }

    #[test]
    fn the_plan_does_not_depend_on_the_order_poses_come_in() {
        let mut in_order = CoarsePlan::new(3);
        let mut shuffled = CoarsePlan::new(3);
        let poses = grid_poses();
        for (i, p) in &poses {
            in_order.offer(*i, p);
        }
        for k in [2, 0, 3, 1] {
            let (i, p) = &poses[k];
            shuffled.offer(*i, p);
            if k == 2 {
                assert_eq!(shuffled.wants(4), None, "frame 0 not offered yet");
            }
        }
        for i in 0..15 {
            assert_eq!(in_order.wants(i), shuffled.wants(i), "frame {i}");
        }
    }

    fn obs(index: u64, x: f64, score: f64) -> Observation {
        let mut pose = Pose::default();
        pose.set(
            Joint::LeftKnee,
            Keypoint {
                x,
                y: 2.0 * x,
                score,
            },
        );
        Observation {
            index,
            t_s: index as f64 / 30.0,
            pose,
        }
    }

    #[test]
    fn gaps_are_filled_linearly_and_marked() {
        let posed = vec![
            obs(0, 0.0, 0.9),
            obs(3, 30.0, 0.6),
            obs(4, 40.0, 0.9),
            obs(20, 0.0, 0.9),
        ];
        let (all, filled) = fill_gaps(posed, 1, 3, 23);
        let indices: Vec<u64> = all.iter().map(|o| o.index).collect();
        // 0..=4 complete; the 16-frame gap is longer than allowed and left alone; the clip's
        // last two frames hold the last pose.
        assert_eq!(indices, [0, 1, 2, 3, 4, 20, 21, 22]);
        assert_eq!(filled, [false, true, true, false, false, false, true, true]);
        assert_eq!(all[7].pose, all[5].pose);
        assert!((all[7].t_s - 22.0 / 30.0).abs() < 1e-12);
        let knee = all[2].pose.get(Joint::LeftKnee);
        assert!((knee.x - 20.0).abs() < 1e-9 && (knee.y - 40.0).abs() < 1e-9);
        assert!((knee.score - 0.6).abs() < 1e-9);
        assert!((all[1].t_s - 1.0 / 30.0).abs() < 1e-12);
        // A 60 fps clip posed every 2nd frame: fills every 2nd frame only.
        let (all, filled) = fill_gaps(vec![obs(0, 0.0, 1.0), obs(6, 6.0, 1.0)], 2, 6, 7);
        assert_eq!(
            all.iter().map(|o| o.index).collect::<Vec<_>>(),
            [0, 2, 4, 6]
        );
        assert_eq!(filled, [false, true, true, false]);
    }
}
