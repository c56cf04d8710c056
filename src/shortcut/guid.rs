//! GUIDs as links store them (Data1, Data2, Data3 little-endian, then 8 bytes in
//! order), written in registry form, and the names of the folders they stand for.

use super::bytes;

/// A GUID read from 16 bytes at `at`, in registry form
/// (`{20D04FE0-3AEA-1069-A2D8-08002B30309D}`).
pub(crate) fn guid_at(b: &[u8], at: usize) -> Option<String> {
    let raw: [u8; 16] = bytes::array(b, at)?;
    Some(format_guid(&raw))
}

/// Registry form of a GUID's 16 on-disk bytes.
pub(crate) fn format_guid(raw: &[u8; 16]) -> String {
    let [a0, a1, a2, a3, b0, b1, c0, c1, rest @ ..] = *raw;
    let mut s = format!(
        "{{{:08X}-{:04X}-{:04X}-",
        u32::from_le_bytes([a0, a1, a2, a3]),
        u16::from_le_bytes([b0, b1]),
        u16::from_le_bytes([c0, c1]),
    );
    for (i, byte) in rest.iter().enumerate() {
        if i == 2 {
            s.push('-');
        }
        s.push_str(&format!("{byte:02X}"));
    }
    s.push('}');
    s
}

/// Shell folders that head an ID list (root folder items, CLSIDs of the shell
/// namespace; names as libfwsi's list gives them).
const SHELL_FOLDERS: &[(&str, &str)] = &[
    ("{20D04FE0-3AEA-1069-A2D8-08002B30309D}", "My Computer"),
    (
        "{208D2C60-3AEA-1069-A2D7-08002B30309D}",
        "My Network Places",
    ),
    ("{F02C1A0D-BE21-4350-88B0-7367FC96EF3C}", "Network"),
    ("{450D8FBA-AD25-11D0-98A8-0800361B1103}", "My Documents"),
    ("{59031A47-3F72-44A7-89C5-5595FE6B30EE}", "Users Files"),
    ("{645FF040-5081-101B-9F08-00AA002F954E}", "Recycle Bin"),
    ("{21EC2020-3AEA-1069-A2DD-08002B30309D}", "Control Panel"),
    ("{26EE0668-A00A-44D7-9371-BEB064C98683}", "Control Panel"),
    ("{2227A280-3AEA-1069-A2DE-08002B30309D}", "Printers"),
    (
        "{871C5380-42A0-1069-A2EA-08002B30309D}",
        "Internet Explorer",
    ),
    ("{4234D49B-0245-4DF3-B780-3893943456E1}", "Applications"),
    ("{031E4825-7B94-4DC3-B131-E946B44C8DD5}", "Libraries"),
    ("{679F85CB-0220-4080-B29B-5540CC05AAB6}", "Quick access"),
    ("{018D5C66-4533-4307-9B53-224DE2ED1FE6}", "OneDrive"),
    ("{9343812E-1C37-4A49-A12E-4B2D810D956B}", "Search"),
    (
        "{D20EA4E1-3957-11D2-A40B-0C5020524153}",
        "Administrative Tools",
    ),
    ("{ED228FDF-9EA8-4870-83B1-96B02CFE0D52}", "Games"),
];

