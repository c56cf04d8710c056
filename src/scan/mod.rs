//! The MFT walk: every record read once, in parallel, into compact tables.
//!
//! Records are read in chunks into one buffer per worker thread (fixups rewrite the
//! bytes, so the map itself is never viewed in place), then each record is viewed in
//! the buffer with [`RecordView`](crate::record::RecordView) and what the later layers need is appended to
//! per-chunk tables: names as UTF-16 units in one arena, streams, attribute-list
//! entries, findings. Nothing is allocated per record. The chunks' tables are then
//! joined in record order, and files whose attributes spread over extension records
//! are assembled through their $ATTRIBUTE_LIST.

mod assemble;
mod extract;
mod finding;
mod slack;

pub use finding::{Finding, FindingKind};
pub use slack::RecordSlack;

use crate::attribute::{FileAttributes, Namespace, Timestamps};
use crate::error::Result;
use crate::record::{FileReference, RecordFlags};
use crate::volume::Volume;
use rayon::prelude::*;
use std::collections::HashMap;

/// Records per chunk of the parallel walk.
pub const CHUNK_RECORDS: u64 = 2048;

/// Options of a scan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ScanOptions {
    /// Also report records that are not in use but still hold a $FILE_NAME.
    pub deleted: bool,
    /// Keep timestamps ($STANDARD_INFORMATION's and each $FILE_NAME's) and data
    /// sizes: 40 more bytes per record and 32 per name.
    pub times: bool,
    /// Read the slack of each record reported (after its end marker, within
    /// its allocated size) for older attributes.
    pub record_slack: bool,
}

impl ScanOptions {
    /// With what each record's slack holds ([`RecordSlack`]).
    pub fn record_slack(mut self, on: bool) -> ScanOptions {
        self.record_slack = on;
        self
    }

    /// With records not in use that still hold a name.
    pub fn deleted(mut self, on: bool) -> ScanOptions {
        self.deleted = on;
        self
    }
    /// With timestamps and data sizes.
    pub fn times(mut self, on: bool) -> ScanOptions {
        self.times = on;
        self
    }
}

/// What state a record slot was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordState {
    /// Never written (all zeros).
    Empty,
    /// A `FILE` record whose header could be read.
    Valid,
    /// A `FILE` record whose header is damaged: only the raw flags are known.
    Damaged,
    /// Not a `FILE` record (`BAAD` or garbage).
    Unreadable,
}

/// One record slot of the $MFT, as the walk left it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RecordEntry {
    pub state: RecordState,
    pub sequence: u16,
    pub flags: RecordFlags,
    pub link_count: u16,
    pub has_list: bool,
    /// Its attribute list could not be read (whole): the record is assembled
    /// from the extension records that name it instead.
    pub list_failed: bool,
    /// An attribute could not be read: names and streams may be incomplete.
    pub damaged: bool,
    /// The record holds a $REPARSE_POINT, whose tag is `reparse`.
    pub has_reparse: bool,
    /// The record's data is an Interix symbolic link (kept as a blob).
    pub has_interix: bool,
    /// The record's data is a shell link (kept as a blob).
    pub has_shortcut: bool,
    pub base: u64,
    pub reparse: u32,
    /// File attribute flags of $STANDARD_INFORMATION.
    pub si_attributes: FileAttributes,
    /// Where the record's names, streams and list entries start in their tables;
    /// they end where the next record's start.
    pub names: u32,
    pub streams: u32,
    pub list: u32,
}

impl RecordEntry {
    /// The reparse tag, if the record holds a $REPARSE_POINT.
    pub fn reparse_tag(&self) -> Option<u32> {
        self.has_reparse.then_some(self.reparse)
    }
}

/// One $FILE_NAME as stored in the tables.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NameEntry {
    pub parent: u64,
    pub instance: u16,
    pub namespace: u8,
    pub units: (u32, u32),
    /// The reparse tag the name holds, when its flags say reparse point.
    pub reparse: Option<u32>,
}

/// What a stored blob is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum BlobKind {
    /// A $REPARSE_POINT value.
    Reparse,
    /// The data of an Interix symbolic link.
    Interix,
    /// The data of a shell link (`.lnk`).
    Shortcut,
}

