//! Canonical JSON: the one writer every payload, event and state value goes through.
//!
//! Object keys are sorted by their UTF-8 bytes whatever map type `serde_json` was built with (a
//! dependency enabling its `preserve_order` feature cannot change our bytes), there is no
//! whitespace, and strings are escaped exactly like Go's `encoding/json` (`<`, `>`, `&`, U+2028 and
//! U+2029 included), so a port of a Go contract returns byte-identical payloads and endorsements
//! from Go and Rust peers can agree.
//!
//! ```
//! use fabric_contract::json::to_canonical_vec;
//! let bytes = to_canonical_vec(&serde_json::json!({"b": 1, "a": "<x>"})).unwrap();
//! assert_eq!(bytes, br#"{"a":"\u003cx\u003e","b":1}"#);
//! ```

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Number, Value};

/// A value could not be turned into canonical JSON.
#[derive(Debug, thiserror::Error)]
pub enum JsonError {
    /// `serde` refused the value (for example a map with non-string keys).
    #[error("cannot serialise the value as JSON: {0}")]
    Serialize(#[from] serde_json::Error),
    /// JSON has no representation for NaN and the infinities (Go refuses them too).
    #[error("cannot serialise the value as JSON: unsupported floating-point value {0}")]
    NonFinite(f64),
}

/// Serialises `value` as canonical JSON bytes (sorted keys, compact, Go's escaping).
///
/// Most values (structs whose fields are declared in key order, `BTreeMap`s) already serialize
/// with sorted keys, so they are written directly; only when an object's keys arrive out of
/// order (or need escaping) is the value rebuilt as a `serde_json::Value` and sorted. Both
/// paths produce the same bytes (a test compares them).
pub fn to_canonical_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, JsonError> {
    if let Some(bytes) = direct::write(value)? {
        return Ok(bytes);
    }
    let value = serde_json::to_value(value)?;
    let mut out = Vec::with_capacity(64);
    write_value(&value, &mut out)?;
    Ok(out)
}

/// The direct path of [`to_canonical_vec`]: serde_json with a formatter that writes Go's
/// escaping and number forms and watches the order of object keys.
mod direct {
    use std::cell::{Cell, RefCell};
    use std::io;
    use std::rc::Rc;

    use serde::Serialize;
    use serde_json::ser::Formatter;

    use super::{JsonError, format_float};

    /// The output buffer, shared by the writer (which appends) and the formatter (which reads keys back).
    type Buffer = Rc<RefCell<Vec<u8>>>;

    struct Shared(Buffer);

    impl io::Write for Shared {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    struct Canonical {
        buffer: Buffer,
        /// Per open object: where the previous key's text lies in the buffer.
        previous_keys: Vec<Option<(usize, usize)>>,
        key_start: usize,
        /// Set when a key is out of order, repeated or escaped: the caller sorts instead.
        unsorted: Rc<Cell<bool>>,
    }

    fn out_of_range() -> io::Error {
        io::Error::other("number out of range")
    }

    impl Formatter for Canonical {
        fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
            self.previous_keys.push(None);
            writer.write_all(b"{")
        }

        fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
            self.previous_keys.pop();
            writer.write_all(b"}")
        }

        fn begin_object_key<W: ?Sized + io::Write>(
            &mut self,
            writer: &mut W,
            first: bool,
        ) -> io::Result<()> {
            if !first {
                writer.write_all(b",")?;
            }
            self.key_start = self.buffer.borrow().len();
            Ok(())
        }

        fn end_object_key<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
            let buffer = self.buffer.borrow();
            let raw = &buffer[self.key_start..];
            // A key is `"text"`; with escapes inside, its order is not its bytes' order.
            let plain = raw.len() >= 2
                && raw[0] == b'"'
                && raw[raw.len() - 1] == b'"'
                && !raw.contains(&b'\\');
            let key = (self.key_start + 1, buffer.len() - 1);
            if let Some(slot) = self.previous_keys.last_mut() {
                let ascending =
                    slot.is_none_or(|(start, end)| buffer[start..end] < buffer[key.0..key.1]);
                if !plain || !ascending {
                    self.unsorted.set(true);
                }
                *slot = Some(key);
            }
            Ok(())
        }

