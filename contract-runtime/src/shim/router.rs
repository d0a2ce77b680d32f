//! After READY: frames → transactions, keyed by (channel_id, txid).
//!
//! Each INIT/TRANSACTION becomes its own future owning a [`TxHandle`]; the
//! router keeps that handle in its table, to hand it its RESPONSE/ERROR replies. The
//! same txid may run on two channels at once (cross-channel chaincode calls),
//! hence the pair as key.
//!
//! With one worker thread (the default) the futures run inside the stream's own
//! task, in a [`FuturesUnordered`] that [`Router::run_transactions`] drives beside
//! the inbound loop: on one thread a task per transaction buys no parallelism,
//! and spawning one cost more than the rest of the routing (tokio's task cell is
//! 128-byte aligned, which glibc's allocator serves on a slow path). With more
//! worker threads each transaction is spawned, so the runtime spreads them.

use std::convert::Infallible;
use std::future::{Future, poll_fn};
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use futures_util::stream::FuturesUnordered;
use futures_util::{FutureExt, StreamExt as _};
use std::sync::{Arc, Mutex};

use fabric_contract_proto::Message;
use fabric_contract_proto::protos::{ChaincodeEvent, Response, chaincode_message::Type};

use super::Limits;
use super::fsm::type_name;
use super::messages;
use super::running::{Refused, RunningTable};
use crate::chaincode::Chaincode;
use crate::ledger::stub::Stub;
use crate::tx::inbound::Inbound;
use crate::tx::outbound::{Outbound, Outgoing};
use crate::tx::{PeerCapabilities, TxFacts, TxHandle, TxInput, Undeliverable};

type Running = Arc<Mutex<RunningTable<Arc<TxHandle>>>>;

/// The text of the response that replaces a panicked handler's.
pub(crate) const PANICKED: &str = "transaction panicked";

/// The limits a router applies to each transaction.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TxLimits {
    pub(crate) max_message_size: usize,
    pub(crate) max_in_flight: usize,
    pub(crate) transaction_timeout: Option<Duration>,
    /// Run transactions in the stream's task instead of spawning each (one worker thread).
    pub(crate) inline: bool,
}

impl From<&Limits> for TxLimits {
    fn from(limits: &Limits) -> Self {
        Self {
            max_message_size: limits.max_message_size,
            max_in_flight: limits.max_in_flight,
            transaction_timeout: limits.transaction_timeout,
            inline: limits.worker_threads <= 1,
        }
    }
}

/// One transaction, from its start to its final message being queued.
type TxFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Where transactions run.
enum Launch {
    /// Each in a task of its own, for a multi-threaded runtime to spread.
    Spawn,
    /// In the stream's task, driven by [`Router::run_transactions`].
    Inline(Mutex<Inline>),
}

#[derive(Default)]
struct Inline {
    running: FuturesUnordered<Guarded>,
    /// The task driving `running`, woken when a transaction is added.
    driver: Option<Waker>,
}

/// A transaction running inline. A panic outside the contract (which `run_transaction` catches
/// itself) must not unwind through the stream's task and end every other transaction with it:
/// it ends this one's future. A type of its own rather than a combinator, whose unnameable type
/// would have to be boxed a second time.
struct Guarded(TxFuture);

impl Future for Guarded {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let transaction = self.0.as_mut();
        match std::panic::catch_unwind(AssertUnwindSafe(|| transaction.poll(cx))) {
            Ok(poll) => poll,
            Err(_) => {
                tracing::error!(
                    "a transaction's future panicked outside the contract; it is dropped"
                );
                Poll::Ready(())
            }
        }
    }
}

pub(crate) struct Router<C> {
    chaincode: Arc<C>,
    outbound: Outbound,
    caps: PeerCapabilities,
    limits: TxLimits,
    running: Running,
    launch: Launch,
}

