//! Forensic outputs: timestamps and the timestomping check, the body file, CSV,
//! and agreement with sleuthkit's `fls` on every fixture.

mod common;

use common::*;
use ntfs_links::{AnalysisOptions, FindingKind, ScanOptions};
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

#[test]
fn timestamps_with_100ns_precision() {
    let text = stdout(&["scan", "--times", "--format", "jsonl", &img("c512.img")]);
    let line = text
        .lines()
        .find(|l| l.contains("\"/dir1/a.txt\""))
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    for t in [&v["times"], &v["names"][0]["times"]] {
        for key in ["created", "modified", "mft_changed", "accessed"] {
            let s = t[key].as_str().unwrap();
            // 2026-11-25T01:28:07.9807508Z: seven fractional digits, UTC.
            assert_eq!(s.len(), 28, "{s}");
            assert!(s.ends_with('Z') && s.as_bytes()[19] == b'.', "{s}");
        }
    }
    assert!(v["size"].as_u64().is_some());
    // Without --times, no times: the contract's keys only.
    let plain = stdout(&["scan", "--format", "jsonl", &img("c512.img")]);
    assert!(!plain.contains("\"times\""));
}

#[test]
fn standard_information_earlier_than_file_name_is_a_finding() {
    let mut bytes = std::fs::read(fixture("c512.img")).unwrap();
    let truth = manifest("c512");
    let n = truth
        .files
        .iter()
        .find(|f| f.path == "/top.txt")
        .unwrap()
        .record;
    patch_record(&mut bytes, n, |rec| {
        let v = value_offset(rec, attribute_offset(rec, 0x10, 0));
        // Created in 2001, as a timestomping tool would set it.
        rec[v..v + 8].copy_from_slice(&126_227_808_000_000_000u64.to_le_bytes());
    });
    let reports = reports_of_bytes_with(bytes, ScanOptions::default().times(true));
    let r = record(&reports, n);
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    assert_eq!(r.findings[0].kind, FindingKind::SiBeforeFileName);
    assert!(r.findings[0].message.contains("created"));
    assert_eq!(
        r.times.as_ref().unwrap().created,
        "2001-01-01T00:00:00.0000000Z"
    );
    // No other record of the clean image is flagged.
    assert!(
        reports
            .iter()
            .filter(|x| x.record != n)
            .all(|x| x.findings.is_empty())
    );
}

#[test]
fn the_body_file_lists_every_path() {
    for image in ["basic.img", "c512.img", "reparse.img", "random-1.img"] {
        let body = stdout(&["scan", "--format", "bodyfile", "--deleted", &img(image)]);
        let listed: BTreeSet<String> = body
            .lines()
            .map(|l| {
                let fields: Vec<&str> = l.split('|').collect();
                assert_eq!(fields.len(), 11, "{l}");
                assert!(fields[7..].iter().all(|t| t.parse::<u64>().is_ok()), "{l}");
                fields[1].trim_end_matches(" (deleted)").to_owned()
            })
            .collect();
        // As `fls -m` writes them: each path, its `($FILE_NAME)` line, and a
        // line per named stream on the record's first name.
        let volume = open(image, None, false);
        let mut want = BTreeSet::new();
        for r in reports(&volume, true) {
            let first = r
                .hard_links()
                .next()
                .or(r.names.first())
                .and_then(|n| n.path.clone());
            for p in r.names.iter().filter_map(|n| n.path.clone()) {
                want.insert(format!("{p} ($FILE_NAME)"));
                want.insert(p);
            }
            if let Some(first) = first {
                want.extend(r.streams.iter().map(|s| format!("{first}:{s}")));
            }
        }
        assert_eq!(listed, want, "{image}");
    }
    // With the drive letter, paths start with it, as `fls -m C:/` writes them.
    let body = stdout(&[
        "scan",
        "--format",
        "bodyfile",
        "--drive",
        "C:",
        &img("c512.img"),
    ]);
    assert!(body.lines().all(|l| l.starts_with("0|C:/")), "{body}");
}

#[test]
fn csv_parses_back_one_row_per_name() {
    let text = stdout(&["scan", "--format", "csv", "--deleted", &img("basic.img")]);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "record");
    assert_eq!(&headers[9], "path");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let volume = open("basic.img", None, false);
    let names: usize = reports(&volume, true).iter().map(|r| r.names.len()).sum();
    assert_eq!(rows.len(), names);
    // A name with a comma-free but quote-worthy neighbour: every row has every column.
    assert!(rows.iter().all(|r| r.len() == headers.len()));
    let long = rows.iter().find(|r| r[5].starts_with("Long File")).unwrap();
    assert_eq!(&long[9], "/Long File Name.txt");
}

