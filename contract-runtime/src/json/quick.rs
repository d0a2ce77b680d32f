//! The quick path of [`from_slice_strict`](super::from_slice_strict): a `serde::Deserializer`
//! for compact JSON, the form every canonical value is stored and returned in.
//!
//! It reads a strict subset of JSON: no whitespace, strings without escapes, integers that fit
//! 64 bits, `true`, `false`, `null`, arrays and objects. On that subset it makes, for every
//! method a `Deserialize` impl can call, the same visitor calls as `serde_json` does (see
//! `serde_json::de::Deserializer`), so the value it builds is the one `serde_json` would build.
//! Anything else, and any error (its own or a visitor's), gives up with [`Unsure`]; the caller then
//! reads the text again with `serde_json`, which decides and words the error. Giving up costs one
//! more parse, on input that is rare on a ledger: text a client formatted by hand, floats, or
//! strings with escapes.
//!
//! What it saves is `serde_json`'s generality on the common case: whitespace checks before every
//! token, escape handling and a scratch buffer for every string, position tracking for errors.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Visitor};

/// Reads `text` as one `T`, or `None` when the text is outside the subset or does not describe
/// a `T` (the caller then asks `serde_json`).
pub(super) fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    let mut reader = Reader {
        text,
        at: 0,
        depth: 0,
    };
    let value = T::deserialize(&mut reader).ok()?;
    (reader.at == text.len()).then_some(value)
}

/// The reader gave up; nothing more is said, because `serde_json` says it again.
#[derive(Debug)]
pub(super) struct Unsure;

impl fmt::Display for Unsure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not in the quick reader's subset of JSON")
    }
}

impl std::error::Error for Unsure {}

impl de::Error for Unsure {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Unsure
    }
}

/// Deeper nesting is left to `serde_json`, which has its own limit (128) and error for it.
const MAX_DEPTH: u32 = 100;

/// The name `serde_json` gives its `RawValue` newtype, which it reads specially.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// The bytes that end a string for the quick reader: its closing quote, and the escapes and
/// control characters it leaves to `serde_json`.
const STOPS: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

struct Reader<'de> {
    text: &'de str,
    /// The next byte to read.
    at: usize,
    /// Arrays and objects open around `at`.
    depth: u32,
}

/// An integer as `serde_json` parses it: non-negative ones are `u64`, negative ones `i64`.
enum Integer {
    Unsigned(u64),
    Negative(i64),
}

impl Integer {
    fn visit<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        match self {
            Integer::Unsigned(n) => visitor.visit_u64(n),
            Integer::Negative(n) => visitor.visit_i64(n),
        }
    }
}

