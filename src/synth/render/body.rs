//! The person: shaded tapered limbs, shoes with soles, shorts, shirt and arms, in the order that
//! puts the near parts over the far ones.
use super::shapes::{capsule, ell, fill, hull};
use super::{Renderer, Rgb};
use crate::error::Result;
use crate::geometry::{Joint, Point, Side};
use crate::synth::kinematics::{FrameState, V3};
use crate::synth::{FreeLeg, Stance};
use opencv::core::Mat;
use std::ops::{Add, Sub};

/// Light comes from the upper left of the image.
const LIGHT: Point = Point { x: -0.6, y: -0.8 };

impl Renderer {
    /// A shaded tapered limb between two 3D points with radii in metres.
    pub(super) fn limb(
        &self,
        img: &mut Mat,
        a: V3,
        b: V3,
        ra: f64,
        rb: f64,
        col: Rgb,
    ) -> Result<()> {
        let (pa, pb) = (self.p(a), self.p(b));
        let (ra, rb) = (self.px(a, ra), self.px(b, rb));
        self.limb2(img, pa, pb, ra, rb, col)
    }

    pub(super) fn limb2(
        &self,
        img: &mut Mat,
        pa: Point,
        pb: Point,
        ra: f64,
        rb: f64,
        col: Rgb,
    ) -> Result<()> {
        let d = pb.sub(pa);
        let len = d.norm().max(1e-6);
        let nrm = Point::new(-d.y / len, d.x / len);
        // Lit mostly from the camera side: a symmetric cylinder shading with only a slight shift
        // towards the light, so the perceived limb axis stays on the bone axis.
        let toward = if nrm.x * LIGHT.x + nrm.y * LIGHT.y >= 0.0 {
            nrm
        } else {
            nrm.scale(-1.0)
        };
        fill(img, &capsule(pa, pb, ra, rb, 10), col.scale(0.7))?;
        for (k, shrink, shift) in [(0.86, 0.8, 0.03), (1.0, 0.55, 0.05), (1.1, 0.25, 0.07)] {
            let o = toward.scale(shift);
            fill(
                img,
                &capsule(
                    pa.add(o.scale(ra)),
                    pb.add(o.scale(rb)),
                    ra * shrink,
                    rb * shrink,
                    10,
                ),
                col.scale(k),
            )?;
        }
        Ok(())
    }

    /// A polygon with a dark rim and a lighter inset shifted towards the light.
    pub(super) fn shaded_poly(&self, img: &mut Mat, pts: &[Point], col: Rgb) -> Result<()> {
        fill(img, pts, col.scale(0.7))?;
        let n = pts.len() as f64;
        let c = pts
            .iter()
            .fold(Point::default(), |a, &p| a.add(p))
            .scale(1.0 / n);
        let size = pts.iter().map(|p| p.dist(c)).fold(0.0, f64::max);
        for (k, shrink, shift) in [(0.88, 0.9, 0.04), (1.0, 0.72, 0.09)] {
            let off = Point::new(-0.15, -0.99).scale(size * shift);
            let inner: Vec<Point> = pts
                .iter()
                .map(|&p| c.add(p.sub(c).scale(shrink)).add(off))
                .collect();
            fill(img, &inner, col.scale(k))?;
        }
        Ok(())
    }

    fn leg(&self, img: &mut Mat, f: &FrameState, s: Side) -> Result<()> {
        let b = &self.body;
        let (hip, knee, ankle) = (f.j3(s.hip()), f.j3(s.knee()), f.j3(s.ankle()));
        let skin = self.pal.skin;
        // Shank: knee → calf bulge → ankle; thigh: hip → knee.
        let calf = knee.lerp(ankle, 0.3);
        self.limb(img, calf, ankle, b.r(0.033), b.r(0.0195), skin)?;
        self.limb(img, knee, calf, b.r(0.03), b.r(0.033), skin)?;
        self.limb(img, hip, knee, b.r(0.05), b.r(0.031), skin)?;
        if self.facing(f) < 0.0 {
            // Seen from behind: the back of the knee, no kneecap.
            return Ok(());
        }
        // Kneecap.
        let pk = self.p(knee);
        let rk = self.px(knee, b.r(0.021));
        let d = self.p(hip).sub(self.p(ankle));
        let ang = d.y.atan2(d.x).to_degrees();
        let up = self.p(hip).sub(pk);
        let up = up.scale(1.0 / up.norm().max(1e-9));
        ell(
            img,
            pk.sub(up.scale(rk * 0.55)),
            (rk * 0.9, rk * 0.35),
            ang + 90.0,
            (0.0, 360.0),
            skin.scale(0.8),
        )?;
        ell(
            img,
            pk.add(up.scale(rk * 0.2)),
            (rk * 1.15, rk * 0.95),
            ang,
            (0.0, 360.0),
            skin.scale(1.05),
        )?;
        Ok(())
    }

