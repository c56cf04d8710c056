//! Self-relative security descriptors (MS-DTYP 2.4.6): owner, group, and the
//! two access control lists with their entries (MS-DTYP 2.4.4), decoded from
//! untrusted bytes: every offset and size checked, a damaged part named with
//! its byte offset, never a panic.

use crate::bytes::{slice_at, u8_at, u16_at, u32_at};
use serde::Serialize;
use std::fmt;

/// Control flag: the DACL is present (`SE_DACL_PRESENT`).
pub const SE_DACL_PRESENT: u16 = 0x0004;
/// Control flag: the SACL is present (`SE_SACL_PRESENT`).
pub const SE_SACL_PRESENT: u16 = 0x0010;
/// Control flag: the DACL does not inherit from the parent (`SE_DACL_PROTECTED`).
pub const SE_DACL_PROTECTED: u16 = 0x1000;

/// Control flags and the names given to them.
const CONTROL_NAMES: [(u16, &str); 16] = [
    (0x0001, "owner defaulted"),
    (0x0002, "group defaulted"),
    (SE_DACL_PRESENT, "dacl present"),
    (0x0008, "dacl defaulted"),
    (SE_SACL_PRESENT, "sacl present"),
    (0x0020, "sacl defaulted"),
    (0x0040, "dacl trusted"),
    (0x0080, "server security"),
    (0x0100, "dacl auto-inherit required"),
    (0x0200, "sacl auto-inherit required"),
    (0x0400, "dacl auto-inherited"),
    (0x0800, "sacl auto-inherited"),
    (SE_DACL_PROTECTED, "dacl protected"),
    (0x2000, "sacl protected"),
    (0x4000, "rm control valid"),
    (0x8000, "self relative"),
];

/// Why a security descriptor could not be decoded, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DescriptorError {
    /// Byte offset in the descriptor.
    pub offset: usize,
    /// What is wrong there.
    pub problem: &'static str,
}

impl fmt::Display for DescriptorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at descriptor byte {:#x}", self.problem, self.offset)
    }
}

impl std::error::Error for DescriptorError {}

fn bad(offset: usize, problem: &'static str) -> DescriptorError {
    DescriptorError { offset, problem }
}

/// A security identifier (`S-1-5-32-544`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Sid {
    /// Revision (1).
    pub revision: u8,
    /// Identifier authority (48 bits, big-endian on disk).
    pub authority: u64,
    /// Sub-authorities, at most 15.
    pub sub_authorities: Vec<u32>,
}

impl Sid {
    /// Decodes the SID at `at`, and its length in bytes.
    pub fn parse(b: &[u8], at: usize) -> Result<(Sid, usize), DescriptorError> {
        let revision = u8_at(b, at).ok_or(bad(at, "SID outside the descriptor"))?;
        let count = u8_at(b, at + 1).ok_or(bad(at, "SID outside the descriptor"))?;
        if revision != 1 {
            return Err(bad(at, "SID revision is not 1"));
        }
        if count > 15 {
            return Err(bad(at + 1, "SID has more than 15 sub-authorities"));
        }
        let len = 8 + 4 * usize::from(count);
        let raw = slice_at(b, at, len).ok_or(bad(at, "SID runs past the descriptor"))?;
        let authority = raw
            .get(2..8)
            .unwrap_or_default()
            .iter()
            .fold(0u64, |a, &x| (a << 8) | u64::from(x));
        let sub_authorities = (0..usize::from(count))
            .map(|i| u32_at(raw, 8 + 4 * i).unwrap_or(0))
            .collect();
        Ok((
            Sid {
                revision,
                authority,
                sub_authorities,
            },
            len,
        ))
    }

