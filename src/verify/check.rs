//! Checking expectations against a scanned image.
//!
//! Paths are found through [`Tree::lookup`] (exact case first, then any case, as
//! Windows finds them) and compared by the record and name they find, never by
//! their text. Link targets compare case-insensitively with the print name, or
//! with the substitute name without its `\??\` prefix.

use super::expectations::{Expectation, Expectations};
use crate::attribute::Namespace;
use crate::links::{NameReport, Outcome, RecordReport, Reports, Resolution};
use crate::reparse::{ReparseKind, ReparsePoint};
use crate::tree::{Found, Tree};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};

/// One way an expectation failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The path concerned.
    pub path: String,
    /// What was expected.
    pub expected: String,
    /// What the image holds.
    pub found: String,
}

impl std::fmt::Display for Failure {
    /// `PATH: expected X, found Y`, as every format of `verify` says it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: expected {}, found {}",
            self.path, self.expected, self.found
        )
    }
}

/// The outcome of one expectation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// The table: `hardlink`, `junction`, ...
    pub kind: &'static str,
    /// The table and its path(s).
    pub name: String,
    /// Line of the table in the expectations file.
    pub line: usize,
    /// True when it holds.
    pub passed: bool,
    /// Why not, when it does not.
    pub failures: Vec<Failure>,
}

/// The outcome of a whole expectations file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    /// Expectations that hold.
    pub passed: usize,
    /// Expectations that do not.
    pub failed: usize,
    /// Each expectation, in file order.
    pub checks: Vec<Check>,
}

impl Verification {
    /// True when every expectation holds.
    pub fn is_ok(&self) -> bool {
        self.failed == 0
    }
}

/// What the checks look at: names found by path through the tree's index, and
/// the reports of only the records the checks need (the links, the records with
/// findings, the records the expectations name), built once, in parallel. The
/// cost is the image's links and the file's paths, not the image's records.
pub(super) struct Index<'a> {
    tree: &'a Tree,
    /// The paths looked up when the index was made.
    found: HashMap<String, Found>,
    reports: HashMap<u64, RecordReport>,
    /// Records with more than one hard link, a reparse point or a shell
    /// link, in order.
    links: Vec<u64>,
    /// Records with findings, in order.
    with_findings: Vec<u64>,
}

impl<'a> Index<'a> {
    /// Indexes `reports` for lookups of `paths` (and of the links and findings).
    pub fn new<'p>(reports: &Reports<'a>, paths: impl Iterator<Item = &'p str>) -> Index<'a> {
        let analysis = reports.analysis();
        let tree = analysis.tree();
        let scan = tree.scan();
        let links: Vec<u64> = (0..scan.record_count())
            .into_par_iter()
            .filter(|&n| {
                scan.record(n).is_some_and(|r| {
                    r.is_reported()
                        && (analysis.reparse_point(n).is_some()
                            || r.shortcut_bytes().is_some()
                            || r.names()
                                .filter(|x| x.namespace() != Namespace::Dos)
                                .nth(1)
                                .is_some())
                })
            })
            .collect();
        let mut with_findings: Vec<u64> = analysis.all_findings().map(|(n, _)| n).collect();
        with_findings.dedup();
        // Sorted, paths in one directory come together: each part looks their
        // directory up once.
        let mut paths: Vec<&str> = paths.collect();
        paths.par_sort_unstable();
        paths.dedup();
        let found: HashMap<String, Found> = paths
            .par_chunks(1024)
            .flat_map_iter(|part| {
                let mut dir: Option<(&str, Option<u64>)> = None;
                part.iter().filter_map(move |&p| {
                    let plain = |name: &str| !name.is_empty() && name != "." && name != "..";
                    let split = p.rsplit_once('/').filter(|(_, name)| plain(name));
                    let found = match split.filter(|_| !p.contains('\\')) {
                        Some((parent, name)) => {
                            let record = match dir {
                                Some((d, record)) if d == parent => record,
                                _ => {
                                    let record = tree.lookup(parent).map(|f| f.record);
                                    dir = Some((parent, record));
                                    record
                                }
                            };
                            tree.child(record?, name)
                        }
                        _ => tree.lookup(p),
                    };
                    Some((p.to_owned(), found?))
                })
            })
            .collect();
        let mut needed: Vec<u64> = found.values().map(|f| f.record).collect();
        needed.extend(&links);
        needed.extend(&with_findings);
        needed.par_sort_unstable();
        needed.dedup();
        let reports = needed
            .par_iter()
            .filter_map(|&n| Some((n, reports.report(&scan.record(n)?))))
            .collect();
        Index {
            tree,
            found,
            reports,
            links,
            with_findings,
        }
    }

