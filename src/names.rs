//! File names as people see them: a clip may be called anything a file system allows (bytes that
//! are not UTF-8, newlines, terminal escape sequences). Everything that prints a path to the
//! terminal, or puts one in a message, goes through [`display_name`], so a name can never forge a
//! line or drive the terminal; reports take the lossy UTF-8 form, [`lossy`].
use std::fmt::Write as _;
use std::path::Path;

/// A path for the terminal and for messages: lossy UTF-8 with every control character escaped.
pub fn display_name(path: &Path) -> String {
    sanitize(&path.to_string_lossy())
}

/// A path as reports store it (JSON, CSV, HTML): lossy UTF-8, bytes that are not UTF-8 as U+FFFD.
pub fn lossy(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// `text` with control characters (C0, DEL, C1: newlines, ESC, BEL, CSI…) written as escapes,
/// `\n`, `\r`, `\t` or `\u{1b}`, so that nothing reaches a terminal raw.
pub fn sanitize(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let name = Path::new("a\nkneetrack: error: forged\r\u{1b}]0;title\u{7}\u{9b}x.mp4");
        let shown = display_name(name);
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
        assert_eq!(
            shown,
            "a\\nkneetrack: error: forged\\r\\u{1b}]0;title\\u{7}\\u{9b}x.mp4"
        );
        assert_eq!(display_name(Path::new("plain/clip.mp4")), "plain/clip.mp4");
        let bytes = Path::new(OsStr::from_bytes(b"caf\xe9.mp4"));
        assert_eq!(display_name(bytes), "caf\u{fffd}.mp4");
        assert_eq!(lossy(bytes), "caf\u{fffd}.mp4");
    }
}
