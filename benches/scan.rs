//! Criterion benchmarks: whole scans of the committed fixtures, and the per-record
//! steps of the hot path (fixups, record view, attribute walk). Inputs are loaded
//! outside the timed loops. Large generated images belong to the performance work.

#![allow(missing_docs)] // criterion_group! generates undocumented functions

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ntfs_links::record::{RecordView, apply_fixups};
use ntfs_links::{Scan, ScanOptions};
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
        let volume = ntfs_links::open(fixture(image), Default::default(), None, None).unwrap();
        group.throughput(Throughput::Elements(volume.record_count()));
        group.bench_function(image, |b| {
            b.iter(|| {
                Scan::run(&volume, ScanOptions::default())
                    .unwrap()
                    .record_count()
            })
        });
        let scan = Scan::run(&volume, ScanOptions::default()).unwrap();
        group.bench_function(format!("{image} jsonl"), |b| {
            b.iter(|| {
                let mut out = Vec::with_capacity(1 << 20);
                ntfs_links::output::write_scan(&scan, ntfs_links::output::Format::Jsonl, &mut out)
                    .unwrap();
                out.len()
            })
        });
    }
    group.finish();
}

fn per_record(c: &mut Criterion) {
    let volume = ntfs_links::open(fixture("basic.img"), Default::default(), None, None).unwrap();
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

criterion_group!(benches, whole_scans, per_record);
criterion_main!(benches);
