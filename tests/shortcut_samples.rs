//! Shell links written by Windows (`../shared/external/lnk`, see its README):
//! every field the decoder gives is compared with what liblnk's `lnkinfo`
//! (Debian liblnk-utils 20181227) prints for the same file, hard-coded below;
//! where lnkinfo is wrong the value follows MS-SHLLINK and a comment says why.
//! Then hostile input: every truncation of every sample, random bit flips, and
//! declared sizes far past the end: no panic, and problems with offsets.
//!
//! The samples must be present: a missing folder fails the tests.

mod common;

use common::Rng;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use ntfs_links::shortcut::{self, ShellLink};

fn samples_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/external/lnk"
    ))
}

fn read(name: &str) -> Vec<u8> {
    let path = samples_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `.lnk` files of the samples folder; panics when it is missing or empty.
fn sample_names() -> Vec<String> {
    let dir = samples_dir();
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("samples folder {} missing: {e}", dir.display()));
    let mut names: Vec<String> = entries
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".lnk"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no .lnk file in {}", dir.display());
    names
}

/// A FILETIME as `YYYY-MM-DD HH:MM:SS.fffffffff` (UTC), as lnkinfo shows it.
fn filetime_text(ft: u64) -> String {
    let (secs, ticks) = (ft / 10_000_000, ft % 10_000_000);
    let (days, day_secs) = ((secs / 86_400) as i64, secs % 86_400);
    // Days since 1601-01-01 to a civil date (H. Hinnant's civil_from_days, with
    // 584694 days from 0000-03-01 to 1601-01-01).
    let z = days + 584_694;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}.{:09}",
        day_secs / 3600,
        day_secs / 60 % 60,
        day_secs % 60,
        ticks * 100
    )
}

fn join(base: &str, suffix: &str) -> String {
    if suffix.is_empty() || base.ends_with('\\') {
        format!("{base}{suffix}")
    } else {
        format!("{base}\\{suffix}")
    }
}

/// The decoded fields the table checks, in the table's order.
fn fields(link: &ShellLink) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let mut add = |key: &'static str, value: Option<String>| {
        if let Some(value) = value {
            out.push((key, value));
        }
    };
    let h = link.header.as_ref().expect("header");
    add("creation_time", h.creation_time.map(filetime_text));
    add("write_time", h.write_time.map(filetime_text));
    add("access_time", h.access_time.map(filetime_text));
    add("file_size", Some(h.file_size.to_string()));
    add(
        "file_attributes",
        Some(format!("0x{:08x}", h.file_attributes)),
    );
    let info = link.link_info.as_ref();
    let volume = info.and_then(|i| i.volume_id.as_ref());
    add(
        "drive_type",
        volume.and_then(|v| v.drive_type_name).map(String::from),
    );
    add("drive_serial", volume.map(|v| v.drive_serial.clone()));
    add("volume_label", volume.map(|v| v.volume_label.clone()));
    let suffix = info.and_then(|i| i.suffix()).unwrap_or("");
    add(
        "local_path",
        info.and_then(|i| i.local_path()).map(|p| join(p, suffix)),
    );
    let network = info.and_then(|i| i.network.as_ref());
    add("network_path", network.map(|n| join(n.name(), suffix)));
    let s = &link.strings;
    add("name", s.name.clone());
    add("relative_path", s.relative_path.clone());
    add("working_dir", s.working_dir.clone());
    add("arguments", s.arguments.clone());
    add("icon_location", s.icon_location.clone());
    let extra = &link.extra;
    add(
        "environment",
        extra
            .environment
            .as_ref()
            .and_then(|e| e.value())
            .map(String::from),
    );
    let tracker = extra.tracker.as_ref();
    add("machine_id", tracker.map(|t| t.machine_id.clone()));
    add("droid_volume", tracker.map(|t| t.droid_volume.clone()));
    add("droid_file", tracker.map(|t| t.droid_file.clone()));
    add(
        "birth_droid_volume",
        tracker.map(|t| t.birth_droid_volume.clone()),
    );
    add(
        "birth_droid_file",
        tracker.map(|t| t.birth_droid_file.clone()),
    );
    if let Some(list) = &link.id_list {
        add("id_items", Some(list.items.len().to_string()));
        let ext = |i: &shortcut::ShellItem| i.extension.clone();
        let longs: Vec<String> = list
            .items
            .iter()
            .map(|i| ext(i).and_then(|e| e.long_name).unwrap_or_default())
            .collect();
        add(
            "id_long_names",
            longs.iter().any(|l| !l.is_empty()).then(|| longs.join("|")),
        );
        let refs: Vec<String> = list
            .items
            .iter()
            .map(|i| match ext(i) {
                // lnkinfo leaves out a zero reference (0-0).
                Some(e)
                    if e.mft_entry.is_some_and(|m| m != 0)
                        || e.mft_sequence.is_some_and(|s| s != 0) =>
                {
                    format!("{}-{}", e.mft_entry.unwrap(), e.mft_sequence.unwrap())
                }
                _ => String::new(),
            })
            .collect();
        add(
            "id_mft_refs",
            refs.iter().any(|r| !r.is_empty()).then(|| refs.join("|")),
        );
    }
    add("hot_key", h.hot_key.clone());
    let show = serde_json::to_value(h.show_command).unwrap();
    add("show_command", (show != "normal").then(|| show.to_string()));
    add(
        "id_list_path",
        link.id_list.as_ref().and_then(|l| l.path.clone()),
    );
    add(
        "special_folder",
        extra
            .special_folder
            .as_ref()
            .map(|f| f.folder_id.to_string()),
    );
    let known = extra.known_folder.as_ref();
    add(
        "known_folder",
        known.map(|k| k.name.map(String::from).unwrap_or(k.guid.clone())),
    );
    add("target_path", link.target_path());
    out
}

