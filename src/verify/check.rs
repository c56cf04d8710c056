//! Checking expectations against a scanned image.
//!
//! Paths are `/`-separated from the root (`\` is taken as `/`); an exact match is
//! looked for first, then a case-insensitive one, as Windows would find it. Link
//! targets compare case-insensitively with the print name, or with the substitute
//! name without its `\??\` prefix.

use super::expectations::{Expectation, Expectations};
use crate::attribute::Namespace;
use crate::links::{NameReport, Outcome, RecordReport, Reports};
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
    /// Records with more than one hard link or with a reparse point, in order.
    links: Vec<u64>,
    /// Records with findings, in order.
    with_findings: Vec<u64>,
}

/// `\` as `/`, a leading `/`, no trailing `/`.
pub(super) fn normalize(path: &str) -> String {
    let p = path.replace('\\', "/");
    let p = p.trim_end_matches('/');
    if p.starts_with('/') {
        p.to_owned()
    } else {
        format!("/{p}")
    }
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
                    let found = match p.trim_end_matches(['/', '\\']).rsplit_once(['/', '\\']) {
                        Some((parent, name)) if !name.is_empty() => {
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
        let found = match self.found.get(path) {
            Some(&found) => found,
            None => self.tree.lookup(path)?,
        };
        let report = self.reports.get(&found.record)?;
        Some((report, report.names.get(found.name)?))
    }

    /// The reports of the records with more than one hard link or with a
    /// reparse point, in record order.
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
        Expectation::File(p) | Expectation::Dir(p) | Expectation::Absent(p) => {
            vec![p.path.as_str()]
        }
        Expectation::Reparse(r, _) => vec![r.path.as_str()],
        Expectation::LinkCount(l) => vec![l.path.as_str()],
        Expectation::Only(_) | Expectation::NoDangling(_) | Expectation::NoFindings => Vec::new(),
    }
}

