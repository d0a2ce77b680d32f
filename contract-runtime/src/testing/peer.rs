//! The emulated peer: the peer's side of the chaincode stream (protocol.md
//! §3.2, §4, §5, §10), backed by the in-memory [`Ledger`].
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
//! # async fn demo() -> Result<(), fabric_contract::testing::peer::PeerError> {
//! use fabric_contract::testing::peer::{ChaincodeDefinition, EmulatedPeer, Invocation, PeerOptions};
//!
//! let peer = EmulatedPeer::new(PeerOptions::default().chaincode(ChaincodeDefinition::new("basic")));
//! let addr = peer.serve_tcp("127.0.0.1:0").await?;
//! // ... start the chaincode with peer address `addr` and id "basic" ...
//! peer.wait_registered("basic", std::time::Duration::from_secs(10)).await?;
//! let out = peer.invoke(Invocation::submit("basic", ["CreateAsset", "a1"])).await?;
//! assert_eq!(out.response.status, 200);
//! # Ok(()) }
//! ```

mod members;
mod requests;
mod transport;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use fabric_contract_proto::protos::chaincode_message::Type;
use fabric_contract_proto::protos::{
    ChaincodeAdditionalParams, ChaincodeEvent, ChaincodeId, ChaincodeInput, ChaincodeMessage,
    ChaincodeSpec, Response, SignedProposal,
};
use fabric_contract_proto::{Message, Timestamp};
use futures_util::{Stream, StreamExt};
use tokio::sync::{Notify, mpsc};
use tokio::time::Instant;

pub use members::{CollectionAccess, CollectionConfigError};
pub use transport::Attached;

use self::requests::Scope;
use super::ledger::{CommitError, Ledger, Simulation, Write};
use super::proposal::{ProposalSpec, serialized_identity};

/// The reserved key a peer writes on INIT for init-required chaincode.
pub const INIT_KEY: &str = "\u{0}\u{10FFFF}initialized";

/// The Fabric release whose peer is emulated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FabricVersion {
    /// 2.2 LTS: no PURGE_PRIVATE_DATA; empty READY.
    V2_2,
    /// 2.5 LTS: PURGE_PRIVATE_DATA; empty READY.
    V2_5,
    /// 3.0: as 2.5.
    V3_0,
    /// 3.1+: WRITE_BATCH_STATE, GET_STATE_MULTIPLE, READY with capabilities.
    V3_1,
}

impl FabricVersion {
    /// Whether this peer version knows the message type (unknown ones end the
    /// stream on a real peer).
    pub fn knows(self, ty: Type) -> bool {
        match ty {
            Type::Undefined => false,
            Type::PurgePrivateData => self >= FabricVersion::V2_5,
            Type::WriteBatchState | Type::GetStateMultiple => self >= FabricVersion::V3_1,
            _ => true,
        }
    }
}

/// `chaincode.runtimeParams` of a 3.1+ peer, announced in READY.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuntimeParams {
    /// Whether shims may send WRITE_BATCH_STATE.
    pub use_write_batch: bool,
    /// Announced batch size (0 falls back to 1000, as on the peer).
    pub max_size_write_batch: u32,
    /// Whether shims may send GET_STATE_MULTIPLE.
    pub use_get_multiple_keys: bool,
    /// Announced multi-get size (0 falls back to 1000).
    pub max_size_get_multiple_keys: u32,
}

impl Default for RuntimeParams {
    /// The sample `core.yaml`: both features on, sizes 1000.
    fn default() -> Self {
        Self {
            use_write_batch: true,
            max_size_write_batch: 1000,
            use_get_multiple_keys: true,
            max_size_get_multiple_keys: 1000,
        }
    }
}

/// A chaincode definition committed on the emulated channels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChaincodeDefinition {
    /// Chaincode name = ledger namespace, used by invocations.
    pub name: String,
    /// Definition version (the value of the init marker).
    pub version: String,
    /// The id the chaincode must REGISTER with (package id, or `name:version`
    /// in dev mode); defaults to `name`.
    pub registration_id: String,
    /// Whether the first invocation of this version must be an init.
    pub init_required: bool,
    /// Private data collections defined for the chaincode.
    pub collections: BTreeSet<String>,
    /// Member-only read/write rules of collections (none: every caller may read and write).
    pub collection_access: BTreeMap<String, CollectionAccess>,
}