impl<'de> Reader<'de> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> Result<(), Unsure> {
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(Unsure)
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), Unsure> {
        if self.text.as_bytes()[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(())
        } else {
            Err(Unsure)
        }
    }

    /// A string without escapes or control characters, as the slice of the input it is.
    fn string(&mut self) -> Result<&'de str, Unsure> {
        self.eat(b'"')?;
        let start = self.at;
        let rest = &self.text.as_bytes()[start..];
        let length = rest
            .iter()
            .position(|&byte| STOPS[usize::from(byte)])
            .ok_or(Unsure)?;
        if rest[length] != b'"' {
            return Err(Unsure);
        }
        self.at = start + length + 1;
        // Both ends are ASCII quotes, so both are character boundaries.
        self.text.get(start..start + length).ok_or(Unsure)
    }

    /// An integer; `-0`, leading zeros and anything beyond 64 bits are left to `serde_json` (it
    /// reads them as floats or refuses them). So are fractions and exponents: the byte after
    /// the digits must be a separator or the end, which the caller checks.
    fn integer(&mut self) -> Result<Integer, Unsure> {
        let negative = self.peek() == Some(b'-');
        if negative {
            self.at += 1;
        }
        let digits = &self.text.as_bytes()[self.at..];
        let mut magnitude: u64 = 0;
        let mut length = 0;
        while let Some(digit) = digits.get(length).map(|byte| byte.wrapping_sub(b'0'))
            && digit <= 9
        {
            magnitude = magnitude
                .checked_mul(10)
                .and_then(|m| m.checked_add(u64::from(digit)))
                .ok_or(Unsure)?;
            length += 1;
        }
        if length == 0 || (digits[0] == b'0' && length > 1) {
            return Err(Unsure);
        }
        self.at += length;
        if !negative {
            return Ok(Integer::Unsigned(magnitude));
        }
        match 0i64.checked_sub_unsigned(magnitude) {
            Some(n) if n < 0 => Ok(Integer::Negative(n)),
            _ => Err(Unsure),
        }
    }

    /// Skips one value of the subset, for fields a type ignores.
    fn skip(&mut self) -> Result<(), Unsure> {
        match self.peek().ok_or(Unsure)? {
            b'n' => self.literal(b"null"),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'"' => self.string().map(drop),
            b'-' | b'0'..=b'9' => self.integer().map(drop),
            b'[' => self.nested(|reader| {
                reader.at += 1;
                let mut items = Members::new(reader, b']');
                while items.next()? {
                    items.reader.skip()?;
                }
                reader.eat(b']')
            }),
            b'{' => self.nested(|reader| {
                reader.at += 1;
                let mut entries = Members::new(reader, b'}');
                while entries.next()? {
                    entries.reader.string()?;
                    entries.reader.eat(b':')?;
                    entries.reader.skip()?;
                }
                reader.eat(b'}')
            }),
            _ => Err(Unsure),
        }
    }

    /// Runs `read` one level deeper.
    fn nested<T>(
        &mut self,
        read: impl FnOnce(&mut Self) -> Result<T, Unsure>,
    ) -> Result<T, Unsure> {
        if self.depth == MAX_DEPTH {
            return Err(Unsure);
        }
        self.depth += 1;
        let result = read(self);
        self.depth -= 1;
        result
    }

    /// `[` … `]` handed to `visitor` as a sequence.
    fn seq<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, Unsure> {
        self.nested(|reader| {
            reader.eat(b'[')?;
            let value = visitor.visit_seq(Members::new(reader, b']'))?;
            reader.eat(b']')?;
            Ok(value)
        })
    }

    /// `{` … `}` handed to `visitor` as a map.
    fn map<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, Unsure> {
        self.nested(|reader| {
            reader.eat(b'{')?;
            let value = visitor.visit_map(Members::new(reader, b'}'))?;
            reader.eat(b'}')?;
            Ok(value)
        })
    }
}

/// The elements of an array or the entries of an object, for serde and for [`Reader::skip`].
struct Members<'r, 'de> {
    reader: &'r mut Reader<'de>,
    /// `]` or `}`.
    close: u8,
    first: bool,
}

impl<'r, 'de> Members<'r, 'de> {
    fn new(reader: &'r mut Reader<'de>, close: u8) -> Self {
        Members {
            reader,
            close,
            first: true,
        }
    }

    /// Whether another member follows (its separator is consumed).
    fn next(&mut self) -> Result<bool, Unsure> {
        match self.reader.peek() {
            Some(byte) if byte == self.close => Ok(false),
            _ if self.first => {
                self.first = false;
                Ok(true)
            }
            Some(b',') => {
                self.reader.at += 1;
                Ok(true)
            }
            _ => Err(Unsure),
        }
    }
}

impl<'de> de::SeqAccess<'de> for Members<'_, 'de> {
    type Error = Unsure;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Unsure> {
        if !self.next()? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.reader).map(Some)
    }
}

