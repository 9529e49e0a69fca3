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
}

impl PoseRate {
    /// The default: 30 poses per second at most (every frame of a clip of up to ~33 fps).
    pub const DEFAULT: PoseRate = PoseRate { max_hz: 30.0 };
    /// Every frame, whatever the frame rate.
    pub const EVERY_FRAME: PoseRate = PoseRate { max_hz: 0.0 };

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
    fn zero_or_nonsense_poses_every_frame() {
        assert_eq!(PoseRate::EVERY_FRAME.stride(120.0), 1);
        assert_eq!(PoseRate { max_hz: f64::NAN }.stride(120.0), 1);
        assert_eq!(PoseRate::DEFAULT.stride(f64::NAN), 1);
        assert_eq!(PoseRate::DEFAULT.stride(0.0), 1);
        assert_eq!(PoseRate { max_hz: 15.0 }.stride(30.0), 2);
    }
}
