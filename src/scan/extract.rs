//! One record of the walk: fixups, header, and the attributes later layers need.
//!
//! This is the hot path: it appends to the chunk's tables and allocates nothing of
//! its own (findings, which allocate their message, arise only on damage).

use super::{
    Blob, BlobKind, Finding, FindingKind, ListEntry, NameEntry, RecordEntry, RecordState,
    ScanOptions, StreamEntry, Tables,
};
use crate::attribute::FileAttributes;
use crate::attribute::{FileName, StandardInformation, Timestamps};
use crate::reparse::INTERIX_SYMLINK_MAGIC;

use crate::bytes::u32_at;
use crate::record::{
    Attribute, AttributeListEntries, AttributeType, RecordFlags, RecordHeader, RecordView,
    Signature, apply_fixups, signature,
};
use crate::volume::Volume;

/// Reads record `n` (its bytes in `buf`, fixups not yet applied) into `tables`.
pub(super) fn record(
    volume: &Volume,
    n: u64,
    buf: &mut [u8],
    options: &ScanOptions,
    tables: &mut Tables,
) {
    let at = volume.record_image_offset(n).unwrap_or(0);
    let mut entry = RecordEntry {
        state: RecordState::Empty,
        sequence: 0,
        flags: RecordFlags::empty(),
        link_count: 0,
        has_list: false,
        list_failed: false,
        damaged: false,
        base: 0,
        has_reparse: false,
        has_interix: false,
        has_shortcut: false,
        reparse: 0,
        si_attributes: FileAttributes::empty(),
        names: tables.names.len() as u32,
        streams: tables.streams.len() as u32,
        list: tables.list.len() as u32,
    };
    match signature(buf) {
        // Record 0 describes the $MFT itself: zeroed, it is damage, not a free slot.
        Signature::Empty if n == crate::record::well_known::MFT => {
            entry.state = RecordState::Unreadable;
            tables.findings.push((
                n,
                Finding {
                    kind: FindingKind::BadSignature,
                    message: "record 0 ($MFT) is zeroed".into(),
                    offset: Some(at),
                },
            ));
            push(tables, entry, options, Timestamps::default(), 0);
            return;
        }
        Signature::Empty => {
            push(tables, entry, options, Timestamps::default(), 0);
            return;
        }
        Signature::Other(sig) => {
            entry.state = RecordState::Unreadable;
            let e = crate::error::RecordError::BadSignature(sig);
            tables
                .findings
                .push((n, Finding::from_record_error(&e, at)));
            push(tables, entry, options, Timestamps::default(), 0);
            return;
        }
        Signature::File => {}
    }
    let fixups = apply_fixups(buf);
    // The header is not touched by fixups: read it even when they fail.
    if let Some(h) = RecordHeader::of(buf) {
        entry.sequence = h.sequence.get();
        entry.link_count = h.link_count.get();
        entry.flags = RecordFlags::from_bits_retain(h.flags.get());
        entry.base = h.base.get();
    }
    let wanted = entry.flags.contains(RecordFlags::IN_USE) || options.deleted;
    if let Err(e) = &fixups
        && wanted
    {
        tables.findings.push((n, Finding::from_record_error(e, at)));
    }
    let view = match RecordView::new(buf) {
        Ok(view) => view,
        Err(e) => {
            entry.state = RecordState::Damaged;
            if wanted {
                tables
                    .findings
                    .push((n, Finding::from_record_error(&e, at)));
            }
            push(tables, entry, options, Timestamps::default(), 0);
            return;
        }
    };
    entry.state = RecordState::Valid;
    if let Some(stored) = view.stored_record_number()
        && stored as u64 != n & 0xFFFF_FFFF
        && wanted
    {
        tables.findings.push((
            n,
            Finding {
                kind: FindingKind::RecordNumberMismatch,
                message: format!("the header says record {stored}"),
                offset: Some(at + std::mem::offset_of!(RecordHeader, record_number) as u64),
            },
        ));
    }
    let (mut si, mut size) = (Timestamps::default(), 0u64);
    if wanted {
        attributes(
            volume, n, at, &view, &mut entry, tables, options, &mut si, &mut size,
        );
    }
    push(tables, entry, options, si, size);
}

