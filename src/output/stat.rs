//! `stat`: one record in full ([`RecordDetail`]), like sleuthkit's `istat`,
//! with its paths and findings when the reports of a scan are at hand.

use crate::attribute::{Timestamps, format_time};
use crate::detail::{AttributeDetail, HeaderDetail, RecordDetail, ValueDetail};
use crate::links::RecordReport;
use crate::security::{RecordSecurity, Sid};
use crate::text::{Escaped, Message};
use serde::Serialize;
use std::io::{self, Write};

/// Most bytes of a value shown in hex.
const HEX_MAX: usize = 256;

/// `stat --format json`: the record in full, and its report.
#[derive(Serialize)]
struct StatJson<'a> {
    detail: &'a RecordDetail,
    report: Option<&'a RecordReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    security: Option<&'a RecordSecurity>,
}

/// Writes `detail` (and `report`: paths and findings; `security`: owner
/// and access lists) as one JSON object.
pub fn write_stat_json(
    detail: &RecordDetail,
    report: Option<&RecordReport>,
    security: Option<&RecordSecurity>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let json = StatJson {
        detail,
        report,
        security,
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    writeln!(out)
}

/// Writes `detail` as text; `report` adds the record's paths (in `style`)
/// and findings, `security` its owner and access lists; `single` says the
/// record came from a file of its own (`--record-file`).
pub fn write_stat(
    detail: &RecordDetail,
    report: Option<&RecordReport>,
    security: Option<&RecordSecurity>,
    single: bool,
    style: super::PathStyle,
    out: &mut dyn Write,
) -> io::Result<()> {
    let n = detail.record;
    if single {
        writeln!(
            out,
            "MFT record read from a file of its own ({} bytes)",
            detail.size
        )?;
    } else {
        writeln!(
            out,
            "MFT record {n} at image byte {:#x} ({} bytes)",
            detail.image_offset, detail.size
        )?;
    }
    match &detail.fixups {
        None => writeln!(out, "fixups: ok")?,
        Some(e) => writeln!(out, "fixups: {e}")?,
    }
    let Some(header) = &detail.header else {
        return Ok(()); // unusable: the caller says why
    };
    write_header(header, out)?;
    if let Some(stored) = header.stored_record_number
        && u64::from(stored) != n
    {
        writeln!(out, "record number in the header: {stored}")?;
    }
    if let Some(report) = report {
        for name in &report.names {
            let path = name.path.as_deref().unwrap_or("(unresolved)");
            writeln!(
                out,
                "path: {} [{}]",
                Escaped(&style.show(path)),
                name.namespace
            )?;
        }
        for f in &report.findings {
            writeln!(out, "finding: {}: {}", f.kind, Message(&f.message))?;
        }
    }
    write_attributes(&detail.attributes, detail.damaged.as_deref(), out)?;
    for e in &detail.extensions {
        if e.unreadable.is_some() {
            writeln!(out, "\nextension record {}: cannot be read", e.record)?;
            continue;
        }
        let fixups = e
            .fixups
            .as_ref()
            .map(|x| format!(" (fixups: {x})"))
            .unwrap_or_default();
        writeln!(out, "\nextension record {}{fixups}", e.record)?;
        match &e.header {
            Some(h) => {
                write_header(h, out)?;
                write_attributes(&e.attributes, e.damaged.as_deref(), out)?;
            }
            None => writeln!(out, "  damaged: {}", e.damaged.as_deref().unwrap_or(""))?,
        }
    }
    if let Some(security) = security {
        write_security(security, out)?;
    }
    if !detail.index_entries.is_empty() || detail.index_error.is_some() {
        writeln!(
            out,
            "\nindex entries ($I30): {}",
            detail.index_entries.len()
        )?;
        for e in &detail.index_entries {
            writeln!(
                out,
                "  {} -> {}-{} [{}]",
                Escaped(&e.name),
                e.reference.record,
                e.reference.sequence,
                e.namespace
            )?;
        }
        if let Some(why) = &detail.index_error {
            writeln!(out, "  cannot be read whole: {}", Message(why))?;
        }
    }
    Ok(())
}

/// The owner, group and access lists, entries as `icacls` shows them.
fn write_security(security: &RecordSecurity, out: &mut dyn Write) -> io::Result<()> {
    match security.security_id {
        Some(id) => writeln!(
            out,
            "\nsecurity descriptor: id {id}, from {}",
            security.source
        )?,
        None => writeln!(out, "\nsecurity descriptor: from {}", security.source)?,
    }
    if let Some(why) = &security.problem {
        writeln!(out, "  cannot be read: {}", Message(why))?;
    }
    let Some(sd) = &security.descriptor else {
        return Ok(());
    };
    let sid = |s: Option<&Sid>| match s {
        None => "(none)".to_owned(),
        Some(s) => match s.well_known_name() {
            Some(name) => format!("{s} ({name})"),
            None => s.to_string(),
        },
    };
    writeln!(out, "  owner: {}", sid(sd.owner.as_ref()))?;
    writeln!(out, "  group: {}", sid(sd.group.as_ref()))?;
    writeln!(
        out,
        "  control: {:#06x} ({})",
        sd.control,
        sd.control_names.join(", ")
    )?;
    for (name, acl) in [("dacl", &sd.dacl), ("sacl", &sd.sacl)] {
        let Some(acl) = acl else {
            if name == "dacl" {
                writeln!(out, "  dacl: none (no restriction)")?;
            }
            continue;
        };
        writeln!(out, "  {name}: {} entries", acl.aces.len())?;
        for ace in &acl.aces {
            let sid = ace
                .sid
                .as_ref()
                .map_or_else(String::new, |s| format!(", {s}"));
            writeln!(
                out,
                "    {}:{}  [{}, flags {:#04x}, mask {:#010x}{sid}]",
                ace.trustee(),
                ace.rights(),
                ace.ace_type.name(),
                ace.flags,
                ace.mask
            )?;
        }
    }
    Ok(())
}

fn write_header(h: &HeaderDetail, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "sequence: {}", h.sequence)?;
    writeln!(out, "flags: {:#06x} ({})", h.flags, h.flag_names.join(", "))?;
    writeln!(out, "link count: {}", h.link_count)?;
    writeln!(out, "$LogFile sequence number: {:#x}", h.lsn)?;
    writeln!(out, "bytes used: {} of {}", h.bytes_used, h.bytes_allocated)?;
    match h.base {
        Some(b) => writeln!(out, "base record: {}-{}", b.record, b.sequence)?,
        None => writeln!(out, "base record: (this is a base record)")?,
    }
    writeln!(
        out,
        "next attribute instance: {}",
        h.next_attribute_instance
    )
}

