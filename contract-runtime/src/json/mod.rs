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

mod canonical;
mod direct;
mod object;
mod quick;
mod text;
mod value;

use serde::Serialize;
use serde::de::DeserializeOwned;

// For the code `#[object]` generates (through `__private`); `keys_are_plain` is documented
// because generated code evaluates it at compile time.
pub use canonical::CanonicalJson;
#[doc(hidden)]
pub use canonical::{ObjectScan, Probe, ViaCanonical, ViaUnknown};
pub use object::keys_are_plain;
#[doc(hidden)]
pub use object::{ObjectWriter, WriteObject, object_to_vec, objects_to_vec};
pub use text::format_float;
pub use value::write_value;

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
/// Most values (structs whose fields are declared in key order, `BTreeMap<String, _>`s) already
/// serialize with sorted keys, so they are written directly; only when an object's keys arrive
/// out of order (or are map keys that need escaping or are not strings) is the value rebuilt as
/// a `serde_json::Value` and sorted. Both paths produce the same bytes (tests compare them).
pub fn to_canonical_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, JsonError> {
    let mut out = direct::Out {
        bytes: Vec::with_capacity(128),
        unsorted: false,
    };
    direct::write(value, &mut out).map_err(|direct::Fault(error)| error)?;
    if !out.unsorted {
        return Ok(out.bytes);
    }
    let value = serde_json::to_value(value)?;
    out.bytes.clear();
    write_value(&value, &mut out.bytes)?;
    Ok(out.bytes)
}

/// Serialises `value` as a canonical JSON string.
pub fn to_canonical_string<T: Serialize + ?Sized>(value: &T) -> Result<String, JsonError> {
    let bytes = to_canonical_vec(value)?;
    // The writer only emits valid UTF-8: ASCII punctuation plus the bytes of Rust strings.
    Ok(String::from_utf8(bytes).expect("canonical JSON is UTF-8"))
}

/// Decodes one JSON value strictly: surrounding whitespace is allowed, trailing characters are
/// not, keys are matched exactly (types marked `#[object]` also reject unknown and duplicate
/// keys through serde). The value, or the error, is the one `serde_json` gives.
///
/// Compact JSON (what this crate and Go's `encoding/json` write: no whitespace, integers, strings
/// without escapes) is read by a quicker reader of its own; anything it does not take, and every
/// error, is read again by `serde_json`. On a stored asset of asset-transfer-basic that is a
/// quarter fewer instructions, its three `String` allocations included.
///
/// The input's UTF-8 is checked once, up front: parsing from `&str` spares serde_json a check
/// per string it reads (keys included), which was a quarter of decoding a small struct. Input
/// that is not UTF-8 is parsed from bytes instead, for serde_json's own error and position.
///
/// ```
/// use fabric_contract::json::from_slice_strict;
/// let pair: (String, Option<u32>) = from_slice_strict(br#"["a",null]"#).unwrap();
/// assert_eq!(pair, ("a".to_owned(), None));
/// // Outside the quick subset (whitespace, a float): the same answer, from serde_json.
/// let pair: (String, f64) = from_slice_strict(br#"[ "a", 1.5 ]"#).unwrap();
/// assert_eq!(pair, ("a".to_owned(), 1.5));
/// assert!(from_slice_strict::<u8>(b"300").is_err());
/// ```
pub fn from_slice_strict<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, serde_json::Error> {
    match std::str::from_utf8(bytes) {
        Ok(text) => quick::from_str(text).map_or_else(|| serde_json::from_str(text), Ok),
        Err(_) => serde_json::from_slice(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn canon(v: Value) -> String {
        let mut out = Vec::new();
        write_value(&v, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_long_list_reserves_room_for_its_elements_once() {
        let items: Vec<String> = (0..1000).map(|i| format!("item-{i:04}")).collect();
        let bytes = to_canonical_vec(&items).unwrap();
        assert_eq!(bytes, serde_json::to_vec(&items).unwrap());
        // Doubling through every size would leave up to twice the length.
        assert!(
            bytes.capacity() <= bytes.len() + 128,
            "capacity {} for {} bytes",
            bytes.capacity(),
            bytes.len()
        );
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
        // Not UTF-8: serde_json's error from the bytes, with its position.
        let error = from_slice_strict::<String>(b"\"ab\xff\"").unwrap_err();
        assert!(error.to_string().contains("column"), "{error}");
        assert!(from_slice_strict::<serde::de::IgnoredAny>(b"[\"\xff\", 1]").is_ok());
    }
}

#[cfg(test)]
mod direct_path_tests {
    use std::collections::{BTreeMap, HashMap};

    use super::*;
    use proptest::prelude::*;
    use serde_json::{Value, json};

    /// The direct path alone: its bytes, or `None` when it hands over to sorting.
    fn direct_only<T: Serialize>(value: &T) -> Option<Vec<u8>> {
        let mut out = direct::Out {
            bytes: Vec::new(),
            unsorted: false,
        };
        direct::write(value, &mut out).unwrap();
        (!out.unsorted).then_some(out.bytes)
    }

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
        let direct = direct_only(&Sorted {
            a: 1e21,
            b: vec![1, 2],
            c: Some(-5),
        });
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

    #[derive(serde::Serialize)]
    enum Shape {
        Dot,
        Circle(u32),
        Line(i8, i8),
        Box { high: u8, deep: u8 },
    }

    #[derive(serde::Serialize)]
    struct Flattened {
        b: u8,
        #[serde(flatten)]
        rest: BTreeMap<&'static str, u8>,
    }

    /// Every serde shape the direct path writes itself, against serde_json's `Value` sorted.
    #[test]
    fn every_serde_shape_matches_the_sorting_path() {
        fn same<T: Serialize>(value: T) {
            let expected = sorted(&serde_json::to_value(&value).unwrap());
            assert_eq!(
                String::from_utf8(to_canonical_vec(&value).unwrap()).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
        same(vec![Shape::Dot, Shape::Circle(3), Shape::Line(-1, 2)]);
        same(Shape::Box { high: 1, deep: 2 });
        same(('x', Some(()), None::<u8>, b"ab".as_slice(), -1.5f32));
        same(Flattened {
            b: 1,
            rest: [("a", 2), ("c", 3)].into_iter().collect(),
        });
        // Keys that are numbers or need escaping sort by their text, not their written bytes.
        same(BTreeMap::from([(1u32, 'a'), (9, 'b'), (10, 'c')]));
        same(BTreeMap::from([("<", 1), ("=", 2)]));
        same(HashMap::from([(true, 1), (false, 0)]));
    }

    #[test]
    fn sorted_values_are_written_directly_and_unsorted_ones_are_handed_over() {
        assert!(direct_only(&BTreeMap::from([("a", 1), ("b", 2)])).is_some());
        assert!(direct_only(&Shape::Box { high: 1, deep: 2 }).is_none());
        assert!(direct_only(&BTreeMap::from([(1u8, 1)])).is_none());
        assert!(direct_only(&BTreeMap::from([("<", 1)])).is_none());
    }

    #[test]
    fn values_json_cannot_hold_are_refused_even_where_keys_need_sorting() {
        #[derive(serde::Serialize)]
        struct Late {
            z: u8,
            a: f64,
        }
        let error = to_canonical_vec(&Late { z: 1, a: f64::NAN }).unwrap_err();
        assert!(matches!(error, JsonError::NonFinite(_)), "{error}");
        assert!(to_canonical_vec(&HashMap::from([(vec![1u8], 1)])).is_err());
        assert_eq!(
            to_canonical_vec(&(1u128 << 63)).unwrap(),
            b"9223372036854775808"
        );
    }
}
