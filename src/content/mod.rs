//! File content: the bytes of any stream of any record, as Windows would return
//! them (what sleuthkit's `icat` prints).
//!
//! A [`Stream`] is opened by record number and stream name (`""` for the unnamed
//! stream); hard links need nothing more, since every name of a file names the
//! same record. The stream's pieces are gathered from the base record and the
//! extension records its attribute list names, then read:
//! - resident: the value held in the record;
//! - non-resident: the clusters its runs map, sparse runs and bytes past the
//!   initialized size as zeros;
//! - NTFS-compressed (LZNT1): unit by unit, a unit whose clusters are all on disk
//!   stored as is, one that ends in a sparse run compressed, an all-sparse one
//!   zeros;
//! - WOF-compressed (Windows 10 `compact /exe:`, reparse tag 0x80000017, file
//!   provider): the chunks of the `WofCompressedData` stream, decoded with
//!   XPRESS (4K, 8K, 16K) or LZX.
//!
//! EFS-encrypted streams are refused: their clusters hold ciphertext. Nothing is
//! read into memory whole: [`Stream::read_at`] reads any range, and
//! [`Stream::copy_to`] streams the content to a writer.
//!
//! ```
//! use ntfs_links::content::Stream;
//! # let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/c512.img");
//! let volume = ntfs_links::open(path, Default::default())?;
//! // The unnamed stream of record 3 ($Volume) is empty; $UpCase (10) is not.
//! let upcase = Stream::open(&volume, 10, "")?;
//! assert_eq!(upcase.size(), 131072);
//! let mut first = [0u8; 4];
//! upcase.read_at(0x41 * 2, &mut first)?;
//! assert_eq!(first, [0x41, 0, 0x42, 0]); // 'A' maps to 'A', 'B' to 'B'
//! # Ok::<(), ntfs_links::Error>(())
//! ```

pub mod codec;
mod compressed;

use crate::attribute::{FileAttributes, StandardInformation};
use crate::error::{ContentProblem, Error, Result};
use crate::record::{Attribute, AttributeType, DataRun, RecordView};
use crate::volume::{OwnedRecord, Source, Volume};
use compressed::{Lznt1, Wof};
use std::io::Write;

/// The stream that holds a WOF-compressed file's data.
pub const WOF_STREAM: &str = "WofCompressedData";
/// Extension records read for one stream, at most (a list naming more is damaged).
const MAX_EXTENSIONS: usize = 4096;
/// Bytes copied at a time by [`Stream::copy_to`].
const COPY_CHUNK: usize = 1 << 20;

/// One stream of one record, ready to read.
pub struct Stream<'v> {
    volume: &'v Volume,
    record: u64,
    name: String,
    size: u64,
    layout: Layout<'v>,
}

impl std::fmt::Debug for Stream<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stream")
            .field("record", &self.record)
            .field("name", &self.name)
            .field("size", &self.size)
            .field("storage", &self.storage())
            .finish()
    }
}

/// How a stream's bytes are laid out.
#[derive(Debug)]
enum Layout<'v> {
    /// In the record.
    Resident(Vec<u8>),
    /// In clusters, as they are.
    Plain(Runs),
    /// In clusters, LZNT1-compressed by compression unit.
    Lznt1(Lznt1),
    /// In the `WofCompressedData` stream, chunk by chunk.
    Wof(Box<Wof<'v>>),
}

/// The runs of a non-resident stream, in VCN order, and its sizes.
#[derive(Debug, Clone)]
pub(crate) struct Runs {
    pub(crate) runs: Vec<DataRun>,
    pub(crate) cluster_size: u64,
    pub(crate) initialized: u64,
    pub(crate) allocated: u64,
    /// The image byte offset of the volume.
    pub(crate) volume_offset: u64,
}

