//! The squatter's skeleton over time, in 3D world metres, seen through a pinhole camera.
//!
//! World axes: X to the camera's right (= the person's *left*), Y up, Z towards the camera; the person
//! stands at the origin facing +Z, the floor is Y = 0. The stance foot stays planted.
//!
//! The image-plane quantities that kneetrack measures are made exact by solving for them: per frame,
//! the pelvis is tilted until `metrics::pelvic_drop_deg` of the projected hips equals the requested
//! drop, the trunk is leaned until `metrics::trunk_lean_deg` equals the requested lean, and each
//! squatting knee is moved medially until `metrics::fppa_deg` of the projected hip, knee and ankle
//! equals the requested FPPA. Everything is then drawn from these same joints.
use super::rng::Rng;
use super::{Arms, FreeLeg, Stance, SynthConfig};
use crate::assess::metrics;
use crate::geometry::{Joint, Point, Side};
use std::f64::consts::PI;
use std::ops::{Add, Sub};

/// A point or direction in the synthetic scene, metres.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct V3 {
    pub x: f64,
    pub y: f64,
    pub z: f64,
}

/// Shorthand for a [`V3`].
pub const fn v3(x: f64, y: f64, z: f64) -> V3 {
    V3 { x, y, z }
}

impl Add for V3 {
    type Output = V3;
    fn add(self, o: V3) -> V3 {
        v3(self.x + o.x, self.y + o.y, self.z + o.z)
    }
}

impl Sub for V3 {
    type Output = V3;
    fn sub(self, o: V3) -> V3 {
        v3(self.x - o.x, self.y - o.y, self.z - o.z)
    }
}

impl V3 {
    pub fn scale(self, k: f64) -> V3 {
        v3(self.x * k, self.y * k, self.z * k)
    }
    pub fn dot(self, o: V3) -> f64 {
        self.x * o.x + self.y * o.y + self.z * o.z
    }
    pub fn cross(self, o: V3) -> V3 {
        v3(
            self.y * o.z - self.z * o.y,
            self.z * o.x - self.x * o.z,
            self.x * o.y - self.y * o.x,
        )
    }
    pub fn norm(self) -> f64 {
        self.dot(self).sqrt()
    }
    pub fn unit(self) -> V3 {
        let n = self.norm();
        if n < 1e-12 {
            self
        } else {
            self.scale(1.0 / n)
        }
    }
    pub fn lerp(self, o: V3, t: f64) -> V3 {
        self.add(o.sub(self).scale(t))
    }
}

const UP: V3 = v3(0.0, 1.0, 0.0);

/// `v` turned by `a` radians about the vertical axis through the origin; a person facing +Z then
/// faces (sin a, 0, cos a): towards the image right for positive `a`.
pub fn rot_y(v: V3, a: f64) -> V3 {
    let (s, c) = a.sin_cos();
    v3(v.x * c + v.z * s, v.y, -v.x * s + v.z * c)
}
const FWD: V3 = v3(0.0, 0.0, 1.0);

/// A level-roll pinhole camera aimed at a point on the person.
#[derive(Debug, Clone, Copy)]
pub struct Camera {
    pub pos: V3,
    pub right: V3,
    pub up: V3,
    pub fwd: V3,
    pub focal: f64,
    pub cx: f64,
    pub cy: f64,
}

impl Camera {
    /// The clip's camera: level, then rolled by `cfg.roll_deg`.
    pub fn new(cfg: &SynthConfig, aim: V3) -> Camera {
        Camera::level(cfg, aim).rolled(cfg.roll_deg)
    }

    /// The same camera with the picture turned `deg` clockwise (the phone rolled the other way).
    pub fn rolled(self, deg: f64) -> Camera {
        let (s, c) = deg.to_radians().sin_cos();
        Camera {
            right: self.right.scale(c).add(self.up.scale(s)),
            up: self.up.scale(c).sub(self.right.scale(s)),
            ..self
        }
    }

    /// Where this camera is in the frame of a person turned by `psi` radians (see [`rot_y`]): a
    /// person turned one way is the camera turned the other way around them.
    pub fn turned(self, psi: f64) -> Camera {
        Camera {
            pos: rot_y(self.pos, -psi),
            right: rot_y(self.right, -psi),
            up: rot_y(self.up, -psi),
            fwd: rot_y(self.fwd, -psi),
            ..self
        }
    }

