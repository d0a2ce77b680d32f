//! The emulated peer: the peer's side of the chaincode stream, backed by the
//! in-memory [`Ledger`]. It follows Fabric's own peer: registration and
//! message handling as in hyperledger/fabric `core/chaincode/handler.go`,
//! invocation checks and execution as in `core/chaincode/chaincode_support.go`.
//!
//! A chaincode connects over loopback gRPC ([`EmulatedPeer::serve_tcp`]), is
//! dialled as a service ([`EmulatedPeer::connect_ccaas`]) or is attached in
//! memory ([`EmulatedPeer::attach`]); all three feed the same handler. Tests
//! then run transactions with [`EmulatedPeer::invoke`] (endorse, then commit
//! when submitted and status < 400) or [`EmulatedPeer::endorse`] +
//! [`EmulatedPeer::commit`] to observe MVCC conflicts.
//!
//! Deliberate choices where the real peer is unhelpful for tests:
//! - A second request sent while one is outstanding for the same transaction
//!   is dropped silently by a real peer (the shim then hangs). In strict mode
//!   (the default) the emulator answers it with ERROR instead so the test fails
//!   fast; in both modes it is counted ([`EmulatedPeer::concurrent_request_violations`]).
//! - Every wait is bounded by the execute timeout (30 s by default), which
//!   turns a silent shim into [`PeerError::Timeout`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), fabric_emulated_peer::peer::PeerError> {
//! use fabric_emulated_peer::peer::{ChaincodeDefinition, EmulatedPeer, Invocation, PeerOptions};
//!
//! let peer = EmulatedPeer::new(PeerOptions::default().chaincode(ChaincodeDefinition::new("basic")));
//! let addr = peer.serve_tcp("127.0.0.1:0").await?;
//! // ... start the chaincode with peer address `addr` and id "basic" ...
//! peer.wait_registered("basic", std::time::Duration::from_secs(10)).await?;
//! let out = peer.invoke(Invocation::submit("basic", ["CreateAsset", "a1"])).await?;
//! assert_eq!(out.response.status, 200);
//! # Ok(()) }
//! ```
//!
//! Inside, one job per module: `profile` (what each Fabric version accepts),
//! `options` (definitions and switches), `transport` (TCP, CCaaS, in memory),
//! `dispatch` (registration and frame routing), `executor` (one chaincode run
//! for one transaction), `requests` (serving ledger requests from the
//! simulation), `client` (endorse, commit, invoke).

mod client;
mod dispatch;
mod error;
mod executor;
mod members;
mod options;
mod profile;
mod requests;
mod transport;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

pub use client::{Endorsement, Invocation, TxKind, TxOutcome};
pub use dispatch::Registration;
pub use error::PeerError;
pub use members::{CollectionAccess, CollectionConfigError};
pub use options::{ChaincodeDefinition, PeerOptions};
pub use profile::{FabricVersion, RuntimeParams};
pub use transport::Attached;

use self::dispatch::Handler;
use crate::ledger::Ledger;

/// The reserved key a peer writes on INIT for init-required chaincode.
pub const INIT_KEY: &str = "\u{0}\u{10FFFF}initialized";

#[derive(Debug)]
struct PeerInner {
    options: PeerOptions,
    ledger: Ledger,
    handlers: Mutex<BTreeMap<String, Arc<Handler>>>,
    registrations: Mutex<Vec<Registration>>,
    terminations: Mutex<Vec<String>>,
    changed: Notify,
    violations: AtomicUsize,
    iterator_ids: AtomicU64,
    requests: Mutex<BTreeMap<&'static str, usize>>,
}

/// The emulated peer (cheap to clone; clones share state).
#[derive(Debug, Clone)]
pub struct EmulatedPeer {
    inner: Arc<PeerInner>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl EmulatedPeer {
    /// A peer with its own empty ledger.
    pub fn new(options: PeerOptions) -> Self {
        let ledger = Ledger::with_total_query_limit(options.total_query_limit);
        Self::with_ledger(options, ledger)
    }

    /// A peer over an existing ledger (e.g. shared with the direct harness).
    pub fn with_ledger(options: PeerOptions, ledger: Ledger) -> Self {
        Self {
            inner: Arc::new(PeerInner {
                options,
                ledger,
                handlers: Mutex::new(BTreeMap::new()),
                registrations: Mutex::new(Vec::new()),
                terminations: Mutex::new(Vec::new()),
                changed: Notify::new(),
                violations: AtomicUsize::new(0),
                iterator_ids: AtomicU64::new(1),
                requests: Mutex::new(BTreeMap::new()),
            }),
        }
    }

    /// The ledger behind the peer.
    pub fn ledger(&self) -> &Ledger {
        &self.inner.ledger
    }

    /// The options the peer runs with.
    pub fn options(&self) -> &PeerOptions {
        &self.inner.options
    }

    /// Every registration attempt so far, in order.
    pub fn registrations(&self) -> Vec<Registration> {
        lock(&self.inner.registrations).clone()
    }

    /// Why streams were ended by the peer (protocol violations), in order.
    pub fn stream_terminations(&self) -> Vec<String> {
        lock(&self.inner.terminations).clone()
    }

    /// How many requests of each type chaincode sent during transactions
    /// (`GET_STATE`, `WRITE_BATCH_STATE`, …), so tests can see what a shim used.
    pub fn request_counts(&self) -> BTreeMap<&'static str, usize> {
        lock(&self.inner.requests).clone()
    }

    /// How many requests arrived while another was outstanding for the same transaction.
    pub fn concurrent_request_violations(&self) -> usize {
        self.inner.violations.load(Ordering::SeqCst)
    }

    /// Whether a chaincode is registered under `id` right now.
    pub fn is_registered(&self, id: &str) -> bool {
        lock(&self.inner.handlers).contains_key(id)
    }

    /// Waits until a chaincode is registered (READY sent) under `id`.
    pub async fn wait_registered(&self, id: &str, timeout: Duration) -> Result<(), PeerError> {
        let deadline = Instant::now() + timeout;
        loop {
            let notified = self.inner.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.is_registered(id) {
                return Ok(());
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return Err(PeerError::NotRegistered(id.to_string()));
            }
        }
    }
}
