//! Reparse tags: the table of Microsoft's open specification MS-FSCC, section
//! 2.1.2.1, and the meaning of a tag's bits.
//!
//! Bits: 31 M (owned by Microsoft), 30 R (reserved, formerly high latency),
//! 29 N (name surrogate: the file stands for another named entity), 28 D (a
//! directory with this tag may have children), 27-16 reserved, 15-0 the value.
//! The cloud tags carry a variant in bits 15-12 (`IO_REPARSE_TAG_CLOUD_MASK`).

/// Microsoft bit.
pub const TAG_MICROSOFT: u32 = 0x8000_0000;
/// Name surrogate bit.
pub const TAG_NAME_SURROGATE: u32 = 0x2000_0000;
/// Directory bit.
pub const TAG_DIRECTORY: u32 = 0x1000_0000;
/// Variant bits of the cloud tags.
pub const CLOUD_MASK: u32 = 0x0000_F000;

/// IO_REPARSE_TAG_MOUNT_POINT: junctions and volume mount points.
pub const MOUNT_POINT: u32 = 0xA000_0003;
/// IO_REPARSE_TAG_SYMLINK.
pub const SYMLINK: u32 = 0xA000_000C;
/// IO_REPARSE_TAG_WOF: Windows Overlay Filter (compressed or WIM-backed files).
pub const WOF: u32 = 0x8000_0017;
/// IO_REPARSE_TAG_APPEXECLINK: app execution aliases.
pub const APPEXECLINK: u32 = 0x8000_001B;
/// IO_REPARSE_TAG_LX_SYMLINK: WSL symbolic link.
pub const LX_SYMLINK: u32 = 0xA000_001D;
/// IO_REPARSE_TAG_NFS: files made by the NFS server.
pub const NFS: u32 = 0x8000_0014;
/// IO_REPARSE_TAG_CLOUD (variant 0); variants 1-15 in bits 15-12.
pub const CLOUD: u32 = 0x9000_001A;

/// What a reparse point is, by its tag (and for mount points, its target): the
/// `kind` of the json.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[non_exhaustive]
pub enum ReparseKind {
    /// A WSL or Windows AF_UNIX socket.
    AfUnix,
    /// An app execution alias.
    AppExecLink,
    /// The `appxstrm` tags of MS-FSCC.
    Appxstrm,
    /// A cloud files placeholder (OneDrive and others).
    Cloud,
    /// The `csv` tags of MS-FSCC.
    Csv,
    /// The `dedup` tags of MS-FSCC.
    Dedup,
    /// The `dfm` tags of MS-FSCC.
    Dfm,
    /// The `dfs` tags of MS-FSCC.
    Dfs,
    /// The `dfsr` tags of MS-FSCC.
    Dfsr,
    /// The `drive_extender` tags of MS-FSCC.
    DriveExtender,
    /// The `file_placeholder` tags of MS-FSCC.
    FilePlaceholder,
    /// The `filter_manager` tags of MS-FSCC.
    FilterManager,
    /// The `global_reparse` tags of MS-FSCC.
    GlobalReparse,
    /// The `hsm` tags of MS-FSCC.
    Hsm,
    /// The `iis_cache` tags of MS-FSCC.
    IisCache,
    /// A junction (IO_REPARSE_TAG_MOUNT_POINT to a directory path).
    Junction,
    /// A WSL block device.
    LxBlk,
    /// A WSL character device.
    LxChr,
    /// A WSL FIFO.
    LxFifo,
    /// A WSL symbolic link.
    LxSymlink,
    /// A file made by the NFS server.
    Nfs,
    /// The `onedrive` tags of MS-FSCC.
    Onedrive,
    /// The `projfs` tags of MS-FSCC.
    Projfs,
    /// A reserved tag.
    Reserved,
    /// The `sis` tags of MS-FSCC.
    Sis,
    /// The `storage_sync` tags of MS-FSCC.
    StorageSync,
    /// A symbolic link.
    Symlink,
    /// The `unhandled` tags of MS-FSCC.
    Unhandled,
    /// The `wci` tags of MS-FSCC.
    Wci,
    /// The `wim` tags of MS-FSCC.
    Wim,
    /// Windows Overlay Filter: a compressed or WIM-backed file.
    Wof,
    /// A volume mount point (IO_REPARSE_TAG_MOUNT_POINT to a volume GUID path).
    VolumeMountPoint,
    /// An Interix symbolic link (ntfs-3g `ln -s`): no reparse point, a system file with `IntxLNK` data.
    InterixSymlink,
    /// A tag not in the table.
    #[default]
    Unknown,
}

