//! VHDX (Hyper-V, MS-VHDX), little-endian throughout: a file type identifier
//! (`vhdxfile`), two headers (`head`, at 64 and 128 KiB; the valid one with the
//! higher sequence number is current), two region tables (`regi`, at 192 and
//! 256 KiB) locating the block allocation table (BAT) and the metadata region,
//! every structure checked by its CRC-32C.
//!
//! The metadata gives the block size, the virtual disk size, the logical sector
//! size and, for a differencing disk, the parent locator (key/value pairs:
//! `relative_path`, `absolute_win32_path`, ...). The BAT interleaves payload
//! block entries with sector bitmap entries: after every `chunk ratio` payload
//! entries (`2^23 * logical sector size / block size`) comes the bitmap entry of
//! those blocks. An entry holds a state (bits 0-2) and the block's file offset
//! in MiB (bits 20-63). A payload block fully present is read from this file;
//! partially present (differencing), sector by sector as its bitmap says (bit
//! `n % 8` of byte `n / 8` for sector `n`, least significant first); not present,
//! from the parent (or zeros); zero, unmapped or undefined, as zeros.
//!
//! A header whose log GUID is not zero has a log that may hold writes not yet
//! applied to the file: such an image is refused (reading it would be reading
//! stale data) rather than replayed.

use super::{
    Container, ContainerInfo, beside, container_error, file_len, open_file, open_parent,
    read_exact_at,
};
use crate::bytes::{u16_at, u32_at, u64_at};
use crate::error::Result;
use std::fs::File;
use std::path::{Path, PathBuf};

/// `vhdxfile`.
pub(crate) const SIGNATURE: &[u8] = b"vhdxfile";

const KIB64: u64 = 64 * 1024;
const MIB: u64 = 1024 * 1024;

const BAT_GUID: &str = "2dc27766-f623-4200-9d64-115e9bfd4a08";
const METADATA_GUID: &str = "8b7ca206-4790-4b9a-b8fe-575f050f886e";
const FILE_PARAMETERS: &str = "caa16737-fa36-4d43-b3b6-33f0aa44e76b";
const VIRTUAL_DISK_SIZE: &str = "2fa54224-cd1b-4876-b211-5dbed83bf4b8";
const LOGICAL_SECTOR_SIZE: &str = "8141bf1d-a96f-4709-ba47-f233a8faab5f";
const PARENT_LOCATOR: &str = "a8d35f2d-b30b-454d-abf7-d3d84834ab0c";

const NOT_PRESENT: u64 = 0;
const FULLY_PRESENT: u64 = 6;
const PARTIALLY_PRESENT: u64 = 7;

/// A VHDX image.
#[derive(Debug)]
pub(crate) struct Vhdx {
    path: PathBuf,
    file: File,
    size: u64,
    block_size: u64,
    sector_size: u64,
    chunk_ratio: u64,
    bat: Vec<u64>,
    parent: Option<Box<dyn Container>>,
    fixed: bool,
}

