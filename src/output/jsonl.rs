//! The jsonl contract, written straight from the scan's tables.
//!
//! Records are rendered in parallel, a batch of chunks at a time, each chunk into
//! its own buffer, and the buffers written in record order. A plain record (valid
//! names whose paths resolve, no reparse point, no finding) is rendered from the
//! tables without building a [`RecordReport`](crate::RecordReport); any other
//! goes through its report. Both serialize through the one layout of the
//! contract (`links::json`), so they give the same bytes (a test compares them
//! on every fixture).

use crate::attribute::Timestamps;
use crate::links::Reports;
use crate::links::json::{self, Chars, Seq, TimeText, TimesShape, WriteJson};
use crate::scan::{Name, Record, RecordState};
use crate::tree::Tree;
use rayon::prelude::*;
use std::fmt;
use std::io::{self, Write};

/// Records per rendering chunk.
const CHUNK: u64 = 4096;

/// Writes every record `reports` report as one JSON object per line.
pub fn write_jsonl(reports: &Reports<'_>, out: &mut dyn Write) -> io::Result<()> {
    let scan = reports.analysis().scan();
    let count = scan.record_count();
    let starts: Vec<u64> = (0..count).step_by(CHUNK as usize).collect();
    let batch = rayon::current_num_threads().max(1) * 4;
    for group in starts.chunks(batch) {
        let buffers: Vec<Vec<u8>> = group
            .par_iter()
            .map(|&start| {
                let mut buf = Vec::with_capacity(CHUNK as usize * 256);
                for n in start..(start + CHUNK).min(count) {
                    if let Some(r) = scan.record(n).filter(|r| r.is_reported()) {
                        render(reports, &r, &mut buf);
                    }
                }
                buf
            })
            .collect();
        for b in buffers {
            out.write_all(&b)?;
        }
    }
    Ok(())
}

/// One record, fast when it is plain, through its report otherwise.
fn render(reports: &Reports<'_>, r: &Record<'_>, buf: &mut Vec<u8>) {
    let tree = reports.analysis().tree();
    if !plain(reports, r) || !render_plain(tree, r, buf) {
        let report = reports.report(r);
        // Writing to a vector fails only on a serializer error, which reports do
        // not have.
        let _ = serde_json::to_writer(&mut *buf, &report);
        buf.push(b'\n');
    }
}

/// A record whose report holds nothing but what the fast path writes: valid
/// names, no reparse point, no finding of any check, nothing from index slack.
fn plain(reports: &Reports<'_>, r: &Record<'_>) -> bool {
    let analysis = reports.analysis();
    r.state() == RecordState::Valid
        && analysis.findings(r.number()).next().is_none()
        && r.reparse_tag().is_none()
        && r.interix_bytes().is_none()
        && r.shortcut_bytes().is_none()
        && analysis.index_slack(r.number()).is_empty()
        && analysis.scan().record_slack(r.number()).next().is_none()
        && r.names().all(|n| n.is_valid_unicode())
}

/// Renders a plain record through the jsonl layout ([`json::RecordShape`]),
/// straight from the tables; false (nothing written) when a name has no path.
fn render_plain(tree: &Tree, r: &Record<'_>, buf: &mut Vec<u8>) -> bool {
    let times = |t: Option<Timestamps>| t.map(|t| TimesShape::new(t.to_array().map(TimeText)));
    let shape = json::RecordShape {
        record: r.number(),
        sequence: r.sequence(),
        in_use: r.in_use(),
        is_dir: r.is_dir(),
        link_count: r.link_count(),
        names: Seq(|| {
            r.names().map(move |n| json::NameShape {
                name: Chars(n.chars()),
                name_raw: None,
                parent: n.parent().record,
                parent_sequence: n.parent().sequence,
                namespace: n.namespace(),
                path: Some(PathOf(tree, n)),
                orphan: false,
                times: times(n.times()),
                resolution: None,
            })
        }),
        streams: Seq(|| r.streams().map(|s| Chars(s.chars()))),
        reparse: None,
        findings: &[],
        times: times(r.times()),
        size: r.data_size(),
        index_slack: &[],
        record_slack: &[],
        shortcut: None,
        compat: None,
        pif: None,
    };
    let mark = buf.len();
    if shape.write_json(buf).is_err() {
        buf.truncate(mark);
        return false;
    }
    buf.push(b'\n');
    true
}

/// A name's full path, written from its directory's memoized path and the
/// name's characters, without building it; an error when the name has no path.
struct PathOf<'t, 's>(&'t Tree, Name<'s>);

impl WriteJson for PathOf<'_, '_> {
    fn write_json(&self, buf: &mut Vec<u8>) -> Result<(), fmt::Error> {
        let dir = self.0.dir_path(&self.1).map_err(|_| fmt::Error)?;
        buf.push(b'"');
        match dir {
            Some(dir) => {
                json::escape_into(dir, buf);
                buf.push(b'/');
                json::escape_chars(self.1.chars(), buf);
            }
            None => buf.push(b'/'),
        }
        buf.push(b'"');
        Ok(())
    }
}
