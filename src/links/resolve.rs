//! Resolving junction and symbolic link targets to records of this image.
//!
//! A target is walked component by component from where it starts (the root for
//! a drive or rooted path, the link's own directory for a relative one), looking
//! names up case-insensitively as Windows does (an exact-case match wins, so that
//! POSIX names differing only in case stay apart). A link met on the way, or at
//! the end, is followed, up to [`MAX_HOPS`] links as Windows does; more is a
//! `cycle`. `..` above the root is `escapes_root`.
//!
//! Absolute drive paths (`C:\...`) can only be judged when the image's drive
//! letter is known ([`LinkOptions::drive`]): without it the outcome is
//! `undetermined`, and says so.

use crate::analysis::Analysis;
use crate::record::well_known::ROOT;
use crate::reparse::{ReparseKind, ReparsePoint, Target};
use crate::tree::Tree;
use serde::Serialize;
use std::collections::{HashMap, VecDeque};

/// Most links followed while resolving one target (Windows stops at 63).
pub const MAX_HOPS: u32 = 63;

/// Options of link resolution.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkOptions {
    /// The drive letter the volume had where it was used (`C`), to judge absolute
    /// targets such as `C:\Users`.
    pub drive: Option<char>,
}

/// What a link's target turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A record of this image.
    Resolved,
    /// On this volume, but nothing is there.
    Dangling,
    /// Another drive letter, a device, or outside the volume (WSL).
    OtherVolume,
    /// A UNC path: another machine.
    Remote,
    /// A volume named by its GUID.
    VolumeGuid,
    /// Resolved, but a directory link points at a file or a file link at a directory.
    TypeMismatch,
    /// More than 63 links followed: a loop.
    Cycle,
    /// A relative target climbs above the root.
    EscapesRoot,
    /// An absolute drive path, and no `--drive` to tell whether it is this volume.
    Undetermined,
}

impl Outcome {
    /// Every outcome.
    pub const ALL: [Outcome; 9] = [
        Outcome::Resolved,
        Outcome::Dangling,
        Outcome::OtherVolume,
        Outcome::Remote,
        Outcome::VolumeGuid,
        Outcome::TypeMismatch,
        Outcome::Cycle,
        Outcome::EscapesRoot,
        Outcome::Undetermined,
    ];

    /// The outcome of this name (`resolved`, `other_volume`, ...).
    pub fn from_name(name: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == name)
    }

    /// Whether the link's target is not there: dangling, a cycle, above the
    /// root, or not judged (what `[[no_dangling]]` and `links --dangling` mean).
    pub fn dangles(self) -> bool {
        matches!(
            self,
            Outcome::Dangling | Outcome::Cycle | Outcome::EscapesRoot | Outcome::Undetermined
        )
    }
}

crate::named_variants!(Outcome {
    Resolved => "resolved",
    Dangling => "dangling",
    OtherVolume => "other_volume",
    Remote => "remote",
    VolumeGuid => "volume_guid",
    TypeMismatch => "type_mismatch",
    Cycle => "cycle",
    EscapesRoot => "escapes_root",
    Undetermined => "undetermined",
});

/// The resolution of one link through one of its names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Resolution {
    /// The outcome.
    pub outcome: Outcome,
    /// The record reached (resolved, type_mismatch).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
    /// Its path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Whether it is a directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_dir: Option<bool>,
    /// Links followed after this one.
    #[serde(skip_serializing_if = "is_zero")]
    pub hops: u32,
    /// Why, for outcomes other than resolved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Resolution {
    pub(super) fn outcome(outcome: Outcome, reason: impl Into<String>) -> Resolution {
        Resolution {
            outcome,
            record: None,
            path: None,
            is_dir: None,
            hops: 0,
            reason: Some(reason.into()),
        }
    }
}

/// A position: the records from the root down, with the names taken.
#[derive(Debug, Clone)]
pub(super) struct Place {
    records: Vec<u64>,
    names: Vec<String>,
}

