//! The request channel of one running transaction.
//!
//! The peer serves one request per transaction at a time and silently drops a
//! second one sent before the first is answered, so every ledger call of a
//! transaction queues on [`TxHandle::request`]. Transactions never share a
//! handle, so there is no contention between them.

use std::collections::BTreeMap;
use std::sync::Mutex;

use fabric_contract_proto::Message;
use fabric_contract_proto::protos::{
    ChaincodeAdditionalParams, ChaincodeEvent, PurgePrivateState, PutStateMetadata,
    QueryStateClose, StateMetadata, WriteBatchState, WriteRecord, chaincode_message::Type,
    write_record,
};
use prost::bytes::Bytes;
use smallvec::SmallVec;
#[cfg(test)]
use {fabric_contract_proto::protos::ChaincodeMessage, tokio::sync::mpsc};

use super::inbound::Inbound;
use super::outbound::{Outbound, Outgoing};
use super::{replies, requests};
use crate::error::StubError;

/// What the peer said in READY that the shim may use (Fabric 3.1+).
///
/// Older peers send an empty READY and end the stream on message types they
/// do not know, so batching and multi-key reads are used only when announced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PeerCapabilities {
    /// Records per WRITE_BATCH_STATE, when the peer accepts batches.
    pub write_batch: Option<usize>,
    /// Keys per GET_STATE_MULTIPLE, when the peer accepts multi-key reads.
    pub get_multiple: Option<usize>,
}

impl PeerCapabilities {
    /// Reads the READY payload. An empty or undecodable payload announces
    /// nothing (the Go shim ignores one that does not decode, too).
    pub fn from_ready_payload(payload: &[u8]) -> Self {
        let Ok(params) = ChaincodeAdditionalParams::decode(payload) else {
            return Self::default();
        };
        // Like the Go shim: never batch in chunks smaller than 100.
        let size = |max: u32| (max as usize).max(100);
        Self {
            write_batch: params
                .use_write_batch
                .then(|| size(params.max_size_write_batch)),
            get_multiple: params
                .use_get_multiple_keys
                .then(|| size(params.max_size_get_multiple_keys)),
        }
    }
}

/// Replies still owed to requests whose callers stopped waiting (their futures were dropped).
/// In unit tests, replies may come from the test's own channel instead of the slot.
struct ReplyQueue {
    owed: usize,
    #[cfg(test)]
    scripted: Option<mpsc::UnboundedReceiver<ChaincodeMessage>>,
}

impl ReplyQueue {
    async fn recv(&mut self, slot: &ReplySlot) -> Option<Reply> {
        #[cfg(test)]
        if let Some(rx) = &mut self.scripted {
            return rx.recv().await.map(|msg| Reply::from(Inbound::from(msg)));
        }
        slot.recv().await
    }
}

/// Why a reply could not be delivered to a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Undeliverable {
    /// No transaction with its ids is running.
    NotRunning,
    /// It already holds the most replies a peer can owe it.
    Full,
    /// The transaction has finished or the stream is gone.
    Closed,
}

/// What a request needs of its reply (RESPONSE or ERROR): the router matched it by its ids.
struct Reply {
    r#type: i32,
    payload: Bytes,
}

impl From<Inbound> for Reply {
    fn from(msg: Inbound) -> Self {
        Self {
            r#type: msg.r#type,
            payload: msg.payload,
        }
    }
}

/// A few replies for one transaction. A channel would allocate a block of 32
/// messages (about 8 KiB) per transaction up front, which a flood of transactions would pay.
///
/// The first reply waits inside the slot itself: a peer answers one request at a time, so more
/// than one waiting is rare, and a queue's own allocation was a tenth of a ledger call's cost.
#[derive(Default)]
struct ReplySlot {
    /// Replies as requests need them: a whole message is four times the size, and the slot
    /// lives in every transaction's handle.
    queue: Mutex<SmallVec<[Reply; 1]>>,
    closed: std::sync::atomic::AtomicBool,
    ready: tokio::sync::Notify,
}