/// Appends the record's entry, and its times and size when they are kept.
fn push(tables: &mut Tables, entry: RecordEntry, options: &ScanOptions, si: Timestamps, size: u64) {
    tables.records.push(entry);
    if options.times {
        tables.si_times.push(si);
        tables.sizes.push(size);
    }
}

#[allow(clippy::too_many_arguments)]
fn attributes(
    volume: &Volume,
    n: u64,
    at: u64,
    view: &RecordView<'_>,
    entry: &mut RecordEntry,
    tables: &mut Tables,
    options: &ScanOptions,
    si_times: &mut Timestamps,
    size: &mut u64,
) {
    // A record not in use is read to its end marker even past `bytes_used`;
    // what came from there is said in a finding.
    let in_use = entry.flags.contains(RecordFlags::IN_USE);
    let attributes = if in_use {
        view.attributes()
    } else {
        view.attributes_to_allocated()
    };
    let used = view.bytes_used();
    let mut past_used: Vec<String> = Vec::new();
    let mut past_used_note = |attr: &Attribute<'_>| {
        if attr.offset() + attr.length() > used {
            past_used.push(match attr.type_code() {
                AttributeType::FILE_NAME => attr
                    .value()
                    .and_then(crate::attribute::FileName::new)
                    .map_or_else(
                        || "$FILE_NAME".to_owned(),
                        |f| format!("$FILE_NAME {:?}", f.name().to_string_lossy()),
                    ),
                _ => attr.kind().name().to_owned(),
            });
        }
    };
    let mut attributes = attributes;
    let mut clean = true;
    for attr in attributes.by_ref() {
        let attr = match attr {
            Ok(attr) => attr,
            Err(e) => {
                tables
                    .findings
                    .push((n, Finding::from_record_error(&e, at)));
                entry.damaged = true;
                clean = false;
                break;
            }
        };
        if !in_use {
            past_used_note(&attr);
        }
        match attr.type_code() {
            AttributeType::FILE_NAME => entry.damaged |= !file_name(n, at, &attr, tables, options),

            AttributeType::DATA if !attr.name().is_empty() && attr.lowest_vcn() == 0 => {
                let units = push_units(tables, attr.name().units());
                tables.streams.push(StreamEntry {
                    instance: attr.instance(),
                    units,
                    size: attr.data_size(),
                });
            }
            AttributeType::REPARSE_POINT => {
                if let Some(tag) = keep_value(volume, n, at, &attr, BlobKind::Reparse, tables) {
                    (entry.has_reparse, entry.reparse) = (true, tag);
                }
            }
            AttributeType::STANDARD_INFORMATION => {
                if let Some(si) = attr.value().and_then(StandardInformation::new) {
                    entry.si_attributes = si.file_attributes();
                    *si_times = si.times();
                }
            }
            AttributeType::DATA if attr.name().is_empty() && attr.lowest_vcn() == 0 => {
                *size = attr.data_size();
                if is_interix_candidate(entry, &attr) {
                    entry.has_interix |=
                        keep_value(volume, n, at, &attr, BlobKind::Interix, tables).is_some();
                } else if is_shortcut(volume, &attr) {
                    entry.has_shortcut |=
                        keep_value(volume, n, at, &attr, BlobKind::Shortcut, tables).is_some();
                }
            }
            AttributeType::ATTRIBUTE_LIST => {
                entry.has_list = true;
                entry.list_failed |= !attribute_list(volume, n, at, &attr, tables);
            }
            _ => {}
        }
    }
    // The slack after the end marker (known only when the attributes ended
    // cleanly there).
    if options.record_slack && clean {
        // An extension record's slack is reported on its base record.
        let owner = match entry.base {
            0 => n,
            base => crate::record::FileReference::from_u64(base).record,
        };
        tables.record_slack.extend(
            super::slack::read(view, attributes.offset(), at)
                .into_iter()
                .map(|s| (owner, s)),
        );
    }
    if !past_used.is_empty() {
        tables.findings.push((
            n,
            Finding {
                kind: FindingKind::ReadPastUsed,
                message: format!(
                    "not in use, and its attributes run past bytes_used ({used}): read to the end marker, {} came from past it",
                    past_used.join(", ")
                ),
                offset: Some(at + used as u64),
            },
        ));
    }
}

