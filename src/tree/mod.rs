//! Names to paths: parent chains, memoized per directory, with cycles and broken
//! parents detected.
//!
//! Every directory's path is resolved once (iteratively, so a deep tree cannot
//! overflow the stack) and kept; a name's path is its parent directory's path and
//! the name. The whole resolution is linear in the number of records.
//!
//! A directory's path is built from its first name that is not a DOS 8.3 alias
//! (its only name when it has just a DOS one). Every name of a file gets a path of
//! its own: each hard link, and the DOS alias too.

mod lookup;

pub use lookup::{Found, Located, parse_number};

use crate::attribute::Namespace;
use crate::record::FileReference;
use crate::record::RecordFlags;
use crate::record::well_known::ROOT;
use crate::scan::{Finding, FindingKind, Name, RecordEntry, RecordState, Scan};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// The virtual folder of deleted names whose parent is gone, as sleuthkit names it.
pub const ORPHAN_DIR: &str = "/$OrphanFiles";
/// Most deleted directories climbed through for one name (a loop ends here).
const MAX_DEPTH: usize = 4096;

/// Whether `path` is `dir` or lies under it, both as reports write paths
/// (`/` lies over everything).
pub fn is_under(path: &str, dir: &str) -> bool {
    dir == "/"
        || path == dir
        || (path.starts_with(dir) && path.as_bytes().get(dir.len()) == Some(&b'/'))
}

/// The sequence number NTFS gives a record when it frees it: one more, skipping 0.
pub fn next_sequence(s: u16) -> u16 {
    match s.wrapping_add(1) {
        0 => 1,
        n => n,
    }
}

/// Why a name has no path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathError {
    /// `ParentMissing`, `ParentSequenceMismatch`, `ParentNotDirectory`, `ParentCycle`
    /// or `AncestorUnresolved`.
    pub kind: FindingKind,
    /// The record whose parent reference is broken.
    pub record: u64,
    /// The parent reference it holds.
    pub parent: FileReference,
    /// The sequence number the parent record has now.
    pub found_sequence: u16,
}

impl PathError {
    /// The finding for a name `name` that has no path because of this.
    pub fn to_finding(&self, name: &str) -> Finding {
        let p = self.parent;
        let message = match self.kind {
            FindingKind::ParentSequenceMismatch => format!(
                "name {name:?}: parent record {} has sequence {}, the name expects {} (the directory was deleted and its record reused)",
                p.record, self.found_sequence, p.sequence
            ),
            FindingKind::ParentNotDirectory => format!(
                "name {name:?}: parent record {} is not a directory",
                p.record
            ),
            FindingKind::ParentCycle => format!(
                "name {name:?}: the parent chain loops at record {}",
                self.record
            ),
            FindingKind::AncestorUnresolved => format!(
                "name {name:?}: the path of ancestor record {} cannot be resolved (its parent {} is broken)",
                self.record, p.record
            ),
            _ => format!(
                "name {name:?}: parent record {} is missing or not in use",
                p.record
            ),
        };
        Finding::new(self.kind, message)
    }
}

#[derive(Debug)]
enum Slot {
    Pending,
    Done(Box<str>),
    Failed(PathError),
}

/// A hasher for record numbers: a multiply and a shift. The keys are distinct
/// directory record numbers below the record count, which a crafted image cannot
/// make collide in bulk.
#[derive(Debug, Default)]
pub(crate) struct RecordHasher(u64);

