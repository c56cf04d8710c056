//! What `info` shows of a volume: geometry, $MFT, label, serial, version, and
//! the partitions of the disk it sits in.

use super::{MftExtent, Volume};
use crate::attribute::VolumeInformation;
use crate::image::{ContainerInfo, Partition, partitions};
use crate::record::well_known::{BITMAP, MFT_MIRROR, UPCASE, VOLUME};
use crate::record::{AttributeType, RecordView, Utf16Name};
use serde::Serialize;

/// Facts about a volume, as `info` prints them.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct VolumeInfo {
    /// The container the disk is held in (EWF, VHD, VHDX, VMDK, QCOW2, split
    /// raw), when it is not a raw file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<ContainerInfo>,
    /// Image size in bytes (the disk's, for a container).
    pub image_size: u64,
    /// Partitions of a disk image (empty for a bare volume).
    pub partitions: Vec<Partition>,
    /// Byte offset of the volume in the image.
    pub volume_offset: u64,
    /// Bytes per sector.
    pub bytes_per_sector: u32,
    /// Bytes per cluster.
    pub cluster_size: u64,
    /// Bytes per MFT record.
    pub mft_record_size: u64,
    /// Bytes per index record.
    pub index_record_size: u64,
    /// Volume size in bytes (from the boot sector).
    pub volume_size: u64,
    /// Serial number, as 16 hex digits.
    pub serial_number: String,
    /// Its low 32 bits as Windows shows them (`0246-9FF7`: `dir`, `vol`, LNK
    /// files and prefetch files carry this form).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume_serial: Option<String>,
    /// Label from $Volume's $VOLUME_NAME.
    pub label: Option<String>,
    /// NTFS version from $VOLUME_INFORMATION, e.g. "3.1".
    pub ntfs_version: Option<String>,
    /// $VOLUME_INFORMATION's dirty flag: Windows did not unmount the volume
    /// cleanly (or `chkdsk` is due). `None` when $Volume cannot be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dirty: Option<bool>,
    /// $VOLUME_INFORMATION's flags, and their names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume_flags: Option<u16>,
    /// Their names (`dirty`, `resize log file`, `upgrade on mount`, ...),
    /// and bits without a name in hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub volume_flag_names: Vec<String>,
    /// Clusters of the volume (its size over the cluster size; 0 for a bare
    /// $MFT).
    pub total_clusters: u64,
    /// Clusters $Bitmap marks free, when it can be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub free_clusters: Option<u64>,
    /// $MFTMirr against the first records of $MFT, when both can be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mftmirr: Option<MirrorCheck>,
    /// First cluster of the $MFT and of $MFTMirr.
    pub mft_lcn: u64,
    /// First cluster of $MFTMirr.
    pub mftmirr_lcn: u64,
    /// Where the $MFT lies.
    pub mft_extents: Vec<MftExtent>,
    /// Size of the $MFT.
    pub mft_size: u64,
    /// Records that can be read.
    pub record_count: u64,
    /// Things noticed while opening.
    pub warnings: Vec<String>,
    /// True for a bare $MFT file: there is no boot sector, no cluster size, no
    /// serial number; the fields that need them are 0 or empty.
    pub bare_mft: bool,
    /// A bare $MFT's records whose header says in use (a volume's scan says it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_use_records: Option<u64>,
    /// A bare $MFT's $UpCase (record 10): whether it is there, in use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upcase_record: Option<bool>,
}

/// $MFTMirr compared with the first records of $MFT, byte for byte as on
/// disk (Windows writes both together).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct MirrorCheck {
    /// Records compared: the first four, those Windows keeps mirrored.
    pub records: u64,
    /// The records that differ (empty when the mirror agrees).
    pub differing: Vec<u64>,
}

/// $VOLUME_INFORMATION's flags and their names.
const VOLUME_FLAGS: [(u16, &str); 8] = [
    (0x0001, "dirty"),
    (0x0002, "resize log file"),
    (0x0004, "upgrade on mount"),
    (0x0008, "mounted on NT4"),
    (0x0010, "delete USN underway"),
    (0x0020, "repair object ids"),
    (0x4000, "chkdsk underway"),
    (0x8000, "modified by chkdsk"),
];

impl VolumeInfo {
    /// Gathers the facts of `volume`.
    pub fn new(volume: &Volume) -> VolumeInfo {
        let g = volume.geometry();
        let boot = volume.boot_sector();
        let (label, ntfs_version, volume_flags) = volume_names(volume);
        let bare = volume.source() == super::Source::BareMft;
        let total_clusters = if bare || g.cluster_size == 0 {
            0
        } else {
            g.volume_size / g.cluster_size
        };
        VolumeInfo {
            container: volume.image().container(),
            image_size: volume.image().len(),
            partitions: partitions(volume.image()).1,
            volume_offset: volume.offset(),
            bytes_per_sector: g.bytes_per_sector,
            cluster_size: g.cluster_size,
            mft_record_size: g.record_size,
            index_record_size: g.index_record_size,
            volume_size: g.volume_size,
            serial_number: boot.map_or_else(String::new, |b| format!("{:016X}", b.serial_number)),
            volume_serial: boot.map(|b| super::serial_text(b.windows_serial())),
            label,
            ntfs_version,
            dirty: volume_flags.map(|f| f & 1 != 0),
            volume_flags,
            volume_flag_names: volume_flags.map(flag_names).unwrap_or_default(),
            total_clusters,
            free_clusters: (!bare)
                .then(|| free_clusters(volume, total_clusters))
                .flatten(),
            mftmirr: boot
                .filter(|_| !bare)
                .and_then(|b| mirror_check(volume, b.mftmirr_lcn)),
            mft_lcn: boot.map_or(0, |b| b.mft_lcn),
            mftmirr_lcn: boot.map_or(0, |b| b.mftmirr_lcn),
            mft_extents: volume.mft().extents.clone(),
            mft_size: volume.mft().data_size,
            record_count: volume.record_count(),
            warnings: volume.warnings().to_vec(),
            bare_mft: bare,
            in_use_records: bare.then(|| {
                (0..volume.record_count())
                    .filter(|&n| in_use(volume, n))
                    .count() as u64
            }),
            upcase_record: bare.then(|| in_use(volume, UPCASE)),
        }
    }
}

