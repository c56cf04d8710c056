//! Findings: what the scan noticed about one record (damage, inconsistencies).

use crate::error::RecordError;
use serde::Serialize;

/// The kind of a finding: a stable code for scripts (`kind` in json).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
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
}

/// One finding on one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable code.
    pub kind: FindingKind,
    /// Human-readable detail.
    pub message: String,
    /// Image byte offset where the problem is, when it has one.
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
