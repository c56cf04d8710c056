//! Names in text made for people: one notation, reversible, that keeps a hostile
//! name from breaking a line or acting on a terminal.
//!
//! A file name is evidence, written by whoever made the image: it may hold a
//! newline followed by a forged line of a report, terminal escapes that clear
//! the screen or hide text, or bidirectional controls that show `rtl\u{202e}txt.exe`
//! as `rtlexe.txt`. Every text output of ntfs-links writes names through
//! [`Escaped`], which replaces each such character by `\u{HEX}` (the hexadecimal
//! code point, lowercase, as in Rust and JavaScript):
//!
//! - C0 controls U+0000-U+001F (newline, carriage return, tab, escape, ...),
//!   DEL U+007F and C1 controls U+0080-U+009F (NEL, CSI, ...);
//! - the line and paragraph separators U+2028 and U+2029;
//! - the bidirectional controls: the marks U+061C, U+200E and U+200F, the
//!   embeddings and overrides U+202A-U+202E and the isolates U+2066-U+2069;
//! - a backslash that is followed by `u{`, so that the notation stays reversible
//!   ([`unescape`] gives back the exact name).
//!
//! Every other backslash is written as it is: Windows paths
//! (`\??\C:\Users\Public`) are full of them, and doubling each would make every
//! link target unreadable and unlike what Windows and every peer tool print.
//! Unlike sleuthkit's `^`, which stands for any control character, the
//! notation loses nothing: two names that differ are shown differently.
//!
//! JSON, JSONL and CSV do not use it: their own quoting is exact and safe.
//!
//! ```
//! use ntfs_links::text::{Escaped, unescape};
//!
//! let name = "evil\nr 999-1 [posix] FAKE.txt";
//! let shown = Escaped(name).to_string();
//! assert_eq!(shown, r"evil\u{a}r 999-1 [posix] FAKE.txt");
//! assert_eq!(unescape(&shown).as_deref(), Some(name));
//! assert_eq!(Escaped(r"\??\C:\target").to_string(), r"\??\C:\target");
//! ```

use std::fmt;

/// Whether `c` is written as `\u{HEX}` in text outputs: a control character
/// (C0, DEL, C1), a line or paragraph separator, or a bidirectional control.
pub fn is_unsafe(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{61c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// Shows a string with every [unsafe](is_unsafe) character escaped as
/// `\u{HEX}`, and a backslash before `u{` as `\u{5c}`.
#[derive(Debug, Clone, Copy)]
pub struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(self.0, |_| false, true, f)
    }
}

/// Like [`Escaped`], and also escapes the field separator `sep` (the body
/// file's `|`), so that a name stays one field.
#[derive(Debug, Clone, Copy)]
pub struct EscapedField<'a>(pub &'a str, pub char);

impl fmt::Display for EscapedField<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(self.0, |c| c == self.1, true, f)
    }
}

/// A message of ntfs-links (a finding's, an error's) for text output: every
/// [unsafe](is_unsafe) character escaped as `\u{HEX}`, backslashes kept as they
/// are. Messages quote the names they mention as Rust string literals
/// (`"a\u{202e}b"`), already escaped; this catches anything else.
#[derive(Debug, Clone, Copy)]
pub struct Message<'a>(pub &'a str);

impl fmt::Display for Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(self.0, |_| false, false, f)
    }
}

