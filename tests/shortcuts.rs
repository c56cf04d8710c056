//! Shell links found by their content in `fixtures/shortcuts.img` and resolved
//! in the image: every outcome its manifest expects, through the library, the
//! jsonl and `links --kind shortcut`.

mod common;

use ntfs_links::{Analysis, LinkOptions, Reports, Scan, Tree};

fn manifest() -> serde_json::Value {
    let text = std::fs::read_to_string(common::fixture("shortcuts.json")).unwrap();
    serde_json::from_str::<serde_json::Value>(&text).unwrap()
}

fn expected() -> serde_json::Value {
    manifest()["shortcuts"].clone()
}

/// Every report of `shortcuts.img`, the volume being drive C.
fn reports_on_c() -> Vec<ntfs_links::RecordReport> {
    let volume = common::open("shortcuts.img", None, false);
    let analysis = Analysis::run(
        &volume,
        Tree::new(Scan::run(&volume, Default::default()).unwrap()),
        Default::default(),
    );
    Reports::new(&analysis, LinkOptions { drive: Some('C') })
        .iter()
        .collect()
}

#[test]
fn every_shortcut_resolves_as_made() {
    let reports = reports_on_c();
    let expected = expected();
    let expected = expected.as_object().unwrap();
    let mut found = 0;
    for r in &reports {
        let Some(s) = &r.shortcut else { continue };
        let path = r.names[0].path.clone().unwrap();
        let want = &expected[&path];
        assert_eq!(
            s.resolution.outcome.as_str(),
            want["outcome"],
            "{path}: {:?}",
            s.resolution
        );
        assert_eq!(
            s.resolution.path.as_deref(),
            want["path"].as_str(),
            "{path}"
        );
        assert!(s.link.problems.is_empty(), "{path}: {:?}", s.link.problems);
        found += 1;
    }
    // Found by content: `notes.txt` is one, `not-a-link.lnk` is not.
    assert_eq!(found, expected.len());
}

#[test]
fn the_serial_decides_without_a_drive_letter() {
    let image = common::img("shortcuts.img");
    let out = common::stdout(&["links", "--kind", "shortcut", &image]);
    // Same serial: resolved with no --drive; another serial: other_volume.
    assert!(
        out.contains("/Users/alice/Desktop/report.docx.lnk")
            && out.contains("-> resolved: /Users/alice/Documents/report.docx"),
        "{out}"
    );
    assert!(
        out.contains("-> other_volume: on volume 1234-ABCD labelled \"KINGSTON\""),
        "{out}"
    );
    // Ten shell links and two .pif files.
    assert!(out.contains("12 shortcuts"), "{out}");
    // The junction on the way is judged by the drive letter the link
    // recorded with this volume's serial: no --drive needed.
    assert!(
        out.contains("My Documents\\plan.txt (volume 0246-9FF7, fixed) -> resolved: /Users/alice/Documents/plan.txt (record 68, file) after 1 more link"),
        "{out}"
    );
    let dangling = common::stdout(&["links", "--kind", "shortcut", "--dangling", &image]);
    assert!(
        dangling.contains("gone.lnk") && !dangling.contains("via-junction.lnk"),
        "{dangling}"
    );
    assert!(!dangling.contains("report.docx.lnk"), "{dangling}");
}

#[test]
fn jsonl_carries_the_decoded_link() {
    let image = common::img("shortcuts.img");
    let out = common::stdout(&["scan", "--format", "jsonl", &image]);
    let usb = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|r| r["names"][0]["path"] == "/Users/alice/Desktop/usb.lnk")
        .unwrap();
    let s = &usb["shortcut"];
    assert_eq!(s["target"], r"E:\evidence\plan.txt");
    assert_eq!(s["resolution"]["outcome"], "other_volume");
    assert_eq!(
        s["link"]["link_info"]["volume_id"]["drive_serial"],
        "1234-ABCD"
    );
    assert_eq!(
        s["link"]["link_info"]["volume_id"]["volume_label"],
        "KINGSTON"
    );
    // Not a shortcut: the name says so, the content does not.
    let not_a_link = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|r| r["names"][0]["path"] == "/Users/alice/Desktop/not-a-link.lnk")
        .unwrap();
    assert!(not_a_link.get("shortcut").is_none());
}

