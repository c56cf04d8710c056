//! Checked little-endian reads from byte slices: no parser indexes raw bytes.

/// The byte at `at`, if there is one.
#[inline]
pub(crate) fn u8_at(b: &[u8], at: usize) -> Option<u8> {
    b.get(at).copied()
}

/// The `u16` at `at`, if the slice holds it.
#[inline]
pub(crate) fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

/// The `u32` at `at`, if the slice holds it.
#[inline]
pub(crate) fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

/// The `u64` at `at`, if the slice holds it.
#[inline]
pub(crate) fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        b.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}

/// The big-endian `u32` at `at` (VHD, QCOW2), if the slice holds it.
#[inline]
pub(crate) fn be32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

/// The big-endian `u64` at `at`, if the slice holds it.
#[inline]
pub(crate) fn be64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(
        b.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}

/// `len` bytes at `at`, if the slice holds them.
#[inline]
pub(crate) fn slice_at(b: &[u8], at: usize, len: usize) -> Option<&[u8]> {
    b.get(at..at.checked_add(len)?)
}

/// UTF-16LE code units of `b` (a trailing odd byte is ignored).
#[inline]
pub(crate) fn utf16_units(b: &[u8]) -> impl Iterator<Item = u16> + '_ {
    b.chunks_exact(2)
        .map(|c| u16::from_le_bytes(c.try_into().unwrap_or([0, 0])))
}

/// The first four bytes of `b`, zero-padded.
#[inline]
pub(crate) fn first4(b: &[u8]) -> [u8; 4] {
    let mut out = [0u8; 4];
    for (o, v) in out.iter_mut().zip(b) {
        *o = *v;
    }
    out
}

/// The `T` at byte `at` of `bytes`, read in place (a zerocopy layout), if it fits.
pub(crate) fn view_at<T>(bytes: &[u8], at: usize) -> Option<&T>
where
    T: zerocopy::FromBytes + zerocopy::KnownLayout + zerocopy::Immutable + zerocopy::Unaligned,
{
    T::ref_from_prefix(bytes.get(at..)?).ok().map(|(t, _)| t)
}
