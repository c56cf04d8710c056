//! ExtraData (MS-SHLLINK 2.5): the blocks after StringData, each a 32-bit
//! BlockSize, a 32-bit signature and its data, up to a terminal block of size
//! less than 4. Known blocks are decoded into their own field (the first of a
//! kind; a repeat is reported); others are listed by signature and size.

use serde::Serialize;

use super::bytes::{self, u16_at, u32_at};
use super::guid::{guid_at, known_folder_name};
use super::id_list::{IdList, decode_items};
use super::property_store::{PropertyStorage, decode_property_store};
use super::text::{ansi, until_nul, utf16_until_nul};
use super::{Problem, problem};

/// EnvironmentVariableDataBlock.
const ENVIRONMENT: u32 = 0xA000_0001;
/// ConsoleDataBlock.
const CONSOLE: u32 = 0xA000_0002;
/// TrackerDataBlock.
const TRACKER: u32 = 0xA000_0003;
/// ConsoleFEDataBlock.
const CONSOLE_FE: u32 = 0xA000_0004;
/// SpecialFolderDataBlock.
const SPECIAL_FOLDER: u32 = 0xA000_0005;
/// DarwinDataBlock.
const DARWIN: u32 = 0xA000_0006;
/// IconEnvironmentDataBlock.
const ICON_ENVIRONMENT: u32 = 0xA000_0007;
/// ShimDataBlock.
const SHIM: u32 = 0xA000_0008;
/// PropertyStoreDataBlock.
const PROPERTY_STORE: u32 = 0xA000_0009;
/// KnownFolderDataBlock.
const KNOWN_FOLDER: u32 = 0xA000_000B;
/// VistaAndAboveIDListDataBlock.
const VISTA_ID_LIST: u32 = 0xA000_000C;

/// FILETIME of the UUID epoch (1582-10-15) subtracted from a FILETIME: the
/// 100 ns intervals from 1582-10-15 to 1601-01-01.
const UUID_TO_FILETIME: u64 = 5_748_192_000_000_000;

/// The decoded ExtraData blocks.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct ExtraData {
    /// EnvironmentVariableDataBlock (0xA0000001): the target as a path with
    /// environment variables (`%windir%\system32\...`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<TargetBlock>,
    /// ConsoleDataBlock (0xA0000002).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub console: Option<Console>,
    /// TrackerDataBlock (0xA0000003): distributed link tracking.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracker: Option<Tracker>,
    /// ConsoleFEDataBlock (0xA0000004): the console's code page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub console_code_page: Option<u32>,
    /// SpecialFolderDataBlock (0xA0000005).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub special_folder: Option<SpecialFolder>,
    /// DarwinDataBlock (0xA0000006): the Windows Installer descriptor of an
    /// advertised shortcut.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub darwin: Option<TargetBlock>,
    /// IconEnvironmentDataBlock (0xA0000007): the icon path with environment variables.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub icon_environment: Option<TargetBlock>,
    /// ShimDataBlock (0xA0000008): the compatibility layer's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shim_layer: Option<String>,
    /// PropertyStoreDataBlock (0xA0000009): the serialized property storages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub property_store: Option<Vec<PropertyStorage>>,
    /// KnownFolderDataBlock (0xA000000B).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub known_folder: Option<KnownFolder>,
    /// VistaAndAboveIDListDataBlock (0xA000000C): an alternative ID list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vista_id_list: Option<IdList>,
    /// Blocks of other signatures.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<UnknownBlock>,
}

impl ExtraData {
    /// Whether no block was found.
    pub fn is_empty(&self) -> bool {
        *self == ExtraData::default()
    }
}

/// A block holding a path or descriptor twice: in the system code page (260
/// bytes) and in UTF-16 (520 bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TargetBlock {
    /// The block's offset in the link file.
    pub offset: usize,
    /// The code-page form (read as Windows-1252), when not empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ansi: Option<String>,
    /// The UTF-16 form, when not empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unicode: Option<String>,
}

impl TargetBlock {
    /// The value, Unicode preferred.
    pub fn value(&self) -> Option<&str> {
        self.unicode.as_deref().or(self.ansi.as_deref())
    }
}