/// What a stream is, for listings (`extract` and the CLI's errors).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StreamInfo {
    /// The stream's name, `""` for the unnamed stream.
    pub name: String,
    /// The attribute's instance number (sleuthkit's attribute id: `icat IMAGE
    /// RECORD-128-ID`).
    pub id: u16,
    /// Its size in bytes.
    pub size: u64,
    /// How it is stored: `resident`, `non_resident`, `sparse`, `compressed`,
    /// `encrypted`.
    pub storage: &'static str,
}

impl<'v> Stream<'v> {
    /// Opens stream `name` (`""`: the unnamed stream) of record `record`. A
    /// WOF-compressed file's unnamed stream reads as its uncompressed content.
    pub fn open(volume: &'v Volume, record: u64, name: &str) -> Result<Stream<'v>> {
        let records = Records::read(volume, record)?;
        let fail = |problem: ContentProblem| Error::Content {
            record,
            stream: name.to_owned(),
            offset: volume.record_image_offset(record).unwrap_or(0),
            problem,
        };
        let pieces = records.data_pieces(name);
        if pieces.is_empty() {
            let streams = records.stream_names();
            return Err(fail(ContentProblem::NoSuchStream {
                streams: if streams.is_empty() {
                    "none".to_owned()
                } else {
                    streams.join(", ")
                },
            }));
        }
        let encrypted = pieces.iter().any(|(_, a)| a.is_encrypted())
            || records
                .file_attributes()
                .contains(FileAttributes::ENCRYPTED);
        if encrypted {
            return Err(fail(ContentProblem::Encrypted));
        }
        if name.is_empty()
            && let Some(algorithm) = records.wof_algorithm(volume)
        {
            let algorithm = algorithm.map_err(fail)?;
            let data = Stream::open(volume, record, WOF_STREAM).map_err(|e| match e {
                Error::Content {
                    problem: ContentProblem::NoSuchStream { .. },
                    ..
                } => fail(ContentProblem::WofWithoutData),
                e => e,
            })?;
            let size = records.first_piece(&pieces).map_or(0, |a| a.data_size());
            let wof = Wof::new(data, algorithm, size, &fail)?;
            return Ok(Stream {
                volume,
                record,
                name: String::new(),
                size,
                layout: Layout::Wof(Box::new(wof)),
            });
        }
        let Some(first) = records.first_piece(&pieces) else {
            return Err(fail(ContentProblem::NoFirstPiece));
        };
        let size = first.data_size();
        let layout = if let Some(value) = first.value() {
            Layout::Resident(value.to_vec())
        } else {
            if volume.source() == Source::BareMft {
                return Err(fail(ContentProblem::BareMft));
            }
            let runs = Runs::gather(volume, &pieces, &first).map_err(fail)?;
            let unit = first.compression_unit();
            if first.is_compressed() && unit != 0 {
                Layout::Lznt1(Lznt1::new(runs, unit).map_err(fail)?)
            } else {
                Layout::Plain(runs)
            }
        };
        Ok(Stream {
            volume,
            record,
            name: name.to_owned(),
            size,
            layout,
        })
    }

    /// Every `$DATA` stream of record `record`, the unnamed one first.
    pub fn list(volume: &Volume, record: u64) -> Result<Vec<StreamInfo>> {
        let records = Records::read(volume, record)?;
        let mut out: Vec<StreamInfo> = Vec::new();
        for name in records.stream_names_raw() {
            let pieces = records.data_pieces(&name);
            let Some(first) = records.first_piece(&pieces) else {
                continue;
            };
            let storage = if first.is_encrypted() {
                "encrypted"
            } else if first.is_resident() {
                "resident"
            } else if first.is_compressed() {
                "compressed"
            } else if first.is_sparse() {
                "sparse"
            } else {
                "non_resident"
            };
            out.push(StreamInfo {
                name,
                id: first.instance(),
                size: first.data_size(),
                storage,
            });
        }
        Ok(out)
    }

    /// The record the stream belongs to.
    pub fn record(&self) -> u64 {
        self.record
    }

    /// The stream's name (`""` for the unnamed stream).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The content's size in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// How the content is stored: `resident`, `non_resident`, `lznt1`, or
    /// `wof_xpress4k` / `wof_xpress8k` / `wof_xpress16k` / `wof_lzx`.
    pub fn storage(&self) -> &'static str {
        match &self.layout {
            Layout::Resident(_) => "resident",
            Layout::Plain(_) => "non_resident",
            Layout::Lznt1(_) => "lznt1",
            Layout::Wof(w) => w.storage(),
        }
    }

