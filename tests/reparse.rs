//! Reparse points on the fixture image: every kind decoded as its buffer was
//! written (fixtures/reparse.json, from fixtures/build.py), every name of every
//! link resolved as intended, the cross-checks raising findings on damage.

mod common;

use common::*;
use ntfs_links::{FindingKind, LinkOptions, RecordReport};
use std::collections::BTreeMap;

fn reports_with(drive: Option<char>) -> Vec<RecordReport> {
    reports_of("reparse.img", drive)
}

fn reports_of(image: &str, drive: Option<char>) -> Vec<RecordReport> {
    let volume = open(image, None, false);
    common::reports_with(
        &volume,
        Default::default(),
        Default::default(),
        LinkOptions { drive },
    )
}

fn by_path(reports: &[RecordReport]) -> BTreeMap<String, (&RecordReport, &ntfs_links::NameReport)> {
    reports
        .iter()
        .flat_map(|r| r.names.iter().map(move |n| (n, r)))
        .filter_map(|(n, r)| n.path.clone().map(|p| (p, (r, n))))
        .collect()
}

#[test]
fn every_reparse_point_decodes_as_written() {
    let truth = manifest("reparse");
    let reports = reports_with(Some('C'));
    let paths = by_path(&reports);
    assert!(truth.reparse.len() >= 45, "the fixture covers every kind");
    for (path, t) in &truth.reparse {
        let (r, _) = paths[path.as_str()];
        let rp = r
            .reparse
            .as_ref()
            .unwrap_or_else(|| panic!("{path} has a reparse point"));
        let got = serde_json::to_value(rp).unwrap();
        for (key, want) in &t.expect {
            match key.as_str() {
                "malformed" => assert!(rp.malformed.is_some(), "{path} is malformed"),
                _ => assert_eq!(&got[key], want, "{path}: {key} in {got}"),
            }
        }
        assert_eq!(r.is_dir, t.is_dir, "{path}: directory or not");
    }
    // Every reparse point of the image is in the manifest.
    let reported = reports.iter().filter(|r| r.reparse.is_some()).count();
    assert_eq!(reported, truth.reparse.len());
}

/// Every name of every link leads where its manifest says: the reparse
/// fixture's links of every outcome, the random tree's links (junctions,
/// symlinks relative and absolute, to nothing, chained through others, drawn
/// by `build.py`'s own generator and worked out there), and the profile's
/// compatibility links.
#[test]
fn every_name_of_every_link_leads_where_it_should() {
    for (name, least) in [("reparse", 20), ("random-1", 10), ("shortcuts", 7)] {
        let checked = links_lead_where_the_manifest_says(name);
        assert!(checked >= least, "{name}: {checked} names checked");
    }
}

fn links_lead_where_the_manifest_says(name: &str) -> usize {
    let truth = manifest(name);
    let reports = reports_of(&format!("{name}.img"), Some('C'));
    let paths = by_path(&reports);
    let mut checked = 0;
    for t in truth.reparse.values() {
        for (name_path, want) in &t.outcomes {
            let (_, n) = paths[name_path.as_str()];
            let res = n
                .resolution
                .as_ref()
                .unwrap_or_else(|| panic!("{name_path} resolved"));
            let got = serde_json::to_value(res).unwrap();
            assert_eq!(got["outcome"], want["outcome"], "{name_path}: {got}");
            for key in ["path", "hops"] {
                if let Some(v) = want.get(key) {
                    assert_eq!(&got[key], v, "{name_path}: {key} in {got}");
                }
            }
            checked += 1;
        }
    }
    checked
}

#[test]
fn absolute_targets_need_the_drive_letter() {
    let reports = reports_with(None);
    let paths = by_path(&reports);
    let res = |p: &str| paths[p].1.resolution.clone().unwrap();
    for p in ["/junction", "/sym-abs", "/lx-mnt"] {
        let r = res(p);
        assert_eq!(r.outcome, ntfs_links::Outcome::Undetermined, "{p}");
        assert!(
            r.reason.unwrap().contains("--drive"),
            "{p} says how to judge it"
        );
    }
    // Relative and rooted targets need no drive.
    assert_eq!(res("/sym-rooted").outcome, ntfs_links::Outcome::Resolved);
    assert_eq!(res("/dirA/rel").outcome, ntfs_links::Outcome::Resolved);
    // With another letter, C: targets are another volume and D: is this one.
    let d = reports_with(Some('D'));
    let paths = by_path(&d);
    assert_eq!(
        paths["/junction"].1.resolution.as_ref().unwrap().outcome,
        ntfs_links::Outcome::OtherVolume
    );
    assert_eq!(
        paths["/junction-other-drive"]
            .1
            .resolution
            .as_ref()
            .unwrap()
            .outcome,
        ntfs_links::Outcome::Dangling
    );
}

