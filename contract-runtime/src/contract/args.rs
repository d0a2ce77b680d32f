//! Argument decoding: how one argument's bytes become a typed parameter. Go's rules
//! (fabric-contract-api-go `internal/types/types.go`, `serializer/json_transaction_serializer.go`),
//! made strict where Go silently accepts malformed input.
//!
//! Strings are taken raw (valid UTF-8 required), integers as strict ASCII decimal, booleans from
//! Go's `strconv.ParseBool` set (empty rejected), floats in JSON number grammar, `Vec<u8>` raw,
//! and everything else as one strict JSON value.

use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::DeserializeOwned;

use crate::ContractError;

/// Why one argument could not be decoded; [`ArgError`] adds where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgFault {
    /// What the type expects, e.g. `u32` or `Asset`.
    pub expected: String,
    /// What was wrong, e.g. `expected decimal digits`.
    pub reason: String,
    /// Whether the value was meant to be JSON (selects Go's "expected format" wording).
    pub json: bool,
}

impl ArgFault {
    /// A conversion failure of a scalar argument.
    pub fn conversion(expected: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            expected: expected.into(),
            reason: reason.into(),
            json: false,
        }
    }

    /// A JSON argument that did not decode into the expected type.
    pub fn json(expected: impl Into<String>, error: &serde_json::Error) -> Self {
        Self {
            expected: expected.into(),
            reason: error.to_string(),
            json: true,
        }
    }
}

/// An argument of a named transaction that could not be decoded.
///
/// The message keeps the Go contract API's prefix `error managing parameter param<i>.` (clients
/// match on it) and adds the parameter's name, the transaction and what was expected:
/// `error managing parameter param2. conversion error. cannot convert passed value abc to u32:
/// expected decimal digits (parameter size of transaction CreateAsset)`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArgError {
    /// The argument count is outside what the transaction declares.
    #[error("incorrect number of params. Expected {expected}, received {received}")]
    Count {
        /// `5`, or `4 to 5` when trailing parameters are optional.
        expected: String,
        /// How many were sent.
        received: usize,
    },
    /// One argument (or transient entry) could not be decoded.
    #[error("{}", describe_bad_arg(.index, .name, .tx, .value, .fault))]
    Bad {
        /// Position among the non-transient parameters, or `None` for a transient entry.
        index: Option<usize>,
        /// The parameter's name (the transient key for transient parameters).
        name: String,
        /// The transaction name as declared.
        tx: String,
        /// The offending value, shortened for the message.
        value: String,
        /// What went wrong.
        fault: ArgFault,
    },
    /// A required transient entry is missing.
    #[error("transient entry {key} is required by transaction {tx} but was not sent")]
    MissingTransient {
        /// The transient map key.
        key: String,
        /// The transaction name.
        tx: String,
    },
}

fn describe_bad_arg(
    index: &Option<usize>,
    name: &str,
    tx: &str,
    value: &str,
    fault: &ArgFault,
) -> String {
    let head = match index {
        Some(i) => format!("error managing parameter param{i}."),
        None => format!("error managing transient entry {name}."),
    };
    let body = if fault.json {
        format!(
            "value {value} was not passed in expected format {}: {}",
            fault.expected, fault.reason
        )
    } else {
        format!(
            "conversion error. cannot convert passed value {value} to {}: {}",
            fault.expected, fault.reason
        )
    };
    format!("{head} {body} (parameter {name} of transaction {tx})")
}

impl From<ArgError> for ContractError {
    fn from(e: ArgError) -> Self {
        ContractError::new(e.to_string())
    }
}

/// Shortens an argument for an error message: lossy UTF-8, at most 64 characters.
pub fn preview(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let mut out: String = text.chars().take(64).collect();
    if text.chars().nth(64).is_some() {
        out.push('…');
    }
    out
}

/// A type that can be a transaction parameter.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a transaction parameter",
    label = "this parameter type cannot be decoded from a transaction argument",
    note = "use String, bool, an integer or float type, Vec<u8>, Vec<T>, BTreeMap<String, T>, \
            Option<T> (trailing parameters only), or a type marked `#[object]`",
    note = "to take `{Self}` as JSON, add `#[fabric_contract::object]` to its declaration"
)]
pub trait TxArg: Sized {
    /// Whether the parameter may be left out (only `Option<T>`).
    const OPTIONAL: bool = false;

