//! The expectations file: what a build meant its image's links to be, in TOML.
//!
//! ```toml
//! [settings]                                # what the checks depend on (all optional)
//! drive = "C:"                              # the volume's drive letter: absolute targets are judged with it ("" = unknown)
//! check_index = true                        # [[no_findings]] also covers the $I30 index checks
//! check_times = true                        # [[no_findings]] also covers the time checks
//!
//! [[hardlink]]
//! paths = ["/a/x.bin", "/b/y.bin"]          # exactly these names share one record
//!
//! [[junction]]
//! path = "/Users/alice/Application Data"
//! target = 'C:\Users\alice\AppData\Roaming' # the print name, or the substitute name without \??\
//! resolves_to = "/Users/alice/AppData/Roaming"   # optional
//!
//! [[symlink]]
//! path = "/link"
//! target = '..\a.txt'
//! relative = true                           # optional
//! dir = false                               # optional: a directory or a file symlink
//! resolves_to = "/a.txt"                    # optional
//!
//! [[shortcut]]                              # a shell link (.lnk) or .pif, found by its content
//! path = "/Users/alice/Desktop/report.lnk"
//! target = 'C:\Users\alice\Documents\report.docx'   # optional: the path it names
//! resolves_to = "/Users/alice/Documents/report.docx"  # optional
//! outcome = "resolved"                      # optional: dangling, other_volume, remote, ...
//!
//! [[file]]                                  # also [[dir]] and [[absent]]
//! path = "/a/x.bin"
//!
//! [[reparse]]
//! path = "/x"
//! tag = "IO_REPARSE_TAG_WOF"                # any tag, by name or number
//!
//! [[link_count]]
//! path = "/a/x.bin"
//! count = 2                                 # hard links: names that are not 8.3 aliases
//!
//! [[only]]                                  # no link that this file does not list
//! under = "/Users"                          # optional: only links at or under this path
//! shortcuts = true                          # optional: shortcuts too
//!
//! [[no_dangling]]                           # no link points at nothing
//! under = "/Users"                          # optional: only links at or under this path
//! except = ["/old-junction", "/Users/*/Application Data"]   # optional: paths or globs
//! shortcuts = true                          # optional: shortcuts too
//!
//! [[no_findings]]                           # every consistency check passes
//! ```
//!
//! `[[no_findings]]` covers every check of a record (fixups, header, attributes,
//! names and their parent chains, reparse buffers, attribute lists); with
//! `check_index = true` also the $I30 index checks (`scan --check-index`), with
//! `check_times = true` also the time checks (`scan --times`). `[[only]]` covers
//! hard-link groups (listed by a `[[hardlink]]` naming one of their paths),
//! junctions, symbolic links and other reparse points (listed by a table with
//! their path: `[[junction]]`, `[[symlink]]` or `[[reparse]]`), each of their
//! names, and with `shortcuts = true` shortcuts (listed by a `[[shortcut]]`).
//! `[[no_dangling]]` covers shortcuts with `shortcuts = true` only: a Windows
//! profile's `Recent` folder is full of shortcuts to what is gone.
//!
//! Paths are found as Windows finds them (exact case first, then any case; `.`,
//! `..`, 8.3 aliases; `\` as a separator too when `/` alone finds nothing) and
//! compared by what they find. Globs in `except` match case-insensitively: `*`
//! and `?` within one component, `**` across components, `[c]` the character
//! `c` itself.
//!
//! Unknown tables and keys are errors; every error names its line and key, and
//! a file with no expectation is an error unless it says `allow_empty = true`.

use crate::error::{Error, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// `[[hardlink]]`: exactly these paths are the hard links of one record.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HardLink {
    /// Two paths or more.
    pub paths: Vec<String>,
}

/// `[[junction]]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Junction {
    /// Where the junction is.
    pub path: String,
    /// Its print name, or its substitute name without `\??\`.
    pub target: String,
    /// The path its target resolves to in this image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolves_to: Option<String>,
}

/// `[[symlink]]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Symlink {
    /// Where the symbolic link is.
    pub path: String,
    /// Its print name, or its substitute name without `\??\`.
    pub target: String,
    /// The relative flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relative: Option<bool>,
    /// A directory symlink (true) or a file symlink (false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dir: Option<bool>,
    /// The path its target resolves to in this image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolves_to: Option<String>,
}

