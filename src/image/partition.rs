//! MBR and GPT partition tables: finding the NTFS volume inside a disk image.
//!
//! Sector size for partition addresses is 512 bytes (GPT is also looked for with
//! 4,096-byte sectors). Extended MBR partitions are followed through their chain of
//! extended boot records, at most [`MAX_LOGICAL`] of them, so a looping chain ends.

use super::Image;
use crate::bytes::view_at;
use crate::error::{Error, Result};
use serde::Serialize;
use zerocopy::little_endian::{U32, U64};
use zerocopy::{FromBytes, Immutable, KnownLayout, Unaligned};

/// Most logical partitions followed in an extended-partition chain.
pub const MAX_LOGICAL: usize = 128;
/// Most GPT entries read (the usual table has 128).
pub const MAX_GPT_ENTRIES: u32 = 1024;

/// An MBR or EBR sector: boot code, four partition entries, the 55 AA signature.
#[derive(Debug, Clone, Copy, FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct BootRecord {
    /// Boot code (and, in an MBR, the disk signature).
    pub code: [u8; 446],
    /// The four entries.
    pub entries: [MbrEntry; 4],
    /// `55 AA`.
    pub signature: [u8; 2],
}

/// One MBR partition entry.
#[derive(Debug, Clone, Copy, FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct MbrEntry {
    /// 0x80 for the active partition.
    pub status: u8,
    /// CHS address of the first sector (unused).
    pub chs_first: [u8; 3],
    /// Partition type (0x07 NTFS, 0x05/0x0F/0x85 extended, 0xEE GPT protective).
    pub kind: u8,
    /// CHS address of the last sector (unused).
    pub chs_last: [u8; 3],
    /// First sector (relative to the table's own base for a logical partition).
    pub first_lba: U32,
    /// Sectors.
    pub sectors: U32,
}

/// The GPT header (92 bytes used).
#[derive(Debug, Clone, Copy, FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct GptHeader {
    /// `EFI PART`.
    pub signature: [u8; 8],
    /// Revision, header size, header CRC, reserved.
    pub revision_size_crc: [u8; 16],
    /// This header's LBA, the backup's, first and last usable LBAs.
    pub lbas: [U64; 4],
    /// Disk GUID.
    pub disk_guid: [u8; 16],
    /// First LBA of the entry array.
    pub entries_lba: U64,
    /// Number of entries.
    pub entry_count: U32,
    /// Size of one entry.
    pub entry_size: U32,
    /// CRC of the entry array.
    pub entries_crc: U32,
}

/// One GPT entry (the first 128 bytes; larger entries carry more after).
#[derive(Debug, Clone, Copy, FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct GptEntry {
    /// Partition type GUID (all zeros: unused).
    pub type_guid: [u8; 16],
    /// Partition GUID.
    pub partition_guid: [u8; 16],
    /// First LBA.
    pub first_lba: U64,
    /// Last LBA (inclusive).
    pub last_lba: U64,
    /// Attribute flags.
    pub attributes: U64,
    /// Name, UTF-16LE, up to 36 units.
    pub name: [u8; 72],
}

/// The OEM id at byte 3 of every NTFS boot sector.
pub(crate) const NTFS_OEM_ID: &[u8; 8] = b"NTFS    ";

/// The kind of partition table found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PartitionTable {
    /// A classic master boot record.
    Mbr,
    /// A GUID partition table.
    Gpt,
}

impl std::fmt::Display for PartitionTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PartitionTable::Mbr => "MBR",
            PartitionTable::Gpt => "GPT",
        })
    }
}

