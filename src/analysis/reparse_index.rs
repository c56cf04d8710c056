//! $Extend\$Reparse:$R against the records: every reparse point should have an
//! entry (key: tag and file reference), and every entry a reparse point.
//!
//! Entries come from the $INDEX_ROOT and from every INDX block of the
//! $INDEX_ALLOCATION that the index's $BITMAP marks in use (blocks not in use can
//! hold stale entries).

use super::index_check::unreadable;
use crate::bytes::{u32_at, u64_at};
use crate::index::{self, IndexError};
use crate::record::FileReference;
use crate::record::well_known::{EXTEND, REPARSE_NAME};
use crate::scan::{Finding, FindingKind, RecordState, Scan};
use crate::volume::Volume;
use std::collections::BTreeSet;

/// The name of $Reparse's index of reparse points.
const R: &str = "$R";

/// Largest $R allocation read: 256 MiB (some 6 million reparse points).
const MAX_ALLOCATION: u64 = 256 << 20;

/// Compares $R with the records; findings go to the records concerned, or to
/// $Reparse itself for what is wrong with the index.
pub(super) fn check(scan: &Scan, volume: &Volume, findings: &mut Vec<(u64, Finding)>) {
    let Some(reparse_record) = find_reparse_file(scan) else {
        return; // no $Extend\$Reparse (NTFS 1.x, or a bare $MFT that lacks it)
    };
    let entries = match read_entries(volume, reparse_record) {
        Ok(e) => e,
        Err(why) => {
            findings.push((reparse_record, unreadable(R, &why)));
            return;
        }
    };
    let keyed: BTreeSet<(u64, u32)> = entries.iter().map(|(r, tag)| (r.record, *tag)).collect();
    for r in scan
        .records()
        .filter(|r| r.in_use() && r.state() == RecordState::Valid)
    {
        if let Some(tag) = r.reparse_tag()
            && !entries.contains(&(r.reference(), tag))
        {
            let why = if keyed.contains(&(r.number(), tag)) {
                " with this sequence number"
            } else {
                ""
            };
            findings.push((
                r.number(),
                Finding::new(
                    FindingKind::ReparseIndexMissing,
                    format!(
                        "reparse point (tag {tag:#010x}) has no entry in $Extend\\$Reparse:$R{why}"
                    ),
                ),
            ));
        }
    }
    for (reference, tag) in &entries {
        let live = scan
            .record(reference.record)
            .filter(|r| r.in_use() && r.sequence() == reference.sequence);
        if live.and_then(|r| r.reparse_tag()) != Some(*tag) {
            findings.push((
                reparse_record,
                Finding::new(
                    FindingKind::ReparseIndexStale,
                    format!(
                        "$R entry (tag {tag:#010x}, record {}-{}) names no such reparse point",
                        reference.record, reference.sequence
                    ),
                ),
            ));
        }
    }
}

/// The record of `$Extend\$Reparse`.
fn find_reparse_file(scan: &Scan) -> Option<u64> {
    let name: Vec<u16> = REPARSE_NAME.encode_utf16().collect();
    scan.records()
        .filter(|r| r.in_use())
        .find(|r| {
            r.names()
                .any(|n| n.parent().record == EXTEND && n.units() == name.as_slice())
        })
        .map(|r| r.number())
}

/// Every in-use entry of $R: (file reference, tag).
fn read_entries(
    volume: &Volume,
    record: u64,
) -> Result<BTreeSet<(FileReference, u32)>, IndexError> {
    let mut out = BTreeSet::new();
    index::read(volume, record, R, MAX_ALLOCATION, &mut |node| {
        for e in index::entries(&node) {
            // The key: the tag (4), then the file reference (8).
            let key = e?.key;
            if let (Some(tag), Some(r)) = (u32_at(key, 0), u64_at(key, 4)) {
                out.insert((FileReference::from_u64(r), tag));
            }
        }
        Ok(())
    })?;
    Ok(out)
}
