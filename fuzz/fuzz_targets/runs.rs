//! Data-run decoding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ntfs_links::record::DataRuns;

fuzz_target!(|data: &[u8]| {
    let vcn = data.first().map_or(0, |&b| u64::from(b) << 40);
    for run in DataRuns::new(data, vcn) {
        let _ = run;
    }
});
