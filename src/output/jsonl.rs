//! The jsonl contract, written straight from the scan's tables.
//!
//! Records are rendered in parallel, a batch of chunks at a time, each chunk into
//! its own buffer, and the buffers written in record order. A plain record (valid
//! names whose paths resolve, no reparse point, no finding) is rendered here
//! without building a [`RecordReport`](crate::RecordReport); any other goes
//! through the report and serde. Both give the same bytes (a test compares them
//! on every fixture).

use crate::links::Reports;
use crate::scan::{Record, RecordState};
use crate::tree::Tree;
use rayon::prelude::*;
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
                let mut path = String::new();
                for n in start..(start + CHUNK).min(count) {
                    if let Some(r) = scan.record(n).filter(|r| r.is_reported()) {
                        render(reports, &r, &mut buf, &mut path);
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
fn render(reports: &Reports<'_>, r: &Record<'_>, buf: &mut Vec<u8>, path: &mut String) {
    let tree = reports.analysis().tree();
    if !plain(reports, r) || !render_plain(tree, r, buf, path) {
        let report = reports.report(r);
        serde_json::to_writer(&mut *buf, &report).expect("writing to a vector");
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
        && analysis.index_slack(r.number()).is_empty()
        && r.names().all(|n| n.is_valid_unicode())
}

/// Renders a plain record; false (nothing written) when a name has no path.
fn render_plain(tree: &Tree, r: &Record<'_>, buf: &mut Vec<u8>, path: &mut String) -> bool {
    let mark = buf.len();
    let mut num = itoa::Buffer::new();
    buf.extend_from_slice(b"{\"record\":");
    buf.extend_from_slice(num.format(r.number()).as_bytes());
    buf.extend_from_slice(b",\"sequence\":");
    buf.extend_from_slice(num.format(r.sequence()).as_bytes());
    buf.extend_from_slice(if r.in_use() {
        b",\"in_use\":true"
    } else {
        b",\"in_use\":false"
    });
    buf.extend_from_slice(if r.is_dir() {
        b",\"is_dir\":true"
    } else {
        b",\"is_dir\":false"
    });
    buf.extend_from_slice(b",\"link_count\":");
    buf.extend_from_slice(num.format(r.link_count()).as_bytes());
    buf.extend_from_slice(b",\"names\":[");
    for (i, n) in r.names().enumerate() {
        path.clear();
        if tree.path_into(&n, path).is_err() {
            buf.truncate(mark);
            return false;
        }
        if i > 0 {
            buf.push(b',');
        }
        buf.extend_from_slice(b"{\"name\":");
        escaped(n.chars(), buf);
        buf.extend_from_slice(b",\"parent\":");
        buf.extend_from_slice(num.format(n.parent().record).as_bytes());
        buf.extend_from_slice(b",\"parent_sequence\":");
        buf.extend_from_slice(num.format(n.parent().sequence).as_bytes());
        buf.extend_from_slice(b",\"namespace\":\"");
        buf.extend_from_slice(n.namespace().as_str().as_bytes());
        buf.extend_from_slice(b"\",\"path\":");
        escaped(path.chars(), buf);
        if let Some(t) = n.times() {
            times(t, buf, path);
        }
        buf.push(b'}');
    }
    buf.extend_from_slice(b"],\"streams\":[");
    for (i, s) in r.streams().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        escaped(s.chars(), buf);
    }
    buf.extend_from_slice(b"],\"reparse\":null,\"findings\":[]");
    if let Some(t) = r.times() {
        times(t, buf, path);
    }
    if let Some(size) = r.data_size() {
        buf.extend_from_slice(b",\"size\":");
        buf.extend_from_slice(num.format(size).as_bytes());
    }
    buf.extend_from_slice(b"}\n");
    true
}

/// `,"times":{...}` with the four timestamps; `scratch` is reused for the text.
fn times(t: [u64; 4], buf: &mut Vec<u8>, scratch: &mut String) {
    buf.extend_from_slice(b",\"times\":{");
    for (i, key) in ["created", "modified", "mft_changed", "accessed"]
        .iter()
        .enumerate()
    {
        if i > 0 {
            buf.push(b',');
        }
        buf.push(b'"');
        buf.extend_from_slice(key.as_bytes());
        buf.extend_from_slice(b"\":\"");
        scratch.clear();
        crate::attribute::write_time(t[i], scratch);
        buf.extend_from_slice(scratch.as_bytes());
        buf.push(b'"');
    }
    buf.push(b'}');
}

/// A JSON string, escaped as serde_json escapes it.
fn escaped(chars: impl Iterator<Item = char>, buf: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    buf.push(b'"');
    let mut utf8 = [0u8; 4];
    for c in chars {
        match c {
            '"' => buf.extend_from_slice(b"\\\""),
            '\\' => buf.extend_from_slice(b"\\\\"),
            '\n' => buf.extend_from_slice(b"\\n"),
            '\r' => buf.extend_from_slice(b"\\r"),
            '\t' => buf.extend_from_slice(b"\\t"),
            '\u{8}' => buf.extend_from_slice(b"\\b"),
            '\u{c}' => buf.extend_from_slice(b"\\f"),
            c if (c as u32) < 0x20 => {
                let b = c as u8;
                buf.extend_from_slice(b"\\u00");
                buf.push(HEX[(b >> 4) as usize]);
                buf.push(HEX[(b & 0xF) as usize]);
            }
            c if c.is_ascii() => buf.push(c as u8),
            c => buf.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes()),
        }
    }
    buf.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_serde_json() {
        let s: String = (0u32..0x80)
            .filter_map(char::from_u32)
            .chain("é日\u{1F600}\u{FFFD}\u{7F}".chars())
            .collect();
        let mut buf = Vec::new();
        escaped(s.chars(), &mut buf);
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            serde_json::to_string(&s).unwrap()
        );
    }
}