impl ChaincodeDefinition {
    /// Version "1.0", registered as `name`, no init, no collections.
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_string(),
            version: "1.0".into(),
            registration_id: name.to_string(),
            init_required: false,
            collections: BTreeSet::new(),
            collection_access: BTreeMap::new(),
        }
    }

    /// Sets the definition version.
    pub fn version(mut self, version: &str) -> Self {
        self.version = version.to_string();
        self
    }

    /// Sets the id expected in REGISTER.
    pub fn registration_id(mut self, id: &str) -> Self {
        self.registration_id = id.to_string();
        self
    }

    /// Requires an init invocation first.
    pub fn init_required(mut self, required: bool) -> Self {
        self.init_required = required;
        self
    }

    /// Defines a private data collection.
    pub fn collection(mut self, name: &str) -> Self {
        self.collections.insert(name.to_string());
        self
    }

    /// Defines a private data collection with member-only read/write rules.
    pub fn collection_access(mut self, name: &str, access: CollectionAccess) -> Self {
        self.collections.insert(name.to_string());
        self.collection_access.insert(name.to_string(), access);
        self
    }

    /// Defines the collections of a collection configuration file (`collections_config.json`,
    /// as passed to `peer lifecycle chaincode approveformyorg --collections-config`), with their
    /// member organisations and `memberOnlyRead` / `memberOnlyWrite` rules.
    pub fn collections_config(mut self, json: &str) -> Result<Self, CollectionConfigError> {
        for (name, access) in members::parse_config(json)? {
            self = self.collection_access(&name, access);
        }
        Ok(self)
    }
}

/// How the emulated peer behaves.
#[derive(Debug, Clone)]
pub struct PeerOptions {
    /// Emulated Fabric version (default 2.5).
    pub version: FabricVersion,
    /// READY capabilities for [`FabricVersion::V3_1`].
    pub runtime_params: RuntimeParams,
    /// End the stream on unknown message types and answer concurrent requests
    /// with ERROR (default true).
    pub strict: bool,
    /// Send KEEPALIVE at this interval in every state (default off).
    pub keepalive: Option<Duration>,
    /// `ledger.state.totalQueryLimit` for a ledger the peer creates.
    pub total_query_limit: usize,
    /// Channels that exist (default `["mychannel"]`; the first is the default).
    pub channels: Vec<String>,
    /// Committed chaincode definitions by name.
    pub chaincodes: BTreeMap<String, ChaincodeDefinition>,
    /// Accept registrations under any id (the peer's dev mode).
    pub dev_mode: bool,
    /// The peer's MSP id, also the default creator's.
    pub msp_id: String,
    /// Bound on every wait for the chaincode (Fabric's `executetimeout`).
    pub execute_timeout: Duration,
}

impl Default for PeerOptions {
    fn default() -> Self {
        Self {
            version: FabricVersion::V2_5,
            runtime_params: RuntimeParams::default(),
            strict: true,
            keepalive: None,
            total_query_limit: super::ledger::DEFAULT_TOTAL_QUERY_LIMIT,
            channels: vec!["mychannel".into()],
            chaincodes: BTreeMap::new(),
            dev_mode: false,
            msp_id: "Org1MSP".into(),
            execute_timeout: Duration::from_secs(30),
        }
    }
}

impl PeerOptions {
    /// Sets the Fabric version.
    pub fn fabric(mut self, version: FabricVersion) -> Self {
        self.version = version;
        self
    }
    /// Sets the 3.1+ READY capabilities.
    pub fn runtime_params(mut self, params: RuntimeParams) -> Self {
        self.runtime_params = params;
        self
    }
    /// Sets strict mode.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }
    /// Sends KEEPALIVE every `interval`.
    pub fn keepalive(mut self, interval: Duration) -> Self {
        self.keepalive = Some(interval);
        self
    }
    /// Sets the total query limit.
    pub fn total_query_limit(mut self, limit: usize) -> Self {
        self.total_query_limit = limit;
        self
    }
    /// Replaces the channel list.
    pub fn channels<I: IntoIterator<Item = S>, S: Into<String>>(mut self, channels: I) -> Self {
        self.channels = channels.into_iter().map(Into::into).collect();
        self
    }
    /// Adds a chaincode definition.
    pub fn chaincode(mut self, def: ChaincodeDefinition) -> Self {
        self.chaincodes.insert(def.name.clone(), def);
        self
    }
    /// Accepts registrations under any id.
    pub fn dev_mode(mut self, on: bool) -> Self {
        self.dev_mode = on;
        self
    }
    /// Sets the peer's MSP id.
    pub fn msp_id(mut self, msp_id: &str) -> Self {
        self.msp_id = msp_id.to_string();
        self
    }
    /// Sets the execute timeout.
    pub fn execute_timeout(mut self, timeout: Duration) -> Self {
        self.execute_timeout = timeout;
        self
    }
}