    /// The name Windows gives a well-known SID (`Everyone`, `SYSTEM`,
    /// `BUILTIN\Administrators`); `None` for others (accounts of a machine or
    /// domain, which only that machine can name).
    pub fn well_known_name(&self) -> Option<&'static str> {
        let text = self.to_string();
        if let Some(name) = WELL_KNOWN
            .iter()
            .find(|(sid, _)| *sid == text)
            .map(|(_, n)| *n)
        {
            return Some(name);
        }
        // S-1-5-21-<machine or domain>-RID: the RIDs every machine has.
        match (self.authority, self.sub_authorities.as_slice()) {
            (5, [21, _, _, _, 500]) => Some("Administrator (local account)"),
            (5, [21, _, _, _, 501]) => Some("Guest (local account)"),
            (5, [21, _, _, _, 512]) => Some("Domain Admins"),
            (5, [21, _, _, _, 513]) => Some("Domain Users"),
            _ => None,
        }
    }
}

/// Well-known SIDs (MS-DTYP 2.4.2.4) and the names Windows shows for them.
const WELL_KNOWN: &[(&str, &str)] = &[
    ("S-1-0-0", "NULL SID"),
    ("S-1-1-0", "Everyone"),
    ("S-1-2-0", "LOCAL"),
    ("S-1-3-0", "CREATOR OWNER"),
    ("S-1-3-1", "CREATOR GROUP"),
    ("S-1-3-4", "OWNER RIGHTS"),
    ("S-1-5-1", "NT AUTHORITY\\DIALUP"),
    ("S-1-5-2", "NT AUTHORITY\\NETWORK"),
    ("S-1-5-3", "NT AUTHORITY\\BATCH"),
    ("S-1-5-4", "NT AUTHORITY\\INTERACTIVE"),
    ("S-1-5-6", "NT AUTHORITY\\SERVICE"),
    ("S-1-5-7", "NT AUTHORITY\\ANONYMOUS LOGON"),
    ("S-1-5-9", "NT AUTHORITY\\ENTERPRISE DOMAIN CONTROLLERS"),
    ("S-1-5-10", "NT AUTHORITY\\SELF"),
    ("S-1-5-11", "NT AUTHORITY\\Authenticated Users"),
    ("S-1-5-12", "NT AUTHORITY\\RESTRICTED"),
    ("S-1-5-13", "NT AUTHORITY\\TERMINAL SERVER USER"),
    ("S-1-5-14", "NT AUTHORITY\\REMOTE INTERACTIVE LOGON"),
    ("S-1-5-18", "NT AUTHORITY\\SYSTEM"),
    ("S-1-5-19", "NT AUTHORITY\\LOCAL SERVICE"),
    ("S-1-5-20", "NT AUTHORITY\\NETWORK SERVICE"),
    ("S-1-5-32-544", "BUILTIN\\Administrators"),
    ("S-1-5-32-545", "BUILTIN\\Users"),
    ("S-1-5-32-546", "BUILTIN\\Guests"),
    ("S-1-5-32-547", "BUILTIN\\Power Users"),
    ("S-1-5-32-551", "BUILTIN\\Backup Operators"),
    ("S-1-5-32-555", "BUILTIN\\Remote Desktop Users"),
    (
        "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464",
        "NT SERVICE\\TrustedInstaller",
    ),
    (
        "S-1-15-2-1",
        "APPLICATION PACKAGE AUTHORITY\\ALL APPLICATION PACKAGES",
    ),
    (
        "S-1-15-2-2",
        "APPLICATION PACKAGE AUTHORITY\\ALL RESTRICTED APPLICATION PACKAGES",
    ),
    ("S-1-16-0", "Mandatory Label\\Untrusted Mandatory Level"),
    ("S-1-16-4096", "Mandatory Label\\Low Mandatory Level"),
    ("S-1-16-8192", "Mandatory Label\\Medium Mandatory Level"),
    ("S-1-16-12288", "Mandatory Label\\High Mandatory Level"),
    ("S-1-16-16384", "Mandatory Label\\System Mandatory Level"),
];

impl fmt::Display for Sid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "S-{}-", self.revision)?;
        // MS-DTYP 2.4.2.1: authorities of 2^32 and more are written in hex.
        if self.authority >> 32 == 0 {
            write!(f, "{}", self.authority)?;
        } else {
            write!(f, "{:#014X}", self.authority)?;
        }
        for s in &self.sub_authorities {
            write!(f, "-{s}")?;
        }
        Ok(())
    }
}

