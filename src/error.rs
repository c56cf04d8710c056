//! The crate's one error type.
//!
//! Every variant that comes from the image's bytes carries the byte offset (from the
//! start of the image file, not of the volume) where it arose, and the MFT record
//! number where one applies, so that a forensic user can open a hex editor there.
//!
//! Two levels of trouble are kept apart:
//! - [`Error`]: the volume cannot be used at all (not NTFS, boot sector truncated,
//!   $MFT outside the image, unreadable file). The CLI prints it on one line, exit 2.
//! - [`RecordError`]: one MFT record is damaged. The scan turns it into a
//!   [`Finding`](crate::Finding) on that record and goes on.

use std::path::PathBuf;

/// `Result` with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Why a volume or image cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The image file could not be opened or inspected.
    #[error("cannot open {path}: {source}")]
    Open {
        /// The path given.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A container file (EWF segment, VHD, VHDX, VMDK, QCOW2, split raw
    /// segment) is damaged, missing a part, or holds what is not read.
    #[error("{}: byte {offset:#x}: {message}", path.display())]
    Container {
        /// The container file concerned.
        path: PathBuf,
        /// Byte offset in that file.
        offset: u64,
        /// What is wrong.
        message: String,
    },
    /// A read from the image failed.
    #[error("byte {offset:#x}: read of {len} bytes failed: {source}")]
    Read {
        /// Image byte offset of the read.
        offset: u64,
        /// Its length.
        len: usize,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A structure lies (partly) beyond the end of the image.
    #[error("byte {offset:#x}: {what} runs past the end of the image ({size:#x} bytes)")]
    Truncated {
        /// Image byte offset where the structure starts.
        offset: u64,
        /// The image's size in bytes.
        size: u64,
        /// What was being read.
        what: &'static str,
    },
    /// No NTFS boot sector where one was expected.
    #[error("byte {offset:#x}: not an NTFS volume: {}", match found {
        Some(what) => (*what).to_owned(),
        None => format!("OEM id {oem:?}, expected \"NTFS    \""),
    })]
    NotNtfs {
        /// Image byte offset of the sector that was read.
        offset: u64,
        /// Its OEM id field, lossily decoded.
        oem: String,
        /// What it is instead, when its signature says (`image::identify`).
        found: Option<&'static str>,
    },
    /// The image is neither an NTFS volume nor a disk with an NTFS partition.
    #[error(
        "no NTFS volume found: not an NTFS boot sector at byte 0 and no NTFS partition in {table}"
    )]
    NoNtfsPartition {
        /// "no partition table", "MBR" or "GPT".
        table: &'static str,
    },
    /// Several NTFS partitions and none chosen.
    #[error("{count} NTFS partitions ({list}): choose one with --partition N")]
    AmbiguousPartition {
        /// How many NTFS partitions.
        count: usize,
        /// Their numbers.
        list: String,
    },
    /// `--partition N` names no partition.
    #[error("partition {index} does not exist (the table lists {count})")]
    NoSuchPartition {
        /// The number asked for (1-based).
        index: usize,
        /// How many there are.
        count: usize,
    },
    /// The boot sector is NTFS but a field makes no sense.
    #[error("byte {offset:#x}: boot sector: {what}")]
    BadBootSector {
        /// Image byte offset of the field.
        offset: u64,
        /// What is wrong with it.
        what: BootProblem,
    },
    /// The $MFT's own record or runs cannot be used.
    #[error("record {record}, byte {offset:#x}: $MFT unusable: {what}")]
    BadMft {
        /// The record that was being read (0 for $MFT itself).
        record: u64,
        /// Image byte offset.
        offset: u64,
        /// What is wrong.
        what: MftProblem,
    },
    /// A record asked for does not exist in the $MFT.
    #[error("record {record} is beyond the $MFT's {count} records")]
    NoSuchRecord {
        /// The record number asked for.
        record: u64,
        /// How many records the $MFT holds.
        count: u64,
    },
    /// A path asked for is not in the volume.
    #[error("no record has the path {path}")]
    NoSuchPath {
        /// The path asked for.
        path: String,
    },
    /// The expectations file is malformed.
    #[error("expectations file, line {line}, key `{key}`: {message}")]
    Expectations {
        /// 1-based line.
        line: usize,
        /// The key concerned.
        key: String,
        /// What is wrong.
        message: String,
    },
    /// A non-resident value that cannot be read.
    #[error("record {record}, byte {offset:#x}: attribute at {at:#x}: {problem}")]
    BadValue {
        /// Record number holding the attribute.
        record: u64,
        /// Image byte offset of the attribute header.
        offset: u64,
        /// Record offset of the attribute header.
        at: usize,
        /// What is wrong.
        problem: ValueProblem,
    },
    /// A stream's content cannot be read: `offset` is the byte of the content
    /// where reading failed, or the record's image offset when opening failed.
    #[error("record {record}{}: {problem}", if stream.is_empty() { String::new() } else { format!(", stream {}", crate::text::Escaped(stream)) })]
    Content {
        /// The record.
        record: u64,
        /// The stream's name (`""` for the unnamed stream).
        stream: String,
        /// Byte offset in the content, or of the record in the image.
        offset: u64,
        /// What is wrong.
        problem: ContentProblem,
    },
    /// A file or directory of the output cannot be made (`extract`).
    #[error("cannot write {}: {source}", crate::text::Escaped(&path.display().to_string()))]
    Output {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Writing the output failed (`cat`, `extract`).
    #[error("cannot write: {source}")]
    Write {
        /// Why.
        source: std::io::Error,
    },
    /// A damaged record where the caller needed it whole (e.g. `stat`).
    #[error("record {record}, byte {offset:#x}: {reason}")]
    Record {
        /// Record number.
        record: u64,
        /// Image byte offset of the damage.
        offset: u64,
        /// What is wrong.
        reason: RecordError,
    },
}

