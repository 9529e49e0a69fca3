//! The HTML report (`--html`): one self-contained file — verdict banner, reasons, each leg's
//! verdict and left against right, the bouts (a clip of several), advice, a per-rep table, plots
//! over time as inline SVG, annotated key frames as embedded JPEGs, warnings, clip information and
//! the disclaimer. No scripts, no external resources. Every piece of text that
//! comes from the input (file names, paths, reasons) goes through [`escape`].
//!
//! This file lays out the page; `legs_and_bouts` makes its legs and bouts sections, `rep_table` its
//! table of reps, `over_time` its plots, `plot` draws a plot as SVG and `text` holds the escaping,
//! base64, colour and number helpers. The rep
//! table and the plots loop over the metric table (`assess::metric_table`).
mod legs_and_bouts;
mod over_time;
mod pictures;
pub mod plot;
mod rep_table;
mod text;
mod video;

pub use over_time::verdict_bands;
pub use text::{base64, escape, relative_href, verdict_css};
pub use video::VideoEmbed;

use crate::assess::{Stance, Verdict};
use crate::clip::ClipAnalysis;
use crate::error::Result;
use crate::output::annotate::KeyFrame;
use crate::output::bout_and_leg_text::several_bouts;
use crate::output::report::{self, DISCLAIMER};
use over_time::standard_plots;
use plot::svg_plot;
use std::fmt::Write as _;
use std::path::Path;

fn stance_text(s: Stance) -> String {
    match s {
        Stance::SingleLeg { side, image_side } => {
            format!("single-leg squat on the {} leg ({image_side})", side.name())
        }
        Stance::DoubleLeg => "double-leg squat".into(),
        Stance::Several => "several bouts (see each)".into(),
        Stance::Unknown => "stance not determined".into(),
    }
}

fn banner_text(v: Verdict) -> &'static str {
    match v {
        Verdict::Good => "gluteal control",
        Verdict::Fair => "gluteal control",
        Verdict::Poor => "gluteal control",
        Verdict::Inconclusive => "— no verdict from this clip",
    }
}

fn list(out: &mut String, class: &str, title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = write!(
        out,
        r#"<section class="{class}"><h2>{}</h2><ul>"#,
        escape(title)
    );
    for i in items {
        let _ = write!(out, "<li>{}</li>", escape(i));
    }
    out.push_str("</ul></section>");
}

