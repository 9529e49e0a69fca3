//! Synthetic squatter: renders frontal-view clips of a person doing single-leg (or double-leg) half
//! squats, with exactly known ground truth, for the bundled samples and the accuracy tests.
//!
//! Pipeline: a [`Preset`]'s [`SynthConfig`] (fully resolved; `kneetrack synth` puts its flags over
//! it) → [`kinematics`] (3D skeleton per frame, projected through a pinhole camera; the valgus,
//! pelvic drop and trunk lean are solved so that the *image-plane* metrics, computed with
//! `crate::assess::metrics`, equal the requested values) → [`render`] (OpenCV drawing) → [`video`] (mp4,
//! optional rotation tag, atomic write) and [`truth`] (JSON next to the video).
pub mod kinematics;
pub mod render;
pub mod rng;
pub mod truth;
pub mod video;

#[cfg(test)]
mod tests;

use crate::error::{Error, Result};
pub use crate::video::Codec;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Built-in scenarios; any explicit flag overrides the preset's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Preset {
    /// Single-leg squats on the right leg, good control: FPPA peaks ~5°, no wobble.
    #[default]
    Good,
    /// Clear dynamic valgus: FPPA peaks ~25°, knee wobble, 8° pelvic drop, trunk lean.
    Valgus,
    /// Both feet planted, both legs squat.
    DoubleLeg,
    /// Both legs in one clip, as most people film them: good reps on the right leg, a step onto
    /// both feet, then valgus reps on the left leg.
    BothLegs,
}

/// Which leg carries the body. `both` = double-leg squat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    Left,
    Right,
    Both,
}

impl Stance {
    pub fn name(self) -> &'static str {
        match self {
            Stance::Left => "left",
            Stance::Right => "right",
            Stance::Both => "both",
        }
    }
}

/// Where the free (non-stance) leg is held during a single-leg squat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FreeLeg {
    /// Knee bent ~90°, foot behind the body.
    Behind,
    /// Hip flexed, leg held forward with the foot off the floor.
    Forward,
}

/// Arm position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Arms {
    /// Hands on the hips, elbows out.
    Hips,
    /// Arms held forward at chest height.
    Forward,
}

/// Every control, resolved. Serialized into the truth JSON as `config`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SynthConfig {
    pub preset: Preset,
    pub stance: Stance,
    pub reps: u32,
    pub depth_deg: f64,
    pub rep_seconds: f64,
    pub hold_seconds: f64,
    pub pause_seconds: f64,
    pub lead_in_seconds: f64,
    pub tail_seconds: f64,
    pub valgus_deg: Vec<f64>,
    pub wobble_deg: f64,
    pub wobble_hz: f64,
    pub pelvic_drop_deg: f64,
    pub trunk_lean_deg: f64,
    pub free_leg: FreeLeg,
    pub arms: Arms,
    pub camera_distance: f64,
    pub camera_height: f64,
    pub camera_yaw_deg: f64,
    pub fov_deg: f64,
    pub width: u32,
    pub height: u32,
    pub fps: f64,
    pub rotate: u32,
    pub body_height: f64,
    pub shoulder_scale: f64,
    pub hip_scale: f64,
    pub leg_scale: f64,
    pub girth_scale: f64,
    pub skin: String,
    pub top: String,
    pub shorts: String,
    pub shoes: String,
    pub hair: String,
    pub wall: String,
    pub floor: String,
    pub blur: f64,
    pub noise: f64,
    pub jpeg_quality: u32,
    pub codec: Codec,
    pub seed: u64,
    /// After the reps on `stance`, a step and as many reps on this leg (a second bout).
    #[serde(default)]
    pub then_stance: Option<Stance>,
    /// Camera roll: the picture turned clockwise by this much (a phone held askew), degrees.
    #[serde(default)]
    pub roll_deg: f64,
    /// The person turned this much from facing the camera (positive: towards the image right),
    /// degrees. Unlike `camera_yaw_deg` the knee is posed in the person's own frontal plane, so the
    /// truth is the frontal-plane FPPA and the picture shows what an angled camera makes of it.
    #[serde(default)]
    pub yaw_deg: f64,
    /// Filmed from behind: the person faces away from the camera.
    #[serde(default)]
    pub rear: bool,
    /// Sample aspect ratio [num, den] the clip is stored with: the frames are squeezed to
    /// width·den/num pixels and tagged so players stretch them back (needs the ffmpeg CLI).
    #[serde(default = "square_pixels")]
    pub sar: [u32; 2],
    /// A camera that follows the head down: at each rep's bottom the feet leave the picture.
    #[serde(default)]
    pub crop_feet: bool,
    /// The first bout is filmed side-on; the person then turns to the camera and does the reps
    /// again (a view change mid-clip).
    #[serde(default)]
    pub turn: bool,
}

