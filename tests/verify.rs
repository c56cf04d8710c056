//! The test harness: every expectation kind passing and failing, exit codes,
//! errors that name their line and key, JUnit parsed back, the bless step round
//! trip, and snapshots that do not change between two builds of one fixture.

mod common;

use common::{fixture, img, run, stdout};
use ntfs_links::verify::{Expectations, Verification, verify};
use ntfs_links::{Analysis, LinkOptions, Reports, Scan, Tree};

fn run_toml(image: &str, toml: &str, drive: Option<char>) -> Verification {
    let volume = common::open(image, None, false);
    let scan = Scan::run(&volume, Default::default()).unwrap();
    let analysis = Analysis::run(&volume, Tree::new(scan), Default::default());
    let e = Expectations::from_toml(toml).unwrap_or_else(|e| panic!("{e}"));
    verify(&Reports::new(&analysis, LinkOptions { drive }), &e)
}

/// Asserts which expectations hold, in file order.
fn holds(image: &str, toml: &str, drive: Option<char>, want: &[bool]) -> Verification {
    let v = run_toml(image, toml, drive);
    let got: Vec<bool> = v.checks.iter().map(|c| c.passed).collect();
    assert_eq!(got, want, "{v:#?}");
    v
}

#[test]
fn hardlink_groups() {
    let v = holds(
        "c512.img",
        r#"
[[hardlink]]
paths = ["/dir1/a.txt", "/dir2/b.txt", "/dir2/sub/c.txt"]
[[hardlink]]
paths = ["/dir1/a.txt", "/dir2/b.txt"]
[[hardlink]]
paths = ["/dir1/a.txt", "/top.txt"]
[[hardlink]]
paths = ['\dir1\a.txt', "/DIR2/B.TXT", "/dir2/sub/c.txt"]
[[hardlink]]
paths = ["/dir1/a.txt", "/nowhere"]
"#,
        None,
        &[true, false, false, true, false],
    );
    assert!(
        v.checks[1].failures[0].found.contains("/dir2/sub/c.txt"),
        "names the extra link"
    );
    assert!(
        v.checks[2].failures[0].path == "/top.txt"
            && v.checks[2].failures[0].found.starts_with("record ")
    );
    assert_eq!(v.checks[4].failures[0].found, "no such path in the image");
    assert_eq!((v.passed, v.failed), (2, 3));
}

#[test]
fn files_directories_absent_and_link_counts() {
    holds(
        "c512.img",
        r#"
[[file]]
path = "/top.txt"
[[file]]
path = "/dir1"
[[dir]]
path = "/Program Files"
[[dir]]
path = "/PROGRA~1"
[[dir]]
path = "/top.txt"
[[absent]]
path = "/gone.txt"
[[absent]]
path = "/top.txt"
[[link_count]]
path = "/dir2/b.txt"
count = 3
[[link_count]]
path = "/Long File Name.txt"
count = 1
[[link_count]]
path = "/top.txt"
count = 2
"#,
        None,
        &[
            true, false, true, true, false, true, false, true, true, false,
        ],
    );
}

#[test]
fn junctions_and_symlinks() {
    let v = holds(
        "reparse.img",
        r#"
[[junction]]
path = "/junction"
target = 'C:\target'
resolves_to = "/target"
[[junction]]
path = "/junction"
target = '\??\C:\target'
[[junction]]
path = "/junction"
target = 'C:\elsewhere'
[[junction]]
path = "/sym-abs"
target = 'C:\target\file.txt'
[[junction]]
path = "/junction-dangling"
target = 'C:\nowhere'
resolves_to = "/nowhere"
[[symlink]]
path = "/dirA/rel"
target = '..\target\file.txt'
relative = true
dir = false
resolves_to = "/target/file.txt"
[[symlink]]
path = "/dirA/rel"
target = '..\target\file.txt'
relative = false
[[symlink]]
path = "/sym-dir"
target = 'target'
dir = false
[[symlink]]
path = "/dirB/sub/rel-too"
target = '..\target\file.txt'
resolves_to = "/target/file.txt"
[[symlink]]
path = "/junction"
target = 'C:\target'
"#,
        Some('C'),
        &[
            true, true, false, false, false, true, false, false, false, false,
        ],
    );
    let f = |i: usize| &v.checks[i].failures[0];
    assert_eq!(f(2).path, "/junction");
    assert_eq!(f(2).expected, r"a junction to C:\elsewhere");
    assert_eq!(f(2).found, r"a junction to C:\target");
    assert!(
        f(3).found.contains("symlink reparse point"),
        "{}",
        f(3).found
    );
    assert!(
        f(4).found.starts_with("dangling: /nowhere does not exist"),
        "{}",
        f(4).found
    );
    assert_eq!(
        (f(6).expected.as_str(), f(6).found.as_str()),
        ("not relative", "relative")
    );
    assert_eq!(
        (f(7).expected.as_str(), f(7).found.as_str()),
        ("a file symlink", "a directory symlink")
    );
    assert!(f(8).found.contains("dangling"));
    // Without the drive letter, an absolute target cannot be said to resolve.
    let v = holds(
        "reparse.img",
        "[[junction]]\npath = \"/junction\"\ntarget = 'C:\\target'\nresolves_to = \"/target\"\n",
        None,
        &[false],
    );
    assert!(v.checks[0].failures[0].found.contains("--drive"));
}