impl Vhdx {
    /// Opens `path`; `depth` counts the parent chain.
    pub(crate) fn open(path: &Path, depth: usize) -> Result<Vhdx> {
        let file = open_file(path)?;
        let len = file_len(path, &file)?;
        let bad = |at: u64, m: &str| container_error(path, at, m);
        let read = |at: u64, n: usize| -> Result<Vec<u8>> {
            let mut b = vec![0u8; n];
            read_exact_at(path, &file, &mut b, at)?;
            Ok(b)
        };
        // The current header: valid, with the higher sequence number.
        let mut current: Option<(u64, Vec<u8>, u64)> = None;
        for at in [KIB64, 2 * KIB64] {
            let h = read(at, 4096)?;
            if h.get(..4) != Some(b"head") || !crc_ok(&h, 4) {
                continue;
            }
            let seq = u64_at(&h, 8).unwrap_or(0);
            if current.as_ref().is_none_or(|(s, _, _)| seq > *s) {
                current = Some((seq, h, at));
            }
        }
        let Some((_, header, header_at)) = current else {
            return Err(bad(
                KIB64,
                "neither VHDX header is valid (signature or CRC-32C)",
            ));
        };
        let log_guid = header.get(48..64).unwrap_or_default();
        if log_guid.iter().any(|&b| b != 0) {
            return Err(bad(
                header_at + 48,
                "its log may hold writes not yet applied (the disk was not closed cleanly): \
                 reading it would give stale data; let Hyper-V open it once, or run \
                 `qemu-img check -r all` on a copy",
            ));
        }
        // The region table (either copy).
        let mut regions = None;
        for at in [3 * KIB64, 4 * KIB64] {
            let r = read(at, KIB64 as usize)?;
            if r.get(..4) == Some(b"regi") && crc_ok(&r, 4) {
                regions = Some(r);
                break;
            }
        }
        let regions = regions.ok_or_else(|| bad(3 * KIB64, "neither region table is valid"))?;
        let count = u32_at(&regions, 8).unwrap_or(0) as usize;
        if count > 2047 {
            return Err(bad(3 * KIB64 + 8, &format!("{count} regions")));
        }
        let (mut bat_region, mut metadata_region) = (None, None);
        for i in 0..count {
            let e = 16 + i * 32;
            let guid = guid_at(&regions, e);
            let offset = u64_at(&regions, e + 16).unwrap_or(0);
            let length = u64::from(u32_at(&regions, e + 24).unwrap_or(0));
            let required = u32_at(&regions, e + 28).unwrap_or(0) & 1 != 0;
            if offset.saturating_add(length) > len {
                return Err(bad(
                    3 * KIB64 + e as u64,
                    "a region lies past the end of the file",
                ));
            }
            match guid.as_str() {
                BAT_GUID => bat_region = Some((offset, length)),
                METADATA_GUID => metadata_region = Some((offset, length)),
                _ if required => {
                    return Err(bad(
                        3 * KIB64 + e as u64,
                        &format!("an unknown required region {guid}"),
                    ));
                }
                _ => {}
            }
        }
        let (Some((bat_at, bat_len)), Some((meta_at, meta_len))) = (bat_region, metadata_region)
        else {
            return Err(bad(3 * KIB64, "no BAT or no metadata region"));
        };
        if meta_len > 16 * MIB || bat_len > len || bat_len > 256 * MIB {
            return Err(bad(
                meta_at,
                "a metadata region or BAT larger than the file allows",
            ));
        }
        let meta = read(meta_at, meta_len as usize)?;
        if meta.get(..8) != Some(b"metadata") {
            return Err(bad(meta_at, "no metadata table signature"));
        }
        let entries = u16_at(&meta, 10).unwrap_or(0) as usize;
        let item = |id: &str| -> Option<&[u8]> {
            (0..entries.min(2047)).find_map(|i| {
                let e = 32 + i * 32;
                (guid_at(&meta, e) == id).then(|| {
                    let off = u32_at(&meta, e + 16).unwrap_or(0) as usize;
                    let n = u32_at(&meta, e + 20).unwrap_or(0) as usize;
                    meta.get(off..off.saturating_add(n))
                })?
            })
        };
        let params = item(FILE_PARAMETERS).ok_or_else(|| bad(meta_at, "no file parameters"))?;
        let block_size = u64::from(u32_at(params, 0).unwrap_or(0));
        let has_parent = u32_at(params, 4).unwrap_or(0) & 2 != 0;
        let fixed = u32_at(params, 4).unwrap_or(0) & 1 != 0;
        let size = item(VIRTUAL_DISK_SIZE)
            .and_then(|v| u64_at(v, 0))
            .ok_or_else(|| bad(meta_at, "no virtual disk size"))?;
        let sector_size = item(LOGICAL_SECTOR_SIZE)
            .and_then(|v| u32_at(v, 0))
            .map(u64::from)
            .ok_or_else(|| bad(meta_at, "no logical sector size"))?;
        if !(MIB..=256 * MIB).contains(&block_size) || !block_size.is_power_of_two() {
            return Err(bad(meta_at, &format!("block size {block_size}")));
        }
        if sector_size != 512 && sector_size != 4096 {
            return Err(bad(meta_at, &format!("logical sector size {sector_size}")));
        }
        let chunk_ratio = (1u64 << 23) * sector_size / block_size;
        let blocks = size.div_ceil(block_size);
        // A differencing disk has a sector bitmap entry after each chunk's
        // payload entries, the last chunk's too (at the end of its full chunk).
        let needed = if has_parent {
            blocks.div_ceil(chunk_ratio) * (chunk_ratio + 1)
        } else {
            blocks + blocks.saturating_sub(1) / chunk_ratio
        };
        if needed.saturating_mul(8) > bat_len {
            return Err(bad(
                bat_at,
                &format!("a BAT of {bat_len} bytes for {blocks} blocks of a {size}-byte disk"),
            ));
        }
        let raw = read(bat_at, (needed * 8) as usize)?;
        let bat = raw
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
            .collect();
        let parent = if has_parent {
            let locator = item(PARENT_LOCATOR)
                .ok_or_else(|| bad(meta_at, "a differencing disk without a parent locator"))?;
            let (found, linkage) = find_parent(path, locator)?;
            // The parent must be the disk this one was made from: its data
            // write GUID is the child's `parent_linkage`.
            if let Some(linkage) = linkage {
                let got = data_write_guid(&found)?;
                if !got.is_some_and(|g| linkage.trim_matches(['{', '}']).eq_ignore_ascii_case(&g)) {
                    return Err(bad(
                        meta_at,
                        &format!(
                            "the parent found at {} is not the disk this one was made from (its data write GUID is not the child's parent_linkage {linkage})",
                            found.display()
                        ),
                    ));
                }
            }
            Some(open_parent(&found, depth + 1)?)
        } else {
            None
        };
        Ok(Vhdx {
            path: path.to_owned(),
            file,
            size,
            block_size,
            sector_size,
            chunk_ratio,
            bat,
            parent,
            fixed,
        })
    }