    /// The record and name at `path` (see [`Tree::lookup`]).
    pub fn find(&self, path: &str) -> Option<(&RecordReport, &NameReport)> {
        let found = self.found(path)?;
        let report = self.reports.get(&found.record)?;
        Some((report, report.names.get(found.name)?))
    }

    /// The name at `path`, as the tree finds it.
    pub fn found(&self, path: &str) -> Option<Found> {
        match self.found.get(path) {
            Some(&found) => Some(found),
            None => self.tree.lookup(path),
        }
    }

    /// The path of what `path` names, as reports write it (a directory's from
    /// its long name): `/PROGRA~1` and `/./program files` give `/Program Files`.
    pub fn canonical(&self, path: &str) -> Option<String> {
        self.tree.path_of(self.found(path)?)
    }

    /// The reports of the records with more than one hard link, a reparse
    /// point or a shell link, in record order.
    pub fn links(&self) -> impl Iterator<Item = &RecordReport> {
        self.links.iter().filter_map(|n| self.reports.get(n))
    }

    /// The reports of the records with findings, in record order.
    pub fn with_findings(&self) -> impl Iterator<Item = &RecordReport> {
        self.with_findings
            .iter()
            .filter_map(|n| self.reports.get(n))
    }
}

/// The paths an expectation looks up.
fn paths_of(e: &Expectation) -> Vec<&str> {
    match e {
        Expectation::HardLink(h) => h.paths.iter().map(String::as_str).collect(),
        Expectation::Junction(j) => vec![j.path.as_str()],
        Expectation::Symlink(s) => vec![s.path.as_str()],
        Expectation::Shortcut(s) => vec![s.path.as_str()],
        Expectation::File(p) | Expectation::Dir(p) | Expectation::Absent(p) => {
            vec![p.path.as_str()]
        }
        Expectation::Reparse(r, _) => vec![r.path.as_str()],
        Expectation::LinkCount(l) => vec![l.path.as_str()],
        Expectation::Only(o) => o.under.iter().map(String::as_str).collect(),
        Expectation::NoDangling(n) => n
            .under
            .iter()
            .chain(&n.except)
            .map(String::as_str)
            .collect(),
        Expectation::NoFindings => Vec::new(),
    }
}

/// The paths an expectation looks up and those its links must resolve to.
fn lookups_of(e: &Expectation) -> Vec<&str> {
    let mut paths = paths_of(e);
    match e {
        Expectation::Junction(j) => paths.extend(j.resolves_to.as_deref()),
        Expectation::Symlink(s) => paths.extend(s.resolves_to.as_deref()),
        Expectation::Shortcut(s) => paths.extend(s.resolves_to.as_deref()),
        _ => {}
    }
    paths
}