fn write_attributes(
    attributes: &[AttributeDetail],
    damaged: Option<&str>,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "attributes:")?;
    for attr in attributes {
        write_attribute(attr, out)?;
    }
    if let Some(e) = damaged {
        writeln!(out, "  damaged: {e}")?;
    }
    Ok(())
}

fn write_attribute(attr: &AttributeDetail, out: &mut dyn Write) -> io::Result<()> {
    let name = attr
        .name
        .as_ref()
        .map(|n| format!(" \"{}\"", Escaped(n)))
        .unwrap_or_default();
    let head = format!(
        "  {} ({:#x}){name} instance {} at {:#x}",
        attr.type_name, attr.type_code, attr.instance, attr.offset
    );
    match &attr.non_resident {
        None => writeln!(out, "{head}: resident, {} bytes", attr.size)?,
        Some(nr) => writeln!(
            out,
            "{head}: non-resident, vcn {}..={}, size {} (allocated {}, initialized {}), flags {:#x}",
            nr.lowest_vcn,
            nr.highest_vcn,
            attr.size,
            nr.allocated_size,
            nr.initialized_size,
            nr.flags
        )?,
    }
    if let Some(value) = &attr.value {
        write_value(value, out)?;
    }
    for r in &attr.runs {
        match r.lcn {
            Some(lcn) => writeln!(out, "    run: vcn {} +{} at lcn {lcn}", r.vcn, r.length)?,
            None => writeln!(out, "    run: vcn {} +{} sparse", r.vcn, r.length)?,
        }
    }
    if let Some(why) = &attr.runs_damaged {
        writeln!(out, "    {why}")?;
    }
    Ok(())
}