/// `[[shortcut]]`: a shell link (`.lnk`) or `.pif`, found by its content.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Shortcut {
    /// Where the shortcut is.
    pub path: String,
    /// The path it names (its LinkInfo's local path or share, its ID list's
    /// path, or its relative path), compared case-insensitively.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The path its target resolves to in this image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolves_to: Option<String>,
    /// How it resolves: `resolved`, `dangling`, `other_volume`, `remote`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
}

/// `[[file]]`, `[[dir]]`, `[[absent]]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PathOnly {
    /// The path.
    pub path: String,
}

/// A tag by name (`IO_REPARSE_TAG_WOF`, `wof`) or number.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum TagValue {
    /// A number.
    Number(u32),
    /// A name, or a number in a string (`0x80000017`).
    Name(String),
}

/// `[[reparse]]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Reparse {
    /// Where the reparse point is.
    pub path: String,
    /// Its tag.
    pub tag: TagValue,
}

/// `[[link_count]]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LinkCount {
    /// A path of the file.
    pub path: String,
    /// How many hard links (names that are not 8.3 aliases).
    pub count: u32,
}

/// `[[no_findings]]`: no keys.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Nothing {}

/// `[[no_dangling]]`: no link dangles, but those `except` names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NoDangling {
    /// Only links at or under this path (the whole volume without it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub under: Option<String>,
    /// Paths or globs of links that may dangle.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub except: Vec<String>,
    /// Shortcuts too.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub shortcuts: bool,
}

/// `[[only]]`: the image holds no hard-link group, junction, symbolic link or
/// other reparse point (at or `under` a path) that the file does not list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Only {
    /// Only links at or under this path (the whole volume without it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub under: Option<String>,
    /// Shortcuts too.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub shortcuts: bool,
}

/// `[settings]`: the options the checks depend on. `verify` uses them; a
/// command-line flag that contradicts one is an error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The drive letter the volume had (`"C:"`): absolute link targets are
    /// judged with it; `""` says it is not known (absolute targets are
    /// undetermined, and `--drive` is refused).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drive: Option<String>,
    /// `[[no_findings]]` also covers the $I30 index checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_index: Option<bool>,
    /// `[[no_findings]]` also covers the time checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_times: Option<bool>,
}

/// What a run of `verify` or `expect` is done with: the expectations file's
/// [`Settings`] and the command line's, merged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Checking {
    /// The volume's drive letter, upper case.
    pub drive: Option<char>,
    /// Run the $I30 index checks.
    pub check_index: bool,
    /// Keep times, and run the time checks.
    pub check_times: bool,
}

impl Checking {
    /// Options of a run: the drive letter, and which checks beyond a record's.
    pub fn new(drive: Option<char>, check_index: bool, check_times: bool) -> Checking {
        Checking {
            drive,
            check_index,
            check_times,
        }
    }

    /// The options `reports` were made with.
    pub fn of(reports: &crate::Reports<'_>) -> Checking {
        let analysis = reports.analysis();
        Checking {
            drive: reports.options().drive,
            check_index: analysis.options().check_index,
            check_times: analysis.scan().options().times,
        }
    }

    /// What the scan keeps: times with `check_times`.
    pub fn scan_options(self) -> crate::ScanOptions {
        crate::ScanOptions::default().times(self.check_times)
    }

    /// Which checks run: the index checks with `check_index`.
    pub fn analysis_options(self) -> crate::AnalysisOptions {
        crate::AnalysisOptions::default().check_index(self.check_index)
    }

    /// How link targets are judged: with the drive letter.
    pub fn link_options(self) -> crate::LinkOptions {
        crate::LinkOptions { drive: self.drive }
    }

    /// The settings that say these options, for `expect` to write (`drive =
    /// ""` when no drive letter was given, so that none can be added later).
    pub fn to_settings(self) -> Settings {
        Settings {
            drive: Some(self.drive.map(|d| format!("{d}:")).unwrap_or_default()),
            check_index: Some(self.check_index),
            check_times: Some(self.check_times),
        }
    }
}