/// The console window settings of a ConsoleDataBlock (the color table is not kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Console {
    /// The block's offset in the link file.
    pub offset: usize,
    /// FillAttributes: text colors.
    pub fill_attributes: u16,
    /// PopupFillAttributes.
    pub popup_fill_attributes: u16,
    /// ScreenBufferSizeX and Y, in characters.
    pub screen_buffer_size: (i16, i16),
    /// WindowSizeX and Y, in characters.
    pub window_size: (i16, i16),
    /// WindowOriginX and Y, in pixels.
    pub window_origin: (i16, i16),
    /// FontSize (height in the high word).
    pub font_size: u32,
    /// FontFamily.
    pub font_family: u32,
    /// FontWeight (700 and more: bold).
    pub font_weight: u32,
    /// FaceName.
    pub face_name: String,
    /// CursorSize in percent.
    pub cursor_size: u32,
    /// FullScreen.
    pub full_screen: bool,
    /// QuickEdit.
    pub quick_edit: bool,
    /// InsertMode.
    pub insert_mode: bool,
    /// AutoPosition.
    pub auto_position: bool,
    /// HistoryBufferSize.
    pub history_buffer_size: u32,
    /// NumberOfHistoryBuffers.
    pub number_of_history_buffers: u32,
    /// HistoryNoDup.
    pub history_no_dup: bool,
}

/// A TrackerDataBlock: the machine and the object IDs the link tracking
/// service used to find a moved target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Tracker {
    /// The block's offset in the link file.
    pub offset: usize,
    /// The NetBIOS name of the machine the target was on.
    pub machine_id: String,
    /// Droid: the volume's object ID.
    pub droid_volume: String,
    /// Droid: the file's object ID.
    pub droid_file: String,
    /// DroidBirth: the volume's birth object ID.
    pub birth_droid_volume: String,
    /// DroidBirth: the file's birth object ID.
    pub birth_droid_file: String,
    /// The MAC address in the file's object ID, when it is a version 1 UUID
    /// (`00:13:72:16:87:4A`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mac_address: Option<String>,
    /// The time in the file's object ID, when it is a version 1 UUID, as a
    /// FILETIME (100 ns since 1601, UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub droid_file_time: Option<u64>,
}

/// A SpecialFolderDataBlock: the target's folder as a CSIDL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SpecialFolder {
    /// The block's offset in the link file.
    pub offset: usize,
    /// SpecialFolderID (a CSIDL).
    pub folder_id: u32,
    /// Its `CSIDL_` name without the prefix, lower case (`system`, `personal`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folder_name: Option<&'static str>,
    /// Offset of the folder's item in the ID list.
    pub id_list_offset: u32,
}

/// A KnownFolderDataBlock: the target's folder as a KNOWNFOLDERID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct KnownFolder {
    /// The block's offset in the link file.
    pub offset: usize,
    /// KnownFolderID.
    pub guid: String,
    /// Its `FOLDERID_` name without the prefix (`Downloads`), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'static str>,
    /// Offset of the folder's item in the ID list.
    pub id_list_offset: u32,
}

/// A block of an unknown signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct UnknownBlock {
    /// Its offset in the link file.
    pub offset: usize,
    /// BlockSignature.
    pub signature: u32,
    /// BlockSize.
    pub size: u32,
}

/// Decodes the blocks in `b` (from the first block to the end of the file;
/// `base` its offset).
pub(crate) fn decode(b: &[u8], base: usize, problems: &mut Vec<Problem>) -> ExtraData {
    let mut extra = ExtraData::default();
    let mut pos = 0usize;
    loop {
        let Some(size) = u32_at(b, pos) else {
            problem(
                problems,
                base + pos,
                "ExtraData ends without its terminal block",
                None,
            );
            break;
        };
        if size < 4 {
            break;
        }
        let Some(signature) = u32_at(b, pos + 4) else {
            problem(
                problems,
                base + pos,
                "extra data block truncated before its signature",
                Some(size.into()),
            );
            break;
        };
        let block = match bytes::slice(b, pos, size as usize) {
            Some(block) => block,
            None => {
                problem(
                    problems,
                    base + pos,
                    "extra data block runs past the end of the file",
                    Some(size.into()),
                );
                bytes::rest(b, pos)
            }
        };
        block_into(&mut extra, signature, block, base + pos, problems);
        if block.len() < size as usize {
            break;
        }
        pos += size as usize;
    }
    extra
}

