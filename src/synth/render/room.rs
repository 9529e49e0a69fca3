//! The room behind the squatter (wall, poster, plank floor, skirting board), drawn once per clip,
//! and the soft shadow under the body, drawn per frame.
use super::shapes::{fill, seg};
use super::{parse_colour, Renderer, Rgb};
use crate::error::Result;
use crate::geometry::{Joint, Point, Side};
use crate::synth::kinematics::{v3, FrameState};
use crate::synth::Stance;
use opencv::core::{self, Mat, Scalar, CV_8UC1, CV_8UC3};
use opencv::imgproc;
use opencv::prelude::*;

impl Renderer {
    pub(super) fn draw_background(&mut self) -> Result<Mat> {
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
            .map(|&(x, y)| self.p(v3(x, y, wall_z)))
            .collect();
        fill(&mut img, &frame, Rgb(70.0, 60.0, 50.0))?;
        let inner: Vec<Point> = [(0.79, 1.29), (1.21, 1.29), (1.21, 1.81), (0.79, 1.81)]
            .iter()
            .map(|&(x, y)| self.p(v3(x, y, wall_z + 0.001)))
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
        .map(|&(x, y)| self.p(v3(x, y, wall_z + 0.002)))
        .collect();
        fill(&mut img, &hill, Rgb(90.0, 120.0, 80.0))?;
        // Floor: planks running towards the camera, each a slightly different shade.
        let near = self.cam.pos.z - 0.3;
        let v = v3;
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
    pub(super) fn shadow(&self, img: &mut Mat, f: &FrameState) -> Result<()> {
        let v = v3;
        let hm = f.j3(Joint::LeftHip).lerp(f.j3(Joint::RightHip), 0.5);
        let feet = f.j3(Joint::LeftAnkle).lerp(f.j3(Joint::RightAnkle), 0.5);
        let (cx, cz) = if f.stance == Stance::Both {
            (feet.x, -0.05)
        } else {
            let st = if f.stance == Stance::Left {
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
}