fn square_pixels() -> [u32; 2] {
    [1, 1]
}

impl SynthConfig {
    /// The defaults of a preset.
    pub fn preset(p: Preset) -> SynthConfig {
        let base = SynthConfig {
            preset: p,
            stance: Stance::Right,
            reps: 3,
            depth_deg: 60.0,
            rep_seconds: 2.2,
            hold_seconds: 0.0,
            pause_seconds: 0.8,
            lead_in_seconds: 1.2,
            tail_seconds: 0.8,
            valgus_deg: vec![5.0],
            wobble_deg: 0.0,
            wobble_hz: 2.5,
            pelvic_drop_deg: 1.0,
            trunk_lean_deg: 1.0,
            free_leg: FreeLeg::Behind,
            arms: Arms::Hips,
            camera_distance: 2.6,
            camera_height: 1.0,
            camera_yaw_deg: 0.0,
            fov_deg: 62.0,
            width: 540,
            height: 960,
            fps: 30.0,
            rotate: 0,
            body_height: 1.75,
            shoulder_scale: 1.0,
            hip_scale: 1.0,
            leg_scale: 1.0,
            girth_scale: 1.0,
            skin: "#d9a27e".into(),
            top: "#c8323c".into(),
            shorts: "#1e2a5a".into(),
            shoes: "#f0f0f0".into(),
            hair: "#3a2616".into(),
            wall: "#d8d2c4".into(),
            floor: "#9c7a58".into(),
            blur: 0.7,
            noise: 1.5,
            jpeg_quality: 0,
            codec: Codec::Auto,
            seed: 1,
            then_stance: None,
            roll_deg: 0.0,
            yaw_deg: 0.0,
            rear: false,
            sar: square_pixels(),
            crop_feet: false,
            turn: false,
        };
        match p {
            Preset::Good => base,
            Preset::Valgus => SynthConfig {
                valgus_deg: vec![22.0, 25.0, 27.0],
                wobble_deg: 3.0,
                wobble_hz: 2.0,
                pelvic_drop_deg: 8.0,
                trunk_lean_deg: 8.0,
                stance: Stance::Left,
                top: "#2a8a7a".into(),
                shorts: "#2b2b2b".into(),
                skin: "#b07850".into(),
                seed: 2,
                ..base
            },
            Preset::DoubleLeg => SynthConfig {
                stance: Stance::Both,
                depth_deg: 80.0,
                valgus_deg: vec![6.0],
                pelvic_drop_deg: 0.0,
                trunk_lean_deg: 0.0,
                top: "#3060b0".into(),
                shorts: "#202020".into(),
                seed: 3,
                ..base
            },
            Preset::BothLegs => SynthConfig {
                stance: Stance::Right,
                then_stance: Some(Stance::Left),
                valgus_deg: vec![5.0, 5.0, 5.0, 22.0, 25.0, 27.0],
                pelvic_drop_deg: 1.0,
                trunk_lean_deg: 1.0,
                top: "#7a4a9a".into(),
                seed: 4,
                ..base
            },
        }
    }

