//! Containers: the fixtures in every container ntfs-links reads, written by the
//! reference tools (`fixtures/containers/make.sh`, run once into
//! `target/containers-test/`), read back byte for byte as the reference tools
//! read them, scanned as the raw fixtures are, and refused with their reason
//! where they cannot be read. Damaged containers end in an error, never a
//! panic.

mod common;

use common::{img, run, stdout, unavailable};
use md5::Digest;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::LazyLock;

/// The samples, built on first use; `None` (after [`unavailable`]) without the
/// reference tools.
static SAMPLES: LazyLock<Option<PathBuf>> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = root.join("target/containers-test");
    let script = root.join("fixtures/containers/make.sh");
    let stamp = out.join("REFERENCE");
    let newer = |p: &Path| {
        let m = |p: &Path| p.metadata().and_then(|m| m.modified()).ok();
        match (m(p), m(&stamp)) {
            (Some(a), Some(b)) => a > b,
            _ => true,
        }
    };
    if !newer(&script) && !newer(&root.join("fixtures/containers/craft.py")) {
        return Some(out);
    }
    for tool in ["qemu-img", "qemu-io", "ewfacquire", "ewfexport"] {
        if Command::new(tool).arg("--help").output().is_err() {
            unavailable(&format!(
                "{tool} is not installed (qemu-utils, ewf-tools: .ci/run installs them)"
            ));
            return None;
        }
    }
    let status = Command::new("bash")
        .arg(&script)
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("bash runs");
    assert!(status.success(), "fixtures/containers/make.sh failed");
    Some(out)
});

/// (sample, reference MD5 of its disk) from REFERENCE.
fn references(dir: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(dir.join("REFERENCE"))
        .unwrap()
        .lines()
        .filter_map(|l| {
            let (md5, path) = l.split_once(' ')?;
            Some((path.to_owned(), md5.to_owned()))
        })
        .collect()
}

