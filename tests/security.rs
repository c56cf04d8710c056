//! Security descriptors: read from `$Secure:$SDS` by the security id of
//! $STANDARD_INFORMATION (or from a record's own `$SECURITY_DESCRIPTOR`),
//! checked against what ntfs-3g wrote into `fixtures/shortcuts.img` and
//! against volumes Windows wrote (values cross-checked with dissect.ntfs).

mod common;

use ntfs_links::security::{Descriptors, RecordSecurity, SecurityDescriptor};

fn from_hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn descriptors_are_the_ones_ntfs3g_wrote() {
    let text = std::fs::read_to_string(common::fixture("shortcuts.json")).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
    let volume = common::open("shortcuts.img", None, false);
    let descriptors = Descriptors::read(&volume).unwrap();
    let tree = ntfs_links::Tree::new(ntfs_links::Scan::run(&volume, Default::default()).unwrap());
    let security = manifest["security"].as_object().unwrap();
    assert_eq!(security.len(), 8);
    for (path, hex) in security {
        let record = tree.lookup(path).unwrap().record;
        let read = RecordSecurity::read(&volume, record, Ok(&descriptors))
            .unwrap()
            .unwrap();
        assert_eq!(read.source, "$Secure:$SDS", "{path}");
        let written = SecurityDescriptor::parse(&from_hex(hex.as_str().unwrap())).unwrap();
        assert_eq!(read.descriptor.as_ref(), Some(&written), "{path}");
        assert_eq!(
            descriptors.raw(read.security_id.unwrap()),
            Some(&from_hex(hex.as_str().unwrap())[..]),
            "{path}"
        );
    }
}

#[test]
fn stat_shows_owner_and_dacl_as_icacls_does() {
    let image = common::img("shortcuts.img");
    let out = common::stdout(&["stat", &image, "/Users/alice/Application Data"]);
    common::assert_holds_all(
        &out,
        &[
            "owner: S-1-5-18 (NT AUTHORITY\\SYSTEM)",
            "control: 0x9004 (dacl present, dacl protected, self relative)",
            "Everyone:(DENY)(S,RD)  [access_denied, flags 0x00, mask 0x00100001, S-1-1-0]",
            "BUILTIN\\Administrators:(F)",
        ],
    );
    let json = common::stdout(&[
        "stat",
        "--format",
        "json",
        &image,
        "/Users/alice/Local Settings",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let aces = v["security"]["descriptor"]["dacl"]["aces"]
        .as_array()
        .unwrap();
    assert_eq!(aces.len(), 2, "no deny entry on Local Settings: {aces:?}");
    assert_eq!(aces[0]["type"], "access_allowed");
    assert_eq!(aces[0]["sid"], "S-1-5-18");
}

/// Every record of volumes Windows wrote that names a descriptor finds it,
/// whole; one of them as dissect.ntfs decodes it.
#[test]
fn windows_volumes_descriptors_all_decode() {
    for (sub, name) in [
        ("windows/jnode", "ntfs-links.dd.gz"),
        ("windows/jnode", "test.ntfs.gz"),
        ("windows/velocidex", "charlie.dd.bz2"),
        ("windows/ntfs-samples", "ntfs-ramslack.raw.gz"),
        ("dfir_ntfs", "ntfs_index.raw.gz"),
    ] {
        let path = common::external_volume(sub, name).expect("external data");
        let volume = ntfs_links::open(&path, Default::default()).unwrap();
        let descriptors = Descriptors::read(&volume).unwrap();
        assert!(descriptors.len() >= 4, "{name}: {}", descriptors.len());
        let scan = ntfs_links::Scan::run(&volume, Default::default()).unwrap();
        let mut read = 0;
        for r in scan.records().filter(|r| r.in_use() && r.base().is_none()) {
            let Some(s) = RecordSecurity::read(&volume, r.number(), Ok(&descriptors)).unwrap()
            else {
                continue;
            };
            // $Volume's security id 0 names nothing in $SDS, as Windows writes it.
            if s.security_id == Some(0) {
                continue;
            }
            assert!(
                s.problem.is_none(),
                "{name} record {}: {:?}",
                r.number(),
                s.problem
            );
            read += 1;
        }
        assert!(read >= 10, "{name}: {read}");
    }
    let path = common::external_volume("windows/jnode", "ntfs-links.dd.gz").unwrap();
    let out = common::stdout(&["stat", path.to_str().unwrap(), "/valve/gaben.jpg"]);
    common::assert_holds_all(
        &out,
        &[
            "security descriptor: id 262, from $Secure:$SDS",
            "owner: S-1-5-21-4198554144-686138741-3808585253-1000",
            "group: S-1-5-21-4198554144-686138741-3808585253-513",
            "Everyone:(F)  [access_allowed, flags 0x00, mask 0x001f01ff, S-1-1-0]",
        ],
    );
}
