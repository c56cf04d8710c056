//! Security descriptors: who owns a file, and who may do what with it.
//!
//! NTFS 3.x keeps each distinct descriptor once, in the `$SDS` stream of
//! `$Secure` (record 9), and a file's $STANDARD_INFORMATION names its
//! descriptor by a security id; NTFS 1.x (and some drivers, for some files)
//! keep a `$SECURITY_DESCRIPTOR` attribute in the record itself, which then
//! wins. [`Descriptors::read`] reads `$SDS` once; [`RecordSecurity::read`]
//! finds one record's descriptor. [`SecurityDescriptor`] decodes one
//! (MS-DTYP), from bytes that are never trusted.

mod descriptor;

pub use descriptor::{
    Ace, AceType, Acl, DescriptorError, FILE_LIST_DIRECTORY, INHERIT_ONLY, SE_DACL_PRESENT,
    SE_DACL_PROTECTED, SE_SACL_PRESENT, SecurityDescriptor, Sid,
};

use crate::attribute::StandardInformation;
use crate::bytes::{u32_at, u64_at};
use crate::content::Stream;
use crate::error::Result;
use crate::record::AttributeType;
use crate::record::well_known::SECURE;
use crate::volume::Volume;
use serde::Serialize;
use std::collections::HashMap;
use std::ops::Range;

/// `$SDS` is written in blocks of 256 KiB, each followed by its mirror copy.
const BLOCK: usize = 0x40000;
/// The header of an `$SDS` entry: hash, security id, offset, length.
const ENTRY_HEADER: usize = 20;
/// Most bytes of `$SDS` read (real volumes hold a few MiB).
const MAX_SDS: u64 = 256 << 20;
/// Most bytes of a record's own `$SECURITY_DESCRIPTOR` read.
const MAX_ATTRIBUTE: usize = 1 << 20;

/// Every descriptor of `$Secure:$SDS`, by security id.
#[derive(Debug, Clone, Default)]
pub struct Descriptors {
    sds: Vec<u8>,
    by_id: HashMap<u32, Range<usize>>,
}

impl Descriptors {
    /// Reads `$Secure:$SDS` from the volume.
    pub fn read(volume: &Volume) -> Result<Descriptors> {
        let sds = Stream::open(volume, SECURE, "$SDS")?.read_all(MAX_SDS)?;
        Ok(Descriptors::from_sds(sds))
    }

    /// Indexes the entries of `$SDS`'s bytes: each 16-byte aligned, in
    /// 256 KiB blocks whose mirror copy follows them. An entry whose header
    /// is damaged is taken from its mirror; when both are, the rest of its
    /// block is skipped.
    pub fn from_sds(sds: Vec<u8>) -> Descriptors {
        let mut by_id = HashMap::new();
        let mut pos = 0;
        while pos + ENTRY_HEADER <= sds.len() {
            if (pos / BLOCK) % 2 == 1 {
                pos = (pos / BLOCK + 1) * BLOCK;
                continue;
            }
            let found = entry_at(&sds, pos, pos)
                .map(|e| (pos, e))
                .or_else(|| entry_at(&sds, pos + BLOCK, pos).map(|e| (pos + BLOCK, e)));
            let Some((at, (id, len))) = found else {
                pos = (pos / BLOCK + 1) * BLOCK;
                continue;
            };
            by_id.entry(id).or_insert(at + ENTRY_HEADER..at + len);
            pos = (pos + len).next_multiple_of(16);
        }
        Descriptors { sds, by_id }
    }

    /// How many descriptors `$SDS` holds.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether `$SDS` holds none.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// The bytes of descriptor `id`.
    pub fn raw(&self, id: u32) -> Option<&[u8]> {
        self.by_id.get(&id).and_then(|r| self.sds.get(r.clone()))
    }

    /// Descriptor `id`, decoded (`None` when `$SDS` has no such id); when
    /// the copy found first cannot be decoded, its mirror copy (256 KiB on)
    /// is, if whole.
    pub fn get(&self, id: u32) -> Option<std::result::Result<SecurityDescriptor, DescriptorError>> {
        Some(match SecurityDescriptor::parse(self.raw(id)?) {
            Ok(d) => Ok(d),
            Err(e) => self
                .mirror(id)
                .and_then(|m| SecurityDescriptor::parse(m).ok())
                .ok_or(e),
        })
    }

    /// The mirror copy of descriptor `id`, when its header says it is the
    /// copy of the entry found first (`None` when that was the mirror).
    fn mirror(&self, id: u32) -> Option<&[u8]> {
        let range = self.by_id.get(&id)?;
        let header = range.start.checked_sub(ENTRY_HEADER)?;
        if (header / BLOCK) % 2 == 1 {
            return None;
        }
        let (copy_id, len) = entry_at(&self.sds, header + BLOCK, header)?;
        if copy_id != id || len != range.end - header {
            return None;
        }
        self.sds.get(range.start + BLOCK..range.end + BLOCK)
    }
}

/// The security id and length of the `$SDS` entry at `at`, when its header
/// is whole and says it is the entry of offset `offset` (a mirror copy says
/// its primary's offset).
fn entry_at(sds: &[u8], at: usize, offset: usize) -> Option<(u32, usize)> {
    let id = u32_at(sds, at + 4)?;
    let stored = u64_at(sds, at + 8)?;
    let len = u32_at(sds, at + 16)? as usize;
    let block_end = (at / BLOCK + 1) * BLOCK;
    let whole =
        stored == offset as u64 && len >= ENTRY_HEADER + 20 && at + len <= block_end.min(sds.len());
    whole.then_some((id, len))
}