crate::named_variants!(ReparseKind {
    AfUnix => "af_unix",
    AppExecLink => "app_exec_link",
    Appxstrm => "appxstrm",
    Cloud => "cloud",
    Csv => "csv",
    Dedup => "dedup",
    Dfm => "dfm",
    Dfs => "dfs",
    Dfsr => "dfsr",
    DriveExtender => "drive_extender",
    FilePlaceholder => "file_placeholder",
    FilterManager => "filter_manager",
    GlobalReparse => "global_reparse",
    Hsm => "hsm",
    IisCache => "iis_cache",
    Junction => "junction",
    LxBlk => "lx_blk",
    LxChr => "lx_chr",
    LxFifo => "lx_fifo",
    LxSymlink => "lx_symlink",
    Nfs => "nfs",
    Onedrive => "onedrive",
    Projfs => "projfs",
    Reserved => "reserved",
    Sis => "sis",
    StorageSync => "storage_sync",
    Symlink => "symlink",
    Unhandled => "unhandled",
    Wci => "wci",
    Wim => "wim",
    Wof => "wof",
    VolumeMountPoint => "volume_mount_point",
    InterixSymlink => "interix_symlink",
    Unknown => "unknown",
});

impl ReparseKind {
    /// The kinds whose target can be resolved: junctions, volume mount points,
    /// symlinks and WSL symlinks.
    pub fn is_link(self) -> bool {
        matches!(
            self,
            ReparseKind::Junction
                | ReparseKind::VolumeMountPoint
                | ReparseKind::Symlink
                | ReparseKind::LxSymlink
                | ReparseKind::InterixSymlink
        )
    }
}

/// One row of the tag table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagInfo {
    /// The tag's value.
    pub tag: u32,
    /// Its name in MS-FSCC (`IO_REPARSE_TAG_SYMLINK`).
    pub name: &'static str,
    /// What ntfs-links reports it as.
    pub kind: ReparseKind,
}

const fn row(tag: u32, name: &'static str, kind: ReparseKind) -> TagInfo {
    TagInfo { tag, name, kind }
}

