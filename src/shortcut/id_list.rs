//! LinkTargetIDList (MS-SHLLINK 2.2) and the shell items in it. The item formats
//! are not in the specification; their layouts follow libfwsi's "Windows Shell
//! Item format": root folder (0x1F), volume (0x2X), file entry (0x3X, with its
//! 0xBEEF0004 extension block holding the long name and the NTFS file
//! reference), network location (0x4X). Other items are listed by class only,
//! with the 0xBEEF0004 block when one is found in them (delegate items, 0x74).

use serde::Serialize;

use super::bytes::{self, u8_at, u16_at, u32_at};
use super::guid::{folder_name, guid_at};
use super::text::{ansi, until_nul, utf16_until_nul};
use super::{Problem, problem};

/// The signature of the file entry extension block.
const BEEF0004: u32 = 0xBEEF_0004;

/// What a shell item is, from its class type indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ItemKind {
    /// 0x1F: a shell folder at the root of the namespace (My Computer, ...).
    RootFolder,
    /// 0x20-0x2F: a drive (`C:\`), or a folder named by GUID.
    Volume,
    /// 0x30-0x3F (and 0xB1): a file or directory.
    FileEntry,
    /// 0x40-0x4F: a domain, server or share of a network.
    NetworkLocation,
    /// 0x74: a delegate item (Users Files folder and others).
    Delegate,
    /// Anything else.
    Other,
}

/// One shell item of an ID list. Only the fields its kind carries are set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ShellItem {
    /// Its offset in the link file.
    pub offset: usize,
    /// ItemIDSize, counting its own 2 bytes.
    pub size: u16,
    /// The class type indicator (third byte).
    pub class_type: u8,
    /// What that makes it.
    pub kind: ItemKind,
    /// Root folder: the sort index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_index: Option<u8>,
    /// Root folder or volume without a name: the shell folder GUID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
    /// The name of that GUID, when known (`My Computer`, `Downloads`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guid_name: Option<&'static str>,
    /// Volume: the drive (`C:\`); file entry: the primary name (often the 8.3
    /// name); network location: the location (`\\server\share`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Network location: its description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Network location: its comments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comments: Option<String>,
    /// File entry: the file size (low 32 bits; 0 for directories).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_size: Option<u32>,
    /// File entry: the low 16 bits of the file attributes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_attributes: Option<u16>,
    /// File entry: the last modification time, a FAT date and time
    /// (`2008-09-12T20:27:18`, 2-second precision, UTC per libfwsi).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// The 0xBEEF0004 extension block, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension: Option<FileEntryExtension>,
}

/// The file entry extension block (0xBEEF0004): long name and NTFS reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct FileEntryExtension {
    /// Its offset in the link file.
    pub offset: usize,
    /// Extension version: 3 (XP), 7 (Vista), 8 (7, 8.0), 9 (8.1, 10, 11).
    pub version: u16,
    /// Creation time, a FAT date and time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// Last access time, a FAT date and time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accessed: Option<String>,
    /// The MFT entry (record) number of the file reference (version 7 and later).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mft_entry: Option<u64>,
    /// The sequence number of the file reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mft_sequence: Option<u16>,
    /// The long name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub long_name: Option<String>,
    /// The localized name (`@shell32.dll,-21817`), when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub localized_name: Option<String>,
}

/// A decoded ID list: its items and the path they spell, when they spell one.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct IdList {
    /// The items, in order.
    pub items: Vec<ShellItem>,
    /// The file-system path the items make (`C:\Windows\System32\cmd.exe`,
    /// `\\server\share\dir`): a drive or a UNC share followed by file entries
    /// (long names preferred). `None` when an item has no place in a path
    /// (known-folder, delegate and application items).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// Decodes the items of an IDList (the bytes after IDListSize, `base` their
/// offset in the file), up to the terminal ID.
pub(crate) fn decode_items(list: &[u8], base: usize, problems: &mut Vec<Problem>) -> IdList {
    let mut items = Vec::new();
    let mut pos = 0usize;
    loop {
        let Some(size) = u16_at(list, pos) else {
            problem(
                problems,
                base + pos,
                "ID list ends without its terminal ID",
                None,
            );
            break;
        };
        if size == 0 {
            if pos + 2 != list.len() {
                let extra = list.len().saturating_sub(pos + 2) as u64;
                problem(
                    problems,
                    base + pos + 2,
                    "bytes after the ID list's terminal ID",
                    Some(extra),
                );
            }
            break;
        }
        if size < 3 {
            problem(
                problems,
                base + pos,
                "shell item smaller than 3 bytes",
                Some(size.into()),
            );
            break;
        }
        let Some(item) = bytes::slice(list, pos, size.into()) else {
            problem(
                problems,
                base + pos,
                "shell item runs past the end of the ID list",
                Some(size.into()),
            );
            break;
        };
        items.push(decode_item(item, base + pos, problems));
        pos += usize::from(size);
    }
    let path = path_of(&items);
    IdList { items, path }
}