/// Why the peer could not run a transaction (the client's view of a failed
/// proposal that never produced a chaincode response).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeerError {
    /// No definition with that name.
    #[error("chaincode `{0}` is not defined on the emulated peer (add a ChaincodeDefinition)")]
    UnknownChaincode(String),
    /// The channel is not one of the peer's.
    #[error("channel `{0}` does not exist on the emulated peer")]
    UnknownChannel(String),
    /// The chaincode has no live registration.
    #[error("chaincode `{0}` is not registered (did it connect and send REGISTER?)")]
    NotRegistered(String),
    /// Rejected by the init-required rules (protocol.md §4.2).
    #[error("{0}")]
    Invocation(String),
    /// The chaincode did not finish in time.
    #[error(
        "timeout expired while executing transaction {tx_id} on chaincode `{chaincode}` after {after:?}"
    )]
    Timeout {
        /// The chaincode.
        chaincode: String,
        /// The transaction.
        tx_id: String,
        /// The bound that expired.
        after: Duration,
    },
    /// The chaincode's stream ended during the transaction.
    #[error("chaincode stream terminated while executing {tx_id} on `{chaincode}`")]
    StreamTerminated {
        /// The chaincode.
        chaincode: String,
        /// The transaction.
        tx_id: String,
    },
    /// An execution with the same (channel, txid) is already running on that stream.
    #[error(
        "execution of {tx_id} on channel {channel} is already running on `{chaincode}` (a chaincode cannot call itself)"
    )]
    DuplicateExecution {
        /// The chaincode.
        chaincode: String,
        /// The channel.
        channel: String,
        /// The transaction.
        tx_id: String,
    },
    /// The endorsed transaction failed validation.
    #[error(transparent)]
    Commit(#[from] CommitError),
    /// A transport could not be set up.
    #[error("transport error: {0}")]
    Transport(String),
}

/// A registration attempt as the peer saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// The id in REGISTER (empty if the payload did not decode).
    pub name: String,
    /// Whether REGISTERED/READY were sent.
    pub accepted: bool,
    /// Why it was rejected (silently, as the real peer does).
    pub rejection: Option<String>,
}

/// Submit (endorse and commit) or evaluate (endorse only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxKind {
    /// Commit when the status is below 400.
    Submit,
    /// Never commit.
    Evaluate,
}

/// A client's transaction proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct Invocation {
    /// Chaincode name.
    pub chaincode: String,
    /// Channel; the peer's first channel when `None`.
    pub channel: Option<String>,
    /// Arguments, function name first.
    pub args: Vec<Vec<u8>>,
    /// Transient map.
    pub transient: BTreeMap<String, Vec<u8>>,
    /// Serialized `SerializedIdentity`; `{peer msp id, no certificate}` when `None`.
    pub creator: Option<Vec<u8>>,
    /// Client-side `is_init` flag.
    pub is_init: bool,
    /// Submit or evaluate.
    pub kind: TxKind,
    /// Fixed nonce (fixes the tx id).
    pub nonce: Option<Vec<u8>>,
    /// Fixed timestamp.
    pub timestamp: Option<Timestamp>,
}

impl Invocation {
    fn new<I: IntoIterator<Item = A>, A: AsRef<[u8]>>(
        chaincode: &str,
        args: I,
        kind: TxKind,
    ) -> Self {
        Self {
            chaincode: chaincode.to_string(),
            channel: None,
            args: args.into_iter().map(|a| a.as_ref().to_vec()).collect(),
            transient: BTreeMap::new(),
            creator: None,
            is_init: false,
            kind,
            nonce: None,
            timestamp: None,
        }
    }
    /// A submitted transaction.
    pub fn submit<I: IntoIterator<Item = A>, A: AsRef<[u8]>>(chaincode: &str, args: I) -> Self {
        Self::new(chaincode, args, TxKind::Submit)
    }
    /// An evaluated (query) transaction.
    pub fn evaluate<I: IntoIterator<Item = A>, A: AsRef<[u8]>>(chaincode: &str, args: I) -> Self {
        Self::new(chaincode, args, TxKind::Evaluate)
    }
    /// Sets the channel.
    pub fn channel(mut self, channel: &str) -> Self {
        self.channel = Some(channel.to_string());
        self
    }
    /// Adds a transient entry.
    pub fn transient(mut self, key: &str, value: impl AsRef<[u8]>) -> Self {
        self.transient
            .insert(key.to_string(), value.as_ref().to_vec());
        self
    }
    /// Sets the creator (serialized `SerializedIdentity`).
    pub fn creator(mut self, creator: Vec<u8>) -> Self {
        self.creator = Some(creator);
        self
    }
    /// Marks the call as init.
    pub fn init(mut self) -> Self {
        self.is_init = true;
        self
    }
    /// Fixes the nonce.
    pub fn nonce(mut self, nonce: Vec<u8>) -> Self {
        self.nonce = Some(nonce);
        self
    }
    /// Fixes the timestamp.
    pub fn timestamp(mut self, timestamp: Timestamp) -> Self {
        self.timestamp = Some(timestamp);
        self
    }
}

