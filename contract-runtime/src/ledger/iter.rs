//! Iterators over range, rich and history query results.
//!
//! The peer hands results out in batches; the iterator asks for the next batch
//! (QUERY_STATE_NEXT) only when the caller has consumed the current one. An
//! iterator is closed by [`QueryIterator::close`], or, if it is dropped
//! unclosed while the peer still holds results, just before the transaction
//! completes: the peer never keeps an iterator of ours open.

use std::marker::PhantomData;
use std::ops::Range;
use std::sync::Arc;

use fabric_contract_proto::Message;
use fabric_contract_proto::protos::{QueryStateClose, QueryStateNext, chaincode_message::Type};
use prost::bytes::Bytes;

use crate::StubError;
use crate::tx::TxHandle;
use crate::tx::replies::Batch;

/// Results of a ledger query, fetched lazily batch by batch.
///
/// `T` is [`Kv`](fabric_contract_proto::queryresult::Kv) for range and rich
/// queries and [`KeyModification`](fabric_contract_proto::queryresult::KeyModification)
/// for key history.
pub struct QueryIterator<T> {
    handle: Arc<TxHandle>,
    id: String,
    /// The current batch's reply, which `records` index; each record is decoded as it is read.
    payload: Bytes,
    records: std::vec::IntoIter<Range<usize>>,
    has_more: bool,
    closed: bool,
    request: &'static str,
    _record: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for QueryIterator<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QueryIterator")
            .field("id", &self.id)
            .field("has_more", &self.has_more)
            .finish()
    }
}

impl<T> QueryIterator<T> {
    pub(crate) fn new(handle: Arc<TxHandle>, request: &'static str, first: Batch) -> Self {
        Self {
            handle,
            id: first.id,
            payload: first.payload,
            records: first.records.into_iter(),
            has_more: first.has_more,
            closed: false,
            request,
            _record: PhantomData,
        }
    }

    /// The request that opened the iterator, for error messages.
    pub(crate) fn request(&self) -> &'static str {
        self.request
    }

    /// The next record of the batch in hand, with the reply it lies in, without waiting; `None`
    /// once it is used up.
    pub(crate) fn buffered(&mut self) -> Option<(&Bytes, &[u8])> {
        let range = self.records.next()?;
        Some((&self.payload, &self.payload[range]))
    }

    /// Whether the peer has no further batch for this iterator (or it was closed).
    pub(crate) fn exhausted(&self) -> bool {
        !self.has_more || self.closed
    }

    /// Fetches the next batch (QUERY_STATE_NEXT). A failure ends the iterator.
    pub(crate) async fn fetch(&mut self) -> Result<(), StubError> {
        let payload = QueryStateNext {
            id: self.id.clone(),
        }
        .encode_to_vec();
        let next = match self.handle.request(Type::QueryStateNext, payload).await {
            Ok(reply) => Batch::read(reply)
                .map_err(|e| StubError::malformed("QUERY_STATE_NEXT", "QueryResponse", e)),
            Err(e) => Err(e),
        };
        match next {
            Ok(batch) => {
                self.has_more = batch.has_more;
                self.payload = batch.payload;
                self.records = batch.records.into_iter();
                Ok(())
            }
            Err(e) => {
                self.has_more = false;
                Err(e)
            }
        }
    }

    /// Closes the iterator on the peer (QUERY_STATE_CLOSE), as the Go shim's `Close` does.
    pub async fn close(mut self) -> Result<(), StubError> {
        self.closed = true;
        let payload = QueryStateClose {
            id: self.id.clone(),
        }
        .encode_to_vec();
        self.handle
            .request(Type::QueryStateClose, payload)
            .await
            .map(drop)
    }

    /// The next record's bytes and the reply they lie in, fetching a batch when the one in hand
    /// is used up; `None` once the results are exhausted.
    pub(crate) async fn next_record(&mut self) -> Option<Result<(&Bytes, &[u8]), StubError>> {
        while self.records.len() == 0 {
            if self.exhausted() {
                return None;
            }
            if let Err(e) = self.fetch().await {
                return Some(Err(e));
            }
        }
        self.buffered().map(Ok)
    }
}

impl<T: Message + Default> QueryIterator<T> {
    /// The next record, `None` once the results are exhausted.
    pub async fn next(&mut self) -> Option<Result<T, StubError>> {
        let request = self.request;
        Some(self.next_record().await?.and_then(|(_, record)| {
            T::decode(record)
                .map_err(|e| StubError::malformed(request, std::any::type_name::<T>(), e))
        }))
    }

    /// Reads every remaining record, then closes the iterator.
    pub async fn collect_all(mut self) -> Result<Vec<T>, StubError> {
        let mut all = Vec::new();
        while let Some(record) = self.next().await {
            all.push(record?);
        }
        self.close().await?;
        Ok(all)
    }

    /// Turns the iterator into a `Stream` of records (closed when dropped).
    pub fn into_stream(
        self,
    ) -> impl futures_core::Stream<Item = Result<T, StubError>> + Send + 'static
    where
        T: Send + 'static,
    {
        futures_util::stream::unfold(self, |mut it| async move {
            it.next().await.map(|record| (record, it))
        })
    }
}

impl<T> Drop for QueryIterator<T> {
    fn drop(&mut self) {
        // An exhausted iterator was already closed by the peer (has_more = false).
        if !self.closed && self.has_more {
            self.handle.defer_close(std::mem::take(&mut self.id));
        }
    }
}
