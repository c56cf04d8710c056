//! Attribute headers inside a record, and their iteration.
//!
//! Every attribute starts with an [`AttributeHeader`]; a resident one continues
//! with a [`ResidentHeader`], a non-resident one with a [`NonResidentHeader`].
//! Each layout is defined once, and read in place.

use crate::bytes::{slice_at, view_at};
use crate::error::RecordError;
use std::fmt;
use std::mem::size_of;
use zerocopy::little_endian::{U16, U32, U64};
use zerocopy::{FromBytes, Immutable, KnownLayout, Unaligned};

/// The header every attribute starts with.
#[derive(Debug, Clone, Copy, FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct AttributeHeader {
    /// Type code (`0xFFFFFFFF` marks the end of the attributes).
    pub type_code: U32,
    /// Length of the attribute, header included.
    pub length: U32,
    /// 0 resident, 1 non-resident.
    pub non_resident: u8,
    /// Name length in UTF-16 units.
    pub name_length: u8,
    /// Name offset from the attribute's start.
    pub name_offset: U16,
    /// Flags: 0x0001 compressed, 0x4000 encrypted, 0x8000 sparse.
    pub flags: U16,
    /// Instance, unique within the base record and its extensions.
    pub instance: U16,
}

/// What follows the common header of a resident attribute.
#[derive(Debug, Clone, Copy, FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct ResidentHeader {
    /// Value length.
    pub value_length: U32,
    /// Value offset from the attribute's start.
    pub value_offset: U16,
    /// Indexed flag.
    pub indexed: u8,
    /// Padding.
    pub padding: u8,
}

/// What follows the common header of a non-resident attribute.
#[derive(Debug, Clone, Copy, FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct NonResidentHeader {
    /// First VCN this piece maps.
    pub lowest_vcn: U64,
    /// Last VCN this piece maps.
    pub highest_vcn: U64,
    /// Offset of the mapping pairs from the attribute's start.
    pub runs_offset: U16,
    /// Compression unit exponent.
    pub compression_unit: U16,
    /// Padding.
    pub padding: [u8; 4],
    /// Allocated size.
    pub allocated_size: U64,
    /// Data size.
    pub data_size: U64,
    /// Initialized size.
    pub initialized_size: U64,
}

/// Bytes of a resident attribute's headers.
const RESIDENT_LEN: usize = size_of::<AttributeHeader>() + size_of::<ResidentHeader>();
/// Bytes of a non-resident attribute's headers.
const NON_RESIDENT_LEN: usize = size_of::<AttributeHeader>() + size_of::<NonResidentHeader>();
/// The type code that ends a record's attributes.
const END_MARKER: u32 = 0xFFFF_FFFF;

/// Attribute type codes of NTFS 3.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AttributeType {
    /// 0x10 $STANDARD_INFORMATION
    StandardInformation,
    /// 0x20 $ATTRIBUTE_LIST
    AttributeList,
    /// 0x30 $FILE_NAME
    FileName,
    /// 0x40 $OBJECT_ID
    ObjectId,
    /// 0x50 $SECURITY_DESCRIPTOR
    SecurityDescriptor,
    /// 0x60 $VOLUME_NAME
    VolumeName,
    /// 0x70 $VOLUME_INFORMATION
    VolumeInformation,
    /// 0x80 $DATA
    Data,
    /// 0x90 $INDEX_ROOT
    IndexRoot,
    /// 0xA0 $INDEX_ALLOCATION
    IndexAllocation,
    /// 0xB0 $BITMAP
    Bitmap,
    /// 0xC0 $REPARSE_POINT
    ReparsePoint,
    /// 0xD0 $EA_INFORMATION
    EaInformation,
    /// 0xE0 $EA
    Ea,
    /// 0xF0 $PROPERTY_SET
    PropertySet,
    /// 0x100 $LOGGED_UTILITY_STREAM
    LoggedUtilityStream,
    /// Any other code.
    Other(u32),
}

impl AttributeType {
    /// 0x30, the code of $FILE_NAME.
    pub const FILE_NAME: u32 = 0x30;
    /// 0x80, the code of $DATA.
    pub const DATA: u32 = 0x80;
    /// 0x20, the code of $ATTRIBUTE_LIST.
    pub const ATTRIBUTE_LIST: u32 = 0x20;
    /// 0xC0, the code of $REPARSE_POINT.
    pub const REPARSE_POINT: u32 = 0xC0;
    /// 0x10, the code of $STANDARD_INFORMATION.
    pub const STANDARD_INFORMATION: u32 = 0x10;
    /// 0x50, the code of $SECURITY_DESCRIPTOR.
    pub const SECURITY_DESCRIPTOR: u32 = 0x50;
    /// 0x60, the code of $VOLUME_NAME.
    pub const VOLUME_NAME: u32 = 0x60;
    /// 0x70, the code of $VOLUME_INFORMATION.
    pub const VOLUME_INFORMATION: u32 = 0x70;
    /// 0x90, the code of $INDEX_ROOT.
    pub const INDEX_ROOT: u32 = 0x90;
    /// 0xA0, the code of $INDEX_ALLOCATION.
    pub const INDEX_ALLOCATION: u32 = 0xA0;
    /// 0xB0, the code of $BITMAP.
    pub const BITMAP: u32 = 0xB0;

