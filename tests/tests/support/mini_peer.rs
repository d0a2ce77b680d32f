//! A deliberately small, hand-rolled peer side of `/protos.ChaincodeSupport/Register` that records
//! the exact request types a chaincode sends per transaction and can inject a bare frame. The
//! scenarios themselves run on the emulated peer (`emulated_peer_crosscheck.rs`); this wire-level
//! recorder stays for the observations the emulated peer does not expose: the Node shim's request
//! sequences, its reading of the signed proposal, and its exit on KEEPALIVE. It runs one transaction
//! at a time with Fabric's simulation rules (reads see committed state only, an empty value deletes,
//! writes and the event are applied only when the response status is below 400).

use super::proposal::{self, BuiltProposal, Creator};
use super::scenario::{ChaincodeUnderTest, TxResult};
use fabric_contract_proto::Message;
use fabric_contract_proto::protos::chaincode_message::Type;
use fabric_contract_proto::protos::chaincode_support_server::{
    ChaincodeSupport, ChaincodeSupportServer,
};
use fabric_contract_proto::protos::{
    ChaincodeId, ChaincodeInput, ChaincodeMessage, DelState, GetState, GetStateByRange, PutState,
    QueryMetadata, QueryResponse, QueryResponseMetadata, QueryResultBytes, QueryStateClose,
    QueryStateNext, Response,
};
use fabric_contract_proto::queryresult::Kv;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio_stream::wrappers::{TcpListenerStream, UnboundedReceiverStream};
use tonic::{Status, Streaming};

/// How long any single step may take before the test fails instead of hanging.
pub const STEP_TIMEOUT: Duration = Duration::from_secs(30);
/// Records per unpaged query batch, as on a real peer.
const BATCH: usize = 100;
/// The namespace reported in query results.
const CHANNEL: &str = "mychannel";

type Outbound = mpsc::UnboundedSender<Result<ChaincodeMessage, Status>>;

struct Registration {
    inbound: Streaming<ChaincodeMessage>,
    outbound: Outbound,
}

struct Listener {
    registrations: mpsc::UnboundedSender<Registration>,
}

#[tonic::async_trait]
impl ChaincodeSupport for Listener {
    type RegisterStream = UnboundedReceiverStream<Result<ChaincodeMessage, Status>>;

    async fn register(
        &self,
        request: tonic::Request<Streaming<ChaincodeMessage>>,
    ) -> Result<tonic::Response<Self::RegisterStream>, Status> {
        let (outbound, rx) = mpsc::unbounded_channel();
        self.registrations
            .send(Registration {
                inbound: request.into_inner(),
                outbound,
            })
            .map_err(|_| Status::unavailable("test peer is shutting down"))?;
        Ok(tonic::Response::new(UnboundedReceiverStream::new(rx)))
    }
}

/// The listening side; accepts chaincode registrations.
pub struct MiniPeer {
    addr: SocketAddr,
    registrations: mpsc::UnboundedReceiver<Registration>,
    _shutdown: oneshot::Sender<()>,
}

impl MiniPeer {
    /// Listens on an ephemeral loopback port.
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let (tx, registrations) = mpsc::unbounded_channel();
        let (shutdown, stop) = oneshot::channel::<()>();
        let service = ChaincodeSupportServer::new(Listener { registrations: tx });
        tokio::spawn(async move {
            let served = tonic::transport::Server::builder()
                .serve_with_incoming_shutdown(service, TcpListenerStream::new(listener), async {
                    let _ = stop.await;
                })
                .await;
            if let Err(e) = served {
                eprintln!("test peer server ended with an error: {e}");
            }
        });
        Self {
            addr,
            registrations,
            _shutdown: shutdown,
        }
    }

    /// The address chaincode processes dial.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Waits for a chaincode to dial in and runs the handshake: REGISTER (must name `expected_name`)
    /// → REGISTERED, READY (empty payload, as Fabric ≤ 3.0 sends it).
    pub async fn accept(&mut self, expected_name: &str) -> Connection {
        let reg = tokio::time::timeout(STEP_TIMEOUT, self.registrations.recv())
            .await
            .expect("no chaincode dialled the test peer in time")
            .expect("test peer listener ended");
        let mut conn = Connection {
            inbound: reg.inbound,
            outbound: reg.outbound,
            chaincode: expected_name.to_owned(),
            creator: Creator::user1(),
            committed: BTreeMap::new(),
            seq: 0,
            next_iterator: 0,
        };
        let register = conn.recv().await;
        assert_eq!(
            Type::from_wire(register.r#type),
            Some(Type::Register),
            "first message must be REGISTER"
        );
        assert!(register.txid.is_empty() && register.channel_id.is_empty());
        let id = ChaincodeId::decode(register.payload.as_slice())
            .expect("REGISTER carries a ChaincodeID");
        assert_eq!(
            id.name, expected_name,
            "REGISTER names the chaincode id it was started with"
        );
        conn.send(Type::Registered, Vec::new(), "", "");
        conn.send(Type::Ready, Vec::new(), "", "");
        conn
    }
}