    pub fn validate(&self) -> Result<()> {
        let pos = |v: f64, name: &str| -> Result<()> {
            if !(v.is_finite() && v > 0.0) {
                return Err(Error::usage(format!(
                    "--{name} must be a positive number, got {v}"
                )));
            }
            Ok(())
        };
        let nonneg = |v: f64, name: &str| -> Result<()> {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::usage(format!("--{name} must be >= 0, got {v}")));
            }
            Ok(())
        };
        if self.reps == 0 || self.reps > 100 {
            return Err(Error::usage(format!(
                "--reps must be 1..=100, got {}",
                self.reps
            )));
        }
        if !(0.0..=120.0).contains(&self.depth_deg) {
            return Err(Error::usage(format!(
                "--depth-deg must be within 0..=120, got {}",
                self.depth_deg
            )));
        }
        pos(self.rep_seconds, "rep-seconds")?;
        for (v, n) in [
            (self.hold_seconds, "hold-seconds"),
            (self.pause_seconds, "pause-seconds"),
            (self.lead_in_seconds, "lead-in-seconds"),
            (self.tail_seconds, "tail-seconds"),
            (self.wobble_deg, "wobble-deg"),
            (self.wobble_hz, "wobble-hz"),
            (self.blur, "blur"),
            (self.noise, "noise"),
        ] {
            nonneg(v, n)?;
        }
        if self.valgus_deg.is_empty()
            || self
                .valgus_deg
                .iter()
                .any(|v| !v.is_finite() || v.abs() > 45.0)
        {
            return Err(Error::usage(
                "--valgus-deg needs one or more values within -45..=45",
            ));
        }
        if self.pelvic_drop_deg.abs() > 30.0 || !self.pelvic_drop_deg.is_finite() {
            return Err(Error::usage("--pelvic-drop-deg must be within -30..=30"));
        }
        if self.trunk_lean_deg.abs() > 30.0 || !self.trunk_lean_deg.is_finite() {
            return Err(Error::usage("--trunk-lean-deg must be within -30..=30"));
        }
        if !(0.8..=20.0).contains(&self.camera_distance) {
            return Err(Error::usage("--camera-distance must be within 0.8..=20 m"));
        }
        if !(0.1..=3.0).contains(&self.camera_height) {
            return Err(Error::usage("--camera-height must be within 0.1..=3 m"));
        }
        if self.camera_yaw_deg.abs() > 45.0 {
            return Err(Error::usage("--camera-yaw-deg must be within -45..=45"));
        }
        if !(10.0..=120.0).contains(&self.fov_deg) {
            return Err(Error::usage("--fov-deg must be within 10..=120"));
        }
        if self.width < 64 || self.height < 64 || self.width > 4096 || self.height > 4096 {
            return Err(Error::usage("--width/--height must be within 64..=4096"));
        }
        if !self.width.is_multiple_of(2) || !self.height.is_multiple_of(2) {
            return Err(Error::usage(
                "--width and --height must be even (H.264 needs even sizes)",
            ));
        }
        if !(1.0..=240.0).contains(&self.fps) {
            return Err(Error::usage("--fps must be within 1..=240"));
        }
        if ![0, 90, 180, 270].contains(&self.rotate) {
            return Err(Error::usage("--rotate must be 0, 90, 180 or 270"));
        }
        if !(1.0..=2.3).contains(&self.body_height) {
            return Err(Error::usage("--body-height must be within 1.0..=2.3 m"));
        }
        for (v, n) in [
            (self.shoulder_scale, "shoulder-scale"),
            (self.hip_scale, "hip-scale"),
            (self.leg_scale, "leg-scale"),
            (self.girth_scale, "girth-scale"),
        ] {
            if !(0.6..=1.6).contains(&v) {
                return Err(Error::usage(format!(
                    "--{n} must be within 0.6..=1.6, got {v}"
                )));
            }
        }
        for (v, n) in [
            (&self.skin, "skin"),
            (&self.top, "top"),
            (&self.shorts, "shorts"),
            (&self.shoes, "shoes"),
            (&self.hair, "hair"),
            (&self.wall, "wall"),
            (&self.floor, "floor"),
        ] {
            render::parse_colour(v).map_err(|e| Error::usage_caused(format_args!("--{n}"), e))?;
        }
        if self.jpeg_quality > 100 {
            return Err(Error::usage("--jpeg-quality must be 0..=100"));
        }
        if !self.roll_deg.is_finite() || self.roll_deg.abs() > 45.0 {
            return Err(Error::usage("--roll-deg must be within -45..=45"));
        }
        if !self.yaw_deg.is_finite() || self.yaw_deg.abs() > 90.0 {
            return Err(Error::usage("--yaw-deg must be within -90..=90"));
        }
        let [num, den] = self.sar;
        if num == 0 || den == 0 || num > 4 * den || den > 4 * num {
            return Err(Error::usage(
                "--sar must be NUM:DEN with both positive and within 1:4..=4:1",
            ));
        }
        let squeezed = self.width as u64 * den as u64;
        if num != den
            && (!squeezed.is_multiple_of(num as u64) || !(squeezed / num as u64).is_multiple_of(2))
        {
            return Err(Error::usage(
                "--sar: the squeezed width (width·den/num) must be a whole even number of pixels",
            ));
        }
        if self.turn && self.then_stance.is_some() {
            return Err(Error::usage(
                "--turn and a second stance (--then-stance, --preset both-legs) do not go together",
            ));
        }
        Ok(())
    }

    /// The clip's reps over all bouts (`reps` a bout).
    pub fn total_reps(&self) -> usize {
        let bouts = if self.then_stance.is_some() || self.turn {
            2
        } else {
            1
        };
        bouts * self.reps as usize
    }

    /// Stored frame width: squeezed by the sample aspect ratio.
    pub fn stored_display_width(&self) -> u32 {
        let [num, den] = self.sar;
        (self.width as u64 * den as u64 / num as u64) as u32
    }

    /// The requested peak FPPA of rep `i` (0-based): the list's last value repeats.
    pub fn valgus_for_rep(&self, i: usize) -> f64 {
        self.valgus_deg[i.min(self.valgus_deg.len() - 1)]
    }
}

