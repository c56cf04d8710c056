//! $ATTRIBUTE_LIST entries: where each attribute of a file lives when its
//! attributes do not fit in one record.
//!
//! Entry layout: type (4), entry length (2), name length in units (1), name offset
//! (1), lowest VCN (8), record reference (8), instance (2), name.

use super::{FileReference, Utf16Name};
use crate::bytes::{slice_at, u8_at, u16_at, u32_at, u64_at};
use crate::error::DamagedEntry;

/// Shortest entry: the fixed fields.
const ENTRY_MIN: usize = 26;

/// One entry of an attribute list.
#[derive(Debug, Clone, Copy)]
pub struct AttributeListEntry<'a> {
    /// Attribute type code.
    pub type_code: u32,
    /// First VCN of the piece (0 for resident attributes).
    pub lowest_vcn: u64,
    /// The record that holds the attribute.
    pub reference: FileReference,
    /// The attribute's instance number in that record.
    pub instance: u16,
    /// The attribute's name.
    pub name: Utf16Name<'a>,
    /// Offset of the entry in the list's value.
    pub offset: usize,
}

/// Iterator over attribute list entries; yields a [`DamagedEntry`] once on a bad
/// entry, and ends.
#[derive(Debug, Clone)]
pub struct AttributeListEntries<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> AttributeListEntries<'a> {
    /// Entries of the list value `bytes`.
    pub fn new(bytes: &'a [u8]) -> AttributeListEntries<'a> {
        AttributeListEntries { bytes, pos: 0 }
    }
}

impl<'a> Iterator for AttributeListEntries<'a> {
    type Item = Result<AttributeListEntry<'a>, DamagedEntry>;
    fn next(&mut self) -> Option<Self::Item> {
        let at = self.pos;
        if at + ENTRY_MIN > self.bytes.len() {
            // Lists may end with padding; a tail of zeros or nothing ends them.
            return None;
        }
        let b = self.bytes.get(at..).unwrap_or_default();
        let len = u16_at(b, 4).unwrap_or(0) as usize;
        let type_code = u32_at(b, 0).unwrap_or(0);
        if type_code == 0 && len == 0 {
            self.pos = self.bytes.len();
            return None;
        }
        let name_len = u8_at(b, 6).unwrap_or(0) as usize * 2;
        let name_off = u8_at(b, 7).unwrap_or(0) as usize;
        let name = if name_len == 0 {
            Some(&[][..])
        } else {
            slice_at(b, name_off, name_len)
        };
        match name {
            Some(name)
                if len >= ENTRY_MIN
                    && len <= b.len()
                    && (name_len == 0 || name_off + name_len <= len) =>
            {
                self.pos = at + len;
                Some(Ok(AttributeListEntry {
                    type_code,
                    lowest_vcn: u64_at(b, 8).unwrap_or(0),
                    reference: FileReference::from_u64(u64_at(b, 16).unwrap_or(0)),
                    instance: u16_at(b, 24).unwrap_or(0),
                    name: Utf16Name(name),
                    offset: at,
                }))
            }
            _ => {
                self.pos = self.bytes.len();
                Some(Err(DamagedEntry { at }))
            }
        }
    }
}
