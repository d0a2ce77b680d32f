//! asset-transfer-basic behaves as the Go sample does (fabric-samples
//! `asset-transfer-basic/chaincode-go/chaincode/smartcontract.go`): the same bytes and texts, through the emulated peer — in process
//! (no gRPC) and over loopback gRPC with the real binary as a separate process.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use asset_transfer_basic::SmartContract;
use fabric_contract::ContractChaincode;
use fabric_contract::shim::{Registration, serve_stream};
use fabric_contract::testing::identity::TestCa;
use fabric_contract::testing::peer::{
    ChaincodeDefinition, EmulatedPeer, Invocation, PeerOptions, TxOutcome,
};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::UnboundedReceiverStream;

const NAME: &str = "basic";

const ALL_SIX: &str = r#"[{"AppraisedValue":300,"Color":"blue","ID":"asset1","Owner":"Tomoko","Size":5},{"AppraisedValue":400,"Color":"red","ID":"asset2","Owner":"Brad","Size":5},{"AppraisedValue":500,"Color":"green","ID":"asset3","Owner":"Jin Soo","Size":10},{"AppraisedValue":600,"Color":"yellow","ID":"asset4","Owner":"Max","Size":10},{"AppraisedValue":700,"Color":"black","ID":"asset5","Owner":"Adriana","Size":15},{"AppraisedValue":800,"Color":"white","ID":"asset6","Owner":"Michel","Size":15}]"#;

/// The channel's peer with `basic` attached, plus what keeps the chaincode alive.
struct Network {
    peer: EmulatedPeer,
    creator: Vec<u8>,
    _process: Option<Process>,
}

/// A chaincode process, killed when dropped.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn peer() -> EmulatedPeer {
    EmulatedPeer::new(PeerOptions::default().chaincode(ChaincodeDefinition::new(NAME)))
}

fn creator() -> Vec<u8> {
    TestCa::new("Org1MSP")
        .identity()
        .cn("User1@org1.example.com")
        .build()
        .creator()
}

/// The contract in this process, over the peer's in-memory stream.
async fn in_process() -> Network {
    let peer = peer();
    let attached = peer.attach();
    let inbound =
        UnboundedReceiverStream::new(attached.from_peer).map(Ok::<_, std::convert::Infallible>);
    let chaincode = Arc::new(ContractChaincode::new(SmartContract));
    tokio::spawn(async move {
        let _ = serve_stream(
            chaincode,
            &Registration::new(NAME),
            inbound,
            attached.to_peer,
        )
        .await;
    });
    peer.wait_registered(NAME, Duration::from_secs(10))
        .await
        .unwrap();
    Network {
        peer,
        creator: creator(),
        _process: None,
    }
}

/// The real binary as a separate process, dialling the peer over loopback gRPC.
async fn over_grpc() -> Network {
    let peer = peer();
    let address = peer.serve_tcp("127.0.0.1:0").await.unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_asset-transfer-basic"))
        .arg(format!("-peer.address={address}"))
        .env("CORE_CHAINCODE_ID_NAME", NAME)
        .env("CORE_PEER_TLS_ENABLED", "false")
        .env_remove("CHAINCODE_SERVER_ADDRESS")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let process = Process(child);
    peer.wait_registered(NAME, Duration::from_secs(20))
        .await
        .unwrap();
    Network {
        peer,
        creator: creator(),
        _process: Some(process),
    }
}

impl Network {
    async fn submit(&self, args: &[&str]) -> TxOutcome {
        self.peer
            .invoke(Invocation::submit(NAME, args).creator(self.creator.clone()))
            .await
            .unwrap()
    }

    async fn evaluate(&self, args: &[&str]) -> TxOutcome {
        self.peer
            .invoke(Invocation::evaluate(NAME, args).creator(self.creator.clone()))
            .await
            .unwrap()
    }
}

fn ok(outcome: &TxOutcome) -> &str {
    assert_eq!(outcome.response.status, 200, "{}", outcome.response.message);
    std::str::from_utf8(&outcome.response.payload).unwrap()
}

