//! EWF (Expert Witness Compression Format, EnCase `.E01` and ewfacquire's
//! output), version 1: one disk in one or more segment files (`.E01`, `.E02`,
//! ... `.E99`, `.EAA`, ...), each a chain of sections.
//!
//! Every segment starts with a 13-byte file header (signature, segment number)
//! and holds sections, each behind a 76-byte descriptor: its type (16 bytes),
//! the offset of the next section in the same file, its size, and an Adler-32
//! of the descriptor. What is read here:
//! - `volume` (or `disk`): chunk count, sectors per chunk, bytes per sector,
//!   sector count;
//! - `table` (and its copy `table2`): one 32-bit entry per chunk: the chunk's
//!   offset (31 bits, from the table's base offset) and, in the top bit, whether
//!   it is compressed; a chunk ends where the next begins, the table's last where
//!   its `sectors` section ends (EnCase 1 and SMART have no `sectors` section:
//!   the chunks follow the entries, and the last ends with the table section);
//! - `header2` (UTF-16) or `header` (ASCII), zlib-compressed: the acquisition
//!   metadata, tab-separated;
//! - `digest` and `hash`: the MD5 and SHA1 of the whole media;
//! - `next` and `done`: another segment follows, or none.
//!
//! A compressed chunk is a zlib stream; a stored one is followed by its
//! Adler-32, which is checked. Chunks are inflated by whichever thread reads
//! them, and cached.

use super::{
    BlockCache, Container, ContainerInfo, container_error, damaged, file_len, open_file,
    read_exact_at,
};
use crate::bytes::{u16_at, u32_at, u64_at};
use crate::error::Result;
use std::fs::File;
use std::path::{Path, PathBuf};

/// The signature of an EWF v1 segment (E01).
pub(crate) const SIGNATURE: &[u8] = b"EVF\x09\x0d\x0a\xff\x00";
/// The signature of a logical evidence file (L01): files, not a disk.
pub(crate) const LOGICAL_SIGNATURE: &[u8] = b"LVF\x09\x0d\x0a\xff\x00";
/// EWF2 (Ex01) and its logical variant (Lx01).
pub(crate) const SIGNATURE2: &[u8] = b"EVF2\x0d\x0a\x81\x00";
pub(crate) const LOGICAL_SIGNATURE2: &[u8] = b"LEF2\x0d\x0a\x81\x00";

const FILE_HEADER: u64 = 13;
const DESCRIPTOR: u64 = 76;
/// Most segments (E01..E99, EAA..ZZZ).
const MAX_SEGMENTS: usize = 14_971;
/// Most entries read from one chunk table.
const MAX_TABLE_ENTRIES: u64 = 1 << 20;
/// Largest chunk accepted (EnCase writes 32 KiB; the format allows more).
const MAX_CHUNK: u64 = 64 << 20;

/// Where one chunk is.
#[derive(Debug, Clone, Copy)]
struct Chunk {
    segment: u32,
    offset: u64,
    size: u32,
    compressed: bool,
}

/// An EWF v1 image.
#[derive(Debug)]
pub(crate) struct Ewf {
    segments: Vec<(PathBuf, File)>,
    chunks: Vec<Chunk>,
    chunk_size: u64,
    media_size: u64,
    metadata: Vec<(String, String)>,
    hashes: Vec<(String, String)>,
    cache: BlockCache,
}

/// What the `volume` section says.
#[derive(Debug, Clone, Copy)]
struct Geometry {
    chunk_count: u64,
    sectors_per_chunk: u64,
    bytes_per_sector: u64,
    sector_count: u64,
}

