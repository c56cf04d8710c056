//! File content (`cat`, [`ntfs_links::content`]): checked against what was
//! written when `fixtures/content.img` was built (its manifest's `md5`), and
//! against sleuthkit's `icat` on every stream of every fixture and of the
//! external volumes, Windows-made ones included.

mod common;

use md5::{Digest, Md5};
use ntfs_links::content::Stream;
use ntfs_links::{Error, Volume};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// Streams larger than this are not compared with icat ($BadClus:$Bad is the
/// volume's size, all sparse).
const COMPARE_UP_TO: u64 = 64 << 20;

fn md5_hex(bytes: &[u8]) -> String {
    format!("{:x}", Md5::digest(bytes))
}

/// The MD5 of a stream's content as the library reads it.
fn our_md5(volume: &Volume, record: u64, stream: &str, slack: bool) -> Result<String, Error> {
    struct Hasher(Md5);
    impl std::io::Write for Hasher {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.update(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut h = Hasher(Md5::new());
    Stream::open(volume, record, stream)?.copy_to(&mut h, slack)?;
    Ok(format!("{:x}", h.0.finalize()))
}

fn manifest_md5() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(common::fixture("content.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["md5"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect()
}

#[test]
fn every_stream_reads_as_written() {
    let md5 = manifest_md5();
    assert!(md5.len() >= 20, "the manifest lists the streams written");
    let image = common::img("content.img");
    let volume = common::open("content.img", None, false);
    let tree = ntfs_links::Tree::new(ntfs_links::Scan::run(&volume, Default::default()).unwrap());
    for (target, want) in &md5 {
        let found = tree
            .locate(target)
            .unwrap_or_else(|| panic!("{target} not found"));
        let ours = our_md5(&volume, found.record, &found.stream, false)
            .unwrap_or_else(|e| panic!("{target}: {e}"));
        assert_eq!(&ours, want, "{target}: library");
        let out = common::run(&["cat", &image, target]);
        assert!(
            out.status.success(),
            "{target}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(&md5_hex(&out.stdout), want, "{target}: cat");
    }
}

#[test]
fn compressed_files_are_lznt1_and_read_whole() {
    let volume = common::open("content.img", None, false);
    let tree = ntfs_links::Tree::new(ntfs_links::Scan::run(&volume, Default::default()).unwrap());
    let mut lznt1 = 0;
    for path in [
        "/packed/prose.txt",
        "/packed/mixed.bin",
        "/packed/deeper/nested.txt",
    ] {
        let found = tree.locate(path).unwrap();
        let stream = Stream::open(&volume, found.record, "").unwrap();
        assert_eq!(stream.storage(), "lznt1", "{path}");
        assert_eq!(
            stream.slack_size(),
            None,
            "{path}: compressed: no slack as such"
        );
        lznt1 += 1;
        // Reads at any offset agree with the whole.
        let whole = stream.read_all(1 << 24).unwrap();
        for at in [
            0u64,
            1,
            4095,
            4096,
            65535,
            65536,
            65537,
            whole.len() as u64 - 3,
        ] {
            let mut buf = [0u8; 7000];
            let n = stream.read_at(at, &mut buf).unwrap();
            let end = (at as usize + n).min(whole.len());
            assert_eq!(&buf[..n], &whole[at as usize..end], "{path} at {at}");
        }
    }
    assert_eq!(lznt1, 3);
}

/// The WOF files of `content.img` (chunks written by wimlib, as
/// `fixtures/wof/make.py` made them) read through their algorithm; their
/// content is checked by `every_stream_reads_as_written`.
#[test]
fn wof_files_are_decompressed_by_their_algorithm() {
    let volume = common::open("content.img", None, false);
    let tree = ntfs_links::Tree::new(ntfs_links::Scan::run(&volume, Default::default()).unwrap());
    let mut seen = Vec::new();
    for target in manifest_md5().keys().filter(|k| k.starts_with("/wof/")) {
        let record = tree.locate(target).unwrap().record;
        let stream = Stream::open(&volume, record, "").unwrap();
        let want = match target.split_once('-').unwrap().0 {
            "/wof/xpress4096" => "wof_xpress4k",
            "/wof/xpress8192" => "wof_xpress8k",
            "/wof/xpress16384" => "wof_xpress16k",
            "/wof/lzx32768" => "wof_lzx",
            other => panic!("{other}"),
        };
        assert_eq!(stream.storage(), want, "{target}");
        seen.push(want);
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 4, "every algorithm: {seen:?}");
}

/// Every resource of `fixtures/wof` (XPRESS 4K/8K/16K and LZX, written by
/// wimlib in the WofCompressedData layout) decodes to its source's MD5.
#[test]
fn wof_vectors_decode() {
    let dir = common::fixture("wof");
    let manifest = std::fs::read_to_string(dir.join("manifest.txt")).unwrap();
    let mut checked = 0;
    for line in manifest.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        let [res, size, want] = fields[..] else {
            panic!("{line}")
        };
        let algorithm = match res.split('-').next().unwrap() {
            "xpress4096" => ntfs_links::content::codec::WofAlgorithm::Xpress4k,
            "xpress8192" => ntfs_links::content::codec::WofAlgorithm::Xpress8k,
            "xpress16384" => ntfs_links::content::codec::WofAlgorithm::Xpress16k,
            "lzx32768" => ntfs_links::content::codec::WofAlgorithm::Lzx,
            other => panic!("{other}"),
        };
        let data = std::fs::read(dir.join(res)).unwrap();
        let mut out = Vec::new();
        ntfs_links::content::codec::wof_decompress(
            algorithm,
            &data,
            size.parse().unwrap(),
            &mut out,
        )
        .unwrap_or_else(|e| panic!("{res}: {e}"));
        assert_eq!(md5_hex(&out), want, "{res}");
        checked += 1;
    }
    assert_eq!(checked, 16, "4 sources in 4 codecs");
}

#[test]
fn a_hard_link_reads_as_every_other_name() {
    let image = common::img("content.img");
    let a = common::run(&["cat", &image, "/packed/prose.txt"]);
    let b = common::run(&["cat", &image, r"C:\LINKS\PROSE-ALIAS.TXT"]);
    assert!(a.status.success() && b.status.success());
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn targets_in_every_form() {
    let image = common::img("content.img");
    let want = common::run(&["cat", &image, "/streams/host.txt:Zone.Identifier"]).stdout;
    assert_eq!(want, b"[ZoneTransfer]\r\nZoneId=3\r\n");
    let volume = common::open("content.img", None, false);
    let tree = ntfs_links::Tree::new(ntfs_links::Scan::run(&volume, Default::default()).unwrap());
    let record = tree.locate("/streams/host.txt").unwrap().record;
    for target in [
        r"\streams\host.txt:zone.identifier".to_owned(),
        r"C:\streams\host.txt:Zone.Identifier:$DATA".to_owned(),
        format!("{record}:Zone.Identifier"),
        format!("{record:#x}:Zone.Identifier:$DATA"),
    ] {
        let out = common::run(&["cat", &image, &target]);
        assert_eq!(
            out.stdout,
            want,
            "{target}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let unnamed = common::run(&["cat", &image, "/streams/host.txt::$DATA"]).stdout;
    assert_eq!(unnamed, b"the unnamed stream\n");
}

#[test]
fn what_cannot_be_read_is_one_line_and_exit_2() {
    let image = common::img("content.img");
    for (target, says) in [
        (
            "/streams/host.txt:nothing",
            "no such stream (the record has: (unnamed), Zone.Identifier, big)",
        ),
        (
            "/streams/dir",
            "no such stream (the record has: on-a-directory)",
        ),
        ("/no/such/file", "no record has the path /no/such/file"),
        ("999999", "beyond the $MFT"),
    ] {
        let out = common::run(&["cat", &image, target]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{target}");
        assert!(out.stdout.is_empty(), "{target}");
        assert!(err.contains(says), "{target}: {err}");
        assert_eq!(err.lines().count(), 1, "{target}: {err}");
    }
}

#[test]
fn encrypted_files_are_refused() {
    // FILE_ATTRIBUTE_ENCRYPTED set in /tiny.txt's $STANDARD_INFORMATION.
    let mut bytes = std::fs::read(common::fixture("content.img")).unwrap();
    let volume = common::open("content.img", None, false);
    let tree = ntfs_links::Tree::new(ntfs_links::Scan::run(&volume, Default::default()).unwrap());
    let record = tree.locate("/tiny.txt").unwrap().record;
    common::patch_record(&mut bytes, record, |rec| {
        let si = common::attribute_offset(rec, 0x10, 0);
        let v = common::value_offset(rec, si);
        rec[v + 33] |= 0x40; // file attributes (at 32), bit 0x4000
    });
    let volume = Volume::open(ntfs_links::Image::from_bytes(bytes), 0).unwrap();
    let err = Stream::open(&volume, record, "").expect_err("refused");
    assert!(err.to_string().contains("EFS-encrypted"), "{err}");
}

#[test]
fn a_bare_mft_gives_resident_content_and_refuses_the_rest() {
    let mft = Path::new(env!("CARGO_TARGET_TMPDIR")).join("content-mft.bin");
    let image = common::img("content.img");
    std::fs::write(&mft, common::run(&["cat", &image, "0"]).stdout).unwrap();
    let volume =
        Volume::open_mft_file(ntfs_links::Image::open(&mft, Default::default()).unwrap()).unwrap();
    let full = common::open("content.img", None, false);
    let tree = ntfs_links::Tree::new(ntfs_links::Scan::run(&full, Default::default()).unwrap());
    let tiny = tree.locate("/tiny.txt").unwrap().record;
    let big = tree.locate("/random-1m.bin").unwrap().record;
    let s = Stream::open(&volume, tiny, "").unwrap();
    assert_eq!(s.read_all(100).unwrap(), b"resident: held in the record\n");
    let err = Stream::open(&volume, big, "")
        .expect_err("refused")
        .to_string();
    assert!(err.contains("a bare $MFT holds no clusters"), "{err}");
}

/// Every stream of every reported record of `image`, compared with `icat`
/// (`sector` is the volume's first sector in a disk image). Returns the number
/// of streams compared.
fn agree_with_icat(image: &Path, volume: &Volume, sector: u64) -> usize {
    let reports = common::reports(volume, false);
    // Named streams by the address fls gives them (sleuthkit numbers the
    // attributes held in extension records its own way); fls only runs when
    // a named stream is there to compare.
    let named = reports.iter().any(|r| !r.streams.is_empty());
    let fls = Command::new(if named { "fls" } else { "true" })
        .args(["-r", "-o", &sector.to_string()])
        .arg(image)
        .output()
        .unwrap();
    let mut addresses: BTreeMap<(u64, String), String> = BTreeMap::new();
    for line in String::from_utf8_lossy(&fls.stdout).lines() {
        let Some((addr, name)) = line.split_once(":\t") else {
            continue;
        };
        let addr = addr
            .rsplit(' ')
            .next()
            .unwrap_or_default()
            .trim_end_matches(['*', ' ']);
        let record = addr.split('-').next().and_then(|r| r.parse().ok());
        if let (Some(record), Some((_, stream))) = (record, name.rsplit_once(':')) {
            addresses.insert((record, stream.to_owned()), addr.to_owned());
        }
    }
    let mut compared = 0;
    let mut differ = Vec::new();
    // One process per stream: on an image of thousands of files, every
    // k-th record (all of them on the others).
    let step = (reports.len() / 600).max(1);
    for r in reports.iter().step_by(step) {
        let Ok(streams) = Stream::list(volume, r.record) else {
            continue;
        };
        for s in streams {
            // icat prints nothing for $BadClus:$Bad (the volume's size, sparse);
            // it reads as zeros here, as Windows reads it. icat reads a WOF
            // file's unnamed stream as the sparse zeros on disk; it is
            // decompressed here (checked against the fixture's manifest).
            let bad_clusters = r.record == 8 && s.name == "$Bad";
            let wof = s.name.is_empty()
                && Stream::open(volume, r.record, "")
                    .is_ok_and(|s| s.storage().starts_with("wof_"));
            if s.size > COMPARE_UP_TO || s.storage == "encrypted" || bad_clusters || wof {
                continue;
            }
            // The unnamed stream by record alone (sleuthkit numbers attributes
            // held in extension records its own way), named ones by id.
            let address = if s.name.is_empty() {
                r.record.to_string()
            } else {
                addresses
                    .get(&(r.record, s.name.clone()))
                    .cloned()
                    .unwrap_or_else(|| format!("{}-128-{}", r.record, s.id))
            };
            let icat = Command::new("icat")
                .args(["-o", &sector.to_string()])
                .arg(image)
                .arg(address)
                .output()
                .unwrap();
            let ours = our_md5(volume, r.record, &s.name, false);
            let theirs = md5_hex(&icat.stdout);
            match ours {
                Ok(ours) if ours == theirs => {}
                // icat reads a WOF file's unnamed stream as the sparse zeros it
                // is on disk; we decompress (checked by md5 elsewhere).
                // A WOF reparse point without its data (reparse.img's, made by
                // hand): nothing to decompress, which Windows would refuse too.
                Err(Error::Content {
                    problem:
                        ntfs_links::error::ContentProblem::WofWithoutData
                        | ntfs_links::error::ContentProblem::WofWim,
                    ..
                }) => {}
                Ok(_) if !icat.status.success() => differ.push(format!(
                    "{} {:?}: icat failed: {}",
                    r.record,
                    s.name,
                    String::from_utf8_lossy(&icat.stderr)
                )),
                Ok(ours) => differ.push(format!(
                    "{} {:?}: ours {ours}, icat {theirs}",
                    r.record, s.name
                )),
                Err(e) => differ.push(format!("{} {:?}: {e}", r.record, s.name)),
            }
            compared += 1;
        }
    }
    assert!(differ.is_empty(), "{}: {differ:#?}", image.display());
    compared
}

#[test]
fn every_fixture_stream_agrees_with_icat() {
    if !common::have_tool("icat", "-V") {
        return;
    }
    let mut total = 0;
    for name in common::fixture_images() {
        let path = common::fixture(&name);
        let image = ntfs_links::Image::open(&path, Default::default()).unwrap();
        // Every NTFS volume of a disk image.
        let offsets = match ntfs_links::image::locate_volume(&image, ntfs_links::Location::Find) {
            Ok(offset) => vec![offset],
            Err(_) => ntfs_links::image::partitions(&image)
                .1
                .iter()
                .enumerate()
                .filter_map(|(i, _)| {
                    ntfs_links::image::locate_volume(&image, ntfs_links::Location::Partition(i + 1))
                        .ok()
                })
                .collect(),
        };
        assert!(!offsets.is_empty(), "{name}");
        for offset in offsets {
            let image = ntfs_links::Image::open(&path, Default::default()).unwrap();
            let Ok(volume) = Volume::open(image, offset) else {
                continue;
            };
            total += agree_with_icat(&path, &volume, offset / 512);
        }
    }
    assert!(total > 1000, "{total} streams compared");
}

#[test]
fn external_volumes_agree_with_icat() {
    if !common::have_tool("icat", "-V") {
        return;
    }
    for (sub, name) in [
        ("dfir_ntfs", "ntfs3.raw.gz"),
        ("dfir_ntfs", "ntfs3_attrlist.raw.gz"),
        ("dfir_ntfs", "ntfs_index.raw.gz"),
        ("windows/jnode", "ntfs-links.dd.gz"),
        ("windows/jnode", "test.ntfs.gz"),
        ("windows/velocidex", "charlie.dd.bz2"),
        ("windows/ntfs-samples", "ntfs-ramslack.raw.gz"),
    ] {
        let Some(path) = common::external_volume(sub, name) else {
            return;
        };
        let volume = ntfs_links::open(&path, Default::default()).unwrap();
        let n = agree_with_icat(&path, &volume, volume.offset() / 512);
        assert!(n >= 10, "{name}: {n} streams");
    }
}

/// `ntfs-ramslack`'s `/1.txt` is compressed by Windows 10 (LZNT1).
#[test]
fn windows_made_lznt1() {
    let Some(path) = common::external_volume("windows/ntfs-samples", "ntfs-ramslack.raw.gz") else {
        return;
    };
    let volume = ntfs_links::open(&path, Default::default()).unwrap();
    let stream = Stream::open(&volume, 39, "").unwrap();
    assert_eq!((stream.storage(), stream.size()), ("lznt1", 6460));
    let text = stream.read_all(1 << 20).unwrap();
    assert!(!text.iter().all(|&b| b == 0));
}

#[test]
fn slack_agrees_with_icat_s() {
    if !common::have_tool("icat", "-V") {
        return;
    }
    let image = common::img("content.img");
    let volume = common::open("content.img", None, false);
    let tree = ntfs_links::Tree::new(ntfs_links::Scan::run(&volume, Default::default()).unwrap());
    for path in ["/odd-size.bin", "/five-k.txt", "/sparse/hole-then-data.bin"] {
        let record = tree.locate(path).unwrap().record;
        let stream = Stream::open(&volume, record, "").unwrap();
        let slack = stream.slack_size().unwrap();
        assert!(slack > 0, "{path}");
        let ours = common::run(&["cat", "--slack", &image, path]).stdout;
        assert_eq!(ours.len() as u64, stream.size() + slack, "{path}");
        let icat = Command::new("icat")
            .args(["-s", &image, &record.to_string()])
            .output()
            .unwrap();
        assert_eq!(md5_hex(&ours), md5_hex(&icat.stdout), "{path}");
    }
}

/// The manifest `extract` writes: one map of column to value per row.
fn manifest_rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        vec![
            "path",
            "stream",
            "record",
            "kind",
            "size",
            "md5",
            "sha256",
            "output",
            "target",
            "error",
            "deleted",
            "created",
            "modified",
            "mft_changed",
            "accessed"
        ]
    );
    reader.deserialize().map(Result::unwrap).collect()
}

fn fresh_dir(name: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn extract_writes_what_was_written_with_its_hashes() {
    let out = fresh_dir("extract-content");
    let run = common::run(&[
        "extract",
        &common::img("content.img"),
        "/",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let rows = manifest_rows(&String::from_utf8(run.stdout).unwrap());
    let md5 = manifest_md5();
    let mut checked = 0;
    for (target, want) in &md5 {
        let (path, stream) = target.split_once(':').unwrap_or((target, ""));
        let row = rows
            .iter()
            .find(|r| r["path"] == path && r["stream"] == stream)
            .unwrap_or_else(|| panic!("{target} not in the manifest"));
        assert_eq!(&row["md5"], want, "{target}");
        let file = std::fs::read(out.join(&row["output"])).unwrap();
        assert_eq!(&md5_hex(&file), want, "{target}: the file written");
        assert_eq!(row["size"], file.len().to_string());
        checked += 1;
    }
    assert_eq!(checked, md5.len());
    // A hard link is a copy, its row naming the same record.
    let alias = rows
        .iter()
        .find(|r| r["path"] == "/links/prose-alias.txt")
        .unwrap();
    let original = rows
        .iter()
        .find(|r| r["path"] == "/packed/prose.txt")
        .unwrap();
    assert_eq!(
        (&alias["record"], &alias["sha256"]),
        (&original["record"], &original["sha256"])
    );
    // Directories are made; every row with an output exists.
    for r in rows.iter().filter(|r| !r["output"].is_empty()) {
        assert!(out.join(&r["output"]).exists(), "{}", r["output"]);
    }
}

#[test]
fn extract_one_file_or_subtree() {
    let image = common::img("content.img");
    let out = fresh_dir("extract-one");
    let run = common::run(&[
        "extract",
        &image,
        "/streams/host.txt",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success());
    let mut names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["host.txt", "host.txt:Zone.Identifier", "host.txt:big"]
    );
    let out = fresh_dir("extract-sub");
    let manifest = out.with_extension("csv");
    let run = common::run(&[
        "extract",
        "--manifest",
        manifest.to_str().unwrap(),
        &image,
        r"C:\PACKED",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success() && run.stdout.is_empty());
    assert!(out.join("deeper/nested.txt").is_file());
    let rows = manifest_rows(&std::fs::read_to_string(&manifest).unwrap());
    assert!(rows.iter().all(|r| r["path"].starts_with("/packed")));
}

#[test]
fn extract_never_writes_outside_and_escapes_names() {
    let parent = fresh_dir("extract-hostile");
    let out = parent.join("out");
    let run = common::run(&[
        "extract",
        &common::img("hostile.img"),
        "/",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // Nothing beside the output directory.
    let beside: Vec<_> = std::fs::read_dir(&parent).unwrap().collect();
    assert_eq!(beside.len(), 1);
    let rows = manifest_rows(&String::from_utf8(run.stdout).unwrap());
    let mut written = 0;
    for r in &rows {
        if r["output"].is_empty() {
            continue;
        }
        written += 1;
        let path = out.join(&r["output"]);
        assert!(path.exists(), "{:?}", r["output"]);
        // Every component is one safe host name.
        for c in Path::new(&r["output"]).components() {
            let c = c.as_os_str().to_str().unwrap();
            assert!(
                !c.chars().any(ntfs_links::text::is_unsafe) && c != ".." && c != ".",
                "{c:?}"
            );
        }
    }
    assert!(written > 40, "{written}");
    // Links are listed with their target, not followed.
    let links: Vec<_> = rows
        .iter()
        .filter(|r| r["kind"] == "junction" || r["kind"] == "symlink")
        .collect();
    assert!(!links.is_empty());
    assert!(
        links
            .iter()
            .all(|r| r["output"].is_empty() && !r["target"].is_empty())
    );
}

#[test]
fn extract_refuses_a_directory_that_is_not_empty() {
    let out = fresh_dir("extract-busy");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("keep"), b"mine").unwrap();
    let run = common::run(&[
        "extract",
        &common::img("content.img"),
        "/",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("must be new or empty") && err.lines().count() == 1,
        "{err}"
    );
    assert_eq!(std::fs::read(out.join("keep")).unwrap(), b"mine");
}

/// `extract --deleted`: a deleted file whose name a live file took again is
/// written beside it as `NAME~deleted-RECORD`, with its old content, marked
/// in the manifest; without `--deleted`, only the live one. Files get the
/// modification time of their $STANDARD_INFORMATION.
#[test]
fn extract_deleted_files_and_times() {
    let text = std::fs::read_to_string(common::fixture("content.json")).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
    let deleted_md5 = manifest["deleted_md5"]["/saved/report.txt"]
        .as_str()
        .unwrap();
    let live_md5 = &manifest_md5()["/saved/report.txt"];
    let image = common::img("content.img");
    for deleted in [false, true] {
        let out = fresh_dir(&format!("extract-deleted-{deleted}"));
        let mut args = vec!["extract", &image, "/saved", out.to_str().unwrap()];
        if deleted {
            args.insert(1, "--deleted");
        }
        let run = common::run(&args);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let rows = manifest_rows(&String::from_utf8(run.stdout).unwrap());
        let reports: Vec<_> = rows
            .iter()
            .filter(|r| r["path"] == "/saved/report.txt")
            .collect();
        let live = reports.iter().find(|r| r["deleted"] == "false").unwrap();
        assert_eq!(
            (live["output"].as_str(), &live["md5"]),
            ("report.txt", live_md5)
        );
        if !deleted {
            assert_eq!(reports.len(), 1);
            assert!(rows.iter().all(|r| r["deleted"] == "false"));
            continue;
        }
        let old = reports.iter().find(|r| r["deleted"] == "true").unwrap();
        assert_eq!(
            old["output"],
            format!("report.txt~deleted-{}", old["record"])
        );
        assert_eq!(old["md5"], deleted_md5);
        let written = std::fs::read(out.join(&old["output"])).unwrap();
        assert_eq!(md5_hex(&written), deleted_md5);
        // The host file's modification time is $STANDARD_INFORMATION's.
        for row in [live, old] {
            let mtime = std::fs::metadata(out.join(&row["output"]))
                .unwrap()
                .modified()
                .unwrap();
            let secs = mtime
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs();
            let shown = &row["modified"];
            assert!(shown.ends_with('Z') && shown.len() == 28, "{shown}");
            let (y, mo, d) = (&shown[..4], &shown[5..7], &shown[8..10]);
            let (h, mi, se) = (&shown[11..13], &shown[14..16], &shown[17..19]);
            let days = days_from_civil(y.parse().unwrap(), mo.parse().unwrap(), d.parse().unwrap());
            let want = days * 86_400
                + h.parse::<i64>().unwrap() * 3600
                + mi.parse::<i64>().unwrap() * 60
                + se.parse::<i64>().unwrap();
            assert_eq!(secs as i64, want, "{}", row["output"]);
        }
    }
}

/// Days from 1970-01-01 to a civil date (H. Hinnant's days_from_civil).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}
