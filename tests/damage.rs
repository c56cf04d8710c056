//! Damaged records become findings on those records; the scan goes on. Each test
//! patches one thing in a copy of a fixture (fixups redone unless the test breaks
//! them on purpose).

mod common;

use common::*;
use ntfs_links::{Error, FindingKind, Image, Volume};

fn image() -> (Vec<u8>, Manifest) {
    (
        std::fs::read(fixture("c512.img")).unwrap(),
        manifest("c512"),
    )
}

fn rec_of(truth: &Manifest, path: &str) -> u64 {
    truth.files.iter().find(|f| f.path == path).unwrap().record
}

fn kinds(r: &ntfs_links::RecordReport) -> Vec<FindingKind> {
    r.findings.iter().map(|f| f.kind).collect()
}

/// Sets the parent reference of the first $FILE_NAME of record `n`.
fn set_parent(bytes: &mut [u8], n: u64, parent: u64, sequence: u16) {
    patch_record(bytes, n, |rec| {
        let v = value_offset(rec, attribute_offset(rec, 0x30, 0));
        rec[v..v + 8].copy_from_slice(&(parent | (sequence as u64) << 48).to_le_bytes());
    });
}

#[test]
fn torn_record_is_reported_with_its_names() {
    let (mut bytes, truth) = image();
    let n = rec_of(&truth, "/top.txt");
    let (at, size) = record_at(&bytes, n);
    let last_check = at + size - 2; // the last stride's check bytes
    bytes[last_check] ^= 0xFF;
    let reports = reports_of_bytes(bytes, false);
    let r = record(&reports, n);
    assert_eq!(kinds(r), [FindingKind::FixupMismatch]);
    assert_eq!(r.names[0].path.as_deref(), Some("/top.txt"));
    assert_eq!(r.findings[0].offset, Some(last_check as u64));
    assert!(reports.len() > 20, "the scan went on");
}

#[test]
fn directories_that_are_each_others_parent() {
    let (mut bytes, truth) = image();
    let (a, b) = (
        rec_of(&truth, "/dir1/sub"),
        rec_of(&truth, "/dir1/sub/deeper"),
    );
    set_parent(&mut bytes, a, b, 1);
    let reports = reports_of_bytes(bytes, false);
    for n in [a, b] {
        let r = record(&reports, n);
        assert_eq!(r.names[0].path, None);
        assert_eq!(kinds(r), [FindingKind::ParentCycle], "record {n}");
    }
    let leaf = record(&reports, rec_of(&truth, "/dir1/sub/deeper/leaf.txt"));
    assert_eq!(leaf.names[0].path, None);
    assert_eq!(kinds(leaf), [FindingKind::ParentCycle]);
    // The rest of the tree is untouched.
    let top = record(&reports, rec_of(&truth, "/dir1/a.txt"));
    assert_eq!(top.names[0].path.as_deref(), Some("/dir1/a.txt"));
}

#[test]
fn directory_that_is_its_own_parent() {
    let (mut bytes, truth) = image();
    let d = rec_of(&truth, "/dir2/sub");
    set_parent(&mut bytes, d, d, 1);
    let reports = reports_of_bytes(bytes, false);
    assert_eq!(kinds(record(&reports, d)), [FindingKind::ParentCycle]);
}

#[test]
fn parent_whose_record_was_reused() {
    let (mut bytes, truth) = image();
    let f = rec_of(&truth, "/dir1/sub/deeper/leaf.txt");
    let parent = rec_of(&truth, "/dir1/sub/deeper");
    set_parent(&mut bytes, f, parent, 7);
    let reports = reports_of_bytes(bytes, false);
    let r = record(&reports, f);
    assert_eq!(r.names[0].path, None);
    assert_eq!(kinds(r), [FindingKind::ParentSequenceMismatch]);
    assert!(
        r.findings[0].message.contains("sequence 1"),
        "{}",
        r.findings[0].message
    );
}

#[test]
fn parent_outside_the_mft_and_parent_not_a_directory() {
    let (mut bytes, truth) = image();
    let (f, g) = (rec_of(&truth, "/top.txt"), rec_of(&truth, "/dir1/a.txt"));
    set_parent(&mut bytes, f, 1 << 40, 1);
    set_parent(&mut bytes, g, f, 1);
    let reports = reports_of_bytes(bytes, false);
    assert_eq!(kinds(record(&reports, f)), [FindingKind::ParentMissing]);
    let r = record(&reports, g);
    assert_eq!(r.names.iter().filter(|n| n.path.is_none()).count(), 1);
    assert!(kinds(r).contains(&FindingKind::ParentNotDirectory));
}

#[test]
fn header_link_count_that_disagrees() {
    let (mut bytes, truth) = image();
    let n = rec_of(&truth, "/dir1/a.txt");
    patch_record(&mut bytes, n, |rec| {
        rec[18..20].copy_from_slice(&5u16.to_le_bytes())
    });
    let volume = ntfs_links::Volume::open(ntfs_links::Image::from_bytes(bytes.clone()), 0).unwrap();
    let record_at = volume.record_image_offset(n).unwrap();
    let reports = reports_of_bytes(bytes, false);
    let r = record(&reports, n);
    assert_eq!(kinds(r), [FindingKind::LinkCountMismatch]);
    // Every finding has an address: here, the record's.
    assert_eq!(r.findings[0].offset, Some(record_at));
    assert!(
        r.findings[0].message.contains("is 5") && r.findings[0].message.contains("3 $FILE_NAME")
    );
}

