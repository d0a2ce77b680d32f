//! The emulated peer driven by a hand-written fake chaincode that speaks the
//! protocol directly through the generated gRPC client over loopback.

use std::net::SocketAddr;
use std::time::Duration;

use fabric_contract_proto::Message;
use fabric_contract_proto::protos::chaincode_message::Type;
use fabric_contract_proto::protos::chaincode_support_client::ChaincodeSupportClient;
use fabric_contract_proto::protos::{
    ChaincodeAdditionalParams, ChaincodeEvent, ChaincodeId, ChaincodeInput, ChaincodeMessage,
    ChaincodeSpec, DelState, GetHistoryForKey, GetState, GetStateByRange, GetStateMetadata,
    PutState, PutStateMetadata, QueryMetadata, QueryResponse, QueryResponseMetadata, Response,
    StateMetadata, StateMetadataResult,
};
use fabric_contract_proto::queryresult::{KeyModification, Kv};
use fabric_emulated_peer::ledger::WriteKind;
use fabric_emulated_peer::peer::{
    ChaincodeDefinition, EmulatedPeer, FabricVersion, INIT_KEY, Invocation, PeerError, PeerOptions,
    RuntimeParams, TxOutcome,
};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_stream::wrappers::UnboundedReceiverStream;
use tonic::Streaming;

const CH: &str = "mychannel";
const WAIT: Duration = Duration::from_secs(5);

/// A chaincode written by hand on the raw gRPC client.
struct FakeCc {
    tx: mpsc::UnboundedSender<ChaincodeMessage>,
    rx: Streaming<ChaincodeMessage>,
}

impl FakeCc {
    async fn connect(addr: SocketAddr) -> Self {
        let channel = tonic::transport::Channel::from_shared(format!("http://{addr}"))
            .unwrap()
            .connect()
            .await
            .unwrap();
        let (tx, rx) = mpsc::unbounded_channel();
        let rx = ChaincodeSupportClient::new(channel)
            .register(UnboundedReceiverStream::new(rx))
            .await
            .unwrap()
            .into_inner();
        Self { tx, rx }
    }

    fn send(&self, ty: Type, payload: Vec<u8>, txid: &str, channel: &str) {
        self.tx
            .send(ChaincodeMessage {
                r#type: ty as i32,
                payload,
                txid: txid.into(),
                channel_id: channel.into(),
                ..ChaincodeMessage::default()
            })
            .unwrap();
    }

    /// The next message, skipping KEEPALIVE; `None` when the stream ended.
    async fn recv(&mut self) -> Option<Result<ChaincodeMessage, tonic::Status>> {
        loop {
            let next = tokio::time::timeout(WAIT, self.rx.message())
                .await
                .expect("peer did not answer in time");
            match next {
                Ok(Some(m)) if m.r#type == Type::Keepalive as i32 => continue,
                Ok(Some(m)) => return Some(Ok(m)),
                Ok(None) => return None,
                Err(status) => return Some(Err(status)),
            }
        }
    }

