//! `PrivateMap<K, V>`: a typed map over one private data collection, and transient-data helpers.

use super::Types;
use std::borrow::Cow;
use std::marker::PhantomData;
use std::ops::RangeBounds;

use serde::de::DeserializeOwned;

use super::StateError;
use super::access::{ReadCtx, WriteCtx};
use super::codec::{Codec, Json};
use super::iter::{Entries, StateStream};
use super::space::{KeyParts, KeySpace, MapKey};
use super::store::Store;

/// A typed map over a private data collection.
///
/// Private values travel in the transient map and are stored only on peers of the
/// collection's member orgs; the channel records their SHA-256 ([`PrivateMap::hash`]). Fabric
/// offers no pagination and no history for private data.
///
/// ```
/// use fabric_contract::SubmitCtx;
/// use fabric_contract::state::{PrivateMap, StateError, transient_json};
///
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Price { amount: u64 }
///
/// const PRICES: PrivateMap<String, Price> = PrivateMap::new("assetCollection");
///
/// async fn set_price(ctx: &SubmitCtx, id: String) -> Result<(), StateError> {
///     let price: Price = transient_json(ctx, "price")?; // kept out of the proposal's args
///     PRICES.save(ctx, &id, &price).await
/// }
/// ```
pub struct PrivateMap<K, V, C = Json> {
    collection: Cow<'static, str>,
    space: KeySpace,
    _types: Types<K, V, C>,
}

impl<K, V, C> Clone for PrivateMap<K, V, C> {
    fn clone(&self) -> Self {
        Self {
            collection: self.collection.clone(),
            space: self.space,
            _types: PhantomData,
        }
    }
}

impl<K, V, C> std::fmt::Debug for PrivateMap<K, V, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrivateMap")
            .field("collection", &self.collection)
            .field("space", &self.space)
            .finish()
    }
}

/// The name Fabric gives an org's implicit collection.
///
/// ```
/// assert_eq!(fabric_contract::state::implicit_collection("Org1MSP"), "_implicit_org_Org1MSP");
/// ```
pub fn implicit_collection(msp_id: &str) -> String {
    format!("_implicit_org_{msp_id}")
}

impl<K, V, C> PrivateMap<K, V, C> {
    /// Simple keys in the collection `collection`.
    pub const fn new(collection: &'static str) -> Self {
        Self {
            collection: Cow::Borrowed(collection),
            space: KeySpace::Simple,
            _types: PhantomData,
        }
    }

    /// Composite keys under the object type `namespace` in the collection `collection`.
    pub const fn composite(collection: &'static str, namespace: &'static str) -> Self {
        Self {
            collection: Cow::Borrowed(collection),
            space: KeySpace::Composite(namespace),
            _types: PhantomData,
        }
    }

    /// Simple keys in the implicit collection of the org `msp_id` (`_implicit_org_<msp_id>`).
    pub fn implicit(msp_id: &str) -> Self {
        Self {
            collection: Cow::Owned(implicit_collection(msp_id)),
            space: KeySpace::Simple,
            _types: PhantomData,
        }
    }

    /// Simple keys in a collection whose name is only known at run time (e.g. per organisation:
    /// `format!("{msp}PrivateCollection")`).
    ///
    /// ```
    /// use fabric_contract::state::PrivateMap;
    /// let details = PrivateMap::<String, u64>::in_collection(format!("{}PrivateCollection", "Org1MSP"));
    /// assert_eq!(details.collection(), "Org1MSPPrivateCollection");
    /// ```
    pub fn in_collection(collection: impl Into<String>) -> Self {
        Self {
            collection: Cow::Owned(collection.into()),
            space: KeySpace::Simple,
            _types: PhantomData,
        }
    }

    /// The collection name.
    pub fn collection(&self) -> &str {
        &self.collection
    }
}