/// What a transaction produced.
#[derive(Debug, Clone, PartialEq)]
pub struct TxOutcome {
    /// The transaction id.
    pub tx_id: String,
    /// How the chaincode finished: COMPLETED or ERROR.
    pub message_type: Type,
    /// The chaincode's response; for ERROR, status 500 with the peer's
    /// `transaction returned with failure: <text>` message.
    pub response: Response,
    /// The event, kept only when the status is below 400.
    pub event: Option<ChaincodeEvent>,
    /// After commit: what was committed (empty if nothing was). For an
    /// endorsement not yet committed: the pending write set.
    pub writes: Vec<Write>,
    /// The request types the chaincode sent for this transaction, in order
    /// (a callee's own requests during INVOKE_CHAINCODE are not included).
    pub requests: Vec<Type>,
}

impl TxOutcome {
    /// Whether the peer would endorse it (COMPLETED with status below 400).
    pub fn is_endorsable(&self) -> bool {
        self.message_type == Type::Completed && self.response.status < 400
    }
}

/// An executed, not yet committed transaction.
#[derive(Debug)]
pub struct Endorsement {
    /// The outcome; `writes` holds the pending write set.
    pub outcome: TxOutcome,
    simulation: Simulation,
    timestamp: Timestamp,
}

/// One registered chaincode stream.
#[derive(Debug)]
struct Handler {
    name: String,
    out: mpsc::UnboundedSender<ChaincodeMessage>,
    routes: Mutex<HashMap<(String, String), Route>>,
}

