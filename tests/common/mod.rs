//! Helpers shared by the integration tests: fixture paths, manifests, scans, and
//! a record patcher that keeps fixups valid.
#![allow(dead_code)]

use ntfs_links::{
    Analysis, AnalysisOptions, Image, LinkOptions, OpenOptions, RecordReport, Reports, Scan,
    ScanOptions, Tree, Volume,
};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Path of a committed fixture.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// The ground truth written by fixtures/build.py.
#[derive(Debug, Deserialize)]
pub struct Manifest {
    pub files: Vec<FileEntry>,
    pub groups: Vec<Vec<String>>,
    pub streams: BTreeMap<String, Vec<String>>,
    pub deleted: Vec<Deleted>,
    #[serde(default)]
    pub patched: Vec<Patched>,
    #[serde(default)]
    pub partition: Option<usize>,
    /// Per reparse point path: what it decodes to and where its names lead.
    #[serde(default)]
    pub reparse: BTreeMap<String, ReparseTruth>,
    /// Findings the fixture is built to raise, by path.
    #[serde(default)]
    pub expected_findings: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
pub struct ReparseTruth {
    /// Fields the decoded reparse point must have (json names and values).
    pub expect: serde_json::Map<String, serde_json::Value>,
    /// Per name path: outcome, and path and hops where given, with the drive C:.
    pub outcomes: BTreeMap<String, serde_json::Map<String, serde_json::Value>>,
    pub is_dir: bool,
}

#[derive(Debug, Deserialize)]
pub struct FileEntry {
    pub path: String,
    pub record: u64,
    pub is_dir: bool,
    pub dos_name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Deleted {
    pub path: String,
    pub name: String,
    pub record: u64,
    pub is_dir: bool,
}

#[derive(Debug, Deserialize)]
pub struct Patched {
    pub path: String,
    pub record: u64,
    /// The character of the name that was replaced.
    pub unit: String,
}

impl Manifest {
    /// Path of `f` as the image holds it now: a patched name's replaced unit is an
    /// unpaired surrogate, which reads as U+FFFD.
    pub fn current_path(&self, path: &str) -> String {
        match self.patched.iter().find(|p| p.path == path) {
            Some(p) => {
                let (dir, name) = path.rsplit_once('/').unwrap();
                format!("{dir}/{}", name.replacen(p.unit.as_str(), "\u{FFFD}", 1))
            }
            None => path.to_owned(),
        }
    }
}

/// Reads `fixtures/NAME.json`.
pub fn manifest(name: &str) -> Manifest {
    let text = std::fs::read_to_string(fixture(&format!("{name}.json"))).expect("manifest");
    serde_json::from_str(&text).expect("manifest parses")
}

/// Opens a fixture image (volume found automatically unless `partition` is given).
pub fn open(image: &str, partition: Option<usize>, no_mmap: bool) -> Volume {
    let mut options = OpenOptions::default().no_mmap(no_mmap);
    if let Some(p) = partition {
        options = options.partition(p);
    }
    ntfs_links::open(fixture(image), options).expect("fixture opens")
}

/// Runs the whole pipeline on `volume` and returns every report.
pub fn reports_with(
    volume: &Volume,
    scan: ScanOptions,
    checks: AnalysisOptions,
    links: LinkOptions,
) -> Vec<RecordReport> {
    let scan = Scan::run(volume, scan).expect("scan");
    let analysis = Analysis::run(volume, Tree::new(scan), checks);
    Reports::new(&analysis, links).iter().collect()
}

/// Scans an opened volume and returns every report.
pub fn reports(volume: &Volume, deleted: bool) -> Vec<RecordReport> {
    let scan = ScanOptions::default().deleted(deleted);
    reports_with(volume, scan, Default::default(), Default::default())
}

/// Scans bytes held in memory (a patched copy of a fixture).
pub fn reports_of_bytes(bytes: Vec<u8>, deleted: bool) -> Vec<RecordReport> {
    reports_of_bytes_with(bytes, ScanOptions::default().deleted(deleted))
}

/// Options of the walk and of the checks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Opts(pub ScanOptions, pub AnalysisOptions);

impl From<ScanOptions> for Opts {
    fn from(scan: ScanOptions) -> Opts {
        Opts(scan, Default::default())
    }
}

/// Scans bytes held in memory with `options`.
pub fn reports_of_bytes_with(bytes: Vec<u8>, options: impl Into<Opts>) -> Vec<RecordReport> {
    let volume = Volume::open(Image::from_bytes(bytes), 0).expect("volume opens");
    let Opts(scan, checks) = options.into();
    reports_with(&volume, scan, checks, Default::default())
}

/// The geometry of a fixture volume at offset 0, from its boot sector.
pub fn geometry(bytes: &[u8]) -> ntfs_links::volume::Geometry {
    let sector = Image::from_bytes(bytes[..512].to_vec());
    ntfs_links::volume::BootSector::read(&sector, 0)
        .and_then(|b| b.geometry(0))
        .expect("fixture boot sector")
}

/// Byte layout of a fixture volume at offset 0: (cluster size, $MFT byte offset).
pub fn layout(bytes: &[u8]) -> (u64, u64) {
    let mft = u64::from_le_bytes(bytes[0x30..0x38].try_into().unwrap());
    let cluster = geometry(bytes).cluster_size;
    (cluster, mft * cluster)
}

/// Image byte offset of record `n`, in the $MFT's first extent, and the record size.
pub fn record_at(bytes: &[u8], n: u64) -> (usize, usize) {
    let (_, mft) = layout(bytes);
    let size = geometry(bytes).record_size;
    ((mft + n * size) as usize, size as usize)
}

/// Lets `edit` change record `n` (in the $MFT's first extent) of an image in
/// memory, with fixups undone before and redone after, so the record stays valid
/// unless `edit` breaks it on purpose.
pub fn patch_record(bytes: &mut [u8], n: u64, edit: impl FnOnce(&mut [u8])) {
    let (at, size) = record_at(bytes, n);
    let rec = &mut bytes[at..at + size];
    let usa = ntfs_links::record::RecordHeader::of(rec)
        .expect("a whole record")
        .multi_sector
        .usa_offset
        .get() as usize;
    ntfs_links::record::apply_fixups(rec).expect("fixture record has valid fixups");
    edit(rec);
    let usn = [rec[usa], rec[usa + 1]];
    for stride in 0..size / ntfs_links::record::STRIDE {
        let end = (stride + 1) * 512 - 2;
        rec[usa + 2 + 2 * stride] = rec[end];
        rec[usa + 3 + 2 * stride] = rec[end + 1];
        rec[end] = usn[0];
        rec[end + 1] = usn[1];
    }
}

/// Offset of the first attribute of type `code` in a record (fixups applied).
pub fn attribute_offset(rec: &[u8], code: u32, nth: usize) -> usize {
    let mut at = u16::from_le_bytes([rec[20], rec[21]]) as usize;
    let mut seen = 0;
    loop {
        let t = u32::from_le_bytes(rec[at..at + 4].try_into().unwrap());
        assert_ne!(t, 0xFFFF_FFFF, "attribute {code:#x} #{nth} not found");
        if t == code {
            if seen == nth {
                return at;
            }
            seen += 1;
        }
        at += u32::from_le_bytes(rec[at + 4..at + 8].try_into().unwrap()) as usize;
    }
}

/// Offset of the value of the resident attribute at `attr`.
pub fn value_offset(rec: &[u8], attr: usize) -> usize {
    attr + u16::from_le_bytes([rec[attr + 20], rec[attr + 21]]) as usize
}

/// The report of record `n`.
pub fn record(reports: &[RecordReport], n: u64) -> &RecordReport {
    reports
        .iter()
        .find(|r| r.record == n)
        .unwrap_or_else(|| panic!("record {n} not reported"))
}

/// Every committed fixture image (file names).
pub fn fixture_images() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(fixture(""))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".img"))
        .collect();
    out.sort();
    out
}