impl<K, V, C> PrivateMap<K, V, C>
where
    K: MapKey,
    V: Send + 'static,
    C: Codec<V>,
{
    /// The key under which `key` is stored in the collection.
    pub fn ledger_key(&self, key: &K) -> Result<String, StateError> {
        self.space.key(key)
    }

    /// [`PrivateMap::ledger_key`], borrowed from `key` where it can be.
    fn key_of<'k>(&self, key: &'k K) -> Result<Cow<'k, str>, StateError> {
        self.space.key_ref(key)
    }

    /// The value under `key`; [`StateError::NotFound`] when absent.
    pub async fn load(&self, ctx: &impl ReadCtx, key: &K) -> Result<V, StateError> {
        self.store().load::<V, C>(ctx, &self.key_of(key)?).await
    }

    /// The value under `key`, `None` when absent.
    pub async fn may_load(&self, ctx: &impl ReadCtx, key: &K) -> Result<Option<V>, StateError> {
        self.store().may_load::<V, C>(ctx, &self.key_of(key)?).await
    }

    /// The values of several keys, in the order asked, `None` for absent ones: one
    /// GET_STATE_MULTIPLE on a peer that offers it (Fabric 3.1+), one read per key otherwise.
    pub async fn load_many(
        &self,
        ctx: &impl ReadCtx,
        keys: &[K],
    ) -> Result<Vec<Option<V>>, StateError> {
        self.store()
            .load_many::<V, C>(ctx, &self.space.keys_ref(keys)?)
            .await
    }

    /// Whether a value is stored under `key` (judged by its hash, so it works on peers outside
    /// the collection too).
    pub async fn has(&self, ctx: &impl ReadCtx, key: &K) -> Result<bool, StateError> {
        Ok(self.hash(ctx, key).await?.is_some())
    }

    /// The SHA-256 of the stored value as recorded on the channel, `None` when absent.
    pub async fn hash(&self, ctx: &impl ReadCtx, key: &K) -> Result<Option<Vec<u8>>, StateError> {
        let raw = self.ledger_key(key)?;
        // Private data only: the channel records hashes of private values, not of public ones.
        Ok(ctx.get_private_data_hash(&self.collection, &raw).await?)
    }

    /// Stores `value` under `key`.
    pub async fn save(&self, ctx: &impl WriteCtx, key: &K, value: &V) -> Result<(), StateError> {
        self.store()
            .save::<V, C>(ctx, &self.key_of(key)?, value)
            .await
    }

    /// Deletes `key`.
    pub async fn remove(&self, ctx: &impl WriteCtx, key: &K) -> Result<(), StateError> {
        self.store().remove(ctx, &self.key_of(key)?).await
    }

    /// Deletes `key` and purges its private history from every peer.
    pub async fn purge(&self, ctx: &impl WriteCtx, key: &K) -> Result<(), StateError> {
        let raw = self.ledger_key(key)?;
        // Private data only: Fabric purges nothing else.
        Ok(ctx.purge_private_data(&self.collection, &raw).await?)
    }

    /// Sets the key-level endorsement policy of `key` (serialized `SignaturePolicyEnvelope`).
    pub async fn set_key_policy(
        &self,
        ctx: &impl WriteCtx,
        key: &K,
        policy: &[u8],
    ) -> Result<(), StateError> {
        self.store()
            .set_key_policy(ctx, &self.key_of(key)?, policy)
            .await
    }

    /// The key-level endorsement policy of `key`, `None` when it has none.
    ///
    /// ```no_run
    /// # use fabric_contract::{EvaluateCtx, state::{PrivateMap, StateError}};
    /// const PRICES: PrivateMap<String, u64> = PrivateMap::new("assetCollection");
    /// # async fn demo(ctx: &EvaluateCtx) -> Result<(), StateError> {
    /// let policy = PRICES.key_policy(ctx, &"a1".to_string()).await?;
    /// # Ok(()) }
    /// ```
    pub async fn key_policy(
        &self,
        ctx: &impl ReadCtx,
        key: &K,
    ) -> Result<Option<Vec<u8>>, StateError> {
        self.store().key_policy(ctx, &self.key_of(key)?).await
    }

    /// The entries whose keys lie in `bounds`, in key order.
    pub async fn range(
        &self,
        ctx: &impl ReadCtx,
        bounds: impl RangeBounds<K>,
    ) -> Result<StateStream<(K, V)>, StateError> {
        self.store()
            .range(ctx, self.space.range(&bounds)?, self.entries())
            .await
    }

    /// The entries whose keys start with `prefix`.
    pub async fn prefix<P: KeyParts + ?Sized>(
        &self,
        ctx: &impl ReadCtx,
        prefix: &P,
    ) -> Result<StateStream<(K, V)>, StateError> {
        self.store()
            .range(ctx, self.space.prefix(prefix)?, self.entries())
            .await
    }

    /// A rich query over the collection; results outside this map's keys are skipped.
    pub async fn query(
        &self,
        ctx: &impl ReadCtx,
        selector: &str,
    ) -> Result<StateStream<(K, V)>, StateError> {
        self.store().query(ctx, selector, self.entries()).await
    }

    /// The same storage operations as a [`Map`](super::Map), over this collection.
    fn store(&self) -> Store<'_> {
        Store::private(&self.collection)
    }

    fn entries(&self) -> Entries<K, V, C> {
        Entries(self.space, PhantomData)
    }
}

/// The transient map entry `name`; an error naming it when absent.
pub fn transient_bytes<'a>(ctx: &'a impl ReadCtx, name: &str) -> Result<&'a [u8], StateError> {
    ctx.transient()
        .get(name)
        .map(Vec::as_slice)
        .ok_or_else(|| StateError::Transient {
            name: name.to_owned(),
            reason: "missing from the transient map; the client must send it there".into(),
        })
}

/// The transient map entry `name` decoded from JSON.
pub fn transient_json<T: DeserializeOwned>(
    ctx: &impl ReadCtx,
    name: &str,
) -> Result<T, StateError> {
    let bytes = transient_bytes(ctx, name)?;
    serde_json::from_slice(bytes).map_err(|e| StateError::Transient {
        name: name.to_owned(),
        reason: format!("not a valid {}: {e}", std::any::type_name::<T>()),
    })
}