    /// The level camera (no roll) the poses are solved for.
    pub fn level(cfg: &SynthConfig, aim: V3) -> Camera {
        let yaw = cfg.camera_yaw_deg.to_radians();
        let pos = v3(
            aim.x + cfg.camera_distance * yaw.sin(),
            cfg.camera_height,
            cfg.camera_distance * yaw.cos(),
        );
        let fwd = aim.sub(pos).unit();
        let right = fwd.cross(UP).unit();
        let up = right.cross(fwd);
        let focal = (cfg.height as f64 / 2.0) / (cfg.fov_deg.to_radians() / 2.0).tan();
        Camera {
            pos,
            right,
            up,
            fwd,
            focal,
            cx: cfg.width as f64 / 2.0,
            cy: cfg.height as f64 / 2.0,
        }
    }
    /// Depth along the viewing axis, metres.
    pub fn depth(&self, p: V3) -> f64 {
        p.sub(self.pos).dot(self.fwd).max(1e-3)
    }
    /// Image pixel position (y down) of a world point.
    pub fn project(&self, p: V3) -> Point {
        let d = p.sub(self.pos);
        let z = d.dot(self.fwd).max(1e-3);
        Point::new(
            self.cx + self.focal * d.dot(self.right) / z,
            self.cy - self.focal * d.dot(self.up) / z,
        )
    }
    /// Pixels per metre at the depth of `p`.
    pub fn px_per_m(&self, p: V3) -> f64 {
        self.focal / self.depth(p)
    }
}

/// Body segment lengths and girths, metres.
#[derive(Debug, Clone, Copy)]
pub struct Body {
    pub height: f64,
    pub ankle_h: f64,
    pub shank: f64,
    pub thigh: f64,
    pub hip_half: f64,
    pub trunk: f64,
    pub shoulder_half: f64,
    pub neck: f64,
    pub head_half_w: f64,
    pub head_half_h: f64,
    pub upper_arm: f64,
    pub forearm: f64,
    pub heel_back: f64,
    pub toe_fwd: f64,
    pub girth: f64,
}

impl Body {
    pub fn new(cfg: &SynthConfig) -> Body {
        let h = cfg.body_height;
        let ankle_h = 0.048 * h;
        let shank = 0.246 * h * cfg.leg_scale;
        let thigh = 0.245 * h * cfg.leg_scale;
        let hip_h = ankle_h + shank + thigh;
        Body {
            height: h,
            ankle_h,
            shank,
            thigh,
            hip_half: 0.057 * h * cfg.hip_scale,
            trunk: 0.818 * h - hip_h,
            shoulder_half: 0.105 * h * cfg.shoulder_scale,
            neck: 0.045 * h,
            head_half_w: 0.045 * h,
            head_half_h: 0.066 * h,
            upper_arm: 0.186 * h,
            forearm: 0.146 * h,
            heel_back: 0.036 * h,
            toe_fwd: 0.11 * h,
            girth: cfg.girth_scale,
        }
    }
    /// Radius of a limb at `h`-relative girth `r` (fraction of body height).
    pub fn r(&self, r: f64) -> f64 {
        r * self.height * self.girth
    }
}

/// +1 for the person's left side (world +X), −1 for the right.
pub fn side_sign(s: Side) -> f64 {
    match s {
        Side::Left => 1.0,
        Side::Right => -1.0,
    }
}

/// One squat: frame indices (inclusive) and the requested peak FPPA.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RepTiming {
    /// The bout the rep belongs to (0-based).
    pub bout: usize,
    pub start: usize,
    pub bottom: usize,
    pub bottom_end: usize,
    pub end: usize,
    pub valgus_deg: f64,
}

