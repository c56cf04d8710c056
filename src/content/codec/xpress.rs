//! XPRESS with Huffman coding ("LZ77+Huffman", MS-XCA sections 2.1-2.2 and
//! 2.2.4), as WOF (XPRESS4K, 8K, 16K) and WIM files use it for each chunk.
//!
//! The output is cut into blocks of 64 KiB. A block starts with 256 bytes
//! holding the 4-bit code lengths of 512 symbols (symbol 2i in the low
//! nibble of byte i), then a bit stream of Huffman symbols: below 256 a
//! literal; otherwise `symbol - 256` gives the match length (low 4 bits,
//! plus 3; 15 means the length continues in the byte stream) and the number
//! of distance bits (high 4 bits; the distance is `1 << n` plus the next n
//! bits). Extra length bytes are read at the byte position just after the
//! 16-bit words the reference decoder has loaded, which is why the reader
//! gives back words it loaded early ([`BitReader::unload_to`]).

use super::bits::BitReader;
use super::huffman::Huffman;
use super::{CodecError, copy_match};

/// Output bytes coded with one Huffman table.
const BLOCK_SIZE: usize = 65536;
/// Bytes of code lengths before each block's bit stream.
const TABLE_BYTES: usize = 256;
/// Literals and matches: 256 + 16 length slots x 16 distance widths.
const SYMBOLS: usize = 512;
/// Shortest match.
const MIN_MATCH: usize = 3;

/// Decompresses one XPRESS Huffman chunk into `output`, which must be the
/// chunk's uncompressed size (the WOF or WIM chunk size, or less for the
/// last chunk).
///
/// Decoding stops when `output` is full; bytes left in `input` after that
/// are ignored. An `output` of zero bytes needs no input.
pub fn xpress_huffman_decompress(input: &[u8], output: &mut [u8]) -> Result<(), CodecError> {
    let mut table = Huffman::new();
    let mut lengths = [0u8; SYMBOLS];
    let mut block_input = 0;
    let mut pos = 0;
    while pos < output.len() {
        let raw =
            input
                .get(block_input..block_input + TABLE_BYTES)
                .ok_or(CodecError::Truncated {
                    offset: input.len(),
                })?;
        for (pair, &byte) in lengths.chunks_exact_mut(2).zip(raw) {
            if let [low, high] = pair {
                *low = byte & 0x0f;
                *high = byte >> 4;
            }
        }
        table.build(&lengths, block_input)?;
        let mut bits = BitReader::new(input, block_input + TABLE_BYTES);
        let block_end = output.len().min(pos + BLOCK_SIZE);
        pos = block(&table, &mut bits, output, pos, block_end)?;
        if bits.overrun() {
            return Err(CodecError::Truncated {
                offset: input.len(),
            });
        }
        // The next block's table follows the words the reference decoder had
        // loaded: it keeps 16 to 31 bits ahead.
        bits.unload_to(16);
        block_input = bits.next_byte();
    }
    Ok(())
}

/// Decodes symbols until `end`; returns the new output position.
fn block(
    table: &Huffman,
    bits: &mut BitReader<'_>,
    output: &mut [u8],
    mut pos: usize,
    end: usize,
) -> Result<usize, CodecError> {
    while pos < end {
        bits.refill();
        let symbol = table.decode(bits)?;
        if symbol < 256 {
            if let Some(out) = output.get_mut(pos) {
                *out = symbol as u8;
            }
            pos += 1;
            continue;
        }
        let at = bits.offset();
        let symbol = symbol - 256;
        let distance_bits = u32::from(symbol >> 4);
        let mut length = usize::from(symbol & 0x0f);
        if length == 15 {
            length = long_length(bits)?;
        }
        length += MIN_MATCH;
        // The refill above left at least 33 bits after the symbol; the long
        // length path refilled to 48.
        bits.refill();
        let distance = (1usize << distance_bits) + bits.peek(distance_bits) as usize;
        bits.consume(distance_bits);
        // A match may run past the block's end (the next block then starts
        // later), not past the output's.
        copy_match(output, pos, distance, length, at)?;
        pos += length;
    }
    Ok(pos)
}