/// Runs the built binary.
pub fn run(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_ntfs-links"))
        .args(args)
        .output()
        .expect("binary runs")
}

/// Runs the built binary, which must succeed; its standard output.
pub fn stdout(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A fixture's path as a string, for command lines.
pub fn img(name: &str) -> String {
    fixture(name).to_str().unwrap().to_owned()
}

/// One line of `fls -r -p` output: deleted or not, record number, path.
pub struct FlsEntry {
    pub deleted: bool,
    pub record: u64,
    pub path: String,
}

pub fn parse_fls(text: &str) -> Vec<FlsEntry> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (head, rest) = l.split_once(":\t").expect("fls line");
            let parts: Vec<&str> = head.split_whitespace().collect();
            let record = parts
                .last()
                .unwrap()
                .split('-')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            FlsEntry {
                deleted: parts.contains(&"*"),
                record,
                path: format!("/{}", rest.split('\t').next().unwrap()),
            }
        })
        .collect()
}

/// The variable CI sets (`.ci/run`) so that a missing data set or reference tool
/// fails the run instead of being skipped.
pub const REQUIRE_EXTERNAL: &str = "NTFS_LINKS_REQUIRE_EXTERNAL";

/// Says that a test cannot run because `what` is missing: a failure when
/// [`REQUIRE_EXTERNAL`] is `1` (CI), a message and a skip otherwise (a user's
/// clone without `../shared/external` or sleuthkit).
pub fn unavailable(what: &str) {
    if std::env::var_os(REQUIRE_EXTERNAL).is_some_and(|v| v == "1") {
        panic!("{what}, and {REQUIRE_EXTERNAL}=1 says this run must have it");
    }
    eprintln!("skipped: {what}");
}

