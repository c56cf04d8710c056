//! The jsonl contract's layout, defined once: key names, their order, and when a
//! key is left out.
//!
//! Each object of the contract is declared once with [`json_object!`], which
//! makes from that one field list both its `Serialize` (what
//! [`RecordReport`](super::RecordReport) and [`NameReport`](super::NameReport)
//! go through) and its [`WriteJson`] (what the fast jsonl writer goes through,
//! straight from the scan's tables: names and paths written from UTF-16 units
//! and the memoized directory paths, keys as constant bytes, nothing allocated).
//! A key added here appears in both at once, in the same place.

use super::Resolution;
use crate::analysis::{CompatLink, SlackEntry};
use crate::attribute::{Namespace, NtfsTime};
use crate::reparse::ReparsePoint;
use crate::scan::Finding;
use crate::scan::RecordSlack;
use serde::Serialize;
use std::fmt;

/// Writing a value of the contract as compact JSON, the bytes serde_json writes.
pub(crate) trait WriteJson {
    /// Appends the value; an error leaves `buf` partly written.
    fn write_json(&self, buf: &mut Vec<u8>) -> Result<(), fmt::Error>;
}

/// Declares an object of the contract once, and makes its `Serialize` and its
/// [`WriteJson`] from that one list of fields (each optionally left out when a
/// predicate on it holds).
macro_rules! json_object {
    (
        $(#[$meta:meta])*
        $name:ident [$($gen:tt)*]
        serialize where [$($sbounds:tt)*]
        write where [$($wbounds:tt)*]
        { $($field:ident : $ty:ty $(, skip if $skip:path)?;)* }
    ) => {
        $(#[$meta])*
        pub(crate) struct $name<$($gen)*> {
            $(pub $field: $ty,)*
        }

        impl<$($gen)*> Serialize for $name<$($gen)*> where $($sbounds)* {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct;
                let len = 0 $(+ usize::from(!(false $(|| $skip(&self.$field))?)))*;
                let mut st = s.serialize_struct(stringify!($name), len)?;
                $(
                    if !(false $(|| $skip(&self.$field))?) {
                        st.serialize_field(stringify!($field), &self.$field)?;
                    }
                )*
                st.end()
            }
        }

        impl<$($gen)*> WriteJson for $name<$($gen)*> where $($wbounds)* {
            fn write_json(&self, buf: &mut Vec<u8>) -> Result<(), fmt::Error> {
                let mut first = true;
                buf.push(b'{');
                $(
                    if !(false $(|| $skip(&self.$field))?) {
                        let key: &[u8] = concat!(",\"", stringify!($field), "\":").as_bytes();
                        buf.extend_from_slice(if first { key.get(1..).unwrap_or(key) } else { key });
                        first = false;
                        self.$field.write_json(buf)?;
                    }
                )*
                let _ = first;
                buf.push(b'}');
                Ok(())
            }
        }
    };
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn no_slack(s: &&[SlackEntry]) -> bool {
    s.is_empty()
}

fn no_record_slack(s: &&[RecordSlack]) -> bool {
    s.is_empty()
}

json_object! {
    /// One record object.
    RecordShape['a, Names, Streams, Time]
    serialize where [Names: Serialize, Streams: Serialize, Time: Serialize]
    write where [Names: WriteJson, Streams: WriteJson, Time: WriteJson]
    {
        record: u64;
        sequence: u16;
        in_use: bool;
        is_dir: bool;
        link_count: u16;
        names: Names;
        streams: Streams;
        reparse: Option<&'a ReparsePoint>;
        findings: &'a [Finding];
        times: Option<TimesShape<Time>>, skip if Option::is_none;
        size: Option<u64>, skip if Option::is_none;
        index_slack: &'a [SlackEntry], skip if no_slack;
        record_slack: &'a [RecordSlack], skip if no_record_slack;
        shortcut: Option<&'a super::ShortcutReport>, skip if Option::is_none;
        compat: Option<&'a CompatLink>, skip if Option::is_none;
        pif: Option<&'a super::PifReport>, skip if Option::is_none;
    }
}

json_object! {
    /// One name object.
    NameShape['a, Text, Path, Time]
    serialize where [Text: Serialize, Path: Serialize, Time: Serialize]
    write where [Text: WriteJson, Path: WriteJson, Time: WriteJson]
    {
        name: Text;
        name_raw: Option<&'a str>, skip if Option::is_none;
        parent: u64;
        parent_sequence: u16;
        namespace: Namespace;
        path: Option<Path>;
        orphan: bool, skip if is_false;
        times: Option<TimesShape<Time>>, skip if Option::is_none;
        resolution: Option<&'a Resolution>, skip if Option::is_none;
    }
}

json_object! {
    /// Four timestamps.
    TimesShape[T]
    serialize where [T: Serialize]
    write where [T: WriteJson]
    {
        created: T;
        modified: T;
        mft_changed: T;
        accessed: T;
    }
}

impl<T> TimesShape<T> {
    /// From the four values in NTFS order: created, modified, MFT changed, accessed.
    pub fn new([created, modified, mft_changed, accessed]: [T; 4]) -> TimesShape<T> {
        TimesShape {
            created,
            modified,
            mft_changed,
            accessed,
        }
    }
}

/// A JSON string's contents, escaped as serde_json escapes them: `"`, `\` and
/// the C0 controls (short forms where JSON has them), nothing else.
pub(crate) fn escape_into(s: &str, buf: &mut Vec<u8>) {
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

/// Appends `chars` as the contents of a JSON string, encoded and escaped a
/// chunk at a time.
pub(crate) fn escape_chars(chars: impl Iterator<Item = char>, buf: &mut Vec<u8>) {
    let mut chunk = [0u8; 64];
    let mut len = 0;
    for c in chars {
        if len + 4 > chunk.len() {
            escape_into(
                std::str::from_utf8(chunk.get(..len).unwrap_or_default()).unwrap_or_default(),
                buf,
            );
            len = 0;
        }
        len += c
            .encode_utf8(chunk.get_mut(len..).unwrap_or_default())
            .len();
    }
    escape_into(
        std::str::from_utf8(chunk.get(..len).unwrap_or_default()).unwrap_or_default(),
        buf,
    );
}

macro_rules! write_json_integer {
    ($($t:ty),*) => {$(
        impl WriteJson for $t {
            fn write_json(&self, buf: &mut Vec<u8>) -> Result<(), fmt::Error> {
                buf.extend_from_slice(itoa::Buffer::new().format(*self).as_bytes());
                Ok(())
            }
        }
    )*};
}
write_json_integer!(u16, u64);

impl WriteJson for bool {
    fn write_json(&self, buf: &mut Vec<u8>) -> Result<(), fmt::Error> {
        buf.extend_from_slice(if *self { b"true" } else { b"false" });
        Ok(())
    }
}

impl WriteJson for str {
    fn write_json(&self, buf: &mut Vec<u8>) -> Result<(), fmt::Error> {
        buf.push(b'"');
        escape_into(self, buf);
        buf.push(b'"');
        Ok(())
    }
}

impl<T: WriteJson + ?Sized> WriteJson for &T {
    fn write_json(&self, buf: &mut Vec<u8>) -> Result<(), fmt::Error> {
        (**self).write_json(buf)
    }
}

impl<T: WriteJson> WriteJson for Option<T> {
    fn write_json(&self, buf: &mut Vec<u8>) -> Result<(), fmt::Error> {
        match self {
            Some(v) => v.write_json(buf),
            None => {
                buf.extend_from_slice(b"null");
                Ok(())
            }
        }
    }
}

impl WriteJson for Namespace {
    fn write_json(&self, buf: &mut Vec<u8>) -> Result<(), fmt::Error> {
        self.as_str().write_json(buf)
    }
}

/// What the fast writer has no hand-written form of (findings, reparse points,
/// resolutions, slack entries: none of them on the records it writes) goes
/// through serde_json, which gives the same bytes.
macro_rules! write_json_with_serde {
    ($($t:ty),*) => {$(
        impl WriteJson for $t {
            fn write_json(&self, buf: &mut Vec<u8>) -> Result<(), fmt::Error> {
                serde_json::to_writer(&mut *buf, self).map_err(|_| fmt::Error)
            }
        }
    )*};
}
write_json_with_serde!(
    ReparsePoint,
    Resolution,
    [Finding],
    [SlackEntry],
    [RecordSlack],
    super::ShortcutReport,
    super::PifReport,
    CompatLink
);

/// A raw NTFS time written as its RFC 3339 text.
#[derive(Clone, Copy)]
pub(crate) struct TimeText(pub NtfsTime);

impl fmt::Display for TimeText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::attribute::write_time(self.0, f)
    }
}

impl Serialize for TimeText {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl WriteJson for TimeText {
    fn write_json(&self, buf: &mut Vec<u8>) -> Result<(), fmt::Error> {
        struct Raw<'b>(&'b mut Vec<u8>);
        impl fmt::Write for Raw<'_> {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                self.0.extend_from_slice(s.as_bytes());
                Ok(())
            }
        }
        // The text has nothing to escape: digits, `-`, `:`, `.`, `T`, `Z`.
        buf.push(b'"');
        crate::attribute::write_time(self.0, &mut Raw(buf))?;
        buf.push(b'"');
        Ok(())
    }
}

/// A sequence from an iterator that can be made again.
pub(crate) struct Seq<F>(pub F);

impl<F, I> Serialize for Seq<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

impl<F, I> WriteJson for Seq<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: WriteJson,
{
    fn write_json(&self, buf: &mut Vec<u8>) -> Result<(), fmt::Error> {
        buf.push(b'[');
        for (i, item) in (self.0)().enumerate() {
            if i > 0 {
                buf.push(b',');
            }
            item.write_json(buf)?;
        }
        buf.push(b']');
        Ok(())
    }
}

/// Characters (of a name, say) written as a JSON string without building it.
#[derive(Clone)]
pub(crate) struct Chars<I>(pub I);

impl<I: Iterator<Item = char> + Clone> fmt::Display for Chars<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        self.0.clone().try_for_each(|c| f.write_char(c))
    }
}

