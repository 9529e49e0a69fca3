//! What goes into the page as text: escaped strings, base64 data, CSS colours and numbers.
use crate::assess::Verdict;
use crate::output::annotate::verdict_rgb;
use std::path::{Component, Path};

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Standard base64 (RFC 4648, with padding), for `data:` URLs.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A relative link from a page in folder `from_dir` to the file `to`, for an `href`: `./name`,
/// `sub/name` or `../name` with every path segment percent-encoded (RFC 3986: only letters,
/// digits and `-._~` stay as they are), so `#`, `?`, `%` or a `javascript:` prefix in a file name
/// stay part of the name. HTML-escape it when writing it into the page. Both paths are made
/// absolute against the working folder first; on a different root (another drive) the link is
/// the absolute path, encoded the same way.
pub fn relative_href(from_dir: &Path, to: &Path) -> String {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (from, to) = (abs(from_dir), abs(to));
    let from: Vec<Component> = from
        .components()
        .filter(|c| *c != Component::CurDir)
        .collect();
    let to_parts: Vec<Component> = to
        .components()
        .filter(|c| *c != Component::CurDir)
        .collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        let segments: Vec<String> = to_parts
            .iter()
            .filter_map(|c| match c {
                Component::Normal(n) => Some(percent_encode(n.as_encoded_bytes())),
                _ => None,
            })
            .collect();
        return format!("/{}", segments.join("/"));
    }
    let mut segments: Vec<String> = from[common..].iter().map(|_| "..".to_string()).collect();
    segments.extend(to_parts[common..].iter().map(|c| match c {
        Component::ParentDir => "..".to_string(),
        c => percent_encode(c.as_os_str().as_encoded_bytes()),
    }));
    let joined = segments.join("/");
    if joined.starts_with("..") {
        joined
    } else {
        format!("./{joined}")
    }
}

/// Percent-encodes every byte but RFC 3986's unreserved characters.
pub fn percent_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// CSS colour of a verdict.
pub fn verdict_css(v: Verdict) -> String {
    let (r, g, b) = verdict_rgb(v);
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// A number with its unit, or "—" when it is missing or not finite.
pub fn value_or_dash(v: Option<f64>, digits: usize, unit: &str) -> String {
    v.filter(|v| v.is_finite())
        .map_or_else(|| "—".into(), |v| format!("{v:.digits$}{unit}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), want);
        }
        assert_eq!(base64(&[0xff, 0xfe, 0xfd]), "//79");
    }

    #[test]
    fn links_are_relative_and_percent_encoded() {
        let dir = Path::new("/data/out");
        assert_eq!(
            relative_href(
                dir,
                Path::new("/data/out/javascript:alert(1).kneetrack.html")
            ),
            "./javascript%3Aalert%281%29.kneetrack.html"
        );
        assert_eq!(
            relative_href(dir, Path::new("/data/out/a #1?x=100%.html")),
            "./a%20%231%3Fx%3D100%25.html"
        );
        assert_eq!(
            relative_href(dir, Path::new("/data/reports/x.html")),
            "../reports/x.html"
        );
        assert_eq!(
            relative_href(
                Path::new("/data/out/sub"),
                Path::new("/data/out/index.html")
            ),
            "../index.html"
        );
        assert_eq!(
            relative_href(Path::new("out"), Path::new("out/./é.html")),
            "./%C3%A9.html"
        );
    }

    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(
            escape(r#"<script>alert("x") & 'y'</script>"#),
            "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;"
        );
    }
}