/// The full 3D pose of one frame plus the frames the renderer needs.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameState {
    pub time_s: f64,
    /// Which legs carry the body in this frame (double-leg while stepping from one to the other).
    pub stance: Stance,
    /// The bout this frame belongs to; `None` while stepping or turning between bouts.
    pub bout: Option<usize>,
    /// How far the person is turned from facing the camera, degrees (180: seen from behind).
    pub turn_deg: f64,
    /// The picture is moved down this many pixels (a camera following the head).
    pub shift_y: f64,
    /// Squat depth profile 0 (standing) … 1 (bottom).
    pub depth: f64,
    /// Index of the rep this frame belongs to (descent through ascent).
    pub rep: Option<usize>,
    pub phase: &'static str,
    pub knee_flexion_deg: [f64; 2],
    /// Requested FPPA for [left, right] legs this frame (only meaningful for squatting legs).
    pub target_fppa_deg: [f64; 2],
    pub joints3: [V3; Joint::COUNT],
    pub joints2: [Point; Joint::COUNT],
    /// Foot forward direction, [left, right].
    pub foot_dir: [V3; 2],
    /// Foot sole normal pointing down out of the sole, [left, right].
    pub foot_down: [V3; 2],
    pub pelvis_lat: V3,
    pub pelvis_up: V3,
    pub trunk_up: V3,
    pub trunk_lat: V3,
    pub trunk_fwd: V3,
    pub neck_top: V3,
    pub head_centre: V3,
    pub head_up: V3,
    pub head_lat: V3,
    pub head_fwd: V3,
}

impl FrameState {
    pub fn j3(&self, j: Joint) -> V3 {
        self.joints3[j.index()]
    }
    pub fn j2(&self, j: Joint) -> Point {
        self.joints2[j.index()]
    }
}

/// Every frame's 3D skeleton and its projection, and where the reps are.
pub struct Animation {
    pub camera: Camera,
    pub body: Body,
    pub frames: Vec<FrameState>,
    pub reps: Vec<RepTiming>,
    pub bouts: Vec<BoutPlan>,
}

/// One bout of the clip: a stance, a view, its reps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoutPlan {
    pub stance: Stance,
    /// How far the person is turned from facing the camera, degrees.
    pub turn_deg: f64,
    pub reps: usize,
    /// Index of the bout's first rep in the clip.
    pub first_rep: usize,
    /// First and last frame (inclusive), filled in by [`animate`].
    pub start: usize,
    pub end: usize,
}

/// The bouts `cfg` asks for, in order.
pub fn plan(cfg: &SynthConfig) -> Vec<BoutPlan> {
    let front = if cfg.rear {
        180.0 + cfg.yaw_deg
    } else {
        cfg.yaw_deg
    };
    let bout = |stance, turn_deg, first_rep| BoutPlan {
        stance,
        turn_deg,
        reps: cfg.reps as usize,
        first_rep,
        start: 0,
        end: 0,
    };
    let n = cfg.reps as usize;
    match (cfg.then_stance, cfg.turn) {
        (Some(s2), _) => vec![bout(cfg.stance, front, 0), bout(s2, front, n)],
        (None, true) => vec![bout(cfg.stance, 90.0, 0), bout(cfg.stance, front, n)],
        (None, false) => vec![bout(cfg.stance, front, 0)],
    }
}

/// The camera a bout's poses are solved for: from the front or from behind, the camera where it
/// is relative to the person (so the picture's angles are exact); at other turns the frontal one,
/// so the truth is the frontal-plane angle and the picture shows what the angle makes of it.
fn solve_camera(level: Camera, turn_deg: f64) -> Camera {
    let psi = turn_deg.to_radians();
    if psi.cos().abs() > 0.999 {
        level.turned(psi)
    } else {
        level
    }
}

/// `f` turned by `turn_deg` about the vertical axis and seen through `cam`, the picture moved
/// down by `shift_y`.
fn place(mut f: FrameState, turn_deg: f64, cam: &Camera, shift_y: f64) -> FrameState {
    let psi = turn_deg.to_radians();
    let r = |v: V3| rot_y(v, psi);
    for j in f.joints3.iter_mut() {
        *j = r(*j);
    }
    for v in f.foot_dir.iter_mut().chain(f.foot_down.iter_mut()) {
        *v = r(*v);
    }
    for v in [
        &mut f.pelvis_lat,
        &mut f.pelvis_up,
        &mut f.trunk_up,
        &mut f.trunk_lat,
        &mut f.trunk_fwd,
        &mut f.neck_top,
        &mut f.head_centre,
        &mut f.head_up,
        &mut f.head_lat,
        &mut f.head_fwd,
    ] {
        *v = r(*v);
    }
    for (o, p3) in f.joints2.iter_mut().zip(f.joints3.iter()) {
        let p = cam.project(*p3);
        *o = Point::new(p.x, p.y + shift_y);
    }
    f.turn_deg = turn_deg;
    f.shift_y = shift_y;
    f
}

