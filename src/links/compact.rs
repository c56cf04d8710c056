//! A small JSON serializer for the fast jsonl path: the bytes serde_json's
//! compact writer gives, for the types the contract's layout uses (integers,
//! booleans, strings, options, sequences, structs), written straight into a
//! vector. Any other type is an error, so the caller falls back to serde_json:
//! the layout itself stays the one `Serialize` definition of [`super::json`].

use serde::ser::{self, Impossible, Serialize};
use std::fmt;

/// Why a value was not written: a type this serializer leaves to serde_json.
#[derive(Debug)]
pub(crate) struct Unsupported(String);

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(msg: T) -> Unsupported {
        Unsupported(msg.to_string())
    }
}

/// Appends `value` as compact JSON to `buf`; on error, `buf` may hold part of it.
pub(crate) fn write<T: Serialize + ?Sized>(
    value: &T,
    buf: &mut Vec<u8>,
) -> Result<(), Unsupported> {
    value.serialize(Compact { buf })
}

struct Compact<'b> {
    buf: &'b mut Vec<u8>,
}

fn unsupported<T>(what: &str) -> Result<T, Unsupported> {
    Err(Unsupported(format!("{what} is left to serde_json")))
}

impl<'b> ser::Serializer for Compact<'b> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Seq<'b>;
    type SerializeTuple = Impossible<(), Unsupported>;
    type SerializeTupleStruct = Impossible<(), Unsupported>;
    type SerializeTupleVariant = Impossible<(), Unsupported>;
    type SerializeMap = Impossible<(), Unsupported>;
    type SerializeStruct = Struct<'b>;
    type SerializeStructVariant = Impossible<(), Unsupported>;

    fn serialize_bool(self, v: bool) -> Result<(), Unsupported> {
        self.buf
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Unsupported> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Unsupported> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Unsupported> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Unsupported> {
        self.buf
            .extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Unsupported> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Unsupported> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Unsupported> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Unsupported> {
        self.buf
            .extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
        Ok(())
    }
    fn serialize_f32(self, _: f32) -> Result<(), Unsupported> {
        unsupported("a float")
    }
    fn serialize_f64(self, _: f64) -> Result<(), Unsupported> {
        unsupported("a float")
    }
    fn serialize_char(self, v: char) -> Result<(), Unsupported> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Unsupported> {
        self.buf.push(b'"');
        escape_into(v, self.buf);
        self.buf.push(b'"');
        Ok(())
    }
    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Result<(), Unsupported> {
        struct Escaping<'v>(&'v mut Vec<u8>);
        impl fmt::Write for Escaping<'_> {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                escape_into(s, self.0);
                Ok(())
            }
        }
        self.buf.push(b'"');
        fmt::write(&mut Escaping(self.buf), format_args!("{value}"))
            .map_err(|_| Unsupported("a value that cannot be shown".into()))?;
        self.buf.push(b'"');
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Unsupported> {
        unsupported("bytes")
    }
    fn serialize_none(self) -> Result<(), Unsupported> {
        self.buf.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Unsupported> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Unsupported> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unsupported> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Unsupported> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Unsupported> {
        unsupported("an enum with data")
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'b>, Unsupported> {
        self.buf.push(b'[');
        Ok(Seq {
            buf: self.buf,
            first: true,
        })
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Unsupported> {
        unsupported("a tuple")
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Unsupported> {
        unsupported("a tuple struct")
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        unsupported("an enum with data")
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unsupported> {
        unsupported("a map")
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Struct<'b>, Unsupported> {
        self.buf.push(b'{');
        Ok(Struct {
            buf: self.buf,
            first: true,
        })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        unsupported("an enum with data")
    }
}

struct Seq<'b> {
    buf: &'b mut Vec<u8>,
    first: bool,
}

impl ser::SerializeSeq for Seq<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        if !std::mem::take(&mut self.first) {
            self.buf.push(b',');
        }
        value.serialize(Compact { buf: self.buf })
    }
    fn end(self) -> Result<(), Unsupported> {
        self.buf.push(b']');
        Ok(())
    }
}

struct Struct<'b> {
    buf: &'b mut Vec<u8>,
    first: bool,
}

impl ser::SerializeStruct for Struct<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        if !std::mem::take(&mut self.first) {
            self.buf.push(b',');
        }
        // Keys are the layout's field names: identifiers, nothing to escape.
        self.buf.push(b'"');
        self.buf.extend_from_slice(key.as_bytes());
        self.buf.extend_from_slice(b"\":");
        value.serialize(Compact { buf: self.buf })
    }
    fn end(self) -> Result<(), Unsupported> {
        self.buf.push(b'}');
        Ok(())
    }
}

/// The contents of a JSON string, escaped as serde_json escapes them: `"`, `\`
/// and the C0 controls (short forms where JSON has them), nothing else.
fn escape_into(s: &str, buf: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let needs = |b: &u8| *b < 0x20 || *b == b'"' || *b == b'\\';
    let mut rest = s.as_bytes();
    // Most strings hold nothing to escape: one scan, one copy.
    while let Some(i) = rest.iter().position(needs) {
        buf.extend_from_slice(rest.get(..i).unwrap_or_default());
        let b = rest.get(i).copied().unwrap_or(0);
        let short = match b {
            b'"' => Some(b'"'),
            b'\\' => Some(b'\\'),
            b'\n' => Some(b'n'),
            b'\r' => Some(b'r'),
            b'\t' => Some(b't'),
            0x08 => Some(b'b'),
            0x0C => Some(b'f'),
            _ => None,
        };
        match short {
            Some(c) => buf.extend_from_slice(&[b'\\', c]),
            None => {
                let hex = |n: u8| HEX.get(usize::from(n)).copied().unwrap_or(b'0');
                buf.extend_from_slice(&[b'\\', b'u', b'0', b'0', hex(b >> 4), hex(b & 0xF)]);
            }
        }
        rest = rest.get(i + 1..).unwrap_or_default();
    }
    buf.extend_from_slice(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_like_serde_json() {
        let s: String = (0u32..0x80)
            .filter_map(char::from_u32)
            .chain("é日\u{1F600}\u{FFFD}\u{7F}\u{2028}\u{202E}".chars())
            .collect();
        let mut buf = Vec::new();
        write(&s, &mut buf).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            serde_json::to_string(&s).unwrap()
        );
    }

    #[test]
    fn structs_sequences_and_options_like_serde_json() {
        #[derive(serde::Serialize)]
        struct Inner {
            a: Option<u16>,
            #[serde(skip_serializing_if = "Option::is_none")]
            b: Option<bool>,
            c: Vec<&'static str>,
        }
        #[derive(serde::Serialize)]
        struct Outer {
            x: u64,
            y: i64,
            inner: Vec<Inner>,
            none: Option<u8>,
        }
        let v = Outer {
            x: u64::MAX,
            y: -5,
            inner: vec![
                Inner {
                    a: Some(1),
                    b: None,
                    c: vec!["q\"\n", ""],
                },
                Inner {
                    a: None,
                    b: Some(false),
                    c: vec![],
                },
            ],
            none: None,
        };
        let mut buf = Vec::new();
        write(&v, &mut buf).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            serde_json::to_string(&v).unwrap()
        );
    }

    #[test]
    fn what_it_does_not_write_is_an_error() {
        let mut buf = Vec::new();
        assert!(write(&1.5f64, &mut buf).is_err());
        assert!(write(&std::collections::BTreeMap::from([(1, 2)]), &mut buf).is_err());
    }
}