/// `C`, `C:`, `c:\` to `C`.
pub fn parse_drive(s: &str) -> Option<char> {
    let t = s.trim_end_matches(['\\', '/']).trim_end_matches(':');
    let mut chars = t.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_alphabetic() => Some(c.to_ascii_uppercase()),
        _ => None,
    }
}

/// The raw file, with spans.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    allow_empty: bool,
    #[serde(default)]
    settings: Option<Spanned<Settings>>,
    #[serde(default)]
    only: Vec<Spanned<Only>>,
    #[serde(default)]
    hardlink: Vec<Spanned<HardLink>>,
    #[serde(default)]
    junction: Vec<Spanned<Junction>>,
    #[serde(default)]
    symlink: Vec<Spanned<Symlink>>,
    #[serde(default)]
    shortcut: Vec<Spanned<Shortcut>>,
    #[serde(default)]
    file: Vec<Spanned<PathOnly>>,
    #[serde(default)]
    dir: Vec<Spanned<PathOnly>>,
    #[serde(default)]
    absent: Vec<Spanned<PathOnly>>,
    #[serde(default)]
    reparse: Vec<Spanned<Reparse>>,
    #[serde(default)]
    link_count: Vec<Spanned<LinkCount>>,
    #[serde(default)]
    no_dangling: Vec<Spanned<NoDangling>>,
    #[serde(default)]
    no_findings: Vec<Spanned<Nothing>>,
}

impl File {
    /// Every expectation of a file (or of a part of one starting at byte
    /// `base` of the whole text), with its byte offset in the whole text.
    fn into_items(
        self,
        base: usize,
        bad: &dyn Fn(usize, String, String) -> Error,
        items: &mut Vec<(usize, Expectation)>,
    ) -> Result<()> {
        let mut push =
            |span: std::ops::Range<usize>, e: Expectation| items.push((base + span.start, e));
        for h in self.hardlink {
            if h.get_ref().paths.len() < 2 {
                return Err(bad(
                    base + h.span().start,
                    "paths".into(),
                    "a hard-link group needs two paths or more".into(),
                ));
            }
            push(h.span(), Expectation::HardLink(h.into_inner()));
        }
        for j in self.junction {
            push(j.span(), Expectation::Junction(j.into_inner()));
        }
        for s in self.symlink {
            push(s.span(), Expectation::Symlink(s.into_inner()));
        }
        for s in self.shortcut {
            let span = s.span();
            let s = s.into_inner();
            if let Some(outcome) = &s.outcome
                && crate::links::Outcome::from_name(outcome).is_none()
            {
                return Err(bad(
                    base + span.start,
                    "outcome".into(),
                    format!(
                        "{outcome:?} is not an outcome (resolved, dangling, other_volume, remote, type_mismatch, ...)"
                    ),
                ));
            }
            push(span, Expectation::Shortcut(s));
        }
        for (list, make) in [
            (self.file, Expectation::File as fn(PathOnly) -> Expectation),
            (self.dir, Expectation::Dir),
            (self.absent, Expectation::Absent),
        ] {
            for p in list {
                push(p.span(), make(p.into_inner()));
            }
        }
        for r in self.reparse {
            let span = r.span();
            let r = r.into_inner();
            let tag = match &r.tag {
                TagValue::Number(n) => *n,
                TagValue::Name(name) => crate::reparse::parse_tag(name).ok_or_else(|| {
                    bad(
                        base + span.start,
                        "tag".into(),
                        format!("{name:?} is not a reparse tag name or number"),
                    )
                })?,
            };
            push(span, Expectation::Reparse(r, tag));
        }
        for l in self.link_count {
            push(l.span(), Expectation::LinkCount(l.into_inner()));
        }
        for o in self.only {
            push(o.span(), Expectation::Only(o.into_inner()));
        }
        for n in self.no_dangling {
            push(n.span(), Expectation::NoDangling(n.into_inner()));
        }
        for n in self.no_findings {
            push(n.span(), Expectation::NoFindings);
        }
        Ok(())
    }
}