    fn shoe(&self, img: &mut Mat, f: &FrameState, s: Side) -> Result<()> {
        let b = &self.body;
        let i = if s == Side::Left { 0 } else { 1 };
        let a = f.j3(s.ankle());
        let fd = f.foot_dir[i];
        let dn = f.foot_down[i];
        let lat = dn.cross(fd).unit();
        let h = b.height;
        let ring = |depth: f64, scale: f64, back: f64, front: f64, n: usize| -> Vec<V3> {
            let c = (front - back) / 2.0;
            let half = (front + back) / 2.0;
            (0..n)
                .map(|k| {
                    let t = std::f64::consts::TAU * k as f64 / n as f64;
                    // Wider at the ball of the foot than at the heel.
                    let along = c + half * t.cos();
                    let wmul = if along > 0.0 { 1.0 } else { 0.8 };
                    a.add(dn.scale(depth))
                        .add(fd.scale(along))
                        .add(lat.scale(0.029 * h * scale * wmul * t.sin()))
                })
                .collect()
        };
        let back = b.heel_back + 0.01 * h;
        let front = b.toe_fwd + 0.006 * h;
        let sole_bot = ring(b.ankle_h, 1.0, back, front, 24);
        let sole_top = ring(b.ankle_h - 0.014 * h, 1.02, back, front, 24);
        let toe_box = ring(b.ankle_h * 0.55, 0.86, back * 0.9, front * 0.85, 24);
        let collar = ring(b.ankle_h * 0.05, 0.75, 0.6 * back, 0.25 * front, 16);
        let pr = |v: &Vec<V3>| v.iter().map(|&q| self.p(q)).collect::<Vec<Point>>();
        let mut sole = pr(&sole_bot);
        sole.extend(pr(&sole_top));
        fill(img, &hull(sole), self.pal.sole)?;
        let mut upper = pr(&sole_top);
        upper.extend(pr(&toe_box));
        upper.extend(pr(&collar));
        let up = hull(upper);
        self.shaded_poly(img, &up, self.pal.shoes)?;
        // Laces/tongue: a darker stripe from the collar towards the toe.
        let t0 = self.p(a.add(fd.scale(0.02 * h)).add(dn.scale(0.2 * b.ankle_h)));
        let t1 = self.p(a.add(fd.scale(0.075 * h)).add(dn.scale(0.5 * b.ankle_h)));
        let w = self.px(a, 0.012 * h);
        self.limb2(img, t0, t1, w, w * 0.8, self.pal.shoes.scale(0.8))?;
        Ok(())
    }

    fn free_leg_behind(&self, f: &FrameState) -> bool {
        f.stance != Stance::Both && self.cfg.free_leg == FreeLeg::Behind
    }

    /// How squarely the person faces the camera: 1 facing it, 0 side-on, −1 facing away.
    pub(super) fn facing(&self, f: &FrameState) -> f64 {
        let hips = f.j3(Joint::LeftHip).lerp(f.j3(Joint::RightHip), 0.5);
        f.trunk_fwd.dot(self.cam.pos.sub(hips).unit())
    }

    /// A flat outline given depth: turned away from a frontal view, the outline's points are put
    /// `depth` metres in front of and behind the body as well, and the hull of all is drawn, so the
    /// torso does not thin to a line side-on. Frontal views keep the outline as it is.
    fn with_depth(&self, f: &FrameState, pts: &[V3], depth: f64) -> Vec<Point> {
        if self.facing(f).abs() > 0.95 {
            return pts.iter().map(|&p| self.p(p)).collect();
        }
        let fwd = f.trunk_fwd.scale(depth);
        let all = pts
            .iter()
            .flat_map(|&p| [self.p(p.add(fwd)), self.p(p.sub(fwd))])
            .collect();
        hull(all)
    }

    fn shorts(&self, img: &mut Mat, f: &FrameState) -> Result<()> {
        let h = self.body.height;
        let (l, r) = (f.j3(Joint::LeftHip), f.j3(Joint::RightHip));
        let mid = l.lerp(r, 0.5);
        let (lat, up) = (f.pelvis_lat, f.pelvis_up);
        let col = self.pal.shorts;
        for (s, hip) in [(Side::Left, l), (Side::Right, r)] {
            let knee = f.j3(s.knee());
            let end = hip.lerp(knee, 0.42);
            self.limb(img, hip, end, self.body.r(0.052), self.body.r(0.046), col)?;
        }
        let outline = [
            r.add(lat.scale(-0.024 * h)).add(up.scale(0.1 * h)),
            r.add(lat.scale(-0.048 * h)).add(up.scale(0.04 * h)),
            r.add(lat.scale(-0.046 * h)).add(up.scale(-0.005 * h)),
            mid.add(up.scale(-0.045 * h)),
            l.add(lat.scale(0.046 * h)).add(up.scale(-0.005 * h)),
            l.add(lat.scale(0.048 * h)).add(up.scale(0.04 * h)),
            l.add(lat.scale(0.024 * h)).add(up.scale(0.1 * h)),
        ];
        let poly = self.with_depth(f, &outline, 0.05 * h);
        self.shaded_poly(img, &poly, col)?;
        Ok(())
    }

