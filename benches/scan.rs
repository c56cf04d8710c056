//! Criterion benchmarks: whole scans of the committed fixtures and of generated
//! 100k- and 1M-file images, and the steps of the hot path (fixups, record view,
//! name decoding, reparse decoding, path resolution). Inputs are loaded outside
//! the timed loops.
//!
//! The large images are built on first use by `fixtures/large.py` (root, ntfs-3g,
//! FUSE; a few minutes for 1M files) and kept under `target/large/`; where they
//! cannot be built, those benches are skipped with a message. `cargo test` never
//! builds them.

#![allow(missing_docs)] // criterion_group! generates undocumented functions

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ntfs_links::record::{RecordView, apply_fixups};
use ntfs_links::{Analysis, Reports, Scan, ScanOptions, Tree};
use std::hint::black_box;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

fn whole_scans(c: &mut Criterion) {
    let mut group = c.benchmark_group("scan");
    for image in ["basic.img", "fragmented.img"] {
        let volume = ntfs_links::open(fixture(image), Default::default()).unwrap();
        group.throughput(Throughput::Elements(volume.record_count()));
        group.bench_function(image, |b| {
            b.iter(|| {
                Scan::run(&volume, ScanOptions::default())
                    .unwrap()
                    .record_count()
            })
        });
        let scan = Scan::run(&volume, ScanOptions::default()).unwrap();
        let analysis = Analysis::run(&volume, Tree::new(scan), Default::default());
        let reports = Reports::new(&analysis, Default::default());
        group.bench_function(format!("{image} jsonl"), |b| {
            b.iter(|| {
                let mut out = Vec::with_capacity(1 << 20);
                ntfs_links::output::write_scan(
                    &reports,
                    ntfs_links::output::Format::Jsonl,
                    Default::default(),
                    &mut out,
                )
                .unwrap();
                out.len()
            })
        });
    }
    group.finish();
}

fn per_record(c: &mut Criterion) {
    let volume = ntfs_links::open(fixture("basic.img"), Default::default()).unwrap();
    let n = volume.record_count().min(256);
    let mut raw = vec![0u8; n as usize * 1024];
    volume.mft().read(volume.image(), 0, &mut raw).unwrap();
    let mut group = c.benchmark_group("record");
    group.throughput(Throughput::Elements(n));
    let mut buf = raw.clone();
    group.bench_function("fixups", |b| {
        b.iter(|| {
            buf.copy_from_slice(&raw);
            for rec in buf.chunks_exact_mut(1024) {
                let _ = black_box(apply_fixups(rec));
            }
        })
    });
    let mut fixed = raw.clone();
    for rec in fixed.chunks_exact_mut(1024) {
        let _ = apply_fixups(rec);
    }
    group.bench_function("view and attributes", |b| {
        b.iter(|| {
            let mut count = 0usize;
            for rec in fixed.chunks_exact(1024) {
                if let Ok(view) = RecordView::new(rec) {
                    count += view.attributes().flatten().count();
                }
            }
            count
        })
    });
    group.finish();
}

/// The generated image of `files` files, built on first use.
fn large_image(files: u64) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/large");
    let path = dir.join(format!("files-{files}.img"));
    if path.exists() {
        return Some(path);
    }
    std::fs::create_dir_all(&dir).ok()?;
    eprintln!(
        "building {} (fixtures/large.py; a few minutes for 1M files)",
        path.display()
    );
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/large.py");
    let built = std::process::Command::new("python3")
        .arg(script)
        .arg(files.to_string())
        .arg(&path)
        .status()
        .is_ok_and(|s| s.success());
    if !built {
        eprintln!(
            "skipped: cannot build {} (needs root, ntfs-3g and FUSE)",
            path.display()
        );
        let _ = std::fs::remove_file(&path);
        return None;
    }
    Some(path)
}

