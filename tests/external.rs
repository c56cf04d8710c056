//! Real data this project did not make: `../shared/external/dfir_ntfs` (see its
//! README for provenance). Each test skips, saying so, when the folder or `fls`
//! is absent (a user's clone); in CI (`NTFS_LINKS_REQUIRE_EXTERNAL=1`) that is
//! a failure.
//!
//! Known differences with sleuthkit, checked against the raw bytes:
//! - `fls` lists named *index* attributes as streams (`$Extend/$Quota:$Q`,
//!   `$Secure:$SDH`, `$Extend/$Reparse:$R`); ntfs-links lists only named $DATA
//!   attributes (alternate data streams) as `streams`. The records hold those
//!   names as $INDEX_ROOT/$INDEX_ALLOCATION attributes, not $DATA.
//! - `fls` also places in-use names whose parent is broken under `$OrphanFiles`;
//!   ntfs-links gives those `path: null` and a finding (deleted names whose
//!   directory is gone go under `/$OrphanFiles` in both).

mod common;

use common::{FlsEntry, parse_fls};

use ntfs_links::{Image, RecordReport, Scan, ScanOptions, Volume};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn external(name: &str) -> Option<PathBuf> {
    Some(common::external_dir("dfir_ntfs")?.join(name))
}

/// A `.gz` volume of `dfir_ntfs`, decompressed once (see
/// [`common::external_volume`]).
fn gunzipped(name: &str) -> Option<PathBuf> {
    common::external_volume("dfir_ntfs", name)
}

fn scan_mft(path: &Path, deleted: bool) -> Vec<RecordReport> {
    let volume = Volume::open_mft_file(Image::open(path, Default::default()).unwrap()).unwrap();
    let options = ScanOptions::default().deleted(deleted);
    common::reports_with(&volume, options, Default::default(), Default::default())
}

fn scan_volume(path: &Path) -> Vec<RecordReport> {
    let volume = ntfs_links::open(path, Default::default()).unwrap();
    common::reports(&volume, false)
}

/// Every allocated name `fls` lists is in the reports with the same record; a
/// `name:stream` entry is a named $DATA stream or (a known difference) an index.
fn agree_with_fls(what: &str, fls: &[FlsEntry], reports: &[RecordReport]) -> usize {
    let mut by_path: BTreeMap<&str, BTreeSet<u64>> = BTreeMap::new();
    for r in reports {
        for n in &r.names {
            if let Some(p) = &n.path {
                by_path.entry(p).or_default().insert(r.record);
            }
        }
    }
    let streams: BTreeMap<u64, &Vec<String>> =
        reports.iter().map(|r| (r.record, &r.streams)).collect();
    let mut checked = 0;
    for e in fls
        .iter()
        .filter(|e| !e.deleted && !e.path.starts_with("/$OrphanFiles"))
    {
        if by_path
            .get(e.path.as_str())
            .is_some_and(|s| s.contains(&e.record))
        {
            checked += 1;
            continue;
        }
        let (base, stream) = e
            .path
            .rsplit_once(':')
            .unwrap_or_else(|| panic!("{what}: {} (record {}) missing", e.path, e.record));
        assert!(
            by_path.get(base).is_some_and(|s| s.contains(&e.record)),
            "{what}: {} (record {}) missing",
            e.path,
            e.record
        );
        let is_stream = streams[&e.record].iter().any(|s| s == stream);
        let is_index = stream.starts_with('$');
        assert!(
            is_stream || is_index,
            "{what}: stream {stream} of record {} missing",
            e.record
        );
        checked += 1;
    }
    checked
}

#[test]
fn bare_mfts_agree_with_sleuthkit_name_by_name() {
    for name in ["4k-large", "orphan", "unicode"] {
        let Some(mft) = external(&format!("{name}.mft")) else {
            return;
        };
        let fls =
            parse_fls(&std::fs::read_to_string(external(&format!("{name}.fls")).unwrap()).unwrap());
        let reports = scan_mft(&mft, false);
        let checked = agree_with_fls(name, &fls, &reports);
        assert!(checked >= 30, "{name}: {checked} names checked");
    }
}

