//! Every check, once: what the walk found, and what only the whole table shows.
//!
//! [`Analysis::run`] takes a [`Tree`] (which holds its [`Scan`]) and makes one table of
//! findings sorted by record. Within a record, findings keep the order of the
//! stages that make them:
//! 1. reading the record and assembling it ([`Scan`]: damage, attribute lists);
//! 2. link counts and nameless records;
//! 3. `$Extend\$Reparse:$R` against the reparse points (volumes only);
//! 4. the $I30 indexes against the names that claim each directory
//!    ([`AnalysisOptions::check_index`], volumes only);
//! 5. names without a path (a broken parent chain);
//! 6. a reparse point against its record (buffer, flags, the tags names hold);
//! 7. timestamps ($STANDARD_INFORMATION earlier than $FILE_NAME);
//! 8. Windows' compatibility links against the table Windows makes them by
//!    ([`compat`]: target, kind, attributes, and on a volume their access list).
//!
//! The reports (in [`links`](crate::links)) read this table; nothing after the
//! analysis makes a finding.

mod checks;
pub mod compat;
mod index_check;
mod reparse_index;

pub use compat::{CompatLink, ExpectedTarget};
pub use index_check::SlackEntry;

use crate::reparse::ReparsePoint;
use crate::scan::{CHUNK_RECORDS, Finding, Scan};
use crate::tree::Tree;
use crate::volume::{Source, Volume};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Options of an analysis: the checks that read more than the $MFT.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AnalysisOptions {
    /// Read every directory's $I30 index and compare it with the names that
    /// claim the directory (findings `missing_from_index`, `stale_index_entry`).
    pub check_index: bool,
    /// Also recover names from index slack (implies reading the indexes).
    pub index_slack: bool,
}

impl AnalysisOptions {
    /// With the $I30 checks.
    pub fn check_index(mut self, on: bool) -> AnalysisOptions {
        self.check_index = on;
        self
    }
    /// With names recovered from index slack.
    pub fn index_slack(mut self, on: bool) -> AnalysisOptions {
        self.index_slack = on;
        self
    }
}

/// The findings of every check over one scan, and the names recovered from
/// index slack.
///
/// ```no_run
/// use ntfs_links::{Analysis, AnalysisOptions, Scan, ScanOptions, Tree};
/// let volume = ntfs_links::open("fixtures/basic.img", Default::default())?;
/// let scan = Scan::run(&volume, ScanOptions::default())?;
/// let analysis = Analysis::run(&volume, Tree::new(scan), AnalysisOptions::default());
/// for (record, finding) in analysis.all_findings() {
///     println!("record {record}: {}", finding.message);
/// }
/// # Ok::<(), ntfs_links::Error>(())
/// ```
#[derive(Debug)]
pub struct Analysis {
    tree: Tree,
    options: AnalysisOptions,
    /// Every finding, sorted by record (stable: stage order within a record).
    findings: Vec<(u64, Finding)>,
    /// Names recovered from index slack, by directory.
    index_slack: BTreeMap<u64, Vec<SlackEntry>>,
    /// Every reparse point (and Interix symlink) of a reported record, decoded
    /// once, sorted by record.
    reparse: Vec<(u64, ReparsePoint)>,
    /// What is wrong with the volume as a whole (an image shorter than the
    /// volume, a $MFT that cannot all be read): the scan saw only part of it.
    volume_problems: Vec<String>,
    /// The volume serial number as Windows shows it (the low 32 bits of the
    /// boot sector's), which shell links record.
    volume_serial: Option<u32>,
    /// The links recognised as Windows' compatibility links, by record.
    compat: Vec<(u64, CompatLink)>,
}