impl Hasher for RecordHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (n ^ (n >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// The memoized paths of directories ("" for the root).
#[derive(Debug, Default)]
struct DirPaths {
    memo: HashMap<u64, Slot, BuildHasherDefault<RecordHasher>>,
}

impl DirPaths {
    /// Resolves the path of every in-use directory of `scan`.
    fn resolve(scan: &Scan) -> DirPaths {
        let mut paths = DirPaths::default();
        for (n, rec) in (0..scan.count).filter_map(|n| Some((n, scan.entry(n)?))) {
            if rec
                .flags
                .contains(RecordFlags::IN_USE | RecordFlags::DIRECTORY)
                && rec.base == 0
            {
                paths.dir(scan, n);
            }
        }
        paths
    }

    /// Resolves the path of directory `d` and of its ancestors, once each.
    fn dir(&mut self, scan: &Scan, d: u64) {
        let mut chain: Vec<(u64, String)> = Vec::new();
        let mut cur = d;
        let outcome: Result<String, PathError> = loop {
            if cur == ROOT {
                break Ok(String::new());
            }
            match self.memo.get(&cur) {
                Some(Slot::Done(p)) => break Ok(p.to_string()),
                Some(Slot::Failed(e)) => break Err(*e),
                Some(Slot::Pending) => {
                    let parent = FileReference {
                        record: cur,
                        sequence: 0,
                    };
                    break Err(PathError {
                        kind: FindingKind::ParentCycle,
                        record: cur,
                        parent,
                        found_sequence: 0,
                    });
                }
                None => {}
            }
            let Some(name) = scan.record(cur).and_then(|r| preferred_name(&r)) else {
                let parent = FileReference {
                    record: cur,
                    sequence: 0,
                };
                break Err(PathError {
                    kind: FindingKind::ParentMissing,
                    record: cur,
                    parent,
                    found_sequence: 0,
                });
            };
            self.memo.insert(cur, Slot::Pending);
            chain.push((cur, name.to_string_lossy()));
            if let Err(e) = check_parent(scan, cur, name.parent()) {
                break Err(e);
            }
            cur = name.parent().record;
        };
        match outcome {
            Ok(mut path) => {
                for (n, name) in chain.into_iter().rev() {
                    path.push('/');
                    path.push_str(&name);
                    self.memo
                        .insert(n, Slot::Done(path.clone().into_boxed_str()));
                }
            }
            Err(e) => {
                let cycle = e.kind == FindingKind::ParentCycle;
                for (n, _) in &chain {
                    let err = if cycle || e.record == *n {
                        PathError { record: *n, ..e }
                    } else {
                        PathError {
                            kind: FindingKind::AncestorUnresolved,
                            ..e
                        }
                    };
                    self.memo.insert(*n, Slot::Failed(err));
                }
            }
        }
    }

    fn get(&self, d: u64) -> Option<Result<&str, PathError>> {
        if d == ROOT {
            return Some(Ok(""));
        }
        match self.memo.get(&d)? {
            Slot::Done(p) => Some(Ok(p)),
            Slot::Failed(e) => Some(Err(*e)),
            Slot::Pending => None,
        }
    }
}

/// The name a directory's path is built from: the first that is not a DOS alias.
fn preferred_name<'s>(record: &crate::scan::Record<'s>) -> Option<Name<'s>> {
    record
        .names()
        .find(|n| n.namespace() != Namespace::Dos)
        .or_else(|| record.names().next())
}

/// Checks that `parent` (the parent reference of a name of record `child`) is a
/// live directory.
fn check_parent(scan: &Scan, child: u64, parent: FileReference) -> Result<&RecordEntry, PathError> {
    let err = |kind, found_sequence| PathError {
        kind,
        record: child,
        parent,
        found_sequence,
    };
    let rec = scan
        .entry(parent.record)
        .filter(|r| matches!(r.state, RecordState::Valid | RecordState::Damaged))
        .ok_or(err(FindingKind::ParentMissing, 0))?;
    if !rec.flags.contains(RecordFlags::IN_USE) || rec.base != 0 {
        return Err(err(FindingKind::ParentMissing, rec.sequence));
    }
    if rec.sequence != parent.sequence {
        return Err(err(FindingKind::ParentSequenceMismatch, rec.sequence));
    }
    if !rec.flags.contains(RecordFlags::DIRECTORY) {
        return Err(err(FindingKind::ParentNotDirectory, rec.sequence));
    }
    Ok(rec)
}

/// The names of a scan turned into paths: every in-use directory's path is
/// resolved once, when the tree is made; a name's path is then its directory's
/// path and the name.
///
/// ```no_run
/// use ntfs_links::{Scan, ScanOptions, Tree};
/// let volume = ntfs_links::open("fixtures/basic.img", Default::default())?;
/// let scan = Scan::run(&volume, ScanOptions::default())?;
/// let tree = Tree::new(scan);
/// for record in tree.scan().records() {
///     for name in record.names() {
///         println!("{} {:?}", record.number(), tree.path(&name));
///     }
/// }
/// # Ok::<(), ntfs_links::Error>(())
/// ```
#[derive(Debug)]
pub struct Tree {
    scan: Scan,
    dirs: DirPaths,
    /// Names by directory, for lookups by path (built on first use).
    children: OnceLock<lookup::Children>,
}