/// `s` escaped as [`Escaped`] shows it, borrowed when nothing needed escaping.
pub fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    if needs_escaping(s) {
        std::borrow::Cow::Owned(Escaped(s).to_string())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Whether [`Escaped`] would change `s`.
pub fn needs_escaping(s: &str) -> bool {
    s.chars().any(is_unsafe) || s.contains("\\u{")
}

/// Writes `s` with unsafe characters and those `also` says escaped, and, when
/// `backslash`, a backslash before `u{`.
fn write_escaped(
    s: &str,
    also: impl Fn(char) -> bool,
    backslash: bool,
    f: &mut impl fmt::Write,
) -> fmt::Result {
    let mut rest = s;
    // Runs of characters that need nothing are written in one piece.
    while let Some((at, c)) = rest.char_indices().find(|&(at, c)| {
        is_unsafe(c)
            || also(c)
            || (backslash && c == '\\' && rest.get(at + 1..).is_some_and(|r| r.starts_with("u{")))
    }) {
        f.write_str(rest.get(..at).unwrap_or_default())?;
        write!(f, "\\u{{{:x}}}", u32::from(c))?;
        rest = rest.get(at + c.len_utf8()..).unwrap_or_default();
    }
    f.write_str(rest)
}

/// The exact string that [`Escaped`] (or [`EscapedField`]) showed as `shown`;
/// `None` when `shown` holds a `\u{` that is not a valid escape.
pub fn unescape(shown: &str) -> Option<String> {
    let mut out = String::with_capacity(shown.len());
    let mut rest = shown;
    while let Some(at) = rest.find("\\u{") {
        out.push_str(rest.get(..at)?);
        let after = rest.get(at + 3..)?;
        let end = after.find('}')?;
        let hex = after.get(..end)?;
        if hex.is_empty() || hex.len() > 6 {
            return None;
        }
        out.push(char::from_u32(u32::from_str_radix(hex, 16).ok()?)?);
        rest = after.get(end + 1..)?;
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(s: &str) -> String {
        Escaped(s).to_string()
    }

    #[test]
    fn escapes_controls_separators_and_bidi() {
        assert_eq!(shown("a\nb\rc\td"), r"a\u{a}b\u{d}c\u{9}d");
        assert_eq!(shown("esc\x1b[2J"), r"esc\u{1b}[2J");
        assert_eq!(
            shown("del\x7f c1\u{9b} nel\u{85}"),
            r"del\u{7f} c1\u{9b} nel\u{85}"
        );
        assert_eq!(shown("rtl\u{202e}txt.exe"), r"rtl\u{202e}txt.exe");
        assert_eq!(shown("ls\u{2028}ps\u{2029}"), r"ls\u{2028}ps\u{2029}");
        assert_eq!(
            shown("\u{2066}\u{2069}\u{200e}\u{61c}"),
            r"\u{2066}\u{2069}\u{200e}\u{61c}"
        );
        assert_eq!(shown("\0"), r"\u{0}");
    }

    #[test]
    fn keeps_windows_paths_and_ordinary_text() {
        for s in [
            r"\??\C:\Users\Public",
            r"\\server\share",
            "Grand Canyon.jpg",
            "日本語 ü",
            "a|b",
            "\u{a0}\u{200b}",
        ] {
            assert_eq!(shown(s), s);
            assert!(!needs_escaping(s));
            assert!(matches!(escape(s), std::borrow::Cow::Borrowed(_)));
        }
    }

    #[test]
    fn a_backslash_before_u_brace_is_escaped() {
        assert_eq!(shown(r"\u{41}"), r"\u{5c}u{41}");
        assert_eq!(shown(r"C:\u{x"), r"C:\u{5c}u{x");
        assert_eq!(shown(r"C:\users"), r"C:\users");
    }

    #[test]
    fn messages_keep_their_backslashes() {
        let m = r#"name "a\u{acd}b": parent record 5"#;
        assert_eq!(Message(m).to_string(), m);
        assert_eq!(Message("a\nb\u{1b}").to_string(), r"a\u{a}b\u{1b}");
    }

    #[test]
    fn field_separator_is_escaped_in_fields() {
        assert_eq!(EscapedField("a|b\n", '|').to_string(), r"a\u{7c}b\u{a}");
    }

    #[test]
    fn round_trips() {
        let names = [
            "evil\nr 999-1 [posix] FAKE.txt",
            r"\u{41}",
            "\\\u{1b}",
            r"\\u{5c}",
            "\\",
            "u{",
            "end\\",
            "ctl\u{1}\u{1f}\u{7f}\u{80}\u{9f}",
            "rtl\u{202e}\u{2066}x",
            "",
        ];
        for name in names {
            let s = shown(name);
            assert!(!s.chars().any(is_unsafe), "{s:?}");
            assert_eq!(unescape(&s).as_deref(), Some(name), "{s:?}");
            let field = EscapedField(name, '|').to_string();
            assert_eq!(unescape(&field).as_deref(), Some(name));
        }
        // Every character, alone and after a backslash.
        for c in (0..0x3000).filter_map(char::from_u32) {
            for name in [c.to_string(), format!("\\{c}u{{"), format!("{c}\\")] {
                assert_eq!(unescape(&shown(&name)).as_deref(), Some(name.as_str()));
            }
        }
    }

    #[test]
    fn unescape_refuses_broken_escapes() {
        for s in [r"\u{", r"\u{}", r"\u{zz}", r"\u{d800}", r"\u{1234567}"] {
            assert_eq!(unescape(s), None, "{s}");
        }
    }
}
