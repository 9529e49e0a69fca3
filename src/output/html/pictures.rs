//! The report's pictures: per rep, its bout's standing frame, the bottom frame and the zoomed
//! knee-over-foot crop side by side; and, when both legs were tested, each leg's worst rep bottom
//! side by side with its peak FPPA. Every picture is an embedded JPEG that scales to its card.
use super::text::{base64, escape, value_or_dash};
use crate::assess::{Assessment, Rep};
use crate::clip::ClipAnalysis;
use crate::output::annotate::KeyFrame;
use crate::output::pictures::{
    bottom_position, standing_positions, worst_rep_per_leg, MAX_PICTURED_REPS,
};
use std::fmt::Write as _;

fn figure(o: &mut String, class: &str, jpeg: &[u8], caption: &str) {
    let _ = write!(
        o,
        r#"<figure class="{class}"><img alt="{c}" src="data:image/jpeg;base64,{}"><figcaption>{c}</figcaption></figure>"#,
        base64(jpeg),
        c = escape(caption)
    );
}

fn frame_at(key_frames: &[KeyFrame], pos: usize) -> Option<&KeyFrame> {
    key_frames.iter().find(|k| k.position == pos)
}

fn rep_heading(r: &Rep, several: bool) -> String {
    let fppa: Vec<String> = r
        .legs
        .iter()
        .map(|l| {
            format!(
                "{} peak FPPA {}",
                l.side.name(),
                value_or_dash(l.peak_fppa_deg, 0, "°")
            )
        })
        .collect();
    let bout = if several {
        format!(" (bout {})", r.bout)
    } else {
        String::new()
    };
    format!(
        "Rep {}{bout} — {} — {}",
        r.number,
        fppa.join(", "),
        r.verdict.label()
    )
}

/// Appends "Each rep: standing and bottom", when a rep was pictured.
pub fn reps_section(
    o: &mut String,
    analysis: &ClipAnalysis,
    key_frames: &[KeyFrame],
    several: bool,
) {
    let a = &analysis.assessment;
    if a.reps.is_empty() || key_frames.is_empty() {
        return;
    }
    let standing = standing_positions(a);
    o.push_str(
        "<section class=\"keyframes\"><h2>Each rep: standing and bottom</h2>\
         <p class=\"sub\">Standing (the frame the rep is measured from), the bottom of the rep, and the knee over the foot zoomed in: \
         hip–knee–ankle lines in the colour of the knee angle&#39;s zone, the dashed line straight up from the ankle.</p>",
    );
    for r in a.reps.iter().take(MAX_PICTURED_REPS) {
        let Some(bottom) = bottom_position(a, r).and_then(|p| frame_at(key_frames, p)) else {
            continue;
        };
        let _ = write!(
            o,
            r#"<div class="rep-pics" data-rep="{}"><h3>{}</h3><div class="pics">"#,
            r.number,
            escape(&rep_heading(r, several))
        );
        let stand = standing
            .iter()
            .find(|(b, _)| *b == r.bout || a.bouts.is_empty())
            .and_then(|(_, p)| frame_at(key_frames, *p));
        if let Some(s) = stand {
            let t = a.frames.get(s.position).map_or(0.0, |f| f.t_s);
            figure(o, "standing", &s.jpeg, &format!("Standing at {t:.1} s"));
        }
        figure(
            o,
            "bottom",
            &bottom.jpeg,
            &format!("Bottom at {:.2} s", r.bottom_s),
        );
        for (side, crop) in &bottom.crops {
            let at_bottom = r
                .legs
                .iter()
                .find(|l| l.side == *side)
                .and_then(|l| l.fppa_at_bottom_deg);
            figure(
                o,
                "crop",
                crop,
                &format!(
                    "{} knee over foot, FPPA {} at the bottom",
                    side.name(),
                    value_or_dash(at_bottom, 0, "°")
                ),
            );
        }
        o.push_str("</div></div>");
    }
    if a.reps.len() > MAX_PICTURED_REPS {
        let _ = write!(
            o,
            r#"<p class="sub">The first {MAX_PICTURED_REPS} of {} reps are pictured; the table lists them all.</p>"#,
            a.reps.len()
        );
    }
    o.push_str("</section>");
}

/// Appends "Left leg against right leg": each leg's rep with its largest peak FPPA, bottom frame
/// beside bottom frame, when both legs were tested.
pub fn legs_section(o: &mut String, a: &Assessment, key_frames: &[KeyFrame]) {
    let worst: Vec<_> = worst_rep_per_leg(a)
        .into_iter()
        .filter_map(|(side, r)| {
            let k = bottom_position(a, r).and_then(|p| frame_at(key_frames, p))?;
            Some((side, r, k))
        })
        .collect();
    if worst.len() < 2 {
        return;
    }
    o.push_str(
        "<section class=\"leg-pics\"><h2>Left leg against right leg</h2>\
         <p class=\"sub\">Each leg at the bottom of its rep with the largest peak FPPA.</p><div class=\"pics two\">",
    );
    for (side, r, k) in worst {
        let leg = r.legs.iter().find(|l| l.side == side);
        let caption = format!(
            "{} leg — rep {} at {:.2} s, peak FPPA {} — {}",
            side.name(),
            r.number,
            r.bottom_s,
            value_or_dash(leg.and_then(|l| l.peak_fppa_deg), 0, "°"),
            leg.map_or(r.verdict, |l| l.verdict).label()
        );
        let jpeg = k
            .crops
            .iter()
            .find(|(s, _)| *s == side)
            .map_or(&k.jpeg, |(_, c)| c);
        let _ = write!(o, r#"<div class="leg-pic" data-leg="{}">"#, side.name());
        figure(o, "bottom", &k.jpeg, &caption);
        if !std::ptr::eq(jpeg, &k.jpeg) {
            figure(
                o,
                "crop",
                jpeg,
                &format!("{} knee over foot, zoomed", side.name()),
            );
        }
        o.push_str("</div>");
    }
    o.push_str("</div></section>");
}