#[test]
fn mft_records_of_4096_bytes() {
    let Some(mft) = external("4k-large.mft") else {
        return;
    };
    let volume = Volume::open_mft_file(Image::open(&mft, Default::default()).unwrap()).unwrap();
    assert_eq!(volume.record_size(), 4096);
    assert_eq!(volume.record_count(), 256);
    let reports = scan_mft(&mft, false);
    assert!(
        reports.iter().all(|r| r.findings.is_empty()),
        "{:?}",
        reports.iter().find(|r| !r.findings.is_empty())
    );
}

#[test]
fn unicode_names_are_exact() {
    let Some(mft) = external("unicode.mft") else {
        return;
    };
    let fls = std::fs::read_to_string(external("unicode.fls").unwrap()).unwrap();
    let reports = scan_mft(&mft, false);
    let ours: BTreeSet<String> = reports
        .iter()
        .flat_map(|r| r.names.iter().filter_map(|n| n.path.clone()))
        .collect();
    let non_ascii: Vec<FlsEntry> = parse_fls(&fls)
        .into_iter()
        .filter(|e| !e.path.is_ascii())
        .collect();
    assert!(!non_ascii.is_empty(), "the file holds Unicode names");
    for e in non_ascii {
        assert!(ours.contains(&e.path), "{} missing", e.path);
    }
}

/// Every record holding a $FILE_NAME, in use or not, with the `mft` crate as the
/// oracle: the same names, parents and namespaces.
#[test]
fn deleted_records_agree_with_the_mft_crate() {
    let dfir = [
        "deleted",
        "orphan",
        "unicode",
        "4k-large",
        "different_la",
        "compressed_sparse",
        "slack",
        "slack-2",
        "slack-3",
    ]
    .map(|n| ("dfir_ntfs", format!("{n}.mft")));
    let windows = [
        ("windows", "ericzimmerman/nist-dfr-16.mft".to_owned()),
        ("windows", "libfsntfs/mft_metadata_file.1".to_owned()),
    ];
    for (dir, file) in dfir.into_iter().chain(windows) {
        let name = file.as_str();
        let path = common::external_dir(dir)
            .expect("external data")
            .join(&file);
        let mut parser = mft::MftParser::from_path(&path).unwrap();
        let mut oracle: BTreeMap<u64, BTreeSet<(String, u64, u16, bool)>> = BTreeMap::new();
        for entry in parser.iter_entries().flatten() {
            if !entry.header.is_valid() || !entry.header.is_base_record() {
                continue;
            }
            for attr in entry.iter_attributes().flatten() {
                if let Some(f) = attr.data.as_file_name() {
                    oracle
                        .entry(entry.header.record_number)
                        .or_default()
                        .insert((
                            f.name.to_string(),
                            f.parent.entry,
                            f.parent.sequence,
                            entry.is_allocated(),
                        ));
                }
            }
        }
        let reports = scan_mft(&path, true);
        let ours: BTreeMap<u64, BTreeSet<(String, u64, u16, bool)>> = reports
            .iter()
            .filter(|r| !r.names.is_empty())
            .map(|r| {
                (
                    r.record,
                    r.names
                        .iter()
                        .map(|n| (n.name.clone(), n.parent, n.parent_sequence, r.in_use))
                        .collect(),
                )
            })
            .collect();
        assert!(
            oracle.len() > 30,
            "{name}: {} records with names",
            oracle.len()
        );
        assert_eq!(ours, oracle, "{name}");
        let deleted = ours
            .values()
            .flatten()
            .filter(|(.., in_use)| !in_use)
            .count();
        if name == "deleted.mft" {
            assert!(deleted >= 5, "deleted.mft holds deleted names: {deleted}");
        }
    }
}

