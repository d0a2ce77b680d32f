//! `Index<K>`: a key-only set of composite keys, such as Go samples' `owner~id` index.

use std::marker::PhantomData;

use fabric_contract_proto::protos::QueryMetadata;

use super::StateError;
use super::access::{ReadCtx, WriteCtx};
use super::iter::{self, Keys, Page, StateStream};
use super::space::{KeyParts, KeySpace, MapKey};

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
        let raw = self.space.key(entry)?;
        Ok(ctx.put_state(&raw, MARKER).await?)
    }

    /// Removes `entry`.
    pub async fn remove(&self, ctx: &impl WriteCtx, entry: &K) -> Result<(), StateError> {
        let raw = self.space.key(entry)?;
        Ok(ctx.del_state(&raw).await?)
    }

    /// Whether `entry` is present.
    pub async fn contains(&self, ctx: &impl ReadCtx, entry: &K) -> Result<bool, StateError> {
        let raw = self.space.key(entry)?;
        Ok(ctx.get_state(&raw).await?.is_some())
    }

    /// The entries starting with `prefix`, in key order.
    pub async fn prefix<P: KeyParts + ?Sized>(
        &self,
        ctx: &impl ReadCtx,
        prefix: &P,
    ) -> Result<StateStream<K>, StateError> {
        let (start, end) = self.space.prefix(prefix)?;
        let (it, _) = ctx.core().range("", &start, &end, None).await?;
        Ok(iter::stream(it, Keys(self.space, PhantomData)))
    }

    /// Every entry, in key order.
    pub async fn all(&self, ctx: &impl ReadCtx) -> Result<StateStream<K>, StateError> {
        let (start, end) = self.space.range::<K>(&(..))?;
        let (it, _) = ctx.core().range("", &start, &end, None).await?;
        Ok(iter::stream(it, Keys(self.space, PhantomData)))
    }

    /// One page of [`Index::prefix`].
    pub async fn prefix_page<P: KeyParts + ?Sized>(
        &self,
        ctx: &impl ReadCtx,
        prefix: &P,
        page_size: i32,
        bookmark: &str,
    ) -> Result<Page<K>, StateError> {
        let (start, end) = self.space.prefix(prefix)?;
        let meta = QueryMetadata {
            page_size,
            bookmark: bookmark.into(),
        };
        let (it, meta) = ctx.core().range("", &start, &end, Some(meta)).await?;
        iter::page(it, meta.unwrap_or_default(), Keys(self.space, PhantomData)).await
    }
}
