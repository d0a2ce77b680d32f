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
use crate::ledger::QueryIterator;

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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use fabric_contract_proto::Message;
    use fabric_contract_proto::protos::{
        ChaincodeInput, ChaincodeMessage, QueryResponse, QueryResultBytes, QueryStateClose,
        chaincode_message::Type,
    };
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
