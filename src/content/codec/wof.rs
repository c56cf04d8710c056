//! WOF system compression: the reparse point that marks a file as
//! compressed, and the `WofCompressedData` stream that holds its content.
//!
//! The reparse data (after the 8-byte reparse header) is WOF_EXTERNAL_INFO
//! (version 1, provider: 1 WIM, 2 file) and, for the file provider,
//! FILE_PROVIDER_EXTERNAL_INFO_V1 (version 1, algorithm: 0 XPRESS4K, 1 LZX,
//! 2 XPRESS8K, 3 XPRESS16K), all little-endian 32-bit values. The stream
//! starts with a chunk table: for each chunk but the first, the offset of
//! its data from the end of the table, in 4 bytes while the uncompressed
//! size is below 4 GiB and in 8 bytes from there on; the chunks follow in
//! order. A chunk decompresses to the chunk size (less for the last one); a
//! chunk whose stored size equals that is stored as is. The layout is the
//! same as a non-solid WIM resource's.

use std::io::Write;

use super::{CodecError, lzx_decompress, xpress_huffman_decompress};

/// The compression of a WOF file-provider file, as numbered in
/// FILE_PROVIDER_EXTERNAL_INFO_V1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WofAlgorithm {
    /// XPRESS Huffman in 4 KiB chunks (0).
    Xpress4k = 0,
    /// LZX in 32 KiB chunks (1).
    Lzx = 1,
    /// XPRESS Huffman in 8 KiB chunks (2).
    Xpress8k = 2,
    /// XPRESS Huffman in 16 KiB chunks (3).
    Xpress16k = 3,
}

impl WofAlgorithm {
    /// The algorithm of a FILE_PROVIDER_EXTERNAL_INFO_V1 value.
    pub fn from_u32(value: u32) -> Option<Self> {
        match value {
            0 => Some(Self::Xpress4k),
            1 => Some(Self::Lzx),
            2 => Some(Self::Xpress8k),
            3 => Some(Self::Xpress16k),
            _ => None,
        }
    }

    /// The uncompressed size of every chunk but the last.
    pub fn chunk_size(self) -> usize {
        match self {
            Self::Xpress4k => 4096,
            Self::Xpress8k => 8192,
            Self::Xpress16k => 16384,
            Self::Lzx => 32768,
        }
    }

    /// Decompresses one chunk of this algorithm into `output` (the chunk's
    /// uncompressed size).
    pub fn decompress_chunk(self, input: &[u8], output: &mut [u8]) -> Result<(), CodecError> {
        match self {
            Self::Lzx => lzx_decompress(input, output),
            _ => xpress_huffman_decompress(input, output),
        }
    }
}

/// Where one chunk lies in a `WofCompressedData` stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkExtent {
    /// The chunk's first byte in the stream.
    pub offset: u64,
    /// How many bytes the chunk takes in the stream.
    pub stored_len: u64,
    /// How many bytes it decompresses to.
    pub len: usize,
}

impl ChunkExtent {
    /// Whether the chunk is stored as is rather than compressed.
    pub fn is_stored(&self) -> bool {
        self.stored_len == self.len as u64
    }
}

/// The layout of a `WofCompressedData` stream: which bytes to read for the
/// chunk table and for each chunk, so that a caller reading from a volume
/// can fetch them piecewise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WofStream {
    algorithm: WofAlgorithm,
    uncompressed_size: u64,
    compressed_size: u64,
    chunk_count: u64,
    entry_size: u64,
}

impl WofStream {
    /// The layout of a stream of `compressed_size` bytes (the size of
    /// `WofCompressedData`) holding a file of `uncompressed_size` bytes (the
    /// size of the unnamed `$DATA`).
    pub fn new(
        algorithm: WofAlgorithm,
        uncompressed_size: u64,
        compressed_size: u64,
    ) -> Result<Self, CodecError> {
        let chunk_count = uncompressed_size.div_ceil(algorithm.chunk_size() as u64);
        let entry_size = if uncompressed_size <= u64::from(u32::MAX) {
            4
        } else {
            8
        };
        let stream = Self {
            algorithm,
            uncompressed_size,
            compressed_size,
            chunk_count,
            entry_size,
        };
        if stream.table_len().is_none_or(|t| t > compressed_size) {
            return Err(CodecError::WofSize {
                uncompressed_size,
                compressed_size,
            });
        }
        Ok(stream)
    }

