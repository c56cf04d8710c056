//! $FILE_NAME (0x30): one name of a file in one directory.
//!
//! NTFS creates a $FILE_NAME attribute for every hard link, and for the 8.3 (DOS)
//! form of a long name when that differs. The value is a [`FileNameHeader`], then
//! the name in UTF-16.

use super::{TimesLe, Timestamps};
use crate::bytes::slice_at;
use crate::record::{FileReference, Utf16Name};
use serde::Serialize;
use zerocopy::little_endian::{U32, U64};
use zerocopy::{FromBytes, Immutable, KnownLayout, Unaligned};

/// The fixed part of a $FILE_NAME value, read in place.
#[derive(Debug, Clone, Copy, FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct FileNameHeader {
    /// The directory the name is in.
    pub parent: U64,
    /// Created, modified, MFT changed, accessed.
    pub times: TimesLe,
    /// Allocated size as recorded in the name (often stale).
    pub allocated_size: U64,
    /// Data size as recorded in the name (often stale).
    pub data_size: U64,
    /// `FILE_ATTRIBUTE_*` flags.
    pub file_attributes: U32,
    /// The reparse tag when the file is a reparse point, else the EA size.
    pub reparse_or_ea: U32,
    /// Name length in UTF-16 units.
    pub name_length: u8,
    /// Namespace.
    pub namespace: u8,
}

/// The size of the fixed part of a $FILE_NAME value: 66 bytes.
pub const FILE_NAME_HEADER: usize = std::mem::size_of::<FileNameHeader>();

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
    header: &'a FileNameHeader,
    name: &'a [u8],
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
        let (header, rest) = FileNameHeader::ref_from_prefix(value).ok()?;
        let name = slice_at(rest, 0, header.name_length as usize * 2)?;
        Some(FileName { header, name })
    }
    /// The fixed part.
    pub fn header(&self) -> &'a FileNameHeader {
        self.header
    }
    /// The directory this name is in.
    pub fn parent(&self) -> FileReference {
        FileReference::from_u64(self.header.parent.get())
    }
    /// Created, modified, MFT changed, accessed.
    pub fn times(&self) -> Timestamps {
        self.header.times.get()
    }
    /// Allocated size as recorded in the name (often stale).
    pub fn allocated_size(&self) -> u64 {
        self.header.allocated_size.get()
    }
    /// Data size as recorded in the name (often stale).
    pub fn data_size(&self) -> u64 {
        self.header.data_size.get()
    }
    /// File attribute flags.
    pub fn file_attributes(&self) -> super::FileAttributes {
        super::FileAttributes::from_bits_retain(self.header.file_attributes.get())
    }
    /// Reparse tag when the file is a reparse point, else the EA size.
    pub fn reparse_or_ea(&self) -> u32 {
        self.header.reparse_or_ea.get()
    }
    /// The namespace.
    pub fn namespace(&self) -> Namespace {
        Namespace::from_u8(self.header.namespace)
    }
    /// The name, borrowed.
    pub fn name(&self) -> Utf16Name<'a> {
        Utf16Name(self.name)
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