const EXPECTED: &[(&str, &[(&str, &str)])] = &[
    (
        "admin_share_dir_no_idlist.lnk",
        &[
            ("creation_time", "2009-07-26 15:39:33.372934800"),
            ("write_time", "2009-07-26 15:41:16.794809800"),
            ("access_time", "2009-07-26 15:41:16.794809800"),
            ("file_size", "0"),
            ("file_attributes", "0x00000010"),
            (
                "network_path",
                "\\\\FATALITY\\K$\\Encoding\\@Films\\AAA AAA AAAAA 1",
            ),
            (
                "environment",
                "\\\\fatality\\k$\\Encoding\\@Films\\AAA AAA AAAAA 1",
            ),
            ("machine_id", "fatality"),
            ("droid_volume", "{118EF8D6-402D-4186-B384-3527D35FB1EB}"),
            ("droid_file", "{3885261F-9174-11DF-9091-8FAE47A32577}"),
            (
                "birth_droid_volume",
                "{118EF8D6-402D-4186-B384-3527D35FB1EB}",
            ),
            ("birth_droid_file", "{3885261F-9174-11DF-9091-8FAE47A32577}"),
            (
                "target_path",
                "\\\\FATALITY\\K$\\Encoding\\@Films\\AAA AAA AAAAA 1",
            ),
        ],
    ),
    (
        "cmd_args_hotkey.lnk",
        &[
            ("creation_time", "2021-06-05 12:05:12.279970100"),
            ("write_time", "2021-06-05 12:05:12.279970100"),
            ("access_time", "2024-12-29 18:36:54.427193700"),
            ("file_size", "331776"),
            ("file_attributes", "0x00000020"),
            ("drive_type", "fixed"),
            ("drive_serial", "F40F-A5CF"),
            ("volume_label", ""),
            ("local_path", "C:\\Windows\\System32\\cmd.exe"),
            ("relative_path", "..\\..\\..\\Windows\\System32\\cmd.exe"),
            ("working_dir", "C:\\Windows\\System32"),
            (
                "arguments",
                "/c powershell.exe -c \"Write-Host This is a test\"",
            ),
            ("machine_id", "pc"),
            ("droid_volume", "{D8BB6CE6-2746-4256-B688-E1C29D3E25CE}"),
            ("droid_file", "{4106AA62-F492-11EC-B3F0-5076AFA95947}"),
            (
                "birth_droid_volume",
                "{D8BB6CE6-2746-4256-B688-E1C29D3E25CE}",
            ),
            ("birth_droid_file", "{4106AA62-F492-11EC-B3F0-5076AFA95947}"),
            ("id_items", "5"),
            ("id_long_names", "||Windows|System32|cmd.exe"),
            ("id_mft_refs", "||1493-1|3225-1|42117-1"),
            // lnkinfo 20181227 prints the file size as hot key and show command
            ("hot_key", "Ctrl+Alt+Shift+K"),
            ("id_list_path", "C:\\Windows\\System32\\cmd.exe"),
            ("special_folder", "37"),
            ("known_folder", "System"),
            ("target_path", "C:\\Windows\\System32\\cmd.exe"),
        ],
    ),
    (
        "drive_root_c.lnk",
        &[
            ("creation_time", "2019-03-19 04:37:21.986161300"),
            ("write_time", "2020-10-20 12:30:42.548296500"),
            ("access_time", "2020-10-20 17:57:51.119986700"),
            ("file_size", "8192"),
            ("file_attributes", "0x00000016"),
            ("drive_type", "fixed"),
            ("drive_serial", "7CF6-639A"),
            ("volume_label", ""),
            ("local_path", "C:\\"),
            ("relative_path", "..\\..\\..\\.."),
            ("machine_id", "stray-pc"),
            ("droid_volume", "{0ACFBD02-15C2-4BED-88DA-B37C505B0A3B}"),
            ("droid_file", "{BE42AFF2-29B8-11EA-99DC-D8CB8AC30F0C}"),
            (
                "birth_droid_volume",
                "{0ACFBD02-15C2-4BED-88DA-B37C505B0A3B}",
            ),
            ("birth_droid_file", "{BE42AFF2-29B8-11EA-99DC-D8CB8AC30F0C}"),
            ("id_items", "2"),
            ("id_list_path", "C:\\"),
            ("target_path", "C:\\"),
        ],
    ),
    (
        "folder_new_folder.lnk",
        &[
            ("creation_time", "2020-10-17 12:52:05.228743700"),
            ("write_time", "2020-10-17 22:10:56.601709100"),
            ("access_time", "2020-11-13 00:53:49.419454800"),
            ("file_size", "4096"),
            ("file_attributes", "0x00000010"),
            ("drive_type", "fixed"),
            ("drive_serial", "7CF6-639A"),
            ("volume_label", ""),
            ("local_path", "C:\\Users\\stray\\Desktop\\New folder"),
            ("relative_path", ".\\New folder"),
            ("machine_id", "stray-pc"),
            ("droid_volume", "{0ACFBD02-15C2-4BED-88DA-B37C505B0A3B}"),
            ("droid_file", "{165681AC-1081-11EB-99F4-DE2132872AEF}"),
            (
                "birth_droid_volume",
                "{0ACFBD02-15C2-4BED-88DA-B37C505B0A3B}",
            ),
            ("birth_droid_file", "{165681AC-1081-11EB-99F4-DE2132872AEF}"),
            ("id_items", "1"),
            ("id_long_names", "New folder"),
            ("id_mft_refs", "88878-17"),
            ("target_path", "C:\\Users\\stray\\Desktop\\New folder"),
        ],
    ),
    (
        "mapped_drive_z.lnk",
        &[
            ("creation_time", "2020-10-15 12:29:46.964682200"),
            ("write_time", "2020-10-15 12:29:46.973564300"),
            ("access_time", "2020-10-15 12:29:46.964682200"),
            ("file_size", "0"),
            ("file_attributes", "0x00000020"),
            (
                "network_path",
                "\\\\192.168.138.2\\storage\\Downloads\\folder1\\file1.txt",
            ),
            ("working_dir", "Z:\\Downloads\\folder1"),
            ("machine_id", ""),
            ("droid_volume", "{46BE5EF3-BC95-489B-1789-C028FAED4608}"),
            ("droid_file", "{E6FE58CD-0000-0000-E60F-020000000000}"),
            (
                "birth_droid_volume",
                "{46BE5EF2-BC95-489B-1789-C028FAED4608}",
            ),
            ("birth_droid_file", "{E6FE58CD-0000-0000-E60F-020000000000}"),
            ("id_items", "5"),
            ("id_long_names", "||Downloads|folder1|file1.txt"),
            ("id_mft_refs", "||98430-0|135139-0|135142-0"),
            ("id_list_path", "Z:\\Downloads\\folder1\\file1.txt"),
            (
                "target_path",
                "\\\\192.168.138.2\\storage\\Downloads\\folder1\\file1.txt",
            ),
        ],
    ),
    (
        "migwiz_env_no_idlist.lnk",
        &[
            ("creation_time", "2009-07-13 23:29:02.849131000"),
            ("write_time", "2009-07-14 01:39:18.220000000"),
            ("access_time", "2009-07-13 23:29:02.849131000"),
            ("file_size", "544768"),
            ("file_attributes", "0x00000020"),
            ("name", "@%windir%\\system32\\migwiz\\wet.dll,-590"),
            ("relative_path", ".\\migwiz\\migwiz.exe"),
            ("working_dir", "%windir%\\system32\\migwiz"),
            ("icon_location", "%windir%\\system32\\migwiz\\migwiz.exe"),
            ("environment", "%windir%\\system32\\migwiz\\migwiz.exe"),
            ("machine_id", "win-tj9qcsjkags"),
            ("droid_volume", "{494CCBDA-98E8-45C8-B8CA-F64D464366C7}"),
            ("droid_file", "{846EE3BB-7039-11DE-9D20-001D09FA5A1C}"),
            (
                "birth_droid_volume",
                "{494CCBDA-98E8-45C8-B8CA-F64D464366C7}",
            ),
            ("birth_droid_file", "{846EE3BB-7039-11DE-9D20-001D09FA5A1C}"),
            ("target_path", "%windir%\\system32\\migwiz\\migwiz.exe"),
        ],
    ),
    (
        "msi_advertised_darwin.lnk",
        &[
            ("file_size", "0"),
            ("file_attributes", "0x00000000"),
            (
                "relative_path",
                "..\\..\\..\\..\\..\\Windows\\Installer\\{AC76BA86-7AD7-1036-7B44-A93000000001}\\SC_Reader.ico",
            ),
            // lnkinfo shows the IconEnvironmentDataBlock (%SystemRoot%\Installer\{AC76BA86-7AD7-1036-7B44-A93000000001}\SC_Reader.ico); ICON_LOCATION in StringData is this
            (
                "icon_location",
                "C:\\Windows\\Installer\\{AC76BA86-7AD7-1036-7B44-A93000000001}\\SC_Reader.ico",
            ),
            ("id_items", "6"),
            (
                "id_long_names",
                "||Windows|Installer|{AC76BA86-7AD7-1036-7B44-A93000000001}|SC_Reader.ico",
            ),
            ("id_mft_refs", "||528-1|41122-6|63352-2|66454-71"),
            (
                "id_list_path",
                "C:\\Windows\\Installer\\{AC76BA86-7AD7-1036-7B44-A93000000001}\\SC_Reader.ico",
            ),
            (
                "target_path",
                "C:\\Windows\\Installer\\{AC76BA86-7AD7-1036-7B44-A93000000001}\\SC_Reader.ico",
            ),
        ],
    ),
    (
        "nero_infotool.lnk",
        &[
            ("creation_time", "2009-06-05 20:13:20.000000000"),
            ("write_time", "2009-06-05 20:13:20.000000000"),
            ("access_time", "2010-01-29 21:30:11.332156900"),
            ("file_size", "4635160"),
            ("file_attributes", "0x00000020"),
            ("drive_type", "fixed"),
            ("drive_serial", "70EC-FA33"),
            ("volume_label", "OS"),
            (
                "local_path",
                "C:\\Program Files (x86)\\Nero\\Nero 9\\Nero InfoTool\\InfoTool.exe",
            ),
            (
                "name",
                "Nero InfoTool provides you with information about the most important features of installed drives, inserted discs, installed software and much more. With Nero InfoTool you can find out all about your drive and your system configuration.",
            ),
            (
                "relative_path",
                "..\\..\\..\\..\\..\\..\\..\\..\\Program Files (x86)\\Nero\\Nero 9\\Nero InfoTool\\InfoTool.exe",
            ),
            (
                "working_dir",
                "C:\\Program Files (x86)\\Nero\\Nero 9\\Nero InfoTool",
            ),
            ("arguments", "-ScParameter=30002  "),
            // lnkinfo shows the IconEnvironmentDataBlock (%ProgramFiles%\Nero\Nero 9\Nero InfoTool\InfoTool.exe); ICON_LOCATION in StringData is this
            (
                "icon_location",
                "C:\\Program Files (x86)\\Nero\\Nero 9\\Nero InfoTool\\InfoTool.exe",
            ),
            ("machine_id", "win-3qmdjgkf3g9"),
            ("droid_volume", "{C989F572-4DEB-4C64-B0D1-DC4959BBFF28}"),
            ("droid_file", "{958705B5-0D19-11DF-9FE4-705AB616A5F3}"),
            (
                "birth_droid_volume",
                "{C989F572-4DEB-4C64-B0D1-DC4959BBFF28}",
            ),
            ("birth_droid_file", "{958705B5-0D19-11DF-9FE4-705AB616A5F3}"),
            ("id_items", "7"),
            (
                "id_long_names",
                "||Program Files (x86)|Nero|Nero 9|Nero InfoTool|InfoTool.exe",
            ),
            ("id_mft_refs", "||274-1|80331-1|80332-1|81345-2|81349-1"),
            (
                "id_list_path",
                "C:\\Program Files (x86)\\Nero\\Nero 9\\Nero InfoTool\\InfoTool.exe",
            ),
            ("special_folder", "42"),
            ("known_folder", "ProgramFilesX86"),
            (
                "target_path",
                "C:\\Program Files (x86)\\Nero\\Nero 9\\Nero InfoTool\\InfoTool.exe",
            ),
        ],
    ),
    (
        "spec_example.lnk",
        &[
            ("creation_time", "2008-09-12 20:27:17.101000000"),
            ("write_time", "2008-09-12 20:27:17.101000000"),
            ("access_time", "2008-09-12 20:27:17.101000000"),
            ("file_size", "0"),
            ("file_attributes", "0x00000020"),
            ("drive_type", "fixed"),
            ("drive_serial", "307A-8A81"),
            ("volume_label", ""),
            ("local_path", "C:\\test\\a.txt"),
            ("relative_path", ".\\a.txt"),
            ("working_dir", "C:\\test"),
            ("machine_id", "chris-xps"),
            ("droid_volume", "{94C77840-FA47-46C7-B356-5C2DC6B6D115}"),
            ("droid_file", "{7BCD46EC-7F22-11DD-9499-00137216874A}"),
            (
                "birth_droid_volume",
                "{94C77840-FA47-46C7-B356-5C2DC6B6D115}",
            ),
            ("birth_droid_file", "{7BCD46EC-7F22-11DD-9499-00137216874A}"),
            ("id_items", "4"),
            ("id_long_names", "||test|a.txt"),
            ("id_mft_refs", "||7683-7925|28205-406"),
            ("id_list_path", "C:\\test\\a.txt"),
            ("target_path", "C:\\test\\a.txt"),
        ],
    ),
    (
        "unicode_server_unc.lnk",
        &[
            ("creation_time", "2018-01-11 23:22:36.756994700"),
            ("write_time", "2013-08-04 09:46:46.859375000"),
            ("access_time", "2018-01-11 23:22:36.756994700"),
            ("file_size", "941"),
            ("file_attributes", "0x00000020"),
            ("network_path", "\\\\ޓ\\C\\relay\\说明.txt"),
            ("working_dir", "\\\\ޓ\\c\\relay"),
            ("environment", "\\\\ޓ\\c\\relay\\说明.txt"),
            ("machine_id", "?"),
            ("droid_volume", "{F240593E-8750-4C72-A6C7-B83E0F37F0DF}"),
            ("droid_file", "{BD7A59F0-CBBB-11E8-863C-E442A6FBA84C}"),
            (
                "birth_droid_volume",
                "{F240593E-8750-4C72-A6C7-B83E0F37F0DF}",
            ),
            ("birth_droid_file", "{BD7A59F0-CBBB-11E8-863C-E442A6FBA84C}"),
            ("target_path", "\\\\ޓ\\C\\relay\\说明.txt"),
        ],
    ),
    (
        "unpaired_surrogate.lnk",
        &[
            ("creation_time", "2023-07-10 04:01:20.797107600"),
            ("write_time", "2019-12-06 21:29:00.000000000"),
            ("access_time", "2023-07-10 04:03:17.058054000"),
            ("file_size", "11264"),
            ("file_attributes", "0x00000020"),
            ("drive_type", "fixed"),
            ("drive_serial", "2CA3-D1AE"),
            ("volume_label", ""),
            // lnkinfo drops the "." after the lone surrogate
            ("local_path", "C:\\test\\unicode_U+0000d800_�.exe"),
            ("relative_path", ".\\unicode_U+0000d800_�.exe"),
            ("working_dir", "C:\\test"),
            ("machine_id", "test"),
            ("droid_volume", "{D28804B0-3144-48DE-B6DA-6BBF800A0016}"),
            ("droid_file", "{63206BC4-1ED5-11EE-A2F7-525400EEB605}"),
            (
                "birth_droid_volume",
                "{D28804B0-3144-48DE-B6DA-6BBF800A0016}",
            ),
            ("birth_droid_file", "{63206BC4-1ED5-11EE-A2F7-525400EEB605}"),
            ("id_items", "4"),
            ("id_long_names", "||test|unicode_U+0000d800_�.exe"),
            ("id_mft_refs", "||92882-56|386618-63"),
            ("id_list_path", "C:\\test\\unicode_U+0000d800_�.exe"),
            ("target_path", "C:\\test\\unicode_U+0000d800_�.exe"),
        ],
    ),
    (
        "uwp_calc_idlist_only.lnk",
        &[
            ("file_size", "0"),
            ("file_attributes", "0x00000000"),
            ("id_items", "2"),
        ],
    ),
    (
        "vmware_shared_folder.lnk",
        &[
            ("creation_time", "2020-11-12 01:43:21.754999400"),
            ("write_time", "2020-11-12 01:43:21.754999400"),
            ("access_time", "2020-11-12 01:43:21.750999400"),
            ("file_size", "1343"),
            ("file_attributes", "0x00000080"),
            (
                "network_path",
                "\\\\vmware-host\\Shared Folders\\shared\\tmp\\1.yaml",
            ),
            ("working_dir", "F:\\tmp"),
            ("id_items", "4"),
            ("id_long_names", "||tmp|1.yaml"),
            ("id_mft_refs", "||8651087-0|"),
            ("id_list_path", "F:\\tmp\\1.yaml"),
            (
                "target_path",
                "\\\\vmware-host\\Shared Folders\\shared\\tmp\\1.yaml",
            ),
        ],
    ),
    (
        "win10_chinese_shared_local.lnk",
        &[
            ("creation_time", "2023-03-06 18:43:10.277910500"),
            ("write_time", "2023-03-06 18:43:26.077897400"),
            ("access_time", "2023-03-06 18:43:26.077897400"),
            ("file_size", "4"),
            ("file_attributes", "0x00000020"),
            ("drive_type", "fixed"),
            ("drive_serial", "5C14-AF47"),
            ("volume_label", ""),
            ("local_path", "C:\\Users\\u0041\\Desktop\\Test\\测试 1.txt"),
            ("network_path", "\\\\COMMANDO\\Test\\测试 1.txt"),
            (
                "relative_path",
                "..\\..\\..\\..\\..\\Desktop\\Test\\测试 1.txt",
            ),
            ("working_dir", "C:\\Users\\u0041\\Desktop\\Test"),
            ("machine_id", "commando"),
            ("droid_volume", "{F3DE7CBC-518D-4055-8E4A-2822382DDD3B}"),
            ("droid_file", "{539933D0-BC4E-11ED-8A28-5076AFA95947}"),
            (
                "birth_droid_volume",
                "{F3DE7CBC-518D-4055-8E4A-2822382DDD3B}",
            ),
            ("birth_droid_file", "{539933D0-BC4E-11ED-8A28-5076AFA95947}"),
            ("id_items", "2"),
            ("id_long_names", "Test|测试 1.txt"),
            ("id_mft_refs", "110-11|173749-17"),
            ("target_path", "C:\\Users\\u0041\\Desktop\\Test\\测试 1.txt"),
        ],
    ),
    (
        "win10_recent_arabic.lnk",
        &[
            ("creation_time", "2021-02-08 12:44:25.540389300"),
            ("write_time", "2021-02-08 12:45:11.873353100"),
            ("access_time", "2021-02-08 12:44:25.540389300"),
            ("file_size", "13"),
            ("file_attributes", "0x00000020"),
            ("drive_type", "fixed"),
            ("drive_serial", "E02E-8A93"),
            ("volume_label", ""),
            ("local_path", "C:\\Users\\u0041\\Desktop\\test\\تجربة.txt"),
            (
                "relative_path",
                "..\\..\\..\\..\\..\\Desktop\\test\\تجربة.txt",
            ),
            ("working_dir", "C:\\Users\\u0041\\Desktop\\test"),
            ("machine_id", "win10"),
            ("droid_volume", "{00D2581C-4749-44BD-9381-9BDFADF8A9DE}"),
            ("droid_file", "{BD4FAE9F-6A0A-11EB-8ECF-5076AFA95947}"),
            (
                "birth_droid_volume",
                "{00D2581C-4749-44BD-9381-9BDFADF8A9DE}",
            ),
            ("birth_droid_file", "{BD4FAE9F-6A0A-11EB-8ECF-5076AFA95947}"),
            ("id_items", "2"),
            ("id_long_names", "test|تجربة.txt"),
            ("id_mft_refs", "91461-3|107993-3"),
            ("target_path", "C:\\Users\\u0041\\Desktop\\test\\تجربة.txt"),
        ],
    ),
    (
        "win11_recent_deep_path.lnk",
        &[
            ("creation_time", "2022-12-13 04:12:26.929959900"),
            ("write_time", "2022-12-13 04:12:26.946243500"),
            ("access_time", "2022-12-13 04:17:00.919950400"),
            ("file_size", "2108702"),
            ("file_attributes", "0x00002020"),
            ("drive_type", "fixed"),
            ("drive_serial", "4290-933E"),
            ("volume_label", ""),
            (
                "local_path",
                "C:\\Users\\bob\\Projects\\artemis-core\\target\\release\\examples\\reg_collect\\12bc0d4f-4af0-4ab8-8538-effab2fe3ef2.json",
            ),
            (
                "relative_path",
                "..\\..\\..\\..\\..\\Projects\\artemis-core\\target\\release\\examples\\reg_collect\\12bc0d4f-4af0-4ab8-8538-effab2fe3ef2.json",
            ),
            (
                "working_dir",
                "C:\\Users\\bob\\Projects\\artemis-core\\target\\release\\examples\\reg_collect",
            ),
            ("machine_id", "desktop-uqqdft8"),
            ("droid_volume", "{0313F37A-D55C-4EFD-B99A-C86820901747}"),
            ("droid_file", "{977F3101-6D4A-11ED-B147-000C29106787}"),
            (
                "birth_droid_volume",
                "{0313F37A-D55C-4EFD-B99A-C86820901747}",
            ),
            ("birth_droid_file", "{977F3101-6D4A-11ED-B147-000C29106787}"),
            ("id_items", "8"),
            (
                "id_long_names",
                "|Projects|artemis-core|target|release|examples|reg_collect|12bc0d4f-4af0-4ab8-8538-effab2fe3ef2.json",
            ),
            (
                "id_mft_refs",
                "|697-5|95422-11|35698-49|35720-50|35854-57|12047-26|188196-33",
            ),
            (
                "target_path",
                "C:\\Users\\bob\\Projects\\artemis-core\\target\\release\\examples\\reg_collect\\12bc0d4f-4af0-4ab8-8538-effab2fe3ef2.json",
            ),
        ],
    ),
    (
        "win11_recent_txt.lnk",
        &[
            ("creation_time", "2022-02-06 20:15:40.028082000"),
            ("write_time", "2022-02-06 20:15:40.028082000"),
            ("access_time", "2022-02-06 20:15:40.028082000"),
            ("file_size", "0"),
            ("file_attributes", "0x00000020"),
            ("drive_type", "fixed"),
            ("drive_serial", "180B-1E67"),
            ("volume_label", ""),
            (
                "local_path",
                "C:\\Users\\AndrewRathbun\\Desktop\\New Text Document.txt",
            ),
            (
                "relative_path",
                "..\\..\\..\\..\\..\\Desktop\\New Text Document.txt",
            ),
            ("working_dir", "C:\\Users\\AndrewRathbun\\Desktop"),
            ("machine_id", "goldpaperw11"),
            ("droid_volume", "{DC54220C-946D-4320-AE9D-09E28795B1DD}"),
            ("droid_file", "{A90D25BE-86B5-11EC-AE36-EC63D7728336}"),
            (
                "birth_droid_volume",
                "{DC54220C-946D-4320-AE9D-09E28795B1DD}",
            ),
            ("birth_droid_file", "{A90D25BE-86B5-11EC-AE36-EC63D7728336}"),
            ("id_items", "1"),
            ("id_long_names", "New Text Document.txt"),
            ("id_mft_refs", "1786-5"),
            (
                "target_path",
                "C:\\Users\\AndrewRathbun\\Desktop\\New Text Document.txt",
            ),
        ],
    ),
    (
        "win7_computer_idlist_only.lnk",
        &[
            ("file_size", "0"),
            ("file_attributes", "0x00000000"),
            ("name", "@%windir%\\explorer.exe,-304"),
            ("icon_location", "%windir%\\system32\\imageres.dll"),
            ("id_items", "1"),
        ],
    ),
    (
        "win7_dir_on_share.lnk",
        &[
            ("creation_time", "2009-07-14 04:53:59.043247400"),
            ("write_time", "2010-05-16 19:36:08.967318800"),
            ("access_time", "2010-05-16 19:36:08.967318800"),
            ("file_size", "8192"),
            ("file_attributes", "0x00002010"),
            ("drive_type", "fixed"),
            ("drive_serial", "502E-1A8A"),
            ("volume_label", "SSD-WIN7"),
            ("local_path", "C:\\Users\\Administrator"),
            ("network_path", "\\\\NETBOOK\\Users\\Administrator"),
            ("relative_path", "..\\..\\Administrator"),
            ("machine_id", "netbook"),
            ("droid_volume", "{4F7C66DA-D320-4CC4-8D50-165DD98EBC01}"),
            ("droid_file", "{136502FF-8C66-11DF-B6EB-001377D34A59}"),
            (
                "birth_droid_volume",
                "{4F7C66DA-D320-4CC4-8D50-165DD98EBC01}",
            ),
            ("birth_droid_file", "{136502FF-8C66-11DF-B6EB-001377D34A59}"),
            ("id_items", "4"),
            ("id_long_names", "||Users|Administrator"),
            ("id_mft_refs", "||375-1|376-1"),
            ("id_list_path", "C:\\Users\\Administrator"),
            ("known_folder", "UserProfiles"),
            ("target_path", "C:\\Users\\Administrator"),
        ],
    ),
    (
        "win7_explorer_file.lnk",
        &[
            ("creation_time", "2021-02-08 12:58:59.792566800"),
            ("write_time", "2021-02-08 12:59:03.957774200"),
            ("access_time", "2021-02-08 12:58:59.792566800"),
            ("file_size", "4"),
            ("file_attributes", "0x00000020"),
            ("drive_type", "fixed"),
            ("drive_serial", "0077-0724"),
            ("volume_label", ""),
            ("local_path", "C:\\Users\\u0041\\Desktop\\test\\test.txt"),
            ("relative_path", ".\\test\\test.txt"),
            ("working_dir", "C:\\Users\\u0041\\Desktop\\test"),
            ("machine_id", "win7"),
            ("droid_volume", "{10B48A9A-815C-43CF-AE97-5ACD872532A6}"),
            ("droid_file", "{40E858E7-6A0D-11EB-80FC-5076AFA95947}"),
            (
                "birth_droid_volume",
                "{10B48A9A-815C-43CF-AE97-5ACD872532A6}",
            ),
            ("birth_droid_file", "{40E858E7-6A0D-11EB-80FC-5076AFA95947}"),
            ("id_items", "2"),
            ("id_long_names", "test|test.txt"),
            ("id_mft_refs", "121635-41|121637-42"),
            ("target_path", "C:\\Users\\u0041\\Desktop\\test\\test.txt"),
        ],
    ),
    (
        "win7_powershell_env_console.lnk",
        &[
            ("creation_time", "2007-12-01 06:40:30.000000000"),
            ("write_time", "2007-12-01 06:40:30.000000000"),
            ("access_time", "2007-12-03 04:31:10.701197200"),
            ("file_size", "146944"),
            ("file_attributes", "0x00000020"),
            (
                "name",
                "@\"%systemroot%\\system32\\windowspowershell\\v1.0\\powershell.exe\",-111",
            ),
            ("working_dir", "%HOMEDRIVE%%HOMEPATH%"),
            (
                "icon_location",
                "%SystemRoot%\\system32\\WindowsPowerShell\\v1.0\\powershell.exe",
            ),
            (
                "environment",
                "%SystemRoot%\\system32\\WindowsPowerShell\\v1.0\\powershell.exe",
            ),
            ("machine_id", "nana-home"),
            ("droid_volume", "{946C1150-D061-40DD-8497-A97BDE7709E9}"),
            ("droid_file", "{B9138B1B-A461-11DC-AFFA-000F1F867F54}"),
            (
                "birth_droid_volume",
                "{946C1150-D061-40DD-8497-A97BDE7709E9}",
            ),
            ("birth_droid_file", "{B9138B1B-A461-11DC-AFFA-000F1F867F54}"),
            ("id_items", "7"),
            (
                "id_long_names",
                "||WINDOWS|system32|WindowsPowerShell|v1.0|powershell.exe",
            ),
            (
                "id_list_path",
                "C:\\WINDOWS\\system32\\WindowsPowerShell\\v1.0\\powershell.exe",
            ),
            ("special_folder", "37"),
            ("known_folder", "System"),
            (
                "target_path",
                "C:\\WINDOWS\\system32\\WindowsPowerShell\\v1.0\\powershell.exe",
            ),
        ],
    ),
    (
        "win81_downloads_known_folder.lnk",
        &[
            ("creation_time", "2016-01-16 21:21:52.274889800"),
            ("write_time", "2016-01-16 21:22:01.290514700"),
            ("access_time", "2016-01-16 21:22:01.290514700"),
            ("file_size", "0"),
            ("file_attributes", "0x00000011"),
            ("drive_type", "fixed"),
            ("drive_serial", "A26E-529A"),
            ("volume_label", ""),
            ("local_path", "C:\\Users\\e\\Downloads"),
            ("relative_path", "..\\Downloads"),
            ("machine_id", "win81x64"),
            ("droid_volume", "{E1B5F8A2-C12C-47D1-8C6A-5EF9BC270BEA}"),
            ("droid_file", "{2238B204-BC97-11E5-8250-00155D016D0D}"),
            (
                "birth_droid_volume",
                "{E1B5F8A2-C12C-47D1-8C6A-5EF9BC270BEA}",
            ),
            ("birth_droid_file", "{2238B204-BC97-11E5-8250-00155D016D0D}"),
            ("id_items", "2"),
            ("special_folder", "4294967295"),
            ("known_folder", "Downloads"),
            ("target_path", "C:\\Users\\e\\Downloads"),
        ],
    ),
    (
        "win8_app_propstore_only.lnk",
        &[("file_size", "0"), ("file_attributes", "0x00000000")],
    ),
    (
        "win9x_ansi_e_drive.lnk",
        &[
            ("creation_time", "2000-06-27 21:09:58.000000000"),
            ("write_time", "2000-06-27 21:09:58.000000000"),
            ("access_time", "2000-02-11 17:00:00.000000000"),
            ("file_size", "2695213"),
            ("file_attributes", "0x00000000"),
            ("drive_type", "fixed"),
            ("drive_serial", "38A5-E0D9"),
            ("volume_label", "CLEOPATRA"),
            ("local_path", "E:\\Age Of Empires II\\Age2_X1\\age2_x1.Exe"),
            ("name", "The Conquerors - NormalMouse.lnk"),
            ("relative_path", "..\\..\\Age2_X1\\age2_x1.Exe"),
            ("working_dir", "E:\\Age Of Empires II\\"),
            ("arguments", "normalmouse"),
            (
                "icon_location",
                "E:\\Age Of Empires II\\\\Age2_X1\\\\age2_x1.Exe",
            ),
            ("id_items", "5"),
            (
                "id_list_path",
                "E:\\Age Of Empires II\\Age2_X1\\age2_x1.Exe",
            ),
            ("target_path", "E:\\Age Of Empires II\\Age2_X1\\age2_x1.Exe"),
        ],
    ),
    (
        "ws12r2_server_share_dir.lnk",
        &[
            ("creation_time", "2020-09-18 22:29:34.364426200"),
            ("write_time", "2020-09-19 03:35:06.923613200"),
            ("access_time", "2020-09-19 03:35:06.923613200"),
            ("file_size", "4096"),
            ("file_attributes", "0x00000010"),
            ("drive_type", "fixed"),
            ("drive_serial", "E648-FAD0"),
            ("volume_label", ""),
            ("local_path", "C:\\FileShare\\Secret"),
            ("network_path", "\\\\CITADEL-DC01\\FileShare\\Secret"),
            (
                "relative_path",
                "..\\..\\..\\..\\..\\..\\..\\FileShare\\Secret",
            ),
            ("machine_id", "citadel-dc01"),
            ("droid_volume", "{7A80E88E-C216-47F5-9C0D-47F4525ECF66}"),
            ("droid_file", "{21D63E9E-F9FE-11EA-80BD-000C29E184E6}"),
            (
                "birth_droid_volume",
                "{7A80E88E-C216-47F5-9C0D-47F4525ECF66}",
            ),
            ("birth_droid_file", "{21D63E9E-F9FE-11EA-80BD-000C29E184E6}"),
            ("id_items", "4"),
            ("id_long_names", "||FileShare|Secret"),
            ("id_mft_refs", "||86963-7|86966-9"),
            ("id_list_path", "C:\\FileShare\\Secret"),
            ("target_path", "C:\\FileShare\\Secret"),
        ],
    ),
    (
        "ws12r2_unc_arabic.lnk",
        &[
            ("creation_time", "2021-02-08 13:18:30.971312300"),
            ("write_time", "2021-02-08 13:18:45.268887300"),
            ("access_time", "2021-02-08 13:18:30.971312300"),
            ("file_size", "10"),
            ("file_attributes", "0x00000020"),
            ("network_path", "\\\\127.0.0.1\\TEST\\تجربة.txt"),
            ("working_dir", "\\\\127.0.0.1\\test"),
            ("environment", "\\\\127.0.0.1\\test\\تجربة.txt"),
            ("machine_id", ""),
            ("droid_volume", "{5885FA7A-D5A2-4007-B6B2-541AEA8C35DE}"),
            ("droid_file", "{88D989EA-6A0F-11EB-80B8-000C292F659F}"),
            (
                "birth_droid_volume",
                "{5885FA7A-D5A2-4007-B6B2-541AEA8C35DE}",
            ),
            ("birth_droid_file", "{88D989EA-6A0F-11EB-80B8-000C292F659F}"),
            ("target_path", "\\\\127.0.0.1\\TEST\\تجربة.txt"),
        ],
    ),
    (
        "ws12r2_unc_file.lnk",
        &[
            ("creation_time", "2021-02-08 13:16:18.533987600"),
            ("write_time", "2021-02-08 13:16:22.583078600"),
            ("access_time", "2021-02-08 13:16:18.533987600"),
            ("file_size", "4"),
            ("file_attributes", "0x00000020"),
            ("network_path", "\\\\127.0.0.1\\TEST\\test.txt"),
            ("working_dir", "\\\\127.0.0.1\\test"),
            ("environment", "\\\\127.0.0.1\\test\\test.txt"),
            ("machine_id", ""),
            ("droid_volume", "{5885FA7A-D5A2-4007-B6B2-541AEA8C35DE}"),
            ("droid_file", "{88D989A6-6A0F-11EB-80B8-000C292F659F}"),
            (
                "birth_droid_volume",
                "{5885FA7A-D5A2-4007-B6B2-541AEA8C35DE}",
            ),
            ("birth_droid_file", "{88D989A6-6A0F-11EB-80B8-000C292F659F}"),
            ("target_path", "\\\\127.0.0.1\\TEST\\test.txt"),
        ],
    ),
    (
        "ws2019_german.lnk",
        &[
            ("creation_time", "2023-03-04 10:38:06.242245900"),
            ("write_time", "2023-03-04 10:38:07.398495300"),
            ("access_time", "2023-03-04 10:38:07.398495300"),
            ("file_size", "11378"),
            ("file_attributes", "0x00000020"),
            ("drive_type", "fixed"),
            ("drive_serial", "D283-3F5C"),
            ("volume_label", "System"),
            (
                "local_path",
                "C:\\Users\\jasa\\Desktop\\Süßspeisen mit Äpfeln.docx",
            ),
            (
                "relative_path",
                "..\\..\\..\\..\\..\\Desktop\\Süßspeisen mit Äpfeln.docx",
            ),
            ("working_dir", "C:\\Users\\jasa\\Desktop"),
            ("machine_id", "q4deumsy0a6"),
            ("droid_volume", "{EE2E92D2-CAE9-4418-94CA-3B34C160D97F}"),
            ("droid_file", "{7F311CED-BA30-11ED-A651-00505610D919}"),
            (
                "birth_droid_volume",
                "{EE2E92D2-CAE9-4418-94CA-3B34C160D97F}",
            ),
            ("birth_droid_file", "{7F311CED-BA30-11ED-A651-00505610D919}"),
            ("id_items", "1"),
            ("id_long_names", "Süßspeisen mit Äpfeln.docx"),
            ("id_mft_refs", "670544-12"),
            (
                "target_path",
                "C:\\Users\\jasa\\Desktop\\Süßspeisen mit Äpfeln.docx",
            ),
        ],
    ),
    (
        "ws2019_german_no_metadata.lnk",
        &[
            ("file_size", "0"),
            ("file_attributes", "0x00000000"),
            ("drive_type", "fixed"),
            ("drive_serial", "D283-3F5C"),
            ("volume_label", "System"),
            ("local_path", "C:\\Users\\jasa\\Desktop\\Süßspeisen.docx"),
            (
                "relative_path",
                "..\\..\\..\\..\\..\\Desktop\\Süßspeisen.docx",
            ),
            ("working_dir", "C:\\Users\\jasa\\Desktop"),
            ("id_items", "6"),
            ("id_long_names", "||Users|jasa|Desktop|Süßspeisen.docx"),
            ("id_mft_refs", "||469-1|406953-41|422286-13|"),
            ("id_list_path", "C:\\Users\\jasa\\Desktop\\Süßspeisen.docx"),
            ("target_path", "C:\\Users\\jasa\\Desktop\\Süßspeisen.docx"),
        ],
    ),
    (
        "xp_cpl_idlist_only.lnk",
        &[
            ("file_size", "0"),
            ("file_attributes", "0x00000000"),
            ("id_items", "3"),
        ],
    ),
    (
        "xp_dir_french.lnk",
        &[
            ("creation_time", "2004-08-20 01:16:19.590000000"),
            ("write_time", "2004-08-20 01:16:48.000000000"),
            ("access_time", "2004-08-19 12:00:00.000000000"),
            ("file_size", "0"),
            ("file_attributes", "0x00000011"),
            ("drive_type", "fixed"),
            ("drive_serial", "B832-EF92"),
            ("volume_label", ""),
            (
                "local_path",
                "C:\\Documents and Settings\\All Users\\Documents\\Ma musique\\Échantillons de musique",
            ),
            (
                "relative_path",
                "..\\..\\..\\All Users\\Documents\\Ma musique\\Échantillons de musique",
            ),
            ("id_items", "4"),
            ("id_long_names", "||Ma musique|Échantillons de musique"),
            ("special_folder", "53"),
            (
                "target_path",
                "C:\\Documents and Settings\\All Users\\Documents\\Ma musique\\Échantillons de musique",
            ),
        ],
    ),
    (
        "xp_exec_args_console.lnk",
        &[
            ("creation_time", "2010-07-12 09:45:31.265625000"),
            ("write_time", "2010-07-12 09:55:36.546875000"),
            ("access_time", "2010-07-12 09:59:58.250000000"),
            ("file_size", "5120"),
            ("file_attributes", "0x00000020"),
            ("drive_type", "fixed"),
            ("drive_serial", "D0D5-76F3"),
            ("volume_label", "DATA"),
            (
                "local_path",
                "D:\\Devl.Net\\@Perso\\Shellify\\ShellifyTool\\bin\\Debug\\ShellifyTool.exe",
            ),
            ("name", "ExecTesting"),
            (
                "relative_path",
                "..\\..\\ShellifyTool\\bin\\Debug\\ShellifyTool.exe",
            ),
            (
                "working_dir",
                "D:\\Devl.Net\\@Perso\\Shellify\\ShellifyTool\\bin\\Debug",
            ),
            ("arguments", "argument1 argument2 argument3"),
            ("icon_location", "%SystemRoot%\\system32\\SHELL32.dll"),
            ("machine_id", "al-0145"),
            ("droid_volume", "{1415F306-0C5A-4F90-8D72-20C497B6DDB0}"),
            ("droid_file", "{24E4DEDE-8CBB-11DF-BA00-001C234BC396}"),
            (
                "birth_droid_volume",
                "{1415F306-0C5A-4F90-8D72-20C497B6DDB0}",
            ),
            ("birth_droid_file", "{24E4DEDE-8CBB-11DF-BA00-001C234BC396}"),
            ("id_items", "9"),
            (
                "id_long_names",
                "||Devl.Net|@Perso|Shellify|ShellifyTool|bin|Debug|ShellifyTool.exe",
            ),
            // lnkinfo 20181227 prints the file size as hot key and show command
            ("hot_key", "Ctrl+Shift+G"),
            (
                "id_list_path",
                "D:\\Devl.Net\\@Perso\\Shellify\\ShellifyTool\\bin\\Debug\\ShellifyTool.exe",
            ),
            (
                "target_path",
                "D:\\Devl.Net\\@Perso\\Shellify\\ShellifyTool\\bin\\Debug\\ShellifyTool.exe",
            ),
        ],
    ),
    (
        "xp_local_dir.lnk",
        &[
            ("creation_time", "2004-08-19 12:05:25.090000000"),
            ("write_time", "2010-07-09 06:48:01.349937600"),
            ("access_time", "2010-07-09 07:36:45.267844500"),
            ("file_size", "0"),
            ("file_attributes", "0x00002010"),
            ("drive_type", "fixed"),
            ("drive_serial", "10BD-BCD3"),
            ("volume_label", "SYSTEM"),
            ("local_path", "C:\\WINDOWS\\system32"),
            ("relative_path", ".\\system32"),
            ("machine_id", "al-0145"),
            ("droid_volume", "{23863E6A-3D00-4423-B4C5-05FE7266EB5E}"),
            ("droid_file", "{FC884F95-388B-11DD-B743-001C234BC396}"),
            (
                "birth_droid_volume",
                "{23863E6A-3D00-4423-B4C5-05FE7266EB5E}",
            ),
            ("birth_droid_file", "{FC884F95-388B-11DD-B743-001C234BC396}"),
            ("id_items", "4"),
            ("id_long_names", "||WINDOWS|system32"),
            ("id_list_path", "C:\\WINDOWS\\system32"),
            ("special_folder", "37"),
            ("target_path", "C:\\WINDOWS\\system32"),
        ],
    ),
    (
        "xp_local_file.lnk",
        &[
            ("creation_time", "2004-08-19 12:16:19.460000000"),
            ("write_time", "2004-08-05 11:00:00.000000000"),
            ("access_time", "2010-07-09 07:37:36.909130500"),
            ("file_size", "2"),
            ("file_attributes", "0x00000020"),
            ("drive_type", "fixed"),
            ("drive_serial", "10BD-BCD3"),
            ("volume_label", "SYSTEM"),
            ("local_path", "C:\\WINDOWS\\desktop.ini"),
            ("relative_path", ".\\desktop.ini"),
            ("working_dir", "C:\\WINDOWS"),
            ("machine_id", "al-0145"),
            ("droid_volume", "{23863E6A-3D00-4423-B4C5-05FE7266EB5E}"),
            ("droid_file", "{7372EB6B-8AC9-11DF-B9FE-001C234BC396}"),
            (
                "birth_droid_volume",
                "{23863E6A-3D00-4423-B4C5-05FE7266EB5E}",
            ),
            ("birth_droid_file", "{7372EB6B-8AC9-11DF-B9FE-001C234BC396}"),
            ("id_items", "4"),
            ("id_long_names", "||WINDOWS|desktop.ini"),
            ("id_list_path", "C:\\WINDOWS\\desktop.ini"),
            ("special_folder", "36"),
            ("target_path", "C:\\WINDOWS\\desktop.ini"),
        ],
    ),
    (
        "xp_remote_dir.lnk",
        &[
            ("creation_time", "2009-10-08 13:48:55.606000000"),
            ("write_time", "2010-07-08 12:36:01.253000000"),
            ("access_time", "2010-07-09 13:52:31.490000000"),
            ("file_size", "0"),
            ("file_attributes", "0x00000010"),
            ("network_path", "\\\\ALS-FICHIERS3\\QUALITÉ\\GMAldheris"),
            ("machine_id", "als-fichiers3"),
            ("droid_volume", "{00000000-0000-0000-0000-000000000000}"),
            ("droid_file", "{8AB7E0C5-75C8-11DE-B8C9-000F1FF7C0DD}"),
            (
                "birth_droid_volume",
                "{00000000-0000-0000-0000-000000000000}",
            ),
            ("birth_droid_file", "{8AB7E0C5-75C8-11DE-B8C9-000F1FF7C0DD}"),
            ("id_items", "7"),
            ("id_long_names", "||||||GMAldheris"),
            ("id_list_path", "\\\\als-fichiers3\\Qualité\\GMAldheris"),
            ("target_path", "\\\\ALS-FICHIERS3\\QUALITÉ\\GMAldheris"),
        ],
    ),
    (
        "xp_remote_file.lnk",
        &[
            ("creation_time", "2004-11-04 09:10:42.218750000"),
            ("write_time", "2001-02-21 16:33:49.230000000"),
            ("access_time", "2010-07-09 13:53:19.349375000"),
            ("file_size", "325120"),
            ("file_attributes", "0x00000080"),
            (
                "network_path",
                "\\\\ALS-FICHIERS3\\QUALITÉ\\Archives\\Méthodologie WAS\\Norme de développement JAVA.doc",
            ),
            (
                "working_dir",
                "\\\\als-fichiers3\\Qualité\\Archives\\Méthodologie WAS",
            ),
            ("machine_id", "als-fichiers3"),
            ("droid_volume", "{00000000-0000-0000-0000-000000000000}"),
            ("droid_file", "{EA461B34-9877-11DA-80BD-000F1FF7C0DC}"),
            (
                "birth_droid_volume",
                "{00000000-0000-0000-0000-000000000000}",
            ),
            ("birth_droid_file", "{EA461B34-9877-11DA-80BD-000F1FF7C0DC}"),
            ("id_items", "9"),
            (
                "id_long_names",
                "||||||Archives|Méthodologie WAS|Norme de développement JAVA.doc",
            ),
            (
                "id_list_path",
                "\\\\als-fichiers3\\Qualité\\Archives\\Méthodologie WAS\\Norme de développement JAVA.doc",
            ),
            (
                "target_path",
                "\\\\ALS-FICHIERS3\\QUALITÉ\\Archives\\Méthodologie WAS\\Norme de développement JAVA.doc",
            ),
        ],
    ),
];