/// One partition of a disk image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Partition {
    /// 1-based number, in table order (MBR logical partitions from 5).
    pub index: usize,
    /// Which table it comes from.
    pub table: PartitionTable,
    /// Byte offset in the image.
    pub offset: u64,
    /// Length in bytes.
    pub length: u64,
    /// MBR type byte as `0x07`, or the GPT type GUID.
    pub type_id: String,
    /// GPT partition name (empty for MBR).
    pub name: String,
    /// True when an NTFS boot sector sits at its start.
    pub is_ntfs: bool,
    /// What its type says it is (`Microsoft basic data`, `Linux filesystem`,
    /// `NTFS/exFAT/HPFS`, ...), for the types disks commonly hold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_name: Option<&'static str>,
    /// The sector size its table counts in (512, or 4096 for a GPT of a 4Kn
    /// disk): `offset` is this many bytes times its first sector.
    pub sector_size: u64,
}

/// GPT partition types and their names (UEFI spec and the vendors').
const GPT_TYPES: &[(&str, &str)] = &[
    ("C12A7328-F81F-11D2-BA4B-00A0C93EC93B", "EFI system"),
    ("E3C9E316-0B5C-4DB8-817D-F92DF00215AE", "Microsoft reserved"),
    (
        "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7",
        "Microsoft basic data",
    ),
    (
        "DE94BBA4-06D1-4D40-A16A-BFD50179D6AC",
        "Windows recovery environment",
    ),
    (
        "5808C8AA-7E8F-42E0-85D2-E1E90434CFB3",
        "Windows LDM metadata",
    ),
    ("AF9B60A0-1431-4F62-BC68-3311714A69AD", "Windows LDM data"),
    (
        "E75CAF8F-F680-4CEE-AFA3-B001E56EFC2D",
        "Windows storage spaces",
    ),
    ("0FC63DAF-8483-4772-8E79-3D69D8477DE4", "Linux filesystem"),
    ("0657FD6D-A4AB-43C4-84E5-0933C84B4F4F", "Linux swap"),
    ("E6D6D379-F507-44C2-A23C-238F2A3DF928", "Linux LVM"),
    ("A19D880F-05FC-4D3B-A006-743F0F84911E", "Linux RAID"),
    ("21686148-6449-6E6F-744E-656564454649", "BIOS boot"),
    ("48465300-0000-11AA-AA11-00306543ECAC", "Apple HFS+"),
    ("7C3457EF-0000-11AA-AA11-00306543ECAC", "Apple APFS"),
];

/// MBR partition types and their names.
const MBR_TYPES: &[(u8, &str)] = &[
    (0x01, "FAT12"),
    (0x04, "FAT16 (< 32 MiB)"),
    (0x05, "extended"),
    (0x06, "FAT16"),
    (0x07, "NTFS/exFAT/HPFS"),
    (0x0B, "FAT32 (CHS)"),
    (0x0C, "FAT32 (LBA)"),
    (0x0E, "FAT16 (LBA)"),
    (0x0F, "extended (LBA)"),
    (0x11, "hidden FAT12"),
    (0x17, "hidden NTFS/exFAT"),
    (0x27, "Windows recovery environment"),
    (0x42, "Windows dynamic disk (LDM)"),
    (0x82, "Linux swap"),
    (0x83, "Linux"),
    (0x85, "Linux extended"),
    (0x8E, "Linux LVM"),
    (0xEE, "GPT protective"),
    (0xEF, "EFI system"),
    (0xFD, "Linux RAID"),
];

fn gpt_type_name(guid: &str) -> Option<&'static str> {
    GPT_TYPES
        .iter()
        .find(|(g, _)| g.eq_ignore_ascii_case(guid))
        .map(|(_, n)| *n)
}

fn mbr_type_name(kind: u8) -> Option<&'static str> {
    MBR_TYPES.iter().find(|(k, _)| *k == kind).map(|(_, n)| *n)
}

