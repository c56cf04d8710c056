//! Output formats: text for people, json and jsonl for machines, the `links`
//! summary, `info` and `stat`. Every printer writes to a `&mut dyn Write`.

mod info;
mod stat;

pub use info::{VolumeInfo, write_info};
pub use stat::write_stat;

use crate::links::RecordReport;
use crate::scan::Scan;
use std::io::{self, Write};

/// The formats of `scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// One line per name, like sleuthkit's `fls -r -p`, findings after.
    #[default]
    Text,
    /// One JSON array of record objects.
    Json,
    /// One record object per line (the machine contract).
    Jsonl,
}

/// Writes every reported record of `scan` in `format`.
pub fn write_scan(scan: &Scan, format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Jsonl => {
            for report in scan.reports() {
                serde_json::to_writer(&mut *out, &report)?;
                out.write_all(b"\n")?;
            }
        }
        Format::Json => {
            out.write_all(b"[")?;
            for (i, report) in scan.reports().enumerate() {
                out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
                serde_json::to_writer(&mut *out, &report)?;
            }
            out.write_all(b"\n]\n")?;
        }
        Format::Text => {
            for report in scan.reports() {
                write_text_record(&report, out)?;
            }
        }
    }
    Ok(())
}

/// `d/d 66-1 [posix] /dir1/a.txt`: type, record-sequence, namespace, path; streams
/// as `path:stream`; findings as `! record N: kind: message`.
fn write_text_record(r: &RecordReport, out: &mut dyn Write) -> io::Result<()> {
    let kind = if r.is_dir { "d" } else { "r" };
    let deleted = if r.in_use { "" } else { " *" };
    for n in &r.names {
        let path = n.path.as_deref().unwrap_or("?");
        writeln!(
            out,
            "{kind}{deleted} {}-{} [{}] {}",
            r.record,
            r.sequence,
            n.namespace,
            text_path(path, n)
        )?;
    }
    if let Some(first) = r.hard_links().next().or(r.names.first()) {
        let path = first.path.as_deref().unwrap_or("?");
        for s in &r.streams {
            writeln!(
                out,
                "{kind}{deleted} {}-{} [stream] {path}:{s}",
                r.record, r.sequence
            )?;
        }
    }
    for f in &r.findings {
        writeln!(
            out,
            "! record {}: {}: {}",
            r.record,
            kind_name(f),
            f.message
        )?;
    }
    Ok(())
}

fn text_path(path: &str, n: &crate::NameReport) -> String {
    match &n.name_raw {
        Some(raw) => format!("{path} (raw UTF-16LE {raw})"),
        None => path.to_owned(),
    }
}

fn kind_name(f: &crate::Finding) -> String {
    serde_json::to_value(f.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The human summary of `links`: every record with more than one hard link or
/// with a reparse point, with all its paths.
pub fn write_links(scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
    let (mut multi, mut reparse) = (0usize, 0usize);
    for r in scan.reports() {
        if !r.is_multi_link() && r.reparse.is_none() {
            continue;
        }
        let kind = if r.is_dir { "directory" } else { "file" };
        let links = r.hard_links().count();
        write!(
            out,
            "record {} ({kind}, {links} hard link{}",
            r.record,
            if links == 1 { "" } else { "s" }
        )?;
        if links != r.link_count as usize {
            write!(out, ", header count {}", r.link_count)?;
        }
        if let Some(rp) = &r.reparse {
            write!(out, ", reparse tag {:#010x}", rp.tag)?;
            reparse += 1;
        }
        writeln!(out, ")")?;
        if r.is_multi_link() {
            multi += 1;
        }
        for n in &r.names {
            let alias = if n.is_dos_alias() {
                "  (8.3 alias)"
            } else {
                ""
            };
            writeln!(
                out,
                "  {}{alias}",
                text_path(n.path.as_deref().unwrap_or("? (path unresolved)"), n)
            )?;
        }
        for f in &r.findings {
            writeln!(out, "  ! {}: {}", kind_name(f), f.message)?;
        }
    }
    writeln!(
        out,
        "{multi} {} with more than one hard link, {reparse} reparse point{}",
        if multi == 1 { "record" } else { "records" },
        if reparse == 1 { "" } else { "s" }
    )
}