impl<'de> de::MapAccess<'de> for Members<'_, 'de> {
    type Error = Unsure;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Unsure> {
        if !self.next()? {
            return Ok(None);
        }
        seed.deserialize(Key(&mut *self.reader)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Unsure> {
        self.reader.eat(b':')?;
        seed.deserialize(&mut *self.reader)
    }
}

/// Methods the quick reader leaves to `serde_json`.
macro_rules! unsure {
    ($($method:ident),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Unsure> {
            Err(Unsure)
        }
    )*};
}

/// Integer methods: `serde_json` reads the number and lets the visitor check its range.
macro_rules! integers {
    ($($method:ident),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
            match self.peek() {
                Some(b'-' | b'0'..=b'9') => self.integer()?.visit(visitor),
                _ => Err(Unsure),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = Unsure;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        match self.peek().ok_or(Unsure)? {
            b'n' => {
                self.literal(b"null")?;
                visitor.visit_unit()
            }
            b't' => {
                self.literal(b"true")?;
                visitor.visit_bool(true)
            }
            b'f' => {
                self.literal(b"false")?;
                visitor.visit_bool(false)
            }
            b'"' => visitor.visit_borrowed_str(self.string()?),
            b'[' => self.seq(visitor),
            b'{' => self.map(visitor),
            // A number read without a type is where serde_json's `arbitrary_precision` feature
            // (which any crate in the build may turn on) changes what the visitor sees.
            _ => Err(Unsure),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        match self.peek() {
            Some(b't') => {
                self.literal(b"true")?;
                visitor.visit_bool(true)
            }
            Some(b'f') => {
                self.literal(b"false")?;
                visitor.visit_bool(false)
            }
            _ => Err(Unsure),
        }
    }

    integers!(
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_f32,
        deserialize_f64,
    );

    unsure!(
        deserialize_i128,
        deserialize_u128,
        deserialize_bytes,
        deserialize_byte_buf,
    );

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        visitor.visit_borrowed_str(self.string()?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        if self.peek() == Some(b'n') {
            self.literal(b"null")?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        self.literal(b"null")?;
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Unsure> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Unsure> {
        newtype(self, name, visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        self.seq(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Unsure> {
        self.seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, Unsure> {
        self.seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        self.map(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unsure> {
        match self.peek() {
            Some(b'{') => self.map(visitor),
            Some(b'[') => self.seq(visitor),
            _ => Err(Unsure),
        }
    }

    /// Only unit variants, written as strings; `{"Variant": …}` is left to `serde_json`.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unsure> {
        if self.peek() != Some(b'"') {
            return Err(Unsure);
        }
        visitor.visit_enum(UnitVariant(self))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        self.skip()?;
        visitor.visit_unit()
    }
}

/// A newtype struct is its content, as in `serde_json`, except `serde_json`'s own `RawValue`,
/// which it reads specially.
fn newtype<'de, D, V>(content: D, name: &str, visitor: V) -> Result<V::Value, Unsure>
where
    D: de::Deserializer<'de, Error = Unsure>,
    V: Visitor<'de>,
{
    if name == RAW_VALUE_TOKEN {
        return Err(Unsure);
    }
    visitor.visit_newtype_struct(content)
}

/// An object key: `serde_json` hands every key to the visitor as a string, except that it reads
/// numbers and booleans inside the quotes for types that ask for them; those are left to it.
struct Key<'r, 'de>(&'r mut Reader<'de>);

impl<'de> de::Deserializer<'de> for Key<'_, 'de> {
    type Error = Unsure;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        visitor.visit_borrowed_str(self.0.string()?)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsure> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Unsure> {
        newtype(self, name, visitor)
    }

    unsure!(
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_bytes,
        deserialize_byte_buf,
    );

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Unsure> {
        Err(Unsure)
    }

    serde::forward_to_deserialize_any! {
        char str string unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// A unit variant written as its name.
struct UnitVariant<'r, 'de>(&'r mut Reader<'de>);

impl<'de> de::EnumAccess<'de> for UnitVariant<'_, 'de> {
    type Error = Unsure;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Unsure> {
        let variant = seed.deserialize(&mut *self.0)?;
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for UnitVariant<'_, 'de> {
    type Error = Unsure;

    fn unit_variant(self) -> Result<(), Unsure> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _: T) -> Result<T::Value, Unsure> {
        Err(Unsure)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, Unsure> {
        Err(Unsure)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Unsure> {
        Err(Unsure)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::fmt::Debug;

    use proptest::prelude::*;
    use serde::Deserialize;
    use serde_json::Value;

    use super::from_str;
    use crate::json::from_slice_strict;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Asset {
        #[serde(rename = "AppraisedValue")]
        appraised_value: i64,
        #[serde(rename = "Color")]
        color: String,
        #[serde(rename = "ID")]
        id: String,
        #[serde(rename = "Owner")]
        owner: Option<String>,
        #[serde(rename = "Size")]
        size: u8,
    }

    /// Takes unknown fields and an enum.
    #[derive(Debug, PartialEq, Deserialize)]
    struct Lenient {
        #[serde(rename = "ID", default)]
        id: char,
        #[serde(rename = "Color", default)]
        color: Option<Shade>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    enum Shade {
        Red,
        #[serde(rename = "blue")]
        Blue,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Wrapper(Vec<i32>);

    #[derive(Debug, PartialEq, Deserialize)]
    struct Unit;

    #[test]
    fn compact_values_are_read_without_serde_json() {
        let asset: Asset = from_str(
            r#"{"AppraisedValue":-300,"Color":"blue","ID":"asset1","Owner":null,"Size":5}"#,
        )
        .unwrap();
        assert_eq!(
            asset,
            Asset {
                appraised_value: -300,
                color: "blue".into(),
                id: "asset1".into(),
                owner: None,
                size: 5,
            }
        );
        let lenient: Lenient =
            from_str(r#"{"x":[{"y":[true,null,-1]},"z"],"Color":"Red","ID":"é"}"#).unwrap();
        assert_eq!(
            lenient,
            Lenient {
                id: 'é',
                color: Some(Shade::Red)
            }
        );
        assert_eq!(
            from_str::<Wrapper>("[1,-2,0]").unwrap(),
            Wrapper(vec![1, -2, 0])
        );
        assert_eq!(from_str::<Unit>("null").unwrap(), Unit);
        assert_eq!(
            from_str::<(bool, String)>(r#"[false,"€ …"]"#).unwrap(),
            (false, "€ …".into())
        );
        assert_eq!(
            from_str::<BTreeMap<String, Value>>(r#"{"a":{"b":[]},"c":"d"}"#).unwrap(),
            serde_json::from_str::<BTreeMap<String, Value>>(r#"{"a":{"b":[]},"c":"d"}"#).unwrap()
        );
        assert_eq!(from_str::<u64>("18446744073709551615"), Some(u64::MAX));
        assert_eq!(from_str::<i64>("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(from_str::<f64>("-7"), Some(-7.0));
    }

    #[test]
    fn everything_outside_the_subset_is_left_to_serde_json() {
        let unsure = |text: &str| from_str::<Value>(text).is_none();
        for text in [
            " null",
            "null ",
            "[1, 2]",
            r#"{"a" :1}"#,
            r#""a\"b""#,
            r#""\u0041""#,
            "\"a\tb\"",
            "1.5",
            "1e3",
            "-0",
            "01",
            "18446744073709551616",
            "-9223372036854775809",
            "7",
            "[1,]",
            "[,1]",
            "{,}",
            r#"{"a":1,}"#,
            "nul",
            "[1",
            "[]]",
        ] {
            assert!(unsure(text), "{text:?}");
        }
        for text in ["01", "-00", "1.0", "2e1", "3E1", "-0", "[1.5]"] {
            assert!(from_str::<Vec<i64>>(text).is_none(), "{text:?}");
            assert!(from_str::<i64>(text).is_none(), "{text:?}");
        }
        // Skipping (an unknown field, `IgnoredAny`) checks the syntax as closely as reading.
        for text in [
            r#"{"a"1}"#,
            r#"{"a":1"b":2}"#,
            "[1x2]",
            "[1,,2]",
            "{1:2}",
            r#"{"a":}"#,
            "[-]",
            "[nul]",
        ] {
            assert!(
                from_str::<serde::de::IgnoredAny>(text).is_none(),
                "{text:?}"
            );
            assert!(
                from_str::<Lenient>(&format!(r#"{{"x":{text}}}"#)).is_none(),
                "{text:?}"
            );
        }
        // A control character is not a closing quote, nor a backslash the end of a string.
        assert!(from_str::<Vec<String>>("[\"a\t,\"b\"]").is_none());
        assert!(from_str::<Vec<String>>(r#"["a\,"b"]"#).is_none());
        // Errors are not its to word: a wrong type, a range, an unknown or missing field.
        assert!(from_str::<u8>("300").is_none());
        assert!(from_str::<String>("5").is_none());
        assert!(
            from_str::<Asset>(r#"{"AppraisedValue":1,"Color":"c","ID":"i","Size":1,"X":1}"#)
                .is_none()
        );
        assert!(from_str::<Asset>(r#"{"AppraisedValue":1,"Color":"c","ID":"i"}"#).is_none());
        assert!(from_str::<Shade>(r#"{"Red":null}"#).is_none());
        assert!(from_str::<BTreeMap<u32, bool>>(r#"{"1":true}"#).is_none());
        // Nesting beyond its limit, well within serde_json's.
        let deep = format!("{}{}", "[".repeat(101), "]".repeat(101));
        assert!(from_str::<Value>(&deep).is_none());
        assert!(from_slice_strict::<Value>(deep.as_bytes()).is_ok());
    }

    /// A JSON leaf: mostly inside the quick subset, sometimes just outside it.
    fn leaf() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => any::<i64>().prop_map(|n| n.to_string()),
            2 => any::<u64>().prop_map(|n| n.to_string()),
            3 => (-300i32..400).prop_map(|n| n.to_string()),
            2 => prop::sample::select(vec![
                "-0", "01", "-00", "1.5", "-2e3", "4E1", "18446744073709551616",
                "-9223372036854775809",
            ])
            .prop_map(str::to_owned),
            6 => key(),
            1 => prop::sample::select(vec![r#""a\"b""#, r#""\u0041""#, "\"tab\there\"", r#""\n""#])
                .prop_map(str::to_owned),
            3 => prop::sample::select(vec!["null", "true", "false"]).prop_map(str::to_owned),
        ]
    }

    /// A string that is often one of the test types' field or variant names.
    fn key() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "ID",
            "Color",
            "Size",
            "Owner",
            "AppraisedValue",
            "Red",
            "blue",
            "x",
            "é",
            "",
        ])
        .prop_map(|s| format!("\"{s}\""))
    }

    fn object(value: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
        prop::collection::vec((key(), value), 0..7).prop_map(|entries| {
            let entries: Vec<String> = entries
                .into_iter()
                .map(|(k, v)| format!("{k}:{v}"))
                .collect();
            format!("{{{}}}", entries.join(","))
        })
    }

    fn array(value: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
        prop::collection::vec(value, 0..6).prop_map(|items| format!("[{}]", items.join(",")))
    }

    /// JSON text: compact documents of any shape, objects and arrays shaped like the test
    /// types, and some of each with one character inserted or removed (whitespace, a stray
    /// separator, a cut), so both readers and the hand-over between them are exercised.
    fn text() -> impl Strategy<Value = String> {
        let document = leaf().prop_recursive(3, 40, 6, |inner| {
            prop_oneof![array(inner.clone()), object(inner)]
        });
        let shaped = prop_oneof![
            document,
            object(leaf()),
            array(leaf()),
            array(array(leaf()))
        ];
        let edit = prop::sample::select(vec![" ", "\n", "", "x", ",", "]", "}", "\"", ":"]);
        (
            shaped,
            proptest::option::weighted(0.3, (any::<prop::sample::Index>(), edit, any::<bool>())),
        )
            .prop_map(|(text, edit)| match edit {
                None => text,
                Some((at, token, replace)) => {
                    let at = at.index(text.len() + 1);
                    let end = if replace {
                        (at + 1).min(text.len())
                    } else {
                        at
                    };
                    match (text.get(..at), text.get(end..)) {
                        (Some(head), Some(tail)) => format!("{head}{token}{tail}"),
                        _ => text,
                    }
                }
            })
    }

    /// The same value as serde_json, or the same error message.
    fn agrees<T: serde::de::DeserializeOwned + PartialEq + Debug>(
        text: &str,
    ) -> Result<(), TestCaseError> {
        let ours = from_slice_strict::<T>(text.as_bytes()).map_err(|e| e.to_string());
        let theirs = serde_json::from_str::<T>(text).map_err(|e| e.to_string());
        prop_assert_eq!(ours, theirs, "{}", text);
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn any_text_reads_as_serde_json_reads_it(text in text()) {
            agrees::<Value>(&text)?;
            agrees::<Asset>(&text)?;
            agrees::<Lenient>(&text)?;
            agrees::<Option<Vec<i16>>>(&text)?;
            agrees::<BTreeMap<String, Option<u64>>>(&text)?;
            agrees::<Vec<Shade>>(&text)?;
            agrees::<(bool, String, Unit)>(&text)?;
            agrees::<Wrapper>(&text)?;
            agrees::<serde::de::IgnoredAny>(&text)?;
        }

        #[test]
        fn compact_assets_are_read_quickly(
            value in any::<i64>(),
            color in "[a-zA-Z0-9 <>&é€]{0,12}",
            id in "[a-z0-9]{1,10}",
            owner in proptest::option::of("[A-Za-z]{0,8}"),
            size in any::<u8>(),
        ) {
            let text = serde_json::json!({
                "AppraisedValue": value, "Color": color, "ID": id, "Owner": owner, "Size": size,
            })
            .to_string();
            let quick = from_str::<Asset>(&text);
            prop_assert!(quick.is_some(), "{}", text);
            prop_assert_eq!(quick, serde_json::from_str::<Asset>(&text).ok());
        }
    }
}
