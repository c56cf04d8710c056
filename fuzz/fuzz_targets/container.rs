//! A container file (EWF, VHD, VHDX, VMDK, QCOW2) from arbitrary bytes: opened
//! by signature, then the first MiB of its disk and a read at its end. The
//! bytes are written to a file (containers are read from files, with their
//! segments and parents beside them). Seeds: the samples of
//! fixtures/containers/make.sh, cut to their first 64 KiB.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ntfs_links::Image;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("ntfs-links-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("disk.img");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let Ok(image) = Image::open(&path, Default::default()) else { return };
    let _ = image.container();
    let mut buf = vec![0u8; 1 << 20];
    let n = buf.len().min(image.len() as usize);
    let _ = image.read_at(0, &mut buf[..n], "fuzz");
    if image.len() > 4096 {
        let mut tail = [0u8; 4096];
        let _ = image.read_at(image.len() - 4096, &mut tail, "fuzz");
    }
});
