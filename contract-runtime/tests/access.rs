//! Client identity in contracts and declarative access control
//! (`#[require(…)]`), through the emulated peer with minted identities.

use std::sync::Arc;
use std::time::Duration;

use fabric_contract::prelude::*;
use fabric_contract::shim::{Registration, serve_stream};
use fabric_contract::testing::identity::TestCa;
use fabric_contract::testing::peer::{
    ChaincodeDefinition, EmulatedPeer, Invocation, PeerOptions, TxOutcome,
};
use fabric_contract_proto::Message;
use fabric_contract_proto::msp::SerializedIdentity;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::UnboundedReceiverStream;

// ANCHOR: guarded
/// A contract whose transactions are guarded in every supported way.
#[derive(Default)]
pub struct Guarded;

#[contract(name = "Guarded")]
impl Guarded {
    /// Only Org1 members.
    #[submit(name = "Mint")]
    #[require(msp = "Org1MSP")]
    async fn mint(&self, ctx: &SubmitCtx) -> Result<(), ContractError> {
        ctx.put_state("minted", b"yes").await?;
        Ok(())
    }

    /// Only callers whose certificate carries role=auditor.
    #[evaluate(name = "Audit")]
    #[require(role = "auditor")]
    async fn audit(&self, _ctx: &EvaluateCtx) -> String {
        "audited".into()
    }

    /// Org1 or Org2 clients of the sales department.
    #[evaluate(name = "Sales")]
    #[require(msp = "Org1MSP, Org2MSP", ou = "client")]
    #[require(attr = "dept=sales")]
    async fn sales(&self, _ctx: &EvaluateCtx) -> String {
        "sold".into()
    }

    /// The caller's Go-format client id.
    #[evaluate(name = "WhoAmI")]
    async fn who_am_i(&self, ctx: &EvaluateCtx) -> Result<String, ContractError> {
        Ok(ctx.client()?.id())
    }
}
// ANCHOR_END: guarded

async fn network() -> EmulatedPeer {
    let peer =
        EmulatedPeer::new(PeerOptions::default().chaincode(ChaincodeDefinition::new("guarded")));
    let attached = peer.attach();
    let inbound =
        UnboundedReceiverStream::new(attached.from_peer).map(Ok::<_, std::convert::Infallible>);
    tokio::spawn(async move {
        let chaincode = Arc::new(ContractChaincode::new(Guarded));
        let _ = serve_stream(
            chaincode,
            &Registration::new("guarded"),
            inbound,
            attached.to_peer,
        )
        .await;
    });
    peer.wait_registered("guarded", Duration::from_secs(10))
        .await
        .unwrap();
    peer
}

async fn call(peer: &EmulatedPeer, creator: &[u8], args: &[&str]) -> TxOutcome {
    peer.invoke(Invocation::submit("guarded", args).creator(creator.to_vec()))
        .await
        .unwrap()
}

fn denied(outcome: &TxOutcome) -> &str {
    assert_eq!(
        outcome.response.status, 403,
        "expected a denial: {:?}",
        outcome.response
    );
    assert!(outcome.writes.is_empty());
    outcome
        .response
        .message
        .strip_prefix("ACCESS_DENIED: ")
        .expect("the code leads the message")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requirements_allow_and_deny_with_clear_messages() {
    let peer = network().await;
    let (org1, org2) = (TestCa::new("Org1MSP"), TestCa::new("Org2MSP"));
    let alice = org1
        .identity()
        .cn("alice")
        .attr("role", "auditor")
        .attr("dept", "sales")
        .build()
        .creator();
    let bob = org2
        .identity()
        .cn("bob")
        .attr("role", "clerk")
        .attr("dept", "ops")
        .build()
        .creator();
    let carol = org2
        .identity()
        .cn("carol")
        .ou("admin")
        .attr("dept", "sales")
        .build()
        .creator();

    assert_eq!(call(&peer, &alice, &["Mint"]).await.response.status, 200);
    assert_eq!(
        denied(&call(&peer, &bob, &["Mint"]).await),
        "access denied: Mint requires MSP Org1MSP, the caller is of Org2MSP"
    );

    assert_eq!(
        call(&peer, &alice, &["Audit"]).await.response.payload,
        b"audited"
    );
    assert_eq!(
        denied(&call(&peer, &bob, &["Audit"]).await),
        "access denied: Audit requires attribute role=auditor, the caller has role=clerk"
    );
    assert_eq!(
        denied(&call(&peer, &carol, &["Audit"]).await),
        "access denied: Audit requires attribute role=auditor, the caller has no role attribute"
    );

    assert_eq!(
        call(&peer, &alice, &["Sales"]).await.response.payload,
        b"sold"
    );
    assert_eq!(
        denied(&call(&peer, &bob, &["Sales"]).await),
        "access denied: Sales requires attribute dept=sales, the caller has dept=ops"
    );
    assert_eq!(
        denied(&call(&peer, &carol, &["Sales"]).await),
        "access denied: Sales requires organizational unit client, the caller's certificate does not list it"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_identity_and_non_x509_callers() {
    let peer = network().await;
    let alice = TestCa::new("Org1MSP").identity().cn("alice").build();
    let who = call(&peer, &alice.creator(), &["WhoAmI"]).await;
    let expected = fabric_contract::identity::ClientIdentity::from_creator(&alice.creator())
        .unwrap()
        .id();
    assert_eq!(String::from_utf8(who.response.payload).unwrap(), expected);
    assert!(
        expected.starts_with("eDUwOTo6"),
        "base64 of `x509::`, as Go's GetID()"
    );

    let idemix = SerializedIdentity {
        mspid: "Org1MSP".into(),
        id_bytes: b"\x0a\x03idemix".to_vec(),
    }
    .encode_to_vec();
    assert_eq!(
        call(&peer, &idemix, &["Mint"]).await.response.status,
        200,
        "the MSP of any identity is readable"
    );
    let message = denied(&call(&peer, &idemix, &["Audit"]).await).to_owned();
    assert!(
        message.starts_with(
            "access denied: Audit requires certificate attributes, but cannot determine identity"
        ),
        "{message}"
    );
    let who = call(&peer, &idemix, &["WhoAmI"]).await;
    assert_eq!(who.response.status, 500);
    assert!(
        who.response
            .message
            .starts_with("cannot determine identity"),
        "{}",
        who.response.message
    );
}

#[test]
fn requirements_are_published_in_the_metadata() {
    let document: serde_json::Value =
        serde_json::from_str(&fabric_contract::metadata_json::<Guarded>().unwrap()).unwrap();
    let txs = document["contracts"]["Guarded"]["transactions"]
        .as_array()
        .unwrap();
    let find = |name: &str| txs.iter().find(|t| t["name"] == name).unwrap().clone();
    assert_eq!(
        find("Mint")["x-require"],
        serde_json::json!([{"msp": ["Org1MSP"]}])
    );
    assert_eq!(
        find("Sales")["x-require"],
        serde_json::json!([{"msp": ["Org1MSP", "Org2MSP"], "ou": ["client"]}, {"attrs": {"dept": "sales"}}])
    );
    assert!(find("WhoAmI").get("x-require").is_none());
}