    /// The algorithm.
    pub fn algorithm(&self) -> WofAlgorithm {
        self.algorithm
    }

    /// How many chunks the file is cut into.
    pub fn chunk_count(&self) -> u64 {
        self.chunk_count
    }

    /// The size of the chunk table at the start of the stream, in bytes.
    pub fn table_size(&self) -> u64 {
        self.table_len().unwrap_or(0)
    }

    fn table_len(&self) -> Option<u64> {
        self.chunk_count
            .saturating_sub(1)
            .checked_mul(self.entry_size)
    }

    /// Where chunk `index` lies, given the chunk table's bytes (`table`,
    /// [`Self::table_size`] bytes from the start of the stream).
    pub fn chunk(&self, table: &[u8], index: u64) -> Result<ChunkExtent, CodecError> {
        let table_size = self.table_size();
        let entry = |i: u64| -> Result<u64, CodecError> {
            if i == 0 {
                return Ok(0);
            }
            if i == self.chunk_count {
                return Ok(self.compressed_size - table_size);
            }
            let at = (i - 1) * self.entry_size;
            let bad = CodecError::ChunkTable {
                offset: usize::try_from(at).unwrap_or(usize::MAX),
                chunk: i,
            };
            let start = usize::try_from(at).map_err(|_| bad.clone())?;
            let bytes = table.get(start..start + self.entry_size as usize).ok_or(
                CodecError::Truncated {
                    offset: table.len(),
                },
            )?;
            let mut value = [0u8; 8];
            if let Some(low) = value.get_mut(..bytes.len()) {
                low.copy_from_slice(bytes);
            }
            Ok(u64::from_le_bytes(value))
        };
        if index >= self.chunk_count {
            return Err(CodecError::ChunkTable {
                offset: 0,
                chunk: index,
            });
        }
        let start = entry(index)?;
        let end = entry(index + 1)?;
        let data_size = self.compressed_size - table_size;
        if start > end || end > data_size {
            return Err(CodecError::ChunkTable {
                offset: usize::try_from(index.saturating_sub(1) * self.entry_size)
                    .unwrap_or(usize::MAX),
                chunk: index,
            });
        }
        let chunk_size = self.algorithm.chunk_size() as u64;
        let len = chunk_size.min(self.uncompressed_size - index * chunk_size) as usize;
        Ok(ChunkExtent {
            offset: table_size + start,
            stored_len: end - start,
            len,
        })
    }

    /// Decompresses a chunk's stored bytes (`stored`, its
    /// [`ChunkExtent::stored_len`] bytes) into `output` (its
    /// [`ChunkExtent::len`] bytes); errors carry offsets in `stored`.
    pub fn decompress_chunk(&self, stored: &[u8], output: &mut [u8]) -> Result<(), CodecError> {
        if stored.len() == output.len() {
            output.copy_from_slice(stored);
            return Ok(());
        }
        self.algorithm.decompress_chunk(stored, output)
    }
}

/// Decompresses a whole `WofCompressedData` stream held in memory into
/// `output`, chunk by chunk. Decoding errors come as
/// [`std::io::ErrorKind::InvalidData`] wrapping a [`CodecError`] whose
/// offset counts from the start of the stream.
pub fn wof_decompress(
    algorithm: WofAlgorithm,
    compressed_stream: &[u8],
    uncompressed_size: u64,
    output: &mut impl Write,
) -> std::io::Result<()> {
    let invalid = |e: CodecError| std::io::Error::new(std::io::ErrorKind::InvalidData, e);
    let stream = WofStream::new(algorithm, uncompressed_size, compressed_stream.len() as u64)
        .map_err(invalid)?;
    let table = compressed_stream
        .get(..stream.table_size() as usize)
        .unwrap_or_default();
    let mut buffer = vec![0u8; algorithm.chunk_size()];
    for index in 0..stream.chunk_count() {
        let extent = stream.chunk(table, index).map_err(invalid)?;
        let start = extent.offset as usize;
        let stored = compressed_stream
            .get(start..start + extent.stored_len as usize)
            .unwrap_or_default();
        let out = buffer.get_mut(..extent.len).unwrap_or_default();
        stream
            .decompress_chunk(stored, out)
            .map_err(|e| invalid(shift(e, start)))?;
        output.write_all(out)?;
    }
    Ok(())
}