#[test]
fn every_sample_has_expected_values() {
    let on_disk: BTreeSet<String> = sample_names().into_iter().collect();
    let expected: BTreeSet<String> = EXPECTED.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(on_disk, expected);
}

#[test]
fn samples_decode_as_lnkinfo_reads_them() {
    for (name, expected) in EXPECTED {
        let bytes = read(name);
        assert!(shortcut::is_shell_link(&bytes), "{name}");
        let link = shortcut::decode(&bytes);
        let got = fields(&link);
        let want: Vec<(&str, String)> = expected.iter().map(|&(k, v)| (k, v.to_string())).collect();
        assert_eq!(got, want, "{name}");
        if *name != "unpaired_surrogate.lnk" {
            assert_eq!(link.problems, [], "{name}");
        }
        serde_json::to_string(&link).unwrap();
    }
}

#[test]
fn unpaired_surrogate_is_kept_and_reported() {
    let link = shortcut::decode(&read("unpaired_surrogate.lnk"));
    let reasons: Vec<(usize, &str)> = link.problems.iter().map(|p| (p.offset, p.reason)).collect();
    assert_eq!(
        reasons,
        [
            (
                275,
                "ill-formed UTF-16 in a long name (unpaired surrogate kept as U+FFFD)"
            ),
            (
                415,
                "ill-formed UTF-16 in LinkInfo (unpaired surrogate kept as U+FFFD)"
            ),
            (
                487,
                "ill-formed UTF-16 in StringData (unpaired surrogate kept as U+FFFD)"
            ),
        ]
    );
    let info = link.link_info.unwrap();
    assert_eq!(
        info.local_base_path.as_deref(),
        Some("C:\\test\\unicode_U+0000d800_?.exe")
    );
    assert_eq!(
        info.local_base_path_unicode.as_deref(),
        Some("C:\\test\\unicode_U+0000d800_\u{FFFD}.exe")
    );
}