fn failed(outcome: &TxOutcome) -> &str {
    assert_eq!(
        outcome.response.status, 500,
        "expected a failure, got {:?}",
        outcome.response
    );
    assert!(
        outcome.writes.is_empty(),
        "a failed transaction writes nothing"
    );
    &outcome.response.message
}

/// The Go sample's interface, transaction by transaction.
async fn behaves_like_the_go_sample(net: Network) {
    assert_eq!(
        ok(&net.evaluate(&["GetAllAssets"]).await),
        "",
        "no assets: an empty payload, as Go's nil slice"
    );
    ok(&net.submit(&["InitLedger"]).await);
    ok(&net.submit(&["InitLedger"]).await); // re-runnable
    let all = net.evaluate(&["GetAllAssets"]).await;
    assert_eq!(ok(&all), ALL_SIX);
    assert_eq!(all.response.payload.len(), 474);
    let stored = net
        .peer
        .ledger()
        .get_state("mychannel", NAME, "asset1")
        .unwrap();
    assert_eq!(
        stored,
        br#"{"AppraisedValue":300,"Color":"blue","ID":"asset1","Owner":"Tomoko","Size":5}"#
    );

    ok(&net
        .submit(&[
            "CreateAsset",
            "asset1700000000000",
            "yellow",
            "5",
            "Tom",
            "1300",
        ])
        .await);
    assert_eq!(
        ok(&net.evaluate(&["ReadAsset", "asset1700000000000"]).await),
        r#"{"AppraisedValue":1300,"Color":"yellow","ID":"asset1700000000000","Owner":"Tom","Size":5}"#
    );
    let all = net.evaluate(&["GetAllAssets"]).await;
    let ids: Vec<String> = serde_json::from_slice::<Vec<serde_json::Value>>(&all.response.payload)
        .unwrap()
        .iter()
        .map(|a| a["ID"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        ids[..3],
        ["asset1", "asset1700000000000", "asset2"],
        "key order, as the Go sample's range"
    );
    assert_eq!(
        failed(
            &net.submit(&["CreateAsset", "asset1", "blue", "5", "Tom", "1"])
                .await
        ),
        "the asset asset1 already exists"
    );

    let transfer = net
        .submit(&["TransferAsset", "asset1700000000000", "Mark"])
        .await;
    assert_eq!(ok(&transfer), "Tom", "the previous owner as raw text");
    assert!(
        ok(&net.evaluate(&["ReadAsset", "asset1700000000000"]).await).contains(r#""Owner":"Mark""#)
    );

    assert_eq!(
        failed(
            &net.submit(&["UpdateAsset", "asset70", "blue", "5", "Tomoko", "300"])
                .await
        ),
        "the asset asset70 does not exist"
    );
    ok(&net
        .submit(&["UpdateAsset", "asset2", "purple", "6", "Brad", "450"])
        .await);
    assert_eq!(
        ok(&net.evaluate(&["ReadAsset", "asset2"]).await),
        r#"{"AppraisedValue":450,"Color":"purple","ID":"asset2","Owner":"Brad","Size":6}"#
    );
    assert_eq!(ok(&net.evaluate(&["AssetExists", "asset2"]).await), "true");
    ok(&net.submit(&["DeleteAsset", "asset2"]).await);
    assert_eq!(ok(&net.evaluate(&["AssetExists", "asset2"]).await), "false");
    assert_eq!(
        failed(&net.submit(&["DeleteAsset", "asset2"]).await),
        "the asset asset2 does not exist"
    );
    assert_eq!(
        failed(&net.evaluate(&["ReadAsset", "nope"]).await),
        "the asset nope does not exist"
    );
    ok(&net.evaluate(&["SmartContract:ReadAsset", "asset1"]).await);

    // Argument errors keep the Go contract API's wording.
    let bad = net
        .submit(&["CreateAsset", "a", "blue", "abc", "Tom", "300"])
        .await;
    assert!(
        failed(&bad).starts_with("error managing parameter param2."),
        "{}",
        bad.response.message
    );
    assert_eq!(
        failed(&net.submit(&["CreateAsset", "a", "blue", "5", "Tom"]).await),
        "incorrect number of params. Expected 5, received 4"
    );
    assert_eq!(
        failed(&net.submit(&["Nope"]).await),
        "Function Nope not found in contract SmartContract"
    );
    assert_eq!(
        failed(&net.submit(&["Other:ReadAsset", "a"]).await),
        "Contract not found with name Other"
    );
}

/// Assets written by other chaincode (a Node contract keeps its object's key order, another writer
/// spaces its JSON or escapes a character) read back in the canonical form, as decoding and
/// encoding them gives; a stored value that is no asset is Go's read error, naming the key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assets_stored_by_other_writers_come_back_canonical() {
    let net = in_process().await;
    let ledger = net.peer.ledger();
    let mut writes = ledger.simulate("mychannel", "other-writer");
    for (key, value) in [
        (
            "node1",
            r#"{"ID":"node1","Color":"blue","Size":5,"Owner":"Tom","AppraisedValue":300}"#,
        ),
        (
            "spaced1",
            r#"{ "AppraisedValue": 1, "Color": "red", "ID": "spaced1", "Owner": "Ann", "Size": 2 }"#,
        ),
        (
            "escaped1",
            r#"{"AppraisedValue":1,"Color":"red","ID":"escaped1","Owner":"A<B","Size":2}"#,
        ),
    ] {
        writes.put_state(NAME, key, value.as_bytes()).unwrap();
    }
    ledger
        .commit(
            writes,
            "other-writer",
            fabric_contract::testing::Timestamp {
                seconds: 1,
                nanos: 0,
            },
        )
        .unwrap();
    let expected = [
        r#"{"AppraisedValue":1,"Color":"red","ID":"escaped1","Owner":"A\u003cB","Size":2}"#,
        r#"{"AppraisedValue":300,"Color":"blue","ID":"node1","Owner":"Tom","Size":5}"#,
        r#"{"AppraisedValue":1,"Color":"red","ID":"spaced1","Owner":"Ann","Size":2}"#,
    ];
    for (id, asset) in ["escaped1", "node1", "spaced1"].iter().zip(expected) {
        assert_eq!(ok(&net.evaluate(&["ReadAsset", id]).await), asset);
    }
    assert_eq!(
        ok(&net.evaluate(&["GetAllAssets"]).await),
        format!("[{}]", expected.join(","))
    );

    let mut writes = ledger.simulate("mychannel", "not-an-asset");
    writes.put_state(NAME, "odd1", br#"{"ID":"odd1"}"#).unwrap();
    ledger
        .commit(
            writes,
            "not-an-asset",
            fabric_contract::testing::Timestamp {
                seconds: 2,
                nanos: 0,
            },
        )
        .unwrap();
    for args in [&["ReadAsset", "odd1"][..], &["GetAllAssets"]] {
        let message = failed(&net.evaluate(args).await).to_owned();
        assert!(
            message.starts_with("failed to read from world state: ") && message.contains("odd1"),
            "{message}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_process_over_the_emulated_peer() {
    behaves_like_the_go_sample(in_process().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_over_loopback_grpc() {
    behaves_like_the_go_sample(over_grpc().await).await;
}

#[test]
fn metadata_is_valid_and_committed() {
    let document = fabric_contract::metadata_json::<SmartContract>().unwrap();
    fabric_contract_tests::schemas::check_example_metadata(
        &document,
        env!("CARGO_MANIFEST_DIR"),
        "asset-transfer-basic",
    );
    let value: serde_json::Value = serde_json::from_str(&document).unwrap();
    let contract = &value["contracts"]["SmartContract"];
    let names: Vec<&str> = contract["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "AssetExists",
            "CreateAsset",
            "DeleteAsset",
            "GetAllAssets",
            "InitLedger",
            "ReadAsset",
            "TransferAsset",
            "UpdateAsset"
        ]
    );
    assert_eq!(
        value["components"]["schemas"]["Asset"]["required"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
}
