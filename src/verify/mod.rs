//! The test harness: expectations checked against an image, the bless step that
//! writes them, and a deterministic snapshot of the link structure. The
//! expectations (TOML files) need the `formats` feature (on by default); the
//! snapshot does not. An example is at [`verify()`].

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
    Checking, Expectation, Expectations, ExpectationsOut, HardLink, Junction, LinkCount,
    NoDangling, Nothing, Only, PathOnly, Reparse, Settings, Symlink, TagValue, parse_drive,
};
pub use snapshot::{
    FindingEntry, HardLinkGroup, NamedResolution, ReparseEntry, SCHEMA, Snapshot, SnapshotOptions,
    snapshot,
};