#[test]
fn details_of_single_samples() {
    let link = shortcut::decode(&read("spec_example.lnk"));
    let h = link.header.as_ref().unwrap();
    assert_eq!(h.link_flags, 0x0008_009B);
    assert_eq!(
        h.link_flag_names,
        [
            "has_link_target_id_list",
            "has_link_info",
            "has_relative_path",
            "has_working_dir",
            "is_unicode",
            "enable_target_metadata"
        ]
    );
    assert_eq!(h.file_attribute_names, ["archive"]);
    let items = &link.id_list.as_ref().unwrap().items;
    assert_eq!(items[0].guid_name, Some("My Computer"));
    assert_eq!(items[1].name.as_deref(), Some("C:\\"));
    // lnkinfo: "Modification time: Sep 12, 2008 20:27:18".
    assert_eq!(items[2].modified.as_deref(), Some("2008-09-12T20:27:18"));
    let tracker = link.extra.tracker.as_ref().unwrap();
    // File droid 7BCD46EC-7F22-11DD-9499-00137216874A is a version 1 UUID.
    assert_eq!(tracker.mac_address.as_deref(), Some("00:13:72:16:87:4A"));
    assert_eq!(
        filetime_text(tracker.droid_file_time.unwrap()),
        "2008-09-10 10:23:17.364913200"
    );

    // HotKey 0x074B; lnkinfo 20181227 prints the file size there instead.
    let link = shortcut::decode(&read("xp_exec_args_console.lnk"));
    assert_eq!(link.header.as_ref().unwrap().hot_key_raw, 0x0347);
    let console = link.extra.console.as_ref().unwrap();
    assert_eq!(console.face_name, "Lucida Console");
    assert_eq!(
        (console.screen_buffer_size, console.window_size),
        ((80, 300), (79, 24))
    );

    let link = shortcut::decode(&read("xp_remote_file.lnk"));
    let network = link.link_info.as_ref().unwrap().network.as_ref().unwrap();
    // ANSI (Windows-1252) "É" in the share name.
    assert_eq!(network.net_name, "\\\\ALS-FICHIERS3\\QUALITÉ");
    assert_eq!(network.provider_name, Some("lanman"));
    assert_eq!(
        link.id_list.as_ref().unwrap().path.as_deref(),
        Some(
            "\\\\als-fichiers3\\Qualité\\Archives\\Méthodologie WAS\\Norme de développement JAVA.doc"
        )
    );

    let link = shortcut::decode(&read("unicode_server_unc.lnk"));
    let network = link.link_info.as_ref().unwrap().network.as_ref().unwrap();
    assert_eq!(network.net_name, "\\\\?\\C");
    assert_eq!(network.name(), "\\\\\u{0793}\\C");

    let link = shortcut::decode(&read("mapped_drive_z.lnk"));
    let network = link.link_info.as_ref().unwrap().network.as_ref().unwrap();
    assert_eq!(network.device(), Some("Z:"));

    let link = shortcut::decode(&read("msi_advertised_darwin.lnk"));
    let darwin = link.extra.darwin.as_ref().unwrap().value().unwrap();
    assert!(
        darwin.starts_with("34TL`lrv5(mOG_3$,CC!ReaderProgramFiles"),
        "{darwin}"
    );

    let link = shortcut::decode(&read("win81_downloads_known_folder.lnk"));
    let items = &link.id_list.as_ref().unwrap().items;
    assert_eq!(items[1].guid_name, Some("Downloads"));
    assert_eq!(
        link.extra.known_folder.as_ref().unwrap().name,
        Some("Downloads")
    );

    let link = shortcut::decode(&read("win8_app_propstore_only.lnk"));
    let store = link.extra.property_store.as_ref().unwrap();
    assert!(!store.is_empty());
    assert!(store.iter().all(|s| s.format_id.starts_with('{')));

    let link = shortcut::decode(&read("ws12r2_unc_file.lnk"));
    assert!(!link.extra.vista_id_list.as_ref().unwrap().items.is_empty());
}

