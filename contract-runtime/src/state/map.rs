//! `Map<K, V>`: a typed key → value collection in the world state.

use super::Types;
use std::borrow::Cow;
use std::marker::PhantomData;
use std::ops::RangeBounds;

use super::StateError;
use super::access::{ReadCtx, WriteCtx};
use super::codec::{Codec, Json};
use super::iter::{self, Entries, HistoryEntry, Page, StateStream};
use super::space::{KeyParts, KeySpace, MapKey};
use super::store::Store;
use super::stored::Stored;

/// Every map lives in the world state.
const STORE: Store<'static> = Store::PUBLIC;

/// A typed collection of world-state entries, declared once as a `const`.
///
/// `Map::simple()` stores plain string keys, exactly where Go samples store them (drop-in
/// compatible data). `Map::new("asset")` stores composite keys `\0asset\0part…\0`, byte-identical
/// to Go's `CreateCompositeKey("asset", parts)`. Values are canonical JSON unless another
/// [`Codec`] is chosen.
///
/// Reads take any context ([`ReadCtx`]); writes need a [`WriteCtx`], so an evaluate
/// transaction cannot write. Like every Fabric read, a read does not see this transaction's own
/// writes.
///
/// ```
/// use fabric_contract::SubmitCtx;
/// use fabric_contract::state::{Map, StateError};
///
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Asset { owner: String, size: u32 }
///
/// const ASSETS: Map<String, Asset> = Map::simple();
///
/// async fn transfer(ctx: &SubmitCtx, id: String, to: String) -> Result<(), StateError> {
///     let mut asset = ASSETS.load(ctx, &id).await?; // error naming the key when absent
///     asset.owner = to;
///     ASSETS.save(ctx, &id, &asset).await
/// }
/// ```
pub struct Map<K, V, C = Json> {
    space: KeySpace,
    _types: Types<K, V, C>,
}

impl<K, V, C> Clone for Map<K, V, C> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<K, V, C> Copy for Map<K, V, C> {}

impl<K, V, C> std::fmt::Debug for Map<K, V, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Map").field("space", &self.space).finish()
    }
}

impl<K, V, C> Map<K, V, C> {
    /// Plain string keys (the key must be a single non-empty string not starting with U+0000).
    pub const fn simple() -> Self {
        Self {
            space: KeySpace::Simple,
            _types: PhantomData,
        }
    }

    /// Composite keys under the object type `namespace`.
    pub const fn new(namespace: &'static str) -> Self {
        Self {
            space: KeySpace::Composite(namespace),
            _types: PhantomData,
        }
    }
}

impl<K, V> Map<K, V, Json> {
    /// The same entries, read as [`Stored`] values: for transactions that return what they
    /// read, so values stored as canonical JSON go to the response without being decoded.
    ///
    /// ```
    /// use fabric_contract::prelude::*;
    ///
    /// #[object]
    /// pub struct Asset { id: String, size: u32 }
    ///
    /// const ASSETS: Map<String, Asset> = Map::simple();
    ///
    /// async fn read_asset(ctx: &EvaluateCtx, id: String) -> Result<Stored<Asset>, StateError> {
    ///     ASSETS.stored().load(ctx, &id).await
    /// }
    /// ```
    pub const fn stored(&self) -> Map<K, Stored<V>, Json> {
        Map {
            space: self.space,
            _types: PhantomData,
        }
    }
}

