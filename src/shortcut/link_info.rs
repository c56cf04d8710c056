//! LinkInfo (MS-SHLLINK 2.3): where the target was, as the volume it lay on
//! (VolumeID: drive type, serial number, label) and its local path, and/or as a
//! network share (CommonNetworkRelativeLink), plus the common path suffix that
//! completes either. Every offset in it is checked to lie inside LinkInfoSize.

use serde::Serialize;

use super::bytes::{self, u32_at};
use super::text::{ansi, until_nul, utf16_until_nul};
use super::{Problem, problem};

/// LinkInfoHeaderSize without the optional Unicode offsets.
const HEADER_MIN: u32 = 0x1C;
/// LinkInfoHeaderSize from which the Unicode offsets are present.
const HEADER_UNICODE: u32 = 0x24;
/// VolumeIDSize must be greater than this.
const VOLUME_ID_MIN: u32 = 0x10;
/// CommonNetworkRelativeLinkSize's minimum.
const NETWORK_LINK_MIN: u32 = 0x14;

/// The decoded LinkInfo.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct LinkInfo {
    /// LinkInfoSize.
    pub size: u32,
    /// LinkInfoHeaderSize (0x1C, or 0x24 and more with Unicode offsets).
    pub header_size: u32,
    /// LinkInfoFlags: bit 0 VolumeIDAndLocalBasePath, bit 1
    /// CommonNetworkRelativeLinkAndPathSuffix.
    pub flags: u32,
    /// The volume the target was on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume_id: Option<VolumeId>,
    /// LocalBasePath, in the system code page (read as Windows-1252).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local_base_path: Option<String>,
    /// LocalBasePathUnicode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local_base_path_unicode: Option<String>,
    /// The network share the target was on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network: Option<NetworkLink>,
    /// CommonPathSuffix, in the system code page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub common_path_suffix: Option<String>,
    /// CommonPathSuffixUnicode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub common_path_suffix_unicode: Option<String>,
}

impl LinkInfo {
    /// The local base path, Unicode preferred.
    pub fn local_path(&self) -> Option<&str> {
        self.local_base_path_unicode
            .as_deref()
            .or(self.local_base_path.as_deref())
    }

    /// The common path suffix, Unicode preferred.
    pub fn suffix(&self) -> Option<&str> {
        self.common_path_suffix_unicode
            .as_deref()
            .or(self.common_path_suffix.as_deref())
    }
}

/// VolumeID (MS-SHLLINK 2.3.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct VolumeId {
    /// Its offset in the link file.
    pub offset: usize,
    /// DriveType as stored.
    pub drive_type: u32,
    /// Its name: `unknown`, `no_root_dir`, `removable`, `fixed`, `remote`,
    /// `cdrom`, `ramdisk`; `None` for other values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drive_type_name: Option<&'static str>,
    /// DriveSerialNumber.
    pub drive_serial_number: u32,
    /// The serial number as Windows shows it (`307A-8A81`).
    pub drive_serial: String,
    /// The volume label (from VolumeLabelOffsetUnicode when the label offset is
    /// 0x14, else in the system code page).
    pub volume_label: String,
}

/// CommonNetworkRelativeLink (MS-SHLLINK 2.3.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NetworkLink {
    /// Its offset in the link file.
    pub offset: usize,
    /// CommonNetworkRelativeLinkFlags: bit 0 ValidDevice, bit 1 ValidNetType.
    pub flags: u32,
    /// NetName (`\\server\share`), in the system code page.
    pub net_name: String,
    /// NetNameUnicode, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub net_name_unicode: Option<String>,
    /// DeviceName (`Z:`), when ValidDevice is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_name: Option<String>,
    /// DeviceNameUnicode, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_name_unicode: Option<String>,
    /// NetworkProviderType, when ValidNetType is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_type: Option<u32>,
    /// Its WNNC_NET_ name (`lanman` for SMB), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_name: Option<&'static str>,
}

impl NetworkLink {
    /// The share name, Unicode preferred.
    pub fn name(&self) -> &str {
        self.net_name_unicode.as_deref().unwrap_or(&self.net_name)
    }