impl<C: Chaincode> Router<C> {
    pub(crate) fn new(
        chaincode: Arc<C>,
        outbound: Outbound,
        caps: PeerCapabilities,
        limits: TxLimits,
    ) -> Self {
        let launch = if limits.inline {
            Launch::Inline(Mutex::default())
        } else {
            Launch::Spawn
        };
        Self {
            chaincode,
            outbound,
            caps,
            limits,
            running: Running::default(),
            launch,
        }
    }

    /// Drives the transactions running inline; never finishes (the caller stops polling it when
    /// the stream ends, which drops them). Pending forever when transactions are spawned.
    pub(crate) fn run_transactions(&self) -> impl Future<Output = Infallible> + '_ {
        poll_fn(move |cx| {
            if let Launch::Inline(inline) = &self.launch {
                let mut inline = inline.lock().expect("inline transactions lock");
                // Ready(None) when none is left; Pending once every woken one has been polled.
                while let Poll::Ready(Some(())) = inline.running.poll_next_unpin(cx) {}
                if !inline
                    .driver
                    .as_ref()
                    .is_some_and(|driver| driver.will_wake(cx.waker()))
                {
                    inline.driver = Some(cx.waker().clone());
                }
            }
            Poll::Pending
        })
    }

    fn launch(&self, transaction: TxFuture) {
        match &self.launch {
            Launch::Spawn => {
                tokio::spawn(transaction);
            }
            Launch::Inline(inline) => {
                let inline = inline.lock().expect("inline transactions lock");
                inline.running.push(Guarded(transaction));
                if let Some(driver) = &inline.driver {
                    driver.wake_by_ref();
                }
            }
        }
    }

    /// Acts on one message received in state ready. Never fails: whatever
    /// the peer sends, the stream keeps serving. Waits only while the
    /// outbound queue is full, which stops reading from a peer that does not
    /// read either.
    pub(crate) async fn handle(&self, msg: Inbound) {
        match Type::from_wire(msg.r#type) {
            Some(Type::Keepalive) => self.send(msg.into()).await,
            Some(Type::Init) => self.start(msg, true).await,
            Some(Type::Transaction) => self.start(msg, false).await,
            Some(Type::Response | Type::Error) => self.route_reply(msg),
            _ => {
                let text = format!(
                    "unexpected message {} in state ready: expected INIT, TRANSACTION, RESPONSE, ERROR or KEEPALIVE",
                    type_name(msg.r#type)
                );
                self.refuse(&msg, &text).await;
            }
        }
    }

    /// Answers one message with ERROR, under the ids it came with (lossily, if they are not text).
    async fn refuse(&self, msg: &Inbound, text: &str) {
        let (channel, txid) = msg.ids_lossy();
        tracing::warn!(txid, channel, "{text}");
        self.send(messages::error(channel, txid, text)).await;
    }

    /// Transactions running now, and the capacity of their table.
    #[cfg(test)]
    pub(crate) fn in_flight(&self) -> (usize, usize) {
        let running = self.running.lock().expect("running map lock");
        (running.len(), running.capacity())
    }

    /// Forgets every running transaction, so their pending ledger calls fail
    /// with "disconnected" instead of waiting for replies that cannot come.
    pub(crate) fn shutdown(&self) {
        let running: Vec<_> = self
            .running
            .lock()
            .expect("running map lock")
            .drain()
            .collect();
        for handle in running {
            handle.close_replies();
        }
    }

    async fn send(&self, msg: Outgoing) {
        // A closed outbound means the stream is gone; the inbound side reports that.
        let _ = self.outbound.send(msg).await;
    }

    fn route_reply(&self, msg: Inbound) {
        let ty = msg.r#type;
        // Delivered under the table's lock (a push into the slot, no wait), so the handle is not
        // cloned out of it per reply.
        let delivered = {
            let running = self.running.lock().expect("running map lock");
            match running.get(&msg.channel_id, &msg.txid) {
                Some(handle) => handle.deliver(msg),
                None => Err((Undeliverable::NotRunning, msg)),
            }
        };
        if let Err((e, msg)) = delivered {
            let why = match e {
                Undeliverable::NotRunning => {
                    "it is not running (a late reply after a peer-side timeout?)"
                }
                // A peer answers one request at a time, so more is a misbehaving peer's.
                Undeliverable::Full => {
                    "it already has unread replies: the peer answers one request at a time"
                }
                Undeliverable::Closed => "it has just finished",
            };
            let (channel, txid) = msg.ids_lossy();
            tracing::warn!(
                txid,
                channel,
                "dropping a {} for a transaction: {why}",
                type_name(ty)
            );
        }
    }

    async fn start(&self, msg: Inbound, is_init: bool) {
        // Checked before admission: the running table matches replies by the ids' bytes, but the
        // transaction's own messages carry them as text.
        let (channel_bytes, txid_bytes) = match msg.ids() {
            Ok(ids) => ids,
            Err(e) => {
                let text = format!(
                    "the {}'s {} is not UTF-8: a ChaincodeMessage's ids are strings",
                    type_name(msg.r#type),
                    e.field
                );
                self.refuse(&msg, &text).await;
                return;
            }
        };
        let handle = Arc::new(TxHandle::with_limits(
            channel_bytes,
            txid_bytes,
            self.outbound.clone(),
            self.caps,
            self.limits.max_message_size,
        ));
        let (channel_bytes, txid_bytes) = handle.ids();
        let admitted = self.running.lock().expect("running map lock").admit(
            channel_bytes,
            txid_bytes,
            Arc::clone(&handle),
            self.limits.max_in_flight,
        );
        if let Err(refused) = admitted {
            let (channel_id, txid) = msg.ids_lossy();
            let text = match refused {
                Refused::Duplicate => format!(
                    "transaction {txid} is already running on channel {channel_id:?}: a second {} with the same id is refused",
                    type_name(msg.r#type)
                ),
                Refused::Full => format!(
                    "the chaincode is already running {} transactions, its limit (CHAINCODE_MAX_IN_FLIGHT): {} {txid} is refused; retry it later",
                    self.limits.max_in_flight,
                    type_name(msg.r#type),
                ),
            };
            tracing::warn!("{text}");
            self.send(error_for(&handle, &text)).await;
            return;
        }
        let stub = match prepare(msg, &handle, is_init) {
            Ok(stub) => stub,
            Err(refusal) => {
                forget(&self.running, &handle);
                self.send(*refusal).await;
                return;
            }
        };
        let chaincode = Arc::clone(&self.chaincode);
        let outbound = self.outbound.clone();
        let running = Arc::clone(&self.running);
        let timeout = self.limits.transaction_timeout;
        // Boxed once: it holds the contract's whole state machine, and a spawn moves its future
        // several times; a pointer is cheaper to move.
        self.launch(Box::pin(async move {
            // Built in each arm: a future moved into the timeout would otherwise keep a second,
            // dead slot of its size in this one.
            let run = || run_transaction(chaincode, stub, Arc::clone(&handle), is_init);
            let reply = match timeout {
                None => run().await,
                // Boxed: deadlines are off by default, and the timer would otherwise widen every
                // transaction's future by its own size.
                Some(limit) => match Box::pin(tokio::time::timeout(limit, run())).await {
                    Ok(reply) => reply,
                    Err(_) => {
                        let text = format!(
                            "the {} did not finish within its deadline of {limit:?} (CHAINCODE_TRANSACTION_TIMEOUT); \
                             it may be waiting for a ledger request the peer never answered",
                            if is_init { "INIT" } else { "TRANSACTION" },
                        );
                        tracing::warn!(
                            txid = handle.txid(),
                            channel = handle.channel_id(),
                            "{text}"
                        );
                        error_for(&handle, &text)
                    }
                },
            };
            forget(&running, &handle);
            let _ = outbound.send(reply).await;
        }));
    }
}

/// Removes a transaction from the running table. Done before its final message is queued, so the
/// peer may reuse the key at once.
fn forget(running: &Running, handle: &TxHandle) {
    let (channel, txid) = handle.ids();
    running
        .lock()
        .expect("running map lock")
        .remove(channel, txid);
}

/// ERROR for a running transaction, under the ids its handle shares.
fn error_for(handle: &TxHandle, text: &str) -> Outgoing {
    let (channel, txid) = handle.ids();
    messages::error(channel.clone(), txid.clone(), text)
}

/// COMPLETED for a running transaction, under the ids its handle shares.
fn completed_for(
    handle: &TxHandle,
    response: Response,
    event: Option<Box<ChaincodeEvent>>,
) -> Outgoing {
    let (channel, txid) = handle.ids();
    messages::completed(channel.clone(), txid.clone(), response, event)
}

/// Reads an INIT/TRANSACTION's input into its stub, or the ERROR that refuses it. The proposal is
/// kept as it came, to be read when the transaction first asks for one of its facts.
///
/// Done before the transaction's future is built, so the message is not part of that future.
fn prepare(msg: Inbound, handle: &Arc<TxHandle>, is_init: bool) -> Result<Stub, Box<Outgoing>> {
    let kind = if is_init { "INIT" } else { "TRANSACTION" };
    let input = match TxInput::read(&msg.payload) {
        Ok(input) => input,
        Err(e) => {
            let text = format!("the {kind} payload is not a valid ChaincodeInput: {e}");
            tracing::warn!(
                txid = handle.txid(),
                channel = handle.channel_id(),
                "{text}"
            );
            return Err(Box::new(error_for(handle, &text)));
        }
    };
    let facts = TxFacts::new(msg.proposal);
    Ok(Stub::new(Arc::clone(handle), input, facts, is_init))
}

/// Runs one INIT/TRANSACTION to its final message: COMPLETED or ERROR.
async fn run_transaction<C: Chaincode>(
    chaincode: Arc<C>,
    stub: Stub,
    handle: Arc<TxHandle>,
    is_init: bool,
) -> Outgoing {
    // The unwind boundary: a panic fails this transaction only. Catching it in
    // place (instead of in a task of its own) saves a spawn per transaction.
    let run = async {
        if is_init {
            chaincode.init(&stub).await
        } else {
            chaincode.invoke(&stub).await
        }
    };
    let mut response = match AssertUnwindSafe(run).catch_unwind().await {
        Ok(response) => response,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a non-string panic payload".into());
            tracing::error!(txid = handle.txid(), channel = handle.channel_id(), panic = %what, "the chaincode panicked; answering status 500 for this transaction only");
            return completed_for(&handle, Response::error(PANICKED), None);
        }
    };
    // The contract asked for a fact of a proposal that could not be read, and ran on empty facts.
    if let Some(e) = stub.proposal_failure() {
        tracing::warn!(txid = handle.txid(), channel = handle.channel_id(), error = %e, "failing a transaction whose proposal could not be read");
        return error_for(&handle, &e.to_string());
    }
    if response.status == 0 {
        // Status 0 would be endorsed by the peer but rejected by the Gateway.
        tracing::warn!(
            txid = handle.txid(),
            channel = handle.channel_id(),
            "the chaincode returned status 0; sending 500"
        );
        response.status = 500;
        response.message = if response.message.is_empty() {
            "the chaincode returned a response without a status (0); expected e.g. 200 for success"
                .into()
        } else {
            format!(
                "the chaincode returned a response without a status (0); expected e.g. 200 for success; its message: {}",
                response.message
            )
        };
    }
    match handle.finish().await {
        Ok(event) => {
            let done = completed_for(&handle, response, event);
            let size = done.encoded_len();
            let limit = handle.max_message_size();
            if size <= limit {
                return done;
            }
            // The transport would reset the whole stream over it: fail this transaction only.
            let text = format!(
                "the transaction's response is {size} bytes once encoded, above the peer's message limit of {limit} bytes \
                 (CHAINCODE_MAX_MESSAGE_SIZE; the peer's default is 100 MiB): return less"
            );
            tracing::warn!(
                txid = handle.txid(),
                channel = handle.channel_id(),
                "{text}"
            );
            completed_for(&handle, Response::error(text), None)
        }
        Err(e) => {
            let text = format!("finishing the transaction failed: {e}");
            tracing::warn!(
                txid = handle.txid(),
                channel = handle.channel_id(),
                "{text}"
            );
            error_for(&handle, &text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chaincode::Response as CcResponse;
    use crate::ledger::LedgerRead;
    use crate::tx::outbound::{self, OutboundReceiver};
    use fabric_contract_proto::protos::{ChaincodeInput, ChaincodeMessage};
    use prost::bytes::Bytes;

    /// `wait`: one GET_STATE, answered by the test; anything else: echoes
    /// its second argument.
    struct Cc;

    impl Chaincode for Cc {
        async fn init(&self, _: &Stub) -> CcResponse {
            CcResponse::success(Vec::new())
        }

        async fn invoke(&self, stub: &Stub) -> CcResponse {
            if stub.args()[0] == b"wait" {
                return match stub.get_state("k").await {
                    Ok(v) => CcResponse::success(v.unwrap_or_default()),
                    Err(e) => CcResponse::error(e.to_string()),
                };
            }
            CcResponse::success(stub.args()[1].clone())
        }
    }

    fn tx(txid: &str, args: &[&[u8]]) -> ChaincodeMessage {
        ChaincodeMessage {
            r#type: Type::Transaction as i32,
            payload: ChaincodeInput {
                args: args.iter().map(|a| a.to_vec()).collect(),
                ..Default::default()
            }
            .encode_to_vec(),
            txid: txid.into(),
            channel_id: "ch".into(),
            ..Default::default()
        }
    }

    /// A router, and for inline transactions a task driving them as the stream's loop does.
    /// What the router sends, read back as the peer decodes it.
    type Sent = futures_util::stream::Map<OutboundReceiver, fn(Outgoing) -> ChaincodeMessage>;

    /// A router, and for inline transactions a task driving them as the stream's loop does.
    fn router(limits: TxLimits, queue: usize) -> (Arc<Router<Cc>>, Outbound, Sent) {
        let (out, rx) = outbound::budgeted(queue);
        let router = Arc::new(Router::new(
            Arc::new(Cc),
            out.clone(),
            PeerCapabilities::default(),
            limits,
        ));
        if limits.inline {
            let driver = Arc::clone(&router);
            tokio::spawn(async move { driver.run_transactions().await });
        }
        let decoded: fn(Outgoing) -> ChaincodeMessage = ChaincodeMessage::from;
        (router, out, rx.map(decoded))
    }

    const LIMITS: TxLimits = TxLimits {
        max_message_size: crate::shim::DEFAULT_MAX_MESSAGE_SIZE,
        max_in_flight: 3,
        transaction_timeout: None,
        inline: true,
    };

    #[tokio::test]
    async fn transactions_beyond_the_in_flight_cap_are_refused_naming_it() {
        let (router, _out, mut rx) = router(LIMITS, 1 << 20);
        for i in 0..10 {
            router
                .handle(Inbound::from(tx(&format!("t{i}"), &[b"wait"])))
                .await;
            assert!(router.in_flight().0 <= 3);
        }
        let mut gets = Vec::new();
        let mut refused = 0;
        for _ in 0..10 {
            let msg = rx.next().await.unwrap();
            match Type::from_wire(msg.r#type) {
                Some(Type::GetState) => gets.push(msg),
                Some(Type::Error) => {
                    let text = String::from_utf8(msg.payload).unwrap();
                    assert!(text.contains("CHAINCODE_MAX_IN_FLIGHT"), "{text}");
                    assert!(text.contains("already running 3 transactions"), "{text}");
                    refused += 1;
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!((gets.len(), refused), (3, 7));
        // Answering one frees a slot for the next transaction.
        let answer = ChaincodeMessage {
            r#type: Type::Response as i32,
            payload: b"v".to_vec(),
            ..gets[0].clone()
        };
        router.handle(Inbound::from(answer)).await;
        let done = rx.next().await.unwrap();
        assert_eq!(done.r#type, Type::Completed as i32);
        assert_eq!(router.in_flight().0, 2);
        router.handle(Inbound::from(tx("t10", &[b"wait"]))).await;
        assert_eq!(rx.next().await.unwrap().r#type, Type::GetState as i32);
    }

    /// The peer's messages are read as frames whose ids are bytes: a TRANSACTION whose txid is
    /// not UTF-8 is answered with ERROR (under its id, lossily) and the stream goes on; a reply
    /// with such an id matches no transaction and is dropped.
    #[tokio::test]
    async fn ids_that_are_not_utf8_fail_that_message_only() {
        let (router, _out, mut rx) = router(LIMITS, 1 << 20);
        let mut bad = Inbound::from(tx("t1", &[b"echo", b"x"]));
        bad.txid = Bytes::from_static(b"t\xff1");
        router.handle(bad.clone()).await;
        let refused = rx.next().await.unwrap();
        assert_eq!(refused.r#type, Type::Error as i32);
        assert_eq!(refused.txid, "t\u{fffd}1");
        let text = String::from_utf8(refused.payload).unwrap();
        assert!(text.contains("txid is not UTF-8"), "{text}");
        assert_eq!(router.in_flight().0, 0);

        router.handle(Inbound::from(tx("t2", &[b"wait"]))).await;
        let get = rx.next().await.unwrap();
        assert_eq!(get.r#type, Type::GetState as i32);
        let mut stray = Inbound::from(ChaincodeMessage {
            r#type: Type::Response as i32,
            ..get.clone()
        });
        stray.txid = bad.txid;
        router.handle(stray).await;
        assert_eq!(router.in_flight().0, 1, "the stray reply reached nobody");
        let answer = ChaincodeMessage {
            r#type: Type::Response as i32,
            payload: b"v".to_vec(),
            ..get
        };
        router.handle(Inbound::from(answer)).await;
        let done = rx.next().await.unwrap();
        assert_eq!(
            (done.r#type, done.txid.as_str()),
            (Type::Completed as i32, "t2")
        );
    }

    #[tokio::test]
    async fn an_inline_transaction_panicking_outside_the_contract_leaves_the_others_running() {
        let (router, _out, mut rx) = router(LIMITS, 1 << 20);
        router.handle(Inbound::from(tx("t1", &[b"wait"]))).await;
        assert_eq!(rx.next().await.unwrap().r#type, Type::GetState as i32);
        router.launch(Box::pin(async { panic!("a bug in the framework") }));
        router
            .handle(Inbound::from(tx("t2", &[b"echo", b"still here"])))
            .await;
        let done = rx.next().await.unwrap();
        assert_eq!(
            (done.r#type, done.txid.as_str()),
            (Type::Completed as i32, "t2")
        );
        assert_eq!(router.in_flight().0, 1, "t1 still waits for its reply");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_peer_that_stops_reading_fills_the_queue_to_its_budget_and_no_further() {
        const BUDGET: usize = 4096;
        // Spawned transactions, as with several worker threads (the other tests run them inline).
        let limits = TxLimits {
            max_in_flight: 64,
            inline: false,
            ..LIMITS
        };
        let (router, out, mut rx) = router(limits, BUDGET);
        let arg = vec![b'x'; 500];
        // 200 transactions, each answering ~520 bytes; the peer reads nothing.
        let feeder = tokio::spawn({
            let router = Arc::clone(&router);
            let arg = arg.clone();
            async move {
                for i in 0..200 {
                    router
                        .handle(Inbound::from(tx(&format!("t{i}"), &[b"echo", &arg])))
                        .await;
                }
                // The read loop now waits as well: a KEEPALIVE cannot be echoed.
                router.handle(Inbound::from(bare(Type::Keepalive))).await;
            }
        });
        // Until the queue is full (a generous bound for slow machines), and a while after.
        let mut full_for = 0;
        for _ in 0..2000 {
            tokio::time::sleep(Duration::from_millis(5)).await;
            let (running, _) = router.in_flight();
            assert!(running <= 64, "{running} transactions in flight");
            let queued = out.queued_bytes();
            assert!(queued <= BUDGET, "{queued} bytes queued");
            if queued > BUDGET - 600 {
                full_for += 1;
                if full_for == 20 {
                    break;
                }
            }
        }
        assert_eq!(full_for, 20, "the queue never filled up to its budget");
        assert!(
            !feeder.is_finished(),
            "the reader is held back while the peer does not read"
        );
        // The peer reads again: every transaction is answered, nothing was lost.
        let mut completed = 0;
        let mut refused = 0;
        while completed + refused < 200 {
            let msg = rx.next().await.unwrap();
            match Type::from_wire(msg.r#type) {
                Some(Type::Completed) => completed += 1,
                Some(Type::Error) => refused += 1,
                Some(Type::Keepalive) => {}
                other => panic!("unexpected {other:?}"),
            }
            assert!(out.queued_bytes() <= BUDGET);
        }
        feeder.await.unwrap();
        assert_eq!(completed + refused, 200);
        assert!(completed >= 64, "{completed} completed, {refused} refused");
        // The flood's peak-sized table is given back.
        tokio::task::yield_now().await;
        let (running, capacity) = router.in_flight();
        assert_eq!(running, 0);
        assert!(capacity <= 64, "the running table kept {capacity} slots");
    }

    fn bare(ty: Type) -> ChaincodeMessage {
        ChaincodeMessage {
            r#type: ty as i32,
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn an_unanswered_request_fails_the_transaction_at_its_deadline() {
        let limits = TxLimits {
            transaction_timeout: Some(Duration::from_millis(50)),
            ..LIMITS
        };
        let (router, _out, mut rx) = router(limits, 1 << 20);
        router.handle(Inbound::from(tx("t1", &[b"wait"]))).await;
        assert_eq!(rx.next().await.unwrap().r#type, Type::GetState as i32);
        // The peer never answers.
        let end = rx.next().await.unwrap();
        assert_eq!(end.r#type, Type::Error as i32, "{end:?}");
        let text = String::from_utf8(end.payload).unwrap();
        assert!(text.contains("deadline of 50ms"), "{text}");
        assert!(text.contains("CHAINCODE_TRANSACTION_TIMEOUT"), "{text}");
        assert_eq!(router.in_flight().0, 0);
        // A late answer is dropped, and the stream serves on.
        let late = ChaincodeMessage {
            r#type: Type::Response as i32,
            txid: "t1".into(),
            channel_id: "ch".into(),
            ..Default::default()
        };
        router.handle(Inbound::from(late)).await;
        router
            .handle(Inbound::from(tx("t2", &[b"echo", b"ok"])))
            .await;
        let done = rx.next().await.unwrap();
        assert_eq!(done.r#type, Type::Completed as i32);
    }

    #[tokio::test]
    async fn a_response_above_the_message_limit_fails_only_its_transaction() {
        let limits = TxLimits {
            max_message_size: 10_000,
            ..LIMITS
        };
        let (router, _out, mut rx) = router(limits, 1 << 20);
        router
            .handle(Inbound::from(tx("big", &[b"echo", &[1u8; 20_000]])))
            .await;
        router
            .handle(Inbound::from(tx("small", &[b"echo", b"ok"])))
            .await;
        let mut seen = BTreeMap::new();
        for _ in 0..2 {
            let msg = rx.next().await.unwrap();
            assert_eq!(msg.r#type, Type::Completed as i32);
            seen.insert(
                msg.txid.clone(),
                Response::decode(msg.payload.as_slice()).unwrap(),
            );
        }
        let big = &seen["big"];
        assert_eq!(big.status, 500);
        assert!(
            big.message
                .contains("above the peer's message limit of 10000 bytes"),
            "{}",
            big.message
        );
        assert!(big.payload.is_empty());
        assert_eq!(seen["small"].payload, b"ok");
    }

    use std::collections::BTreeMap;
}
