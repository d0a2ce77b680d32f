//! Result encoding: how a method's return value becomes the response payload, as fabric-contract-api-go
//! does in `internal/contract_function.go` and `serializer/json_transaction_serializer.go`.
//!
//! `()` is an empty payload, `String` and `Vec<u8>` are raw bytes, numbers and booleans are text,
//! `None` is an empty payload (Go's nil), everything else is canonical JSON.

use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Serialize;

use super::args::Object;
use super::context::Returned;
use super::error::IntoContractError;
use crate::ContractError;
use crate::json::{
    CanonicalJson, WriteObject, format_float, object_to_vec, objects_to_vec, to_canonical_vec,
};
use crate::state::{Stored, StoredForm};

/// A type a transaction can return.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned by a transaction",
    label = "this return type cannot be encoded as a response payload",
    note = "return (), String, bool, an integer or float type, Vec<u8>, Vec<T>, BTreeMap<String, T>, \
            Option<T>, or a type marked `#[object]`, optionally inside Result<T, E>",
    note = "to return `{Self}` as JSON, add `#[fabric_contract::object]` to its declaration"
)]
pub trait TxReturn {
    /// Encodes the value as the response payload.
    fn encode(self) -> Result<Vec<u8>, ContractError>;

    /// The `returns` schema in the metadata; `None` for no value.
    fn schema(generator: &mut SchemaGenerator) -> Option<Schema>;

    /// Whether this is a value the `#[after]` hook sees as one: `false` for `()` and `None`
    /// (Go's `nil`), `true` otherwise.
    fn is_value(&self) -> bool {
        true
    }

    /// Encodes the value as what the `#[after]` hook sees and the response carries.
    fn encode_returned(self) -> Result<Returned, ContractError>
    where
        Self: Sized,
    {
        let value = self.is_value();
        Ok(Returned::new(self.encode()?, value))
    }
}

/// Encodes an `#[object]` result as canonical JSON, through the writer `#[object]` generated
/// for it when it has one.
pub fn encode_object<T: Serialize>(
    value: &T,
    write: Option<WriteObject<T>>,
) -> Result<Vec<u8>, ContractError> {
    Ok(object_to_vec(value, write)?)
}

/// Encodes a returned list of `#[object]` values, as [`encode_object`] does one.
pub fn encode_objects<T: Serialize>(
    items: &[T],
    write: Option<WriteObject<T>>,
) -> Result<Vec<u8>, ContractError> {
    Ok(objects_to_vec(items, write)?)
}

/// A type that can be an element of a returned `Vec<T>` or `BTreeMap<String, T>`.
#[diagnostic::on_unimplemented(
    message = "`Vec<{Self}>` cannot be returned by a transaction",
    note = "elements must be String, bool, integers, floats, Vec, BTreeMap or `#[object]` types"
)]
pub trait TxReturnElem: Serialize + JsonSchema + Sized {
    /// Encodes a whole vector (canonical JSON unless overridden).
    fn encode_vec(items: Vec<Self>) -> Result<Vec<u8>, ContractError> {
        Ok(to_canonical_vec(&items)?)
    }

    /// The schema of a whole vector.
    fn vec_schema(generator: &mut SchemaGenerator) -> Schema {
        generator.subschema_for::<Vec<Self>>()
    }
}

impl TxReturn for () {
    fn encode(self) -> Result<Vec<u8>, ContractError> {
        Ok(Vec::new())
    }
    fn schema(_: &mut SchemaGenerator) -> Option<Schema> {
        None
    }
    fn is_value(&self) -> bool {
        false
    }
}

impl TxReturn for String {
    fn encode(self) -> Result<Vec<u8>, ContractError> {
        Ok(self.into_bytes())
    }
    fn schema(generator: &mut SchemaGenerator) -> Option<Schema> {
        Some(generator.subschema_for::<String>())
    }
}
impl TxReturnElem for String {}

impl TxReturn for &'static str {
    fn encode(self) -> Result<Vec<u8>, ContractError> {
        Ok(self.as_bytes().to_vec())
    }
    fn schema(generator: &mut SchemaGenerator) -> Option<Schema> {
        Some(generator.subschema_for::<String>())
    }
}

macro_rules! text_return {
    ($($ty:ty),*) => {$(
        impl TxReturn for $ty {
            fn encode(self) -> Result<Vec<u8>, ContractError> {
                Ok(self.to_string().into_bytes())
            }
            fn schema(generator: &mut SchemaGenerator) -> Option<Schema> {
                Some(generator.subschema_for::<$ty>())
            }
        }
        impl TxReturnElem for $ty {}
    )*};
}
text_return!(bool, i8, i16, i32, i64, u16, u32, u64);

