//! The buffer layouts, read with binrw (and written with it by the tests).
//!
//! Layouts (MS-FSCC 2.1.2):
//! - every buffer: tag (4), ReparseDataLength (2), reserved (2), data;
//! - mount point: SubstituteNameOffset, SubstituteNameLength, PrintNameOffset,
//!   PrintNameLength (2 each), PathBuffer; offsets count from the PathBuffer;
//! - symbolic link: the same four fields, Flags (4; 1 = relative), PathBuffer;
//! - third-party tags: a GUID (16) before the data;
//! - WOF: WOF_EXTERNAL_INFO (version, provider), then the provider's own:
//!   file provider (version, algorithm) or WIM provider (version, flags, data
//!   source id, 20-byte resource hash);
//! - lx_symlink: version (4), UTF-8 target;
//! - app_exec_link: version (4), then NUL-terminated UTF-16 strings: package,
//!   application user model id, target path, and more;
//! - nfs: type (8: `LNK`, `CHR`, `BLK`, `FIFO`, `SOCK`), then the UTF-16 target
//!   of a link or the major and minor numbers of a device.

use super::data::{
    AppExecLinkData, CloudData, LinkData, LxSymlinkData, NfsData, ThirdPartyData, WofData,
};
use super::tags::{self, ReparseKind};
use super::{ReparseData, ReparsePoint, ReparseProblem as P, hex};
use binrw::{BinRead, BinWrite};
use std::io::Cursor;

/// The header of every reparse buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, BinRead, BinWrite)]
#[brw(little)]
pub struct ReparseHeader {
    /// The tag.
    pub tag: u32,
    /// Bytes of data after this header.
    pub data_length: u16,
    /// Reserved.
    pub reserved: u16,
}

/// The name fields of mount point and symbolic link buffers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, BinRead, BinWrite)]
#[brw(little)]
pub struct NameOffsets {
    /// Offset of the substitute name in the path buffer, in bytes.
    pub substitute_offset: u16,
    /// Its length in bytes.
    pub substitute_length: u16,
    /// Offset of the print name in the path buffer, in bytes.
    pub print_offset: u16,
    /// Its length in bytes.
    pub print_length: u16,
}

/// The flags of a symbolic link buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, BinRead, BinWrite)]
#[brw(little)]
pub struct SymlinkFlags {
    /// 1: SYMLINK_FLAG_RELATIVE.
    pub flags: u32,
}

/// A third-party buffer's GUID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, BinRead, BinWrite)]
#[brw(little)]
pub struct GuidHeader {
    /// The GUID, as stored.
    pub guid: [u8; 16],
}

/// WOF_EXTERNAL_INFO.
#[derive(Debug, Clone, Copy, PartialEq, Eq, BinRead, BinWrite)]
#[brw(little)]
pub struct WofExternalInfo {
    /// Version (1).
    pub version: u32,
    /// 1 WIM, 2 file.
    pub provider: u32,
}

/// FILE_PROVIDER_EXTERNAL_INFO_V1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, BinRead, BinWrite)]
#[brw(little)]
pub struct FileProviderInfo {
    /// Version (1).
    pub version: u32,
    /// 0 XPRESS4K, 1 LZX, 2 XPRESS8K, 3 XPRESS16K.
    pub algorithm: u32,
}

/// WIM_PROVIDER_EXTERNAL_INFO.
#[derive(Debug, Clone, Copy, PartialEq, Eq, BinRead, BinWrite)]
#[brw(little)]
pub struct WimProviderInfo {
    /// Version (1).
    pub version: u32,
    /// Flags.
    pub flags: u32,
    /// Which WIM file backs the file.
    pub data_source_id: i64,
    /// SHA-1 of the resource.
    pub resource_hash: [u8; 20],
}

/// Size of [`ReparseHeader`].
const HEADER: usize = 8;

fn read<T: BinRead>(bytes: &[u8]) -> Option<T>
where
    for<'a> T::Args<'a>: Default,
{
    T::read_le(&mut Cursor::new(bytes)).ok()
}