/// Bytes kept from the walk for later decoding (reparse points are rare).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Blob {
    pub record: u64,
    pub kind: BlobKind,
    pub instance: u16,
    pub bytes: (u32, u32),
}

/// One named $DATA stream.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StreamEntry {
    pub instance: u16,
    pub units: (u32, u32),
    pub size: u64,
}

/// One $ATTRIBUTE_LIST entry.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ListEntry {
    pub type_code: u32,
    pub reference: u64,
    pub instance: u16,
    /// The entry is for the piece starting at VCN 0 (the only one for resident attributes).
    pub first_piece: bool,
    /// The attribute has a name (a named $DATA is a stream).
    pub named: bool,
}

/// The walk's output for a run of records.
#[derive(Debug, Default)]
pub(crate) struct Tables {
    pub records: Vec<RecordEntry>,
    pub names: Vec<NameEntry>,
    pub units: Vec<u16>,
    pub streams: Vec<StreamEntry>,
    pub list: Vec<ListEntry>,
    pub blobs: Vec<Blob>,
    pub blob_bytes: Vec<u8>,
    pub findings: Vec<(u64, Finding)>,
    /// With [`ScanOptions::record_slack`]: attributes in records' slack.
    pub record_slack: Vec<(u64, RecordSlack)>,
    /// With [`ScanOptions::times`]: $STANDARD_INFORMATION times per record.
    pub si_times: Vec<Timestamps>,
    /// With [`ScanOptions::times`]: the unnamed $DATA's size per record.
    pub sizes: Vec<u64>,
    /// With [`ScanOptions::times`]: times per $FILE_NAME, beside `names`.
    pub name_times: Vec<Timestamps>,
}

impl Tables {
    /// The range of record `i`'s entries: from its start to the next record's.
    fn span(&self, i: usize, start: fn(&RecordEntry) -> u32, len: usize) -> std::ops::Range<u32> {
        let from = self.records.get(i).map_or(len as u32, start);
        let to = self.records.get(i + 1).map_or(len as u32, start);
        from..to
    }
    /// Indices in `names` of record `i`'s own $FILE_NAMEs.
    pub fn names_of(&self, i: usize) -> std::ops::Range<u32> {
        self.span(i, |r| r.names, self.names.len())
    }
    /// Indices in `streams` of record `i`'s own streams.
    pub fn streams_of(&self, i: usize) -> std::ops::Range<u32> {
        self.span(i, |r| r.streams, self.streams.len())
    }
    /// Indices in `list` of record `i`'s attribute-list entries.
    pub fn list_of(&self, i: usize) -> std::ops::Range<u32> {
        self.span(i, |r| r.list, self.list.len())
    }

    /// The UTF-16 units in `r`.
    fn units(&self, r: (u32, u32)) -> &[u16] {
        self.units
            .get(r.0 as usize..r.1 as usize)
            .unwrap_or_default()
    }

    /// Gives back the room vectors grew into and did not use.
    fn shrink(&mut self) {
        self.records.shrink_to_fit();
        self.names.shrink_to_fit();
        self.units.shrink_to_fit();
        self.streams.shrink_to_fit();
        self.list.shrink_to_fit();
        self.blobs.shrink_to_fit();
        self.blob_bytes.shrink_to_fit();
        self.si_times.shrink_to_fit();
        self.sizes.shrink_to_fit();
        self.name_times.shrink_to_fit();
    }

    /// The index in `blobs` of record `record`'s blob of `kind`.
    fn find_blob(&self, record: u64, kind: BlobKind) -> Option<u32> {
        self.find_blob_where(record, |b| b.kind == kind)
    }

    /// The index in `blobs` of the first blob of `record` that `pick` accepts.
    pub(crate) fn find_blob_where(&self, record: u64, pick: impl Fn(&Blob) -> bool) -> Option<u32> {
        let start = self.blobs.partition_point(|b| b.record < record);
        self.blobs
            .get(start..)?
            .iter()
            .take_while(|b| b.record == record)
            .position(pick)
            .map(|i| (start + i) as u32)
    }

    /// The bytes of blob `i`.
    fn blob(&self, i: u32) -> Option<&[u8]> {
        let b = self.blobs.get(i as usize)?;
        self.blob_bytes.get(b.bytes.0 as usize..b.bytes.1 as usize)
    }
}

