//! The token-erc-20 README scenario and the Go sample's error texts and
//! quirks (fabric-samples `token-erc-20/README.md` and
//! `token-erc-20/chaincode-go/chaincode/token_contract.go`), through the testing kit,
//! in process and over loopback gRPC.

use fabric_contract::ContractChaincode;
use fabric_contract::identity::ClientIdentity;
use fabric_contract::testing::identity::{TestCa, TestIdentity};
use fabric_contract::testing::network::{Outcome, TestNetwork, Transport};
use token_erc20::SmartContract;

const CC: &str = "token_erc20";

struct Accounts {
    minter: TestIdentity,
    recipient: TestIdentity,
    spender: TestIdentity,
}

fn id(who: &TestIdentity) -> String {
    ClientIdentity::from_creator(&who.creator()).unwrap().id()
}

// ANCHOR: network
async fn network(transport: Transport) -> TestNetwork {
    TestNetwork::new()
        .transport(transport)
        .chaincode(CC, ContractChaincode::new(SmartContract))
        .start()
        .await
        .unwrap()
}
// ANCHOR_END: network

fn ok(outcome: &Outcome) -> String {
    assert_eq!(outcome.status, 200, "{}", outcome.message);
    outcome.text()
}

fn failed(outcome: &Outcome) -> &str {
    assert_eq!(
        outcome.status,
        500,
        "expected a failure, got {:?}",
        outcome.text()
    );
    assert!(
        outcome.writes.is_empty() && outcome.event.is_none(),
        "a failed transaction writes and emits nothing"
    );
    &outcome.message
}

