//! The reparse decoder on buffers written with binrw's BinWrite: every kind, and
//! every malformed shape (offsets past the end, odd lengths, overlapping names,
//! zero-length data, lying lengths). Nothing may panic; a lie is `malformed`
//! with the raw bytes kept.

use binrw::BinWrite;
use ntfs_links::reparse::{
    self, FileProviderInfo, GuidHeader, NameOffsets, ReparseData, ReparseHeader, SymlinkFlags,
    TargetForm, WimProviderInfo, WofExternalInfo,
};
use std::io::Cursor;

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// A step that writes binrw values into a buffer.
type Part<'a> = &'a dyn Fn(&mut Cursor<Vec<u8>>);

/// Writes binrw values one after the other.
fn write(parts: &[Part<'_>]) -> Vec<u8> {
    let mut c = Cursor::new(Vec::new());
    for p in parts {
        p(&mut c);
    }
    c.into_inner()
}

fn header(tag: u32, len: usize) -> impl Fn(&mut Cursor<Vec<u8>>) {
    move |c| {
        ReparseHeader {
            tag,
            data_length: len as u16,
            reserved: 0,
        }
        .write(c)
        .unwrap()
    }
}

fn bytes(b: Vec<u8>) -> impl Fn(&mut Cursor<Vec<u8>>) {
    move |c| b.write(c).unwrap()
}

/// A mount point (flags None) or symlink buffer with names laid out as given.
fn names_buffer(tag: u32, offsets: NameOffsets, flags: Option<u32>, path: Vec<u8>) -> Vec<u8> {
    let len = 8 + flags.map_or(0, |_| 4) + path.len();
    write(&[
        &header(tag, len),
        &move |c| offsets.write(c).unwrap(),
        &move |c| {
            if let Some(flags) = flags {
                SymlinkFlags { flags }.write(c).unwrap()
            }
        },
        &bytes(path.clone()),
    ])
}

fn link(tag: u32, sub: &str, print: &str, flags: Option<u32>) -> Vec<u8> {
    let (s, p) = (utf16(sub), utf16(print));
    let offsets = NameOffsets {
        substitute_offset: 0,
        substitute_length: s.len() as u16,
        print_offset: s.len() as u16 + 2,
        print_length: p.len() as u16,
    };
    let path = [s, vec![0, 0], p, vec![0, 0]].concat();
    names_buffer(tag, offsets, flags, path)
}

fn raw(tag: u32, data: Vec<u8>) -> Vec<u8> {
    write(&[&header(tag, data.len()), &bytes(data)])
}

#[test]
fn junction_and_volume_mount_point() {
    let j = reparse::decode(&link(
        reparse::MOUNT_POINT,
        r"\??\C:\target",
        r"C:\target",
        None,
    ));
    assert_eq!(
        (j.kind.as_str(), j.tag_name),
        ("junction", Some("IO_REPARSE_TAG_MOUNT_POINT"))
    );
    assert_eq!(j.substitute_name(), Some(r"\??\C:\target"));
    assert_eq!(j.print_name(), Some(r"C:\target"));
    assert_eq!(j.target_form(), Some(TargetForm::DriveAbsolute));
    assert!(j.microsoft && j.name_surrogate && !j.directory_bit && j.malformed.is_none());
    assert_eq!(j.relative(), None);
    let v = reparse::decode(&link(
        reparse::MOUNT_POINT,
        r"\??\Volume{01234567-89ab-cdef-0123-456789abcdef}\",
        "",
        None,
    ));
    assert_eq!(v.kind.as_str(), "volume_mount_point");
    assert_eq!(v.target_form(), Some(TargetForm::VolumeGuid));
}

#[test]
fn symlinks_of_every_form() {
    for (sub, flags, form) in [
        (r"\??\C:\a\b.txt", 0, TargetForm::DriveAbsolute),
        (r"..\a.txt", 1, TargetForm::Relative),
        (r"\a\b", 0, TargetForm::Rooted),
        (r"\??\UNC\server\share\x", 0, TargetForm::Unc),
        (
            r"\??\Volume{01234567-89ab-cdef-0123-456789abcdef}\x",
            0,
            TargetForm::VolumeGuid,
        ),
        (
            r"\??\GLOBALROOT\Device\HarddiskVolume2\x",
            0,
            TargetForm::Device,
        ),
    ] {
        let s = reparse::decode(&link(reparse::SYMLINK, sub, sub, Some(flags)));
        assert_eq!(s.kind.as_str(), "symlink");
        assert_eq!(s.substitute_name(), Some(sub));
        assert_eq!(s.relative(), Some(flags == 1));
        assert_eq!(s.target_form(), Some(form), "{sub}");
        assert_eq!(s.malformed, None);
    }
}

#[test]
fn wsl_kinds() {
    let lx = reparse::decode(&raw(
        reparse::LX_SYMLINK,
        [2u32.to_le_bytes().to_vec(), b"../x/y".to_vec()].concat(),
    ));
    assert_eq!(
        (lx.kind.as_str(), lx.target()),
        ("lx_symlink", Some("../x/y"))
    );
    assert_eq!(lx.target_form(), Some(TargetForm::Relative));
    for (tag, kind) in [
        (0x8000_0023, "af_unix"),
        (0x8000_0024, "lx_fifo"),
        (0x8000_0025, "lx_chr"),
        (0x8000_0026, "lx_blk"),
    ] {
        let rp = reparse::decode(&raw(tag, Vec::new()));
        assert_eq!((rp.kind.as_str(), rp.malformed.as_deref()), (kind, None));
    }
    let bad = reparse::decode(&raw(reparse::LX_SYMLINK, vec![1, 0]));
    assert!(bad.malformed.is_some());
    let v1 = reparse::decode(&raw(
        reparse::LX_SYMLINK,
        [1u32.to_le_bytes().to_vec(), b"x".to_vec()].concat(),
    ));
    assert!(v1.malformed.unwrap().contains("version 1"));
}

#[test]
fn wof_providers_and_algorithms() {
    for (algorithm, name) in [
        (0, "XPRESS4K"),
        (1, "LZX"),
        (2, "XPRESS8K"),
        (3, "XPRESS16K"),
    ] {
        let buf = write(&[
            &header(reparse::WOF, 16),
            &|c| {
                WofExternalInfo {
                    version: 1,
                    provider: 2,
                }
                .write(c)
                .unwrap()
            },
            &move |c| {
                FileProviderInfo {
                    version: 1,
                    algorithm,
                }
                .write(c)
                .unwrap()
            },
        ]);
        let rp = reparse::decode(&buf);
        let ReparseData::Wof(w) = &rp.decoded else {
            panic!("{rp:?}")
        };
        assert_eq!(
            (rp.kind.as_str(), w.provider, w.provider_name),
            ("wof", Some(2), Some("FILE"))
        );
        assert_eq!(
            (w.algorithm, w.algorithm_name),
            (Some(algorithm), Some(name))
        );
    }
    let wim = write(&[
        &header(reparse::WOF, 8 + 36),
        &|c| {
            WofExternalInfo {
                version: 1,
                provider: 1,
            }
            .write(c)
            .unwrap()
        },
        &|c| {
            WimProviderInfo {
                version: 1,
                flags: 0,
                data_source_id: 3,
                resource_hash: [0xab; 20],
            }
            .write(c)
            .unwrap()
        },
    ]);
    let rp = reparse::decode(&wim);
    let ReparseData::Wof(w) = &rp.decoded else {
        panic!("{rp:?}")
    };
    assert_eq!((w.provider_name, w.data_source_id), (Some("WIM"), Some(3)));
    assert_eq!(rp.data.as_deref(), Some("ab".repeat(20).as_str()));
    let unknown = write(&[
        &header(reparse::WOF, 16),
        &|c| {
            WofExternalInfo {
                version: 1,
                provider: 2,
            }
            .write(c)
            .unwrap()
        },
        &|c| {
            FileProviderInfo {
                version: 1,
                algorithm: 9,
            }
            .write(c)
            .unwrap()
        },
    ]);
    assert!(
        reparse::decode(&unknown)
            .malformed
            .unwrap()
            .contains("algorithm 9")
    );
    assert!(
        reparse::decode(&raw(reparse::WOF, vec![1, 0, 0, 0, 2, 0, 0, 0, 1]))
            .malformed
            .is_some()
    );
}

#[test]
fn app_execution_alias() {
    let strings = [
        "Pkg_abc",
        "Pkg_abc!App",
        r"C:\Program Files\WindowsApps\Pkg\app.exe",
        "0",
    ];
    let mut data = 3u32.to_le_bytes().to_vec();
    for s in strings {
        data.extend(utf16(s));
        data.extend([0, 0]);
    }
    let rp = reparse::decode(&raw(reparse::APPEXECLINK, data));
    assert_eq!(rp.kind.as_str(), "app_exec_link");
    let ReparseData::AppExecLink(app) = &rp.decoded else {
        panic!("{rp:?}")
    };
    assert_eq!(app.package.as_deref(), Some(strings[0]));
    assert_eq!(app.app_id.as_deref(), Some(strings[1]));
    assert_eq!(rp.target(), Some(strings[2]));
    let short = [3u32.to_le_bytes().to_vec(), utf16("only one")].concat();
    assert!(
        reparse::decode(&raw(reparse::APPEXECLINK, short))
            .malformed
            .is_some()
    );
}

#[test]
fn cloud_variants_nfs_guid_and_unknown() {
    for v in [0u32, 1, 7, 15] {
        let rp = reparse::decode(&raw(reparse::CLOUD | v << 12, vec![1, 2, 3]));
        let ReparseData::Cloud(cloud) = &rp.decoded else {
            panic!("{rp:?}")
        };
        assert_eq!(
            (rp.kind.as_str(), cloud.cloud_variant, rp.data.as_deref()),
            ("cloud", v as u8, Some("010203"))
        );
    }
    let lnk = [0x014B_4E4Cu64.to_le_bytes().to_vec(), utf16("/a/b")].concat();
    let rp = reparse::decode(&raw(reparse::NFS, lnk));
    let ReparseData::Nfs(nfs) = &rp.decoded else {
        panic!("{rp:?}")
    };
    assert_eq!((nfs.nfs_type.as_str(), rp.target()), ("LNK", Some("/a/b")));
    let blk = [
        0x004B_4C42u64.to_le_bytes().to_vec(),
        8u32.to_le_bytes().to_vec(),
        1u32.to_le_bytes().to_vec(),
    ]
    .concat();
    let ReparseData::Nfs(nfs) = reparse::decode(&raw(reparse::NFS, blk)).decoded else {
        panic!("not nfs")
    };
    assert_eq!(nfs.device, Some([8, 1]));
    let third = write(&[
        &header(0x0000_0042, 2),
        &|c| GuidHeader { guid: [7; 16] }.write(c).unwrap(),
        &bytes(vec![9, 9]),
    ]);
    let rp = reparse::decode(&third);
    assert_eq!(
        (rp.kind.as_str(), rp.tag_name, rp.microsoft),
        ("unknown", None, false)
    );
    let ReparseData::ThirdParty(third) = &rp.decoded else {
        panic!("{rp:?}")
    };
    assert_eq!(third.guid, "07070707-0707-0707-0707-070707070707");
    assert_eq!(
        (rp.data.as_deref(), rp.malformed.as_deref()),
        (Some("0909"), None)
    );
    let ms_unknown = reparse::decode(&raw(0x8000_7777, vec![5]));
    assert_eq!(
        (ms_unknown.kind.as_str(), ms_unknown.data.as_deref()),
        ("unknown", Some("05"))
    );
    for (tag, kind) in [
        (0x8000_0013, "dedup"),
        (0x8000_0021, "onedrive"),
        (0x9000_001C, "projfs"),
        (0xC000_0004, "hsm"),
        (0x8000_0007, "sis"),
        (0x8000_000A, "dfs"),
        (0x8000_0012, "dfsr"),
        (0x8000_0008, "wim"),
        (0x8000_0018, "wci"),
        (0x8000_001E, "storage_sync"),
    ] {
        assert_eq!(reparse::decode(&raw(tag, vec![0; 4])).kind.as_str(), kind);
    }
}

#[test]
fn names_past_the_end_odd_or_overlapping() {
    let path = [utf16("abcd"), utf16("efgh")].concat();
    let shapes = [
        (
            NameOffsets {
                substitute_offset: 0,
                substitute_length: 200,
                print_offset: 8,
                print_length: 8,
            },
            "runs past",
        ),
        (
            NameOffsets {
                substitute_offset: 300,
                substitute_length: 2,
                print_offset: 8,
                print_length: 8,
            },
            "runs past",
        ),
        (
            NameOffsets {
                substitute_offset: 1,
                substitute_length: 4,
                print_offset: 8,
                print_length: 8,
            },
            "odd",
        ),
        (
            NameOffsets {
                substitute_offset: 0,
                substitute_length: 5,
                print_offset: 8,
                print_length: 8,
            },
            "odd",
        ),
        (
            NameOffsets {
                substitute_offset: 0,
                substitute_length: 8,
                print_offset: 4,
                print_length: 8,
            },
            "overlap",
        ),
        (
            NameOffsets {
                substitute_offset: 0,
                substitute_length: 0,
                print_offset: 8,
                print_length: 8,
            },
            "empty",
        ),
        (
            NameOffsets {
                substitute_offset: 0xFFFF,
                substitute_length: 0xFFFF,
                print_offset: 0xFFFF,
                print_length: 0xFFFF,
            },
            "runs past",
        ),
    ];
    for tag in [reparse::MOUNT_POINT, reparse::SYMLINK] {
        let flags = (tag == reparse::SYMLINK).then_some(1);
        for (offsets, why) in shapes {
            let buf = names_buffer(tag, offsets, flags, path.clone());
            let rp = reparse::decode(&buf);
            let m = rp
                .malformed
                .unwrap_or_else(|| panic!("{offsets:?} should be malformed"));
            assert!(m.contains(why), "{m} should say {why}");
            assert!(
                rp.data.unwrap().len() == 2 * (buf.len() - 8),
                "raw bytes kept"
            );
        }
    }
}

#[test]
fn lying_lengths_and_zero_length_data() {
    let good = link(reparse::SYMLINK, "a", "a", Some(1));
    let mut longer = good.clone();
    longer[4..6].copy_from_slice(&500u16.to_le_bytes());
    assert!(
        reparse::decode(&longer)
            .malformed
            .unwrap()
            .contains("exceeds")
    );
    let mut shorter = good.clone();
    shorter[4..6].copy_from_slice(&2u16.to_le_bytes());
    assert!(
        reparse::decode(&shorter)
            .malformed
            .unwrap()
            .contains("less than")
    );
    for tag in [
        reparse::MOUNT_POINT,
        reparse::SYMLINK,
        reparse::LX_SYMLINK,
        reparse::WOF,
        reparse::APPEXECLINK,
        reparse::NFS,
        0x1234,
    ] {
        let rp = reparse::decode(&raw(tag, Vec::new()));
        assert!(rp.malformed.is_some(), "{tag:#x} with no data");
    }
    for short in [&[][..], &[0x0C, 0, 0, 0xA0][..], &[1, 2, 3, 4, 5, 6, 7][..]] {
        let rp = reparse::decode(short);
        assert!(rp.malformed.unwrap().contains("header"));
    }
}

#[test]
fn no_prefix_or_flip_panics() {
    let buffers = [
        link(reparse::SYMLINK, r"\??\C:\x\y", r"C:\x\y", Some(0)),
        link(reparse::MOUNT_POINT, r"\??\C:\x", r"C:\x", None),
        raw(
            reparse::LX_SYMLINK,
            [2u32.to_le_bytes().to_vec(), b"abc".to_vec()].concat(),
        ),
        raw(
            reparse::WOF,
            [1u32, 2, 1, 2]
                .iter()
                .flat_map(|v| v.to_le_bytes())
                .collect(),
        ),
    ];
    for buf in &buffers {
        for cut in 0..buf.len() {
            let _ = reparse::decode(&buf[..cut]);
        }
        for i in 0..buf.len() {
            for bit in 0..8 {
                let mut b = buf.clone();
                b[i] ^= 1 << bit;
                let _ = reparse::decode(&b);
            }
        }
    }
}

#[test]
fn interix_symlinks() {
    let data = [b"IntxLNK\x01".to_vec(), utf16("../target")].concat();
    let rp = reparse::decode_interix(&data).unwrap();
    assert_eq!(
        (rp.kind.as_str(), rp.tag, rp.target()),
        ("interix_symlink", None, Some("../target"))
    );
    assert!(reparse::decode_interix(b"IntxCHR\x00").is_none());
    let odd = [b"IntxLNK\x01".to_vec(), vec![b'a', 0, b'b']].concat();
    assert!(reparse::decode_interix(&odd).unwrap().malformed.is_some());
}
