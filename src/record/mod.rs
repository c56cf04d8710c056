//! MFT file records: fixups, the zero-copy record view, attribute headers, data
//! runs and attribute lists.
//!
//! A record is read into a buffer (fixups rewrite it), then viewed in place: a
//! [`RecordView`] checks the header once, and its accessors cannot fail after that.
//! The header's layout is [`RecordHeader`], defined once and read in place.

mod attribute;
mod attribute_list;
mod fixup;
mod runs;
pub mod well_known;

pub use attribute::{Attribute, AttributeType, Attributes, Utf16Name};
pub use attribute_list::{AttributeListEntries, AttributeListEntry};
pub use fixup::{MultiSectorHeader, STRIDE, apply_fixups};
pub use runs::{DataRun, DataRuns};

use crate::error::RecordError;
use serde::Serialize;
use zerocopy::little_endian::{U16, U32, U64};
use zerocopy::{FromBytes, Immutable, KnownLayout, Unaligned};

bitflags::bitflags! {
    /// The flags of a record header.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct RecordFlags: u16 {
        /// The record is in use.
        const IN_USE = 0x0001;
        /// The record is a directory (it has a $I30 index).
        const DIRECTORY = 0x0002;
        /// The record is in $Extend.
        const EXTEND = 0x0004;
        /// The record has a view index other than $I30.
        const VIEW_INDEX = 0x0008;
        // Other bits are kept as they are.
        const _ = !0;
    }
}

/// The header of an MFT record (NTFS 3.1), read in place: the one definition of
/// its field offsets.
#[derive(Debug, Clone, Copy, FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct RecordHeader {
    /// `FILE` (`BAAD` in a record NTFS found torn) and the update sequence array.
    pub multi_sector: MultiSectorHeader,
    /// $LogFile sequence number.
    pub lsn: U64,
    /// Sequence number (incremented each time the record is reused).
    pub sequence: U16,
    /// Hard-link count.
    pub link_count: U16,
    /// Offset of the first attribute.
    pub first_attribute: U16,
    /// Flags: 1 in use, 2 directory (has $I30), 4 in $Extend, 8 view index.
    pub flags: U16,
    /// Bytes used.
    pub bytes_used: U32,
    /// Bytes allocated (the record size).
    pub bytes_allocated: U32,
    /// Base record reference (0 for a base record).
    pub base: U64,
    /// Next attribute instance.
    pub next_instance: U16,
    /// Alignment (NTFS 3.1).
    pub padding: U16,
    /// This record's number (NTFS 3.1 only).
    pub record_number: U32,
}

impl RecordHeader {
    /// The header at the start of `bytes`, if they are long enough.
    pub fn of(bytes: &[u8]) -> Option<&RecordHeader> {
        crate::bytes::view_at(bytes, 0)
    }
}

/// The least `bytes_used` and first-attribute offset a record may have: its
/// header through the next attribute instance (NTFS 3.0 puts its update sequence
/// array right after). The buffer itself holds a whole [`RecordHeader`].
const HEADER_LEN: usize = std::mem::offset_of!(RecordHeader, padding);
/// Where NTFS 3.1 puts the update sequence array (after the record number).
const USA_OFFSET_V31: u16 = std::mem::size_of::<RecordHeader>() as u16;

/// A reference to an MFT record: 48-bit record number and 16-bit sequence number.
/// The sequence number tells a live reference from one to a record since reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub struct FileReference {
    /// The record number (index in the $MFT).
    pub record: u64,
    /// The sequence number the record had when the reference was made.
    pub sequence: u16,
}

impl FileReference {
    /// Splits the on-disk 64-bit form.
    pub fn from_u64(v: u64) -> FileReference {
        FileReference {
            record: v & 0xFFFF_FFFF_FFFF,
            sequence: (v >> 48) as u16,
        }
    }

    /// The on-disk 64-bit form.
    pub fn to_u64(self) -> u64 {
        (self.record & 0xFFFF_FFFF_FFFF) | (self.sequence as u64) << 48
    }
}

/// What the first four bytes of a record say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signature {
    /// `FILE`: a record.
    File,
    /// All zeros: a slot never written.
    Empty,
    /// Anything else (`BAAD` included).
    Other([u8; 4]),
}

/// Reads the signature of a record buffer.
pub fn signature(buf: &[u8]) -> Signature {
    match buf.get(0..4) {
        Some(b"FILE") => Signature::File,
        Some(&[0, 0, 0, 0]) | None => Signature::Empty,
        Some(s) => Signature::Other(crate::bytes::first4(s)),
    }
}

/// A zero-copy view of one MFT record whose fixups have been applied.
#[derive(Debug, Clone, Copy)]
pub struct RecordView<'a> {
    data: &'a [u8],
    header: &'a RecordHeader,
    used: usize,
}

