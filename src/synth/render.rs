//! Drawing the squatter with OpenCV imgproc: a room (wall, skirting board, plank floor, poster), a soft
//! floor shadow, and a shaded person — tapered limbs in three shades, shorts and a shirt, shoes with
//! soles, arms, a head with hair, ears and a face. Sizes come from the same 3D skeleton and camera as
//! the ground truth, so every joint is drawn exactly where the truth says it is.
use super::kinematics::{Animation, Body, Camera, FrameState, V3};
use super::rng::Rng;
use super::{FreeLeg, Stance, SynthConfig};
use crate::error::{Error, Result};
use crate::geometry::{Joint, Point, Side};
use opencv::core::{self, Mat, Scalar, Vector, CV_8UC1, CV_8UC3};
use opencv::prelude::*;
use opencv::{imgcodecs, imgproc};
use std::ops::{Add, Sub};

/// An RGB colour, 0..255 per channel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f64, pub f64, pub f64);

impl Rgb {
    pub fn scale(self, k: f64) -> Rgb {
        Rgb(
            (self.0 * k).min(255.0),
            (self.1 * k).min(255.0),
            (self.2 * k).min(255.0),
        )
    }
    pub fn mix(self, o: Rgb, t: f64) -> Rgb {
        Rgb(
            self.0 + (o.0 - self.0) * t,
            self.1 + (o.1 - self.1) * t,
            self.2 + (o.2 - self.2) * t,
        )
    }
    fn bgr(self) -> Scalar {
        Scalar::new(self.2, self.1, self.0, 255.0)
    }
}

/// Parse `#rrggbb` (or `rrggbb`).
pub fn parse_colour(s: &str) -> Result<Rgb> {
    let h = s.trim().trim_start_matches('#');
    let bad = || Error::usage(format!("expected a colour as #rrggbb, got {s:?}"));
    if h.len() != 6 || !h.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(bad());
    }
    let v = |i: usize| {
        u8::from_str_radix(&h[i..i + 2], 16)
            .map(|b| b as f64)
            .map_err(|_| bad())
    };
    Ok(Rgb(v(0)?, v(2)?, v(4)?))
}

const SHIFT: i32 = 4;
const ONE: f64 = (1 << SHIFT) as f64;

fn ip(p: Point) -> core::Point {
    core::Point::new((p.x * ONE).round() as i32, (p.y * ONE).round() as i32)
}

fn fill(img: &mut Mat, pts: &[Point], c: Rgb) -> Result<()> {
    if pts.len() < 3
        || pts
            .iter()
            .any(|p| !p.is_finite() || p.x.abs() > 1e5 || p.y.abs() > 1e5)
    {
        return Ok(());
    }
    let poly: Vector<core::Point> = pts.iter().map(|&p| ip(p)).collect();
    let polys: Vector<Vector<core::Point>> = std::iter::once(poly).collect();
    imgproc::fill_poly(
        img,
        &polys,
        c.bgr(),
        imgproc::LINE_AA,
        SHIFT,
        core::Point::new(0, 0),
    )?;
    Ok(())
}

fn disc(img: &mut Mat, c: Point, r: f64, col: Rgb) -> Result<()> {
    if !c.is_finite() || r <= 0.0 {
        return Ok(());
    }
    imgproc::circle(
        img,
        ip(c),
        (r * ONE).round().max(1.0) as i32,
        col.bgr(),
        -1,
        imgproc::LINE_AA,
        SHIFT,
    )?;
    Ok(())
}

/// A filled ellipse (arc `from..to` degrees) with semi-axes `(ax, ay)` turned by `angle_deg`.
fn ell(
    img: &mut Mat,
    c: Point,
    (ax, ay): (f64, f64),
    angle_deg: f64,
    (a0, a1): (f64, f64),
    col: Rgb,
) -> Result<()> {
    if !c.is_finite() || ax <= 0.0 || ay <= 0.0 {
        return Ok(());
    }
    let axes = core::Size::new(
        (ax * ONE).round().max(1.0) as i32,
        (ay * ONE).round().max(1.0) as i32,
    );
    imgproc::ellipse(
        img,
        ip(c),
        axes,
        angle_deg,
        a0,
        a1,
        col.bgr(),
        -1,
        imgproc::LINE_AA,
        SHIFT,
    )?;
    Ok(())
}