/// Checks `expectations` against what `reports` report (link targets judged
/// under the reports' [`LinkOptions`](crate::LinkOptions)).
///
/// ```
/// use ntfs_links::verify::{Expectations, verify};
/// use ntfs_links::{Analysis, Reports, Scan, Tree};
/// # let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/c512.img");
/// let volume = ntfs_links::open(path, Default::default())?;
/// let scan = Scan::run(&volume, Default::default())?;
/// let analysis = Analysis::run(&volume, Tree::new(scan), Default::default());
/// let reports = Reports::new(&analysis, Default::default());
/// let expect = Expectations::from_toml(r#"
///     [[hardlink]]
///     paths = ["/dir1/a.txt", "/dir2/b.txt", "/dir2/sub/c.txt"]
///     [[absent]]
///     path = "/gone.txt"
/// "#)?;
/// let result = verify(&reports, &expect);
/// assert!(result.is_ok(), "{result:?}");
/// # Ok::<(), ntfs_links::Error>(())
/// ```
///
/// An image whose volume cannot all be read (shorter than the volume, a $MFT
/// that is cut or unreadable in part) fails a first check named `volume`,
/// whatever the expectations: what the scan could not see, it cannot vouch for.
pub fn verify(reports: &Reports<'_>, expectations: &Expectations) -> Verification {
    let paths = expectations.items.iter().flat_map(|(_, e)| lookups_of(e));
    let index = Index::new(reports, paths);
    let listed = Listed::new(expectations, &index);
    let problems = reports.analysis().volume_problems();
    let volume = (!problems.is_empty()).then(|| Check {
        kind: "volume",
        name: "volume: the whole volume and its $MFT can be read".into(),
        line: 0,
        passed: false,
        failures: problems
            .iter()
            .map(|p| fail("/", "the whole volume in the image", p.as_str()))
            .collect(),
    });
    let checks: Vec<Check> = volume
        .into_iter()
        .chain(
            expectations
                .items
                .par_iter()
                .map(|(line, e)| {
                    let failures = check(&index, &listed, e);
                    Check {
                        kind: e.kind(),
                        name: e.name(),
                        line: *line,
                        passed: failures.is_empty(),
                        failures,
                    }
                })
                .collect::<Vec<_>>(),
        )
        .collect();
    let passed = checks.iter().filter(|c| c.passed).count();
    Verification {
        passed,
        failed: checks.len() - passed,
        checks,
    }
}

fn fail(path: &str, expected: impl Into<String>, found: impl Into<String>) -> Failure {
    Failure {
        path: path.to_owned(),
        expected: expected.into(),
        found: found.into(),
    }
}

fn missing(path: &str, expected: &str) -> Failure {
    fail(path, expected, "no such path in the image")
}

/// What a record is, in words.
fn describe(r: &RecordReport) -> String {
    match &r.reparse {
        Some(rp) => describe_reparse(r, rp),
        None if r.is_dir => "a directory".to_owned(),
        None => "a file".to_owned(),
    }
}

/// A record with a reparse point, in words.
fn describe_reparse(r: &RecordReport, rp: &ReparsePoint) -> String {
    format!(
        "{} with a {} reparse point{}",
        if r.is_dir { "a directory" } else { "a file" },
        rp.kind,
        target_of(rp)
            .map(|t| format!(" to {t}"))
            .unwrap_or_default()
    )
}

fn target_of(rp: &ReparsePoint) -> Option<&str> {
    rp.print_name()
        .filter(|p| !p.is_empty())
        .or(rp.destination())
}

