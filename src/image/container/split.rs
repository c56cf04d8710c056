//! Split raw images: one disk cut into files `NAME.001`, `NAME.002`, ... (or
//! `NAME.aa`, `NAME.ab`, ... as `split` names them), read as one.
//!
//! Raw segments have no signature: this is the one container found by name. The
//! first segment is given; the next are looked for beside it, in order, until
//! one is missing. A gap (a later segment present after a missing one) is an
//! error naming the missing segment.

use super::{Container, ContainerInfo, file_len, open_file};
use crate::error::{Error, Result};
use std::fs::File;
use std::path::{Path, PathBuf};

/// A disk made of raw files laid end to end.
#[derive(Debug)]
pub(crate) struct Split {
    /// Each file, its handle, its length and the disk byte it starts at.
    segments: Vec<(PathBuf, File, u64, u64)>,
    len: u64,
}

/// Segments looked for past a missing one, to tell a gap from the end.
const GAP_LOOKAHEAD: u32 = 8;

impl Split {
    /// One raw file (a raw parent image).
    pub(crate) fn single(path: PathBuf, file: File, len: u64) -> Split {
        Split {
            segments: vec![(path, file, len, 0)],
            len,
        }
    }

    /// The split image whose first segment is `path`, when its name says it is
    /// one (`.001`, `.aa`) and a second segment lies beside it.
    pub(crate) fn open_if_first(path: &Path, len: u64) -> Result<Option<Split>> {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            return Ok(None);
        };
        let Some((stem, suffix)) = name.rsplit_once('.') else {
            return Ok(None);
        };
        // `001` (any width of two digits or more), or `aa`.
        let numeric = suffix.len() >= 2
            && suffix.bytes().all(|b| b.is_ascii_digit())
            && suffix.trim_start_matches('0') == "1";
        let alphabetic = suffix.len() >= 2 && suffix.bytes().all(|b| b == b'a');
        if !numeric && !alphabetic {
            return Ok(None);
        }
        let nth = |i: u32| -> Option<PathBuf> {
            let s = if numeric {
                format!("{:0width$}", i + 1, width = suffix.len())
            } else {
                alpha_suffix(i, suffix.len())?
            };
            (s.len() == suffix.len()).then(|| path.with_file_name(format!("{stem}.{s}")))
        };
        match nth(1) {
            Some(second) if second.exists() => {}
            Some(second) => {
                // No second segment: a raw file, unless a later one is there.
                if let Some(later) = (2..2 + GAP_LOOKAHEAD).filter_map(nth).find(|p| p.exists()) {
                    return Err(Error::Container {
                        path: path.to_owned(),
                        offset: len,
                        message: format!(
                            "segment {} is missing, though {} is there",
                            second.display(),
                            later.display()
                        ),
                    });
                }
                return Ok(None);
            }
            None => return Ok(None),
        }
        let first = open_file(path)?;
        let mut segments = vec![(path.to_owned(), first, len, 0)];
        let mut total = len;
        let mut i = 1;
        while let Some(next) = nth(i) {
            if !next.exists() {
                if let Some(later) = (i + 1..i + 1 + GAP_LOOKAHEAD)
                    .filter_map(nth)
                    .find(|p| p.exists())
                {
                    return Err(Error::Container {
                        path: path.to_owned(),
                        offset: total,
                        message: format!(
                            "segment {} is missing, though {} is there",
                            next.display(),
                            later.display()
                        ),
                    });
                }
                break;
            }
            let file = open_file(&next)?;
            let size = file_len(&next, &file)?;
            segments.push((next, file, size, total));
            total = total.saturating_add(size);
            i += 1;
        }
        Ok(Some(Split {
            segments,
            len: total,
        }))
    }
}

/// The `i`-th suffix of `split`'s alphabetic naming (`aa`, `ab`, ..., `zz`).
fn alpha_suffix(mut i: u32, width: usize) -> Option<String> {
    let mut out = vec![b'a'; width];
    for slot in out.iter_mut().rev() {
        *slot = b'a' + (i % 26) as u8;
        i /= 26;
    }
    (i == 0).then(|| String::from_utf8(out).ok()).flatten()
}

impl Container for Split {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<()> {
        let mut done = 0usize;
        while done < buf.len() {
            let at = offset + done as u64;
            let i = self
                .segments
                .partition_point(|(_, _, len, start)| start + len <= at);
            let Some((path, file, len, start)) = self.segments.get(i) else {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "read past the last segment",
                ));
            };
            let within = at - start;
            let take = ((len - within) as usize).min(buf.len() - done);
            let part = buf
                .get_mut(done..done + take)
                .ok_or_else(|| std::io::Error::other("read past the buffer"))?;
            super::pread(path, file, part, within)?;
            done += take;
        }
        Ok(())
    }

    fn info(&self) -> ContainerInfo {
        ContainerInfo {
            format: if self.segments.len() > 1 {
                "split raw"
            } else {
                "raw"
            },
            variant: format!("{} segments", self.segments.len()),
            files: self.segments.iter().map(|(p, ..)| p.clone()).collect(),
            virtual_size: self.len,
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alphabetic_suffixes() {
        assert_eq!(alpha_suffix(0, 2).as_deref(), Some("aa"));
        assert_eq!(alpha_suffix(1, 2).as_deref(), Some("ab"));
        assert_eq!(alpha_suffix(26, 2).as_deref(), Some("ba"));
        assert_eq!(alpha_suffix(675, 2).as_deref(), Some("zz"));
        assert_eq!(alpha_suffix(676, 2), None);
    }
}