impl Tree {
    /// Resolves the path of every in-use directory of `scan`, and keeps the scan.
    pub fn new(scan: Scan) -> Tree {
        let dirs = DirPaths::resolve(&scan);
        Tree {
            scan,
            dirs,
            children: OnceLock::new(),
        }
    }

    /// The scan whose names these are.
    pub fn scan(&self) -> &Scan {
        &self.scan
    }

    /// Gives the scan back.
    pub fn into_scan(self) -> Scan {
        self.scan
    }

    /// The full path of one name: `/`-separated from the volume root, `/` for the
    /// root itself.
    pub fn path(&self, name: &Name<'_>) -> Result<String, PathError> {
        let mut path = String::new();
        self.path_into(name, &mut path)?;
        Ok(path)
    }

    /// Appends the full path of `name` to `path` (see [`Tree::path`]); nothing is
    /// appended on error.
    pub fn path_into(&self, name: &Name<'_>, path: &mut String) -> Result<(), PathError> {
        if name.record() == ROOT {
            path.push('/');
            return Ok(());
        }
        let dir = self.dir_of(name)?;
        path.reserve(dir.len() + 1 + name.units().len());
        path.push_str(dir);
        path.push('/');
        path.extend(name.chars());
        Ok(())
    }

    /// The path of directory `record` (`/` for the root), when it has one.
    pub fn directory_path(&self, record: u64) -> Option<&str> {
        if record == ROOT {
            return Some("/");
        }
        self.dirs.get(record)?.ok()
    }

    /// Checks that `name` has a path, without building it.
    pub fn check(&self, name: &Name<'_>) -> Result<(), PathError> {
        self.dir_path(name).map(|_| ())
    }

    /// The path of the directory that holds `name` (`""` for the root directory),
    /// or `None` for the root's own name: the name's path is then the directory's
    /// path, `/` and the name, for a writer that does not build it.
    pub fn dir_path(&self, name: &Name<'_>) -> Result<Option<&str>, PathError> {
        if name.record() == ROOT {
            return Ok(None);
        }
        self.dir_of(name).map(Some)
    }

    /// The path of the directory that holds `name` (not the root's own name).
    fn dir_of(&self, name: &Name<'_>) -> Result<&str, PathError> {
        let parent = name.parent();
        check_parent(&self.scan, name.record(), parent)?;
        match self.dirs.get(parent.record) {
            Some(dir) => dir,
            None => Err(PathError {
                kind: FindingKind::ParentMissing,
                record: name.record(),
                parent,
                found_sequence: 0,
            }),
        }
    }

    /// Best-effort path of a name of a record that is not in use.
    ///
    /// The sequence-number rule: NTFS increments a record's sequence number when it
    /// frees it. So a deleted name's parent is still its directory when the parent
    /// record is in use with the same sequence number, or not in use with the same
    /// or the next sequence number (the directory was deleted too, after it); the
    /// path then climbs through the deleted directories' own names. Otherwise the
    /// directory is gone (its record was reused, or is not a directory), and the
    /// name is placed under [`ORPHAN_DIR`]: the second value is then `true`.
    pub fn deleted_path(&self, name: &Name<'_>) -> (String, bool) {
        let orphan = || (format!("{ORPHAN_DIR}/{}", name.to_string_lossy()), true);
        let mut parts = vec![name.to_string_lossy()];
        let mut parent = name.parent();
        for _ in 0..MAX_DEPTH {
            let Some(entry) = self.scan.entry(parent.record).filter(|e| {
                matches!(e.state, RecordState::Valid | RecordState::Damaged) && e.base == 0
            }) else {
                return orphan();
            };
            if !entry.flags.contains(RecordFlags::DIRECTORY) {
                return orphan();
            }
            let live = entry.flags.contains(RecordFlags::IN_USE);
            if live {
                if entry.sequence != parent.sequence {
                    return orphan();
                }
                let dir = match self.dirs.get(parent.record) {
                    Some(Ok(dir)) => dir,
                    _ => return orphan(),
                };
                parts.reverse();
                return (format!("{dir}/{}", parts.join("/")), false);
            }
            if entry.sequence != parent.sequence && entry.sequence != next_sequence(parent.sequence)
            {
                return orphan();
            }
            let Some(up) = self
                .scan
                .record(parent.record)
                .and_then(|r| preferred_name(&r))
            else {
                return orphan();
            };
            parts.push(up.to_string_lossy());
            parent = up.parent();
        }
        orphan()
    }
}
