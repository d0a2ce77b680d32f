//! token-erc20's chaincode events through the dev peer's Gateway service: the official Node client
//! receives the Transfer events of Mint and Transfer live and again replayed from block 0, and after a
//! restart over the same ledger file the Rust client replays the same events from the kept blocks;
//! and transfers written only against the generated TypeScript and Rust clients.

use fabric_contract_tests::gateway_node::{gateway_modules_or_skip, run_app};
use fabric_dev_gateway::client::{Call, Event, Gateway, Signer};
use fabric_dev_gateway::{ChaincodeLaunch, DevGateway, GatewayOptions};
use futures_util::StreamExt;

const TOKEN: &str = env!("CARGO_BIN_EXE_token-erc20");

async fn start(dir: &std::path::Path) -> DevGateway {
    let options = GatewayOptions::default()
        .listen("127.0.0.1:0")
        .chaincode(ChaincodeLaunch::new("token_erc20", TOKEN))
        .identity("admin@Org1MSP")
        .identity("bob@Org2MSP")
        .crypto_dir(dir.join("crypto"))
        .ledger(dir.join("dev.ledger.json"));
    DevGateway::start(options)
        .await
        .expect("the dev Gateway starts")
}

/// What the Node applications read: the Gateway, the chaincode, and the minter's and the
/// recipient's MSP folders under `dir`.
fn app_env(gateway: &DevGateway, dir: &std::path::Path) -> Vec<(&'static str, String)> {
    let crypto = dir.join("crypto");
    vec![
        ("GATEWAY_ENDPOINT", gateway.address().to_string()),
        ("CHANNEL_NAME", "mychannel".to_string()),
        ("CHAINCODE_NAME", "token_erc20".to_string()),
        (
            "MINTER_MSP_DIR",
            crypto.join("admin@Org1MSP/msp").display().to_string(),
        ),
        ("RECIPIENT_MSP_ID", "Org2MSP".to_string()),
        (
            "RECIPIENT_MSP_DIR",
            crypto.join("bob@Org2MSP/msp").display().to_string(),
        ),
    ]
}

async fn replay(gateway: &DevGateway, dir: &std::path::Path, count: usize) -> Vec<Event> {
    let signer = Signer::from_msp_dir("Org1MSP", &dir.join("crypto/admin@Org1MSP/msp")).unwrap();
    let client = Gateway::connect(&gateway.address().to_string(), None, signer)
        .await
        .unwrap();
    let events = client
        .chaincode_events("mychannel", "token_erc20", Some(0))
        .await
        .unwrap();
    events
        .take(count)
        .map(|e| e.expect("an event"))
        .collect()
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn transfer_events_stream_live_replay_from_block_zero_and_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let gateway = start(dir.path()).await;
    if gateway_modules_or_skip(
        "transfer_events_stream_live_replay_from_block_zero_and_survive_a_restart",
    )
    .expect("Gateway client modules")
    {
        let env = app_env(&gateway, dir.path());
        let output = tokio::task::spawn_blocking(move || run_app("events.js", &env))
            .await
            .unwrap()
            .expect("node runs");
        assert!(
            output.status.success() && output.stdout.contains("ALL OK"),
            "the application failed:\n{}\n{}",
            output.stdout,
            output.stderr
        );
    } else {
        // Without Node, make the same transactions with the Rust client.
        let signer =
            Signer::from_msp_dir("Org1MSP", &dir.path().join("crypto/admin@Org1MSP/msp")).unwrap();
        let client = Gateway::connect(&gateway.address().to_string(), None, signer)
            .await
            .unwrap();
        let token = client.contract("mychannel", "token_erc20");
        token
            .submit(Call::new("Initialize").args(["some tokens", "SOME", "2"]))
            .await
            .unwrap();
        token.submit(Call::new("Mint").arg("5000")).await.unwrap();
        token
            .submit(Call::new("Transfer").args(["someone", "100"]))
            .await
            .unwrap();
    }
    let before = replay(&gateway, dir.path(), 2).await;
    assert_eq!(
        before
            .iter()
            .map(|e| (e.name.as_str(), e.block_number))
            .collect::<Vec<_>>(),
        [("Transfer", 2), ("Transfer", 3)]
    );
    drop(gateway);

    // A new peer over the same ledger file: state and blocks are back.
    let gateway = start(dir.path()).await;
    let after = replay(&gateway, dir.path(), 2).await;
    assert_eq!(after, before);
    let signer =
        Signer::from_msp_dir("Org1MSP", &dir.path().join("crypto/admin@Org1MSP/msp")).unwrap();
    let client = Gateway::connect(&gateway.address().to_string(), None, signer)
        .await
        .unwrap();
    let supply = client
        .contract("mychannel", "token_erc20")
        .evaluate(Call::new("TotalSupply"))
        .await
        .unwrap();
    assert_eq!(supply, b"5000");
}

