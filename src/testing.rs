//! Test-only builders of on-disk structures, so that unit tests say what they
//! build instead of spelling bytes: MFT records with attributes, $FILE_NAME and
//! $STANDARD_INFORMATION values, boot sectors, MBR and GPT disks.
#![allow(clippy::indexing_slicing)]

use crate::record::FileReference;

/// An attribute to put in a record.
#[derive(Debug, Clone)]
pub(crate) struct Attr {
    pub type_code: u32,
    pub name: String,
    pub instance: u16,
    pub kind: AttrKind,
}

#[derive(Debug, Clone)]
pub(crate) enum AttrKind {
    Resident(Vec<u8>),
    /// lowest VCN, highest VCN, encoded runs, data size.
    NonResident(u64, u64, Vec<u8>, u64),
}

impl Attr {
    /// A resident attribute with `value`.
    pub fn resident(type_code: u32, value: Vec<u8>) -> Attr {
        Attr {
            type_code,
            name: String::new(),
            instance: 0,
            kind: AttrKind::Resident(value),
        }
    }

    /// A non-resident attribute of `size` bytes from `runs` (encoded).
    pub fn non_resident(type_code: u32, runs: Vec<u8>, size: u64) -> Attr {
        Attr {
            type_code,
            name: String::new(),
            instance: 0,
            kind: AttrKind::NonResident(0, 0, runs, size),
        }
    }

    /// The same, named.
    pub fn named(mut self, name: &str) -> Attr {
        self.name = name.to_owned();
        self
    }

    /// The attribute's bytes, header included, padded to 8.
    pub fn bytes(&self) -> Vec<u8> {
        let name: Vec<u8> = utf16le(&self.name);
        let mut out = Vec::new();
        match &self.kind {
            AttrKind::Resident(value) => {
                let name_off = 24;
                let value_off = (name_off + name.len()).next_multiple_of(8);
                let len = (value_off + value.len()).next_multiple_of(8);
                out.resize(len, 0);
                put_u32(&mut out, 0, self.type_code);
                put_u32(&mut out, 4, len as u32);
                out[9] = (name.len() / 2) as u8;
                put_u16(&mut out, 10, name_off as u16);
                put_u16(&mut out, 14, self.instance);
                put_u32(&mut out, 16, value.len() as u32);
                put_u16(&mut out, 20, value_off as u16);
                out[name_off..name_off + name.len()].copy_from_slice(&name);
                out[value_off..value_off + value.len()].copy_from_slice(value);
            }
            AttrKind::NonResident(low, high, runs, size) => {
                let name_off = 64;
                let runs_off = (name_off + name.len()).next_multiple_of(8);
                let len = (runs_off + runs.len() + 1).next_multiple_of(8);
                out.resize(len, 0);
                put_u32(&mut out, 0, self.type_code);
                put_u32(&mut out, 4, len as u32);
                out[8] = 1;
                out[9] = (name.len() / 2) as u8;
                put_u16(&mut out, 10, name_off as u16);
                put_u16(&mut out, 14, self.instance);
                put_u64(&mut out, 16, *low);
                put_u64(&mut out, 24, *high);
                put_u16(&mut out, 32, runs_off as u16);
                let allocated = size.next_multiple_of(4096);
                put_u64(&mut out, 40, allocated);
                put_u64(&mut out, 48, *size);
                put_u64(&mut out, 56, *size);
                out[name_off..name_off + name.len()].copy_from_slice(&name);
                out[runs_off..runs_off + runs.len()].copy_from_slice(runs);
            }
        }
        out
    }
}

/// The update sequence number the builder uses.
const USN: u16 = 0x0042;

/// An MFT record, built field by field.
#[derive(Debug, Clone)]
pub(crate) struct RecordBuilder {
    pub size: usize,
    pub sequence: u16,
    pub link_count: u16,
    pub flags: crate::record::RecordFlags,
    pub base: FileReference,
    pub number: u32,
    pub attributes: Vec<Attr>,
}

impl RecordBuilder {
    /// An in-use file record of `size` bytes (1,024 or 4,096 usually).
    pub fn new(size: usize) -> RecordBuilder {
        RecordBuilder {
            size,
            sequence: 1,
            link_count: 1,
            flags: crate::record::RecordFlags::IN_USE,
            base: FileReference::default(),
            number: 0,
            attributes: Vec::new(),
        }
    }

    /// Adds an attribute (instances are numbered in order).
    pub fn attr(mut self, mut a: Attr) -> RecordBuilder {
        a.instance = self.attributes.len() as u16;
        self.attributes.push(a);
        self
    }

    /// Offset of the first attribute: after the header and the update sequence
    /// array (at 0x30, one unit per 512-byte stride and one for the number).
    pub fn first_attribute(&self) -> usize {
        (0x30 + 2 * (self.size / 512 + 1)).next_multiple_of(8)
    }

    /// The record as it is after fixups: what a view reads.
    pub fn build(&self) -> Vec<u8> {
        let mut r = vec![0u8; self.size];
        r[0..4].copy_from_slice(b"FILE");
        put_u16(&mut r, 4, 0x30);
        put_u16(&mut r, 6, (self.size / 512 + 1) as u16);
        put_u16(&mut r, 16, self.sequence);
        put_u16(&mut r, 18, self.link_count);
        let first = self.first_attribute();
        put_u16(&mut r, 20, first as u16);
        put_u16(&mut r, 22, self.flags.bits());
        put_u64(&mut r, 32, self.base.to_u64());
        put_u16(&mut r, 40, self.attributes.len() as u16);
        put_u32(&mut r, 44, self.number);
        let mut at = first;
        for a in &self.attributes {
            let b = a.bytes();
            r[at..at + b.len()].copy_from_slice(&b);
            at += b.len();
        }
        put_u32(&mut r, at, 0xFFFF_FFFF);
        put_u32(&mut r, 24, (at + 8) as u32);
        put_u32(&mut r, 28, self.size as u32);
        // The update sequence array: the number, then each stride's last bytes
        // (what applying the fixups leaves in it).
        put_u16(&mut r, 0x30, USN);
        for i in 0..self.size / 512 {
            let end = (i + 1) * 512 - 2;
            let saved = [r[end], r[end + 1]];
            r[0x32 + 2 * i..0x34 + 2 * i].copy_from_slice(&saved);
        }
        r
    }

