//! The volume: boot sector, and where the $MFT's records lie in the image.
//!
//! The $MFT describes itself: record 0's unnamed $DATA attribute maps the $MFT's
//! clusters. When that mapping does not fit in record 0 (a badly fragmented $MFT),
//! record 0 has an $ATTRIBUTE_LIST and the later pieces of $DATA sit in extension
//! records, which are themselves found through the pieces read so far. [`MftMap`]
//! is the result: byte ranges of the image, in $MFT order.

mod boot_sector;
mod info;

pub use boot_sector::{BootSector, Geometry, MAX_CLUSTER_SIZE, MAX_RECORD_SIZE, serial_text};
pub use info::VolumeInfo;

use crate::error::{Error, MftProblem, RecordError, Result, ValueProblem};
use crate::image::Image;
use crate::record::RecordHeader;
use crate::record::well_known::MFT;
use crate::record::{
    AttributeListEntries, AttributeType, DataRun, FileReference, RecordView, apply_fixups,
};
use serde::Serialize;
use std::mem::size_of;

/// Largest non-resident value read on a cold path ($ATTRIBUTE_LIST, $REPARSE_POINT,
/// volume name): more is damage, not data.
pub const MAX_COLD_VALUE: u64 = 16 << 20;

/// Most $DATA pieces followed for the $MFT itself.
const MAX_MFT_PIECES: usize = 4096;

/// A record read on a cold path ([`Volume::read_record_fixed`]): its
/// number and its bytes, fixups applied.
#[derive(Debug, Clone)]
pub struct OwnedRecord {
    /// The record number.
    pub number: u64,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

impl OwnedRecord {
    /// Its attributes, as far as they can be read (none when the header
    /// cannot be viewed).
    pub fn attributes(&self) -> impl Iterator<Item = crate::record::Attribute<'_>> {
        RecordView::new(&self.bytes)
            .into_iter()
            .flat_map(|v| v.attributes().flatten())
    }
}

/// One contiguous range of $MFT bytes in the image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MftExtent {
    /// Offset of the range within the $MFT's data.
    pub mft_offset: u64,
    /// Image byte offset where it lies.
    pub image_offset: u64,
    /// Length in bytes.
    pub len: u64,
}

/// Where the $MFT lies and how many records it holds.
#[derive(Debug, Clone, Serialize)]
pub struct MftMap {
    /// Extents in $MFT order.
    pub extents: Vec<MftExtent>,
    /// Size of the $MFT's $DATA.
    pub data_size: u64,
    /// Initialized size: records past it are zero by definition.
    pub initialized_size: u64,
    /// Records that can be read: initialized, mapped and inside the image.
    pub record_count: u64,
}

impl MftMap {
    /// Copies `buf.len()` bytes of the $MFT from `mft_offset`, across extents.
    pub fn read(&self, image: &Image, mft_offset: u64, buf: &mut [u8]) -> Result<()> {
        let mut done = 0usize;
        while done < buf.len() {
            let at = mft_offset + done as u64;
            let i = self.extents.partition_point(|e| e.mft_offset + e.len <= at);
            let e = self
                .extents
                .get(i)
                .filter(|e| e.mft_offset <= at)
                .ok_or(Error::BadMft {
                    record: MFT,
                    offset: at,
                    what: MftProblem::Unmapped(at),
                })?;
            let n = ((e.mft_offset + e.len - at) as usize).min(buf.len() - done);
            image.read_at(
                e.image_offset + (at - e.mft_offset),
                buf.get_mut(done..done + n).unwrap_or_default(),
                "$MFT",
            )?;
            done += n;
        }
        Ok(())
    }

    /// Image offset of $MFT byte `mft_offset`.
    pub fn image_offset(&self, mft_offset: u64) -> Option<u64> {
        let i = self
            .extents
            .partition_point(|e| e.mft_offset + e.len <= mft_offset);
        let e = self.extents.get(i).filter(|e| e.mft_offset <= mft_offset)?;
        Some(e.image_offset + (mft_offset - e.mft_offset))
    }
}

/// Where the records come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// An NTFS volume (in an image at some offset).
    Volume,
    /// An $MFT file already extracted: no clusters beyond the records.
    BareMft,
}

/// An opened NTFS volume (or bare $MFT file): geometry and the $MFT's map.
#[derive(Debug)]
pub struct Volume {
    image: Image,
    offset: u64,
    boot: Option<BootSector>,
    geometry: Geometry,
    mft: MftMap,
    source: Source,
    warnings: Vec<String>,
}

/// One piece of the $MFT's $DATA attribute.
struct Piece {
    lowest_vcn: u64,
    runs: Vec<DataRun>,
    sizes: Option<(u64, u64)>,
}