    /// Decodes the argument's bytes.
    fn decode(raw: &[u8]) -> Result<Self, ArgFault>;

    /// The value of a parameter that was left out, for optional types.
    fn absent() -> Option<Self> {
        None
    }

    /// The parameter's schema in the metadata.
    fn schema(generator: &mut SchemaGenerator) -> Schema;
}

/// A type marked `#[object]`: JSON in arguments, results, events and state.
///
/// `#[object]` implements it together with [`TxArg`], [`TxArgElem`],
/// [`TxReturn`](super::TxReturn) and [`TxReturnElem`](super::TxReturnElem).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an `#[object]` type",
    label = "expected a type marked `#[object]`",
    note = "add `#[fabric_contract::object]` to the declaration of `{Self}`"
)]
pub trait Object: serde::Serialize + DeserializeOwned + JsonSchema {}

/// A type that can be a field of an `#[object]` type: JSON both ways, with a schema.
///
/// `#[object]` checks each field type against this trait first, at the field, so a field type
/// without serde or schemars support is reported there with the fix.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a field of an `#[object]` type",
    label = "this field's type has no JSON form or schema",
    note = "mark `{Self}` with `#[object]` as well (or derive serde's `Serialize` and \
            `Deserialize` and schemars' `JsonSchema` for it)"
)]
pub trait ObjectField {}

impl<T: serde::Serialize + DeserializeOwned + JsonSchema> ObjectField for T {}

/// The check `#[object]` generates for each field type.
pub fn assert_object_field<T: ObjectField>() {}

/// Decodes an `#[object]` argument.
pub fn decode_object<T: DeserializeOwned + JsonSchema>(raw: &[u8]) -> Result<T, ArgFault> {
    decode_json(raw)
}

/// A type that can be an element of `Vec<T>` (or a value of `BTreeMap<String, T>`) in arguments.
///
/// The per-element hook lets `Vec<u8>` be raw bytes, as in Go, while other vectors are JSON arrays.
#[diagnostic::on_unimplemented(
    message = "`Vec<{Self}>` cannot be a transaction parameter",
    note = "elements must be String, bool, integers, floats, Vec, BTreeMap or `#[object]` types"
)]
pub trait TxArgElem: DeserializeOwned + JsonSchema + Sized {
    /// Decodes a whole vector.
    fn decode_vec(raw: &[u8]) -> Result<Vec<Self>, ArgFault> {
        decode_json::<Vec<Self>>(raw)
    }

    /// The schema of a whole vector.
    fn vec_schema(generator: &mut SchemaGenerator) -> Schema {
        generator.subschema_for::<Vec<Self>>()
    }
}

/// Decodes `raw` as one strict JSON value of type `T`.
pub fn decode_json<T: DeserializeOwned + JsonSchema>(raw: &[u8]) -> Result<T, ArgFault> {
    crate::json::from_slice_strict(raw).map_err(|e| ArgFault::json(T::schema_name(), &e))
}

impl TxArg for String {
    fn decode(raw: &[u8]) -> Result<Self, ArgFault> {
        String::from_utf8(raw.to_vec()).map_err(|_| {
            ArgFault::conversion(
                "String",
                "the value is not valid UTF-8 (use Vec<u8> for binary data)",
            )
        })
    }
    fn schema(generator: &mut SchemaGenerator) -> Schema {
        generator.subschema_for::<String>()
    }
}
impl TxArgElem for String {}

impl TxArg for bool {
    fn decode(raw: &[u8]) -> Result<Self, ArgFault> {
        match raw {
            b"1" | b"t" | b"T" | b"TRUE" | b"true" | b"True" => Ok(true),
            b"0" | b"f" | b"F" | b"FALSE" | b"false" | b"False" => Ok(false),
            _ => Err(ArgFault::conversion(
                "bool",
                "expected one of 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False",
            )),
        }
    }
    fn schema(generator: &mut SchemaGenerator) -> Schema {
        generator.subschema_for::<bool>()
    }
}
impl TxArgElem for bool {}

