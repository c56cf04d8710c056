//! A whole scan of a bare $MFT: records, extension records assembled through
//! attribute lists, paths, reparse points, reports.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ntfs_links::{Analysis, AnalysisOptions, Image, LinkOptions, Reports, Scan, ScanOptions, Tree, Volume};

fuzz_target!(|data: &[u8]| {
    let Ok(volume) = Volume::open_mft_file(Image::from_bytes(data.to_vec())) else { return };
    let Ok(scan) = Scan::run(&volume, ScanOptions::default().deleted(true).times(true)) else { return };
    let checks = AnalysisOptions::default().check_index(true).index_slack(true);
    let analysis = Analysis::run(&volume, Tree::new(scan), checks);
    let reports = Reports::new(&analysis, LinkOptions { drive: Some('C') });
    for r in reports.iter() {
        let _ = serde_json::to_string(&r);
    }
    let _ = ntfs_links::verify::snapshot(&reports, Default::default());
});
