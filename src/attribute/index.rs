//! Index nodes: the entries of an $INDEX_ROOT value and of the INDX blocks of an
//! $INDEX_ALLOCATION.
//!
//! $INDEX_ROOT value: indexed attribute type (4), collation rule (4), index block
//! size (4), clusters per block (1), padding (3), then a node header.
//! INDX block: `INDX`, update sequence offset and count, LSN (8), VCN (8), then a
//! node header at 24 (the block has fixups, like a record).
//! Node header: entries offset (4) and end of entries (4), both from the header's
//! start, allocated size (4), flags (1; 1 = has child nodes).
//! Entry: file reference (8), or for view indexes data offset (2) and length (2);
//! entry length (2), key length (2), flags (2; 1 = has a child node, 2 = last
//! entry, which holds no key), padding (2), key.

use crate::bytes::{slice_at, view_at};
use crate::error::DamagedEntry;
use std::mem::size_of;
use zerocopy::little_endian::{U16, U32, U64};
use zerocopy::{FromBytes, Immutable, KnownLayout, Unaligned};

/// The fixed part of an $INDEX_ROOT value, before its node header.
#[derive(Debug, Clone, Copy, FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct IndexRootHeader {
    /// Type of the indexed attribute (0x30 for $I30, 0 for view indexes).
    pub attribute_type: U32,
    /// Collation rule.
    pub collation: U32,
    /// Bytes per INDX block.
    pub block_size: U32,
    /// Clusters per INDX block.
    pub clusters_per_block: u8,
    /// Padding.
    pub padding: [u8; 3],
}

/// The header of an INDX block, before its node header (the block has fixups,
/// like a record).
#[derive(Debug, Clone, Copy, FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct IndexBlockHeader {
    /// `INDX` and the update sequence array.
    pub multi_sector: crate::record::MultiSectorHeader,
    /// $LogFile sequence number.
    pub lsn: U64,
    /// This block's VCN.
    pub vcn: U64,
}

/// A node header: where the entries are.
#[derive(Debug, Clone, Copy, FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct NodeHeader {
    /// Offset of the first entry, from the node header's start.
    pub entries_offset: U32,
    /// End of the entries (bytes used), from the node header's start.
    pub entries_end: U32,
    /// Bytes allocated to the node, from the node header's start.
    pub allocated: U32,
    /// 1: the node has child nodes.
    pub flags: u8,
    /// Padding.
    pub padding: [u8; 3],
}

/// An index entry's header; the key follows.
#[derive(Debug, Clone, Copy, FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct EntryHeader {
    /// A file reference ($I30), or data offset and length (view indexes).
    pub reference: U64,
    /// Length of the entry.
    pub length: U16,
    /// Length of the key.
    pub key_length: U16,
    /// Flags: 1 has a child node, 2 last entry (no key).
    pub flags: U16,
    /// Padding.
    pub padding: U16,
}

/// Where an $INDEX_ROOT value's node header starts.
pub const ROOT_HEADER: usize = size_of::<IndexRootHeader>();
/// Where an INDX block's node header starts.
pub const BLOCK_NODE_HEADER: usize = size_of::<IndexBlockHeader>();
/// The size of an entry's header.
pub const ENTRY_HEADER: usize = size_of::<EntryHeader>();
/// Entry flag: the last entry of a node.
const ENTRY_LAST: u16 = 2;

/// The fixed part of an $INDEX_ROOT value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexRoot {
    /// Type of the indexed attribute (0x30 for $I30, 0 for view indexes).
    pub attribute_type: u32,
    /// Collation rule.
    pub collation: u32,
    /// Bytes per INDX block.
    pub block_size: u32,
}

impl IndexRoot {
    /// Reads the fixed part of an $INDEX_ROOT value.
    pub fn parse(value: &[u8]) -> Option<IndexRoot> {
        let h: &IndexRootHeader = view_at(value, 0)?;
        Some(IndexRoot {
            attribute_type: h.attribute_type.get(),
            collation: h.collation.get(),
            block_size: h.block_size.get(),
        })
    }
}

