//! LZX as WIM files and WOF's LZX mode use it: a 32 KiB window, each chunk
//! compressed on its own, and x86 call translation always on with a
//! translation size of 12 000 000.
//!
//! The bit stream (16-bit little-endian words, most significant bit first)
//! is a run of blocks. A block header holds the type (3 bits: 1 verbatim,
//! 2 aligned offset, 3 uncompressed) and the size in output bytes (a 1 bit
//! for 32768, else 16 bits). Verbatim and aligned blocks carry Huffman code
//! lengths, coded as differences from the previous block's through a
//! 20-symbol pretree: the main tree's 256 literals, then its 240 match
//! headers (30 position slots x 8 length headers), then the 249-symbol
//! length tree; an aligned block first gives eight 3-bit lengths of the
//! aligned offset tree. An uncompressed block is padded to a 16-bit
//! boundary, gives the three repeat offsets as 32-bit values and then its
//! bytes (and a padding byte after an odd count). Matches use three repeat
//! offsets, all starting at 1 in each chunk. Finally, every `E8` byte
//! (x86 CALL) more than 10 bytes before the end is followed by an absolute
//! 32-bit address that is turned back into a relative one.

use super::bits::BitReader;
use super::huffman::Huffman;
use super::{CodecError, copy_match};

/// Literal symbols of the main tree.
const LITERALS: usize = 256;
/// Position slots for a 32 KiB window.
const POSITION_SLOTS: usize = 30;
/// Main tree symbols: literals, then 8 length headers per position slot.
const MAIN_SYMBOLS: usize = LITERALS + 8 * POSITION_SLOTS;
/// Length tree symbols.
const LENGTH_SYMBOLS: usize = 249;
/// Pretree symbols.
const PRETREE_SYMBOLS: usize = 20;
/// Aligned offset tree symbols.
const ALIGNED_SYMBOLS: usize = 8;
/// Shortest match.
const MIN_MATCH: usize = 2;
/// The block size a header's single 1 bit stands for.
const DEFAULT_BLOCK_SIZE: usize = 32768;
/// WIM's fixed x86 call translation size.
const E8_TRANSLATION_SIZE: i32 = 12_000_000;
/// Bytes at the end of a chunk where `E8` is left alone.
const E8_TAIL: usize = 10;

/// Extra offset bits of each position slot: 0 for the first four, then
/// growing by one every two slots.
const FOOTER_BITS: [u8; POSITION_SLOTS] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

/// The smallest formatted offset of each position slot: each slot starts
/// where the previous one's extra bits end.
const SLOT_BASE: [u32; POSITION_SLOTS] = [
    0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536,
    2048, 3072, 4096, 6144, 8192, 12288, 16384, 24576,
];

/// Decompresses one LZX chunk of a WIM resource or WOF stream into
/// `output`, which must be the chunk's uncompressed size (32768 bytes, or
/// less for the last chunk).
pub fn lzx_decompress(input: &[u8], output: &mut [u8]) -> Result<(), CodecError> {
    let mut decoder = Decoder {
        main: Huffman::new(),
        length: Huffman::new(),
        aligned: Huffman::new(),
        pretree: Huffman::new(),
        main_lengths: [0; MAIN_SYMBOLS],
        length_lengths: [0; LENGTH_SYMBOLS],
        repeat: [1; 3],
    };
    let mut bits = BitReader::new(input, 0);
    let mut pos = 0;
    let mut block_end = 0usize;
    while pos < output.len() {
        bits.refill();
        let header_at = bits.offset();
        let block_type = bits.read(3) as u8;
        let size = if bits.read(1) == 1 {
            DEFAULT_BLOCK_SIZE
        } else {
            bits.read(16) as usize
        };
        if size == 0 || !(1..=3).contains(&block_type) {
            return Err(CodecError::LzxBlock {
                offset: header_at,
                block_type,
            });
        }
        // Block sizes count output bytes: a match that ran past the last
        // block's end shortens this one.
        block_end = (block_end + size).min(output.len());
        if block_type == 3 {
            pos = decoder.uncompressed(&mut bits, output, pos, block_end, size)?;
        } else {
            decoder.read_trees(&mut bits, block_type == 2)?;
            pos = decoder.compressed(&mut bits, output, pos, block_end, block_type == 2)?;
        }
        if bits.overrun() {
            return Err(CodecError::Truncated {
                offset: input.len(),
            });
        }
    }
    undo_e8_translation(output);
    Ok(())
}