pub(super) fn decode(buf: &[u8]) -> ReparsePoint {
    let Some(header) = read::<ReparseHeader>(buf) else {
        let mut rp = ReparsePoint {
            kind: ReparseKind::Unknown,
            data: Some(hex(buf)),
            ..Default::default()
        };
        rp.set_problems(vec![P::ShortHeader { len: buf.len() }]);
        return rp;
    };
    let tag = header.tag;
    let (tag_name, table_kind) = match tags::lookup(tag) {
        Some(row) => (Some(row.name), row.kind),
        None => (None, ReparseKind::Unknown),
    };
    let mut rp = ReparsePoint {
        tag: Some(tag),
        tag_name,
        kind: table_kind,
        microsoft: tag & tags::TAG_MICROSOFT != 0,
        name_surrogate: tag & tags::TAG_NAME_SURROGATE != 0,
        directory_bit: tag & tags::TAG_DIRECTORY != 0,
        data_length: header.data_length,
        ..Default::default()
    };
    // Third-party buffers hold a GUID between the header and the data; their
    // ReparseDataLength counts the data only (MS-FSCC 2.1.2.3).
    let start = if rp.microsoft { HEADER } else { HEADER + 16 };
    let present = buf.len().saturating_sub(start);
    let declared = header.data_length as usize;
    let mut problems = Vec::new();
    if declared > present {
        problems.push(P::LengthExceeds { declared, present });
    } else if declared < present {
        problems.push(P::LengthShort { declared, present });
    }
    let data = buf.get(start..start + declared.min(present)).unwrap_or(&[]);
    let decoded = match tag {
        tags::MOUNT_POINT => names(data, false, &mut rp),
        tags::SYMLINK => names(data, true, &mut rp),
        tags::LX_SYMLINK => lx_symlink(data, &mut rp).map_err(|p| vec![p]),
        tags::WOF => wof(data, &mut rp).map_err(|p| vec![p]),
        tags::APPEXECLINK => app_exec_link(data, &mut rp).map_err(|p| vec![p]),
        tags::NFS => nfs(data, &mut rp).map_err(|p| vec![p]),
        t if t & !tags::CLOUD_MASK == tags::CLOUD => {
            rp.decoded = ReparseData::Cloud(CloudData {
                cloud_variant: ((t & tags::CLOUD_MASK) >> 12) as u8,
            });
            rp.data = Some(hex(data));
            Ok(())
        }
        t if t & tags::TAG_MICROSOFT == 0 => {
            guid_buffer(buf.get(HEADER..).unwrap_or_default(), data, &mut rp).map_err(|p| vec![p])
        }
        _ => {
            rp.data = Some(hex(data));
            Ok(())
        }
    };
    if let Err(mut more) = decoded {
        problems.append(&mut more);
    }
    if !problems.is_empty() {
        rp.set_problems(problems);
        rp.data = Some(hex(buf.get(HEADER..).unwrap_or_default()));
    }
    rp
}

/// Mount point and symbolic link buffers.
fn names(data: &[u8], symlink: bool, rp: &mut ReparsePoint) -> Result<(), Vec<P>> {
    let fixed = if symlink { 12 } else { 8 };
    let offsets = read::<NameOffsets>(data)
        .filter(|_| data.len() >= fixed)
        .ok_or_else(|| {
            vec![P::ShortNameHeader {
                len: data.len(),
                fixed,
            }]
        })?;
    let mut problems = Vec::new();
    let mut link = LinkData::default();
    if symlink {
        let flags = data
            .get(8..)
            .and_then(read::<SymlinkFlags>)
            .map_or(0, |f| f.flags);
        link.relative = Some(flags & 1 != 0);
        if flags & !1 != 0 {
            problems.push(P::SymlinkFlags { flags });
        }
    }
    let path = data.get(fixed..).unwrap_or_default();
    let mut name = |which: &'static str, off: u16, len: u16| -> Option<String> {
        let (offset, length) = (off as usize, len as usize);
        if offset % 2 != 0 || length % 2 != 0 {
            problems.push(P::OddName {
                which,
                offset,
                length,
            });
        }
        match path.get(offset..offset + length) {
            Some(bytes) => {
                let units: Vec<u16> = crate::bytes::utf16_units(bytes).collect();
                Some(String::from_utf16_lossy(&units))
            }
            None => {
                problems.push(P::NamePastBuffer {
                    which,
                    offset,
                    length,
                    buffer: path.len(),
                });
                None
            }
        }
    };
    link.substitute_name = name(
        "substitute",
        offsets.substitute_offset,
        offsets.substitute_length,
    );
    link.print_name = name("print", offsets.print_offset, offsets.print_length);
    let range = |off: u16, len: u16| off as usize..off as usize + len as usize;
    let s = range(offsets.substitute_offset, offsets.substitute_length);
    let p = range(offsets.print_offset, offsets.print_length);
    if !s.is_empty() && !p.is_empty() && s.start < p.end && p.start < s.end {
        problems.push(P::NamesOverlap);
    }
    if link.substitute_name.as_deref() == Some("") {
        problems.push(P::EmptySubstitute);
    }
    if let Some(sub) = &link.substitute_name {
        let target = super::Target::parse_windows(sub, link.relative == Some(true));
        link.target_form = Some(target.form());
        if !symlink && target.form() == super::TargetForm::VolumeGuid {
            rp.kind = ReparseKind::VolumeMountPoint;
        }
    }
    rp.decoded = ReparseData::Link(link);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn lx_symlink(data: &[u8], rp: &mut ReparsePoint) -> Result<(), P> {
    let version = read::<u32>(data).ok_or(P::LxShort)?;
    let target = data.get(4..).unwrap_or_default();
    let text = String::from_utf8_lossy(target).into_owned();
    rp.decoded = ReparseData::LxSymlink(LxSymlinkData {
        target_form: Some(super::Target::parse_posix(&text).form()),
        target: Some(text),
    });
    if version != 2 {
        return Err(P::LxVersion { version });
    }
    if std::str::from_utf8(target).is_err() {
        return Err(P::LxNotUtf8);
    }
    Ok(())
}