/// Every allocated name `fls -r -p` lists on a fixture is in the scan with the
/// same record number. Known differences, checked against the images:
/// - fls lists named index attributes ($I30 excepted) as `name:stream`;
/// - fls omits 8.3 aliases; ntfs-links lists every $FILE_NAME;
/// - on the fragmented fixture fls names $MFT's record as 16, the extension record
///   that holds its $FILE_NAME (the index entry says 0);
/// - the patched name in basic.img: fls reads the $I30 entry, which still holds
///   the name before the patch (`X`), while the record holds the surrogate;
/// - fls writes a directory's stream as `dir/.:stream`;
/// - fls shows every C0 control character of a name as `^` (lossy: hostile.img's
///   names are compared through the same mapping).
#[test]
fn agrees_with_fls_on_every_fixture() {
    if !have_tool("fls", "-V") {
        return;
    }
    for image in fixture_images() {
        let args: Vec<String> = match image.as_str() {
            "disk-gpt.img" => vec!["-o".into(), "4096".into()],
            "disk-mbr.img" => vec!["-o".into(), "2048".into()],
            _ => vec![],
        };
        let out = Command::new("fls")
            .args(["-r", "-p"])
            .args(&args)
            .arg(fixture(&image))
            .output()
            .unwrap();
        assert!(out.status.success(), "fls on {image}");
        let partition = (image == "disk-gpt.img").then_some(2);
        let volume = open(&image, partition, false);
        let mut ours: BTreeMap<String, BTreeSet<u64>> = BTreeMap::new();
        for r in reports(&volume, false) {
            for n in r.names {
                if let Some(p) = n.path {
                    let p = p.chars().map(|c| if c < ' ' { '^' } else { c }).collect();
                    ours.entry(p).or_default().insert(r.record);
                }
            }
        }
        let mut checked = 0;
        for e in parse_fls(&String::from_utf8_lossy(&out.stdout)) {
            if e.deleted || e.path.starts_with("/$OrphanFiles") {
                continue;
            }
            let (record, path) = (e.record, e.path);
            if image == "fragmented.img" && path == "/$MFT" && record == 16 {
                continue;
            }
            if image == "basic.img" && path.contains("lone-surrogate") {
                continue;
            }
            let found = ours.get(&path).is_some_and(|s| s.contains(&record))
                || path.match_indices(':').any(|(at, _)| {
                    let (base, stream) = (&path[..at], &path[at + 1..]);
                    let base = base.strip_suffix("/.").unwrap_or(base);
                    ours.get(base).is_some_and(|s| s.contains(&record)) && !stream.is_empty()
                });
            assert!(found, "{image}: fls lists {path} (record {record})");
            checked += 1;
        }
        assert!(checked >= 15, "{image}: {checked} names");
    }
}

fn scan_with(image: &str, options: impl Into<Opts>) -> Vec<ntfs_links::RecordReport> {
    let volume = open(image, None, false);
    let Opts(scan, checks) = options.into();
    reports_with(&volume, scan, checks, Default::default())
}

#[test]
fn directory_indexes_agree_with_the_names_on_clean_fixtures() {
    let options = Opts(
        ScanOptions::default(),
        AnalysisOptions::default().check_index(true),
    );
    for image in [
        "c512.img",
        "c64k.img",
        "fragmented.img",
        "manylinks.img",
        "random-1.img",
        "reparse.img",
    ] {
        let reports = scan_with(image, options);
        let index: Vec<_> = reports
            .iter()
            .flat_map(|r| &r.findings)
            .filter(|f| {
                matches!(
                    f.kind,
                    FindingKind::MissingFromIndex | FindingKind::StaleIndexEntry
                )
            })
            .collect();
        assert!(index.is_empty(), "{image}: {index:?}");
    }
    // basic.img's patched name: the record holds the surrogate, $I30 the old name.
    let reports = scan_with("basic.img", options);
    let kinds: Vec<(u64, FindingKind)> = reports
        .iter()
        .flat_map(|r| r.findings.iter().map(move |f| (r.record, f.kind)))
        .filter(|(_, k)| {
            matches!(
                k,
                FindingKind::MissingFromIndex | FindingKind::StaleIndexEntry
            )
        })
        .collect();
    let patched = manifest("basic").patched[0].record;
    assert_eq!(
        kinds,
        [
            (5, FindingKind::StaleIndexEntry),
            (patched, FindingKind::MissingFromIndex)
        ]
    );
}

