//! The `links` summary: every record with more than one hard link, a reparse
//! point or a shortcut, with what that kind of link means, and where each
//! points.

use super::{PathStyle, text_path};
use crate::links::RecordReport;
use crate::reparse::{ReparseKind, ReparsePoint};
use crate::text::{Escaped, Message};
use serde::Serialize;
use std::borrow::Cow;
use std::io::{self, Write};

/// What a kind of link can do (the table of the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Semantics {
    /// The kind: `hard link`, `junction`, `symbolic link`, ...
    pub kind: &'static str,
    /// Files only, folders only, or both.
    pub applies_to: &'static str,
    /// Whether the target may be on another volume.
    pub other_volume: &'static str,
    /// Whether the target may be a UNC path (another machine).
    pub unc: &'static str,
    /// Whether the target may be relative.
    pub relative: &'static str,
    /// What deleting the target does.
    pub target_deleted: &'static str,
}

/// What a shell link can do (the fourth kind of link of the README's table).
const SHORTCUT: Semantics = Semantics {
    kind: "shortcut (.lnk)",
    applies_to: "files and folders",
    other_volume: "yes (volume serial in LinkInfo)",
    unc: "yes",
    relative: "yes (relative path string)",
    target_deleted: "link dangles",
};

/// The semantics of hard links and of link-like reparse points.
pub fn semantics(reparse: Option<&ReparsePoint>) -> Option<Semantics> {
    let s = |kind, applies_to, other_volume, unc, relative, target_deleted| Semantics {
        kind,
        applies_to,
        other_volume,
        unc,
        relative,
        target_deleted,
    };
    Some(match reparse.map(|r| r.kind) {
        None => s(
            "hard link",
            "files only",
            "no",
            "no",
            "n/a",
            "data stays while a name remains",
        ),
        Some(ReparseKind::Junction) => s(
            "junction",
            "folders only",
            "yes, same machine",
            "no",
            "no (absolute)",
            "link dangles",
        ),
        Some(ReparseKind::VolumeMountPoint) => s(
            "volume mount point",
            "folders only",
            "yes (a whole volume)",
            "no",
            "no",
            "link dangles",
        ),
        Some(ReparseKind::Symlink) => s(
            "symbolic link",
            "files and folders",
            "yes",
            "yes",
            "yes (flag 1)",
            "link dangles",
        ),
        Some(ReparseKind::LxSymlink) => s(
            "WSL symbolic link",
            "files and folders",
            "yes",
            "no",
            "yes",
            "link dangles",
        ),
        Some(ReparseKind::InterixSymlink) => s(
            "Interix symbolic link",
            "files and folders",
            "yes",
            "no",
            "yes",
            "link dangles",
        ),
        _ => return None,
    })
}

/// Writes what every kind of link can do (`links --explain`): the legend
/// `links` writes after the records for the kinds it met.
pub fn write_legend(out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "what each kind of link can do:")?;
    let kinds = [
        None,
        Some(ReparseKind::Junction),
        Some(ReparseKind::VolumeMountPoint),
        Some(ReparseKind::Symlink),
        Some(ReparseKind::LxSymlink),
        Some(ReparseKind::InterixSymlink),
    ];
    for kind in kinds {
        let rp = kind.map(|kind| ReparsePoint {
            kind,
            ..Default::default()
        });
        if let Some(s) = semantics(rp.as_ref()) {
            write_semantics(&s, out)?;
        }
    }
    write_semantics(&SHORTCUT, out)
}

/// Writes the summary of `reports`, paths in `style`.
pub fn write_links(
    reports: impl Iterator<Item = RecordReport>,
    style: PathStyle,
    out: &mut dyn Write,
) -> io::Result<()> {
    let (mut multi, mut reparse, mut interix, mut shortcuts) = (0usize, 0usize, 0usize, 0usize);
    // What each kind of link met can do: said once, after the records.
    let mut kinds: Vec<Semantics> = Vec::new();
    for r in reports {
        if !r.is_link() {
            continue;
        }
        shortcuts += usize::from(r.is_shortcut());
        multi += usize::from(r.is_multi_link());
        // An Interix symlink is a system file whose data says so, not a
        // reparse point: counted apart.
        let is_interix = r
            .reparse
            .as_ref()
            .is_some_and(|rp| rp.kind == ReparseKind::InterixSymlink);
        interix += usize::from(is_interix);
        reparse += usize::from(r.reparse.is_some() && !is_interix);
        let met = [
            r.is_multi_link().then(|| semantics(None)).flatten(),
            r.reparse.as_ref().and_then(|rp| semantics(Some(rp))),
            r.is_shortcut().then_some(SHORTCUT),
        ];
        for s in met.into_iter().flatten() {
            if !kinds.contains(&s) {
                kinds.push(s);
            }
        }
        write_record(&r, style, out)?;
    }
    write!(
        out,
        "{multi} {} with more than one hard link, {reparse} reparse point{}",
        if multi == 1 { "record" } else { "records" },
        if reparse == 1 { "" } else { "s" }
    )?;
    if interix > 0 {
        write!(
            out,
            ", {interix} Interix symlink{}",
            if interix == 1 { "" } else { "s" }
        )?;
    }
    if shortcuts > 0 {
        write!(
            out,
            ", {shortcuts} shortcut{}",
            if shortcuts == 1 { "" } else { "s" }
        )?;
    }
    writeln!(out)?;
    if !kinds.is_empty() {
        writeln!(out, "what each kind of link above can do:")?;
        for s in &kinds {
            write_semantics(s, out)?;
        }
    }
    Ok(())
}

