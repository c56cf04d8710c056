//! One reader for every index of a file: the $I30 of a directory, the $R of
//! `$Extend\$Reparse`.
//!
//! An index is an $INDEX_ROOT (resident, in the base record or an extension
//! record), and when it outgrows the record an $INDEX_ALLOCATION of INDX blocks
//! (possibly in pieces over several extension records) with a $BITMAP saying which
//! blocks are in use. All three carry the index's name. The reader finds them in
//! the base record and in every extension record its $ATTRIBUTE_LIST names, reads
//! the allocation in one piece, and hands each node to the caller: the root first,
//! then each in-use block, fixups applied.
//!
//! One policy for damage: a block the bitmap marks in use must be an INDX block
//! whose fixups hold; if one is not, the whole index is unreadable (its other
//! entries cannot be trusted to be complete), and the caller gets an
//! [`IndexError`] that says where. Blocks not in use are never read: they hold
//! stale entries.

use crate::attribute::index::{BLOCK_NODE_HEADER, IndexRoot, ROOT_HEADER};
use crate::error::{Error, RecordError};
use crate::record::{Attribute, AttributeType, apply_fixups};
use crate::volume::{OwnedRecord, Volume};

/// Most extension records followed for one file's index attributes.
const MAX_EXTENSIONS: usize = 512;
/// INDX block sizes NTFS uses: a power of two from one sector to 64 KiB.
const BLOCK_SIZES: std::ops::RangeInclusive<usize> = 512..=65536;

/// One node of an index: the root's value or one INDX block.
#[derive(Debug, Clone, Copy)]
pub struct Node<'a> {
    /// The node's bytes (fixups applied for a block).
    pub bytes: &'a [u8],
    /// Where the node header starts in `bytes`.
    pub header: usize,
    /// `None` for the root, else the block's number in the allocation.
    pub block: Option<u64>,
}

/// Why an index cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IndexError {
    /// A record holding the index cannot be read.
    #[error("{0}")]
    Read(#[from] Error),
    /// A record holding the index is damaged.
    #[error("record {record}: {reason}")]
    Record {
        /// The record.
        record: u64,
        /// Image byte offset of the record.
        offset: Option<u64>,
        /// What is wrong with it.
        reason: RecordError,
    },
    /// No $INDEX_ROOT with the index's name.
    #[error("no $INDEX_ROOT named {name}")]
    NoRoot {
        /// The index's name.
        name: String,
    },
    /// The $INDEX_ROOT is not resident, or too short for its header.
    #[error("$INDEX_ROOT {what}")]
    BadRoot {
        /// "is not resident" or "too short".
        what: &'static str,
    },
    /// The root's block size is not one NTFS uses.
    #[error("index block size {size} makes no sense")]
    BadBlockSize {
        /// The block size the root gives.
        size: u32,
    },
    /// An $INDEX_ALLOCATION without a $BITMAP of the same name.
    #[error("no $BITMAP named {name}")]
    NoBitmap {
        /// The index's name.
        name: String,
    },
    /// A block the bitmap marks in use has no `INDX` signature.
    #[error("index block {block} (allocation byte {at:#x}) has no INDX signature")]
    BlockSignature {
        /// Block number.
        block: u64,
        /// Byte offset in the allocation.
        at: u64,
    },
    /// A block's fixups do not hold.
    #[error("index block {block} (allocation byte {at:#x}): {reason}")]
    BlockFixup {
        /// Block number.
        block: u64,
        /// Byte offset in the allocation.
        at: u64,
        /// What is wrong.
        reason: RecordError,
    },
    /// An entry of a node is damaged.
    #[error("{} entry at {at:#x} is damaged", .block.map_or("$INDEX_ROOT".to_owned(), |b| format!("index block {b}:")))]
    Entry {
        /// `None` for the root, else the block number.
        block: Option<u64>,
        /// Byte offset of the entry in its node.
        at: usize,
    },
}

impl IndexError {
    /// The image byte offset the error is about, when it has one.
    pub fn offset(&self) -> Option<u64> {
        match self {
            IndexError::Read(e) => e.offset(),
            IndexError::Record { offset, .. } => *offset,
            _ => None,
        }
    }
}

