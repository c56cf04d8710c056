//! Output formats: text for people, json and jsonl for machines, the `links`
//! summary, `info` and `stat`. Every printer writes to a `&mut dyn Write`.

mod forensic;
mod info;
mod jsonl;
mod links;
mod stat;
#[cfg(feature = "formats")]
mod verify;

#[cfg(feature = "formats")]
pub use forensic::ManifestCsv;
pub use forensic::write_bodyfile;
#[cfg(feature = "formats")]
pub use forensic::write_csv;
pub use info::{write_container, write_hash_checks, write_info, write_partitions};
pub use jsonl::write_jsonl;
pub use links::{Semantics, semantics, write_links};
pub use stat::{write_stat, write_stat_json};
#[cfg(feature = "formats")]
pub use verify::{
    VerifyFormat, write_expectations, write_junit_error, write_snapshot, write_verification,
};

use crate::links::{RecordReport, Reports};
use crate::text::{Escaped, Message};
use std::io::{self, Write};

/// The formats of `scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Format {
    /// One line per name, like sleuthkit's `fls -r -p`, findings after.
    #[default]
    Text,
    /// One JSON array of record objects.
    Json,
    /// One record object per line (the machine contract).
    Jsonl,
    /// sleuthkit's body file, for mactime and plaso (needs times).
    Bodyfile,
    /// CSV, one row per name (needs times for its time columns).
    #[cfg(feature = "formats")]
    Csv,
}

/// Writes every record `reports` report in `format` (jsonl on the fast path).
pub fn write_scan(reports: &Reports<'_>, format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Jsonl => write_jsonl(reports, out),
        // Paths as `fls -m C:/` writes them, with the drive letter when known.
        Format::Bodyfile => {
            let prefix = reports
                .options()
                .drive
                .map(|d| format!("{d}:"))
                .unwrap_or_default();
            write_bodyfile(reports.iter(), &prefix, out)
        }
        _ => write_reports(reports.iter(), format, out),
    }
}

/// Writes a sequence of reports in `format`.
pub fn write_reports(
    mut reports: impl Iterator<Item = RecordReport>,
    format: Format,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Jsonl => {
            for report in reports.by_ref() {
                serde_json::to_writer(&mut *out, &report)?;
                out.write_all(b"\n")?;
            }
        }
        Format::Json => {
            out.write_all(b"[")?;
            for (i, report) in reports.enumerate() {
                out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
                serde_json::to_writer(&mut *out, &report)?;
            }
            out.write_all(b"\n]\n")?;
        }
        Format::Text => {
            for report in reports.by_ref() {
                write_text_record(&report, out)?;
            }
        }
        Format::Bodyfile => write_bodyfile(reports, "", out)?,
        #[cfg(feature = "formats")]
        Format::Csv => write_csv(reports, out)?,
    }
    Ok(())
}

/// `d/d 66-1 [posix] /dir1/a.txt`: type, record-sequence, namespace, path; streams
/// as `[stream] path:stream`; with times, `[times]` ($STANDARD_INFORMATION's, and
/// the size) and `[name times]` (each $FILE_NAME's, then its path); names from
/// index slack as `[index slack] dir/name -> record-sequence [namespace]` under
/// their directory; attributes in the record's slack as `[record slack] byte
/// OFFSET TYPE [path [namespace]]`; findings as `! record N: kind: message`. Names and paths
/// are [escaped](crate::text).
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
                "{kind}{deleted} {}-{} [stream] {}:{}",
                r.record,
                r.sequence,
                Escaped(path),
                Escaped(s)
            )?;
        }
    }
    if let Some(t) = &r.times {
        write!(out, "{kind}{deleted} {}-{} [times] ", r.record, r.sequence)?;
        write_times(t, out)?;
        match r.size {
            Some(size) => writeln!(out, " size {size}")?,
            None => writeln!(out)?,
        }
    }
    for n in r.names.iter().filter(|n| n.times.is_some()) {
        if let Some(t) = &n.times {
            let path = n.path.as_deref().unwrap_or("?");
            write!(
                out,
                "{kind}{deleted} {}-{} [name times] ",
                r.record, r.sequence
            )?;
            write_times(t, out)?;
            writeln!(out, " {}", text_path(path, n))?;
        }
    }
    if !r.index_slack.is_empty() {
        let dir = r
            .hard_links()
            .find_map(|n| n.path.as_deref())
            .unwrap_or("?");
        let dir = if dir == "/" { "" } else { dir };
        for e in &r.index_slack {
            let target = match (e.record, e.sequence) {
                (Some(record), Some(sequence)) => format!("{record}-{sequence}"),
                _ => "? (entry header overwritten)".to_owned(),
            };
            writeln!(
                out,
                "{kind}{deleted} {}-{} [index slack] {}/{} -> {target} [{}]",
                r.record,
                r.sequence,
                Escaped(dir),
                Escaped(&e.name),
                e.namespace
            )?;
        }
    }
    for s in &r.record_slack {
        write!(
            out,
            "{kind}{deleted} {}-{} [record slack] byte {:#x} {}",
            r.record, r.sequence, s.offset, s.attribute
        )?;
        if let Some(name) = &s.name {
            let shown = s.path.as_deref().unwrap_or(name);
            let ns = s.namespace.map_or("", |n| n.as_str());
            write!(out, " {} [{ns}]", Escaped(shown))?;
        }
        writeln!(out)?;
    }
    for f in &r.findings {
        writeln!(
            out,
            "! record {}: {}: {}",
            r.record,
            f.kind,
            Message(&f.message)
        )?;
    }
    Ok(())
}

/// `created C modified M mft_changed X accessed A`, as the json names them.
fn write_times(t: &crate::links::Times, out: &mut dyn Write) -> io::Result<()> {
    write!(
        out,
        "created {} modified {} mft_changed {} accessed {}",
        t.created, t.modified, t.mft_changed, t.accessed
    )
}

/// A name's path for text output, [escaped](crate::text), with the raw UTF-16
/// of a name that is not valid Unicode.
pub(crate) fn text_path(path: &str, n: &crate::NameReport) -> String {
    match &n.name_raw {
        Some(raw) => format!("{} (raw UTF-16LE {raw})", Escaped(path)),
        None => Escaped(path).to_string(),
    }
}