#[test]
fn the_symlink_record_decodes_exactly() {
    let Some(path) = external("rp.bin") else {
        return;
    };
    let bytes = std::fs::read(&path).unwrap();
    // By hand, from the raw bytes: the $REPARSE_POINT value at 0x138 holds tag
    // 0xA000000C, data length 0x34; substitute name at 20, 20 bytes; print name
    // at 0, 20 bytes; flags 1 (relative); both names "target.txt".
    assert_eq!(&bytes[0x138..0x140], &[0x0c, 0, 0, 0xa0, 0x34, 0, 0, 0]);
    assert_eq!(
        &bytes[0x140..0x14c],
        &[0x14, 0, 0x14, 0, 0, 0, 0x14, 0, 1, 0, 0, 0]
    );
    let volume = Volume::open_mft_file(Image::from_bytes(bytes)).unwrap();
    let scan = Scan::run(&volume, ScanOptions::default()).unwrap();
    let rp = scan.record(0).unwrap().reparse_point().unwrap();
    assert_eq!(
        (rp.kind.as_str(), rp.tag, rp.tag_name),
        ("symlink", Some(0xA000_000C), Some("IO_REPARSE_TAG_SYMLINK"))
    );
    assert_eq!(rp.substitute_name(), Some("target.txt"));
    assert_eq!(rp.print_name(), Some("target.txt"));
    assert_eq!((rp.relative(), rp.malformed.as_deref()), (Some(true), None));
    assert_eq!(rp.data_length, 0x34);
}

