//! Strings as shell links store them: UTF-16LE (IsUnicode, and the `...Unicode`
//! fields), or single-byte in the writer's code page, read here as Windows-1252
//! (the code page of western Windows; nothing in a link says which one was used).

/// What Windows-1252 maps 0x80-0x9F to. The five unassigned codes (0x81, 0x8D,
/// 0x8F, 0x90, 0x9D) map to the C1 control of the same value, as Windows'
/// `MultiByteToWideChar` does.
const CP1252_80_9F: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// Decodes single-byte text as Windows-1252 (every byte maps to one character).
pub(crate) fn ansi(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => CP1252_80_9F
                .get(usize::from(b - 0x80))
                .copied()
                .unwrap_or(char::REPLACEMENT_CHARACTER),
            _ => char::from(b),
        })
        .collect()
}

/// The bytes before the first NUL, and whether a NUL was found.
pub(crate) fn until_nul(bytes: &[u8]) -> (&[u8], bool) {
    match bytes.iter().position(|&b| b == 0) {
        Some(end) => (bytes.get(..end).unwrap_or(bytes), true),
        None => (bytes, false),
    }
}

/// UTF-16LE text decoded, with `lossy` set when it held an unpaired surrogate
/// (kept as U+FFFD) or an odd trailing byte (dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Utf16 {
    /// The text.
    pub text: String,
    /// Set when the code units were not well-formed UTF-16.
    pub lossy: bool,
}

/// Decodes UTF-16LE code units, all of them.
pub(crate) fn utf16(bytes: &[u8]) -> Utf16 {
    let units = bytes.chunks_exact(2).map(|c| match c {
        [lo, hi] => u16::from_le_bytes([*lo, *hi]),
        _ => 0,
    });
    let mut lossy = !bytes.len().is_multiple_of(2);
    let text = char::decode_utf16(units)
        .map(|r| {
            r.unwrap_or_else(|_| {
                lossy = true;
                char::REPLACEMENT_CHARACTER
            })
        })
        .collect();
    Utf16 { text, lossy }
}

/// UTF-16LE code units up to the first NUL unit; also whether one was found.
pub(crate) fn utf16_until_nul(bytes: &[u8]) -> (Utf16, bool) {
    let end = bytes
        .chunks_exact(2)
        .position(|c| c == [0, 0])
        .map(|units| units * 2);
    match end {
        Some(end) => (utf16(bytes.get(..end).unwrap_or(bytes)), true),
        None => (utf16(bytes), false),
    }
}
