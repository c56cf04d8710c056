//! VHD (Virtual PC, Hyper-V's first format): a 512-byte big-endian footer at
//! the end of the file (`conectix`), with the disk type: fixed (the disk, then
//! the footer), dynamic or differencing (a copy of the footer at byte 0, a
//! dynamic header `cxsparse`, a block allocation table of 32-bit sector
//! offsets). Each allocated block is a sector bitmap (one bit per sector, most
//! significant first, rounded up to whole sectors) then the block's data. A
//! sector whose bit is clear reads as zeros in a dynamic disk and from the
//! parent in a differencing disk; the parent is found through the dynamic
//! header's locators (Windows relative and absolute paths, UTF-16LE; Mac file
//! URLs), relative to the child.

use super::{
    Container, ContainerInfo, beside, container_error, file_len, open_file, open_parent,
    read_exact_at,
};
use crate::error::Result;
use std::fs::File;
use std::path::{Path, PathBuf};

const COOKIE: &[u8] = b"conectix";
const SPARSE_COOKIE: &[u8] = b"cxsparse";
const UNALLOCATED: u32 = 0xFFFF_FFFF;

use crate::bytes::{be32_at as be32, be64_at as be64};

/// Whether the file is a VHD: (dynamic) a footer's copy at byte 0, or a
/// fixed disk's footer at its end, valid and describing a disk the file holds.
/// A raw image whose last sector merely looks like a footer (a VHD cut short
/// and kept as raw, as some test volumes are) stays raw.
pub(crate) fn is_vhd(path: &Path, file: &File, len: u64, head: &[u8]) -> Result<bool> {
    if head.starts_with(COOKIE) {
        return Ok(true);
    }
    if len < 1024 {
        return Ok(false);
    }
    let mut footer = [0u8; 512];
    read_exact_at(path, file, &mut footer, len - 512)?;
    let fixed = footer.starts_with(COOKIE)
        && checksum(&footer, 64) == be32(&footer, 64).unwrap_or(0)
        && be32(&footer, 60) == Some(2)
        && be64(&footer, 48).is_some_and(|size| size > 0 && size <= len - 512);
    Ok(fixed)
}

/// A VHD image.
#[derive(Debug)]
pub(crate) struct Vhd {
    path: PathBuf,
    file: File,
    kind: u32,
    size: u64,
    /// Dynamic and differencing: block size and table.
    block_size: u64,
    bat: Vec<u32>,
    parent: Option<Box<dyn Container>>,
}

