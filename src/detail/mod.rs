//! One record in full, as `stat` shows it (like sleuthkit's `istat`): its
//! header, every attribute with its value decoded where ntfs-links knows the
//! type, its data runs, and the extension records its attribute list names.
//!
//! [`RecordDetail::read`] reads the record and its extensions from the volume;
//! nothing here prints.

use crate::attribute::{
    FileAttributes, FileName, Namespace, StandardInformation, Timestamps, file_attribute_names,
};
use crate::error::{Error, RecordError, Result};
use crate::record::{
    Attribute, AttributeListEntries, AttributeType, FileReference, RecordFlags, RecordView,
};
use crate::reparse::ReparsePoint;
use crate::volume::Volume;
use serde::Serialize;
use std::collections::BTreeSet;

/// Header flags and the names `stat` gives them.
const FLAG_NAMES: [(RecordFlags, &str); 4] = [
    (RecordFlags::IN_USE, "in use"),
    (RecordFlags::DIRECTORY, "directory"),
    (RecordFlags::EXTEND, "extend"),
    (RecordFlags::VIEW_INDEX, "view index"),
];

/// One record in full.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct RecordDetail {
    /// Record number.
    pub record: u64,
    /// Image byte offset of the record.
    pub image_offset: u64,
    /// Record size in bytes.
    pub size: usize,
    /// Why the fixups failed (the record is read as well as it can be).
    pub fixups: Option<String>,
    /// Why the record cannot be viewed at all (then it has no header and no
    /// attributes).
    #[serde(serialize_with = "display")]
    pub unusable: Option<RecordError>,
    /// The header.
    pub header: Option<HeaderDetail>,
    /// The attributes, in record order.
    pub attributes: Vec<AttributeDetail>,
    /// Why the attributes stop before the end marker.
    pub damaged: Option<String>,
    /// The extension records the attribute list names.
    pub extensions: Vec<ExtensionDetail>,
    /// A directory's $I30 entries, in index order (empty for other records).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub index_entries: Vec<IndexEntryDetail>,
    /// Why a directory's $I30 could not be read whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_error: Option<String>,
}

/// One entry of a directory's $I30 index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexEntryDetail {
    /// The name the entry holds.
    pub name: String,
    /// The record it names, and that record's sequence number then.
    pub reference: FileReference,
    /// The name's namespace.
    pub namespace: Namespace,
}

/// A record header.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct HeaderDetail {
    /// Sequence number.
    pub sequence: u16,
    /// Flags.
    pub flags: u16,
    /// Their names (`in use`, `directory`, `extend`, `view index`).
    pub flag_names: Vec<&'static str>,
    /// Hard-link count.
    pub link_count: u16,
    /// $LogFile sequence number.
    pub lsn: u64,
    /// Bytes used.
    pub bytes_used: usize,
    /// Bytes allocated.
    pub bytes_allocated: u32,
    /// The base record, for an extension record.
    pub base: Option<FileReference>,
    /// Next attribute instance.
    pub next_attribute_instance: u16,
    /// The record number the header stores (NTFS 3.1).
    pub stored_record_number: Option<u32>,
}

/// An extension record of the file.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct ExtensionDetail {
    /// Record number.
    pub record: u64,
    /// Why it cannot be read or viewed at all.
    pub unreadable: Option<String>,
    /// Why its fixups failed.
    pub fixups: Option<String>,
    /// Its header, when it can be viewed.
    pub header: Option<HeaderDetail>,
    /// Its attributes.
    pub attributes: Vec<AttributeDetail>,
    /// Why its attributes stop before the end marker.
    pub damaged: Option<String>,
}

/// One attribute: its header, decoded value and runs.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct AttributeDetail {
    /// Type name (`$FILE_NAME`).
    pub type_name: &'static str,
    /// Type code.
    pub type_code: u32,
    /// Its name (streams, indexes).
    pub name: Option<String>,
    /// Instance number.
    pub instance: u16,
    /// Offset in the record.
    pub offset: usize,
    /// Resident (in the record) or not.
    pub resident: bool,
    /// Value size in bytes.
    pub size: u64,
    /// For a non-resident attribute: VCNs, sizes and flags.
    pub non_resident: Option<NonResidentDetail>,
    /// The value decoded, for the types shown.
    pub value: Option<ValueDetail>,
    /// Data runs of a non-resident attribute.
    pub runs: Vec<RunDetail>,
    /// Why the runs stop early.
    pub runs_damaged: Option<String>,
}