/// Parses the tables of an expectations file, in parallel when it is large: the
/// text is cut before `[[` table headers into parts parsed on their own, each
/// with the byte where it starts. A cut inside a multi-line string leaves the
/// part before it unterminated, so any part that fails (or a `[settings]` seen
/// twice) sends the whole text through one parse, which also gives the error
/// its true place.
fn parse_tables(text: &str) -> Result<Vec<(usize, File)>> {
    const PART: usize = 1 << 20;
    let parts = text.len() / PART + 1;
    // Keys before the first table header are the one place where a part could
    // clash with a table of another (`file = [...]` and a later `[[file]]`):
    // only `allow_empty` may be there for the parts to be parsed apart.
    let prelude_is_plain = text
        .lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with('['))
        .all(|l| l.is_empty() || l.starts_with('#') || l.starts_with("allow_empty"));
    if parts > 1 && prelude_is_plain {
        let mut cuts = vec![0];
        for k in 1..parts {
            let from = k * PART;
            if let Some(at) = text.get(from..).and_then(|t| t.find("\n[[")) {
                let at = from + at + 1;
                if cuts.last().is_some_and(|&c| c < at) {
                    cuts.push(at);
                }
            }
        }
        cuts.push(text.len());
        let parsed: std::result::Result<Vec<(usize, File)>, ()> = cuts
            .par_windows(2)
            .map(|w| match w {
                [a, b] => text.get(*a..*b).ok_or(()).and_then(|part| {
                    toml::from_str::<File>(part)
                        .map(|f| (*a, f))
                        .map_err(|_| ())
                }),
                _ => Err(()),
            })
            .collect();
        if let Ok(files) = parsed
            && files.iter().filter(|(_, f)| f.settings.is_some()).count() <= 1
            && files.iter().skip(1).all(|(_, f)| !f.allow_empty)
        {
            return Ok(files);
        }
    }
    let file: File = toml::from_str(text).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        let message = e.message().trim().to_owned();
        Error::Expectations {
            line: line_of(text, at),
            key: key_at(text, at, &message),
            message,
        }
    })?;
    Ok(vec![(0, file)])
}

/// One expectation and the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expectation {
    /// `[[hardlink]]`
    HardLink(HardLink),
    /// `[[junction]]`
    Junction(Junction),
    /// `[[symlink]]`
    Symlink(Symlink),
    /// `[[shortcut]]`
    Shortcut(Shortcut),
    /// `[[file]]`
    File(PathOnly),
    /// `[[dir]]`
    Dir(PathOnly),
    /// `[[absent]]`
    Absent(PathOnly),
    /// `[[reparse]]`, with the tag parsed.
    Reparse(Reparse, u32),
    /// `[[link_count]]`
    LinkCount(LinkCount),
    /// `[[only]]`
    Only(Only),
    /// `[[no_dangling]]`
    NoDangling(NoDangling),
    /// `[[no_findings]]`
    NoFindings,
}

impl Expectation {
    /// The table name, e.g. `hardlink`.
    pub fn kind(&self) -> &'static str {
        match self {
            Expectation::HardLink(_) => "hardlink",
            Expectation::Junction(_) => "junction",
            Expectation::Symlink(_) => "symlink",
            Expectation::Shortcut(_) => "shortcut",
            Expectation::File(_) => "file",
            Expectation::Dir(_) => "dir",
            Expectation::Absent(_) => "absent",
            Expectation::Reparse(..) => "reparse",
            Expectation::LinkCount(_) => "link_count",
            Expectation::Only(_) => "only",
            Expectation::NoDangling(_) => "no_dangling",
            Expectation::NoFindings => "no_findings",
        }
    }

    /// A short description: the table and its path(s).
    pub fn name(&self) -> String {
        let what = match self {
            Expectation::HardLink(h) => h.paths.join(", "),
            Expectation::Junction(j) => j.path.clone(),
            Expectation::Symlink(s) => s.path.clone(),
            Expectation::Shortcut(s) => s.path.clone(),
            Expectation::File(p) | Expectation::Dir(p) | Expectation::Absent(p) => p.path.clone(),
            Expectation::Reparse(r, _) => r.path.clone(),
            Expectation::LinkCount(l) => l.path.clone(),
            Expectation::Only(o) => o.under.clone().unwrap_or_else(|| "/".to_owned()),
            Expectation::NoDangling(n) if n.under.is_some() || !n.except.is_empty() => {
                let mut parts = Vec::new();
                if let Some(u) = &n.under {
                    parts.push(format!("under {u}"));
                }
                if !n.except.is_empty() {
                    parts.push(format!("except {}", n.except.join(", ")));
                }
                parts.join(" ")
            }
            Expectation::NoDangling(_) | Expectation::NoFindings => {
                return self.kind().to_owned();
            }
        };
        format!("{} {what}", self.kind())
    }
}

