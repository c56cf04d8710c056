//! Formats for forensic timelines and spreadsheets: sleuthkit's body file (for
//! `mactime` and plaso) and CSV. Both need a scan made with times kept.

use crate::links::RecordReport;
use crate::text::EscapedField;
use std::io::{self, Write};

/// 100-ns intervals between 1601-01-01 and 1970-01-01.
const UNIX_EPOCH: u64 = 116_444_736_000_000_000;

/// NTFS time to whole Unix seconds (0 before 1970).
fn unix(t: u64) -> u64 {
    t.saturating_sub(UNIX_EPOCH) / 10_000_000
}

/// sleuthkit's body format (3.x), as `fls -m` writes it: one line per name with
/// $STANDARD_INFORMATION's times, one per name ending in ` ($FILE_NAME)` with
/// that $FILE_NAME's own times, and one per named stream (`path:stream`, on
/// the record's first name): `MD5|name|inode|mode|UID|GID|size|atime|mtime|
/// ctime|crtime`, times in Unix seconds (ctime is the MFT change time). Paths
/// start with `prefix` (`C:` with `--drive C:`, as `fls -m C:/` writes them).
/// Deleted names end in ` (deleted)`, names without a path are given as
/// `<record N>/name`, as `fls -m` does for orphans; the inode field is
/// `record-sequence`. Names are [escaped](crate::text), `|` included, so that
/// every line has exactly 11 fields. Names found in a record's slack (with
/// [`ScanOptions::record_slack`](crate::ScanOptions::record_slack)) are lines of
/// their own, ending in ` (record slack)`, with their $FILE_NAME times. A
/// shell link adds a line for the times it recorded of its target, as LECmd
/// and plaso give them: `path -> target (shortcut target)`, with the target's
/// size and access, write and creation times (no MFT change time: 0).
pub fn write_bodyfile(
    reports: impl Iterator<Item = RecordReport>,
    prefix: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    for r in reports {
        let si = r.times.as_ref().map(|t| t.raw).unwrap_or_default();
        let mode = if r.is_dir {
            "d/drwxrwxrwx"
        } else {
            "r/rrwxrwxrwx"
        };
        let deleted = if r.in_use { "" } else { " (deleted)" };
        let mut line = |name: &str, suffix: &str, size: u64, t: [u64; 4]| {
            writeln!(
                out,
                "0|{}|{}-{}|{mode}|0|0|{size}|{}|{}|{}|{}",
                EscapedField(&format!("{prefix}{name}{suffix}"), '|'),
                r.record,
                r.sequence,
                unix(t[3]),
                unix(t[1]),
                unix(t[2]),
                unix(t[0])
            )
        };
        let size = r.size.unwrap_or(0);
        for n in &r.names {
            let name = match &n.path {
                Some(p) => p.clone(),
                None => format!("<record {}>/{}", r.record, n.name),
            };
            line(&name, deleted, size, si.to_array())?;
            if let Some(t) = &n.times {
                line(
                    &name,
                    &format!(" ($FILE_NAME){deleted}"),
                    size,
                    t.raw.to_array(),
                )?;
            }
        }
        if let Some(first) = r.hard_links().next().or(r.names.first()) {
            let name = first
                .path
                .clone()
                .unwrap_or_else(|| format!("<record {}>/{}", r.record, first.name));
            for stream in &r.streams {
                line(&format!("{name}:{stream}"), deleted, 0, si.to_array())?;
            }
        }
        for s in r.record_slack.iter().filter(|s| s.name.is_some()) {
            let name = match &s.path {
                Some(p) => p.clone(),
                None => format!("<record {}>/{}", r.record, s.name.as_deref().unwrap_or("")),
            };
            line(&name, " (record slack)", 0, s.raw_times.unwrap_or_default())?;
        }
        if let (Some(link), Some(first)) = (&r.shortcut, r.hard_links().next())
            && let Some(h) = &link.link.header
        {
            let name = first
                .path
                .clone()
                .unwrap_or_else(|| format!("<record {}>/{}", r.record, first.name));
            let target = link.target.as_deref().unwrap_or("(no path)");
            let t = [
                h.creation_time.unwrap_or(0),
                h.write_time.unwrap_or(0),
                0,
                h.access_time.unwrap_or(0),
            ];
            let mode = if h.file_attributes & 0x10 != 0 {
                "d/drwxrwxrwx"
            } else {
                "r/rrwxrwxrwx"
            };
            writeln!(
                out,
                "0|{}|{}-{}|{mode}|0|0|{}|{}|{}|0|{}",
                EscapedField(
                    &format!("{prefix}{name} -> {target} (shortcut target)"),
                    '|'
                ),
                r.record,
                r.sequence,
                h.file_size,
                unix(t[3]),
                unix(t[1]),
                unix(t[0])
            )?;
        }
    }
    Ok(())
}