/// Appends the name; false (and a finding) when it cannot be read.
fn file_name(
    n: u64,
    at: u64,
    attr: &Attribute<'_>,
    tables: &mut Tables,
    options: &ScanOptions,
) -> bool {
    let Some(name) = attr.value().and_then(FileName::new) else {
        tables.findings.push((
            n,
            Finding {
                kind: FindingKind::BadFileName,
                message: "$FILE_NAME is not resident or its name runs past its value".into(),
                offset: Some(at + attr.offset() as u64),
            },
        ));
        return false;
    };
    let units = push_units(tables, name.name().units());
    tables.names.push(NameEntry {
        parent: name.parent().to_u64(),
        instance: attr.instance(),
        namespace: name.namespace().to_u8(),
        units,
        reparse: (name
            .file_attributes()
            .contains(FileAttributes::REPARSE_POINT))
        .then(|| name.reparse_or_ea()),
    });
    if options.times {
        tables.name_times.push(name.times());
    }
    true
}

fn push_units(tables: &mut Tables, units: impl Iterator<Item = u16>) -> (u32, u32) {
    let start = tables.units.len() as u32;
    tables.units.extend(units);
    (start, tables.units.len() as u32)
}

/// Largest value kept for later decoding: 16 KiB is the most a reparse buffer
/// may hold; an Interix symlink is far smaller.
const MAX_KEPT: u64 = 16 << 10;

/// A system file whose unnamed $DATA is small enough to be an Interix symlink.
fn is_interix_candidate(entry: &RecordEntry, attr: &Attribute<'_>) -> bool {
    entry.si_attributes.contains(FileAttributes::SYSTEM)
        && attr.name().is_empty()
        && attr.lowest_vcn() == 0
        && (8..=MAX_KEPT).contains(&attr.data_size())
        && attr
            .value()
            .is_none_or(|v| v.starts_with(INTERIX_SYMLINK_MAGIC))
}

/// Largest shell link read: the format has no limit, but Windows writes them
/// in kilobytes (what is larger is not read as a shortcut).
const MAX_SHORTCUT: u64 = 1 << 20;

/// Whether an unnamed $DATA holds a shell link (header size 0x4C and the
/// LinkCLSID) or a `.pif` (the `MICROSOFT PIFEX` heading after the basic
/// section), by its first bytes: in the record, or in the first cluster (a
/// 20-byte read per file of shortcut size, and 15 bytes more for one of `.pif`
/// size; not for compressed data, nor from a bare $MFT, which holds no
/// clusters).
fn is_shortcut(volume: &Volume, attr: &Attribute<'_>) -> bool {
    let size = attr.data_size();
    if !(crate::shortcut::HEADER_SIZE as u64..=MAX_SHORTCUT).contains(&size) {
        return false;
    }
    if let Some(v) = attr.value() {
        return is_shortcut_content(v);
    }
    if volume.source() != crate::volume::Source::Volume || attr.is_compressed() {
        return false;
    }
    let Some(Ok(crate::record::DataRun { lcn: Some(lcn), .. })) =
        attr.runs().and_then(|mut r| r.next())
    else {
        return false;
    };
    let at = lcn
        .checked_mul(volume.geometry().cluster_size)
        .and_then(|b| b.checked_add(volume.offset()));
    let Some(at) = at else {
        return false;
    };
    let read = |offset: u64, buf: &mut [u8]| {
        at.checked_add(offset)
            .is_some_and(|at| volume.image().read_at(at, buf, "shortcut header").is_ok())
    };
    let mut head = [0u8; 20];
    if read(0, &mut head) && crate::shortcut::is_shell_link(&head) {
        return true;
    }
    // A .pif: its heading after the basic section, then the whole section.
    let (heading_at, name) = crate::shortcut::PIF_HEADING;
    let mut heading = [0u8; 15];
    if size < crate::shortcut::PIF_PROBE as u64
        || !read(heading_at as u64, &mut heading)
        || heading[..] != *name
    {
        return false;
    }
    let mut basic = [0u8; crate::shortcut::PIF_PROBE];
    read(0, &mut basic) && crate::shortcut::is_pif(&basic)
}

