//! StringData (MS-SHLLINK 2.4): up to five counted strings, each present when its
//! LinkFlags bit is set, in this order: NAME_STRING (the description),
//! RELATIVE_PATH, WORKING_DIR, COMMAND_LINE_ARGUMENTS, ICON_LOCATION. Each is a
//! 16-bit count of characters then the characters, UTF-16 when IsUnicode is set,
//! else in the system code page (read as Windows-1252); no terminator.

use serde::Serialize;

use super::bytes::{self, u16_at};
use super::text::{ansi, utf16};
use super::{Problem, problem};

/// The strings of StringData; each `None` when its flag is clear.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct StringData {
    /// NAME_STRING: the description (HasName).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// RELATIVE_PATH: the target relative to the link (HasRelativePath).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relative_path: Option<String>,
    /// WORKING_DIR (HasWorkingDir).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<String>,
    /// COMMAND_LINE_ARGUMENTS (HasArguments).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arguments: Option<String>,
    /// ICON_LOCATION (HasIconLocation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub icon_location: Option<String>,
}

impl StringData {
    /// Whether no string is present.
    pub fn is_empty(&self) -> bool {
        *self == StringData::default()
    }
}

/// Decodes the strings the flags announce from `b` (`base` its offset). Returns
/// them and the bytes they took, or `None` for the length when one ran past the
/// end of the file (nothing after can be placed).
pub(crate) fn decode(
    b: &[u8],
    base: usize,
    link_flags: u32,
    problems: &mut Vec<Problem>,
) -> (StringData, Option<usize>) {
    let unicode = link_flags & super::header::IS_UNICODE != 0;
    let mut found: [Option<String>; 5] = Default::default();
    let mut pos = Some(0usize);
    for (slot, flag) in found.iter_mut().zip(FLAGS) {
        let Some(at) = pos else { break };
        if link_flags & flag != 0 {
            pos = one_string(b, base, at, unicode, slot, problems);
        }
    }
    let [name, relative_path, working_dir, arguments, icon_location] = found;
    let data = StringData {
        name,
        relative_path,
        working_dir,
        arguments,
        icon_location,
    };
    (data, pos)
}

/// HasName, HasRelativePath, HasWorkingDir, HasArguments, HasIconLocation.
const FLAGS: [u32; 5] = [1 << 2, 1 << 3, 1 << 4, 1 << 5, 1 << 6];

/// Reads the string at `pos` into `slot`; returns where the next one starts, or
/// `None` when this one ran past the end.
fn one_string(
    b: &[u8],
    base: usize,
    pos: usize,
    unicode: bool,
    slot: &mut Option<String>,
    problems: &mut Vec<Problem>,
) -> Option<usize> {
    let Some(count) = u16_at(b, pos) else {
        problem(
            problems,
            base + pos,
            "StringData truncated before a string's count",
            None,
        );
        return None;
    };
    let len = usize::from(count) * if unicode { 2 } else { 1 };
    let start = pos + 2;
    let (chars, complete) = match bytes::slice(b, start, len) {
        Some(chars) => (chars, true),
        None => {
            problem(
                problems,
                base + pos,
                "StringData string runs past the end of the file",
                Some(count.into()),
            );
            (bytes::rest(b, start), false)
        }
    };
    *slot = Some(if unicode {
        let text = utf16(chars);
        if text.lossy && complete {
            problem(
                problems,
                base + start,
                "ill-formed UTF-16 in StringData (unpaired surrogate kept as U+FFFD)",
                None,
            );
        }
        text.text
    } else {
        ansi(chars)
    });
    complete.then_some(start + len)
}