/// Whether record `n` has a `FILE` header that says in use.
fn in_use(volume: &Volume, n: u64) -> bool {
    volume.read_record(n).is_ok_and(|(buf, _)| {
        crate::record::RecordHeader::of(&buf).is_some_and(|h| {
            &h.multi_sector.signature == b"FILE"
                && crate::record::RecordFlags::from_bits_retain(h.flags.get())
                    .contains(crate::record::RecordFlags::IN_USE)
        })
    })
}

/// The names of `flags`' bits, and those without one in hex.
fn flag_names(flags: u16) -> Vec<String> {
    (0..16)
        .map(|i| 1u16 << i)
        .filter(|bit| flags & bit != 0)
        .map(|bit| match VOLUME_FLAGS.iter().find(|(b, _)| *b == bit) {
            Some((_, name)) => (*name).to_owned(),
            None => format!("{bit:#06x}"),
        })
        .collect()
}

/// Label, version and flags from $Volume; `None` for what cannot be read.
fn volume_names(volume: &Volume) -> (Option<String>, Option<String>, Option<u16>) {
    let Ok((buf, _)) = volume.read_record(VOLUME) else {
        return (None, None, None);
    };
    let Ok(view) = RecordView::new(&buf) else {
        return (None, None, None);
    };
    let (mut label, mut version, mut flags) = (None, None, None);
    for attr in view.attributes().flatten() {
        match (attr.type_code(), attr.value()) {
            (AttributeType::VOLUME_NAME, Some(v)) => {
                label = Some(Utf16Name(v).to_string_lossy());
            }
            (AttributeType::VOLUME_INFORMATION, Some(v)) => {
                let info = VolumeInformation::new(v);
                version = info.as_ref().map(|i| i.version());
                flags = info.map(|i| i.flags());
            }
            _ => {}
        }
    }
    (label, version, flags)
}

/// Most bytes of $Bitmap read (a 16 TiB volume of 4 KiB clusters).
const MAX_BITMAP: u64 = 512 << 20;

/// The clusters $Bitmap (record 6) marks free, of the first `total`.
fn free_clusters(volume: &Volume, total: u64) -> Option<u64> {
    let (buf, _) = volume.read_record(BITMAP).ok()?;
    let view = RecordView::new(&buf).ok()?;
    let attr = view
        .attributes()
        .flatten()
        .find(|a| a.type_code() == AttributeType::DATA && a.name().is_empty())?;
    let bitmap = volume.attribute_value_max(&attr, BITMAP, MAX_BITMAP).ok()?;
    let whole = usize::try_from(total / 8).ok()?;
    let mut used: u64 = bitmap
        .get(..whole.min(bitmap.len()))?
        .iter()
        .map(|b| u64::from(b.count_ones()))
        .sum();
    if let Some(&last) = bitmap.get(whole) {
        let bits = total % 8;
        used += u64::from((last & ((1u8 << bits) - 1)).count_ones());
    }
    Some(total.saturating_sub(used))
}

/// $MFTMirr (at cluster `lcn`) against the first records of $MFT: the four
/// Windows mirrors (fewer if $MFTMirr's $DATA holds fewer).
fn mirror_check(volume: &Volume, lcn: u64) -> Option<MirrorCheck> {
    let g = volume.geometry();
    let record = g.record_size;
    if record == 0 {
        return None;
    }
    let (buf, _) = volume.read_record(MFT_MIRROR).ok()?;
    let view = RecordView::new(&buf).ok()?;
    let size = view
        .attributes()
        .flatten()
        .find(|a| a.type_code() == AttributeType::DATA && a.name().is_empty())?
        .data_size();
    // Windows keeps the first four in step ($MFT, $MFTMirr, $LogFile,
    // $Volume); a mirror of a large cluster holds more records, copied when
    // the volume was made and stale since (records 24 on, on a volume of
    // 2 MiB clusters Windows 10 wrote).
    let records = (size / record).clamp(1, 4);
    let at = lcn
        .checked_mul(g.cluster_size)?
        .checked_add(volume.offset())?;
    let mut differing = Vec::new();
    let mut mirror = vec![0u8; record as usize];
    let mut mft = vec![0u8; record as usize];
    for n in 0..records {
        volume
            .image()
            .read_at(at.checked_add(n * record)?, &mut mirror, "$MFTMirr")
            .ok()?;
        volume.read_record_raw(n, &mut mft).ok()?;
        if mirror != mft {
            differing.push(n);
        }
    }
    Some(MirrorCheck { records, differing })
}