macro_rules! int_arg {
    ($($ty:ty: $signed:expr),* $(,)?) => {$(
        impl TxArg for $ty {
            fn decode(raw: &[u8]) -> Result<Self, ArgFault> {
                parse_int::<$ty>(raw, $signed, stringify!($ty), <$ty>::MIN as i128, <$ty>::MAX as i128)
            }
            fn schema(generator: &mut SchemaGenerator) -> Schema {
                generator.subschema_for::<$ty>()
            }
        }
    )*};
}
int_arg!(i8: true, i16: true, i32: true, i64: true, u16: false, u32: false, u64: false);

impl TxArg for u8 {
    fn decode(raw: &[u8]) -> Result<Self, ArgFault> {
        parse_int::<u8>(raw, false, "u8", 0, 255)
    }
    fn schema(generator: &mut SchemaGenerator) -> Schema {
        generator.subschema_for::<u8>()
    }
}

impl TxArgElem for i8 {}
impl TxArgElem for i16 {}
impl TxArgElem for i32 {}
impl TxArgElem for i64 {}
impl TxArgElem for u16 {}
impl TxArgElem for u32 {}
impl TxArgElem for u64 {}
impl TxArgElem for f32 {}
impl TxArgElem for f64 {}

/// `Vec<u8>` is the argument's raw bytes (Go ≥ 2.2), described as `{"type":"string","format":"byte"}`.
impl TxArgElem for u8 {
    fn decode_vec(raw: &[u8]) -> Result<Vec<Self>, ArgFault> {
        Ok(raw.to_vec())
    }
    fn vec_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "format": "byte"})
    }
}

fn parse_int<T: std::str::FromStr>(
    raw: &[u8],
    signed: bool,
    name: &str,
    min: i128,
    max: i128,
) -> Result<T, ArgFault> {
    let range = || format!("expected a decimal integer from {min} to {max}");
    let digits = match raw.first() {
        Some(b'+' | b'-') if signed => &raw[1..],
        Some(b'+' | b'-') => {
            return Err(ArgFault::conversion(name, "unsigned integers take no sign"));
        }
        _ => raw,
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(ArgFault::conversion(name, range()));
    }
    // Only ASCII sign and digits remain, so the text is valid UTF-8 and parse fails only on range.
    let text = std::str::from_utf8(raw).map_err(|_| ArgFault::conversion(name, range()))?;
    text.parse::<T>()
        .map_err(|_| ArgFault::conversion(name, format!("out of range: {}", range())))
}

macro_rules! float_arg {
    ($($ty:ty),*) => {$(
        impl TxArg for $ty {
            fn decode(raw: &[u8]) -> Result<Self, ArgFault> {
                let name = stringify!($ty);
                let body = raw.strip_prefix(b"+").unwrap_or(raw);
                if !is_json_number(body) {
                    return Err(ArgFault::conversion(name, "expected a number in JSON notation"));
                }
                let text = std::str::from_utf8(body).map_err(|_| ArgFault::conversion(name, "not UTF-8"))?;
                let v: $ty = text.parse().map_err(|_| ArgFault::conversion(name, "expected a number"))?;
                if v.is_finite() { Ok(v) } else { Err(ArgFault::conversion(name, "out of range")) }
            }
            fn schema(generator: &mut SchemaGenerator) -> Schema {
                generator.subschema_for::<$ty>()
            }
        }
    )*};
}
float_arg!(f32, f64);

/// JSON number grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
fn is_json_number(s: &[u8]) -> bool {
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < s.len() && s[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > start
    };
    if s.get(i) == Some(&b'-') {
        i += 1;
    }
    match s.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return false,
    }
    if s.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(s.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == s.len()
}

impl<T: TxArgElem> TxArg for Vec<T> {
    fn decode(raw: &[u8]) -> Result<Self, ArgFault> {
        T::decode_vec(raw)
    }
    fn schema(generator: &mut SchemaGenerator) -> Schema {
        T::vec_schema(generator)
    }
}
impl<T: TxArgElem> TxArgElem for Vec<T> {}

