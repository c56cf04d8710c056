//! Volumes and $MFT files written by Windows itself (`../shared/external/
//! windows/`): what the bytes hold, as the README of that folder and the
//! source projects expect it.

mod common;

use ntfs_links::{Image, RecordReport, ScanOptions, Volume};
use std::path::PathBuf;

fn windows(name: &str) -> Option<PathBuf> {
    Some(common::external_dir("windows")?.join(name))
}

fn scan_mft(path: &std::path::Path) -> Vec<RecordReport> {
    let volume = Volume::open_mft_file(Image::open(path, Default::default()).unwrap()).unwrap();
    common::reports_with(
        &volume,
        ScanOptions::default(),
        Default::default(),
        Default::default(),
    )
}

/// `xw.mft` record 485: its $ATTRIBUTE_LIST is non-resident, so a bare $MFT
/// cannot read it; the base record holds three $FILE_NAMEs and extension
/// record 432 (which names 485 as its base, with its sequence) the fourth.
#[test]
fn xw_485_is_assembled_without_its_list() {
    let Some(path) = windows("ericzimmerman/xw.mft") else {
        return;
    };
    let reports = scan_mft(&path);
    let r = common::record(&reports, 485);
    let mut names: Vec<&str> = r.names.iter().map(|n| n.name.as_str()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "GRANDC~1",
            "Grand Canyon",
            "Grand Canyon Picture",
            "Grand Canyon Picture with a longer name"
        ]
    );
    let kinds: Vec<&str> = r.findings.iter().map(|f| f.kind.as_str()).collect();
    assert!(kinds.contains(&"assembled_without_list"), "{kinds:?}");
    assert!(!kinds.contains(&"no_name"), "{kinds:?}");
    let finding = r
        .findings
        .iter()
        .find(|f| f.kind.as_str() == "assembled_without_list")
        .unwrap();
    assert!(
        finding.message.contains("record 432"),
        "{}",
        finding.message
    );
}

/// `omerbenamram/third_header_good`: record 0 zeroed on purpose. The other
/// records are scanned (exit 0), record 0 is reported as damaged, a warning
/// says where the record size came from.
#[test]
fn a_bare_mft_with_record_0_zeroed_is_scanned() {
    let Some(path) = windows("omerbenamram/third_header_good") else {
        return;
    };
    let out = common::run(&["scan", "--format", "jsonl", "--mft", path.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("record 0 is damaged"));
    let records: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records[0]["record"], 0);
    assert_eq!(records[0]["findings"][0]["kind"], "bad_signature");
    assert!(
        records
            .iter()
            .any(|r| r["record"] == 1 && r["names"][0]["name"] == "$MFTMirr")
    );
}

/// A bare $MFT: `info --mft` says what the records can tell and nothing made
/// up; `stat --mft` finds records by number and path; options that need the
/// volume are refused in one line.
#[test]
fn bare_mft_commands() {
    let Some(path) = windows("ericzimmerman/xw.mft") else {
        return;
    };
    let path = path.to_str().unwrap();
    let info = common::stdout(&["info", "--mft", path]);
    common::assert_holds_all(
        &info,
        &[
            "a bare $MFT file",
            "records:             628",
            "records in use:",
            "label:               NTFS Volume",
            "$UpCase (record 10): in use",
        ],
    );
    assert!(
        !info.contains("bytes per cluster") && !info.contains("serial number:"),
        "{info}"
    );
    let json: serde_json::Value = serde_json::from_str(&common::stdout(&[
        "info", "--format", "json", "--mft", path,
    ]))
    .unwrap();
    assert_eq!(json["bare_mft"], true);
    let by_number = common::stdout(&["stat", "--mft", path, "485"]);
    assert!(
        by_number.contains("path: /Pictures/0001/Grand Canyon [win32]"),
        "{by_number}"
    );
    let by_path = common::stdout(&["stat", "--mft", path, "/pictures/0001/grand canyon"]);
    assert!(by_path.starts_with("MFT record 485 "), "{by_path}");
    for option in ["--check-index", "--index-slack"] {
        let out = common::run(&["scan", option, "--mft", path]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(option) && err.lines().count() == 1, "{err}");
    }
}

/// `omerbenamram/entry_102130_fixup_issue`, the "Application Data" junction
/// of a profile: its PrintNameOffset points 2 bytes into the print name, so the
/// decoded print name starts with `:\` and ends with a NUL. The names are kept
/// as decoded, and a finding says what is odd.
#[test]
fn an_odd_print_name_is_a_finding() {
    let Some(path) = windows("omerbenamram/entry_102130_fixup_issue") else {
        return;
    };
    let reports = scan_mft(&path);
    let r = &reports[0];
    let rp = r.reparse.as_ref().expect("a reparse point");
    assert_eq!(
        rp.substitute_name(),
        Some(r"\??\C:\Users\Administrator\AppData\Local")
    );
    assert_eq!(
        rp.print_name(),
        Some(":\\Users\\Administrator\\AppData\\Local\0")
    );
    let odd: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.kind.as_str() == "odd_reparse_names")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(odd.len(), 2, "{odd:?}");
    assert!(odd[0].contains("holds a NUL at character 35"));
    assert!(odd[1].contains("is not the substitute name"));
}