impl Ewf {
    /// Opens the image whose first segment is `path`, with the segments beside it.
    pub(crate) fn open(path: &Path) -> Result<Ewf> {
        let logical = {
            let file = open_file(path)?;
            let mut sig = [0u8; 8];
            read_exact_at(path, &file, &mut sig, 0)?;
            sig == LOGICAL_SIGNATURE
        };
        if logical {
            return Err(container_error(
                path,
                0,
                "a logical evidence file (L01): it holds files, not a disk image",
            ));
        }
        let mut ewf = Ewf {
            segments: Vec::new(),
            chunks: Vec::new(),
            chunk_size: 0,
            media_size: 0,
            metadata: Vec::new(),
            hashes: Vec::new(),
            cache: BlockCache::new(32 << 10),
        };
        let mut geometry: Option<Geometry> = None;
        let mut header2 = None;
        let mut header = None;
        let mut number = 1usize;
        loop {
            // The first segment is the file given, whatever its name; the
            // others are named after it (`.E02`, ...).
            let segment_path = if number == 1 {
                path.to_owned()
            } else {
                segment_name(path, number).ok_or_else(|| {
                    container_error(
                        path,
                        0,
                        &format!(
                            "segment {number} cannot be named from this file's name (the segments of NAME.E01 are NAME.E02, ...)"
                        ),
                    )
                })?
            };
            let file = match open_file(&segment_path) {
                Ok(f) => f,
                Err(_) if number > 1 => {
                    return Err(container_error(
                        &segment_path,
                        0,
                        &format!(
                            "segment {number} is missing: the previous segment says another follows"
                        ),
                    ));
                }
                Err(e) => return Err(e),
            };
            let len = file_len(&segment_path, &file)?;
            let mut head = [0u8; FILE_HEADER as usize];
            read_exact_at(&segment_path, &file, &mut head, 0)?;
            if head.get(..8) != Some(SIGNATURE) {
                return Err(container_error(
                    &segment_path,
                    0,
                    "not an EWF segment (no EVF signature)",
                ));
            }
            let stored = u16_at(&head, 9).unwrap_or(0) as usize;
            if stored != number {
                return Err(container_error(
                    &segment_path,
                    9,
                    &format!("segment number {stored} where {number} was expected"),
                ));
            }
            let segment = ewf.segments.len() as u32;
            let mut at = FILE_HEADER;
            let mut last_sectors_end: Option<u64> = None;
            let mut more = false;
            let mut seen = 0usize;
            loop {
                seen += 1;
                if seen > 1_000_000 {
                    return Err(container_error(
                        &segment_path,
                        at,
                        "too many sections: a loop?",
                    ));
                }
                let mut d = [0u8; DESCRIPTOR as usize];
                read_exact_at(&segment_path, &file, &mut d, at)?;
                let kind = section_type(&d);
                let next = u64_at(&d, 16).unwrap_or(0);
                let size = u64_at(&d, 24).unwrap_or(0);
                let stored_sum = u32_at(&d, 72).unwrap_or(0);
                if adler32(d.get(..72).unwrap_or_default()) != stored_sum {
                    return Err(container_error(
                        &segment_path,
                        at,
                        &format!("the descriptor of section {kind:?} fails its Adler-32"),
                    ));
                }
                let data = at + DESCRIPTOR;
                let data_len = size.saturating_sub(DESCRIPTOR);
                match kind.as_str() {
                    "volume" | "disk" if geometry.is_none() => {
                        geometry = Some(read_volume(&segment_path, &file, data, data_len)?);
                    }
                    "header2" if header2.is_none() => {
                        header2 = Some(read_compressed(&segment_path, &file, data, data_len)?);
                    }
                    "header" if header.is_none() => {
                        header = Some(read_compressed(&segment_path, &file, data, data_len)?);
                    }
                    "sectors" => last_sectors_end = Some(at.saturating_add(size)),
                    "table" => {
                        // EnCase 1 and SMART keep the chunks in the table
                        // section itself, after the entries.
                        let end = last_sectors_end.unwrap_or(at.saturating_add(size));
                        ewf.read_table(&segment_path, &file, segment, data, data_len, end, len)?;
                    }
                    "digest" => {
                        let mut v = [0u8; 36];
                        read_exact_at(&segment_path, &file, &mut v, data)?;
                        push_hash(&mut ewf.hashes, "MD5", v.get(..16));
                        push_hash(&mut ewf.hashes, "SHA1", v.get(16..36));
                    }
                    "hash" => {
                        let mut v = [0u8; 16];
                        read_exact_at(&segment_path, &file, &mut v, data)?;
                        push_hash(&mut ewf.hashes, "MD5", Some(&v));
                    }
                    "next" => {
                        more = true;
                        break;
                    }
                    "done" => break,
                    _ => {}
                }
                if next <= at || next >= len {
                    // The last section points at itself; anything else is the end too.
                    break;
                }
                at = next;
            }
            ewf.segments.push((segment_path, file));
            if !more {
                break;
            }
            number += 1;
            if number > MAX_SEGMENTS {
                return Err(container_error(
                    path,
                    0,
                    "more segments than the format allows",
                ));
            }
        }
        let g = geometry
            .ok_or_else(|| container_error(path, 0, "no volume section: not a disk image"))?;
        ewf.chunk_size = g.sectors_per_chunk.saturating_mul(g.bytes_per_sector);
        if ewf.chunk_size == 0 || ewf.chunk_size > MAX_CHUNK {
            return Err(container_error(
                path,
                0,
                &format!(
                    "chunks of {} sectors of {} bytes: not a size this reader accepts",
                    g.sectors_per_chunk, g.bytes_per_sector
                ),
            ));
        }
        ewf.cache = BlockCache::new(ewf.chunk_size);
        ewf.media_size = g.sector_count.saturating_mul(g.bytes_per_sector);
        let needed = ewf.media_size.div_ceil(ewf.chunk_size);
        if (ewf.chunks.len() as u64) < needed {
            return Err(container_error(
                path,
                0,
                &format!(
                    "the tables list {} chunks, the media needs {needed} ({} said by the volume section): a segment is missing or cut",
                    ewf.chunks.len(),
                    g.chunk_count
                ),
            ));
        }
        ewf.chunks.truncate(needed as usize);
        ewf.metadata = match (header2, header) {
            (Some(h2), _) => parse_header(&utf16_text(&h2)),
            (None, Some(h)) => parse_header(&String::from_utf8_lossy(&h)),
            (None, None) => Vec::new(),
        };
        Ok(ewf)
    }

