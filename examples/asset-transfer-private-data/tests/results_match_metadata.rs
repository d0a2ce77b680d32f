//! Every result validates against the return schema the contract publishes in its own metadata:
//! random valid assets created through the transient map, then every read transaction, each
//! successful payload checked with a JSON Schema validator against `returns`.

use asset_transfer_private_data::SmartContract;
use fabric_contract::testing::identity::TestCa;
use fabric_contract::testing::network::TestNetwork;
use fabric_contract::testing::peer::{ChaincodeDefinition, PeerOptions};
use fabric_contract::{ContractChaincode, metadata_json};
use fabric_contract_tests::schemas::result_violations;
use proptest::prelude::*;
use serde_json::{Value, json};

const CC: &str = "private";
const MSP: &str = "Org1MSP";

#[derive(Debug, Clone)]
struct Input {
    id: String,
    color: String,
    size: i64,
    value: i64,
}

fn input() -> impl Strategy<Value = Input> {
    ("asset[1-4]", "\\PC{1,12}", 1i64..i64::MAX, 1i64..i64::MAX).prop_map(
        |(id, color, size, value)| Input {
            id,
            color,
            size,
            value,
        },
    )
}

async fn run(inputs: Vec<Input>) -> usize {
    let metadata: Value = serde_json::from_str(&metadata_json::<SmartContract>().unwrap()).unwrap();
    let definition = ChaincodeDefinition::new(CC)
        .collection("assetCollection")
        .collection("Org1MSPPrivateCollection")
        .collection("Org2MSPPrivateCollection");
    let net = TestNetwork::new()
        .options(PeerOptions::default().msp_id(MSP))
        .chaincode_with(
            definition,
            ContractChaincode::new(SmartContract::on_peer_of(MSP)),
        )
        .start()
        .await
        .unwrap();
    let user = TestCa::new(MSP)
        .identity()
        .cn("User1@org1.example.com")
        .build();
    let mut checked = 0;
    for i in &inputs {
        let properties = json!({
            "objectType": "ValuableAsset",
            "assetID": i.id,
            "color": i.color,
            "size": i.size,
            "appraisedValue": i.value,
        })
        .to_string();
        let created = net
            .call(&user, CC, "CreateAsset", Vec::<Vec<u8>>::new())
            .transient("asset_properties", properties)
            .submit()
            .await
            .unwrap();
        let owner = "x509::CN=User1@org1.example.com".to_string();
        let reads: Vec<(&str, Vec<&str>)> = vec![
            ("ReadAsset", vec![&i.id]),
            (
                "ReadAssetPrivateDetails",
                vec!["Org1MSPPrivateCollection", &i.id],
            ),
            ("ReadTransferAgreement", vec![&i.id]),
            ("GetAssetByRange", vec!["", ""]),
            ("QueryAssetByOwner", vec!["ValuableAsset", &owner]),
        ];
        for (function, args) in reads {
            let args: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
            let outcome = net
                .call(&user, CC, function, args)
                .evaluate()
                .await
                .unwrap();
            if outcome.status != 200 {
                continue;
            }
            let violations =
                result_violations(&metadata, "SmartContract", function, &outcome.payload);
            assert!(violations.is_empty(), "{violations:#?}");
            checked += usize::from(!outcome.payload.is_empty() && created.status == 200);
        }
    }
    checked
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn results_validate_against_the_published_return_schemas(
        inputs in proptest::collection::vec(input(), 1..4)
    ) {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let checked = rt.block_on(run(inputs));
        // ReadAsset, ReadAssetPrivateDetails and GetAssetByRange answer with values.
        prop_assert!(checked >= 3, "only {checked} payloads were checked");
    }
}
