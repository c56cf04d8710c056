//! What can be wrong with a reparse buffer: one variant per check, with the
//! values it found. The json keeps them joined as text in `malformed`.

/// One problem found in a reparse buffer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReparseProblem {
    /// The buffer is shorter than the 8-byte header.
    #[error("{len} bytes: shorter than the 8-byte reparse header")]
    ShortHeader {
        /// Bytes present.
        len: usize,
    },
    /// ReparseDataLength is more than the bytes that follow the header.
    #[error("ReparseDataLength {declared} exceeds the {present} bytes present")]
    LengthExceeds {
        /// ReparseDataLength.
        declared: usize,
        /// Bytes present after the header (and GUID).
        present: usize,
    },
    /// ReparseDataLength is less than the bytes that follow the header.
    #[error("ReparseDataLength {declared} is less than the {present} bytes present")]
    LengthShort {
        /// ReparseDataLength.
        declared: usize,
        /// Bytes present after the header (and GUID).
        present: usize,
    },
    /// A mount point or symlink buffer too short for its name offsets.
    #[error("{len} bytes of data: shorter than the {fixed}-byte name header")]
    ShortNameHeader {
        /// Bytes of data.
        len: usize,
        /// 8 for a mount point, 12 for a symlink.
        fixed: usize,
    },
    /// Symlink flags other than SYMLINK_FLAG_RELATIVE.
    #[error("unknown symlink flags {flags:#x}")]
    SymlinkFlags {
        /// The flags.
        flags: u32,
    },
    /// A name's offset or length is not a whole number of UTF-16 units.
    #[error("{which} name offset {offset} or length {length} is odd")]
    OddName {
        /// `substitute` or `print`.
        which: &'static str,
        /// Its offset in the path buffer.
        offset: usize,
        /// Its length in bytes.
        length: usize,
    },
    /// A name runs past the path buffer.
    #[error(
        "{which} name (offset {offset}, length {length}) runs past the {buffer}-byte path buffer"
    )]
    NamePastBuffer {
        /// `substitute` or `print`.
        which: &'static str,
        /// Its offset in the path buffer.
        offset: usize,
        /// Its length in bytes.
        length: usize,
        /// The path buffer's length.
        buffer: usize,
    },
    /// The substitute and print names share bytes.
    #[error("substitute and print names overlap")]
    NamesOverlap,
    /// The substitute name is empty.
    #[error("substitute name is empty")]
    EmptySubstitute,
    /// A WSL symlink without its version.
    #[error("lx_symlink data shorter than its 4-byte version")]
    LxShort,
    /// A WSL symlink of another version than 2.
    #[error("lx_symlink version {version}, expected 2")]
    LxVersion {
        /// The version found.
        version: u32,
    },
    /// A WSL symlink target that is not UTF-8.
    #[error("lx_symlink target is not UTF-8")]
    LxNotUtf8,
    /// A WOF buffer shorter than WOF_EXTERNAL_INFO.
    #[error("wof data shorter than WOF_EXTERNAL_INFO")]
    WofShort,
    /// WIM provider information cut short.
    #[error("wof WIM provider info is truncated")]
    WimShort,
    /// File provider information cut short.
    #[error("wof file provider info is truncated")]
    WofFileShort,
    /// A WOF compression algorithm not in the specification.
    #[error("unknown wof algorithm {algorithm}")]
    WofAlgorithm {
        /// The algorithm number.
        algorithm: u32,
    },
    /// A WOF provider not in the specification.
    #[error("unknown wof provider {provider}")]
    WofProvider {
        /// The provider number.
        provider: u32,
    },
    /// An app execution alias without its version.
    #[error("app_exec_link data shorter than its version")]
    AppExecShort,
    /// An app execution alias with fewer than three strings.
    #[error("app_exec_link (version {version}) holds fewer than three strings")]
    AppExecStrings {
        /// Its version.
        version: u32,
    },
    /// An NFS buffer without its type.
    #[error("nfs data shorter than its 8-byte type")]
    NfsShort,
    /// An NFS link target that is not whole UTF-16 units.
    #[error("nfs link target is not whole UTF-16 units")]
    NfsLinkOdd,
    /// NFS device numbers cut short.
    #[error("nfs device numbers are truncated")]
    NfsDeviceShort,
    /// An NFS type not in the specification.
    #[error("unknown nfs type {kind:#x}")]
    NfsType {
        /// The type value.
        kind: u64,
    },
    /// A third-party buffer shorter than its GUID.
    #[error("third-party buffer shorter than its GUID")]
    GuidShort,
    /// An Interix symlink target that is not whole UTF-16 units.
    #[error("target of {len} bytes is not whole UTF-16 units")]
    InterixOdd {
        /// Bytes of target.
        len: usize,
    },
}