    /// The type for a code.
    pub fn from_code(code: u32) -> AttributeType {
        use AttributeType::*;
        match code {
            0x10 => StandardInformation,
            0x20 => AttributeList,
            0x30 => FileName,
            0x40 => ObjectId,
            0x50 => SecurityDescriptor,
            0x60 => VolumeName,
            0x70 => VolumeInformation,
            0x80 => Data,
            0x90 => IndexRoot,
            0xA0 => IndexAllocation,
            0xB0 => Bitmap,
            0xC0 => ReparsePoint,
            0xD0 => EaInformation,
            0xE0 => Ea,
            0xF0 => PropertySet,
            0x100 => LoggedUtilityStream,
            other => Other(other),
        }
    }

    /// The name NTFS gives the type, e.g. `$FILE_NAME`.
    pub fn name(self) -> &'static str {
        use AttributeType::*;
        match self {
            StandardInformation => "$STANDARD_INFORMATION",
            AttributeList => "$ATTRIBUTE_LIST",
            FileName => "$FILE_NAME",
            ObjectId => "$OBJECT_ID",
            SecurityDescriptor => "$SECURITY_DESCRIPTOR",
            VolumeName => "$VOLUME_NAME",
            VolumeInformation => "$VOLUME_INFORMATION",
            Data => "$DATA",
            IndexRoot => "$INDEX_ROOT",
            IndexAllocation => "$INDEX_ALLOCATION",
            Bitmap => "$BITMAP",
            ReparsePoint => "$REPARSE_POINT",
            EaInformation => "$EA_INFORMATION",
            Ea => "$EA",
            PropertySet => "$PROPERTY_SET",
            LoggedUtilityStream => "$LOGGED_UTILITY_STREAM",
            Other(_) => "unknown",
        }
    }
}

/// A name kept as borrowed UTF-16LE bytes; decoded only for display.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Utf16Name<'a>(pub &'a [u8]);

impl<'a> Utf16Name<'a> {
    /// The UTF-16 code units.
    pub fn units(&self) -> impl Iterator<Item = u16> + 'a {
        crate::bytes::utf16_units(self.0)
    }
    /// Number of UTF-16 units.
    pub fn len(&self) -> usize {
        self.0.len() / 2
    }
    /// True for the empty name.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// True when the units are valid UTF-16 (no unpaired surrogate).
    pub fn is_valid(&self) -> bool {
        char::decode_utf16(self.units()).all(|c| c.is_ok())
    }
    /// Readable form: unpaired surrogates become U+FFFD.
    pub fn to_string_lossy(&self) -> String {
        char::decode_utf16(self.units())
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect()
    }
    /// The raw UTF-16LE bytes as lowercase hex (the lossless form).
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
    /// Compares with an ASCII/Unicode string exactly (case-sensitive).
    pub fn eq_str(&self, s: &str) -> bool {
        self.units().eq(s.encode_utf16())
    }
}

impl fmt::Debug for Utf16Name<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.to_string_lossy())
    }
}

/// One attribute of a record, checked to lie inside it.
#[derive(Debug, Clone, Copy)]
pub struct Attribute<'a> {
    data: &'a [u8],
    offset: usize,
    header: &'a AttributeHeader,
    form: Form<'a>,
}

