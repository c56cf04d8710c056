//! Shell link (.lnk) and .pif decoding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ntfs_links::shortcut;

fuzz_target!(|data: &[u8]| {
    let _ = shortcut::is_shell_link(data);
    let link = shortcut::decode(data);
    let _ = link.target_path();
    let _ = serde_json::to_string(&link);
    for problem in &link.problems {
        assert!(problem.offset <= data.len(), "{problem}");
    }
    if let Some(pif) = shortcut::decode_pif(data) {
        let _ = serde_json::to_string(&pif);
    }
});
