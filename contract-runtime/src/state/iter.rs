//! Typed streams and pages over the raw query iterators.
//!
//! A stream owns its [`QueryIterator`]: reading it to the end lets the peer close the iterator,
//! and dropping it early (a `break`, a `?` on an error item, a `take(n)`) queues the
//! QUERY_STATE_CLOSE that the transaction sends before it completes. A page is read completely
//! and closed at once.

use super::Types;
use std::marker::PhantomData;
use std::pin::Pin;

use fabric_contract_proto::Timestamp;
use fabric_contract_proto::protos::QueryResponseMetadata;
use fabric_contract_proto::queryresult::{KeyModification, Kv};
use futures_core::Stream;

use super::StateError;
use super::codec::{Codec, decode_value};
use super::space::{KeySpace, MapKey};
use crate::stub::QueryIterator;

/// A boxed stream of typed ledger records; use `futures_util::StreamExt::next` to read it.
pub type StateStream<T> = Pin<Box<dyn Stream<Item = Result<T, StateError>> + Send>>;

/// One page of a paginated query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The records of this page that belong to the collection.
    pub items: Vec<T>,
    /// Where the next page starts; pass it back to get that page (empty: no further page).
    pub bookmark: String,
    /// How many records the peer read for this page.
    pub fetched: i32,
}

/// One committed modification of a key, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry<V> {
    /// The transaction that made it.
    pub tx_id: String,
    /// That transaction's proposal timestamp.
    pub timestamp: Option<Timestamp>,
    /// The value written, `None` for a deletion.
    pub value: Option<V>,
}

/// Decodes a record; `None` skips it (its key lies outside the collection).
pub(crate) trait Decoder: Send + Sync + 'static {
    type Item: Send + 'static;
    fn decode(&self, kv: Kv) -> Option<Result<Self::Item, StateError>>;
}

/// Decodes `(K, V)` entries.
pub(crate) struct Entries<K, V, C>(pub KeySpace, pub Types<K, V, C>);

impl<K: MapKey, V: Send + 'static, C: Codec<V>> Decoder for Entries<K, V, C> {
    type Item = (K, V);
    fn decode(&self, kv: Kv) -> Option<Result<(K, V), StateError>> {
        let key = match self.0.decode::<K>(&kv.key)? {
            Ok(k) => k,
            Err(e) => return Some(Err(e)),
        };
        Some(decode_value::<V, C>(&kv.key, &kv.value).map(|v| (key, v)))
    }
}

/// Decodes keys only (index entries).
pub(crate) struct Keys<K>(pub KeySpace, pub PhantomData<fn() -> K>);

impl<K: MapKey> Decoder for Keys<K> {
    type Item = K;
    fn decode(&self, kv: Kv) -> Option<Result<K, StateError>> {
        self.0.decode::<K>(&kv.key)
    }
}

/// A typed stream over a key/value iterator.
pub(crate) fn stream<D: Decoder>(it: QueryIterator<Kv>, decoder: D) -> StateStream<D::Item> {
    Box::pin(futures_util::stream::unfold(
        (it, decoder),
        |(mut it, decoder)| async move {
            loop {
                let item = match it.next().await? {
                    Ok(kv) => decoder.decode(kv),
                    Err(e) => Some(Err(e.into())),
                };
                if let Some(item) = item {
                    return Some((item, (it, decoder)));
                }
            }
        },
    ))
}

/// Reads a whole page, closes its iterator and decodes it.
pub(crate) async fn page<D: Decoder>(
    mut it: QueryIterator<Kv>,
    meta: QueryResponseMetadata,
    decoder: D,
) -> Result<Page<D::Item>, StateError> {
    let mut raw = Vec::new();
    let mut failure = None;
    while let Some(kv) = it.next().await {
        match kv {
            Ok(kv) => raw.push(kv),
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    // Close before reporting a failure so the peer never holds the iterator.
    let closed = it.close().await;
    if let Some(e) = failure {
        return Err(e.into());
    }
    closed?;
    let items = raw
        .into_iter()
        .filter_map(|kv| decoder.decode(kv))
        .collect::<Result<_, _>>()?;
    Ok(Page {
        items,
        bookmark: meta.bookmark,
        fetched: meta.fetched_records_count,
    })
}

/// A typed stream over a key's history.
pub(crate) fn history<V: Send + 'static, C: Codec<V>>(
    it: QueryIterator<KeyModification>,
    key: String,
) -> StateStream<HistoryEntry<V>> {
    Box::pin(futures_util::stream::unfold(
        (it, key),
        |(mut it, key)| async move {
            let item = match it.next().await? {
                Ok(m) => decode_modification::<V, C>(&key, m),
                Err(e) => Err(e.into()),
            };
            Some((item, (it, key)))
        },
    ))
}

fn decode_modification<V, C: Codec<V>>(
    key: &str,
    m: KeyModification,
) -> Result<HistoryEntry<V>, StateError> {
    let value = if m.is_delete {
        None
    } else {
        Some(decode_value::<V, C>(key, &m.value)?)
    };
    Ok(HistoryEntry {
        tx_id: m.tx_id,
        timestamp: m.timestamp,
        value,
    })
}