        fn write_string_fragment<W: ?Sized + io::Write>(
            &mut self,
            writer: &mut W,
            fragment: &str,
        ) -> io::Result<()> {
            // Scans bytes, not chars: every character Go escapes here starts with a byte that
            // never occurs inside another character's UTF-8 (`<`, `>`, `&`, or 0xE2 for
            // U+2028/U+2029), and most fragments contain none of them.
            let bytes = fragment.as_bytes();
            let mut start = 0;
            let mut i = 0;
            while let Some(offset) = bytes[i..]
                .iter()
                .position(|b| matches!(b, b'<' | b'>' | b'&' | 0xE2))
            {
                let at = i + offset;
                let (escaped, len): (&[u8], usize) = match &bytes[at..] {
                    [b'<', ..] => (b"\\u003c", 1),
                    [b'>', ..] => (b"\\u003e", 1),
                    [b'&', ..] => (b"\\u0026", 1),
                    [0xE2, 0x80, 0xA8, ..] => (b"\\u2028", 3),
                    [0xE2, 0x80, 0xA9, ..] => (b"\\u2029", 3),
                    _ => {
                        i = at + 1;
                        continue;
                    }
                };
                writer.write_all(&bytes[start..at])?;
                writer.write_all(escaped)?;
                start = at + len;
                i = start;
            }
            writer.write_all(&bytes[start..])
        }

        fn write_f64<W: ?Sized + io::Write>(
            &mut self,
            writer: &mut W,
            value: f64,
        ) -> io::Result<()> {
            let text = format_float(value).map_err(io::Error::other)?;
            writer.write_all(text.as_bytes())
        }

        fn write_f32<W: ?Sized + io::Write>(
            &mut self,
            writer: &mut W,
            value: f32,
        ) -> io::Result<()> {
            self.write_f64(writer, f64::from(value))
        }

        fn write_i128<W: ?Sized + io::Write>(
            &mut self,
            writer: &mut W,
            value: i128,
        ) -> io::Result<()> {
            let fits = i64::try_from(value).map_err(|_| out_of_range())?;
            writer.write_all(fits.to_string().as_bytes())
        }

        fn write_u128<W: ?Sized + io::Write>(
            &mut self,
            writer: &mut W,
            value: u128,
        ) -> io::Result<()> {
            let fits = u64::try_from(value).map_err(|_| out_of_range())?;
            writer.write_all(fits.to_string().as_bytes())
        }
    }

    /// The canonical bytes, or `None` when the keys need sorting.
    pub(super) fn write<T: Serialize + ?Sized>(value: &T) -> Result<Option<Vec<u8>>, JsonError> {
        let buffer: Buffer = Rc::new(RefCell::new(Vec::with_capacity(128)));
        let unsorted = Rc::new(Cell::new(false));
        let formatter = Canonical {
            buffer: buffer.clone(),
            previous_keys: Vec::new(),
            key_start: 0,
            unsorted: unsorted.clone(),
        };
        let mut serializer =
            serde_json::Serializer::with_formatter(Shared(buffer.clone()), formatter);
        value.serialize(&mut serializer)?;
        drop(serializer);
        if unsorted.get() {
            return Ok(None);
        }
        Ok(Some(
            Rc::try_unwrap(buffer)
                .map(RefCell::into_inner)
                .unwrap_or_else(|shared| shared.borrow().clone()),
        ))
    }
}

