//! Cross-check with the official Node.js chaincode libraries (`fabric-shim` 2.5.8, `tests/node/`).
//!
//! The Node chaincode is started as a child process in client mode; it dials the test peer, registers
//! and is driven through the scenario in `support::scenario`. Outside CI the tests are skipped (with a
//! printed reason) when `tests/node/node_modules` is missing; in CI that is a failure.

// Shared with emulated_peer_crosscheck.rs, which uses the parts this file does not.
#[allow(dead_code)]
mod support;

use fabric_contract_proto::protos::chaincode_message::Type;
use fabric_contract_tests::node::{NodeChaincode, NodeChaincodeKind, node_modules_or_skip};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::Duration;
use support::mini_peer::{Connection, MiniPeer};
use support::proposal::MSP_ID;
use support::scenario::ChaincodeUnderTest;

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

/// Starts `contract.js` with `fabric-chaincode-node start` against a fresh test peer.
async fn start_contract(test: &str) -> Option<(MiniPeer, NodeChaincode, Connection)> {
    if !node_modules_or_skip(test).expect("Node cross-check prerequisites") {
        return None;
    }
    let mut peer = MiniPeer::start().await;
    let node = NodeChaincode::spawn(NodeChaincodeKind::Contract, peer.addr(), "contract:1.0")
        .expect("start the Node contract chaincode");
    let conn = peer.accept("contract:1.0").await;
    Some((peer, node, conn))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_contract_api_routing_decoding_results_and_errors() {
    let Some((_peer, _node, mut conn)) =
        start_contract("node_contract_api_routing_decoding_results_and_errors").await
    else {
        return;
    };
    support::contract_cases::run_cases(&mut conn, support::contract_cases::NODE_ASSET_CASES).await;
    // The caller's identity as the contract API formats it (differs from Go's base64 form).
    let who = conn.invoke(&["plain:WhoAmI"]).await.ok_json();
    let dn = "/CN=User1@org1.example.com/O=org1.example.com";
    assert_eq!(
        who,
        json!({"mspid": MSP_ID, "id": format!("x509::{dn}::{dn}")})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_contract_api_metadata_structure() {
    let Some((_peer, _node, mut conn)) =
        start_contract("node_contract_api_metadata_structure").await
    else {
        return;
    };
    let meta = conn
        .invoke(&["org.hyperledger.fabric:GetMetadata"])
        .await
        .ok_json();
    let contracts = meta["contracts"].as_object().expect("contracts map");
    assert_eq!(
        contracts.keys().collect::<Vec<_>>(),
        ["assets", "org.hyperledger.fabric", "plain"]
    );
    assert_eq!(
        meta["info"],
        json!({"version": "0.1.0", "title": "fabric-contract-node-crosscheck"}),
        "info comes from package.json"
    );
    let assets = &meta["contracts"]["assets"];
    assert_eq!(
        assets["contractInstance"],
        json!({"name": "assets", "default": true})
    );
    assert_eq!(
        assets["info"],
        json!({"title": "AssetContract", "version": "1.0.0", "name": "AssetContract"})
    );
    let txs = assets["transactions"].as_array().expect("transactions");
    let names: Vec<&str> = txs.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "CreateAsset",
            "ReadAsset",
            "AssetExists",
            "TransferAsset",
            "UpdateAsset",
            "DeleteAsset",
            "GetAllAssets",
            "Double",
            "Negate"
        ],
        "declaration order, not sorted"
    );
    let string = json!({"type": "string"});
    let number = json!({"type": "number"});
    let param =
        |name: &str, schema: &Value| json!({"name": name, "description": "", "schema": schema});
    assert_eq!(txs[0]["tag"], json!(["SUBMIT", "submitTx"]));
    assert_eq!(
        txs[0]["parameters"],
        json!([
            param("id", &string),
            param("color", &string),
            param("size", &number),
            param("owner", &string),
            param("appraisedValue", &number)
        ])
    );
    assert!(
        txs[0].get("returns").is_none(),
        "void transaction has no returns"
    );
    assert_eq!(txs[1]["tag"], json!(["EVALUATE"]));
    assert_eq!(
        txs[1]["returns"],
        json!({"$ref": "#/components/schemas/Asset"})
    );
    assert_eq!(
        txs[4]["parameters"],
        json!([param(
            "updated",
            &json!({"$ref": "#/components/schemas/Asset"})
        )])
    );
    assert_eq!(
        txs[6]["returns"],
        json!({"type": "array", "items": {"$ref": "#/components/schemas/Asset"}})
    );
    assert_eq!(txs[6]["parameters"], json!([]));
    assert_eq!(
        meta["components"]["schemas"]["Asset"],
        json!({
            "$id": "Asset",
            "type": "object",
            "properties": {
                "AppraisedValue": number, "Color": string, "ID": string, "Owner": string, "Size": number
            }
        }),
        "Node components: no required list, additional properties allowed"
    );
    // Without decorators: every own method, string parameters argN, `tags` (plural), no default flag.
    let plain = &meta["contracts"]["plain"];
    assert_eq!(plain["contractInstance"], json!({"name": "plain"}));
    assert_eq!(
        plain["transactions"][0],
        json!({
            "name": "Echo",
            "tags": ["SUBMIT", "submitTx"],
            "parameters": [
                {"name": "arg0", "description": "Argument 0", "schema": string},
                {"name": "arg1", "description": "Argument 1", "schema": string}
            ]
        })
    );
    let plain_names: Vec<&str> = plain["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        plain_names,
        ["Echo", "Fail", "Emit", "WhoAmI"],
        "no _helper, no hooks"
    );
    assert_eq!(
        meta["contracts"]["org.hyperledger.fabric"]["transactions"],
        json!([{"name": "GetMetadata"}]),
        "Node lists GetMetadata with no tag"
    );
}

/// Kills the child on drop.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The same scenario against our Rust shim (`src/bin/rust-raw-crosscheck.rs`, the port of raw.js),
/// started the way a peer starts it in client mode. Needs no Node.js.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rust_raw_chaincode_passes_the_same_scenario() {
    let mut peer = MiniPeer::start().await;
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_rust-raw-crosscheck"))
        .args(["--client", &format!("-peer.address={}", peer.addr())])
        .env("CORE_CHAINCODE_ID_NAME", "rust-raw:1.0")
        .env("CORE_PEER_TLS_ENABLED", "false")
        .env_remove("CORE_PEER_ADDRESS")
        .env_remove("CHAINCODE_SERVER_ADDRESS")
        .stdin(std::process::Stdio::null())
        .spawn()
        .expect("start the Rust chaincode");
    let _child = KillOnDrop(child);
    let mut conn = peer.accept("rust-raw:1.0").await;
    support::scenario::raw_functions(&mut conn).await;
}