impl Volume {
    /// Opens the NTFS volume whose boot sector is at image byte `offset`.
    ///
    /// ```no_run
    /// use ntfs_links::{Image, Volume};
    /// let image = Image::open("fixtures/basic.img", Default::default())?;
    /// let volume = Volume::open(image, 0)?;
    /// println!("{} records of {} bytes", volume.record_count(), volume.record_size());
    /// # Ok::<(), ntfs_links::Error>(())
    /// ```
    pub fn open(image: Image, offset: u64) -> Result<Volume> {
        let boot = BootSector::read(&image, offset)?;
        let geometry = boot.geometry(offset)?;
        let mft_start = offset + boot.mft_lcn * geometry.cluster_size;
        let mirror = offset + boot.mftmirr_lcn * geometry.cluster_size;
        let rs = geometry.record_size as usize;
        let mut warnings = Vec::new();
        if offset + geometry.volume_size > image.len() {
            warnings.push(format!(
                "the volume is {} bytes but the image holds only {} from byte {offset:#x}",
                geometry.volume_size,
                image.len().saturating_sub(offset)
            ));
        }
        let mut vol = Volume {
            image,
            offset,
            boot: Some(boot),
            geometry,
            mft: MftMap {
                extents: Vec::new(),
                data_size: 0,
                initialized_size: 0,
                record_count: 0,
            },
            source: Source::Volume,
            warnings,
        };
        let mut buf = vec![0u8; rs];
        let mut pieces = Vec::new();
        // Record 0 maps the $MFT; when it cannot, its copy in $MFTMirr does (as
        // Windows does), and a warning says so.
        let mut map_from = |vol: &mut Volume, at: u64, pieces: &mut Vec<Piece>| {
            pieces.clear();
            vol.image.read_at(at, &mut buf, "$MFT record 0")?;
            let list = vol.mft_pieces(0, at, &mut buf, pieces)?;
            vol.mft = vol.build_map(pieces)?;
            Ok::<_, Error>(list)
        };
        let list = match map_from(&mut vol, mft_start, &mut pieces) {
            Ok(list) => list,
            Err(damage) => match map_from(&mut vol, mirror, &mut pieces) {
                Ok(list) => {
                    vol.warnings.push(format!(
                        "$MFT record 0 is damaged ({damage}): the $MFT was mapped from its copy in $MFTMirr (byte {mirror:#x})"
                    ));
                    list
                }
                Err(_) => return Err(damage),
            },
        };
        // Pieces held in extension records, found through the map built so far.
        let mut pending: Vec<(u64, FileReference)> = list;
        pending.sort();
        for (vcn, reference) in pending {
            if pieces.len() >= MAX_MFT_PIECES || pieces.iter().any(|p| p.lowest_vcn == vcn) {
                continue;
            }
            let at = reference.record * rs as u64;
            let image_at = vol.mft.image_offset(at).ok_or(Error::BadMft {
                record: reference.record,
                offset: mft_start,
                what: MftProblem::ExtensionUnmapped(reference.record),
            })?;
            vol.mft.read(&vol.image, at, &mut buf)?;
            let before = pieces.len();
            vol.mft_pieces(reference.record, image_at, &mut buf, &mut pieces)?;
            if pieces.len() == before {
                return Err(Error::BadMft {
                    record: reference.record,
                    offset: image_at,
                    what: MftProblem::MissingPiece { vcn },
                });
            }
            vol.mft = vol.build_map(&pieces)?;
        }
        Ok(vol)
    }

