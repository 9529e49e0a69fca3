//! When a clip was filmed, for `kneetrack history`: the container's `creation_time` tag (what
//! phones write, in UTC) read with the `ffprobe` CLI where it is installed, else the file's
//! modification time. OpenCV 4.6 does not expose container tags.
use serde::Serialize;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

/// The moment a clip was recorded, and where that came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recorded {
    /// UTC, RFC 3339 to the second: "2026-03-01T09:30:00Z".
    pub at: String,
    /// "metadata" (the container's creation_time) or "file_time" (the file's modification time).
    pub source: &'static str,
}

/// When `clip` was recorded: its metadata, else its file time; `None` when neither is known.
pub fn recorded_at(clip: &Path) -> Option<Recorded> {
    if let Some(at) = ffprobe_creation_time(clip) {
        return Some(Recorded {
            at,
            source: "metadata",
        });
    }
    let modified = std::fs::metadata(clip).ok()?.modified().ok()?;
    Some(Recorded {
        at: rfc3339(modified),
        source: "file_time",
    })
}

fn ffprobe_creation_time(clip: &Path) -> Option<String> {
    let out = super::probe::ffprobe(
        clip,
        &[
            "-show_entries",
            "format_tags=creation_time",
            "-of",
            "default=noprint_wrappers=1:nokey=1",
        ],
    )?;
    normalise(String::from_utf8_lossy(&out).trim())
}

/// "2026-03-01T09:30:00.000000Z" → "2026-03-01T09:30:00Z"; anything else (a zero date that some
/// encoders write, a local time without zone) → `None`.
fn normalise(tag: &str) -> Option<String> {
    let b = tag.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let shaped = digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10)
        && matches!(b.get(10), Some(b'T' | b' '))
        && digits(11..13)
        && b.get(13) == Some(&b':')
        && digits(14..16)
        && b.get(16) == Some(&b':')
        && digits(17..19)
        && tag.ends_with('Z');
    if !shaped || tag.starts_with("1970-01-01") || tag.starts_with("1904-01-01") {
        return None;
    }
    Some(format!("{}T{}Z", &tag[0..10], &tag[11..19]))
}

/// A system time as UTC RFC 3339 to the second.
pub fn rfc3339(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn times_print_as_utc_rfc3339() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let t = UNIX_EPOCH + Duration::from_secs(1_709_285_400); // 2024-03-01 09:30 UTC
        assert_eq!(rfc3339(t), "2024-03-01T09:30:00Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(rfc3339(leap), "2000-02-29T00:00:00Z");
        let year_end = UNIX_EPOCH + Duration::from_secs(1_798_761_599);
        assert_eq!(rfc3339(year_end), "2026-12-31T23:59:59Z");
    }

    #[test]
    fn creation_tags_are_normalised_or_refused() {
        assert_eq!(
            normalise("2026-03-01T09:30:00.000000Z").as_deref(),
            Some("2026-03-01T09:30:00Z")
        );
        assert_eq!(normalise("1970-01-01T00:00:00.000000Z"), None);
        assert_eq!(normalise("2026-03-01 09:30:00"), None);
        assert_eq!(normalise(""), None);
    }
}
