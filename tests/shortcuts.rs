//! Shell links found by their content in `fixtures/shortcuts.img` and resolved
//! in the image: every outcome its manifest expects, through the library, the
//! jsonl and `links --kind shortcut`.

mod common;

use ntfs_links::{Analysis, LinkOptions, Reports, Scan, Tree};

fn expected() -> serde_json::Value {
    let text = std::fs::read_to_string(common::fixture("shortcuts.json")).unwrap();
    serde_json::from_str::<serde_json::Value>(&text).unwrap()["shortcuts"].clone()
}

#[test]
fn every_shortcut_resolves_as_made() {
    let volume = common::open("shortcuts.img", None, false);
    let analysis = Analysis::run(
        &volume,
        Tree::new(Scan::run(&volume, Default::default()).unwrap()),
        Default::default(),
    );
    let reports = Reports::new(&analysis, LinkOptions { drive: Some('C') });
    let expected = expected();
    let expected = expected.as_object().unwrap();
    let mut found = 0;
    for r in reports.iter() {
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
    assert!(out.contains("10 shortcuts"), "{out}");
    // The junction on the way needs the drive letter.
    let dangling = common::stdout(&["links", "--kind", "shortcut", "--dangling", &image]);
    assert!(
        dangling.contains("gone.lnk") && dangling.contains("via-junction.lnk"),
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
