//! Key rules: composite keys (byte-identical to Fabric's `CreateCompositeKey`), and the checks
//! every ledger call applies to keys, collections and range bounds before reaching the peer.

use crate::StubError;

/// The first byte of every composite key and the separator after each part.
const SEPARATOR: char = '\u{0}';
/// Reserved by Fabric as the upper bound of partial-key ranges.
const MAX_UNICODE_RUNE: char = '\u{10FFFF}';

/// Why a composite key cannot be built or split.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum KeyError {
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
pub(crate) fn make_composite(object_type: &str, attributes: &[&str]) -> Result<String, KeyError> {
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
pub(crate) fn parse_composite(key: &str) -> Result<(String, Vec<String>), KeyError> {
    let inner = key
        .strip_prefix(SEPARATOR)
        .and_then(|rest| rest.strip_suffix(SEPARATOR))
        .ok_or_else(|| KeyError::NotComposite(key.into()))?;
    let mut parts = inner.split(SEPARATOR).map(str::to_owned);
    let object_type = parts.next().unwrap_or_default();
    Ok((object_type, parts.collect()))
}

/// The range `[start, end)` covering every composite key that begins with
/// `object_type` and `attributes`: `start` is the partial key itself and
/// `end` appends U+10FFFF, which no attribute may contain, so each completion
/// sorts inside. This is what the peer receives for
/// `GetStateByPartialCompositeKey`.
pub(crate) fn partial_key_range(
    object_type: &str,
    attributes: &[&str],
) -> Result<(String, String), KeyError> {
    let start = make_composite(object_type, attributes)?;
    let end = format!("{start}{MAX_UNICODE_RUNE}");
    Ok((start, end))
}

/// The composite key of `object_type` and `attributes`, byte-identical to Go's
/// `CreateCompositeKey`.
///
/// ```
/// let key = fabric_contract::ledger::create_composite_key("asset", &["blue", "1"]).unwrap();
/// assert_eq!(key, "\u{0}asset\u{0}blue\u{0}1\u{0}");
/// let (object_type, attributes) = fabric_contract::ledger::split_composite_key(&key).unwrap();
/// assert_eq!((object_type.as_str(), attributes), ("asset", vec!["blue".to_string(), "1".into()]));
/// ```
pub fn create_composite_key(object_type: &str, attributes: &[&str]) -> Result<String, StubError> {
    make_composite(object_type, attributes).map_err(|e| StubError::InvalidKey {
        key: object_type.into(),
        reason: e.to_string(),
    })
}

/// The object type and attributes of a composite key (Go's `SplitCompositeKey`).
pub fn split_composite_key(key: &str) -> Result<(String, Vec<String>), StubError> {
    parse_composite(key).map_err(|e| StubError::InvalidKey {
        key: key.into(),
        reason: e.to_string(),
    })
}

/// [`partial_key_range`] with the ledger's error.
pub(crate) fn partial_range(
    object_type: &str,
    attributes: &[&str],
) -> Result<(String, String), StubError> {
    partial_key_range(object_type, attributes).map_err(|e| StubError::InvalidKey {
        key: object_type.into(),
        reason: e.to_string(),
    })
}

/// The first key of the simple-key space: composite keys start with `\0`.
const SIMPLE_KEY_START: &str = "\u{1}";

pub(crate) fn check_key(key: &str) -> Result<(), StubError> {
    if key.is_empty() {
        return Err(StubError::InvalidKey {
            key: String::new(),
            reason: "a key must not be empty".into(),
        });
    }
    // U+0000 opens the composite-key space; anything else there (such as the
    // peer's init marker, U+0000 U+10FFFF "initialized") is reserved.
    if key.starts_with('\0') && !is_composite_key(key) {
        return Err(StubError::InvalidKey {
            key: key.into(),
            reason: "a simple key must not start with U+0000, which the peer reserves; \
                     build composite keys with create_composite_key"
                .into(),
        });
    }
    Ok(())
}

/// Whether `key` is exactly what `create_composite_key` can produce.
fn is_composite_key(key: &str) -> bool {
    split_composite_key(key).is_ok_and(|(object_type, attributes)| {
        let attributes: Vec<&str> = attributes.iter().map(String::as_str).collect();
        create_composite_key(&object_type, &attributes).is_ok_and(|rebuilt| rebuilt == key)
    })
}

pub(crate) fn check_collection(collection: &str) -> Result<(), StubError> {
    if collection.is_empty() {
        return Err(StubError::InvalidArgument(
            "collection must not be an empty string".into(),
        ));
    }
    Ok(())
}

pub(crate) fn optional_collection(collection: Option<&str>) -> Result<&str, StubError> {
    match collection {
        Some(c) => check_collection(c).map(|()| c),
        None => Ok(""),
    }
}

/// Simple ranges skip the composite-key space: an empty start becomes `\x01`,
/// and a bound inside the composite space is refused, as in the Go shim.
pub(crate) fn simple_range_start<'a>(start: &'a str, end: &str) -> Result<&'a str, StubError> {
    for bound in [start, end] {
        if bound.starts_with('\0') {
            return Err(StubError::InvalidKey {
                key: bound.into(),
                reason: "a simple range bound must not start with U+0000 (that is the composite-key space)".into(),
            });
        }
    }
    Ok(if start.is_empty() {
        SIMPLE_KEY_START
    } else {
        start
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_bytes_and_round_trip() {
        let key = make_composite("asset", &["blue", "1"]).unwrap();
        assert_eq!(hex::encode(&key), "00617373657400626c7565003100");
        assert_eq!(
            parse_composite(&key).unwrap(),
            ("asset".into(), vec!["blue".into(), "1".into()])
        );
        assert_eq!(
            parse_composite("\0asset\0").unwrap(),
            ("asset".into(), vec![])
        );
        assert_eq!(
            partial_key_range("asset", &["blue"]).unwrap(),
            ("\0asset\0blue\0".into(), "\0asset\0blue\0\u{10FFFF}".into())
        );
    }

    #[test]
    fn public_wrappers_report_the_offending_key() {
        assert_eq!(
            create_composite_key("", &["a"]),
            Err(StubError::InvalidKey {
                key: String::new(),
                reason: "the object type of a composite key must not be empty".into(),
            })
        );
        assert!(matches!(
            split_composite_key("plain"),
            Err(StubError::InvalidKey { key, .. }) if key == "plain"
        ));
    }

    #[test]
    fn reserved_characters_and_empty_type_are_refused() {
        assert_eq!(make_composite("", &["a"]), Err(KeyError::EmptyObjectType));
        assert!(matches!(
            make_composite("a\0b", &[]),
            Err(KeyError::ReservedCharacter { .. })
        ));
        assert!(matches!(
            make_composite("a", &["x\u{10FFFF}"]),
            Err(KeyError::ReservedCharacter { .. })
        ));
        assert!(matches!(
            parse_composite("plain"),
            Err(KeyError::NotComposite(_))
        ));
    }

    /// Text without the two reserved characters (any other scalar value, including
    /// the separator's neighbours U+0001 and U+10FFFE).
    fn part() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            any::<char>().prop_filter("reserved", |c| *c != SEPARATOR && *c != MAX_UNICODE_RUNE),
            0..8,
        )
        .prop_map(|chars| chars.into_iter().collect())
    }

    use proptest::prelude::*;

    proptest! {
        #[test]
        fn split_inverts_create(
            object_type in part().prop_filter("non-empty", |t| !t.is_empty()),
            attributes in proptest::collection::vec(part(), 0..5),
        ) {
            let refs: Vec<&str> = attributes.iter().map(String::as_str).collect();
            let key = make_composite(&object_type, &refs).unwrap();
            prop_assert_eq!(parse_composite(&key).unwrap(), (object_type, attributes));
        }

        #[test]
        fn completions_fall_inside_the_partial_range(
            prefix in proptest::collection::vec(part(), 0..3),
            rest in proptest::collection::vec(part(), 0..3),
        ) {
            let partial: Vec<&str> = prefix.iter().map(String::as_str).collect();
            let full: Vec<&str> = partial.iter().copied().chain(rest.iter().map(String::as_str)).collect();
            let (start, end) = partial_key_range("t", &partial).unwrap();
            let key = make_composite("t", &full).unwrap();
            prop_assert!(start <= key && key < end, "{:?} outside [{:?}, {:?})", key, start, end);
        }

        #[test]
        fn reserved_characters_are_named(
            before in part(),
            after in part(),
            reserved in prop_oneof![Just(SEPARATOR), Just(MAX_UNICODE_RUNE)],
            index in 0usize..3,
        ) {
            let bad = format!("{before}{reserved}{after}");
            let mut attributes = vec!["ok"; 3];
            attributes[index] = &bad;
            let err = make_composite("t", &attributes).unwrap_err();
            let named = format!("attribute {index}");
            prop_assert!(
                matches!(&err, KeyError::ReservedCharacter { part, .. } if *part == named),
                "{}",
                err
            );
        }
    }
}
