//! VMDK (VMware): a text descriptor listing extents, each a flat file (the disk
//! bytes from an offset), a sparse file or zeros; a monolithic sparse file holds
//! its descriptor inside.
//!
//! A hosted sparse extent starts with a little-endian header (`KDMV`): capacity
//! and grain size in sectors, the offset of the grain directory, whose 32-bit
//! entries point at grain tables, whose entries point at grains (sector
//! offsets; 0 unallocated: the parent's bytes, or zeros; 1 a zeroed grain). A
//! streamOptimized extent puts its header at the end (grain directory offset
//! `GD_AT_END` in the first), and stores each grain compressed: a 12-byte
//! marker (the grain's first sector, the data's length), then a zlib stream.
//! A descriptor whose `parentCID` is not `ffffffff` names its parent in
//! `parentFileNameHint`.

use super::{
    BlockCache, Container, ContainerInfo, beside, container_error, damaged, file_len, open_file,
    open_parent, read_exact_at,
};
use crate::bytes::{u32_at, u64_at};
use crate::error::Result;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `KDMV`: a hosted sparse extent.
pub(crate) const SPARSE_SIGNATURE: &[u8] = b"KDMV";
const GD_AT_END: u64 = u64::MAX;
/// Most extents of a descriptor (an 8 TiB disk in 2 GiB extents is 4,096).
const MAX_EXTENTS: usize = 8192;
/// Most bytes of grain directories over all extents.
const MAX_DIRECTORIES: usize = 1 << 30;

/// Whether `head` is a text descriptor: its comment line (`# Disk
/// DescriptorFile`, or `# Disk Descriptor File` as some writers put it), or,
/// without one, text that sets `createType` and lists an extent.
pub(crate) fn is_descriptor(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head.get(..1024).unwrap_or(head));
    let first = text.trim_start();
    if first.starts_with("# Disk DescriptorFile") || first.starts_with("# Disk Descriptor File") {
        return true;
    }
    let printable = head
        .iter()
        .take(1024)
        .all(|&b| b == b'\n' || b == b'\r' || b == b'\t' || (0x20..0x7f).contains(&b) || b == 0);
    printable
        && text.contains("createType")
        && text
            .lines()
            .any(|l| l.trim_start().starts_with("RW ") || l.trim_start().starts_with("RDONLY "))
}

/// A VMDK disk: its extents end to end, and its parent.
#[derive(Debug)]
pub(crate) struct Vmdk {
    path: PathBuf,
    create_type: String,
    extents: Vec<Extent>,
    size: u64,
    parent: Option<Box<dyn Container>>,
}

#[derive(Debug)]
struct Extent {
    start: u64,
    len: u64,
    kind: ExtentKind,
}

#[derive(Debug)]
enum ExtentKind {
    Flat {
        path: PathBuf,
        file: File,
        offset: u64,
    },
    Sparse(Box<Sparse>),
    Zero,
}

/// A hosted sparse extent.
#[derive(Debug)]
struct Sparse {
    path: PathBuf,
    file: File,
    grain: u64,
    per_table: u64,
    directory: Vec<u32>,
    compressed: bool,
    tables: BlockCache,
    grains: BlockCache,
}

/// The fields of a sparse header.
struct Header {
    capacity: u64,
    grain: u64,
    descriptor: (u64, u64),
    per_table: u64,
    directory: u64,
    flags: u32,
    algorithm: u16,
}

fn parse_header(h: &[u8]) -> Option<Header> {
    Some(Header {
        flags: u32_at(h, 8)?,
        capacity: u64_at(h, 12)?,
        grain: u64_at(h, 20)?,
        descriptor: (u64_at(h, 28)?, u64_at(h, 36)?),
        per_table: u64::from(u32_at(h, 44)?),
        directory: u64_at(h, 56)?,
        algorithm: crate::bytes::u16_at(h, 77)?,
    })
}