#[test]
fn reparse_tags_by_name_or_number() {
    holds(
        "reparse.img",
        r#"
[[reparse]]
path = "/wof-lzx"
tag = "IO_REPARSE_TAG_WOF"
[[reparse]]
path = "/wof-lzx"
tag = "wof"
[[reparse]]
path = "/wof-lzx"
tag = 2147483671
[[reparse]]
path = "/wof-lzx"
tag = "0x80000017"
[[reparse]]
path = "/wof-lzx"
tag = "IO_REPARSE_TAG_DEDUP"
[[reparse]]
path = "/target/file.txt"
tag = "IO_REPARSE_TAG_WOF"
[[reparse]]
path = "/third-party"
tag = 0x1234
"#,
        None,
        &[true, true, true, true, false, false, true],
    );
}

#[test]
fn no_dangling_and_no_findings() {
    holds(
        "c512.img",
        "[[no_dangling]]\n[[no_findings]]\n",
        None,
        &[true, true],
    );
    let v = holds(
        "reparse.img",
        "[[no_dangling]]\n[[no_findings]]\n",
        Some('C'),
        &[false, false],
    );
    let dangling: Vec<&str> = v.checks[0]
        .failures
        .iter()
        .map(|f| f.path.as_str())
        .collect();
    for p in [
        "/junction-dangling",
        "/dirB/sub/rel-too",
        "/sym-dangling",
        "/sym-escape",
        "/loop-a",
        "/lying",
    ] {
        assert!(dangling.contains(&p), "{p} in {dangling:?}");
    }
    assert!(
        !dangling.contains(&"/junction") && !dangling.contains(&"/sym-unc"),
        "resolved and remote links point at something"
    );
    assert_eq!(v.checks[1].failures.len(), 1);
    assert_eq!(v.checks[1].failures[0].path, "/lying");
}

#[test]
fn malformed_expectations_name_their_line_and_key() {
    for (toml, line, key) in [
        (
            "[[file]]\npath = \"/a\"\n\n[[symlink]]\npath = \"/l\"\ntraget = 'x'\n",
            6,
            "traget",
        ),
        (
            "[[link_count]]\npath = \"/a\"\ncount = \"two\"\n",
            3,
            "count",
        ),
        (
            "[[reparse]]\npath = \"/a\"\ntag = \"IO_REPARSE_TAG_NOPE\"\n",
            1,
            "tag",
        ),
        ("\n\n[[hardlink]]\npaths = [\"/only\"]\n", 3, "paths"),
        ("[[junction]]\npath = \"/j\"\n", 1, "target"),
        (
            "[[file]]\npath = \"/a\"\n[[fiel]]\npath = \"/b\"\n",
            3,
            "fiel",
        ),
        ("[[file]\npath = 1\n", 1, "[[file]"),
    ] {
        let err = Expectations::from_toml(toml).unwrap_err();
        match &err {
            ntfs_links::Error::Expectations {
                line: l, key: k, ..
            } => {
                assert_eq!((*l, k.as_str()), (line, key), "{err} for {toml:?}");
            }
            other => panic!("{other}"),
        }
        assert!(err.to_string().contains(&format!("line {line}")));
    }
}

#[test]
fn exit_codes_of_verify() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.toml");
    std::fs::write(
        &good,
        "[[hardlink]]\npaths = [\"/dir1/a.txt\", \"/dir2/b.txt\", \"/dir2/sub/c.txt\"]\n",
    )
    .unwrap();
    let out = run(&[
        "verify",
        &img("c512.img"),
        "--expect",
        good.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 held, 0 did not"));

    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[[symlink]]\npath = \"/sym-abs\"\ntarget = 'C:\\wrong'\n",
    )
    .unwrap();
    let out = run(&[
        "verify",
        &img("reparse.img"),
        "--expect",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            r"/sym-abs: expected a symlink to C:\wrong, found a symlink to C:\target\file.txt"
        ),
        "{text}"
    );

    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, "[[file]]\npath = \"/a\"\nextra = 1\n").unwrap();
    for (args, needle) in [
        (
            vec!["verify", &img("c512.img"), "--expect", "/no/such.toml"],
            "cannot open",
        ),
        (
            vec![
                "verify",
                &img("c512.img"),
                "--expect",
                broken.to_str().unwrap(),
            ],
            "broken.toml:3: key `extra`",
        ),
        (
            vec![
                "verify",
                "/no/image.img",
                "--expect",
                good.to_str().unwrap(),
            ],
            "cannot open",
        ),
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle) && err.lines().count() == 1, "{err}");
    }
}

