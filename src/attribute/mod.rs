//! Structured attribute values, one file per attribute type.

mod file_name;
pub mod index;
mod standard_information;
mod upcase;
mod volume_information;

pub use file_name::{FILE_NAME_HEADER, FileName, FileNameHeader, Namespace};
pub use standard_information::{
    FileAttributes, StandardInformation, StandardInformationHeader, StandardInformationV3,
    file_attribute_names,
};
pub use upcase::{UPCASE_UNITS, UpCase};
pub use volume_information::VolumeInformation;
use zerocopy::little_endian::U64;
use zerocopy::{FromBytes, Immutable, KnownLayout, Unaligned};

/// An NTFS timestamp: 100-ns intervals since 1601-01-01 UTC.
pub type NtfsTime = u64;

/// Four timestamps as $STANDARD_INFORMATION and $FILE_NAME store them.
#[derive(Debug, Clone, Copy, FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct TimesLe {
    /// Created.
    pub created: U64,
    /// Content modified.
    pub modified: U64,
    /// MFT record changed.
    pub mft_changed: U64,
    /// Accessed.
    pub accessed: U64,
}

impl TimesLe {
    /// The four times.
    pub fn get(&self) -> Timestamps {
        Timestamps {
            created: self.created.get(),
            modified: self.modified.get(),
            mft_changed: self.mft_changed.get(),
            accessed: self.accessed.get(),
        }
    }
}

/// The four timestamps of $STANDARD_INFORMATION or of a $FILE_NAME.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Timestamps {
    /// Created.
    pub created: NtfsTime,
    /// Content modified.
    pub modified: NtfsTime,
    /// MFT record changed.
    pub mft_changed: NtfsTime,
    /// Accessed.
    pub accessed: NtfsTime,
}

impl Timestamps {
    /// The names of the four times, in [`Timestamps::to_array`]'s order.
    pub const NAMES: [&'static str; 4] = ["created", "modified", "MFT changed", "accessed"];

    /// Created, modified, MFT changed, accessed.
    pub fn to_array(self) -> [NtfsTime; 4] {
        [self.created, self.modified, self.mft_changed, self.accessed]
    }
}

/// Formats an NTFS timestamp as RFC 3339 UTC with 100-ns precision
/// (`1601-01-01T00:00:00.0000000Z` for 0).
///
/// ```
/// assert_eq!(ntfs_links::attribute::format_time(116444736000000000),
///            "1970-01-01T00:00:00.0000000Z");
/// ```
pub fn format_time(t: NtfsTime) -> String {
    let mut s = String::with_capacity(28);
    let _ = write_time(t, &mut s);
    s
}

/// Writes [`format_time`]'s text to `out` (no allocation of its own).
pub fn write_time(t: NtfsTime, out: &mut impl std::fmt::Write) -> std::fmt::Result {
    let secs = t / 10_000_000;
    let frac = t % 10_000_000;
    let days = secs / 86_400;
    let rem = secs % 86_400;
    // Days since 1601-01-01 to a civil date (proleptic Gregorian).
    let (y, m, d) = civil_from_days(days as i64 - 134_774);
    let (h, min, s) = (rem / 3600, rem / 60 % 60, rem % 60);
    if !(0..=9999).contains(&y) {
        return write!(
            out,
            "{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{frac:07}Z"
        );
    }
    // The common case by hand: every field a fixed number of digits.
    let mut text = *b"0000-00-00T00:00:00.0000000Z";
    let mut put = |at: usize, width: usize, mut v: u64| {
        for i in (at..at + width).rev() {
            if let Some(c) = text.get_mut(i) {
                *c = b'0' + (v % 10) as u8;
            }
            v /= 10;
        }
    };
    put(0, 4, y as u64);
    put(5, 2, u64::from(m));
    put(8, 2, u64::from(d));
    put(11, 2, h);
    put(14, 2, min);
    put(17, 2, s);
    put(20, 7, frac);
    out.write_str(std::str::from_utf8(&text).unwrap_or_default())
}

/// Days since 1970-01-01 to (year, month, day); Howard Hinnant's algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epochs() {
        assert_eq!(format_time(0), "1601-01-01T00:00:00.0000000Z");
        assert_eq!(
            format_time(132_539_328_001_234_567),
            "2021-01-01T00:00:00.1234567Z"
        );
        // Every field of a time with no zero in it, and past the four-digit years.
        assert_eq!(
            format_time(131_976_876_859_876_543),
            "2019-03-22T00:21:25.9876543Z"
        );
        assert_eq!(format_time(u64::MAX), "60056-05-28T05:36:10.9551615Z");
    }
}
