//! `stat`: one record in full, every attribute, like sleuthkit's `istat`.

use crate::attribute::{FileName, StandardInformation, file_attribute_names, format_time};
use crate::error::{Error, Result};
use crate::links::Reports;
use crate::record::{Attribute, AttributeListEntries, AttributeType, RecordView};
use crate::volume::Volume;
use std::collections::BTreeSet;
use std::io::Write;

/// Most bytes of a value shown in hex.
const HEX_MAX: usize = 256;

/// Prints record `n` of `volume`, its extension records, and (with the reports
/// of a scan) its paths and findings.
pub fn write_stat(
    volume: &Volume,
    reports: Option<&Reports<'_>>,
    n: u64,
    out: &mut dyn Write,
) -> Result<()> {
    let io = |e: std::io::Error| Error::Read {
        offset: 0,
        len: 0,
        source: e,
    };
    let at = volume.record_image_offset(n).unwrap_or(0);
    let (buf, fixups) = volume.read_record(n)?;
    writeln!(
        out,
        "MFT record {n} at image byte {at:#x} ({} bytes)",
        buf.len()
    )
    .map_err(io)?;
    match &fixups {
        Ok(()) => writeln!(out, "fixups: ok"),
        Err(e) => writeln!(out, "fixups: {e}"),
    }
    .map_err(io)?;
    let view = RecordView::new(&buf).map_err(|reason| Error::Record {
        record: n,
        offset: at,
        reason,
    })?;
    write_header(&view, out).map_err(io)?;
    if let Some(stored) = view.stored_record_number()
        && u64::from(stored) != n
    {
        writeln!(out, "record number in the header: {stored}").map_err(io)?;
    }
    if let Some(reports) = reports
        && let Some(record) = reports.analysis().scan().record(n)
    {
        let report = reports.report(&record);
        for name in &report.names {
            writeln!(
                out,
                "path: {} [{}]",
                name.path.as_deref().unwrap_or("(unresolved)"),
                name.namespace
            )
            .map_err(io)?;
        }
        for f in &report.findings {
            writeln!(out, "finding: {}: {}", f.kind, f.message).map_err(io)?;
        }
    }
    let extensions = write_attributes(volume, n, &view, out).map_err(io)?;
    for e in extensions {
        let Ok((ebuf, efix)) = volume.read_record(e) else {
            writeln!(out, "\nextension record {e}: cannot be read").map_err(io)?;
            continue;
        };
        writeln!(
            out,
            "\nextension record {e}{}",
            efix.err()
                .map(|x| format!(" (fixups: {x})"))
                .unwrap_or_default()
        )
        .map_err(io)?;
        match RecordView::new(&ebuf) {
            Ok(ev) => {
                write_header(&ev, out).map_err(io)?;
                write_attributes(volume, e, &ev, out).map_err(io)?;
            }
            Err(x) => writeln!(out, "  damaged: {x}").map_err(io)?,
        }
    }
    Ok(())
}

fn write_header(view: &RecordView<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let mut flags = Vec::new();
    for (bit, name) in [
        (1, "in use"),
        (2, "directory"),
        (4, "extend"),
        (8, "view index"),
    ] {
        if view.flags() & bit != 0 {
            flags.push(name);
        }
    }
    writeln!(out, "sequence: {}", view.sequence())?;
    writeln!(out, "flags: {:#06x} ({})", view.flags(), flags.join(", "))?;
    writeln!(out, "link count: {}", view.link_count())?;
    writeln!(out, "$LogFile sequence number: {:#x}", view.lsn())?;
    writeln!(
        out,
        "bytes used: {} of {}",
        view.bytes_used(),
        view.bytes_allocated()
    )?;
    match view.base_reference() {
        Some(b) => writeln!(out, "base record: {}-{}", b.record, b.sequence)?,
        None => writeln!(out, "base record: (this is a base record)")?,
    }
    writeln!(
        out,
        "next attribute instance: {}",
        view.next_attribute_instance()
    )
}