    /// The device (drive letter), Unicode preferred.
    pub fn device(&self) -> Option<&str> {
        self.device_name_unicode
            .as_deref()
            .or(self.device_name.as_deref())
    }
}

/// Decodes the LinkInfo in `b` (from its first byte to the end of the file;
/// `base` its offset). Returns it and LinkInfoSize, or `None` for the size when
/// the structure cannot be delimited.
pub(crate) fn decode(
    b: &[u8],
    base: usize,
    problems: &mut Vec<Problem>,
) -> (Option<LinkInfo>, Option<usize>) {
    let Some(size) = u32_at(b, 0) else {
        problem(problems, base, "LinkInfo truncated before its size", None);
        return (None, None);
    };
    if size < HEADER_MIN {
        problem(
            problems,
            base,
            "LinkInfoSize smaller than the LinkInfo header",
            Some(size.into()),
        );
        return (None, None);
    }
    let declared = size as usize;
    let li = match bytes::slice(b, 0, declared) {
        Some(li) => li,
        None => {
            problem(
                problems,
                base,
                "LinkInfoSize runs past the end of the file",
                Some(size.into()),
            );
            b
        }
    };
    let at = |field: usize| u32_at(li, field);
    let (Some(header_size), Some(flags)) = (at(4), at(8)) else {
        problem(problems, base, "LinkInfo header truncated", None);
        return (None, Some(declared));
    };
    let mut info = LinkInfo {
        size,
        header_size,
        flags,
        ..LinkInfo::default()
    };
    if header_size < HEADER_MIN || header_size > size {
        problem(
            problems,
            base + 4,
            "LinkInfoHeaderSize outside 0x1C..LinkInfoSize",
            Some(header_size.into()),
        );
    }
    let unicode_offsets = header_size >= HEADER_UNICODE;
    let mut strings = Strings {
        li,
        base,
        size,
        problems,
    };
    if flags & 1 != 0 {
        if let Some(offset) = strings.offset(0x0C, "VolumeIDOffset outside LinkInfo") {
            info.volume_id = volume_id(&mut strings, offset);
        }
        info.local_base_path = strings.ansi_at(0x10, "LocalBasePathOffset outside LinkInfo");
        if unicode_offsets {
            info.local_base_path_unicode =
                strings.utf16_at(0x1C, "LocalBasePathOffsetUnicode outside LinkInfo");
        }
    }
    if flags & 2 != 0
        && let Some(offset) =
            strings.offset(0x14, "CommonNetworkRelativeLinkOffset outside LinkInfo")
    {
        info.network = network_link(&mut strings, offset);
    }
    info.common_path_suffix = strings.ansi_at(0x18, "CommonPathSuffixOffset outside LinkInfo");
    if unicode_offsets {
        info.common_path_suffix_unicode =
            strings.utf16_at(0x20, "CommonPathSuffixOffsetUnicode outside LinkInfo");
    }
    (Some(info), Some(declared))
}

/// Reads offsets and the strings they point to inside one LinkInfo.
struct Strings<'a, 'p> {
    li: &'a [u8],
    base: usize,
    size: u32,
    problems: &'p mut Vec<Problem>,
}

impl Strings<'_, '_> {
    /// The end of a structure of `size` bytes at `offset` of the LinkInfo,
    /// cut to the LinkInfo's end (and `reason` reported) when it runs past.
    fn end_of(&mut self, offset: usize, size: u32, reason: &'static str) -> usize {
        let end = offset.saturating_add(size as usize);
        if end <= self.li.len() {
            return end;
        }
        problem(self.problems, self.base + offset, reason, Some(size.into()));
        self.li.len()
    }

    /// The offset stored at `field` of the LinkInfo header, when non-zero and
    /// inside LinkInfoSize (else `outside` is reported).
    fn offset(&mut self, field: usize, outside: &'static str) -> Option<usize> {
        let Some(offset) = u32_at(self.li, field) else {
            problem(
                self.problems,
                self.base + field.min(self.li.len()),
                "LinkInfo header truncated",
                None,
            );
            return None;
        };
        if offset == 0 {
            return None;
        }
        // Outside LinkInfoSize, or past the bytes present of a cut LinkInfo.
        if offset >= self.size || offset as usize >= self.li.len() {
            problem(
                self.problems,
                self.base + field,
                outside,
                Some(offset.into()),
            );
            return None;
        }
        Some(offset as usize)
    }

