//! Iterators over range, rich and history query results.
//!
//! The peer hands results out in batches; the iterator asks for the next batch
//! (QUERY_STATE_NEXT) only when the caller has consumed the current one. An
//! iterator is closed by [`QueryIterator::close`], or, if it is dropped
//! unclosed while the peer still holds results, just before the transaction
//! completes: the peer never keeps an iterator of ours open.

use std::marker::PhantomData;
use std::sync::Arc;

use fabric_contract_proto::Message;
use fabric_contract_proto::protos::{
    QueryResponse, QueryResultBytes, QueryStateClose, QueryStateNext, chaincode_message::Type,
};

use crate::StubError;
use crate::tx::TxHandle;

/// Results of a ledger query, fetched lazily batch by batch.
///
/// `T` is [`Kv`](fabric_contract_proto::queryresult::Kv) for range and rich
/// queries and [`KeyModification`](fabric_contract_proto::queryresult::KeyModification)
/// for key history.
pub struct QueryIterator<T> {
    handle: Arc<TxHandle>,
    id: String,
    batch: std::vec::IntoIter<QueryResultBytes>,
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

impl<T: Message + Default> QueryIterator<T> {
    pub(crate) fn new(handle: Arc<TxHandle>, request: &'static str, first: QueryResponse) -> Self {
        Self {
            handle,
            id: first.id,
            batch: first.results.into_iter(),
            has_more: first.has_more,
            closed: false,
            request,
            _record: PhantomData,
        }
    }

    /// The next record, `None` once the results are exhausted.
    pub async fn next(&mut self) -> Option<Result<T, StubError>> {
        loop {
            if let Some(record) = self.batch.next() {
                return Some(T::decode(record.result_bytes.as_slice()).map_err(|e| {
                    StubError::malformed(self.request, std::any::type_name::<T>(), e)
                }));
            }
            if !self.has_more || self.closed {
                return None;
            }
            let payload = QueryStateNext {
                id: self.id.clone(),
            }
            .encode_to_vec();
            let next = match self.handle.request(Type::QueryStateNext, payload).await {
                Ok(bytes) => QueryResponse::decode(bytes.as_slice())
                    .map_err(|e| StubError::malformed("QUERY_STATE_NEXT", "QueryResponse", e)),
                Err(e) => Err(e),
            };
            match next {
                Ok(response) => {
                    self.has_more = response.has_more;
                    self.batch = response.results.into_iter();
                }
                Err(e) => {
                    self.has_more = false;
                    return Some(Err(e));
                }
            }
        }
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