/// The BlockSize each known signature must have (`0` for variable sizes, with
/// their minimum second).
fn expected_size(signature: u32) -> (u32, u32) {
    match signature {
        ENVIRONMENT | DARWIN | ICON_ENVIRONMENT => (0x314, 0x314),
        CONSOLE => (0xCC, 0xCC),
        TRACKER => (0x60, 0x60),
        CONSOLE_FE => (0x0C, 0x0C),
        SPECIAL_FOLDER => (0x10, 0x10),
        KNOWN_FOLDER => (0x1C, 0x1C),
        SHIM => (0, 0x88),
        PROPERTY_STORE => (0, 0x0C),
        VISTA_ID_LIST => (0, 0x0A),
        _ => (0, 8),
    }
}

/// Decodes one block into its field of `extra`.
fn block_into(
    extra: &mut ExtraData,
    signature: u32,
    block: &[u8],
    offset: usize,
    problems: &mut Vec<Problem>,
) {
    let (exact, min) = expected_size(signature);
    let size = u32_at(block, 0).unwrap_or(0);
    if (exact != 0 && size != exact) || size < min {
        problem(
            problems,
            offset,
            "BlockSize unexpected for its signature",
            Some(size.into()),
        );
    }
    let duplicate = match signature {
        ENVIRONMENT => set(&mut extra.environment, target_block(block, offset)),
        CONSOLE => set(&mut extra.console, console(block, offset)),
        TRACKER => set(&mut extra.tracker, tracker(block, offset)),
        CONSOLE_FE => set(&mut extra.console_code_page, u32_at(block, 8)),
        SPECIAL_FOLDER => set(&mut extra.special_folder, special_folder(block, offset)),
        DARWIN => set(&mut extra.darwin, target_block(block, offset)),
        ICON_ENVIRONMENT => set(&mut extra.icon_environment, target_block(block, offset)),
        SHIM => {
            let name = utf16_until_nul(bytes::rest(block, 8)).0.text;
            set(&mut extra.shim_layer, Some(name))
        }
        PROPERTY_STORE => {
            let store = decode_property_store(bytes::rest(block, 8), offset + 8, problems);
            set(&mut extra.property_store, Some(store))
        }
        KNOWN_FOLDER => set(&mut extra.known_folder, known_folder(block, offset)),
        VISTA_ID_LIST => {
            let list = decode_items(bytes::rest(block, 8), offset + 8, problems);
            set(&mut extra.vista_id_list, Some(list))
        }
        _ => {
            extra.unknown.push(UnknownBlock {
                offset,
                signature,
                size,
            });
            false
        }
    };
    if duplicate {
        problem(
            problems,
            offset,
            "repeated extra data block (the first is kept)",
            Some(signature.into()),
        );
    }
}

/// Stores `value` in an empty `slot`; returns whether the slot was taken already.
fn set<T>(slot: &mut Option<T>, value: Option<T>) -> bool {
    if slot.is_some() {
        return value.is_some();
    }
    *slot = value;
    false
}

/// Environment, Darwin and icon environment blocks.
fn target_block(b: &[u8], offset: usize) -> Option<TargetBlock> {
    let field = |at, len| bytes::slice(b, at, len).unwrap_or_else(|| bytes::rest(b, at));
    let ansi_value = ansi(until_nul(field(8, 260)).0);
    let unicode = utf16_until_nul(field(268, 520)).0.text;
    Some(TargetBlock {
        offset,
        ansi: Some(ansi_value).filter(|s| !s.is_empty()),
        unicode: Some(unicode).filter(|s| !s.is_empty()),
    })
}

/// ConsoleDataBlock.
fn console(b: &[u8], offset: usize) -> Option<Console> {
    let i16_pair =
        |at| -> Option<(i16, i16)> { Some((u16_at(b, at)? as i16, u16_at(b, at + 2)? as i16)) };
    let flag = |at| u32_at(b, at).map(|v| v != 0);
    let face = bytes::slice(b, 0x2C, 64)?;
    Some(Console {
        offset,
        fill_attributes: u16_at(b, 8)?,
        popup_fill_attributes: u16_at(b, 0x0A)?,
        screen_buffer_size: i16_pair(0x0C)?,
        window_size: i16_pair(0x10)?,
        window_origin: i16_pair(0x14)?,
        font_size: u32_at(b, 0x20)?,
        font_family: u32_at(b, 0x24)?,
        font_weight: u32_at(b, 0x28)?,
        face_name: utf16_until_nul(face).0.text,
        cursor_size: u32_at(b, 0x6C)?,
        full_screen: flag(0x70)?,
        quick_edit: flag(0x74)?,
        insert_mode: flag(0x78)?,
        auto_position: flag(0x7C)?,
        history_buffer_size: u32_at(b, 0x80)?,
        number_of_history_buffers: u32_at(b, 0x84)?,
        history_no_dup: flag(0x88)?,
    })
}

