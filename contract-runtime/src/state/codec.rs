//! How values are stored: canonical JSON by default, raw bytes or UTF-8 text on request.
//!
//! ```
//! use fabric_contract::state::{Codec, Json, Raw, Text};
//!
//! #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
//! struct Asset { size: u32, colour: String }
//!
//! let bytes = Json::encode(&Asset { size: 5, colour: "blue".into() }).unwrap();
//! assert_eq!(bytes, br#"{"colour":"blue","size":5}"#);
//! assert_eq!(Text::decode(b"hi").unwrap(), "hi");
//! assert_eq!(Raw::encode(&vec![0u8, 1]).unwrap(), [0, 1]);
//! ```

use prost::bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Turns values of type `V` into ledger bytes and back.
///
/// Errors are plain texts; the collections wrap them in a
/// [`StateError`](super::StateError) naming the key.
pub trait Codec<V>: 'static {
    /// The bytes to store for `value`.
    fn encode(value: &V) -> Result<Vec<u8>, String>;
    /// The value stored as `bytes`.
    fn decode(bytes: &[u8]) -> Result<V, String>;

    /// The value stored as `bytes`, which lie within `shared` (the peer's reply): a codec may keep
    /// a slice of `shared` instead of copying them. The default decodes `bytes`.
    #[doc(hidden)]
    fn decode_within(shared: &Bytes, bytes: &[u8]) -> Result<V, String> {
        let _ = shared;
        Self::decode(bytes)
    }
}

/// Canonical JSON (sorted keys, Go's escaping and number formatting), so values match what Go
/// chaincode writes byte for byte.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json;

impl<V: Serialize + DeserializeOwned> Codec<V> for Json {
    fn encode(value: &V) -> Result<Vec<u8>, String> {
        crate::json::to_canonical_vec(value).map_err(|e| e.to_string())
    }

    fn decode(bytes: &[u8]) -> Result<V, String> {
        crate::json::from_slice_strict(bytes).map_err(|e| e.to_string())
    }
}

/// The bytes as they are.
#[derive(Debug, Clone, Copy, Default)]
pub struct Raw;

impl Codec<Vec<u8>> for Raw {
    fn encode(value: &Vec<u8>) -> Result<Vec<u8>, String> {
        Ok(value.clone())
    }

    fn decode(bytes: &[u8]) -> Result<Vec<u8>, String> {
        Ok(bytes.to_vec())
    }
}

/// UTF-8 text, e.g. a counter stored as `"42"` by other chaincode.
#[derive(Debug, Clone, Copy, Default)]
pub struct Text;

impl Codec<String> for Text {
    fn encode(value: &String) -> Result<Vec<u8>, String> {
        Ok(value.as_bytes().to_vec())
    }

    fn decode(bytes: &[u8]) -> Result<String, String> {
        String::from_utf8(bytes.to_vec()).map_err(|e| format!("not UTF-8 text: {e}"))
    }
}

/// Decodes a stored value, naming the key on failure.
pub(crate) fn decode_value<V, C: Codec<V>>(
    key: &str,
    bytes: &[u8],
) -> Result<V, super::StateError> {
    C::decode(bytes).map_err(|reason| decode_error::<V>(key, reason))
}

/// [`decode_value`] for a value read in place from the peer's reply `shared`.
pub(crate) fn decode_value_within<V, C: Codec<V>>(
    key: &str,
    shared: &Bytes,
    bytes: &[u8],
) -> Result<V, super::StateError> {
    C::decode_within(shared, bytes).map_err(|reason| decode_error::<V>(key, reason))
}

fn decode_error<V>(key: &str, reason: String) -> super::StateError {
    super::StateError::Decode {
        key: key.to_owned(),
        expected: std::any::type_name::<V>(),
        reason,
    }
}

/// Encodes a value, naming the key on failure.
pub(crate) fn encode_value<V, C: Codec<V>>(
    key: &str,
    value: &V,
) -> Result<Vec<u8>, super::StateError> {
    C::encode(value).map_err(|reason| super::StateError::Encode {
        key: key.to_owned(),
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_canonical_and_decoding_errors_name_the_key() {
        let v = serde_json::json!({"b": 1, "a": [true]});
        assert_eq!(Json::encode(&v).unwrap(), br#"{"a":[true],"b":1}"#);
        let err = decode_value::<u32, Json>("k1", b"\"x\"").unwrap_err();
        assert!(err.to_string().contains("\"k1\""), "{err}");
        assert!(decode_value::<String, Text>("k2", &[0xff]).is_err());
    }
}