impl Vmdk {
    /// Opens a descriptor file or a monolithic sparse file; `depth` counts the
    /// parent chain.
    pub(crate) fn open(path: &Path, depth: usize) -> Result<Vmdk> {
        let file = open_file(path)?;
        let len = file_len(path, &file)?;
        let mut head = vec![0u8; 512.min(len as usize)];
        read_exact_at(path, &file, &mut head, 0)?;
        let mut embedded = false;
        let descriptor = if head.starts_with(SPARSE_SIGNATURE) {
            let h = parse_header(&head)
                .ok_or_else(|| container_error(path, 0, "the sparse header is cut short"))?;
            let (at, sectors) = h.descriptor;
            if at == 0 || sectors == 0 {
                // A sparse extent without a descriptor: one extent, the whole disk.
                let sparse = Sparse::open(path)?;
                let size = h.capacity.saturating_mul(512);
                return Ok(Vmdk {
                    path: path.to_owned(),
                    create_type: "sparse extent".into(),
                    extents: vec![Extent {
                        start: 0,
                        len: size,
                        kind: ExtentKind::Sparse(Box::new(sparse)),
                    }],
                    size,
                    parent: None,
                });
            }
            if sectors > 2048 || at.saturating_add(sectors).saturating_mul(512) > len {
                return Err(container_error(
                    path,
                    28,
                    "the embedded descriptor lies past the file",
                ));
            }
            let mut d = vec![0u8; (sectors * 512) as usize];
            read_exact_at(path, &file, &mut d, at * 512)?;
            embedded = true;
            d
        } else {
            if len > 1 << 20 {
                return Err(container_error(
                    path,
                    0,
                    "a descriptor file larger than 1 MiB",
                ));
            }
            let mut d = vec![0u8; len as usize];
            read_exact_at(path, &file, &mut d, 0)?;
            d
        };
        let text = String::from_utf8_lossy(&descriptor);
        let text = text.trim_end_matches('\0');
        let mut create_type = String::new();
        let mut parent_hint = None;
        let mut parent_cid = None;
        let mut extents = Vec::new();
        let mut directories = 0usize;
        let mut start = 0u64;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some((key, value)) = line.split_once('=')
                && !line.starts_with("RW ")
                && !line.starts_with("RDONLY ")
                && !line.starts_with("NOACCESS ")
            {
                let value = value.trim().trim_matches('"').to_owned();
                match key.trim() {
                    "createType" => create_type = value,
                    "parentFileNameHint" => parent_hint = Some(value),
                    "parentCID" => parent_cid = Some(value),
                    _ => {}
                }
                continue;
            }
            // A descriptor inside a sparse file describes that file, whatever
            // name its extent line gives (tools write the name it was made as).
            if extents.len() >= MAX_EXTENTS || (embedded && !extents.is_empty()) {
                return Err(container_error(
                    path,
                    0,
                    &format!(
                        "more extents than a {} descriptor holds",
                        if embedded {
                            "monolithic file's"
                        } else {
                            "VMDK"
                        }
                    ),
                ));
            }
            let extent = parse_extent(path, line, n + 1, start, embedded)?;
            if let ExtentKind::Sparse(s) = &extent.kind {
                directories += s.directory.len() * 4;
                if directories > MAX_DIRECTORIES {
                    return Err(container_error(
                        path,
                        0,
                        "grain directories larger than 1 GiB in all",
                    ));
                }
            }
            start = start.saturating_add(extent.len);
            extents.push(extent);
        }
        if extents.is_empty() {
            return Err(container_error(path, 0, "the descriptor lists no extent"));
        }
        let has_parent = parent_cid
            .as_deref()
            .is_some_and(|c| !c.eq_ignore_ascii_case("ffffffff"));
        let parent = match (has_parent, parent_hint) {
            (true, Some(hint)) => {
                let p = beside(path, &hint.replace('\\', "/"));
                if !p.exists() {
                    return Err(container_error(
                        path,
                        0,
                        &format!("its parent disk {} is missing", p.display()),
                    ));
                }
                // The parent must be the disk this one was made from: its CID is
                // the child's parentCID.
                let want = parent_cid.unwrap_or_default();
                let got = descriptor_cid(&p)?;
                if !got
                    .as_deref()
                    .is_some_and(|c| c.eq_ignore_ascii_case(&want))
                {
                    return Err(container_error(
                        path,
                        0,
                        &format!(
                            "the parent found at {} is not the disk this one was made from (its CID {} is not the child's parentCID {want})",
                            p.display(),
                            got.as_deref().unwrap_or("(none)")
                        ),
                    ));
                }
                Some(open_parent(&p, depth + 1)?)
            }
            (true, None) => {
                return Err(container_error(
                    path,
                    0,
                    "a child disk (parentCID) without parentFileNameHint",
                ));
            }
            _ => None,
        };
        Ok(Vmdk {
            path: path.to_owned(),
            create_type,
            extents,
            size: start,
            parent,
        })
    }

    fn parent_bytes(&self, at: u64, part: &mut [u8]) -> std::io::Result<()> {
        super::read_parent(self.parent.as_deref(), at, part)
    }
}

