//! `TestNetwork`: the emulated peer with chaincodes attached in-process, for contract tests.
//!
//! The same network runs over two transports: [`Transport::Memory`] attaches each chaincode to
//! the peer over an in-memory duplex (no gRPC; fastest), [`Transport::Grpc`] serves the peer on
//! loopback and lets the shim dial it as a real peer-launched chaincode would. Writing a
//! scenario once as a function of `&TestNetwork` and running it over both checks that the
//! transports agree.
//!
//! ```
//! use fabric_contract::prelude::*;
//! use fabric_contract::testing::network::{TestNetwork, anonymous};
//!
//! struct Echo;
//! impl Chaincode for Echo {
//!     async fn init(&self, _: &Stub) -> Response { Response::success(Vec::new()) }
//!     async fn invoke(&self, stub: &Stub) -> Response {
//!         let (_, params) = stub.function_and_params();
//!         Response::success(params.concat().into_bytes())
//!     }
//! }
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let net = TestNetwork::new().chaincode("echo", Echo).start().await.unwrap();
//! let out = net.call(&anonymous("Org1MSP"), "echo", "Say", ["hi"]).submit().await.unwrap();
//! assert_eq!((out.status, out.payload.as_slice()), (200, &b"hi"[..]));
//! # });
//! ```

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use fabric_contract_proto::Timestamp;
use fabric_contract_proto::protos::ChaincodeEvent;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use tokio::task::JoinHandle;
use tokio_stream::wrappers::UnboundedReceiverStream;

use super::ledger::{Ledger, Write};
use super::peer::{
    ChaincodeDefinition, EmulatedPeer, Endorsement, Invocation, PeerError, PeerOptions, TxKind,
    TxOutcome,
};
use super::proposal::serialized_identity;
use crate::chaincode::Chaincode;
use crate::shim::settings::{ClientSettings, Mode, Settings};
use crate::shim::{DEFAULT_HANDSHAKE_TIMEOUT, Registration, serve_client, serve_stream};

/// How long `start` waits for every chaincode to register.
const REGISTER_TIMEOUT: Duration = Duration::from_secs(20);

/// How the chaincodes reach the emulated peer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Transport {
    /// An in-memory duplex: no gRPC, no sockets.
    #[default]
    Memory,
    /// Loopback gRPC: the shim dials the peer as a peer-launched chaincode does.
    Grpc,
}

/// Who submits a transaction: anything that yields a serialized `msp.SerializedIdentity`.
pub trait Creator {
    /// The serialized `SerializedIdentity` for the proposal header.
    fn creator(&self) -> Vec<u8>;
}

impl Creator for Vec<u8> {
    fn creator(&self) -> Vec<u8> {
        self.clone()
    }
}

impl Creator for super::identity::TestIdentity {
    fn creator(&self) -> Vec<u8> {
        super::identity::TestIdentity::creator(self)
    }
}

impl Creator for [u8] {
    fn creator(&self) -> Vec<u8> {
        self.to_vec()
    }
}

/// A creator of `msp_id` without a certificate: enough for contracts that do not inspect the
/// client identity.
pub fn anonymous(msp_id: &str) -> Vec<u8> {
    serialized_identity(msp_id, b"")
}

/// Why the network could not run what was asked.
#[derive(Debug, thiserror::Error)]
pub enum NetworkError {
    /// The emulated peer failed (unknown chaincode, timeout, MVCC conflict on commit, …).
    #[error(transparent)]
    Peer(#[from] PeerError),
    /// Two runs of the same evaluation answered differently.
    #[error(
        "{function} is not deterministic: the first run answered {first_status} {first:?}, the second {second_status} {second:?}"
    )]
    Nondeterministic {
        /// The transaction function.
        function: String,
        /// Status of the first run.
        first_status: i32,
        /// Payload of the first run (lossy UTF-8).
        first: String,
        /// Status of the second run.
        second_status: i32,
        /// Payload of the second run (lossy UTF-8).
        second: String,
    },
}

type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send>>;
type Launch = Box<dyn FnOnce(&EmulatedPeer, Option<String>) -> BoxFuture + Send>;

/// Builds a [`TestNetwork`]: peer options, transport, chaincodes.
pub struct NetworkBuilder {
    options: PeerOptions,
    transport: Transport,
    launches: Vec<(String, Launch)>,
}

impl std::fmt::Debug for NetworkBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NetworkBuilder")
            .field("transport", &self.transport)
            .field("chaincodes", &self.options.chaincodes.keys())
            .finish()
    }
}

impl NetworkBuilder {
    /// Replaces the peer options (channels, Fabric version, MSP id, …); chaincodes added with
    /// [`NetworkBuilder::chaincode`] are kept.
    pub fn options(mut self, mut options: PeerOptions) -> Self {
        options
            .chaincodes
            .extend(std::mem::take(&mut self.options.chaincodes));
        self.options = options;
        self
    }