    fn torso(&self, img: &mut Mat, f: &FrameState) -> Result<()> {
        let h = self.body.height;
        let (ls, rs) = (f.j3(Joint::LeftShoulder), f.j3(Joint::RightShoulder));
        let sm = ls.lerp(rs, 0.5);
        let (lh, rh) = (f.j3(Joint::LeftHip), f.j3(Joint::RightHip));
        let hm = lh.lerp(rh, 0.5);
        let (tl, tu) = (f.trunk_lat, f.trunk_up);
        let (pl, pu) = (f.pelvis_lat, f.pelvis_up);
        let side = |sg: f64, shoulder: V3| -> Vec<V3> {
            vec![
                sm.add(tl.scale(sg * 0.036 * h)).add(tu.scale(0.028 * h)),
                shoulder
                    .add(tl.scale(sg * 0.01 * h))
                    .add(tu.scale(0.026 * h)),
                shoulder
                    .add(tl.scale(sg * 0.03 * h))
                    .add(tu.scale(-0.01 * h)),
                shoulder
                    .add(tl.scale(-sg * 0.004 * h))
                    .add(tu.scale(-0.075 * h)),
                sm.add(tl.scale(sg * 0.085 * h)).add(tu.scale(-0.14 * h)),
                hm.add(pl.scale(sg * 0.078 * h)).add(pu.scale(0.12 * h)),
                hm.add(pl.scale(sg * 0.09 * h)).add(pu.scale(0.06 * h)),
            ]
        };
        let mut outline = side(-1.0, rs);
        let mut left = side(1.0, ls);
        left.reverse();
        outline.extend(left);
        let poly = self.with_depth(f, &outline, 0.06 * h);
        self.shaded_poly(img, &hull(poly), self.pal.top)?;
        Ok(())
    }

    fn arm(&self, img: &mut Mat, f: &FrameState, s: Side) -> Result<()> {
        let b = &self.body;
        let (sh, el, wr) = match s {
            Side::Left => (Joint::LeftShoulder, Joint::LeftElbow, Joint::LeftWrist),
            Side::Right => (Joint::RightShoulder, Joint::RightElbow, Joint::RightWrist),
        };
        let (sh, el, wr) = (f.j3(sh), f.j3(el), f.j3(wr));
        let skin = self.pal.skin;
        self.limb(img, sh, el, b.r(0.024), b.r(0.018), skin)?;
        self.limb(img, el, wr, b.r(0.019), b.r(0.014), skin)?;
        let hand = wr.add(wr.sub(el).unit().scale(0.05 * b.height));
        self.limb(img, wr, hand, b.r(0.015), b.r(0.013), skin.scale(0.97))?;
        // Sleeve.
        self.limb(
            img,
            sh,
            sh.lerp(el, 0.42),
            b.r(0.03),
            b.r(0.027),
            self.pal.top,
        )?;
        Ok(())
    }

    /// Draw the person (no background, no post-processing), the far parts first: from behind,
    /// the arms and the near (free) leg swap places with the torso.
    pub(super) fn person(&self, img: &mut Mat, f: &FrameState) -> Result<()> {
        let (squat, free): (Vec<Side>, Option<Side>) = match f.stance {
            Stance::Left => (vec![Side::Left], Some(Side::Right)),
            Stance::Right => (vec![Side::Right], Some(Side::Left)),
            Stance::Both => (vec![Side::Left, Side::Right], None),
        };
        let away = self.facing(f) < 0.0;
        // The free leg held behind the body is far from a camera in front, near one behind.
        let free_far = self.free_leg_behind(f) != away;
        if away {
            for s in [Side::Left, Side::Right] {
                self.arm(img, f, s)?;
            }
        }
        if let (Some(fs), true) = (free, free_far) {
            self.far_leg(img, f, fs)?;
        }
        for &s in &squat {
            self.shoe(img, f, s)?;
            self.leg(img, f, s)?;
        }
        if let (Some(fs), false, false) = (free, free_far, away) {
            self.leg(img, f, fs)?;
            self.shoe(img, f, fs)?;
        }
        self.shorts(img, f)?;
        self.torso(img, f)?;
        if !away {
            for s in [Side::Left, Side::Right] {
                self.arm(img, f, s)?;
            }
        }
        self.head(img, f)?;
        if let (Some(fs), false, true) = (free, free_far, away) {
            self.leg(img, f, fs)?;
            self.shoe(img, f, fs)?;
        }
        Ok(())
    }

    /// The free leg on the far side of the body: foot and shank first, a little darker.
    fn far_leg(&self, img: &mut Mat, f: &FrameState, fs: Side) -> Result<()> {
        self.shoe(img, f, fs)?;
        let b = &self.body;
        let (knee, ankle) = (f.j3(fs.knee()), f.j3(fs.ankle()));
        self.limb(
            img,
            knee.lerp(ankle, 0.3),
            ankle,
            b.r(0.033),
            b.r(0.0195),
            self.pal.skin.scale(0.9),
        )?;
        self.limb(
            img,
            knee,
            knee.lerp(ankle, 0.3),
            b.r(0.03),
            b.r(0.033),
            self.pal.skin.scale(0.9),
        )?;
        self.limb(
            img,
            f.j3(fs.hip()),
            knee,
            b.r(0.05),
            b.r(0.031),
            self.pal.skin,
        )
    }
}
