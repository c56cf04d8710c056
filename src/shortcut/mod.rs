//! Windows shell links (`.lnk`, [MS-SHLLINK]) and the basic section of program
//! information files (`.pif`).
//!
//! A shell link is a 76-byte header, then optional parts its LinkFlags announce:
//! the target as an ID list of shell items ([`IdList`]), where the target was
//! ([`LinkInfo`]: volume and local path, or network share), up to five strings
//! ([`StringData`]: description, relative path, working directory, arguments,
//! icon), and extra data blocks ([`ExtraData`]: environment-variable target,
//! link tracking, known folder, property store, ...).
//!
//! [`decode`] never fails and never panics: whatever can be read is kept, and
//! each malformed part becomes a [`Problem`] with the byte offset where it lies
//! (truncation, sizes running past their container, offsets outside LinkInfo,
//! ill-formed UTF-16). A part whose size cannot be trusted ends the decoding of
//! the parts after it, whose position it gives.
//!
//! Strings stored in the writer's code page are read as Windows-1252; UTF-16
//! with unpaired surrogates is kept with U+FFFD in their place, and reported.
//!
//! [MS-SHLLINK]: https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-shllink/16cb4ca1-9339-4d0c-a68d-bf1d6cc0f943

mod bytes;
mod extra_data;
mod guid;
pub(crate) use guid::format_guid;
mod header;
mod id_list;
mod link_info;
mod pif;
mod property_store;
mod string_data;
mod text;

use std::fmt;

use serde::Serialize;

pub use extra_data::{
    Console, ExtraData, KnownFolder, SpecialFolder, TargetBlock, Tracker, UnknownBlock, csidl_name,
};
pub use header::{
    HEADER_SIZE, Header, LINK_CLSID, ShowCommand, file_attribute_names, hot_key_text, is_shell_link,
};
pub use id_list::{FileEntryExtension, IdList, ItemKind, ShellItem};
pub use link_info::{LinkInfo, NetworkLink, VolumeId, drive_type_name, provider_name};
pub use pif::{PIF_HEADING, PIF_PROBE, Pif, decode_pif, is_pif};
pub use property_store::{Property, PropertyStorage, PropertyValue};
pub use string_data::StringData;

/// Something malformed in a link (or `.pif`), at a byte offset of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Problem {
    /// Where it lies: the offset in the file of the structure or field concerned.
    pub offset: usize,
    /// What is wrong (a fixed sentence, so that tests and filters can match it).
    pub reason: &'static str,
    /// The value at fault (a declared size or offset), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<u64>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at byte {:#x}: {}", self.offset, self.reason)?;
        match self.value {
            Some(value) => write!(f, " ({value:#x})"),
            None => Ok(()),
        }
    }
}

/// Records a problem.
pub(crate) fn problem(
    problems: &mut Vec<Problem>,
    offset: usize,
    reason: &'static str,
    value: Option<u64>,
) {
    problems.push(Problem {
        offset,
        reason,
        value,
    });
}

/// A decoded shell link: every part found, and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct ShellLink {
    /// The header; `None` when the bytes are no shell link.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<Header>,
    /// The LinkTargetIDList, when HasLinkTargetIDList is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_list: Option<IdList>,
    /// The LinkInfo, when HasLinkInfo is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link_info: Option<LinkInfo>,
    /// The strings (flat in json: `name`, `relative_path`, `working_dir`,
    /// `arguments`, `icon_location`).
    #[serde(flatten)]
    pub strings: StringData,
    /// The extra data blocks.
    #[serde(skip_serializing_if = "ExtraData::is_empty")]
    pub extra: ExtraData,
    /// What is malformed, in file order of discovery.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

impl ShellLink {
    /// The best local or UNC path of the target: LinkInfo's local base path and
    /// common path suffix; else its network share name and the suffix; else the
    /// path the ID list spells (then the Vista ID list block's); else the
    /// environment-variable block's target (unexpanded, `%windir%\...`).
    pub fn target_path(&self) -> Option<String> {
        let info = self.link_info.as_ref();
        let suffix = info.and_then(LinkInfo::suffix).unwrap_or("");
        if let Some(local) = info.and_then(LinkInfo::local_path) {
            return Some(join(local, suffix));
        }
        if let Some(network) = info.and_then(|i| i.network.as_ref()) {
            return Some(join(network.name(), suffix));
        }
        self.id_list
            .as_ref()
            .and_then(|l| l.path.clone())
            .or_else(|| self.extra.vista_id_list.as_ref()?.path.clone())
            .or_else(|| Some(self.extra.environment.as_ref()?.value()?.to_string()))
    }
}