/// The report's style sheet; `kneetrack history` pages share it.
pub const STYLE: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;background:#f4f4f2;color:#1d1d1d;line-height:1.45}
main{max-width:980px;margin:0 auto;padding:24px 20px 40px}
h1{font-size:22px;margin:0 0 4px;word-break:break-all}
h2{font-size:17px;margin:26px 0 8px}
.sub{color:#555;margin:0 0 16px}
.banner{color:#fff;border-radius:10px;padding:18px 22px;font-size:26px;font-weight:700;letter-spacing:.5px}
.banner small{display:block;font-size:15px;font-weight:400;opacity:.95;margin-top:4px}
section{background:#fff;border-radius:10px;padding:4px 18px 12px;margin-top:14px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
ul{margin:6px 0;padding-left:22px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{padding:6px 8px;border-bottom:1px solid #e4e4e4;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}
th{background:#fafafa;font-weight:600}
.badge{display:inline-block;color:#fff;border-radius:4px;padding:1px 8px;font-weight:600;font-size:13px}
.warnings li{color:#8a5300}
.frames{display:flex;flex-wrap:wrap;gap:12px}
figure{margin:0;flex:1 1 200px;max-width:300px}
figure img{width:100%;border-radius:6px;display:block}
figcaption{font-size:13px;color:#444;margin-top:4px}
h3{font-size:15px;margin:14px 0 6px}
.pics{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,150px),1fr));gap:10px;align-items:start}
.pics.two{grid-template-columns:repeat(2,minmax(0,1fr));max-width:640px}
.pics figure,.leg-pic figure{max-width:none;min-width:0}
.pics img{height:auto}
video{display:block;width:100%;max-height:80vh;border-radius:6px;background:#000}
.leg-pic{display:grid;gap:8px;min-width:0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;font-size:14px}
dt{color:#666}dd{margin:0;word-break:break-all}
.note{font-size:13px;color:#555;margin-top:22px}
.back{display:inline-block;margin:0 0 10px;font-size:14px}
.plot svg{display:block}
.plot svg.narrow{display:none}
.glossary dl{grid-template-columns:max-content minmax(0,1fr)}
.glossary dd{word-break:normal}
@media (max-width:640px){
main{padding:14px 10px 30px}
h1{font-size:19px}
section{padding:4px 12px 10px}
.banner{font-size:21px;padding:14px 16px}
table{display:block;overflow-x:auto;max-width:100%;font-size:12px}
th,td{padding:5px 3px}th{white-space:normal;vertical-align:bottom}
.when{display:none}
.plot svg.wide{display:none}
.plot svg.narrow{display:block}
figure{max-width:none}
dl{grid-template-columns:minmax(0,max-content) minmax(0,1fr)}
.glossary dl{display:block}.glossary dd{margin:0 0 8px}
}
";

/// What the words the report uses mean, for a runner reading it without a physiotherapist.
pub const GLOSSARY: &[(&str, &str)] = &[
    (
        "FPPA",
        "Frontal-plane projection angle: the angle between the thigh (hip to knee) and the shin (knee to ankle) as the camera sees them from the front. 0° is a straight line; a positive angle means the knee moves inward (valgus).",
    ),
    (
        "drift",
        "How far the knee sits sideways from the ankle at the bottom of a rep, in shank lengths; positive is inward.",
    ),
    (
        "shank length",
        "The length of the shin, knee to ankle, in the picture: drift is measured in it, so the number does not depend on how far away the camera stood.",
    ),
    (
        "frontal ratio",
        "Shoulder and hip width over torso length: about 0.6 when facing the camera, near 0 from the side. Below 0.25 is a side view (not judged), below 0.4 an oblique one.",
    ),
    (
        "image-right",
        "The right-hand side of the picture. Facing the camera, your left leg shows on the image right.",
    ),
    (
        "pelvic drop, trunk lean",
        "How far the hip line tilts (free side lower) and the upper body leans over the standing leg during a rep, above standing.",
    ),
];

/// Builds the report. `key_frames`: the annotated frames of [`crate::output::pictures`]
/// (rep bottoms with their knee crops, standing frames; the middle frame of a clip without reps).
/// `index`: the link back to the batch's index page (relative to this report's folder), if any.
/// `video`: the annotated video (`--video`), embedded or linked.
pub fn to_html(
    analysis: &ClipAnalysis,
    key_frames: &[KeyFrame],
    index: Option<&str>,
    video: Option<&VideoEmbed>,
) -> String {
    let a = &analysis.assessment;
    let info = &analysis.info;
    let name = info
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| info.path.display().to_string());
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>kneetrack — {}</title><style>{STYLE}</style></head><body><main>",
        escape(&name)
    );
    if let Some(index) = index {
        let _ = write!(
            o,
            r#"<a class="back" href="{}">← all clips</a>"#,
            escape(index)
        );
    }
    let _ = write!(
        o,
        r#"<h1>{}</h1><p class="sub">Single-leg squat screen · {} · {}</p>"#,
        escape(&name),
        escape(&stance_text(a.stance)),
        report::count(a.reps.len(), "rep", "reps")
    );
    let _ = write!(
        o,
        r#"<div class="banner" id="verdict" data-verdict="{v}" style="background:{c}">{V} {b}<small>Verdict: {v}</small></div>"#,
        v = a.verdict.label(),
        V = a.verdict.label().to_uppercase(),
        c = verdict_css(a.verdict),
        b = banner_text(a.verdict)
    );
    list(&mut o, "reasons", "Why", &a.reasons);
    legs_and_bouts::legs_section(&mut o, a);
    pictures::legs_section(&mut o, a, key_frames);
    legs_and_bouts::bouts_section(&mut o, a);
    list(&mut o, "advice", "Advice", &a.advice);
    list(&mut o, "warnings", "Capture warnings", &a.warnings);

    let several = several_bouts(a);
    rep_table::reps_section(&mut o, &a.reps, several);

    // With no rep there is nothing to plot: the frame that shows why comes first instead.
    if a.reps.is_empty() {
        why_frame(&mut o, analysis, key_frames);
    } else {
        plots_section(&mut o, analysis, several);
    }
    pictures::reps_section(&mut o, analysis, key_frames, several);
    if let Some(v) = video {
        video::section(&mut o, v);
    }
    info_section(&mut o, analysis, &name, several);
    o.push_str("<section class=\"glossary\"><h2>Words used here</h2><dl>");
    for (term, meaning) in GLOSSARY {
        let _ = write!(o, "<dt>{}</dt><dd>{}</dd>", escape(term), escape(meaning));
    }
    o.push_str("</dl></section>");
    let _ = write!(
        o,
        r#"<p class="note disclaimer">{}</p></main></body></html>"#,
        escape(DISCLAIMER)
    );
    o.push('\n');
    o
}

/// An inconclusive clip without reps: the middle frame, annotated, with the reason.
fn why_frame(o: &mut String, analysis: &ClipAnalysis, key_frames: &[KeyFrame]) {
    let Some(KeyFrame {
        position: pos,
        jpeg,
        ..
    }) = key_frames.first()
    else {
        return;
    };
    let a = &analysis.assessment;
    let t = analysis.observations.get(*pos).map_or(0.0, |f| f.t_s);
    let reason = a
        .reasons
        .first()
        .cloned()
        .unwrap_or_else(|| "no complete reps were found".into());
    let caption = format!("The clip at {t:.1} s, as the pose model saw it: {reason}");
    let _ = write!(
        o,
        r#"<section class="why-frame"><h2>What the camera saw</h2><div class="frames"><figure><img alt="{c}" src="data:image/jpeg;base64,{}"><figcaption>{c}</figcaption></figure></div></section>"#,
        base64(jpeg),
        c = escape(&caption)
    );
}

fn plots_section(o: &mut String, analysis: &ClipAnalysis, several: bool) {
    let th = &analysis.assessment.thresholds;
    o.push_str("<section class=\"plots\"><h2>Over time</h2>");
    for p in standard_plots(analysis, th) {
        o.push_str(&svg_plot(&p));
    }
    let _ = write!(
        o,
        "<p class=\"sub\">Shaded: reps (label and outline in the rep&#39;s verdict colour, dashed line = bottom).{} Zones: FPPA good ≤ {:.0}°, poor ≥ {:.0}°; \
         drift fair ≥ {:.0}%, poor ≥ {:.0}% of shank length.</p></section>",
        if several {
            " Tinted: the bouts, each leg drawn in its own bouts (blank between bouts: not judged); \
             pelvis and trunk only in the bout whose standing they are measured from."
        } else {
            ""
        },
        th.fppa_good_max_deg,
        th.fppa_poor_min_deg,
        th.drift_fair_min * 100.0,
        th.drift_poor_min * 100.0
    );
}

fn info_section(o: &mut String, analysis: &ClipAnalysis, name: &str, several: bool) {
    let a = &analysis.assessment;
    let info = &analysis.info;
    let duration = a.frames.last().map_or(0.0, |f| f.t_s);
    let mut rows: Vec<(&str, String)> = vec![
        ("file", name.to_string()),
        ("path", info.path.display().to_string()),
        (
            "video",
            format!(
                "{}×{} (display) @ {:.2} fps, {} frames, {:.1} s, codec {}{}",
                info.width,
                info.height,
                info.fps,
                analysis.observations_count,
                duration,
                info.codec,
                if info.orientation.rotation_cw != 0 {
                    format!(", rotated {}°", info.orientation.rotation_cw)
                } else {
                    String::new()
                }
            ),
        ),
        ("pose model", analysis.model.clone()),
        (
            "body seen",
            format!("{:.0}% of frames", a.confident_fraction * 100.0),
        ),
    ];
    if let Some(fr) = a.frontal_ratio {
        rows.push((
            "frontal ratio",
            format!("{fr:.2} (about 0.6 = facing the camera)"),
        ));
    }
    if several {
        for b in &a.bouts {
            for (side, v) in &b.standing_fppa_deg {
                let text = format!("{} {v:.1}° (bout {})", side.name(), b.number);
                rows.push(("standing FPPA", text));
            }
        }
    } else {
        for (side, v) in &a.standing_fppa_deg {
            rows.push(("standing FPPA", format!("{} {v:.1}°", side.name())));
        }
    }
    rows.push((
        "analysis time",
        format!(
            "decode {:.1} s, pose {:.1} s",
            analysis.timing.decode_s, analysis.timing.pose_s
        ),
    ));
    rows.push((
        "kneetrack",
        format!(
            "{} (report schema {})",
            env!("CARGO_PKG_VERSION"),
            report::SCHEMA_VERSION
        ),
    ));
    o.push_str("<section class=\"info\"><h2>Clip</h2><dl>");
    for (k, v) in rows {
        let _ = write!(o, "<dt>{}</dt><dd>{}</dd>", escape(k), escape(&v));
    }
    o.push_str("</dl></section>");
}

/// Writes the report atomically; `index`: the batch's index page, linked from the top.
pub fn write_html(
    analysis: &ClipAnalysis,
    path: &Path,
    key_frames: &[KeyFrame],
    index: Option<&Path>,
    video: Option<&VideoEmbed>,
) -> Result<()> {
    let folder = path.parent().unwrap_or(Path::new(""));
    let back = index.map(|i| relative_href(folder, i));
    crate::output::atomic::write_atomically(
        path,
        to_html(analysis, key_frames, back.as_deref(), video).as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixture::{squat_clip, two_bout_clip};

    #[test]
    fn two_bouts_show_legs_bouts_and_each_reps_bout() {
        let clip = two_bout_clip();
        let page = to_html(&clip, &[], None, None);
        let at = |needle: &str| page.find(needle).unwrap_or_else(|| panic!("no {needle}"));
        assert!(at("<section class=\"reasons\">") < at("<section class=\"legs\">"));
        assert!(at("<section class=\"legs\">") < at("<section class=\"bouts\">"));
        assert!(at("<section class=\"bouts\">") < at("<section class=\"reps\">"));
        // Left against right once, with the legs, not among the reasons.
        let text = escape(&clip.assessment.comparison.as_ref().unwrap().text);
        assert_eq!(page.matches(text.as_str()).count(), 1);
        assert!(at(&text) > at("<section class=\"legs\">"));
        assert!(page.contains("<th>#</th><th>bout</th>"));
        assert_eq!(
            page.matches("class=\"stretch\"").count(),
            2 * 5 * 2,
            "two bouts in 5 plots, each drawn wide and narrow"
        );
        assert!(page.contains("(bout 2)</dd>"));
    }

    #[test]
    fn one_bout_has_no_bouts_section_or_bout_column() {
        let page = to_html(&squat_clip(), &[], Some("./index.html"), None);
        assert!(page.contains("<section class=\"legs\">"));
        assert!(!page.contains("class=\"bouts\"") && !page.contains("<th>bout</th>"));
        assert!(!page.contains("class=\"stretch\"") && !page.contains("Tinted"));
        assert!(page.contains(r#"<a class="back" href="./index.html">"#));
        assert!(page.contains("<dt>FPPA</dt>") && page.contains("<dt>image-right</dt>"));
    }
}
