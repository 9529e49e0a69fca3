//! The One Euro filter MediaPipe applies to BlazePose's two auxiliary (ROI) landmarks, always — even
//! with landmark smoothing off — so that the next frame's ROI is steady when the person is still and
//! follows fast moves.
use crate::geometry::Point;
use std::f64::consts::PI;

/// MediaPipe `pose_landmark_filtering` settings for the auxiliary landmarks.
pub const MIN_CUTOFF: f64 = 0.01;
pub const BETA: f64 = 1.0;
pub const DERIVATE_CUTOFF: f64 = 1.0;

#[derive(Debug, Clone, Copy, Default)]
struct LowPass {
    raw: f64,
    stored: f64,
    initialized: bool,
}

impl LowPass {
    fn apply(&mut self, value: f64, alpha: f64) -> f64 {
        let out = if self.initialized {
            alpha * value + (1.0 - alpha) * self.stored
        } else {
            value
        };
        self.raw = value;
        self.stored = out;
        self.initialized = true;
        out
    }
}

/// One Euro filter on one value, at a fixed frame rate.
#[derive(Debug, Clone, Copy, Default)]
pub struct OneEuro {
    x: LowPass,
    dx: LowPass,
}

fn alpha(frequency: f64, cutoff: f64) -> f64 {
    let te = 1.0 / frequency;
    let tau = 1.0 / (2.0 * PI * cutoff);
    1.0 / (1.0 + tau / te)
}

impl OneEuro {
    /// Filters `value`; `value_scale` turns the value's rate of change into object sizes per second.
    pub fn apply(&mut self, value: f64, value_scale: f64, frequency: f64) -> f64 {
        let dvalue = if self.x.initialized {
            (value - self.x.raw) * value_scale * frequency
        } else {
            0.0
        };
        let edvalue = self.dx.apply(dvalue, alpha(frequency, DERIVATE_CUTOFF));
        let cutoff = MIN_CUTOFF + BETA * edvalue.abs();
        self.x.apply(value, alpha(frequency, cutoff))
    }
}

/// The filter over the two auxiliary landmarks, in display pixels.
#[derive(Debug, Clone, Default)]
pub struct AuxFilter {
    filters: [[OneEuro; 2]; 2],
}

impl AuxFilter {
    /// Filters the hip centre and scale point of one frame (frames `1/frequency` s apart). The rate
    /// of change is measured in object sizes (mean of the two points' bounding-box width and
    /// height), as MediaPipe does.
    pub fn apply(&mut self, points: [Point; 2], frequency: f64) -> [Point; 2] {
        let w = (points[0].x - points[1].x).abs();
        let h = (points[0].y - points[1].y).abs();
        let object_scale = (w + h) / 2.0;
        if object_scale < 1e-6 || !object_scale.is_finite() {
            return points;
        }
        let value_scale = 1.0 / object_scale;
        let mut out = points;
        for (p, f) in out.iter_mut().zip(self.filters.iter_mut()) {
            p.x = f[0].apply(p.x, value_scale, frequency);
            p.y = f[1].apply(p.y, value_scale, frequency);
        }
        out
    }

    pub fn reset(&mut self) {
        *self = AuxFilter::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_value_passes_and_still_values_stay() {
        let mut f = OneEuro::default();
        assert_eq!(f.apply(10.0, 0.01, 30.0), 10.0);
        assert!((f.apply(10.0, 0.01, 30.0) - 10.0).abs() < 1e-12);
    }

    #[test]
    fn jitter_is_damped_and_big_moves_followed() {
        let mut f = OneEuro::default();
        f.apply(100.0, 0.01, 30.0);
        // A 1 px jitter on a 100 px object barely moves the output.
        let jitter = f.apply(101.0, 0.01, 30.0);
        assert!(jitter - 100.0 < 0.1, "{jitter}");
        // A sustained fast move is followed within a few frames.
        let mut f = OneEuro::default();
        f.apply(100.0, 0.01, 30.0);
        let mut out = 0.0;
        for _ in 0..10 {
            out = f.apply(200.0, 0.01, 30.0);
        }
        assert!(out > 190.0, "{out}");
    }

    #[test]
    fn aux_filter_resets() {
        let mut a = AuxFilter::default();
        let p = [Point::new(0.0, 0.0), Point::new(0.0, -100.0)];
        a.apply(p, 30.0);
        a.reset();
        let q = [Point::new(50.0, 0.0), Point::new(50.0, -100.0)];
        assert_eq!(a.apply(q, 30.0), q);
    }
}
