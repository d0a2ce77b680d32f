//! A hostile peer over real loopback gRPC, in both launch modes (the chaincode
//! dials a hostile peer; a hostile peer dials the chaincode server), with and
//! without TLS, against a `#[contract]` chaincode.
//!
//! It covers the limits of issue #13 (message size, reserved keys, in-flight
//! cap, transaction deadline, the CCaaS server's connection handling) and the
//! faults that were already handled, so they stay handled: malformed frames,
//! unknown types, duplicate txids, undecodable proposals, non-X.509 creators,
//! invalid UTF-8, 10^4 arguments, disconnects mid-transaction.
//!
//! Nothing here asserts a duration: waits are generous upper bounds for
//! things that must happen, never measurements.

#![allow(missing_docs)]

mod shim_common;

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use fabric_contract::prelude::*;
use fabric_contract::shim::{
    ClientTls, Limits, Mode, ServerSettings, ServerTls, Settings, serve_client, serve_server_on,
};
use fabric_contract::testing::proposal::{ProposalSpec, serialized_identity};
use fabric_contract_proto::Message;
use fabric_contract_proto::protos::chaincode_message::Type;
use fabric_contract_proto::protos::{ChaincodeMessage, PutState, SignedProposal};
use shim_common::*;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tonic::transport::{Certificate, ClientTlsConfig, Identity, ServerTlsConfig};

/// Generous bound for something that must happen (a closed socket, an answer).
const EVENTUALLY: Duration = Duration::from_secs(20);

#[derive(Default)]
pub struct Assets;

#[contract(name = "Assets", default)]
impl Assets {
    /// Stores `{"ID":…,"Value":…}` under `id`: JSON escaping makes the value
    /// grow (U+0001 becomes six bytes).
    #[submit(name = "CreateAsset")]
    async fn create_asset(
        &self,
        ctx: &SubmitCtx,
        id: String,
        value: String,
    ) -> Result<(), ContractError> {
        let json = serde_json::json!({ "ID": id, "Value": value });
        let bytes = serde_json::to_vec(&json).map_err(|e| ContractError::new(e.to_string()))?;
        ctx.put_state(&id, &bytes).await?;
        Ok(())
    }

    /// Indexes `id` under its owner with a composite key.
    #[submit(name = "IndexAsset")]
    async fn index_asset(
        &self,
        ctx: &SubmitCtx,
        owner: String,
        id: String,
    ) -> Result<(), ContractError> {
        let key = fabric_contract::ledger::create_composite_key("owner~id", &[&owner, &id])?;
        ctx.put_state(&key, b"\0").await?;
        Ok(())
    }

    /// Reads `id` (one GET_STATE the peer may never answer).
    #[evaluate(name = "ReadAsset")]
    async fn read_asset(&self, ctx: &EvaluateCtx, id: String) -> Result<String, ContractError> {
        let value = ctx.get_state(&id).await?.unwrap_or_default();
        Ok(String::from_utf8_lossy(&value).into_owned())
    }

    /// Returns `value`.
    #[evaluate(name = "Echo")]
    async fn echo(&self, _ctx: &EvaluateCtx, value: String) -> Result<String, ContractError> {
        Ok(value)
    }

    /// `value` repeated `times` times: a result larger than its request.
    #[evaluate(name = "Repeat")]
    async fn repeat(
        &self,
        _ctx: &EvaluateCtx,
        value: String,
        times: u32,
    ) -> Result<String, ContractError> {
        Ok(value.repeat(times as usize))
    }

    /// The caller's id: parses the creator's certificate.
    #[evaluate(name = "WhoAmI")]
    async fn who_am_i(&self, ctx: &EvaluateCtx) -> Result<String, ContractError> {
        Ok(ctx.client()?.id())
    }
}