/// The same error with its offset moved by `base` bytes.
fn shift(error: CodecError, base: usize) -> CodecError {
    use CodecError as E;
    let add = |o: usize| o.saturating_add(base);
    match error {
        E::Truncated { offset } => E::Truncated {
            offset: add(offset),
        },
        E::OutputOverflow { offset } => E::OutputOverflow {
            offset: add(offset),
        },
        E::MatchBeforeStart {
            offset,
            distance,
            position,
        } => E::MatchBeforeStart {
            offset: add(offset),
            distance,
            position,
        },
        E::Lznt1ChunkHeader { offset, header } => E::Lznt1ChunkHeader {
            offset: add(offset),
            header,
        },
        E::HuffmanTable { offset } => E::HuffmanTable {
            offset: add(offset),
        },
        E::HuffmanCode { offset } => E::HuffmanCode {
            offset: add(offset),
        },
        E::LzxBlock { offset, block_type } => E::LzxBlock {
            offset: add(offset),
            block_type,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_entry_width_follows_the_size() {
        let small = WofStream::new(WofAlgorithm::Xpress4k, u64::from(u32::MAX), 1 << 22).unwrap();
        assert_eq!(small.table_size(), (small.chunk_count() - 1) * 4);
        let big = WofStream::new(WofAlgorithm::Lzx, 1 << 32, 1 << 20).unwrap();
        assert_eq!(big.chunk_count(), 1 << 17);
        assert_eq!(big.table_size(), ((1 << 17) - 1) * 8);
        assert!(matches!(
            WofStream::new(WofAlgorithm::Xpress4k, 1 << 20, 10),
            Err(CodecError::WofSize { .. })
        ));
        let empty = WofStream::new(WofAlgorithm::Xpress4k, 0, 0).unwrap();
        assert_eq!(empty.chunk_count(), 0);
    }

    #[test]
    fn stored_chunks_and_bad_tables() {
        // Three 4 KiB chunks stored as is (the last one 100 bytes).
        let size = 8192 + 100;
        let mut stream = Vec::new();
        stream.extend(4096u32.to_le_bytes());
        stream.extend(8192u32.to_le_bytes());
        let plain: Vec<u8> = (0..size).map(|i| (i * 7) as u8).collect();
        stream.extend(&plain);
        let mut out = Vec::new();
        wof_decompress(WofAlgorithm::Xpress4k, &stream, size as u64, &mut out).unwrap();
        assert_eq!(out, plain);
        // An entry pointing backwards.
        let mut bad = stream.clone();
        bad[4..8].copy_from_slice(&10u32.to_le_bytes());
        let err =
            wof_decompress(WofAlgorithm::Xpress4k, &bad, size as u64, &mut Vec::new()).unwrap_err();
        let inner = err.get_ref().unwrap().downcast_ref::<CodecError>().unwrap();
        assert!(matches!(inner, CodecError::ChunkTable { chunk: 1 | 2, .. }));
        // An entry past the end.
        let mut bad = stream.clone();
        bad[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(
            wof_decompress(WofAlgorithm::Xpress4k, &bad, size as u64, &mut Vec::new()).is_err()
        );
        // A chunk index past the last.
        let s = WofStream::new(WofAlgorithm::Xpress4k, size as u64, stream.len() as u64).unwrap();
        assert!(s.chunk(&stream[..8], 3).is_err());
        assert_eq!(
            s.chunk(&stream[..8], 2).unwrap(),
            ChunkExtent {
                offset: 8 + 8192,
                stored_len: 100,
                len: 100
            }
        );
    }
}
