//! Canonical Huffman decoding tables, as XPRESS Huffman and LZX use them.
//!
//! Both give only the code length of each symbol; codes are assigned in
//! order of length, then of symbol (MS-XCA 2.2.4), and read most significant
//! bit first. A table decodes the first [`ROOT_BITS`] bits with one look-up;
//! longer codes go through a second-level table.

use super::CodecError;
use super::bits::BitReader;

/// Bits decoded by the first-level look-up.
const ROOT_BITS: u32 = 10;
/// The longest code any of the formats allows (LZX main and length trees).
pub(super) const MAX_CODE_LENGTH: u32 = 16;
/// The most symbols a code has (XPRESS: 512).
pub(super) const MAX_SYMBOLS: usize = 512;

/// Entry flag: the entry points to a second-level table.
const LINK: u32 = 1 << 5;
/// Entry mask: the number of bits the entry consumes (0 marks no code).
const LENGTH_MASK: u32 = 0x1f;

/// A decoding table: entries hold the symbol (or the second-level table's
/// start) in bits 16-31, the link flag in bit 5 and the bits to consume (or
/// the second-level table's width) in bits 0-4.
pub(super) struct Huffman {
    entries: Vec<u32>,
}

impl Huffman {
    /// An empty table, to be built.
    pub(super) fn new() -> Self {
        Self {
            entries: Vec::with_capacity(1 << (ROOT_BITS + 1)),
        }
    }

    /// Builds the table from code lengths (0 for an unused symbol, at most
    /// [`MAX_CODE_LENGTH`], at most [`MAX_SYMBOLS`] symbols). Incomplete codes
    /// are accepted (bits that match no code are an error when met);
    /// over-subscribed ones are not. `offset` is reported on failure.
    pub(super) fn build(&mut self, lengths: &[u8], offset: usize) -> Result<(), CodecError> {
        let bad = CodecError::HuffmanTable { offset };
        if lengths.len() > MAX_SYMBOLS {
            return Err(bad);
        }
        let mut count = [0u16; MAX_CODE_LENGTH as usize + 1];
        for &len in lengths {
            *count.get_mut(usize::from(len)).ok_or(bad.clone())? += 1;
        }
        // Kraft: the code space left after each length must stay >= 0.
        let mut left: i32 = 1;
        for &n in count.iter().skip(1) {
            left = left * 2 - i32::from(n);
            if left < 0 {
                return Err(bad);
            }
        }
        // Symbols in canonical order (by length, then symbol): a counting sort.
        let mut next = [0u16; MAX_CODE_LENGTH as usize + 1];
        let mut total = 0u16;
        for (slot, &n) in next.iter_mut().zip(&count).skip(1) {
            *slot = total;
            total += n;
        }
        let mut sorted = [(0u16, 0u8); MAX_SYMBOLS];
        for (symbol, &len) in lengths.iter().enumerate() {
            if let Some(at) = next.get_mut(usize::from(len)).filter(|_| len > 0) {
                if let Some(slot) = sorted.get_mut(usize::from(*at)) {
                    *slot = (symbol as u16, len);
                }
                *at += 1;
            }
        }
        let sorted = sorted.get(..usize::from(total)).unwrap_or_default();
        self.entries.clear();
        self.entries.resize(1 << ROOT_BITS, 0);
        // Codes up to ROOT_BITS long fill the first level in order.
        let short = sorted.partition_point(|&(_, len)| u32::from(len) <= ROOT_BITS);
        let (short, long) = sorted.split_at(short);
        let mut cursor = 0usize;
        for &(symbol, len) in short {
            let span = 1usize << (ROOT_BITS - u32::from(len));
            if let Some(run) = self.entries.get_mut(cursor..cursor + span) {
                run.fill(u32::from(symbol) << 16 | u32::from(len));
            }
            cursor += span;
        }
        // Longer codes: those sharing their first ROOT_BITS bits are next to
        // each other; each such group gets a second-level table as wide as
        // its longest code needs.
        let mut code = cursor as u32;
        let mut code_len = ROOT_BITS;
        let mut i = 0;
        while let Some(&(_, len)) = long.get(i) {
            code <<= u32::from(len) - code_len;
            code_len = u32::from(len);
            let prefix = code >> (code_len - ROOT_BITS);
            // Find the group's end and its longest code.
            let (mut j, mut c, mut l) = (i, code, code_len);
            loop {
                j += 1;
                let Some(&(_, lj)) = long.get(j) else { break };
                let cj = (c + 1) << (u32::from(lj) - l);
                if cj >> (u32::from(lj) - ROOT_BITS) != prefix {
                    break;
                }
                (c, l) = (cj, u32::from(lj));
            }
            let width = l - ROOT_BITS;
            let start = self.entries.len();
            self.entries.resize(start + (1 << width), 0);
            if let Some(root) = self.entries.get_mut(prefix as usize) {
                *root = (start as u32) << 16 | LINK | width;
            }
            for &(symbol, len) in long.get(i..j).unwrap_or_default() {
                code <<= u32::from(len) - code_len;
                code_len = u32::from(len);
                let extra = code_len - ROOT_BITS;
                let low = (code & ((1 << extra) - 1)) as usize;
                let span = 1usize << (width - extra);
                let at = start + (low << (width - extra));
                if let Some(run) = self.entries.get_mut(at..at + span) {
                    run.fill(u32::from(symbol) << 16 | extra);
                }
                code += 1;
            }
            i = j;
        }
        Ok(())
    }