async fn scenario(transport: Transport) {
    let net = network(transport).await;
    // ANCHOR: identities
    let (org1, org2) = (TestCa::new("Org1MSP"), TestCa::new("Org2MSP"));
    let who = Accounts {
        minter: org1.identity().cn("minter").build(),
        recipient: org2.identity().cn("recipient").build(),
        spender: org1.identity().cn("spender").build(),
    };
    let (minter, recipient, spender) = (id(&who.minter), id(&who.recipient), id(&who.spender));
    // ANCHOR_END: identities
    let call = |w: &TestIdentity, f: &str, args: &[&str]| {
        net.call(
            w,
            CC,
            f,
            args.iter()
                .map(|a| a.as_bytes().to_vec())
                .collect::<Vec<_>>(),
        )
    };

    let early = call(&who.minter, "Mint", &["5000"]).submit().await.unwrap();
    assert_eq!(
        failed(&early),
        "Contract options need to be set before calling any function, call Initialize() to initialize contract"
    );
    let org2_init = call(
        &who.recipient,
        "Initialize",
        &["some name", "some symbol", "2"],
    )
    .submit()
    .await
    .unwrap();
    assert_eq!(
        failed(&org2_init),
        "client is not authorized to initialize contract"
    );
    assert_eq!(
        ok(&call(
            &who.minter,
            "Initialize",
            &["some name", "some symbol", "2"]
        )
        .submit()
        .await
        .unwrap()),
        "true"
    );
    let again = call(&who.minter, "Initialize", &["other", "X", "0"])
        .submit()
        .await
        .unwrap();
    assert_eq!(
        failed(&again),
        "contract options are already set, client is not authorized to change them"
    );
    assert_eq!(
        ok(&call(&who.minter, "Name", &[]).evaluate().await.unwrap()),
        "some name"
    );
    assert_eq!(
        ok(&call(&who.minter, "Symbol", &[]).evaluate().await.unwrap()),
        "some symbol"
    );
    assert_eq!(
        ok(&call(&who.minter, "TotalSupply", &[])
            .evaluate()
            .await
            .unwrap()),
        "0"
    );

    let mint = call(&who.minter, "Mint", &["5000"]).submit().await.unwrap();
    ok(&mint);
    let event = mint.event.expect("Mint emits Transfer");
    assert_eq!(event.event_name, "Transfer");
    assert_eq!(
        String::from_utf8(event.payload).unwrap(),
        format!(r#"{{"from":"0x0","to":"{minter}","value":5000}}"#)
    );
    assert_eq!(
        ok(&call(&who.minter, "ClientAccountBalance", &[])
            .evaluate()
            .await
            .unwrap()),
        "5000"
    );
    assert_eq!(
        net.state(CC, &minter).unwrap(),
        b"5000",
        "balances are decimal text under the client id"
    );
    assert_eq!(
        ok(&call(&who.recipient, "ClientAccountID", &[])
            .evaluate()
            .await
            .unwrap()),
        recipient
    );
    assert!(
        recipient.starts_with("eDUwOTo6"),
        "base64 of x509::…, Go's GetID()"
    );
    assert_eq!(
        failed(&call(&who.recipient, "Mint", &["1"]).submit().await.unwrap()),
        "client is not authorized to mint new tokens"
    );
    assert_eq!(
        failed(&call(&who.minter, "Mint", &["0"]).submit().await.unwrap()),
        "mint amount must be a positive integer"
    );

    let transfer = call(&who.minter, "Transfer", &[&recipient, "100"])
        .submit()
        .await
        .unwrap();
    ok(&transfer);
    assert_eq!(
        String::from_utf8(transfer.event.unwrap().payload).unwrap(),
        format!(r#"{{"from":"{minter}","to":"{recipient}","value":100}}"#)
    );
    assert_eq!(
        ok(&call(&who.minter, "BalanceOf", &[&minter])
            .evaluate()
            .await
            .unwrap()),
        "4900"
    );
    assert_eq!(
        ok(&call(&who.minter, "BalanceOf", &[&recipient])
            .evaluate()
            .await
            .unwrap()),
        "100"
    );
    assert_eq!(
        ok(&call(&who.minter, "TotalSupply", &[])
            .evaluate()
            .await
            .unwrap()),
        "5000"
    );

    let zero = call(&who.minter, "Transfer", &[&recipient, "0"])
        .submit()
        .await
        .unwrap();
    assert_eq!(
        failed(&zero),
        "failed to transfer: Error: the subtraction number is 0, it should be greater than 0"
    );
    let poor = call(&who.recipient, "Transfer", &[&minter, "101"])
        .submit()
        .await
        .unwrap();
    assert_eq!(
        failed(&poor),
        format!("failed to transfer: client account {recipient} has insufficient funds")
    );
    let own = call(&who.minter, "Transfer", &[&minter, "1"])
        .submit()
        .await
        .unwrap();
    assert_eq!(
        failed(&own),
        "failed to transfer: cannot transfer to and from same client account"
    );
    let nobody = call(&who.spender, "Transfer", &[&minter, "1"])
        .submit()
        .await
        .unwrap();
    assert_eq!(
        failed(&nobody),
        format!("failed to transfer: client account {spender} has no balance")
    );
    let missing = call(&who.minter, "BalanceOf", &["nobody"])
        .evaluate()
        .await
        .unwrap();
    assert_eq!(failed(&missing), "the account nobody does not exist");

    let no_allowance = call(&who.spender, "TransferFrom", &[&minter, &recipient, "1"])
        .submit()
        .await
        .unwrap();
    assert_eq!(
        failed(&no_allowance),
        "spender does not have enough allowance for transfer"
    );
    let approve = call(&who.minter, "Approve", &[&spender, "500"])
        .submit()
        .await
        .unwrap();
    ok(&approve);
    let approval = approve.event.unwrap();
    assert_eq!(approval.event_name, "Approval");
    assert_eq!(
        String::from_utf8(approval.payload).unwrap(),
        format!(r#"{{"from":"{minter}","to":"{spender}","value":500}}"#),
        "the Go sample reuses the transfer payload for approvals"
    );
    let key = format!("\u{0}allowance\u{0}{minter}\u{0}{spender}\u{0}");
    assert_eq!(
        net.state(CC, &key).unwrap(),
        b"500",
        "allowances under the composite key"
    );
    assert_eq!(
        ok(&call(&who.minter, "Allowance", &[&minter, &spender])
            .evaluate()
            .await
            .unwrap()),
        "500"
    );
    ok(
        &call(&who.spender, "TransferFrom", &[&minter, &recipient, "200"])
            .submit()
            .await
            .unwrap(),
    );
    assert_eq!(
        ok(&call(&who.minter, "BalanceOf", &[&minter])
            .evaluate()
            .await
            .unwrap()),
        "4700"
    );
    assert_eq!(
        ok(&call(&who.minter, "BalanceOf", &[&recipient])
            .evaluate()
            .await
            .unwrap()),
        "300"
    );
    assert_eq!(
        ok(&call(&who.minter, "Allowance", &[&minter, &spender])
            .evaluate()
            .await
            .unwrap()),
        "300"
    );

    ok(&call(&who.minter, "Burn", &["700"]).submit().await.unwrap());
    assert_eq!(
        ok(&call(&who.minter, "TotalSupply", &[])
            .evaluate()
            .await
            .unwrap()),
        "4300"
    );
    let burn_all = call(&who.minter, "Burn", &["5000"]).submit().await.unwrap();
    assert_eq!(
        failed(&burn_all),
        "Error: the number 4000 is not enough to be subtracted by 5000"
    );
    let bad = call(&who.minter, "Mint", &["lots"]).submit().await.unwrap();
    assert!(
        failed(&bad).starts_with("error managing parameter param0."),
        "{}",
        bad.message
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readme_scenario_in_process() {
    scenario(Transport::Memory).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readme_scenario_over_grpc() {
    scenario(Transport::Grpc).await;
}

#[test]
fn metadata_is_valid_against_the_official_schemas() {
    let document = fabric_contract::metadata_json::<SmartContract>().unwrap();
    fabric_contract_tests::schemas::check_example_metadata(
        &document,
        env!("CARGO_MANIFEST_DIR"),
        "token-erc20",
    );
}
