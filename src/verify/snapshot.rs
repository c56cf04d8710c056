//! A deterministic, sorted picture of an image's link structure, for golden files
//! and insta: hard-link groups, reparse points decoded and resolved (and
//! whether Windows made them for compatibility), shortcuts and where they
//! lead, findings. No timestamps, LSNs or serial numbers; record numbers only
//! when asked. Keys are only added to the layout: `shortcuts` and `compat`
//! appear only when an image has some.

use crate::analysis::CompatLink;
use crate::links::{Reports, Resolution};
use crate::reparse::ReparsePoint;
use serde::Serialize;

/// Version of the snapshot's layout; it changes when the layout does.
pub const SCHEMA: u32 = 1;

/// What a snapshot includes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SnapshotOptions {
    /// Include record numbers (they change when an image is built in another order).
    pub records: bool,
}

/// The snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    /// [`SCHEMA`].
    pub schema: u32,
    /// Records with more than one hard link, by first path.
    pub hard_links: Vec<HardLinkGroup>,
    /// Reparse points (and Interix symlinks), by first path.
    pub reparse_points: Vec<ReparseEntry>,
    /// Shell links (`.lnk`) and `.pif` files, found by their content, by
    /// first path.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shortcuts: Vec<ShortcutEntry>,
    /// Every finding, by path.
    pub findings: Vec<FindingEntry>,
}

/// One hard-link group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HardLinkGroup {
    /// Record number, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
    /// Its hard links, sorted.
    pub paths: Vec<String>,
}

/// One reparse point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReparseEntry {
    /// Record number, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
    /// Its hard links, sorted.
    pub paths: Vec<String>,
    /// A directory or not.
    pub is_dir: bool,
    /// Decoded.
    pub reparse: ReparsePoint,
    /// Where each name leads (links only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resolutions: Vec<NamedResolution>,
    /// When it is one of Windows' compatibility links.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compat: Option<CompatLink>,
}

/// One shell link: what it names and where that leads, without the times,
/// serials and machine ids it recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShortcutEntry {
    /// Record number, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
    /// Its hard links, sorted.
    pub paths: Vec<String>,
    /// The path it names.
    pub target: Option<String>,
    /// Its arguments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arguments: Option<String>,
    /// Its working directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<String>,
    /// Where it leads in this image.
    pub resolution: Resolution,
}

/// The resolution through one name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamedResolution {
    /// The path of the name the link is reached through.
    pub through: String,
    /// Where it leads.
    #[serde(flatten)]
    pub resolution: Resolution,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingEntry {
    /// First path of the record, or `record N` when it has none.
    pub path: String,
    /// The finding's kind.
    pub kind: crate::scan::FindingKind,
    /// Its message.
    pub message: String,
}

/// The snapshot of what `reports` report.
///
/// ```
/// use ntfs_links::{Analysis, Reports, Scan, Tree};
/// # let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/c512.img");
/// let volume = ntfs_links::open(path, Default::default())?;
/// let scan = Scan::run(&volume, Default::default())?;
/// let analysis = Analysis::run(&volume, Tree::new(scan), Default::default());
/// let reports = Reports::new(&analysis, Default::default());
/// let snap = ntfs_links::verify::snapshot(&reports, Default::default());
/// assert_eq!(snap.schema, 1);
/// assert_eq!(snap.hard_links[0].paths, ["/dir1/a.txt", "/dir2/b.txt", "/dir2/sub/c.txt"]);
/// // In a test: insta::assert_yaml_snapshot!(snap);
/// # Ok::<(), ntfs_links::Error>(())
/// ```
pub fn snapshot(reports: &Reports<'_>, options: SnapshotOptions) -> Snapshot {
    let mut snap = Snapshot {
        schema: SCHEMA,
        hard_links: Vec::new(),
        reparse_points: Vec::new(),
        shortcuts: Vec::new(),
        findings: Vec::new(),
    };
    let record = |n: u64| options.records.then_some(n);
    for r in reports.iter() {
        let mut paths: Vec<String> = r.hard_links().filter_map(|n| n.path.clone()).collect();
        paths.sort();
        if paths.len() > 1 {
            snap.hard_links.push(HardLinkGroup {
                record: record(r.record),
                paths: paths.clone(),
            });
        }
        if let Some(reparse) = r.reparse.clone() {
            let mut resolutions: Vec<NamedResolution> = r
                .hard_links()
                .filter_map(|n| {
                    let mut resolution = n.resolution.clone()?;
                    if !options.records {
                        resolution.record = None;
                    }
                    Some(NamedResolution {
                        through: n.path.clone()?,
                        resolution,
                    })
                })
                .collect();
            resolutions.sort_by(|a, b| a.through.cmp(&b.through));
            snap.reparse_points.push(ReparseEntry {
                record: record(r.record),
                paths: paths.clone(),
                is_dir: r.is_dir,
                reparse,
                resolutions,
                compat: r.compat.clone(),
            });
        }
        if let Some(resolution) = r.shortcut_resolution() {
            let mut resolution = resolution.clone();
            if !options.records {
                resolution.record = None;
            }
            let (arguments, working_dir) = match (&r.shortcut, &r.pif) {
                (Some(s), _) => (
                    s.link.strings.arguments.clone(),
                    s.link.strings.working_dir.clone(),
                ),
                (None, Some(p)) => (p.pif.parameters.clone(), p.pif.working_dir.clone()),
                (None, None) => (None, None),
            };
            snap.shortcuts.push(ShortcutEntry {
                record: record(r.record),
                paths: paths.clone(),
                target: r.shortcut_target().map(str::to_owned),
                arguments,
                working_dir,
                resolution,
            });
        }
        let at = paths
            .first()
            .cloned()
            .unwrap_or_else(|| format!("record {}", r.record));
        for f in r.findings {
            snap.findings.push(FindingEntry {
                path: at.clone(),
                kind: f.kind,
                message: f.message,
            });
        }
    }
    snap.hard_links.sort_by(|a, b| a.paths.cmp(&b.paths));
    snap.reparse_points.sort_by(|a, b| a.paths.cmp(&b.paths));
    snap.shortcuts.sort_by(|a, b| a.paths.cmp(&b.paths));
    snap.findings
        .sort_by(|a, b| (&a.path, a.kind, &a.message).cmp(&(&b.path, b.kind, &b.message)));
    snap
}