    /// Chooses the transport.
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transport = transport;
        self
    }

    /// Deploys `chaincode` under `name` (version 1.0, no collections besides the implicit ones).
    pub fn chaincode<C: Chaincode>(self, name: &str, chaincode: C) -> Self {
        self.chaincode_with(ChaincodeDefinition::new(name), chaincode)
    }

    /// Deploys `chaincode` with a full definition (collections, init required, …).
    pub fn chaincode_with<C: Chaincode>(mut self, def: ChaincodeDefinition, chaincode: C) -> Self {
        let id = def.registration_id.clone();
        let launch_id = id.clone();
        let launch: Launch = Box::new(move |peer, grpc| launch(peer, grpc, launch_id, chaincode));
        self.options = self.options.chaincode(def);
        self.launches.push((id, launch));
        self
    }

    /// Starts the peer and every chaincode and waits until all are registered.
    pub async fn start(self) -> Result<TestNetwork, NetworkError> {
        let peer = EmulatedPeer::new(self.options);
        let address = match self.transport {
            Transport::Memory => None,
            Transport::Grpc => Some(peer.serve_tcp("127.0.0.1:0").await?.to_string()),
        };
        let mut tasks = Vec::new();
        for (id, launch) in self.launches {
            tasks.push(tokio::spawn(launch(&peer, address.clone())));
            peer.wait_registered(&id, REGISTER_TIMEOUT).await?;
        }
        Ok(TestNetwork {
            peer,
            transport: self.transport,
            tasks,
        })
    }
}

fn launch<C: Chaincode>(
    peer: &EmulatedPeer,
    grpc: Option<String>,
    id: String,
    chaincode: C,
) -> BoxFuture {
    let attached = grpc.is_none().then(|| peer.attach());
    Box::pin(async move {
        let end = match (grpc, attached) {
            (Some(peer_address), _) => {
                let settings = Settings {
                    chaincode_id: id.clone(),
                    peer_msp_id: None,
                    handshake_timeout: DEFAULT_HANDSHAKE_TIMEOUT,
                    limits: Default::default(),
                    mode: Mode::Client(ClientSettings {
                        peer_address,
                        tls: None,
                    }),
                };
                serve_client(settings, chaincode).await
            }
            (None, Some(att)) => {
                let inbound = UnboundedReceiverStream::new(att.from_peer).map(Ok::<_, Infallible>);
                serve_stream(
                    Arc::new(chaincode),
                    &Registration::new(id.clone()),
                    inbound,
                    att.to_peer,
                )
                .await
            }
            (None, None) => return,
        };
        let Err(e) = end;
        tracing::debug!(chaincode = %id, error = %e, "test chaincode stopped");
    })
}

/// A running emulated peer with chaincodes attached; stops them when dropped.
pub struct TestNetwork {
    peer: EmulatedPeer,
    transport: Transport,
    tasks: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for TestNetwork {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestNetwork")
            .field("transport", &self.transport)
            .finish()
    }
}

impl Drop for TestNetwork {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

impl TestNetwork {
    /// A network on the default peer options (channel `mychannel`, Fabric 2.5, MSP `Org1MSP`)
    /// with no chaincode yet, over [`Transport::Memory`].
    #[allow(clippy::new_ret_no_self, reason = "the builder is the entry point")]
    pub fn new() -> NetworkBuilder {
        NetworkBuilder {
            options: PeerOptions::default(),
            transport: Transport::Memory,
            launches: Vec::new(),
        }
    }

    /// The emulated peer.
    pub fn peer(&self) -> &EmulatedPeer {
        &self.peer
    }

    /// The ledger behind the peer.
    pub fn ledger(&self) -> &Ledger {
        self.peer.ledger()
    }

    /// The transport in use.
    pub fn transport(&self) -> Transport {
        self.transport
    }

    /// The default channel.
    pub fn channel(&self) -> &str {
        self.peer
            .options()
            .channels
            .first()
            .map(String::as_str)
            .unwrap_or_default()
    }

    /// The committed world-state value of `key` in `chaincode`'s namespace on the default channel.
    pub fn state(&self, chaincode: &str, key: &str) -> Option<Vec<u8>> {
        self.ledger().get_state(self.channel(), chaincode, key)
    }

    /// A call of `function` on `chaincode` by `who`; finish it with `submit`, `evaluate` or
    /// `endorse`.
    pub fn call<I, A>(
        &self,
        who: &(impl Creator + ?Sized),
        chaincode: &str,
        function: &str,
        args: I,
    ) -> Call<'_>
    where
        I: IntoIterator<Item = A>,
        A: AsRef<[u8]>,
    {
        let mut all = vec![function.as_bytes().to_vec()];
        all.extend(args.into_iter().map(|a| a.as_ref().to_vec()));
        Call {
            net: self,
            invocation: Invocation::submit(chaincode, all).creator(who.creator()),
        }
    }

