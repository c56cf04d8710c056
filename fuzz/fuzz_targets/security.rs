//! Security descriptors (MS-DTYP) and `$Secure:$SDS` streams.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ntfs_links::security::{Descriptors, SecurityDescriptor};

fuzz_target!(|data: &[u8]| {
    if let Ok(sd) = SecurityDescriptor::parse(data) {
        let _ = serde_json::to_string(&sd);
        let _ = sd.denies_everyone_listing();
        for ace in sd.dacl.iter().chain(&sd.sacl).flat_map(|acl| &acl.aces) {
            let _ = (ace.rights(), ace.trustee());
        }
    }
    let sds = Descriptors::from_sds(data.to_vec());
    for id in 0..8u32 {
        if let Some(raw) = sds.raw(0x100 + id) {
            assert!(raw.len() <= data.len());
        }
    }
});
