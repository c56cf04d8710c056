//! The pattern to copy into your own tests: open an image your build produced,
//! snapshot its link structure with insta, and check expectations from Rust.
//!
//! ```toml
//! [dev-dependencies]
//! ntfs-links = "0.1"
//! insta = { version = "1", features = ["yaml"] }
//! ```

use ntfs_links::verify::{Expectations, snapshot, verify};
use ntfs_links::{Analysis, LinkOptions, Reports, Scan, Tree};

fn image() -> std::path::PathBuf {
    // Yours: the image your build wrote, e.g. target/disk.img.
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/reparse.img")
}

#[test]
fn link_structure_matches_the_golden_snapshot() {
    let volume = ntfs_links::open(image(), Default::default()).unwrap();
    let scan = Scan::run(&volume, Default::default()).unwrap();
    let analysis = Analysis::run(&volume, Tree::new(scan), Default::default());
    let reports = Reports::new(&analysis, LinkOptions { drive: Some('C') });
    insta::assert_yaml_snapshot!(snapshot(&reports, Default::default()));
}

#[test]
fn links_are_what_the_build_meant() {
    let volume = ntfs_links::open(image(), Default::default()).unwrap();
    let scan = Scan::run(&volume, Default::default()).unwrap();
    let analysis = Analysis::run(&volume, Tree::new(scan), Default::default());
    let reports = Reports::new(&analysis, LinkOptions { drive: Some('C') });
    let expectations = Expectations::from_toml(
        r#"
        [[junction]]
        path = "/junction"
        target = 'C:\target'
        resolves_to = "/target"

        [[symlink]]
        path = "/dirA/rel"
        target = '..\target\file.txt'
        relative = true

        [[hardlink]]
        paths = ["/dirA/rel", "/dirB/sub/rel-too"]
        "#,
    )
    .unwrap();
    let result = verify(&reports, &expectations);
    assert!(
        result.is_ok(),
        "{:#?}",
        result
            .checks
            .iter()
            .filter(|c| !c.passed)
            .collect::<Vec<_>>()
    );
}
