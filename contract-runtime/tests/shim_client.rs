//! Client mode over real loopback gRPC against a scripted peer: handshake,
//! keepalive, protocol errors, transaction routing, faults, 3.x capabilities, TLS.

mod shim_common;

use std::collections::BTreeMap;
use std::time::Duration;

use fabric_contract::shim::{ClientTls, ShimError, State, serve_client};
use fabric_contract_proto::Message;
use fabric_contract_proto::protos::chaincode_message::Type;
use fabric_contract_proto::protos::{
    ChaincodeAdditionalParams, ChaincodeMessage, GetStateMultiple, GetStateMultipleResult,
    SignedProposal, WriteBatchState,
};
use shim_common::*;
use tonic::transport::{Certificate, Identity, ServerTlsConfig};

type Served = tokio::task::JoinHandle<Result<std::convert::Infallible, ShimError>>;

async fn connected(handshake: Duration) -> (PeerConn, Served) {
    let (addr, mut conns) = start_peer(None).await;
    let settings = client_settings(addr.to_string(), None, handshake);
    let served = tokio::spawn(serve_client(settings, TestCc));
    (next_conn(&mut conns).await, served)
}

async fn ready(ready_payload: Vec<u8>) -> (PeerConn, Served) {
    let (mut peer, served) = connected(Duration::from_secs(10)).await;
    assert_eq!(peer.handshake(ready_payload).await, "mycc:1.0");
    (peer, served)
}

async fn ended(served: Served) -> ShimError {
    let Err(e) = tokio::time::timeout(Duration::from_secs(10), served)
        .await
        .expect("serve returned")
        .unwrap();
    e
}