/// What is wrong with a boot sector field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BootProblem {
    /// The sector cannot be parsed at all.
    #[error("{0}")]
    Unparsable(String),
    /// Bytes per sector is not a power of two in 256..=4096.
    #[error("bytes per sector {0} is not a power of two in 256..=4096")]
    BytesPerSector(u64),
    /// Sectors per cluster is 0.
    #[error("sectors per cluster is 0")]
    NoSectorsPerCluster,
    /// The cluster size is not a power of two up to 2 MiB.
    #[error("cluster size {0} is not a power of two up to 2 MiB")]
    ClusterSize(u64),
    /// The MFT record size field gives no usable size.
    #[error("MFT record size field {0} makes no sense")]
    RecordSize(i8),
    /// Total sectors times bytes per sector overflows.
    #[error("total sectors overflows")]
    TotalSectorsOverflow,
    /// The $MFT starts beyond the volume.
    #[error("$MFT cluster {0:#x} is beyond the volume")]
    MftBeyondVolume(u64),
}

/// Why a non-resident value cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValueProblem {
    /// None of the attribute's pieces starts at VCN 0.
    #[error("no piece starts at VCN 0")]
    NoFirstPiece,
    /// A bare $MFT file holds no clusters to read.
    #[error("non-resident value: a bare $MFT holds no clusters")]
    BareMft,
    /// The value claims to be larger than the image.
    #[error("non-resident value of {0} bytes is larger than the image")]
    LargerThanImage(u64),
    /// The value is larger than the caller reads.
    #[error("non-resident value of {0} bytes is too large")]
    TooLarge(u64),
    /// A data run cannot be decoded.
    #[error("data run at {at:#x}: {what}")]
    Run {
        /// Offset of the run in the attribute.
        at: usize,
        /// What is wrong.
        what: &'static str,
    },
    /// The runs map less than the value's size.
    #[error("runs map {mapped} of {size} bytes")]
    Unmapped {
        /// Bytes mapped.
        mapped: u64,
        /// The value's size.
        size: u64,
    },
}

