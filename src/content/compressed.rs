//! The two compressed layouts: NTFS compression (LZNT1, by compression unit)
//! and WOF (a chunk table and chunks in the `WofCompressedData` stream). Both
//! decode one block at a time ([`read_blocks`]).

use super::codec::{self, CodecError, WofAlgorithm, WofStream};
use super::{Runs, Stream};
use crate::error::{ContentProblem, Error, Result};
use crate::volume::Volume;

/// NTFS compression works in units of 16 clusters, of at most 4 KiB each.
const MAX_UNIT_BYTES: u64 = 1 << 16;

/// Fills `buf` with the content at `offset`, block by block: `decode(index,
/// block)` fills `block` (`block_len` bytes) with block `index` and returns
/// how many of its bytes are content.
fn read_blocks(
    offset: u64,
    buf: &mut [u8],
    block_len: usize,
    fail: &dyn Fn(ContentProblem) -> Error,
    mut decode: impl FnMut(u64, &mut [u8]) -> Result<usize>,
) -> Result<()> {
    let mut block = vec![0u8; block_len];
    let (mut pos, mut rest) = (offset, buf);
    while !rest.is_empty() {
        let index = pos / block_len as u64;
        let skip = (pos - index * block_len as u64) as usize;
        let len = decode(index, &mut block)?;
        let content = block.get(skip..len).unwrap_or_default();
        if content.is_empty() {
            return Err(fail(ContentProblem::Unmapped { at: pos }));
        }
        let n = content.len().min(rest.len());
        let (now, later) = rest.split_at_mut(n);
        now.copy_from_slice(content.get(..n).unwrap_or_default());
        pos += n as u64;
        rest = later;
    }
    Ok(())
}

/// A codec's error, with the offset of its unit or chunk.
fn codec_error(what: &'static str, at: u64, e: CodecError) -> ContentProblem {
    ContentProblem::Codec {
        what,
        at,
        reason: e.to_string(),
    }
}

/// An LZNT1-compressed stream: its runs and its compression unit.
#[derive(Debug)]
pub(super) struct Lznt1 {
    runs: Runs,
    /// Clusters per compression unit.
    unit_clusters: u64,
}

/// How one compression unit is stored.
enum Unit {
    /// Every cluster sparse: zeros.
    Sparse,
    /// Every cluster on disk: the bytes as they are.
    Stored,
    /// Clusters on disk, then sparse ones: LZNT1 data in the first
    /// `clusters`.
    Compressed { clusters: u64 },
}

impl Lznt1 {
    pub(super) fn new(runs: Runs, unit: u16) -> std::result::Result<Lznt1, ContentProblem> {
        let cs = runs.cluster_size;
        let unit_clusters = 1u64.checked_shl(unit.into()).unwrap_or(0);
        if unit_clusters == 0 || unit_clusters.saturating_mul(cs) > MAX_UNIT_BYTES {
            return Err(ContentProblem::CompressionUnit {
                unit,
                cluster_size: cs,
            });
        }
        Ok(Lznt1 {
            runs,
            unit_clusters,
        })
    }

    /// How unit `u` is stored, from its runs.
    fn layout(&self, u: u64) -> std::result::Result<Unit, ContentProblem> {
        let first = u * self.unit_clusters;
        let end = first + self.unit_clusters;
        let (mut on_disk, mut sparse) = (0u64, 0u64);
        let mut vcn = first;
        while vcn < end {
            let Some(run) = self.runs.run_at(vcn) else {
                // Runs that stop inside the last unit leave its end sparse.
                sparse += end - vcn;
                break;
            };
            let n = (run.vcn + run.length).min(end) - vcn;
            match run.lcn {
                Some(_) if sparse > 0 => return Err(ContentProblem::UnitLayout { unit: u }),
                Some(_) => on_disk += n,
                None => sparse += n,
            }
            vcn += n;
        }
        Ok(match (on_disk, sparse) {
            (0, _) => Unit::Sparse,
            (_, 0) => Unit::Stored,
            (clusters, _) => Unit::Compressed { clusters },
        })
    }

