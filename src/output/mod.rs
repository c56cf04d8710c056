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
pub use links::{Semantics, semantics, write_legend, write_links};
pub use stat::{write_stat, write_stat_json};
#[cfg(feature = "formats")]
pub use verify::{
    VerifyFormat, write_expectations, write_junit_error, write_snapshot, write_verification,
};

use crate::links::{RecordReport, Reports};
use crate::text::{Escaped, Message};
use std::borrow::Cow;
use std::io::{self, Write};

/// How paths are written in text and CSV outputs (json and jsonl always
/// write them as the contract does, `/`-separated from the volume root).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PathStyle {
    /// The volume's drive letter: the body file's prefix (`C:/dir`, as
    /// `fls -m C:/` writes it), and the drive of Windows paths.
    pub drive: Option<char>,
    /// Write paths as Windows does: `C:\Users\alice` (`\Users\alice`
    /// without a drive letter).
    pub windows: bool,
}

impl PathStyle {
    /// Paths as the contract writes them, with the body file's prefix for
    /// `drive`.
    pub fn new(drive: Option<char>) -> PathStyle {
        PathStyle {
            drive,
            windows: false,
        }
    }

    /// The same, written as Windows writes paths.
    pub fn windows(mut self, on: bool) -> PathStyle {
        self.windows = on;
        self
    }

    /// `path` (`/`-separated, from the volume root) in this style.
    ///
    /// ```
    /// use ntfs_links::output::PathStyle;
    /// let style = PathStyle::new(Some('C')).windows(true);
    /// assert_eq!(style.show("/Users/alice"), "C:\\Users\\alice");
    /// assert_eq!(style.show("/"), "C:\\");
    /// assert_eq!(PathStyle::default().show("/Users"), "/Users");
    /// ```
    pub fn show<'a>(&self, path: &'a str) -> Cow<'a, str> {
        if !self.windows || !path.starts_with('/') {
            return Cow::Borrowed(path);
        }
        let drive = self.drive.map(|d| format!("{d}:")).unwrap_or_default();
        Cow::Owned(format!("{drive}{}", path.replace('/', "\\")))
    }

    /// The separator between a directory's path and a name.
    fn separator(&self) -> char {
        if self.windows { '\\' } else { '/' }
    }

    /// The body file's prefix (`C:`), empty without a drive letter.
    fn prefix(&self) -> String {
        self.drive.map(|d| format!("{d}:")).unwrap_or_default()
    }
}

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

/// Writes every record `reports` report in `format` (jsonl on the fast path),
/// paths in `style` (text and CSV; the body file takes its drive prefix).
pub fn write_scan(
    reports: &Reports<'_>,
    format: Format,
    style: PathStyle,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Jsonl => write_jsonl(reports, out),
        _ => write_reports(reports.iter(), format, style, out),
    }
}

/// Writes a sequence of reports in `format`, paths in `style` (text and CSV;
/// the body file takes its drive prefix, as `fls -m C:/` writes paths).
pub fn write_reports(
    mut reports: impl Iterator<Item = RecordReport>,
    format: Format,
    style: PathStyle,
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
                write_text_record(&report, style, out)?;
            }
        }
        Format::Bodyfile => write_bodyfile(reports, &style.prefix(), out)?,
        #[cfg(feature = "formats")]
        Format::Csv => write_csv(reports, style, out)?,
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
fn write_text_record(r: &RecordReport, style: PathStyle, out: &mut dyn Write) -> io::Result<()> {
    let kind = if r.is_dir { "d" } else { "r" };
    let deleted = if r.in_use { "" } else { " *" };
    for n in &r.names {
        let path = n
            .path
            .as_deref()
            .map_or(Cow::Borrowed("?"), |p| style.show(p));
        writeln!(
            out,
            "{kind}{deleted} {}-{} [{}] {}",
            r.record,
            r.sequence,
            n.namespace,
            text_path(&path, n)
        )?;
    }
    if let Some(first) = r.hard_links().next().or(r.names.first()) {
        let path = first
            .path
            .as_deref()
            .map_or(Cow::Borrowed("?"), |p| style.show(p));
        for s in &r.streams {
            writeln!(
                out,
                "{kind}{deleted} {}-{} [stream] {}:{}",
                r.record,
                r.sequence,
                Escaped(&path),
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
            let path = n
                .path
                .as_deref()
                .map_or(Cow::Borrowed("?"), |p| style.show(p));
            write!(
                out,
                "{kind}{deleted} {}-{} [name times] ",
                r.record, r.sequence
            )?;
            write_times(t, out)?;
            writeln!(out, " {}", text_path(&path, n))?;
        }
    }
    if !r.index_slack.is_empty() {
        let dir = r
            .hard_links()
            .find_map(|n| n.path.as_deref())
            .map_or(Cow::Borrowed("?"), |p| style.show(p));
        let dir = dir.trim_end_matches(style.separator());
        for e in &r.index_slack {
            let target = match (e.record, e.sequence) {
                (Some(record), Some(sequence)) => format!("{record}-{sequence}"),
                _ => "? (entry header overwritten)".to_owned(),
            };
            writeln!(
                out,
                "{kind}{deleted} {}-{} [index slack] {}{}{} -> {target} [{}]",
                r.record,
                r.sequence,
                Escaped(dir),
                style.separator(),
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
            let shown = s
                .path
                .as_deref()
                .map_or(Cow::Borrowed(name.as_str()), |p| style.show(p));
            let ns = s.namespace.map_or("", |n| n.as_str());
            write!(out, " {} [{ns}]", Escaped(&shown))?;
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