fn fls_of(image: &Path) -> Option<Vec<FlsEntry>> {
    if !common::have_tool("fls", "-V") {
        return None;
    }
    let out = Command::new("fls")
        .args(["-r", "-p"])
        .arg(image)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "fls -r -p {} failed: {}",
        image.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(parse_fls(&String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn ntfs3_volume_agrees_with_sleuthkit() {
    let Some(image) = gunzipped("ntfs3.raw.gz") else {
        return;
    };
    let reports = scan_volume(&image);
    assert!(reports.iter().all(|r| r.findings.is_empty()));
    let Some(fls) = fls_of(&image) else { return };
    assert!(agree_with_fls("ntfs3.raw", &fls, &reports) >= 20);
}

#[test]
fn a_hundred_names_spread_over_extension_records() {
    let Some(image) = gunzipped("ntfs3_attrlist.raw.gz") else {
        return;
    };
    let reports = scan_volume(&image);
    let r = common::record(&reports, 27);
    assert_eq!(r.names.len(), 100);
    assert_eq!(r.link_count, 100);
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    let volume = ntfs_links::open(&image, Default::default()).unwrap();
    let scan = Scan::run(&volume, ScanOptions::default()).unwrap();
    assert!(scan.record(27).unwrap().has_attribute_list());
    let Some(fls) = fls_of(&image) else { return };
    assert!(agree_with_fls("ntfs3_attrlist.raw", &fls, &reports) >= 100);
    let from_fls: BTreeSet<&str> = fls
        .iter()
        .filter(|e| e.record == 27 && !e.deleted)
        .map(|e| e.path.as_str())
        .collect();
    let ours: BTreeSet<&str> = r.names.iter().filter_map(|n| n.path.as_deref()).collect();
    assert_eq!(ours, from_fls, "the 100 names of record 27");
}

/// The sequence-number rule on real deletions: a deleted tree climbs through its
/// deleted directories; names whose directory record was reused are orphans.
#[test]
fn deleted_paths_follow_the_sequence_rule() {
    let Some(deleted) = external("deleted.mft") else {
        return;
    };
    let reports = scan_mft(&deleted, true);
    let paths: BTreeMap<u64, (String, bool)> = reports
        .iter()
        .filter(|r| !r.in_use)
        .filter_map(|r| {
            r.names
                .first()
                .map(|n| (r.record, (n.path.clone().unwrap(), n.orphan)))
        })
        .collect();
    // Record 47 is /1/2/3/4/file.txt: every directory above it is deleted too,
    // each with the sequence number one above the reference its child holds.
    assert_eq!(paths[&47], ("/1/2/3/4/file.txt".to_owned(), false));
    assert_eq!(paths[&39], ("/1".to_owned(), false));
    let Some(orphan) = external("orphan.mft") else {
        return;
    };
    let reports = scan_mft(&orphan, true);
    let orphans: Vec<&str> = reports
        .iter()
        .filter(|r| !r.in_use)
        .flat_map(|r| &r.names)
        .filter(|n| n.orphan)
        .filter_map(|n| n.path.as_deref())
        .collect();
    // Directory record 39 was reused (sequence 2, in use as /n1): its old
    // children are orphans, as sleuthkit would show them.
    for name in ["2.txt", "3.txt", "4.txt", "5.txt"] {
        assert!(
            orphans.contains(&format!("/$OrphanFiles/{name}").as_str()),
            "{name} in {orphans:?}"
        );
    }
}

/// `ntfs_index.raw`: the deleted entry `BBBBBBBBBBBBB-del.txt` of `/test_dir`
/// lost its entry header (the node's end entry overwrote it); its $FILE_NAME
/// key is whole in the slack, and is carved (sleuthkit lists it too).
#[test]
fn a_key_without_its_entry_header_is_carved_from_index_slack() {
    let Some(path) = gunzipped("ntfs_index.raw.gz") else {
        return;
    };
    let volume = ntfs_links::open(&path, Default::default()).unwrap();
    let reports = common::reports_with(
        &volume,
        ScanOptions::default(),
        ntfs_links::AnalysisOptions::default().index_slack(true),
        Default::default(),
    );
    let dir = reports
        .iter()
        .find(|r| {
            r.names
                .iter()
                .any(|n| n.path.as_deref() == Some("/test_dir"))
        })
        .unwrap();
    let carved = dir
        .index_slack
        .iter()
        .find(|e| e.name == "BBBBBBBBBBBBB-del.txt")
        .unwrap_or_else(|| panic!("{:?}", dir.index_slack));
    assert_eq!((carved.record, carved.sequence), (None, None));
}

/// `slack.mft` record 39 (`/test_folder`) holds, after its end marker, the
/// keys of three index entries its $INDEX_ROOT had before it grew: with
/// `--record-slack` they are reported on the record, with their byte offsets
/// and paths, in every format.
#[test]
fn names_in_record_slack() {
    let Some(path) = external("slack.mft") else {
        return;
    };
    let path = path.to_str().unwrap();
    let want = [
        "/test_folder/New Text Document - Copy (3).txt",
        "/test_folder/New Text Document - Copy.txt",
        "/test_folder/New Text Document.txt",
    ];
    let jsonl = common::stdout(&["scan", "--format", "jsonl", "--record-slack", "--mft", path]);
    let r: serde_json::Value = jsonl
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|r| r["record"] == 39)
        .unwrap();
    let slack = r["record_slack"].as_array().unwrap();
    let paths: Vec<&str> = slack.iter().filter_map(|s| s["path"].as_str()).collect();
    assert_eq!(paths, want);
    assert!(
        slack
            .iter()
            .all(|s| s["offset"].as_u64().unwrap() > 39 * 1024 && s["times"].is_array())
    );
    // The fast jsonl writer and the reports agree.
    let json: Vec<serde_json::Value> = serde_json::from_str(&common::stdout(&[
        "scan",
        "--format",
        "json",
        "--record-slack",
        "--mft",
        path,
    ]))
    .unwrap();
    let lines: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines, json);
    // Without the option, nothing.
    let plain = common::stdout(&["scan", "--format", "jsonl", "--mft", path]);
    assert!(!plain.contains("record_slack"));
    // Body file and CSV: rows of their own, marked.
    let body = common::stdout(&[
        "scan",
        "--format",
        "bodyfile",
        "--record-slack",
        "--mft",
        path,
    ]);
    for p in want {
        assert!(body.contains(&format!("0|{p} (record slack)|39-")), "{p}");
    }
    let csv = common::stdout(&["scan", "--format", "csv", "--record-slack", "--mft", path]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let source = headers.iter().position(|h| h == "source").unwrap();
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[source] == "record_slack" && &r[0] == "39")
        .collect();
    assert_eq!(rows.len(), 3);
    let text = common::stdout(&["scan", "--record-slack", "--mft", path]);
    assert_eq!(
        text.lines()
            .filter(|l| l.starts_with("d 39-1 [record slack]"))
            .count(),
        3
    );
}