/// One registered chaincode stream plus the committed state of its namespace.
pub struct Connection {
    inbound: Streaming<ChaincodeMessage>,
    outbound: Outbound,
    chaincode: String,
    creator: Creator,
    committed: BTreeMap<String, Vec<u8>>,
    seq: u64,
    next_iterator: u64,
}

/// Per-transaction simulation state.
#[derive(Default)]
struct Simulation {
    writes: BTreeMap<String, Option<Vec<u8>>>,
    iterators: BTreeMap<String, Vec<Kv>>,
    requests: Vec<Type>,
}

impl Connection {
    /// The identity that signs every proposal.
    pub fn creator(&self) -> &Creator {
        &self.creator
    }

    /// Sends a message with no transaction (KEEPALIVE and the handshake replies).
    pub fn send_bare(&self, ty: Type) {
        self.send(ty, Vec::new(), "", "");
    }

    fn send(&self, ty: Type, payload: Vec<u8>, txid: &str, channel: &str) {
        self.send_msg(ChaincodeMessage {
            r#type: ty as i32,
            payload,
            txid: txid.into(),
            channel_id: channel.into(),
            ..Default::default()
        });
    }

    fn send_msg(&self, msg: ChaincodeMessage) {
        self.outbound
            .send(Ok(msg))
            .expect("chaincode stream closed while the test peer was sending");
    }

    async fn recv(&mut self) -> ChaincodeMessage {
        tokio::time::timeout(STEP_TIMEOUT, self.inbound.message())
            .await
            .expect("chaincode did not answer in time")
            .expect("chaincode stream failed")
            .expect("chaincode closed its stream")
    }