/// Transfers, an allowance and a refused transfer (insufficient funds) written only against the
/// generated TypeScript client, compiled with `tsc --strict`.
#[tokio::test(flavor = "multi_thread")]
async fn generated_typescript_client_runs_transfers_and_a_refused_transfer() {
    if !gateway_modules_or_skip("generated_typescript_client_runs_transfers_and_a_refused_transfer")
        .expect("Gateway client modules")
    {
        return;
    }
    fabric_contract_tests::gateway_node::compile_typescript("tsconfig.typed-erc20.json");
    let dir = tempfile::tempdir().unwrap();
    let gateway = start(dir.path()).await;
    let env = app_env(&gateway, dir.path());
    let output = tokio::task::spawn_blocking(move || {
        run_app("build/erc20/tests/gateway-node/typed-erc20.js", &env)
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
    assert!(
        output
            .stdout
            .contains("*** Caught ContractError - failed to transfer: client account "),
        "{}",
        output.stdout
    );
}

/// The same transfers written only against the generated Rust client: balances are `i64`, and the
/// transfer beyond the balance is the chaincode's typed refusal.
#[tokio::test(flavor = "multi_thread")]
async fn generated_rust_client_runs_transfers_and_a_refused_transfer() {
    use token_erc20_client::{SmartContractClient, SmartContractError};

    let dir = tempfile::tempdir().unwrap();
    let gateway = start(dir.path()).await;
    let endpoint = gateway.address().to_string();
    let crypto = dir.path().join("crypto");
    let connect = |msp: &'static str, user: &'static str| {
        let signer = Signer::from_msp_dir(msp, &crypto.join(user).join("msp")).unwrap();
        let endpoint = endpoint.clone();
        async move {
            let client = Gateway::connect(&endpoint, None, signer).await.unwrap();
            SmartContractClient::new(client.contract("mychannel", "token_erc20"))
        }
    };
    let minter = connect("Org1MSP", "admin@Org1MSP").await;
    let recipient = connect("Org2MSP", "bob@Org2MSP").await;

    assert!(
        minter
            .submit_initialize("some tokens", "SOME", "2")
            .await
            .unwrap()
    );
    assert_eq!(minter.evaluate_symbol().await.unwrap(), "SOME");
    let mint = minter.submit_async_mint(5000).await.unwrap();
    assert_eq!(
        mint.commit_status().await.unwrap().code,
        fabric_dev_gateway::client::ValidationCode::Valid
    );
    assert_eq!(minter.evaluate_total_supply().await.unwrap(), 5000);

    let minter_id = minter.evaluate_client_account_id().await.unwrap();
    let recipient_id = recipient.evaluate_client_account_id().await.unwrap();
    minter.submit_transfer(&recipient_id, 100).await.unwrap();
    assert_eq!(
        minter.evaluate_client_account_balance().await.unwrap(),
        4900
    );
    assert_eq!(
        minter.evaluate_balance_of(&recipient_id).await.unwrap(),
        100
    );

    // More than the recipient holds: refused with Go's message, and nothing moved.
    match recipient.submit_transfer(&minter_id, 101).await {
        Err(SmartContractError::Chaincode(failure)) => assert_eq!(
            (failure.status, failure.code, failure.message),
            (
                500,
                None,
                format!("failed to transfer: client account {recipient_id} has insufficient funds")
            )
        ),
        other => panic!("expected the chaincode's refusal, got {other:?}"),
    }
    assert_eq!(
        recipient.evaluate_client_account_balance().await.unwrap(),
        100
    );

    minter.submit_approve(&recipient_id, 300).await.unwrap();
    recipient
        .submit_transfer_from(&minter_id, &recipient_id, 250)
        .await
        .unwrap();
    assert_eq!(
        minter
            .evaluate_allowance(&minter_id, &recipient_id)
            .await
            .unwrap(),
        50
    );
    assert_eq!(
        recipient.evaluate_client_account_balance().await.unwrap(),
        350
    );
}
