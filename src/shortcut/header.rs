//! ShellLinkHeader (MS-SHLLINK 2.1): the fixed 76 bytes that start every link,
//! with the target's attributes, times and size as they were when the link was
//! last saved, and how the target is to be shown.

use serde::{Serialize, Serializer};

use super::bytes::{i32_at, u16_at, u32_at, u64_at};

/// HeaderSize: the header's only allowed size.
pub const HEADER_SIZE: usize = 0x4C;

/// LinkCLSID 00021401-0000-0000-C000-000000000046 as it lies on disk.
pub const LINK_CLSID: [u8; 16] = [
    0x01, 0x14, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46,
];

/// LinkFlags bits (MS-SHLLINK 2.1.1), in bit order.
const LINK_FLAGS: [&str; 27] = [
    "has_link_target_id_list",
    "has_link_info",
    "has_name",
    "has_relative_path",
    "has_working_dir",
    "has_arguments",
    "has_icon_location",
    "is_unicode",
    "force_no_link_info",
    "has_exp_string",
    "run_in_separate_process",
    "unused1",
    "has_darwin_id",
    "run_as_user",
    "has_exp_icon",
    "no_pidl_alias",
    "unused2",
    "run_with_shim_layer",
    "force_no_link_track",
    "enable_target_metadata",
    "disable_link_path_tracking",
    "disable_known_folder_tracking",
    "disable_known_folder_alias",
    "allow_link_to_link",
    "unalias_on_save",
    "prefer_environment_path",
    "keep_local_id_list_for_unc_target",
];

/// FILE_ATTRIBUTE_* bits (MS-SHLLINK 2.1.2 and MS-FSCC 2.6), in bit order.
const FILE_ATTRIBUTES: [&str; 18] = [
    "readonly",
    "hidden",
    "system",
    "reserved1",
    "directory",
    "archive",
    "reserved2",
    "normal",
    "temporary",
    "sparse_file",
    "reparse_point",
    "compressed",
    "offline",
    "not_content_indexed",
    "encrypted",
    "integrity_stream",
    "virtual",
    "no_scrub_data",
];

/// LinkFlags bit: a LinkTargetIDList follows the header.
pub(crate) const HAS_LINK_TARGET_ID_LIST: u32 = 1 << 0;
/// LinkFlags bit: a LinkInfo follows.
pub(crate) const HAS_LINK_INFO: u32 = 1 << 1;
/// LinkFlags bit: StringData is UTF-16.
pub(crate) const IS_UNICODE: u32 = 1 << 7;

/// The names of the bits set in `value`, from a table in bit order; bits past
/// the table are named `bit_N`.
fn bit_names(value: u32, table: &[&'static str]) -> Vec<&'static str> {
    (0..32)
        .filter(|bit| value & (1 << bit) != 0)
        .filter_map(|bit| table.get(bit).or(UNKNOWN_BITS.get(bit)).copied())
        .collect()
}

/// Names for bits no table names.
const UNKNOWN_BITS: [&str; 32] = [
    "bit_0", "bit_1", "bit_2", "bit_3", "bit_4", "bit_5", "bit_6", "bit_7", "bit_8", "bit_9",
    "bit_10", "bit_11", "bit_12", "bit_13", "bit_14", "bit_15", "bit_16", "bit_17", "bit_18",
    "bit_19", "bit_20", "bit_21", "bit_22", "bit_23", "bit_24", "bit_25", "bit_26", "bit_27",
    "bit_28", "bit_29", "bit_30", "bit_31",
];

/// The names of FILE_ATTRIBUTE_* bits set in `value` (`readonly`, `directory`, ...).
pub fn file_attribute_names(value: u32) -> Vec<&'static str> {
    bit_names(value, &FILE_ATTRIBUTES)
}

/// How the target's window is shown (ShowCommand). Written as its name, or as
/// the number for values the specification does not name (which Windows treats
/// as `normal`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShowCommand {
    /// SW_SHOWNORMAL (1).
    Normal,
    /// SW_SHOWMAXIMIZED (3).
    Maximized,
    /// SW_SHOWMINNOACTIVE (7).
    MinNoActive,
    /// Any other value.
    Other(u32),
}

impl ShowCommand {
    /// The value's meaning.
    pub fn from_raw(raw: u32) -> Self {
        match raw {
            1 => ShowCommand::Normal,
            3 => ShowCommand::Maximized,
            7 => ShowCommand::MinNoActive,
            other => ShowCommand::Other(other),
        }
    }
}

