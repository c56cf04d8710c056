//! The serialized property storages of a PropertyStoreDataBlock (MS-PROPSTORE
//! 2.2): each a size, the version `1SPS`, a format ID, then property values
//! (by integer ID, or by name for the string-named format), up to a zero size.
//! Values of the common scalar and string types are decoded; others keep only
//! their type.

use serde::Serialize;

use super::bytes::{self, u16_at, u32_at, u64_at};
use super::guid::guid_at;
use super::text::utf16_until_nul;
use super::{Problem, problem};

/// Version of a serialized property storage: `1SPS`.
const STORAGE_VERSION: u32 = 0x5350_5331;
/// The format ID whose properties are named by strings.
const STRING_NAMED_FORMAT: &str = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}";

/// One serialized property storage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PropertyStorage {
    /// Its offset in the link file.
    pub offset: usize,
    /// The format ID (FMTID) its properties belong to.
    pub format_id: String,
    /// Its properties.
    pub properties: Vec<Property>,
}

/// One property value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Property {
    /// The property ID (PID), for integer-named properties.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<u32>,
    /// The name, for string-named properties.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The VARTYPE (`0x1F` VT_LPWSTR, `0x13` VT_UI4, `0x40` VT_FILETIME, ...).
    pub value_type: u16,
    /// The value, for the types decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<PropertyValue>,
}

/// A decoded property value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum PropertyValue {
    /// VT_LPWSTR, VT_BSTR; VT_CLSID in registry form.
    Text(String),
    /// VT_I2, VT_I4, VT_I8.
    Signed(i64),
    /// VT_UI1, VT_UI2, VT_UI4, VT_UI8; VT_FILETIME as its raw value.
    Unsigned(u64),
    /// VT_BOOL.
    Bool(bool),
}

/// Decodes the storages in `b` (`base` its offset).
pub(crate) fn decode_property_store(
    b: &[u8],
    base: usize,
    problems: &mut Vec<Problem>,
) -> Vec<PropertyStorage> {
    let mut storages = Vec::new();
    let mut pos = 0usize;
    while let Some(size) = u32_at(b, pos) {
        if size == 0 {
            break;
        }
        let Some(storage) = bytes::slice(b, pos, size as usize).filter(|_| size >= 24) else {
            problem(
                problems,
                base + pos,
                "property storage size outside its block",
                Some(size.into()),
            );
            break;
        };
        if u32_at(storage, 4) != Some(STORAGE_VERSION) {
            problem(
                problems,
                base + pos + 4,
                "property storage version is not 1SPS",
                u32_at(storage, 4).map(u64::from),
            );
            break;
        }
        let format_id = guid_at(storage, 8).unwrap_or_default();
        let properties = values(storage, base + pos, &format_id, problems);
        storages.push(PropertyStorage {
            offset: base + pos,
            format_id,
            properties,
        });
        pos += size as usize;
    }
    storages
}

/// The property values of one storage.
fn values(
    storage: &[u8],
    base: usize,
    format_id: &str,
    problems: &mut Vec<Problem>,
) -> Vec<Property> {
    let named = format_id == STRING_NAMED_FORMAT;
    let mut properties = Vec::new();
    let mut pos = 24usize;
    while let Some(size) = u32_at(storage, pos) {
        if size == 0 {
            break;
        }
        let Some(value) = bytes::slice(storage, pos, size as usize).filter(|_| size >= 9) else {
            problem(
                problems,
                base + pos,
                "property value size outside its storage",
                Some(size.into()),
            );
            break;
        };
        let (id, name, typed_at) = if named {
            let name_size = u32_at(value, 4).unwrap_or(0) as usize;
            let name = bytes::slice(value, 9, name_size).map(|n| utf16_until_nul(n).0.text);
            (None, name, 9usize.saturating_add(name_size))
        } else {
            (u32_at(value, 4), None, 9)
        };
        let value_type = u16_at(value, typed_at).unwrap_or(0);
        properties.push(Property {
            id,
            name,
            value_type,
            value: typed_value(value_type, bytes::rest(value, typed_at.saturating_add(4))),
        });
        pos += size as usize;
    }
    properties
}

/// The value of a TypedPropertyValue's data (after its type and padding).
fn typed_value(value_type: u16, d: &[u8]) -> Option<PropertyValue> {
    use PropertyValue::{Bool, Signed, Text, Unsigned};
    Some(match value_type {
        0x02 => Signed(i64::from(u16_at(d, 0)? as i16)),
        0x03 => Signed(i64::from(u32_at(d, 0)? as i32)),
        0x14 => Signed(u64_at(d, 0)? as i64),
        0x11 => Unsigned(u64::from(*d.first()?)),
        0x12 => Unsigned(u16_at(d, 0)?.into()),
        0x13 => Unsigned(u32_at(d, 0)?.into()),
        0x15 | 0x40 => Unsigned(u64_at(d, 0)?),
        0x0B => Bool(u16_at(d, 0)? != 0),
        0x48 => Text(guid_at(d, 0)?),
        0x08 | 0x1F => {
            // A count (characters for VT_LPWSTR, bytes for VT_BSTR), then UTF-16.
            let count = u32_at(d, 0)? as usize;
            let len = if value_type == 0x1F {
                count.checked_mul(2)?
            } else {
                count
            };
            let chars = bytes::slice(d, 4, len).unwrap_or_else(|| bytes::rest(d, 4));
            Text(utf16_until_nul(chars).0.text)
        }
        _ => return None,
    })
}
