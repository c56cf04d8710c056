//! One MFT record: fixups, the record view, every attribute, names, runs and
//! attribute-list entries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ntfs_links::attribute::{FileName, StandardInformation};
use ntfs_links::record::{AttributeListEntries, RecordView, apply_fixups};

fuzz_target!(|data: &[u8]| {
    let size = if data.len() > 1024 { 4096 } else { 1024 };
    let mut rec = vec![0u8; size];
    let n = data.len().min(size);
    rec[..n].copy_from_slice(&data[..n]);
    let _ = apply_fixups(&mut rec);
    let Ok(view) = RecordView::new(&rec) else { return };
    let _ = (view.sequence(), view.link_count(), view.base_reference(), view.stored_record_number());
    for attr in view.attributes().flatten() {
        let _ = (attr.name().to_string_lossy(), attr.data_size(), attr.allocated_size());
        if let Some(v) = attr.value() {
            if let Some(f) = FileName::new(v) {
                let _ = (f.name().to_string_lossy(), f.parent(), f.namespace(), f.times());
            }
            if let Some(si) = StandardInformation::new(v) {
                let _ = si.file_attributes();
            }
            for e in AttributeListEntries::new(v).flatten() {
                let _ = e.name.to_string_lossy();
            }
        }
        if let Some(runs) = attr.runs() {
            for _ in runs {}
        }
    }
});
