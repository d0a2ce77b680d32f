//! How typed keys become ledger keys: plain strings (`Map::simple`) or composite keys
//! `\0namespace\0part…\0` (`Map::new`), and back.

use std::ops::{Bound, RangeBounds};

use super::StateError;
use super::keys::{create_composite_key, split_composite_key};

/// Appended to a key prefix to bound the range of its completions (Fabric's max rune).
const MAX_UNICODE_RUNE: char = '\u{10FFFF}';
/// The first simple key: composite keys (starting with U+0000) sort below it.
const SIMPLE_START: &str = "\u{1}";

/// A value that renders as one or more composite-key attributes (a key or a key prefix).
pub trait KeyParts {
    /// The attributes, in order.
    fn to_parts(&self) -> Result<Vec<String>, String>;
}

/// A typed key: renders as attributes and decodes back from them.
///
/// ```
/// use fabric_contract::state::{KeyParts, MapKey};
/// let key = ("alice".to_string(), "a1".to_string());
/// assert_eq!(key.to_parts().unwrap(), ["alice", "a1"]);
/// assert_eq!(<(String, String)>::from_parts(vec!["alice".into(), "a1".into()]).unwrap(), key);
/// ```
pub trait MapKey: KeyParts + Sized + Send + 'static {
    /// How many attributes the key takes.
    const ARITY: usize;
    /// The key rendered as `parts` (exactly [`MapKey::ARITY`] of them).
    fn from_parts(parts: Vec<String>) -> Result<Self, String>;
}

impl KeyParts for str {
    fn to_parts(&self) -> Result<Vec<String>, String> {
        Ok(vec![self.to_owned()])
    }
}

impl KeyParts for String {
    fn to_parts(&self) -> Result<Vec<String>, String> {
        self.as_str().to_parts()
    }
}

impl<T: KeyParts + ?Sized> KeyParts for &T {
    fn to_parts(&self) -> Result<Vec<String>, String> {
        (**self).to_parts()
    }
}

impl MapKey for String {
    const ARITY: usize = 1;
    fn from_parts(parts: Vec<String>) -> Result<Self, String> {
        match <[String; 1]>::try_from(parts) {
            Ok([one]) => Ok(one),
            Err(parts) => Err(format!("expected 1 attribute, found {}", parts.len())),
        }
    }
}

impl<A: MapKey, B: MapKey> KeyParts for (A, B) {
    fn to_parts(&self) -> Result<Vec<String>, String> {
        let mut parts = self.0.to_parts()?;
        parts.extend(self.1.to_parts()?);
        Ok(parts)
    }
}

impl<A: MapKey, B: MapKey> MapKey for (A, B) {
    const ARITY: usize = A::ARITY + B::ARITY;
    fn from_parts(mut parts: Vec<String>) -> Result<Self, String> {
        if parts.len() != Self::ARITY {
            return Err(format!(
                "expected {} attributes, found {}",
                Self::ARITY,
                parts.len()
            ));
        }
        let rest = parts.split_off(A::ARITY);
        Ok((A::from_parts(parts)?, B::from_parts(rest)?))
    }
}

/// Integer key parts: fixed-width lowercase hex of the big-endian bytes, with
/// the sign bit flipped for signed types, so text order equals numeric order
/// (a range over `Map<u64, _>` comes back in numeric order).
macro_rules! ordered_integer_keys {
    ($($int:ty => $uint:ty),* $(,)?) => {$(
        impl KeyParts for $int {
            fn to_parts(&self) -> Result<Vec<String>, String> {
                Ok(vec![super::keys::encode_ordered(self.to_be_bytes(), <$int>::MIN != 0)])
            }
        }

        impl MapKey for $int {
            const ARITY: usize = 1;
            fn from_parts(parts: Vec<String>) -> Result<Self, String> {
                let [one] = <[String; 1]>::try_from(parts)
                    .map_err(|p| format!("expected 1 attribute, found {}", p.len()))?;
                let bytes = super::keys::decode_ordered::<{ size_of::<$int>() }>(&one, <$int>::MIN != 0)
                    .map_err(|e| format!("{one:?} is not an encoded {}: {e}", stringify!($int)))?;
                Ok(<$int>::from_be_bytes(bytes))
            }
        }
    )*};
}

