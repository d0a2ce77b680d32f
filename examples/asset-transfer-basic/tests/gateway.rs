//! Client applications against `asset-transfer-basic` on the dev peer's Gateway service: the
//! fabric-samples application flow with the official Node client (over TLS), and the same flow with
//! this project's Rust Gateway client, including an MVCC conflict and refused signatures; and the
//! same flow written only against the generated TypeScript and Rust clients.

use fabric_contract::testing::identity::TestCa;
use fabric_contract_tests::gateway_node::{dev_gateway_program, gateway_modules_or_skip, run_app};
use fabric_dev_gateway::client::{Call, ClientError, Code, Gateway, Signer, ValidationCode};
use fabric_dev_gateway::{ChaincodeLaunch, DevGateway, GatewayOptions, TlsMode};

const BASIC: &str = env!("CARGO_BIN_EXE_asset-transfer-basic");

async fn start(crypto: &std::path::Path, tls: TlsMode) -> DevGateway {
    let options = GatewayOptions::default()
        .listen("127.0.0.1:0")
        .chaincode(ChaincodeLaunch::new("basic", BASIC))
        .identity("admin@Org1MSP")
        .crypto_dir(crypto)
        .tls(tls);
    DevGateway::start(options)
        .await
        .expect("the dev Gateway starts")
}

#[tokio::test(flavor = "multi_thread")]
async fn official_node_client_runs_the_sample_application_over_tls() {
    if !gateway_modules_or_skip("official_node_client_runs_the_sample_application_over_tls")
        .expect("Gateway client modules")
    {
        return;
    }
    let crypto = tempfile::tempdir().unwrap();
    let gateway = start(crypto.path(), TlsMode::Generated).await;
    let env = vec![
        ("GATEWAY_ENDPOINT", gateway.address().to_string()),
        (
            "TLS_CERT_PATH",
            crypto.path().join("tls-ca.pem").display().to_string(),
        ),
        ("CHANNEL_NAME", "mychannel".to_string()),
        ("CHAINCODE_NAME", "basic".to_string()),
        ("MSP_ID", "Org1MSP".to_string()),
        (
            "MSP_DIR",
            crypto
                .path()
                .join("admin@Org1MSP/msp")
                .display()
                .to_string(),
        ),
    ];
    let output = tokio::task::spawn_blocking(move || run_app("basic.js", &env))
        .await
        .unwrap()
        .expect("node runs");
    assert!(
        output.status.success() && output.stdout.contains("ALL OK"),
        "the application failed:\n{}\n{}",
        output.stdout,
        output.stderr
    );
}