/// Where inbound messages of one running transaction go.
#[derive(Debug)]
struct Route {
    to_executor: mpsc::UnboundedSender<ChaincodeMessage>,
    busy: Arc<AtomicBool>,
}

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

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One execution of one chaincode for one transaction.
struct Exec<'a> {
    def: ChaincodeDefinition,
    message: ChaincodeMessage,
    proposal: Option<SignedProposal>,
    sim: &'a mut Simulation,
    deadline: Instant,
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

    /// Runs a transaction: endorse, then for [`TxKind::Submit`] commit when
    /// endorsable. Evaluations never commit.
    pub async fn invoke(&self, invocation: Invocation) -> Result<TxOutcome, PeerError> {
        let kind = invocation.kind;
        let endorsement = self.endorse(invocation).await?;
        match kind {
            TxKind::Submit => self.commit(endorsement),
            TxKind::Evaluate => {
                let mut outcome = endorsement.outcome;
                outcome.writes.clear();
                Ok(outcome)
            }
        }
    }

    /// Applies an endorsement: MVCC check and writes when it is endorsable;
    /// otherwise nothing changes and `writes` comes back empty.
    pub fn commit(&self, endorsement: Endorsement) -> Result<TxOutcome, PeerError> {
        let mut outcome = endorsement.outcome;
        if !outcome.is_endorsable() {
            outcome.writes.clear();
            return Ok(outcome);
        }
        outcome.writes = endorsement.simulation.writes();
        self.inner.ledger.commit(
            endorsement.simulation,
            &outcome.tx_id,
            endorsement.timestamp,
        )?;
        Ok(outcome)
    }

    /// Executes a proposal on the chaincode without committing it.
    pub async fn endorse(&self, inv: Invocation) -> Result<Endorsement, PeerError> {
        let opts = &self.inner.options;
        let def = opts
            .chaincodes
            .get(&inv.chaincode)
            .cloned()
            .ok_or_else(|| PeerError::UnknownChaincode(inv.chaincode.clone()))?;
        let channel = match &inv.channel {
            Some(c) => c.clone(),
            None => opts.channels.first().cloned().unwrap_or_default(),
        };
        self.check_channel(&channel)?;
        let send_init = self.check_invocation(&def, &channel, inv.is_init)?;
        let creator = inv
            .creator
            .clone()
            .unwrap_or_else(|| serialized_identity(&opts.msp_id, b""));
        let mut spec = ProposalSpec::new(&channel, &def.name, creator).init(inv.is_init);
        spec.args = inv.args.clone();
        spec.transient = inv.transient.clone();
        spec.nonce = inv.nonce.clone();
        spec.timestamp = inv.timestamp;
        let built = spec.build();
        let mut sim = self.inner.ledger.simulate(&channel, &built.tx_id);
        if send_init {
            // The peer writes the marker into the INIT transaction's write set.
            sim.put_state(&def.name, INIT_KEY, def.version.as_bytes())
                .map_err(|e| PeerError::Invocation(e.to_string()))?;
        }
        let exec = Exec {
            message: built.message(send_init),
            proposal: Some(built.signed_proposal.clone()),
            def: def.clone(),
            sim: &mut sim,
            deadline: Instant::now() + opts.execute_timeout,
        };
        let (reply, requests) = self.execute(exec).await?;
        let mut outcome = outcome_from(&def.name, &built.tx_id, reply, sim.writes());
        outcome.requests = requests;
        Ok(Endorsement {
            outcome,
            simulation: sim,
            timestamp: built.timestamp,
        })
    }

    fn check_channel(&self, channel: &str) -> Result<(), PeerError> {
        if self.inner.options.channels.iter().any(|c| c == channel) {
            Ok(())
        } else {
            Err(PeerError::UnknownChannel(channel.to_string()))
        }
    }

    /// The CheckInvocation table (protocol.md §4.2): whether to send INIT.
    fn check_invocation(
        &self,
        def: &ChaincodeDefinition,
        channel: &str,
        is_init: bool,
    ) -> Result<bool, PeerError> {
        let name = &def.name;
        if !def.init_required {
            if is_init {
                return Err(PeerError::Invocation(format!(
                    "chaincode '{name}' does not require initialization but called as init"
                )));
            }
            return Ok(false);
        }
        let marker = self.inner.ledger.get_state(channel, name, INIT_KEY);
        let initialized = marker.as_deref() == Some(def.version.as_bytes());
        match (is_init, initialized) {
            (true, false) => Ok(true),
            (true, true) => Err(PeerError::Invocation(format!(
                "chaincode '{name}' is already initialized but called as init"
            ))),
            (false, false) => Err(PeerError::Invocation(format!(
                "chaincode '{name}' has not been initialized for this version, must call as init first"
            ))),
            (false, true) => Ok(false),
        }
    }

    fn handler(&self, def: &ChaincodeDefinition) -> Result<Arc<Handler>, PeerError> {
        lock(&self.inner.handlers)
            .get(&def.registration_id)
            .cloned()
            .ok_or_else(|| PeerError::NotRegistered(def.registration_id.clone()))
    }

    /// Sends INIT/TRANSACTION and serves the chaincode's requests until it
    /// answers COMPLETED or ERROR, which is returned with the request types seen.
    fn execute<'a>(
        &'a self,
        exec: Exec<'a>,
    ) -> BoxFuture<'a, Result<(ChaincodeMessage, Vec<Type>), PeerError>> {
        Box::pin(async move {
            let Exec {
                def,
                message,
                proposal,
                sim,
                deadline,
            } = exec;
            let handler = self.handler(&def)?;
            let key = (message.channel_id.clone(), message.txid.clone());
            let (to_executor, mut inbox) = mpsc::unbounded_channel();
            let busy = Arc::new(AtomicBool::new(false));
            {
                let mut routes = lock(&handler.routes);
                if routes.contains_key(&key) {
                    return Err(PeerError::DuplicateExecution {
                        chaincode: def.name.clone(),
                        channel: key.0,
                        tx_id: key.1,
                    });
                }
                routes.insert(
                    key.clone(),
                    Route {
                        to_executor,
                        busy: busy.clone(),
                    },
                );
            }
            // Removes the route (closing its iterators) however we leave.
            let _route = RouteGuard {
                handler: &handler,
                key: key.clone(),
            };
            let terminated = || PeerError::StreamTerminated {
                chaincode: def.name.clone(),
                tx_id: key.1.clone(),
            };
            let previous_init = sim.set_init_message(message.r#type == Type::Init as i32);
            handler.out.send(message).map_err(|_| terminated())?;
            let mut iterators = BTreeMap::new();
            let mut requests = Vec::new();
            let result = loop {
                let msg = match tokio::time::timeout_at(deadline, inbox.recv()).await {
                    Err(_) => {
                        break Err(PeerError::Timeout {
                            chaincode: def.name.clone(),
                            tx_id: key.1.clone(),
                            after: self.inner.options.execute_timeout,
                        });
                    }
                    Ok(None) => break Err(terminated()),
                    Ok(Some(msg)) => msg,
                };
                let ty = Type::from_wire(msg.r#type).unwrap_or(Type::Undefined);
                if !matches!(ty, Type::Completed | Type::Error) {
                    *lock(&self.inner.requests)
                        .entry(ty.as_str_name())
                        .or_default() += 1;
                    requests.push(ty);
                }
                let reply = match ty {
                    Type::Completed | Type::Error => {
                        break Ok((msg, std::mem::take(&mut requests)));
                    }
                    Type::InvokeChaincode => {
                        self.invoke_chaincode(&def, &msg, proposal.clone(), &mut *sim, deadline)
                            .await
                    }
                    _ => Scope {
                        sim: &mut *sim,
                        def: &def,
                        iterators: &mut iterators,
                        iterator_ids: &self.inner.iterator_ids,
                        proposal: proposal.as_ref(),
                    }
                    .serve(ty, &msg),
                };
                // Clear before sending: the next request may arrive at once.
                busy.store(false, Ordering::SeqCst);
                if handler.out.send(reply).is_err() {
                    break Err(terminated());
                }
            };
            sim.set_init_message(previous_init);
            result
        })
    }

    /// INVOKE_CHAINCODE (protocol.md §5.6): runs the callee with the same txid
    /// and proposal, in the caller's simulation on the same channel or a
    /// throw-away one on another; replies RESPONSE carrying the callee's
    /// COMPLETED/ERROR message, or ERROR when the call could not run.
    async fn invoke_chaincode(
        &self,
        caller: &ChaincodeDefinition,
        msg: &ChaincodeMessage,
        proposal: Option<SignedProposal>,
        sim: &mut Simulation,
        deadline: Instant,
    ) -> ChaincodeMessage {
        let result = self.run_callee(caller, msg, proposal, sim, deadline).await;
        let (ty, payload) = match result {
            Ok(nested) => (Type::Response, nested.encode_to_vec()),
            Err(cause) => (
                Type::Error,
                format!(
                    "INVOKE_CHAINCODE failed: transaction ID: {}: {cause}",
                    msg.txid
                )
                .into_bytes(),
            ),
        };
        ChaincodeMessage {
            r#type: ty as i32,
            payload,
            txid: msg.txid.clone(),
            channel_id: msg.channel_id.clone(),
            ..ChaincodeMessage::default()
        }
    }

    async fn run_callee(
        &self,
        caller: &ChaincodeDefinition,
        msg: &ChaincodeMessage,
        proposal: Option<SignedProposal>,
        sim: &mut Simulation,
        deadline: Instant,
    ) -> Result<ChaincodeMessage, String> {
        let spec = ChaincodeSpec::decode(msg.payload.as_slice())
            .map_err(|e| format!("unmarshal of ChaincodeSpec failed: {e}"))?;
        let target = spec.chaincode_id.unwrap_or_default().name;
        let (name, channel) = parse_target(&target, &msg.channel_id);
        self.check_channel(&channel).map_err(|e| e.to_string())?;
        let def = self
            .inner
            .options
            .chaincodes
            .get(&name)
            .cloned()
            .ok_or_else(|| format!("chaincode `{name}` is not defined"))?;
        if def.name == caller.name && channel == msg.channel_id {
            return Err(format!(
                "chaincode `{name}` cannot call itself on the same channel"
            ));
        }
        self.check_invocation(&def, &channel, false)
            .map_err(|e| e.to_string())?;
        let input = ChaincodeInput {
            args: spec.input.unwrap_or_default().args,
            decorations: BTreeMap::new(),
            is_init: false,
        };
        let message = ChaincodeMessage {
            r#type: Type::Transaction as i32,
            payload: input.encode_to_vec(),
            txid: msg.txid.clone(),
            proposal: proposal.clone(),
            channel_id: channel.clone(),
            ..ChaincodeMessage::default()
        };
        let result = if channel == msg.channel_id {
            let exec = Exec {
                def,
                message,
                proposal,
                sim,
                deadline,
            };
            self.execute(exec).await
        } else {
            // Another channel: a throw-away simulator, writes discarded.
            let mut scratch = self.inner.ledger.simulate(&channel, &msg.txid);
            let exec = Exec {
                def,
                message,
                proposal,
                sim: &mut scratch,
                deadline,
            };
            self.execute(exec).await
        };
        result.map(|(reply, _)| reply).map_err(|e| e.to_string())
    }

    /// Drives one chaincode stream until it ends; returns why the peer ended it.
    async fn drive<S>(
        &self,
        mut inbound: S,
        out: mpsc::UnboundedSender<ChaincodeMessage>,
    ) -> Result<(), String>
    where
        S: Stream<Item = Result<ChaincodeMessage, String>> + Unpin + Send,
    {
        let keepalive = self.inner.options.keepalive.map(|every| {
            let out = out.clone();
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(every);
                tick.tick().await;
                loop {
                    tick.tick().await;
                    let msg = ChaincodeMessage {
                        r#type: Type::Keepalive as i32,
                        ..ChaincodeMessage::default()
                    };
                    if out.send(msg).is_err() {
                        break;
                    }
                }
            })
        });
        let mut handler: Option<Arc<Handler>> = None;
        let result = loop {
            let msg = match inbound.next().await {
                None => break Ok(()),
                Some(Err(e)) => break Err(format!("stream error: {e}")),
                Some(Ok(msg)) => msg,
            };
            match self.on_message(&mut handler, msg, &out) {
                Ok(()) => {}
                Err(reason) => break Err(reason),
            }
        };
        if let Some(k) = keepalive {
            k.abort();
        }
        if let Some(h) = handler {
            let mut handlers = lock(&self.inner.handlers);
            if handlers
                .get(&h.name)
                .is_some_and(|cur| Arc::ptr_eq(cur, &h))
            {
                handlers.remove(&h.name);
            }
            drop(handlers);
            // Dropping the routes fails every transaction in flight.
            lock(&h.routes).clear();
        }
        if let Err(reason) = &result {
            tracing::warn!(%reason, "emulated peer ends chaincode stream");
            lock(&self.inner.terminations).push(reason.clone());
        }
        self.inner.changed.notify_waiters();
        result
    }

    fn on_message(
        &self,
        handler: &mut Option<Arc<Handler>>,
        msg: ChaincodeMessage,
        out: &mpsc::UnboundedSender<ChaincodeMessage>,
    ) -> Result<(), String> {
        let opts = &self.inner.options;
        let known = Type::from_wire(msg.r#type).filter(|t| opts.version.knows(*t));
        if known == Some(Type::Keepalive) {
            return Ok(());
        }
        let Some(h) = handler.clone() else {
            return match known {
                Some(Type::Register) => {
                    *handler = self.register(&msg, out);
                    Ok(())
                }
                _ => Err(format!(
                    "chaincode sent message type {} before registering",
                    msg.r#type
                )),
            };
        };
        let Some(ty) = known else {
            if opts.strict {
                return Err(format!(
                    "[{}] unknown message type {} from chaincode `{}` for Fabric {:?}",
                    msg.txid, msg.r#type, h.name, opts.version
                ));
            }
            let reply = error_reply(&msg, format!("unknown message type {}", msg.r#type));
            let _ = out.send(reply);
            return Ok(());
        };
        match ty {
            Type::Completed | Type::Error => {
                let routes = lock(&h.routes);
                match routes.get(&(msg.channel_id.clone(), msg.txid.clone())) {
                    Some(route) => {
                        let _ = route.to_executor.send(msg);
                    }
                    None => {
                        tracing::debug!(txid = %msg.txid, "completion for unknown transaction ignored")
                    }
                }
                Ok(())
            }
            Type::Register
            | Type::Registered
            | Type::Init
            | Type::Ready
            | Type::Transaction
            | Type::Response
            | Type::Undefined
            | Type::Keepalive => Err(format!(
                "[{}] unexpected {} from chaincode `{}` in state ready",
                msg.txid,
                ty.as_str_name(),
                h.name
            )),
            _ => {
                self.route_request(&h, ty, msg, out);
                Ok(())
            }
        }
    }

    fn route_request(
        &self,
        h: &Handler,
        ty: Type,
        msg: ChaincodeMessage,
        out: &mpsc::UnboundedSender<ChaincodeMessage>,
    ) {
        let routes = lock(&h.routes);
        let Some(route) = routes.get(&(msg.channel_id.clone(), msg.txid.clone())) else {
            let reply = error_reply(
                &msg,
                format!(
                    "{} failed: transaction ID: {}: no ledger context",
                    ty.as_str_name(),
                    msg.txid
                ),
            );
            let _ = out.send(reply);
            return;
        };
        if route.busy.swap(true, Ordering::SeqCst) {
            self.inner.violations.fetch_add(1, Ordering::SeqCst);
            tracing::error!(txid = %msg.txid, "another request pending for this transaction");
            if self.inner.options.strict {
                let reply = error_reply(
                    &msg,
                    format!(
                        "{} failed: transaction ID: {}: another request is pending for this transaction \
                         (a real peer drops it silently and the shim would hang)",
                        ty.as_str_name(),
                        msg.txid
                    ),
                );
                let _ = out.send(reply);
            }
            return;
        }
        let _ = route.to_executor.send(msg);
    }

    /// Handles REGISTER: accepted → REGISTERED + READY; rejected → nothing.
    fn register(
        &self,
        msg: &ChaincodeMessage,
        out: &mpsc::UnboundedSender<ChaincodeMessage>,
    ) -> Option<Arc<Handler>> {
        let opts = &self.inner.options;
        let name = ChaincodeId::decode(msg.payload.as_slice()).map(|id| id.name);
        let rejection = match &name {
            Err(e) => Some(format!("error unmarshalling ChaincodeID: {e}")),
            Ok(n) if n.is_empty() => Some("empty chaincode name".to_string()),
            Ok(n) if lock(&self.inner.handlers).contains_key(n) => {
                Some(format!("duplicate chaincodeID: {n}"))
            }
            Ok(n)
                if !opts.dev_mode && !opts.chaincodes.values().any(|d| &d.registration_id == n) =>
            {
                Some(format!(
                    "peer will not accept external chaincode connection {n} (except in dev mode)"
                ))
            }
            Ok(_) => None,
        };
        let name = name.unwrap_or_default();
        lock(&self.inner.registrations).push(Registration {
            name: name.clone(),
            accepted: rejection.is_none(),
            rejection: rejection.clone(),
        });
        if let Some(reason) = rejection {
            tracing::warn!(%reason, "registration rejected silently");
            self.inner.changed.notify_waiters();
            return None;
        }
        let handler = Arc::new(Handler {
            name: name.clone(),
            out: out.clone(),
            routes: Mutex::new(HashMap::new()),
        });
        let ready_payload = if opts.version >= FabricVersion::V3_1 {
            let p = opts.runtime_params;
            let or_default = |n: u32| if n == 0 { 1000 } else { n };
            ChaincodeAdditionalParams {
                use_write_batch: p.use_write_batch,
                max_size_write_batch: or_default(p.max_size_write_batch),
                use_get_multiple_keys: p.use_get_multiple_keys,
                max_size_get_multiple_keys: or_default(p.max_size_get_multiple_keys),
            }
            .encode_to_vec()
        } else {
            Vec::new()
        };
        let _ = out.send(ChaincodeMessage {
            r#type: Type::Registered as i32,
            ..ChaincodeMessage::default()
        });
        let _ = out.send(ChaincodeMessage {
            r#type: Type::Ready as i32,
            payload: ready_payload,
            ..ChaincodeMessage::default()
        });
        lock(&self.inner.handlers).insert(name, handler.clone());
        self.inner.changed.notify_waiters();
        Some(handler)
    }
}

struct RouteGuard<'a> {
    handler: &'a Handler,
    key: (String, String),
}

impl Drop for RouteGuard<'_> {
    fn drop(&mut self) {
        lock(&self.handler.routes).remove(&self.key);
    }
}

