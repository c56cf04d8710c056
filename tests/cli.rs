//! The binary, run as users run it: formats, exit codes, input selection.

mod common;

use common::{fixture, img, run, stdout};

/// Exit 2 with exactly one line on stderr.
fn fails(args: &[&str], needle: &str) {
    let out = run(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains(needle), "{err:?} should say {needle:?}");
    assert!(out.stdout.is_empty());
}

#[test]
fn info_lists_the_volume_facts() {
    let text = stdout(&["info", &img("basic.img")]);
    common::assert_holds_all(
        &text,
        &[
            "bytes per cluster:   4096",
            "MFT record size:     1024",
            "label:               basic",
            "NTFS version:        3.1",
            "$MFT extents:        1",
        ],
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&["info", "--format", "json", &img("c64k.img")])).unwrap();
    assert_eq!(json["cluster_size"], 65536);
    assert!(json["serial_number"].as_str().unwrap().len() == 16);
}

#[test]
fn info_lists_partitions_of_a_disk() {
    let text = stdout(&["info", "--partition", "2", &img("disk-gpt.img")]);
    assert!(
        text.contains("partition 1:") && text.contains("partition 3:"),
        "{text}"
    );
    assert!(text.contains("\"second ntfs\", NTFS found"), "{text}");
    assert!(
        text.contains("(Microsoft basic data) at byte 2097152 (sector 4096)"),
        "{text}"
    );
    assert!(text.contains("(Linux filesystem)"), "{text}");
    assert!(text.contains("label:               part-a"));
}

#[test]
fn jsonl_is_the_contract() {
    let text = stdout(&["scan", "--format", "jsonl", &img("basic.img")]);
    let keys = [
        "\"record\":",
        "\"sequence\":",
        "\"in_use\":",
        "\"is_dir\":",
        "\"link_count\":",
        "\"names\":",
        "\"streams\":",
        "\"reparse\":",
        "\"findings\":",
    ];
    let mut lines = 0;
    for line in text.lines() {
        let v: serde_json::Value =
            serde_json::from_str(line).expect("each line is one JSON object");
        let positions: Vec<usize> = keys.iter().map(|k| line.find(k).expect(k)).collect();
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "key order in {line}"
        );
        for n in v["names"].as_array().unwrap() {
            for k in ["name", "parent", "parent_sequence", "namespace", "path"] {
                assert!(n.get(k).is_some(), "{k} in {line}");
            }
        }
        lines += 1;
    }
    let a: serde_json::Value = serde_json::from_str(
        text.lines()
            .find(|l| l.contains("\"/dir1/a.txt\""))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(a["link_count"], 3);
    assert_eq!(a["names"].as_array().unwrap().len(), 3);
    assert_eq!(a["reparse"], serde_json::Value::Null);
    let root: serde_json::Value = serde_json::from_str(
        text.lines()
            .find(|l| l.starts_with("{\"record\":5,"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(root["names"][0]["path"], "/");
    // json: the same objects in one array.
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&["scan", "--format", "json", &img("basic.img")])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), lines);
}

#[test]
fn text_scan_and_links_summary() {
    let text = stdout(&["scan", &img("c512.img")]);
    assert!(text.contains("[posix] /dir2/sub/c.txt"));
    assert!(text.contains("[dos] /LONGFI~1.TXT"));
    assert!(text.contains("[stream] /streams.txt:Zone.Identifier"));
    let links = stdout(&["links", &img("c512.img")]);
    assert!(
        links.contains("(file, 3 hard links)\n  /dir1/a.txt\n  /dir2/b.txt\n  /dir2/sub/c.txt\n")
            && links.contains("what each kind of link above can do:\n  hard link: files only;"),
        "{links}"
    );
    assert!(
        links.contains("\n1 record with more than one hard link, 0 reparse points\n"),
        "{links}"
    );
    // Each kind's capabilities once, not once per record.
    assert_eq!(links.matches("hard link: files only").count(), 1, "{links}");
}

#[test]
fn deleted_records_on_request() {
    let plain = stdout(&["scan", "--format", "jsonl", &img("c512.img")]);
    assert!(!plain.contains("gone.txt"));
    let all = stdout(&["scan", "--format", "jsonl", "--deleted", &img("c512.img")]);
    let gone = all
        .lines()
        .find(|l| l.contains("gone.txt"))
        .expect("deleted name");
    assert!(gone.contains("\"in_use\":false"));
}

