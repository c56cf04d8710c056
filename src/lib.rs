//! # ntfs-links
//!
//! Reads raw NTFS volume images directly, without mounting them: walks every MFT
//! record, resolves every hard-link name to its full path, and reports streams,
//! reparse points and every inconsistency found on the way as *findings*.
//!
//! ## Getting started
//! 1. [`Image::open`] a file (memory-mapped, or positioned reads), and find the
//!    volume in it with [`image::locate_volume`] (MBR and GPT disks).
//! 2. [`Volume::open`] reads the boot sector and maps the $MFT, however fragmented.
//! 3. [`Scan::run`] walks every record in parallel.
//! 4. [`Scan::reports`] gives one [`RecordReport`] per file: names with paths,
//!    streams, reparse point, findings: what `ntfs-links scan --format jsonl` prints.
//!
//! ```
//! use ntfs_links::{Image, Scan, ScanOptions, Volume};
//! # let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/basic.img");
//! let image = Image::open(path, Default::default())?;
//! let offset = ntfs_links::image::locate_volume(&image, None, None)?;
//! let volume = Volume::open(image, offset)?;
//! let scan = Scan::run(&volume, ScanOptions::default())?;
//! let root = scan.reports().find(|r| r.record == 5).unwrap();
//! assert_eq!(root.names[0].path.as_deref(), Some("/"));
//! for report in scan.reports().filter(|r| r.is_multi_link()) {
//!     let paths: Vec<_> = report.hard_links().filter_map(|n| n.path.as_deref()).collect();
//!     println!("record {}: {}", report.record, paths.join(", "));
//! }
//! # Ok::<(), ntfs_links::Error>(())
//! ```
//!
//! ## Layers
//! Data flows one way: [`image`] (bytes, partitions) → [`volume`] (boot sector,
//! $MFT map) → [`record`] (fixups, record and attribute views, runs, attribute
//! lists) → [`attribute`] (structured values) → [`scan`] (the parallel walk) →
//! [`tree`] (paths) → [`links`] (reports) → [`output`] (text, json, jsonl).
//!
//! The image is never written to. No input makes the library panic: a damaged
//! record becomes a [`Finding`] on that record, an unusable volume an [`Error`].

#![warn(missing_docs)]

pub mod attribute;
mod bytes;
pub mod error;
pub mod image;
pub mod links;
pub mod output;
pub mod record;
pub mod reparse;
pub mod scan;
pub mod tree;
pub mod verify;
pub mod volume;

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

pub use error::{Error, RecordError, Result};
pub use image::{Image, ImageOptions};
pub use links::{Analysis, LinkOptions, NameReport, Outcome, RecordReport, Resolution, Times};
pub use reparse::ReparsePoint;
pub use scan::{Finding, FindingKind, Record, Scan, ScanOptions};
pub use volume::Volume;

/// The name a unit enum variant has in json (`link_count_mismatch`, `resolved`).
pub(crate) fn variant_name(v: impl serde::Serialize) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Opens the NTFS volume in the image at `path`: at `offset` when given, else at
/// byte 0 or in the NTFS partition of an MBR or GPT disk (`partition`, 1-based,
/// when there are several).
pub fn open(
    path: impl AsRef<std::path::Path>,
    options: ImageOptions,
    offset: Option<u64>,
    partition: Option<usize>,
) -> Result<Volume> {
    let image = Image::open(path, options)?;
    let offset = image::locate_volume(&image, offset, partition)?;
    Volume::open(image, offset)
}