/// A shell link's or a `.pif`'s first bytes.
fn is_shortcut_content(bytes: &[u8]) -> bool {
    crate::shortcut::is_shell_link(bytes) || crate::shortcut::is_pif(bytes)
}

/// Keeps the value of `attr` (a reparse buffer, an Interix symlink's data, a
/// shell link) for
/// decoding; returns its first four bytes (the reparse tag).
fn keep_value(
    volume: &Volume,
    n: u64,
    at: u64,
    attr: &Attribute<'_>,
    kind: BlobKind,
    tables: &mut Tables,
) -> Option<u32> {
    let owned;
    let value = match attr.value() {
        Some(v) => v,
        None if kind != BlobKind::Shortcut && attr.data_size() > MAX_KEPT => {
            tables.findings.push((
                n,
                Finding {
                    kind: FindingKind::UnreadableValue,
                    message: format!(
                        "{} value of {} bytes is larger than 16 KiB",
                        attr.kind().name(),
                        attr.data_size()
                    ),
                    offset: Some(at + attr.offset() as u64),
                },
            ));
            return None;
        }
        None => match volume.attribute_value(attr, n) {
            Ok(v) => {
                owned = v;
                &owned[..]
            }
            // An Interix symlink is only a guess until its magic is read: a value
            // that cannot be read (a bare $MFT has no clusters) is not a finding.
            Err(_) if kind != BlobKind::Reparse => return None,
            Err(e) => {
                tables.findings.push((n, unreadable(at, attr, &e)));
                return None;
            }
        },
    };
    let expected = match kind {
        BlobKind::Interix => value.starts_with(INTERIX_SYMLINK_MAGIC),
        BlobKind::Shortcut => is_shortcut_content(value),
        BlobKind::Reparse => true,
    };
    if !expected {
        return None;
    }
    let start = tables.blob_bytes.len() as u32;
    tables.blob_bytes.extend_from_slice(value);
    tables.blobs.push(Blob {
        record: n,
        kind,
        instance: attr.instance(),
        bytes: (start, tables.blob_bytes.len() as u32),
    });
    Some(u32_at(value, 0).unwrap_or(0))
}

/// Appends the entries of an attribute list; false (and a finding) when it
/// cannot be read whole.
fn attribute_list(
    volume: &Volume,
    n: u64,
    at: u64,
    attr: &Attribute<'_>,
    tables: &mut Tables,
) -> bool {
    let owned;
    let value = match attr.value() {
        Some(v) => v,
        None => match volume.attribute_value(attr, n) {
            Ok(v) => {
                owned = v;
                &owned[..]
            }
            Err(e) => {
                tables.findings.push((n, unreadable(at, attr, &e)));
                return false;
            }
        },
    };
    for e in AttributeListEntries::new(value) {
        match e {
            Ok(e) => tables.list.push(ListEntry {
                type_code: e.type_code,
                reference: e.reference.to_u64(),
                instance: e.instance,
                first_piece: e.lowest_vcn == 0,
                named: !e.name.is_empty(),
            }),
            Err(e) => {
                tables.findings.push((
                    n,
                    Finding::new(FindingKind::BadAttributeList, format!("attribute list {e}")),
                ));
                return false;
            }
        }
    }
    true
}

fn unreadable(at: u64, attr: &Attribute<'_>, e: &crate::error::Error) -> Finding {
    Finding {
        kind: FindingKind::UnreadableValue,
        message: format!("{} value: {e}", attr.kind().name()),
        offset: Some(at + attr.offset() as u64),
    }
}