fn write_record(r: &RecordReport, style: PathStyle, out: &mut dyn Write) -> io::Result<()> {
    let links = r.hard_links().count();
    let kind = if r.is_dir { "directory" } else { "file" };
    write!(
        out,
        "record {} ({kind}, {links} hard link{}",
        r.record,
        if links == 1 { "" } else { "s" }
    )?;
    if links != r.link_count as usize {
        write!(out, ", header count {}", r.link_count)?;
    }
    if r.shortcut.is_some() {
        write!(out, ", shortcut")?;
    }
    if r.pif.is_some() {
        write!(out, ", .pif")?;
    }
    if let Some(rp) = &r.reparse {
        write!(out, ", {}", rp.kind)?;
        match (rp.tag, rp.tag_name) {
            (Some(tag), Some(name)) => write!(out, ", {name} {tag:#010x}")?,
            (Some(tag), None) => write!(out, ", tag {tag:#010x}")?,
            _ => {}
        }
    }
    if r.compat.is_some() {
        write!(out, ", Windows compatibility link")?;
    }
    writeln!(out, ")")?;
    if let Some(rp) = &r.reparse {
        write_target(rp, out)?;
    }
    if let Some(s) = &r.shortcut {
        write_shortcut(s, style, out)?;
    }
    if let Some(p) = &r.pif {
        write!(out, "  .pif starts: {}", Escaped(&p.program))?;
        if !p.pif.title.is_empty() {
            write!(out, " (title {:?})", Escaped(&p.pif.title).to_string())?;
        }
        if let Some(args) = &p.pif.parameters {
            write!(out, " parameters {}", Escaped(args))?;
        }
        write_resolution(&p.resolution, style, out)?;
        writeln!(out)?;
        for problem in &p.pif.problems {
            writeln!(
                out,
                "  ! malformed .pif at byte {:#x}: {}",
                problem.offset, problem.reason
            )?;
        }
    }
    for n in &r.names {
        let alias = if n.is_dos_alias() {
            "  (8.3 alias)"
        } else {
            ""
        };
        write!(
            out,
            "  {}{alias}",
            text_path(
                &n.path
                    .as_deref()
                    .map_or(Cow::Borrowed("? (path unresolved)"), |p| style.show(p)),
                n
            )
        )?;
        if let Some(res) = &n.resolution {
            write_resolution(res, style, out)?;
        }
        writeln!(out)?;
    }
    for f in &r.findings {
        writeln!(out, "  ! {}: {}", f.kind, Message(&f.message))?;
    }
    Ok(())
}

/// What a shell link says: its target, where it was, and where it leads.
fn write_shortcut(
    s: &crate::links::ShortcutReport,
    style: PathStyle,
    out: &mut dyn Write,
) -> io::Result<()> {
    write!(
        out,
        "  shortcut to: {}",
        Escaped(s.target.as_deref().unwrap_or("(no path)"))
    )?;
    if let Some(v) = s.link.link_info.as_ref().and_then(|i| i.volume_id.as_ref()) {
        write!(out, " (volume {}", v.drive_serial)?;
        if !v.volume_label.is_empty() {
            write!(out, " {:?}", Escaped(&v.volume_label).to_string())?;
        }
        if let Some(t) = v.drive_type_name {
            write!(out, ", {t}")?;
        }
        write!(out, ")")?;
    }
    if let Some(args) = s.link.strings.arguments.as_deref() {
        let shown: String = args.chars().take(80).collect();
        let more = if shown.len() < args.len() { "..." } else { "" };
        write!(out, " arguments {}{more}", Escaped(&shown))?;
    }
    write_resolution(&s.resolution, style, out)?;
    writeln!(out)?;
    for p in &s.link.problems {
        writeln!(
            out,
            "  ! malformed shortcut at byte {:#x}: {}",
            p.offset, p.reason
        )?;
    }
    Ok(())
}

/// ` -> outcome: path (record N, kind) after N more links: reason`.
fn write_resolution(
    res: &crate::links::Resolution,
    style: PathStyle,
    out: &mut dyn Write,
) -> io::Result<()> {
    write!(out, " -> {}", res.outcome)?;
    if let Some(path) = &res.path {
        let what = if res.is_dir == Some(true) {
            "directory"
        } else {
            "file"
        };
        write!(
            out,
            ": {} (record {}, {what})",
            Escaped(&style.show(path)),
            res.record.unwrap_or(0)
        )?;
    }
    if res.hops > 0 {
        write!(
            out,
            " after {} more link{}",
            res.hops,
            if res.hops == 1 { "" } else { "s" }
        )?;
    }
    if let Some(reason) = &res.reason {
        write!(out, ": {}", Escaped(reason))?;
    }
    Ok(())
}

fn write_semantics(s: &Semantics, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "  {}: {}; other volume: {}; UNC: {}; relative target: {}; target deleted: {}",
        s.kind, s.applies_to, s.other_volume, s.unc, s.relative, s.target_deleted
    )
}

fn write_target(rp: &ReparsePoint, out: &mut dyn Write) -> io::Result<()> {
    let mut notes = Vec::new();
    if let Some(print) = rp.print_name().filter(|p| !p.is_empty()) {
        notes.push(format!("print name {}", Escaped(print)));
    }
    if rp.relative() == Some(true) {
        notes.push("relative flag".to_owned());
    }
    if let Some(form) = rp.target_form() {
        notes.push(format!("form {}", form.as_str()));
    }
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", notes.join("; "))
    };
    if let Some(target) = rp.destination() {
        writeln!(out, "  target: {}{notes}", Escaped(target))?;
    }
    if let Some(why) = &rp.malformed {
        writeln!(out, "  malformed: {}", Escaped(why))?;
    }
    Ok(())
}
