//! $FILE_NAME (0x30): one name of a file in one directory.
//!
//! NTFS creates a $FILE_NAME attribute for every hard link, and for the 8.3 (DOS)
//! form of a long name when that differs. Layout of the value: parent reference (8),
//! four timestamps (4 x 8: created, modified, MFT changed, accessed), allocated size
//! (8), data size (8), file attributes (4), reparse tag or EA size (4), name length in
//! UTF-16 units (1), namespace (1), name.

use super::NtfsTime;
use crate::bytes::{slice_at, u8_at, u32_at, u64_at};
use crate::record::{FileReference, Utf16Name};
use serde::Serialize;

/// The fixed part of a $FILE_NAME value.
pub const FILE_NAME_HEADER: usize = 66;

/// The namespace of a name; in output, the name [`Namespace::as_str`] gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Namespace {
    /// 0: any UTF-16 but `/` and NUL, case-sensitive (hard links made by POSIX tools).
    Posix,
    /// 1: a long Windows name with a separate DOS name beside it.
    Win32,
    /// 2: the 8.3 short name paired with a Win32 name.
    Dos,
    /// 3: a name valid in both, stored once.
    Win32AndDos,
    /// Any other value (damage).
    Unknown(u8),
}

impl Namespace {
    /// From the on-disk byte.
    pub fn from_u8(v: u8) -> Namespace {
        match v {
            0 => Namespace::Posix,
            1 => Namespace::Win32,
            2 => Namespace::Dos,
            3 => Namespace::Win32AndDos,
            v => Namespace::Unknown(v),
        }
    }
    /// The on-disk byte.
    pub fn to_u8(self) -> u8 {
        match self {
            Namespace::Posix => 0,
            Namespace::Win32 => 1,
            Namespace::Dos => 2,
            Namespace::Win32AndDos => 3,
            Namespace::Unknown(v) => v,
        }
    }
    /// The name used in output: `posix`, `win32`, `dos`, `win32_and_dos`.
    pub fn as_str(self) -> &'static str {
        match self {
            Namespace::Posix => "posix",
            Namespace::Win32 => "win32",
            Namespace::Dos => "dos",
            Namespace::Win32AndDos => "win32_and_dos",
            Namespace::Unknown(_) => "unknown",
        }
    }
}

impl Serialize for Namespace {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for Namespace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A view of a $FILE_NAME value, checked at construction.
#[derive(Debug, Clone, Copy)]
pub struct FileName<'a> {
    value: &'a [u8],
}

impl<'a> FileName<'a> {
    /// Views `value`; `None` when the fixed part or the name does not fit.
    ///
    /// ```
    /// use ntfs_links::attribute::{FileName, Namespace};
    /// let mut v = vec![0u8; 66 + 4];
    /// v[0..8].copy_from_slice(&(5u64 | 5 << 48).to_le_bytes()); // parent: root, seq 5
    /// v[64] = 2; // two UTF-16 units
    /// v[65] = 3; // Win32 & DOS
    /// v[66..70].copy_from_slice(&[b'a', 0, b'b', 0]);
    /// let name = FileName::new(&v).unwrap();
    /// assert_eq!(name.parent().record, 5);
    /// assert_eq!(name.namespace(), Namespace::Win32AndDos);
    /// assert_eq!(name.name().to_string_lossy(), "ab");
    /// ```
    pub fn new(value: &'a [u8]) -> Option<FileName<'a>> {
        let len = *value.get(64)? as usize * 2;
        slice_at(value, FILE_NAME_HEADER, len)?;
        Some(FileName { value })
    }
    /// The directory this name is in.
    pub fn parent(&self) -> FileReference {
        FileReference::from_u64(u64_at(self.value, 0).unwrap_or(0))
    }
    /// Created, modified, MFT changed, accessed.
    pub fn times(&self) -> [NtfsTime; 4] {
        [8, 16, 24, 32].map(|at| u64_at(self.value, at).unwrap_or(0))
    }
    /// Allocated size as recorded in the name (often stale).
    pub fn allocated_size(&self) -> u64 {
        u64_at(self.value, 40).unwrap_or(0)
    }
    /// Data size as recorded in the name (often stale).
    pub fn data_size(&self) -> u64 {
        u64_at(self.value, 48).unwrap_or(0)
    }
    /// File attribute flags (`FILE_ATTRIBUTE_*`).
    pub fn file_attributes(&self) -> u32 {
        u32_at(self.value, 56).unwrap_or(0)
    }
    /// Reparse tag when the file is a reparse point, else the EA size.
    pub fn reparse_or_ea(&self) -> u32 {
        u32_at(self.value, 60).unwrap_or(0)
    }
    /// The namespace.
    pub fn namespace(&self) -> Namespace {
        Namespace::from_u8(u8_at(self.value, 65).unwrap_or(0))
    }
    /// The name, borrowed.
    pub fn name(&self) -> Utf16Name<'a> {
        let len = u8_at(self.value, 64).unwrap_or(0) as usize * 2;
        Utf16Name(slice_at(self.value, FILE_NAME_HEADER, len).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_longer_than_value() {
        let mut v = vec![0u8; 70];
        v[64] = 3;
        assert!(FileName::new(&v).is_none());
        assert!(FileName::new(&v[..60]).is_none());
        v[64] = 2;
        assert!(FileName::new(&v).is_some());
    }
}
