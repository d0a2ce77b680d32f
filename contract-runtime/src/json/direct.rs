//! The direct path of [`to_canonical_vec`](super::to_canonical_vec): a `serde::Serializer` that
//! writes canonical JSON straight into the output while checking that every object's keys arrive
//! in ascending order.
//!
//! Struct fields are compared as the `&'static str` names serde hands over; map keys are compared
//! as the bytes just written. When keys are out of order, repeated, escaped, or not strings, the
//! output is marked unsorted and the caller takes the sorting path through `serde_json::Value`,
//! which also decides what to do with unusual keys. Most values (structs declared in key order,
//! `BTreeMap<String, _>`) never need that. The write goes on to the end either way, so a value
//! JSON cannot hold (NaN, an integer beyond 64 bits) is refused on both paths: `Value` would
//! quietly turn NaN into `null`.

use std::fmt;

use serde::ser::{self, Serialize};

use super::JsonError;
use super::text::{format_float, write_i64, write_string, write_u64};

/// A value JSON cannot hold; serde's error type for this serializer.
#[derive(Debug)]
pub(super) struct Fault(pub(super) JsonError);

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Fault {}

impl ser::Error for Fault {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Fault(JsonError::Serialize(
            <serde_json::Error as ser::Error>::custom(message),
        ))
    }
}

fn out_of_range() -> Fault {
    ser::Error::custom("number out of range: JSON integers here are limited to 64 bits")
}

/// The bytes written so far, and whether some object's keys arrived out of order.
pub(super) struct Out {
    pub(super) bytes: Vec<u8>,
    pub(super) unsorted: bool,
}

/// Writes `value`; when `out.unsorted` is set afterwards the bytes are not canonical.
pub(super) fn write<T: Serialize + ?Sized>(value: &T, out: &mut Out) -> Result<(), Fault> {
    value.serialize(Writer { out })
}

/// Narrow integers, written as their 64-bit widening.
macro_rules! widen {
    ($($method:ident: $ty:ty => $wide:ident),* $(,)?) => {$(
        fn $method(self, v: $ty) -> Result<(), Fault> {
            self.$wide(v.into())
        }
    )*};
}

/// Writes one value.
struct Writer<'a> {
    out: &'a mut Out,
}

impl<'a> Writer<'a> {
    /// Opens an array of `len` elements, when serde says how many.
    fn open_array(self, len: Option<usize>) -> Seq<'a> {
        self.out.bytes.push(b'[');
        Seq {
            out: self.out,
            first: true,
            len,
        }
    }

    fn open_object(self) -> Object<'a> {
        self.out.bytes.push(b'{');
        Object {
            out: self.out,
            first: true,
            previous_field: None,
            previous_key: None,
        }
    }

    /// `{"variant":` before an enum variant's content; the caller writes the content and `}`.
    fn open_variant(&mut self, variant: &str) {
        self.out.bytes.push(b'{');
        write_string(variant, &mut self.out.bytes);
        self.out.bytes.push(b':');
    }
}

impl<'a> ser::Serializer for Writer<'a> {
    type Ok = ();
    type Error = Fault;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Seq<'a>;
    type SerializeMap = Object<'a>;
    type SerializeStruct = Object<'a>;
    type SerializeStructVariant = Object<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Fault> {
        self.out
            .bytes
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }

    widen!(
        serialize_i8: i8 => serialize_i64,
        serialize_i16: i16 => serialize_i64,
        serialize_i32: i32 => serialize_i64,
        serialize_u8: u8 => serialize_u64,
        serialize_u16: u16 => serialize_u64,
        serialize_u32: u32 => serialize_u64,
    );

    fn serialize_i64(self, v: i64) -> Result<(), Fault> {
        write_i64(v, &mut self.out.bytes);
        Ok(())
    }

    fn serialize_i128(self, v: i128) -> Result<(), Fault> {
        match (i64::try_from(v), u64::try_from(v)) {
            (Ok(small), _) => write_i64(small, &mut self.out.bytes),
            (_, Ok(large)) => write_u64(large, &mut self.out.bytes),
            _ => return Err(out_of_range()),
        }
        Ok(())
    }

    fn serialize_u64(self, v: u64) -> Result<(), Fault> {
        write_u64(v, &mut self.out.bytes);
        Ok(())
    }

    fn serialize_u128(self, v: u128) -> Result<(), Fault> {
        let fits = u64::try_from(v).map_err(|_| out_of_range())?;
        self.serialize_u64(fits)
    }

    fn serialize_f32(self, v: f32) -> Result<(), Fault> {
        self.serialize_f64(f64::from(v))
    }

