//! Directory indexes ($I30) against the names that claim each directory as parent,
//! and names recoverable from index slack.
//!
//! Each in-use directory's $INDEX_ROOT and the in-use INDX blocks of its
//! $INDEX_ALLOCATION (both named `$I30`, found through the attribute list when
//! they sit in extension records) are read. Every entry's key is a $FILE_NAME
//! copy and its reference the record it names. Findings:
//! - `missing_from_index` (on the record): one of its names is not in the index of
//!   the directory it claims;
//! - `stale_index_entry` (on the directory): an entry names a record that is not
//!   in use, has another sequence number, or does not carry that name.
//!
//! Index slack: the bytes of a node after its last entry, up to its allocated
//! size, often still hold entries of names since removed. With `index_slack`,
//! every entry found there whose key is a well-formed $FILE_NAME of this
//! directory is kept for the directory's report.

use crate::attribute::index::ENTRY_HEADER;
use crate::attribute::{self, FILE_NAME_HEADER, FileName, Namespace};
use crate::index::{self, IndexError, Node};
use crate::record::FileReference;
use crate::scan::{Finding, FindingKind, RecordState, Scan};
use crate::volume::Volume;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The name of a directory's index of file names.
const I30: &str = "$I30";
/// Largest $I30 allocation read for one directory.
const MAX_ALLOCATION: u64 = 1 << 30;
/// The smallest entry that holds a $FILE_NAME key.
const MIN_ENTRY: usize = ENTRY_HEADER + FILE_NAME_HEADER;

/// A name recovered from index slack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SlackEntry {
    /// The name.
    pub name: String,
    /// The record the entry named; `None` for a key carved without its entry
    /// header (the reference was overwritten).
    pub record: Option<u64>,
    /// Its sequence number then (`None` with the record).
    pub sequence: Option<u16>,
    /// Its namespace.
    pub namespace: Namespace,
}

/// Reported in order of name, record, sequence, then namespace by its name.
impl Ord for SlackEntry {
    fn cmp(&self, other: &SlackEntry) -> std::cmp::Ordering {
        fn key(e: &SlackEntry) -> (&str, Option<u64>, Option<u16>, &'static str) {
            (&e.name, e.record, e.sequence, e.namespace.as_str())
        }
        key(self).cmp(&key(other))
    }
}

