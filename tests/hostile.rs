//! Names hostile to reports (fixtures/hostile.img, built by `fixtures/build.py
//! hostile`): newlines that imitate lines of every output, terminal escapes,
//! bidirectional controls, format separators. Every text output keeps one line
//! per entry with no control or bidi character in it, and gives the exact names
//! back through `text::unescape`; JSON, CSV, TOML and YAML give them back exactly.

mod common;

use common::{img, manifest, run, stdout};
use ntfs_links::text::{is_unsafe, unescape};
use std::collections::BTreeSet;

const IMAGE: &str = "hostile.img";

/// No line of `text` holds a character that could break it or act on a terminal.
fn assert_safe(what: &str, text: &str) {
    for (i, line) in text.lines().enumerate() {
        assert!(
            !line.chars().any(is_unsafe),
            "{what}, line {}: {line:?}",
            i + 1
        );
    }
}

/// Every path of the image, exactly (files, directories, the root).
fn truth() -> BTreeSet<String> {
    let mut paths: BTreeSet<String> = manifest("hostile")
        .files
        .into_iter()
        .map(|f| f.path)
        .collect();
    paths.insert("/".into());
    paths
}

fn jsonl(args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["scan", "--format", "jsonl"];
    all.extend_from_slice(args);
    all.push(&IMAGE_PATH);
    stdout(&all)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

static IMAGE_PATH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| img(IMAGE));

/// The fixture holds what it was built to hold: the names the test is about.
#[test]
fn the_fixture_holds_the_hostile_names() {
    let paths = truth();
    for name in [
        "/evil\nr 999-1 [posix] FAKE.txt",
        "/esc\x1b[2Jclear.txt",
        "/rtl\u{202e}txt.exe",
        "/c1-nel\u{85}line.txt",
        "/ls\u{2028}line.txt",
        "/a|b|c.txt",
    ] {
        assert!(paths.contains(name), "{name:?}");
    }
    assert!(manifest("hostile").groups.iter().any(|g| g.len() == 4));
}

#[test]
fn scan_text_is_one_line_per_entry_and_unescapes_to_the_exact_paths() {
    let text = stdout(&["scan", "--deleted", &IMAGE_PATH]);
    assert_safe("scan text", &text);
    // As many lines as names, streams and findings in the jsonl.
    let records = jsonl(&["--deleted"]);
    let expected: usize = records
        .iter()
        .map(|r| {
            let names = r["names"].as_array().unwrap().len();
            let streams = if names > 0 {
                r["streams"].as_array().unwrap().len()
            } else {
                0
            };
            names + streams + r["findings"].as_array().unwrap().len()
        })
        .sum();
    assert_eq!(text.lines().count(), expected);
    let truth = truth();
    let mut seen = 0;
    for line in text.lines().filter(|l| l.contains(" [posix] /")) {
        let shown = line.split_once(" [posix] ").unwrap().1;
        let path = unescape(shown).expect("a valid escape");
        if !line.starts_with("r *") && !line.starts_with("d *") {
            assert!(truth.contains(&path), "{path:?} from {line:?}");
            seen += 1;
        }
    }
    assert!(seen >= truth.len() - 20, "{seen} of {}", truth.len());
    // No forged entry: the lines the names imitate are not lines of their own.
    assert!(!text.lines().any(|l| l.starts_with("r 999-1")));
    assert!(!text.lines().any(|l| l.starts_with("! record 5:")));
}

#[test]
fn body_file_keeps_eleven_fields_per_line() {
    let text = stdout(&["scan", "--format", "bodyfile", "--deleted", &IMAGE_PATH]);
    assert_safe("body file", &text);
    // A line per name, one per name's $FILE_NAME, one per stream.
    let records = jsonl(&["--deleted", "--times"]);
    let lines: usize = records
        .iter()
        .map(|r| {
            let names = r["names"].as_array().unwrap().len();
            let streams = if names > 0 {
                r["streams"].as_array().unwrap().len()
            } else {
                0
            };
            2 * names + streams
        })
        .sum();
    assert_eq!(text.lines().count(), lines);
    let truth = truth();
    for line in text.lines() {
        let fields: Vec<&str> = line.split('|').collect();
        assert_eq!(fields.len(), 11, "{line:?}");
        let name = unescape(fields[1]).unwrap();
        let name = name.strip_suffix(" (deleted)").unwrap_or(&name);
        let name = name.strip_suffix(" ($FILE_NAME)").unwrap_or(name);
        let is_stream = name.starts_with("/streams.txt:") || name.starts_with("/$");
        assert!(
            truth.contains(name) || is_stream || line.contains(" (deleted)"),
            "{name:?}"
        );
    }
    assert!(text.contains(r"/a\u{7c}b\u{7c}c.txt|"));
}