/// Decodes one shell item (`b` holds exactly its ItemIDSize bytes).
fn decode_item(b: &[u8], offset: usize, problems: &mut Vec<Problem>) -> ShellItem {
    let class_type = u8_at(b, 2).unwrap_or(0);
    let mut item = ShellItem {
        offset,
        size: b.len() as u16,
        class_type,
        kind: ItemKind::Other,
        sort_index: None,
        guid: None,
        guid_name: None,
        name: None,
        description: None,
        comments: None,
        file_size: None,
        file_attributes: None,
        modified: None,
        extension: None,
    };
    match class_type {
        0x1F => {
            item.kind = ItemKind::RootFolder;
            item.sort_index = u8_at(b, 3);
            item.guid = guid_at(b, 4);
        }
        0x74 => {
            item.kind = ItemKind::Delegate;
            item.extension = find_extension(b, 4, offset, problems);
        }
        c if c & 0x70 == 0x20 => {
            item.kind = ItemKind::Volume;
            if c & 0x01 != 0 {
                let field = bytes::slice(b, 3, 20).unwrap_or_else(|| bytes::rest(b, 3));
                item.name = Some(ansi(until_nul(field).0));
            } else {
                item.guid = guid_at(b, 4);
            }
        }
        c if c & 0x70 == 0x30 => {
            item.kind = ItemKind::FileEntry;
            file_entry(b, offset, &mut item, problems);
        }
        c if c & 0x70 == 0x40 => {
            item.kind = ItemKind::NetworkLocation;
            network_location(b, &mut item);
        }
        _ => {}
    }
    item.guid_name = item.guid.as_deref().and_then(folder_name);
    item
}

/// The fields of a file entry item: size, time, attributes, primary name, and the
/// 0xBEEF0004 block after the name.
fn file_entry(b: &[u8], offset: usize, item: &mut ShellItem, problems: &mut Vec<Problem>) {
    item.file_size = u32_at(b, 4);
    item.modified = fat_time(b, 8);
    item.file_attributes = u16_at(b, 12);
    if b.len() < 14 {
        return;
    }
    // The item's last 2 bytes give the offset of its (last) extension block;
    // when that is a 0xBEEF0004 block, the name ends there at the latest (XP
    // wrote Unicode names cut short without a terminator).
    let pointed = u16_at(b, b.len().saturating_sub(2))
        .map(usize::from)
        .filter(|&at| at >= 14 && is_beef0004(b, at));
    let name_field = b.get(14..pointed.unwrap_or(b.len())).unwrap_or(&[]);
    let unicode = item.class_type & 0x04 != 0;
    let (name, terminated, used) = if unicode {
        let (text, found) = utf16_until_nul(name_field);
        if text.lossy {
            problem(
                problems,
                offset + 14,
                "ill-formed UTF-16 in a shell item name (unpaired surrogate kept as U+FFFD)",
                None,
            );
        }
        let used = text.text.encode_utf16().count() * 2 + 2;
        (text.text, found, used)
    } else {
        let (raw, found) = until_nul(name_field);
        (ansi(raw), found, raw.len() + 1)
    };
    if !terminated && pointed.is_none() {
        problem(
            problems,
            offset + 14,
            "file entry name not terminated inside its shell item",
            None,
        );
    }
    item.name = Some(name);
    // The name is padded to an even length.
    let from = pointed.unwrap_or((14 + used + 1) & !1);
    item.extension = find_extension(b, from, offset, problems);
}

/// Whether a 0xBEEF0004 block header starts at `at`.
fn is_beef0004(b: &[u8], at: usize) -> bool {
    u32_at(b, at + 4) == Some(BEEF0004) && u16_at(b, at).is_some_and(|size| size >= 0x14)
}

/// The first 0xBEEF0004 block at or after `from` (an even offset in the item).
fn find_extension(
    b: &[u8],
    from: usize,
    item_offset: usize,
    problems: &mut Vec<Problem>,
) -> Option<FileEntryExtension> {
    let mut at = from;
    while at + 8 <= b.len() {
        if is_beef0004(b, at) {
            let size = usize::from(u16_at(b, at)?);
            let Some(block) = bytes::slice(b, at, size) else {
                problem(
                    problems,
                    item_offset + at,
                    "0xBEEF0004 block runs past the end of its shell item",
                    Some(size as u64),
                );
                return None;
            };
            return Some(beef0004(block, item_offset + at, problems));
        }
        at += 2;
    }
    None
}