/// Reads the partition table of `image`, if it has one.
pub fn partitions(image: &Image) -> (Option<PartitionTable>, Vec<Partition>) {
    let mut sector = [0u8; 512];
    if image.read_at(0, &mut sector, "MBR").is_err() || sector[510..512] != [0x55, 0xAA] {
        return (None, Vec::new());
    }
    if &sector[3..11] == NTFS_OEM_ID {
        return (None, Vec::new()); // a bare volume, whose boot sector also ends in 55 AA
    }
    let Some(mbr) = view_at::<BootRecord>(&sector, 0) else {
        return (None, Vec::new());
    };
    let entries: Vec<(u8, u64, u64)> = mbr
        .entries
        .iter()
        .map(|e| {
            (
                e.kind,
                u64::from(e.first_lba.get()),
                u64::from(e.sectors.get()),
            )
        })
        .collect();
    if entries.iter().any(|e| e.0 == 0xEE) {
        for sector_size in [512u64, 4096] {
            if let Some(parts) = gpt(image, sector_size) {
                return (Some(PartitionTable::Gpt), parts);
            }
        }
    }
    let mut parts = Vec::new();
    for (i, &(kind, lba, count)) in entries.iter().enumerate() {
        if kind == 0 || count == 0 {
            continue;
        }
        if matches!(kind, 0x05 | 0x0F | 0x85) {
            logical(image, lba, &mut parts);
            continue;
        }
        parts.push(mbr_partition(image, i + 1, kind, lba * 512, count * 512));
    }
    (Some(PartitionTable::Mbr), parts)
}

fn mbr_partition(image: &Image, index: usize, kind: u8, offset: u64, length: u64) -> Partition {
    Partition {
        index,
        table: PartitionTable::Mbr,
        offset,
        length,
        type_id: format!("{kind:#04x}"),
        name: String::new(),
        is_ntfs: is_ntfs_at(image, offset),
        type_name: mbr_type_name(kind),
        sector_size: 512,
    }
}

/// Follows the chain of extended boot records from the extended partition at `base`.
fn logical(image: &Image, base: u64, parts: &mut Vec<Partition>) {
    let mut next = 0u64;
    for n in 0..MAX_LOGICAL {
        let mut sector = [0u8; 512];
        let at = (base + next) * 512;
        if image.read_at(at, &mut sector, "EBR").is_err() {
            return;
        }
        let Some(ebr) = view_at::<BootRecord>(&sector, 0).filter(|b| b.signature == [0x55, 0xAA])
        else {
            return;
        };
        let [this, link, ..] = ebr.entries;
        let (rel, count) = (
            u64::from(this.first_lba.get()),
            u64::from(this.sectors.get()),
        );
        if this.kind != 0 && count != 0 {
            parts.push(mbr_partition(
                image,
                5 + n,
                this.kind,
                at + rel * 512,
                count * 512,
            ));
        }
        let link_lba = u64::from(link.first_lba.get());
        if link.kind == 0 || link_lba == 0 || link_lba == next {
            return;
        }
        next = link_lba;
    }
}

fn gpt(image: &Image, sector_size: u64) -> Option<Vec<Partition>> {
    let mut bytes = [0u8; std::mem::size_of::<GptHeader>()];
    image.read_at(sector_size, &mut bytes, "GPT header").ok()?;
    let header = view_at::<GptHeader>(&bytes, 0).filter(|h| &h.signature == b"EFI PART")?;
    let entries_lba = header.entries_lba.get();
    let count = header.entry_count.get().min(MAX_GPT_ENTRIES);
    let size = header.entry_size.get() as usize;
    if !(128..=4096).contains(&size) {
        return None;
    }
    let table = image
        .read_vec(
            entries_lba.checked_mul(sector_size)?,
            size * count as usize,
            "GPT entries",
        )
        .ok()?;
    let mut parts = Vec::new();
    for (i, bytes) in table.chunks_exact(size).enumerate() {
        let Some(e) = view_at::<GptEntry>(bytes, 0) else {
            continue;
        };
        if e.type_guid.iter().all(|&b| b == 0) {
            continue;
        }
        let (first, last) = (e.first_lba.get(), e.last_lba.get());
        let offset = first.saturating_mul(sector_size);
        let units: Vec<u16> = crate::bytes::utf16_units(&e.name)
            .take_while(|&u| u != 0)
            .collect();
        parts.push(Partition {
            index: i + 1,
            table: PartitionTable::Gpt,
            offset,
            length: last
                .saturating_sub(first)
                .saturating_add(1)
                .saturating_mul(sector_size),
            type_id: format_guid(&e.type_guid),
            name: String::from_utf16_lossy(&units),
            is_ntfs: is_ntfs_at(image, offset),
            type_name: gpt_type_name(&format_guid(&e.type_guid)),
            sector_size,
        });
    }
    Some(parts)
}

