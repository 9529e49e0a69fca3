//! Sub-pixel, anti-aliased drawing primitives over OpenCV imgproc (polygons, discs, ellipses,
//! capsules) and the convex hull the body's outlines are made of.
use super::Rgb;
use crate::error::Result;
use crate::geometry::Point;
use opencv::core::{self, Mat, Vector};
use opencv::imgproc;
use std::ops::{Add, Sub};

const SHIFT: i32 = 4;
const ONE: f64 = (1 << SHIFT) as f64;

fn ip(p: Point) -> core::Point {
    core::Point::new((p.x * ONE).round() as i32, (p.y * ONE).round() as i32)
}

pub(super) fn fill(img: &mut Mat, pts: &[Point], c: Rgb) -> Result<()> {
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

pub(super) fn disc(img: &mut Mat, c: Point, r: f64, col: Rgb) -> Result<()> {
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
pub(super) fn ell(
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

pub(super) fn seg(img: &mut Mat, a: Point, b: Point, w: f64, col: Rgb) -> Result<()> {
    // A thin filled capsule: sub-pixel and anti-aliased, unlike an integer-thickness line.
    fill(img, &capsule(a, b, w / 2.0, w / 2.0, 6), col)
}

/// Outline of a tapered capsule from `a` (radius `ra`) to `b` (radius `rb`).
pub(super) fn capsule(a: Point, b: Point, ra: f64, rb: f64, n: usize) -> Vec<Point> {
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
pub(super) fn hull(mut pts: Vec<Point>) -> Vec<Point> {
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
