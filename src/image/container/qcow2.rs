//! QCOW2 (QEMU), versions 2 and 3: a big-endian header, then a two-level map
//! from guest clusters to host clusters (the L1 table points at L2 tables, whose
//! entries point at data clusters), clusters of `2^cluster_bits` bytes.
//!
//! An L2 entry is either a standard cluster (host offset in bits 9-55; bit 0,
//! version 3, says the cluster reads as zeros) or a compressed one (bit 62):
//! then, with `x = 62 - (cluster_bits - 8)`, bits 0 to x-1 hold the host offset
//! and bits x to 61 the number of 512-byte sectors the data runs past the one
//! the offset is in; the data is raw deflate (compression type 0) or zstd
//! (type 1). A cluster without an entry reads from the backing file when there
//! is one, as zeros otherwise. Encrypted images, external data files and
//! extended L2 entries are refused with an error saying so.

use super::{
    BlockCache, Container, ContainerInfo, beside, container_error, damaged, file_len, open_file,
    open_parent, read_exact_at,
};
use crate::error::Result;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `QFI\xfb`.
pub(crate) const SIGNATURE: &[u8] = b"QFI\xfb";

const OFFSET_MASK: u64 = 0x00FF_FFFF_FFFF_FE00;
const COMPRESSED: u64 = 1 << 62;

/// A QCOW2 image.
#[derive(Debug)]
pub(crate) struct Qcow2 {
    path: PathBuf,
    file: File,
    version: u32,
    cluster_bits: u32,
    size: u64,
    l1: Vec<u64>,
    zstd: bool,
    backing: Option<Box<dyn Container>>,
    l2_cache: BlockCache,
    cluster_cache: BlockCache,
}

use crate::bytes::{be32_at as be32, be64_at as be64};

impl Qcow2 {
    /// Opens `path`; `depth` counts the backing chain.
    pub(crate) fn open(path: &Path, depth: usize) -> Result<Qcow2> {
        let file = open_file(path)?;
        let file_size = file_len(path, &file)?;
        let mut h = vec![0u8; 512.min(file_size as usize)];
        read_exact_at(path, &file, &mut h, 0)?;
        let bad = |at: u64, m: &str| container_error(path, at, m);
        let field32 = |at| be32(&h, at).ok_or_else(|| bad(at as u64, "the header is cut short"));
        let field64 = |at| be64(&h, at).ok_or_else(|| bad(at as u64, "the header is cut short"));
        let version = field32(4)?;
        if version != 2 && version != 3 {
            return Err(bad(
                4,
                &format!("QCOW2 version {version}: only versions 2 and 3 are read"),
            ));
        }
        let cluster_bits = field32(20)?;
        if !(9..=21).contains(&cluster_bits) {
            return Err(bad(
                20,
                &format!("cluster_bits {cluster_bits}: not between 9 and 21"),
            ));
        }
        let size = field64(24)?;
        let crypt = field32(32)?;
        if crypt != 0 {
            let how = match crypt {
                1 => "AES",
                2 => "LUKS",
                _ => "an unknown method",
            };
            return Err(bad(
                32,
                &format!(
                    "the image is encrypted ({how}): decrypt it first (qemu-img convert with its secret)"
                ),
            ));
        }
        let l1_size = u64::from(field32(36)?);
        let l1_offset = field64(40)?;
        let mut zstd = false;
        if version == 3 {
            let incompatible = field64(72)?;
            let header_length = field32(100)?;
            if incompatible & (1 << 2) != 0 {
                return Err(bad(72, "the data lives in an external data file: not read"));
            }
            if incompatible & (1 << 4) != 0 {
                return Err(bad(72, "extended L2 entries (subclusters): not read yet"));
            }
            if incompatible & !0b1_1011 != 0 {
                return Err(bad(
                    72,
                    &format!("unknown incompatible features {incompatible:#x}"),
                ));
            }
            if incompatible & (1 << 3) != 0 && header_length > 104 {
                match h.get(104).copied() {
                    Some(0) => {}
                    Some(1) => zstd = true,
                    other => {
                        return Err(bad(
                            104,
                            &format!("compression type {other:?}: not zlib or zstd"),
                        ));
                    }
                }
            }
        }
        let cluster = 1u64 << cluster_bits;
        let clusters = size.div_ceil(cluster);
        let entries_per_l2 = cluster / 8;
        // qemu refuses L1 tables over 32 MiB; a sparse file could claim more.
        if l1_size < clusters.div_ceil(entries_per_l2)
            || l1_size > (32 << 20) / 8
            || l1_size.saturating_mul(8) > file_size
            || l1_offset.saturating_add(l1_size * 8) > file_size
        {
            return Err(bad(
                36,
                &format!(
                    "an L1 table of {l1_size} entries at {l1_offset:#x} does not fit a {size}-byte disk in a {file_size}-byte file"
                ),
            ));
        }
        let mut raw = vec![0u8; (l1_size * 8) as usize];
        read_exact_at(path, &file, &mut raw, l1_offset)?;
        let l1 = raw
            .chunks_exact(8)
            .map(|c| u64::from_be_bytes(c.try_into().unwrap_or([0; 8])))
            .collect();
        let backing_offset = field64(8)?;
        let backing_size = field32(16)?;
        let backing = if backing_offset != 0 && backing_size != 0 {
            if backing_size > 1023 {
                return Err(bad(16, "a backing file name longer than 1023 bytes"));
            }
            let mut name = vec![0u8; backing_size as usize];
            read_exact_at(path, &file, &mut name, backing_offset)?;
            let name = String::from_utf8_lossy(&name).into_owned();
            let parent = beside(path, &name);
            if !parent.exists() {
                return Err(bad(
                    backing_offset,
                    &format!("its backing file {} is missing", parent.display()),
                ));
            }
            // The backing format, when the header says it: a raw base is read
            // as raw, never probed (what a guest wrote there could look like a
            // container naming other host files).
            if backing_format(&h, version, path, &file).as_deref() == Some("raw") {
                let f = open_file(&parent)?;
                let n = file_len(&parent, &f)?;
                Some(Box::new(super::split::Split::single(parent.clone(), f, n))
                    as Box<dyn Container>)
            } else {
                Some(open_parent(&parent, depth + 1)?)
            }
        } else {
            None
        };
        Ok(Qcow2 {
            path: path.to_owned(),
            file,
            version,
            cluster_bits,
            size,
            l1,
            zstd,
            backing,
            l2_cache: BlockCache::new(1 << cluster_bits),
            cluster_cache: BlockCache::new(1 << cluster_bits),
        })
    }