fn wof(data: &[u8], rp: &mut ReparsePoint) -> Result<(), P> {
    let info = read::<WofExternalInfo>(data).ok_or(P::WofShort)?;
    let mut wof = WofData {
        provider: Some(info.provider),
        ..Default::default()
    };
    let decoded = wof_provider(data.get(8..).unwrap_or_default(), &mut wof, rp);
    rp.decoded = ReparseData::Wof(wof);
    decoded
}

/// The provider's part of a WOF buffer.
fn wof_provider(rest: &[u8], wof: &mut WofData, rp: &mut ReparsePoint) -> Result<(), P> {
    match wof.provider.unwrap_or(0) {
        1 => {
            wof.provider_name = Some("WIM");
            let wim = read::<WimProviderInfo>(rest).ok_or(P::WimShort)?;
            wof.data_source_id = Some(wim.data_source_id);
            rp.data = Some(hex(&wim.resource_hash));
        }
        2 => {
            wof.provider_name = Some("FILE");
            let file = read::<FileProviderInfo>(rest).ok_or(P::WofFileShort)?;
            wof.algorithm = Some(file.algorithm);
            wof.algorithm_name = match file.algorithm {
                0 => Some("XPRESS4K"),
                1 => Some("LZX"),
                2 => Some("XPRESS8K"),
                3 => Some("XPRESS16K"),
                _ => None,
            };
            if wof.algorithm_name.is_none() {
                return Err(P::WofAlgorithm {
                    algorithm: file.algorithm,
                });
            }
        }
        provider => return Err(P::WofProvider { provider }),
    }
    Ok(())
}

fn app_exec_link(data: &[u8], rp: &mut ReparsePoint) -> Result<(), P> {
    let version = read::<u32>(data).ok_or(P::AppExecShort)?;
    let units: Vec<u16> = crate::bytes::utf16_units(data.get(4..).unwrap_or_default()).collect();
    let mut strings = units.split(|&u| u == 0).map(String::from_utf16_lossy);
    let app = AppExecLinkData {
        package: strings.next(),
        app_id: strings.next(),
        target: strings.next(),
    };
    let complete = app.target.is_some();
    rp.decoded = ReparseData::AppExecLink(app);
    if !complete || !units.contains(&0) {
        return Err(P::AppExecStrings { version });
    }
    Ok(())
}

/// NFS_SPECFILE_* type values (MS-FSCC 2.1.2.6) and their names.
const NFS_TYPES: [(u64, &str); 5] = [
    (0x0000_0000_014B_4E4C, "LNK"),
    (0x0000_0000_0052_4843, "CHR"),
    (0x0000_0000_004B_4C42, "BLK"),
    (0x0000_0000_4F46_4946, "FIFO"),
    (0x0000_0000_4B43_4F53, "SOCK"),
];

fn nfs(data: &[u8], rp: &mut ReparsePoint) -> Result<(), P> {
    let kind = read::<u64>(data).ok_or(P::NfsShort)?;
    let name = NFS_TYPES.iter().find(|(v, _)| *v == kind).map(|(_, n)| *n);
    let rest = data.get(8..).unwrap_or_default();
    let mut nfs = NfsData {
        nfs_type: name.map_or_else(|| format!("{kind:#x}"), str::to_owned),
        ..Default::default()
    };
    let decoded = match name {
        Some("LNK") => {
            let units: Vec<u16> = crate::bytes::utf16_units(rest).collect();
            nfs.target = Some(String::from_utf16_lossy(&units));
            if rest.len() % 2 != 0 {
                Err(P::NfsLinkOdd)
            } else {
                Ok(())
            }
        }
        Some("CHR" | "BLK") => match (read::<u32>(rest), rest.get(4..).and_then(read::<u32>)) {
            (Some(major), Some(minor)) => {
                nfs.device = Some([major, minor]);
                Ok(())
            }
            _ => Err(P::NfsDeviceShort),
        },
        Some(_) => Ok(()),
        None => Err(P::NfsType { kind }),
    };
    rp.decoded = ReparseData::Nfs(nfs);
    decoded
}

fn guid_buffer(after_header: &[u8], data: &[u8], rp: &mut ReparsePoint) -> Result<(), P> {
    let g = read::<GuidHeader>(after_header).ok_or(P::GuidShort)?;
    rp.decoded = ReparseData::ThirdParty(ThirdPartyData {
        guid: crate::image::format_guid(&g.guid),
    });
    rp.data = Some(hex(data));
    Ok(())
}
