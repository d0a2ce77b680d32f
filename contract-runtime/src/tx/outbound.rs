//! The stream's outbound queue, bounded in bytes.
//!
//! Every sender (handshake, router, transactions) queues here and the
//! transport is the single reader. Each queued message holds permits worth its
//! encoded size until the reader takes it, so when the peer stops reading,
//! senders wait instead of buffering without bound; a message larger than the
//! whole budget waits for the queue to empty and then passes alone.
//!
//! What is queued is an [`Outgoing`] message: `ChaincodeMessage`'s wire layout with the fields a
//! chaincode sends, its ids shared with the transaction instead of copied into every message.

use std::sync::Arc;

use fabric_contract_proto::protos::{ChaincodeEvent, ChaincodeMessage, Response};
use fabric_contract_proto::{Message, Timestamp};
use futures_core::Stream;
use futures_util::future::{BoxFuture, Either, Ready, ready};
use prost::DecodeError;
use prost::bytes::Bytes;
use prost::bytes::{Buf, BufMut};
use prost::encoding::{self, DecodeContext, WireType};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, TryAcquireError, mpsc};

/// A message to the peer: a `protos.ChaincodeMessage` (Fabric's `peer/chaincode_shim.proto`) as
/// the chaincode side writes it. The ids are [`Bytes`], so every request and the final message
/// of a transaction share the ids it arrived with (a `String` field would copy both per message);
/// the proposal field is left out (a chaincode never sends one) and the rare event is boxed.
///
/// A transaction's final COMPLETED carries its [`Response`] as a message of its own, written
/// straight into the frame: `payload` is a `bytes` field, and a nested message has the same wire
/// form, so the response is neither encoded into a buffer of its own nor copied.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Outgoing {
    pub r#type: i32,
    pub timestamp: Option<Timestamp>,
    /// The payload's bytes, unless `response` is set.
    pub payload: Vec<u8>,
    /// The payload as a `protos.Response`, written in place of `payload` when set.
    pub response: Option<Response>,
    /// `string txid`: UTF-8, as every id the shim sends.
    pub txid: Bytes,
    pub chaincode_event: Option<Box<ChaincodeEvent>>,
    /// `string channel_id`: UTF-8, as every id the shim sends.
    pub channel_id: Bytes,
}

/// Field tags of `ChaincodeMessage` (Fabric's `peer/chaincode_shim.proto`).
mod tag {
    pub const TYPE: u32 = 1;
    pub const TIMESTAMP: u32 = 2;
    pub const PAYLOAD: u32 = 3;
    pub const TXID: u32 = 4;
    pub const CHAINCODE_EVENT: u32 = 6;
    pub const CHANNEL_ID: u32 = 7;
}

impl Message for Outgoing {
    fn encode_raw(&self, buf: &mut impl BufMut) {
        if self.r#type != 0 {
            encoding::int32::encode(tag::TYPE, &self.r#type, buf);
        }
        if let Some(timestamp) = &self.timestamp {
            encoding::message::encode(tag::TIMESTAMP, timestamp, buf);
        }
        match &self.response {
            Some(response) => encoding::message::encode(tag::PAYLOAD, response, buf),
            None if !self.payload.is_empty() => {
                encoding::bytes::encode(tag::PAYLOAD, &self.payload, buf);
            }
            None => {}
        }
        if !self.txid.is_empty() {
            encoding::bytes::encode(tag::TXID, &self.txid, buf);
        }
        if let Some(event) = &self.chaincode_event {
            encoding::message::encode(tag::CHAINCODE_EVENT, &**event, buf);
        }
        if !self.channel_id.is_empty() {
            encoding::bytes::encode(tag::CHANNEL_ID, &self.channel_id, buf);
        }
    }

