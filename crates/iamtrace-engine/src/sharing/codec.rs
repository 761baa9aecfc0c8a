//! The bytes of a v1 link: raw DEFLATE (RFC 1951) primed with [`DICTIONARY`], then the Adler-32
//! (RFC 1950) of the uncompressed text, big-endian.
//!
//! Priming works as zlib's preset dictionary does: the compressor sees the dictionary first (its
//! output is thrown away after a sync flush, which keeps the window), and the decompressor starts
//! with the dictionary already in its output window, so back-references may point into it.
//! The checksum catches a link altered in a way that still inflates.

use super::dictionary::DICTIONARY;
use miniz_oxide::deflate::core::{
    compress_to_output, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus,
};
use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;

/// Why bytes could not be unpacked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Unpack {
    /// The data ends before the compressed stream does.
    Truncated,
    /// The compressed stream is invalid.
    Invalid,
    /// Bytes follow the end of the stream.
    TrailingData,
    /// The checksum does not match the unpacked text.
    Checksum,
    /// The output would exceed the limit.
    TooLarge,
}

/// Compresses `data` (at the best level) and appends its checksum.
pub(super) fn pack(data: &[u8]) -> Vec<u8> {
    let flags = create_comp_flags_from_zip_params(10, 0, 0);
    let mut c = Box::new(CompressorOxide::new(flags));
    let mut sink = |_: &[u8]| true;
    let (status, _) = compress_to_output(&mut c, DICTIONARY, TDEFLFlush::Sync, &mut sink);
    debug_assert_eq!(status, TDEFLStatus::Okay);
    let mut out = Vec::with_capacity(data.len() / 2 + 8);
    let (status, _) = compress_to_output(&mut c, data, TDEFLFlush::Finish, |chunk| {
        out.extend_from_slice(chunk);
        true
    });
    debug_assert_eq!(status, TDEFLStatus::Done);
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

/// Unpacks what [`pack`] made, refusing output longer than `limit` bytes as soon as it gets there.
pub(super) fn unpack(bytes: &[u8], limit: usize) -> Result<Vec<u8>, Unpack> {
    if bytes.len() < 5 {
        return Err(Unpack::Truncated);
    }
    let (mut input, sum) = bytes.split_at(bytes.len() - 4);
    let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    let start = DICTIONARY.len();
    let max = start + limit;
    let mut buf = Vec::with_capacity(start + 4096);
    buf.extend_from_slice(DICTIONARY);
    buf.resize((start + input.len() * 4).clamp(start + 1, max), 0);
    let mut d = Box::<DecompressorOxide>::default();
    let mut pos = start;
    loop {
        let (status, used, written) = decompress(&mut d, input, &mut buf, pos, flags);
        pos += written;
        input = input.get(used..).unwrap_or_default();
        match status {
            TINFLStatus::Done => {
                if !input.is_empty() {
                    return Err(Unpack::TrailingData);
                }
                buf.truncate(pos);
                let text = buf.split_off(start);
                return if adler32(&text).to_be_bytes() == sum {
                    Ok(text)
                } else {
                    Err(Unpack::Checksum)
                };
            }
            TINFLStatus::HasMoreOutput => {
                if buf.len() >= max {
                    return Err(Unpack::TooLarge);
                }
                buf.resize(buf.len().saturating_mul(2).min(max), 0);
            }
            TINFLStatus::NeedsMoreInput | TINFLStatus::FailedCannotMakeProgress => {
                return Err(Unpack::Truncated)
            }
            _ => return Err(Unpack::Invalid),
        }
    }
}

fn adler32(data: &[u8]) -> u32 {
    miniz_oxide::mz_adler32_oxide(miniz_oxide::MZ_ADLER32_INIT, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_including_text_that_reuses_the_dictionary() {
        for text in [
            &b"x"[..],
            br#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
            &[b'a'; 100_000][..],
        ] {
            assert_eq!(unpack(&pack(text), 1 << 20).unwrap(), text);
        }
    }

    #[test]
    fn the_dictionary_makes_iam_text_smaller() {
        let text = br#"{"policies":{"identity":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}]}]},"request":{"principal":"arn:aws:iam::111122223333:user/ana","action":"s3:GetObject","resource":"arn:aws:s3:::amzn-s3-demo-bucket/report.csv"}}"#;
        let plain = miniz_oxide::deflate::compress_to_vec(text, 10).len();
        assert!(
            pack(text).len() - 4 < plain * 2 / 3,
            "{} vs {plain}",
            pack(text).len()
        );
    }

    #[test]
    fn damage_is_detected() {
        let packed = pack(br#"{"request":{"action":"s3:GetObject","resource":"*"}}"#);
        assert_eq!(
            unpack(&packed[..packed.len() - 6], 1 << 20),
            Err(Unpack::Truncated)
        );
        let mut extra = packed.clone();
        extra.insert(packed.len() - 4, 0);
        assert!(unpack(&extra, 1 << 20).is_err());
        let mut sum = packed.clone();
        *sum.last_mut().unwrap() ^= 1;
        assert_eq!(unpack(&sum, 1 << 20), Err(Unpack::Checksum));
    }

    #[test]
    fn output_is_capped() {
        let packed = pack(&[b'a'; 10_000]);
        assert_eq!(unpack(&packed, 5_000), Err(Unpack::TooLarge));
    }
}
