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

/// Every tag of MS-FSCC 2.1.2.1: value, name, and the `kind` ntfs-links reports.
pub const TAGS: &[(u32, &str, &str)] = &[
    (0x0000_0000, "IO_REPARSE_TAG_RESERVED_ZERO", "reserved"),
    (0x0000_0001, "IO_REPARSE_TAG_RESERVED_ONE", "reserved"),
    (0x0000_0002, "IO_REPARSE_TAG_RESERVED_TWO", "reserved"),
    (0xA000_0003, "IO_REPARSE_TAG_MOUNT_POINT", "junction"),
    (0xC000_0004, "IO_REPARSE_TAG_HSM", "hsm"),
    (
        0x8000_0005,
        "IO_REPARSE_TAG_DRIVE_EXTENDER",
        "drive_extender",
    ),
    (0x8000_0006, "IO_REPARSE_TAG_HSM2", "hsm"),
    (0x8000_0007, "IO_REPARSE_TAG_SIS", "sis"),
    (0x8000_0008, "IO_REPARSE_TAG_WIM", "wim"),
    (0x8000_0009, "IO_REPARSE_TAG_CSV", "csv"),
    (0x8000_000A, "IO_REPARSE_TAG_DFS", "dfs"),
    (
        0x8000_000B,
        "IO_REPARSE_TAG_FILTER_MANAGER",
        "filter_manager",
    ),
    (0xA000_000C, "IO_REPARSE_TAG_SYMLINK", "symlink"),
    (0xA000_0010, "IO_REPARSE_TAG_IIS_CACHE", "iis_cache"),
    (0x8000_0012, "IO_REPARSE_TAG_DFSR", "dfsr"),
    (0x8000_0013, "IO_REPARSE_TAG_DEDUP", "dedup"),
    (0xC000_0014, "IO_REPARSE_TAG_APPXSTRM", "appxstrm"),
    (0x8000_0014, "IO_REPARSE_TAG_NFS", "nfs"),
    (
        0x8000_0015,
        "IO_REPARSE_TAG_FILE_PLACEHOLDER",
        "file_placeholder",
    ),
    (0x8000_0016, "IO_REPARSE_TAG_DFM", "dfm"),
    (0x8000_0017, "IO_REPARSE_TAG_WOF", "wof"),
    (0x8000_0018, "IO_REPARSE_TAG_WCI", "wci"),
    (0x9000_1018, "IO_REPARSE_TAG_WCI_1", "wci"),
    (
        0xA000_0019,
        "IO_REPARSE_TAG_GLOBAL_REPARSE",
        "global_reparse",
    ),
    (0x9000_001A, "IO_REPARSE_TAG_CLOUD", "cloud"),
    (0x9000_101A, "IO_REPARSE_TAG_CLOUD_1", "cloud"),
    (0x9000_201A, "IO_REPARSE_TAG_CLOUD_2", "cloud"),
    (0x9000_301A, "IO_REPARSE_TAG_CLOUD_3", "cloud"),
    (0x9000_401A, "IO_REPARSE_TAG_CLOUD_4", "cloud"),
    (0x9000_501A, "IO_REPARSE_TAG_CLOUD_5", "cloud"),
    (0x9000_601A, "IO_REPARSE_TAG_CLOUD_6", "cloud"),
    (0x9000_701A, "IO_REPARSE_TAG_CLOUD_7", "cloud"),
    (0x9000_801A, "IO_REPARSE_TAG_CLOUD_8", "cloud"),
    (0x9000_901A, "IO_REPARSE_TAG_CLOUD_9", "cloud"),
    (0x9000_A01A, "IO_REPARSE_TAG_CLOUD_A", "cloud"),
    (0x9000_B01A, "IO_REPARSE_TAG_CLOUD_B", "cloud"),
    (0x9000_C01A, "IO_REPARSE_TAG_CLOUD_C", "cloud"),
    (0x9000_D01A, "IO_REPARSE_TAG_CLOUD_D", "cloud"),
    (0x9000_E01A, "IO_REPARSE_TAG_CLOUD_E", "cloud"),
    (0x9000_F01A, "IO_REPARSE_TAG_CLOUD_F", "cloud"),
    (0x8000_001B, "IO_REPARSE_TAG_APPEXECLINK", "app_exec_link"),
    (0x9000_001C, "IO_REPARSE_TAG_PROJFS", "projfs"),
    (0xA000_001D, "IO_REPARSE_TAG_LX_SYMLINK", "lx_symlink"),
    (0x8000_001E, "IO_REPARSE_TAG_STORAGE_SYNC", "storage_sync"),
    (
        0x9000_0027,
        "IO_REPARSE_TAG_STORAGE_SYNC_FOLDER",
        "storage_sync",
    ),
    (0xA000_001F, "IO_REPARSE_TAG_WCI_TOMBSTONE", "wci"),
    (0x8000_0020, "IO_REPARSE_TAG_UNHANDLED", "unhandled"),
    (0x8000_0021, "IO_REPARSE_TAG_ONEDRIVE", "onedrive"),
    (0xA000_0022, "IO_REPARSE_TAG_PROJFS_TOMBSTONE", "projfs"),
    (0x8000_0023, "IO_REPARSE_TAG_AF_UNIX", "af_unix"),
    (0x8000_0024, "IO_REPARSE_TAG_LX_FIFO", "lx_fifo"),
    (0x8000_0025, "IO_REPARSE_TAG_LX_CHR", "lx_chr"),
    (0x8000_0026, "IO_REPARSE_TAG_LX_BLK", "lx_blk"),
    (0xA000_0027, "IO_REPARSE_TAG_WCI_LINK", "wci"),
    (0xA000_1027, "IO_REPARSE_TAG_WCI_LINK_1", "wci"),
];

/// The name and kind of a tag in the table, if it is there.
pub fn lookup(tag: u32) -> Option<(&'static str, &'static str)> {
    TAGS.iter()
        .find(|(t, _, _)| *t == tag)
        .map(|(_, name, kind)| (*name, *kind))
}

/// The name of a tag, e.g. `IO_REPARSE_TAG_SYMLINK`.
///
/// ```
/// assert_eq!(ntfs_links::reparse::tag_name(0xA000000C), Some("IO_REPARSE_TAG_SYMLINK"));
/// assert_eq!(ntfs_links::reparse::tag_name(0x12345678), None);
/// ```
pub fn tag_name(tag: u32) -> Option<&'static str> {
    lookup(tag).map(|(name, _)| name)
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
    TAGS.iter()
        .find(|(_, name, _)| *name == full)
        .map(|(t, _, _)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_consistent() {
        assert_eq!(TAGS.len(), 55);
        for (tag, name, _) in TAGS {
            assert_eq!(
                TAGS.iter().filter(|(t, _, _)| t == tag).count(),
                1,
                "{name} once"
            );
            assert_eq!(parse_tag(name), Some(*tag));
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
            assert_eq!(lookup(tag).map(|l| l.1), Some("cloud"), "{tag:#x}");
        }
    }
}
