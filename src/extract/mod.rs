//! A subtree of the image copied out to a host directory, with a manifest:
//! what `ntfs-links extract` does.
//!
//! - Every name at or under the chosen path is written, hard links as copies
//!   (the manifest gives each its record, so links are told apart from copies).
//! - Named streams become files beside their file, `NAME:STREAM`.
//! - Junctions and symbolic links are never followed: they are listed in the
//!   manifest with their target, and nothing is written for them.
//! - Files, and the directories of live records, get the modification and
//!   access times of their $STANDARD_INFORMATION (with a scan made with
//!   [`ScanOptions::times`](crate::ScanOptions::times)); the manifest gives
//!   all four.
//! - With [`ExtractOptions::deleted`] (and a scan of deleted records), names
//!   of records not in use are written too, marked in the manifest; one that
//!   meets a name already written gets `~deleted-RECORD` after its name.
//! - Names are evidence, not paths: each is written as one host file name,
//!   with characters that could not be (`/`, NUL) or that could mislead (control
//!   characters, `:` which separates streams, `.` and `..`) escaped as
//!   `\u{HEX}` ([`crate::text`]), so nothing is ever written outside the output
//!   directory, which must be new or empty. Files are created, never
//!   overwritten.
//!
//! ```
//! # let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/c512.img");
//! use ntfs_links::{Analysis, Reports, Scan, Tree};
//! let volume = ntfs_links::open(path, Default::default())?;
//! let analysis = Analysis::run(&volume, Tree::new(Scan::run(&volume, Default::default())?), Default::default());
//! let reports = Reports::new(&analysis, Default::default());
//! let out = std::env::temp_dir().join(format!("ntfs-links-doc-{}", std::process::id()));
//! let mut rows = Vec::new();
//! let options = ntfs_links::extract::ExtractOptions::default();
//! let summary = ntfs_links::extract::extract(&volume, &reports, "/dir1", &out, options, &|_| {}, &mut |row| rows.push(row))?;
//! assert_eq!(std::fs::read(out.join("sub/deeper/leaf.txt"))?.len() as u64, rows.iter().find(|r| r.path == "/dir1/sub/deeper/leaf.txt").unwrap().size);
//! assert_eq!(summary.failed, 0);
//! # std::fs::remove_dir_all(&out)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::attribute::NtfsTime;
use crate::content::Stream;
use crate::error::{ContentProblem, Error, Result};
use crate::links::{RecordReport, Reports};
use md5::{Digest, Md5};
use serde::Serialize;
use sha2::Sha256;
use std::io::Write;
use std::path::Path;

/// One line of the manifest: one name, or one named stream of a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManifestRow {
    /// The name's path in the image.
    pub path: String,
    /// The stream (`""`: the unnamed stream, or a directory or link).
    pub stream: String,
    /// The record.
    pub record: u64,
    /// `file`, `directory`, `stream`, or the kind of link (`junction`,
    /// `symlink`, ...) that was not followed.
    pub kind: &'static str,
    /// Bytes written.
    pub size: u64,
    /// MD5 of what was written (files and streams).
    pub md5: Option<String>,
    /// SHA-256 of what was written.
    pub sha256: Option<String>,
    /// Where it was written, relative to the output directory (`None` when
    /// nothing was).
    pub output: Option<String>,
    /// A link's target, as its reparse point gives it.
    pub target: Option<String>,
    /// Why it could not be written.
    pub error: Option<String>,
    /// The record is not in use: a deleted file (its clusters may have been
    /// reused since).
    pub deleted: bool,
    /// $STANDARD_INFORMATION's times (RFC 3339, UTC), when the scan kept
    /// them.
    pub created: Option<String>,
    /// Content modified.
    pub modified: Option<String>,
    /// MFT record changed.
    pub mft_changed: Option<String>,
    /// Accessed.
    pub accessed: Option<String>,
}