/// The `CID` of the VMDK at `path`: from its descriptor file, or the
/// descriptor embedded in its sparse extent.
fn descriptor_cid(path: &Path) -> Result<Option<String>> {
    let file = open_file(path)?;
    let len = file_len(path, &file)?;
    let mut head = vec![0u8; 512.min(len as usize)];
    read_exact_at(path, &file, &mut head, 0)?;
    let text = if head.starts_with(SPARSE_SIGNATURE) {
        let Some(h) = parse_header(&head) else {
            return Ok(None);
        };
        let (at, sectors) = h.descriptor;
        if at == 0 || sectors == 0 || sectors > 2048 {
            return Ok(None);
        }
        let mut d = vec![0u8; (sectors * 512) as usize];
        read_exact_at(path, &file, &mut d, at * 512)?;
        d
    } else {
        let mut d = vec![0u8; len.min(1 << 20) as usize];
        read_exact_at(path, &file, &mut d, 0)?;
        d
    };
    Ok(String::from_utf8_lossy(&text).lines().find_map(|l| {
        let (k, v) = l.split_once('=')?;
        (k.trim() == "CID").then(|| v.trim().trim_matches('"').to_owned())
    }))
}

/// `RW 16384 SPARSE "name.vmdk"`, `RW 4192256 FLAT "name-f001.vmdk" 0`,
/// `RW 100 ZERO`.
fn parse_extent(path: &Path, line: &str, n: usize, start: u64, embedded: bool) -> Result<Extent> {
    let bad = |m: &str| container_error(path, 0, &format!("descriptor line {n}: {m}: {line:?}"));
    let (head, rest) = match line.find('"') {
        Some(q) => (line.get(..q).unwrap_or(line), line.get(q..).unwrap_or("")),
        None => (line, ""),
    };
    let words: Vec<&str> = head.split_whitespace().collect();
    let (Some(sectors), Some(kind)) = (words.get(1), words.get(2)) else {
        return Err(bad("not an extent"));
    };
    let sectors: u64 = sectors
        .parse()
        .map_err(|_| bad("a size that is not a number"))?;
    let len = sectors
        .checked_mul(512)
        .ok_or_else(|| bad("a size too large"))?;
    let mut quoted = rest.splitn(3, '"');
    let name = quoted.nth(1).unwrap_or("");
    let after = quoted.next().unwrap_or("").trim();
    let kind = match *kind {
        "ZERO" => ExtentKind::Zero,
        "FLAT" | "VMFS" => {
            let file_path = beside(path, name);
            let file = open_file(&file_path)?;
            let offset = after.parse::<u64>().unwrap_or(0).saturating_mul(512);
            ExtentKind::Flat {
                path: file_path,
                file,
                offset,
            }
        }
        "SPARSE" | "VMFSSPARSE" if embedded => ExtentKind::Sparse(Box::new(Sparse::open(path)?)),
        "SPARSE" | "VMFSSPARSE" => ExtentKind::Sparse(Box::new(Sparse::open(&beside(path, name))?)),
        other => return Err(bad(&format!("extent type {other} is not read"))),
    };
    Ok(Extent { start, len, kind })
}

