//! $STANDARD_INFORMATION (0x10): timestamps and file attribute flags.
//!
//! The value is a [`StandardInformationHeader`] (NTFS 1.2, 48 bytes); NTFS 3.x
//! goes on with a [`StandardInformationV3`] (owner, security, quota, USN).

use super::{TimesLe, Timestamps};
use zerocopy::little_endian::{U32, U64};
use zerocopy::{FromBytes, Immutable, KnownLayout, Unaligned};

/// The part of a $STANDARD_INFORMATION value every NTFS version has.
#[derive(Debug, Clone, Copy, FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct StandardInformationHeader {
    /// Created, modified, MFT changed, accessed.
    pub times: TimesLe,
    /// `FILE_ATTRIBUTE_*` flags.
    pub file_attributes: U32,
    /// Maximum number of versions.
    pub max_versions: U32,
    /// Version number.
    pub version: U32,
    /// Class id.
    pub class_id: U32,
}

/// What NTFS 3.x adds after the header.
#[derive(Debug, Clone, Copy, FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct StandardInformationV3 {
    /// Owner id (quotas).
    pub owner_id: U32,
    /// Security id (index in $Secure).
    pub security_id: U32,
    /// Quota charged.
    pub quota_charged: U64,
    /// Update sequence number in $UsnJrnl.
    pub usn: U64,
}

/// A view of a $STANDARD_INFORMATION value.
#[derive(Debug, Clone, Copy)]
pub struct StandardInformation<'a> {
    header: &'a StandardInformationHeader,
    v3: Option<&'a StandardInformationV3>,
}

impl<'a> StandardInformation<'a> {
    /// Views `value`; `None` when shorter than the 48 bytes of NTFS 1.2.
    pub fn new(value: &'a [u8]) -> Option<StandardInformation<'a>> {
        let (header, rest) = StandardInformationHeader::ref_from_prefix(value).ok()?;
        let v3 = StandardInformationV3::ref_from_prefix(rest)
            .ok()
            .map(|(v, _)| v);
        Some(StandardInformation { header, v3 })
    }
    /// Created, modified, MFT changed, accessed.
    pub fn times(&self) -> Timestamps {
        self.header.times.get()
    }
    /// File attribute flags.
    pub fn file_attributes(&self) -> FileAttributes {
        FileAttributes::from_bits_retain(self.header.file_attributes.get())
    }
    /// The NTFS 3.x fields, when the value has them.
    pub fn v3(&self) -> Option<&'a StandardInformationV3> {
        self.v3
    }
    /// Security id (NTFS 3.x).
    pub fn security_id(&self) -> Option<u32> {
        self.v3.map(|v| v.security_id.get())
    }
}

bitflags::bitflags! {
    /// `FILE_ATTRIBUTE_*` flags (MS-FSCC 2.6), as $STANDARD_INFORMATION and
    /// $FILE_NAME hold them; their names are the constants' names.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct FileAttributes: u32 {
        /// Read-only.
        const READONLY = 0x1;
        /// Hidden.
        const HIDDEN = 0x2;
        /// System.
        const SYSTEM = 0x4;
        /// A directory.
        const DIRECTORY = 0x10;
        /// Archive.
        const ARCHIVE = 0x20;
        /// A device.
        const DEVICE = 0x40;
        /// Normal (no other flag).
        const NORMAL = 0x80;
        /// Temporary.
        const TEMPORARY = 0x100;
        /// Sparse.
        const SPARSE_FILE = 0x200;
        /// The file has a $REPARSE_POINT.
        const REPARSE_POINT = 0x400;
        /// Compressed.
        const COMPRESSED = 0x800;
        /// Offline (its data is elsewhere).
        const OFFLINE = 0x1000;
        /// Not indexed by the content indexer.
        const NOT_CONTENT_INDEXED = 0x2000;
        /// Encrypted (EFS).
        const ENCRYPTED = 0x4000;
        /// Integrity stream (ReFS).
        const INTEGRITY_STREAM = 0x8000;
        /// NTFS: the record is a directory (in $FILE_NAME).
        const DUP_DIRECTORY = 0x1000_0000;
        /// NTFS: the record has a view index.
        const DUP_VIEW_INDEX = 0x2000_0000;
        // Other bits are kept as they are.
        const _ = !0;
    }
}

/// Names of the set `FILE_ATTRIBUTE_*` bits, e.g. `["HIDDEN", "SYSTEM"]`.
pub fn file_attribute_names(flags: u32) -> Vec<&'static str> {
    FileAttributes::from_bits_retain(flags)
        .iter_names()
        .map(|(name, _)| name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::standard_information;

    #[test]
    fn times_attributes_and_security_id() {
        let v = standard_information([1, 2, 3, 4], 0x426);
        let si = StandardInformation::new(&v).unwrap();
        assert_eq!(si.times().to_array(), [1, 2, 3, 4]);
        assert_eq!((si.times().created, si.times().accessed), (1, 4));
        assert_eq!(si.file_attributes().bits(), 0x426);
        assert_eq!(si.security_id(), Some(0x100));
        assert_eq!(
            file_attribute_names(si.file_attributes().bits()),
            ["HIDDEN", "SYSTEM", "ARCHIVE", "REPARSE_POINT"]
        );
    }

    #[test]
    fn ntfs_1_values_have_no_security_id_and_shorter_ones_are_refused() {
        let v = standard_information([0; 4], 0);
        assert_eq!(
            StandardInformation::new(&v[..48]).unwrap().security_id(),
            None
        );
        assert!(StandardInformation::new(&v[..47]).is_none());
    }
}