#[test]
fn junit_output_parses_back() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("e.toml");
    std::fs::write(&toml, "[[file]]\npath = \"/top.txt\"\n\n[[absent]]\npath = \"/top.txt\"\n\n[[dir]]\npath = \"/dir1\"\n").unwrap();
    let out = run(&[
        "verify",
        &img("c512.img"),
        "--expect",
        toml.to_str().unwrap(),
        "--format",
        "junit",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let elements = junit_elements(&String::from_utf8(out.stdout).unwrap());
    let of = |element: &str, key: &str| -> Vec<String> {
        elements
            .iter()
            .filter(|(name, _)| name == element)
            .map(|(_, a)| a[key].clone())
            .collect()
    };
    let (cases, failures) = (of("testcase", "name"), of("failure", "message"));
    let suite_failures = of("testsuite", "failures").concat();
    assert_eq!(
        cases,
        [
            "file /top.txt (line 1)",
            "absent /top.txt (line 4)",
            "dir /dir1 (line 7)"
        ]
    );
    assert_eq!(suite_failures, "1");
    assert_eq!(
        failures,
        ["/top.txt: expected nothing, found a file (record 64)"]
    );
    let json: serde_json::Value = serde_json::from_slice(
        &run(&[
            "verify",
            &img("c512.img"),
            "--expect",
            toml.to_str().unwrap(),
            "--format",
            "json",
        ])
        .stdout,
    )
    .unwrap();
    assert_eq!(
        (json["passed"].as_u64(), json["failed"].as_u64()),
        (Some(2), Some(1))
    );
}

#[test]
fn blessed_expectations_hold_on_every_fixture() {
    let dir = tempfile::tempdir().unwrap();
    for image in [
        "basic.img",
        "c512.img",
        "fragmented.img",
        "manylinks.img",
        "random-1.img",
        "reparse.img",
        "shortcuts.img",
    ] {
        let out = run(&["expect", "--drive", "C", &img(image)]);
        assert!(out.status.success());
        let toml = dir.path().join(format!("{image}.toml"));
        std::fs::write(&toml, &out.stdout).unwrap();
        let out = run(&[
            "verify",
            "--drive",
            "C",
            &img(image),
            "--expect",
            toml.to_str().unwrap(),
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{image}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    // Limited to paths: only what is under them, and the paths themselves.
    let out = run(&[
        "expect",
        "--drive",
        "C",
        &img("reparse.img"),
        "--path",
        "/dirA",
        "--path",
        "/target/file.txt",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    let e = Expectations::from_toml(&text).unwrap();
    let names: Vec<String> = e.items.iter().map(|(_, x)| x.name()).collect();
    assert_eq!(
        names,
        [
            "hardlink /dirA/rel, /dirB/sub/rel-too",
            "symlink /dirA/rel",
            "file /target/file.txt",
            "dir /dirA",
            "link_count /dirA/rel",
            "only /dirA",
            "only /target/file.txt",
            "no_dangling under /dirA",
            "no_dangling under /target/file.txt"
        ],
        "{text}"
    );
}

#[test]
fn a_false_target_fails_naming_the_path() {
    let out = run(&["expect", "--drive", "C", &img("reparse.img")]);
    let text = String::from_utf8(out.stdout)
        .unwrap()
        .replace(r"target = 'C:\target'", r"target = 'C:\other'");
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("e.toml");
    std::fs::write(&toml, text).unwrap();
    let out = run(&[
        "verify",
        "--drive",
        "C",
        &img("reparse.img"),
        "--expect",
        toml.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let fails: Vec<&str> = stdout.lines().filter(|l| l.starts_with("FAIL")).collect();
    assert_eq!(fails.len(), 1, "{stdout}");
    assert!(fails[0].ends_with("junction /junction"));
    assert!(
        stdout
            .contains(r"/junction: expected a junction to C:\other, found a junction to C:\target")
    );
}

#[test]
fn snapshots_are_stable_across_two_builds() {
    let a = run(&["snapshot", &img("c512.img")]);
    let b = run(&["snapshot", &img("c512-again.img")]);
    assert!(a.status.success() && b.status.success());
    assert_ne!(
        std::fs::read(fixture("c512.img")).unwrap(),
        std::fs::read(fixture("c512-again.img")).unwrap()
    );
    assert_eq!(
        a.stdout, b.stdout,
        "two builds of one fixture snapshot alike"
    );
    let text = String::from_utf8(a.stdout).unwrap();
    assert!(text.starts_with("schema: 1\n"), "{text}");
    // Deterministic run to run, and with record numbers only when asked.
    let r = run(&["snapshot", "--drive", "C", "--records", &img("reparse.img")]);
    assert_eq!(
        r.stdout,
        run(&["snapshot", "--drive", "C", "--records", &img("reparse.img")]).stdout
    );
    let with = String::from_utf8(r.stdout).unwrap();
    assert!(with.contains("record: "));
    assert!(
        !String::from_utf8(run(&["snapshot", &img("reparse.img")]).stdout)
            .unwrap()
            .contains("record: ")
    );
    let parsed: serde_json::Value = serde_norway::from_str(&with).unwrap();
    assert_eq!(parsed["schema"], 1);
    assert!(parsed["reparse_points"].as_array().unwrap().len() > 40);
}

#[test]
fn the_readme_expectations_example_parses() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let block = readme
        .split("```toml\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .unwrap();
    let e = Expectations::from_toml(block).unwrap_or_else(|e| panic!("{e}"));
    let kinds: Vec<&str> = e.items.iter().map(|(_, x)| x.kind()).collect();
    assert_eq!(
        kinds,
        [
            "hardlink",
            "junction",
            "symlink",
            "file",
            "reparse",
            "link_count",
            "only",
            "no_dangling",
            "no_findings"
        ]
    );
    assert_eq!(e.settings.drive.as_deref(), Some("C:"));
    assert_eq!(e.settings.check_index, Some(true));
}

/// A gate that checks nothing is refused: an expectations file with no
/// expectation (unless it says `allow_empty = true`), and expectations blessed
/// for a path the image does not hold.
#[test]
fn no_empty_gates() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.toml");
    std::fs::write(&empty, "# nothing here\n").unwrap();
    let out = run(&[
        "verify",
        &img("c512.img"),
        "--expect",
        empty.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("allow_empty"));

    let meant = dir.path().join("meant.toml");
    std::fs::write(&meant, "allow_empty = true\n").unwrap();
    let out = run(&[
        "verify",
        &img("c512.img"),
        "--expect",
        meant.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));

    let out = run(&["expect", &img("c512.img"), "--path", "/dir1/typo.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/dir1/typo.txt"));
    // A path that is there still blesses.
    let out = run(&["expect", &img("c512.img"), "--path", "/dir1/a.txt"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("[[file]]"));
}

/// Every element of a JUnit document with its attributes (the document must parse).
fn junit_elements(xml: &str) -> Vec<(String, std::collections::BTreeMap<String, String>)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event().expect("valid XML") {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                let attrs = e
                    .attributes()
                    .flatten()
                    .map(|a| {
                        let value = a
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .unwrap()
                            .into_owned();
                        (a.key.into_inner().to_owned(), value)
                    })
                    .collect();
                out.push((e.name().into_inner().to_owned(), attrs));
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// JUnit test cases say the file and line of their expectation; when nothing can
/// be checked (exit 2), a valid document with one test case in error is written.
#[test]
fn junit_names_file_and_line_and_reports_unusable_input() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("e.toml");
    std::fs::write(
        &toml,
        "[[file]]\npath = \"/top.txt\"\n\n[[dir]]\npath = \"/dir1\"\n",
    )
    .unwrap();
    let file = toml.to_str().unwrap();
    let out = run(&[
        "verify",
        &img("c512.img"),
        "--expect",
        file,
        "--format",
        "junit",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let cases: Vec<_> = junit_elements(&String::from_utf8(out.stdout).unwrap())
        .into_iter()
        .filter(|(name, _)| name == "testcase")
        .map(|(_, a)| (a["file"].clone(), a["line"].clone()))
        .collect();
    assert_eq!(
        cases,
        [
            (file.to_owned(), "1".to_owned()),
            (file.to_owned(), "4".to_owned())
        ]
    );

    for args in [
        vec![
            "verify",
            "/no/such.img",
            "--expect",
            file,
            "--format",
            "junit",
        ],
        vec![
            "verify",
            &img("c512.img"),
            "--expect",
            "/no/such.toml",
            "--format",
            "junit",
        ],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let elements = junit_elements(&String::from_utf8(out.stdout).unwrap());
        let errors: Vec<_> = elements.iter().filter(|(n, _)| n == "error").collect();
        assert_eq!(errors.len(), 1, "{args:?}: {elements:?}");
        assert!(errors[0].1["message"].contains("cannot open"), "{errors:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
    }
}

/// An image cut short passes no gate: a first check named `volume` fails (exit
/// 1) whatever the expectations, and says why.
#[test]
fn verify_fails_on_what_it_cannot_see() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(fixture("c512.img")).unwrap();
    let cut = dir.path().join("cut.img");
    std::fs::write(&cut, &bytes[..bytes.len() / 3]).unwrap();
    let toml = dir.path().join("e.toml");
    std::fs::write(
        &toml,
        "[[hardlink]]\npaths = [\"/dir1/a.txt\", \"/dir2/b.txt\", \"/dir2/sub/c.txt\"]\n[[no_findings]]\n",
    )
    .unwrap();
    let (image, expect) = (cut.to_str().unwrap(), toml.to_str().unwrap());
    let out = run(&["verify", image, "--expect", expect]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("FAIL line    0  volume"), "{text}");
    assert!(text.contains("the image holds only"), "{text}");
    let out = run(&["verify", image, "--expect", expect, "--format", "junit"]);
    assert_eq!(out.status.code(), Some(1));
    let elements = junit_elements(&String::from_utf8(out.stdout).unwrap());
    assert!(
        elements
            .iter()
            .any(|(n, a)| n == "testcase" && a["classname"] == "volume"),
        "{elements:?}"
    );
    // The whole image passes.
    let out = run(&["verify", &img("c512.img"), "--expect", expect]);
    assert_eq!(out.status.code(), Some(0));
}

/// `--format github` writes one annotation per failure at its expectation's file
/// and line; `--quiet` leaves out what holds.
#[test]
fn github_annotations_and_quiet_text() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("e.toml");
    std::fs::write(
        &toml,
        "[[file]]\npath = \"/top.txt\"\n\n[[absent]]\npath = \"/top.txt\"\n",
    )
    .unwrap();
    let file = toml.to_str().unwrap();
    let out = run(&[
        "verify",
        &img("c512.img"),
        "--expect",
        file,
        "--format",
        "github",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("::error ")).collect();
    assert_eq!(errors.len(), 1, "{text}");
    let escaped_file = file.replace(':', "%3A").replace(',', "%2C");
    assert!(
        errors[0].starts_with(&format!(
            "::error file={escaped_file},line=4,title=ntfs-links absent::"
        )),
        "{}",
        errors[0]
    );
    assert!(errors[0].ends_with("/top.txt: expected nothing, found a file (record 64)"));
    assert!(text.contains("1 held, 1 did not"));

    let out = run(&["verify", &img("c512.img"), "--expect", file, "--quiet"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("ok  "), "{text}");
    assert!(text.contains("FAIL line    4  absent /top.txt"), "{text}");
    assert!(
        text.ends_with(&format!("expectations in {file}: 1 held, 1 did not\n")),
        "{text}"
    );
}

/// `[[only]]`: a link the file does not list fails, whether a hard-link group,
/// a junction or a symbolic link; `under` limits it to a subtree.
#[test]
fn strict_mode_catches_an_added_link() {
    let toml = stdout(&["expect", "--drive", "C:", &img("reparse.img")]);
    assert!(toml.contains("\n[[only]]\n"), "{toml}");
    // As blessed: everything holds.
    let v = run_toml("reparse.img", &toml, Some('C'));
    assert!(v.is_ok(), "{v:#?}");
    // The image "gains" a junction and a hard-link group: the file forgets them.
    let forget = |text: &str, header: &str, path: &str| -> String {
        let table = format!("{header}\npath = \"{path}\"\n");
        let start = text.find(&table).unwrap_or_else(|| panic!("{table}"));
        let end = text[start + 1..]
            .find("\n[")
            .map_or(text.len(), |e| start + 2 + e);
        format!("{}{}", &text[..start], &text[end..])
    };
    let fewer = forget(&toml, "[[junction]]", "/via-junction");
    let v = run_toml("reparse.img", &fewer, Some('C'));
    let only = v.checks.iter().find(|c| c.kind == "only").unwrap();
    assert!(!only.passed);
    assert_eq!(only.failures.len(), 1, "{only:#?}");
    assert_eq!(only.failures[0].path, "/via-junction");
    assert!(only.failures[0].found.contains("junction"), "{only:#?}");
    assert_eq!(v.failed, 1, "only [[only]] fails: {v:#?}");

    let start = toml.find("[[hardlink]]").unwrap();
    let end = start + toml[start..].find("\n\n").unwrap() + 2;
    let no_group = format!("{}{}", &toml[..start], &toml[end..]);
    let v = run_toml("reparse.img", &no_group, Some('C'));
    let only = v.checks.iter().find(|c| c.kind == "only").unwrap();
    assert_eq!(only.failures.len(), 1, "{only:#?}");
    assert!(
        only.failures[0]
            .found
            .starts_with("a hard-link group it does not list: /dirA/rel")
    );

    // Under a path: only links there count.
    holds(
        "reparse.img",
        "[[only]]\nunder = \"/dirA\"\n[[only]]\nunder = '\\TARGET'\n[[symlink]]\npath = \"/dirA/rel\"\ntarget = '..\\target\\file.txt'\n",
        Some('C'),
        &[false, true, true],
    );
}

/// `[[no_dangling]] except`: the links that may dangle, by path or glob.
#[test]
fn no_dangling_takes_exceptions() {
    let v = run_toml("reparse.img", "[[no_dangling]]\n", Some('C'));
    let dangling: Vec<String> = v.checks[0]
        .failures
        .iter()
        .map(|f| f.path.clone())
        .collect();
    assert!(dangling.len() >= 3, "{dangling:?}");
    let all = dangling
        .iter()
        .map(|p| format!("{p:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    holds(
        "reparse.img",
        &format!("[[no_dangling]]\nexcept = [{all}]\n"),
        Some('C'),
        &[true],
    );
    // Globs: * within a component, ** across, case-insensitive.
    let v = run_toml(
        "reparse.img",
        "[[no_dangling]]\nexcept = [\"/SYM-*\", \"/**/rel-too\", \"/loop-?\"]\n",
        Some('C'),
    );
    let left: Vec<&str> = v.checks[0]
        .failures
        .iter()
        .map(|f| f.path.as_str())
        .collect();
    assert!(
        left.iter().all(|p| !p.starts_with("/sym-")
            && !p.ends_with("rel-too")
            && !p.starts_with("/loop-")),
        "{left:?}"
    );
    assert!(left.len() < dangling.len());
    assert!(left.contains(&"/junction-dangling"), "{left:?}");
}

/// `[settings]` round-trip through `expect`: `verify` uses them without flags,
/// refuses a flag that contradicts them, and `check_index` widens
/// `[[no_findings]]` to the $I30 checks.
#[test]
fn settings_round_trip_through_expect() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("e.toml");
    let toml = stdout(&[
        "expect",
        "--drive",
        "c",
        "--check-index",
        &img("reparse.img"),
    ]);
    assert!(
        toml.contains("[settings]\ndrive = \"C:\"\ncheck_index = true\ncheck_times = false\n"),
        "{toml}"
    );
    let e = Expectations::from_toml(&toml).unwrap();
    assert_eq!(e.settings.drive.as_deref(), Some("C:"));
    std::fs::write(&file, &toml).unwrap();
    let file = file.to_str().unwrap();
    // No --drive needed: resolves_to holds because the file says C:.
    let out = run(&["verify", "--expect", file, &img("reparse.img")]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = run(&[
        "verify",
        "--drive",
        "C:",
        "--expect",
        file,
        &img("reparse.img"),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let out = run(&[
        "verify",
        "--drive",
        "D:",
        "--expect",
        file,
        &img("reparse.img"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("e.toml:3: key `drive`") && err.contains("--drive D:"),
        "{err}"
    );

    // basic.img has stale and missing $I30 entries: [[no_findings]] holds
    // without the index checks and fails with them.
    let nf = "[[no_findings]]\n";
    std::fs::write(dir.path().join("nf.toml"), nf).unwrap();
    let with = format!("[settings]\ncheck_index = true\n{nf}");
    std::fs::write(dir.path().join("nf-index.toml"), with).unwrap();
    let nf = dir.path().join("nf.toml");
    let nf_index = dir.path().join("nf-index.toml");
    let code = |args: &[&str]| run(args).status.code();
    assert_eq!(
        code(&[
            "verify",
            "--expect",
            nf.to_str().unwrap(),
            &img("basic.img")
        ]),
        Some(0)
    );
    assert_eq!(
        code(&[
            "verify",
            "--check-index",
            "--expect",
            nf.to_str().unwrap(),
            &img("basic.img")
        ]),
        Some(1)
    );
    assert_eq!(
        code(&[
            "verify",
            "--expect",
            nf_index.to_str().unwrap(),
            &img("basic.img")
        ]),
        Some(1)
    );
    // `expect --check-index` on basic.img does not bless [[no_findings]].
    let blessed = stdout(&["expect", "--check-index", &img("basic.img")]);
    assert!(!blessed.contains("[[no_findings]]"), "{blessed}");
    assert!(stdout(&["expect", &img("basic.img")]).contains("[[no_findings]]"));
    // A file that says check_index = false refuses the flag.
    let off = dir.path().join("off.toml");
    std::fs::write(&off, "[settings]\ncheck_index = false\n[[no_findings]]\n").unwrap();
    assert_eq!(
        code(&[
            "verify",
            "--check-index",
            "--expect",
            off.to_str().unwrap(),
            &img("basic.img")
        ]),
        Some(2)
    );
}

/// Large files are parsed in parts cut before `[[`: the items, their lines and
/// their errors are those of one whole parse, even when a cut falls inside a
/// multi-line string.
#[test]
fn large_expectations_files_parse_as_one() {
    let mut text = String::from("[settings]\ndrive = \"C:\"\n\n");
    let mut n = 0;
    while text.len() < (1 << 20) - 300 {
        text.push_str(&format!("[[file]]\npath = \"/dir/file {n:06}.bin\"\n\n"));
        n += 1;
    }
    let hardlink_line = text.lines().count() + 1;
    let hardlink_table = format!(
        "[[hardlink]]\npaths = [\"\"\"{}\n[[file]]\npath = \"inner\"\n\"\"\", \"/b\"]\n\n",
        "a".repeat(400)
    );
    text.push_str(&hardlink_table);
    let tail_start = n;
    while text.len() < (5 << 20) / 2 {
        text.push_str(&format!("[[file]]\npath = \"/dir/file {n:06}.bin\"\n\n"));
        n += 1;
    }
    let e = Expectations::from_toml(&text).unwrap();
    assert_eq!(e.items.len(), n + 1);
    assert_eq!(e.settings.drive.as_deref(), Some("C:"));
    let (line, hardlink) = &e.items[tail_start];
    assert_eq!(*line, hardlink_line);
    match hardlink {
        ntfs_links::verify::Expectation::HardLink(h) => {
            assert!(
                h.paths[0].ends_with("\n[[file]]\npath = \"inner\"\n"),
                "{h:?}"
            )
        }
        other => panic!("{other:?}"),
    }
    for (i, (line, _)) in e.items.iter().enumerate().take(tail_start) {
        assert_eq!(*line, 4 + 3 * i);
    }
    let last = e.items.last().unwrap().0;
    assert_eq!(last, text.lines().count() - 2);
    // Without the string across a cut, the parts parse on their own.
    let plain = text.replacen(&hardlink_table, "", 1);
    let p = Expectations::from_toml(&plain).unwrap();
    assert_eq!(p.items.len(), n);
    for (i, (line, _)) in p.items.iter().enumerate() {
        assert_eq!(*line, 4 + 3 * i);
    }
    // An error deep in the file names its own line.
    let bad = text.replacen("path = \"/dir/file 050000.bin\"", "pth = \"x\"", 1);
    let err = Expectations::from_toml(&bad).unwrap_err().to_string();
    let want = bad.lines().position(|l| l == "pth = \"x\"").unwrap() + 1;
    assert!(
        err.contains(&format!("line {want},")),
        "{err} (line {want})"
    );
}

/// Paths are found as names, not compared as text: a name holding `\`, `.`
/// and `..` components, a name differing only in case, `--path` spelled
/// another way, and exceptions that hold glob characters.
#[test]
fn paths_are_names_not_text() {
    // A POSIX name may hold `\`: it is found, and `[[absent]]` does not pass.
    holds(
        "hostile.img",
        "[[file]]\npath = '/back\\slash.txt'\n[[absent]]\npath = '/back\\slash.txt'\n[[file]]\npath = '/links/../back\\slash.txt'\n",
        None,
        &[true, false, true],
    );
    // `expect --path` spelled with `.` and another case gives the same file.
    let plain = stdout(&["expect", &img("basic.img"), "--path", "/three"]);
    let dotted = stdout(&["expect", &img("basic.img"), "--path", "/./THREE/"]);
    let body = |t: &str| t.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&plain), body(&dotted));
    assert!(plain.contains("[[hardlink]]"), "{plain}");

    // Two symlinks whose names differ only in case: blessing both and
    // forgetting one fails [[only]].
    let mut bytes = std::fs::read(fixture("reparse.img")).unwrap();
    let loop_b = common::reports(&common::open("reparse.img", None, false), false)
        .into_iter()
        .find(|r| r.names.iter().any(|n| n.path.as_deref() == Some("/loop-b")))
        .unwrap()
        .record;
    common::patch_record(&mut bytes, loop_b, |rec| {
        let from: Vec<u8> = "loop-b".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let to: Vec<u8> = "LOOP-A".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let at = rec.windows(from.len()).position(|w| w == from).unwrap();
        rec[at..at + to.len()].copy_from_slice(&to);
    });
    let volume = ntfs_links::Volume::open(ntfs_links::Image::from_bytes(bytes), 0).unwrap();
    let scan = Scan::run(&volume, Default::default()).unwrap();
    let analysis = Analysis::run(&volume, Tree::new(scan), Default::default());
    let reports = Reports::new(&analysis, LinkOptions { drive: Some('C') });
    let blessed = ntfs_links::verify::bless(&reports, &[]).unwrap();
    let mut toml = Vec::new();
    ntfs_links::output::write_expectations(&blessed, "case", &mut toml).unwrap();
    let toml = String::from_utf8(toml).unwrap();
    assert!(toml.contains("path = \"/LOOP-A\""), "{toml}");
    let e = Expectations::from_toml(&toml).unwrap();
    assert!(verify(&reports, &e).is_ok());
    let table = "[[symlink]]\npath = \"/LOOP-A\"\n";
    let start = toml.find(table).unwrap();
    let end = start + toml[start..].find("\n\n").unwrap() + 2;
    let fewer = format!("{}{}", &toml[..start], &toml[end..]);
    let v = verify(&reports, &Expectations::from_toml(&fewer).unwrap());
    let only = v.checks.iter().find(|c| c.kind == "only").unwrap();
    assert_eq!(only.failures.len(), 1, "{v:#?}");
    assert_eq!(only.failures[0].path, "/LOOP-A");
}

/// `drive = ""` (what `expect` writes without `--drive`) refuses a drive
/// letter later; a key's contradiction names the key's own line.
#[test]
fn an_unknown_drive_is_a_setting_too() {
    let toml = stdout(&["expect", &img("reparse.img")]);
    assert!(toml.contains("[settings]\ndrive = \"\"\n"), "{toml}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("e.toml");
    std::fs::write(&file, &toml).unwrap();
    let file = file.to_str().unwrap();
    assert_eq!(
        run(&["verify", "--expect", file, &img("reparse.img")])
            .status
            .code(),
        Some(0)
    );
    let out = run(&[
        "verify",
        "--drive",
        "C:",
        "--expect",
        file,
        &img("reparse.img"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("e.toml:3: key `drive`"));
}

/// Keys before the first table keep a large file on the one-parse path: the
/// file is refused as a small one would be.
#[test]
fn a_large_file_with_a_prelude_parses_as_one() {
    let mut text = String::from("file = [{ path = \"/top.txt\" }]\n\n");
    while text.len() < 3 << 20 {
        text.push_str("[[file]]\npath = \"/top.txt\"\n\n");
    }
    assert!(Expectations::from_toml(&text).is_err());
    assert!(
        Expectations::from_toml(
            "file = [{ path = \"/top.txt\" }]\n[[file]]\npath = \"/top.txt\"\n"
        )
        .is_err()
    );
}

/// `[[shortcut]]`: target, outcome and resolution each checked; `[[only]]`
/// and `[[no_dangling]]` cover shortcuts when they say `shortcuts = true`,
/// and only then.
#[test]
fn shortcuts_are_expectations() {
    let v = holds(
        "shortcuts.img",
        r#"
        [[shortcut]]
        path = "/Users/alice/Desktop/report.docx.lnk"
        target = 'c:\users\alice\documents\REPORT.DOCX'
        resolves_to = "/Users/alice/Documents/report.docx"

        [[shortcut]]
        path = "/Users/alice/Desktop/usb.lnk"
        outcome = "other_volume"

        [[shortcut]]
        path = "/Users/alice/Desktop/gone.lnk"
        target = 'C:\Users\alice\Documents\plan.txt'
        resolves_to = "/Users/alice/Documents/plan.txt"
        outcome = "resolved"

        [[shortcut]]
        path = "/Users/alice/Desktop/not-a-link.lnk"

        [[only]]
        under = "/Users/alice/Desktop"
        shortcuts = true

        [[only]]
        under = "/Users/alice/Desktop"

        [[no_dangling]]
        shortcuts = true
        except = ["/Users/*/Cookies", "/Users/alice/Desktop/gone.lnk", "/Users/alice/Desktop/*.PIF"]

        [[no_dangling]]
        shortcuts = true
        except = ["/Users/*/Cookies"]
        "#,
        Some('C'),
        &[true, true, false, false, false, true, true, false],
    );
    let text = |i: usize| {
        v.checks[i]
            .failures
            .iter()
            .map(|f| format!("{}: expected {}, found {}\n", f.path, f.expected, f.found))
            .collect::<String>()
    };
    // Every disagreement of gone.lnk, each said.
    assert_eq!(v.checks[2].failures.len(), 3, "{}", text(2));
    assert!(
        text(2).contains("a shortcut to C:\\Users\\alice\\Documents\\deleted.txt"),
        "{}",
        text(2)
    );
    assert!(text(2).contains("dangling"), "{}", text(2));
    assert!(text(3).contains("a file"), "{}", text(3));
    // Shortcuts the file does not list, under the path given.
    assert!(
        text(4).contains("a shortcut to \\\\FILESERVER\\finance it does not list"),
        "{}",
        text(4)
    );
    assert!(
        text(7).contains("/Users/alice/Desktop/gone.lnk"),
        "{}",
        text(7)
    );
    let err =
        Expectations::from_toml("[[shortcut]]\npath = \"/a\"\noutcome = \"fine\"\n").unwrap_err();
    assert!(
        err.to_string().contains("line 1") && err.to_string().contains("outcome"),
        "{err}"
    );
}

/// `expect --path P` covers what lies under P only: `[[no_dangling]]` gets
/// `under = P`, so links that dangle elsewhere do not fail the file; and a
/// `[[no_dangling]]` with `under` checks only there.
#[test]
fn expectations_of_a_subtree_hold_whatever_dangles_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    for (image, path) in [
        ("reparse.img", "/target"),
        ("shortcuts.img", "/Users/alice/Recent"),
        ("shortcuts.img", "/Users/alice/Desktop"),
    ] {
        let out = run(&["expect", "--drive", "C", "--path", path, &img(image)]);
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains(&format!("[[no_dangling]]\nunder = \"{path}\"")),
            "{text}"
        );
        let toml = dir.path().join("e.toml");
        std::fs::write(&toml, &text).unwrap();
        let out = run(&["verify", "--expect", toml.to_str().unwrap(), &img(image)]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{image} {path}:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    holds(
        "shortcuts.img",
        r#"
        [[no_dangling]]
        under = "/Users/alice/Recent"
        shortcuts = true

        [[no_dangling]]
        under = "/Users/alice/Desktop"
        shortcuts = true

        [[no_dangling]]
        under = "/nowhere"
        "#,
        Some('C'),
        &[true, false, false],
    );
}