#[test]
fn stat_by_number_and_by_path() {
    let by_path = stdout(&["stat", &img("basic.img"), "/dir1/a.txt"]);
    assert!(
        by_path.contains("$FILE_NAME (0x30)") && by_path.contains("path: /dir2/sub/c.txt [posix]"),
        "{by_path}"
    );
    assert!(by_path.contains("link count: 3"));
    let record = by_path
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .nth(2)
        .unwrap()
        .to_owned();
    assert_eq!(stdout(&["stat", &img("basic.img"), &record]), by_path);
    // A record whose names spread over extension records shows them too.
    let big = stdout(&["stat", &img("basic.img"), "/hundred/original.bin"]);
    assert!(big.contains("$ATTRIBUTE_LIST") && big.contains("extension record"));
    fails(
        &["stat", &img("basic.img"), "/no/such/file"],
        "no record has the path",
    );
}

#[test]
fn unusable_input_is_one_line_and_exit_2() {
    fails(&["scan", "/nonexistent/image.img"], "cannot open");
    fails(
        &["scan", &fixture("build.py").to_string_lossy()],
        "not an NTFS volume",
    );
    let dir = tempfile::tempdir().unwrap();
    let short = dir.path().join("short.img");
    std::fs::write(&short, &std::fs::read(fixture("basic.img")).unwrap()[..200]).unwrap();
    fails(&["scan", short.to_str().unwrap()], "boot sector");
    let cut = dir.path().join("cut.img");
    std::fs::write(&cut, &std::fs::read(fixture("basic.img")).unwrap()[..8192]).unwrap();
    fails(&["info", cut.to_str().unwrap()], "$MFT record 0");
    fails(&["links", &img("disk-gpt.img")], "--partition");
    fails(
        &["links", "--partition", "9", &img("disk-gpt.img")],
        "partition 9 does not exist",
    );
}

#[test]
fn offset_partition_and_positioned_reads_agree() {
    let auto = stdout(&["scan", "--format", "jsonl", &img("disk-mbr.img")]);
    assert_eq!(
        stdout(&[
            "scan",
            "--format",
            "jsonl",
            "--offset",
            "1048576",
            &img("disk-mbr.img")
        ]),
        auto
    );
    assert_eq!(
        stdout(&[
            "scan",
            "--format",
            "jsonl",
            "--no-mmap",
            &img("disk-mbr.img")
        ]),
        auto
    );
    assert_eq!(
        stdout(&[
            "scan",
            "--format",
            "jsonl",
            "--partition",
            "1",
            &img("disk-mbr.img")
        ]),
        auto
    );
    for image in ["basic.img", "fragmented.img"] {
        let a = stdout(&["scan", "--format", "jsonl", "--deleted", &img(image)]);
        assert_eq!(
            stdout(&[
                "scan",
                "--format",
                "jsonl",
                "--deleted",
                "--no-mmap",
                &img(image)
            ]),
            a
        );
    }
}

#[test]
fn bare_mft_file_gives_the_same_names() {
    let bytes = std::fs::read(fixture("c512.img")).unwrap();
    let (_, mft) = common::layout(&bytes);
    let volume = common::open("c512.img", None, false);
    let size = volume.mft().data_size as usize;
    let dir = tempfile::tempdir().unwrap();
    let bare = dir.path().join("MFT");
    std::fs::write(&bare, &bytes[mft as usize..mft as usize + size]).unwrap();
    let names = |text: &str| -> Vec<String> {
        text.lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .map(|v| format!("{} {}", v["record"], v["names"]))
            .collect()
    };
    let from_mft = stdout(&["scan", "--format", "jsonl", "--mft", bare.to_str().unwrap()]);
    let from_image = stdout(&["scan", "--format", "jsonl", &img("c512.img")]);
    assert_eq!(names(&from_mft), names(&from_image));
}

