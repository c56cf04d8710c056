//! Shell links (`.lnk`) found by their content, resolved inside the image like
//! junctions and symbolic links.
//!
//! Where a shortcut leads is judged from what it recorded:
//! - LinkInfo with only a network part: `remote` (a share on another machine);
//! - LinkInfo with a local path: on this volume when its volume serial is this
//!   volume's (or, without a serial, when its drive letter is `--drive`),
//!   then looked up (`resolved`, `dangling`, `type_mismatch` when the link says
//!   directory and finds a file or the reverse); another serial is
//!   `other_volume`, naming the serial and label; a link on this volume by
//!   its serial also tells the volume's drive letter, by which junctions met
//!   on the way are then judged (rather than by `--drive`);
//! - an advertised (Windows Installer) link: `undetermined` (its target is a
//!   product's component, which only Windows Installer knows);
//! - else the relative path, from the shortcut's own directory;
//! - else the path its ID list spells, judged by drive letter like a
//!   junction's;
//! - else `undetermined`: the link names no path on a volume (an application,
//!   a Control Panel item, an environment-variable target).

use super::resolve::{Outcome, Place, Resolution, Resolver};
use crate::shortcut::{Pif, ShellLink};
use crate::volume::serial_text;
use serde::Serialize;
use std::collections::VecDeque;

/// `FILE_ATTRIBUTE_DIRECTORY` in the link header's target attributes.
const DIRECTORY: u32 = 0x10;

/// A shell link held by a record: what it says and where it leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ShortcutReport {
    /// The target as the link gives it ([`ShellLink::target_path`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Where it leads in this image.
    pub resolution: Resolution,
    /// Everything decoded.
    pub link: ShellLink,
}

/// A `.pif` held by a record: the program it starts, and where that is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PifReport {
    /// The program as the file gives it, joined to its startup directory
    /// when it has no path of its own.
    pub program: String,
    /// Where it is in this image.
    pub resolution: Resolution,
    /// Everything decoded.
    pub pif: Pif,
}

