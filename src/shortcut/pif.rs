//! Program information files (`.pif`): how Windows starts a DOS program. Only
//! the basic section is read (the 0x171 bytes TopView defined and every Windows
//! keeps at the start of the file), plus the names of the sections Windows 3.0
//! and later append after the `MICROSOFT PIFEX` heading. The format was never
//! documented; offsets are those of Max Maischein's File Format List 2.0 (PIF
//! entry, which cites Dr. Dobb's Journal #202, July 1993) and of the
//! smsoft.ru description of the sections:
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0x02 | 30 | window title, space-padded |
//! | 0x24 | 63 | program path, NUL-terminated |
//! | 0x65 | 64 | startup directory |
//! | 0xA5 | 64 | parameters |
//! | 0x171 | 22 | heading of the basic section (`MICROSOFT PIFEX`), then one 22-byte heading per section |
//!
//! Strings are in the DOS code page of the machine that wrote them; bytes above
//! 0x7F are read here as Windows-1252.

use serde::Serialize;

use super::bytes::{self, u16_at};
use super::text::{ansi, until_nul};
use super::{Problem, problem};

/// Size of the basic section.
const BASIC_SIZE: usize = 0x171;
/// Size of a section heading: name (16), next heading, data offset, data length.
const HEADING_SIZE: usize = 22;
/// The name of the basic section's heading.
const PIFEX: &[u8] = b"MICROSOFT PIFEX";
/// The most section headings followed (real files have up to five).
const MAX_SECTIONS: usize = 64;

/// The basic section of a `.pif` file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Pif {
    /// The window title (trailing spaces removed).
    pub title: String,
    /// The program's path and file name.
    pub program: String,
    /// The startup directory, when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<String>,
    /// The program's parameters, when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<String>,
    /// The names of the sections after the basic one (`WINDOWS 386 3.0`,
    /// `WINDOWS VMM 4.0`, `WINDOWS NT  3.1`, ...), when the `MICROSOFT PIFEX`
    /// heading is present.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<String>,
    /// What is wrong with the file, each with its offset.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

/// Bytes a file must start with for [`is_pif`] to judge it: the basic
/// section and the name of its heading.
pub const PIF_PROBE: usize = BASIC_SIZE + PIFEX.len();
/// Where the basic section's heading is, and the name it starts with.
pub const PIF_HEADING: (usize, &[u8]) = (BASIC_SIZE, PIFEX);

/// Whether `bytes` start like a `.pif` file Windows wrote: the basic section
/// followed by the `MICROSOFT PIFEX` heading, with a program name.
pub fn is_pif(bytes: &[u8]) -> bool {
    bytes::slice(bytes, BASIC_SIZE, PIFEX.len()) == Some(PIFEX) && decode_pif(bytes).is_some()
}

/// Decodes the basic section of a `.pif` file. `None` when the bytes cannot be
/// one: shorter than the title and program fields, or with no program name, or
/// with control characters in it. A file cut short inside the basic section
/// gives what is there, and a problem.
pub fn decode_pif(bytes: &[u8]) -> Option<Pif> {
    let program_field = bytes::slice(bytes, 0x24, 63)?;
    let (program, _) = until_nul(program_field);
    if program.is_empty() || program.iter().any(|&c| c < 0x20) {
        return None;
    }
    let title = bytes::slice(bytes, 0x02, 30)?;
    let (title, _) = until_nul(title);
    let mut pif = Pif {
        title: ansi(title).trim_end().to_string(),
        program: ansi(program).trim_end().to_string(),
        working_dir: None,
        parameters: None,
        sections: Vec::new(),
        problems: Vec::new(),
    };
    pif.working_dir = text_field(bytes, 0x65, &mut pif.problems);
    pif.parameters = text_field(bytes, 0xA5, &mut pif.problems);
    if bytes.len() < BASIC_SIZE {
        problem(
            &mut pif.problems,
            bytes.len(),
            "PIF shorter than its 0x171-byte basic section",
            Some(bytes.len() as u64),
        );
    } else if bytes::slice(bytes, BASIC_SIZE, PIFEX.len()) == Some(PIFEX) {
        pif.sections = sections(bytes, &mut pif.problems);
    }
    Some(pif)
}

/// A 64-byte NUL-terminated field; `None` when empty or cut off.
fn text_field(bytes: &[u8], at: usize, problems: &mut Vec<Problem>) -> Option<String> {
    let Some(field) = bytes::slice(bytes, at, 64) else {
        problem(problems, at, "PIF truncated inside a text field", None);
        return None;
    };
    let text = ansi(until_nul(field).0);
    let text = text.trim_end();
    (!text.is_empty()).then(|| text.to_string())
}

/// The names of the sections after the basic section's heading.
fn sections(bytes: &[u8], problems: &mut Vec<Problem>) -> Vec<String> {
    let mut names = Vec::new();
    let mut at = BASIC_SIZE;
    for _ in 0..MAX_SECTIONS {
        let Some(heading) = bytes::slice(bytes, at, HEADING_SIZE) else {
            problem(
                problems,
                at,
                "PIF section heading runs past the end of the file",
                None,
            );
            break;
        };
        if at != BASIC_SIZE {
            let name = bytes::slice(heading, 0, 16).unwrap_or(&[]);
            names.push(ansi(until_nul(name).0));
        }
        match u16_at(heading, 16) {
            Some(0xFFFF) | None => break,
            Some(next) if usize::from(next) <= at => {
                problem(
                    problems,
                    at + 16,
                    "PIF section heading points backwards",
                    Some(next.into()),
                );
                break;
            }
            Some(next) => at = usize::from(next),
        }
    }
    names
}