#[test]
fn images_are_never_written() {
    let images = common::fixture_images();
    let before: Vec<Vec<u8>> = images
        .iter()
        .map(|i| std::fs::read(fixture(i)).unwrap())
        .collect();
    for i in &images {
        let path = img(i);
        let part: &[&str] = if i == "disk-gpt.img" {
            &["--partition", "2"]
        } else {
            &[]
        };
        let dir = tempfile::tempdir().unwrap();
        let toml = dir.path().join("e.toml");
        std::fs::write(&toml, "[[no_findings]]\n").unwrap();
        for cmd in [
            &["info"][..],
            &["scan", "--deleted"],
            &["links"],
            &["expect"],
            &["snapshot"],
            &["verify", "--expect", toml.to_str().unwrap()],
        ] {
            let mut args: Vec<&str> = cmd.to_vec();
            args.extend_from_slice(part);
            args.push(&path);
            let out = run(&args);
            assert!(out.status.code().is_some_and(|c| c <= 1), "{args:?}");
        }
        let mut stat = vec!["stat", path.as_str(), "5"];
        stat.extend_from_slice(part);
        assert!(run(&stat).status.success());
    }
    let after: Vec<Vec<u8>> = images
        .iter()
        .map(|i| std::fs::read(fixture(i)).unwrap())
        .collect();
    assert!(before == after, "a fixture changed");
}

#[test]
fn links_with_a_drive_letter_show_where_links_lead() {
    let text = stdout(&["links", "--drive", "c:", &img("reparse.img")]);
    assert!(
        text.contains("  /junction -> resolved: /target (record 64, directory)\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "  /dirB/sub/rel-too -> dangling: /dirB/target does not exist in this image\n"
        )
    );
    assert!(text.contains("junction: folders only; other volume: yes, same machine; UNC: no"));
    let undetermined = stdout(&["links", &img("reparse.img")]);
    assert!(undetermined.contains("/junction -> undetermined: absolute target on C: cannot be judged without the volume's drive letter (--drive)"));
    let jsonl = stdout(&[
        "scan",
        "--format",
        "jsonl",
        "--drive",
        "C",
        &img("reparse.img"),
    ]);
    let line = jsonl.lines().find(|l| l.contains("\"/sym-unc\"")).unwrap();
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(v["reparse"]["kind"], "symlink");
    assert_eq!(v["reparse"]["tag_name"], "IO_REPARSE_TAG_SYMLINK");
    assert_eq!(v["reparse"]["relative"], false);
    assert_eq!(v["names"][0]["resolution"]["outcome"], "remote");
    let out = run(&["links", "--drive", "CC", &img("reparse.img")]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a bad drive letter is a usage error"
    );
}

#[test]
fn stat_of_a_single_record_file() {
    let Some(dir) = common::external_dir("dfir_ntfs") else {
        return;
    };
    let rp = dir.join("rp.bin");
    let text = stdout(&["stat", "--record-file", rp.to_str().unwrap()]);
    assert!(text.contains("record number in the header: 106"), "{text}");
    common::assert_holds_all(
        &text,
        &[
            "    kind: symlink",
            "    substitute name: target.txt",
            "    print name: target.txt",
            "    relative: true",
        ],
    );
}

/// The README's sample outputs are what the commands print.
#[test]
fn the_readme_samples_are_true() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let blocks: Vec<&str> = readme
        .split("```text\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .collect();
    assert_eq!(stdout(&["links", &img("c512.img")]), blocks[0]);
    let reparse = stdout(&["links", "--drive", "C:", &img("reparse.img")]);
    assert!(reparse.contains(blocks[1]), "{}", blocks[1]);
}