/// What [`render_to`] produced.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SynthSummary {
    pub video: PathBuf,
    pub truth: PathBuf,
    pub frames: usize,
    pub reps: usize,
    pub width: u32,
    pub height: u32,
    pub fps: f64,
    pub codec: String,
    pub rotation: u32,
    pub bytes: u64,
}

/// `<dir>/<stem>.truth.json` for `<dir>/<stem>.mp4`.
pub fn truth_path(video: &Path) -> PathBuf {
    let stem = video
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "synth".into());
    video.with_file_name(format!("{stem}.truth.json"))
}

/// Render `cfg` to `out` (mp4) and `truth_path(out)`.
pub fn render_to(cfg: &SynthConfig, out: &Path) -> Result<SynthSummary> {
    cfg.validate()?;
    let anim = kinematics::animate(cfg);
    let mut renderer = render::Renderer::new(cfg, &anim)?;
    let written = video::write_video(cfg, out, anim.frames.len(), |i| {
        renderer.render(&anim.frames[i], i)
    })?;
    let truth = truth::build(cfg, &anim, out, &written);
    let tpath = truth_path(out);
    let json = serde_json::to_vec(&truth)
        .map_err(|e| Error::output_caused(&tpath, "cannot encode the ground truth", e))?;
    crate::output::atomic::write_atomically(&tpath, &json)?;
    Ok(SynthSummary {
        video: out.to_path_buf(),
        truth: tpath,
        frames: anim.frames.len(),
        reps: anim.reps.len(),
        width: cfg.width,
        height: cfg.height,
        fps: cfg.fps,
        codec: written.codec.clone(),
        rotation: cfg.rotate,
        bytes: std::fs::metadata(out).map(|m| m.len()).unwrap_or(0),
    })
}
