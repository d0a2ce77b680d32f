//! Typed streams and pages over the raw query iterators.
//!
//! A stream owns its [`QueryIterator`]: reading it to the end lets the peer close the iterator,
//! and dropping it early (a `break`, a `?` on an error item, a `take(n)`) queues the
//! QUERY_STATE_CLOSE that the transaction sends before it completes. A page is read completely
//! and closed at once.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use fabric_contract_proto::Message;
use fabric_contract_proto::Timestamp;
use fabric_contract_proto::protos::QueryResponseMetadata;
use fabric_contract_proto::queryresult::KeyModification;
use futures_core::Stream;
use prost::bytes::Bytes;

use super::StateError;
use super::Types;
use super::codec::{Codec, decode_value, decode_value_within};
use super::space::{KeySpace, MapKey};
use crate::StubError;
use crate::ledger::QueryIterator;
use crate::tx::replies;

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

/// Decodes one record, read in place from the peer's reply `shared`; `None` skips it (its key
/// lies outside the collection). `request` names the query for a malformed record's error.
pub(crate) trait Decoder: Send + Sync + Unpin + 'static {
    type Item: Send + 'static;
    fn decode(
        &self,
        request: &'static str,
        shared: &Bytes,
        record: &[u8],
    ) -> Option<Result<Self::Item, StateError>>;
}

/// A world-state record's key and value, or the error naming the query it came from.
fn kv<'r>(request: &'static str, record: &'r [u8]) -> Result<(&'r str, &'r [u8]), StateError> {
    replies::kv(record).map_err(|e| StubError::malformed(request, "KV", e).into())
}

/// Decodes `(K, V)` entries.
pub(crate) struct Entries<K, V, C>(pub KeySpace, pub Types<K, V, C>);

impl<K: MapKey, V: Send + 'static, C: Codec<V>> Decoder for Entries<K, V, C> {
    type Item = (K, V);
    fn decode(
        &self,
        request: &'static str,
        shared: &Bytes,
        record: &[u8],
    ) -> Option<Result<(K, V), StateError>> {
        let (raw, value) = match kv(request, record) {
            Ok(kv) => kv,
            Err(e) => return Some(Err(e)),
        };
        let key = match self.0.decode::<K>(raw)? {
            Ok(k) => k,
            Err(e) => return Some(Err(e)),
        };
        Some(decode_value_within::<V, C>(raw, shared, value).map(|v| (key, v)))
    }
}

/// Decodes keys only (index entries).
pub(crate) struct Keys<K>(pub KeySpace, pub PhantomData<fn() -> K>);

impl<K: MapKey> Decoder for Keys<K> {
    type Item = K;
    fn decode(
        &self,
        request: &'static str,
        _shared: &Bytes,
        record: &[u8],
    ) -> Option<Result<K, StateError>> {
        match kv(request, record) {
            Ok((raw, _)) => self.0.decode::<K>(raw),
            Err(e) => Some(Err(e)),
        }
    }
}

/// Decodes a key's modifications; `key` names the key in a value's decoding error.
pub(crate) struct History<V, C> {
    key: String,
    _types: Types<(), V, C>,
}

impl<V: Send + 'static, C: Codec<V>> Decoder for History<V, C> {
    type Item = HistoryEntry<V>;
    fn decode(
        &self,
        request: &'static str,
        _shared: &Bytes,
        record: &[u8],
    ) -> Option<Result<HistoryEntry<V>, StateError>> {
        let entry = KeyModification::decode(record)
            .map_err(|e| StubError::malformed(request, "KeyModification", e).into())
            .and_then(|m| {
                let value = if m.is_delete {
                    None
                } else {
                    Some(decode_value::<V, C>(&self.key, &m.value)?)
                };
                Ok(HistoryEntry {
                    tx_id: m.tx_id,
                    timestamp: m.timestamp,
                    value,
                })
            });
        Some(entry)
    }
}

/// The next batch on its way: the iterator travels with the request and comes back with it.
type Fetching<T> = Pin<Box<dyn Future<Output = (QueryIterator<T>, Result<(), StubError>)> + Send>>;

/// Where a [`Records`] stream takes its next record from.
enum Source<T> {
    /// The batch in hand, and the iterator that fetches the next one.
    Batch(QueryIterator<T>),
    Fetching(Fetching<T>),
    /// Only while the iterator moves from `Batch` into a fetch.
    Moving,
}