#[test]
fn stat_as_json_holds_the_record_and_its_report() {
    let text = stdout(&["stat", "--format", "json", &img("c512.img"), "/dir1/a.txt"]);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let detail = &v["detail"];
    assert_eq!(detail["record"], 66);
    assert_eq!(detail["header"]["link_count"], 3);
    let names: Vec<&str> = detail["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["value"]["type"] == "file_name")
        .map(|a| a["value"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a.txt", "b.txt", "c.txt"]);
    let paths: Vec<&str> = v["report"]["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["/dir1/a.txt", "/dir2/b.txt", "/dir2/sub/c.txt"]);
}

/// A closed output pipe ends every command, in every format, with exit 0 and
/// nothing on stderr: the reader here takes the first bytes of an output larger
/// than a pipe's buffer, and closes its end.
#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let image = img("fragmented.img");
    let expectations = std::env::temp_dir().join("ntfs-links-closed-pipe.toml");
    std::fs::write(&expectations, "[[no_dangling]]\n").unwrap();
    let expect = expectations.to_str().unwrap();
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for format in ["text", "json", "jsonl", "csv", "bodyfile"] {
        runs.push(vec![
            "scan",
            "--format",
            format,
            "--deleted",
            "--times",
            &image,
        ]);
    }
    runs.push(vec!["links", &image]);
    runs.push(vec!["snapshot", "--records", &image]);
    runs.push(vec!["expect", &image]);
    for format in ["text", "json"] {
        runs.push(vec!["info", "--format", format, &image]);
        runs.push(vec!["stat", "--format", format, &image, "0"]);
    }
    for format in ["text", "json", "junit"] {
        runs.push(vec![
            "verify", "--format", format, "--expect", expect, &image,
        ]);
    }
    for args in runs {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ntfs-links"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 16];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(
            out.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn an_error_says_its_cause_once() {
    let out = run(&["scan", "/nonexistent/image.img"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert_eq!(
        stderr.matches("No such file or directory").count(),
        1,
        "{stderr}"
    );
}

#[test]
fn partition_and_offset_conflict() {
    let out = run(&[
        "scan",
        &img("disk-gpt.img"),
        "--partition",
        "2",
        "--offset",
        "0",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be used with"));
}

/// A bare $MFT cannot read a non-resident attribute list: manylinks.img's file
/// of 1,000 names is assembled from its base record and the extension records
/// that name it, with the same names as the volume gives, and a finding.
#[test]
fn bare_mft_assembles_records_whose_list_it_cannot_read() {
    let bytes = std::fs::read(fixture("manylinks.img")).unwrap();
    let volume = common::open("manylinks.img", None, false);
    let extents = &volume.mft().extents;
    let mut mft = Vec::new();
    for e in extents {
        mft.extend_from_slice(&bytes[e.image_offset as usize..(e.image_offset + e.len) as usize]);
    }
    mft.truncate(volume.mft().data_size as usize);
    let dir = tempfile::tempdir().unwrap();
    let bare = dir.path().join("MFT");
    std::fs::write(&bare, &mft).unwrap();
    let parse = |text: &str| -> Vec<serde_json::Value> {
        text.lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let from_mft = parse(&stdout(&[
        "scan",
        "--format",
        "jsonl",
        "--mft",
        bare.to_str().unwrap(),
    ]));
    let from_image = parse(&stdout(&[
        "scan",
        "--format",
        "jsonl",
        &img("manylinks.img"),
    ]));
    let big = |records: &[serde_json::Value]| -> serde_json::Value {
        records
            .iter()
            .find(|r| r["names"].as_array().unwrap().len() >= 1000)
            .cloned()
            .unwrap_or_else(|| panic!("no record with 1,000 names"))
    };
    let (bare_rec, image_rec) = (big(&from_mft), big(&from_image));
    let names = |r: &serde_json::Value| -> std::collections::BTreeSet<String> {
        r["names"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["path"].to_string())
            .collect()
    };
    assert_eq!(names(&bare_rec), names(&image_rec));
    let kinds: Vec<&str> = bare_rec["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"assembled_without_list"), "{kinds:?}");
    assert!(
        !kinds.contains(&"no_name") && !kinds.contains(&"unlisted_extension"),
        "{kinds:?}"
    );
}

/// `info` on a disk with several NTFS partitions lists them (exit 0) instead
/// of stopping; the serial number is also shown as Windows shows it.
#[test]
fn info_lists_the_partitions_and_the_windows_serial() {
    let text = stdout(&["info", &img("disk-gpt.img")]);
    assert!(text.contains("partition 2:         GPT type"), "{text}");
    assert!(text.contains("\"second ntfs\", NTFS found"), "{text}");
    assert!(
        text.contains("(Microsoft basic data) at byte 2097152 (sector 4096)"),
        "{text}"
    );
    assert!(text.contains("(Linux filesystem)"), "{text}");
    assert!(text.contains("choose one with --partition N"), "{text}");
    assert!(!text.contains("Gpt") && !text.contains("Mbr"), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&["info", "--format", "json", &img("disk-gpt.img")])).unwrap();
    assert_eq!(json["partitions"].as_array().unwrap().len(), 3);
    let one = stdout(&["info", "--partition", "2", &img("disk-gpt.img")]);
    assert!(one.contains("volume offset:       2097152"), "{one}");
    let c512 = stdout(&["info", &img("c512.img")]);
    assert!(
        c512.contains("serial number:       34F5EE1202469FF7"),
        "{c512}"
    );
    assert!(c512.contains("volume serial:       0246-9FF7"), "{c512}");
}

/// `--offset` takes bytes in decimal or hex, or sectors as `mmls` prints them;
/// `stat` takes record numbers in hex.
#[test]
fn offsets_in_sectors_and_hex_numbers() {
    for offset in ["2097152", "0x200000", "4096s"] {
        let text = stdout(&["info", "--offset", offset, &img("disk-gpt.img")]);
        assert!(
            text.contains("volume offset:       2097152"),
            "{offset}: {text}"
        );
    }
    let out = run(&["info", "--offset", "12x", &img("c512.img")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&["stat", &img("c512.img"), "0x40"]).starts_with("MFT record 64 "));
}

/// `links --kind`, `--dangling`, `--path` and `--format jsonl`; `scan --path`.
#[test]
fn filters_on_links_and_scan() {
    let reparse = img("reparse.img");
    let text = stdout(&[
        "links",
        "--drive",
        "C:",
        "--kind",
        "junction",
        "--dangling",
        &reparse,
    ]);
    let records: Vec<&str> = text.lines().filter(|l| l.starts_with("record ")).collect();
    assert_eq!(records.len(), 1, "{text}");
    assert!(text.contains("/junction-dangling -> dangling"), "{text}");
    let jsonl = stdout(&[
        "links",
        "--kind",
        "symlink,hardlink",
        "--format",
        "jsonl",
        &reparse,
    ]);
    for line in jsonl.lines() {
        let r: serde_json::Value = serde_json::from_str(line).unwrap();
        let symlink = r["reparse"]["kind"] == "symlink";
        let multi = r["names"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["namespace"] != "dos")
            .count()
            > 1;
        assert!(symlink || multi, "{line}");
    }
    assert!(jsonl.lines().count() >= 10);
    let under = stdout(&["links", "--path", "/DIRA", &reparse]);
    assert!(under.starts_with("record 76 "), "{under}");
    assert_eq!(
        under.lines().filter(|l| l.starts_with("record ")).count(),
        1
    );
    assert_eq!(
        run(&["links", "--kind", "bogus", &reparse]).status.code(),
        Some(2)
    );
    let scan = stdout(&["scan", "--path", "/dir2", &img("c512.img")]);
    assert!(
        scan.contains("/dir2/sub/c.txt") && !scan.contains("/top.txt"),
        "{scan}"
    );
    assert_eq!(
        run(&["scan", "--path", "/nope", &img("c512.img")])
            .status
            .code(),
        Some(2)
    );
}

/// `stat` shows a reparse point's decoded fields one a line, the NTFS 3.x
/// fields of $STANDARD_INFORMATION, and says where a lone record came from.
#[test]
fn stat_shows_decoded_fields() {
    let text = stdout(&["stat", &img("reparse.img"), "/sym-abs"]);
    common::assert_holds_all(
        &text,
        &[
            "    kind: symlink",
            r"    substitute name: \??\C:\target\file.txt",
            r"    print name: C:\target\file.txt",
            "    target form: drive_absolute",
        ],
    );
    assert!(!text.contains("decoded: {"), "{text}");
    // A directory's index entries.
    let dir = stdout(&["stat", &img("c512.img"), "/dir2"]);
    assert!(
        dir.contains("index entries ($I30): 2\n  b.txt -> 66-1 [posix]\n  sub -> 71-1 [posix]\n"),
        "{dir}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&[
        "stat",
        "--format",
        "json",
        &img("c512.img"),
        "/dir2",
    ]))
    .unwrap();
    assert_eq!(json["detail"]["index_entries"][0]["name"], "b.txt");
    if let Some(dir) = common::external_dir("windows") {
        let xw = dir.join("ericzimmerman/xw.mft");
        let text = stdout(&["stat", "--mft", xw.to_str().unwrap(), "485"]);
        assert!(text.contains("    security id: 260"), "{text}");
        assert!(text.contains("    update sequence number: 0x"), "{text}");
        let one = dir.join("omerbenamram/entry_single_file");
        let text = stdout(&["stat", "--record-file", one.to_str().unwrap()]);
        assert!(
            text.starts_with("MFT record read from a file of its own"),
            "{text}"
        );
    }
}

/// `--windows-paths`: text and CSV paths as Windows writes them (with the
/// drive letter when given); jsonl keeps the contract's form.
#[test]
fn windows_paths_in_text_and_csv() {
    let image = img("c512.img");
    let text = stdout(&["scan", "--windows-paths", "--drive", "C:", &image]);
    assert!(text.contains("] C:\\dir2\\sub\\c.txt\n"), "{text}");
    assert!(text.contains("] C:\\\n"), "the root: {text}");
    let bare = stdout(&["scan", "--windows-paths", &image]);
    assert!(bare.contains("] \\dir2\\sub\\c.txt\n"), "{bare}");
    let csv = stdout(&[
        "scan",
        "--format",
        "csv",
        "--windows-paths",
        "--drive",
        "C",
        &image,
    ]);
    assert!(csv.contains(",C:\\dir1\\a.txt,"), "{csv}");
    let jsonl = stdout(&[
        "scan",
        "--format",
        "jsonl",
        "--windows-paths",
        "--drive",
        "C",
        &image,
    ]);
    assert!(jsonl.contains("\"path\":\"/dir1/a.txt\""), "{jsonl}");
    let links = stdout(&[
        "links",
        "--windows-paths",
        "--drive",
        "C",
        &img("reparse.img"),
    ]);
    assert!(
        links.contains("  C:\\junction -> resolved: C:\\target (record"),
        "{links}"
    );
}

/// `links --explain`: the legend alone, without an image.
#[test]
fn links_explain_prints_the_legend() {
    let text = stdout(&["links", "--explain"]);
    assert!(
        text.starts_with("what each kind of link can do:\n"),
        "{text}"
    );
    for kind in [
        "hard link:",
        "junction:",
        "symbolic link:",
        "shortcut (.lnk):",
        "Interix symbolic link:",
    ] {
        assert!(text.contains(&format!("\n  {kind} ")), "{kind} in {text}");
    }
    let out = run(&["links", "--explain", &img("c512.img")]);
    assert_eq!(out.status.code(), Some(2));
}

/// The body file of a subtree keeps the drive prefix (`fls -m C:/`).
#[test]
fn bodyfile_of_a_subtree_keeps_the_drive_prefix() {
    let body = stdout(&[
        "scan",
        "--format",
        "bodyfile",
        "--drive",
        "C:",
        "--path",
        "/dir1",
        &img("c512.img"),
    ]);
    assert!(!body.is_empty());
    // Every name of the records kept (a.txt's hard links in /dir2 too).
    assert!(body.lines().all(|l| l.starts_with("0|C:/")), "{body}");
    assert!(body.contains("0|C:/dir1/a.txt|"), "{body}");
}

/// Shell completions and manual pages come from the same definition as the
/// parser: every command is in them.
#[test]
fn completions_and_manual_pages() {
    let commands = [
        "info", "scan", "links", "cat", "extract", "verify", "expect", "snapshot", "stat",
    ];
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let text = stdout(&["completions", shell]);
        for c in commands {
            assert!(text.contains(c), "{shell}: {c}");
        }
    }
    assert!(stdout(&["completions", "bash"]).contains("--windows-paths"));
    let page = stdout(&["man"]);
    assert!(page.contains(".TH ntfs-links 1"), "{page}");
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["man", "--dir", dir.path().to_str().unwrap()]);
    assert!(out.status.success());
    for c in commands {
        let page = std::fs::read_to_string(dir.path().join(format!("ntfs-links-{c}.1"))).unwrap();
        assert!(page.contains(&format!(".TH ntfs-links-{c} 1")), "{c}");
    }
    // Every command's --help ends with examples.
    for c in commands {
        let help = stdout(&[c, "--help"]);
        assert!(
            help.contains("\nExamples:\n  ntfs-links "),
            "{c} --help:\n{help}"
        );
    }
}

/// Failures are red on a terminal only, and never with NO_COLOR set (run
/// under `script`, which gives the command a terminal).
#[test]
fn failures_are_red_on_a_terminal_unless_no_color() {
    if !common::have_tool("script", "--version") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let expect = dir.path().join("e.toml");
    std::fs::write(&expect, "[[file]]\npath = \"/nope\"\n").unwrap();
    let bin = env!("CARGO_BIN_EXE_ntfs-links");
    let command = format!(
        "{bin} verify --expect {} {}",
        expect.display(),
        img("c512.img")
    );
    let on_terminal = |no_color: bool| {
        let mut c = std::process::Command::new("script");
        c.args(["-qec", &command, "/dev/null"]);
        if no_color {
            c.env("NO_COLOR", "1");
        } else {
            c.env_remove("NO_COLOR");
        }
        c.env("TERM", "xterm");
        String::from_utf8(c.output().unwrap().stdout).unwrap()
    };
    assert!(on_terminal(false).contains("\x1b[31mFAIL\x1b[0m line"));
    assert!(!on_terminal(true).contains('\x1b'));
    // Into a pipe: never.
    let piped = String::from_utf8(
        run(&[
            "verify",
            "--expect",
            expect.to_str().unwrap(),
            &img("c512.img"),
        ])
        .stdout,
    )
    .unwrap();
    assert!(piped.starts_with("FAIL line"), "{piped}");
}

/// The volume's state: flags and the dirty bit, clusters and the free ones
/// ($Bitmap: the counts `ntfsinfo -m` prints, 3338 of 4095 on basic.img),
/// and $MFTMirr against $MFT; a dirty flag and a torn mirror patched in.
#[test]
fn info_says_dirty_free_clusters_and_mirror_agreement() {
    let text = stdout(&["info", &img("basic.img")]);
    common::assert_holds_all(
        &text,
        &[
            "volume flags:        0x0000 (none)",
            "dirty:               no",
            "clusters:            4095 (3338 free, from $Bitmap)",
            "$MFTMirr:            agrees with $MFT (4 records)",
        ],
    );
    // Patch a copy: $Volume's dirty flag, and a byte of $MFTMirr's record 2.
    let mut bytes = std::fs::read(fixture("basic.img")).unwrap();
    let volume = ntfs_links::open(fixture("basic.img"), Default::default()).unwrap();
    let records = volume
        .read_with_extensions(3, |t| t == 0x70, 1 << 16)
        .unwrap();
    let attr = records[0]
        .attributes()
        .find(|a| a.type_code() == 0x70)
        .unwrap();
    let value = attr.value().unwrap();
    let at = value.as_ptr() as usize - records[0].bytes.as_ptr() as usize + 10;
    assert!(at % 512 < 510, "the flags are not at a stride's end");
    let record_at = volume.record_image_offset(3).unwrap() as usize;
    bytes[record_at + at] |= 1;
    let boot = volume.boot_sector().unwrap();
    let mirror = (boot.mftmirr_lcn * volume.geometry().cluster_size) as usize;
    bytes[mirror + 2 * 1024 + 100] ^= 0xFF;
    let dir = tempfile::tempdir().unwrap();
    let patched = dir.path().join("patched.img");
    std::fs::write(&patched, &bytes).unwrap();
    let text = stdout(&["info", patched.to_str().unwrap()]);
    common::assert_holds_all(
        &text,
        &[
            "volume flags:        0x0001 (dirty)",
            "dirty:               yes",
            // Record 2 torn in the mirror, record 3 patched in $MFT alone.
            "$MFTMirr:            differs from $MFT in records 2, 3 (of 4)",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&[
        "info",
        "--format",
        "json",
        patched.to_str().unwrap(),
    ]))
    .unwrap();
    assert_eq!(json["dirty"], true);
    assert_eq!(json["mftmirr"]["differing"], serde_json::json!([2, 3]));
    assert_eq!(json["free_clusters"], 3338);
}

/// `--offset 2048s` counts 512-byte sectors, or those of `--sector-size`.
#[test]
fn offsets_in_sectors_of_any_size() {
    let image = img("disk-mbr.img");
    for args in [
        vec!["info", "--offset", "2048s", &image],
        vec!["info", "--offset", "256s", "--sector-size", "4096", &image],
        vec!["info", "--offset", "0x100000", &image],
    ] {
        let text = stdout(&args);
        assert!(
            text.contains("volume offset:       1048576"),
            "{args:?}: {text}"
        );
    }
    fails(
        &["info", "--offset", "2048s", "--sector-size", "4096", &image],
        "boot sector",
    );
    let out = run(&["info", "--sector-size", "1000", &image]);
    assert_eq!(out.status.code(), Some(2));
}

/// `links --format json`: one array of the records, scan's keys.
#[test]
fn links_as_one_json_array() {
    let text = stdout(&[
        "links",
        "--format",
        "json",
        "--drive",
        "C",
        &img("reparse.img"),
    ]);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let records = v.as_array().unwrap();
    let jsonl = stdout(&[
        "links",
        "--format",
        "jsonl",
        "--drive",
        "C",
        &img("reparse.img"),
    ]);
    assert_eq!(records.len(), jsonl.lines().count());
    let first: serde_json::Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert_eq!(records[0], first);
}