/// No link of the fixtures, made by ntfs-3g and by build.py's patches, has odd
/// names: the check does not cry wolf on well-formed links.
#[test]
fn well_formed_links_have_no_odd_names() {
    for image in ["reparse.img", "hostile.img", "basic.img"] {
        let volume = common::open(image, None, false);
        for r in common::reports(&volume, false) {
            assert!(
                r.findings
                    .iter()
                    .all(|f| f.kind.as_str() != "odd_reparse_names"),
                "{image} record {}: {:?}",
                r.record,
                r.findings
            );
        }
    }
}

/// Deleted records of `xw.mft` whose `bytes_used` ends inside a $FILE_NAME:
/// the long names are whole up to the end marker and are recovered, with a
/// finding saying they came from past `bytes_used`; a record whose name
/// overruns its value is reported with its finding, not dropped.
#[test]
fn deleted_names_past_bytes_used_are_recovered() {
    let Some(path) = windows("ericzimmerman/xw.mft") else {
        return;
    };
    let volume = Volume::open_mft_file(Image::open(&path, Default::default()).unwrap()).unwrap();
    let reports = common::reports(&volume, true);
    for (record, long) in [
        (
            179,
            "Reisebericht_Kenya_Safari_Reise_24.02_-_09.03.2005.doc",
        ),
        (180, "Schließfach.jpg"),
        (532, "分歧加大 沪深大盘重演天量震荡 UTF-8.txt"),
        (546, "Pressetext07-01.doc"),
        (554, "NST-EST2006-01.xls"),
        (557, "Angel H. Angelov.doc"),
    ] {
        let r = common::record(&reports, record);
        assert!(!r.in_use);
        assert!(
            r.names.iter().any(|n| n.name == long),
            "{record}: {:?}",
            r.names
        );
        let past = r
            .findings
            .iter()
            .find(|f| f.kind.as_str() == "read_past_used");
        assert!(
            past.is_some_and(|f| f.message.contains(long)),
            "{record}: {:?}",
            r.findings
        );
    }
    let r = common::record(&reports, 560);
    assert!(
        r.findings
            .iter()
            .any(|f| f.kind.as_str() == "bad_file_name"),
        "{:?}",
        r.findings
    );
}

/// libfsntfs' $MFT of a Windows 10 volume (`mklink /H`, `mklink`, `mklink
/// /D`, `mklink /J`, `compact /exe:`): the hard link, both symbolic links and
/// the junction resolve (drive X), the four WOF files are found (all four
/// say XPRESS8K, algorithm 2, whatever their names: `fsntfsinfo` reads the
/// same), the streams on a file and on a directory, and the case-sensitive
/// directory's two names that differ only in case are told apart.
#[test]
fn libfsntfs_windows10_links_streams_and_case() {
    let path = windows("libfsntfs/mft_metadata_file.1").expect("external data");
    let volume = Volume::open_mft_file(Image::open(&path, Default::default()).unwrap()).unwrap();
    let scan = ntfs_links::Scan::run(&volume, ScanOptions::default()).unwrap();
    let analysis =
        ntfs_links::Analysis::run(&volume, ntfs_links::Tree::new(scan), Default::default());
    let reports = ntfs_links::Reports::new(&analysis, ntfs_links::LinkOptions { drive: Some('X') });
    let all: Vec<RecordReport> = reports.iter().collect();
    assert!(all.iter().all(|r| r.findings.is_empty()), "no finding");
    let at = |p: &str| {
        all.iter()
            .find(|r| r.names.iter().any(|n| n.path.as_deref() == Some(p)))
            .unwrap_or_else(|| panic!("{p}"))
    };
    let group: Vec<&str> = at("/file_hardlink1")
        .hard_links()
        .filter_map(|n| n.path.as_deref())
        .collect();
    assert_eq!(group, ["/file_hardlink1", "/testdir1/testfile1"]);
    for (link, kind, target) in [
        ("/file_symboliclink1", "symlink", "/testdir1/testfile1"),
        ("/directory_symboliclink1", "symlink", "/testdir1"),
        ("/directory_junction1", "junction", "/testdir1"),
    ] {
        let r = at(link);
        assert_eq!(r.reparse.as_ref().unwrap().kind.as_str(), kind, "{link}");
        let res = r.names[0].resolution.as_ref().unwrap();
        assert_eq!(
            (res.outcome.as_str(), res.path.as_deref()),
            ("resolved", Some(target)),
            "{link}"
        );
    }
    let wof: Vec<_> = all
        .iter()
        .filter(|r| {
            r.reparse
                .as_ref()
                .is_some_and(|rp| rp.kind.as_str() == "wof")
        })
        .collect();
    assert_eq!(wof.len(), 4);
    for r in wof {
        let rp = serde_json::to_value(r.reparse.as_ref().unwrap()).unwrap();
        assert_eq!(
            (rp["provider_name"].as_str(), rp["algorithm_name"].as_str()),
            (Some("FILE"), Some("XPRESS8K"))
        );
        assert_eq!(r.streams, ["WofCompressedData"]);
    }
    assert_eq!(at("/file_ads1").streams, ["myads"]);
    let dir = at("/directory_ads1");
    assert!(dir.is_dir && dir.streams == ["myads"]);
    let tree = analysis.tree();
    let lower = tree.lookup("/testdir2/testfile1").unwrap().record;
    let upper = tree.lookup("/testdir2/TestFile1").unwrap().record;
    assert_ne!(lower, upper, "exact case first");
}