/// Decodes a 0xBEEF0004 block (`b` holds exactly its size).
fn beef0004(b: &[u8], offset: usize, problems: &mut Vec<Problem>) -> FileEntryExtension {
    let version = u16_at(b, 2).unwrap_or(0);
    let mut ext = FileEntryExtension {
        offset,
        version,
        created: fat_time(b, 8),
        accessed: fat_time(b, 12),
        mft_entry: None,
        mft_sequence: None,
        long_name: None,
        localized_name: None,
    };
    if version >= 7
        && let Some(reference) = bytes::array::<8>(b, 20)
    {
        let [e0, e1, e2, e3, e4, e5, s0, s1] = reference;
        ext.mft_entry = Some(u64::from_le_bytes([e0, e1, e2, e3, e4, e5, 0, 0]));
        ext.mft_sequence = Some(u16::from_le_bytes([s0, s1]));
    }
    // Where the long name starts: after the long string size and, from
    // version 8 on, one or two 4-byte values.
    let (size_at, name_at) = match version {
        0..=2 => return ext,
        3..=6 => (18, 20),
        7 => (36, 38),
        8 => (36, 42),
        _ => (36, 46),
    };
    // The last 2 bytes hold the offset of the block in its item.
    let body = bytes::slice(b, 0, b.len().saturating_sub(2)).unwrap_or(b);
    if name_at > body.len() {
        problem(
            problems,
            offset,
            "0xBEEF0004 block too small for its version",
            Some(b.len() as u64),
        );
        return ext;
    }
    let (long, found) = utf16_until_nul(bytes::rest(body, name_at));
    if long.lossy {
        problem(
            problems,
            offset + name_at,
            "ill-formed UTF-16 in a long name (unpaired surrogate kept as U+FFFD)",
            None,
        );
    }
    if !found {
        problem(
            problems,
            offset + name_at,
            "long name not terminated inside its 0xBEEF0004 block",
            None,
        );
    }
    let long_len = long.text.encode_utf16().count() * 2 + 2;
    ext.long_name = Some(long.text);
    if u16_at(b, size_at).is_some_and(|size| size > 0) {
        let localized_at = name_at + long_len;
        let rest = bytes::rest(body, localized_at);
        let localized = if version >= 7 {
            utf16_until_nul(rest).0.text
        } else {
            ansi(until_nul(rest).0)
        };
        ext.localized_name = Some(localized).filter(|s| !s.is_empty());
    }
    ext
}

/// Network location item: flags at 4, location from 5, then description and
/// comments when flags 0x80 and 0x40 say so.
fn network_location(b: &[u8], item: &mut ShellItem) {
    let flags = u8_at(b, 4).unwrap_or(0);
    let mut rest = bytes::rest(b, 5);
    let mut next = || {
        let (raw, _) = until_nul(rest);
        rest = bytes::rest(rest, raw.len() + 1);
        ansi(raw)
    };
    item.name = Some(next());
    if flags & 0x80 != 0 {
        item.description = Some(next());
    }
    if flags & 0x40 != 0 {
        item.comments = Some(next());
    }
}

/// A FAT date (u16) and time (u16) at `at` as `YYYY-MM-DDTHH:MM:SS`; `None`
/// when zero or not a valid date.
pub(crate) fn fat_time(b: &[u8], at: usize) -> Option<String> {
    let date = u16_at(b, at)?;
    let time = u16_at(b, at + 2)?;
    if date == 0 && time == 0 {
        return None;
    }
    let (year, month, day) = (1980 + (date >> 9), (date >> 5) & 0x0F, date & 0x1F);
    let (hour, minute, second) = (time >> 11, (time >> 5) & 0x3F, (time & 0x1F) * 2);
    if !(1..=12).contains(&month) || day == 0 || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}"
    ))
}

/// The path a list of items spells: a drive or UNC location, then file entries.
fn path_of(items: &[ShellItem]) -> Option<String> {
    let mut path: Option<String> = None;
    for item in items {
        match item.kind {
            ItemKind::RootFolder if path.is_none() => {}
            ItemKind::Volume if item.name.is_some() => path = item.name.clone(),
            ItemKind::NetworkLocation => {
                let name = item.name.as_deref().unwrap_or("");
                if name.starts_with("\\\\") {
                    path = Some(name.to_string());
                } else if path.is_some() {
                    return None;
                }
            }
            ItemKind::FileEntry => {
                let long = item.extension.as_ref().and_then(|e| e.long_name.as_deref());
                let name = long.filter(|n| !n.is_empty()).or(item.name.as_deref())?;
                let p = path.as_mut()?;
                if !p.ends_with('\\') {
                    p.push('\\');
                }
                p.push_str(name);
            }
            _ => return None,
        }
    }
    path
}