/// The target as written in an expectation matches the print name, or the
/// substitute name without `\??\`, case-insensitively.
fn target_matches(rp: &ReparsePoint, want: &str) -> bool {
    let eq = |s: &str| s.eq_ignore_ascii_case(want) || s.to_uppercase() == want.to_uppercase();
    rp.print_name().is_some_and(eq)
        || rp
            .substitute_name()
            .is_some_and(|s| eq(s) || eq(s.strip_prefix(r"\??\").unwrap_or(s)))
}

/// A link's resolution compared with `want`, found in the image as a path is.
fn resolution_failure(
    index: &Index<'_>,
    path: &str,
    resolution: Option<&Resolution>,
    want: &str,
) -> Option<Failure> {
    let expected = format!("resolves to {want}");
    let Some(res) = resolution else {
        return Some(fail(path, expected, "not a link that resolves"));
    };
    match (&res.outcome, res.record, &res.path) {
        (Outcome::Resolved | Outcome::TypeMismatch, Some(record), Some(p)) => {
            match index.found(want) {
                Some(found) if found.record == record => None,
                Some(_) => Some(fail(path, expected, format!("resolves to {p}"))),
                None => Some(fail(
                    path,
                    expected,
                    format!("resolves to {p} ({want} is not in the image)"),
                )),
            }
        }
        (outcome, _, _) => Some(fail(
            path,
            expected,
            format!("{}: {}", outcome, res.reason.as_deref().unwrap_or("")),
        )),
    }
}

fn check(index: &Index<'_>, listed: &Listed, e: &Expectation) -> Vec<Failure> {
    let mut out = Vec::new();
    match e {
        Expectation::HardLink(h) => {
            let found: Vec<_> = h.paths.iter().map(|p| (p, index.find(p))).collect();
            for (p, hit) in &found {
                if hit.is_none() {
                    out.push(missing(p, "a hard link of the group"));
                }
            }
            let Some((first_path, Some((first, _)))) = found.iter().find(|(_, h)| h.is_some())
            else {
                return out;
            };
            for (p, hit) in &found {
                if let Some((r, _)) = hit
                    && r.record != first.record
                {
                    out.push(fail(
                        p,
                        format!("the record of {first_path} (record {})", first.record),
                        format!("record {}", r.record),
                    ));
                }
            }
            if out.is_empty() {
                // Exactly these names: the names found, and the record's hard links.
                let want: BTreeSet<usize> = h
                    .paths
                    .iter()
                    .filter_map(|p| index.found(p))
                    .map(|f| f.name)
                    .collect();
                let have: BTreeSet<usize> = first
                    .names
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| !n.is_dos_alias())
                    .map(|(i, _)| i)
                    .collect();
                if want != have {
                    let actual: Vec<&str> = first
                        .hard_links()
                        .filter_map(|n| n.path.as_deref())
                        .collect();
                    out.push(fail(
                        first_path,
                        format!("exactly the names {}", h.paths.join(", ")),
                        format!("the names {}", actual.join(", ")),
                    ));
                }
            }
        }
        Expectation::Junction(j) => match index.find(&j.path) {
            None => out.push(missing(&j.path, "a junction")),
            Some((r, name)) => match &r.reparse {
                Some(rp)
                    if matches!(
                        rp.kind,
                        ReparseKind::Junction | ReparseKind::VolumeMountPoint
                    ) =>
                {
                    if !target_matches(rp, &j.target) {
                        out.push(fail(
                            &j.path,
                            format!("a junction to {}", j.target),
                            format!("a junction to {}", target_of(rp).unwrap_or("?")),
                        ));
                    }
                    if let Some(f) = j.resolves_to.as_deref().and_then(|w| {
                        resolution_failure(index, &j.path, name.resolution.as_ref(), w)
                    }) {
                        out.push(f);
                    }
                }
                _ => out.push(fail(
                    &j.path,
                    format!("a junction to {}", j.target),
                    describe(r),
                )),
            },
        },
        Expectation::Symlink(s) => match index.find(&s.path) {
            None => out.push(missing(&s.path, "a symbolic link")),
            Some((r, name)) => match &r.reparse {
                Some(rp) if rp.kind == ReparseKind::Symlink => {
                    if !target_matches(rp, &s.target) {
                        out.push(fail(
                            &s.path,
                            format!("a symlink to {}", s.target),
                            format!("a symlink to {}", target_of(rp).unwrap_or("?")),
                        ));
                    }
                    if let Some(want) = s.relative
                        && rp.relative() != Some(want)
                    {
                        let says = |b: bool| if b { "relative" } else { "not relative" };
                        out.push(fail(&s.path, says(want), says(rp.relative() == Some(true))));
                    }
                    if let Some(want) = s.dir
                        && r.is_dir != want
                    {
                        let says = |b: bool| {
                            if b {
                                "a directory symlink"
                            } else {
                                "a file symlink"
                            }
                        };
                        out.push(fail(&s.path, says(want), says(r.is_dir)));
                    }
                    if let Some(f) = s.resolves_to.as_deref().and_then(|w| {
                        resolution_failure(index, &s.path, name.resolution.as_ref(), w)
                    }) {
                        out.push(f);
                    }
                }
                _ => out.push(fail(
                    &s.path,
                    format!("a symlink to {}", s.target),
                    describe(r),
                )),
            },
        },
        Expectation::Shortcut(s) => match index.find(&s.path) {
            None => out.push(missing(&s.path, "a shortcut")),
            Some((r, _)) => match r.shortcut_resolution() {
                None => out.push(fail(&s.path, "a shortcut", describe(r))),
                Some(res) => {
                    let found = r.shortcut_target().unwrap_or("(no path)");
                    if let Some(want) = &s.target
                        && !found.eq_ignore_ascii_case(want)
                        && found.to_uppercase() != want.to_uppercase()
                    {
                        out.push(fail(
                            &s.path,
                            format!("a shortcut to {want}"),
                            format!("a shortcut to {found}"),
                        ));
                    }
                    if let Some(want) = &s.outcome
                        && res.outcome.as_str() != want
                    {
                        out.push(fail(
                            &s.path,
                            want.as_str(),
                            format!("{}: {}", res.outcome, res.reason.as_deref().unwrap_or("")),
                        ));
                    }
                    if let Some(f) = s
                        .resolves_to
                        .as_deref()
                        .and_then(|w| resolution_failure(index, &s.path, Some(res), w))
                    {
                        out.push(f);
                    }
                }
            },
        },
        Expectation::File(p) => match index.find(&p.path) {
            Some((r, _)) if !r.is_dir => {}
            Some((r, _)) => out.push(fail(&p.path, "a file", describe(r))),
            None => out.push(missing(&p.path, "a file")),
        },
        Expectation::Dir(p) => match index.find(&p.path) {
            Some((r, _)) if r.is_dir => {}
            Some((r, _)) => out.push(fail(&p.path, "a directory", describe(r))),
            None => out.push(missing(&p.path, "a directory")),
        },
        Expectation::Absent(p) => {
            if let Some((r, _)) = index.find(&p.path) {
                out.push(fail(
                    &p.path,
                    "nothing",
                    format!("{} (record {})", describe(r), r.record),
                ));
            }
        }
        Expectation::Reparse(rp, tag) => {
            let want = format!("a reparse point with tag {}", tag_words(*tag));
            match index.find(&rp.path) {
                None => out.push(missing(&rp.path, &want)),
                Some((r, _)) => match r.reparse.as_ref().and_then(|x| x.tag) {
                    Some(t) if t == *tag => {}
                    Some(t) => out.push(fail(&rp.path, want, format!("tag {}", tag_words(t)))),
                    None => out.push(fail(&rp.path, want, describe(r))),
                },
            }
        }
        Expectation::LinkCount(l) => match index.find(&l.path) {
            None => out.push(missing(&l.path, &format!("{} hard links", l.count))),
            Some((r, _)) => {
                let n = r.hard_links().count();
                if n != l.count as usize {
                    let names: Vec<&str> =
                        r.hard_links().filter_map(|n| n.path.as_deref()).collect();
                    out.push(fail(
                        &l.path,
                        format!("{} hard links", l.count),
                        format!("{n} hard links: {}", names.join(", ")),
                    ));
                }
            }
        },
        Expectation::Only(o) => {
            let under = match o.under.as_deref() {
                None => "/".to_owned(),
                Some(u) => match index.canonical(u) {
                    Some(dir) => dir,
                    None => {
                        out.push(missing(u, "a path whose links are all listed"));
                        return out;
                    }
                },
            };
            for r in index.links() {
                let inside: Vec<(usize, &str)> = r
                    .names
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| !n.is_dos_alias())
                    .filter_map(|(i, n)| Some((i, n.path.as_deref()?)))
                    .filter(|(_, p)| crate::tree::is_under(p, &under))
                    .collect();
                let Some(&(_, first)) = inside.first() else {
                    continue;
                };
                if r.is_multi_link() && !listed.hardlinks.contains(&r.record) {
                    let all: Vec<&str> = r.hard_links().filter_map(|n| n.path.as_deref()).collect();
                    out.push(fail(
                        first,
                        "only the links the file lists",
                        format!("a hard-link group it does not list: {}", all.join(", ")),
                    ));
                }
                if o.shortcuts && r.is_shortcut() && !listed.shortcuts.contains(&r.record) {
                    out.push(fail(
                        first,
                        "only the links the file lists",
                        format!(
                            "a shortcut to {} it does not list",
                            r.shortcut_target().unwrap_or("(no path)")
                        ),
                    ));
                }
                let Some(rp) = r.reparse.as_ref().filter(|rp| rp.tag.is_some()) else {
                    continue;
                };
                for (i, p) in inside {
                    if !listed.reparse.contains(&(r.record, i)) {
                        out.push(fail(
                            p,
                            "only the links the file lists",
                            format!("{} it does not list", describe_reparse(r, rp)),
                        ));
                    }
                }
            }
        }
        Expectation::NoDangling(nd) => {
            let under = match nd.under.as_deref() {
                None => "/".to_owned(),
                Some(u) => match index.canonical(u) {
                    Some(dir) => dir,
                    None => {
                        out.push(missing(u, "a path whose links all lead somewhere"));
                        return out;
                    }
                },
            };
            // An exception is the path of a name, or a glob.
            let exact: HashSet<Found> = nd.except.iter().filter_map(|e| index.found(e)).collect();
            let globs: Vec<Glob> = nd.except.iter().map(|g| Glob::new(g)).collect();
            for r in index.links() {
                let shortcut = r.shortcut_resolution().filter(|_| nd.shortcuts);
                for (i, n) in r.names.iter().enumerate() {
                    let res = n
                        .resolution
                        .as_ref()
                        .or_else(|| shortcut.filter(|_| !n.is_dos_alias()));
                    let Some(res) = res.filter(|res| res.outcome.dangles()) else {
                        continue;
                    };
                    let path = n.path.as_deref().unwrap_or("?");
                    if !crate::tree::is_under(path, &under) {
                        continue;
                    }
                    let name = Found {
                        record: r.record,
                        name: i,
                    };
                    if exact.contains(&name) || globs.iter().any(|g| g.matches(path)) {
                        continue;
                    }
                    out.push(fail(
                        path,
                        "a link whose target exists",
                        format!("{}: {}", res.outcome, res.reason.as_deref().unwrap_or("")),
                    ));
                }
            }
        }
        Expectation::NoFindings => {
            for r in index.with_findings() {
                let path = r
                    .hard_links()
                    .find_map(|n| n.path.clone())
                    .unwrap_or_else(|| format!("record {}", r.record));
                for f in &r.findings {
                    let kind = f.kind.as_str();
                    out.push(fail(&path, "no finding", format!("{kind}: {}", f.message)));
                }
            }
        }
    }
    out
}

/// What an expectations file lists, for `[[only]]`: the records of its
/// hard-link groups, and the names of its junctions, symbolic links and
/// reparse points, as the image's lookups find them.
struct Listed {
    hardlinks: HashSet<u64>,
    reparse: HashSet<(u64, usize)>,
    shortcuts: HashSet<u64>,
}

impl Listed {
    fn new(expectations: &Expectations, index: &Index<'_>) -> Listed {
        let mut listed = Listed {
            hardlinks: HashSet::new(),
            reparse: HashSet::new(),
            shortcuts: HashSet::new(),
        };
        let has_only = expectations
            .items
            .iter()
            .any(|(_, e)| matches!(e, Expectation::Only(_)));
        if !has_only {
            return listed;
        }
        for (_, e) in &expectations.items {
            let path = match e {
                Expectation::HardLink(h) => {
                    listed.hardlinks.extend(
                        h.paths
                            .iter()
                            .filter_map(|p| index.found(p))
                            .map(|f| f.record),
                    );
                    continue;
                }
                Expectation::Shortcut(s) => {
                    listed
                        .shortcuts
                        .extend(index.found(&s.path).map(|f| f.record));
                    continue;
                }
                Expectation::Junction(j) => &j.path,
                Expectation::Symlink(s) => &s.path,
                Expectation::Reparse(r, _) => &r.path,
                _ => continue,
            };
            if let Some(f) = index.found(path) {
                listed.reparse.insert((f.record, f.name));
            }
        }
        listed
    }
}

/// A path pattern of `except`: `*` and `?` within one component, `**` across
/// components, `[c]` for a literal `c` (so `[*]` is a star), case-insensitive.
struct Glob(Vec<Vec<Token>>);

#[derive(Debug, Clone, Copy, PartialEq)]
enum Token {
    Char(char),
    Any,
    Star,
}

impl Glob {
    fn new(pattern: &str) -> Glob {
        let mut components: Vec<Vec<Token>> = Vec::new();
        for c in pattern.split('/').filter(|c| !c.is_empty()) {
            if c == "**" {
                if components
                    .last()
                    .is_none_or(|l| l.as_slice() != [Token::Star, Token::Star])
                {
                    components.push(vec![Token::Star, Token::Star]);
                }
                continue;
            }
            let mut tokens = Vec::new();
            let mut chars = c.chars();
            while let Some(ch) = chars.next() {
                let token = match ch {
                    '*' if tokens.last() == Some(&Token::Star) => continue,
                    '*' => Token::Star,
                    '?' => Token::Any,
                    '[' => {
                        let rest: String = chars.clone().collect();
                        match rest.find(']') {
                            Some(1) => {
                                let lit = rest.chars().next().unwrap_or('[');
                                chars.next();
                                chars.next();
                                Token::Char(lit)
                            }
                            _ => Token::Char('['),
                        }
                    }
                    other => Token::Char(other),
                };
                tokens.push(token);
            }
            components.push(tokens);
        }
        Glob(components)
    }

    fn matches(&self, path: &str) -> bool {
        let parts: Vec<Vec<char>> = path
            .split('/')
            .filter(|c| !c.is_empty())
            .map(|c| c.chars().collect())
            .collect();
        let deep = |t: &Vec<Token>| t.as_slice() == [Token::Star, Token::Star];
        // Components: `**` is a star over components.
        wildcard(&self.0, &parts, deep, |tok, c| chars_match(tok, c))
    }
}

/// One component against its pattern: `*` and `?`, case-insensitively.
fn chars_match(pattern: &[Token], name: &[char]) -> bool {
    let eq = |a: char, b: char| a == b || a.to_lowercase().eq(b.to_lowercase());
    wildcard(
        pattern,
        name,
        |t| *t == Token::Star,
        |t, &n| match t {
            Token::Any => true,
            Token::Char(c) => eq(*c, n),
            Token::Star => false,
        },
    )
}

/// Wildcard matching by linear backtracking (the last star takes one more
/// item on each mismatch): `star` items match any run, `one` matches an item.
fn wildcard<P, T>(
    pattern: &[P],
    text: &[T],
    star: impl Fn(&P) -> bool,
    one: impl Fn(&P, &T) -> bool,
) -> bool {
    let (mut p, mut t) = (0usize, 0usize);
    let mut back: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(x) if star(x) => {
                back = Some((p, t));
                p += 1;
            }
            Some(x) if text.get(t).is_some_and(|y| one(x, y)) => {
                p += 1;
                t += 1;
            }
            _ => match back {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    back = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern.get(p..).is_some_and(|rest| rest.iter().all(star))
}

/// `path` as an `except` entry that matches it alone: `*`, `?` and `[` in
/// brackets.
pub(super) fn glob_literal(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '*' | '?' | '[' => {
                out.push('[');
                out.push(c);
                out.push(']');
            }
            c => out.push(c),
        }
    }
    out
}