/// A pose between `a` and `b` (`u` from 0 to 1), for stepping and turning between bouts.
fn blend(a: &FrameState, b: &FrameState, u: f64) -> FrameState {
    let l = |p: V3, q: V3| p.lerp(q, u);
    let d = |p: V3, q: V3| p.lerp(q, u).unit();
    let mut f = if u < 0.5 { a.clone() } else { b.clone() };
    for (o, (p, q)) in f.joints3.iter_mut().zip(a.joints3.iter().zip(&b.joints3)) {
        *o = l(*p, *q);
    }
    for i in 0..2 {
        f.foot_dir[i] = d(a.foot_dir[i], b.foot_dir[i]);
        f.foot_down[i] = d(a.foot_down[i], b.foot_down[i]);
        f.knee_flexion_deg[i] =
            a.knee_flexion_deg[i] + (b.knee_flexion_deg[i] - a.knee_flexion_deg[i]) * u;
    }
    f.pelvis_lat = d(a.pelvis_lat, b.pelvis_lat);
    f.pelvis_up = d(a.pelvis_up, b.pelvis_up);
    f.trunk_up = d(a.trunk_up, b.trunk_up);
    f.trunk_lat = d(a.trunk_lat, b.trunk_lat);
    f.trunk_fwd = d(a.trunk_fwd, b.trunk_fwd);
    f.head_up = d(a.head_up, b.head_up);
    f.head_lat = d(a.head_lat, b.head_lat);
    f.head_fwd = d(a.head_fwd, b.head_fwd);
    f.neck_top = l(a.neck_top, b.neck_top);
    f.head_centre = l(a.head_centre, b.head_centre);
    f.depth = 0.0;
    f.rep = None;
    f.bout = None;
    f.phase = "transition";
    f.target_fppa_deg = [0.0; 2];
    f
}

/// Smooth 0→1 over `n` frames (excluding both ends).
fn ease(i: usize, n: usize) -> f64 {
    let u = (i + 1) as f64 / (n + 1) as f64;
    0.5 - 0.5 * (PI * u).cos()
}

fn side_idx(s: Side) -> usize {
    match s {
        Side::Left => 0,
        Side::Right => 1,
    }
}