    /// Executes a submit transaction without committing it (to stage MVCC conflicts).
    pub async fn endorse<I, A>(
        &self,
        who: &(impl Creator + ?Sized),
        chaincode: &str,
        function: &str,
        args: I,
    ) -> Result<Endorsement, NetworkError>
    where
        I: IntoIterator<Item = A>,
        A: AsRef<[u8]>,
    {
        self.call(who, chaincode, function, args).endorse().await
    }

    /// Commits an endorsement; an MVCC conflict with an earlier commit is an error.
    pub fn commit(&self, endorsement: Endorsement) -> Result<Outcome, NetworkError> {
        Ok(self.peer.commit(endorsement)?.into())
    }

    /// Evaluates the same call twice (with different transaction ids) and fails unless both
    /// runs answer the same status and the same bytes.
    pub async fn check_deterministic<I, A>(
        &self,
        who: &(impl Creator + ?Sized),
        chaincode: &str,
        function: &str,
        args: I,
    ) -> Result<Outcome, NetworkError>
    where
        I: IntoIterator<Item = A>,
        A: AsRef<[u8]>,
    {
        let args: Vec<Vec<u8>> = args.into_iter().map(|a| a.as_ref().to_vec()).collect();
        let first = self
            .call(who, chaincode, function, &args)
            .evaluate()
            .await?;
        let second = self
            .call(who, chaincode, function, &args)
            .evaluate()
            .await?;
        if (first.status, &first.payload) != (second.status, &second.payload) {
            return Err(NetworkError::Nondeterministic {
                function: function.to_owned(),
                first_status: first.status,
                first: String::from_utf8_lossy(&first.payload).into_owned(),
                second_status: second.status,
                second: String::from_utf8_lossy(&second.payload).into_owned(),
            });
        }
        Ok(first)
    }
}

/// A proposal being built; see [`TestNetwork::call`].
#[derive(Debug)]
#[must_use = "a call does nothing until submitted, evaluated or endorsed"]
pub struct Call<'a> {
    net: &'a TestNetwork,
    invocation: Invocation,
}

impl Call<'_> {
    /// Adds a transient map entry.
    pub fn transient(mut self, key: &str, value: impl AsRef<[u8]>) -> Self {
        self.invocation = self.invocation.transient(key, value);
        self
    }

    /// Fixes the proposal timestamp.
    pub fn timestamp(mut self, timestamp: Timestamp) -> Self {
        self.invocation = self.invocation.timestamp(timestamp);
        self
    }

    /// Fixes the nonce, and with it the transaction id (hex SHA-256 of nonce ‖ creator).
    pub fn nonce(mut self, nonce: impl Into<Vec<u8>>) -> Self {
        self.invocation = self.invocation.nonce(nonce.into());
        self
    }

    /// Sends the call on another channel.
    pub fn channel(mut self, channel: &str) -> Self {
        self.invocation = self.invocation.channel(channel);
        self
    }

    /// Marks the call as the chaincode's init.
    pub fn init(mut self) -> Self {
        self.invocation = self.invocation.init();
        self
    }

    /// Endorses and, when the status is below 400, commits.
    pub async fn submit(self) -> Result<Outcome, NetworkError> {
        Ok(self.net.peer.invoke(self.invocation).await?.into())
    }

    /// Runs the call without committing anything.
    pub async fn evaluate(mut self) -> Result<Outcome, NetworkError> {
        self.invocation.kind = TxKind::Evaluate;
        Ok(self.net.peer.invoke(self.invocation).await?.into())
    }

    /// Executes the call and returns the endorsement, for [`TestNetwork::commit`].
    pub async fn endorse(self) -> Result<Endorsement, NetworkError> {
        Ok(self.net.peer.endorse(self.invocation).await?)
    }
}

/// What a transaction answered and did.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The transaction id.
    pub tx_id: String,
    /// The response status (200 success, 500 error, …).
    pub status: i32,
    /// The response payload.
    pub payload: Vec<u8>,
    /// The response message (the error text on failure).
    pub message: String,
    /// The transaction's event (kept only on success).
    pub event: Option<ChaincodeEvent>,
    /// What was committed (empty for evaluations and failures).
    pub writes: Vec<Write>,
}

impl From<TxOutcome> for Outcome {
    fn from(o: TxOutcome) -> Self {
        Self {
            tx_id: o.tx_id,
            status: o.response.status,
            payload: o.response.payload,
            message: o.response.message,
            event: o.event,
            writes: o.writes,
        }
    }
}

impl Outcome {
    /// The payload decoded from JSON.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.payload)
    }

    /// The payload as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.payload).into_owned()
    }
}
