//! A whole scan of a bare $MFT: records, extension records assembled through
//! attribute lists, paths, reparse points, reports.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ntfs_links::{Image, LinkOptions, Scan, ScanOptions, Volume};

fuzz_target!(|data: &[u8]| {
    let Ok(volume) = Volume::open_mft_file(Image::from_bytes(data.to_vec())) else { return };
    let Ok(scan) = Scan::run(&volume, ScanOptions { deleted: true, times: true, check_index: true, index_slack: true }) else { return };
    for r in scan.reports_with(LinkOptions { drive: Some('C') }) {
        let _ = serde_json::to_string(&r);
    }
    let _ = ntfs_links::verify::snapshot(&scan, Default::default());
});
