//! The bytes: a read-only image file, memory-mapped or read with positioned
//! reads, or the disk a container holds ([`container`]: EWF, split raw, VHD,
//! VHDX, VMDK, QCOW2, found by signature), and the partition tables that may
//! hold the NTFS volume. What lies at an offset when it is not NTFS is named by
//! [`identify`].
//!
//! The map is used only for regular files: a block device or pipe can change size
//! or not be mappable, and a mapped file that shrinks kills the process with SIGBUS.
//! The size is taken once at open; every read is checked against it.
//!
//! ```no_run
//! let image = ntfs_links::Image::open("evidence.E01", Default::default())?;
//! if let Some(c) = image.container() {
//!     println!("{} ({}), {} bytes in {} files", c.format, c.variant, c.virtual_size, c.files.len());
//! }
//! for check in image.verify_hashes(&|_| {})? {
//!     println!("{}: {}", check.algorithm, if check.matches { "matches" } else { "MISMATCH" });
//! }
//! # Ok::<(), ntfs_links::Error>(())
//! ```

pub mod container;
mod identify;
mod partition;

pub use container::{Container, ContainerInfo};

pub use identify::identify;
pub use partition::{Location, Partition, PartitionTable, locate_volume, partitions};
pub(crate) use partition::{NTFS_OEM_ID, format_guid};

use crate::error::{Error, Result};
use serde::Serialize;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;

/// How to open an image.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImageOptions {
    /// Read with positioned reads instead of a memory map.
    pub no_mmap: bool,
}

/// A read-only NTFS image (or disk image) file.
#[derive(Debug)]
pub struct Image {
    backing: Backing,
    len: u64,
}

#[derive(Debug)]
enum Backing {
    Map(memmap2::Mmap),
    File(File),
    Bytes(Vec<u8>),
    Container(Box<dyn Container>),
}

impl Image {
    /// Opens `path` read-only. It is never written to.
    ///
    /// ```no_run
    /// let image = ntfs_links::Image::open("disk.img", Default::default())?;
    /// println!("{} bytes", image.len());
    /// # Ok::<(), ntfs_links::Error>(())
    /// ```
    pub fn open(path: impl AsRef<Path>, options: ImageOptions) -> Result<Image> {
        let path = path.as_ref();
        let open_err = |source| Error::Open {
            path: path.to_owned(),
            source,
        };
        let file = File::open(path).map_err(open_err)?;
        let meta = file.metadata().map_err(open_err)?;
        if meta.is_dir() {
            return Err(open_err(std::io::Error::other("is a directory")));
        }
        let mut len = meta.len();
        if !meta.is_file() {
            // Block devices report 0 in metadata; ask the device itself.
            use std::io::{Seek, SeekFrom};
            len = (&file).seek(SeekFrom::End(0)).map_err(open_err)?;
        }
        if let Some(container) = container::open(path, &file, len)? {
            let len = container.len();
            return Ok(Image {
                backing: Backing::Container(container),
                len,
            });
        }
        let backing = if options.no_mmap || !meta.is_file() || len == 0 {
            Backing::File(file)
        } else {
            // SAFETY: the map is read-only (PROT_READ, MAP_PRIVATE is not needed as
            // nothing writes through it). The one hazard is another process
            // truncating the file while it is mapped (SIGBUS); we map regular files
            // only and document that images must not change while being read.
            #[allow(unsafe_code)]
            let map = unsafe { memmap2::Mmap::map(&file) }.map_err(open_err)?;
            Backing::Map(map)
        };
        Ok(Image { backing, len })
    }

    /// Wraps bytes already in memory (tests, fuzzing, `--record-file`).
    pub fn from_bytes(bytes: Vec<u8>) -> Image {
        let len = bytes.len() as u64;
        Image {
            backing: Backing::Bytes(bytes),
            len,
        }
    }

    /// The image's size in bytes, taken when it was opened.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// True for an empty image.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// True when the image is memory-mapped.
    pub fn is_mapped(&self) -> bool {
        matches!(self.backing, Backing::Map(_) | Backing::Bytes(_))
    }

    /// What container the disk is held in (`None` for a raw file).
    pub fn container(&self) -> Option<ContainerInfo> {
        match &self.backing {
            Backing::Container(c) => Some(c.info()),
            _ => None,
        }
    }

