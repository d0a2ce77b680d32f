//! Typed keys: composite keys come from the ledger's key rules; integers are written so that
//! comparing their texts compares the numbers.

pub(crate) use crate::ledger::keys::{
    make_composite as create_composite_key, parse_composite as split_composite_key,
};

/// Hex of big-endian integer bytes, sign bit flipped for signed types, so that
/// comparing the texts compares the numbers.
pub(crate) fn encode_ordered<const N: usize>(mut bytes: [u8; N], signed: bool) -> String {
    if signed {
        bytes[0] ^= 0x80;
    }
    hex::encode(bytes)
}

/// The inverse of [`encode_ordered`]: exactly `2 * N` lowercase hex digits.
pub(crate) fn decode_ordered<const N: usize>(text: &str, signed: bool) -> Result<[u8; N], String> {
    if text.len() != 2 * N || text.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(format!("expected {} lowercase hex digits", 2 * N));
    }
    let mut bytes = [0u8; N];
    hex::decode_to_slice(text, &mut bytes).map_err(|e| e.to_string())?;
    if signed {
        bytes[0] ^= 0x80;
    }
    Ok(bytes)
}