/// One record's security descriptor, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RecordSecurity {
    /// The security id of $STANDARD_INFORMATION (NTFS 3.x), if any.
    pub security_id: Option<u32>,
    /// Where the descriptor was read: `$SECURITY_DESCRIPTOR` (the record's
    /// own attribute) or `$Secure:$SDS`.
    pub source: &'static str,
    /// The descriptor, decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub descriptor: Option<SecurityDescriptor>,
    /// Why there is no descriptor: the id is not in `$SDS`, `$SDS` cannot
    /// be read, or the descriptor is damaged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

impl RecordSecurity {
    /// The descriptor of record `record`: its own `$SECURITY_DESCRIPTOR`
    /// when it has one, else the one its security id names in
    /// `descriptors` (read by the caller once, for many records). `None`
    /// when the record names no descriptor at all.
    pub fn read(
        volume: &Volume,
        record: u64,
        descriptors: std::result::Result<&Descriptors, &crate::Error>,
    ) -> Result<Option<RecordSecurity>> {
        let wanted =
            |t| t == AttributeType::STANDARD_INFORMATION || t == AttributeType::SECURITY_DESCRIPTOR;
        let records = volume.read_with_extensions(record, wanted, MAX_ATTRIBUTE)?;
        let mut security_id = None;
        for owned in &records {
            for attr in owned.attributes() {
                if attr.type_code() == AttributeType::SECURITY_DESCRIPTOR {
                    let value =
                        volume.attribute_value_max(&attr, owned.number, MAX_ATTRIBUTE as u64);
                    let parsed = value
                        .map_err(|e| e.to_string())
                        .and_then(|b| SecurityDescriptor::parse(&b).map_err(|e| e.to_string()));
                    return Ok(Some(RecordSecurity::decoded(
                        None,
                        "$SECURITY_DESCRIPTOR",
                        parsed,
                    )));
                }
                if attr.type_code() == AttributeType::STANDARD_INFORMATION {
                    security_id = attr
                        .value()
                        .and_then(StandardInformation::new)
                        .and_then(|si| si.security_id())
                        .or(security_id);
                }
            }
        }
        let Some(id) = security_id else {
            return Ok(None);
        };
        let parsed = match descriptors {
            Err(e) => Err(format!("$Secure:$SDS cannot be read: {e}")),
            Ok(d) => match d.get(id) {
                None => Err(format!("security id {id} is not in $Secure:$SDS")),
                Some(parsed) => parsed.map_err(|e| e.to_string()),
            },
        };
        Ok(Some(RecordSecurity::decoded(
            Some(id),
            "$Secure:$SDS",
            parsed,
        )))
    }

    fn decoded(
        security_id: Option<u32>,
        source: &'static str,
        parsed: std::result::Result<SecurityDescriptor, String>,
    ) -> RecordSecurity {
        let (descriptor, problem) = match parsed {
            Ok(d) => (Some(d), None),
            Err(e) => (None, Some(e)),
        };
        RecordSecurity {
            security_id,
            source,
            descriptor,
            problem,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: u32, at: usize, descriptor: &[u8]) -> Vec<u8> {
        let len = ENTRY_HEADER + descriptor.len();
        let mut b = vec![0; 4];
        b.extend_from_slice(&id.to_le_bytes());
        b.extend_from_slice(&(at as u64).to_le_bytes());
        b.extend_from_slice(&(len as u32).to_le_bytes());
        b.extend_from_slice(descriptor);
        b.resize(len.next_multiple_of(16), 0);
        b
    }

    /// The smallest descriptor: header only, no owner, no lists.
    const EMPTY: [u8; 20] = [
        1, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];

    #[test]
    fn entries_are_found_by_id_and_damaged_ones_taken_from_their_mirror() {
        let mut sds = entry(0x100, 0, &EMPTY);
        let second = sds.len();
        sds.extend(entry(0x101, second, &EMPTY));
        sds.resize(BLOCK, 0);
        let mirror = sds.clone();
        sds.extend(mirror);
        // The primary copy of 0x101 is torn: its offset field is wrong.
        sds[second + 8] ^= 0xFF;
        let d = Descriptors::from_sds(sds);
        assert_eq!(d.len(), 2);
        assert!(d.get(0x100).unwrap().is_ok());
        assert_eq!(d.raw(0x101).unwrap(), &EMPTY[..]);
        assert!(d.get(0x102).is_none());
    }

    #[test]
    fn a_descriptor_that_cannot_be_decoded_is_read_from_its_mirror() {
        let mut sds = entry(0x100, 0, &EMPTY);
        sds.resize(BLOCK, 0);
        let mirror = sds.clone();
        sds.extend(mirror);
        // The first copy's body is damaged (revision 2), its header whole.
        sds[ENTRY_HEADER] = 2;
        let d = Descriptors::from_sds(sds.clone());
        assert!(d.get(0x100).unwrap().is_ok());
        // Both damaged: the first copy's error.
        sds[BLOCK + ENTRY_HEADER] = 2;
        let d = Descriptors::from_sds(sds);
        assert_eq!(
            d.get(0x100).unwrap().unwrap_err().problem,
            "revision is not 1"
        );
    }

    #[test]
    fn garbage_never_panics_and_yields_nothing_it_cannot_vouch_for() {
        let mut x = 0x1234_5678_u32;
        let sds: Vec<u8> = (0..3 * BLOCK)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect();
        assert!(Descriptors::from_sds(sds).is_empty());
        assert!(Descriptors::from_sds(vec![0; 7]).is_empty());
    }
}
