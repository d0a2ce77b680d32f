//! `Stored<V>`: a value read to be returned, kept as its stored JSON when that is already what
//! the response would carry.

use std::borrow::Cow;

use prost::bytes::Bytes;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::DeserializeOwned;
use serde::{Serialize, Serializer};

use super::codec::{Codec, Json};
use crate::json::{CanonicalJson, from_slice_strict};

/// A stored `#[object]` value on its way to a transaction's result.
///
/// Read through [`Map::stored`](super::Map::stored), a value whose stored bytes are already
/// canonical JSON of `V` (the exact bytes decoding and re-encoding it would give, which is what
/// this crate and Go's `encoding/json` write) is checked in one pass and kept as those bytes (a
/// slice of the peer's reply, not a copy); returning it copies them to the response. Any other
/// value is decoded as [`Map::load`] decodes it, with the same errors, and encoded as `V` is.
/// Either way the response bytes and the metadata are those of returning `V`; only the work
/// differs. For a list of a hundred assets that work is most of the transaction.
///
/// [`Map::load`]: super::Map::load
///
/// ```
/// use fabric_contract::prelude::*;
///
/// #[object]
/// pub struct Asset { id: String, size: u32 }
///
/// const ASSETS: Map<String, Asset> = Map::simple();
///
/// /// Returns the same bytes as `Result<Vec<Asset>, StateError>` would, without building assets.
/// async fn all_assets(ctx: &EvaluateCtx) -> Result<Vec<Stored<Asset>>, StateError> {
///     use futures_util::TryStreamExt;
///     let entries = ASSETS.stored().range(ctx, ..).await?;
///     entries.map_ok(|(_id, asset)| asset).try_collect().await
/// }
/// ```
pub struct Stored<V>(Form<V>);

/// What a [`Stored`] holds; results encoding (`contract::ret`) writes each form.
pub(crate) enum Form<V> {
    /// Canonical JSON of a `V`, as stored: a slice of the peer's reply, not a copy.
    Json(Bytes),
    /// A value that was not stored canonically, or was made here.
    Value(V),
}

impl<V: DeserializeOwned> Stored<V> {
    /// The value itself (decoded now if it was kept as JSON).
    pub fn into_value(self) -> Result<V, serde_json::Error> {
        match self.0 {
            Form::Json(bytes) => from_slice_strict(&bytes),
            Form::Value(value) => Ok(value),
        }
    }
}

impl<V> Stored<V> {
    /// The stored JSON, when it is passed through as it is.
    pub fn json(&self) -> Option<&[u8]> {
        match &self.0 {
            Form::Json(bytes) => Some(bytes),
            Form::Value(_) => None,
        }
    }

    pub(crate) fn into_form(self) -> Form<V> {
        self.0
    }
}

impl<V> From<V> for Stored<V> {
    fn from(value: V) -> Self {
        Stored(Form::Value(value))
    }
}

impl<V: std::fmt::Debug> std::fmt::Debug for Stored<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Form::Json(bytes) => f
                .debug_tuple("Stored")
                .field(&String::from_utf8_lossy(bytes))
                .finish(),
            Form::Value(value) => f.debug_tuple("Stored").field(value).finish(),
        }
    }
}

/// Stored values are recognised, or decoded as `V` with `V`'s errors.
impl<V: Serialize + DeserializeOwned + CanonicalJson> Codec<Stored<V>> for Json {
    fn encode(value: &Stored<V>) -> Result<Vec<u8>, String> {
        match &value.0 {
            Form::Json(bytes) => Ok(bytes.to_vec()),
            Form::Value(value) => <Json as Codec<V>>::encode(value),
        }
    }

    fn decode(bytes: &[u8]) -> Result<Stored<V>, String> {
        read(bytes, || Bytes::copy_from_slice(bytes))
    }

    fn decode_within(shared: &Bytes, bytes: &[u8]) -> Result<Stored<V>, String> {
        read(bytes, || shared.slice_ref(bytes))
    }
}

/// `bytes` kept (as `keep` gives them) when they are `V`'s canonical JSON, decoded otherwise.
fn read<V: Serialize + DeserializeOwned + CanonicalJson>(
    bytes: &[u8],
    keep: impl FnOnce() -> Bytes,
) -> Result<Stored<V>, String> {
    if V::canonical_len(bytes) == Some(bytes.len()) {
        Ok(Stored(Form::Json(keep())))
    } else {
        <Json as Codec<V>>::decode(bytes).map(Stored::from)
    }
}

/// Serialises as `V` (decoding kept JSON first), for events and nested values.
impl<V: Serialize + DeserializeOwned> Serialize for Stored<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Form::Json(bytes) => from_slice_strict::<V>(bytes)
                .map_err(serde::ser::Error::custom)?
                .serialize(serializer),
            Form::Value(value) => value.serialize(serializer),
        }
    }
}

/// `V`'s schema: the metadata says `V` wherever a `Stored<V>` is returned.
impl<V: JsonSchema> JsonSchema for Stored<V> {
    fn schema_name() -> Cow<'static, str> {
        V::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        V::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        V::json_schema(generator)
    }

    fn inline_schema() -> bool {
        V::inline_schema()
    }
}