/// Names, streams and reparse tag of a file whose attributes were assembled from
/// extension records through its $ATTRIBUTE_LIST.
#[derive(Debug, Default)]
pub(crate) struct Assembled {
    pub names: Vec<At>,
    pub streams: Vec<At>,
    /// The blob of the $REPARSE_POINT, wherever it lives.
    pub reparse: Option<At>,
}

/// Where an entry lives: its chunk, and its index in that chunk's table.
pub(crate) type At = (u32, u32);

/// The result of walking every record of a volume.
///
/// ```no_run
/// use ntfs_links::{Image, Scan, ScanOptions, Volume};
/// let volume = Volume::open(Image::open("fixtures/basic.img", Default::default())?, 0)?;
/// let scan = Scan::run(&volume, ScanOptions::default())?;
/// for record in scan.records() {
///     let names: Vec<String> = record.names().map(|n| n.to_string_lossy()).collect();
///     println!("{} {names:?}", record.number());
/// }
/// # Ok::<(), ntfs_links::Error>(())
/// ```
#[derive(Debug)]
pub struct Scan {
    pub(crate) options: ScanOptions,
    /// One table per chunk of [`CHUNK_RECORDS`] records, as the walk made them:
    /// never joined, so the scan holds one copy of what it read.
    pub(crate) chunks: Vec<Tables>,
    pub(crate) count: u64,
    pub(crate) assembled: HashMap<u64, Assembled>,
    /// What reading and assembling the records found, sorted by record number
    /// (the [`Analysis`](crate::Analysis) adds every other check).
    pub(crate) findings: Vec<(u64, Finding)>,
    /// With [`ScanOptions::record_slack`]: attributes in records' slack, in
    /// record order.
    pub(crate) record_slack: Vec<(u64, RecordSlack)>,
    /// The volume's `$UpCase`, when it could be read.
    pub(crate) upcase: Option<crate::attribute::UpCase>,
}

