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
    let unread: Vec<u64> = (0..scan.count)
        .filter(|&n| {
            scan.entry(n).is_some_and(|r| {
                r.has_list && r.list_failed && r.base == 0 && r.state == RecordState::Valid
            })
        })
        .collect();
    if !unread.is_empty() {
        without_lists(scan, &unread, &mut assembled, &mut findings, &mut claimed);
    }
    for n in 0..scan.count {
        let Some(rec) = scan.entry(n) else { continue };
        if !rec.has_list || rec.list_failed || rec.base != 0 || rec.state != RecordState::Valid {
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

/// Records whose attribute list cannot be read (non-resident in a bare $MFT,
/// or damaged): each is assembled from its own attributes and those of every
/// valid extension record whose header names it as base, with its sequence
/// number, in record order, as `stat` shows them. A finding says so.
fn without_lists(
    scan: &Scan,
    unread: &[u64],
    assembled: &mut HashMap<u64, Assembled>,
    findings: &mut Vec<(u64, Finding)>,
    claimed: &mut BTreeSet<u64>,
) {
    let wanted: BTreeSet<u64> = unread.iter().copied().collect();
    let mut extensions: HashMap<u64, Vec<u64>> = HashMap::new();
    for e in 0..scan.count {
        let Some(rec) = scan.entry(e) else { continue };
        if rec.base == 0 || rec.state != RecordState::Valid {
            continue;
        }
        let base = FileReference::from_u64(rec.base);
        let matches = wanted.contains(&base.record)
            && scan
                .entry(base.record)
                .is_some_and(|b| b.sequence == base.sequence);
        if matches {
            extensions.entry(base.record).or_default().push(e);
        }
    }
    for &n in unread {
        let extension = extensions.remove(&n).unwrap_or_default();
        let mut a = Assembled::default();
        for &r in std::iter::once(&n).chain(&extension) {
            let (c, i) = Scan::locate(r);
            let Some(t) = scan.chunks.get(c) else {
                continue;
            };
            let c32 = c as u32;
            a.names.extend(t.names_of(i).map(|k| (c32, k)));
            a.streams.extend(t.streams_of(i).map(|k| (c32, k)));
            if a.reparse.is_none() {
                a.reparse = t
                    .find_blob_where(r, |b| b.kind == BlobKind::Reparse)
                    .map(|k| (c32, k));
            }
        }
        let list = if extension.is_empty() {
            "none names it as its base".to_owned()
        } else {
            let names: Vec<String> = extension.iter().map(u64::to_string).collect();
            format!(
                "{} {}",
                if names.len() == 1 {
                    "record"
                } else {
                    "records"
                },
                names.join(", ")
            )
        };
        findings.push((
            n,
            Finding::new(
                FindingKind::AssembledWithoutList,
                format!(
                    "the attribute list cannot be read: assembled from this record and the extension records that name it as their base ({list})"
                ),
            ),
        ));
        claimed.extend(extension);
        assembled.insert(n, a);
    }
}