    fn read_block(&self, index: u64, within: usize, part: &mut [u8]) -> std::io::Result<()> {
        let entry = self
            .bat
            .get((index + index / self.chunk_ratio) as usize)
            .copied()
            .unwrap_or(0);
        let state = entry & 7;
        let data_at = (entry >> 20) * MIB;
        let disk_at = index * self.block_size + within as u64;
        match state {
            FULLY_PRESENT => super::pread(&self.path, &self.file, part, data_at + within as u64),
            NOT_PRESENT => self.parent_bytes(disk_at, part),
            PARTIALLY_PRESENT => {
                let chunk = index / self.chunk_ratio;
                let bitmap_entry = self
                    .bat
                    .get((chunk * (self.chunk_ratio + 1) + self.chunk_ratio) as usize)
                    .copied()
                    .unwrap_or(0);
                if bitmap_entry & 7 != FULLY_PRESENT {
                    return self.parent_bytes(disk_at, part);
                }
                let bitmap_at = (bitmap_entry >> 20) * MIB;
                let first_sector_in_chunk = ((index % self.chunk_ratio) * self.block_size
                    + within as u64)
                    / self.sector_size;
                // The bitmap bytes of the sectors read (a sector bitmap block is 1 MiB).
                let sectors = (part.len() as u64).div_ceil(self.sector_size) + 1;
                let bytes = (sectors / 8 + 2).min(MIB - first_sector_in_chunk / 8);
                let mut bits = vec![0u8; bytes as usize];
                super::pread(
                    &self.path,
                    &self.file,
                    &mut bits,
                    bitmap_at + first_sector_in_chunk / 8,
                )?;
                let mut done = 0usize;
                while done < part.len() {
                    let at = within + done;
                    let take = (self.sector_size as usize - at % self.sector_size as usize)
                        .min(part.len() - done);
                    let sector = ((index % self.chunk_ratio) * self.block_size + at as u64)
                        / self.sector_size;
                    let bit = sector - (first_sector_in_chunk / 8) * 8;
                    let present = bits
                        .get((bit / 8) as usize)
                        .is_some_and(|b| b & (1 << (bit % 8)) != 0);
                    let piece = part
                        .get_mut(done..done + take)
                        .ok_or_else(|| std::io::Error::other("read past the buffer"))?;
                    if present {
                        super::pread(&self.path, &self.file, piece, data_at + at as u64)?;
                    } else {
                        self.parent_bytes(index * self.block_size + at as u64, piece)?;
                    }
                    done += take;
                }
                Ok(())
            }
            _ => {
                part.fill(0);
                Ok(())
            }
        }
    }

    fn parent_bytes(&self, at: u64, part: &mut [u8]) -> std::io::Result<()> {
        super::read_parent(self.parent.as_deref(), at, part)
    }
}

