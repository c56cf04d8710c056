//! insta snapshots of every fixture, so that a change to what the tool says about
//! them shows up in review: the `links` report (every hard-link group, every
//! reparse point decoded and resolved, with the volume as C:) and the `snapshot`
//! document (with record numbers). Review changes with `cargo insta review`; CI
//! runs `cargo insta test --check --unreferenced=reject`.

mod common;

use common::*;
use ntfs_links::verify::{SnapshotOptions, snapshot};
use ntfs_links::{Analysis, LinkOptions, Reports, Scan, Tree, Volume};
use std::path::Path;

/// The volumes of a fixture image: both NTFS partitions of the GPT disk.
fn volumes(path: &Path) -> Vec<(String, Volume)> {
    let file = path.file_name().unwrap().to_str().unwrap();
    let partitions: &[Option<usize>] = if file == "disk-gpt.img" {
        &[Some(2), Some(3)]
    } else {
        &[None]
    };
    partitions
        .iter()
        .map(|&p| {
            let label = p.map_or_else(String::new, |p| format!("partition {p}"));
            (label, open(file, p, false))
        })
        .collect()
}

/// Runs the pipeline on `volume` with the drive letter C: and hands the reports to `f`.
fn with_reports<T>(volume: &Volume, f: impl FnOnce(&Reports<'_>) -> T) -> T {
    let scan = Scan::run(volume, Default::default()).unwrap();
    let analysis = Analysis::run(volume, Tree::new(scan), Default::default());
    f(&Reports::new(&analysis, LinkOptions { drive: Some('C') }))
}

#[test]
fn links_of_every_fixture() {
    insta::glob!("../fixtures", "*.img", |path| {
        let mut text = Vec::new();
        for (label, volume) in volumes(path) {
            if !label.is_empty() {
                text.extend(format!("# {label}\n").bytes());
            }
            with_reports(&volume, |reports| {
                ntfs_links::output::write_links(reports.iter(), Default::default(), &mut text)
                    .unwrap()
            });
        }
        insta::assert_snapshot!(String::from_utf8(text).unwrap());
    });
}

#[test]
fn snapshot_of_every_fixture() {
    insta::glob!("../fixtures", "*.img", |path| {
        let snaps: Vec<_> = volumes(path)
            .into_iter()
            .map(|(_, volume)| {
                with_reports(&volume, |reports| {
                    snapshot(reports, SnapshotOptions { records: true })
                })
            })
            .collect();
        insta::assert_yaml_snapshot!(snaps);
    });
}