impl ReplySlot {
    /// Replies a transaction may have waiting: the peer answers one request at a time.
    const CAPACITY: usize = 4;

    /// Queues a reply; an undeliverable one is handed back with the reason, for the log.
    #[allow(clippy::result_large_err)] // the error path is rare and only logs the message
    fn push(&self, msg: Inbound) -> Result<(), (Undeliverable, Inbound)> {
        if self.closed.load(std::sync::atomic::Ordering::Acquire) {
            return Err((Undeliverable::Closed, msg));
        }
        let mut queue = self.queue.lock().expect("reply slot lock");
        if queue.len() >= Self::CAPACITY {
            return Err((Undeliverable::Full, msg));
        }
        queue.push(msg.into());
        drop(queue);
        self.ready.notify_one();
        Ok(())
    }

    /// Ends the slot: a waiting request sees the stream as disconnected.
    fn close(&self) {
        self.closed
            .store(true, std::sync::atomic::Ordering::Release);
        self.ready.notify_one();
    }

    async fn recv(&self) -> Option<Reply> {
        loop {
            let next = {
                let mut queue = self.queue.lock().expect("reply slot lock");
                (!queue.is_empty()).then(|| queue.remove(0))
            };
            if next.is_some() {
                return next;
            }
            if self.closed.load(std::sync::atomic::Ordering::Acquire) {
                return None;
            }
            // notify_one keeps a permit when nobody waits, so no wake-up is lost.
            self.ready.notified().await;
        }
    }
}

/// Whether a buffered write touches a key's value or its metadata: the two
/// are separate entries of a write batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum WriteTarget {
    Value,
    Metadata,
}

/// Ids the handle was given, which the router checked to be UTF-8.
fn as_text(id: &Bytes) -> &str {
    std::str::from_utf8(id).unwrap_or_default()
}

/// One running INIT or TRANSACTION: sends its requests, receives its replies,
/// buffers its writes when the peer batches, and holds its event.
pub struct TxHandle {
    /// The ids as they arrived, checked to be UTF-8: shared by every message the handle sends.
    channel_id: Bytes,
    txid: Bytes,
    outbound: Outbound,
    /// Where the router leaves this transaction's replies. Inside the handle rather than shared
    /// on its own: the router's table holds the handle, which saves an allocation per transaction.
    slot: ReplySlot,
    queue: tokio::sync::Mutex<ReplyQueue>,
    caps: PeerCapabilities,
    max_message_size: usize,
    batch: Mutex<BTreeMap<(String, String, WriteTarget), WriteRecord>>,
    deferred_closes: Mutex<Vec<String>>,
    /// Boxed: few transactions set one, and it is four fields wide.
    event: Mutex<Option<Box<ChaincodeEvent>>>,
}

impl std::fmt::Debug for TxHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TxHandle")
            .field("channel_id", &self.channel_id())
            .field("txid", &self.txid())
            .finish()
    }
}

impl TxHandle {
    /// A handle for the transaction `(channel_id, txid)`. `outbound` is the
    /// connection's writer; `replies` receives every RESPONSE/ERROR the router
    /// matched to this transaction.
    #[cfg(test)]
    pub fn new(
        channel_id: impl Into<String>,
        txid: impl Into<String>,
        outbound: mpsc::UnboundedSender<ChaincodeMessage>,
        replies: mpsc::UnboundedReceiver<ChaincodeMessage>,
        caps: PeerCapabilities,
    ) -> Self {
        let mut handle = Self::with_limits(
            Bytes::from(channel_id.into()),
            Bytes::from(txid.into()),
            outbound.into(),
            caps,
            super::DEFAULT_MAX_MESSAGE_SIZE,
        );
        handle.queue.get_mut().scripted = Some(replies);
        handle
    }