/// `../shared/external/SUB`, or `None` (after [`unavailable`]) when absent.
pub fn external_dir(sub: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/external")
        .join(sub);
    if dir.exists() {
        return Some(dir);
    }
    unavailable(&format!(
        "{} is absent (a clone without ../shared/external)",
        dir.display()
    ));
    None
}

/// True when `tool` runs; else [`unavailable`] and false.
pub fn have_tool(tool: &str, version_flag: &str) -> bool {
    if Command::new(tool).arg(version_flag).output().is_ok() {
        return true;
    }
    unavailable(&format!("{tool} is not installed (.ci/run installs it)"));
    false
}

/// `../shared/external/SUB/NAME`, decompressed (`.gz`, `.bz2`) once into the
/// test scratch folder; `None` (after [`unavailable`]) when absent.
pub fn external_volume(sub: &str, name: &str) -> Option<PathBuf> {
    let src = external_dir(sub)?.join(name);
    let plain = name.trim_end_matches(".gz").trim_end_matches(".bz2");
    if plain == name {
        return Some(src);
    }
    let out =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{}-{plain}", sub.replace('/', "-")));
    if !out.exists() {
        let bytes = if name.ends_with(".gz") {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(
                &mut flate2::read::GzDecoder::new(std::fs::File::open(&src).unwrap()),
                &mut bytes,
            )
            .unwrap();
            bytes
        } else {
            let out = Command::new("bzip2")
                .arg("-dc")
                .arg(&src)
                .output()
                .expect("bzip2 runs");
            assert!(out.status.success(), "bzip2 -dc {}", src.display());
            out.stdout
        };
        let tmp = out.with_extension(format!("partial{}", std::process::id()));
        std::fs::write(&tmp, bytes).unwrap();
        std::fs::rename(tmp, &out).unwrap();
    }
    Some(out)
}

/// A small deterministic generator (xorshift64), so failures can be replayed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Asserts that `text` holds every one of `wants`, showing it whole when not.
#[track_caller]
pub fn assert_holds_all(text: &str, wants: &[&str]) {
    for want in wants {
        assert!(text.contains(want), "{want:?} in\n{text}");
    }
}
