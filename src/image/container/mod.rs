//! Disk-image containers: the file formats evidence and build pipelines hold a
//! disk in (EWF/E01, split raw, VHD, VHDX, VMDK, QCOW2), each read as the plain
//! disk it holds, through one trait ([`Container`]): positioned reads of the
//! virtual disk. The layers above do not know which container they read.
//!
//! A container is found by its signature, never by its file name; split raw,
//! which has none, is the one exception (`NAME.001` with a `NAME.002` beside it).
//! Every reader is written from its format's specification: structures are read
//! through checked accessors, every count and offset read from the file is
//! checked against the file and against a fixed bound (a sparse file can claim
//! a table as large as itself) before it sizes anything, and a damaged structure
//! is an error naming the file and byte offset, never a panic. A parent is
//! checked to be the disk its child was made from. Nothing is written.
//!
//! Compressed blocks (EWF chunks, VMDK grains, QCOW2 clusters) are inflated on
//! the reading thread (the scan reads from every worker in parallel) and kept in
//! a sharded cache of at most 64 MiB: no lock is held while a block is read or
//! inflated.

mod cache;
mod ewf;
mod qcow2;
mod split;
mod vhd;
mod vhdx;
mod vmdk;

pub(crate) use cache::BlockCache;

use crate::error::{Error, Result};
use serde::Serialize;
use std::fmt::Debug;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// A disk image held in a container: positioned reads of the disk it holds.
pub trait Container: Send + Sync + Debug {
    /// The size of the disk it holds, in bytes.
    fn len(&self) -> u64;
    /// True for a disk of no bytes.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Fills `buf` from disk byte `offset` (the caller checked the range against
    /// [`Container::len`]). Areas the container does not store read as zeros.
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<()>;
    /// What the container is: format, files, metadata, parents.
    fn info(&self) -> ContainerInfo;
    /// The hashes the container stores of the whole disk (EWF: MD5, SHA1),
    /// as (algorithm, lowercase hex).
    fn stored_hashes(&self) -> Vec<(String, String)> {
        Vec::new()
    }
}

/// What a container is, for `info`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ContainerInfo {
    /// The format: `EWF`, `split raw`, `VHD`, `VHDX`, `VMDK`, `QCOW2`.
    pub format: &'static str,
    /// Its variant and version: `fixed`, `dynamic`, `differencing`, `v3`,
    /// `streamOptimized`, ...
    pub variant: String,
    /// The files it is made of, in order.
    pub files: Vec<PathBuf>,
    /// The size of the disk it holds.
    pub virtual_size: u64,
    /// Metadata it stores, in its own order (EWF: case number, examiner, ...).
    pub metadata: Vec<(String, String)>,
    /// Hashes it stores of the whole disk: (algorithm, lowercase hex).
    pub hashes: Vec<(String, String)>,
    /// The parent or backing image this one is read through, if any.
    pub parent: Option<Box<ContainerInfo>>,
}

/// Opens the container at `path` when `head` (its first bytes, up to 4 KiB)
/// and, for VHD, its last sector say it is one; `Ok(None)` for a plain raw file.
pub(crate) fn open(path: &Path, file: &File, len: u64) -> Result<Option<Box<dyn Container>>> {
    let mut head = vec![0u8; 4096.min(len as usize)];
    read_exact_at(path, file, &mut head, 0)?;
    if head.starts_with(ewf::SIGNATURE) || head.starts_with(ewf::LOGICAL_SIGNATURE) {
        return ewf::Ewf::open(path).map(|c| Some(Box::new(c) as Box<dyn Container>));
    }
    if head.starts_with(ewf::SIGNATURE2) || head.starts_with(ewf::LOGICAL_SIGNATURE2) {
        return Err(container_error(
            path,
            0,
            "an EWF2 (Ex01/Lx01) image: this version of the format is not read yet; convert it with ewfexport -f raw",
        ));
    }
    if let Some(container) = by_signature(path, file, len, &head, 0)? {
        return Ok(Some(container));
    }
    if let Some(split) = split::Split::open_if_first(path, len)? {
        return Ok(Some(Box::new(split)));
    }
    Ok(None)
}

/// Opens a parent or backing image named by a child, as whatever container
/// (or raw file) it is; `depth` counts the chain so that a loop ends.
pub(crate) fn open_parent(path: &Path, depth: usize) -> Result<Box<dyn Container>> {
    if depth > MAX_CHAIN {
        return Err(container_error(
            path,
            0,
            &format!("more than {MAX_CHAIN} parent images: a loop?"),
        ));
    }
    let file = open_file(path)?;
    let len = file_len(path, &file)?;
    let mut head = vec![0u8; 4096.min(len as usize)];
    read_exact_at(path, &file, &mut head, 0)?;
    match by_signature(path, &file, len, &head, depth)? {
        Some(container) => Ok(container),
        None => Ok(Box::new(split::Split::single(path.to_owned(), file, len))),
    }
}