impl Vhd {
    /// Opens `path`; `depth` counts the parent chain.
    pub(crate) fn open(path: &Path, depth: usize) -> Result<Vhd> {
        let file = open_file(path)?;
        let len = file_len(path, &file)?;
        let bad = |at: u64, m: &str| container_error(path, at, m);
        if len < 512 {
            return Err(bad(0, "shorter than a VHD footer"));
        }
        let mut footer = [0u8; 512];
        read_exact_at(path, &file, &mut footer, len - 512)?;
        let mut footer_at = len - 512;
        if !footer.starts_with(COOKIE) {
            // A footer at the end may be cut off; the copy at byte 0 serves.
            read_exact_at(path, &file, &mut footer, 0)?;
            footer_at = 0;
            if !footer.starts_with(COOKIE) {
                return Err(bad(len - 512, "no VHD footer"));
            }
        }
        if checksum(&footer, 64) != be32(&footer, 64).unwrap_or(0) {
            return Err(bad(footer_at + 64, "the footer fails its checksum"));
        }
        let size = be64(&footer, 48).unwrap_or(0);
        let kind = be32(&footer, 60).unwrap_or(0);
        let data_offset = be64(&footer, 16).unwrap_or(0);
        let mut vhd = Vhd {
            path: path.to_owned(),
            file,
            kind,
            size,
            block_size: 0,
            bat: Vec::new(),
            parent: None,
        };
        match kind {
            2 => {
                if size > len - 512 {
                    return Err(bad(
                        48,
                        &format!("a fixed disk of {size} bytes in a file of {len}: cut short"),
                    ));
                }
                return Ok(vhd);
            }
            3 | 4 => {}
            other => {
                return Err(bad(
                    footer_at + 60,
                    &format!("disk type {other}: not fixed, dynamic or differencing"),
                ));
            }
        }
        let mut h = [0u8; 1024];
        read_exact_at(path, &vhd.file, &mut h, data_offset)?;
        if !h.starts_with(SPARSE_COOKIE) {
            return Err(bad(data_offset, "no dynamic disk header (cxsparse)"));
        }
        if checksum(&h, 36) != be32(&h, 36).unwrap_or(0) {
            return Err(bad(
                data_offset + 36,
                "the dynamic disk header fails its checksum",
            ));
        }
        let table = be64(&h, 16).unwrap_or(0);
        let entries = u64::from(be32(&h, 28).unwrap_or(0));
        let block_size = u64::from(be32(&h, 32).unwrap_or(0));
        if block_size < 512 || !block_size.is_power_of_two() || block_size > 256 << 20 {
            return Err(bad(data_offset + 32, &format!("block size {block_size}")));
        }
        // A BAT of more than 16 M entries (32 TiB in 2 MiB blocks) is refused:
        // a sparse file could claim one as large as itself.
        if entries < size.div_ceil(block_size)
            || entries.saturating_mul(4) > len
            || entries > 1 << 24
        {
            return Err(bad(
                data_offset + 28,
                &format!("{entries} table entries for a {size}-byte disk"),
            ));
        }
        let mut raw = vec![0u8; (entries * 4) as usize];
        read_exact_at(path, &vhd.file, &mut raw, table)?;
        vhd.bat = raw
            .chunks_exact(4)
            .map(|c| u32::from_be_bytes(c.try_into().unwrap_or([0; 4])))
            .collect();
        vhd.block_size = block_size;
        if kind == 4 {
            let parent = find_parent(path, &vhd.file, &h, data_offset)?;
            // The parent must be the disk this one was made from: its footer's
            // unique id is the one the child's header names.
            let want = h.get(40..56).unwrap_or_default();
            let got = parent_unique_id(&parent)?;
            if got.as_deref() != Some(want) {
                return Err(bad(
                    data_offset + 40,
                    &format!(
                        "the parent found at {} is not the disk this one was made from (its unique id differs from the one the child names)",
                        parent.display()
                    ),
                ));
            }
            vhd.parent = Some(open_parent(&parent, depth + 1)?);
        }
        Ok(vhd)
    }

    /// Bytes of a block's sector bitmap, rounded up to whole sectors.
    fn bitmap_len(&self) -> u64 {
        (self.block_size / 512).div_ceil(8).div_ceil(512) * 512
    }

    fn read_block(&self, index: u64, within: usize, part: &mut [u8]) -> std::io::Result<()> {
        let entry = self.bat.get(index as usize).copied().unwrap_or(UNALLOCATED);
        let disk_at = index * self.block_size + within as u64;
        if entry == UNALLOCATED {
            return self.parent_bytes(disk_at, part);
        }
        let block_at = u64::from(entry) * 512;
        let data_at = block_at + self.bitmap_len();
        if self.parent.is_none() {
            return super::pread(&self.path, &self.file, part, data_at + within as u64);
        }
        // Differencing: sector by sector, this file's where the bitmap says so.
        let mut bitmap = vec![0u8; self.bitmap_len() as usize];
        super::pread(&self.path, &self.file, &mut bitmap, block_at)?;
        let mut done = 0usize;
        while done < part.len() {
            let at = within + done;
            let sector = at / 512;
            let take = (512 - at % 512).min(part.len() - done);
            let present = bitmap
                .get(sector / 8)
                .is_some_and(|b| b & (0x80 >> (sector % 8)) != 0);
            let piece = part
                .get_mut(done..done + take)
                .ok_or_else(|| std::io::Error::other("read past the buffer"))?;
            if present {
                super::pread(&self.path, &self.file, piece, data_at + at as u64)?;
            } else {
                self.parent_bytes(disk_at + done as u64, piece)?;
            }
            done += take;
        }
        Ok(())
    }

    /// Bytes not in this file: the parent's, or zeros.
    fn parent_bytes(&self, at: u64, part: &mut [u8]) -> std::io::Result<()> {
        super::read_parent(self.parent.as_deref(), at, part)
    }
}