fn write_value(value: &ValueDetail, out: &mut dyn Write) -> io::Result<()> {
    match value {
        ValueDetail::StandardInformation {
            times,
            file_attributes,
            attribute_names,
            v3,
        } => {
            write_times(times, out)?;
            let names = attribute_names.join(" ");
            writeln!(out, "    file attributes: {file_attributes:#x} {names}")?;
            if let Some(v) = v3 {
                writeln!(out, "    owner id: {}", v.owner_id)?;
                writeln!(out, "    security id: {}", v.security_id)?;
                writeln!(out, "    quota charged: {}", v.quota_charged)?;
                writeln!(out, "    update sequence number: {:#x}", v.usn)?;
            }
        }
        ValueDetail::FileName {
            name,
            namespace,
            parent,
            times,
            allocated_size,
            data_size,
            file_attributes,
            attribute_names,
            reparse_tag,
        } => {
            writeln!(out, "    name: \"{}\" [{namespace}]", Escaped(name))?;
            writeln!(out, "    parent: {}-{}", parent.record, parent.sequence)?;
            write_times(times, out)?;
            writeln!(
                out,
                "    allocated size: {allocated_size}, data size: {data_size}"
            )?;
            let names = attribute_names.join(" ");
            writeln!(out, "    file attributes: {file_attributes:#x} {names}")?;
            if let Some(tag) = reparse_tag {
                writeln!(out, "    reparse tag: {tag:#010x}")?;
            }
        }
        ValueDetail::AttributeList {
            entries,
            damaged_at,
        } => {
            for e in entries {
                writeln!(
                    out,
                    "    entry: {} ({:#x}) \"{}\" vcn {} in record {}-{} instance {}",
                    e.type_name,
                    e.type_code,
                    Escaped(&e.name),
                    e.lowest_vcn,
                    e.reference.record,
                    e.reference.sequence,
                    e.instance
                )?;
            }
            if let Some(at) = damaged_at {
                writeln!(out, "    entry at {at:#x}: damaged")?;
            }
        }
        ValueDetail::ReparsePoint {
            tag,
            decoded,
            bytes,
        } => {
            writeln!(out, "    tag: {tag:#010x}")?;
            // The decoded fields, one a line (names escaped).
            if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(decoded) {
                for (key, value) in fields.into_iter().filter(|(k, _)| k != "tag") {
                    let shown = match value {
                        serde_json::Value::String(s) => Escaped(&s).to_string(),
                        other => Escaped(&other.to_string()).to_string(),
                    };
                    writeln!(out, "    {}: {shown}", key.replace('_', " "))?;
                }
            }
            write_hex(bytes, out)?;
        }
        ValueDetail::Unreadable { reason } => writeln!(out, "    value unreadable: {reason}")?,
    }
    Ok(())
}

fn write_times(t: &Timestamps, out: &mut dyn Write) -> io::Result<()> {
    for (label, v) in ["created", "modified", "mft changed", "accessed"]
        .iter()
        .zip(&t.to_array())
    {
        writeln!(out, "    {label}: {}", format_time(*v))?;
    }
    Ok(())
}

fn write_hex(v: &[u8], out: &mut dyn Write) -> io::Result<()> {
    for (i, line) in v[..v.len().min(HEX_MAX)].chunks(16).enumerate() {
        let hex: Vec<String> = line.iter().map(|b| format!("{b:02x}")).collect();
        writeln!(out, "    {:04x}: {}", i * 16, hex.join(" "))?;
    }
    if v.len() > HEX_MAX {
        writeln!(out, "    ... ({} bytes in all)", v.len())?;
    }
    Ok(())
}