#[test]
fn baad_record_is_reported() {
    let (mut bytes, truth) = image();
    let n = rec_of(&truth, "/top.txt");
    let (at, _) = record_at(&bytes, n);
    bytes[at..at + 4].copy_from_slice(b"BAAD");
    let reports = reports_of_bytes(bytes, false);
    let r = record(&reports, n);
    assert_eq!(kinds(r), [FindingKind::BadSignature]);
    assert!(!r.in_use && r.names.is_empty());
}

#[test]
fn attribute_lengths_zero_odd_and_huge() {
    for len in [0u32, 13, 0x10000] {
        let (mut bytes, truth) = image();
        let n = rec_of(&truth, "/top.txt");
        patch_record(&mut bytes, n, |rec| {
            let a = attribute_offset(rec, 0x30, 0);
            rec[a + 4..a + 8].copy_from_slice(&len.to_le_bytes());
        });
        let reports = reports_of_bytes(bytes, false);
        let r = record(&reports, n);
        assert_eq!(kinds(r), [FindingKind::BadAttribute], "length {len}");
        assert!(r.names.is_empty(), "the damaged $FILE_NAME is not read");
    }
}

#[test]
fn name_longer_than_its_attribute() {
    let (mut bytes, truth) = image();
    let n = rec_of(&truth, "/top.txt");
    patch_record(&mut bytes, n, |rec| {
        let v = value_offset(rec, attribute_offset(rec, 0x30, 0));
        rec[v + 64] = 200;
    });
    let reports = reports_of_bytes(bytes, false);
    let r = record(&reports, n);
    assert!(
        kinds(r).contains(&FindingKind::BadFileName),
        "{:?}",
        r.findings
    );
}

#[test]
fn unusable_volumes_are_errors() {
    let (bytes, _) = image();
    // Not NTFS.
    let mut not = bytes.clone();
    not[3..11].copy_from_slice(b"MSDOS5.0");
    assert!(matches!(
        Volume::open(Image::from_bytes(not), 0),
        Err(Error::NotNtfs { offset: 0, .. })
    ));
    // Boot sector cut short.
    let short = bytes[..300].to_vec();
    assert!(matches!(
        Volume::open(Image::from_bytes(short), 0),
        Err(Error::Truncated { .. })
    ));
    // The $MFT beyond the end of the image.
    let cut = bytes[..16384].to_vec();
    assert!(Volume::open(Image::from_bytes(cut), 0).is_err());
    // Absurd geometry.
    for (at, value) in [(12usize, 0u8), (12, 0x03), (13, 0), (13, 3), (0x40, 0x7F)] {
        let mut b = bytes.clone();
        b[at] = value;
        assert!(
            matches!(
                Volume::open(Image::from_bytes(b), 0),
                Err(Error::BadBootSector { .. })
            ),
            "byte {at:#x}"
        );
    }
    // Empty file.
    assert!(Volume::open(Image::from_bytes(Vec::new()), 0).is_err());
}

/// The fast jsonl writer and the reports agree on damaged records too: findings
/// that only the report's checks raise (a reparse flag without a reparse point,
/// timestamps out of order) are not lost on the fast path.
#[test]
fn fast_jsonl_keeps_the_findings_of_report_checks() {
    let (mut bytes, truth) = image();
    let a = rec_of(&truth, "/top.txt");
    let b = rec_of(&truth, "/dir1/a.txt");
    patch_record(&mut bytes, a, |rec| {
        let v = value_offset(rec, attribute_offset(rec, 0x10, 0));
        rec[v + 33] |= 0x04; // FILE_ATTRIBUTE_REPARSE_POINT, and no $REPARSE_POINT
    });
    patch_record(&mut bytes, b, |rec| {
        let v = value_offset(rec, attribute_offset(rec, 0x10, 0));
        rec[v..v + 8].copy_from_slice(&126_227_808_000_000_000u64.to_le_bytes());
    });
    let volume = Volume::open(Image::from_bytes(bytes), 0).unwrap();
    let options = ntfs_links::ScanOptions::default().times(true);
    let scan = ntfs_links::Scan::run(&volume, options).unwrap();
    let analysis =
        ntfs_links::Analysis::run(&volume, ntfs_links::Tree::new(scan), Default::default());
    let reports = ntfs_links::Reports::new(&analysis, Default::default());
    let mut fast = Vec::new();
    ntfs_links::output::write_jsonl(&reports, &mut fast).unwrap();
    let mut slow = Vec::new();
    for r in reports.iter() {
        serde_json::to_writer(&mut slow, &r).unwrap();
        slow.push(b'\n');
    }
    assert!(fast == slow);
    let text = String::from_utf8(fast).unwrap();
    assert!(text.contains("reparse_flag_mismatch") && text.contains("si_before_file_name"));
}

/// A damaged $MFT record 0 on a volume: the $MFT is mapped from its copy in
/// $MFTMirr, as Windows does; a warning says so, record 0 has its finding, and
/// every other record reads as before.
#[test]
fn a_damaged_mft_record_0_is_read_from_mftmirr() {
    let mut bytes = std::fs::read(fixture("c512.img")).unwrap();
    let (at, _) = record_at(&bytes, 0);
    bytes[at..at + 4].copy_from_slice(b"BAAD");
    let volume = Volume::open(Image::from_bytes(bytes), 0).unwrap();
    assert!(
        volume.warnings().iter().any(|w| w.contains("$MFTMirr")),
        "{:?}",
        volume.warnings()
    );
    let damaged = reports(&volume, false);
    let clean = reports(&open("c512.img", None, false), false);
    assert_eq!(damaged.len(), clean.len());
    assert!(kinds(&damaged[0]).contains(&FindingKind::BadSignature));
    for (d, c) in damaged.iter().zip(&clean).skip(1) {
        assert_eq!(d.names, c.names);
    }
}