    /// The NUL-terminated code-page string whose offset is at `field`.
    fn ansi_at(&mut self, field: usize, outside: &'static str) -> Option<String> {
        let offset = self.offset(field, outside)?;
        Some(self.ansi(offset, self.li.len()))
    }

    /// The NUL-terminated UTF-16 string whose offset is at `field`.
    fn utf16_at(&mut self, field: usize, outside: &'static str) -> Option<String> {
        let offset = self.offset(field, outside)?;
        Some(self.utf16(offset, self.li.len()))
    }

    /// A NUL-terminated code-page string at `offset`, ending by `end`.
    fn ansi(&mut self, offset: usize, end: usize) -> String {
        let field = self.li.get(offset..end).unwrap_or(&[]);
        let (raw, found) = until_nul(field);
        if !found {
            problem(
                self.problems,
                self.base + offset,
                "LinkInfo string not terminated inside its structure",
                None,
            );
        }
        ansi(raw)
    }

    /// A NUL-terminated UTF-16 string at `offset`, ending by `end`.
    fn utf16(&mut self, offset: usize, end: usize) -> String {
        let field = self.li.get(offset..end).unwrap_or(&[]);
        let (text, found) = utf16_until_nul(field);
        if !found {
            problem(
                self.problems,
                self.base + offset,
                "LinkInfo string not terminated inside its structure",
                None,
            );
        }
        if text.lossy {
            problem(
                self.problems,
                self.base + offset,
                "ill-formed UTF-16 in LinkInfo (unpaired surrogate kept as U+FFFD)",
                None,
            );
        }
        text.text
    }
}

/// Decodes the VolumeID at `offset` of the LinkInfo.
fn volume_id(s: &mut Strings, offset: usize) -> Option<VolumeId> {
    let size = u32_at(s.li, offset);
    let (Some(size), Some(drive_type), Some(serial), Some(label_offset)) = (
        size,
        u32_at(s.li, offset + 4),
        u32_at(s.li, offset + 8),
        u32_at(s.li, offset + 12),
    ) else {
        problem(s.problems, s.base + offset, "VolumeID truncated", None);
        return None;
    };
    if size <= VOLUME_ID_MIN {
        problem(
            s.problems,
            s.base + offset,
            "VolumeIDSize not greater than 0x10",
            Some(size.into()),
        );
    }
    let end = s.end_of(offset, size, "VolumeIDSize runs past LinkInfo");
    let label = if label_offset == 0x14 {
        match u32_at(s.li, offset + 0x10) {
            Some(unicode_offset) if (unicode_offset as usize) < end - offset => {
                s.utf16(offset + unicode_offset as usize, end)
            }
            other => {
                let value = other.map(u64::from);
                problem(
                    s.problems,
                    s.base + offset + 0x10,
                    "VolumeLabelOffsetUnicode outside VolumeID",
                    value,
                );
                String::new()
            }
        }
    } else if (label_offset as usize) < end - offset {
        s.ansi(offset + label_offset as usize, end)
    } else {
        problem(
            s.problems,
            s.base + offset + 12,
            "VolumeLabelOffset outside VolumeID",
            Some(label_offset.into()),
        );
        String::new()
    };
    Some(VolumeId {
        offset: s.base + offset,
        drive_type,
        drive_type_name: drive_type_name(drive_type),
        drive_serial_number: serial,
        drive_serial: crate::volume::serial_text(serial),
        volume_label: label,
    })
}

/// DRIVE_* names of VolumeID's DriveType.
pub fn drive_type_name(drive_type: u32) -> Option<&'static str> {
    Some(match drive_type {
        0 => "unknown",
        1 => "no_root_dir",
        2 => "removable",
        3 => "fixed",
        4 => "remote",
        5 => "cdrom",
        6 => "ramdisk",
        _ => return None,
    })
}

