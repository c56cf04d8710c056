//! $ATTRIBUTE_LIST entries: where each attribute of a file lives when its
//! attributes do not fit in one record.
//!
//! Each entry is an [`AttributeListEntryHeader`], then the attribute's name.

use super::{FileReference, Utf16Name};
use crate::bytes::slice_at;
use crate::error::DamagedEntry;
use zerocopy::little_endian::{U16, U32, U64};
use zerocopy::{FromBytes, Immutable, KnownLayout, Unaligned};

/// The fixed part of an attribute list entry, read in place.
#[derive(Debug, Clone, Copy, FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct AttributeListEntryHeader {
    /// Attribute type code.
    pub type_code: U32,
    /// Length of the entry.
    pub length: U16,
    /// Name length in UTF-16 units.
    pub name_length: u8,
    /// Name offset from the entry's start.
    pub name_offset: u8,
    /// First VCN of the piece (0 for resident attributes).
    pub lowest_vcn: U64,
    /// The record that holds the attribute.
    pub reference: U64,
    /// The attribute's instance in that record.
    pub instance: U16,
}

/// Shortest entry: the fixed fields.
const ENTRY_MIN: usize = std::mem::size_of::<AttributeListEntryHeader>();

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
        let Ok((h, _)) = AttributeListEntryHeader::ref_from_prefix(b) else {
            self.pos = self.bytes.len();
            return None;
        };
        let len = h.length.get() as usize;
        let type_code = h.type_code.get();
        if type_code == 0 && len == 0 {
            self.pos = self.bytes.len();
            return None;
        }
        let name_len = h.name_length as usize * 2;
        let name_off = h.name_offset as usize;
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
                    lowest_vcn: h.lowest_vcn.get(),
                    reference: FileReference::from_u64(h.reference.get()),
                    instance: h.instance.get(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{put_u16, put_u32, put_u64};

    /// One entry: type, VCN, reference, instance, name.
    fn entry(type_code: u32, vcn: u64, reference: u64, instance: u16, name: &str) -> Vec<u8> {
        let name = crate::testing::utf16le(name);
        let len = (26 + name.len()).next_multiple_of(8);
        let mut e = vec![0u8; len];
        put_u32(&mut e, 0, type_code);
        put_u16(&mut e, 4, len as u16);
        e[6] = (name.len() / 2) as u8;
        e[7] = 26;
        put_u64(&mut e, 8, vcn);
        put_u64(&mut e, 16, reference);
        put_u16(&mut e, 24, instance);
        e[26..26 + name.len()].copy_from_slice(&name);
        e
    }

    #[test]
    fn entries_in_order() {
        let list = [
            entry(0x30, 0, 0x0001_0000_0000_0040, 3, ""),
            entry(0x80, 16, 0x0002_0000_0000_0041, 0, "ads"),
        ]
        .concat();
        let got: Vec<_> = AttributeListEntries::new(&list)
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].type_code, got[0].instance), (0x30, 3));
        assert_eq!(
            (got[0].reference.record, got[0].reference.sequence),
            (0x40, 1)
        );
        assert_eq!((got[1].lowest_vcn, got[1].offset), (16, 32));
        assert!(got[1].name.eq_str("ads"));
    }

    #[test]
    fn a_tail_of_zeros_ends_the_list() {
        let list = [entry(0x10, 0, 1, 0, ""), vec![0; 40]].concat();
        assert_eq!(AttributeListEntries::new(&list).count(), 1);
        assert_eq!(AttributeListEntries::new(&list[..20]).count(), 0);
    }

    #[test]
    fn a_damaged_entry_ends_the_list_with_its_offset() {
        let mut second = entry(0x80, 0, 1, 0, "");
        put_u16(&mut second, 4, 400); // longer than the list
        let list = [entry(0x10, 0, 1, 0, ""), second].concat();
        let got: Vec<_> = AttributeListEntries::new(&list).collect();
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].as_ref().unwrap_err(), &DamagedEntry { at: 32 });
    }
}