fn error_reply(msg: &ChaincodeMessage, text: String) -> ChaincodeMessage {
    ChaincodeMessage {
        r#type: Type::Error as i32,
        payload: text.into_bytes(),
        txid: msg.txid.clone(),
        channel_id: msg.channel_id.clone(),
        ..ChaincodeMessage::default()
    }
}

/// `name[:version][/channel]` → (name, channel); the version is ignored.
fn parse_target(target: &str, own_channel: &str) -> (String, String) {
    let (id, channel) = match target.split_once('/') {
        Some((id, ch)) if !ch.is_empty() => (id, ch),
        Some((id, _)) => (id, own_channel),
        None => (target, own_channel),
    };
    let name = id.split_once(':').map_or(id, |(n, _)| n);
    (name.to_string(), channel.to_string())
}

fn outcome_from(
    chaincode: &str,
    tx_id: &str,
    reply: ChaincodeMessage,
    writes: Vec<Write>,
) -> TxOutcome {
    let completed = reply.r#type == Type::Completed as i32;
    let response = if completed {
        Response::decode(reply.payload.as_slice()).unwrap_or_else(|e| {
            Response::error(format!(
                "failed to unmarshal the chaincode's COMPLETED response: {e}"
            ))
        })
    } else {
        Response::error(format!(
            "transaction returned with failure: {}",
            String::from_utf8_lossy(&reply.payload)
        ))
    };
    let event = reply
        .chaincode_event
        .filter(|_| completed && response.status < 400)
        .map(|mut e| {
            // The peer overwrites these whatever the shim sent.
            e.chaincode_id = chaincode.to_string();
            e.tx_id = tx_id.to_string();
            e
        });
    TxOutcome {
        tx_id: tx_id.to_string(),
        message_type: if completed {
            Type::Completed
        } else {
            Type::Error
        },
        response,
        event,
        writes,
        requests: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_names() {
        assert_eq!(parse_target("cc", "ch1"), ("cc".into(), "ch1".into()));
        assert_eq!(parse_target("cc:1.0", "ch1"), ("cc".into(), "ch1".into()));
        assert_eq!(parse_target("cc/ch2", "ch1"), ("cc".into(), "ch2".into()));
        assert_eq!(parse_target("cc:2/ch2", "ch1"), ("cc".into(), "ch2".into()));
    }

    #[test]
    fn version_profiles() {
        assert!(!FabricVersion::V2_2.knows(Type::PurgePrivateData));
        assert!(FabricVersion::V2_5.knows(Type::PurgePrivateData));
        assert!(!FabricVersion::V3_0.knows(Type::WriteBatchState));
        assert!(FabricVersion::V3_1.knows(Type::GetStateMultiple));
    }

    #[test]
    fn error_outcome_has_status_500_and_no_event() {
        let reply = ChaincodeMessage {
            r#type: Type::Error as i32,
            payload: b"boom".to_vec(),
            chaincode_event: Some(ChaincodeEvent::default()),
            ..ChaincodeMessage::default()
        };
        let out = outcome_from("cc", "t", reply, Vec::new());
        assert_eq!(out.response.status, 500);
        assert_eq!(
            out.response.message,
            "transaction returned with failure: boom"
        );
        assert!(out.event.is_none() && !out.is_endorsable());
    }
}