    /// The router's constructor: its bounded queues and the stream's message limit. The ids
    /// must be UTF-8 (the router checks them). Replies arrive through [`deliver`](Self::deliver).
    pub(crate) fn with_limits(
        channel_id: Bytes,
        txid: Bytes,
        outbound: Outbound,
        caps: PeerCapabilities,
        max_message_size: usize,
    ) -> Self {
        Self {
            channel_id,
            txid,
            outbound,
            slot: ReplySlot::default(),
            queue: tokio::sync::Mutex::new(ReplyQueue {
                owed: 0,
                #[cfg(test)]
                scripted: None,
            }),
            caps,
            max_message_size,
            batch: Mutex::default(),
            deferred_closes: Mutex::default(),
            event: Mutex::default(),
        }
    }

    /// The transaction id.
    pub fn txid(&self) -> &str {
        as_text(&self.txid)
    }

    /// The channel the transaction runs on.
    pub fn channel_id(&self) -> &str {
        as_text(&self.channel_id)
    }

    /// `(channel_id, txid)` as the messages to the peer carry them (clones share the bytes).
    pub(crate) fn ids(&self) -> (&Bytes, &Bytes) {
        (&self.channel_id, &self.txid)
    }

    /// Hands the transaction a RESPONSE/ERROR the router matched to it; an undeliverable one is
    /// handed back with the reason, for the log.
    #[allow(clippy::result_large_err)] // the error path is rare and only logs the message
    pub(crate) fn deliver(&self, reply: Inbound) -> Result<(), (Undeliverable, Inbound)> {
        self.slot.push(reply)
    }

    /// Ends delivery: a request waiting for a reply sees the stream as disconnected.
    pub(crate) fn close_replies(&self) {
        self.slot.close();
    }

