//! Drawing the squatter with OpenCV imgproc: a room (wall, skirting board, plank floor, poster), a soft
//! floor shadow, and a shaded person — tapered limbs in three shades, shorts and a shirt, shoes with
//! soles, arms, a head with hair, ears and a face. Sizes come from the same 3D skeleton and camera as
//! the ground truth, so every joint is drawn exactly where the truth says it is.
//!
//! One part a file: `shapes` (anti-aliased primitives), `room` (the background, once per clip, and
//! the floor shadow), `body` (limbs, shoes, clothes), `head`; this file holds the colours, the
//! [`Renderer`] and each frame's finish (camera blur, sensor noise, JPEG round-trip).
mod body;
mod head;
mod room;
mod shapes;

use super::kinematics::{Animation, Body, Camera, FrameState, V3};
use super::rng::Rng;
use super::SynthConfig;
use crate::error::{Error, Result};
use crate::geometry::Point;
use opencv::core::{self, Mat, Scalar, Vector};
use opencv::prelude::*;
use opencv::{imgcodecs, imgproc};

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

struct Palette {
    skin: Rgb,
    top: Rgb,
    shorts: Rgb,
    shoes: Rgb,
    sole: Rgb,
    hair: Rgb,
}

/// Draws the synthetic squatter's frames.
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

    /// The finished upright BGR frame `i`.
    pub fn render(&mut self, f: &FrameState, i: usize) -> Result<Mat> {
        let mut img = self.background.try_clone()?;
        self.shadow(&mut img, f)?;
        self.person(&mut img, f)?;
        if f.shift_y != 0.0 {
            // A camera following the head down: everything moves down, the wall fills the top.
            let m = Mat::from_slice_2d(&[[1.0f64, 0.0, 0.0], [0.0, 1.0, f.shift_y]])?;
            let mut moved = Mat::default();
            imgproc::warp_affine(
                &img,
                &mut moved,
                &m,
                img.size()?,
                imgproc::INTER_LINEAR,
                core::BORDER_REPLICATE,
                Scalar::default(),
            )?;
            img = moved;
        }
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
