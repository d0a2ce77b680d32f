//! `Index<K>`: a key-only set of composite keys, such as Go samples' `owner~id` index.

use std::marker::PhantomData;

use super::StateError;
use super::access::{ReadCtx, WriteCtx};
use super::iter::{Keys, Page, StateStream};
use super::space::{KeyParts, KeySpace, MapKey};
use super::store::Store;

/// Every index lives in the world state.
const STORE: Store<'static> = Store::PUBLIC;

/// The value Go samples store under an index entry: one U+0000 byte (an empty value would
/// delete the key).
const MARKER: &[u8] = &[0];

/// A set of composite keys `\0name\0part…\0` whose values carry nothing.
///
/// ```
/// use fabric_contract::SubmitCtx;
/// use fabric_contract::state::{Index, StateError};
/// use futures_util::StreamExt;
///
/// const BY_OWNER: Index<(String, String)> = Index::new("owner~id");
///
/// async fn assets_of(ctx: &SubmitCtx, owner: &str) -> Result<Vec<String>, StateError> {
///     let mut ids = Vec::new();
///     let mut entries = BY_OWNER.prefix(ctx, owner).await?;
///     while let Some(entry) = entries.next().await {
///         ids.push(entry?.1);
///     }
///     Ok(ids)
/// }
/// ```
pub struct Index<K> {
    space: KeySpace,
    _key: PhantomData<fn() -> K>,
}

impl<K> Clone for Index<K> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<K> Copy for Index<K> {}

impl<K> std::fmt::Debug for Index<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index").field("space", &self.space).finish()
    }
}

impl<K> Index<K> {
    /// The index whose composite keys have the object type `name`.
    pub const fn new(name: &'static str) -> Self {
        Self {
            space: KeySpace::Composite(name),
            _key: PhantomData,
        }
    }
}

impl<K: MapKey> Index<K> {
    /// Adds `entry`.
    pub async fn insert(&self, ctx: &impl WriteCtx, entry: &K) -> Result<(), StateError> {
        STORE.put(ctx, &self.space.key(entry)?, MARKER).await
    }

    /// Removes `entry`.
    pub async fn remove(&self, ctx: &impl WriteCtx, entry: &K) -> Result<(), StateError> {
        STORE.remove(ctx, &self.space.key(entry)?).await
    }

    /// Whether `entry` is present.
    pub async fn contains(&self, ctx: &impl ReadCtx, entry: &K) -> Result<bool, StateError> {
        Ok(STORE.get(ctx, &self.space.key(entry)?).await?.is_some())
    }

    /// The entries starting with `prefix`, in key order.
    pub async fn prefix<P: KeyParts + ?Sized>(
        &self,
        ctx: &impl ReadCtx,
        prefix: &P,
    ) -> Result<StateStream<K>, StateError> {
        STORE
            .range(ctx, self.space.prefix(prefix)?, self.keys())
            .await
    }

    /// Every entry, in key order.
    pub async fn all(&self, ctx: &impl ReadCtx) -> Result<StateStream<K>, StateError> {
        STORE
            .range(ctx, self.space.range::<K>(&(..))?, self.keys())
            .await
    }

    /// One page of [`Index::prefix`].
    pub async fn prefix_page<P: KeyParts + ?Sized>(
        &self,
        ctx: &impl ReadCtx,
        prefix: &P,
        page_size: i32,
        bookmark: &str,
    ) -> Result<Page<K>, StateError> {
        let span = self.space.prefix(prefix)?;
        STORE
            .range_page(ctx, span, page_size, bookmark, self.keys())
            .await
    }

    fn keys(&self) -> Keys<K> {
        Keys(self.space, PhantomData)
    }
}
