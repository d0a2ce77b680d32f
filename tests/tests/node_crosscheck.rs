//! Cross-check with the official Node.js chaincode libraries (`fabric-shim` 2.5.8, `tests/node/`): what
//! the Node shim does on the wire and what the contract API answers, observed through the emulated
//! peer (`fabric_contract::testing::peer`). The shared scenarios themselves run in
//! emulated_peer_crosscheck.rs.
//!
//! The Node chaincode is started as a child process in client mode; it dials the emulated peer and
//! registers. Outside CI the Node tests are skipped (with a printed reason) when
//! `tests/node/node_modules` is missing; in CI that is a failure.

// Shared with emulated_peer_crosscheck.rs, which uses the parts this file does not.
#[allow(dead_code)]
mod support;

use fabric_contract::testing::peer::{ChaincodeDefinition, EmulatedPeer, PeerOptions};
use fabric_contract_proto::Timestamp;
use fabric_contract_proto::protos::chaincode_message::Type;
use fabric_contract_tests::node::{NodeChaincode, NodeChaincodeKind, node_modules_or_skip};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::time::Duration;
use support::emulated::{EmulatedConnection, start_peer};
use support::scenario::ChaincodeUnderTest;

/// Starts a Node chaincode against a fresh emulated peer (no init required) and waits for it to
/// register. `None` when the test is skipped.
async fn start_node(
    test: &str,
    kind: NodeChaincodeKind,
    name: &str,
) -> Option<(NodeChaincode, EmulatedConnection)> {
    if !node_modules_or_skip(test).expect("Node cross-check prerequisites") {
        return None;
    }
    let (peer, address) = start_peer(name, false).await;
    let node = NodeChaincode::spawn(kind, address, name).expect("start the Node chaincode");
    let conn = EmulatedConnection::accept(peer, name).await;
    Some((node, conn))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_shim_request_sequences() {
    let Some((_node, mut conn)) =
        start_node("node_shim_request_sequences", NodeChaincodeKind::Raw, "raw").await
    else {
        return;
    };
    let put = conn.invoke(&["putMany", "r", "150"]).await;
    put.ok();
    assert_eq!(
        put.requests,
        vec![Type::PutState; 150],
        "one PUT_STATE per write, no batching"
    );

    // Unpaged over 150 keys: first batch of 100 with has_more, one QUERY_STATE_NEXT, then the shim
    // closes the iterator explicitly even though the peer reported has_more = false.
    let range = conn.invoke(&["range", "r", "s"]).await;
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
    let page = conn.invoke(&["rangePage", "r", "s", "10", ""]).await;
    page.ok();
    assert_eq!(
        page.requests,
        vec![Type::GetStateByRange, Type::QueryStateClose]
    );

    // An exception is caught by raw.js (not by the shim) and becomes a 500.
    let thrown = conn.invoke(&["throws", "kaboom"]).await;
    assert_eq!(thrown.failed(), "throws failed: kaboom");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_shim_reads_the_signed_proposal() {
    let Some((_node, mut conn)) = start_node(
        "node_shim_reads_the_signed_proposal",
        NodeChaincodeKind::Raw,
        "raw",
    )
    .await
    else {
        return;
    };
    let nonce = b"node-crosscheck-nonce-0001".to_vec();
    let timestamp = Timestamp {
        seconds: 1_700_000_042,
        nanos: 7,
    };
    let info = conn
        .call(|mut invocation| {
            invocation.args = vec![b"txinfo".to_vec(), b"p1".to_vec(), Vec::new()];
            invocation
                .transient("b", "2")
                .transient("a", "1")
                .nonce(nonce.clone())
                .timestamp(timestamp)
        })
        .await;
    let creator = conn.identity().creator();
    let binding = Sha256::new()
        .chain_update(&nonce)
        .chain_update(&creator)
        .chain_update(0u64.to_le_bytes())
        .finalize();
    let tx_id = hex::encode(
        Sha256::new()
            .chain_update(&nonce)
            .chain_update(&creator)
            .finalize(),
    );
    assert_eq!(info.tx_id, tx_id, "txid = hex(SHA-256(nonce ‖ creator))");
    let expected = json!({
        "txId": tx_id,
        "channelId": "mychannel",
        "fcn": "txinfo",
        "params": ["p1", ""],
        "mspid": "Org1MSP",
        "idBytes": conn.identity().cert_pem(),
        "transient": {"a": "1", "b": "2"},
        "timestamp": {"seconds": "1700000042", "nanos": 7},
        "binding": hex::encode(binding),
    });
    assert_eq!(info.ok_json(), expected);
}

/// The pitfall the emulated peer must respect: released Node shims (≤ 2.5.8) end the process when a
/// KEEPALIVE arrives in the ready state. If this ever fails, the pinned version has the fix: update
/// tests/node/README.md, and let the emulated peer send keepalives to Node chaincode again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_shim_2_5_8_exits_on_keepalive_when_ready() {
    if !node_modules_or_skip("node_shim_2_5_8_exits_on_keepalive_when_ready")
        .expect("Node cross-check prerequisites")
    {
        return;
    }
    let peer = EmulatedPeer::new(
        PeerOptions::default()
            .chaincode(ChaincodeDefinition::new("raw"))
            .keepalive(Duration::from_secs(3)),
    );
    let address = peer.serve_tcp("127.0.0.1:0").await.expect("listen");
    let mut node =
        NodeChaincode::spawn(NodeChaincodeKind::Raw, address, "raw").expect("start Node");
    let mut conn = EmulatedConnection::accept(peer, "raw").await;
    // Prove it is ready and serving before the first KEEPALIVE.
    conn.invoke(&["get", "k"]).await.ok();
    assert!(node.try_exit_status().is_none());

    let status = node
        .wait_for_exit(Duration::from_secs(20))
        .expect("Node shim 2.5.8 should exit on KEEPALIVE in the ready state");
    assert_eq!(status.code(), Some(1), "{}", node.output());
}

/// Starts `contract.js` with `fabric-chaincode-node start` against a fresh emulated peer.
async fn start_contract(test: &str) -> Option<(NodeChaincode, EmulatedConnection)> {
    start_node(test, NodeChaincodeKind::Contract, "contract").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_contract_api_formats_the_caller() {
    let Some((_node, mut conn)) = start_contract("node_contract_api_formats_the_caller").await
    else {
        return;
    };
    // The caller's identity as the contract API formats it (differs from Go's base64 form).
    let who = conn.invoke(&["plain:WhoAmI"]).await.ok_json();
    let subject = "/C=US/ST=North Carolina/O=org1.example.com/CN=User1@org1.example.com";
    let issuer = "/C=US/ST=North Carolina/L=Durham/O=org1.example.com/CN=ca.org1.example.com";
    assert_eq!(
        who,
        json!({"mspid": "Org1MSP", "id": format!("x509::{subject}::{issuer}")})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_contract_api_metadata_structure() {
    let Some((_node, mut conn)) = start_contract("node_contract_api_metadata_structure").await
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

/// GetMetadata of our `#[contract]` port of `contract.js` (`src/bin/rust-contract-crosscheck.rs`): the
/// same contracts as Node, with Go's conventions where they differ. Needs no Node.js. (The case table
/// itself runs in emulated_peer_crosscheck.rs.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rust_contract_metadata_follows_go_where_node_differs() {
    let (peer, address) = start_peer("contract", false).await;
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_rust-contract-crosscheck"))
        .args(["--client", &format!("-peer.address={address}")])
        .env("CORE_CHAINCODE_ID_NAME", "contract")
        .env("CORE_PEER_TLS_ENABLED", "false")
        .env_remove("CORE_PEER_ADDRESS")
        .env_remove("CHAINCODE_SERVER_ADDRESS")
        .stdin(std::process::Stdio::null())
        .spawn()
        .expect("start the Rust contract chaincode");
    let _child = KillOnDrop(child);
    let mut conn = EmulatedConnection::accept(peer, "contract").await;
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