/// Every tag of MS-FSCC 2.1.2.1: value, name, and the `kind` ntfs-links reports.
pub const TAGS: &[TagInfo] = &[
    row(
        0x0000_0000,
        "IO_REPARSE_TAG_RESERVED_ZERO",
        ReparseKind::Reserved,
    ),
    row(
        0x0000_0001,
        "IO_REPARSE_TAG_RESERVED_ONE",
        ReparseKind::Reserved,
    ),
    row(
        0x0000_0002,
        "IO_REPARSE_TAG_RESERVED_TWO",
        ReparseKind::Reserved,
    ),
    row(
        0xA000_0003,
        "IO_REPARSE_TAG_MOUNT_POINT",
        ReparseKind::Junction,
    ),
    row(0xC000_0004, "IO_REPARSE_TAG_HSM", ReparseKind::Hsm),
    row(
        0x8000_0005,
        "IO_REPARSE_TAG_DRIVE_EXTENDER",
        ReparseKind::DriveExtender,
    ),
    row(0x8000_0006, "IO_REPARSE_TAG_HSM2", ReparseKind::Hsm),
    row(0x8000_0007, "IO_REPARSE_TAG_SIS", ReparseKind::Sis),
    row(0x8000_0008, "IO_REPARSE_TAG_WIM", ReparseKind::Wim),
    row(0x8000_0009, "IO_REPARSE_TAG_CSV", ReparseKind::Csv),
    row(0x8000_000A, "IO_REPARSE_TAG_DFS", ReparseKind::Dfs),
    row(
        0x8000_000B,
        "IO_REPARSE_TAG_FILTER_MANAGER",
        ReparseKind::FilterManager,
    ),
    row(0xA000_000C, "IO_REPARSE_TAG_SYMLINK", ReparseKind::Symlink),
    row(
        0xA000_0010,
        "IO_REPARSE_TAG_IIS_CACHE",
        ReparseKind::IisCache,
    ),
    row(0x8000_0012, "IO_REPARSE_TAG_DFSR", ReparseKind::Dfsr),
    row(0x8000_0013, "IO_REPARSE_TAG_DEDUP", ReparseKind::Dedup),
    row(
        0xC000_0014,
        "IO_REPARSE_TAG_APPXSTRM",
        ReparseKind::Appxstrm,
    ),
    row(0x8000_0014, "IO_REPARSE_TAG_NFS", ReparseKind::Nfs),
    row(
        0x8000_0015,
        "IO_REPARSE_TAG_FILE_PLACEHOLDER",
        ReparseKind::FilePlaceholder,
    ),
    row(0x8000_0016, "IO_REPARSE_TAG_DFM", ReparseKind::Dfm),
    row(0x8000_0017, "IO_REPARSE_TAG_WOF", ReparseKind::Wof),
    row(0x8000_0018, "IO_REPARSE_TAG_WCI", ReparseKind::Wci),
    row(0x9000_1018, "IO_REPARSE_TAG_WCI_1", ReparseKind::Wci),
    row(
        0xA000_0019,
        "IO_REPARSE_TAG_GLOBAL_REPARSE",
        ReparseKind::GlobalReparse,
    ),
    row(0x9000_001A, "IO_REPARSE_TAG_CLOUD", ReparseKind::Cloud),
    row(0x9000_101A, "IO_REPARSE_TAG_CLOUD_1", ReparseKind::Cloud),
    row(0x9000_201A, "IO_REPARSE_TAG_CLOUD_2", ReparseKind::Cloud),
    row(0x9000_301A, "IO_REPARSE_TAG_CLOUD_3", ReparseKind::Cloud),
    row(0x9000_401A, "IO_REPARSE_TAG_CLOUD_4", ReparseKind::Cloud),
    row(0x9000_501A, "IO_REPARSE_TAG_CLOUD_5", ReparseKind::Cloud),
    row(0x9000_601A, "IO_REPARSE_TAG_CLOUD_6", ReparseKind::Cloud),
    row(0x9000_701A, "IO_REPARSE_TAG_CLOUD_7", ReparseKind::Cloud),
    row(0x9000_801A, "IO_REPARSE_TAG_CLOUD_8", ReparseKind::Cloud),
    row(0x9000_901A, "IO_REPARSE_TAG_CLOUD_9", ReparseKind::Cloud),
    row(0x9000_A01A, "IO_REPARSE_TAG_CLOUD_A", ReparseKind::Cloud),
    row(0x9000_B01A, "IO_REPARSE_TAG_CLOUD_B", ReparseKind::Cloud),
    row(0x9000_C01A, "IO_REPARSE_TAG_CLOUD_C", ReparseKind::Cloud),
    row(0x9000_D01A, "IO_REPARSE_TAG_CLOUD_D", ReparseKind::Cloud),
    row(0x9000_E01A, "IO_REPARSE_TAG_CLOUD_E", ReparseKind::Cloud),
    row(0x9000_F01A, "IO_REPARSE_TAG_CLOUD_F", ReparseKind::Cloud),
    row(
        0x8000_001B,
        "IO_REPARSE_TAG_APPEXECLINK",
        ReparseKind::AppExecLink,
    ),
    row(0x9000_001C, "IO_REPARSE_TAG_PROJFS", ReparseKind::Projfs),
    row(
        0xA000_001D,
        "IO_REPARSE_TAG_LX_SYMLINK",
        ReparseKind::LxSymlink,
    ),
    row(
        0x8000_001E,
        "IO_REPARSE_TAG_STORAGE_SYNC",
        ReparseKind::StorageSync,
    ),
    row(
        0x9000_0027,
        "IO_REPARSE_TAG_STORAGE_SYNC_FOLDER",
        ReparseKind::StorageSync,
    ),
    row(
        0xA000_001F,
        "IO_REPARSE_TAG_WCI_TOMBSTONE",
        ReparseKind::Wci,
    ),
    row(
        0x8000_0020,
        "IO_REPARSE_TAG_UNHANDLED",
        ReparseKind::Unhandled,
    ),
    row(
        0x8000_0021,
        "IO_REPARSE_TAG_ONEDRIVE",
        ReparseKind::Onedrive,
    ),
    row(
        0xA000_0022,
        "IO_REPARSE_TAG_PROJFS_TOMBSTONE",
        ReparseKind::Projfs,
    ),
    row(0x8000_0023, "IO_REPARSE_TAG_AF_UNIX", ReparseKind::AfUnix),
    row(0x8000_0024, "IO_REPARSE_TAG_LX_FIFO", ReparseKind::LxFifo),
    row(0x8000_0025, "IO_REPARSE_TAG_LX_CHR", ReparseKind::LxChr),
    row(0x8000_0026, "IO_REPARSE_TAG_LX_BLK", ReparseKind::LxBlk),
    row(0xA000_0027, "IO_REPARSE_TAG_WCI_LINK", ReparseKind::Wci),
    row(0xA000_1027, "IO_REPARSE_TAG_WCI_LINK_1", ReparseKind::Wci),
];