    /// The bytes the stream's clusters hold past its end, up to the end of its
    /// last cluster (the file slack); `None` for streams whose clusters do not
    /// hold the content as is (resident, compressed).
    pub fn slack_size(&self) -> Option<u64> {
        match &self.layout {
            Layout::Plain(runs) => Some(runs.allocated.saturating_sub(self.size)),
            _ => None,
        }
    }

    /// Fills `buf` with the content at `offset`; returns how many bytes were
    /// read (fewer only at the end of the stream).
    pub fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<usize> {
        self.read_range(offset, buf, self.size)
    }

    /// As [`read_at`](Self::read_at), reading on into the slack up to `end`.
    fn read_range(&self, offset: u64, buf: &mut [u8], end: u64) -> Result<usize> {
        let len = (buf.len() as u64).min(end.saturating_sub(offset)) as usize;
        let Some(buf) = buf.get_mut(..len) else {
            return Ok(0);
        };
        if buf.is_empty() {
            return Ok(0);
        }
        let fail = |problem: ContentProblem| Error::Content {
            record: self.record,
            stream: self.name.clone(),
            offset,
            problem,
        };
        match &self.layout {
            Layout::Resident(value) => {
                let src = usize::try_from(offset)
                    .ok()
                    .and_then(|o| value.get(o..o + len))
                    .ok_or_else(|| fail(ContentProblem::Unmapped { at: offset }))?;
                buf.copy_from_slice(src);
            }
            Layout::Plain(runs) => runs.read(self.volume, offset, buf, self.size, &fail)?,
            Layout::Lznt1(c) => c.read(self.volume, offset, buf, &fail)?,
            Layout::Wof(w) => w.read(offset, buf, &fail)?,
        }
        Ok(len)
    }

    /// Writes the whole content to `out`, and the file slack after it when
    /// `slack` is set; returns the bytes written.
    pub fn copy_to(&self, out: &mut dyn Write, slack: bool) -> Result<u64> {
        let end = self.size
            + if slack {
                self.slack_size().unwrap_or(0)
            } else {
                0
            };
        let mut buf = vec![0u8; COPY_CHUNK.min(end as usize).max(1)];
        let mut at = 0u64;
        while at < end {
            let n = self.read_range(at, &mut buf, end)?;
            if n == 0 {
                break;
            }
            out.write_all(buf.get(..n).unwrap_or_default())
                .map_err(|source| Error::Write { source })?;
            at += n as u64;
        }
        Ok(at)
    }

    /// The whole content in memory, if it is at most `max` bytes.
    pub fn read_all(&self, max: u64) -> Result<Vec<u8>> {
        if self.size > max {
            return Err(Error::Content {
                record: self.record,
                stream: self.name.clone(),
                offset: 0,
                problem: ContentProblem::TooLarge { size: self.size },
            });
        }
        let mut out = vec![0u8; self.size as usize];
        let n = self.read_at(0, &mut out)?;
        out.truncate(n);
        Ok(out)
    }

    /// Whether the clusters hold the content as it is (resident or plain),
    /// as a WOF file's data stream must.
    fn is_stored(&self) -> bool {
        matches!(self.layout, Layout::Resident(_) | Layout::Plain(_))
    }
}

