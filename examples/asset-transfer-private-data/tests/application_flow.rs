//! The fabric-samples private-data application flow
//! (`asset-transfer-private-data/application-gateway-typescript/src/app.ts` against
//! `asset-transfer-private-data/chaincode-go`) with two organisations: each has its own peer (sharing one ledger, as a
//! channel does) running its own chaincode instance, and its own client.

use std::sync::Arc;
use std::time::Duration;

use asset_transfer_private_data::SmartContract;
use fabric_contract::ContractChaincode;
use fabric_contract::shim::{Registration, serve_stream};
use fabric_contract::testing::identity::{TestCa, TestIdentity};
use fabric_contract::testing::ledger::Ledger;
use fabric_contract::testing::peer::{
    ChaincodeDefinition, EmulatedPeer, Invocation, PeerOptions, TxOutcome,
};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::UnboundedReceiverStream;

const CC: &str = "private";

/// One organisation: its peer (running the chaincode) and its client.
struct Org {
    peer: EmulatedPeer,
    user: TestIdentity,
}

async fn org(msp: &str, ledger: &Ledger) -> Org {
    let definition = ChaincodeDefinition::new(CC)
        .collection("assetCollection")
        .collection("Org1MSPPrivateCollection")
        .collection("Org2MSPPrivateCollection");
    let peer = EmulatedPeer::with_ledger(
        PeerOptions::default().msp_id(msp).chaincode(definition),
        ledger.clone(),
    );
    let attached = peer.attach();
    let inbound =
        UnboundedReceiverStream::new(attached.from_peer).map(Ok::<_, std::convert::Infallible>);
    let chaincode = Arc::new(ContractChaincode::new(SmartContract::on_peer_of(msp)));
    tokio::spawn(async move {
        let _ = serve_stream(chaincode, &Registration::new(CC), inbound, attached.to_peer).await;
    });
    peer.wait_registered(CC, Duration::from_secs(10))
        .await
        .unwrap();
    let user = TestCa::new(msp)
        .identity()
        .cn(&format!(
            "User1@{}.example.com",
            msp.trim_end_matches("MSP").to_lowercase()
        ))
        .build();
    Org { peer, user }
}

impl Org {
    async fn submit(&self, function: &str, transient: Option<(&str, String)>) -> TxOutcome {
        let mut invocation = Invocation::submit(CC, [function]).creator(self.user.creator());
        if let Some((key, value)) = transient {
            invocation = invocation.transient(key, value);
        }
        self.peer.invoke(invocation).await.unwrap()
    }

    async fn evaluate(&self, args: &[&str]) -> TxOutcome {
        self.peer
            .invoke(Invocation::evaluate(CC, args).creator(self.user.creator()))
            .await
            .unwrap()
    }
}

fn ok(outcome: &TxOutcome) -> String {
    assert_eq!(outcome.response.status, 200, "{}", outcome.response.message);
    String::from_utf8(outcome.response.payload.clone()).unwrap()
}

fn failed(outcome: &TxOutcome) -> &str {
    assert_eq!(
        outcome.response.status, 500,
        "expected a failure: {:?}",
        outcome.response
    );
    assert!(outcome.writes.is_empty());
    &outcome.response.message
}