/// A parsed expectations file, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expectations {
    /// Each expectation with its 1-based line.
    pub items: Vec<(usize, Expectation)>,
    /// The `[settings]` table (empty without one).
    pub settings: Settings,
    /// The line of `[settings]`, when there is one.
    pub settings_line: Option<usize>,
    /// The line of each key of `[settings]`.
    pub settings_keys: Vec<(String, usize)>,
}

/// 1-based line of byte `at` in `text`.
fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()
        .iter()
        .take(at)
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The key an error at byte `at` concerns: the key on that line, or the one the
/// message names in backquotes.
fn key_at(text: &str, at: usize, message: &str) -> String {
    let line = text[..at.min(text.len())].rsplit('\n').next().unwrap_or("");
    let rest = text[at.min(text.len())..].split('\n').next().unwrap_or("");
    let whole = format!("{line}{rest}");
    if message.contains("field `")
        && let Some(named) = message.split('`').nth(1)
    {
        return named.to_owned();
    }
    match whole.split_once('=') {
        Some((key, _)) => key.trim().to_owned(),
        None => whole.trim().to_owned(),
    }
}

impl Expectations {
    /// Parses an expectations file.
    ///
    /// ```
    /// use ntfs_links::verify::{Expectation, Expectations};
    /// let e = Expectations::from_toml("[[file]]\npath = \"/a\"\n\n[[no_findings]]\n").unwrap();
    /// assert_eq!(e.items.len(), 2);
    /// assert_eq!(e.items[1], (4, Expectation::NoFindings));
    /// let err = Expectations::from_toml("[[file]]\npth = \"/a\"\n").unwrap_err();
    /// assert!(err.to_string().contains("line 2"), "{err}");
    /// ```
    pub fn from_toml(text: &str) -> Result<Expectations> {
        let bad = |at: usize, key: String, message: String| Error::Expectations {
            line: line_of(text, at),
            key,
            message,
        };
        let mut items = Vec::new();
        let mut allow_empty = false;
        let mut settings_at: Option<(Settings, usize)> = None;
        for (base, mut file) in parse_tables(text)? {
            allow_empty |= file.allow_empty;
            if let Some(s) = file.settings.take() {
                let at = base + s.span().start;
                settings_at = Some((s.into_inner(), at));
            }
            file.into_items(base, &bad, &mut items)?;
        }
        if items.is_empty() && !allow_empty {
            return Err(Error::Expectations {
                line: 1,
                key: "allow_empty".into(),
                message: "no expectation: the file would check nothing (say allow_empty = true if that is meant)".into(),
            });
        }
        let (settings, settings_at) = match settings_at {
            Some((s, at)) => (s, Some(at)),
            None => (Settings::default(), None),
        };
        if let (Some(d), Some(at)) = (&settings.drive, settings_at)
            && !d.is_empty()
            && parse_drive(d).is_none()
        {
            return Err(bad(
                at,
                "drive".into(),
                format!("{d:?} is not a drive letter such as \"C:\""),
            ));
        }
        items.sort_by_key(|(at, _)| *at);
        // A table's span starts at its first key; report the header line above it.
        // Lines are found by binary search over the newlines, counted once: a
        // file of many thousand expectations is read in linear time.
        let newlines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
        let settings_line = settings_at.map(|at| {
            let header = text
                .get(..(at + 1).min(text.len()))
                .and_then(|t| t.rfind("[settings]"))
                .unwrap_or(at);
            newlines.partition_point(|&n| n < header) + 1
        });
        // The line of each key of [settings], for errors about it.
        let settings_keys = settings_line
            .map(|first| {
                text.lines()
                    .enumerate()
                    .skip(first)
                    .take_while(|(_, l)| !l.trim_start().starts_with('['))
                    .filter_map(|(i, l)| Some((l.split_once('=')?.0.trim().to_owned(), i + 1)))
                    .collect()
            })
            .unwrap_or_default();
        let items = items
            .into_iter()
            .map(|(at, e)| {
                let header = text
                    .get(..(at + 2).min(text.len()))
                    .and_then(|t| t.rfind("[["))
                    .unwrap_or(at);
                (newlines.partition_point(|&n| n < header) + 1, e)
            })
            .collect();
        Ok(Expectations {
            items,
            settings,
            settings_line,
            settings_keys,
        })
    }