/// Whether a link's outcome means its target is not there.
pub(super) fn dangles(outcome: Outcome) -> bool {
    matches!(
        outcome,
        Outcome::Dangling | Outcome::Cycle | Outcome::EscapesRoot | Outcome::Undetermined
    )
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
    let paths = expectations.items.iter().flat_map(|(_, e)| paths_of(e));
    let index = Index::new(reports, paths);
    let listed = Listed::new(expectations);
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

fn resolution_failure(path: &str, name: &NameReport, want: &str) -> Option<Failure> {
    let expected = format!("resolves to {}", normalize(want));
    let Some(res) = &name.resolution else {
        return Some(fail(path, expected, "not a link that resolves"));
    };
    match (&res.outcome, &res.path) {
        (Outcome::Resolved | Outcome::TypeMismatch, Some(p))
            if p.to_uppercase() == normalize(want).to_uppercase() =>
        {
            None
        }
        (Outcome::Resolved | Outcome::TypeMismatch, Some(p)) => {
            Some(fail(path, expected, format!("resolves to {p}")))
        }
        (outcome, _) => Some(fail(
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
                let want: BTreeSet<String> = h
                    .paths
                    .iter()
                    .map(|p| normalize(p).to_uppercase())
                    .collect();
                let have: BTreeSet<String> = first
                    .hard_links()
                    .filter_map(|n| n.path.as_deref())
                    .map(str::to_uppercase)
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
                    if let Some(f) = j
                        .resolves_to
                        .as_deref()
                        .and_then(|w| resolution_failure(&j.path, name, w))
                    {
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
                    if let Some(f) = s
                        .resolves_to
                        .as_deref()
                        .and_then(|w| resolution_failure(&s.path, name, w))
                    {
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
            let under = o.under.as_deref().map(|u| normalize(u).to_uppercase());
            let within = |upper: &str| match &under {
                None => true,
                Some(u) => {
                    u == "/"
                        || upper == u
                        || (upper.starts_with(u.as_str())
                            && upper.as_bytes().get(u.len()) == Some(&b'/'))
                }
            };
            for r in index.links() {
                let paths: Vec<(&str, String)> = r
                    .hard_links()
                    .filter_map(|n| n.path.as_deref())
                    .map(|p| (p, p.to_uppercase()))
                    .collect();
                let mut inside = paths.iter().filter(|(_, upper)| within(upper));
                if r.is_multi_link()
                    && let Some((first, _)) = inside.next()
                    && !paths
                        .iter()
                        .any(|(_, upper)| listed.hardlinks.contains(upper))
                {
                    let all: Vec<&str> = paths.iter().map(|(p, _)| *p).collect();
                    out.push(fail(
                        first,
                        "only the links the file lists",
                        format!("a hard-link group it does not list: {}", all.join(", ")),
                    ));
                }
                let Some(rp) = r.reparse.as_ref().filter(|rp| rp.tag.is_some()) else {
                    continue;
                };
                for (p, upper) in paths.iter().filter(|(_, upper)| within(upper)) {
                    if !listed.reparse.contains(upper) {
                        out.push(fail(
                            p,
                            "only the links the file lists",
                            format!("{} it does not list", describe_reparse(r, rp)),
                        ));
                    }
                }
            }
        }
        Expectation::NoDangling(n) => {
            let globs: Vec<Glob> = n.except.iter().map(|g| Glob::new(g)).collect();
            for r in index.links() {
                for n in &r.names {
                    let Some(res) = n.resolution.as_ref().filter(|res| dangles(res.outcome)) else {
                        continue;
                    };
                    let path = n.path.as_deref().unwrap_or("?");
                    if globs.iter().any(|g| g.matches(path)) {
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

/// What an expectations file lists, for `[[only]]`: upper-cased paths of its
/// hard-link groups, and of its junctions, symbolic links and reparse points.
struct Listed {
    hardlinks: HashSet<String>,
    reparse: HashSet<String>,
}

impl Listed {
    fn new(expectations: &Expectations) -> Listed {
        let mut listed = Listed {
            hardlinks: HashSet::new(),
            reparse: HashSet::new(),
        };
        let has_only = expectations
            .items
            .iter()
            .any(|(_, e)| matches!(e, Expectation::Only(_)));
        if !has_only {
            return listed;
        }
        for (_, e) in &expectations.items {
            let key = |p: &str| normalize(p).to_uppercase();
            match e {
                Expectation::HardLink(h) => listed.hardlinks.extend(h.paths.iter().map(|p| key(p))),
                Expectation::Junction(j) => {
                    listed.reparse.insert(key(&j.path));
                }
                Expectation::Symlink(s) => {
                    listed.reparse.insert(key(&s.path));
                }
                Expectation::Reparse(r, _) => {
                    listed.reparse.insert(key(&r.path));
                }
                _ => {}
            }
        }
        listed
    }
}

/// A path pattern of `except`: `*` and `?` within one component, `**` across
/// components, case-insensitive; `\` as `/`.
struct Glob(Vec<Vec<char>>);

impl Glob {
    fn new(pattern: &str) -> Glob {
        Glob(
            normalize(pattern)
                .split('/')
                .filter(|c| !c.is_empty())
                .map(|c| c.to_uppercase().chars().collect())
                .collect(),
        )
    }

    fn matches(&self, path: &str) -> bool {
        let path: Vec<Vec<char>> = path
            .split('/')
            .filter(|c| !c.is_empty())
            .map(|c| c.to_uppercase().chars().collect())
            .collect();
        let pattern: Vec<&[char]> = self.0.iter().map(Vec::as_slice).collect();
        let path: Vec<&[char]> = path.iter().map(Vec::as_slice).collect();
        components_match(&pattern, &path)
    }
}

fn components_match(pattern: &[&[char]], path: &[&[char]]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((&['*', '*'], rest)) => (0..=path.len()).any(|skip| {
            path.get(skip..)
                .is_some_and(|tail| components_match(rest, tail))
        }),
        Some((first, rest)) => match path.split_first() {
            Some((head, tail)) => chars_match(first, head) && components_match(rest, tail),
            None => false,
        },
    }
}

fn chars_match(pattern: &[char], name: &[char]) -> bool {
    match pattern.split_first() {
        None => name.is_empty(),
        Some(('*', rest)) => (0..=name.len())
            .any(|skip| name.get(skip..).is_some_and(|tail| chars_match(rest, tail))),
        Some(('?', rest)) => name
            .split_first()
            .is_some_and(|(_, tail)| chars_match(rest, tail)),
        Some((c, rest)) => name
            .split_first()
            .is_some_and(|(h, tail)| h == c && chars_match(rest, tail)),
    }
}

fn tag_words(tag: u32) -> String {
    match crate::reparse::tag_name(tag) {
        Some(name) => format!("{name} ({tag:#010x})"),
        None => format!("{tag:#010x}"),
    }
}