/// The header fields of a non-resident attribute.
#[derive(Debug, Clone, Copy, Serialize)]
#[non_exhaustive]
pub struct NonResidentDetail {
    /// First VCN of this piece.
    pub lowest_vcn: u64,
    /// Last VCN of this piece.
    pub highest_vcn: u64,
    /// Allocated size.
    pub allocated_size: u64,
    /// Initialized size.
    pub initialized_size: u64,
    /// Flags (compressed, sparse, encrypted).
    pub flags: u16,
}

/// One data run.
#[derive(Debug, Clone, Copy, Serialize)]
#[non_exhaustive]
pub struct RunDetail {
    /// First VCN.
    pub vcn: u64,
    /// Length in clusters.
    pub length: u64,
    /// First LCN, `None` for a sparse run.
    pub lcn: Option<u64>,
}

/// What NTFS 3.x adds to $STANDARD_INFORMATION.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StandardInformationV3Detail {
    /// Owner id (quotas).
    pub owner_id: u32,
    /// Security id (its descriptor in $Secure).
    pub security_id: u32,
    /// Quota charged.
    pub quota_charged: u64,
    /// Update sequence number: where the file's last change is in $UsnJrnl.
    pub usn: u64,
}

/// A decoded attribute value.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ValueDetail {
    /// $STANDARD_INFORMATION.
    StandardInformation {
        /// Created, modified, MFT changed, accessed (100-ns since 1601).
        times: Timestamps,
        /// `FILE_ATTRIBUTE_*` flags.
        file_attributes: u32,
        /// Their names.
        attribute_names: Vec<&'static str>,
        /// NTFS 3.x: owner id (quotas), security id (in $Secure), quota
        /// charged, update sequence number (in $UsnJrnl).
        #[serde(skip_serializing_if = "Option::is_none")]
        v3: Option<StandardInformationV3Detail>,
    },
    /// $FILE_NAME.
    FileName {
        /// The name.
        name: String,
        /// Its namespace.
        namespace: Namespace,
        /// The parent directory.
        parent: FileReference,
        /// Created, modified, MFT changed, accessed.
        times: Timestamps,
        /// Allocated size.
        allocated_size: u64,
        /// Data size.
        data_size: u64,
        /// `FILE_ATTRIBUTE_*` flags.
        file_attributes: u32,
        /// Their names.
        attribute_names: Vec<&'static str>,
        /// The reparse tag it holds, when its flags say reparse point.
        reparse_tag: Option<u32>,
    },
    /// $ATTRIBUTE_LIST.
    AttributeList {
        /// The entries.
        entries: Vec<ListEntryDetail>,
        /// Offset of a damaged entry that ended the list.
        damaged_at: Option<usize>,
    },
    /// $REPARSE_POINT.
    ReparsePoint {
        /// The tag.
        tag: u32,
        /// The buffer decoded.
        decoded: Box<ReparsePoint>,
        /// The raw buffer.
        #[serde(serialize_with = "hex")]
        bytes: Vec<u8>,
    },
    /// A value that cannot be read.
    Unreadable {
        /// Why.
        reason: String,
    },
}

/// One entry of an attribute list.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct ListEntryDetail {
    /// Type name.
    pub type_name: &'static str,
    /// Type code.
    pub type_code: u32,
    /// Attribute name.
    pub name: String,
    /// First VCN.
    pub lowest_vcn: u64,
    /// The record holding the attribute.
    pub reference: FileReference,
    /// Its instance.
    pub instance: u16,
}

fn hex<S: serde::Serializer>(bytes: &[u8], s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&crate::reparse::hex(bytes))
}

fn display<S: serde::Serializer>(
    e: &Option<RecordError>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match e {
        Some(e) => s.collect_str(e),
        None => s.serialize_none(),
    }
}