#[test]
fn content_not_extension_decides() {
    assert!(!shortcut::is_shell_link(b"MZ\x90\x00"));
    assert!(!shortcut::is_shell_link(&[]));
    let mut not_link = read("spec_example.lnk");
    not_link[4] ^= 1;
    assert!(!shortcut::is_shell_link(&not_link));
    let link = shortcut::decode(&not_link);
    assert!(link.header.is_none());
    assert_eq!(link.problems.len(), 1);
    assert_eq!(link.problems[0].offset, 0);
}

#[test]
fn every_truncation_is_reported_without_panic() {
    for name in sample_names() {
        let bytes = read(&name);
        for len in 0..bytes.len() {
            let cut = &bytes[..len];
            let link = shortcut::decode(cut);
            serde_json::to_string(&link).unwrap();
            let _ = link.target_path();
            assert!(
                !link.problems.is_empty(),
                "{name} cut at {len}: no problem reported"
            );
            for p in &link.problems {
                assert!(p.offset <= len, "{name} cut at {len}: {p}");
            }
        }
    }
}

#[test]
fn random_bit_flips_do_not_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for name in sample_names() {
        let bytes = read(&name);
        for _ in 0..300 {
            let mut b = bytes.clone();
            for _ in 0..1 + rng.next() % 8 {
                let at = (rng.next() % b.len() as u64) as usize;
                b[at] ^= 1 << (rng.next() % 8);
            }
            let link = shortcut::decode(&b);
            serde_json::to_string(&link).unwrap();
            let _ = link.target_path();
            for p in &link.problems {
                assert!(p.offset <= b.len(), "{name}: {p}");
            }
            let _ = shortcut::decode_pif(&b);
        }
    }
}

