//! Reports: each record's hard-link group with a path per name, its streams, its
//! reparse point decoded, its links resolved per name ([`resolve`]), and the
//! findings the [`Analysis`] made on it, as one owned report.
//!
//! A *hard link* is a name that is not a DOS 8.3 alias: the alias names the same
//! link as its Win32 twin (see the README's counting rule). Nothing here checks
//! anything: every finding comes from the analysis.

mod filter;
pub(crate) mod json;
pub mod resolve;
mod shortcut;

pub use filter::{Filter, LinkKind};

pub use resolve::{LinkOptions, Outcome, Resolution, Resolver};
pub use shortcut::{PifReport, ShortcutReport};

use crate::analysis::{Analysis, CompatLink, SlackEntry};
use crate::attribute::{Namespace, Timestamps};
use crate::reparse::ReparsePoint;
use crate::scan::RecordSlack;
use crate::scan::{Finding, Name, Record, RecordState};
use serde::Serialize;

/// One name of a record, resolved. Its json layout is defined once, with the
/// record's, in `links/json.rs`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NameReport {
    /// The name, readable (unpaired surrogates as U+FFFD).
    pub name: String,
    /// The UTF-16LE bytes as hex, present only when the name is not valid Unicode.
    pub name_raw: Option<String>,
    /// Parent directory's record number.
    pub parent: u64,
    /// Parent reference's sequence number.
    pub parent_sequence: u16,
    /// Its namespace (`posix`, `win32`, `dos` or `win32_and_dos` in json).
    pub namespace: Namespace,
    /// Full path from the volume root, `None` when the parent chain is broken.
    pub path: Option<String>,
    /// A deleted name whose directory is gone, placed under `/$OrphanFiles`.
    pub orphan: bool,
    /// This $FILE_NAME's times (scanned with `times`).
    pub times: Option<Times>,
    /// For a junction or symlink: where its target is, reached through this name.
    pub resolution: Option<Resolution>,
}

/// Everything reported about one record: the jsonl contract's object (its layout
/// is defined once, in `links/json.rs`, for this type and the fast writer).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
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
    pub times: Option<Times>,
    /// The unnamed $DATA's size in bytes (scanned with `times`).
    pub size: Option<u64>,
    /// For a directory scanned with `index_slack`: names recovered from the
    /// slack of its index nodes.
    pub index_slack: Vec<SlackEntry>,
    /// With [`ScanOptions::record_slack`](crate::ScanOptions::record_slack):
    /// attributes left in the record's slack, with the paths of their names.
    pub record_slack: Vec<RecordSlack>,
    /// When the unnamed stream is a shell link (`.lnk`, found by its
    /// content): decoded, and resolved in the image.
    pub shortcut: Option<ShortcutReport>,
    /// When the record is one of Windows' compatibility links (`Application
    /// Data`, `All Users`, ...): what Windows makes it, and whether its target
    /// is the one Windows gives it.
    pub compat: Option<CompatLink>,
    /// When the unnamed stream is a `.pif` (found by its content): decoded,
    /// and its program looked for in the image.
    pub pif: Option<PifReport>,
}

impl Serialize for NameReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        json::NameShape {
            name: &self.name,
            name_raw: self.name_raw.as_deref(),
            parent: self.parent,
            parent_sequence: self.parent_sequence,
            namespace: self.namespace,
            path: self.path.as_deref(),
            orphan: self.orphan,
            times: self.times.as_ref().map(Times::shape),
            resolution: self.resolution.as_ref(),
        }
        .serialize(s)
    }
}

impl Serialize for RecordReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        json::RecordShape {
            record: self.record,
            sequence: self.sequence,
            in_use: self.in_use,
            is_dir: self.is_dir,
            link_count: self.link_count,
            names: &self.names,
            streams: &self.streams,
            reparse: self.reparse.as_ref(),
            findings: &self.findings,
            times: self.times.as_ref().map(Times::shape),
            size: self.size,
            index_slack: &self.index_slack,
            record_slack: &self.record_slack,
            shortcut: self.shortcut.as_ref(),
            compat: self.compat.as_ref(),
            pif: self.pif.as_ref(),
        }
        .serialize(s)
    }
}

