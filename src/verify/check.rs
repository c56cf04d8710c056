//! Checking expectations against a scanned image.
//!
//! Paths are `/`-separated from the root (`\` is taken as `/`); an exact match is
//! looked for first, then a case-insensitive one, as Windows would find it. Link
//! targets compare case-insensitively with the print name, or with the substitute
//! name without its `\??\` prefix.

use super::expectations::{Expectation, Expectations};
use crate::links::{NameReport, Outcome, RecordReport, Reports};
use crate::reparse::{ReparseKind, ReparsePoint};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

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

/// The reports of a scan, found by path.
pub(super) struct Index {
    pub reports: Vec<RecordReport>,
    exact: HashMap<String, (usize, usize)>,
    folded: HashMap<String, Vec<(usize, usize)>>,
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

impl Index {
    pub fn new(reports: &Reports<'_>) -> Index {
        let reports: Vec<RecordReport> = reports.iter().collect();
        let mut exact = HashMap::new();
        let mut folded: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for (r, report) in reports.iter().enumerate() {
            for (n, name) in report.names.iter().enumerate() {
                if let Some(p) = &name.path {
                    exact.entry(p.clone()).or_insert((r, n));
                    folded.entry(p.to_uppercase()).or_default().push((r, n));
                }
            }
        }
        Index {
            reports,
            exact,
            folded,
        }
    }

    pub fn find(&self, path: &str) -> Option<(&RecordReport, &NameReport)> {
        let p = normalize(path);
        let (r, n) = match self.exact.get(&p) {
            Some(&hit) => hit,
            None => match self.folded.get(&p.to_uppercase())?.as_slice() {
                [one] => *one,
                _ => return None,
            },
        };
        let report = self.reports.get(r)?;
        Some((report, report.names.get(n)?))
    }
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
    let index = Index::new(reports);
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
        .chain(expectations.items.iter().map(|(line, e)| {
            let failures = check(&index, e);
            Check {
                kind: e.kind(),
                name: e.name(),
                line: *line,
                passed: failures.is_empty(),
                failures,
            }
        }))
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
    let what = if r.is_dir { "a directory" } else { "a file" };
    match &r.reparse {
        Some(rp) => format!(
            "{what} with a {} reparse point{}",
            rp.kind,
            target_of(rp)
                .map(|t| format!(" to {t}"))
                .unwrap_or_default()
        ),
        None => what.to_owned(),
    }
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

fn check(index: &Index, e: &Expectation) -> Vec<Failure> {
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
        Expectation::NoDangling => {
            for r in &index.reports {
                for n in &r.names {
                    let Some(res) = &n.resolution else { continue };
                    if matches!(
                        res.outcome,
                        Outcome::Dangling
                            | Outcome::Cycle
                            | Outcome::EscapesRoot
                            | Outcome::Undetermined
                    ) {
                        out.push(fail(
                            n.path.as_deref().unwrap_or("?"),
                            "a link whose target exists",
                            format!("{}: {}", res.outcome, res.reason.as_deref().unwrap_or("")),
                        ));
                    }
                }
            }
        }
        Expectation::NoFindings => {
            for r in index.reports.iter().filter(|r| !r.findings.is_empty()) {
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

fn tag_words(tag: u32) -> String {
    match crate::reparse::tag_name(tag) {
        Some(name) => format!("{name} ({tag:#010x})"),
        None => format!("{tag:#010x}"),
    }
}