/// A header with the given LinkFlags.
fn header(flags: u32) -> Vec<u8> {
    let mut b = vec![0u8; shortcut::HEADER_SIZE];
    b[..4].copy_from_slice(&0x4Cu32.to_le_bytes());
    b[4..20].copy_from_slice(&shortcut::LINK_CLSID);
    b[0x14..0x18].copy_from_slice(&flags.to_le_bytes());
    b
}

fn reasons(link: &ShellLink) -> Vec<(usize, &'static str)> {
    link.problems.iter().map(|p| (p.offset, p.reason)).collect()
}

#[test]
fn huge_declared_sizes_are_reported_at_their_offsets() {
    // IDListSize 0xFFFF with 4 bytes behind it.
    let mut b = header(0x01);
    b.extend_from_slice(&[0xFF, 0xFF, 0x14, 0x00, 0x1F, 0x50]);
    let link = shortcut::decode(&b);
    assert_eq!(
        reasons(&link)[0],
        (0x4C, "IDListSize runs past the end of the file")
    );

    // LinkInfoSize 0xFFFFFFFF.
    let mut b = header(0x02);
    b.extend_from_slice(&u32::MAX.to_le_bytes());
    b.extend_from_slice(&[0; 0x20]);
    let link = shortcut::decode(&b);
    assert_eq!(
        reasons(&link)[0],
        (0x4C, "LinkInfoSize runs past the end of the file")
    );

    // A LinkInfo whose offsets point far outside it.
    let mut b = header(0x02);
    for v in [0x1Cu32, 0x1C, 3, 0xFFFF_FFF0, 0xFFFF_FFF0, 0, 0xFFFF_FFF0] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    b.extend_from_slice(&[0; 4]);
    let link = shortcut::decode(&b);
    assert_eq!(
        reasons(&link),
        [
            (0x4C + 0x0C, "VolumeIDOffset outside LinkInfo"),
            (0x4C + 0x10, "LocalBasePathOffset outside LinkInfo"),
            (0x4C + 0x18, "CommonPathSuffixOffset outside LinkInfo"),
        ]
    );
    assert_eq!(link.problems[0].value, Some(0xFFFF_FFF0));

    // A string of 0xFFFF UTF-16 characters with 2 behind it.
    let mut b = header(0x84);
    b.extend_from_slice(&[0xFF, 0xFF, b'a', 0, b'b', 0]);
    let link = shortcut::decode(&b);
    assert_eq!(
        reasons(&link),
        [(0x4C, "StringData string runs past the end of the file")]
    );
    assert_eq!(link.strings.name.as_deref(), Some("ab"));

    // An extra data block of size 0xFFFFFFFF, then a property store whose
    // storage claims 4 GiB.
    let mut b = header(0);
    b.extend_from_slice(&u32::MAX.to_le_bytes());
    b.extend_from_slice(&0xA000_0003u32.to_le_bytes());
    let link = shortcut::decode(&b);
    assert!(reasons(&link).contains(&(0x4C, "BlockSize unexpected for its signature")));
    assert!(reasons(&link).contains(&(0x4C, "extra data block runs past the end of the file")));
    let mut b = header(0);
    b.extend_from_slice(&20u32.to_le_bytes());
    b.extend_from_slice(&0xA000_0009u32.to_le_bytes());
    b.extend_from_slice(&u32::MAX.to_le_bytes());
    b.extend_from_slice(&[0; 12]);
    let link = shortcut::decode(&b);
    assert_eq!(
        reasons(&link),
        [(0x54, "property storage size outside its block")]
    );

    // Many tiny unknown blocks: linear, each listed.
    let mut b = header(0);
    for _ in 0..100_000 {
        b.extend_from_slice(&8u32.to_le_bytes());
        b.extend_from_slice(&0xA000_00FFu32.to_le_bytes());
    }
    b.extend_from_slice(&[0; 4]);
    let start = std::time::Instant::now();
    let link = shortcut::decode(&b);
    assert_eq!(link.extra.unknown.len(), 100_000);
    assert!(start.elapsed().as_secs() < 10);
}