impl RecordDetail {
    /// Reads record `n` of `volume` and the extension records its attribute list
    /// names. An error when the record cannot be read; a record whose header
    /// cannot be viewed is [`unusable`](Self::unusable).
    pub fn read(volume: &Volume, n: u64) -> Result<RecordDetail> {
        let image_offset = volume.record_image_offset(n).unwrap_or(0);
        let (buf, fixups) = volume.read_record(n)?;
        let mut detail = RecordDetail {
            record: n,
            image_offset,
            size: buf.len(),
            fixups: fixups.err().map(|e| e.to_string()),
            unusable: None,
            header: None,
            attributes: Vec::new(),
            damaged: None,
            extensions: Vec::new(),
            index_entries: Vec::new(),
            index_error: None,
        };
        let view = match RecordView::new(&buf) {
            Ok(view) => view,
            Err(e) => {
                detail.unusable = Some(e);
                return Ok(detail);
            }
        };
        let extensions;
        (detail.attributes, detail.damaged, extensions) = attributes(volume, n, &view);
        detail.header = Some(HeaderDetail::new(&view));
        detail.extensions = extensions
            .into_iter()
            .map(|e| ExtensionDetail::read(volume, e))
            .collect();
        if view.is_dir() {
            let mut entries = Vec::new();
            let read = crate::index::read(volume, n, "$I30", 1 << 30, &mut |node| {
                for e in crate::index::entries(&node) {
                    let e = e?;
                    if let Some(name) = FileName::new(e.key) {
                        entries.push(IndexEntryDetail {
                            name: name.name().to_string_lossy(),
                            reference: FileReference::from_u64(e.reference),
                            namespace: name.namespace(),
                        });
                    }
                }
                Ok(())
            });
            detail.index_entries = entries;
            detail.index_error = read.err().map(|e| e.to_string());
        }
        Ok(detail)
    }

    /// The error for a record that cannot be viewed, with its offset.
    pub fn usable(&self) -> Result<()> {
        match &self.unusable {
            Some(reason) => Err(Error::Record {
                record: self.record,
                offset: self.image_offset,
                reason: reason.clone(),
            }),
            None => Ok(()),
        }
    }
}

impl HeaderDetail {
    fn new(view: &RecordView<'_>) -> HeaderDetail {
        HeaderDetail {
            sequence: view.sequence(),
            flags: view.flags().bits(),
            flag_names: FLAG_NAMES
                .iter()
                .filter(|(bit, _)| view.flags().contains(*bit))
                .map(|(_, name)| *name)
                .collect(),
            link_count: view.link_count(),
            lsn: view.lsn(),
            bytes_used: view.bytes_used(),
            bytes_allocated: view.bytes_allocated(),
            base: view.base_reference(),
            next_attribute_instance: view.next_attribute_instance(),
            stored_record_number: view.stored_record_number(),
        }
    }
}

impl ExtensionDetail {
    fn read(volume: &Volume, e: u64) -> ExtensionDetail {
        let mut detail = ExtensionDetail {
            record: e,
            unreadable: None,
            fixups: None,
            header: None,
            attributes: Vec::new(),
            damaged: None,
        };
        let (buf, fixups) = match volume.read_record(e) {
            Ok(x) => x,
            Err(why) => {
                detail.unreadable = Some(why.to_string());
                return detail;
            }
        };
        detail.fixups = fixups.err().map(|x| x.to_string());
        match RecordView::new(&buf) {
            Ok(view) => {
                detail.header = Some(HeaderDetail::new(&view));
                (detail.attributes, detail.damaged, _) = attributes(volume, e, &view);
            }
            Err(x) => detail.damaged = Some(x.to_string()),
        }
        detail
    }
}

/// The attributes of record `n`, why they stop early, and the extension
/// records its attribute list names.
fn attributes(
    volume: &Volume,
    n: u64,
    view: &RecordView<'_>,
) -> (Vec<AttributeDetail>, Option<String>, BTreeSet<u64>) {
    let mut extensions = BTreeSet::new();
    let mut out = Vec::new();
    for attr in view.attributes() {
        match attr {
            Ok(a) => out.push(AttributeDetail::new(volume, n, &a, &mut extensions)),
            Err(e) => return (out, Some(e.to_string()), extensions),
        }
    }
    (out, None, extensions)
}

