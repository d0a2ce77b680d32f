//! How typed keys become ledger keys: plain strings (`Map::simple`) or composite keys
//! `\0namespace\0part…\0` (`Map::new`), and back.

use std::borrow::Cow;
use std::ops::{Bound, RangeBounds};

use super::StateError;
use super::keys::{create_composite_key, split_composite_key};

/// Appended to a key prefix to bound the range of its completions (Fabric's max rune).
const MAX_UNICODE_RUNE: char = '\u{10FFFF}';
/// The first simple key: composite keys (starting with U+0000) sort below it.
const SIMPLE_START: &str = "\u{1}";

/// A value that renders as one or more composite-key attributes (a key or a key prefix).
///
/// Encodings are chosen so that the ledger's text order is the value order:
/// strings as they are; integers (`u8`..`u128`, `i8`..`i128`) as fixed-width
/// lowercase hex of the big-endian bytes, sign bit flipped for signed types;
/// `bool` as `0`/`1`; byte strings (`Vec<u8>`, `[u8; N]`) as lowercase hex;
/// tuples of up to four keys as their elements' attributes in order.
///
/// ```
/// use fabric_contract::state::KeyParts;
/// assert_eq!((-1i16).to_parts().unwrap(), ["7fff"]);
/// assert_eq!((7u8, vec![0xcau8, 0xfe], true).to_parts().unwrap(), ["07", "cafe", "1"]);
/// ```
pub trait KeyParts {
    /// The attributes, in order.
    fn to_parts(&self) -> Result<Vec<String>, String>;

    /// The key as the one string it is, for a string key: a simple ledger key is then that
    /// string, borrowed, with no list of parts built. The default (`None`) goes through
    /// [`KeyParts::to_parts`].
    fn as_one_part(&self) -> Option<&str> {
        None
    }
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

    /// The key rendered as one part, as a simple (not composite) ledger key stores it. The
    /// default goes through [`MapKey::from_parts`]; a key type can skip building the list.
    fn from_part(part: &str) -> Result<Self, String> {
        Self::from_parts(vec![part.to_owned()])
    }
}

impl KeyParts for str {
    fn to_parts(&self) -> Result<Vec<String>, String> {
        Ok(vec![self.to_owned()])
    }
    fn as_one_part(&self) -> Option<&str> {
        Some(self)
    }
}

impl KeyParts for String {
    fn to_parts(&self) -> Result<Vec<String>, String> {
        self.as_str().to_parts()
    }
    fn as_one_part(&self) -> Option<&str> {
        Some(self)
    }
}