fn rpc(err: ClientError) -> (Code, String, Vec<String>) {
    match err {
        ClientError::Rpc {
            code,
            message,
            details,
        } => (
            code,
            message,
            details
                .into_iter()
                .map(|d| format!("{}: {}", d.msp_id, d.message))
                .collect(),
        ),
        other => panic!("expected a gRPC error, got {other}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn rust_gateway_client_runs_the_sample_flow_with_mvcc_and_refusals() {
    let crypto = tempfile::tempdir().unwrap();
    let gateway = start(crypto.path(), TlsMode::Off).await;
    let endpoint = gateway.address().to_string();
    let signer = Signer::from_msp_dir("Org1MSP", &crypto.path().join("admin@Org1MSP/msp")).unwrap();
    let client = Gateway::connect(&endpoint, None, signer).await.unwrap();
    let basic = client.contract("mychannel", "basic");

    basic.submit(Call::new("InitLedger")).await.unwrap();
    let all: serde_json::Value =
        serde_json::from_slice(&basic.evaluate(Call::new("GetAllAssets")).await.unwrap()).unwrap();
    assert_eq!(all.as_array().map(Vec::len), Some(6));

    basic
        .submit(Call::new("CreateAsset").args(["asset7", "yellow", "5", "Tom", "1300"]))
        .await
        .unwrap();
    let transfer = basic
        .submit_async(Call::new("TransferAsset").args(["asset7", "Saptha"]))
        .await
        .unwrap();
    assert_eq!(transfer.result, b"Tom");
    let status = client
        .commit_status("mychannel", &transfer.tx_id)
        .await
        .unwrap();
    assert_eq!(status.code, ValidationCode::Valid);
    // Block 0 is the genesis block; InitLedger, CreateAsset, TransferAsset follow.
    assert_eq!(status.block_number, 3);
    let asset: serde_json::Value = serde_json::from_slice(
        &basic
            .evaluate(Call::new("ReadAsset").arg("asset7"))
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(asset["Owner"], "Saptha");

    // The sample's expected failure, as the Gateway reports a chaincode error.
    let err = basic
        .submit(Call::new("UpdateAsset").args(["asset70", "blue", "5", "Tomoko", "300"]))
        .await
        .unwrap_err();
    assert_eq!(
        rpc(err),
        (
            Code::Aborted,
            "failed to endorse transaction, see attached details for more info".to_string(),
            vec!["Org1MSP: chaincode response 500, the asset asset70 does not exist".to_string()]
        )
    );

    // Two endorsements read asset7 before either commits: the second is an MVCC conflict and
    // changes nothing.
    let first = basic
        .endorse(Call::new("TransferAsset").args(["asset7", "Alice"]))
        .await
        .unwrap();
    let second = basic
        .endorse(Call::new("TransferAsset").args(["asset7", "Bob"]))
        .await
        .unwrap();
    let first = basic.submit_endorsed(first).await.unwrap();
    let second = basic.submit_endorsed(second).await.unwrap();
    let first = client
        .commit_status("mychannel", &first.tx_id)
        .await
        .unwrap();
    let second = client
        .commit_status("mychannel", &second.tx_id)
        .await
        .unwrap();
    assert_eq!(first.code, ValidationCode::Valid);
    assert_eq!(second.code, ValidationCode::MvccReadConflict);
    assert_eq!(second.block_number, first.block_number + 1);
    let asset: serde_json::Value = serde_json::from_slice(
        &basic
            .evaluate(Call::new("ReadAsset").arg("asset7"))
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(asset["Owner"], "Alice");

    // An envelope whose endorsed result was altered after endorsement: the peer's endorsement no
    // longer covers it, so validation marks it ENDORSEMENT_POLICY_FAILURE and nothing changes.
    let mut altered = basic
        .endorse(Call::new("TransferAsset").args(["asset7", "Mallory"]))
        .await
        .unwrap();
    assert_eq!(altered.result, b"Alice");
    let at = altered
        .envelope
        .payload
        .windows(5)
        .position(|w| w == b"Alice")
        .expect("the result in the envelope");
    altered.envelope.payload[at..at + 5].copy_from_slice(b"Alicf");
    let submitted = basic.submit_endorsed(altered).await.unwrap();
    let status = client
        .commit_status("mychannel", &submitted.tx_id)
        .await
        .unwrap();
    assert_eq!(status.code, ValidationCode::EndorsementPolicyFailure);

    // The same transaction submitted twice: the second copy lands in its own block as
    // DUPLICATE_TXID and the transaction keeps its first status.
    let endorsed = basic
        .endorse(Call::new("CreateAsset").args(["asset9", "red", "1", "Ann", "10"]))
        .await
        .unwrap();
    let once = basic.submit_endorsed(endorsed.clone()).await.unwrap();
    basic.submit_endorsed(endorsed).await.unwrap();
    let first = client
        .commit_status("mychannel", &once.tx_id)
        .await
        .unwrap();
    assert_eq!(first.code, ValidationCode::Valid);
    let next = basic
        .submit_async(Call::new("DeleteAsset").arg("asset9"))
        .await
        .unwrap();
    let next = client
        .commit_status("mychannel", &next.tx_id)
        .await
        .unwrap();
    assert_eq!(next.block_number, first.block_number + 2);

    // An envelope signed by someone other than its creator: the ordering service refuses it.
    let endorsed = basic
        .endorse(Call::new("TransferAsset").args(["asset7", "Mallory"]))
        .await
        .unwrap();
    let other = TestCa::new("Org1MSP").identity().cn("mallory").build();
    let other = Signer::new("Org1MSP", other.cert_pem(), other.key_pem()).unwrap();
    let other = Gateway::connect(&endpoint, None, other).await.unwrap();
    let err = other
        .contract("mychannel", "basic")
        .submit_endorsed(endorsed)
        .await
        .unwrap_err();
    assert_eq!(
        rpc(err),
        (
            Code::Aborted,
            "received unsuccessful response from orderer: status=FORBIDDEN, info=implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the 'Writers' sub-policies to be satisfied".to_string(),
            vec![]
        )
    );
    let asset: serde_json::Value = serde_json::from_slice(
        &basic
            .evaluate(Call::new("ReadAsset").arg("asset7"))
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(asset["Owner"], "Alice");

    // A certificate from a CA the peer does not trust, under a trusted MSP id.
    let impostor = TestCa::new("Org1MSP").identity().cn("mallory").build();
    let signer = Signer::new("Org1MSP", impostor.cert_pem(), impostor.key_pem()).unwrap();
    let mallory = Gateway::connect(&endpoint, None, signer).await.unwrap();
    let err = mallory
        .contract("mychannel", "basic")
        .evaluate(Call::new("ReadAsset").arg("asset7"))
        .await
        .unwrap_err();
    assert_eq!(
        rpc(err),
        (
            Code::FailedPrecondition,
            "evaluate call to endorser returned error: error validating proposal: access denied: channel [mychannel] creator org [Org1MSP]".to_string(),
            vec!["Org1MSP: error validating proposal: access denied: channel [mychannel] creator org [Org1MSP]".to_string()]
        )
    );
    // An MSP the peer does not know at all.
    let stranger = TestCa::new("Org9MSP").identity().cn("eve").build();
    let signer = Signer::new("Org9MSP", stranger.cert_pem(), stranger.key_pem()).unwrap();
    let eve = Gateway::connect(&endpoint, None, signer).await.unwrap();
    let err = eve
        .contract("mychannel", "basic")
        .submit(Call::new("CreateAsset").args(["asset8", "red", "1", "Eve", "1"]))
        .await
        .unwrap_err();
    let (code, _, details) = rpc(err);
    assert_eq!(code, Code::Aborted);
    assert_eq!(
        details,
        vec![
            "Org1MSP: error validating proposal: access denied: channel [mychannel] creator org unknown, creator is malformed"
        ]
    );
    // A channel the peer does not have.
    let err = basic_on(&client, "otherchannel")
        .evaluate(Call::new("ReadAsset").arg("asset7"))
        .await
        .unwrap_err();
    assert_eq!(rpc(err).0, Code::Unavailable);
}

fn basic_on(client: &Gateway, channel: &str) -> fabric_dev_gateway::client::Contract {
    client.contract(channel, "basic")
}

/// `asset-transfer-basic dev --gateway`: the chaincode binary's own command line serves the Gateway.
#[tokio::test(flavor = "multi_thread")]
async fn dev_gateway_flag_serves_the_chaincode_to_client_applications() {
    use std::io::{BufRead, BufReader};

    let program = dev_gateway_program().expect("the fabric-dev-gateway program");
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(BASIC)
        .args([
            "dev",
            "--gateway",
            "127.0.0.1:0",
            "--name",
            "basic",
            "--in-memory",
            "--",
            "--crypto-dir",
        ])
        .arg(dir.path())
        .env("FABRIC_DEV_GATEWAY", &program)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _stop = KillOnDrop(child);
    // "Gateway listening on 127.0.0.1:PORT (TLS off); identities in DIR"
    let endpoint = line
        .strip_prefix("Gateway listening on ")
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_string();
    let signer = Signer::from_msp_dir("Org1MSP", &dir.path().join("admin@Org1MSP/msp")).unwrap();
    let client = Gateway::connect(&endpoint, None, signer).await.unwrap();
    let basic = client.contract("mychannel", "basic");
    basic
        .submit(Call::new("CreateAsset").args(["asset1", "blue", "5", "Tomoko", "300"]))
        .await
        .unwrap();
    assert!(
        basic
            .evaluate(Call::new("AssetExists").arg("asset1"))
            .await
            .unwrap()
            == b"true"
    );
}

struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The same flow written only against the generated TypeScript client, compiled with
/// `tsc --strict`; the failing update arrives as a typed `ContractError`.
#[tokio::test(flavor = "multi_thread")]
async fn generated_typescript_client_runs_the_sample_application() {
    if !gateway_modules_or_skip("generated_typescript_client_runs_the_sample_application")
        .expect("Gateway client modules")
    {
        return;
    }
    fabric_contract_tests::gateway_node::compile_typescript("tsconfig.typed.json");
    let crypto = tempfile::tempdir().unwrap();
    let gateway = start(crypto.path(), TlsMode::Generated).await;
    let env = vec![
        ("GATEWAY_ENDPOINT", gateway.address().to_string()),
        (
            "TLS_CERT_PATH",
            crypto.path().join("tls-ca.pem").display().to_string(),
        ),
        ("CHANNEL_NAME", "mychannel".to_string()),
        ("CHAINCODE_NAME", "basic".to_string()),
        ("MSP_ID", "Org1MSP".to_string()),
        (
            "MSP_DIR",
            crypto
                .path()
                .join("admin@Org1MSP/msp")
                .display()
                .to_string(),
        ),
    ];
    let output = tokio::task::spawn_blocking(move || {
        run_app("build/tests/gateway-node/typed-basic.js", &env)
    })
    .await
    .unwrap()
    .expect("node runs");
    assert!(
        output.status.success() && output.stdout.contains("ALL OK"),
        "the typed application failed:\n{}\n{}",
        output.stdout,
        output.stderr
    );
}

/// The sample flow written only against the generated Rust client: no function names, no
/// argument strings, no JSON; the failing update arrives as a typed error.
#[tokio::test(flavor = "multi_thread")]
async fn generated_rust_client_runs_the_sample_flow() {
    use asset_transfer_basic_client::{Asset, SmartContractClient, SmartContractError};

    let crypto = tempfile::tempdir().unwrap();
    let gateway = start(crypto.path(), TlsMode::Off).await;
    let signer = Signer::from_msp_dir("Org1MSP", &crypto.path().join("admin@Org1MSP/msp")).unwrap();
    let client = Gateway::connect(&gateway.address().to_string(), None, signer)
        .await
        .unwrap();
    let basic = SmartContractClient::new(client.contract("mychannel", "basic"));

    assert_eq!(basic.evaluate_get_all_assets().await.unwrap(), vec![]);
    basic.submit_init_ledger().await.unwrap();
    let all = basic.evaluate_get_all_assets().await.unwrap();
    assert_eq!(all.len(), 6);
    assert_eq!(
        all[0],
        Asset {
            id: "asset1".into(),
            color: "blue".into(),
            size: 5,
            owner: "Tomoko".into(),
            appraised_value: 300,
        }
    );

    basic
        .submit_create_asset("asset7", "yellow", 5, "Tom", 1300)
        .await
        .unwrap();
    assert!(basic.evaluate_asset_exists("asset7").await.unwrap());
    assert!(!basic.evaluate_asset_exists("asset8").await.unwrap());
    let asset = basic.evaluate_read_asset("asset7").await.unwrap();
    assert_eq!(
        (
            asset.color.as_str(),
            asset.owner.as_str(),
            asset.appraised_value
        ),
        ("yellow", "Tom", 1300)
    );

    // Submitted without waiting: the previous owner now, the commit status on request.
    let pending = basic
        .submit_async_transfer_asset("asset7", "Saptha")
        .await
        .unwrap();
    assert_eq!(pending.result(), "Tom");
    let status = pending.commit_status().await.unwrap();
    assert_eq!(status.code, ValidationCode::Valid);
    assert_eq!(
        basic.evaluate_read_asset("asset7").await.unwrap().owner,
        "Saptha"
    );
    assert_eq!(
        basic.submit_transfer_asset("asset7", "Max").await.unwrap(),
        "Saptha"
    );

    // The sample's failing update: the chaincode's answer, typed (this chaincode publishes no
    // error codes, as the Go sample has none, so it is the uncoded variant).
    let err = basic
        .submit_update_asset("asset70", "blue", 5, "Tomoko", 300)
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "the asset asset70 does not exist");
    match err {
        SmartContractError::Chaincode(failure) => assert_eq!(
            (failure.status, failure.code, failure.message.as_str()),
            (500, None, "the asset asset70 does not exist")
        ),
        other => panic!("expected the chaincode's refusal, got {other:?}"),
    }
    // An evaluation fails the same way, and nothing changed.
    assert!(matches!(
        basic.evaluate_read_asset("asset70").await,
        Err(SmartContractError::Chaincode(f)) if f.message == "the asset asset70 does not exist"
    ));
    assert!(!basic.evaluate_asset_exists("asset70").await.unwrap());
    // A failure before any chaincode runs is the Gateway's, not the chaincode's.
    let elsewhere = SmartContractClient::new(client.contract("otherchannel", "basic"));
    match elsewhere.evaluate_read_asset("asset7").await {
        Err(SmartContractError::Gateway(ClientError::Rpc { code, .. })) => {
            assert_eq!(code, Code::Unavailable)
        }
        other => panic!("expected a Gateway error, got {other:?}"),
    }
    basic.submit_delete_asset("asset7").await.unwrap();
    assert_eq!(basic.evaluate_get_all_assets().await.unwrap().len(), 6);
}