    /// Decoding (tests only: the shim never receives this type) reads the payload as bytes.
    fn merge_field(
        &mut self,
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        ctx: DecodeContext,
    ) -> Result<(), DecodeError> {
        match tag {
            tag::TYPE => encoding::int32::merge(wire_type, &mut self.r#type, buf, ctx),
            tag::TIMESTAMP => encoding::message::merge(
                wire_type,
                self.timestamp.get_or_insert_with(Timestamp::default),
                buf,
                ctx,
            ),
            tag::PAYLOAD => encoding::bytes::merge(wire_type, &mut self.payload, buf, ctx),
            tag::TXID => encoding::bytes::merge(wire_type, &mut self.txid, buf, ctx),
            tag::CHAINCODE_EVENT => encoding::message::merge(
                wire_type,
                &mut **self.chaincode_event.get_or_insert_with(Box::default),
                buf,
                ctx,
            ),
            tag::CHANNEL_ID => encoding::bytes::merge(wire_type, &mut self.channel_id, buf, ctx),
            _ => encoding::skip_field(wire_type, tag, buf, ctx),
        }
    }

    fn encoded_len(&self) -> usize {
        let mut len = 0;
        if self.r#type != 0 {
            len += encoding::int32::encoded_len(tag::TYPE, &self.r#type);
        }
        if let Some(timestamp) = &self.timestamp {
            len += encoding::message::encoded_len(tag::TIMESTAMP, timestamp);
        }
        match &self.response {
            Some(response) => len += encoding::message::encoded_len(tag::PAYLOAD, response),
            None if !self.payload.is_empty() => {
                len += encoding::bytes::encoded_len(tag::PAYLOAD, &self.payload);
            }
            None => {}
        }
        if !self.txid.is_empty() {
            len += encoding::bytes::encoded_len(tag::TXID, &self.txid);
        }
        if let Some(event) = &self.chaincode_event {
            len += encoding::message::encoded_len(tag::CHAINCODE_EVENT, &**event);
        }
        if !self.channel_id.is_empty() {
            len += encoding::bytes::encoded_len(tag::CHANNEL_ID, &self.channel_id);
        }
        len
    }

    fn clear(&mut self) {
        *self = Self::default();
    }
}

/// For the carriers that take generated messages: the CCaaS server's stream and in-memory
/// streams ([`crate::shim::serve_stream`]).
impl From<Outgoing> for ChaincodeMessage {
    fn from(msg: Outgoing) -> Self {
        let text = |id: Bytes| String::from_utf8_lossy(&id).into_owned();
        Self {
            r#type: msg.r#type,
            timestamp: msg.timestamp,
            payload: match msg.response {
                Some(response) => response.encode_to_vec(),
                None => msg.payload,
            },
            txid: text(msg.txid),
            proposal: None,
            chaincode_event: msg.chaincode_event.map(|event| *event),
            channel_id: text(msg.channel_id),
        }
    }
}

/// The writer's side is gone: the stream ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Closed;

/// [`Outbound::send`]'s future: already done, or a boxed wait for room in the budget.
pub(crate) type Sending = Either<Ready<Result<(), Closed>>, BoxFuture<'static, Result<(), Closed>>>;

/// A message in the queue with the budget it holds.
pub(crate) struct Queued {
    msg: Outgoing,
    _permit: Option<OwnedSemaphorePermit>,
}

/// Where a stream's messages go: a byte-bounded queue (gRPC transports), or
/// a caller's unbounded channel (in-memory streams whose reader never stalls).
#[derive(Clone)]
pub(crate) enum Outbound {
    /// No bound: the caller's channel.
    Unbounded(mpsc::UnboundedSender<ChaincodeMessage>),
    /// Bounded by a byte budget.
    Budgeted {
        tx: mpsc::UnboundedSender<Queued>,
        budget: Arc<Semaphore>,
        capacity: u32,
    },
}

impl std::fmt::Debug for Outbound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unbounded(_) => f.write_str("Outbound::Unbounded"),
            Self::Budgeted { capacity, .. } => write!(f, "Outbound::Budgeted({capacity} bytes)"),
        }
    }
}

/// The reader's side of a budgeted queue. Dropping it closes the budget, so
/// senders waiting for room fail at once instead of waiting forever.
pub(crate) struct OutboundReceiver {
    rx: mpsc::UnboundedReceiver<Queued>,
    budget: Arc<Semaphore>,
}

impl Drop for OutboundReceiver {
    fn drop(&mut self) {
        self.budget.close();
    }
}

impl Stream for OutboundReceiver {
    type Item = Outgoing;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        // Taking the message out releases its share of the budget.
        self.rx.poll_recv(cx).map(|queued| queued.map(|q| q.msg))
    }
}

/// A queue holding at most `bytes` of encoded messages (at least one message).
pub(crate) fn budgeted(bytes: usize) -> (Outbound, OutboundReceiver) {
    let capacity = u32::try_from(bytes.max(1)).unwrap_or(u32::MAX);
    let budget = Arc::new(Semaphore::new(capacity as usize));
    let (tx, rx) = mpsc::unbounded_channel();
    (
        Outbound::Budgeted {
            tx,
            budget: Arc::clone(&budget),
            capacity,
        },
        OutboundReceiver { rx, budget },
    )
}

fn enqueue(
    tx: &mpsc::UnboundedSender<Queued>,
    msg: Outgoing,
    permit: OwnedSemaphorePermit,
) -> Result<(), Closed> {
    tx.send(Queued {
        msg,
        _permit: Some(permit),
    })
    .map_err(|_| Closed)
}