/// Serialises `value` as a canonical JSON string.
pub fn to_canonical_string<T: Serialize + ?Sized>(value: &T) -> Result<String, JsonError> {
    let bytes = to_canonical_vec(value)?;
    // The writer only emits valid UTF-8: ASCII punctuation plus the bytes of Rust strings.
    Ok(String::from_utf8(bytes).expect("canonical JSON is UTF-8"))
}

/// Writes an already built [`Value`] canonically.
pub fn write_value(value: &Value, out: &mut Vec<u8>) -> Result<(), JsonError> {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Number(n) => write_number(n, out)?,
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(item, out)?;
            }
            out.push(b']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push(b'{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_string(key, out);
                out.push(b':');
                write_value(item, out)?;
            }
            out.push(b'}');
        }
    }
    Ok(())
}

fn write_number(n: &Number, out: &mut Vec<u8>) -> Result<(), JsonError> {
    if let Some(i) = n.as_i64() {
        out.extend_from_slice(i.to_string().as_bytes());
    } else if let Some(u) = n.as_u64() {
        out.extend_from_slice(u.to_string().as_bytes());
    } else {
        let f = n.as_f64().unwrap_or(f64::NAN);
        out.extend_from_slice(format_float(f)?.as_bytes());
    }
    Ok(())
}

/// Formats a float the way Go's `encoding/json` (and `fmt.Sprint` for results) does: the
/// shortest text that reads back to the same value, in positional notation for magnitudes in
/// `[1e-6, 1e21)` and as `1e+21` / `1e-7` outside.
pub fn format_float(f: f64) -> Result<String, JsonError> {
    if !f.is_finite() {
        return Err(JsonError::NonFinite(f));
    }
    let abs = f.abs();
    if abs == 0.0 || (1e-6..1e21).contains(&abs) {
        // Rust's Display is already the shortest round-trip form, never with an exponent.
        let text = format!("{f}");
        // `-0` prints as "-0" in both languages.
        Ok(text)
    } else {
        let text = format!("{f:e}");
        // Rust writes "1e21" / "1e-7"; Go writes "1e+21" / "1e-07" cleaned up to "1e-7".
        Ok(match text.split_once('e') {
            Some((mantissa, exp)) if !exp.starts_with('-') => format!("{mantissa}e+{exp}"),
            _ => text,
        })
    }
}

fn write_string(s: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let mut start = 0;
    for (i, ch) in s.char_indices() {
        let escape: Option<&[u8]> = match ch {
            '"' => Some(b"\\\""),
            '\\' => Some(b"\\\\"),
            '\n' => Some(b"\\n"),
            '\r' => Some(b"\\r"),
            '\t' => Some(b"\\t"),
            '\u{8}' => Some(b"\\b"),
            '\u{c}' => Some(b"\\f"),
            _ => None,
        };
        let needs_unicode = matches!(
            ch,
            '\0'..='\u{1f}' | '<' | '>' | '&' | '\u{2028}' | '\u{2029}'
        );
        if escape.is_none() && !needs_unicode {
            continue;
        }
        out.extend_from_slice(&s.as_bytes()[start..i]);
        start = i + ch.len_utf8();
        match escape {
            Some(e) => out.extend_from_slice(e),
            None => {
                let code = ch as u32;
                out.extend_from_slice(b"\\u");
                for shift in [12, 8, 4, 0] {
                    out.push(HEX[((code >> shift) & 0xf) as usize]);
                }
            }
        }
    }
    out.extend_from_slice(&s.as_bytes()[start..]);
    out.push(b'"');
}