    /// Reads a `table` section: a 24-byte header (entry count, base offset,
    /// Adler-32), then the entries. Chunk sizes come from consecutive offsets;
    /// the last chunk ends at `end` (the end of the `sectors` section).
    #[allow(clippy::too_many_arguments)]
    fn read_table(
        &mut self,
        path: &Path,
        file: &File,
        segment: u32,
        data: u64,
        data_len: u64,
        end: u64,
        file_len: u64,
    ) -> Result<()> {
        let mut head = [0u8; 24];
        read_exact_at(path, file, &mut head, data)?;
        let count = u64::from(u32_at(&head, 0).unwrap_or(0));
        let base = u64_at(&head, 8).unwrap_or(0);
        if adler32(head.get(..20).unwrap_or_default()) != u32_at(&head, 20).unwrap_or(0) {
            return Err(container_error(
                path,
                data,
                "the chunk table's header fails its Adler-32",
            ));
        }
        // EnCase writes at most 65,534 entries a table; a sparse file could
        // claim a table as large as itself.
        if count.saturating_mul(4).saturating_add(24) > data_len.max(24)
            || count > file_len / 4
            || count > MAX_TABLE_ENTRIES
        {
            return Err(container_error(
                path,
                data,
                &format!("a chunk table of {count} entries does not fit its section"),
            ));
        }
        let mut raw = vec![0u8; (count * 4) as usize];
        read_exact_at(path, file, &mut raw, data + 24)?;
        let entries: Vec<u32> = raw
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().unwrap_or([0; 4])))
            .collect();
        for (i, &e) in entries.iter().enumerate() {
            let offset = base + u64::from(e & 0x7FFF_FFFF);
            let next = match entries.get(i + 1) {
                Some(&n) => base + u64::from(n & 0x7FFF_FFFF),
                None => end,
            };
            if next <= offset || next > file_len || next - offset > MAX_CHUNK + 4 {
                return Err(container_error(
                    path,
                    data + 24 + 4 * i as u64,
                    &format!(
                        "chunk table entry {i}: a chunk from byte {offset:#x} to {next:#x} (segment of {file_len:#x} bytes)"
                    ),
                ));
            }
            self.chunks.push(Chunk {
                segment,
                offset,
                size: (next - offset) as u32,
                compressed: e & 0x8000_0000 != 0,
            });
        }
        Ok(())
    }

    /// Chunk `index`, inflated (or its stored bytes, checksum checked).
    fn chunk(&self, index: u64) -> std::io::Result<std::sync::Arc<[u8]>> {
        self.cache.get_or_load(index, || {
            let c = self
                .chunks
                .get(index as usize)
                .ok_or_else(|| std::io::Error::other(format!("no chunk {index}")))?;
            let (path, file) = self
                .segments
                .get(c.segment as usize)
                .ok_or_else(|| std::io::Error::other("no such segment"))?;
            let want = self
                .chunk_size
                .min(self.media_size - index * self.chunk_size) as usize;
            let mut raw = vec![0u8; c.size as usize];
            super::pread(path, file, &mut raw, c.offset)?;
            if c.compressed {
                let out = inflate_zlib(&raw, want)
                    .map_err(|e| damaged(path, c.offset, format!("chunk {index}: {e}")))?;
                if out.len() < want {
                    return Err(damaged(
                        path,
                        c.offset,
                        format!("chunk {index} inflates to {} bytes, not {want}", out.len()),
                    ));
                }
                Ok(out)
            } else {
                let stored = u32_at(&raw, want);
                let data = raw.get(..want).ok_or_else(|| {
                    damaged(
                        path,
                        c.offset,
                        format!("chunk {index} is shorter than {want} bytes"),
                    )
                })?;
                if stored.is_some_and(|s| s != adler32(data)) {
                    return Err(damaged(
                        path,
                        c.offset,
                        format!("chunk {index} fails its Adler-32"),
                    ));
                }
                raw.truncate(want);
                Ok(raw)
            }
        })
    }
}