    /// Runs one INIT or TRANSACTION to its end, serving the chaincode's requests on the way.
    pub async fn execute(
        &mut self,
        init: bool,
        args: &[&[u8]],
        transient: &BTreeMap<String, Vec<u8>>,
    ) -> (TxResult, BuiltProposal) {
        self.seq += 1;
        let input = ChaincodeInput {
            args: args.iter().map(|a| a.to_vec()).collect(),
            decorations: BTreeMap::new(),
            is_init: init,
        };
        let built = proposal::build(
            self.seq,
            CHANNEL,
            &self.chaincode,
            &self.creator,
            &input,
            transient,
        );
        let txid = built.tx_id.clone();
        self.send_msg(ChaincodeMessage {
            r#type: if init { Type::Init } else { Type::Transaction } as i32,
            payload: input.encode_to_vec(),
            txid: txid.clone(),
            channel_id: CHANNEL.into(),
            proposal: Some(built.signed.clone()),
            ..Default::default()
        });
        let mut sim = Simulation::default();
        loop {
            let msg = self.recv().await;
            let ty = Type::from_wire(msg.r#type)
                .unwrap_or_else(|| panic!("unknown message type {} from chaincode", msg.r#type));
            if ty == Type::Keepalive {
                continue;
            }
            assert_eq!(
                (msg.txid.as_str(), msg.channel_id.as_str()),
                (txid.as_str(), CHANNEL),
                "{ty:?} for a transaction that is not running"
            );
            match ty {
                Type::Completed => {
                    let response = Response::decode(msg.payload.as_slice())
                        .expect("COMPLETED carries a Response");
                    let event = msg.chaincode_event.filter(|_| response.status < 400);
                    if response.status < 400 {
                        self.commit(sim.writes);
                    }
                    let result = TxResult {
                        tx_id: txid,
                        response: Some(response),
                        error: None,
                        event,
                        requests: sim.requests,
                    };
                    return (result, built);
                }
                Type::Error => {
                    let result = TxResult {
                        tx_id: txid,
                        response: None,
                        error: Some(String::from_utf8_lossy(&msg.payload).into_owned()),
                        event: None,
                        requests: sim.requests,
                    };
                    return (result, built);
                }
                _ => {
                    sim.requests.push(ty);
                    let reply = self.serve(ty, &msg.payload, &mut sim);
                    let (rty, payload) = match reply {
                        Ok(p) => (Type::Response, p),
                        Err(text) => (Type::Error, text.into_bytes()),
                    };
                    self.send(rty, payload, &txid, CHANNEL);
                }
            }
        }
    }

    fn commit(&mut self, writes: BTreeMap<String, Option<Vec<u8>>>) {
        for (key, value) in writes {
            match value {
                Some(v) => self.committed.insert(key, v),
                None => self.committed.remove(&key),
            };
        }
    }

    fn serve(&mut self, ty: Type, payload: &[u8], sim: &mut Simulation) -> Result<Vec<u8>, String> {
        let bad = |e: prost::DecodeError| format!("{ty:?}: undecodable payload: {e}");
        match ty {
            Type::GetState => {
                let req = GetState::decode(payload).map_err(bad)?;
                Ok(self.committed.get(&req.key).cloned().unwrap_or_default())
            }
            Type::PutState => {
                let req = PutState::decode(payload).map_err(bad)?;
                let value = (!req.value.is_empty()).then_some(req.value);
                sim.writes.insert(req.key, value);
                Ok(Vec::new())
            }
            Type::DelState => {
                let req = DelState::decode(payload).map_err(bad)?;
                sim.writes.insert(req.key, None);
                Ok(Vec::new())
            }
            Type::GetStateByRange => {
                let req = GetStateByRange::decode(payload).map_err(bad)?;
                let meta = QueryMetadata::decode(req.metadata.as_slice()).map_err(bad)?;
                Ok(self.range(&req, &meta, sim).encode_to_vec())
            }
            Type::QueryStateNext => {
                let req = QueryStateNext::decode(payload).map_err(bad)?;
                let rest = sim
                    .iterators
                    .remove(&req.id)
                    .ok_or_else(|| format!("query iterator not found: {}", req.id))?;
                Ok(self.batch(req.id, rest, sim).encode_to_vec())
            }
            Type::QueryStateClose => {
                let req = QueryStateClose::decode(payload).map_err(bad)?;
                sim.iterators.remove(&req.id);
                Ok(QueryResponse {
                    id: req.id,
                    ..Default::default()
                }
                .encode_to_vec())
            }
            other => panic!("the test peer does not serve {other:?}"),
        }
    }

    fn range(
        &mut self,
        req: &GetStateByRange,
        meta: &QueryMetadata,
        sim: &mut Simulation,
    ) -> QueryResponse {
        let paged = meta.page_size > 0 || !meta.bookmark.is_empty();
        let start = if paged && !meta.bookmark.is_empty() {
            meta.bookmark.clone()
        } else {
            req.start_key.clone()
        };
        let mut records = self
            .committed
            .range(start..)
            .take_while(|(k, _)| req.end_key.is_empty() || k.as_str() < req.end_key.as_str())
            .map(|(k, v)| Kv {
                namespace: self.chaincode.clone(),
                key: k.clone(),
                value: v.clone(),
            });
        self.next_iterator += 1;
        let id = format!("iter-{}", self.next_iterator);
        if !paged {
            let all: Vec<Kv> = records.collect();
            return self.batch(id, all, sim);
        }
        let page: Vec<Kv> = records.by_ref().take(meta.page_size as usize).collect();
        let bookmark = records.next().map(|kv| kv.key).unwrap_or_default();
        QueryResponse {
            metadata: QueryResponseMetadata {
                fetched_records_count: page.len() as i32,
                bookmark,
            }
            .encode_to_vec(),
            ..to_response(id, page, false)
        }
    }

    fn batch(&self, id: String, mut rest: Vec<Kv>, sim: &mut Simulation) -> QueryResponse {
        if rest.len() <= BATCH {
            return to_response(id, rest, false);
        }
        let tail = rest.split_off(BATCH);
        sim.iterators.insert(id.clone(), tail);
        to_response(id, rest, true)
    }

    /// The committed value of `key`.
    pub fn committed(&self, key: &str) -> Option<Vec<u8>> {
        self.committed.get(key).cloned()
    }
}

fn to_response(id: String, records: Vec<Kv>, has_more: bool) -> QueryResponse {
    QueryResponse {
        results: records
            .into_iter()
            .map(|kv| QueryResultBytes {
                result_bytes: kv.encode_to_vec(),
            })
            .collect(),
        has_more,
        id,
        metadata: Vec::new(),
    }
}

impl ChaincodeUnderTest for Connection {
    async fn init(&mut self, args: &[&str]) -> TxResult {
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        self.execute(true, &args, &BTreeMap::new()).await.0
    }

    async fn invoke(&mut self, args: &[&str]) -> TxResult {
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        self.execute(false, &args, &BTreeMap::new()).await.0
    }

    fn committed(&self, key: &str) -> Option<Vec<u8>> {
        Connection::committed(self, key)
    }
}