impl Place {
    pub(super) fn root() -> Place {
        Place {
            records: vec![ROOT],
            names: Vec::new(),
        }
    }
    fn top(&self) -> u64 {
        *self.records.last().unwrap_or(&ROOT)
    }
    fn path(&self) -> String {
        format!("/{}", self.names.join("/"))
    }
}

/// Looks names up and follows links over one scan.
#[derive(Debug)]
pub struct Resolver<'s> {
    tree: &'s Tree,
    options: LinkOptions,
    /// Decoded reparse points that are links, by record (the analysis decoded
    /// them).
    links: HashMap<u64, &'s ReparsePoint>,
}

impl<'s> Resolver<'s> {
    /// Prepares to resolve the links of the analysed scan.
    pub fn new(analysis: &'s Analysis, options: LinkOptions) -> Resolver<'s> {
        let tree = analysis.tree();
        let scan = tree.scan();
        let links: HashMap<u64, &ReparsePoint> = analysis
            .reparse_points()
            .filter(|(n, rp)| rp.is_link() && scan.record(*n).is_some_and(|r| r.in_use()))
            .collect();
        Resolver {
            tree,
            options,
            links,
        }
    }

    /// How targets are judged.
    pub fn options(&self) -> LinkOptions {
        self.options
    }

    /// The decoded link of `record`, if it is one.
    pub fn link(&self, record: u64) -> Option<&ReparsePoint> {
        self.links.get(&record).copied()
    }

    /// Resolves the link `record`, reached through a name in directory `parent`.
    pub fn resolve(&self, record: u64, parent: u64) -> Option<Resolution> {
        let rp = self.links.get(&record)?;
        let Some(dir) = self.place_of(parent) else {
            return Some(Resolution::outcome(
                Outcome::Dangling,
                "the link's own directory has no path",
            ));
        };
        let mut hops = 0;
        let mut res = match self.walk_link(rp, dir, VecDeque::new(), self.options.drive, &mut hops)
        {
            Ok(place) => self.reached(&place, hops),
            Err(res) => res,
        };
        res.hops = hops;
        if let (Outcome::Resolved, Some(is_dir)) = (res.outcome, res.is_dir) {
            let link_is_dir = self.tree.scan().record(record).is_some_and(|r| r.is_dir());
            let mismatch = match rp.kind {
                ReparseKind::Junction | ReparseKind::VolumeMountPoint => !is_dir,
                ReparseKind::Symlink => link_is_dir != is_dir,
                _ => false,
            };
            if mismatch {
                res.outcome = Outcome::TypeMismatch;
                res.reason = Some(format!(
                    "a {} link points at a {}",
                    if link_is_dir { "directory" } else { "file" },
                    if is_dir { "directory" } else { "file" }
                ));
            }
        }
        Some(res)
    }

    pub(super) fn reached(&self, place: &Place, hops: u32) -> Resolution {
        let record = place.top();
        Resolution {
            outcome: Outcome::Resolved,
            record: Some(record),
            path: Some(place.path()),
            is_dir: self.tree.scan().record(record).map(|r| r.is_dir()),
            hops,
            reason: None,
        }
    }

    /// Where the target of `rp` starts, and its components, then the walk;
    /// `drive` is this volume's drive letter, when known.
    fn walk_link(
        &self,
        rp: &ReparsePoint,
        dir: Place,
        rest: VecDeque<String>,
        drive: Option<char>,
        hops: &mut u32,
    ) -> Result<Place, Resolution> {
        let target = rp.parsed_target().ok_or_else(|| {
            Resolution::outcome(
                Outcome::Dangling,
                "the reparse buffer is malformed: it holds no target to follow",
            )
        })?;
        let (start, comps) = match target {
            Target::Drive(letter, comps) => match drive {
                Some(d) if d.eq_ignore_ascii_case(&letter) => (Place::root(), comps),
                Some(d) => {
                    return Err(Resolution::outcome(
                        Outcome::OtherVolume,
                        format!(
                            "{letter}: is another drive (this volume is {}:)",
                            d.to_ascii_uppercase()
                        ),
                    ));
                }
                None => {
                    return Err(Resolution::outcome(
                        Outcome::Undetermined,
                        format!(
                            "absolute target on {letter}: cannot be judged without the volume's drive letter (--drive)"
                        ),
                    ));
                }
            },
            Target::Rooted(comps) => (Place::root(), comps),
            Target::Relative(comps) => (dir, comps),
            Target::Unc(share) => {
                return Err(Resolution::outcome(
                    Outcome::Remote,
                    format!("on another machine: {share}"),
                ));
            }
            Target::VolumeGuid(guid, _) => {
                return Err(Resolution::outcome(
                    Outcome::VolumeGuid,
                    format!("volume {guid}: not known to be this one"),
                ));
            }
            Target::Device(path) => {
                return Err(Resolution::outcome(
                    Outcome::OtherVolume,
                    format!("device path {path}"),
                ));
            }
            Target::Posix(comps) => {
                self.posix_start(comps, drive, rp.kind == ReparseKind::InterixSymlink)?
            }
        };
        let mut queue: VecDeque<String> = comps.into_iter().collect();
        queue.extend(rest);
        self.walk(start, queue, drive, hops)
    }

    /// POSIX absolute paths: `/mnt/<drive>/...` (WSL) and `/dev/fs/<drive>/...`
    /// (Interix, Services for UNIX) are a Windows drive; anything else is in
    /// another file system (Linux's), not on this volume.
    fn posix_start(
        &self,
        comps: Vec<String>,
        drive: Option<char>,
        interix: bool,
    ) -> Result<(Place, Vec<String>), Resolution> {
        match posix_drive(&comps, interix) {
            Some((shown, letter, rest)) => match drive {
                Some(d) if d.eq_ignore_ascii_case(&letter) => Ok((Place::root(), rest.to_vec())),
                Some(_) => Err(Resolution::outcome(
                    Outcome::OtherVolume,
                    format!("{shown} is another drive"),
                )),
                None => Err(Resolution::outcome(
                    Outcome::Undetermined,
                    format!("{shown} cannot be judged without the volume's drive letter (--drive)"),
                )),
            },
            None if interix => Err(Resolution::outcome(
                Outcome::Undetermined,
                "an absolute Interix path outside /dev/fs: under the root of the POSIX subsystem (a directory of some Windows volume, or the mount point of the tool that wrote it), which the link does not name",
            )),
            None => Err(Resolution::outcome(
                Outcome::OtherVolume,
                "an absolute WSL path outside /mnt: the Linux file system",
            )),
        }
    }

    /// Walks `queue` from `place`, following the links met; `drive` is this
    /// volume's drive letter, when known.
    pub(super) fn walk(
        &self,
        mut place: Place,
        mut queue: VecDeque<String>,
        drive: Option<char>,
        hops: &mut u32,
    ) -> Result<Place, Resolution> {
        while let Some(c) = queue.pop_front() {
            match c.as_str() {
                "." | "" => continue,
                ".." => {
                    if place.records.len() <= 1 {
                        return Err(Resolution::outcome(
                            Outcome::EscapesRoot,
                            "the target climbs above the root",
                        ));
                    }
                    place.records.pop();
                    place.names.pop();
                    continue;
                }
                _ => {}
            }
            let Some((child, name)) = self.lookup(place.top(), &c) else {
                let mut missing = place.path();
                if !missing.ends_with('/') {
                    missing.push('/');
                }
                missing.push_str(&c);
                return Err(Resolution::outcome(
                    Outcome::Dangling,
                    format!("{missing} does not exist in this image"),
                ));
            };
            if let Some(rp) = self.links.get(&child) {
                *hops += 1;
                if *hops > MAX_HOPS {
                    return Err(Resolution::outcome(
                        Outcome::Cycle,
                        format!("more than {MAX_HOPS} links followed"),
                    ));
                }
                let rest = std::mem::take(&mut queue);
                return self.walk_link(rp, place, rest, drive, hops);
            }
            place.records.push(child);
            place.names.push(name);
        }
        Ok(place)
    }

    /// The child of `dir` named `name` (see [`Tree::child`]), and its name.
    fn lookup(&self, dir: u64, name: &str) -> Option<(u64, String)> {
        let found = self.tree.child(dir, name)?;
        let record = self.tree.scan().record(found.record)?;
        let matched = record.names().nth(found.name)?;
        let name = if matched.chars().eq(name.chars()) {
            name.to_owned()
        } else {
            matched.to_string_lossy()
        };
        Some((found.record, name))
    }

    /// The place of directory `d`: its chain of preferred names up to the root
    /// (checked once through its path, which fails on any broken chain).
    pub(super) fn place_of(&self, d: u64) -> Option<Place> {
        let preferred = |n: u64| {
            let r = self.tree.scan().record(n)?;
            r.names()
                .find(|x| x.namespace() != crate::attribute::Namespace::Dos)
                .or_else(|| r.names().next())
        };
        if d != ROOT {
            self.tree.check(&preferred(d)?).ok()?;
        }
        let (mut records, mut names) = (Vec::new(), Vec::new());
        let mut cur = d;
        while cur != ROOT {
            let name = preferred(cur)?;
            records.push(cur);
            names.push(name.to_string_lossy());
            cur = name.parent().record;
        }
        records.push(ROOT);
        records.reverse();
        names.reverse();
        Some(Place { records, names })
    }
}

/// A POSIX path on a Windows drive: `/mnt/c/...` for WSL, `/dev/fs/C/...`
/// for Interix (`interix`): how it was written up to the drive, the drive
/// letter (upper case), and the components after it.
fn posix_drive(comps: &[String], interix: bool) -> Option<(String, char, &[String])> {
    let (shown, letter, rest) = match comps {
        [mnt, letter, rest @ ..] if mnt == "mnt" && !interix => (
            format!("/mnt/{}", letter.to_ascii_lowercase()),
            letter,
            rest,
        ),
        [dev, fs, letter, rest @ ..] if dev == "dev" && fs == "fs" && interix => {
            (format!("/dev/fs/{letter}"), letter, rest)
        }
        _ => return None,
    };
    let mut chars = letter.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_alphabetic() => Some((shown, c.to_ascii_uppercase(), rest)),
        _ => None,
    }
}

#[cfg(test)]
mod posix_tests {
    use super::posix_drive;

    fn comps(path: &str) -> Vec<String> {
        path.split('/')
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn wsl_and_interix_drive_paths() {
        let c = comps("/mnt/c/Users/alice");
        let (shown, letter, rest) = posix_drive(&c, false).unwrap();
        assert_eq!((shown.as_str(), letter, rest), ("/mnt/c", 'C', &c[2..]));
        let c = comps("/dev/fs/D/data");
        let (shown, letter, rest) = posix_drive(&c, true).unwrap();
        assert_eq!((shown.as_str(), letter, rest), ("/dev/fs/D", 'D', &c[3..]));
        // Each its own convention: WSL has no /dev/fs, Interix no /mnt.
        assert!(posix_drive(&comps("/dev/fs/D/data"), false).is_none());
        assert!(posix_drive(&comps("/mnt/c/x"), true).is_none());
        for other in [
            "/home/alice",
            "/mnt/cdrom/x",
            "/dev/sda1",
            "/dev/fs/12/x",
            "/mnt",
        ] {
            assert!(posix_drive(&comps(other), false).is_none(), "{other}");
            assert!(posix_drive(&comps(other), true).is_none(), "{other}");
        }
    }
}
