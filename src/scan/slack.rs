//! MFT record slack: the bytes of a record after its end marker, within its
//! allocated size. Windows does not clear them when a record shrinks, so they
//! often hold older attributes: the names a file or directory had before, whole.
//! Read with [`ScanOptions::record_slack`](super::ScanOptions::record_slack).

use crate::attribute::{FileName, Namespace, format_time};
use crate::record::{Attribute, AttributeType, RecordView};
use serde::Serialize;

/// An attribute found in a record's slack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RecordSlack {
    /// Image byte where the attribute starts.
    pub offset: u64,
    /// Its type, as NTFS names it (`$FILE_NAME`, `$DATA`, ...).
    pub attribute: &'static str,
    /// A $FILE_NAME's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A $FILE_NAME's parent directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<u64>,
    /// Its sequence number then.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_sequence: Option<u16>,
    /// A $FILE_NAME's namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<Namespace>,
    /// A $FILE_NAME's path, when its parent directory has one now (set by the
    /// reports).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// A $FILE_NAME's created, modified, MFT changed and accessed times.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub times: Option<[String; 4]>,
    /// The same times, raw (100-ns intervals since 1601), for the body file.
    #[serde(skip)]
    pub raw_times: Option<[u64; 4]>,
}

/// Attributes in the slack of `view` (its end marker at `end`), at image byte
/// `at`: whole attribute headers at 8-byte steps, of a type NTFS defines, that
/// fit within the allocated size (a $FILE_NAME's name must be valid UTF-16);
/// and bare $FILE_NAME values elsewhere (index entries' keys).
pub(super) fn read(view: &RecordView<'_>, end: usize, at: u64) -> Vec<RecordSlack> {
    let bytes = view.bytes();
    let allocated = (view.bytes_allocated() as usize).min(bytes.len());
    let record = bytes.get(..allocated).unwrap_or(bytes);
    let mut out = Vec::new();
    let start = (end + 4).next_multiple_of(8);
    let mut covered: Vec<std::ops::Range<usize>> = Vec::new();
    let mut offset = start;
    while offset + 24 <= allocated {
        match Attribute::parse(record, offset)
            .ok()
            .flatten()
            .filter(plausible)
        {
            Some(attr) => {
                if let Some(found) = found(&attr, at + offset as u64) {
                    out.push(found);
                }
                let len = attr.length().next_multiple_of(8).max(8);
                covered.push(offset..offset + len);
                offset += len;
            }
            None => offset += 8,
        }
    }
    // $FILE_NAME values without an attribute header: the keys of index
    // entries a directory's $INDEX_ROOT held before it grew, at 2-byte steps.
    let mut offset = start;
    while offset + KEY_MIN <= allocated {
        if covered.iter().any(|r| r.contains(&offset)) {
            offset += 2;
            continue;
        }
        match key(
            record.get(offset..allocated).unwrap_or_default(),
            at + offset as u64,
        ) {
            Some((found, len)) => {
                out.push(found);
                offset += len.next_multiple_of(2);
            }
            None => offset += 2,
        }
    }
    out.sort_by_key(|s| s.offset);
    out
}

/// The smallest $FILE_NAME value (a one-unit name).
const KEY_MIN: usize = 68;
/// NTFS times from 1980 to 2100.
const PLAUSIBLE_TIMES: std::ops::Range<u64> = 119_600_064_000_000_000..157_469_184_000_000_000;

/// A bare $FILE_NAME value at the start of `bytes`: a valid name of 1 to 255
/// units in a known namespace, four times from 1980 to 2100.
fn key(bytes: &[u8], offset: u64) -> Option<(RecordSlack, usize)> {
    let f = FileName::new(bytes)?;
    let units = f.name().units().count();
    if !(1..=255).contains(&units) || !f.name().is_valid() || bytes.get(65).is_none_or(|&n| n > 3) {
        return None;
    }
    let t = f.times().to_array();
    if !t.iter().all(|x| PLAUSIBLE_TIMES.contains(x)) {
        return None;
    }
    let slack = RecordSlack {
        offset,
        attribute: "$FILE_NAME key",
        name: Some(f.name().to_string_lossy()),
        parent: Some(f.parent().record),
        parent_sequence: Some(f.parent().sequence),
        namespace: Some(f.namespace()),
        path: None,
        times: Some(t.map(format_time)),
        raw_times: Some(t),
    };
    Some((slack, 66 + 2 * units))
}

/// A type NTFS defines (0x10 to 0x100), resident or not, with a sane length.
fn plausible(attr: &Attribute<'_>) -> bool {
    let code = attr.type_code();
    (0x10..=0x100).contains(&code) && code.is_multiple_of(0x10) && attr.length() >= 24
}

fn found(attr: &Attribute<'_>, offset: u64) -> Option<RecordSlack> {
    let mut slack = RecordSlack {
        offset,
        attribute: attr.kind().name(),
        name: None,
        parent: None,
        parent_sequence: None,
        namespace: None,
        path: None,
        times: None,
        raw_times: None,
    };
    if attr.type_code() == AttributeType::FILE_NAME {
        let f = FileName::new(attr.value()?)?;
        if f.name().is_empty() || !f.name().is_valid() {
            return None;
        }
        let t = f.times().to_array();
        slack.name = Some(f.name().to_string_lossy());
        slack.parent = Some(f.parent().record);
        slack.parent_sequence = Some(f.parent().sequence);
        slack.namespace = Some(f.namespace());
        slack.times = Some(t.map(format_time));
        slack.raw_times = Some(t);
    }
    Some(slack)
}