impl Runs {
    /// The runs of every piece, checked to follow one another from VCN 0.
    fn gather(
        volume: &Volume,
        pieces: &[(u64, Attribute<'_>)],
        first: &Attribute<'_>,
    ) -> std::result::Result<Runs, ContentProblem> {
        let mut sorted: Vec<&Attribute<'_>> = pieces.iter().map(|(_, a)| a).collect();
        sorted.sort_by_key(|a| a.lowest_vcn());
        let mut runs = Vec::new();
        for attr in sorted {
            for run in attr.runs().into_iter().flatten() {
                let run = run.map_err(|e| ContentProblem::Run {
                    at: e.at,
                    what: e.what,
                })?;
                if run.length > 0 {
                    runs.push(run);
                }
            }
        }
        let mut next = 0u64;
        for run in &runs {
            if run.vcn != next {
                return Err(ContentProblem::RunGap { vcn: next });
            }
            next = run.vcn.saturating_add(run.length);
        }
        Ok(Runs {
            runs,
            cluster_size: volume.geometry().cluster_size,
            initialized: first.initialized_size(),
            allocated: first.allocated_size(),
            volume_offset: volume.offset(),
        })
    }

    /// The run holding virtual cluster `vcn`.
    pub(crate) fn run_at(&self, vcn: u64) -> Option<&DataRun> {
        let i = self.runs.partition_point(|r| r.vcn + r.length <= vcn);
        self.runs.get(i).filter(|r| r.vcn <= vcn)
    }

    /// Fills `buf` with the clusters at `offset` as they are on disk (sparse
    /// runs as zeros): compressed data, whose offsets are not the content's.
    pub(crate) fn read_raw(
        &self,
        volume: &Volume,
        offset: u64,
        buf: &mut [u8],
        fail: &dyn Fn(ContentProblem) -> Error,
    ) -> Result<()> {
        // Every byte past a size of 0 is read as slack is: raw.
        self.read(volume, offset, buf, 0, fail)
    }

    /// Fills `buf` with the bytes at `offset` (within `size`, or the slack when
    /// past it); sparse runs and bytes past the initialized size read as zeros.
    pub(crate) fn read(
        &self,
        volume: &Volume,
        offset: u64,
        buf: &mut [u8],
        size: u64,
        fail: &dyn Fn(ContentProblem) -> Error,
    ) -> Result<()> {
        let cs = self.cluster_size;
        let mut pos = offset;
        let mut rest = buf;
        while !rest.is_empty() {
            let vcn = pos / cs;
            let run = self
                .run_at(vcn)
                .ok_or_else(|| fail(ContentProblem::Unmapped { at: pos }))?;
            let run_end = (run.vcn + run.length).saturating_mul(cs);
            // A piece is all content or all slack.
            let limit = if pos < size { size } else { run_end };
            let n = (run_end.min(limit) - pos).min(rest.len() as u64) as usize;
            let (now, later) = rest.split_at_mut(n);
            // Content past the initialized size reads as zeros whatever the
            // clusters hold; slack is read as the clusters hold it.
            let on_disk = if pos < size {
                self.initialized.saturating_sub(pos).min(n as u64) as usize
            } else {
                n
            };
            let (data, zeros) = now.split_at_mut(on_disk);
            zeros.fill(0);
            match run.lcn {
                _ if data.is_empty() => {}
                None => data.fill(0),
                Some(lcn) => {
                    let at = lcn
                        .checked_add(vcn - run.vcn)
                        .and_then(|c| c.checked_mul(cs))
                        .and_then(|b| b.checked_add(pos % cs))
                        .and_then(|b| b.checked_add(self.volume_offset))
                        .ok_or_else(|| fail(ContentProblem::Unmapped { at: pos }))?;
                    volume.image().read_at(at, data, "stream content")?;
                }
            }
            pos += n as u64;
            rest = later;
        }
        Ok(())
    }
}

/// The base record and the extension records holding its `$DATA` pieces, read
/// on a cold path, fixups applied.
struct Records {
    records: Vec<OwnedRecord>,
}

impl Records {
    fn read(volume: &Volume, n: u64) -> Result<Records> {
        let records =
            volume.read_with_extensions(n, |code| code == AttributeType::DATA, MAX_EXTENSIONS)?;
        let views = records
            .iter()
            .map(|r| {
                RecordView::new(&r.bytes).map_err(|reason| Error::Record {
                    record: r.number,
                    offset: volume.record_image_offset(r.number).unwrap_or(0),
                    reason,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        // The first record is `n` itself: it must be a base record.
        if let Some(b) = views
            .first()
            .and_then(|v| v.base_reference())
            .filter(|b| b.record != n)
        {
            return Err(Error::Content {
                record: n,
                stream: String::new(),
                offset: volume.record_image_offset(n).unwrap_or(0),
                problem: ContentProblem::Extension { base: b.record },
            });
        }
        Ok(Records { records })
    }

    fn attributes(&self) -> impl Iterator<Item = (u64, Attribute<'_>)> {
        self.records
            .iter()
            .flat_map(|r| r.attributes().map(move |a| (r.number, a)))
    }

    /// The pieces of `$DATA` stream `name`: exact name first, else the one
    /// that matches without regard to ASCII case (Windows' stream names are
    /// case-insensitive).
    fn data_pieces(&self, name: &str) -> Vec<(u64, Attribute<'_>)> {
        let data = || {
            self.attributes()
                .filter(|(_, a)| a.type_code() == AttributeType::DATA)
        };
        let exact: Vec<_> = data().filter(|(_, a)| a.name().eq_str(name)).collect();
        if !exact.is_empty() {
            return exact;
        }
        data()
            .filter(|(_, a)| a.name().to_string_lossy().eq_ignore_ascii_case(name))
            .collect()
    }

    fn first_piece<'a>(&self, pieces: &[(u64, Attribute<'a>)]) -> Option<Attribute<'a>> {
        pieces.iter().map(|(_, a)| *a).find(|a| a.lowest_vcn() == 0)
    }

    fn stream_names_raw(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for (_, a) in self.attributes() {
            if a.type_code() == AttributeType::DATA && a.lowest_vcn() == 0 {
                let name = a.name().to_string_lossy();
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        names.sort_by(|a, b| (!a.is_empty(), a).cmp(&(!b.is_empty(), b)));
        names
    }

    /// The stream names for an error message (`(unnamed)` for the unnamed one).
    fn stream_names(&self) -> Vec<String> {
        self.stream_names_raw()
            .into_iter()
            .map(|n| {
                if n.is_empty() {
                    "(unnamed)".to_owned()
                } else {
                    crate::text::Escaped(&n).to_string()
                }
            })
            .collect()
    }

    fn file_attributes(&self) -> FileAttributes {
        self.attributes()
            .find(|(_, a)| a.type_code() == AttributeType::STANDARD_INFORMATION)
            .and_then(|(_, a)| StandardInformation::new(a.value()?))
            .map_or(FileAttributes::empty(), |si| si.file_attributes())
    }

    /// The WOF algorithm when the record is a WOF-compressed file (reparse tag
    /// 0x80000017): `Err` when its buffer cannot be used.
    fn wof_algorithm(
        &self,
        volume: &Volume,
    ) -> Option<std::result::Result<codec::WofAlgorithm, ContentProblem>> {
        let (n, attr) = self
            .attributes()
            .find(|(_, a)| a.type_code() == AttributeType::REPARSE_POINT)?;
        let value = volume.attribute_value(&attr, n).ok()?;
        if value.get(0..4) != Some(&crate::reparse::WOF.to_le_bytes()[..]) {
            return None;
        }
        let rp = crate::reparse::decode(&value);
        let crate::reparse::ReparseData::Wof(wof) = &rp.decoded else {
            return Some(Err(ContentProblem::WofBuffer));
        };
        Some(match (wof.provider, wof.algorithm) {
            (Some(2), Some(a)) => codec::WofAlgorithm::from_u32(a)
                .ok_or(ContentProblem::WofAlgorithm { algorithm: a }),
            (Some(1), _) => Err(ContentProblem::WofWim),
            _ => Err(ContentProblem::WofBuffer),
        })
    }
}
