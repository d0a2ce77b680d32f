//! Cross-check with the official Node.js chaincode libraries (`fabric-shim` 2.5.8, `tests/node/`).
//!
//! The Node chaincode is started as a child process in client mode; it dials the test peer, registers
//! and is driven through the scenario in `support::scenario`. Outside CI the tests are skipped (with a
//! printed reason) when `tests/node/node_modules` is missing; in CI that is a failure.

mod support;

use fabric_contract_proto::protos::chaincode_message::Type;
use fabric_contract_tests::node::{NodeChaincode, NodeChaincodeKind, node_modules_or_skip};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::Duration;
use support::mini_peer::{Connection, MiniPeer};
use support::proposal::MSP_ID;

/// Starts the raw Node chaincode against a fresh test peer and completes the handshake.
/// `None` when the test is skipped.
async fn start_raw(test: &str) -> Option<(MiniPeer, NodeChaincode, Connection)> {
    if !node_modules_or_skip(test).expect("Node cross-check prerequisites") {
        return None;
    }
    let mut peer = MiniPeer::start().await;
    let node = NodeChaincode::spawn(NodeChaincodeKind::Raw, peer.addr(), "raw:1.0")
        .expect("start the Node chaincode");
    let conn = peer.accept("raw:1.0").await;
    Some((peer, node, conn))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_raw_chaincode_passes_the_scenario() {
    let Some((_peer, _node, mut conn)) = start_raw("node_raw_chaincode_passes_the_scenario").await
    else {
        return;
    };
    support::scenario::raw_functions(&mut conn).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_shim_request_sequences() {
    let Some((_peer, _node, mut conn)) = start_raw("node_shim_request_sequences").await else {
        return;
    };
    let ask = |args: &'static [&'static str]| args.iter().map(|a| a.as_bytes()).collect::<Vec<_>>();
    let none = BTreeMap::new();

    let (put, _) = conn
        .execute(false, &ask(&["putMany", "r", "150"]), &none)
        .await;
    assert_eq!(
        put.requests,
        vec![Type::PutState; 150],
        "one PUT_STATE per write, no batching"
    );

    // Unpaged over 150 keys: first batch of 100 with has_more, one QUERY_STATE_NEXT, then the shim
    // closes the iterator explicitly even though the peer reported has_more = false.
    let (range, _) = conn.execute(false, &ask(&["range", "r", "s"]), &none).await;
    range.ok();
    assert_eq!(
        range.requests,
        vec![
            Type::GetStateByRange,
            Type::QueryStateNext,
            Type::QueryStateClose
        ]
    );

    // Paged: the whole page in one response, no QUERY_STATE_NEXT.
    let (page, _) = conn
        .execute(false, &ask(&["rangePage", "r", "s", "10", ""]), &none)
        .await;
    page.ok();
    assert_eq!(
        page.requests,
        vec![Type::GetStateByRange, Type::QueryStateClose]
    );

    // An exception is caught by raw.js (not by the shim) and becomes a 500.
    let (thrown, _) = conn
        .execute(false, &ask(&["throws", "kaboom"]), &none)
        .await;
    assert_eq!(thrown.failed(), "throws failed: kaboom");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_shim_reads_the_signed_proposal() {
    let Some((_peer, _node, mut conn)) = start_raw("node_shim_reads_the_signed_proposal").await
    else {
        return;
    };
    let transient = BTreeMap::from([
        ("b".to_owned(), b"2".to_vec()),
        ("a".to_owned(), b"1".to_vec()),
    ]);
    let (info, built) = conn
        .execute(false, &[b"txinfo", b"p1", b""], &transient)
        .await;
    let got: Value = info.ok_json();
    let expected = json!({
        "txId": built.tx_id,
        "channelId": "mychannel",
        "fcn": "txinfo",
        "params": ["p1", ""],
        "mspid": MSP_ID,
        "idBytes": conn.creator().pem,
        "transient": {"a": "1", "b": "2"},
        "timestamp": {"seconds": built.timestamp.seconds.to_string(), "nanos": built.timestamp.nanos},
        "binding": built.binding_hex(conn.creator()),
    });
    assert_eq!(got, expected);
    assert_eq!(info.tx_id, built.tx_id);
}

/// The pitfall the emulated peer must respect: released Node shims (≤ 2.5.8) end the process when a
/// KEEPALIVE arrives in the ready state. If this ever fails, the pinned version has the fix: update
/// tests/node/README.md and the spec, and let the emulated peer send keepalives to Node chaincode again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_shim_2_5_8_exits_on_keepalive_when_ready() {
    let Some((_peer, mut node, mut conn)) =
        start_raw("node_shim_2_5_8_exits_on_keepalive_when_ready").await
    else {
        return;
    };
    // Prove it is ready and serving first.
    let (ok, _) = conn.execute(false, &[b"get", b"k"], &BTreeMap::new()).await;
    ok.ok();
    assert!(node.try_exit_status().is_none());

    conn.send_bare(Type::Keepalive);
    let status = node
        .wait_for_exit(Duration::from_secs(20))
        .expect("Node shim 2.5.8 should exit on KEEPALIVE in the ready state");
    assert_eq!(status.code(), Some(1), "{}", node.output());
}
