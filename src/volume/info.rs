//! What `info` shows of a volume: geometry, $MFT, label, serial, version, and
//! the partitions of the disk it sits in.

use super::{MftExtent, Volume};
use crate::attribute::VolumeInformation;
use crate::image::{ContainerInfo, Partition, partitions};
use crate::record::well_known::{UPCASE, VOLUME};
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

impl VolumeInfo {
    /// Gathers the facts of `volume`.
    pub fn new(volume: &Volume) -> VolumeInfo {
        let g = volume.geometry();
        let boot = volume.boot_sector();
        let (label, ntfs_version) = volume_names(volume);
        let bare = volume.source() == super::Source::BareMft;
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

/// Label and version from $Volume; `None` for what cannot be read.
fn volume_names(volume: &Volume) -> (Option<String>, Option<String>) {
    let Ok((buf, _)) = volume.read_record(VOLUME) else {
        return (None, None);
    };
    let Ok(view) = RecordView::new(&buf) else {
        return (None, None);
    };
    let (mut label, mut version) = (None, None);
    for attr in view.attributes().flatten() {
        match (attr.type_code(), attr.value()) {
            (AttributeType::VOLUME_NAME, Some(v)) => {
                label = Some(Utf16Name(v).to_string_lossy());
            }
            (AttributeType::VOLUME_INFORMATION, Some(v)) => {
                version = VolumeInformation::new(v).map(|i| i.version());
            }
            _ => {}
        }
    }
    (label, version)
}