impl<K, V, C> Map<K, V, C>
where
    K: MapKey,
    V: Send + 'static,
    C: Codec<V>,
{
    /// The ledger key under which `key` is stored.
    ///
    /// ```
    /// use fabric_contract::state::Map;
    /// const BY_OWNER: Map<(String, String), u32> = Map::new("owner~id");
    /// let key = BY_OWNER.ledger_key(&("alice".into(), "a1".into())).unwrap();
    /// assert_eq!(key, "\0owner~id\0alice\0a1\0");
    /// ```
    pub fn ledger_key(&self, key: &K) -> Result<String, StateError> {
        self.space.key(key)
    }

    /// [`Map::ledger_key`], borrowed from `key` where it can be.
    fn key_of<'k>(&self, key: &'k K) -> Result<Cow<'k, str>, StateError> {
        self.space.key_ref(key)
    }

    /// The value under `key`; [`StateError::NotFound`] naming the key when absent.
    pub async fn load(&self, ctx: &impl ReadCtx, key: &K) -> Result<V, StateError> {
        STORE.load::<V, C>(ctx, &self.key_of(key)?).await
    }

    /// The value under `key`, `None` when absent.
    pub async fn may_load(&self, ctx: &impl ReadCtx, key: &K) -> Result<Option<V>, StateError> {
        STORE.may_load::<V, C>(ctx, &self.key_of(key)?).await
    }

    /// Whether a value is stored under `key`.
    pub async fn has(&self, ctx: &impl ReadCtx, key: &K) -> Result<bool, StateError> {
        Ok(STORE.get(ctx, &self.key_of(key)?).await?.is_some())
    }

    /// The values of several keys, in the order asked (one GET_STATE_MULTIPLE when the peer
    /// supports it).
    pub async fn load_many(
        &self,
        ctx: &impl ReadCtx,
        keys: &[K],
    ) -> Result<Vec<Option<V>>, StateError> {
        STORE
            .load_many::<V, C>(ctx, &self.space.keys_ref(keys)?)
            .await
    }

    /// Stores `value` under `key`.
    pub async fn save(&self, ctx: &impl WriteCtx, key: &K, value: &V) -> Result<(), StateError> {
        STORE.save::<V, C>(ctx, &self.key_of(key)?, value).await
    }

    /// Deletes `key` (deleting an absent key is not an error, as in Fabric).
    pub async fn remove(&self, ctx: &impl WriteCtx, key: &K) -> Result<(), StateError> {
        STORE.remove(ctx, &self.key_of(key)?).await
    }

    /// Loads the value under `key` (if any), stores what `f` makes of it and returns that.
    pub async fn update<E, F>(&self, ctx: &impl WriteCtx, key: &K, f: F) -> Result<V, E>
    where
        F: FnOnce(Option<V>) -> Result<V, E>,
        E: From<StateError>,
    {
        let new = f(self.may_load(ctx, key).await?)?;
        self.save(ctx, key, &new).await?;
        Ok(new)
    }

    /// Sets the key-level endorsement policy of `key` (a serialized `SignaturePolicyEnvelope`,
    /// e.g. [`KeyEndorsementPolicy::to_bytes`](crate::state::policy::KeyEndorsementPolicy::to_bytes)).
    pub async fn set_key_policy(
        &self,
        ctx: &impl WriteCtx,
        key: &K,
        policy: &[u8],
    ) -> Result<(), StateError> {
        STORE.set_key_policy(ctx, &self.key_of(key)?, policy).await
    }

    /// The key-level endorsement policy of `key`, `None` when it has none.
    pub async fn key_policy(
        &self,
        ctx: &impl ReadCtx,
        key: &K,
    ) -> Result<Option<Vec<u8>>, StateError> {
        STORE.key_policy(ctx, &self.key_of(key)?).await
    }

    /// The entries whose keys lie in `bounds`, in ledger key order.
    ///
    /// For composite keys the order is the text order of the encoded parts.
    pub async fn range(
        &self,
        ctx: &impl ReadCtx,
        bounds: impl RangeBounds<K>,
    ) -> Result<StateStream<(K, V)>, StateError> {
        STORE
            .range(ctx, self.space.range(&bounds)?, self.entries())
            .await
    }

    /// The entries whose keys start with `prefix` (the first parts of a composite key, or a
    /// string prefix of a simple key).
    pub async fn prefix<P: KeyParts + ?Sized>(
        &self,
        ctx: &impl ReadCtx,
        prefix: &P,
    ) -> Result<StateStream<(K, V)>, StateError> {
        STORE
            .range(ctx, self.space.prefix(prefix)?, self.entries())
            .await
    }

    /// One page of [`Map::range`]: at most `page_size` entries from `bookmark` (empty: from the
    /// start of `bounds`).
    pub async fn range_page(
        &self,
        ctx: &impl ReadCtx,
        bounds: impl RangeBounds<K>,
        page_size: i32,
        bookmark: &str,
    ) -> Result<Page<(K, V)>, StateError> {
        let span = self.space.range(&bounds)?;
        STORE
            .range_page(ctx, span, page_size, bookmark, self.entries())
            .await
    }

    /// One page of [`Map::prefix`].
    pub async fn prefix_page<P: KeyParts + ?Sized>(
        &self,
        ctx: &impl ReadCtx,
        prefix: &P,
        page_size: i32,
        bookmark: &str,
    ) -> Result<Page<(K, V)>, StateError> {
        let span = self.space.prefix(prefix)?;
        STORE
            .range_page(ctx, span, page_size, bookmark, self.entries())
            .await
    }

    /// A rich (CouchDB Mango) query; results whose keys lie outside this map are skipped.
    pub async fn query(
        &self,
        ctx: &impl ReadCtx,
        selector: &str,
    ) -> Result<StateStream<(K, V)>, StateError> {
        STORE.query(ctx, selector, self.entries()).await
    }

    /// One page of [`Map::query`].
    pub async fn query_page(
        &self,
        ctx: &impl ReadCtx,
        selector: &str,
        page_size: i32,
        bookmark: &str,
    ) -> Result<Page<(K, V)>, StateError> {
        // World state only: Fabric pages no private-data query.
        let (it, meta) = ctx
            .get_query_result_with_pagination(selector, page_size, bookmark)
            .await?;
        iter::page(it, meta, self.entries()).await
    }

    /// Every committed modification of `key`, newest first.
    pub async fn history(
        &self,
        ctx: &impl ReadCtx,
        key: &K,
    ) -> Result<StateStream<HistoryEntry<V>>, StateError> {
        let raw = self.ledger_key(key)?;
        // World state only: Fabric keeps no history readable for private data.
        let it = ctx.get_history_for_key(&raw).await?;
        Ok(iter::history::<V, C>(it, raw))
    }

    fn entries(&self) -> Entries<K, V, C> {
        Entries(self.space, PhantomData)
    }
}