/// Known folders (KNOWNFOLDERID, `FOLDERID_` without its prefix), as Windows
/// SDK's KnownFolders.h defines them.
const KNOWN_FOLDERS: &[(&str, &str)] = &[
    ("{B4BFCC3A-DB2C-424C-B029-7FE99A87C641}", "Desktop"),
    ("{FDD39AD0-238F-46AF-ADB4-6C85480369C7}", "Documents"),
    ("{374DE290-123F-4565-9164-39C4925E467B}", "Downloads"),
    ("{4BD8D571-6D19-48D3-BE97-422220080E43}", "Music"),
    ("{33E28130-4E1E-4676-835A-98395C3BC3BB}", "Pictures"),
    ("{18989B1D-99B5-455B-841C-AB7C74E4DDFC}", "Videos"),
    ("{5E6C858F-0E22-4760-9AFE-EA3317B67173}", "Profile"),
    ("{0762D272-C50A-4BB0-A382-697DCD729B80}", "UserProfiles"),
    ("{DFDF76A2-C82A-4D63-906A-5644AC457385}", "Public"),
    ("{C4AA340D-F20F-4863-AFEF-F87EF2E6BA25}", "PublicDesktop"),
    ("{ED4824AF-DCE4-45A8-81E2-FC7965083634}", "PublicDocuments"),
    ("{3D644C9B-1FB8-4F30-9B45-F670235F79C0}", "PublicDownloads"),
    ("{3214FAB5-9757-4298-BB61-92A9DEAA44FF}", "PublicMusic"),
    ("{B6EBFB86-6907-413C-9AF7-4FC2ABF07CC5}", "PublicPictures"),
    ("{2400183A-6185-49FB-A2D8-4A392A602BA3}", "PublicVideos"),
    ("{F38BF404-1D43-42F2-9305-67DE0B28FC23}", "Windows"),
    ("{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}", "System"),
    ("{D65231B0-B2F1-4857-A4CE-A8E7C6EA7D27}", "SystemX86"),
    ("{905E63B6-C1BF-494E-B29C-65B732D3D21A}", "ProgramFiles"),
    ("{7C5A40EF-A0FB-4BFC-874A-C0F2E0B9FA8E}", "ProgramFilesX86"),
    ("{6D809377-6AF0-444B-8957-A3773F02200E}", "ProgramFilesX64"),
    (
        "{F7F1ED05-9F6D-47A2-AAAE-29D317C6F066}",
        "ProgramFilesCommon",
    ),
    (
        "{DE974D24-D9C6-4D3E-BF91-F4455120B917}",
        "ProgramFilesCommonX86",
    ),
    (
        "{6365D5A7-0F0D-45E5-87F6-0DA56B6A4F7D}",
        "ProgramFilesCommonX64",
    ),
    ("{5CD7AEE2-2219-4A67-B85D-6C9CE15660CB}", "UserProgramFiles"),
    ("{62AB5D82-FDC1-4DC3-A9DD-070D1D495D97}", "ProgramData"),
    ("{3EB685DB-65F9-4CF6-A03A-E3EF65729F3D}", "RoamingAppData"),
    ("{F1B32785-6FBA-4FCF-9D55-7B8E7F157091}", "LocalAppData"),
    ("{A520A1A4-1780-4FF6-BD18-167343C5AF16}", "LocalAppDataLow"),
    ("{625B53C3-AB48-4EC1-BA1F-A1EF4146FC19}", "StartMenu"),
    ("{A77F5D77-2E2B-44C3-A6A2-ABA601054A51}", "Programs"),
    ("{B97D20BB-F46A-4C97-BA10-5E3608430854}", "Startup"),
    ("{A4115719-D62E-491D-AA7C-E74B8BE3B067}", "CommonStartMenu"),
    ("{0139D44E-6AFE-49F2-8690-3DAFCAE6FFB8}", "CommonPrograms"),
    ("{82A5EA35-D9CD-47C5-9629-E15D2F714E6E}", "CommonStartup"),
    ("{AE50C081-EBD2-438A-8655-8A092E34987A}", "Recent"),
    ("{8983036C-27C0-404B-8F08-102D10DCFD74}", "SendTo"),
    ("{1777F761-68AD-4D8A-87BD-30B759FA33DD}", "Favorites"),
    ("{A63293E8-664E-48DB-A079-DF759E0509F7}", "Templates"),
    ("{B94237E7-57AC-4347-9151-B08C6C32D1F7}", "CommonTemplates"),
    ("{52A4F021-7B75-48A9-9F6B-4B87A210BC8F}", "QuickLaunch"),
    ("{724EF170-A42D-4FEF-9F26-B60E846FBA4F}", "AdminTools"),
    ("{D0384E7D-BAC3-4797-8F14-CBA229B392B5}", "CommonAdminTools"),
    ("{FD228CB7-AE11-4AE3-864C-16F3910AB8FE}", "Fonts"),
    ("{8AD10C31-2ADB-4296-A8F7-E4701232C972}", "ResourceDir"),
    ("{9E52AB10-F80D-49DF-ACB8-4330F5687855}", "CDBurning"),
    ("{D9DC8A3B-B784-432E-A781-5A1130A75963}", "History"),
    ("{2B0F765D-C0E9-4171-908E-08A611B84FF6}", "Cookies"),
    ("{352481E8-33BE-4251-BA85-6007CAEDCF9D}", "InternetCache"),
    ("{C5ABBF53-E17F-4121-8900-86626FC2C973}", "NetHood"),
    ("{9274BD8D-CFD1-41C3-B35E-B13F55A758F4}", "PrintHood"),
    ("{4C5C32FF-BB9D-43B0-B5B4-2D72E54EAAA4}", "SavedGames"),
    ("{7D1D3A04-DEBB-4115-95CF-2F29DA2920DA}", "SavedSearches"),
    ("{BFB9D5E0-C6A9-404C-B2B2-AE6DB6AF4968}", "Links"),
    ("{56784854-C6CB-462B-8169-88E350ACB882}", "Contacts"),
    ("{F3CE0F7C-4901-4ACC-8648-D5D44B04EF8F}", "UsersFiles"),
    ("{0AC0837C-BBF8-452A-850D-79D08E667CA7}", "ComputerFolder"),
    ("{D20BEEC4-5CA8-4905-AE3B-BF251EA09B53}", "NetworkFolder"),
    (
        "{82A74AEB-AEB4-465C-A014-D097EE346D63}",
        "ControlPanelFolder",
    ),
    ("{76FC4E2D-D6AD-4519-A663-37BD56068185}", "PrintersFolder"),
    ("{B7534046-3ECB-4C18-BE4E-64CD4CB7D6AC}", "RecycleBinFolder"),
    ("{4D9F7874-4E0C-4904-967B-40B0D20C3E4B}", "InternetFolder"),
];

/// The name of a shell folder or known folder GUID (registry form), when known.
pub(crate) fn folder_name(guid: &str) -> Option<&'static str> {
    SHELL_FOLDERS
        .iter()
        .chain(KNOWN_FOLDERS)
        .find(|(g, _)| g.eq_ignore_ascii_case(guid))
        .map(|&(_, name)| name)
}

/// The name of a known folder GUID (registry form), when known.
pub(crate) fn known_folder_name(guid: &str) -> Option<&'static str> {
    KNOWN_FOLDERS
        .iter()
        .find(|(g, _)| g.eq_ignore_ascii_case(guid))
        .map(|&(_, name)| name)
}
