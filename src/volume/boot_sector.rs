//! The NTFS boot sector: geometry and where the $MFT starts.
//!
//! Parsed once per volume, with binrw. Fields read (offsets in bytes): OEM id at 3
//! (`NTFS    `), bytes per sector at 0x0B, sectors per cluster at 0x0D (values above
//! 0x80 encode 2^(256 - value)), total sectors at 0x28, $MFT and $MFTMirr LCNs at
//! 0x30 and 0x38, clusters per MFT record at 0x40 and per index record at 0x44
//! (a negative value n means 2^-n bytes), serial number at 0x48, 0xAA55 at 0x1FE.

use crate::error::{BootProblem, Error, Result};
use crate::image::Image;
use binrw::BinRead;
use serde::Serialize;

/// Largest cluster size accepted: 2 MiB (Windows 10 1709 and later).
pub const MAX_CLUSTER_SIZE: u64 = 2 << 20;
/// Largest MFT record size accepted (the format allows no more than a 64 KiB
/// update sequence array covers).
pub const MAX_RECORD_SIZE: u64 = 64 << 10;

/// The raw fields of the boot sector.
#[derive(Debug, Clone, BinRead, Serialize)]
#[br(little)]
pub struct BootSector {
    /// OEM id, `NTFS    `.
    #[br(pad_before = 3)]
    pub oem_id: [u8; 8],
    /// Bytes per sector.
    pub bytes_per_sector: u16,
    /// Sectors per cluster (encoded).
    pub sectors_per_cluster: u8,
    /// Total sectors of the volume.
    #[br(pad_before = 26)]
    pub total_sectors: u64,
    /// First cluster of the $MFT.
    pub mft_lcn: u64,
    /// First cluster of $MFTMirr.
    pub mftmirr_lcn: u64,
    /// Clusters per MFT record (encoded).
    pub clusters_per_mft_record: i8,
    /// Clusters per index record (encoded).
    #[br(pad_before = 3)]
    pub clusters_per_index_record: i8,
    /// Volume serial number.
    #[br(pad_before = 3)]
    pub serial_number: u64,
    /// Checksum (unused by Windows).
    pub checksum: u32,
    /// 0xAA55.
    #[br(pad_before = 426)]
    pub end_marker: u16,
}

/// Volume geometry derived from the boot sector, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Geometry {
    /// Bytes per sector.
    pub bytes_per_sector: u32,
    /// Bytes per cluster.
    pub cluster_size: u64,
    /// Bytes per MFT record.
    pub record_size: u64,
    /// Bytes per index record.
    pub index_record_size: u64,
    /// Volume size in bytes.
    pub volume_size: u64,
}

/// A volume serial number as Windows shows it (`vol`, shell links,
/// prefetch): `0246-9FF7`.
pub fn serial_text(serial: u32) -> String {
    format!("{:04X}-{:04X}", serial >> 16, serial & 0xFFFF)
}

impl BootSector {
    /// The serial number as Windows shows it and records it in shell links:
    /// the low 32 bits of the boot sector's ([`serial_text`] writes it).
    pub fn windows_serial(&self) -> u32 {
        self.serial_number as u32
    }

    /// Reads the boot sector at image byte `offset`.
    pub fn read(image: &Image, offset: u64) -> Result<BootSector> {
        let mut sector = [0u8; 512];
        image.read_at(offset, &mut sector, "boot sector")?;
        if &sector[3..11] != crate::image::NTFS_OEM_ID {
            return Err(Error::NotNtfs {
                offset,
                oem: String::from_utf8_lossy(&sector[3..11]).into_owned(),
                found: crate::image::identify(image, offset),
            });
        }
        let boot =
            <BootSector as BinRead>::read(&mut std::io::Cursor::new(&sector[..])).map_err(|e| {
                Error::BadBootSector {
                    offset,
                    what: BootProblem::Unparsable(e.to_string()),
                }
            })?;
        Ok(boot)
    }

