//! What a volume is when it is not NTFS: the file systems, encryption layers
//! and containers an NTFS reader is most often handed by mistake, named by their
//! signatures so that the error says what the input is.

use super::Image;

/// What lies at byte `offset` of `image`, when it is something known that is
/// not NTFS: a short description, with what to do where there is something.
pub fn identify(image: &Image, offset: u64) -> Option<&'static str> {
    let read = |at: u64, n: usize| -> Option<Vec<u8>> {
        let mut b = vec![0u8; n];
        image
            .read_at(offset.checked_add(at)?, &mut b, "signature")
            .ok()?;
        Some(b)
    };
    let sector = read(0, 512)?;
    let at = |from: usize, sig: &[u8]| sector.get(from..from + sig.len()) == Some(sig);
    let found = if at(3, b"-FVE-FS-") {
        "a BitLocker-encrypted volume (-FVE-FS-): unlock it first (dislocker or bdemount) and read the decrypted volume"
    } else if at(3, b"EXFAT   ") {
        "an exFAT volume"
    } else if at(3, b"ReFS\0\0\0\0") {
        "a ReFS volume"
    } else if at(0x52, b"FAT32   ") {
        "a FAT32 volume"
    } else if at(0x36, b"FAT12   ") || at(0x36, b"FAT16   ") || at(0x36, b"FAT     ") {
        "a FAT12/16 volume"
    } else if at(0, b"LUKS\xba\xbe") {
        "a LUKS-encrypted volume: unlock it first (cryptsetup) and read the decrypted volume"
    } else if at(0, b"XFSB") {
        "an XFS volume"
    } else if at(0, b"<<< ") && sector.windows(13).any(|w| w == b"VirtualBox Di") {
        "a VirtualBox VDI image: not read; convert it with qemu-img convert -O raw"
    } else if at(0, b"QED\0") {
        "a QED image: not read; convert it with qemu-img convert -O raw"
    } else if at(0, b"WithoutFreeSpace") || at(0, b"WithouFreSpacExt") {
        "a Parallels image: not read; convert it with qemu-img convert -O raw"
    } else if at(32, b"NXSB") {
        "an APFS container"
    } else if read(1080, 2).is_some_and(|s| s == [0x53, 0xEF]) {
        "an ext2/3/4 volume"
    } else if read(1024, 2).is_some_and(|s| s == b"H+" || s == b"HX") {
        "an HFS+ volume"
    } else if read(512, 8).is_some_and(|s| s == b"LABELONE") {
        "an LVM physical volume: activate it (vgchange) and read the logical volume"
    } else if read(0x10040, 8).is_some_and(|s| s == b"_BHRfS_M") {
        "a Btrfs volume"
    } else if read(0x8001, 5).is_some_and(|s| s == b"CD001") {
        "an ISO 9660 image"
    } else if read(4086, 10).is_some_and(|s| s == b"SWAPSPACE2") {
        "a Linux swap area"
    } else if sector.iter().all(|&b| b == 0) {
        "an all-zero sector (an empty, wiped or sparse area; another offset or partition?)"
    } else {
        return None;
    };
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image_with(at: usize, sig: &[u8]) -> Image {
        let mut b = vec![0xAAu8; 1 << 17];
        b[at..at + sig.len()].copy_from_slice(sig);
        Image::from_bytes(b)
    }

    #[test]
    fn names_what_is_not_ntfs() {
        let cases: [(usize, &[u8], &str); 8] = [
            (3, b"-FVE-FS-", "BitLocker"),
            (3, b"EXFAT   ", "exFAT"),
            (3, b"ReFS\0\0\0\0", "ReFS"),
            (0x52, b"FAT32   ", "FAT32"),
            (0, b"LUKS\xba\xbe", "LUKS"),
            (1080, &[0x53, 0xEF], "ext2/3/4"),
            (0x10040, b"_BHRfS_M", "Btrfs"),
            (0x8001, b"CD001", "ISO 9660"),
        ];
        for (at, sig, name) in cases {
            let found = identify(&image_with(at, sig), 0).unwrap_or("nothing");
            assert!(found.contains(name), "{name}: {found}");
        }
        assert_eq!(identify(&image_with(0, b"random"), 0), None);
        assert!(
            identify(&Image::from_bytes(vec![0; 4096]), 0)
                .unwrap()
                .contains("all-zero")
        );
    }
}
