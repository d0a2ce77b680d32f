//! Every result validates against the return schema the contract publishes in its own metadata,
//! and every event payload against the schema of its declared event (`x-events`): random valid
//! inputs, each successful transaction checked with a JSON Schema validator.

use fabric_contract::identity::ClientIdentity;
use fabric_contract::testing::identity::TestCa;
use fabric_contract::testing::network::TestNetwork;
use fabric_contract::{ContractChaincode, metadata_json};
use fabric_contract_tests::schemas::{result_violations, schema_violations};
use proptest::prelude::*;
use serde_json::Value;
use token_erc20::SmartContract;

const CC: &str = "token";

fn event_violations(metadata: &Value, name: &str, payload: &[u8]) -> Vec<String> {
    let Some(schema) = metadata["contracts"]["SmartContract"]["x-events"].get(name) else {
        return vec![format!("event {name} is not declared in the metadata")];
    };
    let value: Value = serde_json::from_slice(payload).unwrap();
    schema_violations(metadata, schema, &value)
}

async fn run(name: String, symbol: String, decimals: u8, amounts: Vec<(i64, i64)>) -> usize {
    let metadata: Value = serde_json::from_str(&metadata_json::<SmartContract>().unwrap()).unwrap();
    let net = TestNetwork::new()
        .chaincode(CC, ContractChaincode::new(SmartContract))
        .start()
        .await
        .unwrap();
    let ca = TestCa::new("Org1MSP");
    let (minter, other) = (
        ca.identity().cn("minter").build(),
        ca.identity().cn("other").build(),
    );
    let other_id = ClientIdentity::from_creator(&other.creator()).unwrap().id();
    let minter_id = ClientIdentity::from_creator(&minter.creator())
        .unwrap()
        .id();
    let decimals = decimals.to_string();
    let mut calls: Vec<(&str, Vec<String>, bool)> =
        vec![("Initialize", vec![name, symbol, decimals], true)];
    for (mint, send) in amounts {
        calls.extend([
            ("Mint", vec![mint.to_string()], true),
            ("Transfer", vec![other_id.clone(), send.to_string()], true),
            ("Approve", vec![other_id.clone(), send.to_string()], true),
            (
                "Allowance",
                vec![minter_id.clone(), other_id.clone()],
                false,
            ),
            ("BalanceOf", vec![other_id.clone()], false),
            ("ClientAccountBalance", vec![], false),
            ("ClientAccountID", vec![], false),
            ("TotalSupply", vec![], false),
            ("Name", vec![], false),
            ("Symbol", vec![], false),
        ]);
    }
    let mut checked = 0;
    for (function, args, submit) in calls {
        let args: Vec<Vec<u8>> = args.into_iter().map(String::into_bytes).collect();
        let call = net.call(&minter, CC, function, args);
        let outcome = if submit {
            call.submit().await
        } else {
            call.evaluate().await
        }
        .unwrap();
        if outcome.status != 200 {
            continue;
        }
        let mut violations =
            result_violations(&metadata, "SmartContract", function, &outcome.payload);
        if let Some(event) = &outcome.event {
            violations.extend(event_violations(
                &metadata,
                &event.event_name,
                &event.payload,
            ));
            checked += 1;
        }
        assert!(violations.is_empty(), "{violations:#?}");
        checked += usize::from(!outcome.payload.is_empty());
    }
    checked
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn results_and_events_validate_against_the_published_schemas(
        name in "\\PC{1,12}",
        symbol in "[A-Z]{1,5}",
        decimals in 0u8..19,
        amounts in proptest::collection::vec((1i64..1_000_000, 0i64..1_000_000), 1..4),
    ) {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let checked = rt.block_on(run(name, symbol, decimals, amounts));
        prop_assert!(checked >= 8, "only {checked} payloads were checked");
    }
}
