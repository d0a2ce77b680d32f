//! The store layer: each storage operation written once, over the world state or one private
//! data collection. [`Map`](super::Map), [`Item`](super::Item), [`Index`](super::Index) and
//! [`PrivateMap`](super::PrivateMap) only turn typed keys into ledger keys and pick a store;
//! loading, saving, removing and iterating are the store's.
//!
//! The peer protocol already names the two places the same way (an empty collection is the world
//! state), so a store is just that name: the typed collections differ only in which one they use.

use std::borrow::Cow;

use fabric_contract_proto::protos::QueryMetadata;
use prost::bytes::Bytes;

use super::StateError;
use super::access::{ReadCtx, WriteCtx};
use super::codec::{Codec, decode_value_within, encode_value};
use super::iter::{self, Decoder, Page, StateStream};

/// Where entries live: the world state, or one private data collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Store<'a> {
    /// `""` for the world state, as in the peer protocol's requests.
    collection: &'a str,
}

impl<'a> Store<'a> {
    /// The world state.
    pub(crate) const PUBLIC: Store<'static> = Store { collection: "" };

    /// The private data collection `collection`.
    pub(crate) const fn private(collection: &'a str) -> Self {
        Self { collection }
    }

    fn is_public(&self) -> bool {
        self.collection.is_empty()
    }

    /// Where the peer protocol's requests point: `None` for the world state.
    fn place(&self) -> Option<&'a str> {
        (!self.is_public()).then_some(self.collection)
    }

    /// The stored bytes under `key`, `None` when absent; a slice of the peer's reply.
    pub(crate) async fn get(
        &self,
        ctx: &impl ReadCtx,
        key: &str,
    ) -> Result<Option<Bytes>, StateError> {
        Ok(ctx.core().value(self.place(), key).await?)
    }

    /// The value under `key` decoded with `C`, `None` when absent.
    pub(crate) async fn may_load<V, C: Codec<V>>(
        &self,
        ctx: &impl ReadCtx,
        key: &str,
    ) -> Result<Option<V>, StateError> {
        match self.get(ctx, key).await? {
            Some(bytes) => decode_value_within::<V, C>(key, &bytes, &bytes).map(Some),
            None => Ok(None),
        }
    }

    /// The values of several keys decoded with `C`, in the order asked, `None` for absent ones:
    /// one GET_STATE_MULTIPLE on a peer that offers it (Fabric 3.1+), one read per key otherwise.
    pub(crate) async fn load_many<V, C: Codec<V>>(
        &self,
        ctx: &impl ReadCtx,
        keys: &[Cow<'_, str>],
    ) -> Result<Vec<Option<V>>, StateError> {
        let refs: Vec<&str> = keys.iter().map(|key| key.as_ref()).collect();
        let values = ctx.core().values(self.place(), &refs).await?;
        // Sized up front: collecting into a `Result` starts from an empty vector and regrows.
        let mut found = Vec::with_capacity(keys.len());
        for (key, value) in keys.iter().zip(values) {
            found.push(
                value
                    .map(|b| decode_value_within::<V, C>(key, &b, &b))
                    .transpose()?,
            );
        }
        Ok(found)
    }

    /// The value under `key`; [`StateError::NotFound`] naming the key when absent.
    pub(crate) async fn load<V, C: Codec<V>>(
        &self,
        ctx: &impl ReadCtx,
        key: &str,
    ) -> Result<V, StateError> {
        self.may_load::<V, C>(ctx, key)
            .await?
            .ok_or_else(|| StateError::NotFound {
                key: key.to_owned(),
            })
    }

    /// Stores `bytes` under `key` (empty bytes delete the key, as in Fabric).
    pub(crate) async fn put(
        &self,
        ctx: &impl WriteCtx,
        key: &str,
        bytes: &[u8],
    ) -> Result<(), StateError> {
        Ok(ctx.core().put(self.place(), key, bytes.to_vec()).await?)
    }

    /// Stores `value` encoded with `C` under `key`.
    pub(crate) async fn save<V, C: Codec<V>>(
        &self,
        ctx: &impl WriteCtx,
        key: &str,
        value: &V,
    ) -> Result<(), StateError> {
        let bytes = encode_value::<V, C>(key, value)?;
        Ok(ctx.core().put(self.place(), key, bytes).await?)
    }

    /// Deletes `key` (deleting an absent key is not an error).
    pub(crate) async fn remove(&self, ctx: &impl WriteCtx, key: &str) -> Result<(), StateError> {
        if self.is_public() {
            ctx.del_state(key).await?;
        } else {
            ctx.del_private_data(self.collection, key).await?;
        }
        Ok(())
    }

    /// Sets the key-level endorsement policy of `key`.
    pub(crate) async fn set_key_policy(
        &self,
        ctx: &impl WriteCtx,
        key: &str,
        policy: &[u8],
    ) -> Result<(), StateError> {
        if self.is_public() {
            ctx.set_state_validation_parameter(key, policy).await?;
        } else {
            ctx.set_private_data_validation_parameter(self.collection, key, policy)
                .await?;
        }
        Ok(())
    }

    /// The key-level endorsement policy of `key`, `None` when it has none.
    pub(crate) async fn key_policy(
        &self,
        ctx: &impl ReadCtx,
        key: &str,
    ) -> Result<Option<Vec<u8>>, StateError> {
        Ok(if self.is_public() {
            ctx.get_state_validation_parameter(key).await?
        } else {
            ctx.get_private_data_validation_parameter(self.collection, key)
                .await?
        })
    }

    /// The records with keys in `[start, end)`, decoded by `decoder`, in key order.
    pub(crate) async fn range<D: Decoder>(
        &self,
        ctx: &impl ReadCtx,
        (start, end): (String, String),
        decoder: D,
    ) -> Result<StateStream<D::Item>, StateError> {
        let (it, _) = ctx
            .core()
            .range(self.collection, &start, &end, None)
            .await?;
        Ok(iter::stream(it, decoder))
    }

    /// One page of [`Store::range`]: at most `page_size` records from `bookmark` (empty: from
    /// `start`).
    pub(crate) async fn range_page<D: Decoder>(
        &self,
        ctx: &impl ReadCtx,
        (start, end): (String, String),
        page_size: i32,
        bookmark: &str,
        decoder: D,
    ) -> Result<Page<D::Item>, StateError> {
        let meta = QueryMetadata {
            page_size,
            bookmark: bookmark.into(),
        };
        let (it, meta) = ctx
            .core()
            .range(self.collection, &start, &end, Some(meta))
            .await?;
        iter::page(it, meta.unwrap_or_default(), decoder).await
    }

    /// A rich (CouchDB Mango) query; records the decoder skips are left out.
    pub(crate) async fn query<D: Decoder>(
        &self,
        ctx: &impl ReadCtx,
        selector: &str,
        decoder: D,
    ) -> Result<StateStream<D::Item>, StateError> {
        let it = if self.is_public() {
            ctx.get_query_result(selector).await?
        } else {
            ctx.get_private_data_query_result(self.collection, selector)
                .await?
        };
        Ok(iter::stream(it, decoder))
    }
}