impl Sparse {
    fn open(path: &Path) -> Result<Sparse> {
        let file = open_file(path)?;
        let len = file_len(path, &file)?;
        let bad = |at: u64, m: &str| container_error(path, at, m);
        let mut head = [0u8; 512];
        read_exact_at(path, &file, &mut head, 0)?;
        if !head.starts_with(SPARSE_SIGNATURE) {
            return Err(bad(0, "not a sparse extent (no KDMV)"));
        }
        let mut h = parse_header(&head).ok_or_else(|| bad(0, "the sparse header is cut short"))?;
        if h.directory == GD_AT_END {
            // streamOptimized: the real header is the footer, 1 KiB before the end.
            if len < 1536 {
                return Err(bad(0, "a streamOptimized extent without its footer"));
            }
            let mut foot = [0u8; 512];
            read_exact_at(path, &file, &mut foot, len - 1024)?;
            if !foot.starts_with(SPARSE_SIGNATURE) {
                return Err(bad(
                    len - 1024,
                    "no footer where a streamOptimized extent keeps it",
                ));
            }
            h = parse_header(&foot).ok_or_else(|| bad(len - 1024, "the footer is cut short"))?;
        }
        let compressed = h.flags & (1 << 16) != 0;
        if compressed && h.algorithm != 1 {
            return Err(bad(
                77,
                &format!(
                    "compression algorithm {}: only deflate is read",
                    h.algorithm
                ),
            ));
        }
        if h.grain == 0 || h.grain > 2048 || !h.grain.is_power_of_two() {
            return Err(bad(20, &format!("a grain of {} sectors", h.grain)));
        }
        if h.per_table == 0 || h.per_table > 65536 {
            return Err(bad(44, &format!("{} entries per grain table", h.per_table)));
        }
        let grain = h.grain * 512;
        let tables = h.capacity.div_ceil(h.grain).div_ceil(h.per_table);
        // At most 16 M grain tables (a sparse file could claim more).
        if tables.saturating_mul(4) > len
            || tables > 1 << 22
            || h.directory.saturating_mul(512) > len
        {
            return Err(bad(56, "a grain directory larger than the file"));
        }
        let mut raw = vec![0u8; (tables * 4) as usize];
        read_exact_at(path, &file, &mut raw, h.directory * 512)?;
        let directory = raw
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().unwrap_or([0; 4])))
            .collect();
        Ok(Sparse {
            path: path.to_owned(),
            file,
            grain,
            per_table: h.per_table,
            directory,
            compressed,
            tables: BlockCache::new(h.per_table * 4),
            grains: BlockCache::new(grain),
        })
    }

    /// The grain table entry of grain `index` (0 when unallocated).
    fn entry(&self, index: u64) -> std::io::Result<u32> {
        let table_at = self
            .directory
            .get((index / self.per_table) as usize)
            .copied()
            .unwrap_or(0);
        if table_at == 0 {
            return Ok(0);
        }
        let table = self.tables.get_or_load(u64::from(table_at), || {
            let mut t = vec![0u8; (self.per_table * 4) as usize];
            super::pread(&self.path, &self.file, &mut t, u64::from(table_at) * 512).map_err(
                |e| {
                    damaged(
                        &self.path,
                        u64::from(table_at) * 512,
                        format!("grain table: {e}"),
                    )
                },
            )?;
            Ok(t)
        })?;
        Ok(u32_at(&table, ((index % self.per_table) * 4) as usize).unwrap_or(0))
    }

    /// Fills `part` from byte `within` of grain `index`; false when the grain
    /// is not allocated here.
    fn read(&self, index: u64, within: usize, part: &mut [u8]) -> std::io::Result<bool> {
        let entry = self.entry(index)?;
        match entry {
            0 => Ok(false),
            1 => {
                part.fill(0);
                Ok(true)
            }
            sector if !self.compressed => {
                super::pread(
                    &self.path,
                    &self.file,
                    part,
                    u64::from(sector) * 512 + within as u64,
                )?;
                Ok(true)
            }
            sector => {
                let data = self.compressed_grain(u64::from(sector) * 512)?;
                let src = data.get(within..within + part.len()).ok_or_else(|| {
                    damaged(
                        &self.path,
                        u64::from(sector) * 512,
                        "a grain inflates short",
                    )
                })?;
                part.copy_from_slice(src);
                Ok(true)
            }
        }
    }

    /// A compressed grain at `at`: a marker (sector, length), then zlib.
    fn compressed_grain(&self, at: u64) -> std::io::Result<Arc<[u8]>> {
        self.grains.get_or_load(at, || {
            let mut marker = [0u8; 12];
            super::pread(&self.path, &self.file, &mut marker, at)?;
            let size = u64::from(u32_at(&marker, 8).unwrap_or(0));
            if size == 0 || size > self.grain * 2 + 1024 {
                return Err(damaged(
                    &self.path,
                    at,
                    format!("a compressed grain of {size} bytes"),
                ));
            }
            let mut raw = vec![0u8; size as usize];
            super::pread(&self.path, &self.file, &mut raw, at + 12)?;
            let mut d = flate2::Decompress::new(true);
            let mut out = Vec::with_capacity(self.grain as usize);
            d.decompress_vec(&raw, &mut out, flate2::FlushDecompress::Finish)
                .map_err(|e| {
                    damaged(
                        &self.path,
                        at,
                        format!("a compressed grain is damaged: {e}"),
                    )
                })?;
            if (out.len() as u64) < self.grain {
                out.resize(self.grain as usize, 0);
            }
            Ok(out)
        })
    }
}