/// Decodes the CommonNetworkRelativeLink at `offset` of the LinkInfo.
fn network_link(s: &mut Strings, offset: usize) -> Option<NetworkLink> {
    let li = s.li;
    let field = |at: usize| u32_at(li, offset + at);
    let (Some(size), Some(flags), Some(net_name_offset), Some(device_name_offset), Some(provider)) =
        (field(0), field(4), field(8), field(12), field(16))
    else {
        problem(
            s.problems,
            s.base + offset,
            "CommonNetworkRelativeLink truncated",
            None,
        );
        return None;
    };
    if size < NETWORK_LINK_MIN {
        problem(
            s.problems,
            s.base + offset,
            "CommonNetworkRelativeLinkSize smaller than 0x14",
            Some(size.into()),
        );
    }
    let end = s.end_of(
        offset,
        size,
        "CommonNetworkRelativeLinkSize runs past LinkInfo",
    );
    let len = end - offset;
    let string = |s: &mut Strings, rel: u32, unicode: bool, at: usize| -> Option<String> {
        if rel == 0 {
            return None;
        }
        if rel as usize >= len {
            problem(
                s.problems,
                s.base + offset + at,
                "CommonNetworkRelativeLink name offset outside its structure",
                Some(rel.into()),
            );
            return None;
        }
        let start = offset + rel as usize;
        Some(if unicode {
            s.utf16(start, end)
        } else {
            s.ansi(start, end)
        })
    };
    let net_name = string(s, net_name_offset, false, 8).unwrap_or_default();
    let device_name = if flags & 1 != 0 {
        string(s, device_name_offset, false, 12)
    } else {
        None
    };
    let (mut net_name_unicode, mut device_name_unicode) = (None, None);
    if net_name_offset > NETWORK_LINK_MIN {
        if let Some(rel) = field(20) {
            net_name_unicode = string(s, rel, true, 20);
        }
        if let Some(rel) = field(24).filter(|_| flags & 1 != 0) {
            device_name_unicode = string(s, rel, true, 24);
        }
    }
    let provider_type = (flags & 2 != 0).then_some(provider);
    Some(NetworkLink {
        offset: s.base + offset,
        flags,
        net_name,
        net_name_unicode,
        device_name,
        device_name_unicode,
        provider_type,
        provider_name: provider_type.and_then(provider_name),
    })
}

/// WNNC_NET_* names of NetworkProviderType (MS-SHLLINK 2.3.2), lower case
/// without the prefix.
pub fn provider_name(provider: u32) -> Option<&'static str> {
    const NAMES: [&str; 0x44] = [
        "",
        "msnet",
        "lanman",
        "netware",
        "vines",
        "10net",
        "locus",
        "sun_pc_nfs",
        "lanstep",
        "9tiles",
        "lantastic",
        "as400",
        "ftp_nfs",
        "pathworks",
        "lifenet",
        "powerlan",
        "bwnfs",
        "cogent",
        "farallon",
        "appletalk",
        "intergraph",
        "symfonet",
        "clearcase",
        "frontier",
        "bmc",
        "dce",
        "avid",
        "docuspace",
        "mangosoft",
        "sernet",
        "riverfront1",
        "riverfront2",
        "decorb",
        "protstor",
        "fj_redir",
        "distinct",
        "twins",
        "rdr2sample",
        "csc",
        "3in1",
        "",
        "extendnet",
        "stac",
        "foxbat",
        "yahoo",
        "exifs",
        "dav",
        "knoware",
        "object_dire",
        "masfax",
        "hob_nfs",
        "shiva",
        "ibmal",
        "lock",
        "termsrv",
        "srt",
        "quincy",
        "openafs",
        "avid1",
        "dfs",
        "kwnp",
        "zenworks",
        "driveonweb",
        "vmware",
        "rsfx",
        "mfiles",
        "ms_nfs",
        "google",
    ];
    if provider & 0xFFFF != 0 {
        return None;
    }
    NAMES
        .get((provider >> 16) as usize)
        .copied()
        .filter(|n| !n.is_empty())
}
