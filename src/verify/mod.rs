//! The test harness: expectations checked against an image, the bless step that
//! writes them, and a deterministic snapshot of the link structure. The
//! expectations (TOML files) need the `formats` feature (on by default); the
//! snapshot does not.
//!
//! ```
//! use ntfs_links::verify::{Expectations, verify};
//! use ntfs_links::{Analysis, Reports, Scan, Tree};
//! # let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/c512.img");
//! let volume = ntfs_links::open(path, Default::default())?;
//! let scan = Scan::run(&volume, Default::default())?;
//! let analysis = Analysis::run(&volume, Tree::new(scan), Default::default());
//! let reports = Reports::new(&analysis, Default::default());
//! let expect = Expectations::from_toml(r#"
//!     [[hardlink]]
//!     paths = ["/dir1/a.txt", "/dir2/b.txt", "/dir2/sub/c.txt"]
//!     [[absent]]
//!     path = "/gone.txt"
//! "#)?;
//! let result = verify(&reports, &expect);
//! assert!(result.is_ok(), "{result:?}");
//! # Ok::<(), ntfs_links::Error>(())
//! ```

#[cfg(feature = "formats")]
mod bless;
#[cfg(feature = "formats")]
mod check;
#[cfg(feature = "formats")]
mod expectations;
mod snapshot;

#[cfg(feature = "formats")]
pub use bless::bless;
#[cfg(feature = "formats")]
pub use check::{Check, Failure, Verification, verify};
#[cfg(feature = "formats")]
pub use expectations::{
    Expectation, Expectations, ExpectationsOut, HardLink, Junction, LinkCount, Nothing, PathOnly,
    Reparse, Symlink, TagValue,
};
pub use snapshot::{
    FindingEntry, HardLinkGroup, NamedResolution, ReparseEntry, SCHEMA, Snapshot, SnapshotOptions,
    snapshot,
};
