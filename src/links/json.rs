//! The jsonl contract's layout, defined once: key names, their order, and when a
//! key is left out.
//!
//! [`RecordReport`](super::RecordReport) and [`NameReport`](super::NameReport)
//! serialize through these shapes, and so does the fast jsonl writer, which fills
//! them from the scan's tables without building a report (names and paths are
//! written straight from UTF-16 units and the memoized directory paths, with no
//! allocation). A key added here appears in both at once.

use super::Resolution;
use crate::analysis::SlackEntry;
use crate::attribute::Namespace;
use crate::reparse::ReparsePoint;
use crate::scan::Finding;
use serde::Serialize;
use std::fmt;

/// One record object.
#[derive(Serialize)]
pub(crate) struct RecordShape<'a, Names: Serialize, Streams: Serialize, Time: Serialize> {
    pub record: u64,
    pub sequence: u16,
    pub in_use: bool,
    pub is_dir: bool,
    pub link_count: u16,
    pub names: Names,
    pub streams: Streams,
    pub reparse: Option<&'a ReparsePoint>,
    pub findings: &'a [Finding],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub times: Option<TimesShape<Time>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    #[serde(skip_serializing_if = "<[SlackEntry]>::is_empty")]
    pub index_slack: &'a [SlackEntry],
}

/// One name object.
#[derive(Serialize)]
pub(crate) struct NameShape<'a, Text: Serialize, Path: Serialize, Time: Serialize> {
    pub name: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_raw: Option<&'a str>,
    pub parent: u64,
    pub parent_sequence: u16,
    pub namespace: Namespace,
    pub path: Option<Path>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub orphan: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub times: Option<TimesShape<Time>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<&'a Resolution>,
}

/// Four timestamps.
#[derive(Serialize)]
pub(crate) struct TimesShape<T: Serialize> {
    pub created: T,
    pub modified: T,
    pub mft_changed: T,
    pub accessed: T,
}

impl<T: Serialize> TimesShape<T> {
    /// From the four values in NTFS order: created, modified, MFT changed, accessed.
    pub fn new([created, modified, mft_changed, accessed]: [T; 4]) -> TimesShape<T> {
        TimesShape {
            created,
            modified,
            mft_changed,
            accessed,
        }
    }
}

/// A raw NTFS time written as its RFC 3339 text, without building a string.
#[derive(Clone, Copy)]
pub(crate) struct TimeText(pub u64);

impl fmt::Display for TimeText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::attribute::write_time(self.0, f)
    }
}

impl Serialize for TimeText {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // The text is at most 29 bytes (a five-digit year): built on the stack.
        let mut text = StackText::default();
        match crate::attribute::write_time(self.0, &mut text) {
            Ok(()) => s.serialize_str(text.as_str()),
            Err(_) => s.collect_str(self),
        }
    }
}

/// A short string built on the stack.
#[derive(Default)]
struct StackText {
    bytes: [u8; 32],
    len: usize,
}

impl StackText {
    fn as_str(&self) -> &str {
        std::str::from_utf8(self.bytes.get(..self.len).unwrap_or_default()).unwrap_or_default()
    }
}

impl fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        self.bytes
            .get_mut(self.len..end)
            .ok_or(fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Writes `chars` to `f` a chunk at a time (one call per 64 bytes, not per char).
pub(crate) fn write_chars(
    f: &mut fmt::Formatter<'_>,
    chars: impl Iterator<Item = char>,
) -> fmt::Result {
    let mut buf = [0u8; 64];
    let mut len = 0;
    for c in chars {
        if len + 4 > buf.len() {
            f.write_str(
                std::str::from_utf8(buf.get(..len).unwrap_or_default()).unwrap_or_default(),
            )?;
            len = 0;
        }
        len += c.encode_utf8(buf.get_mut(len..).unwrap_or_default()).len();
    }
    f.write_str(std::str::from_utf8(buf.get(..len).unwrap_or_default()).unwrap_or_default())
}

/// Serializes a sequence from an iterator that can be made again.
pub(crate) struct Seq<F>(pub F);

impl<F, I> Serialize for Seq<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

/// Characters (of a name, say) written as a JSON string without building it.
pub(crate) struct Chars<I>(pub I);

impl<I: Iterator<Item = char> + Clone> fmt::Display for Chars<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_chars(f, self.0.clone())
    }
}

impl<I: Iterator<Item = char> + Clone> Serialize for Chars<I> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Most names are short: encoded on the stack and written as one string,
        // without the formatting machinery; longer ones are shown a chunk at a time.
        let mut buf = [0u8; 128];
        let mut len = 0;
        for c in self.0.clone() {
            match buf.get_mut(len..len + 4) {
                Some(room) => len += c.encode_utf8(room).len(),
                None => return s.collect_str(self),
            }
        }
        s.serialize_str(std::str::from_utf8(buf.get(..len).unwrap_or_default()).unwrap_or_default())
    }
}
