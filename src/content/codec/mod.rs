//! Decompressors for the two ways Windows compresses file content on NTFS.
//!
//! - **NTFS compression** (the "compressed" attribute, `compact /c`): the
//!   stream is cut into compression units of 16 clusters; a unit that
//!   shrinks is stored as LZNT1 chunks ([`lznt1_decompress_unit`], MS-XCA
//!   section 2.5).
//! - **WOF compression** (Windows 10 `compact /exe:`, "Compact OS"): the file
//!   has an `IO_REPARSE_TAG_WOF` reparse point (decoded by
//!   [`crate::reparse`]), a sparse
//!   unnamed `$DATA` and a `WofCompressedData` stream holding a chunk table
//!   and independently compressed chunks ([`WofStream`], [`wof_decompress`]).
//!   Chunks use XPRESS with Huffman coding ([`xpress_huffman_decompress`],
//!   MS-XCA section 2.2) or LZX with a 32 KiB window as in WIM files
//!   ([`lzx_decompress`]).
//!
//! Every decoder reads untrusted bytes: it checks every read and write, never
//! panics, runs in time linear in its output, and reports the byte offset in
//! its input where the data stopped making sense.

mod bits;
mod huffman;
mod lznt1;
mod lzx;
mod wof;
mod xpress;

pub use lznt1::lznt1_decompress_unit;
pub use lzx::lzx_decompress;
pub use wof::{ChunkExtent, WofAlgorithm, WofStream, wof_decompress};
pub use xpress::xpress_huffman_decompress;

/// Why compressed data could not be decompressed.
///
/// `offset` is always a byte offset in the compressed input handed to the
/// function that failed (for [`WofStream`], in the `WofCompressedData`
/// stream), so a hex editor can be opened there.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CodecError {
    /// The input ends before the data it announces.
    Truncated {
        /// Where more input was needed.
        offset: usize,
    },
    /// The data would decompress to more bytes than the output holds.
    OutputOverflow {
        /// Where the item that overflowed starts.
        offset: usize,
    },
    /// A match refers to bytes before the start of the output.
    MatchBeforeStart {
        /// Where the match was read.
        offset: usize,
        /// How far back the match reaches.
        distance: usize,
        /// How many bytes had been written when the match was read.
        position: usize,
    },
    /// An LZNT1 chunk header whose signature is not 3 (MS-XCA 2.5.1.1).
    Lznt1ChunkHeader {
        /// Where the header is.
        offset: usize,
        /// The header as read.
        header: u16,
    },
    /// Huffman code lengths that no prefix code has (over-subscribed).
    HuffmanTable {
        /// Where the table (or the LZX pretree that coded it) was read.
        offset: usize,
    },
    /// Bits that match no code of the current Huffman table.
    HuffmanCode {
        /// Roughly where the bits were read (the decoder's read position).
        offset: usize,
    },
    /// An LZX block type other than verbatim (1), aligned (2), uncompressed (3),
    /// or a block of zero bytes.
    LzxBlock {
        /// Where the block header was read.
        offset: usize,
        /// The block type read.
        block_type: u8,
    },
    /// A WOF chunk table entry that points backwards or past the stream.
    ChunkTable {
        /// Where the entry is in the stream.
        offset: usize,
        /// The chunk it locates.
        chunk: u64,
    },
    /// A WOF stream whose sizes cannot hold its chunk table.
    WofSize {
        /// The uncompressed size given.
        uncompressed_size: u64,
        /// The compressed stream size given.
        compressed_size: u64,
    },
}

impl std::fmt::Display for CodecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Truncated { offset } => {
                write!(f, "compressed data truncated at byte {offset:#x}")
            }
            Self::OutputOverflow { offset } => write!(
                f,
                "compressed data at byte {offset:#x} decompresses past the end of the output"
            ),
            Self::MatchBeforeStart {
                offset,
                distance,
                position,
            } => write!(
                f,
                "match at byte {offset:#x} reaches {distance} bytes back from output position {position}"
            ),
            Self::Lznt1ChunkHeader { offset, header } => {
                write!(
                    f,
                    "LZNT1 chunk header {header:#06x} at byte {offset:#x} has no signature 3"
                )
            }
            Self::HuffmanTable { offset } => {
                write!(f, "invalid Huffman code lengths at byte {offset:#x}")
            }
            Self::HuffmanCode { offset } => {
                write!(f, "bits near byte {offset:#x} match no Huffman code")
            }
            Self::LzxBlock { offset, block_type } => {
                write!(
                    f,
                    "invalid LZX block (type {block_type}) at byte {offset:#x}"
                )
            }
            Self::ChunkTable { offset, chunk } => {
                write!(
                    f,
                    "WOF chunk table entry for chunk {chunk} at byte {offset:#x} is out of order or past the stream"
                )
            }
            Self::WofSize {
                uncompressed_size,
                compressed_size,
            } => write!(
                f,
                "a WOF stream of {compressed_size} bytes cannot hold the chunk table of {uncompressed_size} bytes"
            ),
        }
    }
}

impl std::error::Error for CodecError {}

/// Copies an LZ77 match of `length` bytes from `distance` bytes back to
/// `position`, byte by byte in effect (the match may overlap its source).
///
/// `offset` is the input offset reported on failure.
fn copy_match(
    output: &mut [u8],
    position: usize,
    distance: usize,
    length: usize,
    offset: usize,
) -> Result<(), CodecError> {
    if distance == 0 || distance > position {
        return Err(CodecError::MatchBeforeStart {
            offset,
            distance,
            position,
        });
    }
    let end = position
        .checked_add(length)
        .filter(|&end| end <= output.len())
        .ok_or(CodecError::OutputOverflow { offset })?;
    let source = position - distance;
    // Short matches far enough back: copy 16 bytes at once (a fixed-size copy
    // the compiler inlines); the bytes past the match are written again later.
    if length <= 16 && distance >= 16 && position + 16 <= output.len() {
        output.copy_within(source..source + 16, position);
        return Ok(());
    }
    if distance == 1 {
        let byte = output.get(source).copied().unwrap_or_default();
        if let Some(run) = output.get_mut(position..end) {
            run.fill(byte);
        }
        return Ok(());
    }
    // The bytes from `source` repeat with period `distance`, so each copy may
    // take everything already written since `source`: the copied span doubles.
    let mut at = position;
    while at < end {
        let n = (at - source).min(end - at);
        output.copy_within(source..source + n, at);
        at += n;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_match_repeats_the_period() {
        let mut out = *b"abc\0\0\0\0\0\0\0";
        copy_match(&mut out, 3, 3, 7, 0).unwrap();
        assert_eq!(&out, b"abcabcabca");
        let mut out = *b"x\0\0\0";
        copy_match(&mut out, 1, 1, 3, 0).unwrap();
        assert_eq!(&out, b"xxxx");
    }

    #[test]
    fn match_out_of_bounds_is_an_error() {
        let mut out = [0u8; 8];
        assert!(matches!(
            copy_match(&mut out, 2, 3, 1, 5),
            Err(CodecError::MatchBeforeStart { offset: 5, .. })
        ));
        assert!(matches!(
            copy_match(&mut out, 2, 1, 7, 5),
            Err(CodecError::OutputOverflow { offset: 5 })
        ));
        assert!(copy_match(&mut out, 2, 0, 1, 5).is_err());
    }
}