#[test]
fn the_doc_example_holds() {
    let mut bytes = header(0x90);
    bytes.extend_from_slice(&3u16.to_le_bytes());
    bytes.extend("C:\\".encode_utf16().flat_map(u16::to_le_bytes));
    bytes.extend_from_slice(&[0; 4]);
    let link = shortcut::decode(&bytes);
    assert_eq!(link.strings.working_dir.as_deref(), Some("C:\\"));
    assert!(link.problems.is_empty());
    assert_eq!(shortcut::decode(&bytes[..0x50]).problems[0].offset, 0x4C);
}

/// A PIF basic section with a `MICROSOFT PIFEX` heading and one more section.
fn pif() -> Vec<u8> {
    let mut b = vec![0u8; 0x171];
    b[2..32].copy_from_slice(b"EDIT                          ");
    let program = b"C:\\DOS\\EDIT.COM";
    b[0x24..0x24 + program.len()].copy_from_slice(program);
    b[0x65..0x65 + 6].copy_from_slice(b"C:\\TMP");
    b[0xA5..0xA5 + 9].copy_from_slice(b"/H README");
    let mut heading = |name: &[u8], next: u16| {
        let mut h = [0u8; 22];
        h[..name.len()].copy_from_slice(name);
        h[16..18].copy_from_slice(&next.to_le_bytes());
        b.extend_from_slice(&h);
    };
    heading(b"MICROSOFT PIFEX", 0x187);
    heading(b"WINDOWS 386 3.0", 0xFFFF);
    b.extend_from_slice(&[0; 0x68]);
    b
}