#[test]
fn an_index_entry_pointing_elsewhere() {
    let mut bytes = std::fs::read(fixture("c512.img")).unwrap();
    let truth = manifest("c512");
    let dir = truth
        .files
        .iter()
        .find(|f| f.path == "/dir1")
        .unwrap()
        .record;
    let file = truth
        .files
        .iter()
        .find(|f| f.path == "/dir1/a.txt")
        .unwrap()
        .record;
    patch_record(&mut bytes, dir, |rec| {
        let name: Vec<u8> = "a.txt".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let at = rec
            .windows(name.len())
            .position(|w| w == name.as_slice())
            .unwrap();
        let entry = at - 82; // reference (8), lengths and flags (8), $FILE_NAME key: name at 66
        rec[entry..entry + 8].copy_from_slice(&(9999u64 | 1 << 48).to_le_bytes());
    });
    let reports = reports_of_bytes_with(
        bytes,
        Opts(
            ScanOptions::default(),
            AnalysisOptions::default().check_index(true),
        ),
    );
    let d = record(&reports, dir);
    assert_eq!(d.findings.len(), 1, "{:?}", d.findings);
    assert_eq!(d.findings[0].kind, FindingKind::StaleIndexEntry);
    assert!(
        d.findings[0]
            .message
            .contains("record 9999-1, which is not in use"),
        "{}",
        d.findings[0].message
    );
    let f = record(&reports, file);
    let missing: Vec<_> = f
        .findings
        .iter()
        .filter(|x| x.kind == FindingKind::MissingFromIndex)
        .collect();
    assert_eq!(missing.len(), 1, "{:?}", f.findings);
    assert!(missing[0].message.contains("\"a.txt\""));
}

#[test]
fn names_recovered_from_index_slack() {
    let truth = manifest("fragmented");
    let reports = scan_with(
        "fragmented.img",
        Opts(
            ScanOptions::default(),
            AnalysisOptions::default().index_slack(true),
        ),
    );
    let fill = truth
        .files
        .iter()
        .find(|f| f.path == "/fill")
        .unwrap()
        .record;
    let slack = &record(&reports, fill).index_slack;
    assert!(slack.len() > 10, "{} names recovered", slack.len());
    let deleted: BTreeSet<(u64, &str)> = truth
        .deleted
        .iter()
        .map(|d| (d.record, d.name.as_str()))
        .collect();
    let live: BTreeSet<&str> = truth.files.iter().map(|f| f.path.as_str()).collect();
    let deleted_names: BTreeSet<&str> = truth.deleted.iter().map(|d| d.name.as_str()).collect();
    let mut carved = 0;
    for e in slack {
        match e.record {
            Some(record) => assert!(
                deleted.contains(&(record, e.name.as_str())),
                "{e:?} was a name of this directory"
            ),
            // A key carved without its entry header: no reference left.
            None => {
                carved += 1;
                assert!(
                    deleted_names.contains(e.name.as_str()),
                    "{e:?} was a name of this directory"
                );
            }
        }
        assert!(
            !live.contains(format!("/fill/{}", e.name).as_str()),
            "{e:?} is no longer in the index"
        );
    }
    assert!(
        carved > 10,
        "{carved} keys carved without their entry header"
    );
    // Without the option, nothing is read from slack.
    let plain = scan_with("fragmented.img", ScanOptions::default());
    assert!(record(&plain, fill).index_slack.is_empty());
}