impl<I: Iterator<Item = char> + Clone> Serialize for Chars<I> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<I: Iterator<Item = char> + Clone> WriteJson for Chars<I> {
    fn write_json(&self, buf: &mut Vec<u8>) -> Result<(), fmt::Error> {
        buf.push(b'"');
        escape_chars(self.0.clone(), buf);
        buf.push(b'"');
        Ok(())
    }
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
        s.as_str().write_json(&mut buf).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            serde_json::to_string(&s).unwrap()
        );
        let long: String = s.repeat(3);
        let mut buf = Vec::new();
        Chars(long.chars()).write_json(&mut buf).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            serde_json::to_string(&long).unwrap()
        );
    }

    #[test]
    fn both_forms_of_an_object_are_the_same_bytes() {
        let shape = |orphan, raw| NameShape {
            name: Chars("a\"b".chars()),
            name_raw: raw,
            parent: 5,
            parent_sequence: 5,
            namespace: Namespace::Win32AndDos,
            path: Some("/a\"b"),
            orphan,
            times: Some(TimesShape::new([0, 1, 2, u64::MAX].map(TimeText))),
            resolution: None,
        };
        for (orphan, raw) in [(false, None), (true, Some("00d8"))] {
            let s = shape(orphan, raw);
            let mut fast = Vec::new();
            s.write_json(&mut fast).unwrap();
            assert_eq!(
                String::from_utf8(fast).unwrap(),
                serde_json::to_string(&s).unwrap()
            );
        }
    }
}