impl Resolver<'_> {
    /// Resolves the program of a `.pif`: a drive path judged like a
    /// junction's target (`--drive`); a bare name is looked for in the
    /// startup directory, as Windows does first. When it is not there,
    /// Windows goes on through its `PATH`, which the image does not tell:
    /// `undetermined`, not `dangling`.
    pub fn resolve_pif(&self, pif: &Pif) -> PifReport {
        let bare = pif.program.get(1..2) != Some(":") && !pif.program.starts_with('\\');
        let program = match &pif.working_dir {
            Some(dir) if bare => format!("{}\\{}", dir.trim_end_matches('\\'), pif.program),
            _ => pif.program.clone(),
        };
        let mut hops = 0;
        let start = if program.get(1..2) == Some(":") {
            self.by_drive_letter(&program)
        } else if program.starts_with("\\\\") {
            Err(Resolution::outcome(
                Outcome::Remote,
                format!("on another machine: {program}"),
            ))
        } else {
            Err(Resolution::outcome(
                Outcome::Undetermined,
                "a program name without a drive: Windows looks it up in the PATH of the machine that ran it",
            ))
        };
        let mut resolution = match start {
            Ok((place, comps)) => match self.walk(place, comps, self.options().drive, &mut hops) {
                Ok(place) => self.reached(&place, hops),
                Err(res) => res,
            },
            Err(res) => res,
        };
        resolution.hops = hops;
        if resolution.outcome == Outcome::Resolved && resolution.is_dir == Some(true) {
            resolution.outcome = Outcome::TypeMismatch;
            resolution.reason = Some("the program is a directory".to_owned());
        }
        if bare && resolution.outcome == Outcome::Dangling {
            resolution.outcome = Outcome::Undetermined;
            resolution.reason = Some(format!(
                "{} is not in the startup directory; Windows would go on through the PATH of the machine that ran it",
                pif.program
            ));
        }
        PifReport {
            program,
            resolution,
            pif: pif.clone(),
        }
    }

    /// Resolves the shell link `link`, found in directory `parent`, on a
    /// volume whose serial (as Windows shows it) is `serial`.
    pub fn resolve_shortcut(
        &self,
        link: &ShellLink,
        parent: u64,
        serial: Option<u32>,
    ) -> Resolution {
        let mut hops = 0;
        // A link that recorded this volume's serial tells its drive letter
        // then: links met on the way are judged by it.
        let drive = same_volume_drive(link, serial).or(self.options().drive);
        let mut res = match self.shortcut_start(link, parent, serial) {
            Ok((place, comps)) => match self.walk(place, comps, drive, &mut hops) {
                Ok(place) => self.reached(&place, hops),
                Err(res) => res,
            },
            Err(res) => res,
        };
        res.hops = hops;
        let says_dir = link
            .header
            .as_ref()
            .map(|h| h.file_attributes & DIRECTORY != 0);
        // A link whose target attributes are all zero (advertised and
        // property-store links) says nothing about the target's kind.
        let known = link.header.as_ref().is_some_and(|h| h.file_attributes != 0);
        if let (Outcome::Resolved, Some(is_dir), Some(says_dir), true) =
            (res.outcome, res.is_dir, says_dir, known)
            && is_dir != says_dir
        {
            res.outcome = Outcome::TypeMismatch;
            res.reason = Some(format!(
                "the shortcut was made for a {}, and a {} is there",
                if says_dir { "directory" } else { "file" },
                if is_dir { "directory" } else { "file" }
            ));
        }
        res
    }

    /// Where the walk starts and what it walks.
    fn shortcut_start(
        &self,
        link: &ShellLink,
        parent: u64,
        serial: Option<u32>,
    ) -> Result<(Place, VecDeque<String>), Resolution> {
        let info = link.link_info.as_ref();
        if let Some(info) = info {
            let suffix = info.suffix().unwrap_or_default();
            if let Some(local) = info.local_path() {
                let volume = info.volume_id.as_ref();
                match (volume.map(|v| v.drive_serial_number), serial) {
                    (Some(theirs), Some(ours)) if theirs != ours => {
                        let label = volume.map(|v| v.volume_label.as_str()).unwrap_or_default();
                        return Err(Resolution::outcome(
                            Outcome::OtherVolume,
                            format!(
                                "on volume {}{} (this volume is {})",
                                serial_text(theirs),
                                if label.is_empty() {
                                    String::new()
                                } else {
                                    format!(" labelled {label:?}")
                                },
                                serial_text(ours)
                            ),
                        ));
                    }
                    (Some(_), Some(_)) => {
                        let path = format!("{}\\{suffix}", local.trim_end_matches('\\'));
                        return Ok((Place::root(), after_drive(&path)));
                    }
                    _ => return self.by_drive_letter(&format!("{local}{suffix}")),
                }
            }
            if let Some(net) = &info.network {
                return Err(Resolution::outcome(
                    Outcome::Remote,
                    format!("on a network share: {}", net.name()),
                ));
            }
        }
        // An advertised (Windows Installer) shortcut names a product and a
        // component; its relative path is its icon's.
        if link.extra.darwin.is_some() {
            return Err(Resolution::outcome(
                Outcome::Undetermined,
                "an advertised (Windows Installer) shortcut: Windows Installer finds its target by product and component",
            ));
        }
        if let Some(relative) = link
            .strings
            .relative_path
            .as_deref()
            .filter(|r| !r.is_empty())
        {
            let dir = self.place_of(parent).ok_or_else(|| {
                Resolution::outcome(
                    Outcome::Dangling,
                    "the shortcut's own directory has no path",
                )
            })?;
            return Ok((dir, components(relative)));
        }
        match link.target_path() {
            Some(path) if path.starts_with("\\\\") => Err(Resolution::outcome(
                Outcome::Remote,
                format!("on another machine: {path}"),
            )),
            Some(path) if path.get(1..2) == Some(":") => self.by_drive_letter(&path),
            _ => Err(Resolution::outcome(
                Outcome::Undetermined,
                "the shortcut names no path on a volume (an application, a shell folder or an environment-variable target)",
            )),
        }
    }

    /// A drive path judged by `--drive`, like a junction's target.
    fn by_drive_letter(&self, path: &str) -> Result<(Place, VecDeque<String>), Resolution> {
        let letter = path.chars().next().unwrap_or('?').to_ascii_uppercase();
        match self.options().drive {
            Some(d) if d.eq_ignore_ascii_case(&letter) => Ok((Place::root(), after_drive(path))),
            Some(d) => Err(Resolution::outcome(
                Outcome::OtherVolume,
                format!(
                    "{letter}: is another drive (this volume is {}:)",
                    d.to_ascii_uppercase()
                ),
            )),
            None => Err(Resolution::outcome(
                Outcome::Undetermined,
                format!(
                    "a path on {letter}: with no volume serial to compare: give the volume's drive letter (--drive)"
                ),
            )),
        }
    }
}

/// The drive letter of the local path of a link that recorded `serial`,
/// this volume's.
fn same_volume_drive(link: &ShellLink, serial: Option<u32>) -> Option<char> {
    let info = link.link_info.as_ref()?;
    let theirs = info.volume_id.as_ref()?.drive_serial_number;
    let local = info.local_path()?;
    let letter = local.chars().next().filter(char::is_ascii_alphabetic)?;
    (Some(theirs) == serial && local.get(1..2) == Some(":")).then(|| letter.to_ascii_uppercase())
}

/// The components of `C:\dir\file` after the drive.
fn after_drive(path: &str) -> VecDeque<String> {
    components(path.get(2..).unwrap_or_default())
}

fn components(path: &str) -> VecDeque<String> {
    path.split(['\\', '/'])
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}