    /// Sends one request and waits for its reply: the RESPONSE payload, or the
    /// peer's ERROR text as [`StubError::Peer`]. Requests of one transaction
    /// queue here, so only one is ever outstanding.
    ///
    /// The payload is a slice of the frame it arrived in, not a copy: a query reply is read in
    /// place and a typed read decodes its value straight from it.
    pub async fn request(&self, ty: Type, payload: Vec<u8>) -> Result<Bytes, StubError> {
        let request = ty.as_str_name();
        // Uncontended but for callers that gave up mid-request; waiting is boxed, so this
        // future (inside every transaction's) does not carry a lock future's state.
        let mut queue = match self.queue.try_lock() {
            Ok(queue) => queue,
            Err(_) => Box::pin(self.queue.lock()).await,
        };
        // A caller that gave up (dropped its future) left its reply in flight: skip it.
        while queue.owed > 0 {
            queue
                .recv(&self.slot)
                .await
                .ok_or(StubError::Disconnected { request })?;
            queue.owed -= 1;
        }
        // In a block, so the message's storage ends before the await instead of staying in
        // this future (inside every transaction's) until it returns.
        let sent = {
            let message = Outgoing {
                r#type: ty as i32,
                payload,
                txid: self.txid.clone(),
                channel_id: self.channel_id.clone(),
                ..Default::default()
            };
            // The transport would refuse it by resetting the whole stream: fail this call only.
            let size = message.encoded_len();
            if size > self.max_message_size {
                return Err(StubError::TooLarge {
                    request,
                    size,
                    limit: self.max_message_size,
                });
            }
            self.outbound.send(message)
        };
        sent.await
            .map_err(|_| StubError::Disconnected { request })?;
        queue.owed += 1;
        let reply = queue
            .recv(&self.slot)
            .await
            .ok_or(StubError::Disconnected { request })?;
        queue.owed -= 1;
        match Type::from_wire(reply.r#type) {
            Some(Type::Response) => Ok(reply.payload),
            Some(Type::Error) => Err(StubError::Peer(
                String::from_utf8_lossy(&reply.payload).into_owned(),
            )),
            other => Err(StubError::UnexpectedReply {
                request,
                got: other.map_or_else(
                    || format!("unknown type {}", reply.r#type),
                    |t| t.as_str_name().into(),
                ),
            }),
        }
    }

    /// Reads one key of the world state (`collection` empty) or of a private collection.
    pub async fn get_state(&self, collection: &str, key: &str) -> Result<Bytes, StubError> {
        self.request(Type::GetState, requests::get_state(collection, key))
            .await
    }

    /// Reads many keys, with GET_STATE_MULTIPLE when the peer announced it and
    /// one GET_STATE per key otherwise. Missing keys come back empty.
    pub async fn get_state_multiple(
        &self,
        collection: &str,
        keys: &[&str],
    ) -> Result<Vec<Bytes>, StubError> {
        let Some(chunk) = self.caps.get_multiple else {
            let mut values = Vec::with_capacity(keys.len());
            for key in keys {
                values.push(self.get_state(collection, key).await?);
            }
            return Ok(values);
        };
        let mut values = Vec::with_capacity(keys.len());
        for part in keys.chunks(chunk) {
            let payload = requests::get_state_multiple(collection, part);
            let reply = self.request(Type::GetStateMultiple, payload).await?;
            let read = replies::values(&reply, part.len()).map_err(|e| {
                StubError::malformed("GET_STATE_MULTIPLE", "GetStateMultipleResult", e)
            })?;
            if read.len() != part.len() {
                return Err(StubError::malformed(
                    "GET_STATE_MULTIPLE",
                    "GetStateMultipleResult",
                    format!("{} values for {} keys", read.len(), part.len()),
                ));
            }
            values.extend(read);
        }
        Ok(values)
    }

    /// Writes (PUT_STATE, DEL_STATE, PURGE_PRIVATE_DATA, PUT_STATE_METADATA):
    /// sent at once, or buffered until [`finish`](Self::finish) when the peer
    /// batches. The last write of a key wins either way, as in the peer's write set.
    pub async fn write(&self, record: WriteRecord) -> Result<(), StubError> {
        let ty =
            write_record::Type::try_from(record.r#type).unwrap_or(write_record::Type::Undefined);
        if self.caps.write_batch.is_some() {
            let target = if ty == write_record::Type::PutStateMetadata {
                WriteTarget::Metadata
            } else {
                WriteTarget::Value
            };
            // Refuse now what could never be flushed, rather than at COMPLETED.
            let size = self.message_size(batch_entry_len(&record));
            if size > self.max_message_size {
                return Err(StubError::TooLarge {
                    request: Type::WriteBatchState.as_str_name(),
                    size,
                    limit: self.max_message_size,
                });
            }
            let mut batch = self.batch.lock().expect("write batch lock");
            batch.insert(
                (record.collection.clone(), record.key.clone(), target),
                record,
            );
            return Ok(());
        }
        let WriteRecord {
            key,
            value,
            collection,
            metadata,
            ..
        } = record;
        let (ty, payload) = match ty {
            write_record::Type::PutState => (
                Type::PutState,
                requests::put_state(&collection, &key, &value),
            ),
            write_record::Type::DelState => {
                (Type::DelState, requests::del_state(&collection, &key))
            }
            write_record::Type::PurgePrivateData => (
                Type::PurgePrivateData,
                PurgePrivateState { key, collection }.encode_to_vec(),
            ),
            write_record::Type::PutStateMetadata => (
                Type::PutStateMetadata,
                PutStateMetadata {
                    key,
                    collection,
                    metadata,
                }
                .encode_to_vec(),
            ),
            write_record::Type::Undefined => {
                return Err(StubError::InvalidArgument(
                    "a write record needs a type".into(),
                ));
            }
        };
        self.request(ty, payload).await.map(drop)
    }

    /// A value write or deletion (PUT_STATE, DEL_STATE, PURGE_PRIVATE_DATA) from borrowed parts:
    /// a record for the batch when the peer batches, otherwise a request encoded straight from
    /// them (no record and no owned key on the way).
    pub async fn write_value(
        &self,
        ty: write_record::Type,
        collection: &str,
        key: &str,
        value: Vec<u8>,
    ) -> Result<(), StubError> {
        if self.caps.write_batch.is_some() {
            return self.write(Self::record(ty, collection, key, value)).await;
        }
        let (request, payload) = match ty {
            write_record::Type::PutState => {
                (Type::PutState, requests::put_state(collection, key, &value))
            }
            write_record::Type::DelState => (Type::DelState, requests::del_state(collection, key)),
            _ => return self.write(Self::record(ty, collection, key, value)).await,
        };
        self.request(request, payload).await.map(drop)
    }

    /// Builds the record of a value write.
    fn record(ty: write_record::Type, collection: &str, key: &str, value: Vec<u8>) -> WriteRecord {
        WriteRecord {
            key: key.into(),
            value,
            collection: collection.into(),
            metadata: None,
            r#type: ty as i32,
        }
    }

    /// Builds the record of a metadata write.
    pub(crate) fn metadata_record(
        collection: &str,
        key: &str,
        metakey: &str,
        value: Vec<u8>,
    ) -> WriteRecord {
        WriteRecord {
            key: key.into(),
            value: Vec::new(),
            collection: collection.into(),
            metadata: Some(StateMetadata {
                metakey: metakey.into(),
                value,
            }),
            r#type: write_record::Type::PutStateMetadata as i32,
        }
    }

    /// Remembers an iterator that was dropped unclosed; it is closed before COMPLETED.
    pub(crate) fn defer_close(&self, id: String) {
        self.deferred_closes
            .lock()
            .expect("deferred close lock")
            .push(id);
    }

    /// Sets the transaction's event; a later one replaces it, as in Fabric.
    pub(crate) fn set_event(&self, event: ChaincodeEvent) {
        let mut slot = self.event.lock().expect("event lock");
        if let Some(previous) = slot.replace(Box::new(event)) {
            tracing::warn!(txid = self.txid(), replaced = %previous.event_name, "a second event replaces the first: Fabric keeps one per transaction");
        }
    }

    /// Ends the transaction's ledger work before COMPLETED: closes iterators
    /// that were dropped unclosed and flushes buffered writes. Returns the
    /// event to attach. A failed flush must turn the transaction into ERROR.
    pub async fn finish(&self) -> Result<Option<Box<ChaincodeEvent>>, StubError> {
        // One await site for every final request: this future lives inside every transaction's,
        // and each site would add a whole request's state to it.
        for (ty, payload) in self.final_requests() {
            match self.request(ty, payload).await {
                Ok(_) => {}
                // The peer closes leftovers at COMPLETED anyway; a failure here is only worth a log line.
                Err(e) if ty == Type::QueryStateClose => {
                    tracing::debug!(txid = self.txid(), error = %e, "closing a dropped iterator failed");
                }
                Err(e) => return Err(e),
            }
        }
        Ok(self.event.lock().expect("event lock").take())
    }

    /// What [`finish`](Self::finish) sends, in order: QUERY_STATE_CLOSE for iterators dropped
    /// unclosed, then the buffered writes as WRITE_BATCH_STATE requests of at most the peer's
    /// batch size, and never one above the message limit.
    fn final_requests(&self) -> Vec<(Type, Vec<u8>)> {
        let closes =
            std::mem::take(&mut *self.deferred_closes.lock().expect("deferred close lock"));
        let mut requests: Vec<(Type, Vec<u8>)> = closes
            .into_iter()
            .map(|id| {
                (
                    Type::QueryStateClose,
                    QueryStateClose { id }.encode_to_vec(),
                )
            })
            .collect();
        let records = std::mem::take(&mut *self.batch.lock().expect("write batch lock"));
        let Some(chunk) = self.caps.write_batch else {
            return requests;
        };
        let batch = |rec| {
            (
                Type::WriteBatchState,
                WriteBatchState { rec }.encode_to_vec(),
            )
        };
        let mut part = Vec::new();
        let mut part_len = 0;
        for record in records.into_values() {
            let len = batch_entry_len(&record);
            if !part.is_empty()
                && (part.len() == chunk
                    || self.message_size(part_len + len) > self.max_message_size)
            {
                requests.push(batch(std::mem::take(&mut part)));
                part_len = 0;
            }
            part_len += len;
            part.push(record);
        }
        if !part.is_empty() {
            requests.push(batch(part));
        }
        requests
    }

    /// The encoded size of a request of this transaction carrying `payload_len` bytes.
    fn message_size(&self, payload_len: usize) -> usize {
        // The type (field 1, a small varint) takes two bytes.
        2 + field_len(payload_len) + field_len(self.txid.len()) + field_len(self.channel_id.len())
    }
}

/// Bytes a length-delimited field of `len` bytes takes (nothing when empty).
fn field_len(len: usize) -> usize {
    if len == 0 {
        0
    } else {
        1 + prost::encoding::encoded_len_varint(len as u64) + len
    }
}

/// Bytes one record adds to a WRITE_BATCH_STATE payload.
fn batch_entry_len(record: &WriteRecord) -> usize {
    let len = record.encoded_len();
    1 + prost::encoding::encoded_len_varint(len as u64) + len
}

impl TxHandle {
    /// Whether an answer of this transaction (e.g. COMPLETED) fits the stream's limit.
    pub(crate) fn max_message_size(&self) -> usize {
        self.max_message_size
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handle(
        caps: PeerCapabilities,
    ) -> (
        TxHandle,
        mpsc::UnboundedReceiver<ChaincodeMessage>,
        mpsc::UnboundedSender<ChaincodeMessage>,
    ) {
        let (out_tx, out_rx) = mpsc::unbounded_channel();
        let (reply_tx, reply_rx) = mpsc::unbounded_channel();
        (
            TxHandle::new("ch", "tx1", out_tx, reply_rx, caps),
            out_rx,
            reply_tx,
        )
    }

    fn reply(ty: Type, payload: &[u8]) -> ChaincodeMessage {
        ChaincodeMessage {
            r#type: ty as i32,
            payload: payload.to_vec(),
            txid: "tx1".into(),
            channel_id: "ch".into(),
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn request_returns_response_payload_and_peer_errors() {
        let (h, mut out, replies) = handle(PeerCapabilities::default());
        replies.send(reply(Type::Response, b"100")).unwrap();
        assert_eq!(h.get_state("", "a").await.unwrap(), &b"100"[..]);
        let sent = out.recv().await.unwrap();
        assert_eq!(
            (sent.r#type, sent.txid.as_str(), sent.channel_id.as_str()),
            (Type::GetState as i32, "tx1", "ch")
        );
        replies
            .send(reply(Type::Error, b"no ledger context"))
            .unwrap();
        assert_eq!(
            h.get_state("", "a").await,
            Err(StubError::Peer("no ledger context".into()))
        );
        replies.send(reply(Type::Keepalive, b"")).unwrap();
        assert!(matches!(
            h.get_state("", "a").await,
            Err(StubError::UnexpectedReply { .. })
        ));
    }

    #[tokio::test]
    async fn a_reply_owed_to_an_abandoned_request_is_skipped() {
        let (h, mut out, replies) = handle(PeerCapabilities::default());
        // Abandon a request after it was sent, before its reply arrives.
        let abandoned =
            tokio::time::timeout(std::time::Duration::from_millis(20), h.get_state("", "a")).await;
        assert!(abandoned.is_err());
        replies.send(reply(Type::Response, b"stale")).unwrap();
        replies.send(reply(Type::Response, b"fresh")).unwrap();
        assert_eq!(h.get_state("", "b").await.unwrap(), &b"fresh"[..]);
        assert_eq!(out.recv().await.unwrap().r#type, Type::GetState as i32);
    }

    #[tokio::test]
    async fn writes_are_batched_only_when_announced() {
        let (h, mut out, replies) = handle(PeerCapabilities {
            write_batch: Some(100),
            get_multiple: None,
        });
        h.write(TxHandle::record(
            write_record::Type::PutState,
            "",
            "a",
            b"1".to_vec(),
        ))
        .await
        .unwrap();
        h.write(TxHandle::record(
            write_record::Type::PutState,
            "",
            "a",
            b"2".to_vec(),
        ))
        .await
        .unwrap();
        h.write(TxHandle::metadata_record(
            "",
            "a",
            "VALIDATION_PARAMETER",
            vec![1],
        ))
        .await
        .unwrap();
        assert!(out.try_recv().is_err(), "nothing is sent before finish");
        replies.send(reply(Type::Response, b"")).unwrap();
        h.finish().await.unwrap();
        let sent = out.recv().await.unwrap();
        assert_eq!(sent.r#type, Type::WriteBatchState as i32);
        let batch = WriteBatchState::decode(sent.payload.as_slice()).unwrap();
        assert_eq!(
            batch.rec.len(),
            2,
            "last value write wins; metadata is its own entry"
        );
        assert_eq!(batch.rec[0].value, b"2");

        let (h, mut out, replies) = handle(PeerCapabilities::default());
        replies.send(reply(Type::Response, b"")).unwrap();
        h.write(TxHandle::record(
            write_record::Type::DelState,
            "",
            "a",
            vec![],
        ))
        .await
        .unwrap();
        assert_eq!(out.recv().await.unwrap().r#type, Type::DelState as i32);
    }

    #[tokio::test]
    async fn multi_get_falls_back_to_single_reads() {
        let (h, mut out, replies) = handle(PeerCapabilities::default());
        replies.send(reply(Type::Response, b"1")).unwrap();
        replies.send(reply(Type::Response, b"")).unwrap();
        assert_eq!(
            h.get_state_multiple("", &["a", "b"]).await.unwrap(),
            vec![b"1".to_vec(), vec![]]
        );
        assert_eq!(out.recv().await.unwrap().r#type, Type::GetState as i32);

        let (h, mut out, replies) = handle(PeerCapabilities {
            write_batch: None,
            get_multiple: Some(100),
        });
        let result = fabric_contract_proto::protos::GetStateMultipleResult {
            values: vec![b"1".to_vec(), vec![]],
        };
        replies
            .send(reply(Type::Response, &result.encode_to_vec()))
            .unwrap();
        assert_eq!(
            h.get_state_multiple("", &["a", "b"]).await.unwrap(),
            vec![b"1".to_vec(), vec![]]
        );
        assert_eq!(
            out.recv().await.unwrap().r#type,
            Type::GetStateMultiple as i32
        );
    }

    #[test]
    fn capabilities_from_ready() {
        let both = ChaincodeAdditionalParams {
            use_write_batch: true,
            max_size_write_batch: 1000,
            use_get_multiple_keys: true,
            max_size_get_multiple_keys: 10,
        };
        let caps = PeerCapabilities::from_ready_payload(&both.encode_to_vec());
        assert_eq!(
            caps,
            PeerCapabilities {
                write_batch: Some(1000),
                get_multiple: Some(100)
            }
        );
        let off = ChaincodeAdditionalParams {
            max_size_write_batch: 1000,
            max_size_get_multiple_keys: 1000,
            ..Default::default()
        };
        assert_eq!(
            PeerCapabilities::from_ready_payload(&off.encode_to_vec()),
            PeerCapabilities::default()
        );
        assert_eq!(
            PeerCapabilities::from_ready_payload(&[0xff]),
            PeerCapabilities::default()
        );
    }
}
