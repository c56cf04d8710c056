//! insta YAML snapshots of every decoded reparse point and its resolution (with
//! the volume as C:), for every fixture. Review changes with `cargo insta review`;
//! CI runs `cargo insta test --check --unreferenced=reject`.

mod common;

use common::*;
use ntfs_links::{LinkOptions, ReparsePoint, Resolution};
use serde::Serialize;

#[derive(Serialize)]
struct Link {
    record: u64,
    is_dir: bool,
    reparse: ReparsePoint,
    names: Vec<NameTo>,
}

#[derive(Serialize)]
struct NameTo {
    path: Option<String>,
    resolution: Option<Resolution>,
}

fn links(image: &str, partition: Option<usize>) -> Vec<Link> {
    let volume = open(image, partition, false);
    let drive = LinkOptions { drive: Some('C') };
    reports_with(&volume, Default::default(), Default::default(), drive)
        .into_iter()
        .filter_map(|r| {
            let reparse = r.reparse?;
            let names = r
                .names
                .into_iter()
                .map(|n| NameTo {
                    path: n.path,
                    resolution: n.resolution,
                })
                .collect();
            Some(Link {
                record: r.record,
                is_dir: r.is_dir,
                reparse,
                names,
            })
        })
        .collect()
}

#[test]
fn reparse_points_of_every_fixture() {
    for entry in std::fs::read_dir(fixture("")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "img") {
            continue;
        }
        let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let partitions: &[Option<usize>] = if name == "disk-gpt" {
            &[Some(2), Some(3)]
        } else {
            &[None]
        };
        for &p in partitions {
            let snap = match p {
                Some(p) => format!("{name}-partition-{p}"),
                None => name.clone(),
            };
            insta::assert_yaml_snapshot!(snap, links(&format!("{name}.img"), p));
        }
    }
}