    /// Opens a bare $MFT file (already extracted from a volume). Record size is
    /// taken from record 0's header (1,024 or 4,096 bytes, usually); when record
    /// 0 is damaged, from the first record that has a `FILE` header (a warning
    /// says so, and the scan reports record 0 as damaged).
    pub fn open_mft_file(image: Image) -> Result<Volume> {
        let mut head = [0u8; size_of::<RecordHeader>()];
        image.read_at(0, &mut head, "$MFT record 0")?;
        let mut warnings = Vec::new();
        let is_file = |h: &[u8]| {
            RecordHeader::of(h)
                .filter(|h| &h.multi_sector.signature == b"FILE")
                .map(|h| u64::from(h.bytes_allocated.get()))
        };
        let allocated = match is_file(&head) {
            Some(allocated) => allocated,
            None => {
                // The first `FILE` header at a 1 KiB step, within 64 records.
                let found = (1..=64u64).find_map(|k| {
                    let mut h = [0u8; size_of::<RecordHeader>()];
                    image.read_at(k * 1024, &mut h, "$MFT record").ok()?;
                    let allocated = is_file(&h)?;
                    (allocated >= 1024 && (k * 1024) % allocated == 0).then_some((k, allocated))
                });
                let Some((k, allocated)) = found else {
                    return Err(Error::BadMft {
                        record: MFT,
                        offset: 0,
                        what: MftProblem::Signature(crate::bytes::first4(&head)),
                    });
                };
                warnings.push(format!(
                    "record 0 is damaged (its signature is {:?}): the record size ({allocated} bytes) is taken from record {}",
                    String::from_utf8_lossy(&crate::bytes::first4(&head)),
                    k * 1024 / allocated
                ));
                allocated
            }
        };
        let record_size =
            if allocated.is_power_of_two() && (512..=MAX_RECORD_SIZE).contains(&allocated) {
                allocated
            } else {
                1024
            };
        let len = image.len();
        let geometry = Geometry {
            bytes_per_sector: 512,
            cluster_size: 0,
            record_size,
            index_record_size: 4096,
            volume_size: 0,
        };
        let mft = MftMap {
            extents: vec![MftExtent {
                mft_offset: 0,
                image_offset: 0,
                len,
            }],
            data_size: len,
            initialized_size: len,
            record_count: len / record_size,
        };
        Ok(Volume {
            image,
            offset: 0,
            boot: None,
            geometry,
            mft,
            source: Source::BareMft,
            warnings,
        })
    }