    /// Decodes one symbol; the reader must hold at least
    /// [`MAX_CODE_LENGTH`] bits (a refill since 32 bits were last consumed).
    #[inline(always)]
    pub(super) fn decode(&self, bits: &mut BitReader<'_>) -> Result<u16, CodecError> {
        let mut entry = self
            .entries
            .get(bits.peek(ROOT_BITS) as usize)
            .copied()
            .unwrap_or(0);
        if entry & LINK != 0 {
            bits.consume(ROOT_BITS);
            let width = entry & LENGTH_MASK;
            let index = (entry >> 16) as usize + bits.peek(width) as usize;
            entry = self.entries.get(index).copied().unwrap_or(0);
        }
        let length = entry & LENGTH_MASK;
        if length == 0 {
            return Err(CodecError::HuffmanCode {
                offset: bits.offset(),
            });
        }
        bits.consume(length);
        Ok((entry >> 16) as u16)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes codes MSB-first into 16-bit little-endian words.
    pub(crate) fn pack(codes: &[(u32, u32)]) -> Vec<u8> {
        let mut bits = Vec::new();
        for &(code, len) in codes {
            for i in (0..len).rev() {
                bits.push(code >> i & 1);
            }
        }
        bits.resize(bits.len().div_ceil(16) * 16, 0);
        let mut out = Vec::new();
        for word in bits.chunks(16) {
            let w = word.iter().fold(0u16, |acc, &b| acc << 1 | b as u16);
            out.extend(w.to_le_bytes());
        }
        out
    }

    #[test]
    fn canonical_codes_short_and_long() {
        // Lengths: A=1, B=2, C..=: two codes of 12 bits and the rest of 3...
        // Symbol 0: 1 bit (0), symbol 1: 2 bits (10), symbols 2, 3: 3 bits
        // (110, 1110 no): use a complete code 1,2,3,4,...,15,15.
        let lengths: Vec<u8> = (1..=15).chain([15]).collect();
        let mut h = Huffman::new();
        h.build(&lengths, 0).unwrap();
        // Code of symbol s (< 15) is s ones then a zero; the last is 15 ones.
        let mut codes: Vec<(u32, u32)> = (0..15u32)
            .map(|s| (((1u32 << s) - 1) << 1, s + 1))
            .collect();
        codes.push(((1 << 15) - 1, 15));
        let input = pack(&codes);
        let mut r = BitReader::new(&input, 0);
        for s in 0..16u16 {
            r.refill();
            assert_eq!(h.decode(&mut r).unwrap(), s);
        }
    }

    #[test]
    fn over_subscribed_is_an_error_and_incomplete_decodes_what_exists() {
        let mut h = Huffman::new();
        assert!(matches!(
            h.build(&[1, 1, 1], 7),
            Err(CodecError::HuffmanTable { offset: 7 })
        ));
        assert!(h.build(&[17], 0).is_err());
        // One code of length 1: "0" decodes, "1" does not.
        h.build(&[0, 1], 0).unwrap();
        let input = [0x00, 0x80];
        let mut r = BitReader::new(&input, 0);
        r.refill();
        assert!(matches!(
            h.decode(&mut r),
            Err(CodecError::HuffmanCode { .. })
        ));
        let input = [0x00, 0x00];
        let mut r = BitReader::new(&input, 0);
        r.refill();
        assert_eq!(h.decode(&mut r).unwrap(), 1);
        // No codes at all.
        h.build(&[0; 8], 0).unwrap();
        let mut r = BitReader::new(&input, 0);
        r.refill();
        assert!(h.decode(&mut r).is_err());
    }
}