impl<'a> RecordView<'a> {
    /// Checks the header of `data` (a whole record, fixups applied).
    pub fn new(data: &'a [u8]) -> Result<RecordView<'a>, RecordError> {
        if signature(data) != Signature::File {
            let s = crate::bytes::first4(data);
            return Err(RecordError::BadSignature(s));
        }
        let size = data.len();
        let Some(header) = RecordHeader::of(data) else {
            return Err(RecordError::BadHeader {
                field: "size",
                value: size as u32,
                size,
            });
        };
        let first = header.first_attribute.get() as usize;
        let used = header.bytes_used.get() as usize;
        if used > size || used < HEADER_LEN {
            return Err(RecordError::BadHeader {
                field: "bytes_used",
                value: used as u32,
                size,
            });
        }
        if first < HEADER_LEN || first + 4 > used {
            return Err(RecordError::BadHeader {
                field: "first_attribute_offset",
                value: first as u32,
                size,
            });
        }
        Ok(RecordView { data, header, used })
    }

    /// The whole record's bytes.
    pub fn bytes(&self) -> &'a [u8] {
        self.data
    }
    /// The header.
    pub fn header(&self) -> &'a RecordHeader {
        self.header
    }
    /// $LogFile sequence number.
    pub fn lsn(&self) -> u64 {
        self.header.lsn.get()
    }
    /// Sequence number.
    pub fn sequence(&self) -> u16 {
        self.header.sequence.get()
    }
    /// Hard link count from the header.
    pub fn link_count(&self) -> u16 {
        self.header.link_count.get()
    }
    /// Offset of the first attribute.
    pub fn first_attribute_offset(&self) -> usize {
        self.header.first_attribute.get() as usize
    }
    /// Header flags.
    pub fn flags(&self) -> RecordFlags {
        RecordFlags::from_bits_retain(self.header.flags.get())
    }
    /// Flag 1: in use.
    pub fn is_in_use(&self) -> bool {
        self.flags().contains(RecordFlags::IN_USE)
    }
    /// Flag 2: a directory.
    pub fn is_dir(&self) -> bool {
        self.flags().contains(RecordFlags::DIRECTORY)
    }
    /// Bytes used.
    pub fn bytes_used(&self) -> usize {
        self.used
    }
    /// Bytes allocated, as the header says.
    pub fn bytes_allocated(&self) -> u32 {
        self.header.bytes_allocated.get()
    }
    /// Base record reference: `None` for a base record, the base for an extension.
    pub fn base_reference(&self) -> Option<FileReference> {
        let v = self.header.base.get();
        (v != 0).then(|| FileReference::from_u64(v))
    }
    /// Next attribute instance.
    pub fn next_attribute_instance(&self) -> u16 {
        self.header.next_instance.get()
    }
    /// The record number stored in the header (NTFS 3.1 records, whose update
    /// sequence array starts after it).
    pub fn stored_record_number(&self) -> Option<u32> {
        (self.header.multi_sector.usa_offset.get() == USA_OFFSET_V31)
            .then(|| self.header.record_number.get())
    }
    /// The attributes, in record order, up to the end marker.
    pub fn attributes(&self) -> Attributes<'a> {
        Attributes::new(
            self.data.get(..self.used).unwrap_or(self.data),
            self.first_attribute_offset(),
        )
    }

    /// The attributes up to the end marker within the whole record, past
    /// `bytes_used` (a record not in use may say it uses fewer bytes than its
    /// attributes take: what Windows left there is still well formed).
    pub fn attributes_to_allocated(&self) -> Attributes<'a> {
        Attributes::new(self.data, self.first_attribute_offset())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Attr, RecordBuilder, file_name};

    fn parent() -> FileReference {
        FileReference {
            record: 5,
            sequence: 5,
        }
    }

    #[test]
    fn a_view_reads_the_header_and_attributes() {
        let mut b = RecordBuilder::new(1024).attr(Attr::resident(
            AttributeType::FILE_NAME,
            file_name(parent(), "a.txt", 1),
        ));
        b.sequence = 7;
        b.link_count = 2;
        b.flags = RecordFlags::IN_USE | RecordFlags::DIRECTORY;
        b.number = 66;
        let bytes = b.build();
        let view = RecordView::new(&bytes).unwrap();
        assert_eq!((view.sequence(), view.link_count()), (7, 2));
        assert!(view.is_in_use() && view.is_dir());
        assert_eq!(view.base_reference(), None);
        assert_eq!(view.stored_record_number(), Some(66));
        assert_eq!(view.first_attribute_offset(), b.first_attribute());
        assert_eq!(view.bytes_allocated(), 1024);
        let attrs: Vec<_> = view.attributes().collect::<Result<_, _>>().unwrap();
        assert_eq!(attrs.len(), 1);
        assert_eq!(attrs[0].type_code(), AttributeType::FILE_NAME);
    }

    #[test]
    fn on_disk_bytes_need_their_fixups() {
        let b = RecordBuilder::new(4096);
        let mut disk = b.build_on_disk();
        assert_ne!(disk, b.build());
        apply_fixups(&mut disk).unwrap();
        assert_eq!(disk, b.build());
    }

    #[test]
    fn a_truncated_record_is_refused() {
        let bytes = RecordBuilder::new(1024).build();
        assert!(matches!(
            RecordView::new(&bytes[..40]),
            Err(RecordError::BadHeader { field: "size", .. })
        ));
    }

    #[test]
    fn header_fields_outside_the_record_are_refused() {
        let mut bytes = RecordBuilder::new(1024).build();
        bytes[24..28].copy_from_slice(&2000u32.to_le_bytes());
        assert!(matches!(
            RecordView::new(&bytes),
            Err(RecordError::BadHeader {
                field: "bytes_used",
                value: 2000,
                ..
            })
        ));
        let mut bytes = RecordBuilder::new(1024).build();
        bytes[20..22].copy_from_slice(&8u16.to_le_bytes());
        assert!(matches!(
            RecordView::new(&bytes),
            Err(RecordError::BadHeader {
                field: "first_attribute_offset",
                ..
            })
        ));
        let mut bytes = RecordBuilder::new(1024).build();
        bytes[0..4].copy_from_slice(b"BAAD");
        assert_eq!(
            RecordView::new(&bytes).unwrap_err(),
            RecordError::BadSignature(*b"BAAD")
        );
    }

    #[test]
    fn file_references_split_and_join() {
        let r = FileReference::from_u64(0x0003_0000_0000_0042);
        assert_eq!((r.record, r.sequence), (0x42, 3));
        assert_eq!(r.to_u64(), 0x0003_0000_0000_0042);
    }
}
