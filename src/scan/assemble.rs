//! Assembly of files whose attributes spread over extension records, and the
//! checks that need the whole table: attribute lists against the records they
//! name, extension records no list claims, link counts, nameless records.

use super::{Assembled, BlobKind, Finding, FindingKind, RecordState, Scan};
use crate::record::{AttributeType, FLAG_IN_USE, FileReference};
use crate::volume::Volume;
use std::collections::{BTreeSet, HashMap};

/// Records 12 to 15 are reserved by NTFS: in use, but without names.
const RESERVED: std::ops::RangeInclusive<u64> = 12..=15;

pub(super) fn assemble(scan: &mut Scan, _volume: &Volume) {
    let t = &scan.tables;
    let mut assembled = HashMap::new();
    let mut findings = Vec::new();
    let mut claimed = BTreeSet::new();
    for (n, rec) in t.records.iter().enumerate() {
        let n = n as u64;
        if !rec.has_list || rec.base != 0 || rec.state != RecordState::Valid {
            continue;
        }
        let me = FileReference {
            record: n,
            sequence: rec.sequence,
        };
        let mut a = Assembled::default();
        let mut foreign = BTreeSet::new();
        for le in &t.list[t.list_of(n as usize).start as usize..t.list_of(n as usize).end as usize]
        {
            let r = FileReference::from_u64(le.reference);
            let Some(target) = usize::try_from(r.record)
                .ok()
                .and_then(|i| t.records.get(i))
            else {
                foreign.insert(r.record);
                continue;
            };
            if r.record != n {
                let base = FileReference::from_u64(target.base);
                if target.state != RecordState::Valid || base != me || target.sequence != r.sequence
                {
                    foreign.insert(r.record);
                    continue;
                }
                claimed.insert(r.record);
            }
            if !le.first_piece {
                continue;
            }
            let found = match le.type_code {
                AttributeType::FILE_NAME => t
                    .names_of(r.record as usize)
                    .find(|&i| t.names[i as usize].instance == le.instance)
                    .map(|i| a.names.push(i)),
                AttributeType::DATA if le.named => t
                    .streams_of(r.record as usize)
                    .find(|&i| t.streams[i as usize].instance == le.instance)
                    .map(|i| a.streams.push(i)),
                AttributeType::REPARSE_POINT => {
                    let blobs = &t.blobs;
                    let start = blobs.partition_point(|b| b.record < r.record);
                    (start..blobs.len())
                        .take_while(|&i| blobs[i].record == r.record)
                        .find(|&i| {
                            blobs[i].kind == BlobKind::Reparse && blobs[i].instance == le.instance
                        })
                        .map(|i| a.reparse = Some(i))
                }
                _ => Some(()),
            };
            if found.is_none() {
                findings.push((
                    n,
                    Finding::new(
                        FindingKind::MissingListedAttribute,
                        format!(
                            "attribute list names attribute {:#x} instance {} in record {}, which does not hold it",
                            le.type_code, le.instance, r.record
                        ),
                    ),
                ));
            }
        }
        for r in foreign {
            findings.push((
                n,
                Finding::new(
                    FindingKind::ForeignExtension,
                    format!("attribute list names record {r}, which is not an extension of record {n} (sequence {})", rec.sequence),
                ),
            ));
        }
        assembled.insert(n, a);
    }
    for (e, rec) in t.records.iter().enumerate() {
        let e = e as u64;
        if rec.base == 0
            || rec.state != RecordState::Valid
            || rec.flags & FLAG_IN_USE == 0
            || claimed.contains(&e)
        {
            continue;
        }
        let base = FileReference::from_u64(rec.base);
        let live = usize::try_from(base.record)
            .ok()
            .and_then(|i| t.records.get(i))
            .is_some_and(|b| {
                b.flags & FLAG_IN_USE != 0 && b.sequence == base.sequence && b.base == 0
            });
        if live {
            findings.push((
                base.record,
                Finding::new(
                    FindingKind::UnlistedExtension,
                    format!("extension record {e} names this record as its base but no attribute list names it"),
                ),
            ));
        }
    }
    scan.assembled = assembled;
    scan.tables.findings.append(&mut findings);
    counts(scan);
}

/// Link count against names, and in-use records without names; not on records
/// whose attributes could not all be read (their names may be incomplete).
fn counts(scan: &mut Scan) {
    let mut findings = Vec::new();
    for r in scan.records() {
        if r.state() != RecordState::Valid
            || !r.in_use()
            || scan.tables.records[r.number() as usize].damaged
        {
            continue;
        }
        let names = r.names().count();
        if names == 0 && !RESERVED.contains(&r.number()) {
            findings.push((
                r.number(),
                Finding::new(
                    FindingKind::NoName,
                    "in-use base record holds no $FILE_NAME",
                ),
            ));
        } else if names != r.link_count() as usize && names != 0 {
            findings.push((
                r.number(),
                Finding::new(
                    FindingKind::LinkCountMismatch,
                    format!(
                        "header link count is {}, but the record has {names} $FILE_NAME attributes",
                        r.link_count()
                    ),
                ),
            ));
        }
    }
    scan.tables.findings.append(&mut findings);
}
