//! The compatibility junctions and symbolic links Windows makes for old
//! programs (`Documents and Settings`, `All Users`, a profile's `Application
//! Data`, ...): recognised by path and kind, their targets checked against
//! the ones Windows gives them, and their attributes and access list against
//! the hidden + system attributes and the deny entry Windows puts on them.
//!
//! The table is the README's ("Compatibility links"); `*` is one profile
//! folder under `\Users` (not `Public`), and `{P}` that profile's path.

use crate::attribute::{FileAttributes, Namespace};
use crate::reparse::{MOUNT_POINT, ReparseKind, ReparsePoint, SYMLINK, Target};
use crate::scan::{Finding, FindingKind, Record};
use crate::security::{Descriptors, RecordSecurity};
use crate::tree::Tree;
use crate::volume::{Source, Volume};
use serde::Serialize;

const VISTA: &str = "Windows Vista and later";
const J: ReparseKind = ReparseKind::Junction;
const S: ReparseKind = ReparseKind::Symlink;

/// One compatibility link: where it is, what it is, where Windows points it.
pub struct TableEntry {
    /// Its path from the volume root, `*` for any profile folder.
    pub path: &'static str,
    /// The kind Windows makes it.
    pub kind: ReparseKind,
    /// Its targets from the volume root, `{P}` for the profile's path, each
    /// with the Windows versions that write it.
    pub targets: &'static [(&'static str, &'static str)],
}

const fn entry(
    path: &'static str,
    kind: ReparseKind,
    targets: &'static [(&'static str, &'static str)],
) -> TableEntry {
    TableEntry {
        path,
        kind,
        targets,
    }
}

/// Every compatibility link Windows makes on its system volume.
pub const TABLE: &[TableEntry] = &[
    entry("/Documents and Settings", J, &[(r"\Users", VISTA)]),
    entry("/Users/All Users", S, &[(r"\ProgramData", VISTA)]),
    entry("/Users/Default User", J, &[(r"\Users\Default", VISTA)]),
    entry(
        "/ProgramData/Application Data",
        J,
        &[(r"\ProgramData", VISTA)],
    ),
    entry(
        "/ProgramData/Desktop",
        J,
        &[(r"\Users\Public\Desktop", VISTA)],
    ),
    entry(
        "/ProgramData/Documents",
        J,
        &[(r"\Users\Public\Documents", VISTA)],
    ),
    entry(
        "/ProgramData/Favorites",
        J,
        &[(r"\Users\Public\Favorites", VISTA)],
    ),
    entry(
        "/ProgramData/Start Menu",
        J,
        &[(r"\ProgramData\Microsoft\Windows\Start Menu", VISTA)],
    ),
    entry(
        "/ProgramData/Templates",
        J,
        &[(r"\ProgramData\Microsoft\Windows\Templates", VISTA)],
    ),
    entry(
        "/Users/Public/Documents/My Music",
        J,
        &[(r"\Users\Public\Music", VISTA)],
    ),
    entry(
        "/Users/Public/Documents/My Pictures",
        J,
        &[(r"\Users\Public\Pictures", VISTA)],
    ),
    entry(
        "/Users/Public/Documents/My Videos",
        J,
        &[(r"\Users\Public\Videos", VISTA)],
    ),
    entry(
        "/Users/*/Application Data",
        J,
        &[(r"{P}\AppData\Roaming", VISTA)],
    ),
    entry(
        "/Users/*/Cookies",
        J,
        &[
            (
                r"{P}\AppData\Roaming\Microsoft\Windows\Cookies",
                "Windows Vista to 8",
            ),
            (
                r"{P}\AppData\Local\Microsoft\Windows\INetCookies",
                "Windows 8.1 and later",
            ),
        ],
    ),
    entry(
        "/Users/*/Local Settings",
        J,
        &[(r"{P}\AppData\Local", VISTA)],
    ),
    entry("/Users/*/My Documents", J, &[(r"{P}\Documents", VISTA)]),
    entry(
        "/Users/*/NetHood",
        J,
        &[(
            r"{P}\AppData\Roaming\Microsoft\Windows\Network Shortcuts",
            VISTA,
        )],
    ),
    entry(
        "/Users/*/PrintHood",
        J,
        &[(
            r"{P}\AppData\Roaming\Microsoft\Windows\Printer Shortcuts",
            VISTA,
        )],
    ),
    entry(
        "/Users/*/Recent",
        J,
        &[(r"{P}\AppData\Roaming\Microsoft\Windows\Recent", VISTA)],
    ),
    entry(
        "/Users/*/SendTo",
        J,
        &[(r"{P}\AppData\Roaming\Microsoft\Windows\SendTo", VISTA)],
    ),
    entry(
        "/Users/*/Start Menu",
        J,
        &[(r"{P}\AppData\Roaming\Microsoft\Windows\Start Menu", VISTA)],
    ),
    entry(
        "/Users/*/Templates",
        J,
        &[(r"{P}\AppData\Roaming\Microsoft\Windows\Templates", VISTA)],
    ),
    entry("/Users/*/Documents/My Music", J, &[(r"{P}\Music", VISTA)]),
    entry(
        "/Users/*/Documents/My Pictures",
        J,
        &[(r"{P}\Pictures", VISTA)],
    ),
    entry("/Users/*/Documents/My Videos", J, &[(r"{P}\Videos", VISTA)]),
    entry(
        "/Users/*/AppData/Local/Application Data",
        J,
        &[(r"{P}\AppData\Local", VISTA)],
    ),
    entry(
        "/Users/*/AppData/Local/History",
        J,
        &[(r"{P}\AppData\Local\Microsoft\Windows\History", VISTA)],
    ),
    entry(
        "/Users/*/AppData/Local/Temporary Internet Files",
        J,
        &[
            (
                r"{P}\AppData\Local\Microsoft\Windows\Temporary Internet Files",
                "Windows Vista to 8",
            ),
            (
                r"{P}\AppData\Local\Microsoft\Windows\INetCache",
                "Windows 8.1 and later",
            ),
        ],
    ),
];

