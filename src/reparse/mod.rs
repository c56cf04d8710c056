//! Reparse points: decoding every $REPARSE_POINT buffer, and the forms a link
//! target takes.
//!
//! A reparse buffer (MS-FSCC 2.1.2.2) starts with the tag (4 bytes), the length of
//! the data that follows (2) and 2 reserved bytes. Microsoft tags (bit 31 set)
//! carry their data right after; other tags carry a GUID first (MS-FSCC 2.1.2.3).
//! Every offset and length in a buffer is checked against the bytes present: a
//! buffer that lies is reported as `malformed`, with its raw bytes kept as hex.
//!
//! Interix symbolic links (what ntfs-3g's `ln -s` writes: a system file whose data
//! starts with `IntxLNK\x01`) are no reparse points, but are reported here too, as
//! `interix_symlink`.

mod buffers;
mod data;
mod problem;
mod tags;
mod target;

pub use buffers::{
    FileProviderInfo, GuidHeader, NameOffsets, ReparseHeader, SymlinkFlags, WimProviderInfo,
    WofExternalInfo,
};
pub use data::{
    AppExecLinkData, CloudData, InterixData, LinkData, LxSymlinkData, NfsData, ReparseData,
    ThirdPartyData, WofData,
};
pub use problem::ReparseProblem;
pub use tags::{
    APPEXECLINK, CLOUD, CLOUD_MASK, LX_SYMLINK, MOUNT_POINT, NFS, ReparseKind, SYMLINK,
    TAG_DIRECTORY, TAG_MICROSOFT, TAG_NAME_SURROGATE, TAGS, TagInfo, WOF, lookup, parse_tag,
    tag_name,
};
pub use target::{Target, TargetForm};

use serde::Serialize;

/// The magic of an Interix symbolic link's data.
pub const INTERIX_SYMLINK_MAGIC: &[u8; 8] = b"IntxLNK\x01";

/// A decoded reparse point (or Interix symlink), as reported in json.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct ReparsePoint {
    /// The reparse tag (`null` for an Interix symlink, which has none).
    pub tag: Option<u32>,
    /// Its name in MS-FSCC, `null` when not in the table.
    pub tag_name: Option<&'static str>,
    /// What it is: `junction`, `volume_mount_point`, `symlink`, `lx_symlink`, `wof`,
    /// `app_exec_link`, `cloud`, ..., `unknown`, `interix_symlink`.
    pub kind: ReparseKind,
    /// Tag bit 31: owned by Microsoft.
    pub microsoft: bool,
    /// Tag bit 29: stands for another named entity (links).
    pub name_surrogate: bool,
    /// Tag bit 28: a directory with this tag may have children.
    pub directory_bit: bool,
    /// ReparseDataLength from the header.
    pub data_length: u16,
    /// What the buffer holds beyond its header, by layout (flat in json).
    #[serde(flatten)]
    pub decoded: ReparseData,
    /// The data as hex, for kinds whose data is opaque and for malformed buffers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// Why the buffer cannot be trusted, when it cannot: [`problems`](Self::problems)
    /// as text, joined by `; `.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub malformed: Option<String>,
    /// What is wrong with the buffer, one entry per check that failed (not in json:
    /// `malformed` says it there).
    #[serde(skip)]
    pub problems: Vec<ReparseProblem>,
}

impl ReparsePoint {
    /// True for junctions, volume mount points, symlinks and lx_symlinks: the kinds
    /// whose target can be resolved.
    pub fn is_link(&self) -> bool {
        self.kind.is_link()
    }

    /// Records what is wrong with the buffer (and `malformed`, their text).
    fn set_problems(&mut self, problems: Vec<ReparseProblem>) {
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        self.malformed = (!text.is_empty()).then(|| text.join("; "));
        self.problems = problems;
    }

    /// The target this link points at, parsed (links only).
    pub fn parsed_target(&self) -> Option<Target> {
        match (&self.decoded, self.kind) {
            (ReparseData::Link(l), ReparseKind::Junction)
            | (ReparseData::Link(l), ReparseKind::VolumeMountPoint)
            | (ReparseData::Link(l), ReparseKind::Symlink) => {
                let name = l.substitute_name.as_deref()?;
                Some(Target::parse_windows(name, l.relative == Some(true)))
            }
            (ReparseData::LxSymlink(l), ReparseKind::LxSymlink) => {
                Some(Target::parse_posix(l.target.as_deref()?))
            }
            (ReparseData::Interix(i), ReparseKind::InterixSymlink) => {
                Some(Target::parse_posix(&i.target))
            }
            _ => None,
        }
    }