impl From<mpsc::UnboundedSender<ChaincodeMessage>> for Outbound {
    fn from(tx: mpsc::UnboundedSender<ChaincodeMessage>) -> Self {
        Self::Unbounded(tx)
    }
}

impl Outbound {
    /// Queues `msg`, waiting while the queue is over its budget.
    ///
    /// Not an `async fn`: one would keep the message inside every caller's future (a
    /// transaction's among them) for as long as it might wait. The message is queued at once
    /// when the budget has room, the common case; only a wait is boxed.
    pub(crate) fn send(&self, msg: Outgoing) -> Sending {
        match self {
            Self::Unbounded(tx) => Either::Left(ready(tx.send(msg.into()).map_err(|_| Closed))),
            Self::Budgeted {
                tx,
                budget,
                capacity,
            } => {
                let cost = u32::try_from(msg.encoded_len())
                    .unwrap_or(u32::MAX)
                    .clamp(1, *capacity);
                // Fails while others wait: the semaphore hands released permits to its queue
                // first, so a message cannot overtake one that is waiting.
                match Arc::clone(budget).try_acquire_many_owned(cost) {
                    Ok(permit) => Either::Left(ready(enqueue(tx, msg, permit))),
                    Err(TryAcquireError::Closed) => Either::Left(ready(Err(Closed))),
                    Err(TryAcquireError::NoPermits) => {
                        let (tx, budget) = (tx.clone(), Arc::clone(budget));
                        Either::Right(Box::pin(async move {
                            let permit =
                                budget.acquire_many_owned(cost).await.map_err(|_| Closed)?;
                            enqueue(&tx, msg, permit)
                        }))
                    }
                }
            }
        }
    }

    /// Bytes queued and not yet taken by the reader (0 when unbounded).
    #[cfg(test)]
    pub(crate) fn queued_bytes(&self) -> usize {
        match self {
            Self::Unbounded(_) => 0,
            Self::Budgeted {
                budget, capacity, ..
            } => *capacity as usize - budget.available_permits(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt as _;

    fn msg(len: usize) -> Outgoing {
        Outgoing {
            payload: vec![b'x'; len],
            ..Default::default()
        }
    }

    /// Sends a `len`-byte message from a task of its own, to watch it wait.
    fn send_in_task(out: &Outbound, len: usize) -> tokio::task::JoinHandle<Result<(), Closed>> {
        let out = out.clone();
        tokio::spawn(async move { out.send(msg(len)).await })
    }

    #[tokio::test]
    async fn senders_wait_when_the_budget_is_used_and_resume_when_read() {
        let (out, mut rx) = budgeted(1000);
        // 300 + 3 bytes each: three fit, the fourth waits.
        for _ in 0..3 {
            out.send(msg(300)).await.unwrap();
        }
        assert_eq!(out.queued_bytes(), 909);
        let blocked = send_in_task(&out, 300);
        tokio::task::yield_now().await;
        assert!(!blocked.is_finished());
        assert!(out.queued_bytes() <= 1000);
        // A small message that would fit in what is left queues behind the waiting one.
        let small = send_in_task(&out, 10);
        tokio::task::yield_now().await;
        assert!(
            !small.is_finished(),
            "it must not overtake the waiting message"
        );
        rx.next().await.unwrap();
        blocked.await.unwrap().unwrap();
        small.await.unwrap().unwrap();
        assert_eq!(out.queued_bytes(), 909 + msg(10).encoded_len());
        let order: Vec<usize> = [
            rx.next().await,
            rx.next().await,
            rx.next().await,
            rx.next().await,
        ]
        .into_iter()
        .map(|m| m.unwrap().payload.len())
        .collect();
        assert_eq!(order, [300, 300, 300, 10]);
    }

    #[tokio::test]
    async fn an_oversized_message_passes_alone_and_a_dropped_reader_fails_senders() {
        let (out, mut rx) = budgeted(100);
        out.send(msg(10)).await.unwrap();
        let big = send_in_task(&out, 5000);
        tokio::task::yield_now().await;
        assert!(
            !big.is_finished(),
            "the big one waits for the queue to empty"
        );
        assert_eq!(rx.next().await.unwrap().payload.len(), 10);
        big.await.unwrap().unwrap();
        assert_eq!(out.queued_bytes(), 100);
        let waiting = send_in_task(&out, 1);
        tokio::task::yield_now().await;
        drop(rx);
        assert_eq!(waiting.await.unwrap(), Err(Closed));
    }
}