/// The parent of a differencing disk: the first locator whose path exists
/// (relative ones from the child's directory), else the parent's name beside the
/// child; an error naming what was looked for when none exists.
fn find_parent(path: &Path, file: &File, h: &[u8], header_at: u64) -> Result<PathBuf> {
    let mut tried = Vec::new();
    for i in 0..8 {
        let at = 576 + i * 24;
        let code = be32(h, at).unwrap_or(0);
        let length = u64::from(be32(h, at + 8).unwrap_or(0));
        let offset = be64(h, at + 16).unwrap_or(0);
        if code == 0 || length == 0 || length > 64 * 1024 {
            continue;
        }
        let mut raw = vec![0u8; length as usize];
        read_exact_at(path, file, &mut raw, offset)?;
        let name = match &code.to_be_bytes() {
            b"W2ru" | b"W2ku" => utf16le(&raw),
            b"Wi2r" | b"Wi2k" => String::from_utf8_lossy(&raw)
                .trim_end_matches('\0')
                .to_owned(),
            b"MacX" => String::from_utf8_lossy(&raw)
                .trim_start_matches("file://")
                .trim_end_matches('\0')
                .to_owned(),
            _ => continue,
        };
        let candidate = beside(path, &windows_to_host(&name));
        if candidate.exists() {
            return Ok(candidate);
        }
        tried.push(candidate);
    }
    let unicode_name: Vec<u16> = h
        .get(64..576)
        .unwrap_or_default()
        .chunks_exact(2)
        .map(|c| u16::from_be_bytes(c.try_into().unwrap_or([0; 2])))
        .take_while(|&u| u != 0)
        .collect();
    let name = String::from_utf16_lossy(&unicode_name);
    let base = windows_to_host(&name);
    let base = base.rsplit('/').next().unwrap_or(&base).to_owned();
    if !base.is_empty() {
        let candidate = beside(path, &base);
        if candidate.exists() {
            return Ok(candidate);
        }
        tried.push(candidate);
    }
    let list = tried
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    Err(container_error(
        path,
        header_at + 64,
        &format!("its parent disk {name:?} is missing (looked for: {list})"),
    ))
}

/// A VHD's unique id (footer bytes 68-84), from its footer at the end or its
/// copy at byte 0.
fn parent_unique_id(path: &Path) -> Result<Option<Vec<u8>>> {
    let file = open_file(path)?;
    let len = file_len(path, &file)?;
    let mut footer = [0u8; 512];
    for at in [len.saturating_sub(512), 0] {
        if len >= 512 {
            read_exact_at(path, &file, &mut footer, at)?;
            if footer.starts_with(COOKIE) {
                return Ok(footer.get(68..84).map(<[u8]>::to_vec));
            }
        }
    }
    Ok(None)
}

/// A Windows path as a host path: `.\x\y.vhd` to `x/y.vhd`; a drive path keeps
/// only its last component (the parent is looked for beside the child).
fn windows_to_host(name: &str) -> String {
    let n = name.trim_end_matches('\0').replace('\\', "/");
    if n.len() > 1 && n.as_bytes().get(1) == Some(&b':') {
        return n.rsplit('/').next().unwrap_or(&n).to_owned();
    }
    n.trim_start_matches("./").to_owned()
}

fn utf16le(b: &[u8]) -> String {
    let units: Vec<u16> = crate::bytes::utf16_units(b)
        .take_while(|&u| u != 0)
        .collect();
    String::from_utf16_lossy(&units)
}

/// The one's complement of the sum of every byte but the checksum's four.
fn checksum(b: &[u8], field: usize) -> u32 {
    let sum = b
        .iter()
        .enumerate()
        .filter(|(i, _)| !(field..field + 4).contains(i))
        .fold(0u32, |s, (_, &x)| s.wrapping_add(u32::from(x)));
    !sum
}

impl Container for Vhd {
    fn len(&self) -> u64 {
        self.size
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<()> {
        if self.kind == 2 {
            return super::pread(&self.path, &self.file, buf, offset);
        }
        super::read_blocks(self.block_size, offset, buf, |index, within, part| {
            self.read_block(index, within, part)
        })
    }

    fn info(&self) -> ContainerInfo {
        ContainerInfo {
            format: "VHD",
            variant: match self.kind {
                2 => "fixed".to_owned(),
                3 => format!("dynamic, blocks of {} bytes", self.block_size),
                _ => format!("differencing, blocks of {} bytes", self.block_size),
            },
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
    fn parent_names() {
        assert_eq!(windows_to_host(r".\base.vhd"), "base.vhd");
        assert_eq!(windows_to_host(r"C:\vms\base.vhd"), "base.vhd");
        assert_eq!(windows_to_host(r"..\disks\base.vhd"), "../disks/base.vhd");
    }
}