fn seg(img: &mut Mat, a: Point, b: Point, w: f64, col: Rgb) -> Result<()> {
    // A thin filled capsule: sub-pixel and anti-aliased, unlike an integer-thickness line.
    fill(img, &capsule(a, b, w / 2.0, w / 2.0, 6), col)
}

/// Outline of a tapered capsule from `a` (radius `ra`) to `b` (radius `rb`).
fn capsule(a: Point, b: Point, ra: f64, rb: f64, n: usize) -> Vec<Point> {
    let d = b.sub(a);
    let len = d.norm();
    let u = if len < 1e-6 {
        Point::new(0.0, 1.0)
    } else {
        d.scale(1.0 / len)
    };
    let nrm = Point::new(-u.y, u.x);
    let mut pts = Vec::with_capacity(2 * n + 2);
    let pi = std::f64::consts::PI;
    for i in 0..=n {
        let t = pi / 2.0 - pi * i as f64 / n as f64;
        pts.push(b.add(u.scale(rb * t.cos())).add(nrm.scale(rb * t.sin())));
    }
    for i in 0..=n {
        let t = -pi / 2.0 - pi * i as f64 / n as f64;
        pts.push(a.add(u.scale(ra * t.cos())).add(nrm.scale(ra * t.sin())));
    }
    pts
}

