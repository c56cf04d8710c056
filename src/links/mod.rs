//! Links analysis: each record's hard-link group with a path per name, its streams,
//! its reparse point, and every finding, as one owned report.
//!
//! A *hard link* is a name that is not a DOS 8.3 alias: the alias names the same
//! link as its Win32 twin. The header's link count is compared with the number of
//! $FILE_NAME attributes, DOS aliases included (see the README's counting rule).

use crate::attribute::Namespace;
use crate::scan::{Finding, Name, Record, RecordState, Scan};
use serde::Serialize;

/// One name of a record, resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NameReport {
    /// The name, readable (unpaired surrogates as U+FFFD).
    pub name: String,
    /// The UTF-16LE bytes as hex, present only when the name is not valid Unicode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_raw: Option<String>,
    /// Parent directory's record number.
    pub parent: u64,
    /// Parent reference's sequence number.
    pub parent_sequence: u16,
    /// `posix`, `win32`, `dos` or `win32_and_dos`.
    pub namespace: &'static str,
    /// Full path from the volume root, `None` when the parent chain is broken.
    pub path: Option<String>,
}

/// A reparse point as the scan knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReparseReport {
    /// The reparse tag.
    pub tag: u32,
}

/// Everything reported about one record: the jsonl contract's object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordReport {
    /// Record number.
    pub record: u64,
    /// Sequence number.
    pub sequence: u16,
    /// In-use flag.
    pub in_use: bool,
    /// Directory flag.
    pub is_dir: bool,
    /// Hard-link count from the record header.
    pub link_count: u16,
    /// Every $FILE_NAME, with its path.
    pub names: Vec<NameReport>,
    /// Named $DATA streams (alternate data streams).
    pub streams: Vec<String>,
    /// The reparse point, if any.
    pub reparse: Option<ReparseReport>,
    /// What is wrong with the record.
    pub findings: Vec<Finding>,
}

impl NameReport {
    fn new(scan: &Scan, name: &Name<'_>, findings: &mut Vec<Finding>) -> NameReport {
        let readable = name.to_string_lossy();
        let path = match scan.path(name) {
            Ok(p) => Some(p),
            Err(e) => {
                findings.push(e.to_finding(&readable));
                None
            }
        };
        NameReport {
            name_raw: (!name.is_valid_unicode()).then(|| name.to_hex()),
            name: readable,
            parent: name.parent().record,
            parent_sequence: name.parent().sequence,
            namespace: name.namespace().as_str(),
            path,
        }
    }

    /// True for a DOS 8.3 alias (not a hard link of its own).
    pub fn is_dos_alias(&self) -> bool {
        self.namespace == Namespace::Dos.as_str()
    }
}

impl RecordReport {
    /// Builds the report of `record`.
    pub fn new(record: &Record<'_>) -> RecordReport {
        let scan = record.scan();
        let mut findings: Vec<Finding> = record.findings().cloned().collect();
        let names = record
            .names()
            .map(|n| NameReport::new(scan, &n, &mut findings))
            .collect();
        RecordReport {
            record: record.number(),
            sequence: record.sequence(),
            in_use: record.in_use() && record.state() != RecordState::Unreadable,
            is_dir: record.is_dir(),
            link_count: record.link_count(),
            names,
            streams: record.streams().map(|s| s.name()).collect(),
            reparse: record.reparse_tag().map(|tag| ReparseReport { tag }),
            findings,
        }
    }

    /// The names that are hard links (DOS aliases left out).
    pub fn hard_links(&self) -> impl Iterator<Item = &NameReport> {
        self.names.iter().filter(|n| !n.is_dos_alias())
    }

    /// True when the record has more than one hard link.
    pub fn is_multi_link(&self) -> bool {
        self.hard_links().nth(1).is_some()
    }
}

impl Scan {
    /// Reports of every record the scan reports, in record order.
    pub fn reports(&self) -> impl Iterator<Item = RecordReport> + '_ {
        self.records().map(|r| RecordReport::new(&r))
    }
}