/// Prints the attributes; returns the extension records its attribute list names.
fn write_attributes(
    volume: &Volume,
    n: u64,
    view: &RecordView<'_>,
    out: &mut dyn Write,
) -> std::io::Result<BTreeSet<u64>> {
    let mut extensions = BTreeSet::new();
    writeln!(out, "attributes:")?;
    for attr in view.attributes() {
        let attr = match attr {
            Ok(a) => a,
            Err(e) => {
                writeln!(out, "  damaged: {e}")?;
                break;
            }
        };
        write_attribute_header(&attr, out)?;
        match attr.type_code() {
            AttributeType::STANDARD_INFORMATION => {
                if let Some(si) = attr.value().and_then(StandardInformation::new) {
                    write_times(&si.times(), out)?;
                    let f = si.file_attributes();
                    writeln!(
                        out,
                        "    file attributes: {f:#x} {}",
                        file_attribute_names(f).join(" ")
                    )?;
                }
            }
            AttributeType::FILE_NAME => {
                if let Some(fname) = attr.value().and_then(FileName::new) {
                    let p = fname.parent();
                    writeln!(
                        out,
                        "    name: {:?} [{}]",
                        fname.name().to_string_lossy(),
                        fname.namespace().as_str()
                    )?;
                    writeln!(out, "    parent: {}-{}", p.record, p.sequence)?;
                    write_times(&fname.times(), out)?;
                    writeln!(
                        out,
                        "    allocated size: {}, data size: {}",
                        fname.allocated_size(),
                        fname.data_size()
                    )?;
                    let f = fname.file_attributes();
                    writeln!(
                        out,
                        "    file attributes: {f:#x} {}",
                        file_attribute_names(f).join(" ")
                    )?;
                    if f & crate::attribute::FILE_ATTRIBUTE_REPARSE_POINT != 0 {
                        writeln!(out, "    reparse tag: {:#010x}", fname.reparse_or_ea())?;
                    }
                }
            }
            AttributeType::ATTRIBUTE_LIST => {
                let value = volume.attribute_value(&attr, n);
                match value {
                    Ok(v) => {
                        for e in AttributeListEntries::new(&v) {
                            match e {
                                Ok(e) => {
                                    writeln!(
                                        out,
                                        "    entry: {} ({:#x}) {:?} vcn {} in record {}-{} instance {}",
                                        AttributeType::from_code(e.type_code).name(),
                                        e.type_code,
                                        e.name,
                                        e.lowest_vcn,
                                        e.reference.record,
                                        e.reference.sequence,
                                        e.instance
                                    )?;
                                    if e.reference.record != n {
                                        extensions.insert(e.reference.record);
                                    }
                                }
                                Err(e) => writeln!(out, "    entry at {:#x}: damaged", e.at)?,
                            }
                        }
                    }
                    Err(e) => writeln!(out, "    value unreadable: {e}")?,
                }
            }
            AttributeType::REPARSE_POINT => match volume.attribute_value(&attr, n) {
                Ok(v) => {
                    let tag = v
                        .get(0..4)
                        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
                    writeln!(out, "    tag: {:#010x}", tag.unwrap_or(0))?;
                    let decoded = crate::reparse::decode(&v);
                    if let Ok(json) = serde_json::to_string(&decoded) {
                        writeln!(out, "    decoded: {json}")?;
                    }
                    write_hex(&v, out)?;
                }
                Err(e) => writeln!(out, "    value unreadable: {e}")?,
            },
            _ => {}
        }
        if let Some(runs) = attr.runs() {
            for run in runs {
                match run {
                    Ok(r) => match r.lcn {
                        Some(lcn) => {
                            writeln!(out, "    run: vcn {} +{} at lcn {lcn}", r.vcn, r.length)?
                        }
                        None => writeln!(out, "    run: vcn {} +{} sparse", r.vcn, r.length)?,
                    },
                    Err(e) => writeln!(out, "    run at {:#x}: {}", e.at, e.what)?,
                }
            }
        }
    }
    Ok(extensions)
}

fn write_attribute_header(attr: &Attribute<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let name = if attr.name().is_empty() {
        String::new()
    } else {
        format!(" {:?}", attr.name().to_string_lossy())
    };
    if attr.is_resident() {
        writeln!(
            out,
            "  {} ({:#x}){name} instance {} at {:#x}: resident, {} bytes",
            attr.kind().name(),
            attr.type_code(),
            attr.instance(),
            attr.offset(),
            attr.data_size()
        )
    } else {
        writeln!(
            out,
            "  {} ({:#x}){name} instance {} at {:#x}: non-resident, vcn {}..={}, size {} (allocated {}, initialized {}), flags {:#x}",
            attr.kind().name(),
            attr.type_code(),
            attr.instance(),
            attr.offset(),
            attr.lowest_vcn(),
            attr.highest_vcn(),
            attr.data_size(),
            attr.allocated_size(),
            attr.initialized_size(),
            attr.flags()
        )
    }
}

fn write_times(t: &[u64; 4], out: &mut dyn Write) -> std::io::Result<()> {
    for (label, v) in ["created", "modified", "mft changed", "accessed"]
        .iter()
        .zip(t)
    {
        writeln!(out, "    {label}: {}", format_time(*v))?;
    }
    Ok(())
}

fn write_hex(v: &[u8], out: &mut dyn Write) -> std::io::Result<()> {
    for (i, line) in v[..v.len().min(HEX_MAX)].chunks(16).enumerate() {
        let hex: Vec<String> = line.iter().map(|b| format!("{b:02x}")).collect();
        writeln!(out, "    {:04x}: {}", i * 16, hex.join(" "))?;
    }
    if v.len() > HEX_MAX {
        writeln!(out, "    ... ({} bytes in all)", v.len())?;
    }
    Ok(())
}
