//! LZNT1, the codec of NTFS compression (MS-XCA section 2.5).
//!
//! A compression unit (16 clusters of the stream) that shrank by at least
//! one cluster is stored as a run of chunks. Each chunk stands for 4096 bytes
//! of output and starts with a 2-byte header: bits 0-11 the chunk's size
//! less 3 (header included), bits 12-14 the signature 3, bit 15 set when the
//! chunk is compressed. A header of 0, or the end of the unit's clusters,
//! ends the unit. A compressed chunk is groups of a flag byte and eight
//! items: a literal byte (flag bit clear, least significant bit first) or a
//! 2-byte match whose split between distance and length bits depends on how
//! far into the chunk it is.

use super::{CodecError, copy_match};

/// The bytes of output each chunk stands for.
const CHUNK_SIZE: usize = 4096;
/// Bit 15 of a chunk header: the chunk is compressed.
const COMPRESSED: u16 = 0x8000;
/// Bits 12-14 of a chunk header: always 3 (MS-XCA 2.5.1.1).
const SIGNATURE: u16 = 0x3000;

/// Decompresses one NTFS compression unit.
///
/// `input` is the unit's clusters as stored (their slack after the last chunk
/// does no harm); `output` is the unit's size (16 clusters). Each chunk's
/// output starts 4096 bytes after the previous one's: a chunk that decodes to
/// fewer bytes leaves zeros behind it, as Windows reads it. Returns the end of
/// the last chunk's output; the caller zero-fills the rest of the unit.
///
/// ```
/// # use ntfs_links::content::codec::lznt1_decompress_unit;
/// // One compressed chunk: flag byte 0b100 then "ab", then a match 2 back, 3 long.
/// let unit = [0x04, 0xb0, 0x04, b'a', b'b', 0x00, 0x10];
/// let mut out = [0u8; 16];
/// assert_eq!(lznt1_decompress_unit(&unit, &mut out), Ok(5));
/// assert_eq!(&out[..5], b"ababa");
/// ```
pub fn lznt1_decompress_unit(input: &[u8], output: &mut [u8]) -> Result<usize, CodecError> {
    let mut at = 0;
    let mut written = 0;
    let mut chunk_start = 0;
    while let Some(&[lo, hi]) = input.get(at..at + 2) {
        let header = u16::from_le_bytes([lo, hi]);
        if header == 0 {
            break;
        }
        if header & 0x7000 != SIGNATURE {
            return Err(CodecError::Lznt1ChunkHeader { offset: at, header });
        }
        let data_start = at + 2;
        let data_end = data_start + usize::from(header & 0x0fff) + 1;
        let data = input
            .get(data_start..data_end)
            .ok_or(CodecError::Truncated {
                offset: input.len(),
            })?;
        let window = output
            .get_mut(chunk_start..)
            .filter(|w| !w.is_empty())
            .ok_or(CodecError::OutputOverflow { offset: at })?;
        let window_len = window.len().min(CHUNK_SIZE);
        let window = window.get_mut(..window_len).unwrap_or_default();
        let produced = if header & COMPRESSED != 0 {
            chunk(data, window, data_start)?
        } else {
            let n = data.len().min(window.len());
            if let (Some(dst), Some(src)) = (window.get_mut(..n), data.get(..n)) {
                dst.copy_from_slice(src);
            }
            n
        };
        if let Some(rest) = window.get_mut(produced..) {
            rest.fill(0);
        }
        written = chunk_start + produced;
        chunk_start += CHUNK_SIZE;
        at = data_end;
    }
    Ok(written)
}