/// The compatibility links of the profile tree: recognised by path and kind,
/// Cookies' target judged unexpected, Local Settings without its deny entry
/// and My Documents without the system attribute judged unusual; nothing
/// else is a compatibility link.
#[test]
fn compat_links_are_told_apart_and_checked() {
    let manifest = manifest();
    let compat = manifest["compat"].as_object().unwrap();
    let volume = common::open("shortcuts.img", None, false);
    let mut seen = 0;
    for r in common::reports(&volume, false) {
        let path = r
            .names
            .iter()
            .find_map(|n| n.path.clone())
            .unwrap_or_default();
        let kinds: Vec<&str> = r.findings.iter().map(|f| f.kind.as_str()).collect();
        let Some(want) = compat.get(&path) else {
            assert!(r.compat.is_none(), "{path}");
            assert!(
                !kinds.iter().any(|k| k.starts_with("compat")),
                "{path}: {kinds:?}"
            );
            continue;
        };
        seen += 1;
        let c = r
            .compat
            .as_ref()
            .unwrap_or_else(|| panic!("{path}: not recognised"));
        assert_eq!(
            c.as_expected,
            want["as_expected"].as_bool().unwrap(),
            "{path}"
        );
        assert_eq!(
            kinds.contains(&"compat_link_unexpected_target"),
            !c.as_expected,
            "{path}: {kinds:?}"
        );
        let unusual = r
            .findings
            .iter()
            .find(|f| f.kind.as_str() == "compat_link_unusual")
            .map(|f| f.message.as_str());
        match want["unusual"].as_str() {
            None => assert_eq!(unusual, None, "{path}"),
            Some("deny") => assert!(
                unusual.unwrap().contains("does not deny Everyone"),
                "{path}"
            ),
            Some("system") => assert!(unusual.unwrap().ends_with("is not system"), "{path}"),
            Some(other) => panic!("{other}"),
        }
    }
    assert_eq!(seen, compat.len());
    // Cookies: Windows' two targets, by version, with this volume's drive.
    let out = common::stdout(&["scan", "--format", "jsonl", &common::img("shortcuts.img")]);
    let cookies = out
        .lines()
        .find(|l| l.contains("\"/Users/alice/Cookies\""))
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(cookies).unwrap();
    assert_eq!(
        v["compat"]["expected"][1]["target"],
        "C:\\Users\\alice\\AppData\\Local\\Microsoft\\Windows\\INetCookies"
    );
    assert_eq!(
        v["compat"]["expected"][1]["windows"],
        "Windows 8.1 and later"
    );
}

/// `.pif` files are found by their `MICROSOFT PIFEX` heading (one resident,
/// one read from its first cluster) and their program looked for.
#[test]
fn pif_files_are_found_by_content_and_resolved() {
    let manifest = manifest();
    let pifs = manifest["pifs"].as_object().unwrap();
    let reports = reports_on_c();
    let mut found = 0;
    for r in &reports {
        let Some(p) = &r.pif else { continue };
        let path = r.names[0].path.clone().unwrap();
        let want = &pifs[&path];
        assert_eq!(p.program, want["program"].as_str().unwrap(), "{path}");
        assert_eq!(p.resolution.outcome.as_str(), want["outcome"], "{path}");
        assert_eq!(
            p.resolution.path.as_deref(),
            want["path"].as_str(),
            "{path}"
        );
        assert!(p.pif.problems.is_empty(), "{path}: {:?}", p.pif.problems);
        assert!(r.shortcut.is_none());
        found += 1;
    }
    assert_eq!(found, pifs.len());
    let game = reports
        .iter()
        .find(|r| r.names.first().is_some_and(|n| n.name == "game.pif"))
        .unwrap();
    assert_eq!(
        game.pif.as_ref().unwrap().pif.sections,
        ["WINDOWS 386 3.0", "WINDOWS VMM 4.0"]
    );
    let out = common::stdout(&[
        "links",
        "--kind",
        "shortcut",
        "--dangling",
        "--drive",
        "C",
        &common::img("shortcuts.img"),
    ]);
    assert!(
        out.contains(".pif starts: C:\\GAMES\\GAME.EXE (title \"Game\") -> undetermined: GAME.EXE is not in the startup directory"),
        "{out}"
    );
    assert!(!out.contains("EDIT.PIF"), "{out}");
}