/// A typed stream over a query iterator.
///
/// Written as a `Stream` by hand, not with `unfold`: most records come from the batch in hand,
/// and are decoded without a future of their own; a future is made only to fetch a batch.
struct Records<T, D> {
    source: Source<T>,
    decoder: D,
}

impl<T: Send + 'static, D: Decoder> Stream for Records<T, D> {
    type Item = Result<D::Item, StateError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            let it = match &mut this.source {
                Source::Batch(it) => it,
                Source::Fetching(next) => {
                    let (it, fetched) = ready!(next.as_mut().poll(cx));
                    this.source = Source::Batch(it);
                    if let Err(e) = fetched {
                        return Poll::Ready(Some(Err(e.into())));
                    }
                    continue;
                }
                Source::Moving => return Poll::Ready(None),
            };
            let request = it.request();
            if let Some((shared, record)) = it.buffered() {
                match this.decoder.decode(request, shared, record) {
                    Some(item) => return Poll::Ready(Some(item)),
                    None => continue,
                }
            }
            if it.exhausted() {
                return Poll::Ready(None);
            }
            if let Source::Batch(mut it) = std::mem::replace(&mut this.source, Source::Moving) {
                this.source = Source::Fetching(Box::pin(async move {
                    let fetched = it.fetch().await;
                    (it, fetched)
                }));
            }
        }
    }
}

/// A typed stream over a query iterator.
pub(crate) fn stream<T: Send + 'static, D: Decoder>(
    it: QueryIterator<T>,
    decoder: D,
) -> StateStream<D::Item> {
    Box::pin(Records {
        source: Source::Batch(it),
        decoder,
    })
}

