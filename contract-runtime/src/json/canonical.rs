//! Recognising canonical JSON without decoding it.
//!
//! A stored value written by this crate (or by Go's `encoding/json` from a struct declared in key
//! order) is usually already the exact text that decoding and re-encoding it would give. When a
//! transaction returns such values unchanged, checking that is far cheaper than building them:
//! no allocation, one pass over the bytes. [`Stored`](crate::state::Stored) relies on it to pass
//! stored values through to the response.
//!
//! The check is conservative: `None` only means "not proven", and the caller decodes instead.

use std::marker::PhantomData;

use super::text;

/// A type whose canonical JSON text can be recognised without decoding it.
///
/// `#[object]` implements it for every struct it marks; this crate implements it for `bool`,
/// the integer types, `String`, `Option<T>` and `Vec<T>`. Floats have none (Go's number format
/// leaves several texts per value), nor do maps and `#[object]` enums yet; a struct with such a
/// field is never recognised and is decoded as usual.
///
/// ```
/// use fabric_contract::json::CanonicalJson;
/// assert_eq!(<Vec<u32>>::canonical_len(b"[1,20]"), Some(6));
/// assert_eq!(<Vec<u32>>::canonical_len(b"[1,020]"), None); // decodes, but re-encodes as 20
/// assert_eq!(String::canonical_len(br#""blue","#), Some(6));
/// assert_eq!(String::canonical_len(br#""a<b""#), None); // Go writes `<` as \u003c
/// ```
pub trait CanonicalJson {
    /// If `text` starts with the JSON of a value of this type, written exactly as decoding it
    /// and encoding it again would write it, the length of that JSON; otherwise (or when unsure)
    /// `None`. What follows the value is the caller's to check.
    ///
    /// An implementation must never answer `Some` for text that does not decode, or that
    /// re-encodes to other bytes: results are passed through on its word.
    fn canonical_len(text: &[u8]) -> Option<usize>;
}

impl CanonicalJson for bool {
    fn canonical_len(text: &[u8]) -> Option<usize> {
        if text.starts_with(b"true") {
            Some(4)
        } else if text.starts_with(b"false") {
            Some(5)
        } else {
            None
        }
    }
}

impl CanonicalJson for String {
    fn canonical_len(text: &[u8]) -> Option<usize> {
        text::plain_string_len(text)
    }
}

/// An integer as Go and this crate write one (no `+`, no leading zero, no `-0`): its length and
/// value.
fn integer(text: &[u8]) -> Option<(usize, i128)> {
    let negative = text.first() == Some(&b'-');
    let start = usize::from(negative);
    let mut at = start;
    let mut magnitude: u64 = 0;
    while let Some(digit) = text.get(at).filter(|byte| byte.is_ascii_digit()) {
        magnitude = magnitude
            .checked_mul(10)?
            .checked_add(u64::from(digit - b'0'))?;
        at += 1;
    }
    let digits = at - start;
    if digits == 0 || (text[start] == b'0' && (digits > 1 || negative)) {
        return None;
    }
    let magnitude = i128::from(magnitude);
    Some((at, if negative { -magnitude } else { magnitude }))
}

macro_rules! canonical_integers {
    ($($ty:ty),*) => {$(
        impl CanonicalJson for $ty {
            fn canonical_len(text: &[u8]) -> Option<usize> {
                let (len, value) = integer(text)?;
                <$ty>::try_from(value).ok().map(|_| len)
            }
        }
    )*};
}
canonical_integers!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

/// `null` or the value's own text.
impl<T: CanonicalJson> CanonicalJson for Option<T> {
    fn canonical_len(text: &[u8]) -> Option<usize> {
        if text.starts_with(b"null") {
            Some(4)
        } else {
            T::canonical_len(text)
        }
    }
}

impl<T: CanonicalJson> CanonicalJson for Vec<T> {
    fn canonical_len(text: &[u8]) -> Option<usize> {
        if text.first() != Some(&b'[') {
            return None;
        }
        if text.get(1) == Some(&b']') {
            return Some(2);
        }
        let mut at = 1;
        loop {
            at += T::canonical_len(&text[at..])?;
            match text.get(at)? {
                b',' => at += 1,
                b']' => return Some(at + 1),
                _ => return None,
            }
        }
    }
}

/// Walks an object's text the way the writer `#[object]` generates writes it: `{`, each field
/// serde writes in key order, `}`. Used by the code `#[object]` generates.
#[doc(hidden)]
pub struct ObjectScan<'a> {
    text: &'a [u8],
    at: usize,
    first: bool,
}

impl<'a> ObjectScan<'a> {
    /// Past the `{` that starts `text`.
    #[inline]
    pub fn open(text: &'a [u8]) -> Option<Self> {
        (text.first() == Some(&b'{')).then_some(ObjectScan {
            text,
            at: 1,
            first: true,
        })
    }

    /// Past `key` (the quoted key and its colon) and its value, after a comma unless it is the
    /// first field; `None` when the key is not next.
    #[inline]
    fn key(&self, key: &[u8]) -> Option<usize> {
        let rest = &self.text[self.at..];
        let rest = if self.first {
            rest
        } else {
            rest.strip_prefix(b",")?
        };
        rest.starts_with(key)
            .then(|| self.at + usize::from(!self.first) + key.len())
    }

    #[inline]
    fn value(&mut self, from: usize, value_len: Option<usize>) -> Option<()> {
        self.at = from + value_len?;
        self.first = false;
        Some(())
    }

    /// A field serde always writes.
    #[inline]
    pub fn field(
        &mut self,
        key: &[u8],
        value_len: impl FnOnce(&[u8]) -> Option<usize>,
    ) -> Option<()> {
        let from = self.key(key)?;
        self.value(from, value_len(&self.text[from..]))
    }