#[test]
fn mactime_reads_the_body_file() {
    if !have_tool("mactime", "-V") {
        return;
    }
    let body = stdout(&[
        "scan",
        "--format",
        "bodyfile",
        "--deleted",
        &img("basic.img"),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("body");
    std::fs::write(&file, &body).unwrap();
    let out = Command::new("mactime")
        .args(["-b", file.to_str().unwrap(), "-z", "UTC"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let timeline = String::from_utf8_lossy(&out.stdout);
    for path in [
        "/dir1/a.txt",
        "/dir2/sub/c.txt",
        "/doomed/child.txt (deleted)",
        "/Long File Name.txt",
    ] {
        assert!(timeline.contains(path), "{path} in the timeline");
    }
}

/// Text output shows what `--times` and `--index-slack` add (one line per
/// record's times, per name's times, per name found in index slack), never
/// ignoring them silently; without them it is as before.
#[test]
fn text_output_shows_times_and_index_slack() {
    let image = common::img("fragmented.img");
    let plain = common::stdout(&["scan", &image]);
    assert!(!plain.contains("[times]") && !plain.contains("[index slack]"));
    let text = common::stdout(&["scan", "--times", "--index-slack", &image]);
    let json = common::stdout(&[
        "scan",
        "--format",
        "jsonl",
        "--times",
        "--index-slack",
        &image,
    ]);
    let (mut times, mut name_times, mut slack) = (0, 0, 0);
    for line in json.lines() {
        let r: serde_json::Value = serde_json::from_str(line).unwrap();
        times += usize::from(r.get("times").is_some_and(|t| !t.is_null()));
        name_times += r["names"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n.get("times").is_some_and(|t| !t.is_null()))
            .count();
        slack += r
            .get("index_slack")
            .and_then(|s| s.as_array())
            .map_or(0, Vec::len);
    }
    assert!(times > 0 && slack > 0);
    assert_eq!(
        text.lines()
            .filter(|l| l.contains(" [times] created "))
            .count(),
        times
    );
    assert_eq!(
        text.lines()
            .filter(|l| l.contains(" [name times] created "))
            .count(),
        name_times
    );
    assert_eq!(
        text.lines()
            .filter(|l| l.contains(" [index slack] /fill/"))
            .count(),
        slack
    );
    // The rest is the plain output, line for line.
    let rest: Vec<&str> = text
        .lines()
        .filter(|l| {
            !l.contains(" [times] ")
                && !l.contains(" [name times] ")
                && !l.contains(" [index slack] ")
        })
        .collect();
    assert_eq!(rest, plain.lines().collect::<Vec<_>>());
}

/// A shell link's recorded target times: a body-file line of their own,
/// marked `(shortcut target)`, and CSV columns; `mactime` reads the lines.
#[test]
fn shortcut_target_times_in_the_body_file_and_csv() {
    let image = img("shortcuts.img");
    let body = stdout(&["scan", "--format", "bodyfile", &image]);
    let lines: Vec<&str> = body
        .lines()
        .filter(|l| l.contains("(shortcut target)"))
        .collect();
    // One per shell link the manifest lists.
    assert_eq!(lines.len(), 10, "{body}");
    let report = lines
        .iter()
        .find(|l| l.contains("/report.docx.lnk -> "))
        .unwrap();
    let fields: Vec<&str> = report.split('|').collect();
    assert_eq!(fields.len(), 11);
    assert_eq!(
        fields[1],
        r"/Users/alice/Desktop/report.docx.lnk -> C:\Users\alice\Documents\report.docx (shortcut target)"
    );
    // build.py writes 2019-04-17 18:40:00 UTC into every link; size 9.
    assert_eq!(
        &fields[6..],
        ["9", "1555526400", "1555526400", "0", "1555526400"]
    );
    if common::have_tool("mactime", "-V") {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("body");
        std::fs::write(&path, &body).unwrap();
        let out = std::process::Command::new("mactime")
            .args(["-b", path.to_str().unwrap(), "-d", "-z", "UTC"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success());
        assert!(
            text.lines()
                .any(|l| l.starts_with("Wed Apr 17 2019 18:40:00")
                    && l.contains("report.docx (shortcut target)")),
            "{text}"
        );
    }
    let text = stdout(&["scan", "--format", "csv", &image]);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let row = rows
        .iter()
        .find(|r| &r[col("path")] == "/Users/alice/Desktop/report.docx.lnk")
        .unwrap();
    assert_eq!(
        &row[col("shortcut_target")],
        r"C:\Users\alice\Documents\report.docx"
    );
    assert_eq!(&row[col("target_modified")], "2019-04-17T18:40:00.0000000Z");
    assert_eq!(
        &row[col("resolution")],
        "resolved: /Users/alice/Documents/report.docx"
    );
    let cookies = rows
        .iter()
        .find(|r| &r[col("path")] == "/Users/alice/Cookies")
        .unwrap();
    assert!(
        cookies[col("resolution")].starts_with("undetermined: "),
        "{cookies:?}"
    );
    // The columns before keep their places.
    assert_eq!(col("source"), 24);
}