impl PartialOrd for SlackEntry {
    fn partial_cmp(&self, other: &SlackEntry) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// One entry of an index: the record it names and the name, as UTF-16 units.
type Entry = (FileReference, Vec<u16>);

/// Compares every in-use directory's $I30 with the names that claim it; returns
/// the names recovered from index slack (with `slack`) by directory.
pub(super) fn check(
    scan: &Scan,
    volume: &Volume,
    slack: bool,
    findings: &mut Vec<(u64, Finding)>,
) -> BTreeMap<u64, Vec<SlackEntry>> {
    let mut slack_entries = BTreeMap::new();
    let mut claimed: HashMap<u64, Vec<(u64, u16, Vec<u16>)>> = HashMap::new();
    for r in scan
        .records()
        .filter(|r| r.in_use() && r.state() == RecordState::Valid)
    {
        for n in r.names() {
            claimed.entry(n.parent().record).or_default().push((
                r.number(),
                n.parent().sequence,
                n.units().to_vec(),
            ));
        }
    }
    let dirs: Vec<(u64, u16)> = scan
        .records()
        .filter(|r| r.in_use() && r.is_dir() && r.state() == RecordState::Valid)
        .map(|r| (r.number(), r.sequence()))
        .collect();
    for (d, seq) in dirs {
        let (entries, recovered) = match read_index(volume, d, slack) {
            Ok(x) => x,
            Err(why) => {
                findings.push((d, unreadable(I30, &why)));
                continue;
            }
        };
        // A slack entry is kept only when its reference is plausible: a record of
        // this $MFT with a sequence number (its first bytes may be overwritten).
        let count = scan.record_count();
        let recovered: Vec<SlackEntry> = recovered
            .into_iter()
            .filter(|e| match (e.record, e.sequence) {
                (Some(record), Some(sequence)) => record < count && sequence != 0,
                _ => true,
            })
            .collect();
        if !recovered.is_empty() {
            slack_entries.insert(d, recovered);
        }
        let keys: BTreeSet<(u64, &[u16])> = entries
            .iter()
            .map(|(r, n)| (r.record, n.as_slice()))
            .collect();
        for (record, parent_seq, name) in claimed.get(&d).map_or(&[][..], Vec::as_slice) {
            if *parent_seq == seq && !keys.contains(&(*record, name.as_slice())) {
                findings.push((
                    *record,
                    Finding::new(
                        FindingKind::MissingFromIndex,
                        format!(
                            "name {:?} is not in the $I30 index of its directory, record {d}",
                            String::from_utf16_lossy(name)
                        ),
                    ),
                ));
            }
        }
        for (reference, name) in &entries {
            let target = scan.record(reference.record).filter(|r| r.in_use());
            let why = match target {
                None => Some("is not in use".to_owned()),
                Some(r) if r.sequence() != reference.sequence => Some(format!(
                    "has sequence {}, the entry {}",
                    r.sequence(),
                    reference.sequence
                )),
                Some(r)
                    if !r
                        .names()
                        .any(|n| n.parent().record == d && n.units() == name.as_slice()) =>
                {
                    Some("does not carry that name in this directory".to_owned())
                }
                Some(_) => None,
            };
            if let Some(why) = why {
                findings.push((
                    d,
                    Finding::new(
                        FindingKind::StaleIndexEntry,
                        format!(
                            "$I30 entry {:?} names record {}-{}, which {why}",
                            String::from_utf16_lossy(name),
                            reference.record,
                            reference.sequence
                        ),
                    ),
                ));
            }
        }
    }
    slack_entries
}

/// The finding on a file whose index `name` cannot be read.
pub(super) fn unreadable(name: &str, why: &IndexError) -> Finding {
    Finding {
        offset: why.offset(),
        ..Finding::new(
            FindingKind::UnreadableIndex,
            format!("{name} cannot be read: {why}"),
        )
    }
}

/// Every entry of directory `d`'s $I30, and with `slack` the entries recovered
/// from its nodes' slack.
fn read_index(
    volume: &Volume,
    d: u64,
    slack: bool,
) -> Result<(Vec<Entry>, Vec<SlackEntry>), IndexError> {
    let mut entries = Vec::new();
    let mut recovered = BTreeSet::new();
    index::read(volume, d, I30, MAX_ALLOCATION, &mut |node| {
        read_node(&node, d, &mut entries, slack.then_some(&mut recovered))
    })?;
    // Slack keeps copies of live entries too (nodes split and merge): only names
    // no longer in the index are recovered.
    let live: BTreeSet<(u64, String)> = entries
        .iter()
        .map(|(r, n)| (r.record, String::from_utf16_lossy(n)))
        .collect();
    let live_names: BTreeSet<&str> = live.iter().map(|(_, n)| n.as_str()).collect();
    let recovered = recovered
        .into_iter()
        .filter(|e| match e.record {
            Some(record) => !live.contains(&(record, e.name.clone())),
            // A carved key has no reference: a live name is not recovered.
            None => !live_names.contains(e.name.as_str()),
        })
        .collect();
    Ok((entries, recovered))
}

/// The entries of one node; with `slack`, what its slack still holds.
fn read_node(
    node: &Node<'_>,
    dir: u64,
    entries: &mut Vec<Entry>,
    slack: Option<&mut BTreeSet<SlackEntry>>,
) -> Result<(), IndexError> {
    for e in index::entries(node) {
        let e = e?;
        if let Some(name) = FileName::new(e.key) {
            entries.push((
                FileReference::from_u64(e.reference),
                name.name().units().collect(),
            ));
        }
    }
    let Some(slack) = slack else { return Ok(()) };
    let (buf, header) = (node.bytes, node.header);
    let node_header = attribute::index::node_header(buf, header);
    let used = node_header.map_or(buf.len(), |h| header + h.entries_end.get() as usize);
    let allocated = node_header.map_or(buf.len(), |h| {
        (header + h.allocated.get() as usize).min(buf.len())
    });
    // Whole entries at 8-byte steps; where none is, a $FILE_NAME key whose
    // entry header is gone (overwritten by the node's end entry, as Windows
    // leaves it when it removes the last entry).
    let mut at = used.next_multiple_of(8);
    let mut covered = at;
    while at + FILE_NAME_HEADER <= allocated {
        if let Some((found, len)) = slack_entry(buf, at, allocated, dir) {
            slack.insert(found);
            covered = at + len;
        } else if at >= covered
            && let Some((found, len)) = carved_key(buf, at, allocated, dir)
        {
            slack.insert(found);
            covered = at + len;
        }
        at += 8;
    }
    Ok(())
}

/// NTFS times from 1980 to 2100: what a carved key's four times must be.
const PLAUSIBLE_TIMES: std::ops::Range<u64> = 119_600_064_000_000_000..157_469_184_000_000_000;

/// A bare $FILE_NAME key at `at`: its parent is this directory, its name valid
/// UTF-16 of 1 to 255 units that fits before `end`, its four times plausible.
fn carved_key(buf: &[u8], at: usize, end: usize, dir: u64) -> Option<(SlackEntry, usize)> {
    let name = FileName::new(buf.get(at..end)?)?;
    let units = name.name().units().count();
    if name.parent().record != dir || !(1..=255).contains(&units) || !name.name().is_valid() {
        return None;
    }
    if !name
        .times()
        .to_array()
        .iter()
        .all(|t| PLAUSIBLE_TIMES.contains(t))
    {
        return None;
    }
    let len = FILE_NAME_HEADER + 2 * units;
    Some((
        SlackEntry {
            name: name.name().to_string_lossy(),
            record: None,
            sequence: None,
            namespace: name.namespace(),
        },
        len,
    ))
}

/// A plausible index entry at `at` of a node's slack: a well-formed $FILE_NAME
/// key whose parent is this directory; with the entry's length.
fn slack_entry(buf: &[u8], at: usize, end: usize, dir: u64) -> Option<(SlackEntry, usize)> {
    let entry = attribute::index::entry_header(buf, at)?;
    let len = entry.length.get() as usize;
    let key_len = entry.key_length.get() as usize;
    if len < MIN_ENTRY
        || at + len > end
        || key_len < FILE_NAME_HEADER
        || ENTRY_HEADER + key_len > len
    {
        return None;
    }
    let key = buf.get(at + ENTRY_HEADER..at + ENTRY_HEADER + key_len)?;
    let name = FileName::new(key)?;
    if name.parent().record != dir || name.name().is_empty() || !name.name().is_valid() {
        return None;
    }
    let reference = FileReference::from_u64(entry.reference.get());
    Some((
        SlackEntry {
            name: name.name().to_string_lossy(),
            record: Some(reference.record),
            sequence: Some(reference.sequence),
            namespace: name.namespace(),
        },
        len,
    ))
}
