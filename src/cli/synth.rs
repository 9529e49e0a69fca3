//! `kneetrack synth`: the flags of the synthetic squatter, put over a preset's configuration.
//!
//! The flags are listed once, here: the library's [`SynthConfig`] lists every control once, and
//! [`SynthArgs::config`] is the merge of the two.
use super::value_enum::value_enum_for;
use kneetrack::synth::{self, Arms, Codec, FreeLeg, Preset, Stance, SynthConfig};
use kneetrack::Error;
use std::path::PathBuf;

value_enum_for! {
    /// Built-in scenarios; any explicit flag overrides the preset's value.
    PresetArg => Preset {
        /// Single-leg squats on the right leg, good control: FPPA peaks ~5°, no wobble.
        Good,
        /// Clear dynamic valgus: FPPA peaks ~25°, knee wobble, 8° pelvic drop, trunk lean.
        Valgus,
        /// Both feet planted, both legs squat.
        DoubleLeg,
        /// Right leg (good, ~5°), a step, then left leg (valgus, ~25°) in one clip.
        BothLegs,
    }
}

value_enum_for! {
    /// Which leg carries the body. `both` = double-leg squat.
    StanceArg => Stance {
        Left,
        Right,
        Both,
    }
}

value_enum_for! {
    /// Where the free (non-stance) leg is held during a single-leg squat.
    FreeLegArg => FreeLeg {
        /// Knee bent ~90°, foot behind the body.
        Behind,
        /// Hip flexed, leg held forward with the foot off the floor.
        Forward,
    }
}

value_enum_for! {
    /// Arm position.
    ArmsArg => Arms {
        /// Hands on the hips, elbows out.
        Hips,
        /// Arms held forward at chest height.
        Forward,
    }
}

value_enum_for! {
    /// Video codec choice.
    CodecArg => Codec {
        /// H.264 if the OpenCV build can write it, else MPEG-4 Part 2 (mp4v).
        Auto,
        H264,
        Mp4v,
    }
}

