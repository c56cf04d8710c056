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

use super::{Finding, FindingKind, RecordState, Scan};
use crate::attribute::FileName;
use crate::attribute::index::{self, BLOCK_NODE_HEADER, IndexRoot, ROOT_HEADER};
use crate::bytes::{u16_at, u32_at, u64_at};
use crate::record::{
    Attribute, AttributeListEntries, AttributeType, FileReference, RecordView, apply_fixups,
};
use crate::volume::Volume;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// Largest $I30 allocation read for one directory.
const MAX_ALLOCATION: u64 = 1 << 30;
/// Most extension records followed for one directory's index attributes.
const MAX_EXTENSIONS: usize = 512;

/// A name recovered from index slack.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SlackEntry {
    /// The name.
    pub name: String,
    /// The record the entry named.
    pub record: u64,
    /// Its sequence number then.
    pub sequence: u16,
    /// `posix`, `win32`, `dos` or `win32_and_dos`.
    pub namespace: &'static str,
}

/// One entry of an index: the record it names and the name, as UTF-16 units.
type Entry = (FileReference, Vec<u16>);

pub(super) fn check(scan: &mut Scan, volume: &Volume, slack: bool) {
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
    let mut findings = Vec::new();
    for (d, seq) in dirs {
        let (entries, recovered) = match read_index(volume, d, slack) {
            Ok(x) => x,
            Err(why) => {
                findings.push((
                    d,
                    Finding::new(
                        FindingKind::StaleIndexEntry,
                        format!("$I30 cannot be read: {why}"),
                    ),
                ));
                continue;
            }
        };
        // A slack entry is kept only when its reference is plausible: a record of
        // this $MFT with a sequence number (its first bytes may be overwritten).
        let count = scan.record_count();
        let recovered: Vec<SlackEntry> = recovered
            .into_iter()
            .filter(|e| e.record < count && e.sequence != 0)
            .collect();
        if !recovered.is_empty() {
            scan.index_slack.insert(d, recovered);
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
    scan.findings.append(&mut findings);
}

/// A record read on a cold path: its bytes, fixups applied.
struct Owned {
    bytes: Vec<u8>,
}

impl Owned {
    fn attributes(&self) -> Vec<Attribute<'_>> {
        RecordView::new(&self.bytes)
            .map(|v| v.attributes().flatten().collect())
            .unwrap_or_default()
    }
}

fn read(volume: &Volume, n: u64) -> Result<Owned, String> {
    let (bytes, fixups) = volume.read_record(n).map_err(|e| e.to_string())?;
    fixups.map_err(|e| format!("record {n}: {e}"))?;
    Ok(Owned { bytes })
}

/// The base record and the extension records its attribute list names.
fn records_of(volume: &Volume, d: u64) -> Result<Vec<(u64, Owned)>, String> {
    let base = read(volume, d)?;
    let mut more = BTreeSet::new();
    for attr in base
        .attributes()
        .into_iter()
        .filter(|a| a.type_code() == AttributeType::ATTRIBUTE_LIST)
    {
        let value = volume
            .attribute_value(&attr, d)
            .map_err(|e| e.to_string())?;
        for e in AttributeListEntries::new(&value).flatten() {
            if e.reference.record != d && matches!(e.type_code, 0x90..=0xB0) {
                more.insert(e.reference.record);
            }
        }
    }
    let mut out = vec![(d, base)];
    for e in more.into_iter().take(MAX_EXTENSIONS) {
        out.push((e, read(volume, e)?));
    }
    Ok(out)
}

/// Every entry of directory `d`'s $I30, and with `slack` the entries recovered
/// from its nodes' slack.
fn read_index(
    volume: &Volume,
    d: u64,
    slack: bool,
) -> Result<(Vec<Entry>, Vec<SlackEntry>), String> {
    let records = records_of(volume, d)?;
    let named_i30 = |a: &Attribute<'_>| a.name().eq_str("$I30");
    let find = |code: u32| {
        records.iter().find_map(|(n, r)| {
            r.attributes()
                .into_iter()
                .find(|a| a.type_code() == code && named_i30(a))
                .map(|a| (*n, a))
        })
    };
    let mut entries = Vec::new();
    let mut recovered = BTreeSet::new();
    let (_, root) = find(0x90).ok_or("no $INDEX_ROOT named $I30")?;
    let root = root.value().ok_or("$INDEX_ROOT is not resident")?;
    let block_size = IndexRoot::parse(root)
        .ok_or("$INDEX_ROOT too short")?
        .block_size as usize;
    node(
        root,
        ROOT_HEADER,
        d,
        &mut entries,
        slack.then_some(&mut recovered),
    )?;
    let pieces: Vec<(u64, Attribute<'_>)> = records
        .iter()
        .flat_map(|(n, r)| r.attributes().into_iter().map(move |a| (*n, a)))
        .filter(|(_, a)| a.type_code() == 0xA0 && named_i30(a))
        .collect();
    if !pieces.is_empty() {
        if !(512..=65536).contains(&block_size) || !block_size.is_power_of_two() {
            return Err(format!("index block size {block_size} makes no sense"));
        }
        let data = volume
            .attribute_pieces_value(&pieces, MAX_ALLOCATION)
            .map_err(|e| e.to_string())?;
        let (bn, bitmap) = find(0xB0).ok_or("no $BITMAP named $I30")?;
        let bitmap = volume
            .attribute_value(&bitmap, bn)
            .map_err(|e| e.to_string())?;
        let mut block = vec![0u8; block_size];
        for (i, chunk) in data.chunks_exact(block_size).enumerate() {
            if bitmap.get(i / 8).is_none_or(|b| b & (1 << (i % 8)) == 0)
                || chunk.get(0..4) != Some(b"INDX")
            {
                continue;
            }
            block.copy_from_slice(chunk);
            apply_fixups(&mut block).map_err(|e| format!("index block {i}: {e}"))?;
            node(
                &block,
                BLOCK_NODE_HEADER,
                d,
                &mut entries,
                slack.then_some(&mut recovered),
            )?;
        }
    }
    // Slack keeps copies of live entries too (nodes split and merge): only names
    // no longer in the index are recovered.
    let live: BTreeSet<(u64, String)> = entries
        .iter()
        .map(|(r, n)| (r.record, String::from_utf16_lossy(n)))
        .collect();
    let recovered = recovered
        .into_iter()
        .filter(|e| !live.contains(&(e.record, e.name.clone())))
        .collect();
    Ok((entries, recovered))
}

/// The entries of one node; with `slack`, what its slack still holds.
fn node(
    buf: &[u8],
    header: usize,
    dir: u64,
    entries: &mut Vec<Entry>,
    slack: Option<&mut BTreeSet<SlackEntry>>,
) -> Result<(), String> {
    for e in index::entries(buf, header) {
        let e = e.map_err(|at| format!("index entry at {at:#x} is damaged"))?;
        if let Some(name) = FileName::new(e.key) {
            entries.push((
                FileReference::from_u64(e.reference),
                name.name().units().collect(),
            ));
        }
    }
    let Some(slack) = slack else { return Ok(()) };
    let used = u32_at(buf, header + 4).map_or(buf.len(), |u| header + u as usize);
    let allocated =
        u32_at(buf, header + 8).map_or(buf.len(), |a| (header + a as usize).min(buf.len()));
    let mut at = used.next_multiple_of(8);
    while at + 0x52 <= allocated {
        if let Some(found) = slack_entry(buf, at, allocated, dir) {
            slack.insert(found);
        }
        at += 8;
    }
    Ok(())
}

/// A plausible index entry at `at` of a node's slack: a well-formed $FILE_NAME
/// key whose parent is this directory.
fn slack_entry(buf: &[u8], at: usize, end: usize, dir: u64) -> Option<SlackEntry> {
    let len = u16_at(buf, at + 8)? as usize;
    let key_len = u16_at(buf, at + 10)? as usize;
    if len < 0x52 || at + len > end || key_len < 0x42 || 16 + key_len > len {
        return None;
    }
    let key = buf.get(at + 16..at + 16 + key_len)?;
    let name = FileName::new(key)?;
    if name.parent().record != dir || name.name().is_empty() || !name.name().is_valid() {
        return None;
    }
    let reference = FileReference::from_u64(u64_at(buf, at)?);
    Some(SlackEntry {
        name: name.name().to_string_lossy(),
        record: reference.record,
        sequence: reference.sequence,
        namespace: name.namespace().as_str(),
    })
}