impl<T: KeyParts + ?Sized> KeyParts for &T {
    fn to_parts(&self) -> Result<Vec<String>, String> {
        (**self).to_parts()
    }
    fn as_one_part(&self) -> Option<&str> {
        (**self).as_one_part()
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

    fn from_part(part: &str) -> Result<Self, String> {
        Ok(part.to_owned())
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

/// Tuples flatten: each element contributes its attributes in order, so a
/// prefix of the tuple is a prefix of the key (`Map::prefix` over the first
/// elements).
macro_rules! tuple_keys {
    ($($ty:ident $var:ident),+) => {
        impl<$($ty: MapKey),+> KeyParts for ($($ty,)+) {
            fn to_parts(&self) -> Result<Vec<String>, String> {
                let ($($var,)+) = self;
                let mut parts = Vec::with_capacity(Self::ARITY);
                $(parts.extend($var.to_parts()?);)+
                Ok(parts)
            }
        }

        impl<$($ty: MapKey),+> MapKey for ($($ty,)+) {
            const ARITY: usize = 0 $(+ $ty::ARITY)+;
            fn from_parts(parts: Vec<String>) -> Result<Self, String> {
                if parts.len() != Self::ARITY {
                    return Err(format!(
                        "expected {} attributes, found {}",
                        Self::ARITY,
                        parts.len()
                    ));
                }
                let mut parts = parts.into_iter();
                Ok(($($ty::from_parts(parts.by_ref().take($ty::ARITY).collect())?,)+))
            }
        }
    };
}

tuple_keys!(A a, B b);
tuple_keys!(A a, B b, C c);
tuple_keys!(A a, B b, C c, D d);

/// The one attribute of a single-attribute key.
fn single(parts: Vec<String>) -> Result<String, String> {
    <[String; 1]>::try_from(parts)
        .map(|[one]| one)
        .map_err(|p| format!("expected 1 attribute, found {}", p.len()))
}

/// Byte strings: lowercase hex, two digits per byte, so text order is the
/// bytes' lexicographic order (a shorter prefix sorts first, as with bytes).
impl KeyParts for [u8] {
    fn to_parts(&self) -> Result<Vec<String>, String> {
        Ok(vec![hex::encode(self)])
    }
}

impl KeyParts for Vec<u8> {
    fn to_parts(&self) -> Result<Vec<String>, String> {
        self.as_slice().to_parts()
    }
}

impl MapKey for Vec<u8> {
    const ARITY: usize = 1;
    fn from_parts(parts: Vec<String>) -> Result<Self, String> {
        let one = single(parts)?;
        // One spelling per value: uppercase digits would name a second ledger key.
        if one.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(format!("{one:?} is not lowercase hex"));
        }
        hex::decode(&one).map_err(|e| format!("{one:?} is not hex-encoded bytes: {e}"))
    }
}

/// Fixed-size byte strings (hashes, ids): exactly `2 * N` lowercase hex digits.
impl<const N: usize> KeyParts for [u8; N] {
    fn to_parts(&self) -> Result<Vec<String>, String> {
        self.as_slice().to_parts()
    }
}

impl<const N: usize> MapKey for [u8; N] {
    const ARITY: usize = 1;
    fn from_parts(parts: Vec<String>) -> Result<Self, String> {
        let one = single(parts)?;
        super::keys::decode_ordered::<N>(&one, false)
            .map_err(|e| format!("{one:?} is not an encoded [u8; {N}]: {e}"))
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
    /// The ledger key of `key`, borrowed from it where it is a string stored as a simple key.
    pub(crate) fn key_ref<'k, K: KeyParts + ?Sized>(
        self,
        key: &'k K,
    ) -> Result<Cow<'k, str>, StateError> {
        match (self, key.as_one_part()) {
            (Self::Simple, Some(one)) => {
                check_simple(one)?;
                Ok(Cow::Borrowed(one))
            }
            _ => self.key(key).map(Cow::Owned),
        }
    }

    /// [`KeySpace::key_ref`] of each key, in order.
    pub(crate) fn keys_ref<K: KeyParts>(self, keys: &[K]) -> Result<Vec<Cow<'_, str>>, StateError> {
        let mut raw = Vec::with_capacity(keys.len());
        for key in keys {
            raw.push(self.key_ref(key)?);
        }
        Ok(raw)
    }

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
        let key = match self {
            Self::Simple if raw.starts_with('\0') => return None,
            Self::Simple => K::from_part(raw),
            Self::Composite(ns) => match split_composite_key(raw) {
                Ok((object_type, attrs)) if object_type == ns => K::from_parts(attrs),
                _ => return None,
            },
        };
        Some(key.map_err(malformed))
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
    fn string_keys_are_borrowed_where_they_are_the_ledger_key() {
        let id = "a1".to_string();
        assert!(matches!(
            KeySpace::Simple.key_ref(&id),
            Ok(Cow::Borrowed("a1"))
        ));
        let composite = KeySpace::Composite("asset").key_ref(&id).unwrap();
        assert!(matches!(&composite, Cow::Owned(k) if k == "\0asset\0a1\0"));
        // Other key types, and every refusal, are what `key` gives.
        assert!(matches!(KeySpace::Simple.key_ref(&7u8), Ok(Cow::Owned(k)) if k == "07"));
        for bad in ["", "\0x"] {
            assert_eq!(
                KeySpace::Simple.key_ref(bad).unwrap_err().to_string(),
                KeySpace::Simple.key(bad).unwrap_err().to_string()
            );
        }
    }

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
    fn byte_strings_and_four_tuples() {
        assert_eq!(vec![0u8, 0xab].to_parts().unwrap(), ["00ab"]);
        assert_eq!(Vec::<u8>::new().to_parts().unwrap(), [""]);
        assert_eq!([0xffu8; 2].to_parts().unwrap(), ["ffff"]);
        assert_eq!(<[u8; 2]>::from_parts(vec!["0a0b".into()]), Ok([10, 11]));
        for bad in ["abc", "0g", "AB"] {
            let err = <Vec<u8> as MapKey>::from_parts(vec![bad.into()]).unwrap_err();
            assert!(err.contains(&format!("{bad:?}")), "{err}");
        }
        assert!(<[u8; 2]>::from_parts(vec!["0a".into()]).is_err());
        assert!(<Vec<u8> as MapKey>::from_parts(vec!["00".into(), "01".into()]).is_err());

        type Four = (String, u16, Vec<u8>, bool);
        let key: Four = ("a".into(), 258, vec![1], true);
        let parts = key.to_parts().unwrap();
        assert_eq!(parts, ["a", "0102", "01", "1"]);
        assert_eq!(<Four>::ARITY, 4);
        assert_eq!(Four::from_parts(parts), Ok(key));
        let short = Four::from_parts(vec!["a".into(), "0102".into(), "01".into()]);
        assert_eq!(short, Err("expected 4 attributes, found 3".into()));
        // Nested tuples flatten, and decoding splits them back by arity.
        type Nested = ((u8, u8), (String, (bool, i8)));
        let nested: Nested = ((1, 2), ("x".into(), (false, -1)));
        let parts = nested.to_parts().unwrap();
        assert_eq!(parts, ["01", "02", "x", "0", "7f"]);
        assert_eq!(Nested::from_parts(parts), Ok(nested));

        // A malformed ledger key is named in the error.
        let c = KeySpace::Composite("blob");
        let err = c
            .decode::<(Vec<u8>, bool)>("\u{0}blob\u{0}zz\u{0}1\u{0}")
            .unwrap()
            .unwrap_err()
            .to_string();
        assert!(err.contains("blob") && err.contains("\"zz\""), "{err}");
    }

    proptest::proptest! {
        #[test]
        fn byte_keys_sort_as_bytes_and_round_trip(
            a in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..12),
            b in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..12),
        ) {
            let (ka, kb) = (a.to_parts().unwrap().remove(0), b.to_parts().unwrap().remove(0));
            proptest::prop_assert_eq!(ka.cmp(&kb), a.cmp(&b));
            proptest::prop_assert_eq!(&<Vec<u8> as MapKey>::from_parts(vec![ka]).unwrap(), &a);
            // Through a composite key too: attribute boundaries keep the order.
            let c = KeySpace::Composite("b");
            let (ca, cb) = (c.key(&(a.clone(), 0u8)).unwrap(), c.key(&(b.clone(), 0u8)).unwrap());
            proptest::prop_assert_eq!(ca.cmp(&cb), a.cmp(&b));
        }
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
