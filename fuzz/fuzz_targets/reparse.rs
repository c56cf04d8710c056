//! Reparse buffer decoding, target parsing and Interix symlinks.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ntfs_links::reparse;

fuzz_target!(|data: &[u8]| {
    let rp = reparse::decode(data);
    let _ = rp.parsed_target();
    let _ = serde_json::to_string(&rp);
    let _ = reparse::decode_interix(data);
});