/// `kneetrack synth`: render a synthetic squat clip plus its ground truth. Every flag is optional;
/// unset flags take the value of the chosen `--preset`.
#[derive(clap::Args, Debug)]
pub struct SynthArgs {
    /// Output video (.mp4). The ground truth is written next to it as <stem>.truth.json.
    #[arg(long, short, default_value = "synth.mp4")]
    pub out: PathBuf,
    /// Scenario supplying the defaults.
    #[arg(long, value_enum, default_value_t = PresetArg::Good)]
    pub preset: PresetArg,
    /// Stance leg (the person's own side); `both` = double-leg squat.
    #[arg(long, value_enum)]
    pub stance: Option<StanceArg>,
    /// Shorthand for `--stance both`.
    #[arg(long)]
    pub double_leg: bool,
    /// Number of squats.
    #[arg(long)]
    pub reps: Option<u32>,
    /// Knee flexion at the bottom of each rep, degrees (half squat ≈ 60).
    #[arg(long)]
    pub depth_deg: Option<f64>,
    /// Duration of one rep (down + up), seconds.
    #[arg(long)]
    pub rep_seconds: Option<f64>,
    /// Hold at the bottom, seconds.
    #[arg(long)]
    pub hold_seconds: Option<f64>,
    /// Standing pause between reps, seconds.
    #[arg(long)]
    pub pause_seconds: Option<f64>,
    /// Standing still before the first rep, seconds.
    #[arg(long)]
    pub lead_in_seconds: Option<f64>,
    /// Standing still after the last rep, seconds.
    #[arg(long)]
    pub tail_seconds: Option<f64>,
    /// Peak FPPA (knee valgus, degrees, positive = medial) at the bottom of each rep: one value for
    /// all reps or a comma-separated list (the last value repeats).
    #[arg(long, value_delimiter = ',', allow_negative_numbers = true)]
    pub valgus_deg: Option<Vec<f64>>,
    /// Knee wobble: medio-lateral oscillation amplitude in FPPA degrees (zero at standing and at the
    /// bottom, largest mid-descent/ascent).
    #[arg(long)]
    pub wobble_deg: Option<f64>,
    /// Knee wobble frequency, Hz.
    #[arg(long)]
    pub wobble_hz: Option<f64>,
    /// Contralateral pelvic drop at the bottom, degrees (free hip lower = positive).
    #[arg(long, allow_negative_numbers = true)]
    pub pelvic_drop_deg: Option<f64>,
    /// Lateral trunk lean at the bottom, degrees (towards the stance side = positive).
    #[arg(long, allow_negative_numbers = true)]
    pub trunk_lean_deg: Option<f64>,
    /// Free-leg position in single-leg squats.
    #[arg(long, value_enum)]
    pub free_leg: Option<FreeLegArg>,
    /// Arm position.
    #[arg(long, value_enum)]
    pub arms: Option<ArmsArg>,
    /// Camera distance from the person, metres.
    #[arg(long)]
    pub camera_distance: Option<f64>,
    /// Camera (lens) height above the floor, metres.
    #[arg(long)]
    pub camera_height: Option<f64>,
    /// Camera yaw around the person, degrees (small values: a not-quite-frontal view).
    #[arg(long, allow_negative_numbers = true)]
    pub camera_yaw_deg: Option<f64>,
    /// Vertical field of view of the upright frame, degrees.
    #[arg(long)]
    pub fov_deg: Option<f64>,
    /// Width of the upright (display) frame, pixels.
    #[arg(long)]
    pub width: Option<u32>,
    /// Height of the upright (display) frame, pixels.
    #[arg(long)]
    pub height: Option<u32>,
    /// Frames per second.
    #[arg(long)]
    pub fps: Option<f64>,
    /// Rotation tag in degrees clockwise (0, 90, 180, 270): the frames are stored rotated and the
    /// mp4 is tagged so players show them upright, like a phone video. Needs the ffmpeg CLI.
    #[arg(long)]
    pub rotate: Option<u32>,
    /// Body height, metres.
    #[arg(long)]
    pub body_height: Option<f64>,
    /// Shoulder width multiplier (1 = average).
    #[arg(long)]
    pub shoulder_scale: Option<f64>,
    /// Hip width multiplier (1 = average).
    #[arg(long)]
    pub hip_scale: Option<f64>,
    /// Leg length multiplier (1 = average; the total body height is kept).
    #[arg(long)]
    pub leg_scale: Option<f64>,
    /// Limb girth multiplier (1 = average).
    #[arg(long)]
    pub girth_scale: Option<f64>,
    /// Skin colour, #rrggbb.
    #[arg(long)]
    pub skin: Option<String>,
    /// Top (shirt) colour, #rrggbb.
    #[arg(long)]
    pub top: Option<String>,
    /// Shorts colour, #rrggbb.
    #[arg(long)]
    pub shorts: Option<String>,
    /// Shoe colour, #rrggbb.
    #[arg(long)]
    pub shoes: Option<String>,
    /// Hair colour, #rrggbb.
    #[arg(long)]
    pub hair: Option<String>,
    /// Wall colour, #rrggbb.
    #[arg(long)]
    pub wall: Option<String>,
    /// Floor colour, #rrggbb.
    #[arg(long)]
    pub floor: Option<String>,
    /// Gaussian blur sigma in pixels (camera softness; 0 = none).
    #[arg(long)]
    pub blur: Option<f64>,
    /// Sensor noise standard deviation in 8-bit levels (0 = none).
    #[arg(long)]
    pub noise: Option<f64>,
    /// Extra JPEG round-trip per frame at this quality (1-100; 0 = off) to imitate compression.
    #[arg(long)]
    pub jpeg_quality: Option<u32>,
    /// Video codec.
    #[arg(long, value_enum)]
    pub codec: Option<CodecArg>,
    /// Random seed (wobble phase, noise).
    #[arg(long)]
    pub seed: Option<u64>,
    /// After the reps, a step onto both feet and as many reps on this leg (a second bout).
    #[arg(long, value_enum)]
    pub then_stance: Option<StanceArg>,
    /// Camera roll: the picture turned clockwise by this many degrees (a phone held askew).
    #[arg(long, allow_negative_numbers = true)]
    pub roll_deg: Option<f64>,
    /// The person turned this many degrees from facing the camera (45 = an oblique view); the knee
    /// is posed in their own frontal plane, so the truth is the frontal-plane angle.
    #[arg(long, allow_negative_numbers = true)]
    pub yaw_deg: Option<f64>,
    /// Filmed from behind: the person faces away from the camera.
    #[arg(long)]
    pub rear: bool,
    /// Store the frames squeezed with this sample aspect ratio, NUM:DEN (e.g. 2:1: half as wide,
    /// tagged so players stretch them back). Needs the ffmpeg CLI.
    #[arg(long, value_parser = parse_sar)]
    pub sar: Option<[u32; 2]>,
    /// A camera following the head down: the feet leave the picture at each rep's bottom.
    #[arg(long)]
    pub crop_feet: bool,
    /// Film the reps side-on first, then the person turns to the camera and does them again.
    #[arg(long)]
    pub turn: bool,
}

/// `NUM:DEN` (or `NUM/DEN`) with both positive.
fn parse_sar(s: &str) -> Result<[u32; 2], String> {
    let bad = || format!("expected NUM:DEN such as 2:1, got {s:?}");
    let (n, d) = s.split_once([':', '/']).ok_or_else(bad)?;
    let n: u32 = n.trim().parse().map_err(|_| bad())?;
    let d: u32 = d.trim().parse().map_err(|_| bad())?;
    if n == 0 || d == 0 {
        return Err(bad());
    }
    Ok([n, d])
}

