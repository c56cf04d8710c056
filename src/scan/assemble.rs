//! Assembly of files whose attributes spread over extension records, with what
//! assembly finds on the way: attribute lists against the records they name, and
//! extension records no list claims.

use super::{Assembled, BlobKind, Finding, FindingKind, RecordState, Scan};
use crate::record::{AttributeType, FileReference, RecordFlags};
use std::collections::{BTreeSet, HashMap};

pub(super) fn assemble(scan: &mut Scan) {
    let mut assembled = HashMap::new();
    let mut findings = Vec::new();
    let mut claimed = BTreeSet::new();
    for n in 0..scan.count {
        let Some(rec) = scan.entry(n) else { continue };
        if !rec.has_list || rec.base != 0 || rec.state != RecordState::Valid {
            continue;
        }
        let (c, i) = Scan::locate(n);
        let Some(t) = scan.chunks.get(c) else {
            continue;
        };
        let me = FileReference {
            record: n,
            sequence: rec.sequence,
        };
        let mut a = Assembled::default();
        let mut foreign = BTreeSet::new();
        let span = t.list_of(i);
        for le in t
            .list
            .get(span.start as usize..span.end as usize)
            .unwrap_or_default()
        {
            let r = FileReference::from_u64(le.reference);
            let Some(target) = scan.entry(r.record) else {
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
            let (tc, ti) = Scan::locate(r.record);
            let Some(tt) = scan.chunks.get(tc) else {
                continue;
            };
            let tc = tc as u32;
            let found = match le.type_code {
                AttributeType::FILE_NAME => tt
                    .names_of(ti)
                    .find(|&k| {
                        tt.names
                            .get(k as usize)
                            .is_some_and(|x| x.instance == le.instance)
                    })
                    .map(|k| a.names.push((tc, k))),
                AttributeType::DATA if le.named => tt
                    .streams_of(ti)
                    .find(|&k| {
                        tt.streams
                            .get(k as usize)
                            .is_some_and(|x| x.instance == le.instance)
                    })
                    .map(|k| a.streams.push((tc, k))),
                AttributeType::REPARSE_POINT => tt
                    .find_blob_where(r.record, |b| {
                        b.kind == BlobKind::Reparse && b.instance == le.instance
                    })
                    .map(|k| a.reparse = Some((tc, k))),
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
    for e in 0..scan.count {
        let Some(rec) = scan.entry(e) else { continue };
        if rec.base == 0
            || rec.state != RecordState::Valid
            || !rec.flags.contains(RecordFlags::IN_USE)
            || claimed.contains(&e)
        {
            continue;
        }
        let base = FileReference::from_u64(rec.base);
        let live = scan.entry(base.record).is_some_and(|b| {
            b.flags.contains(RecordFlags::IN_USE) && b.sequence == base.sequence && b.base == 0
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
    scan.findings.append(&mut findings);
}