/// Formats a GUID stored in its mixed-endian on-disk form.
pub(crate) fn format_guid(b: &[u8]) -> String {
    let b: [u8; 16] = b
        .get(..16)
        .and_then(|g| g.try_into().ok())
        .unwrap_or([0; 16]);
    let [d0, d1, d2, d3, d4, d5, d6, d7, rest @ ..] = b;
    let [r0, r1, r2, r3, r4, r5, r6, r7] = rest;
    format!(
        "{:08X}-{:04X}-{:04X}-{r0:02X}{r1:02X}-{r2:02X}{r3:02X}{r4:02X}{r5:02X}{r6:02X}{r7:02X}",
        u32::from_le_bytes([d0, d1, d2, d3]),
        u16::from_le_bytes([d4, d5]),
        u16::from_le_bytes([d6, d7]),
    )
}

fn is_ntfs_at(image: &Image, offset: u64) -> bool {
    let mut oem = [0u8; 8];
    image
        .read_at(offset.saturating_add(3), &mut oem, "boot sector")
        .is_ok()
        && &oem == NTFS_OEM_ID
}

/// Where the NTFS volume is in an image.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Location {
    /// Byte 0 when it holds an NTFS boot sector, else the only NTFS partition of
    /// an MBR or GPT disk.
    #[default]
    Find,
    /// At this byte offset.
    Offset(u64),
    /// In the partition of this number (1-based, as [`partitions`] numbers them).
    Partition(usize),
}