    pub(super) fn read(
        &self,
        volume: &Volume,
        offset: u64,
        buf: &mut [u8],
        fail: &dyn Fn(ContentProblem) -> Error,
    ) -> Result<()> {
        let unit_bytes = self.unit_clusters * self.runs.cluster_size;
        let mut packed = Vec::new();
        read_blocks(offset, buf, unit_bytes as usize, fail, |u, plain| {
            let start = u * unit_bytes;
            match self.layout(u).map_err(fail)? {
                Unit::Sparse => plain.fill(0),
                Unit::Stored => self.runs.read_raw(volume, start, plain, fail)?,
                Unit::Compressed { clusters } => {
                    packed.resize((clusters * self.runs.cluster_size) as usize, 0);
                    self.runs.read_raw(volume, start, &mut packed, fail)?;
                    plain.fill(0);
                    codec::lznt1_decompress_unit(&packed, plain)
                        .map_err(|e| fail(codec_error("LZNT1", start, e)))?;
                }
            }
            Ok(plain.len())
        })
    }
}

/// A WOF-compressed file: its `WofCompressedData` stream, the stream's
/// layout, and the chunk table read from it.
#[derive(Debug)]
pub(super) struct Wof<'v> {
    data: Stream<'v>,
    layout: WofStream,
    table: Vec<u8>,
}

impl<'v> Wof<'v> {
    /// Reads and checks the chunk table of `data`, the `WofCompressedData`
    /// stream of a file of `size` bytes.
    pub(super) fn new(
        data: Stream<'v>,
        algorithm: WofAlgorithm,
        size: u64,
        fail: &dyn Fn(ContentProblem) -> Error,
    ) -> Result<Wof<'v>> {
        if !data.is_stored() {
            return Err(fail(ContentProblem::WofDataCompressed));
        }
        let layout = WofStream::new(algorithm, size, data.size()).map_err(|_| {
            fail(ContentProblem::WofTable {
                what: "larger than the data stream",
            })
        })?;
        let mut table = vec![0u8; layout.table_size() as usize];
        if data.read_at(0, &mut table)? < table.len() {
            return Err(fail(ContentProblem::Unmapped { at: 0 }));
        }
        // Every chunk checked now: a damaged table is refused before any
        // byte is written.
        for chunk in 0..layout.chunk_count() {
            layout.chunk(&table, chunk).map_err(|_| {
                fail(ContentProblem::WofTable {
                    what: "chunk offsets go backwards or past the stream's end",
                })
            })?;
        }
        Ok(Wof {
            data,
            layout,
            table,
        })
    }

    pub(super) fn storage(&self) -> &'static str {
        match self.layout.algorithm() {
            WofAlgorithm::Xpress4k => "wof_xpress4k",
            WofAlgorithm::Xpress8k => "wof_xpress8k",
            WofAlgorithm::Xpress16k => "wof_xpress16k",
            WofAlgorithm::Lzx => "wof_lzx",
        }
    }

    pub(super) fn read(
        &self,
        offset: u64,
        buf: &mut [u8],
        fail: &dyn Fn(ContentProblem) -> Error,
    ) -> Result<()> {
        let algorithm = self.layout.algorithm();
        let what = if algorithm == WofAlgorithm::Lzx {
            "LZX"
        } else {
            "XPRESS"
        };
        let mut packed = Vec::new();
        read_blocks(offset, buf, algorithm.chunk_size(), fail, |c, plain| {
            let extent = self
                .layout
                .chunk(&self.table, c)
                .map_err(|e| fail(codec_error(what, 0, e)))?;
            packed.resize(extent.stored_len as usize, 0);
            if self.data.read_at(extent.offset, &mut packed)? < packed.len() {
                return Err(fail(ContentProblem::Unmapped { at: extent.offset }));
            }
            let out = plain.get_mut(..extent.len).unwrap_or_default();
            // A chunk that would not compress is stored as it is.
            self.layout
                .decompress_chunk(&packed, out)
                .map_err(|e| fail(codec_error(what, extent.offset, e)))?;
            Ok(extent.len)
        })
    }
}