fn properties(id: &str, color: &str, size: i64, value: i64) -> Option<(&'static str, String)> {
    let json = format!(
        r#"{{"objectType":"ValuableAsset","assetID":"{id}","color":"{color}","size":{size},"appraisedValue":{value}}}"#
    );
    Some(("asset_properties", json))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sample_applications_flow() {
    let ledger = Ledger::new();
    let (org1, org2) = (org("Org1MSP", &ledger).await, org("Org2MSP", &ledger).await);
    let (id1, id2) = ("asset1700000000", "asset1700000001");
    let org2_owner = fabric_contract::identity::ClientIdentity::from_creator(&org2.user.creator())
        .unwrap()
        .id_text();

    ok(&org1
        .submit("CreateAsset", properties(id1, "green", 20, 100))
        .await);
    ok(&org1
        .submit("CreateAsset", properties(id2, "blue", 35, 727))
        .await);
    let details = ledger
        .get_private_data("mychannel", CC, "Org1MSPPrivateCollection", id1)
        .unwrap();
    assert_eq!(
        details,
        format!(r#"{{"assetID":"{id1}","appraisedValue":100}}"#).as_bytes(),
        "Go's json.Marshal bytes"
    );
    let stored = String::from_utf8(
        ledger
            .get_private_data("mychannel", CC, "assetCollection", id1)
            .unwrap(),
    )
    .unwrap();
    assert!(stored.starts_with(&format!(r#"{{"objectType":"ValuableAsset","assetID":"{id1}","color":"green","size":20,"owner":"x509::CN=User1@org1.example.com"#)), "{stored}");

    let range: Vec<serde_json::Value> = serde_json::from_str(&ok(&org1
        .evaluate(&["GetAssetByRange", id1, "asset1700000002"])
        .await))
    .unwrap();
    assert_eq!(range.len(), 2);

    let early = org1
        .submit(
            "TransferAsset",
            Some((
                "asset_owner",
                format!(r#"{{"assetID":"{id1}","buyerMSP":"Org2MSP"}}"#),
            )),
        )
        .await;
    assert_eq!(
        failed(&early),
        format!(
            "failed transfer verification: hash of appraised value for {id1} does not exist in collection Org2MSPPrivateCollection. AgreeToTransfer must be called by the buyer first"
        )
    );

    assert!(ok(&org2.evaluate(&["ReadAsset", id1]).await).contains(id1));
    ok(&org2
        .submit(
            "AgreeToTransfer",
            Some((
                "asset_value",
                format!(r#"{{"assetID":"{id1}","appraisedValue":100}}"#),
            )),
        )
        .await);
    let agreement: serde_json::Value =
        serde_json::from_str(&ok(&org1.evaluate(&["ReadTransferAgreement", id1]).await)).unwrap();
    assert_eq!(agreement["buyerID"], org2_owner.as_str());

    ok(&org1
        .submit(
            "TransferAsset",
            Some((
                "asset_owner",
                format!(r#"{{"assetID":"{id1}","buyerMSP":"Org2MSP"}}"#),
            )),
        )
        .await);
    let asset: serde_json::Value =
        serde_json::from_str(&ok(&org1.evaluate(&["ReadAsset", id1]).await)).unwrap();
    assert_eq!(asset["owner"], org2_owner.as_str());
    assert_eq!(
        ok(&org1
            .evaluate(&["ReadAssetPrivateDetails", "Org1MSPPrivateCollection", id1])
            .await),
        "",
        "details removed"
    );
    assert_eq!(
        ok(&org1.evaluate(&["ReadTransferAgreement", id1]).await),
        "",
        "agreement removed"
    );
    assert!(
        ok(&org2
            .evaluate(&["ReadAssetPrivateDetails", "Org2MSPPrivateCollection", id1])
            .await)
        .contains("100")
    );

    let owned: Vec<serde_json::Value> = serde_json::from_str(&ok(&org1
        .evaluate(&["QueryAssetByOwner", "ValuableAsset", &org2_owner])
        .await))
    .unwrap();
    assert_eq!(owned.len(), 1);
    assert_eq!(
        ok(&org1
            .evaluate(&["QueryAssets", r#"{"selector":{"color":"purple"}}"#])
            .await),
        "[]",
        "an empty result is [] here"
    );

    let wrong_org = org2
        .submit(
            "DeleteAsset",
            Some(("asset_delete", format!(r#"{{"assetID":"{id2}"}}"#))),
        )
        .await;
    assert_eq!(
        failed(&wrong_org),
        format!("asset not found in owner's private Collection Org2MSPPrivateCollection: {id2}")
    );
    ok(&org1
        .submit(
            "DeleteAsset",
            Some(("asset_delete", format!(r#"{{"assetID":"{id2}"}}"#))),
        )
        .await);
    ok(&org1
        .submit(
            "PurgeAsset",
            Some(("asset_purge", format!(r#"{{"assetID":"{id2}"}}"#))),
        )
        .await);
    assert_eq!(
        ok(&org1.evaluate(&["ReadAsset", id2]).await),
        "",
        "absent: an empty payload, as Go's nil pointer"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inputs_and_organisations_are_checked_with_the_go_texts() {
    let ledger = Ledger::new();
    let org1 = org("Org1MSP", &ledger).await;
    let stranger = TestCa::new("Org2MSP").identity().cn("intruder").build();
    assert_eq!(
        failed(&org1.submit("CreateAsset", None).await),
        "asset not found in the transient map input"
    );
    assert_eq!(
        failed(
            &org1
                .submit("CreateAsset", properties("", "green", 1, 1))
                .await
        ),
        "assetID field must be a non-empty string"
    );
    assert_eq!(
        failed(
            &org1
                .submit("CreateAsset", properties("a", "green", 0, 1))
                .await
        ),
        "size field must be a positive integer"
    );
    assert_eq!(
        failed(
            &org1
                .submit("CreateAsset", properties("a", "green", 1, -5))
                .await
        ),
        "appraisedValue field must be a positive integer"
    );
    let (key, json) = properties("a", "green", 1, 1).unwrap();
    let foreign = org1
        .peer
        .invoke(
            Invocation::submit(CC, ["CreateAsset"])
                .creator(stranger.creator())
                .transient(key, json),
        )
        .await
        .unwrap();
    assert_eq!(
        failed(&foreign),
        "CreateAsset cannot be performed: Error client from org Org2MSP is not authorized to read or write private data from an org Org1MSP peer"
    );
    ok(&org1
        .submit("CreateAsset", properties("a", "green", 1, 1))
        .await);
    assert_eq!(
        failed(
            &org1
                .submit("CreateAsset", properties("a", "red", 2, 2))
                .await
        ),
        "this asset already exists: a"
    );
    assert_eq!(
        failed(&org1.submit("AgreeToTransfer", None).await),
        "asset_value key not found in the transient map"
    );
    assert_eq!(
        failed(&org1.submit("TransferAsset", None).await),
        "asset owner not found in the transient map"
    );
    assert_eq!(
        failed(&org1.submit("DeleteAsset", None).await),
        "asset to delete not found in the transient map"
    );
    assert_eq!(
        failed(&org1.submit("PurgeAsset", None).await),
        "asset to purge not found in the transient map"
    );
    let no_agreement = org1
        .submit(
            "DeleteTranferAgreement",
            Some(("agreement_delete", r#"{"assetID":"a"}"#.into())),
        )
        .await;
    assert_eq!(
        failed(&no_agreement),
        "asset's transfer_agreement does not exist: a"
    );
}

#[test]
fn metadata_is_valid_against_the_official_schemas() {
    let document = fabric_contract::metadata_json::<SmartContract>().unwrap();
    fabric_contract_tests::schemas::check_example_metadata(
        &document,
        env!("CARGO_MANIFEST_DIR"),
        "asset-transfer-private-data",
    );
}