/// The state of one chunk's decoding.
struct Decoder {
    main: Huffman,
    length: Huffman,
    aligned: Huffman,
    pretree: Huffman,
    /// The main tree's code lengths, kept from block to block.
    main_lengths: [u8; MAIN_SYMBOLS],
    /// The length tree's code lengths, kept from block to block.
    length_lengths: [u8; LENGTH_SYMBOLS],
    /// The three most recent match offsets.
    repeat: [usize; 3],
}

impl Decoder {
    /// Reads the trees of a verbatim or aligned block.
    fn read_trees(&mut self, bits: &mut BitReader<'_>, aligned: bool) -> Result<(), CodecError> {
        if aligned {
            let at = bits.offset();
            let mut lengths = [0u8; ALIGNED_SYMBOLS];
            for len in &mut lengths {
                *len = bits.read(3) as u8;
            }
            self.aligned.build(&lengths, at)?;
        }
        let (literals, matches) = self.main_lengths.split_at_mut(LITERALS);
        read_lengths(bits, &mut self.pretree, literals)?;
        read_lengths(bits, &mut self.pretree, matches)?;
        let at = bits.offset();
        self.main.build(&self.main_lengths, at)?;
        read_lengths(bits, &mut self.pretree, &mut self.length_lengths)?;
        let at = bits.offset();
        self.length.build(&self.length_lengths, at)
    }

    /// Decodes a verbatim or aligned block's symbols until `end`; returns the
    /// new output position.
    fn compressed(
        &mut self,
        bits: &mut BitReader<'_>,
        output: &mut [u8],
        mut pos: usize,
        end: usize,
        aligned: bool,
    ) -> Result<usize, CodecError> {
        while pos < end {
            bits.refill();
            let symbol = usize::from(self.main.decode(bits)?);
            if symbol < LITERALS {
                if let Some(out) = output.get_mut(pos) {
                    *out = symbol as u8;
                }
                pos += 1;
                continue;
            }
            let at = bits.offset();
            let header = symbol - LITERALS;
            let mut length = header & 7;
            if length == 7 {
                // The main symbol took at most 16 of at least 49 bits.
                length += usize::from(self.length.decode(bits)?);
            }
            let distance = self.distance(bits, header >> 3, aligned)?;
            copy_match(output, pos, distance, length + MIN_MATCH, at)?;
            pos += length + MIN_MATCH;
        }
        Ok(pos)
    }

    /// The match distance of a position slot, updating the repeat offsets.
    #[inline(always)]
    fn distance(
        &mut self,
        bits: &mut BitReader<'_>,
        slot: usize,
        aligned: bool,
    ) -> Result<usize, CodecError> {
        let [r0, r1, r2] = &mut self.repeat;
        match slot {
            0 => return Ok(*r0),
            1 => {
                std::mem::swap(r0, r1);
                return Ok(*r0);
            }
            2 => {
                std::mem::swap(r0, r2);
                return Ok(*r0);
            }
            _ => {}
        }
        let footer = u32::from(FOOTER_BITS.get(slot).copied().unwrap_or(0));
        let base = SLOT_BASE.get(slot).copied().unwrap_or(0);
        let extra = if aligned && footer >= 3 {
            let high = bits.read(footer - 3) << 3;
            bits.refill();
            high + u32::from(self.aligned.decode(bits)?)
        } else {
            bits.read(footer)
        };
        // Formatted offsets start at 3 for distance 1.
        let distance = (base + extra) as usize - 2;
        *r2 = *r1;
        *r1 = *r0;
        *r0 = distance;
        Ok(distance)
    }

