//! `info`: volume facts and partitions, as text.

use crate::image::{ContainerInfo, HashCheck};
use crate::text::{Escaped, Message};
use crate::volume::VolumeInfo;
use std::io::{self, Write};

/// Prints what a container is: format, files, disk size, metadata, stored
/// hashes, then its parent's, indented, down the chain.
pub fn write_container(c: &ContainerInfo, out: &mut dyn Write) -> io::Result<()> {
    write_container_at(c, 0, out)
}

fn write_container_at(c: &ContainerInfo, depth: usize, out: &mut dyn Write) -> io::Result<()> {
    let pad = "  ".repeat(depth);
    let what = if depth == 0 { "container:" } else { "parent:" };
    writeln!(out, "{pad}{what:<21}{} ({})", c.format, Escaped(&c.variant))?;
    for f in &c.files {
        writeln!(
            out,
            "{pad}  file:              {}",
            Escaped(&f.display().to_string())
        )?;
    }
    writeln!(out, "{pad}  disk size:         {} bytes", c.virtual_size)?;
    for (k, v) in &c.metadata {
        writeln!(
            out,
            "{pad}  {:<18} {}",
            format!("{}:", Escaped(k)),
            Escaped(v)
        )?;
    }
    for (algorithm, hex) in &c.hashes {
        writeln!(out, "{pad}  {:<19}{hex}", format!("stored {algorithm}:"))?;
    }
    if let Some(parent) = &c.parent {
        write_container_at(parent, depth + 1, out)?;
    }
    Ok(())
}

/// Prints the outcome of `info --verify-hash`.
pub fn write_hash_checks(checks: &[HashCheck], out: &mut dyn Write) -> io::Result<()> {
    if checks.is_empty() {
        return writeln!(out, "hashes:              the container stores none");
    }
    for c in checks {
        let verdict = if c.matches { "matches" } else { "MISMATCH" };
        writeln!(
            out,
            "{:<21}{verdict} (computed {})",
            format!("{} of the disk:", c.algorithm),
            c.computed
        )?;
    }
    Ok(())
}

/// Prints `info` of a bare $MFT: what the records alone can tell.
fn write_bare_mft(info: &VolumeInfo, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "source:              a bare $MFT file (no boot sector, no clusters)"
    )?;
    writeln!(out, "file size:           {} bytes", info.image_size)?;
    writeln!(out, "MFT record size:     {}", info.mft_record_size)?;
    writeln!(out, "records:             {}", info.record_count)?;
    if let Some(n) = info.in_use_records {
        writeln!(out, "records in use:      {n}")?;
    }
    writeln!(
        out,
        "label:               {}",
        Escaped(info.label.as_deref().unwrap_or("(none in record 3)"))
    )?;
    writeln!(
        out,
        "NTFS version:        {}",
        info.ntfs_version.as_deref().unwrap_or("(none in record 3)")
    )?;
    if let Some(upcase) = info.upcase_record {
        let says = if upcase {
            "in use"
        } else {
            "not in use or unreadable"
        };
        writeln!(out, "$UpCase (record 10): {says}")?;
    }
    writeln!(
        out,
        "not known without the volume: cluster size, serial number, $MFT location, $MFTMirr, index blocks, non-resident values"
    )?;
    for w in &info.warnings {
        writeln!(out, "warning: {}", Message(&w.to_string()))?;
    }
    Ok(())
}

/// Prints the image size and the partitions of a disk image (the head of
/// `info`, and all of it for a disk whose volume is not chosen).
pub fn write_partitions(
    image_size: u64,
    partitions: &[crate::image::Partition],
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "image size:          {image_size} bytes")?;
    for p in partitions {
        writeln!(
            out,
            "partition {}:         {} type {}{} at byte {} (sector {}{}), {} bytes{}{}",
            p.index,
            p.table,
            p.type_id,
            p.type_name.map(|n| format!(" ({n})")).unwrap_or_default(),
            p.offset,
            p.offset / p.sector_size.max(1),
            if p.sector_size == 512 {
                String::new()
            } else {
                format!(" of {} bytes", p.sector_size)
            },
            p.length,
            if p.name.is_empty() {
                String::new()
            } else {
                format!(" \"{}\"", Escaped(&p.name))
            },
            if p.is_ntfs { ", NTFS found" } else { "" }
        )?;
    }
    Ok(())
}

/// Prints `info` as text.
pub fn write_info(info: &VolumeInfo, out: &mut dyn Write) -> io::Result<()> {
    if info.bare_mft {
        return write_bare_mft(info, out);
    }
    if let Some(c) = &info.container {
        write_container(c, out)?;
    }
    write_partitions(info.image_size, &info.partitions, out)?;
    writeln!(out, "volume offset:       {}", info.volume_offset)?;
    writeln!(
        out,
        "label:               {}",
        Escaped(info.label.as_deref().unwrap_or("(none)"))
    )?;
    writeln!(out, "serial number:       {}", info.serial_number)?;
    if let Some(short) = &info.volume_serial {
        writeln!(
            out,
            "volume serial:       {short} (as Windows shows it: dir, LNK files)"
        )?;
    }
    writeln!(
        out,
        "NTFS version:        {}",
        info.ntfs_version.as_deref().unwrap_or("(unknown)")
    )?;
    if let Some(flags) = info.volume_flags {
        let names = if info.volume_flag_names.is_empty() {
            "none".to_owned()
        } else {
            info.volume_flag_names.join(", ")
        };
        writeln!(out, "volume flags:        {flags:#06x} ({names})")?;
    }
    if let Some(dirty) = info.dirty {
        writeln!(
            out,
            "dirty:               {}",
            if dirty {
                "yes (not unmounted cleanly, or chkdsk is due)"
            } else {
                "no"
            }
        )?;
    }
    writeln!(out, "bytes per sector:    {}", info.bytes_per_sector)?;
    writeln!(out, "bytes per cluster:   {}", info.cluster_size)?;
    writeln!(out, "MFT record size:     {}", info.mft_record_size)?;
    writeln!(out, "index record size:   {}", info.index_record_size)?;
    writeln!(out, "volume size:         {} bytes", info.volume_size)?;
    match info.free_clusters {
        Some(free) => writeln!(
            out,
            "clusters:            {} ({free} free, from $Bitmap)",
            info.total_clusters
        )?,
        None => writeln!(out, "clusters:            {}", info.total_clusters)?,
    }
    writeln!(out, "$MFT cluster:        {}", info.mft_lcn)?;
    writeln!(out, "$MFTMirr cluster:    {}", info.mftmirr_lcn)?;
    match &info.mftmirr {
        Some(m) if m.differing.is_empty() => writeln!(
            out,
            "$MFTMirr:            agrees with $MFT ({} records)",
            m.records
        )?,
        Some(m) => {
            let list: Vec<String> = m.differing.iter().map(u64::to_string).collect();
            writeln!(
                out,
                "$MFTMirr:            differs from $MFT in record{} {} (of {})",
                if list.len() == 1 { "" } else { "s" },
                list.join(", "),
                m.records
            )?
        }
        None => writeln!(out, "$MFTMirr:            cannot be read")?,
    }
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
