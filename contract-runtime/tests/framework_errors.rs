//! `?` on the framework's own errors inside a method returning the user's
//! `#[derive(ContractError)]` enum (through its `#[from] ContractError` case), and results with
//! `Option` fields that match the published metadata.

#![allow(missing_docs)]

use fabric_contract::prelude::*;
use fabric_contract::testing::identity::TestCa;
use fabric_contract::testing::network::{Outcome, TestNetwork};

#[object]
#[derive(Debug, Clone, PartialEq)]
pub struct Auction {
    pub id: String,
    pub winner: Option<String>,
}

#[derive(Debug, ContractError)]
pub enum AuctionError {
    #[error("auction {0} already exists", code = "AUCTION_EXISTS", status = 409)]
    AuctionExists(String),
    #[error("auction {0} not found", code = "NOT_FOUND", status = 404)]
    NotFound(String),
    #[error(transparent)]
    Framework(#[from] ContractError),
}

#[derive(Default)]
pub struct Auctions;

#[contract(name = "Auctions")]
impl Auctions {
    /// `event` names the event to set: empty makes the stub refuse it (an `EventError`).
    #[submit(name = "Create")]
    #[errors(AuctionExists)]
    async fn create(&self, ctx: &SubmitCtx, id: String, event: String) -> Result<(), AuctionError> {
        if ctx.get_state(&id).await?.is_some() {
            return Err(AuctionError::AuctionExists(id));
        }
        let auction = Auction {
            id: id.clone(),
            winner: None,
        };
        ctx.put_state(&id, &fabric_contract::json::to_canonical_vec(&auction)?)
            .await?;
        ctx.set_event(&event, &auction)?;
        Ok(())
    }

    #[evaluate(name = "Get")]
    #[errors(NotFound)]
    async fn get(&self, ctx: &EvaluateCtx, id: String) -> Result<Auction, AuctionError> {
        let bytes = ctx
            .get_state(&id)
            .await?
            .ok_or(AuctionError::NotFound(id))?;
        fabric_contract::json::from_slice_strict(&bytes)
            .map_err(|e| ContractError::new(format!("corrupt auction: {e}")).into())
    }
}

async fn call(net: &TestNetwork, function: &str, args: &[&str], submit: bool) -> Outcome {
    let user = TestCa::new("Org1MSP").identity().cn("user").build();
    let args: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
    let call = net.call(&user, "auctions", function, args);
    if submit {
        call.submit().await
    } else {
        call.evaluate().await
    }
    .unwrap()
}

async fn network() -> TestNetwork {
    TestNetwork::new()
        .chaincode("auctions", ContractChaincode::new(Auctions))
        .start()
        .await
        .unwrap()
}

#[tokio::test]
async fn framework_errors_travel_through_the_contract_error_case() {
    let net = network().await;
    // StubError from set_event (empty name), via EventError → ContractError → AuctionError.
    let refused = call(&net, "Create", &["a1", ""], true).await;
    assert_eq!(refused.status, 500);
    assert!(
        refused
            .message
            .contains("event name can not be empty string"),
        "{}",
        refused.message
    );
    assert!(
        refused.writes.is_empty(),
        "a failed transaction writes nothing"
    );

    let created = call(&net, "Create", &["a1", "Created"], true).await;
    assert_eq!(created.status, 200, "{}", created.message);
    let again = call(&net, "Create", &["a1", "Created"], true).await;
    assert_eq!(
        (again.status, again.message.as_str()),
        (409, "AUCTION_EXISTS: auction a1 already exists")
    );
    let missing = call(&net, "Get", &["a2"], false).await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn none_fields_are_left_out_and_results_match_the_schema() {
    let net = network().await;
    assert_eq!(
        call(&net, "Create", &["a1", "Created"], true).await.status,
        200
    );
    let got = call(&net, "Get", &["a1"], false).await;
    assert_eq!(got.status, 200, "{}", got.message);
    assert_eq!(got.payload, br#"{"id":"a1"}"#, "None is omitted, not null");
    let back: Auction = serde_json::from_slice(&got.payload).unwrap();
    assert_eq!(
        back,
        Auction {
            id: "a1".into(),
            winner: None
        }
    );
    let full: Auction = serde_json::from_str(r#"{"id":"a1","winner":"bob"}"#).unwrap();
    assert_eq!(full.winner.as_deref(), Some("bob"));

    let doc: serde_json::Value =
        serde_json::from_str(&fabric_contract::metadata_json::<Auctions>().unwrap()).unwrap();
    let schema = &doc["components"]["schemas"]["Auction"];
    assert_eq!(schema["required"], serde_json::json!(["id"]), "{schema}");
    assert_eq!(
        schema["properties"]["winner"],
        serde_json::json!({"type": "string"})
    );
}

#[tokio::test]
async fn each_transaction_publishes_only_its_listed_errors() {
    let doc: serde_json::Value =
        serde_json::from_str(&fabric_contract::metadata_json::<Auctions>().unwrap()).unwrap();
    let txs = doc["contracts"]["Auctions"]["transactions"]
        .as_array()
        .unwrap();
    let codes = |name: &str| -> Vec<String> {
        let tx = txs.iter().find(|t| t["name"] == name).unwrap();
        tx["x-errors"]
            .as_array()
            .map(|e| {
                e.iter()
                    .map(|c| c["code"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(codes("Create"), ["AUCTION_EXISTS"]);
    assert_eq!(codes("Get"), ["NOT_FOUND"]);
}
