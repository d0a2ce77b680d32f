//! Hooks with a contract's own per-transaction context (`#[contract(context = …)]`): the before
//! hook fills it, methods and the after hook read it; the after hook sees the returned value and
//! may fail the transaction; hooks read transient entries; a hook error fails the transaction
//! with its message and discards its writes.

#![cfg(all(feature = "testing", feature = "macros"))]
#![allow(missing_docs)]

use std::sync::atomic::{AtomicUsize, Ordering};

use fabric_contract::contract::{Returned, TxContext};
use fabric_contract::prelude::*;
use fabric_contract::testing::network::{TestNetwork, anonymous};
use fabric_contract::{ContractChaincode, ContractError, EvaluateCtx, SubmitCtx, contract};

/// A context that counts how often it was created and carries the caller's MSP id.
pub struct CallerCtx {
    ctx: SubmitCtx,
    msp: String,
    tag: Option<String>,
}

static CREATED: AtomicUsize = AtomicUsize::new(0);

impl TxContext for CallerCtx {
    fn new(ctx: SubmitCtx) -> Self {
        CREATED.fetch_add(1, Ordering::SeqCst);
        Self {
            ctx,
            msp: String::new(),
            tag: None,
        }
    }

    fn submit_ctx(&self) -> &SubmitCtx {
        &self.ctx
    }
}

#[derive(Default)]
pub struct Tagged;

#[contract(context = CallerCtx)]
impl Tagged {
    #[before]
    async fn fill(
        &self,
        ctx: &mut CallerCtx,
        #[transient("tag")] tag: Option<String>,
    ) -> Result<(), ContractError> {
        if tag.as_deref() == Some("") {
            return Err(ContractError::new("the tag must not be empty"));
        }
        ctx.msp = ctx.submit_ctx().client_msp_id()?;
        ctx.tag = tag;
        Ok(())
    }

    /// Writes the caller's MSP id (kept by the before hook) under `key`.
    #[submit(name = "Stamp")]
    async fn stamp(&self, ctx: &CallerCtx, key: String) -> Result<String, ContractError> {
        ctx.submit_ctx().put_state(&key, ctx.msp.as_bytes()).await?;
        Ok(ctx.msp.clone())
    }

    /// Returns nothing.
    #[submit(name = "Touch")]
    async fn touch(&self, ctx: &SubmitCtx, key: String) -> Result<(), ContractError> {
        Ok(ctx.put_state(&key, b"touched").await?)
    }

    /// Methods may still take the framework's contexts.
    #[evaluate(name = "Tag")]
    async fn tag(&self, ctx: &CallerCtx) -> Option<String> {
        ctx.tag.clone()
    }

    /// A read-only method with the plain read-only context.
    #[evaluate(name = "Read")]
    async fn read(&self, ctx: &EvaluateCtx, key: String) -> Result<Option<Vec<u8>>, ContractError> {
        Ok(ctx.get_state(&key).await?)
    }

    /// Records what it saw under `seen/<tx>`; refuses results equal to transient `refuse`.
    #[after]
    async fn audit(
        &self,
        ctx: &CallerCtx,
        returned: &Returned,
        #[transient] refuse: Option<String>,
    ) -> Result<(), ContractError> {
        if refuse.is_some() && refuse.as_deref() == returned.text() {
            return Err(ContractError::new(format!(
                "the after hook refused {}",
                returned.decode::<String>()?
            )));
        }
        if ctx.submit_ctx().transient().contains_key("record") {
            let seen = format!(
                "{}:{}:{}",
                ctx.msp,
                returned.has_value(),
                returned.text().unwrap_or("-")
            );
            let key = format!("seen/{}", ctx.submit_ctx().tx_id());
            ctx.submit_ctx().put_state(&key, seen.as_bytes()).await?;
        }
        Ok(())
    }
}

async fn net() -> TestNetwork {
    TestNetwork::new()
        .chaincode("tagged", ContractChaincode::new(Tagged))
        .start()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_before_hook_fills_the_context_the_method_and_after_hook_read() {
    let net = net().await;
    let before = CREATED.load(Ordering::SeqCst);
    let out = net
        .call(&anonymous("Org2MSP"), "tagged", "Stamp", ["k"])
        .transient("record", "")
        .submit()
        .await
        .unwrap();
    assert_eq!(
        (out.status, out.text()),
        (200, "Org2MSP".to_string()),
        "{}",
        out.message
    );
    assert!(
        CREATED.load(Ordering::SeqCst) > before,
        "a context per transaction"
    );
    assert_eq!(net.state("tagged", "k").as_deref(), Some(&b"Org2MSP"[..]));
    let seen = net.state("tagged", &format!("seen/{}", out.tx_id)).unwrap();
    assert_eq!(seen, b"Org2MSP:true:Org2MSP");

    let tag = net.call(&anonymous("Org1MSP"), "tagged", "Tag", Vec::<&str>::new());
    let tag = tag.transient("tag", "blue").evaluate().await.unwrap();
    assert_eq!(tag.text(), "blue");
    let untagged = net.call(&anonymous("Org1MSP"), "tagged", "Tag", Vec::<&str>::new());
    assert_eq!(untagged.evaluate().await.unwrap().payload, b"");
}

#[tokio::test]
async fn the_after_hook_sees_no_value_for_unit_results() {
    let net = net().await;
    let out = net
        .call(&anonymous("Org1MSP"), "tagged", "Touch", ["t"])
        .transient("record", "")
        .submit()
        .await
        .unwrap();
    assert_eq!(out.status, 200, "{}", out.message);
    let seen = net.state("tagged", &format!("seen/{}", out.tx_id)).unwrap();
    assert_eq!(seen, b"Org1MSP:false:-");
}

#[tokio::test]
async fn hook_errors_fail_the_transaction_with_their_message_and_write_nothing() {
    let net = net().await;
    let refused = net
        .call(&anonymous("Org1MSP"), "tagged", "Stamp", ["k2"])
        .transient("refuse", "Org1MSP")
        .submit()
        .await
        .unwrap();
    assert_eq!(
        (refused.status, refused.message.as_str()),
        (500, "the after hook refused Org1MSP")
    );
    assert!(refused.writes.is_empty());
    assert_eq!(net.state("tagged", "k2"), None);

    let empty_tag = net
        .call(&anonymous("Org1MSP"), "tagged", "Stamp", ["k3"])
        .transient("tag", "")
        .submit()
        .await
        .unwrap();
    assert_eq!(
        (empty_tag.status, empty_tag.message.as_str()),
        (500, "the tag must not be empty")
    );
    assert_eq!(net.state("tagged", "k3"), None);

    // A transient entry a hook cannot decode is an argument error naming the hook.
    let bad = net
        .call(&anonymous("Org1MSP"), "tagged", "Read", ["k"])
        .transient("tag", [0xffu8])
        .evaluate()
        .await
        .unwrap();
    assert_eq!(bad.status, 500);
    assert!(
        bad.message.contains("Tagged's #[before] hook"),
        "{}",
        bad.message
    );
}

#[test]
fn hooks_and_contexts_leave_the_metadata_unchanged() {
    let doc: serde_json::Value =
        serde_json::from_str(&fabric_contract::metadata_json::<Tagged>().unwrap()).unwrap();
    let txs = doc["contracts"]["Tagged"]["transactions"]
        .as_array()
        .unwrap();
    let names: Vec<&str> = txs.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Read", "Stamp", "Tag", "Touch"]);
    assert!(
        txs.iter().all(|t| t.get("x-transient").is_none()),
        "hook transients are not parameters"
    );
}