/// TrackerDataBlock: Length (0x58) and Version (0) at 8 and 12, MachineID (16
/// bytes) at 16, Droid at 32, DroidBirth at 64.
fn tracker(b: &[u8], offset: usize) -> Option<Tracker> {
    let machine = bytes::slice(b, 16, 16)?;
    let file_droid: [u8; 16] = bytes::array(b, 48)?;
    let (mac_address, droid_file_time) = uuid_v1(&file_droid).unzip();
    Some(Tracker {
        offset,
        machine_id: ansi(until_nul(machine).0),
        droid_volume: guid_at(b, 32)?,
        droid_file: guid_at(b, 48)?,
        birth_droid_volume: guid_at(b, 64)?,
        birth_droid_file: guid_at(b, 80)?,
        mac_address,
        droid_file_time,
    })
}

/// The node (MAC address) and time of a version 1 UUID in on-disk GUID order;
/// `None` for other versions.
fn uuid_v1(raw: &[u8; 16]) -> Option<(String, u64)> {
    let [t0, t1, t2, t3, m0, m1, h0, h1, variant, _, n @ ..] = *raw;
    let time_hi = u16::from_le_bytes([h0, h1]);
    if time_hi >> 12 != 1 || variant & 0xC0 != 0x80 {
        return None;
    }
    let ticks = u64::from(time_hi & 0x0FFF) << 48
        | u64::from(u16::from_le_bytes([m0, m1])) << 32
        | u64::from(u32::from_le_bytes([t0, t1, t2, t3]));
    let mac = n
        .iter()
        .map(|byte| format!("{byte:02X}"))
        .collect::<Vec<_>>()
        .join(":");
    Some((mac, ticks.checked_sub(UUID_TO_FILETIME)?))
}

/// SpecialFolderDataBlock.
fn special_folder(b: &[u8], offset: usize) -> Option<SpecialFolder> {
    let folder_id = u32_at(b, 8)?;
    Some(SpecialFolder {
        offset,
        folder_id,
        folder_name: csidl_name(folder_id),
        id_list_offset: u32_at(b, 12)?,
    })
}

/// KnownFolderDataBlock.
fn known_folder(b: &[u8], offset: usize) -> Option<KnownFolder> {
    let guid = guid_at(b, 8)?;
    Some(KnownFolder {
        offset,
        name: known_folder_name(&guid),
        guid,
        id_list_offset: u32_at(b, 24)?,
    })
}

/// `CSIDL_` names (shlobj.h), lower case without the prefix.
pub fn csidl_name(csidl: u32) -> Option<&'static str> {
    Some(match csidl {
        0x00 => "desktop",
        0x01 => "internet",
        0x02 => "programs",
        0x03 => "controls",
        0x04 => "printers",
        0x05 => "personal",
        0x06 => "favorites",
        0x07 => "startup",
        0x08 => "recent",
        0x09 => "sendto",
        0x0A => "bitbucket",
        0x0B => "startmenu",
        0x0D => "mymusic",
        0x0E => "myvideo",
        0x10 => "desktopdirectory",
        0x11 => "drives",
        0x12 => "network",
        0x13 => "nethood",
        0x14 => "fonts",
        0x15 => "templates",
        0x16 => "common_startmenu",
        0x17 => "common_programs",
        0x18 => "common_startup",
        0x19 => "common_desktopdirectory",
        0x1A => "appdata",
        0x1B => "printhood",
        0x1C => "local_appdata",
        0x1D => "altstartup",
        0x1E => "common_altstartup",
        0x1F => "common_favorites",
        0x20 => "internet_cache",
        0x21 => "cookies",
        0x22 => "history",
        0x23 => "common_appdata",
        0x24 => "windows",
        0x25 => "system",
        0x26 => "program_files",
        0x27 => "mypictures",
        0x28 => "profile",
        0x29 => "systemx86",
        0x2A => "program_filesx86",
        0x2B => "program_files_common",
        0x2C => "program_files_commonx86",
        0x2D => "common_templates",
        0x2E => "common_documents",
        0x2F => "common_admintools",
        0x30 => "admintools",
        0x31 => "connections",
        0x35 => "common_music",
        0x36 => "common_pictures",
        0x37 => "common_video",
        0x38 => "resources",
        0x39 => "resources_localized",
        0x3A => "common_oem_links",
        0x3B => "cdburn_area",
        0x3D => "computersnearme",
        _ => return None,
    })
}