/// Reads a whole page, closes its iterator and decodes it.
pub(crate) async fn page<T, D: Decoder>(
    mut it: QueryIterator<T>,
    meta: QueryResponseMetadata,
    decoder: D,
) -> Result<Page<D::Item>, StateError> {
    let request = it.request();
    let mut items = Vec::new();
    let mut failure = None;
    while let Some(record) = it.next_record().await {
        let item = match record {
            Ok((shared, record)) => decoder.decode(request, shared, record),
            Err(e) => Some(Err(e.into())),
        };
        match item {
            Some(Ok(item)) => items.push(item),
            Some(Err(e)) => {
                failure = Some(e);
                break;
            }
            None => {}
        }
    }
    // Close before reporting a failure so the peer never holds the iterator.
    let closed = it.close().await;
    if let Some(e) = failure {
        return Err(e);
    }
    closed?;
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
    stream(
        it,
        History::<V, C> {
            key,
            _types: PhantomData,
        },
    )
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use fabric_contract_proto::Message;
    use fabric_contract_proto::protos::{
        ChaincodeInput, ChaincodeMessage, QueryResponse, QueryResultBytes, QueryStateClose,
        chaincode_message::Type,
    };
    use fabric_contract_proto::queryresult::Kv;
    use futures_util::StreamExt;
    use tokio::sync::mpsc;

    use super::*;
    use crate::ledger::stub::Stub;
    use crate::state::{Index, Map};
    use crate::tx::{TxFacts, TxHandle};

    /// A stub whose peer side the test scripts by hand.
    fn scripted() -> (
        Stub,
        Arc<TxHandle>,
        mpsc::UnboundedReceiver<ChaincodeMessage>,
        mpsc::UnboundedSender<ChaincodeMessage>,
    ) {
        let (out_tx, out_rx) = mpsc::unbounded_channel();
        let (reply_tx, reply_rx) = mpsc::unbounded_channel();
        let handle = Arc::new(TxHandle::new(
            "ch",
            "tx1",
            out_tx,
            reply_rx,
            Default::default(),
        ));
        let stub = Stub::new(
            handle.clone(),
            ChaincodeInput::default().into(),
            TxFacts::default(),
            false,
        );
        (stub, handle, out_rx, reply_tx)
    }

    fn reply(kvs: &[(&str, &[u8])], has_more: bool) -> ChaincodeMessage {
        let results = kvs
            .iter()
            .map(|(k, v)| QueryResultBytes {
                result_bytes: Kv {
                    key: (*k).into(),
                    value: v.to_vec(),
                    ..Default::default()
                }
                .encode_to_vec(),
            })
            .collect();
        let payload = QueryResponse {
            results,
            has_more,
            id: "it1".into(),
            metadata: vec![],
        }
        .encode_to_vec();
        ChaincodeMessage {
            r#type: Type::Response as i32,
            payload,
            ..Default::default()
        }
    }

    async fn expect_close(out: &mut mpsc::UnboundedReceiver<ChaincodeMessage>) {
        let sent = out.recv().await.expect("a request");
        assert_eq!(sent.r#type, Type::QueryStateClose as i32);
        assert_eq!(
            QueryStateClose::decode(sent.payload.as_slice()).unwrap().id,
            "it1"
        );
    }

    #[tokio::test]
    async fn a_stream_reads_across_batches_and_ends_after_a_failed_fetch() {
        const M: Map<String, u32> = Map::simple();
        let (stub, _handle, mut out, peer) = scripted();
        peer.send(reply(&[("a", b"1"), ("\0skip\0", b"9")], true))
            .unwrap();
        let mut s = M.range(&stub, ..).await.unwrap();
        out.recv().await.unwrap();
        assert_eq!(s.next().await.unwrap().unwrap(), ("a".to_string(), 1));
        peer.send(reply(&[("b", b"2")], true)).unwrap();
        assert_eq!(
            s.next().await.unwrap().unwrap(),
            ("b".to_string(), 2),
            "the composite key is skipped and the next batch fetched"
        );
        assert_eq!(
            out.recv().await.unwrap().r#type,
            Type::QueryStateNext as i32
        );
        peer.send(ChaincodeMessage {
            r#type: Type::Error as i32,
            payload: b"iterator gone".to_vec(),
            ..Default::default()
        })
        .unwrap();
        let err = s.next().await.unwrap().unwrap_err();
        assert!(err.to_string().contains("iterator gone"), "{err}");
        assert!(s.next().await.is_none(), "a failed fetch ends the stream");
    }

    #[tokio::test]
    async fn a_stream_stopped_early_is_closed_before_the_transaction_ends() {
        const M: Map<String, u32> = Map::simple();
        let (stub, handle, mut out, peer) = scripted();
        peer.send(reply(&[("a", b"1"), ("b", b"2")], true)).unwrap();
        let mut s = M.range(&stub, ..).await.unwrap();
        assert_eq!(
            out.recv().await.unwrap().r#type,
            Type::GetStateByRange as i32
        );
        assert_eq!(s.next().await.unwrap().unwrap(), ("a".to_string(), 1));
        drop(s);
        peer.send(reply(&[], false)).unwrap();
        handle.finish().await.unwrap();
        expect_close(&mut out).await;
    }

    #[tokio::test]
    async fn a_malformed_record_is_an_error_naming_the_key_and_the_stream_still_closes() {
        const M: Map<String, u32> = Map::simple();
        let (stub, handle, mut out, peer) = scripted();
        peer.send(reply(&[("a", b"1"), ("b", b"oops")], true))
            .unwrap();
        let mut s = M.range(&stub, ..).await.unwrap();
        out.recv().await.unwrap();
        assert!(s.next().await.unwrap().is_ok());
        let err = s.next().await.unwrap().unwrap_err();
        assert!(
            matches!(&err, StateError::Decode { key, .. } if key == "b"),
            "{err}"
        );
        drop(s);
        peer.send(reply(&[], false)).unwrap();
        handle.finish().await.unwrap();
        expect_close(&mut out).await;
    }

    #[tokio::test]
    async fn a_page_closes_its_iterator_at_once() {
        const I: Index<(String, String)> = Index::new("owner~id");
        let (stub, _handle, mut out, peer) = scripted();
        let mut first = reply(&[("\0owner~id\0al\0a1\0", &[0])], false);
        let mut response = QueryResponse::decode(first.payload.as_slice()).unwrap();
        response.metadata = QueryResponseMetadata {
            fetched_records_count: 1,
            bookmark: "next".into(),
        }
        .encode_to_vec();
        first.payload = response.encode_to_vec();
        peer.send(first).unwrap();
        peer.send(reply(&[], false)).unwrap();
        let page = I.prefix_page(&stub, "al", 1, "").await.unwrap();
        assert_eq!(
            page,
            Page {
                items: vec![("al".to_string(), "a1".to_string())],
                bookmark: "next".into(),
                fetched: 1
            }
        );
        assert_eq!(
            out.recv().await.unwrap().r#type,
            Type::GetStateByRange as i32
        );
        expect_close(&mut out).await;
    }
}