/// Reads a match length of 15 or more from the byte stream: one byte; if
/// 255, a 16-bit length; if that is 0, a 32-bit length. Returns the length
/// less [`MIN_MATCH`].
#[cold]
fn long_length(bits: &mut BitReader<'_>) -> Result<usize, CodecError> {
    bits.unload_to(16);
    let input = bits.input();
    let mut at = bits.next_byte();
    let truncated = CodecError::Truncated { offset: at };
    let byte = input.get(at).copied().ok_or(truncated.clone())?;
    at += 1;
    let length = if byte < 255 {
        usize::from(byte) + 15
    } else {
        let &[lo, hi] = input.get(at..at + 2).ok_or(truncated.clone())? else {
            return Err(truncated);
        };
        at += 2;
        let mut length = usize::from(u16::from_le_bytes([lo, hi]));
        if length == 0 {
            let &[a, b, c, d] = input.get(at..at + 4).ok_or(truncated.clone())? else {
                return Err(truncated);
            };
            at += 4;
            length = u32::from_le_bytes([a, b, c, d]) as usize;
        }
        length
            .checked_sub(15)
            .ok_or(CodecError::HuffmanCode { offset: at })?
            + 15
    };
    bits.resume_at(at);
    Ok(length)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Packs symbols (code, length) as a bit stream after a table of lengths.
    fn stream(lengths: &[u8; SYMBOLS], codes: &[(u32, u32)], extra_at_end: &[u8]) -> Vec<u8> {
        let mut v: Vec<u8> = lengths.chunks(2).map(|p| p[0] | p[1] << 4).collect();
        let mut bits = Vec::new();
        for &(code, len) in codes {
            for i in (0..len).rev() {
                bits.push(code >> i & 1);
            }
        }
        bits.resize(bits.len().div_ceil(16) * 16, 0);
        for word in bits.chunks(16) {
            let w = word.iter().fold(0u16, |acc, &b| acc << 1 | b as u16);
            v.extend(w.to_le_bytes());
        }
        v.extend(extra_at_end);
        v
    }

    /// A complete code: every one of the 512 symbols 9 bits long; symbol s
    /// has code s.
    fn flat() -> [u8; SYMBOLS] {
        [9; SYMBOLS]
    }

    #[test]
    fn literals_and_short_match() {
        // "abc", then a match: length 3 + 3 = 6, distance bits 1: 2 + 1 = 3.
        let codes = [
            (b'a' as u32, 9),
            (b'b' as u32, 9),
            (b'c' as u32, 9),
            (256 + (1 << 4) + 3, 9),
            (1, 1),
        ];
        let input = stream(&flat(), &codes, &[]);
        let mut out = [0u8; 9];
        xpress_huffman_decompress(&input, &mut out).unwrap();
        assert_eq!(&out, b"abcabcabc");
    }

    #[test]
    fn long_length_is_read_between_words() {
        // "x", then a match of 15 + 3 + byte 10 = 28 with distance 1 (0
        // distance bits), then "y". The words loaded when the length byte is
        // read: the reference decoder holds two words (32 bits) after the
        // table and has consumed 18 bits, so it has loaded 3 words: the
        // length byte comes after the third word.
        let codes = [(b'x' as u32, 9), (256 + 15, 9), (b'y' as u32, 9)];
        let mut lengths = flat();
        lengths[0] = 9;
        let mut input = stream(&lengths, &codes, &[]);
        // The bit stream is 27 bits: 2 words. The reference has loaded 3
        // words (6 bytes) when it reads the byte, so pad to 3 words first.
        input.extend([0, 0]);
        input.push(10);
        input.extend([0; 8]);
        let mut out = [0u8; 30];
        xpress_huffman_decompress(&input, &mut out).unwrap();
        assert_eq!(&out[..29], &[b'x'; 29][..]);
        assert_eq!(out[29], b'y');
    }

    #[test]
    fn hostile_inputs_are_errors() {
        let mut out = [0u8; 100];
        // No table.
        assert!(matches!(
            xpress_huffman_decompress(&[0; 100], &mut out),
            Err(CodecError::Truncated { .. })
        ));
        // An empty code.
        assert!(matches!(
            xpress_huffman_decompress(&[0; 300], &mut out),
            Err(CodecError::HuffmanCode { .. })
        ));
        // Over-subscribed: every symbol 1 bit long.
        assert!(matches!(
            xpress_huffman_decompress(&[0x11; 300], &mut out),
            Err(CodecError::HuffmanTable { offset: 0 })
        ));
        // A match before the start.
        let input = stream(&flat(), &[(256 + 3, 9)], &[0; 8]);
        assert!(matches!(
            xpress_huffman_decompress(&input, &mut out),
            Err(CodecError::MatchBeforeStart { .. })
        ));
        // Runs out of bits.
        let input = stream(&flat(), &[(b'a' as u32, 9)], &[]);
        assert!(matches!(
            xpress_huffman_decompress(&input, &mut out),
            Err(CodecError::Truncated { .. })
        ));
        // Nothing to produce needs nothing.
        assert_eq!(xpress_huffman_decompress(&[], &mut []), Ok(()));
    }
}