impl Container for Vmdk {
    fn len(&self) -> u64 {
        self.size
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<()> {
        let mut done = 0usize;
        while done < buf.len() {
            let at = offset + done as u64;
            let i = self.extents.partition_point(|e| e.start + e.len <= at);
            let Some(extent) = self.extents.get(i) else {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "read past the last extent",
                ));
            };
            let within = at - extent.start;
            let take = ((extent.len - within) as usize).min(buf.len() - done);
            let part = buf
                .get_mut(done..done + take)
                .ok_or_else(|| std::io::Error::other("read past the buffer"))?;
            match &extent.kind {
                ExtentKind::Zero => part.fill(0),
                ExtentKind::Flat { file, offset, .. } => {
                    file.read_exact_at(part, offset + within)?
                }
                ExtentKind::Sparse(s) => {
                    super::read_blocks(s.grain, within, part, |index, w, piece| {
                        if !s.read(index, w, piece)? {
                            self.parent_bytes(extent.start + index * s.grain + w as u64, piece)?;
                        }
                        Ok(())
                    })?;
                }
            }
            done += take;
        }
        Ok(())
    }

    fn info(&self) -> ContainerInfo {
        let mut files = vec![self.path.clone()];
        for e in &self.extents {
            let p = match &e.kind {
                ExtentKind::Flat { path, .. } => Some(path),
                ExtentKind::Sparse(s) => Some(&s.path),
                ExtentKind::Zero => None,
            };
            if let Some(p) = p
                && !files.contains(p)
            {
                files.push(p.clone());
            }
        }
        ContainerInfo {
            format: "VMDK",
            variant: format!(
                "{}, {} extent{}",
                self.create_type,
                self.extents.len(),
                if self.extents.len() == 1 { "" } else { "s" }
            ),
            files,
            virtual_size: self.size,
            parent: self.parent.as_ref().map(|p| Box::new(p.info())),
            ..Default::default()
        }
    }
}