impl TxReturn for u8 {
    fn encode(self) -> Result<Vec<u8>, ContractError> {
        Ok(self.to_string().into_bytes())
    }
    fn schema(generator: &mut SchemaGenerator) -> Option<Schema> {
        Some(generator.subschema_for::<u8>())
    }
}

/// `Vec<u8>` is returned raw (Go ≥ 2.2).
impl TxReturnElem for u8 {
    fn encode_vec(items: Vec<Self>) -> Result<Vec<u8>, ContractError> {
        Ok(items)
    }
    fn vec_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "format": "byte"})
    }
}

macro_rules! float_return {
    ($($ty:ty),*) => {$(
        impl TxReturn for $ty {
            fn encode(self) -> Result<Vec<u8>, ContractError> {
                Ok(format_float(f64::from(self))?.into_bytes())
            }
            fn schema(generator: &mut SchemaGenerator) -> Option<Schema> {
                Some(generator.subschema_for::<$ty>())
            }
        }
        impl TxReturnElem for $ty {}
    )*};
}
float_return!(f64);

impl TxReturn for f32 {
    fn encode(self) -> Result<Vec<u8>, ContractError> {
        // Go formats a float32 with 32-bit shortest round-trip digits; Rust's Display for f32
        // does the same, so format through f32 when the value is in positional range.
        let abs = self.abs();
        if self.is_finite() && (abs == 0.0 || (1e-6..1e21).contains(&abs)) {
            Ok(self.to_string().into_bytes())
        } else {
            Ok(format_float(f64::from(self))?.into_bytes())
        }
    }
    fn schema(generator: &mut SchemaGenerator) -> Option<Schema> {
        Some(generator.subschema_for::<f32>())
    }
}
impl TxReturnElem for f32 {}

impl<T: TxReturnElem> TxReturn for Vec<T> {
    fn encode(self) -> Result<Vec<u8>, ContractError> {
        T::encode_vec(self)
    }
    fn schema(generator: &mut SchemaGenerator) -> Option<Schema> {
        Some(T::vec_schema(generator))
    }
}
impl<T: TxReturnElem> TxReturnElem for Vec<T> {}

impl<T: TxReturnElem> TxReturn for BTreeMap<String, T> {
    fn encode(self) -> Result<Vec<u8>, ContractError> {
        Ok(to_canonical_vec(&self)?)
    }
    fn schema(generator: &mut SchemaGenerator) -> Option<Schema> {
        Some(generator.subschema_for::<Self>())
    }
}
impl<T: TxReturnElem> TxReturnElem for BTreeMap<String, T> {}

/// `None` is an empty payload, the way Go answers a nil pointer or nil slice.
impl<T: TxReturn> TxReturn for Option<T> {
    fn encode(self) -> Result<Vec<u8>, ContractError> {
        match self {
            Some(v) => v.encode(),
            None => Ok(Vec::new()),
        }
    }
    fn schema(generator: &mut SchemaGenerator) -> Option<Schema> {
        T::schema(generator)
    }
    fn is_value(&self) -> bool {
        self.as_ref().is_some_and(TxReturn::is_value)
    }
}

/// A value returned as it is stored: its stored JSON when that is kept, or `V`'s encoding. The
/// metadata says `V`.
impl<V: Object + CanonicalJson + TxReturn> TxReturn for Stored<V> {
    fn encode(self) -> Result<Vec<u8>, ContractError> {
        match self.into_form() {
            StoredForm::Json(bytes) => Ok(bytes.into()),
            StoredForm::Value(value) => value.encode(),
        }
    }

    fn schema(generator: &mut SchemaGenerator) -> Option<Schema> {
        V::schema(generator)
    }
}

impl<V: Object + CanonicalJson + TxReturn + TxReturnElem> TxReturnElem for Stored<V> {
    /// A JSON array of each element's JSON: the stored bytes, or `V`'s encoding.
    fn encode_vec(items: Vec<Self>) -> Result<Vec<u8>, ContractError> {
        let room: usize = items
            .iter()
            .map(|item| item.json().map_or(64, <[u8]>::len) + 1)
            .sum();
        let mut out = Vec::with_capacity(room + 1);
        out.push(b'[');
        for (index, item) in items.into_iter().enumerate() {
            if index > 0 {
                out.push(b',');
            }
            match item.into_form() {
                StoredForm::Json(bytes) => out.extend_from_slice(&bytes),
                StoredForm::Value(value) => out.extend_from_slice(&value.encode()?),
            }
        }
        out.push(b']');
        Ok(out)
    }