fn tag_words(tag: u32) -> String {
    match crate::reparse::tag_name(tag) {
        Some(name) => format!("{name} ({tag:#010x})"),
        None => format!("{tag:#010x}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        let m = |g: &str, p: &str| Glob::new(g).matches(p);
        assert!(m("/sym-*", "/SYM-dangling"));
        assert!(!m("/sym-*", "/dir/sym-x"));
        assert!(m("/**/rel-too", "/dirB/sub/rel-too"));
        assert!(m("/**/rel-too", "/rel-too"));
        assert!(m("/loop-?", "/loop-a"));
        assert!(!m("/loop-?", "/loop-ab"));
        assert!(m("/Users/*/Recent", "/Users/alice/Recent"));
        assert!(m("/a/**", "/a/b/c"));
        assert!(m("/[*]x", "/*x"));
        assert!(!m("/[*]x", "/yx"));
        assert!(m(&glob_literal("/*unction?[x]"), "/*unction?[x]"));
        assert!(!m(&glob_literal("/*unction"), "/xxunction"));
        // Many stars stay fast.
        let many = format!("/{}x", "*".repeat(200));
        assert!(!m(&many, &format!("/{}", "a".repeat(5000))));
        let deep = format!("/{}x", "**/".repeat(100));
        assert!(!m(&deep, &"/a".repeat(2000)));
    }
}
