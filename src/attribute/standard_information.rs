//! $STANDARD_INFORMATION (0x10): timestamps and file attribute flags.
//!
//! Layout: four timestamps (created, modified, MFT changed, accessed), file
//! attributes (4) at 32; NTFS 3.x adds owner, security and quota fields after 48.

use super::NtfsTime;
use crate::bytes::{u32_at, u64_at};

/// A view of a $STANDARD_INFORMATION value.
#[derive(Debug, Clone, Copy)]
pub struct StandardInformation<'a> {
    value: &'a [u8],
}

impl<'a> StandardInformation<'a> {
    /// Views `value`; `None` when shorter than the 48 bytes of NTFS 1.2.
    pub fn new(value: &'a [u8]) -> Option<StandardInformation<'a>> {
        (value.len() >= 48).then_some(StandardInformation { value })
    }
    /// Created, modified, MFT changed, accessed.
    pub fn times(&self) -> [NtfsTime; 4] {
        [0, 8, 16, 24].map(|at| u64_at(self.value, at).unwrap_or(0))
    }
    /// File attribute flags (`FILE_ATTRIBUTE_*`).
    pub fn file_attributes(&self) -> u32 {
        u32_at(self.value, 32).unwrap_or(0)
    }
    /// Security id (NTFS 3.x).
    pub fn security_id(&self) -> Option<u32> {
        u32_at(self.value, 52)
    }
}

/// `FILE_ATTRIBUTE_REPARSE_POINT`: the file has a $REPARSE_POINT (MS-FSCC 2.6).
pub const FILE_ATTRIBUTE_REPARSE_POINT: u32 = 0x400;

/// Names of the set `FILE_ATTRIBUTE_*` bits, e.g. `["HIDDEN", "SYSTEM"]`.
pub fn file_attribute_names(flags: u32) -> Vec<&'static str> {
    const NAMES: [(u32, &str); 17] = [
        (0x1, "READONLY"),
        (0x2, "HIDDEN"),
        (0x4, "SYSTEM"),
        (0x10, "DIRECTORY"),
        (0x20, "ARCHIVE"),
        (0x40, "DEVICE"),
        (0x80, "NORMAL"),
        (0x100, "TEMPORARY"),
        (0x200, "SPARSE_FILE"),
        (FILE_ATTRIBUTE_REPARSE_POINT, "REPARSE_POINT"),
        (0x800, "COMPRESSED"),
        (0x1000, "OFFLINE"),
        (0x2000, "NOT_CONTENT_INDEXED"),
        (0x4000, "ENCRYPTED"),
        (0x8000, "INTEGRITY_STREAM"),
        (0x1000_0000, "DUP_DIRECTORY"),
        (0x2000_0000, "DUP_VIEW_INDEX"),
    ];
    NAMES
        .iter()
        .filter(|(bit, _)| flags & bit != 0)
        .map(|(_, n)| *n)
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
        assert_eq!(si.times(), [1, 2, 3, 4]);
        assert_eq!(si.file_attributes(), 0x426);
        assert_eq!(si.security_id(), Some(0x100));
        assert_eq!(
            file_attribute_names(si.file_attributes()),
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