    fn serialize_f64(self, v: f64) -> Result<(), Fault> {
        let text = format_float(v).map_err(Fault)?;
        self.out.bytes.extend_from_slice(text.as_bytes());
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<(), Fault> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<(), Fault> {
        write_string(v, &mut self.out.bytes);
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Fault> {
        // As serde_json: an array of numbers.
        let mut seq = self.open_array(Some(v.len()));
        for byte in v {
            ser::SerializeSeq::serialize_element(&mut seq, byte)?;
        }
        ser::SerializeSeq::end(seq)
    }

    fn serialize_none(self) -> Result<(), Fault> {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Fault> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Fault> {
        self.out.bytes.extend_from_slice(b"null");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Fault> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Fault> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Fault> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Fault> {
        self.open_variant(variant);
        value.serialize(Writer { out: self.out })?;
        self.out.bytes.push(b'}');
        Ok(())
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'a>, Fault> {
        Ok(self.open_array(len))
    }

    fn serialize_tuple(self, len: usize) -> Result<Seq<'a>, Fault> {
        Ok(self.open_array(Some(len)))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Seq<'a>, Fault> {
        Ok(self.open_array(Some(len)))
    }

    fn serialize_tuple_variant(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Seq<'a>, Fault> {
        self.open_variant(variant);
        Ok(self.open_array(Some(len)))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Object<'a>, Fault> {
        Ok(self.open_object())
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Object<'a>, Fault> {
        Ok(self.open_object())
    }

    fn serialize_struct_variant(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Object<'a>, Fault> {
        self.open_variant(variant);
        Ok(self.open_object())
    }
}

/// An array being written.
struct Seq<'a> {
    out: &'a mut Out,
    first: bool,
    /// How many elements the array has, when serde said.
    len: Option<usize>,
}

/// The most an array reserves ahead for its elements: a first element much larger than the
/// rest must not claim memory for the whole list at its size.
const RESERVE_AHEAD_LIMIT: usize = 4 << 20;

impl Seq<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Fault> {
        if !self.first {
            self.out.bytes.push(b',');
            return value.serialize(Writer { out: self.out });
        }
        self.first = false;
        let start = self.out.bytes.len();
        value.serialize(Writer { out: self.out })?;
        if let Some(rest) = self.len.and_then(|len| len.checked_sub(1)) {
            reserve_for_rest(&mut self.out.bytes, start, rest);
        }
        Ok(())
    }
}

/// Reserves room for `rest` more array elements at the size of the one written from `start`,
/// their commas and the closing bracket, at once: a long list (a query's hundred assets)
/// otherwise doubles its buffer through every size, copying it each time, and glibc serves the
/// larger sizes from its slow path.
pub(super) fn reserve_for_rest(bytes: &mut Vec<u8>, start: usize, rest: usize) {
    let each = bytes.len() - start + 1;
    let ahead = each.saturating_mul(rest).min(RESERVE_AHEAD_LIMIT);
    bytes.reserve(ahead + 1);
}

/// serde's array-like traits; a variant's tuple closes the `{"variant":` object around it too.
macro_rules! array_like {
    ($($trait:ident :: $method:ident => $closing:literal),* $(,)?) => {$(
        impl ser::$trait for Seq<'_> {
            type Ok = ();
            type Error = Fault;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Fault> {
                self.element(value)
            }

            fn end(self) -> Result<(), Fault> {
                self.out.bytes.extend_from_slice($closing);
                Ok(())
            }
        }
    )*};
}

array_like!(
    SerializeSeq::serialize_element => b"]",
    SerializeTuple::serialize_element => b"]",
    SerializeTupleStruct::serialize_field => b"]",
    SerializeTupleVariant::serialize_field => b"]}",
);

/// Whether `name` sorts strictly after `previous`, by bytes. Decided by the first bytes when they
/// differ, as they do for most neighbouring field names, without a call to `memcmp`.
fn sorts_after(name: &str, previous: &str) -> bool {
    match (name.as_bytes().first(), previous.as_bytes().first()) {
        (Some(n), Some(p)) if n != p => n > p,
        _ => name.as_bytes() > previous.as_bytes(),
    }
}

/// An object being written, with what its keys' order is checked against.
struct Object<'a> {
    out: &'a mut Out,
    first: bool,
    /// A struct's previous field name.
    previous_field: Option<&'static str>,
    /// A map's previous key: where its text (inside the quotes) lies in `out.bytes`.
    previous_key: Option<(usize, usize)>,
}

impl Object<'_> {
    fn comma(&mut self) {
        if !self.first {
            self.out.bytes.push(b',');
        }
        self.first = false;
    }

    fn field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), Fault> {
        // Map keys before a field come from serde's `flatten`: the sorting path orders them.
        if self.previous_key.is_some()
            || self
                .previous_field
                .is_some_and(|previous| !sorts_after(name, previous))
        {
            self.out.unsorted = true;
        }
        self.comma();
        self.previous_field = Some(name);
        write_string(name, &mut self.out.bytes);
        self.out.bytes.push(b':');
        value.serialize(Writer { out: self.out })
    }
}

