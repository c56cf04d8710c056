//! The checks made record by record: link counts and nameless records, names
//! without a path, a reparse point against its record, and timestamps.

use super::par_chunks;
use crate::attribute::FileAttributes;
use crate::attribute::{Namespace, Timestamps};
use crate::record::well_known::RESERVED;
use crate::reparse::ReparsePoint;
use crate::scan::{Finding, FindingKind, Record, RecordState};
use crate::tree::Tree;

/// What the record-by-record checks give, in record order: the findings that
/// come before the index checks (link counts), those after (paths, reparse
/// point, times), and every reparse point decoded (once, here).
#[derive(Default)]
pub(super) struct PerRecord {
    pub early: Vec<(u64, Finding)>,
    pub late: Vec<(u64, Finding)>,
    pub reparse: Vec<(u64, ReparsePoint)>,
}

enum Item {
    Early(Finding),
    Late(Finding),
    Reparse(ReparsePoint),
}

pub(super) fn per_record(tree: &Tree) -> PerRecord {
    let scan = tree.scan();
    let items: Vec<(u64, Item)> = par_chunks(scan, |from, to, out| {
        let mut mine = Vec::new();
        for r in (from..to)
            .filter_map(|n| scan.record(n))
            .filter(|r| r.is_reported())
        {
            let n = r.number();
            counts(&r, &mut mine);
            out.extend(mine.drain(..).map(|f| (n, Item::Early(f))));
            paths(tree, &r, &mut mine);
            let reparse = r.reparse_point();
            reparse_checks(&r, reparse.as_ref(), &mut mine);
            time_checks(&r, &mut mine);
            out.extend(mine.drain(..).map(|f| (n, Item::Late(f))));
            out.extend(reparse.map(|rp| (n, Item::Reparse(rp))));
        }
    });
    let mut split = PerRecord::default();
    for (n, item) in items {
        match item {
            Item::Early(f) => split.early.push((n, f)),
            Item::Late(f) => split.late.push((n, f)),
            Item::Reparse(rp) => split.reparse.push((n, rp)),
        }
    }
    split
}

/// Link count against names, and in-use records without names; not on records
/// whose attributes could not all be read (their names may be incomplete).
fn counts(r: &Record<'_>, findings: &mut Vec<Finding>) {
    if r.state() != RecordState::Valid || !r.in_use() || r.is_damaged() {
        return;
    }
    let names = r.names().count();
    if names == 0 && !RESERVED.contains(&r.number()) {
        findings.push(Finding::new(
            FindingKind::NoName,
            "in-use base record holds no $FILE_NAME",
        ));
    } else if names != r.link_count() as usize && names != 0 {
        findings.push(Finding::new(
            FindingKind::LinkCountMismatch,
            format!(
                "header link count is {}, but the record has {names} $FILE_NAME attributes",
                r.link_count()
            ),
        ));
    }
}

/// Names of an in-use record whose parent chain is broken (a deleted record's
/// names are placed by the sequence-number rule instead, and always have a path).
fn paths(tree: &Tree, r: &Record<'_>, findings: &mut Vec<Finding>) {
    if !r.in_use() {
        return;
    }
    for name in r.names() {
        if let Err(e) = tree.check(&name) {
            findings.push(e.to_finding(&name.to_string_lossy()));
        }
    }
}

