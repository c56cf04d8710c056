//! $Extend\$Reparse:$R against the records: every reparse point should have an
//! entry (key: tag and file reference), and every entry a reparse point.
//!
//! Entries come from the $INDEX_ROOT and from every INDX block of the
//! $INDEX_ALLOCATION that the index's $BITMAP marks in use (blocks not in use can
//! hold stale entries).

use super::{Finding, FindingKind, RecordState, Scan};
use crate::attribute::index::{self, BLOCK_NODE_HEADER, IndexRoot, ROOT_HEADER};
use crate::record::{AttributeType, FileReference, RecordView, apply_fixups};
use crate::tree::EXTEND;
use crate::volume::Volume;
use std::collections::BTreeSet;

/// Largest $R allocation read: 256 MiB (some 6 million reparse points).
const MAX_ALLOCATION: u64 = 256 << 20;

/// Compares $R with the records; findings go to the records concerned, or to
/// $Reparse itself for what is wrong with the index.
pub(super) fn check(scan: &mut Scan, volume: &Volume) {
    let Some(reparse_record) = find_reparse_file(scan) else {
        return; // no $Extend\$Reparse (NTFS 1.x, or a bare $MFT that lacks it)
    };
    let mut findings = Vec::new();
    let entries = match read_entries(volume, reparse_record) {
        Ok(e) => e,
        Err(why) => {
            scan.findings.push((
                reparse_record,
                Finding::new(
                    FindingKind::ReparseIndexStale,
                    format!("$R cannot be read: {why}"),
                ),
            ));
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
    scan.findings.append(&mut findings);
}

/// The record of `$Extend\$Reparse`.
fn find_reparse_file(scan: &Scan) -> Option<u64> {
    let name: Vec<u16> = "$Reparse".encode_utf16().collect();
    scan.records()
        .filter(|r| r.in_use())
        .find(|r| {
            r.names()
                .any(|n| n.parent().record == EXTEND && n.units() == name.as_slice())
        })
        .map(|r| r.number())
}

/// Every in-use entry of $R: (file reference, tag).
fn read_entries(volume: &Volume, record: u64) -> Result<BTreeSet<(FileReference, u32)>, String> {
    let (buf, fixups) = volume.read_record(record).map_err(|e| e.to_string())?;
    fixups.map_err(|e| e.to_string())?;
    let view = RecordView::new(&buf).map_err(|e| e.to_string())?;
    let named_r = |a: &crate::record::Attribute<'_>| a.name().eq_str("$R");
    let mut out = BTreeSet::new();
    let mut keep = |key: &[u8]| {
        if let (Some(tag), Some(r)) = (crate::bytes::u32_at(key, 0), crate::bytes::u64_at(key, 4)) {
            out.insert((FileReference::from_u64(r), tag));
        }
    };
    let attrs: Vec<_> = view.attributes().flatten().filter(|a| named_r(a)).collect();
    let root = attrs
        .iter()
        .find(|a| a.kind() == AttributeType::IndexRoot)
        .and_then(|a| a.value())
        .ok_or("no $INDEX_ROOT named $R in the base record")?;
    let block_size = IndexRoot::parse(root)
        .ok_or("$INDEX_ROOT too short")?
        .block_size as usize;
    for e in index::entries(root, ROOT_HEADER) {
        keep(
            e.map_err(|at| format!("$INDEX_ROOT entry at {at:#x} is damaged"))?
                .key,
        );
    }
    let Some(alloc) = attrs
        .iter()
        .find(|a| a.kind() == AttributeType::IndexAllocation)
    else {
        return Ok(out);
    };
    if !(512..=65536).contains(&block_size) || !block_size.is_power_of_two() {
        return Err(format!("index block size {block_size} makes no sense"));
    }
    let data = volume
        .attribute_value_max(alloc, record, MAX_ALLOCATION)
        .map_err(|e| e.to_string())?;
    let bitmap = match attrs.iter().find(|a| a.kind() == AttributeType::Bitmap) {
        Some(b) => volume
            .attribute_value(b, record)
            .map_err(|e| e.to_string())?,
        None => return Err("no $BITMAP named $R".into()),
    };
    let mut block = vec![0u8; block_size];
    for (i, chunk) in data.chunks_exact(block_size).enumerate() {
        if bitmap.get(i / 8).is_none_or(|b| b & (1 << (i % 8)) == 0) {
            continue;
        }
        block.copy_from_slice(chunk);
        if &block[0..4] != b"INDX" {
            return Err(format!("index block {i} has no INDX signature"));
        }
        apply_fixups(&mut block).map_err(|e| format!("index block {i}: {e}"))?;
        for e in index::entries(&block, BLOCK_NODE_HEADER) {
            keep(
                e.map_err(|at| format!("index block {i}: entry at {at:#x} is damaged"))?
                    .key,
            );
        }
    }
    Ok(out)
}