    fn vec_schema(generator: &mut SchemaGenerator) -> Schema {
        V::vec_schema(generator)
    }
}

/// What a transaction method may return: `T` or `Result<T, E>` with `T: TxReturn` and
/// `E: Into<ContractError>`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned by a transaction",
    note = "return a type implementing `TxReturn`, or `Result<T, E>` with `T: TxReturn` and \
            `E: Into<ContractError>`"
)]
pub trait TxOutput {
    /// The success type.
    type Ok: TxReturn;
    /// Splits the outcome into an encoded payload or an error.
    fn into_payload(self) -> Result<Vec<u8>, ContractError>;
    /// Splits the outcome into what the `#[after]` hook sees, or an error.
    fn into_returned(self) -> Result<Returned, ContractError>;
    /// The `returns` schema.
    fn schema(generator: &mut SchemaGenerator) -> Option<Schema> {
        <Self::Ok as TxReturn>::schema(generator)
    }
}

impl<T: TxReturn> TxOutput for T {
    type Ok = T;
    fn into_payload(self) -> Result<Vec<u8>, ContractError> {
        self.encode()
    }
    fn into_returned(self) -> Result<Returned, ContractError> {
        self.encode_returned()
    }
}

impl<T: TxReturn, E: IntoContractError> TxOutput for Result<T, E> {
    type Ok = T;
    fn into_payload(self) -> Result<Vec<u8>, ContractError> {
        match self {
            Ok(v) => v.encode(),
            Err(e) => Err(e.into_contract_error()),
        }
    }
    fn into_returned(self) -> Result<Returned, ContractError> {
        match self {
            Ok(v) => v.into_returned(),
            Err(e) => Err(e.into_contract_error()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_text_and_strings_raw() {
        assert_eq!(().encode().unwrap(), b"");
        assert_eq!("a\"b".to_string().encode().unwrap(), b"a\"b");
        assert_eq!(true.encode().unwrap(), b"true");
        assert_eq!((-42i64).encode().unwrap(), b"-42");
        assert_eq!(u64::MAX.encode().unwrap(), b"18446744073709551615");
        assert_eq!(1.5f64.encode().unwrap(), b"1.5");
        assert_eq!(1e21f64.encode().unwrap(), b"1e+21");
        assert_eq!(0.1f32.encode().unwrap(), b"0.1");
    }

    #[test]
    fn bytes_raw_vectors_json_none_empty() {
        assert_eq!(vec![0xffu8, 0].encode().unwrap(), vec![0xff, 0]);
        assert_eq!(
            vec!["<a>".to_string()].encode().unwrap(),
            br#"["\u003ca\u003e"]"#
        );
        assert_eq!(Vec::<u32>::new().encode().unwrap(), b"[]");
        assert_eq!(None::<Vec<u32>>.encode().unwrap(), b"");
        let map = BTreeMap::from([("b".to_string(), 2u32), ("a".to_string(), 1)]);
        assert_eq!(map.encode().unwrap(), br#"{"a":1,"b":2}"#);
    }

    #[test]
    fn results_split_into_payload_or_error() {
        let ok: Result<u32, String> = Ok(3);
        assert_eq!(ok.into_payload().unwrap(), b"3");
        let err: Result<u32, String> = Err("boom".into());
        assert_eq!(err.into_payload().unwrap_err().message(), "boom");
    }

    #[test]
    fn unit_and_none_are_no_value_for_the_after_hook() {
        assert!(!().into_returned().unwrap().has_value());
        assert!(!None::<String>.into_returned().unwrap().has_value());
        assert!(!Some(()).into_returned().unwrap().has_value());
        let empty = String::new().into_returned().unwrap();
        assert!(empty.has_value(), "an empty string is a value");
        assert_eq!(empty.text(), Some(""));
        let ok: Result<Option<u32>, String> = Ok(Some(7));
        assert_eq!(
            ok.into_returned().unwrap(),
            Returned::new(b"7".to_vec(), true)
        );
        let err: Result<u32, String> = Err("boom".into());
        assert_eq!(err.into_returned().unwrap_err().message(), "boom");
    }
}