    /// The L2 entry of guest cluster `index` (0 when unallocated).
    fn l2_entry(&self, index: u64) -> std::io::Result<u64> {
        let per_l2 = 1u64 << (self.cluster_bits - 3);
        let l1_entry = self.l1.get((index / per_l2) as usize).copied().unwrap_or(0);
        let l2_offset = l1_entry & OFFSET_MASK;
        if l2_offset == 0 {
            return Ok(0);
        }
        let table = self.l2_cache.get_or_load(l2_offset, || {
            let mut t = vec![0u8; 1usize << self.cluster_bits];
            super::pread(&self.path, &self.file, &mut t, l2_offset)
                .map_err(|e| damaged(&self.path, l2_offset, format!("L2 table: {e}")))?;
            Ok(t)
        })?;
        let at = ((index % per_l2) * 8) as usize;
        Ok(be64(&table, at).unwrap_or(0))
    }

    /// Fills `part` from byte `within` of guest cluster `index`.
    fn read_cluster(&self, index: u64, within: usize, part: &mut [u8]) -> std::io::Result<()> {
        let entry = self.l2_entry(index)?;
        let cluster = 1u64 << self.cluster_bits;
        if entry & COMPRESSED != 0 {
            let data = self.compressed(index, entry)?;
            let src = data
                .get(within..within + part.len())
                .ok_or_else(|| damaged(&self.path, 0, format!("cluster {index} inflates short")))?;
            part.copy_from_slice(src);
            return Ok(());
        }
        // Version 3's zero flag wins over an allocated cluster (qemu keeps the
        // allocation and reads zeros).
        if entry & 1 != 0 && self.version == 3 {
            part.fill(0);
            return Ok(());
        }
        let host = entry & OFFSET_MASK;
        if host != 0 {
            return super::pread(&self.path, &self.file, part, host + within as u64);
        }
        super::read_parent(
            self.backing.as_deref(),
            index * cluster + within as u64,
            part,
        )
    }

