//! The record numbers NTFS reserves for its metadata files (NTFS 3.1): the
//! first 16 records are fixed by the format; $Extend's children usually follow
//! from record 24 on, but only their names identify them.

/// `$MFT`: the master file table itself.
pub const MFT: u64 = 0;
/// `$MFTMirr`: a copy of the first records of the $MFT.
pub const MFT_MIRROR: u64 = 1;
/// `$LogFile`: the journal.
pub const LOG_FILE: u64 = 2;
/// `$Volume`: the volume's name, information and flags.
pub const VOLUME: u64 = 3;
/// `$AttrDef`: attribute definitions.
pub const ATTR_DEF: u64 = 4;
/// The root directory.
pub const ROOT: u64 = 5;
/// `$Bitmap`: the cluster allocation bitmap.
pub const BITMAP: u64 = 6;
/// `$Boot`: the boot sector.
pub const BOOT: u64 = 7;
/// `$BadClus`: bad clusters.
pub const BAD_CLUS: u64 = 8;
/// `$Secure`: security descriptors.
pub const SECURE: u64 = 9;
/// `$UpCase`: the upper-case table.
pub const UPCASE: u64 = 10;
/// `$Extend`: the directory of $Reparse, $ObjId, $Quota, $UsnJrnl, $RmMetadata.
pub const EXTEND: u64 = 11;
/// Records 12 to 15: reserved, in use but without names.
pub const RESERVED: std::ops::RangeInclusive<u64> = 12..=15;
/// The name of `$Extend\$Reparse`, whose index `$R` lists every reparse point.
pub const REPARSE_NAME: &str = "$Reparse";