fn disk_md5(path: &Path) -> ntfs_links::Result<String> {
    let image = ntfs_links::Image::open(path, Default::default())?;
    let mut hasher = md5::Md5::new();
    let mut buf = vec![0u8; 3 << 20];
    let mut at = 0;
    while at < image.len() {
        let n = buf.len().min((image.len() - at) as usize);
        image.read_at(at, &mut buf[..n], "disk")?;
        hasher.update(&buf[..n]);
        at += n as u64;
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

#[test]
fn every_sample_reads_as_the_reference_tool_reads_it() {
    let Some(dir) = SAMPLES.as_ref() else { return };
    let refs = references(dir);
    assert!(refs.len() >= 40, "{} samples", refs.len());
    let c512 = std::fs::read(common::fixture("c512.img")).unwrap();
    for (sample, want) in refs {
        if sample.contains("big-") {
            big_disk_reads(&dir.join(&sample), &c512);
            continue;
        }
        let got = disk_md5(&dir.join(&sample)).unwrap_or_else(|e| panic!("{sample}: {e}"));
        assert_eq!(got, want, "{sample}");
    }
}

/// A 4.5 GiB sparse disk (whole, its MD5 is REFERENCE's; read whole in a
/// debug build it is slow): c512 at 0, 4 KiB of `M` across 2 GiB (a VMDK
/// extent boundary), 4 KiB of `N` at 4 GiB + 1 MiB (past a VHDX chunk), zeros
/// around them and at the end.
fn big_disk_reads(path: &Path, c512: &[u8]) {
    let image = ntfs_links::Image::open(path, Default::default()).unwrap();
    let name = path.display();
    assert_eq!(image.len(), 4608 << 20, "{name}");
    let mut head = vec![0u8; c512.len()];
    image.read_at(0, &mut head, "head").unwrap();
    assert!(head == c512, "{name}: c512 at 0");
    for (at, byte) in [
        ((2u64 << 30) - 2048, b'M'),
        ((4u64 << 30) + (1 << 20), b'N'),
    ] {
        let mut b = vec![0u8; 4096 + 2048];
        image.read_at(at - 1024, &mut b, "marker").unwrap();
        assert!(b[..1024].iter().all(|&x| x == 0), "{name} before {at:#x}");
        assert!(
            b[1024..1024 + 4096].iter().all(|&x| x == byte),
            "{name} at {at:#x}"
        );
        assert!(
            b[1024 + 4096..].iter().all(|&x| x == 0),
            "{name} after {at:#x}"
        );
    }
    let mut tail = vec![0xFFu8; 1 << 20];
    image
        .read_at(image.len() - tail.len() as u64, &mut tail, "tail")
        .unwrap();
    assert!(tail.iter().all(|&x| x == 0), "{name}: zeros at the end");
}

/// Every container of c512.img scans to the raw fixture's very jsonl; of
/// disk-gpt.img, partition 2's.
#[test]
fn every_sample_scans_as_its_fixture() {
    let Some(dir) = SAMPLES.as_ref() else { return };
    let c512 = stdout(&["scan", "--format", "jsonl", &img("c512.img")]);
    let gpt = stdout(&[
        "scan",
        "--format",
        "jsonl",
        "--partition",
        "2",
        &img("disk-gpt.img"),
    ]);
    for (sample, _) in references(dir) {
        if sample.contains("child") || sample.contains("partial") || sample.contains("zero") {
            continue; // changed on purpose
        }
        let path = dir.join(&sample);
        let path = path.to_str().unwrap();
        let (want, args): (&str, Vec<&str>) = if sample.contains("gpt") {
            (
                &gpt,
                vec!["scan", "--format", "jsonl", "--partition", "2", path],
            )
        } else {
            (&c512, vec!["scan", "--format", "jsonl", path])
        };
        assert_eq!(stdout(&args), want, "{sample}");
    }
}

/// A changed child reads its own bytes over its parent's, and scans.
#[test]
fn children_read_through_their_parents() {
    let Some(dir) = SAMPLES.as_ref() else { return };
    for child in [
        "vhd/c512-child.vhd",
        "vhdx/c512-child.vhdx",
        "vmdk/c512-child.vmdk",
        "qcow2/c512-child.qcow2",
        "qcow2/c512-grandchild.qcow2",
        "qcow2/c512-child-rawbase.qcow2",
    ] {
        let path = dir.join(child);
        let image = ntfs_links::Image::open(&path, Default::default()).unwrap();
        let mut a = vec![0u8; 4096];
        image.read_at(0x169000, &mut a, "patch A").unwrap();
        assert!(a.iter().all(|&b| b == 0x41), "{child}");
        let info = image.container().unwrap();
        assert!(info.parent.is_some(), "{child}: {info:?}");
        stdout(&["scan", path.to_str().unwrap()]);
    }
    let text = stdout(&[
        "info",
        dir.join("qcow2/c512-grandchild.qcow2").to_str().unwrap(),
    ]);
    assert_eq!(text.matches("parent:").count(), 2, "{text}");
}

/// What cannot be read is refused, saying why, with exit 2.
#[test]
fn what_cannot_be_read_is_refused_with_its_reason() {
    let Some(dir) = SAMPLES.as_ref() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let ewf2 = tmp.path().join("x.Ex01");
    let mut b = b"EVF2\x0d\x0a\x81\x00".to_vec();
    b.resize(4096, 0);
    std::fs::write(&ewf2, &b).unwrap();
    let l01 = tmp.path().join("x.L01");
    b[..8].copy_from_slice(b"LVF\x09\x0d\x0a\xff\x00");
    std::fs::write(&l01, &b).unwrap();
    let cases: Vec<(PathBuf, &str)> = vec![
        (dir.join("qcow2/c512-luks.qcow2"), "encrypted (LUKS)"),
        (dir.join("qcow2/c512-extl2.qcow2"), "extended L2"),
        (dir.join("qcow2/c512-datafile.qcow2"), "external data file"),
        (
            dir.join("vhdx/c512-log.vhdx"),
            "log may hold writes not yet applied",
        ),
        (ewf2, "EWF2"),
        (l01, "logical evidence file"),
    ];
    for (path, why) in cases {
        let out = run(&["scan", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{}", path.display());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(why) && err.lines().count() == 1,
            "{}: {err}",
            path.display()
        );
    }
}

/// A missing segment, extent or parent is named.
#[test]
fn a_missing_part_is_named() {
    let Some(dir) = SAMPLES.as_ref() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let copy = |from: &str, to: &str| {
        std::fs::copy(dir.join(from), tmp.path().join(to)).unwrap();
    };
    for n in ["E01", "E03", "E04"] {
        copy(&format!("ewf/gpt-split.{n}"), &format!("gpt-split.{n}"));
    }
    for n in ["001", "003"] {
        copy(&format!("split/c512.{n}"), &format!("c512.{n}"));
    }
    copy("qcow2/c512-child.qcow2", "c512-child.qcow2");
    copy("vhdx/c512-child.vhdx", "c512-child.vhdx");
    copy("vhd/c512-child.vhd", "c512-child.vhd");
    copy("vmdk/c512-child.vmdk", "c512-child.vmdk");
    for (file, named) in [
        ("gpt-split.E01", "gpt-split.E02"),
        ("c512.001", "c512.002"),
        ("c512-child.qcow2", "c512-v3.qcow2"),
        ("c512-child.vhdx", "c512-dynamic2m.vhdx"),
        ("c512-child.vhd", "c512-forcesize.vhd"),
        ("c512-child.vmdk", "c512-monolithicSparse.vmdk"),
    ] {
        let out = run(&["info", tmp.path().join(file).to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{file}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(named), "{file}: {err}");
    }
}

/// `info` says what the container is; `--verify-hash` recomputes EWF's hashes
/// and exits 1 when the stored one differs.
#[test]
fn info_shows_the_container_and_verifies_its_hash() {
    let Some(dir) = SAMPLES.as_ref() else { return };
    let e01 = dir.join("ewf/c512-best.E01");
    let text = stdout(&["info", "--verify-hash", e01.to_str().unwrap()]);
    common::assert_holds_all(
        &text,
        &[
            "container:           EWF",
            "  case number:       CASE-2024-001",
            "  examiner:          Jane Examiner",
            "  evidence number:   EV-7",
            "  acquisition software version: 20140813",
            "  stored MD5:        66fa7d6ec679b1830b4d5585a8d5fcb6",
            "MD5 of the disk:     matches",
            "label:               c512",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&[
        "info",
        "--format",
        "json",
        e01.to_str().unwrap(),
    ]))
    .unwrap();
    assert_eq!(json["container"]["format"], "EWF");
    let text = stdout(&[
        "info",
        dir.join("ewf/gpt-split.E01").to_str().unwrap(),
        "--partition",
        "2",
    ]);
    assert_eq!(text.matches("  file:").count(), 4, "{text}");
    // A stored MD5 that is not the disk's.
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.E01");
    let mut bytes = std::fs::read(&e01).unwrap();
    let md5 = [0x66u8, 0xfa, 0x7d, 0x6e];
    let at = bytes.windows(4).rposition(|w| w == md5).unwrap();
    bytes[at] ^= 0xFF;
    std::fs::write(&bad, &bytes).unwrap();
    let out = run(&["info", "--verify-hash", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("MISMATCH"));
}

/// Byte flips in the structures of every container: each read ends in an
/// answer or an error, never a panic or a signal.
#[test]
fn damaged_containers_never_panic() {
    let Some(dir) = SAMPLES.as_ref() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let samples = [
        "ewf/c512-best.E01",
        "ewf/c512-none.E01",
        "ewf/c512-smart.s01",
        "vhd/c512-dynamic.vhd",
        "vhdx/c512-dynamic.vhdx",
        "vmdk/c512-monolithicSparse.vmdk",
        "vmdk/c512-streamOptimized.vmdk",
        "qcow2/c512-zlib.qcow2",
        "qcow2/c512-v3.qcow2",
    ];
    let mut rng = common::Rng(0x2545_F491_4F6C_DD1D);
    let mut next = move || rng.next();
    for sample in samples {
        let original = std::fs::read(dir.join(sample)).unwrap();
        let name = Path::new(sample).file_name().unwrap();
        for round in 0..12 {
            let mut bytes = original.clone();
            // Structures live near the start (headers, tables) and the end
            // (footers, EWF's last sections).
            let span = bytes.len().min(256 * 1024) as u64;
            for _ in 0..8 {
                let near_end = next() % 3 == 0;
                let at = (next() % span) as usize;
                let at = if near_end {
                    bytes.len() - 1 - at.min(bytes.len() - 1)
                } else {
                    at
                };
                bytes[at] ^= (next() % 255 + 1) as u8;
            }
            let path = tmp.path().join(name);
            std::fs::write(&path, &bytes).unwrap();
            let path = path.to_str().unwrap();
            for args in [
                vec!["scan", "--format", "jsonl", path],
                vec!["info", "--verify-hash", path],
            ] {
                let out = run(&args);
                assert!(
                    matches!(out.status.code(), Some(0..=2)),
                    "{sample} round {round} {args:?}: {:?}\n{}",
                    out.status,
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
    }
}

/// A raw volume whose last sector looks like a VHD footer, but one that does
/// not describe a disk the file holds (a VHD cut short and kept as raw, like
/// go-ntfs' charlie.dd), is read as raw.
#[test]
fn a_raw_volume_ending_in_a_stray_vhd_footer_stays_raw() {
    let Some(dir) = SAMPLES.as_ref() else { return };
    let vhd = std::fs::read(dir.join("vhd/c512-fixed.vhd")).unwrap();
    let mut bytes = std::fs::read(common::fixture("c512.img")).unwrap();
    bytes.extend_from_slice(&vhd[vhd.len() - 512..]);
    let tmp = tempfile::tempdir().unwrap();
    let raw = tmp.path().join("c512-with-footer.dd");
    std::fs::write(&raw, &bytes).unwrap();
    let image = ntfs_links::Image::open(&raw, Default::default()).unwrap();
    assert!(image.container().is_none());
    assert_eq!(
        stdout(&["scan", "--format", "jsonl", raw.to_str().unwrap()]),
        stdout(&["scan", "--format", "jsonl", &img("c512.img")])
    );
}

/// A parent under the expected name that is not the disk the child was made
/// from is refused (VHD unique id, VHDX parent linkage, VMDK CID), never read
/// as if it were; a single-segment E01 renamed still reads.
#[test]
fn a_wrong_parent_is_refused_and_a_renamed_e01_reads() {
    let Some(dir) = SAMPLES.as_ref() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let put = |from: &str, to: &str| {
        std::fs::copy(dir.join(from), tmp.path().join(to)).unwrap();
    };
    put("vhd/c512-child.vhd", "c512-child.vhd");
    put("vhd/c512-dynamic.vhd", "c512-forcesize.vhd");
    put("vmdk/c512-child.vmdk", "c512-child.vmdk");
    put(
        "vmdk/c512-streamOptimized.vmdk",
        "c512-monolithicSparse.vmdk",
    );
    put("vhdx/c512-child.vhdx", "c512-child.vhdx");
    put("vhdx/c512-dynamic.vhdx", "c512-dynamic2m.vhdx");
    for child in ["c512-child.vhd", "c512-child.vmdk", "c512-child.vhdx"] {
        let out = run(&["info", tmp.path().join(child).to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{child}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("is not the disk this one was made from"),
            "{child}: {err}"
        );
    }
    put("ewf/c512-best.E01", "evidence.img");
    let renamed = tmp.path().join("evidence.img");
    assert_eq!(
        disk_md5(&renamed).unwrap(),
        disk_md5(&dir.join("ewf/c512-best.E01")).unwrap()
    );
}
