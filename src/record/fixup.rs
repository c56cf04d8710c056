//! Update sequence fixups.
//!
//! Before NTFS writes a multi-sector structure (an MFT record, an index block) it
//! copies the last two bytes of every 512-byte stride into the update sequence array
//! and puts the update sequence number there instead. A reader checks that every
//! stride still ends in that number (otherwise the write was torn) and puts the saved
//! bytes back. The stride is 512 bytes whatever the sector size.

use crate::bytes::u16_at;
use crate::error::RecordError;
use zerocopy::little_endian::U16;
use zerocopy::{FromBytes, Immutable, KnownLayout, Unaligned};

/// The fixup stride: always 512 bytes (`NTFS_BLOCK_SIZE`), even on 4K-sector disks.
pub const STRIDE: usize = 512;

/// The start every multi-sector structure shares (MFT records, INDX blocks):
/// its signature and where its update sequence array is.
#[derive(Debug, Clone, Copy, FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct MultiSectorHeader {
    /// `FILE`, `INDX`, ...
    pub signature: [u8; 4],
    /// Offset of the update sequence array.
    pub usa_offset: U16,
    /// Entries of the update sequence array: the number, then one per stride.
    pub usa_count: U16,
}

/// Applies the fixups of the record (or index block) in `buf` in place.
///
/// Every stride is restored, even after a mismatch, so that the rest of the record
/// can still be read; the first mismatch is returned as the error.
///
/// ```
/// use ntfs_links::record::apply_fixups;
/// let mut rec = vec![0u8; 1024];
/// rec[0..4].copy_from_slice(b"FILE");
/// rec[4..6].copy_from_slice(&48u16.to_le_bytes()); // usa offset
/// rec[6..8].copy_from_slice(&3u16.to_le_bytes());  // 1 + 2 strides
/// rec[48..54].copy_from_slice(&[7, 0, 0xAA, 0xBB, 0xCC, 0xDD]);
/// rec[510..512].copy_from_slice(&[7, 0]);
/// rec[1022..1024].copy_from_slice(&[7, 0]);
/// apply_fixups(&mut rec).unwrap();
/// assert_eq!(&rec[510..512], &[0xAA, 0xBB]);
/// assert_eq!(&rec[1022..1024], &[0xCC, 0xDD]);
/// ```
pub fn apply_fixups(buf: &mut [u8]) -> Result<(), RecordError> {
    let size = buf.len();
    let (offset, count) = MultiSectorHeader::ref_from_prefix(buf)
        .map_or((0, 0), |(h, _)| (h.usa_offset.get(), h.usa_count.get()));
    let strides = size / STRIDE;
    let bad = RecordError::BadUpdateSequence {
        offset,
        count,
        size,
    };
    if count as usize != strides + 1 || !size.is_multiple_of(STRIDE) || strides == 0 {
        return Err(bad);
    }
    let usa_end = offset as usize + 2 * count as usize;
    if offset < 0x28 || usa_end > STRIDE - 2 || offset % 2 != 0 {
        return Err(bad);
    }
    let expected = u16_at(buf, offset as usize).ok_or(bad.clone())?;
    let mut first = Ok(());
    for stride in 0..strides {
        let at = (stride + 1) * STRIDE - 2;
        let found = u16_at(buf, at).ok_or(bad.clone())?;
        if found != expected && first.is_ok() {
            first = Err(RecordError::FixupMismatch {
                stride,
                at,
                found,
                expected,
            });
        }
        let saved = offset as usize + 2 * (stride + 1);
        let saved: [u8; 2] = buf
            .get(saved..saved + 2)
            .and_then(|s| s.try_into().ok())
            .ok_or(bad.clone())?;
        buf.get_mut(at..at + 2)
            .ok_or(bad.clone())?
            .copy_from_slice(&saved);
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(usn: u16) -> Vec<u8> {
        let mut rec = vec![0u8; 1024];
        rec[0..4].copy_from_slice(b"FILE");
        rec[4..6].copy_from_slice(&48u16.to_le_bytes());
        rec[6..8].copy_from_slice(&3u16.to_le_bytes());
        rec[48..50].copy_from_slice(&usn.to_le_bytes());
        rec[50..54].copy_from_slice(&[1, 2, 3, 4]);
        rec[510..512].copy_from_slice(&usn.to_le_bytes());
        rec[1022..1024].copy_from_slice(&usn.to_le_bytes());
        rec
    }

    #[test]
    fn valid_fixups_restore_bytes() {
        let mut rec = record(0x1234);
        apply_fixups(&mut rec).unwrap();
        assert_eq!(&rec[510..512], &[1, 2]);
        assert_eq!(&rec[1022..1024], &[3, 4]);
    }

    #[test]
    fn torn_stride_is_reported_and_others_restored() {
        let mut rec = record(0x1234);
        rec[1022] = 0;
        let err = apply_fixups(&mut rec).unwrap_err();
        assert_eq!(
            err,
            RecordError::FixupMismatch {
                stride: 1,
                at: 1022,
                found: 0x1200,
                expected: 0x1234
            }
        );
        assert_eq!(&rec[510..512], &[1, 2]);
    }

    #[test]
    fn count_that_does_not_fit_the_size() {
        let mut rec = record(1);
        rec[6..8].copy_from_slice(&9u16.to_le_bytes());
        assert!(matches!(
            apply_fixups(&mut rec),
            Err(RecordError::BadUpdateSequence { count: 9, .. })
        ));
    }

    #[test]
    fn array_outside_first_stride() {
        let mut rec = record(1);
        rec[4..6].copy_from_slice(&600u16.to_le_bytes());
        assert!(apply_fixups(&mut rec).is_err());
        assert!(apply_fixups(&mut [0u8; 10]).is_err());
    }
}
