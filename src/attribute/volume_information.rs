//! $VOLUME_INFORMATION (0x70, in $Volume): the NTFS version and the volume flags.
//!
//! The value is a [`VolumeInformationHeader`] (12 bytes); some writers store only
//! the 10 bytes through the version.

use crate::bytes::view_at;
use zerocopy::little_endian::U16;
use zerocopy::{FromBytes, Immutable, KnownLayout, Unaligned};

/// The layout of the value through the version.
#[derive(Debug, Clone, Copy, FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct VolumeInformationHeader {
    /// Reserved.
    pub reserved: [u8; 8],
    /// Major version (3 for NTFS 3.x).
    pub major: u8,
    /// Minor version (1 for NTFS 3.1).
    pub minor: u8,
}

/// A view of a $VOLUME_INFORMATION value.
#[derive(Debug, Clone, Copy)]
pub struct VolumeInformation<'a> {
    header: &'a VolumeInformationHeader,
    flags: Option<&'a U16>,
}

impl<'a> VolumeInformation<'a> {
    /// Views `value`; `None` when too short to hold the version.
    pub fn new(value: &'a [u8]) -> Option<VolumeInformation<'a>> {
        let header = view_at(value, 0)?;
        let flags = view_at(value, std::mem::size_of::<VolumeInformationHeader>());
        Some(VolumeInformation { header, flags })
    }
    /// Major version (3 for NTFS 3.x).
    pub fn major(&self) -> u8 {
        self.header.major
    }
    /// Minor version (1 for NTFS 3.1).
    pub fn minor(&self) -> u8 {
        self.header.minor
    }
    /// The version as `major.minor`, e.g. `3.1`.
    pub fn version(&self) -> String {
        format!("{}.{}", self.major(), self.minor())
    }
    /// Volume flags (0x0001: dirty); 0 when the value stops after the version.
    pub fn flags(&self) -> u16 {
        self.flags.map_or(0, |f| f.get())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_and_flags() {
        let v = [0, 0, 0, 0, 0, 0, 0, 0, 3, 1, 1, 0];
        let info = VolumeInformation::new(&v).unwrap();
        assert_eq!((info.version().as_str(), info.flags()), ("3.1", 1));
        assert_eq!(VolumeInformation::new(&v[..10]).unwrap().flags(), 0);
        assert!(VolumeInformation::new(&v[..9]).is_none());
    }
}