impl Serialize for Sid {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The type of an access control entry (MS-DTYP 2.4.4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AceType(pub u8);

impl AceType {
    /// `ACCESS_ALLOWED_ACE_TYPE`.
    pub const ACCESS_ALLOWED: AceType = AceType(0x00);
    /// `ACCESS_DENIED_ACE_TYPE`.
    pub const ACCESS_DENIED: AceType = AceType(0x01);

    /// Its name (`access_allowed`, `access_denied`, `system_audit`, ...).
    pub fn name(self) -> &'static str {
        match self.0 {
            0x00 => "access_allowed",
            0x01 => "access_denied",
            0x02 => "system_audit",
            0x03 => "system_alarm",
            0x04 => "access_allowed_compound",
            0x05 => "access_allowed_object",
            0x06 => "access_denied_object",
            0x07 => "system_audit_object",
            0x08 => "system_alarm_object",
            0x09 => "access_allowed_callback",
            0x0A => "access_denied_callback",
            0x0B => "access_allowed_callback_object",
            0x0C => "access_denied_callback_object",
            0x0D => "system_audit_callback",
            0x0E => "system_alarm_callback",
            0x0F => "system_audit_callback_object",
            0x10 => "system_alarm_callback_object",
            0x11 => "system_mandatory_label",
            0x12 => "system_resource_attribute",
            0x13 => "system_scoped_policy_id",
            _ => "unknown",
        }
    }

    /// Whether the entry denies access (`access_denied` and its object and
    /// callback forms).
    pub fn denies(self) -> bool {
        matches!(self.0, 0x01 | 0x06 | 0x0A | 0x0C)
    }

    /// Whether its body holds object GUIDs before the SID.
    fn is_object(self) -> bool {
        matches!(self.0, 0x05..=0x08 | 0x0B | 0x0C | 0x0F | 0x10)
    }
}

impl Serialize for AceType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// One access control entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Ace {
    /// Its type.
    #[serde(rename = "type")]
    pub ace_type: AceType,
    /// Inheritance and audit flags (`OBJECT_INHERIT_ACE` 0x01, ...).
    pub flags: u8,
    /// The access mask.
    pub mask: u32,
    /// The trustee (`None` for a type without one, such as compound entries).
    pub sid: Option<Sid>,
    /// Object entries: the object type GUID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object_type: Option<String>,
    /// Object entries: the inherited object type GUID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inherited_object_type: Option<String>,
}

/// An access control list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Acl {
    /// Revision (2, or 4 with object entries).
    pub revision: u8,
    /// Its entries, in order (the order Windows evaluates them in).
    pub aces: Vec<Ace>,
}

impl Acl {
    /// Decodes the ACL at `at`.
    pub fn parse(b: &[u8], at: usize) -> Result<Acl, DescriptorError> {
        let revision = u8_at(b, at).ok_or(bad(at, "ACL outside the descriptor"))?;
        let size = usize::from(u16_at(b, at + 2).ok_or(bad(at, "ACL outside the descriptor"))?);
        let count = u16_at(b, at + 4).ok_or(bad(at, "ACL outside the descriptor"))?;
        if size < 8 {
            return Err(bad(at + 2, "ACL size is less than its header"));
        }
        let acl = slice_at(b, at, size).ok_or(bad(at + 2, "ACL runs past the descriptor"))?;
        let mut aces = Vec::with_capacity(usize::from(count).min(size / 8));
        let mut pos = 8;
        for _ in 0..count {
            let here = at + pos;
            let ace_type = AceType(u8_at(acl, pos).ok_or(bad(here, "ACE past the ACL's size"))?);
            let flags = u8_at(acl, pos + 1).ok_or(bad(here, "ACE past the ACL's size"))?;
            let ace_size =
                usize::from(u16_at(acl, pos + 2).ok_or(bad(here, "ACE past the ACL's size"))?);
            if ace_size < 8 {
                return Err(bad(here + 2, "ACE size is less than its header and mask"));
            }
            let body =
                slice_at(acl, pos, ace_size).ok_or(bad(here + 2, "ACE runs past its ACL"))?;
            let mask = u32_at(body, 4).unwrap_or(0);
            let (mut object_type, mut inherited_object_type) = (None, None);
            let mut sid_at = 8;
            if ace_type.is_object() {
                let object_flags = u32_at(body, 8).ok_or(bad(here + 8, "object ACE too short"))?;
                sid_at = 12;
                for (bit, slot) in [(1, &mut object_type), (2, &mut inherited_object_type)] {
                    if object_flags & bit != 0 {
                        let raw: [u8; 16] = slice_at(body, sid_at, 16)
                            .and_then(|s| s.try_into().ok())
                            .ok_or(bad(here + sid_at, "object ACE's GUID runs past it"))?;
                        *slot = Some(crate::shortcut::format_guid(&raw));
                        sid_at += 16;
                    }
                }
            }
            let sid = if ace_type.0 == 0x04 || ace_size <= sid_at {
                None
            } else {
                Some(
                    Sid::parse(body, sid_at)
                        .map_err(|e| bad(here + e.offset, e.problem))?
                        .0,
                )
            };
            aces.push(Ace {
                ace_type,
                flags,
                mask,
                sid,
                object_type,
                inherited_object_type,
            });
            pos += ace_size;
        }
        Ok(Acl { revision, aces })
    }
}