    /// A compressed cluster, inflated.
    fn compressed(&self, index: u64, entry: u64) -> std::io::Result<Arc<[u8]>> {
        self.cluster_cache.get_or_load(index, || {
            let x = 62 - (self.cluster_bits - 8);
            let offset = entry & ((1u64 << x) - 1);
            let sectors = (entry & ((1u64 << 62) - 1)) >> x;
            let len = (sectors + 1) * 512 - (offset & 511);
            let cluster = 1usize << self.cluster_bits;
            let mut raw = vec![0u8; len as usize];
            // The last cluster's data may end before its last sector does.
            let got = read_up_to(&self.file, &mut raw, offset)?;
            raw.truncate(got);
            let out = if self.zstd {
                zstd_frame(&raw, cluster)
            } else {
                inflate_raw(&raw, cluster)
            }
            .map_err(|e| {
                damaged(
                    &self.path,
                    offset,
                    format!("compressed cluster {index}: {e}"),
                )
            })?;
            if out.len() < cluster {
                return Err(damaged(
                    &self.path,
                    offset,
                    format!("compressed cluster {index} inflates to {} bytes", out.len()),
                ));
            }
            Ok(out)
        })
    }
}

/// The backing file format a header extension names (0xe2792aca), if any.
fn backing_format(h: &[u8], version: u32, path: &Path, file: &File) -> Option<String> {
    let mut at = if version >= 3 {
        u64::from(be32(h, 100).unwrap_or(104))
    } else {
        72
    };
    let mut ext = [0u8; 8];
    for _ in 0..64 {
        read_exact_at(path, file, &mut ext, at).ok()?;
        let (kind, len) = (be32(&ext, 0)?, u64::from(be32(&ext, 4)?));
        if kind == 0 || len > 4096 {
            return None;
        }
        if kind == 0xE279_2ACA {
            let mut name = vec![0u8; len as usize];
            read_exact_at(path, file, &mut name, at + 8).ok()?;
            return Some(String::from_utf8_lossy(&name).into_owned());
        }
        at += 8 + len.next_multiple_of(8);
    }
    None
}

/// Reads as much of `buf` as the file holds from `offset`.
fn read_up_to(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    let mut done = 0;
    while done < buf.len() {
        let n = file.read_at(
            buf.get_mut(done..).unwrap_or_default(),
            offset + done as u64,
        )?;
        if n == 0 {
            break;
        }
        done += n;
    }
    Ok(done)
}

/// Inflates raw deflate data into at most `limit` bytes.
fn inflate_raw(raw: &[u8], limit: usize) -> std::result::Result<Vec<u8>, String> {
    let mut d = flate2::Decompress::new(false);
    let mut out = Vec::with_capacity(limit);
    d.decompress_vec(raw, &mut out, flate2::FlushDecompress::Finish)
        .map_err(|e| format!("deflate data is damaged: {e}"))?;
    Ok(out)
}

/// Decodes one zstd frame into at most `limit` bytes.
fn zstd_frame(raw: &[u8], limit: usize) -> std::result::Result<Vec<u8>, String> {
    use std::io::Read;
    let mut decoder = ruzstd::decoding::StreamingDecoder::new(raw)
        .map_err(|e| format!("zstd data is damaged: {e}"))?;
    let mut out = Vec::with_capacity(limit);
    decoder
        .by_ref()
        .take(limit as u64)
        .read_to_end(&mut out)
        .map_err(|e| format!("zstd data is damaged: {e}"))?;
    Ok(out)
}

impl Container for Qcow2 {
    fn len(&self) -> u64 {
        self.size
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<()> {
        super::read_blocks(
            1 << self.cluster_bits,
            offset,
            buf,
            |index, within, part| self.read_cluster(index, within, part),
        )
    }

    fn info(&self) -> ContainerInfo {
        ContainerInfo {
            format: "QCOW2",
            variant: format!(
                "version {}, clusters of {} bytes{}",
                self.version,
                1u64 << self.cluster_bits,
                if self.zstd { ", zstd" } else { "" }
            ),
            files: vec![self.path.clone()],
            virtual_size: self.size,
            parent: self.backing.as_ref().map(|b| Box::new(b.info())),
            ..Default::default()
        }
    }
}