/// A base path and a suffix, with one backslash between them when both are set.
fn join(base: &str, suffix: &str) -> String {
    if suffix.is_empty() || base.is_empty() || base.ends_with('\\') {
        format!("{base}{suffix}")
    } else {
        format!("{base}\\{suffix}")
    }
}

/// Decodes a shell link. Never fails: bytes that are no shell link (see
/// [`is_shell_link`]) give a link without header and one problem; damage gives
/// the parts around it and problems with their offsets.
///
/// ```
/// use ntfs_links::shortcut;
///
/// // A header with HasWorkingDir and IsUnicode, one string, the terminal block.
/// let mut bytes = vec![0u8; shortcut::HEADER_SIZE];
/// bytes[..4].copy_from_slice(&0x4Cu32.to_le_bytes());
/// bytes[4..20].copy_from_slice(&shortcut::LINK_CLSID);
/// bytes[0x14..0x18].copy_from_slice(&0x90u32.to_le_bytes());
/// bytes.extend_from_slice(&3u16.to_le_bytes());
/// bytes.extend("C:\\".encode_utf16().flat_map(u16::to_le_bytes));
/// bytes.extend_from_slice(&[0; 4]);
///
/// assert!(shortcut::is_shell_link(&bytes));
/// let link = shortcut::decode(&bytes);
/// assert_eq!(link.strings.working_dir.as_deref(), Some("C:\\"));
/// assert!(link.problems.is_empty());
///
/// // Cut short, it still decodes, and says where.
/// let cut = shortcut::decode(&bytes[..0x50]);
/// assert_eq!(cut.problems[0].offset, 0x4C);
/// ```
pub fn decode(bytes: &[u8]) -> ShellLink {
    let mut link = ShellLink::default();
    if !is_shell_link(bytes) || bytes.len() < HEADER_SIZE {
        let reason = if is_shell_link(bytes) {
            "shell link header cut short (76 bytes)"
        } else if bytes.len() < HEADER_SIZE {
            "shorter than the 76-byte shell link header"
        } else {
            "not a shell link: HeaderSize is not 0x4C or LinkCLSID differs"
        };
        problem(&mut link.problems, 0, reason, Some(bytes.len() as u64));
        return link;
    }
    decode_parts(bytes, &mut link);
    link
}

/// Decodes the parts after the header, in order; stops at the first part whose
/// extent cannot be trusted.
fn decode_parts(bytes: &[u8], link: &mut ShellLink) -> Option<()> {
    let header = header::decode(bytes)?;
    let flags = header.link_flags;
    link.header = Some(header);
    let problems = &mut link.problems;
    let mut pos = HEADER_SIZE;
    if flags & header::HAS_LINK_TARGET_ID_LIST != 0 {
        let Some(size) = bytes::u16_at(bytes, pos) else {
            problem(problems, pos, "file ends before IDListSize", None);
            return None;
        };
        let size = usize::from(size);
        let list = bytes::slice(bytes, pos + 2, size);
        if list.is_none() {
            problem(
                problems,
                pos,
                "IDListSize runs past the end of the file",
                Some(size as u64),
            );
        }
        let whole = list.is_some();
        let list = list.unwrap_or_else(|| bytes::rest(bytes, pos + 2));
        link.id_list = Some(id_list::decode_items(list, pos + 2, problems));
        if !whole {
            return None;
        }
        pos += 2 + size;
    }
    if flags & header::HAS_LINK_INFO != 0 {
        let (info, size) = link_info::decode(bytes::rest(bytes, pos), pos, problems);
        link.link_info = info;
        pos = pos.checked_add(size?)?;
        if pos > bytes.len() {
            return None;
        }
    }
    let (strings, size) = string_data::decode(bytes::rest(bytes, pos), pos, flags, problems);
    link.strings = strings;
    pos += size?;
    link.extra = extra_data::decode(bytes::rest(bytes, pos), pos, problems);
    Some(())
}