impl Container for Ewf {
    fn len(&self) -> u64 {
        self.media_size
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<()> {
        super::read_blocks(self.chunk_size, offset, buf, |index, within, part| {
            let chunk = self.chunk(index)?;
            let src = chunk
                .get(within..within + part.len())
                .ok_or_else(|| std::io::Error::other("chunk shorter than expected"))?;
            part.copy_from_slice(src);
            Ok(())
        })
    }

    fn info(&self) -> ContainerInfo {
        ContainerInfo {
            format: "EWF",
            variant: format!(
                "E01 (EWF version 1), {} segment{}, {} chunks of {} bytes",
                self.segments.len(),
                if self.segments.len() == 1 { "" } else { "s" },
                self.chunks.len(),
                self.chunk_size
            ),
            files: self.segments.iter().map(|(p, _)| p.clone()).collect(),
            virtual_size: self.media_size,
            metadata: self.metadata.clone(),
            hashes: self.hashes.clone(),
            parent: None,
        }
    }

    fn stored_hashes(&self) -> Vec<(String, String)> {
        self.hashes.clone()
    }
}

/// The `volume` (or `disk`) section: EnCase 2 and later (1052 bytes) and the
/// older 94-byte layout agree on the first fields but for the sector count,
/// 64 bits in the first and 32 in the second.
fn read_volume(path: &Path, file: &File, data: u64, data_len: u64) -> Result<Geometry> {
    let mut v = vec![0u8; data_len.min(1052) as usize];
    read_exact_at(path, file, &mut v, data)?;
    let field = |at| u32_at(&v, at).map(u64::from);
    let (Some(chunk_count), Some(sectors_per_chunk), Some(bytes_per_sector)) =
        (field(4), field(8), field(12))
    else {
        return Err(container_error(
            path,
            data,
            "the volume section is cut short",
        ));
    };
    let sector_count = if data_len >= 1052 {
        u64_at(&v, 16).unwrap_or(0)
    } else {
        field(16).unwrap_or(0)
    };
    Ok(Geometry {
        chunk_count,
        sectors_per_chunk,
        bytes_per_sector,
        sector_count,
    })
}

/// A zlib-compressed section (`header`, `header2`), inflated (at most 16 MiB).
fn read_compressed(path: &Path, file: &File, data: u64, data_len: u64) -> Result<Vec<u8>> {
    if data_len > 16 << 20 {
        return Err(container_error(
            path,
            data,
            "a header section larger than 16 MiB",
        ));
    }
    let mut raw = vec![0u8; data_len as usize];
    read_exact_at(path, file, &mut raw, data)?;
    inflate_zlib(&raw, 16 << 20).map_err(|e| container_error(path, data, &format!("header: {e}")))
}

/// Inflates a zlib stream, at most `limit` bytes out (a stream cut short
/// gives fewer: callers check the length).
fn inflate_zlib(raw: &[u8], limit: usize) -> std::result::Result<Vec<u8>, String> {
    use std::io::Read;
    let mut out = Vec::with_capacity(limit.min(64 << 20));
    flate2::read::ZlibDecoder::new(raw)
        .take(limit as u64)
        .read_to_end(&mut out)
        .map_err(|e| format!("zlib data is damaged: {e}"))?;
    Ok(out)
}

/// The segment file `number` of the image whose first segment is `first`:
/// `.E01`..`.E99`, then `.EAA`..`.EZZ`, `.FAA`.. (the case of the first kept).
fn segment_name(first: &Path, number: usize) -> Option<PathBuf> {
    let ext = first.extension()?.to_str()?;
    let mut chars = ext.chars();
    let letter = chars.next()?;
    let lower = letter.is_ascii_lowercase();
    let suffix = if number < 100 {
        format!("{letter}{number:02}")
    } else {
        let n = number - 100;
        let (first_letter, rest) = (n / 676, n % 676);
        let base = (letter.to_ascii_uppercase() as u8).checked_add(first_letter as u8)?;
        if base > b'Z' {
            return None;
        }
        let s = format!(
            "{}{}{}",
            base as char,
            (b'A' + (rest / 26) as u8) as char,
            (b'A' + (rest % 26) as u8) as char
        );
        if lower { s.to_ascii_lowercase() } else { s }
    };
    Some(first.with_extension(suffix))
}

/// A section type: up to 16 ASCII bytes, NUL-padded.
fn section_type(d: &[u8]) -> String {
    let t = d.get(..16).unwrap_or_default();
    let end = t.iter().position(|&b| b == 0).unwrap_or(t.len());
    String::from_utf8_lossy(t.get(..end).unwrap_or_default()).into_owned()
}

fn push_hash(hashes: &mut Vec<(String, String)>, name: &str, bytes: Option<&[u8]>) {
    let Some(bytes) = bytes.filter(|b| b.iter().any(|&x| x != 0)) else {
        return;
    };
    if hashes.iter().any(|(n, _)| n == name) {
        return;
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    hashes.push((name.to_owned(), hex));
}

/// UTF-16LE text (a leading byte-order mark skipped).
fn utf16_text(b: &[u8]) -> String {
    let units: Vec<u16> = crate::bytes::utf16_units(b).collect();
    let units = units.strip_prefix(&[0xFEFF]).unwrap_or(&units);
    String::from_utf16_lossy(units)
}

/// The header's `main` category: a line of tab-separated keys, then a line of
/// values, named as analysts know them.
fn parse_header(text: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    let Some(at) = lines.iter().position(|l| *l == "main") else {
        return Vec::new();
    };
    let (Some(keys), Some(values)) = (lines.get(at + 1), lines.get(at + 2)) else {
        return Vec::new();
    };
    keys.split('\t')
        .zip(values.split('\t'))
        // A password hash of 0 is no password.
        .filter(|(k, v)| !(v.is_empty() || (*k == "p" && *v == "0")))
        .map(|(k, v)| {
            let name = match k {
                "c" => "case number",
                "n" => "evidence number",
                "a" => "description",
                "e" => "examiner",
                "t" => "notes",
                "av" => "acquisition software version",
                "ov" => "acquisition operating system",
                "m" => "acquisition date",
                "u" => "system date",
                "p" => "password hash",
                "r" => "compression",
                "md" => "model",
                "sn" => "serial number",
                "l" => "device label",
                "pid" => "process identifier",
                "dc" => "unknown (dc)",
                "ext" => "extents",
                other => other,
            };
            let value = match k {
                "m" | "u" if v.bytes().all(|b| b.is_ascii_digit()) => {
                    unix_date(v).unwrap_or_else(|| v.to_owned())
                }
                // The ASCII header's "2026 12 3 21 12 4", in the acquiring
                // machine's local time.
                "m" | "u" => spaced_date(v).unwrap_or_else(|| v.to_owned()),
                "r" => match v {
                    "n" => "none".to_owned(),
                    "f" => "fast".to_owned(),
                    "b" => "best".to_owned(),
                    other => other.to_owned(),
                },
                _ => v.to_owned(),
            };
            (name.to_owned(), value)
        })
        .collect()
}

/// `header` dates (`2026 12 3 21 12 4`): as `2026-12-03 21:12:04 (local time
/// of the acquiring machine)`.
fn spaced_date(v: &str) -> Option<String> {
    let p: Vec<u32> = v
        .split_whitespace()
        .map(|x| x.parse().ok())
        .collect::<Option<_>>()?;
    let [y, mo, d, h, mi, s] = p.as_slice() else {
        return None;
    };
    Some(format!(
        "{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02} (local time of the acquiring machine)"
    ))
}

/// `header2` dates are Unix seconds: as an ISO 8601 UTC date.
fn unix_date(v: &str) -> Option<String> {
    let secs: u64 = v.parse().ok()?;
    let ntfs = secs
        .checked_mul(10_000_000)?
        .checked_add(116_444_736_000_000_000)?;
    Some(crate::attribute::format_time(ntfs))
}

/// Adler-32 (RFC 1950).
pub(crate) fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a += u32::from(x);
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    (b << 16) | a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adler32_of_known_strings() {
        assert_eq!(adler32(b""), 1);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }

    #[test]
    fn segment_names() {
        let first = Path::new("/e/disk.E01");
        assert_eq!(segment_name(first, 2).unwrap(), Path::new("/e/disk.E02"));
        assert_eq!(segment_name(first, 99).unwrap(), Path::new("/e/disk.E99"));
        assert_eq!(segment_name(first, 100).unwrap(), Path::new("/e/disk.EAA"));
        assert_eq!(segment_name(first, 101).unwrap(), Path::new("/e/disk.EAB"));
        assert_eq!(segment_name(first, 776).unwrap(), Path::new("/e/disk.FAA"));
        assert_eq!(
            segment_name(Path::new("d.e01"), 100).unwrap(),
            Path::new("d.eaa")
        );
    }

    #[test]
    fn header_fields() {
        let h = "3\nmain\na\tc\tn\te\tt\tav\tov\tm\tu\tp\n\
                 desc\tcase 7\tev 1\tAlice\tnotes here\t20\tLinux\t1700000000\t1700000000\t0\n\nsrce\n";
        let m = parse_header(h);
        assert!(m.contains(&("case number".into(), "case 7".into())));
        assert!(m.contains(&("examiner".into(), "Alice".into())));
        assert!(
            m.iter()
                .any(|(k, v)| k == "acquisition date" && v.starts_with("2023-11-14T22:13:20"))
        );
    }

    #[test]
    fn damaged_zlib_is_an_error() {
        assert!(inflate_zlib(&[0x78, 0x9c, 1, 2, 3], 100).is_err());
        // Chunks larger than 1 MiB inflate whole.
        let big = vec![7u8; 4 << 20];
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut z, &big).unwrap();
        let packed = z.finish().unwrap();
        assert_eq!(inflate_zlib(&packed, big.len()).unwrap(), big);
        // Cut short, it gives less than asked (or an error): callers check.
        assert!(
            inflate_zlib(&packed[..packed.len() / 2], big.len())
                .map_or(true, |v| v.len() < big.len())
        );
    }
}