/// The part of an attribute's header that depends on where its value is.
#[derive(Debug, Clone, Copy)]
enum Form<'a> {
    Resident(&'a ResidentHeader),
    NonResident(&'a NonResidentHeader),
}

impl<'a> Attribute<'a> {
    /// Checks the attribute header at `offset` of `record` (its used bytes).
    /// Returns `Ok(None)` at the end marker.
    pub fn parse(record: &'a [u8], offset: usize) -> Result<Option<Attribute<'a>>, RecordError> {
        let bad = |what: &'static str| RecordError::BadAttribute { at: offset, what };
        let code = record
            .get(offset..offset + 4)
            .ok_or(bad("type field past the used bytes"))?;
        if code == END_MARKER.to_le_bytes() {
            return Ok(None);
        }
        let length: &U32 = view_at(
            record,
            offset + std::mem::offset_of!(AttributeHeader, length),
        )
        .ok_or(bad("length field past the used bytes"))?;
        let len = length.get() as usize;
        if len < size_of::<AttributeHeader>() || !len.is_multiple_of(8) {
            return Err(bad("length is under 16 or not a multiple of 8"));
        }
        let data = slice_at(record, offset, len).ok_or(bad("length runs past the used bytes"))?;
        let header: &AttributeHeader =
            view_at(data, 0).ok_or(bad("length runs past the used bytes"))?;
        let form = if header.non_resident != 0 {
            if len < NON_RESIDENT_LEN {
                return Err(bad("non-resident header shorter than 64 bytes"));
            }
            let nr: &NonResidentHeader = view_at(data, size_of::<AttributeHeader>())
                .ok_or(bad("non-resident header shorter than 64 bytes"))?;
            let runs = nr.runs_offset.get() as usize;
            if runs < NON_RESIDENT_LEN || runs > len {
                return Err(bad("data runs offset outside the attribute"));
            }
            Form::NonResident(nr)
        } else {
            if len < RESIDENT_LEN {
                return Err(bad("resident header shorter than 24 bytes"));
            }
            let r: &ResidentHeader = view_at(data, size_of::<AttributeHeader>())
                .ok_or(bad("resident header shorter than 24 bytes"))?;
            let vlen = r.value_length.get() as usize;
            let voff = r.value_offset.get() as usize;
            if voff < RESIDENT_LEN || voff.checked_add(vlen).is_none_or(|end| end > len) {
                return Err(bad("resident value outside the attribute"));
            }
            Form::Resident(r)
        };
        let name_len = header.name_length as usize * 2;
        let name_off = header.name_offset.get() as usize;
        if name_len > 0 && (name_off < size_of::<AttributeHeader>() || name_off + name_len > len) {
            return Err(bad("name outside the attribute"));
        }
        Ok(Some(Attribute {
            data,
            offset,
            header,
            form,
        }))
    }

    /// Offset of this attribute in its record.
    pub fn offset(&self) -> usize {
        self.offset
    }
    /// The attribute's bytes, header included.
    pub fn bytes(&self) -> &'a [u8] {
        self.data
    }
    /// The common header.
    pub fn header(&self) -> &'a AttributeHeader {
        self.header
    }
    /// The type code.
    pub fn type_code(&self) -> u32 {
        self.header.type_code.get()
    }
    /// The type.
    pub fn kind(&self) -> AttributeType {
        AttributeType::from_code(self.type_code())
    }
    /// Length of the attribute in the record.
    pub fn length(&self) -> usize {
        self.data.len()
    }
    /// True when the value is stored in the record.
    pub fn is_resident(&self) -> bool {
        matches!(self.form, Form::Resident(_))
    }
    /// The attribute's name (empty for the unnamed one).
    pub fn name(&self) -> Utf16Name<'a> {
        let len = self.header.name_length as usize * 2;
        let off = self.header.name_offset.get() as usize;
        Utf16Name(slice_at(self.data, off, len).unwrap_or(&[]))
    }
    /// Attribute flags: 0x0001 compressed, 0x4000 encrypted, 0x8000 sparse.
    pub fn flags(&self) -> u16 {
        self.header.flags.get()
    }
    /// Compressed (any bit of the compression mask 0x00FF).
    pub fn is_compressed(&self) -> bool {
        self.flags() & 0x00FF != 0
    }
    /// EFS-encrypted (flag 0x4000).
    pub fn is_encrypted(&self) -> bool {
        self.flags() & 0x4000 != 0
    }
    /// Sparse (flag 0x8000).
    pub fn is_sparse(&self) -> bool {
        self.flags() & 0x8000 != 0
    }
    /// The instance number, unique within the base record and its extensions.
    pub fn instance(&self) -> u16 {
        self.header.instance.get()
    }
    /// The value of a resident attribute.
    pub fn value(&self) -> Option<&'a [u8]> {
        let Form::Resident(r) = self.form else {
            return None;
        };
        slice_at(
            self.data,
            r.value_offset.get() as usize,
            r.value_length.get() as usize,
        )
    }
    /// Offset of the value in the record (resident only).
    pub fn value_offset(&self) -> Option<usize> {
        match self.form {
            Form::Resident(r) => Some(self.offset + r.value_offset.get() as usize),
            Form::NonResident(_) => None,
        }
    }
    /// The non-resident header, for a non-resident attribute.
    pub fn non_resident(&self) -> Option<&'a NonResidentHeader> {
        match self.form {
            Form::NonResident(nr) => Some(nr),
            Form::Resident(_) => None,
        }
    }
    /// First VCN this piece maps (non-resident only).
    pub fn lowest_vcn(&self) -> u64 {
        self.non_resident().map_or(0, |nr| nr.lowest_vcn.get())
    }
    /// Last VCN this piece maps (non-resident only).
    pub fn highest_vcn(&self) -> u64 {
        self.non_resident().map_or(0, |nr| nr.highest_vcn.get())
    }
    /// Allocated size in bytes (non-resident only).
    pub fn allocated_size(&self) -> u64 {
        self.non_resident().map_or(0, |nr| nr.allocated_size.get())
    }
    /// Data size in bytes: the value length when resident.
    pub fn data_size(&self) -> u64 {
        match self.form {
            Form::Resident(_) => self.value().map_or(0, |v| v.len() as u64),
            Form::NonResident(nr) => nr.data_size.get(),
        }
    }
    /// Initialized size in bytes (non-resident only).
    pub fn initialized_size(&self) -> u64 {
        self.non_resident()
            .map_or(0, |nr| nr.initialized_size.get())
    }
    /// The compression unit exponent (non-resident only).
    pub fn compression_unit(&self) -> u16 {
        self.non_resident()
            .map_or(0, |nr| nr.compression_unit.get())
    }
    /// The mapping pairs of a non-resident attribute.
    pub fn runs(&self) -> Option<super::DataRuns<'a>> {
        let nr = self.non_resident()?;
        Some(super::DataRuns::new(
            self.data.get(nr.runs_offset.get() as usize..)?,
            nr.lowest_vcn.get(),
        ))
    }
}