    /// The record as it is on disk: the last two bytes of every stride moved into
    /// the update sequence array, the update sequence number in their place.
    pub fn build_on_disk(&self) -> Vec<u8> {
        let mut r = self.build();
        for i in 0..self.size / 512 {
            put_u16(&mut r, (i + 1) * 512 - 2, USN);
        }
        r
    }
}

/// A $FILE_NAME value.
pub(crate) fn file_name(parent: FileReference, name: &str, namespace: u8) -> Vec<u8> {
    let units = utf16le(name);
    let mut v = vec![0u8; crate::attribute::FILE_NAME_HEADER + units.len()];
    put_u64(&mut v, 0, parent.to_u64());
    for (i, t) in [1u64, 2, 3, 4].iter().enumerate() {
        put_u64(&mut v, 8 + 8 * i, t * 1_000_000_000);
    }
    put_u64(&mut v, 40, 4096);
    put_u64(&mut v, 48, 100);
    put_u32(&mut v, 56, 0x20);
    v[64] = (units.len() / 2) as u8;
    v[65] = namespace;
    v[66..].copy_from_slice(&units);
    v
}

/// A $STANDARD_INFORMATION value of NTFS 3.x (72 bytes).
pub(crate) fn standard_information(times: [u64; 4], attributes: u32) -> Vec<u8> {
    let mut v = vec![0u8; 72];
    for (i, t) in times.iter().enumerate() {
        put_u64(&mut v, 8 * i, *t);
    }
    put_u32(&mut v, 32, attributes);
    put_u32(&mut v, 52, 0x100);
    v
}

/// An NTFS boot sector.
pub(crate) struct Boot {
    pub bytes_per_sector: u16,
    pub sectors_per_cluster: u8,
    pub total_sectors: u64,
    pub mft_lcn: u64,
    pub clusters_per_record: i8,
    pub serial: u64,
}

impl Default for Boot {
    fn default() -> Boot {
        Boot {
            bytes_per_sector: 512,
            sectors_per_cluster: 8,
            total_sectors: 16384,
            mft_lcn: 4,
            clusters_per_record: -10,
            serial: 0x0246_9FF7_1234_5678,
        }
    }
}

impl Boot {
    /// The sector's 512 bytes.
    pub fn bytes(&self) -> Vec<u8> {
        let mut s = vec![0u8; 512];
        s[0..3].copy_from_slice(&[0xEB, 0x52, 0x90]);
        s[3..11].copy_from_slice(b"NTFS    ");
        put_u16(&mut s, 0x0B, self.bytes_per_sector);
        s[0x0D] = self.sectors_per_cluster;
        put_u64(&mut s, 0x28, self.total_sectors);
        put_u64(&mut s, 0x30, self.mft_lcn);
        put_u64(&mut s, 0x38, 2);
        s[0x40] = self.clusters_per_record as u8;
        s[0x44] = 1;
        put_u64(&mut s, 0x48, self.serial);
        put_u16(&mut s, 0x1FE, 0xAA55);
        s
    }
}

/// An MBR sector with up to four `(type, first LBA, sectors)` entries.
pub(crate) fn mbr(entries: &[(u8, u32, u32)]) -> Vec<u8> {
    let mut s = vec![0u8; 512];
    for (i, &(kind, lba, count)) in entries.iter().enumerate() {
        let e = 446 + 16 * i;
        s[e + 4] = kind;
        put_u32(&mut s, e + 8, lba);
        put_u32(&mut s, e + 12, count);
    }
    put_u16(&mut s, 510, 0xAA55);
    s
}

/// A disk of `sectors` 512-byte sectors with a protective MBR and a GPT whose
/// entries are `(type GUID bytes, first LBA, last LBA, name)`.
pub(crate) fn gpt_disk(sectors: u64, entries: &[([u8; 16], u64, u64, &str)]) -> Vec<u8> {
    let mut d = vec![0u8; (sectors * 512) as usize];
    d[..512].copy_from_slice(&mbr(&[(0xEE, 1, (sectors - 1) as u32)]));
    let h = 512;
    d[h..h + 8].copy_from_slice(b"EFI PART");
    put_u64(&mut d, h + 72, 2);
    put_u32(&mut d, h + 80, 128);
    put_u32(&mut d, h + 84, 128);
    for (i, (guid, first, last, name)) in entries.iter().enumerate() {
        let e = 1024 + 128 * i;
        d[e..e + 16].copy_from_slice(guid);
        put_u64(&mut d, e + 32, *first);
        put_u64(&mut d, e + 40, *last);
        let n = utf16le(name);
        d[e + 56..e + 56 + n.len()].copy_from_slice(&n);
    }
    d
}

/// `s` as UTF-16LE bytes.
pub(crate) fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

pub(crate) fn put_u16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

pub(crate) fn put_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

pub(crate) fn put_u64(b: &mut [u8], at: usize, v: u64) {
    b[at..at + 8].copy_from_slice(&v.to_le_bytes());
}