/// Four NTFS timestamps as RFC 3339 UTC with 100-ns precision.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Times {
    /// Created.
    pub created: String,
    /// Content modified.
    pub modified: String,
    /// MFT record changed.
    pub mft_changed: String,
    /// Accessed.
    pub accessed: String,
    /// The raw values (100-ns intervals since 1601; not in json).
    pub raw: Timestamps,
}

impl Serialize for Times {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.shape().serialize(s)
    }
}

impl Times {
    /// The json layout of the four times.
    fn shape(&self) -> json::TimesShape<&str> {
        json::TimesShape::new([
            self.created.as_str(),
            &self.modified,
            &self.mft_changed,
            &self.accessed,
        ])
    }
}

impl From<Timestamps> for Times {
    fn from(raw: Timestamps) -> Times {
        let f = crate::attribute::format_time;
        Times {
            created: f(raw.created),
            modified: f(raw.modified),
            mft_changed: f(raw.mft_changed),
            accessed: f(raw.accessed),
            raw,
        }
    }
}

impl NameReport {
    fn new(reports: &Reports<'_>, name: &Name<'_>, in_use: bool) -> NameReport {
        let tree = reports.analysis.tree();
        let (path, orphan) = if in_use {
            (tree.path(name).ok(), false)
        } else {
            let (p, orphan) = tree.deleted_path(name);
            (Some(p), orphan)
        };
        NameReport {
            name_raw: (!name.is_valid_unicode()).then(|| name.to_hex()),
            name: name.to_string_lossy(),
            parent: name.parent().record,
            parent_sequence: name.parent().sequence,
            namespace: name.namespace(),
            resolution: path.as_ref().and_then(|_| {
                reports
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
        self.namespace == Namespace::Dos
    }
}

impl RecordReport {
    /// The names that are hard links (DOS aliases left out).
    pub fn hard_links(&self) -> impl Iterator<Item = &NameReport> {
        self.names.iter().filter(|n| !n.is_dos_alias())
    }

    /// True when the record has more than one hard link.
    pub fn is_multi_link(&self) -> bool {
        self.hard_links().nth(1).is_some()
    }

    /// True when the record is a link of any kind: more than one hard link,
    /// a reparse point (or Interix symlink), a shell link or a `.pif`.
    pub fn is_link(&self) -> bool {
        self.is_multi_link() || self.reparse.is_some() || self.is_shortcut()
    }

    /// True when the record is a shortcut: a shell link or a `.pif`.
    pub fn is_shortcut(&self) -> bool {
        self.shortcut.is_some() || self.pif.is_some()
    }

    /// What the record's shell link names (its target) or its `.pif` starts
    /// (its program); `None` for other records, and for a shell link that
    /// names no path.
    pub fn shortcut_target(&self) -> Option<&str> {
        match (&self.shortcut, &self.pif) {
            (Some(s), _) => s.target.as_deref(),
            (None, Some(p)) => Some(&p.program),
            (None, None) => None,
        }
    }

    /// Where the record's shell link or `.pif` leads.
    pub fn shortcut_resolution(&self) -> Option<&Resolution> {
        match (&self.shortcut, &self.pif) {
            (Some(s), _) => Some(&s.resolution),
            (None, Some(p)) => Some(&p.resolution),
            (None, None) => None,
        }
    }
}

/// The reports of an analysis: each record with its names' paths, its reparse
/// point decoded and its links resolved, and the analysis' findings on it.
///
/// ```no_run
/// use ntfs_links::{Analysis, LinkOptions, Reports, Scan, Tree};
/// let volume = ntfs_links::open("fixtures/c512.img", Default::default())?;
/// let scan = Scan::run(&volume, Default::default())?;
/// let analysis = Analysis::run(&volume, Tree::new(scan), Default::default());
/// let reports = Reports::new(&analysis, LinkOptions::default());
/// for report in reports.iter().filter(|r| r.is_multi_link()) {
///     println!("record {}: {} names", report.record, report.names.len());
/// }
/// # Ok::<(), ntfs_links::Error>(())
/// ```
#[derive(Debug)]
pub struct Reports<'a> {
    analysis: &'a Analysis,
    resolver: Resolver<'a>,
}

impl<'a> Reports<'a> {
    /// Prepares the reports of `analysis`, link targets judged under `options`
    /// (indexes names when there are links to resolve).
    pub fn new(analysis: &'a Analysis, options: LinkOptions) -> Reports<'a> {
        Reports {
            analysis,
            resolver: Resolver::new(analysis, options),
        }
    }

    /// How link targets are judged.
    pub fn options(&self) -> LinkOptions {
        self.resolver.options()
    }

    /// The analysis reported on.
    pub fn analysis(&self) -> &'a Analysis {
        self.analysis
    }

    /// The report of one record.
    pub fn report(&self, record: &Record<'_>) -> RecordReport {
        let in_use = record.in_use();
        RecordReport {
            record: record.number(),
            sequence: record.sequence(),
            in_use: in_use && record.state() != RecordState::Unreadable,
            is_dir: record.is_dir(),
            link_count: record.link_count(),
            names: record
                .names()
                .map(|n| NameReport::new(self, &n, in_use))
                .collect(),
            streams: record.streams().map(|s| s.name()).collect(),
            reparse: match self.analysis.reparse_point(record.number()) {
                Some(rp) => Some(rp.clone()),
                // A record the scan does not report (`stat` of an extension
                // record) was not analysed.
                None if !record.is_reported() => record.reparse_point(),
                None => None,
            },
            findings: self.analysis.findings(record.number()).cloned().collect(),
            times: record.times().map(Times::from),
            size: record.data_size(),
            index_slack: self.analysis.index_slack(record.number()).to_vec(),
            record_slack: self
                .analysis
                .scan()
                .record_slack(record.number())
                .map(|s| {
                    let mut s = s.clone();
                    if let (Some(parent), Some(name)) = (s.parent, &s.name) {
                        s.path = self
                            .analysis
                            .tree()
                            .directory_path(parent)
                            .map(|d| format!("{}/{name}", d.trim_end_matches('/')));
                    }
                    s
                })
                .collect(),
            shortcut: self.shortcut(record),
            compat: self.analysis.compat(record.number()).cloned(),
            pif: record
                .shortcut_bytes()
                .filter(|b| !crate::shortcut::is_shell_link(b))
                .and_then(crate::shortcut::decode_pif)
                .map(|pif| self.resolver.resolve_pif(&pif)),
        }
    }

    /// The shell link `record` holds, decoded and resolved from the directory
    /// of its first name.
    fn shortcut(&self, record: &Record<'_>) -> Option<ShortcutReport> {
        let bytes = record.shortcut_bytes()?;
        if !crate::shortcut::is_shell_link(bytes) {
            return None;
        }
        let link = crate::shortcut::decode(bytes);
        let parent = record
            .names()
            .find(|n| n.namespace() != crate::attribute::Namespace::Dos)
            .or_else(|| record.names().next())
            .map_or(crate::record::well_known::ROOT, |n| n.parent().record);
        Some(ShortcutReport {
            target: link
                .target_path()
                .or_else(|| link.strings.relative_path.clone()),
            resolution: self.resolver.resolve_shortcut(
                &link,
                parent,
                self.analysis.volume_serial(),
            ),
            link,
        })
    }

    /// Reports of every record the scan reports, in record order.
    pub fn iter(&self) -> impl Iterator<Item = RecordReport> + '_ {
        self.analysis.scan().records().map(|r| self.report(&r))
    }
}