/// Iterator over the attributes of a record; after an error it yields nothing more.
#[derive(Debug, Clone)]
pub struct Attributes<'a> {
    record: &'a [u8],
    offset: usize,
    done: bool,
}

impl<'a> Attributes<'a> {
    pub(crate) fn new(record: &'a [u8], offset: usize) -> Attributes<'a> {
        Attributes {
            record,
            offset,
            done: false,
        }
    }

    /// Where the next attribute would start: once the iterator has ended
    /// without an error, the end marker's offset.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

impl<'a> Iterator for Attributes<'a> {
    type Item = Result<Attribute<'a>, RecordError>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match Attribute::parse(self.record, self.offset) {
            Ok(Some(attr)) => {
                self.offset += attr.length();
                Some(Ok(attr))
            }
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Attr, put_u32};

    #[test]
    fn a_resident_named_attribute() {
        let bytes = Attr::resident(AttributeType::DATA, b"hello".to_vec())
            .named("Zone.Identifier")
            .bytes();
        let a = Attribute::parse(&bytes, 0).unwrap().unwrap();
        assert_eq!(a.kind(), AttributeType::Data);
        assert!(a.is_resident());
        assert!(a.name().eq_str("Zone.Identifier"));
        assert_eq!(a.value(), Some(&b"hello"[..]));
        assert_eq!(a.length(), bytes.len());
    }

    #[test]
    fn a_non_resident_attribute_and_its_runs() {
        // One run: 2 clusters at LCN 0x10.
        let bytes = Attr::non_resident(AttributeType::DATA, vec![0x11, 0x02, 0x10], 8000).bytes();
        let a = Attribute::parse(&bytes, 0).unwrap().unwrap();
        assert!(!a.is_resident());
        assert_eq!((a.data_size(), a.value()), (8000, None));
        let runs: Vec<_> = a.runs().unwrap().collect::<Result<_, _>>().unwrap();
        assert_eq!(
            (runs[0].vcn, runs[0].length, runs[0].lcn),
            (0, 2, Some(0x10))
        );
    }

    #[test]
    fn the_end_marker_ends_the_attributes() {
        assert!(
            Attribute::parse(&0xFFFF_FFFFu32.to_le_bytes(), 0)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn a_truncated_attribute_is_refused() {
        let bytes = Attr::resident(AttributeType::DATA, vec![1; 40]).bytes();
        let err = Attribute::parse(&bytes[..bytes.len() - 8], 0).unwrap_err();
        assert_eq!(
            err,
            RecordError::BadAttribute {
                at: 0,
                what: "length runs past the used bytes"
            }
        );
    }

    #[test]
    fn lying_lengths_are_refused() {
        let mut bytes = Attr::resident(AttributeType::DATA, vec![1; 8]).bytes();
        for (len, what) in [
            (0, "length is under 16 or not a multiple of 8"),
            (12, "length is under 16 or not a multiple of 8"),
            (17, "length is under 16 or not a multiple of 8"),
        ] {
            put_u32(&mut bytes, 4, len);
            assert_eq!(
                Attribute::parse(&bytes, 0).unwrap_err(),
                RecordError::BadAttribute { at: 0, what }
            );
        }
        let mut bytes = Attr::resident(AttributeType::DATA, vec![1; 8]).bytes();
        put_u32(&mut bytes, 16, 400); // value length past the attribute
        assert_eq!(
            Attribute::parse(&bytes, 0).unwrap_err(),
            RecordError::BadAttribute {
                at: 0,
                what: "resident value outside the attribute"
            }
        );
    }
}