/// Decodes one JSON value strictly: surrounding whitespace is allowed, trailing characters are
/// not, keys are matched exactly (types marked `#[object]` also reject unknown and duplicate
/// keys through serde).
pub fn from_slice_strict<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, serde_json::Error> {
    serde_json::from_slice(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn canon(v: Value) -> String {
        let mut out = Vec::new();
        write_value(&v, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn keys_are_sorted_at_every_level() {
        let v = json!({"b": {"z": 1, "a": [ {"y": true, "x": null} ]}, "a": "s"});
        assert_eq!(
            canon(v),
            r#"{"a":"s","b":{"a":[{"x":null,"y":true}],"z":1}}"#
        );
    }

    #[test]
    fn strings_are_escaped_like_go() {
        let v = json!("a<b>&c\u{2028}\u{2029}\"\\\n\r\t\u{8}\u{c}\u{1}é");
        assert_eq!(
            canon(v),
            r#""a\u003cb\u003e\u0026c\u2028\u2029\"\\\n\r\t\b\f\u0001é""#
        );
    }

    #[test]
    fn floats_follow_go_formatting() {
        assert_eq!(format_float(1.5).unwrap(), "1.5");
        assert_eq!(format_float(300.0).unwrap(), "300");
        assert_eq!(format_float(1e21).unwrap(), "1e+21");
        assert_eq!(format_float(1e20).unwrap(), "100000000000000000000");
        assert_eq!(format_float(1e-7).unwrap(), "1e-7");
        assert_eq!(format_float(0.000001).unwrap(), "0.000001");
        assert!(format_float(f64::NAN).is_err());
    }

    #[test]
    fn integers_keep_full_width() {
        assert_eq!(
            canon(json!([u64::MAX, i64::MIN])),
            "[18446744073709551615,-9223372036854775808]"
        );
    }

    #[test]
    fn strict_decoding_rejects_trailing_garbage_but_not_whitespace() {
        assert_eq!(
            from_slice_strict::<Vec<u8>>(b" [1,2] \n").unwrap(),
            vec![1, 2]
        );
        assert!(from_slice_strict::<Vec<u8>>(b"[1,2] x").is_err());
    }
}

#[cfg(test)]
mod direct_path_tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    /// The sorting path alone, for comparison.
    fn sorted(value: &Value) -> Vec<u8> {
        let mut out = Vec::new();
        write_value(value, &mut out).unwrap();
        out
    }

    fn text() -> impl Strategy<Value = String> {
        proptest::string::string_regex("[a-zA-Z0-9 <>&\\\\\"\\n\\t\\u{8}\\u{c}\\u{1}\\u{7f}\\u{e9}\\u{2028}\\u{2029}\\u{2026}\\u{20ac}\\u{1F600}]{0,8}").unwrap()
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<u64>().prop_map(|n| json!(n)),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(|f| json!(f)),
            text().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::btree_map(text(), inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn direct_and_sorting_paths_write_the_same_bytes(value in json_value()) {
            prop_assert_eq!(to_canonical_vec(&value).unwrap(), sorted(&value));
        }
    }

    #[derive(serde::Serialize)]
    struct Unsorted {
        zeta: u8,
        alpha: &'static str,
        nested: std::collections::HashMap<&'static str, u8>,
    }

    #[test]
    fn out_of_order_structs_and_hash_maps_are_sorted() {
        let value = Unsorted {
            zeta: 1,
            alpha: "<a>",
            nested: [("b", 2), ("a", 1), ("c", 3)].into_iter().collect(),
        };
        assert_eq!(
            to_canonical_vec(&value).unwrap(),
            br#"{"alpha":"\u003ca\u003e","nested":{"a":1,"b":2,"c":3},"zeta":1}"#
        );
        #[derive(serde::Serialize)]
        struct Sorted {
            a: f64,
            b: Vec<u32>,
            c: Option<i128>,
        }
        let direct = direct::write(&Sorted {
            a: 1e21,
            b: vec![1, 2],
            c: Some(-5),
        })
        .unwrap();
        assert_eq!(
            direct.as_deref(),
            Some(&br#"{"a":1e+21,"b":[1,2],"c":-5}"#[..]),
            "written directly, no sorting"
        );
        assert!(
            to_canonical_vec(&u128::MAX).is_err(),
            "beyond 64 bits, as serde_json::Value"
        );
    }
}
