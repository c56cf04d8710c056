//! The two compressed layouts: NTFS compression (LZNT1, by compression unit)
//! and WOF (a chunk table and chunks in the `WofCompressedData` stream).

use super::codec::{self, WofAlgorithm};
use super::{Detached, Runs};
use crate::error::{ContentProblem, Error, Result};
use crate::volume::Volume;

/// NTFS compression works in units of 16 clusters, of at most 4 KiB each.
const MAX_UNIT_BYTES: u64 = 1 << 16;

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

    fn unit_bytes(&self) -> u64 {
        self.unit_clusters * self.runs.cluster_size
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
        let unit_bytes = self.unit_bytes();
        let mut plain = vec![0u8; unit_bytes as usize];
        let mut packed = Vec::new();
        let mut pos = offset;
        let mut rest = buf;
        while !rest.is_empty() {
            let u = pos / unit_bytes;
            let start = u * unit_bytes;
            let skip = (pos - start) as usize;
            let n = (unit_bytes as usize - skip).min(rest.len());
            let (now, later) = rest.split_at_mut(n);
            let layout = self.layout(u).map_err(fail)?;
            match layout {
                Unit::Sparse => now.fill(0),
                Unit::Stored => self.runs.read_raw(volume, pos, now, fail)?,
                Unit::Compressed { clusters } => {
                    packed.resize((clusters * self.runs.cluster_size) as usize, 0);
                    self.runs.read_raw(volume, start, &mut packed, fail)?;
                    plain.fill(0);
                    codec::lznt1_decompress_unit(&packed, &mut plain).map_err(|e| {
                        fail(ContentProblem::Codec {
                            what: "LZNT1",
                            at: start,
                            reason: e.to_string(),
                        })
                    })?;
                    now.copy_from_slice(plain.get(skip..skip + n).unwrap_or_default());
                }
            }
            pos += n as u64;
            rest = later;
        }
        Ok(())
    }
}

/// A WOF-compressed file: the data stream, its algorithm, and where each
/// chunk starts in it.
#[derive(Debug)]
pub(super) struct Wof {
    data: Detached,
    algorithm: WofAlgorithm,
    /// Uncompressed size.
    size: u64,
    /// Start of every chunk in the data stream, then the stream's end.
    starts: Vec<u64>,
}

impl Wof {
    /// Reads the chunk table of `data`, the `WofCompressedData` stream of a
    /// file of `size` bytes.
    pub(super) fn new(
        volume: &Volume,
        data: Detached,
        algorithm: WofAlgorithm,
        size: u64,
        fail: &dyn Fn(ContentProblem) -> Error,
    ) -> Result<Wof> {
        let chunk = algorithm.chunk_size() as u64;
        let chunks = size.div_ceil(chunk);
        let entry = if size > u64::from(u32::MAX) { 8 } else { 4 };
        let table = chunks.saturating_sub(1).saturating_mul(entry);
        if table > data.size {
            return Err(fail(ContentProblem::WofTable {
                what: "larger than the data stream",
            }));
        }
        let mut bytes = vec![0u8; table as usize];
        data.read_exact(volume, 0, &mut bytes, fail)?;
        let mut starts = Vec::with_capacity(chunks as usize + 1);
        if chunks > 0 {
            starts.push(table);
        }
        for e in bytes.chunks_exact(entry as usize) {
            let mut v = [0u8; 8];
            v.get_mut(..e.len()).unwrap_or_default().copy_from_slice(e);
            starts.push(table.saturating_add(u64::from_le_bytes(v)));
        }
        if chunks > 0 {
            starts.push(data.size);
        }
        if starts.windows(2).any(|w| w.first() > w.get(1)) {
            return Err(fail(ContentProblem::WofTable {
                what: "chunk offsets go backwards or past the stream's end",
            }));
        }
        Ok(Wof {
            data,
            algorithm,
            size,
            starts,
        })
    }

    pub(super) fn storage(&self) -> &'static str {
        match self.algorithm {
            WofAlgorithm::Xpress4k => "wof_xpress4k",
            WofAlgorithm::Xpress8k => "wof_xpress8k",
            WofAlgorithm::Xpress16k => "wof_xpress16k",
            WofAlgorithm::Lzx => "wof_lzx",
        }
    }

    pub(super) fn read(
        &self,
        volume: &Volume,
        offset: u64,
        buf: &mut [u8],
        fail: &dyn Fn(ContentProblem) -> Error,
    ) -> Result<()> {
        let chunk = self.algorithm.chunk_size() as u64;
        let mut plain = vec![0u8; chunk as usize];
        let mut packed = Vec::new();
        let mut pos = offset;
        let mut rest = buf;
        while !rest.is_empty() {
            let c = pos / chunk;
            let start = c * chunk;
            let len = chunk.min(self.size - start) as usize;
            let skip = (pos - start) as usize;
            let n = (len - skip).min(rest.len());
            let (now, later) = rest.split_at_mut(n);
            let (Some(&from), Some(&to)) =
                (self.starts.get(c as usize), self.starts.get(c as usize + 1))
            else {
                return Err(fail(ContentProblem::Unmapped { at: pos }));
            };
            packed.resize((to - from) as usize, 0);
            self.data.read_exact(volume, from, &mut packed, fail)?;
            let out = plain.get_mut(..len).unwrap_or_default();
            if packed.len() == len {
                // A chunk that would not compress is stored as it is.
                out.copy_from_slice(&packed);
            } else {
                self.algorithm.decompress_chunk(&packed, out).map_err(|e| {
                    fail(ContentProblem::Codec {
                        what: if self.algorithm == WofAlgorithm::Lzx {
                            "LZX"
                        } else {
                            "XPRESS"
                        },
                        at: from,
                        reason: e.to_string(),
                    })
                })?;
            }
            now.copy_from_slice(out.get(skip..skip + n).unwrap_or_default());
            pos += n as u64;
            rest = later;
        }
        Ok(())
    }
}
