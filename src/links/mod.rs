//! Links analysis: each record's hard-link group with a path per name, its streams,
//! its reparse point, and every finding, as one owned report.
//!
//! A *hard link* is a name that is not a DOS 8.3 alias: the alias names the same
//! link as its Win32 twin. The header's link count is compared with the number of
//! $FILE_NAME attributes, DOS aliases included (see the README's counting rule).
//!
//! Reparse points are decoded here, and junction and symlink targets resolved per
//! name ([`resolve`]), with the checks that compare a reparse point with the rest
//! of its record.

pub mod resolve;

pub use resolve::{LinkOptions, Outcome, Resolution, Resolver};

use crate::attribute::Namespace;
use crate::reparse::ReparsePoint;
use crate::scan::{Finding, FindingKind, Name, Record, RecordState, Scan};
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
    /// A deleted name whose directory is gone, placed under `/$OrphanFiles`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub orphan: bool,
    /// This $FILE_NAME's times (scanned with `times`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub times: Option<Times>,
    /// For a junction or symlink: where its target is, reached through this name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Resolution>,
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
    /// The reparse point decoded (or the Interix symlink), if any.
    pub reparse: Option<ReparsePoint>,
    /// What is wrong with the record.
    pub findings: Vec<Finding>,
    /// $STANDARD_INFORMATION's times (scanned with `times`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub times: Option<Times>,
    /// The unnamed $DATA's size in bytes (scanned with `times`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// For a directory scanned with `index_slack`: names recovered from the
    /// slack of its index nodes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub index_slack: Vec<crate::scan::SlackEntry>,
}

/// Four NTFS timestamps as RFC 3339 UTC with 100-ns precision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Times {
    /// Created.
    pub created: String,
    /// Content modified.
    pub modified: String,
    /// MFT record changed.
    pub mft_changed: String,
    /// Accessed.
    pub accessed: String,
    /// The raw values (100-ns intervals since 1601), in the same order.
    #[serde(skip)]
    pub raw: [u64; 4],
}

impl From<[u64; 4]> for Times {
    fn from(raw: [u64; 4]) -> Times {
        let f = crate::attribute::format_time;
        Times {
            created: f(raw[0]),
            modified: f(raw[1]),
            mft_changed: f(raw[2]),
            accessed: f(raw[3]),
            raw,
        }
    }
}

impl NameReport {
    fn new(analysis: &Analysis<'_>, name: &Name<'_>, findings: &mut Vec<Finding>) -> NameReport {
        let scan = analysis.scan;
        let readable = name.to_string_lossy();
        let deleted = scan.record(name.record()).is_some_and(|r| !r.in_use());
        let (path, orphan) = if deleted {
            let (p, orphan) = scan.deleted_path(name);
            (Some(p), orphan)
        } else {
            match scan.path(name) {
                Ok(p) => (Some(p), false),
                Err(e) => {
                    findings.push(e.to_finding(&readable));
                    (None, false)
                }
            }
        };
        NameReport {
            name_raw: (!name.is_valid_unicode()).then(|| name.to_hex()),
            name: readable,
            parent: name.parent().record,
            parent_sequence: name.parent().sequence,
            namespace: name.namespace().as_str(),
            resolution: path.as_ref().and_then(|_| {
                analysis
                    .resolver
                    .resolve(name.record(), name.parent().record)
            }),
            path,
            orphan,
            times: name.times().map(Times::from),
        }
    }

    /// True for a DOS 8.3 alias (not a hard link of its own).
    pub fn is_dos_alias(&self) -> bool {
        self.namespace == Namespace::Dos.as_str()
    }
}

