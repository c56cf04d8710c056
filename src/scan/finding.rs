//! Findings: what is wrong with one record (damage, inconsistencies). The scan
//! makes those it meets while reading; the [`Analysis`](crate::Analysis) the rest.

use crate::error::RecordError;
use serde::Serialize;

/// The kind of a finding: a stable code for scripts (`kind` in json).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum FindingKind {
    /// The signature is not `FILE` (NTFS writes `BAAD` into torn records).
    BadSignature,
    /// The update sequence array does not fit the record.
    BadUpdateSequence,
    /// A 512-byte stride does not end in the update sequence number (torn write).
    FixupMismatch,
    /// A header field points outside the record.
    BadHeader,
    /// An attribute header or value does not fit; later attributes are not read.
    BadAttribute,
    /// A $FILE_NAME value is too short for its name, or not resident.
    BadFileName,
    /// The $ATTRIBUTE_LIST could not be read or has a damaged entry.
    BadAttributeList,
    /// An attribute list entry names a record that is not an extension of this one.
    ForeignExtension,
    /// An attribute list entry names an attribute its record does not hold.
    MissingListedAttribute,
    /// An extension record names this record as its base but is not in its list.
    UnlistedExtension,
    /// A record not in use whose attributes run past `bytes_used`: they were
    /// read to the end marker, and this names what came from past it.
    ReadPastUsed,
    /// A junction's or symbolic link's names are odd though the buffer is well
    /// formed: a name holds a NUL, or the print name is not the substitute
    /// name without its `\??\` prefix.
    OddReparseNames,
    /// The attribute list could not be read: the record was assembled from
    /// the extension records that name it as their base.
    AssembledWithoutList,
    /// The header's hard-link count differs from the number of $FILE_NAMEs.
    LinkCountMismatch,
    /// A name's parent record is outside the $MFT or not in use.
    ParentMissing,
    /// A name's parent record has been reused: its sequence number differs.
    ParentSequenceMismatch,
    /// A name's parent record is not a directory.
    ParentNotDirectory,
    /// A name's parent chain loops.
    ParentCycle,
    /// A name's parent chain is broken further up.
    AncestorUnresolved,
    /// An in-use base record holds no $FILE_NAME.
    NoName,
    /// The record number stored in the header differs from the record's place.
    RecordNumberMismatch,
    /// A non-resident value could not be read.
    UnreadableValue,
    /// A reparse buffer's lengths or offsets lie, or its data cannot be decoded.
    BadReparseData,
    /// $STANDARD_INFORMATION's reparse flag and the $REPARSE_POINT disagree.
    ReparseFlagMismatch,
    /// A $FILE_NAME holds another reparse tag than the record's.
    NameReparseTagMismatch,
    /// The record's reparse point has no entry in $Extend\$Reparse:$R.
    ReparseIndexMissing,
    /// An entry of $Extend\$Reparse:$R names a record without that reparse point.
    ReparseIndexStale,
    /// $STANDARD_INFORMATION times are earlier than a $FILE_NAME's (timestomping).
    SiBeforeFileName,
    /// A name is not in the $I30 index of the directory it claims.
    MissingFromIndex,
    /// A $I30 entry names a record that is gone, reused, or without that name.
    StaleIndexEntry,
    /// An index ($I30 of a directory, $R of $Reparse) cannot be read: its checks
    /// were not made.
    UnreadableIndex,
    /// A Windows compatibility link (`Application Data`, `All Users`, ...)
    /// whose target is not the one Windows gives it.
    CompatLinkUnexpectedTarget,
    /// A Windows compatibility link not made as Windows makes it: another
    /// kind of link, without the hidden and system attributes, or without the
    /// entry denying Everyone listing it.
    CompatLinkUnusual,
}

crate::named_variants!(FindingKind {
    BadSignature => "bad_signature",
    BadUpdateSequence => "bad_update_sequence",
    FixupMismatch => "fixup_mismatch",
    BadHeader => "bad_header",
    BadAttribute => "bad_attribute",
    BadFileName => "bad_file_name",
    BadAttributeList => "bad_attribute_list",
    ForeignExtension => "foreign_extension",
    MissingListedAttribute => "missing_listed_attribute",
    UnlistedExtension => "unlisted_extension",
    AssembledWithoutList => "assembled_without_list",
    OddReparseNames => "odd_reparse_names",
    ReadPastUsed => "read_past_used",
    LinkCountMismatch => "link_count_mismatch",
    ParentMissing => "parent_missing",
    ParentSequenceMismatch => "parent_sequence_mismatch",
    ParentNotDirectory => "parent_not_directory",
    ParentCycle => "parent_cycle",
    AncestorUnresolved => "ancestor_unresolved",
    NoName => "no_name",
    RecordNumberMismatch => "record_number_mismatch",
    UnreadableValue => "unreadable_value",
    BadReparseData => "bad_reparse_data",
    ReparseFlagMismatch => "reparse_flag_mismatch",
    NameReparseTagMismatch => "name_reparse_tag_mismatch",
    ReparseIndexMissing => "reparse_index_missing",
    ReparseIndexStale => "reparse_index_stale",
    SiBeforeFileName => "si_before_file_name",
    MissingFromIndex => "missing_from_index",
    StaleIndexEntry => "stale_index_entry",
    UnreadableIndex => "unreadable_index",
    CompatLinkUnexpectedTarget => "compat_link_unexpected_target",
    CompatLinkUnusual => "compat_link_unusual",
});

/// One finding on one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Finding {
    /// Stable code.
    pub kind: FindingKind,
    /// Human-readable detail.
    pub message: String,
    /// Image byte offset where the problem is: the damaged structure's when the
    /// check knows it, else the record's (the offset in the $MFT file for a bare
    /// $MFT). After an [`Analysis`](crate::Analysis), every finding on a record of
    /// the $MFT has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

impl Finding {
    /// A finding without an offset.
    pub fn new(kind: FindingKind, message: impl Into<String>) -> Finding {
        Finding {
            kind,
            message: message.into(),
            offset: None,
        }
    }

    /// A finding from a record error; `record_offset` is the record's image offset.
    pub fn from_record_error(e: &RecordError, record_offset: u64) -> Finding {
        let kind = match e {
            RecordError::BadSignature(_) => FindingKind::BadSignature,
            RecordError::BadUpdateSequence { .. } => FindingKind::BadUpdateSequence,
            RecordError::FixupMismatch { .. } => FindingKind::FixupMismatch,
            RecordError::BadHeader { .. } => FindingKind::BadHeader,
            RecordError::BadAttribute { .. } => FindingKind::BadAttribute,
        };
        Finding {
            kind,
            message: e.to_string(),
            offset: Some(record_offset + e.record_offset() as u64),
        }
    }
}