    /// Copies an uncompressed block: pad to 16 bits, three repeat offsets,
    /// the bytes, a padding byte if `size` is odd.
    fn uncompressed(
        &mut self,
        bits: &mut BitReader<'_>,
        output: &mut [u8],
        pos: usize,
        end: usize,
        size: usize,
    ) -> Result<usize, CodecError> {
        let input = bits.input();
        let at = bits.padded_word_end();
        let truncated = CodecError::Truncated {
            offset: input.len(),
        };
        let header = input.get(at..at + 12).ok_or(truncated.clone())?;
        for (r, value) in self.repeat.iter_mut().zip(header.chunks_exact(4)) {
            let mut word = [0u8; 4];
            word.copy_from_slice(value);
            *r = u32::from_le_bytes(word) as usize;
        }
        let n = end.saturating_sub(pos);
        let data = input.get(at + 12..at + 12 + n).ok_or(truncated)?;
        if let Some(out) = output.get_mut(pos..pos + n) {
            out.copy_from_slice(data);
        }
        bits.restart_at(at + 12 + n + (size & 1));
        Ok(pos + n)
    }
}

/// Reads code lengths coded through a pretree, as differences (mod 17) from
/// the previous values in `lengths`.
fn read_lengths(
    bits: &mut BitReader<'_>,
    pretree: &mut Huffman,
    lengths: &mut [u8],
) -> Result<(), CodecError> {
    let at = bits.offset();
    let mut pre = [0u8; PRETREE_SYMBOLS];
    for len in &mut pre {
        *len = bits.read(4) as u8;
    }
    pretree.build(&pre, at)?;
    let mut i = 0;
    while i < lengths.len() {
        bits.refill();
        let symbol = pretree.decode(bits)?;
        let (run, value) = match symbol {
            0..=16 => (1, delta(lengths.get(i), symbol)),
            17 => (4 + bits.read(4) as usize, 0),
            18 => (20 + bits.read(5) as usize, 0),
            _ => {
                let run = 4 + bits.read(1) as usize;
                bits.refill();
                let symbol = pretree.decode(bits)?;
                if symbol > 16 {
                    return Err(CodecError::HuffmanTable {
                        offset: bits.offset(),
                    });
                }
                (run, delta(lengths.get(i), symbol))
            }
        };
        let end = (i + run).min(lengths.len());
        if let Some(span) = lengths.get_mut(i..end) {
            span.fill(value);
        }
        i = end;
    }
    Ok(())
}

/// A code length from its previous value and a pretree symbol (0 to 16).
fn delta(previous: Option<&u8>, symbol: u16) -> u8 {
    let previous = previous.copied().unwrap_or(0);
    ((u16::from(previous) + 17 - symbol) % 17) as u8
}

