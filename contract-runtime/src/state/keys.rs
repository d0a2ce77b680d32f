//! Composite keys, byte-identical to Fabric's `CreateCompositeKey`.

/// The first byte of every composite key and the separator after each part.
const SEPARATOR: char = '\u{0}';
/// Reserved by Fabric as the upper bound of partial-key ranges.
const MAX_UNICODE_RUNE: char = '\u{10FFFF}';

/// Why a composite key cannot be built or split.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// A part contains U+0000 or U+10FFFF, which Fabric reserves.
    #[error("{part} {value:?} contains {ch}, which Fabric reserves for composite keys")]
    ReservedCharacter {
        /// Which part (object type or attribute n).
        part: String,
        /// The offending text.
        value: String,
        /// The reserved character.
        ch: &'static str,
    },
    /// The object type is empty.
    #[error("the object type of a composite key must not be empty")]
    EmptyObjectType,
    /// The key is not a composite key.
    #[error("{0:?} is not a composite key: it must start and end with U+0000")]
    NotComposite(String),
}

fn check_part(part: impl FnOnce() -> String, value: &str) -> Result<(), KeyError> {
    let reserved = [(SEPARATOR, "U+0000"), (MAX_UNICODE_RUNE, "U+10FFFF")];
    for (c, name) in reserved {
        if value.contains(c) {
            return Err(KeyError::ReservedCharacter {
                part: part(),
                value: value.into(),
                ch: name,
            });
        }
    }
    Ok(())
}

/// Builds `\0objectType\0attr1\0attr2\0…`.
pub fn create_composite_key(object_type: &str, attributes: &[&str]) -> Result<String, KeyError> {
    if object_type.is_empty() {
        return Err(KeyError::EmptyObjectType);
    }
    check_part(|| "the object type".into(), object_type)?;
    let mut key = String::with_capacity(
        2 + object_type.len() + attributes.iter().map(|a| a.len() + 1).sum::<usize>(),
    );
    key.push(SEPARATOR);
    key.push_str(object_type);
    key.push(SEPARATOR);
    for (i, attribute) in attributes.iter().enumerate() {
        check_part(|| format!("attribute {i}"), attribute)?;
        key.push_str(attribute);
        key.push(SEPARATOR);
    }
    Ok(key)
}

/// Splits a composite key into its object type and attributes.
pub fn split_composite_key(key: &str) -> Result<(String, Vec<String>), KeyError> {
    let inner = key
        .strip_prefix(SEPARATOR)
        .and_then(|rest| rest.strip_suffix(SEPARATOR))
        .ok_or_else(|| KeyError::NotComposite(key.into()))?;
    let mut parts = inner.split(SEPARATOR).map(str::to_owned);
    let object_type = parts.next().unwrap_or_default();
    Ok((object_type, parts.collect()))
}

/// Hex of big-endian integer bytes, sign bit flipped for signed types, so that
/// comparing the texts compares the numbers.
pub fn encode_ordered<const N: usize>(mut bytes: [u8; N], signed: bool) -> String {
    if signed {
        bytes[0] ^= 0x80;
    }
    hex::encode(bytes)
}

/// The inverse of [`encode_ordered`]: exactly `2 * N` lowercase hex digits.
pub fn decode_ordered<const N: usize>(text: &str, signed: bool) -> Result<[u8; N], String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_bytes_and_round_trip() {
        let key = create_composite_key("asset", &["blue", "1"]).unwrap();
        assert_eq!(hex::encode(&key), "00617373657400626c7565003100");
        assert_eq!(
            split_composite_key(&key).unwrap(),
            ("asset".into(), vec!["blue".into(), "1".into()])
        );
        assert_eq!(
            split_composite_key("\0asset\0").unwrap(),
            ("asset".into(), vec![])
        );
    }

    #[test]
    fn reserved_characters_and_empty_type_are_refused() {
        assert_eq!(
            create_composite_key("", &["a"]),
            Err(KeyError::EmptyObjectType)
        );
        assert!(matches!(
            create_composite_key("a\0b", &[]),
            Err(KeyError::ReservedCharacter { .. })
        ));
        assert!(matches!(
            create_composite_key("a", &["x\u{10FFFF}"]),
            Err(KeyError::ReservedCharacter { .. })
        ));
        assert!(matches!(
            split_composite_key("plain"),
            Err(KeyError::NotComposite(_))
        ));
    }
}