/// What makes the $MFT unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MftProblem {
    /// A byte of the $MFT that its runs do not map.
    #[error("$MFT byte {0:#x} is not mapped by its runs")]
    Unmapped(u64),
    /// An extension record of $MFT outside the part mapped so far.
    #[error("extension record {0} of $MFT is not mapped")]
    ExtensionUnmapped(u64),
    /// The attribute list names a piece its record does not hold.
    #[error("attribute list names VCN {vcn:#x} here but no $DATA piece is found")]
    MissingPiece {
        /// The piece's first VCN.
        vcn: u64,
    },
    /// Record 0 of a bare $MFT file is not a `FILE` record.
    #[error("record 0 signature {:?} is not FILE", String::from_utf8_lossy(.0))]
    Signature([u8; 4]),
    /// A record of $MFT is damaged.
    #[error("{0}")]
    Record(RecordError),
    /// A run of the $MFT's $DATA cannot be decoded.
    #[error("$DATA run at {at:#x}: {what}")]
    Run {
        /// Offset of the run in the attribute.
        at: usize,
        /// What is wrong.
        what: &'static str,
    },
    /// The $MFT's own attribute list is damaged.
    #[error("attribute list {0}")]
    AttributeList(DamagedEntry),
    /// No $DATA piece starts at VCN 0.
    #[error("no $DATA attribute starting at VCN 0")]
    NoFirstPiece,
    /// A sparse run in the $MFT.
    #[error("$MFT has a sparse run at VCN {0:#x}")]
    SparseRun(u64),
    /// A run outside the image.
    #[error("$MFT run at cluster {0:#x} lies outside the image")]
    RunOutside(u64),
}

/// A damaged entry in a list of entries (an attribute list, an index node): the
/// entries before it were read, none after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("entry at {at:#x} is damaged")]
pub struct DamagedEntry {
    /// Byte offset of the entry in its list or node.
    pub at: usize,
}

impl Error {
    /// The image byte offset the error is about, when it has one.
    pub fn offset(&self) -> Option<u64> {
        match self {
            Error::Read { offset, .. }
            | Error::Truncated { offset, .. }
            | Error::NotNtfs { offset, .. }
            | Error::BadBootSector { offset, .. }
            | Error::BadMft { offset, .. }
            | Error::BadValue { offset, .. }
            | Error::Record { offset, .. } => Some(*offset),
            _ => None,
        }
    }
}

/// What is wrong with one MFT record. Offsets are relative to the record's start;
/// the scan adds the record's image offset when it makes a finding of it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// The signature is neither `FILE` nor all zeros (`BAAD` is what NTFS writes
    /// into a record it found torn).
    #[error("signature {0:?} is not FILE")]
    BadSignature([u8; 4]),
    /// The update sequence array's offset or count does not fit the record.
    #[error(
        "update sequence array (offset {offset:#x}, count {count}) does not fit a {size}-byte record"
    )]
    BadUpdateSequence {
        /// `usa_offset` from the header.
        offset: u16,
        /// `usa_count` from the header.
        count: u16,
        /// The record size.
        size: usize,
    },
    /// The last two bytes of a 512-byte stride do not hold the update sequence
    /// number: the record was torn while being written.
    #[error(
        "fixup mismatch in stride {stride} (bytes {at:#x}..): found {found:#06x}, expected {expected:#06x}"
    )]
    FixupMismatch {
        /// Which 512-byte stride (0-based).
        stride: usize,
        /// Record offset of the two bytes.
        at: usize,
        /// What they held.
        found: u16,
        /// The update sequence number.
        expected: u16,
    },
    /// A header field points outside the record.
    #[error("header field {field} = {value:#x} is outside the {size}-byte record")]
    BadHeader {
        /// The field's name.
        field: &'static str,
        /// Its value.
        value: u32,
        /// The record size.
        size: usize,
    },
    /// An attribute header or value does not fit where it must.
    #[error("attribute at {at:#x}: {what}")]
    BadAttribute {
        /// Record offset of the attribute header.
        at: usize,
        /// What is wrong.
        what: &'static str,
    },
}

