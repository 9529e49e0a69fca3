//! How often the pose model runs, decoupled from the clip's frame rate.
//!
//! The assessment low-passes every keypoint at 6 Hz (`smoothing_cutoff_hz`), so poses sampled at
//! about 30 Hz carry all it keeps: a 60 or 120 fps clip posed on every frame costs 2–4× more for
//! the same answer. The model runs on every `stride`-th frame; the frames between are decoded
//! (later frames depend on them) but not converted to pictures. Posing every k-th frame keeps the
//! samples evenly spaced, which the filters assume.

/// The highest pose rate, in poses per second of video; 0 poses every frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PoseRate {
    pub max_hz: f64,
    /// Opt-in (0 = off): poses per second while the person is in the upper part of the movement,
    /// dense (`max_hz`) only in the lower part, the frames between interpolated (see
    /// `crate::dense`).
    pub coarse_hz: f64,
}

impl PoseRate {
    /// The default: 30 poses per second at most (every frame of a clip of up to ~33 fps).
    pub const DEFAULT: PoseRate = PoseRate {
        max_hz: 30.0,
        coarse_hz: 0.0,
    };
    /// Every frame, whatever the frame rate.
    pub const EVERY_FRAME: PoseRate = PoseRate {
        max_hz: 0.0,
        coarse_hz: 0.0,
    };

    /// Every how many frames the model runs on a clip of `fps`: `fps / max_hz` rounded down, with
    /// a tenth of a step to spare so that 59.94 fps goes in steps of 2 (never above `max_hz` by
    /// more than that, never below it by more than one step: 45 fps stays at every frame rather
    /// than dropping to 22.5 Hz).
    pub fn stride(&self, fps: f64) -> u64 {
        let usable = |v: f64| v.is_finite() && v > 0.0;
        if !usable(self.max_hz) || !usable(fps) {
            return 1;
        }
        ((fps / self.max_hz + 0.1).floor() as u64).max(1)
    }

    /// Every how many frames the model runs while coarse, on a clip of `fps` posed every `stride`
    /// frames where dense: a multiple of `stride`; `stride` itself when coarse posing is off.
    pub fn coarse_stride(&self, fps: f64, stride: u64) -> u64 {
        let stride = stride.max(1);
        if !(self.coarse_hz.is_finite() && self.coarse_hz > 0.0 && fps.is_finite() && fps > 0.0) {
            return stride;
        }
        let frames = (fps / self.coarse_hz + 0.1).floor() as u64;
        (frames / stride * stride).max(stride)
    }

    /// Whether the frame at `t_s`, `index` frames into a clip posed every `stride` frames, is to
    /// be posed, the last posed frame being at `last_posed_s`. Every `stride`-th frame is; so is
    /// any frame at least 0.9 / `max_hz` after the last posed one, in case the container claims a
    /// higher rate than the timestamps show (a "120 fps" clip that is really 30 fps stays at 30 Hz
    /// instead of dropping to 7.5).
    pub fn due(&self, index: u64, stride: u64, t_s: f64, last_posed_s: Option<f64>) -> bool {
        if index.is_multiple_of(stride.max(1)) || !(self.max_hz.is_finite() && self.max_hz > 0.0) {
            return true;
        }
        last_posed_s.is_none_or(|last| t_s - last >= 0.9 / self.max_hz)
    }
}

impl Default for PoseRate {
    fn default() -> Self {
        PoseRate::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn high_frame_rates_are_posed_at_about_30_hz() {
        let r = PoseRate::DEFAULT;
        for (fps, stride) in [
            (24.0, 1),
            (25.0, 1),
            (29.97, 1),
            (30.0, 1),
            (45.0, 1),
            (50.0, 1),
            (59.94, 2),
            (60.0, 2),
            (90.0, 3),
            (119.88, 4),
            (120.0, 4),
            (240.0, 8),
        ] {
            assert_eq!(r.stride(fps), stride, "{fps} fps");
        }
    }

    #[test]
    fn frames_are_due_by_count_or_by_time() {
        let r = PoseRate::DEFAULT;
        // A true 120 fps clip: every 4th frame, by count and by time alike.
        let due: Vec<u64> = (0..12)
            .filter(|&i| r.due(i, 4, i as f64 / 120.0, Some((i / 4 * 4) as f64 / 120.0)))
            .collect();
        assert_eq!(due, [0, 4, 8]);
        // Claims 120 fps, frames 1/30 s apart: every frame is due by time.
        assert!(r.due(1, 4, 1.0 / 30.0, Some(0.0)));
        assert!(r.due(0, 4, 0.0, None));
        assert!(!r.due(1, 4, 1.0 / 120.0, Some(0.0)));
        assert!(PoseRate::EVERY_FRAME.due(3, 4, 0.001, Some(0.0)));
    }

    #[test]
    fn zero_or_nonsense_poses_every_frame() {
        assert_eq!(PoseRate::EVERY_FRAME.stride(120.0), 1);
        assert_eq!(
            PoseRate {
                max_hz: f64::NAN,
                coarse_hz: 0.0
            }
            .stride(120.0),
            1
        );
        assert_eq!(PoseRate::DEFAULT.stride(f64::NAN), 1);
        assert_eq!(PoseRate::DEFAULT.stride(0.0), 1);
        assert_eq!(
            PoseRate {
                max_hz: 15.0,
                coarse_hz: 0.0
            }
            .stride(30.0),
            2
        );
        let coarse = PoseRate {
            max_hz: 30.0,
            coarse_hz: 10.0,
        };
        assert_eq!(coarse.coarse_stride(30.0, 1), 3);
        assert_eq!(coarse.coarse_stride(60.0, 2), 6);
        assert_eq!(coarse.coarse_stride(25.0, 1), 2);
        assert_eq!(PoseRate::DEFAULT.coarse_stride(30.0, 1), 1);
    }
}