/// What an extraction takes beyond the live files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExtractOptions {
    /// Also write the names of records not in use (deleted files), when the
    /// scan kept them.
    pub deleted: bool,
}

impl ExtractOptions {
    /// With deleted files.
    pub fn deleted(mut self, on: bool) -> ExtractOptions {
        self.deleted = on;
        self
    }
}

/// What an extraction did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files and streams written.
    pub files: u64,
    /// Directories made.
    pub directories: u64,
    /// Links listed and not followed.
    pub links: u64,
    /// Names or streams that could not be written (their rows say why).
    pub failed: u64,
    /// Bytes written.
    pub bytes: u64,
}

/// Copies what lies at or under `path` in the image into `out` (made if
/// absent; if present, it must be an empty directory), with `options`. Calls
/// `row` for every manifest line, and `progress` with the bytes written so
/// far. An error only
/// when nothing can be done (no such path, `out` unusable); a name that
/// cannot be written is a row with an `error`, counted in
/// [`Summary::failed`].
pub fn extract(
    volume: &crate::Volume,
    reports: &Reports<'_>,
    path: &str,
    out: &Path,
    options: ExtractOptions,
    progress: &dyn Fn(u64),
    row: &mut dyn FnMut(ManifestRow),
) -> Result<Summary> {
    let tree = reports.analysis().tree();
    let root = tree
        .lookup(path)
        .and_then(|f| tree.path_of(f))
        .ok_or_else(|| Error::NoSuchPath {
            path: path.to_owned(),
        })?;
    prepare(out)?;
    let all: Vec<RecordReport> = reports
        .iter()
        .filter(|r| r.in_use || (options.deleted && !r.names.is_empty()))
        .collect();
    let mut entries: Vec<(&str, &RecordReport)> = all
        .iter()
        .flat_map(|r| {
            r.hard_links()
                .filter_map(move |n| Some((n.path.as_deref()?, r)))
        })
        .filter(|(p, _)| crate::tree::is_under(p, &root))
        .collect();
    // Every live name first (so that no deleted one takes its place, even on
    // a host that folds case), then the deleted ones; parents before their
    // children within each.
    entries.sort_unstable_by(|a, b| {
        (!a.1.in_use, a.0, a.1.record).cmp(&(!b.1.in_use, b.0, b.1.record))
    });
    entries.dedup_by(|a, b| a.0 == b.0 && a.1.record == b.1.record);
    let mut writer = Writer {
        volume,
        out,
        progress,
        summary: Summary::default(),
    };
    // Directories get their times once their children are in.
    let mut directories: Vec<(String, [NtfsTime; 4])> = Vec::new();
    for (name_path, report) in entries {
        let mut relative = match relative(&root, name_path) {
            // A file chosen as the root keeps its own name.
            r if r.is_empty() && !report.is_dir => {
                host_name(name_path.rsplit('/').next().unwrap_or_default())
            }
            r => r,
        };
        // A deleted file never takes the place of a name written before.
        if !report.in_use && !report.is_dir && out.join(&relative).symlink_metadata().is_ok() {
            relative = format!("{relative}~deleted-{}", report.record);
        }
        let times = report.times.as_ref().map(|t| t.raw.to_array());
        let text = |pick: fn(&crate::links::Times) -> &String| {
            report.times.as_ref().map(|t| pick(t).clone())
        };
        let mut base = ManifestRow {
            path: name_path.to_owned(),
            stream: String::new(),
            record: report.record,
            kind: "file",
            size: 0,
            md5: None,
            sha256: None,
            output: Some(relative.clone()),
            target: None,
            error: None,
            deleted: !report.in_use,
            created: text(|t| &t.created),
            modified: text(|t| &t.modified),
            mft_changed: text(|t| &t.mft_changed),
            accessed: text(|t| &t.accessed),
        };
        if let Some(rp) = report.reparse.as_ref().filter(|rp| rp.is_link()) {
            writer.summary.links += 1;
            base.kind = rp.kind.as_str();
            base.output = None;
            base.target = rp.destination().map(str::to_owned);
            row(base);
            continue;
        }
        if report.is_dir {
            base.kind = "directory";
            if !relative.is_empty() {
                match std::fs::create_dir(out.join(&relative)) {
                    Ok(()) => writer.summary.directories += 1,
                    // A deleted directory's children go into the live one
                    // of the same name (a live file of that name makes
                    // them fail, each with its row).
                    Err(e)
                        if !report.in_use
                            && e.kind() == std::io::ErrorKind::AlreadyExists
                            && out.join(&relative).is_dir() =>
                    {
                        base.output = Some(relative.clone());
                    }
                    Err(e) => base = writer.failed(base, &e.to_string()),
                }
            }
            if let (Some(t), true) = (times, report.in_use && base.error.is_none()) {
                directories.push((relative.clone(), t));
            }
            row(base.clone());
        } else {
            let written = writer.write(base.clone(), "");
            if let (Some(t), Some(output)) = (times, &written.output) {
                set_times(&out.join(output), t);
            }
            row(written);
        }
        for stream in &report.streams {
            let mut r = base.clone();
            r.kind = "stream";
            r.stream = stream.clone();
            r.output = Some(format!("{relative}:{}", host_name(stream)));
            let written = writer.write(r, stream);
            if let (Some(t), Some(output)) = (times, &written.output) {
                set_times(&out.join(output), t);
            }
            row(written);
        }
    }
    // Deepest first: setting a directory's times after its children's.
    for (relative, t) in directories.iter().rev() {
        set_times(&out.join(relative), *t);
    }
    Ok(writer.summary)
}