impl Scan {
    /// What the slack of record `n` holds (read with
    /// [`ScanOptions::record_slack`]).
    pub fn record_slack(&self, n: u64) -> impl Iterator<Item = &RecordSlack> + '_ {
        let start = self.record_slack.partition_point(|(r, _)| *r < n);
        self.record_slack
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(move |(r, _)| *r == n)
            .map(|(_, s)| s)
    }

    /// The table names are compared by, case-insensitively: the volume's
    /// `$UpCase`, or (when it cannot be read, as from a bare $MFT)
    /// [`UpCase::builtin`](crate::attribute::UpCase::builtin).
    pub fn upcase(&self) -> &crate::attribute::UpCase {
        self.upcase
            .as_ref()
            .unwrap_or_else(|| crate::attribute::UpCase::builtin())
    }

    /// Whether [`upcase`](Self::upcase) is the volume's own table.
    pub fn has_volume_upcase(&self) -> bool {
        self.upcase.is_some()
    }

    /// Walks every record of `volume`.
    pub fn run(volume: &Volume, options: ScanOptions) -> Result<Scan> {
        Scan::run_with_progress(volume, options, &|_| {})
    }

    /// Walks every record of `volume`, calling `progress` with the number of
    /// records read so far after each chunk (from the walk's threads).
    pub fn run_with_progress(
        volume: &Volume,
        options: ScanOptions,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Scan> {
        let done = std::sync::atomic::AtomicU64::new(0);
        let count = volume.record_count();
        let rs = volume.record_size() as u64;
        let chunks = count.div_ceil(CHUNK_RECORDS);
        let parts: Vec<Result<Tables>> = (0..chunks)
            .into_par_iter()
            .map_init(
                || vec![0u8; (CHUNK_RECORDS * rs) as usize],
                |buf, c| {
                    let first = c * CHUNK_RECORDS;
                    let n = (count - first).min(CHUNK_RECORDS);
                    // The buffer holds a whole chunk; the last chunk uses part of it.
                    let bytes = buf.get_mut(..(n * rs) as usize).unwrap_or_default();
                    volume.mft().read(volume.image(), first * rs, bytes)?;
                    let mut tables = Tables::default();
                    for (i, record) in bytes.chunks_exact_mut(rs as usize).enumerate() {
                        extract::record(volume, first + i as u64, record, &options, &mut tables);
                    }
                    progress(done.fetch_add(n, std::sync::atomic::Ordering::Relaxed) + n);
                    Ok(tables)
                },
            )
            .collect();
        let mut chunks = parts.into_iter().collect::<Result<Vec<Tables>>>()?;
        let mut findings = Vec::new();
        let mut record_slack = Vec::new();
        for c in &mut chunks {
            findings.append(&mut c.findings);
            record_slack.append(&mut c.record_slack);
            c.shrink();
        }
        let mut scan = Scan {
            options,
            chunks,
            count,
            assembled: HashMap::new(),
            findings,
            record_slack,
            upcase: volume.upcase(),
        };
        assemble::assemble(&mut scan);
        scan.findings.sort_by_key(|(r, _)| *r);
        scan.record_slack.sort_by_key(|(r, s)| (*r, s.offset));
        Ok(scan)
    }

    /// Number of record slots walked.
    pub fn record_count(&self) -> u64 {
        self.count
    }

    /// Chunk and index of record `n`.
    fn locate(n: u64) -> (usize, usize) {
        ((n / CHUNK_RECORDS) as usize, (n % CHUNK_RECORDS) as usize)
    }

    /// The walk's entry for record `n`.
    pub(crate) fn entry(&self, n: u64) -> Option<&RecordEntry> {
        let (c, i) = Scan::locate(n);
        self.chunks.get(c)?.records.get(i)
    }

    /// Chunk `c`'s tables.
    pub(crate) fn chunk(&self, c: u32) -> Option<&Tables> {
        self.chunks.get(c as usize)
    }

    /// The record numbered `n`, whatever its state.
    pub fn record(&self, n: u64) -> Option<Record<'_>> {
        let (c, i) = Scan::locate(n);
        let tables = self.chunks.get(c)?;
        let entry = tables.records.get(i)?;
        Some(Record {
            scan: self,
            number: n,
            entry,
            tables,
            chunk: c as u32,
            index: i,
        })
    }
    /// The records a scan reports: every in-use base record, records that could not
    /// be read (with their findings), and with [`ScanOptions::deleted`] every
    /// record not in use that still holds a name.
    pub fn records(&self) -> impl Iterator<Item = Record<'_>> + '_ {
        (0..self.record_count())
            .filter_map(|n| self.record(n))
            .filter(|r| r.is_reported())
    }

    /// Options the scan ran with.
    pub fn options(&self) -> ScanOptions {
        self.options
    }

    /// The bytes of the blob at `at`.
    fn blob(&self, at: At) -> Option<&[u8]> {
        self.chunk(at.0)?.blob(at.1)
    }
}

/// Where a record's entries are, without allocating: its own range in its chunk,
/// or what its attribute list assembled.
enum Ids<'s> {
    Own(u32, std::ops::Range<u32>),
    Listed(std::slice::Iter<'s, At>),
}

impl Iterator for Ids<'_> {
    type Item = At;
    fn next(&mut self) -> Option<At> {
        match self {
            Ids::Own(c, r) => r.next().map(|i| (*c, i)),
            Ids::Listed(i) => i.next().copied(),
        }
    }
}

/// A record of a scan.
#[derive(Debug, Clone, Copy)]
pub struct Record<'s> {
    scan: &'s Scan,
    number: u64,
    entry: &'s RecordEntry,
    tables: &'s Tables,
    chunk: u32,
    index: usize,
}