    /// Reads the $MFT's $DATA pieces held in the record in `buf` (read from image
    /// offset `at`); returns the attribute list's entries for pieces held elsewhere.
    fn mft_pieces(
        &self,
        record: u64,
        at: u64,
        buf: &mut [u8],
        pieces: &mut Vec<Piece>,
    ) -> Result<Vec<(u64, FileReference)>> {
        let bad = |offset: u64, what: MftProblem| Error::BadMft {
            record,
            offset,
            what,
        };
        let damaged = |e: RecordError| bad(at + e.record_offset() as u64, MftProblem::Record(e));
        apply_fixups(buf).map_err(damaged)?;
        let view = RecordView::new(buf).map_err(damaged)?;
        let mut elsewhere = Vec::new();
        for attr in view.attributes() {
            let attr = attr.map_err(damaged)?;
            match attr.type_code() {
                AttributeType::DATA if attr.name().is_empty() && !attr.is_resident() => {
                    let mut runs = Vec::new();
                    for run in attr.runs().into_iter().flatten() {
                        let run = run.map_err(|e| {
                            bad(
                                at + attr.offset() as u64,
                                MftProblem::Run {
                                    at: e.at,
                                    what: e.what,
                                },
                            )
                        })?;
                        runs.push(run);
                    }
                    let sizes = (attr.lowest_vcn() == 0)
                        .then(|| (attr.data_size(), attr.initialized_size()));
                    pieces.push(Piece {
                        lowest_vcn: attr.lowest_vcn(),
                        runs,
                        sizes,
                    });
                }
                AttributeType::ATTRIBUTE_LIST if record == 0 => {
                    let value = self.attribute_value(&attr, record)?;
                    for entry in AttributeListEntries::new(&value) {
                        let entry = entry.map_err(|e| bad(at, MftProblem::AttributeList(e)))?;
                        if entry.type_code == AttributeType::DATA
                            && entry.name.is_empty()
                            && entry.reference.record != 0
                        {
                            elsewhere.push((entry.lowest_vcn, entry.reference));
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(elsewhere)
    }

    fn build_map(&mut self, pieces: &[Piece]) -> Result<MftMap> {
        let cs = self.geometry.cluster_size;
        let mut order: Vec<&Piece> = pieces.iter().collect();
        order.sort_by_key(|p| p.lowest_vcn);
        let (data_size, initialized_size) =
            order.first().and_then(|p| p.sizes).ok_or(Error::BadMft {
                record: MFT,
                offset: self.offset,
                what: MftProblem::NoFirstPiece,
            })?;
        let mut extents: Vec<MftExtent> = Vec::new();
        let mut next_vcn = 0u64;
        'pieces: for piece in order {
            for run in &piece.runs {
                if run.vcn != next_vcn {
                    break 'pieces; // a gap: stop where the map is continuous
                }
                let lcn = run.lcn.ok_or(Error::BadMft {
                    record: MFT,
                    offset: self.offset,
                    what: MftProblem::SparseRun(run.vcn),
                })?;
                let image_offset = lcn
                    .checked_mul(cs)
                    .and_then(|b| b.checked_add(self.offset))
                    .filter(|&b| b < self.image.len())
                    .ok_or(Error::BadMft {
                        record: MFT,
                        offset: self.offset,
                        what: MftProblem::RunOutside(lcn),
                    })?;
                let len = run.length.saturating_mul(cs);
                extents.push(MftExtent {
                    mft_offset: run.vcn * cs,
                    image_offset,
                    len,
                });
                next_vcn = run.vcn + run.length;
            }
        }
        let mapped = extents.iter().map(|e| e.len).sum::<u64>();
        let mut readable = data_size.min(initialized_size).min(mapped);
        // Stop at the first extent that runs past the end of the image.
        if let Some(e) = extents
            .iter()
            .find(|e| e.image_offset + e.len > self.image.len())
        {
            let inside = self.image.len().saturating_sub(e.image_offset);
            if e.mft_offset + inside < readable {
                readable = e.mft_offset + inside;
                self.warnings.push(format!(
                    "the $MFT runs past the end of the image at $MFT byte {readable:#x}: later records are not read"
                ));
            }
        }
        Ok(MftMap {
            extents,
            data_size,
            initialized_size,
            record_count: readable / self.geometry.record_size,
        })
    }

    /// Reads the value of an attribute of record `record`, resident or not (cold
    /// paths: at most [`MAX_COLD_VALUE`] bytes).
    pub fn attribute_value(
        &self,
        attr: &crate::record::Attribute<'_>,
        record: u64,
    ) -> Result<Vec<u8>> {
        self.attribute_value_max(attr, record, MAX_COLD_VALUE)
    }

    /// Reads the value of an attribute of record `record`, resident or not, if it
    /// is at most `max` bytes.
    pub fn attribute_value_max(
        &self,
        attr: &crate::record::Attribute<'_>,
        record: u64,
        max: u64,
    ) -> Result<Vec<u8>> {
        self.attribute_pieces_value(&[(record, *attr)], max)
    }

    /// Reads the value of an attribute held in one or more pieces (a
    /// non-resident attribute whose runs continue in extension records), each
    /// `(record, attribute)`; the piece starting at VCN 0 gives the size. At most
    /// `max` bytes, and never more than the image holds.
    pub fn attribute_pieces_value(
        &self,
        pieces: &[(u64, crate::record::Attribute<'_>)],
        max: u64,
    ) -> Result<Vec<u8>> {
        let Some(&(record, first)) = pieces.iter().find(|(_, a)| a.lowest_vcn() == 0) else {
            return Err(Error::BadValue {
                record: pieces.first().map_or(0, |p| p.0),
                offset: 0,
                at: 0,
                problem: ValueProblem::NoFirstPiece,
            });
        };
        if let Some(v) = first.value() {
            return Ok(v.to_vec());
        }
        let size = first.data_size();
        let bad = |problem: ValueProblem| Error::BadValue {
            record,
            offset: self.record_image_offset(record).unwrap_or(0) + first.offset() as u64,
            at: first.offset(),
            problem,
        };
        if self.source == Source::BareMft {
            return Err(bad(ValueProblem::BareMft));
        }
        // Nothing larger than the image is read: a lying size must not make us
        // allocate more than the input could ever hold.
        if size > self.image.len() {
            return Err(bad(ValueProblem::LargerThanImage(size)));
        }
        if size > max {
            return Err(bad(ValueProblem::TooLarge(size)));
        }
        self.pieces_value(pieces, size, &bad)
    }

    /// Fills a value of `size` bytes from the runs of `pieces`.
    fn pieces_value(
        &self,
        pieces: &[(u64, crate::record::Attribute<'_>)],
        size: u64,
        bad: &dyn Fn(ValueProblem) -> Error,
    ) -> Result<Vec<u8>> {
        let cs = self.geometry.cluster_size;
        let mut out = vec![0u8; size as usize];
        let mut mapped = 0u64;
        for (_, attr) in pieces {
            for run in attr.runs().into_iter().flatten() {
                let run = run.map_err(|e| {
                    bad(ValueProblem::Run {
                        at: e.at,
                        what: e.what,
                    })
                })?;
                let start = run.vcn.saturating_mul(cs);
                if start >= size {
                    continue;
                }
                let len = run.length.saturating_mul(cs).min(size - start);
                mapped += len;
                if let Some(lcn) = run.lcn {
                    let at = lcn
                        .checked_mul(cs)
                        .and_then(|b| b.checked_add(self.offset))
                        .unwrap_or(u64::MAX);
                    let dst = out
                        .get_mut(start as usize..(start + len) as usize)
                        .unwrap_or_default();
                    self.image.read_at(at, dst, "non-resident attribute")?;
                }
            }
        }
        if mapped < size {
            return Err(bad(ValueProblem::Unmapped { mapped, size }));
        }
        Ok(out)
    }

    /// Reads record `n` on a cold path: fixups applied, an
    /// [`Error::Record`] when they fail.
    pub fn read_record_fixed(&self, n: u64) -> Result<OwnedRecord> {
        let (bytes, fixups) = self.read_record(n)?;
        fixups.map_err(|reason| Error::Record {
            record: n,
            offset: self.record_image_offset(n).unwrap_or(0),
            reason,
        })?;
        Ok(OwnedRecord { number: n, bytes })
    }

    /// Record `n` and the extension records its attribute list names for
    /// attributes whose type `wanted` keeps (at most `max` of them), each
    /// read with [`read_record_fixed`](Self::read_record_fixed): the base
    /// record first, then the extensions in record order.
    pub fn read_with_extensions(
        &self,
        n: u64,
        wanted: impl Fn(u32) -> bool,
        max: usize,
    ) -> Result<Vec<OwnedRecord>> {
        let base = self.read_record_fixed(n)?;
        let mut more = std::collections::BTreeSet::new();
        for attr in base
            .attributes()
            .filter(|a| a.type_code() == AttributeType::ATTRIBUTE_LIST)
        {
            let value = self.attribute_value(&attr, n)?;
            for e in AttributeListEntries::new(&value).flatten() {
                if e.reference.record != n && wanted(e.type_code) {
                    more.insert(e.reference.record);
                }
            }
        }
        let mut out = vec![base];
        for e in more.into_iter().take(max) {
            out.push(self.read_record_fixed(e)?);
        }
        Ok(out)
    }

    /// Reads record `n` into `buf` (record-size bytes), without fixups.
    pub fn read_record_raw(&self, n: u64, buf: &mut [u8]) -> Result<()> {
        if n >= self.mft.record_count {
            return Err(Error::NoSuchRecord {
                record: n,
                count: self.mft.record_count,
            });
        }
        self.mft
            .read(&self.image, n * self.geometry.record_size, buf)
    }

    /// Reads record `n` into a new buffer and applies its fixups; the fixup result is
    /// returned beside the buffer, which holds the best reading either way.
    pub fn read_record(&self, n: u64) -> Result<(Vec<u8>, std::result::Result<(), RecordError>)> {
        let mut buf = vec![0u8; self.geometry.record_size as usize];
        self.read_record_raw(n, &mut buf)?;
        let fixups = apply_fixups(&mut buf);
        Ok((buf, fixups))
    }

    /// The volume's `$UpCase` table (record 10's $DATA), when it can be read
    /// whole: a bare $MFT does not hold its clusters.
    pub fn upcase(&self) -> Option<crate::attribute::UpCase> {
        use crate::attribute::{UPCASE_UNITS, UpCase};
        let (buf, _) = self.read_record(crate::record::well_known::UPCASE).ok()?;
        let view = RecordView::new(&buf).ok()?;
        let attr = view
            .attributes()
            .flatten()
            .find(|a| a.type_code() == AttributeType::DATA && a.name().is_empty())?;
        let bytes = self
            .attribute_value_max(
                &attr,
                crate::record::well_known::UPCASE,
                2 * UPCASE_UNITS as u64,
            )
            .ok()?;
        UpCase::from_bytes(&bytes)
    }

    /// Image byte offset of record `n`.
    pub fn record_image_offset(&self, n: u64) -> Option<u64> {
        self.mft
            .image_offset(n.checked_mul(self.geometry.record_size)?)
    }

    /// The image.
    pub fn image(&self) -> &Image {
        &self.image
    }
    /// Image byte offset of the volume.
    pub fn offset(&self) -> u64 {
        self.offset
    }
    /// The boot sector (`None` for a bare $MFT).
    pub fn boot_sector(&self) -> Option<&BootSector> {
        self.boot.as_ref()
    }
    /// Geometry (cluster size 0 for a bare $MFT).
    pub fn geometry(&self) -> &Geometry {
        &self.geometry
    }
    /// Bytes per MFT record.
    pub fn record_size(&self) -> usize {
        self.geometry.record_size as usize
    }
    /// Records that can be read.
    pub fn record_count(&self) -> u64 {
        self.mft.record_count
    }
    /// The $MFT's map.
    pub fn mft(&self) -> &MftMap {
        &self.mft
    }
    /// Volume or bare $MFT.
    pub fn source(&self) -> Source {
        self.source
    }
    /// Things noticed while opening that do not stop the scan (image shorter than
    /// the volume, $MFT past the image's end).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
}