ordered_integer_keys!(u8 => u8, u16 => u16, u32 => u32, u64 => u64, u128 => u128,
    i8 => u8, i16 => u16, i32 => u32, i64 => u64, i128 => u128);

impl KeyParts for bool {
    fn to_parts(&self) -> Result<Vec<String>, String> {
        Ok(vec![if *self { "1" } else { "0" }.to_owned()])
    }
}

impl MapKey for bool {
    const ARITY: usize = 1;
    fn from_parts(parts: Vec<String>) -> Result<Self, String> {
        match <[String; 1]>::try_from(parts)
            .as_ref()
            .map(|[one]| one.as_str())
        {
            Ok("0") => Ok(false),
            Ok("1") => Ok(true),
            Ok(other) => Err(format!("{other:?} is not an encoded bool (0 or 1)")),
            Err(p) => Err(format!("expected 1 attribute, found {}", p.len())),
        }
    }
}

impl<A: MapKey, B: MapKey, C: MapKey> KeyParts for (A, B, C) {
    fn to_parts(&self) -> Result<Vec<String>, String> {
        let mut parts = self.0.to_parts()?;
        parts.extend(self.1.to_parts()?);
        parts.extend(self.2.to_parts()?);
        Ok(parts)
    }
}

impl<A: MapKey, B: MapKey, C: MapKey> MapKey for (A, B, C) {
    const ARITY: usize = A::ARITY + B::ARITY + C::ARITY;
    fn from_parts(mut parts: Vec<String>) -> Result<Self, String> {
        if parts.len() != Self::ARITY {
            return Err(format!(
                "expected {} attributes, found {}",
                Self::ARITY,
                parts.len()
            ));
        }
        let rest = parts.split_off(A::ARITY);
        let ((b, c), a) = (<(B, C)>::from_parts(rest)?, A::from_parts(parts)?);
        Ok((a, b, c))
    }
}

/// Where a collection's keys live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeySpace {
    /// Plain string keys, as Go samples store them.
    Simple,
    /// Composite keys with this object type.
    Composite(&'static str),
}

fn render<P: KeyParts + ?Sized>(p: &P) -> Result<Vec<String>, StateError> {
    p.to_parts().map_err(|reason| StateError::InvalidKey {
        key: String::new(),
        reason,
    })
}

impl KeySpace {
    /// The ledger key of `key`.
    pub(crate) fn key<K: KeyParts + ?Sized>(self, key: &K) -> Result<String, StateError> {
        let parts = render(key)?;
        match self {
            Self::Simple => {
                let [one] =
                    <[String; 1]>::try_from(parts).map_err(|parts| StateError::InvalidKey {
                        key: parts.join(", "),
                        reason: format!(
                            "a simple key is one string, this key has {} parts",
                            parts.len()
                        ),
                    })?;
                check_simple(&one)?;
                Ok(one)
            }
            Self::Composite(ns) => composite(ns, &parts),
        }
    }

    /// The half-open ledger range `[start, end)` of every key starting with `prefix`.
    pub(crate) fn prefix<P: KeyParts + ?Sized>(
        self,
        prefix: &P,
    ) -> Result<(String, String), StateError> {
        let parts = render(prefix)?;
        let start = match self {
            Self::Simple => {
                let joined = parts.concat();
                if joined.starts_with('\0') {
                    return Err(StateError::InvalidKey {
                        key: joined,
                        reason: "a simple key must not start with U+0000".into(),
                    });
                }
                if joined.is_empty() {
                    SIMPLE_START.to_owned()
                } else {
                    joined
                }
            }
            Self::Composite(ns) => composite(ns, &parts)?,
        };
        let end = format!("{start}{MAX_UNICODE_RUNE}");
        Ok((start, end))
    }