/// Turns the absolute addresses after `E8` bytes back into relative ones.
fn undo_e8_translation(output: &mut [u8]) {
    let Some(limit) = output.len().checked_sub(E8_TAIL) else {
        return;
    };
    let mut i = 0;
    while i < limit {
        if output.get(i) != Some(&0xe8) {
            i += 1;
            continue;
        }
        if let Some(field) = output.get_mut(i + 1..i + 5) {
            let mut word = [0u8; 4];
            word.copy_from_slice(field);
            let absolute = i32::from_le_bytes(word);
            // i < 32768 here, so it fits.
            let position = i as i32;
            if absolute >= -position && absolute < E8_TRANSLATION_SIZE {
                let relative = if absolute >= 0 {
                    absolute - position
                } else {
                    absolute + E8_TRANSLATION_SIZE
                };
                field.copy_from_slice(&relative.to_le_bytes());
            }
        }
        i += 5;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_tables() {
        for slot in 1..POSITION_SLOTS {
            assert_eq!(
                SLOT_BASE[slot],
                SLOT_BASE[slot - 1] + (1 << FOOTER_BITS[slot - 1])
            );
        }
        for (slot, &bits) in FOOTER_BITS.iter().enumerate().skip(4) {
            assert_eq!(usize::from(bits), slot / 2 - 1);
        }
        assert_eq!(&FOOTER_BITS[..8], &[0, 0, 0, 0, 1, 1, 2, 2]);
        assert_eq!(FOOTER_BITS[29], 13);
        assert_eq!(&SLOT_BASE[..8], &[0, 1, 2, 3, 4, 6, 8, 12]);
        // The last slot reaches the end of the 32 KiB window.
        assert_eq!(SLOT_BASE[29] + (1 << 13) - 1 - 2, 32765);
    }

    #[test]
    fn e8_translation_round_trip() {
        let mut data = vec![0u8; 40];
        data[3] = 0xe8;
        // Absolute target 100 at position 3 -> relative 97.
        data[4..8].copy_from_slice(&100i32.to_le_bytes());
        // A negative absolute (-2) at position 20 -> -2 + 12000000.
        data[20] = 0xe8;
        data[21..25].copy_from_slice(&(-2i32).to_le_bytes());
        // In the last 10 bytes: left alone.
        data[31] = 0xe8;
        data[32..36].copy_from_slice(&100i32.to_le_bytes());
        undo_e8_translation(&mut data);
        assert_eq!(i32::from_le_bytes(data[4..8].try_into().unwrap()), 97);
        assert_eq!(
            i32::from_le_bytes(data[21..25].try_into().unwrap()),
            11_999_998
        );
        assert_eq!(i32::from_le_bytes(data[32..36].try_into().unwrap()), 100);
        // Out of range: untouched.
        let mut data = vec![0u8; 20];
        data[0] = 0xe8;
        data[1..5].copy_from_slice(&E8_TRANSLATION_SIZE.to_le_bytes());
        let copy = data.clone();
        undo_e8_translation(&mut data);
        assert_eq!(data, copy);
    }

    /// Bits, MSB first, packed into 16-bit little-endian words.
    struct Writer {
        bits: Vec<u8>,
    }

    impl Writer {
        fn put(&mut self, value: u32, n: u32) {
            for i in (0..n).rev() {
                self.bits.push((value >> i & 1) as u8);
            }
        }

        fn words(&self) -> Vec<u8> {
            let mut bits = self.bits.clone();
            bits.resize(bits.len().div_ceil(16) * 16, 0);
            bits.chunks(16)
                .flat_map(|w| w.iter().fold(0u16, |a, &b| a << 1 | b as u16).to_le_bytes())
                .collect()
        }
    }

    #[test]
    fn uncompressed_block() {
        // Type 3, size 5 (not the default), then padding to 16 bits: 3 + 1 +
        // 16 = 20 bits, so 12 bits of padding; R0-R2; 5 bytes; a pad byte.
        let mut w = Writer { bits: Vec::new() };
        w.put(3, 3);
        w.put(0, 1);
        w.put(5, 16);
        let mut input = w.words();
        for r in [1u32, 1, 1] {
            input.extend(r.to_le_bytes());
        }
        input.extend(b"hello");
        input.push(0);
        let mut out = [0u8; 5];
        lzx_decompress(&input, &mut out).unwrap();
        assert_eq!(&out, b"hello");
        // Cut inside the repeat offsets.
        assert!(matches!(
            lzx_decompress(&input[..10], &mut out),
            Err(CodecError::Truncated { .. })
        ));
    }

    /// A verbatim block whose trees are written with a pretree where every
    /// symbol has 5 bits (the pretree has 20 symbols: incomplete, allowed).
    #[test]
    fn verbatim_block_with_literal_and_repeat_match() {
        let mut w = Writer { bits: Vec::new() };
        w.put(1, 3);
        w.put(0, 1);
        w.put(6, 16);
        // Main tree: literals 'a' and 'b' length 2, symbol 256 (slot 0,
        // length header 0: repeat offset R0 = 1, length 2) length 1.
        // Pretree: all 20 symbols 5 bits, code = symbol.
        let write_lengths = |w: &mut Writer, lengths: &[u8]| {
            for _ in 0..PRETREE_SYMBOLS {
                w.put(5, 4);
            }
            for &len in lengths {
                // previous 0: symbol = (0 - len) mod 17.
                w.put((17 - u32::from(len)) % 17, 5);
            }
        };
        let mut literal_lengths = [0u8; LITERALS];
        literal_lengths[b'a' as usize] = 2;
        literal_lengths[b'b' as usize] = 2;
        write_lengths(&mut w, &literal_lengths);
        let mut match_lengths = [0u8; MAIN_SYMBOLS - LITERALS];
        match_lengths[0] = 1;
        write_lengths(&mut w, &match_lengths);
        write_lengths(&mut w, &[0u8; LENGTH_SYMBOLS]);
        // Codes: symbol 256 -> "0", 'a' -> "10", 'b' -> "11".
        w.put(0b10, 2); // a
        w.put(0b11, 2); // b
        w.put(0b0, 1); // match R0=1, length 2: "bb"
        w.put(0b10, 2); // a
        let input = w.words();
        let mut out = [0u8; 5];
        lzx_decompress(&input, &mut out).unwrap();
        assert_eq!(&out, b"abbba");
        // Every cut of it fails cleanly.
        for cut in 0..input.len() {
            let _ = lzx_decompress(&input[..cut], &mut out);
        }
    }

    /// Two verbatim blocks: the second codes its lengths as differences from
    /// the first's (all 0: unchanged), and the repeat offset carries over.
    #[test]
    fn second_block_reuses_lengths_and_repeat_offsets() {
        let mut w = Writer { bits: Vec::new() };
        let pretree = |w: &mut Writer| {
            for _ in 0..PRETREE_SYMBOLS {
                w.put(5, 4);
            }
        };
        let mut lengths = [0u8; MAIN_SYMBOLS];
        lengths[b'a' as usize] = 2;
        lengths[b'b' as usize] = 2;
        lengths[LITERALS] = 1;
        // Block 1: 3 bytes "abb".
        w.put(1, 3);
        w.put(0, 1);
        w.put(3, 16);
        for part in [&lengths[..LITERALS], &lengths[LITERALS..]] {
            pretree(&mut w);
            for &len in part {
                w.put((17 - u32::from(len)) % 17, 5);
            }
        }
        pretree(&mut w);
        // 249 zero lengths: symbol 18 (20 + 5 bits) runs, then 0s.
        for _ in 0..4 {
            w.put(18, 5);
            w.put(31, 5);
        }
        for _ in 0..(LENGTH_SYMBOLS - 4 * 51) {
            w.put(0, 5);
        }
        w.put(0b10, 2);
        w.put(0b11, 2);
        w.put(0b11, 2);
        // Block 2: 4 bytes: "a", then R0 (1) for 2 bytes, then "b".
        w.put(1, 3);
        w.put(0, 1);
        w.put(4, 16);
        for n in [LITERALS, MAIN_SYMBOLS - LITERALS, LENGTH_SYMBOLS] {
            pretree(&mut w);
            for _ in 0..n {
                w.put(0, 5);
            }
        }
        w.put(0b10, 2);
        w.put(0b0, 1);
        w.put(0b11, 2);
        let mut out = [0u8; 7];
        lzx_decompress(&w.words(), &mut out).unwrap();
        assert_eq!(&out, b"abbaaab");
    }

    #[test]
    fn bad_block_type_is_an_error() {
        let mut w = Writer { bits: Vec::new() };
        w.put(0, 3);
        w.put(1, 1);
        let mut out = [0u8; 4];
        assert!(matches!(
            lzx_decompress(&w.words(), &mut out),
            Err(CodecError::LzxBlock {
                offset: 0,
                block_type: 0
            })
        ));
    }
}