/// Folders under `\Users` that are not profiles with compatibility junctions
/// of their own.
const NOT_PROFILES: [&str; 3] = ["Public", "All Users", "Default User"];

/// A link recognised as one of Windows' compatibility links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CompatLink {
    /// The table's path for it (`/Users/*/Application Data`).
    pub entry: &'static str,
    /// The kind Windows makes it.
    pub kind: ReparseKind,
    /// Where Windows points it (with the drive letter of the link's own
    /// target, else `C:`), and the versions of Windows that do.
    pub expected: Vec<ExpectedTarget>,
    /// Whether its target is one of the expected ones, and leads there: no
    /// directory on its way is itself a link.
    pub as_expected: bool,
}

/// One target Windows gives a compatibility link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpectedTarget {
    /// The target (`C:\Users\alice\AppData\Roaming`).
    pub target: String,
    /// The versions of Windows that write it.
    pub windows: &'static str,
}

/// The table entry `path` (a path from the volume root) matches, with the
/// profile folder `*` stood for.
fn matching(path: &str) -> Option<(&'static TableEntry, Option<&str>)> {
    let parts: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
    TABLE.iter().find_map(|e| {
        let pattern: Vec<&str> = e.path.split('/').filter(|c| !c.is_empty()).collect();
        if pattern.len() != parts.len() {
            return None;
        }
        let mut profile = None;
        for (p, c) in pattern.iter().zip(&parts) {
            if *p == "*" {
                if NOT_PROFILES.iter().any(|n| n.eq_ignore_ascii_case(c)) {
                    return None;
                }
                profile = Some(*c);
            } else if !p.eq_ignore_ascii_case(c) {
                return None;
            }
        }
        Some((e, profile))
    })
}