    async fn expect(&mut self, ty: Type) -> ChaincodeMessage {
        let m = self
            .recv()
            .await
            .expect("stream ended")
            .expect("stream failed");
        assert_eq!(Type::from_wire(m.r#type), Some(ty), "got {m:?}");
        m
    }

    async fn register(addr: SocketAddr, name: &str) -> (Self, ChaincodeMessage) {
        let mut cc = Self::connect(addr).await;
        cc.send(Type::Register, id(name), "", "");
        cc.expect(Type::Registered).await;
        let ready = cc.expect(Type::Ready).await;
        (cc, ready)
    }

    /// Sends a request of the transaction `tx` and returns the peer's reply.
    async fn request(
        &mut self,
        tx: &ChaincodeMessage,
        ty: Type,
        payload: Vec<u8>,
    ) -> ChaincodeMessage {
        self.send(ty, payload, &tx.txid, &tx.channel_id);
        let reply = self
            .recv()
            .await
            .expect("stream ended")
            .expect("stream failed");
        assert_eq!(
            (reply.txid.as_str(), reply.channel_id.as_str()),
            (tx.txid.as_str(), tx.channel_id.as_str())
        );
        reply
    }

    async fn ok(&mut self, tx: &ChaincodeMessage, ty: Type, payload: Vec<u8>) -> Vec<u8> {
        let reply = self.request(tx, ty, payload).await;
        assert_eq!(
            Type::from_wire(reply.r#type),
            Some(Type::Response),
            "{}",
            String::from_utf8_lossy(&reply.payload)
        );
        reply.payload
    }

    fn complete(&self, tx: &ChaincodeMessage, response: Response, event: Option<ChaincodeEvent>) {
        self.tx
            .send(ChaincodeMessage {
                r#type: Type::Completed as i32,
                payload: response.encode_to_vec(),
                txid: tx.txid.clone(),
                channel_id: tx.channel_id.clone(),
                chaincode_event: event,
                ..ChaincodeMessage::default()
            })
            .unwrap();
    }
}

fn id(name: &str) -> Vec<u8> {
    ChaincodeId {
        name: name.into(),
        ..ChaincodeId::default()
    }
    .encode_to_vec()
}

fn put(key: &str, value: &str) -> Vec<u8> {
    PutState {
        key: key.into(),
        value: value.into(),
        collection: String::new(),
    }
    .encode_to_vec()
}

fn get(key: &str, collection: &str) -> Vec<u8> {
    GetState {
        key: key.into(),
        collection: collection.into(),
    }
    .encode_to_vec()
}

fn kvs(payload: &[u8]) -> (Vec<(String, String)>, QueryResponse) {
    let resp = QueryResponse::decode(payload).unwrap();
    let records = resp
        .results
        .iter()
        .map(|r| {
            let kv = Kv::decode(r.result_bytes.as_slice()).unwrap();
            (kv.key, String::from_utf8(kv.value).unwrap())
        })
        .collect();
    (records, resp)
}

async fn start(options: PeerOptions) -> (EmulatedPeer, SocketAddr) {
    let peer = EmulatedPeer::new(options);
    let addr = peer.serve_tcp("127.0.0.1:0").await.unwrap();
    (peer, addr)
}

fn spawn_invoke(peer: &EmulatedPeer, inv: Invocation) -> JoinHandle<Result<TxOutcome, PeerError>> {
    let peer = peer.clone();
    tokio::spawn(async move { peer.invoke(inv).await })
}

/// Seeds state through a real transaction of the fake chaincode.
async fn seed(peer: &EmulatedPeer, cc: &mut FakeCc, name: &str, pairs: &[(&str, &str)]) {
    let call = spawn_invoke(peer, Invocation::submit(name, ["seed"]));
    let tx = cc.expect(Type::Transaction).await;
    for (k, v) in pairs {
        cc.ok(&tx, Type::PutState, put(k, v)).await;
    }
    cc.complete(&tx, Response::success(Vec::new()), None);
    assert!(call.await.unwrap().unwrap().is_endorsable());
}

#[tokio::test]
async fn handshake_accepts_defined_names_and_silently_rejects_others() {
    let (peer, addr) =
        start(PeerOptions::default().chaincode(ChaincodeDefinition::new("basic"))).await;
    let (_cc, ready) = FakeCc::register(addr, "basic").await;
    assert!(ready.payload.is_empty(), "2.5 sends an empty READY");
    peer.wait_registered("basic", WAIT).await.unwrap();

    for (payload, expected) in [
        (
            id("unknown"),
            "peer will not accept external chaincode connection unknown",
        ),
        (id(""), "empty chaincode name"),
        (id("basic"), "duplicate chaincodeID: basic"),
        (vec![0xff, 0xff], "error unmarshalling ChaincodeID"),
    ] {
        let mut other = FakeCc::connect(addr).await;
        other.send(Type::Register, payload, "", "");
        // Silent: nothing comes back, the stream stays open.
        assert!(
            tokio::time::timeout(Duration::from_millis(200), other.rx.message())
                .await
                .is_err()
        );
        let last = peer.registrations().pop().unwrap();
        assert!(!last.accepted);
        assert!(last.rejection.unwrap().contains(expected));
    }
    assert!(
        peer.wait_registered("unknown", Duration::from_millis(50))
            .await
            .is_err()
    );
}

#[tokio::test]
async fn fabric_3_1_ready_carries_the_runtime_params() {
    let params = RuntimeParams {
        use_write_batch: false,
        max_size_write_batch: 0,
        use_get_multiple_keys: true,
        max_size_get_multiple_keys: 50,
    };
    let opts = PeerOptions::default()
        .fabric(FabricVersion::V3_1)
        .runtime_params(params)
        .chaincode(ChaincodeDefinition::new("cc"));
    let (_peer, addr) = start(opts).await;
    let (_cc, ready) = FakeCc::register(addr, "cc").await;
    let got = ChaincodeAdditionalParams::decode(ready.payload.as_slice()).unwrap();
    assert_eq!(
        got,
        ChaincodeAdditionalParams {
            use_write_batch: false,
            max_size_write_batch: 1000,
            use_get_multiple_keys: true,
            max_size_get_multiple_keys: 50,
        }
    );
}

#[tokio::test]
async fn unknown_type_in_strict_mode_ends_the_stream() {
    let (peer, addr) =
        start(PeerOptions::default().chaincode(ChaincodeDefinition::new("cc"))).await;
    let (mut cc, _) = FakeCc::register(addr, "cc").await;
    let call = spawn_invoke(&peer, Invocation::submit("cc", ["f"]));
    let tx = cc.expect(Type::Transaction).await;
    // WRITE_BATCH_STATE (24) is unknown to a 2.5 peer.
    cc.send(Type::WriteBatchState, Vec::new(), &tx.txid, CH);
    let end = cc.recv().await;
    assert!(
        matches!(end, Some(Err(_)) | None),
        "stream should end, got {end:?}"
    );
    assert!(matches!(
        call.await.unwrap(),
        Err(PeerError::StreamTerminated { .. })
    ));
    assert!(peer.stream_terminations()[0].contains("unknown message type 24"));
    assert!(!peer.is_registered("cc"));
}

#[tokio::test]
async fn transaction_serving_reads_writes_queries_history_metadata() {
    let opts = PeerOptions::default().chaincode(ChaincodeDefinition::new("cc"));
    let (peer, addr) = start(opts).await;
    let (mut cc, _) = FakeCc::register(addr, "cc").await;
    seed(&peer, &mut cc, "cc", &[("a", "1"), ("b", "2"), ("c", "3")]).await;

    let call = spawn_invoke(
        &peer,
        Invocation::submit("cc", ["work"]).transient("k", "v"),
    );
    let tx = cc.expect(Type::Transaction).await;
    assert!(tx.proposal.is_some());
    let input = ChaincodeInput::decode(tx.payload.as_slice()).unwrap();
    assert_eq!(input.args, [b"work".to_vec()]);

    assert_eq!(cc.ok(&tx, Type::GetState, get("a", "")).await, b"1");
    cc.ok(&tx, Type::PutState, put("a", "10")).await;
    // Reads never see own writes.
    assert_eq!(cc.ok(&tx, Type::GetState, get("a", "")).await, b"1");
    assert_eq!(cc.ok(&tx, Type::GetState, get("zz", "")).await, b"");
    cc.ok(
        &tx,
        Type::DelState,
        DelState {
            key: "b".into(),
            collection: String::new(),
        }
        .encode_to_vec(),
    )
    .await;

    let range = GetStateByRange {
        start_key: "a".into(),
        end_key: "c".into(),
        ..GetStateByRange::default()
    };
    let (records, resp) = kvs(&cc
        .ok(&tx, Type::GetStateByRange, range.encode_to_vec())
        .await);
    assert_eq!(
        records,
        [("a".to_string(), "1".to_string()), ("b".into(), "2".into())]
    );
    assert!(!resp.has_more && !resp.id.is_empty());
    cc.ok(
        &tx,
        Type::QueryStateClose,
        fabric_contract_proto::protos::QueryStateClose { id: resp.id }.encode_to_vec(),
    )
    .await;

    // Paged queries are refused after a write, with the peer's text.
    let paged = GetStateByRange {
        metadata: QueryMetadata {
            page_size: 1,
            bookmark: String::new(),
        }
        .encode_to_vec(),
        ..range.clone()
    };
    let err = cc
        .request(&tx, Type::GetStateByRange, paged.encode_to_vec())
        .await;
    assert_eq!(Type::from_wire(err.r#type), Some(Type::Error));
    assert!(
        String::from_utf8_lossy(&err.payload)
            .contains("Paginated queries are supported only in a read-only transaction")
    );

    let meta = PutStateMetadata {
        key: "c".into(),
        collection: String::new(),
        metadata: Some(StateMetadata {
            metakey: "VALIDATION_PARAMETER".into(),
            value: vec![1],
        }),
    };
    cc.ok(&tx, Type::PutStateMetadata, meta.encode_to_vec())
        .await;

    let history = cc
        .ok(
            &tx,
            Type::GetHistoryForKey,
            GetHistoryForKey { key: "a".into() }.encode_to_vec(),
        )
        .await;
    let history = QueryResponse::decode(history.as_slice()).unwrap();
    let first = KeyModification::decode(history.results[0].result_bytes.as_slice()).unwrap();
    assert_eq!(first.value, b"1");

    let event = ChaincodeEvent {
        event_name: "done".into(),
        payload: b"x".to_vec(),
        ..ChaincodeEvent::default()
    };
    cc.complete(&tx, Response::success(b"ok".to_vec()), Some(event));
    let out = call.await.unwrap().unwrap();
    assert_eq!(
        (out.response.status, out.response.payload.as_slice()),
        (200, &b"ok"[..])
    );
    let event = out.event.unwrap();
    assert_eq!(
        (event.event_name.as_str(), event.chaincode_id.as_str()),
        ("done", "cc")
    );
    assert_eq!(out.writes.len(), 3);
    assert_eq!(peer.ledger().get_state(CH, "cc", "a"), Some(b"10".to_vec()));
    assert_eq!(peer.ledger().get_state(CH, "cc", "b"), None);
    let c = peer.ledger().get_entry(CH, "cc", "c").unwrap();
    assert_eq!(c.metadata.get("VALIDATION_PARAMETER"), Some(&vec![1]));

    // A read-only transaction: paging with bookmarks, metadata read, evaluate never commits.
    let call = spawn_invoke(&peer, Invocation::evaluate("cc", ["read"]));
    let tx = cc.expect(Type::Transaction).await;
    let page = GetStateByRange {
        start_key: "".into(),
        end_key: "".into(),
        metadata: QueryMetadata {
            page_size: 1,
            bookmark: String::new(),
        }
        .encode_to_vec(),
        ..GetStateByRange::default()
    };
    let (records, resp) = kvs(&cc
        .ok(&tx, Type::GetStateByRange, page.encode_to_vec())
        .await);
    let meta = QueryResponseMetadata::decode(resp.metadata.as_slice()).unwrap();
    assert_eq!(
        (
            records.len(),
            meta.fetched_records_count,
            meta.bookmark.as_str()
        ),
        (1, 1, "c")
    );
    let md = cc
        .ok(
            &tx,
            Type::GetStateMetadata,
            GetStateMetadata {
                key: "c".into(),
                collection: String::new(),
            }
            .encode_to_vec(),
        )
        .await;
    assert_eq!(
        StateMetadataResult::decode(md.as_slice())
            .unwrap()
            .entries
            .len(),
        1
    );
    cc.complete(&tx, Response::success(Vec::new()), None);
    let out = call.await.unwrap().unwrap();
    assert!(out.writes.is_empty());
}

#[tokio::test]
async fn unpaged_range_comes_in_batches_with_query_state_next() {
    let (peer, addr) =
        start(PeerOptions::default().chaincode(ChaincodeDefinition::new("cc"))).await;
    let (mut cc, _) = FakeCc::register(addr, "cc").await;
    let keys: Vec<String> = (0..150).map(|i| format!("k{i:03}")).collect();
    let pairs: Vec<(&str, &str)> = keys.iter().map(|k| (k.as_str(), "v")).collect();
    seed(&peer, &mut cc, "cc", &pairs).await;

    let call = spawn_invoke(&peer, Invocation::evaluate("cc", ["all"]));
    let tx = cc.expect(Type::Transaction).await;
    let range = GetStateByRange {
        start_key: "\u{1}".into(),
        ..GetStateByRange::default()
    };
    let (first, resp) = kvs(&cc
        .ok(&tx, Type::GetStateByRange, range.encode_to_vec())
        .await);
    assert_eq!((first.len(), resp.has_more), (100, true));
    let next = fabric_contract_proto::protos::QueryStateNext {
        id: resp.id.clone(),
    };
    let (second, resp2) = kvs(&cc.ok(&tx, Type::QueryStateNext, next.encode_to_vec()).await);
    assert_eq!(
        (second.len(), resp2.has_more, second[0].0.as_str()),
        (50, false, "k100")
    );
    // Exhausted iterators are closed by the peer.
    let err = cc
        .request(&tx, Type::QueryStateNext, next.encode_to_vec())
        .await;
    assert_eq!(Type::from_wire(err.r#type), Some(Type::Error));
    cc.complete(&tx, Response::success(Vec::new()), None);
    call.await.unwrap().unwrap();
}

#[tokio::test]
async fn writes_apply_only_below_status_400_and_unknown_tx_gets_error() {
    let (peer, addr) =
        start(PeerOptions::default().chaincode(ChaincodeDefinition::new("cc"))).await;
    let (mut cc, _) = FakeCc::register(addr, "cc").await;
    let call = spawn_invoke(&peer, Invocation::submit("cc", ["fail"]));
    let tx = cc.expect(Type::Transaction).await;
    cc.ok(&tx, Type::PutState, put("x", "1")).await;
    let ev = ChaincodeEvent {
        event_name: "lost".into(),
        ..ChaincodeEvent::default()
    };
    cc.complete(
        &tx,
        Response {
            status: 400,
            message: "bad".into(),
            payload: Vec::new(),
        },
        Some(ev),
    );
    let out = call.await.unwrap().unwrap();
    assert_eq!(out.response.status, 400);
    assert!(out.event.is_none() && out.writes.is_empty());
    assert_eq!(peer.ledger().get_state(CH, "cc", "x"), None);
    assert_eq!(peer.ledger().height(), 0);

    // The transaction is over: its context is gone.
    let err = cc.request(&tx, Type::GetState, get("x", "")).await;
    assert_eq!(Type::from_wire(err.r#type), Some(Type::Error));
    assert!(String::from_utf8_lossy(&err.payload).contains("no ledger context"));

    // ERROR from the chaincode: status 500, nothing committed.
    let call = spawn_invoke(&peer, Invocation::submit("cc", ["boom"]));
    let tx = cc.expect(Type::Transaction).await;
    cc.ok(&tx, Type::PutState, put("x", "1")).await;
    cc.send(Type::Error, b"boom".to_vec(), &tx.txid, CH);
    let out = call.await.unwrap().unwrap();
    assert_eq!((out.message_type, out.response.status), (Type::Error, 500));
    assert_eq!(
        out.response.message,
        "transaction returned with failure: boom"
    );
    assert_eq!(peer.ledger().get_state(CH, "cc", "x"), None);
}

#[tokio::test]
async fn private_data_collections_and_init() {
    let def = ChaincodeDefinition::new("pdc")
        .collection("c1")
        .init_required(true);
    let (peer, addr) = start(PeerOptions::default().chaincode(def)).await;
    let (mut cc, _) = FakeCc::register(addr, "pdc").await;

    let not_init = peer
        .invoke(Invocation::submit("pdc", ["f"]))
        .await
        .unwrap_err();
    assert!(not_init.to_string().contains("must call as init first"));

    let call = spawn_invoke(&peer, Invocation::submit("pdc", ["init"]).init());
    let init = cc.expect(Type::Init).await;
    assert!(
        ChaincodeInput::decode(init.payload.as_slice())
            .unwrap()
            .is_init
    );
    let err = cc.request(&init, Type::GetState, get("p", "c1")).await;
    assert_eq!(
        String::from_utf8_lossy(&err.payload),
        format!(
            "GET_STATE failed: transaction ID: {}: private data APIs are not allowed in chaincode Init()",
            init.txid
        )
    );
    cc.complete(&init, Response::success(Vec::new()), None);
    call.await.unwrap().unwrap();
    assert_eq!(
        peer.ledger().get_state(CH, "pdc", INIT_KEY),
        Some(b"1.0".to_vec())
    );
    let again = peer
        .invoke(Invocation::submit("pdc", ["init"]).init())
        .await
        .unwrap_err();
    assert!(again.to_string().contains("already initialized"));

    let call = spawn_invoke(&peer, Invocation::submit("pdc", ["put"]));
    let tx = cc.expect(Type::Transaction).await;
    let pput = PutState {
        key: "p".into(),
        value: b"secret".to_vec(),
        collection: "c1".into(),
    };
    cc.ok(&tx, Type::PutState, pput.encode_to_vec()).await;
    let unknown = PutState {
        collection: "nope".into(),
        ..pput.clone()
    };
    let err = cc
        .request(&tx, Type::PutState, unknown.encode_to_vec())
        .await;
    assert_eq!(Type::from_wire(err.r#type), Some(Type::Error));
    assert!(String::from_utf8_lossy(&err.payload).contains("collection nope"));
    cc.complete(&tx, Response::success(Vec::new()), None);
    let out = call.await.unwrap().unwrap();
    assert_eq!(out.writes[0].collection.as_deref(), Some("c1"));
    assert_eq!(out.writes[0].kind, WriteKind::Put(b"secret".to_vec()));

    let call = spawn_invoke(&peer, Invocation::evaluate("pdc", ["hash"]));
    let tx = cc.expect(Type::Transaction).await;
    let hash = cc.ok(&tx, Type::GetPrivateDataHash, get("p", "c1")).await;
    use sha2::Digest;
    assert_eq!(hash, sha2::Sha256::digest(b"secret").to_vec());
    assert_eq!(cc.ok(&tx, Type::GetState, get("p", "c1")).await, b"secret");
    assert_eq!(cc.ok(&tx, Type::GetState, get("p", "")).await, b"");
    cc.complete(&tx, Response::success(Vec::new()), None);
    call.await.unwrap().unwrap();
}

#[tokio::test]
async fn invoke_chaincode_runs_the_callee_in_the_same_simulation() {
    let opts = PeerOptions::default()
        .channels(["mychannel", "other"])
        .chaincode(ChaincodeDefinition::new("caller"))
        .chaincode(ChaincodeDefinition::new("callee"));
    let (peer, addr) = start(opts).await;
    let (mut caller, _) = FakeCc::register(addr, "caller").await;
    let (mut callee, _) = FakeCc::register(addr, "callee").await;

    let call = spawn_invoke(&peer, Invocation::submit("caller", ["go"]));
    let tx = caller.expect(Type::Transaction).await;
    let spec = |target: &str| {
        ChaincodeSpec {
            chaincode_id: Some(ChaincodeId {
                name: target.into(),
                ..ChaincodeId::default()
            }),
            input: Some(ChaincodeInput {
                args: vec![b"set".to_vec()],
                ..ChaincodeInput::default()
            }),
            ..ChaincodeSpec::default()
        }
        .encode_to_vec()
    };
    caller.send(Type::InvokeChaincode, spec("callee:1.0"), &tx.txid, CH);
    let inner = callee.expect(Type::Transaction).await;
    assert_eq!(
        (inner.txid.as_str(), inner.channel_id.as_str()),
        (tx.txid.as_str(), CH)
    );
    assert_eq!(
        inner.proposal, tx.proposal,
        "the callee sees the same SignedProposal"
    );
    callee
        .ok(&inner, Type::PutState, put("k", "from-callee"))
        .await;
    let ev = ChaincodeEvent {
        event_name: "dropped".into(),
        ..ChaincodeEvent::default()
    };
    callee.complete(&inner, Response::success(b"done".to_vec()), Some(ev));
    let reply = caller.expect(Type::Response).await;
    let nested = ChaincodeMessage::decode(reply.payload.as_slice()).unwrap();
    assert_eq!(Type::from_wire(nested.r#type), Some(Type::Completed));
    assert_eq!(
        Response::decode(nested.payload.as_slice()).unwrap().payload,
        b"done"
    );

    // Another channel: the callee's writes are discarded.
    caller.send(Type::InvokeChaincode, spec("callee/other"), &tx.txid, CH);
    let inner = callee.expect(Type::Transaction).await;
    assert_eq!(inner.channel_id, "other");
    callee.ok(&inner, Type::PutState, put("lost", "1")).await;
    callee.complete(&inner, Response::success(Vec::new()), None);
    caller.expect(Type::Response).await;

    // Unknown chaincode → ERROR.
    caller.send(Type::InvokeChaincode, spec("ghost"), &tx.txid, CH);
    let err = caller.expect(Type::Error).await;
    assert!(String::from_utf8_lossy(&err.payload).contains("ghost"));

    caller.complete(&tx, Response::success(Vec::new()), None);
    let out = call.await.unwrap().unwrap();
    assert!(
        out.event.is_none(),
        "the callee's event never reaches the transaction"
    );
    assert_eq!(
        peer.ledger().get_state(CH, "callee", "k"),
        Some(b"from-callee".to_vec())
    );
    assert_eq!(peer.ledger().get_state("other", "callee", "lost"), None);
}

#[tokio::test]
async fn mvcc_conflict_between_two_endorsements() {
    let (peer, addr) =
        start(PeerOptions::default().chaincode(ChaincodeDefinition::new("cc"))).await;
    let (mut cc, _) = FakeCc::register(addr, "cc").await;
    seed(&peer, &mut cc, "cc", &[("a", "1")]).await;
    let mut endorsements = Vec::new();
    for value in ["x", "y"] {
        let p = peer.clone();
        let e = tokio::spawn(async move { p.endorse(Invocation::submit("cc", ["upd"])).await });
        let tx = cc.expect(Type::Transaction).await;
        cc.ok(&tx, Type::GetState, get("a", "")).await;
        cc.ok(&tx, Type::PutState, put("a", value)).await;
        cc.complete(&tx, Response::success(Vec::new()), None);
        endorsements.push(e.await.unwrap().unwrap());
    }
    let second = endorsements.pop().unwrap();
    peer.commit(endorsements.pop().unwrap()).unwrap();
    assert!(matches!(peer.commit(second), Err(PeerError::Commit(_))));
    assert_eq!(peer.ledger().get_state(CH, "cc", "a"), Some(b"x".to_vec()));
}

#[tokio::test]
async fn concurrent_request_is_counted_and_answered_in_strict_mode() {
    let opts = PeerOptions::default()
        .chaincode(ChaincodeDefinition::new("cc"))
        .chaincode(ChaincodeDefinition::new("slow"));
    let peer = EmulatedPeer::new(opts);
    let attach = |name: &str| {
        let cc = peer.attach();
        cc.to_peer
            .send(ChaincodeMessage {
                r#type: Type::Register as i32,
                payload: id(name),
                ..ChaincodeMessage::default()
            })
            .unwrap();
        cc
    };
    let (mut cc, mut slow) = (attach("cc"), attach("slow"));
    for side in [&mut cc, &mut slow] {
        assert_eq!(
            side.from_peer.recv().await.unwrap().r#type,
            Type::Registered as i32
        );
        assert_eq!(
            side.from_peer.recv().await.unwrap().r#type,
            Type::Ready as i32
        );
    }
    let call = spawn_invoke(&peer, Invocation::submit("cc", ["f"]));
    let tx = cc.from_peer.recv().await.unwrap();
    let req = |ty: Type, payload: Vec<u8>| ChaincodeMessage {
        r#type: ty as i32,
        payload,
        txid: tx.txid.clone(),
        channel_id: tx.channel_id.clone(),
        ..ChaincodeMessage::default()
    };
    let spec = ChaincodeSpec {
        chaincode_id: Some(ChaincodeId {
            name: "slow".into(),
            ..ChaincodeId::default()
        }),
        ..ChaincodeSpec::default()
    };
    cc.to_peer
        .send(req(Type::InvokeChaincode, spec.encode_to_vec()))
        .unwrap();
    // The callee holds the INVOKE_CHAINCODE open: a second request is a violation.
    let inner = slow.from_peer.recv().await.unwrap();
    cc.to_peer.send(req(Type::GetState, get("a", ""))).unwrap();
    let err = cc.from_peer.recv().await.unwrap();
    assert_eq!(Type::from_wire(err.r#type), Some(Type::Error));
    assert!(String::from_utf8_lossy(&err.payload).contains("another request is pending"));
    assert_eq!(peer.concurrent_request_violations(), 1);
    // The outstanding call still completes normally.
    slow.to_peer
        .send(ChaincodeMessage {
            r#type: Type::Completed as i32,
            payload: Response::success(Vec::new()).encode_to_vec(),
            txid: inner.txid.clone(),
            channel_id: inner.channel_id.clone(),
            ..ChaincodeMessage::default()
        })
        .unwrap();
    assert_eq!(
        cc.from_peer.recv().await.unwrap().r#type,
        Type::Response as i32
    );
    cc.to_peer
        .send(ChaincodeMessage {
            r#type: Type::Completed as i32,
            payload: Response::success(Vec::new()).encode_to_vec(),
            txid: tx.txid.clone(),
            channel_id: tx.channel_id.clone(),
            ..ChaincodeMessage::default()
        })
        .unwrap();
    assert!(call.await.unwrap().unwrap().is_endorsable());
}

#[tokio::test]
async fn silent_chaincode_times_out_and_keepalive_is_sent() {
    let opts = PeerOptions::default()
        .chaincode(ChaincodeDefinition::new("cc"))
        .execute_timeout(Duration::from_millis(300))
        .keepalive(Duration::from_millis(50));
    let (peer, addr) = start(opts).await;
    let mut cc = FakeCc::connect(addr).await;
    // KEEPALIVE flows before registration too.
    let first = tokio::time::timeout(WAIT, cc.rx.message())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(first.r#type, Type::Keepalive as i32);
    cc.send(Type::Keepalive, Vec::new(), "", "");
    cc.send(Type::Register, id("cc"), "", "");
    cc.expect(Type::Registered).await;
    cc.expect(Type::Ready).await;
    let err = peer
        .invoke(Invocation::submit("cc", ["f"]))
        .await
        .unwrap_err();
    assert!(matches!(err, PeerError::Timeout { .. }), "{err}");
}

/// A CA, a server certificate for `localhost` and a client certificate, all PEM.
struct Pki {
    ca: String,
    server: (String, String),
    client: (String, String),
}

fn pki() -> Pki {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf = |san: &str| {
        let key = KeyPair::generate().unwrap();
        let cert = CertificateParams::new(vec![san.to_string()])
            .unwrap()
            .signed_by(&key, &issuer)
            .unwrap();
        (cert.pem(), key.serialize_pem())
    };
    Pki {
        ca: ca_cert.pem(),
        server: leaf("localhost"),
        client: leaf("client"),
    }
}

#[tokio::test]
async fn tls_listener_requires_a_client_certificate() {
    use tonic::transport::{Certificate, Channel, ClientTlsConfig, Identity, ServerTlsConfig};
    let pki = pki();
    let peer = EmulatedPeer::new(PeerOptions::default().chaincode(ChaincodeDefinition::new("cc")));
    let server_tls = ServerTlsConfig::new()
        .identity(Identity::from_pem(&pki.server.0, &pki.server.1))
        .client_ca_root(Certificate::from_pem(&pki.ca));
    let addr = peer.serve_tcp_tls("127.0.0.1:0", server_tls).await.unwrap();
    let dial = |with_identity: bool| {
        let mut tls = ClientTlsConfig::new()
            .ca_certificate(Certificate::from_pem(&pki.ca))
            .domain_name("localhost");
        if with_identity {
            tls = tls.identity(Identity::from_pem(&pki.client.0, &pki.client.1));
        }
        async move {
            let channel = Channel::from_shared(format!("https://{addr}"))
                .unwrap()
                .tls_config(tls)
                .unwrap()
                .connect()
                .await
                .map_err(Box::new)?;
            let (tx, rx) = mpsc::unbounded_channel();
            tx.send(ChaincodeMessage {
                r#type: Type::Register as i32,
                payload: id("cc"),
                ..ChaincodeMessage::default()
            })
            .unwrap();
            let mut stream = ChaincodeSupportClient::new(channel)
                .register(UnboundedReceiverStream::new(rx))
                .await
                .map_err(Box::new)?
                .into_inner();
            let first = stream.message().await.ok().flatten();
            Ok::<_, Box<dyn std::error::Error>>((tx, first))
        }
    };
    let (_keep, first) = dial(true).await.unwrap();
    assert_eq!(first.unwrap().r#type, Type::Registered as i32);
    peer.wait_registered("cc", WAIT).await.unwrap();
    let anonymous = dial(false).await;
    assert!(
        !matches!(anonymous, Ok((_, Some(_)))),
        "a client without certificate must not register"
    );
}

/// A chaincode server (CCaaS) that registers on each Connect and hands the
/// peer's messages to the test.
struct CcaasServer {
    seen: mpsc::UnboundedSender<ChaincodeMessage>,
}

#[tonic::async_trait]
impl fabric_contract_proto::protos::chaincode_server::Chaincode for CcaasServer {
    type ConnectStream = UnboundedReceiverStream<Result<ChaincodeMessage, tonic::Status>>;

    async fn connect(
        &self,
        request: tonic::Request<Streaming<ChaincodeMessage>>,
    ) -> Result<tonic::Response<Self::ConnectStream>, tonic::Status> {
        let (tx, rx) = mpsc::unbounded_channel();
        tx.send(Ok(ChaincodeMessage {
            r#type: Type::Register as i32,
            payload: id("svc"),
            ..ChaincodeMessage::default()
        }))
        .unwrap();
        let mut inbound = request.into_inner();
        let seen = self.seen.clone();
        tokio::spawn(async move {
            let _keep_open = tx;
            while let Ok(Some(m)) = inbound.message().await {
                let _ = seen.send(m);
            }
        });
        Ok(tonic::Response::new(UnboundedReceiverStream::new(rx)))
    }
}

#[tokio::test]
async fn connect_ccaas_dials_the_chaincode_server() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (seen_tx, mut seen) = mpsc::unbounded_channel();
    let service =
        fabric_contract_proto::protos::chaincode_server::ChaincodeServer::new(CcaasServer {
            seen: seen_tx,
        });
    tokio::spawn(tonic::transport::Server::builder().serve_with_incoming(
        service,
        tonic::transport::server::TcpIncoming::from(listener),
    ));
    let peer = EmulatedPeer::new(PeerOptions::default().chaincode(ChaincodeDefinition::new("svc")));
    peer.connect_ccaas(&format!("http://{addr}"), None)
        .await
        .unwrap();
    peer.wait_registered("svc", WAIT).await.unwrap();
    let registered = tokio::time::timeout(WAIT, seen.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(registered.r#type, Type::Registered as i32);
    assert_eq!(seen.recv().await.unwrap().r#type, Type::Ready as i32);
}
