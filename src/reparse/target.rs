//! The forms a link target takes, parsed from a substitute name (Windows) or an
//! lx_symlink target (POSIX).
//!
//! | form | example |
//! |---|---|
//! | `drive_absolute` | `\??\C:\Users\a`, `C:\Users\a` |
//! | `relative` | `..\a.txt` (symlink flag 1), `../a.txt` (WSL) |
//! | `rooted` | `\Users\a`: the root of the link's own volume |
//! | `unc` | `\??\UNC\server\share\x` |
//! | `volume_guid` | `\??\Volume{GUID}\x` |
//! | `device` | `\??\GLOBALROOT\Device\...`, `\Device\...`, other NT paths |
//! | `posix_absolute` | `/mnt/c/x` (WSL) |

/// The form of a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetForm {
    /// A drive letter and a path.
    DriveAbsolute,
    /// Relative to the link's directory.
    Relative,
    /// From the root of the link's own volume.
    Rooted,
    /// A share on a server.
    Unc,
    /// A volume named by its GUID.
    VolumeGuid,
    /// A device or other NT object path.
    Device,
    /// An absolute POSIX path (WSL).
    PosixAbsolute,
}

crate::named_variants!(TargetForm {
    DriveAbsolute => "drive_absolute",
    Relative => "relative",
    Rooted => "rooted",
    Unc => "unc",
    VolumeGuid => "volume_guid",
    Device => "device",
    PosixAbsolute => "posix_absolute",
});

/// A parsed target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Drive letter (upper case) and components.
    Drive(char, Vec<String>),
    /// Components relative to the link's directory (`..` and `.` kept).
    Relative(Vec<String>),
    /// Components from the root of the link's volume.
    Rooted(Vec<String>),
    /// `\\server\share\rest`.
    Unc(String),
    /// The volume GUID and the path inside it.
    VolumeGuid(String, Vec<String>),
    /// Any other NT path.
    Device(String),
    /// An absolute POSIX path's components.
    Posix(Vec<String>),
}

fn components(path: &str, sep: &[char]) -> Vec<String> {
    path.split(sep)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

impl Target {
    /// Parses a Windows substitute name; `relative` is the symlink's flag.
    ///
    /// ```
    /// use ntfs_links::reparse::Target;
    /// assert_eq!(Target::parse_windows(r"\??\C:\Users\a", false),
    ///            Target::Drive('C', vec!["Users".into(), "a".into()]));
    /// assert_eq!(Target::parse_windows(r"\??\UNC\srv\share", false), Target::Unc(r"\\srv\share".into()));
    /// ```
    pub fn parse_windows(name: &str, relative: bool) -> Target {
        if relative {
            return Target::Relative(components(name, &['\\', '/']));
        }
        let nt = name
            .strip_prefix(r"\??\")
            .or_else(|| name.strip_prefix(r"\\?\"));
        if let Some(rest) = nt {
            if let Some(unc) = rest
                .strip_prefix("UNC\\")
                .or_else(|| rest.strip_prefix("unc\\"))
            {
                return Target::Unc(format!(r"\\{unc}"));
            }
            if rest
                .get(..7)
                .is_some_and(|p| p.eq_ignore_ascii_case("Volume{"))
            {
                let (guid, path) = rest.split_once('\\').unwrap_or((rest, ""));
                return Target::VolumeGuid(
                    guid.get(6..).unwrap_or("").to_owned(),
                    components(path, &['\\']),
                );
            }
            if let Some(t) = drive(rest) {
                return t;
            }
            return Target::Device(name.to_owned());
        }
        if let Some(unc) = name.strip_prefix(r"\\") {
            return Target::Unc(format!(r"\\{unc}"));
        }
        if let Some(t) = drive(name) {
            return t;
        }
        if name.starts_with('\\') {
            if name.starts_with(r"\Device\") || name.starts_with(r"\GLOBAL") {
                return Target::Device(name.to_owned());
            }
            return Target::Rooted(components(name, &['\\']));
        }
        Target::Relative(components(name, &['\\']))
    }

    /// Parses an lx_symlink (POSIX) target.
    pub fn parse_posix(name: &str) -> Target {
        if name.starts_with('/') {
            Target::Posix(components(name, &['/']))
        } else {
            Target::Relative(components(name, &['/']))
        }
    }

    /// The form.
    pub fn form(&self) -> TargetForm {
        match self {
            Target::Drive(..) => TargetForm::DriveAbsolute,
            Target::Relative(_) => TargetForm::Relative,
            Target::Rooted(_) => TargetForm::Rooted,
            Target::Unc(_) => TargetForm::Unc,
            Target::VolumeGuid(..) => TargetForm::VolumeGuid,
            Target::Device(_) => TargetForm::Device,
            Target::Posix(_) => TargetForm::PosixAbsolute,
        }
    }
}

/// `C:` or `C:\...`.
fn drive(s: &str) -> Option<Target> {
    let mut chars = s.chars();
    let (letter, colon) = (chars.next()?, chars.next()?);
    if !letter.is_ascii_alphabetic() || colon != ':' {
        return None;
    }
    let rest = chars.as_str();
    if !rest.is_empty() && !rest.starts_with('\\') {
        return None;
    }
    Some(Target::Drive(
        letter.to_ascii_uppercase(),
        components(rest, &['\\']),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let f = |s, r| Target::parse_windows(s, r).form();
        assert_eq!(f(r"\??\C:\x", false), TargetForm::DriveAbsolute);
        assert_eq!(f(r"D:\x", false), TargetForm::DriveAbsolute);
        assert_eq!(f(r"..\x", true), TargetForm::Relative);
        assert_eq!(f(r"\x\y", false), TargetForm::Rooted);
        assert_eq!(f(r"\??\UNC\s\x", false), TargetForm::Unc);
        assert_eq!(f(r"\\s\x", false), TargetForm::Unc);
        assert_eq!(
            f(r"\??\Volume{12345678-1234-1234-1234-123456789abc}\", false),
            TargetForm::VolumeGuid
        );
        assert_eq!(
            f(r"\??\GLOBALROOT\Device\HarddiskVolume1\x", false),
            TargetForm::Device
        );
        assert_eq!(
            Target::parse_posix("/mnt/c/x").form(),
            TargetForm::PosixAbsolute
        );
        assert_eq!(
            Target::parse_posix("../x"),
            Target::Relative(vec!["..".into(), "x".into()])
        );
        match Target::parse_windows(r"\??\Volume{abc}\dir\f", false) {
            Target::VolumeGuid(g, p) => {
                assert_eq!(g, "{abc}");
                assert_eq!(p, ["dir", "f"]);
            }
            t => panic!("{t:?}"),
        }
    }
}
