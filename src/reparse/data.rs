//! What a reparse buffer holds beyond its header, one variant per layout. In
//! json the variant's fields sit flat in the reparse point's object (in the order
//! the jsonl contract has always had), so the json does not say the variant.

use super::TargetForm;
use serde::Serialize;

/// The decoded content of a reparse buffer, by layout.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ReparseData {
    /// Nothing decoded beyond the header (opaque kinds keep their bytes in
    /// [`ReparsePoint::data`](super::ReparsePoint::data)).
    #[default]
    Opaque,
    /// A junction, volume mount point or symbolic link.
    Link(LinkData),
    /// A WSL symbolic link.
    LxSymlink(LxSymlinkData),
    /// An app execution alias.
    AppExecLink(AppExecLinkData),
    /// A Windows Overlay Filter file.
    Wof(WofData),
    /// A cloud files placeholder.
    Cloud(CloudData),
    /// A file made by the NFS server.
    Nfs(NfsData),
    /// A third-party tag (a GUID before its data).
    ThirdParty(ThirdPartyData),
    /// An Interix symbolic link.
    Interix(InterixData),
}

/// Junction, volume mount point and symbolic link buffers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct LinkData {
    /// The substitute name (the target as the system uses it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub substitute_name: Option<String>,
    /// The print name (for display).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub print_name: Option<String>,
    /// Symlink: flag 1, SYMLINK_FLAG_RELATIVE.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relative: Option<bool>,
    /// Form of the substitute name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_form: Option<TargetForm>,
}

/// A WSL symbolic link.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct LxSymlinkData {
    /// Form of the target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_form: Option<TargetForm>,
    /// The target (UTF-8).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

/// An app execution alias.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct AppExecLinkData {
    /// The executable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The package family name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    /// The application user model id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
}

/// A Windows Overlay Filter buffer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct WofData {
    /// Provider number (1 WIM, 2 file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<u32>,
    /// Provider name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_name: Option<&'static str>,
    /// With the file provider: compression algorithm number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<u32>,
    /// Algorithm name (`XPRESS4K`, `LZX`, `XPRESS8K`, `XPRESS16K`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub algorithm_name: Option<&'static str>,
    /// With the WIM provider: the data source id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_source_id: Option<i64>,
}

/// A cloud files placeholder.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct CloudData {
    /// The variant in tag bits 15-12 (0-15).
    pub cloud_variant: u8,
}

/// An NFS buffer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct NfsData {
    /// A symbolic link's target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The file type (`LNK`, `CHR`, `BLK`, `FIFO`, `SOCK`; the number in hex when
    /// unknown).
    pub nfs_type: String,
    /// CHR or BLK: major and minor device numbers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device: Option<[u32; 2]>,
}

/// A third-party buffer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct ThirdPartyData {
    /// The tag owner's GUID.
    pub guid: String,
}

/// An Interix symbolic link.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct InterixData {
    /// The target.
    pub target: String,
}