/// The base record `n` and the extension records its attribute list names for
/// index attributes.
fn records_of(volume: &Volume, n: u64) -> Result<Vec<OwnedRecord>, IndexError> {
    let index_attribute = |code: u32| {
        matches!(
            code,
            AttributeType::INDEX_ROOT | AttributeType::INDEX_ALLOCATION | AttributeType::BITMAP
        )
    };
    volume
        .read_with_extensions(n, index_attribute, MAX_EXTENSIONS)
        .map_err(|e| match e {
            Error::Record {
                record,
                offset,
                reason,
            } => IndexError::Record {
                record,
                offset: Some(offset),
                reason,
            },
            e => IndexError::Read(e),
        })
}

/// Reads the index `name` of record `record`: calls `visit` with the root, then
/// with every in-use INDX block, in block order. An allocation larger than
/// `max_allocation` bytes is an error.
pub fn read(
    volume: &Volume,
    record: u64,
    name: &str,
    max_allocation: u64,
    visit: &mut dyn FnMut(Node<'_>) -> Result<(), IndexError>,
) -> Result<(), IndexError> {
    let records = records_of(volume, record)?;
    let named = |a: &Attribute<'_>| a.name().eq_str(name);
    let attributes: Vec<(u64, Attribute<'_>)> = records
        .iter()
        .flat_map(|r| r.attributes().map(move |a| (r.number, a)))
        .filter(|(_, a)| named(a))
        .collect();
    let find = |code: u32| attributes.iter().find(|(_, a)| a.type_code() == code);
    let (_, root) = find(AttributeType::INDEX_ROOT).ok_or_else(|| IndexError::NoRoot {
        name: name.to_owned(),
    })?;
    let root = root.value().ok_or(IndexError::BadRoot {
        what: "is not resident",
    })?;
    let block_size = IndexRoot::parse(root)
        .ok_or(IndexError::BadRoot { what: "too short" })?
        .block_size;
    visit(Node {
        bytes: root,
        header: ROOT_HEADER,
        block: None,
    })?;
    let pieces: Vec<(u64, Attribute<'_>)> = attributes
        .iter()
        .filter(|(_, a)| a.type_code() == AttributeType::INDEX_ALLOCATION)
        .copied()
        .collect();
    if pieces.is_empty() {
        return Ok(());
    }
    let size = block_size as usize;
    if !BLOCK_SIZES.contains(&size) || !size.is_power_of_two() {
        return Err(IndexError::BadBlockSize { size: block_size });
    }
    let data = volume.attribute_pieces_value(&pieces, max_allocation)?;
    let (bitmap_record, bitmap) =
        find(AttributeType::BITMAP).ok_or_else(|| IndexError::NoBitmap {
            name: name.to_owned(),
        })?;
    let bitmap = volume.attribute_value(bitmap, *bitmap_record)?;
    let mut block = vec![0u8; size];
    for (i, chunk) in data.chunks_exact(size).enumerate() {
        if bitmap.get(i / 8).is_none_or(|b| b & (1 << (i % 8)) == 0) {
            continue;
        }
        let (number, at) = (i as u64, (i * size) as u64);
        if chunk.get(0..4) != Some(b"INDX") {
            return Err(IndexError::BlockSignature { block: number, at });
        }
        block.copy_from_slice(chunk);
        apply_fixups(&mut block).map_err(|reason| IndexError::BlockFixup {
            block: number,
            at,
            reason,
        })?;
        visit(Node {
            bytes: &block,
            header: BLOCK_NODE_HEADER,
            block: Some(number),
        })?;
    }
    Ok(())
}

/// The entries of a node; the first damaged one is an error.
pub fn entries<'a>(
    node: &Node<'a>,
) -> impl Iterator<Item = Result<crate::attribute::index::IndexEntry<'a>, IndexError>> + 'a {
    let block = node.block;
    crate::attribute::index::entries(node.bytes, node.header)
        .map(move |e| e.map_err(|e| IndexError::Entry { block, at: e.at }))
}