impl RecordReport {
    /// Builds the report of `record` with default [`LinkOptions`] (one-off use:
    /// for many records, build an [`Analysis`] once).
    pub fn new(record: &Record<'_>) -> RecordReport {
        Analysis::new(record.scan(), LinkOptions::default()).report(record)
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

/// Reports over one scan: reparse points decoded and link targets resolved.
#[derive(Debug)]
pub struct Analysis<'s> {
    scan: &'s Scan,
    resolver: Resolver<'s>,
}

impl<'s> Analysis<'s> {
    /// Prepares the reports of `scan` (indexes names when there are links).
    pub fn new(scan: &'s Scan, options: LinkOptions) -> Analysis<'s> {
        Analysis {
            scan,
            resolver: Resolver::new(scan, options),
        }
    }

    /// The report of one record.
    pub fn report(&self, record: &Record<'_>) -> RecordReport {
        let mut findings: Vec<Finding> = record.findings().cloned().collect();
        let names = record
            .names()
            .map(|n| NameReport::new(self, &n, &mut findings))
            .collect();
        let reparse = record.reparse_point();
        record_checks(record, reparse.as_ref(), &mut findings);
        RecordReport {
            record: record.number(),
            sequence: record.sequence(),
            in_use: record.in_use() && record.state() != RecordState::Unreadable,
            is_dir: record.is_dir(),
            link_count: record.link_count(),
            names,
            streams: record.streams().map(|s| s.name()).collect(),
            reparse,
            findings,
            times: record.times().map(Times::from),
            size: record.data_size(),
            index_slack: record.index_slack().to_vec(),
        }
    }

    /// Reports of every record the scan reports, in record order.
    pub fn reports(&self) -> impl Iterator<Item = RecordReport> + '_ {
        self.scan.records().map(|r| self.report(&r))
    }
}

/// FILE_ATTRIBUTE_REPARSE_POINT.
const FILE_ATTRIBUTE_REPARSE_POINT: u32 = 0x400;

/// $STANDARD_INFORMATION times earlier than a $FILE_NAME's: NTFS sets both when a
/// name is made and afterwards only moves $STANDARD_INFORMATION's forward, so an
/// earlier one is a common sign of timestomping (tools set it through the API,
/// which cannot reach $FILE_NAME). Records with times kept only.
/// The checks a report adds to the scan's findings: the reparse point against
/// its record, and the timestamps.
pub(crate) fn record_checks(
    record: &Record<'_>,
    reparse: Option<&ReparsePoint>,
    findings: &mut Vec<Finding>,
) {
    reparse_checks(record, reparse, findings);
    time_checks(record, findings);
}

fn time_checks(record: &Record<'_>, findings: &mut Vec<Finding>) {
    let Some(si) = record.times() else { return };
    const WHICH: [&str; 4] = ["created", "modified", "MFT changed", "accessed"];
    for name in record.names().filter(|n| n.namespace() != Namespace::Dos) {
        let Some(fname) = name.times() else { continue };
        let earlier: Vec<&str> = (0..4)
            .filter(|&i| si[i] != 0 && fname[i] != 0 && si[i] < fname[i])
            .map(|i| WHICH[i])
            .collect();
        if !earlier.is_empty() {
            findings.push(Finding::new(
                FindingKind::SiBeforeFileName,
                format!(
                    "$STANDARD_INFORMATION {} earlier than $FILE_NAME {:?}'s (timestomping?)",
                    earlier.join(", "),
                    name.to_string_lossy()
                ),
            ));
        }
    }
}

/// A reparse point against the rest of its record: a malformed buffer, the
/// $STANDARD_INFORMATION flag, and the tag each $FILE_NAME holds (Windows leaves
/// the record's $FILE_NAME without the flag, so only a name that has the flag is
/// compared).
fn reparse_checks(
    record: &Record<'_>,
    reparse: Option<&ReparsePoint>,
    findings: &mut Vec<Finding>,
) {
    if record.state() != RecordState::Valid || !record.in_use() {
        return;
    }
    let tag = reparse.and_then(|r| r.tag);
    if let Some(why) = reparse.and_then(|r| r.malformed.as_deref()) {
        findings.push(Finding::new(
            FindingKind::BadReparseData,
            format!("reparse buffer: {why}"),
        ));
    }
    let flagged = record.si_attributes() & FILE_ATTRIBUTE_REPARSE_POINT != 0;
    if flagged != tag.is_some() {
        findings.push(Finding::new(
            FindingKind::ReparseFlagMismatch,
            if flagged {
                "$STANDARD_INFORMATION says reparse point, but the record has no $REPARSE_POINT".to_owned()
            } else {
                format!("the record has a $REPARSE_POINT (tag {:#010x}) but $STANDARD_INFORMATION lacks the flag", tag.unwrap_or(0))
            },
        ));
    }
    for name in record.names() {
        if let Some(held) = name.reparse_tag()
            && Some(held) != tag
        {
            findings.push(Finding::new(
                FindingKind::NameReparseTagMismatch,
                format!(
                    "$FILE_NAME {:?} holds reparse tag {held:#010x}, the record's is {}",
                    name.to_string_lossy(),
                    tag.map_or("none".to_owned(), |t| format!("{t:#010x}"))
                ),
            ));
        }
    }
}

impl Scan {
    /// Reports of every record the scan reports, in record order, with default
    /// [`LinkOptions`].
    pub fn reports(&self) -> impl Iterator<Item = RecordReport> + '_ {
        let analysis = Analysis::new(self, LinkOptions::default());
        self.records().map(move |r| analysis.report(&r))
    }

    /// Reports with link targets judged under `options` (e.g. the drive letter).
    pub fn reports_with(&self, options: LinkOptions) -> impl Iterator<Item = RecordReport> + '_ {
        let analysis = Analysis::new(self, options);
        self.records().map(move |r| analysis.report(&r))
    }
}