/// Gives the host file at `path` the modification and access times of
/// $STANDARD_INFORMATION (`[created, modified, mft_changed, accessed]`); the
/// host has no creation time to set. Best effort: the manifest keeps all
/// four whatever the host takes.
fn set_times(path: &Path, t: [NtfsTime; 4]) {
    let at = |ntfs: NtfsTime| {
        let unix_100ns = ntfs.checked_sub(UNIX_EPOCH_NTFS)?;
        std::time::UNIX_EPOCH.checked_add(std::time::Duration::from_nanos(
            unix_100ns.checked_mul(100)?,
        ))
    };
    let mut times = std::fs::FileTimes::new();
    if let Some(m) = at(t[1]) {
        times = times.set_modified(m);
    }
    if let Some(a) = at(t[3]) {
        times = times.set_accessed(a);
    }
    if let Ok(file) = std::fs::File::open(path) {
        let _ = file.set_times(times);
    }
}

/// 1970-01-01 in 100-ns intervals since 1601-01-01.
const UNIX_EPOCH_NTFS: NtfsTime = 116_444_736_000_000_000;

/// Makes `out`, or checks that it is an empty directory.
fn prepare(out: &Path) -> Result<()> {
    let fail = |source: std::io::Error| Error::Output {
        path: out.to_owned(),
        source,
    };
    match std::fs::read_dir(out) {
        Ok(mut entries) => match entries.next() {
            None => Ok(()),
            Some(_) => Err(fail(std::io::Error::other(
                "the output directory must be new or empty",
            ))),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(out).map_err(fail)
        }
        Err(e) => Err(fail(e)),
    }
}

/// `path`'s place under `root`, as host path components joined by `/`: the
/// root itself is `""`, a file chosen as the root its own name.
fn relative(root: &str, path: &str) -> String {
    let rest = if root == "/" {
        path.strip_prefix('/').unwrap_or(path)
    } else if path == root {
        // The root is the output directory.
        ""
    } else {
        path.get(root.len() + 1..).unwrap_or_default()
    };
    rest.split('/')
        .filter(|c| !c.is_empty())
        .map(host_name)
        .collect::<Vec<_>>()
        .join("/")
}

/// The longest file name most host file systems take, in bytes.
const MAX_HOST_NAME: usize = 255;