/// Decompresses one compressed chunk into `window` (at most 4096 bytes);
/// `base` is the chunk data's offset in the unit, for errors.
fn chunk(data: &[u8], window: &mut [u8], base: usize) -> Result<usize, CodecError> {
    let mut pos = 0;
    let mut at = 0;
    // The distance field grows as the chunk fills: 4 bits up to position 16,
    // then one more each time the position passes a power of two.
    let mut distance_bits = 4u32;
    while let Some(&flags) = data.get(at) {
        at += 1;
        for bit in 0..8 {
            if at >= data.len() {
                return Ok(pos);
            }
            if flags >> bit & 1 == 0 {
                let byte = data.get(at).copied().unwrap_or_default();
                *window
                    .get_mut(pos)
                    .ok_or(CodecError::OutputOverflow { offset: base + at })? = byte;
                pos += 1;
                at += 1;
            } else {
                let Some(&[lo, hi]) = data.get(at..at + 2) else {
                    return Err(CodecError::Truncated {
                        offset: base + data.len(),
                    });
                };
                while pos > 1 << distance_bits {
                    distance_bits += 1;
                }
                let token = u16::from_le_bytes([lo, hi]);
                let length_bits = 16 - distance_bits;
                let distance = usize::from(token >> length_bits) + 1;
                let length = usize::from(token & ((1 << length_bits) - 1)) + 3;
                copy_match(window, pos, distance, length, base + at)?;
                pos += length;
                at += 2;
            }
        }
    }
    Ok(pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chunk header for `data_len` bytes of chunk data.
    fn header(data_len: usize, compressed: bool) -> [u8; 2] {
        let h = SIGNATURE | (data_len as u16 - 1) | if compressed { COMPRESSED } else { 0 };
        h.to_le_bytes()
    }

    fn compressed_chunk(data: &[u8]) -> Vec<u8> {
        let mut v = header(data.len(), true).to_vec();
        v.extend_from_slice(data);
        v
    }

    #[test]
    fn literals_and_a_match() {
        // flags 0b0000_1000: three literals, then a match.
        let unit = compressed_chunk(&[0x08, b'x', b'y', b'z', 0x00, 0x20]);
        let mut out = [0xffu8; 32];
        // distance bits 4 at position 3: token 0x2000 -> distance 3, length 3.
        assert_eq!(lznt1_decompress_unit(&unit, &mut out), Ok(6));
        assert_eq!(&out[..6], b"xyzxyz");
    }

    #[test]
    fn uncompressed_chunk_then_end_marker() {
        let mut unit = header(4096, false).to_vec();
        unit.extend((0..4096).map(|i| i as u8));
        unit.extend([0, 0, 0xaa, 0xbb]);
        let mut out = [0u8; 65536];
        assert_eq!(lznt1_decompress_unit(&unit, &mut out), Ok(4096));
        assert_eq!(out[4095], 255);
    }

    #[test]
    fn short_chunk_is_zero_padded_to_4096() {
        let mut unit = compressed_chunk(&[0x00, b'a']);
        unit.extend(compressed_chunk(&[0x00, b'b']));
        let mut out = [0xffu8; 8192];
        assert_eq!(lznt1_decompress_unit(&unit, &mut out), Ok(4097));
        assert_eq!(out[0], b'a');
        assert!(out[1..4096].iter().all(|&b| b == 0));
        assert_eq!(out[4096], b'b');
    }

    #[test]
    fn distance_field_widens_past_16() {
        // 17 literals, then a match: at position 17 the distance has 5 bits.
        let mut data = vec![0x00];
        data.extend(b"abcdefgh");
        data.push(0x00);
        data.extend(b"ijklmnop");
        data.push(0x02);
        data.push(b'q');
        // distance 17 (field 16), length 3 (field 0): 16 << 11.
        data.extend((16u16 << 11).to_le_bytes());
        let mut out = [0u8; 64];
        assert_eq!(
            lznt1_decompress_unit(&compressed_chunk(&data), &mut out),
            Ok(20)
        );
        assert_eq!(&out[..20], b"abcdefghijklmnopqabc");
    }

    #[test]
    fn truncated_and_bad_input_are_errors() {
        let mut out = [0u8; 4096];
        // Header announces more data than there is.
        assert!(matches!(
            lznt1_decompress_unit(&header(100, true), &mut out),
            Err(CodecError::Truncated { .. })
        ));
        // Bad signature.
        assert!(matches!(
            lznt1_decompress_unit(&[0x01, 0x80, 0, 0], &mut out),
            Err(CodecError::Lznt1ChunkHeader {
                offset: 0,
                header: 0x8001
            })
        ));
        // A match before the start.
        assert!(matches!(
            lznt1_decompress_unit(&compressed_chunk(&[0x01, 0x00, 0x00]), &mut out),
            Err(CodecError::MatchBeforeStart { offset: 3, .. })
        ));
        // A half match token.
        assert!(matches!(
            lznt1_decompress_unit(&compressed_chunk(&[0x02, b'a', 0x00]), &mut out),
            Err(CodecError::Truncated { .. })
        ));
        // Two chunks into one chunk's worth of output.
        let mut two = compressed_chunk(&[0x00, b'a']);
        two.extend(compressed_chunk(&[0x00, b'b']));
        assert!(matches!(
            lznt1_decompress_unit(&two, &mut out),
            Err(CodecError::OutputOverflow { offset: 4 })
        ));
        // Empty input and an immediate end marker decode to nothing.
        assert_eq!(lznt1_decompress_unit(&[], &mut out), Ok(0));
        assert_eq!(lznt1_decompress_unit(&[0, 0, 1, 2], &mut out), Ok(0));
    }
}