#[test]
fn reparse_flag_and_name_tag_cross_checks() {
    let truth = manifest("reparse");
    let rec = |p: &str| truth.files.iter().find(|f| f.path == p).unwrap().record;
    let mut bytes = std::fs::read(fixture("reparse.img")).unwrap();
    // /sym-abs: $STANDARD_INFORMATION loses its reparse flag.
    let a = rec("/sym-abs");
    patch_record(&mut bytes, a, |r| {
        let v = value_offset(r, attribute_offset(r, 0x10, 0));
        r[v + 33] &= !0x04;
    });
    // /sym-rooted: its $FILE_NAME claims another tag.
    let b = rec("/sym-rooted");
    patch_record(&mut bytes, b, |r| {
        let v = value_offset(r, attribute_offset(r, 0x30, 0));
        r[v + 57] |= 0x04;
        r[v + 60..v + 64].copy_from_slice(&0xA000_0003u32.to_le_bytes());
    });
    // /chain-2: its reparse tag changes, so $R no longer matches it.
    let c = rec("/chain-2");
    patch_record(&mut bytes, c, |r| {
        let v = value_offset(r, attribute_offset(r, 0xC0, 0));
        r[v..v + 4].copy_from_slice(&0xA000_001Du32.to_le_bytes());
    });
    let reports = reports_of_bytes(bytes, false);
    let kinds = |n: u64| {
        record(&reports, n)
            .findings
            .iter()
            .map(|f| f.kind)
            .collect::<Vec<_>>()
    };
    assert_eq!(kinds(a), [FindingKind::ReparseFlagMismatch]);
    assert_eq!(kinds(b), [FindingKind::NameReparseTagMismatch]);
    assert!(
        kinds(c).contains(&FindingKind::ReparseIndexMissing),
        "{:?}",
        kinds(c)
    );
    // $R keeps the old tag: an entry that names no such reparse point, on $Reparse.
    let paths = by_path(&reports);
    let (reparse_file, _) = paths["/$Extend/$Reparse"];
    let stale: Vec<_> = reparse_file
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::ReparseIndexStale)
        .collect();
    assert_eq!(stale.len(), 1, "{:?}", reparse_file.findings);
    assert!(
        stale[0].message.contains(&format!("record {c}-")),
        "{}",
        stale[0].message
    );
}

#[test]
fn a_non_resident_reparse_buffer_is_read_from_its_clusters() {
    let truth = manifest("reparse");
    let n = truth
        .files
        .iter()
        .find(|f| f.path == "/sym-long")
        .unwrap()
        .record;
    let volume = open("reparse.img", None, false);
    let (buf, _) = volume.read_record(n).unwrap();
    let view = ntfs_links::record::RecordView::new(&buf).unwrap();
    assert!(
        !view
            .attributes()
            .flatten()
            .find(|a| a.type_code() == 0xC0)
            .unwrap()
            .is_resident()
    );
    let reports = reports_with(None);
    let rp = record(&reports, n).reparse.clone().unwrap();
    assert_eq!(
        (rp.kind.as_str(), rp.data_length, rp.malformed.as_deref()),
        ("symlink", 15012, None)
    );
    assert!(
        rp.substitute_name()
            .unwrap()
            .ends_with(r"\level-149-of-a-deep-tree")
    );
}

/// Names are compared by the volume's own `$UpCase` table: with the entry
/// for `a` patched to `a` itself, `/DIR1/A.TXT` no longer finds `a.txt`,
/// while other letters still fold; exact case still finds it.
#[test]
fn lookups_fold_case_by_the_volumes_upcase_table() {
    use ntfs_links::record::AttributeType;
    let path = common::fixture("c512.img");
    let volume = ntfs_links::open(&path, Default::default()).unwrap();
    let tree = ntfs_links::Tree::new(ntfs_links::Scan::run(&volume, Default::default()).unwrap());
    assert!(tree.scan().has_volume_upcase());
    let a = tree.lookup("/dir1/a.txt").unwrap();
    assert_eq!(tree.lookup("/DIR1/A.TXT"), Some(a));
    // Where the table's entry for `a` is on disk.
    let records = volume
        .read_with_extensions(10, |t| t == AttributeType::DATA, 1 << 20)
        .unwrap();
    let attr = records[0]
        .attributes()
        .find(|a| a.type_code() == AttributeType::DATA && a.name().is_empty())
        .unwrap();
    let run = attr.runs().unwrap().next().unwrap().unwrap();
    let cluster = volume.geometry().cluster_size;
    let at = (run.lcn.unwrap() * cluster) as usize + 2 * 0x61;
    let mut bytes = std::fs::read(&path).unwrap();
    assert_eq!(&bytes[at..at + 2], &[0x41, 0]);
    bytes[at] = 0x61;
    let volume = ntfs_links::Volume::open(ntfs_links::Image::from_bytes(bytes), 0).unwrap();
    let tree = ntfs_links::Tree::new(ntfs_links::Scan::run(&volume, Default::default()).unwrap());
    assert_eq!(tree.lookup("/DIR1/A.TXT"), None, "a no longer folds to A");
    assert_eq!(
        tree.lookup("/DIR1/a.TXT"),
        Some(a),
        "the other letters still fold"
    );
    assert_eq!(tree.lookup("/dir1/a.txt"), Some(a));
}
