//! $VOLUME_INFORMATION (0x70, in $Volume): the NTFS version and the volume flags.
//!
//! Layout: 8 reserved bytes, major version (1) at 8, minor version (1) at 9,
//! flags (2) at 10 (0x0001 dirty, ...).

use crate::bytes::{u8_at, u16_at};

/// The bytes through the version; the flags follow (12 bytes in all).
const LEN: usize = 10;

/// A view of a $VOLUME_INFORMATION value.
#[derive(Debug, Clone, Copy)]
pub struct VolumeInformation<'a> {
    value: &'a [u8],
}

impl<'a> VolumeInformation<'a> {
    /// Views `value`; `None` when too short to hold the version.
    pub fn new(value: &'a [u8]) -> Option<VolumeInformation<'a>> {
        (value.len() >= LEN).then_some(VolumeInformation { value })
    }
    /// Major version (3 for NTFS 3.x).
    pub fn major(&self) -> u8 {
        u8_at(self.value, 8).unwrap_or(0)
    }
    /// Minor version (1 for NTFS 3.1).
    pub fn minor(&self) -> u8 {
        u8_at(self.value, 9).unwrap_or(0)
    }
    /// The version as `major.minor`, e.g. `3.1`.
    pub fn version(&self) -> String {
        format!("{}.{}", self.major(), self.minor())
    }
    /// Volume flags (0x0001: dirty).
    pub fn flags(&self) -> u16 {
        u16_at(self.value, 10).unwrap_or(0)
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