impl<'s> Record<'s> {
    /// Its number.
    pub fn number(&self) -> u64 {
        self.number
    }
    /// State of the slot.
    pub fn state(&self) -> RecordState {
        self.entry.state
    }
    /// Sequence number.
    pub fn sequence(&self) -> u16 {
        self.entry.sequence
    }
    /// Header flags.
    pub fn flags(&self) -> RecordFlags {
        self.entry.flags
    }
    /// In-use flag.
    pub fn in_use(&self) -> bool {
        self.entry.flags.contains(RecordFlags::IN_USE)
    }
    /// Directory flag.
    pub fn is_dir(&self) -> bool {
        self.entry.flags.contains(RecordFlags::DIRECTORY)
    }
    /// Hard-link count from the header.
    pub fn link_count(&self) -> u16 {
        self.entry.link_count
    }
    /// Base record reference, `None` for a base record.
    pub fn base(&self) -> Option<FileReference> {
        (self.entry.base != 0).then(|| FileReference::from_u64(self.entry.base))
    }
    /// This record as a reference (number and sequence).
    pub fn reference(&self) -> FileReference {
        FileReference {
            record: self.number,
            sequence: self.entry.sequence,
        }
    }
    /// True when the record has an $ATTRIBUTE_LIST.
    pub fn has_attribute_list(&self) -> bool {
        self.entry.has_list
    }
    /// Tag of its reparse point, if it has one.
    pub fn reparse_tag(&self) -> Option<u32> {
        match self.assembled() {
            Some(a) => a
                .reparse
                .and_then(|at| self.scan.blob(at))
                .and_then(|b| crate::bytes::u32_at(b, 0)),
            None => self.entry.reparse_tag(),
        }
    }

    /// The raw $REPARSE_POINT value, wherever it lives.
    pub fn reparse_bytes(&self) -> Option<&'s [u8]> {
        match self.assembled() {
            Some(a) => a.reparse.and_then(|at| self.scan.blob(at)),
            None if self.entry.has_reparse => self
                .tables
                .find_blob(self.number, BlobKind::Reparse)
                .and_then(|i| self.tables.blob(i)),
            None => None,
        }
    }

    /// The data of an Interix symbolic link, if the record is one.
    pub fn interix_bytes(&self) -> Option<&'s [u8]> {
        if !self.entry.has_interix {
            return None;
        }
        self.tables
            .find_blob(self.number, BlobKind::Interix)
            .and_then(|i| self.tables.blob(i))
    }

    /// The content of the record's unnamed stream when it is a shell link
    /// (found by its header, whatever the file's name).
    pub fn shortcut_bytes(&self) -> Option<&'s [u8]> {
        if !self.entry.has_shortcut {
            return None;
        }
        self.tables
            .find_blob(self.number, BlobKind::Shortcut)
            .and_then(|i| self.tables.blob(i))
    }

    /// The reparse point decoded (or the Interix symlink), if there is one.
    pub fn reparse_point(&self) -> Option<crate::reparse::ReparsePoint> {
        match self.reparse_bytes() {
            Some(b) => Some(crate::reparse::decode(b)),
            None => self
                .interix_bytes()
                .and_then(crate::reparse::decode_interix),
        }
    }

    /// $STANDARD_INFORMATION's created, modified, MFT changed and accessed times
    /// (scanned with [`ScanOptions::times`]).
    pub fn times(&self) -> Option<Timestamps> {
        self.tables.si_times.get(self.index).copied()
    }
    /// The unnamed $DATA's size (scanned with [`ScanOptions::times`]).
    pub fn data_size(&self) -> Option<u64> {
        self.tables.sizes.get(self.index).copied()
    }
    /// True when an attribute could not be read: names and streams may be
    /// incomplete.
    pub fn is_damaged(&self) -> bool {
        self.entry.damaged
    }
    /// File attribute flags of $STANDARD_INFORMATION (`FILE_ATTRIBUTE_*`).
    pub fn si_attributes(&self) -> FileAttributes {
        self.entry.si_attributes
    }

    /// What its attribute list assembled, for a record that has one.
    fn assembled(&self) -> Option<&'s Assembled> {
        if self.entry.has_list {
            self.scan.assembled.get(&self.number)
        } else {
            None
        }
    }

    /// Table indices: the record's own range, or what its attribute list assembled.
    fn ids(
        &self,
        own: std::ops::Range<u32>,
        listed: impl FnOnce(&'s Assembled) -> &'s [At],
    ) -> Ids<'s> {
        match self.assembled() {
            Some(a) => Ids::Listed(listed(a).iter()),
            None => Ids::Own(self.chunk, own),
        }
    }
    /// Every $FILE_NAME of the file, in attribute (or attribute-list) order,
    /// extension records included.
    pub fn names(&self) -> impl Iterator<Item = Name<'s>> + use<'s> {
        let scan = self.scan;
        let record = self.number;
        self.ids(self.tables.names_of(self.index), |a| &a.names)
            .filter_map(move |(c, i)| {
                let tables = scan.chunk(c)?;
                Some(Name {
                    tables,
                    record,
                    entry: tables.names.get(i as usize)?,
                    index: i,
                })
            })
    }
    /// Names of the named $DATA streams, with their sizes.
    pub fn streams(&self) -> impl Iterator<Item = Stream<'s>> + 's {
        let scan = self.scan;
        self.ids(self.tables.streams_of(self.index), |a| &a.streams)
            .filter_map(move |(c, i)| {
                let tables = scan.chunk(c)?;
                Some(Stream {
                    tables,
                    entry: tables.streams.get(i as usize)?,
                })
            })
    }
    /// True when a scan reports this record (see [`Scan::records`]).
    pub fn is_reported(&self) -> bool {
        match self.entry.state {
            RecordState::Empty => false,
            RecordState::Unreadable => true,
            RecordState::Valid | RecordState::Damaged => {
                self.entry.base == 0
                    && (self.in_use()
                        || (self.scan.options.deleted
                            && (self.names().next().is_some() || self.entry.damaged)))
            }
        }
    }
    /// The scan it belongs to.
    pub fn scan(&self) -> &'s Scan {
        self.scan
    }
}