/// Andrew's monotone chain convex hull.
fn hull(mut pts: Vec<Point>) -> Vec<Point> {
    pts.retain(|p| p.is_finite());
    pts.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
    if pts.len() < 3 {
        return pts;
    }
    let cross =
        |o: Point, a: Point, b: Point| (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
    let mut lower: Vec<Point> = Vec::new();
    for &p in &pts {
        while lower.len() >= 2 && cross(lower[lower.len() - 2], lower[lower.len() - 1], p) <= 0.0 {
            lower.pop();
        }
        lower.push(p);
    }
    let mut upper: Vec<Point> = Vec::new();
    for &p in pts.iter().rev() {
        while upper.len() >= 2 && cross(upper[upper.len() - 2], upper[upper.len() - 1], p) <= 0.0 {
            upper.pop();
        }
        upper.push(p);
    }
    lower.pop();
    upper.pop();
    lower.extend(upper);
    lower
}

/// Light comes from the upper left of the image.
const LIGHT: Point = Point { x: -0.6, y: -0.8 };

struct Palette {
    skin: Rgb,
    top: Rgb,
    shorts: Rgb,
    shoes: Rgb,
    sole: Rgb,
    hair: Rgb,
}

pub struct Renderer {
    cfg: SynthConfig,
    cam: Camera,
    body: Body,
    background: Mat,
    pal: Palette,
    noise: Vec<i8>,
    rng: Rng,
}

impl Renderer {
    pub fn new(cfg: &SynthConfig, anim: &Animation) -> Result<Renderer> {
        let skin = parse_colour(&cfg.skin)?;
        let shoes = parse_colour(&cfg.shoes)?;
        let lum = 0.3 * shoes.0 + 0.59 * shoes.1 + 0.11 * shoes.2;
        let sole = if lum > 140.0 {
            Rgb(60.0, 60.0, 64.0)
        } else {
            Rgb(235.0, 235.0, 230.0)
        };
        let pal = Palette {
            skin,
            top: parse_colour(&cfg.top)?,
            shorts: parse_colour(&cfg.shorts)?,
            shoes,
            sole,
            hair: parse_colour(&cfg.hair)?,
        };
        let mut rng = Rng::new(
            cfg.seed
                .wrapping_mul(0x2545_F491_4F6C_DD1D)
                .wrapping_add(17),
        );
        let noise = if cfg.noise > 0.0 {
            (0..(1 << 20))
                .map(|_| (rng.gauss() * cfg.noise).round().clamp(-127.0, 127.0) as i8)
                .collect()
        } else {
            Vec::new()
        };
        let mut r = Renderer {
            cfg: cfg.clone(),
            cam: anim.camera,
            body: anim.body,
            background: Mat::default(),
            pal,
            noise,
            rng,
        };
        r.background = r.draw_background()?;
        Ok(r)
    }

    fn p(&self, v: V3) -> Point {
        self.cam.project(v)
    }
    fn px(&self, v: V3, metres: f64) -> f64 {
        metres * self.cam.px_per_m(v)
    }

    fn draw_background(&mut self) -> Result<Mat> {
        let (w, h) = (self.cfg.width as i32, self.cfg.height as i32);
        let wall = parse_colour(&self.cfg.wall)?;
        let floor = parse_colour(&self.cfg.floor)?;
        let mut img = Mat::new_rows_cols_with_default(h, w, CV_8UC3, wall.bgr())?;
        // Wall: vertical gradient in bands, lighter towards the top.
        let bands = 48;
        for i in 0..bands {
            let y0 = h as f64 * i as f64 / bands as f64;
            let y1 = h as f64 * (i + 1) as f64 / bands as f64 + 1.0;
            let c = wall.scale(1.06 - 0.14 * i as f64 / bands as f64);
            fill(
                &mut img,
                &[
                    Point::new(-1.0, y0),
                    Point::new(w as f64 + 1.0, y0),
                    Point::new(w as f64 + 1.0, y1),
                    Point::new(-1.0, y1),
                ],
                c,
            )?;
        }
        let wall_z = -2.2;
        let far = 8.0;
        // A framed poster on the wall, off to one side.
        let poster = [(0.75, 1.25), (1.25, 1.25), (1.25, 1.85), (0.75, 1.85)];
        let frame: Vec<Point> = poster
            .iter()
            .map(|&(x, y)| self.p(super::kinematics::v3(x, y, wall_z)))
            .collect();
        fill(&mut img, &frame, Rgb(70.0, 60.0, 50.0))?;
        let inner: Vec<Point> = [(0.79, 1.29), (1.21, 1.29), (1.21, 1.81), (0.79, 1.81)]
            .iter()
            .map(|&(x, y)| self.p(super::kinematics::v3(x, y, wall_z + 0.001)))
            .collect();
        fill(&mut img, &inner, Rgb(120.0, 150.0, 170.0))?;
        let hill: Vec<Point> = [
            (0.79, 1.29),
            (1.0, 1.5),
            (1.1, 1.42),
            (1.21, 1.55),
            (1.21, 1.29),
        ]
        .iter()
        .map(|&(x, y)| self.p(super::kinematics::v3(x, y, wall_z + 0.002)))
        .collect();
        fill(&mut img, &hill, Rgb(90.0, 120.0, 80.0))?;
        // Floor: planks running towards the camera, each a slightly different shade.
        let near = self.cam.pos.z - 0.3;
        let v = super::kinematics::v3;
        let floor_poly = [
            v(-far, 0.0, wall_z),
            v(far, 0.0, wall_z),
            v(far, 0.0, near),
            v(-far, 0.0, near),
        ];
        let fp: Vec<Point> = floor_poly.iter().map(|&q| self.p(q)).collect();
        fill(&mut img, &fp, floor)?;
        let plank = 0.18;
        let n = (2.0 * far / plank) as i32;
        for i in 0..n {
            let x0 = -far + i as f64 * plank;
            let k = 0.9 + 0.16 * self.rng.uniform();
            let q = [
                v(x0, 0.0, wall_z),
                v(x0 + plank, 0.0, wall_z),
                v(x0 + plank, 0.0, near),
                v(x0, 0.0, near),
            ];
            let pts: Vec<Point> = q.iter().map(|&p| self.p(p)).collect();
            fill(&mut img, &pts, floor.scale(k))?;
            // Gap line.
            let a = self.p(v(x0, 0.0, wall_z));
            let b = self.p(v(x0, 0.0, near));
            seg(&mut img, a, b, 1.2, floor.scale(0.7))?;
        }
        // Skirting board.
        let sk = [
            v(-far, 0.0, wall_z),
            v(far, 0.0, wall_z),
            v(far, 0.1, wall_z),
            v(-far, 0.1, wall_z),
        ];
        let sp: Vec<Point> = sk.iter().map(|&q| self.p(q)).collect();
        fill(&mut img, &sp, Rgb(240.0, 238.0, 232.0))?;
        let a = self.p(v(-far, 0.1, wall_z));
        let b = self.p(v(far, 0.1, wall_z));
        seg(&mut img, a, b, 1.5, Rgb(180.0, 176.0, 168.0))?;
        let mut out = Mat::default();
        imgproc::gaussian_blur(
            &img,
            &mut out,
            core::Size::new(0, 0),
            0.8,
            0.8,
            core::BORDER_REFLECT,
        )?;
        Ok(out)
    }

    /// Soft shadow on the floor under the body.
    fn shadow(&self, img: &mut Mat, f: &FrameState) -> Result<()> {
        let v = super::kinematics::v3;
        let hm = f.j3(Joint::LeftHip).lerp(f.j3(Joint::RightHip), 0.5);
        let feet = f.j3(Joint::LeftAnkle).lerp(f.j3(Joint::RightAnkle), 0.5);
        let (cx, cz) = if self.cfg.stance == Stance::Both {
            (feet.x, -0.05)
        } else {
            let st = if self.cfg.stance == Stance::Left {
                Side::Left
            } else {
                Side::Right
            };
            (f.j3(st.ankle()).x * 0.7 + hm.x * 0.3, -0.05)
        };
        let ring: Vec<Point> = (0..24)
            .map(|i| {
                let t = std::f64::consts::TAU * i as f64 / 24.0;
                self.p(v(cx + 0.32 * t.cos(), 0.0, cz + 0.2 * t.sin()))
            })
            .collect();
        let sigma = (self.px(v(cx, 0.0, cz), 0.07)).max(1.5);
        let pad = (3.0 * sigma).ceil() as i32 + 2;
        let (mut x0, mut y0, mut x1, mut y1) = (i32::MAX, i32::MAX, i32::MIN, i32::MIN);
        for p in &ring {
            x0 = x0.min(p.x.floor() as i32);
            y0 = y0.min(p.y.floor() as i32);
            x1 = x1.max(p.x.ceil() as i32);
            y1 = y1.max(p.y.ceil() as i32);
        }
        let (w, h) = (img.cols(), img.rows());
        let (rx0, ry0) = ((x0 - pad).max(0), (y0 - pad).max(0));
        let (rx1, ry1) = ((x1 + pad).min(w), (y1 + pad).min(h));
        if rx1 <= rx0 || ry1 <= ry0 {
            return Ok(());
        }
        let (rw, rh) = (rx1 - rx0, ry1 - ry0);
        let mut mask = Mat::new_rows_cols_with_default(rh, rw, CV_8UC1, Scalar::all(0.0))?;
        let local: Vec<Point> = ring
            .iter()
            .map(|p| Point::new(p.x - rx0 as f64, p.y - ry0 as f64))
            .collect();
        fill(&mut mask, &local, Rgb(255.0, 255.0, 255.0))?;
        let mut soft = Mat::default();
        imgproc::gaussian_blur(
            &mask,
            &mut soft,
            core::Size::new(0, 0),
            sigma,
            sigma,
            core::BORDER_CONSTANT,
        )?;
        let m = soft.data_bytes()?;
        let step = img.cols() as usize * 3; // continuous BGR (a fresh clone)
        let data = img.data_bytes_mut()?;
        for yy in 0..rh as usize {
            for xx in 0..rw as usize {
                let a = m[yy * rw as usize + xx] as u32;
                if a == 0 {
                    continue;
                }
                let k = 255 * 255 - 110 * a; // up to ~43% darker
                let o = (ry0 as usize + yy) * step + (rx0 as usize + xx) * 3;
                for c in 0..3 {
                    data[o + c] = ((data[o + c] as u32 * k) / (255 * 255)) as u8;
                }
            }
        }
        Ok(())
    }

    /// A shaded tapered limb between two 3D points with radii in metres.
    fn limb(&self, img: &mut Mat, a: V3, b: V3, ra: f64, rb: f64, col: Rgb) -> Result<()> {
        let (pa, pb) = (self.p(a), self.p(b));
        let (ra, rb) = (self.px(a, ra), self.px(b, rb));
        self.limb2(img, pa, pb, ra, rb, col)
    }

    fn limb2(&self, img: &mut Mat, pa: Point, pb: Point, ra: f64, rb: f64, col: Rgb) -> Result<()> {
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
    fn shaded_poly(&self, img: &mut Mat, pts: &[Point], col: Rgb) -> Result<()> {
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

    fn free_leg_behind(&self) -> bool {
        self.cfg.stance != Stance::Both && self.cfg.free_leg == FreeLeg::Behind
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
        let q = |p: V3| self.p(p);
        let poly = vec![
            q(r.add(lat.scale(-0.024 * h)).add(up.scale(0.1 * h))),
            q(r.add(lat.scale(-0.048 * h)).add(up.scale(0.04 * h))),
            q(r.add(lat.scale(-0.046 * h)).add(up.scale(-0.005 * h))),
            q(mid.add(up.scale(-0.045 * h))),
            q(l.add(lat.scale(0.046 * h)).add(up.scale(-0.005 * h))),
            q(l.add(lat.scale(0.048 * h)).add(up.scale(0.04 * h))),
            q(l.add(lat.scale(0.024 * h)).add(up.scale(0.1 * h))),
        ];
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
        let q = |p: V3| self.p(p);
        let side = |sg: f64, shoulder: V3| -> Vec<Point> {
            vec![
                q(sm.add(tl.scale(sg * 0.036 * h)).add(tu.scale(0.028 * h))),
                q(shoulder
                    .add(tl.scale(sg * 0.01 * h))
                    .add(tu.scale(0.026 * h))),
                q(shoulder
                    .add(tl.scale(sg * 0.03 * h))
                    .add(tu.scale(-0.01 * h))),
                q(shoulder
                    .add(tl.scale(-sg * 0.004 * h))
                    .add(tu.scale(-0.075 * h))),
                q(sm.add(tl.scale(sg * 0.085 * h)).add(tu.scale(-0.14 * h))),
                q(hm.add(pl.scale(sg * 0.078 * h)).add(pu.scale(0.12 * h))),
                q(hm.add(pl.scale(sg * 0.09 * h)).add(pu.scale(0.06 * h))),
            ]
        };
        let mut poly = side(-1.0, rs);
        let mut left = side(1.0, ls);
        left.reverse();
        poly.extend(left);
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

    fn head(&self, img: &mut Mat, f: &FrameState) -> Result<()> {
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

    /// Draw the person (no background, no post-processing).
    fn person(&self, img: &mut Mat, f: &FrameState) -> Result<()> {
        let (squat, free): (Vec<Side>, Option<Side>) = match self.cfg.stance {
            Stance::Left => (vec![Side::Left], Some(Side::Right)),
            Stance::Right => (vec![Side::Right], Some(Side::Left)),
            Stance::Both => (vec![Side::Left, Side::Right], None),
        };
        if let (Some(fs), true) = (free, self.free_leg_behind()) {
            // Foot and shank behind the body first.
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
            )?;
        }
        for &s in &squat {
            self.shoe(img, f, s)?;
            self.leg(img, f, s)?;
        }
        if let (Some(fs), false) = (free, self.free_leg_behind()) {
            self.leg(img, f, fs)?;
            self.shoe(img, f, fs)?;
        }
        self.shorts(img, f)?;
        self.torso(img, f)?;
        for s in [Side::Left, Side::Right] {
            self.arm(img, f, s)?;
        }
        self.head(img, f)?;
        Ok(())
    }

    /// The finished upright BGR frame `i`.
    pub fn render(&mut self, f: &FrameState, i: usize) -> Result<Mat> {
        let mut img = self.background.try_clone()?;
        self.shadow(&mut img, f)?;
        self.person(&mut img, f)?;
        let mut out = if self.cfg.blur > 0.0 {
            let mut o = Mat::default();
            imgproc::gaussian_blur(
                &img,
                &mut o,
                core::Size::new(0, 0),
                self.cfg.blur,
                self.cfg.blur,
                core::BORDER_REFLECT,
            )?;
            o
        } else {
            img
        };
        if !self.noise.is_empty() {
            let n = self.noise.len();
            // A different, deterministic window of the noise table per frame.
            let mut off =
                (i.wrapping_mul(2_654_435_761) ^ (self.cfg.seed as usize).wrapping_mul(40_503)) % n;
            let data = out.data_bytes_mut()?;
            for px in data.iter_mut() {
                *px = (*px as i16 + self.noise[off] as i16).clamp(0, 255) as u8;
                off += 1;
                if off == n {
                    off = 0;
                }
            }
        }
        if self.cfg.jpeg_quality > 0 {
            let mut buf = Vector::<u8>::new();
            let params: Vector<i32> = [
                imgcodecs::IMWRITE_JPEG_QUALITY,
                self.cfg.jpeg_quality as i32,
            ]
            .into_iter()
            .collect();
            imgcodecs::imencode(".jpg", &out, &mut buf, &params)?;
            out = imgcodecs::imdecode(&buf, imgcodecs::IMREAD_COLOR)?;
        }
        Ok(out)
    }
}

/// Render frame `i` of an animation to a PNG (for inspection).
pub fn write_png(
    cfg: &SynthConfig,
    anim: &Animation,
    i: usize,
    path: &std::path::Path,
) -> Result<()> {
    let mut r = Renderer::new(cfg, anim)?;
    let img = r.render(&anim.frames[i], i)?;
    let mut buf = Vector::<u8>::new();
    imgcodecs::imencode(".png", &img, &mut buf, &Vector::new())?;
    crate::output::atomic::write_atomically(path, buf.as_slice())
}