/// $STANDARD_INFORMATION times earlier than a $FILE_NAME's: NTFS sets both when a
/// name is made and afterwards only moves $STANDARD_INFORMATION's forward, so an
/// earlier one is a common sign of timestomping (tools set it through the API,
/// which cannot reach $FILE_NAME). Records with times kept only.
fn time_checks(record: &Record<'_>, findings: &mut Vec<Finding>) {
    let Some(si) = record.times() else { return };
    for name in record.names().filter(|n| n.namespace() != Namespace::Dos) {
        let Some(fname) = name.times() else { continue };
        let earlier: Vec<&str> = Timestamps::NAMES
            .iter()
            .zip(si.to_array().into_iter().zip(fname.to_array()))
            .filter(|(_, (s, f))| *s != 0 && *f != 0 && s < f)
            .map(|(which, _)| *which)
            .collect();
        if !earlier.is_empty() {
            findings.push(Finding::new(
                FindingKind::SiBeforeFileName,
                format!(
                    "$STANDARD_INFORMATION {} earlier than $FILE_NAME {:?}'s (timestomping?)",
                    earlier.join(", "),
                    name.to_string_lossy()
                ),
            ));
        }
    }
}

/// A reparse point against the rest of its record: a malformed buffer, the
/// $STANDARD_INFORMATION flag, and the tag each $FILE_NAME holds (Windows leaves
/// the record's $FILE_NAME without the flag, so only a name that has the flag is
/// compared).
fn reparse_checks(
    record: &Record<'_>,
    reparse: Option<&ReparsePoint>,
    findings: &mut Vec<Finding>,
) {
    if record.state() != RecordState::Valid || !record.in_use() {
        return;
    }
    let tag = reparse.and_then(|r| r.tag);
    if let Some(why) = reparse.and_then(|r| r.malformed.as_deref()) {
        findings.push(Finding::new(
            FindingKind::BadReparseData,
            format!("reparse buffer: {why}"),
        ));
    }
    if let Some(rp) = reparse {
        for why in odd_names(rp) {
            findings.push(Finding::new(FindingKind::OddReparseNames, why));
        }
    }
    let flagged = record
        .si_attributes()
        .contains(FileAttributes::REPARSE_POINT);
    if flagged != tag.is_some() {
        findings.push(Finding::new(
            FindingKind::ReparseFlagMismatch,
            if flagged {
                "$STANDARD_INFORMATION says reparse point, but the record has no $REPARSE_POINT".to_owned()
            } else {
                format!("the record has a $REPARSE_POINT (tag {:#010x}) but $STANDARD_INFORMATION lacks the flag", tag.unwrap_or(0))
            },
        ));
    }
    for name in record.names() {
        if let Some(held) = name.reparse_tag()
            && Some(held) != tag
        {
            findings.push(Finding::new(
                FindingKind::NameReparseTagMismatch,
                format!(
                    "$FILE_NAME {:?} holds reparse tag {held:#010x}, the record's is {}",
                    name.to_string_lossy(),
                    tag.map_or("none".to_owned(), |t| format!("{t:#010x}"))
                ),
            ));
        }
    }
}

/// What is odd in a link's names, though its buffer is well formed: a NUL in a
/// name (Windows counts names, it does not end them), or a print name that is
/// not the substitute name without `\??\` (`\??\UNC\` standing for `\\`).
/// The names are kept as decoded.
fn odd_names(rp: &ReparsePoint) -> Vec<String> {
    let mut out = Vec::new();
    let (sub, print) = (rp.substitute_name(), rp.print_name());
    for (which, name) in [("substitute", sub), ("print", print)] {
        if let Some(at) = name.and_then(|n| n.chars().position(|c| c == '\0')) {
            out.push(format!(
                "the {which} name {:?} holds a NUL at character {at}",
                name.unwrap_or_default()
            ));
        }
    }
    if let (Some(sub), Some(print)) = (sub, print)
        && !print.is_empty()
    {
        let expected = match sub.strip_prefix(r"\??\UNC\") {
            Some(rest) => format!(r"\\{rest}"),
            None => sub.strip_prefix(r"\??\").unwrap_or(sub).to_owned(),
        };
        let same =
            expected.eq_ignore_ascii_case(print) || expected.to_lowercase() == print.to_lowercase();
        if !same {
            out.push(format!(
                "the print name {print:?} is not the substitute name {sub:?} without its \\??\\ prefix"
            ));
        }
    }
    out
}