/// The parent named by a parent locator: `relative_path` (from the child's
/// directory), then `absolute_win32_path` and `volume_path` by their last
/// component beside the child.
fn find_parent(path: &Path, locator: &[u8]) -> Result<(PathBuf, Option<String>)> {
    let count = u16_at(locator, 18).unwrap_or(0) as usize;
    let mut pairs = Vec::new();
    for i in 0..count.min(256) {
        let e = 20 + i * 12;
        let (Some(ko), Some(vo), Some(kl), Some(vl)) = (
            u32_at(locator, e),
            u32_at(locator, e + 4),
            u16_at(locator, e + 8),
            u16_at(locator, e + 10),
        ) else {
            break;
        };
        let text = |o: u32, l: u16| {
            let bytes = locator
                .get(o as usize..o as usize + l as usize)
                .unwrap_or_default();
            let units: Vec<u16> = crate::bytes::utf16_units(bytes).collect();
            String::from_utf16_lossy(&units)
        };
        pairs.push((text(ko, kl), text(vo, vl)));
    }
    let value = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let mut tried = Vec::new();
    if let Some(rel) = value("relative_path") {
        let candidate = beside(path, rel.replace('\\', "/").trim_start_matches("./"));
        if candidate.exists() {
            return Ok((candidate, value("parent_linkage")));
        }
        tried.push(candidate);
    }
    for key in ["absolute_win32_path", "volume_path"] {
        if let Some(abs) = value(key) {
            let last = abs.rsplit(['\\', '/']).next().unwrap_or(&abs).to_owned();
            let candidate = beside(path, &last);
            if candidate.exists() {
                return Ok((candidate, value("parent_linkage")));
            }
            tried.push(candidate);
        }
    }
    let list = tried
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    Err(container_error(
        path,
        0,
        &format!("its parent disk is missing (looked for: {list})"),
    ))
}

/// The data write GUID of the VHDX at `path` (its current header's).
fn data_write_guid(path: &Path) -> Result<Option<String>> {
    let file = open_file(path)?;
    let mut best: Option<(u64, String)> = None;
    for at in [KIB64, 2 * KIB64] {
        let mut h = vec![0u8; 4096];
        if read_exact_at(path, &file, &mut h, at).is_err() {
            continue;
        }
        if h.get(..4) != Some(b"head") || !crc_ok(&h, 4) {
            continue;
        }
        let seq = u64_at(&h, 8).unwrap_or(0);
        if best.as_ref().is_none_or(|(s, _)| seq > *s) {
            best = Some((seq, guid_at(&h, 32)));
        }
    }
    Ok(best.map(|(_, g)| g))
}

/// A GUID as its lowercase text form (the first three fields little-endian).
fn guid_at(b: &[u8], at: usize) -> String {
    let Some(g) = b.get(at..at + 16) else {
        return String::new();
    };
    crate::image::format_guid(g).to_ascii_lowercase()
}

/// Whether the CRC-32C of `b` (its checksum field, at `field`, taken as zero)
/// is the one stored there.
fn crc_ok(b: &[u8], field: usize) -> bool {
    let stored = u32_at(b, field).unwrap_or(0);
    let mut crc = !0u32;
    for (i, &x) in b.iter().enumerate() {
        let x = if (field..field + 4).contains(&i) {
            0
        } else {
            x
        };
        let slot = CRC32C
            .get(((crc ^ u32::from(x)) & 0xFF) as usize)
            .copied()
            .unwrap_or(0);
        crc = slot ^ (crc >> 8);
    }
    !crc == stored
}

/// The CRC-32C (Castagnoli) table.
#[allow(clippy::indexing_slicing)] // i < 256, in a constant
static CRC32C: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0x82F6_3B78 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
};

impl Container for Vhdx {
    fn len(&self) -> u64 {
        self.size
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<()> {
        super::read_blocks(self.block_size, offset, buf, |index, within, part| {
            self.read_block(index, within, part)
        })
    }

    fn info(&self) -> ContainerInfo {
        ContainerInfo {
            format: "VHDX",
            variant: format!(
                "{}, blocks of {} bytes, {}-byte sectors",
                if self.parent.is_some() {
                    "differencing"
                } else if self.fixed {
                    "fixed"
                } else {
                    "dynamic"
                },
                self.block_size,
                self.sector_size
            ),
            files: vec![self.path.clone()],
            virtual_size: self.size,
            parent: self.parent.as_ref().map(|p| Box::new(p.info())),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32c_of_a_known_string() {
        // CRC-32C("123456789") = 0xE3069283; stored after the data here.
        let mut b = b"123456789".to_vec();
        b.extend(0xE306_9283u32.to_le_bytes());
        // The field is the last four bytes: the CRC covers the data and zeros.
        let mut crc = !0u32;
        for &x in b.iter().take(9) {
            crc = CRC32C[((crc ^ u32::from(x)) & 0xFF) as usize] ^ (crc >> 8);
        }
        assert_eq!(!crc, 0xE306_9283);
    }
}
