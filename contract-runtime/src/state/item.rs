//! `Item<V>`: one typed value under one fixed key.

use std::marker::PhantomData;

use super::StateError;
use super::access::{ReadCtx, WriteCtx};
use super::codec::{Codec, Json, decode_value, encode_value};

/// A single value under a fixed simple key, e.g. a configuration record or a counter.
///
/// ```
/// use fabric_contract::SubmitCtx;
/// use fabric_contract::state::{Item, StateError};
///
/// const TOTAL_SUPPLY: Item<u64> = Item::new("totalSupply");
///
/// async fn mint(ctx: &SubmitCtx, amount: u64) -> Result<u64, StateError> {
///     TOTAL_SUPPLY
///         .update(ctx, |old| Ok::<_, StateError>(old.unwrap_or(0) + amount))
///         .await
/// }
/// ```
pub struct Item<V, C = Json> {
    key: &'static str,
    _types: PhantomData<fn() -> (V, C)>,
}

impl<V, C> Clone for Item<V, C> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<V, C> Copy for Item<V, C> {}

impl<V, C> std::fmt::Debug for Item<V, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Item").field("key", &self.key).finish()
    }
}

impl<V, C> Item<V, C> {
    /// The item stored under `key`.
    pub const fn new(key: &'static str) -> Self {
        Self {
            key,
            _types: PhantomData,
        }
    }

    /// The ledger key.
    pub const fn key(&self) -> &'static str {
        self.key
    }
}

impl<V, C: Codec<V>> Item<V, C> {
    /// The value; [`StateError::NotFound`] when it was never saved.
    pub async fn load(&self, ctx: &impl ReadCtx) -> Result<V, StateError> {
        self.may_load(ctx)
            .await?
            .ok_or_else(|| StateError::NotFound {
                key: self.key.to_owned(),
            })
    }

    /// The value, `None` when absent.
    pub async fn may_load(&self, ctx: &impl ReadCtx) -> Result<Option<V>, StateError> {
        match ctx.get_state(self.key).await? {
            Some(bytes) => decode_value::<V, C>(self.key, &bytes).map(Some),
            None => Ok(None),
        }
    }

    /// Stores `value`.
    pub async fn save(&self, ctx: &impl WriteCtx, value: &V) -> Result<(), StateError> {
        let bytes = encode_value::<V, C>(self.key, value)?;
        Ok(ctx.put_state(self.key, &bytes).await?)
    }

    /// Deletes the value.
    pub async fn remove(&self, ctx: &impl WriteCtx) -> Result<(), StateError> {
        Ok(ctx.del_state(self.key).await?)
    }

    /// Stores what `f` makes of the current value and returns it.
    pub async fn update<E, F>(&self, ctx: &impl WriteCtx, f: F) -> Result<V, E>
    where
        F: FnOnce(Option<V>) -> Result<V, E>,
        E: From<StateError>,
    {
        let new = f(self.may_load(ctx).await?)?;
        self.save(ctx, &new).await?;
        Ok(new)
    }
}