/// Files holding one record each: every attribute and name decoded as the
/// `mft` crate decodes the same bytes, and `stat --record-file` shows them.
#[test]
fn single_records_decode_as_the_mft_crate_reads_them() {
    for (dir, file) in [
        ("dfir_ntfs", "frs.bin"),
        ("dfir_ntfs", "frs_ea.bin"),
        ("dfir_ntfs", "frs-81151.bin"),
        ("windows", "libfsntfs/mft_entry.1"),
        ("windows", "libfsntfs/mft_entry.2"),
        ("windows", "omerbenamram/entry_data_run_at_offset"),
        ("windows", "omerbenamram/entry_long_name_and_res_ads_002"),
        ("windows", "omerbenamram/entry_multiple_index_root_entries"),
        ("windows", "omerbenamram/entry_super_long_name_001"),
    ] {
        let path = common::external_dir(dir).expect("external data").join(file);
        let bytes = std::fs::read(&path).unwrap();
        let entry = mft::MftEntry::from_buffer(bytes, 0).unwrap();
        let mut theirs: Vec<(u32, String)> = entry
            .iter_attributes()
            .flatten()
            .map(|a| {
                let name = a
                    .data
                    .as_file_name()
                    .map(|f| f.name.to_string())
                    .unwrap_or_default();
                (a.header.type_code as u32, name)
            })
            .collect();
        let volume =
            Volume::open_mft_file(Image::open(&path, Default::default()).unwrap()).unwrap();
        let detail = ntfs_links::detail::RecordDetail::read(&volume, 0).unwrap();
        let mut ours: Vec<(u32, String)> = detail
            .attributes
            .iter()
            .map(|a| {
                let name = match &a.value {
                    Some(ntfs_links::detail::ValueDetail::FileName { name, .. }) => name.clone(),
                    _ => String::new(),
                };
                (a.type_code, name)
            })
            .collect();
        theirs.sort();
        ours.sort();
        assert_eq!(ours, theirs, "{file}");
        assert!(
            detail.fixups.is_none() && detail.damaged.is_none(),
            "{file}"
        );
        let out = common::run(&["stat", "--record-file", path.to_str().unwrap()]);
        assert!(out.status.success(), "{file}");
    }
}

/// `ntfs-ramslack`'s sibling with 2 MiB clusters, which sleuthkit cannot
/// open: the geometry, the volume state, and streams spread over 2 MiB
/// clusters read as dissect.ntfs reads them (MD5s taken with it).
#[test]
fn a_volume_of_2_mib_clusters() {
    let path =
        common::external_volume("windows/ntfs-samples", "ntfs-2m.raw.gz").expect("external data");
    let image = path.to_str().unwrap();
    let info = common::stdout(&["info", image]);
    common::assert_holds_all(
        &info,
        &[
            "bytes per cluster:   2097152",
            "clusters:            510 (490 free, from $Bitmap)",
            "$MFTMirr:            agrees with $MFT",
        ],
    );
    let volume = ntfs_links::open(&path, Default::default()).unwrap();
    for r in common::reports(&volume, false) {
        assert!(
            r.findings.is_empty(),
            "record {}: {:?}",
            r.record,
            r.findings
        );
    }
    for (target, size, md5) in [
        ("10", 131_072, "7ff498a44e45e77374cc7c962b1b92f2"),
        ("4", 2560, "ad617ac3906958de35eacc3d90d31043"),
        ("9:$SDS", 263_068, "b30c53c33d09e9e2e6894518ac1b2bcc"),
        ("0", 2_097_152, "8040fcb1140e352a0df35fa2b68c1efc"),
        ("2", 6_291_456, "ccecd9fa16c7f91b81e74b819c72b8ae"),
        (
            "/System Volume Information/IndexerVolumeGuid",
            76,
            "e858db813556f6a8ba771e692723e3de",
        ),
        (
            "/System Volume Information/WPSettings.dat",
            12,
            "25e7dd4877811aeed08982ef42e67411",
        ),
    ] {
        let out = common::run(&["cat", image, target]);
        assert!(out.status.success(), "{target}");
        assert_eq!(out.stdout.len(), size, "{target}");
        let digest = format!("{:x}", <md5::Md5 as md5::Digest>::digest(&out.stdout));
        assert_eq!(digest, md5, "{target}");
    }
}