/// CSV, one row per name, a header first, RFC 4180 quoting. The last columns
/// (added after the others, which keep their places) say where a link leads
/// through this name (`resolution`: a junction's or symlink's, or a shell
/// link's) and, for a shell link, the path it names and the times it
/// recorded of its target (`shortcut_target`, `target_created`,
/// `target_modified`, `target_accessed`).
#[cfg(feature = "formats")]
pub fn write_csv(
    reports: impl Iterator<Item = RecordReport>,
    style: super::PathStyle,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "record",
        "sequence",
        "in_use",
        "is_dir",
        "link_count",
        "name",
        "namespace",
        "parent",
        "parent_sequence",
        "path",
        "orphan",
        "size",
        "streams",
        "reparse_kind",
        "reparse_target",
        "si_created",
        "si_modified",
        "si_mft_changed",
        "si_accessed",
        "fn_created",
        "fn_modified",
        "fn_mft_changed",
        "fn_accessed",
        "findings",
        "source",
        "resolution",
        "shortcut_target",
        "target_created",
        "target_modified",
        "target_accessed",
    ])
    .map_err(io_error)?;
    for r in reports {
        let times = |t: Option<&crate::links::Times>| -> [String; 4] {
            t.map_or_else(Default::default, |t| {
                [
                    t.created.clone(),
                    t.modified.clone(),
                    t.mft_changed.clone(),
                    t.accessed.clone(),
                ]
            })
        };
        let si = times(r.times.as_ref());
        let reparse_target = r
            .reparse
            .as_ref()
            .and_then(|rp| rp.destination().map(str::to_owned))
            .unwrap_or_default();
        let findings: Vec<String> = r
            .findings
            .iter()
            .map(|f| format!("{}: {}", f.kind.as_str(), f.message))
            .collect();
        let header = r.shortcut.as_ref().and_then(|s| s.link.header.as_ref());
        let target_time = |t: Option<u64>| t.map(crate::attribute::format_time).unwrap_or_default();
        let target = [
            r.shortcut_target().unwrap_or_default().to_owned(),
            target_time(header.and_then(|h| h.creation_time)),
            target_time(header.and_then(|h| h.write_time)),
            target_time(header.and_then(|h| h.access_time)),
        ];
        for n in &r.names {
            let fname = times(n.times.as_ref());
            let mut row: Vec<String> = vec![
                r.record.to_string(),
                r.sequence.to_string(),
                r.in_use.to_string(),
                r.is_dir.to_string(),
                r.link_count.to_string(),
                n.name.clone(),
                n.namespace.as_str().to_owned(),
                n.parent.to_string(),
                n.parent_sequence.to_string(),
                n.path
                    .as_deref()
                    .map(|p| style.show(p).into_owned())
                    .unwrap_or_default(),
                n.orphan.to_string(),
                r.size.map(|s| s.to_string()).unwrap_or_default(),
                r.streams.join(";"),
                r.reparse
                    .as_ref()
                    .map(|rp| rp.kind.as_str().to_owned())
                    .unwrap_or_default(),
                reparse_target.clone(),
                si[0].clone(),
                si[1].clone(),
                si[2].clone(),
                si[3].clone(),
                fname[0].clone(),
                fname[1].clone(),
                fname[2].clone(),
                fname[3].clone(),
                findings.join("; "),
                "name".to_owned(),
                n.resolution
                    .as_ref()
                    .or(r.shortcut_resolution().filter(|_| !n.is_dos_alias()))
                    .map(|res| resolution_text(res, style))
                    .unwrap_or_default(),
            ];
            row.extend(target.iter().cloned());
            w.write_record(&row).map_err(io_error)?;
        }
        // Names from the record's slack: rows of their own, `source` says so.
        for s in r.record_slack.iter().filter(|s| s.name.is_some()) {
            let t = s.times.clone().unwrap_or_default();
            let mut row: Vec<String> = vec![String::new(); 30];
            row[0] = r.record.to_string();
            row[1] = r.sequence.to_string();
            row[2] = r.in_use.to_string();
            row[3] = r.is_dir.to_string();
            row[4] = r.link_count.to_string();
            row[5] = s.name.clone().unwrap_or_default();
            row[6] = s
                .namespace
                .map(|n| n.as_str().to_owned())
                .unwrap_or_default();
            row[7] = s.parent.map(|p| p.to_string()).unwrap_or_default();
            row[8] = s.parent_sequence.map(|p| p.to_string()).unwrap_or_default();
            row[9] = s
                .path
                .as_deref()
                .map(|p| style.show(p).into_owned())
                .unwrap_or_default();
            row[19..23].clone_from_slice(&t);
            row[23] = format!("record slack at byte {:#x}", s.offset);
            row[24] = "record_slack".to_owned();
            w.write_record(&row).map_err(io_error)?;
        }
    }
    w.flush()
}

/// A resolution in one cell: `resolved: /path`, `dangling: why`.
#[cfg(feature = "formats")]
fn resolution_text(res: &crate::links::Resolution, style: super::PathStyle) -> String {
    let path = res.path.as_deref().map(|p| style.show(p));
    match (path, &res.reason) {
        (Some(p), _) if res.outcome.as_str() == "resolved" => format!("resolved: {p}"),
        (_, Some(why)) => format!("{}: {why}", res.outcome),
        (Some(p), None) => format!("{}: {p}", res.outcome),
        (None, None) => res.outcome.as_str().to_owned(),
    }
}

/// The I/O error inside a csv error, so that a closed pipe stays a closed pipe.
#[cfg(feature = "formats")]
fn io_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// The manifest of `extract` as CSV: a header, then one line per
/// [`ManifestRow`](crate::extract::ManifestRow), names exact (CSV quoting).
#[cfg(feature = "formats")]
pub struct ManifestCsv<W: Write> {
    csv: csv::Writer<W>,
}

#[cfg(feature = "formats")]
impl<W: Write> ManifestCsv<W> {
    /// A manifest written to `out`.
    pub fn new(out: W) -> ManifestCsv<W> {
        ManifestCsv {
            csv: csv::Writer::from_writer(out),
        }
    }

    /// Writes one row (the header before the first).
    pub fn row(&mut self, row: &crate::extract::ManifestRow) -> io::Result<()> {
        self.csv.serialize(row).map_err(io::Error::other)
    }

    /// Flushes what is buffered.
    pub fn flush(&mut self) -> io::Result<()> {
        self.csv.flush()
    }
}