    /// An `Option` field serde leaves out when it is `None`: absent, or present with a value
    /// other than `null` (which would decode as `None` and then be left out).
    #[inline]
    pub fn optional(
        &mut self,
        key: &[u8],
        value_len: impl FnOnce(&[u8]) -> Option<usize>,
    ) -> Option<()> {
        let Some(from) = self.key(key) else {
            return Some(());
        };
        let value = &self.text[from..];
        if value.starts_with(b"null") {
            return None;
        }
        self.value(from, value_len(value))
    }

    /// Past the closing `}`: the object's length.
    #[inline]
    pub fn close(self) -> Option<usize> {
        (self.text.get(self.at) == Some(&b'}')).then_some(self.at + 1)
    }
}

/// Lets generated code ask a field type for [`CanonicalJson`] whether or not it has it: through
/// [`ViaCanonical`] when it does, [`ViaUnknown`] (never recognised) when it does not. Method
/// lookup tries `Probe<T>` before `&Probe<T>`, so the first applies wherever it can.
#[doc(hidden)]
pub struct Probe<T>(PhantomData<fn() -> T>);

impl<T> Probe<T> {
    /// The probe for `T`.
    pub const NEW: Self = Probe(PhantomData);
}

#[doc(hidden)]
pub trait ViaCanonical {
    fn canonical_len(&self, text: &[u8]) -> Option<usize>;
}

impl<T: CanonicalJson> ViaCanonical for Probe<T> {
    fn canonical_len(&self, text: &[u8]) -> Option<usize> {
        T::canonical_len(text)
    }
}

#[doc(hidden)]
pub trait ViaUnknown {
    fn canonical_len(&self, text: &[u8]) -> Option<usize>;
}

impl<T> ViaUnknown for &Probe<T> {
    fn canonical_len(&self, _text: &[u8]) -> Option<usize> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_in_their_one_written_form_and_range() {
        assert_eq!(i64::canonical_len(b"-42,"), Some(3));
        assert_eq!(u64::canonical_len(b"18446744073709551615"), Some(20));
        assert_eq!(u64::canonical_len(b"18446744073709551616"), None);
        assert_eq!(i64::canonical_len(b"-9223372036854775808"), Some(20));
        assert_eq!(i64::canonical_len(b"9223372036854775808"), None);
        for refused in [&b"-0"[..], b"01", b"+1", b"-", b"", b"x"] {
            assert_eq!(i32::canonical_len(refused), None, "{refused:?}");
        }
        assert_eq!(u8::canonical_len(b"255"), Some(3));
        assert_eq!(u8::canonical_len(b"256"), None);
        assert_eq!(u8::canonical_len(b"-1"), None);
        assert_eq!(u8::canonical_len(b"0"), Some(1));
    }

    #[test]
    fn strings_only_without_anything_to_escape() {
        assert_eq!(String::canonical_len("\"é €…\"".as_bytes()), Some(11));
        for refused in [
            "\"a\\nb\"",
            "\"a\u{1}\"",
            "\"&\"",
            "\">\"",
            "\"\u{2028}\"",
            "\"\u{2029}\"",
            "\"open",
            "bare",
        ] {
            assert_eq!(String::canonical_len(refused.as_bytes()), None, "{refused}");
        }
        assert_eq!(String::canonical_len(b"\"\xff\""), None, "not UTF-8");
    }

    #[test]
    fn options_lists_and_booleans() {
        assert_eq!(<Option<bool>>::canonical_len(b"null"), Some(4));
        assert_eq!(<Option<bool>>::canonical_len(b"false"), Some(5));
        assert_eq!(<Vec<Vec<u8>>>::canonical_len(b"[[],[1,2]]"), Some(10));
        assert_eq!(<Vec<u8>>::canonical_len(b"[1,]"), None);
        assert_eq!(<Vec<u8>>::canonical_len(b"[1 ]"), None);
        assert_eq!(<Vec<u8>>::canonical_len(b"["), None);
        assert_eq!(bool::canonical_len(b"True"), None);
    }

    #[test]
    fn object_scan_takes_fields_in_order_and_optional_ones_when_present() {
        let scan = |text: &[u8]| {
            let mut scan = ObjectScan::open(text)?;
            scan.optional(b"\"a\":", u8::canonical_len)?;
            scan.field(b"\"b\":", String::canonical_len)?;
            scan.optional(b"\"c\":", u8::canonical_len)?;
            scan.close()
        };
        assert_eq!(scan(br#"{"a":1,"b":"x","c":2}"#), Some(21));
        assert_eq!(scan(br#"{"b":"x"}"#), Some(9));
        assert_eq!(scan(br#"{"b":"x","c":2}"#), Some(15));
        for refused in [
            &br#"{"a":null,"b":"x"}"#[..],
            br#"{"b":"x","a":1}"#,
            br#"{"a":1}"#,
            br#"{"b":"x","b":"x"}"#,
            br#"{"b":"x","d":1}"#,
            br#"{"b":"x""#,
            br#"{,"b":"x"}"#,
        ] {
            assert_eq!(scan(refused), None, "{}", String::from_utf8_lossy(refused));
        }
    }

    // Borrowed as the generated code borrows it, for every type.
    #[allow(clippy::needless_borrow)]
    #[test]
    fn the_probe_finds_the_trait_where_it_is_implemented() {
        struct NoJson;
        assert_eq!((&Probe::<u8>::NEW).canonical_len(b"7"), Some(1));
        assert_eq!((&Probe::<NoJson>::NEW).canonical_len(b"7"), None);
        assert_eq!((&Probe::<f64>::NEW).canonical_len(b"7"), None);
    }
}
