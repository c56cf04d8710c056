//! # ntfs-links
//!
//! Reads raw NTFS volume images directly, without mounting them: walks every MFT
//! record, resolves every hard-link name to its full path, and reports streams,
//! reparse points and every inconsistency found on the way as *findings*.
//!
//! ## Getting started
//! 1. [`open`] an image file (memory-mapped, or positioned reads; the volume
//!    found in an MBR or GPT disk) into a [`Volume`]: boot sector read, $MFT
//!    mapped however fragmented.
//! 2. [`Scan::run`] walks every record in parallel into compact tables.
//! 3. [`Tree::new`] resolves every directory's path once.
//! 4. [`Analysis::run`] makes every check, once, into one table of findings.
//! 5. [`Reports`] give one [`RecordReport`] per file: names with paths, streams,
//!    reparse point with its links resolved, findings: what
//!    `ntfs-links scan --format jsonl` prints.
//!
//! ```
//! use ntfs_links::{Analysis, Reports, Scan, Tree};
//! # let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/c512.img");
//! let volume = ntfs_links::open(path, Default::default())?;
//! let scan = Scan::run(&volume, Default::default())?;
//! let analysis = Analysis::run(&volume, Tree::new(scan), Default::default());
//! let reports = Reports::new(&analysis, Default::default());
//! let root = reports.iter().find(|r| r.record == 5).unwrap();
//! assert_eq!(root.names[0].path.as_deref(), Some("/"));
//! for report in reports.iter().filter(|r| r.is_multi_link()) {
//!     let paths: Vec<_> = report.hard_links().filter_map(|n| n.path.as_deref()).collect();
//!     println!("record {}: {}", report.record, paths.join(", "));
//! }
//! # Ok::<(), ntfs_links::Error>(())
//! ```
//!
//! ## Layers
//! Data flows one way, each stage its own type in its own module, and no module
//! imports one after it: [`image`] (bytes, partitions) → [`record`] (fixups,
//! record and attribute views, runs, attribute lists) → [`attribute`] (structured
//! values) → [`volume`] (boot sector, $MFT map, what `info` shows) → [`index`]
//! (one reader for every index) and [`detail`] (one record in full, for `stat`)
//! → [`reparse`] and [`shortcut`] (decoders) → [`content`] (any stream's bytes:
//! sparse, LZNT1, WOF) → [`scan`] ([`Scan`]: the parallel walk's tables) →
//! [`tree`] ([`Tree`]: paths) → [`analysis`] ([`Analysis`]: every check) →
//! [`links`] ([`Reports`]: links and shortcuts resolved) → [`extract`],
//! [`verify`] → [`output`] (printers).
//!
//! The image is never written to. No input makes the library panic: a damaged
//! record becomes a [`Finding`] on that record, an unusable volume an [`Error`].

#![warn(missing_docs)]
// Every byte read comes from an untrusted image: checked accessors only, never
// `[]`, outside the printers (`output`, which index their own strings) and tests.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

/// Gives an enum of unit variants one name per variant, used everywhere it is
/// shown: `as_str`, `Display`, and a `Serialize` that writes the name.
macro_rules! named_variants {
    ($ty:ident { $($variant:ident => $name:literal),* $(,)? }) => {
        impl $ty {
            /// The name used in every output (`snake_case`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $name,)*
                }
            }
        }
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use named_variants;

pub mod analysis;
pub mod attribute;
mod bytes;
pub mod content;
pub mod detail;
pub mod error;
pub mod extract;
pub mod image;
pub mod index;
pub mod links;
#[allow(clippy::indexing_slicing)]
pub mod output;
pub mod record;
pub mod reparse;
pub mod scan;
pub mod security;
pub mod shortcut;
#[cfg(test)]
mod testing;
pub mod text;
pub mod tree;
pub mod verify;
pub mod volume;

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

pub use analysis::{Analysis, AnalysisOptions};
pub use error::{Error, RecordError, Result};
pub use image::{Image, ImageOptions, Location};
pub use links::{LinkOptions, NameReport, Outcome, RecordReport, Reports, Resolution, Times};
pub use reparse::ReparsePoint;
pub use scan::{Finding, FindingKind, Record, Scan, ScanOptions};
pub use tree::Tree;
pub use volume::Volume;

/// How [`open`] reads an image and where it finds the volume.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct OpenOptions {
    /// How the file is read.
    pub image: ImageOptions,
    /// Where the volume is.
    pub location: Location,
}

impl OpenOptions {
    /// Read with positioned reads instead of a memory map.
    pub fn no_mmap(mut self, on: bool) -> OpenOptions {
        self.image.no_mmap = on;
        self
    }
    /// The volume is where `location` says.
    pub fn location(mut self, location: Location) -> OpenOptions {
        self.location = location;
        self
    }
    /// The volume is at this byte offset.
    pub fn offset(mut self, offset: u64) -> OpenOptions {
        self.location = Location::Offset(offset);
        self
    }
    /// The volume is the partition of this number (1-based).
    pub fn partition(mut self, index: usize) -> OpenOptions {
        self.location = Location::Partition(index);
        self
    }
}

/// Opens the NTFS volume in the image at `path`: at byte 0, or in the NTFS
/// partition of an MBR or GPT disk, or where `options` says.
///
/// ```no_run
/// let volume = ntfs_links::open("disk.img", ntfs_links::OpenOptions::default().partition(2))?;
/// # Ok::<(), ntfs_links::Error>(())
/// ```
pub fn open(path: impl AsRef<std::path::Path>, options: OpenOptions) -> Result<Volume> {
    let image = Image::open(path, options.image)?;
    let offset = image::locate_volume(&image, options.location)?;
    Volume::open(image, offset)
}