/// One NTFS name as one host file name: control and other unsafe characters
/// escaped as in every text output, and `/`, `:` (it separates streams),
/// `.` and `..` too; names too long for the host shortened, with a hash of
/// the whole name.
pub fn host_name(name: &str) -> String {
    let mut s = crate::text::Escaped(name)
        .to_string()
        .replace('/', "\\u{2f}")
        .replace(':', "\\u{3a}");
    if s.is_empty() || s == "." || s == ".." {
        s = s.replace('.', "\\u{2e}");
        if s.is_empty() {
            s = "\\u{}".to_owned();
        }
    }
    if s.len() > MAX_HOST_NAME {
        let hash = format!("{:x}", Md5::digest(name.as_bytes()));
        let mut cut = MAX_HOST_NAME - 10;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push('~');
        s.push_str(hash.get(..8).unwrap_or_default());
    }
    s
}

/// Writes files and streams, hashing and counting as it goes.
struct Writer<'a> {
    volume: &'a crate::Volume,
    out: &'a Path,
    progress: &'a dyn Fn(u64),
    summary: Summary,
}

impl Writer<'_> {
    /// Writes stream `stream` of `row`'s record to `row.output`. A file
    /// without an unnamed stream (metadata files such as $Secure hold named
    /// streams only) writes nothing and is no failure.
    fn write(&mut self, mut row: ManifestRow, stream: &str) -> ManifestRow {
        let dest = self.out.join(row.output.as_deref().unwrap_or_default());
        let content = match Stream::open(self.volume, row.record, stream) {
            Ok(content) => content,
            Err(Error::Content {
                problem: ContentProblem::NoSuchStream { .. },
                ..
            }) if stream.is_empty() => {
                row.output = None;
                return row;
            }
            Err(e) => return self.failed(row, &e.to_string()),
        };
        // Created, never overwritten: a name that collides with one written
        // before is a failure, and the earlier file stays.
        let file = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&dest)
        {
            Ok(file) => file,
            Err(e) => return self.failed(row, &e.to_string()),
        };
        match self.copy(&content, file) {
            Ok((size, md5, sha256)) => {
                self.summary.files += 1;
                row.size = size;
                row.md5 = Some(md5);
                row.sha256 = Some(sha256);
                row
            }
            Err(why) => {
                // What was begun is removed: a partial file is not evidence.
                let _ = std::fs::remove_file(&dest);
                self.failed(row, &why)
            }
        }
    }

    /// A row that could not be written: why, and no output.
    fn failed(&mut self, mut row: ManifestRow, why: &str) -> ManifestRow {
        self.summary.failed += 1;
        row.error = Some(why.to_owned());
        row.output = None;
        row
    }

    /// Copies `content` into `file`, hashing it.
    fn copy(
        &mut self,
        content: &Stream<'_>,
        file: std::fs::File,
    ) -> std::result::Result<(u64, String, String), String> {
        let mut sink = Sink {
            file: std::io::BufWriter::with_capacity(1 << 20, file),
            md5: Md5::new(),
            sha256: Sha256::new(),
            written: self.summary.bytes,
            progress: self.progress,
        };
        let size = content
            .copy_to(&mut sink, false)
            .map_err(|e| e.to_string())?;
        sink.file.flush().map_err(|e| e.to_string())?;
        self.summary.bytes += size;
        Ok((
            size,
            format!("{:x}", sink.md5.finalize()),
            format!("{:x}", sink.sha256.finalize()),
        ))
    }
}

/// The file being written, and its hashes.
struct Sink<'a> {
    file: std::io::BufWriter<std::fs::File>,
    md5: Md5,
    sha256: Sha256,
    written: u64,
    progress: &'a dyn Fn(u64),
}

impl Write for Sink<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write_all(buf)?;
        self.md5.update(buf);
        self.sha256.update(buf);
        self.written += buf.len() as u64;
        (self.progress)(self.written);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}
