//! The decompressors: LZNT1 units, XPRESS Huffman and LZX chunks, WOF streams. The first byte picks the codec and output size.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ntfs_links::content::codec::{
    WofAlgorithm, lznt1_decompress_unit, lzx_decompress, wof_decompress,
    xpress_huffman_decompress,
};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, input)) = data.split_first() else {
        return;
    };
    // Output sizes around the chunk and unit sizes, and odd ones.
    let size = match selector >> 3 {
        0 => 0,
        1 => 1,
        2 => 4095,
        3 => 4096,
        4 => 8192,
        5 => 16384,
        6 => 32768,
        7 => 65536,
        n => usize::from(n) * 997,
    };
    let mut output = vec![0u8; size];
    match selector & 7 {
        0 => {
            let _ = lznt1_decompress_unit(input, &mut output);
        }
        1 => {
            let _ = xpress_huffman_decompress(input, &mut output);
        }
        2 => {
            let _ = lzx_decompress(input, &mut output);
        }
        n => {
            let algorithm = WofAlgorithm::from_u32(u32::from(n - 3)).unwrap_or(WofAlgorithm::Lzx);
            let _ = wof_decompress(algorithm, input, size as u64 * 3, &mut std::io::sink());
        }
    }
});
