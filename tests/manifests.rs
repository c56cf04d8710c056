//! The scan against the ground truth that fixtures/build.py read back through
//! ntfs-3g: every path, record number, hard-link group, 8.3 name, stream and
//! deleted name.

mod common;

use common::*;
use ntfs_links::RecordReport;
use ntfs_links::attribute::Namespace;
use std::collections::{BTreeMap, BTreeSet};

/// Every check of one image (or one partition of a disk image).
fn check(image: &str, manifest_name: &str) {
    let truth = manifest(manifest_name);
    check_against(image, &truth, None);
}

fn check_against(image: &str, truth: &Manifest, partition: Option<usize>) {
    let volume = open(image, partition, false);
    let reports = reports(&volume, false);
    let by_path: BTreeMap<&str, (&RecordReport, &ntfs_links::NameReport)> = reports
        .iter()
        .flat_map(|r| r.names.iter().map(move |n| (n, r)))
        .filter_map(|(n, r)| n.path.as_deref().map(|p| (p, (r, n))))
        .collect();

    // Every path ntfs-3g lists, with its record number and type.
    for f in &truth.files {
        let path = truth.current_path(&f.path);
        let (r, n) = by_path
            .get(path.as_str())
            .unwrap_or_else(|| panic!("{image}: {} missing", f.path));
        assert_eq!(r.record, f.record, "{image}: record of {}", f.path);
        assert_eq!(r.is_dir, f.is_dir, "{image}: is_dir of {}", f.path);
        assert_ne!(
            n.namespace,
            Namespace::Dos,
            "{image}: {} is a long name",
            f.path
        );
        // 8.3 names: a DOS alias beside the Win32 name, in the same directory.
        let dos: Vec<_> = r
            .names
            .iter()
            .filter(|d| d.namespace == Namespace::Dos && d.parent == n.parent)
            .collect();
        match &f.dos_name {
            Some(short) => {
                assert_eq!(
                    n.namespace,
                    Namespace::Win32,
                    "{image}: {} has a DOS twin",
                    f.path
                );
                let dir = f.path.rsplit_once('/').unwrap().0;
                let want = format!("{dir}/{short}");
                assert!(
                    dos.iter()
                        .any(|d| &d.name == short && d.path.as_deref() == Some(want.as_str())),
                    "{image}: DOS name {short} of {}",
                    f.path
                );
            }
            None => assert_ne!(
                n.namespace,
                Namespace::Win32,
                "{image}: {} has no DOS twin",
                f.path
            ),
        }
        let aliases = truth
            .files
            .iter()
            .filter(|g| g.record == f.record && g.dos_name.is_some())
            .count();
        assert_eq!(
            r.names
                .iter()
                .filter(|d| d.namespace == Namespace::Dos)
                .count(),
            aliases,
            "{image}: DOS names of {}",
            f.path
        );
    }

    // Nothing more: the scan's user paths are exactly ntfs-3g's (system files aside).
    let listed: BTreeSet<String> = truth
        .files
        .iter()
        .map(|f| truth.current_path(&f.path))
        .collect();
    let ours: BTreeSet<String> = by_path
        .iter()
        .filter(|(p, (r, n))| {
            n.namespace != Namespace::Dos && r.record >= 24 && !p.starts_with("/$") && **p != "/"
        })
        .map(|(p, _)| p.to_string())
        .collect();
    assert_eq!(ours, listed, "{image}: set of paths");

    // Hard-link groups: exactly the non-DOS names of one record.
    for group in &truth.groups {
        let (r, _) = by_path[group[0].as_str()];
        let mut paths: Vec<&str> = r.hard_links().filter_map(|n| n.path.as_deref()).collect();
        paths.sort();
        assert_eq!(paths, *group, "{image}: group of record {}", r.record);
        assert_eq!(
            r.link_count as usize,
            r.names.len(),
            "{image}: header count of record {}",
            r.record
        );
    }
    // Records with one name are not groups.
    let groups: usize = reports
        .iter()
        .filter(|r| r.is_multi_link() && r.record >= 24)
        .count();
    assert_eq!(groups, truth.groups.len(), "{image}: number of groups");

    // Streams.
    for (path, names) in &truth.streams {
        let (r, _) = by_path[path.as_str()];
        let mut ours = r.streams.clone();
        ours.sort();
        assert_eq!(&ours, names, "{image}: streams of {path}");
    }
    for r in reports.iter().filter(|r| r.record >= 24) {
        if !r.streams.is_empty() {
            let path = r.hard_links().next().and_then(|n| n.path.clone()).unwrap();
            assert!(
                truth.streams.contains_key(&path),
                "{image}: unexpected streams on {path}"
            );
        }
    }

    // Names patched after the build (unpaired surrogates) keep their raw form.
    for p in &truth.patched {
        let r = record(&reports, p.record);
        let n = &r.names[0];
        assert!(
            n.name.contains('\u{FFFD}'),
            "{image}: readable form of {}",
            p.path
        );
        let raw = n.name_raw.as_deref().expect("raw form of an invalid name");
        assert!(
            raw.contains("00d8"),
            "{image}: raw form {raw} keeps the surrogate"
        );
    }

    // A clean image has no findings; a fixture built to raise some raises those.
    for r in &reports {
        let path = r
            .hard_links()
            .next()
            .and_then(|n| n.path.clone())
            .unwrap_or_default();
        let kinds: Vec<String> = r
            .findings
            .iter()
            .map(|f| {
                serde_json::to_value(f.kind)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        let expected = truth
            .expected_findings
            .get(&path)
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            kinds, expected,
            "{image}: findings on record {} ({path}): {:?}",
            r.record, r.findings
        );
    }
}

/// Deleted names: reported with --deleted, as not in use, with their names.
fn check_deleted(image: &str, manifest_name: &str) {
    let truth = manifest(manifest_name);
    let volume = open(image, None, false);
    let all = reports(&volume, true);
    let live: BTreeSet<u64> = truth.files.iter().map(|f| f.record).collect();
    let mut seen = 0;
    for d in truth.deleted.iter().filter(|d| !live.contains(&d.record)) {
        let r = all
            .iter()
            .find(|r| r.record == d.record)
            .unwrap_or_else(|| panic!("{image}: deleted {} missing", d.path));
        assert!(!r.in_use, "{image}: {} is deleted", d.path);
        assert_eq!(r.is_dir, d.is_dir);
        let n = r
            .names
            .iter()
            .find(|n| n.name == d.name)
            .unwrap_or_else(|| panic!("{image}: name of deleted {}", d.path));
        // The sequence-number rule finds the directory, deleted or not.
        assert_eq!(
            n.path.as_deref(),
            Some(d.path.as_str()),
            "{image}: path of deleted {}",
            d.path
        );
        assert!(!n.orphan);
        seen += 1;
    }
    assert!(seen > 0, "{image}: no deleted record to check");
    // Without --deleted, none of them.
    let live_reports = reports(&volume, false);
    assert!(live_reports.iter().all(|r| r.in_use));
}

/// Every volume manifest in fixtures/ (an image built by fixtures/build.py and
/// dropped there is checked too, without changing this test).
#[test]
fn every_volume_fixture_matches_its_manifest() {
    let mut checked = Vec::new();
    for entry in std::fs::read_dir(fixture("")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
        if path.extension().is_none_or(|e| e != "json") || name.starts_with("disk-") {
            continue;
        }
        let image = format!("{name}.img");
        check(&image, &name);
        if !manifest(&name).deleted.is_empty() {
            check_deleted(&image, &name);
        }
        checked.push(name);
    }
    checked.sort();
    for want in [
        "basic",
        "c512",
        "c64k",
        "fragmented",
        "manylinks",
        "random-1",
    ] {
        assert!(
            checked.iter().any(|c| c == want),
            "{want} checked: {checked:?}"
        );
    }
}

#[test]
fn fragmented_mft_with_its_own_attribute_list() {
    let volume = open("fragmented.img", None, false);
    assert!(
        volume.mft().extents.len() > 100,
        "the fixture's $MFT is fragmented"
    );
}

#[test]
fn mbr_disk_image_partition_found() {
    let truth = manifest("disk-mbr");
    let volume = open("disk-mbr.img", None, false);
    assert_eq!(volume.offset(), 1 << 20);
    check_against("disk-mbr.img", &truth, None);
}

#[test]
fn gpt_disk_image_each_partition() {
    let text = std::fs::read_to_string(fixture("disk-gpt.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    for p in v["partitions"].as_array().unwrap() {
        let truth: Manifest = serde_json::from_value(p.clone()).unwrap();
        let index = truth.partition.unwrap();
        let volume = open("disk-gpt.img", Some(index), false);
        assert_eq!(volume.offset(), p["offset"].as_u64().unwrap());
        check_against("disk-gpt.img", &truth, Some(index));
    }
}

#[test]
fn record_with_over_a_hundred_names_spans_extension_records() {
    let truth = manifest("basic");
    let volume = open("basic.img", None, false);
    let reports = reports(&volume, false);
    let group = truth.groups.iter().max_by_key(|g| g.len()).unwrap();
    assert!(group.len() > 100);
    let rec = truth
        .files
        .iter()
        .find(|f| f.path == group[0])
        .unwrap()
        .record;
    let scan = ntfs_links::Scan::run(&volume, Default::default()).unwrap();
    assert!(scan.record(rec).unwrap().has_attribute_list());
    assert_eq!(record(&reports, rec).names.len(), group.len());
}

#[test]
fn a_thousand_names_through_a_non_resident_attribute_list() {
    let volume = open("manylinks.img", None, false);
    let truth = manifest("manylinks");
    let rec = truth
        .files
        .iter()
        .find(|f| f.path == "/many/original")
        .unwrap()
        .record;
    let (buf, _) = volume.read_record(rec).unwrap();
    let view = ntfs_links::record::RecordView::new(&buf).unwrap();
    let list = view
        .attributes()
        .flatten()
        .find(|a| a.type_code() == 0x20)
        .unwrap();
    assert!(
        !list.is_resident(),
        "the fixture's attribute list is non-resident"
    );
    let reports = reports(&volume, false);
    assert_eq!(record(&reports, rec).names.len(), 1000);
}

#[test]
fn positioned_reads_give_the_same_reports() {
    let images = fixture_images();
    assert!(images.len() >= 10);
    for image in images {
        let partition = (image == "disk-gpt.img").then_some(2);
        let mapped = reports(&open(&image, partition, false), true);
        let read = reports(&open(&image, partition, true), true);
        assert_eq!(mapped, read, "{image}");
    }
}

/// The fast jsonl writer gives the bytes serde gives for the reports, on every
/// fixture, with and without deleted records and a drive letter.
#[test]
fn fast_jsonl_equals_the_reports_serialized() {
    for image in fixture_images() {
        let partition = (image == "disk-gpt.img").then_some(2);
        let volume = open(&image, partition, false);
        for (deleted, times) in [(false, false), (true, false), (true, true)] {
            let options = ntfs_links::ScanOptions::default()
                .deleted(deleted)
                .times(times);
            let scan = ntfs_links::Scan::run(&volume, options).unwrap();
            let analysis =
                ntfs_links::Analysis::run(&volume, ntfs_links::Tree::new(scan), Default::default());
            for drive in [None, Some('C')] {
                let reports =
                    ntfs_links::Reports::new(&analysis, ntfs_links::LinkOptions { drive });
                let mut fast = Vec::new();
                ntfs_links::output::write_jsonl(&reports, &mut fast).unwrap();
                let mut slow = Vec::new();
                for r in reports.iter() {
                    serde_json::to_writer(&mut slow, &r).unwrap();
                    slow.push(b'\n');
                }
                assert!(
                    fast == slow,
                    "{image}, deleted {deleted}, times {times}, drive {drive:?}"
                );
            }
        }
    }
}
