//! Paths to names: every in-use name indexed by its directory and its
//! case-folded characters, looked up the way Windows finds a file (an exact-case
//! match first, then a case-insensitive one, by the volume's `$UpCase` table).
//!
//! The index is built once, in parallel, the first time a lookup needs it: link
//! resolution, `verify` and `stat` share it, and a run that looks nothing up
//! never pays for it.

use super::Tree;
use crate::attribute::UpCase;
use crate::record::well_known::ROOT;
use crate::scan::Scan;
use rayon::prelude::*;

/// A name found by its path or in its directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Found {
    /// The record that holds the name.
    pub record: u64,
    /// The name's place among the record's names ([`Record::names`](crate::Record::names)).
    pub name: usize,
}

/// (directory, hash of the case-folded name, record), sorted: names are found by
/// binary search and confirmed against the record's own names. Record numbers of
/// NTFS 3.1 fit in 32 bits (the header's own field is 32 bits).
#[derive(Debug, Default)]
pub(super) struct Children(Vec<(u32, u64, u32)>);

impl Children {
    /// Indexes every name of every in-use record the scan reports.
    pub(super) fn build(scan: &Scan) -> Children {
        let upcase = scan.upcase();
        let count = scan.record_count().min(u64::from(u32::MAX));
        let mut children: Vec<(u32, u64, u32)> = (0..count)
            .into_par_iter()
            .flat_map_iter(|n| {
                let r = scan.record(n).filter(|r| r.in_use() && r.is_reported());
                r.into_iter().flat_map(move |r| {
                    r.names()
                        .filter(|n| n.parent().record <= u64::from(u32::MAX))
                        .map(move |name| {
                            (
                                name.parent().record as u32,
                                fold_hash(upcase, name.units().iter().copied()),
                                r.number() as u32,
                            )
                        })
                })
            })
            .collect();
        children.par_sort_unstable();
        children.dedup();
        children.shrink_to_fit();
        Children(children)
    }
}

impl Tree {
    fn children(&self) -> &Children {
        self.children.get_or_init(|| Children::build(&self.scan))
    }

    /// The name `name` in directory `dir`: exact case first, then the first
    /// case-insensitive match, as Windows finds it (so POSIX names that differ
    /// only in case stay apart). In-use records only.
    pub fn child(&self, dir: u64, name: &str) -> Option<Found> {
        let upcase = self.scan.upcase();
        let key = (
            u32::try_from(dir).ok()?,
            fold_hash(upcase, name.encode_utf16()),
        );
        let children = &self.children().0;
        let start = children.partition_point(|&(d, h, _)| (d, h) < key);
        let mut folded = None;
        for &(_, _, record) in children
            .get(start..)?
            .iter()
            .take_while(|&&(d, h, _)| (d, h) == key)
        {
            let record = u64::from(record);
            let Some(r) = self.scan.record(record) else {
                continue;
            };
            for (i, n) in r.names().enumerate() {
                if n.parent().record != dir {
                    continue;
                }
                if n.chars().eq(name.chars()) {
                    return Some(Found { record, name: i });
                }
                if folded.is_none()
                    && fold_eq(upcase, n.units().iter().copied(), name.encode_utf16())
                {
                    folded = Some(Found { record, name: i });
                }
            }
        }
        folded
    }

    /// The name whose path is `path`, from the root (a leading separator is
    /// optional): components separated by `/`, each found as [`Tree::child`]
    /// finds it; `.` stays, `..` climbs (not above the root); links are not
    /// followed. `/` is the root. When that finds nothing and the path holds
    /// `\`, it is tried again with `\` as a separator too (`\dir1\a.txt`): a
    /// POSIX name may hold `\` itself, and is found first.
    ///
    /// ```
    /// # let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/c512.img");
    /// let volume = ntfs_links::open(path, Default::default())?;
    /// let tree = ntfs_links::Tree::new(ntfs_links::Scan::run(&volume, Default::default())?);
    /// let a = tree.lookup("/dir1/a.txt").unwrap();
    /// assert_eq!(tree.lookup(r"\DIR1\A.TXT"), Some(a));
    /// assert_eq!(tree.lookup("/dir2/../dir1/./a.txt"), Some(a));
    /// assert_eq!(tree.lookup(r"C:\dir1\a.txt"), Some(a));
    /// assert_eq!(tree.lookup("/dir1/nothing"), None);
    /// # Ok::<(), ntfs_links::Error>(())
    /// ```
    pub fn lookup(&self, path: &str) -> Option<Found> {
        let path = strip_drive(path);
        self.walk(path.split('/')).or_else(|| {
            path.contains('\\')
                .then(|| self.walk(path.split(['/', '\\'])))
                .flatten()
        })
    }