    /// The options to check with: the file's [`Settings`], and the command
    /// line's `flags` where the file says nothing. A flag that contradicts the
    /// file is an error: the file is what was blessed.
    pub fn checking(&self, flags: Checking) -> Result<Checking> {
        let s = &self.settings;
        let line_of = |key: &str| {
            self.settings_keys
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, l)| *l)
                .or(self.settings_line)
                .unwrap_or(1)
        };
        let contradiction = |key: &str, file: String, flag: String| Error::Expectations {
            line: line_of(key),
            key: key.to_owned(),
            message: format!(
                "the command line says {flag}, the file's [settings] say {key} = {file}: drop the flag or change the file"
            ),
        };
        // `drive = ""` says the volume had no known letter.
        let file_drive = s.drive.as_deref().map(parse_drive);
        let drive = match (file_drive, flags.drive) {
            (Some(file), Some(flag)) if file != Some(flag) => {
                let said = file.map_or_else(String::new, |d| format!("{d}:"));
                return Err(contradiction(
                    "drive",
                    format!("\"{said}\""),
                    format!("--drive {flag}:"),
                ));
            }
            (Some(file), _) => file,
            (None, flag) => flag,
        };
        let flag = |key: &str, file: Option<bool>, flag: bool| match (file, flag) {
            (Some(false), true) => Err(contradiction(
                key,
                "false".into(),
                format!("--{}", key.replace('_', "-")),
            )),
            (Some(v), _) => Ok(v),
            (None, v) => Ok(v),
        };
        let check_index = flag("check_index", s.check_index, flags.check_index)?;
        let check_times = flag("check_times", s.check_times, flags.check_times)?;
        Ok(Checking {
            drive,
            check_index,
            check_times,
        })
    }

    /// Reads and parses an expectations file.
    pub fn read(path: impl AsRef<std::path::Path>) -> Result<Expectations> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| Error::Open {
            path: path.to_owned(),
            source,
        })?;
        Expectations::from_toml(&text)
    }
}

/// Expectations to write back as TOML (the bless step).
#[derive(Debug, Default, Serialize)]
#[non_exhaustive]
pub struct ExpectationsOut {
    /// `allow_empty = true`: a file with no expectation is meant to be so.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub allow_empty: bool,
    /// `[settings]`: the options the expectations were blessed with.
    pub settings: Settings,
    /// `[[hardlink]]` tables.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hardlink: Vec<HardLink>,
    /// `[[junction]]` tables.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub junction: Vec<Junction>,
    /// `[[symlink]]` tables.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub symlink: Vec<Symlink>,
    /// `[[shortcut]]` tables.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shortcut: Vec<Shortcut>,
    /// `[[file]]` tables.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub file: Vec<PathOnly>,
    /// `[[dir]]` tables.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dir: Vec<PathOnly>,
    /// `[[reparse]]` tables.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reparse: Vec<Reparse>,
    /// `[[link_count]]` tables.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub link_count: Vec<LinkCount>,
    /// `[[only]]`: one per path blessed (or one for the whole volume).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub only: Vec<Only>,
    /// `[[no_dangling]]`, excepting the links that dangle now.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub no_dangling: Vec<NoDangling>,
    /// `[[no_findings]]`, when it holds.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub no_findings: Vec<Nothing>,
}

impl ExpectationsOut {
    /// True when it holds no expectation.
    pub fn is_empty(&self) -> bool {
        self.hardlink.is_empty()
            && self.junction.is_empty()
            && self.symlink.is_empty()
            && self.shortcut.is_empty()
            && self.file.is_empty()
            && self.dir.is_empty()
            && self.reparse.is_empty()
            && self.link_count.is_empty()
            && self.only.is_empty()
            && self.no_dangling.is_empty()
            && self.no_findings.is_empty()
    }
}
