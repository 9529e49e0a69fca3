//! The head: neck, hair, ears, a shaded face with eyes, brows, nose and mouth, turned with the
//! head's tilt.
use super::shapes::{disc, ell, seg};
use super::{Renderer, Rgb};
use crate::error::Result;
use crate::geometry::{Joint, Point};
use crate::synth::kinematics::FrameState;
use opencv::core::Mat;
use std::ops::{Add, Sub};

impl Renderer {
    pub(super) fn head(&self, img: &mut Mat, f: &FrameState) -> Result<()> {
        let b = &self.body;
        let h = b.height;
        let skin = self.pal.skin;
        // Neck.
        let sm = f
            .j3(Joint::LeftShoulder)
            .lerp(f.j3(Joint::RightShoulder), 0.5);
        self.limb(
            img,
            sm,
            f.neck_top.add(f.head_up.scale(0.02 * h)),
            b.r(0.032),
            b.r(0.028),
            skin.scale(0.9),
        )?;
        let c = self.p(f.head_centre);
        let k = self.cam.px_per_m(f.head_centre);
        let (aw, ah) = (b.head_half_w * k, b.head_half_h * k);
        let upv = self.p(f.head_centre.add(f.head_up.scale(0.1))).sub(c);
        let ang = upv.x.atan2(-upv.y).to_degrees(); // tilt of the head's up axis from image-up
        let upn = upv.scale(1.0 / upv.norm().max(1e-9));
        let at = |lat: f64, up: f64| -> Point {
            // Face-plane point: `lat` to the image right of the head axis, `up` along it, in pixels.
            let r = Point::new(-upn.y, upn.x);
            c.add(Point::new(r.x * lat - upn.x * -up, r.y * lat - upn.y * -up))
        };
        let hair = self.pal.hair;
        if self.facing(f) < -0.2 {
            // The back of the head: ears either side, then hair over all of it.
            for e in [Joint::LeftEar, Joint::RightEar] {
                let pe = self.p(f.j3(e));
                ell(
                    img,
                    pe,
                    (aw * 0.17, ah * 0.2),
                    ang,
                    (0.0, 360.0),
                    skin.scale(0.8),
                )?;
            }
            ell(
                img,
                c,
                (aw * 1.02, ah * 1.0),
                ang,
                (0.0, 360.0),
                hair.scale(0.85),
            )?;
            ell(
                img,
                at(-aw * 0.2, ah * 0.25),
                (aw * 0.6, ah * 0.55),
                ang,
                (0.0, 360.0),
                hair.scale(1.2),
            )?;
            return Ok(());
        }
        // Hair behind the head, ears, face.
        ell(
            img,
            at(0.0, ah * 0.08),
            (aw * 1.1, ah * 1.04),
            ang,
            (0.0, 360.0),
            hair.scale(0.85),
        )?;
        for (e, sg) in [(Joint::LeftEar, 1.0), (Joint::RightEar, -1.0)] {
            let pe = self.p(f.j3(e));
            ell(
                img,
                pe,
                (aw * 0.17, ah * 0.2),
                ang,
                (0.0, 360.0),
                skin.scale(0.8),
            )?;
            ell(
                img,
                pe.add(Point::new(-sg * aw * 0.03, 0.0)),
                (aw * 0.1, ah * 0.13),
                ang,
                (0.0, 360.0),
                skin.scale(0.95),
            )?;
        }
        ell(img, c, (aw, ah), ang, (0.0, 360.0), skin.scale(0.78))?;
        ell(
            img,
            at(-aw * 0.08, ah * 0.05),
            (aw * 0.85, ah * 0.9),
            ang,
            (0.0, 360.0),
            skin.scale(0.93),
        )?;
        ell(
            img,
            at(-aw * 0.22, ah * 0.12),
            (aw * 0.45, ah * 0.55),
            ang,
            (0.0, 360.0),
            skin,
        )?;
        // Hair cap: the upper part of a slightly larger ellipse, hairline at the forehead.
        ell(
            img,
            at(0.0, ah * 0.3),
            (aw * 1.06, ah * 0.78),
            ang,
            (180.0, 360.0),
            hair,
        )?;
        ell(
            img,
            at(-aw * 0.3, ah * 0.62),
            (aw * 0.45, ah * 0.22),
            ang,
            (180.0, 360.0),
            hair.scale(1.35),
        )?;
        // Eyes, brows.
        for e in [Joint::LeftEye, Joint::RightEye] {
            let pe = self.p(f.j3(e));
            ell(
                img,
                pe,
                (aw * 0.2, ah * 0.08),
                ang,
                (0.0, 360.0),
                Rgb(245.0, 245.0, 240.0),
            )?;
            disc(img, pe, ah * 0.075, Rgb(70.0, 45.0, 30.0))?;
            disc(img, pe, ah * 0.035, Rgb(15.0, 10.0, 10.0))?;
            let brow = pe.add(upn.scale(ah * 0.17));
            let r = Point::new(-upn.y, upn.x);
            seg(
                img,
                brow.sub(r.scale(aw * 0.2)),
                brow.add(r.scale(aw * 0.2)),
                (ah * 0.05).max(1.0),
                hair.scale(0.8),
            )?;
        }
        // Nose: a shaded ridge and the tip; mouth.
        let pn = self.p(f.j3(Joint::Nose));
        let eyes_mid = self
            .p(f.j3(Joint::LeftEye))
            .midpoint(self.p(f.j3(Joint::RightEye)));
        seg(
            img,
            eyes_mid.add(Point::new(aw * 0.06, 0.0)),
            pn.add(Point::new(aw * 0.07, 0.0)),
            (aw * 0.06).max(1.0),
            skin.scale(0.78),
        )?;
        ell(
            img,
            pn,
            (aw * 0.16, ah * 0.06),
            ang,
            (0.0, 360.0),
            skin.scale(0.82),
        )?;
        ell(
            img,
            pn.sub(Point::new(aw * 0.03, ah * 0.02)),
            (aw * 0.08, ah * 0.03),
            ang,
            (0.0, 360.0),
            skin.scale(1.08),
        )?;
        let mouth = pn.add(upn.scale(-ah * 0.22));
        let r = Point::new(-upn.y, upn.x);
        seg(
            img,
            mouth.sub(r.scale(aw * 0.26)),
            mouth.add(r.scale(aw * 0.26)),
            (ah * 0.05).max(1.0),
            Rgb(150.0, 70.0, 70.0),
        )?;
        Ok(())
    }
}