#[tokio::test]
async fn keepalive_is_echoed_in_every_state() {
    let (mut peer, _served) = connected(Duration::from_secs(10)).await;
    // created: before the peer has even answered REGISTER
    peer.send(bare(Type::Keepalive));
    assert_eq!(peer.recv().await.r#type, Type::Register as i32);
    assert_eq!(peer.recv().await, bare(Type::Keepalive));
    peer.send(bare(Type::Registered));
    peer.send(bare(Type::Keepalive)); // established
    assert_eq!(peer.recv().await, bare(Type::Keepalive));
    peer.send(bare(Type::Ready));
    peer.send(bare(Type::Keepalive)); // ready
    assert_eq!(peer.recv().await, bare(Type::Keepalive));
    peer.send(transaction("ch", "t1", &["echo", "hi"]));
    assert_eq!(response_of(&peer.recv().await).payload, b"hi");
}

#[tokio::test]
async fn unexpected_message_during_handshake_is_an_error_naming_state_and_type() {
    let (mut peer, served) = connected(Duration::from_secs(10)).await;
    assert_eq!(peer.recv().await.r#type, Type::Register as i32);
    peer.send(transaction("ch", "early", &["echo", "x"]));
    let error = peer.recv().await;
    assert_eq!(
        (error.r#type, error.txid.as_str()),
        (Type::Error as i32, "early")
    );
    let text = String::from_utf8(error.payload).unwrap();
    assert!(
        text.contains("TRANSACTION") && text.contains("created"),
        "{text}"
    );
    peer.close();
    let e = ended(served).await;
    assert_eq!(
        e,
        ShimError::Handshake {
            state: State::Created,
            got: "TRANSACTION".into(),
            expected: "REGISTERED or KEEPALIVE"
        }
    );

    let (mut peer, served) = connected(Duration::from_secs(10)).await;
    peer.recv().await;
    peer.send(bare(Type::Registered));
    peer.send(bare(Type::Registered));
    assert_eq!(peer.recv().await.r#type, Type::Error as i32);
    peer.close();
    let e = ended(served).await;
    assert_eq!(
        e.to_string(),
        "protocol error: received REGISTERED in state established, expected READY or KEEPALIVE"
    );
}

#[tokio::test]
async fn handshake_timeout_names_the_registered_id() {
    let (mut peer, served) = connected(Duration::from_millis(300)).await;
    assert_eq!(peer.recv().await.r#type, Type::Register as i32);
    let e = ended(served).await;
    assert!(
        matches!(&e, ShimError::HandshakeTimeout { chaincode_id, state: State::Created, .. } if chaincode_id == "mycc:1.0")
    );
    assert!(e.to_string().contains("\"mycc:1.0\""), "{e}");
}

#[tokio::test]
async fn peer_disconnect_ends_serve_with_an_error() {
    let (peer, served) = ready(Vec::new()).await;
    peer.close();
    assert_eq!(
        ended(served).await,
        ShimError::StreamEnded {
            state: State::Ready
        }
    );
}

#[tokio::test]
async fn unreachable_peer_is_a_connect_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let settings = client_settings(addr.to_string(), None, Duration::from_secs(5));
    let Err(e) = serve_client(settings, TestCc).await;
    assert!(
        matches!(&e, ShimError::Connect { address, .. } if *address == addr.to_string()),
        "{e}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_transactions_with_interleaved_requests() {
    let (mut peer, _served) = ready(Vec::new()).await;
    for i in 0..200 {
        peer.send(transaction(
            "ch",
            &format!("tx{i}"),
            &["get2", &format!("k{i}")],
        ));
    }
    // First round: hold every GET_STATE, then answer in reverse order.
    let mut first = Vec::new();
    while first.len() < 200 {
        let msg = peer.recv().await;
        assert_eq!(msg.r#type, Type::GetState as i32, "{msg:?}");
        first.push(msg);
    }
    for msg in first.iter().rev() {
        let value = key_of(msg).replace('k', "v");
        peer.send(reply(Type::Response, msg, value.as_bytes()));
    }
    let mut done = BTreeMap::new();
    while done.len() < 200 {
        let msg = peer.recv().await;
        match Type::from_wire(msg.r#type) {
            Some(Type::GetState) => {
                let value = key_of(&msg).replace('k', "w");
                peer.send(reply(Type::Response, &msg, value.as_bytes()));
            }
            Some(Type::Completed) => {
                let payload = response_of(&msg).payload;
                assert!(
                    done.insert(msg.txid.clone(), payload).is_none(),
                    "second COMPLETED for {}",
                    msg.txid
                );
            }
            _ => panic!("unexpected {msg:?}"),
        }
    }
    for i in 0..200 {
        assert_eq!(
            done[&format!("tx{i}")],
            format!("v{i}|w{i}b").into_bytes(),
            "tx{i}"
        );
    }
}

#[tokio::test]
async fn same_txid_on_two_channels_does_not_collide() {
    let (mut peer, _served) = ready(Vec::new()).await;
    peer.send(transaction("ch1", "same", &["get", "a"]));
    peer.send(transaction("ch2", "same", &["get", "a"]));
    let r1 = peer.recv().await;
    let r2 = peer.recv().await;
    let mut requests = [r1, r2];
    requests.sort_by(|a, b| a.channel_id.cmp(&b.channel_id));
    peer.send(reply(Type::Response, &requests[1], b"two"));
    peer.send(reply(Type::Response, &requests[0], b"one"));
    let mut results = BTreeMap::new();
    for _ in 0..2 {
        let msg = peer.recv().await;
        results.insert(msg.channel_id.clone(), response_of(&msg).payload);
    }
    assert_eq!(results["ch1"], b"one");
    assert_eq!(results["ch2"], b"two");
}

#[tokio::test]
async fn duplicate_running_key_is_refused_and_the_first_completes() {
    let (mut peer, _served) = ready(Vec::new()).await;
    peer.send(transaction("ch", "t1", &["get", "a"]));
    let request = peer.recv().await;
    assert_eq!(request.r#type, Type::GetState as i32);
    peer.send(transaction("ch", "t1", &["echo", "x"]));
    let error = peer.recv().await;
    assert_eq!(
        (error.r#type, error.txid.as_str(), error.channel_id.as_str()),
        (Type::Error as i32, "t1", "ch")
    );
    assert!(
        String::from_utf8(error.payload)
            .unwrap()
            .contains("already running")
    );
    peer.send(reply(Type::Response, &request, b"A"));
    assert_eq!(response_of(&peer.recv().await).payload, b"A");
    // Once finished, the key is free again.
    peer.send(transaction("ch", "t1", &["echo", "again"]));
    assert_eq!(response_of(&peer.recv().await).payload, b"again");
}

#[tokio::test]
async fn late_replies_unknown_types_and_malformed_payloads_keep_the_stream_serving() {
    let (mut peer, _served) = ready(Vec::new()).await;
    // A reply nobody waits for is dropped silently.
    peer.send(reply(
        Type::Response,
        &transaction("ch", "ghost", &[]),
        b"late",
    ));
    peer.send(reply(
        Type::Error,
        &transaction("ch", "ghost", &[]),
        b"late",
    ));
    // Unknown (12) and peer-bound (GET_STATE) types in ready: ERROR for that txid.
    for ty in [12, Type::GetState as i32, Type::Registered as i32] {
        peer.send(ChaincodeMessage {
            r#type: ty,
            txid: format!("u{ty}"),
            channel_id: "ch".into(),
            ..Default::default()
        });
        let error = peer.recv().await;
        assert_eq!(
            (error.r#type, error.txid),
            (Type::Error as i32, format!("u{ty}"))
        );
        assert!(
            String::from_utf8(error.payload)
                .unwrap()
                .contains("in state ready")
        );
    }
    // Undecodable ChaincodeInput.
    let mut bad = transaction("ch", "bad-input", &[]);
    bad.payload = vec![0x0a, 0xff];
    peer.send(bad);
    let error = peer.recv().await;
    assert_eq!(
        (error.r#type, error.txid.as_str()),
        (Type::Error as i32, "bad-input")
    );
    assert!(
        String::from_utf8(error.payload)
            .unwrap()
            .contains("ChaincodeInput")
    );
    // Undecodable proposal, read when the handler asks for the creator.
    let mut bad = transaction("ch", "bad-proposal", &["creator"]);
    bad.proposal = Some(SignedProposal {
        proposal_bytes: vec![0xff, 0xff],
        signature: vec![],
    });
    peer.send(bad);
    let error = peer.recv().await;
    assert_eq!(
        (error.r#type, error.txid.as_str()),
        (Type::Error as i32, "bad-proposal")
    );
    assert!(
        String::from_utf8(error.payload)
            .unwrap()
            .contains("proposal")
    );
    // Still serving; and a reply after COMPLETED is dropped too.
    peer.send(transaction("ch", "ok", &["echo", "alive"]));
    let done = peer.recv().await;
    assert_eq!(response_of(&done).payload, b"alive");
    peer.send(reply(Type::Response, &done, b"late"));
    peer.send(transaction("ch", "ok2", &["echo", "still"]));
    assert_eq!(response_of(&peer.recv().await).payload, b"still");
    assert!(
        peer.try_recv(Duration::from_millis(200)).await.is_none(),
        "nothing answers late replies"
    );
}

#[tokio::test]
async fn a_panic_fails_only_its_transaction() {
    let (mut peer, _served) = ready(Vec::new()).await;
    peer.send(transaction("ch", "boom", &["panic"]));
    let done = peer.recv().await;
    assert_eq!(done.txid, "boom");
    let response = response_of(&done);
    assert_eq!(
        (response.status, response.message.as_str()),
        (500, "transaction panicked")
    );
    peer.send(transaction("ch", "boom", &["echo", "fine"]));
    let response = response_of(&peer.recv().await);
    assert_eq!(
        (response.status, response.payload.as_slice()),
        (200, &b"fine"[..])
    );
}

#[tokio::test]
async fn status_zero_is_sent_as_500_and_init_and_events_travel() {
    let (mut peer, _served) = ready(Vec::new()).await;
    peer.send(transaction("ch", "z", &["nostatus"]));
    let response = response_of(&peer.recv().await);
    assert_eq!(response.status, 500);
    assert!(
        response.message.contains("without a status"),
        "{}",
        response.message
    );
    peer.send(tx_msg(Type::Init, "ch", "i", &[b"init"]));
    assert_eq!(response_of(&peer.recv().await).payload, b"init-ok");
    peer.send(transaction("ch", "e", &["event", "Created"]));
    let done = peer.recv().await;
    assert_eq!(response_of(&done).status, 200);
    let event = done.chaincode_event.expect("event attached");
    assert_eq!(
        (event.event_name.as_str(), event.payload.as_slice()),
        ("Created", &b"payload"[..])
    );
}

fn caps(batch: bool, multi: bool) -> Vec<u8> {
    ChaincodeAdditionalParams {
        use_write_batch: batch,
        max_size_write_batch: 1000,
        use_get_multiple_keys: multi,
        max_size_get_multiple_keys: 1000,
    }
    .encode_to_vec()
}

#[tokio::test]
async fn batch_requests_only_when_ready_announced_them() {
    for ready_payload in [Vec::new(), caps(false, false), b"\xff\xff".to_vec()] {
        let (mut peer, _served) = ready(ready_payload.clone()).await;
        peer.send(transaction("ch", "m", &["getmany", "a", "b"]));
        for key in ["a", "b"] {
            let msg = peer.recv().await;
            assert_eq!(
                (msg.r#type, key_of(&msg)),
                (Type::GetState as i32, key.to_string()),
                "{ready_payload:?}"
            );
            peer.send(reply(Type::Response, &msg, key.to_uppercase().as_bytes()));
        }
        assert_eq!(response_of(&peer.recv().await).payload, b"A,B");
        peer.send(transaction("ch", "p", &["put", "k", "v"]));
        let msg = peer.recv().await;
        assert_eq!(msg.r#type, Type::PutState as i32, "{ready_payload:?}");
        peer.send(reply(Type::Response, &msg, b""));
        assert_eq!(response_of(&peer.recv().await).status, 200);
    }

    let (mut peer, _served) = ready(caps(true, true)).await;
    peer.send(transaction("ch", "m", &["getmany", "a", "b"]));
    let msg = peer.recv().await;
    assert_eq!(msg.r#type, Type::GetStateMultiple as i32);
    assert_eq!(
        GetStateMultiple::decode(msg.payload.as_slice())
            .unwrap()
            .keys,
        ["a", "b"]
    );
    let result = GetStateMultipleResult {
        values: vec![b"A".to_vec(), b"B".to_vec()],
    };
    peer.send(reply(Type::Response, &msg, &result.encode_to_vec()));
    assert_eq!(response_of(&peer.recv().await).payload, b"A,B");
    peer.send(transaction("ch", "p", &["put", "k", "v"]));
    let msg = peer.recv().await;
    assert_eq!(msg.r#type, Type::WriteBatchState as i32);
    let batch = WriteBatchState::decode(msg.payload.as_slice()).unwrap();
    assert_eq!(
        (
            batch.rec.len(),
            batch.rec[0].key.as_str(),
            batch.rec[0].value.as_slice()
        ),
        (1, "k", &b"v"[..])
    );
    peer.send(reply(Type::Response, &msg, b""));
    assert_eq!(response_of(&peer.recv().await).status, 200);
    // A failed flush turns the transaction into ERROR.
    peer.send(transaction("ch", "p2", &["put", "k", "v"]));
    let msg = peer.recv().await;
    peer.send(reply(Type::Error, &msg, b"disk full"));
    let error = peer.recv().await;
    assert_eq!(
        (error.r#type, error.txid.as_str()),
        (Type::Error as i32, "p2")
    );
    assert!(
        String::from_utf8(error.payload)
            .unwrap()
            .contains("disk full")
    );
}

#[tokio::test]
async fn large_messages_up_to_100_mib_pass() {
    let (mut peer, _served) = ready(Vec::new()).await;
    let big = vec![b'x'; 6 * 1024 * 1024]; // above tonic's 4 MiB default
    peer.send(tx_msg(Type::Transaction, "ch", "big", &[b"echo", &big]));
    assert_eq!(response_of(&peer.recv().await).payload.len(), big.len());
}

#[tokio::test]
async fn two_hundred_sequential_ledger_calls_complete() {
    let (mut peer, _served) = ready(Vec::new()).await;
    peer.send(transaction("ch", "l", &["loop", "200"]));
    loop {
        let msg = peer.recv().await;
        if msg.r#type == Type::Completed as i32 {
            assert_eq!(response_of(&msg).payload, b"200");
            break;
        }
        peer.send(reply(Type::Response, &msg, b"v"));
    }
    // Speed is the benchmark's business (tests/bench); TCP_NODELAY itself is
    // asserted per socket in the server module's unit test.
}

#[tokio::test]
async fn mutual_tls_with_the_peer_generated_key_label() {
    let pki = pki();
    let server_tls = ServerTlsConfig::new()
        .identity(Identity::from_pem(
            &pki.server_cert_pem,
            &pki.server_key_pem,
        ))
        .client_ca_root(Certificate::from_pem(&pki.ca_pem))
        .client_auth_optional(false);
    let (addr, mut conns) = start_peer(Some(server_tls)).await;
    let tls = ClientTls {
        root_cert_pem: pki.ca_pem.clone().into_bytes(),
        client_cert_pem: pki.client_cert_pem.clone().into_bytes(),
        client_key_pem: pki.client_key_pem_lying.clone().into_bytes(),
    };
    let settings = client_settings(
        format!("localhost:{}", addr.port()),
        Some(tls),
        Duration::from_secs(10),
    );
    let _served = tokio::spawn(serve_client(settings, TestCc));
    let mut peer = next_conn(&mut conns).await;
    assert_eq!(
        peer.client_certs, 1,
        "the chaincode presented its client certificate"
    );
    peer.handshake(Vec::new()).await;
    peer.send(transaction("ch", "t", &["echo", "over tls"]));
    assert_eq!(response_of(&peer.recv().await).payload, b"over tls");

    // A root that did not issue the server certificate: the dial fails.
    let other = shim_common::pki();
    let tls = ClientTls {
        root_cert_pem: other.ca_pem.into_bytes(),
        client_cert_pem: pki.client_cert_pem.into_bytes(),
        client_key_pem: pki.client_key_pem.into_bytes(),
    };
    let settings = client_settings(
        format!("localhost:{}", addr.port()),
        Some(tls),
        Duration::from_secs(5),
    );
    let Err(e) = serve_client(settings, TestCc).await;
    assert!(matches!(e, ShimError::Connect { .. }), "{e}");
}
