//! `info`: volume facts and partitions.

use crate::image::{Partition, partitions};
use crate::record::{AttributeType, RecordView};
use crate::volume::{MftExtent, Volume};
use serde::Serialize;
use std::io::{self, Write};

/// Record number of $Volume.
const VOLUME_RECORD: u64 = 3;

/// Facts about a volume, as `info` prints them.
#[derive(Debug, Clone, Serialize)]
pub struct VolumeInfo {
    /// Image size in bytes.
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
}

impl VolumeInfo {
    /// Gathers the facts of `volume`.
    pub fn new(volume: &Volume) -> VolumeInfo {
        let g = volume.geometry();
        let boot = volume.boot_sector();
        let (label, ntfs_version) = volume_names(volume);
        VolumeInfo {
            image_size: volume.image().len(),
            partitions: partitions(volume.image()).1,
            volume_offset: volume.offset(),
            bytes_per_sector: g.bytes_per_sector,
            cluster_size: g.cluster_size,
            mft_record_size: g.record_size,
            index_record_size: g.index_record_size,
            volume_size: g.volume_size,
            serial_number: boot.map_or_else(String::new, |b| format!("{:016X}", b.serial_number)),
            label,
            ntfs_version,
            mft_lcn: boot.map_or(0, |b| b.mft_lcn),
            mftmirr_lcn: boot.map_or(0, |b| b.mftmirr_lcn),
            mft_extents: volume.mft().extents.clone(),
            mft_size: volume.mft().data_size,
            record_count: volume.record_count(),
            warnings: volume.warnings().to_vec(),
        }
    }
}

/// Label and version from record 3; `None` for what cannot be read.
fn volume_names(volume: &Volume) -> (Option<String>, Option<String>) {
    let Ok((buf, _)) = volume.read_record(VOLUME_RECORD) else {
        return (None, None);
    };
    let Ok(view) = RecordView::new(&buf) else {
        return (None, None);
    };
    let (mut label, mut version) = (None, None);
    for attr in view.attributes().flatten() {
        match (attr.kind(), attr.value()) {
            (crate::record::AttributeType::VolumeName, Some(v)) => {
                label = Some(crate::record::Utf16Name(v).to_string_lossy());
            }
            (AttributeType::VolumeInformation, Some(v)) if v.len() >= 10 => {
                version = Some(format!("{}.{}", v[8], v[9]));
            }
            _ => {}
        }
    }
    (label, version)
}

/// Prints `info` as text.
pub fn write_info(info: &VolumeInfo, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "image size:          {} bytes", info.image_size)?;
    for p in &info.partitions {
        writeln!(
            out,
            "partition {}:         {:?} type {} at byte {} ({} bytes){}{}",
            p.index,
            p.table,
            p.type_id,
            p.offset,
            p.length,
            if p.name.is_empty() {
                String::new()
            } else {
                format!(" \"{}\"", p.name)
            },
            if p.is_ntfs { " NTFS" } else { "" }
        )?;
    }
    writeln!(out, "volume offset:       {}", info.volume_offset)?;
    writeln!(
        out,
        "label:               {}",
        info.label.as_deref().unwrap_or("(none)")
    )?;
    writeln!(out, "serial number:       {}", info.serial_number)?;
    writeln!(
        out,
        "NTFS version:        {}",
        info.ntfs_version.as_deref().unwrap_or("(unknown)")
    )?;
    writeln!(out, "bytes per sector:    {}", info.bytes_per_sector)?;
    writeln!(out, "bytes per cluster:   {}", info.cluster_size)?;
    writeln!(out, "MFT record size:     {}", info.mft_record_size)?;
    writeln!(out, "index record size:   {}", info.index_record_size)?;
    writeln!(out, "volume size:         {} bytes", info.volume_size)?;
    writeln!(out, "$MFT cluster:        {}", info.mft_lcn)?;
    writeln!(out, "$MFTMirr cluster:    {}", info.mftmirr_lcn)?;
    writeln!(out, "$MFT size:           {} bytes", info.mft_size)?;
    writeln!(out, "records:             {}", info.record_count)?;
    writeln!(out, "$MFT extents:        {}", info.mft_extents.len())?;
    for e in &info.mft_extents {
        writeln!(
            out,
            "  $MFT bytes {:#x}..{:#x} at image byte {:#x}",
            e.mft_offset,
            e.mft_offset + e.len,
            e.image_offset
        )?;
    }
    for w in &info.warnings {
        writeln!(out, "warning: {w}")?;
    }
    Ok(())
}