impl AttributeDetail {
    fn new(
        volume: &Volume,
        n: u64,
        attr: &Attribute<'_>,
        extensions: &mut BTreeSet<u64>,
    ) -> AttributeDetail {
        let (mut runs, mut runs_damaged) = (Vec::new(), None);
        for run in attr.runs().into_iter().flatten() {
            match run {
                Ok(r) => runs.push(RunDetail {
                    vcn: r.vcn,
                    length: r.length,
                    lcn: r.lcn,
                }),
                Err(e) => runs_damaged = Some(format!("run at {:#x}: {}", e.at, e.what)),
            }
        }
        AttributeDetail {
            type_name: attr.kind().name(),
            type_code: attr.type_code(),
            name: (!attr.name().is_empty()).then(|| attr.name().to_string_lossy()),
            instance: attr.instance(),
            offset: attr.offset(),
            resident: attr.is_resident(),
            size: attr.data_size(),
            non_resident: (!attr.is_resident()).then(|| NonResidentDetail {
                lowest_vcn: attr.lowest_vcn(),
                highest_vcn: attr.highest_vcn(),
                allocated_size: attr.allocated_size(),
                initialized_size: attr.initialized_size(),
                flags: attr.flags(),
            }),
            value: ValueDetail::new(volume, n, attr, extensions),
            runs,
            runs_damaged,
        }
    }
}

impl ValueDetail {
    fn new(
        volume: &Volume,
        n: u64,
        attr: &Attribute<'_>,
        extensions: &mut BTreeSet<u64>,
    ) -> Option<ValueDetail> {
        let unreadable = |e: Error| ValueDetail::Unreadable {
            reason: e.to_string(),
        };
        Some(match attr.type_code() {
            AttributeType::STANDARD_INFORMATION => {
                let si = attr.value().and_then(StandardInformation::new)?;
                ValueDetail::StandardInformation {
                    times: si.times(),
                    file_attributes: si.file_attributes().bits(),
                    attribute_names: file_attribute_names(si.file_attributes().bits()),
                    v3: si.v3().map(|v| StandardInformationV3Detail {
                        owner_id: v.owner_id.get(),
                        security_id: v.security_id.get(),
                        quota_charged: v.quota_charged.get(),
                        usn: v.usn.get(),
                    }),
                }
            }
            AttributeType::FILE_NAME => {
                let f = attr.value().and_then(FileName::new)?;
                let attributes = f.file_attributes();
                let flags = attributes.bits();
                ValueDetail::FileName {
                    name: f.name().to_string_lossy(),
                    namespace: f.namespace(),
                    parent: f.parent(),
                    times: f.times(),
                    allocated_size: f.allocated_size(),
                    data_size: f.data_size(),
                    file_attributes: flags,
                    attribute_names: file_attribute_names(flags),
                    reparse_tag: attributes
                        .contains(FileAttributes::REPARSE_POINT)
                        .then(|| f.reparse_or_ea()),
                }
            }
            AttributeType::ATTRIBUTE_LIST => match volume.attribute_value(attr, n) {
                Ok(v) => {
                    let (mut entries, mut damaged_at) = (Vec::new(), None);
                    for e in AttributeListEntries::new(&v) {
                        match e {
                            Ok(e) => {
                                if e.reference.record != n {
                                    extensions.insert(e.reference.record);
                                }
                                entries.push(ListEntryDetail {
                                    type_name: AttributeType::from_code(e.type_code).name(),
                                    type_code: e.type_code,
                                    name: e.name.to_string_lossy(),
                                    lowest_vcn: e.lowest_vcn,
                                    reference: e.reference,
                                    instance: e.instance,
                                });
                            }
                            Err(e) => damaged_at = Some(e.at),
                        }
                    }
                    ValueDetail::AttributeList {
                        entries,
                        damaged_at,
                    }
                }
                Err(e) => unreadable(e),
            },
            AttributeType::REPARSE_POINT => match volume.attribute_value(attr, n) {
                Ok(v) => ValueDetail::ReparsePoint {
                    tag: crate::bytes::u32_at(&v, 0).unwrap_or(0),
                    decoded: Box::new(crate::reparse::decode(&v)),
                    bytes: v,
                },
                Err(e) => unreadable(e),
            },
            _ => return None,
        })
    }
}
