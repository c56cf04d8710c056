//! Choosing records: by the kind of link they are, by whether a link dangles,
//! and by where their names lie (`links --kind`, `links --dangling`, `--path`).

use super::RecordReport;
use crate::reparse::ReparseKind;

/// A kind of link, as `links --kind` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LinkKind {
    /// More than one hard link.
    Hardlink,
    /// A junction.
    Junction,
    /// A symbolic link.
    Symlink,
    /// A volume mount point.
    MountPoint,
    /// A WSL symbolic link.
    Wsl,
    /// An Interix symbolic link.
    Interix,
    /// Any other reparse point.
    Reparse,
    /// A shell link (`.lnk`), found by its content.
    Shortcut,
}

crate::named_variants!(LinkKind {
    Hardlink => "hardlink",
    Junction => "junction",
    Symlink => "symlink",
    MountPoint => "mount_point",
    Wsl => "wsl",
    Interix => "interix",
    Reparse => "reparse",
    Shortcut => "shortcut",
});

impl LinkKind {
    /// Every kind, for parsing and help.
    pub const ALL: [LinkKind; 8] = [
        LinkKind::Hardlink,
        LinkKind::Junction,
        LinkKind::Symlink,
        LinkKind::MountPoint,
        LinkKind::Wsl,
        LinkKind::Interix,
        LinkKind::Reparse,
        LinkKind::Shortcut,
    ];

    /// The kind named `name` (`hardlink`, `junction`, ...).
    pub fn parse(name: &str) -> Option<LinkKind> {
        LinkKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Whether record `r` is a link of this kind.
    pub fn matches(self, r: &RecordReport) -> bool {
        let kind = r.reparse.as_ref().map(|rp| rp.kind);
        match self {
            LinkKind::Hardlink => r.is_multi_link(),
            LinkKind::Junction => kind == Some(ReparseKind::Junction),
            LinkKind::Symlink => kind == Some(ReparseKind::Symlink),
            LinkKind::MountPoint => kind == Some(ReparseKind::VolumeMountPoint),
            LinkKind::Wsl => kind == Some(ReparseKind::LxSymlink),
            LinkKind::Interix => kind == Some(ReparseKind::InterixSymlink),
            LinkKind::Shortcut => r.is_shortcut(),
            LinkKind::Reparse => kind.is_some_and(|k| {
                !matches!(
                    k,
                    ReparseKind::Junction
                        | ReparseKind::Symlink
                        | ReparseKind::VolumeMountPoint
                        | ReparseKind::LxSymlink
                        | ReparseKind::InterixSymlink
                )
            }),
        }
    }
}

/// Which records a listing keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Filter {
    /// Only links of these kinds (all when empty).
    pub kinds: Vec<LinkKind>,
    /// Only records with a name whose link does not resolve (dangling, a
    /// cycle, above the root, or undetermined).
    pub dangling: bool,
    /// Only records with a name at or under this path (as reports write
    /// paths: see [`Tree::path_of`](crate::Tree::path_of) for the canonical one).
    pub under: Option<String>,
}

impl Filter {
    /// A filter: kinds (all when empty), dangling links only, under a path.
    pub fn new(kinds: Vec<LinkKind>, dangling: bool, under: Option<String>) -> Filter {
        Filter {
            kinds,
            dangling,
            under,
        }
    }

    /// Whether `r` is kept.
    pub fn keeps(&self, r: &RecordReport) -> bool {
        if !self.kinds.is_empty() && !self.kinds.iter().any(|k| k.matches(r)) {
            return false;
        }
        let shortcut_dangles = r
            .shortcut_resolution()
            .is_some_and(|res| res.outcome.dangles());
        if self.dangling
            && !shortcut_dangles
            && !r.names.iter().any(|n| {
                n.resolution
                    .as_ref()
                    .is_some_and(|res| res.outcome.dangles())
            })
        {
            return false;
        }
        if let Some(dir) = &self.under {
            let under = |p: &str| crate::tree::is_under(p, dir);
            if !r.names.iter().any(|n| n.path.as_deref().is_some_and(under)) {
                return false;
            }
        }
        true
    }
}