impl<T: TxArgElem> TxArg for BTreeMap<String, T> {
    fn decode(raw: &[u8]) -> Result<Self, ArgFault> {
        decode_json(raw)
    }
    fn schema(generator: &mut SchemaGenerator) -> Schema {
        generator.subschema_for::<Self>()
    }
}
impl<T: TxArgElem> TxArgElem for BTreeMap<String, T> {}

impl<T: TxArg> TxArg for Option<T> {
    const OPTIONAL: bool = true;
    fn decode(raw: &[u8]) -> Result<Self, ArgFault> {
        T::decode(raw).map(Some)
    }
    fn absent() -> Option<Self> {
        Some(None)
    }
    fn schema(generator: &mut SchemaGenerator) -> Schema {
        T::schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_strict_decimal() {
        assert_eq!(u32::decode(b"5"), Ok(5));
        assert_eq!(u32::decode(b"007"), Ok(7));
        assert_eq!(i64::decode(b"+5"), Ok(5));
        assert_eq!(i64::decode(b"-5"), Ok(-5));
        for bad in [&b""[..], b" 5", b"5 ", b"0x10", b"1e3", b"5a", b"-", b"+"] {
            assert!(i64::decode(bad).is_err(), "{bad:?}");
        }
        assert!(u32::decode(b"+5").is_err());
        assert!(u32::decode(b"-0").is_err());
        let e = u8::decode(b"256").unwrap_err();
        assert_eq!(
            e.reason,
            "out of range: expected a decimal integer from 0 to 255"
        );
        assert!(i8::decode(b"-129").is_err());
        assert_eq!(i8::decode(b"-128"), Ok(-128));
    }

    #[test]
    fn booleans_follow_go_parse_bool_without_empty() {
        for t in ["1", "t", "T", "TRUE", "true", "True"] {
            assert_eq!(bool::decode(t.as_bytes()), Ok(true));
        }
        for f in ["0", "f", "F", "FALSE", "false", "False"] {
            assert_eq!(bool::decode(f.as_bytes()), Ok(false));
        }
        for bad in ["", "yes", "tRUE", " true"] {
            assert!(bool::decode(bad.as_bytes()).is_err());
        }
    }

    #[test]
    fn floats_use_json_grammar() {
        assert_eq!(f64::decode(b"1.5"), Ok(1.5));
        assert_eq!(f64::decode(b"+1e3"), Ok(1000.0));
        assert_eq!(f64::decode(b"-0.25"), Ok(-0.25));
        for bad in ["", "NaN", "Inf", "0x10", "1.", ".5", "01", "1e", "1e999"] {
            assert!(f64::decode(bad.as_bytes()).is_err(), "{bad}");
        }
    }

    #[test]
    fn strings_and_bytes_are_raw() {
        assert_eq!(String::decode(b"\"quoted\""), Ok("\"quoted\"".to_string()));
        assert!(String::decode(&[0xff]).is_err());
        assert_eq!(Vec::<u8>::decode(&[0xff, 0]), Ok(vec![0xff, 0]));
        assert_eq!(Vec::<u32>::decode(b"[1, 2]"), Ok(vec![1, 2]));
        assert!(Vec::<u32>::decode(b"[1, 2.5]").is_err());
        assert!(Vec::<u32>::decode(b"[1] x").is_err());
    }

    #[test]
    fn options_may_be_absent() {
        assert_eq!(<Option<u32>>::absent(), Some(None));
        assert_eq!(<u32>::absent(), None);
        assert_eq!(<Option<u32>>::decode(b"3"), Ok(Some(3)));
    }

    #[test]
    fn messages_keep_go_prefixes() {
        let e = ArgError::Bad {
            index: Some(2),
            name: "size".into(),
            tx: "CreateAsset".into(),
            value: preview(b"abc"),
            fault: u32::decode(b"abc").unwrap_err(),
        };
        assert_eq!(
            e.to_string(),
            "error managing parameter param2. conversion error. cannot convert passed value abc to \
             u32: expected a decimal integer from 0 to 4294967295 (parameter size of transaction CreateAsset)"
        );
        let c = ArgError::Count {
            expected: "5".into(),
            received: 4,
        };
        assert_eq!(
            c.to_string(),
            "incorrect number of params. Expected 5, received 4"
        );
    }
}