/// The row of a tag in the table, if it is there.
pub fn lookup(tag: u32) -> Option<&'static TagInfo> {
    TAGS.iter().find(|t| t.tag == tag)
}

/// The name of a tag, e.g. `IO_REPARSE_TAG_SYMLINK`.
///
/// ```
/// assert_eq!(ntfs_links::reparse::tag_name(0xA000000C), Some("IO_REPARSE_TAG_SYMLINK"));
/// assert_eq!(ntfs_links::reparse::tag_name(0x12345678), None);
/// ```
pub fn tag_name(tag: u32) -> Option<&'static str> {
    lookup(tag).map(|t| t.name)
}

/// A tag from its name (`IO_REPARSE_TAG_WOF`, or without the prefix, any case) or
/// its number (decimal or 0x hex).
pub fn parse_tag(s: &str) -> Option<u32> {
    let s = s.trim();
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        return u32::from_str_radix(hex, 16).ok();
    }
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let upper = s.to_ascii_uppercase();
    let full = if upper.starts_with("IO_REPARSE_TAG_") {
        upper
    } else {
        format!("IO_REPARSE_TAG_{upper}")
    };
    TAGS.iter().find(|t| t.name == full).map(|t| t.tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_consistent() {
        assert_eq!(TAGS.len(), 55);
        for row in TAGS {
            assert_eq!(
                TAGS.iter().filter(|t| t.tag == row.tag).count(),
                1,
                "{} once",
                row.name
            );
            assert_eq!(parse_tag(row.name), Some(row.tag));
        }
        assert_eq!(parse_tag("symlink"), Some(SYMLINK));
        assert_eq!(parse_tag("0xA0000003"), Some(MOUNT_POINT));
        assert_eq!(parse_tag("2684354572"), Some(SYMLINK));
        assert_eq!(parse_tag("nonsense"), None);
    }

    #[test]
    fn cloud_variants_share_the_value() {
        for v in 0..16u32 {
            let tag = CLOUD | v << 12;
            assert_eq!(
                lookup(tag).map(|l| l.kind),
                Some(ReparseKind::Cloud),
                "{tag:#x}"
            );
        }
    }
}
