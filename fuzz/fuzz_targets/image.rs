//! A whole scan of a small image mutated by the fuzzer: the input is laid over the
//! boot sector (first byte odd) or over the start of the $MFT (even) of the
//! committed fixture c512.img.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ntfs_links::{Analysis, AnalysisOptions, Image, LinkOptions, Reports, Scan, ScanOptions, Tree, Volume};

static TEMPLATE: &[u8] = include_bytes!("../../fixtures/c512.img");

fuzz_target!(|data: &[u8]| {
    let Some((&which, patch)) = data.split_first() else { return };
    let mut img = TEMPLATE.to_vec();
    let mft = u64::from_le_bytes(img[0x30..0x38].try_into().unwrap()) as usize * 512;
    let at = if which & 1 == 1 { 0 } else { mft };
    let n = patch.len().min(img.len() - at);
    img[at..at + n].copy_from_slice(&patch[..n]);
    let Ok(volume) = Volume::open(Image::from_bytes(img), 0) else { return };
    let Ok(scan) = Scan::run(&volume, ScanOptions::default().deleted(true).times(true)) else { return };
    let checks = AnalysisOptions::default().check_index(true).index_slack(true);
    let analysis = Analysis::run(&volume, Tree::new(scan), checks);
    let reports = Reports::new(&analysis, LinkOptions { drive: Some('C') });
    for r in reports.iter() {
        let _ = serde_json::to_string(&r);
    }
    // The fast jsonl writer and the one-record reader of `stat`.
    let mut out = Vec::new();
    let _ = ntfs_links::output::write_scan(&reports, ntfs_links::output::Format::Jsonl, Default::default(), &mut out);
    for n in [0, 5, 11, 64, 66] {
        let _ = ntfs_links::detail::RecordDetail::read(&volume, n).map(|d| serde_json::to_string(&d));
    }
});