/// A security descriptor, decoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SecurityDescriptor {
    /// Control flags (`SE_DACL_PRESENT`, ...).
    pub control: u16,
    /// Their names.
    pub control_names: Vec<&'static str>,
    /// The owner.
    pub owner: Option<Sid>,
    /// The primary group.
    pub group: Option<Sid>,
    /// The discretionary ACL: who may do what. `None` with the DACL absent
    /// (everyone may do everything).
    pub dacl: Option<Acl>,
    /// The system ACL (auditing, mandatory label).
    pub sacl: Option<Acl>,
}

impl SecurityDescriptor {
    /// Decodes a self-relative security descriptor.
    pub fn parse(b: &[u8]) -> Result<SecurityDescriptor, DescriptorError> {
        let revision = u8_at(b, 0).ok_or(bad(0, "shorter than a descriptor's header"))?;
        if b.len() < 20 {
            return Err(bad(0, "shorter than a descriptor's header"));
        }
        if revision != 1 {
            return Err(bad(0, "revision is not 1"));
        }
        let control = u16_at(b, 2).unwrap_or(0);
        let offset = |at: usize| u32_at(b, at).map_or(0, |o| o as usize);
        let sid = |at: usize| -> Result<Option<Sid>, DescriptorError> {
            match offset(at) {
                0 => Ok(None),
                o => Sid::parse(b, o).map(|(s, _)| Some(s)),
            }
        };
        let acl = |at: usize, present: u16| -> Result<Option<Acl>, DescriptorError> {
            match offset(at) {
                0 => Ok(None),
                _ if control & present == 0 => Ok(None),
                o => Acl::parse(b, o).map(Some),
            }
        };
        Ok(SecurityDescriptor {
            control,
            control_names: CONTROL_NAMES
                .iter()
                .filter(|(bit, _)| control & bit != 0)
                .map(|(_, n)| *n)
                .collect(),
            owner: sid(4)?,
            group: sid(8)?,
            sacl: acl(12, SE_SACL_PRESENT)?,
            dacl: acl(16, SE_DACL_PRESENT)?,
        })
    }

    /// The DACL's entries denying Everyone (S-1-1-0) listing the directory
    /// (`FILE_LIST_DIRECTORY`), as Windows puts on its compatibility links
    /// so that programs do not walk them twice.
    pub fn denies_everyone_listing(&self) -> bool {
        self.dacl.as_ref().is_some_and(|dacl| {
            dacl.aces.iter().any(|ace| {
                ace.ace_type.denies()
                    && ace.flags & INHERIT_ONLY == 0
                    && ace.mask & FILE_LIST_DIRECTORY != 0
                    && ace.sid.as_ref().is_some_and(|s| s.to_string() == "S-1-1-0")
            })
        })
    }
}