/// Checks every junction and symbolic link whose path is in the table:
/// its target, kind, attributes and (on a volume) access list. Gives the
/// links recognised, in record order, and adds the findings.
pub(super) fn check(
    volume: &Volume,
    tree: &Tree,
    reparse: &[(u64, ReparsePoint)],
    findings: &mut Vec<(u64, Finding)>,
) -> Vec<(u64, CompatLink)> {
    let scan = tree.scan();
    let mut descriptors = None;
    let mut found = Vec::new();
    for (n, rp) in reparse {
        if !matches!(rp.kind, ReparseKind::Junction | ReparseKind::Symlink) {
            continue;
        }
        let Some(record) = scan.record(*n).filter(|r| r.in_use()) else {
            continue;
        };
        let Some((entry, profile, path)) = record
            .names()
            .filter(|name| name.namespace() != Namespace::Dos)
            .filter_map(|name| tree.path(&name).ok())
            .find_map(|p| {
                let (e, profile) = matching(&p)?;
                let profile = profile.map(str::to_owned);
                Some((e, profile, p))
            })
        else {
            continue;
        };
        let target = rp.parsed_target();
        let drive = match &target {
            Some(Target::Drive(d, _)) => *d,
            _ => 'C',
        };
        let profile_path = profile.map(|p| format!(r"\Users\{p}")).unwrap_or_default();
        let expected: Vec<ExpectedTarget> = entry
            .targets
            .iter()
            .map(|(t, windows)| ExpectedTarget {
                target: format!("{drive}:{}", t.replace("{P}", &profile_path)),
                windows,
            })
            .collect();
        let actual = match &target {
            Some(Target::Drive(d, parts)) => Some(format!("{d}:\\{}", parts.join("\\"))),
            _ => None,
        };
        let named_as_expected = actual
            .as_deref()
            .is_some_and(|a| expected.iter().any(|e| e.target.eq_ignore_ascii_case(a)));
        // The right name may still lead elsewhere: a directory on its way
        // made a link (`AppData` turned into a junction).
        let detour = match &target {
            Some(Target::Drive(_, parts)) if named_as_expected => link_on_the_way(tree, parts),
            _ => None,
        };
        let as_expected = named_as_expected && detour.is_none();
        let shown = rp.destination().unwrap_or("(none)");
        if !as_expected {
            let wanted: Vec<&str> = expected.iter().map(|e| e.target.as_str()).collect();
            let message = match &detour {
                Some(on_the_way) => format!(
                    "{path} is a Windows compatibility link pointed at {shown}, as Windows points it, but {on_the_way} on the way is a link: it leads elsewhere"
                ),
                None => format!(
                    "{path} is a Windows compatibility link, which Windows points at {}; this one points at {shown}",
                    wanted.join(" or ")
                ),
            };
            findings.push((
                *n,
                Finding::new(FindingKind::CompatLinkUnexpectedTarget, message),
            ));
        }
        let mut unusual = Vec::new();
        if rp.kind != entry.kind {
            unusual.push(format!(
                "Windows makes it a {}, this is a {}",
                entry.kind, rp.kind
            ));
        }
        let attributes = record.si_attributes();
        let missing: Vec<&str> = [
            (FileAttributes::HIDDEN, "hidden"),
            (FileAttributes::SYSTEM, "system"),
        ]
        .into_iter()
        .filter(|(a, _)| !attributes.contains(*a))
        .map(|(_, name)| name)
        .collect();
        if !missing.is_empty() {
            unusual.push(format!(
                "Windows makes it hidden and system, this one is not {}",
                missing.join(" nor ")
            ));
        }
        if volume.source() == Source::Volume {
            let descriptors = descriptors.get_or_insert_with(|| Descriptors::read(volume));
            if let Some(why) = missing_deny(volume, &record, descriptors.as_ref()) {
                unusual.push(why);
            }
        }
        if !unusual.is_empty() {
            findings.push((
                *n,
                Finding::new(
                    FindingKind::CompatLinkUnusual,
                    format!(
                        "{path} is a Windows compatibility link, but {}",
                        unusual.join("; ")
                    ),
                ),
            ));
        }
        found.push((
            *n,
            CompatLink {
                entry: entry.path,
                kind: entry.kind,
                expected,
                as_expected,
            },
        ));
    }
    found
}

/// The first directory of the path `parts` (from the volume root) that is
/// a junction or symbolic link, with its path; `None` when the path holds
/// none (or leaves the image before one).
fn link_on_the_way(tree: &Tree, parts: &[String]) -> Option<String> {
    let mut path = String::new();
    for part in parts {
        path.push('/');
        path.push_str(part);
        let found = tree.lookup(&path)?;
        let tag = tree.scan().record(found.record)?.reparse_tag();
        if matches!(tag, Some(MOUNT_POINT | SYMLINK)) {
            return tree.path_of(found).or(Some(path));
        }
    }
    None
}

/// Why the record's access list lacks the entry Windows puts on every
/// compatibility link (Everyone denied listing it); `None` when it has it,
/// or when its descriptor cannot be read (nothing to judge).
fn missing_deny(
    volume: &Volume,
    record: &Record<'_>,
    descriptors: Result<&Descriptors, &crate::Error>,
) -> Option<String> {
    let security = RecordSecurity::read(volume, record.number(), descriptors).ok()??;
    let descriptor = security.descriptor?;
    (!descriptor.denies_everyone_listing())
        .then(|| "its access list does not deny Everyone listing it, as Windows' does".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_the_table_case_insensitively_with_any_profile_but_public() {
        let (e, p) = matching("/users/alice/APPLICATION DATA").unwrap();
        assert_eq!((e.path, p), ("/Users/*/Application Data", Some("alice")));
        assert_eq!(matching("/Documents and Settings").unwrap().0.kind, J);
        assert_eq!(matching("/Users/All Users").unwrap().0.kind, S);
        assert!(matching("/Users/Public/Application Data").is_none());
        assert!(matching("/Users/alice/Documents/Application Data").is_none());
        assert!(matching("/Application Data").is_none());
    }

    #[test]
    fn every_entry_is_a_junction_or_symlink_with_a_target() {
        for e in TABLE {
            assert!(matches!(e.kind, J | S), "{}", e.path);
            assert!(!e.targets.is_empty(), "{}", e.path);
            assert_eq!(
                e.path.contains('*'),
                e.targets.iter().all(|t| t.0.contains("{P}")),
                "{}",
                e.path
            );
        }
    }
}