impl RecordError {
    /// Offset inside the record where the damage is.
    pub fn record_offset(&self) -> usize {
        match self {
            RecordError::BadSignature(_) => 0,
            RecordError::BadUpdateSequence { .. } => 4,
            RecordError::FixupMismatch { at, .. } => *at,
            RecordError::BadHeader { .. } => 0,
            RecordError::BadAttribute { at, .. } => *at,
        }
    }
}

/// Why a stream's content cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ContentProblem {
    /// The record has no such stream.
    #[error("no such stream (the record has: {streams})")]
    NoSuchStream {
        /// The streams it has.
        streams: String,
    },
    /// The record is an extension record.
    #[error("an extension record of record {base}: read the base record")]
    Extension {
        /// The base record.
        base: u64,
    },
    /// EFS-encrypted: the clusters hold ciphertext.
    #[error("EFS-encrypted: the clusters hold ciphertext, which is not decrypted")]
    Encrypted,
    /// A bare $MFT holds no clusters.
    #[error("the content is non-resident: a bare $MFT holds no clusters")]
    BareMft,
    /// No piece of the stream starts at VCN 0.
    #[error("no piece of the stream starts at VCN 0")]
    NoFirstPiece,
    /// A data run cannot be decoded.
    #[error("data run at {at:#x}: {what}")]
    Run {
        /// Offset of the run in its list.
        at: usize,
        /// What is wrong.
        what: &'static str,
    },
    /// The runs leave a gap.
    #[error("the data runs map nothing at VCN {vcn}")]
    RunGap {
        /// The first unmapped VCN.
        vcn: u64,
    },
    /// A byte of the content is mapped by no run.
    #[error("byte {at:#x} of the content is mapped by no data run")]
    Unmapped {
        /// Byte offset in the content.
        at: u64,
    },
    /// Too large to read into memory.
    #[error("{size} bytes: too large to read whole")]
    TooLarge {
        /// The content's size.
        size: u64,
    },
    /// A compression unit size NTFS does not use.
    #[error("compression unit of 2^{unit} clusters of {cluster_size} bytes is not supported")]
    CompressionUnit {
        /// Log2 of clusters per unit.
        unit: u16,
        /// Cluster size.
        cluster_size: u64,
    },
    /// A compression unit whose clusters are neither all on disk, all sparse,
    /// nor on disk then sparse.
    #[error("compression unit {unit}: its clusters are laid out as no compressor writes them")]
    UnitLayout {
        /// The unit number.
        unit: u64,
    },
    /// Compressed data that does not decompress.
    #[error("{what} at byte {at:#x} of the compressed data: {reason}")]
    Codec {
        /// LZNT1, XPRESS or LZX.
        what: &'static str,
        /// Byte offset of the unit or chunk in the compressed data.
        at: u64,
        /// The decoder's reason.
        reason: String,
    },
    /// A WOF buffer that cannot be used.
    #[error("WOF reparse buffer cannot be decoded")]
    WofBuffer,
    /// An unknown WOF algorithm.
    #[error("WOF compression algorithm {algorithm} is not known")]
    WofAlgorithm {
        /// The algorithm number.
        algorithm: u32,
    },
    /// WIM-backed WOF: the data is in a WIM file outside the volume.
    #[error("WOF with the WIM provider: the content is in a WIM file outside this volume")]
    WofWim,
    /// A WOF file without its data stream.
    #[error("WOF-compressed, but the record has no WofCompressedData stream")]
    WofWithoutData,
    /// A WOF data stream that is itself compressed.
    #[error("WofCompressedData is itself compressed")]
    WofDataCompressed,
    /// A WOF chunk table that cannot be right.
    #[error("WOF chunk table: {what}")]
    WofTable {
        /// What is wrong.
        what: &'static str,
    },
}