/// `FILE_LIST_DIRECTORY` (`FILE_READ_DATA` on a file).
pub const FILE_LIST_DIRECTORY: u32 = 0x0001;
/// `INHERIT_ONLY_ACE`: the entry applies to children only.
pub const INHERIT_ONLY: u8 = 0x08;

/// Inheritance flags as `icacls` writes them.
const FLAG_TEXT: [(u8, &str); 5] = [
    (0x10, "(I)"),
    (0x01, "(OI)"),
    (0x02, "(CI)"),
    (0x08, "(IO)"),
    (0x04, "(NP)"),
];

/// Rights as `icacls` writes them: whole sets first, then single rights.
const SETS: [(u32, &str); 5] = [
    (0x001F_01FF, "F"),
    (0x0013_01BF, "M"),
    (0x0012_00A9, "RX"),
    (0x0012_0089, "R"),
    (0x0010_0116, "W"),
];
const RIGHTS: &[(u32, &str)] = &[
    (0x8000_0000, "GR"),
    (0x4000_0000, "GW"),
    (0x2000_0000, "GE"),
    (0x1000_0000, "GA"),
    (0x0200_0000, "MA"),
    (0x0100_0000, "AS"),
    (0x0010_0000, "S"),
    (0x0008_0000, "WO"),
    (0x0004_0000, "WDAC"),
    (0x0002_0000, "RC"),
    (0x0001_0000, "DE"),
    (0x0000_0100, "WA"),
    (0x0000_0080, "RA"),
    (0x0000_0040, "DC"),
    (0x0000_0020, "X"),
    (0x0000_0010, "WEA"),
    (0x0000_0008, "REA"),
    (0x0000_0004, "AD"),
    (0x0000_0002, "WD"),
    (0x0000_0001, "RD"),
];

impl Ace {
    /// The entry as `icacls` shows it, without the trustee:
    /// `(DENY)(S,RD)`, `(OI)(CI)(IO)(F)`, `(I)(RX)`.
    pub fn rights(&self) -> String {
        let mut out = String::new();
        if self.ace_type.denies() {
            out.push_str("(DENY)");
        } else if self.ace_type != AceType::ACCESS_ALLOWED {
            out.push('(');
            out.push_str(self.ace_type.name());
            out.push(')');
        }
        for (bit, text) in FLAG_TEXT {
            if self.flags & bit != 0 {
                out.push_str(text);
            }
        }
        if let Some((_, set)) = SETS.iter().find(|(m, _)| *m == self.mask) {
            out.push('(');
            out.push_str(set);
            out.push(')');
            return out;
        }
        let mut named = Vec::new();
        let mut left = self.mask;
        for (bit, text) in RIGHTS {
            if self.mask & bit != 0 {
                named.push((*text).to_owned());
                left &= !bit;
            }
        }
        if left != 0 || named.is_empty() {
            named.push(format!("{left:#x}"));
        }
        out.push('(');
        out.push_str(&named.join(","));
        out.push(')');
        out
    }

