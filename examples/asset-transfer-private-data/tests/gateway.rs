//! The private-data sample as a client application drives it through the dev peer's Gateway
//! service: the chaincode definition carries the sample's `collections_config.json`, inputs travel
//! as transient data, and the peer enforces the collections' `memberOnlyRead` rule.

use fabric_dev_gateway::client::{Call, ClientError, Gateway, Signer};
use fabric_dev_gateway::{ChaincodeLaunch, DevGateway, GatewayOptions};

const PRIVATE: &str = env!("CARGO_BIN_EXE_asset-transfer-private-data");
const COLLECTIONS: &str = include_str!("../collections_config.json");

async fn connect(gateway: &DevGateway, crypto: &std::path::Path, who: &str, msp: &str) -> Gateway {
    let signer =
        Signer::from_msp_dir(msp, &crypto.join(format!("{who}/msp"))).expect("a minted identity");
    Gateway::connect(&gateway.address().to_string(), None, signer)
        .await
        .expect("the Gateway accepts the connection")
}

#[tokio::test(flavor = "multi_thread")]
async fn transient_inputs_and_member_only_reads_through_the_gateway() {
    let crypto = tempfile::tempdir().unwrap();
    let options = GatewayOptions::default()
        .listen("127.0.0.1:0")
        .chaincode(ChaincodeLaunch::new("private", PRIVATE).collections_config(COLLECTIONS))
        .identity("admin@Org1MSP")
        .identity("bob@Org2MSP")
        .crypto_dir(crypto.path());
    let gateway = DevGateway::start(options)
        .await
        .expect("the dev Gateway starts");
    let org1 = connect(&gateway, crypto.path(), "admin@Org1MSP", "Org1MSP").await;
    let private = org1.contract("mychannel", "private");

    // The sample application's first step: the asset's properties, appraised value included,
    // never appear in the proposal's arguments.
    let properties = r#"{"objectType":"asset","assetID":"asset1","color":"green","size":20,"appraisedValue":100}"#;
    private
        .submit(Call::new("CreateAsset").transient("asset_properties", properties))
        .await
        .expect("CreateAsset with transient inputs commits");

    let asset: serde_json::Value = serde_json::from_slice(
        &private
            .evaluate(Call::new("ReadAsset").arg("asset1"))
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        (&asset["assetID"], &asset["color"]),
        (&"asset1".into(), &"green".into())
    );
    let details: serde_json::Value = serde_json::from_slice(
        &private
            .evaluate(
                Call::new("ReadAssetPrivateDetails").args(["Org1MSPPrivateCollection", "asset1"]),
            )
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(details["appraisedValue"], 100);

    // A missing transient entry is the contract's own error, not a crash.
    let err = private
        .submit(Call::new("CreateAsset"))
        .await
        .expect_err("CreateAsset without transient data fails");
    assert!(
        err.to_string()
            .contains("asset not found in the transient map input"),
        "{err}"
    );

    // Org2 is not a member of Org1's collection, which is memberOnlyRead: the peer refuses the read.
    let org2 = connect(&gateway, crypto.path(), "bob@Org2MSP", "Org2MSP").await;
    let err = org2
        .contract("mychannel", "private")
        .evaluate(Call::new("ReadAssetPrivateDetails").args(["Org1MSPPrivateCollection", "asset1"]))
        .await
        .expect_err("a non-member's private read is refused");
    let text = match &err {
        ClientError::Rpc {
            message, details, ..
        } => format!(
            "{message} {}",
            details
                .iter()
                .map(|d| d.message.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        ),
        other => other.to_string(),
    };
    assert!(
        text.contains("does not have read access permission")
            && text.contains("Org1MSPPrivateCollection"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unusable_collection_configuration_is_refused_at_start() {
    let crypto = tempfile::tempdir().unwrap();
    let options = GatewayOptions::default()
        .listen("127.0.0.1:0")
        .chaincode(ChaincodeLaunch::new("private", PRIVATE).collections_config("{not json"))
        .crypto_dir(crypto.path());
    let Err(err) = DevGateway::start(options).await else {
        panic!("a broken collection configuration must stop the start");
    };
    assert!(
        err.to_string()
            .contains("chaincode `private`: the collection configuration is unusable"),
        "{err}"
    );
}