/// Bisection for an increasing function: the x in [lo, hi] with f(x) = target.
fn solve_increasing(mut lo: f64, mut hi: f64, target: f64, f: impl Fn(f64) -> f64) -> f64 {
    for _ in 0..80 {
        let mid = 0.5 * (lo + hi);
        if f(mid) < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Elbow of a two-bone chain from `s` to `w` bending towards `pole`.
fn two_bone(s: V3, w: V3, l1: f64, l2: f64, pole: V3) -> V3 {
    let sw = w.sub(s);
    let d = sw.norm().clamp(1e-6, (l1 + l2) * 0.9999);
    let u = sw.unit();
    let a = (l1 * l1 - l2 * l2 + d * d) / (2.0 * d);
    let h = (l1 * l1 - a * a).max(0.0).sqrt();
    let v = pole.sub(u.scale(pole.dot(u))).unit();
    s.add(u.scale(a)).add(v.scale(h))
}

/// One frame of the timeline: depth profile (0..1), rep index, phase name.
type TimelineFrame = (f64, Option<usize>, &'static str);

/// Frame timeline: per-frame (depth profile, rep index, phase) and the rep boundaries.
fn timeline(cfg: &SynthConfig) -> (Vec<TimelineFrame>, Vec<RepTiming>) {
    let fr = |s: f64| (s * cfg.fps).round() as usize;
    let half = fr(cfg.rep_seconds / 2.0).max(2);
    let hold = fr(cfg.hold_seconds);
    let mut out = vec![(0.0, None, "standing"); fr(cfg.lead_in_seconds)];
    let mut reps = Vec::new();
    for r in 0..cfg.reps as usize {
        if r > 0 {
            out.extend(std::iter::repeat_n(
                (0.0, None, "standing"),
                fr(cfg.pause_seconds),
            ));
        }
        let start = out.len();
        // Descent: frames start..=start+half, the last at full depth.
        for i in 0..half {
            let u = i as f64 / half as f64;
            out.push((
                0.5 - 0.5 * (std::f64::consts::PI * u).cos(),
                Some(r),
                "descent",
            ));
        }
        let bottom = out.len();
        for _ in 0..=hold {
            out.push((1.0, Some(r), "bottom"));
        }
        let bottom_end = out.len() - 1;
        for i in 1..=half {
            let u = i as f64 / half as f64;
            out.push((
                0.5 + 0.5 * (std::f64::consts::PI * u).cos(),
                Some(r),
                "ascent",
            ));
        }
        let end = out.len() - 1;
        reps.push(RepTiming {
            bout: 0,
            start,
            bottom,
            bottom_end,
            end,
            valgus_deg: cfg.valgus_for_rep(r),
        });
    }
    out.extend(std::iter::repeat_n(
        (0.0, None, "standing"),
        fr(cfg.tail_seconds).max(1),
    ));
    (out, reps)
}

/// Compute the whole clip's skeleton: each bout's reps, and between bouts a step onto both feet
/// (a change of stance leg) or a turn (a change of view), standing.
pub fn animate(cfg: &SynthConfig) -> Animation {
    let body = Body::new(cfg);
    let aim = v3(0.0, 0.47 * body.height, 0.0);
    let camera = Camera::new(cfg, aim);
    let level = Camera::level(cfg, aim);
    let mut rng = Rng::new(cfg.seed);
    let mut bouts = plan(cfg);
    let last = bouts.len() - 1;
    let fr = |s: f64| (s * cfg.fps).round() as usize;
    // (unplaced pose, turn) of every frame; placed once the picture shift is known.
    let mut posed: Vec<(FrameState, f64)> = Vec::new();
    let mut reps = Vec::new();
    for (b, plan) in bouts.iter_mut().enumerate() {
        let sub = SynthConfig {
            stance: plan.stance,
            reps: plan.reps as u32,
            lead_in_seconds: if b == 0 { cfg.lead_in_seconds } else { 0.6 },
            tail_seconds: if b == last { cfg.tail_seconds } else { 0.6 },
            valgus_deg: (0..plan.reps)
                .map(|i| cfg.valgus_for_rep(plan.first_rep + i))
                .collect(),
            ..cfg.clone()
        };
        let solve = solve_camera(level, plan.turn_deg);
        let (frames, bout_reps) = animate_bout(&sub, &body, &solve, &mut rng);
        if let Some((prev, prev_turn)) = posed.last().cloned() {
            let first = &frames[0];
            let n = fr(1.2);
            if prev.stance != first.stance
                && prev.stance != Stance::Both
                && first.stance != Stance::Both
            {
                // A step: down onto both feet, then up onto the other leg.
                let both = SynthConfig {
                    stance: Stance::Both,
                    ..sub.clone()
                };
                let mid = pose_at(&both, &body, &solve, 0.0, [0.0; 2], 0.0, None, "transition");
                for i in 0..n / 2 {
                    posed.push((blend(&prev, &mid, ease(i, n / 2)), plan.turn_deg));
                }
                for i in 0..n / 2 {
                    posed.push((blend(&mid, first, ease(i, n / 2)), plan.turn_deg));
                }
            } else {
                for i in 0..n {
                    let u = ease(i, n);
                    posed.push((
                        blend(&prev, first, u),
                        prev_turn + (plan.turn_deg - prev_turn) * u,
                    ));
                }
            }
        }
        let offset = posed.len();
        plan.start = offset;
        plan.end = offset + frames.len() - 1;
        for r in bout_reps {
            reps.push(RepTiming {
                bout: b,
                start: r.start + offset,
                bottom: r.bottom + offset,
                bottom_end: r.bottom_end + offset,
                end: r.end + offset,
                valgus_deg: r.valgus_deg,
            });
        }
        for mut f in frames {
            f.bout = Some(b);
            f.rep = f.rep.map(|r| r + plan.first_rep);
            posed.push((f, plan.turn_deg));
        }
    }
    // A camera following the head down: the soles, at the frame's bottom edge standing, end 8%
    // of the picture below it at each rep's bottom.
    let shift_per_depth = if cfg.crop_feet {
        let (f0, t0) = &posed[0];
        let standing = place(f0.clone(), *t0, &camera, 0.0);
        let sole = [
            Joint::LeftAnkle,
            Joint::RightAnkle,
            Joint::LeftHeel,
            Joint::RightHeel,
            Joint::LeftToe,
            Joint::RightToe,
        ]
        .iter()
        .map(|&j| standing.j2(j).y)
        .fold(f64::MIN, f64::max);
        (cfg.height as f64 * 1.08 - sole).max(0.0)
    } else {
        0.0
    };
    let frames = posed
        .into_iter()
        .enumerate()
        .map(|(i, (mut f, turn))| {
            f.time_s = i as f64 / cfg.fps;
            let shift = shift_per_depth * f.depth;
            place(f, turn, &camera, shift)
        })
        .collect();
    Animation {
        camera,
        body,
        frames,
        reps,
        bouts,
    }
}

/// One bout's frames (unplaced: the person facing +Z) and reps, solved for `cam`.
fn animate_bout(
    cfg: &SynthConfig,
    body: &Body,
    camera: &Camera,
    rng: &mut Rng,
) -> (Vec<FrameState>, Vec<RepTiming>) {
    let (tl, reps) = timeline(cfg);
    // Wobble phase per rep and leg.
    let phases: Vec<[f64; 2]> = (0..reps.len())
        .map(|_| {
            [
                rng.range(0.0, std::f64::consts::TAU),
                rng.range(0.0, std::f64::consts::TAU),
            ]
        })
        .collect();
    let frames = tl
        .iter()
        .enumerate()
        .map(|(i, &(p, rep, phase))| {
            let t = i as f64 / cfg.fps;
            let valgus = rep.map(|r| reps[r].valgus_deg).unwrap_or(0.0);
            let env = (std::f64::consts::PI * p).sin().max(0.0);
            let mut target = [0.0; 2];
            for (leg, tg) in target.iter_mut().enumerate() {
                let ph = rep.map(|r| phases[r][leg]).unwrap_or(0.0);
                let wob =
                    cfg.wobble_deg * env * (std::f64::consts::TAU * cfg.wobble_hz * t + ph).sin();
                *tg = valgus * p + wob;
            }
            pose_at(cfg, body, camera, p, target, t, rep, phase)
        })
        .collect();
    (frames, reps)
}

/// The stance/squatting leg chain: hip, knee (before valgus) for a planted ankle and knee flexion k.
fn sagittal_leg(body: &Body, ankle: V3, k: f64) -> (V3, V3) {
    let a = 0.45 * k;
    let b = k - a;
    let knee = ankle.add(v3(0.0, a.cos(), a.sin()).scale(body.shank));
    let hip = knee.add(v3(0.0, b.cos(), -b.sin()).scale(body.thigh));
    (hip, knee)
}

#[allow(clippy::too_many_arguments)]
fn pose_at(
    cfg: &SynthConfig,
    body: &Body,
    cam: &Camera,
    p: f64,
    target_fppa: [f64; 2],
    time_s: f64,
    rep: Option<usize>,
    phase: &'static str,
) -> FrameState {
    let mut j = [V3::default(); Joint::COUNT];
    let k = (cfg.depth_deg * p).to_radians();
    let mut foot_dir = [FWD; 2];
    let mut foot_down = [v3(0.0, -1.0, 0.0); 2];
    let mut flex = [0.0f64; 2];
    let squatting: Vec<Side> = match cfg.stance {
        Stance::Left => vec![Side::Left],
        Stance::Right => vec![Side::Right],
        Stance::Both => vec![Side::Left, Side::Right],
    };
    // The side that serves as "stance" for pelvic drop and trunk lean.
    let ref_side = match cfg.stance {
        Stance::Left => Side::Left,
        _ => Side::Right,
    };
    let toe_out = |s: Side, deg: f64| {
        v3(
            side_sign(s) * deg.to_radians().sin(),
            0.0,
            deg.to_radians().cos(),
        )
    };

    // 1. Squatting legs from their planted feet.
    for &s in &squatting {
        let sx = side_sign(s);
        let ankle_x = if cfg.stance == Stance::Both {
            sx * body.hip_half
        } else {
            sx * 0.035
        };
        let ankle = v3(ankle_x, body.ankle_h, 0.0);
        let (hip, knee) = sagittal_leg(body, ankle, k);
        j[s.ankle().index()] = ankle;
        j[s.knee().index()] = knee;
        j[s.hip().index()] = hip;
        foot_dir[side_idx(s)] = toe_out(
            s,
            if cfg.stance == Stance::Both {
                12.0
            } else {
                8.0
            },
        );
        flex[side_idx(s)] = k.to_degrees();
    }

    // 2. Pelvis: free hip placed by the pelvic tilt that gives the requested image-plane drop.
    if cfg.stance != Stance::Both {
        let s = ref_side;
        let sx = side_sign(s);
        let st_hip = j[s.hip().index()];
        let free_hip =
            |th: f64| st_hip.add(v3(-sx * th.cos(), -th.sin(), 0.0).scale(2.0 * body.hip_half));
        let p_st = cam.project(st_hip);
        let goal = cfg.pelvic_drop_deg * p;
        let th = solve_increasing(-0.7, 0.7, goal, |th| {
            metrics::pelvic_drop_deg(p_st, cam.project(free_hip(th))).unwrap_or(0.0)
        });
        j[s.other().hip().index()] = free_hip(th);
    }
    let l_hip = j[Joint::LeftHip.index()];
    let r_hip = j[Joint::RightHip.index()];
    let hip_mid = l_hip.lerp(r_hip, 0.5);
    let pelvis_lat = l_hip.sub(r_hip).unit();
    let pelvis_up = v3(-pelvis_lat.y, pelvis_lat.x, 0.0).unit();

    // 3. Trunk: forward flexion follows the squat; frontal lean solved for the image-plane value.
    let b = 0.55 * k;
    let c = 0.8 * b
        + if cfg.stance == Stance::Both {
            0.25 * k
        } else {
            0.0
        };
    let rsx = side_sign(ref_side);
    let trunk_up_for =
        |phi: f64| v3(rsx * phi.sin(), phi.cos() * c.cos(), phi.cos() * c.sin()).unit();
    // Same definition as the truth: the midpoint of the projected hips.
    let p_hip_mid = cam.project(l_hip).midpoint(cam.project(r_hip));
    let p_ref_hip = cam.project(j[ref_side.hip().index()]);
    let goal = cfg.trunk_lean_deg * p;
    let phi = solve_increasing(-0.8, 0.8, goal, |phi| {
        let up = trunk_up_for(phi);
        let sh = hip_mid.add(up.scale(body.trunk));
        let lat = up.cross(FWD).unit().scale(body.shoulder_half);
        let p_sh = cam.project(sh.add(lat)).midpoint(cam.project(sh.sub(lat)));
        metrics::trunk_lean_deg(p_sh, p_hip_mid, p_ref_hip).unwrap_or(0.0)
    });
    let trunk_up = trunk_up_for(phi);
    let trunk_lat = trunk_up.cross(FWD).unit();
    let trunk_fwd = trunk_lat.cross(trunk_up).unit();
    let sh_mid = hip_mid.add(trunk_up.scale(body.trunk));
    j[Joint::LeftShoulder.index()] = sh_mid.add(trunk_lat.scale(body.shoulder_half));
    j[Joint::RightShoulder.index()] = sh_mid.sub(trunk_lat.scale(body.shoulder_half));

    // 4. Head: stays close to upright, looking at the camera.
    let neck_top = sh_mid.add(trunk_up.scale(body.neck));
    let head_up = trunk_up.scale(0.3).add(UP.scale(0.7)).unit();
    let head_lat = head_up.cross(FWD).unit();
    let head_fwd = head_lat.cross(head_up).unit();
    let head_centre = neck_top.add(head_up.scale(body.head_half_h * 0.95));
    let h = body.height;
    let hp = |lat: f64, up: f64, fwd: f64| {
        head_centre
            .add(head_lat.scale(lat * h))
            .add(head_up.scale(up * h))
            .add(head_fwd.scale(fwd * h))
    };
    j[Joint::Nose.index()] = hp(0.0, -0.014, 0.056);
    j[Joint::LeftEye.index()] = hp(0.018, 0.004, 0.04);
    j[Joint::RightEye.index()] = hp(-0.018, 0.004, 0.04);
    j[Joint::LeftEar.index()] = hp(0.045, -0.004, -0.004);
    j[Joint::RightEar.index()] = hp(-0.045, -0.004, -0.004);

    // 5. Free leg (single-leg squats).
    if cfg.stance != Stance::Both {
        let s = ref_side.other();
        let sx = side_sign(s);
        let hip = j[s.hip().index()];
        let (fh, fk) = match cfg.free_leg {
            FreeLeg::Behind => (
                (8.0 + 0.3 * k.to_degrees()).to_radians(),
                95f64.to_radians(),
            ),
            FreeLeg::Forward => (
                (30.0 + 0.6 * k.to_degrees()).to_radians(),
                (20.0 + 0.2 * k.to_degrees()).to_radians(),
            ),
        };
        let ab = 4f64.to_radians();
        let dt = v3(sx * ab.sin(), -fh.cos(), fh.sin()).unit();
        let knee = hip.add(dt.scale(body.thigh));
        let alpha = fh - fk;
        let ds = v3(sx * ab.sin(), -alpha.cos(), alpha.sin()).unit();
        let ankle = knee.add(ds.scale(body.shank));
        let pf = 30f64.to_radians();
        let beta = alpha + std::f64::consts::FRAC_PI_2 - pf;
        let fd = v3(0.0, -beta.cos(), beta.sin());
        j[s.knee().index()] = knee;
        j[s.ankle().index()] = ankle;
        foot_dir[side_idx(s)] = fd;
        foot_down[side_idx(s)] = v3(0.0, -fd.z, fd.y);
        flex[side_idx(s)] = fk.to_degrees();
    }

    // 6. Feet: heel and toe points.
    for s in [Side::Left, Side::Right] {
        let i = side_idx(s);
        let a = j[s.ankle().index()];
        let dn = foot_down[i].scale(body.ankle_h);
        j[s.heel().index()] = a
            .add(foot_dir[i].scale(-body.heel_back))
            .add(dn.scale(0.62));
        j[s.toe().index()] = a.add(foot_dir[i].scale(body.toe_fwd)).add(dn.scale(0.78));
    }

    // 7. Arms.
    for s in [Side::Left, Side::Right] {
        let sx = side_sign(s);
        let sh = j[s.shoulder().index()];
        let (wrist, pole) = match cfg.arms {
            Arms::Hips => {
                let hip = j[s.hip().index()];
                let w = hip
                    .add(pelvis_lat.scale(sx * 0.045 * h))
                    .add(pelvis_up.scale(0.07 * h))
                    .add(trunk_fwd.scale(0.015 * h));
                (w, trunk_lat.scale(sx).add(trunk_fwd.scale(-0.5)))
            }
            Arms::Forward => {
                let w = sh
                    .add(trunk_fwd.scale(0.27 * h))
                    .add(trunk_up.scale(-0.06 * h))
                    .add(trunk_lat.scale(-sx * 0.035 * h));
                (w, trunk_up.scale(-1.0).add(trunk_lat.scale(sx * 0.6)))
            }
        };
        let elbow = two_bone(sh, wrist, body.upper_arm, body.forearm, pole);
        let dir = wrist.sub(elbow).unit();
        let (ej, wj) = match s {
            Side::Left => (Joint::LeftElbow, Joint::LeftWrist),
            Side::Right => (Joint::RightElbow, Joint::RightWrist),
        };
        j[ej.index()] = elbow;
        j[wj.index()] = elbow.add(dir.scale(body.forearm));
    }

    // 8. Valgus: move each squatting knee medially until the image-plane FPPA is the target.
    for &s in &squatting {
        let sx = side_sign(s);
        let hip = j[s.hip().index()];
        let knee = j[s.knee().index()];
        let ankle = j[s.ankle().index()];
        let ph = cam.project(hip);
        let pa = cam.project(ankle);
        let Some(medial) = metrics::medial_sign(ph, cam.project(j[s.other().hip().index()])) else {
            continue;
        };
        let knee_at = |m: f64| knee.add(v3(-sx * m, 0.0, 0.0));
        let goal = target_fppa[side_idx(s)];
        let m = solve_increasing(-0.45, 0.45, goal, |m| {
            metrics::fppa_deg(ph, cam.project(knee_at(m)), pa, medial).unwrap_or(0.0)
        });
        j[s.knee().index()] = knee_at(m);
    }

    let mut joints2 = [Point::default(); Joint::COUNT];
    for (o, p3) in joints2.iter_mut().zip(j.iter()) {
        *o = cam.project(*p3);
    }
    FrameState {
        time_s,
        stance: cfg.stance,
        bout: None,
        turn_deg: 0.0,
        shift_y: 0.0,
        depth: p,
        rep,
        phase,
        knee_flexion_deg: flex,
        target_fppa_deg: target_fppa,
        joints3: j,
        joints2,
        foot_dir,
        foot_down,
        pelvis_lat,
        pelvis_up,
        trunk_up,
        trunk_lat,
        trunk_fwd,
        neck_top,
        head_centre,
        head_up,
        head_lat,
        head_fwd,
    }
}