/// Chooses the byte offset of the NTFS volume (see [`Location`]).
pub fn locate_volume(image: &Image, location: Location) -> Result<u64> {
    let partition = match location {
        Location::Offset(offset) => return Ok(offset),
        Location::Partition(index) => Some(index),
        Location::Find => None,
    };
    let (table, parts) = partitions(image);
    if let Some(index) = partition {
        let count = parts.len();
        return parts
            .iter()
            .find(|p| p.index == index)
            .map(|p| p.offset)
            .ok_or(Error::NoSuchPartition { index, count });
    }
    if table.is_none() || is_ntfs_at(image, 0) {
        return Ok(0); // the boot sector check will say whether it is NTFS
    }
    let ntfs: Vec<&Partition> = parts.iter().filter(|p| p.is_ntfs).collect();
    match ntfs.as_slice() {
        [one] => Ok(one.offset),
        [] => Err(Error::NoNtfsPartition {
            table: match table {
                Some(PartitionTable::Gpt) => "GPT",
                _ => "MBR",
            },
        }),
        many => Err(Error::AmbiguousPartition {
            count: many.len(),
            list: many
                .iter()
                .map(|p| p.index.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Boot, gpt_disk, mbr};

    /// A disk of `sectors` sectors with `table` at 0 and NTFS boot sectors at
    /// the LBAs in `ntfs`.
    fn disk(mut d: Vec<u8>, ntfs: &[u64]) -> Image {
        for &lba in ntfs {
            let at = (lba * 512) as usize;
            d[at..at + 512].copy_from_slice(&Boot::default().bytes());
        }
        Image::from_bytes(d)
    }

    #[test]
    fn an_mbr_with_one_ntfs_partition() {
        let mut d = vec![0u8; 64 * 512];
        d[..512].copy_from_slice(&mbr(&[(0x83, 8, 16), (0x07, 32, 32)]));
        let image = disk(d, &[32]);
        let (table, parts) = partitions(&image);
        assert_eq!(table, Some(PartitionTable::Mbr));
        assert_eq!(parts.len(), 2);
        assert_eq!(
            (parts[1].index, parts[1].offset, parts[1].length),
            (2, 32 * 512, 32 * 512)
        );
        assert_eq!(parts[1].type_id, "0x07");
        assert!(!parts[0].is_ntfs && parts[1].is_ntfs);
        assert_eq!(locate_volume(&image, Location::Find).unwrap(), 32 * 512);
        assert_eq!(
            locate_volume(&image, Location::Partition(1)).unwrap(),
            8 * 512
        );
        assert!(matches!(
            locate_volume(&image, Location::Partition(9)),
            Err(Error::NoSuchPartition { index: 9, count: 2 })
        ));
    }

    /// A GPT of a 4Kn disk counts in 4096-byte sectors, and says so.
    #[test]
    fn a_gpt_of_4096_byte_sectors() {
        use crate::testing::{put_u32, put_u64};
        let mut d = vec![0u8; 64 * 4096];
        d[..512].copy_from_slice(&mbr(&[(0xEE, 1, 63)]));
        let h = 4096;
        d[h..h + 8].copy_from_slice(b"EFI PART");
        put_u64(&mut d, h + 72, 2);
        put_u32(&mut d, h + 80, 128);
        put_u32(&mut d, h + 84, 128);
        let e = 2 * 4096;
        d[e] = 1; // any type GUID
        put_u64(&mut d, e + 32, 10);
        put_u64(&mut d, e + 40, 20);
        let (table, parts) = partitions(&Image::from_bytes(d));
        assert_eq!(table, Some(PartitionTable::Gpt));
        assert_eq!(
            (parts[0].offset, parts[0].length, parts[0].sector_size),
            (10 * 4096, 11 * 4096, 4096)
        );
    }

    #[test]
    fn a_gpt_with_two_ntfs_partitions_needs_a_choice() {
        let basic_data = [
            0xA2, 0xA0, 0xD0, 0xEB, 0xE5, 0xB9, 0x33, 0x44, 0x87, 0xC0, 0x68, 0xB6, 0xB7, 0x26,
            0x99, 0xC7,
        ];
        let d = gpt_disk(
            128,
            &[
                (basic_data, 40, 71, "first"),
                (basic_data, 72, 127, "second"),
            ],
        );
        let image = disk(d, &[40, 72]);
        let (table, parts) = partitions(&image);
        assert_eq!(table, Some(PartitionTable::Gpt));
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].type_id, "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7");
        assert_eq!(
            (parts[1].name.as_str(), parts[1].offset),
            ("second", 72 * 512)
        );
        assert_eq!(parts[1].length, 56 * 512);
        assert!(matches!(
            locate_volume(&image, Location::Find),
            Err(Error::AmbiguousPartition { count: 2, .. })
        ));
        assert_eq!(
            locate_volume(&image, Location::Partition(2)).unwrap(),
            72 * 512
        );
    }

    #[test]
    fn a_bare_volume_or_a_short_image_has_no_table() {
        let image = Image::from_bytes(Boot::default().bytes());
        assert_eq!(partitions(&image), (None, Vec::new()));
        assert_eq!(locate_volume(&image, Location::Find).unwrap(), 0);
        let short = Image::from_bytes(vec![0x55; 100]);
        assert_eq!(partitions(&short), (None, Vec::new()));
        assert_eq!(locate_volume(&short, Location::Offset(7)).unwrap(), 7);
    }

    #[test]
    fn a_gpt_with_a_bad_entry_size_is_read_as_mbr() {
        let mut d = gpt_disk(64, &[]);
        d[512 + 84..512 + 88].copy_from_slice(&7u32.to_le_bytes());
        let (table, parts) = partitions(&Image::from_bytes(d));
        assert_eq!(table, Some(PartitionTable::Mbr));
        assert_eq!(parts.len(), 1); // the protective entry itself
        assert_eq!(parts[0].type_id, "0xee");
    }
}
