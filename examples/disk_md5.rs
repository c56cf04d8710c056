//! Prints the MD5 of the disk an image holds, read through its container
//! (EWF, VHD, VHDX, VMDK, QCOW2, split raw): what `ewfexport` or `qemu-img
//! convert -O raw` would write, without writing it.
//!
//!     cargo run --release --example disk_md5 -- disk.E01

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: disk_md5 IMAGE");
        std::process::exit(2);
    };
    match disk_md5(&path) {
        Ok((md5, len)) => println!("{md5}  {len}  {path}"),
        Err(e) => {
            println!(
                "error  {}  {path}",
                ntfs_links::text::Message(&e.to_string())
            );
            std::process::exit(2);
        }
    }
}

fn disk_md5(path: &str) -> ntfs_links::Result<(String, u64)> {
    use md5::Digest;
    let image = ntfs_links::Image::open(path, Default::default())?;
    let mut hasher = md5::Md5::new();
    let mut at = 0;
    let mut buf = vec![0u8; 1 << 20];
    while at < image.len() {
        let n = buf.len().min((image.len() - at) as usize);
        image.read_at(at, &mut buf[..n], "the disk")?;
        hasher.update(&buf[..n]);
        at += n as u64;
    }
    let hex: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok((hex, image.len()))
}