fn chaincode() -> ContractChaincode<Assets> {
    ContractChaincode::new(Assets)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Launch {
    /// The chaincode dials the (hostile) peer.
    Client,
    /// The (hostile) peer dials the chaincode server.
    Server,
}

/// A running chaincode and the hostile peer's end of one stream.
struct Setup {
    peer: PeerConn,
    /// The CCaaS port, for further connections.
    port: Option<u16>,
    served: Served,
    pki: Pki,
}

/// The chaincode's task, stopped when the test ends.
struct Served(tokio::task::JoinHandle<()>);

impl Drop for Served {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn server_settings(tls: Option<ServerTls>, limits: Limits) -> Settings {
    Settings {
        chaincode_id: "assets:1".into(),
        peer_msp_id: None,
        handshake_timeout: Duration::from_secs(20),
        mode: Mode::Server(ServerSettings {
            address: "127.0.0.1:0".into(),
            tls,
        }),
        limits,
    }
}

fn server_tls(pki: &Pki) -> ServerTls {
    ServerTls {
        cert_pem: pki.server_cert_pem.clone().into_bytes(),
        key_pem: pki.server_key_pem.clone().into_bytes(),
        client_ca_pem: Some(pki.ca_pem.clone().into_bytes()),
    }
}

/// The peer's TLS when it dials a mutual-TLS chaincode server.
fn peer_client_tls(pki: &Pki) -> ClientTlsConfig {
    ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(&pki.ca_pem))
        .identity(Identity::from_pem(
            &pki.client_cert_pem,
            &pki.client_key_pem,
        ))
        .domain_name("localhost")
}

/// Starts a CCaaS chaincode with `limits`; returns its port and task.
async fn start_server(
    tls: Option<ServerTls>,
    limits: Limits,
) -> (u16, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let served = tokio::spawn(async move {
        let _ = serve_server_on(listener, server_settings(tls, limits), chaincode()).await;
    });
    (port, served)
}

async fn dial_server(port: u16, pki: Option<&Pki>) -> Result<PeerConn, String> {
    match pki {
        Some(pki) => {
            dial(
                format!("https://127.0.0.1:{port}"),
                Some(peer_client_tls(pki)),
                None,
            )
            .await
        }
        None => dial(format!("http://127.0.0.1:{port}"), None, None).await,
    }
}

/// Brings a chaincode up in `launch` mode, past READY.
async fn setup(launch: Launch, tls: bool, limits: Limits) -> Setup {
    let pki = pki();
    let (peer, port, served) = match launch {
        Launch::Client => {
            let server_tls = tls.then(|| {
                ServerTlsConfig::new()
                    .identity(Identity::from_pem(
                        &pki.server_cert_pem,
                        &pki.server_key_pem,
                    ))
                    .client_ca_root(Certificate::from_pem(&pki.ca_pem))
            });
            let (addr, mut conns) = start_peer(server_tls).await;
            let client_tls = tls.then(|| ClientTls {
                root_cert_pem: pki.ca_pem.clone().into_bytes(),
                client_cert_pem: pki.client_cert_pem.clone().into_bytes(),
                client_key_pem: pki.client_key_pem_lying.clone().into_bytes(),
            });
            let mut settings = client_settings(
                format!("localhost:{}", addr.port()),
                client_tls,
                Duration::from_secs(20),
            );
            settings.limits = limits;
            let served = tokio::spawn(async move {
                let _ = serve_client(settings, chaincode()).await;
            });
            (next_conn(&mut conns).await, None, served)
        }
        Launch::Server => {
            let (port, served) = start_server(tls.then(|| server_tls(&pki)), limits).await;
            let peer = dial_server(port, tls.then_some(&pki)).await.unwrap();
            (peer, Some(port), served)
        }
    };
    let mut setup = Setup {
        peer,
        port,
        served: Served(served),
        pki,
    };
    setup.peer.handshake(Vec::new()).await;
    setup
}

fn call(txid: &str, args: &[&str]) -> ChaincodeMessage {
    transaction("ch", txid, args)
}

fn error_text(msg: &ChaincodeMessage) -> String {
    assert_eq!(
        msg.r#type,
        Type::Error as i32,
        "expected ERROR, got {msg:?}"
    );
    String::from_utf8(msg.payload.clone()).unwrap()
}

async fn expect_echo(peer: &mut PeerConn, txid: &str, text: &str) {
    peer.send(call(txid, &["Echo", text]));
    let done = peer.recv().await;
    assert_eq!(done.txid, txid);
    let response = response_of(&done);
    assert_eq!(
        (response.status, response.payload.as_slice()),
        (200, text.as_bytes())
    );
}

// ----- issue #13, item 2: message size -------------------------------------------------------

/// A 17 MiB argument of U+0001 becomes a ~102 MiB PUT_STATE: that transaction
/// fails naming the limit, the stream stays up, and a transaction that was
/// already in flight completes.
async fn oversized_request_fails_only_its_transaction(launch: Launch, tls: bool) {
    let mut s = setup(launch, tls, Limits::default()).await;
    let peer = &mut s.peer;
    peer.send(call("waiting", &["ReadAsset", "a1"]));
    let pending = peer.recv().await;
    assert_eq!(pending.r#type, Type::GetState as i32);
    let value = "\u{1}".repeat(17 * 1024 * 1024);
    peer.send(call("huge", &["CreateAsset", "big", &value]));
    // Escaping and encoding ~100 MiB takes a while in a debug build on a busy machine.
    let failed = peer
        .try_recv(Duration::from_secs(600))
        .await
        .expect("the oversized transaction is answered");
    assert_eq!(failed.txid, "huge");
    let response = response_of(&failed);
    assert_eq!(response.status, 500, "{}", response.message);
    assert!(
        response
            .message
            .contains("above the peer's message limit of 104857600 bytes"),
        "{}",
        response.message
    );
    assert!(
        response.message.contains("PUT_STATE"),
        "{}",
        response.message
    );
    // The transaction in flight goes on.
    peer.send(reply(Type::Response, &pending, b"v1"));
    let done = peer.recv().await;
    assert_eq!(
        (done.txid.as_str(), response_of(&done).payload.as_slice()),
        ("waiting", &b"v1"[..])
    );
    expect_echo(peer, "after", "alive").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_request_client_mode() {
    oversized_request_fails_only_its_transaction(Launch::Client, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_request_server_mode_tls() {
    oversized_request_fails_only_its_transaction(Launch::Server, true).await;
}

/// The limits of issue #13 that apply to both modes, with smaller settings.
async fn limits_hold(launch: Launch, tls: bool) {
    let limits = Limits {
        max_message_size: 64 * 1024,
        max_in_flight: 2,
        transaction_timeout: Some(Duration::from_millis(500)),
        ..Limits::default()
    };
    let mut s = setup(launch, tls, limits).await;
    let peer = &mut s.peer;

    // Item 2: a COMPLETED above the limit is a 500 naming it.
    let big = "x".repeat(40 * 1024);
    peer.send(call("big-result", &["Repeat", &big, "2"]));
    let response = response_of(&peer.recv().await);
    assert_eq!(response.status, 500);
    assert!(
        response.message.contains("limit of 65536 bytes"),
        "{}",
        response.message
    );

    // Item 3: a simple key in the reserved U+0000 space is refused before
    // anything is sent; a composite key goes through.
    for (i, id) in ["\u{0}\u{10FFFF}initialized", "\u{0}x"].iter().enumerate() {
        peer.send(call(&format!("reserved{i}"), &["CreateAsset", id, "v"]));
        let done = peer.recv().await;
        assert_eq!(
            done.r#type,
            Type::Completed as i32,
            "nothing is written: {done:?}"
        );
        let response = response_of(&done);
        assert_eq!(response.status, 500);
        assert!(
            response.message.contains("must not start with U+0000"),
            "{}",
            response.message
        );
    }
    peer.send(call("composite", &["IndexAsset", "alice", "a1"]));
    let put = peer.recv().await;
    assert_eq!(put.r#type, Type::PutState as i32);
    assert_eq!(
        PutState::decode(put.payload.as_slice()).unwrap().key,
        "\u{0}owner~id\u{0}alice\u{0}a1\u{0}"
    );
    peer.send(reply(Type::Response, &put, b""));
    assert_eq!(response_of(&peer.recv().await).status, 200);

    // Item 4: beyond the in-flight cap, ERROR naming it; the others go on.
    peer.send(call("w1", &["ReadAsset", "k"]));
    let get1 = peer.recv().await;
    peer.send(call("w2", &["ReadAsset", "k"]));
    let get2 = peer.recv().await;
    peer.send(call("w3", &["ReadAsset", "k"]));
    let refused = peer.recv().await;
    assert_eq!(refused.txid, "w3");
    assert!(error_text(&refused).contains("CHAINCODE_MAX_IN_FLIGHT"));
    for get in [&get1, &get2] {
        peer.send(reply(Type::Response, get, b"v"));
        assert_eq!(response_of(&peer.recv().await).status, 200);
    }

    // Item 5: a ledger request the peer never answers fails at the deadline.
    peer.send(call("stuck", &["ReadAsset", "k"]));
    let get = peer.recv().await;
    assert_eq!(get.r#type, Type::GetState as i32);
    let failed = tokio::time::timeout(EVENTUALLY, peer.recv()).await.unwrap();
    assert_eq!(failed.txid, "stuck");
    assert!(error_text(&failed).contains("CHAINCODE_TRANSACTION_TIMEOUT"));
    // Its late answer is dropped; the stream serves on.
    peer.send(reply(Type::Response, &get, b"late"));
    expect_echo(peer, "after", "alive").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_client_plain() {
    limits_hold(Launch::Client, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_client_tls() {
    limits_hold(Launch::Client, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_server_plain() {
    limits_hold(Launch::Server, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_server_tls() {
    limits_hold(Launch::Server, true).await;
}

// ----- faults handled before issue #13, kept handled -----------------------------------------

async fn known_faults_stay_handled(launch: Launch, tls: bool) {
    let mut s = setup(launch, tls, Limits::default()).await;
    let peer = &mut s.peer;
    // Unknown and chaincode-bound types in ready.
    for ty in [12, Type::GetState as i32, Type::Register as i32] {
        peer.send(ChaincodeMessage {
            r#type: ty,
            txid: format!("u{ty}"),
            channel_id: "ch".into(),
            ..Default::default()
        });
        assert!(error_text(&peer.recv().await).contains("in state ready"));
    }
    // Malformed ChaincodeInput.
    let mut bad = call("bad-input", &[]);
    bad.payload = vec![0x0a, 0xff];
    peer.send(bad);
    assert!(error_text(&peer.recv().await).contains("ChaincodeInput"));
    // Undecodable proposal: read when the contract asks for the caller, and the transaction
    // fails naming it. A transaction that never asks for a fact of its proposal does not read it.
    let undecodable = Some(SignedProposal {
        proposal_bytes: vec![0xff, 0xff],
        signature: vec![],
    });
    let mut bad = call("bad-proposal", &["WhoAmI"]);
    bad.proposal = undecodable.clone();
    peer.send(bad);
    assert!(error_text(&peer.recv().await).contains("invalid transaction proposal"));
    let mut unread = call("unread-proposal", &["Echo", "x"]);
    unread.proposal = undecodable;
    peer.send(unread);
    assert_eq!(response_of(&peer.recv().await).payload, b"x");
    // A creator whose identity is not an X.509 certificate.
    let creator = serialized_identity("Org1MSP", b"not a certificate");
    let mut odd = ProposalSpec::new("ch", "assets", creator)
        .args(["WhoAmI"])
        .build()
        .message(false);
    odd.txid = "odd-creator".into();
    peer.send(odd);
    let done = peer.recv().await;
    assert_eq!(done.txid, "odd-creator");
    assert!(response_of(&done).status >= 400);
    // Invalid UTF-8 in a string argument.
    peer.send(tx_msg(
        Type::Transaction,
        "ch",
        "utf8",
        &[b"Echo", &[0xff, 0xfe]],
    ));
    assert!(response_of(&peer.recv().await).status >= 400);
    // 10^4 arguments.
    let many: Vec<&[u8]> = std::iter::once(&b"Echo"[..])
        .chain(std::iter::repeat_n(&b"a"[..], 10_000))
        .collect();
    peer.send(tx_msg(Type::Transaction, "ch", "many", &many));
    assert!(response_of(&peer.recv().await).status >= 400);
    // A duplicate txid while the first runs.
    peer.send(call("dup", &["ReadAsset", "k"]));
    let get = peer.recv().await;
    peer.send(call("dup", &["Echo", "again"]));
    assert!(error_text(&peer.recv().await).contains("already running"));
    peer.send(reply(Type::Response, &get, b"v"));
    assert_eq!(response_of(&peer.recv().await).payload, b"v");
    expect_echo(peer, "alive", "still serving").await;

    // A disconnect mid-transaction: client mode ends serve (the peer
    // relaunches), the server keeps serving new connections.
    peer.send(call("cut", &["ReadAsset", "k"]));
    assert_eq!(peer.recv().await.r#type, Type::GetState as i32);
    let Setup {
        peer,
        port,
        mut served,
        pki,
    } = s;
    drop(peer);
    if let Some(port) = port {
        let mut again = dial_server(port, tls.then_some(&pki)).await.unwrap();
        again.handshake(Vec::new()).await;
        expect_echo(&mut again, "reconnected", "yes").await;
    } else {
        tokio::time::timeout(EVENTUALLY, &mut served.0)
            .await
            .expect("serve_client returns when the peer goes away")
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn known_faults_client_plain() {
    known_faults_stay_handled(Launch::Client, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn known_faults_client_tls() {
    known_faults_stay_handled(Launch::Client, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn known_faults_server_plain() {
    known_faults_stay_handled(Launch::Server, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn known_faults_server_tls() {
    known_faults_stay_handled(Launch::Server, true).await;
}

// ----- issue #13, item 1: the CCaaS server's connections --------------------------------------

/// Reads until the server closes the connection; false if it stays open.
async fn closed_by_server(socket: &mut TcpStream) -> bool {
    let mut buf = [0u8; 4096];
    tokio::time::timeout(EVENTUALLY, async {
        loop {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await
    .is_ok()
}

async fn idle_connections_are_closed(tls: bool) {
    let pki = pki();
    let limits = Limits {
        connection_handshake_timeout: Duration::from_millis(300),
        ..Limits::default()
    };
    let (port, _served) = start_server(tls.then(|| server_tls(&pki)), limits).await;
    let mut idle = Vec::new();
    for _ in 0..20 {
        idle.push(TcpStream::connect(("127.0.0.1", port)).await.unwrap());
    }
    // One that starts a TLS record (or an HTTP/2 preface) and stops half-way.
    let mut partial = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    partial
        .write_all(if tls {
            &[0x16, 0x03, 0x01]
        } else {
            b"PRI * HT"
        })
        .await
        .unwrap();
    idle.push(partial);
    for (i, socket) in idle.iter_mut().enumerate() {
        assert!(
            closed_by_server(socket).await,
            "idle connection {i} was never closed"
        );
    }
    // The server still serves a real peer.
    let mut peer = dial_server(port, tls.then_some(&pki)).await.unwrap();
    peer.handshake(Vec::new()).await;
    expect_echo(&mut peer, "t", "ok").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_are_closed_plain() {
    idle_connections_are_closed(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_are_closed_tls() {
    idle_connections_are_closed(true).await;
}

async fn a_real_peer_gets_in_past_idle_sockets(tls: bool) {
    let pki = pki();
    // A long handshake deadline: only the pending-connection cap can help.
    let limits = Limits {
        connection_handshake_timeout: Duration::from_secs(600),
        max_pending_connections: 8,
        ..Limits::default()
    };
    let (port, _served) = start_server(tls.then(|| server_tls(&pki)), limits).await;
    let mut idle = Vec::new();
    for _ in 0..100 {
        idle.push(TcpStream::connect(("127.0.0.1", port)).await.unwrap());
    }
    // All but the newest 8 are closed by the server.
    let mut closed = 0;
    for socket in idle.iter_mut().take(90) {
        closed += usize::from(closed_by_server(socket).await);
    }
    assert_eq!(closed, 90);
    let mut peer = tokio::time::timeout(EVENTUALLY, dial_server(port, tls.then_some(&pki)))
        .await
        .expect("a real peer connects")
        .unwrap();
    peer.handshake(Vec::new()).await;
    expect_echo(&mut peer, "t", "in").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_peer_gets_in_past_idle_sockets_plain() {
    a_real_peer_gets_in_past_idle_sockets(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_peer_gets_in_past_idle_sockets_tls() {
    a_real_peer_gets_in_past_idle_sockets(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_ignores_pings_is_closed() {
    let limits = Limits {
        keepalive_interval: Duration::from_millis(200),
        keepalive_timeout: Duration::from_millis(200),
        ..Limits::default()
    };
    let (port, _served) = start_server(None, limits).await;
    let mut socket = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    // The preface and an empty SETTINGS frame; then silence, PINGs unanswered.
    socket
        .write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
        .await
        .unwrap();
    socket
        .write_all(&[0, 0, 0, 4, 0, 0, 0, 0, 0])
        .await
        .unwrap();
    let mut seen = Vec::new();
    let closed = tokio::time::timeout(EVENTUALLY, async {
        let mut buf = [0u8; 1024];
        loop {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "the connection stayed open");
    // A PING frame (type 6) was sent before the close.
    let mut at = 0;
    let mut pinged = false;
    while at + 9 <= seen.len() {
        let len = (usize::from(seen[at]) << 16)
            | (usize::from(seen[at + 1]) << 8)
            | usize::from(seen[at + 2]);
        pinged |= seen[at + 3] == 6;
        at += 9 + len;
    }
    assert!(pinged, "no PING among {} bytes", seen.len());
}

// ----- item 1 under a file-descriptor limit, in a child process ------------------------------

/// The child: a CCaaS chaincode under `ulimit -n 64`, configured by
/// HOSTILE_CHILD="pending,handshake_ms", printing its port.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run by the fd-limit tests in a child process"]
async fn child_ccaas_server() {
    let Ok(config) = std::env::var("HOSTILE_CHILD") else {
        return;
    };
    let (pending, handshake) = config.split_once(',').unwrap();
    let limits = Limits {
        max_pending_connections: pending.parse().unwrap(),
        connection_handshake_timeout: Duration::from_millis(handshake.parse().unwrap()),
        ..Limits::default()
    };
    {
        use tracing_subscriber::layer::SubscriberExt as _;
        use tracing_subscriber::util::SubscriberInitExt as _;
        let filter: tracing_subscriber::filter::Targets = "fabric_contract=warn".parse().unwrap();
        tracing_subscriber::registry()
            .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
            .with(filter)
            .init();
    }
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    println!("PORT {}", listener.local_addr().unwrap().port());
    let _ = serve_server_on(listener, server_settings(None, limits), chaincode()).await;
}

/// The child process and the warnings it logs.
struct Child {
    process: std::process::Child,
    port: u16,
    pauses: Arc<std::sync::atomic::AtomicUsize>,
}

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn child(pending: usize, handshake_ms: u64) -> Child {
    let exe = std::env::current_exe().unwrap();
    let mut process = Command::new("sh")
        .arg("-c")
        .arg("ulimit -n 64 && exec \"$0\" \"$@\"")
        .arg(exe)
        .args(["child_ccaas_server", "--exact", "--ignored", "--nocapture"])
        .env("HOSTILE_CHILD", format!("{pending},{handshake_ms}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(process.stdout.take().unwrap());
    let port = stdout
        .lines()
        .map_while(Result::ok)
        .find_map(|line| line.strip_prefix("PORT ").map(|p| p.parse().unwrap()))
        .expect("the child prints its port");
    let pauses = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let stderr = BufReader::new(process.stderr.take().unwrap());
    let counter = Arc::clone(&pauses);
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            if line.contains("pausing before the next accept") {
                counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
    });
    Child {
        process,
        port,
        pauses,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_a_descriptor_limit_idle_sockets_do_not_lock_out_a_peer() {
    // Cap 16 < 64 descriptors, and a handshake deadline that never fires here.
    let child = child(16, 600_000);
    let mut idle = Vec::new();
    for _ in 0..200 {
        idle.push(TcpStream::connect(("127.0.0.1", child.port)).await.unwrap());
    }
    let mut peer = tokio::time::timeout(EVENTUALLY, dial_server(child.port, None))
        .await
        .expect("a real peer connects past 200 idle sockets")
        .unwrap();
    peer.handshake(Vec::new()).await;
    expect_echo(&mut peer, "t", "in").await;
    drop(idle);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn out_of_descriptors_the_accept_loop_pauses_and_recovers() {
    // A cap above the descriptor limit, so accept itself runs out (EMFILE).
    let child = child(1000, 1000);
    let started = std::time::Instant::now();
    let mut idle = Vec::new();
    for _ in 0..100 {
        idle.push(TcpStream::connect(("127.0.0.1", child.port)).await.unwrap());
    }
    let seen_pause = tokio::time::timeout(EVENTUALLY, async {
        while child.pauses.load(std::sync::atomic::Ordering::Relaxed) == 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(
        seen_pause.is_ok(),
        "the server never ran out of descriptors"
    );
    // The idle sockets time out; then a real peer gets in.
    let mut peer = tokio::time::timeout(EVENTUALLY, async {
        loop {
            match dial_server(child.port, None).await {
                Ok(peer) => return peer,
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    })
    .await
    .expect("a real peer connects once descriptors are free");
    peer.handshake(Vec::new()).await;
    expect_echo(&mut peer, "t", "recovered").await;
    // A spinning loop logs an error per attempt (hundreds of thousands a
    // second); a pausing one at most one per 5 ms, and far fewer as pauses double.
    let pauses = child.pauses.load(std::sync::atomic::Ordering::Relaxed);
    let bound = 10 + started.elapsed().as_millis() as usize / 5;
    assert!(
        pauses <= bound,
        "{pauses} accept errors logged: the loop does not pause"
    );
    drop(idle);
}
