//! The bit stream of XPRESS Huffman and LZX: 16-bit little-endian words, each
//! read from its most significant bit down.
//!
//! The reader keeps up to 64 bits ahead. Past the end of the input it reads
//! zero words but counts them, so a decoder can tell at its end (or before a
//! byte-aligned read) whether it used bits that were never there.

/// A reader of 16-bit little-endian words, most significant bit first.
pub(super) struct BitReader<'a> {
    input: &'a [u8],
    /// The offset of the next word to load (may pass the end of `input`).
    next: usize,
    /// Loaded bits, the next one in bit 63.
    buffer: u64,
    /// How many bits of `buffer` are loaded and not yet consumed.
    available: u32,
}

impl<'a> BitReader<'a> {
    /// A reader starting at byte `start` of `input`.
    pub(super) fn new(input: &'a [u8], start: usize) -> Self {
        Self {
            input,
            next: start,
            buffer: 0,
            available: 0,
        }
    }

    /// Loads words until more than 48 bits are available.
    #[inline(always)]
    pub(super) fn refill(&mut self) {
        if self.available > 48 {
            return;
        }
        if let Some(&[a, b, c, d, e, f, g, h]) = self.input.get(self.next..self.next + 8) {
            // Four words at once, first word on top. Bits of a word that
            // does not fit land where the next refill puts them again.
            let words = u64::from_le_bytes([a, b, c, d, e, f, g, h]).rotate_left(32);
            let words =
                (words >> 16 & 0x0000_ffff_0000_ffff) | (words << 16 & 0xffff_0000_ffff_0000);
            let fit = (64 - self.available) / 16;
            self.buffer |= words >> self.available;
            self.available += 16 * fit;
            self.next += 2 * fit as usize;
            return;
        }
        self.refill_slow();
    }

    /// [`Self::refill`] near the end of the input, a word at a time.
    #[cold]
    fn refill_slow(&mut self) {
        while self.available <= 48 {
            let word = match self.input.get(self.next..self.next + 2) {
                Some(&[lo, hi]) => u16::from_le_bytes([lo, hi]),
                _ => 0,
            };
            self.buffer |= u64::from(word) << (48 - self.available);
            self.available += 16;
            self.next += 2;
        }
    }

    /// The next `n` bits (0 to 32), without consuming them; needs a refill
    /// since the last consumption of more than `48 - n` bits.
    #[inline(always)]
    pub(super) fn peek(&self, n: u32) -> u32 {
        // Two shifts so that n == 0 yields 0.
        ((self.buffer >> 32) >> (32 - n)) as u32
    }

    /// Consumes `n` bits (at most `available`).
    #[inline(always)]
    pub(super) fn consume(&mut self, n: u32) {
        self.buffer <<= n;
        self.available -= n;
    }

    /// Reads `n` bits (0 to 32), refilling first.
    #[inline(always)]
    pub(super) fn read(&mut self, n: u32) -> u32 {
        self.refill();
        let value = self.peek(n);
        self.consume(n);
        value
    }

    /// The whole input.
    pub(super) fn input(&self) -> &'a [u8] {
        self.input
    }

    /// The byte offset of the next unconsumed bit (rounded down): where the
    /// decoder is, for error messages.
    pub(super) fn offset(&self) -> usize {
        self.consumed_bits() / 8
    }

    /// How many bits from the start of the input have been consumed.
    fn consumed_bits(&self) -> usize {
        self.next * 8 - self.available as usize
    }

    /// Whether the consumed bits run past the end of the input.
    pub(super) fn overrun(&self) -> bool {
        self.consumed_bits() > self.input.len() * 8
    }

    /// Gives back whole loaded words that are not consumed until fewer than
    /// `keep + 16` bits remain, so that `next` is where a decoder that loads
    /// words only when it must would be.
    pub(super) fn unload_to(&mut self, keep: u32) {
        while self.available >= keep + 16 {
            self.available -= 16;
            self.next -= 2;
        }
        self.buffer = match self.available {
            0 => 0,
            n => self.buffer & (u64::MAX << (64 - n)),
        };
    }

    /// The offset of the next word to load, after [`Self::unload_to`]: where
    /// byte-aligned data in the stream continues.
    pub(super) fn next_byte(&self) -> usize {
        self.next
    }

    /// Loads the next words from byte `at` on (after byte-aligned data read
    /// past [`Self::next_byte`]), keeping the bits already loaded.
    pub(super) fn resume_at(&mut self, at: usize) {
        self.next = at;
    }

    /// The byte offset of the 16-bit boundary after the consumed bits; a
    /// whole word further when they end on a boundary (LZX pads 1 to 16 bits).
    pub(super) fn padded_word_end(&self) -> usize {
        (self.consumed_bits() / 16 + 1) * 2
    }

    /// Drops every loaded bit and continues at byte `at`.
    pub(super) fn restart_at(&mut self, at: usize) {
        self.next = at;
        self.buffer = 0;
        self.available = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_little_endian_and_bits_msb_first() {
        let input = [0x34, 0x12, 0x78, 0x56];
        let mut r = BitReader::new(&input, 0);
        assert_eq!(r.read(4), 0x1);
        assert_eq!(r.read(8), 0x23);
        assert_eq!(r.read(8), 0x45);
        assert_eq!(r.read(0), 0);
        assert_eq!(r.read(12), 0x678);
        assert!(!r.overrun());
        r.read(1);
        assert!(r.overrun());
    }

    #[test]
    fn unload_returns_whole_words() {
        let input = [0u8; 16];
        let mut r = BitReader::new(&input, 0);
        r.read(3);
        r.unload_to(16);
        // 13 bits left of word 0 and all of word 1: next is word 2.
        assert_eq!(r.next_byte(), 4);
        r.unload_to(0);
        assert_eq!(r.next_byte(), 2);
    }
}
