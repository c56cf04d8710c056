//! Data runs (mapping pairs): where a non-resident attribute's clusters lie.
//!
//! Each run starts with a byte whose low nibble is the size of the length field and
//! whose high nibble is the size of the offset field; a zero byte ends the list. The
//! length is unsigned; the offset is a signed delta from the previous run's LCN; an
//! offset size of 0 is a sparse run (no clusters on disk).

use crate::bytes::u8_at;

/// One run: `length` clusters starting at virtual cluster `vcn`, on disk at `lcn`
/// (`None` for a sparse run).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataRun {
    /// First virtual cluster number of the run.
    pub vcn: u64,
    /// Number of clusters.
    pub length: u64,
    /// First logical cluster on the volume, `None` when sparse.
    pub lcn: Option<u64>,
}

/// Why a run list cannot be read further: the byte offset inside the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunError {
    /// Offset of the run header in the run list.
    pub at: usize,
    /// What is wrong.
    pub what: &'static str,
}

/// Iterator over the runs of one attribute piece.
#[derive(Debug, Clone)]
pub struct DataRuns<'a> {
    bytes: &'a [u8],
    pos: usize,
    vcn: u64,
    lcn: i64,
    done: bool,
}

impl<'a> DataRuns<'a> {
    /// Runs in `bytes` for a piece that starts at `lowest_vcn`.
    ///
    /// ```
    /// use ntfs_links::record::{DataRun, DataRuns};
    /// // 0x21: one length byte, two offset bytes: 0x18 clusters at LCN 0x5634.
    /// let runs: Vec<_> = DataRuns::new(&[0x21, 0x18, 0x34, 0x56, 0x00], 0).collect();
    /// assert_eq!(runs, [Ok(DataRun { vcn: 0, length: 0x18, lcn: Some(0x5634) })]);
    /// ```
    pub fn new(bytes: &'a [u8], lowest_vcn: u64) -> DataRuns<'a> {
        DataRuns {
            bytes,
            pos: 0,
            vcn: lowest_vcn,
            lcn: 0,
            done: false,
        }
    }

    fn fail(&mut self, at: usize, what: &'static str) -> Option<Result<DataRun, RunError>> {
        self.done = true;
        Some(Err(RunError { at, what }))
    }
}

impl Iterator for DataRuns<'_> {
    type Item = Result<DataRun, RunError>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let at = self.pos;
        let Some(header) = u8_at(self.bytes, at) else {
            return self.fail(at, "run list has no end marker");
        };
        if header == 0 {
            self.done = true;
            return None;
        }
        let (len_size, off_size) = ((header & 0xF) as usize, (header >> 4) as usize);
        if len_size == 0 || len_size > 8 || off_size > 8 {
            return self.fail(at, "run header field size out of range");
        }
        let Some(fields) = self.bytes.get(at + 1..at + 1 + len_size + off_size) else {
            return self.fail(at, "run runs past the end of the attribute");
        };
        let length = le_unsigned(fields.get(..len_size).unwrap_or_default());
        if length == 0 || length > i64::MAX as u64 {
            return self.fail(at, "run length is zero or absurd");
        }
        let lcn = if off_size == 0 {
            None
        } else {
            let delta = le_signed(fields.get(len_size..).unwrap_or_default());
            match self.lcn.checked_add(delta) {
                Some(lcn) if lcn >= 0 => {
                    self.lcn = lcn;
                    Some(lcn as u64)
                }
                _ => return self.fail(at, "run offset points before the volume start"),
            }
        };
        let run = DataRun {
            vcn: self.vcn,
            length,
            lcn,
        };
        let Some(next_vcn) = self.vcn.checked_add(length) else {
            return self.fail(at, "run VCN overflows");
        };
        self.vcn = next_vcn;
        self.pos = at + 1 + len_size + off_size;
        Some(Ok(run))
    }
}

fn le_unsigned(b: &[u8]) -> u64 {
    b.iter().rev().fold(0u64, |v, &x| (v << 8) | x as u64)
}

fn le_signed(b: &[u8]) -> i64 {
    let v = le_unsigned(b);
    let bits = b.len() * 8;
    if bits < 64 && b.last().is_some_and(|&x| x & 0x80 != 0) {
        (v | (!0u64 << bits)) as i64
    } else {
        v as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(b: &[u8]) -> Vec<Result<DataRun, RunError>> {
        DataRuns::new(b, 0).collect()
    }

    #[test]
    fn negative_delta_and_sparse() {
        let r = runs(&[0x11, 0x04, 0x40, 0x01, 0x02, 0x11, 0x03, 0xF0, 0x00]);
        assert_eq!(
            r[0],
            Ok(DataRun {
                vcn: 0,
                length: 4,
                lcn: Some(0x40)
            })
        );
        assert_eq!(
            r[1],
            Ok(DataRun {
                vcn: 4,
                length: 2,
                lcn: None
            })
        );
        assert_eq!(
            r[2],
            Ok(DataRun {
                vcn: 6,
                length: 3,
                lcn: Some(0x30)
            })
        );
        assert_eq!(r.len(), 3);
    }

    #[test]
    fn truncated_and_bad_headers() {
        assert!(matches!(
            runs(&[0x21, 0x18])[0],
            Err(RunError { at: 0, .. })
        ));
        assert!(runs(&[0x11, 0x01, 0x01])[1].is_err(), "no end marker");
        assert!(runs(&[0x90, 0x01])[0].is_err());
        assert!(runs(&[0x11, 0x00, 0x01, 0x00])[0].is_err(), "zero length");
        assert!(
            runs(&[0x11, 0x01, 0xFF, 0x00])[0].is_err(),
            "before volume start"
        );
    }
}