/// The virtual-disk container (QCOW2, VHDX, VMDK, VHD) whose signature `head`
/// (or, for a fixed VHD, the file's last sector) bears; `depth` counts a
/// parent chain. EWF and split raw, which a parent never is, are not looked for.
fn by_signature(
    path: &Path,
    file: &File,
    len: u64,
    head: &[u8],
    depth: usize,
) -> Result<Option<Box<dyn Container>>> {
    let container: Box<dyn Container> = if head.starts_with(qcow2::SIGNATURE) {
        Box::new(qcow2::Qcow2::open(path, depth)?)
    } else if head.starts_with(vhdx::SIGNATURE) {
        Box::new(vhdx::Vhdx::open(path, depth)?)
    } else if head.starts_with(vmdk::SPARSE_SIGNATURE) || vmdk::is_descriptor(head) {
        Box::new(vmdk::Vmdk::open(path, depth)?)
    } else if vhd::is_vhd(path, file, len, head)? {
        Box::new(vhd::Vhd::open(path, depth)?)
    } else {
        return Ok(None);
    };
    Ok(Some(container))
}

/// Most parent or backing images followed.
const MAX_CHAIN: usize = 64;

/// An error about a container file.
pub(crate) fn container_error(path: &Path, offset: u64, message: &str) -> Error {
    Error::Container {
        path: path.to_owned(),
        offset,
        message: message.to_owned(),
    }
}

/// An I/O error for a read of the disk that hit damage in the container.
pub(crate) fn damaged(path: &Path, offset: u64, message: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!("{}: byte {offset:#x}: {message}", path.display()),
    )
}

pub(crate) fn open_file(path: &Path) -> Result<File> {
    File::open(path).map_err(|source| Error::Open {
        path: path.to_owned(),
        source,
    })
}

pub(crate) fn file_len(path: &Path, file: &File) -> Result<u64> {
    file.metadata()
        .map(|m| m.len())
        .map_err(|source| Error::Open {
            path: path.to_owned(),
            source,
        })
}

/// Reads exactly `buf.len()` bytes at `offset` of a container file.
pub(crate) fn read_exact_at(path: &Path, file: &File, buf: &mut [u8], offset: u64) -> Result<()> {
    file.read_exact_at(buf, offset).map_err(|e| {
        if e.kind() == std::io::ErrorKind::UnexpectedEof {
            container_error(
                path,
                offset,
                &format!("the file ends before the {} bytes read here", buf.len()),
            )
        } else {
            Error::Open {
                path: path.to_owned(),
                source: e,
            }
        }
    })
}

/// Positioned read of a container file for the disk: an error names the file
/// and the byte (a file cut short says so).
pub(crate) fn pread(path: &Path, file: &File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    file.read_exact_at(buf, at).map_err(|e| {
        let what = if e.kind() == std::io::ErrorKind::UnexpectedEof {
            format!("the file ends before the {} bytes read here", buf.len())
        } else {
            e.to_string()
        };
        damaged(path, at, what)
    })
}

/// A path named inside a container (a segment, an extent, a parent), taken
/// relative to the directory of the file that names it.
pub(crate) fn beside(container: &Path, name: &str) -> PathBuf {
    let named = Path::new(name);
    if named.is_absolute() {
        return named.to_owned();
    }
    container
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join(named)
}

/// Fills `part` with the bytes at `at` of a child's `parent` (zeros where the
/// parent is shorter, or when there is none).
pub(crate) fn read_parent(
    parent: Option<&dyn Container>,
    at: u64,
    part: &mut [u8],
) -> std::io::Result<()> {
    match parent {
        Some(p) if at < p.len() => {
            let n = ((p.len() - at) as usize).min(part.len());
            let (inside, past) = part.split_at_mut(n);
            p.read_at(at, inside)?;
            past.fill(0);
            Ok(())
        }
        _ => {
            part.fill(0);
            Ok(())
        }
    }
}

/// Reads `buf` from `offset` of a disk assembled from fixed-size blocks, each
/// read by `block` into the part of `buf` it covers: `block(index, within,
/// part)` fills `part` from byte `within` of block `index`.
pub(crate) fn read_blocks(
    block_size: u64,
    offset: u64,
    buf: &mut [u8],
    mut block: impl FnMut(u64, usize, &mut [u8]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut done = 0usize;
    while done < buf.len() {
        let at = offset + done as u64;
        let index = at / block_size;
        let within = (at % block_size) as usize;
        let take = ((block_size as usize) - within).min(buf.len() - done);
        let part = buf
            .get_mut(done..done + take)
            .ok_or_else(|| std::io::Error::other("read past the buffer"))?;
        block(index, within, part)?;
        done += take;
    }
    Ok(())
}