impl ser::SerializeMap for Object<'_> {
    type Ok = ();
    type Error = Fault;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Fault> {
        self.comma();
        let start = self.out.bytes.len() + 1;
        let plain = key.serialize(KeyWriter { out: self.out })?;
        let this = (start, self.out.bytes.len() - 1);
        let ascending = self
            .previous_key
            .is_none_or(|(from, to)| self.out.bytes[from..to] < self.out.bytes[this.0..this.1]);
        if !plain || !ascending || self.previous_field.is_some() {
            self.out.unsorted = true;
        }
        self.previous_key = Some(this);
        self.out.bytes.push(b':');
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Fault> {
        value.serialize(Writer { out: self.out })
    }

    fn end(self) -> Result<(), Fault> {
        self.out.bytes.push(b'}');
        Ok(())
    }
}

/// serde's struct-like traits; a variant's struct closes the `{"variant":` object around it too.
macro_rules! struct_like {
    ($($trait:ident => $closing:literal),* $(,)?) => {$(
        impl ser::$trait for Object<'_> {
            type Ok = ();
            type Error = Fault;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                name: &'static str,
                value: &T,
            ) -> Result<(), Fault> {
                self.field(name, value)
            }

            fn end(self) -> Result<(), Fault> {
                self.out.bytes.extend_from_slice($closing);
                Ok(())
            }
        }
    )*};
}

struct_like!(SerializeStruct => b"}", SerializeStructVariant => b"}}");

/// Writes a map key as a quoted string; `Ok(true)` when the written bytes order like the key.
///
/// An escaped string does not, and keys of other kinds (numbers, bools) are written only so the
/// write can go on: the output is then unsorted and the sorting path turns them into text as
/// serde_json does. Keys that cannot be text at all are refused, as serde_json refuses them.
struct KeyWriter<'a> {
    out: &'a mut Out,
}

impl KeyWriter<'_> {
    fn not_plain(self) -> Result<bool, Fault> {
        self.out.bytes.extend_from_slice(b"\"\"");
        Ok(false)
    }
}

/// Scalar keys serde_json turns into text: written as a placeholder, left to the sorting path.
macro_rules! not_plain {
    ($($method:ident: $ty:ty),* $(,)?) => {$(
        fn $method(self, _: $ty) -> Result<bool, Fault> {
            self.not_plain()
        }
    )*};
}

fn key_must_be_text() -> Fault {
    ser::Error::custom("a map key must be a string, number, bool or char")
}

impl ser::Serializer for KeyWriter<'_> {
    type Ok = bool;
    type Error = Fault;
    type SerializeSeq = ser::Impossible<bool, Fault>;
    type SerializeTuple = ser::Impossible<bool, Fault>;
    type SerializeTupleStruct = ser::Impossible<bool, Fault>;
    type SerializeTupleVariant = ser::Impossible<bool, Fault>;
    type SerializeMap = ser::Impossible<bool, Fault>;
    type SerializeStruct = ser::Impossible<bool, Fault>;
    type SerializeStructVariant = ser::Impossible<bool, Fault>;

    fn serialize_str(self, v: &str) -> Result<bool, Fault> {
        Ok(!write_string(v, &mut self.out.bytes))
    }

    fn serialize_char(self, v: char) -> Result<bool, Fault> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<bool, Fault> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<bool, Fault> {
        value.serialize(self)
    }

    not_plain!(
        serialize_bool: bool,
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_i128: i128,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64,
        serialize_u128: u128,
        serialize_f32: f32,
        serialize_f64: f64,
    );

    fn serialize_bytes(self, _: &[u8]) -> Result<bool, Fault> {
        Err(key_must_be_text())
    }
    fn serialize_none(self) -> Result<bool, Fault> {
        Err(key_must_be_text())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<bool, Fault> {
        Err(key_must_be_text())
    }
    fn serialize_unit(self) -> Result<bool, Fault> {
        Err(key_must_be_text())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<bool, Fault> {
        Err(key_must_be_text())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<bool, Fault> {
        Err(key_must_be_text())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Fault> {
        Err(key_must_be_text())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Fault> {
        Err(key_must_be_text())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Fault> {
        Err(key_must_be_text())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Fault> {
        Err(key_must_be_text())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Fault> {
        Err(key_must_be_text())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Fault> {
        Err(key_must_be_text())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Fault> {
        Err(key_must_be_text())
    }
}

#[cfg(test)]
mod tests {
    use super::sorts_after;

    proptest::proptest! {
        #[test]
        fn field_order_is_byte_order(name in "[A-Za-z_]{0,6}", previous in "[A-Za-z_]{0,6}") {
            proptest::prop_assert_eq!(
                sorts_after(&name, &previous),
                name.as_bytes() > previous.as_bytes()
            );
        }
    }
}