fn large_scans(c: &mut Criterion) {
    let mut group = c.benchmark_group("large");
    group.sample_size(10);
    for files in [100_000u64, 1_000_000] {
        let Some(path) = large_image(files) else {
            continue;
        };
        let volume = ntfs_links::open(&path, Default::default()).unwrap();
        group.throughput(Throughput::Elements(volume.record_count()));
        group.bench_function(format!("scan {files}"), |b| {
            b.iter(|| {
                Scan::run(&volume, ScanOptions::default())
                    .unwrap()
                    .record_count()
            })
        });
        group.bench_function(format!("scan and jsonl {files}"), |b| {
            b.iter(|| {
                let scan = Scan::run(&volume, ScanOptions::default()).unwrap();
                let analysis = Analysis::run(&volume, Tree::new(scan), Default::default());
                let reports = Reports::new(&analysis, Default::default());
                let mut sink = std::io::sink();
                ntfs_links::output::write_jsonl(&reports, &mut sink).unwrap();
            })
        });
        // The bless loop: `expect` (scan, bless, TOML) and `verify` of what it
        // wrote (parse, scan, check), as the command line runs them.
        let bless = || {
            let scan = Scan::run(&volume, ScanOptions::default()).unwrap();
            let analysis = Analysis::run(&volume, Tree::new(scan), Default::default());
            let reports = Reports::new(&analysis, Default::default());
            let blessed = ntfs_links::verify::bless(&reports, &[]).unwrap();
            let mut toml = Vec::new();
            ntfs_links::output::write_expectations(&blessed, "image", &mut toml).unwrap();
            String::from_utf8(toml).unwrap()
        };
        group.bench_function(format!("expect {files}"), |b| b.iter(bless));
        let toml = bless();
        group.bench_function(format!("verify {files}"), |b| {
            b.iter(|| {
                let expectations = ntfs_links::verify::Expectations::from_toml(&toml).unwrap();
                let scan = Scan::run(&volume, ScanOptions::default()).unwrap();
                let analysis = Analysis::run(&volume, Tree::new(scan), Default::default());
                let reports = Reports::new(&analysis, Default::default());
                assert!(ntfs_links::verify::verify(&reports, &expectations).is_ok());
            })
        });
    }
    group.finish();
}

fn decoding(c: &mut Criterion) {
    let volume = ntfs_links::open(fixture("reparse.img"), Default::default()).unwrap();
    let scan = Scan::run(&volume, ScanOptions::default()).unwrap();
    let buffers: Vec<Vec<u8>> = scan
        .records()
        .filter_map(|r| r.reparse_bytes().map(<[u8]>::to_vec))
        .collect();
    let mut group = c.benchmark_group("decode");
    group.throughput(Throughput::Elements(buffers.len() as u64));
    group.bench_function("reparse buffers", |b| {
        b.iter(|| {
            buffers
                .iter()
                .map(|buf| ntfs_links::reparse::decode(buf).data_length as usize)
                .sum::<usize>()
        })
    });
    let basic = ntfs_links::open(fixture("basic.img"), Default::default()).unwrap();
    let tree = Tree::new(Scan::run(&basic, ScanOptions::default()).unwrap());
    let scan = tree.scan();
    let names: usize = scan.records().map(|r| r.names().count()).sum();
    group.throughput(Throughput::Elements(names as u64));
    group.bench_function("names to strings", |b| {
        b.iter(|| {
            scan.records()
                .flat_map(|r| r.names())
                .map(|n| n.to_string_lossy().len())
                .sum::<usize>()
        })
    });
    group.bench_function("paths", |b| {
        let mut path = String::new();
        b.iter(|| {
            let mut total = 0;
            for r in scan.records() {
                for n in r.names() {
                    path.clear();
                    if tree.path_into(&n, &mut path).is_ok() {
                        total += path.len();
                    }
                }
            }
            total
        })
    });
    group.finish();
}

criterion_group!(benches, whole_scans, per_record, decoding, large_scans);
criterion_main!(benches);
