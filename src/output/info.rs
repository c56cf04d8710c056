//! `info`: volume facts and partitions, as text.

use crate::text::{Escaped, Message};
use crate::volume::VolumeInfo;
use std::io::{self, Write};

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
                format!(" \"{}\"", Escaped(&p.name))
            },
            if p.is_ntfs { " NTFS" } else { "" }
        )?;
    }
    writeln!(out, "volume offset:       {}", info.volume_offset)?;
    writeln!(
        out,
        "label:               {}",
        Escaped(info.label.as_deref().unwrap_or("(none)"))
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
        writeln!(out, "warning: {}", Message(&w.to_string()))?;
    }
    Ok(())
}