    fn walk<'p>(&self, components: impl Iterator<Item = &'p str>) -> Option<Found> {
        let root = Found {
            record: ROOT,
            name: 0,
        };
        self.scan.record(ROOT)?;
        let mut stack = vec![root];
        for component in components {
            match component {
                "" | "." => {}
                ".." => {
                    if stack.len() > 1 {
                        stack.pop();
                    }
                }
                name => {
                    let dir = stack.last()?.record;
                    stack.push(self.child(dir, name)?);
                }
            }
        }
        stack.pop()
    }

    /// The path of the record `found` names, as every report writes it: a
    /// directory's from its first name that is not an 8.3 alias (so that
    /// `/PROGRA~1` and `/program files` give `/Program Files`), a file's from
    /// the name found. `None` when it has no path.
    pub fn path_of(&self, found: Found) -> Option<String> {
        let record = self.scan.record(found.record)?;
        if found.record == ROOT {
            return Some("/".to_owned());
        }
        let name = if record.is_dir() {
            super::preferred_name(&record)?
        } else {
            record.names().nth(found.name)?
        };
        self.path(&name).ok()
    }
}

/// Hash of a name's UTF-16 units, each folded by `upcase` (FNV-1a).
fn fold_hash(upcase: &UpCase, units: impl Iterator<Item = u16>) -> u64 {
    units.fold(0xcbf2_9ce4_8422_2325, |h, u| {
        (h ^ u64::from(upcase.fold(u))).wrapping_mul(0x100_0000_01b3)
    })
}

/// Two names equal once folded by `upcase`, unit by unit, as NTFS compares
/// them.
fn fold_eq(upcase: &UpCase, a: impl Iterator<Item = u16>, b: impl Iterator<Item = u16>) -> bool {
    a.map(|u| upcase.fold(u)).eq(b.map(|u| upcase.fold(u)))
}

/// What a command-line target names: a record and one of its streams.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The record.
    pub record: u64,
    /// The stream's name, `""` for the unnamed stream.
    pub stream: String,
}

impl Tree {
    /// A target as `cat` and `stat` take it: a record number (`66`, `0x42`) or a
    /// path (as [`lookup`](Self::lookup) takes it, a drive prefix such as `C:\`
    /// allowed), then optionally `:STREAM` and Windows' `:$DATA` suffix
    /// (`/file.txt:Zone.Identifier`, `C:\file.txt::$DATA`, `66:stream`). A
    /// path that exists as written wins over a reading with a stream (POSIX
    /// names may hold `:`).
    ///
    /// ```
    /// # let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/c512.img");
    /// let volume = ntfs_links::open(path, Default::default())?;
    /// let tree = ntfs_links::Tree::new(ntfs_links::Scan::run(&volume, Default::default())?);
    /// let a = tree.locate(r"C:\DIR1\A.TXT::$DATA").unwrap();
    /// assert_eq!(a.stream, "");
    /// let info = tree.locate("/$UpCase:$Info").unwrap();
    /// assert_eq!((info.record, info.stream.as_str()), (10, "$Info"));
    /// assert_eq!(tree.locate("0x5").unwrap().record, 5);
    /// # Ok::<(), ntfs_links::Error>(())
    /// ```
    pub fn locate(&self, target: &str) -> Option<Located> {
        let whole = |s: &str| parse_number(s).or_else(|| self.lookup(s).map(|f| f.record));
        if let Some(record) = whole(target) {
            return Some(Located {
                record,
                stream: String::new(),
            });
        }
        let (path, stream) = split_stream(target)?;
        Some(Located {
            record: whole(path)?,
            stream: stream.to_owned(),
        })
    }
}

impl Located {
    /// A target that names its record by number (`66`, `0x42`, `66:stream`,
    /// `66::$DATA`): found without any path. `None` for anything else.
    pub fn by_number(target: &str) -> Option<Located> {
        if let Some(record) = parse_number(target) {
            return Some(Located {
                record,
                stream: String::new(),
            });
        }
        let (number, stream) = split_stream(target)?;
        Some(Located {
            record: parse_number(number)?,
            stream: stream.to_owned(),
        })
    }
}

/// `file:stream`, `file:stream:$DATA` and `file::$DATA` (any case) to the
/// file and the stream (`""` for the unnamed one).
fn split_stream(target: &str) -> Option<(&str, &str)> {
    let n = target.len();
    let target = match target.get(n.saturating_sub(6)..) {
        Some(tail) if tail.eq_ignore_ascii_case(":$DATA") => target.get(..n - 6)?,
        _ => target,
    };
    target.rsplit_once(':')
}

/// `C:\dir` or `c:/dir` to `\dir` / `/dir`.
fn strip_drive(s: &str) -> &str {
    match s.as_bytes() {
        [letter, b':', b'\\' | b'/', ..] if letter.is_ascii_alphabetic() => s.get(2..).unwrap_or(s),
        _ => s,
    }
}

/// A decimal or `0x` hexadecimal number, as the command line takes record
/// numbers and offsets.
pub fn parse_number(s: &str) -> Option<u64> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}