impl Analysis {
    /// Runs every check on the scan behind `tree`; `volume` is read for the
    /// indexes ($R always, $I30 with [`AnalysisOptions::check_index`]).
    pub fn run(volume: &Volume, tree: Tree, options: AnalysisOptions) -> Analysis {
        let scan = tree.scan();
        let on_volume = volume.source() == Source::Volume;
        let checks::PerRecord {
            early,
            late,
            reparse,
        } = checks::per_record(&tree);
        let mut findings = scan.findings.clone();
        findings.extend(early);
        if on_volume {
            reparse_index::check(scan, volume, &mut findings);
        }
        let mut index_slack = BTreeMap::new();
        if on_volume && (options.check_index || options.index_slack) {
            index_slack = index_check::check(scan, volume, options.index_slack, &mut findings);
        }
        findings.extend(late);
        let compat = compat::check(volume, &tree, &reparse, &mut findings);
        findings.sort_by_key(|(r, _)| *r);
        // Every finding has an address: the structure's when the check knows it,
        // else the record's.
        for (r, f) in &mut findings {
            if f.offset.is_none() {
                f.offset = volume.record_image_offset(*r);
            }
        }
        Analysis {
            tree,
            options,
            findings,
            index_slack,
            reparse,
            volume_problems: volume.warnings().to_vec(),
            volume_serial: volume.boot_sector().map(|b| b.windows_serial()),
            compat,
        }
    }

    /// The volume serial number as Windows shows it (`0246-9FF7` is
    /// `0x02469FF7`): the low 32 bits of the boot sector's. `None` for a bare
    /// $MFT.
    pub fn volume_serial(&self) -> Option<u32> {
        self.volume_serial
    }

    /// What is wrong with the volume as a whole: the scan saw only part of it
    /// (empty when the whole $MFT was read).
    pub fn volume_problems(&self) -> &[String] {
        &self.volume_problems
    }

    /// The tree (and through it the scan) this analysis is of.
    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// The scan this analysis is of.
    pub fn scan(&self) -> &Scan {
        self.tree.scan()
    }

    /// Options it ran with.
    pub fn options(&self) -> AnalysisOptions {
        self.options
    }

    /// The findings on record `record`, in stage order.
    pub fn findings(&self, record: u64) -> impl Iterator<Item = &Finding> + '_ {
        let start = self.findings.partition_point(|(r, _)| *r < record);
        self.findings
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(move |(r, _)| *r == record)
            .map(|(_, f)| f)
    }

    /// Every finding with its record, sorted by record.
    pub fn all_findings(&self) -> impl Iterator<Item = (u64, &Finding)> + '_ {
        self.findings.iter().map(|(r, f)| (*r, f))
    }

    /// The reparse point (or Interix symlink) of record `record`, decoded, when
    /// the scan reports the record.
    pub fn reparse_point(&self, record: u64) -> Option<&ReparsePoint> {
        let i = self
            .reparse
            .binary_search_by_key(&record, |(r, _)| *r)
            .ok()?;
        self.reparse.get(i).map(|(_, rp)| rp)
    }

    /// What record `record` is as one of Windows' compatibility links.
    pub fn compat(&self, record: u64) -> Option<&CompatLink> {
        let i = self
            .compat
            .binary_search_by_key(&record, |(r, _)| *r)
            .ok()?;
        self.compat.get(i).map(|(_, c)| c)
    }

    /// Every decoded reparse point with its record, in record order.
    pub fn reparse_points(&self) -> impl Iterator<Item = (u64, &ReparsePoint)> + '_ {
        self.reparse.iter().map(|(r, rp)| (*r, rp))
    }

    /// Names recovered from directory `record`'s index slack (with
    /// [`AnalysisOptions::index_slack`]).
    pub fn index_slack(&self, record: u64) -> &[SlackEntry] {
        self.index_slack.get(&record).map_or(&[], Vec::as_slice)
    }
}

/// Runs `f` over the records of `scan` a chunk at a time in parallel, and joins
/// what each chunk gave in record order.
fn par_chunks<T: Send>(scan: &Scan, f: impl Fn(u64, u64, &mut Vec<T>) + Sync) -> Vec<T> {
    let count = scan.record_count();
    let starts: Vec<u64> = (0..count).step_by(CHUNK_RECORDS as usize).collect();
    let parts: Vec<Vec<T>> = starts
        .par_iter()
        .map(|&start| {
            let mut out = Vec::new();
            f(start, (start + CHUNK_RECORDS).min(count), &mut out);
            out
        })
        .collect();
    parts.into_iter().flatten().collect()
}