    /// Recomputes the hashes the container stores (EWF's MD5 and SHA1) over the
    /// whole disk, reading it in parallel; `progress` is told the bytes done.
    /// One [`HashCheck`] per stored hash; none when the container stores none.
    pub fn verify_hashes(&self, progress: &(dyn Fn(u64) + Sync)) -> Result<Vec<HashCheck>> {
        use md5::Digest as _;
        use rayon::prelude::*;
        let stored = self.stored_hashes();
        if stored.is_empty() {
            return Ok(Vec::new());
        }
        const BLOCK: u64 = 1 << 20;
        let mut md5 = md5::Md5::new();
        let mut sha1 = sha1::Sha1::new();
        let batch = (rayon::current_num_threads() as u64 * 4).max(4);
        let blocks = self.len.div_ceil(BLOCK);
        let mut next = 0u64;
        while next < blocks {
            let upto = (next + batch).min(blocks);
            let parts: Vec<Result<Vec<u8>>> = (next..upto)
                .into_par_iter()
                .map(|b| {
                    let at = b * BLOCK;
                    let len = BLOCK.min(self.len - at) as usize;
                    self.read_vec(at, len, "the disk, for its hash")
                })
                .collect();
            for part in parts {
                let part = part?;
                md5.update(&part);
                sha1.update(&part);
            }
            next = upto;
            progress((next * BLOCK).min(self.len));
        }
        let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        let computed = [
            ("MD5", hex(&md5.finalize())),
            ("SHA1", hex(&sha1.finalize())),
        ];
        Ok(stored
            .into_iter()
            .map(|(algorithm, stored)| {
                let computed = computed
                    .iter()
                    .find(|(a, _)| *a == algorithm)
                    .map(|(_, h)| h.clone())
                    .unwrap_or_default();
                HashCheck {
                    matches: computed == stored,
                    algorithm,
                    stored,
                    computed,
                }
            })
            .collect())
    }

    /// The hashes the container stores of the whole disk (EWF's MD5 and SHA1),
    /// as (algorithm, lowercase hex); empty when it stores none.
    pub fn stored_hashes(&self) -> Vec<(String, String)> {
        match &self.backing {
            Backing::Container(c) => c.stored_hashes(),
            _ => Vec::new(),
        }
    }

    /// Fills `buf` from image byte `offset`; an error if that runs past the end.
    pub fn read_at(&self, offset: u64, buf: &mut [u8], what: &'static str) -> Result<()> {
        let end = offset.checked_add(buf.len() as u64);
        if end.is_none_or(|end| end > self.len) {
            return Err(Error::Truncated {
                offset,
                size: self.len,
                what,
            });
        }
        match &self.backing {
            Backing::Map(map) => copy_from(map, offset, buf),
            Backing::Bytes(bytes) => copy_from(bytes, offset, buf),
            Backing::File(file) => file
                .read_exact_at(buf, offset)
                .map_err(|source| Error::Read {
                    offset,
                    len: buf.len(),
                    source,
                }),
            Backing::Container(c) => c.read_at(offset, buf).map_err(|source| Error::Read {
                offset,
                len: buf.len(),
                source,
            }),
        }
    }

    /// Reads `len` bytes at `offset` into a new vector (cold paths only).
    pub fn read_vec(&self, offset: u64, len: usize, what: &'static str) -> Result<Vec<u8>> {
        if offset.saturating_add(len as u64) > self.len {
            return Err(Error::Truncated {
                offset,
                size: self.len,
                what,
            });
        }
        let mut buf = vec![0; len];
        self.read_at(offset, &mut buf, what)?;
        Ok(buf)
    }
}

/// A stored hash of the disk, and the one computed now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct HashCheck {
    /// `MD5` or `SHA1`.
    pub algorithm: String,
    /// What the container stores (lowercase hex).
    pub stored: String,
    /// What the disk's bytes give now.
    pub computed: String,
    /// Whether they are the same.
    pub matches: bool,
}

/// Copies from an in-memory image; the caller has checked the range against its length.
fn copy_from(bytes: &[u8], offset: u64, buf: &mut [u8]) -> Result<()> {
    let start = offset as usize;
    let src = bytes
        .get(start..start + buf.len())
        .ok_or(Error::Truncated {
            offset,
            size: bytes.len() as u64,
            what: "read",
        })?;
    buf.copy_from_slice(src);
    Ok(())
}