impl SynthArgs {
    /// The chosen preset's configuration with every flag that was given put over it. Not yet
    /// checked: rendering checks it ([`SynthConfig::validate`]).
    pub fn config(&self) -> SynthConfig {
        let mut c = SynthConfig::preset(self.preset.into());
        macro_rules! take {
            ($($f:ident),*) => { $( if let Some(v) = &self.$f { c.$f = v.clone().into(); } )* };
        }
        take!(
            stance,
            reps,
            depth_deg,
            rep_seconds,
            hold_seconds,
            pause_seconds,
            lead_in_seconds,
            tail_seconds,
            valgus_deg,
            wobble_deg,
            wobble_hz,
            pelvic_drop_deg,
            trunk_lean_deg,
            free_leg,
            arms,
            camera_distance,
            camera_height,
            camera_yaw_deg,
            fov_deg,
            width,
            height,
            fps,
            rotate,
            body_height,
            shoulder_scale,
            hip_scale,
            leg_scale,
            girth_scale,
            skin,
            top,
            shorts,
            shoes,
            hair,
            wall,
            floor,
            blur,
            noise,
            jpeg_quality,
            codec,
            seed,
            roll_deg,
            yaw_deg,
            sar
        );
        if let Some(s) = self.then_stance {
            c.then_stance = Some(s.into());
        }
        if self.double_leg {
            c.stance = Stance::Both;
        }
        c.rear |= self.rear;
        c.crop_feet |= self.crop_feet;
        c.turn |= self.turn;
        c
    }
}

/// `kneetrack synth`: renders the clip and its ground truth and says what was written.
pub fn run(args: &SynthArgs) -> Result<(), Error> {
    let summary = synth::render_to(&args.config(), &args.out)?;
    super::stdout::line(&format!(
        "wrote {} ({}x{} @ {} fps, {} frames, {} reps) and {}",
        summary.video.display(),
        summary.width,
        summary.height,
        summary.fps,
        summary.frames,
        summary.reps,
        summary.truth.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;

    fn config_of(flags: &[&str]) -> SynthConfig {
        let argv = ["kneetrack", "synth"].iter().chain(flags);
        match Cli::try_parse_from(argv).unwrap().command {
            Command::Synth(args) => args.config(),
            _ => unreachable!("parsed as synth"),
        }
    }

    #[test]
    fn no_flags_leave_the_preset_as_it_is() {
        assert_eq!(config_of(&[]), SynthConfig::preset(Preset::Good));
        for (name, preset) in [
            ("good", Preset::Good),
            ("valgus", Preset::Valgus),
            ("double-leg", Preset::DoubleLeg),
            ("both-legs", Preset::BothLegs),
        ] {
            assert_eq!(config_of(&["--preset", name]), SynthConfig::preset(preset));
        }
    }

    #[test]
    fn flags_override_the_preset() {
        let c = config_of(&["--preset", "valgus", "--reps", "2", "--double-leg"]);
        assert_eq!(c.reps, 2);
        assert_eq!(c.stance, Stance::Both);
        assert_eq!(c.pelvic_drop_deg, 8.0, "the preset's value stays");
        let c = config_of(&[
            "--stance",
            "left",
            "--free-leg",
            "forward",
            "--arms",
            "forward",
            "--codec",
            "mp4v",
            "--valgus-deg",
            "10,-4",
            "--top",
            "#112233",
            "--seed",
            "9",
        ]);
        assert_eq!(
            (c.stance, c.free_leg, c.arms, c.codec),
            (Stance::Left, FreeLeg::Forward, Arms::Forward, Codec::Mp4v)
        );
        assert_eq!(c.valgus_deg, [10.0, -4.0]);
        assert_eq!((c.top.as_str(), c.seed), ("#112233", 9));
        let c = config_of(&[
            "--roll-deg",
            "-4",
            "--yaw-deg",
            "45",
            "--rear",
            "--sar",
            "2:1",
            "--crop-feet",
            "--turn",
            "--then-stance",
            "left",
        ]);
        assert_eq!((c.roll_deg, c.yaw_deg, c.sar), (-4.0, 45.0, [2, 1]));
        assert!(c.rear && c.crop_feet && c.turn);
        assert_eq!(c.then_stance, Some(Stance::Left));
        assert!(c.validate().is_err(), "--turn with a second stance");
    }

    #[test]
    fn out_of_range_flags_are_usage_errors() {
        for flags in [["--width", "101"], ["--top", "red"], ["--rotate", "45"]] {
            let e = config_of(&flags).validate().unwrap_err();
            assert!(matches!(e, Error::Usage { .. }), "{flags:?}: {e:?}");
        }
    }
}