/// The Node contract's invocations against our `#[contract]` port (`src/bin/rust-contract-crosscheck.rs`),
/// with the deliberate Go-compatible differences listed in `RUST_ASSET_CASES`. Needs no Node.js.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rust_contract_matches_the_node_contract_cases() {
    let mut peer = MiniPeer::start().await;
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_rust-contract-crosscheck"))
        .args(["--client", &format!("-peer.address={}", peer.addr())])
        .env("CORE_CHAINCODE_ID_NAME", "rust-contract:1.0")
        .env("CORE_PEER_TLS_ENABLED", "false")
        .env_remove("CORE_PEER_ADDRESS")
        .env_remove("CHAINCODE_SERVER_ADDRESS")
        .stdin(std::process::Stdio::null())
        .spawn()
        .expect("start the Rust contract chaincode");
    let _child = KillOnDrop(child);
    let mut conn = peer.accept("rust-contract:1.0").await;
    support::contract_cases::run_cases(&mut conn, support::contract_cases::RUST_ASSET_CASES).await;
    let meta = conn
        .invoke(&["org.hyperledger.fabric:GetMetadata"])
        .await
        .ok_json();
    let contracts = meta["contracts"].as_object().expect("contracts map");
    assert_eq!(
        contracts.keys().collect::<Vec<_>>(),
        ["assets", "org.hyperledger.fabric", "plain"],
        "the same contracts as Node"
    );
    assert_eq!(
        meta["contracts"]["assets"]["default"],
        json!(true),
        "Go's flag, not contractInstance"
    );
    let txs = meta["contracts"]["assets"]["transactions"]
        .as_array()
        .expect("transactions");
    let names: Vec<&str> = txs.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "AssetExists",
            "CreateAsset",
            "DeleteAsset",
            "Double",
            "GetAllAssets",
            "Negate",
            "ReadAsset",
            "TransferAsset",
            "UpdateAsset"
        ],
        "sorted like Go (Node keeps declaration order)"
    );
    let read = txs.iter().find(|t| t["name"] == "ReadAsset").unwrap();
    assert_eq!(read["tag"], json!(["evaluate", "EVALUATE"]), "Go's tags");
    assert_eq!(
        read["returns"],
        json!({"$ref": "#/components/schemas/Asset"}),
        "same as Node"
    );
    assert_eq!(
        read["parameters"],
        json!([{"name": "id", "schema": {"type": "string"}}]),
        "real names like Node, no empty description"
    );
    let all = txs.iter().find(|t| t["name"] == "GetAllAssets").unwrap();
    assert_eq!(
        all["returns"],
        json!({"type": "array", "items": {"$ref": "#/components/schemas/Asset"}})
    );
    assert!(
        all.get("parameters").is_none(),
        "omitted when empty, like Go"
    );
    assert_eq!(
        meta["components"]["schemas"]["Asset"]["required"],
        json!(["AppraisedValue", "Color", "ID", "Owner", "Size"]),
        "Go's required list and closed objects (Node has neither)"
    );
    assert_eq!(
        meta["components"]["schemas"]["Asset"]["additionalProperties"],
        json!(false)
    );
}
