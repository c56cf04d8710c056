//! `$UpCase` (record 10): the table NTFS compares names by, one upper-case
//! UTF-16 unit for each of the 65,536. Windows writes its own version's table
//! when it formats a volume, and finds names on that volume through it, unit
//! by unit: `ß` stays `ß` (not `SS`), and units outside the BMP (surrogates)
//! are never folded.

use std::sync::OnceLock;

/// Units in the table.
pub const UPCASE_UNITS: usize = 0x10000;

/// An upper-case table.
#[derive(Clone, PartialEq, Eq)]
pub struct UpCase(Box<[u16]>);

impl std::fmt::Debug for UpCase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "UpCase({} units)", self.0.len())
    }
}

impl UpCase {
    /// The table of a volume: `$UpCase`'s 131,072 bytes, little-endian.
    /// `None` when they are not that many.
    pub fn from_bytes(bytes: &[u8]) -> Option<UpCase> {
        if bytes.len() != 2 * UPCASE_UNITS {
            return None;
        }
        Some(UpCase(
            bytes
                .chunks_exact(2)
                .map(|p| match p {
                    [lo, hi] => u16::from_le_bytes([*lo, *hi]),
                    _ => 0,
                })
                .collect(),
        ))
    }

    /// The table used when the volume's cannot be read (a bare $MFT holds
    /// none): Unicode's simple upper-case mapping within the BMP, which is
    /// what Windows' tables are made from.
    pub fn builtin() -> &'static UpCase {
        static TABLE: OnceLock<UpCase> = OnceLock::new();
        TABLE.get_or_init(|| {
            UpCase(
                (0..=u16::MAX)
                    .map(|u| {
                        let Some(c) = char::from_u32(u32::from(u)) else {
                            return u; // a surrogate
                        };
                        let mut upper = c.to_uppercase();
                        match (upper.next(), upper.next()) {
                            (Some(one), None) => u16::try_from(u32::from(one)).unwrap_or(u),
                            _ => u,
                        }
                    })
                    .collect(),
            )
        })
    }

    /// The upper-case unit of `unit`.
    pub fn fold(&self, unit: u16) -> u16 {
        self.0.get(usize::from(unit)).copied().unwrap_or(unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(t: &UpCase, s: &str) -> Vec<u16> {
        s.encode_utf16().map(|u| t.fold(u)).collect()
    }

    #[test]
    fn builtin_folds_unit_by_unit_as_ntfs_does() {
        let t = UpCase::builtin();
        assert_eq!(fold(t, "café"), fold(t, "CAFÉ"));
        assert_eq!(fold(t, "ǆ"), "Ǆ".encode_utf16().collect::<Vec<_>>());
        // No expansion: ß is not SS, and a surrogate pair stays as it is.
        assert_ne!(fold(t, "straße"), fold(t, "STRASSE"));
        assert_eq!(
            fold(t, "\u{10428}"),
            "\u{10428}".encode_utf16().collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_table_is_exactly_65536_units() {
        let mut bytes = vec![0u8; 2 * UPCASE_UNITS];
        bytes[2 * 0x61] = 0x41;
        let t = UpCase::from_bytes(&bytes).unwrap();
        assert_eq!((t.fold(0x61), t.fold(0x62)), (0x41, 0));
        assert!(UpCase::from_bytes(&bytes[1..]).is_none());
    }
}