    /// The trustee as `icacls` names it: the well-known name, else the SID.
    pub fn trustee(&self) -> String {
        match &self.sid {
            Some(sid) => sid
                .well_known_name()
                .map_or_else(|| sid.to_string(), str::to_owned),
            None => "(no SID)".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a SID's bytes.
    fn sid(authority: u8, subs: &[u32]) -> Vec<u8> {
        let mut b = vec![1, subs.len() as u8, 0, 0, 0, 0, 0, authority];
        for s in subs {
            b.extend_from_slice(&s.to_le_bytes());
        }
        b
    }

    fn ace(kind: u8, flags: u8, mask: u32, sid: &[u8]) -> Vec<u8> {
        let mut b = vec![kind, flags];
        b.extend_from_slice(&((8 + sid.len()) as u16).to_le_bytes());
        b.extend_from_slice(&mask.to_le_bytes());
        b.extend_from_slice(sid);
        b
    }

    /// A descriptor as Windows puts on a profile's compatibility junction:
    /// Everyone denied listing, SYSTEM and Administrators full control.
    fn compat_descriptor() -> Vec<u8> {
        let aces = [
            ace(1, 0, 0x0010_0001, &sid(1, &[0])),
            ace(0, 0, 0x001F_01FF, &sid(5, &[18])),
            ace(0, 0, 0x001F_01FF, &sid(5, &[32, 544])),
        ]
        .concat();
        let mut acl = vec![2, 0];
        acl.extend_from_slice(&((8 + aces.len()) as u16).to_le_bytes());
        acl.extend_from_slice(&3u16.to_le_bytes());
        acl.extend_from_slice(&[0, 0]);
        acl.extend_from_slice(&aces);
        let owner = sid(5, &[18]);
        let mut b = vec![1, 0];
        b.extend_from_slice(&(0x8000u16 | SE_DACL_PRESENT | SE_DACL_PROTECTED).to_le_bytes());
        b.extend_from_slice(&20u32.to_le_bytes()); // owner
        b.extend_from_slice(&20u32.to_le_bytes()); // group
        b.extend_from_slice(&0u32.to_le_bytes()); // sacl
        b.extend_from_slice(&(20 + owner.len() as u32).to_le_bytes()); // dacl
        b.extend_from_slice(&owner);
        b.extend_from_slice(&acl);
        b
    }

    #[test]
    fn decodes_owner_and_dacl_as_icacls_shows_them() {
        let sd = SecurityDescriptor::parse(&compat_descriptor()).unwrap();
        assert_eq!(sd.owner.as_ref().unwrap().to_string(), "S-1-5-18");
        assert_eq!(
            sd.owner.as_ref().unwrap().well_known_name(),
            Some("NT AUTHORITY\\SYSTEM")
        );
        let dacl = sd.dacl.as_ref().unwrap();
        let shown: Vec<_> = dacl
            .aces
            .iter()
            .map(|a| format!("{}:{}", a.trustee(), a.rights()))
            .collect();
        assert_eq!(
            shown,
            [
                "Everyone:(DENY)(S,RD)",
                "NT AUTHORITY\\SYSTEM:(F)",
                "BUILTIN\\Administrators:(F)"
            ]
        );
        assert!(sd.denies_everyone_listing());
        assert!(sd.control_names.contains(&"dacl protected"));
    }

    #[test]
    fn every_truncation_and_flip_is_an_error_or_a_descriptor_never_a_panic() {
        let good = compat_descriptor();
        for len in 0..good.len() {
            let _ = SecurityDescriptor::parse(&good[..len]);
        }
        for i in 0..good.len() {
            for bit in 0..8 {
                let mut b = good.clone();
                b[i] ^= 1 << bit;
                let _ = SecurityDescriptor::parse(&b);
            }
        }
        assert_eq!(
            SecurityDescriptor::parse(&good[..30]).unwrap_err().problem,
            "SID runs past the descriptor"
        );
    }

    #[test]
    fn sid_text_follows_ms_dtyp() {
        let (s, len) = Sid::parse(&sid(5, &[21, 1, 2, 3, 1001]), 0).unwrap();
        assert_eq!((s.to_string().as_str(), len), ("S-1-5-21-1-2-3-1001", 28));
        assert_eq!(s.well_known_name(), None);
        let mut big = sid(0, &[7]);
        big[2] = 1; // authority 2^40
        assert_eq!(
            Sid::parse(&big, 0).unwrap().0.to_string(),
            "S-1-0x010000000000-7"
        );
        assert!(Sid::parse(&[1, 16, 0, 0, 0, 0, 0, 5], 0).is_err());
    }

    #[test]
    fn rights_not_in_a_set_are_listed_one_by_one_with_leftovers_in_hex() {
        let a = Ace {
            ace_type: AceType::ACCESS_ALLOWED,
            flags: 0x0B,
            mask: 0x1000_0000 | 0x0000_0200,
            sid: None,
            object_type: None,
            inherited_object_type: None,
        };
        assert_eq!(a.rights(), "(OI)(CI)(IO)(GA,0x200)");
    }
}