#[test]
fn links_stat_info_and_snapshot_text_are_safe() {
    let links = stdout(&["links", "--drive", "C:", &IMAGE_PATH]);
    assert_safe("links", &links);
    // One heading per link record, each name on a line of its own.
    let records = jsonl(&["--deleted"]);
    let link_records = records
        .iter()
        .filter(|r| {
            let hard = r["names"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|n| n["namespace"] != "dos")
                .count();
            hard > 1 || r.get("reparse").is_some_and(|x| !x.is_null())
        })
        .count();
    assert_eq!(
        links.lines().filter(|l| l.starts_with("record ")).count(),
        link_records
    );
    assert!(links.contains(r"  /links/orig\u{a}record 1 (file, 1 hard link)"));
    assert!(!links.lines().any(|l| l.starts_with("record 1 ")));
    for record in records.iter().map(|r| r["record"].as_u64().unwrap()) {
        let out = stdout(&["stat", &IMAGE_PATH, &record.to_string()]);
        assert_safe(&format!("stat {record}"), &out);
    }
    assert_safe("info", &stdout(&["info", &IMAGE_PATH]));
    let snapshot = stdout(&["snapshot", "--records", &IMAGE_PATH]);
    assert_safe("snapshot", &snapshot);
    // The YAML reads back to the exact names.
    let yaml: serde_norway::Value = serde_norway::from_str(&snapshot).unwrap();
    let group: BTreeSet<String> = yaml["hard_links"][0]["paths"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    let want: BTreeSet<String> = manifest("hostile").groups[0].iter().cloned().collect();
    assert_eq!(group, want);
}

#[test]
fn stat_finds_a_hostile_path_and_errors_stay_one_line() {
    let out = stdout(&["stat", &IMAGE_PATH, "/rtl\u{202e}txt.exe"]);
    assert!(out.contains(r"path: /rtl\u{202e}txt.exe [posix]"), "{out}");
    let out = run(&["stat", &IMAGE_PATH, "/nothing\n\x1b[2Jhere"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err:?}");
    assert_safe("error", &err);
}

#[test]
fn json_and_csv_keep_the_exact_names() {
    let truth = truth();
    let mut from_json = BTreeSet::new();
    for r in jsonl(&[]) {
        for n in r["names"].as_array().unwrap() {
            from_json.insert(n["path"].as_str().unwrap().to_owned());
        }
    }
    assert!(
        truth.is_subset(&from_json),
        "{:?}",
        truth.difference(&from_json)
    );
    let csv = stdout(&["scan", "--format", "csv", &IMAGE_PATH]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let from_csv: BTreeSet<String> = reader.records().map(|r| r.unwrap()[9].to_owned()).collect();
    assert_eq!(from_csv, from_json);
}

/// The expectations file is safe to read, one line per key, and verifies: the
/// names read back exactly, no name forges a table, and verify's outputs are
/// safe too (the JUnit document is valid XML 1.0).
#[test]
fn expectations_round_trip_and_verify_outputs_are_safe() {
    let toml = stdout(&["expect", "--drive", "C:", &IMAGE_PATH]);
    assert_safe("expectations", &toml);
    let e = ntfs_links::verify::Expectations::from_toml(&toml).unwrap();
    let headers = toml.lines().filter(|l| l.starts_with("[[")).count();
    assert_eq!(headers, e.items.len(), "{toml}");
    let group = e
        .items
        .iter()
        .find_map(|(_, x)| match x {
            ntfs_links::verify::Expectation::HardLink(h) => Some(h.paths.clone()),
            _ => None,
        })
        .unwrap();
    let mut want = manifest("hostile").groups[0].clone();
    want.sort();
    assert_eq!(group, want);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hostile.toml");
    // A forged expectation that fails, so that failures are printed too.
    std::fs::write(
        &file,
        format!("{toml}\n[[absent]]\npath = \"/evil\\nr 999-1 [posix] FAKE.txt\"\n"),
    )
    .unwrap();
    let file = file.to_str().unwrap();
    for format in ["text", "github", "junit", "json"] {
        let out = run(&["verify", "--format", format, "--expect", file, &IMAGE_PATH]);
        assert_eq!(out.status.code(), Some(1), "{format}");
        let text = String::from_utf8(out.stdout).unwrap();
        if format == "json" {
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            let failed = &v["checks"].as_array().unwrap().last().unwrap()["failures"][0]["path"];
            assert_eq!(failed, "/evil\nr 999-1 [posix] FAKE.txt");
            continue;
        }
        assert_safe(&format!("verify --format {format}"), &text);
        if format == "junit" {
            // XML 1.0 allows no C0 control but tab, newline and carriage return,
            // even as a character reference.
            assert!(!text.contains("&#"), "{text}");
            let mut reader = quick_xml::Reader::from_str(&text);
            loop {
                match reader.read_event().expect("valid XML") {
                    quick_xml::events::Event::Eof => break,
                    _ => continue,
                }
            }
        }
        if format == "text" {
            assert!(text.contains(r"FAIL line"), "{text}");
            assert!(
                text.contains(r"/evil\u{a}r 999-1 [posix] FAKE.txt"),
                "{text}"
            );
        }
    }
}