    /// Checks the fields and derives the geometry; `offset` is the boot sector's
    /// image offset, for the error.
    pub fn geometry(&self, offset: u64) -> Result<Geometry> {
        let bad = |at: u64, what: BootProblem| Error::BadBootSector {
            offset: offset + at,
            what,
        };
        let bps = self.bytes_per_sector as u64;
        if !bps.is_power_of_two() || !(256..=4096).contains(&bps) {
            return Err(bad(0x0B, BootProblem::BytesPerSector(bps)));
        }
        let spc = match self.sectors_per_cluster {
            0 => return Err(bad(0x0D, BootProblem::NoSectorsPerCluster)),
            v @ 1..=0x80 => v as u64,
            v => 1u64.checked_shl(256 - v as u32).unwrap_or(0),
        };
        let cluster_size = bps * spc;
        if !spc.is_power_of_two() || cluster_size > MAX_CLUSTER_SIZE {
            return Err(bad(0x0D, BootProblem::ClusterSize(cluster_size)));
        }
        let record_size = encoded_size(self.clusters_per_mft_record, cluster_size)
            .filter(|s| s.is_power_of_two() && (512..=MAX_RECORD_SIZE).contains(s))
            .ok_or_else(|| bad(0x40, BootProblem::RecordSize(self.clusters_per_mft_record)))?;
        let index_record_size = encoded_size(self.clusters_per_index_record, cluster_size)
            .filter(|s| s.is_power_of_two() && (512..=MAX_RECORD_SIZE).contains(s))
            .unwrap_or(4096);
        let volume_size = self
            .total_sectors
            .checked_mul(bps)
            .ok_or_else(|| bad(0x28, BootProblem::TotalSectorsOverflow))?;
        if self
            .mft_lcn
            .checked_mul(cluster_size)
            .is_none_or(|b| b >= volume_size.max(1))
        {
            return Err(bad(0x30, BootProblem::MftBeyondVolume(self.mft_lcn)));
        }
        Ok(Geometry {
            bytes_per_sector: bps as u32,
            cluster_size,
            record_size,
            index_record_size,
            volume_size,
        })
    }
}

/// A size field of the boot sector: clusters when positive, 2^-n bytes when negative.
fn encoded_size(v: i8, cluster_size: u64) -> Option<u64> {
    if v > 0 {
        Some(v as u64 * cluster_size)
    } else {
        1u64.checked_shl((-(v as i32)) as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::Boot;

    fn read(boot: &Boot) -> Result<BootSector> {
        BootSector::read(&Image::from_bytes(boot.bytes()), 0)
    }

    #[test]
    fn geometry_of_a_common_volume() {
        let b = read(&Boot::default()).unwrap();
        assert_eq!(b.serial_number, 0x0246_9FF7_1234_5678);
        let g = b.geometry(0).unwrap();
        assert_eq!(
            (g.bytes_per_sector, g.cluster_size, g.record_size),
            (512, 4096, 1024)
        );
        assert_eq!((g.index_record_size, g.volume_size), (4096, 16384 * 512));
    }

    #[test]
    fn encoded_sizes() {
        // 2 MiB clusters: 4096 * 2^(256 - 247); 4 KiB records as 2^12.
        let big = Boot {
            bytes_per_sector: 4096,
            sectors_per_cluster: 247,
            total_sectors: 1 << 20,
            clusters_per_record: -12,
            ..Default::default()
        };
        let g = read(&big).unwrap().geometry(0).unwrap();
        assert_eq!((g.cluster_size, g.record_size), (2 << 20, 4096));
    }

    #[test]
    fn a_truncated_boot_sector_is_an_error() {
        let bytes = Boot::default().bytes();
        let image = Image::from_bytes(bytes[..200].to_vec());
        assert!(BootSector::read(&image, 0).is_err());
    }

    #[test]
    fn fields_that_make_no_sense_say_where() {
        let cases = [
            (
                Boot {
                    bytes_per_sector: 300,
                    ..Default::default()
                },
                0x0B,
                BootProblem::BytesPerSector(300),
            ),
            (
                Boot {
                    sectors_per_cluster: 0,
                    ..Default::default()
                },
                0x0D,
                BootProblem::NoSectorsPerCluster,
            ),
            (
                Boot {
                    clusters_per_record: 3,
                    ..Default::default()
                },
                0x40,
                BootProblem::RecordSize(3),
            ),
            (
                Boot {
                    mft_lcn: 1 << 40,
                    ..Default::default()
                },
                0x30,
                BootProblem::MftBeyondVolume(1 << 40),
            ),
        ];
        for (boot, field, problem) in cases {
            match read(&boot).unwrap().geometry(0x100000) {
                Err(Error::BadBootSector { offset, what }) => {
                    assert_eq!((offset, what), (0x100000 + field, problem));
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn another_oem_id_is_not_ntfs() {
        let mut bytes = Boot::default().bytes();
        bytes[3..11].copy_from_slice(b"MSDOS5.0");
        let err = BootSector::read(&Image::from_bytes(bytes), 0).unwrap_err();
        assert!(matches!(err, Error::NotNtfs { offset: 0, .. }));
    }
}