impl Serialize for ShowCommand {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ShowCommand::Normal => s.serialize_str("normal"),
            ShowCommand::Maximized => s.serialize_str("maximized"),
            ShowCommand::MinNoActive => s.serialize_str("min_no_active"),
            ShowCommand::Other(raw) => s.serialize_u32(*raw),
        }
    }
}

/// The ShellLinkHeader, decoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Header {
    /// LinkFlags as stored.
    pub link_flags: u32,
    /// The names of the LinkFlags bits set (`has_link_target_id_list`, `is_unicode`, ...).
    pub link_flag_names: Vec<&'static str>,
    /// The target's FILE_ATTRIBUTE_* bits as stored.
    pub file_attributes: u32,
    /// Their names (`directory`, `archive`, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub file_attribute_names: Vec<&'static str>,
    /// The target's creation time, a FILETIME (100 ns since 1601, UTC); `None` when 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_time: Option<u64>,
    /// The target's last access time, a FILETIME; `None` when 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_time: Option<u64>,
    /// The target's last write time, a FILETIME; `None` when 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub write_time: Option<u64>,
    /// The low 32 bits of the target's size in bytes.
    pub file_size: u32,
    /// The icon's index in the icon location.
    pub icon_index: i32,
    /// How the target's window is shown.
    pub show_command: ShowCommand,
    /// HotKey as stored (low byte the key, high byte the modifiers); 0 for none.
    #[serde(skip_serializing_if = "is_zero")]
    pub hot_key_raw: u16,
    /// The hot key as Windows shows it (`Ctrl+Alt+K`); `None` when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hot_key: Option<String>,
}

fn is_zero(v: &u16) -> bool {
    *v == 0
}

impl Header {
    /// Whether LinkFlags has `bit` set.
    pub fn has(&self, bit: u32) -> bool {
        self.link_flags & bit != 0
    }
}

/// Whether `bytes` start with a shell link header: HeaderSize 0x4C and the
/// shell link CLSID.
pub fn is_shell_link(bytes: &[u8]) -> bool {
    u32_at(bytes, 0) == Some(HEADER_SIZE as u32) && bytes.get(4..20) == Some(&LINK_CLSID[..])
}

/// Decodes the header of a link `is_shell_link` accepted (at least 76 bytes).
pub(crate) fn decode(b: &[u8]) -> Option<Header> {
    let link_flags = u32_at(b, 0x14)?;
    let file_attributes = u32_at(b, 0x18)?;
    let time = |at| u64_at(b, at).filter(|&t| t != 0);
    let hot_key_raw = u16_at(b, 0x40)?;
    Some(Header {
        link_flags,
        link_flag_names: bit_names(link_flags, &LINK_FLAGS),
        file_attributes,
        file_attribute_names: file_attribute_names(file_attributes),
        creation_time: time(0x1C),
        access_time: time(0x24),
        write_time: time(0x2C),
        file_size: u32_at(b, 0x34)?,
        icon_index: i32_at(b, 0x38)?,
        show_command: ShowCommand::from_raw(u32_at(b, 0x3C)?),
        hot_key_raw,
        hot_key: hot_key_text(hot_key_raw),
    })
}

/// HotKeyFlags as text: modifiers (HOTKEYF_CONTROL 0x02, HOTKEYF_ALT 0x04,
/// HOTKEYF_SHIFT 0x01 in the high byte) then the key (low byte: 0-9, A-Z,
/// F1-F24, NUM LOCK, SCROLL LOCK; other virtual-key codes as `0xNN`).
pub fn hot_key_text(raw: u16) -> Option<String> {
    let [key, modifiers] = raw.to_le_bytes();
    if key == 0 {
        return None;
    }
    let mut text = String::new();
    for (bit, name) in [(0x02, "Ctrl+"), (0x04, "Alt+"), (0x01, "Shift+")] {
        if modifiers & bit != 0 {
            text.push_str(name);
        }
    }
    match key {
        b'0'..=b'9' | b'A'..=b'Z' => text.push(char::from(key)),
        0x70..=0x87 => text.push_str(&format!("F{}", key - 0x6F)),
        0x90 => text.push_str("NumLock"),
        0x91 => text.push_str("ScrollLock"),
        _ => text.push_str(&format!("0x{key:02X}")),
    }
    Some(text)
}