#[test]
fn pif_basic_section() {
    let bytes = pif();
    let p = shortcut::decode_pif(&bytes).unwrap();
    assert_eq!(p.title, "EDIT");
    assert_eq!(p.program, "C:\\DOS\\EDIT.COM");
    assert_eq!(p.working_dir.as_deref(), Some("C:\\TMP"));
    assert_eq!(p.parameters.as_deref(), Some("/H README"));
    assert_eq!(p.sections, ["WINDOWS 386 3.0"]);
    assert!(p.problems.is_empty());

    // Cut inside the parameters: what is there, and a problem.
    let p = shortcut::decode_pif(&bytes[..0xB0]).unwrap();
    assert_eq!(p.program, "C:\\DOS\\EDIT.COM");
    assert_eq!(p.parameters, None);
    assert_eq!(p.problems[0].offset, 0xA5);

    for len in 0..bytes.len() {
        let p = shortcut::decode_pif(&bytes[..len]);
        assert_eq!(p.is_some(), len >= 0x63, "{len}");
    }
    // No program name, or a shell link: no PIF.
    assert!(shortcut::decode_pif(&[0u8; 0x171]).is_none());
    assert!(shortcut::decode_pif(&read("spec_example.lnk")).is_none());
}

/// `key : value` lines of lnkinfo's output, but for the shell items'.
fn lnkinfo_fields(output: &str) -> Vec<(String, String)> {
    let mut in_items = false;
    output
        .lines()
        .filter(|l| {
            if !l.is_empty() && !l.starts_with('\t') {
                in_items = l.starts_with("Link target identifier");
            }
            !in_items
        })
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| {
            (
                k.trim().to_string(),
                v.strip_prefix(' ').unwrap_or(v).to_string(),
            )
        })
        .collect()
}

/// Runs lnkinfo (liblnk-utils) on every sample when it is installed, and
/// compares the fields it prints right. With NTFS_LINKS_REQUIRE_EXTERNAL=1 a
/// missing lnkinfo fails the test.
#[test]
fn lnkinfo_agrees_when_installed() {
    if !common::have_tool("lnkinfo", "-V") {
        return;
    }
    for name in sample_names() {
        let path = samples_dir().join(&name);
        let out = Command::new("lnkinfo").arg(&path).output().unwrap();
        assert!(out.status.success(), "lnkinfo {name}");
        let theirs = lnkinfo_fields(&String::from_utf8_lossy(&out.stdout));
        let first = |key: &str| {
            theirs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        };
        let link = shortcut::decode(&std::fs::read(&path).unwrap());
        let ours: std::collections::HashMap<_, _> = fields(&link).into_iter().collect();
        let h = link.header.as_ref().unwrap();
        assert_eq!(
            first("File size"),
            Some(format!("{} bytes", h.file_size)),
            "{name}"
        );
        let pairs = [
            ("Description", "name"),
            ("Working directory", "working_dir"),
            ("Command line arguments", "arguments"),
            ("Machine identifier", "machine_id"),
            ("Volume label", "volume_label"),
            ("Environment variables location", "environment"),
        ];
        for (theirs_key, our_key) in pairs {
            assert_eq!(
                first(theirs_key),
                ours.get(our_key).cloned(),
                "{name}: {theirs_key}"
            );
        }
        // lnkinfo misreads the character after an unpaired surrogate.
        if name != "unpaired_surrogate.lnk" {
            assert_eq!(
                first("Local path"),
                ours.get("local_path").cloned(),
                "{name}"
            );
            assert_eq!(
                first("Relative path"),
                ours.get("relative_path").cloned(),
                "{name}"
            );
        }
        assert_eq!(
            first("Network path"),
            ours.get("network_path").cloned(),
            "{name}"
        );
        if let Some(serial) =
            first("Drive serial number").filter(|_| ours.contains_key("drive_serial"))
        {
            let serial = u32::from_str_radix(serial.trim_start_matches("0x"), 16).unwrap();
            let volume = link.link_info.as_ref().unwrap().volume_id.as_ref().unwrap();
            assert_eq!(serial, volume.drive_serial_number, "{name}");
        }
    }
}

/// The real shortcuts inside an image: `fixtures/real-shortcuts.img` holds a
/// zero-filled placeholder of each sample's size (the project does not copy
/// the samples) and the targets some of them name; the test writes each
/// sample's bytes over its placeholder (through the fixups of a resident
/// value), sets the volume serial to the one two of them recorded, and
/// checks every outcome the manifest gives (`fixtures/build.py` says why
/// each).
#[test]
fn real_shortcuts_resolve_inside_an_image() {
    use ntfs_links::image::Image;
    use ntfs_links::record::AttributeType;
    use ntfs_links::volume::Volume;
    use sha2::Digest;

    let text = std::fs::read_to_string(common::fixture("real-shortcuts.json")).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
    let samples = manifest["samples"].as_object().unwrap();
    assert_eq!(
        samples.len(),
        sample_names().len(),
        "every sample is placed"
    );
    let mut image = std::fs::read(common::fixture("real-shortcuts.img")).unwrap();
    let pristine = Volume::open(Image::from_bytes(image.clone()), 0).unwrap();
    let tree = ntfs_links::Tree::new(ntfs_links::Scan::run(&pristine, Default::default()).unwrap());
    let cluster = pristine.geometry().cluster_size;
    for (name, want) in samples {
        let bytes = read(name);
        assert_eq!(bytes.len() as u64, want["size"].as_u64().unwrap(), "{name}");
        let digest: String = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(digest, want["sha256"].as_str().unwrap(), "{name}");
        let record = tree.lookup(want["path"].as_str().unwrap()).unwrap().record;
        let owned = pristine
            .read_with_extensions(record, |t| t == AttributeType::DATA, 1 << 20)
            .unwrap();
        let base = &owned[0];
        let attr = base
            .attributes()
            .find(|a| a.type_code() == AttributeType::DATA && a.name().is_empty())
            .unwrap();
        match attr.value() {
            Some(value) => {
                assert!(value.iter().all(|&b| b == 0), "{name}: placeholder");
                // Where the value is in the record, and where each byte is
                // stored: the last two of each 512-byte stride are in the
                // update sequence array.
                let at = value.as_ptr() as usize - base.bytes.as_ptr() as usize;
                let record_at = pristine.record_image_offset(record).unwrap() as usize;
                let usa = u16::from_le_bytes([base.bytes[4], base.bytes[5]]) as usize;
                for (i, &b) in bytes.iter().enumerate() {
                    let o = at + i;
                    let stored = match o % 512 {
                        510 | 511 => usa + 2 + 2 * (o / 512) + (o % 512 - 510),
                        _ => o,
                    };
                    image[record_at + stored] = b;
                }
            }
            None => {
                let run = attr.runs().unwrap().next().unwrap().unwrap();
                let at = (run.lcn.unwrap() * cluster) as usize;
                assert!(
                    image[at..at + bytes.len()].iter().all(|&b| b == 0),
                    "{name}"
                );
                image[at..at + bytes.len()].copy_from_slice(&bytes);
            }
        }
    }
    let serial = u32::from_str_radix(manifest["serial"].as_str().unwrap(), 16).unwrap();
    image[0x48..0x4C].copy_from_slice(&serial.to_le_bytes());

    let volume = Volume::open(Image::from_bytes(image), 0).unwrap();
    let reports = common::reports_with(
        &volume,
        Default::default(),
        Default::default(),
        ntfs_links::LinkOptions { drive: Some('C') },
    );
    let mut seen = 0;
    for r in &reports {
        let Some(path) = r.names.first().and_then(|n| n.path.as_deref()) else {
            continue;
        };
        let Some(name) = path.rsplit('/').next().filter(|n| samples.contains_key(*n)) else {
            continue;
        };
        let want = &samples[name];
        let s = r
            .shortcut
            .as_ref()
            .unwrap_or_else(|| panic!("{name}: not found as a shortcut"));
        assert_eq!(
            s.resolution.outcome.as_str(),
            want["outcome"].as_str().unwrap(),
            "{name}: {:?}",
            s.resolution
        );
        assert_eq!(
            s.resolution.path.as_deref(),
            want["resolves_to"].as_str(),
            "{name}"
        );
        // The same link as decoded from the file itself.
        assert_eq!(s.link, shortcut::decode(&read(name)), "{name}");
        seen += 1;
    }
    assert_eq!(seen, samples.len());
}
