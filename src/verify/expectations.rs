//! The expectations file: what a build meant its image's links to be, in TOML.
//!
//! ```toml
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
//! [[no_dangling]]                           # no link points at nothing
//! [[no_findings]]                           # every consistency check passes
//! ```
//!
//! Unknown tables and keys are errors; every error names its line and key.

use crate::error::{Error, Result};
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

/// `[[no_dangling]]` and `[[no_findings]]`: no keys.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Nothing {}

/// The raw file, with spans.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    allow_empty: bool,
    #[serde(default)]
    hardlink: Vec<Spanned<HardLink>>,
    #[serde(default)]
    junction: Vec<Spanned<Junction>>,
    #[serde(default)]
    symlink: Vec<Spanned<Symlink>>,
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
    no_dangling: Vec<Spanned<Nothing>>,
    #[serde(default)]
    no_findings: Vec<Spanned<Nothing>>,
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
    /// `[[no_dangling]]`
    NoDangling,
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
            Expectation::File(_) => "file",
            Expectation::Dir(_) => "dir",
            Expectation::Absent(_) => "absent",
            Expectation::Reparse(..) => "reparse",
            Expectation::LinkCount(_) => "link_count",
            Expectation::NoDangling => "no_dangling",
            Expectation::NoFindings => "no_findings",
        }
    }

    /// A short description: the table and its path(s).
    pub fn name(&self) -> String {
        let what = match self {
            Expectation::HardLink(h) => h.paths.join(", "),
            Expectation::Junction(j) => j.path.clone(),
            Expectation::Symlink(s) => s.path.clone(),
            Expectation::File(p) | Expectation::Dir(p) | Expectation::Absent(p) => p.path.clone(),
            Expectation::Reparse(r, _) => r.path.clone(),
            Expectation::LinkCount(l) => l.path.clone(),
            Expectation::NoDangling | Expectation::NoFindings => return self.kind().to_owned(),
        };
        format!("{} {what}", self.kind())
    }
}

/// A parsed expectations file, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expectations {
    /// Each expectation with its 1-based line.
    pub items: Vec<(usize, Expectation)>,
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
        let file: File = toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            let message = e.message().trim().to_owned();
            bad(at, key_at(text, at, &message), message)
        })?;
        let mut items = Vec::new();
        let mut push = |span: std::ops::Range<usize>, e: Expectation| items.push((span.start, e));
        for h in file.hardlink {
            if h.get_ref().paths.len() < 2 {
                return Err(bad(
                    h.span().start,
                    "paths".into(),
                    "a hard-link group needs two paths or more".into(),
                ));
            }
            push(h.span(), Expectation::HardLink(h.into_inner()));
        }
        for j in file.junction {
            push(j.span(), Expectation::Junction(j.into_inner()));
        }
        for s in file.symlink {
            push(s.span(), Expectation::Symlink(s.into_inner()));
        }
        for (list, make) in [
            (file.file, Expectation::File as fn(PathOnly) -> Expectation),
            (file.dir, Expectation::Dir),
            (file.absent, Expectation::Absent),
        ] {
            for p in list {
                push(p.span(), make(p.into_inner()));
            }
        }
        for r in file.reparse {
            let span = r.span();
            let r = r.into_inner();
            let tag = match &r.tag {
                TagValue::Number(n) => *n,
                TagValue::Name(name) => crate::reparse::parse_tag(name).ok_or_else(|| {
                    bad(
                        span.start,
                        "tag".into(),
                        format!("{name:?} is not a reparse tag name or number"),
                    )
                })?,
            };
            push(span, Expectation::Reparse(r, tag));
        }
        for l in file.link_count {
            push(l.span(), Expectation::LinkCount(l.into_inner()));
        }
        for n in file.no_dangling {
            push(n.span(), Expectation::NoDangling);
        }
        for n in file.no_findings {
            push(n.span(), Expectation::NoFindings);
        }
        if items.is_empty() && !file.allow_empty {
            return Err(Error::Expectations {
                line: 1,
                key: "allow_empty".into(),
                message: "no expectation: the file would check nothing (say allow_empty = true if that is meant)".into(),
            });
        }
        items.sort_by_key(|(at, _)| *at);
        // A table's span starts at its first key; report the header line above it.
        // Lines are found by binary search over the newlines, counted once: a
        // file of many thousand expectations is read in linear time.
        let newlines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
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
        Ok(Expectations { items })
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
    /// `[[hardlink]]` tables.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hardlink: Vec<HardLink>,
    /// `[[junction]]` tables.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub junction: Vec<Junction>,
    /// `[[symlink]]` tables.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub symlink: Vec<Symlink>,
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
    /// `[[no_dangling]]`, when it holds.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub no_dangling: Vec<Nothing>,
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
            && self.file.is_empty()
            && self.dir.is_empty()
            && self.reparse.is_empty()
            && self.link_count.is_empty()
            && self.no_dangling.is_empty()
            && self.no_findings.is_empty()
    }
}