    /// The link data of a junction, volume mount point or symbolic link.
    pub fn link(&self) -> Option<&LinkData> {
        match &self.decoded {
            ReparseData::Link(l) => Some(l),
            _ => None,
        }
    }

    /// A junction's or symlink's substitute name.
    pub fn substitute_name(&self) -> Option<&str> {
        self.link()?.substitute_name.as_deref()
    }

    /// A junction's or symlink's print name.
    pub fn print_name(&self) -> Option<&str> {
        self.link()?.print_name.as_deref()
    }

    /// A symlink's relative flag.
    pub fn relative(&self) -> Option<bool> {
        self.link()?.relative
    }

    /// The form of a link's target.
    pub fn target_form(&self) -> Option<TargetForm> {
        match &self.decoded {
            ReparseData::Link(l) => l.target_form,
            ReparseData::LxSymlink(l) => l.target_form,
            _ => None,
        }
    }

    /// Where the link says it leads, as written: the substitute name of a junction
    /// or symlink, else the [`target`](Self::target).
    pub fn destination(&self) -> Option<&str> {
        self.substitute_name().or(self.target())
    }

    /// The target string of a WSL, Interix or NFS symlink or an app execution
    /// alias (junctions and symlinks have [`substitute_name`](Self::substitute_name)).
    pub fn target(&self) -> Option<&str> {
        match &self.decoded {
            ReparseData::LxSymlink(l) => l.target.as_deref(),
            ReparseData::AppExecLink(a) => a.target.as_deref(),
            ReparseData::Nfs(n) => n.target.as_deref(),
            ReparseData::Interix(i) => Some(&i.target),
            _ => None,
        }
    }
}

/// Decodes a reparse buffer (the whole $REPARSE_POINT value).
///
/// ```
/// // A symlink to ..\a.txt, relative: header, name offsets, flags, names.
/// let name: Vec<u8> = "..\\a.txt".encode_utf16().flat_map(u16::to_le_bytes).collect();
/// let mut buf = Vec::new();
/// buf.extend(0xA000000Cu32.to_le_bytes());
/// buf.extend((12 + 2 * name.len() as u16).to_le_bytes());
/// buf.extend([0, 0]);
/// for v in [0u16, name.len() as u16, name.len() as u16, name.len() as u16] {
///     buf.extend(v.to_le_bytes());
/// }
/// buf.extend(1u32.to_le_bytes());
/// buf.extend(&name);
/// buf.extend(&name);
/// let rp = ntfs_links::reparse::decode(&buf);
/// assert_eq!(rp.kind, ntfs_links::reparse::ReparseKind::Symlink);
/// assert_eq!(rp.substitute_name(), Some("..\\a.txt"));
/// assert_eq!(rp.relative(), Some(true));
/// assert_eq!(rp.malformed, None);
/// ```
pub fn decode(buf: &[u8]) -> ReparsePoint {
    buffers::decode(buf)
}

/// Decodes the data of an Interix symbolic link (`IntxLNK\x01` then UTF-16LE).
pub fn decode_interix(data: &[u8]) -> Option<ReparsePoint> {
    let rest = data.strip_prefix(INTERIX_SYMLINK_MAGIC)?;
    let mut rp = ReparsePoint {
        kind: ReparseKind::InterixSymlink,
        data_length: data.len().min(u16::MAX as usize) as u16,
        ..Default::default()
    };
    if rest.len() % 2 != 0 {
        rp.set_problems(vec![ReparseProblem::InterixOdd { len: rest.len() }]);
        rp.data = Some(hex(data));
    }
    let units: Vec<u16> = crate::bytes::utf16_units(rest)
        .take_while(|&u| u != 0)
        .collect();
    rp.decoded = ReparseData::Interix(InterixData {
        target: String::from_utf16_lossy(&units),
    });
    Some(rp)
}

/// Lowercase hex of bytes.
pub(crate) fn hex(b: &[u8]) -> String {
    use std::fmt::Write;
    b.iter()
        .fold(String::with_capacity(b.len() * 2), |mut s, x| {
            let _ = write!(s, "{x:02x}");
            s
        })
}
