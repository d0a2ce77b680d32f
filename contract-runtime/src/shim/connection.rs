//! Drives one stream of `ChaincodeMessage`s, whatever carries it: the gRPC
//! stream of either launch mode, or an in-memory duplex in tests.
//!
//! The outbound half is a queue whose reader is the stream's single writer;
//! every sender (handshake, router, transactions) only queues. Over gRPC the
//! queue is bounded in bytes ([`Limits::outbound_queue_bytes`]).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use futures_core::Stream;
use futures_util::StreamExt as _;
use tokio::time::Instant;

use super::fsm::{self, State, Step};
use super::messages;
use super::router::Router;
use super::{Limits, ShimError};
use crate::chaincode::Chaincode;
use crate::tx::PeerCapabilities;
use crate::tx::inbound::Inbound;
use crate::tx::outbound::Outbound;

/// How long a stream that failed its handshake waits for the peer to read
/// the ERROR before giving up on the stream.
const ERROR_FLUSH_GRACE: Duration = Duration::from_secs(1);

/// Who to register as, and how long the handshake may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// The name sent in REGISTER.
    pub chaincode_id: String,
    /// Limit on REGISTER → READY.
    pub handshake_timeout: Duration,
    /// Limits applied to the stream's transactions.
    pub limits: Limits,
}

impl Registration {
    /// Registers as `chaincode_id` with the default handshake timeout.
    ///
    /// ```
    /// let r = fabric_contract::shim::Registration::new("basic:1.0");
    /// assert_eq!(r.handshake_timeout, fabric_contract::shim::DEFAULT_HANDSHAKE_TIMEOUT);
    /// ```
    pub fn new(chaincode_id: impl Into<String>) -> Self {
        Self {
            chaincode_id: chaincode_id.into(),
            handshake_timeout: super::DEFAULT_HANDSHAKE_TIMEOUT,
            limits: Limits::default(),
        }
    }
}

/// Runs the handshake, then serves transactions until the stream ends.
///
/// `register_sent` is true when the caller already queued REGISTER (client
/// mode must, before the peer answers the call at all). The handshake must
/// reach READY by `deadline`. Client mode reads [`Inbound`] frames straight off the wire; the
/// other carriers hand over decoded `ChaincodeMessage`s, whose buffers the frame takes over.
pub(crate) async fn drive<C, S, M, E>(
    chaincode: Arc<C>,
    registration: &Registration,
    deadline: Instant,
    inbound: S,
    outbound: Outbound,
    register_sent: bool,
) -> Result<Infallible, ShimError>
where
    C: Chaincode,
    S: Stream<Item = Result<M, E>> + Unpin,
    M: Into<Inbound>,
    E: std::fmt::Display,
{
    let mut inbound = inbound.map(|next| next.map(Into::into));
    if !register_sent {
        let _ = outbound
            .send(messages::register(&registration.chaincode_id))
            .await;
    }
    let mut state = State::Created;
    let caps = loop {
        let next = match tokio::time::timeout_at(deadline, inbound.next()).await {
            Ok(next) => next,
            Err(_) => {
                return Err(ShimError::HandshakeTimeout {
                    chaincode_id: registration.chaincode_id.clone(),
                    timeout: registration.handshake_timeout,
                    state,
                });
            }
        };
        let msg: Inbound = match next {
            Some(Ok(msg)) => msg,
            Some(Err(e)) => {
                return Err(ShimError::StreamFailed {
                    state,
                    reason: e.to_string(),
                });
            }
            None => return Err(ShimError::StreamEnded { state }),
        };
        match fsm::step(state, msg.r#type) {
            Step::Echo => {
                let _ = outbound.send(msg.into()).await;
            }
            Step::Advance(State::Ready) => {
                break PeerCapabilities::from_ready_payload(&msg.payload);
            }
            Step::Advance(next) => state = next,
            Step::Unexpected { expected } => {
                let err = ShimError::Handshake {
                    state,
                    got: fsm::type_name(msg.r#type),
                    expected,
                };
                let (_, txid) = msg.ids_lossy();
                let _ = outbound
                    .send(messages::error("", txid, &err.to_string()))
                    .await;
                drop(outbound);
                // Give the writer a moment to deliver the ERROR before the caller tears down.
                let _ = tokio::time::timeout(ERROR_FLUSH_GRACE, async {
                    while inbound.next().await.is_some() {}
                })
                .await;
                return Err(err);
            }
        }
    };
    tracing::info!(
        chaincode_id = %registration.chaincode_id,
        write_batch = ?caps.write_batch,
        get_multiple = ?caps.get_multiple,
        "registered with the peer; serving transactions"
    );
    let router = Router::new(chaincode, outbound, caps, (&registration.limits).into());
    let serve = async {
        loop {
            match inbound.next().await {
                Some(Ok(msg)) => router.handle(msg).await,
                Some(Err(e)) => {
                    break ShimError::StreamFailed {
                        state: State::Ready,
                        reason: e.to_string(),
                    };
                }
                None => {
                    break ShimError::StreamEnded {
                        state: State::Ready,
                    };
                }
            }
        }
    };
    // Inbound first: a burst of messages is read (and its transactions started) before the
    // transactions run, which they then do in one pass.
    let end = tokio::select! {
        biased;
        end = serve => end,
        never = router.run_transactions() => match never {},
    };
    router.shutdown();
    Err(end)
}