    /// The half-open ledger range of a typed range; an empty end means open.
    pub(crate) fn range<K: KeyParts>(
        self,
        bounds: &impl RangeBounds<K>,
    ) -> Result<(String, String), StateError> {
        // Appending U+0000 gives the smallest key after `k`: the successor for inclusive ends
        // and exclusive starts.
        let start = match bounds.start_bound() {
            Bound::Included(k) => self.key(k)?,
            Bound::Excluded(k) => format!("{}\0", self.key(k)?),
            Bound::Unbounded => match self {
                Self::Simple => SIMPLE_START.to_owned(),
                Self::Composite(ns) => composite(ns, &[])?,
            },
        };
        let end = match bounds.end_bound() {
            Bound::Included(k) => format!("{}\0", self.key(k)?),
            Bound::Excluded(k) => self.key(k)?,
            Bound::Unbounded => match self {
                Self::Simple => String::new(),
                Self::Composite(ns) => format!("{}{MAX_UNICODE_RUNE}", composite(ns, &[])?),
            },
        };
        Ok((start, end))
    }

    /// The typed key of a ledger key; `None` when the key lies outside this space (a rich query
    /// sees every key of the chaincode).
    pub(crate) fn decode<K: MapKey>(self, raw: &str) -> Option<Result<K, StateError>> {
        let malformed = |reason: String| StateError::MalformedKey {
            key: raw.to_owned(),
            expected: std::any::type_name::<K>(),
            reason,
        };
        let parts = match self {
            Self::Simple => {
                if raw.starts_with('\0') {
                    return None;
                }
                vec![raw.to_owned()]
            }
            Self::Composite(ns) => match split_composite_key(raw) {
                Ok((object_type, attrs)) if object_type == ns => attrs,
                _ => return None,
            },
        };
        Some(K::from_parts(parts).map_err(malformed))
    }
}

fn check_simple(key: &str) -> Result<(), StateError> {
    let reason = if key.is_empty() {
        "a key must not be empty"
    } else if key.starts_with('\0') {
        "a simple key must not start with U+0000 (that is the composite-key space)"
    } else {
        return Ok(());
    };
    Err(StateError::InvalidKey {
        key: key.to_owned(),
        reason: reason.into(),
    })
}

fn composite(ns: &str, parts: &[String]) -> Result<String, StateError> {
    let attrs: Vec<&str> = parts.iter().map(String::as_str).collect();
    create_composite_key(ns, &attrs).map_err(|e| StateError::InvalidKey {
        key: format!("{ns}/{}", parts.join("/")),
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_and_composite_keys() {
        let s = KeySpace::Simple;
        assert_eq!(s.key("a1").unwrap(), "a1");
        assert!(matches!(s.key(""), Err(StateError::InvalidKey { .. })));
        assert!(matches!(s.key("\0x"), Err(StateError::InvalidKey { .. })));
        let c = KeySpace::Composite("owner~id");
        let k = c.key(&("alice".to_string(), "a1".to_string())).unwrap();
        assert_eq!(k, "\0owner~id\0alice\0a1\0");
        assert_eq!(
            c.decode::<(String, String)>(&k).unwrap().unwrap(),
            ("alice".to_string(), "a1".to_string())
        );
        assert!(c.decode::<String>("\0other\0x\0").is_none());
        assert!(c.decode::<String>("plain").is_none());
        assert!(s.decode::<String>("\0owner~id\0a\0").is_none());
        let bad = c.decode::<String>(&k).unwrap().unwrap_err();
        assert!(bad.to_string().contains("owner~id"), "{bad}");
    }

    #[test]
    fn ranges_and_prefixes() {
        let s = KeySpace::Simple;
        let (a, b) = s.range(&("a".to_string()..="c".to_string())).unwrap();
        assert_eq!((a.as_str(), b.as_str()), ("a", "c\0"));
        let (a, b) = s.range::<String>(&(..)).unwrap();
        assert_eq!((a.as_str(), b.as_str()), ("\u{1}", ""));
        let c = KeySpace::Composite("n");
        let (a, b) = c.prefix("x").unwrap();
        assert_eq!((a.as_str(), b.as_str()), ("\0n\0x\0", "\0n\0x\0\u{10FFFF}"));
        let (a, b) = c.range::<String>(&(..)).unwrap();
        assert_eq!((a.as_str(), b.as_str()), ("\0n\0", "\0n\0\u{10FFFF}"));
    }
}