/// One $FILE_NAME of a record.
#[derive(Debug, Clone, Copy)]
pub struct Name<'s> {
    tables: &'s Tables,
    record: u64,
    entry: &'s NameEntry,
    index: u32,
}

impl<'s> Name<'s> {
    /// The record that holds the name.
    pub fn record(&self) -> u64 {
        self.record
    }
    /// The directory it is in.
    pub fn parent(&self) -> FileReference {
        FileReference::from_u64(self.entry.parent)
    }
    /// Its namespace.
    pub fn namespace(&self) -> Namespace {
        Namespace::from_u8(self.entry.namespace)
    }
    /// The reparse tag this $FILE_NAME holds, when its flags say reparse point
    /// (Windows leaves the record's copy stale; the $I30 entry is kept current).
    pub fn reparse_tag(&self) -> Option<u32> {
        self.entry.reparse
    }
    /// Created, modified, MFT changed, accessed, as this $FILE_NAME holds them
    /// (scanned with [`ScanOptions::times`]).
    pub fn times(&self) -> Option<Timestamps> {
        self.tables.name_times.get(self.index as usize).copied()
    }
    /// The name as UTF-16 units.
    pub fn units(&self) -> &'s [u16] {
        self.tables.units(self.entry.units)
    }
    /// The characters of the name (unpaired surrogates as U+FFFD), without allocating.
    pub fn chars(&self) -> impl Iterator<Item = char> + Clone + use<'s> {
        char::decode_utf16(self.units().iter().copied())
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
    }
    /// Readable form (unpaired surrogates as U+FFFD).
    pub fn to_string_lossy(&self) -> String {
        String::from_utf16_lossy(self.units())
    }
    /// True when the units are valid UTF-16.
    pub fn is_valid_unicode(&self) -> bool {
        char::decode_utf16(self.units().iter().copied()).all(|c| c.is_ok())
    }
    /// Lossless form: the UTF-16LE bytes as hex.
    pub fn to_hex(&self) -> String {
        self.units()
            .iter()
            .flat_map(|u| u.to_le_bytes())
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// One named $DATA stream of a record.
#[derive(Debug, Clone, Copy)]
pub struct Stream<'s> {
    tables: &'s Tables,
    entry: &'s StreamEntry,
}

impl<'s> Stream<'s> {
    /// The characters of the stream's name (unpaired surrogates as U+FFFD).
    pub fn chars(&self) -> impl Iterator<Item = char> + Clone + use<'s> {
        char::decode_utf16(self.tables.units(self.entry.units).iter().copied())
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
    }
    /// The stream's name, readable.
    pub fn name(&self) -> String {
        String::from_utf16_lossy(self.tables.units(self.entry.units))
    }
    /// Its data size in bytes.
    pub fn size(&self) -> u64 {
        self.entry.size
    }
}