/// The node header at `header` of `buf`.
pub fn node_header(buf: &[u8], header: usize) -> Option<&NodeHeader> {
    view_at(buf, header)
}

/// The entry header at `at` of `buf`.
pub fn entry_header(buf: &[u8], at: usize) -> Option<&EntryHeader> {
    view_at(buf, at)
}

/// One index entry, borrowed from its node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexEntry<'a> {
    /// The first 8 bytes: a file reference ($I30) or data offset and length.
    pub reference: u64,
    /// The key.
    pub key: &'a [u8],
    /// Entry flags.
    pub flags: u16,
}

/// Iterates the entries of the node whose header is at `header` in `buf`; yields
/// a [`DamagedEntry`] once at a damaged entry, and ends.
pub fn entries(
    buf: &[u8],
    header: usize,
) -> impl Iterator<Item = Result<IndexEntry<'_>, DamagedEntry>> {
    let node = node_header(buf, header);
    let mut pos = node.map_or(usize::MAX, |n| header + n.entries_offset.get() as usize);
    let end = node.map_or(0, |n| {
        (header + n.entries_end.get() as usize).min(buf.len())
    });
    let mut done = false;
    std::iter::from_fn(move || {
        if done || pos >= end {
            return None;
        }
        let at = pos;
        let entry = (|| {
            let h = entry_header(buf, at)?;
            let (len, key_len) = (h.length.get() as usize, h.key_length.get() as usize);
            let flags = h.flags.get();
            let last = flags & ENTRY_LAST != 0;
            if len < ENTRY_HEADER || at + len > end || (!last && ENTRY_HEADER + key_len > len) {
                return None;
            }
            let key = if last {
                &[][..]
            } else {
                slice_at(buf, at + ENTRY_HEADER, key_len)?
            };
            Some((
                IndexEntry {
                    reference: h.reference.get(),
                    key,
                    flags,
                },
                len,
            ))
        })();
        match entry {
            Some((e, _)) if e.flags & ENTRY_LAST != 0 => {
                done = true;
                None
            }
            Some((e, len)) => {
                pos = at + len;
                Some(Ok(e))
            }
            None => {
                done = true;
                Some(Err(DamagedEntry { at }))
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(entries_: &[(&[u8], u16)]) -> Vec<u8> {
        let mut b = vec![0u8; 16];
        for (key, flags) in entries_ {
            let len = (16 + key.len()).next_multiple_of(8);
            let mut e = vec![0u8; len];
            e[8..10].copy_from_slice(&(len as u16).to_le_bytes());
            e[10..12].copy_from_slice(&(key.len() as u16).to_le_bytes());
            e[12..14].copy_from_slice(&flags.to_le_bytes());
            e[16..16 + key.len()].copy_from_slice(key);
            b.extend(e);
        }
        let total = b.len() as u32;
        b[0..4].copy_from_slice(&16u32.to_le_bytes());
        b[4..8].copy_from_slice(&total.to_le_bytes());
        b
    }

    #[test]
    fn walks_to_the_last_entry() {
        let b = node(&[(b"abcd", 0), (b"efgh", 0), (b"", 2), (b"zzzz", 0)]);
        let keys: Vec<_> = entries(&b, 0).map(|e| e.unwrap().key).collect();
        assert_eq!(keys, [b"abcd", b"efgh"]);
    }

    #[test]
    fn damaged_entries_stop_the_walk() {
        let mut b = node(&[(b"abcd", 0), (b"efgh", 0)]);
        b[16 + 24 + 8] = 0; // second entry's length
        let got: Vec<_> = entries(&b, 0).collect();
        assert!(got[0].is_ok() && got[1] == Err(DamagedEntry { at: 40 }) && got.len() == 2);
        assert_eq!(entries(&[0u8; 4], 0).count(), 0);
    }
}
